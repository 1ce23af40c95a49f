/*
 * db_demo.c: bulk inserts for the demo generator and the checks run on the
 * result.  Statements come from the shared cache (db_stmt), so each is
 * prepared once per load however many rows go through it.
 */
#include "db_demo.h"

#include <stdio.h>
#include <string.h>

#include "db_internal.h"
#include "db_kept.h"
#include "db_search.h"
#include "db_timeline.h"

/* Load settings: see db_demo_start().  cache_size is in KiB when negative. */
static const char SQL_LOAD_SETTINGS[] = "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536";
static const char SQL_NORMAL_SETTINGS[] =
	"PRAGMA synchronous=FULL; PRAGMA cache_size=-2000; PRAGMA wal_checkpoint(TRUNCATE)";

static const char SQL_BEGIN[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

static const char SQL_COUNTS[] =
	"SELECT (SELECT count(*) FROM units), (SELECT count(*) FROM cadres),"
	" (SELECT count(*) FROM terms), (SELECT count(*) FROM tasks),"
	" (SELECT count(*) FROM updates)";
static const char SQL_UNIT[] =
	"INSERT INTO units (code, level, parent_id, valid_from, created_at) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_UNIT_NAME_FIRST[] =
	"INSERT INTO unit_names (unit_id, valid_from, name) VALUES (?1, '0000-00-00', ?2)";
static const char SQL_UNIT_NAME[] =
	"INSERT INTO unit_names (unit_id, valid_from, name) VALUES (?1, ?2, ?3)";
static const char SQL_UNIT_CLOSE[] =
	"UPDATE units SET valid_to = ?2, merged_into = ?3 WHERE id = ?1";
static const char SQL_CADRE[] =
	"INSERT INTO cadres (code, full_name, title, unit_id, managing_unit_id, since,"
	" created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)";
static const char SQL_POSTING[] =
	"INSERT INTO cadre_postings (cadre_id, unit_id, title, valid_from, valid_to)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TERM[] =
	"INSERT INTO terms (code, name, kind, start_date, end_date) VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_TASK[] =
	"INSERT INTO tasks (title, description, kind, field, owner_id, unit_id, term_id,"
	" assigned_by, product, due_date, percent, last_update_at, update_count,"
	" created_at, updated_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
static const char SQL_TASK_OWNER[] =
	"INSERT INTO task_owners (task_id, valid_from, seq, cadre_id)"
	" VALUES (?1, substr(?2, 1, 10), 1, ?3)";
static const char SQL_UPDATE[] =
	"INSERT INTO updates (task_id, percent, done, difficulties, proposals, reported_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5, ?6)";

/* The owners of the term's tasks, by scope; ?1 term code, ?2 root code. */
#define SQL_FIGURES_OF(filter) \
	"SELECT count(*), count(DISTINCT t.owner_id) FROM tasks t" \
	" JOIN terms tm ON tm.id = t.term_id JOIN cadres c ON c.id = t.owner_id" \
	" WHERE tm.code = ?1 AND " filter
static const char SQL_FIGURES_ANY[] = SQL_FIGURES_OF("1");
static const char SQL_FIGURES_BY[] =
	SQL_FIGURES_OF("c.managing_unit_id = (SELECT id FROM units WHERE code = ?2)");
static const char SQL_FIGURES_UNDER[] =
	"WITH RECURSIVE " SQL_SUBTREE("(SELECT id FROM units WHERE code = ?2)") " "
	SQL_FIGURES_OF("c.managing_unit_id IN (SELECT id FROM sub)"
		       " AND c.managing_unit_id <> (SELECT id FROM units WHERE code = ?2)");

static const char SQL_BAD_TASKS[] =
	"SELECT count(*) FROM tasks t LEFT JOIN ("
	"  SELECT task_id, count(*) AS n, max(id) AS last FROM updates GROUP BY task_id) s"
	" ON s.task_id = t.id LEFT JOIN updates u ON u.id = s.last"
	" WHERE t.update_count IS NOT coalesce(s.n, 0)"
	"  OR t.percent IS NOT coalesce(u.percent, 0)"
	"  OR t.last_update_at IS NOT u.reported_at";
static const char SQL_BAD_UPDATES[] =
	"SELECT count(*) FROM (SELECT percent, reported_at,"
	"  lag(percent) OVER w AS prev_percent, lag(reported_at) OVER w AS prev_at"
	"  FROM updates WINDOW w AS (PARTITION BY task_id ORDER BY id))"
	" WHERE percent < prev_percent OR reported_at < prev_at";

/* Every table the demo fills, in key order, for db_demo_digest(). */
static const char *const digest_sql[] = {
	"SELECT * FROM units ORDER BY id",
	"SELECT * FROM unit_names ORDER BY unit_id, valid_from",
	"SELECT * FROM cadres ORDER BY id",
	"SELECT * FROM cadre_postings ORDER BY id",
	"SELECT * FROM terms ORDER BY id",
	"SELECT * FROM tasks ORDER BY id",
	"SELECT * FROM task_owners ORDER BY task_id, seq",
	"SELECT * FROM updates ORDER BY id",
};

/* Runs one or more ;-separated statements outside the cache. */
static int exec_all(struct db *db, const char *sql, const char *what, struct rpc_error *err)
{
	int rc = sqlite3_exec(db->conn, sql, NULL, NULL, NULL);

	return rc == SQLITE_OK ? RPC_OK : db_fail(db, rc, what, err);
}

int db_demo_counts(struct db *db, struct db_demo_counts *out, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_COUNTS, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->units = sqlite3_column_int64(st, 0);
		out->cadres = sqlite3_column_int64(st, 1);
		out->terms = sqlite3_column_int64(st, 2);
		out->tasks = sqlite3_column_int64(st, 3);
		out->updates = sqlite3_column_int64(st, 4);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "counting rows", err);
	return RPC_OK;
}

int db_demo_start(struct db *db, struct rpc_error *err)
{
	int rc;

	if ((rc = exec_all(db, SQL_LOAD_SETTINGS, "setting up the load", err)) != RPC_OK)
		return rc;
	if ((rc = db_run(db, SQL_BEGIN, "starting the load", err, "")) != RPC_OK)
		return rc;
	db->in_txn = true;
	return RPC_OK;
}

int db_demo_checkpoint(struct db *db, struct rpc_error *err)
{
	int rc;

	if ((rc = db_kept_flush(db, err)) != RPC_OK || (rc = db_search_flush(db, err)) != RPC_OK ||
	    (rc = db_timeline_flush(db, err)) != RPC_OK ||
	    (rc = db_run(db, SQL_COMMIT, "saving", err, "")) != RPC_OK)
		return rc;
	db->in_txn = false;
	if ((rc = db_run(db, SQL_BEGIN, "continuing the load", err, "")) != RPC_OK)
		return rc;
	db->in_txn = true;
	return RPC_OK;
}

/*
 * Where the demo's tasks stand in their life (server/methods/workflow.c), decided
 * from what the generator made, so the data is deterministic for a given
 * present day P (?9; `dotphad demo --present`, default the day it is
 * loaded), the last day anything is reported; on that day it holds every
 * state, every status and every health (PROTOCOL.md 6f).  With P =
 * 2026-10-31, the dates below:
 *   - the year 2020 is over: done tasks accepted with a rating, the others
 *     carried over into the owner's first task of the term (odd ids) or
 *     rated not_done;
 *   - in 2021-2025 the ten tasks never reported on are, in id order,
 *     registered, reviewed, returned, assigned and cancelled, two each;
 *   - tasks at 100% are accepted twenty days after their last update with
 *     a rating, but one in four, and those finished in the last twenty
 *     days, wait as reported_done;
 *   - tasks still reported on in October 2026 got an extension to
 *     2027-06-30 by a decision of 2026-01-15: within the deadline, on
 *     track or at risk by how far they are;
 *   - of the others, one in seventeen was rated not_done, one in nineteen
 *     cancelled; the rest are in progress, overdue and (by then) stalled.
 * Each step is its own UPDATE so the history of states (task_states)
 * records registered -> assigned -> in_progress -> ... with the dates a
 * real task would have: assigned ten days after registration, in progress
 * from the first update, reported done at the last one.
 */
#define DEMO_TARGET \
	"(CASE" \
	" WHEN (SELECT kind FROM terms WHERE id = tasks.term_id) = 'year' THEN" \
	"  CASE WHEN percent = 100 THEN 'accepted'" \
	"   WHEN id % 2 = 1 AND " DEMO_NEXT_TASK " IS NOT NULL THEN 'carried_over'" \
	"   ELSE 'not_done' END" \
	" WHEN update_count = 0 THEN" \
	"  CASE (SELECT r FROM temp.demo_rank WHERE id = tasks.id) / 2 % 5" \
	"   WHEN 0 THEN 'registered' WHEN 1 THEN 'reviewed' WHEN 2 THEN 'returned'" \
	"   WHEN 3 THEN 'assigned' ELSE 'cancelled' END" \
	" WHEN percent = 100 THEN" \
	"  CASE WHEN id % 4 = 0 OR last_update_at > date(?9, '-20 days') THEN 'reported_done'" \
	"   ELSE 'accepted' END" \
	" WHEN last_update_at >= date(?9, '-30 days') THEN 'extended'" \
	" WHEN id % 17 = 0 THEN 'not_done'" \
	" WHEN id % 19 = 0 THEN 'cancelled'" \
	" ELSE 'in_progress' END)"

/* The owner's first task of a later term: where a 2020 task carries over. */
#define DEMO_NEXT_TASK \
	"(SELECT min(x.id) FROM tasks x JOIN terms n ON n.id = x.term_id" \
	"  WHERE x.owner_id = tasks.owner_id AND n.start_date >" \
	"  (SELECT start_date FROM terms WHERE id = tasks.term_id))"

/* A moment `days` after moment column `col`. */
#define DEMO_LATER(col, days) "strftime('%Y-%m-%dT%H:%M:%SZ', " col ", '+" days " days')"

static const char *const demo_states_sql[] = {
	/* For each task without updates, how many such tasks come before it:
	 * counted once here, not per task (quadratic: hours at scale 1000). */
	"CREATE TEMP TABLE demo_rank(id INTEGER PRIMARY KEY, r INTEGER NOT NULL)",
	"INSERT INTO temp.demo_rank SELECT id, row_number() OVER (ORDER BY id) - 1"
	" FROM tasks WHERE update_count = 0",
	"UPDATE tasks SET state = 'reviewed', state_at = " DEMO_LATER("created_at", "3")
	" WHERE " DEMO_TARGET " IN ('reviewed', 'returned')",
	"UPDATE tasks SET state = 'returned', state_at = " DEMO_LATER("created_at", "6") ","
	" state_note = 'Đề nghị nêu rõ sản phẩm cụ thể và thời hạn hoàn thành từng phần việc'"
	" WHERE " DEMO_TARGET " = 'returned'",
	"UPDATE tasks SET state = 'assigned', state_at = " DEMO_LATER("created_at", "10") ","
	" state_note = NULL,"
	" decision_no = printf('%d-QĐ/%s', 100 + id,"
	"                      (SELECT code FROM units WHERE id = tasks.assigned_by)),"
	" decision_date = date(created_at, '+10 days')"
	" WHERE " DEMO_TARGET " NOT IN ('registered', 'reviewed', 'returned')",
	"UPDATE tasks SET state = 'in_progress',"
	" state_at = (SELECT min(reported_at) FROM updates WHERE task_id = tasks.id)"
	" WHERE state = 'assigned' AND update_count > 0",
	"UPDATE tasks SET state = 'reported_done', state_at = last_update_at,"
	" state_note = 'Đã hoàn thành: ' || product"
	" WHERE " DEMO_TARGET " IN ('accepted', 'reported_done', 'not_done')"
	" AND update_count > 0",
	"UPDATE tasks SET state = 'accepted', state_at = " DEMO_LATER("last_update_at", "20") ","
	" rating = CASE WHEN percent < 100 THEN 'not_done' WHEN id % 3 = 0 THEN 'excellent'"
	"  WHEN id % 3 = 1 THEN 'good' ELSE 'done' END,"
	" state_note = CASE WHEN percent < 100 THEN 'Sản phẩm chưa đạt yêu cầu đăng ký'"
	"  WHEN id % 3 = 0 THEN 'Sản phẩm cụ thể, vượt tiến độ, có tác động rõ rệt'"
	"  WHEN id % 3 = 1 THEN 'Hoàn thành đúng yêu cầu, sản phẩm rõ ràng'"
	"  ELSE 'Hoàn thành, cần tiếp tục duy trì kết quả' END"
	" WHERE " DEMO_TARGET " IN ('accepted', 'not_done') AND state = 'reported_done'",
	"UPDATE tasks SET state = 'cancelled',"
	" state_at = min(" DEMO_LATER("coalesce(last_update_at, created_at)", "45") ","
	"                ?9 || 'T02:00:00Z'),"  /* by the present day at the latest */
	" state_note = 'Nhiệm vụ không còn phù hợp sau khi sắp xếp tổ chức bộ máy'"
	" WHERE " DEMO_TARGET " = 'cancelled'",
	"UPDATE tasks SET state = 'carried_over', carried_to = " DEMO_NEXT_TASK ","
	" state_at = " DEMO_LATER("coalesce(last_update_at, created_at)", "5") ","
	" state_note = 'Chuyển sang nhiệm kỳ 2021–2025'"
	" WHERE " DEMO_TARGET " = 'carried_over'",
	"UPDATE tasks SET due_date = date(?9, '+8 months', 'start of month', '-1 day'),"
	" decision_date = date(?9, '-9 months', 'start of month', '+14 days'),"
	" decision_no = printf('%d-QĐ/%s', 500 + id,"
	"                      (SELECT code FROM units WHERE id = tasks.assigned_by))"
	" WHERE " DEMO_TARGET " = 'extended'",
	"UPDATE tasks SET updated_at = max(updated_at, state_at) WHERE state_at IS NOT NULL",
	"DROP TABLE temp.demo_rank",
};

/* Runs demo_states_sql in order, the demo's present day bound to ?9
 * where a statement has it. */
static int set_states(struct db *db, const char *present, struct rpc_error *err)
{
	int rc = RPC_OK;

	for (size_t i = 0; rc == RPC_OK && i < sizeof(demo_states_sql) / sizeof(demo_states_sql[0]);
	     i++) {
		sqlite3_stmt *st = db_stmt(db, demo_states_sql[i], err);

		if (!st)
			return err->code;
		if (sqlite3_bind_parameter_count(st) >= 9 &&
		    (rc = db_bind_check(db, st, db_bind_cstr(st, 9, present), err)) != RPC_OK)
			return rc;
		rc = db_exec_stmt(db, st, "setting the tasks' states", err);
	}
	return rc;
}

int db_demo_end(struct db *db, bool ok, const char *present, struct rpc_error *err)
{
	struct rpc_error ignored;
	int rc = RPC_OK;

	if (!sqlite3_get_autocommit(db->conn)) {
		if (ok)
			rc = set_states(db, present, err);
		if (ok && rc == RPC_OK)
			rc = db_kept_flush(db, err);
		if (ok && rc == RPC_OK)
			rc = db_search_flush(db, err);
		if (ok && rc == RPC_OK)
			rc = db_timeline_flush(db, err);
		if (ok && rc == RPC_OK)
			rc = db_run(db, SQL_COMMIT, "saving", err, "");
		if (!sqlite3_get_autocommit(db->conn)) /* not ok, or the COMMIT failed */
			db_run(db, SQL_ROLLBACK, "rolling back", &ignored, "");
	}
	db->in_txn = false;
	/* Best effort: the settings are the connection's own and a failed
	 * checkpoint only leaves a larger WAL; neither loses data. */
	exec_all(db, SQL_NORMAL_SETTINGS, "restoring the settings", &ignored);
	return rc;
}

int db_demo_unit(struct db *db, const char *code, const char *name, const char *level,
		 int64_t parent, const char *valid_from, const char *created_at, int64_t *id,
		 struct rpc_error *err)
{
	int rc = db_insert(db, SQL_UNIT, "unit", id, err, "ssrss", code, level, parent, valid_from,
			   created_at);

	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_UNIT_NAME_FIRST, "unit name", err, "is", *id, name);
}

int db_demo_unit_rename(struct db *db, int64_t id, const char *name, const char *date,
			struct rpc_error *err)
{
	return db_run(db, SQL_UNIT_NAME, "unit name", err, "iss", id, date, name);
}

int db_demo_unit_close(struct db *db, int64_t id, const char *date, int64_t merged_into,
		       struct rpc_error *err)
{
	return db_run(db, SQL_UNIT_CLOSE, "closing a unit", err, "isr", id, date, merged_into);
}

int db_demo_cadre(struct db *db, const struct db_demo_cadre *c, int64_t *id,
		  struct rpc_error *err)
{
	return db_insert(db, SQL_CADRE, "cadre", id, err, "sssiisss", c->code, c->full_name,
			 c->title, c->unit_id, c->managing_unit_id, c->since, c->created_at,
			 c->updated_at);
}

int db_demo_posting(struct db *db, int64_t cadre_id, int64_t unit_id, const char *title,
		    const char *valid_from, const char *valid_to, struct rpc_error *err)
{
	return db_run(db, SQL_POSTING, "cadre posting", err, "iisss", cadre_id, unit_id, title,
		      valid_from, valid_to);
}

int db_demo_term(struct db *db, const char *code, const char *name, const char *kind,
		 const char *start, const char *end, int64_t *id, struct rpc_error *err)
{
	return db_insert(db, SQL_TERM, "term", id, err, "sssss", code, name, kind, start, end);
}

int db_demo_task(struct db *db, const struct db_demo_task *t, int64_t *id,
		 struct rpc_error *err)
{
	int rc = db_insert(db, SQL_TASK, "task", id, err, "ssssiiiissdsdss", t->title,
			   t->description, t->kind, t->field, t->owner_id, t->unit_id, t->term_id,
			   t->assigned_by, t->product, t->due_date, t->percent, t->last_update_at,
			   t->update_count, t->created_at, t->updated_at);

	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_TASK_OWNER, "task owner", err, "isi", *id, t->created_at,
		      t->owner_id);
}

int db_demo_update(struct db *db, int64_t task_id, int percent, const char *done,
		   const char *difficulties, const char *proposals, const char *reported_at,
		   struct rpc_error *err)
{
	return db_run(db, SQL_UPDATE, "progress update", err, "idssss", task_id, percent, done,
		      difficulties, proposals, reported_at);
}

/* ---- checks ---- */

int db_demo_task_figures(struct db *db, const char *term_code, enum db_demo_scope scope,
			 const char *root_code, int64_t *tasks, int64_t *cadres,
			 struct rpc_error *err)
{
	const char *sql = scope == DB_DEMO_MANAGED_BY	 ? SQL_FIGURES_BY
			  : scope == DB_DEMO_MANAGED_UNDER ? SQL_FIGURES_UNDER
							   : SQL_FIGURES_ANY;
	sqlite3_stmt *st;
	int rc;

	*tasks = *cadres = 0;
	/* SQL_FIGURES_ANY has no ?2: the root is bound only for the others. */
	if (!(st = db_prep(db, sql, err, scope == DB_DEMO_ANY ? "s" : "ss", term_code,
			   root_code ? root_code : "")))
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*tasks = sqlite3_column_int64(st, 0);
		*cadres = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "counting tasks", err);
	return RPC_OK;
}

int db_demo_scalar(struct db *db, const char *sql, int64_t *out, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL);

	*out = 0;
	if (rc != SQLITE_OK)
		return db_fail(db, rc, "preparing a check", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "running a check", err);
	return RPC_OK;
}

int db_demo_inconsistencies(struct db *db, int64_t *bad, struct rpc_error *err)
{
	int64_t tasks, updates;
	int rc;

	*bad = 0;
	if ((rc = db_demo_scalar(db, SQL_BAD_TASKS, &tasks, err)) != RPC_OK ||
	    (rc = db_demo_scalar(db, SQL_BAD_UPDATES, &updates, err)) != RPC_OK)
		return rc;
	*bad = tasks + updates;
	return RPC_OK;
}

/* FNV-1a over bytes, continuing from h. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		h ^= b[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

int db_demo_digest(struct db *db, uint64_t *digest, struct rpc_error *err)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t q = 0; q < sizeof(digest_sql) / sizeof(digest_sql[0]); q++) {
		sqlite3_stmt *st;
		int rc = sqlite3_prepare_v2(db->conn, digest_sql[q], -1, &st, NULL);

		if (rc != SQLITE_OK)
			return db_fail(db, rc, "preparing the digest", err);
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			for (int i = 0; i < sqlite3_column_count(st); i++) {
				/* The type tag keeps NULL, 0 and '' apart. */
				unsigned char type = (unsigned char)sqlite3_column_type(st, i);
				const unsigned char *s = sqlite3_column_text(st, i);
				int n = sqlite3_column_bytes(st, i);

				h = fnv(h, &type, 1);
				h = fnv(h, s ? (const void *)s : "", (size_t)n);
				h = fnv(h, "\x1f", 1);
			}
			h = fnv(h, "\x1e", 1);
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return db_fail(db, rc, "computing the digest", err);
	}
	*digest = h;
	return RPC_OK;
}
