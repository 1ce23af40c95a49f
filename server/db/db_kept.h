/*
 * db_kept.h: each task's status and health kept on its row by the writes,
 * and the counts of them per unit and term (migration 19), so that today's
 * reads need not judge the history of every task again.
 *
 * Kept by the writes: on the writer connection, temporary triggers note
 * every task whose facts a statement changes (its state, rating, percent,
 * last update, due date, decision date, unit or term; its plan's steps; its
 * term's start), with what the task counted for before; db_kept_flush(),
 * run by db_commit() inside the transaction, judges each noted task again
 * (db_facts_judge, from the history as it stands) and moves its counts.
 * So a write and what it does to the figures commit together or not at all.
 *
 * Kept by the date: what time alone changes (a due date passed, a task
 * quiet too long, the plan's share due) is judged again once a day by
 * db_kept_pass(), in batches the daemon runs between requests; the rows are
 * "current" for a day once a pass for that day has finished under the same
 * rules (thresholds and zone).  Until then, and for any other day, the
 * reads judge as before (db_health.h): nothing stale is ever read.
 */
#ifndef DOTPHA_DB_KEPT_H
#define DOTPHA_DB_KEPT_H

#include <stdbool.h>
#include <stdint.h>

#include "db.h"

typedef struct sqlite3 sqlite3; /* sqlite3.h, which only db*.c include */

/* Sets up the noting of changed tasks on the writer's connection (after
 * its migrations); db_open() calls it.  0, or -1 with why. */
int db_kept_track(struct db *db, char *why, size_t whylen);

/* Judges again the tasks noted since the last flush, on today's date, and
 * moves their counts; inside the open write transaction (a no-op without
 * one).  RPC_OK or the database's error. */
int db_kept_flush(struct db *db, struct rpc_error *err);

/* The rules the kept judgement depends on besides the facts, as one
 * string (the thresholds and the zone), into out. */
void db_kept_rules(char *out, size_t n);

/* What the database says was last finished: *day the day every row was
 * judged on ("" when never) and whether it was under today's rules. */
int db_kept_state(struct db *db, char day[11], bool *same_rules, struct rpc_error *err);

/* One batch of the daily pass, inside a write transaction the caller
 * opened: judges on `day` the tasks with id above *after, at most `batch`
 * of them: every task when `all`, else those the date alone can move.
 * Advances *after; *more false when none were left, and then records `day`
 * and today's rules as finished, in the same transaction: after its commit
 * the caller makes the day current (db_kept_set). */
int db_kept_pass(struct db *db, const char *day, bool all, int batch, int64_t *after,
		 bool *more, struct rpc_error *err);

/* Makes `current` (ISO, or "" for none) the day the reads of every
 * connection may take the rows' status and health for, and says whether
 * a pass ever finished (db_kept_filled): the daemon, at start from what the
 * database says (db_kept_state) and after each pass's last commit. */
void db_kept_set(const char *current, bool filled);

/* Whether the kept status and health of every row are those of day
 * `as_of` (ISO): it is today, and a pass for it finished under today's
 * rules.  Any thread. */
bool db_kept_current(const char *as_of);

/* Whether a pass has ever finished, so that the rows' moments of
 * completion and assignment are filled (they do not depend on the day).
 * Any thread. */
bool db_kept_filled(void);

/* Registers dp_kept_filled() on a connection: db_kept_filled(), false
 * while the reference alone is asked for (db_health_reference_only). */
int db_kept_functions(sqlite3 *conn);

/* For checks and tests: into *wrong, how many counts of task_counts
 * differ from a count made again from the rows' status and health. */
int db_kept_verify(struct db *db, int64_t *wrong, struct rpc_error *err);

/* For tests: the status and health task `id`'s row keeps ("" for none). */
int db_kept_row(struct db *db, int64_t id, char status[16], char health[10],
		struct rpc_error *err);

#endif
