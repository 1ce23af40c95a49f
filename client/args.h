/*
 * args.h: the command line after NOUN VERB, read against the command's
 * option table, and packed as the request's named fields.
 *
 * Only what is purely syntactic is checked here: an unknown option, a
 * missing value or required option, a date that does not parse, a number
 * that is not one.  Everything else (ranges, existence, kinds) is the
 * server's to judge.  Values are borrowed from argv, which outlives them.
 */
#ifndef DOTPHA_ARGS_H
#define DOTPHA_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <msgpack.h>

#include "date.h"
#include "render.h"

enum opt_type {
	OPT_TEXT,  /* text, sent as is */
	OPT_REF,   /* a unit, cadre or term: sent as an integer id if all digits, else as a code */
	OPT_ID,    /* a task's id: digits only */
	OPT_DATE,  /* dd/mm/yyyy or yyyy-mm-dd, sent as yyyy-mm-dd */
	OPT_INT,   /* a whole number (percent) */
	OPT_TRUE,  /* a flag that sends field = true */
	OPT_FALSE, /* a flag that sends field = false */
	OPT_LIMIT, /* --limit N: show at most N rows (the client pages) */
	OPT_ALL,   /* --all: show every row (the client pages) */
	OPT_ACTION,/* 'what@DATE', repeatable: sent as an array of {"what", "due_date"}
	            * (an inspection's required actions); one such option a command */
	OPT_COLUMNS, /* --columns A,B: the columns of the list and their order (columns.h),
	              * kept by the client and checked against the command's view */
	/* A code of a fixed set, typed as the code or as its label in either
	 * language, with or without diacritics ("Đột phá", "dot pha"), sent as
	 * the code (render_code()); anything else is sent as typed. */
	OPT_TASK_KIND,   /* breakthrough, innovation */
	OPT_FIELD,       /* socio_economic, ... */
	OPT_TERM_KIND,   /* year, term */
	OPT_STATE,       /* a task's state */
	OPT_STATUS,      /* a task's official status */
	OPT_HEALTH,      /* a task's health */
	OPT_RATING,      /* excellent, good, done, not_done */
	OPT_ROLE,        /* admin, supervisor, office, viewer */
	OPT_STEP_STATUS, /* a plan step's: todo, doing, done, dropped */
	OPT_FOLLOWUP,    /* a follow-up check's result: holds, relapsed */
};

#define OPT_POSITIONAL 1u /* an operand in order (required unless OPT_OMISSIBLE), not a --name */
#define OPT_REQUIRED 2u   /* an option that must be given */
#define OPT_OMISSIBLE 8u /* a last positional that may be left out (the server judges) */
#define OPT_GLOBAL 4u     /* a global option (--server) named in this command's usage and
                           * help; args_global() takes it, so it sets struct globals */

struct opt_spec {
	const char *name;  /* "--level", or a positional's placeholder "CODE"; NULL ends a table */
	const char *meta;  /* the placeholder of an option's value, "LEVEL"; NULL for flags */
	const char *field; /* the wire field, or NULL for what the client keeps */
	enum opt_type type;
	unsigned flags;    /* OPT_POSITIONAL, OPT_REQUIRED */
	const char *help;  /* one line for --help */
};

#define ARGS_MAX 24 /* specs in one command's table */
#define ARGS_MAX_TEXT (1024 * 1024) /* bytes of a free text read from a file or standard input */
#define ARGS_MAX_ACTIONS 50 /* values of the OPT_ACTION option */

struct args {
	const struct opt_spec *opts;   /* the table these values answer */
	const char *val[ARGS_MAX];     /* the text given for each spec (flags: ""), NULL if absent */
	char date[ARGS_MAX][DATE_LEN]; /* ISO form of each OPT_DATE value */
	int64_t num[ARGS_MAX];         /* OPT_ID, OPT_INT, OPT_LIMIT, and an all-digit OPT_REF */
	bool is_num[ARGS_MAX];         /* num[] holds the value to send */
	size_t limit;                  /* --limit N, 0 if absent */
	bool all;                      /* --all (paging) was given */
	const char *columns;           /* --columns, as given; NULL if absent */
	const char *action[ARGS_MAX_ACTIONS];           /* OPT_ACTION values, as given */
	size_t what_len[ARGS_MAX_ACTIONS];              /* bytes of each before its last '@' */
	char action_date[ARGS_MAX_ACTIONS][DATE_LEN];   /* ISO form of each one's date */
	size_t nactions;
	char *read[ARGS_MAX];          /* a free text read from a file or standard input
	                                * (--done-file F, --done -), malloc'ed: args_free() */
	const char *stdin_by;          /* the option that read standard input, or NULL */
};

/* Options that may come anywhere: before the noun or among a command's. */
struct globals {
	const char *server;     /* --server HOST:PORT, NULL if absent */
	const char *lang;       /* --lang vi|en, NULL if absent */
	bool json;              /* --json */
	bool quiet;             /* --quiet: no line of what waits after the command */
	unsigned timeout;       /* --timeout SEC, 0 if absent */
	const char *request_id; /* --request-id ID, NULL if absent */
	bool help;              /* --help or -h */
	bool version;           /* --version */
	const char *ca;         /* --ca FILE: verify the server's TLS certificate with these CAs */
	const char *fingerprint; /* --fingerprint SHA256: the server's certificate, pinned */
	const char *cert;       /* --cert FILE: this client's TLS certificate (second factor) */
	const char *key;        /* --key FILE: its key */
	const char *output;     /* -o FILE (a command without an -o of its own): what it
	                         * writes on stdout goes to FILE instead */
	FILE *text_in;          /* where a free text given as "-" is read from; NULL: stdin */
};

/* If argv[*i] is a global option, takes it (and its value), advances *i past
 * it and returns 1; returns 0 if it is not one, or -1 with a message. */
int args_global(struct globals *g, int argc, char **argv, int *i, char *msg, size_t msglen);

/* Reads argv[0..argc) against opts into *a; global options met on the way
 * go to *g.  Returns 0, or -1 with a message for a usage error.  A --help
 * sets g->help and stops checking what is missing.
 *
 * A free text (an OPT_TEXT option whose value is TEXT: --done, --reason...)
 * may also be given from a file, `--done-file FILE`, or from standard input
 * (g->text_in), `--done -`, for text longer than a command line takes or
 * with line breaks: read whole (at most ARGS_MAX_TEXT bytes), a UTF-8 BOM
 * at its start dropped, CRLF made LF, and the line ends at its end dropped.
 * Only one option may read standard input.  After 0, the caller frees what
 * was read with args_free(); after -1 nothing is held. */
int args_parse(const struct opt_spec *opts, int argc, char **argv, struct args *a,
	       struct globals *g, char *msg, size_t msglen);

/* True for an option whose value is a free text (its placeholder TEXT),
 * which may also come from a file or standard input (args_parse). */
bool args_free_text(const struct opt_spec *o);

/* Frees the texts args_parse() read into a (its values then dangle). */
void args_free(struct args *a);

/* True if s is a reference made of digits only, to be sent as the integer
 * *id (a code otherwise). */
bool args_ref_number(const char *s, int64_t *id);

/* True if an option other than the positionals was given (something to
 * change, for update commands). */
bool args_any_option(const struct args *a);

/* The value given for the option of that wire field, or NULL. */
const char *args_value(const struct args *a, const char *field);

/* Fills *v with the number given for the option of that wire field (an id,
 * a whole number, an all-digit reference); false if absent or not a number. */
bool args_int(const struct args *a, const char *field, int64_t *v);

/* The labelled kind whose codes an option of type t takes (RENDER_STATE
 * for OPT_STATE...), or RENDER_TEXT for a type that takes no code. */
enum render_kind args_code_kind(enum opt_type t);

/* The number of wire fields a carries. */
uint32_t args_count(const struct args *a);

/* Packs the wire fields of a (a struct args *) as key/value pairs; usable
 * as struct rpc_params.pack. */
void args_pack(msgpack_packer *pk, const void *a);

#endif
