/*
 * update.c: the update.* methods: report progress on a task and read the
 * reports back, oldest first.  A caller with a scope reaches only the tasks
 * of its scope's subtree; any other answers not_found.  Progress is
 * reported on a task assigned or in progress; the first report starts an
 * assigned task (workflow_before_progress).
 */
#include "db_task.h"
#include "db_update.h"
#include "handlers.h"
#include "workflow.h"

int update_create(struct call *c)
{
	struct params p;
	struct update_input in = {0};
	int64_t id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &in.task);
	params_int(&p, "percent", P_REQUIRED, 0, 100, &in.percent);
	params_text(&p, "done", P_REQUIRED, P_LONG_MAX, true, &in.done);
	params_long(&p, "difficulties", P_OPTIONAL, &in.difficulties);
	params_long(&p, "proposals", P_OPTIONAL, &in.proposals);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", in.task, c->err)) != RPC_OK ||
	    (rc = workflow_before_progress(c, in.task)) != RPC_OK ||
	    (rc = db_update_create(c->db, &in, c->now, &id, c->err)) != RPC_OK)
		return rc;
	return db_update_pack(c->db, id, c->pk, c->err);
}

int update_list(struct call *c)
{
	struct page pg;
	int64_t task = 0;
	int rc;

	if ((rc = task_page_params(c, &task, &pg)) != RPC_OK)
		return rc;
	return db_update_list(c->db, task, &pg, c->pk, c->err);
}
