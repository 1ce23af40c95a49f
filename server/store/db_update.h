/*
 * db_update.h: progress updates on a task (db_update.c).
 */
#ifndef DOTPHA_DB_UPDATE_H
#define DOTPHA_DB_UPDATE_H

#include "db.h"

struct update_input {
	int64_t task;
	int64_t percent;            /* 0..100 */
	struct text done;           /* not empty */
	struct text difficulties;   /* s NULL: "" */
	struct text proposals;      /* s NULL: "" */
};

/* Appends an update reported at `now`, and moves the task's percent,
 * last_update_at, update count and updated_at with it.  not_found for an
 * unknown task.  On error the caller rolls back. */
int db_update_create(struct db *db, const struct update_input *in, const char *now, int64_t *id,
		     struct rpc_error *err);

/* Packs one update. */
int db_update_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, next, total}: the task's updates, oldest first, one page.
 * not_found for an unknown task. */
int db_update_list(struct db *db, int64_t task, const struct page *pg, msgpack_packer *pk,
		   struct rpc_error *err);

/* Puts task's percent, last_update_at and update_count back on its
 * counted (not returned) updates: the newest one's percent and time (0 and
 * NULL when none counts) and their number (db_update.c). */
int db_update_recount(struct db *db, int64_t task, const char *now, struct rpc_error *err);

#endif
