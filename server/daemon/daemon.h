/*
 * daemon.h: the daemon's state, and the calls the parts of its loop make
 * on one another.  server.c owns the state and implements these calls;
 * conn.c (a connection) and housekeeping.c (the chores) reach the state
 * and the writer, the group and the connection set only through this
 * header, never through server.c's own (server.h: options, start, stop),
 * so the loop's files import no circle.
 */
#ifndef DOTPHA_DAEMON_H
#define DOTPHA_DAEMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "anchor.h"
#include "checkpoint.h"
#include "frame.h"
#include "group.h"
#include "worker.h"

struct conn;
struct db;
struct mailer;
struct ssl_ctx_st;

/* The check of a database that met a write error, on the thread pool. */
struct recovery {
	uv_work_t req;      /* the job; req.data -> the server */
	bool running;       /* queued or running */
	int failed;         /* its outcome: 0, or -1 with why */
	struct db *fresh;   /* owned until adopted: the checked connection */
	char path[4096];    /* the database file */
	char why[300];
};

/* Connections kept past --max-clients so an admin can still get in when
 * the offices have taken every slot (dispatch_message refuses anyone else
 * on them); past these too, a connection is answered too_many_clients. */
#define SERVER_ADMIN_RESERVE 8

/* Before sign-in a connection may send only what session.auth and
 * server.info need (PROTOCOL.md 3): a stranger's message costs no more
 * than these bytes, decoded or waiting. */
#define SERVER_MAX_MESSAGE_UNAUTH 4096u

struct server_options {
	const char *listen;      /* "HOST:PORT"; port 0 picks a free one */
	const char *db_path;     /* database file */
	size_t max_message;      /* bytes of one request */
	size_t max_message_unauth; /* bytes of one request before sign-in */
	unsigned max_unauth_per_address; /* connections not signed in from one address */
	size_t max_output_total; /* reply bytes queued across every connection */
	const char *config_path; /* --config, re-read on SIGHUP (main.c's reload), or NULL */
	const char *log_file;    /* --log-file: the log, reopened on SIGHUP; NULL: stderr */
	unsigned max_clients;    /* connections served at once */
	size_t output_high;      /* stop reading a client with this much queued */
	size_t max_reply;        /* bytes of one reply's result (dispatch.h) */
	const char *port_file;   /* if set, the bound port is written here (tests) */
	uint64_t auth_timeout_ms;    /* a connection must sign in within this */
	uint64_t idle_timeout_ms;    /* a connection that sends nothing and is sent nothing */
	uint64_t message_timeout_ms; /* a message begun must arrive whole within this */
	unsigned keep_requests_days; /* stored outcomes of requests are kept this long */
	const char *tls_cert;    /* certificate chain (PEM): serve TLS; NULL: plaintext */
	const char *tls_key;     /* its private key (PEM) */
	const char *tls_client_ca; /* require client certificates these CAs vouch for, or NULL */
	bool insecure_plaintext; /* allow plaintext on an address other than loopback */
	const char *anchor_file; /* --anchor-file: the audit chain's heads appended there, or NULL */
	uint64_t anchor_every_ms; /* how often the head is looked at (anchor.h) */
	uint64_t upload_quota;   /* bytes of evidence files per unit, 0: none (storage.h) */
	uint64_t min_free;       /* free bytes uploads leave on the disk, 0: no floor */
	const char *mail_via;    /* --mail-via: "sendmail[:PATH]", "smtp://...", ...; NULL: none */
	const char *mail_from;   /* --mail-from: the sender's address */
	const char *mail_user;   /* --mail-user: the relay's login, or NULL */
	const char *mail_password_file; /* --mail-password-file, or NULL */
	const char *mail_ca;     /* --mail-ca: the relay's CAs, or NULL for the system's */
	int digest_minute;       /* --digest-at, minutes after local midnight */
	uint64_t mail_retry_ms;  /* --mail-retry: the first wait after a failed attempt */
};

/* The daily pass over the tasks' kept status and health (db_kept.h):
 * housekeeping runs it a batch at a time between requests. */
struct kept_pass {
	bool running;
	bool all;               /* every task, else those the date can move */
	char day[11];           /* the day judged on */
	char rules[200];        /* the rules it judges under (db_kept_rules) */
	int64_t after;          /* the last task judged */
	uint64_t started_ns;    /* uv_hrtime() when it started */
	uint64_t next_ms;       /* loop time of the next batch or look */
};

struct server {
	uv_loop_t *loop;            /* the one loop; not owned */
	uv_tcp_t listener;          /* accepting socket */
	uv_signal_t sigint, sigterm; /* graceful stop */
	uv_signal_t sighup;         /* reopen the log, re-read --config (reload) */
	/* main.c's: re-reads --config into the options that can change
	 * while serving, and applies them with server_reload. */
	void (*reload)(struct server *s);
	uv_timer_t housekeeping;    /* housekeeping.c's chores */
	uint64_t next_prune_ms;     /* loop time of housekeeping's next pruning */
	struct kept_pass kept;      /* housekeeping's daily judgement of the tasks */
	struct recovery recovery;   /* housekeeping's check after a write error */
	struct anchor_writer anchor; /* the audit chain's head, kept outside (anchor.h) */
	struct db *db;              /* owned; closed after the loop ends: the writer */
	struct db *reader;          /* owned; read-only connection for reads (group.h) */
	struct group group;         /* the writes of this loop turn, sharing one COMMIT */
	uv_check_t committer;       /* commits the group once the turn's I/O is done */
	struct conn *group_conns;   /* connections with replies waiting on the group */
	struct worker_pool workers; /* connections of the slow reads' jobs (worker.h) */
	struct checkpointer checkpointer; /* the WAL's checkpoints, off the loop */
	struct mailer *mailer;      /* owned: the outbox's sender and the daily digests (mailer.h) */
	struct ssl_ctx_st *tls;     /* owned: the TLS context, NULL when serving plaintext */
	struct server_options opt;  /* copied at init */
	struct frame_limits limits; /* per-connection decoder limits */
	size_t output_max;          /* disconnect a client with this much queued (server_start) */
	struct conn *conns;         /* every live connection */
	unsigned nconns;            /* connections being served */
	unsigned nevicted;          /* of which closing, evicted to admit others (conn.c) */
	size_t queued_total;        /* reply bytes queued on every open connection */
	/* Writer lending: a write whose cost grows with its input (import.run,
	 * EXCLUSIVE in dispatch.c) runs on the thread pool with the writer,
	 * the group committed first; meanwhile the loop serves reads, and a
	 * request that needs the writer waits, unread, on writer_waiters
	 * (server_writer_back hands it back).  Nothing on the loop touches
	 * s->db while writer_lent: housekeeping skips its chores, the
	 * checkpointer queues no job from the pool thread (checkpoint.h). */
	bool writer_lent;
	struct conn *writer_waiters; /* linked by conn->writer_next */
	uint64_t next_conn_id;      /* for the log */
	bool stopping;              /* a signal asked us to stop */
	int port;                   /* the bound port */
};

/* Called by conn.c: c's next request needs the writer, which is lent. */
void server_wait_writer(struct server *s, struct conn *c);
/* Lends the writer (conn.c, before queueing the job) and takes it back
 * (after it), resuming every connection that waited for it. */
void server_lend_writer(struct server *s);
void server_writer_back(struct server *s);

/* Called by conn.c. */
void server_conn_added(struct server *s, struct conn *c);
void server_conn_removed(struct server *s, struct conn *c);
/* c has a reply waiting on the open group: it hears from
 * server_group_flush (conn_group_done). */
void server_conn_waits(struct server *s, struct conn *c);

/* Commits the open group, if any, and hands every waiting connection its
 * replies, or the error that undid them.  The committer calls it once per
 * loop turn; the dispatcher and housekeeping call it when they cannot
 * wait. */
void server_group_flush(struct server *s);

#endif
