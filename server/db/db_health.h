/*
 * db_health.h: a task's official status and its health on a cut-off date,
 * as SQL fragments the db*.c queries share (PROTOCOL.md 6f).  The cut-off
 * date is always parameter ?9 (the as-of date of the task queries), and
 * "on D" means by the end of day D in the server's local time: every
 * moment compared is at or before SQL_CUTOFF.
 *
 * Status on D reads the history of states (task_states, migration 9) and
 * the updates reported by D, nothing later, so a figure as of 31/03 is the
 * same when asked again in June:
 *   - no state by D: the task did not exist yet (status nil);
 *   - registered, reviewed, returned: not_assigned;
 *   - cancelled, carried_over: themselves;
 *   - reported_done, or accepted with a rating other than not_done: done,
 *     dated by the latest report of completion by D (the acceptance's own
 *     moment for tasks that have no report on record): done_on_time when
 *     that day is on or before due_date, else done_late;
 *   - otherwise (assigned, in_progress, accepted as not_done):
 *     within_deadline while due_date >= D, else overdue.
 * Health on D, only for tasks assigned or in_progress on D:
 *   - stalled: no counted update for dp_stalled_days() days before D (since
 *     the last update, or since the assignment, or the decision date or the
 *     term's start when there is none);
 *   - at_risk: overdue, or the percent of the latest counted update by D is
 *     behind the planned percent by more than dp_at_risk_margin() points;
 *     planned is the share of the plan's dated steps due by D when there are
 *     any, else the straight line from the start (decision date, else the
 *     term's start) to due_date;
 *   - on_track otherwise.
 *
 * The thresholds are public (the options set them, server.info shows
 * them); the SQL fragments and db_health_functions are for db*.c only,
 * which include db_internal.h (SQL_UPDATE_COUNTED) before using them.
 */
#ifndef DOTPHA_DB_HEALTH_H
#define DOTPHA_DB_HEALTH_H

#include "db.h"

typedef struct sqlite3 sqlite3; /* sqlite3.h, which only db*.c include */

#define DB_HEALTH_STALLED_DAYS 30   /* default: stalled after this many days without an update */
#define DB_HEALTH_AT_RISK_MARGIN 15 /* default: at risk this many points behind the plan */

/* Sets the thresholds of health for every query from now on (process-wide). */
void db_health_set(int stalled_days, int at_risk_margin);
int db_health_stalled_days(void);
int db_health_at_risk_margin(void);

/* ---- for db*.c: status and health in SQL ---- */

/* The end of the local day ?9 as a stored (UTC) moment. */
#define SQL_CUTOFF "strftime('%Y-%m-%dT%H:%M:%SZ', ?9 || ' 23:59:59', 'utc')"

/* The local day of a stored moment. */
#define SQL_DAY(m) "date(" m ", 'localtime')"

/* The latest row of task_states of task t by the cut-off: column `col`. */
#define SQL_STATE_ON(col) \
	"(SELECT s." col " FROM task_states s WHERE s.task_id = t.id AND s.at <= " SQL_CUTOFF \
	" ORDER BY s.at DESC, s.id DESC LIMIT 1)"

/* The latest counted update of task t reported by the cut-off: column `col`. */
#define SQL_UPDATE_ON(col) \
	"(SELECT u." col " FROM updates u WHERE u.task_id = t.id AND u.reported_at <= " SQL_CUTOFF \
	" AND " SQL_UPDATE_COUNTED("u", SQL_CUTOFF) " ORDER BY u.id DESC LIMIT 1)"

/* The dated steps of task t's plan that count (not removed, not dropped),
 * with `cond` more. */
#define SQL_STEPS(cond) \
	"(SELECT count(*) FROM plan_steps p WHERE p.task_id = t.id AND p.removed_at IS NULL" \
	" AND p.status <> 'dropped' AND p.due_date IS NOT NULL" cond ")"

/*
 * The CTEs hx (the facts on D of each task selected by `from_where`, a
 * "FROM tasks t ... WHERE ..." that joins terms as tm) and hs (id,
 * owner_id, status, health, health_reason and the same as data: health_why
 * (no_update_since_start, no_update, overdue, behind_plan, on_plan),
 * health_days, health_percent, health_planned; and for ordering: late, days
 * past due; quiet, days without an update; gap, planned minus done).
 * Used as "WITH " SQL_HEALTH_CTES(...) " SELECT ... JOIN hs ...".
 */
#define SQL_HEALTH_CTES(from_where) SQL_HEALTH_HX(from_where) SQL_HEALTH_JUDGE

/* The same CTEs from the facts the writes keep on the task row (state,
 * rating, percent and last_update_at of the counted updates), for a
 * cut-off on or after today only (db_health_kept): then nothing recorded
 * is later than the cut-off, so the row says what the history would, and
 * the history is read only where the row has no answer (the moment of
 * completion of a finished task, of the assignment of one never updated).
 * tests/test_facts.c holds the two to the same answers. */
#define SQL_HEALTH_CTES_KEPT(from_where) SQL_HEALTH_HX_KEPT(from_where) SQL_HEALTH_JUDGE

/* The same for one task: not materialized, since one row read once needs
 * no temporary b-tree (and its page cache) for every task.get. */
#define SQL_HEALTH_CTES_KEPT_ONE(from_where) \
	SQL_HEALTH_HX_KEPT_AS("NOT MATERIALIZED", from_where) SQL_HEALTH_JUDGE

/* The moment of completion and of the assignment by the cut-off. */
#define SQL_DONE_AT \
	"(SELECT s.at FROM task_states s WHERE s.task_id = t.id AND s.at <= " SQL_CUTOFF \
	"  AND s.state IN ('reported_done', 'accepted')" \
	"  ORDER BY s.state = 'reported_done' DESC, s.at DESC, s.id DESC LIMIT 1)"
#define SQL_ASSIGNED_AT \
	"(SELECT s.at FROM task_states s WHERE s.task_id = t.id AND s.at <= " SQL_CUTOFF \
	"  AND s.state = 'assigned' ORDER BY s.at DESC, s.id DESC LIMIT 1)"

/* hx: the facts on ?9 from the history (the reference). */
#define SQL_HEALTH_HX(from_where) \
	"hx AS MATERIALIZED (SELECT t.id AS id, t.owner_id AS owner_id, t.due_date AS due," \
	" coalesce(t.decision_date, tm.start_date) AS start_d," \
	" " SQL_STATE_ON("state") " AS st, " SQL_STATE_ON("rating") " AS rt," \
	" " SQL_DONE_AT " AS done_at, " SQL_ASSIGNED_AT " AS assigned_at," \
	" coalesce(" SQL_UPDATE_ON("percent") ", 0) AS pct, " SQL_UPDATE_ON("reported_at") " AS last_at," \
	" " SQL_STEPS("") " AS steps, " SQL_STEPS(" AND p.due_date <= ?9") " AS steps_due " \
	from_where "), "

/* hx from the kept facts.  A row changed after the cut-off (a clock set
 * back, a trial with dotphad --clock) is read from the history instead, as
 * the reference reads it: every write that moves a task's facts (its
 * state, an update, a return) sets its updated_at.  The moments of
 * completion and of the assignment are the row's once a pass of db_kept.c
 * has filled them (dp_kept_filled()), else the history's; either is read
 * only for the states whose status it decides (and the report's month of
 * completion, counted only for those), assigned_at only where no counted
 * update comes first in `quiet`, which counts only for tasks being worked
 * on.  The percent counts only when an update counts: a carried-over copy
 * keeps the percent its original reached on its row (SQL_CARRY), but has
 * no update of its own, and health says 0. */
#define SQL_KEPT_STALE "t.updated_at > " SQL_CUTOFF
#define SQL_KEPT_HISTORY "(" SQL_KEPT_STALE " OR NOT dp_kept_filled())"
#define SQL_HEALTH_HX_KEPT(from_where) SQL_HEALTH_HX_KEPT_AS("MATERIALIZED", from_where)
#define SQL_HEALTH_HX_KEPT_AS(how, from_where) \
	"hx AS " how " (SELECT t.id AS id, t.owner_id AS owner_id, t.due_date AS due," \
	" coalesce(t.decision_date, tm.start_date) AS start_d," \
	" CASE WHEN " SQL_KEPT_STALE " THEN " SQL_STATE_ON("state") " ELSE t.state END AS st," \
	" CASE WHEN " SQL_KEPT_STALE " THEN " SQL_STATE_ON("rating") " ELSE t.rating END AS rt," \
	" CASE WHEN " SQL_KEPT_HISTORY " THEN CASE WHEN t.state IN ('reported_done', 'accepted')" \
	"  OR " SQL_KEPT_STALE " THEN " SQL_DONE_AT " END ELSE t.done_at END AS done_at," \
	" CASE WHEN " SQL_KEPT_HISTORY " THEN CASE WHEN (t.state IN ('assigned', 'in_progress')" \
	"  AND t.last_update_at IS NULL) OR " SQL_KEPT_STALE " THEN " SQL_ASSIGNED_AT " END" \
	"  ELSE t.assigned_at END AS assigned_at," \
	" CASE WHEN " SQL_KEPT_STALE " THEN coalesce(" SQL_UPDATE_ON("percent") ", 0)" \
	"  WHEN t.last_update_at IS NULL THEN 0 ELSE t.percent END AS pct," \
	" CASE WHEN " SQL_KEPT_STALE " THEN " SQL_UPDATE_ON("reported_at") \
	"  ELSE t.last_update_at END AS last_at," \
	" " SQL_STEPS("") " AS steps, " SQL_STEPS(" AND p.due_date <= ?9") " AS steps_due " \
	from_where "), "

/* hy, hz, hs: status and health judged from hx on ?9. */
#define SQL_HEALTH_JUDGE \
	"hy AS (SELECT hx.*," \
	" CASE WHEN st IS NULL THEN NULL" \
	"  WHEN st IN ('registered', 'reviewed', 'returned') THEN 'not_assigned'" \
	"  WHEN st IN ('cancelled', 'carried_over') THEN st" \
	"  WHEN st = 'reported_done' OR (st = 'accepted' AND rt IS NOT 'not_done') THEN" \
	"   CASE WHEN " SQL_DAY("done_at") " <= due THEN 'done_on_time' ELSE 'done_late' END" \
	"  WHEN due >= ?9 THEN 'within_deadline' ELSE 'overdue' END AS status," \
	" st IN ('assigned', 'in_progress') AS active," \
	" CAST(julianday(?9) - julianday(due) AS INTEGER) AS late," \
	" CAST(julianday(?9) - julianday(coalesce(" SQL_DAY("last_at") ", " SQL_DAY("assigned_at") \
	", start_d)) AS INTEGER) AS quiet," \
	" CASE WHEN steps > 0 THEN steps_due * 100 / steps" \
	"  WHEN ?9 >= due THEN 100 WHEN ?9 <= start_d THEN 0" \
	"  ELSE CAST((julianday(?9) - julianday(start_d)) * 100" \
	"            / (julianday(due) - julianday(start_d)) AS INTEGER) END AS planned" \
	" FROM hx), " \
	"hz AS (SELECT hy.*, planned - pct AS gap," \
	" CASE WHEN NOT coalesce(active, 0) THEN NULL WHEN quiet > dp_stalled_days() THEN 'stalled'" \
	"  WHEN late > 0 OR planned - pct > dp_at_risk_margin() THEN 'at_risk'" \
	"  ELSE 'on_track' END AS health FROM hy), " \
	"hs AS (SELECT id, owner_id, status, health, late, quiet, gap, pct," \
	" CASE health" \
	"  WHEN 'stalled' THEN CASE WHEN last_at IS NULL" \
	"   THEN printf('no update in %d days since the start', quiet)" \
	"   ELSE printf('no update for %d days', quiet) END" \
	"  WHEN 'at_risk' THEN CASE WHEN late > 0" \
	"   THEN printf('overdue by %d days at %d%%', late, pct)" \
	"   ELSE printf('%d%% vs %d%% planned', pct, planned) END" \
	"  WHEN 'on_track' THEN printf('%d%% vs %d%% planned', pct, planned) END AS health_reason," \
	" CASE health" \
	"  WHEN 'stalled' THEN CASE WHEN last_at IS NULL THEN 'no_update_since_start'" \
	"   ELSE 'no_update' END" \
	"  WHEN 'at_risk' THEN CASE WHEN late > 0 THEN 'overdue' ELSE 'behind_plan' END" \
	"  WHEN 'on_track' THEN 'on_plan' END AS health_why," \
	" CASE WHEN health = 'stalled' THEN quiet WHEN health = 'at_risk' AND late > 0 THEN late" \
	" END AS health_days," \
	" CASE WHEN health IS NOT NULL THEN pct END AS health_percent," \
	" CASE WHEN health IN ('at_risk', 'on_track') AND late <= 0 THEN planned" \
	" END AS health_planned" \
	" FROM hz)"

/* Whether a cut-off date `as_of` may be judged from the kept facts
 * (SQL_HEALTH_CTES_KEPT): on or after the server's today, when nothing
 * recorded can be later than it. */
bool db_health_kept(const char *as_of);

/* With `on`, every cut-off is judged from the history (the reference), as
 * a past one is: for the oracle test, which compares the two (process-wide,
 * like the thresholds). */
void db_health_reference_only(bool on);
bool db_health_reference(void);

/* Registers dp_stalled_days() and dp_at_risk_margin() on a connection
 * (db_kept_functions: dp_kept_filled()). */
int db_health_functions(sqlite3 *conn);

#endif
