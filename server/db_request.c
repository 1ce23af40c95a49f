/*
 * db_request.c: the request-id store behind safe retries: a committed
 * request's reply kept by (account, request_id), found again on a retry,
 * and pruned when old (housekeeping.c).
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
	sqlite3_stmt *st = db_stmt(db, SQL_REQUEST_FIND, err);
	int rc, found = 0;

	*bytes = NULL;
	*len = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	db_bind_text(st, 2, request_id);
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

static const char SQL_REQUESTS_PRUNE[] =
	"DELETE FROM requests WHERE (account_id, request_id) IN"
	" (SELECT account_id, request_id FROM requests WHERE created_at < ?1 LIMIT ?2)";

int db_requests_prune(struct db *db, const char *before, int64_t limit, int64_t *deleted,
		      struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQUESTS_PRUNE, err);
	int rc;

	*deleted = 0;
	if (!st)
		return err->code;
	if ((rc = db_bind_check(db, st,
				db_bind_cstr(st, 1, before) | sqlite3_bind_int64(st, 2, limit),
				err)) != RPC_OK ||
	    (rc = db_exec_stmt(db, st, "pruning old request outcomes", err)) != RPC_OK)
		return rc;
	*deleted = sqlite3_changes(db->conn);
	return RPC_OK;
}

int db_request_store(struct db *db, int64_t account_id, struct text request_id,
		     const char *method, const char *bytes, size_t len, const char *now,
		     struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQUEST_STORE, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, account_id);
	db_bind_text(st, 2, request_id);
	sqlite3_bind_text(st, 3, method, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, len ? bytes : "", (int)len, SQLITE_STATIC); /* "" keeps it NOT NULL */
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	return db_exec_stmt(db, st, "recording request_id", err);
}
