/*
 * session.c: session.auth and session.whoami: signing a connection in with
 * an API token, and saying who it is.  A sign-in that asks (`waiting:
 * true`) also gets the counts of what waits for the account (inbox.h),
 * so a client can say so after any command without a call of its own.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "auth.h"
#include "clock.h"
#include "crypto.h"
#include "date.h"
#include "db_account.h"
#include "handlers.h"
#include "inbox.h"
#include "log.h"
#include "pack.h"

/* Packs {account, token_name} for the signed-in caller, and "waiting"
 * when w is not NULL. */
static int pack_identity(struct call *c, const struct waiting *w)
{
	msgpack_pack_map(c->pk, w ? 3 : 2);
	pack_str(c->pk, "account");
	if (db_account_pack(c->db, c->who->account_id, false, c->pk, c->err) != RPC_OK)
		return c->err->code;
	pack_kv_str(c->pk, "token_name", c->who->token_name);
	if (w) {
		pack_str(c->pk, "waiting");
		inbox_pack_counts(c->pk, w);
	}
	return RPC_OK;
}

/* The error of a failed sign-in: the same generic first half whatever was
 * wrong with the token (it must not tell a guesser what was close), then
 * what the throttle does to this address and until when. */
static int failed(struct call *c, const struct auth_verdict *v)
{
	char lifts[TIMESTAMP_LEN], growth[40] = "";

	if (v->next_ms == 0)
		return errors_set(c->err, RPC_UNAUTHENTICATED,
				  "the token is not valid, was revoked, or its account is disabled; "
				  "%u failed sign-in%s from %s (after %u, each further failure is "
				  "answered only after a delay)",
				  v->failures, v->failures == 1 ? "" : "s", c->who->address, AUTH_FREE);
	date_timestamp(v->lifts, lifts); /* a moment: a client shows it in local time */
	if (v->next_ms < AUTH_DELAY_MAX_MS)
		snprintf(growth, sizeof(growth), " (doubling up to %u s)", AUTH_DELAY_MAX_MS / 1000);
	return errors_set(c->err, RPC_UNAUTHENTICATED,
			  "the token is not valid, was revoked, or its account is disabled; "
			  "%u failed sign-ins from %s: each further failure is answered after %u s%s, "
			  "until %s passes with no further failure",
			  v->failures, c->who->address, v->next_ms / 1000, growth, lifts);
}

/* A good token signs in at once, whatever its address failed before: the
 * throttle (auth.h) only holds back the answers to failures, and a success
 * does not clear the address's count (only the quiet window does), so a
 * guesser holding one good token gains nothing by mixing it in. */
int session_auth(struct call *c)
{
	struct params p;
	struct text token;
	struct session_row row;
	struct auth_verdict v;
	struct waiting w;
	bool waiting = false;
	unsigned char hash[CRYPTO_SHA256_LEN], stored[CRYPTO_SHA256_LEN] = {0};
	int found = 0, rc;

	call_params(c, &p);
	params_text(&p, "token", P_REQUIRED, 256, true, &token);
	params_bool(&p, "waiting", P_OPTIONAL, &waiting);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	/* Signing in again replaces the connection's identity, even when the
	 * new token turns out to be wrong. */
	memset(c->who->login, 0, sizeof(c->who->login));
	c->who->account_id = c->who->token_id = c->who->scope = 0;
	c->who->role = 0;

	crypto_sha256(token.s, token.n, hash);
	if (crypto_token_shape(token.s, token.n) &&
	    (found = db_session_find(c->db, hash, &row, stored, c->err)) < 0)
		return c->err->code;
	if (found != 1 || !crypto_equal(hash, stored, sizeof(hash)) || !row.usable) {
		auth_failed(c->who->address, clock_now(), &v); /* logs, at most once a minute */
		c->delay_ms = v.delay_ms;
		return failed(c, &v);
	}
	if ((rc = db_token_touch(c->db, row.token_id, c->now, c->err)) != RPC_OK)
		return rc;
	c->who->account_id = row.account_id;
	c->who->token_id = row.token_id;
	c->who->role = role_of(row.role);
	c->who->scope = row.scope;
	memcpy(c->who->login, row.login, sizeof(c->who->login));
	memcpy(c->who->token_name, row.token_name, sizeof(c->who->token_name));
	log_info("%s signed in from %s with token '%s' (%s)", row.login, c->who->address,
		 row.token_name, row.role);
	/* Counted only after a good token: a failed sign-in costs what it
	 * did.  session.auth runs on the writer (it records the token's use),
	 * so counting holds writes back: the counts of the account's last
	 * sign-in are kept while they hold (inbox.c), and bench/ measures
	 * what is left. */
	if (waiting && (rc = inbox_count_kept(c, &w)) != RPC_OK)
		return rc;
	return pack_identity(c, waiting ? &w : NULL);
}

int session_whoami(struct call *c)
{
	struct params p;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return pack_identity(c, NULL);
}
