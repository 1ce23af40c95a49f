/*
 * db_facts.c: see db_facts.h.  The rules are db_health.h's, line for line:
 * where the SQL truncates (CAST ... AS INTEGER, integer division) this
 * truncates the same way, and where it compares ISO dates as text this
 * does too.
 */
#include "db_facts.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "db_health.h"
#include "db_internal.h"

int db_facts_local_day(const char *moment, char out[DATE_LEN])
{
	struct tm tm = {0};
	int n = 0;

	out[0] = '\0';
	if (sscanf(moment, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &n) != 6 ||
	    n != (int)strlen(moment))
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	date_of(timegm(&tm), out);
	return 0;
}

/* Days from ISO date a to ISO date b (b - a), as julianday(b) - julianday(a). */
static long days_between(const char *a, const char *b)
{
	return date_days(b) - date_days(a);
}

static bool is(const char *s, const char *t)
{
	return strcmp(s, t) == 0;
}

/* The status on date d (db_health.h: hy.status), NULL before the task existed. */
static const char *judge_status(const struct task_facts *f, const struct task_days *days,
				const char *d)
{
	if (!f->state[0])
		return NULL;
	if (is(f->state, "registered") || is(f->state, "reviewed") || is(f->state, "returned"))
		return "not_assigned";
	if (is(f->state, "cancelled"))
		return "cancelled";
	if (is(f->state, "carried_over"))
		return "carried_over";
	if (is(f->state, "reported_done") || (is(f->state, "accepted") && !is(f->rating, "not_done"))) {
		/* No moment of completion compares as NULL in SQL: late. */
		if (days->done[0] && strcmp(days->done, f->due) <= 0)
			return "done_on_time";
		return "done_late";
	}
	return strcmp(f->due, d) >= 0 ? "within_deadline" : "overdue";
}

/* The planned percent on d (db_health.h: hy.planned). */
static int64_t judge_planned(const struct task_facts *f, const char *d)
{
	if (f->steps > 0)
		return (int64_t)f->steps_due * 100 / f->steps;
	if (strcmp(d, f->due) >= 0)
		return 100;
	if (strcmp(d, f->start) <= 0)
		return 0;
	return (int64_t)((double)days_between(f->start, d) * 100 /
			 (double)days_between(f->start, f->due));
}

void db_facts_quiet_since(const struct task_facts *f, char out[DATE_LEN])
{
	/* The last counted update, else the assignment, else the start. */
	if (db_facts_local_day(f->last_at, out) < 0 && db_facts_local_day(f->assigned_at, out) < 0)
		snprintf(out, DATE_LEN, "%s", f->start);
}

void db_facts_judge(const struct task_facts *f, const char *d, struct task_judgement *out)
{
	struct task_days days;

	db_facts_local_day(f->done_at, days.done);
	db_facts_local_day(f->last_at, days.last);
	db_facts_local_day(f->assigned_at, days.assigned);
	days.has_last = f->last_at[0] != '\0';
	db_facts_judge_days(f, &days, d, out);
}

void db_facts_judge_days(const struct task_facts *f, const struct task_days *days, const char *d,
			 struct task_judgement *out)
{
	const char *since;
	int64_t late, quiet, planned;

	memset(out, 0, sizeof(*out));
	out->status = judge_status(f, days, d);
	if (!is(f->state, "assigned") && !is(f->state, "in_progress"))
		return;
	/* Quiet since the last counted update, else the assignment, else the start. */
	since = days->last[0] ? days->last : days->assigned[0] ? days->assigned : f->start;
	late = days_between(f->due, d);
	quiet = days_between(since, d);
	planned = judge_planned(f, d);
	out->percent = f->percent;
	out->has_percent = true;
	if (quiet > db_health_stalled_days()) {
		out->health = "stalled";
		out->why = days->has_last ? "no_update" : "no_update_since_start";
		out->days = quiet;
		out->has_days = true;
	} else if (late > 0 || planned - f->percent > db_health_at_risk_margin()) {
		out->health = "at_risk";
		out->why = late > 0 ? "overdue" : "behind_plan";
		out->days = late;
		out->has_days = late > 0;
	} else {
		out->health = "on_track";
		out->why = "on_plan";
	}
	if (!is(out->health, "stalled") && late <= 0) {
		out->planned = planned;
		out->has_planned = true;
	}
}

/* The facts of task ?1 now, the steps counted against date ?2, then what
 * its row keeps (db_kept.h).  The row's percent counts only with a counted
 * update (a carried-over copy keeps its original's percent on its row, and
 * has none). */
static const char SQL_FACTS_TODAY[] =
	"SELECT t.state, coalesce(t.rating, ''),"
	" CASE WHEN t.last_update_at IS NULL THEN 0 ELSE t.percent END,"
	" coalesce(t.last_update_at, ''),"
	" coalesce((SELECT s.at FROM task_states s WHERE s.task_id = t.id"
	"  AND s.state IN ('reported_done', 'accepted')"
	"  ORDER BY s.state = 'reported_done' DESC, s.at DESC, s.id DESC LIMIT 1), ''),"
	" coalesce((SELECT s.at FROM task_states s WHERE s.task_id = t.id AND s.state = 'assigned'"
	"  ORDER BY s.at DESC, s.id DESC LIMIT 1), ''),"
	" t.due_date, coalesce(t.decision_date, tm.start_date),"
	" " SQL_STEPS("") ", " SQL_STEPS(" AND p.due_date <= ?2") ","
	" t.unit_id, t.term_id, t.owner_id,"
	" coalesce((SELECT c.managing_unit_id FROM cadres c WHERE c.id = t.owner_id), 0),"
	" t.field, t.kind, coalesce(t.done_at, ''), coalesce(t.assigned_at, ''),"
	" coalesce(t.quiet_since, ''), coalesce(t.status, ''), coalesce(t.health, ''),"
	" coalesce(t.counted, '')"
	" FROM tasks t JOIN terms tm ON tm.id = t.term_id WHERE t.id = ?1";

int db_facts_now(struct db *db, int64_t id, const char *today, struct task_facts *out,
		 struct task_kept *kept, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_FACTS_TODAY, err, "is", id, today);

	memset(out, 0, sizeof(*out));
	if (!st || db_row(db, st, "task", id, err) != RPC_OK)
		return err->code;
	db_column_copy(st, 0, out->state, sizeof(out->state));
	db_column_copy(st, 1, out->rating, sizeof(out->rating));
	out->percent = sqlite3_column_int(st, 2);
	db_column_copy(st, 3, out->last_at, sizeof(out->last_at));
	db_column_copy(st, 4, out->done_at, sizeof(out->done_at));
	db_column_copy(st, 5, out->assigned_at, sizeof(out->assigned_at));
	db_column_copy(st, 6, out->due, sizeof(out->due));
	db_column_copy(st, 7, out->start, sizeof(out->start));
	out->steps = sqlite3_column_int(st, 8);
	out->steps_due = sqlite3_column_int(st, 9);
	if (kept) {
		kept->unit_id = sqlite3_column_int64(st, 10);
		kept->term_id = sqlite3_column_int64(st, 11);
		kept->owner_id = sqlite3_column_int64(st, 12);
		kept->managing_id = sqlite3_column_int64(st, 13);
		db_column_copy(st, 14, kept->field, sizeof(kept->field));
		db_column_copy(st, 15, kept->kind, sizeof(kept->kind));
		db_column_copy(st, 16, kept->done_at, sizeof(kept->done_at));
		db_column_copy(st, 17, kept->assigned_at, sizeof(kept->assigned_at));
		db_column_copy(st, 18, kept->quiet_since, sizeof(kept->quiet_since));
		db_column_copy(st, 19, kept->status, sizeof(kept->status));
		db_column_copy(st, 20, kept->health, sizeof(kept->health));
		db_column_copy(st, 21, kept->counted, sizeof(kept->counted));
	}
	sqlite3_reset(st);
	return RPC_OK;
}

int db_facts_today(struct db *db, int64_t id, const char *today, struct task_facts *out,
		   struct rpc_error *err)
{
	return db_facts_now(db, id, today, out, NULL, err);
}
