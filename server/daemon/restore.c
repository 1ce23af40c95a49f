/*
 * restore.c: see restore.h.  The order keeps the database whole at every
 * step: the backup is copied beside the database (the same file system,
 * so the final rename is atomic) and checked there; only then is the old
 * database renamed aside and the copy renamed into its place, the
 * directory synced after.  A crash in between leaves either the old
 * database in place, or the new one and the old aside; never neither.
 */
#include "restore.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "db.h"
#include "storage.h"

static void usage(FILE *out)
{
	fprintf(out, "usage: dotphad restore FILE [--db PATH]\n"
		     "  put the backup FILE (dotpha admin backup) in place of the database PATH\n"
		     "  (default: --db before the command, or in --config; else var/dotpha.db).\n"
		     "  dotphad must be stopped; FILE must pass the checks of --check; the\n"
		     "  database replaced is kept as PATH.replaced-YYYYMMDD-HHMMSS.\n");
}

/* Copies src to the new file dst (mode 0600, refused if it exists),
 * synced.  Returns 0, or -1 with why. */
static int copy_file(const char *src, const char *dst, char *why, size_t whylen)
{
	char buf[1 << 16];
	int in = open(src, O_RDONLY | O_CLOEXEC), out = -1;
	ssize_t n = 0;

	if (in < 0) {
		snprintf(why, whylen, "cannot read %s: %s", src, strerror(errno));
		return -1;
	}
	if ((out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600)) < 0) {
		snprintf(why, whylen, "cannot create %s: %s", dst, strerror(errno));
		close(in);
		return -1;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		for (ssize_t done = 0, w; done < n; done += w)
			if ((w = write(out, buf + done, (size_t)(n - done))) < 0) {
				n = -1;
				goto out;
			}
out:
	if (n < 0 || fsync(out) != 0) {
		snprintf(why, whylen, "cannot copy %s to %s: %s", src, dst, strerror(errno));
		n = -1;
	}
	close(in);
	if (close(out) != 0 && n == 0) {
		snprintf(why, whylen, "cannot copy %s to %s: %s", src, dst, strerror(errno));
		n = -1;
	}
	if (n < 0)
		unlink(dst);
	return n < 0 ? -1 : 0;
}

/* Removes path and the -wal, -shm and -journal SQLite may have left with it. */
static void remove_db_files(const char *path)
{
	static const char *const ext[] = {"", "-wal", "-shm", "-journal"};
	char p[4200];

	for (size_t i = 0; i < sizeof(ext) / sizeof(ext[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", path, ext[i]);
		unlink(p);
	}
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return -1;
	rc = fsync(fd);
	close(fd);
	return rc;
}

/* Refuses while another process holds the database.  Returns 0 when free. */
static int refuse_if_in_use(const char *db)
{
	char why[4400] = "";
	int in_use = db_file_in_use(db, why, sizeof(why));

	if (in_use == 1)
		fprintf(stderr, "dotphad: restore: %s is in use (a dotphad is serving it, or "
				"another program has it open): stop it first "
				"(systemctl stop dotphad); nothing was changed\n", db);
	else if (in_use < 0)
		fprintf(stderr, "dotphad: restore: %s; nothing was changed\n", why);
	return in_use == 0 ? 0 : -1;
}

int restore_main(const char *db_path, int argc, char **argv)
{
	const char *file = NULL, *db = db_path;
	char dir[4096], staged[4200], aside[4200], from[4300], to[4300], why[9000], stamp[32];
	struct stat st_file, st_owner;
	bool had_db;
	time_t now = time(NULL);
	struct tm tm;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			usage(stdout);
			return 0;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			db = argv[++i];
		} else if (argv[i][0] != '-' && !file) {
			file = argv[i];
		} else {
			fprintf(stderr, "dotphad: restore: %s: unexpected here\n", argv[i]);
			usage(stderr);
			return 2;
		}
	}
	if (!file) {
		fprintf(stderr, "dotphad: restore: which backup? give its FILE\n");
		usage(stderr);
		return 2;
	}
	if (stat(file, &st_file) != 0) {
		fprintf(stderr, "dotphad: restore: %s: %s\n", file, strerror(errno));
		return 1;
	}
	if (!S_ISREG(st_file.st_mode)) {
		fprintf(stderr, "dotphad: restore: %s: not a file\n", file);
		return 1;
	}
	storage_dir_of(db, dir, sizeof(dir));
	had_db = access(db, F_OK) == 0;
	if (stat(had_db ? db : dir, &st_owner) != 0) {
		fprintf(stderr, "dotphad: restore: %s: %s\n", had_db ? db : dir, strerror(errno));
		return 1;
	}
	if (refuse_if_in_use(db) < 0)
		return 1;

	/* The copy is checked where it will live, under a name no daemon
	 * serves; --check's report is printed as it goes. */
	snprintf(staged, sizeof(staged), "%s.restoring-%ld", db, (long)getpid());
	remove_db_files(staged);
	if (copy_file(file, staged, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: restore: %s; nothing was changed\n", why);
		return 1;
	}
	printf("checking %s (copied to %s):\n", file, staged);
	fflush(stdout);
	if (check_run(staged, NULL) != 0) {
		remove_db_files(staged);
		fprintf(stderr, "dotphad: restore: %s did not pass the checks above: not restored; "
				"nothing was changed\n", file);
		return 1;
	}
	/* check_run closed its connection, which folded its WAL back in. */
	if (chmod(staged, 0600) != 0 ||
	    (geteuid() == 0 && chown(staged, st_owner.st_uid, st_owner.st_gid) != 0)) {
		fprintf(stderr, "dotphad: restore: cannot give %s its owner and mode: %s; "
				"nothing was changed\n", staged, strerror(errno));
		remove_db_files(staged);
		return 1;
	}
	if (refuse_if_in_use(db) < 0) { /* started meanwhile? */
		remove_db_files(staged);
		return 1;
	}
	localtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y%m%d-%H%M%S", &tm);
	snprintf(aside, sizeof(aside), "%s.replaced-%s", db, stamp);
	if (had_db) {
		if (access(aside, F_OK) == 0) {
			fprintf(stderr, "dotphad: restore: %s exists already: try again in a "
					"second; nothing was changed\n", aside);
			remove_db_files(staged);
			return 1;
		}
		/* Its WAL goes with it, under the name SQLite looks for beside
		 * the new name, so the copy aside opens whole. */
		snprintf(from, sizeof(from), "%s-wal", db);
		snprintf(to, sizeof(to), "%s-wal", aside);
		if (rename(db, aside) != 0 || (access(from, F_OK) == 0 && rename(from, to) != 0)) {
			fprintf(stderr, "dotphad: restore: cannot move %s aside to %s: %s\n", db,
				aside, strerror(errno));
			remove_db_files(staged);
			return 1;
		}
		snprintf(from, sizeof(from), "%s-shm", db);
		unlink(from); /* the old WAL's index: rebuilt from the WAL when opened */
	}
	if (rename(staged, db) != 0) {
		fprintf(stderr, "dotphad: restore: cannot rename %s to %s: %s%s%s\n", staged, db,
			strerror(errno), had_db ? "; the old database is in " : "",
			had_db ? aside : "");
		return 1;
	}
	sync_dir(dir);
	printf("restored %s into %s (%lld bytes, owner uid %u gid %u, mode 0600)\n", file, db,
	       (long long)st_file.st_size, (unsigned)st_owner.st_uid, (unsigned)st_owner.st_gid);
	if (had_db)
		printf("the database it replaced is kept as %s (delete it once the restore "
		       "is confirmed)\n", aside);
	printf("the audit trail now ends where the backup's did: start a new --anchor-file, "
	       "and keep the old one with a note of this restore\n"
	       "start dotphad again (systemctl start dotphad)\n");
	return 0;
}
