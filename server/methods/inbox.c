/*
 * inbox.c: what waits for the caller.  inbox_count() is what session.auth
 * adds to a sign-in that asks (`waiting: true`); inbox.get lists the same
 * records in one answer, so an office on a slow link sees in one round
 * trip everything the line after its last command counted.  Who counts
 * what is the role's (inbox.h); the lists are the record listers of
 * db_reminder.c, db_explanation.c and db_inspection.c with the filters
 * that match db_waiting.c's counts.
 */
#include "inbox.h"

#include <string.h>
#include <time.h>

#include "changes.h"
#include "clock.h"
#include "date.h"
#include "db_explanation.h"
#include "db_inspection.h"
#include "db_reminder.h"
#include "handlers.h"
#include "pack.h"

/* The last due date of an action that counts: today + INBOX_SOON_DAYS. */
static void soon_of(const char *today, char soon[DATE_LEN])
{
	date_from_days(date_days(today) + INBOX_SOON_DAYS, soon);
}

int inbox_count(struct call *c, struct waiting *w)
{
	char soon[DATE_LEN];

	*w = (struct waiting){0};
	switch (c->who->role) {
	case ROLE_OFFICE:
		soon_of(c->today, soon);
		return db_waiting_office(c->db, c->who->scope, c->today, soon, w, c->err);
	case ROLE_SUPERVISOR:
	case ROLE_ADMIN: /* an admin's scope is 0: the whole tree */
		return db_waiting_focal(c->db, c->who->account_id, c->who->scope, c->today, w,
					c->err);
	default: /* a viewer reads; nothing waits for it */
		return RPC_OK;
	}
}

/* The counts of recent sign-ins, one slot per account id modulo the
 * size: a person runs command after command, each a new connection and
 * sign-in, while what waits for them changes far less often.  A slot
 * holds while no write that may change its kind (changes.h) has
 * succeeded, the day is the same (overdue and "within 7 days" move with
 * it) and it is younger than INBOX_MEMO_SECONDS (a net for changes made
 * outside this daemon, such as another process on the database).  An
 * admin's count is over the whole tree, but from its own tasks as focal
 * point (the index tasks_focal_point, migration 18), not every task.  Only
 * session.auth uses it, and session.auth runs on the writer, one at a
 * time: the slots need no lock. */
#define INBOX_MEMO_SLOTS 1024  /* ~100 KiB; an account whose slot is taken counts again */
#define INBOX_MEMO_SECONDS 60

struct memo {
	const struct db *db;   /* the database counted (tests open several) */
	int64_t account;       /* 0: empty */
	int role;
	int64_t scope;
	uint64_t changes;      /* changes_count() of the role's kind when counted */
	char today[DATE_LEN];  /* the day counted */
	time_t at;             /* when */
	struct waiting w;
};

static struct memo memo[INBOX_MEMO_SLOTS];

/* The kind of change that moves the counts of role. */
static enum changes_kind kind_of(int role)
{
	return role == ROLE_OFFICE ? CHANGES_OFFICE : CHANGES_FOCAL;
}

int inbox_count_kept(struct call *c, struct waiting *w)
{
	struct memo *m = &memo[(uint64_t)c->who->account_id % INBOX_MEMO_SLOTS];
	uint64_t changes = changes_count(kind_of(c->who->role));
	time_t now = clock_now();
	int rc;

	if (m->db == c->db && m->account == c->who->account_id && m->role == c->who->role &&
	    m->scope == c->who->scope && m->changes == changes &&
	    strcmp(m->today, c->today) == 0 && now - m->at >= 0 && now - m->at < INBOX_MEMO_SECONDS) {
		*w = m->w;
		return RPC_OK;
	}
	if ((rc = inbox_count(c, w)) != RPC_OK)
		return rc;
	*m = (struct memo){c->db, c->who->account_id, c->who->role, c->who->scope, changes, "",
			   now, *w};
	memcpy(m->today, c->today, sizeof(m->today));
	return RPC_OK;
}

void inbox_pack_counts(msgpack_packer *pk, const struct waiting *w)
{
	msgpack_pack_map(pk, 6);
	pack_kv_int(pk, "reminders", w->reminders);
	pack_kv_int(pk, "reminders_overdue", w->reminders_overdue);
	pack_kv_int(pk, "explanations", w->explanations);
	pack_kv_int(pk, "actions", w->actions);
	pack_kv_int(pk, "appraisals", w->appraisals);
	pack_kv_int(pk, "sent_overdue", w->sent_overdue);
}

/* An empty list, {items: [], total: 0}: a part that is not the role's. */
static void pack_none(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 2);
	pack_str(pk, "items");
	msgpack_pack_array(pk, 0);
	pack_kv_int(pk, "total", 0);
}

/* The office's parts: its reminders, explanations and actions. */
static int pack_office(struct call *c)
{
	struct record_filter f = {0};
	char soon[DATE_LEN];
	int rc;

	f.scope = c->who->scope;
	f.open_only = true;
	f.inbox_order = true;
	pack_str(c->pk, "reminders");
	if ((rc = db_reminder_list(c->db, &f, c->today, c->pk, c->err)) != RPC_OK)
		return rc;
	pack_str(c->pk, "explanations");
	if ((rc = db_explanation_list(c->db, &f, c->today, c->pk, c->err)) != RPC_OK)
		return rc;
	soon_of(c->today, soon);
	f.due_by = soon;
	pack_str(c->pk, "actions");
	if ((rc = db_action_list(c->db, &f, c->today, c->pk, c->err)) != RPC_OK)
		return rc;
	pack_str(c->pk, "appraisals");
	pack_none(c->pk);
	pack_str(c->pk, "sent_overdue");
	pack_none(c->pk);
	return RPC_OK;
}

/* The focal point's parts: updates to appraise, its reminders overdue. */
static int pack_focal(struct call *c)
{
	struct record_filter f = {0};
	int rc;

	pack_str(c->pk, "reminders");
	pack_none(c->pk);
	pack_str(c->pk, "explanations");
	pack_none(c->pk);
	pack_str(c->pk, "actions");
	pack_none(c->pk);
	pack_str(c->pk, "appraisals");
	if ((rc = db_waiting_appraisals(c->db, c->who->account_id, c->who->scope, c->pk,
					c->err)) != RPC_OK)
		return rc;
	f.scope = c->who->scope;
	f.from = c->who->account_id;
	f.overdue_only = true;
	f.inbox_order = true;
	pack_str(c->pk, "sent_overdue");
	return db_reminder_list(c->db, &f, c->today, c->pk, c->err);
}

int inbox_get(struct call *c)
{
	struct params p;
	struct waiting w;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK || (rc = inbox_count(c, &w)) != RPC_OK)
		return rc;
	msgpack_pack_map(c->pk, 6);
	pack_str(c->pk, "waiting");
	inbox_pack_counts(c->pk, &w);
	switch (c->who->role) {
	case ROLE_OFFICE:
		return pack_office(c);
	case ROLE_SUPERVISOR:
	case ROLE_ADMIN:
		return pack_focal(c);
	default:
		for (int i = 0; i < 5; i++) {
			static const char *const parts[] = {"reminders", "explanations", "actions",
							    "appraisals", "sent_overdue"};
			pack_str(c->pk, parts[i]);
			pack_none(c->pk);
		}
		return RPC_OK;
	}
}
