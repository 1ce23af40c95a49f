/*
 * mime.c: see mime.h.
 */
#include "mime.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>

#include "date.h"

#define LINE_RAW 57       /* bytes that base64 to one line of 76 */
#define WORD_RAW 42       /* UTF-8 bytes per encoded word: 56 base64 + 12 = 68 < 75 */

/* Out of memory: the buffer is dropped and stays failed (mime_buf_take
 * gives NULL). */
static void fail(struct mime_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->failed = true;
}

void mime_buf_add(struct mime_buf *b, const char *s, size_t n)
{
	char *grown;

	if (b->failed)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1024;

		while (cap < b->len + n + 1)
			cap *= 2;
		if (!(grown = realloc(b->s, cap))) {
			fail(b);
			return;
		}
		b->s = grown;
		b->cap = cap;
	}
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void mime_buf_str(struct mime_buf *b, const char *s)
{
	mime_buf_add(b, s, strlen(s));
}

void mime_buf_printf(struct mime_buf *b, const char *fmt, ...)
{
	char small[512], *big;
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < sizeof(small)) {
		mime_buf_add(b, small, (size_t)n);
		return;
	}
	if (!(big = malloc((size_t)n + 1))) {
		fail(b);
		return;
	}
	va_start(ap, fmt);
	vsnprintf(big, (size_t)n + 1, fmt, ap);
	va_end(ap);
	mime_buf_add(b, big, (size_t)n);
	free(big);
}

void mime_buf_html(struct mime_buf *b, const char *s)
{
	for (const char *p = s; *p; p++) {
		switch (*p) {
		case '&': mime_buf_str(b, "&amp;"); break;
		case '<': mime_buf_str(b, "&lt;"); break;
		case '>': mime_buf_str(b, "&gt;"); break;
		case '"': mime_buf_str(b, "&quot;"); break;
		case '\'': mime_buf_str(b, "&#39;"); break;
		default: mime_buf_add(b, p, 1);
		}
	}
}

char *mime_buf_take(struct mime_buf *b, size_t *len)
{
	char *s = b->failed ? NULL : b->s;

	if (len)
		*len = b->failed ? 0 : b->len;
	if (s == NULL && !b->failed) /* nothing appended: an empty string */
		s = strdup("");
	memset(b, 0, sizeof(*b));
	return s;
}

/* Appends n bytes as base64 (no line breaks). */
static void add_base64(struct mime_buf *b, const unsigned char *p, size_t n)
{
	unsigned char out[4 * ((LINE_RAW + 2) / 3) + 1];

	while (n > 0) {
		size_t k = n < LINE_RAW ? n : LINE_RAW;
		int m = EVP_EncodeBlock(out, p, (int)k);

		mime_buf_add(b, (const char *)out, (size_t)m);
		p += k;
		n -= k;
	}
}

/* A body part: s with LF made CRLF, as base64 lines of 76. */
static void add_body(struct mime_buf *b, const char *s)
{
	struct mime_buf crlf = {0};

	for (const char *p = s; *p; p++) {
		if (*p == '\n' && (p == s || p[-1] != '\r'))
			mime_buf_add(&crlf, "\r", 1);
		mime_buf_add(&crlf, p, 1);
	}
	if (crlf.failed) {
		fail(b);
		return;
	}
	for (size_t off = 0; off < crlf.len; off += LINE_RAW) {
		size_t k = crlf.len - off < LINE_RAW ? crlf.len - off : LINE_RAW;

		add_base64(b, (const unsigned char *)crlf.s + off, k); /* one line */
		mime_buf_add(b, "\r\n", 2);
	}
	free(crlf.s);
}

static bool plain_ascii(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return strlen(s) <= 60; /* longer would need folding: encoded words fold */
}

void mime_header_value(struct mime_buf *b, const char *s)
{
	size_t n = strlen(s), off = 0;

	if (plain_ascii(s)) {
		mime_buf_str(b, s);
		return;
	}
	while (off < n || off == 0) {
		size_t k = n - off < WORD_RAW ? n - off : WORD_RAW;

		/* Never cut a character: back off to the start of the one cut. */
		while (off + k < n && k > 0 && ((unsigned char)s[off + k] & 0xC0) == 0x80)
			k--;
		if (off > 0)
			mime_buf_str(b, "\r\n ");
		mime_buf_str(b, "=?UTF-8?B?");
		add_base64(b, (const unsigned char *)s + off, k);
		mime_buf_str(b, "?=");
		off += k;
		if (k == 0)
			break;
	}
}

bool mime_address_ok(const char *s, size_t n)
{
	const char *at = NULL, *dot;

	if (n < 3 || n > 254)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c <= 0x20 || c >= 0x7f || strchr("\"<>(),;:\\[]", c))
			return false;
		if (c == '@') {
			if (at)
				return false;
			at = s + i;
		}
	}
	if (!at || at == s || at == s + n - 1)
		return false;
	dot = memchr(at, '.', (size_t)(s + n - at));
	return dot && dot > at + 1 && dot < s + n - 1 && s[n - 1] != '.';
}

/* "Mon, 07 Dec 2026 01:07:36 +0000" from "2026-12-07T01:07:36Z"; no
 * locale is consulted. */
static void date_header(const char *iso, char *out, size_t n)
{
	static const char *const days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
	static const char *const months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
					     "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
	int y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0;
	long days_since;

	if (sscanf(iso, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6 ||
	    !date_valid(iso, 10))
		iso = "1970-01-01", y = 1970, mo = 1, d = 1, h = mi = sec = 0;
	days_since = date_days(iso); /* 1970-01-01, day 0, was a Thursday */
	snprintf(out, n, "%s, %02d %s %04d %02d:%02d:%02d +0000",
		 days[((days_since % 7) + 11) % 7], d, months[mo - 1], y, h, mi, sec);
}

char *mime_build(const struct mime_message *m, size_t *len)
{
	struct mime_buf b = {0};
	char date[64], boundary[80];
	unsigned long h = 5381;

	/* The boundary follows from the Message-ID (stable when sent again);
	 * base64 and our headers never hold "=_dp_". */
	for (const char *p = m->message_id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	snprintf(boundary, sizeof(boundary), "=_dp_%016lx", h);
	date_header(m->created_at, date, sizeof(date));

	mime_buf_str(&b, "From: ");
	if (m->from_name && *m->from_name) {
		mime_header_value(&b, m->from_name);
		mime_buf_printf(&b, " <%s>\r\n", m->from);
	} else {
		mime_buf_printf(&b, "%s\r\n", m->from);
	}
	mime_buf_printf(&b, "To: %s\r\n", m->to);
	mime_buf_str(&b, "Subject: ");
	mime_header_value(&b, m->subject);
	mime_buf_printf(&b, "\r\nDate: %s\r\nMessage-ID: %s\r\n", date, m->message_id);
	/* RFC 3834: an automatic message; out-of-office replies leave it alone. */
	mime_buf_str(&b, "Auto-Submitted: auto-generated\r\nX-Auto-Response-Suppress: All\r\n");
	mime_buf_printf(&b, "MIME-Version: 1.0\r\nContent-Type: multipart/alternative; "
			"boundary=\"%s\"\r\n\r\n", boundary);
	mime_buf_printf(&b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	add_body(&b, m->text);
	mime_buf_printf(&b, "--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
			"Content-Transfer-Encoding: base64\r\n\r\n", boundary);
	add_body(&b, m->html);
	mime_buf_printf(&b, "--%s--\r\n", boundary);
	return mime_buf_take(&b, len);
}
