/*
 * test_import.c: import.run and export.rows (PROTOCOL.md 6j) through the
 * dispatcher: files as spreadsheets save them, read with the CSV module
 * the client uses; every kind of bad row reported with its line and
 * column; all or nothing; importing twice changes nothing; a corrected
 * file updates, through the same rules as the methods; export in scope
 * and read back identical.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "errors.h"
#include "obj.h"
#include "world.h"

static void fini(void);

TestSuite(import, .init = world_setup, .fini = fini, .timeout = 120);

/* Replies kept until the end of the test, as world.c keeps its own. */
static msgpack_unpacked kept[64];
static char *kept_data[64];
static int nkept;

static void fini(void)
{
	for (int i = 0; i < nkept; i++) {
		msgpack_unpacked_destroy(&kept[i]);
		free(kept_data[i]);
	}
	nkept = 0;
	world_teardown();
}

/* import.run of CSV `text` as `who`: the result, or NULL with the error
 * in world_last. */
static const msgpack_object *import_as(struct identity *who, const char *kind, const char *text,
				       bool dry_run)
{
	struct csv_table t;
	struct csv_error e;
	msgpack_sbuffer req, out;
	msgpack_packer pk;
	msgpack_unpacked u;
	size_t off = 0;
	unsigned delay;
	const msgpack_object *reply;

	cr_assert_eq(csv_parse(text, strlen(text), ',', &t, &e), 0, "%s", e.message);
	msgpack_sbuffer_init(&req);
	msgpack_packer_init(&pk, &req, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 0);
	msgpack_pack_uint32(&pk, 7);
	msgpack_pack_str_with_body(&pk, "import.run", 10);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 5);
	msgpack_pack_str_with_body(&pk, "header_line", 11);
	msgpack_pack_int64(&pk, t.records[0].line);
	msgpack_pack_str_with_body(&pk, "kind", 4);
	msgpack_pack_str_with_body(&pk, kind, strlen(kind));
	msgpack_pack_str_with_body(&pk, "dry_run", 7);
	if (dry_run)
		msgpack_pack_true(&pk);
	else
		msgpack_pack_false(&pk);
	msgpack_pack_str_with_body(&pk, "columns", 7);
	msgpack_pack_array(&pk, t.records[0].nfields);
	for (size_t j = 0; j < t.records[0].nfields; j++)
		msgpack_pack_str_with_body(&pk, t.records[0].fields[j], strlen(t.records[0].fields[j]));
	msgpack_pack_str_with_body(&pk, "rows", 4);
	msgpack_pack_array(&pk, t.nrecords - 1);
	for (size_t i = 1; i < t.nrecords; i++) {
		msgpack_pack_map(&pk, 2);
		msgpack_pack_str_with_body(&pk, "line", 4);
		msgpack_pack_int64(&pk, t.records[i].line);
		msgpack_pack_str_with_body(&pk, "values", 6);
		msgpack_pack_array(&pk, t.records[i].nfields);
		for (size_t j = 0; j < t.records[i].nfields; j++)
			msgpack_pack_str_with_body(&pk, t.records[i].fields[j],
						   strlen(t.records[i].fields[j]));
	}
	csv_table_free(&t);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, req.data, req.size, &off), MSGPACK_UNPACK_SUCCESS);
	msgpack_sbuffer_init(&out);
	cr_assert_eq(dispatch_message(world_db, who, &u.data, &out, &delay), DISPATCH_REPLIED);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&req);

	cr_assert_lt(nkept, 64);
	msgpack_unpacked_init(&kept[nkept]);
	off = 0;
	kept_data[nkept] = out.data; /* the sbuffer's bytes, freed in fini */
	cr_assert_eq(msgpack_unpack_next(&kept[nkept], out.data, out.size, &off),
		     MSGPACK_UNPACK_SUCCESS);
	reply = &kept[nkept++].data;
	if (reply->via.array.ptr[2].type != MSGPACK_OBJECT_NIL) {
		errors_unpack(&reply->via.array.ptr[2], &world_last);
		return NULL;
	}
	world_last.code = RPC_OK;
	return &reply->via.array.ptr[3];
}

#define IMPORT(kind, text) ok_import(&admin, (kind), (text), false)

static const msgpack_object *ok_import(struct identity *who, const char *kind, const char *text,
				       bool dry_run)
{
	const msgpack_object *r = import_as(who, kind, text, dry_run);

	cr_assert_not_null(r, "import.run %s as %s: %s", kind, who->login, world_last.message);
	return r;
}

/* Bad row i of a result: its line, column and reason. */
static const msgpack_object *bad(const msgpack_object *r, uint32_t i)
{
	const msgpack_object *e = field(r, "errors");

	cr_assert_lt(i, e->via.array.size, "only %u bad rows", e->via.array.size);
	return &e->via.array.ptr[i];
}

static void expect_bad(const msgpack_object *r, uint32_t i, int64_t line, const char *column,
		       const char *words)
{
	const msgpack_object *e = bad(r, i);

	cr_assert_eq(I(e, "line"), line, "bad row %u: line %lld, not %lld (%s)", i,
		     (long long)I(e, "line"), (long long)line, S(e, "reason"));
	cr_assert_str_eq(S(e, "column"), column, "line %lld: %s", (long long)line, S(e, "reason"));
	cr_assert(strstr(S(e, "reason"), words), "line %lld: '%s' lacks '%s'", (long long)line,
		  S(e, "reason"), words);
}

static void expect_counts(const msgpack_object *r, int64_t created, int64_t updated,
			  int64_t unchanged, int64_t nbad)
{
	cr_assert_eq(I(r, "created"), created, "created %lld", (long long)I(r, "created"));
	cr_assert_eq(I(r, "updated"), updated, "updated %lld", (long long)I(r, "updated"));
	cr_assert_eq(I(r, "unchanged"), unchanged, "unchanged %lld", (long long)I(r, "unchanged"));
	cr_assert_eq(I(r, "bad"), nbad, "bad %lld", (long long)I(r, "bad"));
	cr_assert_eq(flag(r, "applied"), nbad == 0 && !flag(r, "dry_run"));
}

static int64_t tasks_total(void)
{
	return I(OK("task.list", "i:limit", "1", NULL), "total");
}

static const char UNITS[] = "\xEF\xBB\xBF"
			    "code,name,level,parent,valid_from,valid_to,merged_into\r\n"
			    "X1,\"Xã Một, Huyện Một\",xã,H1,2020-01-01,,\r\n"
			    "X2,Xã Hai,xã,H1,,,\r\n";

static const char CADRES[] = "code,full_name,title,unit,managing_unit,since\r\n"
			     "K1,Lê Văn Cường,Bí thư Đảng ủy xã,X1,H1,2021-05-01\r\n"
			     "K2,Phạm Thị Dung,\"Chủ tịch UBND xã, Phó Bí thư\",X2,H1,2021-05-01\r\n";

static const char TASKS[] =
	"code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date\r\n"
	"NV-1,Chuyển đổi số xã Một,\"Hai dòng:\r\nmột, hai\",innovation,socio_economic,K1,X1,T1,"
	"H1,Cổng dịch vụ công của xã,2025-06-30\r\n"
	"NV-2,Đường giao thông nông thôn,,breakthrough,livelihood,K2,X2,T1,H1,5 km đường,"
	"2025-12-31\r\n";

static void import_all(void)
{
	expect_counts(IMPORT("units", UNITS), 2, 0, 0, 0);
	expect_counts(IMPORT("cadres", CADRES), 2, 0, 0, 0);
	expect_counts(IMPORT("tasks", TASKS), 2, 0, 0, 0);
}

Test(import, a_file_creates_objects_and_the_same_file_again_changes_nothing)
{
	const msgpack_object *r, *l;
	int64_t audit;

	make_world();
	import_all();
	l = OK("task.list", "s:unit", "X1", NULL);
	cr_assert_eq(count_items(l), 1);
	cr_assert_str_eq(S(item(l, 0), "title"), "Chuyển đổi số xã Một");
	cr_assert_str_eq(S(item(l, 0), "description"), "Hai dòng:\r\nmột, hai");
	cr_assert_str_eq(S(item(l, 0), "state"), "registered");
	cr_assert_str_eq(S(item(l, 0), "code"), "NV-1");
	cr_assert_str_eq(S(OK("cadre.get", "s:cadre", "K2", NULL), "title"),
			 "Chủ tịch UBND xã, Phó Bí thư");

	audit = audit_total();
	r = IMPORT("units", UNITS);
	expect_counts(r, 0, 0, 2, 0);
	expect_counts(IMPORT("cadres", CADRES), 0, 0, 2, 0);
	expect_counts(IMPORT("tasks", TASKS), 0, 0, 2, 0);
	cr_assert_eq(audit_total(), audit + 3, "only the three imports' own entries");
	cr_assert_eq(tasks_total(), 2);
}

Test(import, each_created_object_has_its_audit_entry_under_its_own_method)
{
	const msgpack_object *l;
	int64_t before;

	make_world();
	before = audit_total();
	IMPORT("units", UNITS);
	cr_assert_eq(audit_total(), before + 3, "two unit.create and the import.run");
	l = OK("audit.list", "s:unit", "X2", "i:limit", "10", NULL);
	cr_assert_eq(count_items(l), 1);
	cr_assert_str_eq(S(item(l, 0), "method"), "unit.create");
}

Test(import, every_kind_of_bad_row_is_reported_with_line_and_column_and_nothing_is_saved)
{
	char long_title[600], text[4096];
	const msgpack_object *r;

	make_world();
	import_all();
	memset(long_title, 'a', sizeof(long_title) - 1);
	long_title[sizeof(long_title) - 1] = '\0';
	snprintf(text, sizeof(text),
		 "code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date\n"
		 "NV-3,Tốt,,innovation,socio_economic,K1,X1,T1,H1,Sản phẩm,2025-06-30\n"
		 "NV-4,Ngày sai,,innovation,socio_economic,K1,X1,T1,H1,Sản phẩm,31/06/2025\n"
		 "NV-5,Không có chủ,,innovation,socio_economic,NOBODY,X1,T1,H1,Sản phẩm,2025-06-30\n"
		 "NV-3,Trùng mã,,innovation,socio_economic,K1,X1,T1,H1,Sản phẩm,2025-06-30\n"
		 "NV-6,%s,,innovation,socio_economic,K1,X1,T1,H1,Sản phẩm,2025-06-30\n"
		 "NV-7,Thiếu cột,,innovation\n"
		 "NV-8,Loại sai,,miracle,socio_economic,K1,X1,T1,H1,Sản phẩm,2025-06-30\n"
		 "NV-9,Sản phẩm chưa ghi,,innovation,socio_economic,K1,X1,T1,H1,,2025-06-30\n"
		 "bad code!,Mã sai,,innovation,socio_economic,K1,X1,T1,H1,Sản phẩm,2025-06-30\n",
		 long_title);
	r = IMPORT("tasks", text);
	expect_counts(r, 2, 0, 0, 7); /* NV-9: an empty product is one, as task.create takes it */
	expect_bad(r, 0, 3, "due_date", "YYYY-MM-DD");
	expect_bad(r, 1, 4, "owner", "NOBODY");
	expect_bad(r, 2, 5, "code", "also the code on line 2");
	expect_bad(r, 3, 6, "title", "at most");
	expect_bad(r, 4, 7, "", "4 fields, the header 11");
	expect_bad(r, 5, 8, "kind", "miracle");
	expect_bad(r, 6, 10, "code", "a code is");
	cr_assert_eq(tasks_total(), 2, "the good rows were not kept either");
}

Test(import, a_bad_header_names_the_missing_unknown_or_doubled_column_on_its_line)
{
	const msgpack_object *r;

	make_world();
	r = IMPORT("cadres", "\n\ncode,full_name,title,unit,since,code,note\n"
			     "K9,Tên,Chức vụ,H1,2021-01-01,K9,x\n");
	cr_assert_eq(I(r, "bad"), 3);
	expect_bad(r, 0, 3, "code", "named twice");
	expect_bad(r, 1, 3, "", "'note' is not a column of cadres");
	expect_bad(r, 2, 3, "managing_unit", "missing");
	cr_assert_eq(FAILS("cadre.get", "s:cadre", "K9", NULL), RPC_NOT_FOUND);
}

Test(import, a_dry_run_counts_what_would_change_and_saves_nothing)
{
	const msgpack_object *r;

	make_world();
	r = ok_import(&admin, "units", UNITS, true);
	expect_counts(r, 2, 0, 0, 0);
	cr_assert(flag(r, "dry_run"));
	cr_assert_eq(FAILS("unit.get", "s:unit", "X1", NULL), RPC_NOT_FOUND);
}

Test(import, a_corrected_file_updates_what_changed_by_the_methods_rules)
{
	const msgpack_object *r, *t;
	char text[2048];
	int64_t id;

	make_world();
	import_all();
	/* Units: renamed and moved; cadres: renamed, transferred. */
	r = IMPORT("units", "code,name,level,parent,valid_from,valid_to,merged_into\n"
			    "X1,Xã Một Mới,xã,H2,2020-01-01,,\n"
			    "X2,Xã Hai,xã,H1,,2026-01-01,X1\n");
	expect_counts(r, 0, 2, 0, 0);
	t = OK("unit.get", "s:unit", "X1", NULL);
	cr_assert_str_eq(S(t, "name"), "Xã Một Mới");
	cr_assert_str_eq(S(t, "parent_code"), "H2");
	cr_assert_str_eq(S(OK("unit.get", "s:unit", "X2", NULL), "valid_to"), "2026-01-01");
	r = IMPORT("cadres", "code,full_name,title,unit,managing_unit,since\n"
			     "K1,Lê Văn Cường,Chủ tịch UBND xã,H1,H1,2021-05-01\n");
	expect_counts(r, 0, 1, 0, 0);
	cr_assert_str_eq(S(OK("cadre.get", "s:cadre", "K1", NULL), "title"), "Chủ tịch UBND xã");

	/* A registered task's title changes; an assigned one's only by amendment. */
	id = I(item(OK("task.list", "s:cadre", "K2", NULL), 0), "id");
	snprintf(text, sizeof(text),
		 "code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date\n"
		 "NV-2,Đường giao thông liên xã,,breakthrough,livelihood,K2,X2,T1,H1,5 km đường,"
		 "2025-12-31\n");
	expect_counts(IMPORT("tasks", text), 0, 1, 0, 0);
	cr_assert_str_eq(S(get_task(id), "title"), "Đường giao thông liên xã");
	drive(id, "assigned");
	snprintf(text, sizeof(text),
		 "code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date\n"
		 "NV-2,Tên khác,,breakthrough,livelihood,K2,X2,T1,H1,5 km đường,2025-12-31\n");
	r = IMPORT("tasks", text);
	expect_counts(r, 0, 0, 0, 1);
	expect_bad(r, 0, 2, "title", "amendment");
	cr_assert_str_eq(S(get_task(id), "title"), "Đường giao thông liên xã");
}

Test(import, an_office_imports_in_its_scope_only_and_never_units)
{
	const msgpack_object *r;

	make_world();
	cr_assert_null(import_as(&office1, "units", UNITS, false));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);
	cr_assert(strstr(world_last.message, "unit.create"), "%s", world_last.message);
	cr_assert_null(import_as(&viewer1, "cadres", CADRES, false));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);

	IMPORT("units", UNITS);
	r = ok_import(&office1, "cadres", "code,full_name,title,unit,managing_unit,since\n"
					  "K1,Tên,Chức vụ,X1,H1,2021-05-01\n"
					  "K3,Tên,Chức vụ,H2,TINH,2021-05-01\n"
					  "C2,Trần Thị Bình,Bí thư,H2,TINH,2020-01-01\n",
		      false);
	expect_counts(r, 1, 0, 0, 2);
	expect_bad(r, 0, 3, "unit", "H2");
	expect_bad(r, 1, 4, "code", "a cadre with code 'C2' already exists");
	cr_assert_eq(FAILS("cadre.get", "s:cadre", "K1", NULL), RPC_NOT_FOUND);
}

Test(import, bad_params_are_refused_whole)
{
	make_world();
	cr_assert_eq(FAILS("import.run", "s:kind", "accounts", "s:columns", "x", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "kind"), "%s", world_last.message);
	cr_assert_eq(FAILS("import.run", "s:kind", "units", NULL), RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "columns"), "%s", world_last.message);
	cr_assert_eq(FAILS("export.rows", "s:kind", "accounts", NULL), RPC_INVALID_ARGUMENT);
}

/* The rows of one export page as CSV text (malloc'ed). */
static char *export_text(struct identity *who, const char *kind)
{
	const msgpack_object *r = OK_AS(who, "export.rows", "s:kind", kind, "i:limit", "1000", NULL);
	const msgpack_object *rows = field(r, "rows");
	char *text = NULL, *fields[16];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	cr_assert(is_nil(r, "next"));
	for (uint32_t i = 0; i < rows->via.array.size; i++) {
		const msgpack_object *row = &rows->via.array.ptr[i];

		for (uint32_t j = 0; j < row->via.array.size; j++)
			fields[j] = strndup(row->via.array.ptr[j].via.str.ptr,
					    row->via.array.ptr[j].via.str.size);
		csv_write_record(f, ',', (const char *const *)fields, row->via.array.size);
		for (uint32_t j = 0; j < row->via.array.size; j++)
			free(fields[j]);
	}
	fclose(f);
	return text;
}

Test(import, export_shows_the_callers_scope_with_the_columns_import_reads)
{
	const msgpack_object *r;
	char *all, *h1;

	make_world();
	import_all();
	{
		int64_t id = new_task_of("C2", NULL);
		char code[32];

		snprintf(code, sizeof(code), "T%lld", (long long)id);
		cr_assert_str_eq(S(get_task(id), "code"), code, "a task made without a code");
	}
	r = OK("export.rows", "s:kind", "tasks", "i:limit", "2", NULL);
	cr_assert_eq(field(r, "rows")->via.array.size, 2);
	cr_assert_eq(I(r, "next"), I(item(OK("task.list", "i:limit", "2", NULL), 1), "id"));
	cr_assert(obj_str_eq(&field(r, "columns")->via.array.ptr[0], "code"));
	all = export_text(&admin, "tasks");
	h1 = export_text(&office1, "tasks");
	cr_assert(strstr(all, "NV-1,") && strstr(all, "NV-2,") && strstr(all, ",C2,H2,"));
	cr_assert(strstr(h1, "NV-1,") && strstr(h1, "NV-2,") && !strstr(h1, ",C2,H2,"), "%s", h1);
	free(all);
	free(h1);
	h1 = export_text(&office1, "units");
	cr_assert(strncmp(h1, "H1,Huyện Một,huyện,TINH,", 24) == 0, "%s", h1);
	cr_assert(!strstr(h1, "H2,"));
	free(h1);
	r = OK_AS(&viewer1, "export.rows", "s:kind", "updates", NULL);
	cr_assert_eq(field(r, "rows")->via.array.size, 0);
}

Test(import, a_task_made_without_a_code_never_takes_an_imported_one)
{
	char text[1024], code[32];
	const char *got;
	int64_t id;

	make_world();
	import_all();
	/* The next task made without a code would be T4: import that code first. */
	snprintf(text, sizeof(text),
		 "code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date\n"
		 "T4,Việc mang mã T4,,innovation,socio_economic,K1,X1,T1,H1,Sản phẩm,2025-06-30\n");
	expect_counts(IMPORT("tasks", text), 1, 0, 0, 0);
	id = new_task();
	cr_assert_eq(id, 4);
	got = S(get_task(id), "code");
	snprintf(code, sizeof(code), "T%lld-", (long long)id);
	cr_assert(strncmp(got, code, strlen(code)) == 0 && strlen(got) == strlen(code) + 6, "%s",
		  got);
}

Test(import, a_task_is_assigned_by_its_cadres_managing_unit_or_above)
{
	const msgpack_object *r;

	make_world();
	import_all(); /* K1, K2 managed by H1 */
	/* C1 is managed by TINH: H1, below it, may not assign its tasks */
	r = ok_import(&office1, "tasks",
		      "code,title,description,kind,field,owner,unit,term,assigned_by,product,"
		      "due_date\n"
		      "NV-9,Việc của tỉnh,,innovation,livelihood,C1,H1,T1,H1,Sản phẩm,2025-06-30\n"
		      "NV-8,Việc của xã,,innovation,livelihood,K1,X1,T1,TINH,Sản phẩm,2025-06-30\n",
		      false);
	expect_counts(r, 1, 0, 0, 1);
	expect_bad(r, 0, 2, "assigned_by", "unit H1 may not assign a task to cadre C1");
	/* nothing saved: K1 has its one task of import_all() */
	cr_assert_eq(I(OK("task.list", "s:cadre", "K1", NULL), "total"), 1);
	/* an existing task's assigning body moved below the cadre's manager */
	r = ok_import(&office1, "tasks",
		      "code,title,description,kind,field,owner,unit,term,assigned_by,product,"
		      "due_date\n"
		      "NV-1,Chuyển đổi số xã Một,\"Hai dòng:\r\nmột, hai\",innovation,socio_economic,"
		      "K1,X1,T1,X1,Cổng dịch vụ công của xã,2025-06-30\n",
		      false);
	expect_counts(r, 0, 0, 0, 1);
	expect_bad(r, 0, 2, "assigned_by", "unit X1 may not assign a task to cadre K1");
}

Test(import, a_row_leaving_unit_and_assigned_by_empty_imports_again_unchanged)
{
	static const char text[] =
		"code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date\n"
		"NV-1,Việc không ghi đơn vị,,innovation,livelihood,K1,,T1,,Sản phẩm,2025-06-30\n";
	char *all;

	make_world();
	import_all();
	/* NV-1 (import_all's, of X1, assigned by H1) renamed, the rest kept. */
	expect_counts(IMPORT("tasks", text), 0, 1, 0, 0);
	expect_counts(IMPORT("tasks", text), 0, 0, 1, 0);
	expect_counts(IMPORT("tasks",
			     "code,title,description,kind,field,owner,unit,term,assigned_by,"
			     "product,due_date\n"
			     "NV-7,Việc mới không ghi,,innovation,livelihood,K2,,T1,,Sản phẩm,"
			     "2025-06-30\n"),
		      1, 0, 0, 0);
	expect_counts(IMPORT("tasks",
			     "code,title,description,kind,field,owner,unit,term,assigned_by,"
			     "product,due_date\n"
			     "NV-7,Việc mới không ghi,,innovation,livelihood,K2,,T1,,Sản phẩm,"
			     "2025-06-30\n"),
		      0, 0, 1, 0);
	/* The server filled them in: K2's unit and managing unit. */
	all = export_text(&admin, "tasks");
	cr_assert(strstr(all, "NV-7,Việc mới không ghi,,innovation,livelihood,K2,X2,T1,H1,"), "%s",
		  all);
	free(all);
}

Test(import, a_task_whose_product_is_empty_exports_to_a_row_that_imports)
{
	int64_t id;
	char *all, code[32], *row, *end;
	char text[2048];

	make_world();
	import_all();
	id = I(OK("task.create", "s:title", "Việc chưa ghi sản phẩm", "s:kind", "innovation",
		  "s:field", "livelihood", "s:owner", "K1", "s:term", "T1", "s:product", "",
		  "s:due_date", "2025-06-30", NULL),
	       "id");
	snprintf(code, sizeof(code), "\nT%lld,", (long long)id);
	all = export_text(&admin, "tasks");
	cr_assert_not_null(row = strstr(all, code), "%s", all);
	row++;
	end = strstr(row, "\r\n");
	snprintf(text, sizeof(text),
		 "code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date,"
		 "state,percent,status,health\r\n%.*s\r\n",
		 (int)(end - row), row);
	cr_assert(strstr(text, ",,2025-06-30,registered,0,"), "%s", text);
	expect_counts(IMPORT("tasks", text), 0, 0, 1, 0);
	/* As a new task: created, with its empty product. */
	text[strlen("code,title,description,kind,field,owner,unit,term,assigned_by,product,"
		    "due_date,state,percent,status,health\r\nT")] = 'X';
	expect_counts(IMPORT("tasks", text), 1, 0, 0, 0);
	free(all);
}

Test(import, the_columns_of_a_tasks_work_are_exported_and_an_import_ignores_them)
{
	const msgpack_object *r, *cols, *row, *t;
	static const char *const names[] = {"code", "title", "description", "kind", "field",
					    "owner", "unit", "term", "assigned_by", "product",
					    "due_date", "state", "percent", "status", "health"};
	int64_t id, upd;
	char want[64];

	make_world();
	id = new_task();
	act_ok(&admin, "assign", id);
	upd = I(OK_AS(&office1, "update.create", "i:task", num(id), "i:percent", "40", "s:done",
		      "Đã khảo sát", NULL),
		"id");
	OK("update.return", "i:update", num(upd), "s:reason", "Chưa có biên bản", NULL);
	OK_AS(&office1, "update.create", "i:task", num(id), "i:percent", "30", "s:done",
	      "Đã lập hồ sơ", NULL);
	r = OK("export.rows", "s:kind", "tasks", "i:limit", "1000", NULL);
	cols = field(r, "columns");
	cr_assert_eq(cols->via.array.size, 15);
	for (uint32_t j = 0; j < 15; j++)
		cr_assert(obj_str_eq(&cols->via.array.ptr[j], names[j]), "column %u", j);
	row = &field(r, "rows")->via.array.ptr[field(r, "rows")->via.array.size - 1];
	t = get_task(id);
	cr_assert(obj_str_eq(&row->via.array.ptr[11], S(t, "state")));
	snprintf(want, sizeof(want), "%lld", (long long)I(t, "percent"));
	cr_assert(obj_str_eq(&row->via.array.ptr[12], want), "percent %s", want);
	cr_assert(obj_str_eq(&row->via.array.ptr[13], S(t, "status")));
	cr_assert(obj_str_eq(&row->via.array.ptr[14], S(t, "health")));
	/* The updates: the returned one says so, the other has no appraisal. */
	r = OK("export.rows", "s:kind", "updates", NULL);
	cols = field(r, "columns");
	cr_assert(obj_str_eq(&cols->via.array.ptr[6], "appraisal"));
	cr_assert(obj_str_eq(&field(r, "rows")->via.array.ptr[0].via.array.ptr[6], "returned"));
	cr_assert(obj_str_eq(&field(r, "rows")->via.array.ptr[1].via.array.ptr[6], ""));
	/* An import takes those columns in its header, whatever they say. */
	r = IMPORT("tasks",
		   "code,title,description,kind,field,owner,unit,term,assigned_by,product,due_date,"
		   "state,percent,status,health\n"
		   "NV-1,Việc,,innovation,livelihood,C1,,T1,,Sản phẩm,2025-06-30,accepted,100,x,y\n");
	expect_counts(r, 1, 0, 0, 0);
}
