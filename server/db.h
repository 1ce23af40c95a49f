/*
 * db.h: the storage interface.  Every byte the daemon keeps goes through
 * these functions; only the db*.c files include sqlite3.h.
 *
 * The unit of work is one request: the dispatcher opens a transaction with
 * db_begin(), the handler calls any of the functions below, and the
 * dispatcher ends it with db_commit() or db_rollback().  No function here
 * begins or ends a transaction of its own, so a request's work can be
 * retried whole, moved to another thread, or batched with others into one
 * commit without touching the handlers.
 *
 * Read functions pack their objects straight into the caller's packer, in
 * the shapes PROTOCOL.md documents.  Text arguments are borrowed (struct
 * text) and only read during the call.  Every function that can fail takes
 * a struct rpc_error and returns an enum rpc_code.
 */
#ifndef DOTPHA_DB_H
#define DOTPHA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "errors.h"

struct db;

/* Borrowed bytes, not NUL-terminated; s NULL means absent. */
struct text {
	const char *s;
	size_t n;
};

/* A reference to a unit, cadre or term as a client sent it: an id, or a code. */
struct ref {
	int64_t id;       /* > 0 when given as an id */
	struct text code; /* code.s != NULL when given as a code */
};

#define REF_GIVEN(r) ((r).id > 0 || (r).code.s != NULL)

/* Opens (creating if needed) the database at path, sets WAL, full sync and
 * foreign keys, and applies pending migrations.  Refuses a database written
 * by a newer dotphad.  On failure returns -1 with a sentence in errbuf. */
int db_open(struct db **out, const char *path, char *errbuf, size_t errlen);

/* Finalizes statements and closes the connection.  NULL is fine. */
void db_close(struct db *db);

/* Schema version this build writes, and the one found in the file. */
int db_schema_version(void);
int db_file_version(struct db *db);

/* The transaction of one request.  db_begin(write=true) takes the write lock
 * up front (BEGIN IMMEDIATE), so a busy database answers `busy` before any
 * work is done. */
int db_begin(struct db *db, bool write, struct rpc_error *err);
int db_commit(struct db *db, struct rpc_error *err);
void db_rollback(struct db *db);

/* Safe retries: a committed request's reply, by request_id.
 * db_request_find() returns 1 and a malloc'ed copy of the stored result bytes
 * in *bytes (caller frees) if the id was seen, 0 if not, or -1 on error. */
int db_request_find(struct db *db, struct text request_id, const char *method,
		    char **bytes, size_t *len, struct rpc_error *err);
int db_request_store(struct db *db, struct text request_id, const char *method,
		     const char *bytes, size_t len, const char *now, struct rpc_error *err);

/* ---- units (db_unit.c) ---- */

struct unit_input {
	struct text code, name, level;
	struct ref parent;        /* optional */
	struct text valid_from;   /* optional date */
};

/* Resolves a unit reference; `field` names it in the error. */
int db_unit_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err);
int db_unit_create(struct db *db, const struct unit_input *in, const char *now, int64_t *id,
		   struct rpc_error *err);
int db_unit_rename(struct db *db, int64_t id, struct text name, const char *date,
		   struct rpc_error *err);
int db_unit_move(struct db *db, int64_t id, int64_t parent, const char *today,
		 struct rpc_error *err);
int db_unit_close(struct db *db, int64_t id, const char *date, int64_t merged_into,
		  struct rpc_error *err);
/* Packs one unit; with `detail`, adds names and counts (unit.get). */
int db_unit_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err);
/* Packs {items, total} for the tree under root (0: all roots). */
int db_unit_list(struct db *db, int64_t root, bool include_closed, const char *as_of,
		 msgpack_packer *pk, struct rpc_error *err);

/* ---- paging, shared by the list functions ---- */

struct page {
	int64_t limit; /* 1..1000 */
	int64_t after; /* 0: from the start */
};

#endif
