/*
 * test_db.c: opening the database: the schema is created on first start,
 * reopening migrates nothing twice, and a file from a newer dotphad is
 * refused with a message that says what to do.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "world.h"

static char path[64];

static void setup(void)
{
	int fd;

	snprintf(path, sizeof(path), "/tmp/dotpha-db-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	unlink(path); /* db_open creates it */
}

static void teardown(void)
{
	world_remove_db(path);
}

TestSuite(db, .init = setup, .fini = teardown, .timeout = 30);

Test(db, creates_the_schema_and_reopens_it)
{
	struct db *db;
	char err[300];

	cr_assert_eq(db_open(&db, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_file_version(db), db_schema_version());
	cr_assert_gt(db_schema_version(), 0);
	db_close(db);
	cr_assert_eq(db_open(&db, path, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(db_file_version(db), db_schema_version());
	db_close(db);
}

Test(db, refuses_a_database_from_a_newer_dotphad)
{
	struct db *db;
	sqlite3 *raw;
	char err[300], sql[64];

	cr_assert_eq(sqlite3_open(path, &raw), SQLITE_OK);
	snprintf(sql, sizeof(sql), "PRAGMA user_version = %d", db_schema_version() + 1);
	cr_assert_eq(sqlite3_exec(raw, sql, NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(raw);
	cr_assert_eq(db_open(&db, path, err, sizeof(err)), -1);
	cr_assert_null(db);
	cr_assert(strstr(err, "newer than this dotphad"), "%s", err);
}

Test(db, refuses_a_file_that_is_not_a_database)
{
	struct db *db;
	char err[300];
	FILE *f = fopen(path, "w");

	fputs("this is not a database, it is a letter to the Standing Committee\n", f);
	fclose(f);
	cr_assert_eq(db_open(&db, path, err, sizeof(err)), -1);
	cr_assert_null(db);
	cr_assert(strstr(err, path), "the message names the file: %s", err);
}
