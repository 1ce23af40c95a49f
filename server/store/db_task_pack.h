/*
 * db_task_pack.h: one task as task.get shows it (db_task_pack.c).
 */
#ifndef DOTPHA_DB_TASK_PACK_H
#define DOTPHA_DB_TASK_PACK_H

#include "db.h"

/* Packs one task as of `as_of` (overdue, unit name); with `detail`, adds
 * the owners history, the plan summary, the focal point and the pending
 * amendment (task.get). */
int db_task_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err);

#endif
