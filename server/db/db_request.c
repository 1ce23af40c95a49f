/*
 * db_request.c: the request-id store behind safe retries: a committed
 * request's reply kept by (account, request_id), found again on a retry,
 * and pruned when old (housekeeping.c).  Replies are appended in the
 * order they are made and found through the index requests_key, so a
 * write adds one small index entry where its request_id falls (at the end,
 * for ids that grow with time), not a whole reply (migration 22).
 */
#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

static const char SQL_REQUEST_FIND[] =
	"SELECT method, result FROM requests WHERE account_id = ?1 AND request_id = ?2";
static const char SQL_REQUEST_STORE[] =
	"INSERT INTO requests (account_id, request_id, method, result, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";

int db_request_find(struct db *db, int64_t account_id, struct text request_id, const char *method,
		    char **bytes, size_t *len, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc, found = 0;

	*bytes = NULL;
	*len = 0;
	if (!(st = db_prep(db, SQL_REQUEST_FIND, err, "it", account_id, request_id)))
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		int n = sqlite3_column_bytes(st, 1);

		if (!m || strcmp(m, method) != 0) {
			/* m lives in the statement: the message first, then reset. */
			errors_set(err, RPC_CONFLICT,
				   "request_id: already used for a different method (%s)", m ? m : "?");
			sqlite3_reset(st);
			return -1;
		}
		*bytes = malloc(n > 0 ? (size_t)n : 1);
		if (!*bytes) {
			sqlite3_reset(st);
			errors_set(err, RPC_INTERNAL, "out of memory");
			return -1;
		}
		if (n > 0) /* a zero-length blob reads back as NULL */
			memcpy(*bytes, sqlite3_column_blob(st, 1), (size_t)n);
		*len = (size_t)n;
		found = 1;
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		db_fail(db, rc, "looking up request_id", err);
		return -1;
	}
	sqlite3_reset(st);
	return found;
}

/* The rows are in the order they were made (migration 22): of the oldest
 * ?2, those made before ?1.  Reading only those keeps a batch short with
 * no index on the time.  A row stamped later than the rows after it (a
 * clock set back) stays until it is old itself; only ?2 such rows in a
 * row at the head would hold the older ones behind them back as long. */
static const char SQL_REQUESTS_PRUNE[] =
	"DELETE FROM requests WHERE id IN (SELECT id FROM"
	" (SELECT id, created_at FROM requests ORDER BY id LIMIT ?2) WHERE created_at < ?1)";

int db_requests_prune(struct db *db, const char *before, int64_t limit, int64_t *deleted,
		      struct rpc_error *err)
{
	int rc;

	*deleted = 0;
	if ((rc = db_run(db, SQL_REQUESTS_PRUNE, "pruning old request outcomes", err, "si", before,
			 limit)) != RPC_OK)
		return rc;
	*deleted = sqlite3_changes(db->conn);
	return RPC_OK;
}

int db_request_store(struct db *db, int64_t account_id, struct text request_id,
		     const char *method, const char *bytes, size_t len, const char *now,
		     struct rpc_error *err)
{
	/* "" keeps an empty result a blob, NOT NULL */
	return db_run(db, SQL_REQUEST_STORE, "recording request_id", err, "itsbs", account_id,
		      request_id, method, len ? bytes : "", (int)len, now);
}
