/*
 * run.h: the command handlers.  Each one calls the server through c->rpc,
 * then writes the result to c->out as JSON (--json) or for people (views).
 * They return an enum rpc_status, with the reason in c->error on failure.
 */
#ifndef DOTPHA_RUN_H
#define DOTPHA_RUN_H

#include "args.h"
#include "cli.h"
#include "commands.h"

#define RUN_DEFAULT_ROWS 100 /* rows a list shows without --limit or --all */
#define RUN_PAGE_MAX 1000    /* the server's largest page */
#define RUN_LAST_UPDATES 5   /* progress updates `task show` adds */

/* One call; the result shown as a record (create, update, show...). */
int run_call(struct cli *c, const struct command *cmd, const struct args *a);

/* One call whose result is {"items", "total"}: a table and a count. */
int run_list(struct cli *c, const struct command *cmd, const struct args *a);

/* A paged list: pages through with limit/after up to --limit rows (default
 * 100) or all (--all), then a summary line with the total (and the number
 * of cadres, where the server counts them). */
int run_paged(struct cli *c, const struct command *cmd, const struct args *a);

/* task.get, then the last few updates through update.list. */
int run_task_show(struct cli *c, const struct command *cmd, const struct args *a);

/* plan.list: the steps as a table and a footer with both percents, "3/5
 * bước xong (60%); tiến độ báo cáo: 40% — chênh lệch" when they disagree. */
int run_plan(struct cli *c, const struct command *cmd, const struct args *a);

/* `dotpha login`: takes the token from --token or stdin (a terminal is
 * asked without echo), checks it with session.auth, then saves it and the
 * server's address in the config file (config_save: 0600, atomic, other
 * lines kept).  Never prints the token. */
int run_login(struct cli *c, const struct command *cmd, const struct args *a);

/* `dotpha logout`: removes the token lines from the config file.  Calls no
 * server: the token stays valid until it is revoked. */
int run_logout(struct cli *c, const struct command *cmd, const struct args *a);

/* token.create and token.rotate: the token's row, then the token itself on
 * a line of its own, "Token (chỉ hiển thị một lần): dp1_...". */
int run_token_secret(struct cli *c, const struct command *cmd, const struct args *a);

/* audit.verify: the result, and exit status 1 with a message on stderr
 * when the trail is broken. */
int run_audit_verify(struct cli *c, const struct command *cmd, const struct args *a);

/* A list whose items are shown one record each, with their nested lists
 * (inspection list: each inspection and its actions). */
int run_records(struct cli *c, const struct command *cmd, const struct args *a);

/* followup.list: the table, then its counts on one line. */
int run_followups(struct cli *c, const struct command *cmd, const struct args *a);

/* The inbox (inbox.get, one call): what waits for the caller, each kind
 * that has items under its heading with the command that acts on it;
 * exactly what the line after a command counts (notice.h).  With --json
 * inbox.get's result as it came. */
int run_inbox(struct cli *c, const struct command *cmd, const struct args *a);
/* board.get: the counts, the units' table and the tasks needing action;
 * cadre.record: the cadre and term, the tasks' table and the ratings. */
int run_board(struct cli *c, const struct command *cmd, const struct args *a);
int run_record(struct cli *c, const struct command *cmd, const struct args *a);
/* Prints array field `key` of res as a table of cols, nothing when empty;
 * *n gets its length. */
int run_rows(struct cli *c, const msgpack_object *res, const char *key,
	     const struct render_col *cols, size_t *n);
/* Writes ": 86 Hoàn thành xuất sắc, 78 Hoàn thành tốt, ..., 0 chưa đánh
 * giá", the counts of a map of ratings r (nothing if r is not a map). */
void run_ratings(struct cli *c, const msgpack_object *r);
/* Shows one result: its JSON (--json) or its record in view v.  For the
 * commands that make several calls (files.c). */
int run_show(struct cli *c, const struct render_view *v, const msgpack_object *res);

/* Calls cmd's method with a's fields; with --json prints the result and
 * sets *res NULL, else leaves it for the caller to lay out. */
int run_fetch(struct cli *c, const struct command *cmd, const struct args *a,
	      const msgpack_object **res);

#endif
