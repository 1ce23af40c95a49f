/*
 * db_explanation.c: storage for explanation requests (yêu cầu giải trình).
 * The focal point (or the managing body) asks the office of a late or
 * stalled task to explain, with a date to answer by; the office answers
 * once.  An unanswered request whose answer_by is before today is overdue,
 * as reminders are (db_reminder.c).
 */
#include "db_internal.h"

#include "db_explanation.h"
#include "pack.h"

/* The explanation object of PROTOCOL.md 6e; ?9 is today. */
#define EXPLANATION_COLUMNS \
	"e.id AS id, e.task_id AS task_id, t.title AS task_title, " \
	"e.from_account_id AS from_account_id, fa.display_name AS \"from\", " \
	"e.question AS question, e.answer_by AS answer_by, e.created_at AS created_at, " \
	"e.answer AS answer, e.answered_at AS answered_at, " \
	"e.answered_by_account_id AS answered_by_account_id, " \
	"aa.display_name AS answered_by, " \
	"(e.answer IS NULL AND e.answer_by < ?9) AS overdue"

#define EXPLANATION_FROM \
	" FROM explanations e JOIN tasks t ON t.id = e.task_id" \
	" JOIN accounts fa ON fa.id = e.from_account_id" \
	" LEFT JOIN accounts aa ON aa.id = e.answered_by_account_id"

static const char *const explanation_bools[] = {"overdue", NULL};

static const char SQL_INSERT[] =
	"INSERT INTO explanations (task_id, from_account_id, question, answer_by, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TASK_OF[] = "SELECT task_id FROM explanations WHERE id = ?1";
static const char SQL_ANSWER[] =
	"UPDATE explanations SET answer = ?2, answered_at = ?4, answered_by_account_id = ?3 "
	"WHERE id = ?1 AND answer IS NULL";
static const char SQL_GET[] =
	"SELECT " EXPLANATION_COLUMNS EXPLANATION_FROM " WHERE e.id = ?1";
/* Open ones come overdue first, then by the date to answer by, as an
 * inbox reads; all of them in the order they were asked. */
static const char SQL_LIST[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT " EXPLANATION_COLUMNS EXPLANATION_FROM
	" WHERE (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))"
	" AND (?2 IS NULL OR e.task_id = ?2)"
	" AND (NOT ?4 OR e.answer IS NULL)"
	" ORDER BY CASE WHEN ?4 THEN NOT overdue END, CASE WHEN ?4 THEN e.answer_by END, e.id";

int db_explanation_request(struct db *db, int64_t task, int64_t from, struct text question,
			   const char *answer_by, const char *now, int64_t *id,
			   struct rpc_error *err)
{
	return db_insert(db, SQL_INSERT, "explanation", id, err, "iitss", task, from, question,
			 answer_by, now);
}

int db_explanation_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err)
{
	return db_owner_of(db, SQL_TASK_OF, "explanation", id, task, err);
}

int db_explanation_answer(struct db *db, int64_t id, struct text answer, int64_t by,
			  const char *now, struct rpc_error *err)
{
	return db_close_once(db, SQL_ANSWER, "explanation", id, answer, by, now, "answered", err);
}

int db_explanation_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
			struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "explanation", id, today, explanation_bools, 0, pk, err);
}

int db_explanation_list(struct db *db, const struct record_filter *f, const char *today,
			msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt_records(db, SQL_LIST, f, today, err);

	return st ? db_pack_list(db, st, explanation_bools, 0, pk, err) : err->code;
}
