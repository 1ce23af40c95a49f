/*
 * utf16.h (Windows build): UTF-8 <-> UTF-16, the two encodings a name
 * crosses between dotpha (UTF-8 throughout) and the wide-character calls
 * of Windows.
 */
#ifndef DOTPHA_WIN_UTF16_H
#define DOTPHA_WIN_UTF16_H

#include <wchar.h>

/* A malloc'ed UTF-16 copy of UTF-8 s, with every '/' turned into '\\' when
 * path is nonzero; NULL when s is not UTF-8 or out of memory (errno set).
 * The caller frees it. */
wchar_t *utf16_from_utf8(const char *s, int path);

/* A malloc'ed UTF-8 copy of the UTF-16 w; NULL when out of memory.  The
 * caller frees it. */
char *utf16_to_utf8(const wchar_t *w);

#endif
