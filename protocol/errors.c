/*
 * errors.c: the code/name table and the one way an error is put on the wire.
 */
#include "errors.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

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

/* Appends text[0..n) as a text argument; false when there is no room. */
static bool add_text(struct rpc_error *err, size_t *used, const char *text, size_t n)
{
	struct rpc_arg *a = &err->args[err->nargs];

	if (!text)
		text = "(null)", n = 6;
	if (*used + n + 1 > sizeof(err->text))
		return false;
	memcpy(err->text + *used, text, n);
	err->text[*used + n] = '\0';
	utf8_tidy(err->text + *used); /* a cut character, or bytes not UTF-8 */
	a->type = RPC_ARG_TEXT;
	a->at = (uint16_t)*used;
	*used += strlen(err->text + *used) + 1;
	err->nargs++;
	return true;
}

/* Walks fmt as vsnprintf does and keeps each value it takes as an
 * argument of err.  Returns false for what it cannot keep (too many
 * values, no room for their texts, a conversion it does not know): the
 * caller then drops the template. */
const char *errors_conversion(const char *p, struct errors_conv *c)
{
	c->pos = -1;
	c->star_width = c->star_prec = false;
	c->prec = -1;
	c->len = 0;
	if (p[0] >= '1' && p[0] <= '9' && p[1] == '$') { /* "%2$s" */
		c->pos = p[0] - '1';
		p += 2;
	}
	while (*p && strchr("-+ #0", *p))
		p++;
	if (*p == '*') {
		c->star_width = true;
		p++;
	}
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		if (*p == '*') {
			c->star_prec = true;
			p++;
		} else {
			for (c->prec = 0; *p >= '0' && *p <= '9'; p++)
				c->prec = c->prec * 10 + (*p - '0');
		}
	}
	if (p[0] == 'h' && p[1] == 'h')
		c->len = 'H', p += 2;
	else if (p[0] == 'l' && p[1] == 'l')
		c->len = 'L', p += 2;
	else if (*p && strchr("hlzjt", *p))
		c->len = *p++;
	else if (*p == 'L')
		c->len = 'D', p++;
	c->conv = *p;
	return p;
}

static bool capture(struct rpc_error *err, const char *fmt, va_list ap)
{
	size_t used = 0;

	err->nargs = 0;
	for (const char *p = fmt; *p; p++) {
		struct rpc_arg *a = &err->args[err->nargs];
		struct errors_conv c;
		int prec;

		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		p = errors_conversion(p, &c);
		if (c.pos >= 0 || err->nargs == RPC_ERROR_MAX_ARGS)
			return false; /* the server writes its values in order */
		if (c.star_width)
			(void)va_arg(ap, int);
		prec = c.star_prec ? va_arg(ap, int) : c.prec;
		switch (c.conv) {
		case 'd':
		case 'i':
			a->type = RPC_ARG_INT;
			a->v.i = c.len == 'L' ? va_arg(ap, long long)
			       : c.len == 'l' ? va_arg(ap, long)
			       : c.len == 'z' ? (int64_t)va_arg(ap, ssize_t)
			       : c.len == 'j' ? (int64_t)va_arg(ap, intmax_t)
			       : c.len == 't' ? (int64_t)va_arg(ap, ptrdiff_t)
				       : va_arg(ap, int);
			err->nargs++;
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
		case 'c':
			a->type = RPC_ARG_UINT;
			a->v.u = c.len == 'L' ? va_arg(ap, unsigned long long)
			       : c.len == 'l' ? va_arg(ap, unsigned long)
			       : c.len == 'z' ? (uint64_t)va_arg(ap, size_t)
			       : c.len == 'j' ? (uint64_t)va_arg(ap, uintmax_t)
				       : va_arg(ap, unsigned int);
			err->nargs++;
			break;
		case 'f':
		case 'e':
		case 'g':
		case 'E':
		case 'G':
			a->type = RPC_ARG_NUMBER;
			a->v.f = c.len == 'D' ? (double)va_arg(ap, long double) : va_arg(ap, double);
			err->nargs++;
			break;
		case 's': {
			const char *t = va_arg(ap, const char *);

			if (!add_text(err, &used, t, t && prec >= 0 ? strnlen(t, (size_t)prec)
							       : t ? strlen(t) : 0))
				return false;
			break;
		}
		default: /* %p, %n, %a...: none of ours; keep the message alone */
			return false;
		}
	}
	return true;
}

int errors_vset(struct rpc_error *err, int code, const char *fmt, va_list ap)
{
	va_list again;

	err->code = code;
	va_copy(again, ap);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	utf8_tidy(err->message); /* a cut at the end, or an unescaped echo */
	if (strlen(fmt) < sizeof(err->template) && capture(err, fmt, again)) {
		memcpy(err->template, fmt, strlen(fmt) + 1);
	} else {
		err->template[0] = '\0';
		err->nargs = 0;
	}
	va_end(again);
	return code;
}

int errors_set(struct rpc_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	errors_vset(err, code, fmt, ap);
	va_end(ap);
	return code;
}

void errors_prefix(struct rpc_error *err, const char *prefix)
{
	char rest[sizeof(err->message)];
	size_t n = strlen(prefix), used = 0;

	memcpy(rest, err->message, sizeof(rest));
	snprintf(err->message, sizeof(err->message), "%s%s", prefix, rest);
	utf8_tidy(err->message);
	if (!err->template[0])
		return;
	/* The texts move up to make room for the prefix's at the front. */
	for (int i = 0; i < err->nargs; i++)
		if (err->args[i].type == RPC_ARG_TEXT)
			used = err->args[i].at + strlen(errors_arg_text(err, i)) + 1;
	if (err->nargs == RPC_ERROR_MAX_ARGS || strlen(err->template) + 2 >= sizeof(err->template) ||
	    used + n + 1 > sizeof(err->text)) {
		err->template[0] = '\0';
		err->nargs = 0;
		return;
	}
	memmove(err->template + 2, err->template, strlen(err->template) + 1);
	memcpy(err->template, "%s", 2);
	memmove(err->text + n + 1, err->text, used);
	memcpy(err->text, prefix, n + 1);
	memmove(err->args + 1, err->args, (size_t)err->nargs * sizeof(err->args[0]));
	for (int i = 1; i <= err->nargs; i++)
		if (err->args[i].type == RPC_ARG_TEXT)
			err->args[i].at = (uint16_t)(err->args[i].at + n + 1);
	err->args[0].type = RPC_ARG_TEXT;
	err->args[0].at = 0;
	err->nargs++;
}

void errors_field(const struct rpc_error *err, char *out, size_t n)
{
	size_t k = strspn(err->message, "abcdefghijklmnopqrstuvwxyz"
					"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.");

	out[0] = '\0';
	if (k == 0 || k >= n || err->message[k] != ':' || err->message[k + 1] != ' ')
		return;
	memcpy(out, err->message, k);
	out[k] = '\0';
}

void errors_pack(msgpack_packer *pk, const struct rpc_error *err)
{
	char message[sizeof(err->message)];
	char field[64];

	/* The last resort: whoever filled err, the message goes out as
	 * well-formed UTF-8, which a strict decoder on the other side needs to
	 * keep reading the stream. */
	memcpy(message, err->message, sizeof(message));
	message[sizeof(message) - 1] = '\0';
	utf8_tidy(message);
	errors_field(err, field, sizeof(field));
	msgpack_pack_map(pk, 6);
	pack_str(pk, "code");
	msgpack_pack_int(pk, err->code);
	pack_str(pk, "name");
	pack_str(pk, errors_name(err->code));
	pack_str(pk, "message");
	pack_str(pk, message);
	pack_str(pk, "field");
	if (field[0])
		pack_str(pk, field);
	else
		msgpack_pack_nil(pk);
	pack_str(pk, "template");
	if (err->template[0] && err->nargs <= RPC_ERROR_MAX_ARGS)
		pack_str(pk, err->template);
	else
		msgpack_pack_nil(pk);
	pack_str(pk, "args");
	msgpack_pack_array(pk, err->template[0] ? (size_t)err->nargs : 0);
	for (int i = 0; err->template[0] && i < err->nargs; i++)
		switch (err->args[i].type) {
		case RPC_ARG_TEXT: pack_str(pk, errors_arg_text(err, i)); break;
		case RPC_ARG_INT: msgpack_pack_int64(pk, err->args[i].v.i); break;
		case RPC_ARG_UINT: msgpack_pack_uint64(pk, err->args[i].v.u); break;
		default: msgpack_pack_double(pk, err->args[i].v.f); break;
		}
}

static bool key_is(const msgpack_object *k, const char *name)
{
	return k->type == MSGPACK_OBJECT_STR && k->via.str.size == strlen(name) &&
	       memcmp(k->via.str.ptr, name, k->via.str.size) == 0;
}

/* The peer's args into err: texts escaped (they go to a terminal), at
 * most RPC_ERROR_MAX_ARGS; false when they do not fit. */
static bool unpack_args(const msgpack_object *v, struct rpc_error *err)
{
	size_t used = 0;

	if (v->type != MSGPACK_OBJECT_ARRAY || v->via.array.size > RPC_ERROR_MAX_ARGS)
		return false;
	for (uint32_t i = 0; i < v->via.array.size; i++) {
		const msgpack_object *x = &v->via.array.ptr[i];
		struct rpc_arg *a = &err->args[err->nargs];
		char buf[sizeof(err->text)];

		switch (x->type) {
		case MSGPACK_OBJECT_POSITIVE_INTEGER:
			a->type = RPC_ARG_UINT;
			a->v.u = x->via.u64;
			err->nargs++;
			break;
		case MSGPACK_OBJECT_NEGATIVE_INTEGER:
			a->type = RPC_ARG_INT;
			a->v.i = x->via.i64;
			err->nargs++;
			break;
		case MSGPACK_OBJECT_FLOAT32:
		case MSGPACK_OBJECT_FLOAT64:
			a->type = RPC_ARG_NUMBER;
			a->v.f = x->via.f64;
			err->nargs++;
			break;
		case MSGPACK_OBJECT_STR:
			utf8_escaped(x->via.str.ptr, x->via.str.size, buf, sizeof(buf));
			if (!add_text(err, &used, buf, strlen(buf)))
				return false;
			break;
		default:
			return false;
		}
	}
	return true;
}

int errors_unpack(const msgpack_object *o, struct rpc_error *err)
{
	const msgpack_object *tmpl = NULL, *args = NULL;

	err->code = RPC_INTERNAL;
	snprintf(err->message, sizeof(err->message), "(no message)");
	err->template[0] = '\0';
	err->nargs = 0;
	if (o->type != MSGPACK_OBJECT_MAP)
		return err->code;
	for (uint32_t i = 0; i < o->via.map.size; i++) {
		const msgpack_object *k = &o->via.map.ptr[i].key;
		const msgpack_object *v = &o->via.map.ptr[i].val;

		if (key_is(k, "code") && v->type == MSGPACK_OBJECT_POSITIVE_INTEGER &&
		    v->via.u64 < 1u << 30)
			err->code = (int)v->via.u64;
		else if (key_is(k, "message") && v->type == MSGPACK_OBJECT_STR)
			/* The peer's text goes to a terminal: escaped, so it
			 * cannot carry control sequences or malformed bytes. */
			utf8_escaped(v->via.str.ptr, v->via.str.size, err->message,
				     sizeof(err->message));
		else if (key_is(k, "template") && v->type == MSGPACK_OBJECT_STR &&
			 v->via.str.size < sizeof(err->template))
			tmpl = v;
		else if (key_is(k, "args"))
			args = v;
	}
	/* The template is looked up, never printed as it came: it may stay
	 * as the peer sent it. */
	if (tmpl && args && unpack_args(args, err)) {
		memcpy(err->template, tmpl->via.str.ptr, tmpl->via.str.size);
		err->template[tmpl->via.str.size] = '\0';
	} else {
		err->nargs = 0;
	}
	return err->code;
}
