/*
 * client_io.c: see client_io.h.  Everything a test reads (dotpha's output, parsed
 * JSON, lines cut out of it) is kept here until client_io_free().
 */
#include "client_io.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

/* ---- memory: everything a test reads is kept until client_io_free() ---- */

static void **kept;
static size_t nkept, capkept;
static msgpack_zone *zone; /* parsed JSON */

void *keep(void *p)
{
	cr_assert(p, "out of memory");
	if (nkept == capkept) {
		void **nk = realloc(kept, (capkept ? 2 * capkept : 256) * sizeof(*kept));

		cr_assert(nk, "out of memory");
		kept = nk;
		capkept = capkept ? 2 * capkept : 256;
	}
	kept[nkept++] = p;
	return p;
}

void client_io_free(void)
{
	for (size_t i = 0; i < nkept; i++)
		free(kept[i]);
	free(kept);
	kept = NULL;
	nkept = capkept = 0;
	if (zone)
		msgpack_zone_free(zone);
	zone = NULL;
}

char *keep_printf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	cr_assert(n >= 0);
	s = keep(malloc((size_t)n + 1));
	va_start(ap, fmt);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* ---- the client's surroundings ---- */

void client_io_isolate(const struct daemon *d)
{
	setenv("XDG_CONFIG_HOME", d->dir, 1);
	setenv("HOME", d->dir, 1);
	unsetenv("DOTPHA_SERVER");
	unsetenv("DOTPHA_LANG"); /* the users' default, Vietnamese, whatever the runner's */
	unsetenv("COLUMNS");     /* whole lines, whatever the runner's terminal */
	zone = msgpack_zone_new(65536);
	cr_assert(zone);
}

/* ---- running dotpha ---- */

const char *cmdline(const char *const *args)
{
	size_t n = 1;
	char *s;

	for (size_t i = 0; args[i]; i++)
		n += strlen(args[i]) + 3;
	s = keep(malloc(n));
	s[0] = '\0';
	for (size_t i = 0; args[i]; i++) {
		if (i)
			strcat(s, " ");
		if (!args[i][0] || strchr(args[i], ' ')) {
			strcat(s, "'");
			strcat(s, args[i]);
			strcat(s, "'");
		} else {
			strcat(s, args[i]);
		}
	}
	return s;
}

struct res run_on(const struct daemon *dm, const char *const *args)
{
	struct res r;
	char *o = NULL, *e = NULL;

	r.rc = client_run(dm, &o, &e, args);
	cr_assert(o && e, "could not run dotpha");
	r.out = keep(o);
	r.err = keep(e);
	r.cmd = cmdline(args);
	return r;
}

const char *ok_on(const struct daemon *dm, const char *const *args)
{
	struct res r = run_on(dm, args);

	cr_assert_eq(r.rc, 0, "`dotpha %s` exited %d: %s", r.cmd, r.rc, r.err);
	cr_assert_str_empty(r.err, "`dotpha %s` wrote to stderr: %s", r.cmd, r.err);
	return r.out;
}

void av_add(struct argv *a, const char *const *list)
{
	for (; *list; list++) {
		cr_assert_lt(a->n, 47);
		a->v[a->n++] = *list;
	}
	a->v[a->n] = NULL;
}

int refusing_port(int *fd)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);

	*fd = socket(AF_INET, SOCK_STREAM, 0);
	cr_assert(*fd >= 0);
	cr_assert_eq(bind(*fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	cr_assert_eq(getsockname(*fd, (struct sockaddr *)&sa, &len), 0);
	return ntohs(sa.sin_port);
}

/* ---- a small JSON reader: --json output as msgpack objects ---- */

struct jp {
	const char *p;  /* the next character */
	msgpack_zone *z;
	int depth;
};

static int jp_value(struct jp *j, msgpack_object *o);

static void jp_ws(struct jp *j)
{
	while (*j->p == ' ' || *j->p == '\t' || *j->p == '\n' || *j->p == '\r')
		j->p++;
}

static int jp_hex4(const char *p, unsigned *u)
{
	*u = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		unsigned v;

		if (c >= '0' && c <= '9')
			v = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v = (unsigned)(c - 'A' + 10);
		else
			return -1;
		*u = *u * 16 + v;
	}
	return 0;
}

static size_t jp_utf8(char *out, unsigned u)
{
	if (u < 0x80) {
		out[0] = (char)u;
		return 1;
	}
	if (u < 0x800) {
		out[0] = (char)(0xC0 | (u >> 6));
		out[1] = (char)(0x80 | (u & 0x3F));
		return 2;
	}
	if (u < 0x10000) {
		out[0] = (char)(0xE0 | (u >> 12));
		out[1] = (char)(0x80 | ((u >> 6) & 0x3F));
		out[2] = (char)(0x80 | (u & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (u >> 18));
	out[1] = (char)(0x80 | ((u >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((u >> 6) & 0x3F));
	out[3] = (char)(0x80 | (u & 0x3F));
	return 4;
}

/* A string, NUL-terminated in the zone (so via.str.ptr is a C string). */
static int jp_string(struct jp *j, msgpack_object *o)
{
	const char *s = j->p + 1, *q = s;
	size_t n = 0;
	char *buf;

	while (*q && *q != '"')
		q += (*q == '\\' && q[1]) ? 2 : 1;
	if (*q != '"')
		return -1;
	/* an escape never decodes to more bytes than it takes */
	if (!(buf = msgpack_zone_malloc(j->z, (size_t)(q - s) + 1)))
		return -1;
	for (const char *p = s; p < q;) {
		unsigned char c = (unsigned char)*p++;
		unsigned u, lo;

		if (c < 0x20)
			return -1;
		if (c != '\\') {
			buf[n++] = (char)c;
			continue;
		}
		switch (*p++) {
		case '"': buf[n++] = '"'; break;
		case '\\': buf[n++] = '\\'; break;
		case '/': buf[n++] = '/'; break;
		case 'b': buf[n++] = '\b'; break;
		case 'f': buf[n++] = '\f'; break;
		case 'n': buf[n++] = '\n'; break;
		case 'r': buf[n++] = '\r'; break;
		case 't': buf[n++] = '\t'; break;
		case 'u':
			if (jp_hex4(p, &u) < 0)
				return -1;
			p += 4;
			if (u >= 0xD800 && u <= 0xDBFF) {
				if (p[0] != '\\' || p[1] != 'u' || jp_hex4(p + 2, &lo) < 0 ||
				    lo < 0xDC00 || lo > 0xDFFF)
					return -1;
				p += 6;
				u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
			} else if (u >= 0xDC00 && u <= 0xDFFF) {
				return -1;
			}
			n += jp_utf8(buf + n, u);
			break;
		default:
			return -1;
		}
	}
	buf[n] = '\0';
	o->type = MSGPACK_OBJECT_STR;
	o->via.str.ptr = buf;
	o->via.str.size = (uint32_t)n;
	j->p = q + 1;
	return 0;
}

static int jp_number(struct jp *j, msgpack_object *o)
{
	const char *s = j->p, *p = s + (*s == '-');
	char *end;

	if (*p < '0' || *p > '9')
		return -1;
	while (*p >= '0' && *p <= '9')
		p++;
	errno = 0;
	if (*p == '.' || *p == 'e' || *p == 'E') {
		o->type = MSGPACK_OBJECT_FLOAT64;
		o->via.f64 = strtod(s, &end);
	} else if (*s == '-') {
		o->type = MSGPACK_OBJECT_NEGATIVE_INTEGER;
		o->via.i64 = strtoll(s, &end, 10);
		if (o->via.i64 == 0) {
			o->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
			o->via.u64 = 0;
		}
	} else {
		o->type = MSGPACK_OBJECT_POSITIVE_INTEGER;
		o->via.u64 = strtoull(s, &end, 10);
	}
	if (errno)
		return -1;
	j->p = end;
	return 0;
}

static int jp_word(struct jp *j, const char *w)
{
	size_t n = strlen(w);

	if (strncmp(j->p, w, n) != 0)
		return -1;
	j->p += n;
	return 0;
}

static int jp_container(struct jp *j, msgpack_object *o, bool is_map)
{
	char close = is_map ? '}' : ']';
	size_t n = 0, cap = 0, size = is_map ? sizeof(msgpack_object_kv) : sizeof(msgpack_object);
	char *tmp = NULL;
	void *dst = NULL;

	j->p++;
	jp_ws(j);
	if (*j->p == close) {
		j->p++;
	} else {
		for (;;) {
			msgpack_object *val;

			if (n == cap) {
				char *nt = realloc(tmp, (cap = cap ? 2 * cap : 16) * size);

				if (!nt)
					goto fail;
				tmp = nt;
			}
			if (is_map) {
				msgpack_object_kv *kv = (msgpack_object_kv *)(void *)(tmp + n * size);

				jp_ws(j);
				if (*j->p != '"' || jp_string(j, &kv->key) < 0)
					goto fail;
				jp_ws(j);
				if (*j->p++ != ':')
					goto fail;
				val = &kv->val;
			} else {
				val = (msgpack_object *)(void *)(tmp + n * size);
			}
			if (jp_value(j, val) < 0)
				goto fail;
			n++;
			jp_ws(j);
			if (*j->p == ',') {
				j->p++;
				continue;
			}
			if (*j->p++ == close)
				break;
			goto fail;
		}
	}
	if (n && !(dst = msgpack_zone_malloc(j->z, n * size)))
		goto fail;
	if (n)
		memcpy(dst, tmp, n * size);
	free(tmp);
	if (is_map) {
		o->type = MSGPACK_OBJECT_MAP;
		o->via.map.size = (uint32_t)n;
		o->via.map.ptr = dst;
	} else {
		o->type = MSGPACK_OBJECT_ARRAY;
		o->via.array.size = (uint32_t)n;
		o->via.array.ptr = dst;
	}
	return 0;
fail:
	free(tmp);
	return -1;
}

static int jp_value(struct jp *j, msgpack_object *o)
{
	int rc;

	jp_ws(j);
	if (++j->depth > 64)
		return -1;
	switch (*j->p) {
	case '{': rc = jp_container(j, o, true); break;
	case '[': rc = jp_container(j, o, false); break;
	case '"': rc = jp_string(j, o); break;
	case 't':
	case 'f':
		o->type = MSGPACK_OBJECT_BOOLEAN;
		o->via.boolean = *j->p == 't';
		rc = jp_word(j, o->via.boolean ? "true" : "false");
		break;
	case 'n': o->type = MSGPACK_OBJECT_NIL; rc = jp_word(j, "null"); break;
	default: rc = jp_number(j, o); break;
	}
	j->depth--;
	return rc;
}

/* Parses a whole JSON text (one value, then only white space). */
const msgpack_object *json_of(const char *text)
{
	struct jp j = {text, zone, 0};
	msgpack_object *o = msgpack_zone_malloc(zone, sizeof(*o));

	cr_assert(o);
	cr_assert_eq(jp_value(&j, o), 0, "not JSON: %s", text);
	jp_ws(&j);
	cr_assert_eq(*j.p, '\0', "more than one JSON value: %s", text);
	return o;
}

/* ---- reading text ---- */

int nlines(const char *text)
{
	int n = 0;

	for (const char *p = text; *p;) {
		const char *q = strchr(p, '\n');

		n++;
		if (!q)
			break;
		p = q + 1;
	}
	return n;
}

/* Line n of text without its newline (0 the first, -1 the last). */
const char *line(const char *text, int n)
{
	int total = nlines(text);
	const char *p = text;
	size_t len;
	char *s;

	if (n < 0)
		n += total;
	cr_assert(n >= 0 && n < total, "no line %d in:\n%s", n, text);
	for (int i = 0; i < n; i++)
		p = strchr(p, '\n') + 1;
	len = strcspn(p, "\n");
	s = keep(malloc(len + 1));
	memcpy(s, p, len);
	s[len] = '\0';
	return s;
}

bool has_line(const char *text, const char *want)
{
	for (int i = 0, n = nlines(text); i < n; i++)
		if (strcmp(line(text, i), want) == 0)
			return true;
	return false;
}

/* The text after the line `title` (a section of a record). */
const char *section(const char *text, const char *title)
{
	for (int i = 0, n = nlines(text); i < n; i++)
		if (strcmp(line(text, i), title) == 0) {
			const char *p = text;

			for (int k = 0; k <= i; k++)
				p = strchr(p, '\n') + 1;
			return p;
		}
	cr_assert_fail("no line \"%s\" in:\n%s", title, text);
	return NULL;
}

/* The value of a "Label:    value" line of a record. */
const char *value_of(const char *text, const char *label)
{
	size_t n = strlen(label);

	for (int i = 0, nl = nlines(text); i < nl; i++) {
		const char *l = line(text, i);

		if (strncmp(l, label, n) == 0 && l[n] == ':') {
			for (l += n + 1; *l == ' ';)
				l++;
			return l;
		}
	}
	cr_assert_fail("no \"%s:\" line in:\n%s", label, text);
	return NULL;
}

/* True if s is exactly like pat, where 'd' in pat stands for a digit. */
bool like(const char *s, const char *pat)
{
	for (; *pat; s++, pat++)
		if (*pat == 'd' ? (*s < '0' || *s > '9') : *s != *pat)
			return false;
	return *s == '\0';
}

/* A combining mark (U+0300..U+036F) takes no column. */
static bool is_mark(const unsigned char *p)
{
	return p[0] == 0xCC || (p[0] == 0xCD && p[1] <= 0xAF);
}

/* Display columns of s[0..n): one per code point, none for combining marks.
 * (Written here rather than taken from protocol/text/utf8.c, so that the
 * alignment check does not trust the code it checks.) */
static size_t width(const char *s, size_t n)
{
	size_t w = 0;

	for (size_t i = 0; i < n; i++) {
		const unsigned char *p = (const unsigned char *)s + i;

		if ((p[0] & 0xC0) != 0x80 && !is_mark(p))
			w++;
	}
	return w;
}

/* The byte offset in l of display column c, or -1 past its end. */
static long offset_of_col(const char *l, size_t c)
{
	size_t w = 0, i;

	for (i = 0; l[i]; i++) {
		const unsigned char *p = (const unsigned char *)l + i;

		if ((p[0] & 0xC0) == 0x80 || is_mark(p))
			continue;
		if (w == c)
			return (long)i;
		w++;
	}
	return w == c ? (long)i : -1;
}

static size_t col(const char *l, const char *s)
{
	const char *p = strstr(l, s);

	cr_assert(p, "\"%s\" is not in \"%s\"", s, l);
	return width(l, (size_t)(p - l));
}

/* Expects row to show value in the column headed head: a left-aligned
 * value starts where the head starts, a right-aligned one ends where it
 * ends; an empty value means blank there. */
static void expect_cell(const char *hdr, const char *row, const char *head, const char *value,
			bool right)
{
	long c = (long)col(hdr, head), off;
	size_t len = strlen(value);
	bool ok;

	if (right)
		c += (long)width(head, strlen(head)) - (long)width(value, len);
	off = c < 0 ? -1 : offset_of_col(row, (size_t)c);
	if (!len) {
		cr_expect(off < 0 || row[off] == ' ' || row[off] == '\0',
			  "column \"%s\" should be blank in\n  %s\n  %s", head, hdr, row);
		return;
	}
	ok = off >= 0 && strncmp(row + off, value, len) == 0 && (off == 0 || row[off - 1] == ' ');
	if (ok) {
		/* the whole cell: then the gap between columns, or the end of the line */
		const char *after = row + off + len;
		size_t gap = strspn(after, " ");

		ok = after[gap] == '\0' || gap >= 2;
	}
	cr_expect(ok, "column \"%s\" should show \"%s\" at display column %ld:\n  %s\n  %s", head,
		  value, c, hdr, row);
}

/* Expects line n of a table (line 0 the header) to hold values under heads;
 * a head written ">%" is right-aligned; a NULL value is not checked. */
void expect_row(const char *table, int n, const char *const *heads,
		       const char *const *values)
{
	const char *hdr = line(table, 0), *row = line(table, n);

	for (size_t i = 0; heads[i]; i++)
		if (values[i])
			expect_cell(hdr, row, heads[i] + (heads[i][0] == '>'), values[i],
				    heads[i][0] == '>');
}

void expect_fits(const char *text, size_t cols, const char *what)
{
	for (const char *p = text; *p;) {
		size_t n = strcspn(p, "\n");

		cr_expect_leq(width(p, n), cols, "%s: a line wider than %zu columns: '%.*s'", what, cols,
			      (int)n, p);
		p += n + (p[n] == '\n');
	}
}

void expect_words(const char *text, const char *words, const char *what)
{
	for (const char *p = words; *p;) {
		size_t n = strcspn(p, " ");
		char *w = keep(strndup(p, n));

		if (n)
			cr_expect(strstr(text, w), "%s: the word '%s' is missing", what, w);
		p += n;
		p += strspn(p, " ");
	}
}

/* Expects the values of a record's "Label:  value" lines (up to the first
 * blank line) to start in one column. */
void expect_record_aligned(const char *text)
{
	long first = -1;

	for (int i = 0, n = nlines(text); i < n; i++) {
		const char *l = line(text, i), *colon = strchr(l, ':'), *v;

		if (!*l)
			break;
		if (l[0] == ' ' && first >= 0) {
			/* a value's next line, under its first */
			for (v = l; *v == ' ';)
				v++;
			cr_expect_eq((long)width(l, (size_t)(v - l)), first,
				     "a value's next line out of line at \"%s\":\n%s", l, text);
			continue;
		}
		cr_assert(colon, "not a \"Label: value\" line: %s", l);
		for (v = colon + 1; *v == ' ';)
			v++;
		if (first < 0)
			first = (long)width(l, (size_t)(v - l));
		cr_expect_eq((long)width(l, (size_t)(v - l)), first,
			     "record values out of line at \"%s\":\n%s", l, text);
	}
}

/* The offset of the first control character in s other than a newline
 * (C0, and DEL too if del), or -1: what must never reach a terminal from
 * stored text (JSON must escape C0; DEL may stay raw there). */
long first_control(const char *s, bool del)
{
	for (const char *p = s; *p; p++)
		if (((unsigned char)*p < 0x20 && *p != '\n') || (del && *p == 0x7f))
			return (long)(p - s);
	return -1;
}

/* s with control characters (but newlines) written as \xHH, safe to print
 * in a failure message. */
const char *visible(const char *s)
{
	char *out = keep(malloc(4 * strlen(s) + 1)), *o = out;

	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n') || *s == 0x7f)
			o += sprintf(o, "\\x%02x", (unsigned char)*s);
		else
			*o++ = *s;
	*o = '\0';
	return out;
}

/* json with each moment replaced by "MOMENT" and each date equal to today
 * by "TODAY", so that a whole object can be compared exactly. */
const char *masked(const char *json, const char *today)
{
	char *out = keep(malloc(strlen(json) + 1)), *o = out;
	char moment[24], date[16];

	while (*json) {
		memcpy(moment, json, strnlen(json, 22));
		moment[strnlen(json, 22)] = '\0';
		memcpy(date, json, strnlen(json, 12));
		date[strnlen(json, 12)] = '\0';
		if (like(moment, "\"dddd-dd-ddTdd:dd:ddZ\"")) {
			o += sprintf(o, "\"MOMENT\"");
			json += 22;
		} else if (date[0] == '"' && strncmp(date + 1, today, 10) == 0 && date[11] == '"') {
			o += sprintf(o, "\"TODAY\"");
			json += 12;
		} else {
			*o++ = *json++;
		}
	}
	*o = '\0';
	return out;
}

/* dd/mm/yyyy for yyyy-mm-dd. */
const char *dmy(const char *iso)
{
	return keep_printf("%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}
