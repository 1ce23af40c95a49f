/*
 * tls.c: see tls.h.  Each call clears OpenSSL's error queue first, so a
 * failure reported is this connection's and not a leftover of another's.
 */
#include "tls.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

/* The reason of OpenSSL's last error, or fallback. */
static void last_error(char *msg, size_t msglen, const char *what, const char *fallback)
{
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;

	snprintf(msg, msglen, "%s: %s", what, reason ? reason : fallback);
	ERR_clear_error();
}

/* Asks every client for a certificate that the CAs in file vouch for. */
static int require_clients(SSL_CTX *ctx, const char *file, char *msg, size_t msglen)
{
	STACK_OF(X509_NAME) *names = SSL_load_client_CA_file(file);

	if (!names || SSL_CTX_load_verify_locations(ctx, file, NULL) != 1) {
		sk_X509_NAME_pop_free(names, X509_NAME_free);
		last_error(msg, msglen, file, "cannot read the client CA certificates");
		return -1;
	}
	SSL_CTX_set_client_CA_list(ctx, names);
	SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, NULL);
	return 0;
}

struct ssl_ctx_st *tls_server_ctx(const char *cert_file, const char *key_file,
				  const char *client_ca_file, char *msg, size_t msglen)
{
	SSL_CTX *ctx;

	ERR_clear_error();
	ctx = SSL_CTX_new(TLS_server_method());
	if (!ctx) {
		last_error(msg, msglen, "TLS", "cannot make a context");
		return NULL;
	}
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	/* No renegotiation (a cheap way for a peer to make us work), no
	 * session tickets (the client does not resume), and buffers released
	 * while a connection is quiet: idle offices cost little memory. */
	SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET |
				 SSL_OP_CIPHER_SERVER_PREFERENCE);
	SSL_CTX_set_num_tickets(ctx, 0);
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
	if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
		last_error(msg, msglen, cert_file, "cannot read the certificate");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1) {
		last_error(msg, msglen, key_file, "cannot read the key");
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (SSL_CTX_check_private_key(ctx) != 1) {
		snprintf(msg, msglen, "%s is not the key of the certificate %s", key_file, cert_file);
		ERR_clear_error();
		SSL_CTX_free(ctx);
		return NULL;
	}
	if (client_ca_file && require_clients(ctx, client_ca_file, msg, msglen) < 0) {
		SSL_CTX_free(ctx);
		return NULL;
	}
	return ctx;
}

void tls_ctx_free(struct ssl_ctx_st *ctx)
{
	SSL_CTX_free(ctx);
}

int tls_cert_fingerprint(const char *cert_file, char out[TLS_FINGERPRINT_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;
	FILE *f = fopen(cert_file, "r");
	X509 *x;

	if (!f)
		return -1;
	x = PEM_read_X509(f, NULL, NULL, NULL);
	fclose(f);
	if (!x || X509_digest(x, EVP_sha256(), md, &len) != 1 || len != 32) {
		X509_free(x);
		ERR_clear_error();
		return -1;
	}
	X509_free(x);
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 3 * i, 4, i + 1 < len ? "%02X:" : "%02X", md[i]);
	return 0;
}

int tls_conn_init(struct tls_conn *t, struct ssl_ctx_st *ctx)
{
	memset(t, 0, sizeof(*t));
	t->ssl = SSL_new(ctx);
	t->rbio = BIO_new(BIO_s_mem());
	t->wbio = BIO_new(BIO_s_mem());
	if (!t->ssl || !t->rbio || !t->wbio) {
		BIO_free(t->rbio);
		BIO_free(t->wbio);
		SSL_free(t->ssl);
		memset(t, 0, sizeof(*t));
		ERR_clear_error();
		return -1;
	}
	/* An empty read BIO means "wait for more", not EOF. */
	BIO_set_mem_eof_return(t->rbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_accept_state(t->ssl);
	return 0;
}

void tls_conn_free(struct tls_conn *t)
{
	SSL_free(t->ssl); /* frees both BIOs */
	memset(t, 0, sizeof(*t));
}

/* Says why the call that returned rc failed, if it did: 0 if it only
 * wants more input. */
static int failed(struct tls_conn *t, int rc, const char *what, char *msg, size_t msglen)
{
	int e = SSL_get_error(t->ssl, rc);

	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 0;
	if (e == SSL_ERROR_ZERO_RETURN)
		return TLS_CLOSED;
	last_error(msg, msglen, what, "the peer broke the TLS stream");
	return TLS_FAILED;
}

int tls_conn_input(struct tls_conn *t, const void *p, size_t n, char *msg, size_t msglen)
{
	int rc;

	ERR_clear_error();
	if (n > 0 && !t->got_input) {
		t->got_input = true;
		t->first = *(const unsigned char *)p;
	}
	/* OpenSSL would take a MessagePack array's first byte for an SSLv2
	 * header and wait for kilobytes that never come: refuse at once. */
	if (t->got_input && t->first != TLS_RECORD_HANDSHAKE) {
		snprintf(msg, msglen, "the first byte is 0x%02x, not a TLS handshake", t->first);
		return TLS_FAILED;
	}
	if (n > 0 && BIO_write(t->rbio, p, (int)n) != (int)n) {
		snprintf(msg, msglen, "TLS: out of memory");
		return TLS_FAILED;
	}
	if (t->ready)
		return TLS_OK;
	rc = SSL_do_handshake(t->ssl);
	if (rc == 1) {
		t->ready = true;
		return TLS_OK;
	}
	return failed(t, rc, "TLS handshake failed", msg, msglen) == TLS_FAILED ? TLS_FAILED
									       : TLS_OK;
}

long tls_conn_read(struct tls_conn *t, void *buf, size_t cap, char *msg, size_t msglen)
{
	int rc;

	ERR_clear_error();
	if (!t->ready)
		return 0;
	rc = SSL_read(t->ssl, buf, cap > 1 << 30 ? 1 << 30 : (int)cap);
	if (rc > 0)
		return rc;
	return failed(t, rc, "TLS", msg, msglen);
}

int tls_conn_write(struct tls_conn *t, const void *p, size_t n)
{
	ERR_clear_error();
	if (!t->ready || t->notified || n > INT32_MAX)
		return -1;
	if (n == 0)
		return 0;
	if (SSL_write(t->ssl, p, (int)n) != (int)n) {
		ERR_clear_error();
		return -1;
	}
	return 0;
}

void tls_conn_notify(struct tls_conn *t)
{
	if (!t->ready || t->notified)
		return;
	t->notified = true;
	ERR_clear_error();
	SSL_shutdown(t->ssl);
	ERR_clear_error();
}

size_t tls_conn_output(struct tls_conn *t, char **out)
{
	size_t n = t->wbio ? BIO_ctrl_pending(t->wbio) : 0;

	*out = NULL;
	if (n == 0 || !(*out = malloc(n)))
		return 0;
	if (BIO_read(t->wbio, *out, (int)n) != (int)n) {
		free(*out);
		*out = NULL;
		return 0;
	}
	return n;
}

void tls_conn_describe(const struct tls_conn *t, char *out, size_t n)
{
	X509 *peer = SSL_get0_peer_certificate(t->ssl);
	char who[200] = "";

	if (peer)
		X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, who,
					  sizeof(who));
	snprintf(out, n, "%s %s%s%s", SSL_get_version(t->ssl), SSL_get_cipher_name(t->ssl),
		 peer ? ", client certificate " : "", who);
}

/* Adds the subjectAltName extension: an IP address where a name parses as
 * one, else a DNS name. */
static int add_names(X509 *x, const char *const *names, size_t nnames)
{
	GENERAL_NAMES *gens = sk_GENERAL_NAME_new_null();
	int ok = gens != NULL;

	for (size_t i = 0; ok && i < nnames; i++) {
		ASN1_OCTET_STRING *ip = a2i_IPADDRESS(names[i]);
		GENERAL_NAME *g = GENERAL_NAME_new();

		if (!g) {
			ASN1_OCTET_STRING_free(ip);
			ok = 0;
			break;
		}
		if (ip) {
			GENERAL_NAME_set0_value(g, GEN_IPADD, ip);
		} else {
			ASN1_IA5STRING *s = ASN1_IA5STRING_new();

			ERR_clear_error(); /* a2i_IPADDRESS's complaint about a name */
			if (!s || !ASN1_STRING_set(s, names[i], -1)) {
				ASN1_IA5STRING_free(s);
				GENERAL_NAME_free(g);
				ok = 0;
				break;
			}
			GENERAL_NAME_set0_value(g, GEN_DNS, s);
		}
		if (!sk_GENERAL_NAME_push(gens, g)) {
			GENERAL_NAME_free(g);
			ok = 0;
		}
	}
	ok = ok && X509_add1_ext_i2d(x, NID_subject_alt_name, gens, 0, 0) == 1;
	GENERAL_NAMES_free(gens);
	return ok ? 0 : -1;
}

/* Writes the PEM of x or of key to path, created with mode. */
static int write_pem(const char *path, mode_t mode, X509 *x, EVP_PKEY *key, char *msg,
		     size_t msglen)
{
	int fd, ok;
	FILE *f;

	unlink(path); /* a key file must not keep an old file's looser mode */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 || !(f = fdopen(fd, "w"))) {
		snprintf(msg, msglen, "cannot write %s", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	ok = x ? PEM_write_X509(f, x) : PEM_write_PrivateKey(f, key, NULL, NULL, 0, NULL, NULL);
	if (fclose(f) != 0 || ok != 1) {
		snprintf(msg, msglen, "cannot write %s", path);
		return -1;
	}
	return 0;
}

int tls_make_cert(const char *cert_file, const char *key_file, const char *const *names,
		  size_t nnames, long from_days, long days, char *msg, size_t msglen)
{
	EVP_PKEY *key = NULL;
	X509 *x = NULL;
	X509_NAME *subject;
	unsigned char serial[16];
	BIGNUM *bn = NULL;
	int rc = -1;

	ERR_clear_error();
	if (nnames == 0 || days < 1) {
		snprintf(msg, msglen, "a certificate needs a name and at least one day");
		return -1;
	}
	key = EVP_EC_gen("P-256");
	x = X509_new();
	if (!key || !x || RAND_bytes(serial, sizeof(serial)) != 1)
		goto fail;
	serial[0] &= 0x7f; /* a positive serial */
	bn = BN_bin2bn(serial, sizeof(serial), NULL);
	if (!bn || !BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(x)))
		goto fail;
	subject = X509_get_subject_name(x);
	if (X509_set_version(x, 2) != 1 ||
	    !X509_gmtime_adj(X509_getm_notBefore(x), from_days * 86400L) ||
	    !X509_gmtime_adj(X509_getm_notAfter(x), (from_days + days) * 86400L) ||
	    X509_NAME_add_entry_by_txt(subject, "O", MBSTRING_UTF8,
				       (const unsigned char *)"dotphad", -1, -1, 0) != 1 ||
	    X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
				       (const unsigned char *)names[0], -1, -1, 0) != 1 ||
	    X509_set_issuer_name(x, subject) != 1 || X509_set_pubkey(x, key) != 1 ||
	    add_names(x, names, nnames) < 0 || X509_sign(x, key, EVP_sha256()) == 0)
		goto fail;
	if (write_pem(key_file, 0600, NULL, key, msg, msglen) < 0 ||
	    write_pem(cert_file, 0644, x, NULL, msg, msglen) < 0)
		goto out;
	rc = 0;
	goto out;
fail:
	last_error(msg, msglen, "cannot make the certificate", "OpenSSL failed");
out:
	BN_free(bn);
	X509_free(x);
	EVP_PKEY_free(key);
	return rc;
}
