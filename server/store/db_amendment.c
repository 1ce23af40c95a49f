/*
 * db_amendment.c: storage for amendments, the changes of substance (title,
 * product, due date) to a task already assigned.  An amendment is pending
 * until the managing body approves it (and only then does the task
 * change) or rejects it.  Each row keeps the version it replaces, so the
 * approved versions of a task can be read back in order.
 */
#include "db_internal.h"

#include <string.h>

#include "db_amendment.h"
#include "db_task.h"
#include "pack.h"

/* The amendment object of PROTOCOL.md. */
#define AMENDMENT_COLUMNS \
	"m.id AS id, m.task_id AS task_id, m.status AS status, m.reason AS reason, " \
	"m.title AS title, m.product AS product, m.due_date AS due_date, " \
	"m.old_title AS old_title, m.old_product AS old_product, " \
	"m.old_due_date AS old_due_date, m.proposed_by_account_id AS proposed_by_account_id, " \
	"pa.display_name AS proposed_by, m.created_at AS created_at, " \
	"m.decided_by_account_id AS decided_by_account_id, da.display_name AS decided_by, " \
	"m.decided_at AS decided_at, m.decision_note AS decision_note"

#define AMENDMENT_FROM \
	" FROM amendments m JOIN accounts pa ON pa.id = m.proposed_by_account_id" \
	" LEFT JOIN accounts da ON da.id = m.decided_by_account_id"

static const char SQL_PENDING[] =
	"SELECT id FROM amendments WHERE task_id = ?1 AND status = 'pending'";
static const char SQL_INSERT[] =
	"INSERT INTO amendments (task_id, proposed_by_account_id, reason, title, product, "
	"due_date, old_title, old_product, old_due_date, created_at) "
	"SELECT id, ?2, ?3, ?4, ?5, ?6, title, product, due_date, ?7 FROM tasks WHERE id = ?1";
static const char SQL_TASK_OF[] =
	"SELECT task_id, status = 'pending' FROM amendments WHERE id = ?1";
static const char SQL_DECIDE[] =
	"UPDATE amendments SET status = ?2, decision_note = nullif(?3, ''), "
	"decided_by_account_id = ?4, decided_at = ?5 WHERE id = ?1 AND status = 'pending'";
static const char SQL_PROPOSED[] =
	"SELECT task_id, title, product, due_date FROM amendments WHERE id = ?1";
static const char SQL_GET[] = "SELECT " AMENDMENT_COLUMNS AMENDMENT_FROM " WHERE m.id = ?1";
static const char SQL_GET_PENDING[] =
	"SELECT " AMENDMENT_COLUMNS AMENDMENT_FROM " WHERE m.task_id = ?1 AND m.status = 'pending'";
static const char SQL_LIST[] =
	"SELECT " AMENDMENT_COLUMNS AMENDMENT_FROM " WHERE m.task_id = ?1 ORDER BY m.id";

int db_amendment_pending(struct db *db, int64_t task, int64_t *id, struct rpc_error *err)
{
	return db_one_int64(db, SQL_PENDING, id, err, "i", task);
}

int db_amendment_propose(struct db *db, int64_t task, const struct amendment_input *in,
			 int64_t by, const char *now, int64_t *id, struct rpc_error *err)
{
	return db_insert(db, SQL_INSERT, "amendment", id, err, "iitttss", task, by, in->reason,
			 in->title, in->product, in->due_date, now);
}

int db_amendment_task(struct db *db, int64_t id, int64_t *task, bool *pending,
		      struct rpc_error *err)
{
	return db_task_of(db, SQL_TASK_OF, "amendment", id, task, pending, err);
}

/* The text of column i of st's row, NULL for NULL (borrowed until reset). */
static struct text column_text(sqlite3_stmt *st, int i)
{
	struct text t = {0};

	if (sqlite3_column_type(st, i) != SQLITE_NULL) {
		t.s = (const char *)sqlite3_column_text(st, i);
		t.n = (size_t)sqlite3_column_bytes(st, i);
	}
	return t;
}

/* Writes what amendment id proposes into its task, through the same
 * checks as task.update (the due date against the term).  The row's
 * text is read in place: st stays on it until the update is done. */
static int apply(struct db *db, int64_t id, const char *today, const char *now,
		 struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_PROPOSED, err, "i", id);
	struct task_input in = {0};
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "amendment", id, err)) != RPC_OK)
		return rc;
	in.title = column_text(st, 1);
	in.product = column_text(st, 2);
	in.due_date = column_text(st, 3).s;
	rc = db_task_update(db, sqlite3_column_int64(st, 0), &in, today, now, err);
	sqlite3_reset(st);
	return rc;
}

int db_amendment_decide(struct db *db, int64_t id, const char *status, struct text note,
			int64_t by, const char *today, const char *now, struct rpc_error *err)
{
	int rc = db_run(db, SQL_DECIDE, "amendment", err, "istis", id, status, note, by, now);

	if (rc != RPC_OK)
		return rc;
	if (!sqlite3_changes(db->conn))
		return errors_set(err, RPC_CONFLICT,
				  "amendment: amendment %lld is no longer pending", (long long)id);
	return strcmp(status, "approved") == 0 ? apply(db, id, today, now, err) : RPC_OK;
}

int db_amendment_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_GET, "amendment", id, NULL, NULL, 0, pk, err);
}

int db_task_pack_pending_amendment(struct db *db, int64_t task, msgpack_packer *pk,
				   struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_GET_PENDING, err, "i", task);

	if (!st)
		return err->code;
	pack_str(pk, "pending_amendment");
	return db_pack_row_or_nil(db, st, pk, "amendment", err);
}

int db_amendment_list(struct db *db, int64_t task, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_items_by_id(db, SQL_LIST, task, NULL, NULL, pk, err);
}
