/*
 * db_update.c: storage for progress updates.  Updates are append-only (the
 * schema's triggers refuse UPDATE and DELETE); the task row carries the
 * newest one's percent and time, and the count, so lists need no join.
 */
#include "db_internal.h"

#include "pack.h"

/* The update object of PROTOCOL.md. */
#define UPDATE_COLUMNS \
	"id AS id, task_id AS task_id, percent AS percent, done AS done, " \
	"difficulties AS difficulties, proposals AS proposals, reported_at AS reported_at"

static const char SQL_TOUCH_TASK[] =
	"UPDATE tasks SET percent = ?2, last_update_at = ?3, update_count = update_count + 1, "
	"updated_at = ?3 WHERE id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO updates (task_id, percent, done, difficulties, proposals, reported_at) "
	"VALUES (?1, ?2, ?3, coalesce(?4, ''), coalesce(?5, ''), ?6)";
static const char SQL_GET[] = "SELECT " UPDATE_COLUMNS " FROM updates WHERE id = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM updates WHERE task_id = ?1";
static const char SQL_LIST[] =
	"SELECT " UPDATE_COLUMNS " FROM updates WHERE task_id = ?1 AND id > ?2 "
	"ORDER BY id LIMIT ?3";

int db_update_create(struct db *db, const struct update_input *in, const char *now, int64_t *id,
		     struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_TOUCH_TASK, err);
	int b, rc;

	if (!st)
		return err->code;
	b = sqlite3_bind_int64(st, 1, in->task) | sqlite3_bind_int64(st, 2, in->percent) |
	    db_bind_cstr(st, 3, now);
	if ((rc = db_bind_check(db, st, b, err)) != RPC_OK ||
	    (rc = db_exec_stmt(db, st, "task", err)) != RPC_OK)
		return rc;
	if (sqlite3_changes(db->conn) == 0)
		return errors_set(err, RPC_NOT_FOUND, "task: no task with id %lld",
				  (long long)in->task);

	if (!(st = db_stmt(db, SQL_INSERT, err)))
		return err->code;
	b = sqlite3_bind_int64(st, 1, in->task) | sqlite3_bind_int64(st, 2, in->percent) |
	    db_bind_text(st, 3, in->done) | db_bind_text(st, 4, in->difficulties) |
	    db_bind_text(st, 5, in->proposals) | db_bind_cstr(st, 6, now);
	if ((rc = db_bind_check(db, st, b, err)) != RPC_OK ||
	    (rc = db_exec_stmt(db, st, "update", err)) != RPC_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(db->conn);
	return RPC_OK;
}

int db_update_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "update", id, NULL, NULL, 0, pk, err);
}

int db_update_list(struct db *db, int64_t task, const struct page *pg, msgpack_packer *pk,
		   struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t total;
	int b, rc;

	if ((rc = db_task_check(db, "task", task, err)) != RPC_OK)
		return rc;
	if (!(st = db_stmt(db, SQL_COUNT, err)))
		return err->code;
	if ((rc = db_bind_check(db, st, sqlite3_bind_int64(st, 1, task), err)) != RPC_OK ||
	    (rc = db_scalar(db, st, &total, err)) != RPC_OK)
		return rc;
	if (!(st = db_stmt(db, SQL_LIST, err)))
		return err->code;
	b = sqlite3_bind_int64(st, 1, task) | sqlite3_bind_int64(st, 2, pg->after) |
	    sqlite3_bind_int64(st, 3, pg->limit + 1);
	if ((rc = db_bind_check(db, st, b, err)) != RPC_OK)
		return rc;
	msgpack_pack_map(pk, 3);
	if ((rc = db_pack_page(db, st, pg->limit, pk, NULL, err)) != RPC_OK)
		return rc;
	pack_kv_int(pk, "total", total);
	return RPC_OK;
}
