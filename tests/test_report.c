/*
 * test_report.c: report.get, report.snapshot, report.snapshots and
 * report.compare (PROTOCOL.md 6i) through the dispatcher on a fresh
 * temporary database per test.  The server's clock is set to chosen days
 * so the tasks have a real history; the report's figures are checked
 * against counts the test makes itself from task.list's items, and the
 * report as of 31/03 is asked again after later changes and must not move.
 */
#include <criterion/criterion.h>

#include <string.h>
#include <time.h>

#include "clock.h"
#include "errors.h"
#include "obj.h"

#include "world.h"

static void teardown(void)
{
	clock_reset();
	world_teardown();
}

TestSuite(report, .init = world_setup, .fini = teardown, .timeout = 120);

/* ---- the province's history ---- */

/* Sets the server's clock to noon of local day d. */
static void at(const char *d)
{
	char buf[32];
	time_t t;

	snprintf(buf, sizeof(buf), "%sT12:00:00", d);
	cr_assert_eq(clock_parse(buf, &t), 0, "bad day %s", d);
	clock_set(t);
}

static void progress(struct identity *who, int64_t id, int p)
{
	OK_AS(who, "update.create", "i:task", num(id), "i:percent", num(p), "s:done", "Đã làm",
	      NULL);
}

/* A task of owner, due on due, assigned now unless `assign` is false. */
static int64_t task_of(const char *owner, const char *due, const char *field, bool assign)
{
	int64_t id = new_task_of(owner, NULL);

	OK("task.update", "i:task", num(id), "s:due_date", due, "s:field", field, NULL);
	if (assign)
		act_ok(&admin, "assign", id);
	return id;
}

static int64_t x1; /* the commune under H1 */

/* make_world() plus commune X1 under H1 with cadre C3 managed by H1, and
 * tasks whose statuses differ on 31/03/2025: one overdue (C1), one within
 * its deadline and stalled (C2), one done on time (C3), one registered
 * only (C1), one cancelled (C2).  Then, in the second quarter, the
 * overdue one is done late and a new one is assigned. */
static void build(void)
{
	int64_t a, b, c, e;

	make_world();
	x1 = I(OK("unit.create", "s:code", "X1", "s:name", "Xã Một", "s:level", "xã", "s:parent",
		  "H1", NULL), "id");
	OK("cadre.create", "s:code", "C3", "s:full_name", "Lê Văn Cường", "s:title", "Bí thư",
	   "s:unit", "X1", "s:managing_unit", "H1", "s:since", "2020-01-01", NULL);
	at("2021-03-01");
	a = task_of("C1", "2024-12-31", "socio_economic", true);
	b = task_of("C2", "2025-06-30", "livelihood", true);
	c = task_of("C3", "2022-06-30", "livelihood", true);
	task_of("C1", "2025-06-30", "party_building", false);
	e = task_of("C2", "2025-06-30", "socio_economic", true);
	at("2021-06-01");
	progress(&office1, a, 30);
	at("2022-05-01");
	progress(&office1, c, 100);
	act_ok(&office1, "report_done", c);
	at("2024-06-01");
	progress(&office2, b, 50);
	at("2025-02-01");
	act_ok(&admin, "cancel", e);
}

/* The second quarter: the overdue task is done (late), a new one assigned. */
static void second_quarter(void)
{
	const msgpack_object *l;

	at("2025-05-01");
	l = OK("task.list", "s:cadre", "C1", "s:status", "overdue", NULL);
	cr_assert_eq(count_items(l), 1);
	progress(&office1, I(item(l, 0), "id"), 100);
	act_ok(&office1, "report_done", I(item(l, 0), "id"));
	task_of("C1", "2025-12-31", "socio_economic", true);
}

/* ---- the figures counted by the test ---- */

static const char *const statuses[] = {"done_on_time", "done_late", "within_deadline",
				       "overdue", "not_assigned", "cancelled", "carried_over"};
static const char *const healths[] = {"on_track", "at_risk", "stalled"};

#define NSTATUS (sizeof(statuses) / sizeof(statuses[0]))
#define NHEALTH (sizeof(healths) / sizeof(healths[0]))

struct tally {
	int64_t total, status[NSTATUS], health[NHEALTH];
};

static void add(struct tally *t, const msgpack_object *task)
{
	const char *s = S(task, "status"), *h = S(task, "health");

	if (strcmp(s, "(nil)") == 0)
		return; /* not registered yet on the day */
	t->total++;
	for (size_t i = 0; i < NSTATUS; i++)
		t->status[i] += strcmp(s, statuses[i]) == 0;
	for (size_t i = 0; i < NHEALTH; i++)
		t->health[i] += strcmp(h, healths[i]) == 0;
}

/* Checks a report's tally (a map) against t. */
static void expect_tally(const msgpack_object *m, const struct tally *t, const char *what)
{
	int64_t assigned = t->status[0] + t->status[1] + t->status[2] + t->status[3];

	cr_expect_eq(I(m, "total"), t->total, "%s: total", what);
	cr_expect_eq(I(m, "assigned"), assigned, "%s: assigned", what);
	for (size_t i = 0; i < NSTATUS; i++)
		cr_expect_eq(I(m, statuses[i]), t->status[i], "%s: %s", what, statuses[i]);
	for (size_t i = 0; i < NHEALTH; i++)
		cr_expect_eq(I(m, healths[i]), t->health[i], "%s: %s", what, healths[i]);
}

/* The row of unit id in report r's units, or NULL. */
static const msgpack_object *unit_row(const msgpack_object *r, int64_t id)
{
	const msgpack_object *units = field(r, "units");

	for (uint32_t i = 0; i < units->via.array.size; i++)
		if (I(&units->via.array.ptr[i], "unit_id") == id)
			return &units->via.array.ptr[i];
	return NULL;
}

/* Checks report.get as `who` (over the whole tree if `whole`) on day d
 * against task.list's items as the same caller: the summary, the cadres,
 * and each unit's subtree. */
static void expect_report_matches_tasks(struct identity *who, bool whole, const char *d)
{
	const msgpack_object *r = OK_AS(who, "report.get", "s:term", "T1", "s:as_of", d, NULL);
	const msgpack_object *l = OK_AS(who, "task.list", "s:term", "T1", "s:as_of", d, "i:limit",
					"1000", NULL);
	struct tally all = {0}, tinh = {0}, h1 = {0}, h2 = {0}, xa = {0};
	int64_t owners[64], nowners = 0;

	for (uint32_t i = 0; i < count_items(l); i++) {
		const msgpack_object *t = item(l, i);
		int64_t unit = I(t, "unit_id"), owner = I(t, "owner_id");
		bool seen = false;

		add(&all, t);
		if (strcmp(S(t, "status"), "(nil)") == 0)
			continue;
		add(&tinh, t);
		if (unit == world_ids.h1 || unit == x1)
			add(&h1, t);
		if (unit == world_ids.h2)
			add(&h2, t);
		if (unit == x1)
			add(&xa, t);
		for (int64_t k = 0; k < nowners; k++)
			seen |= owners[k] == owner;
		if (!seen)
			owners[nowners++] = owner;
	}
	cr_assert_gt(all.total, 0, "no task on %s", d);
	expect_tally(field(r, "summary"), &all, "summary");
	cr_expect_eq(I(field(r, "summary"), "cadres"), nowners, "cadres on %s", d);
	if (whole) {
		cr_assert_not_null(unit_row(r, world_ids.tinh));
		expect_tally(unit_row(r, world_ids.tinh), &tinh, "TINH");
		cr_expect_eq(I(unit_row(r, world_ids.tinh), "depth"), 0);
	}
	if (h1.total) {
		cr_assert_not_null(unit_row(r, world_ids.h1), "H1 missing on %s", d);
		expect_tally(unit_row(r, world_ids.h1), &h1, "H1");
	}
	if (h2.total && whole) {
		cr_assert_not_null(unit_row(r, world_ids.h2), "H2 missing on %s", d);
		expect_tally(unit_row(r, world_ids.h2), &h2, "H2");
	}
	if (xa.total) {
		cr_assert_not_null(unit_row(r, x1), "X1 missing on %s", d);
		expect_tally(unit_row(r, x1), &xa, "X1");
		/* X1's tasks are all its own; H1's own are H1's minus X1's. */
		cr_expect_eq(I(unit_row(r, x1), "own_total"), xa.total);
		cr_expect_eq(I(unit_row(r, world_ids.h1), "own_total"), h1.total - xa.total);
	}
}

/* ---- the figures ---- */

Test(report, the_figures_match_what_the_tasks_say_on_each_day)
{
	static const char *const days[] = {"2021-03-01", "2022-06-01", "2025-03-31",
					   "2025-06-30", "2026-01-15"};

	build();
	second_quarter();
	at("2026-02-01");
	for (size_t i = 0; i < sizeof(days) / sizeof(days[0]); i++) {
		expect_report_matches_tasks(&admin, true, days[i]);
		expect_report_matches_tasks(&sup_h1, false, days[i]);
	}
}

Test(report, the_first_quarter_in_detail)
{
	const msgpack_object *r, *s, *m, *od, *st;

	build();
	at("2025-04-01");
	r = OK("report.get", "s:term", "T1", "s:as_of", "2025-03-31", NULL);
	s = field(r, "summary");
	/* a overdue, b within its deadline (stalled), c done on time, d not
	 * assigned, e cancelled. */
	cr_expect_eq(I(s, "total"), 5);
	cr_expect_eq(I(s, "cadres"), 3);
	cr_expect_eq(I(s, "assigned"), 3);
	cr_expect_eq(I(s, "overdue"), 1);
	cr_expect_eq(I(s, "done_on_time"), 1);
	cr_expect_eq(I(s, "within_deadline"), 1);
	cr_expect_eq(I(s, "not_assigned"), 1);
	cr_expect_eq(I(s, "cancelled"), 1);
	cr_expect_eq(I(s, "stalled"), 2); /* b, and a: overdue and quiet since 2021 */
	/* Rates: 1 done of 3 assigned, on time; 1 overdue of 3. */
	cr_expect_float_eq(field(s, "completion_rate")->via.f64, 33.3, 1e-9);
	cr_expect_float_eq(field(s, "on_time_rate")->via.f64, 100.0, 1e-9);
	cr_expect_float_eq(field(s, "overdue_rate")->via.f64, 33.3, 1e-9);

	/* Managing bodies: TINH manages C1 and C2 (4 tasks), H1 manages C3. */
	m = field(r, "managing");
	cr_expect_eq(I(field(m, "base"), "tasks"), 4);
	cr_expect_eq(I(field(m, "base"), "cadres"), 2);
	cr_expect_eq(I(field(m, "below"), "tasks"), 1);
	cr_expect_eq(I(field(m, "below"), "cadres"), 1);
	cr_expect_eq(I(field(m, "above"), "tasks"), 0);

	od = field(r, "overdue");
	cr_assert_eq(od->via.array.size, 1);
	cr_expect_eq(I(r, "overdue_total"), 1);
	cr_expect_str_eq(S(&od->via.array.ptr[0], "owner_code"), "C1");
	cr_expect_str_eq(S(&od->via.array.ptr[0], "due_date"), "2024-12-31");
	cr_expect_eq(I(&od->via.array.ptr[0], "days_late"), 90);
	cr_expect_eq(I(&od->via.array.ptr[0], "percent"), 30);
	st = field(r, "stalled");
	cr_expect_eq(st->via.array.size, 2);
	cr_expect_eq(I(r, "stalled_total"), 2);
	cr_expect_geq(I(&st->via.array.ptr[0], "days_quiet"), I(&st->via.array.ptr[1], "days_quiet"));

	/* Fields: livelihood has b and c; completion over time: c in 2022-05. */
	cr_expect_eq(field(r, "monthly")->via.array.size, 1);
	cr_expect_str_eq(S(&field(r, "monthly")->via.array.ptr[0], "month"), "2022-05");
	cr_expect_eq(I(&field(r, "monthly")->via.array.ptr[0], "done_on_time"), 1);
	cr_expect_eq(I(field(r, "ratings"), "excellent"), 0);

	/* limit bounds the lists, not their totals. */
	r = OK("report.get", "s:term", "T1", "s:as_of", "2025-03-31", "i:limit", "1", NULL);
	cr_expect_eq(field(r, "stalled")->via.array.size, 1);
	cr_expect_eq(I(r, "stalled_total"), 2);
}

Test(report, the_report_as_of_31_march_is_the_same_when_asked_in_june)
{
	const msgpack_object *before, *after;

	build();
	at("2025-04-01");
	before = OK("report.get", "s:term", "T1", "s:as_of", "2025-03-31", NULL);
	second_quarter();
	at("2025-06-15");
	after = OK("report.get", "s:term", "T1", "s:as_of", "2025-03-31", NULL);
	cr_expect(msgpack_object_equal(*before, *after), "the report as of 31/03 moved");
	/* ...while as of June it did move. */
	after = OK("report.get", "s:term", "T1", "s:as_of", "2025-06-15", NULL);
	cr_expect_eq(I(field(after, "summary"), "done_late"), 1);
	cr_expect_eq(I(field(after, "summary"), "total"), 6);
}

/* ---- scope ---- */

Test(report, a_report_holds_only_the_callers_scope)
{
	const msgpack_object *r;

	build();
	at("2025-04-01");
	r = OK_AS(&office1, "report.get", "s:term", "T1", "s:as_of", "2025-03-31", NULL);
	cr_expect_eq(I(field(r, "summary"), "total"), 3); /* a, d of H1 and c of X1 */
	cr_expect_null(unit_row(r, world_ids.h2));
	cr_expect_null(unit_row(r, world_ids.tinh));
	cr_expect_eq(I(unit_row(r, world_ids.h1), "depth"), 0);
	/* Managed by TINH, above the office's base; C3 by H1, the base. */
	cr_expect_eq(I(field(field(r, "managing"), "above"), "tasks"), 2);
	cr_expect_eq(I(field(field(r, "managing"), "base"), "tasks"), 1);
	r = OK_AS(&viewer1, "report.get", "s:term", "T1", "s:unit", "X1", "s:as_of", "2025-03-31",
		  NULL);
	cr_expect_eq(I(field(r, "summary"), "total"), 1);
	cr_expect_str_eq(S(field(r, "unit"), "code"), "X1");
	/* A unit of another branch reads as one that does not exist. */
	cr_expect_eq(FAILS_AS(&office1, "report.get", "s:term", "T1", "s:unit", "H2", NULL),
		     RPC_NOT_FOUND);
	cr_expect_eq(FAILS_AS(&office1, "report.get", "s:term", "T1", "s:unit", "NOPE", NULL),
		     RPC_NOT_FOUND);
	r = OK_AS(&office2, "report.get", "s:term", "T1", "s:as_of", "2025-03-31", NULL);
	cr_expect_eq(I(field(r, "summary"), "total"), 2);
	cr_expect_eq(field(r, "overdue")->via.array.size, 0);
}

Test(report, bad_params_say_which_field)
{
	make_world();
	cr_expect_eq(FAILS("report.get", NULL), RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "term"), "%s", world_last.message);
	cr_expect_eq(FAILS("report.get", "s:term", "T9", NULL), RPC_NOT_FOUND);
	cr_expect_eq(FAILS("report.get", "s:term", "T1", "s:as_of", "31/03/2025", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "as_of"), "%s", world_last.message);
	cr_expect_eq(FAILS("report.get", "s:term", "T1", "i:limit", "0", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("report.get", "s:term", "T1", "s:colour", "đỏ", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("report.snapshot", "s:name", "quý 1", "s:term", "T1", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "name"), "%s", world_last.message);
	cr_expect_eq(FAILS("report.compare", "s:a", "Q1", NULL), RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("report.compare", "s:a", "Q1", "s:b", "Q2", NULL), RPC_NOT_FOUND);
	cr_expect(strstr(world_last.message, "a: no snapshot named 'Q1'"), "%s",
		  world_last.message);
}

/* ---- snapshots ---- */

Test(report, snapshots_freeze_a_report_and_compare_shows_what_moved)
{
	const msgpack_object *q1, *q2, *c, *sum, *l, *h1;
	int64_t id1, entries;

	build();
	at("2025-04-01");
	entries = audit_total();
	q1 = OK_AS(&sup_tinh, "report.snapshot", "s:name", "Q1-2025", "s:term", "T1", "s:as_of",
		   "2025-03-31", NULL);
	id1 = I(q1, "id");
	cr_expect_str_eq(S(q1, "name"), "Q1-2025");
	cr_expect_str_eq(S(q1, "as_of"), "2025-03-31");
	cr_expect_str_eq(S(q1, "scope_code"), "TINH");
	cr_expect_str_eq(S(q1, "created_by"), "suptinh");
	cr_expect_gt(I(q1, "size"), 0);
	cr_expect_eq(audit_total(), entries + 1);
	/* The name is the scope's: taken again, a conflict; another scope may use it. */
	cr_expect_eq(FAILS_AS(&sup_tinh, "report.snapshot", "s:name", "Q1-2025", "s:term", "T1",
			      NULL),
		     RPC_CONFLICT);
	OK_AS(&sup_h1, "report.snapshot", "s:name", "Q1-2025", "s:term", "T1", "s:as_of",
	      "2025-03-31", NULL);
	/* The office and the viewer read reports but do not freeze them. */
	cr_expect_eq(FAILS_AS(&office1, "report.snapshot", "s:name", "X", "s:term", "T1", NULL),
		     RPC_FORBIDDEN);

	second_quarter();
	at("2025-07-01");
	q2 = OK_AS(&sup_tinh, "report.snapshot", "s:name", "Q2-2025", "s:term", "T1", "s:as_of",
		   "2025-06-30", NULL);
	(void)q2;

	/* Lists: the TINH supervisor sees its own and H1's; H1's only its own. */
	cr_expect_eq(I(OK_AS(&sup_tinh, "report.snapshots", NULL), "total"), 3);
	l = OK_AS(&sup_h1, "report.snapshots", NULL);
	cr_expect_eq(I(l, "total"), 1);
	cr_expect_str_eq(S(item(l, 0), "scope_code"), "H1");
	cr_expect_eq(I(OK_AS(&office2, "report.snapshots", NULL), "total"), 0);
	/* Out of the scope reads as missing, by id. */
	cr_expect_eq(FAILS_AS(&sup_h1, "report.compare", "i:a", num(id1), "s:b", "Q1-2025", NULL),
		     RPC_NOT_FOUND);

	c = OK_AS(&sup_tinh, "report.compare", "s:a", "Q1-2025", "s:b", "Q2-2025", NULL);
	cr_expect_eq(I(field(c, "a"), "id"), id1);
	sum = field(c, "summary");
	for (uint32_t i = 0; i < sum->via.array.size; i++) {
		const msgpack_object *f = &sum->via.array.ptr[i];

		cr_expect_eq(I(f, "delta"), I(f, "after") - I(f, "before"), "%s", S(f, "figure"));
		if (strcmp(S(f, "figure"), "overdue") == 0) {
			cr_expect_eq(I(f, "before"), 1);
			cr_expect_eq(I(f, "after"), 0);
		}
		if (strcmp(S(f, "figure"), "done_late") == 0)
			cr_expect_eq(I(f, "delta"), 1);
		if (strcmp(S(f, "figure"), "total") == 0)
			cr_expect_eq(I(f, "delta"), 1);
	}
	/* H1: the overdue task done late, one more assigned. */
	h1 = NULL;
	for (uint32_t i = 0; i < field(c, "units")->via.array.size; i++)
		if (I(&field(c, "units")->via.array.ptr[i], "unit_id") == world_ids.h1)
			h1 = &field(c, "units")->via.array.ptr[i];
	cr_assert_not_null(h1);
	cr_expect_eq(I(h1, "overdue_before"), 1);
	cr_expect_eq(I(h1, "overdue_after"), 0);
	cr_expect_eq(I(h1, "overdue_delta"), -1);
	cr_expect_eq(I(h1, "done_late_delta"), 1);
	cr_expect_eq(I(h1, "assigned_delta"), 1);

	/* The snapshot is the report as it was answered. */
	{
		const msgpack_object *now = OK("report.get", "s:term", "T1", "s:as_of",
					       "2025-03-31", NULL);
		const msgpack_object *c2 =
			OK_AS(&sup_tinh, "report.compare", "s:a", "Q1-2025", "s:b", "Q1-2025", NULL);

		cr_expect_eq(I(field(now, "summary"), "total"), 5);
		for (uint32_t i = 0; i < field(c2, "summary")->via.array.size; i++)
			cr_expect_eq(I(&field(c2, "summary")->via.array.ptr[i], "delta"), 0);
	}
}
