/*
 * db_task_pack.c: one task as task.get shows it: its own row (db_task.c)
 * and, in detail, what hangs off it: the owners' history, the plan's
 * counts (db_plan.c), the focal point (db_reminder.c) and the pending
 * amendment (db_amendment.c).  Gathering them here, above the nouns,
 * keeps db_task.c below the amendments that change a task.
 */
#include "db_internal.h"

#include "db_amendment.h"
#include "db_plan.h"
#include "db_reminder.h"
#include "db_task.h"
#include "db_task_pack.h"
#include "pack.h"

static const char SQL_OWNERS[] =
	"SELECT w.cadre_id AS cadre_id, c.code AS cadre_code, c.full_name AS full_name, "
	"w.valid_from AS valid_from "
	"FROM task_owners w JOIN cadres c ON c.id = w.cadre_id WHERE w.task_id = ?1 ORDER BY w.seq";

/* The pair "plan": {steps, done, percent_from_steps} of task id. */
static int pack_plan(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	struct plan_summary sum;
	int rc;

	if ((rc = db_plan_summary(db, id, &sum, err)) != RPC_OK)
		return rc;
	pack_str(pk, "plan");
	msgpack_pack_map(pk, 3);
	pack_kv_int(pk, "steps", sum.steps);
	pack_kv_int(pk, "done", sum.done);
	if (sum.percent < 0)
		pack_kv_nil(pk, "percent_from_steps");
	else
		pack_kv_int(pk, "percent_from_steps", sum.percent);
	return RPC_OK;
}

int db_task_pack(struct db *db, int64_t id, const char *as_of, bool detail, msgpack_packer *pk,
		 struct rpc_error *err)
{
	int rc = db_task_pack_row(db, id, as_of, detail ? 4 : 0, pk, err);

	if (rc != RPC_OK || !detail)
		return rc;

	/* The map header promised four more pairs; on a failure below the
	 * caller discards the packed bytes with the error reply. */
	pack_str(pk, "owners");
	if ((rc = db_pack_rows_by_id(db, SQL_OWNERS, id, NULL, pk, err)) != RPC_OK)
		return rc;
	if ((rc = pack_plan(db, id, pk, err)) != RPC_OK)
		return rc;
	if ((rc = db_task_pack_focal_point(db, id, pk, err)) != RPC_OK)
		return rc;
	return db_task_pack_pending_amendment(db, id, pk, err);
}
