/*
 * test_client_rpc.c: client/rpc.c and whole commands against a scripted
 * server in a child process: server.info pipelined with the first read,
 * asked before a write, the protocol check, request_id on writes and the
 * same one on a retry after a dropped connection, errors mapped to exit
 * codes, paging and the summary line.
 *
 * The child checks what it receives and exits with a distinct code at the
 * first surprise; the parent kills it when the client is done and fails if
 * it had exited with a code.
 */
#include <criterion/criterion.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
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

/* Reads the next request within ms; returns false on EOF or timeout. */
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
	snprintf(want, sizeof(want), "this dotpha speaks protocol 1 but the server at 127.0.0.1:%d "
		 "speaks 2; install a matching dotpha", f.port);
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
	cr_assert_not_null(strstr(err.message, "cannot connect to 127.0.0.1:"), "%s", err.message);
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
	setenv("TZ", "UTC0", 1);
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
			 "ID  Tên việc  Loại  Lĩnh vực  Chủ trì  Đơn vị  Kỳ  Hạn  %  Quá hạn\n"
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
			 "ID  Báo cáo lúc  %  Kết quả  Khó khăn  Đề xuất\n"
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
	cr_assert_not_null(strstr(r.err, "retrying (1 of 2)"), "%s", r.err);
	cr_assert_not_null(strstr(r.err, "the update.create request was sent but its answer was lost"), "%s", r.err);
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
	cr_assert_not_null(strstr(err.message, "no answer for 1 s"), "%s", err.message);
	rpc_close(&r);
	fake_finish(&f);
}

static void serve_busy(struct srv *s)
{
	struct req info, q;

	srv_accept(s);
	FAIL_IF(!srv_read(s, &info, 2000), 100);
	srv_info(s, info.msgid, PROTOCOL_VERSION);
	FAIL_IF(!srv_read(s, &q, 2000), 101);
	srv_error(s, q.msgid, RPC_BUSY, "database is locked");
	srv_read(s, &q, 2000);
}

Test(cli_rpc, busy_exits_1_with_a_hint, .timeout = 10)
{
	struct fake f;
	struct run r;

	fake_start(&f, serve_busy);
	RUN(&r, &f, "term", "create", "2026", "--kind", "year", "--start", "1/1/2026", "--end", "31/12/2026");
	cr_assert_eq(r.code, 1);
	cr_assert_str_eq(r.err, "dotpha: database is locked (busy) — the database is busy and nothing "
			 "was written; try again in a moment\n");
	run_free(&r);
	fake_finish(&f);
}
