/*
 * cadre.c: the cadre.* methods: validate, resolve references, call
 * db_cadre_*, pack the cadre.  A caller with a scope sees the cadres posted
 * now in its scope's subtree, posts them only there, and may name as their
 * managing unit a unit of that subtree or one of its ancestors
 * (PROTOCOL.md 4c).
 */
#include <string.h>

#include "db_cadre.h"
#include "db_unit.h"
#include "handlers.h"

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

int cadre_create(struct call *c)
{
	struct params p;
	struct cadre_input in = {0};
	struct ref unit, managing;
	char since[DATE_LEN];
	int64_t id;
	int rc;

	call_params(c, &p);
	params_code(&p, "code", P_REQUIRED, &in.code);
	params_name(&p, "full_name", P_REQUIRED, &in.full_name);
	params_name(&p, "title", P_REQUIRED, &in.title);
	params_ref(&p, "unit", P_REQUIRED, &unit);
	params_ref(&p, "managing_unit", P_REQUIRED, &managing);
	if (!params_date(&p, "since", P_OPTIONAL, since))
		memcpy(since, c->today, sizeof(since));
	in.since = since;
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve_unit(c, REACH_SUBTREE, "unit", &unit, &in.unit_id)) != RPC_OK ||
	    (rc = resolve_unit(c, REACH_LINE, "managing_unit", &managing,
			       &in.managing_unit_id)) != RPC_OK ||
	    (rc = db_cadre_create(c->db, &in, c->now, &id, c->err)) != RPC_OK)
		return rc;
	return db_cadre_pack(c->db, id, c->today, false, c->pk, c->err);
}

int cadre_update(struct call *c)
{
	struct params p;
	struct cadre_change ch = {0};
	struct ref r, managing;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_ref(&p, "cadre", P_REQUIRED, &r);
	params_name(&p, "full_name", P_OPTIONAL, &ch.full_name);
	params_name(&p, "title", P_OPTIONAL, &ch.title);
	params_ref(&p, "managing_unit", P_OPTIONAL, &managing);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (!ch.full_name.s && !ch.title.s && !REF_GIVEN(managing))
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "give at least one of full_name, title, managing_unit");
	if ((rc = resolve_cadre(c, "cadre", &r, &id)) != RPC_OK)
		return rc;
	if (REF_GIVEN(managing) &&
	    (rc = resolve_unit(c, REACH_LINE, "managing_unit", &managing,
			       &ch.managing_unit_id)) != RPC_OK)
		return rc;
	if ((rc = db_cadre_update(c->db, id, &ch, c->now, c->err)) != RPC_OK)
		return rc;
	return db_cadre_pack(c->db, id, c->today, false, c->pk, c->err);
}

int cadre_transfer(struct call *c)
{
	struct params p;
	struct ref r, unit;
	struct text title;
	char date[DATE_LEN];
	int64_t id, unit_id;
	int rc;

	call_params(c, &p);
	params_ref(&p, "cadre", P_REQUIRED, &r);
	params_ref(&p, "unit", P_REQUIRED, &unit);
	params_name(&p, "title", P_OPTIONAL, &title);
	params_date(&p, "date", P_REQUIRED, date);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve_cadre(c, "cadre", &r, &id)) != RPC_OK ||
	    (rc = resolve_unit(c, REACH_SUBTREE, "unit", &unit, &unit_id)) != RPC_OK ||
	    (rc = db_cadre_transfer(c->db, id, unit_id, title, date, c->now, c->err)) != RPC_OK)
		return rc;
	return db_cadre_pack(c->db, id, c->today, false, c->pk, c->err);
}

int cadre_get(struct call *c)
{
	struct params p;
	struct ref r;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_ref(&p, "cadre", P_REQUIRED, &r);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = resolve_cadre(c, "cadre", &r, &id)) != RPC_OK)
		return rc;
	return db_cadre_pack_in(c->db, c->who->scope, id, c->today, true, c->pk, c->err);
}

int cadre_list(struct call *c)
{
	struct params p;
	struct ref unit, managed_by;
	struct cadre_filter f = {0};
	struct page pg;
	int rc;

	call_params(c, &p);
	params_ref(&p, "unit", P_OPTIONAL, &unit);
	params_ref(&p, "managed_by", P_OPTIONAL, &managed_by);
	params_page(&p, &pg);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	if (REF_GIVEN(unit) &&
	    (rc = resolve_unit(c, REACH_SUBTREE, "unit", &unit, &f.unit)) != RPC_OK)
		return rc;
	if (REF_GIVEN(managed_by) &&
	    (rc = resolve_unit(c, REACH_LINE, "managed_by", &managed_by, &f.managed_by)) != RPC_OK)
		return rc;
	f.scope = c->who->scope;
	return db_cadre_list(c->db, &f, &pg, c->today, c->pk, c->err);
}
