/*
 * db_search.h: search.query and the check of its index (db_search.c;
 * PROTOCOL.md 6h), and, for db*.c only, the SQL function migration 10's
 * search index is made with and the flush of pending updates before COMMIT.
 */
#ifndef DOTPHA_DB_SEARCH_H
#define DOTPHA_DB_SEARCH_H

#include "db.h"

typedef struct sqlite3 sqlite3; /* sqlite3.h, which only db*.c include */

/* Registers dp_fold(text) (fold.h) on conn.  Every connection that writes
 * tasks, plan steps or updates needs it (their triggers call it), so
 * db_open registers it before migrating. */
int db_search_functions(sqlite3 *conn);

/* Indexes the updates of the open write transaction that wait in
 * search_updates_pending (migration 14), all at once; called just before
 * COMMIT, outside any savepoint.  Returns RPC_OK or the error. */
int db_search_flush(struct db *db, struct rpc_error *err);

/* ---- search.query and the check of the index (the handlers, --check) ---- */

struct search_terms; /* snippet.h */

/* The most tasks search.query counts: past it, the count says "more than
 * SEARCH_CAP" (`total_capped`) and the search stops looking. */
#define SEARCH_CAP 1000

/* search.query's selection: the tasks matching every term of `terms`, of
 * the caller's scope (0: all), of unit's subtree (0: any), of term (0:
 * any), of kind (NULL: any; a value of tasks.kind), at most limit of
 * them, unit names as on today. */
struct search_filter {
	const struct search_terms *terms;
	const char *today;
	int64_t scope, unit, term;
	const char *kind;
	int64_t limit;
};

/* Packs search.query's result {"items", "total", "total_capped"}, in the
 * order PROTOCOL.md 6h gives (db_search.c says why that order). */
int db_search(struct db *db, const struct search_filter *f, msgpack_packer *pk,
	      struct rpc_error *err);

/* For `dotphad --check`: how many tasks and updates the search index has
 * out of step (missing, different, or left from something gone); 0 and 0
 * unless something wrote behind the triggers' back. */
int db_search_check(struct db *db, int64_t *tasks, int64_t *updates, struct rpc_error *err);

#endif
