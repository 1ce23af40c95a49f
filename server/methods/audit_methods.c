/*
 * audit_methods.c: the methods that read the audit trail, audit.list and
 * audit.verify (the central office's alone).  Recording is audit.c's;
 * storage is db_audit.c.
 */
#include <string.h>

#include "anchor.h"
#include "db_account.h"
#include "db_audit.h"
#include "db_task.h"
#include "db_unit.h"
#include "handlers.h"
#include "pack.h"


int audit_list(struct call *c)
{
	struct params p;
	struct audit_filter f = {0};
	struct ref account, unit;
	struct page pg;
	char since[DATE_LEN], until[DATE_LEN];
	int64_t task = 0;
	int rc;

	call_params(c, &p);
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

	call_params(c, &p);
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
