/*
 * rpc.h: one client connection to dotphad and the calls made over it.
 *
 * rpc_call() sends [0, msgid, method, [{fields}]] and waits for the matching
 * response.  The first call on each connection also asks server.info and,
 * when a token is set and the method is not public, signs the connection
 * in with session.auth: all in the same write as a read request (no extra
 * round trip), or in a write of their own before a write request, whose
 * bytes go out only once the protocol check and the sign-in have
 * succeeded.  It stops with RPC_STATUS_MISMATCH if the protocol differs,
 * and with the server's error (auth_failed set) if the sign-in fails.
 * A server that does not know session.auth (one without accounts) is
 * called without signing in.
 * Every write method gets a request_id (16 random bytes in hex, or the
 * caller's), so when the connection drops after a request was sent the call
 * reconnects and sends the very same bytes again, which the server answers
 * without applying twice.
 */
#ifndef DOTPHA_RPC_H
#define DOTPHA_RPC_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include <msgpack.h>

#include "errors.h"
#include "frame.h"
#include "net.h"
#include "tls.h"

#define RPC_MAX_MESSAGE (64u * 1024u * 1024u) /* a result may be big: 64 MiB */
#define RPC_REQUEST_ID_LEN 32                 /* hex digits of a generated request_id */
#define RPC_REQUEST_ID_TIME 12                /* of which the time, first */

enum rpc_status {
	RPC_STATUS_OK = 0,    /* *result holds the result */
	RPC_STATUS_REMOTE,    /* the server answered with an error: err, rpc->error_name */
	RPC_STATUS_TRANSPORT, /* cannot connect, connection lost, no answer in time, garbled stream */
	RPC_STATUS_MISMATCH,  /* the server speaks another protocol version */
	RPC_STATUS_LOCAL,     /* the client itself failed (memory, random source) */
};

/* What kind of RPC_STATUS_TRANSPORT failure happened, for hints. */
enum rpc_failure {
	RPC_FAIL_NONE = 0,
	RPC_FAIL_RESOLVE, /* the host name is unknown */
	RPC_FAIL_CONNECT, /* no connection could be made (refused, unreachable, timeout) */
	RPC_FAIL_LOST,    /* the connection dropped after it was made */
	RPC_FAIL_TIMEOUT, /* the server sent nothing (or took nothing) for timeout_ms */
	RPC_FAIL_GARBLED, /* the server sent bytes that are not a valid response */
	RPC_FAIL_TLS,     /* TLS failed: the server's certificate, or TLS on one side only */
};

/* The named fields of a request: pack() writes exactly `count` key/value
 * pairs (the map header and request_id are the caller's business). */
struct rpc_params {
	uint32_t count;
	void (*pack)(msgpack_packer *pk, const void *ctx);
	const void *ctx;
};

/* What session.auth said waits for the account (`waiting: true`,
 * PROTOCOL.md 6): kept from the last sign-in that asked. */
struct rpc_waiting {
	bool known;                /* the last sign-in gave the counts */
	int64_t reminders;         /* an office's reminders not answered */
	int64_t reminders_overdue; /* of those, overdue */
	int64_t explanations;      /* an office's explanation requests not answered */
	int64_t actions;           /* an office's inspection actions due within 7 days or overdue */
	int64_t appraisals;        /* a focal point's updates to appraise */
	int64_t sent_overdue;      /* reminders the account sent, overdue, not answered */
};

struct rpc {
	/* Settings: rpc_init() fills defaults; the caller may change them. */
	char host[256];            /* as for getaddrinfo, IPv6 without brackets */
	char port[8];
	char where[280];           /* "host:port" for messages */
	unsigned timeout_ms;       /* connect, and longest wait without progress; 0: none */
	unsigned retries;          /* reconnect-and-resend attempts after a lost connection */
	unsigned retry_delay_ms;   /* pause before the first retry, doubled for each next */
	const char *request_id;    /* borrowed: request_id for writes, NULL for random ones */
	const char *token;         /* borrowed: session.auth with it on each new connection
	                            * before a non-public method; NULL: never sign in */
	FILE *log;                 /* where retry notices go, or NULL */
	bool want_waiting;         /* ask session.auth for what waits (r->waiting); turned
	                            * off by a server that does not know the field */
	bool use_tls;              /* connect with TLS, verified as `tls` says */
	struct tls_client_settings tls; /* borrowed strings: CA file or pin, TOFU */

	/* State. */
	struct net net;            /* the socket; fd -1 while not connected */
	struct tls_client *tlsc;   /* owned: the TLS session while connected with TLS */
	char fingerprint[TLS_CLIENT_FP_LEN]; /* the server certificate's, once seen ("" before) */
	char confirmed[TLS_CLIENT_FP_LEN];   /* the pin rpc_confirm_pin() set; tls.pin then
	                                      * points here */
	char tls_detail[1024];     /* the whole sentence of the last RPC_FAIL_TLS (err's is short) */
	struct frame frame;        /* bytes received on this connection */
	bool ever_connected;       /* a connection succeeded once: later failures are retried */
	bool checked;              /* this connection's server told its protocol version */
	bool signed_in;            /* this connection has done session.auth (or needs none) */
	bool auth_failed;          /* the last call failed in session.auth: the request was
	                            * not sent (write) or not answered (read) */
	unsigned writes;           /* writes handed to the network so far (for tests) */
	uint32_t next_msgid;       /* from 1 upward */
	msgpack_sbuffer req;       /* the request being sent, kept for resending */
	char sent_request_id[65];  /* request_id of the last write sent */
	bool unanswered;           /* the last write was sent but no answer came back */
	int failure;               /* enum rpc_failure of the last RPC_STATUS_TRANSPORT */
	char error_name[32];       /* the server's name for the last error, e.g. "not_found" */
	struct rpc_waiting waiting; /* from session.auth when want_waiting */
	char server_version[64];   /* from server.info */
	int64_t server_protocol;   /* from server.info, -1 until known */
};

/* Sets up a connection to host:port, not yet connected. */
void rpc_init(struct rpc *r, const char *host, const char *port, unsigned timeout_ms);

/* Closes the connection and frees everything; r may be reused after
 * rpc_init(). */
void rpc_close(struct rpc *r);

/* Calls method with params (NULL: no fields).  On RPC_STATUS_OK *result
 * points at the result, owned by r and valid until the next rpc_call() or
 * rpc_close().  Otherwise err says what happened. */
int rpc_call(struct rpc *r, const char *method, const struct rpc_params *params,
	     const msgpack_object **result, struct rpc_error *err);

/* Trust on first use, for `dotpha login` (tls.tofu): a connection whose
 * certificate nothing vouches for (no CA, no pin) carries server.info
 * only; any other call fails with RPC_STATUS_LOCAL before a byte of it is
 * sent, so no token goes out before its holder has confirmed the
 * fingerprint seen.  rpc_confirm_pin() is that confirmation: the
 * certificate of the open connection (r->fingerprint) becomes the pin for
 * every later call and connection of r, and TOFU ends.  Returns 0, or -1
 * if no certificate has been seen. */
int rpc_confirm_pin(struct rpc *r);

/* Writes 2*n hex digits of n random bytes and a NUL into out.  Returns 0, or
 * -1 if the system's random source failed. */
int rpc_random_hex(char *out, size_t n);

/* Writes a new request_id and a NUL into out (RPC_REQUEST_ID_LEN + 1
 * bytes): the milliseconds since 1970 in RPC_REQUEST_ID_TIME hex digits,
 * then random hex digits.  Ids that grow with time are added at the end
 * of the server's index of stored outcomes, on a page the writes around
 * them share, where random ones would each change a page of their own
 * (bench/README.md, "Pages per update").  Returns 0, or -1 as above. */
int rpc_request_id(char *out);

#endif
