/*
 * db_unit.h: the unit tree's storage (db_unit.c): creating, renaming,
 * moving and closing units, resolving a reference as a scoped caller sees
 * the tree, and packing units.  db_unit_resolve itself is in db.h.
 */
#ifndef DOTPHA_DB_UNIT_H
#define DOTPHA_DB_UNIT_H

#include "db.h"

struct unit_input {
	struct text code, name, level;
	struct ref parent;        /* optional */
	struct text valid_from;   /* optional date */
};

/* How far the references of a caller with a scope reach (PROTOCOL.md 4a,
 * docs/permissions.md). */
enum unit_reach {
	REACH_SUBTREE = 0, /* the scope unit and every unit below it: where things are */
	REACH_LINE = 1,    /* those, and the scope unit's ancestors: who assigns and manages */
};

/* Resolves a unit reference as a caller with scope unit `scope` (0: the
 * whole tree) sees the tree: a unit out of `reach` is answered as if it did
 * not exist, with the very not_found db_unit_resolve gives for a unit that
 * does not, so a caller cannot tell the two apart.  With scope 0 it is
 * db_unit_resolve. */
int db_unit_resolve_in(struct db *db, int64_t scope, enum unit_reach reach, const char *field,
		       const struct ref *r, int64_t *id, struct rpc_error *err);
int db_unit_create(struct db *db, const struct unit_input *in, const char *now, int64_t *id,
		   struct rpc_error *err);
int db_unit_rename(struct db *db, int64_t id, struct text name, const char *date,
		   struct rpc_error *err);
int db_unit_move(struct db *db, int64_t id, int64_t parent, const char *today,
		 struct rpc_error *err);
int db_unit_close(struct db *db, int64_t id, const char *date, int64_t merged_into,
		  struct rpc_error *err);
/* Packs one unit; with `detail`, adds names and counts (unit.get). */
int db_unit_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err);
/* Packs {items, total} for the tree under root (0: all roots). */
int db_unit_list(struct db *db, int64_t root, bool include_closed, const char *as_of,
		 msgpack_packer *pk, struct rpc_error *err);

/* Resolves a unit reference; `field` names it in the error. */
int db_unit_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err);

#endif
