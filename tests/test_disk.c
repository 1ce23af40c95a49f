/*
 * test_disk.c: the daemon when its disk fills up or another process locks
 * its database.  Clients get a clear error (storage_full, busy), nothing
 * half-written stays, the daemon keeps answering, and writes work again by
 * themselves once the cause is gone.
 *
 * The full disk is a 4 MiB tmpfs mounted over the daemon's directory; a
 * machine that does not let the test mount one (no CAP_SYS_ADMIN) skips
 * that test, saying so.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "helpers.h"
#include "pack.h"

static struct daemon d;
static bool mounted;

static void stop(void)
{
	char dir[sizeof(d.dir)];

	snprintf(dir, sizeof(dir), "%s", d.dir);
	if (d.pid > 0)
		daemon_signal_wait(&d, SIGTERM, 5000);
	if (mounted && umount(dir) == 0)
		mounted = false;
	daemon_cleanup(&d);
}

TestSuite(disk, .fini = stop, .timeout = 120);

static char last_message[sizeof(((struct rpc_error *)0)->message)]; /* of the last error */

/* One call on fd with params sb (may be NULL); its error code, with the
 * error's message in last_message. */
static int call(int fd, uint32_t msgid, const char *method, const msgpack_sbuffer *sb)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	struct rpc_error err;
	int rc = -1;

	cr_assert_eq(raw_request(fd, msgid, method, sb ? sb->data : NULL, sb ? sb->size : 0), 0);
	msgpack_unpacker_init(&up, 65536);
	msgpack_unpacked_init(&u);
	last_message[0] = '\0';
	if (raw_recv(fd, &up, &u, 15000) == 1 && u.data.type == MSGPACK_OBJECT_ARRAY &&
	    u.data.via.array.size == 4)
		rc = u.data.via.array.ptr[2].type == MSGPACK_OBJECT_NIL
			     ? RPC_OK
			     : errors_unpack(&u.data.via.array.ptr[2], &err);
	if (rc != RPC_OK && rc >= 0)
		snprintf(last_message, sizeof(last_message), "%s", err.message);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	return rc;
}

/* unit.create of code with a long name, so each takes room. */
static int create_unit(int fd, uint32_t msgid, const char *code)
{
	static char name[450];
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int rc;

	memset(name, 'x', sizeof(name) - 1);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 3);
	pack_kv_str(&pk, "code", code);
	pack_kv_str(&pk, "name", name);
	pack_kv_str(&pk, "level", "xã");
	rc = call(fd, msgid, "unit.create", &sb);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

/* Stops the daemon, then `dotphad --check` must find its database sound. */
static void stop_and_check(void)
{
	char bin[300], *out = NULL, *err = NULL;
	const char *argv[] = {bin, "--db", d.db, "--check", NULL};

	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0);
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(helpers_run(argv, &out, &err), 0, "--check: %s%s", out, err);
	free(out);
	free(err);
}

/* Fills the file system of path's folder with a file; returns its path. */
static const char *fill(const char *dir)
{
	static char path[600];
	static char block[65536];
	int fd;

	snprintf(path, sizeof(path), "%s/filler", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert(fd >= 0);
	while (write(fd, block, sizeof(block)) > 0)
		;
	while (write(fd, block, 512) > 0)
		;
	close(fd);
	return path;
}

Test(disk, a_full_disk_answers_storage_full_and_recovers_by_itself)
{
	int fd, rc = RPC_OK, full_at = -1, full_rc;
	char code[32];
	const char *filler;

	cr_assert_eq(daemon_prepare(&d), 0);
	if (mount("tmpfs", d.dir, "tmpfs", 0, "size=4m,mode=0700") != 0)
		cr_skip_test("cannot mount a tmpfs here (%s): the full-disk test needs root with "
			     "CAP_SYS_ADMIN, as .ci/run has",
			     strerror(errno));
	mounted = true;
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
	fd = raw_connect(d.port);
	cr_assert_eq(raw_auth(fd, &d), 0);
	cr_assert_eq(create_unit(fd, 1, "U0"), RPC_OK);
	filler = fill(d.dir);
	/* The disk is full: writes answer storage_full (or, when the failure
	 * is the sync itself, unavailable), each changing nothing. */
	for (int i = 1; i < 200 && rc == RPC_OK; i++) {
		snprintf(code, sizeof(code), "U%d", i);
		rc = create_unit(fd, (uint32_t)i + 1, code);
		full_at = i;
	}
	cr_assert(rc == RPC_STORAGE_FULL || rc == RPC_UNAVAILABLE,
		  "a write on a full disk answered %d, not storage_full", rc);
	full_rc = rc;
	/* The daemon is up: it reads, and tells the next writer the same. */
	cr_assert_eq(call(fd, 500, "unit.list", NULL), RPC_OK);
	cr_assert_eq(call(fd, 501, "server.info", NULL), RPC_OK);
	/* Room again: the same write goes through, without a restart. */
	cr_assert_eq(unlink(filler), 0);
	for (int tries = 0; tries < 50 && (rc = create_unit(fd, 600 + (uint32_t)tries, code)) != RPC_OK;
	     tries++)
		usleep(100 * 1000);
	cr_assert_eq(rc, RPC_OK, "no recovery after the disk had room again: %d", rc);
	printf("disk: full after %d writes: answered %s, reads served meanwhile; recovered "
	       "once the filler was deleted\n",
	       full_at, errors_name(full_rc));
	close(fd);
	stop_and_check();
}

Test(disk, a_database_locked_by_another_process_answers_busy_then_works)
{
	sqlite3 *other;
	int fd;

	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
	fd = raw_connect(d.port);
	cr_assert_eq(raw_auth(fd, &d), 0);
	cr_assert_eq(create_unit(fd, 1, "L0"), RPC_OK);
	/* Another process takes the write lock and keeps it. */
	cr_assert_eq(sqlite3_open(d.db, &other), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(other, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(create_unit(fd, 2, "L1"), RPC_BUSY, "a locked database did not answer busy");
	cr_assert_eq(call(fd, 3, "unit.list", NULL), RPC_OK, "reads stopped while locked");
	cr_assert_eq(sqlite3_exec(other, "ROLLBACK", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(other);
	cr_assert_eq(create_unit(fd, 4, "L1"), RPC_OK, "no recovery once the lock was gone");
	close(fd);
}

/* Units with this code in the database: 0 or 1. */
static int units_coded(const char *code)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;

	cr_assert_eq(sqlite3_open_v2(d.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	cr_assert_eq(sqlite3_prepare_v2(db, "SELECT count(*) FROM units WHERE code = ?1", -1, &st,
					NULL),
		     SQLITE_OK);
	sqlite3_bind_text(st, 1, code, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

/* Three writes and a read sent in one go as the disk begins to refuse
 * writes: the first two share a group, which the read commits before it
 * reads; that COMMIT fails, so both answer unavailable (the first one's
 * message goes to first); the read is served; the third write is refused
 * too.  Every answer comes, in order. */
static void pipelined_writes_all_fail(int fd, char *first, size_t len)
{
	static const char *const what[] = {"unit.create", "unit.create", "unit.list",
					   "unit.create"};
	msgpack_sbuffer all, sb;
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_packer pk;

	msgpack_sbuffer_init(&all);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &all, msgpack_sbuffer_write);
	for (uint32_t i = 0; i < 4; i++) {
		char code[8];

		msgpack_pack_array(&pk, 4);
		msgpack_pack_uint8(&pk, 0);
		msgpack_pack_uint32(&pk, 100 + i);
		pack_str(&pk, what[i]);
		msgpack_pack_array(&pk, 1);
		snprintf(code, sizeof(code), "P%u", i);
		if (i == 2) {
			msgpack_pack_map(&pk, 0);
			continue;
		}
		msgpack_sbuffer_clear(&sb);
		{
			msgpack_packer p2;

			msgpack_packer_init(&p2, &sb, msgpack_sbuffer_write);
			msgpack_pack_map(&p2, 3);
			pack_kv_str(&p2, "code", code);
			pack_kv_str(&p2, "name", "Đơn vị");
			pack_kv_str(&p2, "level", "xã");
		}
		msgpack_sbuffer_write(&all, sb.data, sb.size);
	}
	cr_assert_eq(raw_send(fd, all.data, all.size), 0);
	msgpack_unpacker_init(&up, 65536);
	msgpack_unpacked_init(&u);
	for (uint32_t i = 0; i < 4; i++) {
		const msgpack_object *a;
		struct rpc_error err;

		cr_assert_eq(raw_recv(fd, &up, &u, 15000), 1, "no answer %u", i);
		a = u.data.via.array.ptr;
		cr_assert_eq(a[1].via.u64, 100 + i, "answers out of order");
		if (i == 2)
			cr_assert_eq(a[2].type, MSGPACK_OBJECT_NIL, "the read was refused");
		else
			cr_assert_eq(errors_unpack(&a[2], &err), RPC_UNAVAILABLE,
				     "write %u answered %s", i, err.message);
		if (i == 0)
			snprintf(first, len, "%s", err.message);
	}
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
	msgpack_sbuffer_destroy(&all);
	cr_assert_eq(units_coded("P0") + units_coded("P1") + units_coded("P3"), 0);
}

/* Starts the daemon on d with tests/rofs_shim.c preloaded into it alone:
 * writes fail while the file ro exists, reads are slow while the file
 * slow (may be NULL) exists.  (Under ASan, the runtime must be told a
 * library comes before it.) */
static void start_shimmed(const char *ro, const char *slow)
{
	char shim[300], asan[300];
	const char *had_asan = getenv("ASAN_OPTIONS");
	int rc;

	snprintf(shim, sizeof(shim), "%s/tests/rofs_shim.so", helpers_build_dir());
	cr_assert_eq(access(shim, R_OK), 0, "%s is missing: build it with make check", shim);
	snprintf(asan, sizeof(asan), "%s%sverify_asan_link_order=0", had_asan ? had_asan : "",
		 had_asan ? ":" : "");
	setenv("LD_PRELOAD", shim, 1);
	setenv("DOTPHA_TEST_ROFS", ro, 1);
	if (slow)
		setenv("DOTPHA_TEST_SLOW_READ", slow, 1);
	setenv("ASAN_OPTIONS", asan, 1);
	rc = daemon_start(&d, NULL);
	unsetenv("LD_PRELOAD");
	unsetenv("DOTPHA_TEST_ROFS");
	unsetenv("DOTPHA_TEST_SLOW_READ");
	if (had_asan)
		setenv("ASAN_OPTIONS", had_asan, 1);
	else
		unsetenv("ASAN_OPTIONS");
	cr_assert_eq(rc, 0, "dotphad did not start (see %s)", d.log);
}

/* The file system turns read-only under the running daemon
 * (tests/rofs_shim.c, preloaded into it: a real remount is refused while
 * the database is open for writing).  Writes answer unavailable naming the
 * cause and change nothing, reads go on, and once the file system is
 * writable again writes resume without a restart: the daemon reopens and
 * checks its database (housekeeping, every 5 s). */
Test(disk, a_database_turned_read_only_answers_unavailable_then_recovers)
{
	char flag[600];
	int fd, rc, tries;
	char first[sizeof(last_message)];

	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(flag, sizeof(flag), "%s/read-only", d.dir);
	start_shimmed(flag, NULL);
	fd = raw_connect(d.port);
	cr_assert_eq(raw_auth(fd, &d), 0);
	cr_assert_eq(create_unit(fd, 1, "R0"), RPC_OK);

	fclose(fopen(flag, "w")); /* read-only from now on */
	pipelined_writes_all_fail(fd, first, sizeof(first));
	cr_assert(strstr(first, "Read-only file system"), "the error does not name the cause: %s",
		  first);
	cr_assert_eq(create_unit(fd, 2, "R1"), RPC_UNAVAILABLE, "a read-only database answered "
		     "something else: %s", last_message);
	cr_assert_eq(create_unit(fd, 3, "R2"), RPC_UNAVAILABLE);
	cr_assert_eq(call(fd, 4, "unit.list", NULL), RPC_OK, "reads stopped");
	cr_assert_eq(call(fd, 5, "server.info", NULL), RPC_OK);
	cr_assert_eq(units_coded("R1"), 0, "a refused write was stored");

	cr_assert_eq(unlink(flag), 0); /* writable again */
	rc = -1;
	for (tries = 0; tries < 150 && rc != RPC_OK; tries++) {
		rc = create_unit(fd, 10 + (uint32_t)tries, "R1");
		if (rc != RPC_OK)
			usleep(100 * 1000);
	}
	cr_assert_eq(rc, RPC_OK, "no recovery once writable again: %s", last_message);
	cr_assert_eq(units_coded("R1"), 1);
	cr_assert_eq(units_coded("R2"), 0);
	printf("disk: read-only under the daemon: writes answered unavailable (\"%s\"), reads "
	       "served; writes resumed %.1f s after it was writable again\n",
	       first, tries * 0.1);
	close(fd);
	stop_and_check();
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (double)(t1.tv_sec - t0->tv_sec) * 1000 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* After a write error the daemon reopens its database and runs SQLite's
 * quick check before writes resume: minutes on a national database.  It
 * runs on the thread pool: other clients are answered meanwhile.  The
 * shim makes each read of the demo's file 2 ms slower, so the check takes
 * seconds here. */
Test(disk, the_check_after_a_write_error_does_not_hold_up_other_clients)
{
	static double lat[20000];
	char ro[600], slow[600], bin[300];
	int fd, other, rc = -1, n = 0;
	uint32_t id = 100;
	struct timespec t0;
	double took, p99, worst;

	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	{
		const char *argv[] = {bin, "--db", d.db, "demo", "--present", "2026-10-31", NULL};

		cr_assert_eq(helpers_run(argv, NULL, NULL), 0, "dotphad demo failed");
	}
	snprintf(ro, sizeof(ro), "%s/read-only", d.dir);
	snprintf(slow, sizeof(slow), "%s/slow", d.dir);
	start_shimmed(ro, slow);
	fd = raw_connect(d.port);
	other = raw_connect(d.port);
	cr_assert_eq(raw_auth(fd, &d), 0);
	cr_assert_eq(raw_auth(other, &d), 0);

	fclose(fopen(ro, "w")); /* a write error... */
	cr_assert_eq(create_unit(fd, id++, "C1"), RPC_UNAVAILABLE, "%s", last_message);
	fclose(fopen(slow, "w")); /* ...and a disk that reads slowly */
	cr_assert_eq(unlink(ro), 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (ms_since(&t0) < 60000 && n < 20000) {
		struct timespec t1;

		clock_gettime(CLOCK_MONOTONIC, &t1);
		cr_assert_eq(call(other, id++, "server.info", NULL), RPC_OK);
		lat[n++] = ms_since(&t1);
		if (n % 20 == 0 && (rc = create_unit(fd, id++, "C2")) == RPC_OK)
			break;
		usleep(5000);
	}
	took = ms_since(&t0);
	cr_assert_eq(rc, RPC_OK, "writes did not resume: %s", last_message);
	cr_assert_eq(unlink(slow), 0);
	qsort(lat, (size_t)n, sizeof(*lat), cmp_double);
	p99 = lat[n * 99 / 100];
	worst = lat[n - 1];
	printf("disk: while the daemon checked its database after a write error (writes resumed "
	       "%.1f s after the disk was writable), %d server.info: p99 %.1f ms, worst %.1f ms\n",
	       took / 1000, n, p99, worst);
	cr_assert_lt(p99, 50);
	cr_assert_lt(worst, 200);
	close(fd);
	close(other);
	stop_and_check();
}
