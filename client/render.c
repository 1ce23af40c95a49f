/*
 * render.c: see render.h.
 */
#include "render.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "fmt.h"
#include "fold.h"
#include "lang.h"
#include "methods.h"
#include "obj.h"
#include "utf8.h"

struct label {
	const char *wire;
	const char *shown;
};

/* The labels are English here, Vietnamese in the catalog (lang_vi.c):
 * render_label() shows them in the language in force, and render_code()
 * takes either back. */
static const struct label task_kinds[] = {
	{"breakthrough", N_("Breakthrough")},
	{"innovation", N_("Innovation")},
	{NULL, NULL},
};

static const struct label fields[] = {
	{"socio_economic", N_("Socio-economic development")},
	{"defence_security", N_("Defence and security")},
	{"party_building", N_("Party building and the political system")},
	{"livelihood", N_("People's lives")},
	{NULL, NULL},
};

static const struct label term_kinds[] = {
	{"year", N_("Year")},
	{"term", N_("Term")},
	{NULL, NULL},
};

static const struct label notices[] = {
	{"none", N_("No e-mail")},
	{"digest", N_("Daily digest")},
	{"immediate", N_("At once")},
	{"both", N_("Daily digest and at once")},
	{"reminder", N_("Reminder")},
	{"explanation", N_("Explanation request")},
	{NULL, NULL},
};

static const struct label roles[] = {
	{"admin", N_("Administrator")},
	{"supervisor", N_("Supervisor")},
	{"office", N_("Office")},
	{"viewer", N_("Viewer")},
	{NULL, NULL},
};

static const struct label states[] = {
	{"registered", N_("Registered")},
	{"reviewed", N_("Reviewed")},
	{"returned", N_("Returned")},
	{"assigned", N_("Assigned")},
	{"in_progress", N_("In progress")},
	{"reported_done", N_("Reported done")},
	{"accepted", N_("Accepted")},
	{"cancelled", N_("Cancelled")},
	{"carried_over", N_("Carried over")},
	{NULL, NULL},
};

static const struct label ratings[] = {
	{"excellent", N_("Excellent")},
	{"good", N_("Good")},
	{"done", N_("Done")},
	{"not_done", N_("Not done")},
	{NULL, NULL},
};

static const struct label step_statuses[] = {
	{"todo", N_("To do")},
	{"doing", N_("Doing")},
	{"done", N_("Finished")},
	{"dropped", N_("Dropped")},
	{NULL, NULL},
};

static const struct label amendment_statuses[] = {
	{"pending", N_("Pending")},
	{"approved", N_("Approved")},
	{"rejected", N_("Rejected")},
	{NULL, NULL},
};

static const struct label verdicts[] = {
	{"accepted", N_("Counted")},
	{"returned", N_("Returned (not counted)")},
	{NULL, NULL},
};

static const struct label followup_results[] = {
	{"holds", N_("Holds")},
	{"relapsed", N_("Relapsed")},
	{NULL, NULL},
};

/* Where search.query found a task (PROTOCOL.md 6h). */
static const struct label search_wheres[] = {
	{"title", N_("Task title")},
	{"description", N_("Description")},
	{"product", N_("Product")},
	{"step", N_("Plan")},
	{"update", N_("Progress update")},
	{NULL, NULL},
};

/* A task's official status and health on a date (PROTOCOL.md 6f). */
static const struct label statuses[] = {
	{"done_on_time", N_("Done on time")},
	{"done_late", N_("Done late")},
	{"within_deadline", N_("Not done, within the deadline")},
	{"overdue", N_("Overdue")},
	{"not_assigned", N_("Not assigned")},
	{"cancelled", N_("Cancelled")},
	{"carried_over", N_("Carried over")},
	{NULL, NULL},
};

static const struct label healths[] = {
	{"on_track", N_("On track")},
	{"at_risk", N_("At risk")},
	{"stalled", N_("Stalled")},
	{NULL, NULL},
};

/* Why the board lists a task among those needing action. */
static const struct label actions[] = {
	{"overdue", N_("Overdue")},
	{"reminder", N_("Reminder not answered")},
	{"stalled", N_("Stalled")},
	{"at_risk", N_("At risk")},
	{NULL, NULL},
};

/* The figures of a report's summary that are not a status or a health
 * (PROTOCOL.md 6i). */
static const struct label figures[] = {
	{"total", N_("Total tasks")},
	{"cadres", N_("Number of cadres")},
	{"assigned", N_("Tasks assigned")},
	{NULL, NULL},
};

/* The table of a labelled kind, or NULL. */
static const struct label *labels_of(enum render_kind kind)
{
	switch (kind) {
	case RENDER_TASK_KIND: return task_kinds;
	case RENDER_FIELD: return fields;
	case RENDER_TERM_KIND: return term_kinds;
	case RENDER_ROLE: return roles;
	case RENDER_NOTICE: return notices;
	case RENDER_STATE: return states;
	case RENDER_RATING: return ratings;
	case RENDER_STEP_STATUS: return step_statuses;
	case RENDER_AMENDMENT_STATUS: return amendment_statuses;
	case RENDER_VERDICT: return verdicts;
	case RENDER_FOLLOWUP: return followup_results;
	case RENDER_STATUS: return statuses;
	case RENDER_HEALTH: return healths;
	case RENDER_ACTION: return actions;
	case RENDER_WHERE: return search_wheres;
	case RENDER_FIGURE: return figures;
	default: return NULL;
	}
}

const char *render_code_at(enum render_kind kind, size_t i)
{
	const struct label *l = labels_of(kind);

	for (size_t k = 0; l && l[k].wire; k++)
		if (k == i)
			return l[k].wire;
	return NULL;
}

const char *render_label(enum render_kind kind, const char *s, size_t n)
{
	const struct label *l;
	const char *shown;

	if (kind == RENDER_METHOD) {
		/* What a step of a task's story was: the table's label, which is
		 * Vietnamese; in English its summary. */
		const struct method_info *m = methods_find(s, n);

		if (!m || !m->label)
			return NULL;
		return lang_current() == LANG_EN ? m->summary : m->label;
	}
	if (kind == RENDER_FIGURE && ((shown = render_label(RENDER_STATUS, s, n)) ||
				      (shown = render_label(RENDER_HEALTH, s, n))))
		return shown;
	if (!(l = labels_of(kind)))
		return NULL;
	for (; l->wire; l++)
		if (strlen(l->wire) == n && memcmp(l->wire, s, n) == 0)
			return T(l->shown);
	return NULL;
}

/* s folded for a comparison (fold_name); false if it does not fit. */
static bool folded(const char *s, char *out, size_t n)
{
	size_t len = strlen(s);

	if (len > RENDER_CODE_MAX || len + 1 > n)
		return false;
	fold_name(s, len, out);
	return true;
}

const char *render_code(enum render_kind kind, const char *typed)
{
	const struct label *l = labels_of(kind);
	char want[RENDER_CODE_MAX + 1], have[RENDER_CODE_MAX + 1];

	if (!l || !folded(typed, want, sizeof(want)))
		return NULL;
	for (; l->wire; l++)
		if ((folded(l->wire, have, sizeof(have)) && strcmp(have, want) == 0) ||
		    (folded(l->shown, have, sizeof(have)) && strcmp(have, want) == 0) ||
		    (folded(lang_vi_of(l->shown), have, sizeof(have)) && strcmp(have, want) == 0))
			return l->wire;
	return NULL;
}

/* Appends the reason for a task's health from its data (health_why and
 * the values it names, PROTOCOL.md 5) in the language in force; false when
 * item has none, and its health_reason then shows as the server wrote it. */
static bool reason_of_data(struct strbuf *sb, const msgpack_object *item)
{
	const msgpack_object *why = obj_get(item, "health_why");
	int64_t days = 0, pct = 0, planned = 0;
	char a[32], b[32];

	if (!why || why->type != MSGPACK_OBJECT_STR)
		return false;
	obj_int(obj_get(item, "health_days"), &days);
	obj_int(obj_get(item, "health_percent"), &pct);
	obj_int(obj_get(item, "health_planned"), &planned);
#define WHY(w) (why->via.str.size == strlen(w) && memcmp(why->via.str.ptr, w, strlen(w)) == 0)
	if (WHY("no_update_since_start"))
		strbuf_addf(sb, T("no progress update in %s days since the start"),
			    fmt_int_s(days, a, sizeof(a)));
	else if (WHY("no_update"))
		strbuf_addf(sb, T("no progress update for %s days"), fmt_int_s(days, a, sizeof(a)));
	else if (WHY("overdue"))
		strbuf_addf(sb, T("overdue by %s days at %s%%"), fmt_int_s(days, a, sizeof(a)),
			    fmt_int_s(pct, b, sizeof(b)));
	else if (WHY("behind_plan") || WHY("on_plan"))
		strbuf_addf(sb, T("%s%% done against %s%% planned"), fmt_int_s(pct, a, sizeof(a)),
			    fmt_int_s(planned, b, sizeof(b)));
	else
		return false;
#undef WHY
	return true;
}

static void render_str(struct strbuf *sb, const char *s, size_t n, enum render_kind kind)
{
	const char *label;

	switch (kind) {
	case RENDER_DATE:
		if (fmt_date(sb, s, n))
			return;
		break;
	case RENDER_MOMENT:
	case RENDER_MOMENT_SEC:
		if (fmt_moment(sb, s, n, kind == RENDER_MOMENT_SEC))
			return;
		break;
	default:
		if ((label = render_label(kind, s, n))) {
			strbuf_adds(sb, label);
			return;
		}
		break;
	}
	strbuf_add(sb, s, n);
}

void render_value(struct strbuf *sb, const msgpack_object *o, enum render_kind kind)
{
	if (!o)
		return;
	switch (o->type) {
	case MSGPACK_OBJECT_STR:
		render_str(sb, o->via.str.ptr, o->via.str.size, kind);
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		/* An id is written as it is typed back; a count or a percent
		 * as a number people read. */
		if (kind == RENDER_COUNT || kind == RENDER_PERCENT)
			fmt_uint(sb, o->via.u64);
		else
			strbuf_addf(sb, "%" PRIu64, o->via.u64);
		if (kind == RENDER_PERCENT)
			strbuf_addc(sb, '%');
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		if (kind == RENDER_COUNT || kind == RENDER_PERCENT)
			fmt_int(sb, o->via.i64);
		else
			strbuf_addf(sb, "%" PRId64, o->via.i64);
		if (kind == RENDER_PERCENT)
			strbuf_addc(sb, '%');
		break;
	case MSGPACK_OBJECT_BOOLEAN:
		if (kind == RENDER_YES)
			strbuf_adds(sb, o->via.boolean ? T("yes") : "");
		else if (kind == RENDER_OVERDUE)
			strbuf_adds(sb, o->via.boolean ? T("OVERDUE") : "");
		else
			strbuf_adds(sb, o->via.boolean ? T("yes") : T("no"));
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		if (kind == RENDER_PERCENT)
			fmt_percent(sb, o->via.f64);
		else
			fmt_decimal(sb, o->via.f64, 1);
		break;
	default:
		break; /* nil, and shapes a person cannot read in a cell */
	}
}

static bool present(const msgpack_object *o)
{
	return o && o->type != MSGPACK_OBJECT_NIL &&
	       !(o->type == MSGPACK_OBJECT_STR && o->via.str.size == 0);
}

/* The field key of item, where "a.b" is field b of the map in field a. */
static const msgpack_object *lookup(const msgpack_object *item, const char *key)
{
	const char *dot;

	while ((dot = strchr(key, '.'))) {
		char part[64];

		if ((size_t)(dot - key) >= sizeof(part))
			return NULL;
		memcpy(part, key, (size_t)(dot - key));
		part[dot - key] = '\0';
		item = obj_get(item, part);
		key = dot + 1;
	}
	return obj_get(item, key);
}

void render_cell(struct strbuf *sb, const msgpack_object *item, const struct render_col *col)
{
	const msgpack_object *v = lookup(item, col->key);
	int64_t depth;

	switch (col->kind) {
	case RENDER_CHANGES:
		render_changes(sb, v, lookup(item, col->key2));
		return;
	case RENDER_REASON:
		if (reason_of_data(sb, item))
			return;
		break;
	case RENDER_OBJECT:
		render_value(sb, v, RENDER_TEXT);
		if (present(lookup(item, col->key2))) {
			strbuf_adds(sb, present(v) ? " #" : "#");
			render_value(sb, lookup(item, col->key2), RENDER_TEXT);
		}
		return;
	case RENDER_RESPONSIBLE: {
		static const char *const keys[] = {"responsible_unit_name", "responsible_cadre_name",
						   "responsible_text"};

		for (int i = 0; i < 3; i++)
			if (present(lookup(item, keys[i]))) {
				render_value(sb, lookup(item, keys[i]), RENDER_TEXT);
				return;
			}
		return;
	}
	case RENDER_SHORT_HASH:
		if (v && v->type == MSGPACK_OBJECT_STR) {
			render_str(sb, v->via.str.ptr, v->via.str.size < 12 ? v->via.str.size : 12,
				   RENDER_TEXT);
			return;
		}
		break;
	case RENDER_SCOPE:
		if (!present(v)) {
			strbuf_adds(sb, T("everything"));
			return;
		}
		break;
	default:
		break;
	}

	if ((col->flags & RENDER_TREE) && obj_int(obj_get(item, "depth"), &depth))
		for (int64_t i = 0; i < depth && i < 64; i++)
			strbuf_adds(sb, "  ");
	render_value(sb, v, col->kind);
	if (col->key2) {
		const msgpack_object *v2 = lookup(item, col->key2);

		if (present(v2)) {
			strbuf_adds(sb, present(v) ? " (" : "(");
			render_value(sb, v2, RENDER_TEXT);
			strbuf_addc(sb, ')');
		}
	}
}

int render_table_init(struct table *t, const struct render_col *cols)
{
	size_t n = 0;

	while (cols[n].label)
		n++;
	if (table_init(t, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		table_header(t, i, T(cols[i].label), cols[i].flags & (TABLE_RIGHT | TABLE_SHRINK));
	return t->failed ? -1 : 0;
}

int render_table_add(struct table *t, const struct render_col *cols, const msgpack_object *item)
{
	struct strbuf sb = STRBUF_INIT;

	if (table_add_row(t) < 0)
		return -1;
	for (size_t i = 0; cols[i].label; i++) {
		strbuf_reset(&sb);
		render_cell(&sb, item, &cols[i]);
		table_set(t, i, strbuf_cstr(&sb), sb.len);
	}
	if (sb.failed)
		t->failed = true;
	strbuf_free(&sb);
	return t->failed ? -1 : 0;
}

/* Writes value s, indenting every line after the first by indent columns. */
static void put_lines(FILE *out, const char *s, size_t n, size_t indent)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;

		if (i)
			fprintf(out, "%*s", (int)indent, "");
		fwrite(s + i, 1, len, out);
		fputc('\n', out);
		i += len + (nl ? 1 : 0);
	}
}

void render_record(FILE *out, const struct render_view *v, const msgpack_object *obj, size_t width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lw = 0;

	/* Labels align on the widest of the lines that are shown. */
	for (const struct render_col *c = v->record; c->label; c++) {
		const char *label = T(c->label);
		size_t w = utf8_width(label, strlen(label)) + 1;

		strbuf_reset(&sb);
		render_cell(&sb, obj, c);
		if (sb.len > 0 && w > lw)
			lw = w;
	}
	for (const struct render_col *c = v->record; c->label; c++) {
		const char *label = T(c->label);
		size_t w = utf8_width(label, strlen(label)) + 1;

		strbuf_reset(&sb);
		render_cell(&sb, obj, c);
		if (sb.len == 0)
			continue;
		fprintf(out, "%s:%*s", label, (int)(lw - w + 2), "");
		table_clean(sb.buf, sb.len, true);
		put_lines(out, strbuf_cstr(&sb), sb.len, lw + 2);
	}
	for (const struct render_list *l = v->lists; l && l->title; l++) {
		const msgpack_object *a = obj_get(obj, l->key);
		struct table t;

		/* For a history, one entry is the current state, which the record shows. */
		if (!a || a->type != MSGPACK_OBJECT_ARRAY || a->via.array.size < l->min ||
		    a->via.array.size == 0)
			continue;
		if (render_table_init(&t, l->cols) == 0) {
			for (uint32_t i = 0; i < a->via.array.size; i++)
				render_table_add(&t, l->cols, &a->via.array.ptr[i]);
			fprintf(out, "\n%s:\n", T(l->title));
			table_print(&t, out, width);
		}
		table_free(&t);
	}
	strbuf_free(&sb);
}

/* True for the bookkeeping fields a change summary leaves out. */
static bool bookkeeping(const msgpack_object *before, const msgpack_object *after,
			const char *k, size_t n)
{
	char sib[80];
	static const char *const always[] = {"id", "created_at", "updated_at", "reported_at"};

	for (size_t i = 0; i < sizeof(always) / sizeof(always[0]); i++)
		if (strlen(always[i]) == n && memcmp(always[i], k, n) == 0)
			return true;
	/* owner_id beside owner_code or owner_name: the id says nothing more. */
	if (n > 3 && n < sizeof(sib) - 8 && memcmp(k + n - 3, "_id", 3) == 0) {
		static const char *const sfx[] = {"_code", "_name", "_login"};

		for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
			snprintf(sib, sizeof(sib), "%.*s%s", (int)(n - 3), k, sfx[i]);
			if (obj_get(after, sib) || obj_get(before, sib))
				return true;
		}
	}
	return false;
}

/* The value of key k[0..n) in map m, or NULL. */
static const msgpack_object *field(const msgpack_object *m, const char *k, size_t n)
{
	if (!m || m->type != MSGPACK_OBJECT_MAP)
		return NULL;
	for (uint32_t i = 0; i < m->via.map.size; i++) {
		const msgpack_object *key = &m->via.map.ptr[i].key;

		if (key->type == MSGPACK_OBJECT_STR && key->via.str.size == n &&
		    memcmp(key->via.str.ptr, k, n) == 0)
			return &m->via.map.ptr[i].val;
	}
	return NULL;
}

static bool is_nil(const msgpack_object *o)
{
	return !o || o->type == MSGPACK_OBJECT_NIL;
}

static bool nested(const msgpack_object *o)
{
	return o && (o->type == MSGPACK_OBJECT_ARRAY || o->type == MSGPACK_OBJECT_MAP);
}

static bool same(const msgpack_object *a, const msgpack_object *b)
{
	if (is_nil(a) || is_nil(b))
		return is_nil(a) && is_nil(b);
	return msgpack_object_equal(*a, *b);
}

/* How a change summary names the fields of objects (the same words as
 * the tables), and which labels their coded values have. */
static const struct {
	const char *key;
	const char *name;           /* N_(): said through T() */
	enum render_kind kinds[2];  /* tried in turn for a coded value; RENDER_TEXT: none */
} change_keys[] = {
	{"title", N_("Task title"), {RENDER_TEXT, RENDER_TEXT}},
	{"kind", N_("Kind"), {RENDER_TASK_KIND, RENDER_TERM_KIND}},
	{"field", N_("Field"), {RENDER_FIELD, RENDER_TEXT}},
	{"product", N_("Product"), {RENDER_TEXT, RENDER_TEXT}},
	{"description", N_("Description"), {RENDER_TEXT, RENDER_TEXT}},
	{"due_date", N_("Due"), {RENDER_TEXT, RENDER_TEXT}},
	{"state", N_("State"), {RENDER_STATE, RENDER_TEXT}},
	{"rating", N_("Rating"), {RENDER_RATING, RENDER_TEXT}},
	{"percent", N_("Progress"), {RENDER_TEXT, RENDER_TEXT}},
	{"decision_no", N_("Assignment decision"), {RENDER_TEXT, RENDER_TEXT}},
	{"decision_date", N_("Decision date"), {RENDER_TEXT, RENDER_TEXT}},
	{"state_note", N_("Note"), {RENDER_TEXT, RENDER_TEXT}},
	{"name", N_("Name"), {RENDER_TEXT, RENDER_TEXT}},
	{"code", N_("Code"), {RENDER_TEXT, RENDER_TEXT}},
	{"level", N_("Level"), {RENDER_TEXT, RENDER_TEXT}},
	{"full_name", N_("Full name"), {RENDER_TEXT, RENDER_TEXT}},
	{"done", N_("Done"), {RENDER_TEXT, RENDER_TEXT}},
	{"difficulties", N_("Difficulties"), {RENDER_TEXT, RENDER_TEXT}},
	{"proposals", N_("Proposals"), {RENDER_TEXT, RENDER_TEXT}},
	{"status", N_("Status"), {RENDER_STEP_STATUS, RENDER_AMENDMENT_STATUS}},
	{"result", N_("Result"), {RENDER_FOLLOWUP, RENDER_TEXT}},
	{"verdict", N_("Appraisal"), {RENDER_VERDICT, RENDER_TEXT}},
	{"role", N_("Role"), {RENDER_ROLE, RENDER_TEXT}},
	{"summary", N_("Summary"), {RENDER_TEXT, RENDER_TEXT}},
	{"reason", N_("Reason"), {RENDER_TEXT, RENDER_TEXT}},
	{"answer", N_("Answer"), {RENDER_TEXT, RENDER_TEXT}},
	{"answer_by", N_("Answer by"), {RENDER_TEXT, RENDER_TEXT}},
};

static int change_key(const char *k, size_t n)
{
	for (size_t i = 0; i < sizeof(change_keys) / sizeof(change_keys[0]); i++)
		if (strlen(change_keys[i].key) == n && memcmp(change_keys[i].key, k, n) == 0)
			return (int)i;
	return -1;
}

/* The label of a coded value of field key (change_keys), or NULL. */
static const char *change_label(int key, const msgpack_object *o)
{
	const char *label;

	if (key < 0 || !o || o->type != MSGPACK_OBJECT_STR)
		return NULL;
	for (int i = 0; i < 2; i++)
		if (change_keys[key].kinds[i] != RENDER_TEXT &&
		    (label = render_label(change_keys[key].kinds[i], o->via.str.ptr, o->via.str.size)))
			return label;
	return NULL;
}

/* Appends one value of a change summary (of field key, change_keys'
 * index or -1). */
static void change_value(struct strbuf *sb, const msgpack_object *o, int key)
{
	struct strbuf v = STRBUF_INIT;
	const char *label;
	size_t w, cut;

	if (is_nil(o)) {
		strbuf_adds(sb, "—");
		return;
	}
	if ((label = change_label(key, o))) {
		strbuf_adds(&v, label);
	} else if (o->type == MSGPACK_OBJECT_STR) {
		const char *s = o->via.str.ptr;
		size_t n = o->via.str.size;

		render_value(&v, o, n == 10 && date_valid(s, n) ? RENDER_DATE : RENDER_MOMENT);
	} else {
		render_value(&v, o, RENDER_BOOL);
	}
	if (utf8_width(v.buf ? v.buf : "", v.len) > RENDER_CHANGE_COLS) {
		cut = utf8_prefix(v.buf, v.len, RENDER_CHANGE_COLS - 1, &w);
		strbuf_add(sb, v.buf, cut);
		strbuf_adds(sb, "…");
	} else {
		strbuf_add(sb, strbuf_cstr(&v), v.len);
	}
	strbuf_free(&v);
}

/* Appends "k: old → new" (or "k: new" when old_too is false). */
static void change(struct strbuf *sb, bool *first, const char *k, size_t n,
		   const msgpack_object *old, const msgpack_object *new_, bool old_too)
{
	int key = change_key(k, n);

	strbuf_adds(sb, *first ? "" : "; ");
	*first = false;
	if (key >= 0)
		strbuf_adds(sb, T(change_keys[key].name));
	else
		strbuf_add(sb, k, n);
	strbuf_adds(sb, ": ");
	if (old_too) {
		change_value(sb, old, key);
		strbuf_adds(sb, " → ");
	}
	change_value(sb, new_, key);
}

/* Appends the changes inside a map-valued field k[0..n) (an update's
 * appraisal, a task's focal point), one level deep, each named "k.field":
 * ov is its value before (a map, or nil/NULL: none), nv after, a map;
 * old_too as change(). */
static void nested_changes(struct strbuf *sb, bool *first, const char *k, size_t n,
			   const msgpack_object *ov, const msgpack_object *nv, bool old_too)
{
	char name[96];

	for (uint32_t i = 0; i < nv->via.map.size; i++) {
		const msgpack_object *key = &nv->via.map.ptr[i].key;
		const msgpack_object *v = &nv->via.map.ptr[i].val, *o;

		if (key->type != MSGPACK_OBJECT_STR || nested(v) ||
		    bookkeeping(ov, nv, key->via.str.ptr, key->via.str.size))
			continue;
		o = field(ov, key->via.str.ptr, key->via.str.size);
		if (same(o, v) || (!old_too && !present(v)))
			continue;
		snprintf(name, sizeof(name), "%.*s.%.*s", (int)(n > 40 ? 40 : n), k,
			 (int)(key->via.str.size > 40 ? 40 : key->via.str.size), key->via.str.ptr);
		change(sb, first, name, strlen(name), o, v, old_too);
	}
}

void render_changes(struct strbuf *sb, const msgpack_object *before, const msgpack_object *after)
{
	bool has_before = before && before->type == MSGPACK_OBJECT_MAP;
	bool has_after = after && after->type == MSGPACK_OBJECT_MAP;
	bool first = true;

	if (has_after) {
		for (uint32_t i = 0; i < after->via.map.size; i++) {
			const msgpack_object *key = &after->via.map.ptr[i].key;
			const msgpack_object *nv = &after->via.map.ptr[i].val, *ov;
			const char *k;
			size_t n;

			if (key->type != MSGPACK_OBJECT_STR)
				continue;
			k = key->via.str.ptr;
			n = key->via.str.size;
			ov = field(before, k, n);
			if (nv->type == MSGPACK_OBJECT_MAP &&
			    (is_nil(ov) || ov->type == MSGPACK_OBJECT_MAP)) {
				nested_changes(sb, &first, k, n, ov, nv, has_before);
				continue;
			}
			if (bookkeeping(before, after, k, n) || nested(nv) || nested(ov))
				continue;
			if (!has_before) {
				if (present(nv))
					change(sb, &first, k, n, NULL, nv, false);
			} else if (!same(ov, nv)) {
				change(sb, &first, k, n, ov, nv, true);
			}
		}
	}
	if (!has_before)
		return;
	for (uint32_t i = 0; i < before->via.map.size; i++) {
		const msgpack_object *key = &before->via.map.ptr[i].key;
		const msgpack_object *ov = &before->via.map.ptr[i].val;

		if (key->type != MSGPACK_OBJECT_STR ||
		    field(after, key->via.str.ptr, key->via.str.size) ||
		    bookkeeping(before, after, key->via.str.ptr, key->via.str.size) || nested(ov) ||
		    is_nil(ov))
			continue;
		change(sb, &first, key->via.str.ptr, key->via.str.size, ov, NULL, true);
	}
}
