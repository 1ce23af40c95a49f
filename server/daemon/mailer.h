/*
 * mailer.h: the daemon's e-mail worker (mailer.c).  A timer of the loop
 * looks for outbox messages that are due and hands a batch to the thread
 * pool, which builds and sends them; back on the loop, each outcome is
 * written (sent, or failed with the next attempt backed off, or given up
 * on a 5xx) in one transaction with the audit entry of a delivered
 * reminder or explanation request.  Once a day, at --digest-at local
 * time (or at start when that hour has passed and the day's digests are
 * not made), the digests are composed on the pool from a read-only
 * connection and written to the outbox in one transaction, which also
 * deletes the messages sent more than MAILER_KEEP_DAYS days before.
 *
 * Nothing is lost: a message leaves the outbox only when its outcome is
 * committed.  A crash after the relay's 250 and before that commit sends
 * it once more, with the same Message-ID (the one duplicate allowed).
 */
#ifndef DOTPHA_MAILER_H
#define DOTPHA_MAILER_H

#include <stdbool.h>
#include <stdint.h>

#include <uv.h>

#include "send.h"

struct server;
struct server_options;
struct mail_config;
struct outbox_row;
struct digest_made;

#define MAILER_BATCH 16        /* messages handed to one job */
#define MAILER_TICK_MS 1000    /* how often the outbox is looked at */
#define MAILER_BACKOFF_MAX_S 3600 /* the longest wait between two attempts */
#define MAILER_KEEP_DAYS 90     /* messages sent (or given up) are kept this long */
#define MAILER_PRUNE_MAX 5000   /* deleted with a day's digests, at most */

struct mailer {
	struct server *s;          /* the daemon; not owned */
	uv_timer_t timer;          /* the looks at the outbox and the clock */
	bool started;              /* timer initialised (mailer_stop closes it) */
	struct send_cancel cancel; /* the daemon stops: a send in progress gives up */
	uint64_t retry_ms;         /* --mail-retry: the first wait after a failure */
	/* The batch being sent (send job) and its outcomes, kept until written. */
	uv_work_t send_req;
	bool sending;              /* the send job is queued or running */
	struct outbox_row *rows;   /* owned: the batch */
	struct send_result *results; /* owned: one per row */
	size_t nrows;
	size_t nattempted;         /* rows the job tried (the rest wait for the next) */
	bool sent_pending;         /* outcomes not yet written */
	/* The day's digests (digest job), kept until written. */
	uv_work_t digest_req;
	bool digesting;            /* the digest job is queued or running */
	char digest_day[11];       /* the local day being made */
	char digest_done[11];      /* the last local day whose digests are written */
	struct digest_made *made;  /* owned: composed digests */
	size_t nmade;
	bool made_pending;         /* composed, not yet written */
	char digest_error[300];    /* the job's failure, "" when none */
	uint64_t digest_retry_at;  /* loop time before which a failed day is not retried */
};

/* Reads --mail-via's value into c's via, url, sendmail and tls: "sendmail"
 * (/usr/sbin/sendmail) or "sendmail:PATH"; "smtp://HOST[:PORT]" (STARTTLS
 * required), "smtps://HOST[:PORT]" (TLS from the start); or, for tests
 * against a loopback relay only, "smtp+insecure://HOST:PORT" (no TLS;
 * HOST 127.0.0.1, ::1 or localhost).  0, or -1 with why. */
int mailer_parse_via(const char *v, struct mail_config *c, char *why, size_t n);

/* The whole mail configuration the options ask for (the password read
 * from its file, the Message-ID host from --mail-from's domain or the
 * host name).  0, or -1 with why. */
int mailer_config(const struct server_options *o, struct mail_config *c, char *why, size_t n);

/* A new mailer with its timer started on s's loop (server_start, after
 * mail_config_set); NULL when out of memory.  Freed by mailer_free. */
struct mailer *mailer_start(struct server *s, uint64_t retry_ms);
/* Stops looking; a send in progress is told to give up (server_stop).
 * NULL is fine. */
void mailer_stop(struct mailer *m);
/* Frees m and what its last jobs left, once the loop has ended (no job
 * runs, the timer is closed).  NULL is fine. */
void mailer_free(struct mailer *m);

#endif
