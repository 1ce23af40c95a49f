/*
 * db_explanation.h: explanations a supervisor asks of a task's office
 * (db_explanation.c).
 */
#ifndef DOTPHA_DB_EXPLANATION_H
#define DOTPHA_DB_EXPLANATION_H

#include "db.h"

/* Asks the office of task for an explanation, to answer by answer_by. */
int db_explanation_request(struct db *db, int64_t task, int64_t from, struct text question,
			   const char *answer_by, const char *now, int64_t *id,
			   struct rpc_error *err);

/* The task of explanation id; not_found if none. */
int db_explanation_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err);

/* Answers explanation id; conflict if it already is. */
int db_explanation_answer(struct db *db, int64_t id, struct text answer, int64_t by,
			  const char *now, struct rpc_error *err);

/* Packs one explanation (PROTOCOL.md 6e) as of `today`. */
int db_explanation_pack(struct db *db, int64_t id, const char *today, msgpack_packer *pk,
			struct rpc_error *err);

/* Packs {items, total} of the explanations matching f as of today. */
int db_explanation_list(struct db *db, const struct record_filter *f, const char *today,
			msgpack_packer *pk, struct rpc_error *err);

#endif
