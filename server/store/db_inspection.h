/*
 * db_inspection.h: inspections of a task and their required actions
 * (db_inspection.c).
 */
#ifndef DOTPHA_DB_INSPECTION_H
#define DOTPHA_DB_INSPECTION_H

#include "db.h"

/* An inspection as recorded; the task already checked. */
struct inspection_input {
	int64_t task;
	const char *date;          /* the day of the inspection */
	struct text findings;      /* not empty */
	struct text conclusions;   /* not empty */
};

/* Records an inspection by account `by`; *id gets its id. */
int db_inspection_record(struct db *db, const struct inspection_input *in, int64_t by,
			 const char *now, int64_t *id, struct rpc_error *err);

/* Adds a required action, due on due_date, to inspection id. */
int db_inspection_add_action(struct db *db, int64_t inspection, struct text what,
			     const char *due_date, struct rpc_error *err);

/* Packs one inspection with its actions (oldest first) as of today. */
int db_inspection_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		       struct rpc_error *err);

/* Packs {items, total}: task's inspections by date, each with its actions. */
int db_inspection_list(struct db *db, int64_t task, const char *today, msgpack_packer *pk,
		       struct rpc_error *err);

/* The task of inspection action id; not_found if none. */
int db_action_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err);

/* Marks action id done by `by` with a note (s NULL: none); conflict if it
 * already is. */
int db_action_done(struct db *db, int64_t id, struct text note, int64_t by, const char *now,
		   struct rpc_error *err);

/* Packs one inspection action as of today. */
int db_action_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		   struct rpc_error *err);

/* Packs {items, total}: actions matching f, overdue first, then by due date. */
int db_action_list(struct db *db, const struct record_filter *f, const char *today,
		   msgpack_packer *pk, struct rpc_error *err);

#endif
