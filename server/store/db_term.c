/*
 * db_term.c: storage for terms: the years and the multi-year terms
 * (nhiệm kỳ) that tasks belong to.  A term's dates never change once
 * created, so a task's due date checked against them stays valid.
 */
#include "db_internal.h"

#include "db_term.h"
#include "pack.h"

/* The term object of PROTOCOL.md. */
#define TERM_COLUMNS \
	"id AS id, code AS code, name AS name, kind AS kind, " \
	"start_date AS \"start\", end_date AS \"end\""

static const char SQL_BY_ID[] = "SELECT id FROM terms WHERE id = ?1";
static const char SQL_BY_CODE[] = "SELECT id FROM terms WHERE code = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO terms (code, name, kind, start_date, end_date) "
	"VALUES (?1, coalesce(?2, ?1), ?3, ?4, ?5)";
static const char SQL_GET[] = "SELECT " TERM_COLUMNS " FROM terms WHERE id = ?1";
static const char SQL_LIST[] = "SELECT " TERM_COLUMNS " FROM terms ORDER BY start_date, id";

int db_term_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err)
{
	return db_resolve(db, SQL_BY_ID, SQL_BY_CODE, field, "term", r, id, err);
}

int db_term_create(struct db *db, const struct term_input *in, int64_t *id,
		   struct rpc_error *err)
{
	int rc;

	if ((rc = db_code_free(db, SQL_BY_CODE, "term", in->code, err)) != RPC_OK)
		return rc;
	return db_insert(db, SQL_INSERT, "term", id, err, "ttsss", in->code, in->name, in->kind,
			 in->start, in->end);
}

int db_term_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "term", id, NULL, NULL, 0, pk, err);
}

int db_term_list(struct db *db, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LIST, err);

	if (!st)
		return err->code;
	return db_pack_list(db, st, NULL, 0, pk, err);
}
