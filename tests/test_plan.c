/*
 * test_plan.c: plans, the steps of a task (server/methods/plan.c, PROTOCOL.md 6b),
 * through the dispatcher on a fresh temporary database per test: adding,
 * changing and removing steps; plan.list's order and its two percents;
 * validation (what, one responsible at most, unknown and out-of-scope
 * references, finished tasks); task.get's plan summary; one audit entry
 * per change.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "obj.h"

#include "world.h"

TestSuite(plan, .init = world_setup, .fini = world_teardown, .timeout = 120);

static int64_t add_step(struct identity *who, int64_t task, const char *what, const char *status)
{
	return I(OK_AS(who, "plan.add", "i:task", num(task), "s:what", what, "s:status", status,
		       NULL), "id");
}

static const msgpack_object *plan_of(int64_t task)
{
	return OK("plan.list", "i:task", num(task), NULL);
}

/* ---- adding, changing, removing ---- */

Test(plan, steps_are_added_in_order_with_their_responsible)
{
	int64_t task, a, b, c;
	const msgpack_object *r, *p;

	make_world();
	task = task_in("assigned");
	r = OK_AS(&office1, "plan.add", "i:task", num(task), "s:what", "Khảo sát hiện trạng",
		  "s:responsible_unit", "H1", "s:due_date", "2025-02-28", NULL);
	a = I(r, "id");
	cr_assert_eq(I(r, "task_id"), task);
	cr_assert_eq(I(r, "position"), 1);
	cr_assert_str_eq(S(r, "status"), "todo");
	cr_assert_str_eq(S(r, "responsible_unit_code"), "H1");
	cr_assert_str_eq(S(r, "responsible_unit_name"), "Huyện Một");
	cr_assert(is_nil(r, "responsible_cadre_id"));
	cr_assert(is_nil(r, "responsible_text"));
	cr_assert_str_eq(S(r, "due_date"), "2025-02-28");
	cr_assert(is_nil(r, "removed_at"));
	r = OK("plan.add", "i:task", num(task), "s:what", "Lập dự án", "s:responsible_cadre", "C1",
	       "s:status", "doing", NULL);
	b = I(r, "id");
	cr_assert_eq(I(r, "position"), 2);
	cr_assert_str_eq(S(r, "responsible_cadre_code"), "C1");
	cr_assert_str_eq(S(r, "responsible_cadre_name"), "Nguyễn Văn An");
	r = OK("plan.add", "i:task", num(task), "s:what", "Thẩm định", "s:responsible_text",
	       "Sở Thông tin và Truyền thông", NULL);
	c = I(r, "id");
	cr_assert_str_eq(S(r, "responsible_text"), "Sở Thông tin và Truyền thông");
	cr_assert(is_nil(r, "responsible_unit_id"));
	cr_assert(is_nil(r, "due_date"));

	p = plan_of(task);
	cr_assert_eq(I(p, "task"), task);
	cr_assert_eq(count_items(p), 3);
	cr_assert_eq(I(item(p, 0), "id"), a);
	cr_assert_eq(I(item(p, 1), "id"), b);
	cr_assert_eq(I(item(p, 2), "id"), c);
	cr_assert_eq(I(p, "total"), 3);
	cr_assert_eq(I(p, "done"), 0);
	cr_assert_eq(I(p, "percent_from_steps"), 0);
	cr_assert(is_nil(p, "percent_from_updates"));
	cr_assert(!field(p, "disagree")->via.boolean);
}

Test(plan, update_changes_the_given_parts_and_replaces_the_responsible)
{
	int64_t task, s;
	const msgpack_object *r;

	make_world();
	task = task_in("in_progress");
	s = I(OK("plan.add", "i:task", num(task), "s:what", "Khảo sát", "s:responsible_unit", "H1",
		 "s:due_date", "2025-03-01", NULL), "id");
	r = OK_AS(&office1, "plan.update", "i:step", num(s), "s:status", "done", NULL);
	cr_assert_str_eq(S(r, "status"), "done");
	cr_assert_str_eq(S(r, "what"), "Khảo sát");
	cr_assert_str_eq(S(r, "responsible_unit_code"), "H1");
	cr_assert_str_eq(S(r, "due_date"), "2025-03-01");
	r = OK("plan.update", "i:step", num(s), "s:responsible_text", "Viettel", "s:what",
	       "Khảo sát lại", NULL);
	cr_assert_str_eq(S(r, "what"), "Khảo sát lại");
	cr_assert_str_eq(S(r, "responsible_text"), "Viettel");
	cr_assert(is_nil(r, "responsible_unit_id"));
	r = OK("plan.update", "i:step", num(s), "s:responsible_text", "", NULL);
	cr_assert(is_nil(r, "responsible_text"));
	cr_assert_eq(FAILS("plan.update", "i:step", num(s), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.update", "i:step", "9999", "s:status", "done", NULL),
		     RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "step: no step with id 9999");
}

Test(plan, remove_takes_the_step_out_of_the_plan)
{
	int64_t task, a, b;
	const msgpack_object *r, *p;

	make_world();
	task = task_in("assigned");
	a = add_step(&admin, task, "Một", "done");
	b = add_step(&admin, task, "Hai", "todo");
	r = OK_AS(&office1, "plan.remove", "i:step", num(a), NULL);
	cr_assert_eq(I(r, "id"), a);
	cr_assert(!is_nil(r, "removed_at"));
	p = plan_of(task);
	cr_assert_eq(count_items(p), 1);
	cr_assert_eq(I(item(p, 0), "id"), b);
	cr_assert_eq(I(p, "total"), 1);
	cr_assert_eq(I(p, "done"), 0);
	cr_assert_eq(FAILS("plan.remove", "i:step", num(a), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.update", "i:step", num(a), "s:what", "x", NULL), RPC_NOT_FOUND);
	/* A new step goes after the last one, removed or not. */
	cr_assert_eq(I(OK("plan.add", "i:task", num(task), "s:what", "Ba", NULL), "position"), 3);
}

/* The ids of task's plan, in order, joined with commas. */
static const char *order_of(int64_t task)
{
	static char buf[256];
	const msgpack_object *p = plan_of(task);
	size_t len = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < count_items(p); i++) {
		cr_assert_eq(I(item(p, i), "position"), (int64_t)i + 1, "positions are 1..n");
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%lld", i ? "," : "",
					(long long)I(item(p, i), "id"));
	}
	return buf;
}

Test(plan, steps_move_to_a_place_and_the_plan_is_renumbered)
{
	int64_t task, s[4];
	char want[128];
	const msgpack_object *r;

	make_world();
	task = task_in("in_progress");
	for (int i = 0; i < 4; i++)
		s[i] = add_step(&office1, task, (const char *[]){"A", "B", "C", "D"}[i], "todo");
	/* Up: D to the front. */
	r = OK_AS(&office1, "plan.update", "i:step", num(s[3]), "i:position", "1", NULL);
	cr_assert_eq(I(r, "position"), 1);
	snprintf(want, sizeof(want), "%lld,%lld,%lld,%lld", (long long)s[3], (long long)s[0],
		 (long long)s[1], (long long)s[2]);
	cr_assert_str_eq(order_of(task), want);
	/* Down: D (now first) to the third place. */
	OK_AS(&office1, "plan.update", "i:step", num(s[3]), "i:position", "3", NULL);
	snprintf(want, sizeof(want), "%lld,%lld,%lld,%lld", (long long)s[0], (long long)s[1],
		 (long long)s[3], (long long)s[2]);
	cr_assert_str_eq(order_of(task), want);
	/* Past the end is last; its own place changes nothing. */
	OK_AS(&office1, "plan.update", "i:step", num(s[0]), "i:position", "99", NULL);
	OK_AS(&office1, "plan.update", "i:step", num(s[2]), "i:position", "3", NULL);
	snprintf(want, sizeof(want), "%lld,%lld,%lld,%lld", (long long)s[1], (long long)s[3],
		 (long long)s[2], (long long)s[0]);
	cr_assert_str_eq(order_of(task), want);
	/* After a removal the plan closes up at the next move; a new step can
	 * go straight to its place. */
	OK("plan.remove", "i:step", num(s[3]), NULL);
	r = OK_AS(&office1, "plan.add", "i:task", num(task), "s:what", "E", "i:position", "2", NULL);
	snprintf(want, sizeof(want), "%lld,%lld,%lld,%lld", (long long)s[1], (long long)I(r, "id"),
		 (long long)s[2], (long long)s[0]);
	cr_assert_str_eq(order_of(task), want);
	/* A place out of range is refused and changes nothing. */
	cr_assert_eq(FAILS("plan.update", "i:step", num(s[0]), "i:position", "0", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.update", "i:step", num(s[0]), "i:position", "1001", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(order_of(task), want);
}

/* ---- validation ---- */

Test(plan, refuses_bad_fields)
{
	int64_t task;

	make_world();
	task = task_in("assigned");
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "   ", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_unit",
			   "H1", "s:responsible_text", "Sở", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(world_last.message, "responsible_unit, responsible_cadre, responsible_text: "
				       "give one of them at most");
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_unit",
			   "H1", "s:responsible_cadre", "C1", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:status", "finished",
			   NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:due_date",
			   "2025-02-30", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", "9999", "s:what", "x", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_unit",
			   "NOPE", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_cadre",
			   "NOPE", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.list", "i:task", "9999", NULL), RPC_NOT_FOUND);
	cr_assert_eq(count_items(plan_of(task)), 0);
}

Test(plan, out_of_scope_is_not_found_and_viewers_may_only_read)
{
	int64_t mine, theirs, s;

	make_world();
	mine = task_in("assigned");
	theirs = new_task_of("C2", NULL);
	s = add_step(&admin, theirs, "Của huyện Hai", "todo");
	cr_assert_eq(FAILS_AS(&office1, "plan.add", "i:task", num(theirs), "s:what", "x", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "plan.update", "i:step", num(s), "s:status", "done", NULL),
		     RPC_NOT_FOUND);
	{
		char want[64];

		snprintf(want, sizeof(want), "step: no step with id %lld", (long long)s);
		cr_assert_str_eq(world_last.message, want);
	}
	cr_assert_eq(FAILS_AS(&office1, "plan.remove", "i:step", num(s), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "plan.list", "i:task", num(theirs), NULL), RPC_NOT_FOUND);
	/* The responsible must be one the office sees. */
	cr_assert_eq(FAILS_AS(&office1, "plan.add", "i:task", num(mine), "s:what", "x",
			      "s:responsible_unit", "H2", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "plan.add", "i:task", num(mine), "s:what", "x",
			      "s:responsible_cadre", "C2", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office2, "plan.add", "i:task", num(theirs), "s:what", "x",
			      "s:responsible_cadre", "C2", NULL),
		     RPC_OK);
	/* Readers read; they do not write. */
	OK_AS(&viewer1, "plan.list", "i:task", num(mine), NULL);
	OK_AS(&sup_h1, "plan.list", "i:task", num(mine), NULL);
	cr_assert_eq(FAILS_AS(&viewer1, "plan.add", "i:task", num(mine), "s:what", "x", NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_tinh, "plan.add", "i:task", num(mine), "s:what", "x", NULL),
		     RPC_FORBIDDEN);
}

Test(plan, the_plan_of_a_finished_task_does_not_change)
{
	const char *finals[] = {"accepted", "cancelled", "carried_over"};

	make_world();
	for (int i = 0; i < 3; i++) {
		int64_t task = new_task(), s = add_step(&admin, task, "Bước", "todo");

		drive(task, finals[i]);
		cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", NULL),
			     RPC_CONFLICT, "%s", finals[i]);
		cr_assert(strstr(world_last.message, finals[i]), "%s", world_last.message);
		cr_assert_eq(FAILS("plan.update", "i:step", num(s), "s:status", "done", NULL),
			     RPC_CONFLICT);
		cr_assert_eq(FAILS("plan.remove", "i:step", num(s), NULL), RPC_CONFLICT);
		cr_assert_eq(count_items(plan_of(task)), 1);
	}
	/* A registered task may be planned before it is assigned. */
	add_step(&office1, new_task(), "Chuẩn bị", "todo");
}

/* ---- the two percents ---- */

Test(plan, percent_from_steps_counts_done_among_steps_not_dropped)
{
	int64_t task;
	const msgpack_object *p;

	make_world();
	task = task_in("assigned");
	p = plan_of(task);
	cr_assert(is_nil(p, "percent_from_steps"));
	add_step(&admin, task, "Một", "done");
	add_step(&admin, task, "Hai", "done");
	add_step(&admin, task, "Ba", "done");
	add_step(&admin, task, "Bốn", "doing");
	add_step(&admin, task, "Năm", "todo");
	add_step(&admin, task, "Sáu", "dropped");
	OK("update.create", "i:task", num(task), "i:percent", "40", "s:done", "Đã làm", NULL);
	p = plan_of(task);
	cr_assert_eq(I(p, "total"), 6);
	cr_assert_eq(I(p, "done"), 3);
	cr_assert_eq(I(p, "percent_from_steps"), 60);
	cr_assert_eq(I(p, "percent_from_updates"), 40);
	cr_assert(field(p, "disagree")->via.boolean);

	OK("update.create", "i:task", num(task), "i:percent", "50", "s:done", "Thêm", NULL);
	p = plan_of(task);
	cr_assert_eq(I(p, "percent_from_updates"), 50);
	cr_assert(!field(p, "disagree")->via.boolean, "10 points apart is not a disagreement");

	p = field(get_task(task), "plan");
	cr_assert_eq(I(p, "steps"), 6);
	cr_assert_eq(I(p, "done"), 3);
	cr_assert_eq(I(p, "percent_from_steps"), 60);
}

Test(plan, all_dropped_gives_no_percent)
{
	int64_t task;
	const msgpack_object *p;

	make_world();
	task = task_in("assigned");
	add_step(&admin, task, "Một", "dropped");
	OK("update.create", "i:task", num(task), "i:percent", "40", "s:done", "Đã làm", NULL);
	p = plan_of(task);
	cr_assert(is_nil(p, "percent_from_steps"));
	cr_assert(!field(p, "disagree")->via.boolean);
	p = field(get_task(new_task()), "plan");
	cr_assert_eq(I(p, "steps"), 0);
	cr_assert(is_nil(p, "percent_from_steps"));
}

/* ---- the audit trail ---- */

Test(plan, every_change_is_one_audit_entry_with_before_and_after)
{
	int64_t task, s, n;
	const msgpack_object *e;

	make_world();
	task = task_in("assigned");
	n = audit_of_task(task);
	s = add_step(&office1, task, "Khảo sát", "todo");
	cr_assert_eq(audit_of_task(task), n + 1);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "plan.add");
	cr_assert_str_eq(S(e, "object_type"), "step");
	cr_assert_eq(I(e, "object_id"), s);
	cr_assert(is_nil(e, "before"));
	cr_assert_str_eq(S(field(e, "after"), "what"), "Khảo sát");

	OK_AS(&office1, "plan.update", "i:step", num(s), "s:status", "done", NULL);
	cr_assert_eq(audit_of_task(task), n + 2);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "plan.update");
	cr_assert_str_eq(S(field(e, "before"), "status"), "todo");
	cr_assert_str_eq(S(field(e, "after"), "status"), "done");

	OK_AS(&office1, "plan.remove", "i:step", num(s), NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "plan.remove");
	cr_assert(is_nil(field(e, "before"), "removed_at"));
	cr_assert(!is_nil(field(e, "after"), "removed_at"));

	/* A refused change leaves nothing. */
	FAILS("plan.update", "i:step", num(s), "s:status", "todo", NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	cr_assert_eq(I(OK("audit.verify", NULL), "entries"), audit_total());
}
