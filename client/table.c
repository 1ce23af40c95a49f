/*
 * table.c: see table.h.
 */
#include "table.h"

#include <stdint.h>
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

static const char *header(const struct table *t, size_t c)
{
	return t->headers[c] ? t->headers[c] : "";
}

static size_t width_of(const char *s)
{
	return utf8_width(s, strlen(s));
}

static size_t spaces(const char *s)
{
	return strspn(s, " ");
}

/* The width of the widest word of s, its leading spaces (a tree's
 * indentation) counted with the first word. */
static size_t longest_word(const char *s)
{
	size_t best = 0, lead = spaces(s), i = lead, n = strlen(s);

	while (i < n) {
		size_t len = strcspn(s + i, " ");
		size_t w = utf8_width(s + i, len) + (i == lead ? lead : 0);

		if (w > best)
			best = w;
		i += len;
		i += spaces(s + i);
	}
	return best;
}

void table_wrap_init(struct table_wrap *wr, const char *s, size_t w, bool keep_indent)
{
	size_t ind = spaces(s);

	wr->s = s;
	wr->n = strlen(s);
	wr->indent = keep_indent && ind < w ? ind : 0;
	wr->w = w > wr->indent ? w - wr->indent : 1;
	wr->pos = ind;
	wr->started = false;
}

bool table_wrap_next(struct table_wrap *wr, const char **p, size_t *len)
{
	const char *s = wr->s + wr->pos;
	size_t n = wr->n - wr->pos, end = 0, w = 0, i = 0;

	if (n == 0 && wr->started)
		return false;
	wr->started = true;
	while (i < n) {
		size_t gap = spaces(s + i), word = strcspn(s + i + gap, " ");
		size_t ww = utf8_width(s + i, gap + word);

		if (word == 0)
			break; /* only spaces left */
		if (w + ww > wr->w)
			break;
		w += ww;
		i += gap + word;
		end = i;
	}
	if (end == 0 && n > 0) {
		size_t pw;

		end = utf8_prefix(s, n, wr->w, &pw);
		if (end == 0) { /* a character wider than the line: it goes alone */
			uint32_t cp;
			size_t k = utf8_decode(s, n, &cp);

			end = k ? k : 1;
		}
	}
	*p = s;
	*len = end;
	wr->pos += end + spaces(s + end);
	return true;
}

/* The width each column may be narrowed to in round 0, 1 or 2, never more
 * than its width now, nat[c]. */
static void floors(const struct table *t, const size_t *nat, size_t round, size_t *f)
{
	for (size_t c = 0; c < t->ncols; c++) {
		size_t hword = longest_word(header(t, c)), cells = 0, words = hword;

		for (size_t r = 0; r < t->rows; r++) {
			const char *s = cell(t, r, c);
			size_t cw = width_of(s), lw = longest_word(s);

			cells = cw > cells ? cw : cells;
			words = lw > words ? lw : words;
		}
		if (t->flags[c] & TABLE_SHRINK) {
			size_t least = hword > TABLE_WRAP_MIN ? hword : TABLE_WRAP_MIN;
			size_t first = TABLE_WRAP_FIRST > least ? TABLE_WRAP_FIRST : least;

			f[c] = round == 0 ? first : round == 2 ? least : nat[c];
		} else if (round >= 1) {
			/* a number keeps its cells whole, a header may wrap */
			f[c] = t->flags[c] & TABLE_RIGHT ? (cells > hword ? cells : hword) : words;
		} else {
			f[c] = nat[c];
		}
		if (f[c] > nat[c])
			f[c] = nat[c];
	}
}

bool table_widths(const struct table *t, size_t limit, size_t *w)
{
	size_t total = 0, *f = calloc(t->ncols ? t->ncols : 1, sizeof(*f));
	bool fits;

	for (size_t c = 0; c < t->ncols; c++) {
		w[c] = width_of(header(t, c));
		for (size_t r = 0; r < t->rows; r++) {
			size_t cw = width_of(cell(t, r, c));

			if (cw > w[c])
				w[c] = cw;
		}
		total += w[c] + (c ? TABLE_GAP : 0);
	}
	if (limit == 0 || total <= limit) {
		free(f);
		return true;
	}
	if (!f)
		return false;
	for (size_t round = 0; round < 3 && total > limit; round++) {
		floors(t, w, round, f);
		/* Narrow the widest column of the round, one column at a time. */
		while (total > limit) {
			size_t best = t->ncols;

			for (size_t c = 0; c < t->ncols; c++)
				if (w[c] > f[c] && (best == t->ncols || w[c] > w[best]))
					best = c;
			if (best == t->ncols)
				break;
			w[best]--;
			total--;
		}
	}
	fits = total <= limit;
	free(f);
	return fits;
}

static void pad(struct strbuf *sb, size_t n)
{
	while (n--)
		strbuf_addc(sb, ' ');
}

/* Appends one line of a cell (after its indent) in a column of width w. */
static void put_part(struct strbuf *sb, const struct table_wrap *wr, const char *s, size_t n,
		     size_t w, unsigned flags)
{
	size_t sw = utf8_width(s, n) + wr->indent;

	if (sw > w)
		sw = w; /* only a character wider than the column: the line overflows */
	if (flags & TABLE_RIGHT)
		pad(sb, w - sw);
	pad(sb, wr->indent);
	strbuf_add(sb, s, n);
	if (!(flags & TABLE_RIGHT))
		pad(sb, w - sw);
}

static void flush_line(struct strbuf *line, FILE *out)
{
	while (line->len > 0 && line->buf[line->len - 1] == ' ')
		line->len--;
	fwrite(strbuf_cstr(line), 1, line->len, out);
	fputc('\n', out);
	strbuf_reset(line);
}

/* Prints one row (or the header, r == SIZE_MAX) over as many lines as its
 * tallest cell needs, without trailing blanks. */
static void print_row(const struct table *t, FILE *out, const size_t *w, size_t r,
		      struct table_wrap *wr, struct strbuf *line)
{
	for (size_t c = 0; c < t->ncols; c++)
		table_wrap_init(&wr[c], r == SIZE_MAX ? header(t, c) : cell(t, r, c), w[c], true);
	for (;;) {
		bool any = false;

		strbuf_reset(line);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *s = "";
			size_t n = 0;
			struct table_wrap blank = {"", 0, 0, 0, 0, true};

			if (c)
				pad(line, TABLE_GAP);
			if (table_wrap_next(&wr[c], &s, &n))
				any = true;
			put_part(line, n ? &wr[c] : &blank, s, n, w[c], t->flags[c]);
		}
		if (!any)
			break;
		flush_line(line, out);
	}
	strbuf_reset(line);
}

void table_print_records(const struct table *t, FILE *out, size_t width)
{
	struct strbuf line = STRBUF_INIT;
	size_t lw = 0, vw;

	for (size_t c = 0; c < t->ncols; c++) {
		size_t hw = width_of(header(t, c)) + 1;

		lw = hw > lw ? hw : lw;
	}
	/* values start where render_record's do: the widest "Label:" and two spaces */
	vw = width == 0 ? SIZE_MAX : width > lw + 2 + TABLE_WRAP_MIN ? width - lw - 2 : TABLE_WRAP_MIN;
	for (size_t r = 0; r < t->rows; r++) {
		if (r)
			fputc('\n', out);
		for (size_t c = 0; c < t->ncols; c++) {
			const char *h = header(t, c), *s;
			struct table_wrap wr;
			size_t n;
			bool first = true;

			table_wrap_init(&wr, cell(t, r, c), vw, false);
			if (wr.pos == wr.n)
				continue; /* empty: left out, as a record leaves it out */
			while (table_wrap_next(&wr, &s, &n)) {
				if (first && h[0]) {
					strbuf_adds(&line, h);
					strbuf_addc(&line, ':');
					pad(&line, lw - (width_of(h) + 1) + 2);
				} else {
					pad(&line, lw + 2);
				}
				strbuf_add(&line, s, n);
				flush_line(&line, out);
				first = false;
			}
		}
	}
	strbuf_free(&line);
}

void table_print(const struct table *t, FILE *out, size_t width)
{
	struct strbuf line = STRBUF_INIT;
	size_t *w = calloc(t->ncols ? t->ncols : 1, sizeof(*w));
	struct table_wrap *wr = calloc(t->ncols ? t->ncols : 1, sizeof(*wr));

	if (!w || !wr) {
		free(w);
		free(wr);
		return;
	}
	if (!table_widths(t, width, w)) {
		table_print_records(t, out, width);
	} else {
		print_row(t, out, w, SIZE_MAX, wr, &line);
		for (size_t r = 0; r < t->rows; r++)
			print_row(t, out, w, r, wr, &line);
	}
	strbuf_free(&line);
	free(wr);
	free(w);
}
