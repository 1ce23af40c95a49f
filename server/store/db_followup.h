/*
 * db_followup.h: follow-up checks on a task (db_followup.c).
 */
#ifndef DOTPHA_DB_FOLLOWUP_H
#define DOTPHA_DB_FOLLOWUP_H

#include "db.h"

/* Schedules a follow-up check of task on due_date; what.s NULL: none. */
int db_followup_schedule(struct db *db, int64_t task, const char *due_date, struct text what,
			 int64_t by, const char *now, int64_t *id, struct rpc_error *err);

/* The task of follow-up id; not_found if none. */
int db_followup_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err);

/* Records the result ("holds" | "relapsed") of follow-up id; conflict if
 * it is recorded already. */
int db_followup_record(struct db *db, int64_t id, const char *result, struct text note,
		       int64_t by, const char *now, struct rpc_error *err);

/* Packs one follow-up check as of today. */
int db_followup_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		     struct rpc_error *err);

/* Packs {items, total, counts}: the follow-ups matching f by due date, and
 * the counts over the scope and task (open_only aside): scheduled, held,
 * relapsed, open (not recorded) and due (not recorded, due on or before
 * today). */
int db_followup_list(struct db *db, const struct record_filter *f, const char *today,
		     msgpack_packer *pk, struct rpc_error *err);

#endif
