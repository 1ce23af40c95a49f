/*
 * peer.c: see peer.h.
 */
#include "peer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <openssl/ssl.h>

#include "errors.h"
#include "helpers.h"
#include "message.h"
#include "pack.h"

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* One client context for every TLS peer of the process. */
static SSL_CTX *client_ctx(void)
{
	static SSL_CTX *ctx;

	if (!ctx) {
		ctx = SSL_CTX_new(TLS_client_method());
		if (ctx)
			SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
	}
	return ctx;
}

int peer_open(struct peer *p, int port, const struct peer_how *how)
{
	struct sockaddr_in sa;
	int one = 1;

	memset(p, 0, sizeof(*p));
	p->fd = socket(AF_INET, SOCK_STREAM, 0);
	if (p->fd < 0)
		return -1;
	if (how && how->rcvbuf > 0)
		setsockopt(p->fd, SOL_SOCKET, SO_RCVBUF, &how->rcvbuf, sizeof(how->rcvbuf));
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	if (how && how->source) {
		inet_pton(AF_INET, how->source, &sa.sin_addr);
		if (bind(p->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
			goto fail;
	}
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(p->fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		goto fail;
	setsockopt(p->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	msgpack_unpacker_init(&p->up, 65536);
	if (how && how->tls) {
		if (!client_ctx() || !(p->ssl = SSL_new(client_ctx())) ||
		    SSL_set_fd(p->ssl, p->fd) != 1 || SSL_connect(p->ssl) != 1) {
			if (p->ssl)
				SSL_free(p->ssl);
			p->ssl = NULL;
			msgpack_unpacker_destroy(&p->up);
			goto fail;
		}
	}
	return 0;
fail:
	close(p->fd);
	p->fd = -1;
	return -1;
}

int peer_send(struct peer *p, const void *bytes, size_t n)
{
	if (p->fd < 0)
		return -1;
	if (p->ssl)
		return n == 0 || SSL_write(p->ssl, bytes, (int)n) == (int)n ? 0 : -1;
	return raw_send(p->fd, bytes, n);
}

int peer_request(struct peer *p, const char *method, const char *params, size_t len)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int rc;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	message_pack_request_head(&pk, ++p->msgid, method);
	if (params)
		msgpack_sbuffer_write(&sb, params, len);
	else
		msgpack_pack_map(&pk, 0);
	rc = peer_send(p, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* Reads what is there into the unpacker, waiting at most until deadline.
 * Returns >0 bytes read, 0 at the end of the stream, -1 otherwise. */
static long read_more(struct peer *p, long deadline)
{
	struct pollfd pfd = {.fd = p->fd, .events = POLLIN};
	long left = deadline - now_ms();
	long n;

	if (p->ssl && SSL_pending(p->ssl) > 0)
		left = 0;
	else if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
		return -1;
	if (!msgpack_unpacker_reserve_buffer(&p->up, 65536))
		return -1;
	if (p->ssl) {
		n = SSL_read(p->ssl, msgpack_unpacker_buffer(&p->up),
			     (int)msgpack_unpacker_buffer_capacity(&p->up));
		if (n <= 0)
			return SSL_get_error(p->ssl, (int)n) == SSL_ERROR_ZERO_RETURN ? 0 : -1;
	} else {
		n = recv(p->fd, msgpack_unpacker_buffer(&p->up),
			 msgpack_unpacker_buffer_capacity(&p->up), 0);
		if (n <= 0)
			return n == 0 ? 0 : -1;
	}
	msgpack_unpacker_buffer_consumed(&p->up, (size_t)n);
	return n;
}

int peer_reply(struct peer *p, msgpack_unpacked *u, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;

	if (p->fd < 0)
		return -1;
	for (;;) {
		long n;

		switch (msgpack_unpacker_next(&p->up, u)) {
		case MSGPACK_UNPACK_SUCCESS:
			return 1;
		case MSGPACK_UNPACK_CONTINUE:
			break;
		default:
			return -1;
		}
		if ((n = read_more(p, deadline)) <= 0)
			return n == 0 ? 0 : -1;
	}
}

int peer_reply_code(const msgpack_unpacked *u)
{
	struct rpc_error err;

	if (u->data.type != MSGPACK_OBJECT_ARRAY || u->data.via.array.size != 4)
		return -1;
	if (u->data.via.array.ptr[2].type == MSGPACK_OBJECT_NIL)
		return 0;
	return errors_unpack(&u->data.via.array.ptr[2], &err);
}

int peer_call(struct peer *p, const char *method, const char *params, size_t len,
	      struct peer_result *r, int timeout_ms)
{
	const msgpack_object *a;
	struct rpc_error err;

	msgpack_unpacked_init(&r->u);
	r->code = -1;
	r->value = NULL;
	snprintf(r->message, sizeof(r->message), "%s: no reply", method);
	if (peer_request(p, method, params, len) != 0 || peer_reply(p, &r->u, timeout_ms) != 1)
		return -1;
	a = r->u.data.via.array.ptr;
	if (r->u.data.type != MSGPACK_OBJECT_ARRAY || r->u.data.via.array.size != 4 ||
	    a[1].type != MSGPACK_OBJECT_POSITIVE_INTEGER || a[1].via.u64 != p->msgid) {
		snprintf(r->message, sizeof(r->message), "%s: not a response to it", method);
		return -1;
	}
	r->message[0] = '\0';
	if (a[2].type == MSGPACK_OBJECT_NIL) {
		r->value = &a[3];
		return r->code = 0;
	}
	r->code = errors_unpack(&a[2], &err);
	snprintf(r->message, sizeof(r->message), "%s", err.message);
	return r->code;
}

void peer_result_free(struct peer_result *r)
{
	msgpack_unpacked_destroy(&r->u);
}

int peer_some(struct peer *p, int timeout_ms)
{
	return p->fd >= 0 && read_more(p, now_ms() + timeout_ms) > 0;
}

int peer_auth(struct peer *p, const char *token)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	int rc = -1;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	pack_kv_str(&pk, "token", token);
	msgpack_unpacked_init(&u);
	if (peer_request(p, "session.auth", sb.data, sb.size) == 0 && peer_reply(p, &u, 20000) == 1)
		rc = peer_reply_code(&u);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

static void release(struct peer *p)
{
	if (p->ssl)
		SSL_free(p->ssl);
	p->ssl = NULL;
	msgpack_unpacker_destroy(&p->up);
	close(p->fd);
	p->fd = -1;
}

void peer_reset(struct peer *p)
{
	struct linger lg = {.l_onoff = 1, .l_linger = 0};

	if (p->fd < 0)
		return;
	shutdown(p->fd, SHUT_WR);
	setsockopt(p->fd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
	release(p);
}

void peer_close(struct peer *p)
{
	if (p->fd < 0)
		return;
	if (p->ssl)
		SSL_shutdown(p->ssl);
	release(p);
}

int peer_rss(int pid, long *hwm_kib, long *rss_kib)
{
	char path[64], line[256];
	FILE *f;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "VmHWM: %ld", hwm_kib) == 1)
			found |= 1;
		if (sscanf(line, "VmRSS: %ld", rss_kib) == 1)
			found |= 2;
	}
	fclose(f);
	return found == 3 ? 0 : -1;
}

int peer_reset_peak(int pid)
{
	char path[64];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "/proc/%d/clear_refs", pid);
	if (!(f = fopen(path, "w")))
		return -1;
	ok = fputs("5", f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

void peer_more_files(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}
