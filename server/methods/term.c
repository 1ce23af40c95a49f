/*
 * term.c: the term.* methods: validate, call db_term_*, pack the term.
 */
#include <string.h>

#include "db_term.h"
#include "handlers.h"

static const char *const term_kinds[] = {"year", "term", NULL};

int term_create(struct call *c)
{
	struct params p;
	struct term_input in = {0};
	char start[DATE_LEN], end[DATE_LEN];
	int kind = 0;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_code(&p, "code", P_REQUIRED, &in.code);
	params_name(&p, "name", P_OPTIONAL, &in.name);
	params_enum(&p, "kind", P_REQUIRED, term_kinds, &kind);
	params_date(&p, "start", P_REQUIRED, start);
	if (params_date(&p, "end", P_REQUIRED, end) && strcmp(end, start) < 0)
		params_fail(&p, RPC_INVALID_ARGUMENT, "end: must not be before start %s, got %s",
			    start, end);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	in.kind = term_kinds[kind];
	in.start = start;
	in.end = end;
	if ((rc = db_term_create(c->db, &in, &id, c->err)) != RPC_OK)
		return rc;
	return db_term_pack(c->db, id, c->pk, c->err);
}

int term_get(struct call *c)
{
	struct params p;
	struct ref r;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_ref(&p, "term", P_REQUIRED, &r);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_term_resolve(c->db, "term", &r, &id, c->err)) != RPC_OK)
		return rc;
	return db_term_pack(c->db, id, c->pk, c->err);
}

int term_list(struct call *c)
{
	struct params p;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return db_term_list(c->db, c->pk, c->err);
}
