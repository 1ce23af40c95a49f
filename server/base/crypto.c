/*
 * crypto.c: see crypto.h.
 */
#include "crypto.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

int crypto_random(void *buf, size_t n)
{
	return RAND_bytes(buf, (int)n) == 1 ? 0 : -1;
}

void crypto_sha256(const void *data, size_t n, unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int len = CRYPTO_SHA256_LEN;

	EVP_Digest(data, n, out, &len, EVP_sha256(), NULL);
}

/* The context is OpenSSL's own, behind our name so that callers see no
 * OpenSSL header. */
struct crypto_hash *crypto_hash_new(void)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();

	if (ctx && EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1) {
		EVP_MD_CTX_free(ctx);
		ctx = NULL;
	}
	return (struct crypto_hash *)ctx;
}

void crypto_hash_add(struct crypto_hash *h, const void *data, size_t n)
{
	if (n)
		EVP_DigestUpdate((EVP_MD_CTX *)h, data, n);
}

void crypto_hash_end(struct crypto_hash *h, unsigned char out[CRYPTO_SHA256_LEN])
{
	unsigned int len = CRYPTO_SHA256_LEN;

	EVP_DigestFinal_ex((EVP_MD_CTX *)h, out, &len);
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

void crypto_hash_free(struct crypto_hash *h)
{
	EVP_MD_CTX_free((EVP_MD_CTX *)h);
}

bool crypto_equal(const void *a, const void *b, size_t n)
{
	return CRYPTO_memcmp(a, b, n) == 0;
}

int crypto_new_token(char out[CRYPTO_TOKEN_LEN + 1], unsigned char hash[CRYPTO_SHA256_LEN])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[32];
	size_t p = strlen(CRYPTO_TOKEN_PREFIX);

	if (crypto_random(raw, sizeof(raw)) < 0)
		return -1;
	memcpy(out, CRYPTO_TOKEN_PREFIX, p);
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[p + 2 * i] = hex[raw[i] >> 4];
		out[p + 2 * i + 1] = hex[raw[i] & 15];
	}
	out[CRYPTO_TOKEN_LEN] = '\0';
	OPENSSL_cleanse(raw, sizeof(raw));
	crypto_sha256(out, CRYPTO_TOKEN_LEN, hash);
	return 0;
}

bool crypto_token_shape(const char *s, size_t n)
{
	size_t p = strlen(CRYPTO_TOKEN_PREFIX);

	if (n != CRYPTO_TOKEN_LEN || memcmp(s, CRYPTO_TOKEN_PREFIX, p) != 0)
		return false;
	for (size_t i = p; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

void crypto_thread_end(void)
{
	OPENSSL_thread_stop();
}
