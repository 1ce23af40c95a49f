/*
 * echo.c: the ceiling of `make bench`: a bare MessagePack-RPC server on
 * libuv that answers every request [0, msgid, method, params] with
 * [1, msgid, nil, params] and does nothing else.  It cuts the stream with
 * the daemon's own protocol/frame.c, so what it measures is the loopback,
 * the kernel and libuv, plus the framing every dotphad request pays too.
 *
 *   echo --port-file PATH     listens on 127.0.0.1, an ephemeral port,
 *                             written to PATH; stops on SIGINT or SIGTERM
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include <msgpack.h>
#include <uv.h>

#include "frame.h"
#include "message.h"

struct client {
	uv_tcp_t tcp;         /* the connection; data points here */
	struct frame fr;      /* requests being cut */
	msgpack_sbuffer out;  /* answers to this read, written at once */
};

struct write_req {
	uv_write_t req;
	uv_buf_t buf;
};

static uv_loop_t *loop;
static uv_tcp_t server;
static uv_signal_t sig_int, sig_term;

static void on_client_closed(uv_handle_t *h)
{
	struct client *c = h->data;
	frame_free(&c->fr);
	msgpack_sbuffer_destroy(&c->out);
	free(c);
}

static void on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct client *c = h->data;
	char *p;
	size_t n;
	(void)suggested;
	frame_space(&c->fr, &p, &n);
	*buf = uv_buf_init(p, (unsigned)n);
}

static void on_written(uv_write_t *req, int status)
{
	struct write_req *wr = (struct write_req *)req;
	(void)status;
	free(wr->buf.base);
	free(wr);
}

/* Writes c->out: at once if the socket takes it, else through uv_write
 * with a copy the write owns. */
static void flush_out(struct client *c)
{
	uv_buf_t b = uv_buf_init(c->out.data, (unsigned)c->out.size);
	int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);
	if (n == UV_EAGAIN)
		n = 0;
	if (n >= 0 && (size_t)n < c->out.size) {
		struct write_req *wr = malloc(sizeof(*wr));
		size_t left = c->out.size - (size_t)n;
		char *copy = malloc(left);
		if (!wr || !copy) {
			free(wr);
			free(copy);
			uv_close((uv_handle_t *)&c->tcp, on_client_closed);
			return;
		}
		memcpy(copy, c->out.data + n, left);
		wr->buf = uv_buf_init(copy, (unsigned)left);
		if (uv_write(&wr->req, (uv_stream_t *)&c->tcp, &wr->buf, 1, on_written) < 0) {
			free(copy);
			free(wr);
		}
	}
	msgpack_sbuffer_clear(&c->out);
}

static void on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct client *c = s->data;
	msgpack_packer pk;
	(void)buf;
	if (nread == 0)
		return;
	if (nread < 0) {
		uv_close((uv_handle_t *)&c->tcp, on_client_closed);
		return;
	}
	frame_commit(&c->fr, (size_t)nread);
	msgpack_packer_init(&pk, &c->out, msgpack_sbuffer_write);
	for (;;) {
		const msgpack_object *o;
		struct rpc_error err;
		struct message m;
		int rc = frame_next(&c->fr, &o, &err);
		if (rc == FRAME_NEED_MORE)
			break;
		if (rc == FRAME_ERROR || message_parse(o, &m, &err) != RPC_OK ||
		    m.type != MESSAGE_REQUEST) {
			uv_close((uv_handle_t *)&c->tcp, on_client_closed);
			return;
		}
		message_pack_result_head(&pk, m.msgid);
		msgpack_pack_object(&pk, o->via.array.ptr[3]);
	}
	if (c->out.size)
		flush_out(c);
}

static void on_connection(uv_stream_t *srv, int status)
{
	if (status < 0)
		return;
	struct client *c = calloc(1, sizeof(*c));
	if (!c)
		return;
	uv_tcp_init(loop, &c->tcp);
	c->tcp.data = c;
	frame_init(&c->fr, NULL);
	msgpack_sbuffer_init(&c->out);
	if (uv_accept(srv, (uv_stream_t *)&c->tcp) < 0) {
		uv_close((uv_handle_t *)&c->tcp, on_client_closed);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
	uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void close_any(uv_handle_t *h, void *arg)
{
	(void)arg;
	if (!uv_is_closing(h))
		uv_close(h, h->data && h != (uv_handle_t *)&server && h->type == UV_TCP
				    ? on_client_closed : NULL);
}

static void on_signal(uv_signal_t *s, int signum)
{
	(void)s;
	(void)signum;
	uv_walk(loop, close_any, NULL);
}

int main(int argc, char **argv)
{
	struct sockaddr_in a;
	struct sockaddr_storage bound;
	int len = sizeof(bound);
	struct rlimit rl;

	if (argc != 3 || strcmp(argv[1], "--port-file") != 0) {
		fputs("usage: echo --port-file PATH\n", stderr);
		return 2;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	loop = uv_default_loop();
	uv_tcp_init(loop, &server);
	uv_ip4_addr("127.0.0.1", 0, &a);
	if (uv_tcp_bind(&server, (const struct sockaddr *)&a, 0) < 0 ||
	    uv_listen((uv_stream_t *)&server, 1024, on_connection) < 0 ||
	    uv_tcp_getsockname(&server, (struct sockaddr *)&bound, &len) < 0) {
		fputs("echo: cannot listen on 127.0.0.1\n", stderr);
		return 1;
	}
	FILE *f = fopen(argv[2], "w");
	if (!f) {
		perror(argv[2]);
		return 1;
	}
	fprintf(f, "%d\n", ntohs(((struct sockaddr_in *)&bound)->sin_port));
	fclose(f);
	uv_signal_init(loop, &sig_int);
	uv_signal_init(loop, &sig_term);
	uv_signal_start(&sig_int, on_signal, SIGINT);
	uv_signal_start(&sig_term, on_signal, SIGTERM);
	uv_run(loop, UV_RUN_DEFAULT);
	uv_loop_close(loop);
	return 0;
}
