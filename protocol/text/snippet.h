/*
 * snippet.h: what a search looks for and where it found it.  The text a
 * person typed becomes folded terms (fold.h) and the FTS5 query that asks
 * for every term as a word (the last one, perhaps still being typed, as
 * the beginning of a word); an original text (with its diacritics)
 * is scored by how many terms it holds and cut into a snippet around the
 * first one, the matches in [brackets].  Plain C, no SQLite: db_search.c
 * and the tests use it.
 */
#ifndef DOTPHA_SNIPPET_H
#define DOTPHA_SNIPPET_H

#include <stddef.h>

#define SEARCH_TEXT_MAX 200   /* bytes of search text accepted */
#define SEARCH_TERMS_MAX 16   /* words of it used; more are refused */
#define SNIPPET_MAX 1024      /* bytes of a snippet, with its NUL */

struct search_terms {
	int n;                                   /* terms found */
	const char *term[SEARCH_TERMS_MAX];      /* NUL-terminated, in buf */
	size_t len[SEARCH_TERMS_MAX];
	char buf[SEARCH_TEXT_MAX + 1];           /* the folded text, split */
	char match[2 * SEARCH_TEXT_MAX + 4 * SEARCH_TERMS_MAX]; /* the FTS5 query */
	char whole[2 * SEARCH_TEXT_MAX + 4 * SEARCH_TERMS_MAX]; /* the same, no prefix */
};

/* Folds text[0..len) (len <= SEARCH_TEXT_MAX) and splits it into words:
 * runs of ASCII letters and digits and non-ASCII bytes.  Fills t, match
 * being each word quoted, all required, the last one as a prefix
 * ("dot" "pha"*), whole the same with every word whole ("dot" "pha").
 * Returns the number of words: 0 when there is none, -1 when there are
 * more than SEARCH_TERMS_MAX. */
int search_terms_parse(const char *text, size_t len, struct search_terms *t);

/* Scores text[0..len) (original, UTF-8) against t: the number of distinct
 * terms that are a word of it (the last term: that begin one).  When that is not 0 and out is not NULL,
 * writes into out (SNIPPET_MAX bytes) a snippet: about 160 characters
 * around the first match, each match within it in [brackets], "…" where
 * the text was cut, control characters as spaces.  Returns -1 if out of
 * memory. */
int snippet_make(const char *text, size_t len, const struct search_terms *t, char *out);

#endif
