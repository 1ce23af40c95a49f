/*
 * db_pack.c: rows into MessagePack: a row as a map (column names as keys),
 * a nested map, an array or a page of rows, a list with its total.  The
 * shapes PROTOCOL.md documents are built from these.
 */
#include "db_internal.h"

#include <string.h>

#include "pack.h"

static bool is_bool(const char *name, const char *const *bools)
{
	for (; bools && *bools; bools++)
		if (strcmp(name, *bools) == 0)
			return true;
	return false;
}

/* Packs column i of the row st stands on as a key and its value. */
static void pack_column(sqlite3_stmt *st, int i, msgpack_packer *pk, const char *const *bools)
{
	const char *name = sqlite3_column_name(st, i);

	pack_str(pk, name);
	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		if (is_bool(name, bools)) {
			if (sqlite3_column_int64(st, i))
				msgpack_pack_true(pk);
			else
				msgpack_pack_false(pk);
		} else {
			msgpack_pack_int64(pk, sqlite3_column_int64(st, i));
		}
		break;
	case SQLITE_FLOAT:
		msgpack_pack_double(pk, sqlite3_column_double(st, i));
		break;
	case SQLITE_TEXT:
		pack_strn(pk, (const char *)sqlite3_column_text(st, i),
			  (size_t)sqlite3_column_bytes(st, i));
		break;
	case SQLITE_BLOB:
		msgpack_pack_bin(pk, (size_t)sqlite3_column_bytes(st, i));
		msgpack_pack_bin_body(pk, sqlite3_column_blob(st, i),
				      (size_t)sqlite3_column_bytes(st, i));
		break;
	default:
		msgpack_pack_nil(pk);
	}
}

void db_pack_row_open(sqlite3_stmt *st, msgpack_packer *pk, const char *const *bools, int extra)
{
	int n = sqlite3_column_count(st);

	msgpack_pack_map(pk, (size_t)(n + extra));
	for (int i = 0; i < n; i++)
		pack_column(st, i, pk, bools);
}

void db_pack_nested_row(sqlite3_stmt *st, msgpack_packer *pk, const void *arg)
{
	const struct db_nest *nest = arg;
	int n = sqlite3_column_count(st);

	msgpack_pack_map(pk, (size_t)nest->split + 1);
	for (int i = 0; i < nest->split; i++)
		pack_column(st, i, pk, nest->bools);
	pack_str(pk, nest->key);
	if (sqlite3_column_type(st, nest->split) == SQLITE_NULL) {
		msgpack_pack_nil(pk);
		return;
	}
	msgpack_pack_map(pk, (size_t)(n - nest->split));
	for (int i = nest->split; i < n; i++)
		pack_column(st, i, pk, nest->bools);
}

void db_pack_row(sqlite3_stmt *st, msgpack_packer *pk, const char *const *bools)
{
	db_pack_row_open(st, pk, bools, 0);
}

int db_pack_row_or_nil(struct db *db, sqlite3_stmt *st, msgpack_packer *pk, const char *what,
		       struct rpc_error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		db_pack_row(st, pk, NULL);
	else if (rc == SQLITE_DONE)
		msgpack_pack_nil(pk);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, what, err);
	return RPC_OK;
}

int db_pack_list(struct db *db, sqlite3_stmt *st, const char *const *bools, int extra,
		 msgpack_packer *pk, struct rpc_error *err)
{
	int64_t n;

	msgpack_pack_map(pk, (size_t)(2 + extra));
	pack_str(pk, "items");
	if ((n = db_pack_rows(db, st, pk, bools, err)) < 0)
		return err->code;
	pack_kv_int(pk, "total", n);
	return RPC_OK;
}

int db_pack_one(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
		const char *const *bools, int extra, msgpack_packer *pk, struct rpc_error *err)
{
	int rc = db_row(db, st, noun, id, err);

	if (rc != RPC_OK)
		return rc;
	db_pack_row_open(st, pk, bools, extra);
	sqlite3_reset(st);
	return RPC_OK;
}

/* Adapts db_pack_row to the row-packer shape; arg is the bools list. */
static void pack_plain_row(sqlite3_stmt *st, msgpack_packer *pk, const void *arg)
{
	db_pack_row(st, pk, arg);
}

int64_t db_pack_array(struct db *db, sqlite3_stmt *st, int64_t limit, msgpack_packer *pk,
		      db_row_packer row, const void *arg, bool *more, int64_t *last_id,
		      struct rpc_error *err)
{
	msgpack_sbuffer sb;
	msgpack_packer rows;
	int64_t n = 0;
	int rc;

	/* Rows go to a scratch buffer first: the array's count is known only
	 * at the end. */
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&rows, &sb, msgpack_sbuffer_write);
	*more = false;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (limit >= 0 && n == limit) {
			*more = true;
			break;
		}
		*last_id = sqlite3_column_int64(st, 0);
		row(st, &rows, arg);
		n++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		msgpack_sbuffer_destroy(&sb);
		db_fail(db, rc, "listing", err);
		return -1;
	}
	msgpack_pack_array(pk, (size_t)n);
	if (sb.size)
		msgpack_sbuffer_write(pk->data, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return n;
}

int64_t db_pack_rows(struct db *db, sqlite3_stmt *st, msgpack_packer *pk,
		     const char *const *bools, struct rpc_error *err)
{
	bool more;
	int64_t last = 0;

	return db_pack_array(db, st, -1, pk, pack_plain_row, bools, &more, &last, err);
}

int db_pack_page(struct db *db, sqlite3_stmt *st, int64_t limit, msgpack_packer *pk,
		 const char *const *bools, struct rpc_error *err)
{
	return db_pack_page_with(db, st, limit, pk, pack_plain_row, bools, err);
}

int db_pack_page_with(struct db *db, sqlite3_stmt *st, int64_t limit, msgpack_packer *pk,
		      db_row_packer row, const void *arg, struct rpc_error *err)
{
	bool more;
	int64_t last = 0;

	pack_str(pk, "items");
	if (db_pack_array(db, st, limit, pk, row, arg, &more, &last, err) < 0)
		return err->code;
	pack_str(pk, "next");
	if (more)
		msgpack_pack_int64(pk, last);
	else
		msgpack_pack_nil(pk);
	return RPC_OK;
}
