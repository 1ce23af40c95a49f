/*
 * obj.c: see obj.h.
 */
#include "obj.h"

#include <string.h>

const msgpack_object *obj_get(const msgpack_object *map, const char *key)
{
	size_t klen = strlen(key);

	if (!map || map->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object *k = &map->via.map.ptr[i].key;

		if (k->type == MSGPACK_OBJECT_STR && k->via.str.size == klen &&
		    memcmp(k->via.str.ptr, key, klen) == 0)
			return &map->via.map.ptr[i].val;
	}
	return NULL;
}

bool obj_str_eq(const msgpack_object *o, const char *s)
{
	size_t n = strlen(s);

	return o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == n &&
	       memcmp(o->via.str.ptr, s, n) == 0;
}

bool obj_int(const msgpack_object *o, int64_t *v)
{
	if (!o)
		return false;
	if (o->type == MSGPACK_OBJECT_POSITIVE_INTEGER) {
		if (o->via.u64 > INT64_MAX)
			return false;
		*v = (int64_t)o->via.u64;
		return true;
	}
	if (o->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		*v = o->via.i64;
		return true;
	}
	return false;
}

const char *obj_cstr(const msgpack_object *o, char *buf, size_t n)
{
	size_t len;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (!o || o->type != MSGPACK_OBJECT_STR)
		return buf;
	len = o->via.str.size < n - 1 ? o->via.str.size : n - 1;
	memcpy(buf, o->via.str.ptr, len);
	buf[len] = '\0';
	return buf;
}
