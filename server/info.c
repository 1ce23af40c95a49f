/*
 * info.c: server.info, the one method anyone may call, so a client can
 * tell what it is talking to before anything else.
 */
#include "handlers.h"
#include "methods.h"
#include "pack.h"
#include "version.h"

int info_server(struct call *c)
{
	struct params p;

	dispatch_params(c, &p);
	if (params_end(&p) != RPC_OK)
		return c->err->code;
	msgpack_pack_map(c->pk, 5);
	pack_kv_str(c->pk, "name", "dotphad");
	pack_kv_str(c->pk, "version", DOTPHA_VERSION);
	pack_kv_int(c->pk, "protocol", PROTOCOL_VERSION);
	pack_kv_str(c->pk, "time", c->now);
	pack_kv_str(c->pk, "today", c->today);
	return RPC_OK;
}
