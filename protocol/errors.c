/*
 * errors.c: the code/name table and the one way an error is put on the wire.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pack.h"
#include "utf8.h"

static const char *const error_names[RPC_CODE_COUNT] = {
	[RPC_OK] = "ok",
	[RPC_PROTOCOL_ERROR] = "protocol_error",
	[RPC_TOO_LARGE] = "too_large",
	[RPC_TOO_DEEP] = "too_deep",
	[RPC_UNKNOWN_METHOD] = "unknown_method",
	[RPC_INVALID_ARGUMENT] = "invalid_argument",
	[RPC_NOT_FOUND] = "not_found",
	[RPC_CONFLICT] = "conflict",
	[RPC_UNAUTHENTICATED] = "unauthenticated",
	[RPC_FORBIDDEN] = "forbidden",
	[RPC_BUSY] = "busy",
	[RPC_UNAVAILABLE] = "unavailable",
	[RPC_INTERNAL] = "internal",
	[RPC_TOO_MANY_CLIENTS] = "too_many_clients",
	[RPC_STORAGE_FULL] = "storage_full",
	[RPC_TIMEOUT] = "timeout",
};

const char *errors_name(int code)
{
	if (code < 0 || code >= RPC_CODE_COUNT || !error_names[code])
		return "unknown";
	return error_names[code];
}

int errors_code(const char *name, size_t len)
{
	for (int i = 0; i < RPC_CODE_COUNT; i++)
		if (strlen(error_names[i]) == len && memcmp(error_names[i], name, len) == 0)
			return i;
	return -1;
}

int errors_set(struct rpc_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	utf8_tidy(err->message); /* a cut at the end, or an unescaped echo */
	return code;
}

void errors_pack(msgpack_packer *pk, const struct rpc_error *err)
{
	char message[sizeof(err->message)];

	/* The last resort: whoever filled err, the message goes out as
	 * well-formed UTF-8, which a strict decoder on the other side needs to
	 * keep reading the stream. */
	memcpy(message, err->message, sizeof(message));
	message[sizeof(message) - 1] = '\0';
	utf8_tidy(message);
	msgpack_pack_map(pk, 3);
	pack_str(pk, "code");
	msgpack_pack_int(pk, err->code);
	pack_str(pk, "name");
	pack_str(pk, errors_name(err->code));
	pack_str(pk, "message");
	pack_str(pk, message);
}

int errors_unpack(const msgpack_object *o, struct rpc_error *err)
{
	err->code = RPC_INTERNAL;
	snprintf(err->message, sizeof(err->message), "(no message)");
	if (o->type != MSGPACK_OBJECT_MAP)
		return err->code;
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const msgpack_object *k = &o->via.map.ptr[i].key;
		const msgpack_object *v = &o->via.map.ptr[i].val;

		if (k->type != MSGPACK_OBJECT_STR)
			continue;
		if (k->via.str.size == 4 && !memcmp(k->via.str.ptr, "code", 4) &&
		    v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 < 1u << 30)
			err->code = (int)v->via.u64;
		else if (k->via.str.size == 7 && !memcmp(k->via.str.ptr, "message", 7) &&
			 v->type == MSGPACK_OBJECT_STR)
			/* The peer's text goes to a terminal: escaped, so it
			 * cannot carry control sequences or malformed bytes. */
			utf8_escaped(v->via.str.ptr, v->via.str.size, err->message,
				     sizeof(err->message));
	}
	return err->code;
}
