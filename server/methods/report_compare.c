/*
 * report_compare.c: report.compare, what moved between two snapshots
 * (PROTOCOL.md 6i): the summary's figures and each unit's official
 * figures, before (snapshot a), after (b) and the difference.  It reads
 * the reports as they were frozen, never the tasks as they are now.
 */
#include <stdlib.h>
#include <string.h>

#include "db_snapshot.h"
#include "handlers.h"
#include "obj.h"
#include "pack.h"

/* The summary's figures compared, in report.get's order. */
static const char *const summary_keys[] = {
	"total",	"cadres",	"assigned", "done_on_time", "done_late",
	"within_deadline", "overdue",	"not_assigned", "cancelled", "carried_over",
	"on_track",	"at_risk",	"stalled",
};

/* Each unit's figures compared: the official table's, and stalled. */
static const char *const unit_keys[] = {
	"assigned", "done_on_time", "done_late", "within_deadline", "overdue", "stalled",
};

#define NSUMMARY (sizeof(summary_keys) / sizeof(summary_keys[0]))
#define NUNIT (sizeof(unit_keys) / sizeof(unit_keys[0]))

/* A unit's row in a snapshot, by id. */
struct unit_ref {
	int64_t id;
	const msgpack_object *row;
};

/* One snapshot: its id and its report, unpacked. */
struct frozen {
	int64_t id;
	char *data;             /* the stored bytes, owned */
	msgpack_unpacked u;     /* points into data */
	const msgpack_object *summary, *units;
	struct unit_ref *by_id; /* owned: units sorted by id, for unit_row */
};

static int64_t int_of(const msgpack_object *map, const char *key)
{
	int64_t v = 0;

	return map && obj_int(obj_get(map, key), &v) ? v : 0;
}

static int by_id(const void *x, const void *y)
{
	const struct unit_ref *a = x, *b = y;

	return (a->id > b->id) - (a->id < b->id);
}

static int load(struct call *c, int64_t id, struct frozen *f)
{
	size_t len, off = 0;
	uint32_t n;
	int rc;

	f->id = id;
	msgpack_unpacked_init(&f->u);
	if ((rc = db_snapshot_result(c->db, id, &f->data, &len, c->err)) != RPC_OK)
		return rc;
	if (msgpack_unpack_next(&f->u, f->data, len, &off) != MSGPACK_UNPACK_SUCCESS ||
	    f->u.data.type != MSGPACK_OBJECT_MAP)
		return errors_set(c->err, RPC_INTERNAL, "snapshot %lld: its report is unreadable",
				  (long long)id);
	f->summary = obj_get(&f->u.data, "summary");
	f->units = obj_get(&f->u.data, "units");
	if (!f->summary || f->summary->type != MSGPACK_OBJECT_MAP || !f->units ||
	    f->units->type != MSGPACK_OBJECT_ARRAY)
		return errors_set(c->err, RPC_INTERNAL, "snapshot %lld: its report has no summary",
				  (long long)id);
	/* Looked up once per unit of the other snapshot: sorted, not scanned
	 * (two deep reports hold tens of thousands of units). */
	n = f->units->via.array.size;
	if (!(f->by_id = malloc((n ? n : 1) * sizeof(*f->by_id))))
		return errors_set(c->err, RPC_INTERNAL, "report.compare: out of memory");
	for (uint32_t i = 0; i < n; i++) {
		f->by_id[i].row = &f->units->via.array.ptr[i];
		f->by_id[i].id = int_of(f->by_id[i].row, "unit_id");
	}
	qsort(f->by_id, n, sizeof(*f->by_id), by_id);
	return RPC_OK;
}

static void unload(struct frozen *f)
{
	msgpack_unpacked_destroy(&f->u);
	free(f->data);
	free(f->by_id);
}

/* The row of unit id in f's units, or NULL. */
static const msgpack_object *unit_row(const struct frozen *f, int64_t id)
{
	struct unit_ref key = {id, NULL};
	const struct unit_ref *hit =
		bsearch(&key, f->by_id, f->units->via.array.size, sizeof(*f->by_id), by_id);

	return hit ? hit->row : NULL;
}

static void pack_copy(msgpack_packer *pk, const msgpack_object *row, const char *key)
{
	const msgpack_object *v = obj_get(row, key);

	pack_str(pk, key);
	if (v)
		msgpack_pack_object(pk, *v);
	else
		msgpack_pack_nil(pk);
}

/* One unit's row: seen in `row` (of a or b), its figures before and after. */
static void pack_unit(msgpack_packer *pk, const msgpack_object *row, const msgpack_object *before,
		      const msgpack_object *after)
{
	msgpack_pack_map(pk, 4 + 3 * NUNIT);
	pack_copy(pk, row, "unit_id");
	pack_copy(pk, row, "unit_code");
	pack_copy(pk, row, "unit_name");
	pack_copy(pk, row, "depth");
	for (size_t k = 0; k < NUNIT; k++) {
		char key[48];
		int64_t x = int_of(before, unit_keys[k]), y = int_of(after, unit_keys[k]);

		snprintf(key, sizeof(key), "%s_before", unit_keys[k]);
		pack_kv_int(pk, key, x);
		snprintf(key, sizeof(key), "%s_after", unit_keys[k]);
		pack_kv_int(pk, key, y);
		snprintf(key, sizeof(key), "%s_delta", unit_keys[k]);
		pack_kv_int(pk, key, y - x);
	}
}

/* The units of b in its order, then those only a has. */
static void pack_units(msgpack_packer *pk, const struct frozen *a, const struct frozen *b)
{
	uint32_t n = b->units->via.array.size;

	for (uint32_t i = 0; i < a->units->via.array.size; i++)
		if (!unit_row(b, int_of(&a->units->via.array.ptr[i], "unit_id")))
			n++;
	msgpack_pack_array(pk, n);
	for (uint32_t i = 0; i < b->units->via.array.size; i++) {
		const msgpack_object *row = &b->units->via.array.ptr[i];

		pack_unit(pk, row, unit_row(a, int_of(row, "unit_id")), row);
	}
	for (uint32_t i = 0; i < a->units->via.array.size; i++) {
		const msgpack_object *row = &a->units->via.array.ptr[i];

		if (!unit_row(b, int_of(row, "unit_id")))
			pack_unit(pk, row, row, NULL);
	}
}

static int pack_compare(struct call *c, const struct frozen *a, const struct frozen *b)
{
	int rc;

	msgpack_pack_map(c->pk, 4);
	pack_str(c->pk, "a");
	if ((rc = db_snapshot_pack(c->db, a->id, c->pk, c->err)) != RPC_OK)
		return rc;
	pack_str(c->pk, "b");
	if ((rc = db_snapshot_pack(c->db, b->id, c->pk, c->err)) != RPC_OK)
		return rc;
	pack_str(c->pk, "summary");
	msgpack_pack_array(c->pk, NSUMMARY);
	for (size_t k = 0; k < NSUMMARY; k++) {
		int64_t x = int_of(a->summary, summary_keys[k]), y = int_of(b->summary, summary_keys[k]);

		msgpack_pack_map(c->pk, 4);
		pack_kv_str(c->pk, "figure", summary_keys[k]);
		pack_kv_int(c->pk, "before", x);
		pack_kv_int(c->pk, "after", y);
		pack_kv_int(c->pk, "delta", y - x);
	}
	pack_str(c->pk, "units");
	pack_units(c->pk, a, b);
	return RPC_OK;
}

int report_compare(struct call *c)
{
	struct params p;
	struct ref ra, rb;
	struct frozen a = {0}, b = {0};
	int64_t ia, ib;
	int rc;

	call_params(c, &p);
	params_ref(&p, "a", P_REQUIRED, &ra);
	params_ref(&p, "b", P_REQUIRED, &rb);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_snapshot_resolve(c->db, c->who->scope, "a", &ra, &ia, c->err)) != RPC_OK ||
	    (rc = db_snapshot_resolve(c->db, c->who->scope, "b", &rb, &ib, c->err)) != RPC_OK)
		return rc;
	if ((rc = load(c, ia, &a)) == RPC_OK && (rc = load(c, ib, &b)) == RPC_OK)
		rc = pack_compare(c, &a, &b);
	unload(&a);
	unload(&b);
	return rc;
}
