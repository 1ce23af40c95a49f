/*
 * test_db_run.c: the bind-by-format helpers of db_run.c.  Each letter
 * binds what it says (read back through typeof() and the value), NULL
 * arguments bind NULL, numbered parameters land where they say, and a
 * failure (a bad bind, a bad format, a failing step) is a structured
 * error that leaves no statement running.
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_internal.h"
#include "world.h"

static char path[64];
static struct db *db;

static void setup(void)
{
	char err[300];
	int fd;

	snprintf(path, sizeof(path), "/tmp/dotpha-dbrun-XXXXXX");
	fd = mkstemp(path);
	cr_assert(fd >= 0);
	close(fd);
	unlink(path); /* db_open creates it */
	cr_assert_eq(db_open(&db, path, err, sizeof(err)), 0, "%s", err);
	/* A scratch table of our own, apart from the schema. */
	cr_assert_eq(sqlite3_exec(db->conn,
				  "CREATE TEMP TABLE v (k INTEGER PRIMARY KEY, x, "
				  "u TEXT UNIQUE, nn INTEGER NOT NULL DEFAULT 0)",
				  NULL, NULL, NULL),
		     SQLITE_OK);
}

static void teardown(void)
{
	db_close(db);
	db = NULL;
	world_remove_db(path);
}

TestSuite(db_run, .init = setup, .fini = teardown, .timeout = 30);

static const char SQL_PUT[] = "INSERT INTO v (k, x) VALUES (?1, ?2)";
static const char SQL_PUT_AT[] = "INSERT INTO v (k, x, u) VALUES (?1, ?5, ?12)";
static const char SQL_PUT_U[] = "INSERT INTO v (u) VALUES (?1)";
static const char SQL_PUT_NN[] = "INSERT INTO v (k, nn) VALUES (?1, ?2)";
static const char SQL_KIND[] = "SELECT typeof(x) FROM v WHERE k = ?1";
static const char SQL_INT[] = "SELECT x FROM v WHERE k = ?1";
static const char SQL_COUNT[] = "SELECT count(*) FROM v";
static const char SQL_ROWS[] = "SELECT k FROM v WHERE k >= ?1 ORDER BY k";
static const char SQL_ABS[] = "SELECT abs(?1)";
static const char SQL_MANY[] =
	"INSERT INTO v (k, x) VALUES (?1, ?2 + ?3 + ?4 + ?5 + ?6 + ?7 + ?8 + ?9)";

/* The storage class of row k's x: "integer", "text", "null"... */
static const char *kind_of(int64_t k)
{
	static char kind[16];
	struct rpc_error err = {0};
	sqlite3_stmt *st = db_prep(db, SQL_KIND, &err, "i", k);

	cr_assert_not_null(st, "%s", err.message);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "row %lld", (long long)k);
	snprintf(kind, sizeof(kind), "%s", (const char *)sqlite3_column_text(st, 0));
	db_done(st, 0);
	return kind;
}

/* No statement of the connection is between a step and its reset. */
static void assert_none_running(void)
{
	for (sqlite3_stmt *st = sqlite3_next_stmt(db->conn, NULL); st;
	     st = sqlite3_next_stmt(db->conn, st))
		cr_assert(!sqlite3_stmt_busy(st), "still running: %s", sqlite3_sql(st));
}

static int64_t count_rows(void)
{
	struct rpc_error err = {0};
	int64_t n = -1;

	cr_assert_eq(db_one_int64(db, SQL_COUNT, &n, &err, ""), RPC_OK, "%s", err.message);
	return n;
}

Test(db_run, i_binds_an_int64_beyond_32_bits)
{
	struct rpc_error err = {0};
	int64_t big = INT64_C(-5000000000), got = 0;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ii", (int64_t)1, big), RPC_OK, "%s",
		     err.message);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)1), RPC_OK);
	cr_assert_eq(got, big);
	cr_assert_str_eq(kind_of(1), "integer");
}

Test(db_run, r_binds_an_id_and_zero_as_null)
{
	struct rpc_error err = {0};
	int64_t got = 0;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ir", (int64_t)1, INT64_C(7000000000)), RPC_OK);
	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ir", (int64_t)2, (int64_t)0), RPC_OK);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)1), RPC_OK);
	cr_assert_eq(got, INT64_C(7000000000));
	cr_assert_str_eq(kind_of(2), "null");
}

Test(db_run, d_binds_an_int_and_a_bool)
{
	struct rpc_error err = {0};
	int64_t got = 0;
	bool yes = true;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "id", (int64_t)1, -42), RPC_OK);
	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "id", (int64_t)2, yes), RPC_OK);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)1), RPC_OK);
	cr_assert_eq(got, -42);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)2), RPC_OK);
	cr_assert_eq(got, 1);
	cr_assert_str_eq(kind_of(1), "integer");
}

Test(db_run, f_binds_a_double)
{
	struct rpc_error err = {0};
	sqlite3_stmt *st;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "if", (int64_t)1, 2.5), RPC_OK);
	cr_assert_str_eq(kind_of(1), "real");
	st = db_prep(db, SQL_INT, &err, "i", (int64_t)1);
	cr_assert_not_null(st);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_float_eq(sqlite3_column_double(st, 0), 2.5, 1e-12);
	db_done(st, 0);
}

Test(db_run, t_binds_a_text_of_its_length_and_null_s_as_null)
{
	struct rpc_error err = {0};
	struct text part = {"abcdef", 3}, none = {NULL, 0};
	sqlite3_stmt *st;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "it", (int64_t)1, part), RPC_OK);
	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "it", (int64_t)2, none), RPC_OK);
	cr_assert_str_eq(kind_of(1), "text");
	cr_assert_str_eq(kind_of(2), "null");
	st = db_prep(db, SQL_INT, &err, "i", (int64_t)1);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "abc");
	db_done(st, 0);
}

Test(db_run, s_binds_a_c_string_and_null_as_null)
{
	struct rpc_error err = {0};
	const char *none = NULL;
	sqlite3_stmt *st;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "is", (int64_t)1, "Hà Nội"), RPC_OK);
	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "is", (int64_t)2, none), RPC_OK);
	cr_assert_str_eq(kind_of(1), "text");
	cr_assert_str_eq(kind_of(2), "null");
	st = db_prep(db, SQL_INT, &err, "i", (int64_t)1);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_str_eq((const char *)sqlite3_column_text(st, 0), "Hà Nội");
	db_done(st, 0);
}

Test(db_run, n_binds_null_and_takes_no_argument)
{
	struct rpc_error err = {0};

	int64_t got = 0;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ii", (int64_t)1, (int64_t)5), RPC_OK);
	/* The 's' after 'n' must read the argument right after the first. */
	cr_assert_eq(db_run(db, SQL_PUT_AT, "v", &err, "i5n12s", (int64_t)2, "after"), RPC_OK,
		     "%s", err.message);
	cr_assert_str_eq(kind_of(2), "null");
	cr_assert_eq(db_one_int64(db, "SELECT k FROM v WHERE u = 'after'", &got, &err, ""), RPC_OK);
	cr_assert_eq(got, 2);
}

Test(db_run, b_binds_a_blob_and_a_null_pointer_as_null)
{
	struct rpc_error err = {0};
	const unsigned char bytes[4] = {0, 1, 2, 0xff};
	sqlite3_stmt *st;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ib", (int64_t)1, bytes, 4), RPC_OK);
	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ib", (int64_t)2, (const void *)NULL, 0),
		     RPC_OK);
	cr_assert_str_eq(kind_of(1), "blob");
	cr_assert_str_eq(kind_of(2), "null");
	st = db_prep(db, SQL_INT, &err, "i", (int64_t)1);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	cr_assert_eq(sqlite3_column_bytes(st, 0), 4);
	cr_assert_eq(memcmp(sqlite3_column_blob(st, 0), bytes, 4), 0);
	db_done(st, 0);
}

Test(db_run, a_number_names_the_parameter_and_the_rest_follow_it)
{
	struct rpc_error err = {0};
	int64_t got = 0;

	cr_assert_eq(db_run(db, SQL_PUT_AT, "v", &err, "i5i12s", (int64_t)1, (int64_t)55, "twelve"),
		     RPC_OK, "%s", err.message);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)1), RPC_OK);
	cr_assert_eq(got, 55);
	cr_assert_eq(db_one_int64(db, "SELECT k FROM v WHERE u = 'twelve'", &got, &err, ""), RPC_OK);
	cr_assert_eq(got, 1);
}

/* Nine arguments after fmt: most go on the stack, where an argument
 * read with the wrong width would show. */
Test(db_run, mixed_letters_read_their_arguments_in_order)
{
	struct rpc_error err = {0};
	struct text three = {"3", 1};
	int64_t got = 0;

	cr_assert_eq(db_run(db, SQL_MANY, "v", &err, "iidtsri" "df", (int64_t)1, INT64_C(1000000000000),
			    -2, three, "4", (int64_t)5, INT64_C(-6), 7, 8.0),
		     RPC_OK, "%s", err.message);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)1), RPC_OK);
	cr_assert_eq(got, INT64_C(1000000000000) - 2 + 3 + 4 + 5 - 6 + 7 + 8);
}

Test(db_run, insert_gives_the_new_rowid)
{
	struct rpc_error err = {0};
	int64_t id = 0;

	cr_assert_eq(db_insert(db, SQL_PUT, "v", &id, &err, "is", (int64_t)41, "x"), RPC_OK);
	cr_assert_eq(id, 41);
	cr_assert_eq(db_insert(db, SQL_PUT_U, "v", &id, &err, "s", "u"), RPC_OK);
	cr_assert_eq(id, 42);
}

Test(db_run, prep_leaves_the_rows_to_the_caller)
{
	struct rpc_error err = {0};
	sqlite3_stmt *st;
	int64_t sum = 0;
	int rc;

	for (int64_t k = 1; k <= 4; k++)
		cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ii", k, k), RPC_OK);
	cr_assert_not_null(st = db_prep(db, SQL_ROWS, &err, "i", (int64_t)2));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		sum += sqlite3_column_int64(st, 0);
	db_done(st, rc);
	cr_assert_eq(rc, SQLITE_DONE);
	cr_assert_eq(sum, 2 + 3 + 4);
	assert_none_running();
}

Test(db_run, one_int64_is_zero_without_a_row)
{
	struct rpc_error err = {0};
	int64_t got = 99;

	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "i", (int64_t)404), RPC_OK);
	cr_assert_eq(got, 0);
}

Test(db_run, a_failing_statement_is_a_structured_error_and_is_reset)
{
	struct rpc_error err = {0};
	int64_t id = 77;

	cr_assert_eq(db_run(db, SQL_PUT_U, "unit", &err, "s", "TU"), RPC_OK);
	cr_assert_eq(db_insert(db, SQL_PUT_U, "unit", &id, &err, "s", "TU"), RPC_CONFLICT);
	cr_assert_eq(err.code, RPC_CONFLICT);
	cr_assert(strstr(err.message, "unit: already exists"), "%s", err.message);
	cr_assert_eq(id, 77, "the id is untouched on failure");
	assert_none_running();
	/* NOT NULL: another constraint, another code. */
	cr_assert_eq(db_run(db, SQL_PUT_NN, "v", &err, "in", (int64_t)3), RPC_INVALID_ARGUMENT);
	cr_assert(strstr(err.message, "v: "), "%s", err.message);
	assert_none_running();
	/* The same statements run again. */
	cr_assert_eq(db_run(db, SQL_PUT_U, "unit", &err, "s", "TV"), RPC_OK, "%s", err.message);
	cr_assert_eq(db_run(db, SQL_PUT_NN, "v", &err, "ii", (int64_t)3, (int64_t)1), RPC_OK);
	cr_assert_eq(count_rows(), 3);
}

Test(db_run, a_step_error_of_a_query_is_structured_and_reset)
{
	struct rpc_error err = {0};
	int64_t got = 5;

	/* abs() of the smallest integer overflows: an error at step. */
	cr_assert_eq(db_one_int64(db, SQL_ABS, &got, &err, "i", INT64_MIN), RPC_INTERNAL);
	cr_assert(strstr(err.message, "integer overflow"), "%s", err.message);
	cr_assert_eq(got, 0);
	assert_none_running();
	cr_assert_eq(db_one_int64(db, SQL_ABS, &got, &err, "i", INT64_C(-3)), RPC_OK);
	cr_assert_eq(got, 3);
}

Test(db_run, a_bind_out_of_range_is_internal_and_runs_nothing)
{
	struct rpc_error err = {0};
	int64_t id = 0;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "iii", (int64_t)1, (int64_t)2, (int64_t)3),
		     RPC_INTERNAL);
	cr_assert(strstr(err.message, "v: binding ?3 ('i')"), "%s", err.message);
	cr_assert(strstr(err.message, "out of range"), "%s", err.message);
	cr_assert_null(db_prep(db, SQL_PUT, &err, "i13s", (int64_t)1, "x"));
	cr_assert_eq(err.code, RPC_INTERNAL);
	cr_assert(strstr(err.message, "binding ?13 ('s')"), "%s", err.message);
	cr_assert_eq(db_insert(db, SQL_PUT, "v", &id, &err, "0i", (int64_t)1), RPC_INTERNAL);
	cr_assert(strstr(err.message, "binding ?0 ('i')"), "%s", err.message);
	cr_assert_eq(count_rows(), 0);
	assert_none_running();
}

Test(db_run, a_bad_format_is_internal_and_runs_nothing)
{
	struct rpc_error err = {0};
	int64_t got = 9;

	cr_assert_eq(db_run(db, SQL_PUT, "v", &err, "ix", (int64_t)1, (int64_t)2), RPC_INTERNAL);
	cr_assert(strstr(err.message, "bad bind format \"ix\" at ?2"), "%s", err.message);
	cr_assert_eq(db_one_int64(db, SQL_INT, &got, &err, "1"), RPC_INTERNAL);
	cr_assert_eq(got, 0);
	cr_assert_eq(count_rows(), 0);
	assert_none_running();
}

Test(db_run, a_statement_that_does_not_prepare_is_an_error)
{
	static const char bad[] = "INSERT INTO nowhere VALUES (?1)";
	struct rpc_error err = {0};

	cr_assert_eq(db_run(db, bad, "v", &err, "i", (int64_t)1), RPC_INTERNAL);
	cr_assert(strstr(err.message, "no such table"), "%s", err.message);
}
