/*
 * strbuf.c: see strbuf.h.
 */
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void strbuf_init(struct strbuf *sb)
{
	memset(sb, 0, sizeof(*sb));
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->buf);
	strbuf_init(sb);
}

void strbuf_reset(struct strbuf *sb)
{
	sb->len = 0;
	sb->failed = false;
	if (sb->buf)
		sb->buf[0] = '\0';
}

/* Makes room for n more bytes and the NUL. */
static int reserve(struct strbuf *sb, size_t n)
{
	size_t need, ncap;
	char *nbuf;

	if (sb->failed)
		return -1;
	if (n > (size_t)-1 / 2 - sb->len) {
		sb->failed = true;
		return -1;
	}
	need = sb->len + n + 1;
	if (need <= sb->cap)
		return 0;
	ncap = sb->cap ? sb->cap : 64;
	while (ncap < need)
		ncap *= 2;
	nbuf = realloc(sb->buf, ncap);
	if (!nbuf) {
		sb->failed = true;
		return -1;
	}
	sb->buf = nbuf;
	sb->cap = ncap;
	return 0;
}

int strbuf_add(struct strbuf *sb, const void *p, size_t n)
{
	if (reserve(sb, n) < 0)
		return -1;
	if (n)
		memcpy(sb->buf + sb->len, p, n);
	sb->len += n;
	sb->buf[sb->len] = '\0';
	return 0;
}

int strbuf_addc(struct strbuf *sb, char c)
{
	return strbuf_add(sb, &c, 1);
}

int strbuf_adds(struct strbuf *sb, const char *s)
{
	return strbuf_add(sb, s, strlen(s));
}

int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || reserve(sb, (size_t)n) < 0) {
		sb->failed = true;
		return -1;
	}
	va_start(ap, fmt);
	vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
	return 0;
}

const char *strbuf_cstr(const struct strbuf *sb)
{
	return sb->buf ? sb->buf : "";
}

char *strbuf_detach(struct strbuf *sb)
{
	char *p;

	if (sb->failed) {
		strbuf_free(sb);
		return NULL;
	}
	if (!sb->buf) {
		if (reserve(sb, 0) < 0)
			return NULL;
		sb->buf[0] = '\0';
	}
	p = sb->buf;
	strbuf_init(sb);
	return p;
}
