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

#include "date.h"
#include "db.h"
#include "errors.h"
#include "params.h"

/* Roles as bits, so the method table can say who may call a method. */
enum role {
	ROLE_ADMIN = 1 << 0,      /* the central office: everything */
	ROLE_SUPERVISOR = 1 << 1, /* a focal point: reads in scope */
	ROLE_OFFICE = 1 << 2,     /* a unit's office: edits tasks, cadres, progress in scope */
	ROLE_VIEWER = 1 << 3,     /* reads in scope */
	ROLES_ALL = 0xf,
};

/* Returns the bit for "admin", "supervisor", "office" or "viewer", or 0. */
int dispatch_role(const char *name);
/* The name of one role bit. */
const char *dispatch_role_name(int role);

/* Who is calling: one per connection, filled by session.auth and
 * refreshed from the database at the start of every call. */
struct identity {
	int64_t account_id;      /* 0 until signed in */
	int64_t token_id;        /* the token signed in with */
	int role;                /* one enum role bit; 0 until signed in */
	int64_t scope;           /* scope unit id; 0 for the whole tree */
	char login[64];          /* for the log and the audit trail */
	char token_name[128];    /* for the audit trail */
	char address[48];        /* the peer's IP address */
	bool reserve;            /* accepted past --max-clients: an admin's way in (dispatch_message) */
};

/* What a handler gets.  Everything is borrowed for the call. */
struct call {
	struct db *db;                /* storage, inside this request's transaction */
	const msgpack_object *params; /* the request's map, or NULL */
	msgpack_packer *pk;           /* the handler packs exactly one result value here */
	struct rpc_error *err;        /* filled when the handler fails */
	char today[DATE_LEN];         /* the server's local date for this request */
	char now[TIMESTAMP_LEN];      /* the server's UTC time for this request */
	struct identity *who;         /* the caller; session.auth fills it in */
	unsigned delay_ms;            /* a handler may ask for its reply to wait (throttling) */
};

typedef int (*dispatch_handler)(struct call *c);

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

/* Starts reading c->params: params_init() plus the fields every method may
 * carry (request_id, which the dispatcher has already handled). */
void dispatch_params(struct call *c, struct params *p);

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

/* Checks the handler table against the catalogue; returns the name of the
 * first catalogue method without a handler (or handler without catalogue
 * row), or NULL when they match. */
const char *dispatch_check_table(void);

/* The roles (enum role bits) that may call a method; 0 for no such method. */
int dispatch_method_roles(const char *name);

/* Counters for the log and tests; atomic, as slow reads count on the
 * thread pool. */
struct dispatch_stats {
	_Atomic uint64_t requests;  /* requests handled */
	_Atomic uint64_t errors;    /* of which answered with an error */
	_Atomic uint64_t replays;   /* writes answered from a stored request_id */
};
const struct dispatch_stats *dispatch_stats(void);

#endif
