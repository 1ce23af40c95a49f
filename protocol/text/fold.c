/*
 * fold.c: the folding of text for search (fold.h).  A table per block of
 * code points that holds Vietnamese letters: Latin-1, Latin Extended-A/B
 * (ă đ ĩ ũ ơ ư) and Latin Extended Additional (the toned vowels ạ..ỹ).
 */
#include "fold.h"

#include <stdint.h>

#include "utf8.h"

/* U+00C0..U+00FF folded to a lowercase ASCII letter, 0: kept as it is.
 * Ð/ð (eth) fold to d too: they look like Đ/đ and get typed for them. */
static const char latin1[64] = "aaaaaa\0c" "eeeeiiii" "dnooooo\0" "\0uuuuy\0\0"
			       "aaaaaa\0c" "eeeeiiii" "dnooooo\0" "\0uuuuy\0y";

/* U+1EA0..U+1EF9, the toned Vietnamese vowels, upper and lower in pairs:
 * the vowel each block of them folds to. */
static char extended_additional(uint32_t cp)
{
	if (cp <= 0x1EB7)
		return 'a';
	if (cp <= 0x1EC7)
		return 'e';
	if (cp <= 0x1ECB)
		return 'i';
	if (cp <= 0x1EE3)
		return 'o';
	if (cp <= 0x1EF1)
		return 'u';
	return 'y';
}

/* The ASCII letter code point cp folds to; 0: keep it; -1: drop it (a
 * combining mark). */
static int fold_cp(uint32_t cp)
{
	if (cp < 0x80)
		return cp >= 'A' && cp <= 'Z' ? (int)(cp - 'A' + 'a') : (int)cp;
	if (cp >= 0xC0 && cp <= 0xFF)
		return latin1[cp - 0xC0];
	/* Latin-1's and General Punctuation's spaces, quotes, dashes and
	 * ellipsis: word breaks, as ASCII punctuation is to the tokenizer. */
	if ((cp >= 0xA0 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F))
		return ' ';
	if (cp >= 0x300 && cp <= 0x36F)
		return -1;
	if (cp >= 0x1EA0 && cp <= 0x1EF9)
		return extended_additional(cp);
	switch (cp) {
	case 0x102: case 0x103: return 'a';  /* Ă ă */
	case 0x110: case 0x111: return 'd';  /* Đ đ */
	case 0x128: case 0x129: return 'i';  /* Ĩ ĩ */
	case 0x168: case 0x169: return 'u';  /* Ũ ũ */
	case 0x1A0: case 0x1A1: return 'o';  /* Ơ ơ */
	case 0x1AF: case 0x1B0: return 'u';  /* Ư ư */
	default: return 0;
	}
}

size_t fold_text(const char *in, size_t len, char *out, size_t *map)
{
	size_t i = 0, o = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(in + i, len - i, &cp);
		int f;

		if (n == 0) {             /* an invalid byte: a word break */
			if (map)
				map[o] = i;
			out[o++] = ' ';
			i++;
			continue;
		}
		f = fold_cp(cp);
		if (f > 0) {
			if (map)
				map[o] = i;
			out[o++] = (char)f;
		} else if (f == 0) {
			for (size_t k = 0; k < n; k++) {
				if (map)
					map[o] = i;
				out[o++] = in[i + k];
			}
		}
		i += n;
	}
	if (map)
		map[o] = len;
	out[o] = '\0';
	return o;
}

bool fold_word_byte(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

size_t fold_name(const char *in, size_t len, char *out)
{
	size_t k = 0, n = fold_text(in, len, out, NULL);

	/* In place: k never passes i. */
	for (size_t i = 0; i < n; i++) {
		char ch = out[i] == '_' || out[i] == '\t' ? ' ' : out[i];

		if (ch == ' ' && (k == 0 || out[k - 1] == ' '))
			continue;
		out[k++] = ch;
	}
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	return k;
}
