/*
 * db_reminder.h: a task's focal point and the reminders sent to its office
 * (db_reminder.c).
 */
#ifndef DOTPHA_DB_REMINDER_H
#define DOTPHA_DB_REMINDER_H

#include "db.h"

/* Whether account `account` may be task's focal point: an active
 * supervisor or admin whose scope covers the task's unit.  RPC_OK, or
 * invalid_argument naming the account. */
int db_focal_point_check(struct db *db, int64_t task, int64_t account, struct rpc_error *err);

/* Sets task's focal point (0: none). */
int db_task_set_focal_point(struct db *db, int64_t task, int64_t account, const char *now,
			    struct rpc_error *err);

/* Task's focal point account into *account (0: none). */
int db_task_focal_point(struct db *db, int64_t task, int64_t *account, struct rpc_error *err);

/* Packs the pair "focal_point": {id, login, display_name} or nil. */
int db_task_pack_focal_point(struct db *db, int64_t task, msgpack_packer *pk,
			     struct rpc_error *err);

/* Stores a reminder on task from account `from`. */
int db_reminder_send(struct db *db, int64_t task, int64_t from, struct text message,
		     const char *answer_by, const char *now, int64_t *id, struct rpc_error *err);

/* The task of reminder id and whether it is answered; not_found if none. */
int db_reminder_task(struct db *db, int64_t id, int64_t *task, bool *answered,
		     struct rpc_error *err);

/* Answers reminder id; conflict if it already is. */
int db_reminder_answer(struct db *db, int64_t id, struct text answer, int64_t by,
		       const char *now, struct rpc_error *err);

/* Packs one reminder (the reminder object of PROTOCOL.md) as of `today`. */
int db_reminder_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
		     struct rpc_error *err);

/* Packs {items, total} of the reminders matching f as of today. */
int db_reminder_list(struct db *db, const struct record_filter *f, const char *today,
		     msgpack_packer *pk, struct rpc_error *err);

#endif
