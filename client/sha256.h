/*
 * sha256.h: SHA-256 of a stream of bytes, for the evidence files
 * (files.c).  libcrypto on POSIX (sha256.c); Windows' own BCrypt in the
 * Windows build (win/sha256_win.c), so dotpha.exe links no OpenSSL.
 */
#ifndef DOTPHA_SHA256_H
#define DOTPHA_SHA256_H

#include <stddef.h>

struct sha256; /* opaque */

/* A new digest, or NULL when out of memory.  The caller frees it with
 * sha256_free(). */
struct sha256 *sha256_new(void);

/* Adds data[0..n) to the digest. */
void sha256_update(struct sha256 *h, const void *data, size_t n);

/* Writes the digest of everything added into out.  Returns 0, or -1 if
 * the library failed.  h is done with after this (free it). */
int sha256_final(struct sha256 *h, unsigned char out[32]);

/* Frees h (NULL is fine). */
void sha256_free(struct sha256 *h);

#endif
