/*
 * test_client_rpc.c: client/rpc.c and whole commands against a scripted
 * server in a child process: server.info pipelined with the first read,
 * asked before a write, the protocol check, request_id on writes and the
 * same one on a retry after a dropped connection, errors mapped to exit
 * codes, paging and the summary line; then accounts: session.auth sent
 * with server.info (and a read) in one write, refused sign-ins exiting 7
 * with a hint, login saving the config file, and the new commands' output.
 *
 * The child checks what it receives and exits with a distinct code at the
 * first surprise; the parent kills it when the client is done and fails if
 * it had exited with a code.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <msgpack.h>

#include "cli.h"
#include "frame.h"
#include "message.h"
#include "methods.h"
#include "obj.h"
#include "pack.h"
#include "rpc.h"
#include "strbuf.h"

/* ---- the scripted server (runs in the child) ---- */

struct srv {
	int lfd;          /* listening socket */
	int fd;           /* current connection, -1 if none */
	int conn;         /* connections accepted so far */
	struct frame fr;  /* bytes of the current connection */
};

/* One request as the child saw it (copied out of the frame). */
struct req {
	uint32_t msgid;
	char method[32];
	char request_id[80];
	bool has_request_id;
	int64_t limit, after, task;
	bool has_after;
	int nfields;
	char token[128];  /* session.auth's token */
};

#define FAIL_IF(cond, code) do { if (cond) _exit(code); } while (0)

static bool wait_readable(int fd, int ms)
{
	struct pollfd p = {fd, POLLIN, 0};

	return poll(&p, 1, ms) == 1;
}

static void srv_accept(struct srv *s)
{
	FAIL_IF(!wait_readable(s->lfd, 5000), 90);
	s->fd = accept(s->lfd, NULL, NULL);
	FAIL_IF(s->fd < 0, 91);
	s->conn++;
	frame_free(&s->fr);
	frame_init(&s->fr, NULL);
}

static void srv_drop(struct srv *s)
{
	close(s->fd);
	s->fd = -1;
}

/* Reads the next request within ms (0: only from bytes already received);
 * returns false on EOF or timeout. */
static bool srv_read(struct srv *s, struct req *r, int ms)
{
	for (;;) {
		const msgpack_object *o, *p;
		struct rpc_error err;
		struct message m;
		char buf[4096];
		ssize_t n;
		int rc = frame_next(&s->fr, &o, &err);

		FAIL_IF(rc == FRAME_ERROR, 92);
		if (rc == FRAME_NEED_MORE && ms == 0)
			return false;
		if (rc == FRAME_MESSAGE) {
			FAIL_IF(message_parse(o, &m, &err) != RPC_OK, 93);
			FAIL_IF(m.type != MESSAGE_REQUEST, 94);
			memset(r, 0, sizeof(*r));
			r->msgid = m.msgid;
			snprintf(r->method, sizeof(r->method), "%.*s", (int)m.method_len, m.method);
			p = m.params;
			r->nfields = p ? (int)p->via.map.size : 0;
			if (obj_get(p, "request_id")) {
				r->has_request_id = true;
				obj_cstr(obj_get(p, "request_id"), r->request_id, sizeof(r->request_id));
			}
			r->limit = -1;
			obj_int(obj_get(p, "limit"), &r->limit);
			r->has_after = obj_int(obj_get(p, "after"), &r->after);
			obj_int(obj_get(p, "task"), &r->task);
			obj_cstr(obj_get(p, "token"), r->token, sizeof(r->token));
			return true;
		}
		if (!wait_readable(s->fd, ms))
			return false;
		n = recv(s->fd, buf, sizeof(buf), 0);
		if (n <= 0)
			return false;
		FAIL_IF(frame_feed(&s->fr, buf, (size_t)n) < 0, 95);
	}
}

/* Sends a result that body packs. */
static void srv_result(struct srv *s, uint32_t msgid, void (*body)(msgpack_packer *, const void *),
		       const void *ctx)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	message_pack_result_head(&pk, msgid);
	body(&pk, ctx);
	FAIL_IF(send(s->fd, sb.data, sb.size, MSG_NOSIGNAL) != (ssize_t)sb.size, 96);
	msgpack_sbuffer_destroy(&sb);
}

static void info_body(msgpack_packer *pk, const void *ctx)
{
	msgpack_pack_map(pk, 5);
	pack_kv_str(pk, "name", "dotphad");
	pack_kv_str(pk, "version", "test");
	pack_kv_int(pk, "protocol", *(const int *)ctx);
	pack_kv_str(pk, "time", "2025-03-01T02:30:00Z");
	pack_kv_str(pk, "today", "2025-03-01");
}

static void srv_info(struct srv *s, uint32_t msgid, int protocol)
{
	srv_result(s, msgid, info_body, &protocol);
}

static void srv_error(struct srv *s, uint32_t msgid, int code, const char *message)
{
	struct rpc_error e;
	msgpack_sbuffer sb;
	msgpack_packer pk;

	errors_set(&e, code, "%s", message);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	message_pack_error(&pk, msgid, &e);
	FAIL_IF(send(s->fd, sb.data, sb.size, MSG_NOSIGNAL) != (ssize_t)sb.size, 96);
	msgpack_sbuffer_destroy(&sb);
}

static void task_body(msgpack_packer *pk, const void *ctx)
{
	int64_t id = *(const int64_t *)ctx;

	msgpack_pack_map(pk, 4);
	pack_kv_int(pk, "id", id);
	pack_kv_str(pk, "title", "Việc đột phá");
	pack_kv_str(pk, "kind", "breakthrough");
	pack_kv_int(pk, "updates", 7);
}

static bool is_hex(const char *s, size_t n)
{
	if (strlen(s) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!strchr("0123456789abcdef", s[i]))
			return false;
	return true;
}

/* ---- the harness (runs in the test) ---- */

struct fake {
	pid_t pid;
	int port;
};

static void fake_start(struct fake *f, void (*serve)(struct srv *))
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int lfd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	cr_assert_geq(lfd, 0);
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(lfd, (struct sockaddr *)&a, sizeof(a)), 0);
	cr_assert_eq(listen(lfd, 8), 0);
	cr_assert_eq(getsockname(lfd, (struct sockaddr *)&a, &len), 0);
	f->port = ntohs(a.sin_port);
	fflush(NULL);
	f->pid = fork();
	cr_assert_geq(f->pid, 0);
	if (f->pid == 0) {
		struct srv s = {lfd, -1, 0, {0}};

		frame_init(&s.fr, NULL);
		serve(&s);
		_exit(0);
	}
	close(lfd);
}

/* Stops the child; fails the test if it had exited with a code. */
static void fake_finish(struct fake *f)
{
	int status;

	kill(f->pid, SIGTERM);
	cr_assert_eq(waitpid(f->pid, &status, 0), f->pid);
	if (WIFEXITED(status))
		cr_assert_eq(WEXITSTATUS(status), 0, "the fake server failed check %d",
			     WEXITSTATUS(status));
}

static void client(struct rpc *r, const struct fake *f)
{
	char port[8];

	snprintf(port, sizeof(port), "%d", f->port);
	rpc_init(r, "127.0.0.1", port, 3000);
	r->retry_delay_ms = 0;
}

static void pack_limit(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	pack_kv_int(pk, "limit", 1);
}

static void page_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 4);
	pack_str(pk, "items");
	msgpack_pack_array(pk, 0);
	pack_kv_nil(pk, "next");
	pack_kv_int(pk, "total", 244);
	pack_kv_int(pk, "cadres", 76);
}

/* Reads server.info and the read request before answering either: a
 * client that waited for the first answer would never send the second. */
static void serve_pipelined(struct srv *s)
{
	struct req info, list;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 10);
	FAIL_IF(strcmp(info.method, "server.info") != 0, 11);
	FAIL_IF(!srv_read(s, &list, 2000), 12); /* arrives without an answer to info */
	FAIL_IF(strcmp(list.method, "task.list") != 0, 13);
	FAIL_IF(list.has_request_id, 14);       /* a read carries no request_id */
	FAIL_IF(list.limit != 1 || list.nfields != 1, 15);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_result(s, list.msgid, page_body, NULL);
	srv_read(s, &list, 2000); /* until the client closes */
}

Test(rpc, server_info_goes_in_the_same_write_as_the_first_read, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_limit, NULL};
	int64_t total = 0;

	fake_start(&f, serve_pipelined);
	client(&r, &f);
	cr_assert_eq(rpc_call(&r, "task.list", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	cr_assert(obj_int(obj_get(res, "total"), &total));
	cr_assert_eq(total, 244);
	cr_assert_str_eq(r.server_version, "test");
	rpc_close(&r);
	fake_finish(&f);
}

static void pack_code(msgpack_packer *pk, const void *ctx)
{
	pack_kv_str(pk, "code", ctx);
}

/* A made request_id starts with the time in milliseconds, so that the
 * server's index of stored outcomes grows at its end (rpc.h): the time is
 * today's, two ids in turn do not go back, and the random rest differs. */
Test(rpc, a_made_request_id_starts_with_the_time)
{
	char a[RPC_REQUEST_ID_LEN + 1], b[RPC_REQUEST_ID_LEN + 1], head[RPC_REQUEST_ID_TIME + 1];
	unsigned long long ms;
	time_t now = time(NULL);

	cr_assert_eq(rpc_request_id(a), 0);
	cr_assert_eq(rpc_request_id(b), 0);
	cr_assert(is_hex(a, RPC_REQUEST_ID_LEN) && is_hex(b, RPC_REQUEST_ID_LEN), "%s %s", a, b);
	memcpy(head, a, RPC_REQUEST_ID_TIME);
	head[RPC_REQUEST_ID_TIME] = '\0';
	ms = strtoull(head, NULL, 16);
	cr_assert_geq(ms / 1000, (unsigned long long)now - 60, "%s", a);
	cr_assert_leq(ms / 1000, (unsigned long long)now + 60, "%s", a);
	cr_assert_leq(memcmp(a, b, RPC_REQUEST_ID_TIME), 0, "%s then %s", a, b);
	cr_assert_neq(strcmp(a + RPC_REQUEST_ID_TIME, b + RPC_REQUEST_ID_TIME), 0);
}

/* A write waits for server.info's answer, and carries a request_id. */
static void serve_write(struct srv *s)
{
	struct req info, w;
	int64_t id = 5;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 20);
	FAIL_IF(strcmp(info.method, "server.info") != 0, 21);
	FAIL_IF(srv_read(s, &w, 300), 22); /* nothing more until info is answered */
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	FAIL_IF(!srv_read(s, &w, 2000), 23);
	FAIL_IF(strcmp(w.method, "term.create") != 0, 24);
	FAIL_IF(!w.has_request_id || !is_hex(w.request_id, 32), 25);
	FAIL_IF(w.nfields != 2, 26);
	srv_result(s, w.msgid, task_body, &id);
	srv_read(s, &w, 2000);
}

Test(rpc, a_write_is_sent_after_the_protocol_check_with_a_request_id, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_code, "2021-2025"};

	fake_start(&f, serve_write);
	client(&r, &f);
	cr_assert_eq(rpc_call(&r, "term.create", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	cr_assert_eq(strlen(r.sent_request_id), 32);
	rpc_close(&r);
	fake_finish(&f);
}

static void serve_protocol_2(struct srv *s)
{
	struct req info, other;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 30);
	srv_read(s, &other, 500);
	srv_info(s, info.msgid, 2);
	srv_read(s, &other, 2000);
}

Test(rpc, another_protocol_version_stops_with_a_clear_message, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	char want[200];

	fake_start(&f, serve_protocol_2);
	client(&r, &f);
	cr_assert_eq(rpc_call(&r, "term.list", NULL, &res, &err), RPC_STATUS_MISMATCH);
	snprintf(want, sizeof(want), "dotpha này dùng giao thức 1 nhưng máy chủ 127.0.0.1:%d "
		 "dùng giao thức 2; hãy cài dotpha phù hợp", f.port);
	cr_assert_str_eq(err.message, want);
	cr_assert_eq(cli_exit_code(RPC_STATUS_MISMATCH, err.code), 3);
	rpc_close(&r);
	fake_finish(&f);
}

/* Drops the first connection after reading the write; on the second the
 * same request_id must come back. */
static void serve_drop_then_answer(struct srv *s)
{
	struct req info, w1, w2;
	int64_t id = 9;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 40);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	FAIL_IF(!srv_read(s, &w1, 2000), 41);
	FAIL_IF(!w1.has_request_id, 42);
	srv_drop(s);
	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 43);
	FAIL_IF(strcmp(info.method, "server.info") != 0, 44); /* checked again on the new connection */
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	FAIL_IF(!srv_read(s, &w2, 2000), 45);
	FAIL_IF(strcmp(w1.request_id, w2.request_id) != 0, 46);
	FAIL_IF(strcmp(w2.method, "update.create") != 0, 47);
	srv_result(s, w2.msgid, task_body, &id);
	srv_read(s, &w2, 2000);
}

Test(rpc, a_write_lost_with_its_connection_is_resent_with_the_same_request_id, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_code, "x"};
	int64_t id = 0;

	fake_start(&f, serve_drop_then_answer);
	client(&r, &f);
	cr_assert_eq(rpc_call(&r, "update.create", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	cr_assert(obj_int(obj_get(res, "id"), &id));
	cr_assert_eq(id, 9);
	cr_assert_not(r.unanswered);
	rpc_close(&r);
	fake_finish(&f);
}

/* Drops every connection after reading the write. */
static void serve_always_drop(struct srv *s)
{
	struct req info, w;
	char first[80] = "";

	for (;;) {
		srv_accept(s);
		FAIL_IF(!srv_read(s, &info, 2000), 50);
		srv_info(s, info.msgid, PROTOCOL_VERSION);
		FAIL_IF(!srv_read(s, &w, 2000), 51);
		if (!first[0])
			snprintf(first, sizeof(first), "%s", w.request_id);
		FAIL_IF(strcmp(first, w.request_id) != 0, 52);
		FAIL_IF(strcmp(w.request_id, "my-retry-id-0001") != 0, 53);
		srv_drop(s);
	}
}

Test(rpc, a_write_never_answered_is_reported_with_its_request_id, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_code, "x"};

	fake_start(&f, serve_always_drop);
	client(&r, &f);
	r.request_id = "my-retry-id-0001";
	cr_assert_eq(rpc_call(&r, "update.create", &p, &res, &err), RPC_STATUS_TRANSPORT);
	cr_assert(r.unanswered);
	cr_assert_eq(r.failure, RPC_FAIL_LOST);
	cr_assert_str_eq(r.sent_request_id, "my-retry-id-0001");
	rpc_close(&r);
	fake_finish(&f);
}

static void serve_not_found(struct srv *s)
{
	struct req info, g;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 60);
	FAIL_IF(!srv_read(s, &g, 2000), 61);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_error(s, g.msgid, RPC_NOT_FOUND, "task: no task with id 99");
	srv_read(s, &g, 2000);
}

Test(rpc, a_server_error_comes_back_with_its_code_and_name, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;

	fake_start(&f, serve_not_found);
	client(&r, &f);
	cr_assert_eq(rpc_call(&r, "task.get", NULL, &res, &err), RPC_STATUS_REMOTE);
	cr_assert_eq(err.code, RPC_NOT_FOUND);
	cr_assert_str_eq(err.message, "task: no task with id 99");
	cr_assert_str_eq(r.error_name, "not_found");
	rpc_close(&r);
	fake_finish(&f);
}

Test(rpc, a_refused_first_connection_fails_at_once, .timeout = 10)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	char port[8];

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert_eq(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
	getsockname(fd, (struct sockaddr *)&a, &len);
	snprintf(port, sizeof(port), "%d", ntohs(a.sin_port));
	close(fd); /* nothing listens there now */
	rpc_init(&r, "127.0.0.1", port, 3000);
	r.retry_delay_ms = 5000; /* would make the test time out if it retried */
	cr_assert_eq(rpc_call(&r, "server.info", NULL, &res, &err), RPC_STATUS_TRANSPORT);
	cr_assert_eq(r.failure, RPC_FAIL_CONNECT);
	cr_assert_not_null(strstr(err.message, "không kết nối được tới 127.0.0.1:"), "%s", err.message);
	cr_assert_not_null(strstr(err.message, "refused"), "%s", err.message);
	rpc_close(&r);
}

/* ---- whole commands through cli_run ---- */

struct run {
	int code;
	char *out;
	char *err;
};

static void run_cli(struct run *r, const struct fake *f, int argc, const char **words)
{
	const char *argv[32];
	char server[32];
	size_t no, ne;
	FILE *out = open_memstream(&r->out, &no), *err = open_memstream(&r->err, &ne);

	snprintf(server, sizeof(server), "127.0.0.1:%d", f->port);
	argv[0] = "dotpha";
	argv[1] = "--server";
	argv[2] = server;
	for (int i = 0; i < argc; i++)
		argv[3 + i] = words[i];
	setenv("XDG_CONFIG_HOME", "/nonexistent", 1);
	setenv("TZ", "UTC0", 1); /* dotpha shows Asia/Ho_Chi_Minh's time (no config) all the same */
	r->code = cli_run(argc + 3, (char **)argv, out, err);
	fclose(out);
	fclose(err);
}

#define RUN(r, f, ...)                                                          \
	do {                                                                    \
		const char *w_[] = {__VA_ARGS__};                               \
		run_cli(r, f, (int)(sizeof(w_) / sizeof(w_[0])), w_);            \
	} while (0)

static void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
}

/* Answers task.list pages of tasks 1..n, `limit` at a time, by `after`. */
struct paged_script {
	int64_t n;      /* tasks in all */
	int64_t cadres; /* distinct owners */
	int64_t from;   /* first id of this page */
	int64_t count;  /* items in this page */
};

static void paged_body(msgpack_packer *pk, const void *ctx)
{
	const struct paged_script *ps = ctx;
	int64_t last = ps->from + ps->count - 1;

	msgpack_pack_map(pk, 4);
	pack_str(pk, "items");
	msgpack_pack_array(pk, (size_t)ps->count);
	for (int64_t id = ps->from; id <= last; id++) {
		msgpack_pack_map(pk, 2);
		pack_kv_int(pk, "id", id);
		pack_kv_str(pk, "title", "Việc");
	}
	if (last < ps->n)
		pack_kv_int(pk, "next", last);
	else
		pack_kv_nil(pk, "next");
	pack_kv_int(pk, "total", ps->n);
	pack_kv_int(pk, "cadres", ps->cadres);
}

static int64_t script_n = 3; /* set before fork by each test */

static void serve_pages(struct srv *s)
{
	struct req q;

	srv_accept(s);
	while (srv_read(s, &q, 2000)) {
		if (strcmp(q.method, "server.info") == 0) {
			srv_info(s, q.msgid, PROTOCOL_VERSION);
		} else {
			struct paged_script ps = {script_n, 2, q.has_after ? q.after + 1 : 1, 0};

			FAIL_IF(strcmp(q.method, "task.list") != 0, 70);
			FAIL_IF(q.limit < 1 || q.limit > 1000, 71);
			ps.count = script_n - ps.from + 1;
			if (ps.count > q.limit)
				ps.count = q.limit;
			srv_result(s, q.msgid, paged_body, &ps);
		}
	}
}

Test(cli_rpc, a_cut_list_says_how_much_it_shows, .timeout = 10)
{
	struct fake f;
	struct run r;

	script_n = 244;
	fake_start(&f, serve_pages);
	RUN(&r, &f, "task", "list", "--limit", "2");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "ID  Tên việc  Loại  Lĩnh vực  Chủ trì  Đơn vị  Kỳ  Hạn  Trạng thái  %  Quá hạn  Tình trạng  Tình hình\n"
			 " 1  Việc\n"
			 " 2  Việc\n"
			 "244 việc, 2 cán bộ; hiển thị 2 trên 244 (--all để xem tất cả)\n");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_rpc, all_pages_through_and_json_is_one_object, .timeout = 10)
{
	struct fake f;
	struct run r;
	struct strbuf want = STRBUF_INIT;

	script_n = 2500; /* three pages of at most 1000 */
	fake_start(&f, serve_pages);
	RUN(&r, &f, "--json", "task", "list", "--all");
	cr_assert_eq(r.code, 0, "%s", r.err);
	strbuf_adds(&want, "{\"items\":[");
	for (int i = 1; i <= 2500; i++)
		strbuf_addf(&want, "%s{\"id\":%d,\"title\":\"Việc\"}", i > 1 ? "," : "", i);
	strbuf_adds(&want, "],\"total\":2500,\"cadres\":2}\n");
	cr_assert(strcmp(r.out, strbuf_cstr(&want)) == 0, "got %.200s...", r.out);
	strbuf_free(&want);
	run_free(&r);
	fake_finish(&f);
}

Test(cli_rpc, the_default_shows_100_rows_and_the_summary, .timeout = 10)
{
	struct fake f;
	struct run r;
	const char *last;

	script_n = 150;
	fake_start(&f, serve_pages);
	RUN(&r, &f, "task", "list");
	cr_assert_eq(r.code, 0, "%s", r.err);
	last = strrchr(r.out, '\n');
	while (last > r.out && last[-1] != '\n')
		last--;
	cr_assert_str_eq(last, "150 việc, 2 cán bộ; hiển thị 100 trên 150 (--all để xem tất cả)\n");
	cr_assert_not_null(strstr(r.out, "\n100  Việc\n"));
	cr_assert_null(strstr(r.out, "\n101  Việc\n"));
	run_free(&r);
	fake_finish(&f);
}

static void serve_task_show(struct srv *s)
{
	struct req q;

	for (;;) {
		srv_accept(s);
		while (srv_read(s, &q, 2000)) {
			if (strcmp(q.method, "server.info") == 0) {
				srv_info(s, q.msgid, PROTOCOL_VERSION);
			} else if (strcmp(q.method, "task.get") == 0) {
				FAIL_IF(q.task != 12, 80);
				srv_result(s, q.msgid, task_body, &q.task);
			} else {
				struct paged_script ps = {7, 0, 1, 7};

				FAIL_IF(strcmp(q.method, "update.list") != 0, 81);
				FAIL_IF(q.task != 12 || q.limit != 1000, 82);
				srv_result(s, q.msgid, paged_body, &ps);
			}
		}
		srv_drop(s);
	}
}

Test(cli_rpc, task_show_adds_the_last_five_updates, .timeout = 10)
{
	struct fake f;
	struct run r;

	fake_start(&f, serve_task_show);
	RUN(&r, &f, "task", "show", "12");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "ID:          12\n"
			 "Tên việc:    Việc đột phá\n"
			 "Loại:        Đột phá\n"
			 "Số báo cáo:  7\n"
			 "\n"
			 "Báo cáo gần nhất (5 trên 7):\n"
			 "ID  Báo cáo lúc  %  Kết quả  Khó khăn  Đề xuất  Thẩm định\n"
			 " 3\n 4\n 5\n 6\n 7\n");
	run_free(&r);
	RUN(&r, &f, "--json", "task", "show", "12");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "{\"task\":{\"id\":12,\"title\":\"Việc đột phá\",\"kind\":\"breakthrough\",\"updates\":7},"
			 "\"updates\":[{\"id\":3,\"title\":\"Việc\"},{\"id\":4,\"title\":\"Việc\"},"
			 "{\"id\":5,\"title\":\"Việc\"},{\"id\":6,\"title\":\"Việc\"},{\"id\":7,\"title\":\"Việc\"}]}\n");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_rpc, a_server_error_is_one_line_with_its_name_and_exit_code, .timeout = 10)
{
	struct fake f;
	struct run r;

	fake_start(&f, serve_not_found);
	RUN(&r, &f, "task", "show", "99");
	cr_assert_eq(r.code, 4);
	cr_assert_str_eq(r.err, "dotpha: task: no task with id 99 (not_found)\n");
	cr_assert_str_eq(r.out, "");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_rpc, a_lost_write_prints_the_request_id_to_retry_with, .timeout = 10)
{
	struct fake f;
	struct run r;

	fake_start(&f, serve_always_drop);
	RUN(&r, &f, "--request-id", "my-retry-id-0001", "update", "add", "5", "--percent", "50",
	    "--done", "xong");
	cr_assert_eq(r.code, 3);
	cr_assert_not_null(strstr(r.err, "đang thử lại (lần 1 trên 2)"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "yêu cầu update.create đã gửi đi nhưng mất câu trả lời"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "--request-id my-retry-id-0001\n"), "%s", r.err);
	run_free(&r);
	fake_finish(&f);
}

/* Accepts, reads, and never answers. */
static void serve_silence(struct srv *s)
{
	struct req q;

	srv_accept(s);
	while (srv_read(s, &q, 5000))
		;
}

Test(rpc, a_silent_server_times_out, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;

	fake_start(&f, serve_silence);
	client(&r, &f);
	r.timeout_ms = 300;
	r.retries = 0;
	cr_assert_eq(rpc_call(&r, "term.list", NULL, &res, &err), RPC_STATUS_TRANSPORT);
	cr_assert_eq(r.failure, RPC_FAIL_TIMEOUT);
	cr_assert_not_null(strstr(err.message, "không có trả lời trong 1 giây"), "%s", err.message);
	rpc_close(&r);
	fake_finish(&f);
}

/* Answers busy to every try of the write, each with the same request_id. */
static void serve_busy(struct srv *s)
{
	struct req info, q;
	char first[80] = "";

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 100);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	for (int i = 0; i < 3; i++) {
		FAIL_IF(!srv_read(s, &q, 5000), 101);
		FAIL_IF(!q.has_request_id, 102);
		if (i == 0)
			snprintf(first, sizeof(first), "%s", q.request_id);
		FAIL_IF(strcmp(first, q.request_id) != 0, 103);
		srv_error(s, q.msgid, RPC_BUSY, "database is locked");
	}
	srv_read(s, &q, 2000);
}

Test(cli_rpc, busy_is_retried_with_backoff_then_exits_1_with_a_hint, .timeout = 10)
{
	struct fake f;
	struct run r;

	fake_start(&f, serve_busy);
	RUN(&r, &f, "term", "create", "2026", "--kind", "year", "--start", "1/1/2026", "--end", "31/12/2026");
	cr_assert_eq(r.code, 1);
	cr_assert_str_eq(r.err, "dotpha: database is locked; đang thử lại (lần 1 trên 2)\n"
				"dotpha: database is locked; đang thử lại (lần 2 trên 2)\n"
				"dotpha: database is locked (busy) — cơ sở dữ liệu đang bận, chưa ghi gì; "
				"thử lại sau giây lát\n");
	run_free(&r);
	fake_finish(&f);
}

/* Busy once, then the answer. */
static void serve_busy_once(struct srv *s)
{
	struct req info, q;
	int64_t id = 5;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 110);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	FAIL_IF(!srv_read(s, &q, 2000), 111);
	srv_error(s, q.msgid, RPC_BUSY, "database is locked");
	FAIL_IF(!srv_read(s, &q, 2000), 112);
	srv_result(s, q.msgid, task_body, &id);
	srv_read(s, &q, 2000);
}

Test(rpc, a_busy_answer_is_retried_and_the_retry_succeeds, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_code, "x"};

	fake_start(&f, serve_busy_once);
	client(&r, &f);
	cr_assert_eq(rpc_call(&r, "update.create", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	rpc_close(&r);
	fake_finish(&f);
}

/* ---- accounts: signing in ---- */

#define TOKEN_A "dp1_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
#define TOKEN_B "dp1_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb"
#define TOKEN_C "dp1_cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"

/* Receives once (after waiting for the first byte) into the frame: what
 * one write of the client delivers on loopback. */
static void srv_recv_once(struct srv *s)
{
	static char buf[65536];
	ssize_t n;

	FAIL_IF(!wait_readable(s->fd, 2000), 120);
	n = recv(s->fd, buf, sizeof(buf), 0);
	FAIL_IF(n <= 0, 121);
	FAIL_IF(frame_feed(&s->fr, buf, (size_t)n) < 0, 122);
}

static void account_map(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 10);
	pack_kv_int(pk, "id", 2);
	pack_kv_str(pk, "login", "nva");
	pack_kv_str(pk, "display_name", "Nguyễn Văn An");
	pack_kv_str(pk, "role", "office");
	pack_kv_int(pk, "scope_unit_id", 3);
	pack_kv_str(pk, "scope_unit_code", "H-SD");
	pack_kv_str(pk, "scope_unit_name", "Huyện Sơn Dương");
	pack_kv_bool(pk, "active", 1);
	pack_kv_str(pk, "created_at", "2025-03-01T02:30:00Z");
	pack_kv_str(pk, "updated_at", "2025-03-01T02:30:00Z");
}

/* session.auth's and session.whoami's result. */
static void identity_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 2);
	pack_str(pk, "account");
	account_map(pk);
	pack_kv_str(pk, "token_name", "máy văn phòng");
}

/* server.info, session.auth and a read must come in one write, and the
 * server sees them all before it answers anything. */
static void serve_auth_pipelined(struct srv *s)
{
	struct req info, auth, list;

	srv_accept(s);
	srv_recv_once(s);
	FAIL_IF(!srv_read(s, &info, 0), 130);
	FAIL_IF(strcmp(info.method, "server.info") != 0, 131);
	FAIL_IF(!srv_read(s, &auth, 0), 132);
	FAIL_IF(strcmp(auth.method, "session.auth") != 0, 133);
	FAIL_IF(strcmp(auth.token, TOKEN_A) != 0 || auth.nfields != 1, 134);
	FAIL_IF(!srv_read(s, &list, 0), 135); /* the request came in the same recv */
	FAIL_IF(strcmp(list.method, "task.list") != 0, 136);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_result(s, auth.msgid, identity_body, NULL);
	srv_result(s, list.msgid, page_body, NULL);
	srv_read(s, &list, 2000);
}

Test(rpc, server_info_session_auth_and_a_read_go_in_one_write, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_limit, NULL};
	int64_t total = 0;

	fake_start(&f, serve_auth_pipelined);
	client(&r, &f);
	r.token = TOKEN_A;
	cr_assert_eq(rpc_call(&r, "task.list", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	cr_assert(obj_int(obj_get(res, "total"), &total));
	cr_assert_eq(total, 244);
	cr_assert_eq(r.writes, 1, "the client made %u writes", r.writes);
	cr_assert(r.signed_in);
	rpc_close(&r);
	fake_finish(&f);
}

/* session.auth's result with the counts of what waits (`waiting: true`). */
static void identity_waiting_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 3);
	pack_str(pk, "account");
	account_map(pk);
	pack_kv_str(pk, "token_name", "máy văn phòng");
	pack_str(pk, "waiting");
	msgpack_pack_map(pk, 6);
	pack_kv_int(pk, "reminders", 2);
	pack_kv_int(pk, "reminders_overdue", 1);
	pack_kv_int(pk, "explanations", 3);
	pack_kv_int(pk, "actions", 4);
	pack_kv_int(pk, "appraisals", 0);
	pack_kv_int(pk, "sent_overdue", 0);
}

/* The first connection answers as a server older than `waiting` does: the
 * sign-in refused for its unknown field, the pipelined read
 * unauthenticated; the second, signed in without it, is served. */
static void serve_old_server(struct srv *s)
{
	struct req info, auth, list;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000) || !srv_read(s, &auth, 2000), 150);
	FAIL_IF(strcmp(auth.method, "session.auth") != 0 || auth.nfields != 2, 151);
	FAIL_IF(!srv_read(s, &list, 2000) || strcmp(list.method, "task.list") != 0, 152);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_error(s, auth.msgid, RPC_INVALID_ARGUMENT, "waiting: unknown field");
	srv_error(s, list.msgid, RPC_UNAUTHENTICATED, "sign in first");
	srv_read(s, &list, 2000); /* until the client closes */
	srv_drop(s);
	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000) || !srv_read(s, &auth, 2000), 153);
	FAIL_IF(strcmp(auth.method, "session.auth") != 0 || auth.nfields != 1, 154);
	FAIL_IF(!srv_read(s, &list, 2000) || strcmp(list.method, "task.list") != 0, 155);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_result(s, auth.msgid, identity_body, NULL);
	srv_result(s, list.msgid, page_body, NULL);
	srv_read(s, &list, 2000);
}

/* Runs task.list asking for the counts against the fake that serve
 * plays; *r stays readable (its settings and counts) once closed. */
static void call_asking_waiting(void (*serve)(struct srv *), struct rpc *r)
{
	struct fake f;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_limit, NULL};

	fake_start(&f, serve);
	client(r, &f);
	r->token = TOKEN_A;
	r->want_waiting = true;
	cr_assert_eq(rpc_call(r, "task.list", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	rpc_close(r);
	fake_finish(&f);
}

Test(rpc, a_server_older_than_waiting_is_signed_in_again_without_it, .timeout = 10)
{
	struct rpc r;

	call_asking_waiting(serve_old_server, &r);
	cr_assert(!r.want_waiting);
	cr_assert(!r.waiting.known);
	cr_assert(!r.auth_failed);
}

/* The counts come with the sign-in, and stay once its answer is gone. */
static void serve_waiting(struct srv *s)
{
	struct req info, auth, list;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000) || !srv_read(s, &auth, 2000), 160);
	FAIL_IF(auth.nfields != 2, 161);
	FAIL_IF(!srv_read(s, &list, 2000), 162);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_result(s, auth.msgid, identity_waiting_body, NULL);
	srv_result(s, list.msgid, page_body, NULL);
	srv_read(s, &list, 2000);
}

Test(rpc, the_counts_of_what_waits_are_kept_from_the_sign_in, .timeout = 10)
{
	struct rpc r;

	call_asking_waiting(serve_waiting, &r);
	cr_assert(r.waiting.known);
	cr_assert_eq(r.waiting.reminders, 2);
	cr_assert_eq(r.waiting.reminders_overdue, 1);
	cr_assert_eq(r.waiting.explanations, 3);
	cr_assert_eq(r.waiting.actions, 4);
	cr_assert_eq(r.waiting.appraisals + r.waiting.sent_overdue, 0);
}

/* A write: server.info and session.auth in one write, the write itself only
 * once both are answered. */
static void serve_auth_write(struct srv *s)
{
	struct req info, auth, w;
	int64_t id = 5;

	srv_accept(s);
	srv_recv_once(s);
	FAIL_IF(!srv_read(s, &info, 0) || strcmp(info.method, "server.info") != 0, 140);
	FAIL_IF(!srv_read(s, &auth, 0) || strcmp(auth.method, "session.auth") != 0, 141);
	FAIL_IF(strcmp(auth.token, TOKEN_A) != 0, 142);
	FAIL_IF(srv_read(s, &w, 300), 143); /* nothing more until both are answered */
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	FAIL_IF(srv_read(s, &w, 300), 144); /* not after server.info alone either */
	srv_result(s, auth.msgid, identity_body, NULL);
	FAIL_IF(!srv_read(s, &w, 2000), 145);
	FAIL_IF(strcmp(w.method, "term.create") != 0 || !w.has_request_id, 146);
	srv_result(s, w.msgid, task_body, &id);
	srv_read(s, &w, 2000);
}

Test(rpc, a_write_waits_for_server_info_and_session_auth, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	struct rpc_params p = {1, pack_code, "2021-2025"};

	fake_start(&f, serve_auth_write);
	client(&r, &f);
	r.token = TOKEN_A;
	cr_assert_eq(rpc_call(&r, "term.create", &p, &res, &err), RPC_STATUS_OK, "%s", err.message);
	cr_assert_eq(r.writes, 2);
	rpc_close(&r);
	fake_finish(&f);
}

/* A server without accounts answers session.auth with unknown_method: the
 * request is answered all the same. */
static void serve_no_accounts(struct srv *s)
{
	struct req info, auth, g;
	int64_t id = 12;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 150);
	FAIL_IF(!srv_read(s, &auth, 2000) || strcmp(auth.method, "session.auth") != 0, 151);
	FAIL_IF(!srv_read(s, &g, 2000) || strcmp(g.method, "task.get") != 0, 152);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	srv_error(s, auth.msgid, RPC_UNKNOWN_METHOD, "unknown method 'session.auth'");
	srv_result(s, g.msgid, task_body, &id);
	srv_read(s, &g, 2000);
}

Test(rpc, a_server_without_accounts_is_called_without_signing_in, .timeout = 10)
{
	struct fake f;
	struct rpc r;
	struct rpc_error err;
	const msgpack_object *res;
	int64_t id = 0;

	fake_start(&f, serve_no_accounts);
	client(&r, &f);
	r.token = TOKEN_A;
	cr_assert_eq(rpc_call(&r, "task.get", NULL, &res, &err), RPC_STATUS_OK, "%s", err.message);
	cr_assert(obj_int(obj_get(res, "id"), &id));
	cr_assert_eq(id, 12);
	cr_assert_str_eq(r.error_name, "");
	rpc_close(&r);
	fake_finish(&f);
}

/* ---- accounts: whole commands against a scripted server ---- */

/* What the scripted server answers to one method. */
struct answer {
	const char *method;
	void (*body)(msgpack_packer *, const void *); /* NULL: answer with error */
	int error;
	const char *message;
};

static const struct answer *script;  /* set before fork by each test */
static const char *want_token;       /* session.auth's token; NULL: none may come */
static bool no_more_after_auth_error; /* a refused sign-in must end the conversation */

static void serve_script(struct srv *s)
{
	struct req q;

	for (;;) {
		srv_accept(s);
		while (srv_read(s, &q, 2000)) {
			const struct answer *a = script;

			if (strcmp(q.method, "server.info") == 0) {
				srv_info(s, q.msgid, PROTOCOL_VERSION);
				continue;
			}
			if (strcmp(q.method, "session.auth") == 0) {
				FAIL_IF(!want_token, 110);
				FAIL_IF(strcmp(q.token, want_token) != 0, 111);
			}
			while (a && a->method && strcmp(a->method, q.method) != 0)
				a++;
			if ((!a || !a->method) && strcmp(q.method, "session.auth") == 0) {
				srv_result(s, q.msgid, identity_body, NULL);
				continue;
			}
			FAIL_IF(!a || !a->method, 112); /* a method the test did not expect */
			if (a->body) {
				srv_result(s, q.msgid, a->body, NULL);
				continue;
			}
			srv_error(s, q.msgid, a->error, a->message);
			if (strcmp(q.method, "session.auth") == 0 && no_more_after_auth_error) {
				struct req more;

				/* a pipelined read may be here already; a write must not be */
				while (srv_read(s, &more, 500))
					FAIL_IF(strcmp(more.method, "term.create") == 0, 113);
				break;
			}
		}
		srv_drop(s);
	}
}

static const char *test_xdg;  /* XDG_CONFIG_HOME for run_auth, NULL: none */
static const char *env_token; /* DOTPHA_TOKEN for run_auth, NULL: unset */

/* run_cli with the environment of these tests, and stdin from in_text. */
static void run_auth(struct run *r, const struct fake *f, const char *in_text, int argc,
		     const char **words)
{
	const char *argv[32];
	char server[32];
	size_t no, ne;
	FILE *out = open_memstream(&r->out, &no), *err = open_memstream(&r->err, &ne);
	FILE *in = fmemopen((void *)(in_text ? in_text : ""), in_text ? strlen(in_text) : 0, "r");

	snprintf(server, sizeof(server), "127.0.0.1:%d", f->port);
	argv[0] = "dotpha";
	argv[1] = "--server";
	argv[2] = server;
	for (int i = 0; i < argc; i++)
		argv[3 + i] = words[i];
	setenv("XDG_CONFIG_HOME", test_xdg ? test_xdg : "/nonexistent", 1);
	if (env_token)
		setenv("DOTPHA_TOKEN", env_token, 1);
	else
		unsetenv("DOTPHA_TOKEN");
	unsetenv("DOTPHA_SERVER");
	setenv("TZ", "UTC0", 1); /* dotpha shows Asia/Ho_Chi_Minh's time (no config) all the same */
	r->code = cli_run_io(argc + 3, (char **)argv, in, out, err);
	fclose(in);
	fclose(out);
	fclose(err);
}

#define RUN_AUTH(r, f, in, ...)                                                 \
	do {                                                                    \
		const char *w_[] = {__VA_ARGS__};                               \
		run_auth(r, f, in, (int)(sizeof(w_) / sizeof(w_[0])), w_);       \
	} while (0)

static void no_token_in(const struct run *r)
{
	cr_assert_null(strstr(r->out, "dp1_aaaa"), "the token was printed: %s", r->out);
	cr_assert_null(strstr(r->err, "dp1_aaaa"), "the token was printed: %s", r->err);
}

static const struct answer refuse_auth[] = {
	{"session.auth", NULL, RPC_UNAUTHENTICATED, "unauthenticated: the token is not valid"},
	{NULL, NULL, 0, NULL},
};

Test(cli_auth, a_refused_token_exits_7_with_the_servers_message_and_a_hint, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = refuse_auth;
	want_token = TOKEN_A;
	no_more_after_auth_error = true;
	env_token = TOKEN_A;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "task", "show", "12");
	cr_assert_eq(r.code, 7, "%s", r.err);
	cr_assert_str_eq(r.err, "dotpha: unauthenticated: the token is not valid (unauthenticated)"
			 " — token trong DOTPHA_TOKEN không được chấp nhận: chạy `dotpha login`"
			 " hoặc đặt DOTPHA_TOKEN\n");
	cr_assert_str_eq(r.out, "");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_auth, a_write_is_not_sent_after_a_refused_sign_in, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = refuse_auth;
	want_token = TOKEN_A;
	no_more_after_auth_error = true;
	env_token = TOKEN_A;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "term", "create", "2026", "--kind", "year", "--start", "1/1/2026",
		 "--end", "31/12/2026");
	cr_assert_eq(r.code, 7, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "chạy `dotpha login` hoặc đặt DOTPHA_TOKEN"), "%s", r.err);
	cr_assert_null(strstr(r.err, "request-id"), "%s", r.err); /* nothing was sent */
	cr_assert_str_eq(r.out, "");
	run_free(&r);
	fake_finish(&f);
}

static const struct answer refuse_unsigned[] = {
	{"term.list", NULL, RPC_UNAUTHENTICATED, "unauthenticated: sign in first"},
	{NULL, NULL, 0, NULL},
};

Test(cli_auth, without_a_token_unauthenticated_exits_7_with_the_hint, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = refuse_unsigned;
	want_token = NULL; /* no session.auth may come */
	env_token = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "term", "list");
	cr_assert_eq(r.code, 7, "%s", r.err);
	cr_assert_str_eq(r.err, "dotpha: unauthenticated: sign in first (unauthenticated) — chưa đăng"
			 " nhập: chạy `dotpha login` hoặc đặt DOTPHA_TOKEN\n");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_auth, server_info_needs_no_token_and_sends_none, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = NULL;
	want_token = NULL; /* a session.auth would fail the fake */
	env_token = TOKEN_A;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "server", "info");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "Máy chủ:"), "%s", r.out);
	run_free(&r);
	fake_finish(&f);
}

/* ---- the config file, for login and DOTPHA_TOKEN ---- */

static char xdg[256];

static void config_path_of(char *out, size_t n)
{
	snprintf(out, n, "%s/dotpha/config", xdg);
}

/* A fresh XDG_CONFIG_HOME; with text, dotpha/config holds it with mode. */
static void make_xdg(const char *text, mode_t mode)
{
	char path[512];
	FILE *f;

	snprintf(xdg, sizeof(xdg), "/tmp/dotpha-auth-XXXXXX");
	cr_assert_not_null(mkdtemp(xdg));
	test_xdg = xdg;
	if (!text)
		return;
	snprintf(path, sizeof(path), "%s/dotpha", xdg);
	cr_assert_eq(mkdir(path, 0700), 0);
	config_path_of(path, sizeof(path));
	f = fopen(path, "w");
	cr_assert_not_null(f);
	fputs(text, f);
	fclose(f);
	cr_assert_eq(chmod(path, mode), 0);
}

/* Removes the XDG directory and everything in it (two levels). */
static void remove_xdg(void)
{
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", xdg);
	cr_assert_eq(system(cmd), 0);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	FILE *m;
	int ch;

	if (!f)
		return NULL;
	m = open_memstream(&buf, &n);
	while ((ch = getc(f)) != EOF)
		putc(ch, m);
	fclose(m);
	fclose(f);
	return buf;
}

/* The names in dir other than . and .., joined by spaces. */
static char *names_in(const char *dir)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	DIR *d = opendir(dir);
	struct dirent *e;

	cr_assert_not_null(d, "%s", dir);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, ".."))
			fprintf(m, "%s ", e->d_name);
	closedir(d);
	fclose(m);
	return buf;
}

static const struct answer whoami_script[] = {
	{"session.whoami", identity_body, 0, NULL},
	{NULL, NULL, 0, NULL},
};

Test(cli_auth, dotpha_token_beats_the_token_in_the_config_file, .timeout = 10)
{
	struct fake f;
	struct run r;

	make_xdg("token = " TOKEN_C "\n", 0600);
	script = whoami_script;
	want_token = TOKEN_A; /* the fake fails on the file's token */
	env_token = TOKEN_A;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "whoami");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "Tên đăng nhập:  nva\n"
			 "Họ và tên:      Nguyễn Văn An\n"
			 "Vai trò:        Văn phòng\n"
			 "Phạm vi:        Huyện Sơn Dương (H-SD)\n"
			 "Token:          máy văn phòng\n");
	cr_assert_str_eq(r.err, "");
	run_free(&r);
	/* without DOTPHA_TOKEN the file's token is the one sent */
	env_token = NULL;
	want_token = TOKEN_C;
	fake_finish(&f);
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "whoami");
	cr_assert_eq(r.code, 0, "%s", r.err);
	run_free(&r);
	fake_finish(&f);
	remove_xdg();
}

Test(cli_auth, a_config_file_others_can_read_is_refused_before_any_connection, .timeout = 10)
{
	struct fake f;
	struct run r;
	char path[512], want[1200];

	make_xdg("server = x.example:1\ntoken = " TOKEN_C "\n", 0640);
	script = NULL;
	want_token = NULL;
	env_token = NULL;
	f.port = 9; /* nothing is started: the refusal comes first */
	f.pid = 0;
	RUN_AUTH(&r, &f, NULL, "task", "list");
	config_path_of(path, sizeof(path));
	snprintf(want, sizeof(want), "dotpha: %s: người dùng khác đọc được; chạy `chmod 600 %s`\n",
		 path, path);
	cr_assert_eq(r.code, 2);
	cr_assert_str_eq(r.err, want);
	cr_assert_str_eq(r.out, "");
	run_free(&r);
	remove_xdg();
}

static const struct answer login_script[] = {
	{NULL, NULL, 0, NULL}, /* session.auth: identity_body */
};

Test(cli_auth, login_saves_server_and_token_in_a_new_0600_file_keeping_other_lines, .timeout = 10)
{
	struct fake f;
	struct run r;
	struct stat before, after;
	char path[512], dir[512], want[1200], *text, *names;

	make_xdg("# my settings\nserver = old.example:1\ntimeout = 45\ntoken = " TOKEN_C "\n"
		 "token = " TOKEN_B "\n", 0644);
	config_path_of(path, sizeof(path));
	cr_assert_eq(stat(path, &before), 0);
	script = login_script;
	want_token = TOKEN_A;
	env_token = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "login", "--token", TOKEN_A);
	cr_assert_eq(r.code, 0, "%s", r.err);
	snprintf(want, sizeof(want), "Đã đăng nhập: Nguyễn Văn An (nva, Văn phòng) tại 127.0.0.1:%d;"
		 " lưu vào %s\n", f.port, path);
	cr_assert_str_eq(r.out, want);
	cr_assert_str_eq(r.err, "");
	no_token_in(&r);
	run_free(&r);
	fake_finish(&f);

	text = slurp(path);
	snprintf(want, sizeof(want), "# my settings\nserver = 127.0.0.1:%d\ntimeout = 45\ntoken = "
		 TOKEN_A "\n", f.port);
	cr_assert_str_eq(text, want);
	free(text);
	cr_assert_eq(stat(path, &after), 0);
	cr_assert_eq(after.st_mode & 0777, 0600, "mode %o", after.st_mode & 0777);
	/* replaced by a rename, not rewritten in place, and no temporary left */
	cr_assert_neq(after.st_ino, before.st_ino);
	snprintf(dir, sizeof(dir), "%s/dotpha", xdg);
	names = names_in(dir);
	cr_assert_str_eq(names, "config ");
	free(names);
	remove_xdg();
}

Test(cli_auth, login_reads_the_token_from_stdin_and_creates_the_directory_0700, .timeout = 10)
{
	struct fake f;
	struct run r;
	struct stat st;
	char path[512], dir[512], want[400], *text;

	make_xdg(NULL, 0);
	script = login_script;
	want_token = TOKEN_A;
	env_token = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, "  " TOKEN_A " \r\n", "login");
	cr_assert_eq(r.code, 0, "%s", r.err);
	no_token_in(&r);
	run_free(&r);
	fake_finish(&f);
	snprintf(dir, sizeof(dir), "%s/dotpha", xdg);
	cr_assert_eq(stat(dir, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0700, "mode %o", st.st_mode & 0777);
	config_path_of(path, sizeof(path));
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	text = slurp(path);
	snprintf(want, sizeof(want), "server = 127.0.0.1:%d\ntoken = " TOKEN_A "\n", f.port);
	cr_assert_str_eq(text, want);
	free(text);
	remove_xdg();
}

Test(cli_auth, login_with_a_refused_token_leaves_the_file_alone, .timeout = 10)
{
	struct fake f;
	struct run r;
	char path[512], *text;

	make_xdg("token = " TOKEN_C "\n", 0600);
	script = refuse_auth;
	want_token = TOKEN_A;
	no_more_after_auth_error = false;
	env_token = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, TOKEN_A "\n", "login");
	cr_assert_eq(r.code, 7, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "token không được chấp nhận"), "%s", r.err);
	no_token_in(&r);
	run_free(&r);
	fake_finish(&f);
	config_path_of(path, sizeof(path));
	text = slurp(path);
	cr_assert_str_eq(text, "token = " TOKEN_C "\n");
	free(text);
	remove_xdg();
}

Test(cli_auth, login_refuses_what_is_not_a_token_without_calling_the_server, .timeout = 10)
{
	struct fake f = {0, 9};
	struct run r;

	make_xdg(NULL, 0);
	env_token = NULL;
	RUN_AUTH(&r, &f, "password123\n", "login");
	cr_assert_eq(r.code, 2, "%s", r.err);
	cr_assert_str_eq(r.err, "dotpha: đó không phải token dotpha (dp1_ và 64 chữ số hex)\n");
	run_free(&r);
	RUN_AUTH(&r, &f, "", "login");
	cr_assert_eq(r.code, 2, "%s", r.err);
	cr_assert_not_null(strstr(r.err, "chưa có token"), "%s", r.err);
	run_free(&r);
	remove_xdg();
}

Test(cli_auth, logout_removes_only_the_token_lines, .timeout = 10)
{
	struct fake f = {0, 9};
	struct run r;
	struct stat st;
	char path[512], want[800], *text;

	make_xdg("server = a.example:7878 # office\n\ntoken = " TOKEN_C "\ntimeout = 9", 0600);
	env_token = NULL;
	RUN_AUTH(&r, &f, NULL, "logout");
	cr_assert_eq(r.code, 0, "%s", r.err);
	config_path_of(path, sizeof(path));
	snprintf(want, sizeof(want), "Đã đăng xuất: đã xóa token khỏi %s.\n", path);
	cr_assert(strncmp(r.out, want, strlen(want)) == 0, "%s", r.out);
	run_free(&r);
	text = slurp(path);
	cr_assert_str_eq(text, "server = a.example:7878 # office\n\ntimeout = 9\n");
	free(text);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600);
	RUN_AUTH(&r, &f, NULL, "logout");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_not_null(strstr(r.out, "Không có token nào"), "%s", r.out);
	run_free(&r);
	remove_xdg();
}

/* ---- accounts: what the new commands print ---- */

static void token_made_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 5);
	pack_kv_int(pk, "id", 9);
	pack_kv_int(pk, "account_id", 2);
	pack_kv_str(pk, "name", "máy văn phòng");
	pack_kv_str(pk, "created_at", "2025-03-01T02:30:00Z");
	pack_kv_str(pk, "token", TOKEN_B);
}

static const struct answer token_script[] = {
	{"token.create", token_made_body, 0, NULL},
	{NULL, NULL, 0, NULL},
};

Test(cli_accounts, token_create_prints_the_token_once_on_its_own_line, .timeout = 10)
{
	struct fake f;
	struct run r;
	const char *at;

	script = token_script;
	want_token = TOKEN_A;
	env_token = TOKEN_A;
	test_xdg = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "token", "create", "nva", "máy văn phòng");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "ID:            9\n"
			 "Tên:           máy văn phòng\n"
			 "ID tài khoản:  2\n"
			 "Tạo lúc:       01/03/2025 09:30\n"
			 "\n"
			 "Token (chỉ hiển thị một lần): " TOKEN_B "\n");
	at = strstr(r.out, TOKEN_B);
	cr_assert_null(strstr(at + 1, TOKEN_B)); /* once */
	cr_assert_str_eq(r.err, "");
	run_free(&r);
	RUN_AUTH(&r, &f, NULL, "--json", "token", "create", "nva", "máy văn phòng");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "{\"id\":9,\"account_id\":2,\"name\":\"máy văn phòng\","
			 "\"created_at\":\"2025-03-01T02:30:00Z\",\"token\":\"" TOKEN_B "\"}\n");
	run_free(&r);
	fake_finish(&f);
}

/* One audit entry: who, when, from where, what, the values around it. */
static void entry(msgpack_packer *pk, int64_t id, const char *at, const char *method,
		  const char *type, int64_t object, void (*before)(msgpack_packer *),
		  void (*after)(msgpack_packer *), bool with_name)
{
	msgpack_pack_map(pk, with_name ? 12 : 11);
	pack_kv_int(pk, "id", id);
	pack_kv_str(pk, "at", at);
	pack_kv_int(pk, "account_id", 2);
	pack_kv_str(pk, "account_login", "nva");
	pack_kv_str(pk, "token_name", "máy văn phòng");
	pack_kv_str(pk, "address", "10.0.0.5");
	pack_kv_str(pk, "method", method);
	pack_kv_str(pk, "object_type", type);
	pack_kv_int(pk, "object_id", object);
	pack_str(pk, "before");
	if (before)
		before(pk);
	else
		msgpack_pack_nil(pk);
	pack_str(pk, "after");
	after(pk);
	if (with_name)
		pack_kv_str(pk, "display_name", "Nguyễn Văn An");
}

static void task_new(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 4);
	pack_kv_int(pk, "id", 12);
	pack_kv_str(pk, "title", "Làm đường");
	pack_kv_int(pk, "percent", 0);
	pack_kv_str(pk, "due_date", "2025-06-30");
}

static void task_later(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 4);
	pack_kv_int(pk, "id", 12);
	pack_kv_str(pk, "title", "Làm đường");
	pack_kv_int(pk, "percent", 0);
	pack_kv_str(pk, "due_date", "2025-12-31");
}

static void update_new(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 3);
	pack_kv_int(pk, "id", 3);
	pack_kv_int(pk, "percent", 60);
	pack_kv_str(pk, "done", "Xong bước 1");
}

static void audit_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 3);
	pack_str(pk, "items");
	msgpack_pack_array(pk, 2);
	entry(pk, 7, "2025-03-01T02:30:05Z", "task.create", "task", 12, NULL, task_new, false);
	entry(pk, 8, "2025-03-02T09:15:00Z", "task.update", "task", 12, task_new, task_later, false);
	pack_kv_nil(pk, "next");
	pack_kv_int(pk, "total", 2);
}

static void history_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 3);
	pack_str(pk, "items");
	msgpack_pack_array(pk, 4);
	entry(pk, 7, "2025-03-01T02:30:05Z", "task.create", "task", 12, NULL, task_new, true);
	entry(pk, 8, "2025-03-02T09:15:00Z", "task.update", "task", 12, task_new, task_later, true);
	entry(pk, 9, "2025-03-03T10:00:00Z", "update.create", "update", 3, NULL, update_new, true);
	entry(pk, 10, "2025-03-04T10:00:00Z", "task.approve", "task", 12, task_later, task_later, true);
	pack_kv_nil(pk, "next");
	pack_kv_int(pk, "total", 4);
}

static void verify_broken_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 4);
	pack_kv_bool(pk, "ok", 0);
	pack_kv_int(pk, "entries", 120);
	pack_kv_int(pk, "first_broken", 57);
	pack_kv_str(pk, "problem", "hash mismatch");
}

static const struct answer audit_script[] = {
	{"audit.list", audit_body, 0, NULL},
	{"task.history", history_body, 0, NULL},
	{"audit.verify", verify_broken_body, 0, NULL},
	{NULL, NULL, 0, NULL},
};

Test(cli_accounts, audit_shows_who_when_where_what_and_the_change, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = audit_script;
	want_token = TOKEN_A;
	env_token = TOKEN_A;
	test_xdg = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "audit", "--task", "12");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "ID  Lúc                  Tài khoản  Token          Địa chỉ   Thao tác     Đối tượng  Thay đổi\n"
			 " 7  01/03/2025 09:30:05  nva        máy văn phòng  10.0.0.5  task.create  task #12   Tên việc: Làm đường; Tiến độ: 0; Hạn: 30/06/2025\n"
			 " 8  02/03/2025 16:15:00  nva        máy văn phòng  10.0.0.5  task.update  task #12   Hạn: 30/06/2025 → 31/12/2025\n"
			 "2 bản ghi\n");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_accounts, history_tells_the_story_with_names_and_vietnamese_steps, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = audit_script;
	want_token = TOKEN_A;
	env_token = TOKEN_A;
	test_xdg = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "history", "12");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "Lúc                  Người thực hiện      Nội dung         Thay đổi\n"
			 "01/03/2025 09:30:05  Nguyễn Văn An (nva)  Đăng ký việc     Tên việc: Làm đường; Tiến độ: 0; Hạn: 30/06/2025\n"
			 "02/03/2025 16:15:00  Nguyễn Văn An (nva)  Sửa việc         Hạn: 30/06/2025 → 31/12/2025\n"
			 "03/03/2025 17:00:00  Nguyễn Văn An (nva)  Báo cáo tiến độ  Tiến độ: 60; Hoàn thành: Xong bước 1\n"
			 "04/03/2025 17:00:00  Nguyễn Văn An (nva)  task.approve\n"
			 "4 sự kiện\n");
	run_free(&r);
	fake_finish(&f);
}

Test(cli_accounts, a_broken_audit_trail_exits_1, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = audit_script;
	want_token = TOKEN_A;
	env_token = TOKEN_A;
	test_xdg = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "audit", "verify");
	cr_assert_eq(r.code, 1, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "Toàn vẹn:               không\n"
			 "Số bản ghi đã kiểm:     120\n"
			 "Bản ghi hỏng đầu tiên:  57\n"
			 "Vấn đề:                 hash mismatch\n");
	cr_assert_str_eq(r.err, "dotpha: nhật ký thay đổi bị hỏng từ bản ghi #57: hash mismatch\n");
	run_free(&r);
	fake_finish(&f);
}

static void account_with_tokens_body(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_map(pk, 7);
	pack_kv_int(pk, "id", 1);
	pack_kv_str(pk, "login", "admin");
	pack_kv_str(pk, "display_name", "Văn phòng Tỉnh uỷ");
	pack_kv_str(pk, "role", "admin");
	pack_kv_nil(pk, "scope_unit_code");
	pack_kv_bool(pk, "active", 1);
	pack_str(pk, "tokens");
	msgpack_pack_array(pk, 1);
	msgpack_pack_map(pk, 5);
	pack_kv_int(pk, "id", 1);
	pack_kv_str(pk, "name", "first start");
	pack_kv_str(pk, "created_at", "2025-03-01T02:30:00Z");
	pack_kv_nil(pk, "last_used_at");
	pack_kv_nil(pk, "revoked_at");
}

static const struct answer account_script[] = {
	{"account.get", account_with_tokens_body, 0, NULL},
	{NULL, NULL, 0, NULL},
};

Test(cli_accounts, account_show_lists_even_a_single_token, .timeout = 10)
{
	struct fake f;
	struct run r;

	script = account_script;
	want_token = TOKEN_A;
	env_token = TOKEN_A;
	test_xdg = NULL;
	fake_start(&f, serve_script);
	RUN_AUTH(&r, &f, NULL, "account", "show", "admin");
	cr_assert_eq(r.code, 0, "%s", r.err);
	cr_assert_str_eq(r.out,
			 "ID:              1\n"
			 "Tên đăng nhập:   admin\n"
			 "Họ và tên:       Văn phòng Tỉnh uỷ\n"
			 "Vai trò:         Quản trị\n"
			 "Phạm vi:         toàn bộ\n"
			 "Đang hoạt động:  có\n"
			 "\n"
			 "Token:\n"
			 "ID  Tên          Tạo lúc           Dùng lần cuối  Thu hồi lúc\n"
			 " 1  first start  01/03/2025 09:30\n");
	run_free(&r);
	fake_finish(&f);
}
