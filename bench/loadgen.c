/*
 * loadgen.c: the load generator of `make bench`.  One libuv loop opens N
 * connections to 127.0.0.1:PORT, signs each in (session.auth) when given a
 * token, and drives a closed loop on each: one request, wait for its
 * answer, record the latency, send the next, for a fixed time.  It also
 * speaks RESP, so Redis is measured by the very same loop, and it can hold
 * K more connections signed in and (mostly) idle beside the active ones.
 *
 * It prints one machine-readable line per measured set:
 *   RESULT workload=W conns=C idle=K seconds=S requests=N errors=E rps=R
 *          p50_us=.. p99_us=.. p999_us=.. max_us=.. mean_us=..
 * and "READY" on its own line once every connection is set up, so the
 * driver (bench/run.py) can sample the daemon's memory at that moment.
 * It stops by itself: after --seconds of measuring it stops sending, waits
 * for the answers in flight (at most --grace seconds) and exits.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <msgpack.h>
#include <uv.h>

#include "frame.h"
#include "hist.h"
#include "message.h"
#include "obj.h"
#include "pack.h"

/* What a request is, for the mix and for the answer's bookkeeping. */
enum req_kind {
	K_AUTH,   /* session.auth */
	K_READ,   /* the workload's read */
	K_WRITE,  /* the workload's write */
};

enum workload {
	W_ECHO,        /* bench/echo.c */
	W_REDIS_GET,   /* RESP GET key:N */
	W_REDIS_SET,   /* RESP SET key:N value */
	W_TASK_GET,    /* task.get {task} */
	W_TASK_LIST,   /* task.list {unit} */
	W_UPDATE,      /* update.create {task, percent, done, request_id} */
	W_MIX,         /* 90% task.get, 10% update.create */
	W_REPORT,      /* report.get {term} */
	W_BOARD,       /* board.get {term, unit} */
	W_SEARCH,      /* search.query {text} */
	W_INFO,        /* server.info, the cheapest signed-in call */
};

static const struct {
	const char *name;
	enum workload w;
} workloads[] = {
	{"echo", W_ECHO}, {"redis.get", W_REDIS_GET}, {"redis.set", W_REDIS_SET},
	{"task.get", W_TASK_GET}, {"task.list", W_TASK_LIST}, {"update.create", W_UPDATE},
	{"mix", W_MIX}, {"report.get", W_REPORT}, {"board.get", W_BOARD},
	{"search.query", W_SEARCH},
	{"server.info", W_INFO},
};

#define REDIS_KEYS 100000u      /* keys GET and SET choose from */
#define SETUP_AT_ONCE 128       /* connections being set up at one time */

enum conn_state {
	CS_NEW,        /* not yet connecting */
	CS_CONNECTING, /* uv_tcp_connect in flight */
	CS_AUTH,       /* session.auth in flight */
	CS_READY,      /* set up, waiting for the start */
	CS_BUSY,       /* a request in flight */
	CS_IDLE,       /* an idle connection between its rare requests */
	CS_CLOSED,     /* closing or closed */
};

struct conn {
	uv_tcp_t tcp;          /* the connection; data points back here */
	uv_connect_t creq;     /* the connect request */
	int idx;               /* position in the array */
	bool idle;             /* one of the --idle connections */
	enum conn_state state; /* see above */
	enum req_kind kind;    /* of the request in flight */
	uint32_t msgid;        /* of the request in flight */
	uint64_t sent_at;      /* uv_hrtime() when it was sent */
	uint64_t seq;          /* requests this connection sent, for request_ids */
	bool measured;         /* the request in flight was sent while measuring */
	struct frame fr;       /* MessagePack answers */
	char *rbuf;            /* RESP answers: received bytes */
	size_t rlen, rcap;     /* bytes in rbuf, allocated */
};

/* A write that could not complete at once owns a copy of its bytes. */
struct write_req {
	uv_write_t req;
	uv_buf_t buf;
};

static struct {
	/* options */
	int port;
	int nconns;            /* active connections */
	int nidle;             /* idle connections */
	double seconds;        /* measuring time */
	double warmup;         /* seconds before measuring starts */
	double grace;          /* seconds to wait for answers in flight at the end */
	double idle_every;     /* an idle connection sends one request every this many s; 0 never */
	double hold;           /* with no active connection: seconds to hold the idle ones */
	int min_requests;      /* measure at least this many answers, even past --seconds */
	double max_seconds;    /* but never measure longer than this */
	const char *token;     /* session.auth token, or NULL */
	enum workload w;
	const char *wname;
	int64_t *ids, *wids;   /* task ids to read, to write */
	size_t nids, nwids;
	char **units, **texts; /* task.list units, search.query texts */
	size_t nunits, ntexts;
	const char *term;      /* report.get term */
	const char *unit;      /* report.get unit, or NULL: the caller's whole scope */
	const char *as_of;     /* report.get as_of, or NULL: today */
	int write_pct;         /* mix: percent of writes */
	bool quiet_errors;     /* do not print error answers */
	/* state */
	uv_loop_t *loop;
	struct conn *conns;
	int total;             /* nconns + nidle */
	int next_to_open;      /* next connection to set up */
	int setting_up;        /* connections connecting or signing in */
	int ready;             /* connections set up */
	int closed;            /* connections closed */
	int lost;              /* active connections the server closed */
	int phase;             /* 0 setup, 1 warmup, 2 measuring, 3 draining, 4 done */
	uint64_t t_start;      /* when measuring began */
	uint64_t t_end;        /* when it ended */
	uint64_t errors;       /* error answers while measuring */
	uint64_t printed_errors;
	uint64_t rng;          /* xorshift64 state */
	uint64_t run_tag;      /* makes request_ids unique across runs */
	struct hist *all, *reads, *writes, *idle_h;
	uv_timer_t tick;       /* 10 ms: phase changes, idle requests */
	uv_signal_t sigint, sigterm;
	msgpack_sbuffer sb;    /* the request being built */
	msgpack_packer pk;
} G;

static void die(const char *what)
{
	fprintf(stderr, "loadgen: %s\n", what);
	exit(2);
}

static uint64_t rnd(void)
{
	uint64_t x = G.rng;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return G.rng = x;
}

static bool is_redis(void)
{
	return G.w == W_REDIS_GET || G.w == W_REDIS_SET;
}

/* ---- building requests ------------------------------------------------ */

static void pack_head(uint32_t msgid, const char *method, uint32_t nfields)
{
	message_pack_request_head(&G.pk, msgid, method);
	msgpack_pack_map(&G.pk, nfields);
}

static void build_auth(uint32_t msgid)
{
	pack_head(msgid, "session.auth", 1);
	pack_kv_str(&G.pk, "token", G.token);
}

static void build_update(struct conn *c, uint32_t msgid)
{
	char rid[64];
	struct timespec ts;

	/* As dotpha makes them (client/rpc.h, rpc_request_id): the time in
	 * milliseconds first, then what makes the id unique. */
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(rid, sizeof(rid), "%012" PRIx64 "%04x%016" PRIx64,
		 (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000,
		 (unsigned)c->idx & 0xffff, G.run_tag ^ c->seq);
	pack_head(msgid, "update.create", 4);
	pack_kv_int(&G.pk, "task", G.wids[rnd() % G.nwids]);
	pack_kv_int(&G.pk, "percent", (int64_t)(rnd() % 101));
	pack_kv_str(&G.pk, "done", "Đã triển khai thêm một phần việc (bench)");
	pack_kv_str(&G.pk, "request_id", rid);
}

static void build_redis(bool set)
{
	char cmd[256];
	char key[32];
	int kn = snprintf(key, sizeof(key), "key:%" PRIu64, rnd() % REDIS_KEYS);
	int n;
	if (set)
		n = snprintf(cmd, sizeof(cmd),
			     "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$64\r\n"
			     "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n",
			     kn, key);
	else
		n = snprintf(cmd, sizeof(cmd), "*2\r\n$3\r\nGET\r\n$%d\r\n%s\r\n", kn, key);
	msgpack_sbuffer_write(&G.sb, cmd, (size_t)n);
}

/* Builds the next request of c's workload into G.sb; sets c->kind. */
static void build_next(struct conn *c, uint32_t msgid)
{
	enum workload w = G.w;
	c->kind = K_READ;
	if (w == W_MIX)
		w = (int)(rnd() % 100) < G.write_pct ? W_UPDATE : W_TASK_GET;
	switch (w) {
	case W_ECHO:
		pack_head(msgid, "echo", 1);
		pack_kv_int(&G.pk, "n", (int64_t)c->seq);
		break;
	case W_REDIS_GET:
		build_redis(false);
		break;
	case W_REDIS_SET:
		c->kind = K_WRITE;
		build_redis(true);
		break;
	case W_TASK_GET:
		pack_head(msgid, "task.get", 1);
		pack_kv_int(&G.pk, "task", G.ids[rnd() % G.nids]);
		break;
	case W_TASK_LIST:
		pack_head(msgid, "task.list", 1);
		pack_kv_str(&G.pk, "unit", G.units[rnd() % G.nunits]);
		break;
	case W_UPDATE:
		c->kind = K_WRITE;
		build_update(c, msgid);
		break;
	case W_REPORT:
	case W_BOARD:
		pack_head(msgid, w == W_REPORT ? "report.get" : "board.get",
			  1 + (G.unit != NULL) + (G.as_of != NULL));
		pack_kv_str(&G.pk, "term", G.term);
		if (G.unit)
			pack_kv_str(&G.pk, "unit", G.unit);
		if (G.as_of)
			pack_kv_str(&G.pk, "as_of", G.as_of);
		break;
	case W_SEARCH:
		pack_head(msgid, "search.query", 1);
		pack_kv_str(&G.pk, "text", G.texts[rnd() % G.ntexts]);
		break;
	case W_INFO:
		pack_head(msgid, "server.info", 0);
		break;
	case W_MIX:
		break;
	}
}

/* ---- sending ---------------------------------------------------------- */

static void on_written(uv_write_t *req, int status)
{
	struct write_req *wr = (struct write_req *)req;
	if (status < 0 && status != UV_ECANCELED)
		fprintf(stderr, "loadgen: write: %s\n", uv_strerror(status));
	free(wr->buf.base);
	free(wr);
}

/* Sends G.sb on c: at once when the socket takes it all (the usual case),
 * else through uv_write with a copy that the write owns. */
static void send_built(struct conn *c)
{
	uv_buf_t b = uv_buf_init(G.sb.data, (unsigned)G.sb.size);
	int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
	if (n == (int)G.sb.size)
		return;
	if (n < 0 && n != UV_EAGAIN) {
		fprintf(stderr, "loadgen: send: %s\n", uv_strerror(n));
		return;
	}
	if (n < 0)
		n = 0;
	struct write_req *wr = malloc(sizeof(*wr));
	if (!wr)
		die("out of memory");
	size_t left = G.sb.size - (size_t)n;
	wr->buf = uv_buf_init(malloc(left), (unsigned)left);
	if (!wr->buf.base)
		die("out of memory");
	memcpy(wr->buf.base, G.sb.data + n, left);
	int rc = uv_write(&wr->req, (uv_stream_t *)&c->tcp, &wr->buf, 1, on_written);
	if (rc < 0) {
		fprintf(stderr, "loadgen: write: %s\n", uv_strerror(rc));
		free(wr->buf.base);
		free(wr);
	}
}

static void send_request(struct conn *c, bool auth)
{
	msgpack_sbuffer_clear(&G.sb);
	c->msgid++;
	if (c->msgid == 0)
		c->msgid = 1;
	if (auth) {
		c->kind = K_AUTH;
		build_auth(c->msgid);
	} else {
		build_next(c, c->msgid);
	}
	c->seq++;
	c->sent_at = uv_hrtime();
	/* Counted by when it was sent, not when answered: a slow answer that
	 * arrives after the window (behind a backup, say) still counts. */
	c->measured = !auth && (G.phase == 1 || G.phase == 2) && c->sent_at >= G.t_start;
	c->state = auth ? CS_AUTH : CS_BUSY;
	send_built(c);
}

/* ---- phases ----------------------------------------------------------- */

static void print_hist(const char *suffix, const struct hist *h, double secs)
{
	printf("RESULT workload=%s%s conns=%d idle=%d seconds=%.3f requests=%" PRIu64
	       " errors=%" PRIu64 " rps=%.1f p50_us=%.1f p99_us=%.1f p999_us=%.1f"
	       " max_us=%.1f mean_us=%.1f\n",
	       G.wname, suffix, G.nconns, G.nidle, secs, h->count, G.errors,
	       secs > 0 ? (double)h->count / secs : 0.0,
	       (double)hist_percentile(h, 50) / 1e3, (double)hist_percentile(h, 99) / 1e3,
	       (double)hist_percentile(h, 99.9) / 1e3, (double)h->max / 1e3,
	       h->count ? (double)(h->sum / h->count) / 1e3 : 0.0);
}

static void on_closed(uv_handle_t *h)
{
	struct conn *c = h->data;
	frame_free(&c->fr);
	free(c->rbuf);
	c->rbuf = NULL;
	G.closed++;
}

static void close_conn(struct conn *c)
{
	if (c->state == CS_CLOSED || c->state == CS_NEW)
		return;
	c->state = CS_CLOSED;
	uv_close((uv_handle_t *)&c->tcp, on_closed);
}

static void finish(void)
{
	if (G.phase == 4)
		return;
	if (G.phase < 3)
		G.t_end = uv_hrtime();
	G.phase = 4;
	double secs = G.t_start && G.t_end > G.t_start ? (double)(G.t_end - G.t_start) / 1e9 : 0;
	if (G.nconns > 0) {
		print_hist("", G.all, secs);
		if (G.w == W_MIX) {
			print_hist(":read", G.reads, secs);
			print_hist(":write", G.writes, secs);
		}
	}
	if (G.nidle > 0 && G.idle_every > 0)
		print_hist(":idle", G.idle_h, secs);
	fflush(stdout);
	for (int i = 0; i < G.total; i++)
		close_conn(&G.conns[i]);
	uv_close((uv_handle_t *)&G.tick, NULL);
	uv_close((uv_handle_t *)&G.sigint, NULL);
	uv_close((uv_handle_t *)&G.sigterm, NULL);
}

/* Stops sending; ends when nothing is in flight any more. */
static void begin_drain(void)
{
	G.t_end = uv_hrtime();
	G.phase = 3;
}

static bool anything_in_flight(void)
{
	for (int i = 0; i < G.total; i++)
		if (G.conns[i].state == CS_BUSY)
			return true;
	return false;
}

static void start_sending(void)
{
	G.phase = 1;
	G.t_start = uv_hrtime() + (uint64_t)(G.warmup * 1e9);
	printf("READY conns=%d idle=%d\n", G.nconns, G.nidle);
	fflush(stdout);
	for (int i = 0; i < G.total; i++) {
		struct conn *c = &G.conns[i];
		if (c->idle) {
			c->state = CS_IDLE;
			continue;
		}
		send_request(c, false);
	}
}

static void open_next(void);

/* A connection finished setting up (connected, and signed in if asked). */
static void conn_ready(struct conn *c)
{
	c->state = CS_READY;
	G.setting_up--;
	G.ready++;
	if (G.ready == G.total)
		start_sending();
	else
		open_next();
}

static void on_tick(uv_timer_t *t)
{
	(void)t;
	uint64_t now = uv_hrtime();
	if (G.phase == 1 && now >= G.t_start)
		G.phase = 2;
	if (G.phase == 2) {
		double el = (double)(now - G.t_start) / 1e9;
		bool enough = G.nconns == 0 || G.all->count >= (uint64_t)G.min_requests;
		double limit = G.nconns == 0 ? G.hold : G.seconds;
		if ((el >= limit && enough) || el >= G.max_seconds)
			begin_drain();
	}
	if (G.phase == 3) {
		/* t_end may be a little after now when the drain began in this tick. */
		double el = now > G.t_end ? (double)(now - G.t_end) / 1e9 : 0.0;
		if (!anything_in_flight() || el >= G.grace) {
			if (anything_in_flight())
				fprintf(stderr, "loadgen: gave up waiting for answers in flight\n");
			finish();
			return;
		}
	}
	/* Idle connections send rarely: each, on average, once per idle_every. */
	if ((G.phase == 1 || G.phase == 2) && G.idle_every > 0) {
		double p = 0.010 / G.idle_every;
		uint64_t thresh = (uint64_t)(p * (double)UINT32_MAX);
		for (int i = 0; i < G.total; i++) {
			struct conn *c = &G.conns[i];
			if (c->idle && c->state == CS_IDLE && (rnd() & UINT32_MAX) < thresh)
				send_request(c, false);
		}
	}
}

/* ---- receiving -------------------------------------------------------- */

/* One answer arrived on c; err_obj is the error or NULL. */
static void answered(struct conn *c, const msgpack_object *err_obj)
{
	uint64_t now = uv_hrtime();
	if (c->state == CS_AUTH) {
		if (err_obj) {
			char msg[256];
			const msgpack_object *m = obj_get(err_obj, "message");
			fprintf(stderr, "loadgen: session.auth refused: %s\n",
				m ? obj_cstr(m, msg, sizeof(msg)) : "?");
			exit(2);
		}
		conn_ready(c);
		return;
	}
	if (c->state != CS_BUSY)
		return;
	uint64_t lat = now - c->sent_at;
	if (c->measured) {
		if (c->idle) {
			hist_record(G.idle_h, lat);
		} else {
			hist_record(G.all, lat);
			hist_record(c->kind == K_WRITE ? G.writes : G.reads, lat);
		}
		if (err_obj) {
			G.errors++;
		}
	}
	if (err_obj && !G.quiet_errors && G.printed_errors < 5) {
		char msg[512];
		const msgpack_object *m = obj_get(err_obj, "message");
		G.printed_errors++;
		fprintf(stderr, "loadgen: %s answered an error: %s\n", G.wname,
			m ? obj_cstr(m, msg, sizeof(msg)) : "(redis)");
	}
	if (c->idle) {
		c->state = CS_IDLE;
		return;
	}
	if (G.phase == 1 || G.phase == 2)
		send_request(c, false);
	else
		c->state = CS_READY;
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct conn *c = h->data;
	(void)suggested;
	if (is_redis() && c->state != CS_AUTH) {
		if (c->rcap - c->rlen < 4096) {
			c->rcap = c->rcap ? c->rcap * 2 : 8192;
			c->rbuf = realloc(c->rbuf, c->rcap);
			if (!c->rbuf)
				die("out of memory");
		}
		*buf = uv_buf_init(c->rbuf + c->rlen, (unsigned)(c->rcap - c->rlen));
		return;
	}
	char *p;
	size_t n;
	frame_space(&c->fr, &p, &n);
	*buf = uv_buf_init(p, (unsigned)n);
}

/* The length of one complete RESP reply at p (simple string, error,
 * integer or bulk string), 0 if incomplete; *is_err for '-'. */
static size_t resp_reply(const char *p, size_t n, bool *is_err)
{
	const char *nl = memchr(p, '\n', n);
	if (!nl)
		return 0;
	size_t head = (size_t)(nl - p) + 1;
	*is_err = p[0] == '-';
	if (p[0] != '$')
		return head;
	long len = strtol(p + 1, NULL, 10);
	if (len < 0)
		return head;
	size_t whole = head + (size_t)len + 2;
	return whole <= n ? whole : 0;
}

static void read_redis(struct conn *c)
{
	size_t off = 0;
	for (;;) {
		bool is_err = false;
		size_t n = resp_reply(c->rbuf + off, c->rlen - off, &is_err);
		if (n == 0)
			break;
		off += n;
		static const msgpack_object nil_err = {.type = MSGPACK_OBJECT_NIL};
		answered(c, is_err ? &nil_err : NULL);
	}
	memmove(c->rbuf, c->rbuf + off, c->rlen - off);
	c->rlen -= off;
}

static void read_msgpack(struct conn *c)
{
	for (;;) {
		const msgpack_object *o;
		struct rpc_error err;
		struct message m;
		int rc = frame_next(&c->fr, &o, &err);
		if (rc == FRAME_NEED_MORE)
			return;
		if (rc == FRAME_ERROR || message_parse(o, &m, &err) != RPC_OK ||
		    m.type != MESSAGE_RESPONSE) {
			fprintf(stderr, "loadgen: a broken answer: %s\n", err.message);
			exit(2);
		}
		if (m.msgid != c->msgid) {
			fprintf(stderr, "loadgen: answer to msgid %u, expected %u\n", m.msgid,
				c->msgid);
			exit(2);
		}
		answered(c, m.error->type == MSGPACK_OBJECT_NIL ? NULL : m.error);
		if (c->state == CS_CLOSED)
			return;
	}
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct conn *c = s->data;
	(void)buf;
	if (nread == 0)
		return;
	if (nread < 0) {
		if (G.phase < 3)
			fprintf(stderr, "loadgen: connection %d closed by the server: %s\n", c->idx,
				uv_strerror((int)nread));
		if (c->state == CS_AUTH || c->state == CS_CONNECTING)
			exit(2);
		/* A request the server hung up on counts as an error answer
		 * after the time it took (a reply over the daemon's output cap
		 * ends this way). */
		if (c->state == CS_BUSY && c->measured) {
			hist_record(c->idle ? G.idle_h : G.all, uv_hrtime() - c->sent_at);
			if (!c->idle)
				hist_record(c->kind == K_WRITE ? G.writes : G.reads,
					    uv_hrtime() - c->sent_at);
			G.errors++;
		}
		close_conn(c);
		if (!c->idle)
			G.lost++;
		if (G.nconns > 0 && G.lost == G.nconns && G.phase < 3)
			begin_drain();
		return;
	}
	if (is_redis() && c->state != CS_AUTH) {
		c->rlen += (size_t)nread;
		read_redis(c);
	} else {
		frame_commit(&c->fr, (size_t)nread);
		read_msgpack(c);
	}
}

/* ---- setting up ------------------------------------------------------- */

static void on_connect(uv_connect_t *req, int status)
{
	struct conn *c = req->data;
	if (status < 0) {
		fprintf(stderr, "loadgen: connect to 127.0.0.1:%d: %s\n", G.port,
			uv_strerror(status));
		exit(2);
	}
	uv_tcp_nodelay(&c->tcp, 1);
	uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
	if (G.token && !is_redis())
		send_request(c, true);
	else
		conn_ready(c);
}

static void open_next(void)
{
	while (G.next_to_open < G.total && G.setting_up < SETUP_AT_ONCE) {
		struct conn *c = &G.conns[G.next_to_open++];
		struct sockaddr_in a;
		uv_ip4_addr("127.0.0.1", G.port, &a);
		uv_tcp_init(G.loop, &c->tcp);
		c->tcp.data = c;
		c->creq.data = c;
		c->state = CS_CONNECTING;
		G.setting_up++;
		int rc = uv_tcp_connect(&c->creq, &c->tcp, (const struct sockaddr *)&a, on_connect);
		if (rc < 0) {
			fprintf(stderr, "loadgen: connect: %s\n", uv_strerror(rc));
			exit(2);
		}
	}
}

/* ---- options ---------------------------------------------------------- */

static char **read_lines(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "loadgen: %s: %s\n", path, strerror(errno));
		exit(2);
	}
	char **v = NULL;
	size_t cap = 0;
	char line[1024];
	*n = 0;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0])
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 64;
			v = realloc(v, cap * sizeof(*v));
			if (!v)
				die("out of memory");
		}
		v[(*n)++] = strdup(line);
	}
	fclose(f);
	if (*n == 0) {
		fprintf(stderr, "loadgen: %s is empty\n", path);
		exit(2);
	}
	return v;
}

static int64_t *read_ids(const char *path, size_t *n)
{
	char **lines = read_lines(path, n);
	int64_t *ids = malloc(*n * sizeof(*ids));
	if (!ids)
		die("out of memory");
	for (size_t i = 0; i < *n; i++) {
		ids[i] = strtoll(lines[i], NULL, 10);
		free(lines[i]);
	}
	free(lines);
	return ids;
}

static void usage(void)
{
	fputs("usage: loadgen --port P --workload W [--conns C] [--idle K] [--seconds S]\n"
	      "               [--token T] [--ids FILE] [--write-ids FILE] [--units FILE]\n"
	      "               [--texts FILE] [--term CODE] [--unit CODE] [--as-of DATE]\n"
	      "               [--write-pct N]\n"
	      "               [--warmup S]\n"
	      "               [--idle-every S] [--min-requests N] [--max-seconds S]\n"
	      "               [--grace S] [--quiet-errors]\n"
	      "workloads: echo redis.get redis.set task.get task.list update.create mix\n"
	      "           report.get board.get search.query server.info\n"
	      "With --conns 0 it holds --idle connections for --seconds and prints READY\n"
	      "once they are all signed in.\n",
	      stderr);
	exit(2);
}

static void parse_args(int argc, char **argv)
{
	G.nconns = 1;
	G.seconds = 5;
	G.warmup = 0.5;
	G.grace = 30;
	G.min_requests = 1;
	G.write_pct = 10;
	G.wname = NULL;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--quiet-errors")) {
			G.quiet_errors = true;
			continue;
		}
		if (!v)
			usage();
		i++;
		if (!strcmp(a, "--port"))
			G.port = atoi(v);
		else if (!strcmp(a, "--conns"))
			G.nconns = atoi(v);
		else if (!strcmp(a, "--idle"))
			G.nidle = atoi(v);
		else if (!strcmp(a, "--seconds"))
			G.seconds = atof(v);
		else if (!strcmp(a, "--warmup"))
			G.warmup = atof(v);
		else if (!strcmp(a, "--grace"))
			G.grace = atof(v);
		else if (!strcmp(a, "--idle-every"))
			G.idle_every = atof(v);
		else if (!strcmp(a, "--min-requests"))
			G.min_requests = atoi(v);
		else if (!strcmp(a, "--max-seconds"))
			G.max_seconds = atof(v);
		else if (!strcmp(a, "--token"))
			G.token = v;
		else if (!strcmp(a, "--ids"))
			G.ids = read_ids(v, &G.nids);
		else if (!strcmp(a, "--write-ids"))
			G.wids = read_ids(v, &G.nwids);
		else if (!strcmp(a, "--units"))
			G.units = read_lines(v, &G.nunits);
		else if (!strcmp(a, "--texts"))
			G.texts = read_lines(v, &G.ntexts);
		else if (!strcmp(a, "--term"))
			G.term = v;
		else if (!strcmp(a, "--unit"))
			G.unit = v;
		else if (!strcmp(a, "--as-of"))
			G.as_of = v;
		else if (!strcmp(a, "--write-pct"))
			G.write_pct = atoi(v);
		else if (!strcmp(a, "--workload")) {
			G.wname = v;
			size_t k;
			for (k = 0; k < sizeof(workloads) / sizeof(workloads[0]); k++)
				if (!strcmp(workloads[k].name, v))
					break;
			if (k == sizeof(workloads) / sizeof(workloads[0]))
				usage();
			G.w = workloads[k].w;
		} else
			usage();
	}
	if (G.port <= 0 || G.port > 65535 || !G.wname || G.nconns < 0 || G.nidle < 0 ||
	    G.nconns + G.nidle == 0)
		usage();
	G.hold = G.seconds;
	if (G.max_seconds <= 0)
		G.max_seconds = G.seconds * 20 + 60;
	if ((G.w == W_TASK_GET || G.w == W_MIX) && !G.ids)
		die("task.get and mix need --ids");
	if ((G.w == W_UPDATE || G.w == W_MIX) && !G.wids)
		die("update.create and mix need --write-ids");
	if (G.w == W_TASK_LIST && !G.units)
		die("task.list needs --units");
	if (G.w == W_SEARCH && !G.texts)
		die("search.query needs --texts");
	if ((G.w == W_REPORT || G.w == W_BOARD) && !G.term)
		die("report.get and board.get need --term");
}

/* Room for many connections: the soft descriptor limit up to the hard one. */
static void raise_nofile(void)
{
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)(G.nconns + G.nidle + 16)) {
		fprintf(stderr, "loadgen: %d connections need more descriptors than %llu\n",
			G.nconns + G.nidle, (unsigned long long)rl.rlim_cur);
		exit(2);
	}
}

static void on_signal(uv_signal_t *s, int signum)
{
	(void)s;
	(void)signum;
	if (G.phase < 3)
		begin_drain();
	finish();
}

/* Fills Redis with the keys GET reads, pipelined on one blocking socket
 * before the loop starts. */
static void redis_fill(void);

int main(int argc, char **argv)
{
	parse_args(argc, argv);
	raise_nofile();
	G.loop = uv_default_loop();
	G.rng = (uint64_t)getpid() * 0x9E3779B97F4A7C15u ^ uv_hrtime();
	if (G.rng == 0)
		G.rng = 1;
	G.run_tag = uv_hrtime() ^ ((uint64_t)getpid() << 40);
	G.total = G.nconns + G.nidle;
	G.conns = calloc((size_t)G.total, sizeof(*G.conns));
	G.all = malloc(sizeof(struct hist));
	G.reads = malloc(sizeof(struct hist));
	G.writes = malloc(sizeof(struct hist));
	G.idle_h = malloc(sizeof(struct hist));
	if (!G.conns || !G.all || !G.reads || !G.writes || !G.idle_h)
		die("out of memory");
	hist_init(G.all);
	hist_init(G.reads);
	hist_init(G.writes);
	hist_init(G.idle_h);
	msgpack_sbuffer_init(&G.sb);
	msgpack_packer_init(&G.pk, &G.sb, msgpack_sbuffer_write);
	struct frame_limits lim = {.max_message = 256u * 1024u * 1024u, .max_depth = 32};
	for (int i = 0; i < G.total; i++) {
		G.conns[i].idx = i;
		G.conns[i].idle = i >= G.nconns;
		frame_init(&G.conns[i].fr, &lim);
	}
	if (G.w == W_REDIS_GET)
		redis_fill();
	uv_timer_init(G.loop, &G.tick);
	uv_timer_start(&G.tick, on_tick, 10, 10);
	uv_signal_init(G.loop, &G.sigint);
	uv_signal_init(G.loop, &G.sigterm);
	uv_signal_start(&G.sigint, on_signal, SIGINT);
	uv_signal_start(&G.sigterm, on_signal, SIGTERM);
	open_next();
	uv_run(G.loop, UV_RUN_DEFAULT);
	int rc = uv_loop_close(G.loop);
	free(G.conns);
	free(G.all);
	free(G.reads);
	free(G.writes);
	free(G.idle_h);
	msgpack_sbuffer_destroy(&G.sb);
	return rc == 0 ? 0 : 1;
}

static void redis_fill(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)G.port)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		die("cannot connect to redis to fill it");
	char rbuf[65536];
	for (uint64_t k = 0; k < REDIS_KEYS; k += 1000) {
		msgpack_sbuffer_clear(&G.sb);
		for (uint64_t j = k; j < k + 1000; j++) {
			char key[32], cmd[200];
			int kn = snprintf(key, sizeof(key), "key:%" PRIu64, j);
			int n = snprintf(cmd, sizeof(cmd),
					 "*3\r\n$3\r\nSET\r\n$%d\r\n%s\r\n$64\r\n"
					 "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\r\n",
					 kn, key);
			msgpack_sbuffer_write(&G.sb, cmd, (size_t)n);
		}
		if (write(fd, G.sb.data, G.sb.size) != (ssize_t)G.sb.size)
			die("cannot fill redis");
		/* 1000 "+OK\r\n" replies, 5 bytes each. */
		size_t got = 0;
		while (got < 5000) {
			ssize_t n = read(fd, rbuf, sizeof(rbuf));
			if (n <= 0)
				die("redis closed while filling");
			got += (size_t)n;
		}
	}
	close(fd);
	msgpack_sbuffer_clear(&G.sb);
}
