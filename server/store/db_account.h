/*
 * db_account.h: accounts and their tokens (db_account.c).  The caller's
 * session and db_account_resolve are in db.h.
 */
#ifndef DOTPHA_DB_ACCOUNT_H
#define DOTPHA_DB_ACCOUNT_H

#include "db.h"

/* Accounts in the database (0 on a fresh one). */
int db_account_count(struct db *db, int64_t *n, struct rpc_error *err);
/* scope 0 stores NULL (the whole tree). */
int db_account_create(struct db *db, struct text login, struct text display_name,
		      const char *role, int64_t scope, const char *now, int64_t *id,
		      struct rpc_error *err);
/* Changes the fields given: display_name.s NULL, role NULL, scope < 0 and
 * active < 0 mean unchanged; scope 0 means the whole tree.  active 0 also
 * revokes every token of the account not yet revoked (revoked_at = now). */
int db_account_update(struct db *db, int64_t id, struct text display_name, const char *role,
		      int64_t scope, int active, const char *now, struct rpc_error *err);
/* Sets the account's e-mail address (email.s NULL: unchanged; "": none)
 * and its choice of notices (notify NULL: unchanged; "none", "digest",
 * "immediate", "both"). */
int db_account_set_mail(struct db *db, int64_t id, struct text email, const char *notify,
			struct rpc_error *err);
/* Packs the account; with detail, its tokens too.  Its email is packed:
 * only admins and the account itself may be shown one (account.* are
 * admin methods, session.whoami the caller's own). */
int db_account_pack(struct db *db, int64_t id, bool detail, msgpack_packer *pk,
		    struct rpc_error *err);
int db_account_list(struct db *db, msgpack_packer *pk, struct rpc_error *err);

/* Stores a token's hash (never the token). */
int db_token_create(struct db *db, int64_t account_id, struct text name,
		    const unsigned char hash[32], const char *now, int64_t *id,
		    struct rpc_error *err);
/* Marks a token revoked; conflict if it already is; not_found if none. */
int db_token_revoke(struct db *db, int64_t id, const char *now, struct rpc_error *err);
/* The account and name of token id (for rotate); not_found if none. */
int db_token_owner(struct db *db, int64_t id, int64_t *account_id, char *name, size_t namelen,
		   struct rpc_error *err);
/* Packs a token's row, without its secret, leaving `extra` pairs for the
 * caller to add. */
int db_token_pack(struct db *db, int64_t id, int extra, msgpack_packer *pk,
		  struct rpc_error *err);
/* The current role and scope (0: whole tree) of account id. */
int db_account_role(struct db *db, int64_t id, char *role, size_t rolelen, int64_t *scope,
		    struct rpc_error *err);
/* Active admins other than account `except`. */
int db_account_admins(struct db *db, int64_t except, int64_t *n, struct rpc_error *err);
/* Packs {items, total}: every token, or one account's (account 0: all). */
int db_token_list(struct db *db, int64_t account, msgpack_packer *pk, struct rpc_error *err);

/* A signed-in token as the database sees it now. */
struct session_row {
	int64_t token_id;
	int64_t account_id;
	int64_t scope;          /* scope unit id; 0 for the whole tree */
	char role[16];          /* "admin", "supervisor", "office", "viewer" */
	char login[64];
	char token_name[128];
	bool usable;            /* token not revoked and account active */
};

/* Finds the token with this hash.  Returns 1 and fills *out, 0 if there is
 * none, or -1 with err set.  The hash comparison is done again in constant
 * time by the caller's crypto_equal on the stored bytes. */
int db_session_find(struct db *db, const unsigned char hash[32], struct session_row *out,
		    unsigned char stored[32], struct rpc_error *err);
/* Reloads a signed-in token's state (every call re-checks it). */
int db_session_load(struct db *db, int64_t token_id, struct session_row *out,
		    struct rpc_error *err);
/* Records that token id was used now. */
int db_token_touch(struct db *db, int64_t id, const char *now, struct rpc_error *err);

/* Resolves an account reference (an id, or a login as code); `field`
 * names it in the error. */
int db_account_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		       struct rpc_error *err);

#endif
