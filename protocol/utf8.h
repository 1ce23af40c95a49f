/*
 * utf8.h: strict UTF-8 validation (the server refuses anything else) and
 * display width (the client aligns Vietnamese text in tables, where a letter
 * may be one precomposed code point or a base plus combining marks).
 */
#ifndef DOTPHA_UTF8_H
#define DOTPHA_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Decodes the character at s[0..n) (n >= 1) into *cp.  Returns its length
 * in bytes, or 0 if it is not well-formed UTF-8 (overlong, a surrogate,
 * above U+10FFFF, cut short). */
size_t utf8_decode(const char *s, size_t n, uint32_t *cp);

/* True if s[0..n) is well-formed UTF-8: no overlong forms, no surrogates,
 * nothing above U+10FFFF, no NUL byte. */
bool utf8_valid(const char *s, size_t n);

/* Terminal columns s[0..n) takes: combining marks 0, East Asian wide 2,
 * everything else 1.  Invalid bytes count 1 each. */
size_t utf8_width(const char *s, size_t n);

/* The longest prefix of s[0..n), in bytes, whose width is at most cols,
 * never cutting a character or separating it from its combining marks.
 * *width receives that prefix's width. */
size_t utf8_prefix(const char *s, size_t n, size_t cols, size_t *width);

#endif
