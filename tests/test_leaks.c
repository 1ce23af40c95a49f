/*
 * test_leaks.c: what one caller must never learn of, or do to, another
 * (issue 14): a request_id belongs to its account; text that could
 * disguise itself is refused and error messages stay valid UTF-8; which
 * error wins; a code outside the caller's scope answers as a missing one;
 * a task's assigning body is at or above its cadre's managing body;
 * task.history hides who and where from all but admins; disabling an
 * account ends its tokens.  Through the dispatcher on a fresh temporary
 * database per test (world.h).
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "db.h"
#include "dispatch.h"
#include "errors.h"
#include "utf8.h"

#include "world.h"

TestSuite(leaks, .init = world_setup, .fini = world_teardown, .timeout = 120);

/* ---- a request_id belongs to its account ---- */

Test(leaks, the_same_request_id_from_another_account_is_a_separate_request)
{
	const msgpack_object *a, *o;
	int64_t theirs, mine;

	make_world();
	theirs = new_task_of("C2", NULL); /* H2: outside office1's scope */
	drive(theirs, "in_progress");
	mine = task_in("in_progress");    /* C1, H1 */
	a = OK("update.create", "i:task", num(theirs), "i:percent", "30", "s:done",
	       "Việc của huyện Hai", "s:request_id", "shared-id-0001", NULL);
	o = OK_AS(&office1, "update.create", "i:task", num(mine), "i:percent", "40", "s:done",
		  "Việc của huyện Một", "s:request_id", "shared-id-0001", NULL);
	/* office1 got its own new update, not the admin's stored answer */
	cr_assert_neq(I(o, "id"), I(a, "id"));
	cr_assert_eq(I(o, "task_id"), mine);
	cr_assert_str_eq(S(o, "done"), "Việc của huyện Một");
	/* ...and it was stored: each account's retry answers its own */
	o = OK_AS(&office1, "update.create", "i:task", num(mine), "i:percent", "40", "s:done",
		  "Việc của huyện Một", "s:request_id", "shared-id-0001", NULL);
	cr_assert_str_eq(S(o, "done"), "Việc của huyện Một");
	a = OK("update.create", "i:task", num(theirs), "i:percent", "30", "s:done",
	       "Việc của huyện Hai", "s:request_id", "shared-id-0001", NULL);
	cr_assert_str_eq(S(a, "done"), "Việc của huyện Hai");
	cr_assert_eq(count_items(OK_AS(&office1, "update.list", "i:task", num(mine), NULL)), 1);
	cr_assert_eq(count_items(OK("update.list", "i:task", num(theirs), NULL)), 1);
}

/* ---- text that could disguise itself ---- */

/* The code and message of a request that must fail with invalid_argument
 * naming field and the bidi control. */
static void refused_for_bidi(struct identity *who, const char *method, const char *field,
			     const char *cp, const char *const *f)
{
	cr_assert_eq(fails_as(who, method, f), RPC_INVALID_ARGUMENT, "%s accepted %s with U+%s",
		     method, field, cp);
	cr_assert(strncmp(world_last.message, field, strlen(field)) == 0, "%s", world_last.message);
	cr_assert(strstr(world_last.message, "bidirectional control character"), "%s",
		  world_last.message);
	cr_assert(strstr(world_last.message, cp), "%s", world_last.message);
}

Test(leaks, bidirectional_controls_are_refused_in_every_text)
{
	int64_t t;

	make_world();
	t = task_in("in_progress");
	/* a name (U+202E, right-to-left override) */
	refused_for_bidi(&admin, "unit.create", "name", "202E",
			 FIELDS("s:code", "X1", "s:name", "Xã \xe2\x80\xae" "gpj.exe", "s:level",
				"xã", "s:parent", "H1", NULL));
	/* a title (U+2066, an isolate) */
	refused_for_bidi(&admin, "task.create", "title", "2066",
			 FIELDS("s:title", "Chuyển \xe2\x81\xa6" "đổi", "s:kind", "breakthrough",
				"s:field", "socio_economic", "s:owner", "C1", "s:term", "T1",
				"s:product", "Cổng", "s:due_date", "2025-06-30", NULL));
	/* a person's name, as an office's cadre would be */
	refused_for_bidi(&admin, "cadre.update", "full_name", "202A",
			 FIELDS("s:cadre", "C1", "s:full_name", "\xe2\x80\xaa" "An", NULL));
	/* long free text too (U+2069, U+202B) */
	refused_for_bidi(&office1, "update.create", "done", "2069",
			 FIELDS("i:task", num(t), "i:percent", "10", "s:done",
				"Đã làm \xe2\x81\xa9", NULL));
	refused_for_bidi(&admin, "account.create", "display_name", "202B",
			 FIELDS("s:login", "bidi1", "s:display_name", "VP \xe2\x80\xab", "s:role",
				"viewer", NULL));
	/* Other marks of Vietnamese text still pass. */
	OK("unit.create", "s:code", "X2", "s:name", "Xã Hòa \xe2\x80\x8b" "Bình", "s:level", "xã",
	   "s:parent", "H1", NULL);
}

/* ---- error messages stay valid UTF-8 ---- */

/* Sends a request with a method name and one string field whose name may
 * be any bytes; returns the reply's error message bytes (NUL-terminated
 * copy) and its code. */
static int raw_request(struct identity *who, const char *method, size_t mlen, const char *key,
		       size_t klen, char *message, size_t size)
{
	msgpack_sbuffer req, out;
	msgpack_packer pk;
	msgpack_unpacked u, r;
	size_t off = 0;
	unsigned delay;
	const msgpack_object *e, *m = NULL, *code = NULL;

	msgpack_sbuffer_init(&req);
	msgpack_packer_init(&pk, &req, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 4);
	msgpack_pack_int(&pk, 0);
	msgpack_pack_uint32(&pk, 7);
	msgpack_pack_str(&pk, mlen);
	msgpack_pack_str_body(&pk, method, mlen);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, klen);
	msgpack_pack_str_body(&pk, key, klen);
	msgpack_pack_str(&pk, 1);
	msgpack_pack_str_body(&pk, "v", 1);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, req.data, req.size, &off), MSGPACK_UNPACK_SUCCESS);
	msgpack_sbuffer_init(&out);
	dispatch_message(world_db, who, &u.data, &out, &delay);
	msgpack_unpacked_init(&r);
	off = 0;
	cr_assert_eq(msgpack_unpack_next(&r, out.data, out.size, &off), MSGPACK_UNPACK_SUCCESS);
	e = &r.data.via.array.ptr[2];
	cr_assert_eq(e->type, MSGPACK_OBJECT_MAP, "the request did not fail");
	for (uint32_t i = 0; i < e->via.map.size; i++) {
		const msgpack_object *k = &e->via.map.ptr[i].key;

		if (k->via.str.size == 7 && !memcmp(k->via.str.ptr, "message", 7))
			m = &e->via.map.ptr[i].val;
		if (k->via.str.size == 4 && !memcmp(k->via.str.ptr, "code", 4))
			code = &e->via.map.ptr[i].val;
	}
	cr_assert(m && m->type == MSGPACK_OBJECT_STR && code);
	snprintf(message, size, "%.*s", (int)m->via.str.size, m->via.str.ptr);
	cr_assert_eq(strlen(message), m->via.str.size, "a NUL in the message");
	{
		int c = (int)code->via.u64;

		msgpack_unpacked_destroy(&r);
		msgpack_unpacked_destroy(&u);
		msgpack_sbuffer_destroy(&out);
		msgpack_sbuffer_destroy(&req);
		return c;
	}
}

Test(leaks, an_echoed_field_name_or_method_is_escaped)
{
	char msg[512];

	make_world();
	/* an unknown field whose name is not UTF-8, with a terminal escape */
	cr_assert_eq(raw_request(&admin, "unit.list", 9, "a\xff" "b\x1b[2J", 7, msg, sizeof(msg)),
		     RPC_INVALID_ARGUMENT);
	cr_assert(utf8_valid(msg, strlen(msg)), "not UTF-8: %s", msg);
	cr_assert_str_eq(msg, "a\\xFFb\\x1B[2J: unknown field");
	/* an unknown method (signed in), a bidi control in it */
	cr_assert_eq(raw_request(&office1, "x\xc3\x28y\xe2\x80\xae", 7, "k", 1, msg, sizeof(msg)),
		     RPC_UNKNOWN_METHOD);
	cr_assert(utf8_valid(msg, strlen(msg)), "not UTF-8: %s", msg);
	cr_assert_str_eq(msg, "unknown method 'x\\xC3(y\\u202E'");
	/* a long name is cut on a character, never inside one */
	cr_assert_eq(raw_request(&admin, "unit.list", 9,
				 "ệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệệ", 135, msg,
				 sizeof(msg)),
		     RPC_INVALID_ARGUMENT);
	cr_assert(utf8_valid(msg, strlen(msg)), "not UTF-8: %s", msg);
	cr_assert(strstr(msg, "...: unknown field"), "%s", msg);
}

Test(leaks, an_error_message_is_packed_as_valid_utf8_whoever_filled_it)
{
	struct rpc_error err = {0}, back;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	size_t off = 0;
	char long_text[400];

	/* a message filled by hand with a malformed byte */
	err.code = RPC_CONFLICT;
	snprintf(err.message, sizeof(err.message), "bad \xff byte \xe1\xba");
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	errors_pack(&pk, &err);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, &off), MSGPACK_UNPACK_SUCCESS);
	for (uint32_t i = 0; i < u.data.via.map.size; i++) {
		const msgpack_object *v = &u.data.via.map.ptr[i].val;

		if (v->type == MSGPACK_OBJECT_STR)
			cr_assert(utf8_valid(v->via.str.ptr, v->via.str.size), "%.*s",
				  (int)v->via.str.size, v->via.str.ptr);
	}
	errors_unpack(&u.data, &back);
	cr_assert_str_eq(back.message, "bad ? byte ");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	/* errors_set cutting a long message never cuts a character */
	memset(long_text, 0, sizeof(long_text));
	for (size_t i = 0; i + 3 < sizeof(long_text); i += 3)
		memcpy(long_text + i, "\xe1\xbb\x87", 3); /* ệ */
	for (int shift = 0; shift < 3; shift++) {
		errors_set(&err, RPC_CONFLICT, "%.*s%s", shift, "xx", long_text);
		cr_assert(utf8_valid(err.message, strlen(err.message)), "shift %d", shift);
	}
}

/* ---- which error wins (PROTOCOL.md 2) ---- */

Test(leaks, which_error_wins)
{
	struct identity stranger = {0};
	char msg[512];
	int64_t theirs;

	make_world();
	theirs = new_task_of("C2", NULL);
	drive(theirs, "in_progress");
	/* not signed in: an unknown method learns nothing, not even that */
	cr_assert_eq(raw_request(&stranger, "no.such", 7, "k", 1, msg, sizeof(msg)),
		     RPC_UNAUTHENTICATED, "%s", msg);
	cr_assert_eq(FAILS_AS(&stranger, "unit.list", "s:bogus", "1", NULL), RPC_UNAUTHENTICATED);
	/* signed in: the name, then the role before the params */
	cr_assert_eq(raw_request(&viewer1, "no.such", 7, "k", 1, msg, sizeof(msg)),
		     RPC_UNKNOWN_METHOD);
	cr_assert_eq(FAILS_AS(&office1, "account.create", "s:bogus", "1", "i:role", "7", NULL),
		     RPC_FORBIDDEN, "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&viewer1, "update.create", "i:task", "x", "s:request_id", "short",
			      NULL),
		     RPC_FORBIDDEN, "%s", world_last.message);
	/* the params before the scope: out of scope and malformed is malformed */
	cr_assert_eq(FAILS_AS(&office1, "update.create", "i:task", num(theirs), "i:percent", "101",
			      "s:done", "x", NULL),
		     RPC_INVALID_ARGUMENT, "%s", world_last.message);
	/* ...and well-formed, out of scope answers as missing */
	cr_assert_eq(FAILS_AS(&office1, "update.create", "i:task", num(theirs), "i:percent", "10",
			      "s:done", "x", NULL),
		     RPC_NOT_FOUND, "%s", world_last.message);
}

/* ---- a code out of scope answers as a missing one ---- */

/* The message of the last failure with `name` replaced by "*". */
static const char *masked(const char *name)
{
	static char buf[4][256];
	static int next;
	char *out = buf[next++ % 4];
	const char *at = strstr(world_last.message, name);

	if (!at)
		snprintf(out, 256, "%s", world_last.message);
	else
		snprintf(out, 256, "%.*s*%s", (int)(at - world_last.message), world_last.message,
			 at + strlen(name));
	return out;
}

Test(leaks, a_focal_point_names_no_account_the_supervisor_cannot_choose)
{
	const char *names[] = {"nobody", "suph1", "office1", "viewer1"};
	char first[256] = "";
	int64_t theirs;

	make_world();
	theirs = new_task_of("C2", NULL); /* H2, assigned by TINH: suptinh manages it */
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		cr_assert_eq(FAILS_AS(&sup_tinh, "task.set_focal_point", "i:task", num(theirs),
				      "s:account", names[i], NULL),
			     RPC_NOT_FOUND, "%s: %s", names[i], world_last.message);
		if (!first[0])
			snprintf(first, sizeof(first), "%s", masked(names[i]));
		cr_assert_str_eq(masked(names[i]), first);
	}
	/* by id: one that exists and one that does not */
	cr_assert_eq(FAILS_AS(&sup_tinh, "task.set_focal_point", "i:task", num(theirs), "i:account",
			      num(office2.account_id), NULL),
		     RPC_NOT_FOUND);
	snprintf(first, sizeof(first), "%s", masked(num(office2.account_id)));
	cr_assert_eq(FAILS_AS(&sup_tinh, "task.set_focal_point", "i:task", num(theirs), "i:account",
			      "999", NULL),
		     RPC_NOT_FOUND);
	cr_assert_str_eq(masked("999"), first);
}

Test(leaks, cadre_create_answers_a_code_taken_outside_the_scope_as_one_inside)
{
	char inside[256];

	make_world();
	/* C1 is in office1's scope (H1), C2 is not (H2) */
	cr_assert_eq(FAILS_AS(&office1, "cadre.create", "s:code", "C1", "s:full_name", "Tên",
			      "s:title", "Chức vụ", "s:unit", "H1", "s:managing_unit", "TINH", NULL),
		     RPC_CONFLICT);
	snprintf(inside, sizeof(inside), "%s", masked("C1"));
	cr_assert_eq(FAILS_AS(&office1, "cadre.create", "s:code", "C2", "s:full_name", "Tên",
			      "s:title", "Chức vụ", "s:unit", "H1", "s:managing_unit", "TINH", NULL),
		     RPC_CONFLICT);
	cr_assert_str_eq(masked("C2"), inside);
	cr_assert_null(strstr(world_last.message, "scope"));
	/* a unit out of scope reads as one that does not exist */
	cr_assert_eq(FAILS_AS(&office1, "cadre.create", "s:code", "C9", "s:full_name", "Tên",
			      "s:title", "Chức vụ", "s:unit", "H2", "s:managing_unit", "TINH", NULL),
		     RPC_NOT_FOUND);
	snprintf(inside, sizeof(inside), "%s", masked("H2"));
	cr_assert_eq(FAILS_AS(&office1, "cadre.create", "s:code", "C9", "s:full_name", "Tên",
			      "s:title", "Chức vụ", "s:unit", "HX", "s:managing_unit", "TINH", NULL),
		     RPC_NOT_FOUND);
	cr_assert_str_eq(masked("HX"), inside);
}

/* ---- the assigning body is the cadre's managing unit or above ---- */

Test(leaks, a_district_cannot_assign_a_task_to_a_cadre_the_province_manages)
{
	int64_t t, own;

	make_world();
	make_district_cadres();
	/* C1 (in H1) is managed by TINH: its office may not name H1 */
	cr_assert_eq(FAILS_AS(&office1, "task.create", "s:title", "Việc riêng", "s:kind",
			      "innovation", "s:field", "livelihood", "s:owner", "C1", "s:term", "T1",
			      "s:product", "Sản phẩm", "s:due_date", "2025-06-30", "s:assigned_by", "H1",
			      NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(world_last.message,
			 "assigned_by: unit H1 may not assign a task to cadre C1, who is managed "
			 "by TINH; a task is assigned by its cadre's managing unit or a unit above "
			 "it");
	/* nor can an admin: it is a rule of the data, not of the role */
	cr_assert_eq(FAILS("task.create", "s:title", "Việc riêng", "s:kind", "innovation",
			   "s:field", "livelihood", "s:owner", "C1", "s:term", "T1", "s:product",
			   "Sản phẩm", "s:due_date", "2025-06-30", "s:assigned_by", "H1", NULL),
		     RPC_INVALID_ARGUMENT);
	/* nor move it there later */
	t = new_task_of("C1", NULL);
	cr_assert_eq(FAILS_AS(&office1, "task.update", "i:task", num(t), "s:assigned_by", "H1",
			      NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(S(get_task(t), "assigned_by_code"), "TINH");
	/* nor give a task H1 assigned to a cadre the province manages */
	own = new_task_of("D1", "H1");
	cr_assert_eq(FAILS_AS(&office1, "task.update", "i:task", num(own), "s:owner", "C1", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "owner: unit H1 may not assign"), "%s",
		  world_last.message);
	/* The managing unit itself, or any unit above it, may. */
	new_task_of("D1", "TINH");
	OK_AS(&office1, "task.update", "i:task", num(own), "s:assigned_by", "TINH", NULL);
	OK_AS(&office1, "task.update", "i:task", num(own), "s:owner", "C1", NULL);
}

/* ---- task.history: who and where are the admins' ---- */

Test(leaks, task_history_shows_the_token_and_address_to_admins_only)
{
	struct identity *readers[] = {&office1, &viewer1, &sup_h1, &sup_tinh};
	const msgpack_object *h, *e;
	int64_t t;

	make_world();
	snprintf(admin.address, sizeof(admin.address), "203.0.113.7");
	t = task_in("in_progress");
	h = OK("task.history", "i:task", num(t), NULL);
	e = item(h, 0);
	cr_assert_str_eq(S(e, "address"), "203.0.113.7");
	cr_assert_str_neq(S(e, "token_name"), "(nil)");
	for (size_t r = 0; r < sizeof(readers) / sizeof(readers[0]); r++) {
		h = OK_AS(readers[r], "task.history", "i:task", num(t), NULL);
		cr_assert_gt(count_items(h), 1);
		for (uint32_t i = 0; i < count_items(h); i++) {
			e = item(h, i);
			cr_assert(is_nil(e, "address"), "%s sees an address", readers[r]->login);
			cr_assert(is_nil(e, "token_name"), "%s sees a token", readers[r]->login);
			cr_assert_str_neq(S(e, "account_login"), "(nil)"); /* who, still */
		}
	}
}
