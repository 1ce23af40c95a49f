/*
 * notify.c: notify.status, the admin's view of e-mail notices: how mail
 * is sent (or that it is not configured), the outbox by state, its last
 * failures, when the next digest is made.
 */
#include <stdio.h>

#include "clock.h"
#include "date.h"
#include "db_digest.h"
#include "db_outbox.h"
#include "handlers.h"
#include "mail_config.h"
#include "pack.h"

int notify_status(struct call *c)
{
	const struct mail_config *mc = mail_config();
	struct params p;
	char next[TIMESTAMP_LEN], last[24], at[8];
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK || (rc = db_digest_last(c->db, last, c->err)) != RPC_OK)
		return rc;
	date_timestamp(mail_config_next_digest(clock_now()), next);
	snprintf(at, sizeof(at), "%02d:%02d", mc->digest_minute / 60 % 24, mc->digest_minute % 60);
	msgpack_pack_map(c->pk, 12);
	pack_kv_bool(c->pk, "configured", mc->via != MAIL_NONE);
	pack_kv_str(c->pk, "via", mc->via == MAIL_SMTP ? "smtp" : mc->via == MAIL_SENDMAIL ? "sendmail"
											: NULL);
	pack_kv_str(c->pk, "relay", mc->via == MAIL_SMTP ? mc->url : mc->via == MAIL_SENDMAIL
								       ? mc->sendmail : NULL);
	pack_kv_str(c->pk, "from", mc->from[0] ? mc->from : NULL);
	pack_kv_str(c->pk, "digest_at", at);
	pack_kv_str(c->pk, "next_digest", next);
	pack_kv_str(c->pk, "last_digest", last[0] ? last : NULL);
	return db_outbox_pack_status(c->db, c->pk, c->err);
}
