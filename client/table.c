/*
 * table.c: see table.h.
 */
#include "table.h"

#include <stdlib.h>
#include <string.h>

#include "strbuf.h"
#include "utf8.h"

int table_init(struct table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	t->headers = calloc(ncols ? ncols : 1, sizeof(*t->headers));
	t->flags = calloc(ncols ? ncols : 1, sizeof(*t->flags));
	if (!t->headers || !t->flags) {
		t->failed = true;
		return -1;
	}
	return 0;
}

static void free_row(struct table *t, size_t row)
{
	for (size_t c = 0; c < t->ncols; c++)
		free(t->cells[row * t->ncols + c]);
}

void table_free(struct table *t)
{
	for (size_t r = 0; r < t->rows; r++)
		free_row(t, r);
	if (t->headers)
		for (size_t c = 0; c < t->ncols; c++)
			free(t->headers[c]);
	free(t->headers);
	free(t->flags);
	free(t->cells);
	memset(t, 0, sizeof(*t));
}

void table_clean(char *p, size_t n, bool keep_newlines)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n' && keep_newlines)
			continue;
		if (c < 0x20 || c == 0x7f) {
			p[i] = ' ';
		} else if (c == 0xc2 && i + 1 < n && (unsigned char)p[i + 1] >= 0x80 &&
			   (unsigned char)p[i + 1] <= 0x9f) {
			/* C1 controls (U+0080..U+009F): CSI is one of them */
			p[i] = ' ';
			p[++i] = ' ';
		}
	}
}

static char *copy_cell(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (!p)
		return NULL;
	memcpy(p, s, n);
	table_clean(p, n, false);
	p[n] = '\0';
	return p;
}

void table_header(struct table *t, size_t col, const char *header, unsigned flags)
{
	if (col >= t->ncols || !t->headers)
		return;
	free(t->headers[col]);
	t->headers[col] = copy_cell(header, strlen(header));
	if (!t->headers[col])
		t->failed = true;
	t->flags[col] = flags;
}

int table_add_row(struct table *t)
{
	if (t->failed)
		return -1;
	if (t->rows == t->cap) {
		size_t ncap = t->cap ? t->cap * 2 : 16;
		char **n = realloc(t->cells, ncap * t->ncols * sizeof(*n));

		if (!n) {
			t->failed = true;
			return -1;
		}
		t->cells = n;
		t->cap = ncap;
	}
	memset(t->cells + t->rows * t->ncols, 0, t->ncols * sizeof(*t->cells));
	t->rows++;
	return 0;
}

void table_set(struct table *t, size_t col, const char *s, size_t n)
{
	char **cell;

	if (t->rows == 0 || col >= t->ncols)
		return;
	cell = &t->cells[(t->rows - 1) * t->ncols + col];
	free(*cell);
	*cell = copy_cell(s, n);
	if (!*cell)
		t->failed = true;
}

void table_keep_last(struct table *t, size_t n)
{
	size_t drop;

	if (t->rows <= n)
		return;
	drop = t->rows - n;
	for (size_t r = 0; r < drop; r++)
		free_row(t, r);
	memmove(t->cells, t->cells + drop * t->ncols, n * t->ncols * sizeof(*t->cells));
	t->rows = n;
}

static const char *cell(const struct table *t, size_t r, size_t c)
{
	const char *s = t->cells[r * t->ncols + c];

	return s ? s : "";
}

static size_t width_of(const char *s)
{
	return utf8_width(s, strlen(s));
}

void table_widths(const struct table *t, size_t limit, size_t *w)
{
	size_t total = 0, *min = calloc(t->ncols ? t->ncols : 1, sizeof(*min));

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = width_of(t->headers[c] ? t->headers[c] : "");
		for (size_t r = 0; r < t->rows; r++) {
			size_t cw = width_of(cell(t, r, c));

			if (cw > w[c])
				w[c] = cw;
		}
		total += w[c] + (c ? TABLE_GAP : 0);
	}
	if (!min || limit == 0 || total <= limit) {
		free(min);
		return;
	}
	for (size_t c = 0; c < t->ncols; c++) {
		size_t hw = width_of(t->headers[c] ? t->headers[c] : "");
		size_t floor = hw > TABLE_MIN_SHRINK ? hw : TABLE_MIN_SHRINK;

		min[c] = !(t->flags[c] & TABLE_SHRINK) || w[c] < floor ? w[c] : floor;
	}
	/* Narrow the widest shrinkable column, one column at a time. */
	while (total > limit) {
		size_t best = t->ncols;

		for (size_t c = 0; c < t->ncols; c++)
			if (w[c] > min[c] && (best == t->ncols || w[c] > w[best]))
				best = c;
		if (best == t->ncols)
			break;
		w[best]--;
		total--;
	}
	free(min);
}

static void pad(struct strbuf *sb, size_t n)
{
	while (n--)
		strbuf_addc(sb, ' ');
}

/* Appends s in a column of width w, cut with "…" if it is wider. */
static void put_cell(struct strbuf *sb, const char *s, size_t w, unsigned flags)
{
	size_t n = strlen(s), sw = utf8_width(s, n);

	if (sw > w) {
		size_t pw, cut = utf8_prefix(s, n, w ? w - 1 : 0, &pw);

		strbuf_add(sb, s, cut);
		if (w) {
			strbuf_adds(sb, "…");
			pad(sb, w - pw - 1);
		}
		return;
	}
	if (flags & TABLE_RIGHT)
		pad(sb, w - sw);
	strbuf_add(sb, s, n);
	if (!(flags & TABLE_RIGHT))
		pad(sb, w - sw);
}

/* Prints one row (or the header), without trailing blanks. */
static void print_row(const struct table *t, FILE *out, const size_t *w, size_t r, bool header,
		      struct strbuf *line)
{
	strbuf_reset(line);
	for (size_t c = 0; c < t->ncols; c++) {
		const char *s = header ? (t->headers[c] ? t->headers[c] : "") : cell(t, r, c);

		if (c)
			pad(line, TABLE_GAP);
		put_cell(line, s, w[c], t->flags[c]);
	}
	while (line->len > 0 && line->buf[line->len - 1] == ' ')
		line->len--;
	fwrite(strbuf_cstr(line), 1, line->len, out);
	fputc('\n', out);
}

void table_print(const struct table *t, FILE *out, size_t width)
{
	struct strbuf line = STRBUF_INIT;
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));

	if (!w)
		return;
	table_widths(t, width, w);
	print_row(t, out, w, 0, true, &line);
	for (size_t r = 0; r < t->rows; r++)
		print_row(t, out, w, r, false, &line);
	strbuf_free(&line);
	free(w);
}
