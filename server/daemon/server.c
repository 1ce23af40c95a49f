/*
 * server.c: the listener, the connection list, signals and the orderly
 * stop: stop accepting, answer what has arrived, close every connection
 * after its replies are written, then close the database.
 */
#include "server.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "audit.h"
#include "backup.h"
#include "bootstrap.h"
#include "conn.h"
#include "db.h"
#include "dispatch.h"
#include "housekeeping.h"
#include "mail_config.h"
#include "mailer.h"
#include "send.h"
#include "log.h"
#include "methods.h"
#include "notify.h"
#include "storage.h"
#include "tls.h"

void server_defaults(struct server_options *opt)
{
	memset(opt, 0, sizeof(*opt));
	opt->listen = "127.0.0.1:7878";
	opt->db_path = "var/dotpha.db";
	opt->max_message = FRAME_DEFAULT_MAX_MESSAGE;
	opt->max_message_unauth = SERVER_MAX_MESSAGE_UNAUTH;
	opt->max_unauth_per_address = 64;     /* an office's NAT signing in at once */
	opt->max_output_total = 256u << 20;   /* 32 clients' full backlogs at the defaults */
	opt->max_clients = 1024;
	opt->output_high = 1024 * 1024;
	opt->max_reply = DISPATCH_MAX_REPLY;
	opt->auth_timeout_ms = 15 * 1000;
	opt->idle_timeout_ms = 300 * 1000;
	opt->message_timeout_ms = 60 * 1000; /* 256 KiB at 64 kbit/s takes 33 s */
	opt->keep_requests_days = 30;        /* an office offline for weeks still retries safely */
	opt->anchor_every_ms = ANCHOR_EVERY_MS;
	opt->upload_quota = STORAGE_DEFAULT_UPLOAD_QUOTA;
	opt->min_free = STORAGE_DEFAULT_MIN_FREE;
	opt->digest_minute = 7 * 60 + 30;     /* 07:30, before the offices' first meeting */
	opt->mail_retry_ms = 60 * 1000;
}

/* The mail configuration the options ask for, set for the whole process
 * (mail_config.h); -1 when it cannot be had. */
static int setup_mail(const struct server_options *opt)
{
	struct mail_config mc;
	char why[600];

	if (mailer_config(opt, &mc, why, sizeof(why)) < 0) {
		log_error("mail: %s", why);
		return -1;
	}
	if (mc.via != MAIL_NONE && send_init() < 0) {
		log_error("mail: cannot initialise libcurl");
		return -1;
	}
	mail_config_set(&mc);
	if (mc.via == MAIL_NONE)
		log_info("mail: not configured (--mail-via): notices wait in the outbox");
	else
		log_info("mail: via %s%s, from %s; digests at %02d:%02d local time",
			 mc.via == MAIL_SMTP ? mc.url : mc.sendmail,
			 mc.via == MAIL_SMTP && !mc.tls ? " without TLS (a loopback relay)" : "",
			 mc.from, mc.digest_minute / 60, mc.digest_minute % 60);
	return 0;
}

static void warn_mode(void *arg, const char *line)
{
	(void)arg;
	log_warn("%s", line);
}

void server_conn_added(struct server *s, struct conn *c)
{
	c->next = s->conns;
	c->prev = NULL;
	if (s->conns)
		s->conns->prev = c;
	s->conns = c;
	s->nconns++;
}

void server_conn_waits(struct server *s, struct conn *c)
{
	if (c->in_group)
		return;
	c->in_group = true;
	c->group_next = s->group_conns;
	s->group_conns = c;
}

void server_group_flush(struct server *s)
{
	struct rpc_error err = {0};
	unsigned size = s->group.size;
	int rc = group_commit(&s->group, &err);
	struct conn *c = s->group_conns;

	if (rc != RPC_OK)
		log_error("database: the COMMIT of %u writes failed, each is answered so: %s", size,
			  err.message);
	s->group_conns = NULL;
	while (c) {
		struct conn *next = c->group_next;

		c->in_group = false;
		c->group_next = NULL;
		conn_group_done(c, rc == RPC_OK ? NULL : &err);
		c = next;
	}
}

void server_wait_writer(struct server *s, struct conn *c)
{
	struct conn **p = &s->writer_waiters;

	if (c->waiting_writer)
		return;
	while (*p) /* at the end: they are resumed in the order they came */
		p = &(*p)->writer_next;
	c->waiting_writer = true;
	c->writer_next = NULL;
	*p = c;
}

void server_lend_writer(struct server *s)
{
	server_group_flush(s); /* every write of the turn is durable first */
	s->writer_lent = true;
	s->checkpointer.on_pool = true;
}

void server_writer_back(struct server *s)
{
	struct conn *c = s->writer_waiters;

	s->writer_lent = false;
	s->checkpointer.on_pool = false;
	/* Each resumed in turn; one may lend the writer again, and the rest
	 * then wait anew, in the same order. */
	s->writer_waiters = NULL;
	while (c) {
		struct conn *next = c->writer_next;

		c->writer_next = NULL;
		c->waiting_writer = false;
		if (s->writer_lent)
			server_wait_writer(s, c);
		else
			conn_writer_back(c);
		c = next;
	}
}

static void on_check(uv_check_t *h)
{
	server_group_flush(h->data);
}

static void group_flush_hook(void *arg)
{
	server_group_flush(arg);
}

/* Stopping, with no connection left to write: the last group commits and
 * the committer closes, so the loop can end. */
static void close_committer(struct server *s)
{
	if (uv_is_closing((uv_handle_t *)&s->committer))
		return;
	server_group_flush(s);
	uv_close((uv_handle_t *)&s->committer, NULL);
}

void server_conn_removed(struct server *s, struct conn *c)
{
	if (c->in_group) { /* closed before its group committed: forget it */
		struct conn **p = &s->group_conns;

		while (*p && *p != c)
			p = &(*p)->group_next;
		if (*p)
			*p = c->group_next;
		c->in_group = false;
	}
	if (c->waiting_writer) {
		struct conn **p = &s->writer_waiters;

		while (*p && *p != c)
			p = &(*p)->writer_next;
		if (*p)
			*p = c->writer_next;
		c->waiting_writer = false;
	}
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	s->nconns--;
	if (s->stopping && s->nconns == 0)
		close_committer(s);
}

static void on_connection(uv_stream_t *listener, int status)
{
	struct server *s = listener->data;

	if (status < 0) {
		log_warn("accept: %s", uv_strerror(status));
		return;
	}
	if (conn_accept(s, listener) < 0)
		log_warn("accept failed");
}

static void on_signal(uv_signal_t *sig, int signum)
{
	struct server *s = sig->data;

	if (signum == SIGHUP) {
		/* The service manager waits for READY=1 again: `systemctl
		 * reload` returns once the new options are in force. */
		if (notify_reloading() < 0)
			log_warn("cannot tell the service manager (NOTIFY_SOCKET): %s",
				 strerror(errno));
		if (s->reload)
			s->reload(s); /* says it in the reopened log */
		notify_ready("serving; options re-read at SIGHUP");
		return;
	}
	log_info("received %s: stopping (finishing requests in flight)",
		 signum == SIGINT ? "SIGINT" : "SIGTERM");
	notify_stopping();
	server_stop(s);
}

/* Raises the soft limit on open descriptors to what --max-clients, the
 * admin's reserve and the daemon's own files need, as far as the hard
 * limit allows (systemd's advice: a program that needs more than the
 * default soft 1024 raises it itself), and warns when even the hard limit
 * is short: past it accept() fails, and connections wait in the kernel's
 * backlog however few are signed in. */
static void check_nofile(unsigned max_clients)
{
	/* The database, its WAL and -shm for the writer, the reader, the
	 * checkpointer and 4 worker threads; the listener, the loop's own,
	 * the log, and the excess being told too_many_clients. */
	const unsigned long long own = 64;
	const unsigned long long need = (unsigned long long)max_clients + SERVER_ADMIN_RESERVE + own;
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur == RLIM_INFINITY ||
	    (unsigned long long)rl.rlim_cur >= need)
		return;
	rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || (unsigned long long)rl.rlim_max >= need
			      ? (rlim_t)need
			      : rl.rlim_max;
	setrlimit(RLIMIT_NOFILE, &rl);
	if ((unsigned long long)rl.rlim_cur < need)
		log_warn("this process may open %llu descriptors, fewer than the %llu that "
			 "--max-clients %u needs (with the admin's %d and %llu for its own files): "
			 "raise the limit (LimitNOFILE= in dotphad.service, ulimit -Hn) or lower "
			 "--max-clients", (unsigned long long)rl.rlim_cur, need, max_clients,
			 SERVER_ADMIN_RESERVE, own);
}

/* Splits "host:port" or "[v6]:port". */
static int parse_listen(const char *spec, char *host, size_t hostlen, int *port)
{
	const char *colon;
	char *end;
	long p;

	if (spec[0] == '[') {
		const char *close = strchr(spec, ']');

		if (!close || close[1] != ':' || (size_t)(close - spec - 1) >= hostlen)
			return -1;
		memcpy(host, spec + 1, (size_t)(close - spec - 1));
		host[close - spec - 1] = '\0';
		colon = close + 1;
	} else {
		colon = strrchr(spec, ':');
		if (!colon || (size_t)(colon - spec) >= hostlen)
			return -1;
		memcpy(host, spec, (size_t)(colon - spec));
		host[colon - spec] = '\0';
	}
	p = strtol(colon + 1, &end, 10);
	if (*end || end == colon + 1 || p < 0 || p > 65535)
		return -1;
	*port = (int)p;
	return 0;
}

/* "HOST:PORT" into *addr (host and port too); -1 with why ("SPEC: ...")
 * when it is not one. */
static int listen_address(const char *spec, struct sockaddr_storage *addr, char *host,
			  size_t hostlen, int *port, char *why, size_t whylen)
{
	if (parse_listen(spec, host, hostlen, port) < 0) {
		snprintf(why, whylen, "%s: expected HOST:PORT, e.g. 127.0.0.1:7878", spec);
		return -1;
	}
	if (uv_ip4_addr(host, *port, (struct sockaddr_in *)addr) != 0 &&
	    uv_ip6_addr(host, *port, (struct sockaddr_in6 *)addr) != 0) {
		snprintf(why, whylen, "%s: '%s' is not an IPv4 or IPv6 address", spec, host);
		return -1;
	}
	return 0;
}

int server_check_listen(const char *spec, char *why, size_t whylen)
{
	struct sockaddr_storage addr;
	char host[64];
	int port;

	return listen_address(spec, &addr, host, sizeof(host), &port, why, whylen);
}

static bool is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return (ntohl(((const struct sockaddr_in *)ss)->sin_addr.s_addr) >> 24) == 127;
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;

		return IN6_IS_ADDR_LOOPBACK(a) || (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* TLS or plaintext, by the rule of server_start().  Returns 0 or -1. */
static int setup_transport(struct server *s, const struct server_options *opt,
			   const struct sockaddr_storage *addr)
{
	char why[400];

	if (!opt->tls_cert != !opt->tls_key) {
		log_error("--tls-cert and --tls-key go together: give both or neither");
		return -1;
	}
	if (opt->tls_client_ca && !opt->tls_cert) {
		log_error("--tls-client-ca needs TLS: give --tls-cert and --tls-key too");
		return -1;
	}
	if (opt->tls_cert) {
		if (!(s->tls = tls_server_ctx(opt->tls_cert, opt->tls_key, opt->tls_client_ca, why,
					      sizeof(why)))) {
			log_error("TLS: %s", why);
			return -1;
		}
		if (tls_cert_fingerprint(opt->tls_cert, why) == 0)
			log_info("TLS with %s; its SHA-256 fingerprint is %s", opt->tls_cert, why);
		if (opt->tls_client_ca)
			log_info("TLS: every client must show a certificate from %s",
				 opt->tls_client_ca);
		return 0;
	}
	if (is_loopback(addr))
		return 0;
	if (!opt->insecure_plaintext) {
		log_error("--listen %s is not a loopback address: serving it without TLS would send "
			  "tokens and task data in clear; give --tls-cert and --tls-key (`dotphad "
			  "gen-cert` makes a pair), or --insecure-plaintext if something else "
			  "encrypts the network", opt->listen);
		return -1;
	}
	log_warn("INSECURE: serving %s WITHOUT TLS (--insecure-plaintext): tokens and task data "
		 "cross the network in clear", opt->listen);
	return 0;
}

/* Closes what server_start opened, in reverse; with_workers once the
 * worker pool's lock exists. */
static void release(struct server *s, bool with_workers)
{
	if (with_workers)
		worker_pool_close(&s->workers); /* no job runs once the loop has ended */
	anchor_writer_close(&s->anchor, NULL); /* server_run took the last one */
	db_close(s->reader);
	checkpoint_close(&s->checkpointer);
	db_close(s->db);
	s->db = s->reader = NULL;
	tls_ctx_free(s->tls);
	s->tls = NULL;
}

int server_start(struct server *s, uv_loop_t *loop, const struct server_options *opt)
{
	struct sockaddr_storage addr;
	char host[64], errbuf[400] = "";
	const char *wrong;
	int port, rc, len = sizeof(addr);

	memset(s, 0, sizeof(*s));
	s->anchor.fd = -1;
	/* A peer that resets its connection turns our next write into EPIPE,
	 * and the kernel raises SIGPIPE with it, whose default ends the
	 * process: nothing a client does may stop the daemon, so the error is
	 * all we take (libuv does not ignore it for us). */
	signal(SIGPIPE, SIG_IGN);
	s->loop = loop;
	s->opt = *opt;
	s->limits.max_message = opt->max_message;
	/* A paused client's backlog plus the largest reply, with room for its
	 * envelope and small replies sent with it: one reply alone never gets
	 * a client disconnected. */
	s->output_max = opt->output_high + opt->max_reply + 64 * 1024;
	dispatch_set_max_reply(opt->max_reply);
	s->limits.max_depth = FRAME_DEFAULT_MAX_DEPTH;
	methods_index(); /* before the thread pool reads it */
	if ((wrong = audit_check_table())) {
		log_error("internal: the audit trail cannot record %s (methods.def)", wrong);
		return -1;
	}
	if (listen_address(opt->listen, &addr, host, sizeof(host), &port, errbuf, sizeof(errbuf)) < 0) {
		log_error("--listen %s", errbuf);
		return -1;
	}
	if (setup_transport(s, opt, &addr) < 0)
		return -1;
	{
		int to, from = db_file_peek_version(opt->db_path, &to);

		/* Said before it starts: a migration that rebuilds indexes runs
		 * for minutes on a national database, and nothing listens yet. */
		if (from > 0 && from < to) {
			log_info("database %s: upgrading its schema from version %d to %d before "
				 "listening; on a large database this takes minutes",
				 opt->db_path, from, to);
			/* systemd would give up on a start that takes minutes. */
			notify_send("EXTEND_TIMEOUT_USEC=3600000000\nSTATUS=upgrading the "
				    "database's schema before listening");
		}
	}
	/* A copy a crashed backup.create left is a whole database readable
	 * by whoever could read it: gone before anything else is served. */
	storage_remove_leftovers(opt->db_path);
	if (db_open(&s->db, opt->db_path, errbuf, sizeof(errbuf)) < 0) {
		log_error("database: %s", errbuf);
		release(s, false);
		return -1;
	}
	log_info("database %s (schema version %d)", opt->db_path, db_file_version(s->db));
	/* Files made by an older dotphad (or copied in) keep their mode, and
	 * SQLite gives the WAL the database's: said, not changed, since an
	 * admin may have widened them on purpose. */
	storage_check_modes(opt->db_path, warn_mode, NULL);
	storage_set_limits(opt->upload_quota, opt->min_free);
	if (bootstrap_admin(s->db, opt->db_path) < 0 ||
	    db_open_reader(&s->reader, opt->db_path, errbuf, sizeof(errbuf)) < 0) {
		if (!s->reader && errbuf[0])
			log_error("database: %s", errbuf);
		release(s, false);
		return -1;
	}
	if (anchor_writer_open(&s->anchor, opt->anchor_file, opt->db_path,
			       opt->anchor_every_ms) < 0) {
		release(s, false);
		return -1;
	}
	if (worker_pool_init(&s->workers, opt->db_path) < 0) {
		log_error("cannot make the worker pool's lock");
		release(s, false);
		return -1;
	}
	if (setup_mail(opt) < 0) {
		release(s, true);
		return -1;
	}
	checkpoint_init(&s->checkpointer, loop, s->db, opt->db_path);
	s->group.writer = s->db;
	s->group.reader = s->reader;
	s->group.flush = group_flush_hook;
	s->group.flush_arg = s;
	uv_tcp_init(loop, &s->listener);
	s->listener.data = s;
	if ((rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&addr, 0)) == 0)
		rc = uv_listen((uv_stream_t *)&s->listener, 511, on_connection);
	if (rc != 0) {
		log_error("cannot listen on %s: %s", opt->listen, uv_strerror(rc));
		uv_close((uv_handle_t *)&s->listener, NULL);
		uv_run(loop, UV_RUN_NOWAIT);
		release(s, true);
		return -1;
	}
	uv_check_init(loop, &s->committer);
	s->committer.data = s;
	uv_check_start(&s->committer, on_check);
	uv_tcp_getsockname(&s->listener, (struct sockaddr *)&addr, &len);
	s->port = ntohs(addr.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&addr)->sin6_port
						     : ((struct sockaddr_in *)&addr)->sin_port);
	uv_signal_init(loop, &s->sigint);
	uv_signal_init(loop, &s->sigterm);
	s->sigint.data = s->sigterm.data = s;
	uv_signal_start(&s->sigint, on_signal, SIGINT);
	uv_signal_start(&s->sigterm, on_signal, SIGTERM);
	uv_signal_init(loop, &s->sighup);
	s->sighup.data = s;
	uv_signal_start(&s->sighup, on_signal, SIGHUP);
	housekeeping_start(s);
	if (!(s->mailer = mailer_start(s, opt->mail_retry_ms)))
		log_error("mail: out of memory: no e-mail is sent until the next start");
	log_info("dotphad listening on %s:%d%s (max %u clients, messages up to %zu bytes)", host,
		 s->port, s->tls ? " with TLS" : "", opt->max_clients, opt->max_message);
	check_nofile(opt->max_clients);
	/* Last: whoever waits for the port file finds the log line there too. */
	if (opt->port_file) {
		FILE *f = fopen(opt->port_file, "w");

		if (f) {
			fprintf(f, "%d\n", s->port);
			fclose(f);
		}
	}
	{
		char status[200];

		snprintf(status, sizeof(status), "listening on %s:%d%s", host, s->port,
			 s->tls ? " with TLS" : "");
		if (notify_ready(status) < 0) /* Type=notify: `systemctl start` waits for it */
			log_warn("cannot tell the service manager that dotphad is ready "
				 "(NOTIFY_SOCKET %s): %s", getenv("NOTIFY_SOCKET"), strerror(errno));
	}
	return 0;
}

void server_reload(struct server *s, const struct server_options *opt)
{
	struct server_options *o = &s->opt;

	o->auth_timeout_ms = opt->auth_timeout_ms;
	o->idle_timeout_ms = opt->idle_timeout_ms;
	o->message_timeout_ms = opt->message_timeout_ms;
	o->max_clients = opt->max_clients;
	o->max_unauth_per_address = opt->max_unauth_per_address;
	o->max_output_total = opt->max_output_total;
	o->keep_requests_days = opt->keep_requests_days;
	o->upload_quota = opt->upload_quota;
	o->min_free = opt->min_free;
	storage_set_limits(o->upload_quota, o->min_free);
	check_nofile(o->max_clients);
	for (struct conn *c = s->conns; c; c = c->next)
		conn_arm(c); /* the deadlines may have moved */
	log_info("options now: max-clients %u, max-unauth-per-address %u, max-output-total %zu, "
		 "auth-timeout %.1f s, idle-timeout %.1f s, message-timeout %.1f s, "
		 "keep-requests %u days, upload-quota %llu bytes, min-free %llu bytes",
		 o->max_clients, o->max_unauth_per_address,
		 o->max_output_total, (double)o->auth_timeout_ms / 1000,
		 (double)o->idle_timeout_ms / 1000, (double)o->message_timeout_ms / 1000,
		 o->keep_requests_days, (unsigned long long)o->upload_quota,
		 (unsigned long long)o->min_free);
}

void server_stop(struct server *s)
{
	if (s->stopping)
		return;
	s->stopping = true;
	uv_close((uv_handle_t *)&s->listener, NULL);
	uv_close((uv_handle_t *)&s->sigint, NULL);
	uv_close((uv_handle_t *)&s->sigterm, NULL);
	uv_close((uv_handle_t *)&s->sighup, NULL);
	housekeeping_stop(s);
	mailer_stop(s->mailer);
	for (struct conn *c = s->conns; c; c = c->next)
		conn_stop(c);
	if (s->nconns == 0)
		close_committer(s);
}

int server_run(struct server *s)
{
	const struct dispatch_stats *st = dispatch_stats();

	uv_run(s->loop, UV_RUN_DEFAULT);
	backup_drop_all();
	mailer_free(s->mailer);
	s->mailer = NULL;
	if (mail_configured())
		send_cleanup();
	/* Every write is committed and no job runs: the head at stop. */
	if (!s->writer_lent)
		anchor_writer_close(&s->anchor, s->db);
	release(s, true);
	log_info("stopped after %llu requests (%llu answered with an error, %llu retries answered with their stored result)",
		 (unsigned long long)st->requests, (unsigned long long)st->errors,
		 (unsigned long long)st->replays);
	log_info("group commit: %llu writes in %llu transactions; checkpoints: %llu off the "
		 "loop, %llu on it", (unsigned long long)s->group.writes,
		 (unsigned long long)s->group.commits, (unsigned long long)s->checkpointer.runs,
		 (unsigned long long)s->checkpointer.catch_ups);
	return 0;
}
