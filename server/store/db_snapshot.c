/*
 * db_snapshot.c: the storage of report snapshots (PROTOCOL.md 6i,
 * migration 11): a report's result bytes kept under a name, with the
 * parameters it was taken with.  A snapshot belongs to the scope of the
 * account that took it (scope_key: the scope unit, 0 for the whole tree);
 * its name is unique there, and it is seen only by callers whose scope
 * holds that scope unit.
 */
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"

#include "db_snapshot.h"
#include "pack.h"
#include "utf8.h"

static const char SQL_INSERT[] =
	"INSERT INTO report_snapshots (name, scope_key, scope_unit_id, term_id, unit_id, as_of,"
	" result, created_by, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_BY_NAME[] =
	"SELECT id FROM report_snapshots WHERE scope_key = ?1 AND name = ?2";

#define SNAPSHOT_COLUMNS \
	"s.id AS id, s.name AS name, s.scope_unit_id AS scope_unit_id," \
	" (SELECT code FROM units WHERE id = s.scope_unit_id) AS scope_code," \
	" s.term_id AS term_id, tm.code AS term_code, s.unit_id AS unit_id," \
	" (SELECT code FROM units WHERE id = s.unit_id) AS unit_code, s.as_of AS as_of," \
	" length(s.result) AS size, (SELECT login FROM accounts WHERE id = s.created_by) AS created_by," \
	" s.created_at AS created_at" \
	" FROM report_snapshots s JOIN terms tm ON tm.id = s.term_id"

/* Snapshots seen from the scope ?13 (NULL: all of them). */
#define SNAPSHOT_VISIBLE \
	" (?13 IS NULL OR s.scope_unit_id IN (SELECT id FROM scope_sub))"

static const char SQL_GET[] = "SELECT " SNAPSHOT_COLUMNS " WHERE s.id = ?1";
static const char SQL_LIST[] =
	"WITH RECURSIVE " SQL_SUBTREE_AS("scope_sub", "?13") " SELECT " SNAPSHOT_COLUMNS
	" WHERE" SNAPSHOT_VISIBLE " ORDER BY s.id";
static const char SQL_VISIBLE[] =
	"WITH RECURSIVE " SQL_SUBTREE_AS("scope_sub", "?13") " SELECT count(*)"
	" FROM report_snapshots s WHERE s.id = ?1 AND" SNAPSHOT_VISIBLE;
static const char SQL_RESULT[] = "SELECT result FROM report_snapshots WHERE id = ?1";

int db_snapshot_create(struct db *db, const struct snapshot_new *s, int64_t *id,
		       struct rpc_error *err)
{
	const struct report_filter *f = s->filter;
	int64_t taken = 0;
	char echo[96]; /* the name, escaped, in a message */
	int rc;

	if ((rc = db_one_int64(db, SQL_BY_NAME, &taken, err, "it", f->scope, s->name)) != RPC_OK)
		return rc;
	if (taken)
		return errors_set(err, RPC_CONFLICT,
				  "name: a snapshot named '%s' already exists (id %lld)",
				  utf8_escaped(s->name.s, s->name.n, echo, sizeof(echo)),
				  (long long)taken);
	return db_insert(db, SQL_INSERT, "snapshot", id, err, "tirirsbis", s->name, f->scope,
			 f->scope, f->term, f->unit, f->as_of, s->result, (int)s->len, s->by, s->now);
}

int db_snapshot_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "snapshot", id, NULL, NULL, 0, pk, err);
}

int db_snapshot_list(struct db *db, int64_t scope, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_LIST, err, "13r", scope);

	if (!st)
		return err->code;
	return db_pack_list(db, st, NULL, 0, pk, err);
}

int db_snapshot_resolve(struct db *db, int64_t scope, const char *field, const struct ref *r,
			int64_t *id, struct rpc_error *err)
{
	int64_t n = 0;
	char echo[96]; /* the name sent, escaped, in a message */
	int rc;

	*id = r->id;
	if (r->code.s) {
		if ((rc = db_one_int64(db, SQL_BY_NAME, id, err, "it", scope, r->code)) != RPC_OK)
			return rc;
		if (!*id)
			return errors_set(err, RPC_NOT_FOUND, "%s: no snapshot named '%s'", field,
					  utf8_escaped(r->code.s, r->code.n, echo, sizeof(echo)));
		return RPC_OK;
	}
	if ((rc = db_one_int64(db, SQL_VISIBLE, &n, err, "i13r", r->id, scope)) != RPC_OK)
		return rc;
	if (!n)
		return errors_set(err, RPC_NOT_FOUND, "%s: no snapshot with id %lld", field,
				  (long long)r->id);
	return RPC_OK;
}

int db_snapshot_result(struct db *db, int64_t id, char **data, size_t *len,
		       struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*data = NULL;
	*len = 0;
	if (!(st = db_prep(db, SQL_RESULT, err, "i", id)))
		return err->code;
	if ((rc = db_row(db, st, "snapshot", id, err)) != RPC_OK)
		return rc;
	*len = (size_t)sqlite3_column_bytes(st, 0);
	if (!(*data = malloc(*len ? *len : 1))) {
		sqlite3_reset(st);
		return errors_set(err, RPC_INTERNAL, "snapshot: out of memory");
	}
	if (*len) /* a zero-length blob is NULL */
		memcpy(*data, sqlite3_column_blob(st, 0), *len);
	sqlite3_reset(st);
	return RPC_OK;
}
