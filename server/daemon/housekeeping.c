/*
 * housekeeping.c: the daemon's own periodic chores, on a timer of the
 * loop.  Every few seconds: log the failed sign-ins the throttle counted
 * but has not logged yet, once their address's last line is a minute old
 * (auth_tick); if a COMMIT met an I/O error, reopen and check the
 * database on the thread pool (db_recover_check), then hand the writer
 * the checked connection (db_recover_adopt) so writes can resume.  Every hour: the
 * stored outcomes of requests (for safe retries by request_id) older than
 * --keep-requests days are deleted, a bounded batch per transaction so no
 * client waits long behind the chore.  Every --anchor-every seconds
 * (a minute): when the audit chain's head moved, it is logged and
 * appended to --anchor-file (anchor.c).
 * After a file.withdraw, the WAL,
 * whose older frames may still hold the erased bytes, is copied back and
 * emptied (a TRUNCATE checkpoint), retried at each tick until it is.
 * Once a day, and at start when the database was last judged on another
 * day or under other thresholds or zone: every task's status and health
 * judged again on the new day (db_kept_pass), a batch per transaction;
 * the reads take them from the rows once the last batch is committed.
 */
#include "housekeeping.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "auth.h"
#include "clock.h"
#include "daemon.h"
#include "date.h"
#include "db.h"
#include "db_kept.h"
#include "log.h"
#include "storage.h"

#define BATCH 2000               /* outcomes deleted per transaction */
#define AGAIN_MS 20              /* next batch, when there may be more */
#define EVERY_MS (3600 * 1000)   /* next look, when there are none left */
#define RECOVER_MS 5000          /* how often a failed database is retried */
#define KEPT_BATCH 100           /* tasks judged per transaction: ~10 ms on the loop */
#define KEPT_LOOK_MS 1000        /* how often the day is looked at */

/* One batch; returns when to look again. */
static uint64_t prune(struct server *s)
{
	struct rpc_error err = {0};
	char before[TIMESTAMP_LEN];
	int64_t deleted = 0;

	date_timestamp(clock_now() - (time_t)s->opt.keep_requests_days * 86400, before);
	if (db_begin(s->db, true, &err) != RPC_OK ||
	    db_requests_prune(s->db, before, BATCH, &deleted, &err) != RPC_OK ||
	    db_commit(s->db, &err) != RPC_OK) {
		if (err.code != RPC_BUSY) /* a busy database: just try later */
			log_warn("housekeeping: %s", err.message);
		db_rollback(s->db);
		return EVERY_MS / 60;
	}
	if (deleted > 0)
		log_info("housekeeping: %lld request outcomes older than %u days deleted",
			 (long long)deleted, s->opt.keep_requests_days);
	return deleted == BATCH ? AGAIN_MS : EVERY_MS;
}

/* Starts a pass when the rows are not judged on today under today's
 * rules; false when there is nothing to do. */
static bool kept_start(struct server *s, const char *today)
{
	struct kept_pass *k = &s->kept;
	struct rpc_error err = {0};
	char day[DATE_LEN];
	bool same;

	if (db_kept_state(s->db, day, &same, &err) != RPC_OK) {
		log_warn("figures: %s", err.message);
		return false;
	}
	if (same && strcmp(day, today) == 0) {
		db_kept_set(today, true);
		return false;
	}
	db_kept_set("", day[0] != '\0');
	k->running = true;
	k->all = !same || !day[0];
	snprintf(k->day, sizeof(k->day), "%s", today);
	db_kept_rules(k->rules, sizeof(k->rules));
	k->after = 0;
	k->started_ns = uv_hrtime();
	log_info("figures: judging %s tasks on %s", k->all ? "all" : "the open", today);
	return true;
}

/* One batch of the pass; returns when to look again. */
static uint64_t keep_figures(struct server *s)
{
	struct kept_pass *k = &s->kept;
	struct rpc_error err = {0};
	char today[DATE_LEN], rules[sizeof(k->rules)];
	int64_t before;
	bool more = false;

	date_of(clock_now(), today);
	if (!k->running && (db_kept_current(today) || !kept_start(s, today)))
		return KEPT_LOOK_MS;
	db_kept_rules(rules, sizeof(rules));
	if (strcmp(k->day, today) != 0 || strcmp(k->rules, rules) != 0) {
		/* The day turned, or the rules changed, during the pass: again
		 * from the start, on the new day. */
		k->running = false;
		return 0;
	}
	before = k->after;
	if (db_begin(s->db, true, &err) != RPC_OK ||
	    db_kept_pass(s->db, k->day, k->all, KEPT_BATCH, &k->after, &more, &err) != RPC_OK ||
	    db_commit(s->db, &err) != RPC_OK) {
		if (err.code != RPC_BUSY)
			log_warn("figures: %s (tried again shortly)", err.message);
		db_rollback(s->db);
		k->after = before;
		return RECOVER_MS;
	}
	if (more)
		return 0;
	k->running = false;
	db_kept_set(k->day, true);
	log_info("figures: the tasks are judged on %s (%.1f s)", k->day,
		 (double)(uv_hrtime() - k->started_ns) / 1e9);
	return KEPT_LOOK_MS;
}

/* On a pool thread: opens the file anew and runs the quick check, which
 * reads the whole database (minutes on a national one); the loop serves
 * on meanwhile, writes answered unavailable as they are until then. */
static void on_recover(uv_work_t *req)
{
	struct recovery *r = req->data;

	r->failed = db_recover_check(r->path, &r->fresh, r->why, sizeof(r->why));
}

static void on_tick(uv_timer_t *t);

static void on_recover_done(uv_work_t *req, int status)
{
	struct recovery *r = req->data;
	struct server *s = (struct server *)((char *)r - offsetof(struct server, recovery));

	r->running = false;
	if (status != 0 || s->stopping || s->writer_lent) {
		db_close(r->fresh); /* stopping, or looked again at the next tick */
		r->fresh = NULL;
		return;
	}
	if (r->failed) {
		log_error("database: writes stay refused: %s", r->why);
		return;
	}
	db_recover_adopt(s->db, r->fresh);
	r->fresh = NULL;
	log_warn("database: reopened after a write error and checked: writes resume");
}

/* Starts the check of a database that met a write error, unless one
 * runs already. */
static void recover(struct server *s)
{
	struct recovery *r = &s->recovery;

	if (r->running)
		return;
	snprintf(r->path, sizeof(r->path), "%s", db_path(s->db));
	r->req.data = r;
	if (uv_queue_work(s->loop, &r->req, on_recover, on_recover_done) == 0)
		r->running = true;
}

static void on_tick(uv_timer_t *t)
{
	struct server *s = t->data;
	uint64_t now = uv_now(s->loop), next;

	if (s->stopping)
		return;
	auth_tick(clock_now());
	/* The writer is on the pool (an import): nothing here may touch it. */
	if (s->writer_lent) {
		uv_timer_start(t, on_tick, RECOVER_MS / 10, 0);
		return;
	}
	/* A held sign-in's timer may have left writes of this turn open:
	 * they commit first, so the chores run in transactions of their own. */
	server_group_flush(s);
	if (db_failed(s->db)) {
		recover(s);
		uv_timer_start(t, on_tick, RECOVER_MS, 0);
		return;
	}
	if (now >= s->anchor.next_ms)
		anchor_writer_tick(&s->anchor, s->loop, s->db, now);
	if (now >= s->next_prune_ms)
		s->next_prune_ms = now + prune(s);
	if (now >= s->kept.next_ms)
		s->kept.next_ms = now + keep_figures(s);
	if (storage_wal_erase_due() && !s->checkpointer.running) {
		char why[300];
		int rc = db_wal_truncate(s->db, why, sizeof(why));

		if (rc == 0) {
			storage_wal_erased();
			log_info("housekeeping: the WAL is emptied: a withdrawn file's bytes are gone "
				 "from it");
		} else if (rc < 0) {
			log_warn("housekeeping: cannot empty the WAL after a withdrawal (tried again "
				 "in %d s): %s", RECOVER_MS / 1000, why);
		}
	}
	next = s->next_prune_ms - now;
	if (s->anchor.next_ms - now < next)
		next = s->anchor.next_ms - now;
	if (s->kept.next_ms <= now)
		next = 0;
	else if (s->kept.next_ms - now < next)
		next = s->kept.next_ms - now;
	uv_timer_start(t, on_tick, next < RECOVER_MS ? next : RECOVER_MS, 0);
}

void housekeeping_start(struct server *s)
{
	uv_timer_init(s->loop, &s->housekeeping);
	s->housekeeping.data = s;
	uv_timer_start(&s->housekeeping, on_tick, 0, 0); /* a first look at start */
}

void housekeeping_stop(struct server *s)
{
	uv_close((uv_handle_t *)&s->housekeeping, NULL);
}
