/*
 * db_internal.h: what the db*.c files share and nobody else sees: the
 * connection struct, the statement cache, the one table from SQLite result
 * codes to protocol errors, and packing rows as maps.
 */
#ifndef DOTPHA_DB_INTERNAL_H
#define DOTPHA_DB_INTERNAL_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "db.h"

/* A CTE `sub(id)`: the unit bound to `param` and every unit below it. */
#define SQL_SUBTREE(param) SQL_SUBTREE_AS("sub", param)

/* The same CTE under another name, for queries that need two subtrees. */
#define SQL_SUBTREE_AS(name, param) \
	name "(id) AS (SELECT " param " UNION ALL " \
	"SELECT u.id FROM units u JOIN " name " ON u.parent_id = " name ".id)"

/* A CTE `anc(id)`: one unit and every unit above it, up to the root;
 * `first` is what follows SELECT to give that unit ("?1", or "unit_id
 * FROM tasks WHERE id = ?1"). */
#define SQL_ANCESTORS(first) \
	"anc(id) AS (SELECT " first " UNION ALL " \
	"SELECT u.parent_id FROM units u JOIN anc ON u.id = anc.id WHERE u.parent_id IS NOT NULL)"

/* The name of unit `id_expr` in force on date `date_expr`. */
#define SQL_UNIT_NAME(id_expr, date_expr) \
	"(SELECT n.name FROM unit_names n WHERE n.unit_id = " id_expr \
	" AND n.valid_from <= " date_expr " ORDER BY n.valid_from DESC LIMIT 1)"

/* The condition an update `u` (a table alias) meets to count for a task's
 * progress as it was known at moment `by` (an SQL expression): not
 * returned by the focal point by then (PROTOCOL.md 6e).  Status and health
 * read percents and dates only from counted updates. */
#define SQL_UPDATE_COUNTED(u, by) \
	"NOT EXISTS (SELECT 1 FROM appraisals a WHERE a.update_id = " u ".id" \
	" AND a.verdict = 'returned' AND a.at <= " by ")"

/* The sum of a table of counts' n (alias c) over the rows meeting cond,
 * 0 when none (db_kept.h's tables, read by the board and the report). */
#define SQL_KEPT_N(cond) "coalesce(sum(c.n) FILTER (WHERE " cond "), 0)"

/* One prepared statement of the cache. */
struct db_cached {
	const char *sql;    /* a static string: the cache key is its address */
	sqlite3_stmt *stmt; /* prepared once, reset after each use */
};

/* The statement cache grows with the code's distinct queries (each SQL
 * string is a static, so their number is bounded by the program, not by a
 * peer).  Its entries sit densely in `cache`, in the order they were first
 * prepared; `slots` is an open-addressing index over them keyed by the SQL
 * string's address (linear probing, a slot holds an entry's index + 1, 0
 * is empty), kept at most half full so a lookup stays O(1).  Both are
 * NULL on a new connection; db_close() and db_recover() finalize the
 * statements and free both. */
struct db {
	sqlite3 *conn;                        /* the one connection, owned */
	struct db_cached *cache;              /* ncache entries of cache_cap, owned */
	size_t ncache;                        /* entries used in cache */
	size_t cache_cap;                     /* entries allocated in cache */
	uint32_t *slots;                      /* the index: nslots slots, owned */
	size_t nslots;                        /* a power of two, 0 before the first statement */
	bool in_txn;                          /* between db_begin and commit/rollback */
	bool failed;                          /* a COMMIT met an I/O error: no writes until
					       * db_recover() has reopened and checked */
	bool (*wal_fn)(void *arg, int pages); /* db_wal_watch's, or NULL */
	void *wal_arg;
};

/* Returns the prepared statement for a static SQL string, reset and with
 * bindings cleared, or NULL with err set.  The caller calls sqlite3_reset()
 * (or db_done) when finished with it, before the next use of the same SQL.
 * The statement is cached by the string's address for the life of the
 * connection, so `sql` must outlive db (a static string).  Out of memory
 * growing the cache is RPC_INTERNAL, the cache left as it was. */
sqlite3_stmt *db_stmt(struct db *db, const char *sql, struct rpc_error *err);

/* Resets a statement from db_stmt(); returns rc unchanged for chaining. */
int db_done(sqlite3_stmt *st, int rc);

/* Column i of st's current row copied into out (n bytes, cut if longer),
 * "" for NULL. */
void db_column_copy(sqlite3_stmt *st, int i, char *out, size_t n);

/* Column i of st's current row as a new string (the caller frees it), ""
 * for NULL; NULL when out of memory. */
char *db_column_dup(sqlite3_stmt *st, int i);

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

/* Steps st (bound by the caller) once and packs its row as a map, or nil
 * when there is none (an optional part of an object); resets st. */
int db_pack_row_or_nil(struct db *db, sqlite3_stmt *st, msgpack_packer *pk, const char *what,
		       struct rpc_error *err);

/* Packs one row of st into pk; arg is the caller's. */
typedef void (*db_row_packer)(sqlite3_stmt *st, msgpack_packer *pk, const void *arg);

/* A row whose last columns make one nested map: columns [0, split) pack
 * as the row's own pairs, then `key` maps to the columns from split on,
 * or to nil when column split is NULL (e.g. an update's appraisal). */
struct db_nest {
	int split;                 /* the first column of the nested map */
	const char *key;           /* its key in the row's map */
	const char *const *bools;  /* as db_pack_row's, for every column */
};

/* A db_row_packer for rows with a nested map; arg is a struct db_nest. */
void db_pack_nested_row(sqlite3_stmt *st, msgpack_packer *pk, const void *arg);

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

/* db_pack_page with rows packed by `row` (arg is its). */
int db_pack_page_with(struct db *db, sqlite3_stmt *st, int64_t limit, msgpack_packer *pk,
		      db_row_packer row, const void *arg, struct rpc_error *err);

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

/* db_pack_rows_by_id's rows as a list result (db_pack_list): {"items", "total"}. */
int db_pack_items_by_id(struct db *db, const char *sql, int64_t id, const char *date,
			const char *const *bools, msgpack_packer *pk, struct rpc_error *err);

/* Static query `sql` over records hanging off tasks, bound to filter f
 * in the positions all of them use: ?1 scope (NULL: all), ?2 task, ?3
 * from, ?4 open_only, ?5 overdue_only, ?6 due_by, ?9 today (sql must use ?9).  NULL
 * with err set on failure. */
sqlite3_stmt *db_stmt_records(struct db *db, const char *sql, const struct record_filter *f,
			      const char *today, struct rpc_error *err);

/* For the objects that hang off a task (reminders, amendments...): runs
 * static query `sql`, "SELECT task_id, <a flag> FROM ... WHERE id = ?1",
 * for object `id`; *task and *flag from its row, or not_found "noun: no
 * noun with id N". */
int db_task_of(struct db *db, const char *sql, const char *noun, int64_t id, int64_t *task,
	       bool *flag, struct rpc_error *err);
/* Reads column 0 of the one row static query `sql` returns for id (?1)
 * into *owner: e.g. the task a record belongs to.  not_found as db_row. */
int db_owner_of(struct db *db, const char *sql, const char *noun, int64_t id, int64_t *owner,
		struct rpc_error *err);

/* Runs st (bound by the caller: an UPDATE of row id guarded so that it
 * changes a row only once) and resets it; when it changed nothing the
 * conflict "noun: noun id is already state". */
int db_exec_once(struct db *db, sqlite3_stmt *st, const char *noun, int64_t id,
		 const char *state, struct rpc_error *err);

/* db_exec_once for static `sql` closing record id for good (an answer, an
 * action done): binds ?1 id, ?2 text (the answer, a note; s NULL: NULL),
 * ?3 the account `by`, ?4 now. */
int db_close_once(struct db *db, const char *sql, const char *noun, int64_t id,
		  struct text text, int64_t by, const char *now, const char *state,
		  struct rpc_error *err);

/* Packs st's rows as {"items", "total"} with `extra` more pairs for the
 * caller to add after.  Resets st. */
int db_pack_list(struct db *db, sqlite3_stmt *st, const char *const *bools, int extra,
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

/* ---- running a statement: bind by format (db_run.c) ----
 *
 * `fmt` binds one parameter per letter, ?1, ?2, ... in order; a decimal
 * number before a letter names its parameter instead, and the letters
 * after it go on from there ("i9s13r": ?1, ?9, ?13).  Parameters no letter
 * names stay NULL.  Each letter takes its arguments with exactly these
 * types; varargs are not type-checked, and an int passed for an int64_t
 * is undefined behaviour, so cast when in doubt:
 *
 *   i  int64_t
 *   r  int64_t, an id: 0 binds NULL (an absent reference or filter)
 *   d  int (a bool or a flag promotes to it)
 *   f  double
 *   t  struct text: s NULL binds NULL
 *   s  const char *: NULL binds NULL
 *   n  no argument: NULL
 *   b  const void *, then int length: a blob; a NULL pointer binds NULL
 *
 * Text and blobs are bound SQLITE_STATIC: they must stay valid until the
 * statement is reset, which db_run, db_insert and db_one_int64 do before
 * returning.  Every bind is checked: a failed one (a parameter out of
 * range, text too big) or a bad format is RPC_INTERNAL naming the
 * parameter and its letter, with the statement reset. */

/* db_stmt(sql) bound from fmt.  Returns the statement, ready to step, or
 * NULL with err set.  The caller steps it and resets it (db_done, or a
 * db_pack_* or db_row that does) before the next use of the same SQL. */
sqlite3_stmt *db_prep(struct db *db, const char *sql, struct rpc_error *err, const char *fmt,
		      ...);

/* Prepares and binds sql, steps it once and resets it: an INSERT, UPDATE
 * or DELETE.  A statement that yields a row is fine too (the row is not
 * read), as with db_exec_stmt, which this is after binding.  Returns
 * RPC_OK or the error, mapped by db_fail and headed by `what`. */
int db_run(struct db *db, const char *sql, const char *what, struct rpc_error *err,
	   const char *fmt, ...);

/* db_run for an INSERT; on RPC_OK *id is the new row's rowid (else it is
 * untouched). */
int db_insert(struct db *db, const char *sql, const char *what, int64_t *id,
	      struct rpc_error *err, const char *fmt, ...);

/* Prepares and binds sql and reads column 0 of its first row into *out,
 * as db_scalar: 0 when there is no row (and on an error).  Returns RPC_OK
 * or the error.  The statement is reset. */
int db_one_int64(struct db *db, const char *sql, int64_t *out, struct rpc_error *err,
		 const char *fmt, ...);

/* Grows the array *p of *cap elements of `size` bytes (doubling, from 16)
 * to hold at least `need`; false, *p unchanged, when out of memory. */
static inline bool db_grow(void **p, size_t *cap, size_t need, size_t size)
{
	size_t cap2 = *cap ? *cap : 16;
	void *q;

	if (need <= *cap)
		return true;
	while (cap2 < need)
		cap2 *= 2;
	if (!(q = realloc(*p, cap2 * size)))
		return false;
	*p = q;
	*cap = cap2;
	return true;
}

/* Whether work waits for the commit of the write transaction under way:
 * *any is sql_any's answer (a SELECT EXISTS of a pending table), 0 when
 * no write transaction is open (nothing written, nothing waits).  RPC_OK
 * or the error.  For the flushes db_commit runs (search, timelines). */
int db_write_pending(struct db *db, const char *sql_any, int64_t *any, struct rpc_error *err);

/* ---- end of db_run.c ---- */

#endif
