/*
 * group.h: group commit.  The writes that arrive in one turn of the event
 * loop share one transaction and one fsync.  Each runs inside its own
 * SAVEPOINT, so a failed one is taken back alone; its reply waits in its
 * connection.  Once the loop has read everything that was ready (a
 * uv_check handle, server.c), group_commit() makes them all durable with
 * one COMMIT, and only then do the replies go out (conn_group_done).  If
 * the COMMIT fails, every waiting reply becomes that error: nothing of the
 * group was saved, and a retry with the same request_id applies it once.
 *
 * Reads run on a second, read-only connection (group->reader) and see only
 * committed data, so no answer ever shows a write that a failed COMMIT
 * took back.  A read from a connection whose own write still waits first
 * commits the group (group->flush), so a client that pipelines a write and
 * a read sees its write.
 *
 * SQLite throughput here: one durable COMMIT per request gives about 6,000
 * writes/s; one per loop turn carries many times that (bench/README.md).
 */
#ifndef DOTPHA_GROUP_H
#define DOTPHA_GROUP_H

#include <stdbool.h>
#include <stdint.h>

#include "errors.h"

struct db;

struct group {
	struct db *writer;        /* the read-write connection; not owned */
	struct db *reader;        /* the read-only connection; not owned */
	bool open;                /* BEGIN IMMEDIATE done, COMMIT not yet */
	bool broken;              /* SQLite rolled the whole transaction back by itself */
	struct rpc_error broken_err; /* why, while broken */
	unsigned size;            /* writes in the open group */
	uint64_t writes;          /* writes committed, since the start (for the log) */
	uint64_t commits;         /* COMMITs that carried them */
	/* Commits the open group now and sends the replies waiting on it; the
	 * dispatcher calls it when a request must not wait for the loop's turn
	 * to end (server_group_flush). */
	void (*flush)(void *arg);
	void *flush_arg;
};

/* Adds one request to the group, beginning the transaction if none is open.
 * RPC_OK, or an error (busy, unavailable) with err set; then the request
 * is not in the group. */
int group_join(struct group *g, struct rpc_error *err);

/* Ends the request begun by group_join: keeps its changes, or takes them
 * back.  Returns false when SQLite had to roll back the whole transaction
 * (err says why): the group is broken and must be flushed at once. */
bool group_leave(struct group *g, bool keep, const struct rpc_error *err);

/* Ends the open group: COMMIT, or ROLLBACK when it is broken.  RPC_OK when
 * every request in it is durable; otherwise the error every one of them
 * must get.  No-op (RPC_OK) when no group is open. */
int group_commit(struct group *g, struct rpc_error *err);

#endif
