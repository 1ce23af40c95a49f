/*
 * reminder.c: a task's focal point and its reminders (đôn đốc).  The focal
 * point is a supervisor (or admin) account whose scope holds the task's
 * unit; the managing body (supervision_is_managing) or an admin names it.  The
 * focal point, the managing body or an admin sends a reminder with a date
 * to answer by; the office with the task in scope (or an admin) answers it
 * once.  reminder.inbox is the caller's side: for an office or viewer the
 * unanswered reminders of its tasks, for a supervisor the unanswered ones
 * it sent; overdue ones (answer_by before today) first and flagged.
 */
#include <stdio.h>

#include "db_account.h"
#include "db_reminder.h"
#include "db_task.h"
#include "db_task_pack.h"
#include "handlers.h"
#include "notice.h"
#include "supervision.h"
#include "utf8.h"

/* For a caller other than an admin, every account that cannot be the
 * task's focal point (missing, disabled, not a supervisor, a scope that
 * misses the task's unit) gets one answer, so that a supervisor cannot
 * learn through this method which logins exist, their ids or roles.
 * Errors of the database (rc other than not_found and invalid_argument)
 * go back as they are. */
static int not_a_focal_point(struct call *c, const struct ref *r, int64_t task, int rc)
{
	char echo[96];

	if (rc != RPC_NOT_FOUND && rc != RPC_INVALID_ARGUMENT)
		return rc;
	if (r->code.s)
		utf8_escaped(r->code.s, r->code.n, echo, sizeof(echo));
	else
		snprintf(echo, sizeof(echo), "%lld", (long long)r->id);
	return errors_set(c->err, RPC_NOT_FOUND,
			  "account: no active supervisor or admin '%s' whose scope holds the unit "
			  "of task %lld",
			  echo, (long long)task);
}

int task_set_focal_point(struct call *c)
{
	struct params p;
	struct ref r = {0};
	int64_t task = 0, account = 0;
	bool given, clear = false;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	given = params_ref(&p, "account", P_OPTIONAL, &r);
	params_bool(&p, "clear", P_OPTIONAL, &clear);
	if (!params_failed(&p) && given == clear)
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "give either account (the new focal point) or clear: true (none)");
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = supervision_is_managing(c, task)) != RPC_OK)
		return rc;
	if (given && ((rc = db_account_resolve(c->db, "account", &r, &account, c->err)) != RPC_OK ||
		      (rc = db_focal_point_check(c->db, task, account, c->err)) != RPC_OK))
		return c->who->role == ROLE_ADMIN ? rc : not_a_focal_point(c, &r, task, rc);
	if ((rc = db_task_set_focal_point(c->db, task, account, c->now, c->err)) != RPC_OK)
		return rc;
	return db_task_pack(c->db, task, c->today, true, c->pk, c->err);
}

int reminder_send(struct call *c)
{
	struct params p;
	struct text message = {0};
	char by[DATE_LEN];
	int64_t task = 0, id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	params_text(&p, "message", P_REQUIRED, P_LONG_MAX, true, &message);
	params_date_not_past(&p, "answer_by", P_REQUIRED, c->today, by);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = supervision_is_supervising(c, task)) != RPC_OK ||
	    (rc = db_reminder_send(c->db, task, c->who->account_id, message, by, c->now, &id,
				   c->err)) != RPC_OK ||
	    (rc = notice_enqueue(c->db, "reminder", id, task, c->today, c->now, c->err)) != RPC_OK)
		return rc;
	return db_reminder_pack(c->db, id, c->today, c->pk, c->err);
}

int reminder_answer(struct call *c)
{
	struct params p;
	struct text answer = {0};
	int64_t id = 0, task;
	bool answered;
	int rc;

	call_params(c, &p);
	params_id(&p, "reminder", P_REQUIRED, &id);
	params_text(&p, "answer", P_REQUIRED, P_LONG_MAX, true, &answer);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_reminder_task(c->db, id, &task, &answered, c->err)) != RPC_OK ||
	    (rc = supervision_record_in_scope(c, "reminder", id, task)) != RPC_OK)
		return rc;
	if (answered)
		return errors_set(c->err, RPC_CONFLICT,
				  "reminder: reminder %lld is already answered", (long long)id);
	if ((rc = db_reminder_answer(c->db, id, answer, c->who->account_id, c->now, c->err)) !=
	    RPC_OK)
		return rc;
	return db_reminder_pack(c->db, id, c->today, c->pk, c->err);
}

int reminder_list(struct call *c)
{
	return supervision_list_records(c, true, db_reminder_list);
}

int reminder_inbox(struct call *c)
{
	struct params p;
	struct record_filter f = {0};
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	f.scope = c->who->scope;
	f.open_only = true;
	f.inbox_order = true;
	if (c->who->role == ROLE_SUPERVISOR)
		f.from = c->who->account_id;
	return db_reminder_list(c->db, &f, c->today, c->pk, c->err);
}
