/*
 * methods.h: the method catalogue both sides share.
 *
 * One row per method: its wire name, whether it changes data, and a line for
 * `--help` and the documentation checks.  The server binds handlers to these
 * names in server/dispatch.c, and a test checks that every catalogue row has
 * a handler and that PROTOCOL.md documents it.
 */
#ifndef DOTPHA_METHODS_H
#define DOTPHA_METHODS_H

#include <stddef.h>

#define PROTOCOL_VERSION 1

/* Legend for flags:
 *   METHOD_WRITE   changes data: runs in a write transaction (BEGIN IMMEDIATE),
 *                  accepts an optional request_id for safe retries
 *   METHOD_PUBLIC  callable before signing in (when accounts exist) */
enum method_flags {
	METHOD_READ = 0,
	METHOD_WRITE = 1 << 0,
	METHOD_PUBLIC = 1 << 1,
};

struct method_info {
	const char *name;    /* "noun.verb" */
	int flags;           /* enum method_flags */
	const char *summary; /* one line, English */
};

/* The catalogue, ended by a row whose name is NULL. */
extern const struct method_info methods_catalogue[];

/* The row for name[0..len), or NULL. */
const struct method_info *methods_find(const char *name, size_t len);

#endif
