/*
 * dispatch.h: from a decoded message to the bytes of its reply.
 *
 * The checks run in a fixed order: envelope shape, method lookup, params
 * shape, (authentication and permission, when accounts exist), then the
 * handler inside one transaction.  This is the one place that turns errors
 * into replies.  Handlers never see sockets: they read c->params, write one
 * value to c->pk, and return RPC_OK or an error code with c->err filled.
 */
#ifndef DOTPHA_DISPATCH_H
#define DOTPHA_DISPATCH_H

#include <stdbool.h>
#include <stdint.h>

#include <msgpack.h>

#include "call.h"
#include "db.h"
#include "errors.h"

/* The largest result a reply carries by default (PROTOCOL.md 3): a
 * bigger one is answered too_large instead, the connection kept, so the
 * caller asks for less rather than being cut off by the output limit. */
#define DISPATCH_MAX_REPLY (7u * 1024u * 1024u)

/* Sets that limit (dotphad --max-reply); before any request is served,
 * the worker threads only read it. */
void dispatch_set_max_reply(size_t bytes);

enum dispatch_outcome {
	DISPATCH_REPLIED = 0,      /* a reply was appended to out */
	DISPATCH_SILENT = 1,       /* nothing to send (a notification) */
	DISPATCH_CLOSE = 2,        /* a reply was appended; close after sending it */
	DISPATCH_SLOW = 3,         /* nothing done: a long read (a report, a search, the
				    * board, an export, a backup) for the thread pool
				    * (worker.h), which runs it through dispatch_message;
				    * only when turn->may_offload */
	DISPATCH_EXCLUSIVE = 4,    /* nothing done: a long write (an import) for the thread
				    * pool with the writer lent to it (server.h), run
				    * through dispatch_message; only when may_offload */
	DISPATCH_WAIT = 5,         /* nothing done: the method needs the writer, which is
				    * lent (turn->writer_lent); ask again once it is back */
};

/* Handles one message from the connection whose caller is *who.  Appends
 * the reply's bytes to *out; *delay_ms says how long to hold them back (0
 * almost always).  Returns an enum dispatch_outcome. */
int dispatch_message(struct db *db, struct identity *who, const msgpack_object *msg,
		     msgpack_sbuffer *out, unsigned *delay_ms);

struct group;

/* One request of a daemon's connection (conn.c), through dispatch_grouped. */
struct dispatch_turn {
	unsigned waiting;  /* in: this connection's replies waiting on the group */
	bool may_offload;  /* in: a long read or write may be handed back (DISPATCH_SLOW,
			    * DISPATCH_EXCLUSIVE) */
	bool writer_lent;  /* in: the writer is on the pool: a write waits (DISPATCH_WAIT) */
	unsigned delay_ms; /* out: hold the reply this long (0 almost always) */
	bool pending;      /* out: the reply stands only once the group commits */
	size_t start;      /* out, when pending: where the reply begins in out */
	uint32_t msgid;    /* out, when pending: its msgid */
};

/* Like dispatch_message, for the daemon: a write joins the open group
 * (group.h) and its reply is pending; a read runs on g->reader, after
 * committing the group when this connection has replies waiting on it. */
int dispatch_grouped(struct group *g, struct identity *who, const msgpack_object *msg,
		     msgpack_sbuffer *out, struct dispatch_turn *turn);

/* Appends the reply for a broken stream (frame error) to *out. */
void dispatch_stream_error(uint32_t msgid, const struct rpc_error *err, msgpack_sbuffer *out);

/* The handler of a method of the table. */
dispatch_handler dispatch_handler_of(enum method_id id);

/* Counters for the log and tests; atomic, as slow reads count on the
 * thread pool. */
struct dispatch_stats {
	_Atomic uint64_t requests;  /* requests handled */
	_Atomic uint64_t errors;    /* of which answered with an error */
	_Atomic uint64_t replays;   /* writes answered from a stored request_id */
};
const struct dispatch_stats *dispatch_stats(void);

#endif
