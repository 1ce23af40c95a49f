/*
 * db_board.h: board.get and cadre.record (db_board.c; PROTOCOL.md 6f),
 * built on the status and health of db_health.h.
 */
#ifndef DOTPHA_DB_BOARD_H
#define DOTPHA_DB_BOARD_H

#include "db.h"

/* board.get's selection: the tasks of the caller's scope (0: all), of
 * unit's subtree (0: any), of term (0: any), whose focal point is account
 * `mine` (0: anyone's), on as_of. */
struct board_filter {
	const char *as_of;
	int64_t scope, unit, term, mine;
	int64_t limit; /* of needs_action */
};

/* Packs board.get's result (PROTOCOL.md 6f). */
int db_board(struct db *db, const struct board_filter *f, msgpack_packer *pk,
	     struct rpc_error *err);

/* Packs cadre.record's result for cadre and term, the tasks limited to the
 * scope (0: all), status on as_of. */
int db_cadre_record(struct db *db, int64_t scope, int64_t cadre, int64_t term,
		    const char *as_of, msgpack_packer *pk, struct rpc_error *err);

#endif
