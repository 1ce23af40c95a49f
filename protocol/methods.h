/*
 * methods.h: the method catalogue both sides share, expanded from the one
 * method table, methods.def.
 *
 * One row per method: its wire name, its flags, the roles that may call
 * it, what a write changes for the audit trail, a line for `--help` and
 * the documentation checks, and the history's label.  The server binds
 * each row to its handler by the row's id (server/rpc/dispatch.c); PROTOCOL.md
 * is checked against the rows by tests/test_docs.c.
 */
#ifndef DOTPHA_METHODS_H
#define DOTPHA_METHODS_H

#include <stddef.h>

#define PROTOCOL_VERSION 1

/* What a method is and how it runs (the shorthands of methods.def). */
enum method_flags {
	METHOD_READ = 0,
	METHOD_WRITE = 1 << 0,      /* changes data: BEGIN IMMEDIATE, request_id */
	METHOD_PUBLIC = 1 << 1,     /* callable before signing in */
	METHOD_RESERVE = 1 << 2,    /* anyone may call it on a reserve connection */
	METHOD_SLOW = 1 << 3,       /* a long read: the thread pool runs it */
	METHOD_EXCLUSIVE = 1 << 4,  /* a long write: the pool runs it, the writer lent */
	METHOD_SECRET = 1 << 5,     /* its result is shown once: a retry never gets it */
	METHOD_ON_WRITER = 1 << 6,  /* a read that records something: runs on the writer */
	METHOD_IN_MEMORY = 1 << 7,  /* changes the daemon's memory, not the database */
	METHOD_QUEUE = 1 << 8,      /* the client may queue it offline (an office's submission) */
};

/* Roles as bits, so the table can say who may call a method. */
enum role {
	ROLE_ADMIN = 1 << 0,      /* the central office: everything */
	ROLE_SUPERVISOR = 1 << 1, /* a focal point: reads in scope */
	ROLE_OFFICE = 1 << 2,     /* a unit's office: edits tasks, cadres, progress in scope */
	ROLE_VIEWER = 1 << 3,     /* reads in scope */
	ROLES_ALL = 0xf,
};

/* M_<id>: a method's index in methods_catalogue. */
enum method_id {
#define METHOD(id, name, flags, roles, noun, ref, summary, label) M_##id,
#include "methods.def"
	METHODS_COUNT
};

struct method_info {
	const char *name;      /* "noun.verb" */
	int flags;             /* enum method_flags */
	int roles;             /* enum role bits that may call it */
	const char *noun;      /* what a write changes ("task"); NULL for a read */
	const char *ref;       /* the params field naming it, or NULL (it is created) */
	const char *summary;   /* one line, English */
	const char *label;     /* the history's name for the change, Vietnamese, or NULL */
};

/* The catalogue: METHODS_COUNT rows indexed by enum method_id, then a row
 * whose name is NULL. */
extern const struct method_info methods_catalogue[];

/* The row for name[0..len), or NULL: one hash and at most a few compares,
 * through an index built on the first call.  That first call must not race
 * another: the daemon makes it before starting threads (methods_index). */
const struct method_info *methods_find(const char *name, size_t len);

/* Builds the index methods_find uses; idempotent. */
void methods_index(void);

/* The id of a row of the catalogue. */
static inline enum method_id methods_id(const struct method_info *m)
{
	return (enum method_id)(m - methods_catalogue);
}

#endif
