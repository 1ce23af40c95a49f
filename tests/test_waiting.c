/*
 * test_waiting.c: what waits for an account (server/store/db_waiting.c,
 * server/methods/inbox.c, PROTOCOL.md 6 session.auth and 6e inbox.get),
 * through the dispatcher on a fresh temporary database per test: each
 * role's counts, with records of other scopes, answered, done, appraised
 * or not yet due left out; inbox.get listing exactly what is counted; and
 * session.auth giving the same counts only when asked, and only after a
 * good token.
 */
#include <criterion/criterion.h>

#include <string.h>

#include "db.h"
#include "db_reminder.h"
#include "obj.h"

#include "world.h"

TestSuite(waiting, .init = world_setup, .fini = world_teardown, .timeout = 120);

static struct text txt(const char *s)
{
	return (struct text){s, strlen(s)};
}

/* A reminder from account `from` on task whose answer_by is `by` (past
 * dates too: stored directly, as if sent days ago); its id. */
static int64_t remind(int64_t task, int64_t from, const char *by)
{
	struct rpc_error err;
	int64_t id;

	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK);
	cr_assert_eq(db_reminder_send(world_db, task, from, txt("Đề nghị báo cáo"), by,
				      "2026-01-01T00:00:00Z", &id, &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(world_db, &err), RPC_OK);
	return id;
}

static int64_t ask(int64_t task)
{
	return I(OK("explanation.request", "i:task", num(task), "s:question", "Vì sao chậm?",
		    "s:answer_by", day(5), NULL), "id");
}

/* An inspection of task a month ago with one action due `offset` days
 * from today (past ones are overdue); the action's id. */
static int64_t inspect(int64_t task, long offset)
{
	char actions[64];
	const msgpack_object *r, *a;

	snprintf(actions, sizeof(actions), "Bổ sung hồ sơ@%s", day(offset));
	r = OK("inspection.record", "i:task", num(task), "s:date", day(-30), "s:findings", "Chậm",
	       "s:conclusions", "Đẩy nhanh", "a:actions", actions, NULL);
	a = field(r, "actions");
	cr_assert_eq(a->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_eq(a->via.array.size, 1);
	return I(&a->via.array.ptr[0], "id");
}

/* The six counts, in PROTOCOL.md's order, checked against o. */
static void expect_counts(const msgpack_object *o, int64_t reminders, int64_t overdue,
			  int64_t explanations, int64_t actions, int64_t appraisals,
			  int64_t sent_overdue)
{
	static const char *const keys[] = {"reminders", "reminders_overdue", "explanations",
					   "actions", "appraisals", "sent_overdue"};
	const int64_t want[] = {reminders, overdue, explanations, actions, appraisals,
				sent_overdue};

	cr_assert_eq(o->type, MSGPACK_OBJECT_MAP);
	cr_assert_eq(o->via.map.size, 6);
	for (int i = 0; i < 6; i++)
		cr_expect_eq(I(o, keys[i]), want[i], "%s: %lld, expected %lld", keys[i],
			     (long long)I(o, keys[i]), (long long)want[i]);
}

/* inbox.get as who: the counts are what its lists hold, and each list
 * its count (reminders and sent_overdue: the number of items). */
static const msgpack_object *inbox_of(struct identity *who)
{
	static const char *const parts[][2] = {
		{"reminders", "reminders"}, {"explanations", "explanations"},
		{"actions", "actions"}, {"appraisals", "appraisals"},
		{"sent_overdue", "sent_overdue"},
	};
	const msgpack_object *r = OK_AS(who, "inbox.get", NULL), *w = field(r, "waiting");

	for (size_t i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const msgpack_object *part = field(r, parts[i][0]);

		cr_expect_eq(I(part, "total"), I(w, parts[i][1]), "%s: listed %lld, counted %lld",
			     parts[i][0], (long long)I(part, "total"), (long long)I(w, parts[i][1]));
		cr_expect_eq((int64_t)count_items(part), I(part, "total"));
	}
	return r;
}

/* True if list part of r holds the item with that id. */
static bool lists(const msgpack_object *r, const char *part, int64_t id)
{
	const msgpack_object *l = field(r, part);

	for (uint32_t i = 0; i < count_items(l); i++)
		if (I(item(l, i), "id") == id)
			return true;
	return false;
}

Test(waiting, an_office_counts_what_its_scope_must_answer_or_do_and_nothing_else)
{
	const msgpack_object *r;
	int64_t mine, theirs, open, late, answered, e, e_answered, soon, past, far, done;

	make_world();
	mine = new_task();               /* H1: office1's */
	theirs = new_task_of("C2", NULL); /* H2: office2's */
	open = remind(mine, admin.account_id, day(3));
	late = remind(mine, admin.account_id, day(-2));
	answered = remind(mine, admin.account_id, day(3));
	OK_AS(&office1, "reminder.answer", "i:reminder", num(answered), "s:answer", "Đã làm", NULL);
	remind(theirs, admin.account_id, day(-2));
	e = ask(mine);
	e_answered = ask(mine);
	OK_AS(&office1, "explanation.answer", "i:explanation", num(e_answered), "s:answer", "Vì",
	      NULL);
	ask(theirs);
	soon = inspect(mine, 7);  /* due on the 7th day: counts */
	past = inspect(mine, -1); /* overdue: counts */
	far = inspect(mine, 8);   /* not yet */
	done = inspect(mine, 2);
	OK_AS(&office1, "inspection.action_done", "i:action", num(done), NULL);
	inspect(theirs, 1);

	r = inbox_of(&office1);
	expect_counts(field(r, "waiting"), 2, 1, 1, 2, 0, 0);
	cr_assert(lists(r, "reminders", open) && lists(r, "reminders", late));
	cr_assert(!lists(r, "reminders", answered));
	cr_assert(lists(r, "explanations", e) && !lists(r, "explanations", e_answered));
	cr_assert(lists(r, "actions", soon) && lists(r, "actions", past));
	cr_assert(!lists(r, "actions", far) && !lists(r, "actions", done));
	/* Overdue first, as the inbox reads. */
	cr_assert_eq(I(item(field(r, "reminders"), 0), "id"), late);
	cr_assert_eq(I(item(field(r, "actions"), 0), "id"), past);

	expect_counts(field(inbox_of(&office2), "waiting"), 1, 1, 1, 1, 0, 0);
	/* A viewer of H1 answers nothing; a supervisor of H1 is no office. */
	expect_counts(field(inbox_of(&viewer1), "waiting"), 0, 0, 0, 0, 0, 0);
	expect_counts(field(inbox_of(&sup_h1), "waiting"), 0, 0, 0, 0, 0, 0);
	/* The admin's office side would be every office's work: not counted;
	 * it sent the reminders, and chases the two overdue. */
	expect_counts(field(inbox_of(&admin), "waiting"), 0, 0, 0, 0, 0, 2);
}

/* A task of H1 with suph1 as its focal point, started, so updates come. */
static int64_t focal_task(void)
{
	int64_t t = task_in("in_progress");

	OK("task.set_focal_point", "i:task", num(t), "s:account", "suph1", NULL);
	return t;
}

static int64_t report(int64_t task)
{
	return I(OK_AS(&office1, "update.create", "i:task", num(task), "i:percent", "10",
		       "s:done", "Đã làm", NULL), "id");
}

Test(waiting, a_focal_point_counts_its_updates_to_appraise_and_its_overdue_reminders)
{
	const msgpack_object *r;
	int64_t t, finished, other, a, b, c, mine_late;

	make_world();
	t = focal_task();
	a = report(t);
	b = report(t);
	c = report(t);
	OK_AS(&sup_h1, "update.accept", "i:update", num(a), NULL);
	OK_AS(&sup_h1, "update.return", "i:update", num(b), "s:reason", "Sai số liệu", NULL);
	/* A finished task's updates are not appraised. */
	finished = focal_task();
	report(finished);
	act_ok(&office1, "report_done", finished);
	act_ok(&admin, "accept", finished);
	/* A task whose focal point is someone else (none). */
	other = task_in("in_progress");
	report(other);
	/* Reminders: its own overdue one counts, not its own due later, not
	 * one answered, not the admin's. */
	mine_late = remind(t, sup_h1.account_id, day(-1));
	remind(t, sup_h1.account_id, day(2));
	OK_AS(&office1, "reminder.answer", "i:reminder",
	      num(remind(t, sup_h1.account_id, day(-3))), "s:answer", "Rồi", NULL);
	remind(t, admin.account_id, day(-1));

	r = inbox_of(&sup_h1);
	expect_counts(field(r, "waiting"), 0, 0, 0, 0, 1, 1);
	cr_assert(lists(r, "appraisals", c));
	cr_assert_str_eq(S(item(field(r, "appraisals"), 0), "task_title"),
			 S(get_task(t), "title"));
	cr_assert(lists(r, "sent_overdue", mine_late));
	/* The managing body is no focal point; the admin chases its own. */
	expect_counts(field(inbox_of(&sup_tinh), "waiting"), 0, 0, 0, 0, 0, 0);
	expect_counts(field(inbox_of(&admin), "waiting"), 0, 0, 0, 0, 0, 1);
	/* The office of the task sees its reminders, not the appraisals. */
	expect_counts(field(inbox_of(&office1), "waiting"), 3, 2, 0, 0, 0, 0);
}

Test(waiting, an_admin_as_focal_point_counts_over_the_whole_tree)
{
	int64_t t;

	make_world();
	t = task_in("in_progress");
	OK("task.set_focal_point", "i:task", num(t), "s:account", "admin", NULL);
	report(t);
	expect_counts(field(inbox_of(&admin), "waiting"), 0, 0, 0, 0, 1, 0);
	expect_counts(field(inbox_of(&sup_h1), "waiting"), 0, 0, 0, 0, 0, 0);
}

/* session.auth as a connection not yet signed in, with a token of
 * office1; `waiting` as given ("" for none). */
static const msgpack_object *sign_in(const char *token, const char *waiting)
{
	static struct identity nobody;

	memset(&nobody, 0, sizeof(nobody));
	snprintf(nobody.address, sizeof(nobody.address), "127.0.0.1");
	if (!*waiting)
		return world_request(&nobody, "session.auth", FIELDS("s:token", token, NULL));
	return world_request(&nobody, "session.auth",
			     FIELDS("s:token", token, "b:waiting", waiting, NULL));
}

Test(waiting, session_auth_gives_the_counts_only_when_asked_and_only_to_a_good_token)
{
	const msgpack_object *r;
	char token[128];
	int64_t t;

	make_world();
	t = new_task();
	remind(t, admin.account_id, day(-2));
	ask(t);
	snprintf(token, sizeof(token), "%s",
		 S(OK("token.create", "s:account", "office1", "s:name", "máy 2", NULL), "token"));

	r = sign_in(token, "1");
	cr_assert_not_null(r, "%s", world_last.message);
	expect_counts(field(r, "waiting"), 1, 1, 1, 0, 0, 0);
	cr_assert_not_null(obj_get(r, "account"));
	r = sign_in(token, "0");
	cr_assert_not_null(r);
	cr_assert_null(obj_get(r, "waiting"));
	r = sign_in(token, "");
	cr_assert_not_null(r);
	cr_assert_null(obj_get(r, "waiting"));
	cr_assert_eq(r->via.map.size, 2);
	/* A wrong token asking for them gets the same one error. */
	cr_assert_null(sign_in("dp1_0000000000000000000000000000000000000000000000000000000000000000",
			       "1"));
	cr_assert_eq(world_last.code, RPC_UNAUTHENTICATED);
}

Test(waiting, a_sign_in_keeps_the_counts_until_a_write_could_change_them)
{
	const msgpack_object *r;
	char token[128];
	int64_t t, first;

	make_world();
	t = new_task();
	snprintf(token, sizeof(token), "%s",
		 S(OK("token.create", "s:account", "office1", "s:name", "máy 3", NULL), "token"));
	first = remind(t, admin.account_id, day(3));
	expect_counts(field(sign_in(token, "1"), "waiting"), 1, 0, 0, 0, 0, 0);
	/* Stored behind the dispatcher's back: the kept counts still hold... */
	remind(t, admin.account_id, day(3));
	expect_counts(field(sign_in(token, "1"), "waiting"), 1, 0, 0, 0, 0, 0);
	/* ...and a write that cannot change them (a progress update) keeps them. */
	drive(t, "in_progress");
	OK_AS(&office1, "update.create", "i:task", num(t), "i:percent", "5", "s:done", "x", NULL);
	/* (drive() moved the task: a task write, so they were counted again.) */
	expect_counts(field(sign_in(token, "1"), "waiting"), 2, 0, 0, 0, 0, 0);
	remind(t, admin.account_id, day(3));
	OK_AS(&office1, "update.create", "i:task", num(t), "i:percent", "6", "s:done", "y", NULL);
	expect_counts(field(sign_in(token, "1"), "waiting"), 2, 0, 0, 0, 0, 0);
	/* An answer is a reminder's write: counted again, the ones stored
	 * behind the back included (4 sent, 1 answered). */
	remind(t, admin.account_id, day(3));
	OK_AS(&office1, "reminder.answer", "i:reminder", num(first), "s:answer", "Đã làm", NULL);
	r = sign_in(token, "1");
	expect_counts(field(r, "waiting"), 3, 0, 0, 0, 0, 0);
	/* inbox.get always counts afresh. */
	remind(t, admin.account_id, day(3));
	expect_counts(field(OK_AS(&office1, "inbox.get", NULL), "waiting"), 4, 0, 0, 0, 0, 0);
}

Test(waiting, an_admins_counts_move_with_the_writes_as_everyones_do)
{
	char token[128];
	int64_t t;

	make_world();
	t = new_task();
	snprintf(token, sizeof(token), "%s",
		 S(OK("token.create", "s:account", "admin", "s:name", "máy 4", NULL), "token"));
	remind(t, admin.account_id, day(-1));
	expect_counts(field(sign_in(token, "1"), "waiting"), 0, 0, 0, 0, 0, 1);
	/* A reminder's write through the server: counted again, over the
	 * whole tree, from the admin's own tasks and reminders (its count no
	 * longer reads every task, so it is not kept past a write). */
	OK("reminder.send", "i:task", num(t), "s:message", "Lần hai", "s:answer_by", day(1), NULL);
	remind(t, admin.account_id, day(-1));
	expect_counts(field(sign_in(token, "1"), "waiting"), 0, 0, 0, 0, 0, 2);
	expect_counts(field(OK("inbox.get", NULL), "waiting"), 0, 0, 0, 0, 0, 2);
}
