/*
 * cli.h: a run of dotpha from argv to exit status: global options, the
 * server's address, finding the command, running it, and turning any
 * failure into one message on stderr and an exit code.
 */
#ifndef DOTPHA_CLI_H
#define DOTPHA_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "errors.h"
#include "rpc.h"
#include "strbuf.h"

#define DOTPHA_CLIENT_VERSION "0.1.0"

/* The exit codes; `dotpha --help` and client/main.c list them too. */
enum cli_exit {
	CLI_EXIT_OK = 0,
	CLI_EXIT_SERVER = 1,      /* the server reported another error, or the client failed */
	CLI_EXIT_USAGE = 2,       /* the command line is wrong */
	CLI_EXIT_UNREACHABLE = 3, /* cannot reach the server, lost it, timeout, protocol mismatch */
	CLI_EXIT_NOT_FOUND = 4,   /* not_found */
	CLI_EXIT_INVALID = 5,     /* invalid_argument */
	CLI_EXIT_CONFLICT = 6,    /* conflict */
	CLI_EXIT_DENIED = 7,      /* unauthenticated or forbidden */
	CLI_EXIT_QUEUED = 8,      /* out of reach: the write is kept in the offline queue */
};

struct config;
struct render_col;

/* What a command handler works with. */
struct cli {
	FILE *in;               /* what login reads a token from */
	FILE *out;              /* results */
	FILE *err;              /* errors, warnings, retry notices */
	bool json;              /* --json */
	size_t width;           /* columns tables fit in (sys_table_width); 0: no limit */
	const struct render_col *columns; /* --columns: the list's columns picked, or NULL: its view's */
	struct rpc *rpc;        /* the connection */
	const struct config *conf; /* the server, the token and the config file */
	struct rpc_error error; /* why a handler failed */
	const char *hint;       /* a handler's hint for its failure, or NULL */
	bool trust_given;       /* --fingerprint or --ca was given (login re-pins) */
	int exit_code;          /* a handler's exit code for its failure, 0: from the status */
};

/* Runs dotpha on the process's stdout and stderr. */
int cli_main(int argc, char **argv);

/* Runs dotpha with results to out and messages to err; returns the exit
 * code.  Reads DOTPHA_SERVER, DOTPHA_TOKEN, XDG_CONFIG_HOME and HOME from
 * the environment, and stdin when `dotpha login` is not given --token. */
int cli_run(int argc, char **argv, FILE *out, FILE *err);

/* The same, with in in place of stdin. */
int cli_run_io(int argc, char **argv, FILE *in, FILE *out, FILE *err);

/* The hint printed after an unauthenticated or forbidden error: what to do
 * about it, given the token that was sent (NULL: none) and where it came
 * from (enum config_source) and the config file as shown. */
const char *cli_denied_hint(int code, bool sent_token, int token_source, const char *file,
			    char *buf, size_t n);

struct command;

/* Appends a server's error as a person reads it: "MESSAGE (name)", the
 * message said in the language in force from its template and values
 * (say.h; a field as cmd's option, cmd may be NULL), and name its error
 * name (rpc's, or "" for the code's).  The one place a server's error is
 * put into words. */
void cli_server_error(struct strbuf *sb, const struct rpc_error *e, const char *name,
		      const struct command *cmd);

/* The exit code for a handler's enum rpc_status and, for RPC_STATUS_REMOTE,
 * the server's error code. */
int cli_exit_code(int status, int code);

#endif
