/*
 * group.c: the transaction several requests share (group.h).
 */
#include "group.h"

#include <string.h>

#include "db.h"

int group_join(struct group *g, struct rpc_error *err)
{
	int rc;

	if (!g->open) {
		if ((rc = db_begin(g->writer, true, err)) != RPC_OK)
			return rc;
		g->open = true;
		g->broken = false;
		g->size = 0;
	}
	if ((rc = db_request_begin(g->writer, err)) != RPC_OK) {
		/* The group itself is sound; this request just is not in it. */
		if (!db_in_transaction(g->writer))
			group_leave(g, false, err);
		return rc;
	}
	g->size++;
	return RPC_OK;
}

bool group_leave(struct group *g, bool keep, const struct rpc_error *err)
{
	db_request_end(g->writer, keep);
	if (db_in_transaction(g->writer))
		return true;
	/* SQLite gave up the whole transaction (SQLITE_FULL, an I/O error):
	 * the writes before this one are gone too. */
	g->broken = true;
	g->broken_err = *err;
	return false;
}

int group_commit(struct group *g, struct rpc_error *err)
{
	int rc;

	if (!g->open)
		return RPC_OK;
	g->open = false;
	if (g->broken) {
		db_rollback(g->writer);
		*err = g->broken_err;
		return err->code;
	}
	if ((rc = db_commit(g->writer, err)) != RPC_OK)
		return rc; /* db_commit rolled back */
	g->writes += g->size;
	g->commits++;
	return RPC_OK;
}
