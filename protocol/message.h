/*
 * message.h: the MessagePack-RPC envelope.
 *
 *   request       [0, msgid, method, params]
 *   response      [1, msgid, error, result]
 *   notification  [2, method, params]
 *
 * In dotpha, params is an array holding exactly one map of named fields.
 * message_parse() checks the shape and says precisely what is wrong with it;
 * the pack functions write the envelope, leaving the body to the caller.
 */
#ifndef DOTPHA_MESSAGE_H
#define DOTPHA_MESSAGE_H

#include <stdint.h>

#include <msgpack.h>

#include "errors.h"

enum message_type {
	MESSAGE_REQUEST = 0,
	MESSAGE_RESPONSE = 1,
	MESSAGE_NOTIFICATION = 2,
};

/* A parsed envelope.  Pointers borrow from the msgpack object passed to
 * message_parse() and die with it. */
struct message {
	int type;                     /* enum message_type */
	uint32_t msgid;               /* requests and responses */
	const char *method;           /* requests and notifications; not NUL-terminated */
	uint32_t method_len;
	const msgpack_object *params; /* the map inside params, for requests */
	const msgpack_object *error;  /* responses: nil or the error map */
	const msgpack_object *result; /* responses */
};

/* Checks o is a well-formed envelope and fills *m.  On a defect returns
 * RPC_PROTOCOL_ERROR (or RPC_INVALID_ARGUMENT for a params problem) with a
 * message naming it; m->msgid is filled as soon as it could be read. */
int message_parse(const msgpack_object *o, struct message *m, struct rpc_error *err);

/* Writes [0, msgid, method, [ and leaves the caller to pack one map and
 * nothing more. */
void message_pack_request_head(msgpack_packer *pk, uint32_t msgid, const char *method);

/* Writes [1, msgid, nil, and leaves the caller to pack the result. */
void message_pack_result_head(msgpack_packer *pk, uint32_t msgid);

/* Writes a whole error response [1, msgid, {code,name,message}, nil]. */
void message_pack_error(msgpack_packer *pk, uint32_t msgid, const struct rpc_error *err);

#endif
