/*
 * db_report_past.c: see db_report_past.h.  One pass over the selected
 * tasks (with their timelines) and, beside it, over the plan's dated steps,
 * both in task order; every part of the report is gathered on the way.
 * Only the rows a report shows (the units, the managing bodies, the lists'
 * first tasks) are then read by id, and each is packed by a statement that
 * computes its rates and reads its names as db_report.c's does, so that
 * the types and roundings are SQLite's own.
 */
#include "db_report_past.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "db_facts.h"
#include "db_health.h"
#include "db_internal.h"
#include "db_timeline.h"
#include "pack.h"

/* The counts of a group, in db_report.c's REP_TALLY order. */
enum { T_TOTAL, T_ASSIGNED, T_ON_TIME, T_LATE, T_WITHIN, T_OVERDUE, T_NOT_ASSIGNED,
       T_CANCELLED, T_CARRIED, T_ON_TRACK, T_AT_RISK, T_STALLED, T_N };
#define OWN_N 6 /* own_total ... own_overdue: the first six */

/* ---- the statements that pack a row of bound figures ---- */

#define PAST_TALLY \
	"?21 AS total, ?22 AS assigned, ?23 AS done_on_time, ?24 AS done_late," \
	" ?25 AS within_deadline, ?26 AS overdue, ?27 AS not_assigned, ?28 AS cancelled," \
	" ?29 AS carried_over, ?30 AS on_track, ?31 AS at_risk, ?32 AS stalled"
#define PAST_TALLY_FIRST 21
#define PAST_RATES \
	"CASE WHEN ?22 > 0 THEN round(100.0 * (?23 + ?24) / ?22, 1) END AS completion_rate," \
	" CASE WHEN ?23 + ?24 > 0 THEN round(100.0 * ?23 / (?23 + ?24), 1) END AS on_time_rate," \
	" CASE WHEN ?22 > 0 THEN round(100.0 * ?26 / ?22, 1) END AS overdue_rate"
#define PAST_OWN_FIRST 41

static const char SQL_CUTOFF_OF[] = "SELECT " SQL_CUTOFF;
static const char SQL_SUMMARY[] = "SELECT ?20 AS cadres, " PAST_TALLY ", " PAST_RATES;
static const char SQL_BODY[] =
	"SELECT un.id AS unit_id, un.code AS unit_code, " SQL_UNIT_NAME("un.id", "?9")
	" AS unit_name, ?2 AS level, ?3 AS tasks, ?4 AS cadres FROM units un WHERE un.id = ?1";
static const char SQL_UNIT[] =
	"SELECT un.id AS unit_id, un.code AS unit_code, " SQL_UNIT_NAME("un.id", "?9")
	" AS unit_name, ?2 AS depth, " PAST_TALLY ", " PAST_RATES ","
	" ?41 AS own_total, ?42 AS own_assigned, ?43 AS own_done_on_time, ?44 AS own_done_late,"
	" ?45 AS own_within_deadline, ?46 AS own_overdue FROM units un WHERE un.id = ?1";
static const char SQL_FIELD[] =
	"SELECT ?1 AS field, ?2 AS kind, " PAST_TALLY ", " PAST_RATES;
static const char SQL_STATE[] = "SELECT ?1 AS state, ?2 AS total";
static const char SQL_RATINGS[] =
	"SELECT ?1 AS excellent, ?2 AS good, ?3 AS done, ?4 AS not_done, ?5 AS unrated";
static const char SQL_MONTH[] = "SELECT ?1 AS month, ?2 AS done, ?3 AS done_on_time";
#define PAST_TASK_COLUMNS \
	"t.id AS id, t.title AS title, t.unit_id AS unit_id, un.code AS unit_code," \
	" " SQL_UNIT_NAME("t.unit_id", "?9") " AS unit_name, t.owner_id AS owner_id," \
	" o.code AS owner_code, o.full_name AS owner_name, t.due_date AS due_date, ?2 AS percent"
#define PAST_TASK_FROM \
	" FROM tasks t JOIN cadres o ON o.id = t.owner_id JOIN units un ON un.id = t.unit_id" \
	" WHERE t.id = ?1"
static const char SQL_OVERDUE_ROW[] =
	"SELECT " PAST_TASK_COLUMNS ", ?3 AS days_late" PAST_TASK_FROM;
static const char SQL_STALLED_ROW[] =
	"SELECT " PAST_TASK_COLUMNS ", ?3 AS days_quiet, ?4 AS last_update_at" PAST_TASK_FROM;

/* ---- what the pass reads ---- */

static const char SQL_UNITS_ALL[] = "SELECT id, parent_id FROM units ORDER BY id";
static const char SQL_CADRES_MAX[] = "SELECT coalesce(max(id), 0) FROM cadres";
/* Each cadre's managing body, read once: cheaper than a lookup per task. */
static const char SQL_CADRES_ALL[] = "SELECT id, managing_unit_id FROM cadres";
static const char SQL_TERM_START[] = "SELECT start_date FROM terms WHERE id = ?1";
/* The tasks of db_report.c's ROWS_FILL, with what the judgement and the
 * groupings read, in id order (its joins of terms and cadres are made in
 * C: the term's start and the cadres' managing bodies read once). */
static const char SQL_TASKS[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") ", " SQL_SUBTREE_AS("scope_sub", "?13") " "
	"SELECT t.id, t.owner_id, t.unit_id, t.decision_date, t.field, t.kind, t.due_date,"
	" tl.versions FROM tasks t"
	" LEFT JOIN task_timeline tl ON tl.task_id = t.id WHERE t.term_id = ?3"
	" AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))"
	" AND (?1 IS NULL OR t.unit_id IN (SELECT id FROM sub)) ORDER BY t.id";
/* The plan's dated steps that count (db_health.h: SQL_STEPS), in task order. */
static const char SQL_STEPS_ALL[] =
	"SELECT p.task_id, p.due_date FROM plan_steps p WHERE p.removed_at IS NULL"
	" AND p.status <> 'dropped' AND p.due_date IS NOT NULL ORDER BY p.task_id";

struct unit {
	int64_t id, parent;      /* parent: an index, -1 for none or unknown */
	int64_t first_child, next; /* indexes, -1 for none; children by id */
	int depth;               /* below the base, -1 outside its subtree */
	int64_t own[T_N], sub[T_N];
	int64_t body_tasks, body_cadres; /* as a managing body */
};

struct field {
	char *field, *kind; /* owned */
	int64_t c[T_N];
};

/* A task of the overdue or stalled list: ordered by key (days) down, then id. */
struct listed {
	int64_t id, key, percent, last_at;
};

struct list {
	struct listed *v;
	size_t n, cap;
};

#define MONTHS (1200 * 12) /* 1900-01 to 3099-12 */
#define DAYS_KNOWN 73000   /* days from 1970 whose local dates are cached: to 2169 */
#define OFFSET_UNSET INT32_MIN
#define OFFSET_VARIES INT32_MAX

struct past {
	const struct past_selection *f;
	struct unit *units;
	size_t nunits;
	int64_t *by_id;  /* unit id -> index (-1: none) when ids are dense, else NULL */
	int64_t nby_id;
	int64_t *order; /* the base's subtree in tree order (db_report.c's path) */
	size_t norder;
	struct field *fields;
	size_t nfields, capfields, last_field;
	unsigned char *owners; /* a bit per cadre id seen */
	int64_t max_owner;
	int64_t *managing; /* cadre id -> its managing body's id, 0: no such cadre */
	char term_start[DATE_LEN];
	bool term_found;
	int64_t cadres, all[T_N], states[DB_TIMELINE_STATES], ratings[DB_TIMELINE_RATINGS + 1];
	int64_t *month_done, *month_on_time;
	struct list overdue, stalled;
	/* The local day of a moment without the C library's zone lock for
	 * every one of a million moments: the zone's offset on each UTC day
	 * (OFFSET_VARIES where it changes within the day), and each local
	 * day's ISO date, both filled as met. */
	int32_t *offsets;
	char (*iso)[DATE_LEN];
};

static void past_free(struct past *p)
{
	for (size_t i = 0; i < p->nfields; i++) {
		free(p->fields[i].field);
		free(p->fields[i].kind);
	}
	free(p->fields);
	free(p->units);
	free(p->order);
	free(p->by_id);
	free(p->owners);
	free(p->managing);
	free(p->month_done);
	free(p->month_on_time);
	free(p->overdue.v);
	free(p->stalled.v);
	free(p->offsets);
	free(p->iso);
}

/* The local zone's offset from UTC at moment t, in seconds. */
static int64_t offset_at(time_t t)
{
	struct tm tm;

	localtime_r(&t, &tm);
	return (int64_t)timegm(&tm) - (int64_t)t;
}

/* The local ISO date of moment t (seconds since the epoch, UTC) into out,
 * as date_of() says it. */
static void local_day(struct past *p, int64_t t, char out[DATE_LEN])
{
	int64_t utc_day = t / 86400, day;
	int32_t off;

	if (t < 0 || utc_day >= DAYS_KNOWN) {
		date_of((time_t)t, out);
		return;
	}
	off = p->offsets[utc_day];
	if (off == OFFSET_UNSET) {
		int64_t a = offset_at((time_t)(utc_day * 86400)),
			b = offset_at((time_t)(utc_day * 86400 + 86399));

		off = p->offsets[utc_day] = a == b && a > -86400 && a < 86400 ? (int32_t)a
									    : OFFSET_VARIES;
	}
	day = (t + off) / 86400;
	if (off == OFFSET_VARIES || day < 0 || day >= DAYS_KNOWN) {
		date_of((time_t)t, out);
		return;
	}
	if (!p->iso[day][0])
		date_from_days((long)day, p->iso[day]);
	memcpy(out, p->iso[day], DATE_LEN);
}

static int oom(struct rpc_error *err)
{
	return errors_set(err, RPC_INTERNAL, "out of memory");
}

/* The index of unit id, -1 when there is none. */
static int64_t unit_at(const struct past *p, int64_t id)
{
	size_t lo = 0, hi = p->nunits;

	if (p->by_id)
		return id > 0 && id < p->nby_id ? p->by_id[id] : -1;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (p->units[mid].id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < p->nunits && p->units[lo].id == id ? (int64_t)lo : -1;
}

/* Reads every unit, links the tree, and orders the base's subtree: unit
 * f->unit, else the scope, else the roots (db_report.c's REP_BASE). */
static int load_units(struct db *db, struct past *p, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_UNITS_ALL, err);
	int64_t *parent_ids = NULL, base = p->f->unit ? p->f->unit : p->f->scope;
	size_t cap = 0, top = 0;
	int rc;

	if (!st)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (p->nunits == cap) {
			size_t c2 = cap ? cap * 2 : 256;
			struct unit *u = realloc(p->units, c2 * sizeof(*u));
			int64_t *q = realloc(parent_ids, c2 * sizeof(*q));

			if (u)
				p->units = u;
			if (q)
				parent_ids = q;
			if (!u || !q) {
				sqlite3_reset(st);
				free(parent_ids);
				return oom(err);
			}
			cap = c2;
		}
		memset(&p->units[p->nunits], 0, sizeof(p->units[0]));
		p->units[p->nunits].id = sqlite3_column_int64(st, 0);
		parent_ids[p->nunits] = sqlite3_column_type(st, 1) == SQLITE_NULL
						? 0
						: sqlite3_column_int64(st, 1);
		p->nunits++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(parent_ids);
		return db_fail(db, rc, "reading the units", err);
	}
	/* Ids are dense unless units were deleted in bulk: an array, else a
	 * binary search. */
	if (p->nunits && p->units[p->nunits - 1].id < 4 * (int64_t)p->nunits + 1024 &&
	    (p->by_id = malloc((size_t)(p->units[p->nunits - 1].id + 1) * sizeof(*p->by_id)))) {
		p->nby_id = p->units[p->nunits - 1].id + 1;
		for (int64_t k = 0; k < p->nby_id; k++)
			p->by_id[k] = -1;
		for (size_t i = 0; i < p->nunits; i++)
			if (p->units[i].id > 0)
				p->by_id[p->units[i].id] = (int64_t)i;
	}
	for (size_t i = 0; i < p->nunits; i++) {
		struct unit *u = &p->units[i];

		u->parent = parent_ids[i] ? unit_at(p, parent_ids[i]) : -1;
		u->depth = -1;
		u->first_child = -1;
	}
	/* Children pushed in front from the last: each list ends up by id. */
	for (size_t i = p->nunits; i-- > 0;) {
		struct unit *u = &p->units[i];

		if (u->parent >= 0) {
			u->next = p->units[u->parent].first_child;
			p->units[u->parent].first_child = (int64_t)i;
		} else {
			u->next = -1;
		}
	}
	/* The tree in preorder, roots by id: what ORDER BY the zero-padded
	 * path of ids gives. */
	if (!(p->order = malloc((p->nunits ? p->nunits : 1) * sizeof(*p->order)))) {
		free(parent_ids);
		return oom(err);
	}
	{
		int64_t *stack = malloc((p->nunits ? p->nunits : 1) * sizeof(*stack));

		if (!stack) {
			free(parent_ids);
			return oom(err);
		}
		for (size_t r = p->nunits; r-- > 0;) {
			bool is_base = base ? p->units[r].id == base : parent_ids[r] == 0;

			if (is_base) {
				p->units[r].depth = 0;
				stack[top++] = (int64_t)r;
			}
		}
		while (top > 0) {
			int64_t i = stack[--top];
			size_t first = top;

			p->order[p->norder++] = i;
			for (int64_t c = p->units[i].first_child; c >= 0; c = p->units[c].next) {
				if (p->units[c].depth >= 0)
					continue; /* a circle: never twice */
				p->units[c].depth = p->units[i].depth + 1;
				stack[top++] = c;
			}
			/* Reversed, so the smallest id comes off the stack first. */
			for (size_t a = first, b = top; a + 1 < b; a++, b--) {
				int64_t t = stack[a];

				stack[a] = stack[b - 1];
				stack[b - 1] = t;
			}
		}
		free(stack);
	}
	free(parent_ids);
	return RPC_OK;
}

/* Copies name (a code's, NULL for none) into out of n bytes. */
static void copy_name(const char *name, char *out, size_t n)
{
	size_t len = name ? strlen(name) : 0;

	len = len < n ? len : n - 1;
	memcpy(out, name ? name : "", len);
	out[len] = '\0';
}

/* Each cadre's managing body, and the term's start. */
static int load_cadres(struct db *db, struct past *p, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_CADRES_ALL, err);
	int rc;

	if (!st)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0);

		if (id > 0 && id <= p->max_owner)
			p->managing[id] = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the cadres", err);
	if (!(st = db_prep(db, SQL_TERM_START, err, "i", p->f->term)))
		return err->code;
	rc = sqlite3_step(st);
	p->term_found = rc == SQLITE_ROW;
	if (p->term_found)
		copy_name((const char *)sqlite3_column_text(st, 0), p->term_start,
			  sizeof(p->term_start));
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the term", err);
	return RPC_OK;
}

/* The group of field and kind, NULL when out of memory. */
static struct field *field_of(struct past *p, const char *field, const char *kind)
{
	struct field *g = p->nfields ? &p->fields[p->last_field] : NULL;

	if (g && !strcmp(g->field, field) && !strcmp(g->kind, kind))
		return g; /* tasks of a unit are mostly of one field and kind */
	for (size_t i = 0; i < p->nfields; i++)
		if (!strcmp(p->fields[i].field, field) && !strcmp(p->fields[i].kind, kind)) {
			p->last_field = i;
			return &p->fields[i];
		}
	if (!db_grow((void **)&p->fields, &p->capfields, p->nfields + 1, sizeof(*p->fields)))
		return NULL;
	g = &p->fields[p->nfields];
	memset(g, 0, sizeof(*g));
	g->field = strdup(field);
	g->kind = strdup(kind);
	if (!g->field || !g->kind) {
		free(g->field);
		free(g->kind);
		return NULL;
	}
	p->last_field = p->nfields++;
	return g;
}

static bool list_add(struct list *l, int64_t id, int64_t key, int64_t percent, int64_t last_at)
{
	if (!db_grow((void **)&l->v, &l->cap, l->n + 1, sizeof(*l->v)))
		return false;
	l->v[l->n++] = (struct listed){id, key, percent, last_at};
	return true;
}

/* The counter of a status (T_*), of a health (T_* or -1). */
static int status_counter(const char *s)
{
	static const char *const names[] = {"done_on_time", "done_late", "within_deadline",
					    "overdue", "not_assigned", "cancelled", "carried_over"};

	for (int i = 0; i < 7; i++)
		if (!strcmp(s, names[i]))
			return T_ON_TIME + i;
	return -1;
}

static int health_counter(const char *h)
{
	return !h ? -1 : !strcmp(h, "on_track") ? T_ON_TRACK : !strcmp(h, "at_risk") ? T_AT_RISK
											: T_STALLED;
}

static void count(int64_t *c, int s, int h)
{
	c[T_TOTAL]++;
	if (s <= T_OVERDUE)
		c[T_ASSIGNED]++;
	c[s]++;
	if (h >= 0)
		c[h]++;
}

/* One task of the selection, its facts on the cut-off judged: into every
 * part. */
static int gather(struct past *p, const struct db_timeline_facts *v, const struct task_facts *tf,
		  const struct task_days *days, const struct task_judgement *j, int64_t id,
		  int64_t owner, int64_t unit, int64_t body, const char *field, const char *kind)
{
	int s = status_counter(j->status), h = health_counter(j->health);
	int64_t ui = unit_at(p, unit), bi = unit_at(p, body);
	struct field *g;

	if (s < 0)
		return -1;
	count(p->all, s, h);
	if (ui >= 0 && p->units[ui].depth >= 0)
		count(p->units[ui].own, s, h);
	if (bi >= 0)
		p->units[bi].body_tasks++;
	if (owner >= 0 && owner <= p->max_owner && !(p->owners[owner / 8] & 1 << (owner % 8))) {
		p->owners[owner / 8] |= (unsigned char)(1 << (owner % 8));
		p->cadres++;
		if (bi >= 0)
			p->units[bi].body_cadres++;
	}
	if (!(g = field_of(p, field, kind)))
		return -2;
	count(g->c, s, h);
	p->states[v->state]++;
	if (v->state == 7 /* accepted */)
		p->ratings[v->rating]++;
	if ((s == T_ON_TIME || s == T_LATE) && days->done[0]) {
		const char *d = days->done; /* "YYYY-MM-DD" */
		int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0'),
		    m = (d[5] - '0') * 10 + (d[6] - '0');

		if (y >= 1900 && y < 3100 && m >= 1 && m <= 12) {
			p->month_done[(y - 1900) * 12 + m - 1]++;
			p->month_on_time[(y - 1900) * 12 + m - 1] += s == T_ON_TIME;
		}
	}
	if (s == T_OVERDUE &&
	    !list_add(&p->overdue, id, date_days(p->f->as_of) - date_days(tf->due), tf->percent, 0))
		return -2;
	if (h == T_STALLED && !list_add(&p->stalled, id, j->days, tf->percent, v->last_at))
		return -2;
	return 0;
}


/* The facts of db_facts.h from a version and the task's row, with the
 * local days of its moments (db_facts_judge_days: the moments' text is
 * not needed). */
static void facts_of(struct past *p, const struct db_timeline_facts *v, sqlite3_stmt *st,
		     const char *start, int steps, int steps_due, struct task_facts *f,
		     struct task_days *days)
{
	copy_name(db_timeline_state_name(v->state), f->state, sizeof(f->state));
	copy_name(db_timeline_rating_name(v->rating), f->rating, sizeof(f->rating));
	f->percent = v->percent;
	f->last_at[0] = f->done_at[0] = f->assigned_at[0] = '\0';
	copy_name((const char *)sqlite3_column_text(st, 6), f->due, sizeof(f->due));
	copy_name(start, f->start, sizeof(f->start));
	f->steps = steps;
	f->steps_due = steps_due;
	days->done[0] = days->last[0] = days->assigned[0] = '\0';
	days->has_last = v->last_at != 0;
	if (v->done_at)
		local_day(p, v->done_at, days->done);
	if (v->last_at)
		local_day(p, v->last_at, days->last);
	if (v->assigned_at)
		local_day(p, v->assigned_at, days->assigned);
}

/* The steps cursor: the dated steps of task id counted, the cursor left
 * on the first step of a later task.  *row tells whether it stands on one. */
static int steps_of(struct db *db, sqlite3_stmt *steps, int *row, int64_t id, const char *d,
		    int *n, int *due, struct rpc_error *err)
{
	*n = *due = 0;
	while (*row == SQLITE_ROW && sqlite3_column_int64(steps, 0) <= id) {
		if (sqlite3_column_int64(steps, 0) == id) {
			const char *when = (const char *)sqlite3_column_text(steps, 1);

			(*n)++;
			*due += when && strcmp(when, d) <= 0;
		}
		*row = sqlite3_step(steps);
	}
	if (*row != SQLITE_ROW && *row != SQLITE_DONE)
		return db_fail(db, *row, "reading the plans' steps", err);
	return RPC_OK;
}

/* The pass: every task of the selection on the cut-off.  *whole is false
 * when a timeline is missing or unreadable. */
static int pass(struct db *db, struct past *p, int64_t cutoff, bool *whole,
		struct rpc_error *err)
{
	const struct past_selection *f = p->f;
	sqlite3_stmt *st = db_prep(db, SQL_TASKS, err, "r3r13r", f->unit, f->term, f->scope);
	sqlite3_stmt *steps;
	int rc, row, bad = 0;

	if (!st)
		return err->code;
	if (!(steps = db_stmt(db, SQL_STEPS_ALL, err))) {
		sqlite3_reset(st);
		return err->code;
	}
	row = sqlite3_step(steps);
	*whole = true;
	/* No term, no task (the reference joins terms). */
	while ((rc = p->term_found ? sqlite3_step(st) : SQLITE_DONE) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(st, 0), owner = sqlite3_column_int64(st, 1);
		int64_t body = owner > 0 && owner <= p->max_owner ? p->managing[owner] : 0;
		const char *decided = (const char *)sqlite3_column_text(st, 3);
		struct db_timeline_facts v;
		struct task_facts tf;
		struct task_days days;
		struct task_judgement j;
		int n, due, at;

		if (steps_of(db, steps, &row, id, f->as_of, &n, &due, err) != RPC_OK) {
			bad = -3;
			break;
		}
		if (!body)
			continue; /* no such cadre: the reference's join leaves it out */
		if (sqlite3_column_type(st, 7) != SQLITE_BLOB) {
			*whole = false;
			break;
		}
		at = db_timeline_at(sqlite3_column_blob(st, 7), (size_t)sqlite3_column_bytes(st, 7),
				    cutoff, &v);
		if (at < 0) {
			*whole = false;
			break;
		}
		if (at == 0 || !v.state)
			continue; /* not there yet on the cut-off */
		facts_of(p, &v, st, decided ? decided : p->term_start, n, due, &tf, &days);
		db_facts_judge_days(&tf, &days, f->as_of, &j);
		if (!j.status)
			continue;
		bad = gather(p, &v, &tf, &days, &j, id, owner, sqlite3_column_int64(st, 2), body,
			     (const char *)sqlite3_column_text(st, 4),
			     (const char *)sqlite3_column_text(st, 5));
		if (bad == -1)
			*whole = false; /* a status this pass cannot count */
		if (bad)
			break;
	}
	sqlite3_reset(steps);
	sqlite3_reset(st);
	if (bad == -2)
		return oom(err);
	if (bad == -3)
		return err->code;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "reading the tasks", err);
	return RPC_OK;
}

/* ---- packing ---- */

/* Steps st, bound with b (the OR of the binds), and packs its one row. */
static int pack_stmt_row(struct db *db, sqlite3_stmt *st, int b, msgpack_packer *pk,
			 struct rpc_error *err)
{
	int rc;

	if (db_bind_check(db, st, b, err) != RPC_OK)
		return err->code;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return db_done(st, rc == SQLITE_DONE
					   ? errors_set(err, RPC_INTERNAL, "a row of the report is gone")
					   : db_fail(db, rc, "packing the report", err));
	db_pack_row(st, pk, NULL);
	sqlite3_reset(st);
	return RPC_OK;
}

static int bind_counts(sqlite3_stmt *st, int first, const int64_t *c, int n)
{
	int b = SQLITE_OK;

	for (int i = 0; i < n; i++)
		b |= sqlite3_bind_int64(st, first + i, c[i]);
	return b;
}

static int pack_summary(struct db *db, struct past *p, msgpack_packer *pk,
			struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_SUMMARY, err);

	pack_str(pk, "summary");
	if (!st)
		return err->code;
	return pack_stmt_row(db, st,
			     sqlite3_bind_int64(st, 20, p->cadres) |
				     bind_counts(st, PAST_TALLY_FIRST, p->all, T_N),
			     pk, err);
}

/* The level of a managing body from the base: 0 itself, 1 below, 2 above. */
static int level_of(const struct unit *u)
{
	return u->depth == 0 ? 0 : u->depth > 0 ? 1 : 2;
}

/* A managing body with what it is ordered by: level, tasks down, id. */
struct body {
	int level;
	int64_t tasks, id, index;
};

static int cmp_bodies(const void *a, const void *b)
{
	const struct body *x = a, *y = b;

	if (x->level != y->level)
		return x->level - y->level;
	if (x->tasks != y->tasks)
		return x->tasks > y->tasks ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

static int pack_managing(struct db *db, struct past *p, msgpack_packer *pk,
			 struct rpc_error *err)
{
	static const char *const levels[3] = {"base", "below", "above"};
	int64_t tasks[3] = {0}, cadres[3] = {0};
	struct body *bodies;
	size_t n = 0;
	int rc = RPC_OK;

	if (!(bodies = malloc((p->nunits ? p->nunits : 1) * sizeof(*bodies))))
		return oom(err);
	for (size_t i = 0; i < p->nunits; i++)
		if (p->units[i].body_tasks)
			bodies[n++] = (struct body){level_of(&p->units[i]), p->units[i].body_tasks,
						    p->units[i].id, (int64_t)i};
	qsort(bodies, n, sizeof(*bodies), cmp_bodies);
	pack_str(pk, "managing");
	msgpack_pack_map(pk, 4);
	pack_str(pk, "bodies");
	msgpack_pack_array(pk, n);
	for (size_t i = 0; i < n && rc == RPC_OK; i++) {
		const struct unit *u = &p->units[bodies[i].index];
		sqlite3_stmt *st = db_stmt(db, SQL_BODY, err);
		int k = level_of(u);

		if (!st) {
			rc = err->code;
			break;
		}
		rc = pack_stmt_row(db, st,
				   sqlite3_bind_int64(st, 1, u->id) |
					   db_bind_cstr(st, 2, levels[k]) |
					   sqlite3_bind_int64(st, 3, u->body_tasks) |
					   sqlite3_bind_int64(st, 4, u->body_cadres) |
					   db_bind_cstr(st, 9, p->f->as_of),
				   pk, err);
		tasks[k] += u->body_tasks;
		cadres[k] += u->body_cadres;
	}
	free(bodies);
	if (rc != RPC_OK)
		return rc;
	for (int k = 0; k < 3; k++) {
		pack_str(pk, levels[k]);
		msgpack_pack_map(pk, 2);
		pack_kv_int(pk, "tasks", tasks[k]);
		pack_kv_int(pk, "cadres", cadres[k]);
	}
	return RPC_OK;
}

/* db_report.c's pack_units on the pass's tree: the depth listed, then
 * every unit down to it with tasks in its subtree, in tree order. */
static int pack_units(struct db *db, struct past *p, msgpack_packer *pk, struct rpc_error *err)
{
	const struct past_selection *f = p->f;
	int64_t listed = 0, below = 0, depth = -1, shown = 0, *per_level;
	int maxd = 0;
	int rc = RPC_OK;

	/* Each unit's subtree: its own counts and its children's, leaves first. */
	for (size_t i = p->norder; i-- > 0;) {
		struct unit *u = &p->units[p->order[i]];

		for (int k = 0; k < T_N; k++)
			u->sub[k] += u->own[k];
		if (u->depth > 0 && u->parent >= 0)
			for (int k = 0; k < T_N; k++)
				p->units[u->parent].sub[k] += u->sub[k];
		if (u->depth > maxd)
			maxd = u->depth;
	}
	if (!(per_level = calloc((size_t)maxd + 1, sizeof(*per_level))))
		return oom(err);
	for (size_t i = 0; i < p->norder; i++)
		per_level[p->units[p->order[i]].depth]++;
	for (int level = 0; p->norder && level <= maxd; level++) {
		int64_t n = per_level[level];
		bool fits = f->depth >= 0 ? level <= f->depth
					  : depth + 1 == level &&
						    (level == 0 || listed + n <= f->units_max);

		if (fits) {
			listed += n;
			depth = level;
		} else {
			below += n;
		}
	}
	free(per_level);
	depth = f->depth >= 0 ? f->depth : depth < 0 ? 0 : depth;
	for (size_t i = 0; i < p->norder; i++) {
		const struct unit *u = &p->units[p->order[i]];

		shown += u->depth <= depth && u->sub[T_TOTAL] > 0;
	}
	pack_str(pk, "units");
	msgpack_pack_array(pk, (size_t)shown);
	for (size_t i = 0; i < p->norder && rc == RPC_OK; i++) {
		const struct unit *u = &p->units[p->order[i]];
		sqlite3_stmt *st;

		if (u->depth > depth || u->sub[T_TOTAL] == 0)
			continue;
		if (!(st = db_stmt(db, SQL_UNIT, err)))
			return err->code;
		rc = pack_stmt_row(db, st,
				   sqlite3_bind_int64(st, 1, u->id) |
					   sqlite3_bind_int64(st, 2, u->depth) |
					   db_bind_cstr(st, 9, f->as_of) |
					   bind_counts(st, PAST_TALLY_FIRST, u->sub, T_N) |
					   bind_counts(st, PAST_OWN_FIRST, u->own, OWN_N),
				   pk, err);
	}
	if (rc != RPC_OK)
		return rc;
	pack_kv_int(pk, "units_depth", depth);
	pack_kv_int(pk, "units_below", below);
	return RPC_OK;
}

static int cmp_fields(const void *a, const void *b)
{
	const struct field *x = a, *y = b;
	int c = strcmp(x->field, y->field);

	return c ? c : strcmp(x->kind, y->kind);
}

static int pack_fields(struct db *db, struct past *p, msgpack_packer *pk, struct rpc_error *err)
{
	if (p->nfields)
		qsort(p->fields, p->nfields, sizeof(*p->fields), cmp_fields);
	pack_str(pk, "fields");
	msgpack_pack_array(pk, p->nfields);
	for (size_t i = 0; i < p->nfields; i++) {
		const struct field *g = &p->fields[i];
		sqlite3_stmt *st = db_stmt(db, SQL_FIELD, err);

		if (!st || pack_stmt_row(db, st,
					 db_bind_cstr(st, 1, g->field) | db_bind_cstr(st, 2, g->kind) |
						 bind_counts(st, PAST_TALLY_FIRST, g->c, T_N),
					 pk, err) != RPC_OK)
			return err->code;
	}
	return RPC_OK;
}

/* Packs the one row of sql with name bound to ?1 and the n counts c to ?2... */
static int pack_named(struct db *db, const char *sql, const char *name, const int64_t *c, int n,
		      msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);

	if (!st)
		return err->code;
	return pack_stmt_row(db, st, db_bind_cstr(st, 1, name) | bind_counts(st, 2, c, n), pk, err);
}

static int pack_states(struct db *db, struct past *p, msgpack_packer *pk, struct rpc_error *err)
{
	size_t n = 0;

	for (int s = 1; s < DB_TIMELINE_STATES; s++)
		n += p->states[s] > 0;
	pack_str(pk, "states");
	msgpack_pack_array(pk, n);
	for (int s = 1; s < DB_TIMELINE_STATES; s++)
		if (p->states[s] &&
		    pack_named(db, SQL_STATE, db_timeline_state_name(s), &p->states[s], 1, pk, err) !=
			    RPC_OK)
			return err->code;
	return RPC_OK;
}

static int pack_ratings(struct db *db, struct past *p, msgpack_packer *pk, struct rpc_error *err)
{
	/* excellent, good, done, not_done, then none (code 0) as unrated */
	const int64_t c[5] = {p->ratings[1], p->ratings[2], p->ratings[3], p->ratings[4],
			      p->ratings[0]};
	sqlite3_stmt *st = db_stmt(db, SQL_RATINGS, err);

	pack_str(pk, "ratings");
	return st ? pack_stmt_row(db, st, bind_counts(st, 1, c, 5), pk, err) : err->code;
}

static int pack_monthly(struct db *db, struct past *p, msgpack_packer *pk, struct rpc_error *err)
{
	size_t n = 0;

	for (int i = 0; i < MONTHS; i++)
		n += p->month_done[i] > 0;
	pack_str(pk, "monthly");
	msgpack_pack_array(pk, n);
	for (int i = 0; i < MONTHS; i++) {
		const int64_t c[2] = {p->month_done[i], p->month_on_time[i]};
		char month[16];

		if (!c[0])
			continue;
		snprintf(month, sizeof(month), "%04d-%02d", 1900 + i / 12, i % 12 + 1);
		if (pack_named(db, SQL_MONTH, month, c, 2, pk, err) != RPC_OK)
			return err->code;
	}
	return RPC_OK;
}

static int cmp_listed(const void *a, const void *b)
{
	const struct listed *x = a, *y = b;

	if (x->key != y->key)
		return x->key > y->key ? -1 : 1;
	return (x->id > y->id) - (x->id < y->id);
}

/* Moves the first k of l's n tasks (cmp_listed's order) to its front,
 * sorted: a heap of the k best so far, its root the worst of them. */
static void first_k(struct list *l, size_t k)
{
	struct listed *v = l->v;

	if (!l->n || !k)
		return; /* (qsort takes no NULL, even for nothing) */
	if (k >= l->n) {
		qsort(v, l->n, sizeof(*v), cmp_listed);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		size_t at, size = i < k ? i + 1 : k;

		if (i >= k && cmp_listed(&v[i], &v[0]) >= 0)
			continue; /* not before the worst kept */
		if (i < k) { /* grow: sift up from the end */
			at = i;
			while (at > 0 && cmp_listed(&v[(at - 1) / 2], &v[at]) < 0) {
				struct listed t = v[at];

				v[at] = v[(at - 1) / 2];
				v[(at - 1) / 2] = t;
				at = (at - 1) / 2;
			}
			continue;
		}
		v[0] = v[i]; /* replace the worst: sift down */
		for (at = 0;;) {
			size_t c = 2 * at + 1, worst = at;

			if (c < size && cmp_listed(&v[c], &v[worst]) > 0)
				worst = c;
			if (c + 1 < size && cmp_listed(&v[c + 1], &v[worst]) > 0)
				worst = c + 1;
			if (worst == at)
				break;
			struct listed t = v[at];

			v[at] = v[worst];
			v[worst] = t;
			at = worst;
		}
	}
	qsort(v, k, sizeof(*v), cmp_listed);
}

/* The first f->limit tasks of list l (all when negative, as LIMIT -1),
 * with sql, then key_total and the list's length. */
static int pack_list(struct db *db, struct past *p, struct list *l, const char *key,
		     const char *sql, bool stalled, const char *key_total, msgpack_packer *pk,
		     struct rpc_error *err)
{
	size_t n = p->f->limit < 0 || (uint64_t)p->f->limit > l->n ? l->n : (size_t)p->f->limit;

	first_k(l, n);
	pack_str(pk, key);
	msgpack_pack_array(pk, n);
	for (size_t i = 0; i < n; i++) {
		const struct listed *t = &l->v[i];
		sqlite3_stmt *st = db_stmt(db, sql, err);
		char last[TIMESTAMP_LEN];
		int b;

		if (!st)
			return err->code;
		b = sqlite3_bind_int64(st, 1, t->id) | sqlite3_bind_int64(st, 2, t->percent) |
		    sqlite3_bind_int64(st, 3, t->key) | db_bind_cstr(st, 9, p->f->as_of);
		if (stalled && t->last_at) {
			date_timestamp((time_t)t->last_at, last);
			b |= sqlite3_bind_text(st, 4, last, -1, SQLITE_TRANSIENT);
		}
		if (pack_stmt_row(db, st, b, pk, err) != RPC_OK)
			return err->code;
	}
	pack_kv_int(pk, key_total, (int64_t)l->n);
	return RPC_OK;
}

static int pack_parts(struct db *db, struct past *p, msgpack_packer *pk, struct rpc_error *err)
{
	if (pack_summary(db, p, pk, err) != RPC_OK || pack_managing(db, p, pk, err) != RPC_OK ||
	    pack_units(db, p, pk, err) != RPC_OK || pack_fields(db, p, pk, err) != RPC_OK ||
	    pack_states(db, p, pk, err) != RPC_OK || pack_ratings(db, p, pk, err) != RPC_OK ||
	    pack_monthly(db, p, pk, err) != RPC_OK ||
	    pack_list(db, p, &p->overdue, "overdue", SQL_OVERDUE_ROW, false, "overdue_total", pk,
		      err) != RPC_OK ||
	    pack_list(db, p, &p->stalled, "stalled", SQL_STALLED_ROW, true, "stalled_total", pk,
		      err) != RPC_OK)
		return err->code;
	return RPC_OK;
}

/* The end of the local day f->as_of as a moment (db_health.h's
 * SQL_CUTOFF, by SQLite's own conversion); false when it has none. */
static int cutoff_of(struct db *db, const char *as_of, int64_t *out, bool *ok,
		     struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_CUTOFF_OF, err, "9s", as_of);
	int rc;

	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc != SQLITE_ROW)
		return db_done(st, db_fail(db, rc, "reading the cut-off", err));
	*ok = db_timeline_moment((const char *)sqlite3_column_text(st, 0), out);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_report_past(struct db *db, const struct past_selection *f, msgpack_packer *pk,
		   bool *answered, struct rpc_error *err)
{
	struct past p = {.f = f};
	int64_t cutoff = 0;
	bool complete = false, ok = false, whole = false;
	int rc;

	*answered = false;
	if ((rc = db_timeline_complete(db, &complete, err)) != RPC_OK || !complete)
		return rc;
	if ((rc = cutoff_of(db, f->as_of, &cutoff, &ok, err)) != RPC_OK || !ok)
		return rc;
	if ((rc = db_one_int64(db, SQL_CADRES_MAX, &p.max_owner, err, "")) != RPC_OK)
		return rc;
	if (!(p.owners = calloc((size_t)p.max_owner / 8 + 1, 1)) ||
	    !(p.managing = calloc((size_t)p.max_owner + 1, sizeof(int64_t))) ||
	    !(p.month_done = calloc(MONTHS, sizeof(int64_t))) ||
	    !(p.month_on_time = calloc(MONTHS, sizeof(int64_t))) ||
	    !(p.offsets = malloc(DAYS_KNOWN * sizeof(int32_t))) ||
	    !(p.iso = calloc(DAYS_KNOWN, DATE_LEN))) {
		past_free(&p);
		return oom(err);
	}
	for (int i = 0; i < DAYS_KNOWN; i++)
		p.offsets[i] = OFFSET_UNSET;
	if ((rc = load_cadres(db, &p, err)) == RPC_OK && (rc = load_units(db, &p, err)) == RPC_OK && (rc = pass(db, &p, cutoff, &whole, err)) ==
								 RPC_OK && whole) {
		*answered = true;
		rc = pack_parts(db, &p, pk, err);
	}
	past_free(&p);
	return rc;
}
