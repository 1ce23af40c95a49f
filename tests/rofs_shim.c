/*
 * rofs_shim.c: a filesystem that turns read-only under a running process,
 * for tests/test_disk.c.  Loaded into dotphad with LD_PRELOAD: while the
 * file named by $DOTPHA_TEST_ROFS exists, every pwrite64 and ftruncate64
 * on a regular file (the calls SQLite's unix VFS writes with) fails with
 * EROFS, as on a filesystem remounted read-only.  A real remount cannot be
 * used: the kernel refuses it (EBUSY) while the daemon holds its database
 * open for writing.  Nothing else is touched, so the daemon's log still
 * goes out.
 *
 * While the file named by $DOTPHA_TEST_SLOW_READ exists, every pread64 of
 * a regular file takes 2 ms more, as on a disk far bigger than the
 * test's: SQLite's quick check of the demo then takes seconds, as it
 * does minutes on a national database.
 *
 * Built without sanitizers, as a plain shared object, for both passes.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off);
ssize_t pread64(int fd, void *buf, size_t n, off64_t off);
int ftruncate64(int fd, off64_t len);

static int read_only_now(int fd)
{
	const char *flag = getenv("DOTPHA_TEST_ROFS");
	struct stat st;

	return flag && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && access(flag, F_OK) == 0;
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
	static ssize_t (*real)(int, const void *, size_t, off64_t);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pwrite64");
	if (read_only_now(fd)) {
		errno = EROFS;
		return -1;
	}
	return real(fd, buf, n, off);
}

int ftruncate64(int fd, off64_t len)
{
	static int (*real)(int, off64_t);

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "ftruncate64");
	if (read_only_now(fd)) {
		errno = EROFS;
		return -1;
	}
	return real(fd, len);
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	static ssize_t (*real)(int, void *, size_t, off64_t);
	const char *flag = getenv("DOTPHA_TEST_SLOW_READ");
	struct stat st;

	if (!real)
		*(void **)&real = dlsym(RTLD_NEXT, "pread64");
	if (flag && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && access(flag, F_OK) == 0)
		usleep(2000);
	return real(fd, buf, n, off);
}
