/*
 * info.c: server.info, the one method anyone may call, so a client can
 * tell what it is talking to before anything else.
 */
#include "clock.h"
#include "db_health.h"
#include "db_kept.h"
#include "handlers.h"
#include "methods.h"
#include "pack.h"
#include "version.h"

int server_info(struct call *c)
{
	struct params p;

	call_params(c, &p);
	if (params_end(&p) != RPC_OK)
		return c->err->code;
	msgpack_pack_map(c->pk, 11);
	pack_kv_str(c->pk, "name", "dotphad");
	pack_kv_str(c->pk, "version", DOTPHA_VERSION);
	pack_kv_int(c->pk, "protocol", PROTOCOL_VERSION);
	pack_kv_str(c->pk, "time", c->now);
	pack_kv_str(c->pk, "today", c->today);
	pack_kv_str(c->pk, "timezone", clock_zone());
	/* A clock set by --clock shows, so nobody mistakes a trial for real. */
	pack_kv_bool(c->pk, "clock_set", clock_is_set());
	pack_kv_int(c->pk, "clock_offset", clock_offset());
	pack_kv_int(c->pk, "stalled_days", db_health_stalled_days());
	pack_kv_int(c->pk, "at_risk_margin", db_health_at_risk_margin());
	/* Whether today's figures are kept yet, for an admin (and a bench)
	 * to see the daily pass done. */
	pack_str(c->pk, "figures_day");
	if (db_kept_current(c->today))
		pack_str(c->pk, c->today);
	else
		msgpack_pack_nil(c->pk);
	return RPC_OK;
}
