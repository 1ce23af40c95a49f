/*
 * db_timeline.h: each task's facts through time, compact, so that a report
 * as of a past date reads one short row per task instead of the task's
 * whole history (issue 18; db_report_past.c reads it).
 *
 * The facts db_health.h's reference reads from the history on a cut-off
 * moment C are the state and rating in force, the moment of completion
 * (the newest report of completion, else acceptance), of the newest
 * assignment, and the percent and moment of the newest counted update
 * (not returned by C).  Each of them depends on C only through "moment <=
 * C" of the rows of task_states, updates and returning appraisals, so the
 * facts on C are those on the newest such moment at or before C: the
 * timeline holds one version per moment where the facts change, and a
 * cut-off picks the last version at or before it.  The due date, the
 * start and the plan are read from the task as the reference reads them.
 *
 * task_timeline (migration 21) holds the timeline of every task as a blob;
 * the triggers on task_states, updates and appraisals put the task in
 * task_timeline_pending, and db_timeline_flush() rebuilds the pending
 * tasks' timelines from their history before the transaction commits
 * (db_commit, the demo's bulk load, db_open after the migration).  A task
 * whose history cannot be encoded (a moment not in the canonical form, a
 * state or rating this build does not know) gets a NULL blob: the report
 * then falls back to the reference SQL.
 *
 * Encoding: versions in order of their moments; each is a varint of its
 * moment in seconds since the previous version's (the first: since the
 * epoch), one byte of state code (low nibble) and rating code (high), one
 * byte of percent, one byte of flags, two bits for each of last_at,
 * done_at and assigned_at (0: as in the previous version, 1: none, 2: the
 * version's own moment, 3: a varint of the moment follows, in that order).
 */
#ifndef DOTPHA_DB_TIMELINE_H
#define DOTPHA_DB_TIMELINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "db.h"

/* The states in the order of the cycle (PROTOCOL.md 6a), codes 1..9; 0
 * is "no state yet".  The ratings, codes 1..4; 0 is none. */
#define DB_TIMELINE_STATES 10
#define DB_TIMELINE_RATINGS 5

/* The name of a state or rating code, NULL for 0 or one out of range. */
const char *db_timeline_state_name(int code);
const char *db_timeline_rating_name(int code);

/* The facts of one version; moments in seconds since the epoch (UTC), 0
 * for none. */
struct db_timeline_facts {
	int64_t at;        /* from this moment */
	int state, rating; /* codes */
	int percent;       /* of the newest counted update, 0 when none */
	int64_t last_at, done_at, assigned_at;
};

/* The version in force at moment `cutoff` of the timeline blob[0..n):
 * 1 with *out filled, 0 when the first version is later (the task did not
 * exist yet), -1 when the blob is malformed. */
int db_timeline_at(const unsigned char *blob, size_t n, int64_t cutoff,
		   struct db_timeline_facts *out);

/* Seconds since the epoch of a stored moment "YYYY-MM-DDTHH:MM:SSZ";
 * false when it is not exactly one (then text comparisons in SQL and
 * numeric ones here could disagree). */
bool db_timeline_moment(const char *s, int64_t *out);

/* Rebuilds the timelines of the tasks in task_timeline_pending and empties
 * it; inside the caller's write transaction.  RPC_OK or the error. */
int db_timeline_flush(struct db *db, struct rpc_error *err);

/* Whether the timelines are all there: task_timeline_pending is empty.
 * RPC_OK with *complete, or the error. */
int db_timeline_complete(struct db *db, bool *complete, struct rpc_error *err);

#endif
