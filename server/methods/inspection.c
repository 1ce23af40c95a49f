/*
 * inspection.c: inspections (kiểm tra, giám sát).  The focal point, the
 * managing body or an admin (supervision_is_supervising) records an
 * inspection of a task: its date (not in the future), findings,
 * conclusions and the actions it requires, each with a due date not
 * before the inspection.  The office with the task in scope, or the
 * supervisor's side, marks an action done once.  An action not done past
 * its due date is overdue; inspection.actions lists them across the
 * caller's scope (the office's inbox shows them).
 */
#include <stdio.h>
#include <string.h>

#include "db_inspection.h"
#include "db_task.h"
#include "handlers.h"
#include "supervision.h"

#define MAX_ACTIONS 50

/* One required action as read from actions[i]. */
struct action_in {
	struct text what;
	char due[DATE_LEN];
};

/* Reads element i of actions (a map {what, due_date}) into *a; a defect
 * is reported as "actions[i].field: ...". */
static int read_action(struct call *c, const msgpack_object *o, uint32_t i, const char *date,
		       struct action_in *a)
{
	struct params q;
	char msg[32];
	int rc;

	if (o->type != MSGPACK_OBJECT_MAP)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "actions[%u]: must be a map {what, due_date}", (unsigned)i);
	params_init(&q, o, c->err);
	params_name(&q, "what", P_REQUIRED, &a->what);
	params_date(&q, "due_date", P_REQUIRED, a->due);
	if (!params_failed(&q) && strcmp(a->due, date) < 0)
		params_fail(&q, RPC_INVALID_ARGUMENT,
			    "due_date: %s is before the inspection's date %s", a->due, date);
	if ((rc = params_end(&q)) != RPC_OK) {
		snprintf(msg, sizeof(msg), "actions[%u].", (unsigned)i);
		errors_prefix(c->err, msg);
	}
	return rc;
}

int inspection_record(struct call *c)
{
	struct params p;
	struct inspection_input in = {0};
	struct action_in actions[MAX_ACTIONS];
	const msgpack_object *list = NULL;
	char date[DATE_LEN];
	uint32_t n = 0;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &in.task);
	params_date(&p, "date", P_REQUIRED, date);
	params_text(&p, "findings", P_REQUIRED, P_LONG_MAX, true, &in.findings);
	params_text(&p, "conclusions", P_REQUIRED, P_LONG_MAX, true, &in.conclusions);
	params_array(&p, "actions", P_OPTIONAL, MAX_ACTIONS, &list);
	if (!params_failed(&p) && strcmp(date, c->today) > 0)
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "date: %s is in the future (today is %s); record an inspection once "
			    "it took place",
			    date, c->today);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	in.date = date;
	if (list)
		for (n = 0; n < list->via.array.size; n++)
			if ((rc = read_action(c, &list->via.array.ptr[n], n, date, &actions[n])) !=
			    RPC_OK)
				return rc;
	if ((rc = supervision_is_supervising(c, in.task)) != RPC_OK ||
	    (rc = db_inspection_record(c->db, &in, c->who->account_id, c->now, &id, c->err)) !=
		    RPC_OK)
		return rc;
	for (uint32_t i = 0; i < n; i++)
		if ((rc = db_inspection_add_action(c->db, id, actions[i].what, actions[i].due,
						   c->err)) != RPC_OK)
			return rc;
	return db_inspection_pack(c->db, id, c->today, c->pk, c->err);
}

int inspection_list(struct call *c)
{
	struct params p;
	int64_t task = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK)
		return rc;
	return db_inspection_list(c->db, task, c->today, c->pk, c->err);
}

int inspection_action_done(struct call *c)
{
	struct params p;
	struct text note = {0};
	int64_t id = 0, task;
	int rc;

	call_params(c, &p);
	params_id(&p, "action", P_REQUIRED, &id);
	params_long(&p, "note", P_OPTIONAL, &note);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_action_task(c->db, id, &task, c->err)) != RPC_OK ||
	    (rc = supervision_record_in_scope(c, "action", id, task)) != RPC_OK)
		return rc;
	/* The office of the task in scope, or the supervisor's side. */
	if (c->who->role == ROLE_SUPERVISOR &&
	    (rc = supervision_is_supervising(c, task)) != RPC_OK)
		return rc;
	if ((rc = db_action_done(c->db, id, note, c->who->account_id, c->now, c->err)) != RPC_OK)
		return rc;
	return db_action_pack(c->db, id, c->today, c->pk, c->err);
}

int inspection_actions(struct call *c)
{
	return supervision_list_records(c, true, db_action_list);
}
