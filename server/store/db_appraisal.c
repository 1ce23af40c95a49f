/*
 * db_appraisal.c: storage for the focal point's appraisal (thẩm định) of
 * progress updates.  Updates are append-only, so the verdict lives beside
 * them in appraisals, one row per update at most: an update is appraised
 * once.  A returned update no longer counts; the caller then calls
 * db_update_recount() so the task row follows (db_update.c).
 */
#include "db_appraisal.h"
#include "db_internal.h"

#include <stdio.h>

static const char SQL_OF[] =
	"SELECT u.task_id, coalesce(a.verdict, '') FROM updates u "
	"LEFT JOIN appraisals a ON a.update_id = u.id WHERE u.id = ?1";
static const char SQL_INSERT[] =
	"INSERT INTO appraisals (update_id, verdict, reason, account_id, at) "
	"VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (update_id) DO NOTHING";

int db_appraisal_of(struct db *db, int64_t update, int64_t *task, char *verdict, size_t len,
		    struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*task = 0;
	if (len)
		verdict[0] = '\0';
	if (!(st = db_prep(db, SQL_OF, err, "i", update)))
		return err->code;
	if ((rc = db_row(db, st, "update", update, err)) != RPC_OK)
		return rc;
	*task = sqlite3_column_int64(st, 0);
	snprintf(verdict, len, "%s", (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return RPC_OK;
}

int db_appraisal_record(struct db *db, int64_t update, const char *verdict, struct text reason,
			int64_t by, const char *now, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_INSERT, err, "istis", update, verdict, reason, by, now);

	if (!st)
		return err->code;
	return db_exec_once(db, st, "update", update, "appraised", err);
}
