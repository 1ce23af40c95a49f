/*
 * db_backup.c: a consistent copy of the open database into a new file,
 * with SQLite's online backup API, taken in one step inside the request's
 * read transaction: the copy is the database as of that moment, and the
 * writes that follow wait only for the copy (PROTOCOL.md 6k).
 */
#include "db_backup.h"
#include "db_internal.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

int db_backup_to(struct db *db, const char *path, int64_t *pages, struct rpc_error *err)
{
	sqlite3 *dest = NULL;
	sqlite3_backup *b;
	int rc = sqlite3_open_v2(path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);

	*pages = 0;
	if (rc != SQLITE_OK) {
		errors_set(err, RPC_INTERNAL, "backup: cannot create %s: %s", path,
			   dest ? sqlite3_errmsg(dest) : sqlite3_errstr(rc));
		sqlite3_close(dest);
		return err->code;
	}
	/* The copy is the whole database: its creator's alone, whatever the
	 * umask (main.c sets 077 too; this holds for any caller). */
	if (chmod(path, 0600) != 0) {
		errors_set(err, RPC_INTERNAL, "backup: cannot make %s private: %s", path,
			   strerror(errno));
		sqlite3_close(dest);
		return err->code;
	}
	if (!(b = sqlite3_backup_init(dest, "main", db->conn, "main"))) {
		errors_set(err, RPC_INTERNAL, "backup: %s", sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return err->code;
	}
	rc = sqlite3_backup_step(b, -1); /* every page, now */
	*pages = sqlite3_backup_pagecount(b);
	sqlite3_backup_finish(b);
	if (rc != SQLITE_DONE) {
		/* The message of the copy's own connection names a full disk. */
		rc = db_fail(db, sqlite3_errcode(dest) ? sqlite3_errcode(dest) : rc, "backup", err);
		sqlite3_close(dest);
		return rc;
	}
	if (sqlite3_close(dest) != SQLITE_OK)
		return errors_set(err, RPC_INTERNAL, "backup: cannot close %s", path);
	return RPC_OK;
}
