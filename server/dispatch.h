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

/* What a handler gets.  Everything is borrowed for the call. */
struct call {
	struct db *db;                /* storage, inside this request's transaction */
	const msgpack_object *params; /* the request's map, or NULL */
	msgpack_packer *pk;           /* the handler packs exactly one result value here */
	struct rpc_error *err;        /* filled when the handler fails */
	char today[DATE_LEN];         /* the server's local date for this request */
	char now[TIMESTAMP_LEN];      /* the server's UTC time for this request */
};

typedef int (*dispatch_handler)(struct call *c);

enum dispatch_outcome {
	DISPATCH_REPLIED = 0,      /* a reply was appended to out */
	DISPATCH_SILENT = 1,       /* nothing to send (a notification) */
	DISPATCH_CLOSE = 2,        /* a reply was appended; close after sending it */
};

/* Starts reading c->params: params_init() plus the fields every method may
 * carry (request_id, which the dispatcher has already handled). */
void dispatch_params(struct call *c, struct params *p);

/* Handles one message.  Appends the reply's bytes to *out.  Returns an
 * enum dispatch_outcome. */
int dispatch_message(struct db *db, const msgpack_object *msg, msgpack_sbuffer *out);

/* Appends the reply for a broken stream (frame error) to *out. */
void dispatch_stream_error(uint32_t msgid, const struct rpc_error *err, msgpack_sbuffer *out);

/* Checks the handler table against the catalogue; returns the name of the
 * first catalogue method without a handler (or handler without catalogue
 * row), or NULL when they match. */
const char *dispatch_check_table(void);

/* Counters for the log and tests. */
struct dispatch_stats {
	uint64_t requests;  /* requests handled */
	uint64_t errors;    /* of which answered with an error */
	uint64_t replays;   /* writes answered from a stored request_id */
};
const struct dispatch_stats *dispatch_stats(void);

#endif
