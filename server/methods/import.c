/*
 * import.c: import.run and export.rows (PROTOCOL.md 6j).
 *
 * An import never writes objects itself: each row becomes the calls a
 * person would make (unit.create, cadre.transfer, task.update...), run
 * through those methods' own handlers, so their validation, scope rules,
 * workflow rules and audit entries apply unchanged.  Every row is tried,
 * each inside its own savepoint, so every bad row is found and reported
 * with its line, column and reason; if any row was bad, or on a dry run,
 * the savepoint around the whole import is rolled back and nothing stays
 * but the import's own log row.  Rows are matched to objects by code:
 * a row equal to its object changes nothing, a changed row updates it.
 */
#include <stdlib.h>
#include <string.h>

#include "audit.h"
#include "db_cadre.h"
#include "db_import.h"
#include "db_task.h"
#include "db_unit.h"
#include "dispatch.h"
#include "handlers.h"
#include "methods.h"
#include "obj.h"
#include "pack.h"

#define IMPORT_MAX_ROWS 100000  /* rows in one import.run */
#define IMPORT_MAX_ERRORS 1000  /* bad rows reported in full; the rest are counted */

/* A parameter of a call an import makes: a string, or an id when s is NULL. */
struct kv {
	const char *key;
	const char *s;
	int64_t id;
};

/* A bad row, as reported. */
struct bad_row {
	int64_t line;
	int64_t seq;        /* the order found, to keep it within a line */
	const char *column; /* a column name of the kind (static), or "" */
	char reason[sizeof(((struct rpc_error *)0)->message)];
};

/* One import in progress. */
struct import {
	struct call *c;
	const struct import_kind *k;
	int col[IMPORT_MAX_COLUMNS]; /* the row value index of each of the kind's columns */
	struct bad_row *bad;         /* the first IMPORT_MAX_ERRORS bad rows */
	int64_t nbad;                /* every bad row, reported or not */
	int64_t created, updated, unchanged;
};

/* A row being applied: its line and its values in the kind's column order. */
struct row {
	int64_t line;
	const char *v[IMPORT_MAX_COLUMNS]; /* NUL-terminated copies */
	char *cur[IMPORT_MAX_COLUMNS];     /* the object's values now, when it exists */
	int64_t id;                        /* the object's id; 0 when new */
	bool close_later;                  /* units: close in the second pass */
};

static void add_bad(struct import *im, int64_t line, const char *column, const char *reason)
{
	if (im->nbad < IMPORT_MAX_ERRORS) {
		struct bad_row *b = &im->bad[im->nbad];

		b->line = line;
		b->seq = im->nbad;
		b->column = column;
		snprintf(b->reason, sizeof(b->reason), "%s", reason);
	}
	im->nbad++;
}

/* The column an error message names: its "field:" prefix when that is a
 * column of the kind, the code when it names the row's own object (the
 * `unit` of unit.rename, the `task` of task.update...), else "". */
static const char *column_of(const struct import *im, const char *message)
{
	static const char *const selves[] = {"unit", "cadre", "task", "term", NULL};
	size_t n = strcspn(message, ": ");

	if (message[n] != ':')
		return "";
	for (int i = 0; i < im->k->ncolumns; i++)
		if (strlen(im->k->columns[i]) == n && memcmp(im->k->columns[i], message, n) == 0)
			return im->k->columns[i];
	for (int i = 0; selves[i]; i++)
		if (strlen(selves[i]) == n && memcmp(selves[i], message, n) == 0)
			return im->k->columns[0];
	return "";
}

/* Packs kv[0..n) as a map into *in and unpacks it into *u: the params of
 * a call.  The caller destroys both. */
static void build_params(const struct kv *kv, int n, msgpack_sbuffer *in, msgpack_unpacked *u)
{
	msgpack_packer pk;
	size_t off = 0;

	msgpack_sbuffer_init(in);
	msgpack_unpacked_init(u);
	msgpack_packer_init(&pk, in, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		msgpack_pack_str_with_body(&pk, kv[i].key, strlen(kv[i].key));
		if (kv[i].s)
			msgpack_pack_str_with_body(&pk, kv[i].s, strlen(kv[i].s));
		else
			msgpack_pack_int64(&pk, kv[i].id);
	}
	msgpack_unpack_next(u, in->data, in->size, &off);
}

/* Checks a task row's code as every other code is checked (task.create
 * takes none: the import sets it). */
static int check_code(const char *code, struct rpc_error *err)
{
	struct kv kv = {"code", code, 0};
	msgpack_sbuffer in;
	msgpack_unpacked u;
	struct params p;
	struct text t;
	int rc;

	build_params(&kv, 1, &in, &u);
	params_init(&p, &u.data, err);
	params_code(&p, "code", P_REQUIRED, &t);
	rc = params_end(&p);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&in);
	return rc;
}

/* Runs method `m` with params kv[0..n) as the caller, with its audit
 * entry, as the dispatcher would inside this request's transaction.  *id
 * (may be NULL) gets the id of the result. */
static int call(struct import *im, enum method_id m, const struct kv *kv, int n, int64_t *id,
		struct rpc_error *err)
{
	const struct method_info *info = &methods_catalogue[m];
	msgpack_sbuffer in, out;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct audit_pending ap;
	struct call sub = *im->c;
	size_t off = 0;
	int rc;

	if (!(info->roles & im->c->who->role))
		return errors_set(err, RPC_FORBIDDEN, "%s: not allowed for the role %s", info->name,
				  role_name(im->c->who->role));
	build_params(kv, n, &in, &u);
	msgpack_sbuffer_init(&out);
	msgpack_packer_init(&pk, &out, msgpack_sbuffer_write);
	sub.method = info;
	sub.params = &u.data;
	sub.pk = &pk;
	sub.err = err;
	rc = audit_prepare(&sub, info, &ap);
	if (rc == RPC_OK)
		rc = dispatch_handler_of(m)(&sub);
	if (rc == RPC_OK)
		rc = audit_record(&sub, &ap, out.data, out.size);
	audit_done(&ap);
	if (rc == RPC_OK && id) {
		msgpack_unpacked r;

		off = 0;
		msgpack_unpacked_init(&r);
		if (msgpack_unpack_next(&r, out.data, out.size, &off) != MSGPACK_UNPACK_SUCCESS ||
		    !obj_int(obj_get(&r.data, "id"), id))
			rc = errors_set(err, RPC_INTERNAL, "%s: its result names no object", info->name);
		msgpack_unpacked_destroy(&r);
	}
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&in);
	msgpack_sbuffer_destroy(&out);
	return rc;
}

/* ---- what a row means for each kind ---- */

static bool differs(const struct row *r, int i)
{
	return strcmp(r->v[i], r->cur[i]) != 0;
}

/* Appends column i's value as parameter `key` when it is given. */
static int add_given(struct kv *kv, int n, const char *key, const char *value)
{
	if (value[0])
		kv[n++] = (struct kv){key, value, 0};
	return n;
}

/* A column an import does not change on an existing object. */
static int fixed(struct rpc_error *err, const struct import *im, const struct row *r, int i)
{
	return errors_set(err, RPC_CONFLICT,
			  "%s: an import does not change this column of an existing %.*s "
			  "(it is '%s')",
			  im->k->columns[i], (int)strlen(im->k->name) - 1, im->k->name, r->cur[i]);
}

enum { U_CODE, U_NAME, U_LEVEL, U_PARENT, U_FROM, U_TO, U_MERGED };

static int unit_row(struct import *im, struct row *r, bool *changed, struct rpc_error *err)
{
	struct kv kv[5];
	int n = 0, rc;

	if (!r->id) {
		kv[n++] = (struct kv){"code", r->v[U_CODE], 0};
		kv[n++] = (struct kv){"name", r->v[U_NAME], 0};
		kv[n++] = (struct kv){"level", r->v[U_LEVEL], 0};
		n = add_given(kv, n, "parent", r->v[U_PARENT]);
		n = add_given(kv, n, "valid_from", r->v[U_FROM]);
		r->close_later = r->v[U_TO][0] != '\0';
		return call(im, M_unit_create, kv, n, NULL, err);
	}
	if (differs(r, U_LEVEL))
		return fixed(err, im, r, U_LEVEL);
	if (differs(r, U_PARENT) && !r->v[U_PARENT][0])
		return errors_set(err, RPC_CONFLICT,
				  "parent: an import does not make a unit a root (its parent is '%s')",
				  r->cur[U_PARENT]);
	if (r->cur[U_TO][0] && (differs(r, U_TO) || differs(r, U_MERGED)))
		return fixed(err, im, r, differs(r, U_TO) ? U_TO : U_MERGED);
	if (differs(r, U_NAME)) {
		kv[0] = (struct kv){"unit", r->v[U_CODE], 0};
		kv[1] = (struct kv){"name", r->v[U_NAME], 0};
		if ((rc = call(im, M_unit_rename, kv, 2, NULL, err)) != RPC_OK)
			return rc;
		*changed = true;
	}
	if (differs(r, U_PARENT)) {
		kv[0] = (struct kv){"unit", r->v[U_CODE], 0};
		kv[1] = (struct kv){"parent", r->v[U_PARENT], 0};
		if ((rc = call(im, M_unit_move, kv, 2, NULL, err)) != RPC_OK)
			return rc;
		*changed = true;
	}
	if (!r->cur[U_TO][0] && r->v[U_TO][0])
		*changed = r->close_later = true;
	return RPC_OK;
}

/* The second pass: units close once every unit of the file exists, since
 * a unit may be merged into one that comes later in the file. */
static int unit_close_row(struct import *im, struct row *r, struct rpc_error *err)
{
	struct kv kv[3] = {{"unit", r->v[U_CODE], 0}, {"date", r->v[U_TO], 0}};
	int n = add_given(kv, 2, "merged_into", r->v[U_MERGED]);

	if (!r->v[U_TO][0] && r->v[U_MERGED][0])
		return errors_set(err, RPC_INVALID_ARGUMENT,
				  "merged_into: give valid_to too, the date the unit closed");
	return call(im, M_unit_close, kv, n, NULL, err);
}

enum { C_CODE, C_NAME, C_TITLE, C_UNIT, C_MANAGING, C_SINCE };

static int cadre_row(struct import *im, struct row *r, bool *changed, struct rpc_error *err)
{
	struct kv kv[6];
	int n = 0, rc;

	if (!r->id) {
		kv[n++] = (struct kv){"code", r->v[C_CODE], 0};
		kv[n++] = (struct kv){"full_name", r->v[C_NAME], 0};
		kv[n++] = (struct kv){"title", r->v[C_TITLE], 0};
		kv[n++] = (struct kv){"unit", r->v[C_UNIT], 0};
		kv[n++] = (struct kv){"managing_unit", r->v[C_MANAGING], 0};
		n = add_given(kv, n, "since", r->v[C_SINCE]);
		return call(im, M_cadre_create, kv, n, NULL, err);
	}
	/* since is the start of the current post: set on creation, moved by a
	 * transfer, never by an edit. */
	if (differs(r, C_UNIT)) {
		kv[0] = (struct kv){"cadre", r->v[C_CODE], 0};
		kv[1] = (struct kv){"unit", r->v[C_UNIT], 0};
		kv[2] = (struct kv){"title", r->v[C_TITLE], 0};
		kv[3] = (struct kv){"date", im->c->today, 0};
		if ((rc = call(im, M_cadre_transfer, kv, 4, NULL, err)) != RPC_OK)
			return rc;
		*changed = true;
	}
	kv[n++] = (struct kv){"cadre", r->v[C_CODE], 0};
	if (differs(r, C_NAME))
		kv[n++] = (struct kv){"full_name", r->v[C_NAME], 0};
	if (differs(r, C_TITLE) && !differs(r, C_UNIT))
		kv[n++] = (struct kv){"title", r->v[C_TITLE], 0};
	if (differs(r, C_MANAGING))
		kv[n++] = (struct kv){"managing_unit", r->v[C_MANAGING], 0};
	if (n == 1)
		return RPC_OK;
	*changed = true;
	return call(im, M_cadre_update, kv, n, NULL, err);
}

/* The workflow refuses a change of an assigned task's substance naming
 * the task; the row's fault is the first of its columns that changed. */
static void blame_substance(const struct import *im, const struct row *r, struct rpc_error *err)
{
	static const char *const substance[] = {"title", "product", "due_date", NULL};
	char why[sizeof(err->message)];

	for (int s = 0; substance[s]; s++)
		for (int i = 1; i < im->k->ncolumns; i++)
			if (strcmp(im->k->columns[i], substance[s]) == 0 && differs(r, i)) {
				snprintf(why, sizeof(why), "%s", err->message + 6);
				snprintf(err->message, sizeof(err->message), "%s: %.220s",
					 substance[s], why);
				err->template[0] = '\0'; /* the message alone stands */
				err->nargs = 0;
				return;
			}
}

/* A task's text that may be empty: "" is its value, not "not given". */
static bool task_text(const char *column)
{
	return strcmp(column, "description") == 0 || strcmp(column, "product") == 0;
}

/* A task's reference the server fills in when it is not given (the
 * owner's unit and managing unit): left empty in a row, it keeps what the
 * task has, so the file that made the task imports again unchanged. */
static bool task_defaulted(const char *column)
{
	return strcmp(column, "unit") == 0 || strcmp(column, "assigned_by") == 0;
}

static int task_row(struct import *im, struct row *r, bool *changed, struct rpc_error *err)
{
	const char *const *cols = im->k->columns;
	struct kv kv[IMPORT_MAX_COLUMNS];
	int n = 0, rc;
	int64_t id;

	if (!r->id) {
		if ((rc = check_code(r->v[0], err)) != RPC_OK)
			return rc;
		for (int i = 1; i < im->k->ncolumns; i++)
			if (task_text(cols[i]))
				kv[n++] = (struct kv){cols[i], r->v[i], 0};
			else
				n = add_given(kv, n, cols[i], r->v[i]);
		if ((rc = call(im, M_task_create, kv, n, &id, err)) != RPC_OK)
			return rc;
		return db_import_set_task_code(im->c->db, id, r->v[0], err);
	}
	kv[n++] = (struct kv){"task", NULL, r->id};
	for (int i = 1; i < im->k->ncolumns; i++)
		if (differs(r, i) && !(!r->v[i][0] && task_defaulted(cols[i])))
			kv[n++] = (struct kv){cols[i], r->v[i], 0};
	if (n == 1)
		return RPC_OK;
	*changed = true;
	if ((rc = call(im, M_task_update, kv, n, NULL, err)) == RPC_CONFLICT &&
	    strncmp(err->message, "task: ", 6) == 0)
		blame_substance(im, r, err);
	return rc;
}

static int term_row(struct import *im, struct row *r, bool *changed, struct rpc_error *err)
{
	struct kv kv[IMPORT_MAX_COLUMNS];
	int n = 0;

	(void)changed;
	if (!r->id) {
		for (int i = 0; i < im->k->ncolumns; i++)
			n = add_given(kv, n, im->k->columns[i], r->v[i]);
		return call(im, M_term_create, kv, n, NULL, err);
	}
	for (int i = 1; i < im->k->ncolumns; i++)
		if (differs(r, i))
			return fixed(err, im, r, i);
	return RPC_OK;
}

typedef int (*row_fn)(struct import *im, struct row *r, bool *changed, struct rpc_error *err);

/* The handler a kind's rows go through and the method whose roles say
 * who may import it. */
static row_fn row_fn_of(const struct import_kind *k, const struct method_info **create)
{
	static const struct {
		const char *kind;
		enum method_id create;
		row_fn fn;
	} fns[] = {
		{"units", M_unit_create, unit_row},
		{"cadres", M_cadre_create, cadre_row},
		{"tasks", M_task_create, task_row},
		{"terms", M_term_create, term_row},
	};

	for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++)
		if (strcmp(fns[i].kind, k->name) == 0) {
			*create = &methods_catalogue[fns[i].create];
			return fns[i].fn;
		}
	return NULL;
}

/* An existing object the caller may not see answers like a code taken,
 * as create would. */
static int check_visible(struct import *im, const struct row *r, struct rpc_error *err)
{
	struct call *c = im->c;
	struct ref ref = {.id = r->id};
	int64_t id;
	int rc = RPC_OK;

	if (!c->who->scope)
		return RPC_OK;
	if (strcmp(im->k->name, "units") == 0)
		rc = db_unit_resolve_in(c->db, c->who->scope, REACH_SUBTREE, "code", &ref, &id, err);
	else if (strcmp(im->k->name, "cadres") == 0)
		rc = db_cadre_resolve_in(c->db, c->who->scope, "code", &ref, &id, err);
	else if (strcmp(im->k->name, "tasks") == 0)
		rc = db_task_check_in(c->db, c->who->scope, "code", r->id, err);
	/* Word for word what create says of a code taken (db_code_free),
	 * never that it is outside the scope: codes are unique across the
	 * tree, so that one is taken cannot be hidden, but nothing more is
	 * told of the object. */
	if (rc == RPC_NOT_FOUND)
		return errors_set(err, RPC_CONFLICT, "code: a %.*s with code '%s' already exists",
				  (int)strlen(im->k->name) - 1, im->k->name, r->v[0]);
	return rc;
}

/* ---- reading the request ---- */

/* Maps the header to the kind's columns; a bad header is one bad row
 * (its line) per fault. */
static void read_header(struct import *im, const msgpack_object *cols, int64_t line)
{
	const struct import_kind *k = im->k;
	char name[64], reason[200];

	for (int i = 0; i < k->ncolumns; i++)
		im->col[i] = -1;
	for (uint32_t j = 0; j < cols->via.array.size; j++) {
		const char *s = obj_cstr(&cols->via.array.ptr[j], name, sizeof(name));
		int i;

		for (i = 0; s && i < k->nexported; i++)
			if (strcmp(s, k->columns[i]) == 0)
				break;
		if (s && i >= k->ncolumns && i < k->nexported)
			continue; /* what the export adds (a task's state...): not read */
		if (!s || i == k->nexported) {
			snprintf(reason, sizeof(reason), "column %u: '%s' is not a column of %s",
				 (unsigned)j + 1, s ? s : "?", k->name);
			add_bad(im, line, "", reason);
		} else if (im->col[i] >= 0) {
			snprintf(reason, sizeof(reason), "%s: the column is named twice", s);
			add_bad(im, line, k->columns[i], reason);
		} else {
			im->col[i] = (int)j;
		}
	}
	for (int i = 0; i < k->ncolumns; i++)
		if (im->col[i] < 0) {
			snprintf(reason, sizeof(reason), "%s: the column is missing", k->columns[i]);
			add_bad(im, line, k->columns[i], reason);
		}
}

/* Reads row j of the request into *r: NUL-terminated copies of its
 * values in the kind's column order.  The shape is the client's to get
 * right (invalid_argument for the whole request); a row of the wrong
 * length is a bad row of the file.  Returns RPC_OK, or with *bad set. */
static int read_row(struct import *im, const msgpack_object *o, uint32_t j, uint32_t width,
		    struct row *r, char **store, bool *bad)
{
	const msgpack_object *vals = obj_get(o, "values");
	char reason[200];

	memset(r, 0, sizeof(*r));
	*bad = false;
	if (!obj_int(obj_get(o, "line"), &r->line) || r->line < 1 || !vals ||
	    vals->type != MSGPACK_OBJECT_ARRAY)
		return errors_set(im->c->err, RPC_INVALID_ARGUMENT,
				  "rows[%u]: must be a map {line: a positive integer, values: an "
				  "array of strings}",
				  (unsigned)j);
	if (vals->via.array.size != width) {
		snprintf(reason, sizeof(reason), "the row has %u fields, the header %u",
			 (unsigned)vals->via.array.size, (unsigned)width);
		add_bad(im, r->line, "", reason);
		*bad = true;
		return RPC_OK;
	}
	for (int i = 0; i < im->k->ncolumns; i++) {
		const msgpack_object *v = &vals->via.array.ptr[im->col[i]];

		if (v->type != MSGPACK_OBJECT_STR)
			return errors_set(im->c->err, RPC_INVALID_ARGUMENT,
					  "rows[%u].values: must be strings", (unsigned)j);
		if (!(store[i] = strndup(v->via.str.ptr, v->via.str.size)))
			return errors_set(im->c->err, RPC_INTERNAL, "out of memory");
		r->v[i] = store[i];
	}
	return RPC_OK;
}

/* For the duplicates check: a row's code, line and index. */
struct coded {
	const char *code;
	uint32_t size;
	uint32_t index;
	int64_t line;
};

static int by_code(const void *a, const void *b)
{
	const struct coded *x = a, *y = b;
	uint32_t n = x->size < y->size ? x->size : y->size;
	int d = memcmp(x->code, y->code, n);

	if (d)
		return d;
	if (x->size != y->size)
		return x->size < y->size ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Reports every row whose code an earlier row of the file has, and marks
 * it in dup[] (by row index) so it is not applied. */
static int find_duplicates(struct import *im, const msgpack_object *rows, uint32_t width,
			   bool *dup)
{
	uint32_t n = rows->via.array.size, m = 0;
	struct coded *cs = calloc(n ? n : 1, sizeof(*cs));
	char reason[200];

	if (!cs)
		return errors_set(im->c->err, RPC_INTERNAL, "out of memory");
	for (uint32_t j = 0; j < n; j++) {
		const msgpack_object *row = &rows->via.array.ptr[j];
		const msgpack_object *vals = obj_get(row, "values");
		const msgpack_object *v;

		if (!vals || vals->type != MSGPACK_OBJECT_ARRAY || vals->via.array.size != width)
			continue;
		v = &vals->via.array.ptr[im->col[0]];
		if (v->type != MSGPACK_OBJECT_STR || v->via.str.size == 0 ||
		    !obj_int(obj_get(row, "line"), &cs[m].line))
			continue;
		cs[m].code = v->via.str.ptr;
		cs[m].size = v->via.str.size;
		cs[m].index = j;
		m++;
	}
	qsort(cs, m, sizeof(*cs), by_code);
	for (uint32_t i = 1; i < m; i++)
		if (cs[i].size == cs[i - 1].size && memcmp(cs[i].code, cs[i - 1].code, cs[i].size) == 0) {
			snprintf(reason, sizeof(reason), "code: '%.*s' is also the code on line %lld",
				 (int)(cs[i].size > 40 ? 40 : cs[i].size), cs[i].code,
				 (long long)cs[i - 1].line);
			add_bad(im, cs[i].line, im->k->columns[0], reason);
			dup[cs[i].index] = true;
		}
	free(cs);
	return RPC_OK;
}

/* ---- the methods ---- */

/* Applies one row inside its own savepoint; a bad row is reported and
 * undone.  Returns RPC_OK, or an error that stops the whole import (the
 * database failing, not the row). */
static int apply_row(struct import *im, row_fn fn, struct row *r, bool second_pass)
{
	struct rpc_error err = {0};
	bool changed = false;
	int rc, src;

	if ((rc = db_import_savepoint(im->c->db, false, SAVEPOINT_BEGIN, im->c->err)) != RPC_OK)
		return rc;
	if (second_pass)
		src = unit_close_row(im, r, &err);
	else if ((src = db_import_current(im->c->db, im->k, r->v[0], im->c->today, &r->id, r->cur,
					  &err)) == RPC_OK &&
		 (!r->id || (src = check_visible(im, r, &err)) == RPC_OK))
		src = fn(im, r, &changed, &err);
	if (src == RPC_INTERNAL || src == RPC_BUSY || src == RPC_UNAVAILABLE ||
	    src == RPC_STORAGE_FULL) {
		*im->c->err = err;
		return src;
	}
	if (src != RPC_OK) {
		add_bad(im, r->line, column_of(im, err.message), err.message);
		r->close_later = false;
		if ((rc = db_import_savepoint(im->c->db, false, SAVEPOINT_UNDO, im->c->err)) != RPC_OK)
			return rc;
	} else if (!second_pass) {
		if (!r->id)
			im->created++;
		else if (changed)
			im->updated++;
		else
			im->unchanged++;
	}
	return db_import_savepoint(im->c->db, false, SAVEPOINT_RELEASE, im->c->err);
}

/* Reads and applies every row; rows[] keeps them for the second pass. */
static int apply_rows(struct import *im, row_fn fn, const msgpack_object *rows, uint32_t width)
{
	uint32_t n = rows->via.array.size;
	bool *dup = calloc(n ? n : 1, sizeof(*dup));
	struct row *rs = calloc(n ? n : 1, sizeof(*rs));
	char **store = calloc((size_t)(n ? n : 1) * IMPORT_MAX_COLUMNS, sizeof(*store));
	bool *skip = calloc(n ? n : 1, sizeof(*skip));
	int rc = RPC_OK;

	if (!dup || !rs || !store || !skip)
		rc = errors_set(im->c->err, RPC_INTERNAL, "out of memory");
	for (uint32_t j = 0; rc == RPC_OK && j < n; j++)
		rc = read_row(im, &rows->via.array.ptr[j], j, width, &rs[j],
			      &store[(size_t)j * IMPORT_MAX_COLUMNS], &skip[j]);
	if (rc == RPC_OK)
		rc = find_duplicates(im, rows, width, dup);
	for (uint32_t j = 0; rc == RPC_OK && j < n; j++) {
		if (!skip[j] && !dup[j])
			rc = apply_row(im, fn, &rs[j], false);
		db_import_values_free(rs[j].cur, im->k->ncolumns);
	}
	for (uint32_t j = 0; rc == RPC_OK && j < n; j++)
		if (rs[j].close_later)
			rc = apply_row(im, fn, &rs[j], true);
	for (size_t i = 0; store && i < (size_t)n * IMPORT_MAX_COLUMNS; i++)
		free(store[i]);
	if (rs)
		for (uint32_t j = 0; j < n; j++)
			db_import_values_free(rs[j].cur, im->k->ncolumns);
	free(store);
	free(rs);
	free(dup);
	free(skip);
	return rc;
}

/* Bad rows in the order of the file; a row's faults in the order found. */
static int by_line(const void *a, const void *b)
{
	const struct bad_row *x = a, *y = b;

	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void pack_result(struct import *im, const struct import_outcome *o, int64_t id,
			msgpack_packer *pk)
{
	int64_t shown = im->nbad < IMPORT_MAX_ERRORS ? im->nbad : IMPORT_MAX_ERRORS;

	qsort(im->bad, (size_t)shown, sizeof(*im->bad), by_line);
	msgpack_pack_map(pk, 10);
	pack_kv_int(pk, "id", id);
	pack_kv_str(pk, "kind", im->k->name);
	pack_kv_bool(pk, "dry_run", o->dry_run);
	pack_kv_bool(pk, "applied", o->applied);
	pack_kv_int(pk, "rows", o->rows);
	pack_kv_int(pk, "created", o->created);
	pack_kv_int(pk, "updated", o->updated);
	pack_kv_int(pk, "unchanged", o->unchanged);
	pack_kv_int(pk, "bad", o->bad);
	pack_str(pk, "errors");
	msgpack_pack_array(pk, (size_t)shown);
	for (int64_t i = 0; i < shown; i++) {
		msgpack_pack_map(pk, 3);
		pack_kv_int(pk, "line", im->bad[i].line);
		pack_kv_str(pk, "column", im->bad[i].column);
		pack_kv_str(pk, "reason", im->bad[i].reason);
	}
}

int import_run(struct call *c)
{
	struct params p;
	struct import im = {.c = c};
	struct import_outcome o = {0};
	const msgpack_object *cols = NULL, *rows = NULL;
	const struct method_info *create = NULL;
	row_fn fn;
	int64_t header_line = 1, id;
	bool dry_run = false;
	int kind = 0, rc;

	call_params(c, &p);
	params_enum(&p, "kind", P_REQUIRED, db_import_kinds, &kind);
	params_array(&p, "columns", P_REQUIRED, IMPORT_MAX_COLUMNS * 4, &cols);
	params_array(&p, "rows", P_REQUIRED, IMPORT_MAX_ROWS, &rows);
	params_int(&p, "header_line", P_OPTIONAL, 1, INT32_MAX, &header_line);
	params_bool(&p, "dry_run", P_OPTIONAL, &dry_run);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	im.k = db_import_kind(db_import_kinds[kind]);
	fn = row_fn_of(im.k, &create);
	if (!(create->roles & c->who->role))
		return errors_set(c->err, RPC_FORBIDDEN,
				  "kind: importing %s is not allowed for the role %s (it takes %s)",
				  im.k->name, role_name(c->who->role), create->name);
	if (!(im.bad = calloc(IMPORT_MAX_ERRORS, sizeof(*im.bad))))
		return errors_set(c->err, RPC_INTERNAL, "out of memory");
	read_header(&im, cols, header_line);
	if (im.nbad == 0) {
		if ((rc = db_import_savepoint(c->db, true, SAVEPOINT_BEGIN, c->err)) == RPC_OK)
			rc = apply_rows(&im, fn, rows, cols->via.array.size);
		if (rc == RPC_OK && (im.nbad || dry_run))
			rc = db_import_savepoint(c->db, true, SAVEPOINT_UNDO, c->err);
		if (rc == RPC_OK)
			rc = db_import_savepoint(c->db, true, SAVEPOINT_RELEASE, c->err);
	}
	o = (struct import_outcome){.kind = im.k->name, .account_id = c->who->account_id,
				    .dry_run = dry_run, .applied = !dry_run && im.nbad == 0,
				    .rows = rows->via.array.size, .created = im.created,
				    .updated = im.updated, .unchanged = im.unchanged, .bad = im.nbad};
	if (rc == RPC_OK && (rc = db_import_log(c->db, &o, c->now, &id, c->err)) == RPC_OK)
		pack_result(&im, &o, id, c->pk);
	free(im.bad);
	return rc;
}

int export_rows(struct call *c)
{
	struct params p;
	struct page pg;
	int kind = 0, rc;

	call_params(c, &p);
	params_enum(&p, "kind", P_REQUIRED, db_export_kinds, &kind);
	params_page(&p, &pg);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return db_export_page(c->db, db_import_kind(db_export_kinds[kind]), c->who->scope, c->today,
			      pg.after, pg.limit, c->pk, c->err);
}
