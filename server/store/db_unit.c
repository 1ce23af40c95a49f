/*
 * db_unit.c: storage for the unit tree.  Names are kept with the date from
 * which each holds (unit_names), so a task of an earlier term shows its
 * unit's name of that time; closing a unit keeps its row and its history.
 */
#include "db_internal.h"

#include <string.h>

#include "db_unit.h"
#include "pack.h"

/* The unit object of PROTOCOL.md; ?9 is the as-of date. */
#define UNIT_COLUMNS \
	"u.id AS id, u.code AS code, " SQL_UNIT_NAME("u.id", "?9") " AS name, " \
	"u.level AS level, u.parent_id AS parent, p.code AS parent_code, " \
	"u.valid_from AS valid_from, u.valid_to AS valid_to, u.merged_into AS merged_into, " \
	"(u.valid_to IS NOT NULL AND u.valid_to <= ?9) AS closed"

static const char *const unit_bools[] = {"closed", NULL};

static const char SQL_BY_ID[] = "SELECT id FROM units WHERE id = ?1";
static const char SQL_BY_CODE[] = "SELECT id FROM units WHERE code = ?1";
/* Matches nothing: given to db_resolve() for a unit the caller may not
 * name, so its not_found is worded exactly as for a unit that does not exist. */
static const char SQL_NONE[] = "SELECT id FROM units WHERE id = ?1 AND 0";
static const char SQL_IS_CLOSED[] =
	"SELECT valid_to IS NOT NULL AND valid_to <= ?2 FROM units WHERE id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO units (code, level, parent_id, valid_from, created_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5)";
static const char SQL_INSERT_NAME[] =
	"INSERT INTO unit_names (unit_id, valid_from, name) VALUES (?1, ?2, ?3)";
static const char SQL_LATER_NAME[] =
	"SELECT count(*) FROM unit_names WHERE unit_id = ?1 AND valid_from >= ?2";
static const char SQL_IS_ANCESTOR[] =
	"WITH RECURSIVE " SQL_ANCESTORS("?1") " "
	"SELECT count(*) FROM anc WHERE id = ?2";
static const char SQL_MOVE[] = "UPDATE units SET parent_id = ?2 WHERE id = ?1";
static const char SQL_OPEN_CHILDREN[] =
	"SELECT count(*) FROM units WHERE parent_id = ?1 AND (valid_to IS NULL OR valid_to > ?2)";
static const char SQL_CLOSE[] = "UPDATE units SET valid_to = ?2, merged_into = ?3 WHERE id = ?1";
static const char SQL_GET[] =
	"SELECT " UNIT_COLUMNS " FROM units u LEFT JOIN units p ON p.id = u.parent_id WHERE u.id = ?1";
static const char SQL_NAMES[] =
	"SELECT name, CASE valid_from WHEN '0000-00-00' THEN NULL ELSE valid_from END AS valid_from "
	"FROM unit_names WHERE unit_id = ?1 ORDER BY valid_from";
static const char SQL_COUNT_CHILDREN[] = "SELECT count(*) FROM units WHERE parent_id = ?1";
static const char SQL_COUNT_CADRES[] = "SELECT count(*) FROM cadres WHERE unit_id = ?1";
static const char SQL_COUNT_TASKS[] = "SELECT count(*) FROM tasks WHERE unit_id = ?1";
static const char SQL_TREE[] =
	"WITH RECURSIVE tree(id, depth, path) AS ("
	"  SELECT id, 0, printf('%012d', id) FROM units"
	"  WHERE (CASE WHEN ?1 IS NULL THEN parent_id IS NULL ELSE id = ?1 END)"
	"    AND (?2 OR valid_to IS NULL OR valid_to > ?9)"
	"  UNION ALL"
	"  SELECT u.id, t.depth + 1, t.path || '/' || printf('%012d', u.id)"
	"  FROM units u JOIN tree t ON u.parent_id = t.id"
	"  WHERE ?2 OR u.valid_to IS NULL OR u.valid_to > ?9) "
	"SELECT " UNIT_COLUMNS ", t.depth AS depth "
	"FROM tree t JOIN units u ON u.id = t.id LEFT JOIN units p ON p.id = u.parent_id "
	"ORDER BY t.path";

int db_unit_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err)
{
	return db_resolve(db, SQL_BY_ID, SQL_BY_CODE, field, "unit", r, id, err);
}

/* *yes = unit `anc` is unit `id` or one of its ancestors. */
static int is_ancestor(struct db *db, int64_t anc, int64_t id, bool *yes, struct rpc_error *err)
{
	int64_t n;
	int rc;

	if ((rc = db_one_int64(db, SQL_IS_ANCESTOR, &n, err, "ii", id, anc)) != RPC_OK)
		return rc;
	*yes = n > 0;
	return RPC_OK;
}

/* *yes = unit id is within `reach` of scope unit `scope` (not 0). */
static int reachable(struct db *db, int64_t scope, enum unit_reach reach, int64_t id, bool *yes,
		     struct rpc_error *err)
{
	int rc = is_ancestor(db, scope, id, yes, err);

	if (rc == RPC_OK && !*yes && reach == REACH_LINE)
		rc = is_ancestor(db, id, scope, yes, err);
	return rc;
}

int db_unit_resolve_in(struct db *db, int64_t scope, enum unit_reach reach, const char *field,
		       const struct ref *r, int64_t *id, struct rpc_error *err)
{
	int64_t alt;
	bool ok;
	int rc = db_unit_resolve(db, field, r, id, err);

	if (rc != RPC_OK || scope == 0)
		return rc;
	if ((rc = reachable(db, scope, reach, *id, &ok, err)) != RPC_OK || ok)
		return rc;
	/* A code of digits that names a unit out of reach may still be the id
	 * of one within it, as if the unit out of reach did not exist. */
	if (r->code.s) {
		rc = db_resolve(db, SQL_BY_ID, SQL_NONE, field, "unit", r, &alt, err);
		if (rc == RPC_OK && (rc = reachable(db, scope, reach, alt, &ok, err)) == RPC_OK &&
		    ok) {
			*id = alt;
			return RPC_OK;
		}
		if (rc != RPC_OK && rc != RPC_NOT_FOUND)
			return rc;
	}
	return db_resolve(db, SQL_NONE, SQL_NONE, field, "unit", r, id, err);
}

/* Returns RPC_OK if unit id is open on `date`, else a conflict naming field. */
static int check_open(struct db *db, const char *field, int64_t id, const char *date,
		      struct rpc_error *err)
{
	int64_t closed;
	int rc;

	if ((rc = db_one_int64(db, SQL_IS_CLOSED, &closed, err, "is", id, date)) != RPC_OK)
		return rc;
	if (closed)
		return errors_set(err, RPC_CONFLICT, "%s: that unit was closed on or before %s", field,
				  date);
	return RPC_OK;
}

int db_unit_create(struct db *db, const struct unit_input *in, const char *now, int64_t *id,
		   struct rpc_error *err)
{
	int64_t parent = 0;
	char today[11];
	int rc;

	memcpy(today, now, 10);
	today[10] = '\0';
	if ((rc = db_code_free(db, SQL_BY_CODE, "unit", in->code, err)) != RPC_OK)
		return rc;
	if (REF_GIVEN(in->parent)) {
		if ((rc = db_unit_resolve(db, "parent", &in->parent, &parent, err)) != RPC_OK ||
		    (rc = check_open(db, "parent", parent, today, err)) != RPC_OK)
			return rc;
	}
	if ((rc = db_insert(db, SQL_INSERT, "unit", id, err, "ttrts", in->code, in->level, parent,
			    in->valid_from, now)) != RPC_OK)
		return rc;
	return db_run(db, SQL_INSERT_NAME, "unit name", err, "ist", *id, "0000-00-00", in->name);
}

int db_unit_rename(struct db *db, int64_t id, struct text name, const char *date,
		   struct rpc_error *err)
{
	int64_t later;
	int rc;

	if ((rc = db_one_int64(db, SQL_LATER_NAME, &later, err, "is", id, date)) != RPC_OK)
		return rc;
	if (later)
		return errors_set(err, RPC_CONFLICT,
				  "date: the unit already has a name from %s or later; "
				  "renames go forward in time", date);
	return db_run(db, SQL_INSERT_NAME, "unit name", err, "ist", id, date, name);
}

int db_unit_move(struct db *db, int64_t id, int64_t parent, const char *today,
		 struct rpc_error *err)
{
	int64_t cycle;
	int rc;

	if ((rc = db_one_int64(db, SQL_IS_ANCESTOR, &cycle, err, "ii", parent, id)) != RPC_OK)
		return rc;
	if (cycle)
		return errors_set(err, RPC_CONFLICT,
				  "parent: a unit cannot move under itself or its own subtree");
	if ((rc = check_open(db, "parent", parent, today, err)) != RPC_OK)
		return rc;
	return db_run(db, SQL_MOVE, "unit", err, "ii", id, parent);
}

int db_unit_close(struct db *db, int64_t id, const char *date, int64_t merged_into,
		  struct rpc_error *err)
{
	int64_t n;
	int rc;

	if ((rc = check_open(db, "unit", id, "9999-12-31", err)) != RPC_OK)
		return errors_set(err, RPC_CONFLICT, "unit: already closed");
	if ((rc = db_one_int64(db, SQL_OPEN_CHILDREN, &n, err, "is", id, date)) != RPC_OK)
		return rc;
	if (n)
		return errors_set(err, RPC_CONFLICT,
				  "unit: %lld unit%s under it %s still open on %s; "
				  "close or move %s first", (long long)n, n == 1 ? "" : "s",
				  n == 1 ? "is" : "are", date, n == 1 ? "it" : "them");
	if (merged_into) {
		if (merged_into == id)
			return errors_set(err, RPC_CONFLICT, "merged_into: a unit cannot merge into itself");
		if ((rc = check_open(db, "merged_into", merged_into, date, err)) != RPC_OK)
			return rc;
	}
	return db_run(db, SQL_CLOSE, "unit", err, "isr", id, date, merged_into);
}

int db_unit_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err)
{
	int64_t children, cadres, tasks;
	int rc;

	if (detail) {
		rc = db_one_int64(db, SQL_COUNT_CHILDREN, &children, err, "i", id);
		if (rc == RPC_OK)
			rc = db_one_int64(db, SQL_COUNT_CADRES, &cadres, err, "i", id);
		if (rc == RPC_OK)
			rc = db_one_int64(db, SQL_COUNT_TASKS, &tasks, err, "i", id);
		if (rc != RPC_OK)
			return rc;
	}
	if ((rc = db_pack_by_id(db, SQL_GET, "unit", id, as_of, unit_bools, detail ? 4 : 0, pk,
				err)) != RPC_OK)
		return rc;
	if (!detail)
		return RPC_OK;
	pack_str(pk, "names");
	if ((rc = db_pack_rows_by_id(db, SQL_NAMES, id, NULL, pk, err)) != RPC_OK)
		return rc;
	pack_kv_int(pk, "children", children);
	pack_kv_int(pk, "cadres", cadres);
	pack_kv_int(pk, "tasks", tasks);
	return RPC_OK;
}

int db_unit_list(struct db *db, int64_t root, bool include_closed, const char *as_of,
		 msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_TREE, err, "rd9s", root, include_closed, as_of);

	if (!st)
		return err->code;
	return db_pack_list(db, st, unit_bools, 0, pk, err);
}
