/*
 * main.c: dotphad's command line.  Everything else lives in the library so
 * the tests can link it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include <uv.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "anchor.h"
#include "date.h"
#include "db.h"
#include "clock.h"
#include "db_audit.h"
#include "db_health.h"
#include "db_search.h"
#include "demo.h"
#include "gencert.h"
#include "log.h"
#include "options_file.h"
#include "server.h"
#include "storage.h"
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
		"closes the database and exits 0.  Logs go to stderr, or to --log-file.\n"
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

/* --check's line on the search index (PROTOCOL.md 6h); 1 if it is out of
 * step with the tasks and updates. */
static int check_search(struct db *db)
{
	struct rpc_error err = {0};
	int64_t tasks, updates;

	if (db_search_check(db, &tasks, &updates, &err) != RPC_OK) {
		printf("search index: cannot check: %s\n", err.message);
		return 1;
	}
	if (tasks == 0 && updates == 0) {
		printf("search index: ok\n");
		return 0;
	}
	printf("search index: OUT OF STEP: %lld tasks, %lld updates\n", (long long)tasks,
	       (long long)updates);
	return 1;
}

static void print_mode_warning(void *arg, const char *line)
{
	(void)arg;
	printf("permissions: WARNING: %s\n", line);
}

/* dotphad --check: opens the database as a start would (applying pending
 * migrations), runs SQLite's integrity check and walks the audit trail's
 * hash chain, and prints what it found, with a warning for each of its
 * files wider than the service's alone.  Serves nothing.  Returns the exit
 * status: 0 if all is well, 1 if not; a warning on modes alone is 0, since
 * an admin may have widened them on purpose (a backup agent's group). */
static int check(const char *path, const char *anchor_path)
{
	struct rpc_error err = {0};
	struct audit_verdict v;
	struct audit_anchor *anchors = NULL;
	size_t nanchors = 0;
	struct db *db;
	char why[512], integrity[512], hex[65];
	int bad = 0;

	if (access(path, F_OK) != 0) {
		fprintf(stderr, "dotphad: --check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (anchor_path && anchor_read_file(anchor_path, &anchors, &nanchors, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --check --anchor %s\n", why);
		return 1;
	}
	if (db_open(&db, path, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --check: %s\n", why);
		free(anchors);
		return 1;
	}
	printf("database: %s\n", path);
	printf("schema version: %d (this dotphad writes %d)\n", db_file_version(db),
	       db_schema_version());
	if (db_begin(db, false, &err) != RPC_OK) {
		printf("cannot read: %s\n", err.message);
		db_close(db);
		free(anchors);
		return 1;
	}
	if (db_audit_integrity(db, integrity, sizeof(integrity), &err) != RPC_OK) {
		printf("integrity: cannot check: %s\n", err.message);
		bad = 1;
	} else {
		printf("integrity: %s\n", integrity);
		bad |= strcmp(integrity, "ok") != 0;
	}
	bad |= check_search(db);
	if (anchor_path)
		printf("audit anchors: %zu in %s\n", nanchors, anchor_path);
	/* While open, so that the -wal and -shm exist to be looked at. */
	if (storage_check_modes(path, print_mode_warning, NULL) == 0)
		printf("permissions: ok, the service's alone\n");
	if (db_audit_verify(db, anchors, nanchors, &v, &err) != RPC_OK) {
		printf("audit trail: cannot check: %s\n", err.message);
		bad = 1;
	} else if (v.ok) {
		anchor_hex(v.head_hash, hex);
		printf("audit trail: ok, %lld entries; head: entry %lld, hash %s\n",
		       (long long)v.entries, (long long)v.head, hex);
		if (anchor_path)
			printf("audit anchors: all %zu agree\n", nanchors);
	} else if (v.first_broken) {
		printf("audit trail: BROKEN at entry %lld (of %lld): %s\n", (long long)v.first_broken,
		       (long long)v.entries, v.problem);
		bad = 1;
	} else {
		printf("audit trail: BROKEN (%lld entries): %s\n", (long long)v.entries, v.problem);
		bad = 1;
	}
	db_rollback(db);
	db_close(db);
	free(anchors);
	return bad;
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

/* argv with the words of --config FILE (if given) put after argv[0], so
 * that the command line's own options, parsed later, win.  Returns the new
 * argv (static storage; *words to free at exit), or NULL after saying why. */
/* Where each word of the merged argv came from, so an error about an
 * option of --config names the file and its line: words [1, 1 + ncfg)
 * are the file's (with_config). */
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

static char **with_config(int *argc, char **argv, char ***words, int *nwords)
{
	static char *merged[512];
	const char *path = NULL;
	char why[600];
	int i, n = 0;

	*words = NULL;
	*nwords = 0;
	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "demo") == 0 || strcmp(argv[i], "gen-cert") == 0)
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

/* What the command line (and --config) ask for. */
struct settings {
	struct server_options opt;
	int log_level;         /* -1: not given */
	int stalled, margin;   /* --stalled-days, --at-risk-margin */
	const char *clock_arg; /* --clock, if given */
	time_t clock_at;
	bool check_only;       /* --check */
	const char *anchor;    /* --anchor FILE, with --check */
	int sub;               /* argv index of `demo` or `gen-cert`, or 0 */
};

enum { PARSED, PARSED_EXIT_0, PARSED_EXIT_2 };

/* Parses the (merged) options into *st.  Errors are said on stderr (the
 * log, once serving).  Returns an enum above. */
static int parse(int argc, char **argv, struct settings *st)
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
			return PARSED_EXIT_0;
		} else if (strcmp(a, "--version") == 0) {
			printf("dotphad %s\n", DOTPHA_VERSION);
			return PARSED_EXIT_0;
		} else if (strcmp(a, "--check") == 0) {
			st->check_only = true;
			i--; /* no value to skip */
		} else if (strcmp(a, "--insecure-plaintext") == 0) {
			opt->insecure_plaintext = true;
			i--;
		} else if (strcmp(a, "gen-cert") == 0 || strcmp(a, "demo") == 0) {
			st->sub = i;
			return PARSED;
		} else if (!takes_value(a)) {
			fprintf(stderr, "dotphad: %s: unknown %s\n", label(i, a),
				a[0] == '-' ? "option" : "argument");
			usage(stderr);
			return PARSED_EXIT_2;
		} else if (!val) {
			fprintf(stderr, "dotphad: %s: needs a value\n", label(i, a));
			return PARSED_EXIT_2;
		} else if (strcmp(a, "--listen") == 0) {
			char why[200];

			if (server_check_listen(val, why, sizeof(why)) < 0) {
				fprintf(stderr, "dotphad: %s: %s\n", label(i, a), why);
				return PARSED_EXIT_2;
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
				return PARSED_EXIT_2;
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
				return PARSED_EXIT_2;
			}
		} else if (strcmp(a, "--max-message") == 0) {
			if (parse_size(label(i, a), val, 1024, 64ull << 20, &v) < 0)
				return PARSED_EXIT_2;
			opt->max_message = (size_t)v;
		} else if (strcmp(a, "--max-reply") == 0) {
			if (parse_size(label(i, a), val, 4096, 64ull << 20, &v) < 0) /* dotpha reads 64 MiB */
				return PARSED_EXIT_2;
			opt->max_reply = (size_t)v;
		} else if (strcmp(a, "--max-clients") == 0) {
			if (parse_size(label(i, a), val, 1, 1000000, &v) < 0)
				return PARSED_EXIT_2;
			opt->max_clients = (unsigned)v;
		} else if (strcmp(a, "--max-unauth-per-address") == 0) {
			if (parse_size(label(i, a), val, 1, 1000000, &v) < 0)
				return PARSED_EXIT_2;
			opt->max_unauth_per_address = (unsigned)v;
		} else if (strcmp(a, "--max-output-total") == 0) {
			if (parse_size(label(i, a), val, 1ull << 20, 1ull << 40, &v) < 0)
				return PARSED_EXIT_2;
			opt->max_output_total = (size_t)v;
		} else if (strcmp(a, "--keep-requests") == 0) {
			if (parse_size(label(i, a), val, 1, 3650, &v) < 0)
				return PARSED_EXIT_2;
			opt->keep_requests_days = (unsigned)v;
		} else if (strcmp(a, "--upload-quota") == 0) {
			if (parse_size(label(i, a), val, 0, 1ull << 50, &v) < 0)
				return PARSED_EXIT_2;
			opt->upload_quota = v;
		} else if (strcmp(a, "--min-free") == 0) {
			if (parse_size(label(i, a), val, 0, 1ull << 60, &v) < 0)
				return PARSED_EXIT_2;
			opt->min_free = v;
		} else if (strcmp(a, "--auth-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->auth_timeout_ms) < 0)
				return PARSED_EXIT_2;
		} else if (strcmp(a, "--idle-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->idle_timeout_ms) < 0)
				return PARSED_EXIT_2;
		} else if (strcmp(a, "--message-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->message_timeout_ms) < 0)
				return PARSED_EXIT_2;
		} else if (strcmp(a, "--stalled-days") == 0) {
			if (parse_size(label(i, a), val, 1, 3650, &v) < 0)
				return PARSED_EXIT_2;
			st->stalled = (int)v;
		} else if (strcmp(a, "--at-risk-margin") == 0) {
			if (parse_size(label(i, a), val, 0, 100, &v) < 0)
				return PARSED_EXIT_2;
			st->margin = (int)v;
		} else if (strcmp(a, "--clock") == 0) {
			if (clock_parse(val, &st->clock_at) < 0) {
				fprintf(stderr, "dotphad: %s: expected YYYY-MM-DD or "
						"YYYY-MM-DDTHH:MM:SS, got '%s'\n", label(i, a), val);
				return PARSED_EXIT_2;
			}
			st->clock_arg = val;
		}
	}
	return PARSED;
}

/* The command line as given, for SIGHUP's reload: --config's words go
 * before it again, so it still wins. */
static int cmd_argc;
static char **cmd_argv;

/* Two option strings differ (either may be NULL). */
static bool differ(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* SIGHUP: reopens the log file, then re-reads --config with the command
 * line and applies what can change while serving (server_reload); a file
 * that no longer parses changes nothing. */
static void reload(struct server *s)
{
	static char log_path[4096]; /* the log file's path outlives the words */
	struct settings st;
	char **words, **args;
	int argc = cmd_argc, nwords;
	const struct server_options *now = &s->opt;

	if (now->log_file && log_open_file(now->log_file) < 0)
		log_error("SIGHUP: cannot reopen the log file %s: %s; logging on where it was",
			  now->log_file, strerror(errno));
	log_info("received SIGHUP: %s%s%s", now->log_file ? "log file reopened" : "the log is stderr",
		 now->config_path ? "; re-reading --config " : "",
		 now->config_path ? now->config_path : "");
	if (!now->config_path)
		return;
	if (!(args = with_config(&argc, cmd_argv, &words, &nwords))) {
		log_error("SIGHUP: --config %s cannot be read (said above); nothing changed",
			  now->config_path);
		return;
	}
	if (parse(argc, args, &st) != PARSED || st.sub) {
		log_error("SIGHUP: --config %s has an error (said above); nothing changed",
			  now->config_path);
		options_file_free(words, nwords);
		return;
	}
	if (differ(st.opt.log_file, now->log_file)) {
		if (st.opt.log_file) {
			snprintf(log_path, sizeof(log_path), "%s", st.opt.log_file);
			if (log_open_file(log_path) < 0)
				log_error("SIGHUP: cannot open the log file %s: %s; logging on where it was",
					  log_path, strerror(errno));
			else
				s->opt.log_file = log_path;
		} else {
			log_warn("SIGHUP: --log-file was removed: the log stays in %s until a restart",
				 now->log_file);
		}
	}
	log_set_level(st.log_level >= 0 ? st.log_level : LOG_INFO);
	if (differ(st.opt.listen, now->listen) || differ(st.opt.db_path, now->db_path) ||
	    differ(st.opt.tls_cert, now->tls_cert) || differ(st.opt.tls_key, now->tls_key) ||
	    differ(st.opt.tls_client_ca, now->tls_client_ca) ||
	    differ(st.opt.anchor_file, now->anchor_file) ||
	    st.opt.max_message != now->max_message || st.opt.max_reply != now->max_reply ||
	    st.opt.insecure_plaintext != now->insecure_plaintext)
		log_warn("SIGHUP: --listen, --db, the TLS files, --anchor-file, --max-message, "
			 "--max-reply and --insecure-plaintext are read at start only: restart "
			 "dotphad for the new ones");
	server_reload(s, &st.opt);
	options_file_free(words, nwords);
}

/* Runs what the options ask: a subcommand, --check, or the daemon. */
static int serve(int argc, char **argv)
{
	struct settings st;
	struct server s;
	int rc = parse(argc, argv, &st);

	if (rc != PARSED)
		return rc == PARSED_EXIT_0 ? 0 : 2;
	if (st.sub && strcmp(argv[st.sub], "gen-cert") == 0)
		return gencert_main(argc - st.sub - 1, argv + st.sub + 1);
	/* The database, its WAL (SQLite gives it the database's mode), the
	 * backup copies and the log hold every unit's tasks, accounts and
	 * evidence: whatever umask dotphad was started with, what it creates
	 * is its user's alone.  (gen-cert, above, keeps its certificate
	 * readable by all: it is public.) */
	umask(077);
	if (st.sub)
		return demo_main(st.opt.db_path, argc - st.sub - 1, argv + st.sub + 1);
	if (st.log_level >= 0)
		log_set_level(st.log_level);
	if (st.opt.log_file && !st.check_only && log_open_file(st.opt.log_file) < 0) {
		fprintf(stderr, "dotphad: --log-file %s: %s\n", st.opt.log_file, strerror(errno));
		return 2;
	}
	db_health_set(st.stalled, st.margin);
	if (st.clock_arg) {
		char at[TIMESTAMP_LEN];

		clock_set(st.clock_at);
		date_timestamp(st.clock_at, at);
		log_warn("THE SERVER'S CLOCK IS SET to %s (--clock %s, %+lld s from the system's): "
			 "for tests and trials only; everything recorded is dated by it", at,
			 st.clock_arg, clock_offset());
	}
	if (st.anchor && !st.check_only) {
		fprintf(stderr, "dotphad: --anchor FILE goes with --check (the daemon writes "
				"--anchor-file)\n");
		return 2;
	}
	if (st.check_only)
		return check(st.opt.db_path, st.anchor);
	if (server_start(&s, uv_default_loop(), &st.opt) < 0)
		return 1;
	s.reload = reload;
	return server_run(&s);
}

int main(int argc, char **argv)
{
	char **words;
	int nwords, rc;
	char **args;

#ifdef __GLIBC__
	/* SQLite gives each MATERIALIZED CTE (the status and health of every
	 * task.get) a temporary b-tree with an 85 KiB page cache, freed at
	 * reset.  glibc trims a free heap top over 128 KiB back to the kernel,
	 * so every such request paid brk twice and faulted fresh zeroed
	 * pages: task.get at C=64 on the national data ran at 5,700 req/s, and
	 * 13,400 with the heap top kept up to 8 MiB (bench/README.md). */
	mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
#endif
	cmd_argc = argc;
	cmd_argv = argv;
	args = with_config(&argc, argv, &words, &nwords);
	if (!args)
		return 2;
	rc = serve(argc, args);
	options_file_free(words, nwords);
	return rc;
}
