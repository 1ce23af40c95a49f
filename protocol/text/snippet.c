/*
 * snippet.c: search terms and snippets (snippet.h).  Matching here mirrors
 * the FTS5 query (a term matches a word equal to it, the last term also a
 * word that begins with it) closely enough to say where a task matched;
 * FTS5 alone decides whether it did.
 */
#include "snippet.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fold.h"

#define SNIPPET_BEFORE 40   /* characters kept before the first match */
#define SNIPPET_CHARS 160   /* characters in a snippet */
#define SNIPPET_SPANS 32    /* matches bracketed */

int search_terms_parse(const char *text, size_t len, struct search_terms *t)
{
	size_t n = fold_text(text, len, t->buf, NULL), m = 0;

	t->n = 0;
	for (size_t i = 0; i < n;) {
		size_t start;

		if (!fold_word_byte((unsigned char)t->buf[i])) {
			t->buf[i++] = '\0';
			continue;
		}
		if (t->n == SEARCH_TERMS_MAX)
			return -1;
		start = i;
		while (i < n && fold_word_byte((unsigned char)t->buf[i]))
			i++;
		t->term[t->n] = t->buf + start;
		t->len[t->n] = i - start;
		t->n++;
		/* A word holds no '"', so quoting it needs no escape. */
		t->match[m++] = '"';
		memcpy(t->match + m, t->buf + start, i - start);
		m += i - start;
		memcpy(t->match + m, "\" ", 2);
		m += 2;
	}
	/* whole: every word whole, the trailing space dropped */
	memcpy(t->whole, t->match, m ? m - 1 : 0);
	t->whole[m ? m - 1 : 0] = '\0';
	if (m) /* the last word, perhaps still being typed, as a prefix */
		t->match[m - 1] = '*';
	else
		t->match[0] = '\0';
	for (int k = 0; k < t->n; k++)
		t->buf[(size_t)(t->term[k] - t->buf) + t->len[k]] = '\0';
	t->match[m] = '\0';
	return t->n;
}

struct span {
	size_t from, to; /* bytes of the original text */
};

/* Finds the matches in folded[0..n): fills spans (at most SNIPPET_SPANS,
 * original offsets through map) and returns the distinct terms found. */
static int find(const char *folded, size_t n, const size_t *map, const struct search_terms *t,
		struct span *spans, int *nspans)
{
	bool seen[SEARCH_TERMS_MAX] = {false};
	int distinct = 0;

	*nspans = 0;
	for (size_t i = 0; i < n; i++) {
		if (!fold_word_byte((unsigned char)folded[i]) ||
		    (i > 0 && fold_word_byte((unsigned char)folded[i - 1])))
			continue;
		for (int k = 0; k < t->n; k++) {
			size_t end = i + t->len[k];

			if (t->len[k] > n - i || memcmp(folded + i, t->term[k], t->len[k]) != 0 ||
			    (k < t->n - 1 && end < n && fold_word_byte((unsigned char)folded[end])))
				continue;
			if (!seen[k])
				seen[k] = true, distinct++;
			if (*nspans < SNIPPET_SPANS) {
				spans[*nspans].from = map[i];
				spans[*nspans].to = map[i + t->len[k]];
				(*nspans)++;
			}
			break;
		}
	}
	return distinct;
}

static bool char_start(const char *s, size_t i)
{
	return ((unsigned char)s[i] & 0xC0) != 0x80;
}

/* Writes text[from..to) into out at *o, brackets around the spans that lie
 * wholly inside it (spans are in order and do not overlap), control
 * characters as spaces. */
static void copy_window(const char *text, size_t from, size_t to, const struct span *spans,
			int nspans, char *out, size_t *o)
{
	int k = 0;
	bool open = false;

	while (k < nspans && spans[k].from < from)
		k++;
	for (size_t i = from; i <= to; i++) {
		if (open && spans[k].to == i) {
			out[(*o)++] = ']';
			open = false;
			k++;
		}
		if (!open && k < nspans && spans[k].from == i && spans[k].to <= to) {
			out[(*o)++] = '[';
			open = true;
		}
		if (i < to)
			out[(*o)++] = (unsigned char)text[i] < 0x20 ? ' ' : text[i];
	}
}

static void put_ellipsis(char *out, size_t *o)
{
	memcpy(out + *o, "\xe2\x80\xa6", 3); /* … */
	*o += 3;
}

int snippet_make(const char *text, size_t len, const struct search_terms *t, char *out)
{
	char *folded = malloc(len + 1);
	size_t *map = malloc((len + 1) * sizeof(*map));
	struct span spans[SNIPPET_SPANS];
	int nspans, distinct;

	if (!folded || !map) {
		free(folded);
		free(map);
		return -1;
	}
	distinct = find(folded, fold_text(text, len, folded, map), map, t, spans, &nspans);
	if (distinct > 0 && out) {
		size_t from = spans[0].from, to = from, o = 0;

		for (int c = 0; c < SNIPPET_BEFORE && from > 0; c++)
			while (from > 0 && !char_start(text, --from))
				;
		/* Begin at a word, not in the middle of one. */
		for (size_t i = from; from > 0 && i < spans[0].from; i++)
			if (text[i] == ' ') {
				from = i + 1;
				break;
			}
		for (int c = 0; c < SNIPPET_CHARS && to < len; c++)
			while (++to < len && !char_start(text, to))
				;
		if (from > 0)
			put_ellipsis(out, &o);
		copy_window(text, from, to, spans, nspans, out, &o);
		if (to < len)
			put_ellipsis(out, &o);
		out[o] = '\0';
	}
	free(folded);
	free(map);
	return distinct;
}
