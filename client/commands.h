/*
 * commands.h: the noun/verb table, as data, and the help built from it.
 *
 * One row per command: the words that name it, the wire method it calls,
 * the handler that calls it (run.c), its options (args.h) and how its
 * result looks (views.h).  Help at every level (`dotpha --help`, `dotpha
 * NOUN --help`, `dotpha NOUN VERB --help`) and the usage lines of errors
 * are generated from the same rows, so they cannot drift from what the
 * parser accepts.
 */
#ifndef DOTPHA_COMMANDS_H
#define DOTPHA_COMMANDS_H

#include <stdio.h>

#include "args.h"
#include "render.h"
#include "strbuf.h"

struct cli;
struct command;

/* A handler runs one command: it calls the server through c->rpc and writes
 * the result to c->out.  Returns an enum rpc_status; on failure c->error
 * says why. */
typedef int (*command_fn)(struct cli *c, const struct command *cmd, const struct args *a);

#define CMD_CHANGE 1u    /* needs at least one option besides the positionals */
#define CMD_OWN_TOKEN 2u /* does not sign in with the saved token (login, logout) */
#define CMD_OFFLINE 4u   /* calls no server (logout) */

struct command {
	const char *noun;              /* "task"; NULL ends the table */
	const char *verb;              /* "create"; two words for a group of verbs
	                                * ("throttle list": `dotpha admin throttle list`);
	                                * "" for a command that is a noun alone
	                                * (`dotpha login`, `dotpha audit --since ...`) */
	const char *method;            /* the wire method, "task.create"; NULL for none */
	command_fn run;                /* run.c */
	const struct opt_spec *opts;   /* its arguments and options */
	const struct render_view *view;/* how its result is shown */
	unsigned flags;                /* CMD_CHANGE */
	const char *summary;           /* one line for help */
};

extern const struct command commands_table[];

/* The global options (flags OPT_GLOBAL), ended by a NULL name. */
extern const struct opt_spec commands_globals[];

/* The paragraphs on what every command shares (dates, numbers, the
 * server's address, signing in, retries), ended by NULL; N_() marked. */
extern const char *const commands_notes[];

/* An exit code and what it means; the table ends with a NULL text. */
struct commands_exit {
	int code;         /* enum cli_exit */
	const char *text; /* N_() marked */
};
extern const struct commands_exit commands_exits[];

/* The command noun verb, or NULL.  verb "" finds the noun's command
 * without a verb. */
const struct command *commands_find(const char *noun, const char *verb);

/* True if some command has this noun. */
bool commands_noun_exists(const char *noun);

/* True if the command's method changes data (takes a request_id). */
bool commands_writes(const struct command *cmd);

/* Appends "a, b, c": the nouns, or the verbs of a noun (not ""). */
void commands_nouns(struct strbuf *sb);
void commands_verbs(struct strbuf *sb, const char *noun);

/* Writes "usage: dotpha NOUN VERB ARGS [OPTIONS]" and a newline. */
void commands_usage(FILE *f, const struct command *cmd);

/* "noun verb", or "noun" for a command without a verb, as it is typed. */
const char *commands_name(const struct command *cmd, char *buf, size_t n);

/* The help of one command, of one noun, and of dotpha as a whole. */
void commands_help(FILE *f, const struct command *cmd);
void commands_noun_help(FILE *f, const char *noun);
void commands_overview(FILE *f);

#endif
