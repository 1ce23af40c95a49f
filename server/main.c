/*
 * main.c: dotphad's main(): parses the options (options.c), then runs what
 * they ask: a subcommand, --check (check.c), or the daemon, reloading on
 * SIGHUP.  Everything else lives in the library so the tests can link it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>

#include <uv.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "check.h"
#include "clock.h"
#include "date.h"
#include "db.h"
#include "db_health.h"
#include "demo.h"
#include "gencert.h"
#include "log.h"
#include "options.h"
#include "options_file.h"
#include "restore.h"
#include "server.h"

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
	struct options st;
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
	if (!(args = options_with_config(&argc, cmd_argv, &words, &nwords))) {
		log_error("SIGHUP: --config %s cannot be read (said above); nothing changed",
			  now->config_path);
		return;
	}
	if (options_parse(argc, args, &st) != OPTIONS_PARSED || st.sub) {
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
	struct options st;
	struct server s;
	char why[256];
	int rc = options_parse(argc, argv, &st);

	if (rc != OPTIONS_PARSED)
		return rc == OPTIONS_EXIT_0 ? 0 : 2;
	if (st.sub && strcmp(argv[st.sub], "gen-cert") == 0)
		return gencert_main(argc - st.sub - 1, argv + st.sub + 1);
	/* Before the log's first line and any thread: every local date and
	 * moment from here on is the province's. */
	if (clock_set_zone(st.zone, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --timezone: %s\n", why);
		return 2;
	}
	log_init(); /* the journal's form when stderr is its stream */
	/* The database, its WAL (SQLite gives it the database's mode), the
	 * backup copies and the log hold every unit's tasks, accounts and
	 * evidence: whatever umask dotphad was started with, what it creates
	 * is its user's alone.  (gen-cert, above, keeps its certificate
	 * readable by all: it is public.) */
	umask(077);
	if (st.sub && strcmp(argv[st.sub], "restore") == 0)
		return restore_main(st.opt.db_path, argc - st.sub - 1, argv + st.sub + 1);
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
		time_t clock_at;

		clock_parse(st.clock_arg, &clock_at); /* options_parse checked it */
		clock_set(clock_at);
		date_timestamp(clock_at, at);
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
		return check_run(st.opt.db_path, st.anchor);
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
	db_process_init();
	cmd_argc = argc;
	cmd_argv = argv;
	args = options_with_config(&argc, argv, &words, &nwords);
	if (!args)
		return 2;
	rc = serve(argc, args);
	options_file_free(words, nwords);
	return rc;
}
