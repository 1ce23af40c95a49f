/*
 * call.h: what a handler gets and who is calling.  Handlers (handlers.h),
 * the audit hooks (audit.h) and the dispatcher (dispatch.h) share these,
 * so none of them needs another's header for them.
 *
 * A handler's contract: validate c->params, do the work through the
 * storage headers, pack exactly one result value into c->pk, and return
 * RPC_OK or an error code with c->err filled.  Handlers never see sockets.
 */
#ifndef DOTPHA_CALL_H
#define DOTPHA_CALL_H

#include <stdbool.h>
#include <stdint.h>

#include <msgpack.h>

#include "date.h"
#include "db.h"
#include "errors.h"
#include "methods.h"
#include "params.h"

/* Returns the bit for "admin", "supervisor", "office" or "viewer", or 0. */
int role_of(const char *name);
/* The name of one role bit. */
const char *role_name(int role);

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
	const struct method_info *method; /* the method being run (import: its row's) */
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

/* Starts reading c->params: params_init() plus the fields every method may
 * carry (request_id, which the dispatcher has already handled). */
void call_params(struct call *c, struct params *p);

#endif
