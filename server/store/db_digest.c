/*
 * db_digest.c: the queries of a daily digest (db_digest.h).  Every query
 * of a section binds ?1 the account's scope (NULL: the whole tree), ?2 the
 * account, ?3 the day of its previous digest (the day before `day` when
 * it has none) and ?9 the digest's day, and yields (id, task id, title,
 * text, date, what, days, total) at most DIGEST_SHOW_MAX times.
 */
#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

#include "db_digest.h"
#include "db_health.h"
#include "date.h"

#define IN_SCOPE(unit) " (?1 IS NULL OR " unit " IN (SELECT id FROM sub))"
#define LIMIT " LIMIT 20" /* DIGEST_SHOW_MAX */

static const char SQL_ACCOUNTS[] =
	"SELECT a.id, coalesce(a.scope_unit_id, 0), a.role = 'office', a.login, a.display_name, "
	"a.email, coalesce((SELECT max(d.day) FROM digests d WHERE d.account_id = a.id), '') "
	"FROM accounts a WHERE a.active AND a.email IS NOT NULL AND a.notify IN ('digest', 'both') "
	"AND a.role <> 'viewer' "
	"AND NOT EXISTS (SELECT 1 FROM digests d WHERE d.account_id = a.id AND d.day = ?1) "
	"ORDER BY a.id";

static const char SQL_REMINDERS[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT r.id, t.id, t.title, r.message, r.answer_by, "
	"CASE WHEN r.answer_by < ?9 THEN 'overdue' ELSE 'open' END, "
	"CAST(julianday(?9) - julianday(r.answer_by) AS INTEGER), count(*) OVER () "
	"FROM reminders r JOIN tasks t ON t.id = r.task_id WHERE r.answer IS NULL AND"
	IN_SCOPE("t.unit_id") " ORDER BY r.answer_by, r.id" LIMIT;
static const char SQL_EXPLANATIONS[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT e.id, t.id, t.title, e.question, e.answer_by, "
	"CASE WHEN e.answer_by < ?9 THEN 'overdue' ELSE 'open' END, "
	"CAST(julianday(?9) - julianday(e.answer_by) AS INTEGER), count(*) OVER () "
	"FROM explanations e JOIN tasks t ON t.id = e.task_id WHERE e.answer IS NULL AND"
	IN_SCOPE("t.unit_id") " ORDER BY e.answer_by, e.id" LIMIT;
static const char SQL_ACTIONS[] =
	"WITH RECURSIVE " SQL_SUBTREE("?1") " SELECT a.id, t.id, t.title, a.what, a.due_date, "
	"CASE WHEN a.due_date < ?9 THEN 'overdue' ELSE 'open' END, "
	"CAST(julianday(?9) - julianday(a.due_date) AS INTEGER), count(*) OVER () "
	"FROM inspection_actions a JOIN inspections i ON i.id = a.inspection_id "
	"JOIN tasks t ON t.id = i.task_id WHERE a.done_at IS NULL "
	"AND a.due_date <= date(?9, '+7 days') AND" IN_SCOPE("t.unit_id")
	" ORDER BY a.due_date, a.id" LIMIT;

/* Tasks being worked on (assigned, in_progress), with status and health on ?9. */
#define TASKS_OF_SCOPE \
	"WITH RECURSIVE " SQL_SUBTREE("?1") ", " \
	SQL_HEALTH_CTES(" FROM tasks t JOIN terms tm ON tm.id = t.term_id" \
			" WHERE t.state IN ('assigned', 'in_progress') AND" IN_SCOPE("t.unit_id")) \
	" SELECT t.id, t.id, t.title, '', t.due_date, " \
	"CASE WHEN hs.status = 'overdue' THEN 'overdue' WHEN hs.health = 'stalled' THEN 'stalled' " \
	"ELSE 'due' END, " \
	"CASE WHEN hs.status = 'overdue' THEN hs.late WHEN hs.health = 'stalled' THEN hs.quiet " \
	"ELSE -hs.late END, count(*) OVER () FROM hs JOIN tasks t ON t.id = hs.id WHERE "

static const char SQL_TASKS[] =
	TASKS_OF_SCOPE "hs.status = 'overdue' OR hs.health = 'stalled' OR "
	"(hs.status = 'within_deadline' AND t.due_date <= date(?9, '+30 days')) "
	"ORDER BY hs.status = 'overdue' DESC, t.due_date, t.id" LIMIT;
/* Overdue on ?9 but not on ?3 (due on or after it); stalled on ?9 but not
 * on ?3 (fewer quiet days then than the threshold). */
static const char SQL_TURNED[] =
	TASKS_OF_SCOPE "(hs.status = 'overdue' AND t.due_date >= ?3) OR (hs.health = 'stalled' AND "
	"hs.quiet - CAST(julianday(?9) - julianday(?3) AS INTEGER) <= dp_stalled_days()) "
	"ORDER BY t.due_date, t.id" LIMIT;

static const char SQL_LATE_REMINDERS[] =
	"SELECT r.id, t.id, t.title, r.message, r.answer_by, 'overdue', "
	"CAST(julianday(?9) - julianday(r.answer_by) AS INTEGER), count(*) OVER () "
	"FROM reminders r JOIN tasks t ON t.id = r.task_id WHERE r.from_account_id = ?2 "
	"AND r.answer IS NULL AND r.answer_by < ?9 ORDER BY r.answer_by, r.id" LIMIT;
/* The latest update (reported by the end of ?9) of each task it is the
 * focal point of, when not appraised: an older one is superseded by it,
 * and appraising the latest is what the focal point owes.  `days`
 * carries the update's percent. */
static const char SQL_APPRAISALS[] =
	"SELECT u.id, t.id, t.title, u.done, " SQL_DAY("u.reported_at") ", 'update', u.percent, "
	"count(*) OVER () FROM tasks t JOIN updates u ON u.id = (SELECT max(l.id) FROM updates l "
	"WHERE l.task_id = t.id AND l.reported_at <= " SQL_CUTOFF ") "
	"WHERE t.focal_point_account_id = ?2 "
	"AND NOT EXISTS (SELECT 1 FROM appraisals a WHERE a.update_id = u.id) ORDER BY u.id" LIMIT;

static const char SQL_DIGEST_MADE[] = "SELECT count(*) FROM digests WHERE account_id = ?1 AND day = ?2";
static const char SQL_DIGEST_ADD[] =
	"INSERT INTO digests (account_id, day, items, made_at) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_DIGEST_LAST[] = "SELECT coalesce(max(made_at), '') FROM digests";

int db_digest_accounts(struct db *db, const char *day, struct digest_account **out, size_t *n,
		       struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_ACCOUNTS, err, "s", day);
	struct digest_account *a = NULL, *grown;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!st)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			if (!(grown = realloc(a, cap * sizeof(*a)))) {
				sqlite3_reset(st);
				free(a);
				*n = 0;
				return errors_set(err, RPC_INTERNAL, "digest: out of memory");
			}
			a = grown;
		}
		a[*n].id = sqlite3_column_int64(st, 0);
		a[*n].scope = sqlite3_column_int64(st, 1);
		a[*n].office = sqlite3_column_int(st, 2) != 0;
		db_column_copy(st, 3, a[*n].login, sizeof(a[*n].login));
		db_column_copy(st, 4, a[*n].display_name, sizeof(a[*n].display_name));
		db_column_copy(st, 5, a[*n].email, sizeof(a[*n].email));
		db_column_copy(st, 6, a[*n].last_day, sizeof(a[*n].last_day));
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(a);
		*n = 0;
		return db_fail(db, rc, "digest", err);
	}
	*out = a;
	return RPC_OK;
}

/* Runs one section's query into d. */
static int section(struct db *db, const char *sql, enum digest_section s,
		   const struct digest_account *a, const char *day, const char *since,
		   struct digest *d, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, sql, err, "ris9s", a->scope, a->id, since, day);
	int rc;

	if (!st)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && d->n[s] < DIGEST_SHOW_MAX) {
		struct digest_item *it = &d->items[s][d->n[s]];
		const unsigned char *title = sqlite3_column_text(st, 2);
		const unsigned char *text = sqlite3_column_text(st, 3);

		it->id = sqlite3_column_int64(st, 0);
		it->task_id = sqlite3_column_int64(st, 1);
		it->title = strdup(title ? (const char *)title : "");
		it->text = strdup(text ? (const char *)text : "");
		db_column_copy(st, 4, it->date, sizeof(it->date));
		db_column_copy(st, 5, it->what, sizeof(it->what));
		it->days = sqlite3_column_int64(st, 6);
		d->total[s] = sqlite3_column_int64(st, 7);
		d->n[s]++;
		if (!it->title || !it->text) {
			sqlite3_reset(st);
			return errors_set(err, RPC_INTERNAL, "digest: out of memory");
		}
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "digest", err);
	return RPC_OK;
}

int db_digest_collect(struct db *db, const struct digest_account *a, const char *day,
		      struct digest *d, struct rpc_error *err)
{
	static const struct {
		enum digest_section s;
		const char *sql;
		bool office;
	} sections[] = {
		{DIGEST_REMINDERS, SQL_REMINDERS, true},
		{DIGEST_EXPLANATIONS, SQL_EXPLANATIONS, true},
		{DIGEST_ACTIONS, SQL_ACTIONS, true},
		{DIGEST_TASKS, SQL_TASKS, true},
		{DIGEST_LATE_REMINDERS, SQL_LATE_REMINDERS, false},
		{DIGEST_APPRAISALS, SQL_APPRAISALS, false},
		{DIGEST_TURNED, SQL_TURNED, false},
	};
	char since[DATE_LEN];
	int rc;

	memset(d, 0, sizeof(*d));
	if (a->last_day[0])
		snprintf(since, sizeof(since), "%s", a->last_day);
	else
		date_from_days(date_days(day) - 1, since);
	for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
		if (sections[i].office == a->office &&
		    (rc = section(db, sections[i].sql, sections[i].s, a, day, since, d, err)) != RPC_OK) {
			db_digest_free(d);
			return rc;
		}
	return RPC_OK;
}

void db_digest_free(struct digest *d)
{
	for (int s = 0; s < DIGEST_SECTIONS; s++)
		for (size_t i = 0; i < d->n[s]; i++) {
			free(d->items[s][i].title);
			free(d->items[s][i].text);
		}
	memset(d, 0, sizeof(*d));
}

int64_t db_digest_count(const struct digest *d)
{
	int64_t n = 0;

	for (int s = 0; s < DIGEST_SECTIONS; s++)
		n += d->total[s];
	return n;
}

int db_digest_record(struct db *db, int64_t account, const char *day, int64_t items,
		     const char *now, bool *fresh, struct rpc_error *err)
{
	int64_t made = 0;
	int rc;

	*fresh = false;
	/* The writer is the only one: nothing comes between the look and the insert. */
	if ((rc = db_one_int64(db, SQL_DIGEST_MADE, &made, err, "is", account, day)) != RPC_OK ||
	    made > 0)
		return rc;
	if ((rc = db_run(db, SQL_DIGEST_ADD, "digest", err, "isis", account, day, items, now)) ==
	    RPC_OK)
		*fresh = true;
	return rc;
}

int db_digest_last(struct db *db, char out[24], struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_DIGEST_LAST, err, "");
	int rc;

	out[0] = '\0';
	if (!st)
		return err->code;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW)
		db_column_copy(st, 0, out, 24);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "digest", err);
	return RPC_OK;
}
