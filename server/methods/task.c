/*
 * task.c: the task.* methods: validate, resolve references, call
 * db_task_*, pack the task.  A caller with a scope sees the tasks of its
 * scope's subtree, keeps them there, gives them owners it sees, and may
 * name as the assigning (or managing) unit a unit of that subtree or one of
 * its ancestors (PROTOCOL.md 4c).
 */
#include <string.h>

#include "db_audit.h"
#include "db_cadre.h"
#include "db_task.h"
#include "db_task_pack.h"
#include "db_term.h"
#include "db_unit.h"
#include "handlers.h"
#include "workflow.h"

const char *const task_kinds[] = {"breakthrough", "innovation", NULL};
static const char *const task_fields[] = {"socio_economic", "defence_security", "party_building",
					  "livelihood", NULL};
/* The official status and the health on a date (PROTOCOL.md 6f, db_health.h). */
static const char *const task_statuses[] = {"done_on_time", "done_late", "within_deadline",
					    "overdue", "not_assigned", "cancelled",
					    "carried_over", NULL};
static const char *const task_healths[] = {"on_track", "at_risk", "stalled", NULL};

/* The references of task.create and task.update, as sent. */
struct task_refs {
	struct ref owner, unit, term, assigned_by;
};

/* Reads the fields task.create and task.update share into *in and *refs:
 * with `create`, the documented ones are required, else all are optional. */
static void read_fields(struct params *p, bool create, struct task_input *in,
			struct task_refs *refs, char due[DATE_LEN])
{
	int must = create ? P_REQUIRED : P_OPTIONAL, i;

	params_name(p, "title", must, &in->title);
	params_long(p, "description", P_OPTIONAL, &in->description);
	if (params_enum(p, "kind", must, task_kinds, &i))
		in->kind = task_kinds[i];
	if (params_enum(p, "field", must, task_fields, &i))
		in->field = task_fields[i];
	params_ref(p, "owner", must, &refs->owner);
	params_ref(p, "unit", P_OPTIONAL, &refs->unit);
	params_ref(p, "term", must, &refs->term);
	params_ref(p, "assigned_by", P_OPTIONAL, &refs->assigned_by);
	params_long(p, "product", must, &in->product);
	if (params_date(p, "due_date", must, due))
		in->due_date = due;
}

/* Resolves a unit reference of the caller's within `reach` of its scope. */
static int resolve_unit(struct call *c, enum unit_reach reach, const char *field,
			const struct ref *r, int64_t *id)
{
	return db_unit_resolve_in(c->db, c->who->scope, reach, field, r, id, c->err);
}

/* Resolves a cadre reference among the cadres the caller sees. */
static int resolve_cadre(struct call *c, const char *field, const struct ref *r, int64_t *id)
{
	return db_cadre_resolve_in(c->db, c->who->scope, field, r, id, c->err);
}

/* Resolves the references given into ids in *in.  For a caller with a
 * scope, the owner is a cadre it sees and the unit is in its subtree, so a
 * task defaulting to the owner's unit stays in scope too; the defaulted
 * assigned_by (the owner's managing unit) is taken as it is. */
static int resolve_refs(struct call *c, const struct task_refs *refs, struct task_input *in)
{
	int rc = RPC_OK;

	if (REF_GIVEN(refs->owner) &&
	    (rc = resolve_cadre(c, "owner", &refs->owner, &in->owner)) != RPC_OK)
		return rc;
	if (REF_GIVEN(refs->unit) &&
	    (rc = resolve_unit(c, REACH_SUBTREE, "unit", &refs->unit, &in->unit)) != RPC_OK)
		return rc;
	if (REF_GIVEN(refs->term) &&
	    (rc = db_term_resolve(c->db, "term", &refs->term, &in->term, c->err)) != RPC_OK)
		return rc;
	if (REF_GIVEN(refs->assigned_by) &&
	    (rc = resolve_unit(c, REACH_LINE, "assigned_by", &refs->assigned_by,
			       &in->assigned_by)) != RPC_OK)
		return rc;
	return rc;
}

int task_create(struct call *c)
{
	struct params p;
	struct task_input in = {0};
	struct task_refs refs;
	char due[DATE_LEN];
	int64_t id;
	int rc;

	call_params(c, &p);
	read_fields(&p, true, &in, &refs, due);
	if ((rc = params_end(&p)) != RPC_OK || (rc = resolve_refs(c, &refs, &in)) != RPC_OK ||
	    (rc = db_task_create(c->db, &in, c->today, c->now, &id, c->err)) != RPC_OK)
		return rc;
	return db_task_pack(c->db, id, c->today, false, c->pk, c->err);
}

int task_update(struct call *c)
{
	struct params p;
	struct task_input in = {0};
	struct task_refs refs;
	char due[DATE_LEN];
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &id);
	read_fields(&p, false, &in, &refs, due);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (!in.title.s && !in.description.s && !in.kind && !in.field && !REF_GIVEN(refs.owner) &&
	    !REF_GIVEN(refs.unit) && !REF_GIVEN(refs.term) && !REF_GIVEN(refs.assigned_by) &&
	    !in.product.s && !in.due_date)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "give at least one of title, description, kind, field, owner, "
				  "unit, term, assigned_by, product, due_date");
	if ((rc = db_task_check_in(c->db, c->who->scope, "task", id, c->err)) != RPC_OK ||
	    (rc = workflow_may_update(c, id, in.title.s || in.product.s || in.due_date)) != RPC_OK ||
	    (rc = resolve_refs(c, &refs, &in)) != RPC_OK ||
	    (rc = db_task_update(c->db, id, &in, c->today, c->now, c->err)) != RPC_OK)
		return rc;
	return db_task_pack(c->db, id, c->today, false, c->pk, c->err);
}

int task_get(struct call *c)
{
	struct params p;
	char as_of[DATE_LEN];
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &id);
	if (!params_date(&p, "as_of", P_OPTIONAL, as_of))
		memcpy(as_of, c->today, sizeof(as_of));
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", id, c->err)) != RPC_OK)
		return rc;
	return db_task_pack(c->db, id, as_of, true, c->pk, c->err);
}

int task_list_of(struct call *c, task_lister list)
{
	struct params p;
	int64_t task = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK)
		return rc;
	return list(c->db, task, c->pk, c->err);
}

int task_list(struct call *c)
{
	struct params p;
	struct task_filter f = {.overdue = -1};
	struct ref unit, cadre, term, assigned_by, managed_by, managed_under;
	struct page pg;
	char as_of[DATE_LEN];
	bool overdue;
	int i, rc;

	call_params(c, &p);
	params_ref(&p, "unit", P_OPTIONAL, &unit);
	params_ref(&p, "cadre", P_OPTIONAL, &cadre);
	params_ref(&p, "term", P_OPTIONAL, &term);
	if (params_enum(&p, "kind", P_OPTIONAL, task_kinds, &i))
		f.kind = task_kinds[i];
	if (params_enum(&p, "field", P_OPTIONAL, task_fields, &i))
		f.field = task_fields[i];
	params_ref(&p, "assigned_by", P_OPTIONAL, &assigned_by);
	params_ref(&p, "managed_by", P_OPTIONAL, &managed_by);
	params_ref(&p, "managed_under", P_OPTIONAL, &managed_under);
	if (params_enum(&p, "state", P_OPTIONAL, workflow_state_names, &i))
		f.state = workflow_state_names[i];
	if (params_enum(&p, "status", P_OPTIONAL, task_statuses, &i))
		f.status = task_statuses[i];
	if (params_enum(&p, "health", P_OPTIONAL, task_healths, &i))
		f.health = task_healths[i];
	if (params_bool(&p, "overdue", P_OPTIONAL, &overdue))
		f.overdue = overdue ? 1 : 0;
	if (!params_date(&p, "as_of", P_OPTIONAL, as_of))
		memcpy(as_of, c->today, sizeof(as_of));
	f.as_of = as_of;
	params_page(&p, &pg);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if ((REF_GIVEN(unit) &&
	     (rc = resolve_unit(c, REACH_SUBTREE, "unit", &unit, &f.unit)) != RPC_OK) ||
	    (REF_GIVEN(cadre) && (rc = resolve_cadre(c, "cadre", &cadre, &f.cadre)) != RPC_OK) ||
	    (REF_GIVEN(term) &&
	     (rc = db_term_resolve(c->db, "term", &term, &f.term, c->err)) != RPC_OK) ||
	    (REF_GIVEN(assigned_by) &&
	     (rc = resolve_unit(c, REACH_LINE, "assigned_by", &assigned_by, &f.assigned_by)) !=
		     RPC_OK) ||
	    (REF_GIVEN(managed_by) &&
	     (rc = resolve_unit(c, REACH_LINE, "managed_by", &managed_by, &f.managed_by)) !=
		     RPC_OK) ||
	    (REF_GIVEN(managed_under) &&
	     (rc = resolve_unit(c, REACH_LINE, "managed_under", &managed_under,
				&f.managed_under)) != RPC_OK))
		return rc;
	f.scope = c->who->scope;
	return db_task_list(c->db, &f, &pg, c->pk, c->err);
}

int task_page_params(struct call *c, int64_t *task, struct page *pg)
{
	struct params p;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, task);
	params_page(&p, pg);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return db_task_check_in(c->db, c->who->scope, "task", *task, c->err);
}

/* The task's story, from the audit trail. */
int task_history(struct call *c)
{
	struct page pg;
	int64_t task = 0;
	int rc;

	if ((rc = task_page_params(c, &task, &pg)) != RPC_OK)
		return rc;
	/* Where a change came from and with which token: admins only. */
	return db_audit_task(c->db, task, c->who->role == ROLE_ADMIN, &pg, c->pk, c->err);
}
