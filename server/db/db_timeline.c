/*
 * db_timeline.c: see db_timeline.h.  The facts of each version are those
 * db_health.h's SQL_HEALTH_HX reads with the cut-off at the version's
 * moment, chosen with the same orders (the state: the newest by moment,
 * then row; the moment of completion: a report of completion before an
 * acceptance; the update: the newest counted by id).
 */
#include "db_timeline.h"
#include "db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"

static const char *const state_names[DB_TIMELINE_STATES] = {
	NULL, "registered", "reviewed", "returned", "assigned", "in_progress",
	"reported_done", "accepted", "cancelled", "carried_over"};
static const char *const rating_names[DB_TIMELINE_RATINGS] = {NULL, "excellent", "good", "done",
							       "not_done"};

#define ST_ASSIGNED 4
#define ST_REPORTED_DONE 6
#define ST_ACCEPTED 7

const char *db_timeline_state_name(int code)
{
	return code > 0 && code < DB_TIMELINE_STATES ? state_names[code] : NULL;
}

const char *db_timeline_rating_name(int code)
{
	return code > 0 && code < DB_TIMELINE_RATINGS ? rating_names[code] : NULL;
}

/* The code of name among n names (from 1), 0 for NULL, -1 unknown. */
static int code_of(const char *name, const char *const *names, int n)
{
	if (!name)
		return 0;
	for (int i = 1; i < n; i++)
		if (strcmp(name, names[i]) == 0)
			return i;
	return -1;
}

bool db_timeline_moment(const char *s, int64_t *out)
{
	struct tm tm = {0};
	char back[TIMESTAMP_LEN];
	time_t t;

	if (!s || strlen(s) != TIMESTAMP_LEN - 1 ||
	    sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday,
		   &tm.tm_hour, &tm.tm_min, &tm.tm_sec) != 6)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	/* Only a moment written back the same compares the same as text. */
	date_timestamp(t, back);
	if (t <= 0 || strcmp(back, s) != 0)
		return false;
	*out = (int64_t)t;
	return true;
}

/* ---- the encoding ---- */

struct buf {
	unsigned char *p;
	size_t n, cap;
	bool failed; /* out of memory */
};

static void put_byte(struct buf *b, unsigned char c)
{
	if (b->n == b->cap && !b->failed) {
		size_t cap = b->cap ? b->cap * 2 : 256;
		unsigned char *p = realloc(b->p, cap);

		if (!p) {
			b->failed = true;
			return;
		}
		b->p = p;
		b->cap = cap;
	}
	if (!b->failed)
		b->p[b->n++] = c;
}

static void put_varint(struct buf *b, uint64_t v)
{
	while (v >= 0x80) {
		put_byte(b, (unsigned char)(v | 0x80));
		v >>= 7;
	}
	put_byte(b, (unsigned char)v);
}

/* The two flag bits of a moment `now` after `before` in a version at `at`. */
static unsigned moment_flag(int64_t now, int64_t before, int64_t at)
{
	return now == before ? 0 : !now ? 1 : now == at ? 2 : 3;
}

static void put_version(struct buf *b, const struct db_timeline_facts *v,
			const struct db_timeline_facts *prev)
{
	const int64_t now[3] = {v->last_at, v->done_at, v->assigned_at};
	const int64_t before[3] = {prev->last_at, prev->done_at, prev->assigned_at};
	unsigned flags = 0;

	put_varint(b, (uint64_t)(v->at - prev->at));
	put_byte(b, (unsigned char)(v->state | v->rating << 4));
	put_byte(b, (unsigned char)v->percent);
	for (int i = 0; i < 3; i++)
		flags |= moment_flag(now[i], before[i], v->at) << (2 * i);
	put_byte(b, (unsigned char)flags);
	for (int i = 0; i < 3; i++)
		if ((flags >> (2 * i) & 3) == 3)
			put_varint(b, (uint64_t)now[i]);
}

/* Reads a varint at *p (before end) into *v; false when cut short. */
static inline bool get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;

	for (int shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char c = *(*p)++;

		x |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

/* Applies the two flag bits of a moment to *m for a version at `at`. */
static inline bool take_moment(unsigned flag, int64_t at, const unsigned char **p,
			       const unsigned char *end, int64_t *m)
{
	uint64_t x;

	switch (flag) {
	case 1:
		*m = 0;
		return true;
	case 2:
		*m = at;
		return true;
	case 3:
		if (!get_varint(p, end, &x))
			return false;
		*m = (int64_t)x;
		return true;
	default:
		return true;
	}
}

/* Decodes the version at *p (before end) on top of *v, the one before it;
 * 1 with *p past it, -1 when malformed. */
static int next_version(const unsigned char **p, const unsigned char *end,
			struct db_timeline_facts *v)
{
	uint64_t delta;
	unsigned flags;

	if (!get_varint(p, end, &delta) || end - *p < 3)
		return -1;
	v->at += (int64_t)delta;
	v->state = (*p)[0] & 0x0f;
	v->rating = (*p)[0] >> 4;
	v->percent = (*p)[1];
	flags = (*p)[2];
	*p += 3;
	if (v->state >= DB_TIMELINE_STATES || v->rating >= DB_TIMELINE_RATINGS ||
	    v->percent > 100 || !take_moment(flags & 3, v->at, p, end, &v->last_at) ||
	    !take_moment(flags >> 2 & 3, v->at, p, end, &v->done_at) ||
	    !take_moment(flags >> 4 & 3, v->at, p, end, &v->assigned_at))
		return -1;
	return 1;
}

int db_timeline_at(const unsigned char *blob, size_t n, int64_t cutoff,
		   struct db_timeline_facts *out)
{
	const unsigned char *p = blob, *end = blob + n;
	struct db_timeline_facts v = {0}, next;
	int found = 0;

	while (p < end) {
		next = v;
		if (next_version(&p, end, &next) < 0)
			return -1;
		if (next.at > cutoff)
			break;
		v = next;
		found = 1;
	}
	if (found)
		*out = v;
	return found;
}

/* The last version of blob[0..n) into *last, the one before it into
 * *before ({0} for none) and where the last begins into *off; 0 for an
 * empty timeline (all {0}), -1 when malformed. */
static int last_version(const unsigned char *blob, size_t n, struct db_timeline_facts *before,
			struct db_timeline_facts *last, size_t *off)
{
	const unsigned char *p = blob, *end = blob + n;

	memset(before, 0, sizeof(*before));
	memset(last, 0, sizeof(*last));
	*off = 0;
	while (p < end) {
		struct db_timeline_facts v = *last;
		size_t at = (size_t)(p - blob);

		if (next_version(&p, end, &v) < 0)
			return -1;
		*before = *last;
		*last = v;
		*off = at;
	}
	return n > 0;
}

/* ---- building a task's timeline from its history ---- */

struct ev_state {
	int64_t at;
	int state, rating;
};

struct ev_update {
	int64_t at, returned; /* returned: the moment of its return, 0 for none */
	int percent;
};

struct history {
	struct ev_state *st; /* by moment, then row */
	size_t nst, capst;
	struct ev_update *up; /* by id */
	size_t nup, capup;
	int64_t *moments;
	size_t nmom, capmom;
};

static int cmp_moment(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* The facts on moment m (db_health.h: SQL_HEALTH_HX with the cut-off m). */
static void facts_on(const struct history *h, int64_t m, struct db_timeline_facts *v)
{
	int64_t reported = 0, accepted = 0;

	memset(v, 0, sizeof(*v));
	v->at = m;
	for (size_t i = 0; i < h->nst && h->st[i].at <= m; i++) {
		v->state = h->st[i].state;
		v->rating = h->st[i].rating;
		if (h->st[i].state == ST_REPORTED_DONE)
			reported = h->st[i].at;
		else if (h->st[i].state == ST_ACCEPTED)
			accepted = h->st[i].at;
		else if (h->st[i].state == ST_ASSIGNED)
			v->assigned_at = h->st[i].at;
	}
	v->done_at = reported ? reported : accepted;
	for (size_t i = h->nup; i-- > 0;) {
		const struct ev_update *u = &h->up[i];

		if (u->at <= m && !(u->returned && u->returned <= m)) {
			v->percent = u->percent;
			v->last_at = u->at;
			break;
		}
	}
}

static bool same_facts(const struct db_timeline_facts *a, const struct db_timeline_facts *b)
{
	return a->state == b->state && a->rating == b->rating && a->percent == b->percent &&
	       a->last_at == b->last_at && a->done_at == b->done_at &&
	       a->assigned_at == b->assigned_at;
}

/* Encodes h into b; false when it cannot be (b is then of no use). */
static bool encode(struct history *h, struct buf *b)
{
	struct db_timeline_facts prev = {0}, v;
	bool first = true;

	if (h->nmom)
		qsort(h->moments, h->nmom, sizeof(int64_t), cmp_moment);
	for (size_t i = 0; i < h->nmom; i++) {
		if (i > 0 && h->moments[i] == h->moments[i - 1])
			continue;
		facts_on(h, h->moments[i], &v);
		if (!first && same_facts(&v, &prev))
			continue;
		put_version(b, &v, &prev);
		prev = v;
		first = false;
	}
	return !b->failed;
}

static const char SQL_STATES[] =
	"SELECT at, state, rating FROM task_states WHERE task_id = ?1 ORDER BY at, id";
static const char SQL_UPDATES[] =
	"SELECT u.reported_at, u.percent, a.at FROM updates u LEFT JOIN appraisals a"
	" ON a.update_id = u.id AND a.verdict = 'returned' WHERE u.task_id = ?1 ORDER BY u.id";

/* Adds the row of st (at, state, rating) to h's states; false when it
 * cannot be encoded or memory runs out. */
static bool add_state(sqlite3_stmt *st, struct history *h)
{
	struct ev_state e;

	e.state = code_of((const char *)sqlite3_column_text(st, 1), state_names,
			  DB_TIMELINE_STATES);
	e.rating = code_of((const char *)sqlite3_column_text(st, 2), rating_names,
			   DB_TIMELINE_RATINGS);
	if (e.state <= 0 || e.rating < 0 ||
	    !db_timeline_moment((const char *)sqlite3_column_text(st, 0), &e.at) ||
	    !db_grow((void **)&h->st, &h->capst, h->nst + 1, sizeof(*h->st)))
		return false;
	h->st[h->nst++] = e;
	return true;
}

static bool add_moment(struct history *h, int64_t m)
{
	if (!db_grow((void **)&h->moments, &h->capmom, h->nmom + 1, sizeof(int64_t)))
		return false;
	h->moments[h->nmom++] = m;
	return true;
}

/* Reads task id's history into h: RPC_OK with *ok false when it cannot be
 * encoded, or the error. */
static int read_history(struct db *db, int64_t id, struct history *h, bool *ok,
			struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	h->nst = h->nup = h->nmom = 0;
	*ok = true;
	if (!(st = db_prep(db, SQL_STATES, err, "i", id)))
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *ok)
		*ok = add_state(st, h) && add_moment(h, h->st[h->nst - 1].at);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_done(st, db_fail(db, rc, "reading a task's states", err));
	sqlite3_reset(st);
	if (!*ok || !(st = db_prep(db, SQL_UPDATES, err, "i", id)))
		return *ok ? err->code : RPC_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *ok) {
		struct ev_update u = {0};

		u.percent = sqlite3_column_int(st, 1);
		*ok = db_timeline_moment((const char *)sqlite3_column_text(st, 0), &u.at) &&
		      (sqlite3_column_type(st, 2) == SQLITE_NULL ||
		       db_timeline_moment((const char *)sqlite3_column_text(st, 2), &u.returned)) &&
		      u.percent >= 0 && u.percent <= 100 &&
		      db_grow((void **)&h->up, &h->capup, h->nup + 1, sizeof(*h->up)) &&
		      add_moment(h, u.at) && (!u.returned || add_moment(h, u.returned));
		if (*ok)
			h->up[h->nup++] = u;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_done(st, db_fail(db, rc, "reading a task's updates", err));
	sqlite3_reset(st);
	return RPC_OK;
}

static const char SQL_KEEP[] =
	"INSERT OR REPLACE INTO task_timeline (task_id, versions) VALUES (?1, ?2)";

/* Rebuilds the timeline of task id with the scratch h and b. */
static int rebuild(struct db *db, int64_t id, struct history *h, struct buf *b,
		   struct rpc_error *err)
{
	bool ok;

	b->n = 0;
	if (read_history(db, id, h, &ok, err) != RPC_OK)
		return err->code;
	if (ok && !encode(h, b))
		return errors_set(err, RPC_INTERNAL, "out of memory");
	/* An empty timeline (no state at all) is a blob of no versions. */
	return db_run(db, SQL_KEEP, "keeping a task's timeline", err, "ib", id,
		      ok ? (const void *)(b->p ? b->p : (unsigned char *)"") : NULL, (int)b->n);
}

/* ---- appending what a write added ---- */

static const char SQL_VERSIONS[] = "SELECT versions FROM task_timeline WHERE task_id = ?1";
static const char SQL_STATES_SINCE[] =
	"SELECT at, state, rating FROM task_states WHERE task_id = ?1 AND at >= ?2 ORDER BY at, id";
/* Newest first, read until one before `since`: the index of a task's
 * updates by id, not all of them (a busy task has thousands). */
static const char SQL_UPDATES_SINCE[] =
	"SELECT reported_at, percent FROM updates WHERE task_id = ?1 ORDER BY id DESC";

/* The facts after event e (a state, or an update when state is 0) at its
 * moment, from those before it: facts_on's rules, one event at a time. */
static void apply(struct db_timeline_facts *v, const struct ev_state *st,
		  const struct ev_update *up)
{
	if (st) {
		v->state = st->state;
		v->rating = st->rating;
		/* done_at: the newest report of completion, else the acceptance,
		 * which is final: none before it means no report before it. */
		if (st->state == ST_REPORTED_DONE || (st->state == ST_ACCEPTED && !v->done_at))
			v->done_at = st->at;
		else if (st->state == ST_ASSIGNED)
			v->assigned_at = st->at;
	} else {
		v->percent = up->percent;
		v->last_at = up->at;
	}
}

/* Appends to task id's timeline the states and updates from `since` on,
 * when none comes before its last version (a write of now: the usual case;
 * one in the last version's second makes that version again) and none was
 * returned: *done true.  *done false leaves the task to be built from its
 * whole history.  The new events are read into h. */
static int append(struct db *db, int64_t id, const char *since, struct history *h,
		  struct buf *b, bool *done, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_VERSIONS, err, "i", id);
	struct db_timeline_facts before, last, emitted, v;
	size_t off = 0, i = 0, j = 0;
	int64_t from;
	bool ok = true;
	int rc;

	*done = false;
	b->n = 0;
	memset(&before, 0, sizeof(before));
	memset(&last, 0, sizeof(last));
	if (!st)
		return err->code;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const void *blob = sqlite3_column_blob(st, 0);
		int n = sqlite3_column_bytes(st, 0);

		/* NULL: not encodable; else the blob and its last version. */
		ok = sqlite3_column_type(st, 0) != SQLITE_NULL &&
		     last_version(blob, (size_t)n, &before, &last, &off) >= 0;
		if (ok && n > 0) {
			if (!db_grow((void **)&b->p, &b->cap, (size_t)n, 1)) {
				sqlite3_reset(st);
				return errors_set(err, RPC_INTERNAL, "out of memory");
			}
			memcpy(b->p, blob, (size_t)n);
			b->n = (size_t)n;
		}
	} else if (rc != SQLITE_DONE) {
		return db_done(st, db_fail(db, rc, "reading a task's timeline", err));
	}
	sqlite3_reset(st);
	if (!ok || !db_timeline_moment(since, &from) || (b->n && from < last.at))
		return RPC_OK;
	if (b->n && from == last.at) {
		/* New events in the last version's second: it is made again. */
		b->n = off;
		emitted = before;
	} else {
		emitted = last;
	}
	v = last;
	/* The new events, both kinds by moment. */
	h->nst = h->nup = 0;
	if (!(st = db_prep(db, SQL_STATES_SINCE, err, "is", id, since)))
		return err->code;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW)
		ok = add_state(st, h);
	if (ok && rc != SQLITE_DONE)
		return db_done(st, db_fail(db, rc, "reading a task's new states", err));
	sqlite3_reset(st);
	if (!ok || !(st = db_prep(db, SQL_UPDATES_SINCE, err, "i", id)))
		return ok ? err->code : RPC_OK;
	while (ok && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *at = (const char *)sqlite3_column_text(st, 0);
		struct ev_update u = {0};

		if (at && strcmp(at, since) < 0)
			break; /* older than what the write added */
		u.percent = sqlite3_column_int(st, 1);
		ok = db_timeline_moment(at, &u.at) && u.percent >= 0 && u.percent <= 100 &&
		     (!h->nup || u.at <= h->up[h->nup - 1].at) &&
		     db_grow((void **)&h->up, &h->capup, h->nup + 1, sizeof(*h->up));
		if (ok)
			h->up[h->nup++] = u;
	}
	if (ok && rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_done(st, db_fail(db, rc, "reading a task's new updates", err));
	sqlite3_reset(st);
	if (!ok)
		return RPC_OK;
	/* Oldest first, as facts_on reads them. */
	for (size_t a = 0, z = h->nup; z-- > a + 1; a++) {
		struct ev_update t = h->up[a];

		h->up[a] = h->up[z];
		h->up[z] = t;
	}
	/* The events of the last version's second that it holds already are
	 * read again with the new ones: applied again in their order, before
	 * the new ones, they change nothing. */
	while (i < h->nst || j < h->nup) {
		int64_t m = i < h->nst && (j == h->nup || h->st[i].at <= h->up[j].at) ? h->st[i].at
										      : h->up[j].at;

		for (; i < h->nst && h->st[i].at == m; i++)
			apply(&v, &h->st[i], NULL);
		for (; j < h->nup && h->up[j].at == m; j++)
			apply(&v, NULL, &h->up[j]);
		v.at = m;
		/* One version per moment whose facts differ from the one before;
		 * the first of a timeline always. */
		if (!same_facts(&v, &emitted) || !b->n) {
			put_version(b, &v, &emitted);
			emitted = v;
		}
	}
	if (b->failed)
		return errors_set(err, RPC_INTERNAL, "out of memory");
	*done = true;
	return db_run(db, SQL_KEEP, "keeping a task's timeline", err, "ib", id,
		      (const void *)(b->p ? b->p : (unsigned char *)""), (int)b->n);
}

static const char SQL_PENDING[] =
	"SELECT task_id, since FROM task_timeline_pending ORDER BY task_id";
static const char SQL_PENDING_ANY[] = "SELECT EXISTS (SELECT 1 FROM task_timeline_pending)";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM task_timeline_pending";

int db_timeline_flush(struct db *db, struct rpc_error *err)
{
	struct history h = {0};
	struct buf b = {0};
	int64_t any = 0;
	struct pending {
		int64_t id;
		char since[TIMESTAMP_LEN]; /* "" to build from the whole history */
	} *tasks = NULL;
	size_t n = 0, cap = 0;
	sqlite3_stmt *st;
	int rc = RPC_OK;

	if (db_write_pending(db, SQL_PENDING_ANY, &any, err) != RPC_OK)
		return err->code;
	if (!any)
		return RPC_OK;
	/* The ids first: the rebuild writes while no read of the table is open. */
	if (!(st = db_stmt(db, SQL_PENDING, err)))
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!db_grow((void **)&tasks, &cap, n + 1, sizeof(*tasks))) {
			sqlite3_reset(st);
			free(tasks);
			return errors_set(err, RPC_INTERNAL, "out of memory");
		}
		tasks[n].id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, tasks[n].since, sizeof(tasks[n].since));
		n++;
	}
	rc = rc == SQLITE_DONE ? RPC_OK : db_fail(db, rc, "reading the tasks to rebuild", err);
	sqlite3_reset(st);
	for (size_t i = 0; i < n && rc == RPC_OK; i++) {
		bool done = false;

		if (tasks[i].since[0])
			rc = append(db, tasks[i].id, tasks[i].since, &h, &b, &done, err);
		if (rc == RPC_OK && !done)
			rc = rebuild(db, tasks[i].id, &h, &b, err);
	}
	if (rc == RPC_OK)
		rc = db_run(db, SQL_PENDING_CLEAR, "rebuilding the tasks' timelines", err, "");
	free(tasks);
	free(h.st);
	free(h.up);
	free(h.moments);
	free(b.p);
	return rc;
}

int db_timeline_complete(struct db *db, bool *complete, struct rpc_error *err)
{
	int64_t any = 1;

	if (db_one_int64(db, SQL_PENDING_ANY, &any, err, "") != RPC_OK)
		return err->code;
	*complete = !any;
	return RPC_OK;
}
