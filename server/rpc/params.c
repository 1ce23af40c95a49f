/*
 * params.c: see params.h.
 */
#include "params.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "date.h"
#include "utf8.h"

void params_init(struct params *p, const msgpack_object *map, struct rpc_error *err)
{
	p->map = map;
	p->used = 0;
	p->err = err;
	p->failed = false;
	if (map && map->via.map.size > PARAMS_MAX_FIELDS)
		params_fail(p, RPC_INVALID_ARGUMENT, "params: more than %d fields",
			    PARAMS_MAX_FIELDS);
}

void params_fail(struct params *p, int code, const char *fmt, ...)
{
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	errors_vset(p->err, code, fmt, ap);
	va_end(ap);
}

/* Finds key, marks it read, and returns its value; NULL when absent or nil.
 * A required field that is absent records the defect. */
static const msgpack_object *field(struct params *p, const char *key, int flags)
{
	size_t klen = strlen(key);

	if (p->failed)
		return NULL;
	if (p->map) {
		for (uint32_t i = 0; i < p->map->via.map.size; i++) {
			const msgpack_object *k = &p->map->via.map.ptr[i].key;
			const msgpack_object *v = &p->map->via.map.ptr[i].val;

			if (k->type != MSGPACK_OBJECT_STR || k->via.str.size != klen ||
			    memcmp(k->via.str.ptr, key, klen) != 0)
				continue;
			p->used |= 1ull << i;
			if (v->type != MSGPACK_OBJECT_NIL)
				return v;
			break;
		}
	}
	if (flags & P_REQUIRED)
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: is required", key);
	return NULL;
}

void params_skip(struct params *p, const char *key)
{
	if (!p->map)
		return;
	for (uint32_t i = 0; i < p->map->via.map.size; i++)
		if (p->map->via.map.ptr[i].key.type == MSGPACK_OBJECT_STR &&
		    p->map->via.map.ptr[i].key.via.str.size == strlen(key) &&
		    memcmp(p->map->via.map.ptr[i].key.via.str.ptr, key, strlen(key)) == 0)
			p->used |= 1ull << i;
}

int params_end(struct params *p)
{
	char name[80]; /* an unknown field's name, escaped (about 64 bytes of it) */

	if (!p->failed && p->map) {
		for (uint32_t i = 0; i < p->map->via.map.size; i++) {
			const msgpack_object *k = &p->map->via.map.ptr[i].key;

			if (p->used & (1ull << i))
				continue;
			if (k->type != MSGPACK_OBJECT_STR)
				params_fail(p, RPC_INVALID_ARGUMENT, "params: field names must be strings");
			else
				params_fail(p, RPC_INVALID_ARGUMENT, "%s: unknown field",
					    utf8_escaped(k->via.str.ptr, k->via.str.size, name,
							 sizeof(name)));
			break;
		}
	}
	return p->failed ? p->err->code : RPC_OK;
}

static const char *type_name(const msgpack_object *v)
{
	switch (v->type) {
	case MSGPACK_OBJECT_BOOLEAN: return "a boolean";
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
	case MSGPACK_OBJECT_NEGATIVE_INTEGER: return "an integer";
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64: return "a float";
	case MSGPACK_OBJECT_STR: return "a string";
	case MSGPACK_OBJECT_BIN: return "binary";
	case MSGPACK_OBJECT_ARRAY: return "an array";
	case MSGPACK_OBJECT_MAP: return "a map";
	default: return "another type";
	}
}

bool params_text(struct params *p, const char *key, int flags, size_t max, bool nonempty,
		 struct text *out)
{
	const msgpack_object *v = field(p, key, flags);
	uint32_t cp;
	size_t i;

	out->s = NULL;
	out->n = 0;
	if (!v)
		return false;
	if (v->type != MSGPACK_OBJECT_STR) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be a string, got %s", key, type_name(v));
		return false;
	}
	if (v->via.str.size > max) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: at most %zu bytes, got %u", key, max,
			    v->via.str.size);
		return false;
	}
	if (!utf8_valid(v->via.str.ptr, v->via.str.size)) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: is not valid UTF-8 text", key);
		return false;
	}
	/* Refused in every text, long ones too: a label shown reordered
	 * ("f\u202Egpj.exe" as "fexe.jpg") deceives whoever reads it, and
	 * no field needs them to write Vietnamese. */
	if ((cp = utf8_bidi_control(v->via.str.ptr, v->via.str.size)) != 0) {
		params_fail(p, RPC_INVALID_ARGUMENT,
			    "%s: contains a bidirectional control character (U+%04X) that could "
			    "disguise the text", key, (unsigned)cp);
		return false;
	}
	if (nonempty) {
		for (i = 0; i < v->via.str.size; i++)
			if (!strchr(" \t\r\n", v->via.str.ptr[i]))
				break;
		if (i == v->via.str.size) {
			params_fail(p, RPC_INVALID_ARGUMENT, "%s: must not be empty", key);
			return false;
		}
	}
	out->s = v->via.str.size ? v->via.str.ptr : "";
	out->n = v->via.str.size;
	return true;
}

bool params_name(struct params *p, const char *key, int flags, struct text *out)
{
	return params_text(p, key, flags, P_NAME_MAX, true, out);
}

bool params_long(struct params *p, const char *key, int flags, struct text *out)
{
	return params_text(p, key, flags, P_LONG_MAX, false, out);
}

static bool code_syntax(const char *s, size_t n)
{
	if (n == 0 || n > P_CODE_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];

		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
		      c == '.' || c == '_' || c == '-'))
			return false;
	}
	return true;
}

bool params_code(struct params *p, const char *key, int flags, struct text *out)
{
	if (!params_text(p, key, flags, P_NAME_MAX, true, out))
		return false;
	if (!code_syntax(out->s, out->n)) {
		params_fail(p, RPC_INVALID_ARGUMENT,
			    "%s: a code is 1 to %d characters of A-Z, a-z, 0-9, '.', '_' or '-'", key,
			    P_CODE_MAX);
		return false;
	}
	return true;
}

bool params_date(struct params *p, const char *key, int flags, char out[11])
{
	char echo[48];
	struct text t;

	out[0] = '\0';
	if (!params_text(p, key, flags, 64, false, &t))
		return false;
	if (!date_valid(t.s, t.n)) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be a date YYYY-MM-DD, got '%s'", key,
			    utf8_escaped(t.s, t.n, echo, sizeof(echo)));
		return false;
	}
	memcpy(out, t.s, 10);
	out[10] = '\0';
	return true;
}

bool params_int(struct params *p, const char *key, int flags, int64_t min, int64_t max,
		int64_t *out)
{
	const msgpack_object *v = field(p, key, flags);
	int64_t x;

	if (!v)
		return false;
	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 > INT64_MAX) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be between %lld and %lld", key,
			    (long long)min, (long long)max);
		return false;
	}
	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER)
		x = (int64_t)v->via.u64;
	else if (v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER)
		x = v->via.i64;
	else {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be an integer, got %s", key, type_name(v));
		return false;
	}
	if (x < min || x > max) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be between %lld and %lld, got %lld", key,
			    (long long)min, (long long)max, (long long)x);
		return false;
	}
	*out = x;
	return true;
}

bool params_bool(struct params *p, const char *key, int flags, bool *out)
{
	const msgpack_object *v = field(p, key, flags);

	if (!v)
		return false;
	if (v->type != MSGPACK_OBJECT_BOOLEAN) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be true or false, got %s", key,
			    type_name(v));
		return false;
	}
	*out = v->via.boolean;
	return true;
}

bool params_enum(struct params *p, const char *key, int flags, const char *const *allowed,
		 int *out)
{
	struct text t;
	char list[200] = "", echo[48];
	size_t used = 0;

	if (!params_text(p, key, flags, 64, true, &t))
		return false;
	for (int i = 0; allowed[i]; i++) {
		if (strlen(allowed[i]) == t.n && memcmp(allowed[i], t.s, t.n) == 0) {
			*out = i;
			return true;
		}
		used += (size_t)snprintf(list + used, sizeof(list) - used, "%s%s", i ? ", " : "",
					 allowed[i]);
		if (used >= sizeof(list))
			used = sizeof(list) - 1;
	}
	params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be one of %s; got '%s'", key, list,
		    utf8_escaped(t.s, t.n, echo, sizeof(echo)));
	return false;
}

bool params_ref(struct params *p, const char *key, int flags, struct ref *out)
{
	const msgpack_object *v = field(p, key, flags);

	memset(out, 0, sizeof(*out));
	if (!v)
		return false;
	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER && v->via.u64 > 0 &&
	    v->via.u64 <= INT64_MAX) {
		out->id = (int64_t)v->via.u64;
		return true;
	}
	if (v->type == MSGPACK_OBJECT_STR && code_syntax(v->via.str.ptr, v->via.str.size)) {
		out->code.s = v->via.str.ptr;
		out->code.n = v->via.str.size;
		return true;
	}
	params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be a positive id or a code, got %s", key,
		    v->type == MSGPACK_OBJECT_STR ? "a string that is not a code" : type_name(v));
	return false;
}

bool params_id(struct params *p, const char *key, int flags, int64_t *out)
{
	return params_int(p, key, flags, 1, INT64_MAX, out);
}

void params_page(struct params *p, struct page *out)
{
	out->limit = 100;
	out->after = 0;
	params_int(p, "limit", P_OPTIONAL, 1, 1000, &out->limit);
	params_int(p, "after", P_OPTIONAL, 0, INT64_MAX, &out->after);
}

bool params_array(struct params *p, const char *key, int flags, uint32_t max,
		  const msgpack_object **out)
{
	const msgpack_object *v = field(p, key, flags);

	*out = NULL;
	if (!v)
		return false;
	if (v->type != MSGPACK_OBJECT_ARRAY) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be an array, got %s", key,
			    type_name(v));
		return false;
	}
	if (v->via.array.size > max) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: at most %u elements, got %u", key,
			    (unsigned)max, (unsigned)v->via.array.size);
		return false;
	}
	*out = v;
	return true;
}

bool params_date_not_past(struct params *p, const char *key, int flags, const char *today,
			  char out[11])
{
	if (!params_date(p, key, flags, out))
		return false;
	if (strcmp(out, today) < 0) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: %s is in the past (today is %s)", key, out,
			    today);
		return false;
	}
	return true;
}

bool params_bin(struct params *p, const char *key, int flags, size_t max, struct text *out)
{
	const msgpack_object *v = field(p, key, flags);

	out->s = NULL;
	out->n = 0;
	if (!v)
		return false;
	if (v->type != MSGPACK_OBJECT_BIN) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: must be binary (MessagePack bin), got %s",
			    key, type_name(v));
		return false;
	}
	if (v->via.bin.size == 0 || v->via.bin.size > max) {
		params_fail(p, RPC_INVALID_ARGUMENT, "%s: 1 to %zu bytes, got %u", key, max,
			    v->via.bin.size);
		return false;
	}
	out->s = v->via.bin.ptr;
	out->n = v->via.bin.size;
	return true;
}
