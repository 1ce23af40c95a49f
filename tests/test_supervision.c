/*
 * test_supervision.c: the supervisor's records on a task (server/
 * appraisal.c, explanation.c, inspection.c, followup.c; PROTOCOL.md 6e),
 * through the dispatcher on a fresh temporary database per test:
 * appraising updates and what a returned update no longer counts for;
 * explanation requests and their answers; inspections with their required
 * actions; follow-up checks of accepted tasks and their counts; who may do
 * each, the scope, bad params, conflicts, the overdue and due flags (dates
 * computed from today, past ones stored directly), one audit entry per
 * change.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db.h"
#include "dispatch.h"

#include "db_explanation.h"
#include "db_followup.h"
#include "db_inspection.h"
#include "db_update.h"
#include "world.h"

TestSuite(supervision, .init = world_setup, .fini = world_teardown, .timeout = 120);

/* ---- helpers ---- */

static void begin(void)
{
	struct rpc_error err;

	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK);
}

static void commit(void)
{
	struct rpc_error err;

	cr_assert_eq(db_commit(world_db, &err), RPC_OK, "%s", err.message);
}

static struct text T(const char *s)
{
	return (struct text){s, strlen(s)};
}

/* A task of H1 assigned by TINH, in progress, with suph1 as its focal
 * point (so suph1 acts as focal point, suptinh as managing body). */
static int64_t focal_task(void)
{
	int64_t t = task_in("in_progress");

	OK("task.set_focal_point", "i:task", num(t), "s:account", "suph1", NULL);
	return t;
}

/* An update of task reported at moment `at` (stored directly, so its
 * time is known); its id. */
static int64_t update_at(int64_t task, int64_t percent, const char *at)
{
	struct rpc_error err;
	struct update_input in = {.task = task, .percent = percent, .done = T("Đã làm")};
	int64_t id;

	begin();
	cr_assert_eq(db_update_create(world_db, &in, at, &id, &err), RPC_OK, "%s", err.message);
	commit();
	return id;
}

static int64_t report(int64_t task, const char *percent)
{
	return I(OK_AS(&office1, "update.create", "i:task", num(task), "i:percent", percent,
		       "s:done", "Đã làm", NULL), "id");
}

/* ---- appraisal ---- */

Test(supervision, the_supervisors_side_accepts_or_returns_an_update_once)
{
	const msgpack_object *u, *ap;
	int64_t task, a, b, c, d;

	make_world();
	task = focal_task();
	a = report(task, "10");
	b = report(task, "20");
	c = report(task, "30");
	d = report(task, "40");
	cr_assert(is_nil(item(OK("update.list", "i:task", num(task), NULL), 0), "appraisal"));
	/* The focal point. */
	u = OK_AS(&sup_h1, "update.accept", "i:update", num(a), "s:comment", "Đạt", NULL);
	ap = field(u, "appraisal");
	cr_assert_str_eq(S(ap, "verdict"), "accepted");
	cr_assert_str_eq(S(ap, "reason"), "Đạt");
	cr_assert_str_eq(S(ap, "by"), "Đầu mối Huyện Một");
	cr_assert_eq(I(ap, "by_account_id"), sup_h1.account_id);
	cr_assert(!is_nil(ap, "at"));
	/* The managing body, and an admin. */
	u = OK_AS(&sup_tinh, "update.return", "i:update", num(b), "s:reason", "Số liệu sai", NULL);
	cr_assert_str_eq(S(field(u, "appraisal"), "verdict"), "returned");
	cr_assert_str_eq(S(field(u, "appraisal"), "reason"), "Số liệu sai");
	OK("update.accept", "i:update", num(c), NULL);
	cr_assert(is_nil(field(OK("update.accept", "i:update", num(d), NULL), "appraisal"),
			 "reason"));

	/* Once: again is a conflict naming the verdict. */
	cr_assert_eq(FAILS_AS(&sup_h1, "update.accept", "i:update", num(b), NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message,
			 "update: update 2 is already returned");
	cr_assert_eq(FAILS_AS(&sup_h1, "update.return", "i:update", num(a), "s:reason", "x",
			      NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message, "update: update 1 is already accepted");

	/* update.list shows the appraisals. */
	u = OK_AS(&viewer1, "update.list", "i:task", num(task), NULL);
	cr_assert_str_eq(S(field(item(u, 0), "appraisal"), "verdict"), "accepted");
	cr_assert_str_eq(S(field(item(u, 1), "appraisal"), "verdict"), "returned");
}

Test(supervision, appraisal_is_refused_by_role_scope_state_and_params)
{
	int64_t task, mine, theirs, u, v;

	make_world();
	task = focal_task();
	u = report(task, "10");
	/* Neither focal point nor managing body: suph1 on a task TINH
	 * assigned without naming it. */
	mine = task_in("in_progress");
	v = report(mine, "10");
	cr_assert_eq(FAILS_AS(&sup_h1, "update.accept", "i:update", num(v), NULL), RPC_FORBIDDEN);
	cr_assert_not_null(strstr(world_last.message, "focal point"), "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&office1, "update.accept", "i:update", num(u), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&viewer1, "update.return", "i:update", num(u), "s:reason", "x", NULL),
		     RPC_FORBIDDEN);
	/* Out of scope reads like unknown. */
	theirs = new_task_of("C2", NULL);
	drive(theirs, "in_progress");
	v = I(OK("update.create", "i:task", num(theirs), "i:percent", "5", "s:done", "x", NULL),
	      "id");
	cr_assert_eq(FAILS_AS(&sup_h1, "update.accept", "i:update", num(v), NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "update: no update with id 3");
	cr_assert_eq(FAILS("update.accept", "i:update", "999", NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "update: no update with id 999");
	/* Bad params. */
	cr_assert_eq(FAILS("update.return", "i:update", num(u), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(world_last.message, "reason: is required");
	cr_assert_eq(FAILS("update.return", "i:update", num(u), "s:reason", "  ", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("update.accept", "s:update", "một", NULL), RPC_INVALID_ARGUMENT);
	/* A finished task's updates are not appraised. */
	act_ok(&admin, "report_done", task);
	act_ok(&admin, "accept", task);
	cr_assert_eq(FAILS_AS(&sup_h1, "update.accept", "i:update", num(u), NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message,
			 "task: task 1 is accepted; the updates of a finished task are not "
			 "appraised");
}

Test(supervision, a_returned_update_does_not_count)
{
	const msgpack_object *t;
	int64_t task, first, second, third;

	make_world();
	task = focal_task();
	first = update_at(task, 30, "2024-01-05T08:00:00Z");
	second = update_at(task, 60, "2024-02-05T08:00:00Z");
	t = get_task(task);
	cr_assert_eq(I(t, "percent"), 60);
	cr_assert_eq(I(t, "updates"), 2);

	/* Returning the newest puts the task back on the one before. */
	OK_AS(&sup_h1, "update.return", "i:update", num(second), "s:reason", "Chưa có minh chứng",
	      NULL);
	t = get_task(task);
	cr_assert_eq(I(t, "percent"), 30);
	cr_assert_str_eq(S(t, "last_update_at"), "2024-01-05T08:00:00Z");
	cr_assert_eq(I(t, "updates"), 1);
	cr_assert_eq(I(OK("plan.list", "i:task", num(task), NULL), "percent_from_updates"), 30);
	/* Accepting one changes nothing. */
	OK_AS(&sup_h1, "update.accept", "i:update", num(first), NULL);
	cr_assert_eq(I(get_task(task), "percent"), 30);

	/* A new update counts; returning one in the middle keeps the newest. */
	third = update_at(task, 80, "2024-03-05T08:00:00Z");
	cr_assert_eq(I(get_task(task), "updates"), 2);
	cr_assert_eq(I(get_task(task), "percent"), 80);
	OK("update.return", "i:update", num(third), "s:reason", "Sai", NULL);
	cr_assert_eq(I(get_task(task), "percent"), 30);
	cr_assert_str_eq(S(get_task(task), "last_update_at"), "2024-01-05T08:00:00Z");
	cr_assert_eq(I(get_task(task), "updates"), 1);
	/* The list still has all three. */
	cr_assert_eq(I(OK("update.list", "i:task", num(task), NULL), "total"), 3);
}

Test(supervision, a_task_whose_only_update_was_returned_shows_no_percent)
{
	const msgpack_object *t;
	int64_t task, only;

	make_world();
	task = focal_task();
	only = update_at(task, 40, "2024-01-05T08:00:00Z");
	OK("update.return", "i:update", num(only), "s:reason", "Báo cáo nhầm việc", NULL);
	t = get_task(task);
	cr_assert_eq(I(t, "percent"), 0);
	cr_assert(is_nil(t, "last_update_at"));
	cr_assert_eq(I(t, "updates"), 0);
	cr_assert(is_nil(OK("plan.list", "i:task", num(task), NULL), "percent_from_updates"));
	/* The returned one is still listed, marked. */
	cr_assert_str_eq(S(field(item(OK("update.list", "i:task", num(task), NULL), 0),
				 "appraisal"), "verdict"), "returned");
}

/* ---- explanations ---- */

/* An explanation request whose answer_by is past, stored directly. */
static int64_t ask_past(int64_t task, const char *by)
{
	struct rpc_error err;
	int64_t id;

	begin();
	cr_assert_eq(db_explanation_request(world_db, task, sup_h1.account_id, T("Vì sao chậm?"),
					    by, "2026-01-01T00:00:00Z", &id, &err),
		     RPC_OK, "%s", err.message);
	commit();
	return id;
}

Test(supervision, an_explanation_is_asked_and_answered_once)
{
	const msgpack_object *e, *l;
	int64_t task, id;

	make_world();
	task = focal_task();
	e = OK_AS(&sup_h1, "explanation.request", "i:task", num(task), "s:question",
		  "Vì sao chậm tiến độ?", "s:answer_by", day(5), NULL);
	id = I(e, "id");
	cr_assert_eq(I(e, "task_id"), task);
	cr_assert_str_eq(S(e, "from"), "Đầu mối Huyện Một");
	cr_assert_str_eq(S(e, "question"), "Vì sao chậm tiến độ?");
	cr_assert_str_eq(S(e, "answer_by"), day(5));
	cr_assert(is_nil(e, "answer"));
	cr_assert(!flag(e, "overdue"));
	/* The managing body and an admin may ask too; today is not past. */
	OK_AS(&sup_tinh, "explanation.request", "i:task", num(task), "s:question", "Tỉnh hỏi",
	      "s:answer_by", day(0), NULL);
	OK("explanation.request", "i:task", num(task), "s:question", "Quản trị hỏi",
	   "s:answer_by", day(1), NULL);

	e = OK_AS(&office1, "explanation.answer", "i:explanation", num(id), "s:answer",
		  "Vướng giải phóng mặt bằng", NULL);
	cr_assert_str_eq(S(e, "answer"), "Vướng giải phóng mặt bằng");
	cr_assert_eq(I(e, "answered_by_account_id"), office1.account_id);
	cr_assert_str_eq(S(e, "answered_by"), "VP Huyện Một");
	cr_assert(!is_nil(e, "answered_at"));
	cr_assert_eq(FAILS_AS(&office1, "explanation.answer", "i:explanation", num(id), "s:answer",
			      "Lần nữa", NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message, "explanation: explanation 1 is already answered");

	l = OK_AS(&viewer1, "explanation.list", "i:task", num(task), NULL);
	cr_assert_eq(I(l, "total"), 3);
	cr_assert_eq(I(item(l, 0), "id"), id);
	cr_assert_eq(I(OK_AS(&office1, "explanation.list", "b:open_only", "1", NULL), "total"), 2);
}

Test(supervision, an_unanswered_explanation_past_its_date_is_overdue)
{
	const msgpack_object *l;
	int64_t task, late, soon, done;

	make_world();
	task = focal_task();
	soon = I(OK_AS(&sup_h1, "explanation.request", "i:task", num(task), "s:question", "Sớm",
		       "s:answer_by", day(2), NULL), "id");
	late = ask_past(task, day(-3));
	done = ask_past(task, day(-10));
	OK_AS(&office1, "explanation.answer", "i:explanation", num(done), "s:answer", "Xong",
	      NULL);

	/* The office's open ones: overdue first. */
	l = OK_AS(&office1, "explanation.list", "b:open_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_eq(I(item(l, 0), "id"), late);
	cr_assert(flag(item(l, 0), "overdue"));
	cr_assert_eq(I(item(l, 1), "id"), soon);
	cr_assert(!flag(item(l, 1), "overdue"));
	/* Answered past its date is not overdue. */
	l = OK("explanation.list", NULL);
	cr_assert_eq(I(l, "total"), 3);
	cr_assert_eq(I(item(l, 2), "id"), done);
	cr_assert(!flag(item(l, 2), "overdue"));
	/* Another district sees none. */
	cr_assert_eq(I(OK_AS(&office2, "explanation.list", NULL), "total"), 0);
	/* Answering clears it. */
	OK_AS(&office1, "explanation.answer", "i:explanation", num(late), "s:answer", "Đã rõ",
	      NULL);
	l = OK_AS(&office1, "explanation.list", "b:open_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 1);
	cr_assert(!flag(item(l, 0), "overdue"));
}

Test(supervision, explanations_are_refused_by_role_scope_and_params)
{
	int64_t task, other, theirs, id;

	make_world();
	task = focal_task();
	other = task_in("in_progress");
	theirs = new_task_of("C2", NULL);
	cr_assert_eq(FAILS_AS(&sup_h1, "explanation.request", "i:task", num(other), "s:question",
			      "x", "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "explanation.request", "i:task", num(task), "s:question",
			      "x", "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&viewer1, "explanation.request", "i:task", num(task), "s:question",
			      "x", "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_h1, "explanation.request", "i:task", num(theirs), "s:question",
			      "x", "s:answer_by", day(1), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&sup_h1, "explanation.request", "i:task", num(task), "s:question",
			      "x", "s:answer_by", day(-1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(world_last.message, "answer_by"), "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&sup_h1, "explanation.request", "i:task", num(task), "s:question",
			      " ", "s:answer_by", day(1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_h1, "explanation.request", "i:task", num(task), "s:answer_by",
			      day(1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(world_last.message, "question: is required");

	id = I(OK("explanation.request", "i:task", num(theirs), "s:question", "Huyện Hai?",
		  "s:answer_by", day(1), NULL), "id");
	cr_assert_eq(FAILS_AS(&office1, "explanation.answer", "i:explanation", num(id), "s:answer",
			      "x", NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "explanation: no explanation with id 1");
	cr_assert_eq(FAILS_AS(&sup_tinh, "explanation.answer", "i:explanation", num(id),
			      "s:answer", "x", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&viewer1, "explanation.answer", "i:explanation", num(id),
			      "s:answer", "x", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office2, "explanation.answer", "i:explanation", num(id),
			      "s:answer", "", NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&office1, "explanation.list", "i:task", num(theirs), NULL),
		     RPC_NOT_FOUND);
	OK_AS(&office2, "explanation.answer", "i:explanation", num(id), "s:answer", "Đã rõ", NULL);
}

/* ---- inspections ---- */

Test(supervision, an_inspection_is_recorded_with_its_required_actions)
{
	const msgpack_object *in, *acts, *l;
	int64_t task, id;

	make_world();
	task = focal_task();
	in = OK_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date", day(-1),
		   "s:findings", "Chậm giải ngân vốn", "s:conclusions", "Cần đẩy nhanh",
		   "a:actions", "Bổ sung hồ sơ@2099-01-31;Báo cáo tiến độ@2099-02-28", NULL);
	id = I(in, "id");
	cr_assert_eq(I(in, "task_id"), task);
	cr_assert_str_eq(S(in, "date"), day(-1));
	cr_assert_str_eq(S(in, "findings"), "Chậm giải ngân vốn");
	cr_assert_str_eq(S(in, "conclusions"), "Cần đẩy nhanh");
	cr_assert_str_eq(S(in, "by"), "Đầu mối Huyện Một");
	acts = field(in, "actions");
	cr_assert_eq(acts->via.array.size, 2);
	cr_assert_str_eq(S(&acts->via.array.ptr[0], "what"), "Bổ sung hồ sơ");
	cr_assert_str_eq(S(&acts->via.array.ptr[1], "due_date"), "2099-02-28");
	cr_assert(is_nil(&acts->via.array.ptr[0], "done_at"));
	cr_assert(!flag(&acts->via.array.ptr[0], "overdue"));
	/* Without actions; by the managing body. */
	OK_AS(&sup_tinh, "inspection.record", "i:task", num(task), "s:date", day(-30),
	      "s:findings", "Đúng kế hoạch", "s:conclusions", "Tiếp tục", NULL);

	l = OK_AS(&viewer1, "inspection.list", "i:task", num(task), NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_eq(count_items(l), 2);
	cr_assert_str_eq(S(item(l, 0), "date"), day(-30)); /* by date */
	cr_assert_eq(field(item(l, 0), "actions")->via.array.size, 0);
	cr_assert_eq(I(item(l, 1), "id"), id);
	cr_assert_eq(field(item(l, 1), "actions")->via.array.size, 2);
}

Test(supervision, the_office_does_the_required_actions_and_late_ones_are_overdue)
{
	struct rpc_error err;
	const msgpack_object *in, *a, *l;
	int64_t task, action, late;

	make_world();
	task = focal_task();
	in = OK_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date", day(-20),
		   "s:findings", "Chậm", "s:conclusions", "Khắc phục", "a:actions",
		   "Bổ sung hồ sơ@2099-01-31", NULL);
	action = I(&field(in, "actions")->via.array.ptr[0], "id");
	/* An action already past its due date, stored directly. */
	begin();
	cr_assert_eq(db_inspection_add_action(world_db, I(in, "id"), T("Nộp báo cáo"), day(-2),
					      &err), RPC_OK, "%s", err.message);
	commit();
	late = action + 1;

	l = OK_AS(&office1, "inspection.actions", "b:open_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_eq(I(item(l, 0), "id"), late);
	cr_assert(flag(item(l, 0), "overdue"));
	cr_assert(!flag(item(l, 1), "overdue"));
	l = OK("inspection.actions", "b:overdue_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 1);
	cr_assert_eq(I(OK_AS(&office2, "inspection.actions", NULL), "total"), 0);

	a = OK_AS(&office1, "inspection.action_done", "i:action", num(late), "s:note",
		  "Đã nộp", NULL);
	cr_assert_str_eq(S(a, "done_note"), "Đã nộp");
	cr_assert_str_eq(S(a, "done_by"), "VP Huyện Một");
	cr_assert(!flag(a, "overdue"));
	cr_assert_eq(FAILS_AS(&office1, "inspection.action_done", "i:action", num(late), NULL),
		     RPC_CONFLICT);
	cr_assert_str_eq(world_last.message, "action: action 2 is already done");
	cr_assert_eq(I(OK("inspection.actions", "b:overdue_only", "1", NULL), "total"), 0);
	/* The focal point may mark one done too. */
	OK_AS(&sup_h1, "inspection.action_done", "i:action", num(action), NULL);
	cr_assert_eq(I(OK("inspection.actions", "b:open_only", "1", NULL), "total"), 0);
}

Test(supervision, inspections_are_refused_by_role_scope_and_params)
{
	const msgpack_object *in;
	int64_t task, other, theirs, action;

	make_world();
	make_district_cadres();
	task = focal_task();
	other = task_in("in_progress");
	theirs = new_task_of("C2", NULL);
	cr_assert_eq(FAILS_AS(&sup_h1, "inspection.record", "i:task", num(other), "s:date",
			      day(0), "s:findings", "x", "s:conclusions", "y", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "inspection.record", "i:task", num(task), "s:date",
			      day(0), "s:findings", "x", "s:conclusions", "y", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_h1, "inspection.record", "i:task", num(theirs), "s:date",
			      day(0), "s:findings", "x", "s:conclusions", "y", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date",
			      day(1), "s:findings", "x", "s:conclusions", "y", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(world_last.message, "in the future"), "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date",
			      day(0), "s:findings", "x", NULL), RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(world_last.message, "conclusions: is required");
	cr_assert_eq(FAILS_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date",
			      day(0), "s:findings", "x", "s:conclusions", "y", "a:actions",
			      "Một@2099-01-01;Hai@2000-01-01", NULL), RPC_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(world_last.message, "actions[1].due_date: 2000-01-01 is before"),
			   "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date",
			      day(0), "s:findings", "x", "s:conclusions", "y", "s:actions", "Một",
			      NULL), RPC_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(world_last.message, "actions: must be an array"), "%s",
			   world_last.message);
	cr_assert_eq(I(OK("inspection.list", "i:task", num(task), NULL), "total"), 0,
		     "a refused inspection was kept");

	in = OK("inspection.record", "i:task", num(theirs), "s:date", day(0), "s:findings", "x",
		"s:conclusions", "y", "a:actions", "Một@2099-01-01", NULL);
	action = I(&field(in, "actions")->via.array.ptr[0], "id");
	cr_assert_eq(FAILS_AS(&office1, "inspection.action_done", "i:action", num(action), NULL),
		     RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "action: no action with id 1");
	cr_assert_eq(FAILS_AS(&viewer1, "inspection.action_done", "i:action", num(action), NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "inspection.list", "i:task", num(theirs), NULL),
		     RPC_NOT_FOUND);
	/* A supervisor of the whole province that is neither focal point nor
	 * managing body of it: assigned by H2. */
	theirs = new_task_of("D2", "H2");
	in = OK("inspection.record", "i:task", num(theirs), "s:date", day(0), "s:findings", "x",
		"s:conclusions", "y", "a:actions", "Hai@2099-01-01", NULL);
	action = I(&field(in, "actions")->via.array.ptr[0], "id");
	OK_AS(&sup_tinh, "inspection.action_done", "i:action", num(action), NULL);
}

/* ---- follow-up checks ---- */

Test(supervision, a_followup_is_scheduled_only_on_an_accepted_task_and_counted)
{
	struct rpc_error err;
	const msgpack_object *f, *l, *counts;
	int64_t task, busy, a, b, c, past;

	make_world();
	busy = focal_task();
	task = focal_task();
	act_ok(&admin, "report_done", task);
	act_ok(&admin, "accept", task);
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.schedule", "i:task", num(busy), "s:due_date",
			      day(90), NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message,
			 "task: task 1 is in_progress; a follow-up check is scheduled only on an "
			 "accepted task");
	f = OK_AS(&sup_h1, "followup.schedule", "i:task", num(task), "s:due_date", day(90),
		  "s:what", "Không còn ách tắc", NULL);
	a = I(f, "id");
	cr_assert_str_eq(S(f, "what"), "Không còn ách tắc");
	cr_assert(is_nil(f, "result"));
	cr_assert(!flag(f, "due"));
	b = I(OK_AS(&sup_tinh, "followup.schedule", "i:task", num(task), "s:due_date", day(180),
		    NULL), "id");
	c = I(OK("followup.schedule", "i:task", num(task), "s:due_date", day(0), NULL), "id");
	begin();
	cr_assert_eq(db_followup_schedule(world_db, task, day(-5), T("Cũ"), sup_h1.account_id,
					  "2026-01-01T00:00:00Z", &past, &err), RPC_OK, "%s",
		     err.message);
	commit();

	f = OK_AS(&sup_h1, "followup.record", "i:followup", num(a), "s:result", "holds", "s:note",
		  "Không tái diễn", NULL);
	cr_assert_str_eq(S(f, "result"), "holds");
	cr_assert_str_eq(S(f, "recorded_by"), "Đầu mối Huyện Một");
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.record", "i:followup", num(a), "s:result",
			      "relapsed", "s:note", "x", NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message, "followup: followup 1 is already recorded");
	OK("followup.record", "i:followup", num(b), "s:result", "relapsed", "s:note",
	   "Ách tắc trở lại", NULL);

	l = OK_AS(&viewer1, "followup.list", "i:task", num(task), NULL);
	cr_assert_eq(I(l, "total"), 4);
	cr_assert_eq(I(item(l, 0), "id"), past); /* by due date */
	cr_assert(flag(item(l, 0), "due"));
	counts = field(l, "counts");
	cr_assert_eq(I(counts, "scheduled"), 4);
	cr_assert_eq(I(counts, "held"), 1);
	cr_assert_eq(I(counts, "relapsed"), 1);
	cr_assert_eq(I(counts, "open"), 2);
	cr_assert_eq(I(counts, "due"), 2); /* past and c (today) */
	l = OK_AS(&office1, "followup.list", "b:open_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_eq(I(item(l, 1), "id"), c);
	cr_assert_eq(I(field(l, "counts"), "scheduled"), 4);
	cr_assert_eq(I(field(OK_AS(&office2, "followup.list", NULL), "counts"), "scheduled"), 0);
}

Test(supervision, followups_are_refused_by_role_scope_and_params)
{
	int64_t task, other, theirs, id;

	make_world();
	task = focal_task();
	act_ok(&admin, "report_done", task);
	act_ok(&admin, "accept", task);
	other = task_in("accepted");
	theirs = new_task_of("C2", NULL);
	drive(theirs, "accepted");
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.schedule", "i:task", num(other), "s:due_date",
			      day(30), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "followup.schedule", "i:task", num(task), "s:due_date",
			      day(30), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.schedule", "i:task", num(theirs), "s:due_date",
			      day(30), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.schedule", "i:task", num(task), "s:due_date",
			      day(-1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.schedule", "i:task", num(task), NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(world_last.message, "due_date: is required");

	id = I(OK("followup.schedule", "i:task", num(theirs), "s:due_date", day(30), NULL), "id");
	cr_assert_eq(FAILS_AS(&sup_h1, "followup.record", "i:followup", num(id), "s:result",
			      "holds", "s:note", "x", NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "followup: no followup with id 1");
	cr_assert_eq(FAILS_AS(&office2, "followup.record", "i:followup", num(id), "s:result",
			      "holds", "s:note", "x", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS("followup.record", "i:followup", num(id), "s:result", "maybe",
			   "s:note", "x", NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("followup.record", "i:followup", num(id), "s:result", "holds", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&office1, "followup.list", "i:task", num(theirs), NULL),
		     RPC_NOT_FOUND);
	OK_AS(&sup_tinh, "followup.record", "i:followup", num(id), "s:result", "holds", "s:note",
	      "Ổn định", NULL);
}

/* ---- the audit trail ---- */

Test(supervision, each_change_is_one_audit_entry)
{
	const msgpack_object *e, *in;
	int64_t task, u, n, id;

	make_world();
	task = focal_task();
	u = report(task, "50");
	n = audit_of_task(task);

	OK_AS(&sup_h1, "update.return", "i:update", num(u), "s:reason", "Sai số liệu", NULL);
	cr_assert_eq(audit_of_task(task), n + 1);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "update.return");
	cr_assert_str_eq(S(e, "object_type"), "update");
	cr_assert(is_nil(field(e, "before"), "appraisal"));
	cr_assert_str_eq(S(field(field(e, "after"), "appraisal"), "verdict"), "returned");

	id = I(OK_AS(&sup_h1, "explanation.request", "i:task", num(task), "s:question", "Vì sao?",
		     "s:answer_by", day(3), NULL), "id");
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "object_type"), "explanation");
	cr_assert(is_nil(e, "before"));
	OK_AS(&office1, "explanation.answer", "i:explanation", num(id), "s:answer", "Vì mưa",
	      NULL);
	e = audit_newest(task);
	cr_assert(is_nil(field(e, "before"), "answer"));
	cr_assert_str_eq(S(field(e, "after"), "answer"), "Vì mưa");

	in = OK_AS(&sup_h1, "inspection.record", "i:task", num(task), "s:date", day(0),
		   "s:findings", "x", "s:conclusions", "y", "a:actions", "Làm@2099-01-01", NULL);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "object_type"), "inspection");
	cr_assert_eq(field(field(e, "after"), "actions")->via.array.size, 1);
	OK_AS(&office1, "inspection.action_done", "i:action",
	      num(I(&field(in, "actions")->via.array.ptr[0], "id")), NULL);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "object_type"), "action");
	cr_assert(is_nil(field(e, "before"), "done_at"));
	cr_assert(!is_nil(field(e, "after"), "done_at"));
	cr_assert_eq(audit_of_task(task), n + 5);

	act_ok(&admin, "report_done", task);
	act_ok(&admin, "accept", task);
	n = audit_of_task(task);
	id = I(OK_AS(&sup_h1, "followup.schedule", "i:task", num(task), "s:due_date", day(60),
		     NULL), "id");
	OK_AS(&sup_h1, "followup.record", "i:followup", num(id), "s:result", "holds", "s:note",
	      "Ổn", NULL);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "object_type"), "followup");
	cr_assert(is_nil(field(e, "before"), "result"));
	cr_assert_str_eq(S(field(e, "after"), "result"), "holds");
	cr_assert_eq(audit_of_task(task), n + 2);
	/* A refused change leaves nothing. */
	FAILS_AS(&sup_h1, "followup.record", "i:followup", num(id), "s:result", "holds", "s:note",
		 "x", NULL);
	cr_assert_eq(audit_of_task(task), n + 2);
	cr_assert_eq(I(OK("audit.verify", NULL), "entries"), audit_total());
}
