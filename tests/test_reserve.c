/*
 * test_reserve.c: the connections a daemon keeps past --max-clients are an
 * admin's way in (server.h SERVER_ADMIN_RESERVE, dispatch_message): on one,
 * anyone may ask server.info and sign in, but only an admin may do more;
 * the rest are answered too_many_clients and the connection is closed.
 * test_daemon.c opens twice the limit against the real daemon.
 */
#include <criterion/criterion.h>

#include "errors.h"
#include "world.h"

TestSuite(reserve, .init = world_setup, .fini = world_teardown, .timeout = 120);

Test(reserve, only_an_admin_is_served_on_a_reserve_connection)
{
	make_world();
	office1.reserve = true;
	admin.reserve = true;
	cr_assert_not_null(world_request(&office1, "server.info", FIELDS(NULL)));
	cr_assert_null(world_request(&office1, "unit.list", FIELDS(NULL)));
	cr_assert_eq(world_last.code, RPC_TOO_MANY_CLIENTS);
	cr_assert_null(world_request(&office1, "task.list", FIELDS(NULL)));
	cr_assert_eq(world_last.code, RPC_TOO_MANY_CLIENTS);
	OK("unit.list", NULL);
	OK("task.list", NULL);
	/* Within the limit, the office is served as ever. */
	office1.reserve = false;
	OK_AS(&office1, "task.list", NULL);
}
