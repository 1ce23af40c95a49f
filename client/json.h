/*
 * json.h: the exact JSON text (RFC 8259) of a decoded MessagePack value, for
 * `--json`.  Compact, on one line, keys in the order the server sent them.
 *
 * The mapping:
 *   nil -> null; bool -> true/false;
 *   integers -> their exact decimal digits (64-bit, no rounding);
 *   floats -> the shortest decimal that reads back to the same double, with
 *             ".0" added when it would otherwise look like an integer;
 *             NaN and infinities (JSON has none) -> null;
 *   str -> a JSON string: '"', '\\' and control characters escaped
 *          (\b \f \n \r \t, else \u00XX), other UTF-8 passed through byte for
 *          byte; a byte that is not well-formed UTF-8 becomes \ufffd;
 *   bin -> a string of its standard base64 (RFC 4648, with '=' padding);
 *   ext -> {"ext": type, "data": "<base64>"};
 *   array -> array; map -> object, where a key that is not a string is
 *          written as a string holding its JSON text (1 -> "1").
 */
#ifndef DOTPHA_JSON_H
#define DOTPHA_JSON_H

#include <stddef.h>

#include <msgpack.h>

#include "strbuf.h"

/* Appends the JSON text of o to sb.  Returns 0, or -1 if memory ran out. */
int json_write(struct strbuf *sb, const msgpack_object *o);

/* Appends s[0..n) as a JSON string, quotes included. */
int json_write_string(struct strbuf *sb, const char *s, size_t n);

#endif
