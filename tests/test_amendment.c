/*
 * test_amendment.c: amendments to an assigned task (PROTOCOL.md 6g).  Once
 * a task is assigned, its title, product and due date change only by an
 * amendment the managing body approves; the task shows the approved
 * version until then, and each amendment keeps the version it replaced.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "errors.h"
#include "world.h"

TestSuite(amendment, .init = world_setup, .fini = world_teardown, .timeout = 120);

static int64_t propose(struct identity *who, int64_t task, const char *due)
{
	return I(OK_AS(who, "amendment.propose", "i:task", num(task), "s:due_date", due,
		       "s:reason", "Chờ vốn ngân sách năm sau", NULL),
		 "id");
}

static int64_t audit_count(int64_t task)
{
	return I(OK("audit.list", "i:task", num(task), "i:limit", "1", NULL), "total");
}

Test(amendment, the_office_proposes_and_the_managing_body_approves)
{
	const msgpack_object *m, *t, *l;
	int64_t task, id, entries;

	make_world();
	task = task_in("in_progress");
	/* Straight edits of substance are refused once assigned, even to an admin. */
	cr_assert_eq(FAILS_AS(&office1, "task.update", "i:task", num(task), "s:title", "Mới", NULL),
		     RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "amendment.propose"), "%s", world_last.message);
	cr_assert_eq(FAILS("task.update", "i:task", num(task), "s:due_date", "2025-06-30", NULL),
		     RPC_CONFLICT);

	entries = audit_count(task);
	m = OK_AS(&office1, "amendment.propose", "i:task", num(task), "s:title", "Tên mới",
		  "s:due_date", "2025-06-30", "s:reason", "Chờ vốn", NULL);
	id = I(m, "id");
	cr_assert_str_eq(S(m, "status"), "pending");
	cr_assert_str_eq(S(m, "title"), "Tên mới");
	cr_assert(is_nil(m, "product"));
	cr_assert_str_eq(S(m, "due_date"), "2025-06-30");
	cr_assert_str_eq(S(m, "old_due_date"), S(get_task(task), "due_date"));
	cr_assert_eq(I(m, "proposed_by_account_id"), office1.account_id);
	cr_assert_eq(audit_count(task), entries + 1);

	/* Until approved the task is the approved version, the proposal beside it. */
	t = get_task(task);
	cr_assert_str_neq(S(t, "title"), "Tên mới");
	cr_assert_eq(I(field(t, "pending_amendment"), "id"), id);

	/* One pending at a time. */
	cr_assert_eq(FAILS_AS(&office1, "amendment.propose", "i:task", num(task), "s:title", "X",
			      "s:reason", "r", NULL),
		     RPC_CONFLICT);

	/* The managing body (TINH assigned it): not suph1, not an office. */
	cr_assert_eq(FAILS_AS(&sup_h1, "amendment.approve", "i:amendment", num(id), NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "amendment.approve", "i:amendment", num(id), NULL),
		     RPC_FORBIDDEN);
	m = OK_AS(&sup_tinh, "amendment.approve", "i:amendment", num(id), "s:note", "Đồng ý", NULL);
	cr_assert_str_eq(S(m, "status"), "approved");
	cr_assert_str_eq(S(m, "decision_note"), "Đồng ý");
	cr_assert(!is_nil(m, "decided_at"));
	t = get_task(task);
	cr_assert_str_eq(S(t, "title"), "Tên mới");
	cr_assert_str_eq(S(t, "due_date"), "2025-06-30");
	cr_assert(is_nil(t, "pending_amendment"));
	/* Two entries: the amendment's, and the task's new version. */
	cr_assert_eq(audit_count(task), entries + 3);
	cr_assert_eq(FAILS_AS(&sup_tinh, "amendment.approve", "i:amendment", num(id), NULL),
		     RPC_CONFLICT);
	cr_assert_eq(FAILS_AS(&sup_tinh, "amendment.reject", "i:amendment", num(id), "s:reason",
			      "muộn", NULL),
		     RPC_CONFLICT);

	/* The history of approved versions. */
	propose(&office1, task, "2025-09-30");
	l = OK_AS(&viewer1, "amendment.list", "i:task", num(task), NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_str_eq(S(item(l, 0), "status"), "approved");
	cr_assert_str_eq(S(item(l, 1), "status"), "pending");
	cr_assert_str_eq(S(item(l, 1), "old_due_date"), "2025-06-30");
	cr_assert_str_eq(S(item(l, 1), "old_title"), "Tên mới");
}

Test(amendment, a_rejection_leaves_the_task_as_it_was)
{
	int64_t task, id;
	char due[16];

	make_world();
	task = task_in("assigned");
	snprintf(due, sizeof(due), "%s", S(get_task(task), "due_date"));
	id = propose(&office1, task, "2025-03-31");
	cr_assert_eq(FAILS_AS(&sup_tinh, "amendment.reject", "i:amendment", num(id), NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(S(OK_AS(&sup_tinh, "amendment.reject", "i:amendment", num(id),
				 "s:reason", "Không có căn cứ", NULL),
			   "status"),
			 "rejected");
	cr_assert_str_eq(S(get_task(task), "due_date"), due);
	cr_assert(is_nil(get_task(task), "pending_amendment"));
	/* Free to propose again. */
	propose(&office1, task, "2025-04-30");
}

Test(amendment, only_assigned_and_in_progress_tasks_are_amended)
{
	const char *const refused[] = {"registered", "reviewed", "returned", "reported_done",
				       "accepted", "cancelled"};

	make_world();
	for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		int64_t task = task_in(refused[i]);

		cr_assert_eq(FAILS("amendment.propose", "i:task", num(task), "s:title", "X",
				   "s:reason", "r", NULL),
			     RPC_CONFLICT, "%s", refused[i]);
		cr_assert(strstr(world_last.message, refused[i]), "%s", world_last.message);
	}
	/* A task reported done keeps its substance, admin or not. */
	cr_assert_eq(FAILS("task.update", "i:task", num(task_in("reported_done")), "s:product",
			   "X", NULL),
		     RPC_CONFLICT);
	/* Other fields an admin may still correct. */
	OK("task.update", "i:task", num(task_in("in_progress")), "s:description", "Bổ sung", NULL);
}

Test(amendment, an_approval_waits_for_a_task_still_being_worked_on)
{
	int64_t task, id;

	make_world();
	task = task_in("in_progress");
	id = propose(&office1, task, "2025-05-31");
	act_ok(&office1, "report_done", task);
	cr_assert_eq(FAILS("amendment.approve", "i:amendment", num(id), NULL), RPC_CONFLICT);
	/* Sent back, it may be approved again. */
	act_ok(&admin, "send_back", task);
	OK("amendment.approve", "i:amendment", num(id), NULL);
	cr_assert_str_eq(S(get_task(task), "due_date"), "2025-05-31");
}

Test(amendment, bad_params_and_scope)
{
	int64_t task, theirs, id;
	char msg[64];

	make_world();
	task = task_in("assigned");
	theirs = new_task_of("C2", NULL);
	drive(theirs, "assigned");
	cr_assert_eq(FAILS_AS(&office1, "amendment.propose", "i:task", num(task), "s:reason", "r",
			      NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&office1, "amendment.propose", "i:task", num(task), "s:title", "X",
			      NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&office1, "amendment.propose", "i:task", num(task), "s:title", "X",
			      "s:reason", "  ", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&office1, "amendment.propose", "i:task", num(task), "s:due_date",
			      "2025-02-30", "s:reason", "r", NULL),
		     RPC_INVALID_ARGUMENT);
	/* Out of scope reads as missing. */
	cr_assert_eq(FAILS_AS(&office1, "amendment.propose", "i:task", num(theirs), "s:title", "X",
			      "s:reason", "r", NULL),
		     RPC_NOT_FOUND);
	id = propose(&office2, theirs, "2025-05-31");
	cr_assert_eq(FAILS_AS(&sup_h1, "amendment.approve", "i:amendment", num(id), NULL),
		     RPC_NOT_FOUND);
	snprintf(msg, sizeof(msg), "amendment: no amendment with id %lld", (long long)id);
	cr_assert_str_eq(world_last.message, msg);
	cr_assert_eq(FAILS_AS(&office1, "amendment.list", "i:task", num(theirs), NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS("amendment.approve", "i:amendment", "9999", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&viewer1, "amendment.propose", "i:task", num(task), "s:title", "X",
			      "s:reason", "r", NULL),
		     RPC_FORBIDDEN);
}
