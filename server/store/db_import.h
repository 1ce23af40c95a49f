/*
 * db_import.h: the storage side of import.run and export.rows (PROTOCOL.md
 * 6j): the columns of each kind of object, read by one query per kind that
 * both the export and the import's comparison use, so what is exported is
 * exactly what an import compares against; the savepoints that let an
 * import try every row and still keep nothing; and the log of imports.
 */
#ifndef DOTPHA_DB_IMPORT_H
#define DOTPHA_DB_IMPORT_H

#include "db.h"

#define IMPORT_MAX_COLUMNS 16

/* A kind of object a file carries.  Its columns are the ncolumns an
 * import reads and compares, then (up to nexported) those only an export
 * writes: what the object's work has made of it (a task's state, percent,
 * status and health), which an import takes in its header and ignores. */
struct import_kind {
	const char *name;                     /* "units", "cadres", "tasks", "terms", "updates" */
	const char *columns[IMPORT_MAX_COLUMNS]; /* column 0 is the row's code (for updates: its task) */
	int ncolumns;                         /* the columns an import reads */
	int nexported;                        /* the columns an export writes, ncolumns or more */
	bool importable;                      /* false: export only (updates) */
	const char *current_sql;              /* id and columns of the object with code ?1 */
	const char *export_sql;               /* one page: ?1 cursor, ?2 limit + 1, ?3 scope */
	bool offset_paged;                    /* the cursor is an offset, not the last id */
	bool names_today;                     /* export_sql takes today as ?9 */
};

/* The kind called `name`, or NULL. */
const struct import_kind *db_import_kind(const char *name);

/* The names of the kinds an import takes, NULL-terminated, for params_enum. */
extern const char *const db_import_kinds[];
/* The names of the kinds an export gives, NULL-terminated. */
extern const char *const db_export_kinds[];

/* Reads the object of kind k whose code is `code` as the export would show
 * it today: *id (0 when there is none) and values[0..ncolumns), malloc'ed
 * strings the caller frees with db_import_values_free (NULL as ""). */
int db_import_current(struct db *db, const struct import_kind *k, const char *code,
		      const char *today, int64_t *id, char **values, struct rpc_error *err);
void db_import_values_free(char **values, int n);

/* Packs one page of kind k's rows within the caller's scope (0: all) as
 * {columns (all nexported), rows (arrays of strings), next (the cursor for
 * the next page, or nil)}; status and health are on `today`. */
int db_export_page(struct db *db, const struct import_kind *k, int64_t scope, const char *today,
		   int64_t after, int64_t limit, msgpack_packer *pk, struct rpc_error *err);

/* Savepoints inside the request's transaction: `all` around a whole import,
 * the other around one row. */
enum import_savepoint { SAVEPOINT_BEGIN, SAVEPOINT_RELEASE, SAVEPOINT_UNDO };
int db_import_savepoint(struct db *db, bool all, enum import_savepoint op, struct rpc_error *err);

/* Gives task id the code of an imported row. */
int db_import_set_task_code(struct db *db, int64_t id, const char *code, struct rpc_error *err);

/* What one import did, for the log (table imports). */
struct import_outcome {
	const char *kind;
	int64_t account_id;
	bool dry_run, applied;
	int64_t rows, created, updated, unchanged, bad;
};
int db_import_log(struct db *db, const struct import_outcome *o, const char *now, int64_t *id,
		  struct rpc_error *err);

/* Packs the log row of import id: what it did, not its rows (audit). */
int db_import_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

#endif
