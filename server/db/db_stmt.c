/*
 * db_stmt.c: running SQL for the entity files: the statement cache
 * (struct db's cache and slots), binding, stepping, and the one table from
 * SQLite result codes to protocol errors (db_fail).
 */
#include "db_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

void db_column_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(out, n, "%s", s ? (const char *)s : "");
}

char *db_column_dup(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);
	size_t n = (size_t)sqlite3_column_bytes(st, i);
	char *out = malloc(n + 1);

	if (out) {
		if (n)
			memcpy(out, s, n);
		out[n] = '\0';
	}
	return out;
}
