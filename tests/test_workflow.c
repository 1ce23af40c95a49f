/*
 * test_workflow.c: the task workflow (server/methods/workflow.c, PROTOCOL.md 6a)
 * through the dispatcher on a fresh temporary database per test: every
 * allowed transition lands in its documented state and leaves exactly one
 * audit entry; every other action from every state is a conflict naming the
 * state and what may be done from it, and changes nothing; who may make
 * each transition (office, viewer, focal point, managing body, scope); the
 * rules update.create and task.update ask of the state.
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

TestSuite(workflow, .init = world_setup, .fini = world_teardown, .timeout = 120);

/* ---- the actions, with valid params ---- */

static const char *const actions[] = {"review", "return",  "resubmit",  "assign", "start",
				      "report_done", "accept", "send_back", "cancel",
				      "carry_over"};
#define NACTIONS (sizeof(actions) / sizeof(actions[0]))

static const char *const states[] = {"registered",    "reviewed", "returned",
				     "assigned",      "in_progress", "reported_done",
				     "accepted",      "cancelled", "carried_over"};
#define NSTATES (sizeof(states) / sizeof(states[0]))

static const char *state_of(int64_t id)
{
	return S(get_task(id), "state");
}

/* The newest audit entry of task id, its whole history on one page. */
static const msgpack_object *audit_newest_whole(int64_t id)
{
	const msgpack_object *page = OK("audit.list", "i:task", num(id), "i:limit", "1000", NULL);
	const msgpack_object *arr = field(page, "items");

	cr_assert_eq(arr->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_gt(arr->via.array.size, 0);
	cr_assert(is_nil(page, "next"));
	return &arr->via.array.ptr[arr->via.array.size - 1];
}

/* What may be done from each state, in the order of the conflict message
 * (written here from PROTOCOL.md 6a, independently of workflow.c). */
static const char *allowed_from(const char *state)
{
	static const struct {
		const char *state, *may;
	} may[] = {
		{"registered", "review, return, assign, cancel"},
		{"reviewed", "return, assign, cancel"},
		{"returned", "resubmit, cancel"},
		{"assigned", "start, cancel, carry_over"},
		{"in_progress", "report_done, cancel, carry_over"},
		{"reported_done", "accept, send_back"},
		{"accepted", NULL},
		{"cancelled", NULL},
		{"carried_over", NULL},
	};

	for (size_t i = 0; i < sizeof(may) / sizeof(may[0]); i++)
		if (!strcmp(may[i].state, state))
			return may[i].may;
	cr_assert_fail("unknown state %s", state);
	return NULL;
}

static bool may(const char *state, const char *action)
{
	const char *m = allowed_from(state);
	size_t n = strlen(action);

	/* Match whole words of the comma-separated list. */
	for (const char *p = m; p && (p = strstr(p, action)) != NULL; p += n)
		if ((p == m || p[-1] == ' ') && (p[n] == ',' || p[n] == '\0'))
			return true;
	return false;
}

static void expected_conflict(char *buf, size_t n, int64_t id, const char *state)
{
	const char *m = allowed_from(state);

	if (m)
		snprintf(buf, n, "task: task %lld is %s; from %s you may: %s", (long long)id, state,
			 state, m);
	else
		snprintf(buf, n, "task: task %lld is %s; that is final, nothing more may be done",
			 (long long)id, state);
}

/* ---- 1. every allowed transition ---- */

static const struct {
	const char *from, *action, *to;
} allowed[] = {
	{"registered", "review", "reviewed"},
	{"registered", "return", "returned"},
	{"reviewed", "return", "returned"},
	{"returned", "resubmit", "registered"},
	{"registered", "assign", "assigned"},
	{"reviewed", "assign", "assigned"},
	{"assigned", "start", "in_progress"},
	{"in_progress", "report_done", "reported_done"},
	{"reported_done", "accept", "accepted"},
	{"reported_done", "send_back", "in_progress"},
	{"registered", "cancel", "cancelled"},
	{"reviewed", "cancel", "cancelled"},
	{"returned", "cancel", "cancelled"},
	{"assigned", "cancel", "cancelled"},
	{"in_progress", "cancel", "cancelled"},
	{"assigned", "carry_over", "carried_over"},
	{"in_progress", "carry_over", "carried_over"},
};
#define NALLOWED (sizeof(allowed) / sizeof(allowed[0]))

Test(workflow, the_test_table_agrees_with_the_documented_one)
{
	size_t n = 0;

	for (size_t s = 0; s < NSTATES; s++)
		for (size_t a = 0; a < NACTIONS; a++)
			n += may(states[s], actions[a]);
	cr_assert_eq(n, NALLOWED);
	for (size_t i = 0; i < NALLOWED; i++)
		cr_assert(may(allowed[i].from, allowed[i].action), "%s from %s", allowed[i].action,
			  allowed[i].from);
}

Test(workflow, every_allowed_transition_lands_in_its_state_with_one_audit_entry)
{
	make_world();
	for (size_t i = 0; i < NALLOWED; i++) {
		const char *from = allowed[i].from, *action = allowed[i].action, *to = allowed[i].to;
		int64_t id = task_in(from), all = audit_total(), mine = audit_of_task(id);
		const msgpack_object *r, *t, *e;
		char method[64];

		cr_assert_str_eq(state_of(id), from);
		r = act_ok(&admin, action, id);
		snprintf(method, sizeof(method), "task.%s", action);

		/* The answer is the task after the move, and so is task.get. */
		cr_assert_eq(I(r, "id"), id);
		cr_assert_str_eq(S(r, "state"), to, "%s from %s: answered %s", action, from,
				 S(r, "state"));
		t = get_task(id);
		cr_assert_str_eq(S(t, "state"), to, "%s from %s: stored %s", action, from,
				 S(t, "state"));
		cr_assert_str_eq(S(t, "state_note"), note_of(action), "%s: state_note", action);
		cr_assert(!is_nil(t, "state_at"), "%s: state_at", action);

		/* Exactly one entry, for this method, the task before and after. */
		/* carry_over: one more, for the copy (the test below). */
		cr_assert_eq(audit_total(), all + 1 + (strcmp(action, "carry_over") == 0),
			     "%s from %s: %lld new entries", action, from,
			     (long long)(audit_total() - all));
		cr_assert_eq(audit_of_task(id), mine + 1, "%s from %s", action, from);
		e = audit_newest_whole(id);
		cr_assert_str_eq(S(e, "method"), method);
		cr_assert_str_eq(S(e, "object_type"), "task");
		cr_assert_eq(I(e, "object_id"), id);
		cr_assert_eq(I(e, "account_id"), admin.account_id);
		cr_assert_str_eq(S(field(e, "before"), "state"), from, "%s: before", action);
		cr_assert_str_eq(S(field(e, "after"), "state"), to, "%s: after", action);
	}
}

Test(workflow, assign_records_the_decision_and_accept_the_rating)
{
	const msgpack_object *t;
	int64_t id;

	make_world();
	id = new_task();
	t = get_task(id);
	cr_assert(is_nil(t, "decision_no"));
	cr_assert(is_nil(t, "decision_date"));
	cr_assert(is_nil(t, "rating"));
	cr_assert(is_nil(t, "carried_to"));
	act_ok(&admin, "assign", id);
	t = get_task(id);
	cr_assert_str_eq(S(t, "decision_no"), "12-QĐ/TU");
	cr_assert_str_eq(S(t, "decision_date"), "2021-03-15");
	act_ok(&admin, "start", id);
	act_ok(&admin, "report_done", id);
	cr_assert_str_eq(S(get_task(id), "state_note"), "Cổng đã vận hành");
	act_ok(&admin, "send_back", id);
	t = get_task(id);
	cr_assert_str_eq(S(t, "state"), "in_progress");
	cr_assert_str_eq(S(t, "state_note"), "Thiếu minh chứng");
	cr_assert(is_nil(t, "rating"));
	act_ok(&admin, "report_done", id);
	t = act_ok(&admin, "accept", id);
	cr_assert_str_eq(S(t, "state"), "accepted");
	cr_assert_str_eq(S(t, "rating"), "good");
	cr_assert_str_eq(S(t, "state_note"), "Hoàn thành tốt");
	cr_assert_str_eq(S(t, "decision_no"), "12-QĐ/TU");

	/* Every rating of the scale is taken; anything else is not. */
	for (const char *const *r = (const char *const[]){"excellent", "good", "done", "not_done",
							  NULL};
	     *r; r++) {
		int64_t k = task_in("reported_done");

		t = OK("task.accept", "i:task", num(k), "s:rating", *r, NULL);
		cr_assert_str_eq(S(t, "rating"), *r);
		cr_assert_str_eq(S(t, "state"), "accepted");
		cr_assert(is_nil(t, "state_note"), "accept without a comment leaves no note");
	}
	id = task_in("reported_done");
	cr_assert_null(world_request(&admin, "task.accept",
			       FIELDS("i:task", num(id), "s:rating", "perfect", NULL)));
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	cr_assert_null(world_request(&admin, "task.accept", FIELDS("i:task", num(id), NULL)));
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(state_of(id), "reported_done");
}

Test(workflow, carry_over_makes_an_assigned_copy_in_the_later_term)
{
	const char *const froms[] = {"assigned", "in_progress"};

	make_world();
	for (int i = 0; i < 2; i++) {
		int64_t id = task_in(froms[i]), copy, all, n_before;
		const msgpack_object *r, *c, *o;
		char note[128];

		if (i == 1)
			OK("update.create", "i:task", num(id), "i:percent", "40", "s:done",
			   "Khai trương cổng", NULL);
		n_before = I(OK("task.list", "i:limit", "1", NULL), "total");
		all = audit_total();
		r = act_ok(&admin, "carry_over", id);
		/* One entry for the original, one for the copy it made. */
		cr_assert_eq(audit_total(), all + 2);
		cr_assert_eq(I(OK("task.list", "i:limit", "1", NULL), "total"), n_before + 1);

		/* The result is the original, carried over, naming its copy. */
		cr_assert_eq(I(r, "id"), id);
		cr_assert_str_eq(S(r, "state"), "carried_over");
		cr_assert(!is_nil(r, "carried_to"));
		copy = I(r, "carried_to");
		cr_assert_neq(copy, id);
		o = get_task(id);
		cr_assert_eq(I(o, "carried_to"), copy);
		cr_assert_str_eq(S(o, "term_code"), "T1");
		cr_assert_eq(I(field(audit_newest_whole(id), "after"), "carried_to"), copy);

		/* The copy: in T2, assigned, the same decision, owner, unit,
		 * assigning unit, product and percent; the due date, before T2,
		 * moves to T2's end. */
		c = get_task(copy);
		cr_assert_str_eq(S(c, "state"), "assigned");
		cr_assert_eq(I(c, "term_id"), world_ids.t2);
		cr_assert_str_eq(S(c, "term_code"), "T2");
		cr_assert_str_eq(S(c, "decision_no"), "12-QĐ/TU");
		cr_assert_str_eq(S(c, "decision_date"), "2021-03-15");
		cr_assert_str_eq(S(c, "owner_code"), "C1");
		cr_assert_eq(I(c, "unit_id"), world_ids.h1);
		cr_assert_eq(I(c, "assigned_by_id"), world_ids.tinh);
		cr_assert_str_eq(S(c, "title"), "Chuyển đổi số");
		cr_assert_str_eq(S(c, "product"), "Cổng dịch vụ công");
		cr_assert_eq(I(c, "percent"), i == 1 ? 40 : 0);
		cr_assert_str_eq(S(c, "due_date"), "2030-12-31");
		cr_assert(is_nil(c, "carried_to"));
		cr_assert(is_nil(c, "rating"));
		snprintf(note, sizeof(note), "Chuyển từ nhiệm vụ %lld của kỳ T1", (long long)id);
		cr_assert_str_eq(S(c, "state_note"), note);
		cr_assert_eq(field(c, "owners")->via.array.size, 1);
		cr_assert_eq(audit_of_task(copy), 1);
		cr_assert_str_eq(S(audit_newest(copy), "method"), "task.carry_over");
		cr_assert(is_nil(audit_newest_whole(copy), "before"));
		cr_assert_eq(I(field(audit_newest_whole(copy), "after"), "id"), copy);

		/* The copy goes on: it may start, and the original is final. */
		act_ok(&admin, "start", copy);
		cr_assert_str_eq(state_of(copy), "in_progress");
		cr_assert_null(act(&admin, "start", id));
		cr_assert_eq(world_last.code, RPC_CONFLICT);
	}
}

Test(workflow, carry_over_needs_a_later_term)
{
	int64_t id, all;

	make_world();
	OK("term.create", "s:code", "T0", "s:kind", "term", "s:start", "2016-01-01", "s:end",
	   "2020-12-31", NULL);
	id = task_in("assigned");
	all = audit_total();
	for (const char *const *t = (const char *const[]){"T1", "T0", NULL}; *t; t++) {
		cr_assert_null(world_request(&admin, "task.carry_over",
				       FIELDS("i:task", num(id), "s:term", *t, NULL)));
		cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT, "term %s: %s", *t, world_last.message);
		cr_assert_str_eq(world_last.message, "term: must start after the task's own term");
	}
	cr_assert_null(world_request(&admin, "task.carry_over",
			       FIELDS("i:task", num(id), "s:term", "NOPE", NULL)));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_str_eq(state_of(id), "assigned");
	cr_assert(is_nil(get_task(id), "carried_to"));
	cr_assert_eq(audit_total(), all);
	cr_assert_eq(I(OK("task.list", "i:limit", "1", NULL), "total"), 1);
}

/* ---- 2. every refused action ---- */

Test(workflow, every_action_not_allowed_is_a_conflict_that_changes_nothing)
{
	int refused = 0;

	make_world();
	for (size_t s = 0; s < NSTATES; s++) {
		int64_t id = task_in(states[s]);
		const msgpack_object *t0 = get_task(id);
		char updated_at[64], note[1024], want[512];

		snprintf(updated_at, sizeof(updated_at), "%s", S(t0, "updated_at"));
		snprintf(note, sizeof(note), "%s", S(t0, "state_note"));
		for (size_t a = 0; a < NACTIONS; a++) {
			int64_t all, mine;
			const msgpack_object *t;

			if (may(states[s], actions[a]))
				continue;
			all = audit_total();
			mine = audit_of_task(id);
			cr_assert_null(act(&admin, actions[a], id), "task.%s from %s succeeded",
				       actions[a], states[s]);
			cr_assert_eq(world_last.code, RPC_CONFLICT, "task.%s from %s: code %d (%s)",
				     actions[a], states[s], world_last.code, world_last.message);
			expected_conflict(want, sizeof(want), id, states[s]);
			cr_assert_str_eq(world_last.message, want, "task.%s from %s", actions[a],
					 states[s]);
			t = get_task(id);
			cr_assert_str_eq(S(t, "state"), states[s]);
			cr_assert_str_eq(S(t, "updated_at"), updated_at);
			cr_assert_str_eq(S(t, "state_note"), note);
			cr_assert_eq(audit_total(), all);
			cr_assert_eq(audit_of_task(id), mine);
			refused++;
		}
	}
	cr_assert_eq(refused, (int)(NSTATES * NACTIONS - NALLOWED));
	/* Nothing was carried anywhere by a refused carry_over. */
	cr_assert_eq(I(OK("task.list", "s:term", "T2", "i:limit", "1", NULL), "total"), 1);
}

Test(workflow, conflict_messages_read_as_documented)
{
	int64_t id;
	char want[256];

	make_world();
	id = task_in("in_progress");
	cr_assert_null(act(&admin, "review", id));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	snprintf(want, sizeof(want),
		 "task: task %lld is in_progress; from in_progress you may: report_done, cancel, "
		 "carry_over",
		 (long long)id);
	cr_assert_str_eq(world_last.message, want);

	id = task_in("accepted");
	cr_assert_null(act(&admin, "cancel", id));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	snprintf(want, sizeof(want),
		 "task: task %lld is accepted; that is final, nothing more may be done",
		 (long long)id);
	cr_assert_str_eq(world_last.message, want);

	id = task_in("registered");
	cr_assert_null(act(&admin, "start", id));
	snprintf(want, sizeof(want),
		 "task: task %lld is registered; from registered you may: review, return, "
		 "assign, cancel",
		 (long long)id);
	cr_assert_str_eq(world_last.message, want);

	id = task_in("returned");
	cr_assert_null(act(&admin, "assign", id));
	snprintf(want, sizeof(want),
		 "task: task %lld is returned; from returned you may: resubmit, cancel",
		 (long long)id);
	cr_assert_str_eq(world_last.message, want);

	/* The same answer for any role that may call the method. */
	id = task_in("registered");
	cr_assert_null(act(&office1, "report_done", id));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	snprintf(want, sizeof(want),
		 "task: task %lld is registered; from registered you may: review, return, "
		 "assign, cancel",
		 (long long)id);
	cr_assert_str_eq(world_last.message, want);
	cr_assert_null(act(&sup_tinh, "accept", id));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	cr_assert_str_eq(world_last.message, want);

	/* A task that does not exist. */
	cr_assert_null(act(&admin, "review", 99999));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "task: no task with id 99999");
}

/* ---- 3. who ---- */

Test(workflow, an_office_moves_its_own_tasks_but_may_not_manage_them)
{
	const char *const managing[] = {"assign", "accept", "send_back", "cancel", "carry_over",
					"review", "return"};
	char want[128];
	int64_t id, all;

	make_world();
	/* What an office may not call, from a state that allows it. */
	for (size_t i = 0; i < sizeof(managing) / sizeof(managing[0]); i++) {
		const char *from = !strcmp(managing[i], "accept") || !strcmp(managing[i], "send_back")
					   ? "reported_done"
				   : !strcmp(managing[i], "carry_over") ? "assigned"
									: "registered";

		id = task_in(from);
		all = audit_total();
		cr_assert_null(act(&office1, managing[i], id), "office did task.%s", managing[i]);
		cr_assert_eq(world_last.code, RPC_FORBIDDEN, "task.%s: %d %s", managing[i], world_last.code,
			     world_last.message);
		snprintf(want, sizeof(want), "task.%s: not allowed for the role office", managing[i]);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(state_of(id), from);
		cr_assert_eq(audit_total(), all);
	}

	/* What it may, in its scope: resubmit, start, report_done. */
	id = task_in("returned");
	cr_assert_str_eq(S(act_ok(&office1, "resubmit", id), "state"), "registered");
	cr_assert_eq(I(audit_newest_whole(id), "account_id"), office1.account_id);
	id = task_in("assigned");
	cr_assert_str_eq(S(act_ok(&office1, "start", id), "state"), "in_progress");
	cr_assert_str_eq(S(act_ok(&office1, "report_done", id), "state"), "reported_done");
	cr_assert_str_eq(S(audit_newest_whole(id), "account_login"), "office1");

	/* Outside its scope the task does not exist for it. */
	for (size_t k = 0; k < 3; k++) {
		const char *const what[][2] = {{"returned", "resubmit"},
					       {"assigned", "start"},
					       {"in_progress", "report_done"}};

		id = task_in(what[k][0]);
		all = audit_total();
		cr_assert_null(act(&office2, what[k][1], id));
		cr_assert_eq(world_last.code, RPC_NOT_FOUND, "task.%s: %d %s", what[k][1], world_last.code,
			     world_last.message);
		snprintf(want, sizeof(want), "task: no task with id %lld", (long long)id);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(state_of(id), what[k][0]);
		cr_assert_eq(audit_total(), all);
	}
}

Test(workflow, a_viewer_may_do_nothing)
{
	char want[128];

	make_world();
	for (size_t s = 0; s < NSTATES; s++) {
		int64_t id = task_in(states[s]);

		for (size_t a = 0; a < NACTIONS; a++) {
			int64_t all = audit_total();

			cr_assert_null(act(&viewer1, actions[a], id));
			cr_assert_eq(world_last.code, RPC_FORBIDDEN, "viewer task.%s from %s: %d",
				     actions[a], states[s], world_last.code);
			snprintf(want, sizeof(want), "task.%s: not allowed for the role viewer",
				 actions[a]);
			cr_assert_str_eq(world_last.message, want);
			cr_assert_eq(audit_total(), all);
		}
		cr_assert_str_eq(state_of(id), states[s]);
	}
	/* Nor report progress or edit. */
	cr_assert_null(world_request(&viewer1, "update.create",
			       FIELDS("i:task", num(task_in("assigned")), "i:percent", "10",
				      "s:done", "x", NULL)));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);
	cr_assert_null(world_request(&viewer1, "task.update",
			       FIELDS("i:task", num(new_task()), "s:title", "x", NULL)));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);
}

Test(workflow, a_supervisor_may_not_do_the_offices_steps)
{
	const char *const office_steps[][2] = {
		{"returned", "resubmit"}, {"assigned", "start"}, {"in_progress", "report_done"}};
	char want[128];

	make_world();
	for (size_t i = 0; i < 3; i++) {
		int64_t id = task_in(office_steps[i][0]);

		cr_assert_null(act(&sup_h1, office_steps[i][1], id));
		cr_assert_eq(world_last.code, RPC_FORBIDDEN);
		snprintf(want, sizeof(want), "task.%s: not allowed for the role supervisor",
			 office_steps[i][1]);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(state_of(id), office_steps[i][0]);
	}
}

Test(workflow, the_focal_point_reviews_and_returns_any_task_in_scope)
{
	int64_t a, b, c;

	make_world();
	/* Assigned by the province, in H1: H1's supervisor is its focal point. */
	a = new_task();
	cr_assert_str_eq(S(act_ok(&sup_h1, "review", a), "state"), "reviewed");
	cr_assert_str_eq(S(act_ok(&sup_h1, "return", a), "state"), "returned");
	b = new_task();
	cr_assert_str_eq(S(act_ok(&sup_tinh, "return", b), "state"), "returned");
	/* In H2: not H1's. */
	c = new_task_of("C2", NULL);
	cr_assert_null(act(&sup_h1, "review", c));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_str_eq(state_of(c), "registered");
}

Test(workflow, the_managing_body_is_the_unit_that_assigned_the_task)
{
	char want[256];
	int64_t by_h1, by_tinh, other, all;

	make_world();
	make_district_cadres();
	/* A district's own programme: H1's supervisor manages it, all the way. */
	by_h1 = new_task_of("D1", "H1");
	cr_assert_eq(I(get_task(by_h1), "assigned_by_id"), world_ids.h1);
	cr_assert_str_eq(S(act_ok(&sup_h1, "assign", by_h1), "state"), "assigned");
	act_ok(&office1, "start", by_h1);
	act_ok(&office1, "report_done", by_h1);
	cr_assert_str_eq(S(act_ok(&sup_h1, "send_back", by_h1), "state"), "in_progress");
	act_ok(&office1, "report_done", by_h1);
	cr_assert_str_eq(S(act_ok(&sup_h1, "accept", by_h1), "state"), "accepted");
	cr_assert_str_eq(S(audit_newest_whole(by_h1), "account_login"), "suph1");
	by_h1 = new_task_of("D1", "H1");
	cr_assert_str_eq(S(act_ok(&sup_h1, "cancel", by_h1), "state"), "cancelled");
	by_h1 = new_task_of("D1", "H1");
	act_ok(&sup_h1, "assign", by_h1);
	cr_assert_str_eq(S(act_ok(&sup_h1, "carry_over", by_h1), "state"), "carried_over");
	/* The province's supervisor holds H1 in its scope: it manages it too. */
	by_h1 = new_task_of("D1", "H1");
	cr_assert_str_eq(S(act_ok(&sup_tinh, "assign", by_h1), "state"), "assigned");

	/* The province's programme, done in H1: not H1's to manage. */
	for (size_t a = 0; a < NACTIONS; a++) {
		const char *from;

		if (!strcmp(actions[a], "accept") || !strcmp(actions[a], "send_back"))
			from = "reported_done";
		else if (!strcmp(actions[a], "carry_over"))
			from = "in_progress";
		else if (!strcmp(actions[a], "assign") || !strcmp(actions[a], "cancel"))
			from = "registered";
		else
			continue; /* not a managing-body step */
		by_tinh = task_in(from);
		all = audit_total();
		cr_assert_null(act(&sup_h1, actions[a], by_tinh), "task.%s", actions[a]);
		cr_assert_eq(world_last.code, RPC_FORBIDDEN, "task.%s: %d %s", actions[a], world_last.code,
			     world_last.message);
		snprintf(want, sizeof(want),
			 "task.%s: only the managing body may do this: task %lld was assigned by a "
			 "unit outside your scope (or an admin may)",
			 actions[a], (long long)by_tinh);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(state_of(by_tinh), from);
		cr_assert_eq(audit_total(), all);
		/* ... which the province's supervisor is. */
		cr_assert_not_null(act(&sup_tinh, actions[a], by_tinh), "sup_tinh task.%s: %s",
				   actions[a], world_last.message);
	}

	/* The managing-body rule comes before the state: a final task of the
	 * province answers forbidden to H1, conflict to the province. */
	by_tinh = task_in("accepted");
	cr_assert_null(act(&sup_h1, "cancel", by_tinh));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);
	cr_assert_null(act(&sup_tinh, "cancel", by_tinh));
	cr_assert_eq(world_last.code, RPC_CONFLICT);

	/* Out of scope is not_found, before the managing-body rule. */
	other = new_task_of("D2", "H2");
	cr_assert_null(act(&sup_h1, "assign", other));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	snprintf(want, sizeof(want), "task: no task with id %lld", (long long)other);
	cr_assert_str_eq(world_last.message, want);
	other = new_task_of("C2", NULL);
	cr_assert_null(act(&sup_h1, "cancel", other));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_str_eq(state_of(other), "registered");
}

/* ---- 4. update.create and the state ---- */

Test(workflow, progress_is_reported_only_on_assigned_or_in_progress_tasks)
{
	const char *const refused[] = {"registered", "reviewed",  "returned",    "reported_done",
				       "accepted",   "cancelled", "carried_over"};
	char want[256];
	const msgpack_object *u;
	int64_t id, all;

	make_world();
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		id = task_in(refused[i]);
		all = audit_total();
		cr_assert_null(world_request(&admin, "update.create",
				       FIELDS("i:task", num(id), "i:percent", "30", "s:done",
					      "Khảo sát", NULL)),
			       "update.create on a %s task succeeded", refused[i]);
		cr_assert_eq(world_last.code, RPC_CONFLICT, "%s: %d %s", refused[i], world_last.code,
			     world_last.message);
		snprintf(want, sizeof(want),
			 "task: task %lld is %s; progress is reported only on a task that is "
			 "assigned or in_progress",
			 (long long)id, refused[i]);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(state_of(id), refused[i]);
		cr_assert_eq(I(get_task(id), "updates"), 0);
		cr_assert_eq(audit_total(), all);
	}

	/* On an assigned task the first report starts the work: one entry. */
	id = task_in("assigned");
	all = audit_total();
	u = OK_AS(&office1, "update.create", "i:task", num(id), "i:percent", "40", "s:done",
		  "Khai trương cổng", NULL);
	cr_assert_eq(I(u, "task_id"), id);
	cr_assert_eq(I(u, "percent"), 40);
	cr_assert_str_eq(state_of(id), "in_progress");
	cr_assert_eq(I(get_task(id), "percent"), 40);
	cr_assert_eq(I(get_task(id), "updates"), 1);
	cr_assert_eq(audit_total(), all + 1);
	cr_assert_str_eq(S(audit_newest_whole(id), "method"), "update.create");
	/* And then in progress it stays. */
	OK_AS(&office1, "update.create", "i:task", num(id), "i:percent", "60", "s:done", "Tiếp",
	      NULL);
	cr_assert_str_eq(state_of(id), "in_progress");
	cr_assert_eq(I(get_task(id), "updates"), 2);
	cr_assert_eq(audit_total(), all + 2);
	/* The office of another district does not see it. */
	cr_assert_null(world_request(&office2, "update.create",
			       FIELDS("i:task", num(id), "i:percent", "70", "s:done", "x", NULL)));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_eq(I(get_task(id), "updates"), 2);
}

/* ---- 5. task.update and the state ---- */

Test(workflow, task_update_follows_the_state)
{
	const char *const office_refused[] = {"reviewed", "assigned", "in_progress",
					      "reported_done"};
	const char *const finals[] = {"accepted", "cancelled", "carried_over"};
	const char *const admin_may[] = {"registered", "reviewed", "returned", "assigned",
					 "in_progress", "reported_done"};
	char want[256];
	int64_t id, all;

	make_world();
	/* An office edits a registered or a returned task. */
	id = task_in("registered");
	cr_assert_str_eq(S(OK_AS(&office1, "task.update", "i:task", num(id), "s:title", "Mới 1",
				 NULL), "title"), "Mới 1");
	cr_assert_str_eq(state_of(id), "registered");
	id = task_in("returned");
	cr_assert_str_eq(S(OK_AS(&office1, "task.update", "i:task", num(id), "s:product",
				 "Sản phẩm sửa", NULL), "product"), "Sản phẩm sửa");
	cr_assert_str_eq(state_of(id), "returned");

	/* Once past it, an office needs an amendment. */
	for (size_t i = 0; i < sizeof(office_refused) / sizeof(office_refused[0]); i++) {
		id = task_in(office_refused[i]);
		all = audit_total();
		cr_assert_null(world_request(&office1, "task.update",
				       FIELDS("i:task", num(id), "s:title", "Đổi", NULL)),
			       "office changed a %s task", office_refused[i]);
		cr_assert_eq(world_last.code, RPC_CONFLICT, "%s: %d %s", office_refused[i], world_last.code,
			     world_last.message);
		if (strcmp(office_refused[i], "reviewed") == 0)
			snprintf(want, sizeof(want),
				 "task: task %lld is reviewed; after review only an admin corrects "
				 "it (the focal point may return it to you)",
				 (long long)id);
		else
			snprintf(want, sizeof(want),
				 "task: task %lld is %s; its title, product and due date now change "
				 "only by an amendment the managing body approves "
				 "(amendment.propose%s)",
				 (long long)id, office_refused[i],
				 strcmp(office_refused[i], "reported_done") == 0
					 ? ", once it is sent back"
					 : "");
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(S(get_task(id), "title"), "Chuyển đổi số");
		cr_assert_eq(audit_total(), all);
	}

	/* An admin may correct any task that is not final, but not the
	 * substance of an assigned one (test_amendment.c). */
	for (size_t i = 0; i < sizeof(admin_may) / sizeof(admin_may[0]); i++) {
		id = task_in(admin_may[i]);
		all = audit_total();
		cr_assert_str_eq(S(OK("task.update", "i:task", num(id), "s:description", "Sửa",
				      NULL), "description"), "Sửa");
		cr_assert_str_eq(state_of(id), admin_may[i], "task.update moved the state");
		cr_assert_eq(audit_total(), all + 1);
	}

	/* Nobody changes a final one. */
	for (size_t i = 0; i < sizeof(finals) / sizeof(finals[0]); i++) {
		id = task_in(finals[i]);
		snprintf(want, sizeof(want), "task: task %lld is %s; a finished task does not change",
			 (long long)id, finals[i]);
		all = audit_total();
		cr_assert_null(world_request(&admin, "task.update",
				       FIELDS("i:task", num(id), "s:title", "Đổi", NULL)));
		cr_assert_eq(world_last.code, RPC_CONFLICT, "%s", finals[i]);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_null(world_request(&office1, "task.update",
				       FIELDS("i:task", num(id), "s:title", "Đổi", NULL)));
		cr_assert_eq(world_last.code, RPC_CONFLICT, "%s", finals[i]);
		cr_assert_str_eq(world_last.message, want);
		cr_assert_str_eq(S(get_task(id), "title"), "Chuyển đổi số");
		cr_assert_eq(audit_total(), all);
	}
}

/* ---- 6. the story in the trail ---- */

Test(workflow, a_whole_cycle_is_told_step_by_step_in_the_history)
{
	const msgpack_object *h, *arr;
	const char *const want[] = {"task.create", "task.review",   "task.return",
				    "task.resubmit", "task.assign", "task.start",
				    "task.report_done", "task.send_back", "task.report_done",
				    "task.accept"};
	const size_t n = sizeof(want) / sizeof(want[0]);
	int64_t id;

	make_world();
	id = new_task();
	act_ok(&sup_h1, "review", id);
	act_ok(&sup_h1, "return", id);
	act_ok(&office1, "resubmit", id);
	act_ok(&sup_tinh, "assign", id);
	act_ok(&office1, "start", id);
	act_ok(&office1, "report_done", id);
	act_ok(&sup_tinh, "send_back", id);
	act_ok(&office1, "report_done", id);
	act_ok(&sup_tinh, "accept", id);
	cr_assert_str_eq(state_of(id), "accepted");

	h = OK("task.history", "i:task", num(id), NULL);
	arr = field(h, "items");
	cr_assert_eq(arr->via.array.size, n);
	for (size_t i = 0; i < n; i++)
		cr_assert_str_eq(S(&arr->via.array.ptr[i], "method"), want[i], "step %zu", i);
	cr_assert_eq(audit_of_task(id), (int64_t)n);
	cr_assert_str_eq(S(&arr->via.array.ptr[1], "account_login"), "suph1");
	cr_assert_str_eq(S(&arr->via.array.ptr[3], "account_login"), "office1");
	cr_assert_str_eq(S(&arr->via.array.ptr[4], "account_login"), "suptinh");
	cr_assert_str_eq(S(field(&arr->via.array.ptr[9], "before"), "state"), "reported_done");
	cr_assert_str_eq(S(field(&arr->via.array.ptr[9], "after"), "state"), "accepted");
	cr_assert_str_eq(S(field(&arr->via.array.ptr[9], "after"), "rating"), "good");
}

Test(workflow, reasons_and_decisions_are_required_and_a_note_is_not)
{
	const char *const bad[][6] = {
		{"registered", "task.return", "s:reason", "", NULL, NULL},
		{"registered", "task.return", NULL, NULL, NULL, NULL},
		{"reported_done", "task.send_back", "s:reason", "", NULL, NULL},
		{"assigned", "task.cancel", NULL, NULL, NULL, NULL},
		{"in_progress", "task.report_done", "s:summary", "", NULL, NULL},
		{"registered", "task.assign", "s:decision_no", "", "s:decision_date", "2021-03-15"},
		{"registered", "task.assign", "s:decision_no", "1-QĐ", "s:decision_date", "15/03/2021"},
		{"registered", "task.assign", "s:decision_no", "1-QĐ", NULL, NULL},
		{"assigned", "task.carry_over", NULL, NULL, NULL, NULL},
		{"registered", "task.review", "s:reviewer", "x", NULL, NULL},
	};
	const msgpack_object *t;
	int64_t id, all;

	make_world();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const char *f[8] = {"i:task", NULL, bad[i][2], bad[i][3], bad[i][4], bad[i][5], NULL};

		id = task_in(bad[i][0]);
		f[1] = num(id);
		all = audit_total();
		cr_assert_null(world_request(&admin, bad[i][1], f), "%s (case %zu) succeeded", bad[i][1], i);
		cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT, "%s (case %zu): %d %s", bad[i][1], i,
			     world_last.code, world_last.message);
		cr_assert_str_eq(state_of(id), bad[i][0]);
		cr_assert_eq(audit_total(), all);
	}
	id = new_task();
	t = OK("task.review", "i:task", num(id), NULL);
	cr_assert_str_eq(S(t, "state"), "reviewed");
	cr_assert(is_nil(t, "state_note"));
}
