/*
 * tls.c (client): see tls.h.
 */
#include "tls.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include "lang.h"

struct tls_client {
	SSL_CTX *ctx;
	SSL *ssl;   /* owns both BIOs */
	BIO *rbio;  /* bytes from the server, for OpenSSL */
	BIO *wbio;  /* bytes from OpenSSL, for the server */
};

void tls_client_free(struct tls_client *t)
{
	if (!t)
		return;
	SSL_free(t->ssl);
	SSL_CTX_free(t->ctx);
	free(t);
}

/* Hands OpenSSL's output to the socket. */
static int flush(struct tls_client *t, struct net *n, unsigned timeout_ms, char *msg,
		 size_t msglen)
{
	char buf[16384];
	int got;

	while ((got = BIO_read(t->wbio, buf, sizeof(buf))) > 0) {
		int st = net_send_all(n, buf, (size_t)got, timeout_ms, msg, msglen);

		if (st != NET_OK)
			return st;
	}
	return NET_OK;
}

/* Reads what the server sends into OpenSSL.  *first gets the very first
 * byte, if first is not NULL and nothing came before. */
static long feed(struct tls_client *t, struct net *n, unsigned timeout_ms, int *first,
		 char *msg, size_t msglen)
{
	char buf[16384];
	long got = net_recv(n, buf, sizeof(buf), timeout_ms, msg, msglen);

	if (got <= 0)
		return got;
	if (first && *first < 0)
		*first = (unsigned char)buf[0];
	if (BIO_write(t->rbio, buf, (int)got) != (int)got) {
		snprintf(msg, msglen, T("out of memory"));
		return NET_ERROR;
	}
	return got;
}

static void fingerprint(X509 *x, char out[TLS_CLIENT_FP_LEN])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned len = 0;

	out[0] = '\0';
	if (X509_digest(x, EVP_sha256(), md, &len) != 1 || len != 32)
		return;
	for (unsigned i = 0; i < len; i++)
		snprintf(out + 3 * i, 4, i + 1 < len ? "%02X:" : "%02X", md[i]);
}

/* Writes when x stops being valid, in local time (tls_client_utc_moment),
 * or "?". */
static void not_after(X509 *x, char *out, size_t n)
{
	struct tm tm;

	snprintf(out, n, "?");
	if (ASN1_TIME_to_tm(X509_get0_notAfter(x), &tm) == 1)
		tls_client_utc_moment(&tm, out, n);
}

static struct tls_client *make(const char *host, const struct tls_client_settings *s,
			       char *msg, size_t msglen)
{
	struct tls_client *t = calloc(1, sizeof(*t));

	if (!t || !(t->ctx = SSL_CTX_new(TLS_client_method())))
		goto fail;
	SSL_CTX_set_min_proto_version(t->ctx, TLS1_2_VERSION);
	if (s->ca_file) {
		if (SSL_CTX_load_verify_locations(t->ctx, s->ca_file, NULL) != 1) {
			snprintf(msg, msglen, T("cannot read the CA file %s"), s->ca_file);
			tls_client_free(t);
			ERR_clear_error();
			return NULL;
		}
		SSL_CTX_set_verify(t->ctx, SSL_VERIFY_PEER, NULL);
	}
	if (s->cert_file && (SSL_CTX_use_certificate_chain_file(t->ctx, s->cert_file) != 1 ||
			     SSL_CTX_use_PrivateKey_file(t->ctx, s->key_file ? s->key_file : s->cert_file,
							 SSL_FILETYPE_PEM) != 1 ||
			     SSL_CTX_check_private_key(t->ctx) != 1)) {
		snprintf(msg, msglen, T("cannot use the client certificate %s with the key %s"),
			 s->cert_file, s->key_file ? s->key_file : s->cert_file);
		tls_client_free(t);
		ERR_clear_error();
		return NULL;
	}
	if (!(t->ssl = SSL_new(t->ctx)) || !(t->rbio = BIO_new(BIO_s_mem())) ||
	    !(t->wbio = BIO_new(BIO_s_mem()))) {
		BIO_free(t->rbio);
		goto fail;
	}
	BIO_set_mem_eof_return(t->rbio, -1);
	SSL_set_bio(t->ssl, t->rbio, t->wbio);
	SSL_set_connect_state(t->ssl);
	if (s->ca_file) {
		X509_VERIFY_PARAM *vp = SSL_get0_param(t->ssl);

		/* An address is checked against the IP names, a name against DNS. */
		if (X509_VERIFY_PARAM_set1_ip_asc(vp, host) != 1) {
			ERR_clear_error();
			if (SSL_set1_host(t->ssl, host) != 1)
				goto fail;
		}
	}
	if (!isdigit((unsigned char)host[0]) && !strchr(host, ':'))
		SSL_set_tlsext_host_name(t->ssl, host);
	return t;
fail:
	snprintf(msg, msglen, T("cannot set up TLS (out of memory?)"));
	tls_client_free(t);
	ERR_clear_error();
	return NULL;
}

/* The server's alert about this client's certificate, as a sentence; 0
 * if the failure was something else. */
static int refused_client(unsigned long e, char *msg, size_t msglen)
{
	int r = ERR_GET_REASON(e);

	if (r == SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED) {
		snprintf(msg, msglen, T("the server requires a client certificate (the office's): give "
			 "--cert FILE --key FILE, or cert and key in the config file"));
		return 1;
	}
	if (r == SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE) {
		snprintf(msg, msglen, T("the server refused the TLS handshake; if it requires a client "
			 "certificate, give --cert FILE --key FILE"));
		return 1;
	}
	if (r == SSL_R_TLSV1_ALERT_UNKNOWN_CA || r == SSL_R_SSLV3_ALERT_BAD_CERTIFICATE ||
	    r == SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED) {
		snprintf(msg, msglen, T("the server refused this client's certificate (%s): ask its "
			 "administrator to add it"), ERR_reason_error_string(e));
		return 1;
	}
	return 0;
}

/* Why the handshake failed, after SSL_do_handshake returned rc. */
static int handshake_failure(struct tls_client *t, const char *host, int first, char *msg,
			     size_t msglen)
{
	long v = SSL_get_verify_result(t->ssl);
	unsigned long e = ERR_peek_last_error();
	const char *reason = e ? ERR_reason_error_string(e) : NULL;
	X509 *x = SSL_get0_peer_certificate(t->ssl);

	ERR_clear_error();
	if (first >= 0 && first != 0x15 && first != 0x16) {
		snprintf(msg, msglen, T("the server does not speak TLS (it answered in plaintext): it "
			 "may be a dotphad without --tls-cert; connect without TLS (loopback only) "
			 "or ask for TLS there"));
		return TLS_CLIENT_NOT_TLS;
	}
	if (v == X509_V_ERR_CERT_HAS_EXPIRED) {
		char when[64] = "?";

		if (x)
			not_after(x, when, sizeof(when));
		if (x)
			snprintf(msg, msglen, T("the server's certificate EXPIRED on %s; the server needs "
						"a new one (dotphad gen-cert)"), when);
		else
			snprintf(msg, msglen, T("the server's certificate EXPIRED; the server needs a new "
						"one (dotphad gen-cert)"));
		return TLS_CLIENT_UNTRUSTED;
	}
	if (v == X509_V_ERR_HOSTNAME_MISMATCH || v == X509_V_ERR_IP_ADDRESS_MISMATCH) {
		snprintf(msg, msglen, T("the server's certificate is NOT FOR '%s' (none of its names "
			 "matches): use the name the certificate was made for, or a certificate "
			 "that names it"), host);
		return TLS_CLIENT_UNTRUSTED;
	}
	if (v != X509_V_OK) {
		snprintf(msg, msglen, T("the server's certificate is NOT TRUSTED: %s"),
			 X509_verify_cert_error_string(v));
		return TLS_CLIENT_UNTRUSTED;
	}
	if (e && refused_client(e, msg, msglen))
		return TLS_CLIENT_FAILED;
	snprintf(msg, msglen, T("the TLS handshake failed: %s"), reason ? reason : T("the connection broke"));
	return TLS_CLIENT_FAILED;
}

/* After the handshake: the pin, or trust on first use, and the dates. */
static int verify(struct tls_client *t, const struct tls_client_settings *s,
		  char seen[TLS_CLIENT_FP_LEN], char *msg, size_t msglen)
{
	X509 *x = SSL_get0_peer_certificate(t->ssl);
	char when[64];

	if (!x) {
		snprintf(msg, msglen, T("the server sent no certificate"));
		return TLS_CLIENT_UNTRUSTED;
	}
	fingerprint(x, seen);
	if (s->ca_file)
		return NET_OK; /* OpenSSL checked chain, dates and name */
	if (tls_client_check_pin(s, seen, msg, msglen) != NET_OK)
		return TLS_CLIENT_UNTRUSTED;
	if (X509_cmp_current_time(X509_get0_notAfter(x)) < 0) {
		not_after(x, when, sizeof(when));
		snprintf(msg, msglen, T("the server's certificate EXPIRED on %s; the server needs a new "
			 "one (dotphad gen-cert)"), when);
		return TLS_CLIENT_UNTRUSTED;
	}
	if (X509_cmp_current_time(X509_get0_notBefore(x)) > 0) {
		snprintf(msg, msglen, T("the server's certificate is not valid yet: check the clocks"));
		return TLS_CLIENT_UNTRUSTED;
	}
	return NET_OK;
}

int tls_client_start(struct tls_client **out, struct net *n, const char *host,
		     const struct tls_client_settings *s, unsigned timeout_ms,
		     char seen_fp[TLS_CLIENT_FP_LEN], char *msg, size_t msglen)
{
	struct tls_client *t;
	int first = -1, st;

	*out = NULL;
	seen_fp[0] = '\0';
	ERR_clear_error();
	if (!(t = make(host, s, msg, msglen)))
		return NET_ERROR;
	for (;;) {
		int rc = SSL_do_handshake(t->ssl), e;
		long got;

		if ((st = flush(t, n, timeout_ms, msg, msglen)) != NET_OK)
			goto fail;
		if (rc == 1)
			break;
		e = SSL_get_error(t->ssl, rc);
		if (e != SSL_ERROR_WANT_READ) {
			st = handshake_failure(t, host, first, msg, msglen);
			goto fail;
		}
		got = feed(t, n, timeout_ms, &first, msg, msglen);
		if (got == NET_CLOSED) {
			snprintf(msg, msglen, T("the server closed the connection during the TLS handshake"));
			st = NET_CLOSED;
			goto fail;
		}
		if (got < 0) {
			st = (int)got;
			goto fail;
		}
	}
	if ((st = verify(t, s, seen_fp, msg, msglen)) != NET_OK)
		goto fail;
	*out = t;
	return NET_OK;
fail:
	tls_client_free(t);
	return st;
}

int tls_client_send_all(struct tls_client *t, struct net *n, const void *buf, size_t len,
			unsigned timeout_ms, char *msg, size_t msglen)
{
	const char *p = buf;

	ERR_clear_error();
	while (len > 0) {
		int chunk = len > 1 << 20 ? 1 << 20 : (int)len, st;

		if (SSL_write(t->ssl, p, chunk) != chunk) {
			snprintf(msg, msglen, T("TLS: cannot encrypt"));
			ERR_clear_error();
			return NET_ERROR;
		}
		if ((st = flush(t, n, timeout_ms, msg, msglen)) != NET_OK)
			return st;
		p += chunk;
		len -= (size_t)chunk;
	}
	return NET_OK;
}

long tls_client_recv(struct tls_client *t, struct net *n, void *buf, size_t cap,
		     unsigned timeout_ms, char *msg, size_t msglen)
{
	ERR_clear_error();
	for (;;) {
		int rc = SSL_read(t->ssl, buf, cap > 1 << 30 ? 1 << 30 : (int)cap), e, st;
		long got;

		if ((st = flush(t, n, timeout_ms, msg, msglen)) != NET_OK)
			return st;
		if (rc > 0)
			return rc;
		e = SSL_get_error(t->ssl, rc);
		if (e == SSL_ERROR_ZERO_RETURN) {
			snprintf(msg, msglen, T("the server closed the connection"));
			return NET_CLOSED;
		}
		if (e == SSL_ERROR_SYSCALL && !ERR_peek_last_error()) {
			snprintf(msg, msglen, T("the server closed the connection"));
			return NET_CLOSED;
		}
		if (e != SSL_ERROR_WANT_READ) {
			unsigned long err = ERR_peek_last_error();

			if (!err || !refused_client(err, msg, msglen))
				snprintf(msg, msglen, "TLS: %s",
					 err && ERR_reason_error_string(err) ? ERR_reason_error_string(err)
									     : T("the stream broke"));
			ERR_clear_error();
			return TLS_CLIENT_FAILED;
		}
		if ((got = feed(t, n, timeout_ms, NULL, msg, msglen)) <= 0)
			return got;
	}
}
