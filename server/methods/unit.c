/*
 * unit.c: the unit.* methods: validate, call db_unit_*, pack the unit.
 * A caller with a scope names only units of its scope's subtree; the
 * others, its ancestors included, answer not_found (PROTOCOL.md 4c).
 */
#include <string.h>

#include "db_unit.h"
#include "handlers.h"

/* Resolves a unit the caller names as a place: within its scope's subtree. */
static int resolve(struct call *c, const char *field, const struct ref *r, int64_t *id)
{
	return db_unit_resolve_in(c->db, c->who->scope, REACH_SUBTREE, field, r, id, c->err);
}

int unit_create(struct call *c)
{
	struct params p;
	struct unit_input in = {0};
	char from[11];
	int64_t id;
	int rc;

	call_params(c, &p);
	params_code(&p, "code", P_REQUIRED, &in.code);
	params_name(&p, "name", P_REQUIRED, &in.name);
	params_name(&p, "level", P_REQUIRED, &in.level);
	params_ref(&p, "parent", P_OPTIONAL, &in.parent);
	if (params_date(&p, "valid_from", P_OPTIONAL, from)) {
		in.valid_from.s = from;
		in.valid_from.n = 10;
	}
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (c->who->scope) {
		int64_t parent;

		if (!REF_GIVEN(in.parent))
			return errors_set(c->err, RPC_FORBIDDEN,
					  "parent: an account with a scope makes units only inside "
					  "its scope; give a parent there");
		/* Hand on the checked id, so the creation cannot read the ref
		 * another way. */
		if ((rc = resolve(c, "parent", &in.parent, &parent)) != RPC_OK)
			return rc;
		in.parent = (struct ref){.id = parent};
	}
	if ((rc = db_unit_create(c->db, &in, c->now, &id, c->err)) != RPC_OK)
		return rc;
	return db_unit_pack(c->db, id, c->today, false, c->pk, c->err);
}

/* Reads the `unit` field every method but create takes, and resolves it. */
static void read_unit(struct params *p, struct ref *r)
{
	params_ref(p, "unit", P_REQUIRED, r);
}

int unit_rename(struct call *c)
{
	struct params p;
	struct ref r;
	struct text name;
	char date[11];
	int64_t id;
	int rc;

	call_params(c, &p);
	read_unit(&p, &r);
	params_name(&p, "name", P_REQUIRED, &name);
	if (!params_date(&p, "date", P_OPTIONAL, date))
		memcpy(date, c->today, sizeof(date));
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve(c, "unit", &r, &id)) != RPC_OK ||
	    (rc = db_unit_rename(c->db, id, name, date, c->err)) != RPC_OK)
		return rc;
	return db_unit_pack(c->db, id, c->today, false, c->pk, c->err);
}

int unit_move(struct call *c)
{
	struct params p;
	struct ref r, parent;
	int64_t id, parent_id;
	int rc;

	call_params(c, &p);
	read_unit(&p, &r);
	params_ref(&p, "parent", P_REQUIRED, &parent);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve(c, "unit", &r, &id)) != RPC_OK ||
	    (rc = resolve(c, "parent", &parent, &parent_id)) != RPC_OK ||
	    (rc = db_unit_move(c->db, id, parent_id, c->today, c->err)) != RPC_OK)
		return rc;
	return db_unit_pack(c->db, id, c->today, false, c->pk, c->err);
}

int unit_close(struct call *c)
{
	struct params p;
	struct ref r, merged;
	char date[11];
	int64_t id, merged_id = 0;
	int rc;

	call_params(c, &p);
	read_unit(&p, &r);
	params_date(&p, "date", P_REQUIRED, date);
	params_ref(&p, "merged_into", P_OPTIONAL, &merged);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve(c, "unit", &r, &id)) != RPC_OK)
		return rc;
	if (REF_GIVEN(merged) &&
	    (rc = resolve(c, "merged_into", &merged, &merged_id)) != RPC_OK)
		return rc;
	if ((rc = db_unit_close(c->db, id, date, merged_id, c->err)) != RPC_OK)
		return rc;
	return db_unit_pack(c->db, id, date, false, c->pk, c->err);
}

int unit_get(struct call *c)
{
	struct params p;
	struct ref r;
	char as_of[11];
	int64_t id;
	int rc;

	call_params(c, &p);
	read_unit(&p, &r);
	if (!params_date(&p, "as_of", P_OPTIONAL, as_of))
		memcpy(as_of, c->today, sizeof(as_of));
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve(c, "unit", &r, &id)) != RPC_OK)
		return rc;
	return db_unit_pack(c->db, id, as_of, true, c->pk, c->err);
}

int unit_list(struct call *c)
{
	struct params p;
	struct ref root;
	bool include_closed = false;
	char as_of[11];
	int64_t root_id = 0;
	int rc;

	call_params(c, &p);
	params_ref(&p, "root", P_OPTIONAL, &root);
	params_bool(&p, "include_closed", P_OPTIONAL, &include_closed);
	if (!params_date(&p, "as_of", P_OPTIONAL, as_of))
		memcpy(as_of, c->today, sizeof(as_of));
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (REF_GIVEN(root) && (rc = resolve(c, "root", &root, &root_id)) != RPC_OK)
		return rc;
	if (!REF_GIVEN(root))
		root_id = c->who->scope; /* a scoped caller's tree starts at its scope unit */
	return db_unit_list(c->db, root_id, include_closed, as_of, c->pk, c->err);
}
