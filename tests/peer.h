/*
 * peer.h: a raw MessagePack-RPC peer for the availability tests, and for
 * any test calling a running daemon (world_remote() in world.h), in
 * plaintext or over TLS (OpenSSL, any certificate accepted: these tests
 * are about what a peer does to the daemon, not about trust), that can
 * misbehave: a tiny receive buffer, never reading, a reset (RST) at any
 * moment, a source address of its own in 127.0.0.0/8.  Plain C, no
 * Criterion.
 */
#ifndef DOTPHA_TEST_PEER_H
#define DOTPHA_TEST_PEER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

struct ssl_st;
struct ssl_ctx_st;

struct peer {
	int fd;                 /* the socket, -1 when closed */
	struct ssl_st *ssl;     /* owned; NULL in plaintext */
	msgpack_unpacker up;    /* replies read so far */
	uint32_t msgid;         /* of the last request sent */
};

/* How to connect. */
struct peer_how {
	bool tls;               /* speak TLS */
	int rcvbuf;             /* SO_RCVBUF before connecting, 0 for the default */
	const char *source;     /* bind to this 127.x.y.z address first, or NULL */
};

/* Connects to 127.0.0.1:port.  Returns 0, or -1 (p->fd is -1). */
int peer_open(struct peer *p, int port, const struct peer_how *how);

/* Sends a request [0, msgid, method, params] with params already packed
 * (NULL: an empty map).  Returns 0 or -1. */
int peer_request(struct peer *p, const char *method, const char *params, size_t len);

/* The reply to one peer_call(). */
struct peer_result {
	msgpack_unpacked u;            /* the whole response; peer_result_free() destroys it */
	int code;                      /* 0 (RPC_OK), the error's code, or -1: no reply to it */
	char message[512];             /* the error's message, or why there is no reply; "" */
	const msgpack_object *value;   /* the result when code is 0, else NULL; lives in u */
};

/* Sends a request (peer_request()) and reads the reply to it within
 * timeout_ms into *r, which the caller frees with peer_result_free()
 * whatever the outcome.  Returns r->code: -1 when no reply came, or a reply
 * that is not a response to this request. */
int peer_call(struct peer *p, const char *method, const char *params, size_t len,
	      struct peer_result *r, int timeout_ms);

/* Frees what peer_call() kept in r. */
void peer_result_free(struct peer_result *r);

/* Sends raw bytes.  Returns 0 or -1. */
int peer_send(struct peer *p, const void *bytes, size_t n);

/* Reads the next reply into *u (the caller destroys it).  Returns 1, 0 at
 * the end of the stream, -1 on error or after timeout_ms. */
int peer_reply(struct peer *p, msgpack_unpacked *u, int timeout_ms);

/* The error code of a reply (0 for a result). */
int peer_reply_code(const msgpack_unpacked *u);

/* Waits until at least one byte of a reply arrived (read and kept), at
 * most timeout_ms.  Returns 1 if it did, 0 if not. */
int peer_some(struct peer *p, int timeout_ms);

/* Signs in with token.  Returns the reply's error code (0: signed in), or
 * -1 when no reply came. */
int peer_auth(struct peer *p, const char *token);

/* A half-close (FIN) then a reset (RST): the connection is gone without
 * our reading another byte. */
void peer_reset(struct peer *p);

/* Closes politely, or does nothing when already closed. */
void peer_close(struct peer *p);

/* The peak and current resident size of process pid, in KiB (VmHWM,
 * VmRSS).  Returns 0 or -1. */
int peer_rss(int pid, long *hwm_kib, long *rss_kib);

/* Starts the peak (VmHWM) of process pid over from its present size
 * (/proc/PID/clear_refs).  Returns 0 or -1. */
int peer_reset_peak(int pid);

/* Raises the limit on open descriptors to its hard limit (a test opening
 * thousands of connections). */
void peer_more_files(void);

#endif
