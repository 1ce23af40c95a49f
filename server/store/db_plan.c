/*
 * db_plan.c: storage for plans, the steps of a task.  Steps are ordered by
 * position (a new one goes after the last); plan.remove only marks a step
 * removed, so the audit trail's entries about it keep their task and unit.
 * A removed step is in no list and no count, and answers not_found.
 */
#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

#include "db_plan.h"
#include "pack.h"

/* The plan step object of PROTOCOL.md; unit names are today's. */
#define STEP_COLUMNS \
	"s.id AS id, s.task_id AS task_id, s.position AS position, s.what AS what, " \
	"s.responsible_unit_id AS responsible_unit_id, ru.code AS responsible_unit_code, " \
	SQL_UNIT_NAME("s.responsible_unit_id", "'9999-12-31'") " AS responsible_unit_name, " \
	"s.responsible_cadre_id AS responsible_cadre_id, rc.code AS responsible_cadre_code, " \
	"rc.full_name AS responsible_cadre_name, s.responsible_text AS responsible_text, " \
	"s.due_date AS due_date, s.status AS status, s.removed_at AS removed_at, " \
	"s.created_at AS created_at, s.updated_at AS updated_at"

#define STEP_FROM \
	" FROM plan_steps s LEFT JOIN units ru ON ru.id = s.responsible_unit_id" \
	" LEFT JOIN cadres rc ON rc.id = s.responsible_cadre_id"

static const char SQL_TASK_OF[] =
	"SELECT task_id FROM plan_steps WHERE id = ?1 AND removed_at IS NULL";
static const char SQL_INSERT[] =
	"INSERT INTO plan_steps (task_id, position, what, responsible_unit_id, "
	"responsible_cadre_id, responsible_text, due_date, status, created_at, updated_at) "
	"SELECT ?1, coalesce(max(position), 0) + 1, ?2, ?3, ?4, nullif(?5, ''), ?6, "
	"coalesce(?7, 'todo'), ?8, ?8 FROM plan_steps WHERE task_id = ?1";
static const char SQL_UPDATE[] =
	"UPDATE plan_steps SET what = coalesce(?2, what), "
	"responsible_unit_id = CASE WHEN ?3 THEN ?4 ELSE responsible_unit_id END, "
	"responsible_cadre_id = CASE WHEN ?3 THEN ?5 ELSE responsible_cadre_id END, "
	"responsible_text = CASE WHEN ?3 THEN nullif(?6, '') ELSE responsible_text END, "
	"due_date = coalesce(?7, due_date), status = coalesce(?8, status), updated_at = ?9 "
	"WHERE id = ?1 AND removed_at IS NULL";
static const char SQL_REMOVE[] =
	"UPDATE plan_steps SET removed_at = ?2, updated_at = ?2 WHERE id = ?1 AND removed_at IS NULL";
/* Placing a step: the plan's ids in order, then each step's new place. */
static const char SQL_ORDER[] =
	"SELECT id FROM plan_steps WHERE task_id = ?1 AND removed_at IS NULL "
	"ORDER BY position, id";
static const char SQL_POSITION[] =
	"UPDATE plan_steps SET position = ?2, updated_at = CASE WHEN id = ?3 THEN ?4 "
	"ELSE updated_at END WHERE id = ?1 AND position <> ?2";
static const char SQL_GET[] = "SELECT " STEP_COLUMNS STEP_FROM " WHERE s.id = ?1";
static const char SQL_LIST[] =
	"SELECT " STEP_COLUMNS STEP_FROM " WHERE s.task_id = ?1 AND s.removed_at IS NULL "
	"ORDER BY s.position, s.id";
static const char SQL_SUMMARY[] =
	"SELECT count(*), coalesce(sum(status = 'done'), 0), coalesce(sum(status <> 'dropped'), 0) "
	"FROM plan_steps WHERE task_id = ?1 AND removed_at IS NULL";
/* The percent of the task's updates: none when nothing was ever reported. */
static const char SQL_REPORTED[] =
	"SELECT CASE WHEN update_count > 0 OR percent > 0 THEN percent END FROM tasks WHERE id = ?1";

static int step_missing(int64_t id, struct rpc_error *err)
{
	return errors_set(err, RPC_NOT_FOUND, "step: no step with id %lld", (long long)id);
}

int db_plan_step_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err)
{
	int rc = db_one_int64(db, SQL_TASK_OF, task, err, "i", id);

	if (rc != RPC_OK)
		return rc;
	return *task ? RPC_OK : step_missing(id, err);
}

int db_plan_add(struct db *db, int64_t task, const struct step_input *in, const char *now,
		int64_t *id, struct rpc_error *err)
{
	return db_insert(db, SQL_INSERT, "step", id, err, "itrrtsss", task, in->what, in->unit,
			 in->cadre, in->text, in->due_date, in->status, now);
}

int db_plan_update(struct db *db, int64_t id, const struct step_input *in, const char *now,
		   struct rpc_error *err)
{
	int rc = db_run(db, SQL_UPDATE, "step", err, "itdrrtsss", id, in->what,
			in->who_given ? 1 : 0, in->unit, in->cadre, in->text, in->due_date,
			in->status, now);

	if (rc != RPC_OK)
		return rc;
	return sqlite3_changes(db->conn) ? RPC_OK : step_missing(id, err);
}

int db_plan_place(struct db *db, int64_t task, int64_t id, int64_t position, const char *now,
		  struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_ORDER, err, "i", task);
	int64_t *ids = NULL, *grown;
	size_t n = 0, cap = 0, from = 0, to;
	int rc, step;

	if (!st)
		return err->code;
	while ((step = sqlite3_step(st)) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			if (!(grown = realloc(ids, cap * sizeof(*ids)))) {
				sqlite3_reset(st);
				free(ids);
				return errors_set(err, RPC_INTERNAL, "step: out of memory");
			}
			ids = grown;
		}
		if ((ids[n] = sqlite3_column_int64(st, 0)) == id)
			from = n;
		n++;
	}
	sqlite3_reset(st);
	if (step != SQLITE_DONE) {
		free(ids);
		return db_fail(db, step, "step", err);
	}
	if (n == 0 || ids[from] != id) { /* the caller checked the step is in the plan */
		free(ids);
		return step_missing(id, err);
	}
	/* Take the step out at `from`, put it back at `to`. */
	to = (size_t)position - 1 < n ? (size_t)position - 1 : n - 1;
	if (from < to)
		memmove(&ids[from], &ids[from + 1], (to - from) * sizeof(*ids));
	else if (to < from)
		memmove(&ids[to + 1], &ids[to], (from - to) * sizeof(*ids));
	ids[to] = id;
	rc = RPC_OK;
	for (size_t i = 0; i < n && rc == RPC_OK; i++)
		rc = db_run(db, SQL_POSITION, "step", err, "iiis", ids[i], (int64_t)i + 1, id, now);
	free(ids);
	return rc;
}

int db_plan_remove(struct db *db, int64_t id, const char *now, struct rpc_error *err)
{
	int rc = db_run(db, SQL_REMOVE, "step", err, "is", id, now);

	if (rc != RPC_OK)
		return rc;
	return sqlite3_changes(db->conn) ? RPC_OK : step_missing(id, err);
}

int db_plan_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "step", id, NULL, NULL, 0, pk, err);
}

int db_plan_summary(struct db *db, int64_t task, struct plan_summary *out,
		    struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	out->steps = out->done = out->counted = 0;
	out->percent = -1;
	if (!(st = db_prep(db, SQL_SUMMARY, err, "i", task)))
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->steps = sqlite3_column_int64(st, 0);
		out->done = sqlite3_column_int64(st, 1);
		out->counted = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "plan", err);
	if (out->counted > 0)
		out->percent = out->done * 100 / out->counted;
	return RPC_OK;
}

/* The task's reported percent into *pct, -1 when nothing was reported. */
static int reported(struct db *db, int64_t task, int64_t *pct, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*pct = -1;
	if (!(st = db_prep(db, SQL_REPORTED, err, "i", task)))
		return err->code;
	if ((rc = db_row(db, st, "task", task, err)) != RPC_OK)
		return rc;
	if (sqlite3_column_type(st, 0) != SQLITE_NULL)
		*pct = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return RPC_OK;
}

static void pack_percent(msgpack_packer *pk, const char *key, int64_t pct)
{
	if (pct < 0)
		pack_kv_nil(pk, key);
	else
		pack_kv_int(pk, key, pct);
}

int db_plan_list(struct db *db, int64_t task, msgpack_packer *pk, struct rpc_error *err)
{
	struct plan_summary sum;
	sqlite3_stmt *st;
	int64_t from_updates, gap;
	int rc;

	if ((rc = db_plan_summary(db, task, &sum, err)) != RPC_OK ||
	    (rc = reported(db, task, &from_updates, err)) != RPC_OK)
		return rc;
	if (!(st = db_prep(db, SQL_LIST, err, "i", task)))
		return err->code;
	msgpack_pack_map(pk, 7);
	pack_kv_int(pk, "task", task);
	pack_str(pk, "items");
	if (db_pack_rows(db, st, pk, NULL, err) < 0)
		return err->code;
	pack_kv_int(pk, "total", sum.steps);
	pack_kv_int(pk, "done", sum.done);
	pack_percent(pk, "percent_from_steps", sum.percent);
	pack_percent(pk, "percent_from_updates", from_updates);
	gap = sum.percent - from_updates;
	pack_kv_bool(pk, "disagree",
		     sum.percent >= 0 && from_updates >= 0 && (gap > 10 || gap < -10));
	return RPC_OK;
}
