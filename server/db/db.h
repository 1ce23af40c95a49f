/*
 * db.h: the core of the storage interface: the connection (open, recover,
 * checkpoint, close), the transaction of a request, the request-id store,
 * the types every noun shares, and what every call uses (the caller's
 * session, its references).  Each noun has its own header beside this one
 * (db_unit.h, db_task.h, db_file.h, db_audit.h, ...).  Every byte the daemon
 * keeps goes through these functions; only the db*.c files include
 * sqlite3.h.
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

/* Sets SQLite up for the whole process; call once, before any database is
 * opened (main).  Without it SQLite works as built, only slower. */
void db_process_init(void);

/* Opens (creating if needed) the database at path, sets WAL, full sync and
 * foreign keys, and applies pending migrations.  Refuses a database written
 * by a newer dotphad.  On failure returns -1 with a sentence in errbuf. */
int db_open(struct db **out, const char *path, char *errbuf, size_t errlen);

/* Finalizes statements and closes the connection.  NULL is fine. */
void db_close(struct db *db);

/* Schema version this build writes, and the one found in the file. */
int db_schema_version(void);
int db_file_version(struct db *db);

/* The schema version of the database file at path, read without changing
 * it, and the version db_open would bring it to (*to).  Returns the
 * version, or -1 when there is no such database yet (or it cannot be
 * read: db_open says why). */
int db_file_peek_version(const char *path, int *to);

/* Whether another process has the database at path open (a dotphad
 * serving it, a --check, an sqlite3 shell): tries to take it exclusively,
 * without waiting, then lets go.  Taking it replays a WAL left by a crash
 * into the file.  Returns 0 when nobody holds it (or there is no such
 * file), 1 when someone does, -1 when it cannot be opened (why says). */
int db_file_in_use(const char *path, char *why, size_t whylen);

/* After a COMMIT met an I/O error (a failed fsync above all), the
 * connection takes no more writes: db_begin(write) answers unavailable
 * until db_recover() has closed it, reopened the file and passed SQLite's
 * quick check.  db_recover() returns 0 when the database takes writes
 * again (or never stopped), -1 with a sentence in errbuf if not yet. */
bool db_failed(const struct db *db);
int db_recover(struct db *db, char *errbuf, size_t errlen);

/* db_recover in two halves, so the long one runs off the loop
 * (housekeeping.c): db_recover_check opens the file at path anew and
 * runs the quick check (minutes on a national database), touching
 * nothing else: 0 with *fresh a checked connection, or -1 with a
 * sentence in errbuf.  db_recover_adopt then gives db that connection
 * (fresh is consumed) and writes resume. */
int db_recover_check(const char *path, struct db **fresh, char *errbuf, size_t errlen);
void db_recover_adopt(struct db *db, struct db *fresh);

/* The transaction of one request.  db_begin(write=true) takes the write lock
 * up front (BEGIN IMMEDIATE), so a busy database answers `busy` before any
 * work is done. */
int db_begin(struct db *db, bool write, struct rpc_error *err);
int db_commit(struct db *db, struct rpc_error *err);
void db_rollback(struct db *db);

/* Group commit (group.h): one request's part of a transaction that several
 * share.  db_request_begin() marks where it starts (SAVEPOINT);
 * db_request_end() keeps its changes in the transaction (RELEASE) or takes
 * back only them (ROLLBACK TO, then RELEASE).  db_in_transaction() is
 * false once SQLite has rolled the whole transaction back by itself (it
 * does so on some errors: a full disk, an I/O error). */
int db_request_begin(struct db *db, struct rpc_error *err);
void db_request_end(struct db *db, bool keep);
bool db_in_transaction(struct db *db);

/* Opens a second, read-only connection to the database at path, for
 * reads that must see only committed data while a group is open.  The
 * database must exist and be migrated (db_open first).  -1 with a sentence
 * in errbuf on failure. */
int db_open_reader(struct db **out, const char *path, char *errbuf, size_t errlen);

/* After each COMMIT on db, calls fn(arg, pages) with the WAL's size in
 * pages, and SQLite no longer checkpoints by itself on the committing
 * thread (the daemon's loop): the caller runs db_checkpoint elsewhere
 * (checkpoint.h), or has fn return true for a PASSIVE checkpoint on db
 * there and then, as SQLite's own would.  It stays in effect across
 * db_recover. */
void db_wal_watch(struct db *db, bool (*fn)(void *arg, int pages), void *arg);

/* A PASSIVE checkpoint of the database at path through *ckpt, a read-write
 * connection of its own opened on first use (close it with db_close): it
 * copies what it can of the WAL into the database, waiting for neither
 * the writer nor the readers.  *left: WAL pages not copied yet (held by a
 * reader's snapshot).  Returns 0, or -1 with a sentence in errbuf. */
int db_checkpoint(struct db **ckpt, const char *path, int *left, char *errbuf, size_t errlen);

/* A TRUNCATE checkpoint on db between transactions, without waiting: the
 * whole WAL copied into the database and the WAL file emptied, so the
 * older copies of pages it held are gone from disk (file.withdraw's
 * erased bytes).  Returns 0 when done, 1 when a reader's snapshot or
 * another checkpoint held it back (try again later), -1 with a sentence
 * in errbuf. */
int db_wal_truncate(struct db *db, char *errbuf, size_t errlen);

/* Safe retries: a committed request's reply, by (account, request_id).  A
 * request_id belongs to the account that sent it: the same id from another
 * account is a different request and finds nothing here.
 * db_request_find() returns 1 and a malloc'ed copy of the stored result bytes
 * in *bytes (caller frees) if this account used the id, 0 if not, or -1 on
 * error. */
int db_request_find(struct db *db, int64_t account_id, struct text request_id,
		    const char *method, char **bytes, size_t *len, struct rpc_error *err);
int db_request_store(struct db *db, int64_t account_id, struct text request_id,
		     const char *method, const char *bytes, size_t len, const char *now,
		     struct rpc_error *err);

/* Deletes at most `limit` stored outcomes recorded before moment `before`,
 * the oldest first; *deleted says how many went.  A retry of one of them
 * is then run as a new request. */
int db_requests_prune(struct db *db, const char *before, int64_t limit, int64_t *deleted,
		      struct rpc_error *err);

/* The file of the open database. */
const char *db_path(struct db *db);

/* ---- paging and the records' filter, shared by the list functions ---- */

struct page {
	int64_t limit; /* 1..1000 */
	int64_t after; /* 0: from the start */
};

/* Which records hanging off tasks a list returns: reminders,
 * explanations, inspections' required actions, follow-up checks.  0 or
 * false: any. */
struct record_filter {
	int64_t scope;        /* tasks of this unit's subtree; 0 for all */
	int64_t task;         /* 0: every task */
	int64_t from;         /* reminders: sent by this account; 0: anyone */
	bool open_only;       /* not yet answered, done or recorded */
	bool overdue_only;    /* reminders and actions: open, and past their date */
	bool inbox_order;     /* reminders: overdue first, then by answer_by */
	const char *due_by;   /* actions: due on or before this date; NULL: any */
};

/* The shape of the functions that list them, as of `today`. */
typedef int (*record_lister)(struct db *db, const struct record_filter *f, const char *today,
			     msgpack_packer *pk, struct rpc_error *err);

#endif
