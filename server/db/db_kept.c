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

/* Every statement that changes what a task's judgement or its counts
 * read notes the task.  Temporary: on the writer's connection only, in the
 * transaction and its savepoints like any table.  A task deleted takes
 * what it was counted as along (its row is gone).  The UPDATE of
 * keep_one sets none of the columns watched. */
static const char SQL_TRACK[] =
	/* In memory: the table holds a few ids and is emptied at every
	 * commit; on a file it would cost writes to a file nobody keeps. */
	"PRAGMA temp_store = MEMORY;"
	"CREATE TEMP TABLE IF NOT EXISTS kept_pending (task_id INTEGER PRIMARY KEY, gone TEXT);"
	"CREATE TEMP TABLE IF NOT EXISTS kept_recount (id INTEGER PRIMARY KEY);"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_task_new AFTER INSERT ON main.tasks BEGIN"
	" INSERT OR IGNORE INTO kept_pending (task_id) VALUES (new.id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_task_set AFTER UPDATE OF state, rating, percent,"
	" last_update_at, due_date, decision_date, unit_id, term_id, owner_id, field, kind"
	" ON main.tasks BEGIN INSERT OR IGNORE INTO kept_pending (task_id) VALUES (new.id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_task_gone AFTER DELETE ON main.tasks BEGIN"
	" INSERT OR REPLACE INTO kept_pending VALUES (old.id, coalesce(old.counted, '')); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_state_new AFTER INSERT ON main.task_states BEGIN"
	" INSERT OR IGNORE INTO kept_pending (task_id) VALUES (new.task_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_step_new AFTER INSERT ON main.plan_steps BEGIN"
	" INSERT OR IGNORE INTO kept_pending (task_id) VALUES (new.task_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_step_set AFTER UPDATE ON main.plan_steps BEGIN"
	" INSERT OR IGNORE INTO kept_pending (task_id) VALUES (old.task_id), (new.task_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_step_gone AFTER DELETE ON main.plan_steps BEGIN"
	" INSERT OR IGNORE INTO kept_pending (task_id) VALUES (old.task_id); END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_term_set AFTER UPDATE OF start_date ON main.terms"
	" BEGIN INSERT OR IGNORE INTO kept_pending (task_id)"
	" SELECT id FROM main.tasks WHERE term_id = new.id; END;"
	"CREATE TEMP TRIGGER IF NOT EXISTS kept_cadre_set AFTER UPDATE OF managing_unit_id"
	" ON main.cadres BEGIN INSERT OR IGNORE INTO kept_pending (task_id)"
	" SELECT id FROM main.tasks WHERE owner_id = new.id; END;"
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

/* ---- what a task is counted as ---- */

/* A task's place in every table of counts.  On the row (`counted`) as
 * "unit|term|owner|managing|state|rating|field|kind|month|status|health":
 * none of the words has a '|'. */
struct counted {
	int64_t unit, term, owner, managing;
	char state[16], rating[12], field[20], kind[16];
	char month[8];   /* YYYY-MM of completion, for a task done */
	char status[16], health[10];
};

static void counted_text(const struct counted *c, char *out, size_t n)
{
	snprintf(out, n, "%lld|%lld|%lld|%lld|%s|%s|%s|%s|%s|%s|%s", (long long)c->unit,
		 (long long)c->term, (long long)c->owner, (long long)c->managing, c->state,
		 c->rating, c->field, c->kind, c->month, c->status, c->health);
}

/* Copies the next '|'-separated word of *p into out (n bytes); false at the end. */
static bool next_word(const char **p, char *out, size_t n)
{
	const char *end = strchr(*p, '|');
	size_t len = end ? (size_t)(end - *p) : strlen(*p);

	if (len >= n)
		len = n - 1;
	memcpy(out, *p, len);
	out[len] = '\0';
	*p = end ? end + 1 : *p + strlen(*p);
	return end != NULL;
}

/* Parses counted_text's form; a task counted nowhere ("") has unit 0. */
static void counted_parse(const char *text, struct counted *c)
{
	char num[24];
	int64_t *ids[4] = {&c->unit, &c->term, &c->owner, &c->managing};
	const char *p = text;

	memset(c, 0, sizeof(*c));
	if (!text[0])
		return;
	for (int i = 0; i < 4; i++) {
		next_word(&p, num, sizeof(num));
		*ids[i] = strtoll(num, NULL, 10);
	}
	next_word(&p, c->state, sizeof(c->state));
	next_word(&p, c->rating, sizeof(c->rating));
	next_word(&p, c->field, sizeof(c->field));
	next_word(&p, c->kind, sizeof(c->kind));
	next_word(&p, c->month, sizeof(c->month));
	next_word(&p, c->status, sizeof(c->status));
	next_word(&p, c->health, sizeof(c->health));
}

/* ---- the counts ---- */

/* Each table of counts: its rows for a task of unit ?1 go to the unit,
 * every unit above it and unit 0, the whole tree (own 0), with ?2 the
 * term, ?3.. the key and the last parameter what to add.
 * task_counts_managing follows task_counts_owner by its triggers. */
#define COUNT_UP(table, cols, vals) \
	"WITH RECURSIVE " SQL_ANCESTORS("?1") " " \
	"INSERT INTO " table " (unit_id, term_id, " cols ", n) SELECT id, ?2, " vals \
	" FROM (SELECT id FROM anc UNION ALL SELECT 0)" \
	" WHERE true ON CONFLICT DO UPDATE SET n = n + excluded.n"
static const char SQL_ADD_STATUS[] = COUNT_UP("task_counts", "own, status, health", "0, ?3, ?4, ?5");
static const char SQL_ADD_OWN[] =
	"INSERT INTO task_counts (unit_id, term_id, own, status, health, n)"
	" VALUES (?1, ?2, 1, ?3, ?4, ?5) ON CONFLICT DO UPDATE SET n = n + excluded.n";
static const char SQL_ADD_FIELD[] =
	COUNT_UP("task_counts_field", "field, kind, status, health", "?3, ?4, ?5, ?6, ?7");
static const char SQL_ADD_STATE[] = COUNT_UP("task_counts_state", "state, rating", "?3, ?4, ?5");
static const char SQL_ADD_MONTH[] = COUNT_UP("task_counts_month", "month, status", "?3, ?4, ?5");
static const char SQL_ADD_OWNER[] =
	COUNT_UP("task_counts_owner", "managing_id, owner_id", "?3, ?4, ?5");

static bool is_done(const char *status)
{
	return strcmp(status, "done_on_time") == 0 || strcmp(status, "done_late") == 0;
}

/* The tables of counts. */
enum { T_STATUS, T_FIELD, T_STATE, T_MONTH, T_OWNER, T_COUNT };

/* Adds delta to table's count of what c says. */
static int count(struct db *db, const struct counted *c, int table, int delta,
		 struct rpc_error *err)
{
	static const char what[] = "keeping the figures";
	int64_t d = delta;
	int rc = RPC_OK;

	if (!c->unit || !c->status[0])
		return RPC_OK; /* counted nowhere: a task not judged yet */
	switch (table) {
	case T_STATUS:
		if ((rc = db_run(db, SQL_ADD_STATUS, what, err, "iissi", c->unit, c->term, c->status,
				 c->health, d)) == RPC_OK)
			rc = db_run(db, SQL_ADD_OWN, what, err, "iissi", c->unit, c->term, c->status,
				    c->health, d);
		break;
	case T_FIELD:
		rc = db_run(db, SQL_ADD_FIELD, what, err, "iissssi", c->unit, c->term, c->field, c->kind,
			    c->status, c->health, d);
		break;
	case T_STATE:
		rc = db_run(db, SQL_ADD_STATE, what, err, "iissi", c->unit, c->term, c->state,
			    c->rating, d);
		break;
	case T_MONTH:
		if (is_done(c->status))
			rc = db_run(db, SQL_ADD_MONTH, what, err, "iissi", c->unit, c->term, c->month,
				    c->status, d);
		break;
	case T_OWNER:
		rc = db_run(db, SQL_ADD_OWNER, what, err, "iiiii", c->unit, c->term, c->managing,
			    c->owner, d);
		break;
	}
	return rc;
}

/* Whether a and b put a task in the same row of `table`. */
static bool same_row(const struct counted *a, const struct counted *b, int table)
{
#define EQ(f) (strcmp(a->f, b->f) == 0)
	bool place = a->unit == b->unit && a->term == b->term && EQ(status);

	if (!a->status[0] || !b->status[0])
		return !a->status[0] && !b->status[0];
	switch (table) {
	case T_STATUS:
		return place && EQ(health);
	case T_FIELD:
		return place && EQ(health) && EQ(field) && EQ(kind);
	case T_STATE:
		return a->unit == b->unit && a->term == b->term && EQ(state) && EQ(rating);
	case T_MONTH:
		return place && (!is_done(a->status) || EQ(month));
	default:
		return a->unit == b->unit && a->term == b->term && a->owner == b->owner &&
		       a->managing == b->managing;
	}
#undef EQ
}

/* Moves a task's counts from what it was counted as to what it is. */
static int move_counts(struct db *db, const struct counted *was, const struct counted *now,
		       struct rpc_error *err)
{
	int rc = RPC_OK;

	for (int t = 0; rc == RPC_OK && t < T_COUNT; t++)
		if (!same_row(was, now, t) && (rc = count(db, was, t, -1, err)) == RPC_OK)
			rc = count(db, now, t, 1, err);
	return rc;
}

/* Every table of counts made again from the tasks' columns (after a unit
 * moved; to verify the kept ones): FRESH_x, the rows of table x. */
#define CLOSURE \
	"clo(anc, id) AS (SELECT id, id FROM units UNION ALL SELECT 0, id FROM units" \
	" UNION ALL SELECT u.parent_id, clo.id FROM clo JOIN units u ON u.id = clo.anc" \
	" WHERE u.parent_id IS NOT NULL)"
#define JUDGED_IN " FROM tasks t JOIN clo c ON c.id = t.unit_id"
#define JUDGED " WHERE t.status IS NOT NULL"
#define FRESH_STATUS \
	"SELECT c.anc, t.term_id, 0, t.status, coalesce(t.health, ''), count(*)" JUDGED_IN JUDGED \
	" GROUP BY 1, 2, 3, 4, 5" \
	" UNION ALL SELECT t.unit_id, t.term_id, 1, t.status, coalesce(t.health, ''), count(*)" \
	" FROM tasks t" JUDGED " GROUP BY 1, 2, 3, 4, 5"
#define FRESH_FIELD \
	"SELECT c.anc, t.term_id, t.field, t.kind, t.status, coalesce(t.health, ''), count(*)" \
	JUDGED_IN JUDGED " GROUP BY 1, 2, 3, 4, 5, 6"
#define FRESH_STATE \
	"SELECT c.anc, t.term_id, t.state, coalesce(t.rating, ''), count(*)" JUDGED_IN JUDGED \
	" GROUP BY 1, 2, 3, 4"
#define FRESH_MONTH \
	"SELECT c.anc, t.term_id, substr(" SQL_DAY("t.done_at") ", 1, 7), t.status, count(*)" \
	JUDGED_IN JUDGED " AND t.status IN ('done_on_time', 'done_late') GROUP BY 1, 2, 3, 4"
#define FRESH_OWNER \
	"SELECT c.anc, t.term_id, o.managing_unit_id, t.owner_id, count(*)" JUDGED_IN \
	" JOIN cadres o ON o.id = t.owner_id" JUDGED " GROUP BY 1, 2, 3, 4"
#define FRESH_MANAGING \
	"SELECT c.anc, t.term_id, o.managing_unit_id, count(*), count(DISTINCT t.owner_id)" \
	JUDGED_IN " JOIN cadres o ON o.id = t.owner_id" JUDGED " GROUP BY 1, 2, 3"
#define REBUILD(table, fresh) \
	"WITH RECURSIVE " CLOSURE " INSERT INTO " table " SELECT * FROM (" fresh ")"
#define VERIFY_WHERE(table, fresh, nonzero) \
	"WITH RECURSIVE " CLOSURE ", fresh AS (" fresh "), " \
	"kept AS (SELECT * FROM " table " WHERE " nonzero " <> 0) " \
	"SELECT (SELECT count(*) FROM (SELECT * FROM kept EXCEPT SELECT * FROM fresh))" \
	" + (SELECT count(*) FROM (SELECT * FROM fresh EXCEPT SELECT * FROM kept))"
#define VERIFY(table, fresh) VERIFY_WHERE(table, fresh, "n")
#define TABLE(table, fresh) {"DELETE FROM " table, REBUILD(table, fresh), VERIFY(table, fresh)}
/* Every table of counts; task_counts_managing is cleared before
 * task_counts_owner, whose triggers rebuild it. */
static const struct {
	const char *clear, *rebuild, *verify;
} tables[T_COUNT + 1] = {
	TABLE("task_counts", FRESH_STATUS),
	TABLE("task_counts_field", FRESH_FIELD),
	TABLE("task_counts_state", FRESH_STATE),
	TABLE("task_counts_month", FRESH_MONTH),
	{"DELETE FROM task_counts_managing", NULL,
	 VERIFY_WHERE("task_counts_managing", FRESH_MANAGING, "tasks")},
	TABLE("task_counts_owner", FRESH_OWNER),
};

int db_kept_verify(struct db *db, int64_t *wrong, struct rpc_error *err)
{
	*wrong = 0;
	for (int t = 0; t <= T_COUNT; t++) {
		int64_t n = 0;

		if (db_one_int64(db, tables[t].verify, &n, err, "") != RPC_OK)
			return err->code;
		*wrong += n;
	}
	return RPC_OK;
}

static int recount(struct db *db, struct rpc_error *err)
{
	static const char what[] = "counting again";

	for (int t = 0; t <= T_COUNT; t++)
		if (db_run(db, tables[t].clear, what, err, "") != RPC_OK ||
		    (tables[t].rebuild && db_run(db, tables[t].rebuild, what, err, "") != RPC_OK))
			return err->code;
	return RPC_OK;
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

/* ---- one task ---- */

static const char SQL_KEEP[] =
	"UPDATE tasks SET done_at = nullif(?2, ''), assigned_at = nullif(?3, ''),"
	" quiet_since = nullif(?4, ''), status = nullif(?5, ''), health = nullif(?6, ''),"
	" counted = nullif(?7, '') WHERE id = ?1";

/* Task `id` judged on `day` from its history, its row made to say so and
 * its counts moved from what the row said it was counted as (or `gone`'s,
 * for a task deleted). */
static int keep_one(struct db *db, int64_t id, const char *gone, const char *day,
		    struct rpc_error *err)
{
	struct task_facts f;
	struct task_kept k;
	struct task_judgement j;
	struct counted was, now;
	char text[sizeof(k.counted)], since[DATE_LEN] = "", done_day[DATE_LEN];
	int rc = db_facts_now(db, id, day, &f, &k, err);

	if (rc == RPC_NOT_FOUND) { /* deleted: it counts nowhere now */
		counted_parse(gone ? gone : "", &was);
		memset(&now, 0, sizeof(now));
		return move_counts(db, &was, &now, err);
	}
	if (rc != RPC_OK)
		return rc;
	db_facts_judge(&f, day, &j);
	counted_parse(k.counted, &was);
	memset(&now, 0, sizeof(now));
	if (j.status) {
		now.unit = k.unit_id, now.term = k.term_id;
		now.owner = k.owner_id, now.managing = k.managing_id;
		snprintf(now.state, sizeof(now.state), "%s", f.state);
		snprintf(now.rating, sizeof(now.rating), "%s", f.rating);
		snprintf(now.field, sizeof(now.field), "%s", k.field);
		snprintf(now.kind, sizeof(now.kind), "%s", k.kind);
		snprintf(now.status, sizeof(now.status), "%s", j.status);
		snprintf(now.health, sizeof(now.health), "%s", j.health ? j.health : "");
		if (is_done(j.status) && db_facts_local_day(f.done_at, done_day) == 0)
			snprintf(now.month, sizeof(now.month), "%.7s", done_day);
		counted_text(&now, text, sizeof(text));
	} else {
		text[0] = '\0';
	}
	if (j.health) /* quiet time matters to a task being worked on only */
		db_facts_quiet_since(&f, since);
	if (strcmp(k.done_at, f.done_at) != 0 || strcmp(k.assigned_at, f.assigned_at) != 0 ||
	    strcmp(k.quiet_since, since) != 0 || strcmp(k.counted, text) != 0 ||
	    strcmp(k.status, now.status) != 0 || strcmp(k.health, now.health) != 0) {
		if ((rc = db_run(db, SQL_KEEP, "keeping the task's status", err, "issssss", id,
				 f.done_at, f.assigned_at, since, now.status, now.health, text)) !=
		    RPC_OK)
			return rc;
	}
	return move_counts(db, &was, &now, err);
}

/* ---- the flush ---- */

static const char SQL_PENDING[] = "SELECT task_id, gone FROM kept_pending ORDER BY task_id";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM kept_pending";
static const char SQL_RECOUNT_DUE[] = "SELECT count(*) FROM kept_recount";
static const char SQL_RECOUNT_DONE[] = "DELETE FROM kept_recount";

/* The noted tasks, judged one by one.  The statement over kept_pending
 * stays open while the tasks change: they are other tables. */
static int keep_noted(struct db *db, const char *day, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_PENDING, err);
	int rc = RPC_OK, step;

	if (!st)
		return err->code;
	while (rc == RPC_OK && (step = sqlite3_step(st)) == SQLITE_ROW)
		rc = keep_one(db, sqlite3_column_int64(st, 0),
			      (const char *)sqlite3_column_text(st, 1), day, err);
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
	int64_t due = 0;
	int rc;

	if (sqlite3_txn_state(db->conn, "main") != SQLITE_TXN_WRITE)
		return RPC_OK; /* nothing written, nothing noted */
	date_of(clock_now(), today);
	if ((rc = keep_noted(db, today, err)) != RPC_OK)
		return rc;
	/* The rows all say what they count as now: the counts follow them. */
	if ((rc = db_one_int64(db, SQL_RECOUNT_DUE, &due, err, "")) != RPC_OK || !due)
		return rc;
	if ((rc = recount(db, err)) != RPC_OK)
		return rc;
	return db_run(db, SQL_RECOUNT_DONE, "counting again", err, "");
}

/* ---- the pass ---- */

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
	"SELECT id FROM tasks WHERE id > ?1 AND (?3 OR status IS NULL"
	"  OR state IN ('assigned', 'in_progress') OR (state = 'accepted' AND rating IS 'not_done'))"
	" ORDER BY id LIMIT ?2";
static const char SQL_FINISHED[] = "UPDATE facts_kept SET day = ?1, rules = ?2";

int db_kept_pass(struct db *db, const char *day, bool all, int batch, int64_t *after,
		 bool *more, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_BATCH, err, "iid", *after, (int64_t)batch, (int)all);
	int64_t *ids;
	char rules[200];
	int n = 0, step = SQLITE_DONE, rc = RPC_OK;

	*more = false;
	if (!st)
		return err->code;
	/* Read first, then judged: keep_one writes the table read. */
	if (!(ids = calloc((size_t)batch, sizeof(*ids)))) {
		sqlite3_reset(st);
		return errors_set(err, RPC_INTERNAL, "out of memory judging the tasks again");
	}
	while (n < batch && (step = sqlite3_step(st)) == SQLITE_ROW)
		ids[n++] = sqlite3_column_int64(st, 0);
	if (n < batch && step != SQLITE_DONE)
		rc = db_fail(db, step, "reading the tasks to judge again", err);
	sqlite3_reset(st);
	for (int i = 0; rc == RPC_OK && i < n; i++)
		rc = keep_one(db, ids[i], NULL, day, err);
	if (rc == RPC_OK && n > 0)
		*after = ids[n - 1];
	free(ids);
	if (rc != RPC_OK)
		return rc;
	if ((*more = n == batch))
		return RPC_OK;
	db_kept_rules(rules, sizeof(rules));
	return db_run(db, SQL_FINISHED, "recording the day judged", err, "ss", day, rules);
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

static void fn_kept_filled(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_int(ctx, db_kept_filled() && !db_health_reference());
}

int db_kept_functions(sqlite3 *conn)
{
	return sqlite3_create_function(conn, "dp_kept_filled", 0, SQLITE_UTF8, NULL,
				       fn_kept_filled, NULL, NULL);
}
