/*
 * mailer.c: see mailer.h.  The state of the two jobs:
 *
 *   send:   idle --tick, rows due--> sending (pool) --on_sent--> sent_pending
 *           --record_sent (loop, one transaction)--> idle
 *   digest: idle --tick, hour passed, day not done--> digesting (pool)
 *           --on_digested--> made_pending --record_made--> idle, day done
 *
 * A write that cannot happen now (the writer lent to an import, a failed
 * database, a busy one) keeps its outcomes pending and is tried again at
 * the next tick: the outbox row stays unsent meanwhile, so nothing is lost.
 */
#include "mailer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "compose.h"
#include "crypto.h"
#include "daemon.h"
#include "date.h"
#include "db.h"
#include "db_audit.h"
#include "db_digest.h"
#include "db_outbox.h"
#include "log.h"
#include "mail_config.h"
#include "mime.h"
#include "send.h"

/* What the audit trail calls a delivered notice: not a method, the
 * daemon's own act, by "(system)" (PROTOCOL.md 4b). */
#define AUDIT_DELIVERED "mail.delivered"
#define FROM_NAME "Hệ thống theo dõi nhiệm vụ (dotpha)"
#define DIGEST_RETRY_MS (5 * 60 * 1000) /* a digest job that failed */

/* One composed digest, waiting to be written. */
struct digest_made {
	int64_t account_id;
	int64_t items;
	char email[256];
	struct composed c;       /* empty when items is 0 */
};

static void now_stamp(char out[TIMESTAMP_LEN])
{
	date_timestamp(clock_now(), out);
}

/* ---- sending, on the pool ---- */

/* Whether r is a digest of a day before today: a digest says what waits
 * on its day, so one the relay (or a mail configured only later) kept
 * from going out on that day is given up, not sent days late beside the
 * day's own.  start_of_today: today's local midnight as a UTC moment. */
static bool out_of_date(const struct outbox_row *r, const char *start_of_today)
{
	return strcmp(r->kind, "digest") == 0 && strcmp(r->created_at, start_of_today) < 0;
}

static void on_send(uv_work_t *req)
{
	struct mailer *m = req->data;
	const struct mail_config *cfg = mail_config();
	char today[DATE_LEN], midnight[TIMESTAMP_LEN];
	time_t t;

	date_of(clock_now(), today);
	if (clock_parse(today, &t) < 0) /* cannot be: date_of wrote a real day */
		t = clock_now();
	date_timestamp(t, midnight);

	for (m->nattempted = 0; m->nattempted < m->nrows; m->nattempted++) {
		struct outbox_row *r = &m->rows[m->nattempted];
		struct mime_message msg = {cfg->from, FROM_NAME, r->recipient, r->subject,
					   r->body_text, r->body_html, r->message_id, r->created_at};
		size_t len;
		char *bytes;

		if (send_cancelled(&m->cancel))
			break;
		if (out_of_date(r, midnight)) {
			memset(&m->results[m->nattempted], 0, sizeof(m->results[0]));
			m->results[m->nattempted].permanent = true;
			snprintf(m->results[m->nattempted].why, sizeof(m->results[0].why),
				 "the digest of an earlier day, not sent on its day: out of date");
			continue;
		}
		if (!(bytes = mime_build(&msg, &len))) {
			memset(&m->results[m->nattempted], 0, sizeof(m->results[0]));
			snprintf(m->results[m->nattempted].why, sizeof(m->results[0].why),
				 "out of memory building the message");
			continue;
		}
		send_message(cfg, r->recipient, bytes, len, &m->cancel, &m->results[m->nattempted]);
		free(bytes);
	}
	crypto_thread_end(); /* the relay's TLS ran on this pool thread */
}

/* ---- writing outcomes, on the loop ---- */

/* Opens a transaction on the writer for the mailer's own write, the
 * request writes of this turn committed first.  false when the writer
 * cannot be had now (try again at the next tick). */
static bool begin_write(struct server *s, struct rpc_error *err)
{
	if (s->writer_lent || db_failed(s->db))
		return false;
	server_group_flush(s);
	return db_begin(s->db, true, err) == RPC_OK;
}

static bool end_write(struct server *s, int rc, struct rpc_error *err, const char *what)
{
	if (rc == RPC_OK && db_commit(s->db, err) == RPC_OK)
		return true;
	db_rollback(s->db);
	if (err->code != RPC_BUSY)
		log_warn("mail: cannot record %s (tried again shortly): %s", what, err->message);
	return false;
}

/* The wait before attempt number `attempts` + 1: retry_ms doubled per
 * attempt made, at most MAILER_BACKOFF_MAX_S. */
static void next_attempt(const struct mailer *m, int attempts, char out[TIMESTAMP_LEN])
{
	uint64_t ms = m->retry_ms;

	for (int i = 1; i < attempts && ms < (uint64_t)MAILER_BACKOFF_MAX_S * 1000; i++)
		ms *= 2;
	if (ms > (uint64_t)MAILER_BACKOFF_MAX_S * 1000)
		ms = (uint64_t)MAILER_BACKOFF_MAX_S * 1000;
	date_timestamp(clock_now() + (time_t)((ms + 999) / 1000), out);
}

static void free_batch(struct mailer *m)
{
	db_outbox_rows_free(m->rows, m->nrows);
	free(m->results);
	m->rows = NULL;
	m->results = NULL;
	m->nrows = m->nattempted = 0;
	m->sent_pending = false;
}

static void record_sent(struct mailer *m)
{
	struct server *s = m->s;
	struct rpc_error err = {0};
	char now[TIMESTAMP_LEN], next[TIMESTAMP_LEN];
	int rc = RPC_OK;

	if (!begin_write(s, &err))
		return;
	now_stamp(now);
	for (size_t i = 0; i < m->nattempted && rc == RPC_OK; i++) {
		struct outbox_row *r = &m->rows[i];
		struct send_result *x = &m->results[i];

		if (x->sent) {
			rc = db_outbox_sent(s->db, r->id, now, &err);
			if (rc == RPC_OK && r->ref_id > 0 && strcmp(r->kind, "digest") != 0)
				rc = db_audit_system(s->db, now, AUDIT_DELIVERED, r->kind, r->ref_id,
						     &err);
		} else {
			next_attempt(m, r->attempts + 1, next);
			rc = db_outbox_failed(s->db, r->id, now, x->why, next, x->permanent, &err);
		}
	}
	if (!end_write(s, rc, &err, "the outcome of sending"))
		return;
	for (size_t i = 0; i < m->nattempted; i++) {
		if (m->results[i].sent)
			log_info("mail: message %lld (%s) sent to %s", (long long)m->rows[i].id,
				 m->rows[i].kind, m->rows[i].recipient);
		else
			log_warn("mail: message %lld to %s %s: %s", (long long)m->rows[i].id,
				 m->rows[i].recipient,
				 m->results[i].permanent ? "refused for good" : "not sent, tried again later",
				 m->results[i].why);
	}
	free_batch(m);
}

static void on_sent(uv_work_t *req, int status)
{
	struct mailer *m = req->data;

	m->sending = false;
	if (status != 0) /* cancelled before it ran: nothing tried */
		m->nattempted = 0;
	m->sent_pending = true;
	record_sent(m);
}

/* Starts a send job when messages are due. */
static void look_at_outbox(struct mailer *m)
{
	struct server *s = m->s;
	struct rpc_error err = {0};
	char now[TIMESTAMP_LEN];

	if (m->sending || m->sent_pending || !mail_configured())
		return;
	now_stamp(now);
	if (db_outbox_due(s->reader, now, MAILER_BATCH, &m->rows, &m->nrows, &err) != RPC_OK) {
		if (err.code != RPC_BUSY)
			log_warn("mail: cannot read the outbox: %s", err.message);
		return;
	}
	if (m->nrows == 0) {
		free_batch(m);
		return;
	}
	if (!(m->results = calloc(m->nrows, sizeof(*m->results)))) {
		free_batch(m);
		return;
	}
	m->send_req.data = m;
	if (uv_queue_work(s->loop, &m->send_req, on_send, on_sent) == 0)
		m->sending = true;
	else
		free_batch(m);
}

/* ---- digests ---- */

static void free_made(struct mailer *m)
{
	for (size_t i = 0; i < m->nmade; i++)
		compose_free(&m->made[i].c);
	free(m->made);
	m->made = NULL;
	m->nmade = 0;
	m->made_pending = false;
}

/* On the pool: every account's digest of digest_day, from a read-only
 * connection of the worker pool, in one read transaction. */
static void on_digest(uv_work_t *req)
{
	struct mailer *m = req->data;
	struct rpc_error err = {0};
	struct digest_account *acc = NULL;
	struct digest *d = NULL;
	size_t n = 0;
	char why[300] = "";
	struct db *db = worker_db_take(&m->s->workers, why, sizeof(why));

	m->digest_error[0] = '\0';
	if (!db) {
		snprintf(m->digest_error, sizeof(m->digest_error), "no read connection: %.250s", why);
		return;
	}
	if (db_begin(db, false, &err) != RPC_OK ||
	    db_digest_accounts(db, m->digest_day, &acc, &n, &err) != RPC_OK)
		goto fail;
	if (n > 0 && (!(m->made = calloc(n, sizeof(*m->made))) || !(d = malloc(sizeof(*d))))) {
		errors_set(&err, RPC_INTERNAL, "out of memory");
		goto fail;
	}
	for (size_t i = 0; i < n; i++) {
		struct digest_made *x = &m->made[m->nmade];

		if (db_digest_collect(db, &acc[i], m->digest_day, d, &err) != RPC_OK)
			goto fail;
		x->account_id = acc[i].id;
		x->items = db_digest_count(d);
		snprintf(x->email, sizeof(x->email), "%s", acc[i].email);
		if (x->items > 0 && compose_digest(&acc[i], d, m->digest_day, &x->c) < 0) {
			db_digest_free(d);
			errors_set(&err, RPC_INTERNAL, "out of memory");
			goto fail;
		}
		db_digest_free(d);
		m->nmade++;
	}
	db_rollback(db);
	worker_db_give(&m->s->workers, db);
	free(acc);
	free(d);
	return;
fail:
	snprintf(m->digest_error, sizeof(m->digest_error), "%s", err.message);
	db_rollback(db);
	worker_db_give(&m->s->workers, db);
	free(acc);
	free(d);
	for (size_t i = 0; i < m->nmade; i++)
		compose_free(&m->made[i].c);
	m->nmade = 0;
}

static void record_made(struct mailer *m)
{
	struct server *s = m->s;
	struct rpc_error err = {0};
	char now[TIMESTAMP_LEN];
	int rc = RPC_OK;
	size_t queued = 0;

	if (!begin_write(s, &err))
		return;
	now_stamp(now);
	for (size_t i = 0; i < m->nmade && rc == RPC_OK; i++) {
		struct digest_made *x = &m->made[i];
		bool fresh;
		int64_t id;

		rc = db_digest_record(s->db, x->account_id, m->digest_day, x->items, now, &fresh, &err);
		if (rc == RPC_OK && fresh && x->items > 0) {
			struct outbox_new o = {x->account_id, x->email, "digest", 0, x->c.subject,
					       x->c.text, x->c.html};

			rc = db_outbox_add(s->db, &o, mail_config()->host, now, &id, &err);
			queued++;
		}
	}
	if (rc == RPC_OK) {
		char before[TIMESTAMP_LEN];

		date_timestamp(clock_now() - (time_t)MAILER_KEEP_DAYS * 86400, before);
		rc = db_outbox_prune(s->db, before, MAILER_PRUNE_MAX, &err);
	}
	if (!end_write(s, rc, &err, "the day's digests"))
		return;
	log_info("mail: digests of %s made for %zu accounts, %zu with something to say",
		 m->digest_day, m->nmade, queued);
	snprintf(m->digest_done, sizeof(m->digest_done), "%s", m->digest_day);
	free_made(m);
}

static void on_digested(uv_work_t *req, int status)
{
	struct mailer *m = req->data;

	m->digesting = false;
	if (status != 0 || m->digest_error[0]) {
		if (status == 0)
			log_warn("mail: cannot make the digests of %s (tried again in %d minutes): %s",
				 m->digest_day, DIGEST_RETRY_MS / 60000, m->digest_error);
		free_made(m);
		m->digest_retry_at = uv_now(m->s->loop) + DIGEST_RETRY_MS;
		return;
	}
	m->made_pending = true;
	record_made(m);
}

/* Starts the digest job once the day's hour has come. */
static void look_at_clock(struct mailer *m)
{
	time_t now = clock_now();
	char today[DATE_LEN];

	/* Without a way to send, a digest could never go out on its day
	 * (out_of_date): none is made, and the pool is left alone. */
	if (!mail_configured() || m->digesting || m->made_pending ||
	    uv_now(m->s->loop) < m->digest_retry_at)
		return;
	date_of(now, today);
	if (strcmp(today, m->digest_done) == 0 || now < mail_config_digest_today(now))
		return;
	snprintf(m->digest_day, sizeof(m->digest_day), "%s", today);
	m->digest_req.data = m;
	if (uv_queue_work(m->s->loop, &m->digest_req, on_digest, on_digested) == 0)
		m->digesting = true;
}

/* ---- configuration ---- */

int mailer_parse_via(const char *v, struct mail_config *c, char *why, size_t n)
{
	static const char insecure[] = "smtp+insecure://";

	if (strcmp(v, "sendmail") == 0 || strncmp(v, "sendmail:", 9) == 0) {
		const char *path = v[8] ? v + 9 : "/usr/sbin/sendmail";

		if (path[0] != '/') {
			snprintf(why, n, "the sendmail program must be an absolute path, got '%s'", path);
			return -1;
		}
		c->via = MAIL_SENDMAIL;
		snprintf(c->sendmail, sizeof(c->sendmail), "%s", path);
		return 0;
	}
	if (strncmp(v, "smtp://", 7) == 0 || strncmp(v, "smtps://", 8) == 0) {
		if (!v[v[4] == 's' ? 8 : 7]) {
			snprintf(why, n, "expected smtp://HOST[:PORT], got '%s'", v);
			return -1;
		}
		c->via = MAIL_SMTP;
		c->tls = true;
		snprintf(c->url, sizeof(c->url), "%s", v);
		return 0;
	}
	if (strncmp(v, insecure, sizeof(insecure) - 1) == 0) {
		const char *host = v + sizeof(insecure) - 1;

		if (strncmp(host, "127.0.0.1:", 10) != 0 && strncmp(host, "[::1]:", 6) != 0 &&
		    strncmp(host, "localhost:", 10) != 0) {
			snprintf(why, n, "smtp+insecure:// (no TLS) is for a relay on this machine "
				 "only: 127.0.0.1:PORT, [::1]:PORT or localhost:PORT, got '%s'", host);
			return -1;
		}
		c->via = MAIL_SMTP;
		c->tls = false;
		snprintf(c->url, sizeof(c->url), "smtp://%s", host);
		return 0;
	}
	snprintf(why, n, "expected sendmail, sendmail:PATH, smtp://HOST[:PORT] or "
		 "smtps://HOST[:PORT], got '%s'", v);
	return -1;
}

int mailer_config(const struct server_options *o, struct mail_config *c, char *why, size_t n)
{
	char host[200] = "";
	const char *at;

	memset(c, 0, sizeof(*c));
	c->digest_minute = o->digest_minute;
	if (gethostname(host, sizeof(host) - 1) != 0 || !host[0])
		snprintf(host, sizeof(host), "localhost");
	if (o->mail_from) {
		if (!mime_address_ok(o->mail_from, strlen(o->mail_from))) {
			snprintf(why, n, "--mail-from: not an address: '%s'", o->mail_from);
			return -1;
		}
		snprintf(c->from, sizeof(c->from), "%s", o->mail_from);
	} else {
		snprintf(c->from, sizeof(c->from), "dotpha@%s", host);
	}
	at = strchr(c->from, '@');
	snprintf(c->host, sizeof(c->host), "%s", at ? at + 1 : host);
	if (!o->mail_via)
		return 0;
	if (mailer_parse_via(o->mail_via, c, why, n) < 0)
		return -1;
	if (o->mail_user)
		snprintf(c->user, sizeof(c->user), "%s", o->mail_user);
	if (o->mail_ca) {
		if (access(o->mail_ca, R_OK) != 0) {
			snprintf(why, n, "--mail-ca %s: %s", o->mail_ca, strerror(errno));
			return -1;
		}
		snprintf(c->ca, sizeof(c->ca), "%s", o->mail_ca);
	}
	if (o->mail_password_file) {
		FILE *f = fopen(o->mail_password_file, "r");

		if (!f || !fgets(c->password, sizeof(c->password), f)) {
			snprintf(why, n, "--mail-password-file %s: cannot read it%s%s",
				 o->mail_password_file, f ? "" : ": ", f ? "" : strerror(errno));
			if (f)
				fclose(f);
			return -1;
		}
		fclose(f);
		c->password[strcspn(c->password, "\r\n")] = '\0';
	}
	return 0;
}

/* ---- the timer ---- */

static void on_tick(uv_timer_t *t)
{
	struct mailer *m = t->data;

	if (m->s->stopping)
		return;
	if (m->sent_pending && !m->sending)
		record_sent(m);
	if (m->made_pending && !m->digesting)
		record_made(m);
	if (!m->s->writer_lent && !db_failed(m->s->db)) {
		look_at_outbox(m);
		look_at_clock(m);
	}
	uv_timer_start(t, on_tick, MAILER_TICK_MS, 0);
}

struct mailer *mailer_start(struct server *s, uint64_t retry_ms)
{
	struct mailer *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->s = s;
	m->retry_ms = retry_ms;
	if (send_cancel_init(&m->cancel) < 0) {
		free(m);
		return NULL;
	}
	uv_timer_init(s->loop, &m->timer);
	m->timer.data = m;
	m->started = true;
	uv_timer_start(&m->timer, on_tick, 0, 0);
	return m;
}

void mailer_stop(struct mailer *m)
{
	if (!m || !m->started)
		return;
	send_cancel(&m->cancel);
	uv_close((uv_handle_t *)&m->timer, NULL);
	m->started = false;
}

void mailer_free(struct mailer *m)
{
	if (!m)
		return;
	free_batch(m);
	free_made(m);
	send_cancel_destroy(&m->cancel);
	free(m);
}
