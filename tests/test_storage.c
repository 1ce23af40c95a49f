/*
 * test_storage.c: cadres, terms, tasks and progress updates, end to end
 * through the dispatcher (a request packed with msgpack, dispatch_message,
 * the reply decoded) and through the db_* functions directly, on a fresh
 * temporary database per test.
 */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_cadre.h"
#include "db_internal.h"
#include "db_task.h"
#include "db_task_pack.h"
#include "db_term.h"
#include "db_unit.h"
#include "db_update.h"
#include "dispatch.h"
#include "obj.h"
#include "world.h"

/* ---- the fixture: world.c's database per test, and its admin ---- */

/* world.c's database, its file and folder, by the short names this file
 * uses. */
static struct db *db;
static const char *path, *dir;
static char today[DATE_LEN];

static void setup(void)
{
	world_setup();
	db = world_db;
	path = world_db_path();
	dir = world_dir();
	date_today(today);
}

TestSuite(storage, .init = setup, .fini = world_teardown, .timeout = 30);

/* ---- the schema version ---- */

/* dotphad says before db_open that it will upgrade a database (migrations
 * can run for minutes): the version is read without changing the file. */
Test(storage, the_schema_version_of_a_file_is_read_without_changing_it)
{
	char older[340], missing[340];
	sqlite3 *conn;
	int to = -1, latest;

	latest = db_file_version(db);
	cr_expect_eq(db_file_peek_version(path, &to), latest, "the open, migrated database");
	cr_expect_eq(to, latest, "db_open brings a file to the latest version");

	snprintf(missing, sizeof(missing), "%s/none.db", dir);
	cr_expect_eq(db_file_peek_version(missing, &to), -1);
	cr_expect_eq(access(missing, F_OK), -1, "peeking made no file");

	snprintf(older, sizeof(older), "%s/older.db", dir);
	cr_assert_eq(sqlite3_open(older, &conn), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn, "PRAGMA user_version = 13", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(conn);
	cr_expect_eq(db_file_peek_version(older, &to), 13);
	cr_expect_eq(db_file_peek_version(older, &to), 13, "the first peek left it as it was");
	unlink(older);
}

/* ---- requests and replies ---- */

/* Packs the fields of a request: pairs of a typed key and its value(s),
 * ended by NULL.  "s:key" const char *, "i:key" int, "b:key" bool (int),
 * "n:key" nil (no value), "x:key" raw str bytes (const char *, int len),
 * "f:key" a float (double).  The map goes into params, which this
 * initialises and the caller destroys. */
static void pack_fields(msgpack_sbuffer *params, va_list ap)
{
	msgpack_sbuffer body;
	msgpack_packer bp, pk;
	const char *key;
	uint32_t n = 0;

	msgpack_sbuffer_init(&body);
	msgpack_packer_init(&bp, &body, msgpack_sbuffer_write);
	while ((key = va_arg(ap, const char *)) != NULL) {
		cr_assert(strlen(key) > 2 && key[1] == ':', "bad field spec %s", key);
		msgpack_pack_str(&bp, strlen(key + 2));
		msgpack_pack_str_body(&bp, key + 2, strlen(key + 2));
		switch (key[0]) {
		case 's': {
			const char *s = va_arg(ap, const char *);

			msgpack_pack_str(&bp, strlen(s));
			msgpack_pack_str_body(&bp, s, strlen(s));
			break;
		}
		case 'x': {
			const char *s = va_arg(ap, const char *);
			int len = va_arg(ap, int);

			msgpack_pack_str(&bp, (size_t)len);
			msgpack_pack_str_body(&bp, s, (size_t)len);
			break;
		}
		case 'i':
			msgpack_pack_int64(&bp, va_arg(ap, int));
			break;
		case 'b':
			if (va_arg(ap, int))
				msgpack_pack_true(&bp);
			else
				msgpack_pack_false(&bp);
			break;
		case 'f':
			msgpack_pack_double(&bp, va_arg(ap, double));
			break;
		case 'n':
			msgpack_pack_nil(&bp);
			break;
		default:
			cr_assert_fail("bad field spec %s", key);
		}
		n++;
	}
	msgpack_sbuffer_init(params);
	msgpack_packer_init(&pk, params, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, n);
	msgpack_sbuffer_write(params, body.data, body.size);
	msgpack_sbuffer_destroy(&body);
}

/* Sends one request as admin through world.c's dispatcher and returns the
 * result, or NULL with the error in world_last; a result is never nil. */
static const msgpack_object *vcall(const char *method, va_list ap)
{
	msgpack_sbuffer params;
	const msgpack_object *r;

	pack_fields(&params, ap);
	r = world_call(&admin, method, params.data, params.size);
	msgpack_sbuffer_destroy(&params);
	if (r)
		cr_assert_neq(r->type, MSGPACK_OBJECT_NIL);
	return r;
}

/* A call that must succeed; returns its result. */
__attribute__((sentinel)) static const msgpack_object *ok(const char *method, ...)
{
	const msgpack_object *r;
	va_list ap;

	va_start(ap, method);
	r = vcall(method, ap);
	va_end(ap);
	cr_assert_not_null(r, "%s failed: %s (%d)", method, world_last.message, world_last.code);
	return r;
}

/* A call that must fail; returns the error code, message in world_last.message. */
__attribute__((sentinel)) static int fails(const char *method, ...)
{
	const msgpack_object *r;
	va_list ap;

	va_start(ap, method);
	r = vcall(method, ap);
	va_end(ap);
	cr_assert_null(r, "%s succeeded but should have failed", method);
	return world_last.code;
}

/* Asserts the last error's code and exact message. */
static void expect_error(int code, const char *message)
{
	cr_assert_eq(world_last.code, code, "code %d (%s), expected %d", world_last.code, world_last.message, code);
	cr_assert_str_eq(world_last.message, message);
}

/* ---- reading results (field, I, S, flag and is_nil are world.c's) ---- */

static const msgpack_object *A(const msgpack_object *o, const char *key)
{
	const msgpack_object *v = field(o, key);

	cr_assert_eq(v->type, MSGPACK_OBJECT_ARRAY, "'%s' is not an array", key);
	return v;
}

static const msgpack_object *at(const msgpack_object *arr, uint32_t i)
{
	cr_assert_lt(i, arr->via.array.size);
	return &arr->via.array.ptr[i];
}

static uint32_t len(const msgpack_object *arr)
{
	return arr->via.array.size;
}

static uint32_t nkeys(const msgpack_object *map)
{
	cr_assert_eq(map->type, MSGPACK_OBJECT_MAP);
	return map->via.map.size;
}

/* Writes the ids of a page's items as "1,2,3" into buf. */
static const char *ids(const msgpack_object *page, char *buf, size_t n)
{
	const msgpack_object *items = A(page, "items");
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < len(items); i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%lld", i ? "," : "",
					 (long long)I(at(items, i), "id"));
	return buf;
}

/* ---- a small province ---- */

/*
 *  T  (root, tỉnh)
 *  ├─ TU (ban đảng)
 *  ├─ H1 (huyện)  ─ X1, X2 (xã)
 *  └─ H2 (huyện)
 *
 *  cadres  unit  managed by
 *  C1      H1    TU
 *  C2      X1    H1
 *  C3      X2    H1
 *  C4      H2    TU
 *  C5      T     T
 */
static void seed_units(void)
{
	ok("unit.create", "s:code", "T", "s:name", "Tỉnh Tuyên Quang", "s:level", "tỉnh", NULL);
	ok("unit.create", "s:code", "TU", "s:name", "Ban Thường vụ Tỉnh ủy", "s:level", "ban đảng",
	   "s:parent", "T", NULL);
	ok("unit.create", "s:code", "H1", "s:name", "Huyện Sơn Dương", "s:level", "huyện",
	   "s:parent", "T", NULL);
	ok("unit.create", "s:code", "X1", "s:name", "Xã Hợp Thành", "s:level", "xã", "s:parent",
	   "H1", NULL);
	ok("unit.create", "s:code", "X2", "s:name", "Xã Kháng Nhật", "s:level", "xã", "s:parent",
	   "H1", NULL);
	ok("unit.create", "s:code", "H2", "s:name", "Huyện Yên Sơn", "s:level", "huyện",
	   "s:parent", "T", NULL);
}

static void seed_cadres(void)
{
	ok("cadre.create", "s:code", "C1", "s:full_name", "Nguyễn Văn An", "s:title", "Bí thư Huyện ủy",
	   "s:unit", "H1", "s:managing_unit", "TU", "s:since", "2020-10-01", NULL);
	ok("cadre.create", "s:code", "C2", "s:full_name", "Trần Thị Bình", "s:title", "Bí thư Đảng ủy",
	   "s:unit", "X1", "s:managing_unit", "H1", "s:since", "2020-08-01", NULL);
	ok("cadre.create", "s:code", "C3", "s:full_name", "Lê Văn Cường", "s:title", "Chủ tịch UBND",
	   "s:unit", "X2", "s:managing_unit", "H1", "s:since", "2021-01-15", NULL);
	ok("cadre.create", "s:code", "C4", "s:full_name", "Phạm Thị Dung", "s:title", "Bí thư Huyện ủy",
	   "s:unit", "H2", "s:managing_unit", "TU", "s:since", "2015-10-01", NULL);
	ok("cadre.create", "s:code", "C5", "s:full_name", "Hoàng Văn Em", "s:title", "Bí thư Tỉnh ủy",
	   "s:unit", "T", "s:managing_unit", "T", "s:since", "2020-10-01", NULL);
}

static void seed_terms(void)
{
	ok("term.create", "s:code", "2016-2020", "s:name", "Nhiệm kỳ 2015-2020", "s:kind", "term",
	   "s:start", "2016-01-01", "s:end", "2020-12-31", NULL);
	ok("term.create", "s:code", "2021-2025", "s:name", "Nhiệm kỳ 2020-2025", "s:kind", "term",
	   "s:start", "2021-01-01", "s:end", "2025-12-31", NULL);
	ok("term.create", "s:code", "2024", "s:kind", "year", "s:start", "2024-01-01", "s:end",
	   "2024-12-31", NULL);
}

/* Task ids 1..7:
 *  id owner unit term       kind          field            assigned_by due
 *  1  C1    H1   2021-2025  breakthrough  socio_economic   TU          2023-06-30
 *  2  C1    H1   2021-2025  innovation    party_building   TU          2025-12-31
 *  3  C2    X1   2021-2025  breakthrough  livelihood       H1          2022-01-01
 *  4  C3    X2   2021-2025  breakthrough  socio_economic   H1          2024-05-01
 *  5  C4    H2   2016-2020  innovation    defence_security TU          2019-01-01
 *  6  C5    T    2021-2025  breakthrough  socio_economic   T           2025-01-01
 *  7  C2    H2   2024       innovation    livelihood       T (given)   2024-12-31 (unit given)
 */
static void task(const char *title, const char *owner, const char *term, const char *kind,
		 const char *fld, const char *due)
{
	ok("task.create", "s:title", title, "s:kind", kind, "s:field", fld, "s:owner", owner,
	   "s:term", term, "s:product", "Sản phẩm cụ thể", "s:due_date", due, NULL);
}

static void seed_tasks(void)
{
	task("Làm đường giao thông nông thôn", "C1", "2021-2025", "breakthrough", "socio_economic",
	     "2023-06-30");
	task("Đổi mới sinh hoạt chi bộ", "C1", "2021-2025", "innovation", "party_building",
	     "2025-12-31");
	task("Nước sạch cho bản", "C2", "2021-2025", "breakthrough", "livelihood", "2022-01-01");
	task("Chợ trung tâm xã", "C3", "2021-2025", "breakthrough", "socio_economic", "2024-05-01");
	task("Diễn tập khu vực phòng thủ", "C4", "2016-2020", "innovation", "defence_security",
	     "2019-01-01");
	task("Thu hút đầu tư", "C5", "2021-2025", "breakthrough", "socio_economic", "2025-01-01");
	ok("task.create", "s:title", "Nhà văn hóa", "s:kind", "innovation", "s:field", "livelihood",
	   "s:owner", "C2", "s:unit", "H2", "s:term", "2024", "s:assigned_by", "T", "s:product",
	   "Một nhà văn hóa", "s:due_date", "2024-12-31", NULL);
}

/* Assigns the seeded tasks, so progress can be reported on them
 * (PROTOCOL.md 6a; test_workflow.c tests the workflow itself). */
static void assign_tasks(void)
{
	for (int id = 1; id <= 7; id++)
		ok("task.assign", "i:task", id, "s:decision_no", "01-QĐ/TU", "s:decision_date",
		   "2021-01-15", NULL);
}

static void seed_all(void)
{
	seed_units();
	seed_cadres();
	seed_terms();
	seed_tasks();
	assign_tasks();
}

/* ---- cadres ---- */

Test(storage, cadre_create_returns_the_cadre_with_its_current_post)
{
	const msgpack_object *c, *g, *posts;

	seed_units();
	c = ok("cadre.create", "s:code", "C1", "s:full_name", "Nguyễn Văn An", "s:title",
	       "Bí thư Huyện ủy", "s:unit", "H1", "s:managing_unit", "TU", "s:since", "2020-10-01",
	       NULL);
	cr_assert_eq(nkeys(c), 11);
	cr_assert_eq(I(c, "id"), 1);
	cr_assert_str_eq(S(c, "code"), "C1");
	cr_assert_str_eq(S(c, "full_name"), "Nguyễn Văn An");
	cr_assert_str_eq(S(c, "title"), "Bí thư Huyện ủy");
	cr_assert_eq(I(c, "unit_id"), 3);
	cr_assert_str_eq(S(c, "unit_code"), "H1");
	cr_assert_str_eq(S(c, "unit_name"), "Huyện Sơn Dương");
	cr_assert_eq(I(c, "managing_unit_id"), 2);
	cr_assert_str_eq(S(c, "managing_unit_code"), "TU");
	cr_assert_str_eq(S(c, "managing_unit_name"), "Ban Thường vụ Tỉnh ủy");
	cr_assert_str_eq(S(c, "since"), "2020-10-01");

	g = ok("cadre.get", "s:cadre", "C1", NULL);
	cr_assert_eq(nkeys(g), 13);
	cr_assert_eq(I(g, "tasks"), 0);
	posts = A(g, "postings");
	cr_assert_eq(len(posts), 1);
	cr_assert_eq(nkeys(at(posts, 0)), 6);
	cr_assert_eq(I(at(posts, 0), "unit_id"), 3);
	cr_assert_str_eq(S(at(posts, 0), "unit_code"), "H1");
	cr_assert_str_eq(S(at(posts, 0), "unit_name"), "Huyện Sơn Dương");
	cr_assert_str_eq(S(at(posts, 0), "title"), "Bí thư Huyện ủy");
	cr_assert_str_eq(S(at(posts, 0), "valid_from"), "2020-10-01");
	cr_assert(is_nil(at(posts, 0), "valid_to"));

	/* since defaults to today; refs by id work too. */
	c = ok("cadre.create", "s:code", "C2", "s:full_name", "Trần Thị Bình", "s:title", "Chủ tịch",
	       "i:unit", 4, "i:managing_unit", 3, NULL);
	cr_assert_str_eq(S(c, "since"), today);
	cr_assert_str_eq(S(c, "unit_code"), "X1");
	g = ok("cadre.get", "i:cadre", 2, NULL);
	cr_assert_str_eq(S(at(A(g, "postings"), 0), "valid_from"), today);
}

Test(storage, cadre_create_refuses_bad_input)
{
	seed_units();
	ok("cadre.create", "s:code", "C1", "s:full_name", "A", "s:title", "B", "s:unit", "H1",
	   "s:managing_unit", "TU", NULL);

	fails("cadre.create", "s:code", "C1", "s:full_name", "A", "s:title", "B", "s:unit", "H1",
	      "s:managing_unit", "TU", NULL);
	expect_error(RPC_CONFLICT, "code: a cadre with code 'C1' already exists");
	fails("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "B", "s:unit", "NOPE",
	      "s:managing_unit", "TU", NULL);
	expect_error(RPC_NOT_FOUND, "unit: no unit with code 'NOPE'");
	fails("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "B", "s:unit", "H1",
	      "i:managing_unit", 99, NULL);
	expect_error(RPC_NOT_FOUND, "managing_unit: no unit with id 99");
	fails("cadre.create", "s:code", "C 2", "s:full_name", "A", "s:title", "B", "s:unit", "H1",
	      "s:managing_unit", "TU", NULL);
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	cr_assert(strncmp(world_last.message, "code: ", 6) == 0, "%s", world_last.message);
	fails("cadre.create", "s:code", "C2", "s:title", "B", "s:unit", "H1", "s:managing_unit",
	      "TU", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "full_name: is required");
	fails("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "  ", "s:unit", "H1",
	      "s:managing_unit", "TU", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "title: must not be empty");
	fails("cadre.create", "s:code", "C2", "x:full_name", "Nguy\xc3\x28n", 7, "s:title", "B",
	      "s:unit", "H1", "s:managing_unit", "TU", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "full_name: is not valid UTF-8 text");
	fails("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "B", "s:unit", "H1",
	      "s:managing_unit", "TU", "s:since", "2021-02-29", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "since: must be a date YYYY-MM-DD, got '2021-02-29'");
	fails("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "B", "s:unit", "H1",
	      "s:managing_unit", "TU", "s:rank", "x", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "rank: unknown field");

	ok("unit.close", "s:unit", "X2", "s:date", "2020-01-01", NULL);
	fails("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "B", "s:unit", "X2",
	      "s:managing_unit", "TU", "s:since", "2020-06-01", NULL);
	expect_error(RPC_CONFLICT, "unit: that unit was closed on 2020-01-01");
	/* Before it closed, a post there is fine. */
	ok("cadre.create", "s:code", "C2", "s:full_name", "A", "s:title", "B", "s:unit", "X2",
	   "s:managing_unit", "TU", "s:since", "2019-06-01", NULL);
	cr_assert_eq(I(ok("cadre.list", NULL), "total"), 2);
}

Test(storage, cadre_update_corrects_without_history)
{
	const msgpack_object *c, *posts;

	seed_units();
	seed_cadres();
	c = ok("cadre.update", "s:cadre", "C1", "s:full_name", "Nguyễn Văn Ân", NULL);
	cr_assert_str_eq(S(c, "full_name"), "Nguyễn Văn Ân");
	cr_assert_str_eq(S(c, "title"), "Bí thư Huyện ủy");
	cr_assert_str_eq(S(c, "managing_unit_code"), "TU");

	c = ok("cadre.update", "s:cadre", "C1", "s:title", "Phó Bí thư Huyện ủy", "s:managing_unit",
	       "H1", NULL);
	cr_assert_str_eq(S(c, "full_name"), "Nguyễn Văn Ân");
	cr_assert_str_eq(S(c, "title"), "Phó Bí thư Huyện ủy");
	cr_assert_eq(I(c, "managing_unit_id"), 3);
	cr_assert_str_eq(S(c, "managing_unit_name"), "Huyện Sơn Dương");
	cr_assert_str_eq(S(c, "since"), "2020-10-01");
	posts = A(ok("cadre.get", "s:cadre", "C1", NULL), "postings");
	cr_assert_eq(len(posts), 1);
	cr_assert_str_eq(S(at(posts, 0), "title"), "Phó Bí thư Huyện ủy");

	fails("cadre.update", "s:cadre", "C1", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "give at least one of full_name, title, managing_unit");
	fails("cadre.update", "s:cadre", "C9", "s:title", "x", NULL);
	expect_error(RPC_NOT_FOUND, "cadre: no cadre with code 'C9'");
	fails("cadre.update", "s:cadre", "C1", "s:managing_unit", "ZZ", NULL);
	expect_error(RPC_NOT_FOUND, "managing_unit: no unit with code 'ZZ'");
	fails("cadre.update", "s:cadre", "C1", "s:full_name", "", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "full_name: must not be empty");
	fails("cadre.update", "s:cadre", "C1", "s:unit", "X1", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "unit: unknown field");
}

Test(storage, cadre_transfer_keeps_the_history_of_posts)
{
	const msgpack_object *c, *g, *posts;

	seed_units();
	seed_cadres();
	c = ok("cadre.transfer", "s:cadre", "C2", "s:unit", "H1", "s:date", "2022-03-01", NULL);
	cr_assert_str_eq(S(c, "unit_code"), "H1");
	cr_assert_str_eq(S(c, "title"), "Bí thư Đảng ủy"); /* unchanged */
	cr_assert_str_eq(S(c, "since"), "2022-03-01");
	c = ok("cadre.transfer", "s:cadre", "C2", "s:unit", "H2", "s:title", "Phó Chủ tịch UBND",
	       "s:date", "2024-01-01", NULL);
	cr_assert_str_eq(S(c, "title"), "Phó Chủ tịch UBND");
	cr_assert_str_eq(S(c, "unit_name"), "Huyện Yên Sơn");

	g = ok("cadre.get", "s:cadre", "C2", NULL);
	posts = A(g, "postings");
	cr_assert_eq(len(posts), 3);
	cr_assert_str_eq(S(at(posts, 0), "unit_code"), "X1");
	cr_assert_str_eq(S(at(posts, 0), "valid_from"), "2020-08-01");
	cr_assert_str_eq(S(at(posts, 0), "valid_to"), "2022-02-28");
	cr_assert_str_eq(S(at(posts, 0), "title"), "Bí thư Đảng ủy");
	cr_assert_str_eq(S(at(posts, 1), "unit_code"), "H1");
	cr_assert_str_eq(S(at(posts, 1), "valid_from"), "2022-03-01");
	cr_assert_str_eq(S(at(posts, 1), "valid_to"), "2023-12-31");
	cr_assert_str_eq(S(at(posts, 1), "title"), "Bí thư Đảng ủy");
	cr_assert_str_eq(S(at(posts, 2), "unit_code"), "H2");
	cr_assert_str_eq(S(at(posts, 2), "valid_from"), "2024-01-01");
	cr_assert(is_nil(at(posts, 2), "valid_to"));
	cr_assert_str_eq(S(at(posts, 2), "title"), "Phó Chủ tịch UBND");

	/* A posting shows its unit's name of that time. */
	ok("unit.rename", "s:unit", "X1", "s:name", "Xã Hợp Thành mới", "s:date", "2023-01-01", NULL);
	posts = A(ok("cadre.get", "s:cadre", "C2", NULL), "postings");
	cr_assert_str_eq(S(at(posts, 0), "unit_name"), "Xã Hợp Thành");

	/* Leap day: the post before 2024-03-01 ends on 2024-02-29. */
	ok("cadre.transfer", "s:cadre", "C3", "s:unit", "X1", "s:date", "2024-03-01", NULL);
	posts = A(ok("cadre.get", "s:cadre", "C3", NULL), "postings");
	cr_assert_str_eq(S(at(posts, 0), "valid_to"), "2024-02-29");

	/* The date must be after the start of the current post. */
	fails("cadre.transfer", "s:cadre", "C2", "s:unit", "X1", "s:date", "2024-01-01", NULL);
	expect_error(RPC_CONFLICT, "date: must be after the start of the current post, 2024-01-01");
	fails("cadre.transfer", "s:cadre", "C2", "s:unit", "X1", "s:date", "2023-05-01", NULL);
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	fails("cadre.transfer", "s:cadre", "C2", "s:unit", "X1", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "date: is required");
	fails("cadre.transfer", "s:cadre", "C2", "s:unit", "X9", "s:date", "2025-01-01", NULL);
	expect_error(RPC_NOT_FOUND, "unit: no unit with code 'X9'");

	/* Not into a closed unit; nothing changes when refused. */
	ok("unit.close", "s:unit", "X2", "s:date", "2024-06-01", NULL);
	fails("cadre.transfer", "s:cadre", "C2", "s:unit", "X2", "s:date", "2024-06-01", NULL);
	expect_error(RPC_CONFLICT, "unit: that unit was closed on 2024-06-01");
	ok("cadre.transfer", "s:cadre", "C2", "s:unit", "X2", "s:date", "2024-05-31", NULL);
	g = ok("cadre.get", "s:cadre", "C2", NULL);
	cr_assert_eq(len(A(g, "postings")), 4);
	cr_assert_str_eq(S(at(A(g, "postings"), 2), "valid_to"), "2024-05-30");
}

Test(storage, cadre_list_filters_by_subtree_and_managing_unit_and_pages)
{
	const msgpack_object *r;
	char buf[200];

	seed_units();
	seed_cadres();
	r = ok("cadre.list", NULL);
	cr_assert_eq(nkeys(r), 3);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "1,2,3,4,5");
	cr_assert_eq(I(r, "total"), 5);
	cr_assert(is_nil(r, "next"));

	r = ok("cadre.list", "s:unit", "H1", NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "1,2,3");
	cr_assert_eq(I(r, "total"), 3);
	r = ok("cadre.list", "s:unit", "X1", NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "2");
	r = ok("cadre.list", "s:managed_by", "TU", NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "1,4");
	r = ok("cadre.list", "s:managed_by", "T", NULL); /* exactly, not below */
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "5");
	r = ok("cadre.list", "s:unit", "H1", "s:managed_by", "H1", NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "2,3");

	r = ok("cadre.list", "i:limit", 2, NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "1,2");
	cr_assert_eq(I(r, "next"), 2);
	cr_assert_eq(I(r, "total"), 5);
	r = ok("cadre.list", "i:limit", 2, "i:after", 2, NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "3,4");
	cr_assert_eq(I(r, "next"), 4);
	r = ok("cadre.list", "i:limit", 2, "i:after", 4, NULL);
	cr_assert_str_eq(ids(r, buf, sizeof(buf)), "5");
	cr_assert(is_nil(r, "next"));
	cr_assert_eq(I(r, "total"), 5);

	/* A transfer moves the cadre between subtrees. */
	ok("cadre.transfer", "s:cadre", "C2", "s:unit", "H2", "s:date", "2023-01-01", NULL);
	cr_assert_str_eq(ids(ok("cadre.list", "s:unit", "H1", NULL), buf, sizeof(buf)), "1,3");
	cr_assert_str_eq(ids(ok("cadre.list", "s:unit", "H2", NULL), buf, sizeof(buf)), "2,4");

	fails("cadre.list", "s:unit", "NOPE", NULL);
	expect_error(RPC_NOT_FOUND, "unit: no unit with code 'NOPE'");
	fails("cadre.list", "i:limit", 0, NULL);
	expect_error(RPC_INVALID_ARGUMENT, "limit: must be between 1 and 1000, got 0");
}

/* ---- terms ---- */

Test(storage, terms_are_created_got_and_listed_by_start)
{
	const msgpack_object *t, *items;

	t = ok("term.create", "s:code", "2021-2025", "s:kind", "term", "s:start", "2021-01-01",
	       "s:end", "2025-12-31", NULL);
	cr_assert_eq(nkeys(t), 6);
	cr_assert_eq(I(t, "id"), 1);
	cr_assert_str_eq(S(t, "code"), "2021-2025");
	cr_assert_str_eq(S(t, "name"), "2021-2025"); /* defaults to the code */
	cr_assert_str_eq(S(t, "kind"), "term");
	cr_assert_str_eq(S(t, "start"), "2021-01-01");
	cr_assert_str_eq(S(t, "end"), "2025-12-31");
	ok("term.create", "s:code", "2024", "s:name", "Năm 2024", "s:kind", "year", "s:start",
	   "2024-01-01", "s:end", "2024-12-31", NULL);
	ok("term.create", "s:code", "2016-2020", "s:kind", "term", "s:start", "2016-01-01", "s:end",
	   "2020-12-31", NULL);
	ok("term.create", "s:code", "2021", "s:kind", "year", "s:start", "2021-01-01", "s:end",
	   "2021-12-31", NULL);

	t = ok("term.get", "s:term", "2024", NULL);
	cr_assert_str_eq(S(t, "name"), "Năm 2024");
	cr_assert_str_eq(S(t, "kind"), "year");
	cr_assert_eq(I(ok("term.get", "i:term", 3, NULL), "id"), 3);

	t = ok("term.list", NULL);
	cr_assert_eq(nkeys(t), 2);
	cr_assert_eq(I(t, "total"), 4);
	items = A(t, "items");
	cr_assert_eq(len(items), 4);
	cr_assert_str_eq(S(at(items, 0), "code"), "2016-2020");
	cr_assert_str_eq(S(at(items, 1), "code"), "2021-2025"); /* same start: by id */
	cr_assert_str_eq(S(at(items, 2), "code"), "2021");
	cr_assert_str_eq(S(at(items, 3), "code"), "2024");
}

Test(storage, term_create_refuses_bad_input)
{
	ok("term.create", "s:code", "2021-2025", "s:kind", "term", "s:start", "2021-01-01", "s:end",
	   "2025-12-31", NULL);
	fails("term.create", "s:code", "2021-2025", "s:kind", "term", "s:start", "2021-01-01",
	      "s:end", "2025-12-31", NULL);
	expect_error(RPC_CONFLICT, "code: a term with code '2021-2025' already exists");
	fails("term.create", "s:code", "X", "s:kind", "term", "s:start", "2021-01-01", "s:end",
	      "2020-12-31", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "end: must not be before start 2021-01-01, got 2020-12-31");
	fails("term.create", "s:code", "X", "s:kind", "decade", "s:start", "2021-01-01", "s:end",
	      "2021-12-31", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "kind: must be one of year, term; got 'decade'");
	fails("term.create", "s:code", "X", "s:kind", "year", "s:start", "2021-13-01", "s:end",
	      "2021-12-31", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "start: must be a date YYYY-MM-DD, got '2021-13-01'");
	fails("term.create", "s:code", "X", "s:kind", "year", "s:start", "01/01/2021", "s:end",
	      "2021-12-31", NULL);
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	fails("term.create", "s:code", "X", "s:kind", "year", "s:start", "2021-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "end: is required");
	fails("term.get", "s:term", "2031-2035", NULL);
	expect_error(RPC_NOT_FOUND, "term: no term with code '2031-2035'");
	fails("term.get", "i:term", 7, NULL);
	expect_error(RPC_NOT_FOUND, "term: no term with id 7");
	fails("term.list", "s:all", "yes", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "all: unknown field");
	cr_assert_eq(I(ok("term.list", NULL), "total"), 1);
}

/* ---- tasks ---- */

Test(storage, task_create_fills_defaults_from_the_owner)
{
	const msgpack_object *t, *owners;

	seed_units();
	seed_cadres();
	seed_terms();
	t = ok("task.create", "s:title", "Làm đường giao thông", "s:kind", "breakthrough", "s:field",
	       "socio_economic", "s:owner", "C1", "s:term", "2021-2025", "s:product", "10 km đường",
	       "s:due_date", "2023-06-30", NULL);
	cr_assert_eq(nkeys(t), 40);
	cr_assert_str_eq(S(t, "code"), "T1"); /* made without one (migration 12) */
	cr_assert_str_eq(S(t, "state"), "registered");
	cr_assert_str_eq(S(t, "status"), "not_assigned");
	cr_assert_eq(I(t, "id"), 1);
	cr_assert_str_eq(S(t, "title"), "Làm đường giao thông");
	cr_assert_str_eq(S(t, "description"), "");
	cr_assert_str_eq(S(t, "kind"), "breakthrough");
	cr_assert_str_eq(S(t, "field"), "socio_economic");
	cr_assert_eq(I(t, "owner_id"), 1);
	cr_assert_str_eq(S(t, "owner_code"), "C1");
	cr_assert_str_eq(S(t, "owner_name"), "Nguyễn Văn An");
	cr_assert_eq(I(t, "unit_id"), 3); /* the owner's unit */
	cr_assert_str_eq(S(t, "unit_code"), "H1");
	cr_assert_str_eq(S(t, "unit_name"), "Huyện Sơn Dương");
	cr_assert_eq(I(t, "term_id"), 2);
	cr_assert_str_eq(S(t, "term_code"), "2021-2025");
	cr_assert_eq(I(t, "assigned_by_id"), 2); /* the owner's managing unit */
	cr_assert_str_eq(S(t, "assigned_by_code"), "TU");
	cr_assert_str_eq(S(t, "assigned_by_name"), "Ban Thường vụ Tỉnh ủy");
	cr_assert_eq(I(t, "managing_unit_id"), 2);
	cr_assert_str_eq(S(t, "product"), "10 km đường");
	cr_assert_str_eq(S(t, "due_date"), "2023-06-30");
	cr_assert_eq(I(t, "percent"), 0);
	cr_assert(is_nil(t, "last_update_at"));
	cr_assert_eq(I(t, "updates"), 0);
	cr_assert(flag(t, "overdue")); /* due 2023-06-30, nothing done, today is later */
	cr_assert_eq(strlen(S(t, "created_at")), 20);
	cr_assert_str_eq(S(t, "created_at"), S(t, "updated_at"));

	t = ok("task.get", "i:task", 1, NULL);
	cr_assert_eq(nkeys(t), 44);
	cr_assert(is_nil(t, "focal_point"));
	cr_assert(is_nil(t, "pending_amendment"));
	cr_assert_eq(nkeys(field(t, "plan")), 3); /* no steps yet */
	cr_assert_eq(I(field(t, "plan"), "steps"), 0);
	cr_assert(is_nil(field(t, "plan"), "percent_from_steps"));
	owners = A(t, "owners");
	cr_assert_eq(len(owners), 1);
	cr_assert_eq(nkeys(at(owners, 0)), 4);
	cr_assert_eq(I(at(owners, 0), "cadre_id"), 1);
	cr_assert_str_eq(S(at(owners, 0), "cadre_code"), "C1");
	cr_assert_str_eq(S(at(owners, 0), "full_name"), "Nguyễn Văn An");
	cr_assert_str_eq(S(at(owners, 0), "valid_from"), today);

	/* Everything given explicitly, refs by id. */
	t = ok("task.create", "s:title", "Nhà văn hóa", "s:description", "Xây mới", "s:kind",
	       "innovation", "s:field", "livelihood", "i:owner", 2, "i:unit", 6, "i:term", 3,
	       "i:assigned_by", 1, "s:product", "", "s:due_date", "2024-12-31", NULL);
	cr_assert_str_eq(S(t, "description"), "Xây mới");
	cr_assert_str_eq(S(t, "unit_code"), "H2");
	cr_assert_str_eq(S(t, "term_code"), "2024");
	cr_assert_str_eq(S(t, "assigned_by_code"), "T");
	cr_assert_eq(I(t, "managing_unit_id"), 3); /* C2 is managed by H1 */
	cr_assert_str_eq(S(t, "product"), "");
	cr_assert_eq(I(ok("cadre.get", "s:cadre", "C2", NULL), "tasks"), 1);
	cr_assert_eq(I(ok("unit.get", "s:unit", "H2", NULL), "tasks"), 1);
}

Test(storage, task_create_refuses_bad_input)
{
	char longtitle[502];

	seed_units();
	seed_cadres();
	seed_terms();
#define TASK_OK_FIELDS "s:kind", "breakthrough", "s:field", "livelihood", "s:product", "p"
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "NOPE", "s:term",
	      "2021-2025", "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_NOT_FOUND, "owner: no cadre with code 'NOPE'");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "i:owner", 42, "s:term", "2021-2025",
	      "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_NOT_FOUND, "owner: no cadre with id 42");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "C1", "s:term", "2031",
	      "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_NOT_FOUND, "term: no term with code or id '2031'");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "C1", "s:unit", "X9",
	      "s:term", "2021-2025", "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_NOT_FOUND, "unit: no unit with code 'X9'");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "C1", "s:assigned_by", "X9",
	      "s:term", "2021-2025", "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_NOT_FOUND, "assigned_by: no unit with code 'X9'");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "C1", "s:term", "2021-2025",
	      "s:due_date", "2020-12-31", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "due_date: must not be before the term's start 2021-01-01");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "C1", "s:term", "2021-2025",
	      "s:due_date", "2021-06-31", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "due_date: must be a date YYYY-MM-DD, got '2021-06-31'");
	fails("task.create", "s:title", "", TASK_OK_FIELDS, "s:owner", "C1", "s:term", "2021-2025",
	      "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "title: must not be empty");
	fails("task.create", "x:title", "Đư\xffờng", (int)strlen("Đư\xffờng"), TASK_OK_FIELDS, "s:owner", "C1", "s:term",
	      "2021-2025", "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "title: is not valid UTF-8 text");
	memset(longtitle, 'a', 501);
	longtitle[501] = '\0';
	fails("task.create", "s:title", longtitle, TASK_OK_FIELDS, "s:owner", "C1", "s:term",
	      "2021-2025", "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "title: at most 500 bytes, got 501");
	fails("task.create", "i:title", 5, TASK_OK_FIELDS, "s:owner", "C1", "s:term", "2021-2025",
	      "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "title: must be a string, got an integer");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "s:owner", "C1", "s:term", "2021-2025",
	      "s:due_date", "2022-01-01", "s:colour", "red", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "colour: unknown field");
	fails("task.create", "s:title", "T", "s:kind", "routine", "s:field", "livelihood",
	      "s:product", "p", "s:owner", "C1", "s:term", "2021-2025", "s:due_date", "2022-01-01",
	      NULL);
	expect_error(RPC_INVALID_ARGUMENT, "kind: must be one of breakthrough, innovation; got 'routine'");
	fails("task.create", "s:title", "T", "s:kind", "innovation", "s:field", "culture",
	      "s:product", "p", "s:owner", "C1", "s:term", "2021-2025", "s:due_date", "2022-01-01",
	      NULL);
	expect_error(RPC_INVALID_ARGUMENT,
		     "field: must be one of socio_economic, defence_security, party_building, "
		     "livelihood; got 'culture'");
	fails("task.create", "s:title", "T", "s:kind", "innovation", "s:field", "livelihood",
	      "s:owner", "C1", "s:term", "2021-2025", "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "product: is required");
	fails("task.create", "s:title", "T", TASK_OK_FIELDS, "f:owner", 1.0, "s:term", "2021-2025",
	      "s:due_date", "2022-01-01", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "owner: must be a positive id or a code, got a float");
#undef TASK_OK_FIELDS
	cr_assert_eq(I(ok("task.list", NULL), "total"), 0);
}

Test(storage, task_update_changes_fields_and_records_owners)
{
	const msgpack_object *t, *owners;
	char created[32];

	/* Registered, not assigned: every field changes by task.update
	 * (after assignment the substance needs an amendment: test_amendment.c). */
	seed_units();
	seed_cadres();
	seed_terms();
	seed_tasks();
	t = ok("task.get", "i:task", 1, NULL);
	snprintf(created, sizeof(created), "%s", S(t, "created_at"));

	t = ok("task.update", "i:task", 1, "s:title", "Làm 20 km đường", "s:description", "Mô tả",
	       "s:product", "20 km", "s:field", "livelihood", "s:kind", "innovation", NULL);
	cr_assert_str_eq(S(t, "title"), "Làm 20 km đường");
	cr_assert_str_eq(S(t, "description"), "Mô tả");
	cr_assert_str_eq(S(t, "product"), "20 km");
	cr_assert_str_eq(S(t, "field"), "livelihood");
	cr_assert_str_eq(S(t, "kind"), "innovation");
	cr_assert_str_eq(S(t, "owner_code"), "C1");
	cr_assert_str_eq(S(t, "created_at"), created);

	/* A new owner is recorded; the unit and assigning body stay. */
	t = ok("task.update", "i:task", 1, "s:owner", "C4", NULL);
	cr_assert_str_eq(S(t, "owner_code"), "C4");
	cr_assert_eq(I(t, "managing_unit_id"), 2);
	cr_assert_str_eq(S(t, "unit_code"), "H1");
	cr_assert_str_eq(S(t, "assigned_by_code"), "TU");
	/* The same owner again is no change of owner. */
	ok("task.update", "i:task", 1, "s:owner", "C4", NULL);
	ok("task.update", "i:task", 1, "i:owner", 1, NULL);
	/* ...but not to a cadre managed above the assigning body (TU): C3 is
	 * managed by H1, C5 by T, and TU is an ancestor of neither. */
	fails("task.update", "i:task", 1, "s:owner", "C5", NULL);
	expect_error(RPC_INVALID_ARGUMENT,
		     "owner: unit TU may not assign a task to cadre C5, who is managed by T; a task "
		     "is assigned by its cadre's managing unit or a unit above it");
	owners = A(ok("task.get", "i:task", 1, NULL), "owners");
	cr_assert_eq(len(owners), 3);
	cr_assert_str_eq(S(at(owners, 0), "cadre_code"), "C1");
	cr_assert_str_eq(S(at(owners, 1), "cadre_code"), "C4");
	cr_assert_str_eq(S(at(owners, 1), "valid_from"), today);
	cr_assert_str_eq(S(at(owners, 2), "cadre_code"), "C1");

	t = ok("task.update", "i:task", 1, "s:unit", "X1", "s:assigned_by", "T", "s:term", "2024",
	       "s:due_date", "2024-10-01", NULL);
	cr_assert_str_eq(S(t, "unit_code"), "X1");
	cr_assert_str_eq(S(t, "assigned_by_code"), "T");
	cr_assert_str_eq(S(t, "term_code"), "2024");
	cr_assert_str_eq(S(t, "due_date"), "2024-10-01");

	fails("task.update", "i:task", 1, NULL);
	expect_error(RPC_INVALID_ARGUMENT,
		     "give at least one of title, description, kind, field, owner, unit, term, "
		     "assigned_by, product, due_date");
	fails("task.update", "i:task", 999, "s:title", "x", NULL);
	expect_error(RPC_NOT_FOUND, "task: no task with id 999");
	fails("task.update", "s:task", "T1", "s:title", "x", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "task: must be an integer, got a string");
	fails("task.update", "i:task", 0, "s:title", "x", NULL);
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	fails("task.update", "i:task", 1, "s:owner", "C9", NULL);
	expect_error(RPC_NOT_FOUND, "owner: no cadre with code 'C9'");
	fails("task.update", "i:task", 1, "s:due_date", "2023-12-31", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "due_date: must not be before the term's start 2024-01-01");
	/* Moving to a later term checks the due date it keeps. */
	ok("term.create", "s:code", "2026-2030", "s:kind", "term", "s:start", "2026-01-01", "s:end",
	   "2030-12-31", NULL);
	fails("task.update", "i:task", 1, "s:term", "2026-2030", NULL);
	expect_error(RPC_INVALID_ARGUMENT,
		     "term: the term starts 2026-01-01, after the due date 2024-10-01");
	t = ok("task.update", "i:task", 1, "s:term", "2026-2030", "s:due_date", "2027-01-01", NULL);
	cr_assert_str_eq(S(t, "term_code"), "2026-2030");
}

Test(storage, a_failing_request_leaves_the_database_unchanged)
{
	const msgpack_object *before, *after, *owners;
	char updated[32];

	seed_all();
	ok("term.create", "s:code", "2026-2030", "s:kind", "term", "s:start", "2026-01-01", "s:end",
	   "2030-12-31", NULL);
	before = ok("task.get", "i:task", 3, NULL);
	snprintf(updated, sizeof(updated), "%s", S(before, "updated_at"));
	sleep(1); /* a change would move updated_at */

	/* The owner change and the new term are written, then the due date
	 * check fails on the resulting row: the whole request is rolled back. */
	fails("task.update", "i:task", 3, "s:owner", "C4", "s:term", "2026-2030", "s:description",
	      "Mô tả mới", NULL);
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	after = ok("task.get", "i:task", 3, NULL);
	cr_assert_str_eq(S(after, "owner_code"), "C2");
	cr_assert_str_eq(S(after, "term_code"), "2021-2025");
	cr_assert_str_eq(S(after, "title"), "Nước sạch cho bản");
	cr_assert_str_eq(S(after, "updated_at"), updated);
	owners = A(after, "owners");
	cr_assert_eq(len(owners), 1);
	cr_assert_eq(I(ok("task.list", "s:cadre", "C4", NULL), "total"), 1);

	/* A transfer refused after its checks leaves the postings alone. */
	ok("unit.close", "s:unit", "X2", "s:date", "2024-01-01", NULL);
	fails("cadre.transfer", "s:cadre", "C1", "s:unit", "X2", "s:date", "2024-02-01", NULL);
	after = ok("cadre.get", "s:cadre", "C1", NULL);
	cr_assert_eq(len(A(after, "postings")), 1);
	cr_assert_str_eq(S(after, "unit_code"), "H1");
	cr_assert_str_eq(S(after, "since"), "2020-10-01");

	/* A refused update adds nothing. */
	fails("update.create", "i:task", 3, "i:percent", 101, "s:done", "x", NULL);
	after = ok("task.get", "i:task", 3, NULL);
	cr_assert_eq(I(after, "updates"), 0);
	cr_assert_eq(I(after, "percent"), 0);
	cr_assert_eq(I(ok("update.list", "i:task", 3, NULL), "total"), 0);
}

Test(storage, task_get_reports_overdue_as_of_a_date)
{
	const msgpack_object *t;

	seed_all();
	/* task 4: due 2024-05-01, nothing done */
	cr_assert_not(flag(ok("task.get", "i:task", 4, "s:as_of", "2024-04-30", NULL), "overdue"));
	cr_assert_not(flag(ok("task.get", "i:task", 4, "s:as_of", "2024-05-01", NULL), "overdue"));
	cr_assert(flag(ok("task.get", "i:task", 4, "s:as_of", "2024-05-02", NULL), "overdue"));
	cr_assert(flag(ok("task.get", "i:task", 4, NULL), "overdue"));
	ok("update.create", "i:task", 4, "i:percent", 99, "s:done", "Gần xong", NULL);
	cr_assert(flag(ok("task.get", "i:task", 4, NULL), "overdue"));
	ok("update.create", "i:task", 4, "i:percent", 100, "s:done", "Xong", NULL);
	t = ok("task.get", "i:task", 4, NULL);
	cr_assert_not(flag(t, "overdue"));
	cr_assert_eq(I(t, "percent"), 100);

	fails("task.get", "i:task", 77, NULL);
	expect_error(RPC_NOT_FOUND, "task: no task with id 77");
	fails("task.get", "i:task", 4, "s:as_of", "yesterday", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "as_of: must be a date YYYY-MM-DD, got 'yesterday'");
	fails("task.get", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "task: is required");
}

Test(storage, a_task_shows_its_unit_name_of_its_term)
{
	const msgpack_object *t;

	seed_units();
	seed_cadres();
	seed_terms();
	ok("term.create", "s:code", "2100", "s:kind", "year", "s:start", "2100-01-01", "s:end",
	   "2100-12-31", NULL);
	task("Cũ", "C4", "2016-2020", "innovation", "defence_security", "2019-01-01");
	task("Mới", "C4", "2100", "innovation", "defence_security", "2100-06-01");
	/* H2 becomes a town after the 2016-2020 term. */
	ok("unit.rename", "s:unit", "H2", "s:name", "Thị xã Yên Sơn", "s:date", "2021-06-01", NULL);
	ok("unit.rename", "s:unit", "TU", "s:name", "Thường trực Tỉnh ủy", "s:date", "2022-01-01",
	   NULL);

	t = ok("task.get", "i:task", 1, NULL);
	cr_assert_str_eq(S(t, "unit_name"), "Huyện Yên Sơn");
	cr_assert_str_eq(S(t, "assigned_by_name"), "Ban Thường vụ Tỉnh ủy");
	/* A term not over yet shows today's name. */
	t = ok("task.get", "i:task", 2, NULL);
	cr_assert_str_eq(S(t, "unit_name"), "Thị xã Yên Sơn");
	cr_assert_str_eq(S(t, "assigned_by_name"), "Thường trực Tỉnh ủy");
	/* ... or the as-of date's, if earlier. */
	t = ok("task.get", "i:task", 2, "s:as_of", "2021-05-31", NULL);
	cr_assert_str_eq(S(t, "unit_name"), "Huyện Yên Sơn");
	/* The list shows the same names. */
	t = A(ok("task.list", NULL), "items");
	cr_assert_str_eq(S(at(t, 0), "unit_name"), "Huyện Yên Sơn");
	cr_assert_str_eq(S(at(t, 1), "unit_name"), "Thị xã Yên Sơn");
	/* The unit itself and the cadre read as of today. */
	cr_assert_str_eq(S(ok("unit.get", "s:unit", "H2", NULL), "name"), "Thị xã Yên Sơn");
	cr_assert_str_eq(S(ok("cadre.get", "s:cadre", "C4", NULL), "unit_name"), "Thị xã Yên Sơn");
}

/* Checks one task.list call: the ids, total and cadres. */
#define LIST_IS(expect_ids, expect_total, expect_cadres, ...)                                   \
	do {                                                                                     \
		const msgpack_object *r_ = ok("task.list", __VA_ARGS__);                         \
		char b_[200];                                                                    \
		cr_assert_eq(nkeys(r_), 4);                                                      \
		cr_assert_str_eq(ids(r_, b_, sizeof(b_)), expect_ids);                           \
		cr_assert_eq(I(r_, "total"), expect_total, "total %lld",                         \
			     (long long)I(r_, "total"));                                         \
		cr_assert_eq(I(r_, "cadres"), expect_cadres, "cadres %lld",                      \
			     (long long)I(r_, "cadres"));                                        \
	} while (0)

Test(storage, task_list_filters_and_counts)
{
	seed_all();
	LIST_IS("1,2,3,4,5,6,7", 7, 5, NULL);
	LIST_IS("1,2,3,4,6", 5, 4, "s:term", "2021-2025", NULL);
	LIST_IS("1,2,5", 3, 2, "s:managed_by", "TU", NULL);
	LIST_IS("1,2", 2, 1, "s:term", "2021-2025", "s:managed_by", "TU", NULL);
	LIST_IS("1", 2, 1, "s:term", "2021-2025", "s:managed_by", "TU", "i:limit", 1, NULL);
	LIST_IS("3,4,7", 3, 2, "s:managed_by", "H1", NULL);
	LIST_IS("1,2,3,4,5,7", 6, 4, "s:managed_under", "T", NULL);
	LIST_IS("", 0, 0, "s:managed_under", "H1", NULL);
	LIST_IS("1,2,3,4", 4, 3, "s:unit", "H1", NULL);
	LIST_IS("3", 1, 1, "s:unit", "X1", NULL);
	LIST_IS("1,2,3,4,5,6,7", 7, 5, "s:unit", "T", NULL);
	LIST_IS("5,7", 2, 2, "s:unit", "H2", NULL);
	LIST_IS("3,7", 2, 1, "s:cadre", "C2", NULL);
	LIST_IS("3,7", 2, 1, "i:cadre", 2, NULL);
	LIST_IS("2,5,7", 3, 3, "s:kind", "innovation", NULL);
	LIST_IS("1,4,6", 3, 3, "s:field", "socio_economic", NULL);
	LIST_IS("1,2,5", 3, 2, "s:assigned_by", "TU", NULL);
	LIST_IS("3,4", 2, 2, "s:assigned_by", "H1", NULL);
	LIST_IS("6,7", 2, 2, "s:assigned_by", "T", NULL);
	LIST_IS("1,3,4,5", 4, 4, "b:overdue", 1, "s:as_of", "2024-06-01", NULL);
	LIST_IS("2,6,7", 3, 3, "b:overdue", 0, "s:as_of", "2024-06-01", NULL);
	LIST_IS("5", 1, 1, "b:overdue", 1, "s:as_of", "2020-01-01", NULL);
	LIST_IS("1,3,4", 3, 3, "s:unit", "H1", "s:kind", "breakthrough", "b:overdue", 1, "s:as_of",
		"2024-06-01", NULL);
	LIST_IS("7", 1, 1, "s:term", "2024", "s:field", "livelihood", "s:kind", "innovation",
		"s:assigned_by", "T", "s:managed_by", "H1", "s:managed_under", "T", "s:cadre", "C2",
		"s:unit", "T", "b:overdue", 0, "s:as_of", "2024-06-01", "n:after", NULL);

	/* Finishing a task takes it off the overdue list. */
	ok("update.create", "i:task", 3, "i:percent", 100, "s:done", "Xong", NULL);
	LIST_IS("1,4,5", 3, 3, "b:overdue", 1, "s:as_of", "2024-06-01", NULL);

	fails("task.list", "s:managed_by", "NOPE", NULL);
	expect_error(RPC_NOT_FOUND, "managed_by: no unit with code 'NOPE'");
	fails("task.list", "s:managed_under", "NOPE", NULL);
	expect_error(RPC_NOT_FOUND, "managed_under: no unit with code 'NOPE'");
	fails("task.list", "s:cadre", "NOPE", NULL);
	expect_error(RPC_NOT_FOUND, "cadre: no cadre with code 'NOPE'");
	fails("task.list", "s:overdue", "yes", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "overdue: must be true or false, got a string");
	fails("task.list", "i:limit", 1001, NULL);
	expect_error(RPC_INVALID_ARGUMENT, "limit: must be between 1 and 1000, got 1001");
	fails("task.list", "s:owner", "C1", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "owner: unknown field");
}

/* Walks every page of task.list with the given page size and filter (a
 * term code or NULL), checking that ids ascend, none repeats or is skipped,
 * and total is the same on every page.  Returns the number of items. */
static int64_t walk_pages(int limit, const char *term, const char *expect_all)
{
	char all[400] = "", buf[200];
	int64_t after = 0, seen = 0, total = -1, last_id = 0;

	for (int pages = 0; pages < 100; pages++) {
		const msgpack_object *r, *items;

		r = term ? ok("task.list", "i:limit", limit, "i:after", (int)after, "s:term", term, NULL)
			 : ok("task.list", "i:limit", limit, "i:after", (int)after, NULL);
		items = A(r, "items");
		cr_assert_leq(len(items), (uint32_t)limit);
		if (total < 0)
			total = I(r, "total");
		cr_assert_eq(I(r, "total"), total);
		for (uint32_t i = 0; i < len(items); i++) {
			int64_t id = I(at(items, i), "id");

			cr_assert_gt(id, last_id);
			last_id = id;
			seen++;
		}
		snprintf(all + strlen(all), sizeof(all) - strlen(all), "%s%s",
			 all[0] && len(items) ? "," : "", ids(r, buf, sizeof(buf)));
		if (is_nil(r, "next"))
			break;
		cr_assert_eq(len(items), (uint32_t)limit, "a page before the last is full");
		cr_assert_eq(I(r, "next"), last_id);
		after = I(r, "next");
	}
	cr_assert_str_eq(all, expect_all);
	cr_assert_eq(seen, total);
	return seen;
}

Test(storage, task_list_pages_never_repeat_or_skip)
{
	const msgpack_object *r;

	seed_all();
	for (int limit = 1; limit <= 8; limit++) {
		cr_assert_eq(walk_pages(limit, NULL, "1,2,3,4,5,6,7"), 7);
		cr_assert_eq(walk_pages(limit, "2021-2025", "1,2,3,4,6"), 5);
	}
	r = ok("task.list", "i:limit", 2, NULL);
	cr_assert_eq(I(r, "next"), 2);
	r = ok("task.list", "i:limit", 3, "i:after", 4, NULL);
	cr_assert_eq(len(A(r, "items")), 3);
	cr_assert(is_nil(r, "next")); /* 5,6,7 is a full page, but nothing follows */
	r = ok("task.list", "i:limit", 2, "i:after", 4, NULL);
	cr_assert_eq(I(r, "next"), 6);
	r = ok("task.list", "i:after", 7, NULL);
	cr_assert_eq(len(A(r, "items")), 0);
	cr_assert_eq(I(r, "total"), 7);
	cr_assert(is_nil(r, "next"));
}

/* ---- progress updates ---- */

Test(storage, update_create_moves_the_task)
{
	const msgpack_object *u, *t, *l, *items;

	seed_all();
	u = ok("update.create", "i:task", 1, "i:percent", 40, "s:done", "Đã làm 4 km",
	       "s:difficulties", "Thiếu vốn", NULL);
	cr_assert_eq(nkeys(u), 8); /* with "appraisal", nil until appraised (PROTOCOL.md 6e) */
	cr_assert(is_nil(u, "appraisal"));
	cr_assert_eq(I(u, "id"), 1);
	cr_assert_eq(I(u, "task_id"), 1);
	cr_assert_eq(I(u, "percent"), 40);
	cr_assert_str_eq(S(u, "done"), "Đã làm 4 km");
	cr_assert_str_eq(S(u, "difficulties"), "Thiếu vốn");
	cr_assert_str_eq(S(u, "proposals"), "");
	cr_assert_eq(strlen(S(u, "reported_at")), 20);

	t = ok("task.get", "i:task", 1, NULL);
	cr_assert_eq(I(t, "percent"), 40);
	cr_assert_eq(I(t, "updates"), 1);
	cr_assert_str_eq(S(t, "last_update_at"), S(u, "reported_at"));
	cr_assert_str_eq(S(t, "updated_at"), S(u, "reported_at"));

	/* The newest update wins, even going down. */
	ok("update.create", "i:task", 1, "i:percent", 70, "s:done", "7 km", "s:proposals",
	   "Đề nghị bổ sung vốn", NULL);
	ok("update.create", "i:task", 1, "i:percent", 65, "s:done", "Đo lại: 6,5 km", NULL);
	ok("update.create", "i:task", 2, "i:percent", 10, "s:done", "Bắt đầu", NULL);
	t = ok("task.get", "i:task", 1, NULL);
	cr_assert_eq(I(t, "percent"), 65);
	cr_assert_eq(I(t, "updates"), 3);

	l = ok("update.list", "i:task", 1, NULL);
	cr_assert_eq(nkeys(l), 3);
	cr_assert_eq(I(l, "total"), 3);
	cr_assert(is_nil(l, "next"));
	items = A(l, "items");
	cr_assert_eq(len(items), 3);
	cr_assert_eq(I(at(items, 0), "percent"), 40);
	cr_assert_eq(I(at(items, 1), "percent"), 70);
	cr_assert_str_eq(S(at(items, 1), "proposals"), "Đề nghị bổ sung vốn");
	cr_assert_eq(I(at(items, 2), "percent"), 65);
	l = ok("update.list", "i:task", 1, "i:limit", 2, NULL);
	cr_assert_eq(len(A(l, "items")), 2);
	cr_assert_eq(I(l, "next"), 2);
	l = ok("update.list", "i:task", 1, "i:limit", 2, "i:after", 2, NULL);
	cr_assert_eq(len(A(l, "items")), 1);
	cr_assert_eq(I(at(A(l, "items"), 0), "id"), 3);
	cr_assert(is_nil(l, "next"));
	cr_assert_eq(I(l, "total"), 3);
	l = ok("update.list", "i:task", 3, NULL);
	cr_assert_eq(len(A(l, "items")), 0);
	cr_assert_eq(I(l, "total"), 0);

	fails("update.create", "i:task", 1, "i:percent", 140, "s:done", "x", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "percent: must be between 0 and 100, got 140");
	fails("update.create", "i:task", 1, "i:percent", -1, "s:done", "x", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "percent: must be between 0 and 100, got -1");
	fails("update.create", "i:task", 1, "i:percent", 50, "s:done", " \n", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "done: must not be empty");
	fails("update.create", "i:task", 1, "i:percent", 50, NULL);
	expect_error(RPC_INVALID_ARGUMENT, "done: is required");
	fails("update.create", "i:task", 99, "i:percent", 50, "s:done", "x", NULL);
	expect_error(RPC_NOT_FOUND, "task: no task with id 99");
	fails("update.create", "i:task", 1, "i:percent", 50, "s:done", "x", "s:when", "now", NULL);
	expect_error(RPC_INVALID_ARGUMENT, "when: unknown field");
	fails("update.list", "i:task", 99, NULL);
	expect_error(RPC_NOT_FOUND, "task: no task with id 99");
	cr_assert_eq(I(ok("task.get", "i:task", 1, NULL), "percent"), 65);
}

/* ---- the db_* functions directly ---- */

Test(storage, db_functions_resolve_create_and_list)
{
	struct rpc_error err = {0};
	struct ref r = {0};
	struct task_filter f = {.overdue = -1, .as_of = "2024-06-01"};
	struct page pg = {.limit = 100, .after = 0};
	struct cadre_filter cf = {0};
	msgpack_sbuffer sb;
	msgpack_packer pk;
	const msgpack_object *o;
	int64_t id = 0, tu = 0, h1 = 0;

	seed_all();
	r.code.s = "C3";
	r.code.n = 2;
	cr_assert_eq(db_cadre_resolve(db, "owner", &r, &id, &err), RPC_OK);
	cr_assert_eq(id, 3);
	r.code.s = NULL;
	r.id = 3;
	cr_assert_eq(db_term_resolve(db, "term", &r, &id, &err), RPC_OK);
	cr_assert_eq(id, 3);
	r.id = 9;
	cr_assert_eq(db_term_resolve(db, "term", &r, &id, &err), RPC_NOT_FOUND);
	cr_assert_str_eq(err.message, "term: no term with id 9");
	cr_assert_eq(db_task_check(db, "task", 7, &err), RPC_OK);
	cr_assert_eq(db_task_check(db, "task", 8, &err), RPC_NOT_FOUND);
	r.id = 0;
	r.code.s = "TU";
	r.code.n = 2;
	cr_assert_eq(db_unit_resolve(db, "x", &r, &tu, &err), RPC_OK);
	r.code.s = "H1";
	cr_assert_eq(db_unit_resolve(db, "x", &r, &h1, &err), RPC_OK);

	/* task list with a filter struct. */
	f.managed_by = tu;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_task_list(db, &f, &pg, &pk, &err), RPC_OK, "%s", err.message);
	o = world_keep(&sb);
	cr_assert_eq(I(o, "total"), 3);
	cr_assert_eq(I(o, "cadres"), 2);
	f.managed_by = 0;
	f.managed_under = tu; /* nobody is managed below TU */
	f.kind = "innovation";
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_task_list(db, &f, &pg, &pk, &err), RPC_OK);
	cr_assert_eq(I(world_keep(&sb), "total"), 0);

	/* cadre list */
	cf.unit = h1;
	pg.limit = 1;
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_cadre_list(db, &cf, &pg, today, &pk, &err), RPC_OK);
	o = world_keep(&sb);
	cr_assert_eq(I(o, "total"), 3);
	cr_assert_eq(I(o, "next"), 1);

	/* term list and pack */
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_term_list(db, &pk, &err), RPC_OK);
	cr_assert_eq(I(world_keep(&sb), "total"), 3);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_term_pack(db, 2, &pk, &err), RPC_OK);
	cr_assert_str_eq(S(world_keep(&sb), "end"), "2025-12-31");

	/* an update through db_update_create, inside a transaction we commit */
	{
		struct update_input in = {.task = 5, .percent = 30,
					  .done = {"Một phần", strlen("Một phần")}};

		cr_assert_eq(db_begin(db, true, &err), RPC_OK);
		cr_assert_eq(db_update_create(db, &in, "2024-06-01T08:00:00Z", &id, &err), RPC_OK);
		cr_assert_eq(db_commit(db, &err), RPC_OK);
		cr_assert_eq(id, 1);
		in.task = 42;
		cr_assert_eq(db_begin(db, true, &err), RPC_OK);
		cr_assert_eq(db_update_create(db, &in, "2024-06-01T08:00:00Z", &id, &err),
			     RPC_NOT_FOUND);
		db_rollback(db);
	}
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_task_pack(db, 5, "2024-06-01", true, &pk, &err), RPC_OK);
	o = world_keep(&sb);
	cr_assert_eq(I(o, "percent"), 30);
	cr_assert_str_eq(S(o, "last_update_at"), "2024-06-01T08:00:00Z");
	cr_assert_eq(len(A(o, "owners")), 1);

	/* a half-done task update is undone by the rollback */
	{
		struct task_input in = {.owner = 1, .due_date = "2015-01-01"};

		cr_assert_eq(db_begin(db, true, &err), RPC_OK);
		cr_assert_eq(db_task_update(db, 5, &in, today, "2030-01-01T00:00:00Z", &err),
			     RPC_INVALID_ARGUMENT);
		cr_assert_str_eq(err.message, "due_date: must not be before the term's start 2016-01-01");
		db_rollback(db);
	}
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_eq(db_task_pack(db, 5, today, true, &pk, &err), RPC_OK);
	o = world_keep(&sb);
	cr_assert_str_eq(S(o, "owner_code"), "C4");
	cr_assert_str_eq(S(o, "due_date"), "2019-01-01");
	cr_assert_eq(len(A(o, "owners")), 1);
}

Test(storage, statements_are_reset_and_updates_are_append_only)
{
	char *msg = NULL;

	seed_all();
	ok("update.create", "i:task", 1, "i:percent", 5, "s:done", "x", NULL);
	ok("cadre.transfer", "s:cadre", "C1", "s:unit", "X1", "s:date", "2023-01-01", NULL);
	ok("task.list", "s:unit", "T", "i:limit", 2, NULL);
	ok("cadre.list", "i:limit", 1, NULL);
	ok("update.list", "i:task", 1, "i:limit", 1, NULL);
	ok("cadre.get", "s:cadre", "C1", NULL);
	ok("task.get", "i:task", 1, NULL);
	ok("term.list", NULL);
	fails("cadre.transfer", "s:cadre", "C1", "s:unit", "X1", "s:date", "2022-01-01", NULL);
	fails("task.update", "i:task", 1, "s:due_date", "2000-01-01", NULL);
	for (size_t i = 0; i < db->ncache; i++)
		cr_assert_not(sqlite3_stmt_busy(db->cache[i].stmt), "still running: %s",
			      db->cache[i].sql);
	cr_assert_neq(sqlite3_exec(db->conn, "UPDATE updates SET percent = 90", NULL, NULL, &msg),
		      SQLITE_OK);
	cr_assert_str_eq(msg, "progress updates are append-only");
	sqlite3_free(msg);
	msg = NULL;
	cr_assert_neq(sqlite3_exec(db->conn, "DELETE FROM updates", NULL, NULL, &msg), SQLITE_OK);
	sqlite3_free(msg);
}

/* More distinct queries than the old fixed cache held (256): each one is
 * prepared, runs, and comes back from the cache as the same statement.
 * The cache is keyed by the SQL's address, so the strings are static. */
#define MANY_QUERIES 600
static char many_sql[MANY_QUERIES][32];

Test(storage, the_statement_cache_grows_past_256_queries)
{
	static sqlite3_stmt *first[MANY_QUERIES];
	struct rpc_error err = {0};
	size_t before = db->ncache;

	for (int round = 0; round < 2; round++)
		for (int i = 0; i < MANY_QUERIES; i++) {
			sqlite3_stmt *st;

			if (round == 0)
				snprintf(many_sql[i], sizeof(many_sql[i]), "SELECT %d + ?1", i);
			st = db_stmt(db, many_sql[i], &err);
			cr_assert_not_null(st, "query %d, round %d: %s", i, round, err.message);
			if (round == 0)
				first[i] = st;
			else
				cr_assert_eq(st, first[i], "query %d was prepared again", i);
			cr_assert_eq(sqlite3_bind_int64(st, 1, round), SQLITE_OK);
			cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
			cr_assert_eq(sqlite3_column_int64(st, 0), i + round);
			sqlite3_reset(st);
		}
	cr_assert_eq(db->ncache, before + MANY_QUERIES);
	/* The requests' own queries still work beside them. */
	ok("term.list", NULL);
	ok("task.list", "i:limit", 1, NULL);
}

Test(storage, a_failed_bind_is_an_error_not_a_null)
{
	static const char sql[] = "SELECT ?1";
	struct rpc_error err = {0};
	sqlite3_stmt *st = db_stmt(db, sql, &err);
	int rc;

	cr_assert_not_null(st);
	rc = sqlite3_bind_int64(st, 1, 7) | sqlite3_bind_int64(st, 2, 8); /* no ?2 */
	cr_assert_eq(db_bind_check(db, st, rc, &err), RPC_INTERNAL);
	cr_assert(strstr(err.message, "binding a query") != NULL, "%s", err.message);
	cr_assert_eq(db_bind_check(db, st, SQLITE_OK, &err), RPC_OK);
}
