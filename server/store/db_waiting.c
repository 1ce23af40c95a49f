/*
 * db_waiting.c: what waits for an account, counted for session.auth's
 * `waiting` and listed by inbox.get.  The counts are the lists' own
 * conditions (db_reminder.c's, db_explanation.c's and db_inspection.c's
 * with the filters inbox.get gives them), so the inbox shows exactly
 * what a sign-in counted.  Each count goes from the scope's units down
 * the existing indexes (units_parent, tasks_unit, then the record's
 * task index), so it reads the scope's tasks, not the whole table; a
 * focal point's count starts from its own tasks (tasks_focal_point), so
 * an admin's, over the whole tree, reads only those.
 */
#include "db_internal.h"

#include "db_waiting.h"
#include "pack.h"

#define IN_SCOPE " AND t.unit_id IN (SELECT id FROM sub)"

/* ?1 the scope, ?2 today, ?3 the last due date that counts (soon). */
static const char SQL_OFFICE[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT "
	"(SELECT count(*) FROM tasks t JOIN reminders r ON r.task_id = t.id"
	"  WHERE r.answer IS NULL" IN_SCOPE "), "
	"(SELECT count(*) FROM tasks t JOIN reminders r ON r.task_id = t.id"
	"  WHERE r.answer IS NULL AND r.answer_by < ?2" IN_SCOPE "), "
	"(SELECT count(*) FROM tasks t JOIN explanations e ON e.task_id = t.id"
	"  WHERE e.answer IS NULL" IN_SCOPE "), "
	"(SELECT count(*) FROM tasks t JOIN inspections i ON i.task_id = t.id"
	"  JOIN inspection_actions x ON x.inspection_id = i.id"
	"  WHERE x.done_at IS NULL AND x.due_date <= ?3" IN_SCOPE ")";

/* The updates a focal point (?2) has to appraise: not yet appraised, of
 * an unfinished task (a finished task's updates are not appraised). */
#define TO_APPRAISE \
	" FROM tasks t JOIN updates u ON u.task_id = t.id" \
	" WHERE t.focal_point_account_id = ?2" \
	" AND t.state NOT IN ('accepted', 'cancelled', 'carried_over')" \
	" AND NOT EXISTS (SELECT 1 FROM appraisals a WHERE a.update_id = u.id)"

/* The reminders ?2 sent, unanswered, answer_by before today (?3). */
#define SENT_OVERDUE \
	" FROM reminders r JOIN tasks t ON t.id = r.task_id" \
	" WHERE r.from_account_id = ?2 AND r.answer IS NULL AND r.answer_by < ?3"

static const char SQL_FOCAL_SCOPED[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT "
	"(SELECT count(*)" TO_APPRAISE IN_SCOPE "), "
	"(SELECT count(*)" SENT_OVERDUE IN_SCOPE ")";
static const char SQL_FOCAL_ALL[] =
	"SELECT (SELECT count(*)" TO_APPRAISE "), (SELECT count(*)" SENT_OVERDUE ")";

#define APPRAISAL_COLUMNS \
	"SELECT u.id AS id, u.task_id AS task_id, t.title AS task_title, u.percent AS percent, " \
	"u.done AS done, u.reported_at AS reported_at"
static const char SQL_APPRAISALS_SCOPED[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " " APPRAISAL_COLUMNS TO_APPRAISE IN_SCOPE
	" ORDER BY u.id";
static const char SQL_APPRAISALS_ALL[] = APPRAISAL_COLUMNS TO_APPRAISE " ORDER BY u.id";

/* Adds the n columns of st's one row to out[0..n), then resets st. */
static int add_row(struct db *db, sqlite3_stmt *st, int64_t *const *out, int n,
		   struct rpc_error *err)
{
	int rc = sqlite3_step(st);

	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "counting what waits", err);
	for (int i = 0; i < n; i++)
		*out[i] += sqlite3_column_int64(st, i);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_waiting_office(struct db *db, int64_t scope, const char *today, const char *soon,
		      struct waiting *w, struct rpc_error *err)
{
	int64_t *const out[] = {&w->reminders, &w->reminders_overdue, &w->explanations,
				&w->actions};
	sqlite3_stmt *st = db_prep(db, SQL_OFFICE, err, "iss", scope, today, soon);

	return st ? add_row(db, st, out, 4, err) : err->code;
}

int db_waiting_focal(struct db *db, int64_t account, int64_t scope, const char *today,
		     struct waiting *w, struct rpc_error *err)
{
	int64_t *const out[] = {&w->appraisals, &w->sent_overdue};
	sqlite3_stmt *st = db_prep(db, scope ? SQL_FOCAL_SCOPED : SQL_FOCAL_ALL, err, "ris",
				   scope, account, today);

	return st ? add_row(db, st, out, 2, err) : err->code;
}

int db_waiting_appraisals(struct db *db, int64_t account, int64_t scope, msgpack_packer *pk,
			  struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, scope ? SQL_APPRAISALS_SCOPED : SQL_APPRAISALS_ALL, err,
				   "ri", scope, account);

	return st ? db_pack_list(db, st, NULL, 0, pk, err) : err->code;
}
