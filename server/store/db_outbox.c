/*
 * db_outbox.c: storage for the e-mail outbox (db_outbox.h): who is told
 * of a new reminder, what the notice says, the messages waiting and the
 * outcome of each attempt to send one.
 */
#include "db_internal.h"

#include <stdlib.h>
#include <string.h>

#include "db_outbox.h"
#include "pack.h"

/* The office accounts whose scope holds task ?1's unit (walking up from
 * it) and who asked to be told at once. */
static const char SQL_RECIPIENTS[] =
	"WITH RECURSIVE " SQL_ANCESTORS("unit_id FROM tasks WHERE id = ?1") " "
	"SELECT a.id, a.email FROM accounts a WHERE a.role = 'office' AND a.active "
	"AND a.email IS NOT NULL AND a.notify IN ('immediate', 'both') "
	"AND a.scope_unit_id IN (SELECT id FROM anc) ORDER BY a.id LIMIT 64";
static const char SQL_FACTS_REMINDER[] =
	"SELECT r.id, t.id, t.title, " SQL_UNIT_NAME("t.unit_id", "?2") ", r.message, "
	"fa.display_name, r.answer_by FROM reminders r JOIN tasks t ON t.id = r.task_id "
	"JOIN accounts fa ON fa.id = r.from_account_id WHERE r.id = ?1";
static const char SQL_FACTS_EXPLANATION[] =
	"SELECT e.id, t.id, t.title, " SQL_UNIT_NAME("t.unit_id", "?2") ", e.question, "
	"fa.display_name, e.answer_by FROM explanations e JOIN tasks t ON t.id = e.task_id "
	"JOIN accounts fa ON fa.id = e.from_account_id WHERE e.id = ?1";
static const char SQL_ADD[] =
	"INSERT INTO outbox (account_id, recipient, kind, ref_id, subject, body_text, body_html, "
	"created_at, next_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
/* The random part keeps Message-IDs unique across databases (a restored
 * backup, a second province) that reuse row ids. */
static const char SQL_MESSAGE_ID[] =
	"UPDATE outbox SET message_id = '<' || id || '.' || lower(hex(randomblob(6))) || '@' "
	"|| ?2 || '>' WHERE id = ?1";
static const char SQL_DUE[] =
	"SELECT id, coalesce(ref_id, 0), attempts, kind, created_at, recipient, message_id, "
	"subject, body_text, body_html FROM outbox "
	"WHERE sent_at IS NULL AND gave_up_at IS NULL AND next_at <= ?1 ORDER BY next_at, id LIMIT ?2";
static const char SQL_SENT[] =
	"UPDATE outbox SET sent_at = ?2, attempts = attempts + 1 WHERE id = ?1 AND sent_at IS NULL";
static const char SQL_FAILED[] =
	"UPDATE outbox SET attempts = attempts + 1, last_error = ?3, last_error_at = ?2, "
	"next_at = ?4, gave_up_at = CASE WHEN ?5 THEN ?2 END WHERE id = ?1 AND sent_at IS NULL";
static const char SQL_PRUNE[] =
	"DELETE FROM outbox WHERE id IN (SELECT id FROM outbox WHERE coalesce(sent_at, gave_up_at) < ?1 "
	"LIMIT ?2)";
static const char SQL_COUNTS[] =
	"SELECT count(*) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL), "
	"count(*) FILTER (WHERE sent_at IS NOT NULL), count(*) FILTER (WHERE gave_up_at IS NOT NULL), "
	"min(next_at) FILTER (WHERE sent_at IS NULL AND gave_up_at IS NULL) FROM outbox";
static const char SQL_FAILURES[] =
	"SELECT id, last_error_at AS at, recipient, kind, attempts, last_error AS error, "
	"gave_up_at IS NOT NULL AS gave_up, sent_at IS NOT NULL AS sent FROM outbox "
	"WHERE last_error_at IS NOT NULL ORDER BY last_error_at DESC, id DESC LIMIT 10";

static const char *const failure_bools[] = {"gave_up", "sent", NULL};

int db_outbox_notice_recipients(struct db *db, int64_t task, struct outbox_recipient *out,
				size_t *n, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_RECIPIENTS, err, "i", task);
	int rc;

	*n = 0;
	if (!st)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < OUTBOX_RECIPIENTS_MAX) {
		out[*n].account_id = sqlite3_column_int64(st, 0);
		db_column_copy(st, 1, out[*n].email, sizeof(out[*n].email));
		(*n)++;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "outbox", err);
	return RPC_OK;
}

int db_outbox_facts(struct db *db, const char *kind, int64_t id, const char *today,
		    struct outbox_facts *f, struct rpc_error *err)
{
	bool reminder = strcmp(kind, "reminder") == 0;
	sqlite3_stmt *st = db_prep(db, reminder ? SQL_FACTS_REMINDER : SQL_FACTS_EXPLANATION, err,
				   "is", id, today);
	int rc;

	memset(f, 0, sizeof(*f));
	if (!st)
		return err->code;
	if ((rc = db_row(db, st, kind, id, err)) != RPC_OK)
		return rc;
	f->id = sqlite3_column_int64(st, 0);
	f->task_id = sqlite3_column_int64(st, 1);
	f->task_title = db_column_dup(st, 2);
	f->unit_name = db_column_dup(st, 3);
	f->text = db_column_dup(st, 4);
	f->from = db_column_dup(st, 5);
	db_column_copy(st, 6, f->answer_by, sizeof(f->answer_by));
	sqlite3_reset(st);
	if (!f->task_title || !f->unit_name || !f->text || !f->from) {
		db_outbox_facts_free(f);
		return errors_set(err, RPC_INTERNAL, "outbox: out of memory");
	}
	return RPC_OK;
}

void db_outbox_facts_free(struct outbox_facts *f)
{
	free(f->task_title);
	free(f->unit_name);
	free(f->text);
	free(f->from);
	memset(f, 0, sizeof(*f));
}

int db_outbox_add(struct db *db, const struct outbox_new *m, const char *host, const char *now,
		  int64_t *id, struct rpc_error *err)
{
	int rc = db_insert(db, SQL_ADD, "outbox", id, err, "issrssss", m->account_id, m->recipient,
			   m->kind, m->ref_id, m->subject, m->body_text, m->body_html, now);

	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_MESSAGE_ID, "outbox", err, "is", *id, host);
}

void db_outbox_rows_free(struct outbox_row *rows, size_t n)
{
	for (size_t i = 0; rows && i < n; i++) {
		free(rows[i].recipient);
		free(rows[i].message_id);
		free(rows[i].subject);
		free(rows[i].body_text);
		free(rows[i].body_html);
	}
	free(rows);
}

int db_outbox_due(struct db *db, const char *now, size_t max, struct outbox_row **rows,
		  size_t *n, struct rpc_error *err)
{
	sqlite3_stmt *st;
	struct outbox_row *r;
	int rc;

	*rows = NULL;
	*n = 0;
	if (!(r = calloc(max ? max : 1, sizeof(*r))))
		return errors_set(err, RPC_INTERNAL, "outbox: out of memory");
	if (!(st = db_prep(db, SQL_DUE, err, "si", now, (int64_t)max))) {
		free(r);
		return err->code;
	}
	while (*n < max && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct outbox_row *o = &r[(*n)++];

		o->id = sqlite3_column_int64(st, 0);
		o->ref_id = sqlite3_column_int64(st, 1);
		o->attempts = sqlite3_column_int(st, 2);
		db_column_copy(st, 3, o->kind, sizeof(o->kind));
		db_column_copy(st, 4, o->created_at, sizeof(o->created_at));
		o->recipient = db_column_dup(st, 5);
		o->message_id = db_column_dup(st, 6);
		o->subject = db_column_dup(st, 7);
		o->body_text = db_column_dup(st, 8);
		o->body_html = db_column_dup(st, 9);
		if (!o->recipient || !o->message_id || !o->subject || !o->body_text ||
		    !o->body_html) {
			sqlite3_reset(st);
			db_outbox_rows_free(r, *n);
			*n = 0;
			return errors_set(err, RPC_INTERNAL, "outbox: out of memory");
		}
	}
	if (*n < max && rc != SQLITE_DONE) {
		sqlite3_reset(st);
		db_outbox_rows_free(r, *n);
		*n = 0;
		return db_fail(db, rc, "outbox", err);
	}
	sqlite3_reset(st);
	*rows = r;
	return RPC_OK;
}

int db_outbox_sent(struct db *db, int64_t id, const char *now, struct rpc_error *err)
{
	return db_run(db, SQL_SENT, "outbox", err, "is", id, now);
}

int db_outbox_failed(struct db *db, int64_t id, const char *now, const char *error,
		     const char *next_at, bool give_up, struct rpc_error *err)
{
	return db_run(db, SQL_FAILED, "outbox", err, "isssd", id, now, error, next_at,
		      (int)give_up);
}

int db_outbox_prune(struct db *db, const char *before, int64_t max, struct rpc_error *err)
{
	return db_run(db, SQL_PRUNE, "outbox", err, "si", before, max);
}

int db_outbox_pack_status(struct db *db, msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_COUNTS, err, "");
	int64_t pending = 0, sent = 0, gave_up = 0;
	char next[24] = "";
	int rc;

	if (!st)
		return err->code;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		pending = sqlite3_column_int64(st, 0);
		sent = sqlite3_column_int64(st, 1);
		gave_up = sqlite3_column_int64(st, 2);
		db_column_copy(st, 3, next, sizeof(next));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "outbox", err);
	pack_kv_int(pk, "pending", pending);
	pack_kv_int(pk, "sent", sent);
	pack_kv_int(pk, "gave_up", gave_up);
	pack_kv_str(pk, "next_attempt", next[0] ? next : NULL);
	pack_str(pk, "failures");
	if (!(st = db_prep(db, SQL_FAILURES, err, "")))
		return err->code;
	return db_pack_rows(db, st, pk, failure_bools, err) < 0 ? err->code : RPC_OK;
}
