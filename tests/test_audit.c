/*
 * test_audit.c: the audit trail, through the dispatcher on a fresh
 * temporary database per test: every write method of the catalogue leaves
 * exactly one entry; before and after show the change; secrets never reach
 * the trail; the database refuses UPDATE and DELETE on it; edits made behind
 * the daemon's back are named by audit.verify and `dotphad --check`; failed
 * and replayed requests leave nothing; audit.list filters; task.history.
 */
#include <criterion/criterion.h>

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "audit.h"
#include "bootstrap.h"
#include "date.h"
#include "db.h"
#include "db_account.h"
#include "db_audit.h"
#include "db_internal.h"
#include "dispatch.h"
#include "helpers.h"
#include "log.h"
#include "methods.h"
#include "obj.h"
#include "samples.h"

/* This file builds a province of its own (make_world() below). */
#define WORLD_OWN_PROVINCE
#include "world.h"

/* ---- the fixture: world.c's database per test, and its admin ---- */

/* world.c's database and its file, by the short names this file uses. */
static struct db *db;
static const char *path, *dir;
static char today[DATE_LEN];

/* The callers: world.c's admin over the whole tree and, once the test has
 * made it, an office account; both with real tokens, because the
 * dispatcher re-checks the token on every call. */
static struct identity office;

static void setup(void)
{
	world_setup();
	db = world_db;
	path = world_db_path();
	dir = world_dir();
	date_today(today);
}

TestSuite(audit, .init = setup, .fini = world_teardown, .timeout = 60);

/* ---- reading results ---- */

/* A page's "items", which must be an array. */
static const msgpack_object *items(const msgpack_object *page)
{
	const msgpack_object *v = field(page, "items");

	cr_assert_eq(v->type, MSGPACK_OBJECT_ARRAY);
	return v;
}

/* Element i of an array, which must have it. */
static const msgpack_object *entry(const msgpack_object *arr, uint32_t i)
{
	cr_assert_lt(i, arr->via.array.size);
	return &arr->via.array.ptr[i];
}

/* ---- looking at the table directly ---- */

/* One integer from SQL run on the test's own connection. */
static int64_t sql_int(const char *sql)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	cr_assert_eq(sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL), SQLITE_OK, "%s: %s", sql,
		     sqlite3_errmsg(db->conn));
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static int64_t audit_rows(void)
{
	return sql_int("SELECT count(*) FROM audit");
}

/* Runs SQL on a second, raw connection to the file (as someone with the
 * file but not the daemon would).  Returns SQLite's result code; the
 * message goes to msg. */
static int raw_exec(const char *sql, char *msg, size_t n)
{
	sqlite3 *conn;
	char *m = NULL;
	int rc;

	cr_assert_eq(sqlite3_open(path, &conn), SQLITE_OK);
	sqlite3_busy_timeout(conn, 2000);
	rc = sqlite3_exec(conn, sql, NULL, NULL, &m);
	if (msg)
		snprintf(msg, n, "%s", m ? m : "");
	sqlite3_free(m);
	sqlite3_close(conn);
	return rc;
}

/* The newest entry, as stored. */
struct row {
	int64_t id, account_id, object_id, task_id, unit_id;
	char method[64], object_type[32], login[64], token_name[128], address[48], at[32];
	bool has_before, has_after;
};

static void newest(struct row *r)
{
	sqlite3_stmt *st;
	const char *sql = "SELECT id, coalesce(account_id, 0), coalesce(object_id, 0), "
			  "coalesce(task_id, 0), coalesce(unit_id, 0), method, object_type, "
			  "coalesce(account_login, ''), coalesce(token_name, ''), "
			  "coalesce(address, ''), at, before IS NOT NULL, after IS NOT NULL "
			  "FROM audit ORDER BY id DESC LIMIT 1";

	memset(r, 0, sizeof(*r));
	cr_assert_eq(sqlite3_prepare_v2(db->conn, sql, -1, &st, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW, "the audit trail is empty");
	r->id = sqlite3_column_int64(st, 0);
	r->account_id = sqlite3_column_int64(st, 1);
	r->object_id = sqlite3_column_int64(st, 2);
	r->task_id = sqlite3_column_int64(st, 3);
	r->unit_id = sqlite3_column_int64(st, 4);
	snprintf(r->method, sizeof(r->method), "%s", sqlite3_column_text(st, 5));
	snprintf(r->object_type, sizeof(r->object_type), "%s", sqlite3_column_text(st, 6));
	snprintf(r->login, sizeof(r->login), "%s", sqlite3_column_text(st, 7));
	snprintf(r->token_name, sizeof(r->token_name), "%s", sqlite3_column_text(st, 8));
	snprintf(r->address, sizeof(r->address), "%s", sqlite3_column_text(st, 9));
	snprintf(r->at, sizeof(r->at), "%s", sqlite3_column_text(st, 10));
	r->has_before = sqlite3_column_int(st, 11);
	r->has_after = sqlite3_column_int(st, 12);
	sqlite3_finalize(st);
}

/* True if needle[0..n) occurs in p[0..len) (memmem is a GNU extension). */
static bool contains(const void *p, size_t len, const char *needle, size_t n)
{
	const char *h = p;

	for (size_t i = 0; n && i + n <= len; i++)
		if (memcmp(h + i, needle, n) == 0)
			return true;
	return false;
}

/* True if `needle` occurs in any column of any audit entry. */
static bool in_audit(const char *needle)
{
	sqlite3_stmt *st;
	size_t n = strlen(needle);
	bool found = false;

	cr_assert_eq(sqlite3_prepare_v2(db->conn, "SELECT * FROM audit", -1, &st, NULL), SQLITE_OK);
	while (!found && sqlite3_step(st) == SQLITE_ROW)
		for (int i = 0; i < sqlite3_column_count(st) && !found; i++) {
			const void *p = sqlite3_column_blob(st, i);
			int len = sqlite3_column_bytes(st, i);

			found = p && len > 0 && contains(p, (size_t)len, needle, n);
		}
	sqlite3_finalize(st);
	return found;
}

/* True if `needle` occurs anywhere in the database's files. */
static bool in_files(const char *db_path, const char *needle)
{
	bool found = false;

	for (const char *const *sfx = (const char *const[]){"", "-wal", NULL}; *sfx && !found;
	     sfx++) {
		char f[400];
		FILE *fp;
		char *buf;
		long size;

		snprintf(f, sizeof(f), "%s%s", db_path, *sfx);
		if (!(fp = fopen(f, "rb")))
			continue;
		fseek(fp, 0, SEEK_END);
		size = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		buf = malloc(size > 0 ? (size_t)size : 1);
		cr_assert_not_null(buf);
		if (size > 0 && fread(buf, 1, (size_t)size, fp) == (size_t)size)
			found = contains(buf, (size_t)size, needle, strlen(needle));
		free(buf);
		fclose(fp);
	}
	return found;
}

/* ---- a small province ---- */

struct world {
	int64_t tinh, u1, u2, u3;   /* units: TINH with children U1, U2, U3 */
	int64_t c1;                 /* cadre C1 in U1, managed by TINH */
	int64_t t1;                 /* term T1 */
	int64_t task;               /* a task of C1 in U1 */
	int64_t office1;            /* an office account scoped to U1 */
	int64_t tok1, tok2;         /* two tokens of office1 */
};

static void make_world(struct world *w)
{
	w->tinh = I(OK("unit.create", "s:code", "TINH", "s:name", "Tỉnh Thái Nguyên", "s:level",
		       "tỉnh", NULL), "id");
	w->u1 = I(OK("unit.create", "s:code", "U1", "s:name", "Huyện Một", "s:level", "huyện",
		     "s:parent", "TINH", NULL), "id");
	w->u2 = I(OK("unit.create", "s:code", "U2", "s:name", "Huyện Hai", "s:level", "huyện",
		     "s:parent", "TINH", NULL), "id");
	w->u3 = I(OK("unit.create", "s:code", "U3", "s:name", "Huyện Ba", "s:level", "huyện",
		     "s:parent", "TINH", NULL), "id");
	w->c1 = I(OK("cadre.create", "s:code", "C1", "s:full_name", "Nguyễn Văn An", "s:title",
		     "Bí thư Huyện ủy", "s:unit", "U1", "s:managing_unit", "TINH", "s:since",
		     "2020-01-01", NULL), "id");
	w->t1 = I(OK("term.create", "s:code", "T1", "s:kind", "term", "s:start", "2021-01-01",
		     "s:end", "2025-12-31", NULL), "id");
	w->task = I(OK("task.create", "s:title", "Chuyển đổi số cấp huyện", "s:kind",
		       "breakthrough", "s:field", "socio_economic", "s:owner", "C1", "s:term", "T1",
		       "s:product", "Cổng dịch vụ công", "s:due_date", "2025-06-30", NULL), "id");
	OK("task.assign", "i:task", num(w->task), "s:decision_no", "12-QĐ/TU", "s:decision_date",
	   "2021-03-15", NULL);
	w->office1 = I(OK("account.create", "s:login", "office1", "s:display_name",
			  "Văn phòng Huyện Một", "s:role", "office", "s:scope", "U1", NULL), "id");
	w->tok1 = I(OK("token.create", "s:account", "office1", "s:name", "máy 1", NULL), "id");
	w->tok2 = I(OK("token.create", "s:account", "office1", "s:name", "máy 2", NULL), "id");
}

/* ---- every write method of the catalogue ---- */

/* Entries a write leaves besides its object's own: the second object it
 * changes (PROTOCOL.md 6a, 6g). */
static int more_entries(const char *method)
{
	return strcmp(method, "task.carry_over") == 0 || strcmp(method, "amendment.approve") == 0;
}

/* The walk's stager (samples.h): every object as world.c's admin, who may
 * make anything anywhere. */
static const msgpack_object *stage_as_admin(struct samples_walk *walk, enum samples_by by,
					    const char *method, const char *const *f)
{
	const msgpack_object *r = world_request(&admin, method, f);

	(void)by;
	if (!r)
		snprintf(walk->why, sizeof(walk->why), "%s", world_last.message);
	return r;
}

/* What the samples name on make_world()'s province, U1 its side: a
 * commune of U1, a cadre U1 manages and a later term made here. */
static void sample_side(const struct world *w, struct samples_walk *walk)
{
	OK("unit.create", "s:code", "X1", "s:name", "Xã Một", "s:level", "xã", "s:parent", "U1",
	   NULL);
	OK("cadre.create", "s:code", "D1", "s:full_name", "Lê Văn Dũng", "s:title", "Chủ tịch xã",
	   "s:unit", "U1", "s:managing_unit", "U1", "s:since", "2020-01-01", NULL);
	OK("term.create", "s:code", "T2", "s:kind", "term", "s:start", "2026-01-01", "s:end",
	   "2030-12-31", NULL);
	walk->stage = stage_as_admin;
	walk->side = (struct samples_side){
		.province = "TINH", .district = "U1", .commune = "X1", .cadre = "C1",
		.own_cadre = "D1", .term = "T1", .later_term = "T2", .account = "office1",
		.focal = "admin", .task = w->task,
	};
}

Test(audit, the_table_covers_every_write_method_of_the_catalogue)
{
	cr_assert_null(audit_check_table(),
		       "%s: a write must name a noun in methods.def that db_audit.c's nouns know, "
		       "and a read must not",
		       audit_check_table());
}

/* How many entries of the trail are about object (noun, id). */
static int64_t entries_of(const char *noun, int64_t id)
{
	sqlite3_stmt *st;
	int64_t n;

	cr_assert_eq(sqlite3_prepare_v2(db->conn,
					"SELECT count(*) FROM audit WHERE object_type = ?1 AND "
					"object_id = ?2",
					-1, &st, NULL),
		     SQLITE_OK);
	sqlite3_bind_text(st, 1, noun, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

Test(audit, every_write_method_leaves_exactly_one_entry)
{
	struct world w;
	struct samples_walk walk = {0};

	cr_assert_null(samples_check(), "the sample of %s names no catalogue method, or is twice",
		       samples_check());
	make_world(&w);
	sample_side(&w, &walk);
	for (const struct method_info *m = methods_catalogue; m->name; m++) {
		struct sample_call call;
		const msgpack_object *r;
		struct row row;
		int64_t before;

		if (!(m->flags & METHOD_WRITE))
			continue;
		cr_assert_not_null(m->noun, "%s: its row in methods.def names no noun", m->name);
		samples_prepare(samples_of(m->name), &walk, &call);
		before = audit_rows();
		r = ok_as(&admin, m->name, call.f);

		cr_assert_eq(audit_rows(), before + 1 + more_entries(m->name),
			     "%s: %lld new entries, expected %d", m->name,
			     (long long)(audit_rows() - before), 1 + more_entries(m->name));
		if (more_entries(m->name))
			continue; /* the newest entry is the second object's; its own test has it */
		newest(&row);
		cr_assert_str_eq(row.method, m->name);
		cr_assert_str_eq(row.object_type, m->noun, "%s: object_type %s", m->name,
				 row.object_type);
		cr_assert_eq(row.object_id, strcmp(m->noun, "throttle") == 0 ? 0 : I(r, "id"),
			     "%s: object_id", m->name);
		cr_assert_eq(row.account_id, admin.account_id);
		cr_assert_str_eq(row.login, "admin");
		cr_assert_str_eq(row.token_name, "máy trạm");
		cr_assert_str_eq(row.address, "192.0.2.7");
		cr_assert(row.has_after, "%s: no after", m->name);
		cr_assert_eq(row.has_before, m->ref != NULL, "%s: before %s", m->name,
			     row.has_before ? "present for a create" : "missing for a change");
		/* A row that names no parameter (ref NULL) says the method makes
		 * its object: then this is the object's first entry, or a change
		 * is being recorded without its before. */
		if (!m->ref && !(m->flags & METHOD_IN_MEMORY))
			cr_assert_eq(entries_of(m->noun, row.object_id), 1,
				     "%s changes a %s that existed already: its row in methods.def "
				     "must name the parameter that names it (ref), or the trail "
				     "loses its before",
				     m->name, m->noun);
		cr_assert_eq(strlen(row.at), 20, "%s: at '%s' is not a UTC moment", m->name, row.at);
		cr_assert_eq(row.at[19], 'Z');
	}

	/* And the chain they make checks out. */
	{
		const msgpack_object *v = OK("audit.verify", NULL);

		cr_assert(field(v, "ok")->via.boolean, "%s", S(v, "problem"));
		cr_assert_eq(I(v, "entries"), audit_rows());
		cr_assert(is_nil(v, "first_broken"));
		cr_assert(is_nil(v, "problem"));
	}
	/* Every stored before and after is the shortest MessagePack of its map,
	 * so a client that decodes audit.list's map and packs it again gets
	 * the bytes hashed (PROTOCOL.md 4b). */
	{
		sqlite3_stmt *st;
		msgpack_sbuffer again;
		int blobs = 0;

		msgpack_sbuffer_init(&again);
		cr_assert_eq(sqlite3_prepare_v2(db->conn, "SELECT id, before, after FROM audit", -1,
						&st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW)
			for (int i = 1; i <= 2; i++) {
				const char *p = sqlite3_column_blob(st, i);
				size_t n = (size_t)sqlite3_column_bytes(st, i), off = 0;
				msgpack_unpacked u;
				msgpack_packer pk;

				if (!p)
					continue;
				msgpack_unpacked_init(&u);
				cr_assert_eq(msgpack_unpack_next(&u, p, n, &off), MSGPACK_UNPACK_SUCCESS);
				again.size = 0;
				msgpack_packer_init(&pk, &again, msgpack_sbuffer_write);
				msgpack_pack_object(&pk, u.data);
				cr_assert(off == n && again.size == n && memcmp(again.data, p, n) == 0,
					  "entry %lld: its %s is not packed the shortest way",
					  (long long)sqlite3_column_int64(st, 0), i == 1 ? "before" : "after");
				msgpack_unpacked_destroy(&u);
				blobs++;
			}
		sqlite3_finalize(st);
		msgpack_sbuffer_destroy(&again);
		cr_assert_gt(blobs, 0);
	}
}

Test(audit, entries_know_their_task_and_unit)
{
	struct world w;
	struct row row;
	int64_t upd;

	make_world(&w);
	newest(&row); /* token.create: neither */
	cr_assert_eq(row.task_id, 0);
	cr_assert_eq(row.unit_id, 0);
	upd = I(OK("update.create", "i:task", num(w.task), "i:percent", "10", "s:done", "Khảo sát",
		   NULL), "id");
	newest(&row);
	cr_assert_eq(row.object_id, upd);
	cr_assert_eq(row.task_id, w.task);
	cr_assert_eq(row.unit_id, w.u1);
	OK("cadre.update", "s:cadre", "C1", "s:title", "Phó Bí thư", NULL);
	newest(&row);
	cr_assert_eq(row.task_id, 0);
	cr_assert_eq(row.unit_id, w.u1);
	OK("account.update", "s:account", "office1", "s:display_name", "VP", NULL);
	newest(&row);
	cr_assert_eq(row.unit_id, w.u1);
	OK("unit.rename", "s:unit", "U2", "s:name", "Huyện Hai Mới", NULL);
	newest(&row);
	cr_assert_eq(row.unit_id, w.u2);
}

/* ---- before and after ---- */

Test(audit, an_update_shows_the_old_and_the_new_values)
{
	struct world w;
	const msgpack_object *page, *e;

	make_world(&w);
	OK("task.update", "i:task", num(w.task), "s:description", "Toàn tỉnh", NULL);
	page = OK("audit.list", "i:task", num(w.task), NULL);
	cr_assert_eq(I(page, "total"), 3); /* create, assign (make_world), update */
	e = item(page, 2);
	cr_assert_str_eq(S(e, "method"), "task.update");
	cr_assert_str_eq(S(e, "object_type"), "task");
	cr_assert_eq(I(e, "object_id"), w.task);
	cr_assert_eq(field(e, "before")->type, MSGPACK_OBJECT_MAP);
	cr_assert_eq(field(e, "after")->type, MSGPACK_OBJECT_MAP);
	cr_assert_str_eq(S(field(e, "before"), "description"), "");
	cr_assert_str_eq(S(field(e, "after"), "description"), "Toàn tỉnh");
	cr_assert_str_eq(S(field(e, "after"), "title"), "Chuyển đổi số cấp huyện");
	cr_assert_str_eq(S(field(e, "after"), "product"), "Cổng dịch vụ công");
	cr_assert_str_eq(S(e, "account_login"), "admin");
	cr_assert_str_eq(S(e, "token_name"), "máy trạm");
	cr_assert_str_eq(S(e, "address"), "192.0.2.7");

	/* The create before it: no before, the values as registered. */
	e = item(page, 0);
	cr_assert_str_eq(S(e, "method"), "task.create");
	cr_assert(is_nil(e, "before"));
	cr_assert_str_eq(S(field(e, "after"), "title"), "Chuyển đổi số cấp huyện");
}

Test(audit, a_cadre_transfer_shows_the_move)
{
	const msgpack_object *page, *e;
	struct world w;

	make_world(&w);
	OK("cadre.transfer", "s:cadre", "C1", "s:unit", "U2", "s:date", "2024-03-01", NULL);
	page = OK("audit.list", "s:account", "admin", "i:after", num(audit_rows() - 1), NULL);
	e = item(page, 0);
	cr_assert_str_eq(S(e, "method"), "cadre.transfer");
	cr_assert_eq(I(field(e, "before"), "unit_id"), w.u1);
	cr_assert_eq(I(field(e, "after"), "unit_id"), w.u2);
	cr_assert_str_eq(S(field(e, "after"), "since"), "2024-03-01");
}

/* ---- secrets ---- */

Test(audit, token_secrets_never_reach_the_trail)
{
	struct world w;
	const msgpack_object *r;
	char secret[128], rotated[128];

	make_world(&w);
	r = OK("token.create", "s:account", "office1", "s:name", "máy bí mật", NULL);
	snprintf(secret, sizeof(secret), "%s", S(r, "token"));
	cr_assert_eq(strncmp(secret, "dp1_", 4), 0);
	r = OK("token.rotate", "i:token", num(I(r, "id")), NULL);
	snprintf(rotated, sizeof(rotated), "%s", S(r, "token"));

	cr_assert(!in_audit(secret), "token.create's secret is in the audit trail");
	cr_assert(!in_audit(secret + 4), "the hex of token.create's secret is in the audit trail");
	cr_assert(!in_audit(rotated), "token.rotate's secret is in the audit trail");
	cr_assert(!in_audit(rotated + 4));
	cr_assert(in_audit("máy bí mật"), "the token's name should be there (the scan works)");
	cr_assert(!in_files(path, secret + 4), "a secret reached the database file");
	cr_assert(!in_files(path, rotated + 4), "a secret reached the database file");

	/* audit.list shows the token's row, without a "token" field. */
	r = OK("audit.list", "i:after", num(audit_rows() - 2), NULL);
	cr_assert_eq(I(r, "total"), audit_rows());
	for (uint32_t i = 0; i < items(r)->via.array.size; i++) {
		const msgpack_object *e = item(r, i);

		cr_assert_str_eq(S(e, "object_type"), "token");
		cr_assert_null(obj_get(field(e, "after"), "token"));
		cr_assert_str_eq(S(field(e, "after"), "name"), "máy bí mật");
	}
}

/* ---- the database guards the trail ---- */

Test(audit, the_database_refuses_update_and_delete)
{
	char msg[256];
	int64_t n;

	make_world(&(struct world){0});
	n = audit_rows();
	cr_assert_gt(n, 0);
	cr_assert_neq(raw_exec("UPDATE audit SET method = 'x' WHERE id = 1", msg, sizeof(msg)),
		      SQLITE_OK);
	cr_assert(strstr(msg, "append-only"), "%s", msg);
	cr_assert_neq(raw_exec("DELETE FROM audit WHERE id = 1", msg, sizeof(msg)), SQLITE_OK);
	cr_assert(strstr(msg, "append-only"), "%s", msg);
	cr_assert_neq(raw_exec("DELETE FROM audit", msg, sizeof(msg)), SQLITE_OK);
	cr_assert_eq(audit_rows(), n);
	cr_assert_eq(sql_int("SELECT count(*) FROM audit WHERE method = 'x'"), 0);
}

/* ---- edits behind the daemon's back ---- */

/* Runs `dotphad --db path --check`; returns its exit status, output in *out. */
static int run_check(const char *db_path, char **out)
{
	char bin[300];
	const char *argv[] = {bin, "--db", db_path, "--check", NULL};

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	return helpers_run(argv, out, NULL);
}

Test(audit, an_entry_edited_behind_the_daemons_back_is_named)
{
	const msgpack_object *v;
	char msg[256], *out = NULL;
	int status;

	v = OK("audit.verify", NULL); /* an empty trail is a good one */
	cr_assert(field(v, "ok")->via.boolean);
	cr_assert_eq(I(v, "entries"), 0);
	make_world(&(struct world){0});
	v = OK("audit.verify", NULL);
	cr_assert(field(v, "ok")->via.boolean);

	status = run_check(path, &out);
	cr_assert_eq(status, 0, "dotphad --check on a good database: %d\n%s", status, out);
	cr_assert(strstr(out, "integrity: ok"), "%s", out);
	cr_assert(strstr(out, "audit trail: ok"), "%s", out);
	cr_assert(strstr(out, "schema version:"), "%s", out);
	free(out);

	cr_assert_eq(raw_exec("DROP TRIGGER audit_append_only_u;"
			      "UPDATE audit SET after = X'c1' WHERE id = 5;",
			      msg, sizeof(msg)),
		     SQLITE_OK, "%s", msg);
	v = OK("audit.verify", NULL);
	cr_assert_not(field(v, "ok")->via.boolean);
	cr_assert_eq(I(v, "first_broken"), 5);
	cr_assert_eq(I(v, "entries"), audit_rows());
	cr_assert(strstr(S(v, "problem"), "entry 5"), "%s", S(v, "problem"));

	/* A damaged after is shown as nil, never as bytes that break the reply. */
	v = OK("audit.list", "i:after", "4", "i:limit", "1", NULL);
	cr_assert(is_nil(item(v, 0), "after"));

	status = run_check(path, &out);
	cr_assert_eq(status, 1, "dotphad --check on a broken trail: %d\n%s", status, out);
	cr_assert(strstr(out, "BROKEN at entry 5"), "%s", out);
	free(out);
}

Test(audit, an_edit_with_its_hash_recomputed_breaks_the_next_link)
{
	const msgpack_object *v;
	char msg[256];

	make_world(&(struct world){0});
	/* Someone changes entry 3 and gives it a new (wrong) hash too. */
	cr_assert_eq(raw_exec("DROP TRIGGER audit_append_only_u;"
			      "UPDATE audit SET method = 'unit.rename', hash = randomblob(32) "
			      "WHERE id = 3;",
			      msg, sizeof(msg)),
		     SQLITE_OK, "%s", msg);
	v = OK("audit.verify", NULL);
	cr_assert_not(field(v, "ok")->via.boolean);
	cr_assert_eq(I(v, "first_broken"), 3);
}

Test(audit, a_removed_entry_is_named_by_the_one_after_it)
{
	const msgpack_object *v;
	char msg[256];

	make_world(&(struct world){0});
	cr_assert_eq(raw_exec("DROP TRIGGER audit_append_only_d; DELETE FROM audit WHERE id = 4;",
			      msg, sizeof(msg)),
		     SQLITE_OK, "%s", msg);
	v = OK("audit.verify", NULL);
	cr_assert_not(field(v, "ok")->via.boolean);
	cr_assert_eq(I(v, "first_broken"), 5);
	cr_assert(strstr(S(v, "problem"), "entry 3"), "%s", S(v, "problem"));

	/* The trail goes on: a new write chains onto the last entry there is. */
	OK("term.create", "s:code", "2027", "s:kind", "year", "s:start", "2027-01-01", "s:end",
	   "2027-12-31", NULL);
	cr_assert_eq(I(OK("audit.verify", NULL), "first_broken"), 5);
}

Test(audit, check_refuses_a_missing_database)
{
	char missing[400], *out = NULL, *err = NULL;
	char bin[300];
	int status;

	snprintf(missing, sizeof(missing), "%s/none.db", dir);
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	status = helpers_run((const char *const[]){bin, "--check", "--db", missing, NULL}, &out,
			     &err);
	cr_assert_eq(status, 1, "%s%s", out, err);
	cr_assert(strstr(err, "none.db"), "%s", err);
	cr_assert_neq(access(missing, F_OK), 0, "--check created the database");
	free(out);
	free(err);
}

/* ---- what leaves no entry ---- */

Test(audit, a_failed_request_writes_nothing)
{
	struct world w;
	int64_t n, amendment;

	make_world(&w);
	world_identity_for(&office, w.office1, "office1", ROLE_OFFICE, 2);
	amendment = I(OK("amendment.propose", "i:task", num(w.task), "s:due_date", "2020-01-01",
			 "s:reason", "Sớm hơn", NULL), "id");
	n = audit_rows();
	/* A conflict, a bad field, an unknown object, a failure inside the
	 * handler after it wrote (the approval of a due date before the
	 * term), a role that may not. */
	cr_assert_eq(FAILS_AS(&admin, "unit.create", "s:code", "U1", "s:name", "X", "s:level", "xã",
			      NULL),
		     RPC_CONFLICT);
	cr_assert_eq(FAILS_AS(&admin, "task.update", "i:task", num(w.task), "s:kind", "nope", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&admin, "task.update", "i:task", "999", "s:title", "X", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&admin, "amendment.approve", "i:amendment", num(amendment), NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(S(item(OK("amendment.list", "i:task", num(w.task), NULL), 0),
			   "status"),
			 "pending");
	cr_assert_eq(FAILS_AS(&admin, "unit.rename", "s:unit", "NOPE", "s:name", "X", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&admin, "token.revoke", "i:token", "999", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office, "unit.create", "s:code", "U9", "s:name", "X", "s:level", "xã",
			      NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(audit_rows(), n);
	/* Revoking twice: the first is recorded, the conflict is not. */
	OK("token.revoke", "i:token", num(w.tok2), NULL);
	cr_assert_eq(FAILS_AS(&admin, "token.revoke", "i:token", num(w.tok2), NULL), RPC_CONFLICT);
	cr_assert_eq(audit_rows(), n + 1);
	/* Reads leave nothing either. */
	OK("task.get", "i:task", num(w.task), NULL);
	OK("audit.list", NULL);
	OK("task.history", "i:task", num(w.task), NULL);
	cr_assert_eq(audit_rows(), n + 1);
}

Test(audit, a_write_whose_entry_cannot_be_written_fails_whole)
{
	char msg[256];
	int64_t n;

	make_world(&(struct world){0});
	n = audit_rows();
	cr_assert_eq(raw_exec("CREATE TRIGGER no_audit BEFORE INSERT ON audit "
			      "BEGIN SELECT RAISE(ABORT, 'the trail is full'); END;",
			      msg, sizeof(msg)),
		     SQLITE_OK, "%s", msg);
	cr_assert_neq(FAILS_AS(&admin, "unit.create", "s:code", "U7", "s:name", "Xã Bảy", "s:level",
			       "xã", NULL),
		      RPC_OK);
	cr_assert_eq(FAILS_AS(&admin, "unit.get", "s:unit", "U7", NULL), RPC_NOT_FOUND);
	cr_assert_eq(audit_rows(), n);
}

Test(audit, a_replayed_request_writes_one_entry)
{
	struct world w;
	const msgpack_object *a, *b;
	int64_t n;

	make_world(&w);
	n = audit_rows();
	a = OK("update.create", "i:task", num(w.task), "i:percent", "20", "s:done", "Lắp máy chủ",
	       "s:request_id", "retry-0001-abcdef", NULL);
	b = OK("update.create", "i:task", num(w.task), "i:percent", "20", "s:done", "Lắp máy chủ",
	       "s:request_id", "retry-0001-abcdef", NULL);
	cr_assert_eq(I(a, "id"), I(b, "id"));
	cr_assert_eq(audit_rows(), n + 1);
	cr_assert_eq(sql_int("SELECT count(*) FROM updates"), 1);
}

/* Migration 22 appends stored outcomes by rowid behind an index of
 * (account, request_id): a retry among many other requests still finds
 * its own outcome, is applied once and answered as the first time. */
Test(audit, a_retry_among_many_requests_is_applied_once)
{
	struct world w;
	const msgpack_object *first, *again;
	char rid[32], before[2048];
	int64_t n, updates;

	make_world(&w);
	for (int i = 0; i < 40; i++) {
		snprintf(rid, sizeof(rid), "many-%04d-abcdef", (i * 17) % 40);
		first = OK("update.create", "i:task", num(w.task), "i:percent", num(i), "s:done",
			   "Bước tiếp", "s:request_id", rid, NULL);
		if (i == 7)
			snprintf(before, sizeof(before), "%lld", (long long)I(first, "id"));
	}
	n = audit_rows();
	updates = sql_int("SELECT count(*) FROM updates");
	snprintf(rid, sizeof(rid), "many-%04d-abcdef", (7 * 17) % 40);
	again = OK("update.create", "i:task", num(w.task), "i:percent", "99", "s:done", "Khác",
		   "s:request_id", rid, NULL);
	cr_assert_eq(I(again, "id"), strtoll(before, NULL, 10), "not the first answer");
	cr_assert_eq(I(again, "percent"), 7, "the stored answer is the first one's");
	cr_assert_eq(audit_rows(), n, "a retry wrote an audit entry");
	cr_assert_eq(sql_int("SELECT count(*) FROM updates"), updates, "a retry was applied again");
	/* Appended in the order made: the 40 outcomes, ids increasing with time. */
	cr_assert_eq(sql_int("SELECT count(*) FROM requests WHERE request_id LIKE 'many-%'"), 40);
	cr_assert_eq(sql_int("SELECT count(*) FROM requests a JOIN requests b ON b.id = a.id + 1"
			     " WHERE b.created_at < a.created_at"),
		     0);
}

/* Pruning reads the oldest rows by id alone (no index on the time): of
 * the oldest `limit`, those older than the cut-off go.  A row stamped by a
 * clock set back later stays among them until it is old itself. */
Test(audit, old_outcomes_are_pruned_from_the_oldest_row_in_bounded_batches)
{
	struct rpc_error err = {0};
	int64_t deleted = -1;
	char msg[200];

	cr_assert_eq(raw_exec("DELETE FROM requests;"
			      "INSERT INTO requests (id, account_id, request_id, method, result,"
			      " created_at) VALUES"
			      " (101, 1, 'old-0001', 'unit.create', x'80', '2020-01-01T00:00:00Z'),"
			      " (102, 1, 'old-0002', 'unit.create', x'80', '2020-01-02T00:00:00Z'),"
			      " (103, 1, 'old-0003', 'unit.create', x'80', '2020-01-03T00:00:00Z'),"
			      " (104, 1, 'new-0004', 'unit.create', x'80', '2030-01-01T00:00:00Z'),"
			      " (105, 1, 'old-0005', 'unit.create', x'80', '2020-01-05T00:00:00Z');",
			      msg, sizeof(msg)),
		     SQLITE_OK, "%s", msg);
	cr_assert_eq(db_requests_prune(db, "2025-01-01T00:00:00Z", 2, &deleted, &err), RPC_OK,
		     "%s", err.message);
	cr_assert_eq(deleted, 2, "a full batch: 101 and 102");
	cr_assert_eq(db_requests_prune(db, "2025-01-01T00:00:00Z", 2, &deleted, &err), RPC_OK);
	cr_assert_eq(deleted, 1, "of 103 and 104, 103");
	cr_assert_eq(db_requests_prune(db, "2025-01-01T00:00:00Z", 2, &deleted, &err), RPC_OK);
	cr_assert_eq(deleted, 1, "of 104 and 105, 105");
	cr_assert_eq(db_requests_prune(db, "2025-01-01T00:00:00Z", 2, &deleted, &err), RPC_OK);
	cr_assert_eq(deleted, 0, "104 is not old");
	cr_assert_eq(sql_int("SELECT group_concat(id) FROM requests"), 104);
	cr_assert_eq(db_requests_prune(db, "2031-01-01T00:00:00Z", 2, &deleted, &err), RPC_OK);
	cr_assert_eq(deleted, 1, "old now");
	cr_assert_eq(sql_int("SELECT count(*) FROM requests"), 0);
}

/* Migration 22 carries the stored outcomes of the table it replaces over:
 * a retry sent before the upgrade and again after it is answered from the
 * store; the audit indexes no query used are gone, and a task's entries
 * are found through two (audit_task and audit_update). */
Test(audit, migration_22_keeps_the_stored_outcomes)
{
	struct db *again = NULL;
	char msg[300], *bytes = NULL;
	size_t n = 0;
	struct rpc_error err = {0};
	struct text rid = {"kept-0001-abcdef", 16};

	cr_assert_eq(raw_exec("DROP TABLE requests;"
			      "CREATE TABLE requests (account_id INTEGER NOT NULL,"
			      "  request_id TEXT NOT NULL, method TEXT NOT NULL, result BLOB NOT NULL,"
			      "  created_at TEXT NOT NULL, PRIMARY KEY (account_id, request_id))"
			      "  WITHOUT ROWID;"
			      "CREATE INDEX requests_created ON requests(created_at);"
			      "INSERT INTO requests VALUES (7, 'kept-0002-abcdef', 'unit.create', x'81a0c0',"
			      "  '2026-01-02T00:00:00Z'),"
			      " (7, 'kept-0001-abcdef', 'unit.create', x'81a1c3', '2026-01-01T00:00:00Z');"
			      "CREATE INDEX audit_at ON audit(at);"
			      "CREATE INDEX audit_account ON audit(account_id, id);"
			      "CREATE INDEX audit_unit ON audit(unit_id, id);"
			      "DROP INDEX audit_task;"
			      "DROP INDEX audit_update;"
			      "CREATE INDEX audit_task ON audit(task_id, id);"
			      "PRAGMA user_version = 21;",
			      msg, sizeof(msg)),
		     SQLITE_OK, "%s", msg);
	cr_assert_eq(db_open(&again, path, msg, sizeof(msg)), 0, "%s", msg);
	cr_assert_eq(db_request_find(again, 7, rid, "unit.create", &bytes, &n, &err), 1, "%s",
		     err.message);
	cr_assert_eq(n, 3);
	cr_assert_eq(memcmp(bytes, "\x81\xa1\xc3", 3), 0);
	free(bytes);
	cr_assert_eq(db_request_find(again, 8, rid, "unit.create", &bytes, &n, &err), 0,
		     "another account's id");
	free(bytes);
	db_close(again);
	cr_assert_eq(sql_int("SELECT id FROM requests WHERE request_id = 'kept-0001-abcdef'"), 1,
		     "the oldest first");
	cr_assert_eq(sql_int("SELECT count(*) FROM sqlite_schema WHERE name IN ('audit_at',"
			     " 'audit_account', 'audit_unit', 'requests_created')"),
		     0);
	cr_assert_eq(sql_int("SELECT count(*) FROM sqlite_schema WHERE name IN ('requests_key',"
			     " 'audit_update') OR (name = 'audit_task' AND sql LIKE '%WHERE%')"),
		     3);
}

/* ---- audit.list ---- */

/* The method names of a page's entries, as "a,b,c". */
static const char *methods_of(const msgpack_object *page, char *buf, size_t n)
{
	const msgpack_object *arr = items(page);
	size_t used = 0;

	buf[0] = '\0';
	for (uint32_t i = 0; i < arr->via.array.size; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s", i ? "," : "",
					 S(entry(arr, i), "method"));
	return buf;
}

Test(audit, list_filters_by_account_unit_task_and_dates)
{
	struct world w;
	const msgpack_object *page;
	char buf[1024], first[DATE_LEN], lastd[DATE_LEN], *at;
	int64_t n;

	make_world(&w);
	world_identity_for(&office, w.office1, "office1", ROLE_OFFICE, 2);
	OK_AS(&office, "update.create", "i:task", num(w.task), "i:percent", "30", "s:done", "Xong",
	      NULL);
	OK("cadre.create", "s:code", "C9", "s:full_name", "Lê Chín", "s:title", "Chủ tịch", "s:unit",
	   "U2", "s:managing_unit", "TINH", NULL);
	n = audit_rows();

	page = OK("audit.list", "s:account", "office1", NULL);
	cr_assert_eq(I(page, "total"), 1);
	cr_assert_str_eq(methods_of(page, buf, sizeof(buf)), "update.create");
	cr_assert_str_eq(S(item(page, 0), "account_login"), "office1");
	cr_assert_eq(I(OK("audit.list", "s:account", "admin", NULL), "total"), n - 1);

	/* U1's subtree: the unit itself, its cadre, task, update and the
	 * account scoped to it. */
	page = OK("audit.list", "s:unit", "U1", NULL);
	cr_assert_str_eq(methods_of(page, buf, sizeof(buf)),
			 "unit.create,cadre.create,task.create,task.assign,account.create,update.create");
	page = OK("audit.list", "s:unit", "U2", NULL);
	cr_assert_str_eq(methods_of(page, buf, sizeof(buf)), "unit.create,cadre.create");
	/* The root's subtree holds every entry that belongs to a unit. */
	cr_assert_eq(I(OK("audit.list", "s:unit", "TINH", NULL), "total"),
		     sql_int("SELECT count(*) FROM audit WHERE unit_id IS NOT NULL"));

	page = OK("audit.list", "i:task", num(w.task), NULL);
	cr_assert_str_eq(methods_of(page, buf, sizeof(buf)), "task.create,task.assign,update.create");

	/* Dates are inclusive at both ends, in UTC. */
	at = (char *)S(item(OK("audit.list", "i:limit", "1", NULL), 0), "at");
	snprintf(first, sizeof(first), "%.10s", at);
	at = (char *)S(item(OK("audit.list", "i:after", num(n - 1), NULL), 0), "at");
	snprintf(lastd, sizeof(lastd), "%.10s", at);
	cr_assert_eq(I(OK("audit.list", "s:since", first, NULL), "total"), n);
	cr_assert_eq(I(OK("audit.list", "s:until", lastd, NULL), "total"), n);
	cr_assert_eq(I(OK("audit.list", "s:since", first, "s:until", lastd, NULL), "total"), n);
	cr_assert_eq(I(OK("audit.list", "s:since", "2999-01-01", NULL), "total"), 0);
	cr_assert_eq(I(OK("audit.list", "s:until", "1999-12-31", NULL), "total"), 0);
	cr_assert_eq(FAILS_AS(&admin, "audit.list", "s:since", "2026-02-01", "s:until", "2026-01-01",
			      NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&admin, "audit.list", "s:unit", "NOPE", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&admin, "audit.list", "i:task", "999", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&admin, "audit.list", "s:bogus", "1", NULL), RPC_INVALID_ARGUMENT);

	/* Only the admin reads the trail. */
	cr_assert_eq(FAILS_AS(&office, "audit.list", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office, "audit.verify", NULL), RPC_FORBIDDEN);
}

Test(audit, list_pages_by_id)
{
	const msgpack_object *page;
	int64_t n, seen = 0, after = 0, prev = 0;

	make_world(&(struct world){0});
	n = audit_rows();
	for (;;) {
		const msgpack_object *arr;

		page = OK("audit.list", "i:limit", "3", "i:after", num(after), NULL);
		cr_assert_eq(I(page, "total"), n);
		arr = items(page);
		for (uint32_t i = 0; i < arr->via.array.size; i++) {
			cr_assert_gt(I(entry(arr, i), "id"), prev);
			prev = I(entry(arr, i), "id");
			seen++;
		}
		if (is_nil(page, "next"))
			break;
		after = I(page, "next");
		cr_assert_eq(after, prev);
	}
	cr_assert_eq(seen, n);
	/* Each entry has exactly the documented fields. */
	page = OK("audit.list", "i:limit", "2", NULL);
	cr_assert_eq(item(page, 0)->via.map.size, 15);
	/* the hashes as hex, linked */
	cr_assert_str_eq(S(item(page, 0), "prev_hash"),
			 "0000000000000000000000000000000000000000000000000000000000000000");
	cr_assert_eq(strlen(S(item(page, 0), "hash")), 64);
	cr_assert_str_eq(S(item(page, 1), "prev_hash"), S(item(page, 0), "hash"));
}

Test(audit, verify_holds_the_chain_to_an_anchor_given)
{
	const msgpack_object *v;
	char anchor[100], msg[256];
	int64_t head;

	make_world(&(struct world){0});
	v = OK("audit.verify", NULL);
	head = I(v, "head");
	cr_assert_eq(head, audit_rows());
	cr_assert_eq(I(v, "anchors"), 0);
	snprintf(anchor, sizeof(anchor), "%lld:%s", (long long)head, S(v, "head_hash"));
	v = OK("audit.verify", "s:anchor", anchor, NULL);
	cr_assert(field(v, "ok")->via.boolean, "%s", S(v, "problem"));
	cr_assert_eq(I(v, "anchors"), 1);
	v = OK("audit.verify", "s:anchor", strchr(anchor, ':') + 1, NULL); /* the hash alone */
	cr_assert(field(v, "ok")->via.boolean);
	cr_assert_eq(I(v, "anchors"), 1);
	cr_assert_eq(FAILS_AS(&admin, "audit.verify", "s:anchor", "12:abc", NULL),
		     RPC_INVALID_ARGUMENT);

	/* the newest entry removed: the chain alone checks out, not with the anchor */
	snprintf(msg, sizeof(msg), "DROP TRIGGER audit_append_only_d; DELETE FROM audit WHERE id = %lld;",
		 (long long)head);
	cr_assert_eq(raw_exec(msg, msg, sizeof(msg)), SQLITE_OK, "%s", msg);
	cr_assert(field(OK("audit.verify", NULL), "ok")->via.boolean);
	v = OK("audit.verify", "s:anchor", anchor, NULL);
	cr_assert_not(field(v, "ok")->via.boolean);
	cr_assert_eq(I(v, "first_broken"), head);
	cr_assert(strstr(S(v, "problem"), "is missing"), "%s", S(v, "problem"));
}

/* ---- task.history ---- */

Test(audit, task_history_tells_the_story_in_order)
{
	struct world w;
	const msgpack_object *h, *arr;
	char buf[512];

	make_world(&w);
	world_identity_for(&office, w.office1, "office1", ROLE_OFFICE, 2);
	OK_AS(&office, "amendment.propose", "i:task", num(w.task), "s:due_date", "2025-09-30",
	      "s:reason", "Chờ vốn", NULL);
	OK("amendment.approve", "i:amendment", "1", NULL);
	OK_AS(&office, "update.create", "i:task", num(w.task), "i:percent", "50", "s:done",
	      "Nửa chặng", NULL);
	OK("update.create", "i:task", num(w.task), "i:percent", "100", "s:done", "Xong", NULL);
	/* Another task's story stays out of this one. */
	OK("task.create", "s:title", "Việc khác", "s:kind", "innovation", "s:field", "livelihood",
	   "s:owner", "C1", "s:term", "T1", "s:product", "p", "s:due_date", "2025-12-31", NULL);

	h = OK_AS(&office, "task.history", "i:task", num(w.task), NULL);
	cr_assert_eq(h->via.map.size, 3);
	cr_assert(is_nil(h, "next"));
	cr_assert_eq(I(h, "total"), 7);
	arr = items(h);
	cr_assert_str_eq(methods_of(h, buf, sizeof(buf)),
			 "task.create,task.assign,amendment.propose,amendment.approve,"
			 "amendment.approve,update.create,update.create");
	for (uint32_t i = 1; i < arr->via.array.size; i++)
		cr_assert_gt(I(entry(arr, i), "id"), I(entry(arr, i - 1), "id"));
	cr_assert_str_eq(S(entry(arr, 0), "display_name"), "Quản trị");
	cr_assert_str_eq(S(entry(arr, 2), "display_name"), "Văn phòng Huyện Một");
	cr_assert_str_eq(S(entry(arr, 5), "account_login"), "office1");
	/* The approval leaves the task's new version, then the amendment,
	 * which keeps the version it replaced. */
	cr_assert_str_eq(S(entry(arr, 3), "object_type"), "task");
	cr_assert_str_eq(S(field(entry(arr, 3), "before"), "due_date"), "2025-06-30");
	cr_assert_str_eq(S(field(entry(arr, 3), "after"), "due_date"), "2025-09-30");
	cr_assert_str_eq(S(entry(arr, 4), "object_type"), "amendment");
	cr_assert_str_eq(S(field(entry(arr, 4), "after"), "status"), "approved");
	cr_assert_str_eq(S(field(entry(arr, 4), "after"), "old_due_date"), "2025-06-30");
	cr_assert_eq(I(field(entry(arr, 6), "after"), "percent"), 100);
	cr_assert_eq(entry(arr, 0)->via.map.size, 12);

	cr_assert_eq(FAILS_AS(&admin, "task.history", "i:task", "999", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&admin, "task.history", NULL), RPC_INVALID_ARGUMENT);
}

/* More entries than one page (the default of 100), with another task's
 * entries between them: the first page holds the limit and a cursor, and
 * following the cursors gives every entry of the task once, in order. */
#define STORY_UPDATES 110

/* Walks task's history `limit` at a time ("" for the default), checking
 * each page; returns the number of entries seen. */
static int64_t walk_history(int64_t task, const char *limit, int64_t total)
{
	int64_t seen = 0, prev = 0, after = 0, pages = 0, lim = *limit ? atoi(limit) : 100;
	char sql[96];

	for (;;) {
		const msgpack_object *page, *arr;

		page = *limit ? OK("task.history", "i:task", num(task), "i:limit", limit, "i:after",
				   num(after), NULL)
			      : OK("task.history", "i:task", num(task), "i:after", num(after), NULL);
		pages++;
		cr_assert_eq(I(page, "total"), total);
		arr = items(page);
		for (uint32_t i = 0; i < arr->via.array.size; i++) {
			cr_assert_gt(I(entry(arr, i), "id"), prev, "an entry twice or out of order");
			prev = I(entry(arr, i), "id");
			snprintf(sql, sizeof(sql), "SELECT task_id FROM audit WHERE id = %lld",
				 (long long)prev);
			cr_assert_eq(sql_int(sql), task, "entry %lld is another task's", (long long)prev);
			seen++;
		}
		if (is_nil(page, "next"))
			break;
		cr_assert_eq(arr->via.array.size, lim);
		after = I(page, "next");
		cr_assert_eq(after, prev, "next is the page's last id");
	}
	cr_assert_eq(pages, (total + lim - 1) / lim);
	return seen;
}

Test(audit, task_history_pages_by_id)
{
	struct world w;
	const msgpack_object *page, *arr;
	int64_t other, total;
	char sql[96];

	make_world(&w);
	other = I(OK("task.create", "s:title", "Việc khác", "s:kind", "innovation", "s:field",
		     "livelihood", "s:owner", "C1", "s:term", "T1", "s:product", "p", "s:due_date",
		     "2025-12-31", NULL), "id");
	for (int i = 1; i <= STORY_UPDATES; i++) {
		OK("update.create", "i:task", num(w.task), "i:percent", num(i * 100 / STORY_UPDATES),
		   "s:done", "Một bước", NULL);
		if (i % 3 == 0)
			OK("task.update", "i:task", num(other), "s:product", num(i), NULL);
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit WHERE task_id = %lld",
		 (long long)w.task);
	total = sql_int(sql);
	cr_assert_eq(total, 2 + STORY_UPDATES); /* task.create, task.assign, the updates */

	/* The first page: the default limit, and a cursor to the rest. */
	page = OK("task.history", "i:task", num(w.task), NULL);
	arr = items(page);
	cr_assert_eq(arr->via.array.size, 100);
	cr_assert_eq(I(page, "total"), total);
	cr_assert_eq(I(page, "next"), I(entry(arr, 99), "id"));
	cr_assert_str_eq(S(entry(arr, 0), "method"), "task.create");
	cr_assert_eq(entry(arr, 0)->via.map.size, 12);
	/* The cursor gives the rest, the newest last. */
	page = OK("task.history", "i:task", num(w.task), "i:after", num(I(page, "next")), NULL);
	arr = items(page);
	cr_assert_eq(arr->via.array.size, (uint32_t)(total - 100));
	cr_assert(is_nil(page, "next"));
	cr_assert_eq(I(field(entry(arr, arr->via.array.size - 1), "after"), "percent"), 100);

	/* Every entry once, in order, whatever the page size. */
	cr_assert_eq(walk_history(w.task, "", total), total);
	cr_assert_eq(walk_history(w.task, "7", total), total);
	cr_assert_eq(walk_history(w.task, "1000", total), total);
	cr_assert_eq(walk_history(other, "5", 1 + STORY_UPDATES / 3), 1 + STORY_UPDATES / 3);

	/* The limits of every paged list. */
	cr_assert_eq(FAILS_AS(&admin, "task.history", "i:task", num(w.task), "i:limit", "1001", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&admin, "task.history", "i:task", num(w.task), "i:limit", "0", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&admin, "task.history", "i:task", num(w.task), "i:after", "-1", NULL),
		     RPC_INVALID_ARGUMENT);
	/* Past the last entry: an empty last page that still counts them all. */
	page = OK("task.history", "i:task", num(w.task), "i:after", "999999", NULL);
	cr_assert_eq(items(page)->via.array.size, 0);
	cr_assert(is_nil(page, "next"));
	cr_assert_eq(I(page, "total"), total);
}

/* ---- the first start ---- */

Test(audit, the_first_admin_is_recorded_as_made_by_the_system)
{
	char p2[400], why[300], tokfile[420], *token;
	struct db *db2;
	struct audit_verdict v;
	struct rpc_error err;
	sqlite3_stmt *st;
	int n = 0;

	snprintf(p2, sizeof(p2), "%s/first.db", dir);
	cr_assert_eq(db_open(&db2, p2, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(bootstrap_admin(db2, p2), 0);
	cr_assert_eq(sqlite3_prepare_v2(db2->conn,
					"SELECT method, object_type, account_login, "
					"account_id IS NULL, after IS NOT NULL FROM audit ORDER BY id",
					-1, &st, NULL),
		     SQLITE_OK);
	while (sqlite3_step(st) == SQLITE_ROW) {
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 0),
				 n == 0 ? "account.create" : "token.create");
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 1), n == 0 ? "account" : "token");
		cr_assert_str_eq((const char *)sqlite3_column_text(st, 2), "(system)");
		cr_assert(sqlite3_column_int(st, 3));
		cr_assert(sqlite3_column_int(st, 4));
		n++;
	}
	sqlite3_finalize(st);
	cr_assert_eq(n, 2);
	cr_assert_eq(db_begin(db2, false, &err), RPC_OK);
	cr_assert_eq(db_audit_verify(db2, NULL, 0, &v, &err), RPC_OK);
	db_rollback(db2);
	cr_assert(v.ok, "%s", v.problem);
	cr_assert_eq(v.entries, 2);

	snprintf(tokfile, sizeof(tokfile), "%s.admin-token", p2);
	token = helpers_read_file(tokfile);
	cr_assert_not_null(token);
	token[strcspn(token, "\n")] = '\0';
	cr_assert_eq(strlen(token), 68);
	db_close(db2);
	cr_assert(!in_files(p2, token + 4), "the first admin's token reached the database");
	free(token);
	world_remove_db(p2);
}
