/*
 * db_inspection.c: storage for inspections (kiểm tra, giám sát) of a task
 * and the actions they require.  An inspection records its date, findings
 * and conclusions; each required action has a due date and is marked done
 * once.  An action not done whose due date is before today is overdue.
 */
#include "db_internal.h"

#include "db_inspection.h"
#include "pack.h"

/* The action object of PROTOCOL.md 6e; ?9 is today. */
#define ACTION_COLUMNS \
	"x.id AS id, x.inspection_id AS inspection_id, i.task_id AS task_id, " \
	"t.title AS task_title, x.what AS what, x.due_date AS due_date, " \
	"x.done_at AS done_at, x.done_note AS done_note, " \
	"x.done_by_account_id AS done_by_account_id, da.display_name AS done_by, " \
	"(x.done_at IS NULL AND x.due_date < ?9) AS overdue"

#define ACTION_FROM \
	" FROM inspection_actions x JOIN inspections i ON i.id = x.inspection_id" \
	" JOIN tasks t ON t.id = i.task_id" \
	" LEFT JOIN accounts da ON da.id = x.done_by_account_id"

/* The inspection object, less its actions (packed after as one more pair). */
#define INSPECTION_COLUMNS \
	"i.id AS id, i.task_id AS task_id, t.title AS task_title, i.date AS date, " \
	"i.findings AS findings, i.conclusions AS conclusions, " \
	"i.account_id AS by_account_id, a.display_name AS by, i.created_at AS created_at"

#define INSPECTION_FROM \
	" FROM inspections i JOIN tasks t ON t.id = i.task_id" \
	" JOIN accounts a ON a.id = i.account_id"

static const char *const action_bools[] = {"overdue", NULL};

static const char SQL_INSERT[] =
	"INSERT INTO inspections (task_id, date, findings, conclusions, account_id, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
static const char SQL_ADD_ACTION[] =
	"INSERT INTO inspection_actions (inspection_id, what, due_date) VALUES (?1, ?2, ?3)";
static const char SQL_GET[] = "SELECT " INSPECTION_COLUMNS INSPECTION_FROM " WHERE i.id = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM inspections WHERE task_id = ?1";
static const char SQL_LIST[] =
	"SELECT " INSPECTION_COLUMNS INSPECTION_FROM " WHERE i.task_id = ?1 ORDER BY i.date, i.id";
static const char SQL_ACTIONS_OF[] =
	"SELECT " ACTION_COLUMNS ACTION_FROM " WHERE x.inspection_id = ?1 ORDER BY x.id";
static const char SQL_ACTION_TASK[] =
	"SELECT i.task_id FROM inspection_actions x "
	"JOIN inspections i ON i.id = x.inspection_id WHERE x.id = ?1";
static const char SQL_DONE[] =
	"UPDATE inspection_actions SET done_at = ?4, done_note = ?2, done_by_account_id = ?3 "
	"WHERE id = ?1 AND done_at IS NULL";
static const char SQL_ACTION_GET[] = "SELECT " ACTION_COLUMNS ACTION_FROM " WHERE x.id = ?1";
static const char SQL_ACTION_LIST[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT " ACTION_COLUMNS ACTION_FROM
	" WHERE (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))"
	" AND (?2 IS NULL OR i.task_id = ?2)"
	" AND (NOT ?4 OR x.done_at IS NULL)"
	" AND (NOT ?5 OR (x.done_at IS NULL AND x.due_date < ?9))"
	" AND (?6 IS NULL OR x.due_date <= ?6)"
	" ORDER BY overdue DESC, x.due_date, x.id";

int db_inspection_record(struct db *db, const struct inspection_input *in, int64_t by,
			 const char *now, int64_t *id, struct rpc_error *err)
{
	return db_insert(db, SQL_INSERT, "inspection", id, err, "isttis", in->task, in->date,
			 in->findings, in->conclusions, by, now);
}

int db_inspection_add_action(struct db *db, int64_t inspection, struct text what,
			     const char *due_date, struct rpc_error *err)
{
	return db_run(db, SQL_ADD_ACTION, "inspection action", err, "its", inspection, what,
		      due_date);
}

/* Packs "actions": the actions of inspection id, as of today. */
static int pack_actions(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
			struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_ACTIONS_OF, err, "i9s", id, today);

	if (!st)
		return err->code;
	pack_str(pk, "actions");
	return db_pack_rows(db, st, pk, action_bools, err) < 0 ? err->code : RPC_OK;
}

int db_inspection_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		       struct rpc_error *err)
{
	int rc = db_pack_by_id(db, SQL_GET, "inspection", id, NULL, NULL, 1, pk, err);

	return rc == RPC_OK ? pack_actions(db, id, today, pk, err) : rc;
}

int db_inspection_list(struct db *db, int64_t task, const char *today, msgpack_packer *pk,
		       struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t n, k = 0;
	int rc;

	if ((rc = db_one_int64(db, SQL_COUNT, &n, err, "i", task)) != RPC_OK)
		return rc;
	if (!(st = db_prep(db, SQL_LIST, err, "i", task)))
		return err->code;
	msgpack_pack_map(pk, 2);
	pack_str(pk, "items");
	msgpack_pack_array(pk, (size_t)n);
	/* Each inspection, then its actions from their own statement; the
	 * count came first in the same transaction, so the array holds n. */
	while (k < n && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		db_pack_row_open(st, pk, NULL, 1);
		if ((rc = pack_actions(db, sqlite3_column_int64(st, 0), today, pk, err)) != RPC_OK)
			return db_done(st, rc);
		k++;
	}
	sqlite3_reset(st);
	if (k < n)
		return db_fail(db, rc, "listing inspections", err);
	pack_kv_int(pk, "total", n);
	return RPC_OK;
}

int db_action_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err)
{
	return db_owner_of(db, SQL_ACTION_TASK, "action", id, task, err);
}

int db_action_done(struct db *db, int64_t id, struct text note, int64_t by, const char *now,
		   struct rpc_error *err)
{
	return db_close_once(db, SQL_DONE, "action", id, note, by, now, "done", err);
}

int db_action_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		   struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_ACTION_GET, "action", id, today, action_bools, 0, pk, err);
}

int db_action_list(struct db *db, const struct record_filter *f, const char *today,
		   msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt_records(db, SQL_ACTION_LIST, f, today, err);

	return st ? db_pack_list(db, st, action_bools, 0, pk, err) : err->code;
}
