/*
 * sha256.c: see sha256.h.  libcrypto's EVP interface.
 */
#include "sha256.h"

#include <openssl/evp.h>

struct sha256 {
	EVP_MD_CTX *ctx;
};

struct sha256 *sha256_new(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1)
		return (struct sha256 *)ctx;
	EVP_MD_CTX_free(ctx);
	return NULL;
}

void sha256_update(struct sha256 *h, const void *data, size_t n)
{
	EVP_DigestUpdate((EVP_MD_CTX *)h, data, n);
}

int sha256_final(struct sha256 *h, unsigned char out[32])
{
	unsigned int len = 32;

	return EVP_DigestFinal_ex((EVP_MD_CTX *)h, out, &len) == 1 && len == 32 ? 0 : -1;
}

void sha256_free(struct sha256 *h)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}
