/*
 * db_cadre.h: cadres and their posts (db_cadre.c).
 */
#ifndef DOTPHA_DB_CADRE_H
#define DOTPHA_DB_CADRE_H

#include "db.h"

/* A new cadre; units already resolved. */
struct cadre_input {
	struct text code, full_name, title;
	int64_t unit_id;          /* the unit of the first post */
	int64_t managing_unit_id; /* the managing body */
	const char *since;        /* date the first post began */
};

/* A correction of a cadre (cadre.update); absent parts stay as they are. */
struct cadre_change {
	struct text full_name;    /* s NULL: unchanged */
	struct text title;        /* s NULL: unchanged; also corrects the current post's title */
	int64_t managing_unit_id; /* 0: unchanged */
};

/* Which cadres cadre.list returns; 0 means any. */
struct cadre_filter {
	int64_t unit;       /* posted now in this unit's subtree */
	int64_t managed_by; /* managed by exactly this unit */
	int64_t scope;      /* the caller's scope: posted now in its subtree; 0: anywhere */
};

/* Resolves a cadre reference; `field` names it in the error (not_found). */
int db_cadre_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		     struct rpc_error *err);

/* The same for a caller with scope unit `scope` (0: the whole tree): a
 * cadre whose current post is outside the scope's subtree is answered with
 * the not_found of a cadre that does not exist. */
int db_cadre_resolve_in(struct db *db, int64_t scope, const char *field, const struct ref *r,
			int64_t *id, struct rpc_error *err);

/* Creates a cadre and its first posting (valid_from = in->since).  conflict
 * if the code is taken or the unit is closed on `since`.  *id gets the new id. */
int db_cadre_create(struct db *db, const struct cadre_input *in, const char *now, int64_t *id,
		    struct rpc_error *err);

/* Applies a correction; keeps no history.  not_found for an unknown id. */
int db_cadre_update(struct db *db, int64_t id, const struct cadre_change *ch, const char *now,
		    struct rpc_error *err);

/* Starts a new post in `unit` from `date`: the current posting ends the day
 * before, a new one begins, and the cadre's unit, title and since follow.
 * title.s NULL keeps the current title.  conflict if `date` is not after the
 * current post's start, or the unit is closed on `date`. */
int db_cadre_transfer(struct db *db, int64_t id, int64_t unit, struct text title,
		      const char *date, const char *now, struct rpc_error *err);

/* Packs one cadre, unit names as of `today`; with `detail`, adds postings
 * (oldest first) and the count of tasks it owns (cadre.get). */
int db_cadre_pack(struct db *db, int64_t id, const char *today, bool detail, msgpack_packer *pk,
		  struct rpc_error *err);

/* db_cadre_pack for a caller with scope unit `scope` (0: the whole tree):
 * with `detail`, `tasks` counts only the tasks the caller can see. */
int db_cadre_pack_in(struct db *db, int64_t scope, int64_t id, const char *today, bool detail,
		     msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, next, total}: cadres matching f, ordered by id, one page. */
int db_cadre_list(struct db *db, const struct cadre_filter *f, const struct page *pg,
		  const char *today, msgpack_packer *pk, struct rpc_error *err);

#endif
