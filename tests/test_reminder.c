/*
 * test_reminder.c: focal points and reminders (đôn đốc) (server/methods/reminder.c,
 * PROTOCOL.md 6c), through the dispatcher on a fresh temporary database per
 * test: naming a focal point; sending, answering and listing reminders;
 * each side's inbox; the overdue flag (answer_by before today, dates
 * computed from today); validation and scope; one audit entry per change.
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
#include "pack.h"

#include "db_reminder.h"
#include "world.h"

TestSuite(reminder, .init = world_setup, .fini = world_teardown, .timeout = 120);

static int64_t send_as(struct identity *who, int64_t task, const char *msg, const char *by)
{
	return I(OK_AS(who, "reminder.send", "i:task", num(task), "s:message", msg, "s:answer_by",
		       by, NULL), "id");
}

/* A reminder whose answer_by is already past, stored directly (the API
 * refuses a date in the past), as if sent days ago by account `from`. */
static int64_t send_past(int64_t task, int64_t from, const char *msg, const char *by)
{
	struct rpc_error err;
	struct text m = {msg, strlen(msg)};
	int64_t id;

	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK);
	cr_assert_eq(db_reminder_send(world_db, task, from, m, by, "2026-01-01T00:00:00Z", &id,
				      &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(world_db, &err), RPC_OK);
	return id;
}

/* A task of H1 assigned by TINH with suph1 as its focal point. */
static int64_t focal_task(void)
{
	int64_t t = new_task();

	OK("task.set_focal_point", "i:task", num(t), "s:account", "suph1", NULL);
	return t;
}

/* ---- the focal point ---- */

Test(reminder, the_focal_point_is_a_supervisor_whose_scope_holds_the_task)
{
	const msgpack_object *t, *fp;
	int64_t task, theirs;

	make_world();
	make_district_cadres();
	task = new_task_of("D1", "H1");
	theirs = new_task_of("C2", NULL);
	cr_assert(is_nil(get_task(task), "focal_point"));
	/* The managing body (suph1's scope holds H1, which assigned it). */
	t = OK_AS(&sup_h1, "task.set_focal_point", "i:task", num(task), "s:account", "suph1", NULL);
	fp = field(t, "focal_point");
	cr_assert_eq(I(fp, "id"), sup_h1.account_id);
	cr_assert_str_eq(S(fp, "login"), "suph1");
	cr_assert_str_eq(S(fp, "display_name"), "Đầu mối Huyện Một");
	cr_assert_str_eq(S(field(get_task(task), "focal_point"), "login"), "suph1");
	/* Not an office, not a supervisor whose scope misses the task's unit. */
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(task), "s:account", "office1",
			   NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(theirs), "s:account", "suph1",
			   NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(task), "s:account", "nobody",
			   NULL), RPC_NOT_FOUND);
	/* Only the managing body: TINH assigned this one, so not suph1. */
	cr_assert_eq(FAILS_AS(&sup_h1, "task.set_focal_point", "i:task", num(new_task()),
			      "s:account", "suph1", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_h1, "task.set_focal_point", "i:task", num(theirs),
			      "s:account", "suph1", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "task.set_focal_point", "i:task", num(task),
			      "s:account", "suph1", NULL), RPC_FORBIDDEN);
	OK_AS(&sup_tinh, "task.set_focal_point", "i:task", num(theirs), "s:account", "suptinh",
	      NULL);

	/* Clearing: `clear` instead of an account, never both or neither. */
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(task), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(task), "s:account", "suph1",
			   "b:clear", "1", NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&office1, "task.set_focal_point", "i:task", num(task), "b:clear",
			      "1", NULL), RPC_FORBIDDEN);
	cr_assert_str_eq(S(field(get_task(task), "focal_point"), "login"), "suph1");
	t = OK_AS(&sup_h1, "task.set_focal_point", "i:task", num(task), "b:clear", "1", NULL);
	cr_assert(is_nil(t, "focal_point"));
	cr_assert(is_nil(get_task(task), "focal_point"));
}

/* ---- sending, answering, listing ---- */

Test(reminder, the_focal_point_sends_and_the_office_answers)
{
	const msgpack_object *r, *l;
	int64_t task, id;

	make_world();
	task = focal_task();
	r = OK_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message",
		  "Đề nghị báo cáo tiến độ", "s:answer_by", day(3), NULL);
	id = I(r, "id");
	cr_assert_eq(I(r, "task_id"), task);
	cr_assert_str_eq(S(r, "task_title"), "Chuyển đổi số");
	cr_assert_eq(I(r, "from_account_id"), sup_h1.account_id);
	cr_assert_str_eq(S(r, "from"), "Đầu mối Huyện Một");
	cr_assert_str_eq(S(r, "message"), "Đề nghị báo cáo tiến độ");
	cr_assert_str_eq(S(r, "answer_by"), day(3));
	cr_assert(is_nil(r, "answer"));
	cr_assert(is_nil(r, "answered_at"));
	cr_assert(!flag(r, "overdue"));
	/* Today is not in the past. */
	send_as(&sup_h1, task, "Hạn hôm nay", day(0));

	r = OK_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer",
		  "Đã hoàn thành khảo sát", NULL);
	cr_assert_str_eq(S(r, "answer"), "Đã hoàn thành khảo sát");
	cr_assert(!is_nil(r, "answered_at"));
	cr_assert_eq(I(r, "answered_by_account_id"), office1.account_id);
	cr_assert_str_eq(S(r, "answered_by"), "VP Huyện Một");
	cr_assert_eq(FAILS_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer",
			      "Lần nữa", NULL), RPC_CONFLICT);
	cr_assert_str_eq(world_last.message, "reminder: reminder 1 is already answered");

	l = OK_AS(&viewer1, "reminder.list", "i:task", num(task), NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_eq(I(item(l, 0), "id"), id);
	l = OK_AS(&sup_h1, "reminder.list", "i:task", num(task), "b:open_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 1);
	cr_assert(is_nil(item(l, 0), "answer"));
	/* The managing body and an admin may remind too. */
	send_as(&sup_tinh, task, "Tỉnh nhắc", day(1));
	send_as(&admin, task, "Quản trị nhắc", day(1));
}

Test(reminder, overdue_reminders_are_flagged_to_both_sides)
{
	const msgpack_object *in;
	int64_t task, late, soon, later, answered;

	make_world();
	task = focal_task();
	later = send_as(&sup_h1, task, "Sau", day(10));
	soon = send_as(&sup_h1, task, "Sớm", day(1));
	late = send_past(task, sup_h1.account_id, "Quá hạn", day(-2));
	answered = send_past(task, sup_h1.account_id, "Đã trả lời", day(-5));
	OK_AS(&office1, "reminder.answer", "i:reminder", num(answered), "s:answer", "Xong", NULL);
	/* Someone else's reminder: not in suph1's sent inbox. */
	send_as(&admin, task, "Của quản trị", day(2));

	/* The office: every open reminder of its tasks, overdue first. */
	in = OK_AS(&office1, "reminder.inbox", NULL);
	cr_assert_eq(I(in, "total"), 4);
	cr_assert_eq(I(item(in, 0), "id"), late);
	cr_assert(flag(item(in, 0), "overdue"));
	cr_assert_eq(I(item(in, 1), "id"), soon);
	cr_assert(!flag(item(in, 1), "overdue"));
	cr_assert_eq(I(item(in, 3), "id"), later);
	/* The viewer sees the same. */
	cr_assert_eq(I(OK_AS(&viewer1, "reminder.inbox", NULL), "total"), 4);
	/* The sender: its own unanswered ones, the overdue one flagged. */
	in = OK_AS(&sup_h1, "reminder.inbox", NULL);
	cr_assert_eq(I(in, "total"), 3);
	cr_assert_eq(I(item(in, 0), "id"), late);
	cr_assert(flag(item(in, 0), "overdue"));
	cr_assert_eq(I(item(in, 2), "id"), later);
	/* Another district's office has nothing. */
	cr_assert_eq(I(OK_AS(&office2, "reminder.inbox", NULL), "total"), 0);
	cr_assert_eq(count_items(OK_AS(&sup_tinh, "reminder.inbox", NULL)), 0);

	/* The list's filters. */
	in = OK("reminder.list", "b:overdue_only", "1", NULL);
	cr_assert_eq(I(in, "total"), 1);
	cr_assert_eq(I(item(in, 0), "id"), late);
	cr_assert_eq(I(OK("reminder.list", "b:open_only", "1", NULL), "total"), 4);
	cr_assert_eq(I(OK("reminder.list", NULL), "total"), 5);
	/* An answered reminder past its date is not overdue. */
	in = OK("reminder.list", "i:task", num(task), NULL);
	cr_assert_eq(I(item(in, 3), "id"), answered);
	cr_assert(!flag(item(in, 3), "overdue"));
	/* Answering clears the flag from both sides. */
	OK_AS(&office1, "reminder.answer", "i:reminder", num(late), "s:answer", "Đã làm", NULL);
	cr_assert(!flag(item(OK_AS(&sup_h1, "reminder.inbox", NULL), 0), "overdue"));
	cr_assert_eq(I(OK("reminder.list", "b:overdue_only", "1", NULL), "total"), 0);
}

/* ---- validation and scope ---- */

Test(reminder, refuses_bad_requests)
{
	int64_t task, theirs, id;

	make_world();
	task = focal_task();
	theirs = new_task_of("C2", NULL);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "",
			      "s:answer_by", day(1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "   ",
			      "s:answer_by", day(1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "x",
			      "s:answer_by", day(-1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(world_last.message, "in the past"), "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "x",
			      NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("reminder.send", "i:task", "9999", "s:message", "x", "s:answer_by",
			   day(1), NULL), RPC_NOT_FOUND);
	/* Out of scope reads like unknown. */
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(theirs), "s:message", "x",
			      "s:answer_by", day(1), NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "task: no task with id 2");
	/* An office, a viewer may not send. */
	cr_assert_eq(FAILS_AS(&office1, "reminder.send", "i:task", num(task), "s:message", "x",
			      "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&viewer1, "reminder.send", "i:task", num(task), "s:message", "x",
			      "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	/* A supervisor with the task in scope but neither focal point nor
	 * managing body may not. */
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(new_task()), "s:message",
			      "x", "s:answer_by", day(1), NULL), RPC_FORBIDDEN);

	id = send_as(&admin, theirs, "Huyện Hai", day(1));
	cr_assert_eq(FAILS_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer", "x",
			      NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "reminder: no reminder with id 1");
	cr_assert_eq(FAILS_AS(&office1, "reminder.answer", "i:reminder", "77", "s:answer", "x",
			      NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office2, "reminder.answer", "i:reminder", num(id), "s:answer", "",
			      NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_tinh, "reminder.answer", "i:reminder", num(id), "s:answer",
			      "x", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "reminder.list", "i:task", num(theirs), NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(I(OK_AS(&office1, "reminder.list", NULL), "total"), 0);
	OK_AS(&office2, "reminder.answer", "i:reminder", num(id), "s:answer", "Đã làm", NULL);
}

/* ---- the audit trail ---- */

Test(reminder, each_change_is_one_audit_entry)
{
	int64_t task, id, n;
	const msgpack_object *e;

	make_world();
	task = new_task();
	n = audit_of_task(task);
	OK("task.set_focal_point", "i:task", num(task), "s:account", "suph1", NULL);
	cr_assert_eq(audit_of_task(task), n + 1);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "task.set_focal_point");
	cr_assert(is_nil(field(e, "before"), "focal_point"));
	cr_assert_str_eq(S(field(field(e, "after"), "focal_point"), "login"), "suph1");

	id = send_as(&sup_h1, task, "Nhắc", day(2));
	cr_assert_eq(audit_of_task(task), n + 2);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "reminder.send");
	cr_assert_str_eq(S(e, "object_type"), "reminder");
	cr_assert_eq(I(e, "object_id"), id);
	cr_assert(is_nil(e, "before"));
	cr_assert_str_eq(S(field(e, "after"), "message"), "Nhắc");

	OK_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer", "Đã làm", NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "reminder.answer");
	cr_assert(is_nil(field(e, "before"), "answer"));
	cr_assert_str_eq(S(field(e, "after"), "answer"), "Đã làm");

	FAILS_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer", "x", NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	cr_assert_eq(I(OK("audit.verify", NULL), "entries"), audit_total());
}
