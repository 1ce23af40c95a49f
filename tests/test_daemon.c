/*
 * test_daemon.c: the real dotphad on an ephemeral loopback port, driven
 * with raw MessagePack-RPC: pipelining, hostile input, vanished clients,
 * the connection limit, and graceful shutdown with requests in flight.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <dirent.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <errno.h>

#include "date.h"
#include "errors.h"
#include "helpers.h"
#include "message.h"
#include "obj.h"
#include "pack.h"

/* server.h SERVER_ADMIN_RESERVE: connections kept past the limit for an admin. */
#define SERVER_RESERVE 8

static struct daemon d;

static void start(void)
{
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
}

static void stop(void)
{
	daemon_cleanup(&d);
}

/* Packs {"code": code, "name": name, "level": "huyện"} for unit.create. */
static void unit_params(msgpack_sbuffer *sb, const char *code, const char *name)
{
	msgpack_packer pk;

	msgpack_sbuffer_clear(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 3);
	pack_kv_str(&pk, "code", code);
	pack_kv_str(&pk, "name", name);
	pack_kv_str(&pk, "level", "huyện");
}

/* Reads one response; returns its error code (RPC_OK when the result is
 * set) and checks the msgid. */
static int expect_reply(int fd, msgpack_unpacker *up, uint32_t msgid, msgpack_unpacked *u)
{
	struct rpc_error err;
	const msgpack_object *a;

	cr_assert_eq(raw_recv(fd, up, u, 10000), 1, "no reply for msgid %u", msgid);
	cr_assert_eq(u->data.type, MSGPACK_OBJECT_ARRAY);
	a = u->data.via.array.ptr;
	cr_assert_eq(u->data.via.array.size, 4);
	cr_assert_eq(a[0].via.u64, 1);
	cr_assert_eq(a[1].via.u64, msgid);
	if (a[2].type == MSGPACK_OBJECT_NIL)
		return RPC_OK;
	return errors_unpack(&a[2], &err);
}

static long rss_kib(pid_t pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	if (!(f = fopen(path, "r")))
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	fclose(f);
	return kib;
}

/* True if the peer closed fd within ms milliseconds (reads past any data). */
static bool closed_within(int fd, int ms)
{
	char buf[4096];
	struct timeval tv = {.tv_sec = ms / 1000, .tv_usec = (ms % 1000) * 1000};

	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0)
			return true;
		if (n < 0)
			return errno == ECONNRESET;
	}
}

/* A connection signed in as the first admin. */
static int connect_signed_in(void)
{
	int fd = raw_connect(d.port);

	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0, "session.auth with the bootstrap token failed");
	return fd;
}

TestSuite(daemon, .init = start, .fini = stop, .timeout = 60);

Test(daemon, answers_pipelined_requests_in_order)
{
	int fd = raw_connect(d.port);
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_sbuffer all;
	msgpack_packer pk;

	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0); /* unknown_method: signed in only (PROTOCOL.md 2) */
	msgpack_sbuffer_init(&all);
	msgpack_packer_init(&pk, &all, msgpack_sbuffer_write);
	for (uint32_t i = 1; i <= 1000; i++) {
		msgpack_pack_array(&pk, 4);
		msgpack_pack_uint8(&pk, 0);
		msgpack_pack_uint32(&pk, i);
		pack_str(&pk, i % 2 ? "server.info" : "no.such");
		msgpack_pack_array(&pk, 0);
	}
	cr_assert_eq(raw_send(fd, all.data, all.size), 0);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 1; i <= 1000; i++)
		cr_assert_eq(expect_reply(fd, &up, i, &u), i % 2 ? RPC_OK : RPC_UNKNOWN_METHOD);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&all);
	close(fd);
}

/* ==== group commit (server/rpc/group.h) ==== */

/* Appends the request [0, msgid, method, [params]] to all. */
static void append_request(msgpack_sbuffer *all, uint32_t msgid, const char *method,
			   const msgpack_sbuffer *params)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, all, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_uint8(&pk, 0);
	msgpack_pack_uint32(&pk, msgid);
	pack_str(&pk, method);
	msgpack_pack_array(&pk, 1);
	if (params)
		msgpack_sbuffer_write(all, params->data, params->size);
	else
		msgpack_pack_map(&pk, 0);
}

/* The daemon's counts from the line it logs when it stops: writes, the
 * COMMITs that carried them, and the checkpoints run off the loop and on
 * it. */
struct stop_counts {
	long long writes, commits, off_loop, on_loop;
};

static struct stop_counts stop_counts(void)
{
	char *log = helpers_read_file(d.log);
	const char *at = log ? strstr(log, "group commit: ") : NULL;
	struct stop_counts n = {-1, -1, -1, -1};

	cr_assert_not_null(at, "no group commit line in the log");
	cr_assert_eq(sscanf(at,
			    "group commit: %lld writes in %lld transactions; checkpoints: %lld off "
			    "the loop, %lld on it",
			    &n.writes, &n.commits, &n.off_loop, &n.on_loop),
		     4, "%.200s", at);
	free(log);
	return n;
}

/* 100 writes sent in one go arrive in one turn of the loop: they share one
 * COMMIT, each is answered OK in order, and a read sent behind them on the
 * same connection sees them all (it commits the group before it reads). */
Test(daemon, writes_of_one_turn_share_a_commit_and_a_read_behind_them_sees_them)
{
	enum { N = 100 };
	int fd = connect_signed_in();
	msgpack_sbuffer all, sb;
	msgpack_unpacker up;
	msgpack_unpacked u;
	const msgpack_object *total;
	struct stop_counts counts;
	int64_t n = -1;

	msgpack_sbuffer_init(&all);
	msgpack_sbuffer_init(&sb);
	for (uint32_t i = 1; i <= N; i++) {
		char code[16];

		snprintf(code, sizeof(code), "G%03u", i);
		unit_params(&sb, code, "Huyện nhóm");
		append_request(&all, i, "unit.create", &sb);
	}
	append_request(&all, N + 1, "unit.list", NULL);
	cr_assert_eq(raw_send(fd, all.data, all.size), 0);
	msgpack_unpacker_init(&up, 1 << 20);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 1; i <= N; i++)
		cr_assert_eq(expect_reply(fd, &up, i, &u), RPC_OK, "write %u", i);
	cr_assert_eq(expect_reply(fd, &up, N + 1, &u), RPC_OK);
	total = obj_get(&u.data.via.array.ptr[3], "total");
	cr_assert(obj_int(total, &n));
	cr_assert_eq(n, N, "the read behind the writes saw %lld units, not %d", (long long)n, N);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
	msgpack_sbuffer_destroy(&all);
	close(fd);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0);
	counts = stop_counts();
	printf("group commit: %d writes sent in one go; the daemon counted %lld grouped writes "
	       "in %lld COMMITs\n",
	       N, counts.writes, counts.commits);
	cr_assert_geq(counts.writes, N);
	cr_assert_leq(counts.commits, counts.writes - N + 5,
		      "the %d writes did not share their COMMITs", N);
}

/* A signed-in connection that creates units one at a time, each answered
 * before the next is sent (so each is its own COMMIT). */
struct unit_writer {
	int fd;
	uint32_t n;              /* units written */
	msgpack_sbuffer all, sb;
	msgpack_unpacker up;
	msgpack_unpacked u;
};

static void writer_open(struct unit_writer *w)
{
	w->fd = connect_signed_in();
	w->n = 0;
	msgpack_sbuffer_init(&w->all);
	msgpack_sbuffer_init(&w->sb);
	msgpack_unpacker_init(&w->up, 1 << 20);
	msgpack_unpacked_init(&w->u);
}

static void writer_write(struct unit_writer *w)
{
	char code[16];
	uint32_t i = ++w->n;

	snprintf(code, sizeof(code), "W%05u", i);
	msgpack_sbuffer_clear(&w->sb);
	msgpack_sbuffer_clear(&w->all);
	unit_params(&w->sb, code, "Đơn vị ghi lần lượt, mỗi lần một giao dịch");
	append_request(&w->all, i, "unit.create", &w->sb);
	cr_assert_eq(raw_send(w->fd, w->all.data, w->all.size), 0);
	cr_assert_eq(expect_reply(w->fd, &w->up, i, &w->u), RPC_OK, "write %u", i);
}

static void writer_close(struct unit_writer *w)
{
	msgpack_unpacked_destroy(&w->u);
	msgpack_unpacker_destroy(&w->up);
	msgpack_sbuffer_destroy(&w->sb);
	msgpack_sbuffer_destroy(&w->all);
	close(w->fd);
}

/* The size of the daemon's WAL file, 0 when there is none. */
static off_t wal_size(void)
{
	char wal[320];
	struct stat st;

	snprintf(wal, sizeof(wal), "%s-wal", d.db);
	return stat(wal, &st) == 0 ? st.st_size : 0;
}

/* Writes answered one by one, each its own COMMIT: the WAL is checkpointed
 * on the thread pool and the file stays bounded (4,000 pages, then the
 * writer catches up and it starts over; without checkpoints 1,500 unit
 * writes would make it about 50 MB), and the last connection to close
 * removes it. */
Test(daemon, checkpoints_run_off_the_loop_and_the_wal_stays_bounded)
{
	enum { N = 1500 };
	struct unit_writer w;
	struct stop_counts counts;
	off_t biggest = 0;

	writer_open(&w);
	while (w.n < N) {
		writer_write(&w);
		if (w.n % 100 == 0 && wal_size() > biggest)
			biggest = wal_size();
	}
	writer_close(&w);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0);
	counts = stop_counts();
	printf("checkpoints: %d writes, one COMMIT each: %lld checkpoints off the loop, %lld on "
	       "it; the WAL file at most %.1f MB\n",
	       N, counts.off_loop, counts.on_loop, (double)biggest / 1e6);
	cr_assert_gt(counts.off_loop, 0, "no checkpoint ran on the thread pool");
	cr_assert_gt(biggest, 0, "the WAL was never seen");
	cr_assert_lt(biggest, 24 * 1000 * 1000, "the WAL grew to %lld bytes", (long long)biggest);
	cr_assert_eq(wal_size(), 0, "the WAL is still there after the daemon stopped");
}

/* A long read (another process here; a national report in the daemon)
 * pins its snapshot, so no checkpoint can finish and writes grow the WAL
 * file past 64 MiB.  Once the read ends, the WAL starts over and the file
 * is cut back to 64 MiB (journal_size_limit), not left at its peak. */
Test(daemon, a_wal_grown_behind_a_long_read_is_cut_back_once_it_starts_over)
{
	const off_t limit = 64 << 20;
	struct unit_writer w;
	sqlite3 *rd = NULL;
	off_t peak, after;

	cr_assert_eq(sqlite3_open_v2(d.db, &rd, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(rd, "BEGIN; SELECT count(*) FROM units;", NULL, NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(rd));
	writer_open(&w);
	while (wal_size() < limit + (8 << 20) && w.n < 20000)
		writer_write(&w);
	peak = wal_size();
	cr_assert_gt(peak, limit, "the WAL did not grow behind the read: %lld bytes",
		     (long long)peak);
	sqlite3_exec(rd, "COMMIT", NULL, NULL, NULL);
	sqlite3_close(rd);
	for (uint32_t more = 0; more < 200 && wal_size() > limit; more++)
		writer_write(&w);
	after = wal_size();
	writer_close(&w);
	printf("checkpoints: behind a long read the WAL grew to %.1f MB in %u writes; after the "
	       "read, %.1f MB\n",
	       (double)peak / 1e6, w.n, (double)after / 1e6);
	cr_assert_leq(after, limit, "the WAL file stayed at %lld bytes", (long long)after);
}

/* An upgrade is announced before it runs (a migration can take minutes on
 * a national database, with nothing listening), and one that fails stops
 * the daemon with the reason.  The file here claims schema 13 but has none
 * of its tables, so migration 14 fails. */
Test(daemon, a_schema_upgrade_is_announced_before_it_runs_and_a_failed_one_says_why)
{
	char wal[320], *log;
	sqlite3 *conn;

	cr_assert_eq(daemon_stop(&d), 0);
	unlink(d.db);
	snprintf(wal, sizeof(wal), "%s-wal", d.db);
	unlink(wal);
	cr_assert_eq(sqlite3_open(d.db, &conn), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn, "PRAGMA user_version = 13", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);
	cr_assert_neq(daemon_start(&d, NULL), 0, "dotphad started on a broken version 13");
	log = helpers_read_file(d.log);
	cr_assert_not_null(log);
	cr_expect(strstr(log, "upgrading its schema from version 13 to "), "%s", log);
	cr_expect(strstr(log, "no such index"), "%s", log);
	free(log);
}

/* A hostile header: error reply naming the msgid, closed within a second,
 * memory flat, other clients unaffected. */
static void hostile(const unsigned char *bytes, size_t len, int code, const char *what)
{
	int fd = raw_connect(d.port), fd2;
	msgpack_unpacker up;
	msgpack_unpacked u;
	long before = rss_kib(d.pid), after;

	cr_assert(fd >= 0);
	cr_assert_eq(raw_send(fd, bytes, len), 0);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	cr_assert_eq(expect_reply(fd, &up, 77, &u), code, "%s", what);
	cr_assert(closed_within(fd, 1500), "%s: connection not closed", what);
	after = rss_kib(d.pid);
	printf("%s: error %s, closed; daemon RSS %ld KiB -> %ld KiB\n", what, errors_name(code),
	       before, after);
	cr_assert_lt(after - before, 1024, "%s: RSS grew by %ld KiB", what, after - before);
	close(fd);

	fd2 = raw_connect(d.port);
	cr_assert(fd2 >= 0);
	raw_request(fd2, 1, "server.info", NULL, 0);
	cr_assert_eq(expect_reply(fd2, &up, 1, &u), RPC_OK, "%s: the daemon stopped serving", what);
	close(fd2);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

Test(daemon, refuses_a_declared_4_GiB_string_from_its_header)
{
	/* [0, 77, "unit.create", [{"name": <str32 of 4 GiB - 1> ... */
	const unsigned char bytes[] = {0x94, 0x00, 0x4d, 0xab, 'u', 'n', 'i', 't', '.', 'c', 'r',
				       'e', 'a', 't', 'e', 0x91, 0x81, 0xa4, 'n', 'a', 'm', 'e',
				       0xdb, 0xff, 0xff, 0xff, 0xff, 'a', 'b', 'c'};

	hostile(bytes, sizeof(bytes), RPC_TOO_LARGE, "str32 of 4 GiB");
}

Test(daemon, refuses_declared_huge_binary_array_and_map)
{
	unsigned char bytes[] = {0x94, 0x00, 0x4d, 0xa1, 'x', 0x91, 0x81, 0xa1, 'v',
				 0xc6, 0xff, 0xff, 0xff, 0xff};

	hostile(bytes, sizeof(bytes), RPC_TOO_LARGE, "bin32 of 4 GiB");
	bytes[9] = 0xdd;
	hostile(bytes, sizeof(bytes), RPC_TOO_LARGE, "array32 of 4G items");
	bytes[9] = 0xdf;
	hostile(bytes, sizeof(bytes), RPC_TOO_LARGE, "map32 of 4G pairs");
}

Test(daemon, refuses_deep_nesting)
{
	size_t depth = 100000;
	unsigned char *bytes = malloc(depth + 8);
	const unsigned char head[] = {0x94, 0x00, 0x4d, 0xa1, 'x'};

	memcpy(bytes, head, sizeof(head));
	memset(bytes + sizeof(head), 0x91, depth);
	hostile(bytes, sizeof(head) + 33, RPC_TOO_DEEP, "33 levels");
	hostile(bytes, sizeof(head) + depth, RPC_TOO_DEEP, "100,000 levels");
	free(bytes);
}

Test(daemon, survives_clients_that_vanish_mid_message)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_sbuffer sb;
	int fd;

	msgpack_sbuffer_init(&sb);
	unit_params(&sb, "H-X", "Huyện X");
	for (int i = 0; i < 20; i++) {
		fd = raw_connect(d.port);
		cr_assert(fd >= 0);
		raw_send(fd, "\x94\x00\x01\xabunit.create\x91", 15);
		raw_send(fd, sb.data, (size_t)i % sb.size);
		close(fd);
	}
	fd = connect_signed_in();
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	raw_request(fd, 9, "unit.list", NULL, 0);
	cr_assert_eq(expect_reply(fd, &up, 9, &u), RPC_OK);
	cr_assert_eq(obj_get(&u.data.via.array.ptr[3], "total")->via.u64, 0,
		     "a half-sent request was applied");
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
}

Test(daemon, a_retried_request_id_is_applied_once)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int fd = connect_signed_in();

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	pack_kv_str(&pk, "code", "H-R");
	pack_kv_str(&pk, "name", "Huyện R");
	pack_kv_str(&pk, "level", "huyện");
	pack_kv_str(&pk, "request_id", "retry-0001");
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 1; i <= 3; i++) {
		raw_request(fd, i, "unit.create", sb.data, sb.size);
		cr_assert_eq(expect_reply(fd, &up, i, &u), RPC_OK, "try %u", i);
		cr_assert_eq(obj_get(&u.data.via.array.ptr[3], "id")->via.u64, 1);
	}
	raw_request(fd, 4, "unit.list", NULL, 0);
	cr_assert_eq(expect_reply(fd, &up, 4, &u), RPC_OK);
	cr_assert_eq(obj_get(&u.data.via.array.ptr[3], "total")->via.u64, 1);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
}

/* Restarts the daemon with its clock `days` days ahead, then sends the
 * same unit.create with request_id "keep-0001" as msgid 1; its error code. */
static int retry_after(int days, msgpack_sbuffer *sb)
{
	char moment[32], arg[32];
	const char *const extra[] = {"--clock", arg, "--keep-requests", "30", NULL};
	time_t t = time(NULL) + (time_t)days * 86400;
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd, rc;

	strftime(moment, sizeof(moment), "%Y-%m-%dT%H:%M:%S", localtime(&t));
	snprintf(arg, sizeof(arg), "%s", moment);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0);
	cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not restart (see %s)", d.log);
	fd = connect_signed_in();
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	raw_request(fd, 1, "unit.create", sb->data, sb->size);
	rc = expect_reply(fd, &up, 1, &u);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	return rc;
}

Test(daemon, stored_outcomes_are_kept_for_retries_then_pruned)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int fd = connect_signed_in();

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	pack_kv_str(&pk, "code", "H-K");
	pack_kv_str(&pk, "name", "Huyện K");
	pack_kv_str(&pk, "level", "huyện");
	pack_kv_str(&pk, "request_id", "keep-0001");
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	raw_request(fd, 1, "unit.create", sb.data, sb.size);
	cr_assert_eq(expect_reply(fd, &up, 1, &u), RPC_OK);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	/* Twenty days on, the retry still gets the stored answer... */
	cr_assert_eq(retry_after(20, &sb), RPC_OK, "the outcome was not kept for 20 days");
	/* ...forty days on it was pruned at start, so it runs anew and meets
	 * the unit it made the first time. */
	cr_assert_eq(retry_after(40, &sb), RPC_CONFLICT, "the outcome was not pruned");
	msgpack_sbuffer_destroy(&sb);
}

Test(daemon, stops_cleanly_with_requests_in_flight)
{
	enum { N = 300 };
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_sbuffer sb, all;
	int fd = connect_signed_in(), acked = 0, status;
	char code[32];

	msgpack_sbuffer_init(&sb);
	msgpack_sbuffer_init(&all);
	for (uint32_t i = 1; i <= N; i++) {
		msgpack_packer pk;

		snprintf(code, sizeof(code), "U%u", i);
		unit_params(&sb, code, "Đơn vị");
		msgpack_packer_init(&pk, &all, msgpack_sbuffer_write);
		message_pack_request_head(&pk, i, "unit.create");
		msgpack_sbuffer_write(&all, sb.data, sb.size);
	}
	cr_assert_eq(raw_send(fd, all.data, all.size), 0);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	/* once the first reply is here the daemon is busy with the rest */
	cr_assert_eq(expect_reply(fd, &up, 1, &u), RPC_OK);
	acked = 1;
	kill(d.pid, SIGTERM);
	while (raw_recv(fd, &up, &u, 10000) == 1) {
		cr_assert_eq(u.data.via.array.ptr[2].type, MSGPACK_OBJECT_NIL, "an error reply");
		acked++;
	}
	status = daemon_signal_wait(&d, 0, 10000);
	cr_assert_eq(status, 0, "dotphad exited with %d", status);
	close(fd);

	/* every acknowledged write is there after a restart, and nothing else */
	start();
	fd = connect_signed_in();
	msgpack_unpacker_destroy(&up);
	msgpack_unpacker_init(&up, 4096);
	raw_request(fd, 1, "unit.list", NULL, 0);
	cr_assert_eq(expect_reply(fd, &up, 1, &u), RPC_OK);
	printf("graceful stop: %d of %d pipelined writes acknowledged, %llu present after restart\n",
	       acked, N, (unsigned long long)obj_get(&u.data.via.array.ptr[3], "total")->via.u64);
	cr_assert_eq(obj_get(&u.data.via.array.ptr[3], "total")->via.u64, (uint64_t)acked);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
	msgpack_sbuffer_destroy(&all);
}

/* Open descriptors of process pid. */
static int open_fds(pid_t pid)
{
	char path[64];
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	if (!(dir = opendir(path)))
		return -1;
	while (readdir(dir))
		n++;
	closedir(dir);
	return n - 2; /* . and .. */
}

/* Past --max-clients: strangers make room for newcomers, the reserve is
 * the admin's, and once every slot is held by someone signed in the
 * excess is answered too_many_clients at once (PROTOCOL.md 3). */
Test(daemon, twice_the_limit_gets_replies_and_an_admin_still_gets_in)
{
	enum { MAX = 20, N = 2 * MAX };
	const char *const extra[] = {"--max-clients", "20", NULL};
	static int fds[N];
	msgpack_unpacker up;
	msgpack_unpacked u;
	int refused = 0, evicted = 0, fd_before, fd_full, last;

	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0); /* restart with a low limit */
	cr_assert_eq(daemon_start(&d, extra), 0);
	fd_before = open_fds(d.pid);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	/* The limit, signed in: never made to leave. */
	for (int i = 0; i < MAX; i++) {
		cr_assert((fds[i] = raw_connect(d.port)) >= 0);
		cr_assert_eq(raw_auth(fds[i], &d), 0, "connection %d", i);
	}
	/* The reserve, and more, none signing in: each newcomer past the
	 * reserve makes the oldest of them leave (too_many_clients, closed). */
	for (int i = MAX; i < N; i++) {
		cr_assert((fds[i] = raw_connect(d.port)) >= 0);
		raw_request(fds[i], 1, "server.info", NULL, 0);
		cr_assert_eq(expect_reply(fds[i], &up, 1, &u), RPC_OK, "connection %d", i);
	}
	for (int i = MAX; i < N; i++) {
		struct pollfd p = {.fd = fds[i], .events = POLLIN};

		if (poll(&p, 1, 0) == 1) {
			cr_assert_eq(expect_reply(fds[i], &up, 0, &u), RPC_TOO_MANY_CLIENTS);
			cr_assert(closed_within(fds[i], 1500));
			close(fds[i]);
			fds[i] = -1;
			evicted++;
		}
	}
	cr_assert_eq(evicted, N - MAX - SERVER_RESERVE, "strangers did not make room: %d", evicted);
	/* A stranger on the reserve: not signed in, nothing but sign-in. */
	raw_request(fds[N - 1], 2, "unit.list", NULL, 0);
	cr_assert_eq(expect_reply(fds[N - 1], &up, 2, &u), RPC_UNAUTHENTICATED);
	/* The reserve signs in as the admin, all 8: then the server is full
	 * of people signed in, and the next is refused at once. */
	for (int i = N - SERVER_RESERVE; i < N; i++)
		cr_assert_eq(raw_auth(fds[i], &d), 0, "the admin on reserve connection %d", i);
	raw_request(fds[N - 1], 3, "unit.list", NULL, 0);
	cr_assert_eq(expect_reply(fds[N - 1], &up, 3, &u), RPC_OK);
	last = raw_connect(d.port);
	cr_assert(last >= 0);
	cr_assert_eq(expect_reply(last, &up, 0, &u), RPC_TOO_MANY_CLIENTS);
	cr_assert(closed_within(last, 1500));
	close(last);
	refused++;
	usleep(200 * 1000);
	fd_full = open_fds(d.pid);
	printf("connections: limit %d, %d opened: %d strangers closed to make room, the reserve "
	       "held by the admin, %d refused with too_many_clients; daemon descriptors %d idle, "
	       "%d at the peak\n", MAX, N + 1, evicted, refused, fd_before, fd_full);
	cr_assert_leq(fd_full, fd_before + MAX + SERVER_RESERVE + 2);
	for (int i = 0; i < N; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

/* ==== deadlines (PROTOCOL.md section 3) ==== */

#define AUTH_S "0.4"
#define IDLE_S "0.8"
#define MESSAGE_S "0.4"

static void start_with_deadlines(void)
{
	/* The 1,000 silent connections come from 127.0.0.1 alone: this suite
	 * is about deadlines, not the per-address limit (test_peer.c). */
	const char *const extra[] = {"--auth-timeout", AUTH_S, "--idle-timeout", IDLE_S,
				     "--message-timeout", MESSAGE_S, "--max-unauth-per-address",
				     "2000", NULL};

	cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
}

TestSuite(deadlines, .init = start_with_deadlines, .fini = stop, .timeout = 60);

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* Waits for the `timeout` reply on fd and the close after it; returns the
 * seconds from `since` to the reply. */
static double expect_timeout(int fd, double since)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	double at;

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	cr_assert_eq(expect_reply(fd, &up, 0, &u), RPC_TIMEOUT, "no timeout reply");
	at = now_s() - since;
	cr_assert(closed_within(fd, 2500), "not closed after the timeout reply");
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	return at;
}

Test(deadlines, a_connection_that_does_not_sign_in_is_closed_at_its_deadline)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	double t0 = now_s(), at;
	int fd = raw_connect(d.port);

	cr_assert(fd >= 0);
	/* Public methods answer meanwhile, but do not stand in for signing in. */
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	raw_request(fd, 1, "server.info", NULL, 0);
	cr_assert_eq(expect_reply(fd, &up, 1, &u), RPC_OK);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	at = expect_timeout(fd, t0);
	printf("deadlines: not signed in: closed after %.2f s (deadline %s s)\n", at, AUTH_S);
	cr_assert_geq(at, 0.35, "closed before its deadline: %.2f s", at);
	close(fd);
}

Test(deadlines, a_message_that_arrives_too_slowly_is_refused)
{
	static const unsigned char part[] = {0x94, 0x00, 0x05};
	double t0, at;
	int fd = raw_connect(d.port);

	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0);
	t0 = now_s();
	/* One byte every 100 ms: always active, never whole. */
	for (size_t i = 0; i < sizeof(part); i++) {
		cr_assert_eq(raw_send(fd, &part[i], 1), 0);
		usleep(100 * 1000);
	}
	at = expect_timeout(fd, t0);
	printf("deadlines: slow message: closed after %.2f s (deadline %s s)\n", at, MESSAGE_S);
	cr_assert_geq(at, 0.35);
	close(fd);
}

Test(deadlines, a_quiet_signed_in_connection_is_closed_when_idle)
{
	int fd = raw_connect(d.port);
	double t0, at;

	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0);
	t0 = now_s();
	at = expect_timeout(fd, t0);
	printf("deadlines: idle: closed after %.2f s (deadline %s s)\n", at, IDLE_S);
	cr_assert_geq(at, 0.7);
	close(fd);
}

Test(deadlines, a_busy_connection_outlives_the_idle_deadline)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);

	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0);
	/* A request every 200 ms for 2 s, well past the idle deadline. */
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 1; i <= 10; i++) {
		cr_assert_eq(raw_request(fd, i, "session.whoami", NULL, 0), 0);
		cr_assert_eq(expect_reply(fd, &up, i, &u), RPC_OK, "cut off at request %u", i);
		usleep(200 * 1000);
	}
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	close(fd);
}

/* 1,000 connections at once (README, Reliability): the even ones never send
 * a byte, the odd ones begin a message and then trickle one more byte now
 * and then, never finishing it.  Each must be closed at its deadline (the
 * sign-in one, or the slow-message one) while a signed-in client is served
 * throughout; its latency is printed, not asserted (benchmarks measure). */
Test(deadlines, many_silent_connections_are_each_closed_and_others_are_served)
{
	enum { N = 1000, ASKS = 200 };
	static int fds[N];
	static double lat[ASKS];
	static const char begun[] = {(char)0x94, 0x00, 0x01, (char)0xae}; /* [0, 1, "...  */
	msgpack_unpacker up;
	msgpack_unpacked u;
	char buf[64];
	int closed = 0, fd, trickled = 0;
	double worst;

	for (int i = 0; i < N; i++) {
		cr_assert((fds[i] = raw_connect(d.port)) >= 0, "connection %d", i);
		if (i % 2)
			cr_assert_eq(send(fds[i], begun, 1, MSG_NOSIGNAL), 1);
	}
	fd = raw_connect(d.port);
	cr_assert_eq(raw_auth(fd, &d), 0);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 0; i < ASKS; i++) {
		double t = now_s();

		cr_assert_eq(raw_request(fd, i + 1, "session.whoami", NULL, 0), 0);
		cr_assert_eq(expect_reply(fd, &up, i + 1, &u), RPC_OK);
		lat[i] = now_s() - t;
		/* Every 50 asks, one more byte on each trickling connection
		 * still open (the daemon may have closed it already). */
		if (i % 50 == 49)
			for (int k = 1; k < N; k += 2)
				trickled += send(fds[k], &begun[1 + (i / 50) % 3], 1, MSG_NOSIGNAL |
						 MSG_DONTWAIT) == 1;
		usleep(3000); /* keeps it from going idle across the silent ones' deadline */
	}
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	/* Each silent one got its reply and was closed. */
	for (int i = 0; i < N; i++) {
		struct timeval tv = {.tv_sec = 3, .tv_usec = 0};
		ssize_t n;

		setsockopt(fds[i], SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		while ((n = recv(fds[i], buf, sizeof(buf), 0)) > 0)
			;
		closed += n == 0 || (n < 0 && errno == ECONNRESET);
		close(fds[i]);
	}
	worst = 0;
	for (int i = 0; i < ASKS; i++)
		worst = lat[i] > worst ? lat[i] : worst;
	/* Sort for the 99th percentile. */
	for (int i = 1; i < ASKS; i++)
		for (int j = i; j > 0 && lat[j - 1] > lat[j]; j--) {
			double x = lat[j];

			lat[j] = lat[j - 1];
			lat[j - 1] = x;
		}
	printf("deadlines: %d connections (half silent, half trickling a message: %d bytes "
	       "sent), %d closed by their deadline; a signed-in client meanwhile: p50 %.2f ms, "
	       "p99 %.2f ms, worst %.2f ms\n",
	       N, trickled, closed, lat[ASKS / 2] * 1e3, lat[ASKS * 99 / 100] * 1e3, worst * 1e3);
	cr_assert_eq(closed, N);
	close(fd);
}

/* ==== a client that does not read ==== */

static void start_with_demo(void)
{
	char bin[300];
	const char *argv[] = {bin, "--db", d.db, "demo", "--present", "2026-10-31", NULL};

	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(helpers_run(argv, NULL, NULL), 0, "dotphad demo failed");
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
}

TestSuite(backpressure, .init = start_with_demo, .fini = stop, .timeout = 60);

/* True if the string s appears anywhere in o. */
static bool holds_str(const msgpack_object *o, const char *s)
{
	if (o->type == MSGPACK_OBJECT_STR)
		return obj_str_eq(o, s);
	if (o->type == MSGPACK_OBJECT_ARRAY)
		for (uint32_t i = 0; i < o->via.array.size; i++)
			if (holds_str(&o->via.array.ptr[i], s))
				return true;
	if (o->type == MSGPACK_OBJECT_MAP)
		for (uint32_t i = 0; i < o->via.map.size; i++)
			if (holds_str(&o->via.map.ptr[i].val, s))
				return true;
	return false;
}

/* Slow reads (an export, a report) run on the thread pool: sent in one go
 * behind a write and among quick calls on one connection, every answer
 * still comes in order, and the export sees the write sent before it. */
Test(backpressure, slow_reads_answer_in_order_and_see_the_callers_writes)
{
	static const char *const methods[] = {"unit.create", "export.rows", "server.info",
					      "report.get", "server.info"};
	int fd = connect_signed_in();
	msgpack_sbuffer all, sb;
	msgpack_packer pk;
	msgpack_unpacker up;
	msgpack_unpacked u;

	msgpack_sbuffer_init(&all);
	msgpack_sbuffer_init(&sb);
	for (uint32_t i = 0; i < 5; i++) {
		msgpack_sbuffer_clear(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		if (i == 0) {
			unit_params(&sb, "SLOWX", "Xã Thử");
		} else if (i == 1) {
			msgpack_pack_map(&pk, 2);
			pack_kv_str(&pk, "kind", "units");
			pack_kv_int(&pk, "limit", 1000);
		} else if (i == 3) {
			msgpack_pack_map(&pk, 1);
			pack_kv_str(&pk, "term", "2021-2025");
		} else {
			msgpack_pack_map(&pk, 0);
		}
		append_request(&all, 10 + i, methods[i], &sb);
	}
	cr_assert_eq(raw_send(fd, all.data, all.size), 0);
	msgpack_unpacker_init(&up, 1 << 22);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 0; i < 5; i++) {
		cr_assert_eq(expect_reply(fd, &up, 10 + i, &u), RPC_OK, "%s", methods[i]);
		if (i == 1)
			cr_assert(holds_str(&u.data.via.array.ptr[3], "SLOWX"),
				  "the export did not see the unit created just before it");
	}
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
	msgpack_sbuffer_destroy(&all);
	close(fd);
}

/* The daemon's log says it disconnected a client for not reading. */
static bool cut_off_logged(void)
{
	char *log = helpers_read_file(d.log);
	bool found = log && strstr(log, "queued and not read; disconnecting");

	free(log);
	return found;
}

/* A client that pipelines requests and reads nothing is owed its answers,
 * not a growing heap: the daemon answers until output_high is queued,
 * then leaves the rest of its requests unanswered in the receive buffer
 * until it reads (PROTOCOL.md 3), and then every answer comes, in order. */
Test(backpressure, a_client_that_never_reads_is_paused_and_answered_once_it_reads)
{
	enum { ASKS = 60 };
	msgpack_sbuffer sb, all;
	msgpack_packer pk;
	long before, after;
	int fd = connect_signed_in(), other;
	msgpack_unpacker up;
	msgpack_unpacked u;

	/* 60 requests for every task of the demo, in one go: far more answer
	 * than the 1 MiB the daemon queues for a client before it pauses. */
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	pack_kv_int(&pk, "limit", 1000);
	msgpack_sbuffer_init(&all);
	before = rss_kib(d.pid);
	for (uint32_t i = 1; i <= ASKS; i++) {
		msgpack_packer rq;

		msgpack_packer_init(&rq, &all, msgpack_sbuffer_write);
		msgpack_pack_array(&rq, 4);
		msgpack_pack_int(&rq, 0);
		msgpack_pack_uint32(&rq, i);
		pack_str(&rq, "task.list");
		msgpack_pack_array(&rq, 1);
		msgpack_sbuffer_write(&all, sb.data, sb.size);
	}
	cr_assert_eq(raw_send(fd, all.data, all.size), 0);
	/* The client reads nothing for 3 s: the daemon holds the rest. */
	usleep(3000 * 1000);
	after = rss_kib(d.pid);
	cr_assert(!cut_off_logged(), "the daemon cut off a client it only had to pause");
	/* Others are served meanwhile. */
	other = connect_signed_in();
	msgpack_unpacker_init(&up, 1 << 20);
	msgpack_unpacked_init(&u);
	raw_request(other, 1, "server.info", NULL, 0);
	cr_assert_eq(expect_reply(other, &up, 1, &u), RPC_OK);
	close(other);
	/* Now it reads: all 60 answers, in order. */
	for (uint32_t i = 1; i <= ASKS; i++)
		cr_assert_eq(expect_reply(fd, &up, i, &u), RPC_OK, "answer %u", i);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	close(fd);
	printf("backpressure: a client asked %d times for the demo's 476 tasks and read nothing "
	       "for 3 s: daemon RSS %ld KiB before, %ld KiB while it waited; then all %d answers "
	       "came in order\n", ASKS, before, after, ASKS);
	msgpack_sbuffer_destroy(&all);
	msgpack_sbuffer_destroy(&sb);
#ifndef __SANITIZE_ADDRESS__
	/* (ASan's quarantine keeps freed memory: the bound holds for the plain
	 * build only.) */
	cr_assert_lt(after - before, 16 * 1024, "the daemon grew %ld KiB", after - before);
#endif
}

/* ---- the figures kept by the writes, across midnight ---- */

/* Calls method with params (a map packed by the caller, or NULL) on fd and
 * returns its result packed into *out (caller destroys). */
static void call_packed(int fd, uint32_t id, const char *method, const msgpack_sbuffer *params,
			msgpack_sbuffer *out)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_packer pk;

	msgpack_unpacker_init(&up, 1 << 16);
	msgpack_unpacked_init(&u);
	cr_assert_eq(raw_request(fd, id, method, params ? params->data : NULL,
				 params ? params->size : 0), 0);
	cr_assert_eq(expect_reply(fd, &up, id, &u), RPC_OK, "%s failed", method);
	msgpack_sbuffer_init(out);
	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	msgpack_pack_object(&pk, u.data.via.array.ptr[3]);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

/* A params map of up to two string pairs (key NULL: none). */
static void params2(msgpack_sbuffer *b, const char *k1, const char *v1, const char *k2,
		    const char *v2)
{
	msgpack_packer pk;

	msgpack_sbuffer_init(b);
	msgpack_packer_init(&pk, b, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, (k1 != NULL) + (k2 != NULL));
	if (k1) {
		pack_kv_str(&pk, k1, v1);
	}
	if (k2) {
		pack_kv_str(&pk, k2, v2);
	}
}

/* Waits (at most 30 s) until server.info says today is `day` and the
 * figures are kept for it. */
static void wait_figures(int fd, uint32_t *id, const char *day)
{
	for (int i = 0; i < 300; i++) {
		msgpack_sbuffer out;
		msgpack_unpacked u;
		const msgpack_object *fig, *today;
		bool done;

		call_packed(fd, (*id)++, "server.info", NULL, &out);
		msgpack_unpacked_init(&u);
		cr_assert_eq(msgpack_unpack_next(&u, out.data, out.size, NULL), MSGPACK_UNPACK_SUCCESS);
		fig = obj_get(&u.data, "figures_day");
		today = obj_get(&u.data, "today");
		cr_assert_not_null(fig, "server.info has no figures_day");
		done = fig->type == MSGPACK_OBJECT_STR && fig->via.str.size == strlen(day) &&
		       memcmp(fig->via.str.ptr, day, strlen(day)) == 0 &&
		       today->via.str.size == strlen(day) &&
		       memcmp(today->via.str.ptr, day, strlen(day)) == 0;
		msgpack_unpacked_destroy(&u);
		msgpack_sbuffer_destroy(&out);
		if (done)
			return;
		usleep(100 * 1000);
	}
	cr_assert_fail("the figures were not kept for %s within 30 s (see %s)", day, d.log);
}

TestSuite(figures, .fini = stop, .timeout = 60);

/* Judged ahead for tomorrow before midnight, the board and the report
 * are what the daemon's daily pass keeps for today after it: the pass
 * moves what the date alone moves, exactly as the history says it. */
Test(figures, the_daily_pass_keeps_what_tomorrows_judgement_said)
{
	static const char *const clock[] = {"--clock", "2026-10-31T23:59:55", NULL};
	static const char *const reads[][2] = {{"board.get", NULL}, {"report.get", "2021-2025"}};
	char bin[300];
	const char *argv[] = {bin, "--db", d.db, "demo", "--present", "2026-10-31", NULL};
	msgpack_sbuffer ahead[2], now[2], params;
	uint32_t id = 1;
	int fd;

	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(helpers_run(argv, NULL, NULL), 0, "dotphad demo failed");
	cr_assert_eq(daemon_start(&d, clock), 0, "dotphad did not start (see %s)", d.log);
	fd = raw_connect(d.port);
	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0);
	wait_figures(fd, &id, "2026-10-31");
	for (int i = 0; i < 2; i++) {
		params2(&params, "as_of", "2026-11-01", reads[i][1] ? "term" : NULL, reads[i][1]);
		call_packed(fd, id++, reads[i][0], &params, &ahead[i]);
		msgpack_sbuffer_destroy(&params);
	}
	wait_figures(fd, &id, "2026-11-01");
	for (int i = 0; i < 2; i++) {
		params2(&params, reads[i][1] ? "term" : NULL, reads[i][1], NULL, NULL);
		call_packed(fd, id++, reads[i][0], &params, &now[i]);
		msgpack_sbuffer_destroy(&params);
		cr_expect(ahead[i].size == now[i].size &&
			  memcmp(ahead[i].data, now[i].data, now[i].size) == 0,
			  "%s kept for today differs from the judgement for it made yesterday",
			  reads[i][0]);
		msgpack_sbuffer_destroy(&ahead[i]);
		msgpack_sbuffer_destroy(&now[i]);
	}
	close(fd);
}

/* ---- the server's zone, not the machine's ---- */

/* server.info of a daemon started with `extra` while the machine's zone
 * (TZ, which dotphad inherits) is UTC: its today, time and timezone. */
static void info_on_a_utc_machine(const char *const *extra, char today[DATE_LEN],
				  char moment[TIMESTAMP_LEN], char zone[64])
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	const msgpack_object *r;
	int fd;

	setenv("TZ", "UTC", 1);
	cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
	setenv("TZ", date_posix_zone(DATE_DEFAULT_ZONE), 1); /* this test's own, as helpers.c */
	fd = raw_connect(d.port);
	cr_assert(fd >= 0);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	raw_request(fd, 1, "server.info", NULL, 0);
	cr_assert_eq(expect_reply(fd, &up, 1, &u), RPC_OK);
	r = &u.data.via.array.ptr[3];
	snprintf(today, DATE_LEN, "%.*s", (int)obj_get(r, "today")->via.str.size,
		 obj_get(r, "today")->via.str.ptr);
	snprintf(moment, TIMESTAMP_LEN, "%.*s", (int)obj_get(r, "time")->via.str.size,
		 obj_get(r, "time")->via.str.ptr);
	snprintf(zone, 64, "%.*s", (int)obj_get(r, "timezone")->via.str.size,
		 obj_get(r, "timezone")->via.str.ptr);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0);
}

TestSuite(zone, .fini = stop, .timeout = 60);

/* 00:01 on 1 July in Hà Nội is still 30 June in UTC: a daemon that took
 * the machine's zone would call a task done then on time for a 30 June
 * deadline (test_health.c holds the boundaries of the days themselves). */
Test(zone, the_daemon_dates_in_the_provinces_zone_whatever_the_machines)
{
	static const char *const hanoi[] = {"--clock", "2025-07-01T00:01:00", NULL};
	static const char *const utc[] = {"--clock", "2025-07-01T00:01:00", "--timezone", "UTC",
					  NULL};
	char today[DATE_LEN], moment[TIMESTAMP_LEN], zone[64];

	info_on_a_utc_machine(hanoi, today, moment, zone);
	cr_expect_str_eq(zone, "Asia/Ho_Chi_Minh");
	cr_expect_str_eq(today, "2025-07-01");
	cr_expect_eq(strncmp(moment, "2025-06-30T17:01:", 17), 0, "the moment is %s", moment);
	/* Another zone is the admin's to choose; the clock is read in it. */
	info_on_a_utc_machine(utc, today, moment, zone);
	cr_expect_str_eq(zone, "UTC");
	cr_expect_str_eq(today, "2025-07-01");
	cr_expect_eq(strncmp(moment, "2025-07-01T00:01:", 17), 0, "the moment is %s", moment);
}

Test(zone, an_unknown_zone_stops_the_start_with_a_reason)
{
	static const char *const bad[] = {"Asia/Nowhere", "Hanoi", "../../etc/passwd", ""};
	char bin[300], db[300];

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(db, sizeof(db), "%s/zone.db", d.dir);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *out = NULL, *err = NULL;
		int st = helpers_run((const char *const[]){bin, "--db", db, "--timezone", bad[i],
							   "--check", NULL},
				     &out, &err);

		cr_expect_eq(st, 2, "--timezone '%s': exit %d", bad[i], st);
		cr_expect(err && strstr(err, "--timezone"), "--timezone '%s' said: %s", bad[i], err);
		free(out);
		free(err);
	}
	cr_expect_neq(access(db, F_OK), 0, "a database was made despite the bad zone");
}
