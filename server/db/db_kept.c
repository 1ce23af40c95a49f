/*
 * db_kept.c: see db_kept.h.  The judgement is db_facts_judge's, from the
 * facts db_facts_now reads off the history: the same rules the reference
 * SQL writes, held to it by tests/test_facts.c.
 */
#include "db_kept.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "date.h"
#include "db_facts.h"
#include "db_health.h"
#include "db_internal.h"

/* The day (days since 1970-01-01, +1; 0 for none) every row was judged on
 * under today's rules, for the readers of every thread; and whether any
 * pass ever finished. */
static atomic_long current_day;
static atomic_bool filled;

/* Every statement that changes what a task's judgement reads notes the
 * task, with what it counted for before (the first note of a transaction
 * wins: the state of the last flush).  Temporary: on the writer's
 * connection only, in the transaction and its savepoints like any table.
 * The UPDATE of db_kept_flush itself sets none of the columns watched. */
static const char SQL_TRACK[] =
	"CREATE TEMP TABLE IF NOT EXISTS kept_pending (task_id INTEGER PRIMARY KEY,"
	" unit_id INTEGER, term_id INTEGER, status TEXT, health TEXT);"
	"CREATE TEMP TABLE IF NOT EXISTS kept_recount (id INTEGER PRIMARY KEY);"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_task_new AFTER INSERT ON main.tasks BEGIN"
	" INSERT OR IGNORE INTO kept_pending (task_id) VALUES (new.id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_task_set AFTER UPDATE OF state, rating, percent,"
	" last_update_at, due_date, decision_date, unit_id, term_id ON main.tasks BEGIN"
	" INSERT OR IGNORE INTO kept_pending VALUES (old.id, old.unit_id, old.term_id, old.status,"
	" old.health); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_task_gone AFTER DELETE ON main.tasks BEGIN"
	" INSERT OR IGNORE INTO kept_pending VALUES (old.id, old.unit_id, old.term_id, old.status,"
	" old.health); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_state_new AFTER INSERT ON main.task_states BEGIN"
	" INSERT OR IGNORE INTO kept_pending SELECT id, unit_id, term_id, status, health"
	" FROM main.tasks WHERE id = new.task_id; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_step_new AFTER INSERT ON main.plan_steps BEGIN"
	" INSERT OR IGNORE INTO kept_pending SELECT id, unit_id, term_id, status, health"
	" FROM main.tasks WHERE id = new.task_id; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_step_set AFTER UPDATE ON main.plan_steps BEGIN"
	" INSERT OR IGNORE INTO kept_pending SELECT id, unit_id, term_id, status, health"
	" FROM main.tasks WHERE id IN (old.task_id, new.task_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_step_gone AFTER DELETE ON main.plan_steps BEGIN"
	" INSERT OR IGNORE INTO kept_pending SELECT id, unit_id, term_id, status, health"
	" FROM main.tasks WHERE id = old.task_id; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_term_set AFTER UPDATE OF start_date ON main.terms"
	" BEGIN INSERT OR IGNORE INTO kept_pending SELECT id, unit_id, term_id, status, health"
	" FROM main.tasks WHERE term_id = new.id; END;"
	/* A unit moved: its tasks count in other ancestors now. */
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_unit_moved AFTER UPDATE OF parent_id ON main.units"
	" WHEN new.parent_id IS NOT old.parent_id BEGIN"
	" INSERT OR IGNORE INTO kept_recount (id) VALUES (1); END;";

int db_kept_track(struct db *db, char *why, size_t whylen)
{
	char *msg = NULL;

	if (sqlite3_exec(db->conn, SQL_TRACK, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(why, whylen, "setting up the kept figures: %s",
			 msg ? msg : sqlite3_errmsg(db->conn));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* ---- the counts ---- */

/* Adds ?5 to the count of term ?2's tasks of status ?3 and health ?4 in
 * the subtree of unit ?1 and of every unit above it, then of ?1 itself. */
static const char SQL_COUNT_UP[] =
	"WITH RECURSIVE " SQL_ANCESTORS("?1") " "
	"INSERT INTO task_counts (unit_id, term_id, own, status, health, n)"
	" SELECT id, ?2, 0, ?3, ?4, ?5 FROM anc WHERE true"
	" ON CONFLICT (unit_id, term_id, own, status, health) DO UPDATE SET n = n + excluded.n";
static const char SQL_COUNT_OWN[] =
	"INSERT INTO task_counts (unit_id, term_id, own, status, health, n)"
	" VALUES (?1, ?2, 1, ?3, ?4, ?5)"
	" ON CONFLICT (unit_id, term_id, own, status, health) DO UPDATE SET n = n + excluded.n";

static int count(struct db *db, int64_t unit, int64_t term, const char *status,
		 const char *health, int delta, struct rpc_error *err)
{
	static const char what[] = "keeping the figures";

	if (!unit || !status[0])
		return RPC_OK; /* counted nowhere: a task not judged yet */
	if (db_run(db, SQL_COUNT_UP, what, err, "iissi", unit, term, status, health,
		   (int64_t)delta) != RPC_OK ||
	    db_run(db, SQL_COUNT_OWN, what, err, "iissi", unit, term, status, health,
		   (int64_t)delta) != RPC_OK)
		return err->code;
	return RPC_OK;
}

/* Every count made again from the rows: after a unit moved. */
static const char SQL_RECOUNT_CLEAR[] = "DELETE FROM task_counts";
static const char SQL_RECOUNT[] =
	"WITH RECURSIVE clo(anc, id) AS (SELECT id, id FROM units"
	" UNION ALL SELECT u.parent_id, clo.id FROM clo JOIN units u ON u.id = clo.anc"
	" WHERE u.parent_id IS NOT NULL) "
	"INSERT INTO task_counts (unit_id, term_id, own, status, health, n)"
	" SELECT c.anc, t.term_id, 0, t.status, coalesce(t.health, ''), count(*)"
	" FROM tasks t JOIN clo c ON c.id = t.unit_id WHERE t.status IS NOT NULL"
	" GROUP BY c.anc, t.term_id, t.status, t.health"
	" UNION ALL SELECT t.unit_id, t.term_id, 1, t.status, coalesce(t.health, ''), count(*)"
	" FROM tasks t WHERE t.status IS NOT NULL GROUP BY t.unit_id, t.term_id, t.status, t.health";
static const char SQL_RECOUNT_DONE[] = "DELETE FROM kept_recount";
static const char SQL_RECOUNT_DUE[] = "SELECT count(*) FROM kept_recount";

/* ---- one task ---- */

static const char SQL_KEEP[] =
	"UPDATE tasks SET done_at = nullif(?2, ''), assigned_at = nullif(?3, ''),"
	" status = nullif(?4, ''), health = nullif(?5, '') WHERE id = ?1";

/* What task `id` counted for before (`was`: unit 0 for nowhere) and what it
 * counts for now, judged on `day`; its row and the counts made to agree. */
static int keep_one(struct db *db, int64_t id, const struct task_kept *was, const char *day,
		    struct rpc_error *err)
{
	struct task_facts f;
	struct task_kept now;
	struct task_judgement j;
	const char *status, *health;
	int rc = db_facts_now(db, id, day, &f, &now, err);

	if (rc == RPC_NOT_FOUND) /* deleted: it counts nowhere now */
		return count(db, was->unit_id, was->term_id, was->status, was->health, -1, err);
	if (rc != RPC_OK)
		return rc;
	db_facts_judge(&f, day, &j);
	status = j.status ? j.status : "";
	health = j.health ? j.health : "";
	if (strcmp(now.done_at, f.done_at) != 0 || strcmp(now.assigned_at, f.assigned_at) != 0 ||
	    strcmp(now.status, status) != 0 || strcmp(now.health, health) != 0) {
		if ((rc = db_run(db, SQL_KEEP, "keeping the task's status", err, "issss", id,
				 f.done_at, f.assigned_at, status, health)) != RPC_OK)
			return rc;
	}
	if (was->unit_id == now.unit_id && was->term_id == now.term_id &&
	    strcmp(was->status, status) == 0 && strcmp(was->health, health) == 0)
		return RPC_OK;
	if ((rc = count(db, was->unit_id, was->term_id, was->status, was->health, -1, err)) !=
	    RPC_OK)
		return rc;
	return count(db, now.unit_id, now.term_id, status, health, 1, err);
}

/* ---- the flush ---- */

static const char SQL_PENDING[] =
	"SELECT task_id, coalesce(unit_id, 0), coalesce(term_id, 0), coalesce(status, ''),"
	" coalesce(health, '') FROM kept_pending ORDER BY task_id";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM kept_pending";

/* Reads the row of a statement whose columns are id, unit, term, status, health. */
static int64_t read_was(sqlite3_stmt *st, struct task_kept *was)
{
	memset(was, 0, sizeof(*was));
	was->unit_id = sqlite3_column_int64(st, 1);
	was->term_id = sqlite3_column_int64(st, 2);
	db_column_copy(st, 3, was->status, sizeof(was->status));
	db_column_copy(st, 4, was->health, sizeof(was->health));
	return sqlite3_column_int64(st, 0);
}

/* The noted tasks, judged one by one.  The statement over kept_pending
 * stays open while the tasks change: they are other tables. */
static int keep_noted(struct db *db, const char *day, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PENDING, err);
	struct task_kept was;
	int rc, step;

	if (!st)
		return err->code;
	rc = RPC_OK;
	while (rc == RPC_OK && (step = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = read_was(st, &was);

		rc = keep_one(db, id, &was, day, err);
	}
	if (rc == RPC_OK && step != SQLITE_DONE)
		rc = db_fail(db, step, "reading the tasks to judge again", err);
	sqlite3_reset(st);
	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_PENDING_CLEAR, "keeping the figures", err, "");
}

int db_kept_flush(struct db *db, struct rpc_error *err)
{
	char today[DATE_LEN];
	int64_t recount = 0;
	int rc;

	if (sqlite3_txn_state(db->conn, "main") != SQLITE_TXN_WRITE)
		return RPC_OK; /* nothing written, nothing noted */
	date_of(clock_now(), today);
	if ((rc = keep_noted(db, today, err)) != RPC_OK)
		return rc;
	if ((rc = db_one_int64(db, SQL_RECOUNT_DUE, &recount, err, "")) != RPC_OK || !recount)
		return rc;
	if ((rc = db_run(db, SQL_RECOUNT_CLEAR, "counting again", err, "")) != RPC_OK ||
	    (rc = db_run(db, SQL_RECOUNT, "counting again", err, "")) != RPC_OK)
		return rc;
	return db_run(db, SQL_RECOUNT_DONE, "counting again", err, "");
}

/* ---- the pass ---- */

/* The counts that differ from a count made again from the rows, both ways
 * (a zero count and a missing one are the same). */
static const char SQL_VERIFY[] =
	"WITH RECURSIVE clo(anc, id) AS (SELECT id, id FROM units"
	" UNION ALL SELECT u.parent_id, clo.id FROM clo JOIN units u ON u.id = clo.anc"
	" WHERE u.parent_id IS NOT NULL), "
	"fresh AS (SELECT c.anc AS unit_id, t.term_id AS term_id, 0 AS own, t.status AS status,"
	" coalesce(t.health, '') AS health, count(*) AS n"
	" FROM tasks t JOIN clo c ON c.id = t.unit_id WHERE t.status IS NOT NULL"
	" GROUP BY c.anc, t.term_id, t.status, t.health"
	" UNION ALL SELECT t.unit_id, t.term_id, 1, t.status, coalesce(t.health, ''), count(*)"
	" FROM tasks t WHERE t.status IS NOT NULL GROUP BY t.unit_id, t.term_id, t.status, t.health),"
	"kept AS (SELECT unit_id, term_id, own, status, health, n FROM task_counts WHERE n <> 0) "
	"SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))"
	" + (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))";

int db_kept_verify(struct db *db, int64_t *wrong, struct rpc_error *err)
{
	return db_one_int64(db, SQL_VERIFY, wrong, err, "");
}

static const char SQL_ROW[] =
	"SELECT coalesce(status, ''), coalesce(health, '') FROM tasks WHERE id = ?1";

int db_kept_row(struct db *db, int64_t id, char status[16], char health[10],
		struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_ROW, err, "i", id);

	if (!st || db_row(db, st, "task", id, err) != RPC_OK)
		return err->code;
	db_column_copy(st, 0, status, 16);
	db_column_copy(st, 1, health, 10);
	sqlite3_reset(st);
	return RPC_OK;
}

void db_kept_rules(char *out, size_t n)
{
	snprintf(out, n, "stalled %d, at risk %d, zone %s", db_health_stalled_days(),
		 db_health_at_risk_margin(), clock_zone());
}

static const char SQL_STATE[] = "SELECT coalesce(day, ''), coalesce(rules, '') FROM facts_kept";

int db_kept_state(struct db *db, char day[DATE_LEN], bool *same_rules, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_STATE, err, "");
	char rules[200], now[200];

	day[0] = '\0';
	*same_rules = false;
	if (!st || db_row(db, st, "figures", 0, err) != RPC_OK)
		return err->code;
	db_column_copy(st, 0, day, DATE_LEN);
	db_column_copy(st, 1, rules, sizeof(rules));
	sqlite3_reset(st);
	db_kept_rules(now, sizeof(now));
	*same_rules = strcmp(rules, now) == 0;
	return RPC_OK;
}

/* The tasks of a batch: every one, or those whose status or health the
 * date can move (being worked on, or accepted as not done), or never
 * judged. */
static const char SQL_BATCH[] =
	"SELECT id, unit_id, term_id, coalesce(status, ''), coalesce(health, '') FROM tasks"
	" WHERE id > ?1 AND (?3 OR status IS NULL OR state IN ('assigned', 'in_progress')"
	"  OR (state = 'accepted' AND rating IS 'not_done'))"
	" ORDER BY id LIMIT ?2";
static const char SQL_FINISHED[] = "UPDATE facts_kept SET day = ?1, rules = ?2";

int db_kept_pass(struct db *db, const char *day, bool all, int batch, int64_t *after,
		 bool *more, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_BATCH, err, "iid", *after, (int64_t)batch, (int)all);
	struct {
		int64_t id;
		struct task_kept was;
	} *rows;
	char rules[200];
	int n = 0, step, rc = RPC_OK;

	*more = false;
	if (!st)
		return err->code;
	/* Read first, then judged: keep_one writes the table read. */
	if (!(rows = calloc((size_t)batch, sizeof(*rows)))) {
		sqlite3_reset(st);
		return errors_set(err, RPC_INTERNAL, "out of memory judging the tasks again");
	}
	while (n < batch && (step = sqlite3_step(st)) == SQLITE_ROW) {
		rows[n].id = read_was(st, &rows[n].was);
		n++;
	}
	if (n < batch && step != SQLITE_DONE)
		rc = db_fail(db, step, "reading the tasks to judge again", err);
	sqlite3_reset(st);
	for (int i = 0; rc == RPC_OK && i < n; i++)
		rc = keep_one(db, rows[i].id, &rows[i].was, day, err);
	if (rc == RPC_OK && n > 0)
		*after = rows[n - 1].id;
	free(rows);
	if (rc != RPC_OK)
		return rc;
	if ((*more = n == batch))
		return RPC_OK;
	db_kept_rules(rules, sizeof(rules));
	if ((rc = db_run(db, SQL_FINISHED, "recording the day judged", err, "ss", day, rules)) !=
	    RPC_OK)
		return rc;
	return RPC_OK;
}

void db_kept_set(const char *current, bool is_filled)
{
	atomic_store(&current_day, current && current[0] ? date_days(current) + 1 : 0);
	atomic_store(&filled, is_filled);
}

bool db_kept_current(const char *as_of)
{
	long d = atomic_load(&current_day);
	char today[DATE_LEN];

	if (d == 0 || !as_of || date_days(as_of) + 1 != d || db_health_reference())
		return false;
	/* After midnight the writes judge on the new day before its pass is
	 * done: then no day is current. */
	date_of(clock_now(), today);
	return strcmp(as_of, today) == 0;
}

bool db_kept_filled(void)
{
	return atomic_load(&filled);
}
