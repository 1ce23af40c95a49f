/*
 * account.c: account.* and token.*: the central office's management of who
 * may sign in, with which role, over which part of the unit tree.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "crypto.h"
#include "db_account.h"
#include "db_unit.h"
#include "handlers.h"
#include "mime.h"
#include "pack.h"
#include "utf8.h"

static const char *const role_names[] = {"admin", "supervisor", "office", "viewer", NULL};
static const char *const notify_names[] = {"none", "digest", "immediate", "both", NULL};

/* The e-mail address of account.create or account.update: "" (update:
 * remove it) or an address mime_address_ok takes, which refuses CR, LF
 * and everything else that could end a header and start another. */
static bool param_email(struct params *p, struct text *out)
{
	char echo[96];

	if (!params_text(p, "email", P_OPTIONAL, 254, false, out) || out->n == 0)
		return out->s != NULL;
	if (!mime_address_ok(out->s, out->n))
		params_fail(p, RPC_INVALID_ARGUMENT,
			    "email: '%s' is not an address like name@example.gov.vn (one @, a "
			    "domain with a dot, no spaces, quotes, brackets or line breaks)",
			    utf8_escaped(out->s, out->n, echo, sizeof(echo)));
	return true;
}

/* An admin acts over the whole tree (the central office); every other role
 * acts within one unit's subtree. */
static void check_scope_for_role(struct params *p, int role, bool scope_given)
{
	if (params_failed(p) || role < 0)
		return;
	if (role == 0 && scope_given)
		params_fail(p, RPC_INVALID_ARGUMENT,
			    "scope: an admin acts over the whole tree; leave scope out");
	else if (role != 0 && !scope_given)
		params_fail(p, RPC_INVALID_ARGUMENT,
			    "scope: is required for the role %s (the unit whose subtree the account "
			    "acts in)",
			    role_names[role]);
}

int account_create(struct call *c)
{
	struct params p;
	struct text login, name, email = {0};
	struct ref scope_ref;
	int role = -1, notify = -1;
	int64_t scope = 0, id;
	int rc;

	call_params(c, &p);
	params_code(&p, "login", P_REQUIRED, &login);
	params_name(&p, "display_name", P_REQUIRED, &name);
	params_enum(&p, "role", P_REQUIRED, role_names, &role);
	params_ref(&p, "scope", P_OPTIONAL, &scope_ref);
	param_email(&p, &email);
	params_enum(&p, "notify", P_OPTIONAL, notify_names, &notify);
	check_scope_for_role(&p, role, REF_GIVEN(scope_ref));
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (REF_GIVEN(scope_ref) &&
	    (rc = db_unit_resolve(c->db, "scope", &scope_ref, &scope, c->err)) != RPC_OK)
		return rc;
	if ((rc = db_account_create(c->db, login, name, role_names[role], scope, c->now, &id,
				    c->err)) != RPC_OK ||
	    ((email.n > 0 || notify >= 0) &&
	     (rc = db_account_set_mail(c->db, id, email, notify >= 0 ? notify_names[notify] : NULL,
				       c->err)) != RPC_OK))
		return rc;
	return db_account_pack(c->db, id, false, c->pk, c->err);
}

int account_update(struct call *c)
{
	struct params p;
	struct ref r, scope_ref;
	struct text name, email = {0};
	int role = -1, active_i = -1, notify = -1;
	bool active;
	int64_t id, scope = -1, others, now_scope;
	char now_role[16];
	int rc;

	call_params(c, &p);
	params_ref(&p, "account", P_REQUIRED, &r);
	params_name(&p, "display_name", P_OPTIONAL, &name);
	params_enum(&p, "role", P_OPTIONAL, role_names, &role);
	params_ref(&p, "scope", P_OPTIONAL, &scope_ref);
	if (params_bool(&p, "active", P_OPTIONAL, &active))
		active_i = active;
	param_email(&p, &email);
	params_enum(&p, "notify", P_OPTIONAL, notify_names, &notify);
	if (!params_failed(&p) && !name.s && role < 0 && !REF_GIVEN(scope_ref) && active_i < 0 &&
	    !email.s && notify < 0)
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "give at least one of display_name, role, scope, active, email, notify");
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_account_resolve(c->db, "account", &r, &id, c->err)) != RPC_OK ||
	    (rc = db_account_role(c->db, id, now_role, sizeof(now_role), &now_scope, c->err)) != RPC_OK)
		return rc;
	/* The role and scope the account will have must fit together. */
	{
		int after = role >= 0 ? role : (strcmp(now_role, "admin") == 0 ? 0 : 1);
		bool scoped = REF_GIVEN(scope_ref) || (role < 0 && now_scope != 0);

		if (after == 0 && REF_GIVEN(scope_ref))
			return errors_set(c->err, RPC_INVALID_ARGUMENT,
					  "scope: an admin acts over the whole tree; leave scope out");
		if (after != 0 && !scoped)
			return errors_set(c->err, RPC_INVALID_ARGUMENT,
					  "scope: is required when the role is not admin");
		if (after == 0)
			scope = 0; /* an admin's scope is the whole tree */
	}
	if (REF_GIVEN(scope_ref) &&
	    (rc = db_unit_resolve(c->db, "scope", &scope_ref, &scope, c->err)) != RPC_OK)
		return rc;
	/* Never leave the province without an administrator. */
	if ((active_i == 0 || (role > 0)) &&
	    (rc = db_account_admins(c->db, id, &others, c->err)) != RPC_OK)
		return rc;
	if ((active_i == 0 || role > 0) && others == 0 && id == c->who->account_id)
		return errors_set(c->err, RPC_CONFLICT,
				  "account: you are the last active admin; make another admin first");
	if ((rc = db_account_update(c->db, id, name, role >= 0 ? role_names[role] : NULL, scope,
				    active_i, c->now, c->err)) != RPC_OK ||
	    ((email.s || notify >= 0) &&
	     (rc = db_account_set_mail(c->db, id, email, notify >= 0 ? notify_names[notify] : NULL,
				       c->err)) != RPC_OK))
		return rc;
	return db_account_pack(c->db, id, false, c->pk, c->err);
}

int account_get(struct call *c)
{
	struct params p;
	struct ref r;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_ref(&p, "account", P_REQUIRED, &r);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_account_resolve(c->db, "account", &r, &id, c->err)) != RPC_OK)
		return rc;
	return db_account_pack(c->db, id, true, c->pk, c->err);
}

int account_list(struct call *c)
{
	struct params p;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return db_account_list(c->db, c->pk, c->err);
}

/* Makes a token for account and packs it with its secret, the only time
 * the secret leaves the server. */
static int issue(struct call *c, int64_t account, struct text name)
{
	char secret[CRYPTO_TOKEN_LEN + 1];
	unsigned char hash[CRYPTO_SHA256_LEN];
	int64_t id;
	int rc;

	if (crypto_new_token(secret, hash) < 0)
		return errors_set(c->err, RPC_INTERNAL, "the random number generator failed");
	rc = db_token_create(c->db, account, name, hash, c->now, &id, c->err);
	if (rc == RPC_OK)
		rc = db_token_pack(c->db, id, 1, c->pk, c->err);
	if (rc == RPC_OK)
		pack_kv_str(c->pk, "token", secret);
	OPENSSL_cleanse(secret, sizeof(secret));
	return rc;
}

int token_create(struct call *c)
{
	struct params p;
	struct ref r;
	struct text name;
	int64_t account;
	int rc;

	call_params(c, &p);
	params_ref(&p, "account", P_REQUIRED, &r);
	params_name(&p, "name", P_REQUIRED, &name);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_account_resolve(c->db, "account", &r, &account, c->err)) != RPC_OK)
		return rc;
	return issue(c, account, name);
}

int token_rotate(struct call *c)
{
	struct params p;
	int64_t id = 0, account;
	char name[128];
	struct text tname;
	int rc;

	call_params(c, &p);
	params_id(&p, "token", P_REQUIRED, &id);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_token_owner(c->db, id, &account, name, sizeof(name), c->err)) != RPC_OK ||
	    (rc = db_token_revoke(c->db, id, c->now, c->err)) != RPC_OK)
		return rc;
	tname.s = name;
	tname.n = strlen(name);
	return issue(c, account, tname);
}

int token_revoke(struct call *c)
{
	struct params p;
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "token", P_REQUIRED, &id);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_token_revoke(c->db, id, c->now, c->err)) != RPC_OK)
		return rc;
	return db_token_pack(c->db, id, 0, c->pk, c->err);
}

int token_list(struct call *c)
{
	struct params p;
	struct ref r;
	int64_t account = 0;
	int rc;

	call_params(c, &p);
	params_ref(&p, "account", P_OPTIONAL, &r);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (REF_GIVEN(r) && (rc = db_account_resolve(c->db, "account", &r, &account, c->err)) != RPC_OK)
		return rc;
	return db_token_list(c->db, account, c->pk, c->err);
}
