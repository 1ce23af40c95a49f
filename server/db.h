/*
 * db.h: the storage interface.  Every byte the daemon keeps goes through
 * these functions; only the db*.c files include sqlite3.h.
 *
 * The unit of work is one request: the dispatcher opens a transaction with
 * db_begin(), the handler calls any of the functions below, and the
 * dispatcher ends it with db_commit() or db_rollback().  No function here
 * begins or ends a transaction of its own, so a request's work can be
 * retried whole, moved to another thread, or batched with others into one
 * commit without touching the handlers.
 *
 * Read functions pack their objects straight into the caller's packer, in
 * the shapes PROTOCOL.md documents.  Text arguments are borrowed (struct
 * text) and only read during the call.  Every function that can fail takes
 * a struct rpc_error and returns an enum rpc_code.
 */
#ifndef DOTPHA_DB_H
#define DOTPHA_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "errors.h"

struct db;

/* Borrowed bytes, not NUL-terminated; s NULL means absent. */
struct text {
	const char *s;
	size_t n;
};

/* A reference to a unit, cadre or term as a client sent it: an id, or a code. */
struct ref {
	int64_t id;       /* > 0 when given as an id */
	struct text code; /* code.s != NULL when given as a code */
};

#define REF_GIVEN(r) ((r).id > 0 || (r).code.s != NULL)

/* Opens (creating if needed) the database at path, sets WAL, full sync and
 * foreign keys, and applies pending migrations.  Refuses a database written
 * by a newer dotphad.  On failure returns -1 with a sentence in errbuf. */
int db_open(struct db **out, const char *path, char *errbuf, size_t errlen);

/* Finalizes statements and closes the connection.  NULL is fine. */
void db_close(struct db *db);

/* Schema version this build writes, and the one found in the file. */
int db_schema_version(void);
int db_file_version(struct db *db);

/* The schema version of the database file at path, read without changing
 * it, and the version db_open would bring it to (*to).  Returns the
 * version, or -1 when there is no such database yet (or it cannot be
 * read: db_open says why). */
int db_file_peek_version(const char *path, int *to);

/* After a COMMIT met an I/O error (a failed fsync above all), the
 * connection takes no more writes: db_begin(write) answers unavailable
 * until db_recover() has closed it, reopened the file and passed SQLite's
 * quick check.  db_recover() returns 0 when the database takes writes
 * again (or never stopped), -1 with a sentence in errbuf if not yet. */
bool db_failed(const struct db *db);
int db_recover(struct db *db, char *errbuf, size_t errlen);

/* db_recover in two halves, so the long one runs off the loop
 * (housekeeping.c): db_recover_check opens the file at path anew and
 * runs the quick check (minutes on a national database), touching
 * nothing else: 0 with *fresh a checked connection, or -1 with a
 * sentence in errbuf.  db_recover_adopt then gives db that connection
 * (fresh is consumed) and writes resume. */
int db_recover_check(const char *path, struct db **fresh, char *errbuf, size_t errlen);
void db_recover_adopt(struct db *db, struct db *fresh);

/* The transaction of one request.  db_begin(write=true) takes the write lock
 * up front (BEGIN IMMEDIATE), so a busy database answers `busy` before any
 * work is done. */
int db_begin(struct db *db, bool write, struct rpc_error *err);
int db_commit(struct db *db, struct rpc_error *err);
void db_rollback(struct db *db);

/* Group commit (group.h): one request's part of a transaction that several
 * share.  db_request_begin() marks where it starts (SAVEPOINT);
 * db_request_end() keeps its changes in the transaction (RELEASE) or takes
 * back only them (ROLLBACK TO, then RELEASE).  db_in_transaction() is
 * false once SQLite has rolled the whole transaction back by itself (it
 * does so on some errors: a full disk, an I/O error). */
int db_request_begin(struct db *db, struct rpc_error *err);
void db_request_end(struct db *db, bool keep);
bool db_in_transaction(struct db *db);

/* Opens a second, read-only connection to the database at path, for
 * reads that must see only committed data while a group is open.  The
 * database must exist and be migrated (db_open first).  -1 with a sentence
 * in errbuf on failure. */
int db_open_reader(struct db **out, const char *path, char *errbuf, size_t errlen);

/* After each COMMIT on db, calls fn(arg, pages) with the WAL's size in
 * pages, and SQLite no longer checkpoints by itself on the committing
 * thread (the daemon's loop): the caller runs db_checkpoint elsewhere
 * (checkpoint.h), or has fn return true for a PASSIVE checkpoint on db
 * there and then, as SQLite's own would.  It stays in effect across
 * db_recover. */
void db_wal_watch(struct db *db, bool (*fn)(void *arg, int pages), void *arg);

/* A PASSIVE checkpoint of the database at path through *ckpt, a read-write
 * connection of its own opened on first use (close it with db_close): it
 * copies what it can of the WAL into the database, waiting for neither
 * the writer nor the readers.  *left: WAL pages not copied yet (held by a
 * reader's snapshot).  Returns 0, or -1 with a sentence in errbuf. */
int db_checkpoint(struct db **ckpt, const char *path, int *left, char *errbuf, size_t errlen);

/* A TRUNCATE checkpoint on db between transactions, without waiting: the
 * whole WAL copied into the database and the WAL file emptied, so the
 * older copies of pages it held are gone from disk (file.withdraw's
 * erased bytes).  Returns 0 when done, 1 when a reader's snapshot or
 * another checkpoint held it back (try again later), -1 with a sentence
 * in errbuf. */
int db_wal_truncate(struct db *db, char *errbuf, size_t errlen);

/* Safe retries: a committed request's reply, by (account, request_id).  A
 * request_id belongs to the account that sent it: the same id from another
 * account is a different request and finds nothing here.
 * db_request_find() returns 1 and a malloc'ed copy of the stored result bytes
 * in *bytes (caller frees) if this account used the id, 0 if not, or -1 on
 * error. */
int db_request_find(struct db *db, int64_t account_id, struct text request_id,
		    const char *method, char **bytes, size_t *len, struct rpc_error *err);
int db_request_store(struct db *db, int64_t account_id, struct text request_id,
		     const char *method, const char *bytes, size_t len, const char *now,
		     struct rpc_error *err);

/* ---- backups (db_backup.c) ---- */

/* The file of the open database. */
const char *db_path(struct db *db);

/* Copies the database as it is now into a new file at path (which must
 * not exist); *pages is its size in pages.  Inside a request's
 * transaction, so the copy is consistent. */
int db_backup_to(struct db *db, const char *path, int64_t *pages, struct rpc_error *err);

/* Deletes at most `limit` stored outcomes recorded before moment `before`,
 * the oldest first; *deleted says how many went.  A retry of one of them
 * is then run as a new request. */
int db_requests_prune(struct db *db, const char *before, int64_t limit, int64_t *deleted,
		      struct rpc_error *err);

/* ---- units (db_unit.c) ---- */

struct unit_input {
	struct text code, name, level;
	struct ref parent;        /* optional */
	struct text valid_from;   /* optional date */
};

/* Resolves a unit reference; `field` names it in the error. */
int db_unit_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err);

/* How far the references of a caller with a scope reach (PROTOCOL.md 4a,
 * docs/permissions.md). */
enum unit_reach {
	REACH_SUBTREE = 0, /* the scope unit and every unit below it: where things are */
	REACH_LINE = 1,    /* those, and the scope unit's ancestors: who assigns and manages */
};

/* Resolves a unit reference as a caller with scope unit `scope` (0: the
 * whole tree) sees the tree: a unit out of `reach` is answered as if it did
 * not exist, with the very not_found db_unit_resolve gives for a unit that
 * does not, so a caller cannot tell the two apart.  With scope 0 it is
 * db_unit_resolve. */
int db_unit_resolve_in(struct db *db, int64_t scope, enum unit_reach reach, const char *field,
		       const struct ref *r, int64_t *id, struct rpc_error *err);
int db_unit_create(struct db *db, const struct unit_input *in, const char *now, int64_t *id,
		   struct rpc_error *err);
int db_unit_rename(struct db *db, int64_t id, struct text name, const char *date,
		   struct rpc_error *err);
int db_unit_move(struct db *db, int64_t id, int64_t parent, const char *today,
		 struct rpc_error *err);
int db_unit_close(struct db *db, int64_t id, const char *date, int64_t merged_into,
		  struct rpc_error *err);
/* Packs one unit; with `detail`, adds names and counts (unit.get). */
int db_unit_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err);
/* Packs {items, total} for the tree under root (0: all roots). */
int db_unit_list(struct db *db, int64_t root, bool include_closed, const char *as_of,
		 msgpack_packer *pk, struct rpc_error *err);

/* ---- paging, shared by the list functions ---- */

struct page {
	int64_t limit; /* 1..1000 */
	int64_t after; /* 0: from the start */
};

/* ---- cadres (db_cadre.c) ---- */

/* A new cadre; units already resolved. */
struct cadre_input {
	struct text code, full_name, title;
	int64_t unit_id;          /* the unit of the first post */
	int64_t managing_unit_id; /* the managing body */
	const char *since;        /* date the first post began */
};

/* A correction of a cadre (cadre.update); absent parts stay as they are. */
struct cadre_change {
	struct text full_name;    /* s NULL: unchanged */
	struct text title;        /* s NULL: unchanged; also corrects the current post's title */
	int64_t managing_unit_id; /* 0: unchanged */
};

/* Which cadres cadre.list returns; 0 means any. */
struct cadre_filter {
	int64_t unit;       /* posted now in this unit's subtree */
	int64_t managed_by; /* managed by exactly this unit */
	int64_t scope;      /* the caller's scope: posted now in its subtree; 0: anywhere */
};

/* Resolves a cadre reference; `field` names it in the error (not_found). */
int db_cadre_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		     struct rpc_error *err);

/* The same for a caller with scope unit `scope` (0: the whole tree): a
 * cadre whose current post is outside the scope's subtree is answered with
 * the not_found of a cadre that does not exist. */
int db_cadre_resolve_in(struct db *db, int64_t scope, const char *field, const struct ref *r,
			int64_t *id, struct rpc_error *err);

/* Creates a cadre and its first posting (valid_from = in->since).  conflict
 * if the code is taken or the unit is closed on `since`.  *id gets the new id. */
int db_cadre_create(struct db *db, const struct cadre_input *in, const char *now, int64_t *id,
		    struct rpc_error *err);

/* Applies a correction; keeps no history.  not_found for an unknown id. */
int db_cadre_update(struct db *db, int64_t id, const struct cadre_change *ch, const char *now,
		    struct rpc_error *err);

/* Starts a new post in `unit` from `date`: the current posting ends the day
 * before, a new one begins, and the cadre's unit, title and since follow.
 * title.s NULL keeps the current title.  conflict if `date` is not after the
 * current post's start, or the unit is closed on `date`. */
int db_cadre_transfer(struct db *db, int64_t id, int64_t unit, struct text title,
		      const char *date, const char *now, struct rpc_error *err);

/* Packs one cadre, unit names as of `today`; with `detail`, adds postings
 * (oldest first) and the count of tasks it owns (cadre.get). */
int db_cadre_pack(struct db *db, int64_t id, const char *today, bool detail, msgpack_packer *pk,
		  struct rpc_error *err);

/* db_cadre_pack for a caller with scope unit `scope` (0: the whole tree):
 * with `detail`, `tasks` counts only the tasks the caller can see. */
int db_cadre_pack_in(struct db *db, int64_t scope, int64_t id, const char *today, bool detail,
		     msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, next, total}: cadres matching f, ordered by id, one page. */
int db_cadre_list(struct db *db, const struct cadre_filter *f, const struct page *pg,
		  const char *today, msgpack_packer *pk, struct rpc_error *err);

/* ---- terms (db_term.c) ---- */

struct term_input {
	struct text code, name;  /* name.s NULL: the code */
	const char *kind;        /* "year" or "term" */
	const char *start, *end; /* dates, start <= end (checked by the caller) */
};

/* Resolves a term reference; `field` names it in the error (not_found). */
int db_term_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err);

/* Creates a term.  conflict if the code is taken. */
int db_term_create(struct db *db, const struct term_input *in, int64_t *id,
		   struct rpc_error *err);

/* Packs one term {id, code, name, kind, start, end}; not_found if none. */
int db_term_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, total}: every term by start date, then id. */
int db_term_list(struct db *db, msgpack_packer *pk, struct rpc_error *err);

/* ---- tasks (db_task.c) ---- */

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

/* Looks a task up by id: RPC_OK, or not_found naming `field`. */
int db_task_check(struct db *db, const char *field, int64_t id, struct rpc_error *err);

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

/* Packs one task as of `as_of` (overdue, unit name); with `detail`, adds
 * the owners history and the plan summary (task.get). */
int db_task_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err);

/* Packs {items, next, total, cadres}: tasks matching f ordered by id, one
 * page; total and cadres (distinct owners) count every match. */
int db_task_list(struct db *db, const struct task_filter *f, const struct page *pg,
		 msgpack_packer *pk, struct rpc_error *err);

/* ---- the task workflow's storage (db_task.c; the rules: workflow.c) ---- */

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

/* ---- progress updates (db_update.c) ---- */

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

/* ---- plans: a task's steps (db_plan.c) ---- */

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

/* ---- focal points and reminders (db_reminder.c) ---- */

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

/* ---- amendments to an assigned task (db_amendment.c) ---- */

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

/* Which records hanging off tasks a list returns: reminders,
 * explanations, inspections' required actions, follow-up checks.  0 or
 * false: any. */
struct record_filter {
	int64_t scope;        /* tasks of this unit's subtree; 0 for all */
	int64_t task;         /* 0: every task */
	int64_t from;         /* reminders: sent by this account; 0: anyone */
	bool open_only;       /* not yet answered, done or recorded */
	bool overdue_only;    /* reminders and actions: open, and past their date */
	bool inbox_order;     /* reminders: overdue first, then by answer_by */
};

/* The shape of the functions that list them, as of `today`. */
typedef int (*record_lister)(struct db *db, const struct record_filter *f, const char *today,
			     msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, total} of the reminders matching f as of today. */
int db_reminder_list(struct db *db, const struct record_filter *f, const char *today,
		     msgpack_packer *pk, struct rpc_error *err);

/* ---- the supervisor's records on a task: appraisals (db_appraisal.c),
 * explanations (db_explanation.c), inspections (db_inspection.c) and
 * follow-up checks (db_followup.c) ---- */

/* Puts task's percent, last_update_at and update_count back on its
 * counted (not returned) updates: the newest one's percent and time (0 and
 * NULL when none counts) and their number (db_update.c). */
int db_update_recount(struct db *db, int64_t task, const char *now, struct rpc_error *err);

/* The task of update id, and its verdict so far into verdict[len] ("" when
 * not appraised); not_found if there is no such update. */
int db_appraisal_of(struct db *db, int64_t update, int64_t *task, char *verdict, size_t len,
		    struct rpc_error *err);

/* Records the verdict ("accepted" | "returned") on update id; reason.s
 * NULL stores NULL.  conflict if it is appraised already. */
int db_appraisal_record(struct db *db, int64_t update, const char *verdict, struct text reason,
			int64_t by, const char *now, struct rpc_error *err);

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

/* ---- evidence files (db_file.c) ---- */

#define FILE_MAX_SIZE 52428800 /* 50 MiB: the largest file */
#define FILE_CHUNK_MAX 262144  /* 256 KiB: the most one upload_chunk or read carries */
#define UPLOAD_KEEP_DAYS 7     /* an open upload untouched this long expires */

/* A new upload, as file.upload_begin validated it. */
struct upload_input {
	int64_t task;
	int64_t update;                 /* 0: the task itself */
	int64_t account;                /* who sends it */
	struct text name, type;
	int64_t size;                   /* 1..FILE_MAX_SIZE */
	unsigned char sha256[32];       /* as the client declared it */
};

/* What the handlers need to know of an upload. */
struct upload_row {
	int64_t id, task, update, account;
	int64_t size, received;
	char state[16];                 /* "open", "finished", "aborted", "expired" */
	unsigned char sha256[32];
};

/* Expires the open uploads untouched for UPLOAD_KEEP_DAYS before `now`:
 * their chunks are deleted, their state becomes "expired". */
int db_upload_prune(struct db *db, const char *now, struct rpc_error *err);

/* The open upload of the same bytes (task, update, size, sha256) by the
 * same account into *id, 0 if none: what file.upload_begin resumes. */
int db_upload_find_open(struct db *db, const struct upload_input *in, int64_t *id,
			struct rpc_error *err);

/* A file of the task (and update, 0: the task itself) with the same size
 * and sha256 into *id, 0 if none. */
int db_file_find_same(struct db *db, const struct upload_input *in, int64_t *id,
		      struct rpc_error *err);

/* RPC_OK if update belongs to task, else not_found naming both. */
int db_file_update_check(struct db *db, int64_t task, int64_t update, struct rpc_error *err);

int db_upload_create(struct db *db, const struct upload_input *in, const char *now, int64_t *id,
		     struct rpc_error *err);

/* Reads upload id; not_found "upload: no upload with id N" if none. */
int db_upload_get(struct db *db, int64_t id, struct upload_row *out, struct rpc_error *err);

/* Stores data as the chunk at `pos` (the caller checked pos == received
 * and the bounds) and moves received past it. */
int db_upload_append(struct db *db, int64_t id, int64_t pos, struct text data, const char *now,
		     struct rpc_error *err);

/* The SHA-256 of the stored chunks in order into out, and how many bytes
 * they hold into *bytes; internal if they do not follow each other. */
int db_upload_digest(struct db *db, int64_t id, unsigned char out[32], int64_t *bytes,
		     struct rpc_error *err);

/* Makes the file of a complete, checked upload (state "finished"); its
 * chunks stay where they are and become the file's.  *file gets its id. */
int db_upload_finish(struct db *db, int64_t id, const char *now, int64_t *file,
		     struct rpc_error *err);

/* Deletes an open upload's chunks and marks it "aborted". */
int db_upload_abort(struct db *db, int64_t id, const char *now, struct rpc_error *err);

/* Packs the upload object of PROTOCOL.md 6d, with `extra` pairs to add. */
int db_upload_pack(struct db *db, int64_t id, int extra, msgpack_packer *pk,
		   struct rpc_error *err);

/* The task of file id; not_found "file: no file with id N". */
int db_file_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err);

/* Packs the file object of PROTOCOL.md 6d. */
int db_file_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, total}: the files of task (of one update of it unless
 * update is 0), oldest first. */
int db_file_list(struct db *db, int64_t task, int64_t update, msgpack_packer *pk,
		 struct rpc_error *err);

/* Packs file.read's {file, offset, size, data}: up to `length` bytes
 * (1..FILE_CHUNK_MAX) from `offset` (0..size).  A withdrawn file answers
 * conflict naming when, by whom and why. */
int db_file_read(struct db *db, int64_t id, int64_t offset, int64_t length, msgpack_packer *pk,
		 struct rpc_error *err);

/* The evidence a unit holds, as --upload-quota counts it: the unit of
 * task into *unit (its code into code[64]), and into *bytes the declared
 * sizes of that unit's open uploads and of its files not withdrawn. */
int db_upload_usage(struct db *db, int64_t task, int64_t *unit, char code[64], int64_t *bytes,
		    struct rpc_error *err);

/* Withdraws file id: its bytes are deleted with SQLite's secure_delete
 * (the freed pages are overwritten with zeros), its row keeps who (by),
 * when (now) and why (reason).  conflict if it was withdrawn already. */
int db_file_withdraw(struct db *db, int64_t id, int64_t by, struct text reason, const char *now,
		     struct rpc_error *err);

/* ---- accounts and tokens (db_account.c) ---- */

/* A signed-in token as the database sees it now. */
struct session_row {
	int64_t token_id;
	int64_t account_id;
	int64_t scope;          /* scope unit id; 0 for the whole tree */
	char role[16];          /* "admin", "supervisor", "office", "viewer" */
	char login[64];
	char token_name[128];
	bool usable;            /* token not revoked and account active */
};

int db_account_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		       struct rpc_error *err);
/* Accounts in the database (0 on a fresh one). */
int db_account_count(struct db *db, int64_t *n, struct rpc_error *err);
/* scope 0 stores NULL (the whole tree). */
int db_account_create(struct db *db, struct text login, struct text display_name,
		      const char *role, int64_t scope, const char *now, int64_t *id,
		      struct rpc_error *err);
/* Changes the fields given: display_name.s NULL, role NULL, scope < 0 and
 * active < 0 mean unchanged; scope 0 means the whole tree.  active 0 also
 * revokes every token of the account not yet revoked (revoked_at = now). */
int db_account_update(struct db *db, int64_t id, struct text display_name, const char *role,
		      int64_t scope, int active, const char *now, struct rpc_error *err);
/* Packs the account; with detail, its tokens too. */
int db_account_pack(struct db *db, int64_t id, bool detail, msgpack_packer *pk,
		    struct rpc_error *err);
int db_account_list(struct db *db, msgpack_packer *pk, struct rpc_error *err);

/* Stores a token's hash (never the token). */
int db_token_create(struct db *db, int64_t account_id, struct text name,
		    const unsigned char hash[32], const char *now, int64_t *id,
		    struct rpc_error *err);
/* Marks a token revoked; conflict if it already is; not_found if none. */
int db_token_revoke(struct db *db, int64_t id, const char *now, struct rpc_error *err);
/* The account and name of token id (for rotate); not_found if none. */
int db_token_owner(struct db *db, int64_t id, int64_t *account_id, char *name, size_t namelen,
		   struct rpc_error *err);
/* Packs a token's row, without its secret, leaving `extra` pairs for the
 * caller to add. */
int db_token_pack(struct db *db, int64_t id, int extra, msgpack_packer *pk,
		  struct rpc_error *err);
/* The current role and scope (0: whole tree) of account id. */
int db_account_role(struct db *db, int64_t id, char *role, size_t rolelen, int64_t *scope,
		    struct rpc_error *err);
/* Active admins other than account `except`. */
int db_account_admins(struct db *db, int64_t except, int64_t *n, struct rpc_error *err);
/* Packs {items, total}: every token, or one account's (account 0: all). */
int db_token_list(struct db *db, int64_t account, msgpack_packer *pk, struct rpc_error *err);

/* Finds the token with this hash.  Returns 1 and fills *out, 0 if there is
 * none, or -1 with err set.  The hash comparison is done again in constant
 * time by the caller's crypto_equal on the stored bytes. */
int db_session_find(struct db *db, const unsigned char hash[32], struct session_row *out,
		    unsigned char stored[32], struct rpc_error *err);
/* Reloads a signed-in token's state (every call re-checks it). */
int db_session_load(struct db *db, int64_t token_id, struct session_row *out,
		    struct rpc_error *err);
/* Records that token id was used now. */
int db_token_touch(struct db *db, int64_t id, const char *now, struct rpc_error *err);

/* ---- the audit trail (db_audit.c) ---- */

/* Who made a change, as the trail records it.  Strings are borrowed; NULL
 * or "" is stored as NULL, account_id 0 as NULL. */
struct audit_actor {
	int64_t account_id;
	const char *login;       /* "(system)" for the daemon's own writes */
	const char *token_name;
	const char *address;
};

/* One change to append: the object before (packed by the caller with
 * db_audit_pack_object before the change; NULL for a create) and the
 * method that made it.  db_audit_record packs `after` itself. */
struct audit_change {
	const char *at;          /* moment, UTC: the request's time */
	const char *as_of;       /* date for the names inside packed objects */
	const char *method;      /* task.update, ... */
	const char *object_type; /* "task": a noun db_audit_pack_object knows */
	int64_t object_id;
	const char *before;      /* MessagePack map, or NULL */
	size_t before_len;
	const char *after;       /* NULL: the object as the database holds it now;
	                          * else, for an object outside the database (the
	                          * throttle), its MessagePack map as given, with
	                          * object_id 0 and no task or unit */
	size_t after_len;
};

/* What audit.list returns; 0/NULL means any. */
struct audit_filter {
	const char *since;   /* date: entries on or after it (UTC) */
	const char *until;   /* date: entries on or before it (UTC) */
	int64_t account;     /* made by this account */
	int64_t unit;        /* of objects of this unit's subtree */
	int64_t task;        /* belonging to this task */
};

/* A copy of the chain's head kept outside the database (anchor.h): the
 * entry `id` had hash `hash` when it was taken.  id 0: only the hash is
 * known (dotpha audit verify --anchor HASH). */
struct audit_anchor {
	int64_t id;                 /* the entry, or 0 */
	unsigned char hash[32];     /* its hash */
	char at[24];                /* when it was taken (UTC moment), or "" */
};

/* The outcome of walking the hash chain. */
struct audit_verdict {
	bool ok;              /* every entry checked out */
	int64_t entries;      /* entries walked */
	int64_t first_broken; /* id of the first bad entry, 0 when ok (or when
	                       * the only fault is an anchored hash no entry has) */
	char problem[320];    /* a sentence when not ok, else "" */
	int64_t head;         /* id of the newest entry, 0 on an empty trail */
	unsigned char head_hash[32]; /* its hash as stored (zeros when empty) */
	int64_t anchors;      /* anchors that agreed with the chain */
};

/* Resolves the reference `r` to an object of kind `noun`: "unit", "cadre",
 * "term", "account" by id or code (login); "task", "token", "update" by id
 * only.  not_found naming `field` if there is none. */
int db_audit_resolve(struct db *db, const char *noun, const char *field, const struct ref *r,
		     int64_t *id, struct rpc_error *err);

/* Packs object `id` of kind `noun` as the trail stores it: the same map
 * the read methods show (with detail for units, cadres and tasks), never a
 * secret.  not_found if there is no such object; internal for an unknown
 * noun. */
int db_audit_pack_object(struct db *db, const char *noun, int64_t id, const char *as_of,
			 msgpack_packer *pk, struct rpc_error *err);

/* Appends the entry for a change already made in the current write
 * transaction: packs the object's values after it, finds the task and unit
 * it belongs to, chains the hash.  On failure the caller must roll back. */
int db_audit_record(struct db *db, const struct audit_actor *by, const struct audit_change *ch,
		    struct rpc_error *err);

/* db_audit_record for the daemon's own writes (the first-start admin):
 * by "(system)", at `now`. */
int db_audit_system(struct db *db, const char *now, const char *method, const char *noun,
		    int64_t id, struct rpc_error *err);

/* Packs {items, next, total}: entries matching f, oldest first, one page. */
int db_audit_list(struct db *db, const struct audit_filter *f, const struct page *pg,
		  msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, next, total}: a page of the entries of task `task` in
 * order (id > pg->after, at most pg->limit), each with the account's
 * display_name; next is the last id packed when more follow, else nil;
 * total counts all of the task's entries.  Unless whole (an admin asks),
 * token_name and address are nil. */
int db_audit_task(struct db *db, int64_t task, bool whole, const struct page *pg,
		  msgpack_packer *pk, struct rpc_error *err);

/* Walks the whole chain in id order, recomputing every hash, and holds it
 * to the anchors[0..n) (any order; n may be 0): the chain must have each
 * anchored entry, with exactly the anchored hash, and be intact up to its
 * head.  The first fault in id order is the verdict's: an entry that does
 * not check out, an anchored entry whose hash differs (the chain was
 * rebuilt), an anchored entry past the head (it was cut).  A hash-only
 * anchor is looked up; none with it is a fault too. */
int db_audit_verify(struct db *db, const struct audit_anchor *anchors, size_t n,
		    struct audit_verdict *v, struct rpc_error *err);

/* The id and hash of the newest entry: what an anchor keeps.  id 0 and
 * zero bytes on an empty trail. */
int db_audit_head(struct db *db, int64_t *id, unsigned char hash[32], struct rpc_error *err);

/* PRAGMA integrity_check for `dotphad --check`: "ok", or SQLite's first
 * complaint, into out. */
int db_audit_integrity(struct db *db, char *out, size_t len, struct rpc_error *err);

/* ---- status, health and the board (db_health.c, db_board.c; PROTOCOL.md 6f) ---- */

#define DB_HEALTH_STALLED_DAYS 30   /* default: stalled after this many days without an update */
#define DB_HEALTH_AT_RISK_MARGIN 15 /* default: at risk this many points behind the plan */

/* Sets the thresholds of health for every query from now on (process-wide). */
void db_health_set(int stalled_days, int at_risk_margin);
int db_health_stalled_days(void);
int db_health_at_risk_margin(void);

/* board.get's selection: the tasks of the caller's scope (0: all), of
 * unit's subtree (0: any), of term (0: any), whose focal point is account
 * `mine` (0: anyone's), on as_of. */
struct board_filter {
	const char *as_of;
	int64_t scope, unit, term, mine;
	int64_t limit; /* of needs_action */
};

/* Packs board.get's result (PROTOCOL.md 6f). */
int db_board(struct db *db, const struct board_filter *f, msgpack_packer *pk,
	     struct rpc_error *err);

/* Packs cadre.record's result for cadre and term, the tasks limited to the
 * scope (0: all), status on as_of. */
int db_cadre_record(struct db *db, int64_t scope, int64_t cadre, int64_t term,
		    const char *as_of, msgpack_packer *pk, struct rpc_error *err);

/* ---- search (db_search.c; PROTOCOL.md 6h) ---- */

struct search_terms; /* snippet.h */

/* search.query's selection: the tasks matching every term of `terms`, of
 * the caller's scope (0: all), of unit's subtree (0: any), of term (0:
 * any), at most limit of them, unit names as on today. */
struct search_filter {
	const struct search_terms *terms;
	const char *today;
	int64_t scope, unit, term;
	int64_t limit;
};

/* Packs search.query's result {"items", "total"}, best first. */
int db_search(struct db *db, const struct search_filter *f, msgpack_packer *pk,
	      struct rpc_error *err);

/* For `dotphad --check`: how many tasks and updates the search index has
 * out of step (missing, different, or left from something gone); 0 and 0
 * unless something wrote behind the triggers' back. */
int db_search_check(struct db *db, int64_t *tasks, int64_t *updates, struct rpc_error *err);

/* ---- reports (PROTOCOL.md 6i; db_report.c, db_snapshot.c) ---- */

/* A report's selection: the tasks of term within scope (0: all) and unit's
 * subtree (0: the scope's), on as_of; limit bounds the overdue and
 * stalled lists. */
struct report_filter {
	const char *as_of;
	int64_t scope, unit, term;
	int64_t limit;
	int64_t depth;   /* units listed down to this level below the base; -1: as
			  * many whole levels as REPORT_UNITS_MAX rows allow */
};

/* The units a report lists unless `depth` says: a province's whole tree,
 * the country's provinces (PROTOCOL.md 6i). */
#define REPORT_UNITS_MAX 1000

/* Packs the thirteen pairs of report.get's result after as_of, term and
 * unit (summary ... stalled_total). */
int db_report(struct db *db, const struct report_filter *f, msgpack_packer *pk,
	      struct rpc_error *err);

/* A snapshot to keep: its name, what it was taken with, and the report's
 * bytes (borrowed). */
struct snapshot_new {
	struct text name;
	const struct report_filter *filter;
	const char *result;
	size_t len;
	int64_t by;      /* the account taking it */
	const char *now;
};

/* Stores a snapshot; conflict if its name is taken in the scope. */
int db_snapshot_create(struct db *db, const struct snapshot_new *s, int64_t *id,
		       struct rpc_error *err);

/* Packs snapshot id's metadata (never its report). */
int db_snapshot_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {"items", "total"}: the snapshots seen from scope (0: all). */
int db_snapshot_list(struct db *db, int64_t scope, msgpack_packer *pk, struct rpc_error *err);

/* Resolves a snapshot given by id (seen from scope) or by name (in the
 * scope's own snapshots); not_found naming field otherwise. */
int db_snapshot_resolve(struct db *db, int64_t scope, const char *field, const struct ref *r,
			int64_t *id, struct rpc_error *err);

/* Copies snapshot id's report bytes into *data (malloc'd; the caller frees). */
int db_snapshot_result(struct db *db, int64_t id, char **data, size_t *len,
		       struct rpc_error *err);

#endif
