/*
 * conn.c: reading requests from one client, answering them, and closing
 * without losing the last reply or leaking anything.
 *
 * Ownership: a conn is allocated in conn_accept() and freed only in the
 * close callback of its last handle.  Each reply batch is one write_req
 * that owns its buffer until on_write, whatever the status.
 */
#include "conn.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "daemon.h"
#include "dispatch.h"
#include "log.h"
#include "message.h"
#include "tls.h"
#include "worker.h"

struct write_req {
	uv_write_t req;   /* req.data -> the conn */
	uv_buf_t buf;     /* owned: malloc'ed by the sbuffer, freed in on_write */
};

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf);

/* One of the conn's handles closed, or its job ended: the last frees it. */
static void unref(struct conn *c)
{
	if (--c->open_handles > 0)
		return;
	if (c->evicted)
		c->server->nevicted--;
	server_conn_removed(c->server, c);
	if (c->holding)
		msgpack_sbuffer_destroy(&c->held);
	msgpack_sbuffer_destroy(&c->out);
	free(c->waiting);
	msgpack_sbuffer_destroy(&c->pending);
	if (c->tls) {
		tls_conn_free(c->tls);
		free(c->tls);
	}
	frame_free(&c->frame);
	free(c);
}

static void on_handle_closed(uv_handle_t *h)
{
	struct conn *c = h->data;

	assert(c->state == CONN_CLOSING);
	unref(c);
}

void conn_close(struct conn *c)
{
	if (c->state == CONN_CLOSING)
		return;
	c->state = CONN_CLOSING;
	c->server->queued_total -= c->queued; /* on_write no longer counts them */
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
	uv_close((uv_handle_t *)&c->timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->deadline, on_handle_closed);
}

static void on_linger_timeout(uv_timer_t *t)
{
	conn_close(t->data);
}

static void on_discard_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = stream->data;

	(void)buf;
	if (nread < 0)
		conn_close(c);
	/* else: input after our last reply is dropped; frame_space reuses the
	 * same buffer, which frame_commit never grows. */
}

static void on_discard_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	static char sink[4096]; /* nobody reads it: one shared sink is enough */

	(void)h;
	(void)suggested;
	buf->base = sink;
	buf->len = sizeof(sink);
}

static void on_shutdown(uv_shutdown_t *req, int status)
{
	struct conn *c = req->data;

	if (c->state == CONN_CLOSING)
		return;
	if (status < 0) {
		conn_close(c);
		return;
	}
	/* Our FIN is sent.  Reading until the peer's EOF (or the deadline)
	 * keeps the kernel from answering its late bytes with a reset that
	 * could destroy our last reply before the peer reads it. */
	c->state = CONN_LINGER;
	uv_timer_start(&c->timer, on_linger_timeout, CONN_LINGER_MS, 0);
	if (uv_read_start((uv_stream_t *)&c->tcp, on_discard_alloc, on_discard_read) != 0)
		conn_close(c);
}

static void flush_tls(struct conn *c);

/* In CONN_DRAINING with nothing left to write (nor waiting on the group,
 * nor a job running): say goodbye (over TLS, close_notify first, then the
 * FIN once it is written). */
static void maybe_shutdown(struct conn *c)
{
	if (c->state != CONN_DRAINING || c->writes > 0 || c->nwaiting > 0 || c->working)
		return;
	if (c->tls && c->tls->ready && !c->tls->notified) {
		tls_conn_notify(c->tls);
		flush_tls(c);
		if (c->writes > 0 || c->state != CONN_DRAINING)
			return; /* on_write comes back here */
	}
	c->shutdown.data = c;
	if (uv_shutdown(&c->shutdown, (uv_stream_t *)&c->tcp, on_shutdown) != 0)
		conn_close(c);
	else
		c->state = CONN_LINGER; /* until on_shutdown */
}

static void stop_reading(struct conn *c)
{
	if (c->reading) {
		uv_read_stop((uv_stream_t *)&c->tcp);
		c->reading = false;
	}
}

static void send_buffer(struct conn *c, msgpack_sbuffer *sb);

/* What a deadline is for, for the log and the error; each error has a
 * template of its own (a client words it, PROTOCOL.md 2). */
static const char IDLE[] = "nothing was sent or read";
static const char NO_SIGN_IN[] = "the connection did not sign in";
static const char SLOW_MESSAGE[] = "a message did not arrive whole";
static const char SLOW_HANDSHAKE[] = "the TLS handshake did not complete";

/* The nearest of the deadlines that apply now, in loop time, and what it
 * is for (one of the above). */
static uint64_t next_deadline(const struct conn *c, const char **what, uint64_t *limit)
{
	const struct server_options *o = &c->server->opt;
	uint64_t at = c->active_ms + o->idle_timeout_ms;

	*what = IDLE;
	*limit = o->idle_timeout_ms;
	if (c->who.account_id == 0 && c->opened_ms + o->auth_timeout_ms < at) {
		at = c->opened_ms + o->auth_timeout_ms;
		*what = NO_SIGN_IN;
		*limit = o->auth_timeout_ms;
	}
	if (frame_pending(&c->frame) > 0 && c->message_ms + o->message_timeout_ms < at) {
		at = c->message_ms + o->message_timeout_ms;
		*what = SLOW_MESSAGE;
		*limit = o->message_timeout_ms;
	}
	if (c->tls && !c->tls->ready && c->opened_ms + o->message_timeout_ms < at) {
		at = c->opened_ms + o->message_timeout_ms;
		*what = SLOW_HANDSHAKE;
		*limit = o->message_timeout_ms;
	}
	return at;
}

static void on_deadline(uv_timer_t *t)
{
	struct conn *c = t->data;
	struct rpc_error err;
	msgpack_sbuffer out;
	const char *what;
	uint64_t limit, now = uv_now(c->server->loop);

	if (c->state != CONN_OPEN || c->holding)
		return;
	if (next_deadline(c, &what, &limit) > now) {
		conn_arm(c); /* activity moved it since the timer was set */
		return;
	}
	log_info("conn %llu %s: timeout: %s within %llu ms; closing", (unsigned long long)c->id,
		 c->peer, what, (unsigned long long)limit);
	if (c->tls && !c->tls->ready) {
		conn_finish(c); /* no channel to say it on */
		return;
	}
	if (what == NO_SIGN_IN)
		errors_set(&err, RPC_TIMEOUT,
			   "the connection did not sign in within %.1f s; closing the connection",
			   (double)limit / 1000);
	else if (what == SLOW_MESSAGE)
		errors_set(&err, RPC_TIMEOUT,
			   "a message did not arrive whole within %.1f s; closing the connection",
			   (double)limit / 1000);
	else
		errors_set(&err, RPC_TIMEOUT,
			   "nothing was sent or read within %.1f s; closing the connection",
			   (double)limit / 1000);
	msgpack_sbuffer_init(&out);
	dispatch_stream_error(0, &err, &out);
	send_buffer(c, &out);
	msgpack_sbuffer_destroy(&out);
	conn_finish(c);
}

void conn_arm(struct conn *c)
{
	const char *what;
	uint64_t limit, at, now;

	if (c->state != CONN_OPEN || c->holding || c->working) {
		uv_timer_stop(&c->deadline);
		return;
	}
	now = uv_now(c->server->loop);
	at = next_deadline(c, &what, &limit);
	uv_timer_start(&c->deadline, on_deadline, at > now ? at - now : 0, 0);
}

static void on_grace_timeout(uv_timer_t *t)
{
	conn_finish(t->data);
}

static void on_hold_timeout(uv_timer_t *t);

void conn_stop(struct conn *c)
{
	if (c->state != CONN_OPEN)
		return;
	/* A held reply (a failed sign-in, held up to AUTH_DELAY_MAX_MS) goes
	 * out now rather than keep the stop waiting; its timer then finishes
	 * the connection. */
	uv_timer_start(&c->timer, c->holding ? on_hold_timeout : on_grace_timeout, CONN_GRACE_MS, 0);
}

void conn_finish(struct conn *c)
{
	if (c->state != CONN_OPEN)
		return;
	stop_reading(c);
	uv_timer_stop(&c->deadline);
	c->state = CONN_DRAINING;
	maybe_shutdown(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;
	char *p;
	size_t n;

	(void)suggested;
	if (c->tls) {
		/* Ciphertext goes straight into the connection's SSL in on_read,
		 * so one buffer serves every connection. */
		static char cipher[64 * 1024];

		buf->base = cipher;
		buf->len = sizeof(cipher);
		return;
	}
	frame_space(&c->frame, &p, &n);
	buf->base = p;
	buf->len = n;
}

static void start_reading(struct conn *c)
{
	/* Not while a reply is held or a job runs: the next request's reply
	 * would overtake it. */
	if (c->reading || c->state != CONN_OPEN || c->holding || c->working || c->paused ||
	    c->waiting_writer)
		return;
	if (uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) == 0)
		c->reading = true;
	else
		conn_close(c);
}

static void process(struct conn *c);

static void on_write(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	struct conn *c = req->data;

	c->queued -= w->buf.len;
	c->writes--;
	c->active_ms = uv_now(c->server->loop); /* a slow reader is not idle */
	free(w->buf.base);
	if (c->state == CONN_CLOSING) {
		free(w);
		return; /* UV_ECANCELED during close */
	}
	c->server->queued_total -= w->buf.len;
	free(w);
	if (status < 0) {
		log_debug("conn %llu %s: write failed: %s", (unsigned long long)c->id, c->peer,
			  uv_strerror(status));
		conn_close(c);
		return;
	}
	if (c->state == CONN_DRAINING) {
		maybe_shutdown(c);
		return;
	}
	/* Resume a client we paused once its backlog has mostly drained:
	 * first the requests it had already sent, then reading. */
	if (c->state == CONN_OPEN && c->paused && c->queued <= c->server->opt.output_high / 4) {
		c->paused = false;
		start_reading(c);
		process(c);
		conn_arm(c);
	}
}

/* Backpressure: neither read nor answer more until on_write finds the
 * backlog under a quarter of output_high. */
static void pause_conn(struct conn *c)
{
	stop_reading(c);
	c->paused = true;
}

/* The replies queued on all connections together passed
 * --max-output-total: the connections that read slowest (the most bytes
 * waiting for them) are closed first, until the total is back under it.
 * Each one's backlog stops counting at once (conn_close). */
static void shed_output(struct server *s)
{
	while (s->queued_total > s->opt.max_output_total) {
		struct conn *worst = NULL;

		for (struct conn *c = s->conns; c; c = c->next)
			if (c->state != CONN_CLOSING && c->queued > 0 &&
			    (!worst || c->queued > worst->queued))
				worst = c;
		if (!worst)
			return;
		log_warn("conn %llu %s: %zu bytes queued and not read while all clients together "
			 "have %zu queued, over --max-output-total %zu; disconnecting the slowest reader",
			 (unsigned long long)worst->id, worst->peer, worst->queued, s->queued_total,
			 s->opt.max_output_total);
		conn_close(worst);
	}
}

/* Queues len bytes at base (malloc'ed; taken, whatever happens) for
 * writing to the socket. */
static void queue_bytes(struct conn *c, char *base, size_t len)
{
	struct write_req *w;
	uv_buf_t buf;
	int rc;

	if (len == 0 || c->state == CONN_CLOSING || c->state == CONN_LINGER) {
		free(base);
		return;
	}
	w = malloc(sizeof(*w));
	if (!w) {
		free(base);
		conn_close(c);
		return;
	}
	w->buf.len = len;
	w->buf.base = base;
	w->req.data = c;
	buf = w->buf; /* libuv copies the uv_buf_t array; the bytes stay w's */
	rc = uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_write);
	if (rc < 0) {
		free(w->buf.base);
		free(w);
		conn_close(c);
		return;
	}
	c->writes++;
	c->queued += w->buf.len;
	c->server->queued_total += w->buf.len;
	if (c->queued > c->server->output_max) {
		log_warn("conn %llu %s: %zu bytes queued and not read; disconnecting",
			 (unsigned long long)c->id, c->peer, c->queued);
		conn_close(c);
	} else if (c->queued > c->server->opt.output_high) {
		pause_conn(c); /* backpressure: on_write resumes */
	}
	if (c->server->queued_total > c->server->opt.max_output_total)
		shed_output(c->server);
}

/* Sends the ciphertext OpenSSL has produced (handshake, records, alerts). */
static void flush_tls(struct conn *c)
{
	char *out;
	size_t n = tls_conn_output(c->tls, &out);

	queue_bytes(c, out, n);
}

/* Queues the reply bytes in *sb for writing and leaves *sb empty (c->out
 * is used again): as they are (taking its buffer), or encrypted, or kept
 * in `pending` until the handshake completes. */
static void send_buffer(struct conn *c, msgpack_sbuffer *sb)
{
	int rc = 0;

	if (sb->size == 0 || c->state == CONN_CLOSING || c->state == CONN_LINGER)
		return;
	if (!c->tls) {
		size_t n = sb->size;

		queue_bytes(c, msgpack_sbuffer_release(sb), n);
		return;
	}
	if (!c->tls->ready)
		rc = msgpack_sbuffer_write(&c->pending, sb->data, sb->size);
	else if ((rc = tls_conn_write(c->tls, sb->data, sb->size)) < 0)
		log_warn("conn %llu %s: cannot encrypt a reply; closing", (unsigned long long)c->id,
			 c->peer);
	sb->size = 0; /* copied: the buffer stays sb's for the next replies */
	if (rc != 0) {
		conn_close(c);
		return;
	}
	if (c->tls->ready)
		flush_tls(c);
}

/* The held reply's time has come: send it, then carry on with what the
 * client sent meanwhile. */
static void on_hold_timeout(uv_timer_t *t)
{
	struct conn *c = t->data;

	c->holding = false;
	send_buffer(c, &c->held);
	msgpack_sbuffer_destroy(&c->held);
	if (c->state != CONN_OPEN)
		return;
	if (c->server->stopping) {
		conn_finish(c);
		return;
	}
	start_reading(c);
	process(c);
	conn_arm(c);
}

/* Notes that the reply just appended to c->out at turn->start waits on the
 * group.  Returns false when out of memory (the connection is closed). */
static bool note_waiting(struct conn *c, const struct dispatch_turn *turn)
{
	if (c->nwaiting == c->waiting_cap) {
		unsigned cap = c->waiting_cap ? c->waiting_cap * 2 : 8;
		struct waiting_reply *w = realloc(c->waiting, cap * sizeof(*w));

		if (!w) {
			conn_close(c);
			return false;
		}
		c->waiting = w;
		c->waiting_cap = cap;
	}
	c->waiting[c->nwaiting].start = turn->start;
	c->waiting[c->nwaiting].len = c->out.size - turn->start;
	c->waiting[c->nwaiting].msgid = turn->msgid;
	c->nwaiting++;
	server_conn_waits(c->server, c);
	return true;
}

/* The group failed: each waiting reply in c->out becomes err. */
static void fail_waiting(struct conn *c, const struct rpc_error *err)
{
	msgpack_sbuffer fixed;
	size_t at = 0;

	msgpack_sbuffer_init(&fixed);
	for (unsigned i = 0; i < c->nwaiting; i++) {
		const struct waiting_reply *w = &c->waiting[i];

		if (w->start > at)
			msgpack_sbuffer_write(&fixed, c->out.data + at, w->start - at);
		dispatch_stream_error(w->msgid, err, &fixed);
		at = w->start + w->len;
	}
	if (c->out.size > at)
		msgpack_sbuffer_write(&fixed, c->out.data + at, c->out.size - at);
	msgpack_sbuffer_destroy(&c->out);
	c->out = fixed;
}

void conn_group_done(struct conn *c, const struct rpc_error *err)
{
	if (err && c->nwaiting > 0)
		fail_waiting(c, err);
	c->nwaiting = 0;
	send_buffer(c, &c->out);
	maybe_shutdown(c);
}

/* ---- slow reads on the thread pool (worker.h) ---- */

struct job {
	uv_work_t req;            /* must be first; req.data -> the conn */
	bool exclusive;           /* runs with the writer lent to it (server.h), not a
				   * worker's read-only connection */
	msgpack_sbuffer request;  /* owned: the request packed again (the frame's buffer is reused) */
	msgpack_sbuffer reply;    /* owned: the reply, made on the pool thread */
	struct identity who;      /* the caller, refreshed by the job */
};

static void job_free(struct job *j)
{
	msgpack_sbuffer_destroy(&j->request);
	msgpack_sbuffer_destroy(&j->reply);
	free(j);
}

/* On a pool thread: touches nothing of the conn but the pool's lock. */
static void on_job(uv_work_t *req)
{
	struct job *j = (struct job *)req;
	struct conn *c = req->data;
	struct worker_pool *pool = &c->server->workers;
	struct rpc_error err = {0};
	struct message m;
	msgpack_unpacked u;
	unsigned delay_ms;
	char why[300];
	struct db *db;

	msgpack_unpacked_init(&u);
	if (msgpack_unpack_next(&u, j->request.data, j->request.size, NULL) !=
	    MSGPACK_UNPACK_SUCCESS) {
		errors_set(&err, RPC_INTERNAL, "the request could not be handed to a worker");
		dispatch_stream_error(0, &err, &j->reply);
	} else if (j->exclusive) {
		/* The loop touches the writer no more until on_job_done. */
		dispatch_message(c->server->db, &j->who, &u.data, &j->reply, &delay_ms);
	} else if (!(db = worker_db_take(pool, why, sizeof(why)))) {
		message_parse(&u.data, &m, &err);
		errors_set(&err, RPC_BUSY, "the server cannot read now (%s); try again shortly", why);
		dispatch_stream_error(m.msgid, &err, &j->reply);
	} else {
		dispatch_message(db, &j->who, &u.data, &j->reply, &delay_ms);
		worker_db_give(pool, db);
	}
	msgpack_unpacked_destroy(&u);
}

/* Back on the loop: answer, then read on. */
static void on_job_done(uv_work_t *req, int status)
{
	struct job *j = (struct job *)req;
	struct conn *c = req->data;

	c->working = false;
	if (j->exclusive)
		server_writer_back(c->server); /* before this conn reads on: order kept */
	if (status == 0 && c->state != CONN_CLOSING) {
		c->who = j->who;
		if (j->reply.size > 0)
			msgpack_sbuffer_write(&c->out, j->reply.data, j->reply.size);
		send_buffer(c, &c->out);
	}
	job_free(j);
	if (c->state == CONN_OPEN) {
		start_reading(c);
		process(c);
		conn_arm(c);
	} else {
		maybe_shutdown(c);
	}
	unref(c);
}

/* Hands msg to the thread pool, with the writer lent to it when
 * exclusive; the conn reads nothing more until on_job_done.  -1 when it
 * cannot (then it runs on the loop). */
static int submit_job(struct conn *c, const msgpack_object *msg, bool exclusive)
{
	struct job *j = calloc(1, sizeof(*j));
	msgpack_packer pk;

	if (!j)
		return -1;
	msgpack_packer_init(&pk, &j->request, msgpack_sbuffer_write);
	j->who = c->who;
	j->req.data = c;
	j->exclusive = exclusive;
	if (msgpack_pack_object(&pk, *msg) != 0) {
		job_free(j);
		return -1;
	}
	if (exclusive)
		server_lend_writer(c->server);
	if (uv_queue_work(c->server->loop, &j->req, on_job, on_job_done) != 0) {
		if (exclusive)
			server_writer_back(c->server);
		job_free(j);
		return -1;
	}
	c->working = true;
	c->open_handles++; /* the conn outlives its job: unref in on_job_done */
	stop_reading(c);
	return 0;
}

/* After each request: a connection that has signed in may send messages
 * up to --max-message, one that has not (or no longer) only small ones;
 * a connection taken past --max-clients from the admin's reserve that
 * signed in as anyone else is answered too_many_clients and closed (the
 * reserve stays the admin's).  Returns false when the connection must
 * close after its replies. */
static bool after_sign_in(struct conn *c)
{
	const struct server_options *o = &c->server->opt;
	bool in = c->who.account_id != 0;

	if (in != c->big_frame) {
		frame_set_max_message(&c->frame, in ? o->max_message : o->max_message_unauth);
		c->big_frame = in;
	}
	if (in && c->who.reserve && c->who.role != ROLE_ADMIN) {
		struct rpc_error err;

		log_warn("conn %llu %s: %s signed in on a connection kept for an admin; closing",
			 (unsigned long long)c->id, c->peer, c->who.login);
		errors_set(&err, RPC_TOO_MANY_CLIENTS,
			   "the server is serving its maximum of %u clients; the connections it "
			   "keeps in reserve are for an admin; try again shortly", o->max_clients);
		dispatch_stream_error(0, &err, &c->out);
		return false;
	}
	return true;
}

/* Answers every complete message buffered: the replies go out together,
 * now or, when a write waits on the group, once it commits. */
static void process(struct conn *c)
{
	int outcome = DISPATCH_REPLIED;

	/* One request at a time: not while one runs on the pool, waits for
	 * the writer, or has its reply held (each resumes here after). */
	if (c->working || c->waiting_writer || c->holding)
		return;
	for (;;) {
		const msgpack_object *msg;
		struct rpc_error err;
		struct dispatch_turn turn = {.waiting = c->nwaiting, .may_offload = true,
					     .writer_lent = c->server->writer_lent};
		int rc;

		/* A client that pipelines and never reads: the requests it
		 * already sent wait in the frame, unanswered, until its
		 * backlog drains (on_write), so what it is owed stays near
		 * output_high instead of growing with every request. */
		if (c->queued + c->out.size > c->server->opt.output_high) {
			pause_conn(c);
			break;
		}
		rc = frame_next(&c->frame, &msg, &err);

		if (rc == FRAME_NEED_MORE)
			break;
		if (rc == FRAME_ERROR) {
			log_warn("conn %llu %s: %s: %s; closing", (unsigned long long)c->id, c->peer,
				 errors_name(err.code), err.message);
			dispatch_stream_error(frame_error_msgid(&c->frame), &err, &c->out);
			outcome = DISPATCH_CLOSE;
			break;
		}
		outcome = dispatch_grouped(&c->server->group, &c->who, msg, &c->out, &turn);
		if (outcome == DISPATCH_SLOW || outcome == DISPATCH_EXCLUSIVE) {
			bool exclusive = outcome == DISPATCH_EXCLUSIVE;

			/* Its own writes first (it must see them), and the
			 * replies before it go out now, in order. */
			if (c->nwaiting > 0)
				server_group_flush(c->server);
			send_buffer(c, &c->out);
			if (submit_job(c, msg, exclusive) == 0) {
				/* The job has its own copy: the decoded form
				 * (many times the bytes) need not wait with it. */
				frame_release_message(&c->frame);
				return;
			}
			turn.may_offload = false; /* no job: it runs here */
			turn.writer_lent = c->server->writer_lent;
			turn.waiting = c->nwaiting;
			outcome = dispatch_grouped(&c->server->group, &c->who, msg, &c->out, &turn);
		}
		if (outcome == DISPATCH_WAIT) {
			/* Asked again once the writer is back (conn_writer_back). */
			frame_unget(&c->frame);
			stop_reading(c);
			server_wait_writer(c->server, c);
			outcome = DISPATCH_REPLIED;
			break;
		}
		if (turn.pending && !note_waiting(c, &turn))
			return;
		if (outcome != DISPATCH_CLOSE && !after_sign_in(c)) {
			outcome = DISPATCH_CLOSE; /* logged by after_sign_in */
			break;
		}
		if (outcome == DISPATCH_CLOSE) {
			log_warn("conn %llu %s: malformed request; closing", (unsigned long long)c->id,
				 c->peer);
			break;
		}
		if (turn.delay_ms > 0) {
			/* Hold this reply (and what came before it in this batch:
			 * replies keep their order) until the timer fires.  Only
			 * session.auth is held, and it committed the group first. */
			assert(c->nwaiting == 0);
			stop_reading(c);
			c->held = c->out;
			msgpack_sbuffer_init(&c->out);
			c->holding = true;
			uv_timer_start(&c->timer, on_hold_timeout, turn.delay_ms, 0);
			return;
		}
	}
	if (c->nwaiting == 0)
		send_buffer(c, &c->out);
	if (outcome == DISPATCH_CLOSE)
		conn_finish(c);
}

void conn_writer_back(struct conn *c)
{
	if (c->state != CONN_OPEN)
		return;
	start_reading(c);
	process(c);
	conn_arm(c);
}

/* The peer closed (UV_EOF, or close_notify over TLS) or the read failed. */
static void on_read_end(struct conn *c, ssize_t nread)
{
	if (nread != UV_EOF)
		log_debug("conn %llu %s: read: %s", (unsigned long long)c->id, c->peer,
			  uv_strerror((int)nread));
	if (nread == UV_EOF && frame_pending(&c->frame) == 0 && !c->holding) {
		conn_finish(c); /* a half-close: still send what is queued */
	} else {
		if (nread == UV_EOF)
			log_debug("conn %llu %s: gone mid-message (%zu bytes)",
				  (unsigned long long)c->id, c->peer, frame_pending(&c->frame));
		conn_close(c);
	}
}

/* A peer that is not speaking TLS gets a plaintext error it can read (a
 * dotpha, or any MessagePack-RPC client), then the connection closes. */
static void refuse_plaintext(struct conn *c)
{
	msgpack_sbuffer out;
	struct rpc_error err;
	char *alert;
	size_t n;

	tls_conn_output(c->tls, &alert); /* OpenSSL's alert would garble it */
	free(alert);
	errors_set(&err, RPC_PROTOCOL_ERROR,
		   "this server accepts TLS connections only; connect with TLS (dotpha: pin the "
		   "server's certificate with `dotpha login`, or give --ca FILE)");
	msgpack_sbuffer_init(&out);
	dispatch_stream_error(0, &err, &out);
	n = out.size;
	queue_bytes(c, msgpack_sbuffer_release(&out), n);
	msgpack_sbuffer_destroy(&out);
}

/* Ciphertext arrived: advance the handshake, then move the plaintext into
 * the frame.  The read BIO holds at most what this read brought (64 KiB)
 * plus a partial record, so the frame grows by no more than that between
 * two process() calls, which enforce --max-message on decrypted bytes. */
static void on_read_tls(struct conn *c, const char *p, size_t n)
{
	char plain[16 * 1024], msg[200];
	bool was_ready = c->tls->ready;
	long got;

	if (tls_conn_input(c->tls, p, n, msg, sizeof(msg)) != TLS_OK) {
		if (c->tls->first != TLS_RECORD_HANDSHAKE) {
			log_warn("conn %llu %s: not a TLS client (%s); closing",
				 (unsigned long long)c->id, c->peer, msg);
			refuse_plaintext(c);
		} else {
			log_warn("conn %llu %s: %s; closing", (unsigned long long)c->id, c->peer, msg);
			flush_tls(c); /* OpenSSL's alert tells a TLS peer why */
		}
		conn_finish(c);
		return;
	}
	flush_tls(c);
	if (!c->tls->ready || c->state != CONN_OPEN)
		return;
	if (!was_ready) {
		char how[120];

		tls_conn_describe(c->tls, how, sizeof(how));
		log_debug("conn %llu %s: TLS handshake done (%s)", (unsigned long long)c->id, c->peer,
			  how);
		send_buffer(c, &c->pending);
		msgpack_sbuffer_destroy(&c->pending);
		msgpack_sbuffer_init(&c->pending);
		if (c->finish_on_ready) {
			conn_finish(c);
			return;
		}
	}
	while ((got = tls_conn_read(c->tls, plain, sizeof(plain), msg, sizeof(msg))) > 0) {
		if (frame_feed(&c->frame, plain, (size_t)got) < 0) {
			conn_close(c);
			return;
		}
	}
	if (got == TLS_FAILED) {
		log_warn("conn %llu %s: %s; closing", (unsigned long long)c->id, c->peer, msg);
		conn_close(c);
		return;
	}
	process(c);
	if (got == TLS_CLOSED && c->state == CONN_OPEN)
		on_read_end(c, UV_EOF);
}

static void on_read(uv_stream_t *stream, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = stream->data;

	if (nread == 0)
		return; /* EAGAIN: not EOF */
	if (nread < 0) {
		on_read_end(c, nread);
		return;
	}
	c->active_ms = uv_now(c->server->loop);
	if (frame_pending(&c->frame) == 0)
		c->message_ms = c->active_ms; /* these bytes begin a message */
	if (c->tls)
		on_read_tls(c, buf->base, (size_t)nread);
	else {
		frame_commit(&c->frame, (size_t)nread);
		process(c);
	}
	conn_arm(c);
}

/* Fills out with "ip:port" and address with the ip alone. */
static void peer_name(uv_tcp_t *tcp, char *out, size_t n, char *address, size_t alen)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss);
	char host[48] = "?";
	int port = 0;

	if (uv_tcp_getpeername(tcp, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET6) {
			uv_ip6_name((struct sockaddr_in6 *)&ss, host, sizeof(host));
			port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
		} else {
			uv_ip4_name((struct sockaddr_in *)&ss, host, sizeof(host));
			port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
		}
	}
	snprintf(out, n, "%s:%d", host, port);
	snprintf(address, alen, "%s", host);
}

/* A flood of refused or evicted connections must not flood the log: one
 * line per kind at most every LOG_BURST_MS, with the count since the last
 * (carried into the next line when the flood stops; each one is at debug
 * level too). */
#define LOG_BURST_MS 10000

struct log_burst {
	uint64_t last_ms;     /* loop time of the last line, 0 before the first */
	unsigned long count;  /* events since then */
};

static void log_burst(struct server *s, struct log_burst *b, const char *what)
{
	uint64_t now = uv_now(s->loop);

	b->count++;
	if (b->last_ms && now - b->last_ms < LOG_BURST_MS)
		return;
	log_warn("%lu %s%s", b->count, what,
		 b->last_ms ? " since the last such line" : "");
	b->count = 0;
	b->last_ms = now;
}

static struct log_burst evictions, refusals_address, refusals_full;

/* Answers err and closes, over TLS once the handshake lets it be said
 * (the handshake runs under the usual deadlines). */
static void refuse(struct conn *c, const struct rpc_error *err)
{
	msgpack_sbuffer out;

	msgpack_sbuffer_init(&out);
	dispatch_stream_error(0, err, &out);
	send_buffer(c, &out);
	msgpack_sbuffer_destroy(&out);
	if (!c->tls || c->tls->ready) {
		conn_finish(c);
		return;
	}
	c->finish_on_ready = true;
	start_reading(c);
	conn_arm(c);
}

/* Open connections from c's address, c aside, that have not signed in. */
static unsigned unauth_from(const struct server *s, const struct conn *c)
{
	unsigned n = 0;

	for (const struct conn *o = s->conns; o; o = o->next)
		if (o != c && o->state == CONN_OPEN && o->who.account_id == 0 &&
		    strcmp(o->who.address, c->who.address) == 0)
			n++;
	return n;
}

/* The server is full: the connection open longest without signing in
 * (someone's idle or abandoned socket, or a flood's) makes room for the
 * newcomer c, so strangers can never hold every slot against an admin or
 * an office.  One on an ordinary slot goes first; one on the admin's
 * reserve only when reserve_too (the newcomer would be refused).  A
 * connection signed in is never evicted, nor one whose request is being
 * answered.  Returns the one closed, or NULL. */
static struct conn *evict_stranger(struct server *s, struct conn *c, bool reserve_too)
{
	struct conn *oldest = NULL, *oldest_reserve = NULL;
	struct rpc_error err;

	/* s->conns is newest first: the last match is the oldest. */
	for (struct conn *o = s->conns; o; o = o->next)
		if (o != c && o->state == CONN_OPEN && o->who.account_id == 0 && !o->working &&
		    !o->holding && !o->evicted)
			*(o->who.reserve ? &oldest_reserve : &oldest) = o;
	if (!oldest && reserve_too)
		oldest = oldest_reserve;
	if (!oldest)
		return NULL;
	log_debug("conn %llu %s: closed to make room: the server is full and it had not signed "
		  "in after %.1f s", (unsigned long long)oldest->id, oldest->peer,
		  (double)(uv_now(s->loop) - oldest->opened_ms) / 1000);
	log_burst(s, &evictions, "connections that had not signed in closed to make room "
		  "(the server is full)");
	errors_set(&err, RPC_TOO_MANY_CLIENTS,
		   "the server is full and this connection had not signed in; connect again and "
		   "sign in at once");
	oldest->evicted = true;
	s->nevicted++;
	refuse(oldest, &err);
	if (oldest->state == CONN_OPEN)
		conn_close(oldest); /* TLS not through its handshake: no way to say it */
	return oldest;
}

/* How a newcomer is taken. */
enum conn_admit {
	CONN_ADMIT,   /* within --max-clients */
	CONN_RESERVE, /* past it, within the admin's reserve: only an admin may use it */
	CONN_REJECT,  /* past both: answered too_many_clients and closed */
};

/* The slot for a newcomer, counting the others being served
 * (connections closing to make room no longer count). */
static enum conn_admit admission(const struct server *s)
{
	unsigned serving = s->nconns - s->nevicted - 1; /* the newcomer is counted already */

	if (serving >= s->opt.max_clients + SERVER_ADMIN_RESERVE)
		return CONN_REJECT;
	return serving >= s->opt.max_clients ? CONN_RESERVE : CONN_ADMIT;
}

int conn_accept(struct server *s, uv_stream_t *listener)
{
	enum conn_admit admit;
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return -1;
	c->server = s;
	c->id = ++s->next_conn_id;
	c->state = CONN_OPEN;
	frame_init(&c->frame, &s->limits);
	frame_set_max_message(&c->frame, s->opt.max_message_unauth); /* after_sign_in */
	uv_tcp_init(s->loop, &c->tcp);
	uv_timer_init(s->loop, &c->timer);
	uv_timer_init(s->loop, &c->deadline);
	c->tcp.data = c;
	c->timer.data = c;
	c->deadline.data = c;
	c->open_handles = 3;
	c->opened_ms = c->active_ms = uv_now(s->loop);
	msgpack_sbuffer_init(&c->pending);
	server_conn_added(s, c);
	if (uv_accept(listener, (uv_stream_t *)&c->tcp) != 0) {
		c->state = CONN_OPEN;
		conn_close(c);
		return -1;
	}
	/* A zeroed tls_conn is safe to free if its setup fails. */
	if (s->tls && (!(c->tls = calloc(1, sizeof(*c->tls))) || tls_conn_init(c->tls, s->tls) < 0)) {
		log_warn("conn %llu: out of memory for TLS; closing", (unsigned long long)c->id);
		conn_close(c);
		return -1;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	peer_name(&c->tcp, c->peer, sizeof(c->peer), c->who.address, sizeof(c->who.address));
	if (unauth_from(s, c) >= s->opt.max_unauth_per_address) {
		struct rpc_error err;

		log_debug("conn %llu %s: refused: %u connections from %s have not signed in",
			  (unsigned long long)c->id, c->peer, s->opt.max_unauth_per_address,
			  c->who.address);
		log_burst(s, &refusals_address, "connections refused: their address had "
			  "--max-unauth-per-address connections not signed in");
		errors_set(&err, RPC_TOO_MANY_CLIENTS,
			   "%u connections from your address (%s) are open and not signed in, the "
			   "most the server allows; sign in on those or close them, then try again",
			   s->opt.max_unauth_per_address, c->who.address);
		refuse(c, &err);
		return 0;
	}
	if ((admit = admission(s)) != CONN_ADMIT) {
		/* The newcomer takes the slot of the stranger it replaces. */
		struct conn *gone = evict_stranger(s, c, admit == CONN_REJECT);

		if (gone)
			admit = gone->who.reserve ? CONN_RESERVE : CONN_ADMIT;
	}
	c->who.reserve = admit == CONN_RESERVE;
	if (admit == CONN_REJECT) {
		struct rpc_error err;

		log_debug("conn %llu %s: refused: %u clients already connected",
			  (unsigned long long)c->id, c->peer, s->opt.max_clients);
		log_burst(s, &refusals_full, "connections refused: every slot and the admin's "
			  "reserve held by clients signed in");
		errors_set(&err, RPC_TOO_MANY_CLIENTS,
			   "the server is serving its maximum of %u clients; try again shortly",
			   s->opt.max_clients);
		refuse(c, &err);
		return 0;
	}
	log_debug("conn %llu %s: connected", (unsigned long long)c->id, c->peer);
	start_reading(c);
	conn_arm(c);
	return 0;
}
