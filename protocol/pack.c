/*
 * pack.c: see pack.h.
 */
#include "pack.h"

#include <string.h>

void pack_strn(msgpack_packer *pk, const char *s, size_t n)
{
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

void pack_str(msgpack_packer *pk, const char *s)
{
	if (!s)
		msgpack_pack_nil(pk);
	else
		pack_strn(pk, s, strlen(s));
}

void pack_kv_str(msgpack_packer *pk, const char *key, const char *val)
{
	pack_str(pk, key);
	pack_str(pk, val);
}

void pack_kv_int(msgpack_packer *pk, const char *key, int64_t val)
{
	pack_str(pk, key);
	msgpack_pack_int64(pk, val);
}

void pack_kv_bool(msgpack_packer *pk, const char *key, int val)
{
	pack_str(pk, key);
	if (val)
		msgpack_pack_true(pk);
	else
		msgpack_pack_false(pk);
}

void pack_kv_nil(msgpack_packer *pk, const char *key)
{
	pack_str(pk, key);
	msgpack_pack_nil(pk);
}
