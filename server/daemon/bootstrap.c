/*
 * bootstrap.c: see bootstrap.h.  Nothing is open by default: the only way
 * in to a new database is the token this writes for its owner.
 */
#include "bootstrap.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "clock.h"
#include "crypto.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_audit.h"
#include "log.h"
#include "methods.h"

/* Writes the token and a newline to path, mode 0600, synced. */
static int write_token_file(const char *path, const char *token)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t n = strlen(token);
	int ok;

	if (fd < 0)
		return -1;
	ok = fchmod(fd, 0600) == 0 && write(fd, token, n) == (ssize_t)n && write(fd, "\n", 1) == 1 &&
	     fsync(fd) == 0;
	if (close(fd) != 0)
		ok = 0;
	return ok ? 0 : -1;
}

/* The system's trail entry for what method m made (its row says the noun). */
static int audit_system(struct db *db, const char *now, enum method_id m, int64_t id,
			struct rpc_error *err)
{
	return db_audit_system(db, now, methods_catalogue[m].name, methods_catalogue[m].noun, id,
			       err);
}

int bootstrap_admin(struct db *db, const char *db_path)
{
	static const char login[] = "admin", display[] = "Quản trị hệ thống", tname[] = "bootstrap";
	struct rpc_error err = {0};
	char path[4096], token[CRYPTO_TOKEN_LEN + 1], now[TIMESTAMP_LEN];
	unsigned char hash[CRYPTO_SHA256_LEN];
	struct text tl = {login, sizeof(login) - 1}, td = {display, sizeof(display) - 1},
		    tn = {tname, sizeof(tname) - 1};
	int64_t n, account, token_id;

	if (db_begin(db, true, &err) != RPC_OK || db_account_count(db, &n, &err) != RPC_OK)
		goto fail;
	snprintf(path, sizeof(path), "%s.admin-token", db_path);
	if (n > 0) {
		db_rollback(db);
		if (access(path, F_OK) == 0)
			log_info("the first admin token is still in %s; delete that file once you "
				 "have signed in (dotpha login)", path);
		return 0;
	}
	date_timestamp(clock_now(), now);
	if (crypto_new_token(token, hash) < 0) {
		errors_set(&err, RPC_INTERNAL, "the random number generator failed");
		goto fail;
	}
	if (db_account_create(db, tl, td, "admin", 0, now, &account, &err) != RPC_OK ||
	    db_token_create(db, account, tn, hash, now, &token_id, &err) != RPC_OK ||
	    audit_system(db, now, M_account_create, account, &err) != RPC_OK ||
	    audit_system(db, now, M_token_create, token_id, &err) != RPC_OK)
		goto fail;
	if (write_token_file(path, token) < 0) {
		errors_set(&err, RPC_UNAVAILABLE, "cannot write %s: %s", path, strerror(errno));
		goto fail;
	}
	OPENSSL_cleanse(token, sizeof(token));
	if (db_commit(db, &err) != RPC_OK) {
		unlink(path);
		goto fail;
	}
	log_info("first start: created the account 'admin'; its token is in %s "
		 "(readable by this user only). Sign in with: dotpha login --token \"$(cat %s)\"",
		 path, path);
	return 0;
fail:
	OPENSSL_cleanse(token, sizeof(token));
	db_rollback(db);
	log_error("cannot create the first admin account: %s", err.message);
	return -1;
}
