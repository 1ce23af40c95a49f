/*
 * sha256_win.c: see sha256.h.  Windows' own BCrypt (CNG).
 */
#include "sha256.h"

#include <stdlib.h>

#include <windows.h>
#include <bcrypt.h>

struct sha256 {
	BCRYPT_ALG_HANDLE alg;
	BCRYPT_HASH_HANDLE hash;
	int failed; /* an update failed: the digest is not to be trusted */
};

struct sha256 *sha256_new(void)
{
	struct sha256 *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	if (!BCRYPT_SUCCESS(BCryptOpenAlgorithmProvider(&h->alg, BCRYPT_SHA256_ALGORITHM, NULL, 0))) {
		free(h);
		return NULL;
	}
	if (!BCRYPT_SUCCESS(BCryptCreateHash(h->alg, &h->hash, NULL, 0, NULL, 0, 0))) {
		BCryptCloseAlgorithmProvider(h->alg, 0);
		free(h);
		return NULL;
	}
	return h;
}

void sha256_update(struct sha256 *h, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n > 0) {
		ULONG chunk = n > 0x40000000 ? 0x40000000 : (ULONG)n;

		if (!BCRYPT_SUCCESS(BCryptHashData(h->hash, (PUCHAR)p, chunk, 0)))
			h->failed = 1;
		p += chunk;
		n -= chunk;
	}
}

int sha256_final(struct sha256 *h, unsigned char out[32])
{
	return !h->failed && BCRYPT_SUCCESS(BCryptFinishHash(h->hash, out, 32, 0)) ? 0 : -1;
}

void sha256_free(struct sha256 *h)
{
	if (!h)
		return;
	BCryptDestroyHash(h->hash);
	BCryptCloseAlgorithmProvider(h->alg, 0);
	free(h);
}
