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

/* One call on fd with params sb (may be NULL); its error code. */
static int call(int fd, uint32_t msgid, const char *method, const msgpack_sbuffer *sb)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	struct rpc_error err;
	int rc = -1;

	cr_assert_eq(raw_request(fd, msgid, method, sb ? sb->data : NULL, sb ? sb->size : 0), 0);
	msgpack_unpacker_init(&up, 65536);
	msgpack_unpacked_init(&u);
	if (raw_recv(fd, &up, &u, 15000) == 1 && u.data.type == MSGPACK_OBJECT_ARRAY &&
	    u.data.via.array.size == 4)
		rc = u.data.via.array.ptr[2].type == MSGPACK_OBJECT_NIL
			     ? RPC_OK
			     : errors_unpack(&u.data.via.array.ptr[2], &err);
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
	{
		char bin[300], *out = NULL, *err = NULL;
		const char *argv[] = {bin, "--db", d.db, "--check", NULL};

		cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 5000), 0);
		snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
		cr_assert_eq(helpers_run(argv, &out, &err), 0, "--check: %s%s", out, err);
		free(out);
		free(err);
	}
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
