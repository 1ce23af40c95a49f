/*
 * db_reminder.c: storage for a task's focal point and its reminders (đôn
 * đốc).  A reminder goes from the focal point (or the managing body) to
 * the office of the task, with a date to answer by; it is answered once.
 * An unanswered reminder whose answer_by is before today is overdue.
 */
#include "db_internal.h"

#include "db_reminder.h"
#include "pack.h"

/* The reminder object of PROTOCOL.md; ?9 is today. */
#define REMINDER_COLUMNS \
	"r.id AS id, r.task_id AS task_id, t.title AS task_title, " \
	"r.from_account_id AS from_account_id, fa.display_name AS \"from\", " \
	"r.message AS message, r.answer_by AS answer_by, r.created_at AS created_at, " \
	"r.answer AS answer, r.answered_at AS answered_at, " \
	"r.answered_by_account_id AS answered_by_account_id, " \
	"aa.display_name AS answered_by, " \
	"(r.answer IS NULL AND r.answer_by < ?9) AS overdue"

#define REMINDER_FROM \
	" FROM reminders r JOIN tasks t ON t.id = r.task_id" \
	" JOIN accounts fa ON fa.id = r.from_account_id" \
	" LEFT JOIN accounts aa ON aa.id = r.answered_by_account_id"

#define REMINDER_WHERE \
	" WHERE (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))" \
	" AND (?2 IS NULL OR r.task_id = ?2)" \
	" AND (?3 IS NULL OR r.from_account_id = ?3)" \
	" AND (NOT ?4 OR r.answer IS NULL)" \
	" AND (NOT ?5 OR (r.answer IS NULL AND r.answer_by < ?9))"

static const char *const reminder_bools[] = {"overdue", NULL};

/* 1, 1 when account ?2 is an active supervisor or admin, and its scope
 * holds the unit of task ?1 (walking up from it). */
static const char SQL_FOCAL_CHECK[] =
	"WITH RECURSIVE " SQL_ANCESTORS("unit_id FROM tasks WHERE id = ?1") " "
	"SELECT a.role IN ('supervisor', 'admin') AND a.active, "
	"a.scope_unit_id IS NULL OR a.scope_unit_id IN (SELECT id FROM anc) "
	"FROM accounts a WHERE a.id = ?2";
static const char SQL_SET_FOCAL[] =
	"UPDATE tasks SET focal_point_account_id = ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_FOCAL[] =
	"SELECT coalesce(focal_point_account_id, 0) FROM tasks WHERE id = ?1";
static const char SQL_FOCAL_GET[] =
	"SELECT a.id AS id, a.login AS login, a.display_name AS display_name "
	"FROM tasks t JOIN accounts a ON a.id = t.focal_point_account_id WHERE t.id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO reminders (task_id, from_account_id, message, answer_by, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TASK_OF[] =
	"SELECT task_id, answer IS NOT NULL FROM reminders WHERE id = ?1";
static const char SQL_ANSWER[] =
	"UPDATE reminders SET answer = ?2, answered_at = ?4, answered_by_account_id = ?3 "
	"WHERE id = ?1 AND answer IS NULL";
static const char SQL_GET[] =
	"SELECT " REMINDER_COLUMNS REMINDER_FROM " WHERE r.id = ?1";
static const char SQL_LIST[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT " REMINDER_COLUMNS REMINDER_FROM
	REMINDER_WHERE " ORDER BY r.id";
static const char SQL_INBOX[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT " REMINDER_COLUMNS REMINDER_FROM
	REMINDER_WHERE " ORDER BY overdue DESC, r.answer_by, r.id";

int db_focal_point_check(struct db *db, int64_t task, int64_t account, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_FOCAL_CHECK, err, "ii", task, account);
	bool role_ok, covers;
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "account", account, err)) != RPC_OK)
		return rc;
	role_ok = sqlite3_column_int(st, 0) != 0;
	covers = sqlite3_column_int(st, 1) != 0;
	sqlite3_reset(st);
	if (!role_ok)
		return errors_set(err, RPC_INVALID_ARGUMENT,
				  "account: account %lld is not an active supervisor or admin; "
				  "a focal point must be one",
				  (long long)account);
	if (!covers)
		return errors_set(err, RPC_INVALID_ARGUMENT,
				  "account: the scope of account %lld does not hold the unit of "
				  "task %lld",
				  (long long)account, (long long)task);
	return RPC_OK;
}

int db_task_set_focal_point(struct db *db, int64_t task, int64_t account, const char *now,
			    struct rpc_error *err)
{
	int rc = db_run(db, SQL_SET_FOCAL, "task", err, "irs", task, account, now);

	if (rc != RPC_OK)
		return rc;
	return sqlite3_changes(db->conn)
		       ? RPC_OK
		       : errors_set(err, RPC_NOT_FOUND, "task: no task with id %lld",
				    (long long)task);
}

int db_task_focal_point(struct db *db, int64_t task, int64_t *account, struct rpc_error *err)
{
	return db_one_int64(db, SQL_FOCAL, account, err, "i", task);
}

int db_task_pack_focal_point(struct db *db, int64_t task, msgpack_packer *pk,
			     struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_FOCAL_GET, err, "i", task);

	if (!st)
		return err->code;
	pack_str(pk, "focal_point");
	return db_pack_row_or_nil(db, st, pk, "task", err);
}

int db_reminder_send(struct db *db, int64_t task, int64_t from, struct text message,
		     const char *answer_by, const char *now, int64_t *id, struct rpc_error *err)
{
	return db_insert(db, SQL_INSERT, "reminder", id, err, "iitss", task, from, message,
			 answer_by, now);
}

int db_reminder_task(struct db *db, int64_t id, int64_t *task, bool *answered,
		     struct rpc_error *err)
{
	return db_task_of(db, SQL_TASK_OF, "reminder", id, task, answered, err);
}

int db_reminder_answer(struct db *db, int64_t id, struct text answer, int64_t by,
		       const char *now, struct rpc_error *err)
{
	return db_close_once(db, SQL_ANSWER, "reminder", id, answer, by, now, "answered", err);
}

int db_reminder_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		     struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "reminder", id, today, reminder_bools, 0, pk, err);
}

int db_reminder_list(struct db *db, const struct record_filter *f, const char *today,
		     msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt_records(db, f->inbox_order ? SQL_INBOX : SQL_LIST, f, today, err);

	return st ? db_pack_list(db, st, reminder_bools, 0, pk, err) : err->code;
}
