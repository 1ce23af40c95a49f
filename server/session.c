/*
 * session.c: session.auth and session.whoami: signing a connection in with
 * an API token, and saying who it is.
 */
#include <string.h>
#include <time.h>

#include "auth.h"
#include "clock.h"
#include "crypto.h"
#include "handlers.h"
#include "log.h"
#include "pack.h"

/* Packs {account, token_name} for the signed-in caller. */
static int pack_identity(struct call *c)
{
	msgpack_pack_map(c->pk, 2);
	pack_str(c->pk, "account");
	if (db_account_pack(c->db, c->who->account_id, false, c->pk, c->err) != RPC_OK)
		return c->err->code;
	pack_kv_str(c->pk, "token_name", c->who->token_name);
	return RPC_OK;
}

int session_auth(struct call *c)
{
	struct params p;
	struct text token;
	struct session_row row;
	unsigned char hash[CRYPTO_SHA256_LEN], stored[CRYPTO_SHA256_LEN] = {0};
	time_t now = clock_now();
	long wait;
	int found = 0, rc;
	unsigned failures;

	dispatch_params(c, &p);
	params_text(&p, "token", P_REQUIRED, 256, true, &token);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	/* Signing in again replaces the connection's identity, even when the
	 * new token turns out to be wrong. */
	memset(c->who->login, 0, sizeof(c->who->login));
	c->who->account_id = c->who->token_id = c->who->scope = 0;
	c->who->role = 0;

	if ((wait = auth_refused(c->who->address, now)) > 0) {
		log_warn("sign-in refused from %s: locked for %ld more seconds", c->who->address, wait);
		return errors_set(c->err, RPC_UNAUTHENTICATED,
				  "too many failed sign-ins from this address; try again in %ld minutes",
				  (wait + 59) / 60);
	}
	crypto_sha256(token.s, token.n, hash);
	if (crypto_token_shape(token.s, token.n) &&
	    (found = db_session_find(c->db, hash, &row, stored, c->err)) < 0)
		return c->err->code;
	if (found != 1 || !crypto_equal(hash, stored, sizeof(hash)) || !row.usable) {
		c->delay_ms = auth_failed(c->who->address, now, &failures);
		log_warn("sign-in failed from %s (%u failed in a row)%s", c->who->address, failures,
			 failures >= AUTH_LOCK_AFTER ? "; address locked" : "");
		return errors_set(c->err, RPC_UNAUTHENTICATED,
				  "the token is not valid, was revoked, or its account is disabled");
	}
	auth_succeeded(c->who->address);
	if ((rc = db_token_touch(c->db, row.token_id, c->now, c->err)) != RPC_OK)
		return rc;
	c->who->account_id = row.account_id;
	c->who->token_id = row.token_id;
	c->who->role = dispatch_role(row.role);
	c->who->scope = row.scope;
	memcpy(c->who->login, row.login, sizeof(c->who->login));
	memcpy(c->who->token_name, row.token_name, sizeof(c->who->token_name));
	log_info("%s signed in from %s with token '%s' (%s)", row.login, c->who->address,
		 row.token_name, row.role);
	return pack_identity(c);
}

int session_whoami(struct call *c)
{
	struct params p;
	int rc;

	dispatch_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return pack_identity(c);
}
