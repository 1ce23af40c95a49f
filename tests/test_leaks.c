/*
 * test_leaks.c: what one caller must never learn of, or do to, another
 * (issue 14): a request_id belongs to its account; text that could
 * disguise itself is refused and error messages stay valid UTF-8; which
 * error wins; a code outside the caller's scope answers as a missing one;
 * a task's assigning body is at or above its cadre's managing body;
 * task.history hides who and where from all but admins; disabling an
 * account ends its tokens.  Through the dispatcher on a fresh temporary
 * database per test (world.h).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "dispatch.h"
#include "errors.h"

#include "world.h"

TestSuite(leaks, .init = world_setup, .fini = world_teardown, .timeout = 120);

/* ---- a request_id belongs to its account ---- */

Test(leaks, the_same_request_id_from_another_account_is_a_separate_request)
{
	const msgpack_object *a, *o;
	int64_t theirs, mine;

	make_world();
	theirs = new_task_of("C2", NULL); /* H2: outside office1's scope */
	drive(theirs, "in_progress");
	mine = task_in("in_progress");    /* C1, H1 */
	a = OK("update.create", "i:task", num(theirs), "i:percent", "30", "s:done",
	       "Việc của huyện Hai", "s:request_id", "shared-id-0001", NULL);
	o = OK_AS(&office1, "update.create", "i:task", num(mine), "i:percent", "40", "s:done",
		  "Việc của huyện Một", "s:request_id", "shared-id-0001", NULL);
	/* office1 got its own new update, not the admin's stored answer */
	cr_assert_neq(I(o, "id"), I(a, "id"));
	cr_assert_eq(I(o, "task_id"), mine);
	cr_assert_str_eq(S(o, "done"), "Việc của huyện Một");
	/* ...and it was stored: each account's retry answers its own */
	o = OK_AS(&office1, "update.create", "i:task", num(mine), "i:percent", "40", "s:done",
		  "Việc của huyện Một", "s:request_id", "shared-id-0001", NULL);
	cr_assert_str_eq(S(o, "done"), "Việc của huyện Một");
	a = OK("update.create", "i:task", num(theirs), "i:percent", "30", "s:done",
	       "Việc của huyện Hai", "s:request_id", "shared-id-0001", NULL);
	cr_assert_str_eq(S(a, "done"), "Việc của huyện Hai");
	cr_assert_eq(count_items(OK_AS(&office1, "update.list", "i:task", num(mine), NULL)), 1);
	cr_assert_eq(count_items(OK("update.list", "i:task", num(theirs), NULL)), 1);
}
