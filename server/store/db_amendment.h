/*
 * db_amendment.h: amendments to an assigned task (db_amendment.c).
 */
#ifndef DOTPHA_DB_AMENDMENT_H
#define DOTPHA_DB_AMENDMENT_H

#include "db.h"

/* What an amendment proposes; s NULL / NULL: that part unchanged. */
struct amendment_input {
	struct text title, product;
	const char *due_date;
	struct text reason;
};

/* The pending amendment of task into *id (0: none). */
int db_amendment_pending(struct db *db, int64_t task, int64_t *id, struct rpc_error *err);

/* Stores a pending amendment of task, proposed by account `by`, keeping
 * the task's present title, product and due date beside it. */
int db_amendment_propose(struct db *db, int64_t task, const struct amendment_input *in,
			 int64_t by, const char *now, int64_t *id, struct rpc_error *err);

/* The task of amendment id and whether it is still pending; not_found if
 * there is no such amendment. */
int db_amendment_task(struct db *db, int64_t id, int64_t *task, bool *pending,
		      struct rpc_error *err);

/* Closes pending amendment id as "approved" or "rejected"; an approval
 * also writes the proposed parts into the task.  Conflict if it is no
 * longer pending. */
int db_amendment_decide(struct db *db, int64_t id, const char *status, struct text note,
			int64_t by, const char *today, const char *now, struct rpc_error *err);

/* Packs one amendment (the amendment object of PROTOCOL.md). */
int db_amendment_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs the pair "pending_amendment": the object or nil (task.get). */
int db_task_pack_pending_amendment(struct db *db, int64_t task, msgpack_packer *pk,
				   struct rpc_error *err);

/* Packs {items, total}: the amendments of task, oldest first. */
int db_amendment_list(struct db *db, int64_t task, msgpack_packer *pk, struct rpc_error *err);

#endif
