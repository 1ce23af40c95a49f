/*
 * crypto.h: the few primitives dotphad needs from OpenSSL's libcrypto:
 * random bytes from the operating system's CSPRNG, SHA-256, and a
 * comparison whose time does not depend on where the bytes differ.
 */
#ifndef DOTPHA_CRYPTO_H
#define DOTPHA_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>

#define CRYPTO_SHA256_LEN 32
#define CRYPTO_TOKEN_PREFIX "dp1_"
#define CRYPTO_TOKEN_LEN (4 + 64) /* prefix and 256 bits in hex */

/* Fills buf with n random bytes.  Returns 0, or -1 if the CSPRNG failed. */
int crypto_random(void *buf, size_t n);

/* out = SHA-256(data[0..n)). */
void crypto_sha256(const void *data, size_t n, unsigned char out[CRYPTO_SHA256_LEN]);

/* SHA-256 over bytes that come in pieces (an evidence file's chunks):
 * crypto_hash_new() (NULL when out of memory), any number of
 * crypto_hash_add(), then crypto_hash_end(), which writes the digest and
 * frees the context.  crypto_hash_free() frees one given up on; NULL is
 * fine. */
struct crypto_hash;
struct crypto_hash *crypto_hash_new(void);
void crypto_hash_add(struct crypto_hash *h, const void *data, size_t n);
void crypto_hash_end(struct crypto_hash *h, unsigned char out[CRYPTO_SHA256_LEN]);
void crypto_hash_free(struct crypto_hash *h);

/* Constant-time equality of two n-byte buffers. */
bool crypto_equal(const void *a, const void *b, size_t n);

/* Makes a new token "dp1_<64 hex>" into out (CRYPTO_TOKEN_LEN + 1 bytes) and
 * its hash.  Returns 0 or -1. */
int crypto_new_token(char out[CRYPTO_TOKEN_LEN + 1], unsigned char hash[CRYPTO_SHA256_LEN]);

/* True if s[0..n) has the shape of a token (prefix, 64 lowercase hex). */
bool crypto_token_shape(const char *s, size_t n);

/* Frees what OpenSSL keeps for the calling thread (its error queue, its
 * random generators).  A job on libuv's pool that used TLS (the mailer's
 * relay, through libcurl) calls it before returning: the pool's threads
 * live until the process ends, after OpenSSL's own cleanup, so that state
 * would otherwise never be freed. */
void crypto_thread_end(void);

#endif
