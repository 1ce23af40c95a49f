/*
 * errors.h: the error codes both sides of the protocol share.
 *
 * A code is stable forever: clients branch on the integer or the name, never
 * on the message.  Adding a code is fine; renumbering one is a protocol break.
 * The table in errors.c is the single source; PROTOCOL.md repeats it and a
 * test checks the two agree.
 */
#ifndef DOTPHA_ERRORS_H
#define DOTPHA_ERRORS_H

#include <msgpack.h>

enum rpc_code {
	RPC_OK = 0,
	RPC_PROTOCOL_ERROR = 1,    /* bytes are not a valid MessagePack-RPC message */
	RPC_TOO_LARGE = 2,         /* message, string or list over a limit */
	RPC_TOO_DEEP = 3,          /* nesting over the depth limit */
	RPC_UNKNOWN_METHOD = 4,    /* no such method */
	RPC_INVALID_ARGUMENT = 5,  /* a parameter is missing, of the wrong type or out of range */
	RPC_NOT_FOUND = 6,         /* the object named does not exist (or is not visible) */
	RPC_CONFLICT = 7,          /* the request contradicts the current state */
	RPC_UNAUTHENTICATED = 8,   /* sign in first, or the token is wrong */
	RPC_FORBIDDEN = 9,         /* signed in, but the role may not do this */
	RPC_BUSY = 10,             /* the database is locked; retry later */
	RPC_UNAVAILABLE = 11,      /* the server is shutting down or cannot write now */
	RPC_INTERNAL = 12,         /* a bug or an unexpected failure on the server */
	RPC_TOO_MANY_CLIENTS = 13, /* connection limit reached */
	RPC_STORAGE_FULL = 14,     /* the disk is full */
	RPC_TIMEOUT = 15,          /* a connection deadline passed; closed after the reply */
	RPC_CODE_COUNT
};

/* A structured error: a code and a sentence for a person.  The message names
 * the field at fault where there is one.  Fixed size so it can live on the
 * stack and in every call without allocation. */
struct rpc_error {
	int code;           /* enum rpc_code; RPC_OK when no error */
	char message[240];  /* NUL-terminated, UTF-8 */
};

/* Returns the stable name of a code ("not_found"), or "unknown". */
const char *errors_name(int code);

/* Returns the code for a stable name, or -1. */
int errors_code(const char *name, size_t len);

/* Fills *err and returns code, so handlers can write `return errors_set(...)`. */
int errors_set(struct rpc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Packs the error map {code, name, message} as one msgpack value. */
void errors_pack(msgpack_packer *pk, const struct rpc_error *err);

/* Reads an error map sent by a peer into *err.  Tolerates missing fields
 * (code RPC_INTERNAL, message "(no message)").  Returns err->code. */
int errors_unpack(const msgpack_object *o, struct rpc_error *err);

#endif
