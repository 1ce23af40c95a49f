/*
 * audit.c: the audit trail's side of a request.  It owns the table saying
 * what each write method changes, the dispatcher's hooks that record every
 * successful write (see audit.h), and the methods that read the trail:
 * audit.list, audit.verify and task.history.  Storage is db_audit.c.
 */
#include "audit.h"

#include <string.h>

#include "anchor.h"
#include "handlers.h"
#include "obj.h"
#include "pack.h"

/* Every write method of the catalogue, with the noun of the object it
 * changes and the params field naming that object when it exists already
 * (NULL: the method creates it).  audit_check_table() and the tests hold
 * this table to the catalogue. */
static const struct audit_object objects[] = {
	{"account.create", "account", NULL},
	{"account.update", "account", "account"},
	{"token.create", "token", NULL},
	{"token.rotate", "token", "token"},  /* before: the old token; after: the new one */
	{"token.revoke", "token", "token"},
	{"unit.create", "unit", NULL},
	{"unit.rename", "unit", "unit"},
	{"unit.move", "unit", "unit"},
	{"unit.close", "unit", "unit"},
	{"cadre.create", "cadre", NULL},
	{"cadre.update", "cadre", "cadre"},
	{"cadre.transfer", "cadre", "cadre"},
	{"term.create", "term", NULL},
	{"task.create", "task", NULL},
	{"task.update", "task", "task"},
	{"task.review", "task", "task"},
	{"task.return", "task", "task"},
	{"task.resubmit", "task", "task"},
	{"task.assign", "task", "task"},
	{"task.start", "task", "task"},
	{"task.report_done", "task", "task"},
	{"task.accept", "task", "task"},
	{"task.send_back", "task", "task"},
	{"task.cancel", "task", "task"},
	{"task.carry_over", "task", "task"}, /* after: carried_to names the copy */
	{"update.create", "update", NULL},
	{"plan.add", "step", NULL},
	{"plan.update", "step", "step"},
	{"plan.remove", "step", "step"}, /* after: removed_at is set */
	{"task.set_focal_point", "task", "task"},
	{"reminder.send", "reminder", NULL},
	{"reminder.answer", "reminder", "reminder"},
	{"amendment.propose", "amendment", NULL},
	{"amendment.approve", "amendment", "amendment"}, /* and the task it changed */
	{"amendment.reject", "amendment", "amendment"},
	/* the supervisor's records */
	{"update.accept", "update", "update"},   /* after: the appraisal is set */
	{"update.return", "update", "update"},
	{"explanation.request", "explanation", NULL},
	{"explanation.answer", "explanation", "explanation"},
	{"inspection.record", "inspection", NULL}, /* after: with its actions */
	{"inspection.action_done", "action", "action"},
	{"followup.schedule", "followup", NULL},
	{"followup.record", "followup", "followup"},
	/* evidence files: the transfer is recorded on the upload (its
	 * metadata, never the bytes), the result on the file */
	{"file.upload_begin", "upload", NULL},  /* also when it resumes an open upload */
	{"file.upload_chunk", "upload", "upload"},
	{"file.upload_finish", "file", NULL},
	{"file.upload_abort", "upload", "upload"},
	{"file.withdraw", "file", "file"},      /* after: withdrawn, by whom, why */
	/* import and export: the import's log row; each object it changes
	 * has its own entry under the method the row went through */
	{"import.run", "import", NULL},
	/* reports: the snapshot's metadata, never the report it keeps */
	{"report.snapshot", "snapshot", NULL},
	/* the throttle of failed sign-ins (memory_nouns) */
	{"throttle.clear", "throttle", NULL},
};

/* The nouns of objects that live in the daemon's memory, not in the
 * database: their entry has no object id, no `before`, and the method's
 * result as its `after` (what was cleared, and how many). */
static const char *const memory_nouns[] = {"throttle", NULL};

static bool in_memory(const struct audit_object *obj)
{
	for (const char *const *n = memory_nouns; *n; n++)
		if (strcmp(obj->noun, *n) == 0)
			return true;
	return false;
}

#define NOBJECTS (sizeof(objects) / sizeof(objects[0]))

const struct audit_object *audit_object_of(const char *method)
{
	for (size_t i = 0; i < NOBJECTS; i++)
		if (strcmp(objects[i].method, method) == 0)
			return &objects[i];
	return NULL;
}

const char *audit_check_table(void)
{
	for (const struct method_info *m = methods_catalogue; m->name; m++)
		if ((m->flags & METHOD_WRITE) && !audit_object_of(m->name))
			return m->name;
	for (size_t i = 0; i < NOBJECTS; i++) {
		const struct method_info *m =
			methods_find(objects[i].method, strlen(objects[i].method));

		if (!m || !(m->flags & METHOD_WRITE))
			return objects[i].method;
	}
	return NULL;
}

/* ---- the dispatcher's hooks ---- */

int audit_prepare(struct call *c, const struct method_info *info, struct audit_pending *ap)
{
	struct rpc_error quiet = {0};
	struct params p;
	struct ref r;
	msgpack_packer pk;
	int64_t id;
	int rc;

	ap->info = info;
	ap->obj = NULL;
	msgpack_sbuffer_init(&ap->before);
	if (!(info->flags & METHOD_WRITE))
		return RPC_OK;
	if (!(ap->obj = audit_object_of(info->name)))
		return errors_set(c->err, RPC_INTERNAL,
				  "%s: the audit trail does not know what this method changes; "
				  "nothing was saved",
				  info->name);
	if (!ap->obj->ref_field)
		return RPC_OK;

	/* A field that is missing, malformed or names nothing is the
	 * handler's to report: record nothing and let it run. */
	params_init(&p, c->params, &quiet);
	if (!params_ref(&p, ap->obj->ref_field, P_OPTIONAL, &r))
		return RPC_OK;
	msgpack_packer_init(&pk, &ap->before, msgpack_sbuffer_write);
	rc = db_audit_resolve(c->db, ap->obj->noun, ap->obj->ref_field, &r, &id, &quiet);
	if (rc == RPC_OK)
		rc = db_audit_pack_object(c->db, ap->obj->noun, id, c->today, &pk, &quiet);
	if (rc != RPC_OK)
		msgpack_sbuffer_clear(&ap->before);
	if (rc == RPC_NOT_FOUND || rc == RPC_INVALID_ARGUMENT)
		return RPC_OK;
	if (rc != RPC_OK)
		*c->err = quiet;
	return rc;
}

/* The "id" of a handler's result map: the object it created or changed. */
static int64_t result_id(const char *result, size_t len)
{
	msgpack_unpacked u;
	size_t off = 0;
	int64_t id = 0;

	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, result, len, &off) == MSGPACK_UNPACK_SUCCESS &&
	    !obj_int(obj_get(&u.data, "id"), &id))
		id = 0;
	msgpack_unpacked_destroy(&u);
	return id;
}

/* The caller, and the when and what of an entry of theirs. */
static void entry_of(const struct call *c, const char *method, const char *noun,
		     struct audit_actor *by, struct audit_change *ch)
{
	by->account_id = c->who->account_id;
	by->login = c->who->login;
	by->token_name = c->who->token_name;
	by->address = c->who->address;
	ch->at = c->now;
	ch->as_of = c->today;
	ch->method = method;
	ch->object_type = noun;
}

int audit_record(struct call *c, struct audit_pending *ap, const char *result, size_t len)
{
	struct audit_actor by;
	struct audit_change ch = {0};

	if (!ap->info || !(ap->info->flags & METHOD_WRITE))
		return RPC_OK;
	if (!ap->obj) /* audit_prepare refused it already; never reached */
		return errors_set(c->err, RPC_INTERNAL, "%s: not recorded", ap->info->name);
	entry_of(c, ap->info->name, ap->obj->noun, &by, &ch);
	if (in_memory(ap->obj)) {
		ch.after = result;
		ch.after_len = len;
		return db_audit_record(c->db, &by, &ch, c->err);
	}
	if ((ch.object_id = result_id(result, len)) <= 0)
		return errors_set(c->err, RPC_INTERNAL,
				  "%s: its result names no object for the audit trail; nothing was saved",
				  ap->info->name);
	if (ap->before.size) {
		ch.before = ap->before.data;
		ch.before_len = ap->before.size;
	}
	return db_audit_record(c->db, &by, &ch, c->err);
}

int audit_snapshot(struct call *c, const char *noun, int64_t id, msgpack_sbuffer *out)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	return db_audit_pack_object(c->db, noun, id, c->today, &pk, c->err);
}

int audit_record_also(struct call *c, const char *method, const char *noun, int64_t id,
		      const msgpack_sbuffer *before)
{
	struct audit_actor by;
	struct audit_change ch = {0};

	entry_of(c, method, noun, &by, &ch);
	ch.object_id = id;
	if (before && before->size) {
		ch.before = before->data;
		ch.before_len = before->size;
	}
	return db_audit_record(c->db, &by, &ch, c->err);
}

void audit_done(struct audit_pending *ap)
{
	msgpack_sbuffer_destroy(&ap->before);
	ap->obj = NULL;
	ap->info = NULL;
}

/* ---- the methods ---- */

int audit_list(struct call *c)
{
	struct params p;
	struct audit_filter f = {0};
	struct ref account, unit;
	struct page pg;
	char since[DATE_LEN], until[DATE_LEN];
	int64_t task = 0;
	int rc;

	dispatch_params(c, &p);
	if (params_date(&p, "since", P_OPTIONAL, since))
		f.since = since;
	if (params_date(&p, "until", P_OPTIONAL, until))
		f.until = until;
	params_ref(&p, "account", P_OPTIONAL, &account);
	params_ref(&p, "unit", P_OPTIONAL, &unit);
	params_id(&p, "task", P_OPTIONAL, &task);
	params_page(&p, &pg);
	if (!params_failed(&p) && f.since && f.until && strcmp(f.until, f.since) < 0)
		params_fail(&p, RPC_INVALID_ARGUMENT, "until: must not be before since %s, got %s",
			    f.since, f.until);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if ((REF_GIVEN(account) &&
	     (rc = db_account_resolve(c->db, "account", &account, &f.account, c->err)) != RPC_OK) ||
	    (REF_GIVEN(unit) && (rc = db_unit_resolve(c->db, "unit", &unit, &f.unit, c->err)) != RPC_OK) ||
	    (task && (rc = db_task_check(c->db, "task", task, c->err)) != RPC_OK))
		return rc;
	f.task = task;
	return db_audit_list(c->db, &f, &pg, c->pk, c->err);
}

int audit_verify(struct call *c)
{
	struct params p;
	struct audit_verdict v;
	struct audit_anchor anchor;
	struct text given;
	bool anchored = false;
	char hex[65];
	int rc;

	dispatch_params(c, &p);
	if (params_text(&p, "anchor", P_OPTIONAL, 200, true, &given)) {
		if (anchor_parse_ref(given.s, given.n, &anchor) < 0)
			params_fail(&p, RPC_INVALID_ARGUMENT,
				    "anchor: expected ID:HASH or HASH, the hash as 64 hex digits");
		anchored = true;
	}
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_audit_verify(c->db, &anchor, anchored ? 1 : 0, &v, c->err)) != RPC_OK)
		return rc;
	msgpack_pack_map(c->pk, 7);
	pack_kv_bool(c->pk, "ok", v.ok);
	pack_kv_int(c->pk, "entries", v.entries);
	if (v.first_broken)
		pack_kv_int(c->pk, "first_broken", v.first_broken);
	else
		pack_kv_nil(c->pk, "first_broken");
	pack_kv_str(c->pk, "problem", v.ok ? NULL : v.problem);
	if (v.head) {
		anchor_hex(v.head_hash, hex);
		pack_kv_int(c->pk, "head", v.head);
		pack_kv_str(c->pk, "head_hash", hex);
	} else {
		pack_kv_nil(c->pk, "head");
		pack_kv_nil(c->pk, "head_hash");
	}
	pack_kv_int(c->pk, "anchors", v.anchors);
	return RPC_OK;
}

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
