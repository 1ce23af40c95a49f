/*
 * fold.h: folding text for search.  Vietnamese letters lose every mark
 * (tone, breve, circumflex, horn) and đ/Đ becomes d, which SQLite's
 * unicode61 folding does not do since đ is a letter of its own; ASCII and
 * Vietnamese letters are lowercased; the punctuation and spaces of Latin-1
 * and General Punctuation (« » – “ ” … no-break space) become spaces; other
 * characters are kept as they are (the FTS5 tokenizer casefolds them).  "ĐỘT PHÁ", "đột phá" and "dot pha"
 * fold to the same "dot pha".
 */
#ifndef DOTPHA_FOLD_H
#define DOTPHA_FOLD_H

#include <stdbool.h>
#include <stddef.h>

/* Folds in[0..len) into out, which must hold len + 1 bytes: the result is
 * never longer than the input (each character folds to itself or to one
 * ASCII letter; combining marks vanish; an invalid byte becomes one space).
 * out is NUL-terminated.  When map is not NULL (len + 1 entries), map[i] is
 * the offset in `in` of the character output byte i came from, and
 * map[result] is len, so a span of the folded text maps back to the
 * original.  Returns the folded length. */
size_t fold_text(const char *in, size_t len, char *out, size_t *map);

/* in[0..len) folded for comparing a name a person types with a code or a
 * label ("Tên việc", "TEN_VIEC", " tên  việc " all give "ten viec"):
 * fold_text's, with '_' and tabs as blanks, runs of blanks as one and none
 * at either end.  out holds len + 1 bytes; returns the length. */
size_t fold_name(const char *in, size_t len, char *out);

/* True for a byte that is part of a search word in folded text: an ASCII
 * letter or digit, or any byte of a non-ASCII character. */
bool fold_word_byte(unsigned char c);

#endif
