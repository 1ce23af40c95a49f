/*
 * db_task.c: storage for tasks and the history of their owners.  A task
 * keeps pointing at its unit through renames and closures; the unit's name
 * it shows is the one in force at the end of the task's term, so a task of
 * an earlier term reads as it did then.  task_owners records who owned the
 * task from when (seq orders changes made on the same day); its last row is
 * always tasks.owner_id.
 */
#include "db_health.h"
#include "db_internal.h"

#include <stdio.h>
#include <string.h>

#include "db_task.h"
#include "pack.h"

/* The date unit names of a task are taken on: the last day of its term, or
 * the as-of date (?9) if earlier. */
#define TASK_NAME_DATE "min(tm.end_date, ?9)"

/* The task object of PROTOCOL.md; ?9 is the as-of date. */
#define TASK_COLUMNS \
	"t.id AS id, t.title AS title, t.description AS description, t.kind AS kind, " \
	"t.field AS field, " \
	"t.owner_id AS owner_id, o.code AS owner_code, o.full_name AS owner_name, " \
	"t.unit_id AS unit_id, u.code AS unit_code, " \
	SQL_UNIT_NAME("t.unit_id", TASK_NAME_DATE) " AS unit_name, " \
	"t.term_id AS term_id, tm.code AS term_code, " \
	"t.assigned_by AS assigned_by_id, a.code AS assigned_by_code, " \
	SQL_UNIT_NAME("t.assigned_by", TASK_NAME_DATE) " AS assigned_by_name, " \
	"o.managing_unit_id AS managing_unit_id, " \
	"t.product AS product, t.due_date AS due_date, t.percent AS percent, " \
	"t.last_update_at AS last_update_at, t.update_count AS updates, " \
	"(t.due_date < ?9 AND t.percent < 100) AS overdue, " \
	"t.state AS state, t.decision_no AS decision_no, t.decision_date AS decision_date, " \
	"t.rating AS rating, t.state_note AS state_note, t.state_at AS state_at, " \
	"t.carried_to AS carried_to, " \
	"t.created_at AS created_at, t.updated_at AS updated_at, " \
	"hs.status AS status, hs.health AS health, hs.health_reason AS health_reason, " \
	"hs.health_why AS health_why, hs.health_days AS health_days, " \
	"hs.health_percent AS health_percent, hs.health_planned AS health_planned, " \
	"t.code AS code" /* import and export (migration 12) */

#define TASK_FROM_BASE \
	" FROM tasks t JOIN cadres o ON o.id = t.owner_id JOIN units u ON u.id = t.unit_id" \
	" JOIN terms tm ON tm.id = t.term_id JOIN units a ON a.id = t.assigned_by"

/* The task with its status and health on ?9 (db_health.h), from the CTE
 * hs the query defines over the tasks it selects. */
#define TASK_FROM TASK_FROM_BASE " JOIN hs ON hs.id = t.id"

/* task.list's filters, one statement for every combination: a NULL
 * parameter switches its condition off.  ?1 unit (subtree `sub`), ?2 owner,
 * ?3 term, ?4 kind, ?5 field, ?6 assigned_by, ?7 managed_by, ?8
 * managed_under (`below`: the subtree of ?8 without ?8), ?10 overdue
 * (0/1) on ?9, ?13 the caller's scope (subtree `scope_sub`), ?14 state. */
#define TASK_CTES \
	"WITH RECURSIVE " SQL_SUBTREE("?1") ", " SQL_SUBTREE_AS("below", "?8") ", " \
	SQL_SUBTREE_AS("scope_sub", "?13") " "

/* The unit condition comes in two forms: with no unit (and no scope) to
 * keep to, ?1 is NULL and switches it off; otherwise ?1 is bound and the
 * condition is written without the OR, so that SQLite looks the subtree's
 * tasks up by the tasks_unit index instead of reading every task (a
 * district's list at the national scale: the whole table otherwise). */
#define TASK_UNIT_ANY " WHERE (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub))"
#define TASK_UNIT_SUB " WHERE t.unit_id IN (SELECT id FROM sub)"

#define TASK_WHERE_AFTER(unit) \
	unit \
	" AND (?2 IS NULL OR t.owner_id = ?2)" \
	" AND (?3 IS NULL OR t.term_id = ?3)" \
	" AND (?4 IS NULL OR t.kind = ?4)" \
	" AND (?5 IS NULL OR t.field = ?5)" \
	" AND (?6 IS NULL OR t.assigned_by = ?6)" \
	" AND (?7 IS NULL OR o.managing_unit_id = ?7)" \
	" AND (?8 IS NULL OR (o.managing_unit_id IN (SELECT id FROM below)" \
	"                     AND o.managing_unit_id <> ?8))" \
	" AND (?10 IS NULL OR (t.due_date < ?9 AND t.percent < 100) = ?10)" \
	" AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))" \
	" AND (?14 IS NULL OR t.state = ?14)"
#define TASK_WHERE TASK_WHERE_AFTER(TASK_UNIT_ANY)

/* task.list's filters on the status and health on ?9: ?15, ?16. */
#define TASK_HEALTH_WHERE \
	" (?15 IS NULL OR hs.status = ?15) AND (?16 IS NULL OR hs.health = ?16)"

static const char *const task_bools[] = {"overdue", NULL};

static const char SQL_EXISTS[] = "SELECT count(*) FROM tasks WHERE id = ?1";
/* 1 if task ?1 is of a unit in the subtree of unit ?2: walks up from its unit. */
static const char SQL_VISIBLE[] =
	"WITH RECURSIVE " SQL_ANCESTORS("unit_id FROM tasks WHERE id = ?1") " "
	"SELECT count(*) FROM anc WHERE id = ?2";
/* Unit and assigned_by default to the owner's unit and managing unit. */
static const char SQL_INSERT[] =
	"INSERT INTO tasks (title, description, kind, field, owner_id, unit_id, term_id, "
	"assigned_by, product, due_date, created_at, updated_at) "
	"SELECT ?1, coalesce(?2, ''), ?3, ?4, c.id, coalesce(?6, c.unit_id), ?7, "
	"coalesce(?8, c.managing_unit_id), ?9, ?10, ?11, ?11 FROM cadres c WHERE c.id = ?5";
static const char SQL_OWNER[] = "SELECT owner_id FROM tasks WHERE id = ?1";
static const char SQL_UPDATE[] =
	"UPDATE tasks SET title = coalesce(?2, title), description = coalesce(?3, description), "
	"kind = coalesce(?4, kind), field = coalesce(?5, field), "
	"owner_id = coalesce(?6, owner_id), "
	"unit_id = coalesce(?7, unit_id), term_id = coalesce(?8, term_id), "
	"assigned_by = coalesce(?9, assigned_by), product = coalesce(?10, product), "
	"due_date = coalesce(?11, due_date), updated_at = ?12 WHERE id = ?1";
static const char SQL_ADD_OWNER[] =
	"INSERT INTO task_owners (task_id, valid_from, seq, cadre_id) "
	"SELECT ?1, ?2, coalesce(max(seq), 0) + 1, ?3 FROM task_owners WHERE task_id = ?1";
static const char SQL_EARLY_DUE[] =
	"SELECT t.due_date, tm.start_date FROM tasks t JOIN terms tm ON tm.id = t.term_id "
	"WHERE t.id = ?1 AND t.due_date < tm.start_date";
#define SQL_GET_BY(health) \
	"WITH " health(" FROM tasks t JOIN terms tm ON tm.id = t.term_id WHERE t.id = ?1") \
	" SELECT " TASK_COLUMNS TASK_FROM " WHERE t.id = ?1"
static const char SQL_GET[] = SQL_GET_BY(SQL_HEALTH_CTES);
/* On or after today, from the facts the writes keep (db_health.h). */
static const char SQL_GET_KEPT[] = SQL_GET_BY(SQL_HEALTH_CTES_KEPT_ONE);
/* Filtered by status or health, every match's health is needed to find
 * the page; otherwise only the page's (SQL_PAGE*): a list of the whole
 * tree then costs one page of health, not the whole table's. */
#define SQL_LIST_AS(health, where) \
	TASK_CTES ", " health(TASK_FROM_BASE where) \
	" SELECT " TASK_COLUMNS TASK_FROM " WHERE" TASK_HEALTH_WHERE \
	" AND t.id > ?11 ORDER BY t.id LIMIT ?12"
#define SQL_LIST_COUNT_AS(health, where) \
	TASK_CTES ", " health(TASK_FROM_BASE where) \
	" SELECT count(*), count(DISTINCT hs.owner_id) FROM hs WHERE" TASK_HEALTH_WHERE
#define SQL_PAGE_AS(health, where) \
	TASK_CTES ", " health(TASK_FROM_BASE where " AND t.id > ?11 ORDER BY t.id LIMIT ?12") \
	" SELECT " TASK_COLUMNS TASK_FROM " ORDER BY t.id"
#define SQL_PAGE_COUNT_AS(where) \
	TASK_CTES "SELECT count(*), count(DISTINCT t.owner_id) " \
	"FROM tasks t JOIN cadres o ON o.id = t.owner_id" where

/* Each statement with the unit condition off-able ([.][0]) and required
 * ([.][1]): see TASK_UNIT_SUB; judged from the history ([0][.]) or, on or
 * after today, from the facts the writes keep ([1][.], db_health.h). */
#define TASK_SUB TASK_WHERE_AFTER(TASK_UNIT_SUB)
static const char SQL_LIST_ANY[] = SQL_LIST_AS(SQL_HEALTH_CTES, TASK_WHERE);
static const char SQL_LIST_SUB[] = SQL_LIST_AS(SQL_HEALTH_CTES, TASK_SUB);
static const char SQL_LIST_KEPT_ANY[] = SQL_LIST_AS(SQL_HEALTH_CTES_KEPT, TASK_WHERE);
static const char SQL_LIST_KEPT_SUB[] = SQL_LIST_AS(SQL_HEALTH_CTES_KEPT, TASK_SUB);
static const char SQL_LIST_COUNT_ANY[] = SQL_LIST_COUNT_AS(SQL_HEALTH_CTES, TASK_WHERE);
static const char SQL_LIST_COUNT_SUB[] = SQL_LIST_COUNT_AS(SQL_HEALTH_CTES, TASK_SUB);
static const char SQL_LIST_COUNT_KEPT_ANY[] = SQL_LIST_COUNT_AS(SQL_HEALTH_CTES_KEPT, TASK_WHERE);
static const char SQL_LIST_COUNT_KEPT_SUB[] = SQL_LIST_COUNT_AS(SQL_HEALTH_CTES_KEPT, TASK_SUB);
static const char SQL_PAGE_ANY[] = SQL_PAGE_AS(SQL_HEALTH_CTES, TASK_WHERE);
static const char SQL_PAGE_SUB[] = SQL_PAGE_AS(SQL_HEALTH_CTES, TASK_SUB);
static const char SQL_PAGE_KEPT_ANY[] = SQL_PAGE_AS(SQL_HEALTH_CTES_KEPT, TASK_WHERE);
static const char SQL_PAGE_KEPT_SUB[] = SQL_PAGE_AS(SQL_HEALTH_CTES_KEPT, TASK_SUB);
static const char SQL_PAGE_COUNT_ANY[] = SQL_PAGE_COUNT_AS(TASK_WHERE);
static const char SQL_PAGE_COUNT_SUB[] = SQL_PAGE_COUNT_AS(TASK_SUB);
static const char *const SQL_LIST[2][2] = {{SQL_LIST_ANY, SQL_LIST_SUB},
					   {SQL_LIST_KEPT_ANY, SQL_LIST_KEPT_SUB}};
static const char *const SQL_LIST_COUNT[2][2] = {{SQL_LIST_COUNT_ANY, SQL_LIST_COUNT_SUB},
						 {SQL_LIST_COUNT_KEPT_ANY, SQL_LIST_COUNT_KEPT_SUB}};
static const char *const SQL_PAGE[2][2] = {{SQL_PAGE_ANY, SQL_PAGE_SUB},
					   {SQL_PAGE_KEPT_ANY, SQL_PAGE_KEPT_SUB}};
static const char *const SQL_PAGE_COUNT[2] = {SQL_PAGE_COUNT_ANY, SQL_PAGE_COUNT_SUB};

/* Checks task id: with scope 0 that it exists, else that it is of a unit
 * in the subtree of `scope`; both fail with the same not_found. */
static int check(struct db *db, int64_t scope, const char *field, int64_t id,
		 struct rpc_error *err)
{
	int64_t n;
	int rc;

	if ((rc = db_one_int64(db, scope ? SQL_VISIBLE : SQL_EXISTS, &n, err, scope ? "ii" : "i", id,
			       scope)) != RPC_OK)
		return rc;
	if (!n)
		return errors_set(err, RPC_NOT_FOUND, "%s: no task with id %lld", field,
				  (long long)id);
	return RPC_OK;
}

int db_task_check(struct db *db, const char *field, int64_t id, struct rpc_error *err)
{
	return check(db, 0, field, id, err);
}

int db_task_check_in(struct db *db, int64_t scope, const char *field, int64_t id,
		     struct rpc_error *err)
{
	return check(db, scope, field, id, err);
}

/* Checks task id's due date against its term's start, after a write; the
 * error names `field`, the part of the request that made them disagree. */
/* The task's assigning body when it is neither its owner's managing unit
 * nor above it: one row (assigning unit's code, the owner's code, the
 * managing unit's code), else none. */
static const char SQL_LOW_ASSIGNER[] =
	"WITH RECURSIVE " SQL_ANCESTORS("o.managing_unit_id FROM tasks t JOIN cadres o"
					" ON o.id = t.owner_id WHERE t.id = ?1") " "
	"SELECT a.code, o.code, m.code FROM tasks t JOIN units a ON a.id = t.assigned_by"
	" JOIN cadres o ON o.id = t.owner_id JOIN units m ON m.id = o.managing_unit_id"
	" WHERE t.id = ?1 AND t.assigned_by NOT IN (SELECT id FROM anc)";

/* Runs sql, whose ?1 is task id, to its first row: RPC_OK with *row on
 * it (the caller reads it, then resets *row), or with *row NULL when
 * there is none; else the error. */
static int first_row(struct db *db, const char *sql, int64_t id, sqlite3_stmt **row,
		     struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*row = NULL;
	if (!(st = db_prep(db, sql, err, "i", id)))
		return err->code;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*row = st;
		return RPC_OK;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? RPC_OK : db_fail(db, rc, "task", err);
}

/* The assigning body of task id must be its owner's managing unit or a unit
 * above it: a district cannot assign, then appraise and count in the
 * record, the work of a cadre the province manages.  Checked on the
 * resulting row, as check_due is; field names what the request changed. */
static int check_assigner(struct db *db, int64_t id, const char *field, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if ((rc = first_row(db, SQL_LOW_ASSIGNER, id, &st, err)) != RPC_OK || !st)
		return rc;
	/* the strings live in the statement: the message first, then reset */
	errors_set(err, RPC_INVALID_ARGUMENT,
		   "%s: unit %s may not assign a task to cadre %s, who is managed by %s; a task "
		   "is assigned by its cadre's managing unit or a unit above it",
		   field, (const char *)sqlite3_column_text(st, 0),
		   (const char *)sqlite3_column_text(st, 1), (const char *)sqlite3_column_text(st, 2));
	sqlite3_reset(st);
	return err->code;
}

static int check_due(struct db *db, int64_t id, const char *field, struct rpc_error *err)
{
	sqlite3_stmt *st;
	const char *due, *start;
	int rc;

	if ((rc = first_row(db, SQL_EARLY_DUE, id, &st, err)) != RPC_OK || !st)
		return rc;
	due = (const char *)sqlite3_column_text(st, 0);
	start = (const char *)sqlite3_column_text(st, 1);
	if (strcmp(field, "due_date") == 0)
		errors_set(err, RPC_INVALID_ARGUMENT,
			   "due_date: must not be before the term's start %s", start ? start : "?");
	else
		errors_set(err, RPC_INVALID_ARGUMENT,
			   "%s: the term starts %s, after the due date %s", field,
			   start ? start : "?", due ? due : "?");
	sqlite3_reset(st);
	return err->code;
}

/* Appends cadre `owner` to the owners history of task id, from `today`. */
static int add_owner(struct db *db, int64_t id, int64_t owner, const char *today,
		     struct rpc_error *err)
{
	return db_run(db, SQL_ADD_OWNER, "task owner", err, "isi", id, today, owner);
}

int db_task_create(struct db *db, const struct task_input *in, const char *today,
		   const char *now, int64_t *id, struct rpc_error *err)
{
	int rc = db_run(db, SQL_INSERT, "task", err, "ttssirirtss", in->title, in->description,
			in->kind, in->field, in->owner, in->unit, in->term, in->assigned_by,
			in->product, in->due_date, now);

	if (rc != RPC_OK)
		return rc;
	if (sqlite3_changes(db->conn) == 0)
		return errors_set(err, RPC_NOT_FOUND, "owner: no cadre with id %lld",
				  (long long)in->owner);
	*id = sqlite3_last_insert_rowid(db->conn);
	if ((rc = add_owner(db, *id, in->owner, today, err)) != RPC_OK ||
	    (in->assigned_by && (rc = check_assigner(db, *id, "assigned_by", err)) != RPC_OK))
		return rc;
	return check_due(db, *id, "due_date", err);
}

int db_task_update(struct db *db, int64_t id, const struct task_input *in, const char *today,
		   const char *now, struct rpc_error *err)
{
	int64_t old_owner;
	int rc;

	if ((rc = db_one_int64(db, SQL_OWNER, &old_owner, err, "i", id)) != RPC_OK)
		return rc;
	if (!old_owner)
		return errors_set(err, RPC_NOT_FOUND, "task: no task with id %lld", (long long)id);
	if ((rc = db_run(db, SQL_UPDATE, "task", err, "ittssrrrrtss", id, in->title,
			 in->description, in->kind, in->field, in->owner, in->unit, in->term,
			 in->assigned_by, in->product, in->due_date, now)) != RPC_OK)
		return rc;
	if (in->owner && in->owner != old_owner &&
	    (rc = add_owner(db, id, in->owner, today, err)) != RPC_OK)
		return rc;
	if ((in->assigned_by || (in->owner && in->owner != old_owner)) &&
	    (rc = check_assigner(db, id, in->assigned_by ? "assigned_by" : "owner", err)) != RPC_OK)
		return rc;
	/* Checked on the resulting row: either part may have changed. */
	if (in->due_date || in->term)
		return check_due(db, id, in->due_date ? "due_date" : "term", err);
	return RPC_OK;
}

int db_task_pack_row(struct db *db, int64_t id, const char *as_of, int extra,
		     msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, as_of && db_health_kept(as_of) ? SQL_GET_KEPT : SQL_GET, "task", id,
			     as_of, task_bools, extra, pk, err);
}

/* Query sql bound to task.list's filters (?1..?10, ?13, ?14; ?15, ?16
 * when filtering on status or health) and, for a page (pg not NULL), ?11
 * after and ?12 limit + 1.  NULL with err set on failure. */
static sqlite3_stmt *filtered(struct db *db, const char *sql, const struct task_filter *f,
			      const struct page *pg, struct rpc_error *err)
{
	/* With no unit asked for, the caller's scope is the subtree to look
	 * in (?13 keeps to it as well): the indexed form (TASK_UNIT_SUB).
	 * The page's two come last among the arguments, so that the count
	 * can leave them unread. */
	sqlite3_stmt *st = db_prep(db, sql, err, pg ? "rrrssrrrs13rs11ii" : "rrrssrrrs13rs",
				   f->unit ? f->unit : f->scope, f->cadre, f->term, f->kind, f->field,
				   f->assigned_by, f->managed_by, f->managed_under, f->as_of, f->scope,
				   f->state, pg ? pg->after : 0, pg ? pg->limit + 1 : 0);
	int b = SQLITE_OK;

	if (!st)
		return NULL;
	/* Bound only when given: ?10 NULL is "any"; only SQL_LIST and
	 * SQL_LIST_COUNT have ?15 and ?16. */
	if (f->status || f->health)
		b |= db_bind_cstr(st, 15, f->status) | db_bind_cstr(st, 16, f->health);
	if (f->overdue >= 0)
		b |= sqlite3_bind_int(st, 10, f->overdue > 0);
	return db_bind_check(db, st, b, err) == RPC_OK ? st : NULL;
}

int db_task_list(struct db *db, const struct task_filter *f, const struct page *pg,
		 msgpack_packer *pk, struct rpc_error *err)
{
	bool judged = f->status || f->health;
	int sub = f->unit || f->scope; /* the indexed form: ?1 is bound */
	int kept = f->as_of && db_health_kept(f->as_of);
	sqlite3_stmt *st = filtered(db, judged ? SQL_LIST_COUNT[kept][sub] : SQL_PAGE_COUNT[sub], f,
				    NULL, err);
	int64_t total = 0, cadres = 0;
	int rc;

	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		total = sqlite3_column_int64(st, 0);
		cadres = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "counting tasks", err);

	if (!(st = filtered(db, judged ? SQL_LIST[kept][sub] : SQL_PAGE[kept][sub], f, pg, err)))
		return err->code;
	msgpack_pack_map(pk, 4);
	if ((rc = db_pack_page(db, st, pg->limit, pk, task_bools, err)) != RPC_OK)
		return rc;
	pack_kv_int(pk, "total", total);
	pack_kv_int(pk, "cadres", cadres);
	return RPC_OK;
}

/* ---- the workflow's storage (the rules are server/methods/workflow.c's) ---- */

static const char SQL_STATUS[] =
	"SELECT state, assigned_by, term_id FROM tasks WHERE id = ?1";
/* 1 if unit ?1 is unit ?2 or below it: walks up from ?1. */
static const char SQL_UNIT_WITHIN[] =
	"WITH RECURSIVE " SQL_ANCESTORS("?1") " "
	"SELECT count(*) FROM anc WHERE id = ?2";
static const char SQL_MOVE[] =
	"UPDATE tasks SET state = ?2, state_note = ?3, decision_no = coalesce(?4, decision_no), "
	"decision_date = coalesce(?5, decision_date), rating = coalesce(?6, rating), "
	"carried_to = coalesce(?7, carried_to), state_at = ?8, updated_at = ?8 WHERE id = ?1";
/* 1 if term ?2 starts after the term of task ?1. */
static const char SQL_LATER_TERM[] =
	"SELECT n.start_date > o.start_date FROM tasks t JOIN terms o ON o.id = t.term_id "
	"JOIN terms n ON n.id = ?2 WHERE t.id = ?1";
/* The copy keeps the decision and the percent reached; a due date before
 * the new term's start moves to its end. */
static const char SQL_CARRY[] =
	"INSERT INTO tasks (title, description, kind, field, owner_id, unit_id, term_id, "
	"assigned_by, product, due_date, percent, state, decision_no, decision_date, state_note, "
	"state_at, created_at, updated_at) "
	"SELECT t.title, t.description, t.kind, t.field, t.owner_id, t.unit_id, n.id, "
	"t.assigned_by, t.product, "
	"CASE WHEN t.due_date < n.start_date THEN n.end_date ELSE t.due_date END, t.percent, "
	"'assigned', t.decision_no, t.decision_date, "
	"'Chuyển từ nhiệm vụ ' || t.id || ' của kỳ ' || o.code, ?3, ?3, ?3 "
	"FROM tasks t JOIN terms o ON o.id = t.term_id JOIN terms n ON n.id = ?2 WHERE t.id = ?1";

int db_task_status(struct db *db, int64_t id, struct task_status *out, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_STATUS, err, "i", id);
	const char *s;
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "task", id, err)) != RPC_OK)
		return rc;
	s = (const char *)sqlite3_column_text(st, 0);
	snprintf(out->state, sizeof(out->state), "%s", s ? s : "");
	out->assigned_by = sqlite3_column_int64(st, 1);
	out->term = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_unit_within(struct db *db, int64_t unit, int64_t scope, bool *within,
		   struct rpc_error *err)
{
	int64_t n;
	int rc;

	if ((rc = db_one_int64(db, SQL_UNIT_WITHIN, &n, err, "ii", unit, scope)) != RPC_OK)
		return rc;
	*within = n > 0;
	return RPC_OK;
}

int db_task_move(struct db *db, int64_t id, const struct task_move *mv, const char *now,
		 struct rpc_error *err)
{
	int rc = db_run(db, SQL_MOVE, "task", err, "isttssrs", id, mv->to, mv->note,
			mv->decision_no, mv->decision_date, mv->rating, mv->carried_to, now);

	if (rc != RPC_OK)
		return rc;
	if (sqlite3_changes(db->conn) == 0)
		return errors_set(err, RPC_NOT_FOUND, "task: no task with id %lld", (long long)id);
	return RPC_OK;
}

int db_task_carry(struct db *db, int64_t id, int64_t term, const char *today, const char *now,
		  int64_t *copy, struct rpc_error *err)
{
	int64_t later, owner;
	int rc;

	if ((rc = db_one_int64(db, SQL_LATER_TERM, &later, err, "ii", id, term)) != RPC_OK)
		return rc;
	if (!later)
		return errors_set(err, RPC_INVALID_ARGUMENT,
				  "term: must start after the task's own term");
	if ((rc = db_insert(db, SQL_CARRY, "task", copy, err, "iis", id, term, now)) != RPC_OK ||
	    (rc = db_one_int64(db, SQL_OWNER, &owner, err, "i", id)) != RPC_OK)
		return rc;
	return add_owner(db, *copy, owner, today, err);
}
