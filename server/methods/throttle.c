/*
 * throttle.c: throttle.list and throttle.clear, the admin's view of the
 * throttle of failed sign-ins (auth.h) and the way to lift it.  The
 * throttle lives in memory on the event loop's thread, where these
 * handlers run (they are not SLOW in the method table, which would send
 * them to the thread pool).
 */
#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "date.h"
#include "handlers.h"
#include "log.h"
#include "pack.h"

static void pack_moment(msgpack_packer *pk, const char *key, time_t t)
{
	char ts[TIMESTAMP_LEN];

	date_timestamp(t, ts);
	pack_kv_str(pk, key, ts);
}

int throttle_list(struct call *c)
{
	struct params p;
	struct auth_entry *e;
	size_t n;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	/* The whole table, as large as the throttle allows (a few hundred
	 * KiB), for the one moment of the call. */
	if (!(e = malloc(AUTH_SLOTS * sizeof(*e))))
		return errors_set(c->err, RPC_INTERNAL, "throttle.list: out of memory");
	n = auth_list(clock_now(), e, AUTH_SLOTS);
	msgpack_pack_map(c->pk, 2);
	pack_str(c->pk, "items");
	msgpack_pack_array(c->pk, n);
	for (size_t i = 0; i < n; i++) {
		msgpack_pack_map(c->pk, 6);
		pack_kv_str(c->pk, "address", e[i].address);
		pack_kv_int(c->pk, "failures", e[i].failures);
		pack_moment(c->pk, "first_failure", e[i].first);
		pack_moment(c->pk, "last_failure", e[i].last);
		pack_kv_int(c->pk, "delay_ms", e[i].delay_ms);
		pack_moment(c->pk, "lifts_at", e[i].lifts);
	}
	pack_kv_int(c->pk, "total", (int64_t)n);
	free(e);
	return RPC_OK;
}

/* True if s is an IPv4 or IPv6 address as the daemon writes a peer's. */
static bool is_address(const char *s)
{
	unsigned char buf[16];

	return inet_pton(AF_INET, s, buf) == 1 || inet_pton(AF_INET6, s, buf) == 1;
}

/* A write, though it changes no table: the audit trail records who lifted
 * the throttle of which address (audit.c's memory_nouns).  What it clears
 * is not given back if the request's transaction fails later. */
int throttle_clear(struct call *c)
{
	struct params p;
	struct text t;
	char address[AUTH_ADDRESS_MAX];
	size_t n;
	int rc;

	call_params(c, &p);
	t.s = NULL;
	t.n = 0;
	params_text(&p, "address", P_OPTIONAL, AUTH_ADDRESS_MAX - 1, true, &t);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (t.s) {
		memcpy(address, t.s, t.n);
		address[t.n] = '\0';
		if (!is_address(address))
			return errors_set(c->err, RPC_INVALID_ARGUMENT,
					  "address: '%s' is not an IPv4 or IPv6 address "
					  "(see throttle.list)",
					  address);
	}
	n = auth_clear(t.s ? address : NULL, clock_now());
	log_info("throttle: %s cleared the failed sign-ins of %s (%zu address%s)", c->who->login,
		 t.s ? address : "every address", n, n == 1 ? "" : "es");
	msgpack_pack_map(c->pk, 2);
	pack_str(c->pk, "address");
	if (t.s)
		pack_str(c->pk, address);
	else
		msgpack_pack_nil(c->pk);
	pack_kv_int(c->pk, "cleared", (int64_t)n);
	return RPC_OK;
}
