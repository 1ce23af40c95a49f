/*
 * test_client_config.c: where the server address comes from (--server,
 * then DOTPHA_SERVER, then the config file, then 127.0.0.1:7878), the
 * config file's syntax, and HOST:PORT splitting; the token (DOTPHA_TOKEN,
 * then the file, which must be private), and rewriting the file for login
 * and logout.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"

static char dir[256];

/* A fresh XDG_CONFIG_HOME with dotpha/config holding text (NULL: no file). */
static void make_config(const char *text)
{
	char path[512];
	FILE *f;

	snprintf(dir, sizeof(dir), "/tmp/dotpha-config-XXXXXX");
	cr_assert_not_null(mkdtemp(dir));
	if (!text)
		return;
	snprintf(path, sizeof(path), "%s/dotpha", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/dotpha/config", dir);
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
}

static void remove_config(void)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/dotpha/config", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/dotpha", dir);
	rmdir(path);
	rmdir(dir);
}

/* config_resolve with no DOTPHA_TOKEN. */
static int config_resolve_t(struct config *c, const char *flag, const char *env_server,
			    const char *xdg, const char *home, FILE *warn, char *msg, size_t n)
{
	struct config_env env = {env_server, NULL, xdg, home};

	return config_resolve(c, flag, &env, warn, msg, n);
}

static int resolve(struct config *c, const char *flag, const char *env, char *msg, size_t n)
{
	return config_resolve_t(c, flag, env, dir, "/nonexistent-home", NULL, msg, n);
}

Test(config, flag_beats_environment_beats_file_beats_default)
{
	struct config c;
	char msg[200];

	make_config("server = file.example:7000\n");
	cr_assert_eq(resolve(&c, "flag.example:7001", "env.example:7002", msg, sizeof(msg)), 0);
	cr_assert_str_eq(c.host, "flag.example");
	cr_assert_str_eq(c.port, "7001");
	cr_assert_eq(c.source, CONFIG_FLAG);
	cr_assert_eq(resolve(&c, NULL, "env.example:7002", msg, sizeof(msg)), 0);
	cr_assert_str_eq(c.host, "env.example");
	cr_assert_eq(c.source, CONFIG_ENV);
	cr_assert_eq(resolve(&c, NULL, "", msg, sizeof(msg)), 0); /* empty env: unset */
	cr_assert_str_eq(c.host, "file.example");
	cr_assert_str_eq(c.port, "7000");
	cr_assert_eq(c.source, CONFIG_FILE);
	remove_config();
	make_config(NULL);
	cr_assert_eq(resolve(&c, NULL, NULL, msg, sizeof(msg)), 0);
	cr_assert_str_eq(c.host, "127.0.0.1");
	cr_assert_str_eq(c.port, "7878");
	cr_assert_eq(c.source, CONFIG_DEFAULT);
	remove_config();
}

Test(config, a_bad_address_names_where_it_came_from)
{
	struct config c;
	char msg[200];

	make_config("server = nowhere:port\n");
	cr_assert_eq(resolve(&c, NULL, NULL, msg, sizeof(msg)), -1);
	cr_assert_not_null(strstr(msg, "dotpha/config"), "%s", msg);
	cr_assert_eq(resolve(&c, NULL, "a b:1", msg, sizeof(msg)), -1);
	cr_assert(strncmp(msg, "DOTPHA_SERVER: ", 15) == 0, "%s", msg);
	/* --server wins over a broken file and a broken environment */
	cr_assert_eq(resolve(&c, "10.0.0.5:7878", "a b:1", msg, sizeof(msg)), 0);
	cr_assert_str_eq(c.host, "10.0.0.5");
	remove_config();
}

Test(config, file_has_comments_blanks_quotes_and_a_timeout)
{
	struct config c;
	char msg[200];

	make_config("# dotpha\n\n   server   =  \"[::1]:7979\"   # local\ntimeout=90\n");
	cr_assert_eq(resolve(&c, NULL, NULL, msg, sizeof(msg)), 0);
	cr_assert_str_eq(c.host, "::1");
	cr_assert_str_eq(c.port, "7979");
	cr_assert_eq(c.timeout, 90);
	remove_config();
}

Test(config, unknown_keys_and_bad_lines_are_warned_about_and_skipped)
{
	struct config c;
	char msg[200], *w = NULL;
	size_t wn = 0;
	FILE *warn = open_memstream(&w, &wn);

	make_config("sever = x:1\njust words\ntimeout = soon\nserver = ok.example\n");
	cr_assert_eq(config_resolve_t(&c, NULL, NULL, dir, NULL, warn, msg, sizeof(msg)), 0);
	fclose(warn);
	cr_assert_str_eq(c.host, "ok.example");
	cr_assert_str_eq(c.port, "7878");
	cr_assert_eq(c.timeout, 0);
	cr_assert_not_null(strstr(w, ":1: không có khóa 'sever'"), "%s", w);
	cr_assert_not_null(strstr(w, ":2: cần có dạng `khóa = giá trị`"), "%s", w);
	cr_assert_not_null(strstr(w, ":3: timeout"), "%s", w);
	free(w);
	remove_config();
}

Test(config, notices_are_on_unless_the_file_says_off)
{
	struct config c;
	char msg[200], *w = NULL;
	size_t wn = 0;
	FILE *warn;

	make_config("server = ok.example\n");
	cr_assert_eq(resolve(&c, NULL, NULL, msg, sizeof(msg)), 0);
	cr_assert_not(c.notices_off);
	remove_config();
	make_config("notices = off\n");
	cr_assert_eq(resolve(&c, NULL, NULL, msg, sizeof(msg)), 0);
	cr_assert(c.notices_off);
	remove_config();
	warn = open_memstream(&w, &wn);
	make_config("notices = no\n");
	cr_assert_eq(config_resolve_t(&c, NULL, NULL, dir, NULL, warn, msg, sizeof(msg)), 0);
	fclose(warn);
	cr_assert_not(c.notices_off);
	cr_assert_not_null(strstr(w, ":1: notices phải là on hoặc off (bỏ qua)"), "%s", w);
	free(w);
	remove_config();
}

Test(config, path_prefers_xdg_config_home)
{
	char p[256];

	cr_assert_eq(config_path("/x", "/home/a", p, sizeof(p)), 0);
	cr_assert_str_eq(p, "/x/dotpha/config");
	cr_assert_eq(config_path("", "/home/a", p, sizeof(p)), 0);
	cr_assert_str_eq(p, "/home/a/.config/dotpha/config");
	cr_assert_eq(config_path(NULL, "/home/a", p, sizeof(p)), 0);
	cr_assert_str_eq(p, "/home/a/.config/dotpha/config");
	cr_assert_eq(config_path(NULL, NULL, p, sizeof(p)), -1);
}

struct split_case {
	const char *in;
	int rc;
	const char *host;
	const char *port;
};

Test(config, split_host_and_port)
{
	static const struct split_case cases[] = {
		{"127.0.0.1:7878", 0, "127.0.0.1", "7878"},
		{"dotpha.tuyenquang.gov.vn:80", 0, "dotpha.tuyenquang.gov.vn", "80"},
		{"localhost", 0, "localhost", "7878"},
		{"[::1]:7979", 0, "::1", "7979"},
		{"[fe80::1%eth0]", 0, "fe80::1%eth0", "7878"},
		{"::1", 0, "::1", "7878"},
		{"host:0", -1, NULL, NULL},
		{"host:65536", -1, NULL, NULL},
		{"host:", -1, NULL, NULL},
		{":7878", -1, NULL, NULL},
		{"[::1]7878", -1, NULL, NULL},
		{"[]:1", -1, NULL, NULL},
		{"", -1, NULL, NULL},
		{"a b:1", -1, NULL, NULL},
	};
	char host[64], port[8], msg[200];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct split_case *k = &cases[i];
		int rc = config_split(k->in, host, sizeof(host), port, sizeof(port), msg, sizeof(msg));

		cr_assert_eq(rc, k->rc, "'%s'", k->in);
		if (rc == 0) {
			cr_assert_str_eq(host, k->host, "'%s'", k->in);
			cr_assert_str_eq(port, k->port, "'%s'", k->in);
		} else {
			cr_assert_not_null(strstr(msg, k->in), "'%s': %s", k->in, msg);
		}
	}
}

/* ---- the token ---- */

#define TOKEN_A "dp1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define TOKEN_B "dp1_fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"

static void chmod_config(mode_t mode)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/dotpha/config", dir);
	cr_assert_eq(chmod(path, mode), 0);
}

static int resolve_env(struct config *c, const char *token, const char *home)
{
	struct config_env env = {NULL, token, dir, home};
	char msg[200];

	return config_resolve(c, NULL, &env, NULL, msg, sizeof(msg));
}

Test(token, dotpha_token_beats_the_file)
{
	struct config c;
	char msg[400];

	make_config("token = " TOKEN_A "\n");
	chmod_config(0600);
	cr_assert_eq(resolve_env(&c, NULL, NULL), 0);
	cr_assert_str_eq(c.token, TOKEN_A);
	cr_assert_eq(c.token_source, CONFIG_FILE);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(resolve_env(&c, TOKEN_B, NULL), 0);
	cr_assert_str_eq(c.token, TOKEN_B);
	cr_assert_eq(c.token_source, CONFIG_ENV);
	cr_assert_eq(resolve_env(&c, "", NULL), 0); /* empty: unset */
	cr_assert_str_eq(c.token, TOKEN_A);
	remove_config();
	make_config(NULL);
	cr_assert_eq(resolve_env(&c, NULL, NULL), 0);
	cr_assert_str_eq(c.token, "");
	cr_assert_eq(c.token_source, CONFIG_DEFAULT);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), 0);
	remove_config();
}

Test(token, a_file_others_can_read_is_refused_with_the_chmod_to_run)
{
	struct config c;
	char msg[1200], want[1200], *w = NULL;
	size_t wn = 0;
	FILE *warn;

	make_config("token = " TOKEN_A "\n");
	chmod_config(0644);
	/* the file is not under HOME: its whole path is shown */
	cr_assert_eq(resolve_env(&c, NULL, "/nonexistent-home"), 0);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), -1);
	snprintf(want, sizeof(want), "%s/dotpha/config: người dùng khác đọc được; chạy `chmod 600 %s/dotpha/config`",
		 dir, dir);
	cr_assert_str_eq(msg, want);
	cr_assert_null(strstr(msg, "dp1_"), "the message shows the token: %s", msg);
	chmod_config(0604);
	cr_assert_eq(resolve_env(&c, NULL, NULL), 0);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), -1);
	chmod_config(0620); /* others may change it: the server line could send the token anywhere */
	cr_assert_eq(resolve_env(&c, NULL, NULL), 0);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), -1);
	cr_assert_not_null(strstr(msg, "người dùng khác sửa được; chạy `chmod 600 "), "%s", msg);
	chmod_config(0600);
	cr_assert_eq(resolve_env(&c, NULL, NULL), 0);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), 0);
	/* DOTPHA_TOKEN set: the file's token is not used; a warning says why it should be fixed */
	chmod_config(0644);
	warn = open_memstream(&w, &wn);
	cr_assert_eq(resolve_env(&c, TOKEN_B, NULL), 0);
	cr_assert_eq(config_token(&c, warn, msg, sizeof(msg)), 0);
	fclose(warn);
	cr_assert_not_null(strstr(w, "dotpha: cảnh báo: "), "%s", w);
	cr_assert_not_null(strstr(w, "(đang dùng DOTPHA_TOKEN thay thế)"), "%s", w);
	free(w);
	remove_config();
}

Test(token, a_file_without_a_token_may_be_readable)
{
	struct config c;
	char msg[400];

	make_config("server = a.example:1\n");
	chmod_config(0644);
	cr_assert_eq(resolve_env(&c, NULL, NULL), 0);
	cr_assert_eq(config_token(&c, NULL, msg, sizeof(msg)), 0);
	remove_config();
}

Test(token, the_cli_refuses_a_readable_file_with_exit_2_and_a_tilde_path)
{
	char home[256], path[512], *out = NULL, *err = NULL;
	size_t on = 0, en = 0;
	FILE *o, *e;
	const char *argv[] = {"dotpha", "term", "list"};
	int code;

	snprintf(home, sizeof(home), "/tmp/dotpha-home-XXXXXX");
	cr_assert_not_null(mkdtemp(home));
	snprintf(path, sizeof(path), "%s/.config", home);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.config/dotpha", home);
	cr_assert_eq(mkdir(path, 0700), 0);
	snprintf(path, sizeof(path), "%s/.config/dotpha/config", home);
	o = fopen(path, "w");
	fputs("token = " TOKEN_A "\n", o);
	fclose(o);
	cr_assert_eq(chmod(path, 0644), 0);
	setenv("HOME", home, 1);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("DOTPHA_TOKEN");
	unsetenv("DOTPHA_SERVER");
	o = open_memstream(&out, &on);
	e = open_memstream(&err, &en);
	code = cli_run(3, (char **)argv, o, e);
	fclose(o);
	fclose(e);
	cr_assert_eq(code, 2);
	cr_assert_str_eq(err, "dotpha: ~/.config/dotpha/config: người dùng khác đọc được; "
			 "chạy `chmod 600 ~/.config/dotpha/config`\n");
	cr_assert_str_eq(out, "");
	free(out);
	free(err);
	unlink(path);
	snprintf(path, sizeof(path), "%s/.config/dotpha", home);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/.config", home);
	rmdir(path);
	rmdir(home);
}

Test(token, shape_is_dp1_and_64_hex_digits)
{
	cr_assert(config_token_valid(TOKEN_A));
	cr_assert(config_token_valid("dp1_0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"));
	cr_assert_not(config_token_valid("dp1_0123"));
	cr_assert_not(config_token_valid(TOKEN_A "0"));
	cr_assert_not(config_token_valid("dp2_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"));
	cr_assert_not(config_token_valid("dp1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg"));
	cr_assert_not(config_token_valid(""));
}

Test(token, shown_paths_use_tilde_and_quote_for_a_shell)
{
	char out[300];

	config_shown_path("/home/an/.config/dotpha/config", "/home/an", out, sizeof(out));
	cr_assert_str_eq(out, "~/.config/dotpha/config");
	config_shown_path("/home/an/.config/dotpha/config", "/home/an/", out, sizeof(out));
	cr_assert_str_eq(out, "~/.config/dotpha/config");
	config_shown_path("/home/anh/x", "/home/an", out, sizeof(out));
	cr_assert_str_eq(out, "/home/anh/x");
	config_shown_path("/home/an/My Files/dotpha/config", "/home/an", out, sizeof(out));
	cr_assert_str_eq(out, "~/'My Files/dotpha/config'");
	config_shown_path("/x/it's/config", NULL, out, sizeof(out));
	cr_assert_str_eq(out, "'/x/it'\\''s/config'");
}

/* config_edit of old with server and token must give want. */
static void edit_is(const char *old, const char *server, const char *token, const char *want,
		    bool want_had)
{
	struct strbuf sb = STRBUF_INIT;
	bool had = !want_had;

	cr_assert_eq(config_edit(old, strlen(old), server, token, &sb, &had), 0);
	cr_assert_str_eq(strbuf_cstr(&sb), want);
	cr_assert_eq(had, want_had);
	strbuf_free(&sb);
}

Test(token, editing_keeps_every_other_line)
{
	edit_is("", "h:1", TOKEN_A, "server = h:1\ntoken = " TOKEN_A "\n", false);
	edit_is("# mine\n  server=old:2  # work\ntimeout = 9\n\nfoo = bar\n", "h:1", TOKEN_A,
		"# mine\nserver = h:1\ntimeout = 9\n\nfoo = bar\ntoken = " TOKEN_A "\n", false);
	/* later duplicates go, so they cannot override the new values */
	edit_is("token = x\nserver = a\ntoken = y\nserver = b", "h:1", TOKEN_A,
		"token = " TOKEN_A "\nserver = h:1\n", true);
	/* logout: every token line goes, the rest stays, a missing newline is added */
	edit_is("server = a:1\ntoken = x\n# token = commented\ntoken=y\ntimeout = 5", NULL, NULL,
		"server = a:1\n# token = commented\ntimeout = 5\n", true);
	edit_is("server = a:1\n", NULL, NULL, "server = a:1\n", false);
}

Test(token, save_replaces_the_file_0600_and_creates_the_directory_0700)
{
	char base[256], path[512], msg[400];
	struct stat st;
	bool had;
	FILE *f;
	char buf[600];
	size_t n;

	snprintf(base, sizeof(base), "/tmp/dotpha-save-XXXXXX");
	cr_assert_not_null(mkdtemp(base));
	snprintf(path, sizeof(path), "%s/a/b/config", base);
	cr_assert_eq(config_save(path, "h:1", TOKEN_A, &had, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_not(had);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	snprintf(buf, sizeof(buf), "%s/a/b", base);
	cr_assert_eq(stat(buf, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "mode %o", st.st_mode & 0777);
	cr_assert_eq(config_save(path, NULL, NULL, &had, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert(had);
	f = fopen(path, "r");
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	cr_assert_str_eq(buf, "server = h:1\n");
	unlink(path);
	snprintf(path, sizeof(path), "%s/a/b", base);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/a", base);
	rmdir(path);
	rmdir(base);
}
