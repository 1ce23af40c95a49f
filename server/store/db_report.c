/*
 * db_report.c: the storage side of report.get (PROTOCOL.md 6i): a term's
 * figures within a scope on a cut-off date, computed in SQL.  The status
 * and health of every task selected are judged once (db_health.h's CTEs)
 * into the connection's temporary table report_rows; each part of the
 * report is then one GROUP BY over that table, so a report costs one pass
 * of health over the term's tasks however many parts it has.  Snapshots
 * are db_snapshot.c.
 */
#include "db_health.h"
#include "db_internal.h"
#include "db_kept.h"

#include "db_report.h"
#include "db_report_past.h"
#include "pack.h"

/* The facts of one report, one row per task; private to the connection
 * (TEMP), emptied before and after each report. */
static const char SQL_ROWS_TABLE[] =
	"CREATE TEMP TABLE IF NOT EXISTS report_rows (id INTEGER PRIMARY KEY, owner_id INTEGER,"
	" unit_id INTEGER, managing_id INTEGER, field TEXT, kind TEXT, st TEXT, rt TEXT,"
	" status TEXT, health TEXT, due TEXT, late INTEGER, quiet INTEGER, pct INTEGER,"
	" done_day TEXT, last_at TEXT)";
static const char SQL_ROWS_INDEX[] =
	"CREATE INDEX IF NOT EXISTS temp.report_rows_unit ON report_rows(unit_id)";
static const char SQL_ROWS_CLEAR[] = "DELETE FROM report_rows";

/* The tasks of term ?3 in the scope ?13 (subtree scope_sub) and in unit
 * ?1's subtree (sub), existing on ?9, with their facts on ?9. */
#define ROWS_FILL(health) \
	"INSERT INTO report_rows (id, owner_id, unit_id, managing_id, field, kind, st, rt, status," \
	" health, due, late, quiet, pct, done_day, last_at) " \
	"WITH RECURSIVE " SQL_SUBTREE("?1") ", " SQL_SUBTREE_AS("scope_sub", "?13") ", " \
	health(" FROM tasks t JOIN terms tm ON tm.id = t.term_id WHERE t.term_id = ?3" \
	       " AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))" \
	       " AND (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))") \
	" SELECT hz.id, hz.owner_id, t.unit_id, o.managing_unit_id, t.field, t.kind, hz.st, hz.rt," \
	" hz.status, hz.health, hz.due, hz.late, hz.quiet, hz.pct, " SQL_DAY("hz.done_at") "," \
	" hz.last_at FROM hz JOIN tasks t ON t.id = hz.id JOIN cadres o ON o.id = t.owner_id" \
	" WHERE hz.status IS NOT NULL"
static const char SQL_ROWS_FILL[] = ROWS_FILL(SQL_HEALTH_CTES);
/* On or after today, from the facts the writes keep (db_health.h). */
static const char SQL_ROWS_FILL_KEPT[] = ROWS_FILL(SQL_HEALTH_CTES_KEPT);

#define REP_OFFICIAL "('done_on_time', 'done_late', 'within_deadline', 'overdue')"

/* The counts of a group of report_rows r, each named as its key. */
#define REP_TALLY \
	"count(*) AS total," \
	" count(*) FILTER (WHERE r.status IN " REP_OFFICIAL ") AS assigned," \
	" count(*) FILTER (WHERE r.status = 'done_on_time') AS done_on_time," \
	" count(*) FILTER (WHERE r.status = 'done_late') AS done_late," \
	" count(*) FILTER (WHERE r.status = 'within_deadline') AS within_deadline," \
	" count(*) FILTER (WHERE r.status = 'overdue') AS overdue," \
	" count(*) FILTER (WHERE r.status = 'not_assigned') AS not_assigned," \
	" count(*) FILTER (WHERE r.status = 'cancelled') AS cancelled," \
	" count(*) FILTER (WHERE r.status = 'carried_over') AS carried_over," \
	" count(*) FILTER (WHERE r.health = 'on_track') AS on_track," \
	" count(*) FILTER (WHERE r.health = 'at_risk') AS at_risk," \
	" count(*) FILTER (WHERE r.health = 'stalled') AS stalled"

/* REP_TALLY's columns of a subquery g, in the same order. */
#define REP_TALLY_OF(g) \
	g ".total AS total, " g ".assigned AS assigned, " g ".done_on_time AS done_on_time, " \
	g ".done_late AS done_late, " g ".within_deadline AS within_deadline, " \
	g ".overdue AS overdue, " g ".not_assigned AS not_assigned, " g ".cancelled AS cancelled, " \
	g ".carried_over AS carried_over, " g ".on_track AS on_track, " g ".at_risk AS at_risk, " \
	g ".stalled AS stalled"

/* The rates of a REP_TALLY subquery g, in percent to one decimal; nil
 * when there is nothing to divide by. */
#define REP_RATES(g) \
	"CASE WHEN " g ".assigned > 0 THEN round(100.0 * (" g ".done_on_time + " g ".done_late)" \
	" / " g ".assigned, 1) END AS completion_rate," \
	" CASE WHEN " g ".done_on_time + " g ".done_late > 0 THEN round(100.0 * " g ".done_on_time" \
	" / (" g ".done_on_time + " g ".done_late), 1) END AS on_time_rate," \
	" CASE WHEN " g ".assigned > 0 THEN round(100.0 * " g ".overdue / " g ".assigned, 1)" \
	" END AS overdue_rate"

static const char SQL_SUMMARY[] =
	"SELECT g.cadres AS cadres, " REP_TALLY_OF("g") ", " REP_RATES("g") " FROM"
	" (SELECT count(DISTINCT r.owner_id) AS cadres, " REP_TALLY " FROM report_rows r) g";

/* The base units of a report: unit ?1, else the scope ?13, else the roots. */
#define REP_BASE \
	"base(id) AS (SELECT id FROM units WHERE id = coalesce(?1, ?13)" \
	" OR (coalesce(?1, ?13) IS NULL AND parent_id IS NULL))"

/* Tasks and cadres per managing body (the owner's managing unit), with
 * where the body stands from the base: itself, below it, or above it. */
static const char SQL_MANAGING[] =
	"WITH RECURSIVE " REP_BASE ", "
	"tree(id) AS (SELECT id FROM base UNION ALL SELECT u.id FROM units u JOIN tree"
	" ON u.parent_id = tree.id), "
	"g AS (SELECT r.managing_id AS unit_id,"
	" CASE WHEN r.managing_id IN (SELECT id FROM base) THEN 0"
	"  WHEN r.managing_id IN (SELECT id FROM tree) THEN 1 ELSE 2 END AS lv,"
	" count(*) AS tasks, count(DISTINCT r.owner_id) AS cadres FROM report_rows r"
	" GROUP BY r.managing_id) "
	"SELECT g.unit_id AS unit_id, un.code AS unit_code,"
	" " SQL_UNIT_NAME("g.unit_id", "?9") " AS unit_name,"
	" CASE g.lv WHEN 0 THEN 'base' WHEN 1 THEN 'below' ELSE 'above' END AS level,"
	" g.tasks AS tasks, g.cadres AS cadres"
	" FROM g JOIN units un ON un.id = g.unit_id ORDER BY g.lv, g.tasks DESC, g.unit_id";

#define MANAGING_LEVEL_COL 3
#define MANAGING_TASKS_COL 4

/* How many units the base's subtree has down to level ?6 below it (0: the
 * base itself). */
static const char SQL_UNITS_TO_LEVEL[] =
	"WITH RECURSIVE " REP_BASE ", "
	"tree(id, depth) AS (SELECT id, 0 FROM base"
	" UNION ALL SELECT u.id, tree.depth + 1 FROM units u JOIN tree ON u.parent_id = tree.id"
	" WHERE tree.depth < ?6) "
	"SELECT count(*) FROM tree";
/* How many units the base's subtree has: every unit, for the whole tree. */
static const char SQL_UNITS_ALL[] =
	"WITH RECURSIVE " REP_BASE ", "
	"tree(id) AS (SELECT id FROM base UNION ALL SELECT u.id FROM units u JOIN tree"
	" ON u.parent_id = tree.id WHERE coalesce(?1, ?13) IS NOT NULL) "
	"SELECT CASE WHEN coalesce(?1, ?13) IS NULL THEN (SELECT count(*) FROM units)"
	" ELSE (SELECT count(*) FROM tree) END";

/* The rows of the units part from the CTEs tree (the units listed, with
 * depth and path), s (each one's subtree's REP_TALLY, anc its id) and o
 * (its own tasks' counts, uid its id). */
#define REP_UNITS_SELECT \
	"SELECT tree.id AS unit_id, un.code AS unit_code," \
	" " SQL_UNIT_NAME("tree.id", "?9") " AS unit_name, tree.depth AS depth," \
	" " REP_TALLY_OF("s") ", " REP_RATES("s") "," \
	" coalesce(o.total, 0) AS own_total, coalesce(o.assigned, 0) AS own_assigned," \
	" coalesce(o.done_on_time, 0) AS own_done_on_time, coalesce(o.done_late, 0) AS own_done_late," \
	" coalesce(o.within_deadline, 0) AS own_within_deadline," \
	" coalesce(o.overdue, 0) AS own_overdue" \
	" FROM tree JOIN s ON s.anc = tree.id JOIN units un ON un.id = tree.id" \
	" LEFT JOIN o ON o.uid = tree.id ORDER BY tree.path"

/* Every unit of the base's subtree down to level ?6 that has tasks in its
 * subtree, in tree order: its subtree's counts and rates, then its own
 * tasks' (own_). */
static const char SQL_UNITS[] =
	"WITH RECURSIVE " REP_BASE ", "
	"tree(id, depth, path) AS (SELECT id, 0, printf('%012d', id) FROM base"
	" UNION ALL SELECT u.id, tree.depth + 1, tree.path || printf('/%012d', u.id)"
	" FROM units u JOIN tree ON u.parent_id = tree.id WHERE tree.depth < ?6), "
	"clo(anc, id) AS (SELECT id, id FROM tree"
	" UNION ALL SELECT clo.anc, u.id FROM units u JOIN clo ON u.parent_id = clo.id), "
	"s AS (SELECT c.anc AS anc, " REP_TALLY " FROM clo c JOIN report_rows r ON r.unit_id = c.id"
	" GROUP BY c.anc), "
	"o AS (SELECT r.unit_id AS uid, count(*) AS total,"
	" count(*) FILTER (WHERE r.status IN " REP_OFFICIAL ") AS assigned,"
	" count(*) FILTER (WHERE r.status = 'done_on_time') AS done_on_time,"
	" count(*) FILTER (WHERE r.status = 'done_late') AS done_late,"
	" count(*) FILTER (WHERE r.status = 'within_deadline') AS within_deadline,"
	" count(*) FILTER (WHERE r.status = 'overdue') AS overdue"
	" FROM report_rows r GROUP BY r.unit_id) " REP_UNITS_SELECT;

static const char SQL_FIELDS[] =
	"SELECT g.field AS field, g.kind AS kind, " REP_TALLY_OF("g") ", " REP_RATES("g") " FROM"
	" (SELECT r.field AS field, r.kind AS kind, " REP_TALLY " FROM report_rows r"
	"  GROUP BY r.field, r.kind) g ORDER BY g.field, g.kind";

/* The states on ?9 in the order of the cycle (PROTOCOL.md 6a). */
static const char SQL_STATES[] =
	"SELECT r.st AS state, count(*) AS total FROM report_rows r GROUP BY r.st"
	" ORDER BY CASE r.st WHEN 'registered' THEN 0 WHEN 'reviewed' THEN 1 WHEN 'returned' THEN 2"
	" WHEN 'assigned' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'reported_done' THEN 5"
	" WHEN 'accepted' THEN 6 WHEN 'cancelled' THEN 7 WHEN 'carried_over' THEN 8 ELSE 9 END";

/* The ratings of the tasks accepted on ?9. */
static const char SQL_RATINGS[] =
	"SELECT count(*) FILTER (WHERE r.rt = 'excellent') AS excellent,"
	" count(*) FILTER (WHERE r.rt = 'good') AS good,"
	" count(*) FILTER (WHERE r.rt = 'done') AS done,"
	" count(*) FILTER (WHERE r.rt = 'not_done') AS not_done,"
	" count(*) FILTER (WHERE r.rt IS NULL) AS unrated"
	" FROM report_rows r WHERE r.st = 'accepted'";

/* Completion over time: the tasks done on ?9, by the month they were done. */
static const char SQL_MONTHLY[] =
	"SELECT substr(r.done_day, 1, 7) AS month, count(*) AS done,"
	" count(*) FILTER (WHERE r.status = 'done_on_time') AS done_on_time"
	" FROM report_rows r WHERE r.status IN ('done_on_time', 'done_late')"
	" GROUP BY substr(r.done_day, 1, 7) ORDER BY month";

#define REP_TASK_COLUMNS \
	"r.id AS id, t.title AS title, r.unit_id AS unit_id, un.code AS unit_code," \
	" " SQL_UNIT_NAME("r.unit_id", "?9") " AS unit_name, r.owner_id AS owner_id," \
	" o.code AS owner_code, o.full_name AS owner_name, r.due AS due_date, r.pct AS percent"
#define REP_TASK_FROM \
	" FROM report_rows r JOIN tasks t ON t.id = r.id JOIN cadres o ON o.id = r.owner_id" \
	" JOIN units un ON un.id = r.unit_id"

static const char SQL_OVERDUE[] =
	"SELECT " REP_TASK_COLUMNS ", r.late AS days_late" REP_TASK_FROM
	" WHERE r.status = 'overdue' ORDER BY r.late DESC, r.id LIMIT ?5";
static const char SQL_OVERDUE_COUNT[] =
	"SELECT count(*) FROM report_rows WHERE status = 'overdue'";
static const char SQL_STALLED[] =
	"SELECT " REP_TASK_COLUMNS ", r.quiet AS days_quiet, r.last_at AS last_update_at"
	REP_TASK_FROM " WHERE r.health = 'stalled' ORDER BY r.quiet DESC, r.id LIMIT ?5";
static const char SQL_STALLED_COUNT[] =
	"SELECT count(*) FROM report_rows WHERE health = 'stalled'";

/* ---- the same parts from the counts the writes keep (db_kept.h) ----
 *
 * On the day the rows' status and health are kept for, the counts of the
 * base (unit ?1, else the scope ?13, else every root: REP_BASE) and of the
 * units under it are read from the tables of counts, which count each
 * unit's whole subtree; report_rows then holds only the tasks the two
 * lists may show (REP_PICK), judged as above, so SQL_OVERDUE and
 * SQL_STALLED order them as they order every task. */
#define KEPT_TALLY \
	"coalesce(sum(c.n), 0) AS total," \
	" " SQL_KEPT_N("c.status IN " REP_OFFICIAL) " AS assigned," \
	" " SQL_KEPT_N("c.status = 'done_on_time'") " AS done_on_time," \
	" " SQL_KEPT_N("c.status = 'done_late'") " AS done_late," \
	" " SQL_KEPT_N("c.status = 'within_deadline'") " AS within_deadline," \
	" " SQL_KEPT_N("c.status = 'overdue'") " AS overdue," \
	" " SQL_KEPT_N("c.status = 'not_assigned'") " AS not_assigned," \
	" " SQL_KEPT_N("c.status = 'cancelled'") " AS cancelled," \
	" " SQL_KEPT_N("c.status = 'carried_over'") " AS carried_over," \
	" " SQL_KEPT_N("c.health = 'on_track'") " AS on_track," \
	" " SQL_KEPT_N("c.health = 'at_risk'") " AS at_risk," \
	" " SQL_KEPT_N("c.health = 'stalled'") " AS stalled"
/* The counts of the base's subtree: unit 0's are the whole tree's. */
#define KEPT_OF_BASE " c.term_id = ?3 AND c.unit_id = coalesce(?1, ?13, 0)"

static const char SQL_SUMMARY_KEPT[] =
	"WITH g AS (SELECT (SELECT coalesce(sum(c.cadres), 0) FROM task_counts_managing c WHERE"
	KEPT_OF_BASE ") AS cadres, " KEPT_TALLY " FROM task_counts c WHERE c.own = 0 AND"
	KEPT_OF_BASE ") "
	"SELECT g.cadres AS cadres, " REP_TALLY_OF("g") ", " REP_RATES("g") " FROM g";

/* Over a subtree, where each body stands is found from the subtree (a
 * province's: 70 units); over the whole tree every body is a root or
 * below one, and the country's 70,000 units need not be walked. */
#define MANAGING_KEPT(level) \
	"WITH RECURSIVE " REP_BASE ", " \
	"tree(id) AS (SELECT id FROM base UNION ALL SELECT u.id FROM units u JOIN tree" \
	" ON u.parent_id = tree.id WHERE coalesce(?1, ?13) IS NOT NULL), " \
	"g AS (SELECT c.managing_id AS unit_id, " level " AS lv," \
	" c.tasks AS tasks, c.cadres AS cadres FROM task_counts_managing c" \
	" WHERE" KEPT_OF_BASE " AND c.tasks > 0) " \
	"SELECT g.unit_id AS unit_id, un.code AS unit_code," \
	" " SQL_UNIT_NAME("g.unit_id", "?9") " AS unit_name," \
	" CASE g.lv WHEN 0 THEN 'base' WHEN 1 THEN 'below' ELSE 'above' END AS level," \
	" g.tasks AS tasks, g.cadres AS cadres" \
	" FROM g JOIN units un ON un.id = g.unit_id ORDER BY g.lv, g.tasks DESC, g.unit_id"
static const char SQL_MANAGING_KEPT_ALL[] =
	MANAGING_KEPT("CASE WHEN c.managing_id IN (SELECT id FROM base) THEN 0 ELSE 1 END");
static const char SQL_MANAGING_KEPT_SUB[] =
	MANAGING_KEPT("CASE WHEN c.managing_id IN (SELECT id FROM base) THEN 0"
		      " WHEN c.managing_id IN (SELECT id FROM tree) THEN 1 ELSE 2 END");

static const char SQL_UNITS_KEPT[] =
	"WITH RECURSIVE " REP_BASE ", "
	"tree(id, depth, path) AS (SELECT id, 0, printf('%012d', id) FROM base"
	" UNION ALL SELECT u.id, tree.depth + 1, tree.path || printf('/%012d', u.id)"
	" FROM units u JOIN tree ON u.parent_id = tree.id WHERE tree.depth < ?6), "
	"s AS (SELECT c.unit_id AS anc, " KEPT_TALLY " FROM task_counts c WHERE c.own = 0"
	" AND c.term_id = ?3 AND c.unit_id IN (SELECT id FROM tree) GROUP BY c.unit_id"
	" HAVING sum(c.n) > 0), "
	"o AS (SELECT c.unit_id AS uid, sum(c.n) AS total,"
	" " SQL_KEPT_N("c.status IN " REP_OFFICIAL) " AS assigned,"
	" " SQL_KEPT_N("c.status = 'done_on_time'") " AS done_on_time,"
	" " SQL_KEPT_N("c.status = 'done_late'") " AS done_late,"
	" " SQL_KEPT_N("c.status = 'within_deadline'") " AS within_deadline,"
	" " SQL_KEPT_N("c.status = 'overdue'") " AS overdue"
	" FROM task_counts c WHERE c.own = 1 AND c.term_id = ?3"
	" AND c.unit_id IN (SELECT id FROM tree) GROUP BY c.unit_id HAVING sum(c.n) > 0) "
	REP_UNITS_SELECT;

static const char SQL_FIELDS_KEPT[] =
	"SELECT g.field AS field, g.kind AS kind, " REP_TALLY_OF("g") ", " REP_RATES("g") " FROM"
	" (SELECT c.field AS field, c.kind AS kind, " KEPT_TALLY " FROM task_counts_field c"
	"  WHERE" KEPT_OF_BASE " GROUP BY c.field, c.kind HAVING sum(c.n) > 0) g"
	" ORDER BY g.field, g.kind";

static const char SQL_STATES_KEPT[] =
	"SELECT c.state AS state, sum(c.n) AS total FROM task_counts_state c WHERE" KEPT_OF_BASE
	" GROUP BY c.state HAVING sum(c.n) > 0"
	" ORDER BY CASE c.state WHEN 'registered' THEN 0 WHEN 'reviewed' THEN 1 WHEN 'returned' THEN 2"
	" WHEN 'assigned' THEN 3 WHEN 'in_progress' THEN 4 WHEN 'reported_done' THEN 5"
	" WHEN 'accepted' THEN 6 WHEN 'cancelled' THEN 7 WHEN 'carried_over' THEN 8 ELSE 9 END";

static const char SQL_RATINGS_KEPT[] =
	"SELECT " SQL_KEPT_N("c.rating = 'excellent'") " AS excellent,"
	" " SQL_KEPT_N("c.rating = 'good'") " AS good,"
	" " SQL_KEPT_N("c.rating = 'done'") " AS done,"
	" " SQL_KEPT_N("c.rating = 'not_done'") " AS not_done,"
	" " SQL_KEPT_N("c.rating = ''") " AS unrated"
	" FROM task_counts_state c WHERE" KEPT_OF_BASE " AND c.state = 'accepted'";

static const char SQL_MONTHLY_KEPT[] =
	"SELECT nullif(c.month, '') AS month, sum(c.n) AS done,"
	" " SQL_KEPT_N("c.status = 'done_on_time'") " AS done_on_time"
	" FROM task_counts_month c WHERE" KEPT_OF_BASE
	" GROUP BY c.month HAVING sum(c.n) > 0 ORDER BY month";

static const char SQL_OVERDUE_COUNT_KEPT[] =
	"SELECT coalesce(sum(c.n), 0) FROM task_counts c WHERE c.own = 0 AND" KEPT_OF_BASE
	" AND c.status = 'overdue'";
static const char SQL_STALLED_COUNT_KEPT[] =
	"SELECT coalesce(sum(c.n), 0) FROM task_counts c WHERE c.own = 0 AND" KEPT_OF_BASE
	" AND c.health = 'stalled'";

/* The tasks the lists may show: the first ?5 overdue (by the due date) and
 * stalled (by the day quiet time counts from, for each of the two statuses
 * a stalled task can have) of term ?3 in the base's subtree, found by the
 * partial indexes over the whole tree, by tasks_unit within a subtree (the
 * `+` keeping SQLite off the country-wide indexes, and off tasks_term,
 * which holds half the country's tasks), then judged. */
#define REP_IN_ALL(st, hl) " " st " AND " hl " AND +t.term_id = ?3"
#define REP_IN_SUB(st, hl) \
	" +" st " AND +" hl " AND +t.term_id = ?3 AND t.unit_id IN (SELECT id FROM base_sub)" \
	" AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))"
#define REP_PICK(IN) \
	"INSERT INTO report_rows (id, owner_id, unit_id, managing_id, field, kind, st, rt, status," \
	" health, due, late, quiet, pct, done_day, last_at) " \
	"WITH RECURSIVE " SQL_SUBTREE_AS("base_sub", "coalesce(?1, ?13)") ", " \
	SQL_SUBTREE_AS("scope_sub", "?13") ", " \
	"pick(id) AS (SELECT id FROM (SELECT t.id FROM tasks t WHERE" \
	IN("t.status = 'overdue'", "t.id > 0") "  ORDER BY t.due_date, t.id LIMIT ?5)" \
	" UNION SELECT id FROM (SELECT t.id FROM tasks t WHERE" \
	IN("t.health = 'stalled'", "t.status = 'overdue'") \
	"  ORDER BY t.quiet_since, t.id LIMIT ?5)" \
	" UNION SELECT id FROM (SELECT t.id FROM tasks t WHERE" \
	IN("t.health = 'stalled'", "t.status = 'within_deadline'") \
	"  ORDER BY t.quiet_since, t.id LIMIT ?5)), " \
	SQL_HEALTH_CTES_KEPT(" FROM pick CROSS JOIN tasks t ON t.id = pick.id" \
			     " CROSS JOIN terms tm ON tm.id = t.term_id") \
	" SELECT hz.id, hz.owner_id, t.unit_id, o.managing_unit_id, t.field, t.kind, hz.st, hz.rt," \
	" hz.status, hz.health, hz.due, hz.late, hz.quiet, hz.pct, " SQL_DAY("hz.done_at") "," \
	" hz.last_at FROM hz JOIN tasks t ON t.id = hz.id JOIN cadres o ON o.id = t.owner_id" \
	" WHERE hz.status IS NOT NULL"
/* [0] the whole tree, [1] a subtree. */
static const char *const SQL_ROWS_PICK[2] = {REP_PICK(REP_IN_ALL), REP_PICK(REP_IN_SUB)};

/* The statements of a report's parts, judged (every task in report_rows)
 * or kept. */
struct report_sql {
	const char *summary, *managing[2], *units, *fields, *states, *ratings, *monthly;
	const char *overdue_count, *stalled_count;
};
static const struct report_sql judged_sql = {
	SQL_SUMMARY, {SQL_MANAGING, SQL_MANAGING}, SQL_UNITS, SQL_FIELDS, SQL_STATES,
	SQL_RATINGS, SQL_MONTHLY, SQL_OVERDUE_COUNT, SQL_STALLED_COUNT,
};
static const struct report_sql kept_sql = {
	SQL_SUMMARY_KEPT, {SQL_MANAGING_KEPT_ALL, SQL_MANAGING_KEPT_SUB}, SQL_UNITS_KEPT,
	SQL_FIELDS_KEPT, SQL_STATES_KEPT, SQL_RATINGS_KEPT, SQL_MONTHLY_KEPT,
	SQL_OVERDUE_COUNT_KEPT, SQL_STALLED_COUNT_KEPT,
};

/* Returns the statement for sql with those of f's values it uses bound
 * (?1 unit, ?3 term, ?5 limit, ?6 depth, ?9 as_of, ?13 scope), or NULL
 * with err. */
static sqlite3_stmt *report_stmt(struct db *db, const char *sql, const struct report_filter *f,
				 struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);
	int n, b = SQLITE_OK;

	if (!st)
		return NULL;
	n = sqlite3_bind_parameter_count(st);
	if (n >= 1)
		b |= db_bind_id(st, 1, f->unit);
	if (n >= 3)
		b |= db_bind_id(st, 3, f->term);
	if (n >= 5)
		b |= sqlite3_bind_int64(st, 5, f->limit);
	if (n >= 6)
		b |= sqlite3_bind_int64(st, 6, f->depth);
	if (n >= 9)
		b |= db_bind_cstr(st, 9, f->as_of);
	if (n >= 13)
		b |= db_bind_id(st, 13, f->scope);
	return db_bind_check(db, st, b, err) == RPC_OK ? st : NULL;
}

static int report_exec(struct db *db, const char *sql, const struct report_filter *f,
		       struct rpc_error *err)
{
	sqlite3_stmt *st = report_stmt(db, sql, f, err);

	return st ? db_exec_stmt(db, st, "report", err) : err->code;
}

/* Tasks and cadres of the managing bodies, summed by level (a cadre has
 * one managing body, so the bodies' cadres add up without counting one
 * twice). */
struct managing_sums {
	int64_t tasks[3], cadres[3]; /* base, below, above */
};

static void pack_managing_row(sqlite3_stmt *st, msgpack_packer *pk, const void *arg)
{
	struct managing_sums *m = (struct managing_sums *)arg;
	const char *lv = (const char *)sqlite3_column_text(st, MANAGING_LEVEL_COL);
	int k = !lv ? 2 : lv[0] == 'b' ? (lv[1] == 'a' ? 0 : 1) : 2;

	db_pack_row(st, pk, NULL);
	m->tasks[k] += sqlite3_column_int64(st, MANAGING_TASKS_COL);
	m->cadres[k] += sqlite3_column_int64(st, MANAGING_TASKS_COL + 1);
}

static int pack_managing(struct db *db, const struct report_sql *q, const struct report_filter *f,
			 msgpack_packer *pk, struct rpc_error *err)
{
	static const char *const levels[3] = {"base", "below", "above"};
	struct managing_sums m = {{0}, {0}};
	sqlite3_stmt *st;
	int64_t last;
	bool more;

	pack_str(pk, "managing");
	msgpack_pack_map(pk, 4);
	pack_str(pk, "bodies");
	if (!(st = report_stmt(db, q->managing[f->unit || f->scope], f, err)) ||
	    db_pack_array(db, st, -1, pk, pack_managing_row, &m, &more, &last, err) < 0)
		return err->code;
	for (int k = 0; k < 3; k++) {
		pack_str(pk, levels[k]);
		msgpack_pack_map(pk, 2);
		pack_kv_int(pk, "tasks", m.tasks[k]);
		pack_kv_int(pk, "cadres", m.cadres[k]);
	}
	return RPC_OK;
}

/* Packs `key` and the one row of sql as a map. */
static int pack_one_row(struct db *db, const char *key, const char *sql,
			const struct report_filter *f, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = report_stmt(db, sql, f, err);

	pack_str(pk, key);
	return st ? db_pack_row_or_nil(db, st, pk, key, err) : err->code;
}

/* Packs `key` and the rows of sql as an array of maps. */
static int pack_rows(struct db *db, const char *key, const char *sql,
		     const struct report_filter *f, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = report_stmt(db, sql, f, err);

	pack_str(pk, key);
	return st && db_pack_rows(db, st, pk, NULL, err) >= 0 ? RPC_OK : err->code;
}

/* Packs `key` and the count of count_sql. */
static int pack_count(struct db *db, const char *key, const char *count_sql,
		      const struct report_filter *f, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = report_stmt(db, count_sql, f, err);
	int64_t n;

	if (!st || db_scalar(db, st, &n, err) != RPC_OK)
		return err->code;
	pack_kv_int(pk, key, n);
	return RPC_OK;
}

/* Packs the units down to f's depth, or, when it says -1, down to the
 * deepest level that keeps the list within REPORT_UNITS_MAX rows (the
 * base alone at least: the country's provinces, each province's whole
 * tree); then units_depth, that level, and units_below, the units under
 * it left out. */
/* Into *out, the units of the base's subtree down to `depth` (sql
 * SQL_UNITS_TO_LEVEL) or in all (SQL_UNITS_ALL). */
static int units_count(struct db *db, const char *sql, const struct report_filter *f,
		       int64_t depth, int64_t *out, struct rpc_error *err)
{
	struct report_filter g = *f;
	sqlite3_stmt *st;

	g.depth = depth;
	st = report_stmt(db, sql, &g, err);
	return st ? db_scalar(db, st, out, err) : err->code;
}

/* Packs the units down to f's depth, or, when it says -1, down to the
 * deepest level that keeps the list within REPORT_UNITS_MAX rows (the
 * base alone at least: the country's provinces, each province's whole
 * tree); then units_depth, that level, and units_below, the units under
 * it left out.  Level by level, stopping at the first that does not fit:
 * the country's 70,000 units are counted, not walked. */
static int pack_units(struct db *db, const struct report_sql *q, const struct report_filter *f,
		      msgpack_packer *pk, struct rpc_error *err)
{
	struct report_filter g = *f;
	int64_t listed = 0, all = 0, n;

	if (f->depth >= 0) {
		g.depth = f->depth;
		if (units_count(db, SQL_UNITS_TO_LEVEL, f, f->depth, &listed, err) != RPC_OK)
			return err->code;
	} else {
		g.depth = 0;
		for (int64_t level = 0;; level++) {
			if (units_count(db, SQL_UNITS_TO_LEVEL, f, level, &n, err) != RPC_OK)
				return err->code;
			if ((level > 0 && n > REPORT_UNITS_MAX) || (level > 0 && n == listed))
				break; /* too many, or no level deeper */
			listed = n;
			g.depth = level;
		}
	}
	if (units_count(db, SQL_UNITS_ALL, f, 0, &all, err) != RPC_OK ||
	    pack_rows(db, "units", q->units, &g, pk, err) != RPC_OK)
		return err->code;
	pack_kv_int(pk, "units_depth", g.depth);
	pack_kv_int(pk, "units_below", all - listed);
	return RPC_OK;
}

static int pack_parts(struct db *db, const struct report_sql *q, const struct report_filter *f,
		      msgpack_packer *pk, struct rpc_error *err)
{
	if (pack_one_row(db, "summary", q->summary, f, pk, err) != RPC_OK ||
	    pack_managing(db, q, f, pk, err) != RPC_OK ||
	    pack_units(db, q, f, pk, err) != RPC_OK ||
	    pack_rows(db, "fields", q->fields, f, pk, err) != RPC_OK ||
	    pack_rows(db, "states", q->states, f, pk, err) != RPC_OK ||
	    pack_one_row(db, "ratings", q->ratings, f, pk, err) != RPC_OK ||
	    pack_rows(db, "monthly", q->monthly, f, pk, err) != RPC_OK ||
	    pack_rows(db, "overdue", SQL_OVERDUE, f, pk, err) != RPC_OK ||
	    pack_count(db, "overdue_total", q->overdue_count, f, pk, err) != RPC_OK ||
	    pack_rows(db, "stalled", SQL_STALLED, f, pk, err) != RPC_OK ||
	    pack_count(db, "stalled_total", q->stalled_count, f, pk, err) != RPC_OK)
		return err->code;
	return RPC_OK;
}

int db_report(struct db *db, const struct report_filter *f, msgpack_packer *pk,
	      struct rpc_error *err)
{
	bool kept = db_kept_current(f->as_of);
	const char *fill = kept				  ? SQL_ROWS_PICK[f->unit || f->scope]
			   : db_health_kept(f->as_of) ? SQL_ROWS_FILL_KEPT
						      : SQL_ROWS_FILL;
	int rc;

	/* A past cut-off from the tasks' timelines (db_report_past.c), unless
	 * the oracle asks for the reference or a timeline is missing. */
	if (!db_health_kept(f->as_of) && !db_health_reference()) {
		struct past_selection sel = {.as_of = f->as_of, .scope = f->scope, .unit = f->unit,
					     .term = f->term, .limit = f->limit, .depth = f->depth,
					     .units_max = REPORT_UNITS_MAX};
		bool answered;

		if ((rc = db_report_past(db, &sel, pk, &answered, err)) != RPC_OK || answered)
			return rc;
	}
	if ((rc = report_exec(db, SQL_ROWS_TABLE, f, err)) != RPC_OK ||
	    (rc = report_exec(db, SQL_ROWS_INDEX, f, err)) != RPC_OK ||
	    (rc = report_exec(db, SQL_ROWS_CLEAR, f, err)) != RPC_OK ||
	    (rc = report_exec(db, fill, f, err)) != RPC_OK)
		return rc;
	rc = pack_parts(db, kept ? &kept_sql : &judged_sql, f, pk, err);
	/* Emptied on every path: the next report starts clean, and the rows
	 * hold no memory meanwhile. */
	if (report_exec(db, SQL_ROWS_CLEAR, f, err) != RPC_OK && rc == RPC_OK)
		rc = err->code;
	return rc;
}
