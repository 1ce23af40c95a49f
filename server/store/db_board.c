/*
 * db_board.c: the storage side of board.get and cadre.record: the counts by
 * status, health and unit, the tasks that need action first, and a cadre's
 * record in a term.  Status and health come from db_health.h's CTEs, so a
 * board as of a past date shows what was known then; a board judges its
 * tasks once, into the connection's temporary table board_rows, which its
 * three parts read.  On the day the rows' status and health are kept for
 * (db_kept.h), the counts come from task_counts and only the tasks that may
 * need action first are judged.
 */
#include "db_health.h"
#include "db_internal.h"
#include "db_kept.h"

#include "db_board.h"
#include "db_cadre.h"
#include "db_term.h"
#include "pack.h"

/* The judgement of one board, one row per task selected: status and
 * health are judged once per board.get into this table, private to the
 * connection (TEMP) and emptied before and after, and the board's three
 * parts read it (three passes of judgement over the country's 476,000
 * tasks took three times as long). */
static const char SQL_ROWS_TABLE[] =
	"CREATE TEMP TABLE IF NOT EXISTS board_rows (id INTEGER PRIMARY KEY, unit_id INTEGER,"
	" status TEXT, health TEXT, late INTEGER, quiet INTEGER, gap INTEGER, pct INTEGER,"
	" health_reason TEXT, health_why TEXT, health_days INTEGER, health_percent INTEGER,"
	" health_planned INTEGER)";
static const char SQL_ROWS_CLEAR[] = "DELETE FROM board_rows";

/* board.get's tasks judged on ?9: ?13 the caller's scope (subtree
 * scope_sub), ?1 a unit (subtree sub), ?3 a term, ?4 the focal point's
 * account; all optional. */
#define BOARD_FILL(health) \
	"INSERT INTO board_rows (id, unit_id, status, health, late, quiet, gap, pct," \
	" health_reason, health_why, health_days, health_percent, health_planned) " \
	"WITH RECURSIVE " SQL_SUBTREE("?1") ", " SQL_SUBTREE_AS("scope_sub", "?13") ", " \
	health(" FROM tasks t JOIN terms tm ON tm.id = t.term_id" \
			" WHERE (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))" \
			" AND (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))" \
			" AND (?3 IS NULL OR t.term_id = ?3)" \
			" AND (?4 IS NULL OR t.focal_point_account_id = ?4)") \
	" SELECT hs.id, t.unit_id, hs.status, hs.health, hs.late, hs.quiet, hs.gap, hs.pct," \
	" hs.health_reason, hs.health_why, hs.health_days, hs.health_percent, hs.health_planned" \
	" FROM hs JOIN tasks t ON t.id = hs.id"
static const char SQL_BOARD_FILL[] = BOARD_FILL(SQL_HEALTH_CTES);
/* On or after today, from the facts the writes keep (db_health.h). */
static const char SQL_BOARD_FILL_KEPT[] = BOARD_FILL(SQL_HEALTH_CTES_KEPT);

/* The counts of a group of rows of hs, each column named as its key. */
#define BOARD_TALLY \
	"count(*) AS total," \
	" count(*) FILTER (WHERE hs.status = 'done_on_time') AS done_on_time," \
	" count(*) FILTER (WHERE hs.status = 'done_late') AS done_late," \
	" count(*) FILTER (WHERE hs.status = 'within_deadline') AS within_deadline," \
	" count(*) FILTER (WHERE hs.status = 'overdue') AS overdue," \
	" count(*) FILTER (WHERE hs.status = 'not_assigned') AS not_assigned," \
	" count(*) FILTER (WHERE hs.status = 'cancelled') AS cancelled," \
	" count(*) FILTER (WHERE hs.status = 'carried_over') AS carried_over," \
	" count(*) FILTER (WHERE hs.health = 'on_track') AS on_track," \
	" count(*) FILTER (WHERE hs.health = 'at_risk') AS at_risk," \
	" count(*) FILTER (WHERE hs.health = 'stalled') AS stalled"

/* One row per child of the base unit (?1, else the scope ?13, else the
 * root), counting its whole subtree, and one row (`own`) for the tasks of
 * the base itself.  With no base in a database of several roots (the
 * country's provinces), one row per root and no `own` row: the children of
 * 1,000 provinces made a 9 MB answer.  Every task
 * selected is in the base's subtree (unit within the scope), so the rows
 * add up to the board's counts: db_board sums them rather than count every
 * task twice.  Columns from BOARD_TALLY_FIRST on are the counts. */
#define BOARD_UNITS_MAP \
	"WITH RECURSIVE " \
	"roots(id) AS (SELECT id FROM units WHERE parent_id IS NULL), " \
	"one_root(id) AS (SELECT id FROM roots WHERE (SELECT count(*) FROM roots) = 1), " \
	"kids(id) AS (SELECT id FROM units WHERE parent_id = coalesce(?1, ?13)" \
	"  OR (coalesce(?1, ?13) IS NULL AND parent_id IN (SELECT id FROM one_root))" \
	"  UNION ALL SELECT id FROM roots WHERE coalesce(?1, ?13) IS NULL" \
	"  AND NOT EXISTS (SELECT 1 FROM one_root)), " \
	"own(kid, id) AS (SELECT id, id FROM units WHERE id = coalesce(?1, ?13)" \
	"  OR (coalesce(?1, ?13) IS NULL AND id IN (SELECT id FROM one_root))), "
#define BOARD_UNITS_COLUMNS \
	"SELECT m.kid AS unit_id, un.code AS unit_code, " SQL_UNIT_NAME("m.kid", "?9") " AS unit_name," \
	" m.own AS own, "
static const char SQL_BOARD_UNITS[] =
	BOARD_UNITS_MAP
	"ktree(kid, id) AS (SELECT id, id FROM kids"
	"  UNION ALL SELECT k.kid, u.id FROM units u JOIN ktree k ON u.parent_id = k.id), "
	"map(kid, id, own) AS (SELECT kid, id, 0 FROM ktree UNION ALL SELECT kid, id, 1 FROM own) "
	BOARD_UNITS_COLUMNS BOARD_TALLY
	" FROM board_rows hs JOIN map m ON m.id = hs.unit_id"
	" JOIN units un ON un.id = m.kid WHERE hs.status IS NOT NULL"
	" GROUP BY m.kid, m.own ORDER BY m.own DESC, m.kid";

/* The same rows from the counts the writes keep (db_kept.h) for term ?3 (or
 * every term): a kid's whole subtree is its own-0 count, the base's own
 * tasks its own-1 count. */
static const char SQL_BOARD_UNITS_KEPT[] =
	BOARD_UNITS_MAP
	"map(kid, own) AS (SELECT id, 0 FROM kids UNION ALL SELECT kid, 1 FROM own) "
	BOARD_UNITS_COLUMNS "sum(c.n) AS total,"
	" " SQL_KEPT_N("c.status = 'done_on_time'") " AS done_on_time,"
	" " SQL_KEPT_N("c.status = 'done_late'") " AS done_late,"
	" " SQL_KEPT_N("c.status = 'within_deadline'") " AS within_deadline,"
	" " SQL_KEPT_N("c.status = 'overdue'") " AS overdue,"
	" " SQL_KEPT_N("c.status = 'not_assigned'") " AS not_assigned,"
	" " SQL_KEPT_N("c.status = 'cancelled'") " AS cancelled,"
	" " SQL_KEPT_N("c.status = 'carried_over'") " AS carried_over,"
	" " SQL_KEPT_N("c.health = 'on_track'") " AS on_track,"
	" " SQL_KEPT_N("c.health = 'at_risk'") " AS at_risk,"
	" " SQL_KEPT_N("c.health = 'stalled'") " AS stalled"
	" FROM map m JOIN task_counts c ON c.unit_id = m.kid AND c.own = m.own"
	"  AND (?3 IS NULL OR c.term_id = ?3)"
	" JOIN units un ON un.id = m.kid"
	" GROUP BY m.kid, m.own HAVING sum(c.n) > 0 ORDER BY m.own DESC, m.kid";

/* The tasks needing action, with why: overdue, an unanswered reminder past
 * its answer_by, stalled, at risk; `days` is how long (nil for at risk,
 * ordered by how far behind the plan it is).  Only tasks being worked on
 * (with a health) are overdue or stalled here: a finished one needs no
 * action, but an unanswered reminder does whatever the task's state.
 * Overdue tasks are at least at risk, so health covers them.  board_rows
 * leads the join (CROSS JOIN): the planner, knowing nothing of the
 * temporary table, read the term's every task to find a few picked ones. */
#define BOARD_ACTION_FROM \
	" FROM board_rows hs CROSS JOIN tasks t ON t.id = hs.id LEFT JOIN (" \
	"  SELECT r.task_id AS task_id," \
	"   max(CAST(julianday(?9) - julianday(r.answer_by) AS INTEGER)) AS late" \
	"  FROM reminders r WHERE r.task_id IN (SELECT id FROM board_rows)" \
	"   AND r.created_at <= " SQL_CUTOFF " AND r.answer_by < ?9" \
	"   AND (r.answered_at IS NULL OR r.answered_at > " SQL_CUTOFF ")" \
	"  GROUP BY r.task_id) r ON r.task_id = t.id" \
	" WHERE hs.health IN ('stalled', 'at_risk') OR r.late > 0"

#define BOARD_WHY \
	"CASE WHEN hs.status = 'overdue' AND hs.health IS NOT NULL THEN 1 WHEN r.late > 0 THEN 2" \
	" WHEN hs.health = 'stalled' THEN 3 ELSE 4 END"

static const char SQL_BOARD_ACTION[] =
	"SELECT t.id AS id, t.title AS title,"
	" t.unit_id AS unit_id, (SELECT code FROM units WHERE id = t.unit_id) AS unit_code,"
	" " SQL_UNIT_NAME("t.unit_id", "?9") " AS unit_name,"
	" (SELECT full_name FROM cadres WHERE id = t.owner_id) AS owner_name,"
	" t.due_date AS due_date, hs.pct AS percent, hs.status AS status, hs.health AS health,"
	" hs.health_reason AS health_reason, hs.health_why AS health_why,"
	" hs.health_days AS health_days, hs.health_percent AS health_percent,"
	" hs.health_planned AS health_planned, r.late AS reminder_days_late,"
	" (SELECT login FROM accounts WHERE id = t.focal_point_account_id) AS focal_point,"
	" CASE " BOARD_WHY " WHEN 1 THEN 'overdue' WHEN 2 THEN 'reminder' WHEN 3 THEN 'stalled'"
	"  ELSE 'at_risk' END AS reason,"
	" CASE " BOARD_WHY " WHEN 1 THEN hs.late WHEN 2 THEN r.late WHEN 3 THEN hs.quiet END AS days"
	BOARD_ACTION_FROM
	" ORDER BY " BOARD_WHY ", CASE " BOARD_WHY " WHEN 1 THEN hs.late WHEN 2 THEN r.late"
	"  WHEN 3 THEN hs.quiet ELSE hs.gap END DESC, t.id LIMIT ?5";

static const char SQL_BOARD_ACTION_COUNT[] = "SELECT count(*)" BOARD_ACTION_FROM;

/* From the kept rows: the tasks of the board's selection (?13 scope, ?1
 * unit, ?3 term) that may be among the first ?5 needing action, judged into
 * board_rows for SQL_BOARD_ACTION to order: the first ?5 of each reason in
 * that order (overdue by the due date, a reminder by its answer_by,
 * stalled by the day its quiet time counts from), which hold the first ?5
 * overall.  At risk comes last and is ordered by the plan, which the rows
 * do not keep: BOARD_PICK_AT_RISK adds all those when the others are
 * fewer than ?5.  A task with a health is being worked on, so its status
 * is overdue or within_deadline: the others are within_deadline, which the
 * index of health and status finds without reading the overdue ones.
 *
 * Two forms of the selection: over the whole tree, where the partial
 * indexes of the overdue and of the stalled or at-risk tasks give each
 * reason's first in order; and within a unit's subtree (the base: ?1,
 * else ?13), read by the tasks_unit index, the `+` keeping SQLite off the
 * country-wide partial indexes (one province's overdue tasks are a
 * thousandth of the country's, walked in due order otherwise).  The
 * picked tasks lead the judgement's join (CROSS JOIN keeps SQLite to that
 * order): led by the terms, it read every task of the term to find them. */
#define BOARD_IN_ALL(st, hl) " " st " AND " hl " AND (?3 IS NULL OR t.term_id = ?3)"
#define BOARD_IN_SUB(st, hl) \
	" +" st " AND +" hl " AND t.unit_id IN (SELECT id FROM base_sub)" \
	" AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))" \
	" AND (?3 IS NULL OR t.term_id = ?3)"
#define BOARD_LATE_REMINDERS \
	"reminders r WHERE r.created_at <= " SQL_CUTOFF " AND r.answer_by < ?9" \
	" AND (r.answered_at IS NULL OR r.answered_at > " SQL_CUTOFF ")"
#define BOARD_NOT_REMINDED " AND t.id NOT IN (SELECT r.task_id FROM " BOARD_LATE_REMINDERS ")"
/* The reminders late of the selected tasks t whose health is `hl`. */
#define BOARD_REMINDED(in) \
	" FROM reminders r JOIN tasks t ON t.id = r.task_id" \
	" WHERE r.created_at <= " SQL_CUTOFF " AND r.answer_by < ?9" \
	" AND (r.answered_at IS NULL OR r.answered_at > " SQL_CUTOFF ") AND" in
#define BOARD_CTES \
	"WITH RECURSIVE " SQL_SUBTREE_AS("base_sub", "coalesce(?1, ?13)") ", " \
	SQL_SUBTREE_AS("scope_sub", "?13")
#define BOARD_PICK_FILL(pick) \
	"INSERT OR IGNORE INTO board_rows (id, unit_id, status, health, late, quiet, gap, pct," \
	" health_reason, health_why, health_days, health_percent, health_planned) " \
	BOARD_CTES ", pick(id) AS (" pick "), " \
	SQL_HEALTH_CTES_KEPT(" FROM pick CROSS JOIN tasks t ON t.id = pick.id" \
			     " CROSS JOIN terms tm ON tm.id = t.term_id") \
	" SELECT hs.id, t.unit_id, hs.status, hs.health, hs.late, hs.quiet, hs.gap, hs.pct," \
	" hs.health_reason, hs.health_why, hs.health_days, hs.health_percent, hs.health_planned" \
	" FROM hs JOIN tasks t ON t.id = hs.id"
#define BOARD_PICK(IN) BOARD_PICK_FILL( \
	"SELECT id FROM (SELECT t.id FROM tasks t WHERE" \
	IN("t.status = 'overdue'", "t.health IS NOT NULL") " ORDER BY t.due_date, t.id LIMIT ?5)" \
	" UNION SELECT id FROM (SELECT r.task_id AS id" \
	BOARD_REMINDED(IN("t.id = t.id", "NOT (t.status = 'overdue' AND t.health IS NOT NULL)")) \
	"  GROUP BY r.task_id ORDER BY min(r.answer_by), r.task_id LIMIT ?5)" \
	" UNION SELECT id FROM (SELECT t.id FROM tasks t" \
	"  WHERE" IN("t.health = 'stalled'", "t.status = 'within_deadline'") BOARD_NOT_REMINDED \
	"  ORDER BY t.quiet_since, t.id LIMIT ?5)")
#define BOARD_PICK_AT_RISK(IN) BOARD_PICK_FILL( \
	"SELECT t.id FROM tasks t WHERE" IN("t.health = 'at_risk'", "t.status = 'within_deadline'") \
	BOARD_NOT_REMINDED)
/* [0] the whole tree, [1] a subtree. */
static const char *const SQL_BOARD_PICK[2] = {BOARD_PICK(BOARD_IN_ALL), BOARD_PICK(BOARD_IN_SUB)};
static const char *const SQL_BOARD_PICK_AT_RISK[2] = {BOARD_PICK_AT_RISK(BOARD_IN_ALL),
						      BOARD_PICK_AT_RISK(BOARD_IN_SUB)};

/* How many need action, from the counts (every stalled or at-risk task of
 * the base's subtree, or of unit 0, the whole tree) and the reminders (the
 * other tasks with one late). */
static const char SQL_BOARD_WAITING_KEPT[] =
	BOARD_CTES " SELECT (SELECT coalesce(sum(c.n), 0) FROM task_counts c WHERE c.own = 0"
	"  AND c.health IN ('stalled', 'at_risk') AND (?3 IS NULL OR c.term_id = ?3)"
	"  AND c.unit_id = coalesce(?1, ?13, 0))"
	" + (SELECT count(DISTINCT r.task_id)"
	BOARD_REMINDED(" (coalesce(?1, ?13) IS NULL OR t.unit_id IN (SELECT id FROM base_sub))"
		       " AND (?3 IS NULL OR t.term_id = ?3)"
		       " AND (t.health IS NULL OR t.health = 'on_track')") ")";
static const char SQL_ROWS_COUNT[] = "SELECT count(*) FROM board_rows";

#define BOARD_TALLY_FIRST 4 /* unit_id, unit_code, unit_name, own, then the counts */
#define BOARD_TALLY_N 11

static const char *const board_bools[] = {"own", NULL};

/* The counts of the board, summed over the rows of SQL_BOARD_UNITS. */
struct board_sums {
	int64_t n[BOARD_TALLY_N]; /* in BOARD_TALLY's order */
};

/* Packs a row of SQL_BOARD_UNITS and adds its counts to arg, the sums
 * db_board owns (the row-packer shape passes it as const). */
static void pack_unit_row(sqlite3_stmt *st, msgpack_packer *pk, const void *arg)
{
	struct board_sums *sums = (struct board_sums *)arg;

	db_pack_row(st, pk, board_bools);
	for (int i = 0; i < BOARD_TALLY_N; i++)
		sums->n[i] += sqlite3_column_int64(st, BOARD_TALLY_FIRST + i);
}

/* The board's three parts, from board_rows filled (and, with `kept`, the
 * counts of db_kept.h for the units and the number needing action). */
static int board_parts(struct db *db, const struct board_filter *f, bool kept,
		       msgpack_packer *pk, struct rpc_error *err)
{
	/* The names of the counts, BOARD_TALLY's column names in order. */
	static const char *const names[BOARD_TALLY_N] = {
		"total",	"done_on_time", "done_late", "within_deadline",
		"overdue",	"not_assigned", "cancelled", "carried_over",
		"on_track", "at_risk",	    "stalled",
	};
	struct board_sums sums = {{0}};
	sqlite3_stmt *st;
	int64_t waiting, last;
	bool more;

	st = kept ? db_prep(db, SQL_BOARD_WAITING_KEPT, err, "r3r9s13r", f->unit, f->term, f->as_of,
			    f->scope)
		  : db_prep(db, SQL_BOARD_ACTION_COUNT, err, "9s", f->as_of);
	if (!st || db_scalar(db, st, &waiting, err) != RPC_OK)
		return err->code;
	/* The caller packed as_of, unit and mine: four more pairs here. */
	pack_str(pk, "units");
	if (!(st = db_prep(db, kept ? SQL_BOARD_UNITS_KEPT : SQL_BOARD_UNITS, err, "r3r9s13r",
			   f->unit, f->term, f->as_of, f->scope)) ||
	    db_pack_array(db, st, -1, pk, pack_unit_row, &sums, &more, &last, err) < 0)
		return err->code;
	pack_str(pk, "counts");
	msgpack_pack_map(pk, BOARD_TALLY_N);
	for (int i = 0; i < BOARD_TALLY_N; i++)
		pack_kv_int(pk, names[i], sums.n[i]);
	pack_str(pk, "needs_action");
	if (!(st = db_prep(db, SQL_BOARD_ACTION, err, "5i9s", f->limit, f->as_of)) ||
	    db_pack_rows(db, st, pk, NULL, err) < 0)
		return err->code;
	pack_kv_int(pk, "needs_action_total", waiting);
	return RPC_OK;
}

/* Fills board_rows: every task of the selection judged, or, from the kept
 * rows, only those that may need action first. */
static int board_fill(struct db *db, const struct board_filter *f, bool kept,
		      struct rpc_error *err)
{
	int64_t picked = 0;
	int sub = f->unit || f->scope, rc;

	if (!kept)
		return db_run(db, db_health_kept(f->as_of) ? SQL_BOARD_FILL_KEPT : SQL_BOARD_FILL,
			      "board", err, "r3rr9s13r", f->unit, f->term, f->mine, f->as_of,
			      f->scope);
	if ((rc = db_run(db, SQL_BOARD_PICK[sub], "board", err, "r3r5i9s13r", f->unit, f->term,
			 f->limit, f->as_of, f->scope)) != RPC_OK ||
	    (rc = db_one_int64(db, SQL_ROWS_COUNT, &picked, err, "")) != RPC_OK)
		return rc;
	if (picked >= f->limit)
		return RPC_OK;
	return db_run(db, SQL_BOARD_PICK_AT_RISK[sub], "board", err, "r3r9s13r", f->unit, f->term,
		      f->as_of, f->scope);
}

int db_board(struct db *db, const struct board_filter *f, msgpack_packer *pk,
	     struct rpc_error *err)
{
	/* The kept counts are per unit: a focal point's own tasks are judged. */
	bool kept = !f->mine && db_kept_current(f->as_of);
	int rc;

	if ((rc = db_run(db, SQL_ROWS_TABLE, "board", err, "")) != RPC_OK ||
	    (rc = db_run(db, SQL_ROWS_CLEAR, "board", err, "")) != RPC_OK ||
	    (rc = board_fill(db, f, kept, err)) != RPC_OK)
		return rc;
	rc = board_parts(db, f, kept, pk, err);
	/* Emptied on every path: the next board starts clean, and the rows
	 * hold no memory meanwhile. */
	if (db_run(db, SQL_ROWS_CLEAR, "board", err, "") != RPC_OK && rc == RPC_OK)
		rc = err->code;
	return rc;
}

/* ---- cadre.record ---- */

/* The tasks of cadre ?1 in term ?3 within the scope ?13. */
#define RECORD_CTES \
	"WITH RECURSIVE " SQL_SUBTREE_AS("scope_sub", "?13") ", " \
	SQL_HEALTH_CTES(" FROM tasks t JOIN terms tm ON tm.id = t.term_id" \
			" WHERE t.owner_id = ?1 AND t.term_id = ?3" \
			" AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))")

static const char SQL_RECORD_TASKS[] =
	RECORD_CTES " SELECT t.id AS id, t.title AS title, t.kind AS kind, t.field AS field,"
	" t.product AS product, t.unit_id AS unit_id,"
	" (SELECT code FROM units WHERE id = t.unit_id) AS unit_code,"
	" " SQL_UNIT_NAME("t.unit_id", "min(tm.end_date, ?9)") " AS unit_name,"
	" t.state AS state, hs.status AS status, hs.health AS health, t.due_date AS due_date,"
	" t.percent AS percent, t.rating AS rating,"
	" CASE WHEN t.state = 'accepted' THEN t.state_note END AS comment,"
	" CASE WHEN t.state = 'accepted' THEN t.state_at END AS accepted_at,"
	" t.decision_no AS decision_no, t.decision_date AS decision_date"
	" FROM hs JOIN tasks t ON t.id = hs.id JOIN terms tm ON tm.id = t.term_id ORDER BY t.id";

static const char SQL_RECORD_RATINGS[] =
	RECORD_CTES " SELECT count(*) FILTER (WHERE t.rating = 'excellent') AS excellent,"
	" count(*) FILTER (WHERE t.rating = 'good') AS good,"
	" count(*) FILTER (WHERE t.rating = 'done') AS done,"
	" count(*) FILTER (WHERE t.rating = 'not_done') AS not_done,"
	" count(*) FILTER (WHERE t.rating IS NULL) AS unrated"
	" FROM hs JOIN tasks t ON t.id = hs.id";

static sqlite3_stmt *record_stmt(struct db *db, const char *sql, int64_t scope, int64_t cadre,
				 int64_t term, const char *as_of, struct rpc_error *err)
{
	return db_prep(db, sql, err, "i3i9s13r", cadre, term, as_of, scope);
}

int db_cadre_record(struct db *db, int64_t scope, int64_t cadre, int64_t term,
		    const char *as_of, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t n;

	msgpack_pack_map(pk, 6);
	pack_kv_str(pk, "as_of", as_of);
	pack_str(pk, "cadre");
	if (db_cadre_pack_in(db, scope, cadre, as_of, false, pk, err) != RPC_OK)
		return err->code;
	pack_str(pk, "term");
	if (db_term_pack(db, term, pk, err) != RPC_OK)
		return err->code;
	pack_str(pk, "items");
	if (!(st = record_stmt(db, SQL_RECORD_TASKS, scope, cadre, term, as_of, err)) ||
	    (n = db_pack_rows(db, st, pk, NULL, err)) < 0)
		return err->code;
	pack_kv_int(pk, "total", n);
	pack_str(pk, "ratings");
	if (!(st = record_stmt(db, SQL_RECORD_RATINGS, scope, cadre, term, as_of, err)) ||
	    db_pack_one(db, st, "record", 0, NULL, 0, pk, err) != RPC_OK)
		return err->code;
	return RPC_OK;
}
