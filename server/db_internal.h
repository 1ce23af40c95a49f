/*
 * db_internal.h: what the db*.c files share and nobody else sees: the
 * connection struct, the statement cache, the one table from SQLite result
 * codes to protocol errors, and packing rows as maps.
 */
#ifndef DOTPHA_DB_INTERNAL_H
#define DOTPHA_DB_INTERNAL_H

#include <sqlite3.h>

#include "db.h"

#define DB_STMT_CACHE 256

/* A CTE `sub(id)`: the unit bound to `param` and every unit below it. */
#define SQL_SUBTREE(param) SQL_SUBTREE_AS("sub", param)

/* The same CTE under another name, for queries that need two subtrees. */
#define SQL_SUBTREE_AS(name, param) \
	name "(id) AS (SELECT " param " UNION ALL " \
	"SELECT u.id FROM units u JOIN " name " ON u.parent_id = " name ".id)"

/* The name of unit `id_expr` in force on date `date_expr`. */
#define SQL_UNIT_NAME(id_expr, date_expr) \
	"(SELECT n.name FROM unit_names n WHERE n.unit_id = " id_expr \
	" AND n.valid_from <= " date_expr " ORDER BY n.valid_from DESC LIMIT 1)"

struct db {
	sqlite3 *conn;                        /* the one connection, owned */
	struct {
		const char *sql;              /* a static string: the cache key is its address */
		sqlite3_stmt *stmt;           /* prepared once, reset after each use */
	} cache[DB_STMT_CACHE];
	int ncache;                           /* entries used in cache */
	bool in_txn;                          /* between db_begin and commit/rollback */
};

/* Returns the prepared statement for a static SQL string, reset and with
 * bindings cleared, or NULL with err set.  The caller calls sqlite3_reset()
 * (or db_done) when finished with it, before the next use of the same SQL. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct rpc_error *err);

/* Resets a statement from db_stmt(); returns rc unchanged for chaining. */
int db_done(sqlite3_stmt *st, int rc);

/* Maps a SQLite result code to a protocol error, with `what` saying what
 * was being done.  Returns the protocol code. */
int db_fail(struct db *db, int rc, const char *what, struct rpc_error *err);

/* Binds a struct text (NULL s binds NULL).  Text is SQLITE_STATIC: it must
 * outlive the statement's use, which our borrowed request data does. */
int db_bind_text(sqlite3_stmt *st, int idx, struct text t);

/* Binds a C string, NULL binding NULL; SQLITE_STATIC like db_bind_text. */
int db_bind_cstr(sqlite3_stmt *st, int idx, const char *s);

/* Binds an id, 0 binding NULL (an absent reference or filter). */
int db_bind_id(sqlite3_stmt *st, int idx, int64_t id);

/* Checks the results of a statement's binds, OR'ed together by the caller
 * (SQLITE_OK is 0): RPC_OK, or the mapped error with st reset. */
int db_bind_check(struct db *db, sqlite3_stmt *st, int rc, struct rpc_error *err);

/* Runs a statement expected to return no rows (INSERT/UPDATE) and resets
 * it.  Returns RPC_OK or the mapped error. */
int db_exec_stmt(struct db *db, sqlite3_stmt *st, const char *what, struct rpc_error *err);

/* Column types for packing a row as a map: each column's name is the key;
 * INTEGER, TEXT, REAL and NULL map to int, str, float and nil.  Columns whose
 * names are listed in `bools` (NULL-terminated, may be NULL) pack as booleans. */
void db_pack_row(sqlite3_stmt *st, msgpack_packer *pk, const char *const *bools);

/* Same, but the map gets `extra` more pairs the caller packs after. */
void db_pack_row_open(sqlite3_stmt *st, msgpack_packer *pk, const char *const *bools, int extra);

/* Packs one row of st into pk; arg is the caller's. */
typedef void (*db_row_packer)(sqlite3_stmt *st, msgpack_packer *pk, const void *arg);

/* Steps st through at most `limit` rows (limit < 0: all), packing them with
 * `row` into an array in pk.  *more says whether a further row exists and
 * *last_id is column 0 of the last packed row.  Returns the number of rows,
 * or -1 with err set.  Resets st. */
int64_t db_pack_array(struct db *db, sqlite3_stmt *st, int64_t limit, msgpack_packer *pk,
		      db_row_packer row, const void *arg, bool *more, int64_t *last_id,
		      struct rpc_error *err);

/* Steps st to the end, packing every row as a map into an array.  Returns
 * the number of rows, or -1 with err set.  Resets st. */
int64_t db_pack_rows(struct db *db, sqlite3_stmt *st, msgpack_packer *pk,
		     const char *const *bools, struct rpc_error *err);

/* For paged lists: st yields at most limit+1 rows ordered by an id in
 * column 0.  Packs "items" (up to limit rows) and "next" (the last packed
 * id if a further row exists, else nil) as two map pairs.  Resets st. */
int db_pack_page(struct db *db, sqlite3_stmt *st, int64_t limit, msgpack_packer *pk,
		 const char *const *bools, struct rpc_error *err);

/* Steps st (bound by the caller) to the row of object `id`.  On RPC_OK st
 * stands on the row: read its columns, then sqlite3_reset(st).  Otherwise
 * st is reset and the error is not_found "noun: no noun with id N" or the
 * mapped SQLite error. */
int db_row(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
	   struct rpc_error *err);

/* Packs the one object that static query `sql` returns for id (bound as
 * ?1; date, unless NULL, as ?9) as a map with `extra` more pairs;
 * not_found as db_pack_one. */
int db_pack_by_id(struct db *db, const char *sql, const char *noun, int64_t id, const char *date,
		  const char *const *bools, int extra, msgpack_packer *pk, struct rpc_error *err);

/* Packs the rows static query `sql` returns for id (?1; date, unless NULL,
 * ?9) as an array of maps: an object's history lists.  Returns RPC_OK or
 * the error code. */
int db_pack_rows_by_id(struct db *db, const char *sql, int64_t id, const char *date,
		       msgpack_packer *pk, struct rpc_error *err);

/* Steps st (bound by the caller) to its one row and packs it as a map with
 * `extra` more pairs for the caller to add; resets st.  No row is a
 * not_found "noun: no noun with id N". */
int db_pack_one(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
		const char *const *bools, int extra, msgpack_packer *pk, struct rpc_error *err);

/* Runs a statement returning one integer; *out is 0 when there is no row. */
int db_scalar(struct db *db, sqlite3_stmt *st, int64_t *out, struct rpc_error *err);

/* RPC_OK if no row of the table behind sql_by_code has this code, else a
 * conflict naming the code: "code: a unit with code 'TU' already exists". */
int db_code_free(struct db *db, const char *sql_by_code, const char *noun, struct text code,
		 struct rpc_error *err);

/* Resolves a code or id for table (units, cadres, terms) with a friendly
 * not_found naming `field` and `noun`. */
int db_resolve(struct db *db, const char *sql_by_id, const char *sql_by_code, const char *field,
	       const char *noun, const struct ref *r, int64_t *id, struct rpc_error *err);

#endif
