/*
 * db_task.h: tasks (db_task.c): creating, changing, packing and listing
 * them, and the storage side of the task workflow (the rules are
 * workflow.c's).  db_task_check itself is in db.h.
 */
#ifndef DOTPHA_DB_TASK_H
#define DOTPHA_DB_TASK_H

#include "db.h"

/* The fields of task.create and task.update; references already resolved.
 * On create, absent optional parts take their defaults; on update they stay
 * as they are. */
struct task_input {
	struct text title;       /* s NULL: unchanged */
	struct text description; /* s NULL: "" on create, unchanged on update */
	struct text product;     /* s NULL: unchanged */
	const char *kind;        /* "breakthrough" | "innovation"; NULL: unchanged */
	const char *field;       /* one of the four fields; NULL: unchanged */
	int64_t owner;           /* cadre id; 0: unchanged */
	int64_t unit;            /* 0: the owner's current unit on create, else unchanged */
	int64_t term;            /* 0: unchanged */
	int64_t assigned_by;     /* 0: the owner's managing unit on create, else unchanged */
	const char *due_date;    /* NULL: unchanged */
};

/* Which tasks task.list returns; every part is ANDed, 0/NULL means any. */
struct task_filter {
	int64_t unit;          /* of this unit or its subtree */
	int64_t cadre;         /* owned by this cadre */
	int64_t term;          /* of this term */
	const char *kind;      /* of this kind */
	const char *field;     /* of this field */
	int64_t assigned_by;   /* assigned by exactly this unit */
	int64_t managed_by;    /* owner managed by exactly this unit */
	int64_t managed_under; /* owner managed by a unit strictly below this one */
	int overdue;           /* -1: any; 1: overdue on as_of; 0: not overdue */
	const char *as_of;     /* date for overdue and unit names */
	int64_t scope;         /* the caller's scope: of a unit in its subtree; 0: any */
	const char *state;     /* in this workflow state */
	const char *status;    /* with this status on as_of (PROTOCOL.md 6f) */
	const char *health;    /* with this health on as_of */
};

/* The same for a caller with scope unit `scope` (0: the whole tree): a task
 * of a unit outside the scope's subtree gets the not_found of a task that
 * does not exist. */
int db_task_check_in(struct db *db, int64_t scope, const char *field, int64_t id,
		     struct rpc_error *err);

/* Creates a task owned by in->owner with its first owners row (from
 * `today`).  invalid_argument if due_date is before the term's start.  Every
 * part but description, unit and assigned_by is required.  On error the
 * caller rolls back (work may be half done). */
int db_task_create(struct db *db, const struct task_input *in, const char *today,
		   const char *now, int64_t *id, struct rpc_error *err);

/* Changes the given parts of task id; a new owner is recorded in the owners
 * history from `today`.  The due date is checked against the resulting term.
 * not_found for an unknown id.  On error the caller rolls back (work may be
 * half done). */
int db_task_update(struct db *db, int64_t id, const struct task_input *in, const char *today,
		   const char *now, struct rpc_error *err);

/* Packs task id's own row as of `as_of` (overdue, unit name) as a map
 * with `extra` more pairs for the caller to add; not_found if none.  The
 * task object of PROTOCOL.md is db_task_pack's (db_task_pack.h). */
int db_task_pack_row(struct db *db, int64_t id, const char *as_of, int extra,
		     msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, next, total, cadres}: tasks matching f ordered by id, one
 * page; total and cadres (distinct owners) count every match. */
int db_task_list(struct db *db, const struct task_filter *f, const struct page *pg,
		 msgpack_packer *pk, struct rpc_error *err);

/* ---- the task workflow's storage (the rules: workflow.c) ---- */

/* What the workflow needs to know of a task. */
struct task_status {
	char state[16];      /* "registered" ... "carried_over" */
	int64_t assigned_by; /* the unit that assigned it: the managing body */
	int64_t term;
};

/* One transition's changes; the rules are checked before by the caller. */
struct task_move {
	const char *to;            /* the new state */
	struct text note;          /* the reason or comment; s NULL stores NULL */
	struct text decision_no;   /* s NULL: unchanged */
	const char *decision_date; /* NULL: unchanged */
	const char *rating;        /* NULL: unchanged */
	int64_t carried_to;        /* 0: unchanged */
};

/* Reads task id's state, assigned_by and term; not_found if none. */
int db_task_status(struct db *db, int64_t id, struct task_status *out, struct rpc_error *err);

/* *within: unit `unit` is unit `scope` or below it. */
int db_unit_within(struct db *db, int64_t unit, int64_t scope, bool *within,
		   struct rpc_error *err);

/* Moves task id to mv->to at `now` (state_at, updated_at), with the parts
 * of mv.  not_found if there is no such task. */
int db_task_move(struct db *db, int64_t id, const struct task_move *mv, const char *now,
		 struct rpc_error *err);

/* Copies task id into `term` (which must start after the task's own term:
 * else invalid_argument) in state assigned with the same decision, owner,
 * unit, assigned_by and percent; a due date before the new term moves to
 * its end.  *copy gets the new task's id.  The caller marks the original. */
int db_task_carry(struct db *db, int64_t id, int64_t term, const char *today, const char *now,
		  int64_t *copy, struct rpc_error *err);

/* Looks a task up by id: RPC_OK, or not_found naming `field`. */
int db_task_check(struct db *db, const char *field, int64_t id, struct rpc_error *err);

#endif
