/*
 * worker.h: long reads off the event loop.  A report over the province, a
 * search, the board, an export or a backup takes from tens of milliseconds
 * to seconds; run on the loop, it would hold up every other client that
 * long.  These methods (SLOW in dispatch.c) run on libuv's thread pool
 * instead (conn.c submits them), each on a read-only connection of its own
 * taken from this pool, and their reply goes back to the loop, which sends
 * it in order.  Their connection reads no further request meanwhile.
 *
 * The pool holds one connection per pool thread, opened on first use and
 * closed by worker_pool_close() once the loop has ended (no job runs then).
 */
#ifndef DOTPHA_WORKER_H
#define DOTPHA_WORKER_H

#include <stdbool.h>

#include <uv.h>

struct db;

#define WORKER_DBS 4 /* libuv's default thread pool size: one each */

struct worker_pool {
	uv_mutex_t lock;               /* guards dbs and busy */
	struct db *dbs[WORKER_DBS];    /* owned; NULL until first used */
	bool busy[WORKER_DBS];         /* taken by a running job */
	char path[4096];               /* the database */
};

/* Returns 0, or -1 if the lock cannot be made. */
int worker_pool_init(struct worker_pool *p, const char *path);

/* A read-only connection for one job (a thread pool thread), or NULL with
 * a sentence in errbuf.  Give it back with worker_db_give. */
struct db *worker_db_take(struct worker_pool *p, char *errbuf, size_t errlen);
void worker_db_give(struct worker_pool *p, struct db *db);

void worker_pool_close(struct worker_pool *p);

#endif
