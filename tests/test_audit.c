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
#include "db_inspection.h"
#include "db_internal.h"
#include "dispatch.h"
#include "helpers.h"
#include "log.h"
#include "methods.h"
#include "obj.h"

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

/* One valid call per write method, run in this order on make_world()'s
 * province.  Values starting with '$' name the world's ids. */
struct sample {
	const char *method;
	const char *noun;      /* the object_type expected */
	const char *f[20];     /* fields as pack_fields, NULL-terminated */
};

/* Entries a write leaves besides its object's own: the second object it
 * changes (PROTOCOL.md 6a, 6g). */
static int more_entries(const char *method)
{
	return strcmp(method, "task.carry_over") == 0 || strcmp(method, "amendment.approve") == 0;
}

static const struct sample samples[] = {
	{"account.create", "account",
	 {"s:login", "viewer2", "s:display_name", "Ban Tổ chức", "s:role", "viewer", "s:scope", "U2",
	  NULL}},
	{"account.update", "account",
	 {"s:account", "office1", "s:display_name", "Văn phòng Huyện ủy Một", NULL}},
	{"token.create", "token", {"s:account", "office1", "s:name", "máy 3", NULL}},
	{"token.rotate", "token", {"i:token", "$tok1", NULL}},
	{"token.revoke", "token", {"i:token", "$tok2", NULL}},
	{"unit.create", "unit",
	 {"s:code", "U4", "s:name", "Xã Bốn", "s:level", "xã", "s:parent", "U1", NULL}},
	{"unit.rename", "unit", {"s:unit", "U1", "s:name", "Thành phố Một", NULL}},
	{"unit.move", "unit", {"s:unit", "U3", "s:parent", "U2", NULL}},
	{"unit.close", "unit", {"s:unit", "U3", "s:date", "2025-01-01", NULL}},
	{"cadre.create", "cadre",
	 {"s:code", "C2", "s:full_name", "Trần Thị Bình", "s:title", "Chủ tịch", "s:unit", "U2",
	  "s:managing_unit", "TINH", NULL}},
	{"cadre.update", "cadre", {"s:cadre", "C1", "s:full_name", "Nguyễn Văn Ân", NULL}},
	{"cadre.transfer", "cadre",
	 {"s:cadre", "C1", "s:unit", "U2", "s:date", "2024-01-01", NULL}},
	{"term.create", "term",
	 {"s:code", "2026", "s:kind", "year", "s:start", "2026-01-01", "s:end", "2026-12-31", NULL}},
	{"task.create", "task",
	 {"s:title", "Nông thôn mới kiểu mẫu", "s:kind", "innovation", "s:field", "livelihood",
	  "s:owner", "C1", "s:term", "T1", "s:product", "Ba xã đạt chuẩn", "s:due_date",
	  "2025-12-31", NULL}},
	{"task.update", "task", {"i:task", "$task", "s:description", "Toàn huyện", NULL}},
	{"task.review", "task", {"i:task", "$fresh", "s:note", "Đủ hồ sơ", NULL}},
	{"task.return", "task", {"i:task", "$fresh", "s:reason", "Sản phẩm chưa cụ thể", NULL}},
	{"task.resubmit", "task", {"i:task", "$fresh", NULL}},
	{"task.assign", "task",
	 {"i:task", "$fresh", "s:decision_no", "15-QĐ/TU", "s:decision_date", "2021-04-01", NULL}},
	{"task.start", "task", {"i:task", "$task", NULL}},
	{"task.report_done", "task", {"i:task", "$task", "s:summary", "Cổng đã vận hành", NULL}},
	{"task.accept", "task", {"i:task", "$task", "s:rating", "good", "s:comment", "Tốt", NULL}},
	{"task.send_back", "task", {"i:task", "$done", "s:reason", "Thiếu minh chứng", NULL}},
	{"task.cancel", "task", {"i:task", "$spare", "s:reason", "Trùng nhiệm vụ khác", NULL}},
	{"task.carry_over", "task", {"i:task", "$done", "s:term", "2026", NULL}},
	{"update.create", "update",
	 {"i:task", "$fresh", "i:percent", "40", "s:done", "Đã khai trương cổng", NULL}},
	{"plan.add", "step",
	 {"i:task", "$fresh", "s:what", "Tập huấn cán bộ", "s:responsible_unit", "U2", NULL}},
	{"plan.update", "step", {"i:step", "$step", "s:status", "done", NULL}},
	{"plan.remove", "step", {"i:step", "$step", NULL}},
	{"task.set_focal_point", "task", {"i:task", "$fresh", "s:account", "admin", NULL}},
	{"reminder.send", "reminder",
	 {"i:task", "$fresh", "s:message", "Đề nghị báo cáo tiến độ", "s:answer_by", "2099-12-31",
	  NULL}},
	{"reminder.answer", "reminder",
	 {"i:reminder", "$reminder", "s:answer", "Đã triển khai xong bước một", NULL}},
	{"amendment.propose", "amendment",
	 {"i:task", "$fresh", "s:due_date", "2025-09-30", "s:reason", "Chờ vốn", NULL}},
	{"amendment.approve", "amendment", {"i:amendment", "$pending", NULL}},
	{"amendment.reject", "amendment",
	 {"i:amendment", "$pending", "s:reason", "Không có căn cứ", NULL}},
	/* the supervisor's records ($task is accepted by now) */
	{"update.accept", "update", {"i:update", "$upd1", "s:comment", "Đúng tiến độ", NULL}},
	{"update.return", "update", {"i:update", "$upd2", "s:reason", "Số liệu chưa khớp", NULL}},
	{"explanation.request", "explanation",
	 {"i:task", "$busy", "s:question", "Vì sao chậm?", "s:answer_by", "2099-12-31", NULL}},
	{"explanation.answer", "explanation",
	 {"i:explanation", "$explanation", "s:answer", "Vướng mặt bằng", NULL}},
	{"inspection.record", "inspection",
	 {"i:task", "$busy", "s:date", "2024-05-10", "s:findings", "Chậm giải ngân",
	  "s:conclusions", "Đẩy nhanh", NULL}},
	{"inspection.action_done", "action", {"i:action", "$action", "s:note", "Đã làm", NULL}},
	{"followup.schedule", "followup",
	 {"i:task", "$task", "s:due_date", "2099-06-30", "s:what", "Không tái diễn", NULL}},
	{"followup.record", "followup",
	 {"i:followup", "$followup", "s:result", "relapsed", "s:note", "Tái diễn", NULL}},
	{"file.upload_begin", "upload",
	 {"i:task", "$files", "s:name", "Quyết định.pdf", "s:type", "application/pdf", "i:size",
	  "5", "s:sha256", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	  NULL}},
	{"file.upload_chunk", "upload",
	 {"i:upload", "$upload", "i:offset", "0", "x:data", "616263", NULL}},
	{"file.upload_finish", "file", {"i:upload", "$upload", NULL}},
	{"file.upload_abort", "upload", {"i:upload", "$upload2", NULL}},
	{"file.withdraw", "file", {"i:file", "$file", "s:reason", "Gửi nhầm", NULL}},
	/* import and export: a file of no rows is the import's entry alone
	 * (test_import.c has those of its rows) */
	{"import.run", "import",
	 {"s:kind", "cadres", "l:columns", "code,full_name,title,unit,managing_unit,since", "l:rows",
	  "", NULL}},
	/* reports */
	{"report.snapshot", "snapshot",
	 {"s:name", "Q1-2025", "s:term", "T1", "s:as_of", "2025-03-31", NULL}},
	/* an object in the daemon's memory: no id, its result as `after` */
	{"throttle.clear", "throttle", {NULL}},
};

static const struct sample *sample_of(const char *method)
{
	for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
		if (strcmp(samples[i].method, method) == 0)
			return &samples[i];
	return NULL;
}

/* Tasks in the states the workflow's samples start from, made by
 * every_write_method_leaves_exactly_one_entry: fresh (registered, then
 * walked to assigned by the samples), done (reported_done) and spare
 * (registered). */
static struct {
	int64_t fresh, done, spare;
	int64_t step;               /* a step of fresh's plan */
	int64_t reminder;           /* an unanswered reminder on fresh */
	int64_t busy;               /* in progress, with two updates */
	int64_t upd1, upd2;         /* busy's updates, not appraised */
	int64_t explanation;        /* an unanswered explanation request on busy */
	int64_t action;             /* an inspection's required action on busy, not done */
	int64_t followup;           /* a follow-up check of done, not recorded */
	int64_t files;              /* an assigned task for the file samples */
	int64_t upload, upload2;    /* open uploads on it: "abc" (3 bytes), and 4 bytes */
} sample_tasks;

static int64_t sample_task(const char *title)
{
	return I(OK("task.create", "s:title", title, "s:kind", "innovation", "s:field",
		    "livelihood", "s:owner", "C1", "s:term", "T1", "s:product", "Sản phẩm",
		    "s:due_date", "2025-12-31", NULL), "id");
}

/* The pending amendment of task, proposed now if there is none. */
static int64_t pending_amendment(int64_t task)
{
	const msgpack_object *p = field(OK("task.get", "i:task", num(task), NULL),
					"pending_amendment");

	if (p->type == MSGPACK_OBJECT_MAP)
		return I(p, "id");
	return I(OK("amendment.propose", "i:task", num(task), "s:title", "Tên khác", "s:reason",
		    "Sát thực tế hơn", NULL),
		 "id");
}

/* The objects the supervisor's samples work on: a task in progress with
 * two updates, an explanation request and an inspection's action on it,
 * and an accepted task with a follow-up check.  The action is stored
 * directly: the fields of these samples have no arrays. */
static void make_supervision_samples(void)
{
	struct rpc_error err;
	struct inspection_input in = {0};
	struct text what = {"Bổ sung hồ sơ", strlen("Bổ sung hồ sơ")};
	int64_t insp, accepted;

	sample_tasks.busy = sample_task("Việc đang làm");
	OK("task.assign", "i:task", num(sample_tasks.busy), "s:decision_no", "4-QĐ/TU",
	   "s:decision_date", "2021-02-01", NULL);
	sample_tasks.upd1 = I(OK("update.create", "i:task", num(sample_tasks.busy), "i:percent",
				 "20", "s:done", "Khảo sát", NULL), "id");
	sample_tasks.upd2 = I(OK("update.create", "i:task", num(sample_tasks.busy), "i:percent",
				 "50", "s:done", "Thi công", NULL), "id");
	sample_tasks.explanation =
		I(OK("explanation.request", "i:task", num(sample_tasks.busy), "s:question",
		     "Tiến độ?", "s:answer_by", "2099-12-31", NULL), "id");
	in.task = sample_tasks.busy;
	in.date = "2024-01-10";
	in.findings = (struct text){"Chậm", strlen("Chậm")};
	in.conclusions = (struct text){"Đẩy nhanh", strlen("Đẩy nhanh")};
	cr_assert_eq(db_begin(db, true, &err), RPC_OK);
	cr_assert_eq(db_inspection_record(db, &in, admin.account_id, "2024-01-10T00:00:00Z", &insp,
					  &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_inspection_add_action(db, insp, what, "2099-01-01", &err), RPC_OK, "%s",
		     err.message);
	sample_tasks.action = sqlite3_last_insert_rowid(db->conn);
	cr_assert_eq(db_commit(db, &err), RPC_OK);
	accepted = sample_task("Việc đã nghiệm thu");
	OK("task.assign", "i:task", num(accepted), "s:decision_no", "5-QĐ/TU", "s:decision_date",
	   "2021-02-01", NULL);
	OK("task.start", "i:task", num(accepted), NULL);
	OK("task.report_done", "i:task", num(accepted), "s:summary", "Xong", NULL);
	OK("task.accept", "i:task", num(accepted), "s:rating", "good", NULL);
	sample_tasks.followup = I(OK("followup.schedule", "i:task", num(accepted), "s:due_date",
				     "2099-01-01", NULL), "id");
}

/* The sample's fields with the world's ids filled in. */
static void fill(const struct sample *s, const struct world *w, const char *out[20])
{
	for (int i = 0; i < 20; i++) {
		const char *v = s->f[i];

		out[i] = v;
		if (i % 2 == 0 || !v || v[0] != '$')
			continue;
		if (strcmp(v, "$task") == 0)
			out[i] = num(w->task);
		else if (strcmp(v, "$fresh") == 0)
			out[i] = num(sample_tasks.fresh);
		else if (strcmp(v, "$done") == 0)
			out[i] = num(sample_tasks.done);
		else if (strcmp(v, "$step") == 0)
			out[i] = num(sample_tasks.step);
		else if (strcmp(v, "$reminder") == 0)
			out[i] = num(sample_tasks.reminder);
		else if (strcmp(v, "$files") == 0)
			out[i] = num(sample_tasks.files);
		else if (strcmp(v, "$upload") == 0)
			out[i] = num(sample_tasks.upload);
		else if (strcmp(v, "$upload2") == 0)
			out[i] = num(sample_tasks.upload2);
		else if (strcmp(v, "$file") == 0) /* the one file.upload_finish made */
			out[i] = num(I(item(OK("file.list", "i:task",
							num(sample_tasks.files), NULL), 0),
				       "id"));
		else if (strcmp(v, "$spare") == 0)
			out[i] = num(sample_tasks.spare);
		else if (strcmp(v, "$busy") == 0)
			out[i] = num(sample_tasks.busy);
		else if (strcmp(v, "$upd1") == 0)
			out[i] = num(sample_tasks.upd1);
		else if (strcmp(v, "$upd2") == 0)
			out[i] = num(sample_tasks.upd2);
		else if (strcmp(v, "$explanation") == 0)
			out[i] = num(sample_tasks.explanation);
		else if (strcmp(v, "$action") == 0)
			out[i] = num(sample_tasks.action);
		else if (strcmp(v, "$followup") == 0)
			out[i] = num(sample_tasks.followup);
		else if (strcmp(v, "$tok1") == 0)
			out[i] = num(w->tok1);
		else if (strcmp(v, "$tok2") == 0)
			out[i] = num(w->tok2);
		else if (strcmp(v, "$pending") == 0)
			out[i] = num(pending_amendment(sample_tasks.fresh));
		else
			cr_assert_fail("sample %s: unknown placeholder %s", s->method, v);
	}
}

Test(audit, the_table_covers_every_write_method_of_the_catalogue)
{
	cr_assert_null(audit_check_table(),
		       "%s: a write must name a noun in methods.def that db_audit.c's nouns know, "
		       "and a read must not",
		       audit_check_table());
}

Test(audit, every_write_method_leaves_exactly_one_entry)
{
	struct world w;
	int walked = 0;

	make_world(&w);
	sample_tasks.fresh = sample_task("Việc mới đăng ký");
	sample_tasks.spare = sample_task("Việc sẽ hủy");
	sample_tasks.done = sample_task("Việc đã báo cáo xong");
	sample_tasks.step = I(OK("plan.add", "i:task", num(sample_tasks.fresh), "s:what",
				 "Khảo sát", NULL), "id");
	sample_tasks.reminder = I(OK("reminder.send", "i:task", num(sample_tasks.fresh),
				     "s:message", "Nhắc báo cáo", "s:answer_by", "2099-12-31", NULL),
				  "id");
	OK("task.assign", "i:task", num(sample_tasks.done), "s:decision_no", "3-QĐ/TU",
	   "s:decision_date", "2021-02-01", NULL);
	OK("task.start", "i:task", num(sample_tasks.done), NULL);
	OK("task.report_done", "i:task", num(sample_tasks.done), "s:summary", "Xong", NULL);
	make_supervision_samples();
	sample_tasks.files = sample_task("Việc có hồ sơ");
	OK("task.assign", "i:task", num(sample_tasks.files), "s:decision_no", "4-QĐ/TU",
	   "s:decision_date", "2021-02-01", NULL);
	sample_tasks.upload = I(OK("file.upload_begin", "i:task", num(sample_tasks.files), "s:name",
				   "abc.txt", "s:type", "text/plain", "i:size", "3", "s:sha256",
				   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
				   NULL), "id");
	sample_tasks.upload2 = I(OK("file.upload_begin", "i:task", num(sample_tasks.files),
				    "s:name", "abcd.txt", "s:type", "text/plain", "i:size", "4",
				    "s:sha256",
				    "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589",
				    NULL), "id");
	for (const struct method_info *m = methods_catalogue; m->name; m++) {
		const struct sample *s;
		const msgpack_object *r;
		const char *f[20];
		struct row row;
		int64_t before;

		if (!(m->flags & METHOD_WRITE))
			continue;
		s = sample_of(m->name);
		cr_assert_not_null(s, "no sample call for the write method %s: add one to samples[]",
				   m->name);
		cr_assert_not_null(m->noun, "%s: its row in methods.def names no noun", m->name);
		fill(s, &w, f);
		before = audit_rows();
		r = ok_as(&admin, m->name, f);

		cr_assert_eq(audit_rows(), before + 1 + more_entries(m->name),
			     "%s: %lld new entries, expected %d", m->name,
			     (long long)(audit_rows() - before), 1 + more_entries(m->name));
		walked++;
		if (more_entries(m->name))
			continue; /* the newest entry is the second object's; its own test has it */
		newest(&row);
		cr_assert_str_eq(row.method, m->name);
		cr_assert_str_eq(row.object_type, s->noun, "%s: object_type %s", m->name,
				 row.object_type);
		cr_assert_eq(row.object_id, strcmp(s->noun, "throttle") == 0 ? 0 : I(r, "id"),
			     "%s: object_id", m->name);
		cr_assert_eq(row.account_id, admin.account_id);
		cr_assert_str_eq(row.login, "admin");
		cr_assert_str_eq(row.token_name, "máy trạm");
		cr_assert_str_eq(row.address, "192.0.2.7");
		cr_assert(row.has_after, "%s: no after", m->name);
		cr_assert_eq(row.has_before, m->ref != NULL, "%s: before %s", m->name,
			     row.has_before ? "present for a create" : "missing for a change");
		cr_assert_eq(strlen(row.at), 20, "%s: at '%s' is not a UTC moment", m->name, row.at);
		cr_assert_eq(row.at[19], 'Z');
	}
	cr_assert_eq(walked, (int)(sizeof(samples) / sizeof(samples[0])),
		     "a sample names a method that is not a catalogue write");

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
