/*
 * db_followup.c: storage for follow-up checks (dứt điểm): some months
 * after a task was accepted, the focal point checks that the problem has
 * not come back and records the result once, "holds" or "relapsed".  A
 * check not recorded whose due date has come (on or before today) is due.
 * The list counts them for reports.
 */
#include "db_internal.h"

#include "db_followup.h"
#include "pack.h"

/* The follow-up object of PROTOCOL.md 6e; ?9 is today. */
#define FOLLOWUP_COLUMNS \
	"f.id AS id, f.task_id AS task_id, t.title AS task_title, f.due_date AS due_date, " \
	"f.what AS what, f.account_id AS by_account_id, a.display_name AS by, " \
	"f.created_at AS created_at, f.result AS result, f.note AS note, " \
	"f.recorded_at AS recorded_at, f.recorded_by_account_id AS recorded_by_account_id, " \
	"ra.display_name AS recorded_by, (f.result IS NULL AND f.due_date <= ?9) AS due"

#define FOLLOWUP_FROM \
	" FROM followups f JOIN tasks t ON t.id = f.task_id" \
	" JOIN accounts a ON a.id = f.account_id" \
	" LEFT JOIN accounts ra ON ra.id = f.recorded_by_account_id"

/* ?1 scope (subtree `sub`), ?2 task; ?4 open only (the list alone):
 * db_stmt_records' positions. */
#define FOLLOWUP_WHERE \
	" WHERE (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))" \
	" AND (?2 IS NULL OR f.task_id = ?2)"

static const char *const followup_bools[] = {"due", NULL};

static const char SQL_INSERT[] =
	"INSERT INTO followups (task_id, due_date, what, account_id, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TASK_OF[] = "SELECT task_id FROM followups WHERE id = ?1";
static const char SQL_RECORD[] =
	"UPDATE followups SET result = ?2, note = ?3, recorded_by_account_id = ?4, "
	"recorded_at = ?5 WHERE id = ?1 AND result IS NULL";
static const char SQL_GET[] = "SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM " WHERE f.id = ?1";
static const char SQL_LIST[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT " FOLLOWUP_COLUMNS FOLLOWUP_FROM
	FOLLOWUP_WHERE " AND (NOT ?4 OR f.result IS NULL) ORDER BY f.due_date, f.id";
static const char SQL_COUNTS[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT count(*) AS scheduled, "
	"coalesce(sum(f.result = 'holds'), 0) AS held, "
	"coalesce(sum(f.result = 'relapsed'), 0) AS relapsed, "
	"coalesce(sum(f.result IS NULL), 0) AS open, "
	"coalesce(sum(f.result IS NULL AND f.due_date <= ?9), 0) AS due "
	"FROM followups f JOIN tasks t ON t.id = f.task_id" FOLLOWUP_WHERE;

int db_followup_schedule(struct db *db, int64_t task, const char *due_date, struct text what,
			 int64_t by, const char *now, int64_t *id, struct rpc_error *err)
{
	return db_insert(db, SQL_INSERT, "followup", id, err, "istis", task, due_date, what, by,
			 now);
}

int db_followup_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err)
{
	return db_owner_of(db, SQL_TASK_OF, "followup", id, task, err);
}

int db_followup_record(struct db *db, int64_t id, const char *result, struct text note,
		       int64_t by, const char *now, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_RECORD, err, "istis", id, result, note, by, now);

	if (!st)
		return err->code;
	return db_exec_once(db, st, "followup", id, "recorded", err);
}

int db_followup_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		     struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "followup", id, today, followup_bools, 0, pk, err);
}

int db_followup_list(struct db *db, const struct record_filter *f, const char *today,
		     msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt_records(db, SQL_LIST, f, today, err);
	int rc;

	if (!st || (rc = db_pack_list(db, st, followup_bools, 1, pk, err)) != RPC_OK)
		return err->code;
	if (!(st = db_stmt_records(db, SQL_COUNTS, f, today, err)))
		return err->code;
	pack_str(pk, "counts");
	return db_pack_one(db, st, "followup", 0, NULL, 0, pk, err);
}
