/*
 * pack.h: small helpers over msgpack_packer for the shapes dotpha writes
 * everywhere: strings from C strings, and key/value pairs of a map.
 * The caller has already written the map header counting these pairs.
 */
#ifndef DOTPHA_PACK_H
#define DOTPHA_PACK_H

#include <stdint.h>

#include <msgpack.h>

void pack_str(msgpack_packer *pk, const char *s);          /* s NULL packs nil */
void pack_strn(msgpack_packer *pk, const char *s, size_t n);
void pack_kv_str(msgpack_packer *pk, const char *key, const char *val); /* NULL val: nil */
void pack_kv_int(msgpack_packer *pk, const char *key, int64_t val);
void pack_kv_bool(msgpack_packer *pk, const char *key, int val);
void pack_kv_nil(msgpack_packer *pk, const char *key);

#endif
