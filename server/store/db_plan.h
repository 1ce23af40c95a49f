/*
 * db_plan.h: plans, a task's steps (db_plan.c).
 */
#ifndef DOTPHA_DB_PLAN_H
#define DOTPHA_DB_PLAN_H

#include "db.h"

/* The fields of plan.add and plan.update; references already resolved.
 * `who_given` says the request named a responsible (one of unit, cadre,
 * text; text "" meaning nobody): on update it replaces the old one. */
struct step_input {
	struct text what;           /* s NULL: unchanged on update */
	bool who_given;
	int64_t unit;               /* responsible unit, 0 for none */
	int64_t cadre;              /* responsible cadre, 0 for none */
	struct text text;           /* responsible outside body, s NULL or "" for none */
	const char *due_date;       /* NULL: none on add, unchanged on update */
	const char *status;         /* NULL: "todo" on add, unchanged on update */
	int64_t position;           /* 1..: the step's place in the plan; 0: last on add,
				     * unchanged on update (db_plan_place) */
};

/* The task of step `id` still in its plan (not removed): RPC_OK with *task
 * set, or not_found "step: no step with id N". */
int db_plan_step_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err);

/* Appends a step to task's plan, after its last one. */
int db_plan_add(struct db *db, int64_t task, const struct step_input *in, const char *now,
		int64_t *id, struct rpc_error *err);

/* Changes the given parts of step id. */
int db_plan_update(struct db *db, int64_t id, const struct step_input *in, const char *now,
		   struct rpc_error *err);

/* Moves step id of task to place `position` (1-based; past the end: last)
 * among the steps of the plan, renumbering them 1..n. */
int db_plan_place(struct db *db, int64_t task, int64_t id, int64_t position, const char *now,
		  struct rpc_error *err);

/* Takes step id out of its plan (removed_at = now). */
int db_plan_remove(struct db *db, int64_t id, const char *now, struct rpc_error *err);

/* Packs one step (removed or not): the plan step object of PROTOCOL.md. */
int db_plan_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Counts of task's plan: steps in it, done, and percent_from_steps (-1 when
 * no step counts: none, or all dropped). */
struct plan_summary {
	int64_t steps, done, counted;
	int64_t percent;            /* done * 100 / counted, or -1 */
};
int db_plan_summary(struct db *db, int64_t task, struct plan_summary *out,
		    struct rpc_error *err);

/* Packs plan.list's result for task (see PROTOCOL.md). */
int db_plan_list(struct db *db, int64_t task, msgpack_packer *pk, struct rpc_error *err);

#endif
