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

/* True for the bidirectional controls that reorder the text around them
 * (U+202A..U+202E embeddings and overrides, U+2066..U+2069 isolates): in
 * a label they make "f\u202Egpj.exe" show as "fexe.jpg". */
bool utf8_is_bidi_control(uint32_t cp);

/* The first bidirectional control in s[0..n), or 0 if there is none.
 * Malformed bytes are skipped. */
uint32_t utf8_bidi_control(const char *s, size_t n);

/* Copies s[0..n), bytes from a peer, into buf (size >= 1 bytes, always
 * NUL-terminated) as text safe to show and to send as a MessagePack str:
 * each byte that is not well-formed UTF-8 becomes "\xFF" (its value in hex),
 * control characters (U+0000..U+001F, U+007F) "\x0A", C1 controls and
 * bidirectional controls "\u202E".  Stops before a character or escape
 * that would not fit, and then ends with "..." when room allows.
 * Returns buf, so it can be an argument of a printf. */
const char *utf8_escaped(const char *s, size_t n, char *buf, size_t size);

/* Makes the NUL-terminated s well-formed UTF-8 in place, never longer: a
 * character cut at the end (by a truncating snprintf) is dropped, any other
 * malformed byte becomes '?'.  The last resort for text made from parts
 * that were not all checked; echo a peer's bytes with utf8_escaped(). */
void utf8_tidy(char *s);

#endif
