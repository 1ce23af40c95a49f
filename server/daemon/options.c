/*
 * options.c: dotphad's command line and --config file into struct options:
 * the words of --config merged before the command line's (which win),
 * each option checked as it is read, and an error naming the option, or
 * the file and line it came from.  main.c runs what they ask; SIGHUP
 * parses them again (main.c's reload).
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "db_health.h"
#include "log.h"
#include "options_file.h"
#include "version.h"

static void usage(FILE *out)
{
	fprintf(out,
		"usage: dotphad [options]              serve the task registry\n"
		"       dotphad [--db PATH] demo [--scale N]\n"
		"                                      load the deterministic demo province into\n"
		"                                      an empty database (see `dotphad demo --help`)\n"
		"       dotphad [--db PATH] --check [--anchor FILE]\n"
		"                                      check the database and its audit trail (held\n"
		"                                      to the anchors of FILE), then exit: 0 if all\n"
		"                                      is well, 1 if not (a warning about file\n"
		"                                      modes alone: 0)\n"
		"       dotphad gen-cert --cert FILE --key FILE [--name HOST ...] [--days N]\n"
		"                                      make a self-signed certificate for TLS\n"
		"       dotphad restore FILE [--db PATH]\n"
		"                                      put a backup (dotpha admin backup) in place\n"
		"                                      of a stopped daemon's database, once it\n"
		"                                      passes --check; the old one kept aside\n"
		"\n"
		"options:\n"
		"  --listen HOST:PORT   address to serve (default 127.0.0.1:7878; port 0 picks one)\n"
		"  --tls-cert FILE      serve TLS with this certificate (chain, PEM)...\n"
		"  --tls-key FILE       ...and its private key (PEM); without them the daemon\n"
		"                       serves plaintext, and only on a loopback address\n"
		"  --tls-client-ca FILE require a client certificate these CAs vouch for (a\n"
		"                       file of the offices' self-signed certificates will do)\n"
		"  --insecure-plaintext serve plaintext on another address too (logs a warning)\n"
		"  --config FILE        read options from FILE: one `name value` (or\n"
		"                       `name = value`) a line, names as here without the\n"
		"                       dashes, `#` comments; options on the command line win;\n"
		"                       an error names the file and the line\n"
		"  --db PATH            database file, created on first start (default var/dotpha.db)\n"
		"  --log-level LEVEL    debug, info, warn or error (default info)\n"
		"  --max-message BYTES  largest request accepted (default 1048576)\n"
		"  --max-reply BYTES    largest answer sent; a bigger one is too_large\n"
		"                       (default 7340032)\n"
		"  --max-clients N      connections served at once (default 1024)\n"
		"  --max-unauth-per-address N\n"
		"                       connections from one address that have not signed in\n"
		"                       (default 64); more are answered too_many_clients\n"
		"  --max-output-total BYTES\n"
		"                       reply bytes queued for all clients together (default\n"
		"                       268435456); past it the slowest readers are disconnected\n"
		"  --log-file FILE      append the log to FILE instead of stderr\n"
		"  --anchor-file FILE   append the audit trail's head (\"AT ID HASH\") to FILE when\n"
		"                       it moved, every --anchor-every seconds and at stop; it is\n"
		"                       logged too (\"audit anchor:\").  Keep FILE on another disk\n"
		"                       or ship it (or the log) elsewhere: whoever can rewrite the\n"
		"                       database must not be able to rewrite it\n"
		"  --anchor-every SEC   how often the head is looked at (default 60)\n"
		"  --port-file PATH     write the bound port there once listening\n"
		"  --auth-timeout SEC   a connection must sign in within SEC seconds (default 15)\n"
		"  --idle-timeout SEC   close a connection quiet for SEC seconds (default 300)\n"
		"  --keep-requests DAYS keep the outcomes of requests (for retries by request_id)\n"
		"                       DAYS days (default 30)\n"
		"  --upload-quota BYTES evidence files a unit may hold, counted on the unit of\n"
		"                       their task (default 2147483648, 2 GiB; 0: no quota);\n"
		"                       past it file.upload_begin answers conflict\n"
		"  --min-free BYTES     free space uploads leave on the database's disk (default\n"
		"                       536870912, 512 MiB; 0: no floor); below it uploads are\n"
		"                       answered storage_full, and reads go on\n"
		"  --message-timeout SEC\n"
		"                       a message begun must arrive whole within SEC seconds\n"
		"                       (default 60); SEC may have decimals: 0.5\n"
		"  --stalled-days N     a task with no progress update for N days is stalled\n"
		"                       (default 30)\n"
		"  --at-risk-margin N   a task more than N points behind its planned percent is\n"
		"                       at risk (default 15)\n"
		"  --clock DATE[THH:MM:SS]\n"
		"                       for tests and trials only: start the server's clock at\n"
		"                       that local moment (it runs on from there); every date\n"
		"                       and moment the server records or judges uses it\n"
		"  --check              check instead of serving: prints the schema version,\n"
		"                       SQLite's integrity check, whether the search index is\n"
		"                       in step and the audit trail's hash chain, and warns\n"
		"                       when group or others may read or write the database,\n"
		"                       its -wal or -shm (mode over 0600) or its directory\n"
		"                       (over 0700), with the chmod to run; such a warning\n"
		"                       does not change the exit status\n"
		"  --anchor FILE        with --check: the chain must hold every anchor of FILE\n"
		"                       (lines \"AT ID HASH\", as --anchor-file writes them)\n"
		"  --version            print the version\n"
		"  --help               this text\n"
		"\n"
		"SIGINT or SIGTERM stops the daemon cleanly: it stops accepting, answers what\n"
		"arrives in the next 250 ms, closes each connection after its last reply,\n"
		"closes the database and exits 0.  Logs go to stderr, or to --log-file, each\n"
		"line with the local time; when stderr is the journal's (systemd), with its\n"
		"syslog priority instead (<3> error, <4> warn, <6> info, <7> debug).\n"
		"Under systemd's Type=notify it says READY=1 once listening, RELOADING=1 and\n"
		"READY=1 around SIGHUP, and STOPPING=1 (sd_notify, to $NOTIFY_SOCKET).\n"
		"SIGHUP reopens --log-file (after logrotate) and re-reads --config: --log-level,\n"
		"--log-file, the three timeouts, --max-clients, --max-unauth-per-address,\n"
		"--max-output-total, --keep-requests, --upload-quota and --min-free take effect\n"
		"at once; the others are read at the next start.\n"
		"\n"
		"Files dotphad makes (the database, its -wal and -shm, backup copies, the\n"
		"admin token, the log) are readable by its own user only, whatever the umask.\n");
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

/* Seconds, decimals allowed (tests use fractions), into milliseconds. */
static int parse_seconds(const char *opt, const char *s, uint64_t *out_ms)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !(v >= 0.05 && v <= 86400)) {
		fprintf(stderr, "dotphad: %s: expected seconds from 0.05 to 86400, got '%s'\n", opt,
			s);
		return -1;
	}
	*out_ms = (uint64_t)(v * 1000 + 0.5);
	return 0;
}

static bool takes_value(const char *a)
{
	static const char *const names[] = {"--listen",	      "--db",	       "--port-file",
					     "--log-level",     "--max-message", "--max-reply", "--max-clients",
					     "--clock",	      "--stalled-days", "--at-risk-margin",
					     "--auth-timeout",  "--idle-timeout", "--message-timeout",
					     "--keep-requests", "--tls-cert",  "--tls-key", "--tls-client-ca",
					     "--config", "--max-unauth-per-address", "--max-output-total",
					     "--log-file", "--anchor-file", "--anchor-every", "--anchor",
					     "--upload-quota", "--min-free",
					     NULL};

	for (int i = 0; names[i]; i++)
		if (strcmp(a, names[i]) == 0)
			return true;
	return false;
}

/* Where each word of the merged argv came from, so an error about an
 * option of --config names the file and its line: words [1, 1 + ncfg)
 * are the file's (options_with_config). */
static const char *cfg_path;
static unsigned cfg_line[512];
static int ncfg;

/* The name of option a, word i of the merged argv, for an error: "--name"
 * from the command line, "FILE:LINE: name" from --config.  Static
 * storage, good until the next call. */
static const char *label(int i, const char *a)
{
	static char buf[4200];

	if (!cfg_path || i < 1 || i > ncfg)
		return a;
	snprintf(buf, sizeof(buf), "%s:%u: %s", cfg_path, cfg_line[i - 1], a + strspn(a, "-"));
	return buf;
}

char **options_with_config(int *argc, char **argv, char ***words, int *nwords)
{
	static char *merged[512];
	const char *path = NULL;
	char why[600];
	int i, n = 0;

	*words = NULL;
	*nwords = 0;
	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "demo") == 0 || strcmp(argv[i], "gen-cert") == 0 ||
		    strcmp(argv[i], "restore") == 0)
			break;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < *argc)
			path = argv[i + 1];
	}
	if (!path)
		return argv;
	cfg_path = NULL;
	ncfg = 0;
	if (options_file_read(path, words, nwords, cfg_line, (int)(sizeof(cfg_line) / sizeof(cfg_line[0])),
			      why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --config %s\n", why);
		return NULL;
	}
	if (*nwords + *argc >= (int)(sizeof(merged) / sizeof(merged[0]))) {
		fprintf(stderr, "dotphad: --config %s: too many options\n", path);
		goto fail;
	}
	for (i = 0; i < *nwords; i++)
		if (strcmp((*words)[i], "--config") == 0) {
			fprintf(stderr, "dotphad: --config %s: a config file cannot name another\n", path);
			goto fail;
		}
	cfg_path = path;
	ncfg = *nwords;
	merged[n++] = argv[0];
	for (i = 0; i < *nwords; i++)
		merged[n++] = (*words)[i];
	for (i = 1; i < *argc; i++)
		merged[n++] = argv[i];
	merged[n] = NULL;
	*argc = n;
	return merged;
fail:
	options_file_free(*words, *nwords);
	*words = NULL;
	*nwords = 0;
	return NULL;
}

int options_parse(int argc, char **argv, struct options *st)
{
	struct server_options *opt = &st->opt;
	unsigned long long v;
	int i;

	memset(st, 0, sizeof(*st));
	server_defaults(opt);
	st->log_level = -1;
	st->stalled = DB_HEALTH_STALLED_DAYS;
	st->margin = DB_HEALTH_AT_RISK_MARGIN;
	for (i = 1; i < argc; i += 2) { /* every option but two flags takes one value */
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return OPTIONS_EXIT_0;
		} else if (strcmp(a, "--version") == 0) {
			printf("dotphad %s\n", DOTPHA_VERSION);
			return OPTIONS_EXIT_0;
		} else if (strcmp(a, "--check") == 0) {
			st->check_only = true;
			i--; /* no value to skip */
		} else if (strcmp(a, "--insecure-plaintext") == 0) {
			opt->insecure_plaintext = true;
			i--;
		} else if (strcmp(a, "gen-cert") == 0 || strcmp(a, "demo") == 0 ||
			   strcmp(a, "restore") == 0) {
			st->sub = i;
			return OPTIONS_PARSED;
		} else if (!takes_value(a)) {
			fprintf(stderr, "dotphad: %s: unknown %s\n", label(i, a),
				a[0] == '-' ? "option" : "argument");
			usage(stderr);
			return OPTIONS_EXIT_2;
		} else if (!val) {
			fprintf(stderr, "dotphad: %s: needs a value\n", label(i, a));
			return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--listen") == 0) {
			char why[200];

			if (server_check_listen(val, why, sizeof(why)) < 0) {
				fprintf(stderr, "dotphad: %s: %s\n", label(i, a), why);
				return OPTIONS_EXIT_2;
			}
			opt->listen = val;
		} else if (strcmp(a, "--db") == 0) {
			opt->db_path = val;
		} else if (strcmp(a, "--config") == 0) {
			opt->config_path = val;
		} else if (strcmp(a, "--log-file") == 0) {
			opt->log_file = val;
		} else if (strcmp(a, "--anchor-file") == 0) {
			opt->anchor_file = val;
		} else if (strcmp(a, "--anchor") == 0) {
			st->anchor = val;
		} else if (strcmp(a, "--anchor-every") == 0) {
			if (parse_seconds(label(i, a), val, &opt->anchor_every_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--tls-cert") == 0) {
			opt->tls_cert = val;
		} else if (strcmp(a, "--tls-key") == 0) {
			opt->tls_key = val;
		} else if (strcmp(a, "--tls-client-ca") == 0) {
			opt->tls_client_ca = val;
		} else if (strcmp(a, "--port-file") == 0) {
			opt->port_file = val;
		} else if (strcmp(a, "--log-level") == 0) {
			if ((st->log_level = log_parse_level(val)) < 0) {
				fprintf(stderr, "dotphad: %s: expected debug, info, warn or error, got '%s'\n",
					label(i, a), val);
				return OPTIONS_EXIT_2;
			}
		} else if (strcmp(a, "--max-message") == 0) {
			if (parse_size(label(i, a), val, 1024, 64ull << 20, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_message = (size_t)v;
		} else if (strcmp(a, "--max-reply") == 0) {
			if (parse_size(label(i, a), val, 4096, 64ull << 20, &v) < 0) /* dotpha reads 64 MiB */
				return OPTIONS_EXIT_2;
			opt->max_reply = (size_t)v;
		} else if (strcmp(a, "--max-clients") == 0) {
			if (parse_size(label(i, a), val, 1, 1000000, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_clients = (unsigned)v;
		} else if (strcmp(a, "--max-unauth-per-address") == 0) {
			if (parse_size(label(i, a), val, 1, 1000000, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_unauth_per_address = (unsigned)v;
		} else if (strcmp(a, "--max-output-total") == 0) {
			if (parse_size(label(i, a), val, 1ull << 20, 1ull << 40, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_output_total = (size_t)v;
		} else if (strcmp(a, "--keep-requests") == 0) {
			if (parse_size(label(i, a), val, 1, 3650, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->keep_requests_days = (unsigned)v;
		} else if (strcmp(a, "--upload-quota") == 0) {
			if (parse_size(label(i, a), val, 0, 1ull << 50, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->upload_quota = v;
		} else if (strcmp(a, "--min-free") == 0) {
			if (parse_size(label(i, a), val, 0, 1ull << 60, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->min_free = v;
		} else if (strcmp(a, "--auth-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->auth_timeout_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--idle-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->idle_timeout_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--message-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->message_timeout_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--stalled-days") == 0) {
			if (parse_size(label(i, a), val, 1, 3650, &v) < 0)
				return OPTIONS_EXIT_2;
			st->stalled = (int)v;
		} else if (strcmp(a, "--at-risk-margin") == 0) {
			if (parse_size(label(i, a), val, 0, 100, &v) < 0)
				return OPTIONS_EXIT_2;
			st->margin = (int)v;
		} else if (strcmp(a, "--clock") == 0) {
			if (clock_parse(val, &st->clock_at) < 0) {
				fprintf(stderr, "dotphad: %s: expected YYYY-MM-DD or "
						"YYYY-MM-DDTHH:MM:SS, got '%s'\n", label(i, a), val);
				return OPTIONS_EXIT_2;
			}
			st->clock_arg = val;
		}
	}
	return OPTIONS_PARSED;
}
