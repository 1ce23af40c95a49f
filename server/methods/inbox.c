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
