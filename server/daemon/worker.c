/*
 * worker.c: the read-only connections of the thread pool's jobs (worker.h).
 */
#include "worker.h"

#include <stdio.h>

#include "db.h"

int worker_pool_init(struct worker_pool *p, const char *path)
{
	for (int i = 0; i < WORKER_DBS; i++) {
		p->dbs[i] = NULL;
		p->busy[i] = false;
	}
	snprintf(p->path, sizeof(p->path), "%s", path);
	return uv_mutex_init(&p->lock) == 0 ? 0 : -1;
}

struct db *worker_db_take(struct worker_pool *p, char *errbuf, size_t errlen)
{
	struct db *db = NULL;
	int i;

	uv_mutex_lock(&p->lock);
	for (i = 0; i < WORKER_DBS && p->busy[i]; i++)
		;
	if (i < WORKER_DBS) {
		p->busy[i] = true;
		db = p->dbs[i];
	}
	uv_mutex_unlock(&p->lock);
	if (i == WORKER_DBS) { /* more jobs than pool threads: cannot happen */
		snprintf(errbuf, errlen, "every reading connection is in use");
		return NULL;
	}
	/* Opened outside the lock: the slot is ours while busy. */
	if (!db && db_open_reader(&db, p->path, errbuf, errlen) < 0) {
		uv_mutex_lock(&p->lock);
		p->busy[i] = false;
		uv_mutex_unlock(&p->lock);
		return NULL;
	}
	uv_mutex_lock(&p->lock);
	p->dbs[i] = db;
	uv_mutex_unlock(&p->lock);
	return db;
}

void worker_db_give(struct worker_pool *p, struct db *db)
{
	uv_mutex_lock(&p->lock);
	for (int i = 0; i < WORKER_DBS; i++)
		if (p->dbs[i] == db)
			p->busy[i] = false;
	uv_mutex_unlock(&p->lock);
}

void worker_pool_close(struct worker_pool *p)
{
	for (int i = 0; i < WORKER_DBS; i++) {
		db_close(p->dbs[i]);
		p->dbs[i] = NULL;
	}
	uv_mutex_destroy(&p->lock);
}
