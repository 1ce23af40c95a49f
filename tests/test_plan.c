/*
 * test_plan.c: plans, the steps of a task (server/plan.c, PROTOCOL.md 6b),
 * through the dispatcher on a fresh temporary database per test: adding,
 * changing and removing steps; plan.list's order and its two percents;
 * validation (what, one responsible at most, unknown and out-of-scope
 * references, finished tasks); task.get's plan summary; one audit entry
 * per change.
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
	snprintf(dir, sizeof(dir), "%s/dotpha-plan-XXXXXX", tmp && *tmp ? tmp : "/tmp");
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

TestSuite(plan, .init = setup, .fini = teardown, .timeout = 120);

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

/* ---- the actions, with valid params ---- */
/* The note each action leaves in state_note ("(nil)" for none). */
static const char *note_of(const char *action)
{
	if (!strcmp(action, "review"))
		return "Đủ hồ sơ";
	if (!strcmp(action, "return"))
		return "Sản phẩm chưa cụ thể";
	if (!strcmp(action, "report_done"))
		return "Cổng đã vận hành";
	if (!strcmp(action, "accept"))
		return "Hoàn thành tốt";
	if (!strcmp(action, "send_back"))
		return "Thiếu minh chứng";
	if (!strcmp(action, "cancel"))
		return "Trùng nhiệm vụ khác";
	return "(nil)";
}

/* Calls task.<action> on task id as who with valid params; the result or
 * NULL (error in `last`). */
static const msgpack_object *act(struct identity *who, const char *action, int64_t id)
{
	char method[64];
	const char *f[12] = {"i:task", num(id), NULL};

	snprintf(method, sizeof(method), "task.%s", action);
	if (!strcmp(action, "review")) {
		f[2] = "s:note", f[3] = note_of(action), f[4] = NULL;
	} else if (!strcmp(action, "return") || !strcmp(action, "send_back") ||
		   !strcmp(action, "cancel")) {
		f[2] = "s:reason", f[3] = note_of(action), f[4] = NULL;
	} else if (!strcmp(action, "assign")) {
		f[2] = "s:decision_no", f[3] = "12-QĐ/TU", f[4] = "s:decision_date",
		f[5] = "2021-03-15", f[6] = NULL;
	} else if (!strcmp(action, "report_done")) {
		f[2] = "s:summary", f[3] = note_of(action), f[4] = NULL;
	} else if (!strcmp(action, "accept")) {
		f[2] = "s:rating", f[3] = "good", f[4] = "s:comment", f[5] = note_of(action),
		f[6] = NULL;
	} else if (!strcmp(action, "carry_over")) {
		f[2] = "s:term", f[3] = "T2", f[4] = NULL;
	}
	return request(who, method, f);
}

static const msgpack_object *act_ok(struct identity *who, const char *action, int64_t id)
{
	const msgpack_object *r = act(who, action, id);

	cr_assert_not_null(r, "task.%s on task %lld as %s failed: %s (%d)", action, (long long)id,
			   who->login, last.message, last.code);
	return r;
}

/* Walks task id (registered) to `state` as admin. */
static void drive(int64_t id, const char *state)
{
	static const struct {
		const char *state;
		const char *path[5];
	} paths[] = {
		{"registered", {NULL}},
		{"reviewed", {"review", NULL}},
		{"returned", {"return", NULL}},
		{"assigned", {"assign", NULL}},
		{"in_progress", {"assign", "start", NULL}},
		{"reported_done", {"assign", "start", "report_done", NULL}},
		{"accepted", {"assign", "start", "report_done", "accept", NULL}},
		{"cancelled", {"cancel", NULL}},
		{"carried_over", {"assign", "carry_over", NULL}},
	};

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++) {
		if (strcmp(paths[i].state, state) != 0)
			continue;
		for (int k = 0; paths[i].path[k]; k++)
			act_ok(&admin, paths[i].path[k], id);
		return;
	}
	cr_assert_fail("no path to state %s", state);
}

static int64_t task_in(const char *state)
{
	int64_t id = new_task();

	drive(id, state);
	return id;
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

static int64_t add_step(struct identity *who, int64_t task, const char *what, const char *status)
{
	return I(OK_AS(who, "plan.add", "i:task", num(task), "s:what", what, "s:status", status,
		       NULL), "id");
}

static const msgpack_object *plan_of(int64_t task)
{
	return OK("plan.list", "i:task", num(task), NULL);
}

static const msgpack_object *item(const msgpack_object *plan, uint32_t i)
{
	const msgpack_object *arr = field(plan, "items");

	cr_assert_eq(arr->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_lt(i, arr->via.array.size);
	return &arr->via.array.ptr[i];
}

static uint32_t count_items(const msgpack_object *plan)
{
	return field(plan, "items")->via.array.size;
}

/* ---- adding, changing, removing ---- */

Test(plan, steps_are_added_in_order_with_their_responsible)
{
	int64_t task, a, b, c;
	const msgpack_object *r, *p;

	make_world();
	task = task_in("assigned");
	r = OK_AS(&office1, "plan.add", "i:task", num(task), "s:what", "Khảo sát hiện trạng",
		  "s:responsible_unit", "H1", "s:due_date", "2025-02-28", NULL);
	a = I(r, "id");
	cr_assert_eq(I(r, "task_id"), task);
	cr_assert_eq(I(r, "position"), 1);
	cr_assert_str_eq(S(r, "status"), "todo");
	cr_assert_str_eq(S(r, "responsible_unit_code"), "H1");
	cr_assert_str_eq(S(r, "responsible_unit_name"), "Huyện Một");
	cr_assert(is_nil(r, "responsible_cadre_id"));
	cr_assert(is_nil(r, "responsible_text"));
	cr_assert_str_eq(S(r, "due_date"), "2025-02-28");
	cr_assert(is_nil(r, "removed_at"));
	r = OK("plan.add", "i:task", num(task), "s:what", "Lập dự án", "s:responsible_cadre", "C1",
	       "s:status", "doing", NULL);
	b = I(r, "id");
	cr_assert_eq(I(r, "position"), 2);
	cr_assert_str_eq(S(r, "responsible_cadre_code"), "C1");
	cr_assert_str_eq(S(r, "responsible_cadre_name"), "Nguyễn Văn An");
	r = OK("plan.add", "i:task", num(task), "s:what", "Thẩm định", "s:responsible_text",
	       "Sở Thông tin và Truyền thông", NULL);
	c = I(r, "id");
	cr_assert_str_eq(S(r, "responsible_text"), "Sở Thông tin và Truyền thông");
	cr_assert(is_nil(r, "responsible_unit_id"));
	cr_assert(is_nil(r, "due_date"));

	p = plan_of(task);
	cr_assert_eq(I(p, "task"), task);
	cr_assert_eq(count_items(p), 3);
	cr_assert_eq(I(item(p, 0), "id"), a);
	cr_assert_eq(I(item(p, 1), "id"), b);
	cr_assert_eq(I(item(p, 2), "id"), c);
	cr_assert_eq(I(p, "total"), 3);
	cr_assert_eq(I(p, "done"), 0);
	cr_assert_eq(I(p, "percent_from_steps"), 0);
	cr_assert(is_nil(p, "percent_from_updates"));
	cr_assert(!field(p, "disagree")->via.boolean);
}

Test(plan, update_changes_the_given_parts_and_replaces_the_responsible)
{
	int64_t task, s;
	const msgpack_object *r;

	make_world();
	task = task_in("in_progress");
	s = I(OK("plan.add", "i:task", num(task), "s:what", "Khảo sát", "s:responsible_unit", "H1",
		 "s:due_date", "2025-03-01", NULL), "id");
	r = OK_AS(&office1, "plan.update", "i:step", num(s), "s:status", "done", NULL);
	cr_assert_str_eq(S(r, "status"), "done");
	cr_assert_str_eq(S(r, "what"), "Khảo sát");
	cr_assert_str_eq(S(r, "responsible_unit_code"), "H1");
	cr_assert_str_eq(S(r, "due_date"), "2025-03-01");
	r = OK("plan.update", "i:step", num(s), "s:responsible_text", "Viettel", "s:what",
	       "Khảo sát lại", NULL);
	cr_assert_str_eq(S(r, "what"), "Khảo sát lại");
	cr_assert_str_eq(S(r, "responsible_text"), "Viettel");
	cr_assert(is_nil(r, "responsible_unit_id"));
	r = OK("plan.update", "i:step", num(s), "s:responsible_text", "", NULL);
	cr_assert(is_nil(r, "responsible_text"));
	cr_assert_eq(FAILS("plan.update", "i:step", num(s), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.update", "i:step", "9999", "s:status", "done", NULL),
		     RPC_NOT_FOUND);
	cr_assert_str_eq(last.message, "step: no step with id 9999");
}

Test(plan, remove_takes_the_step_out_of_the_plan)
{
	int64_t task, a, b;
	const msgpack_object *r, *p;

	make_world();
	task = task_in("assigned");
	a = add_step(&admin, task, "Một", "done");
	b = add_step(&admin, task, "Hai", "todo");
	r = OK_AS(&office1, "plan.remove", "i:step", num(a), NULL);
	cr_assert_eq(I(r, "id"), a);
	cr_assert(!is_nil(r, "removed_at"));
	p = plan_of(task);
	cr_assert_eq(count_items(p), 1);
	cr_assert_eq(I(item(p, 0), "id"), b);
	cr_assert_eq(I(p, "total"), 1);
	cr_assert_eq(I(p, "done"), 0);
	cr_assert_eq(FAILS("plan.remove", "i:step", num(a), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.update", "i:step", num(a), "s:what", "x", NULL), RPC_NOT_FOUND);
	/* A new step goes after the last one, removed or not. */
	cr_assert_eq(I(OK("plan.add", "i:task", num(task), "s:what", "Ba", NULL), "position"), 3);
}

/* ---- validation ---- */

Test(plan, refuses_bad_fields)
{
	int64_t task;

	make_world();
	task = task_in("assigned");
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "   ", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_unit",
			   "H1", "s:responsible_text", "Sở", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(last.message, "responsible_unit, responsible_cadre, responsible_text: "
				       "give one of them at most");
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_unit",
			   "H1", "s:responsible_cadre", "C1", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:status", "finished",
			   NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:due_date",
			   "2025-02-30", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("plan.add", "i:task", "9999", "s:what", "x", NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_unit",
			   "NOPE", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", "s:responsible_cadre",
			   "NOPE", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS("plan.list", "i:task", "9999", NULL), RPC_NOT_FOUND);
	cr_assert_eq(count_items(plan_of(task)), 0);
}

Test(plan, out_of_scope_is_not_found_and_viewers_may_only_read)
{
	int64_t mine, theirs, s;

	make_world();
	mine = task_in("assigned");
	theirs = new_task_of("C2", NULL);
	s = add_step(&admin, theirs, "Của huyện Hai", "todo");
	cr_assert_eq(FAILS_AS(&office1, "plan.add", "i:task", num(theirs), "s:what", "x", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "plan.update", "i:step", num(s), "s:status", "done", NULL),
		     RPC_NOT_FOUND);
	{
		char want[64];

		snprintf(want, sizeof(want), "step: no step with id %lld", (long long)s);
		cr_assert_str_eq(last.message, want);
	}
	cr_assert_eq(FAILS_AS(&office1, "plan.remove", "i:step", num(s), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "plan.list", "i:task", num(theirs), NULL), RPC_NOT_FOUND);
	/* The responsible must be one the office sees. */
	cr_assert_eq(FAILS_AS(&office1, "plan.add", "i:task", num(mine), "s:what", "x",
			      "s:responsible_unit", "H2", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office1, "plan.add", "i:task", num(mine), "s:what", "x",
			      "s:responsible_cadre", "C2", NULL),
		     RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office2, "plan.add", "i:task", num(theirs), "s:what", "x",
			      "s:responsible_cadre", "C2", NULL),
		     RPC_OK);
	/* Readers read; they do not write. */
	OK_AS(&viewer1, "plan.list", "i:task", num(mine), NULL);
	OK_AS(&sup_h1, "plan.list", "i:task", num(mine), NULL);
	cr_assert_eq(FAILS_AS(&viewer1, "plan.add", "i:task", num(mine), "s:what", "x", NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_tinh, "plan.add", "i:task", num(mine), "s:what", "x", NULL),
		     RPC_FORBIDDEN);
}

Test(plan, the_plan_of_a_finished_task_does_not_change)
{
	const char *finals[] = {"accepted", "cancelled", "carried_over"};

	make_world();
	for (int i = 0; i < 3; i++) {
		int64_t task = new_task(), s = add_step(&admin, task, "Bước", "todo");

		drive(task, finals[i]);
		cr_assert_eq(FAILS("plan.add", "i:task", num(task), "s:what", "x", NULL),
			     RPC_CONFLICT, "%s", finals[i]);
		cr_assert(strstr(last.message, finals[i]), "%s", last.message);
		cr_assert_eq(FAILS("plan.update", "i:step", num(s), "s:status", "done", NULL),
			     RPC_CONFLICT);
		cr_assert_eq(FAILS("plan.remove", "i:step", num(s), NULL), RPC_CONFLICT);
		cr_assert_eq(count_items(plan_of(task)), 1);
	}
	/* A registered task may be planned before it is assigned. */
	add_step(&office1, new_task(), "Chuẩn bị", "todo");
}

/* ---- the two percents ---- */

Test(plan, percent_from_steps_counts_done_among_steps_not_dropped)
{
	int64_t task;
	const msgpack_object *p;

	make_world();
	task = task_in("assigned");
	p = plan_of(task);
	cr_assert(is_nil(p, "percent_from_steps"));
	add_step(&admin, task, "Một", "done");
	add_step(&admin, task, "Hai", "done");
	add_step(&admin, task, "Ba", "done");
	add_step(&admin, task, "Bốn", "doing");
	add_step(&admin, task, "Năm", "todo");
	add_step(&admin, task, "Sáu", "dropped");
	OK("update.create", "i:task", num(task), "i:percent", "40", "s:done", "Đã làm", NULL);
	p = plan_of(task);
	cr_assert_eq(I(p, "total"), 6);
	cr_assert_eq(I(p, "done"), 3);
	cr_assert_eq(I(p, "percent_from_steps"), 60);
	cr_assert_eq(I(p, "percent_from_updates"), 40);
	cr_assert(field(p, "disagree")->via.boolean);

	OK("update.create", "i:task", num(task), "i:percent", "50", "s:done", "Thêm", NULL);
	p = plan_of(task);
	cr_assert_eq(I(p, "percent_from_updates"), 50);
	cr_assert(!field(p, "disagree")->via.boolean, "10 points apart is not a disagreement");

	p = field(get_task(task), "plan");
	cr_assert_eq(I(p, "steps"), 6);
	cr_assert_eq(I(p, "done"), 3);
	cr_assert_eq(I(p, "percent_from_steps"), 60);
}

Test(plan, all_dropped_gives_no_percent)
{
	int64_t task;
	const msgpack_object *p;

	make_world();
	task = task_in("assigned");
	add_step(&admin, task, "Một", "dropped");
	OK("update.create", "i:task", num(task), "i:percent", "40", "s:done", "Đã làm", NULL);
	p = plan_of(task);
	cr_assert(is_nil(p, "percent_from_steps"));
	cr_assert(!field(p, "disagree")->via.boolean);
	p = field(get_task(new_task()), "plan");
	cr_assert_eq(I(p, "steps"), 0);
	cr_assert(is_nil(p, "percent_from_steps"));
}

/* ---- the audit trail ---- */

Test(plan, every_change_is_one_audit_entry_with_before_and_after)
{
	int64_t task, s, n;
	const msgpack_object *e;

	make_world();
	task = task_in("assigned");
	n = audit_of_task(task);
	s = add_step(&office1, task, "Khảo sát", "todo");
	cr_assert_eq(audit_of_task(task), n + 1);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "plan.add");
	cr_assert_str_eq(S(e, "object_type"), "step");
	cr_assert_eq(I(e, "object_id"), s);
	cr_assert(is_nil(e, "before"));
	cr_assert_str_eq(S(field(e, "after"), "what"), "Khảo sát");

	OK_AS(&office1, "plan.update", "i:step", num(s), "s:status", "done", NULL);
	cr_assert_eq(audit_of_task(task), n + 2);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "plan.update");
	cr_assert_str_eq(S(field(e, "before"), "status"), "todo");
	cr_assert_str_eq(S(field(e, "after"), "status"), "done");

	OK_AS(&office1, "plan.remove", "i:step", num(s), NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "plan.remove");
	cr_assert(is_nil(field(e, "before"), "removed_at"));
	cr_assert(!is_nil(field(e, "after"), "removed_at"));

	/* A refused change leaves nothing. */
	FAILS("plan.update", "i:step", num(s), "s:status", "todo", NULL);
	cr_assert_eq(audit_of_task(task), n + 3);
	cr_assert_eq(I(OK("audit.verify", NULL), "entries"), audit_total());
}
