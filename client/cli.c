/*
 * cli.c: see cli.h.  The order of a run:
 *
 *   global options -> noun -> verb (none for a noun that is a command by
 *   itself: login, audit) -> the command's arguments (a --help anywhere
 *   prints help instead) -> server address and token -> handler -> report.
 *
 * Nothing touches the network before the command line has been checked,
 * so a usage error never costs a round trip on a slow link.
 */
#include "cli.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "columns.h"
#include "commands.h"
#include "config.h"
#include "fmt.h"
#include "hidden.h"
#include "lang.h"
#include "methods.h"
#include "notice.h"
#include "queue.h"
#include "run.h"
#include "say.h"
#include "strbuf.h"
#include "sys.h"
#include "utf8.h"

int cli_exit_code(int status, int code)
{
	switch (status) {
	case RPC_STATUS_OK:
		return CLI_EXIT_OK;
	case RPC_STATUS_TRANSPORT:
	case RPC_STATUS_MISMATCH:
		return CLI_EXIT_UNREACHABLE;
	case RPC_STATUS_REMOTE:
		switch (code) {
		case RPC_NOT_FOUND: return CLI_EXIT_NOT_FOUND;
		case RPC_INVALID_ARGUMENT: return CLI_EXIT_INVALID;
		case RPC_CONFLICT: return CLI_EXIT_CONFLICT;
		case RPC_UNAUTHENTICATED:
		case RPC_FORBIDDEN: return CLI_EXIT_DENIED;
		default: return CLI_EXIT_SERVER;
		}
	default:
		return CLI_EXIT_SERVER;
	}
}

/* Prints a usage error, the command's usage line if known, and returns 2. */
static int usage_error(FILE *err, const struct command *cmd, const char *noun, const char *msg)
{
	char name[64];

	fprintf(err, "dotpha: %s\n", msg);
	if (cmd) {
		commands_usage(err, cmd);
		fprintf(err, T("Run `dotpha %s --help` for details.\n"), commands_name(cmd, name, sizeof(name)));
	} else if (noun) {
		fprintf(err, T("Run `dotpha %s --help` for its verbs.\n"), noun);
	} else {
		fprintf(err, T("usage: dotpha [--server HOST:PORT] [--json] [--lang vi|en] [--timeout SEC]\n"
			     "              NOUN VERB [ARGS] [OPTIONS]\n"
			     "Run `dotpha --help` for the commands.\n"));
	}
	return CLI_EXIT_USAGE;
}

static const char *remote_hint(int code)
{
	switch (code) {
	case RPC_BUSY:
		return T("the database is busy and nothing was written; try again in a moment");
	case RPC_UNAVAILABLE:
		return T("nothing was written; try again later");
	case RPC_TOO_MANY_CLIENTS:
		return T("the server has all the connections it allows; try again later");
	case RPC_STORAGE_FULL:
		return T("the server's disk is full and nothing was written; tell its administrator");
	case RPC_TIMEOUT:
		return T("the connection was too slow or too quiet for the server; run the command again");
	case RPC_INTERNAL:
		return T("nothing was written; the server's log has the details");
	case RPC_UNKNOWN_METHOD:
		return T("is the server a different version of dotphad?");
	default:
		return NULL;
	}
}

const char *cli_denied_hint(int code, bool sent_token, int token_source, const char *file,
			    char *buf, size_t n)
{
	if (code == RPC_FORBIDDEN)
		return T("your account's role or scope does not allow this (see `dotpha whoami`)");
	if (code != RPC_UNAUTHENTICATED)
		return NULL;
	if (!sent_token)
		snprintf(buf, n, T("not signed in: run `dotpha login` or set DOTPHA_TOKEN"));
	else if (token_source == CONFIG_ENV)
		snprintf(buf, n, T("the token in DOTPHA_TOKEN was not accepted: run `dotpha login`"
			 " or set DOTPHA_TOKEN"));
	else
		snprintf(buf, n, T("the token saved in %s was not accepted: run `dotpha login`"
			 " or set DOTPHA_TOKEN"), file);
	return buf;
}

/* True for the errors of a sign-in that say nothing about the token. */
static bool passing(int code)
{
	return code == RPC_BUSY || code == RPC_UNAVAILABLE || code == RPC_INTERNAL ||
	       code == RPC_TOO_MANY_CLIENTS || code == RPC_STORAGE_FULL;
}

static const char *source_name(const struct config *conf)
{
	switch (conf->source) {
	case CONFIG_ENV: return "DOTPHA_SERVER";
	case CONFIG_FILE: return conf->path;
	default: return NULL;
	}
}

void cli_server_error(struct strbuf *sb, const struct rpc_error *e, const char *name,
		      const struct command *cmd)
{
	char said[600];

	/* In the language in force, from the error's template and values
	 * (say.h); the server's English message when there is none. */
	strbuf_addf(sb, "%s (%s)", say_error(e, cmd, said, sizeof(said)),
		    name && name[0] ? name : errors_name(e->code));
}

/* Writes the one message a failed command leaves on stderr. */
static void report(struct cli *c, const struct command *cmd, const struct config *conf, int st)
{
	struct rpc *r = c->rpc;
	const char *hint = NULL, *from = source_name(conf);
	struct strbuf sb = STRBUF_INIT;
	char buf[1300];

	switch (st) {
	case RPC_STATUS_REMOTE:
		if (!(hint = c->hint))
			hint = cli_denied_hint(r->auth_failed && !passing(c->error.code) ?
					       RPC_UNAUTHENTICATED : c->error.code,
					       r->token != NULL, conf->token_source, conf->shown,
					       buf, sizeof(buf));
		if (!hint)
			hint = remote_hint(c->error.code);
		cli_server_error(&sb, &c->error, r->error_name, cmd);
		fprintf(c->err, "dotpha: %s%s%s\n", strbuf_cstr(&sb), hint ? " — " : "", hint ? hint : "");
		strbuf_free(&sb);
		return;
	case RPC_STATUS_TRANSPORT:
		fprintf(c->err, "dotpha: %s", r->failure == RPC_FAIL_TLS && r->tls_detail[0]
						      ? r->tls_detail : c->error.message);
		switch (r->failure) {
		case RPC_FAIL_CONNECT:
			if (from)
				fprintf(c->err, T(" — is dotphad running there? (the address comes from %s;"
					" pass --server HOST:PORT for another)"), from);
			else
				fprintf(c->err, T(" — is dotphad running? (start it with `make run`,"
					" or pass --server HOST:PORT)"));
			break;
		case RPC_FAIL_RESOLVE:
			if (from)
				fprintf(c->err, T(" — check the name in %s, or pass --server HOST:PORT"),
					from);
			else
				fprintf(c->err, T(" — check the name, or pass --server HOST:PORT"));
			break;
		case RPC_FAIL_TIMEOUT:
			fprintf(c->err, T(" — the link or the server is slow; try again, or raise --timeout"));
			break;
		default:
			break;
		}
		fputc('\n', c->err);
		if (c->hint) /* a command's own advice (attach: run it again to resume) */
			fprintf(c->err, "dotpha: %s\n", c->hint);
		if (r->unanswered)
			fprintf(c->err, T("dotpha: the %s request was sent but its answer was lost, so it may"
				" have been applied; to retry it safely, run the same command with"
				" --request-id %s\n"), cmd->method, r->sent_request_id);
		return;
	default:
		fprintf(c->err, "dotpha: %s\n", c->error.message);
		return;
	}
}

static bool is_help(const char *arg)
{
	return strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0;
}

/* Chooses TLS or plaintext and how to verify the server (config.h).
 * Returns 0, or -1 with a usage error in msg. */
static int choose_transport(struct rpc *rpc, const struct command *cmd, const struct globals *g,
			    const struct config *conf, char *msg, size_t msglen)
{
	const char *ca = g->ca ? g->ca : conf->ca[0] ? conf->ca : NULL;
	const char *pin = g->fingerprint ? g->fingerprint : config_pin(conf, rpc->where);
	char canon[TLS_CLIENT_FP_LEN];

	if (g->fingerprint && tls_client_pin_parse(g->fingerprint, canon) < 0) {
		snprintf(msg, msglen, T("--fingerprint: '%s' is not a SHA-256 fingerprint (64 hex digits,"
			 " colons allowed)"), g->fingerprint);
		return -1;
	}
	rpc->use_tls = conf->scheme == CONFIG_SCHEME_TLS ||
		       (conf->scheme == CONFIG_SCHEME_AUTO &&
			(!config_loopback(conf->host) || ca || pin));
	rpc->tls.ca_file = ca;
	rpc->tls.pin = ca ? NULL : pin;
	rpc->tls.tofu = cmd->run == run_login;
	rpc->tls.cert_file = g->cert ? g->cert : conf->cert[0] ? conf->cert : NULL;
	rpc->tls.key_file = g->key ? g->key : conf->key[0] ? conf->key : NULL;
	if (rpc->tls.key_file && !rpc->tls.cert_file) {
		snprintf(msg, msglen, T("--key needs --cert (the client certificate it belongs to)"));
		return -1;
	}
	if (rpc->use_tls || config_loopback(conf->host))
		return 0;
	if (rpc->token || ((cmd->flags & CMD_OWN_TOKEN) && !(cmd->flags & CMD_OFFLINE))) {
		snprintf(msg, msglen, T("refusing to send a token in clear to %s, which is not a loopback"
			 " address: connect with TLS (write the server as HOST:PORT or tls://HOST:PORT,"
			 " not tcp://)"), rpc->where);
		return -1;
	}
	return 0;
}

/* Connects the pieces for one command and runs it. */
static int execute(const struct command *cmd, const struct args *a, const struct globals *g,
		   const struct render_col *columns, FILE *in, FILE *out, FILE *err)
{
	struct config conf;
	struct config_env env = {getenv("DOTPHA_SERVER"), getenv("DOTPHA_TOKEN"),
				 getenv("XDG_CONFIG_HOME"), getenv("HOME")};
	struct rpc rpc;
	struct cli c;
	char msg[1300];
	unsigned timeout;
	int st, code;

	/* logout needs no server, so a broken address does not stand in its way */
	if (config_resolve(&conf, g->server, &env, err, msg, sizeof(msg)) < 0 &&
	    !(cmd->flags & CMD_OFFLINE))
		return usage_error(err, NULL, NULL, msg);
	if (!(cmd->flags & CMD_OWN_TOKEN) && config_token(&conf, err, msg, sizeof(msg)) < 0) {
		fprintf(err, "dotpha: %s\n", msg);
		return CLI_EXIT_USAGE;
	}
	timeout = g->timeout ? g->timeout : conf.timeout ? conf.timeout : CONFIG_DEFAULT_TIMEOUT;
	rpc_init(&rpc, conf.host, conf.port, timeout * 1000u);
	rpc.request_id = g->request_id;
	rpc.log = err;
	if (!(cmd->flags & CMD_OWN_TOKEN) && conf.token[0])
		rpc.token = conf.token;
	rpc.want_waiting =
		rpc.token && notice_wanted(cmd, g->json, g->quiet, conf.notices_off, err);
	if (!(cmd->flags & CMD_OFFLINE) &&
	    choose_transport(&rpc, cmd, g, &conf, msg, sizeof(msg)) < 0) {
		rpc_close(&rpc);
		sys_wipe(conf.token, sizeof(conf.token));
		return usage_error(err, NULL, NULL, msg);
	}
	memset(&c, 0, sizeof(c));
	c.in = in;
	c.out = out;
	c.err = err;
	c.json = g->json;
	c.width = c.json ? 0 : sys_table_width(out);
	c.columns = columns;
	c.rpc = &rpc;
	c.conf = &conf;
	c.trust_given = g->fingerprint || g->ca;
	/* What waits in the offline queue goes first, in order. */
	if (!(cmd->flags & CMD_OFFLINE) && cmd->run != run_sync)
		queue_flush(&c);
	/* Queued answers just sent make the sign-in's counts stale. */
	rpc.want_waiting = rpc.want_waiting && rpc.writes == 0;
	st = cmd->run(&c, cmd, a);
	/* Kept for later only when no connection could be made at all: a
	 * request sent whose answer was lost is reported with its request_id
	 * (report()), as it may have been applied. */
	if (st == RPC_STATUS_TRANSPORT && !rpc.unanswered &&
	    (rpc.failure == RPC_FAIL_CONNECT || rpc.failure == RPC_FAIL_RESOLVE) &&
	    queue_takes(cmd) && queue_add(&c, cmd, a) == 0) {
		rpc_close(&rpc);
		sys_wipe(conf.token, sizeof(conf.token));
		return CLI_EXIT_QUEUED;
	}
	if (st != RPC_STATUS_OK)
		report(&c, cmd, &conf, st);
	else if (rpc.want_waiting && fflush(out) == 0)
		notice_print(err, &rpc.waiting); /* after the output, what waits */
	rpc_close(&rpc);
	code = cli_exit_code(st, c.error.code);
	if (st == RPC_STATUS_REMOTE && rpc.auth_failed && !passing(c.error.code))
		code = CLI_EXIT_DENIED;
	if (st != RPC_STATUS_OK && c.exit_code)
		code = c.exit_code;
	sys_wipe(conf.token, sizeof(conf.token));
	return code;
}

int cli_run(int argc, char **argv, FILE *out, FILE *err)
{
	return cli_run_io(argc, argv, stdin, out, err);
}

/* The command of a verb of two words (`dotpha admin throttle list`), or
 * NULL. */
static const struct command *find_two_words(const char *noun, const char *w1, const char *w2)
{
	char verb[64];

	if (snprintf(verb, sizeof(verb), "%s %s", w1, w2) >= (int)sizeof(verb))
		return NULL;
	return commands_find(noun, verb);
}

/* The value of the first --lang in argv before a "--" (the options are
 * not parsed yet: the language of their errors comes first), or NULL. */
static const char *lang_flag(int argc, char **argv)
{
	for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++) {
		if (strncmp(argv[i], "--lang=", 7) == 0)
			return argv[i] + 7;
		if (strcmp(argv[i], "--lang") == 0)
			return i + 1 < argc ? argv[i + 1] : NULL;
	}
	return NULL;
}

/* Sets the language and the time zone of this run (lang.h, fmt.h) from
 * --lang, DOTPHA_LANG and the config file, before anything is printed.
 * Returns 0, or -1 with a usage error in msg for a language that is none. */
static int choose_lang(int argc, char **argv, char *msg, size_t msglen)
{
	struct config_env env = {NULL, NULL, getenv("XDG_CONFIG_HOME"), getenv("HOME")};
	const char *flag = lang_flag(argc, argv), *envlang = getenv("DOTPHA_LANG"), *bad;
	struct config prefs;
	int l;

	config_prefs(&prefs, &env);
	fmt_set_zone(prefs.timezone);
	/* A bad --lang is reported by args_global(), in the language of the rest. */
	if (flag && lang_parse(flag) < 0)
		flag = NULL;
	l = lang_choose(flag, envlang, prefs.lang, &bad);
	if (l < 0) {
		lang_set(lang_choose(NULL, NULL, prefs.lang, &bad));
		snprintf(msg, msglen, T("%s: '%s' is not a language: use vi (Vietnamese) or"
					" en (English)"), "DOTPHA_LANG", envlang);
		return -1;
	}
	lang_set((enum lang)l);
	return 0;
}

/* execute(), its standard output sent to -o FILE when given: written as
 * FILE.part and renamed to FILE once the command succeeded, so a failed
 * or cut-off run leaves no half a file under the name (and an older FILE
 * stays as it was). */
static int execute_to(const struct command *cmd, const struct args *a, const struct globals *g,
		      const struct render_col *columns, FILE *in, FILE *out, FILE *err)
{
	char part[4200];
	FILE *f;
	int code;

	if (!g->output)
		return execute(cmd, a, g, columns, in, out, err);
	if ((size_t)snprintf(part, sizeof(part), "%s.part", g->output) >= sizeof(part) ||
	    !(f = fopen(part, "wb"))) {
		fprintf(err, T("dotpha: cannot write %s: %s\n"), g->output, strerror(errno));
		return CLI_EXIT_SERVER;
	}
	code = execute(cmd, a, g, columns, in, f, err);
	if (fclose(f) != 0 && code == CLI_EXIT_OK) {
		fprintf(err, T("dotpha: cannot write %s: %s\n"), g->output, strerror(errno));
		code = CLI_EXIT_SERVER;
	}
	if (code == CLI_EXIT_OK && rename(part, g->output) != 0) {
		fprintf(err, T("dotpha: cannot write %s: %s\n"), g->output, strerror(errno));
		code = CLI_EXIT_SERVER;
	}
	if (code != CLI_EXIT_OK)
		remove(part);
	return code;
}

/* After a command line parsed: --help, the checks that need the whole
 * line, then the command. */
static int checked_run(const struct command *cmd, const struct args *a, const struct globals *g,
		       struct render_col picked[COLUMNS_MAX + 1], FILE *in, FILE *out, FILE *err)
{
	const struct render_col *columns = NULL;
	char msg[400];

	if (g->help) {
		commands_help(out, cmd);
		return CLI_EXIT_OK;
	}
	if ((cmd->flags & CMD_CHANGE) && !args_any_option(a))
		return usage_error(err, cmd, NULL, T("nothing to change: give at least one option"));
	if (g->request_id && !commands_writes(cmd)) {
		snprintf(msg, sizeof(msg), T("--request-id applies only to commands that change data"));
		return usage_error(err, cmd, NULL, msg);
	}
	if (a->columns && cmd->view && cmd->view->columns) {
		char cmsg[2048];

		if (columns_pick(cmd->view->columns, a->columns, picked, cmsg, sizeof(cmsg)) < 0) {
			utf8_tidy(cmsg); /* the list of columns may have been cut */
			return usage_error(err, cmd, NULL, cmsg);
		}
		columns = picked;
	}
	return execute_to(cmd, a, g, columns, in, out, err);
}

int cli_run_io(int argc, char **argv, FILE *in, FILE *out, FILE *err)
{
	struct globals g;
	struct args a;
	struct render_col picked[COLUMNS_MAX + 1];
	struct strbuf sb = STRBUF_INIT;
	const struct command *cmd;
	const char *noun, *verb;
	char msg[400];
	int i = 1, rc;

	memset(&g, 0, sizeof(g));
	if (choose_lang(argc, argv, msg, sizeof(msg)) < 0)
		return usage_error(err, NULL, NULL, msg);
	while (i < argc && argv[i][0] == '-' && argv[i][1]) {
		rc = args_global(&g, argc, argv, &i, msg, sizeof(msg));
		if (rc < 0)
			return usage_error(err, NULL, NULL, msg);
		if (rc == 0) {
			snprintf(msg, sizeof(msg), T("unknown option '%s' before the command"), argv[i]);
			return usage_error(err, NULL, NULL, msg);
		}
	}
	if (g.version) {
		fprintf(out, T("dotpha %s (protocol %d)\n"), DOTPHA_CLIENT_VERSION, PROTOCOL_VERSION);
		return CLI_EXIT_OK;
	}
	if (i < argc && hidden_is(argv[i])) /* __man, __complete: for the build and the shell */
		return hidden_run(argc - i, argv + i, out, err);
	if (i < argc && strcmp(argv[i], "help") == 0) { /* `dotpha help [NOUN [VERB]]` */
		g.help = true;
		i++;
	}
	if (i >= argc) {
		if (g.help) {
			commands_overview(out);
			return CLI_EXIT_OK;
		}
		return usage_error(err, NULL, NULL, T("missing command"));
	}
	noun = argv[i++];
	if (!commands_noun_exists(noun)) {
		commands_nouns(&sb);
		snprintf(msg, sizeof(msg), T("unknown command '%s'; the commands are: %s"), noun,
			 strbuf_cstr(&sb));
		strbuf_free(&sb);
		return usage_error(err, NULL, NULL, msg);
	}
	/* A noun that is a command by itself (login, audit) takes what follows
	 * as its arguments, unless that is one of its verbs (audit verify). */
	if ((cmd = commands_find(noun, "")) && i < argc && argv[i][0] &&
	    commands_find(noun, argv[i]))
		cmd = NULL;
	if (!cmd) {
		if (i >= argc || is_help(argv[i]) || (g.help && argv[i][0] == '-')) {
			if (g.help || i < argc) {
				commands_noun_help(out, noun);
				return CLI_EXIT_OK;
			}
			commands_verbs(&sb, noun);
			snprintf(msg, sizeof(msg), T("'%s' needs a verb: %s"), noun, strbuf_cstr(&sb));
			strbuf_free(&sb);
			return usage_error(err, NULL, noun, msg);
		}
		verb = argv[i++];
		if (!(cmd = commands_find(noun, verb)) && i < argc &&
		    (cmd = find_two_words(noun, verb, argv[i])))
			i++;
		if (!cmd) {
			commands_verbs(&sb, noun);
			snprintf(msg, sizeof(msg), T("'%s' has no verb '%s'; its verbs are: %s"), noun, verb,
				 strbuf_cstr(&sb));
			strbuf_free(&sb);
			return usage_error(err, NULL, noun, msg);
		}
	}
	g.text_in = in;
	rc = args_parse(cmd->opts, argc - i, argv + i, &a, &g, msg, sizeof(msg));
	if (rc < 0 && g.help) {
		commands_help(out, cmd);
		return CLI_EXIT_OK;
	}
	if (rc < 0)
		return usage_error(err, cmd, NULL, msg);
	rc = checked_run(cmd, &a, &g, picked, in, out, err);
	args_free(&a);
	return rc;
}

int cli_main(int argc, char **argv)
{
	int code = cli_run(argc, argv, stdout, stderr);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, T("dotpha: cannot write the output\n"));
		if (code == CLI_EXIT_OK)
			code = CLI_EXIT_SERVER;
	}
	return code;
}
