/*
 * db_demo.h: the storage side of the demo generator (demo.c): a bulk-load
 * session with settings tuned for it, plain row inserts that trust their
 * caller, and the read-only checks the generator and its tests run on what
 * was loaded.  Nothing here is reachable from the protocol.
 *
 * The inserts skip the validation db_unit.c and friends do per request:
 * demo.c builds a consistent province in memory first.  Foreign keys and the
 * schema's CHECKs still apply, so a bug there fails the load, loudly.
 * Text arguments are NUL-terminated and borrowed for the call only.
 */
#ifndef DOTPHA_DB_DEMO_H
#define DOTPHA_DB_DEMO_H

#include <stdint.h>

#include "db.h"

/* Row counts of the tables the demo fills. */
struct db_demo_counts {
	int64_t units, cadres, terms, tasks, updates;
};

/* Counts the rows of units, cadres, terms, tasks and updates. */
int db_demo_counts(struct db *db, struct db_demo_counts *out, struct rpc_error *err);

/* Starts the load: relaxes durability for this connection (synchronous=NORMAL,
 * which under WAL loses at most the last commits on a power cut but never
 * corrupts the file), enlarges the page cache, then BEGIN IMMEDIATE.
 * db_demo_end() must follow, whatever happens in between. */
int db_demo_start(struct db *db, struct rpc_error *err);

/* Commits the open transaction and opens the next one, so a very large load
 * does not grow a single WAL without bound. */
int db_demo_checkpoint(struct db *db, struct rpc_error *err);

/* Commits (ok true: after setting where each task stands in its life as
 * of `present`, the demo's last day) or rolls back, then restores the settings db_open chose
 * (synchronous=FULL, default cache) and checkpoints the WAL into the file,
 * both best effort.  Returns RPC_OK or the error of the commit. */
int db_demo_end(struct db *db, bool ok, const char *present, struct rpc_error *err);

/* A unit with its first name (valid from '0000-00-00').  parent 0 makes a
 * root; valid_from may be NULL.  *id receives the new unit's id. */
int db_demo_unit(struct db *db, const char *code, const char *name, const char *level,
		 int64_t parent, const char *valid_from, const char *created_at, int64_t *id,
		 struct rpc_error *err);

/* A later name of unit id, in force from `date` on. */
int db_demo_unit_rename(struct db *db, int64_t id, const char *name, const char *date,
			struct rpc_error *err);

/* Closes unit id on `date`; merged_into 0 means none. */
int db_demo_unit_close(struct db *db, int64_t id, const char *date, int64_t merged_into,
		       struct rpc_error *err);

/* A cadre as of now: the current post's unit, title and start (`since`). */
struct db_demo_cadre {
	const char *code, *full_name, *title;
	int64_t unit_id, managing_unit_id;
	const char *since, *created_at, *updated_at;
};

int db_demo_cadre(struct db *db, const struct db_demo_cadre *c, int64_t *id,
		  struct rpc_error *err);

/* One post of a cadre; valid_to NULL for the current one. */
int db_demo_posting(struct db *db, int64_t cadre_id, int64_t unit_id, const char *title,
		    const char *valid_from, const char *valid_to, struct rpc_error *err);

int db_demo_term(struct db *db, const char *code, const char *name, const char *kind,
		 const char *start, const char *end, int64_t *id, struct rpc_error *err);

/* A task as its progress updates leave it: percent, last_update_at (NULL
 * before any update) and update_count must describe the updates the caller
 * inserts for it afterwards. */
struct db_demo_task {
	const char *title, *description, *kind, *field;
	int64_t owner_id, unit_id, term_id, assigned_by;
	const char *product, *due_date;
	int percent;
	const char *last_update_at;
	int update_count;
	const char *created_at, *updated_at;
};

/* Inserts the task and its first task_owners row (the owner, from the
 * date of created_at, seq 1). */
int db_demo_task(struct db *db, const struct db_demo_task *t, int64_t *id,
		 struct rpc_error *err);

int db_demo_update(struct db *db, int64_t task_id, int percent, const char *done,
		   const char *difficulties, const char *proposals, const char *reported_at,
		   struct rpc_error *err);

/* ---- checks on loaded data (tests, and demo.c's closing summary) ---- */

/* Which owners db_demo_task_figures() counts, relative to unit `root`. */
enum db_demo_scope {
	DB_DEMO_ANY,           /* every task of the term; root ignored */
	DB_DEMO_MANAGED_BY,    /* owner managed by exactly root */
	DB_DEMO_MANAGED_UNDER, /* owner managed by a unit strictly below root */
};

/* The article's figures: tasks of term `term_code` in `scope` and their
 * distinct owners.  An unknown code counts nothing. */
int db_demo_task_figures(struct db *db, const char *term_code, enum db_demo_scope scope,
			 const char *root_code, int64_t *tasks, int64_t *cadres,
			 struct rpc_error *err);

/* Counts broken invariants of the progress data, which must be 0: tasks whose
 * percent, last_update_at or update_count disagree with their newest update,
 * and updates whose percent is below the one before for the same task. */
int db_demo_inconsistencies(struct db *db, int64_t *bad, struct rpc_error *err);

/* A 64-bit FNV-1a digest of every row of the tables the demo fills, in key
 * order: equal digests mean the same content. */
int db_demo_digest(struct db *db, uint64_t *digest, struct rpc_error *err);

/* Runs a one-off query returning one integer (0 if no row), for tests. */
int db_demo_scalar(struct db *db, const char *sql, int64_t *out, struct rpc_error *err);

#endif
