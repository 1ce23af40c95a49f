/*
 * message.c: building and validating MessagePack-RPC envelopes.
 */
#include "message.h"

#include <string.h>

#include "pack.h"

static int defect(struct rpc_error *err, const char *what)
{
	return errors_set(err, RPC_PROTOCOL_ERROR, "malformed message: %s", what);
}

int message_parse(const msgpack_object *o, struct message *m, struct rpc_error *err)
{
	const msgpack_object *a;
	uint32_t n;

	memset(m, 0, sizeof(*m));
	if (o->type != MSGPACK_OBJECT_ARRAY)
		return defect(err, "expected an array [type, ...]");
	a = o->via.array.ptr;
	n = o->via.array.size;
	if (n < 3 || a[0].type != MSGPACK_OBJECT_POSITIVE_INTEGER)
		return defect(err, "the first element must be the type 0, 1 or 2");
	switch (a[0].via.u64) {
	case MESSAGE_REQUEST:
	case MESSAGE_RESPONSE:
		m->type = (int)a[0].via.u64;
		if (a[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER || a[1].via.u64 > UINT32_MAX)
			return defect(err, "msgid must be an unsigned 32-bit integer");
		m->msgid = (uint32_t)a[1].via.u64;
		if (n != 4)
			return defect(err, m->type == MESSAGE_REQUEST ?
				      "a request has 4 elements [0, msgid, method, params]" :
				      "a response has 4 elements [1, msgid, error, result]");
		if (m->type == MESSAGE_RESPONSE) {
			m->error = &a[2];
			m->result = &a[3];
			return RPC_OK;
		}
		a++; /* method and params follow msgid */
		break;
	case MESSAGE_NOTIFICATION:
		m->type = MESSAGE_NOTIFICATION;
		if (n != 3)
			return defect(err, "a notification has 3 elements [2, method, params]");
		break;
	default:
		return defect(err, "the first element must be the type 0, 1 or 2");
	}
	if (a[1].type != MSGPACK_OBJECT_STR)
		return defect(err, "method must be a string");
	m->method = a[1].via.str.ptr;
	m->method_len = a[1].via.str.size;
	if (a[2].type != MSGPACK_OBJECT_ARRAY)
		return defect(err, "params must be an array holding one map");
	if (a[2].via.array.size == 0) {
		m->params = NULL; /* [] is accepted as "no fields" */
		return RPC_OK;
	}
	if (a[2].via.array.size != 1 || a[2].via.array.ptr[0].type != MSGPACK_OBJECT_MAP)
		return errors_set(err, RPC_INVALID_ARGUMENT,
				  "params must be an array holding exactly one map of named fields");
	m->params = &a[2].via.array.ptr[0];
	return RPC_OK;
}

void message_pack_request_head(msgpack_packer *pk, uint32_t msgid, const char *method)
{
	msgpack_pack_array(pk, 4);
	msgpack_pack_uint8(pk, MESSAGE_REQUEST);
	msgpack_pack_uint32(pk, msgid);
	pack_str(pk, method);
	msgpack_pack_array(pk, 1);
}

void message_pack_result_head(msgpack_packer *pk, uint32_t msgid)
{
	msgpack_pack_array(pk, 4);
	msgpack_pack_uint8(pk, MESSAGE_RESPONSE);
	msgpack_pack_uint32(pk, msgid);
	msgpack_pack_nil(pk);
}

void message_pack_error(msgpack_packer *pk, uint32_t msgid, const struct rpc_error *err)
{
	msgpack_pack_array(pk, 4);
	msgpack_pack_uint8(pk, MESSAGE_RESPONSE);
	msgpack_pack_uint32(pk, msgid);
	errors_pack(pk, err);
	msgpack_pack_nil(pk);
}
