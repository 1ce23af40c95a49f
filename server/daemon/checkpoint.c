/*
 * checkpoint.c: WAL checkpoints on the thread pool (checkpoint.h).
 */
#include "checkpoint.h"

#include <stdio.h>

#include "db.h"
#include "log.h"

/* On a pool thread: touches only the job's own connection. */
static void on_checkpoint(uv_work_t *req)
{
	struct checkpointer *c = req->data;

	c->failed = db_checkpoint(&c->conn, c->path, &c->left, c->why, sizeof(c->why));
}

static void on_checkpoint_done(uv_work_t *req, int status)
{
	struct checkpointer *c = req->data;

	c->running = false;
	if (status != 0)
		return; /* cancelled */
	c->runs++;
	if (c->failed)
		log_warn("checkpoint: %s; the WAL keeps the writes, tried again later", c->why);
	else if (c->left > 0)
		log_debug("checkpoint: %d WAL pages wait for readers", c->left);
}

/* Called by SQLite after each COMMIT of the writer, the write lock
 * released: on the loop, or on the pool thread the writer is lent to
 * (on_pool).  Returns true to checkpoint on the writer now. */
static bool on_wal_grew(void *arg, int pages)
{
	struct checkpointer *c = arg;

	if (pages < c->seen)
		c->next_at = CHECKPOINT_PAGES; /* the WAL started over */
	c->seen = pages;
	if (pages >= CHECKPOINT_CATCH_UP_PAGES) {
		/* Even with a job queued: it may wait behind long reports on
		 * the pool.  SQLite runs one checkpoint at a time; if the job's
		 * is running, this one returns at once. */
		c->catch_ups++;
		c->next_at = CHECKPOINT_PAGES;
		return true;
	}
	if (pages < c->next_at || c->running || c->on_pool)
		return false;
	c->req.data = c;
	if (uv_queue_work(c->loop, &c->req, on_checkpoint, on_checkpoint_done) == 0) {
		c->running = true;
		/* The WAL keeps its size until it starts over: each job is for
		 * what was added since the last (a checkpoint fsyncs the file). */
		c->next_at = pages + CHECKPOINT_PAGES / 2;
	}
	return false;
}

void checkpoint_init(struct checkpointer *c, uv_loop_t *loop, struct db *writer, const char *path)
{
	c->loop = loop;
	c->next_at = CHECKPOINT_PAGES;
	snprintf(c->path, sizeof(c->path), "%s", path);
	db_wal_watch(writer, on_wal_grew, c);
}

void checkpoint_close(struct checkpointer *c)
{
	db_close(c->conn);
	c->conn = NULL;
}
