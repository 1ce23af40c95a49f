/*
 * supervision.c: who may act on a task beyond its office: the managing
 * body (an admin, or a supervisor whose scope holds the unit that
 * assigned the task) and the supervisor of a task (its focal point, an
 * admin, or the managing body); and the scope of the records hanging off
 * tasks (reminders, explanations, inspections, follow-ups) and of their
 * lists.  The task workflow (workflow.c) asks the managing-body rule of
 * its transitions here; nothing here depends on the workflow's states.
 */
#include "supervision.h"

#include <assert.h>

#include "db_reminder.h"
#include "db_task.h"
#include "handlers.h"

int supervision_check_managing(struct call *c, int64_t id, const struct task_status *ts)
{
	bool within = true;
	int rc;

	assert(c->who->role & (ROLE_ADMIN | ROLE_SUPERVISOR));
	if (c->who->role == ROLE_ADMIN || c->who->scope == 0)
		return RPC_OK;
	if ((rc = db_unit_within(c->db, ts->assigned_by, c->who->scope, &within, c->err)) !=
	    RPC_OK)
		return rc;
	if (!within)
		return errors_set(c->err, RPC_FORBIDDEN,
				  "%s: only the managing body may do this: task %lld was "
				  "assigned by a unit outside your scope (or an admin may)",
				  c->method->name, (long long)id);
	return RPC_OK;
}

int supervision_is_managing(struct call *c, int64_t task)
{
	struct task_status ts;
	int rc;

	/* The state plays no part here (the schema's CHECK keeps it one
	 * workflow.c knows): only the unit that assigned the task. */
	if ((rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK ||
	    (rc = db_task_status(c->db, task, &ts, c->err)) != RPC_OK)
		return rc;
	return supervision_check_managing(c, task, &ts);
}

int supervision_is_supervising(struct call *c, int64_t task)
{
	int64_t focal;
	int rc;

	if ((rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK ||
	    (rc = db_task_focal_point(c->db, task, &focal, c->err)) != RPC_OK)
		return rc;
	if (c->who->role == ROLE_ADMIN || (focal && focal == c->who->account_id))
		return RPC_OK;
	rc = supervision_is_managing(c, task);
	if (rc == RPC_FORBIDDEN)
		return errors_set(c->err, RPC_FORBIDDEN,
				  "%s: only the task's focal point or its managing body may do "
				  "this (or an admin may): task %lld",
				  c->method->name, (long long)task);
	return rc;
}

int supervision_record_in_scope(struct call *c, const char *noun, int64_t id, int64_t task)
{
	int rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err);

	if (rc == RPC_NOT_FOUND)
		return errors_set(c->err, RPC_NOT_FOUND, "%s: no %s with id %lld", noun, noun,
				  (long long)id);
	return rc;
}

int supervision_list_records(struct call *c, bool overdue_filter, record_lister list)
{
	struct params p;
	struct record_filter f = {0};
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_OPTIONAL, &f.task);
	params_bool(&p, "open_only", P_OPTIONAL, &f.open_only);
	if (overdue_filter)
		params_bool(&p, "overdue_only", P_OPTIONAL, &f.overdue_only);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (f.task && (rc = db_task_check_in(c->db, c->who->scope, "task", f.task, c->err)) !=
			       RPC_OK))
		return rc;
	f.scope = c->who->scope;
	return list(c->db, &f, c->today, c->pk, c->err);
}
