/*
 * test_facts.c: the oracle of a task's status and health (issue 18).  The
 * reference is the SQL that judges them from the history (db_health.h's
 * SQL_HEALTH_CTES), which every past cut-off date still uses; checked
 * against it, field by field:
 *   - the kept facts judged in C (db_facts_today, db_facts_judge), today;
 *   - the reads that judge from the kept facts on or after today
 *     (SQL_HEALTH_CTES_KEPT: task.get, task.list, board.get, report.get),
 *     byte for byte against the same reads made from the history
 *     (db_health_reference_only), today and with the clock set back;
 *   - a timeline this test keeps itself from the replies of the real
 *     methods (the states with their moments, the updates with theirs and
 *     their returns), judged in C on random cut-off dates before, during
 *     and after the history, task by task and as the board's counts.
 * Random histories (updates, update.accept and update.return, amendments
 * of the due date, the workflow's transitions with send_back, cancel and
 * carry_over, plan steps with dates) are driven through the dispatcher at
 * random moments of the server's clock (clock_set), with random health
 * thresholds.  Seeded and reproducible: every failure names its seed, and
 * DOTPHA_FACTS_SEED=N runs that one seed alone.  The demo, loaded by its
 * own bulk SQL, reads the same both ways too.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "obj.h"

#include "db_board.h"
#include "db_demo.h"
#include "db_facts.h"
#include "db_health.h"
#include "db_kept.h"
#include "db_report.h"
#include "db_report_past.h"
#include "db_unit.h"
#include "demo.h"
#include "world.h"

static void teardown(void)
{
	db_kept_set("", false);
	db_health_reference_only(false);
	clock_reset();
	db_health_set(DB_HEALTH_STALLED_DAYS, DB_HEALTH_AT_RISK_MARGIN);
	world_teardown();
}

TestSuite(facts, .init = world_setup, .fini = teardown, .timeout = 240);

#define MAX_TASKS 8
#define MAX_EVENTS 96
#define MAX_STEPS 12
#define OPS 300       /* random operations of one history */
#define CUTOFFS 40    /* cut-off dates checked per history */

/* ---- the random numbers: xorshift64*, so a seed is a history ---- */

static uint64_t rng_state;
static unsigned long long seed_now; /* the seed of the running history, for messages */

static uint64_t rnd(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

/* A number in [lo, hi]. */
static long pick(long lo, long hi)
{
	return lo + (long)(rnd() % (uint64_t)(hi - lo + 1));
}

/* ---- the timeline this test keeps of each task ---- */

struct m_state {
	char state[16], rating[12];
	char at[TIMESTAMP_LEN];
};

struct m_update {
	int64_t id;
	int percent;
	char at[TIMESTAMP_LEN];
	char returned_at[TIMESTAMP_LEN]; /* "" while it counts */
	bool appraised;
};

struct m_step {
	int64_t id;
	char due[DATE_LEN]; /* "" undated */
	bool dropped, removed;
};

struct m_task {
	int64_t id;
	struct m_state st[MAX_EVENTS];
	int nst;
	struct m_update up[MAX_EVENTS];
	int nup;
	struct m_step steps[MAX_STEPS];
	int nsteps;
	char due[DATE_LEN];           /* the due date in force */
	char decision_date[DATE_LEN]; /* "" none */
};

static struct m_task tasks[MAX_TASKS];
static int ntasks;

/* Copies string field key of o into out (n bytes), "" for nil. */
static void copy_field(const msgpack_object *o, const char *key, char *out, size_t n)
{
	const char *s = S(o, key);

	snprintf(out, n, "%s", strcmp(s, "(nil)") ? s : "");
}

/* The last moment at() set: the history's clock never goes back (the
 * history of states is ordered by its moments, as a real clock orders it). */
static time_t last_moment;

/* Sets the server's clock to local moment "YYYY-MM-DDTHH:MM:SS", or to a
 * few minutes after the last one if that is earlier. */
static void at(const char *moment)
{
	time_t t;

	cr_assert_eq(clock_parse(moment, &t), 0, "bad moment %s", moment);
	if (t <= last_moment)
		t = last_moment + pick(1, 600);
	last_moment = t;
	clock_set(t);
}

/* The stored (UTC) moment of the end of local day d: the reference's cut-off. */
static void cutoff_of(const char *d, char out[TIMESTAMP_LEN])
{
	char buf[32];
	time_t t;

	snprintf(buf, sizeof(buf), "%sT23:59:59", d);
	cr_assert_eq(clock_parse(buf, &t), 0, "bad date %s", d);
	date_timestamp(t, out);
}

/* Appends task m's state as task.get says it now, if it changed. */
static void note_state(struct m_task *m)
{
	const msgpack_object *t = get_task(m->id);
	struct m_state *s;
	char state[16];

	copy_field(t, "state", state, sizeof(state));
	if (m->nst > 0 && strcmp(m->st[m->nst - 1].state, state) == 0)
		return;
	cr_assert_lt(m->nst, MAX_EVENTS);
	s = &m->st[m->nst++];
	snprintf(s->state, sizeof(s->state), "%s", state);
	copy_field(t, "rating", s->rating, sizeof(s->rating));
	copy_field(t, "state_at", s->at, sizeof(s->at));
	if (!s->at[0])
		copy_field(t, "created_at", s->at, sizeof(s->at));
}

/* A random date of term T1 (2021-01-01 to 2025-12-31) from `from` on,
 * often within a few months of it. */
static void date_in_term(const char *from, char out[DATE_LEN])
{
	long lo = date_days(strcmp(from, "2021-01-01") > 0 ? from : "2021-01-01"),
	     hi = date_days("2025-12-31");

	if (pick(0, 1) && lo + 120 < hi)
		hi = lo + 120;

	date_from_days(lo < hi ? pick(lo, hi) : hi, out);
}

/* ---- the operations, each tried on a random task; a refusal is fine ---- */

static void op_create(const char *today)
{
	struct m_task *m;
	char due[DATE_LEN];
	const msgpack_object *r;

	if (ntasks == MAX_TASKS)
		return;
	date_in_term(today, due);
	r = OK("task.create", "s:title", "Chuyển đổi số", "s:kind", "breakthrough", "s:field",
	       "socio_economic", "s:owner", "C1", "s:term", "T1", "s:product", "Cổng dịch vụ công",
	       "s:due_date", due, NULL);
	m = &tasks[ntasks++];
	memset(m, 0, sizeof(*m));
	m->id = I(r, "id");
	snprintf(m->due, sizeof(m->due), "%s", due);
	note_state(m);
}

/* The next move of a task in `state`: mostly forward, sometimes back or
 * out, so that histories reach every state and stay in work long enough
 * to collect updates; NULL for a finished task. */
static const char *next_move(const char *state)
{
	static const struct {
		const char *state;
		const char *moves[10];
	} table[] = {
		{"registered", {"assign", "assign", "assign", "assign", "assign", "review", "review",
				"return", "cancel", "assign"}},
		{"reviewed", {"assign", "assign", "assign", "assign", "assign", "assign", "assign",
			      "return", "cancel", "assign"}},
		{"returned", {"resubmit", "resubmit", "resubmit", "resubmit", "resubmit", "resubmit",
			      "resubmit", "resubmit", "resubmit", "cancel"}},
		{"assigned", {"start", "start", "start", "start", "start", "start", "start",
			      "carry_over", "cancel", "start"}},
		{"in_progress", {"report_done", "report_done", "report_done", "report_done",
				 "report_done", "report_done", "report_done", "carry_over", "cancel",
				 "report_done"}},
		{"reported_done", {"accept", "accept", "accept", "accept", "accept", "send_back",
				   "send_back", "send_back", "send_back", "send_back"}},
	};

	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (!strcmp(table[i].state, state))
			return table[i].moves[pick(0, 9)];
	return NULL;
}

static void op_workflow(struct m_task *m, const char *today)
{
	static const char *const ratings[] = {"excellent", "good", "done", "not_done"};
	const char *a = next_move(m->st[m->nst - 1].state);
	const char *f[12];
	char method[40], decision[DATE_LEN];

	if (!a)
		return;
	world_action_fields(a, m->id, f);
	if (!strcmp(a, "assign")) {
		/* A decision date of the term, on or before today. */
		date_in_term(pick(0, 1) ? today : "2021-01-01", decision);
		if (strcmp(decision, today) > 0)
			snprintf(decision, sizeof(decision), "%s", today);
		f[2] = "s:decision_no", f[3] = "12-QĐ/TU", f[4] = "s:decision_date",
		f[5] = decision, f[6] = NULL;
	} else if (!strcmp(a, "accept")) {
		f[3] = ratings[pick(0, 3)];
	}
	snprintf(method, sizeof(method), "task.%s", a);
	if (!world_request(&admin, method, f))
		return;
	if (!strcmp(a, "assign"))
		copy_field(get_task(m->id), "decision_date", m->decision_date,
			   sizeof(m->decision_date));
	note_state(m);
}

static void op_update(struct m_task *m)
{
	int last = m->nup ? m->up[m->nup - 1].percent : 0;
	int p = (int)pick(0, 1) ? (int)pick(last, 100) : (int)pick(0, 100);
	const msgpack_object *r = world_request(
		&admin, "update.create",
		FIELDS("i:task", num(m->id), "i:percent", num(p), "s:done", "Đã triển khai", NULL));
	struct m_update *u;

	if (!r)
		return;
	cr_assert_lt(m->nup, MAX_EVENTS);
	u = &m->up[m->nup++];
	memset(u, 0, sizeof(*u));
	u->id = I(r, "id");
	u->percent = (int)I(r, "percent");
	copy_field(r, "reported_at", u->at, sizeof(u->at));
	note_state(m); /* the first update starts an assigned task */
}

static void op_appraise(struct m_task *m)
{
	struct m_update *u;
	const msgpack_object *r;
	bool ret = pick(0, 2) > 0;

	if (!m->nup)
		return;
	u = &m->up[pick(0, m->nup - 1)];
	r = ret ? world_request(&admin, "update.return",
				FIELDS("i:update", num(u->id), "s:reason", "Số liệu chưa khớp", NULL))
		: world_request(&admin, "update.accept", FIELDS("i:update", num(u->id), NULL));
	if (!r)
		return;
	cr_assert(!u->appraised, "seed %llu: update %lld appraised twice", seed_now,
		  (long long)u->id);
	u->appraised = true;
	if (ret)
		copy_field(field(r, "appraisal"), "at", u->returned_at, sizeof(u->returned_at));
}

static void op_amend(struct m_task *m, const char *today)
{
	char due[DATE_LEN];
	const msgpack_object *r;
	int64_t id;

	date_in_term(today, due);
	r = world_request(&admin, "amendment.propose",
			  FIELDS("i:task", num(m->id), "s:due_date", due, "s:reason",
				 "Vướng giải phóng mặt bằng", NULL));
	if (!r)
		return;
	id = I(r, "id");
	if (pick(0, 3) == 0) {
		OK("amendment.reject", "i:amendment", num(id), "s:reason", "Chưa đủ căn cứ", NULL);
		return;
	}
	if (world_request(&admin, "amendment.approve", FIELDS("i:amendment", num(id), NULL)))
		copy_field(get_task(m->id), "due_date", m->due, sizeof(m->due));
	else /* the task moved on: leave nothing pending behind */
		world_request(&admin, "amendment.reject",
			      FIELDS("i:amendment", num(id), "s:reason", "Đã quá hạn", NULL));
}

static void op_plan(struct m_task *m, const char *today)
{
	struct m_step *s;
	char due[DATE_LEN];
	const msgpack_object *r;
	long what = pick(0, 5);

	if (what >= 3 || m->nsteps < 3) {
		if (m->nsteps == MAX_STEPS)
			return;
		date_in_term(pick(0, 1) ? today : "2021-01-01", due);
		r = pick(0, 3) ? world_request(&admin, "plan.add",
					       FIELDS("i:task", num(m->id), "s:what", "Khảo sát",
						      "s:due_date", due, NULL))
			       : world_request(&admin, "plan.add",
					       FIELDS("i:task", num(m->id), "s:what", "Khảo sát",
						      NULL));
		if (!r)
			return;
		s = &m->steps[m->nsteps++];
		memset(s, 0, sizeof(*s));
		s->id = I(r, "id");
		copy_field(r, "due_date", s->due, sizeof(s->due));
		return;
	}
	s = &m->steps[pick(0, m->nsteps - 1)];
	if (s->removed)
		return;
	if (what == 0) {
		if (world_request(&admin, "plan.remove", FIELDS("i:step", num(s->id), NULL)))
			s->removed = true;
	} else if (what == 1) {
		static const char *const statuses[] = {"todo", "doing", "done", "dropped", "dropped"};
		const char *st = statuses[pick(0, 4)];

		if (world_request(&admin, "plan.update",
				  FIELDS("i:step", num(s->id), "s:status", st, NULL)))
			s->dropped = strcmp(st, "dropped") == 0;
	} else {
		date_in_term("2021-01-01", due);
		if (world_request(&admin, "plan.update",
				  FIELDS("i:step", num(s->id), "s:due_date", due, NULL)))
			snprintf(s->due, sizeof(s->due), "%s", due);
	}
}

/* task.update of the due date, allowed before the assignment. */
static void op_redate(struct m_task *m, const char *today)
{
	char due[DATE_LEN];

	date_in_term(today, due);
	if (world_request(&admin, "task.update",
			  FIELDS("i:task", num(m->id), "s:due_date", due, NULL)))
		snprintf(m->due, sizeof(m->due), "%s", due);
}

/* ---- the facts of the timeline on a date ---- */

static void facts_on(const struct m_task *m, const char *d, struct task_facts *f)
{
	char cut[TIMESTAMP_LEN];

	cutoff_of(d, cut);
	memset(f, 0, sizeof(*f));
	for (int i = 0; i < m->nst; i++) {
		const struct m_state *s = &m->st[i];

		if (strcmp(s->at, cut) > 0)
			continue;
		snprintf(f->state, sizeof(f->state), "%s", s->state);
		snprintf(f->rating, sizeof(f->rating), "%s", s->rating);
		if (!strcmp(s->state, "assigned"))
			snprintf(f->assigned_at, sizeof(f->assigned_at), "%s", s->at);
	}
	/* Completion: the newest report of it, else the newest acceptance. */
	for (int pass = 0; pass < 2 && !f->done_at[0]; pass++)
		for (int i = 0; i < m->nst; i++)
			if (strcmp(m->st[i].at, cut) <= 0 &&
			    !strcmp(m->st[i].state, pass ? "accepted" : "reported_done"))
				snprintf(f->done_at, sizeof(f->done_at), "%s", m->st[i].at);
	/* The newest update reported by then and not returned by then. */
	for (int i = 0; i < m->nup; i++) {
		const struct m_update *u = &m->up[i];

		if (strcmp(u->at, cut) > 0 || (u->returned_at[0] && strcmp(u->returned_at, cut) <= 0))
			continue;
		f->percent = u->percent;
		snprintf(f->last_at, sizeof(f->last_at), "%s", u->at);
	}
	snprintf(f->due, sizeof(f->due), "%s", m->due);
	snprintf(f->start, sizeof(f->start), "%s",
		 m->decision_date[0] ? m->decision_date : "2021-01-01");
	for (int i = 0; i < m->nsteps; i++) {
		const struct m_step *s = &m->steps[i];

		if (s->removed || s->dropped || !s->due[0])
			continue;
		f->steps++;
		f->steps_due += strcmp(s->due, d) <= 0;
	}
}

/* ---- the comparisons ---- */

static const char *or_nil(const char *s)
{
	return s ? s : "(nil)";
}

static const char *int_or_nil(bool has, int64_t v, char *buf, size_t n)
{
	if (!has)
		return "(nil)";
	snprintf(buf, n, "%lld", (long long)v);
	return buf;
}

/* The reference's field key of t as text, "(nil)" for nil. */
static const char *ref_text(const msgpack_object *t, const char *key, char *buf, size_t n)
{
	const msgpack_object *v = field(t, key);

	if (v->type == MSGPACK_OBJECT_NIL)
		return "(nil)";
	if (v->type == MSGPACK_OBJECT_POSITIVE_INTEGER || v->type == MSGPACK_OBJECT_NEGATIVE_INTEGER) {
		snprintf(buf, n, "%lld", (long long)I(t, key));
		return buf;
	}
	snprintf(buf, n, "%s", S(t, key));
	return buf;
}

/* Checks judgement j of task id on d (from `source`) against the reference
 * t, field by field. */
static void expect_same(const msgpack_object *t, const struct task_judgement *j, int64_t id,
			const char *d, const char *source)
{
	char a[32], b[32];
	const char *ref;

#define SAME(key, mine)                                                                         \
	ref = ref_text(t, key, a, sizeof(a));                                                   \
	cr_expect_str_eq(ref, (mine), "seed %llu, task %lld on %s, %s, %s: reference %s, judged %s", \
			 seed_now, (long long)id, d, source, key, ref, mine)
	SAME("status", or_nil(j->status));
	SAME("health", or_nil(j->health));
	SAME("health_why", or_nil(j->why));
	SAME("health_days", int_or_nil(j->has_days, j->days, b, sizeof(b)));
	SAME("health_percent", int_or_nil(j->has_percent, j->percent, b, sizeof(b)));
	SAME("health_planned", int_or_nil(j->has_planned, j->planned, b, sizeof(b)));
#undef SAME
}

/* The board's counts (db_board.c's BOARD_TALLY). */
struct tally {
	int64_t total, done_on_time, done_late, within_deadline, overdue, not_assigned, cancelled,
		carried_over, on_track, at_risk, stalled;
};

/* Tallies judgement j into c. */
static void tally_add(struct tally *c, const struct task_judgement *j)
{
	static const struct {
		const char *name;
		size_t off;
	} keys[] = {
		{"done_on_time", offsetof(struct tally, done_on_time)},
		{"done_late", offsetof(struct tally, done_late)},
		{"within_deadline", offsetof(struct tally, within_deadline)},
		{"overdue", offsetof(struct tally, overdue)},
		{"not_assigned", offsetof(struct tally, not_assigned)},
		{"cancelled", offsetof(struct tally, cancelled)},
		{"carried_over", offsetof(struct tally, carried_over)},
		{"on_track", offsetof(struct tally, on_track)},
		{"at_risk", offsetof(struct tally, at_risk)},
		{"stalled", offsetof(struct tally, stalled)},
	};

	if (!j->status)
		return;
	c->total++;
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (!strcmp(keys[i].name, j->status) || (j->health && !strcmp(keys[i].name, j->health)))
			(*(int64_t *)((char *)c + keys[i].off))++;
}

/* board.get of term T1 on d against the tally of the judged tasks. */
static void expect_board(const char *d, const struct tally *c)
{
	const msgpack_object *b = OK("board.get", "s:term", "T1", "s:as_of", d, NULL);
	const msgpack_object *n = field(b, "counts");

#define COUNT(key)                                                                           \
	cr_expect_eq(I(n, #key), c->key, "seed %llu, board of T1 on %s: %s %lld, judged %lld", \
		     seed_now, d, #key, (long long)I(n, #key), (long long)c->key)
	COUNT(total);
	COUNT(done_on_time);
	COUNT(done_late);
	COUNT(within_deadline);
	COUNT(overdue);
	COUNT(not_assigned);
	COUNT(cancelled);
	COUNT(carried_over);
	COUNT(on_track);
	COUNT(at_risk);
	COUNT(stalled);
#undef COUNT
}

/* ---- report.get on a past date from the tasks' timelines ---- */

/* Prints the pairs of a packed report (a sequence of keys and values). */
static void print_pairs(const char *label, const msgpack_sbuffer *b)
{
	msgpack_unpacked u;
	size_t off = 0;

	msgpack_unpacked_init(&u);
	fprintf(stderr, "%s:", label);
	while (msgpack_unpack_next(&u, b->data, b->size, &off) == MSGPACK_UNPACK_SUCCESS) {
		fputc(' ', stderr);
		msgpack_object_print(stderr, u.data);
	}
	fputc('\n', stderr);
	msgpack_unpacked_destroy(&u);
}

/* The report on d of term `term` within scope and unit (0: all) from the
 * timelines (db_report_past, which must answer) against the reference SQL,
 * byte for byte; the first pair that differs is named. */
static void expect_past_report_in(struct db *db, int64_t scope, int64_t term, int64_t unit,
				  int64_t limit, int64_t depth, const char *d, const char *what)
{
	struct report_filter f = {.as_of = d, .scope = scope, .term = term, .unit = unit,
				  .limit = limit, .depth = depth};
	struct past_selection sel = {.as_of = d, .scope = scope, .term = term, .unit = unit,
				     .limit = limit, .depth = depth, .units_max = REPORT_UNITS_MAX};
	struct rpc_error err = {0};
	msgpack_sbuffer ref, past;
	msgpack_packer pk;
	bool answered = false;

	msgpack_sbuffer_init(&ref);
	msgpack_packer_init(&pk, &ref, msgpack_sbuffer_write);
	db_health_reference_only(true);
	cr_assert_eq(db_report(db, &f, &pk, &err), RPC_OK, "%s", err.message);
	db_health_reference_only(false);
	msgpack_sbuffer_init(&past);
	msgpack_packer_init(&pk, &past, msgpack_sbuffer_write);
	cr_assert_eq(db_report_past(db, &sel, &pk, &answered, &err), RPC_OK, "%s", err.message);
	cr_assert(answered, "seed %llu: %s on %s: the timelines did not answer", seed_now, what, d);
	if (ref.size != past.size || memcmp(ref.data, past.data, ref.size) != 0) {
		msgpack_unpacked a, b;
		size_t oa = 0, ob = 0;
		const char *key = "(start)";

		msgpack_unpacked_init(&a);
		msgpack_unpacked_init(&b);
		for (int i = 0; msgpack_unpack_next(&a, ref.data, ref.size, &oa) ==
					MSGPACK_UNPACK_SUCCESS &&
				msgpack_unpack_next(&b, past.data, past.size, &ob) ==
					MSGPACK_UNPACK_SUCCESS;
		     i++) {
			if (i % 2 == 0 && a.data.type == MSGPACK_OBJECT_STR) {
				static char k[64];

				snprintf(k, sizeof(k), "%.*s", (int)a.data.via.str.size,
					 a.data.via.str.ptr);
				key = k;
			}
			if (!msgpack_object_equal(a.data, b.data))
				break;
		}
		fprintf(stderr, "seed %llu, %s on %s: first difference at %s\n", seed_now, what, d,
			key);
		print_pairs("the reference", &ref);
		print_pairs("the timelines", &past);
		msgpack_unpacked_destroy(&a);
		msgpack_unpacked_destroy(&b);
		cr_expect_fail("seed %llu: %s on %s from the timelines differs from the reference "
			       "at %s", seed_now, what, d, key);
	}
	msgpack_sbuffer_destroy(&ref);
	msgpack_sbuffer_destroy(&past);
}

/* The same without a scope. */
static void expect_past_report(struct db *db, int64_t term, int64_t unit, int64_t limit,
			       int64_t depth, const char *d, const char *what)
{
	expect_past_report_in(db, 0, term, unit, limit, depth, d, what);
}

/* Every task of the timeline on d: the reference against the timeline's
 * facts judged, and the board's counts against their tally; the report on
 * d from the tasks' timelines against the reference (the whole term; H1
 * with short lists and one level; within the scope H1, no lists). */
static void check_date(const char *d)
{
	struct tally c = {0};

	expect_past_report(world_db, world_ids.t1, 0, 50, -1, d, "report.get");
	expect_past_report(world_db, world_ids.t1, world_ids.h1, 1, 1, d, "report.get of H1");
	expect_past_report_in(world_db, world_ids.h1, world_ids.t1, 0, 0, -1, d,
			      "report.get within the scope H1");
	for (int i = 0; i < ntasks; i++) {
		struct task_facts f;
		struct task_judgement j;

		facts_on(&tasks[i], d, &f);
		db_facts_judge(&f, d, &j);
		expect_same(OK("task.get", "i:task", num(tasks[i].id), "s:as_of", d, NULL), &j,
			    tasks[i].id, d, "the timeline");
		tally_add(&c, &j);
	}
	expect_board(d, &c);
}

/* Method `method` with fields f answered from the history (the reference)
 * and from the kept facts must be the same, byte for byte; the kept one. */
static const msgpack_object *same_both_ways(const char *method, const char *const *f,
					    const char *what)
{
	const msgpack_object *ref, *kept;

	db_health_reference_only(true);
	ref = ok_as(&admin, method, f);
	db_health_reference_only(false);
	kept = ok_as(&admin, method, f);
	if (!msgpack_object_equal(*ref, *kept)) {
		fprintf(stderr, "seed %llu, %s: the reference\n", seed_now, what);
		msgpack_object_print(stderr, *ref);
		fprintf(stderr, "\nthe kept facts\n");
		msgpack_object_print(stderr, *kept);
		fputc('\n', stderr);
		cr_expect_fail("seed %llu: %s from the kept facts differs from the reference", seed_now,
			what);
	}
	return kept;
}

/* The daemon's daily pass (housekeeping.c) on `day`, batches of 3: every
 * task, or only those the date can move, as on a day that follows one
 * judged under the same rules.  Then the rows are current for the reads. */
static void kept_pass_on(struct db *db, const char *day, bool all)
{
	struct rpc_error err = {0};
	int64_t after = 0, wrong = -1;
	bool more = true;

	while (more) {
		cr_assert_eq(db_begin(db, true, &err), RPC_OK, "%s", err.message);
		cr_assert_eq(db_kept_pass(db, day, all, 3, &after, &more, &err), RPC_OK,
			     "seed %llu: %s", seed_now, err.message);
		cr_assert_eq(db_commit(db, &err), RPC_OK, "%s", err.message);
	}
	db_kept_set(day, true);
	cr_assert_eq(db_kept_verify(db, &wrong, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(wrong, 0, "seed %llu: %lld counts differ from the rows after the pass on %s",
		     seed_now, (long long)wrong, day);
}

static void kept_pass(const char *day, bool all)
{
	kept_pass_on(world_db, day, all);
}

/* The status and health task id's row keeps, against the reference's. */
static void expect_row(const msgpack_object *ref, int64_t id, const char *today)
{
	struct rpc_error err = {0};
	char status[16], health[10], a[32];

	cr_assert_eq(db_kept_row(world_db, id, status, health, &err), RPC_OK, "%s", err.message);
	cr_expect_str_eq(ref_text(ref, "status", a, sizeof(a)), status[0] ? status : "(nil)",
			 "seed %llu, task %lld on %s: the row keeps status %s", seed_now,
			 (long long)id, today, status);
	cr_expect_str_eq(ref_text(ref, "health", a, sizeof(a)), health[0] ? health : "(nil)",
			 "seed %llu, task %lld on %s: the row keeps health %s", seed_now,
			 (long long)id, today, health);
}

/* Every task of the timeline today: the kept facts judged in C, the status
 * and health the writes and the day's pass keep on the rows, and the reads
 * that use them (task.get, task.list, board.get, report.get), against the
 * reference; then the timeline against them. */
static void check_today(void)
{
	char today[DATE_LEN];
	struct rpc_error err = {0};

	date_of(clock_now(), today);
	/* Each write judged its tasks on its own day; the days since moved
	 * only the open ones. */
	kept_pass(today, pick(0, 3) == 0);
	for (int i = 0; i < ntasks; i++) {
		struct task_facts kept;
		struct task_judgement j;
		const msgpack_object *ref;

		cr_assert_eq(db_facts_today(world_db, tasks[i].id, today, &kept, &err), RPC_OK,
			     "seed %llu: %s", seed_now, err.message);
		db_facts_judge(&kept, today, &j);
		db_health_reference_only(true);
		ref = get_task(tasks[i].id);
		db_health_reference_only(false);
		expect_same(ref, &j, tasks[i].id, today, "the kept facts judged");
		expect_row(ref, tasks[i].id, today);
		same_both_ways("task.get", FIELDS("i:task", num(tasks[i].id), NULL), "task.get");
	}
	same_both_ways("task.list", FIELDS("s:term", "T1", NULL), "task.list");
	same_both_ways("task.list", FIELDS("s:unit", "H1", "s:health", "at_risk", NULL),
		       "task.list of the tasks at risk");
	same_both_ways("task.list", FIELDS("s:status", "overdue", NULL),
		       "task.list of the overdue tasks");
	same_both_ways("board.get", FIELDS("s:term", "T1", NULL), "board.get");
	same_both_ways("board.get", FIELDS("s:unit", "H1", NULL), "board.get of H1");
	/* The first few needing action are picked by reason from the rows. */
	for (int n = 1; n <= 3; n++)
		same_both_ways("board.get", FIELDS("s:term", "T1", "i:limit", num(n), NULL),
			       "board.get of the first few needing action");
	same_both_ways("report.get", FIELDS("s:term", "T1", NULL), "report.get");
	same_both_ways("report.get", FIELDS("s:term", "T1", "s:unit", "H1", NULL),
		       "report.get of H1");
	/* The first overdue and stalled tasks are picked from the rows. */
	for (int n = 1; n <= 2; n++) {
		same_both_ways("report.get", FIELDS("s:term", "T1", "i:limit", num(n), NULL),
			       "report.get of the first few");
		same_both_ways("report.get",
			       FIELDS("s:term", "T1", "s:unit", "H1", "i:limit", num(n), NULL),
			       "report.get of H1's first few");
	}
	check_date(today);
	/* The clock set back a few weeks (a trial with dotphad --clock): the
	 * rows changed since are read from the history. */
	clock_set(clock_now() - pick(1, 60) * 86400);
	same_both_ways("board.get", FIELDS("s:term", "T1", NULL), "board.get, the clock set back");
	same_both_ways("report.get", FIELDS("s:term", "T1", NULL), "report.get, the clock set back");
	same_both_ways("task.list", FIELDS("s:term", "T1", NULL), "task.list, the clock set back");
}

/* A cut-off date for the checks: a random day from before the first task
 * to today, or a day that sits on a boundary (an event's day, a due date,
 * the day after). */
static void random_cutoff(const char *today, char out[DATE_LEN])
{
	const struct m_task *m = &tasks[pick(0, ntasks - 1)];
	char day_of[DATE_LEN];

	switch (pick(0, 4)) {
	case 4:
		if (m->nsteps) {
			snprintf(day_of, sizeof(day_of), "%s", m->steps[pick(0, m->nsteps - 1)].due);
			if (day_of[0])
				break;
		}
		/* fall through */
	case 0:
		if (m->nst) {
			db_facts_local_day(m->st[pick(0, m->nst - 1)].at, day_of);
			break;
		}
		/* fall through */
	case 1:
		if (m->nup) {
			db_facts_local_day(m->up[pick(0, m->nup - 1)].at, day_of);
			break;
		}
		/* fall through */
	case 2:
		snprintf(day_of, sizeof(day_of), "%s", m->due);
		break;
	default:
		date_from_days(pick(date_days("2020-12-20"), date_days(today)), out);
		return;
	}
	date_from_days(date_days(day_of) + pick(-1, 1), out);
	if (strcmp(out, today) > 0)
		snprintf(out, DATE_LEN, "%s", today);
}

/* Whether task m is being worked on (updates are taken). */
static bool active(const struct m_task *m)
{
	const char *st = m->st[m->nst - 1].state;

	return !strcmp(st, "assigned") || !strcmp(st, "in_progress");
}

/* One random history of seed s, then its checks. */
static void run_history(unsigned long long s)
{
	char moment[32], today[DATE_LEN];
	long now = date_days("2021-01-04");

	seed_now = s;
	last_moment = 0;
	rng_state = s * 0x9E3779B97F4A7C15ULL + 1;
	ntasks = 0;
	db_health_set((int)pick(5, 40), (int)pick(0, 30));
	for (int op = 0; op < OPS; op++) {
		struct m_task *m;
		long r;

		/* Time moves on by up to a few weeks, to any minute of a day
		 * (midnight and the last minute included); or to the due date
		 * of a task in work, where the status turns. */
		m = ntasks ? &tasks[pick(0, ntasks - 1)] : NULL;
		if (m && active(m) && pick(0, 3) == 0 && date_days(m->due) >= now &&
		    date_days(m->due) - now <= 60) {
			long to = date_days(m->due) + pick(-1, 1) * (pick(0, 2) == 0);

			now = to > now ? to : now; /* the clock never goes back */
			date_from_days(now, today);
		} else {
			m = NULL;
			now += pick(0, 3) ? pick(0, 4) : pick(7, 30);
			date_from_days(now, today);
		}
		if (pick(0, 3) == 0)
			snprintf(moment, sizeof(moment), "%sT%s", today,
				 pick(0, 1) ? "00:00:00" : "23:59:59");
		else
			snprintf(moment, sizeof(moment), "%sT%02ld:%02ld:00", today, pick(0, 23),
				 pick(0, 59));
		at(moment);
		date_of(clock_now(), today);
		if (m) {
			if (pick(0, 1))
				op_workflow(m, today);
			else
				op_update(m);
			/* Reported done on its due date, accepted days later: the
			 * report's date is the one that counts. */
			if (!strcmp(m->st[m->nst - 1].state, "reported_done") && pick(0, 1)) {
				now += pick(1, 3);
				date_from_days(now, today);
				snprintf(moment, sizeof(moment), "%sT08:00:00", today);
				at(moment);
				date_of(clock_now(), today);
				op_workflow(m, today);
			}
			continue;
		}
		if (ntasks == 0 || (ntasks < MAX_TASKS && pick(0, 9) == 0)) {
			op_create(today);
			continue;
		}
		m = &tasks[pick(0, ntasks - 1)];
		/* A task in work mostly gets updates and appraisals; the others
		 * mostly move on. */
		r = active(m) ? pick(0, 19) : pick(0, 5) ? 0 : pick(10, 19);
		if (r < 2)
			op_workflow(m, today);
		else if (r < 10)
			op_update(m);
		else if (r < 13)
			op_appraise(m);
		else if (r < 15)
			op_amend(m, today);
		else if (r < 18)
			op_plan(m, today);
		else
			op_redate(m, today);
	}
	/* Some days later, so that silence and deadlines have had time. */
	now += pick(0, 60);
	date_from_days(now, today);
	snprintf(moment, sizeof(moment), "%sT10:00:00", today);
	at(moment);
	check_today();
	date_of(clock_now(), today);
	for (int i = 0; i < CUTOFFS; i++) {
		char d[DATE_LEN];

		random_cutoff(today, d);
		check_date(d);
	}
}

/* The seeds of make test; DOTPHA_FACTS_SEED=N runs seed N in place of the
 * first and skips the others. */
static unsigned long long seeds[] = {1, 2, 3, 4};

ParameterizedTestParameters(facts, histories)
{
	return cr_make_param_array(unsigned long long, seeds, sizeof(seeds) / sizeof(seeds[0]));
}

ParameterizedTest(unsigned long long *seed, facts, histories)
{
	const char *env = getenv("DOTPHA_FACTS_SEED");

	if (env && *env && *seed != seeds[0])
		cr_skip_test("DOTPHA_FACTS_SEED runs one seed");
	make_world();
	run_history(env && *env ? strtoull(env, NULL, 10) : *seed);
}

/* ---- boundaries the random histories reach only by chance ---- */

/* The kept facts of task id judged today, checked against the reference
 * and returned for an explicit expectation. */
static struct task_judgement judged_today(int64_t id)
{
	struct task_facts kept;
	struct task_judgement j;
	struct rpc_error err = {0};
	char today[DATE_LEN];

	date_of(clock_now(), today);
	cr_assert_eq(db_facts_today(world_db, id, today, &kept, &err), RPC_OK, "%s", err.message);
	db_facts_judge(&kept, today, &j);
	db_health_reference_only(true);
	expect_same(get_task(id), &j, id, today, "the kept facts");
	db_health_reference_only(false);
	same_both_ways("task.get", FIELDS("i:task", num(id), NULL), "task.get");
	return j;
}

Test(facts, a_task_reported_done_on_its_due_date_and_accepted_later_is_done_on_time)
{
	int64_t id;

	make_world();
	at("2021-03-01T09:00:00");
	id = new_task();
	OK("task.update", "i:task", num(id), "s:due_date", "2021-06-30", NULL);
	drive(id, "in_progress");
	at("2021-06-30T23:59:59");
	act_ok(&admin, "report_done", id);
	at("2021-07-05T08:00:00");
	act_ok(&admin, "accept", id);
	cr_expect_str_eq(judged_today(id).status, "done_on_time");
}

Test(facts, a_dropped_or_removed_step_leaves_the_planned_percent)
{
	int64_t id, drop, gone;

	make_world();
	at("2021-03-01T09:00:00");
	id = new_task();
	OK("task.update", "i:task", num(id), "s:due_date", "2021-12-31", NULL);
	drive(id, "in_progress");
	/* Three dated steps, one due by today: a third of the plan. */
	OK("plan.add", "i:task", num(id), "s:what", "Khảo sát", "s:due_date", "2021-03-01", NULL);
	drop = I(OK("plan.add", "i:task", num(id), "s:what", "Thiết kế", "s:due_date",
		    "2021-09-01", NULL), "id");
	gone = I(OK("plan.add", "i:task", num(id), "s:what", "Thi công", "s:due_date",
		    "2021-10-01", NULL), "id");
	OK("update.create", "i:task", num(id), "i:percent", "40", "s:done", "Đã khảo sát", NULL);
	cr_expect_eq(judged_today(id).planned, 33);
	OK("plan.update", "i:step", num(drop), "s:status", "dropped", NULL);
	cr_expect_eq(judged_today(id).planned, 50);
	OK("plan.remove", "i:step", num(gone), NULL);
	cr_expect_eq(judged_today(id).planned, 100);
}

/* The due date through the report as of past dates, from the timelines
 * (db_report_past.c) with explicit expectations, as test_health checks it
 * on the board: done on the due date to its last minute is on time, a
 * minute past midnight is late, the day is Hà Nội's while the machine's
 * zone is UTC, and on the due date itself an unfinished task is within its
 * deadline. */
Test(facts, a_past_report_counts_the_due_date_to_its_last_minute_in_the_provinces_zone)
{
	static const char *const keys[] = {"done_on_time", "done_late", "within_deadline",
					   "overdue", NULL};
	static const int64_t on_due[] = {2, 0, 2, 0}, day_after[] = {2, 1, 0, 1};
	static const char *const days[] = {"2025-06-30", "2025-07-01"};
	int64_t ids[4], last_minute, past_midnight, accepted_next_day;
	char why[200];

	setenv("TZ", "UTC", 1); /* the machine's zone... */
	tzset();
	cr_assert_eq(clock_set_zone("Asia/Ho_Chi_Minh", why, sizeof(why)), 0, "%s", why);
	make_world();
	at("2025-01-15T09:00:00");
	for (int i = 0; i < 4; i++) { /* due on 30/06 */
		ids[i] = new_task();
		drive(ids[i], "in_progress");
	}
	last_minute = ids[0], past_midnight = ids[1], accepted_next_day = ids[3]; /* ids[2] open */
	at("2025-06-30T12:00:00");
	act_ok(&admin, "report_done", accepted_next_day);
	at("2025-06-30T23:59:00");
	act_ok(&admin, "report_done", last_minute);
	at("2025-07-01T00:01:00");
	act_ok(&admin, "report_done", past_midnight);
	act_ok(&admin, "accept", accepted_next_day); /* the report's day counts */
	at("2025-09-01T10:00:00"); /* both cut-offs in the past */
	for (int k = 0; k < 2; k++) {
		const msgpack_object *sum;

		expect_past_report(world_db, world_ids.t1, 0, 50, -1, days[k], "report.get");
		sum = field(OK("report.get", "s:term", "T1", "s:as_of", days[k], NULL), "summary");
		for (int i = 0; keys[i]; i++)
			cr_expect_eq(I(sum, keys[i]), (k ? day_after : on_due)[i], "%s as of %s",
				     keys[i], days[k]);
	}
}

/* ---- the demo, loaded in bulk by its own SQL (server/demo/db_demo.c) ---- */

/* report.get's or board.get's bytes on the demo database (unit 0: all). */
/* Tasks stalled within their deadline, quiet since different days: the
 * board and the report list the quietest first from the kept rows (the
 * random histories rarely make two). */
Test(facts, the_quietest_stalled_tasks_come_first_from_the_kept_rows)
{
	/* Task i's last update: the middle task's first, the first task's last. */
	static const char *const last[] = {"2021-03-05T10:00:00", "2021-03-12T10:00:00",
					   "2021-03-20T10:00:00"};
	static const int order[] = {1, 2, 0};
	int64_t ids[3];
	char today[DATE_LEN];

	make_world();
	db_health_set(10, 50);
	at("2021-03-01T09:00:00");
	for (int i = 0; i < 3; i++) {
		ids[i] = new_task();
		OK("task.update", "i:task", num(ids[i]), "s:due_date", "2021-12-31", NULL);
		drive(ids[i], "in_progress");
	}
	for (int i = 0; i < 3; i++) {
		at(last[i]);
		OK("update.create", "i:task", num(ids[order[i]]), "i:percent", "10", "s:done",
		   "Đã khảo sát", NULL);
	}
	at("2021-05-01T10:00:00");
	date_of(clock_now(), today);
	kept_pass(today, false);
	for (int n = 1; n <= 3; n++) {
		const msgpack_object *r = same_both_ways(
			"report.get", FIELDS("s:term", "T1", "i:limit", num(n), NULL),
			"report.get of the quietest");

		cr_expect_eq(I(&field(r, "stalled")->via.array.ptr[0], "id"), ids[order[0]],
			     "the quietest task comes first");
		same_both_ways("report.get",
			       FIELDS("s:term", "T1", "s:unit", "H1", "i:limit", num(n), NULL),
			       "report.get of H1's quietest");
		same_both_ways("board.get", FIELDS("s:term", "T1", "i:limit", num(n), NULL),
			       "board.get of the quietest");
	}
}

/* Writes that move many tasks' counts at once: a unit moved under another
 * parent (every count made again), a cadre's managing body changed (the
 * cadre's tasks counted again), a task moved to another unit. */
Test(facts, the_counts_follow_a_unit_moved_and_a_cadre_managed_elsewhere)
{
	struct rpc_error err = {0};
	char today[DATE_LEN];
	int64_t wrong = -1, ids[4];

	make_world();
	at("2021-03-01T09:00:00");
	for (int i = 0; i < 4; i++) {
		ids[i] = i < 2 ? new_task() : new_task_of("C2", NULL);
		drive(ids[i], i % 2 ? "in_progress" : "assigned");
	}
	at("2021-04-01T10:00:00");
	date_of(clock_now(), today);
	kept_pass(today, true);
	OK("unit.move", "s:unit", "H1", "s:parent", "H2", NULL);
	cr_assert_eq(db_kept_verify(world_db, &wrong, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(wrong, 0, "%lld counts differ after a unit moved", (long long)wrong);
	OK("cadre.update", "s:cadre", "C1", "s:managing_unit", "H2", NULL);
	OK("task.update", "i:task", num(ids[2]), "s:unit", "H1", NULL);
	cr_assert_eq(db_kept_verify(world_db, &wrong, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(wrong, 0, "%lld counts differ after a cadre's managing body changed",
		     (long long)wrong);
	/* Two moves in one transaction (a group commit of two admins'
	 * requests): every count made again. */
	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_unit_move(world_db, world_ids.h1, world_ids.tinh, today, &err), RPC_OK,
		     "%s", err.message);
	cr_assert_eq(db_unit_move(world_db, world_ids.h2, world_ids.h1, today, &err), RPC_OK, "%s",
		     err.message);
	cr_assert_eq(db_commit(world_db, &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_kept_verify(world_db, &wrong, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(wrong, 0, "%lld counts differ after two units moved at once", (long long)wrong);
	same_both_ways("report.get", FIELDS("s:term", "T1", NULL), "report.get after the moves");
	same_both_ways("report.get", FIELDS("s:term", "T1", "s:unit", "H2", NULL),
		       "report.get of H2 after the moves");
	same_both_ways("board.get", FIELDS("s:unit", "H2", NULL), "board.get of H2 after the moves");
}

static void demo_read(struct db *db, bool report, int64_t term, int64_t unit, const char *as_of,
		      int64_t limit, msgpack_sbuffer *out)
{
	struct rpc_error err = {0};
	msgpack_packer pk;
	int rc;

	msgpack_sbuffer_init(out);
	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	if (report) {
		struct report_filter f = {.as_of = as_of, .term = term, .unit = unit, .limit = limit,
					  .depth = -1};
		rc = db_report(db, &f, &pk, &err);
	} else {
		struct board_filter f = {.as_of = as_of, .term = term, .unit = unit, .limit = limit};
		rc = db_board(db, &f, &pk, &err);
	}
	cr_assert_eq(rc, RPC_OK, "%s", err.message);
}

static void demo_fini(void)
{
	db_kept_set("", false);
	clock_reset();
}

Test(facts_demo, the_demo_reads_the_same_from_the_kept_facts, .fini = demo_fini,
     .timeout = 240)
{
	char dir[] = "/tmp/dotpha-facts-XXXXXX", path[64], why[200], *argv[4];
	const char *present = "2026-10-31";
	struct rpc_error err = {0};
	static const char *const files[] = {"", "-wal", "-shm"};
	struct db *db;
	int64_t term, district;
	time_t t;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/demo.db", dir);
	argv[0] = strdup("--present"), argv[1] = strdup(present), argv[2] = strdup("--scale"),
	argv[3] = strdup("1");
	cr_assert_eq(demo_main(path, 4, argv), 0);
	for (int i = 0; i < 4; i++)
		free(argv[i]);
	cr_assert_eq(clock_parse("2026-10-31T12:00:00", &t), 0);
	clock_set(t);
	cr_assert_eq(db_open(&db, path, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(db_demo_scalar(db, "SELECT id FROM terms WHERE code = '2021-2025'", &term, &err),
		     RPC_OK, "%s", err.message);
	cr_assert_eq(db_demo_scalar(db, "SELECT id FROM units WHERE code = 'H-SONDUONG'", &district,
				    &err),
		     RPC_OK, "%s", err.message);
	/* The daemon's first pass over the demo: then the board's counts and
	 * its first tasks needing action come from the rows. */
	kept_pass_on(db, present, true);
	for (int i = 0; i < 8; i++) {
		msgpack_sbuffer ref, kept;
		int64_t limit = i & 4 ? 3 : 50;

		db_health_reference_only(true);
		demo_read(db, i & 1, term, i & 2 ? district : 0, present, limit, &ref);
		db_health_reference_only(false);
		demo_read(db, i & 1, term, i & 2 ? district : 0, present, limit, &kept);
		cr_expect(ref.size == kept.size && memcmp(ref.data, kept.data, ref.size) == 0,
			  "the demo's %s of %s (%lld needing action) from the kept facts differs from "
			  "the reference", i & 1 ? "report" : "board",
			  i & 2 ? "H-SONDUONG" : "the whole tree", (long long)limit);
		msgpack_sbuffer_destroy(&ref);
		msgpack_sbuffer_destroy(&kept);
	}
	/* Past dates from the tasks' timelines, which the load built. */
	expect_past_report(db, term, 0, 50, -1, "2025-06-30", "the demo's report");
	expect_past_report(db, term, district, 50, -1, "2026-03-31", "the demo's report of H-SONDUONG");
	expect_past_report(db, term, 0, 5, 1, "2026-09-30", "the demo's report, one level");
	db_close(db);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(why, sizeof(why), "%s%s", path, files[i]);
		unlink(why);
	}
	rmdir(dir);
}
