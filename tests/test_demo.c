/*
 * test_demo.c: the demo province (server/demo/demo.c) loads the article's
 * figures exactly, the same bytes every time, only into an empty database,
 * and with progress data that agrees with itself.  Checks read the file
 * through db_demo.c's helpers.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "db_demo.h"
#include "demo.h"

/* A temporary directory holding one database file. */
struct tmpdb {
	char dir[64];
	char path[96];
};

static void tmpdb_make(struct tmpdb *t)
{
	snprintf(t->dir, sizeof(t->dir), "/tmp/dotpha-demo-XXXXXX");
	cr_assert_not_null(mkdtemp(t->dir), "mkdtemp");
	snprintf(t->path, sizeof(t->path), "%s/demo.db", t->dir);
}

static void tmpdb_remove(struct tmpdb *t)
{
	const char *ext[] = {"", "-wal", "-shm"};
	char p[128];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", t->path, ext[i]);
		unlink(p);
	}
	rmdir(t->dir);
}

/* The present day the figures below are checked on: the demo's content
 * depends on it (dotphad demo --present). */
#define PRESENT "2026-10-31"

/* Runs `dotphad --db path demo --present PRESENT` with the given words
 * after that (a later --present wins). */
static int run_demo(const char *path, int argc, const char *const *argv)
{
	char *copy[10];
	int rc, n = 0;

	cr_assert(argc < 8);
	copy[n++] = strdup("--present");
	copy[n++] = strdup(PRESENT);
	for (int i = 0; i < argc; i++)
		copy[n++] = strdup(argv[i]);
	rc = demo_main(path, n, copy);
	for (int i = 0; i < n; i++)
		free(copy[i]);
	return rc;
}

static struct db *open_db(const char *path)
{
	struct db *db;
	char why[200];

	cr_assert_eq(db_open(&db, path, why, sizeof(why)), 0, "db_open: %s", why);
	return db;
}

static void load(struct tmpdb *t, int argc, const char *const *argv)
{
	tmpdb_make(t);
	cr_assert_eq(run_demo(t->path, argc, argv), 0, "the demo loads into an empty database");
}

static void expect_figures(struct db *db, const char *term, enum db_demo_scope scope,
			   const char *root, int64_t tasks, int64_t cadres)
{
	struct rpc_error err = {0};
	int64_t nt, nc;

	cr_assert_eq(db_demo_task_figures(db, term, scope, root, &nt, &nc, &err), RPC_OK, "%s",
		     err.message);
	cr_expect_eq(nt, tasks, "term %s, scope %d under %s: %lld tasks, expected %lld", term,
		     (int)scope, root ? root : "-", (long long)nt, (long long)tasks);
	cr_expect_eq(nc, cadres, "term %s, scope %d under %s: %lld cadres, expected %lld", term,
		     (int)scope, root ? root : "-", (long long)nc, (long long)cadres);
}

static int64_t scalar(struct db *db, const char *sql)
{
	struct rpc_error err = {0};
	int64_t v;

	cr_assert_eq(db_demo_scalar(db, sql, &v, &err), RPC_OK, "%s: %s", sql, err.message);
	return v;
}

Test(demo, reproduces_the_article_figures_at_scale_1)
{
	struct tmpdb t;
	struct db_demo_counts n;
	struct rpc_error err = {0};
	struct db *db;

	load(&t, 0, NULL);
	db = open_db(t.path);
	expect_figures(db, "2020", DB_DEMO_ANY, NULL, 13, 13);
	expect_figures(db, "2021-2025", DB_DEMO_MANAGED_BY, "TU", 244, 76);
	expect_figures(db, "2021-2025", DB_DEMO_MANAGED_UNDER, "TU", 219, 65);
	expect_figures(db, "2021-2025", DB_DEMO_ANY, NULL, 463, 141);
	cr_assert_eq(db_demo_counts(db, &n, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(n.units, 70);
	cr_expect_eq(n.cadres, 141);
	cr_expect_eq(n.terms, 2);
	cr_expect_eq(n.tasks, 476);
	cr_expect_gt(n.updates, 5000, "years of progress updates: %lld", (long long)n.updates);
	/* The 13 heads of 2020 are among the 76 the province manages. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks t JOIN terms m ON m.id = t.term_id"
				" JOIN cadres c ON c.id = t.owner_id"
				" WHERE m.code = '2020' AND c.managing_unit_id <>"
				" (SELECT id FROM units WHERE code = 'TU')"),
		     0);
	/* Each task was assigned by its owner's managing unit. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks t JOIN cadres c ON c.id = t.owner_id"
				" WHERE t.assigned_by <> c.managing_unit_id"),
		     0);
	db_close(db);
	tmpdb_remove(&t);
}

Test(demo, gives_the_same_bytes_every_time)
{
	struct tmpdb a, b;
	struct rpc_error err = {0};
	uint64_t da, db_;
	struct db *d;

	load(&a, 0, NULL);
	load(&b, 0, NULL);
	d = open_db(a.path);
	cr_assert_eq(db_demo_digest(d, &da, &err), RPC_OK, "%s", err.message);
	db_close(d);
	d = open_db(b.path);
	cr_assert_eq(db_demo_digest(d, &db_, &err), RPC_OK, "%s", err.message);
	db_close(d);
	cr_expect_eq(da, db_, "two loads differ: %016llx and %016llx", (unsigned long long)da,
		     (unsigned long long)db_);
	tmpdb_remove(&a);
	tmpdb_remove(&b);
}

Test(demo, repeats_the_province_under_new_roots_at_scale_3)
{
	const char *const args[] = {"--scale", "3"};
	struct tmpdb t;
	struct db_demo_counts n;
	struct rpc_error err = {0};
	struct db *db;

	load(&t, 2, args);
	db = open_db(t.path);
	cr_assert_eq(db_demo_counts(db, &n, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(n.units, 3 * 70);
	cr_expect_eq(n.cadres, 3 * 141);
	cr_expect_eq(n.terms, 2);
	cr_expect_eq(n.tasks, 3 * 476);
	expect_figures(db, "2020", DB_DEMO_ANY, NULL, 3 * 13, 3 * 13);
	expect_figures(db, "2021-2025", DB_DEMO_MANAGED_BY, "TU", 244, 76);
	expect_figures(db, "2021-2025", DB_DEMO_MANAGED_UNDER, "TU", 219, 65);
	expect_figures(db, "2021-2025", DB_DEMO_MANAGED_BY, "TU-P3", 244, 76);
	expect_figures(db, "2021-2025", DB_DEMO_MANAGED_UNDER, "TU-P3", 219, 65);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM units WHERE parent_id IS NULL"), 3);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM units WHERE code = 'H-SONDUONG-P2'"), 1);
	db_close(db);
	tmpdb_remove(&t);
}

Test(demo, loads_only_into_an_empty_database)
{
	struct tmpdb t;
	struct db_demo_counts n;
	struct rpc_error err = {0};
	uint64_t before, after;
	struct db *db;

	load(&t, 0, NULL);
	db = open_db(t.path);
	cr_assert_eq(db_demo_digest(db, &before, &err), RPC_OK, "%s", err.message);
	db_close(db);
	cr_expect_eq(run_demo(t.path, 0, NULL), 1, "a second load is refused");
	db = open_db(t.path);
	cr_assert_eq(db_demo_digest(db, &after, &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_demo_counts(db, &n, &err), RPC_OK, "%s", err.message);
	db_close(db);
	cr_expect_eq(before, after, "the refused load changed nothing");
	cr_expect_eq(n.tasks, 476);
	tmpdb_remove(&t);
}

Test(demo, refuses_bad_arguments)
{
	const char *const zero[] = {"--scale", "0"};
	const char *const huge[] = {"--scale", "1001"};
	const char *const word[] = {"--scale", "two"};
	const char *const bare[] = {"--scale"};
	const char *const force[] = {"--force"};
	const char *const other[] = {"--sclae", "2"};
	const char *const early[] = {"--present", "2025-12-31"};
	const char *const nodate[] = {"--present", "31/02/2027"};
	const char *const nopresent[] = {"--present"};
	struct tmpdb t;

	tmpdb_make(&t);
	cr_expect_eq(run_demo(t.path, 2, zero), 2);
	cr_expect_eq(run_demo(t.path, 2, huge), 2);
	cr_expect_eq(run_demo(t.path, 2, word), 2);
	cr_expect_eq(run_demo(t.path, 1, bare), 2);
	cr_expect_eq(run_demo(t.path, 1, force), 2);
	cr_expect_eq(run_demo(t.path, 2, other), 2);
	cr_expect_eq(run_demo(t.path, 2, early), 2);
	cr_expect_eq(run_demo(t.path, 2, nodate), 2);
	cr_expect_eq(run_demo(t.path, 1, nopresent), 2);
	cr_expect_eq(access(t.path, F_OK), -1, "no database was created");
	tmpdb_remove(&t);
}

Test(demo, keeps_task_progress_consistent_with_its_updates)
{
	struct tmpdb t;
	struct rpc_error err = {0};
	int64_t bad;
	struct db *db;

	load(&t, 0, NULL);
	db = open_db(t.path);
	cr_assert_eq(db_demo_inconsistencies(db, &bad, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(bad, 0, "%lld tasks or updates disagree", (long long)bad);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM updates WHERE reported_at >= '2026-11-01'"), 0,
		     "nothing reported after 2026-11-01");
	cr_expect_eq(scalar(db, "SELECT count(*) FROM updates u JOIN tasks t ON t.id = u.task_id"
				" WHERE u.reported_at < t.created_at"),
		     0, "no update before its task");
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks t JOIN terms m ON m.id = t.term_id"
				" WHERE t.due_date < m.start_date OR (t.due_date > m.end_date"
				"  AND NOT (t.due_date = '2027-06-30' AND t.decision_date = '2026-01-15'))"),
		     0, "deadlines within the term, but for the extensions");
	cr_expect_gt(scalar(db, "SELECT count(*) FROM tasks WHERE percent = 100"), 100,
		     "many tasks are done");
	cr_expect_gt(scalar(db, "SELECT count(*) FROM tasks WHERE percent < 100"
				" AND due_date < '2026-11-01'"),
		     20, "some are overdue");
	cr_expect_gt(scalar(db, "SELECT count(*) FROM updates WHERE difficulties <> ''"), 100,
		     "offices report difficulties");
	db_close(db);
	tmpdb_remove(&t);
}

Test(demo, follows_its_present_day)
{
	const char *const later[] = {"--present", "31/03/2027"};
	struct tmpdb t;
	struct db *db;

	load(&t, 2, later);
	db = open_db(t.path);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks"), 476, "the same tasks");
	cr_expect_eq(scalar(db, "SELECT count(*) FROM updates WHERE reported_at >= '2027-04-01'"), 0,
		     "nothing reported after the present");
	cr_expect_gt(scalar(db, "SELECT count(*) FROM updates WHERE reported_at >= '2027-03-01'"), 0,
		     "work still reported in the present's month");
	cr_expect_eq(scalar(db, "SELECT count(*) FROM task_states WHERE at >= '2027-04-01'"), 0);
	/* The running tasks' extension is decided and due relative to it. */
	cr_expect_gt(scalar(db, "SELECT count(*) FROM tasks WHERE due_date = '2027-11-30'"
				" AND decision_date = '2026-07-15'"), 0);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks WHERE due_date = '2027-06-30'"), 0);
	db_close(db);
	tmpdb_remove(&t);
}

Test(demo, keeps_the_history_of_units_and_cadres)
{
	struct tmpdb t;
	struct db *db;

	load(&t, 0, NULL);
	db = open_db(t.path);
	/* The district level ended on 2025-07-01; communes live on under TU. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM units WHERE level IN ('huyện', 'thành phố')"
				" AND valid_to = '2025-07-01'"),
		     7);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM units u JOIN units p ON p.id = u.parent_id"
				" WHERE p.valid_to IS NOT NULL"),
		     0, "no unit sits under a closed one");
	cr_expect_gt(scalar(db, "SELECT count(*) FROM tasks t JOIN units u ON u.id = t.unit_id"
				" WHERE u.code = 'H-SONDUONG'"),
		     10, "the district's tasks still point at it");
	/* Sở Nông nghiệp và PTNT took its new name and absorbed Sở TN&MT. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM unit_names n JOIN units u ON u.id = n.unit_id"
				" WHERE u.code = 'S-NNPTNT' AND n.valid_from = '2025-03-01'"
				" AND n.name = 'Sở Nông nghiệp và Môi trường'"),
		     1);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM units u JOIN units m ON m.id = u.merged_into"
				" WHERE u.code = 'S-TNMT' AND m.code = 'S-NNPTNT'"
				" AND u.valid_to = '2025-03-01'"),
		     1);
	/* Every cadre has exactly one open post, the one the cadre row shows,
	 * and closed posts end the day before the next begins. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM cadres c WHERE 1 <> (SELECT count(*)"
				" FROM cadre_postings p WHERE p.cadre_id = c.id AND p.valid_to IS NULL)"),
		     0);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM cadres c JOIN cadre_postings p"
				" ON p.cadre_id = c.id AND p.valid_to IS NULL"
				" WHERE p.unit_id <> c.unit_id OR p.title <> c.title"
				" OR p.valid_from <> c.since"),
		     0);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM cadre_postings p JOIN cadre_postings q"
				" ON q.cadre_id = p.cadre_id AND q.id = p.id + 1"
				" WHERE p.valid_to IS NULL OR date(p.valid_to, '+1 day') <> q.valid_from"),
		     0);
	cr_expect_geq(scalar(db, "SELECT count(*) FROM cadre_postings WHERE valid_from = '2022-10-01'"),
		     2, "a rotation (luân chuyển) during the term");
	db_close(db);
	tmpdb_remove(&t);
}

Test(demo, puts_every_task_where_its_progress_says_it_is)
{
	static const char *const states[] = {"registered", "reviewed", "returned", "assigned",
					     "in_progress", "reported_done", "accepted",
					     "cancelled", "carried_over"};
	struct tmpdb t;
	struct db *db;

	load(&t, 0, NULL);
	db = open_db(t.path);
	/* Every state of the workflow is there. */
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		char sql[128];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM tasks WHERE state = '%s'", states[i]);
		cr_expect_gt(scalar(db, sql), 0, "no task %s", states[i]);
	}
	/* Tasks with progress were assigned: only those never reported on wait. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks WHERE state IN"
				" ('registered', 'reviewed', 'returned') AND update_count > 0"), 0);
	/* 2020 is over: all 13 evaluated with a rating, or carried over into the term. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks t JOIN terms m ON m.id = t.term_id"
				" WHERE m.code = '2020' AND ((t.state = 'accepted' AND t.rating IS NOT NULL)"
				" OR (t.state = 'carried_over' AND t.carried_to IS NOT NULL))"),
		     13);
	/* A rating only on accepted tasks, each rating given; a decision on every
	 * assigned task, and only on them. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks WHERE (rating IS NOT NULL) <>"
				" (state = 'accepted')"), 0);
	cr_expect_eq(scalar(db, "SELECT count(DISTINCT rating) FROM tasks"), 4);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks WHERE (decision_no IS NULL) <>"
				" (state IN ('registered', 'reviewed', 'returned'))"), 0);
	cr_expect_gt(scalar(db, "SELECT count(*) FROM tasks WHERE state = 'in_progress'"), 100);
	cr_expect_gt(scalar(db, "SELECT count(*) FROM tasks WHERE state = 'reported_done'"), 20);
	/* The history of states runs forward and ends in the task's state. */
	cr_expect_eq(scalar(db, "SELECT count(*) FROM tasks t WHERE t.state <> (SELECT s.state"
				" FROM task_states s WHERE s.task_id = t.id ORDER BY s.at DESC, s.id DESC"
				" LIMIT 1)"), 0);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM task_states s JOIN task_states p"
				" ON p.task_id = s.task_id AND p.id < s.id WHERE p.at > s.at"), 0);
	cr_expect_eq(scalar(db, "SELECT count(*) FROM task_states WHERE at >= '2026-11-01'"), 0,
		     "nothing happens after the demo's present");
	db_close(db);
	tmpdb_remove(&t);
}
