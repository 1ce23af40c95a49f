/*
 * db_outbox.h: the e-mail outbox (db_outbox.c, migration 17).  A message
 * is written in the transaction of what caused it and stays until the
 * mailer (server/daemon/mailer.c) has sent it or a relay refused it for
 * good; every attempt's outcome is written back here.
 */
#ifndef DOTPHA_DB_OUTBOX_H
#define DOTPHA_DB_OUTBOX_H

#include "db.h"

#define OUTBOX_EMAIL_MAX 254 /* the longest address SMTP carries (RFC 5321's path, less <>) */
#define OUTBOX_RECIPIENTS_MAX 64 /* office accounts told of one reminder: a unit has a few */

/* An account an immediate notice goes to. */
struct outbox_recipient {
	int64_t account_id;
	char email[OUTBOX_EMAIL_MAX + 1];
};

/* The office accounts (active, scope holding the unit of task `task`,
 * with an address and notify 'immediate' or 'both') into out[0..*n),
 * at most OUTBOX_RECIPIENTS_MAX. */
int db_outbox_notice_recipients(struct db *db, int64_t task, struct outbox_recipient *out,
				size_t *n, struct rpc_error *err);

/* What a notice of a new reminder or explanation request says.  Strings
 * owned; db_outbox_facts_free frees them. */
struct outbox_facts {
	int64_t id;          /* the reminder or explanation */
	int64_t task_id;
	char *task_title;
	char *unit_name;     /* the task's unit, as named today */
	char *text;          /* the reminder's message, the request's question */
	char *from;          /* the sender's display name */
	char answer_by[11];  /* YYYY-MM-DD */
};

/* kind "reminder" or "explanation", record id.  not_found if none. */
int db_outbox_facts(struct db *db, const char *kind, int64_t id, const char *today,
		    struct outbox_facts *f, struct rpc_error *err);
void db_outbox_facts_free(struct outbox_facts *f);

/* One message to write.  Strings borrowed. */
struct outbox_new {
	int64_t account_id;
	const char *recipient;
	const char *kind;    /* "reminder", "explanation", "digest" */
	int64_t ref_id;      /* the record; 0 for a digest */
	const char *subject;
	const char *body_text;
	const char *body_html;
};

/* Writes message m, due at once, and gives it its Message-ID
 * <ID.RANDOM@host>.  *id the new row. */
int db_outbox_add(struct db *db, const struct outbox_new *m, const char *host, const char *now,
		  int64_t *id, struct rpc_error *err);

/* A message due for sending.  Strings owned (db_outbox_rows_free). */
struct outbox_row {
	int64_t id;
	int64_t ref_id;
	int attempts;
	char kind[16];
	char created_at[24];
	char *recipient;
	char *message_id;
	char *subject;
	char *body_text;
	char *body_html;
};

/* The messages due at `now` (next_at <= now, not sent, not given up),
 * oldest first, at most `max`, into a new array *rows of *n. */
int db_outbox_due(struct db *db, const char *now, size_t max, struct outbox_row **rows,
		  size_t *n, struct rpc_error *err);
void db_outbox_rows_free(struct outbox_row *rows, size_t n);

/* Records message id sent at `now`. */
int db_outbox_sent(struct db *db, int64_t id, const char *now, struct rpc_error *err);

/* Records a failed attempt at `now`: `error` said, tried again at next_at,
 * or never again when give_up. */
int db_outbox_failed(struct db *db, int64_t id, const char *now, const char *error,
		     const char *next_at, bool give_up, struct rpc_error *err);

/* Deletes at most `max` messages sent or given up before `before` (a
 * moment): an outbox keeps what people were told only as long as it is
 * useful to see; the audit trail keeps the deliveries. */
int db_outbox_prune(struct db *db, const char *before, int64_t max, struct rpc_error *err);

/* Packs the outbox for notify.status: "pending", "sent", "gave_up" (counts),
 * "next_attempt" (moment or nil) and "failures" (the latest 10 failed
 * attempts: {id, at, recipient, kind, attempts, error, gave_up}) as five
 * pairs of the caller's map. */
int db_outbox_pack_status(struct db *db, msgpack_packer *pk, struct rpc_error *err);

#endif
