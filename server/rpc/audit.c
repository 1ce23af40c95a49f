/*
 * audit.c: the audit trail's side of a request: the dispatcher's hooks
 * that record every successful write (see audit.h), from what the method
 * table says each write changes.  The methods that read the trail are in
 * audit_methods.c (and task.history in task.c); storage is db_audit.c.
 */
#include "audit.h"

#include "db_audit.h"
#include "obj.h"

const char *audit_check_table(void)
{
	for (const struct method_info *m = methods_catalogue; m->name; m++)
		if (!(m->flags & METHOD_WRITE) != !m->noun ||
		    (m->noun && !(m->flags & METHOD_IN_MEMORY) && !db_audit_knows(m->noun)))
			return m->name;
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
	msgpack_sbuffer_init(&ap->before);
	if (!(info->flags & METHOD_WRITE))
		return RPC_OK;
	if (!info->noun)
		return errors_set(c->err, RPC_INTERNAL,
				  "%s: the audit trail does not know what this method changes; "
				  "nothing was saved",
				  info->name);
	if (!info->ref || (info->flags & METHOD_IN_MEMORY))
		return RPC_OK;

	/* A field that is missing, malformed or names nothing is the
	 * handler's to report: record nothing and let it run. */
	params_init(&p, c->params, &quiet);
	if (!params_ref(&p, info->ref, P_OPTIONAL, &r))
		return RPC_OK;
	msgpack_packer_init(&pk, &ap->before, msgpack_sbuffer_write);
	rc = db_audit_resolve(c->db, info->noun, info->ref, &r, &id, &quiet);
	if (rc == RPC_OK)
		rc = db_audit_pack_object(c->db, info->noun, id, c->today, &pk, &quiet);
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
	entry_of(c, ap->info->name, ap->info->noun, &by, &ch);
	/* An object of the daemon's memory (the throttle) has no id and no
	 * `before`: the method's result (what was cleared) is the entry. */
	if (ap->info->flags & METHOD_IN_MEMORY) {
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

int audit_record_also(struct call *c, const char *noun, int64_t id, const msgpack_sbuffer *before)
{
	struct audit_actor by;
	struct audit_change ch = {0};

	entry_of(c, c->method->name, noun, &by, &ch);
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
	ap->info = NULL;
}
