/*
 * notice.h: the immediate notice of a new reminder or explanation request
 * (notice.c), written to the outbox inside the request's own transaction,
 * so the notice exists exactly when the record does.
 */
#ifndef DOTPHA_NOTICE_H
#define DOTPHA_NOTICE_H

#include "db.h"

/* For record `id` of kind "reminder" or "explanation" (just made, task
 * `task`): one outbox message to each office account that asked to be
 * told at once (db_outbox_notice_recipients); none is not an error. */
int notice_enqueue(struct db *db, const char *kind, int64_t id, int64_t task, const char *today,
		   const char *now, struct rpc_error *err);

#endif
