/*
 * test_reminder.c: focal points and reminders (đôn đốc) (server/reminder.c,
 * PROTOCOL.md 6c), through the dispatcher on a fresh temporary database per
 * test: naming a focal point; sending, answering and listing reminders;
 * each side's inbox; the overdue flag (answer_by before today, dates
 * computed from today); validation and scope; one audit entry per change.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db.h"
#include "dispatch.h"
#include "log.h"
#include "obj.h"
#include "pack.h"

/* ---- the fixture: one temporary database per test ---- */

static struct db *db;
static char dir[256], path[320];

#define MAX_REPLIES 1024
static struct {
	msgpack_sbuffer bytes;
	msgpack_unpacked u;
} replies[MAX_REPLIES];
static int nreplies;

static struct rpc_error last; /* the last error reply */

/* The callers; all but admin are made by make_world(). */
static struct identity admin, office1, office2, viewer1, sup_h1, sup_tinh;

static void identity_for(struct identity *who, int64_t account, const char *login, int role,
			 unsigned char mark)
{
	struct rpc_error err;
	struct text tname = {"máy trạm", strlen("máy trạm")};
	unsigned char hash[32] = {mark, 0x5a};
	int64_t token;

	cr_assert_eq(db_begin(db, true, &err), RPC_OK);
	cr_assert_eq(db_token_create(db, account, tname, hash, "2026-01-01T00:00:00Z", &token, &err),
		     RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(db, &err), RPC_OK);
	memset(who, 0, sizeof(*who));
	who->account_id = account;
	who->token_id = token;
	who->role = role;
	snprintf(who->login, sizeof(who->login), "%s", login);
	snprintf(who->token_name, sizeof(who->token_name), "máy trạm");
	snprintf(who->address, sizeof(who->address), "192.0.2.9");
}

static void setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char why[300];
	struct rpc_error err;
	struct text login = {"admin", 5}, name = {"Quản trị", strlen("Quản trị")};
	int64_t account;

	log_set_level(LOG_ERROR);
	snprintf(dir, sizeof(dir), "%s/dotpha-reminder-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	cr_assert_eq(db_open(&db, path, why, sizeof(why)), 0, "db_open: %s", why);
	nreplies = 0;
	cr_assert_eq(db_begin(db, true, &err), RPC_OK);
	cr_assert_eq(db_account_create(db, login, name, "admin", 0, "2026-01-01T00:00:00Z", &account,
				       &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(db, &err), RPC_OK);
	identity_for(&admin, account, "admin", ROLE_ADMIN, 1);
}

static void teardown(void)
{
	char f[400];

	for (int i = 0; i < nreplies; i++) {
		msgpack_unpacked_destroy(&replies[i].u);
		msgpack_sbuffer_destroy(&replies[i].bytes);
	}
	nreplies = 0;
	db_close(db);
	db = NULL;
	for (const char *const *sfx = (const char *const[]){"", "-wal", "-shm", ".admin-token", NULL};
	     *sfx; sfx++) {
		snprintf(f, sizeof(f), "%s%s", path, *sfx);
		unlink(f);
	}
	rmdir(dir);
}

TestSuite(reminder, .init = setup, .fini = teardown, .timeout = 120);

/* ---- requests and replies ---- */

static const msgpack_object *keep(msgpack_sbuffer *sb)
{
	size_t off = 0;
	int i;

	cr_assert_lt(nreplies, MAX_REPLIES);
	i = nreplies++;
	replies[i].bytes = *sb;
	msgpack_unpacked_init(&replies[i].u);
	cr_assert_eq(msgpack_unpack_next(&replies[i].u, sb->data, sb->size, &off),
		     MSGPACK_UNPACK_SUCCESS);
	cr_assert_eq(off, sb->size, "trailing bytes after the value");
	return &replies[i].u.data;
}

/* A decimal id as a field value (rotating buffers). */
static const char *num(int64_t v)
{
	static char bufs[32][24];
	static int k;
	char *b = bufs[k++ % 32];

	snprintf(b, sizeof(bufs[0]), "%lld", (long long)v);
	return b;
}

/* Packs a params map from pairs of a typed key ("s:key" string, "i:key"
 * integer in decimal) and a value, ended by NULL. */
static void pack_fields(msgpack_packer *pk, const char *const *f)
{
	uint32_t n = 0;

	while (f && f[2 * n])
		n++;
	msgpack_pack_map(pk, n);
	for (uint32_t i = 0; i < n; i++) {
		const char *key = f[2 * i], *val = f[2 * i + 1];

		cr_assert(strlen(key) > 2 && key[1] == ':' && val, "bad field spec %s", key);
		msgpack_pack_str(pk, strlen(key + 2));
		msgpack_pack_str_body(pk, key + 2, strlen(key + 2));
		if (key[0] == 's') {
			msgpack_pack_str(pk, strlen(val));
			msgpack_pack_str_body(pk, val, strlen(val));
		} else if (key[0] == 'i') {
			msgpack_pack_int64(pk, strtoll(val, NULL, 10));
		} else if (key[0] == 'b') {
			if (strcmp(val, "1") == 0)
				msgpack_pack_true(pk);
			else
				msgpack_pack_false(pk);
		} else {
			cr_assert_fail("bad field spec %s", key);
		}
	}
}

/* Sends one request as `who`; returns the result, or NULL with the error
 * in `last`. */
static const msgpack_object *request(struct identity *who, const char *method,
				     const char *const *f)
{
	static uint32_t msgid = 1;
	msgpack_sbuffer req, out;
	msgpack_packer pk;
	msgpack_unpacked u;
	const msgpack_object *reply, *err;
	size_t off = 0;
	unsigned delay;

	msgpack_sbuffer_init(&req);
	msgpack_packer_init(&pk, &req, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 0);
	msgpack_pack_uint32(&pk, msgid);
	msgpack_pack_str(&pk, strlen(method));
	msgpack_pack_str_body(&pk, method, strlen(method));
	msgpack_pack_array(&pk, 1);
	pack_fields(&pk, f);

	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, req.data, req.size, &off), MSGPACK_UNPACK_SUCCESS);
	msgpack_sbuffer_init(&out);
	cr_assert_eq(dispatch_message(db, who, &u.data, &out, &delay), DISPATCH_REPLIED);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&req);

	reply = keep(&out);
	cr_assert_eq(reply->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_eq(reply->via.array.size, 4);
	cr_assert_eq(reply->via.array.ptr[1].via.u64, msgid);
	msgid++;
	err = &reply->via.array.ptr[2];
	if (err->type == MSGPACK_OBJECT_NIL) {
		last.code = RPC_OK;
		last.message[0] = '\0';
		return &reply->via.array.ptr[3];
	}
	errors_unpack(err, &last);
	return NULL;
}

#define FIELDS(...) ((const char *const[]){__VA_ARGS__})
#define OK_AS(who, method, ...) ok_as((who), (method), FIELDS(__VA_ARGS__))
#define OK(method, ...) ok_as(&admin, (method), FIELDS(__VA_ARGS__))

static const msgpack_object *ok_as(struct identity *who, const char *method, const char *const *f)
{
	const msgpack_object *r = request(who, method, f);

	cr_assert_not_null(r, "%s as %s failed: %s (%d)", method, who->login, last.message,
			   last.code);
	return r;
}

/* ---- reading results ---- */

static const msgpack_object *field(const msgpack_object *o, const char *key)
{
	const msgpack_object *v = obj_get(o, key);

	cr_assert_not_null(v, "no field '%s'", key);
	return v;
}

static int64_t I(const msgpack_object *o, const char *key)
{
	int64_t x;

	cr_assert(obj_int(field(o, key), &x), "'%s' is not an integer", key);
	return x;
}

/* A copy of a string field (rotating buffers); "(nil)" for nil. */
static const char *S(const msgpack_object *o, const char *key)
{
	static char bufs[32][1024];
	static int k;
	const msgpack_object *v = field(o, key);
	char *b = bufs[k++ % 32];

	if (v->type == MSGPACK_OBJECT_NIL)
		return "(nil)";
	cr_assert_eq(v->type, MSGPACK_OBJECT_STR, "'%s' is not a string", key);
	cr_assert_lt(v->via.str.size, sizeof(bufs[0]));
	memcpy(b, v->via.str.ptr, v->via.str.size);
	b[v->via.str.size] = '\0';
	return b;
}

static bool is_nil(const msgpack_object *o, const char *key)
{
	return field(o, key)->type == MSGPACK_OBJECT_NIL;
}

/* ---- a small province ---- */

/* TINH (province) with districts H1 and H2; cadre C1 in H1 and C2 in H2,
 * both managed by TINH; terms T1 (2021-2025) and T2 (2026-2030); an office
 * and a viewer of H1, an office of H2, supervisors of H1 and of TINH. */
static struct {
	int64_t tinh, h1, h2, t1, t2;
} w;

static void make_world(void)
{
	int64_t a;

	w.tinh = I(OK("unit.create", "s:code", "TINH", "s:name", "Tỉnh", "s:level", "tỉnh", NULL),
		   "id");
	w.h1 = I(OK("unit.create", "s:code", "H1", "s:name", "Huyện Một", "s:level", "huyện",
		    "s:parent", "TINH", NULL), "id");
	w.h2 = I(OK("unit.create", "s:code", "H2", "s:name", "Huyện Hai", "s:level", "huyện",
		    "s:parent", "TINH", NULL), "id");
	OK("cadre.create", "s:code", "C1", "s:full_name", "Nguyễn Văn An", "s:title", "Bí thư",
	   "s:unit", "H1", "s:managing_unit", "TINH", "s:since", "2020-01-01", NULL);
	OK("cadre.create", "s:code", "C2", "s:full_name", "Trần Thị Bình", "s:title", "Bí thư",
	   "s:unit", "H2", "s:managing_unit", "TINH", "s:since", "2020-01-01", NULL);
	w.t1 = I(OK("term.create", "s:code", "T1", "s:kind", "term", "s:start", "2021-01-01",
		    "s:end", "2025-12-31", NULL), "id");
	w.t2 = I(OK("term.create", "s:code", "T2", "s:kind", "term", "s:start", "2026-01-01",
		    "s:end", "2030-12-31", NULL), "id");

	a = I(OK("account.create", "s:login", "office1", "s:display_name", "VP Huyện Một", "s:role",
		 "office", "s:scope", "H1", NULL), "id");
	identity_for(&office1, a, "office1", ROLE_OFFICE, 2);
	a = I(OK("account.create", "s:login", "office2", "s:display_name", "VP Huyện Hai", "s:role",
		 "office", "s:scope", "H2", NULL), "id");
	identity_for(&office2, a, "office2", ROLE_OFFICE, 3);
	a = I(OK("account.create", "s:login", "viewer1", "s:display_name", "Xem Huyện Một",
		 "s:role", "viewer", "s:scope", "H1", NULL), "id");
	identity_for(&viewer1, a, "viewer1", ROLE_VIEWER, 4);
	a = I(OK("account.create", "s:login", "suph1", "s:display_name", "Đầu mối Huyện Một",
		 "s:role", "supervisor", "s:scope", "H1", NULL), "id");
	identity_for(&sup_h1, a, "suph1", ROLE_SUPERVISOR, 5);
	a = I(OK("account.create", "s:login", "suptinh", "s:display_name", "Đầu mối Tỉnh",
		 "s:role", "supervisor", "s:scope", "TINH", NULL), "id");
	identity_for(&sup_tinh, a, "suptinh", ROLE_SUPERVISOR, 6);
}

/* A new registered task of C1 (unit H1) or C2 (H2) in T1, assigned by
 * `by` (a unit code; NULL: the default, the owner's managing unit TINH). */
static int64_t new_task_of(const char *owner, const char *by)
{
	const char *f[20] = {"s:title",   "Chuyển đổi số", "s:kind",     "breakthrough",
			     "s:field",   "socio_economic", "s:owner",   owner,
			     "s:term",    "T1",             "s:product", "Cổng dịch vụ công",
			     "s:due_date", "2025-06-30",    NULL};

	if (by) {
		f[14] = "s:assigned_by";
		f[15] = by;
		f[16] = NULL;
	}
	return I(ok_as(&admin, "task.create", f), "id");
}

static int64_t new_task(void)
{
	return new_task_of("C1", NULL);
}

static const msgpack_object *get_task(int64_t id)
{
	return OK("task.get", "i:task", num(id), NULL);
}

/* The number of audit entries, all or of one task (audit.list's total). */
static int64_t audit_total(void)
{
	return I(OK("audit.list", "i:limit", "1", NULL), "total");
}

static int64_t audit_of_task(int64_t id)
{
	return I(OK("audit.list", "i:task", num(id), "i:limit", "1", NULL), "total");
}

/* The newest audit entry of task id. */
static const msgpack_object *audit_newest(int64_t id)
{
	const msgpack_object *page = OK("audit.list", "i:task", num(id), "i:limit", "1000", NULL);
	const msgpack_object *arr = field(page, "items");

	cr_assert_eq(arr->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_gt(arr->via.array.size, 0);
	return &arr->via.array.ptr[arr->via.array.size - 1];
}

/* The error code of a call expected to fail (RPC_OK if it did not). */
#define FAILS_AS(who, method, ...) fails_as((who), (method), FIELDS(__VA_ARGS__))
#define FAILS(method, ...) fails_as(&admin, (method), FIELDS(__VA_ARGS__))

static int fails_as(struct identity *who, const char *method, const char *const *f)
{
	return request(who, method, f) ? RPC_OK : last.code;
}

/* ---- dates relative to today ---- */

static const char *day(long offset)
{
	static char bufs[8][DATE_LEN];
	static int k;
	char today[DATE_LEN], *b = bufs[k++ % 8];

	date_today(today);
	date_from_days(date_days(today) + offset, b);
	return b;
}

static const msgpack_object *item(const msgpack_object *list, uint32_t i)
{
	const msgpack_object *arr = field(list, "items");

	cr_assert_eq(arr->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_lt(i, arr->via.array.size);
	return &arr->via.array.ptr[i];
}

static uint32_t count_items(const msgpack_object *list)
{
	return field(list, "items")->via.array.size;
}

static bool flag(const msgpack_object *o, const char *key)
{
	const msgpack_object *v = field(o, key);

	cr_assert_eq(v->type, MSGPACK_OBJECT_BOOLEAN, "'%s' is not a boolean", key);
	return v->via.boolean;
}

static int64_t send_as(struct identity *who, int64_t task, const char *msg, const char *by)
{
	return I(OK_AS(who, "reminder.send", "i:task", num(task), "s:message", msg, "s:answer_by",
		       by, NULL), "id");
}

/* A reminder whose answer_by is already past, stored directly (the API
 * refuses a date in the past), as if sent days ago by account `from`. */
static int64_t send_past(int64_t task, int64_t from, const char *msg, const char *by)
{
	struct rpc_error err;
	struct text m = {msg, strlen(msg)};
	int64_t id;

	cr_assert_eq(db_begin(db, true, &err), RPC_OK);
	cr_assert_eq(db_reminder_send(db, task, from, m, by, "2026-01-01T00:00:00Z", &id, &err),
		     RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(db, &err), RPC_OK);
	return id;
}

/* A task of H1 assigned by TINH with suph1 as its focal point. */
static int64_t focal_task(void)
{
	int64_t t = new_task();

	OK("task.set_focal_point", "i:task", num(t), "s:account", "suph1", NULL);
	return t;
}

/* ---- the focal point ---- */

Test(reminder, the_focal_point_is_a_supervisor_whose_scope_holds_the_task)
{
	const msgpack_object *t, *fp;
	int64_t task, theirs;

	make_world();
	task = new_task_of("C1", "H1");
	theirs = new_task_of("C2", NULL);
	cr_assert(is_nil(get_task(task), "focal_point"));
	/* The managing body (suph1's scope holds H1, which assigned it). */
	t = OK_AS(&sup_h1, "task.set_focal_point", "i:task", num(task), "s:account", "suph1", NULL);
	fp = field(t, "focal_point");
	cr_assert_eq(I(fp, "id"), sup_h1.account_id);
	cr_assert_str_eq(S(fp, "login"), "suph1");
	cr_assert_str_eq(S(fp, "display_name"), "Đầu mối Huyện Một");
	cr_assert_str_eq(S(field(get_task(task), "focal_point"), "login"), "suph1");
	/* Not an office, not a supervisor whose scope misses the task's unit. */
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(task), "s:account", "office1",
			   NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(theirs), "s:account", "suph1",
			   NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("task.set_focal_point", "i:task", num(task), "s:account", "nobody",
			   NULL), RPC_NOT_FOUND);
	/* Only the managing body: TINH assigned this one, so not suph1. */
	cr_assert_eq(FAILS_AS(&sup_h1, "task.set_focal_point", "i:task", num(new_task()),
			      "s:account", "suph1", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_h1, "task.set_focal_point", "i:task", num(theirs),
			      "s:account", "suph1", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "task.set_focal_point", "i:task", num(task),
			      "s:account", "suph1", NULL), RPC_FORBIDDEN);
	OK_AS(&sup_tinh, "task.set_focal_point", "i:task", num(theirs), "s:account", "suptinh",
	      NULL);
}

/* ---- sending, answering, listing ---- */

Test(reminder, the_focal_point_sends_and_the_office_answers)
{
	const msgpack_object *r, *l;
	int64_t task, id;

	make_world();
	task = focal_task();
	r = OK_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message",
		  "Đề nghị báo cáo tiến độ", "s:answer_by", day(3), NULL);
	id = I(r, "id");
	cr_assert_eq(I(r, "task_id"), task);
	cr_assert_str_eq(S(r, "task_title"), "Chuyển đổi số");
	cr_assert_eq(I(r, "from_account_id"), sup_h1.account_id);
	cr_assert_str_eq(S(r, "from"), "Đầu mối Huyện Một");
	cr_assert_str_eq(S(r, "message"), "Đề nghị báo cáo tiến độ");
	cr_assert_str_eq(S(r, "answer_by"), day(3));
	cr_assert(is_nil(r, "answer"));
	cr_assert(is_nil(r, "answered_at"));
	cr_assert(!flag(r, "overdue"));
	/* Today is not in the past. */
	send_as(&sup_h1, task, "Hạn hôm nay", day(0));

	r = OK_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer",
		  "Đã hoàn thành khảo sát", NULL);
	cr_assert_str_eq(S(r, "answer"), "Đã hoàn thành khảo sát");
	cr_assert(!is_nil(r, "answered_at"));
	cr_assert_eq(I(r, "answered_by_account_id"), office1.account_id);
	cr_assert_str_eq(S(r, "answered_by"), "VP Huyện Một");
	cr_assert_eq(FAILS_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer",
			      "Lần nữa", NULL), RPC_CONFLICT);
	cr_assert_str_eq(last.message, "reminder: reminder 1 is already answered");

	l = OK_AS(&viewer1, "reminder.list", "i:task", num(task), NULL);
	cr_assert_eq(I(l, "total"), 2);
	cr_assert_eq(I(item(l, 0), "id"), id);
	l = OK_AS(&sup_h1, "reminder.list", "i:task", num(task), "b:open_only", "1", NULL);
	cr_assert_eq(I(l, "total"), 1);
	cr_assert(is_nil(item(l, 0), "answer"));
	/* The managing body and an admin may remind too. */
	send_as(&sup_tinh, task, "Tỉnh nhắc", day(1));
	send_as(&admin, task, "Quản trị nhắc", day(1));
}

Test(reminder, overdue_reminders_are_flagged_to_both_sides)
{
	const msgpack_object *in;
	int64_t task, late, soon, later, answered;

	make_world();
	task = focal_task();
	later = send_as(&sup_h1, task, "Sau", day(10));
	soon = send_as(&sup_h1, task, "Sớm", day(1));
	late = send_past(task, sup_h1.account_id, "Quá hạn", day(-2));
	answered = send_past(task, sup_h1.account_id, "Đã trả lời", day(-5));
	OK_AS(&office1, "reminder.answer", "i:reminder", num(answered), "s:answer", "Xong", NULL);
	/* Someone else's reminder: not in suph1's sent inbox. */
	send_as(&admin, task, "Của quản trị", day(2));

	/* The office: every open reminder of its tasks, overdue first. */
	in = OK_AS(&office1, "reminder.inbox", NULL);
	cr_assert_eq(I(in, "total"), 4);
	cr_assert_eq(I(item(in, 0), "id"), late);
	cr_assert(flag(item(in, 0), "overdue"));
	cr_assert_eq(I(item(in, 1), "id"), soon);
	cr_assert(!flag(item(in, 1), "overdue"));
	cr_assert_eq(I(item(in, 3), "id"), later);
	/* The viewer sees the same. */
	cr_assert_eq(I(OK_AS(&viewer1, "reminder.inbox", NULL), "total"), 4);
	/* The sender: its own unanswered ones, the overdue one flagged. */
	in = OK_AS(&sup_h1, "reminder.inbox", NULL);
	cr_assert_eq(I(in, "total"), 3);
	cr_assert_eq(I(item(in, 0), "id"), late);
	cr_assert(flag(item(in, 0), "overdue"));
	cr_assert_eq(I(item(in, 2), "id"), later);
	/* Another district's office has nothing. */
	cr_assert_eq(I(OK_AS(&office2, "reminder.inbox", NULL), "total"), 0);
	cr_assert_eq(count_items(OK_AS(&sup_tinh, "reminder.inbox", NULL)), 0);

	/* The list's filters. */
	in = OK("reminder.list", "b:overdue_only", "1", NULL);
	cr_assert_eq(I(in, "total"), 1);
	cr_assert_eq(I(item(in, 0), "id"), late);
	cr_assert_eq(I(OK("reminder.list", "b:open_only", "1", NULL), "total"), 4);
	cr_assert_eq(I(OK("reminder.list", NULL), "total"), 5);
	/* An answered reminder past its date is not overdue. */
	in = OK("reminder.list", "i:task", num(task), NULL);
	cr_assert_eq(I(item(in, 3), "id"), answered);
	cr_assert(!flag(item(in, 3), "overdue"));
	/* Answering clears the flag from both sides. */
	OK_AS(&office1, "reminder.answer", "i:reminder", num(late), "s:answer", "Đã làm", NULL);
	cr_assert(!flag(item(OK_AS(&sup_h1, "reminder.inbox", NULL), 0), "overdue"));
	cr_assert_eq(I(OK("reminder.list", "b:overdue_only", "1", NULL), "total"), 0);
}

/* ---- validation and scope ---- */

Test(reminder, refuses_bad_requests)
{
	int64_t task, theirs, id;

	make_world();
	task = focal_task();
	theirs = new_task_of("C2", NULL);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "",
			      "s:answer_by", day(1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "   ",
			      "s:answer_by", day(1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "x",
			      "s:answer_by", day(-1), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_not_null(strstr(last.message, "in the past"), "%s", last.message);
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(task), "s:message", "x",
			      NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("reminder.send", "i:task", "9999", "s:message", "x", "s:answer_by",
			   day(1), NULL), RPC_NOT_FOUND);
	/* Out of scope reads like unknown. */
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(theirs), "s:message", "x",
			      "s:answer_by", day(1), NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(last.message, "task: no task with id 2");
	/* An office, a viewer may not send. */
	cr_assert_eq(FAILS_AS(&office1, "reminder.send", "i:task", num(task), "s:message", "x",
			      "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&viewer1, "reminder.send", "i:task", num(task), "s:message", "x",
			      "s:answer_by", day(1), NULL), RPC_FORBIDDEN);
	/* A supervisor with the task in scope but neither focal point nor
	 * managing body may not. */
	cr_assert_eq(FAILS_AS(&sup_h1, "reminder.send", "i:task", num(new_task()), "s:message",
			      "x", "s:answer_by", day(1), NULL), RPC_FORBIDDEN);

	id = send_as(&admin, theirs, "Huyện Hai", day(1));
	cr_assert_eq(FAILS_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer", "x",
			      NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(last.message, "reminder: no reminder with id 1");
	cr_assert_eq(FAILS_AS(&office1, "reminder.answer", "i:reminder", "77", "s:answer", "x",
			      NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office2, "reminder.answer", "i:reminder", num(id), "s:answer", "",
			      NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&sup_tinh, "reminder.answer", "i:reminder", num(id), "s:answer",
			      "x", NULL), RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&office1, "reminder.list", "i:task", num(theirs), NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(I(OK_AS(&office1, "reminder.list", NULL), "total"), 0);
	OK_AS(&office2, "reminder.answer", "i:reminder", num(id), "s:answer", "Đã làm", NULL);
}

/* ---- the audit trail ---- */

Test(reminder, each_change_is_one_audit_entry)
{
	int64_t task, id, n;
	const msgpack_object *e;

	make_world();
	task = new_task();
	n = audit_of_task(task);
	OK("task.set_focal_point", "i:task", num(task), "s:account", "suph1", NULL);
	cr_assert_eq(audit_of_task(task), n + 1);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "task.set_focal_point");
	cr_assert(is_nil(field(e, "before"), "focal_point"));
	cr_assert_str_eq(S(field(field(e, "after"), "focal_point"), "login"), "suph1");

	id = send_as(&sup_h1, task, "Nhắc", day(2));
	cr_assert_eq(audit_of_task(task), n + 2);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "reminder.send");
	cr_assert_str_eq(S(e, "object_type"), "reminder");
	cr_assert_eq(I(e, "object_id"), id);
	cr_assert(is_nil(e, "before"));
	cr_assert_str_eq(S(field(e, "after"), "message"), "Nhắc");

	OK_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer", "Đã làm", NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "reminder.answer");
	cr_assert(is_nil(field(e, "before"), "answer"));
	cr_assert_str_eq(S(field(e, "after"), "answer"), "Đã làm");

	FAILS_AS(&office1, "reminder.answer", "i:reminder", num(id), "s:answer", "x", NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	cr_assert_eq(I(OK("audit.verify", NULL), "entries"), audit_total());
}
