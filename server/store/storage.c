/*
 * storage.c: see storage.h.  Nothing here touches the database: modes and
 * names of files beside it, and the free space of its file system.
 */
#include "storage.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "log.h"

static uint64_t upload_quota = STORAGE_DEFAULT_UPLOAD_QUOTA;
static uint64_t min_free = STORAGE_DEFAULT_MIN_FREE;

void storage_set_limits(uint64_t quota, uint64_t floor)
{
	upload_quota = quota;
	min_free = floor;
}

uint64_t storage_upload_quota(void)
{
	return upload_quota;
}

static bool erase_due; /* a withdrawal since the WAL was last emptied */

void storage_erased(void)
{
	erase_due = true;
}

bool storage_wal_erase_due(void)
{
	return erase_due;
}

void storage_wal_erased(void)
{
	erase_due = false;
}

void storage_dir_of(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
}

int storage_free_bytes(const char *db_path, uint64_t *free)
{
	struct statvfs vfs;
	char dir[4096];

	storage_dir_of(db_path, dir, sizeof(dir));
	if (statvfs(dir, &vfs) != 0)
		return -1;
	*free = (uint64_t)vfs.f_bavail * (uint64_t)vfs.f_frsize;
	return 0;
}

int storage_check_free(const char *db_path, int64_t need, struct rpc_error *err)
{
	uint64_t free;

	if (min_free == 0 || storage_free_bytes(db_path, &free) != 0)
		return RPC_OK;
	if (free >= min_free && free - min_free >= (uint64_t)(need > 0 ? need : 0))
		return RPC_OK;
	return errors_set(err, RPC_STORAGE_FULL,
			  "file: the server's disk has %.1f MiB free and keeps %.1f MiB free for "
			  "the database, so it takes no %lld more bytes of evidence; nothing was "
			  "written; tell the server's administrator",
			  (double)free / (1 << 20), (double)min_free / (1 << 20), (long long)need);
}

/* One line of storage_check_modes about path if its mode has bits outside
 * `allowed`; 1 if it said one. */
static int check_one(const char *path, bool dir, void (*say)(void *, const char *), void *arg)
{
	struct stat st;
	char line[4400];
	mode_t allowed = dir ? 0700 : 0600;

	if (stat(path, &st) != 0 || (st.st_mode & 07777 & ~allowed & 0077) == 0)
		return 0;
	snprintf(line, sizeof(line), "%s %s has mode %04o, open to %s; run: chmod %s %s",
		 dir ? "directory" : "file", path, (unsigned)(st.st_mode & 07777),
		 !(st.st_mode & 0007) ? "its group"
		 : !(st.st_mode & 0070) ? "other local users" : "its group and other local users",
		 dir ? "700" : "600", path);
	say(arg, line);
	return 1;
}

int storage_check_modes(const char *db_path, void (*say)(void *arg, const char *line), void *arg)
{
	static const char *const suffixes[] = {"", "-wal", "-shm"};
	char path[4200];
	int n = 0;

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", db_path, suffixes[i]);
		n += check_one(path, false, say, arg);
	}
	storage_dir_of(db_path, path, sizeof(path));
	return n + check_one(path, true, say, arg);
}

/* The pid of a leftover's name: name is exactly base ".backup-" digits
 * "-" digits, optionally "-journal"; 0 when it is not. */
static long leftover_pid(const char *name, const char *base)
{
	size_t n = strlen(base);
	const char *p;
	char *end;
	long pid;

	if (strncmp(name, base, n) != 0 || strncmp(name + n, ".backup-", 8) != 0)
		return 0;
	p = name + n + 8;
	if (*p < '0' || *p > '9')
		return 0;
	pid = strtol(p, &end, 10);
	if (*end != '-' || end[1] < '0' || end[1] > '9' || pid <= 0)
		return 0;
	for (p = end + 1; *p >= '0' && *p <= '9'; p++)
		;
	return (*p == '\0' || strcmp(p, "-journal") == 0) ? pid : 0;
}

int storage_remove_leftovers(const char *db_path)
{
	const char *slash = strrchr(db_path, '/');
	const char *base = slash ? slash + 1 : db_path;
	char dir[4096], path[4400];
	struct dirent *e;
	DIR *d;
	int removed = 0;

	storage_dir_of(db_path, dir, sizeof(dir));
	if (!*base || !(d = opendir(dir)))
		return 0;
	while ((e = readdir(d))) {
		long pid = leftover_pid(e->d_name, base);

		if (!pid)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		/* Another dotphad on the same database may be making it now. */
		if (pid != (long)getpid() && (kill((pid_t)pid, 0) == 0 || errno == EPERM)) {
			log_warn("backup copy %s kept: process %ld, which made it, is running", path,
				 pid);
			continue;
		}
		if (unlink(path) != 0) {
			log_warn("cannot remove %s, left by a backup.create cut short: %s", path,
				 strerror(errno));
			continue;
		}
		log_info("removed %s, a backup copy left by process %ld (stopped while making it)",
			 path, pid);
		removed++;
	}
	closedir(d);
	return removed;
}
