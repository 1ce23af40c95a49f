/*
 * db_account.c: storage for accounts and their API tokens.  A token is kept
 * only as its SHA-256; the secret itself never reaches the database.
 */
#include "db_internal.h"

#include <stdio.h>
#include <string.h>

#include "db_account.h"
#include "pack.h"

#define ACCOUNT_COLUMNS \
	"a.id AS id, a.login AS login, a.display_name AS display_name, a.role AS role, " \
	"a.scope_unit_id AS scope_unit_id, u.code AS scope_unit_code, " \
	SQL_UNIT_NAME("a.scope_unit_id", "date('now')") " AS scope_unit_name, " \
	"a.active AS active, a.email AS email, a.notify AS notify, " \
	"a.created_at AS created_at, a.updated_at AS updated_at"

#define TOKEN_COLUMNS \
	"t.id AS id, t.account_id AS account_id, a.login AS account_login, t.name AS name, " \
	"t.created_at AS created_at, t.last_used_at AS last_used_at, t.revoked_at AS revoked_at"

static const char *const account_bools[] = {"active", NULL};

static const char SQL_BY_ID[] = "SELECT id FROM accounts WHERE id = ?1";
static const char SQL_BY_CODE[] = "SELECT id FROM accounts WHERE login = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM accounts";
static const char SQL_INSERT[] =
	"INSERT INTO accounts (login, display_name, role, scope_unit_id, created_at, updated_at) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?5)";
static const char SQL_UPDATE[] =
	"UPDATE accounts SET display_name = coalesce(?2, display_name), role = coalesce(?3, role), "
	"scope_unit_id = CASE WHEN ?4 < 0 THEN scope_unit_id WHEN ?4 = 0 THEN NULL ELSE ?4 END, "
	"active = CASE WHEN ?5 < 0 THEN active ELSE ?5 END, updated_at = ?6 WHERE id = ?1";
/* "" removes the address (NULL in the table: nothing is sent). */
static const char SQL_SET_MAIL[] =
	"UPDATE accounts SET email = CASE WHEN ?2 IS NULL THEN email WHEN ?2 = '' THEN NULL "
	"ELSE ?2 END, notify = coalesce(?3, notify) WHERE id = ?1";
static const char SQL_GET[] =
	"SELECT " ACCOUNT_COLUMNS " FROM accounts a LEFT JOIN units u ON u.id = a.scope_unit_id "
	"WHERE a.id = ?1";
static const char SQL_LIST[] =
	"SELECT " ACCOUNT_COLUMNS " FROM accounts a LEFT JOIN units u ON u.id = a.scope_unit_id "
	"ORDER BY a.id";
static const char SQL_TOKEN_INSERT[] =
	"INSERT INTO tokens (account_id, name, hash, created_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_TOKEN_STATE[] = "SELECT revoked_at IS NOT NULL FROM tokens WHERE id = ?1";
static const char SQL_TOKEN_REVOKE[] = "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1";
static const char SQL_TOKENS_REVOKE_ALL[] =
	"UPDATE tokens SET revoked_at = ?2 WHERE account_id = ?1 AND revoked_at IS NULL";
static const char SQL_TOKEN_OWNER[] = "SELECT account_id, name FROM tokens WHERE id = ?1";
static const char SQL_TOKEN_GET[] =
	"SELECT " TOKEN_COLUMNS " FROM tokens t JOIN accounts a ON a.id = t.account_id "
	"WHERE t.id = ?1";
static const char SQL_TOKEN_LIST[] =
	"SELECT " TOKEN_COLUMNS " FROM tokens t JOIN accounts a ON a.id = t.account_id "
	"WHERE ?1 IS NULL OR t.account_id = ?1 ORDER BY t.id";
static const char SQL_ROLE[] =
	"SELECT role, coalesce(scope_unit_id, 0) FROM accounts WHERE id = ?1";
static const char SQL_ADMINS[] =
	"SELECT count(*) FROM accounts WHERE role = 'admin' AND active AND id <> ?1";
static const char SQL_TOKEN_TOUCH[] = "UPDATE tokens SET last_used_at = ?2 WHERE id = ?1";
#define SESSION_COLUMNS \
	"SELECT t.id, a.id, coalesce(a.scope_unit_id, 0), a.role, a.login, t.name, " \
	"t.revoked_at IS NULL AND a.active, t.hash " \
	"FROM tokens t JOIN accounts a ON a.id = t.account_id "
static const char SQL_SESSION_BY_HASH[] = SESSION_COLUMNS "WHERE t.hash = ?1";
static const char SQL_SESSION_BY_ID[] = SESSION_COLUMNS "WHERE t.id = ?1";

int db_account_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		       struct rpc_error *err)
{
	return db_resolve(db, SQL_BY_ID, SQL_BY_CODE, field, "account", r, id, err);
}

int db_account_count(struct db *db, int64_t *n, struct rpc_error *err)
{
	return db_one_int64(db, SQL_COUNT, n, err, "");
}

int db_account_create(struct db *db, struct text login, struct text display_name,
		      const char *role, int64_t scope, const char *now, int64_t *id,
		      struct rpc_error *err)
{
	int rc;

	if ((rc = db_code_free(db, SQL_BY_CODE, "account", login, err)) != RPC_OK)
		return rc;
	/* No scope (0 or less) is NULL: the whole tree. */
	return db_insert(db, SQL_INSERT, "account", id, err, "ttsrs", login, display_name, role,
			 scope > 0 ? scope : 0, now);
}

int db_account_update(struct db *db, int64_t id, struct text display_name, const char *role,
		      int64_t scope, int active, const char *now, struct rpc_error *err)
{
	int rc = db_run(db, SQL_UPDATE, "account", err, "itsids", id, display_name, role, scope,
			active, now);

	if (rc != RPC_OK || active != 0)
		return rc;
	/* Disabling ends every token of the account for good: enabling it
	 * again must not bring back tokens that were handed out, perhaps
	 * lost, before it was disabled.  New ones are made for it. */
	return db_run(db, SQL_TOKENS_REVOKE_ALL, "revoking the account's tokens", err, "is", id,
		      now);
}

int db_account_set_mail(struct db *db, int64_t id, struct text email, const char *notify,
			struct rpc_error *err)
{
	return db_run(db, SQL_SET_MAIL, "account", err, "its", id, email, notify);
}

int db_account_pack(struct db *db, int64_t id, bool detail, msgpack_packer *pk,
		    struct rpc_error *err)
{
	int rc = db_pack_by_id(db, SQL_GET, "account", id, NULL, account_bools, detail ? 1 : 0, pk,
			       err);

	if (rc != RPC_OK || !detail)
		return rc;
	pack_str(pk, "tokens");
	return db_pack_rows_by_id(db, SQL_TOKEN_LIST, id, NULL, pk, err);
}

int db_account_list(struct db *db, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LIST, err);

	if (!st)
		return err->code;
	return db_pack_list(db, st, account_bools, 0, pk, err);
}

int db_token_create(struct db *db, int64_t account_id, struct text name,
		    const unsigned char hash[32], const char *now, int64_t *id,
		    struct rpc_error *err)
{
	return db_insert(db, SQL_TOKEN_INSERT, "token", id, err, "itbs", account_id, name,
			 (const void *)hash, 32, now);
}

int db_token_revoke(struct db *db, int64_t id, const char *now, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_TOKEN_STATE, err, "i", id);
	int revoked, rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "token", id, err)) != RPC_OK)
		return rc;
	revoked = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (revoked)
		return errors_set(err, RPC_CONFLICT, "token: already revoked");
	return db_run(db, SQL_TOKEN_REVOKE, "token", err, "is", id, now);
}

int db_token_owner(struct db *db, int64_t id, int64_t *account_id, char *name, size_t namelen,
		   struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_TOKEN_OWNER, err, "i", id);
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "token", id, err)) != RPC_OK)
		return rc;
	*account_id = sqlite3_column_int64(st, 0);
	snprintf(name, namelen, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return RPC_OK;
}

int db_token_pack(struct db *db, int64_t id, int extra, msgpack_packer *pk,
		  struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_TOKEN_GET, "token", id, NULL, NULL, extra, pk, err);
}

int db_account_role(struct db *db, int64_t id, char *role, size_t rolelen, int64_t *scope,
		    struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_ROLE, err, "i", id);
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "account", id, err)) != RPC_OK)
		return rc;
	snprintf(role, rolelen, "%s", (const char *)sqlite3_column_text(st, 0));
	*scope = sqlite3_column_int64(st, 1);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_account_admins(struct db *db, int64_t except, int64_t *n, struct rpc_error *err)
{
	return db_one_int64(db, SQL_ADMINS, n, err, "i", except);
}

int db_token_list(struct db *db, int64_t account, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_TOKEN_LIST, err, "r", account);

	if (!st)
		return err->code;
	return db_pack_list(db, st, NULL, 0, pk, err);
}

static void read_session(sqlite3_stmt *st, struct session_row *out, unsigned char stored[32])
{
	out->token_id = sqlite3_column_int64(st, 0);
	out->account_id = sqlite3_column_int64(st, 1);
	out->scope = sqlite3_column_int64(st, 2);
	snprintf(out->role, sizeof(out->role), "%s", (const char *)sqlite3_column_text(st, 3));
	snprintf(out->login, sizeof(out->login), "%s", (const char *)sqlite3_column_text(st, 4));
	snprintf(out->token_name, sizeof(out->token_name), "%s",
		 (const char *)sqlite3_column_text(st, 5));
	out->usable = sqlite3_column_int(st, 6) != 0;
	if (stored && sqlite3_column_bytes(st, 7) == 32)
		memcpy(stored, sqlite3_column_blob(st, 7), 32);
}

static int load_session(struct db *db, sqlite3_stmt *st, struct session_row *out,
			unsigned char stored[32], struct rpc_error *err)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW)
		read_session(st, out, stored);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	db_fail(db, rc, "signing in", err);
	return -1;
}

int db_session_find(struct db *db, const unsigned char hash[32], struct session_row *out,
		    unsigned char stored[32], struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_SESSION_BY_HASH, err, "b", (const void *)hash, 32);

	if (!st)
		return -1;
	return load_session(db, st, out, stored, err);
}

int db_session_load(struct db *db, int64_t token_id, struct session_row *out,
		    struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_SESSION_BY_ID, err, "i", token_id);
	int found;

	if (!st)
		return err->code;
	found = load_session(db, st, out, NULL, err);
	if (found < 0)
		return err->code;
	if (found == 0)
		out->usable = false;
	return RPC_OK;
}

int db_token_touch(struct db *db, int64_t id, const char *now, struct rpc_error *err)
{
	return db_run(db, SQL_TOKEN_TOUCH, "token", err, "is", id, now);
}
