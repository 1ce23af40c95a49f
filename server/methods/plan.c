/*
 * plan.c: the plan.* methods: the steps of a task, who is responsible for
 * each (a unit, a cadre, or free text for an outside body), when it is due
 * and how far it is.  A caller with a scope reaches the steps of the tasks
 * of its scope's subtree and names responsible units and cadres it sees;
 * anything else answers not_found.  The steps of a task in a final state
 * do not change (workflow_may_plan).  Every change is in the audit trail.
 */
#include "db_cadre.h"
#include "db_plan.h"
#include "db_task.h"
#include "db_unit.h"
#include "handlers.h"
#include "supervision.h"
#include "workflow.h"

/* A bound for `position`; a plan is a list a person reads, not a table. */
#define PLAN_STEPS_MAX 1000

static const char *const step_statuses[] = {"todo", "doing", "done", "dropped", NULL};

/* The responsible as sent: at most one of the three. */
struct step_refs {
	struct ref unit, cadre;
	struct text text;
	bool text_given;
};

/* Reads the fields plan.add and plan.update share into *in and *refs;
 * `what` is required with `create`. */
static void read_fields(struct params *p, bool create, struct step_input *in,
			struct step_refs *refs, char due[DATE_LEN])
{
	int i, n;

	params_name(p, "what", create ? P_REQUIRED : P_OPTIONAL, &in->what);
	params_ref(p, "responsible_unit", P_OPTIONAL, &refs->unit);
	params_ref(p, "responsible_cadre", P_OPTIONAL, &refs->cadre);
	refs->text_given = params_text(p, "responsible_text", P_OPTIONAL, P_NAME_MAX, false,
				       &refs->text);
	if (params_date(p, "due_date", P_OPTIONAL, due))
		in->due_date = due;
	if (params_enum(p, "status", P_OPTIONAL, step_statuses, &i))
		in->status = step_statuses[i];
	params_int(p, "position", P_OPTIONAL, 1, PLAN_STEPS_MAX, &in->position);
	n = REF_GIVEN(refs->unit) + REF_GIVEN(refs->cadre) + refs->text_given;
	if (!params_failed(p) && n > 1)
		params_fail(p, RPC_INVALID_ARGUMENT,
			    "responsible_unit, responsible_cadre, responsible_text: give one of "
			    "them at most");
	in->who_given = n > 0;
}

/* Resolves the responsible named into *in, among what the caller sees. */
static int resolve_refs(struct call *c, const struct step_refs *refs, struct step_input *in)
{
	if (REF_GIVEN(refs->unit))
		return db_unit_resolve_in(c->db, c->who->scope, REACH_SUBTREE, "responsible_unit",
					  &refs->unit, &in->unit, c->err);
	if (REF_GIVEN(refs->cadre))
		return db_cadre_resolve_in(c->db, c->who->scope, "responsible_cadre",
					   &refs->cadre, &in->cadre, c->err);
	if (refs->text_given)
		in->text = refs->text;
	return RPC_OK;
}

/* The task of step id, which the caller must see: a step of a task out of
 * the scope gets the not_found of a step that does not exist. */
static int step_task(struct call *c, int64_t id, int64_t *task)
{
	int rc;

	if ((rc = db_plan_step_task(c->db, id, task, c->err)) != RPC_OK)
		return rc;
	return supervision_record_in_scope(c, "step", id, *task);
}

int plan_add(struct call *c)
{
	struct params p;
	struct step_input in = {0};
	struct step_refs refs = {0};
	char due[DATE_LEN];
	int64_t task = 0, id;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	read_fields(&p, true, &in, &refs, due);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK ||
	    (rc = workflow_may_plan(c, task)) != RPC_OK ||
	    (rc = resolve_refs(c, &refs, &in)) != RPC_OK ||
	    (rc = db_plan_add(c->db, task, &in, c->now, &id, c->err)) != RPC_OK ||
	    (in.position && (rc = db_plan_place(c->db, task, id, in.position, c->now, c->err)) !=
				    RPC_OK))
		return rc;
	return db_plan_pack(c->db, id, c->pk, c->err);
}

int plan_update(struct call *c)
{
	struct params p;
	struct step_input in = {0};
	struct step_refs refs = {0};
	char due[DATE_LEN];
	int64_t id = 0, task;
	int rc;

	call_params(c, &p);
	params_id(&p, "step", P_REQUIRED, &id);
	read_fields(&p, false, &in, &refs, due);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (!in.what.s && !in.who_given && !in.due_date && !in.status && !in.position)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "give at least one of what, responsible_unit, responsible_cadre, "
				  "responsible_text, due_date, status, position");
	if ((rc = step_task(c, id, &task)) != RPC_OK ||
	    (rc = workflow_may_plan(c, task)) != RPC_OK ||
	    (rc = resolve_refs(c, &refs, &in)) != RPC_OK ||
	    (rc = db_plan_update(c->db, id, &in, c->now, c->err)) != RPC_OK ||
	    (in.position && (rc = db_plan_place(c->db, task, id, in.position, c->now, c->err)) !=
				    RPC_OK))
		return rc;
	return db_plan_pack(c->db, id, c->pk, c->err);
}

int plan_remove(struct call *c)
{
	struct params p;
	int64_t id = 0, task;
	int rc;

	call_params(c, &p);
	params_id(&p, "step", P_REQUIRED, &id);
	if ((rc = params_end(&p)) != RPC_OK || (rc = step_task(c, id, &task)) != RPC_OK ||
	    (rc = workflow_may_plan(c, task)) != RPC_OK ||
	    (rc = db_plan_remove(c->db, id, c->now, c->err)) != RPC_OK)
		return rc;
	return db_plan_pack(c->db, id, c->pk, c->err);
}

int plan_list(struct call *c)
{
	return task_list_of(c, db_plan_list);
}
