/*
 * tls.h (client): TLS over the connection net.c makes, with OpenSSL
 * through memory BIOs, so every byte still goes through net.c (the only
 * file with sockets) under its time limits.
 *
 * The server is verified in one of two ways: against a CA file (chain and
 * host name, as a browser would), or by the SHA-256 fingerprint of its
 * certificate, pinned (`--fingerprint`, or stored by `dotpha login` once
 * its user confirmed it on first contact).  A pinned certificate must also
 * be within its dates.  With neither, the handshake succeeds only when
 * `tofu` allows it (login's first contact), and the fingerprint seen is
 * reported, to be shown and confirmed before anything secret is sent
 * (rpc.h, rpc_confirm_pin()).
 */
#ifndef DOTPHA_CLIENT_TLS_H
#define DOTPHA_CLIENT_TLS_H

#include <stdbool.h>
#include <stddef.h>

#include "net.h"

#define TLS_CLIENT_FP_LEN 96 /* "AB:CD:..." of SHA-256 and a NUL */

/* Statuses beyond net.h's. */
enum {
	TLS_CLIENT_UNTRUSTED = -10, /* the server's certificate is not the expected one */
	TLS_CLIENT_NOT_TLS = -11,   /* the server answered in plaintext */
	TLS_CLIENT_FAILED = -12,    /* the handshake failed for another reason */
};

struct tls_client_settings {
	const char *ca_file; /* verify against these CAs; NULL: use the pin */
	const char *pin;     /* the expected fingerprint (any form tls_client_pin_parse takes) */
	bool tofu;           /* neither set: accept the certificate, to show its fingerprint
	                      * (login's first contact; nothing secret goes over it) */
	const char *cert_file; /* this client's certificate, for a server that asks; or NULL */
	const char *key_file;  /* its key */
};

struct tls_client; /* opaque */

/* Writes pin as canonical "AB:CD:..." into out.  Takes hex digits with or
 * without colons, in either case, optionally after "sha256:".  Returns 0,
 * or -1 if it is not 32 bytes of hex. */
int tls_client_pin_parse(const char *pin, char out[TLS_CLIENT_FP_LEN]);

/* Checks the fingerprint seen (canonical form) as the settings say when
 * no CA file is given: equal to the pin; or, with no pin, allowed only
 * when s->tofu.  Returns NET_OK, or TLS_CLIENT_UNTRUSTED with the
 * sentence to show in msg.  (Both TLS builds share it: tls_pin.c.) */
int tls_client_check_pin(const struct tls_client_settings *s, const char *seen, char *msg,
			 size_t msglen);

struct tm;
/* Writes the UTC moment tm (a certificate's date) as the user reads a
 * moment (fmt_moment: local time), or "?" if it is not one. */
void tls_client_utc_moment(const struct tm *tm, char *out, size_t n);

/* Runs the handshake with host (for the name check and SNI) on the
 * connected n, then verifies the server as the settings say.  Returns a
 * new tls_client in *out and NET_OK, or a status (net.h or the enum
 * above) with a sentence in msg.  The fingerprint seen is written to
 * seen_fp whenever a certificate was received ("" otherwise). */
int tls_client_start(struct tls_client **out, struct net *n, const char *host,
		     const struct tls_client_settings *s, unsigned timeout_ms,
		     char seen_fp[TLS_CLIENT_FP_LEN], char *msg, size_t msglen);

/* As net_send_all and net_recv, through TLS; a TLS failure (the server
 * refusing this client's certificate, a broken record) is
 * TLS_CLIENT_FAILED with the reason in msg. */
int tls_client_send_all(struct tls_client *t, struct net *n, const void *buf, size_t len,
			unsigned timeout_ms, char *msg, size_t msglen);
long tls_client_recv(struct tls_client *t, struct net *n, void *buf, size_t cap,
		     unsigned timeout_ms, char *msg, size_t msglen);

/* Frees t (NULL is fine); the socket is net.c's to close. */
void tls_client_free(struct tls_client *t);

#endif
