/*
 * db_import.c: the columns of each kind of object import.run reads and
 * export.rows writes (db_import.h).  Each kind has one list of columns,
 * selected the same way for the comparison of an imported row (by code)
 * and for the export (a page in scope), so an export read back into an
 * empty database and exported again gives the same rows; a task's export
 * adds what its work made of it (state, percent, status, health), which
 * an import ignores.
 */
#include <stdlib.h>
#include <string.h>

#include "db_health.h"
#include "db_import.h"
#include "db_internal.h"

/* ---- units: in tree order (parents first), closed ones too ---- */

#define UNIT_COLUMNS \
	"SELECT u.id, u.code, " SQL_UNIT_NAME("u.id", "?9") ", u.level, coalesce(p.code, ''), " \
	"coalesce(u.valid_from, ''), coalesce(u.valid_to, ''), coalesce(m.code, '') " \
	"FROM units u LEFT JOIN units p ON p.id = u.parent_id " \
	"LEFT JOIN units m ON m.id = u.merged_into"
static const char SQL_UNIT_CURRENT[] = UNIT_COLUMNS " WHERE u.code = ?1";
static const char SQL_UNIT_EXPORT[] =
	"WITH RECURSIVE tree(id, depth) AS ("
	"  SELECT id, 0 FROM units WHERE (?3 IS NULL AND parent_id IS NULL) OR id = ?3"
	"  UNION ALL SELECT u.id, t.depth + 1 FROM units u JOIN tree t ON u.parent_id = t.id) "
	UNIT_COLUMNS " JOIN tree t ON t.id = u.id ORDER BY t.depth, u.id LIMIT ?2 OFFSET ?1";

/* ---- cadres: of the scope's subtree, by id ---- */

#define CADRE_COLUMNS \
	"SELECT c.id, c.code, c.full_name, c.title, u.code, m.code, c.since " \
	"FROM cadres c JOIN units u ON u.id = c.unit_id JOIN units m ON m.id = c.managing_unit_id"
static const char SQL_CADRE_CURRENT[] = CADRE_COLUMNS " WHERE c.code = ?1";
static const char SQL_CADRE_EXPORT[] =
	"WITH RECURSIVE " SQL_SUBTREE("?3") " " CADRE_COLUMNS
	" WHERE c.id > ?1 AND (?3 IS NULL OR c.unit_id IN (SELECT id FROM sub))"
	" ORDER BY c.id LIMIT ?2";

/* ---- tasks: of the scope's subtree, by id ---- */

#define TASK_SELECT \
	"SELECT t.id, coalesce(t.code, ''), t.title, t.description, t.kind, t.field, o.code, " \
	"u.code, tm.code, a.code, t.product, t.due_date"
#define TASK_FROM \
	" FROM tasks t JOIN cadres o ON o.id = t.owner_id JOIN units u ON u.id = t.unit_id " \
	"JOIN terms tm ON tm.id = t.term_id JOIN units a ON a.id = t.assigned_by"
static const char SQL_TASK_CURRENT[] = TASK_SELECT TASK_FROM " WHERE t.code = ?1";
/* Then what the work made of the task, as task.list shows it on today
 * (?9): the state, the counted percent, the status and the health
 * (db_health.h), computed for the page's tasks only. */
#define TASK_PAGE " WHERE t.id > ?1 AND (?3 IS NULL OR t.unit_id IN (SELECT id FROM sub))"
static const char SQL_TASK_EXPORT[] =
	"WITH RECURSIVE " SQL_SUBTREE("?3") ", "
	SQL_HEALTH_CTES(" FROM tasks t JOIN terms tm ON tm.id = t.term_id" TASK_PAGE
			" ORDER BY t.id LIMIT ?2") " "
	TASK_SELECT ", t.state, CAST(t.percent AS TEXT), coalesce(hs.status, ''), "
	"coalesce(hs.health, '')" TASK_FROM " JOIN hs ON hs.id = t.id ORDER BY t.id";

/* ---- terms: every account sees them all ---- */

#define TERM_COLUMNS "SELECT id, code, name, kind, start_date, end_date FROM terms"
static const char SQL_TERM_CURRENT[] = TERM_COLUMNS " WHERE code = ?1";
static const char SQL_TERM_EXPORT[] =
	TERM_COLUMNS " WHERE id > ?1 ORDER BY id LIMIT ?2";

/* ---- updates: export only, of the scope's tasks, by id ---- */

static const char SQL_UPDATE_EXPORT[] =
	"WITH RECURSIVE " SQL_SUBTREE("?3") " "
	"SELECT x.id, coalesce(t.code, ''), x.reported_at, CAST(x.percent AS TEXT), x.done, "
	"x.difficulties, x.proposals, coalesce(a.verdict, '') "
	"FROM updates x JOIN tasks t ON t.id = x.task_id "
	"LEFT JOIN appraisals a ON a.update_id = x.id"
	" WHERE x.id > ?1 AND (?3 IS NULL OR t.unit_id IN (SELECT id FROM sub))"
	" ORDER BY x.id LIMIT ?2";

static const struct import_kind kinds[] = {
	{"units", {"code", "name", "level", "parent", "valid_from", "valid_to", "merged_into"}, 7, 7,
	 true, SQL_UNIT_CURRENT, SQL_UNIT_EXPORT, true, true},
	{"cadres", {"code", "full_name", "title", "unit", "managing_unit", "since"}, 6, 6, true,
	 SQL_CADRE_CURRENT, SQL_CADRE_EXPORT, false, false},
	{"tasks", {"code", "title", "description", "kind", "field", "owner", "unit", "term",
		   "assigned_by", "product", "due_date", "state", "percent", "status", "health"},
	 11, 15, true, SQL_TASK_CURRENT, SQL_TASK_EXPORT, false, true},
	{"terms", {"code", "name", "kind", "start", "end"}, 5, 5, true, SQL_TERM_CURRENT,
	 SQL_TERM_EXPORT, false, false},
	{"updates", {"task", "reported_at", "percent", "done", "difficulties", "proposals",
		     "appraisal"}, 7, 7, false, NULL, SQL_UPDATE_EXPORT, false, false},
};

const char *const db_import_kinds[] = {"units", "cadres", "tasks", "terms", NULL};
const char *const db_export_kinds[] = {"units", "cadres", "tasks", "terms", "updates", NULL};

const struct import_kind *db_import_kind(const char *name)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strcmp(kinds[i].name, name) == 0)
			return &kinds[i];
	return NULL;
}

int db_import_current(struct db *db, const struct import_kind *k, const char *code,
		      const char *today, int64_t *id, char **values, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc, i;

	*id = 0;
	memset(values, 0, sizeof(*values) * (size_t)k->ncolumns);
	/* Units alone name today (?9), for the name in force. */
	if (!(st = db_prep(db, k->current_sql, err, k->current_sql == SQL_UNIT_CURRENT ? "s9s" : "s",
			   code, today)))
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE)
		return db_done(st, RPC_OK);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(st);
		return db_fail(db, rc, "reading the object of an imported row", err);
	}
	*id = sqlite3_column_int64(st, 0);
	for (i = 0; i < k->ncolumns; i++)
		if (!(values[i] = db_column_dup(st, i + 1)))
			break;
	sqlite3_reset(st);
	if (i < k->ncolumns) {
		db_import_values_free(values, k->ncolumns);
		return errors_set(err, RPC_INTERNAL, "out of memory reading an imported row's object");
	}
	return RPC_OK;
}

void db_import_values_free(char **values, int n)
{
	for (int i = 0; i < n; i++) {
		free(values[i]);
		values[i] = NULL;
	}
}

/* Packs a row's columns 1..n as an array of strings (NULL as ""). */
static void pack_values(sqlite3_stmt *st, msgpack_packer *pk, const void *arg)
{
	const struct import_kind *k = arg;

	msgpack_pack_array(pk, (size_t)k->nexported);
	for (int i = 1; i <= k->nexported; i++) {
		const char *s = (const char *)sqlite3_column_text(st, i);
		size_t n = (size_t)sqlite3_column_bytes(st, i);

		msgpack_pack_str_with_body(pk, s ? s : "", s ? n : 0);
	}
}

int db_export_page(struct db *db, const struct import_kind *k, int64_t scope, const char *today,
		   int64_t after, int64_t limit, msgpack_packer *pk, struct rpc_error *err)
{
	/* Terms are everyone's: no scope (?3); units (the name in force) and
	 * tasks (status and health) name today (?9). */
	const char *fmt = k->export_sql == SQL_TERM_EXPORT ? "ii" : k->names_today ? "iir9s" : "iir";
	sqlite3_stmt *st = db_prep(db, k->export_sql, err, fmt, after, limit + 1, scope, today);
	int64_t n, last = 0;
	bool more = false;

	if (!st)
		return err->code;
	msgpack_pack_map(pk, 3);
	msgpack_pack_str_with_body(pk, "columns", 7);
	msgpack_pack_array(pk, (size_t)k->nexported);
	for (int i = 0; i < k->nexported; i++)
		msgpack_pack_str_with_body(pk, k->columns[i], strlen(k->columns[i]));
	msgpack_pack_str_with_body(pk, "rows", 4);
	if ((n = db_pack_array(db, st, limit, pk, pack_values, k, &more, &last, err)) < 0)
		return err->code;
	msgpack_pack_str_with_body(pk, "next", 4);
	if (!more)
		msgpack_pack_nil(pk);
	else
		msgpack_pack_int64(pk, k->offset_paged ? after + n : last);
	return RPC_OK;
}

static const char SQL_SP_BEGIN_ALL[] = "SAVEPOINT import_all";
static const char SQL_SP_RELEASE_ALL[] = "RELEASE import_all";
static const char SQL_SP_UNDO_ALL[] = "ROLLBACK TO import_all";
static const char SQL_SP_BEGIN_ROW[] = "SAVEPOINT import_row";
static const char SQL_SP_RELEASE_ROW[] = "RELEASE import_row";
static const char SQL_SP_UNDO_ROW[] = "ROLLBACK TO import_row";

int db_import_savepoint(struct db *db, bool all, enum import_savepoint op, struct rpc_error *err)
{
	static const char *const sql[2][3] = {
		{SQL_SP_BEGIN_ROW, SQL_SP_RELEASE_ROW, SQL_SP_UNDO_ROW},
		{SQL_SP_BEGIN_ALL, SQL_SP_RELEASE_ALL, SQL_SP_UNDO_ALL},
	};

	return db_run(db, sql[all][op], "an import's savepoint", err, "");
}

static const char SQL_SET_TASK_CODE[] = "UPDATE tasks SET code = ?2 WHERE id = ?1";

int db_import_set_task_code(struct db *db, int64_t id, const char *code, struct rpc_error *err)
{
	return db_run(db, SQL_SET_TASK_CODE, "code", err, "is", id, code);
}

static const char SQL_LOG[] =
	"INSERT INTO imports (kind, account_id, dry_run, applied, rows, created, updated, "
	"unchanged, bad, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)";

int db_import_log(struct db *db, const struct import_outcome *o, const char *now, int64_t *id,
		  struct rpc_error *err)
{
	return db_insert(db, SQL_LOG, "the import log", id, err, "srddiiiiis", o->kind,
			 o->account_id, o->dry_run, o->applied, o->rows, o->created, o->updated,
			 o->unchanged, o->bad, now);
}

static const char SQL_IMPORT[] =
	"SELECT id, kind, account_id, dry_run, applied, rows, created, updated, unchanged, bad, at "
	"FROM imports WHERE id = ?1";
static const char *const import_bools[] = {"dry_run", "applied", NULL};

int db_import_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_IMPORT, "import", id, NULL, import_bools, 0, pk, err);
}
