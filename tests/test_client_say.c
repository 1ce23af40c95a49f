/*
 * test_client_say.c: a server's error said in the user's language
 * (client/say.c).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#include "commands.h"
#include "errors.h"
#include "lang.h"
#include "say.h"

static void reset_lang(void)
{
	lang_set(LANG_VI);
}

TestSuite(say, .fini = reset_lang);

Test(say, values_are_shown_the_users_way)
{
	struct rpc_error err;
	const struct command *cmd = commands_find("task", "create");
	char out[300];

	cr_assert_not_null(cmd);
	errors_set(&err, RPC_INVALID_ARGUMENT, "%s: %s %s before %s in %s; %lld, %.1f%%, %c",
		   "due_date", "task", "2024-03-05", "in_progress", "task.create", 12LL, 67.75, 'q');
	cr_assert_eq(err.nargs, 8);
	cr_assert_eq(say_template("%F: %N ngày %D trước %C ở %M; %lld, %.1f%%, %c", &err, cmd, out,
				  sizeof(out)),
		     0);
	cr_assert_str_eq(out, "--due: việc ngày 05/03/2024 trước Đang thực hiện ở dotpha task "
			      "create; 12, 67,8%, q");

	cr_assert_eq(say_template("%3$D: %1$F", &err, NULL, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "05/03/2024: due_date", "out of order; no command: the field itself");
}

Test(say, values_that_do_not_fit_the_template_are_refused)
{
	struct rpc_error err;
	char out[100];

	errors_set(&err, RPC_NOT_FOUND, "%s: no task with id %lld", "task", 9LL);
	cr_assert_eq(say_template("%s %s %s", &err, NULL, out, sizeof(out)), -1, "too few values");
	cr_assert_eq(say_template("%lld", &err, NULL, out, sizeof(out)), -1, "a text as a number");
	cr_assert_eq(say_template("%2$s", &err, NULL, out, sizeof(out)), -1, "a number as a text");
	cr_assert_eq(say_template("%s: %lld", &err, NULL, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "task: 9");
}

Test(say, english_or_an_unknown_template_shows_the_servers_message)
{
	struct rpc_error err;
	char out[300];

	errors_set(&err, RPC_NOT_FOUND, "%s: a template no catalog has %lld", "task", 9LL);
	cr_assert_str_eq(say_error(&err, NULL, out, sizeof(out)),
			 "task: a template no catalog has 9");
	err.template[0] = '\0';
	cr_assert_str_eq(say_error(&err, NULL, out, sizeof(out)),
			 "task: a template no catalog has 9");
	lang_set(LANG_EN);
	errors_set(&err, RPC_NOT_FOUND, "%s: no %s with id %lld", "task", "task", 9LL);
	cr_assert_str_eq(say_error(&err, NULL, out, sizeof(out)), "task: no task with id 9");
}
