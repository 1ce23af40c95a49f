/*
 * db_open.c: the life of a connection: opening (pragmas, SQL functions,
 * the migrations up to this build's schema), the read-only second
 * connection, recovering after a failed COMMIT, the WAL hook and
 * checkpoints, and closing.  It owns the struct db it hands out; the
 * statement cache in it is db_stmt.c's, emptied here when the connection
 * goes.
 */
#include "db_health.h"
#include "db_internal.h"
#include "db_kept.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_schema.h"
#include "db_search.h"
#include "db_timeline.h"

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

int db_file_in_use(const char *path, char *why, size_t whylen)
{
	sqlite3 *conn = NULL;
	char *msg = NULL;
	int rc, busy;

	if (access(path, F_OK) != 0)
		return 0;
	/* In WAL mode every open connection holds a shared lock on the file
	 * for as long as it is open, so BEGIN EXCLUSIVE under locking_mode
	 * EXCLUSIVE fails at once (busy timeout 0) while one exists. */
	rc = sqlite3_open_v2(path, &conn, SQLITE_OPEN_READWRITE, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(conn, "PRAGMA locking_mode=EXCLUSIVE; BEGIN EXCLUSIVE; ROLLBACK;",
				  NULL, NULL, &msg);
	busy = rc == SQLITE_BUSY || rc == SQLITE_LOCKED;
	if (rc != SQLITE_OK && !busy)
		snprintf(why, whylen, "cannot open %s: %s", path,
			 msg ? msg : conn ? sqlite3_errmsg(conn) : sqlite3_errstr(rc));
	sqlite3_free(msg);
	sqlite3_close(conn);
	return busy ? 1 : rc == SQLITE_OK ? 0 : -1;
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

/* Builds the timelines still pending (db_timeline.h): every task's after
 * migration 21, in a transaction of their own (the commit builds them), so
 * no request's write waits for them; 0, or -1 with a sentence in errbuf. */
static int build_timelines(struct db *db, char *errbuf, size_t errlen)
{
	struct rpc_error err = {0};
	bool complete = false;

	if (db_timeline_complete(db, &complete, &err) == RPC_OK && complete)
		return 0;
	if (err.code == RPC_OK && db_begin(db, true, &err) == RPC_OK && db_commit(db, &err) == RPC_OK)
		return 0;
	snprintf(errbuf, errlen, "cannot build the tasks' timelines: %s", err.message);
	return -1;
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

void db_process_init(void)
{
	/* SQLite counts the memory it holds for sqlite3_status() (which the
	 * daemon never asks) under a global mutex taken on every allocation:
	 * 9% of the time of durable updates at C=64 went to pthread mutexes
	 * (perf, bench/README.md "Pages per update"). */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
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
	    db_kept_functions(db->conn) != SQLITE_OK ||
	    db_search_functions(db->conn) != SQLITE_OK) {
		snprintf(errbuf, errlen, "cannot set up %s: %s", path, sqlite3_errmsg(db->conn));
		goto fail;
	}
	/* WAL with synchronous=FULL: a COMMIT returns only after the WAL is
	 * fsync'ed, so an acknowledged write survives a power cut.  A long
	 * read (a national report: seconds) pins its snapshot, so no
	 * checkpoint can finish meanwhile and a stream of writes grows the WAL
	 * file (1.2 GB measured under one); journal_size_limit gives the space
	 * back, to 64 MiB, once the WAL starts over.  secure_delete FAST:
	 * deleted rows are zeroed in the pages a write sends anyway, freed
	 * pages are not (Debian builds SQLite with it on, which wrote every
	 * page the search index's merges free: 0.4 pages per update on the
	 * scale-20 demo, bench/README.md); file.withdraw turns it on for its
	 * own delete. */
	if (exec_sql(db->conn, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			       "PRAGMA foreign_keys=ON; PRAGMA journal_size_limit=67108864;"
			       "PRAGMA secure_delete=FAST;",
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
	if (db_kept_track(db, why, sizeof(why)) < 0) {
		snprintf(errbuf, errlen, "cannot set up %s: %s", path, why);
		goto fail;
	}
	if (build_timelines(db, errbuf, errlen) < 0)
		goto fail;
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
	    db_kept_functions(db->conn) != SQLITE_OK ||
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

const char *db_path(struct db *db)
{
	return sqlite3_db_filename(db->conn, "main");
}
