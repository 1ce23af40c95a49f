/*
 * appraisal.c: the focal point's appraisal (thẩm định) of progress
 * updates: update.accept and update.return.  The supervisor's rule decides
 * who (supervision_is_supervising); an update is appraised once, and only
 * while its task is not finished.  A returned update no longer counts: the
 * task's percent, last_update_at and update count fall back to the newest
 * update still counted (db_update_recount), which is what every reader of
 * the task row (lists, plans, health) relies on.
 */
#include <string.h>

#include "db_appraisal.h"
#include "db_update.h"
#include "handlers.h"
#include "supervision.h"
#include "workflow.h"

/* Appraises update id with `verdict` (for c->method); packs the update. */
static int appraise(struct call *c, const char *verdict, int64_t id,
		    struct text reason)
{
	char was[16];
	enum task_state s;
	int64_t task;
	int rc;

	if ((rc = db_appraisal_of(c->db, id, &task, was, sizeof(was), c->err)) != RPC_OK ||
	    (rc = supervision_record_in_scope(c, "update", id, task)) != RPC_OK ||
	    (rc = supervision_is_supervising(c, task)) != RPC_OK ||
	    (rc = workflow_state(c, task, &s)) != RPC_OK)
		return rc;
	if (was[0])
		return errors_set(c->err, RPC_CONFLICT, "update: update %lld is already %s",
				  (long long)id, was);
	if (workflow_is_final(s))
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; the updates of a finished task are not "
				  "appraised",
				  (long long)task, workflow_state_name(s));
	if ((rc = db_appraisal_record(c->db, id, verdict, reason, c->who->account_id, c->now,
				      c->err)) != RPC_OK)
		return rc;
	if (strcmp(verdict, "returned") == 0 &&
	    (rc = db_update_recount(c->db, task, c->now, c->err)) != RPC_OK)
		return rc;
	return db_update_pack(c->db, id, c->pk, c->err);
}

int update_accept(struct call *c)
{
	struct params p;
	struct text comment = {0};
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "update", P_REQUIRED, &id);
	params_long(&p, "comment", P_OPTIONAL, &comment);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return appraise(c, "accepted", id, comment);
}

int update_return(struct call *c)
{
	struct params p;
	struct text reason = {0};
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "update", P_REQUIRED, &id);
	params_text(&p, "reason", P_REQUIRED, P_LONG_MAX, true, &reason);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return appraise(c, "returned", id, reason);
}
