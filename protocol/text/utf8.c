/*
 * utf8.c: see utf8.h.
 */
#include "utf8.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Decodes one code point at s (n bytes left).  Returns its length, or 0 if
 * the sequence is malformed. */
static size_t decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c;
	size_t len;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

size_t utf8_decode(const char *s, size_t n, uint32_t *cp)
{
	return decode((const unsigned char *)s, n, cp);
}

bool utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = decode(p + i, n - i, &cp);

		if (len == 0 || cp == 0)
			return false;
		i += len;
	}
	return true;
}

static int cp_width(uint32_t c)
{
	if ((c >= 0x0300 && c <= 0x036f) || (c >= 0x1ab0 && c <= 0x1aff) ||
	    (c >= 0x1dc0 && c <= 0x1dff) || (c >= 0x20d0 && c <= 0x20ff) ||
	    (c >= 0xfe20 && c <= 0xfe2f) || c == 0x200b || c == 0x200d)
		return 0;
	if ((c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
	    (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
	    (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
	    (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x1f300 && c <= 0x1f64f) ||
	    (c >= 0x1f900 && c <= 0x1f9ff) || (c >= 0x20000 && c <= 0x3fffd))
		return 2;
	return 1;
}

size_t utf8_prefix(const char *s, size_t n, size_t cols, size_t *width)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0;

	while (i < n) {
		uint32_t cp = 0xfffd;
		size_t len = decode(p + i, n - i, &cp);
		int cw;

		if (len == 0)
			len = 1;
		cw = cp_width(cp);
		if (w + (size_t)cw > cols)
			break;
		w += (size_t)cw;
		i += len;
	}
	if (width)
		*width = w;
	return i;
}

size_t utf8_width(const char *s, size_t n)
{
	size_t w;

	utf8_prefix(s, n, (size_t)-1, &w);
	return w;
}

bool utf8_is_bidi_control(uint32_t cp)
{
	return (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

uint32_t utf8_bidi_control(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = decode(p + i, n - i, &cp);

		if (len == 0) {
			i++;
			continue;
		}
		if (utf8_is_bidi_control(cp))
			return cp;
		i += len;
	}
	return 0;
}

const char *utf8_escaped(const char *s, size_t n, char *buf, size_t size)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, used = 0;

	buf[0] = '\0';
	while (i < n) {
		char esc[16];
		const char *piece = esc;
		size_t len, plen;
		uint32_t cp;

		len = decode(p + i, n - i, &cp);
		if (len == 0) {
			snprintf(esc, sizeof(esc), "\\x%02X", p[i]);
			len = 1;
		} else if (cp < 0x20 || cp == 0x7f) {
			snprintf(esc, sizeof(esc), "\\x%02X", (unsigned)cp);
		} else if ((cp >= 0x80 && cp <= 0x9f) || utf8_is_bidi_control(cp)) {
			snprintf(esc, sizeof(esc), "\\u%04X", (unsigned)cp);
		} else {
			piece = s + i;
		}
		plen = piece == esc ? strlen(esc) : len;
		if (used + plen >= size) {
			/* Cut before this piece, saying so when there is room. */
			while (used > 0 && used + 3 >= size) {
				used--; /* back to the start of a character */
				while (used > 0 && ((unsigned char)buf[used] & 0xc0) == 0x80)
					used--;
			}
			if (used + 3 < size) {
				memcpy(buf + used, "...", 3);
				used += 3;
			}
			buf[used] = '\0';
			return buf;
		}
		memcpy(buf + used, piece, plen);
		used += plen;
		buf[used] = '\0';
		i += len;
	}
	return buf;
}

void utf8_tidy(char *s)
{
	unsigned char *p = (unsigned char *)s;
	size_t n = strlen(s), i = 0;

	while (i < n) {
		uint32_t cp;
		size_t len = decode(p + i, n - i, &cp), want, k;

		if (len > 0) {
			i += len;
			continue;
		}
		want = p[i] >= 0xf0 ? 4 : p[i] >= 0xe0 ? 3 : 2;
		for (k = 1; i + k < n && (p[i + k] & 0xc0) == 0x80; k++)
			;
		if (p[i] >= 0xc2 && p[i] <= 0xf4 && i + k == n && k < want) {
			p[i] = '\0'; /* a character cut at the end */
			return;
		}
		p[i++] = '?';
	}
}
