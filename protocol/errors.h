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

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>

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

/* One value of an error's message, as data (PROTOCOL.md 2). */
enum rpc_arg_type {
	RPC_ARG_TEXT = 's',   /* its text is in rpc_error.text, at `at` */
	RPC_ARG_INT = 'i',    /* a signed integer */
	RPC_ARG_UINT = 'u',   /* an unsigned integer */
	RPC_ARG_NUMBER = 'f', /* a floating-point number */
};

struct rpc_arg {
	char type;       /* enum rpc_arg_type */
	uint16_t at;     /* RPC_ARG_TEXT: offset of its NUL-terminated text in text[] */
	union {
		int64_t i;
		uint64_t u;
		double f;
	} v;
};

#define RPC_ERROR_MAX_ARGS 8

/* A structured error: a code, a sentence for a person, and what it was
 * made from: the English template (a printf format) and the values put
 * into it, so a client can say it in its user's language.  The message
 * names the field at fault where there is one ("task: no task with id
 * 9").  Fixed size so it can live on the stack and in every call without
 * allocation, and be copied by value. */
struct rpc_error {
	int code;                 /* enum rpc_code; RPC_OK when no error */
	char message[240];        /* NUL-terminated, UTF-8 */
	char template[240];       /* the format, or "" when there is none */
	int nargs;                /* values in args */
	struct rpc_arg args[RPC_ERROR_MAX_ARGS];
	char text[256];           /* the texts of the RPC_ARG_TEXT values */
};

/* Returns the stable name of a code ("not_found"), or "unknown". */
const char *errors_name(int code);

/* Returns the code for a stable name, or -1. */
int errors_code(const char *name, size_t len);

/* Fills *err and returns code, so handlers can write `return errors_set(...)`.
 * The message is fmt formatted; fmt itself is kept as the template and
 * each value it takes as an argument (a value too long for the room left
 * is cut, and the template then dropped: the message alone stands). */
int errors_set(struct rpc_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int errors_vset(struct rpc_error *err, int code, const char *fmt, va_list ap)
	__attribute__((format(printf, 3, 0)));

/* One conversion of a template, as errors_conversion() reads it. */
struct errors_conv {
	int pos;         /* "%2$s": 1 (the value's index); -1 when not given */
	bool star_width; /* "%*d": the width is a value (printf's; never sent) */
	bool star_prec;  /* "%.*s": the precision is a value (printf's; never sent) */
	int prec;        /* "%.2f": 2; -1 when none or '*' */
	char len;        /* the length modifier: 0, 'H' (hh), 'h', 'l', 'L' (ll), 'z', 'j', 't', 'D' (L) */
	char conv;       /* the conversion letter: 's', 'd', 'f'... or '\0' at the end */
};

/* Reads the conversion that starts at p, just after its '%' (not "%%"),
 * into *c; returns where its conversion letter is (at the string's end
 * when there is none).  The one reading of printf's conversions that the
 * server's capture and the clients' renderers share. */
const char *errors_conversion(const char *p, struct errors_conv *c);

/* Puts `prefix` (a text, not a format) before the error: before its
 * message, and before its template as a first text argument ("%s" then
 * the template), so what a client says of it still carries the values
 * ("actions[2]." before "due_date: ...").  The template is dropped when
 * the argument does not fit. */
void errors_prefix(struct rpc_error *err, const char *prefix);

/* The field an error names: its message's head before ": " when that is a
 * field's name (letters, digits, '_' and '.'), copied into out; "" when
 * there is none. */
void errors_field(const struct rpc_error *err, char *out, size_t n);

/* The text of argument i (RPC_ARG_TEXT). */
static inline const char *errors_arg_text(const struct rpc_error *err, int i)
{
	return err->text + err->args[i].at;
}

/* Packs the error map {code, name, message, field, template, args} as one
 * msgpack value (PROTOCOL.md 2). */
void errors_pack(msgpack_packer *pk, const struct rpc_error *err);

/* Reads an error map sent by a peer into *err.  Tolerates missing fields
 * (code RPC_INTERNAL, message "(no message)"; no template, no args), and
 * keeps the template only with args that fit it.  Returns err->code. */
int errors_unpack(const msgpack_object *o, struct rpc_error *err);

#endif
