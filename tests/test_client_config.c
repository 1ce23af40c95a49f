/*
 * test_client_config.c: where the server address comes from (--server,
 * then DOTPHA_SERVER, then the config file, then 127.0.0.1:7878), the
 * config file's syntax, and HOST:PORT splitting.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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

static int resolve(struct config *c, const char *flag, const char *env, char *msg, size_t n)
{
	return config_resolve(c, flag, env, dir, "/nonexistent-home", NULL, msg, n);
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
	cr_assert_eq(config_resolve(&c, NULL, NULL, dir, NULL, warn, msg, sizeof(msg)), 0);
	fclose(warn);
	cr_assert_str_eq(c.host, "ok.example");
	cr_assert_str_eq(c.port, "7878");
	cr_assert_eq(c.timeout, 0);
	cr_assert_not_null(strstr(w, ":1: unknown key 'sever'"), "%s", w);
	cr_assert_not_null(strstr(w, ":2: expected `key = value`"), "%s", w);
	cr_assert_not_null(strstr(w, ":3: timeout"), "%s", w);
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
