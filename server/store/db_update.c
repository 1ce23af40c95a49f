/*
 * db_update.c: storage for progress updates.  Updates are append-only (the
 * schema's triggers refuse UPDATE and DELETE); the task row carries the
 * newest counted one's percent and time, and the count of counted ones, so
 * lists need no join.  An update counts unless the focal point returned it
 * (db_appraisal.c); after a return db_update_recount() puts the task row
 * back on the newest update still counted.
 */
#include "db_update.h"

#include "db_internal.h"
#include "db_task.h"
#include "pack.h"

/* The update object of PROTOCOL.md: its own columns, then the appraisal's
 * (nested by db_pack_nested_row; verdict NULL: not appraised). */
#define UPDATE_COLUMNS \
	"u.id AS id, u.task_id AS task_id, u.percent AS percent, u.done AS done, " \
	"u.difficulties AS difficulties, u.proposals AS proposals, " \
	"u.reported_at AS reported_at, " \
	"ap.verdict AS verdict, ap.reason AS reason, ap.account_id AS by_account_id, " \
	"pa.display_name AS by, ap.at AS at"
#define UPDATE_SPLIT 7

#define UPDATE_FROM \
	" FROM updates u LEFT JOIN appraisals ap ON ap.update_id = u.id" \
	" LEFT JOIN accounts pa ON pa.id = ap.account_id"

static const struct db_nest update_nest = {UPDATE_SPLIT, "appraisal", NULL};

/* An update counts unless it was returned. */
#define COUNTED(alias) \
	" NOT EXISTS (SELECT 1 FROM appraisals r WHERE r.update_id = " alias ".id" \
	" AND r.verdict = 'returned')"

static const char SQL_TOUCH_TASK[] =
	"UPDATE tasks SET percent = ?2, last_update_at = ?3, update_count = update_count + 1, "
	"updated_at = ?3 WHERE id = ?1";
/* The task row from its counted updates: the newest one's percent (0 when
 * none counts) and time (NULL), and how many count. */
static const char SQL_RECOUNT[] =
	"UPDATE tasks SET "
	"percent = coalesce((SELECT c.percent FROM updates c WHERE c.task_id = ?1 AND" COUNTED("c")
	"  ORDER BY c.id DESC LIMIT 1), 0), "
	"last_update_at = (SELECT c.reported_at FROM updates c WHERE c.task_id = ?1 AND"
	COUNTED("c") "  ORDER BY c.id DESC LIMIT 1), "
	"update_count = (SELECT count(*) FROM updates c WHERE c.task_id = ?1 AND" COUNTED("c") "), "
	"updated_at = ?2 WHERE id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO updates (task_id, percent, done, difficulties, proposals, reported_at) "
	"VALUES (?1, ?2, ?3, coalesce(?4, ''), coalesce(?5, ''), ?6)";
static const char SQL_GET[] = "SELECT " UPDATE_COLUMNS UPDATE_FROM " WHERE u.id = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM updates WHERE task_id = ?1";
static const char SQL_LIST[] =
	"SELECT " UPDATE_COLUMNS UPDATE_FROM " WHERE u.task_id = ?1 AND u.id > ?2 "
	"ORDER BY u.id LIMIT ?3";

int db_update_create(struct db *db, const struct update_input *in, const char *now, int64_t *id,
		     struct rpc_error *err)
{
	int rc = db_run(db, SQL_TOUCH_TASK, "task", err, "iis", in->task, in->percent, now);

	if (rc != RPC_OK)
		return rc;
	if (sqlite3_changes(db->conn) == 0)
		return errors_set(err, RPC_NOT_FOUND, "task: no task with id %lld",
				  (long long)in->task);
	return db_insert(db, SQL_INSERT, "update", id, err, "iittts", in->task, in->percent,
			 in->done, in->difficulties, in->proposals, now);
}

int db_update_recount(struct db *db, int64_t task, const char *now, struct rpc_error *err)
{
	return db_run(db, SQL_RECOUNT, "task", err, "is", task, now);
}

int db_update_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_GET, err, "i", id);
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "update", id, err)) != RPC_OK)
		return rc;
	db_pack_nested_row(st, pk, &update_nest);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_update_list(struct db *db, int64_t task, const struct page *pg, msgpack_packer *pk,
		   struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t total;
	int rc;

	if ((rc = db_task_check(db, "task", task, err)) != RPC_OK ||
	    (rc = db_one_int64(db, SQL_COUNT, &total, err, "i", task)) != RPC_OK)
		return rc;
	if (!(st = db_prep(db, SQL_LIST, err, "iii", task, pg->after, pg->limit + 1)))
		return err->code;
	msgpack_pack_map(pk, 3);
	if ((rc = db_pack_page_with(db, st, pg->limit, pk, db_pack_nested_row, &update_nest,
				    err)) != RPC_OK)
		return rc;
	pack_kv_int(pk, "total", total);
	return RPC_OK;
}
