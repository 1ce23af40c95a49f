/*
 * test_client_say.c: a server's error said in the user's language
 * (client/say.c), and the catalog of the server's templates
 * (client/lang_vi_server.c) complete for every template of server/.
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "errors.h"
#include "helpers.h"
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

/* Real templates of the server, said from the catalog's rows. */
static const char *said(const struct rpc_error *err, const struct command *cmd, char *out,
			size_t n)
{
	const char *vi = lang_server_text(err->template);

	cr_assert_not_null(vi, "no row for \"%s\"", err->template);
	cr_assert_eq(say_template(vi, err, cmd, out, n), 0, "\"%s\" does not fit its values", vi);
	return out;
}

Test(say, a_cut_text_and_a_path_before_an_error_are_said_too)
{
	struct rpc_error err;
	char out[300];

	errors_set(&err, RPC_INVALID_ARGUMENT, "%.*s / %s", 3, "abcdef", "x");
	cr_assert_eq(say_template("%.*s / %s", &err, NULL, out, sizeof(out)), 0);
	cr_assert_str_eq(out, "abc / x", "the server cut the text; no length is sent");

	errors_set(&err, RPC_INVALID_ARGUMENT, "due_date: %s is before the inspection's date %s",
		   "2024-01-02", "2024-03-04");
	errors_prefix(&err, "actions[2].");
	cr_assert_not_null(lang_server_text("due_date: %s is before the inspection's date %s"));
	say_error(&err, NULL, out, sizeof(out));
	cr_assert_eq(strncmp(out, "actions[2].", 11), 0, "%s", out);
	cr_assert(strstr(out, "02/01/2024") && strstr(out, "04/03/2024"), "said in Vietnamese: %s",
		  out);
}

Test(say, a_field_the_template_names_itself_is_shown_as_the_users_option)
{
	struct rpc_error err;
	const struct command *cmd = commands_find("term", "create");
	char out[300];

	cr_assert_not_null(cmd);
	errors_set(&err, RPC_INVALID_ARGUMENT, "end: must not be before start %s, got %s",
		   "2030-12-31", "2030-01-01");
	cr_assert_not_null(lang_server_text(err.template));
	say_error(&err, cmd, out, sizeof(out));
	cr_assert_eq(strncmp(out, "--end: ", 7), 0, "%s", out);
	say_error(&err, NULL, out, sizeof(out));
	cr_assert_eq(strncmp(out, "end: ", 5), 0, "no command: the field as it is: %s", out);
}

Test(say, the_catalogs_rows_say_real_errors_in_vietnamese)
{
	struct rpc_error err;
	char out[400];

	/* server/db/db_query.c: a noun, out of the field's place */
	errors_set(&err, RPC_NOT_FOUND, "%s: no %s with id %lld", "task", "task", 99999LL);
	cr_assert_str_eq(said(&err, commands_find("task", "show"), out, sizeof(out)),
			 "task: không có việc nào có ID 99999");

	/* server/rpc/params.c: the field as the option typed, dates as dd/mm/yyyy */
	errors_set(&err, RPC_INVALID_ARGUMENT, "%s: %s is in the past (today is %s)", "due_date",
		   "2024-03-05", "2024-03-06");
	cr_assert_str_eq(said(&err, commands_find("task", "create"), out, sizeof(out)),
			 "--due: ngày 05/03/2024 đã qua (hôm nay là 06/03/2024)");

	/* server/methods/term.c: values out of order */
	errors_set(&err, RPC_INVALID_ARGUMENT, "end: must not be before start %s, got %s",
		   "2025-01-01", "2024-12-31");
	cr_assert_str_eq(said(&err, commands_find("term", "create"), out, sizeof(out)),
			 "end: không được trước ngày bắt đầu 01/01/2025, đã nhập 31/12/2024");

	/* server/rpc/dispatch.c: a method as its command, a role by its label */
	errors_set(&err, RPC_FORBIDDEN, "%s: not allowed for the role %s", "task.accept",
		   "office");
	cr_assert_str_eq(said(&err, NULL, out, sizeof(out)),
			 "dotpha task accept: vai trò Văn phòng không được phép thực hiện thao "
			 "tác này");

	/* server/methods/workflow.c: a state by its label, a value repeated left out */
	errors_set(&err, RPC_CONFLICT, "task: task %lld is %s; from %s you may: %s", 7LL,
		   "reported_done", "reported_done", "accept, send_back");
	cr_assert_str_eq(said(&err, NULL, out, sizeof(out)),
			 "task: việc ID 7 ở trạng thái Báo cáo hoàn thành; từ trạng thái này chỉ "
			 "có thể: accept, send_back");

	/* server/store/db_unit.c: English's plural words left out */
	errors_set(&err, RPC_CONFLICT,
		   "unit: %lld unit%s under it %s still open on %s; close or move %s first", 2LL,
		   "s", "are", "2025-07-01", "them");
	cr_assert_str_eq(said(&err, NULL, out, sizeof(out)),
			 "unit: đến ngày 01/07/2025 vẫn còn 2 đơn vị trực thuộc đang hoạt động; đề "
			 "nghị cho các đơn vị đó chấm dứt hoạt động hoặc chuyển đi trước");
}

/* ---- the catalog against server/ ---- */

#define MAX_TEMPLATES 1024

struct found {
	char *text[MAX_TEMPLATES];
	char where[MAX_TEMPLATES][600];
	int n;
};

/* The kinds of values a template takes, in order: 's' a text (printf's
 * %s and %.*s, the catalog's F N D M C), 'i' an integer, 'c' a
 * character, 'f' a number; with "%N$" the value N-1.  Returns how many,
 * or -1 for a conversion say.c cannot render. */
static int kinds(const char *t, char *kind, int *pos, int max)
{
	int n = 0, next = 0;

	for (const char *p = t; *p; p++) {
		struct errors_conv c;

		if (*p != '%')
			continue;
		if (*++p == '%')
			continue;
		p = errors_conversion(p, &c);
		if (n == max || !c.conv)
			return -1;
		pos[n] = c.pos < 0 ? next++ : c.pos;
		if (strchr("sFNDMCV", c.conv))
			kind[n] = 's';
		else if (strchr("diuxXo", c.conv))
			kind[n] = 'i';
		else if (c.conv == 'c')
			kind[n] = 'c';
		else if (strchr("fge", c.conv))
			kind[n] = 'f';
		else
			return -1;
		n++;
	}
	return n;
}

/* Every format of errors_set() and params_fail() in the .c files below dir. */
static void scan(const char *dir, struct found *f)
{
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d, "%s (run the tests from the repository root)", dir);
	while ((e = readdir(d))) {
		char path[512];
		struct stat st;
		char *src;
		static char text[1024];

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		cr_assert_eq(stat(path, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			scan(path, f);
			continue;
		}
		if (strlen(e->d_name) < 3 || strcmp(e->d_name + strlen(e->d_name) - 2, ".c") != 0)
			continue;
		cr_assert_not_null(src = helpers_read_file(path));
		for (const char *p = src; (p = strpbrk(p, "ep"));) {
			const char *call = NULL;
			int line = 1;

			if (strncmp(p, "errors_set(", 11) == 0)
				call = p + 11;
			else if (strncmp(p, "params_fail(", 12) == 0)
				call = p + 12;
			p++;
			if (!call || (p > src + 1 && (p[-2] == '_' || (p[-2] >= 'a' && p[-2] <= 'z'))))
				continue;
			/* The format is the call's first string literal, before its ')'. */
			while (*call && *call != '"' && *call != ')' && *call != ';')
				call++;
			if (*call != '"')
				continue; /* the declaration, or a format passed on */
			for (const char *q = src; q < call; q++)
				line += *q == '\n';
			cr_assert_lt(f->n, MAX_TEMPLATES);
			cr_assert(helpers_c_literals(&call, text, sizeof(text)), "%s:%d", path, line);
			cr_assert_not_null(f->text[f->n] = strdup(text));
			snprintf(f->where[f->n], sizeof(f->where[0]), "%s:%d", path, line);
			f->n++;
		}
		free(src);
	}
	closedir(d);
}

Test(say, every_template_of_the_server_has_its_vietnamese_with_the_same_values)
{
	static struct found f;
	int missing = 0;

	scan("server", &f);
	cr_assert_gt(f.n, 100, "the server's templates were not found");
	for (int i = 0; i < f.n; i++) {
		const char *vi = lang_server_text(f.text[i]);
		char ke[16], kv[16];
		int pe[16], pv[16], ne, nv;

		if (!vi) {
			cr_log_error("%s: no Vietnamese for \"%s\"", f.where[i], f.text[i]);
			missing++;
			continue;
		}
		ne = kinds(f.text[i], ke, pe, 16);
		nv = kinds(vi, kv, pv, 16);
		cr_expect_geq(ne, 0, "%s: \"%s\": a conversion say.c cannot render", f.where[i],
			      f.text[i]);
		cr_expect_geq(nv, 0, "\"%s\": a conversion say.c cannot render", vi);
		for (int k = 0; k < nv && ne >= 0; k++)
			cr_expect(pv[k] < ne && kv[k] == ke[pv[k]],
				  "\"%s\" -> \"%s\": its value %d is not the English one's", f.text[i],
				  vi, k + 1);
		free(f.text[i]);
	}
	cr_expect_eq(missing, 0, "%d of the server's %d templates have no Vietnamese in "
				 "client/lang_vi_server.c (listed above)",
		     missing, f.n);
}

Test(say, every_row_of_the_catalog_is_a_template_of_the_server)
{
	static struct found f;

	scan("server", &f);
	for (const struct lang_pair *p = lang_vi_server; p->en; p++) {
		bool used = false;

		for (int i = 0; i < f.n && !used; i++)
			used = strcmp(f.text[i], p->en) == 0;
		cr_expect(used, "client/lang_vi_server.c: \"%s\" is no template of server/ any more",
			  p->en);
	}
	for (int i = 0; i < f.n; i++)
		free(f.text[i]);
}
