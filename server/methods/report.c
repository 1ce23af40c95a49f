/*
 * report.c: report.get, a term's figures within the caller's scope on a
 * cut-off date, and its snapshots: report.snapshot keeps a report under a
 * name, report.snapshots lists them (PROTOCOL.md 6i).  report.compare is
 * report_compare.c.  The figures are computed by db_report.c.
 */
#include <string.h>

#include "db_report.h"
#include "db_snapshot.h"
#include "db_term.h"
#include "db_unit.h"
#include "handlers.h"
#include "pack.h"

#define REPORT_LIST_DEFAULT 100 /* tasks in the overdue and stalled lists unless `limit` says */

/* Reads the selection every report takes: term, as_of?, unit?, limit?.
 * The caller calls params_end(), then report_resolve(). */
static void read_filter(struct call *c, struct params *p, struct ref *term, struct ref *unit,
			char as_of[DATE_LEN], struct report_filter *f)
{
	params_ref(p, "term", P_REQUIRED, term);
	if (!params_date(p, "as_of", P_OPTIONAL, as_of))
		memcpy(as_of, c->today, DATE_LEN);
	params_ref(p, "unit", P_OPTIONAL, unit);
	f->limit = REPORT_LIST_DEFAULT;
	params_int(p, "limit", P_OPTIONAL, 1, 1000, &f->limit);
	f->depth = -1;
	params_int(p, "depth", P_OPTIONAL, 0, 100, &f->depth);
	f->as_of = as_of;
	f->scope = c->who->scope;
}

/* Resolves the term and the unit (within the scope: one outside it is
 * not_found) into f. */
static int resolve_filter(struct call *c, const struct ref *term, const struct ref *unit,
			  struct report_filter *f)
{
	int rc;

	if ((rc = db_term_resolve(c->db, "term", term, &f->term, c->err)) != RPC_OK)
		return rc;
	if (REF_GIVEN(*unit))
		return db_unit_resolve_in(c->db, c->who->scope, REACH_SUBTREE, "unit", unit,
					  &f->unit, c->err);
	return RPC_OK;
}

/* Packs report.get's result for f into pk. */
static int pack_report(struct call *c, const struct report_filter *f, msgpack_packer *pk)
{
	int rc;

	msgpack_pack_map(pk, 16);
	pack_kv_str(pk, "as_of", f->as_of);
	pack_str(pk, "term");
	if ((rc = db_term_pack(c->db, f->term, pk, c->err)) != RPC_OK)
		return rc;
	pack_str(pk, "unit");
	if (f->unit) {
		if ((rc = db_unit_pack(c->db, f->unit, f->as_of, false, pk, c->err)) != RPC_OK)
			return rc;
	} else {
		msgpack_pack_nil(pk);
	}
	return db_report(c->db, f, pk, c->err);
}

int report_get(struct call *c)
{
	struct params p;
	struct report_filter f = {0};
	struct ref term, unit;
	char as_of[DATE_LEN];
	int rc;

	call_params(c, &p);
	read_filter(c, &p, &term, &unit, as_of, &f);
	if ((rc = params_end(&p)) != RPC_OK || (rc = resolve_filter(c, &term, &unit, &f)) != RPC_OK)
		return rc;
	return pack_report(c, &f, c->pk);
}

int report_snapshot(struct call *c)
{
	struct params p;
	struct report_filter f = {0};
	struct snapshot_new s = {.filter = &f, .by = c->who->account_id, .now = c->now};
	struct ref term, unit;
	char as_of[DATE_LEN];
	msgpack_sbuffer buf;
	msgpack_packer pk;
	int64_t id;
	int rc;

	call_params(c, &p);
	params_code(&p, "name", P_REQUIRED, &s.name);
	read_filter(c, &p, &term, &unit, as_of, &f);
	if ((rc = params_end(&p)) != RPC_OK || (rc = resolve_filter(c, &term, &unit, &f)) != RPC_OK)
		return rc;
	msgpack_sbuffer_init(&buf);
	msgpack_packer_init(&pk, &buf, msgpack_sbuffer_write);
	rc = pack_report(c, &f, &pk);
	if (rc == RPC_OK) {
		s.result = buf.data;
		s.len = buf.size;
		rc = db_snapshot_create(c->db, &s, &id, c->err);
	}
	msgpack_sbuffer_destroy(&buf);
	return rc == RPC_OK ? db_snapshot_pack(c->db, id, c->pk, c->err) : rc;
}

int report_snapshots(struct call *c)
{
	struct params p;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return db_snapshot_list(c->db, c->who->scope, c->pk, c->err);
}
