/*
 * checkpoint.h: copying the WAL back into the database off the event
 * loop.  SQLite's automatic checkpoint runs inside the COMMIT that crosses
 * 1,000 WAL pages, on the committing thread: the loop, every other client
 * waiting while it writes and fsyncs the database file (12% of the loop's
 * time under a stream of durable updates, and its worst latencies).  The
 * writer is watched instead (db_wal_watch); past CHECKPOINT_PAGES a PASSIVE
 * checkpoint runs on libuv's thread pool with a connection of its own,
 * one at a time.  Durability does not depend on it: a COMMIT is on disk
 * once the WAL is fsynced.  A checkpoint that fails (a full or read-only
 * disk) is logged and tried again at the next commit past the mark.
 */
#ifndef DOTPHA_CHECKPOINT_H
#define DOTPHA_CHECKPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

struct db;

#define CHECKPOINT_PAGES 1000 /* SQLite's own wal_autocheckpoint default */

/* A job copies frames while the loop appends more, so under a steady
 * stream it rarely finds the WAL wholly copied, which is what lets the
 * next transaction start the WAL file over: it would grow without bound
 * (1.7 GB in 12 s of durable updates, measured).  Past this size the
 * writer checkpoints itself after its COMMIT, between transactions, as
 * SQLite would; the jobs have copied most frames by then. */
#define CHECKPOINT_CATCH_UP_PAGES (4 * CHECKPOINT_PAGES)

struct checkpointer {
	uv_work_t req;         /* the job in flight, when running */
	uv_loop_t *loop;
	char path[4096];       /* the database */
	struct db *conn;       /* owned: the job's connection, opened on first use */
	bool running;          /* a job is queued or running; uv_run returns only after it */
	bool on_pool;          /* the writer is lent to a pool thread (server.h): its
				* COMMITs call on_wal_grew there, which then queues
				* nothing (libuv's queue is the loop's) and catches up
				* on the writer itself past CHECKPOINT_CATCH_UP_PAGES */
	int failed;            /* the job's outcome: 0, or -1 with why */
	int left;              /* WAL pages the last checkpoint could not copy */
	int seen;              /* the WAL's size in pages at the last COMMIT */
	int next_at;           /* its size at which the next checkpoint starts */
	char why[300];
	uint64_t runs;         /* checkpoints done on the pool, for the log at stop */
	uint64_t catch_ups;    /* and on the loop */
};

/* Watches writer for c, which must outlive the loop's run. */
void checkpoint_init(struct checkpointer *c, uv_loop_t *loop, struct db *writer, const char *path);

/* Closes the job's connection once the loop has ended, before the
 * writer's: the last connection to close checkpoints the rest and removes
 * the WAL. */
void checkpoint_close(struct checkpointer *c);

#endif
