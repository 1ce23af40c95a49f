/*
 * notice.c: see notice.h.
 */
#include "notice.h"

#include "compose.h"
#include "db_outbox.h"
#include "mail_config.h"

int notice_enqueue(struct db *db, const char *kind, int64_t id, int64_t task, const char *today,
		   const char *now, struct rpc_error *err)
{
	struct outbox_recipient to[OUTBOX_RECIPIENTS_MAX];
	struct outbox_facts f;
	struct composed c;
	size_t n;
	int64_t row;
	int rc;

	if ((rc = db_outbox_notice_recipients(db, task, to, &n, err)) != RPC_OK || n == 0)
		return rc;
	if ((rc = db_outbox_facts(db, kind, id, today, &f, err)) != RPC_OK)
		return rc;
	rc = compose_notice(kind, &f, &c);
	db_outbox_facts_free(&f);
	if (rc < 0)
		return errors_set(err, RPC_INTERNAL, "outbox: out of memory");
	for (size_t i = 0; i < n && rc == RPC_OK; i++) {
		struct outbox_new m = {to[i].account_id, to[i].email, kind, id,
				       c.subject, c.text, c.html};

		rc = db_outbox_add(db, &m, mail_config()->host, now, &row, err);
	}
	compose_free(&c);
	return rc;
}
