/*
 * tls.h: TLS for the daemon's connections, with OpenSSL driven through a
 * pair of memory BIOs so the event loop stays in charge of the socket: no
 * thread and no blocking call.  conn.c hands the ciphertext it reads to
 * tls_conn_input(), takes the plaintext with tls_conn_read(), encrypts its
 * replies with tls_conn_write() and sends what tls_conn_output() gives.
 * Nothing here touches libuv, so the fuzz target drives it directly.
 *
 * Also the self-signed certificate maker behind `dotphad gen-cert`.
 */
#ifndef DOTPHA_TLS_H
#define DOTPHA_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct ssl_ctx_st; /* OpenSSL's SSL_CTX */
struct ssl_st;     /* OpenSSL's SSL */
struct bio_st;     /* OpenSSL's BIO */

/* The first byte of a TLS handshake record: a peer whose first byte is
 * anything else is not speaking TLS. */
#define TLS_RECORD_HANDSHAKE 0x16

/* Loads the certificate chain and key into a new server context (TLS 1.2
 * at least).  With client_ca_file (else NULL), every client must present
 * a certificate these CAs vouch for (a self-signed office certificate
 * listed there vouches for itself).  Returns it, or NULL with a reason in
 * msg. */
struct ssl_ctx_st *tls_server_ctx(const char *cert_file, const char *key_file,
				  const char *client_ca_file, char *msg, size_t msglen);

/* Frees a context from tls_server_ctx(); NULL is fine. */
void tls_ctx_free(struct ssl_ctx_st *ctx);

/* The SHA-256 of the certificate's DER as "AB:CD:..." (95 characters and a
 * NUL), the form `dotpha login` shows and pins.  Returns 0 or -1. */
#define TLS_FINGERPRINT_LEN 96
int tls_cert_fingerprint(const char *cert_file, char out[TLS_FINGERPRINT_LEN]);

enum tls_status {
	TLS_OK = 0,      /* carry on (the handshake may still be under way) */
	TLS_FAILED = -1, /* the handshake or the stream broke: close */
	TLS_CLOSED = -2, /* the peer sent close_notify (tls_conn_read) */
};

/* One connection's TLS state. */
struct tls_conn {
	struct ssl_st *ssl;   /* owns both BIOs */
	struct bio_st *rbio;  /* ciphertext from the peer, waiting for OpenSSL */
	struct bio_st *wbio;  /* ciphertext for the peer, waiting for the socket */
	bool ready;           /* the handshake has completed */
	bool notified;        /* our close_notify has been produced */
	bool got_input;       /* the peer has sent something */
	unsigned char first;  /* the peer's first byte (TLS_RECORD_HANDSHAKE if TLS) */
};

/* Sets t up as the server side of a new connection.  Returns 0 or -1. */
int tls_conn_init(struct tls_conn *t, struct ssl_ctx_st *ctx);

/* Frees what t owns; safe on a zeroed or freed t. */
void tls_conn_free(struct tls_conn *t);

/* Hands n bytes read from the socket to OpenSSL and advances the
 * handshake if it is not done.  Returns TLS_OK (t->ready tells whether the
 * handshake is done) or TLS_FAILED with the reason in msg. */
int tls_conn_input(struct tls_conn *t, const void *p, size_t n, char *msg, size_t msglen);

/* Decrypts into buf[0..cap).  Returns the count (> 0), 0 when nothing more
 * is available until more input arrives, TLS_CLOSED, or TLS_FAILED with the
 * reason in msg. */
long tls_conn_read(struct tls_conn *t, void *buf, size_t cap, char *msg, size_t msglen);

/* Encrypts p[0..n) into the output (the memory BIO grows to take it all).
 * Only once t->ready.  Returns 0 or -1. */
int tls_conn_write(struct tls_conn *t, const void *p, size_t n);

/* Produces our close_notify (once).  */
void tls_conn_notify(struct tls_conn *t);

/* Takes the ciphertext waiting for the socket: *out is malloc'ed (the
 * caller frees it) and the count returned; 0 with *out NULL when there is
 * none or memory ran out. */
size_t tls_conn_output(struct tls_conn *t, char **out);

/* The protocol and cipher agreed, and the client certificate's subject
 * if there is one, for the log ("TLSv1.3 TLS_AES_..."). */
void tls_conn_describe(const struct tls_conn *t, char *out, size_t n);

/* Writes a self-signed certificate (EC P-256, SHA-256) for the names (DNS
 * names or IP addresses, each a subjectAltName; the first is also the
 * common name) valid from now + from_days for days days, to cert_file, and
 * its key to key_file (mode 0600).  Returns 0, or -1 with a reason. */
int tls_make_cert(const char *cert_file, const char *key_file, const char *const *names,
		  size_t nnames, long from_days, long days, char *msg, size_t msglen);

#endif
