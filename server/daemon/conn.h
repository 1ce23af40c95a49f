/*
 * conn.h: one client connection: its socket, its receive buffer, the bytes
 * queued for it, and its state.  Requests are decoded, dispatched and
 * answered in arrival order.
 *
 * Deadlines (while CONN_OPEN; server_options, PROTOCOL.md section 3): a
 * connection must sign in within auth_timeout, a message it has begun
 * must arrive whole within message_timeout, and one where no bytes move
 * either way for idle_timeout is closed.  A passed deadline gets a
 * `timeout` reply, then the connection drains and closes as after a
 * protocol error.
 *
 * Group commit (group.h): a write's reply waits in `out` until the group
 * it joined commits; nothing of `out` is sent before that, so replies keep
 * their order, and a connection draining waits for it before its FIN.
 *
 * States (conn->state), and the function behind each transition:
 *   CONN_OPEN     reading and answering                  (conn_start)
 *   CONN_DRAINING no more reading; close once queued replies are written
 *                 (conn_finish: after a protocol error, too many clients,
 *                  the peer's EOF, or CONN_GRACE_MS after shutdown began,
 *                  see conn_stop)
 *   CONN_LINGER   replies written and FIN sent; discarding input for at
 *                 most CONN_LINGER_MS so the peer reads our last reply
 *                 before the socket closes (on_shutdown)
 *   CONN_CLOSING  handles closing; freed in the last close callback
 *                 (conn_close)
 *
 * TLS (server->tls set; tls.h): the bytes read are ciphertext, handed to
 * the connection's SSL, and the frame receives the plaintext, so every
 * limit applies to decrypted bytes; replies are encrypted and the
 * ciphertext is what `queued` counts.  Until the handshake completes,
 * replies wait in `pending`; a handshake still unfinished
 * message_timeout after the accept is a slow message, closed.  Draining
 * sends our close_notify before the FIN.
 */
#ifndef DOTPHA_CONN_H
#define DOTPHA_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include <msgpack.h>

#include "dispatch.h"
#include "frame.h"

struct server;
struct tls_conn;

#define CONN_LINGER_MS 1000
#define CONN_GRACE_MS 250

enum conn_state { CONN_OPEN, CONN_DRAINING, CONN_LINGER, CONN_CLOSING };

struct conn {
	uv_tcp_t tcp;             /* the socket; tcp.data points here */
	uv_timer_t timer;         /* held reply, or shutdown grace, then linger deadline */
	uv_timer_t deadline;      /* sign-in, idle and slow-message deadlines (conn_arm) */
	uv_shutdown_t shutdown;   /* FIN after the last reply */
	struct server *server;    /* owner; the conn is on server->conns */
	struct conn *prev, *next; /* links in server->conns */
	struct frame frame;       /* receive buffer and decoder */
	enum conn_state state;    /* see the diagram above */
	size_t queued;            /* reply bytes handed to uv_write, not yet written */
	unsigned writes;          /* uv_write requests in flight */
	unsigned open_handles;    /* handles not yet closed, plus a running job: freed at 0 */
	bool reading;             /* uv_read_start is in effect */
	bool paused;              /* backpressure: over output_high queued, neither reading
				   * nor answering what is buffered until under a quarter */
	bool evicted;             /* closing to make room: counted in server->nevicted */
	bool big_frame;           /* signed in: the frame takes --max-message, not the
				   * smaller limit before sign-in */
	bool holding;             /* a reply waits in `held` for the timer (throttled sign-in) */
	msgpack_sbuffer held;     /* owned while holding: the reply bytes held back */
	msgpack_sbuffer out;      /* owned: replies not yet handed to uv_write, in order */
	struct waiting_reply {    /* a reply in `out` that stands only once the group commits */
		size_t start, len;    /* its bytes in `out` */
		uint32_t msgid;       /* to answer the COMMIT's error instead */
	} *waiting;               /* owned; nwaiting used of waiting_cap */
	unsigned nwaiting, waiting_cap;
	bool working;             /* a slow read runs on the thread pool (worker.h); no
				   * further request is read until it is answered */
	bool waiting_writer;      /* on server->writer_waiters: its next request needs the
				   * lent writer; nothing is read or answered meanwhile */
	struct conn *writer_next; /* link in server->writer_waiters */
	bool in_group;            /* on server->group_conns */
	struct conn *group_next;  /* link in server->group_conns */
	struct tls_conn *tls;     /* owned: the TLS state, NULL on a plaintext port */
	msgpack_sbuffer pending;  /* replies made before the TLS handshake completed */
	bool finish_on_ready;     /* conn_finish once the handshake completes (refused) */
	struct identity who;      /* the signed-in caller, refreshed on every call */
	uint64_t opened_ms;       /* loop time of the accept */
	uint64_t active_ms;       /* loop time bytes last moved either way */
	uint64_t message_ms;      /* loop time the partial message in `frame` began */
	uint64_t id;              /* for the log */
	char peer[64];            /* "address:port", for the log */
};

/* Accepts a pending connection on the listener into a new conn and starts
 * reading, within the limits (PROTOCOL.md 3): past --max-clients, the
 * connection open longest without signing in is closed to make room; with
 * none, the newcomer takes one of the admin's SERVER_ADMIN_RESERVE, past
 * those it is answered too_many_clients; past
 * --max-unauth-per-address from its address, too.  Returns 0, or -1 if
 * the connection could not be accepted. */
int conn_accept(struct server *s, uv_stream_t *listener);

/* The daemon is stopping: keep answering for CONN_GRACE_MS, so requests
 * already on their way (sent before the signal, still in the network or the
 * socket buffer) get their replies, then conn_finish(). */
void conn_stop(struct conn *c);

/* (Re)starts the deadline timer for the nearest deadline that applies
 * now; stops it while a reply is held or once the conn is not open. */
void conn_arm(struct conn *c);

/* Stops reading and closes once queued replies are written. */
void conn_finish(struct conn *c);

/* The group its replies waited on has ended (server_group_flush): err is
 * NULL when it committed, else the error each waiting reply becomes.
 * Sends what `out` holds. */
void conn_group_done(struct conn *c, const struct rpc_error *err);

/* The writer is back (server_writer_back): answer what waited for it,
 * then read on. */
void conn_writer_back(struct conn *c);

/* Closes now, dropping anything queued (which no longer counts in
 * server->queued_total).  Idempotent. */
void conn_close(struct conn *c);

#endif
