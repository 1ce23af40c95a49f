/*
 * db_search.h: the SQL function migration 10's search index is made with.
 * Only db*.c include it.
 */
#ifndef DOTPHA_DB_SEARCH_H
#define DOTPHA_DB_SEARCH_H

#include <sqlite3.h>

/* Registers dp_fold(text) (fold.h) on conn.  Every connection that writes
 * tasks, plan steps or updates needs it (their triggers call it), so
 * db_open registers it before migrating. */
int db_search_functions(sqlite3 *conn);

struct db;
struct rpc_error;

/* Indexes the updates of the open write transaction that wait in
 * search_updates_pending (migration 14), all at once; called just before
 * COMMIT, outside any savepoint.  Returns RPC_OK or the error. */
int db_search_flush(struct db *db, struct rpc_error *err);

#endif
