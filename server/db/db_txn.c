/*
 * db_txn.c: the transaction of one request (db_begin, db_commit,
 * db_rollback) and the savepoint of one request inside a group's
 * transaction (group.h).  A COMMIT that meets an I/O error marks the
 * connection failed until db_recover() (db_open.c).
 */
#include "db_internal.h"

#include "db_kept.h"
#include "db_search.h"
#include "db_timeline.h"

static const char SQL_BEGIN_READ[] = "BEGIN DEFERRED";
static const char SQL_BEGIN_WRITE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

int db_begin(struct db *db, bool write, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, write ? SQL_BEGIN_WRITE : SQL_BEGIN_READ, err);
	int rc;

	if (write && db->failed)
		return errors_set(err, RPC_UNAVAILABLE,
				  "the server's database met a write error; it is being reopened and "
				  "checked and takes no writes until then; nothing was written");
	if (!st)
		return err->code;
	if ((rc = db_exec_stmt(db, st, "starting a transaction", err)) != RPC_OK)
		return rc;
	db->in_txn = true;
	return RPC_OK;
}

int db_commit(struct db *db, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_kept_flush(db, err) != RPC_OK || db_search_flush(db, err) != RPC_OK ||
	    db_timeline_flush(db, err) != RPC_OK ||
	    !(st = db_stmt(db, SQL_COMMIT, err))) {
		db_rollback(db);
		return err->code;
	}
	rc = db_exec_stmt(db, st, "saving", err);
	if (rc != RPC_OK) {
		/* COMMIT failed (disk full, I/O error): nothing was saved.  After
		 * an I/O error, a failed fsync above all, the kernel may have
		 * dropped pages SQLite believes written (PostgreSQL's lesson):
		 * no more writes on this connection until db_recover(). */
		if ((sqlite3_extended_errcode(db->conn) & 0xff) == SQLITE_IOERR)
			db->failed = true;
		db_rollback(db);
		return rc;
	}
	db->in_txn = false;
	return RPC_OK;
}

void db_rollback(struct db *db)
{
	struct rpc_error ignored;
	sqlite3_stmt *st;

	if (sqlite3_get_autocommit(db->conn)) {
		db->in_txn = false;
		return;
	}
	st = db_stmt(db, SQL_ROLLBACK, &ignored);
	if (st)
		db_exec_stmt(db, st, "rolling back", &ignored);
	db->in_txn = false;
}

static const char SQL_SP_BEGIN[] = "SAVEPOINT request";
static const char SQL_SP_RELEASE[] = "RELEASE request";
static const char SQL_SP_UNDO[] = "ROLLBACK TO request";

int db_request_begin(struct db *db, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SP_BEGIN, err);

	return st ? db_exec_stmt(db, st, "starting a request", err) : err->code;
}

void db_request_end(struct db *db, bool keep)
{
	struct rpc_error ignored;
	sqlite3_stmt *st;

	if (!db_in_transaction(db))
		return; /* SQLite rolled it all back: no savepoint is left */
	if (!keep && (st = db_stmt(db, SQL_SP_UNDO, &ignored)))
		db_exec_stmt(db, st, "taking a request back", &ignored);
	if ((st = db_stmt(db, SQL_SP_RELEASE, &ignored)))
		db_exec_stmt(db, st, "ending a request", &ignored);
}

bool db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->conn);
}
