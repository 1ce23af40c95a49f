/*
 * followup.c: follow-up checks (dứt điểm).  On an accepted task the focal
 * point, the managing body or an admin (supervision_is_supervising) schedules
 * a check some months later that the problem has not come back, and
 * records its result once: "holds" or "relapsed".  followup.list counts
 * them (scheduled, held, relapsed, open, due) for reports.
 */
#include "db_followup.h"
#include "handlers.h"
#include "supervision.h"
#include "workflow.h"

static const char *const results[] = {"holds", "relapsed", NULL};

int followup_schedule(struct call *c)
{
	struct params p;
	struct text what = {0};
	char due[DATE_LEN];
	enum task_state s;
	int64_t task = 0, id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	params_date_not_past(&p, "due_date", P_REQUIRED, c->today, due);
	params_long(&p, "what", P_OPTIONAL, &what);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = supervision_is_supervising(c, task)) != RPC_OK ||
	    (rc = workflow_state(c, task, &s)) != RPC_OK)
		return rc;
	if (s != TS_ACCEPTED)
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; a follow-up check is scheduled only on "
				  "an accepted task",
				  (long long)task, workflow_state_name(s));
	if ((rc = db_followup_schedule(c->db, task, due, what, c->who->account_id, c->now, &id,
				       c->err)) != RPC_OK)
		return rc;
	return db_followup_pack(c->db, id, c->today, c->pk, c->err);
}

int followup_record(struct call *c)
{
	struct params p;
	struct text note = {0};
	int64_t id = 0, task;
	int i = 0, rc;

	call_params(c, &p);
	params_id(&p, "followup", P_REQUIRED, &id);
	params_enum(&p, "result", P_REQUIRED, results, &i);
	params_text(&p, "note", P_REQUIRED, P_LONG_MAX, true, &note);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_followup_task(c->db, id, &task, c->err)) != RPC_OK ||
	    (rc = supervision_record_in_scope(c, "followup", id, task)) != RPC_OK ||
	    (rc = supervision_is_supervising(c, task)) != RPC_OK ||
	    (rc = db_followup_record(c->db, id, results[i], note, c->who->account_id, c->now,
				     c->err)) != RPC_OK)
		return rc;
	return db_followup_pack(c->db, id, c->today, c->pk, c->err);
}

int followup_list(struct call *c)
{
	return supervision_list_records(c, false, db_followup_list);
}
