/*
 * explanation.c: explanation requests (yêu cầu giải trình).  The focal
 * point, the managing body or an admin (supervision_is_supervising) asks the
 * office of a late or stalled task to explain, with a date to answer by;
 * the office with the task in scope (or an admin) answers once.  Lists are
 * scoped; an open request past its answer_by is flagged overdue, and the
 * open ones come overdue first, as an inbox reads.
 */
#include "db_explanation.h"
#include "handlers.h"
#include "notice.h"
#include "supervision.h"

int explanation_request(struct call *c)
{
	struct params p;
	struct text question = {0};
	char by[DATE_LEN];
	int64_t task = 0, id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	params_text(&p, "question", P_REQUIRED, P_LONG_MAX, true, &question);
	params_date_not_past(&p, "answer_by", P_REQUIRED, c->today, by);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = supervision_is_supervising(c, task)) != RPC_OK ||
	    (rc = db_explanation_request(c->db, task, c->who->account_id, question, by, c->now,
					 &id, c->err)) != RPC_OK ||
	    (rc = notice_enqueue(c->db, "explanation", id, task, c->today, c->now, c->err)) !=
		    RPC_OK)
		return rc;
	return db_explanation_pack(c->db, id, c->today, c->pk, c->err);
}

int explanation_answer(struct call *c)
{
	struct params p;
	struct text answer = {0};
	int64_t id = 0, task;
	int rc;

	call_params(c, &p);
	params_id(&p, "explanation", P_REQUIRED, &id);
	params_text(&p, "answer", P_REQUIRED, P_LONG_MAX, true, &answer);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_explanation_task(c->db, id, &task, c->err)) != RPC_OK ||
	    (rc = supervision_record_in_scope(c, "explanation", id, task)) != RPC_OK ||
	    (rc = db_explanation_answer(c->db, id, answer, c->who->account_id, c->now,
					c->err)) != RPC_OK)
		return rc;
	return db_explanation_pack(c->db, id, c->today, c->pk, c->err);
}

int explanation_list(struct call *c)
{
	return supervision_list_records(c, false, db_explanation_list);
}
