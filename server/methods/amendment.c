/*
 * amendment.c: the amendment.* methods.  Once a task is assigned, its
 * substance (title, product, due date) is what the managing body decided;
 * the office (or an admin) proposes a change with a reason, and the
 * managing body (supervision_is_managing) approves it, which writes it into
 * the task, or rejects it.  Until then the task shows the approved
 * version, with the proposal beside it (task.get's pending_amendment), and
 * every amendment keeps the version it replaced (amendment.list).
 */
#include <string.h>

#include "audit.h"
#include "db_amendment.h"
#include "db_task.h"
#include "handlers.h"
#include "supervision.h"
#include "workflow.h"

int amendment_propose(struct call *c)
{
	struct params p;
	struct amendment_input in = {0};
	char due[DATE_LEN];
	int64_t task = 0, pending, id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	params_name(&p, "title", P_OPTIONAL, &in.title);
	params_text(&p, "product", P_OPTIONAL, P_LONG_MAX, true, &in.product);
	if (params_date(&p, "due_date", P_OPTIONAL, due))
		in.due_date = due;
	params_text(&p, "reason", P_REQUIRED, P_LONG_MAX, true, &in.reason);
	if (!params_failed(&p) && !in.title.s && !in.product.s && !in.due_date)
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "give at least one of title, product, due_date: what should change");
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK ||
	    (rc = workflow_may_amend(c, task)) != RPC_OK ||
	    (rc = db_amendment_pending(c->db, task, &pending, c->err)) != RPC_OK)
		return rc;
	if (pending)
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld has amendment %lld pending; it must be approved "
				  "or rejected first",
				  (long long)task, (long long)pending);
	if ((rc = db_amendment_propose(c->db, task, &in, c->who->account_id, c->now, &id,
				       c->err)) != RPC_OK)
		return rc;
	return db_amendment_pack(c->db, id, c->pk, c->err);
}

/* approve and reject: the amendment in scope (not_found as if it did not
 * exist), the caller its task's managing body, the amendment pending. */
static int decide(struct call *c, const char *status, const char *note_key,
		  bool note_required)
{
	struct params p;
	struct text note = {0};
	int64_t id = 0, task;
	bool pending, approve = strcmp(status, "approved") == 0;
	msgpack_sbuffer before;
	int rc;

	call_params(c, &p);
	params_id(&p, "amendment", P_REQUIRED, &id);
	params_text(&p, note_key, note_required ? P_REQUIRED : P_OPTIONAL, P_LONG_MAX,
		    note_required, &note);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_amendment_task(c->db, id, &task, &pending, c->err)) != RPC_OK)
		return rc;
	if ((rc = supervision_record_in_scope(c, "amendment", id, task)) != RPC_OK ||
	    (rc = supervision_is_managing(c, task)) != RPC_OK)
		return rc;
	if (!pending)
		return errors_set(c->err, RPC_CONFLICT,
				  "amendment: amendment %lld is no longer pending", (long long)id);
	if (approve && (rc = workflow_may_amend(c, task)) != RPC_OK)
		return rc; /* the task moved on (reported done, finished) meanwhile */
	/* An approval changes the task too: its own entry, before and after,
	 * so task.history shows each approved version. */
	msgpack_sbuffer_init(&before);
	if ((!approve || (rc = audit_snapshot(c, "task", task, &before)) == RPC_OK) &&
	    (rc = db_amendment_decide(c->db, id, status, note, c->who->account_id, c->today,
				      c->now, c->err)) == RPC_OK &&
	    approve)
		rc = audit_record_also(c, "task", task, &before);
	msgpack_sbuffer_destroy(&before);
	if (rc != RPC_OK)
		return rc;
	return db_amendment_pack(c->db, id, c->pk, c->err);
}

int amendment_approve(struct call *c)
{
	return decide(c, "approved", "note", false);
}

int amendment_reject(struct call *c)
{
	return decide(c, "rejected", "reason", true);
}

int amendment_list(struct call *c)
{
	return task_list_of(c, db_amendment_list);
}
