/*
 * db_snapshot.h: saved reports, kept as report.get gave them
 * (db_snapshot.c; PROTOCOL.md 6i).
 */
#ifndef DOTPHA_DB_SNAPSHOT_H
#define DOTPHA_DB_SNAPSHOT_H

#include "db.h"
#include "db_report.h"

/* A snapshot to keep: its name, what it was taken with, and the report's
 * bytes (borrowed). */
struct snapshot_new {
	struct text name;
	const struct report_filter *filter;
	const char *result;
	size_t len;
	int64_t by;      /* the account taking it */
	const char *now;
};

/* Stores a snapshot; conflict if its name is taken in the scope. */
int db_snapshot_create(struct db *db, const struct snapshot_new *s, int64_t *id,
		       struct rpc_error *err);

/* Packs snapshot id's metadata (never its report). */
int db_snapshot_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {"items", "total"}: the snapshots seen from scope (0: all). */
int db_snapshot_list(struct db *db, int64_t scope, msgpack_packer *pk, struct rpc_error *err);

/* Resolves a snapshot given by id (seen from scope) or by name (in the
 * scope's own snapshots); not_found naming field otherwise. */
int db_snapshot_resolve(struct db *db, int64_t scope, const char *field, const struct ref *r,
			int64_t *id, struct rpc_error *err);

/* Copies snapshot id's report bytes into *data (malloc'd; the caller frees). */
int db_snapshot_result(struct db *db, int64_t id, char **data, size_t *len,
		       struct rpc_error *err);

#endif
