/*
 * csv.c: the CSV reader and writer of csv.h.  The reader is one pass over
 * the bytes with two states (inside quotes or not); each field collects in
 * a growing buffer and each record in a growing array.
 */
#include "csv.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"

/* A growing byte buffer for the field being read. */
struct buf {
	char *p;
	size_t n, cap;
};

static bool buf_put(struct buf *b, char ch)
{
	if (b->n + 1 >= b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		char *p = realloc(b->p, cap);

		if (!p)
			return false;
		b->p = p;
		b->cap = cap;
	}
	b->p[b->n++] = ch;
	return true;
}

/* The record being read. */
struct rec {
	char **fields;
	size_t n, cap;
	long line;
};

/* Marks a message for the client's catalog (client/lang.h): the client
 * says it in its user's language. */
#ifndef N_
#define N_(s) s
#endif

static void fail(struct csv_error *err, long line, long column, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void fail(struct csv_error *err, long line, long column, const char *fmt, ...)
{
	va_list ap;

	err->line = line;
	err->column = column;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
}

/* Ends the current field: checks it is UTF-8 and moves it into r. */
static bool end_field(struct rec *r, struct buf *b, long line, struct csv_error *err)
{
	char *s;

	if (!utf8_valid(b->p ? b->p : "", b->n)) {
		fail(err, line, (long)r->n + 1,
		     N_("the text is not UTF-8; save the file as \"CSV UTF-8\""));
		return false;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 8;
		char **f = realloc(r->fields, cap * sizeof(*f));

		if (!f)
			goto oom;
		r->fields = f;
		r->cap = cap;
	}
	if (!(s = malloc(b->n + 1)))
		goto oom;
	if (b->n)
		memcpy(s, b->p, b->n);
	s[b->n] = '\0';
	r->fields[r->n++] = s;
	b->n = 0;
	return true;
oom:
	fail(err, line, (long)r->n + 1, N_("out of memory"));
	return false;
}

static void rec_free(struct rec *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->fields[i]);
	free(r->fields);
	memset(r, 0, sizeof(*r));
}

/* Ends the current record: moves it into t, unless it is a blank line. */
static bool end_record(struct csv_table *t, size_t *cap, struct rec *r, struct csv_error *err)
{
	if (r->n == 1 && r->fields[0][0] == '\0') { /* a blank line */
		rec_free(r);
		return true;
	}
	if (t->nrecords == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		struct csv_record *p = realloc(t->records, ncap * sizeof(*p));

		if (!p) {
			fail(err, r->line, 1, N_("out of memory"));
			rec_free(r);
			return false;
		}
		t->records = p;
		*cap = ncap;
	}
	t->records[t->nrecords++] =
		(struct csv_record){.fields = r->fields, .nfields = r->n, .line = r->line};
	memset(r, 0, sizeof(*r));
	return true;
}

char csv_separator(const char *buf, size_t len)
{
	static const char seps[] = CSV_SEPARATORS;
	size_t count[sizeof(seps) - 1] = {0}, best = 0, i = 0;
	bool quoted = false, seen = false;

	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	for (; i < len; i++) {
		const char *at;

		if (buf[i] == '"')
			quoted = !quoted; /* a doubled quote toggles twice */
		else if (!quoted && (buf[i] == '\r' || buf[i] == '\n') && seen)
			break;
		else if (!quoted && (at = strchr(seps, buf[i])) && buf[i])
			count[at - seps]++;
		seen = seen || (buf[i] != '\r' && buf[i] != '\n');
	}
	for (size_t k = 1; k < sizeof(count) / sizeof(count[0]); k++)
		if (count[k] > count[best])
			best = k;
	return seps[best];
}

int csv_parse(const char *buf, size_t len, char sep, struct csv_table *out, struct csv_error *err)
{
	struct buf b = {0};
	struct rec r = {0};
	size_t i = 0, cap = 0;
	long line = 1, quote_line = 0;
	bool quoted = false, after_quote = false, ok = true;

	memset(out, 0, sizeof(*out));
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	r.line = 1;
	for (; ok && i < len; i++) {
		char ch = buf[i];

		if (quoted) {
			if (ch == '"' && i + 1 < len && buf[i + 1] == '"') {
				ok = buf_put(&b, '"');
				i++;
			} else if (ch == '"') {
				quoted = false;
				after_quote = true;
			} else {
				if (ch == '\n')
					line++;
				ok = buf_put(&b, ch);
			}
			if (!ok)
				fail(err, line, (long)r.n + 1, N_("out of memory"));
			continue;
		}
		if (ch == sep) {
			ok = end_field(&r, &b, line, err);
			after_quote = false;
		} else if (ch == '\r' || ch == '\n') {
			if (ch == '\r' && i + 1 < len && buf[i + 1] == '\n')
				i++;
			ok = end_field(&r, &b, line, err) && end_record(out, &cap, &r, err);
			after_quote = false;
			r.line = ++line;
		} else if (after_quote) {
			fail(err, line, (long)r.n + 1,
			     N_("a character after the closing quote of a field; a quote inside a "
			     "quoted field is written twice (\"\")"));
			ok = false;
		} else if (ch == '"' && b.n == 0) {
			quoted = true;
			quote_line = line;
		} else if (ch == '"') {
			fail(err, line, (long)r.n + 1,
			     N_("a quote inside a field that does not start with one; quote the "
			     "whole field and write the quote twice (\"\")"));
			ok = false;
		} else if (!(ok = buf_put(&b, ch))) {
			fail(err, line, (long)r.n + 1, N_("out of memory"));
		}
	}
	if (ok && quoted) {
		fail(err, quote_line, (long)r.n + 1,
		     N_("a quoted field is never closed: a quote is missing"));
		ok = false;
	}
	if (ok && (b.n || r.n || after_quote))
		ok = end_field(&r, &b, line, err) && end_record(out, &cap, &r, err);
	free(b.p);
	rec_free(&r);
	if (!ok) {
		csv_table_free(out);
		return -1;
	}
	return 0;
}

void csv_table_free(struct csv_table *t)
{
	for (size_t i = 0; i < t->nrecords; i++) {
		for (size_t j = 0; j < t->records[i].nfields; j++)
			free(t->records[i].fields[j]);
		free(t->records[i].fields);
	}
	free(t->records);
	memset(t, 0, sizeof(*t));
}

void csv_write_bom(FILE *f)
{
	fputs("\xEF\xBB\xBF", f);
}

static bool needs_quotes(const char *s, char sep)
{
	size_t n = strlen(s);

	return strpbrk(s, "\"\r\n") != NULL || strchr(s, sep) != NULL ||
	       (n && (s[0] == ' ' || s[n - 1] == ' '));
}

void csv_write_record(FILE *f, char sep, const char *const *fields, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = fields[i] ? fields[i] : "";

		if (i)
			fputc(sep, f);
		if (!needs_quotes(s, sep)) {
			fputs(s, f);
			continue;
		}
		fputc('"', f);
		for (; *s; s++) {
			if (*s == '"')
				fputc('"', f);
			fputc(*s, f);
		}
		fputc('"', f);
	}
	fputs("\r\n", f);
}

/* What a spreadsheet takes for the start of a formula, and the guard's
 * own apostrophe (so that a text starting with one comes back whole). */
static bool formula_start(char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r' || c == '\'';
}

bool csv_needs_guard(const char *s)
{
	return formula_start(s[0]);
}

const char *csv_unguard(const char *s)
{
	return s[0] == '\'' && s[1] && formula_start(s[1]) ? s + 1 : s;
}
