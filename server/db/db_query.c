/*
 * db_query.c: the queries every entity file repeats: an object by id (its
 * row, its owner, its task, packed whole or as a history list), records
 * filtered the one way all of them are, and closing a record once.
 */
#include "db_internal.h"

int db_row(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
	   struct rpc_error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return RPC_OK;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return errors_set(err, RPC_NOT_FOUND, "%s: no %s with id %lld", noun, noun,
				  (long long)id);
	return db_fail(db, rc, noun, err);
}

int db_owner_of(struct db *db, const char *sql, const char *noun, int64_t id, int64_t *owner,
		struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*owner = 0;
	if (!(st = db_prep(db, sql, err, "i", id)))
		return err->code;
	if ((rc = db_row(db, st, noun, id, err)) != RPC_OK)
		return rc;
	*owner = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_exec_once(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
		 const char *state, struct rpc_error *err)
{
	int rc = db_exec_stmt(db, st, noun, err);

	if (rc != RPC_OK)
		return rc;
	if (!sqlite3_changes(db->conn))
		return errors_set(err, RPC_CONFLICT, "%s: %s %lld is already %s", noun, noun,
				  (long long)id, state);
	return RPC_OK;
}

int db_close_once(struct db *db, const char *sql, const char *noun, int64_t id,
		  struct text text, int64_t by, const char *now, const char *state,
		  struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, sql, err, "itis", id, text, by, now);

	if (!st)
		return err->code;
	return db_exec_once(db, st, noun, id, state, err);
}

/* The statement for sql with id bound at ?1 and date (unless NULL) at ?9,
 * or NULL with err set. */
static sqlite3_stmt *stmt_for_id(struct db *db, const char *sql, int64_t id, const char *date,
				 struct rpc_error *err)
{
	/* ?9 only when given: not every such query has one */
	return date ? db_prep(db, sql, err, "i9s", id, date) : db_prep(db, sql, err, "i", id);
}

int db_pack_by_id(struct db *db, const char *sql, const char *noun, int64_t id, const char *date,
		  const char *const *bools, int extra, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, date, err);

	if (!st)
		return err->code;
	return db_pack_one(db, st, noun, id, bools, extra, pk, err);
}

int db_pack_rows_by_id(struct db *db, const char *sql, int64_t id, const char *date,
		       msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, date, err);

	if (!st || db_pack_rows(db, st, pk, NULL, err) < 0)
		return err->code;
	return RPC_OK;
}

sqlite3_stmt *db_stmt_records(struct db *db, const char *sql, const struct record_filter *f,
			      const char *today, struct rpc_error *err)
{
	return db_prep(db, sql, err, "rrrdds9s", f->scope, f->task, f->from, (int)f->open_only,
		       (int)f->overdue_only, f->due_by, today);
}

int db_pack_items_by_id(struct db *db, const char *sql, int64_t id, const char *date,
			const char *const *bools, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, date, err);

	if (!st)
		return err->code;
	return db_pack_list(db, st, bools, 0, pk, err);
}

int db_task_of(struct db *db, const char *sql, const char *noun, int64_t id, int64_t *task,
	       bool *flag, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, NULL, err);
	int rc;

	*task = 0;
	*flag = false;
	if (!st)
		return err->code;
	if ((rc = db_row(db, st, noun, id, err)) != RPC_OK)
		return rc;
	*task = sqlite3_column_int64(st, 0);
	*flag = sqlite3_column_int(st, 1) != 0;
	sqlite3_reset(st);
	return RPC_OK;
}
