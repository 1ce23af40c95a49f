/*
 * test_health.c: a task's official status and health on a cut-off date,
 * the board and a cadre's record (server/db/db_health.h, server/methods/board.c,
 * PROTOCOL.md 6f), through the dispatcher on a fresh temporary database per
 * test.  The server's clock (server/base/clock.c) is set to chosen moments so
 * the history of states and updates has real dates; the figures as of a
 * date are asked again after later changes and must not move.
 */
#include <criterion/criterion.h>

#include <string.h>
#include <time.h>

#include "clock.h"
#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "obj.h"

#include "db_health.h"
#include "world.h"

static void teardown(void)
{
	clock_reset();
	db_health_set(DB_HEALTH_STALLED_DAYS, DB_HEALTH_AT_RISK_MARGIN);
	world_teardown();
}

TestSuite(health, .init = world_setup, .fini = teardown, .timeout = 120);

/* ---- helpers ---- */

/* Sets the server's clock to local moment "YYYY-MM-DD" (at noon) or
 * "YYYY-MM-DDTHH:MM:SS". */
static void at(const char *moment)
{
	char buf[32];
	time_t t;

	snprintf(buf, sizeof(buf), "%s%s", moment, strlen(moment) == 10 ? "T12:00:00" : "");
	cr_assert_eq(clock_parse(buf, &t), 0, "bad moment %s", buf);
	clock_set(t);
}

/* task.get of task id as of date d. */
static const msgpack_object *task_on(int64_t id, const char *d)
{
	return OK("task.get", "i:task", num(id), "s:as_of", d, NULL);
}

/* The health_reason a client would write from the reason's data
 * (health_why, health_days, health_percent, health_planned), or "(nil)". */
static const char *reason_from_data(const msgpack_object *t, char *out, size_t n)
{
	const char *why = S(t, "health_why");

	if (strcmp(why, "no_update_since_start") == 0)
		snprintf(out, n, "no update in %lld days since the start",
			 (long long)I(t, "health_days"));
	else if (strcmp(why, "no_update") == 0)
		snprintf(out, n, "no update for %lld days", (long long)I(t, "health_days"));
	else if (strcmp(why, "overdue") == 0)
		snprintf(out, n, "overdue by %lld days at %lld%%", (long long)I(t, "health_days"),
			 (long long)I(t, "health_percent"));
	else if (strcmp(why, "behind_plan") == 0 || strcmp(why, "on_plan") == 0)
		snprintf(out, n, "%lld%% vs %lld%% planned", (long long)I(t, "health_percent"),
			 (long long)I(t, "health_planned"));
	else
		snprintf(out, n, "%s", why);
	return out;
}

/* Checks task id's status, health and health_reason ("(nil)" for nil) on d,
 * and that the reason's data say the same. */
static void expect_on(int64_t id, const char *d, const char *status, const char *health,
		      const char *reason)
{
	const msgpack_object *t = task_on(id, d);
	char again[80];

	cr_expect_str_eq(S(t, "status"), status, "task %lld on %s: status", (long long)id, d);
	cr_expect_str_eq(S(t, "health"), health, "task %lld on %s: health", (long long)id, d);
	if (reason)
		cr_expect_str_eq(S(t, "health_reason"), reason, "task %lld on %s: reason",
				 (long long)id, d);
	cr_expect_str_eq(reason_from_data(t, again, sizeof(again)), S(t, "health_reason"),
			 "task %lld on %s: the reason's data", (long long)id, d);
}

/* A progress update of percent p on task id as office1 (H1) or office2. */
static void report(struct identity *who, int64_t id, int p)
{
	OK_AS(who, "update.create", "i:task", num(id), "i:percent", num(p), "s:done",
	      "Đã triển khai", NULL);
}

/* A new task of owner (C1: H1, C2: H2) due on `due`, assigned now. */
static int64_t assigned_task(const char *owner, const char *due)
{
	int64_t id = new_task_of(owner, NULL);

	OK("task.update", "i:task", num(id), "s:due_date", due, NULL);
	act_ok(&admin, "assign", id);
	return id;
}

/* The first task of board b's needs_action. */
static const msgpack_object *item_of_needs(const msgpack_object *b)
{
	const msgpack_object *na = field(b, "needs_action");

	cr_assert_gt(na->via.array.size, 0, "nothing needs action");
	return &na->via.array.ptr[0];
}

/* board.get's count `key`. */
static int64_t count(const msgpack_object *board, const char *key)
{
	return I(field(board, "counts"), key);
}

/* ---- status and health at chosen clock times ---- */

Test(health, follow_the_task_through_its_life_on_chosen_days)
{
	int64_t id;

	make_world();
	at("2021-03-01");
	id = new_task(); /* due 2025-06-30 */
	expect_on(id, "2021-03-01", "not_assigned", "(nil)", "(nil)");
	expect_on(id, "2021-02-28", "(nil)", "(nil)", "(nil)"); /* not registered yet */

	at("2021-03-15");
	act_ok(&admin, "assign", id); /* decision of 2021-03-15: the straight line starts */
	expect_on(id, "2021-03-15", "within_deadline", "on_track", "0% vs 0% planned");

	at("2021-04-01");
	report(&office1, id, 10);
	expect_on(id, "2021-04-01", "within_deadline", "on_track", "10% vs 1% planned");
	/* Nothing more for 61 days: stalled, past the default 30. */
	expect_on(id, "2021-05-01", "within_deadline", "on_track", NULL); /* 30 days: not yet */
	expect_on(id, "2021-06-01", "within_deadline", "stalled", "no update for 61 days");

	/* 808 of 1568 days: 51% planned; 30% is 21 points behind. */
	at("2023-06-01");
	report(&office1, id, 30);
	expect_on(id, "2023-06-01", "within_deadline", "at_risk", "30% vs 51% planned");
	report(&office1, id, 45);
	expect_on(id, "2023-06-01", "within_deadline", "on_track", "45% vs 51% planned");

	/* Past the due date: overdue, and at least at risk. */
	at("2025-06-20");
	report(&office1, id, 90);
	expect_on(id, "2025-06-30", "within_deadline", "on_track", NULL);
	expect_on(id, "2025-07-02", "overdue", "at_risk", "overdue by 2 days at 90%");

	at("2025-07-05");
	report(&office1, id, 100);
	act_ok(&office1, "report_done", id);
	expect_on(id, "2025-07-05", "done_late", "(nil)", "(nil)");
	at("2025-07-20");
	act_ok(&admin, "accept", id);
	expect_on(id, "2025-07-20", "done_late", "(nil)", "(nil)");
	/* The past is as it was. */
	expect_on(id, "2025-07-04", "overdue", "at_risk", NULL);
	expect_on(id, "2021-06-01", "within_deadline", "stalled", NULL);
	expect_on(id, "2021-03-01", "not_assigned", "(nil)", NULL);
}

Test(health, a_returned_update_stops_counting_from_the_day_it_is_returned)
{
	int64_t id, upd;

	make_world();
	at("2021-03-15");
	id = new_task(); /* due 2025-06-30 */
	act_ok(&admin, "assign", id);
	at("2021-04-01");
	report(&office1, id, 10);
	at("2021-05-20");
	upd = I(OK_AS(&office1, "update.create", "i:task", num(id), "i:percent", "60", "s:done",
		      "Số liệu chưa kiểm chứng", NULL), "id");
	expect_on(id, "2021-05-25", "within_deadline", "on_track", "60% vs 4% planned");
	/* Returned on 2021-06-10: from then on the task stands on its 10%
	 * of 2021-04-01, stalled; before that day it still read 60%. */
	at("2021-06-10");
	OK("update.return", "i:update", num(upd), "s:reason", "Chưa có biên bản", NULL);
	expect_on(id, "2021-06-10", "within_deadline", "stalled", "no update for 70 days");
	expect_on(id, "2021-05-25", "within_deadline", "on_track", "60% vs 4% planned");
	cr_expect_eq(I(task_on(id, "2021-06-10"), "percent"), 10);
}

Test(health, a_task_reported_done_in_time_is_done_on_time_and_a_send_back_undoes_it)
{
	int64_t id;

	make_world();
	at("2021-03-15");
	id = assigned_task("C1", "2025-06-30");
	at("2025-06-01");
	report(&office1, id, 100);
	act_ok(&office1, "report_done", id);
	expect_on(id, "2025-06-01", "done_on_time", "(nil)", "(nil)");
	at("2025-06-10");
	act_ok(&admin, "send_back", id);
	expect_on(id, "2025-06-10", "within_deadline", "on_track", NULL);
	expect_on(id, "2025-06-05", "done_on_time", "(nil)", NULL);
	at("2025-07-10");
	act_ok(&office1, "report_done", id);
	act_ok(&admin, "accept", id);
	expect_on(id, "2025-07-10", "done_late", "(nil)", NULL);
	expect_on(id, "2025-06-05", "done_on_time", "(nil)", NULL);
}

/* The days of the deadline, with explicit expectations (an oracle that
 * shares the computation cannot catch an off-by-one day): done on the due
 * date, to its last minute, is on time; a minute past midnight is late;
 * the day is Hà Nội's even when the machine's zone is UTC (where 00:01 on
 * 1 July is still 30 June); and on the due date itself an unfinished task
 * is still within its deadline, overdue only the day after. */
Test(health, the_due_date_is_on_time_to_its_last_minute_in_the_provinces_zone)
{
	char why[200];
	int64_t last_minute, past_midnight, open, accepted_next_day;
	static const char *const keys[] = {"done_on_time", "done_late", "within_deadline",
					   "overdue", NULL};
	static const int64_t on_due[] = {2, 0, 2, 0}, day_after[] = {2, 1, 0, 1};
	const msgpack_object *b;

	setenv("TZ", "UTC", 1); /* the machine's zone... */
	tzset();
	cr_assert_eq(clock_set_zone("Asia/Ho_Chi_Minh", why, sizeof(why)), 0, "%s", why);
	make_world();
	at("2025-01-15");
	last_minute = assigned_task("C1", "2025-06-30");
	past_midnight = assigned_task("C1", "2025-06-30");
	open = assigned_task("C1", "2025-06-30");
	accepted_next_day = assigned_task("C1", "2025-06-30");
	for (int64_t id = last_minute; id <= accepted_next_day; id++)
		act_ok(&office1, "start", id);
	at("2025-06-30T12:00:00");
	act_ok(&office1, "report_done", accepted_next_day);
	at("2025-06-30T23:59:00");
	act_ok(&office1, "report_done", last_minute);
	expect_on(last_minute, "2025-06-30", "done_on_time", "(nil)", "(nil)");
	expect_on(open, "2025-06-30", "within_deadline", "stalled", NULL); /* no update since 15/01 */
	at("2025-07-01T00:01:00");
	act_ok(&office1, "report_done", past_midnight);
	act_ok(&admin, "accept", accepted_next_day); /* the report's day counts */
	expect_on(past_midnight, "2025-07-01", "done_late", "(nil)", "(nil)");
	expect_on(last_minute, "2025-07-01", "done_on_time", "(nil)", "(nil)");
	expect_on(accepted_next_day, "2025-07-01", "done_on_time", "(nil)", "(nil)");
	expect_on(open, "2025-07-01", "overdue", "stalled", NULL);
	/* A cut-off on the due date itself: as it was then. */
	expect_on(past_midnight, "2025-06-30", "within_deadline", "stalled", NULL);
	expect_on(open, "2025-06-30", "within_deadline", "stalled", NULL);
	b = OK("board.get", "s:as_of", "2025-06-30", NULL);
	for (int i = 0; keys[i]; i++)
		cr_expect_eq(count(b, keys[i]), on_due[i], "%s as of 30/06", keys[i]);
	b = OK("board.get", NULL);
	for (int i = 0; keys[i]; i++)
		cr_expect_eq(count(b, keys[i]), day_after[i], "%s on 01/07", keys[i]);
	cr_expect_str_eq(S(OK("server.info", NULL), "today"), "2025-07-01");
}

Test(health, cancelled_carried_over_and_rated_not_done_are_counted_apart_or_as_not_done)
{
	int64_t a, b, c;

	make_world();
	at("2021-03-15");
	a = assigned_task("C1", "2025-06-30");
	b = assigned_task("C1", "2025-06-30");
	c = assigned_task("C1", "2025-06-30");
	at("2025-03-01");
	act_ok(&admin, "cancel", a);
	act_ok(&admin, "carry_over", b);
	act_ok(&admin, "start", c);
	act_ok(&admin, "report_done", c);
	OK("task.accept", "i:task", num(c), "s:rating", "not_done", NULL);
	expect_on(a, "2025-03-01", "cancelled", "(nil)", NULL);
	expect_on(b, "2025-03-01", "carried_over", "(nil)", NULL);
	expect_on(c, "2025-03-01", "within_deadline", "(nil)", NULL);
	expect_on(c, "2025-07-01", "overdue", "(nil)", NULL);
	expect_on(a, "2025-02-28", "within_deadline", "stalled", NULL);
}

Test(health, the_figures_as_of_31_march_are_the_same_in_june)
{
	const msgpack_object *march, *again;
	int64_t a, b;
	static const char *const keys[] = {"total", "done_on_time", "done_late", "within_deadline",
					   "overdue", "on_track", "at_risk", "stalled", NULL};
	int64_t before[8];

	make_world();
	at("2021-03-15");
	a = assigned_task("C1", "2025-06-30");
	b = assigned_task("C1", "2025-06-30");
	at("2025-03-10");
	report(&office1, b, 40);
	at("2025-03-20");
	report(&office1, a, 100);
	act_ok(&office1, "report_done", a);
	at("2025-03-31T20:00:00");
	march = OK("board.get", NULL);
	cr_assert_str_eq(S(march, "as_of"), "2025-03-31");
	cr_expect_eq(count(march, "done_on_time"), 1);
	cr_expect_eq(count(march, "within_deadline"), 1);
	cr_expect_eq(count(march, "at_risk"), 1, "40%% vs 94%% planned");
	for (int i = 0; keys[i]; i++)
		before[i] = count(march, keys[i]);
	cr_expect_eq(I(OK("task.list", "s:status", "done_on_time", NULL), "total"), 1);

	/* June: b is done, a was sent back and an update came after 31/03. */
	at("2025-06-15");
	report(&office1, b, 100);
	act_ok(&office1, "report_done", b);
	act_ok(&admin, "send_back", a);
	report(&office1, a, 100);
	again = OK("board.get", "s:as_of", "2025-03-31", NULL);
	for (int i = 0; keys[i]; i++)
		cr_expect_eq(count(again, keys[i]), before[i], "%s as of 31/03, asked in June", keys[i]);
	cr_expect_eq(I(OK("task.list", "s:status", "done_on_time", "s:as_of", "2025-03-31", NULL),
		       "total"), 1);
	expect_on(b, "2025-03-31", "within_deadline", "at_risk", "40% vs 94% planned");
	/* And today's figures moved. */
	again = OK("board.get", NULL);
	cr_expect_eq(count(again, "done_on_time"), 1);
	cr_expect_eq(I(item(OK("task.list", "s:status", "done_on_time", NULL), 0), "id"), b);
	cr_expect_eq(count(again, "within_deadline"), 1);
}

/* ---- thresholds and the plan ---- */

Test(health, thresholds_come_from_the_options_and_show_in_server_info)
{
	const msgpack_object *info;
	int64_t id;

	make_world();
	at("2021-03-15");
	id = assigned_task("C1", "2025-06-30");
	at("2023-06-01");
	report(&office1, id, 45); /* 51% planned, 6 points behind */
	expect_on(id, "2023-06-01", "within_deadline", "on_track", NULL);
	expect_on(id, "2023-06-12", "within_deadline", "on_track", NULL);
	db_health_set(10, 5);
	info = OK("server.info", NULL);
	cr_expect_eq(I(info, "stalled_days"), 10);
	cr_expect_eq(I(info, "at_risk_margin"), 5);
	cr_expect(field(info, "clock_set")->via.boolean);
	expect_on(id, "2023-06-01", "within_deadline", "at_risk", "45% vs 51% planned");
	expect_on(id, "2023-06-12", "within_deadline", "stalled", "no update for 11 days");
	clock_reset();
	info = OK("server.info", NULL);
	cr_expect_not(field(info, "clock_set")->via.boolean);
	cr_expect_eq(I(info, "clock_offset"), 0);
}

Test(health, dated_steps_of_the_plan_replace_the_straight_line)
{
	int64_t id;

	make_world();
	at("2021-03-15");
	id = assigned_task("C1", "2025-06-30");
	OK_AS(&office1, "plan.add", "i:task", num(id), "s:what", "Khảo sát", "s:due_date",
	      "2021-06-01", NULL);
	OK_AS(&office1, "plan.add", "i:task", num(id), "s:what", "Triển khai", "s:due_date",
	      "2022-01-01", NULL);
	OK_AS(&office1, "plan.add", "i:task", num(id), "s:what", "Tổng kết", NULL); /* undated */
	at("2021-07-01");
	report(&office1, id, 10);
	expect_on(id, "2021-07-01", "within_deadline", "at_risk", "10% vs 50% planned");
	expect_on(id, "2021-04-01", "within_deadline", "on_track", "0% vs 0% planned");
}

/* ---- the board ---- */

/* Six tasks on 2025-09-30: two overdue (one in H2), one with a reminder
 * ten days late, one stalled, one at risk, one on track.  Their ids. */
struct six {
	int64_t over2, over, rem, stall, risk, ok;
};

static struct six six_tasks(void)
{
	struct six s;

	make_world();
	at("2025-01-02");
	s.over2 = assigned_task("C1", "2025-03-31");
	s.over = assigned_task("C2", "2025-06-30");
	s.rem = assigned_task("C1", "2025-12-31");
	s.stall = assigned_task("C1", "2025-12-31");
	s.risk = assigned_task("C1", "2025-12-31");
	s.ok = assigned_task("C1", "2025-12-31");
	at("2025-07-01");
	report(&office1, s.stall, 90);
	at("2025-09-10");
	OK("reminder.send", "i:task", num(s.rem), "s:message", "Đề nghị báo cáo", "s:answer_by",
	   "2025-09-20", NULL);
	at("2025-09-25");
	report(&office1, s.over2, 90);
	report(&office2, s.over, 90);
	report(&office1, s.rem, 95);
	report(&office1, s.risk, 50);
	report(&office1, s.ok, 95);
	at("2025-09-30");
	return s;
}

Test(health, the_board_lists_what_needs_action_most_urgent_first)
{
	struct six s = six_tasks();
	const msgpack_object *b = OK("board.get", NULL), *na = field(b, "needs_action");
	const int64_t want[] = {s.over2, s.over, s.rem, s.stall, s.risk};
	const char *const why[] = {"overdue", "overdue", "reminder", "stalled", "at_risk"};
	const int64_t days[] = {183, 92, 10, 91, -1};

	cr_assert_eq(na->via.array.size, 5);
	for (uint32_t i = 0; i < 5; i++) {
		const msgpack_object *it = &na->via.array.ptr[i];

		cr_expect_eq(I(it, "id"), want[i], "row %u", i);
		cr_expect_str_eq(S(it, "reason"), why[i], "row %u", i);
		if (days[i] < 0)
			cr_expect(is_nil(it, "days"), "row %u", i);
		else
			cr_expect_eq(I(it, "days"), days[i], "row %u", i);
	}
	cr_expect_eq(I(&na->via.array.ptr[2], "reminder_days_late"), 10);
	cr_expect_eq(I(b, "needs_action_total"), 5);
	cr_expect_eq(count(b, "total"), 6);
	cr_expect_eq(count(b, "overdue"), 2);
	cr_expect_eq(count(b, "within_deadline"), 4);
	cr_expect_eq(count(b, "on_track"), 2);
	cr_expect_eq(count(b, "at_risk"), 3);
	cr_expect_eq(count(b, "stalled"), 1);

	/* limit cuts the list, not the total */
	b = OK("board.get", "i:limit", "2", NULL);
	cr_expect_eq(field(b, "needs_action")->via.array.size, 2);
	cr_expect_eq(I(b, "needs_action_total"), 5);

	/* The reminder answered: the task needs no action any more. */
	OK_AS(&office1, "reminder.answer", "i:reminder", "1", "s:answer", "Đã báo cáo", NULL);
	b = OK("board.get", NULL);
	cr_expect_eq(I(b, "needs_action_total"), 4);
	/* ... as of 20/09 it was open but not yet late (the task stalled then). */
	b = OK("board.get", "s:as_of", "2025-09-20", NULL);
	for (uint32_t i = 0; i < field(b, "needs_action")->via.array.size; i++) {
		const msgpack_object *it = &field(b, "needs_action")->via.array.ptr[i];

		if (I(it, "id") == s.rem)
			cr_expect_str_eq(S(it, "reason"), "stalled");
	}
	/* ... and as of 25/09 five days late, sent and unanswered then. */
	b = OK("board.get", "s:as_of", "2025-09-25", NULL);
	cr_expect_eq(I(&field(b, "needs_action")->via.array.ptr[2], "id"), s.rem);
	cr_expect_eq(I(&field(b, "needs_action")->via.array.ptr[2], "days"), 5);
}

Test(health, the_board_counts_per_unit_and_keeps_to_the_scope)
{
	struct six s = six_tasks();
	const msgpack_object *b = OK("board.get", NULL), *units = field(b, "units");

	/* The admin's board: the children of the root TINH, H1 then H2. */
	cr_assert_eq(units->via.array.size, 2);
	cr_expect_str_eq(S(&units->via.array.ptr[0], "unit_code"), "H1");
	cr_expect_eq(I(&units->via.array.ptr[0], "total"), 5);
	cr_expect_eq(I(&units->via.array.ptr[0], "overdue"), 1);
	cr_expect_str_eq(S(&units->via.array.ptr[1], "unit_code"), "H2");
	cr_expect_eq(I(&units->via.array.ptr[1], "total"), 1);

	/* unit H2: its own tasks only. */
	b = OK("board.get", "s:unit", "H2", NULL);
	cr_expect_eq(count(b, "total"), 1);
	cr_expect_str_eq(S(field(b, "unit"), "code"), "H2");
	cr_expect_eq(I(item_of_needs(b), "id"), s.over);

	/* H1's supervisor sees H1 only: H2's task is left out, and H2 is not found. */
	b = OK_AS(&sup_h1, "board.get", NULL);
	cr_expect_eq(count(b, "total"), 5);
	cr_expect_eq(I(b, "needs_action_total"), 4);
	units = field(b, "units");
	cr_expect_eq(units->via.array.size, 1);
	cr_expect(field(&units->via.array.ptr[0], "own")->via.boolean, "H1's own tasks");
	cr_expect_eq(FAILS_AS(&sup_h1, "board.get", "s:unit", "H2", NULL), RPC_NOT_FOUND);
	cr_expect_eq(I(OK_AS(&office2, "board.get", NULL), "needs_action_total"), 1);

	/* mine: the tasks the caller follows as focal point. */
	OK("task.set_focal_point", "i:task", num(s.risk), "s:account", "suph1", NULL);
	b = OK_AS(&sup_h1, "board.get", "b:mine", "1", NULL);
	cr_expect_eq(count(b, "total"), 1);
	cr_expect_eq(I(item_of_needs(b), "id"), s.risk);
	cr_expect_str_eq(S(item_of_needs(b), "focal_point"), "suph1");

	/* A database of several roots (the country's provinces): one row per
	 * root, counting its whole subtree, and no `own` row. */
	OK("unit.create", "s:code", "TINH2", "s:name", "Tỉnh thứ hai", "s:level", "tỉnh", NULL);
	units = field(OK("board.get", NULL), "units");
	cr_assert_eq(units->via.array.size, 1, "TINH2 has no tasks");
	cr_expect_str_eq(S(&units->via.array.ptr[0], "unit_code"), "TINH");
	cr_expect_eq(I(&units->via.array.ptr[0], "total"), 6);
	cr_expect(!field(&units->via.array.ptr[0], "own")->via.boolean);
	units = field(OK("board.get", "s:unit", "TINH", NULL), "units");
	cr_expect_eq(units->via.array.size, 2, "below a root given: its children, as before");
}

Test(health, board_and_task_list_refuse_bad_params)
{
	make_world();
	cr_expect_eq(FAILS("board.get", "i:limit", "0", NULL), RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("board.get", "s:as_of", "31/03/2025", NULL), RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("board.get", "s:unit", "NOWHERE", NULL), RPC_NOT_FOUND);
	cr_expect_eq(FAILS("board.get", "s:term", "T9", NULL), RPC_NOT_FOUND);
	cr_expect_eq(FAILS("board.get", "s:colour", "red", NULL), RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("task.list", "s:status", "late", NULL), RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "status"), "%s", world_last.message);
	cr_expect_eq(FAILS("task.list", "s:health", "ill", NULL), RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "health"), "%s", world_last.message);
}

Test(health, task_list_filters_by_status_and_health)
{
	struct six s = six_tasks();
	const msgpack_object *l = OK("task.list", "s:health", "stalled", NULL);

	cr_expect_eq(I(l, "total"), 1);
	cr_expect_eq(I(item(l, 0), "id"), s.stall);
	cr_expect_str_eq(S(item(l, 0), "health_reason"), "no update for 91 days");
	l = OK("task.list", "s:status", "overdue", NULL);
	cr_expect_eq(I(l, "total"), 2);
	cr_expect_eq(I(l, "cadres"), 2);
	l = OK("task.list", "s:status", "overdue", "s:health", "at_risk", "s:unit", "H1", NULL);
	cr_expect_eq(I(l, "total"), 1);
	cr_expect_eq(I(item(l, 0), "id"), s.over2);
	l = OK_AS(&office2, "task.list", "s:status", "overdue", NULL);
	cr_expect_eq(I(l, "total"), 1);
}

/* ---- a cadre's record ---- */

Test(health, the_record_of_a_cadre_holds_its_tasks_products_and_ratings)
{
	const msgpack_object *r, *items;
	int64_t a, b, other;

	make_world();
	at("2021-03-15");
	a = assigned_task("C1", "2025-06-30");
	b = assigned_task("C1", "2025-06-30");
	other = assigned_task("C2", "2025-06-30");
	at("2024-05-01");
	report(&office1, a, 100);
	act_ok(&office1, "report_done", a);
	act_ok(&admin, "accept", a); /* good, with a comment */
	act_ok(&admin, "cancel", b);
	(void)other;

	r = OK("cadre.record", "s:cadre", "C1", "s:term", "T1", NULL);
	cr_expect_str_eq(S(field(r, "cadre"), "code"), "C1");
	cr_expect_str_eq(S(field(r, "term"), "code"), "T1");
	cr_expect_eq(I(r, "total"), 2);
	items = field(r, "items");
	cr_assert_eq(items->via.array.size, 2);
	cr_expect_eq(I(&items->via.array.ptr[0], "id"), a);
	cr_expect_str_eq(S(&items->via.array.ptr[0], "rating"), "good");
	cr_expect_str_eq(S(&items->via.array.ptr[0], "comment"), note_of("accept"));
	cr_expect_str_eq(S(&items->via.array.ptr[0], "status"), "done_on_time");
	cr_expect_str_eq(S(&items->via.array.ptr[0], "decision_no"), "12-QĐ/TU");
	cr_expect_str_eq(S(&items->via.array.ptr[0], "product"), S(get_task(a), "product"));
	cr_expect_str_eq(S(&items->via.array.ptr[1], "status"), "cancelled");
	cr_expect(is_nil(&items->via.array.ptr[1], "comment"));
	cr_expect_eq(I(field(r, "ratings"), "good"), 1);
	cr_expect_eq(I(field(r, "ratings"), "unrated"), 1);
	cr_expect_eq(I(field(r, "ratings"), "excellent"), 0);

	/* Another term: nothing.  Scope: C1 is H1's. */
	cr_expect_eq(I(OK("cadre.record", "s:cadre", "C1", "s:term", "T2", NULL), "total"), 0);
	cr_expect_eq(I(OK_AS(&sup_h1, "cadre.record", "s:cadre", "C1", "s:term", "T1", NULL),
		       "total"), 2);
	cr_expect_eq(FAILS_AS(&office2, "cadre.record", "s:cadre", "C1", "s:term", "T1", NULL),
		     RPC_NOT_FOUND);
	cr_expect_eq(FAILS("cadre.record", "s:cadre", "C1", NULL), RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "term"), "%s", world_last.message);
	cr_expect_eq(FAILS("cadre.record", "s:cadre", "NOBODY", "s:term", "T1", NULL), RPC_NOT_FOUND);
}

/* ---- the clock ---- */

Test(health, the_clock_takes_a_local_day_or_moment_and_runs_on_from_it)
{
	static const char *const bad[] = {"", "2025-3-31", "2025-02-30", "31/03/2025",
					  "2025-03-31T25:00:00", "2025-03-31T10:00",
					  "2025-03-31T10:00:00Z", "2025-03-31 10:00:00"};
	char day[DATE_LEN];
	time_t t, u;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_eq(clock_parse(bad[i], &t), -1, "'%s' accepted", bad[i]);
	cr_assert_eq(clock_parse("2025-03-31", &t), 0);
	cr_assert_eq(clock_parse("2025-03-31T23:59:59", &u), 0);
	cr_expect_eq(u - t, 86399);
	clock_set(t + 12 * 3600); /* noon: the day holds however long the test takes */
	cr_expect(clock_is_set());
	date_of(clock_now(), day);
	cr_expect_str_eq(day, "2025-03-31");
	cr_expect_geq(clock_now(), t + 12 * 3600);
	cr_expect_lt(clock_offset(), 0);
	clock_reset();
	cr_expect_not(clock_is_set());
	cr_expect_eq(clock_offset(), 0);
}
