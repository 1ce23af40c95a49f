/*
 * test_client_args.c: the command line: options against a command's table,
 * references, dates and numbers, usage errors naming what is wrong, the
 * fields packed for the wire, and the exit codes of usage and help.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <msgpack.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "lang.h"
#include "methods.h"
#include "obj.h"
#include "queue.h"

struct parsed {
	struct args a;
	struct globals g;
	char msg[400];
	int rc;
};

/* Parses the words after NOUN VERB of the command noun verb. */
static void parse(struct parsed *p, const char *noun, const char *verb, int argc, const char **argv)
{
	const struct command *cmd = commands_find(noun, verb);

	cr_assert_not_null(cmd, "%s %s", noun, verb);
	memset(p, 0, sizeof(*p));
	lang_set(LANG_EN); /* the messages' words are test_client_lang's */
	p->rc = args_parse(cmd->opts, argc, (char **)argv, &p->a, &p->g, p->msg, sizeof(p->msg));
}

#define PARSE(p, noun, verb, ...)                                                   \
	do {                                                                        \
		const char *argv_[] = {__VA_ARGS__};                                \
		parse(p, noun, verb, (int)(sizeof(argv_) / sizeof(argv_[0])), argv_); \
	} while (0)

/* Packs the fields and unpacks them as a map (caller destroys u). */
static const msgpack_object *fields(const struct args *a, msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	msgpack_packer pk;
	size_t off = 0;

	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, args_count(a));
	args_pack(&pk, a);
	msgpack_unpacked_init(u);
	cr_assert_eq(msgpack_unpack_next(u, sb->data, sb->size, &off), MSGPACK_UNPACK_SUCCESS);
	return &u->data;
}

Test(args, refs_are_integers_when_all_digits_else_codes)
{
	int64_t v = 0;

	cr_assert(args_ref_number("12", &v));
	cr_assert_eq(v, 12);
	cr_assert(args_ref_number("007", &v));
	cr_assert_eq(v, 7);
	cr_assert_not(args_ref_number("TU", &v));
	cr_assert_not(args_ref_number("2021-2025", &v));
	cr_assert_not(args_ref_number("12a", &v));
	cr_assert_not(args_ref_number("", &v));
	cr_assert_not(args_ref_number("-3", &v));
	cr_assert_not(args_ref_number("99999999999999999999", &v)); /* overflows: a code */
}

Test(args, task_create_packs_every_field_with_its_wire_type)
{
	struct parsed p;
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	const msgpack_object *m;

	PARSE(&p, "task", "create", "--title", "Giải phóng mặt bằng", "--kind", "breakthrough",
	      "--field=socio_economic", "--owner", "CB-07", "--term", "3", "--product", "Nghị quyết",
	      "--due", "31/12/2025", "--unit", "12");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	m = fields(&p.a, &sb, &u);
	cr_assert_eq(m->via.map.size, 8);
	cr_assert(obj_str_eq(obj_get(m, "title"), "Giải phóng mặt bằng"));
	cr_assert(obj_str_eq(obj_get(m, "kind"), "breakthrough"));
	cr_assert(obj_str_eq(obj_get(m, "field"), "socio_economic"));
	cr_assert(obj_str_eq(obj_get(m, "owner"), "CB-07"));
	/* refs go as strings: the server takes a string of digits that is no code as an id */
	cr_assert(obj_str_eq(obj_get(m, "term"), "3"));
	cr_assert(obj_str_eq(obj_get(m, "unit"), "12"));
	cr_assert(obj_str_eq(obj_get(m, "due_date"), "2025-12-31"));
	cr_assert_null(obj_get(m, "description"));
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(args, dates_are_accepted_both_ways_and_sent_iso)
{
	struct parsed p;

	PARSE(&p, "term", "create", "2021-2025", "--kind", "term", "--start", "1/1/2021",
	      "--end", "2025-12-31");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_str_eq(p.a.date[2], "2021-01-01");
	cr_assert_str_eq(p.a.date[3], "2025-12-31");
}

Test(args, a_date_that_does_not_parse_is_a_usage_error_naming_the_option)
{
	struct parsed p;

	PARSE(&p, "unit", "close", "H-SD", "--date", "31/02/2025");
	cr_assert_eq(p.rc, -1);
	cr_assert_not_null(strstr(p.msg, "--date"), "%s", p.msg);
	cr_assert_not_null(strstr(p.msg, "31/02/2025"), "%s", p.msg);
}

Test(args, a_missing_required_option_is_named)
{
	struct parsed p;

	PARSE(&p, "unit", "create", "H-SD", "Sơn Dương");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "missing --level LEVEL");
}

Test(args, a_missing_positional_is_named)
{
	struct parsed p;

	PARSE(&p, "unit", "create", "--level", "huyện", "H-SD");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "missing NAME");
}

Test(args, percent_must_be_a_number_but_its_range_is_the_servers)
{
	struct parsed p;

	PARSE(&p, "update", "add", "5", "--percent", "bốn mươi", "--done", "x");
	cr_assert_eq(p.rc, -1);
	cr_assert_not_null(strstr(p.msg, "--percent"), "%s", p.msg);
	PARSE(&p, "update", "add", "5", "--percent", "140", "--done", "x");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_eq(p.a.num[1], 140);
}

Test(args, a_task_id_must_be_digits)
{
	struct parsed p;

	PARSE(&p, "task", "show", "T-12");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "ID: 'T-12' is not a number");
}

Test(args, unknown_options_and_extra_arguments_are_refused)
{
	struct parsed p;

	PARSE(&p, "task", "list", "--colour", "red");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "unknown option '--colour'");
	PARSE(&p, "task", "list", "extra");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "unexpected argument 'extra'");
	PARSE(&p, "task", "list", "--all=yes");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "--all takes no value");
	PARSE(&p, "task", "list", "--unit");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "--unit needs a value");
}

Test(args, an_option_given_twice_or_two_for_one_field_are_refused)
{
	struct parsed p;

	PARSE(&p, "task", "list", "--unit", "A", "--unit", "B");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "--unit given twice");
	PARSE(&p, "task", "list", "--overdue", "--not-overdue");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "--overdue and --not-overdue cannot be used together");
}

Test(args, flags_send_booleans_and_paging_options_stay_local)
{
	struct parsed p;
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	const msgpack_object *m, *o;

	PARSE(&p, "task", "list", "--not-overdue", "--limit", "250", "--managed-by", "TU");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_eq(p.a.limit, 250);
	cr_assert_not(p.a.all);
	m = fields(&p.a, &sb, &u);
	cr_assert_eq(m->via.map.size, 2);
	o = obj_get(m, "overdue");
	cr_assert(o && o->type == MSGPACK_OBJECT_BOOLEAN && !o->via.boolean);
	cr_assert(obj_str_eq(obj_get(m, "managed_by"), "TU"));
	cr_assert_null(obj_get(m, "limit"));
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);

	PARSE(&p, "unit", "list", "--all");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	m = fields(&p.a, &sb, &u);
	o = obj_get(m, "include_closed");
	cr_assert(o && o->type == MSGPACK_OBJECT_BOOLEAN && o->via.boolean);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(args, limit_must_be_at_least_one)
{
	struct parsed p;

	PARSE(&p, "cadre", "list", "--limit", "0");
	cr_assert_eq(p.rc, -1);
	cr_assert_not_null(strstr(p.msg, "--limit"));
}

Test(args, global_options_are_accepted_after_the_verb)
{
	struct parsed p;

	PARSE(&p, "term", "list", "--json", "--server", "[::1]:9000", "--timeout=5");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert(p.g.json);
	cr_assert_str_eq(p.g.server, "[::1]:9000");
	cr_assert_eq(p.g.timeout, 5);
}

Test(args, double_dash_ends_options)
{
	struct parsed p;

	PARSE(&p, "unit", "rename", "H-SD", "--", "--tên lạ--");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_str_eq(args_value(&p.a, "name"), "--tên lạ--");
}

Test(args, an_option_value_may_start_with_a_dash)
{
	struct parsed p;

	PARSE(&p, "update", "add", "5", "--percent", "10", "--done", "- làm xong bước 1");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_str_eq(args_value(&p.a, "done"), "- làm xong bước 1");
}

/* A file for --X-file in the test's own temporary directory; returns its
 * path (static: one at a time). */
static const char *text_file(const char *bytes, size_t n)
{
	static char path[64];
	FILE *f;

	snprintf(path, sizeof(path), "/tmp/dotpha-args-XXXXXX");
	cr_assert_neq(mkstemp(path), -1);
	cr_assert_not_null(f = fopen(path, "wb"));
	cr_assert_eq(fwrite(bytes, 1, n, f), n);
	fclose(f);
	return path;
}

Test(args, a_free_text_is_read_from_a_file_as_notepad_saves_it)
{
	static const char saved[] = "\xEF\xBB\xBF" "Đã rà soát:\r\n- bước 1\r\n- bước 2\r\n\r\n";
	struct parsed p;
	const char *path = text_file(saved, sizeof(saved) - 1);

	PARSE(&p, "update", "add", "5", "--percent", "10", "--done-file", path);
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	/* The BOM dropped, CRLF made LF, the line ends at the end dropped. */
	cr_assert_str_eq(args_value(&p.a, "done"), "Đã rà soát:\n- bước 1\n- bước 2");
	args_free(&p.a);
	PARSE(&p, "update", "add", "5", "--percent", "10", "--done-file=", NULL);
	cr_assert_eq(p.rc, -1);
	unlink(path);
}

Test(args, a_free_text_given_as_a_dash_is_read_from_standard_input)
{
	static char typed[] = "dòng một\ndòng hai\n";
	struct parsed p;
	const struct command *cmd = commands_find("update", "add");
	char *argv[] = {"5", "--percent", "10", "--done", "-", "--difficulties", "-"};

	memset(&p, 0, sizeof(p));
	lang_set(LANG_EN);
	cr_assert_not_null(p.g.text_in = fmemopen(typed, strlen(typed), "r"));
	p.rc = args_parse(cmd->opts, 5, argv, &p.a, &p.g, p.msg, sizeof(p.msg));
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_str_eq(args_value(&p.a, "done"), "dòng một\ndòng hai");
	args_free(&p.a);
	/* Standard input is read once: a second option cannot have it too. */
	rewind(p.g.text_in);
	p.rc = args_parse(cmd->opts, 7, argv, &p.a, &p.g, p.msg, sizeof(p.msg));
	cr_assert_eq(p.rc, -1);
	cr_expect(strstr(p.msg, "--difficulties -: standard input is already read by --done"), "%s",
		  p.msg);
	fclose(p.g.text_in);
}

Test(args, a_free_text_from_a_file_is_checked_like_one_typed)
{
	struct parsed p;
	const char *path = text_file("x", 1);

	PARSE(&p, "update", "add", "5", "--percent", "10", "--done", "y", "--done-file", path);
	cr_assert_eq(p.rc, -1);
	cr_expect(strstr(p.msg, "--done given twice"), "%s", p.msg);
	unlink(path);
	PARSE(&p, "update", "add", "5", "--percent", "10", "--done-file", "/nonexistent/bc.txt");
	cr_assert_eq(p.rc, -1);
	cr_expect(strstr(p.msg, "--done: cannot read /nonexistent/bc.txt"), "%s", p.msg);
	/* Only TEXT options read files: a number does not. */
	PARSE(&p, "update", "add", "5", "--percent-file", "/etc/hostname", "--done", "x");
	cr_assert_eq(p.rc, -1);
	cr_expect(strstr(p.msg, "unknown option '--percent-file'"), "%s", p.msg);
}

Test(args, dash_o_anywhere_sends_the_output_to_a_file)
{
	struct globals g;
	char msg[200];
	char *argv[] = {"x", "-o", "bao-cao.csv", "--output=b.txt"};
	int i = 1;

	memset(&g, 0, sizeof(g));
	cr_assert_eq(args_global(&g, 4, argv, &i, msg, sizeof(msg)), 1);
	cr_assert_str_eq(g.output, "bao-cao.csv");
	cr_assert_eq(args_global(&g, 4, argv, &i, msg, sizeof(msg)), 1);
	cr_assert_str_eq(g.output, "b.txt");
}

Test(args, request_id_length_is_checked)
{
	struct globals g;
	char msg[200];
	char *argv[] = {"x", "--request-id", "short"};
	int i = 1;

	memset(&g, 0, sizeof(g));
	cr_assert_eq(args_global(&g, 3, argv, &i, msg, sizeof(msg)), -1);
}

/* Runs cli_run and captures stdout and stderr. */
struct run {
	int code;
	char *out;
	char *err;
};

static void run_cli(struct run *r, int argc, const char **argv)
{
	size_t no, ne;
	FILE *out = open_memstream(&r->out, &no), *err = open_memstream(&r->err, &ne);

	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	unsetenv("DOTPHA_SERVER");
	/* In English: these tests are about what is parsed and how help is laid
	 * out; the Vietnamese screens are test_client_lang's. */
	setenv("DOTPHA_LANG", "en", 1);
	r->code = cli_run(argc, (char **)argv, out, err);
	fclose(out);
	fclose(err);
}

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

#define RUN(r, ...)                                                                 \
	do {                                                                        \
		const char *argv_[] = {"dotpha", __VA_ARGS__};                      \
		run_cli(r, (int)(sizeof(argv_) / sizeof(argv_[0])), argv_);          \
	} while (0)

Test(cli, help_at_every_level_exits_zero_on_stdout)
{
	struct run r;

	RUN(&r, "--help");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "Exit status"));
	cr_assert_not_null(strstr(r.out, "7  unauthenticated or forbidden"));
	cr_assert_str_eq(r.err, "");
	run_free(&r);
	RUN(&r, "task", "--help");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "usage: dotpha task VERB"));
	cr_assert_not_null(strstr(r.out, "  list "));
	run_free(&r);
	RUN(&r, "task", "list", "--help");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "--not-overdue"));
	cr_assert_not_null(strstr(r.out, "(method task.list)"));
	run_free(&r);
	RUN(&r, "help", "unit", "create");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "usage: dotpha unit create CODE NAME --level LEVEL [--parent UNIT]"));
	run_free(&r);
}

Test(cli, unknown_noun_lists_the_nouns)
{
	struct run r;

	RUN(&r, "tsk", "list");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "dotpha: unknown command 'tsk'; the commands are: server, login, logout, whoami, unit, cadre, term, task, amendment, update, plan, remind, inbox, answer, reminder, history, audit, account, token, explain, explanation, inspect, inspection, followup, board, attach, files, download, search, sync, admin, import, export, report"), "%s", r.err);
	cr_assert_str_eq(r.out, "");
	run_free(&r);
}

Test(cli, unknown_or_missing_verb_lists_the_verbs)
{
	struct run r;

	RUN(&r, "unit", "delete", "X");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "'unit' has no verb 'delete'; its verbs are: create, rename, move, close, show, list"), "%s", r.err);
	run_free(&r);
	RUN(&r, "update");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "'update' needs a verb: add, list"), "%s", r.err);
	run_free(&r);
}

Test(cli, usage_errors_exit_2_with_the_usage_line)
{
	struct run r;

	RUN(&r, "task", "create", "--title", "x");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "dotpha: missing --kind K\nusage: dotpha task create --title T"), "%s", r.err);
	run_free(&r);
	RUN(&r, "cadre", "update", "CB01");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "nothing to change"), "%s", r.err);
	run_free(&r);
	RUN(&r, "--request-id", "0123456789abcdef", "task", "list");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "--request-id applies only"), "%s", r.err);
	run_free(&r);
	RUN(&r, "--server", "host:99999", "term", "list");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "--server: 'host:99999'"), "%s", r.err);
	run_free(&r);
	RUN(&r, "--frobnicate", "term", "list");
	cr_assert_eq(r.code, 2);
	run_free(&r);
	RUN(&r);
	cr_assert_eq(r.code, 2);
	run_free(&r);
}

Test(cli, version_names_the_protocol)
{
	struct run r;

	RUN(&r, "--version");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "(protocol 1)"));
	run_free(&r);
}

Test(cli, exit_codes_follow_the_error_codes)
{
	cr_assert_eq(cli_exit_code(RPC_STATUS_OK, 0), 0);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_INTERNAL), 1);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_BUSY), 1);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_STORAGE_FULL), 1);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, 99), 1);
	cr_assert_eq(cli_exit_code(RPC_STATUS_TRANSPORT, 0), 3);
	cr_assert_eq(cli_exit_code(RPC_STATUS_MISMATCH, 0), 3);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_NOT_FOUND), 4);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_INVALID_ARGUMENT), 5);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_CONFLICT), 6);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_UNAUTHENTICATED), 7);
	cr_assert_eq(cli_exit_code(RPC_STATUS_REMOTE, RPC_FORBIDDEN), 7);
	cr_assert_eq(cli_exit_code(RPC_STATUS_LOCAL, 0), 1);
}

Test(commands, every_command_names_a_catalogue_method_and_has_usable_options)
{
	for (const struct command *c = commands_table; c->noun; c++) {
		size_t n = 0;

		cr_assert_not_null(c->run);
		if (c->flags & CMD_OFFLINE) { /* logout: no server, no view */
			cr_assert_null(c->method, "%s", c->noun);
		} else if (c->run == run_sync) { /* sync: the methods of what is queued */
			cr_assert_null(c->method);
		} else {
			cr_assert_not_null(c->method, "%s %s", c->noun, c->verb);
			cr_assert_not_null(methods_find(c->method, strlen(c->method)), "%s", c->method);
			cr_assert_not_null(c->view);
		}
		while (c->opts[n].name)
			n++;
		cr_assert_leq(n, ARGS_MAX, "%s %s", c->noun, c->verb);
	}
}

/* ---- accounts: the new commands' command lines ---- */

Test(args, audit_filters_are_packed_and_paging_stays_local)
{
	struct parsed p;
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	const msgpack_object *m;
	int64_t task = 0;

	PARSE(&p, "audit", "", "--since", "1/3/2025", "--until", "2025-03-31", "--account", "nva",
	      "--unit", "12", "--task", "7", "--limit", "20");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	m = fields(&p.a, &sb, &u);
	cr_assert_eq(m->via.map.size, 5);
	cr_assert(obj_str_eq(obj_get(m, "since"), "2025-03-01"));
	cr_assert(obj_str_eq(obj_get(m, "until"), "2025-03-31"));
	cr_assert(obj_str_eq(obj_get(m, "account"), "nva"));
	cr_assert(obj_str_eq(obj_get(m, "unit"), "12"));
	cr_assert(obj_int(obj_get(m, "task"), &task));
	cr_assert_eq(task, 7);
	cr_assert_eq(p.a.limit, 20);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(args, account_refs_are_strings_and_token_ids_integers)
{
	struct parsed p;
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	const msgpack_object *m, *o;
	int64_t id = 0;

	PARSE(&p, "account", "update", "42", "--disable", "--role", "viewer");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	m = fields(&p.a, &sb, &u);
	cr_assert(obj_str_eq(obj_get(m, "account"), "42"));
	cr_assert(obj_str_eq(obj_get(m, "role"), "viewer"));
	o = obj_get(m, "active");
	cr_assert(o && o->type == MSGPACK_OBJECT_BOOLEAN && !o->via.boolean);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);

	PARSE(&p, "token", "revoke", "5");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	m = fields(&p.a, &sb, &u);
	cr_assert(obj_int(obj_get(m, "token"), &id));
	cr_assert_eq(id, 5);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);

	PARSE(&p, "token", "rotate", "nva");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "TOKEN_ID: 'nva' is not a number");
	PARSE(&p, "account", "update", "nva", "--disable", "--enable");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "--disable and --enable cannot be used together");
	PARSE(&p, "account", "create", "nva", "Nguyễn Văn An");
	cr_assert_eq(p.rc, -1);
	cr_assert_str_eq(p.msg, "missing --role ROLE");
}

Test(args, login_leaves_server_to_the_globals)
{
	struct parsed p;

	PARSE(&p, "login", "", "--server", "10.0.0.5:7878", "--token=dp1_x");
	cr_assert_eq(p.rc, 0, "%s", p.msg);
	cr_assert_str_eq(p.g.server, "10.0.0.5:7878");
	cr_assert_str_eq(args_value(&p.a, "token"), "dp1_x");
	cr_assert_eq(args_count(&p.a), 1);
}

Test(cli, nouns_without_verbs_take_their_arguments_and_their_verbs)
{
	struct run r;

	RUN(&r, "audit", "--frobnicate");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "dotpha: unknown option '--frobnicate'\nusage: dotpha audit [--since DATE]"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "Run `dotpha audit --help` for details."), "%s", r.err);
	run_free(&r);
	RUN(&r, "audit", "verify", "now");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "unexpected argument 'now'\nusage: dotpha audit verify [--anchor ID:HASH]\n"), "%s", r.err);
	run_free(&r);
	RUN(&r, "history");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "missing TASK\nusage: dotpha history TASK"), "%s", r.err);
	run_free(&r);
	RUN(&r, "whoami", "extra");
	cr_assert_eq(r.code, 2);
	run_free(&r);
	RUN(&r, "account", "update", "nva");
	cr_assert_eq(r.code, 2);
	cr_assert_not_null(strstr(r.err, "nothing to change"), "%s", r.err);
	run_free(&r);
	RUN(&r, "--request-id", "0123456789abcdef", "audit");
	cr_assert_eq(r.code, 2);
	run_free(&r);
}

Test(cli, help_of_the_new_commands)
{
	struct run r;

	RUN(&r, "login", "--help");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "usage: dotpha login [--server HOST:PORT] [--fingerprint SHA256] [--token TOKEN]\n"), "%s", r.out);
	run_free(&r);
	RUN(&r, "help", "audit");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "(method audit.list)"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "dotpha audit verify"), "%s", r.out);
	run_free(&r);
	RUN(&r, "logout", "--help");
	cr_assert_eq(r.code, 0);
	cr_assert_not_null(strstr(r.out, "(no server call)"), "%s", r.out);
	run_free(&r);
	RUN(&r, "--help");
	/* The columns are as wide as the longest noun (explanation) and verb
	 * (carry-over). */
	cr_assert_not_null(strstr(r.out, "\n  account     create     create an account"), "%s",
			   r.out);
	cr_assert_not_null(strstr(r.out, "\n  history                a task's story"), "%s", r.out);
	cr_assert_not_null(strstr(r.out, "DOTPHA_TOKEN"), "%s", r.out);
	run_free(&r);
}
