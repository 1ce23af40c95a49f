/*
 * db_cadre.c: storage for cadres and their postings.  The cadres row holds
 * the current post (unit, title, since); cadre_postings holds every post,
 * the current one with valid_to NULL, so "who was where" in any period can
 * be answered after transfers.  Invariant: exactly one posting per cadre has
 * valid_to NULL, and its unit, title and valid_from equal the cadres row's.
 */
#include "db_internal.h"

#include <stdio.h>
#include <string.h>

#include "date.h"
#include "db_cadre.h"
#include "pack.h"

/* The cadre object of PROTOCOL.md; ?9 is the date for unit names. */
#define CADRE_COLUMNS \
	"c.id AS id, c.code AS code, c.full_name AS full_name, c.title AS title, " \
	"c.unit_id AS unit_id, u.code AS unit_code, " \
	SQL_UNIT_NAME("c.unit_id", "?9") " AS unit_name, " \
	"c.managing_unit_id AS managing_unit_id, m.code AS managing_unit_code, " \
	SQL_UNIT_NAME("c.managing_unit_id", "?9") " AS managing_unit_name, " \
	"c.since AS since"

#define CADRE_FROM \
	" FROM cadres c JOIN units u ON u.id = c.unit_id JOIN units m ON m.id = c.managing_unit_id"

/* cadre.list's filters; ?1 unit (subtree `sub`), ?2 managed_by, ?5 the
 * caller's scope (subtree `scope_sub`); NULL means any. */
#define CADRE_CTES "WITH RECURSIVE " SQL_SUBTREE("?1") ", " SQL_SUBTREE_AS("scope_sub", "?5") " "

#define CADRE_WHERE \
	" WHERE (?1 IS NULL OR c.unit_id IN (SELECT id FROM sub))" \
	" AND (?2 IS NULL OR c.managing_unit_id = ?2)" \
	" AND (?5 IS NULL OR c.unit_id IN (SELECT id FROM scope_sub))"

static const char SQL_BY_ID[] = "SELECT id FROM cadres WHERE id = ?1";
static const char SQL_BY_CODE[] = "SELECT id FROM cadres WHERE code = ?1";
/* Matches nothing: given to db_resolve() for a cadre the caller may not
 * see, so its not_found is worded exactly as for one that does not exist. */
static const char SQL_NONE[] = "SELECT id FROM cadres WHERE id = ?1 AND 0";
/* 1 if cadre ?1 is posted now in the subtree of unit ?2: walks up from its unit. */
static const char SQL_VISIBLE[] =
	"WITH RECURSIVE " SQL_ANCESTORS("unit_id FROM cadres WHERE id = ?1") " "
	"SELECT count(*) FROM anc WHERE id = ?2";
static const char SQL_UNIT_CLOSED[] =
	"SELECT valid_to FROM units WHERE id = ?1 AND valid_to IS NOT NULL AND valid_to <= ?2";
static const char SQL_INSERT[] =
	"INSERT INTO cadres (code, full_name, title, unit_id, managing_unit_id, since, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7)";
static const char SQL_INSERT_POSTING[] =
	"INSERT INTO cadre_postings (cadre_id, unit_id, title, valid_from) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_UPDATE[] =
	"UPDATE cadres SET full_name = coalesce(?2, full_name), title = coalesce(?3, title), "
	"managing_unit_id = coalesce(?4, managing_unit_id), updated_at = ?5 WHERE id = ?1";
static const char SQL_RETITLE_POSTING[] =
	"UPDATE cadre_postings SET title = ?2 WHERE cadre_id = ?1 AND valid_to IS NULL";
static const char SQL_CURRENT_START[] =
	"SELECT valid_from FROM cadre_postings WHERE cadre_id = ?1 AND valid_to IS NULL";
static const char SQL_END_POSTING[] =
	"UPDATE cadre_postings SET valid_to = ?2 WHERE cadre_id = ?1 AND valid_to IS NULL";
/* The new post; the title defaults to the current one (?3 NULL). */
static const char SQL_NEW_POSTING[] =
	"INSERT INTO cadre_postings (cadre_id, unit_id, title, valid_from) "
	"SELECT id, ?2, coalesce(?3, title), ?4 FROM cadres WHERE id = ?1";
static const char SQL_MOVE[] =
	"UPDATE cadres SET unit_id = ?2, title = coalesce(?3, title), since = ?4, updated_at = ?5 "
	"WHERE id = ?1";
static const char SQL_GET[] = "SELECT " CADRE_COLUMNS CADRE_FROM " WHERE c.id = ?1";
static const char SQL_POSTINGS[] =
	"SELECT p.unit_id AS unit_id, u.code AS unit_code, "
	SQL_UNIT_NAME("p.unit_id", "min(p.valid_from, ?9)") " AS unit_name, "
	"p.title AS title, p.valid_from AS valid_from, p.valid_to AS valid_to "
	"FROM cadre_postings p JOIN units u ON u.id = p.unit_id "
	"WHERE p.cadre_id = ?1 ORDER BY p.valid_from, p.id";
/* The tasks cadre ?1 owns, those of the subtree of ?2 only unless ?2 is NULL. */
static const char SQL_COUNT_TASKS[] =
	"WITH RECURSIVE " SQL_SUBTREE_AS("scope_sub", "?2") " "
	"SELECT count(*) FROM tasks WHERE owner_id = ?1 "
	"AND (?2 IS NULL OR unit_id IN (SELECT id FROM scope_sub))";
static const char SQL_LIST[] =
	CADRE_CTES "SELECT " CADRE_COLUMNS CADRE_FROM CADRE_WHERE
	" AND c.id > ?3 ORDER BY c.id LIMIT ?4";
static const char SQL_LIST_COUNT[] = CADRE_CTES "SELECT count(*) FROM cadres c" CADRE_WHERE;

int db_cadre_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		     struct rpc_error *err)
{
	return db_resolve(db, SQL_BY_ID, SQL_BY_CODE, field, "cadre", r, id, err);
}

/* *yes = cadre id is posted now in the subtree of unit `scope` (not 0). */
static int visible(struct db *db, int64_t scope, int64_t id, bool *yes, struct rpc_error *err)
{
	int64_t n;
	int rc;

	if ((rc = db_one_int64(db, SQL_VISIBLE, &n, err, "ii", id, scope)) != RPC_OK)
		return rc;
	*yes = n > 0;
	return RPC_OK;
}

int db_cadre_resolve_in(struct db *db, int64_t scope, const char *field, const struct ref *r,
			int64_t *id, struct rpc_error *err)
{
	int64_t alt;
	bool ok;
	int rc = db_cadre_resolve(db, field, r, id, err);

	if (rc != RPC_OK || scope == 0)
		return rc;
	if ((rc = visible(db, scope, *id, &ok, err)) != RPC_OK || ok)
		return rc;
	/* A code of digits that names a cadre out of scope may still be the id
	 * of one in it, as if the cadre out of scope did not exist. */
	if (r->code.s) {
		rc = db_resolve(db, SQL_BY_ID, SQL_NONE, field, "cadre", r, &alt, err);
		if (rc == RPC_OK && (rc = visible(db, scope, alt, &ok, err)) == RPC_OK && ok) {
			*id = alt;
			return RPC_OK;
		}
		if (rc != RPC_OK && rc != RPC_NOT_FOUND)
			return rc;
	}
	return db_resolve(db, SQL_NONE, SQL_NONE, field, "cadre", r, id, err);
}

/* RPC_OK if unit `id` is open on `date`, else a conflict naming `field`. */
static int check_open(struct db *db, const char *field, int64_t id, const char *date,
		      struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_UNIT_CLOSED, err, "is", id, date);
	char closed[DATE_LEN];
	int rc;

	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *v = (const char *)sqlite3_column_text(st, 0);

		snprintf(closed, sizeof(closed), "%s", v ? v : "?");
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return errors_set(err, RPC_CONFLICT, "%s: that unit was closed on %s", field,
				  closed);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, field, err);
	return RPC_OK;
}

int db_cadre_create(struct db *db, const struct cadre_input *in, const char *now, int64_t *id,
		    struct rpc_error *err)
{
	int rc;

	if ((rc = db_code_free(db, SQL_BY_CODE, "cadre", in->code, err)) != RPC_OK)
		return rc;
	if ((rc = check_open(db, "unit", in->unit_id, in->since, err)) != RPC_OK)
		return rc;
	if ((rc = db_insert(db, SQL_INSERT, "cadre", id, err, "tttiiss", in->code, in->full_name,
			    in->title, in->unit_id, in->managing_unit_id, in->since, now)) != RPC_OK)
		return rc;
	return db_run(db, SQL_INSERT_POSTING, "cadre posting", err, "iits", *id, in->unit_id,
		      in->title, in->since);
}

int db_cadre_update(struct db *db, int64_t id, const struct cadre_change *ch, const char *now,
		    struct rpc_error *err)
{
	int rc = db_run(db, SQL_UPDATE, "cadre", err, "ittrs", id, ch->full_name, ch->title,
			ch->managing_unit_id, now);

	if (rc != RPC_OK)
		return rc;
	if (sqlite3_changes(db->conn) == 0)
		return errors_set(err, RPC_NOT_FOUND, "cadre: no cadre with id %lld",
				  (long long)id);
	if (!ch->title.s)
		return RPC_OK;

	/* A correction of the title is a correction of the current post's. */
	return db_run(db, SQL_RETITLE_POSTING, "cadre posting", err, "it", id, ch->title);
}

/* Copies the start of cadre id's current post into start.  not_found if the
 * cadre has none, which only an unknown id can cause. */
static int current_start(struct db *db, int64_t id, char start[DATE_LEN], struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_CURRENT_START, err, "i", id);
	const char *v = NULL;
	int rc;

	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && (v = (const char *)sqlite3_column_text(st, 0)) != NULL)
		snprintf(start, DATE_LEN, "%s", v);
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return errors_set(err, RPC_NOT_FOUND, "cadre: no cadre with id %lld",
				  (long long)id);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "cadre posting", err);
	if (!v)
		return db_fail(db, SQLITE_NOMEM, "cadre posting", err);
	return RPC_OK;
}

int db_cadre_transfer(struct db *db, int64_t id, int64_t unit, struct text title,
		      const char *date, const char *now, struct rpc_error *err)
{
	char start[DATE_LEN], day_before[DATE_LEN];
	int rc;

	if ((rc = current_start(db, id, start, err)) != RPC_OK)
		return rc;
	if (strcmp(date, start) <= 0)
		return errors_set(err, RPC_CONFLICT,
				  "date: must be after the start of the current post, %s", start);
	if ((rc = check_open(db, "unit", unit, date, err)) != RPC_OK)
		return rc;
	date_from_days(date_days(date) - 1, day_before);

	rc = db_run(db, SQL_END_POSTING, "cadre posting", err, "is", id, day_before);
	if (rc == RPC_OK)
		rc = db_run(db, SQL_NEW_POSTING, "cadre posting", err, "iits", id, unit, title, date);
	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_MOVE, "cadre", err, "iitss", id, unit, title, date, now);
}

/* The number of tasks cadre id owns now, of the subtree of `scope` only
 * unless it is 0. */
static int count_tasks(struct db *db, int64_t scope, int64_t id, int64_t *n,
		       struct rpc_error *err)
{
	return db_one_int64(db, SQL_COUNT_TASKS, n, err, "ir", id, scope);
}

int db_cadre_pack(struct db *db, int64_t id, const char *today, bool detail, msgpack_packer *pk,
		  struct rpc_error *err)
{
	return db_cadre_pack_in(db, 0, id, today, detail, pk, err);
}

int db_cadre_pack_in(struct db *db, int64_t scope, int64_t id, const char *today, bool detail,
		     msgpack_packer *pk, struct rpc_error *err)
{
	int64_t tasks = 0;
	int rc;

	if (detail && (rc = count_tasks(db, scope, id, &tasks, err)) != RPC_OK)
		return rc;
	if ((rc = db_pack_by_id(db, SQL_GET, "cadre", id, today, NULL, detail ? 2 : 0, pk, err)) !=
	    RPC_OK)
		return rc;
	if (!detail)
		return RPC_OK;

	/* The map header promised two more pairs; on a failure below the
	 * caller discards the packed bytes with the error reply. */
	pack_str(pk, "postings");
	if ((rc = db_pack_rows_by_id(db, SQL_POSTINGS, id, today, pk, err)) != RPC_OK)
		return rc;
	pack_kv_int(pk, "tasks", tasks);
	return RPC_OK;
}

int db_cadre_list(struct db *db, const struct cadre_filter *f, const struct page *pg,
		  const char *today, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t total;
	int rc;

	/* cadre.list's filters: ?1 unit, ?2 managed_by, ?5 scope. */
	if ((rc = db_one_int64(db, SQL_LIST_COUNT, &total, err, "rr5r", f->unit, f->managed_by,
			       f->scope)) != RPC_OK)
		return rc;
	if (!(st = db_prep(db, SQL_LIST, err, "rriir9s", f->unit, f->managed_by, pg->after,
			   pg->limit + 1, f->scope, today)))
		return err->code;
	msgpack_pack_map(pk, 3);
	if ((rc = db_pack_page(db, st, pg->limit, pk, NULL, err)) != RPC_OK)
		return rc;
	pack_kv_int(pk, "total", total);
	return RPC_OK;
}
