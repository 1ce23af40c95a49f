/*
 * obj.h: reading decoded msgpack objects: a field of a map by name, and
 * typed looks at a value.  Both sides use these; nothing here allocates.
 */
#ifndef DOTPHA_OBJ_H
#define DOTPHA_OBJ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

/* The value for key in map, or NULL when map is NULL, not a map, or lacks
 * the key.  A key present with a nil value returns the nil object. */
const msgpack_object *obj_get(const msgpack_object *map, const char *key);

/* True if o is a string equal to s. */
bool obj_str_eq(const msgpack_object *o, const char *s);

/* Fills *v if o is an integer that fits int64_t; returns false otherwise. */
bool obj_int(const msgpack_object *o, int64_t *v);

/* Copies a string value into buf as a C string (truncating to n-1 bytes);
 * returns buf, or "" when o is NULL or not a string. */
const char *obj_cstr(const msgpack_object *o, char *buf, size_t n);

#endif
