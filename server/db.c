/*
 * db.c: the SQLite connection: opening and migrating, transactions, the
 * statement cache, error mapping, and the generic row packers the entity
 * files (db_unit.c, db_cadre.c, ...) build on.
 */
#include "db_health.h"
#include "db_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_schema.h"
#include "db_search.h"
#include "pack.h"
#include "utf8.h"

#define DB_BUSY_TIMEOUT_MS 2000

int db_schema_version(void)
{
	return db_schema_count();
}

static int exec_sql(sqlite3 *conn, const char *sql, char *errbuf, size_t errlen)
{
	char *msg = NULL;
	int rc = sqlite3_exec(conn, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "%s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int pragma_int(sqlite3 *conn, const char *sql, int *out)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(conn, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		return rc;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*out = sqlite3_column_int(st, 0);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

int db_file_version(struct db *db)
{
	int v = -1;

	pragma_int(db->conn, "PRAGMA user_version", &v);
	return v;
}

int db_file_peek_version(const char *path, int *to)
{
	sqlite3 *conn = NULL;
	int v = -1;

	*to = db_schema_count();
	if (sqlite3_open_v2(path, &conn, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    pragma_int(conn, "PRAGMA user_version", &v) != SQLITE_OK)
		v = -1;
	sqlite3_close(conn);
	return v;
}

/* Applies migrations after `from`, each in its own transaction with the
 * version bump, so a crash leaves the file at a whole version. */
static int migrate(sqlite3 *conn, int from, char *errbuf, size_t errlen)
{
	for (int v = from + 1; v <= db_schema_count(); v++) {
		char bump[64];

		snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", v);
		if (exec_sql(conn, "BEGIN IMMEDIATE", errbuf, errlen) < 0)
			return -1;
		if (exec_sql(conn, db_schema_migration(v), errbuf, errlen) < 0 ||
		    exec_sql(conn, bump, errbuf, errlen) < 0) {
			char ignored[16];

			exec_sql(conn, "ROLLBACK", ignored, sizeof(ignored));
			return -1;
		}
		if (exec_sql(conn, "COMMIT", errbuf, errlen) < 0)
			return -1;
	}
	return 0;
}

/* A struct db (owned by the caller: db_close) on a new connection to path
 * opened with flags, or NULL with a sentence in errbuf; `how` ends the
 * sentence's "cannot open PATH" ("" or " for reading"). */
static struct db *connect_to(const char *path, int flags, const char *how, char *errbuf,
			     size_t errlen)
{
	struct db *db = calloc(1, sizeof(*db));
	int rc;

	if (!db) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	rc = sqlite3_open_v2(path, &db->conn, flags, NULL);
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot open %s%s: %s", path, how,
			 db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc));
		db_close(db);
		return NULL;
	}
	sqlite3_extended_result_codes(db->conn, 1);
	sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);
	return db;
}

int db_open(struct db **out, const char *path, char *errbuf, size_t errlen)
{
	struct db *db;
	int version = 0;
	char why[200];

	*out = NULL;
	if (!(db = connect_to(path, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, "", errbuf,
			      errlen)))
		return -1;
	if (db_health_functions(db->conn) != SQLITE_OK ||
	    db_search_functions(db->conn) != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot set up %s: %s", path, sqlite3_errmsg(db->conn));
		goto fail;
	}
	/* WAL with synchronous=FULL: a COMMIT returns only after the WAL is
	 * fsync'ed, so an acknowledged write survives a power cut.  A long
	 * read (a national report: seconds) pins its snapshot, so no
	 * checkpoint can finish meanwhile and a stream of writes grows the WAL
	 * file (1.2 GB measured under one); journal_size_limit gives the space
	 * back, to 64 MiB, once the WAL starts over. */
	if (exec_sql(db->conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			       "PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;",
		     why, sizeof(why)) < 0) {
		snprintf(errbuf, errlen, "cannot set up %s: %s", path, why);
		goto fail;
	}
	if (pragma_int(db->conn, "PRAGMA user_version", &version) != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot read %s: %s (is it a dotpha database?)", path,
			 sqlite3_errmsg(db->conn));
		goto fail;
	}
	if (version > db_schema_count()) {
		snprintf(errbuf, errlen,
			 "%s has schema version %d, newer than this dotphad understands (%d); "
			 "run a newer dotphad, or restore a backup made by this version",
			 path, version, db_schema_count());
		goto fail;
	}
	if (migrate(db->conn, version, why, sizeof(why)) < 0) {
		snprintf(errbuf, errlen, "cannot migrate %s from version %d: %s", path, version, why);
		goto fail;
	}
	*out = db;
	return 0;
fail:
	db_close(db);
	return -1;
}

int db_open_reader(struct db **out, const char *path, char *errbuf, size_t errlen)
{
	struct db *db;

	*out = NULL;
	if (!(db = connect_to(path, SQLITE_OPEN_READONLY, " for reading", errbuf, errlen)))
		return -1;
	if (db_health_functions(db->conn) != SQLITE_OK ||
	    db_search_functions(db->conn) != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot open %s for reading: %s", path,
			 sqlite3_errmsg(db->conn));
		db_close(db);
		return -1;
	}
	*out = db;
	return 0;
}

/* Finalizes every cached statement and frees the cache: db holds no
 * prepared statement of db_stmt's afterwards, as on a new connection. */
static void cache_clear(struct db *db)
{
	for (size_t i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].stmt);
	free(db->cache);
	free(db->slots);
	db->cache = NULL;
	db->slots = NULL;
	db->ncache = db->cache_cap = db->nslots = 0;
}

bool db_failed(const struct db *db)
{
	return db->failed;
}

int db_recover_check(const char *path, struct db **fresh, char *errbuf, size_t errlen)
{
	int check = 0;
	sqlite3_stmt *st;

	*fresh = NULL;
	if (db_open(fresh, path, errbuf, errlen) < 0)
		return -1;
	if (sqlite3_prepare_v2((*fresh)->conn, "PRAGMA quick_check", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			check = strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0;
		sqlite3_finalize(st);
	}
	if (!check) {
		snprintf(errbuf, errlen, "%s fails its quick check; restore a backup", path);
		db_close(*fresh);
		*fresh = NULL;
		return -1;
	}
	return 0;
}

void db_recover_adopt(struct db *db, struct db *fresh)
{
	/* The fresh connection takes the old one's place; the struct stays.
	 * Each cache holds statements of its own connection: both are
	 * emptied before the connection changes hands. */
	cache_clear(db);
	cache_clear(fresh);
	sqlite3_close(db->conn);
	db->conn = fresh->conn;
	db_wal_watch(db, db->wal_fn, db->wal_arg);
	db->failed = false;
	db->in_txn = false;
	fresh->conn = NULL;
	db_close(fresh);
}

int db_recover(struct db *db, char *errbuf, size_t errlen)
{
	struct db *fresh;
	char path[4096];

	if (!db->failed)
		return 0;
	snprintf(path, sizeof(path), "%s", db_path(db));
	if (db_recover_check(path, &fresh, errbuf, errlen) < 0)
		return -1;
	db_recover_adopt(db, fresh);
	return 0;
}

static int on_wal_commit(void *arg, sqlite3 *conn, const char *name, int pages)
{
	struct db *db = arg;

	if (db->wal_fn(db->wal_arg, pages))
		sqlite3_wal_checkpoint_v2(conn, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	return SQLITE_OK; /* a failed checkpoint leaves the WAL longer, nothing lost */
}

void db_wal_watch(struct db *db, bool (*fn)(void *arg, int pages), void *arg)
{
	db->wal_fn = fn;
	db->wal_arg = arg;
	/* Replaces wal_autocheckpoint, which is a WAL hook too. */
	sqlite3_wal_hook(db->conn, fn ? on_wal_commit : NULL, fn ? db : NULL);
}

int db_checkpoint(struct db **ckpt, const char *path, int *left, char *errbuf, size_t errlen)
{
	int rc, frames = 0, copied = 0;

	if (!*ckpt && !(*ckpt = connect_to(path, SQLITE_OPEN_READWRITE, "", errbuf, errlen)))
		return -1;
	rc = sqlite3_wal_checkpoint_v2((*ckpt)->conn, "main", SQLITE_CHECKPOINT_PASSIVE, &frames,
				       &copied);
	*left = frames - copied;
	if (rc != SQLITE_OK && rc != SQLITE_BUSY) {
		int sys = sqlite3_system_errno((*ckpt)->conn);

		snprintf(errbuf, errlen, "%s%s%s%s", sqlite3_errmsg((*ckpt)->conn), sys ? " (" : "",
			 sys ? strerror(sys) : "", sys ? ")" : "");
		return -1;
	}
	return 0;
}

int db_wal_truncate(struct db *db, char *errbuf, size_t errlen)
{
	int frames = -1, copied = -1, rc;

	/* On the loop: a reader's snapshot answers BUSY at once instead of
	 * holding every client for the busy timeout. */
	sqlite3_busy_timeout(db->conn, 0);
	rc = sqlite3_wal_checkpoint_v2(db->conn, "main", SQLITE_CHECKPOINT_TRUNCATE, &frames,
				       &copied);
	sqlite3_busy_timeout(db->conn, DB_BUSY_TIMEOUT_MS);
	if (rc == SQLITE_BUSY || (rc == SQLITE_OK && frames != 0))
		return 1;
	if (rc != SQLITE_OK) {
		snprintf(errbuf, errlen, "%s", sqlite3_errmsg(db->conn));
		return -1;
	}
	return 0;
}

void db_close(struct db *db)
{
	if (!db)
		return;
	cache_clear(db);
	sqlite3_close(db->conn);
	free(db);
}

/* The one table from SQLite result codes to protocol errors.  sys is the
 * errno of the failed call when the caller caught it (db_exec_stmt), or 0:
 * SQLite's own sqlite3_system_errno() is not set on a failed COMMIT. */
static int db_fail_sys(struct db *db, int rc, int sys, const char *what, struct rpc_error *err)
{
	const char *detail = db && db->conn ? sqlite3_errmsg(db->conn) : sqlite3_errstr(rc);

	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return errors_set(err, RPC_BUSY, "%s: the database is busy; try again shortly", what);
	case SQLITE_FULL:
		return errors_set(err, RPC_STORAGE_FULL, "%s: the server's disk is full; nothing was saved",
				  what);
	case SQLITE_READONLY:
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_PERM:
		/* The system's reason ("Read-only file system") tells the admin
		 * what to fix; SQLite's own text ("disk I/O error") does not. */
		if (sys)
			return errors_set(err, RPC_UNAVAILABLE,
					  "%s: the server cannot write its database (%s: %s)", what,
					  detail, strerror(sys));
		return errors_set(err, RPC_UNAVAILABLE, "%s: the server cannot write its database (%s)",
				  what, detail);
	case SQLITE_CONSTRAINT:
		if (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY)
			return errors_set(err, RPC_CONFLICT, "%s: already exists (%s)", what, detail);
		if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
			return errors_set(err, RPC_NOT_FOUND, "%s: refers to something that does not exist",
					  what);
		return errors_set(err, RPC_INVALID_ARGUMENT, "%s: %s", what, detail);
	default:
		return errors_set(err, RPC_INTERNAL, "%s: database error: %s", what, detail);
	}
}

int db_fail(struct db *db, int rc, const char *what, struct rpc_error *err)
{
	return db_fail_sys(db, rc, 0, what, err);
}

/* ---- the statement cache (see struct db) ---- */

#define CACHE_FIRST 64 /* entries of the first allocation; slots are twice that */

/* The first slot to probe for key sql in an index of nslots (a power of
 * two): Fibonacci hashing of the address, whose low bits are alignment. */
static size_t cache_home(const char *sql, size_t nslots)
{
	uint64_t h = (uint64_t)(uintptr_t)sql * UINT64_C(0x9E3779B97F4A7C15);

	return (size_t)(h ^ (h >> 32)) & (nslots - 1);
}

/* The slot holding key sql, or the empty slot where it would go.  The
 * index is never full (at most half), so the probe ends. */
static size_t cache_probe(const struct db *db, const char *sql)
{
	size_t i = cache_home(sql, db->nslots);

	while (db->slots[i] && db->cache[db->slots[i] - 1].sql != sql)
		i = (i + 1) & (db->nslots - 1);
	return i;
}

/* Makes room for one more entry: the array and the index grow (doubling)
 * apart, each one whole or not at all, so a failure leaves a cache that
 * still works.  Returns RPC_OK, or RPC_INTERNAL with err set. */
static int cache_reserve(struct db *db, struct rpc_error *err)
{
	if (db->ncache == db->cache_cap) {
		size_t cap = db->cache_cap ? db->cache_cap * 2 : CACHE_FIRST;
		struct db_cached *grown;

		/* An index slot holds an entry's index + 1 in 32 bits. */
		if (cap >= UINT32_MAX / 2 || !(grown = realloc(db->cache, cap * sizeof(*grown))))
			return errors_set(err, RPC_INTERNAL,
					  "out of memory growing the statement cache to %zu queries",
					  cap);
		db->cache = grown;
		db->cache_cap = cap;
	}
	if (2 * (db->ncache + 1) > db->nslots) {
		size_t n = db->nslots ? db->nslots * 2 : 2 * CACHE_FIRST;
		uint32_t *slots = calloc(n, sizeof(*slots));
		uint32_t *old = db->slots;

		if (!slots)
			return errors_set(err, RPC_INTERNAL,
					  "out of memory growing the statement cache's index to %zu slots",
					  n);
		db->slots = slots;
		db->nslots = n;
		for (size_t i = 0; i < db->ncache; i++)
			db->slots[cache_probe(db, db->cache[i].sql)] = (uint32_t)(i + 1);
		free(old);
	}
	return RPC_OK;
}

sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct rpc_error *err)
{
	sqlite3_stmt *st;
	size_t slot;
	int rc;

	if (db->nslots) {
		slot = cache_probe(db, sql);
		if (db->slots[slot]) {
			st = db->cache[db->slots[slot] - 1].stmt;
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			return st;
		}
	}
	/* Room first, so a failure to grow leaves nothing to finalize. */
	if (cache_reserve(db, err) != RPC_OK)
		return NULL;
	rc = sqlite3_prepare_v3(db->conn, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		db_fail(db, rc, "preparing a query", err);
		return NULL;
	}
	db->cache[db->ncache].sql = sql;
	db->cache[db->ncache].stmt = st;
	db->ncache++;
	db->slots[cache_probe(db, sql)] = (uint32_t)db->ncache;
	return st;
}

int db_done(sqlite3_stmt *st, int rc)
{
	sqlite3_reset(st);
	return rc;
}

int db_bind_text(sqlite3_stmt *st, int idx, struct text t)
{
	if (!t.s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, t.s, (int)t.n, SQLITE_STATIC);
}

int db_bind_cstr(sqlite3_stmt *st, int idx, const char *s)
{
	if (!s)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_text(st, idx, s, -1, SQLITE_STATIC);
}

int db_bind_id(sqlite3_stmt *st, int idx, int64_t id)
{
	if (!id)
		return sqlite3_bind_null(st, idx);
	return sqlite3_bind_int64(st, idx, id);
}

int db_bind_check(struct db *db, sqlite3_stmt *st, int rc, struct rpc_error *err)
{
	if (rc == SQLITE_OK)
		return RPC_OK;
	/* The OR of several codes is not itself a code; the connection keeps
	 * the last failing bind's. */
	rc = sqlite3_errcode(db->conn);
	sqlite3_reset(st);
	return db_fail(db, rc != SQLITE_OK ? rc : SQLITE_ERROR, "binding a query", err);
}

int db_exec_stmt(struct db *db, sqlite3_stmt *st, const char *what, struct rpc_error *err)
{
	int rc, sys;

	errno = 0; /* so that a failed write's reason is the one kept */
	rc = sqlite3_step(st);
	sys = errno;
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail_sys(db, rc, sys, what, err);
	return RPC_OK;
}

int db_scalar(struct db *db, sqlite3_stmt *st, int64_t *out, struct rpc_error *err)
{
	int rc = sqlite3_step(st);

	*out = 0;
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading", err);
	return RPC_OK;
}

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

int db_row(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
	   struct rpc_error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		return RPC_OK;
	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return errors_set(err, RPC_NOT_FOUND, "%s: no %s with id %lld", noun, noun,
				  (long long)id);
	return db_fail(db, rc, noun, err);
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

int db_owner_of(struct db *db, const char *sql, const char *noun, int64_t id, int64_t *owner,
		struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);
	int rc;

	*owner = 0;
	if (!st)
		return err->code;
	if ((rc = db_bind_check(db, st, sqlite3_bind_int64(st, 1, id), err)) != RPC_OK ||
	    (rc = db_row(db, st, noun, id, err)) != RPC_OK)
		return rc;
	*owner = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_exec_once(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
		 const char *state, struct rpc_error *err)
{
	int rc = db_exec_stmt(db, st, noun, err);

	if (rc != RPC_OK)
		return rc;
	if (!sqlite3_changes(db->conn))
		return errors_set(err, RPC_CONFLICT, "%s: %s %lld is already %s", noun, noun,
				  (long long)id, state);
	return RPC_OK;
}

int db_close_once(struct db *db, const char *sql, const char *noun, int64_t id,
		  struct text text, int64_t by, const char *now, const char *state,
		  struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);
	int b, rc;

	if (!st)
		return err->code;
	b = sqlite3_bind_int64(st, 1, id) | db_bind_text(st, 2, text) |
	    sqlite3_bind_int64(st, 3, by) | db_bind_cstr(st, 4, now);
	if ((rc = db_bind_check(db, st, b, err)) != RPC_OK)
		return rc;
	return db_exec_once(db, st, noun, id, state, err);
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

/* The statement for sql with id bound at ?1 and date (unless NULL) at ?9,
 * or NULL with err set. */
static sqlite3_stmt *stmt_for_id(struct db *db, const char *sql, int64_t id, const char *date,
				 struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);
	int b;

	if (!st)
		return NULL;
	b = sqlite3_bind_int64(st, 1, id);
	if (date)
		b |= sqlite3_bind_text(st, 9, date, -1, SQLITE_STATIC);
	return db_bind_check(db, st, b, err) == RPC_OK ? st : NULL;
}

int db_pack_by_id(struct db *db, const char *sql, const char *noun, int64_t id, const char *date,
		  const char *const *bools, int extra, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, date, err);

	if (!st)
		return err->code;
	return db_pack_one(db, st, noun, id, bools, extra, pk, err);
}

int db_pack_rows_by_id(struct db *db, const char *sql, int64_t id, const char *date,
		       msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, date, err);

	if (!st || db_pack_rows(db, st, pk, NULL, err) < 0)
		return err->code;
	return RPC_OK;
}

sqlite3_stmt *db_stmt_records(struct db *db, const char *sql, const struct record_filter *f,
			      const char *today, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);
	int b;

	if (!st)
		return NULL;
	b = db_bind_id(st, 1, f->scope) | db_bind_id(st, 2, f->task) | db_bind_id(st, 3, f->from) |
	    sqlite3_bind_int(st, 4, f->open_only) | sqlite3_bind_int(st, 5, f->overdue_only) |
	    db_bind_cstr(st, 9, today);
	return db_bind_check(db, st, b, err) == RPC_OK ? st : NULL;
}

int db_pack_items_by_id(struct db *db, const char *sql, int64_t id, const char *date,
			const char *const *bools, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, date, err);

	if (!st)
		return err->code;
	return db_pack_list(db, st, bools, 0, pk, err);
}

int db_task_of(struct db *db, const char *sql, const char *noun, int64_t id, int64_t *task,
	       bool *flag, struct rpc_error *err)
{
	sqlite3_stmt *st = stmt_for_id(db, sql, id, NULL, err);
	int rc;

	*task = 0;
	*flag = false;
	if (!st)
		return err->code;
	if ((rc = db_row(db, st, noun, id, err)) != RPC_OK)
		return rc;
	*task = sqlite3_column_int64(st, 0);
	*flag = sqlite3_column_int(st, 1) != 0;
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

/* A code made only of digits ("2020") may also be an id: such a string is
 * looked up as a code first, then as an id.  Returns 0 if it is not one. */
static int64_t digits_id(struct text t)
{
	int64_t v = 0;

	if (t.n == 0 || t.n > 18)
		return 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.s[i] < '0' || t.s[i] > '9')
			return 0;
		v = v * 10 + (t.s[i] - '0');
	}
	return v;
}

static int lookup(struct db *db, const char *sql, const struct text *code, int64_t by_id,
		  int64_t *id, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);

	if (!st)
		return err->code;
	if (code)
		db_bind_text(st, 1, *code);
	else
		sqlite3_bind_int64(st, 1, by_id);
	return db_scalar(db, st, id, err);
}

int db_code_free(struct db *db, const char *sql_by_code, const char *noun, struct text code,
		 struct rpc_error *err)
{
	int64_t taken = 0;
	int rc = lookup(db, sql_by_code, &code, 0, &taken, err);

	if (rc != RPC_OK)
		return rc;
	if (taken)
		return errors_set(err, RPC_CONFLICT, "code: a %s with code '%.*s' already exists", noun,
				  (int)code.n, code.s);
	return RPC_OK;
}

int db_resolve(struct db *db, const char *sql_by_id, const char *sql_by_code, const char *field,
	       const char *noun, const struct ref *r, int64_t *id, struct rpc_error *err)
{
	int64_t as_id = r->code.s ? digits_id(r->code) : r->id;
	char echo[96]; /* the code sent, escaped, in a message */
	int rc;

	*id = 0;
	if (r->code.s && (rc = lookup(db, sql_by_code, &r->code, 0, id, err)) != RPC_OK)
		return rc;
	if (*id == 0 && as_id > 0 && (rc = lookup(db, sql_by_id, NULL, as_id, id, err)) != RPC_OK)
		return rc;
	if (*id == 0) {
		if (r->code.s)
			return errors_set(err, RPC_NOT_FOUND, "%s: no %s with code %s'%s'", field, noun,
					  as_id > 0 ? "or id " : "",
					  utf8_escaped(r->code.s, r->code.n, echo, sizeof(echo)));
		return errors_set(err, RPC_NOT_FOUND, "%s: no %s with id %lld", field, noun,
				  (long long)r->id);
	}
	return RPC_OK;
}

/* ---- transactions ---- */

static const char SQL_BEGIN_READ[] = "BEGIN DEFERRED";
static const char SQL_BEGIN_WRITE[] = "BEGIN IMMEDIATE";
static const char SQL_COMMIT[] = "COMMIT";
static const char SQL_ROLLBACK[] = "ROLLBACK";

int db_begin(struct db *db, bool write, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, write ? SQL_BEGIN_WRITE : SQL_BEGIN_READ, err);
	int rc;

	if (write && db->failed)
		return errors_set(err, RPC_UNAVAILABLE,
				  "the server's database met a write error; it is being reopened and "
				  "checked and takes no writes until then; nothing was written");
	if (!st)
		return err->code;
	if ((rc = db_exec_stmt(db, st, "starting a transaction", err)) != RPC_OK)
		return rc;
	db->in_txn = true;
	return RPC_OK;
}

int db_commit(struct db *db, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (db_search_flush(db, err) != RPC_OK || !(st = db_stmt(db, SQL_COMMIT, err))) {
		db_rollback(db);
		return err->code;
	}
	rc = db_exec_stmt(db, st, "saving", err);
	if (rc != RPC_OK) {
		/* COMMIT failed (disk full, I/O error): nothing was saved.  After
		 * an I/O error, a failed fsync above all, the kernel may have
		 * dropped pages SQLite believes written (PostgreSQL's lesson):
		 * no more writes on this connection until db_recover(). */
		if ((sqlite3_extended_errcode(db->conn) & 0xff) == SQLITE_IOERR)
			db->failed = true;
		db_rollback(db);
		return rc;
	}
	db->in_txn = false;
	return RPC_OK;
}

void db_rollback(struct db *db)
{
	struct rpc_error ignored;
	sqlite3_stmt *st;

	if (sqlite3_get_autocommit(db->conn)) {
		db->in_txn = false;
		return;
	}
	st = db_stmt(db, SQL_ROLLBACK, &ignored);
	if (st)
		db_exec_stmt(db, st, "rolling back", &ignored);
	db->in_txn = false;
}

static const char SQL_SP_BEGIN[] = "SAVEPOINT request";
static const char SQL_SP_RELEASE[] = "RELEASE request";
static const char SQL_SP_UNDO[] = "ROLLBACK TO request";

int db_request_begin(struct db *db, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SP_BEGIN, err);

	return st ? db_exec_stmt(db, st, "starting a request", err) : err->code;
}

void db_request_end(struct db *db, bool keep)
{
	struct rpc_error ignored;
	sqlite3_stmt *st;

	if (!db_in_transaction(db))
		return; /* SQLite rolled it all back: no savepoint is left */
	if (!keep && (st = db_stmt(db, SQL_SP_UNDO, &ignored)))
		db_exec_stmt(db, st, "taking a request back", &ignored);
	if ((st = db_stmt(db, SQL_SP_RELEASE, &ignored)))
		db_exec_stmt(db, st, "ending a request", &ignored);
}

bool db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->conn);
}

/* ---- safe retries ---- */

static const char SQL_REQUEST_FIND[] =
	"SELECT method, result FROM requests WHERE account_id = ?1 AND request_id = ?2";
static const char SQL_REQUEST_STORE[] =
	"INSERT INTO requests (account_id, request_id, method, result, created_at)"
	" VALUES (?1, ?2, ?3, ?4, ?5)";

int db_request_find(struct db *db, int64_t account_id, struct text request_id, const char *method,
		    char **bytes, size_t *len, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQUEST_FIND, err);
	int rc, found = 0;

	*bytes = NULL;
	*len = 0;
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, account_id);
	db_bind_text(st, 2, request_id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *m = (const char *)sqlite3_column_text(st, 0);
		int n = sqlite3_column_bytes(st, 1);

		if (!m || strcmp(m, method) != 0) {
			/* m lives in the statement: the message first, then reset. */
			errors_set(err, RPC_CONFLICT,
				   "request_id: already used for a different method (%s)", m ? m : "?");
			sqlite3_reset(st);
			return -1;
		}
		*bytes = malloc(n > 0 ? (size_t)n : 1);
		if (!*bytes) {
			sqlite3_reset(st);
			errors_set(err, RPC_INTERNAL, "out of memory");
			return -1;
		}
		if (n > 0) /* a zero-length blob reads back as NULL */
			memcpy(*bytes, sqlite3_column_blob(st, 1), (size_t)n);
		*len = (size_t)n;
		found = 1;
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(st);
		db_fail(db, rc, "looking up request_id", err);
		return -1;
	}
	sqlite3_reset(st);
	return found;
}

static const char SQL_REQUESTS_PRUNE[] =
	"DELETE FROM requests WHERE (account_id, request_id) IN"
	" (SELECT account_id, request_id FROM requests WHERE created_at < ?1 LIMIT ?2)";

int db_requests_prune(struct db *db, const char *before, int64_t limit, int64_t *deleted,
		      struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQUESTS_PRUNE, err);
	int rc;

	*deleted = 0;
	if (!st)
		return err->code;
	if ((rc = db_bind_check(db, st,
				db_bind_cstr(st, 1, before) | sqlite3_bind_int64(st, 2, limit),
				err)) != RPC_OK ||
	    (rc = db_exec_stmt(db, st, "pruning old request outcomes", err)) != RPC_OK)
		return rc;
	*deleted = sqlite3_changes(db->conn);
	return RPC_OK;
}

int db_request_store(struct db *db, int64_t account_id, struct text request_id,
		     const char *method, const char *bytes, size_t len, const char *now,
		     struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_REQUEST_STORE, err);

	if (!st)
		return err->code;
	sqlite3_bind_int64(st, 1, account_id);
	db_bind_text(st, 2, request_id);
	sqlite3_bind_text(st, 3, method, -1, SQLITE_STATIC);
	sqlite3_bind_blob(st, 4, len ? bytes : "", (int)len, SQLITE_STATIC); /* "" keeps it NOT NULL */
	sqlite3_bind_text(st, 5, now, -1, SQLITE_STATIC);
	return db_exec_stmt(db, st, "recording request_id", err);
}
