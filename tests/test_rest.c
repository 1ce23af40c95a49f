/*
 * test_rest.c: data at rest is the service's alone (storage.h), against
 * the real dotphad started as a shell would, with umask 022: the
 * database, its -wal and -shm, a backup copy and the admin token are
 * 0600, and so is the copy `dotpha admin backup` writes; `dotphad --check` warns about a database wider than that without
 * failing; a backup copy a crash left is removed at the next start, and
 * nothing else is.
 */
#include <criterion/criterion.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "errors.h"
#include "helpers.h"

static struct daemon d;

static void stop(void)
{
	daemon_cleanup(&d);
}

TestSuite(rest, .fini = stop, .timeout = 60);

/* The permission bits of path; -1 if it does not exist. */
static int mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* Sends method with no params on fd, signed in; asserts a result. */
static void raw_ok(int fd, uint32_t msgid, const char *method)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	const msgpack_object *a;

	cr_assert(msgpack_unpacker_init(&up, 1 << 16));
	msgpack_unpacked_init(&u);
	cr_assert_eq(raw_request(fd, msgid, method, NULL, 0), 0);
	cr_assert_eq(raw_recv(fd, &up, &u, 10000), 1, "no reply to %s", method);
	a = u.data.via.array.ptr;
	cr_assert_eq(a[2].type, MSGPACK_OBJECT_NIL, "%s failed", method);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

Test(rest, the_database_its_wal_a_backup_and_the_token_are_0600_under_umask_022)
{
	char path[400];
	int fd;

	if (helpers_tls())
		cr_skip_test("raw connections are plaintext");
	cr_assert_eq(daemon_start(&d, NULL), 0, "daemon did not start");
	fd = raw_connect(d.port);
	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0);
	raw_ok(fd, 2, "unit.list"); /* a read: the -wal and -shm exist */
	raw_ok(fd, 3, "backup.create");
	cr_expect_eq(mode_of(d.db), 0600, "database: %04o", mode_of(d.db));
	snprintf(path, sizeof(path), "%s-wal", d.db);
	cr_expect_eq(mode_of(path), 0600, "%s: %04o", path, mode_of(path));
	snprintf(path, sizeof(path), "%s-shm", d.db);
	cr_expect_eq(mode_of(path), 0600, "%s: %04o", path, mode_of(path));
	snprintf(path, sizeof(path), "%s.backup-%d-1", d.db, (int)d.pid);
	cr_expect_eq(mode_of(path), 0600, "%s: %04o", path, mode_of(path));
	snprintf(path, sizeof(path), "%s.admin-token", d.db);
	cr_expect_eq(mode_of(path), 0600, "%s: %04o", path, mode_of(path));
	close(fd);
	cr_assert_eq(daemon_stop(&d), 0);
}

Test(rest, the_copy_dotpha_admin_backup_writes_is_0600_under_umask_022)
{
	char path[400], *err = NULL;
	const char *args[] = {"admin", "backup", path, NULL};
	mode_t was = umask(022);

	cr_assert_eq(daemon_start(&d, NULL), 0, "daemon did not start");
	snprintf(path, sizeof(path), "%s/sao-luu.db", d.dir);
	cr_assert_eq(client_run(&d, NULL, &err, args), 0, "dotpha admin backup: %s", err);
	free(err);
	umask(was);
	cr_expect_eq(mode_of(path), 0600, "%s: %04o", path, mode_of(path));
}

/* Runs dotphad --check on d's database; its exit status, stdout in *out. */
static int check(char **out)
{
	char bin[300];
	const char *argv[] = {bin, "--db", d.db, "--check", NULL};

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	return helpers_run(argv, out, NULL);
}

Test(rest, check_warns_about_a_0644_database_and_still_exits_0)
{
	char *out = NULL, want[1200];

	cr_assert_eq(daemon_start(&d, NULL), 0, "daemon did not start");
	cr_assert_eq(daemon_stop(&d), 0);
	cr_assert_eq(check(&out), 0, "--check: %s", out);
	cr_assert(strstr(out, "permissions: ok"), "%s", out);
	free(out);
	cr_assert_eq(chmod(d.db, 0644), 0);
	cr_assert_eq(check(&out), 0, "--check failed over a warning: %s", out);
	snprintf(want, sizeof(want),
		 "permissions: WARNING: file %s has mode 0644, open to its group and other "
		 "local users; run: chmod 600 %s\n", d.db, d.db);
	cr_assert(strstr(out, want), "no warning line in:\n%s", out);
	free(out);
	/* The directory too, and the daemon's log says the same at start. */
	cr_assert_eq(chmod(d.dir, 0750), 0);
	cr_assert_eq(check(&out), 0);
	snprintf(want, sizeof(want), "directory %s has mode 0750, open to its group; run: chmod 700 %s",
		 d.dir, d.dir);
	cr_assert(strstr(out, want), "no warning line in:\n%s", out);
	free(out);
	cr_assert_eq(daemon_start(&d, NULL), 0);
	out = helpers_read_file(d.log);
	cr_assert(out && strstr(out, "file ") && strstr(out, "has mode 0644"), "log: %s", out);
	free(out);
	chmod(d.dir, 0700);
}

/* Creates an empty file at dir/name. */
static void touch(const char *name)
{
	char path[600];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", d.dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	cr_assert(fd >= 0, "%s", path);
	cr_assert_eq(write(fd, "SQLite format 3", 15), 15);
	close(fd);
}

static bool exists(const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", d.dir, name);
	return access(path, F_OK) == 0;
}

Test(rest, a_backup_copy_left_by_a_crash_is_removed_at_the_next_start_and_nothing_else)
{
	/* 2147483646: no process has that pid. */
	static const char *const gone[] = {"test.db.backup-2147483646-1",
					   "test.db.backup-2147483646-12-journal"};
	static const char *const kept[] = {"test.db.backup-2147483646-1.keep",
					   "test.db.backup-x-1", "other.db.backup-2147483646-1",
					   "test.db.backup-2147483646-", "test.db.backup-1"};
	char *log, alive[64];

	cr_assert_eq(daemon_prepare(&d), 0);
	for (size_t i = 0; i < 2; i++)
		touch(gone[i]);
	for (size_t i = 0; i < 5; i++)
		touch(kept[i]);
	/* A copy another running process (this test) may be making stays. */
	snprintf(alive, sizeof(alive), "test.db.backup-%d-1", (int)getpid());
	touch(alive);
	cr_assert_eq(daemon_start(&d, NULL), 0, "daemon did not start");
	for (size_t i = 0; i < 2; i++)
		cr_expect(!exists(gone[i]), "%s is still there", gone[i]);
	for (size_t i = 0; i < 5; i++)
		cr_expect(exists(kept[i]), "%s was removed", kept[i]);
	cr_expect(exists(alive), "%s was removed", alive);
	log = helpers_read_file(d.log);
	cr_assert(log && strstr(log, "removed ") && strstr(log, "test.db.backup-2147483646-1, a backup "
				"copy left by process 2147483646"), "log: %s", log);
	cr_assert(strstr(log, "kept: process"), "log: %s", log);
	free(log);
}

Test(rest, the_quota_and_the_floor_are_options_with_their_defaults_in_help)
{
	char bin[300], *out = NULL;
	const char *help[] = {bin, "--help", NULL};
	const char *bad[] = {bin, "--min-free", "lots", "--check", NULL};

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(helpers_run(help, &out, NULL), 0);
	cr_assert(strstr(out, "--upload-quota BYTES") && strstr(out, "2147483648, 2 GiB") &&
		  strstr(out, "--min-free BYTES") && strstr(out, "536870912, 512 MiB"), "%s", out);
	free(out);
	cr_assert_eq(helpers_run(bad, NULL, NULL), 2);
}
