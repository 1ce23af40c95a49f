/*
 * main.c: dotphad's command line.  Everything else lives in the library so
 * the tests can link it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <uv.h>

#include "demo.h"
#include "log.h"
#include "server.h"
#include "version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dotphad [options]              serve the task registry\n"
		"       dotphad [--db PATH] demo [--scale N]\n"
		"                                      load the deterministic demo province into\n"
		"                                      an empty database (see `dotphad demo --help`)\n"
		"\n"
		"options:\n"
		"  --listen HOST:PORT   address to serve (default 127.0.0.1:7878; port 0 picks one)\n"
		"  --db PATH            database file, created on first start (default var/dotpha.db)\n"
		"  --log-level LEVEL    debug, info, warn or error (default info)\n"
		"  --max-message BYTES  largest request accepted (default 1048576)\n"
		"  --max-clients N      connections served at once (default 1024)\n"
		"  --port-file PATH     write the bound port there once listening\n"
		"  --version            print the version\n"
		"  --help               this text\n"
		"\n"
		"SIGINT or SIGTERM stops the daemon cleanly: it stops accepting, answers what\n"
		"arrives in the next 250 ms, closes each connection after its last reply,\n"
		"closes the database and exits 0.  Logs go to stderr.\n");
}

static int parse_size(const char *opt, const char *s, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end || v < min || v > max) {
		fprintf(stderr, "dotphad: %s: expected a number from %llu to %llu, got '%s'\n", opt,
			min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

static bool takes_value(const char *a)
{
	static const char *const names[] = {"--listen", "--db", "--port-file", "--log-level",
					     "--max-message", "--max-clients", NULL};

	for (int i = 0; names[i]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

int main(int argc, char **argv)
{
	struct server_options opt;
	struct server s;
	unsigned long long v;
	int i;

	server_defaults(&opt);
	for (i = 1; i < argc; i += 2) { /* every option takes one value */
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(a, "--version") == 0) {
			printf("dotphad %s\n", DOTPHA_VERSION);
			return 0;
		} else if (strcmp(a, "demo") == 0) {
			return demo_main(opt.db_path, argc - i - 1, argv + i + 1);
		} else if (!takes_value(a)) {
			fprintf(stderr, "dotphad: %s: unknown %s\n", a, a[0] == '-' ? "option" : "argument");
			usage(stderr);
			return 2;
		} else if (!val) {
			fprintf(stderr, "dotphad: %s: needs a value\n", a);
			return 2;
		} else if (strcmp(a, "--listen") == 0) {
			opt.listen = val;
		} else if (strcmp(a, "--db") == 0) {
			opt.db_path = val;
		} else if (strcmp(a, "--port-file") == 0) {
			opt.port_file = val;
		} else if (strcmp(a, "--log-level") == 0) {
			int level = log_parse_level(val);

			if (level < 0) {
				fprintf(stderr, "dotphad: --log-level: expected debug, info, warn or error\n");
				return 2;
			}
			log_set_level(level);
		} else if (strcmp(a, "--max-message") == 0) {
			if (parse_size(a, val, 1024, 64ull << 20, &v) < 0)
				return 2;
			opt.max_message = (size_t)v;
		} else if (strcmp(a, "--max-clients") == 0) {
			if (parse_size(a, val, 1, 1000000, &v) < 0)
				return 2;
			opt.max_clients = (unsigned)v;
		}
	}
	if (server_start(&s, uv_default_loop(), &opt) < 0)
		return 1;
	return server_run(&s);
}
