/*
 * board.c: board.get, the focal point's board (counts by status, health and
 * unit; the tasks that need action first), and cadre.record, a cadre's
 * tasks, products and ratings in a term, the page an evaluation meeting
 * needs.  Both read within the caller's scope; what they count is
 * db_health.h's status and health on the as-of date (PROTOCOL.md 6f).
 */
#include <string.h>

#include "db_board.h"
#include "db_cadre.h"
#include "db_term.h"
#include "db_unit.h"
#include "handlers.h"
#include "pack.h"

#define BOARD_ACTION_DEFAULT 20 /* tasks in needs_action unless `limit` says */

/* Reads as_of? into as_of, defaulting to the server's today. */
static void read_as_of(struct call *c, struct params *p, char as_of[DATE_LEN])
{
	if (!params_date(p, "as_of", P_OPTIONAL, as_of))
		memcpy(as_of, c->today, DATE_LEN);
}

int board_get(struct call *c)
{
	struct params p;
	struct board_filter f = {.limit = BOARD_ACTION_DEFAULT};
	struct ref unit = {0}, term = {0};
	char as_of[DATE_LEN];
	bool mine = false;
	int rc;

	call_params(c, &p);
	read_as_of(c, &p, as_of);
	params_ref(&p, "unit", P_OPTIONAL, &unit);
	params_ref(&p, "term", P_OPTIONAL, &term);
	params_bool(&p, "mine", P_OPTIONAL, &mine);
	params_int(&p, "limit", P_OPTIONAL, 1, 1000, &f.limit);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (REF_GIVEN(unit) && (rc = db_unit_resolve_in(c->db, c->who->scope, REACH_SUBTREE,
							 "unit", &unit, &f.unit, c->err)) != RPC_OK) ||
	    (REF_GIVEN(term) &&
	     (rc = db_term_resolve(c->db, "term", &term, &f.term, c->err)) != RPC_OK))
		return rc;
	f.as_of = as_of;
	f.scope = c->who->scope;
	f.mine = mine ? c->who->account_id : 0;

	msgpack_pack_map(c->pk, 7);
	pack_kv_str(c->pk, "as_of", as_of);
	pack_str(c->pk, "unit");
	if (f.unit) {
		if ((rc = db_unit_pack(c->db, f.unit, as_of, false, c->pk, c->err)) != RPC_OK)
			return rc;
	} else {
		msgpack_pack_nil(c->pk);
	}
	pack_kv_bool(c->pk, "mine", mine);
	return db_board(c->db, &f, c->pk, c->err);
}

int cadre_record(struct call *c)
{
	struct params p;
	struct ref cadre = {0}, term = {0};
	char as_of[DATE_LEN];
	int64_t cadre_id, term_id;
	int rc;

	call_params(c, &p);
	params_ref(&p, "cadre", P_REQUIRED, &cadre);
	params_ref(&p, "term", P_REQUIRED, &term);
	read_as_of(c, &p, as_of);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_cadre_resolve_in(c->db, c->who->scope, "cadre", &cadre, &cadre_id, c->err)) !=
		    RPC_OK ||
	    (rc = db_term_resolve(c->db, "term", &term, &term_id, c->err)) != RPC_OK)
		return rc;
	return db_cadre_record(c->db, c->who->scope, cadre_id, term_id, as_of, c->pk, c->err);
}
