/*
 * world.c: a world for dispatcher tests (see world.h): a fresh temporary
 * database per test with the province TINH, districts H1/H2, cadres, terms
 * and an account of every role; helpers to call methods as any of them and
 * read replies. One copy, shared by test_workflow.c, test_plan.c and
 * test_reminder.c.
 */
#include "world.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"
#include "db_account.h"
#include "log.h"
#include "message.h"
#include "obj.h"
#include "pack.h"

/* ---- the fixture: one temporary database per test ---- */

struct db *world_db;
static char dir[256], path[320];

#define MAX_REPLIES 1024
static struct {
	msgpack_sbuffer bytes;
	msgpack_unpacked u;
} replies[MAX_REPLIES];
static int nreplies;

struct rpc_error world_last;

struct identity admin, office1, office2, viewer1, sup_h1, sup_tinh;

struct world_ids world_ids;

void world_identity_for(struct identity *who, int64_t account, const char *login, int role,
			 unsigned char mark)
{
	struct rpc_error err;
	struct text tname = {"máy trạm", strlen("máy trạm")};
	unsigned char hash[32] = {mark, 0x5a};
	int64_t token;

	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK);
	cr_assert_eq(db_token_create(world_db, account, tname, hash, "2026-01-01T00:00:00Z", &token, &err),
		     RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(world_db, &err), RPC_OK);
	memset(who, 0, sizeof(*who));
	who->account_id = account;
	who->token_id = token;
	who->role = role;
	snprintf(who->login, sizeof(who->login), "%s", login);
	snprintf(who->token_name, sizeof(who->token_name), "máy trạm");
	snprintf(who->address, sizeof(who->address), "192.0.2.7");
}

void world_setup(void)
{
	const char *tmp = getenv("TMPDIR");
	char why[300];
	struct rpc_error err;
	struct text login = {"admin", 5}, name = {"Quản trị", strlen("Quản trị")};
	int64_t account;

	log_set_level(LOG_ERROR);
	snprintf(dir, sizeof(dir), "%s/dotpha-world-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.db", dir);
	cr_assert_eq(db_open(&world_db, path, why, sizeof(why)), 0, "db_open: %s", why);
	nreplies = 0;
	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK);
	cr_assert_eq(db_account_create(world_db, login, name, "admin", 0, "2026-01-01T00:00:00Z", &account,
				       &err), RPC_OK, "%s", err.message);
	cr_assert_eq(db_commit(world_db, &err), RPC_OK);
	world_identity_for(&admin, account, "admin", ROLE_ADMIN, 1);
}

void world_teardown(void)
{
	for (int i = 0; i < nreplies; i++) {
		msgpack_unpacked_destroy(&replies[i].u);
		msgpack_sbuffer_destroy(&replies[i].bytes);
	}
	nreplies = 0;
	db_close(world_db);
	world_db = NULL;
	world_remove_db(path);
	rmdir(dir);
}

void world_remove_db(const char *db_path)
{
	char f[400];

	for (const char *const *sfx = (const char *const[]){"", "-wal", "-shm", ".admin-token", NULL};
	     *sfx; sfx++) {
		snprintf(f, sizeof(f), "%s%s", db_path, *sfx);
		unlink(f);
	}
}

/* ---- requests and replies ---- */

const msgpack_object *world_keep(msgpack_sbuffer *sb)
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
const char *num(int64_t v)
{
	static char bufs[32][24];
	static int k;
	char *b = bufs[k++ % 32];

	snprintf(b, sizeof(bufs[0]), "%lld", (long long)v);
	return b;
}

/* Packs "what@date;what@date" as an array of {"what", "due_date"} maps
 * (an inspection's actions); "" is the empty array. */
static void pack_actions(msgpack_packer *pk, const char *val)
{
	char buf[1024], *item, *save = NULL;
	uint32_t n = 0;

	cr_assert_lt(strlen(val), sizeof(buf));
	for (const char *s = val; *s; s++)
		n += *s == '@';
	msgpack_pack_array(pk, n);
	snprintf(buf, sizeof(buf), "%s", val);
	for (item = strtok_r(buf, ";", &save); item; item = strtok_r(NULL, ";", &save)) {
		char *at = strchr(item, '@');

		cr_assert_not_null(at, "bad action spec %s", item);
		*at = '\0';
		msgpack_pack_map(pk, 2);
		msgpack_pack_str(pk, 4);
		msgpack_pack_str_body(pk, "what", 4);
		msgpack_pack_str(pk, strlen(item));
		msgpack_pack_str_body(pk, item, strlen(item));
		msgpack_pack_str(pk, 8);
		msgpack_pack_str_body(pk, "due_date", 8);
		msgpack_pack_str(pk, strlen(at + 1));
		msgpack_pack_str_body(pk, at + 1, strlen(at + 1));
	}
}

/* Packs "a,b,c" as an array of strings, "" as an empty one. */
static void pack_list(msgpack_packer *pk, const char *val)
{
	uint32_t n = val[0] ? 1 : 0;

	for (const char *s = val; *s; s++)
		n += *s == ',';
	msgpack_pack_array(pk, n);
	for (const char *s = val; n--; s += strcspn(s, ",") + 1)
		msgpack_pack_str_with_body(pk, s, strcspn(s, ","));
}

/* Packs "a,b;c,d" as import.run's rows, [{"line": 2, "values": ["a",
 * "b"]}, {"line": 3, ...}] (the header is line 1); "" is no row. */
static void pack_rows(msgpack_packer *pk, const char *val)
{
	uint32_t n = val[0] ? 1 : 0, line = 2;

	for (const char *s = val; *s; s++)
		n += *s == ';';
	msgpack_pack_array(pk, n);
	for (const char *s = val; n--; s += strcspn(s, ";") + 1, line++) {
		char row[1024];

		snprintf(row, sizeof(row), "%.*s", (int)strcspn(s, ";"), s);
		msgpack_pack_map(pk, 2);
		pack_kv_int(pk, "line", line);
		pack_str(pk, "values");
		pack_list(pk, row);
	}
}

void world_pack_fields(msgpack_packer *pk, const char *const *f)
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
		} else if (key[0] == 'a') {
			pack_actions(pk, val);
		} else if (key[0] == 'l') {
			pack_list(pk, val);
		} else if (key[0] == 'r') {
			pack_rows(pk, val);
		} else if (key[0] == 'b') {
			if (strcmp(val, "1") == 0)
				msgpack_pack_true(pk);
			else
				msgpack_pack_false(pk);
		} else if (key[0] == 'x') { /* binary, written in hex */
			size_t len = strlen(val) / 2;

			msgpack_pack_bin(pk, len);
			for (size_t k = 0; k < len; k++) {
				char byte = (char)strtol((char[]){val[2 * k], val[2 * k + 1], 0}, NULL, 16);

				msgpack_pack_bin_body(pk, &byte, 1);
			}
		} else {
			cr_assert_fail("bad field spec %s", key);
		}
	}
}

/* Sends one request as `who` whose params map is already packed (params,
 * len); returns the result, or NULL with the error in world_last.  The
 * checks here are the protocol's: a response of four, to this msgid, with
 * a nil result beside an error. */
const msgpack_object *world_call(struct identity *who, const char *method, const char *params,
				 size_t len)
{
	static uint32_t msgid = 1;
	msgpack_sbuffer req, out;
	msgpack_packer pk;
	msgpack_unpacked u;
	const msgpack_object *reply, *err;
	size_t off = 0;
	unsigned delay;
	int outcome;

	msgpack_sbuffer_init(&req);
	msgpack_packer_init(&pk, &req, msgpack_sbuffer_write);
	message_pack_request_head(&pk, msgid, method);
	msgpack_sbuffer_write(&req, params, len);

	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, req.data, req.size, &off), MSGPACK_UNPACK_SUCCESS);
	msgpack_sbuffer_init(&out);
	outcome = dispatch_message(world_db, who, &u.data, &out, &delay);
	/* DISPATCH_CLOSE: answered, and the connection would close after. */
	cr_assert(outcome == DISPATCH_REPLIED || outcome == DISPATCH_CLOSE, "no reply");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&req);

	reply = world_keep(&out);
	cr_assert_eq(reply->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_eq(reply->via.array.size, 4);
	cr_assert_eq(reply->via.array.ptr[0].via.u64, 1);
	cr_assert_eq(reply->via.array.ptr[1].via.u64, msgid);
	msgid++;
	err = &reply->via.array.ptr[2];
	if (err->type == MSGPACK_OBJECT_NIL) {
		world_last.code = RPC_OK;
		world_last.message[0] = '\0';
		return &reply->via.array.ptr[3];
	}
	errors_unpack(err, &world_last);
	cr_assert_eq(reply->via.array.ptr[3].type, MSGPACK_OBJECT_NIL, "an error with a result");
	return NULL;
}

const msgpack_object *world_request(struct identity *who, const char *method,
				     const char *const *f)
{
	msgpack_sbuffer params;
	msgpack_packer pk;
	const msgpack_object *r;

	msgpack_sbuffer_init(&params);
	msgpack_packer_init(&pk, &params, msgpack_sbuffer_write);
	world_pack_fields(&pk, f);
	r = world_call(who, method, params.data, params.size);
	msgpack_sbuffer_destroy(&params);
	return r;
}

const msgpack_object *ok_as(struct identity *who, const char *method, const char *const *f)
{
	const msgpack_object *r = world_request(who, method, f);

	cr_assert_not_null(r, "%s as %s failed: %s (%d)", method, who->login, world_last.message,
			   world_last.code);
	return r;
}

/* ---- reading results ---- */

const msgpack_object *field(const msgpack_object *o, const char *key)
{
	const msgpack_object *v = obj_get(o, key);

	cr_assert_not_null(v, "no field '%s'", key);
	return v;
}

int64_t I(const msgpack_object *o, const char *key)
{
	int64_t x;

	cr_assert(obj_int(field(o, key), &x), "'%s' is not an integer", key);
	return x;
}

/* A copy of a string field (rotating buffers); "(nil)" for nil. */
const char *S(const msgpack_object *o, const char *key)
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

bool is_nil(const msgpack_object *o, const char *key)
{
	return field(o, key)->type == MSGPACK_OBJECT_NIL;
}

/* ---- a small province ---- */

/* TINH (province) with districts H1 and H2; cadre C1 in H1 and C2 in H2,
 * both managed by TINH; terms T1 (2021-2025) and T2 (2026-2030); an office
 * and a viewer of H1, an office of H2, supervisors of H1 and of TINH. */
void make_world(void)
{
	int64_t a;

	world_ids.tinh = I(OK("unit.create", "s:code", "TINH", "s:name", "Tỉnh", "s:level", "tỉnh", NULL),
		   "id");
	world_ids.h1 = I(OK("unit.create", "s:code", "H1", "s:name", "Huyện Một", "s:level", "huyện",
		    "s:parent", "TINH", NULL), "id");
	world_ids.h2 = I(OK("unit.create", "s:code", "H2", "s:name", "Huyện Hai", "s:level", "huyện",
		    "s:parent", "TINH", NULL), "id");
	OK("cadre.create", "s:code", "C1", "s:full_name", "Nguyễn Văn An", "s:title", "Bí thư",
	   "s:unit", "H1", "s:managing_unit", "TINH", "s:since", "2020-01-01", NULL);
	OK("cadre.create", "s:code", "C2", "s:full_name", "Trần Thị Bình", "s:title", "Bí thư",
	   "s:unit", "H2", "s:managing_unit", "TINH", "s:since", "2020-01-01", NULL);
	world_ids.t1 = I(OK("term.create", "s:code", "T1", "s:kind", "term", "s:start", "2021-01-01",
		    "s:end", "2025-12-31", NULL), "id");
	world_ids.t2 = I(OK("term.create", "s:code", "T2", "s:kind", "term", "s:start", "2026-01-01",
		    "s:end", "2030-12-31", NULL), "id");

	a = I(OK("account.create", "s:login", "office1", "s:display_name", "VP Huyện Một", "s:role",
		 "office", "s:scope", "H1", NULL), "id");
	world_identity_for(&office1, a, "office1", ROLE_OFFICE, 2);
	a = I(OK("account.create", "s:login", "office2", "s:display_name", "VP Huyện Hai", "s:role",
		 "office", "s:scope", "H2", NULL), "id");
	world_identity_for(&office2, a, "office2", ROLE_OFFICE, 3);
	a = I(OK("account.create", "s:login", "viewer1", "s:display_name", "Xem Huyện Một",
		 "s:role", "viewer", "s:scope", "H1", NULL), "id");
	world_identity_for(&viewer1, a, "viewer1", ROLE_VIEWER, 4);
	a = I(OK("account.create", "s:login", "suph1", "s:display_name", "Đầu mối Huyện Một",
		 "s:role", "supervisor", "s:scope", "H1", NULL), "id");
	world_identity_for(&sup_h1, a, "suph1", ROLE_SUPERVISOR, 5);
	a = I(OK("account.create", "s:login", "suptinh", "s:display_name", "Đầu mối Tỉnh",
		 "s:role", "supervisor", "s:scope", "TINH", NULL), "id");
	world_identity_for(&sup_tinh, a, "suptinh", ROLE_SUPERVISOR, 6);
}

void make_district_cadres(void)
{
	OK("cadre.create", "s:code", "D1", "s:full_name", "Lê Văn Dũng", "s:title", "Chủ tịch xã",
	   "s:unit", "H1", "s:managing_unit", "H1", "s:since", "2020-01-01", NULL);
	OK("cadre.create", "s:code", "D2", "s:full_name", "Phạm Thị Duyên", "s:title", "Chủ tịch xã",
	   "s:unit", "H2", "s:managing_unit", "H2", "s:since", "2020-01-01", NULL);
}

/* A new registered task of C1 (unit H1) or C2 (H2) in T1, assigned by
 * `by` (a unit code; NULL: the default, the owner's managing unit TINH). */
int64_t new_task_of(const char *owner, const char *by)
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

int64_t new_task(void)
{
	return new_task_of("C1", NULL);
}
/* The note each action leaves in state_note ("(nil)" for none). */
const char *note_of(const char *action)
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

void world_action_fields(const char *action, int64_t id, const char *f[12])
{
	f[0] = "i:task", f[1] = num(id), f[2] = NULL;
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
}

/* Calls task.<action> on task id as who with valid params; the result or
 * NULL (error in world_last). */
const msgpack_object *act(struct identity *who, const char *action, int64_t id)
{
	char method[64];
	const char *f[12];

	snprintf(method, sizeof(method), "task.%s", action);
	world_action_fields(action, id, f);
	return world_request(who, method, f);
}

const msgpack_object *act_ok(struct identity *who, const char *action, int64_t id)
{
	const msgpack_object *r = act(who, action, id);

	cr_assert_not_null(r, "task.%s on task %lld as %s failed: %s (%d)", action, (long long)id,
			   who->login, world_last.message, world_last.code);
	return r;
}

const char *const *world_path(const char *state)
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

	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (strcmp(paths[i].state, state) == 0)
			return paths[i].path;
	return NULL;
}

/* Walks task id (registered) to `state` as admin. */
void drive(int64_t id, const char *state)
{
	const char *const *steps = world_path(state);

	cr_assert_not_null(steps, "no path to state %s", state);
	for (; *steps; steps++)
		act_ok(&admin, *steps, id);
}

int64_t task_in(const char *state)
{
	int64_t id = new_task();

	drive(id, state);
	return id;
}

const msgpack_object *get_task(int64_t id)
{
	return OK("task.get", "i:task", num(id), NULL);
}
/* The number of audit entries, all or of one task (audit.list's total). */
int64_t audit_total(void)
{
	return I(OK("audit.list", "i:limit", "1", NULL), "total");
}

int64_t audit_of_task(int64_t id)
{
	return I(OK("audit.list", "i:task", num(id), "i:limit", "1", NULL), "total");
}

/* The newest audit entry of task id. */
const msgpack_object *audit_newest(int64_t id)
{
	const msgpack_object *page = OK("audit.list", "i:task", num(id), "i:limit", "1000", NULL);
	const msgpack_object *arr = field(page, "items");

	cr_assert_eq(arr->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_gt(arr->via.array.size, 0);
	return &arr->via.array.ptr[arr->via.array.size - 1];
}

/* The error code of a call expected to fail (RPC_OK if it did not). */
int fails_as(struct identity *who, const char *method, const char *const *f)
{
	return world_request(who, method, f) ? RPC_OK : world_last.code;
}

/* Element i of a list reply's "items". */
const msgpack_object *item(const msgpack_object *list, uint32_t i)
{
	const msgpack_object *arr = field(list, "items");

	cr_assert_eq(arr->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_lt(i, arr->via.array.size);
	return &arr->via.array.ptr[i];
}

/* The number of elements of a list reply's "items". */
uint32_t count_items(const msgpack_object *list)
{
	return field(list, "items")->via.array.size;
}

const char *day(long offset)
{
	static char bufs[8][DATE_LEN];
	static int k;
	char today[DATE_LEN], *b = bufs[k++ % 8];

	date_today(today);
	date_from_days(date_days(today) + offset, b);
	return b;
}

bool flag(const msgpack_object *o, const char *key)
{
	const msgpack_object *v = field(o, key);

	cr_assert_eq(v->type, MSGPACK_OBJECT_BOOLEAN, "'%s' is not a boolean", key);
	return v->via.boolean;
}

/* ---- the same params to a running daemon ---- */

int world_remote(struct peer *p, const char *method, const char *const *f, struct peer_result *r)
{
	msgpack_sbuffer params;
	msgpack_packer pk;

	msgpack_sbuffer_init(&params);
	msgpack_packer_init(&pk, &params, msgpack_sbuffer_write);
	world_pack_fields(&pk, f);
	peer_call(p, method, params.data, params.size, r, 20000);
	msgpack_sbuffer_destroy(&params);
	cr_assert_neq(r->code, -1, "%s", r->message);
	return r->code;
}

int64_t world_remote_ok(struct peer *p, const char *method, const char *const *f)
{
	struct peer_result r;
	int64_t id = -1;

	world_remote(p, method, f, &r);
	cr_assert_eq(r.code, RPC_OK, "%s failed: %s (%d)", method, r.message, r.code);
	obj_int(obj_get(r.value, "id"), &id);
	peer_result_free(&r);
	return id;
}

const char *world_db_path(void)
{
	return path;
}

const char *world_dir(void)
{
	return dir;
}
