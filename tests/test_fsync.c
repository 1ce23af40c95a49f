/*
 * test_fsync.c: a failed fsync is never retried as if nothing happened.
 * A small SQLite VFS wraps the system's and fails xSync on demand: the
 * COMMIT of that request fails and answers unavailable, every later write
 * is refused (reads go on) until db_recover() has reopened the file and
 * passed the quick check, and then writes resume.  Nothing the failed
 * request wrote is there.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <string.h>

#include "db.h"
#include "errors.h"
#include "world.h"

/* ---- a VFS whose xSync fails while fail_sync is set ---- */

static bool fail_sync;
static int syncs_failed;
static sqlite3_vfs faulty, *real;

struct faulty_file {
	sqlite3_file base;         /* must be first: SQLite sees this */
	sqlite3_file *real;        /* the real file, in the bytes after this struct */
};

static struct sqlite3_io_methods faulty_io;

static int f_close(sqlite3_file *f)
{
	struct faulty_file *ff = (struct faulty_file *)f;

	return ff->real->pMethods->xClose(ff->real);
}

#define REAL(f) (((struct faulty_file *)(f))->real)

static int f_read(sqlite3_file *f, void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xRead(REAL(f), p, n, off);
}

static int f_write(sqlite3_file *f, const void *p, int n, sqlite3_int64 off)
{
	return REAL(f)->pMethods->xWrite(REAL(f), p, n, off);
}

static int f_truncate(sqlite3_file *f, sqlite3_int64 size)
{
	return REAL(f)->pMethods->xTruncate(REAL(f), size);
}

static int f_sync(sqlite3_file *f, int flags)
{
	if (fail_sync) {
		syncs_failed++;
		return SQLITE_IOERR_FSYNC;
	}
	return REAL(f)->pMethods->xSync(REAL(f), flags);
}

static int f_size(sqlite3_file *f, sqlite3_int64 *size)
{
	return REAL(f)->pMethods->xFileSize(REAL(f), size);
}

static int f_lock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xLock(REAL(f), l);
}

static int f_unlock(sqlite3_file *f, int l)
{
	return REAL(f)->pMethods->xUnlock(REAL(f), l);
}

static int f_check(sqlite3_file *f, int *out)
{
	return REAL(f)->pMethods->xCheckReservedLock(REAL(f), out);
}

static int f_control(sqlite3_file *f, int op, void *arg)
{
	return REAL(f)->pMethods->xFileControl(REAL(f), op, arg);
}

static int f_sector(sqlite3_file *f)
{
	return REAL(f)->pMethods->xSectorSize(REAL(f));
}

static int f_caps(sqlite3_file *f)
{
	return REAL(f)->pMethods->xDeviceCharacteristics(REAL(f));
}

static int f_shm_map(sqlite3_file *f, int pg, int sz, int ext, void volatile **pp)
{
	return REAL(f)->pMethods->xShmMap(REAL(f), pg, sz, ext, pp);
}

static int f_shm_lock(sqlite3_file *f, int off, int n, int flags)
{
	return REAL(f)->pMethods->xShmLock(REAL(f), off, n, flags);
}

static void f_shm_barrier(sqlite3_file *f)
{
	REAL(f)->pMethods->xShmBarrier(REAL(f));
}

static int f_shm_unmap(sqlite3_file *f, int del)
{
	return REAL(f)->pMethods->xShmUnmap(REAL(f), del);
}

static int faulty_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *f, int flags,
		       int *out)
{
	struct faulty_file *ff = (struct faulty_file *)f;
	int rc;

	(void)vfs;
	ff->real = (sqlite3_file *)(ff + 1);
	rc = real->xOpen(real, name, ff->real, flags, out);
	f->pMethods = rc == SQLITE_OK ? &faulty_io : NULL;
	return rc;
}

static void use_faulty_vfs(void)
{
	real = sqlite3_vfs_find(NULL);
	cr_assert_not_null(real);
	faulty = *real;
	faulty.zName = "faulty";
	faulty.szOsFile = (int)sizeof(struct faulty_file) + real->szOsFile;
	faulty.xOpen = faulty_open;
	faulty_io = (struct sqlite3_io_methods){
		2, f_close, f_read, f_write, f_truncate, f_sync, f_size, f_lock, f_unlock,
		f_check, f_control, f_sector, f_caps, f_shm_map, f_shm_lock, f_shm_barrier,
		f_shm_unmap, NULL, NULL,
	};
	cr_assert_eq(sqlite3_vfs_register(&faulty, 1), SQLITE_OK); /* the default from now */
	fail_sync = false;
}

static void setup(void)
{
	use_faulty_vfs();
	world_setup();
}

TestSuite(fsync, .init = setup, .fini = world_teardown, .timeout = 60);

Test(fsync, a_failed_fsync_stops_writes_until_the_database_is_reopened_and_checked)
{
	char why[300];
	int64_t before;

	make_world();
	before = I(OK("unit.list", NULL), "total");
	fail_sync = true;
	cr_assert_null(world_request(&admin, "unit.create",
				     FIELDS("s:code", "X1", "s:name", "Xã Một", "s:level", "xã", NULL)));
	cr_assert_eq(world_last.code, RPC_UNAVAILABLE, "%s", world_last.message);
	cr_assert_gt(syncs_failed, 0, "the fault never fired");
	cr_assert(db_failed(world_db));
	/* The disk works again, but nothing is acknowledged before the check:
	 * a write is refused, reads go on, and the failed write is not there. */
	fail_sync = false;
	cr_assert_null(world_request(&admin, "unit.create",
				     FIELDS("s:code", "X2", "s:name", "Xã Hai", "s:level", "xã", NULL)));
	cr_assert_eq(world_last.code, RPC_UNAVAILABLE);
	cr_assert(strstr(world_last.message, "reopened and checked"), "%s", world_last.message);
	cr_assert_eq(I(OK("unit.list", NULL), "total"), before);
	/* Reopened and checked (the daemon's housekeeping does this every 5 s):
	 * writes resume. */
	cr_assert_eq(db_recover(world_db, why, sizeof(why)), 0, "%s", why);
	cr_assert_not(db_failed(world_db));
	OK("unit.create", "s:code", "X2", "s:name", "Xã Hai", "s:level", "xã", NULL);
	cr_assert_eq(I(OK("unit.list", NULL), "total"), before + 1);
}
