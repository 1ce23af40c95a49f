/*
 * test_session.c: signing in against the real daemon: nothing but
 * server.info and session.auth before it; the first-start token file; one
 * generic error for every bad token; failures slowed down, then refused;
 * a revoked token stops an open connection at its next call.
 */
#include <criterion/criterion.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "errors.h"
#include "helpers.h"
#include "obj.h"
#include "pack.h"

static struct daemon d;

static void start(void)
{
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
}

static void stop(void)
{
	daemon_cleanup(&d);
}

TestSuite(session, .init = start, .fini = stop, .timeout = 60);

/* One call on fd: params packed from key/value string pairs (NULL-ended).
 * Returns the error code (RPC_OK for a result); *u keeps the reply. */
static int call(int fd, msgpack_unpacker *up, msgpack_unpacked *u, const char *method, ...)
{
	static uint32_t msgid = 1;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct rpc_error err;
	const char *kv[16];
	int n = 0;
	va_list ap;

	va_start(ap, method);
	while (n < 16 && (kv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, (size_t)n / 2);
	for (int i = 0; i + 1 < n; i += 2)
		pack_kv_str(&pk, kv[i], kv[i + 1]);
	cr_assert_eq(raw_request(fd, ++msgid, method, sb.data, sb.size), 0);
	msgpack_sbuffer_destroy(&sb);
	cr_assert_eq(raw_recv(fd, up, u, 20000), 1, "no reply to %s", method);
	cr_assert_eq(u->data.via.array.ptr[1].via.u64, msgid);
	if (u->data.via.array.ptr[2].type == MSGPACK_OBJECT_NIL)
		return RPC_OK;
	return errors_unpack(&u->data.via.array.ptr[2], &err);
}

static const msgpack_object *result(const msgpack_unpacked *u)
{
	return &u->data.via.array.ptr[3];
}

static long ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

Test(session, first_start_writes_the_admin_token_for_the_owner_only)
{
	char path[340];
	struct stat st;

	snprintf(path, sizeof(path), "%s.admin-token", d.db);
	cr_assert_eq(stat(path, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "mode %o", st.st_mode & 0777);
	cr_assert_eq(strncmp(d.token, "dp1_", 4), 0);
	cr_assert_eq(strlen(d.token), 68);
	/* the daemon says where, and never prints the token */
	{
		char *log = helpers_read_file(d.log);

		cr_assert_not_null(strstr(log, path), "the log names the token file");
		cr_assert_null(strstr(log, d.token + 4), "the token must not be logged");
		free(log);
	}
}

Test(session, only_server_info_and_session_auth_answer_before_signing_in)
{
	int fd = raw_connect(d.port);
	msgpack_unpacker up;
	msgpack_unpacked u;

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	cr_assert_eq(call(fd, &up, &u, "server.info", NULL), RPC_OK);
	cr_assert_eq(call(fd, &up, &u, "unit.list", NULL), RPC_UNAUTHENTICATED);
	cr_assert_eq(call(fd, &up, &u, "session.whoami", NULL), RPC_UNAUTHENTICATED);
	cr_assert_eq(call(fd, &up, &u, "account.list", NULL), RPC_UNAUTHENTICATED);
	cr_assert_eq(call(fd, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert(obj_str_eq(obj_get(obj_get(result(&u), "account"), "login"), "admin"));
	cr_assert(obj_str_eq(obj_get(obj_get(result(&u), "account"), "role"), "admin"));
	cr_assert(obj_str_eq(obj_get(result(&u), "token_name"), "bootstrap"));
	cr_assert_eq(call(fd, &up, &u, "unit.list", NULL), RPC_OK);
	cr_assert_eq(call(fd, &up, &u, "session.whoami", NULL), RPC_OK);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

Test(session, every_bad_token_gets_the_same_error)
{
	const char *bad[] = {"", "x", "dp1_", "dp1_0000000000000000000000000000000000000000000000000000000000000000",
			     "DP1_zzzz", NULL};
	char first[256] = "";
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (int i = 0; bad[i]; i++) {
		struct rpc_error err;
		int code = call(fd, &up, &u, "session.auth", "token", bad[i], NULL);

		if (bad[i][0] == '\0') {
			cr_assert_eq(code, RPC_INVALID_ARGUMENT); /* an empty field is a usage error */
			continue;
		}
		cr_assert_eq(code, RPC_UNAUTHENTICATED, "token '%s'", bad[i]);
		errors_unpack(&u.data.via.array.ptr[2], &err);
		/* up to the ';': what follows counts the failures */
		cr_assert_not_null(strchr(err.message, ';'), "%s", err.message);
		*strchr(err.message, ';') = '\0';
		if (!first[0])
			snprintf(first, sizeof(first), "%s", err.message);
		cr_assert_str_eq(err.message, first, "the error must not say what was wrong");
	}
	/* the failures are logged without the token */
	{
		char *log = helpers_read_file(d.log);

		cr_assert_not_null(strstr(log, "sign-in failed from 127.0.0.1"));
		cr_assert_null(strstr(log, "0000000000000000000000"));
		free(log);
	}
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

/* How many lines of the daemon's log hold needle. */
static int log_lines_with(const char *needle)
{
	char *log = helpers_read_file(d.log), *p = log;
	int n = 0;

	cr_assert_not_null(log);
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	free(log);
	return n;
}

/* The message of the error in *u. */
static void error_message(const msgpack_unpacked *u, char *out, size_t n)
{
	struct rpc_error err;

	errors_unpack(&u->data.via.array.ptr[2], &err);
	snprintf(out, n, "%s", err.message);
}

/* The throttle.list item of address in result r, or NULL. */
static const msgpack_object *throttle_item(const msgpack_object *r, const char *address)
{
	const msgpack_object *items = obj_get(r, "items");

	cr_assert_not_null(items);
	for (uint32_t i = 0; i < items->via.array.size; i++)
		if (obj_str_eq(obj_get(&items->via.array.ptr[i], "address"), address))
			return &items->via.array.ptr[i];
	return NULL;
}

/* Sends session.auth with a wrong token on fd, without waiting. */
static void send_bad_token(int fd)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	pack_kv_str(&pk, "token", "dp1_wrong");
	cr_assert_eq(raw_request(fd, 1, "session.auth", sb.data, sb.size), 0);
	msgpack_sbuffer_destroy(&sb);
}

static int64_t int_of(const msgpack_object *o, const char *key)
{
	int64_t v = -1;

	cr_assert(obj_int(obj_get(o, key), &v), "no integer %s", key);
	return v;
}

Test(session, failures_are_slowed_down_growing_and_logged_once_a_minute)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);
	struct timespec t0;
	long fast = 0, sixth = 0, seventh = 0, ms;
	char msg[512];

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (int i = 1; i <= 7; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		cr_assert_eq(call(fd, &up, &u, "session.auth", "token", "dp1_wrong", NULL),
			     RPC_UNAUTHENTICATED);
		ms = ms_since(&t0);
		if (i <= 5)
			fast = ms > fast ? ms : fast;
		else if (i == 6)
			sixth = ms;
		else
			seventh = ms;
		error_message(&u, msg, sizeof(msg));
		if (i == 3)
			cr_assert_not_null(strstr(msg, "; 3 failed sign-ins from 127.0.0.1 (after 5, "),
					   "%s", msg);
	}
	printf("sign-in failures: first five answered within %ld ms, the 6th after %ld ms, "
	       "the 7th after %ld ms\n", fast, sixth, seventh);
	cr_assert_lt(fast, 400, "the first failures are not delayed");
	cr_assert_geq(sixth, 900, "the 6th failure is held back a second");
	cr_assert_geq(seventh, 1900, "the 7th failure is held back two seconds");
	/* the message says what happened and until when */
	cr_assert_not_null(strstr(msg, "the token is not valid, was revoked, or its account is "
				       "disabled; 7 failed sign-ins from 127.0.0.1: each further "
				       "failure is answered after 4 s (doubling up to 16 s), until "),
			   "%s", msg);
	cr_assert_not_null(strstr(msg, "Z passes with no further failure"), "%s", msg);
	/* one log line for the seven: the rest wait for the minute */
	cr_assert_eq(log_lines_with("sign-in failed from 127.0.0.1"), 1);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

Test(session, a_valid_token_signs_in_at_once_after_20_failures_and_resets_nothing)
{
	msgpack_unpacker up, up2;
	msgpack_unpacked u, u2;
	int bad[20], late, admin = -1;
	struct timespec t0;
	long signin = 0, held;
	const msgpack_object *item = NULL;
	char msg[512];

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacker_init(&up2, 4096);
	msgpack_unpacked_init(&u);
	msgpack_unpacked_init(&u2);
	/* 20 failures at once, on 20 connections (one connection reads
	 * nothing while its reply is held back) */
	for (int i = 0; i < 20; i++) {
		bad[i] = raw_connect(d.port);
		send_bad_token(bad[i]);
	}
	/* the good token, until the daemon has counted all 20 */
	for (int tries = 0; tries < 200 && !(item && int_of(item, "failures") == 20); tries++) {
		if (admin >= 0)
			close(admin);
		usleep(10000);
		admin = raw_connect(d.port);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		cr_assert_eq(call(admin, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK,
			     "a valid token was refused after failures from its address");
		signin = ms_since(&t0);
		cr_assert_eq(call(admin, &up, &u, "throttle.list", NULL), RPC_OK);
		item = throttle_item(result(&u), "127.0.0.1");
	}
	cr_assert_not_null(item);
	cr_assert_eq(int_of(item, "failures"), 20);
	printf("after 20 failures, a valid token signed in in %ld ms\n", signin);
	cr_assert_lt(signin, 300, "the valid token waited %ld ms", signin);
	cr_assert_eq(int_of(item, "delay_ms"), 16000);

	/* the success reset nothing: the 21st failure is held back the cap */
	late = raw_connect(d.port);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	send_bad_token(late);
	cr_assert_eq(call(admin, &up, &u, "session.whoami", NULL), RPC_OK);
	cr_assert_eq(raw_recv(late, &up2, &u2, 1000), -1, "the 21st failure was answered at once");
	cr_assert_eq(call(admin, &up, &u, "throttle.list", NULL), RPC_OK);
	cr_assert_eq(int_of(throttle_item(result(&u), "127.0.0.1"), "failures"), 21);
	cr_assert_eq(raw_recv(late, &up2, &u2, 30000), 1);
	held = ms_since(&t0);
	printf("the 21st failure was answered after %ld ms\n", held);
	cr_assert_geq(held, 15000);
	error_message(&u2, msg, sizeof(msg));
	cr_assert_not_null(strstr(msg, "21 failed sign-ins from 127.0.0.1: each further failure is "
				       "answered after 16 s, until "),
			   "%s", msg);
	/* the held replies all come, in the end */
	for (int i = 0; i < 20; i++) {
		msgpack_unpacker_destroy(&up2);
		msgpack_unpacker_init(&up2, 4096);
		cr_assert_eq(raw_recv(bad[i], &up2, &u2, 20000), 1, "connection %d", i);
		close(bad[i]);
	}
	cr_assert_eq(log_lines_with("sign-in failed from 127.0.0.1"), 1,
		     "21 failures within a minute make one log line");
	close(late);
	close(admin);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacked_destroy(&u2);
	msgpack_unpacker_destroy(&up);
	msgpack_unpacker_destroy(&up2);
}

Test(session, the_admin_lists_and_clears_the_throttle_and_no_one_else_may)
{
	msgpack_unpacker up, up2;
	msgpack_unpacked u, u2;
	int admin = raw_connect(d.port), office = raw_connect(d.port);
	const msgpack_object *item, *items;
	char token[128];

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacker_init(&up2, 4096);
	msgpack_unpacked_init(&u);
	msgpack_unpacked_init(&u2);
	for (int i = 0; i < 3; i++)
		cr_assert_eq(call(office, &up2, &u2, "session.auth", "token", "dp1_nope", NULL),
			     RPC_UNAUTHENTICATED);
	cr_assert_eq(call(admin, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "throttle.list", NULL), RPC_OK);
	cr_assert_eq(int_of(result(&u), "total"), 1);
	item = throttle_item(result(&u), "127.0.0.1");
	cr_assert_not_null(item);
	cr_assert_eq(int_of(item, "failures"), 3);
	cr_assert_eq(int_of(item, "delay_ms"), 0, "a 4th failure would still be free");
	cr_assert_eq(obj_get(item, "first_failure")->via.str.size, 20, "a UTC moment");
	cr_assert_eq(obj_get(item, "last_failure")->via.str.size, 20);
	cr_assert_eq(obj_get(item, "lifts_at")->via.str.size, 20);

	/* an office may neither see nor clear it */
	cr_assert_eq(call(admin, &up, &u, "unit.create", "code", "P", "name", "Tỉnh", "level", "tỉnh",
			  NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "account.create", "login", "vp-a", "display_name",
			  "Văn phòng A", "role", "office", "scope", "P", NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "token.create", "account", "vp-a", "name", "máy 1", NULL),
		     RPC_OK);
	obj_cstr(obj_get(result(&u), "token"), token, sizeof(token));
	cr_assert_eq(call(office, &up2, &u2, "session.auth", "token", token, NULL), RPC_OK);
	cr_assert_eq(call(office, &up2, &u2, "throttle.list", NULL), RPC_FORBIDDEN);
	cr_assert_eq(call(office, &up2, &u2, "throttle.clear", NULL), RPC_FORBIDDEN);
	cr_assert_eq(call(office, &up2, &u2, "throttle.clear", "address", "127.0.0.1", NULL),
		     RPC_FORBIDDEN);

	/* the admin clears it, and the trail says so */
	cr_assert_eq(call(admin, &up, &u, "throttle.clear", "address", "not an address", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert_eq(call(admin, &up, &u, "throttle.clear", "address", "127.0.0.1", "request_id",
			  "clear-throttle-01", NULL), RPC_OK);
	cr_assert_eq(int_of(result(&u), "cleared"), 1);
	cr_assert(obj_str_eq(obj_get(result(&u), "address"), "127.0.0.1"));
	cr_assert_eq(call(admin, &up, &u, "throttle.list", NULL), RPC_OK);
	cr_assert_eq(int_of(result(&u), "total"), 0);
	cr_assert_null(throttle_item(result(&u), "127.0.0.1"));
	cr_assert_eq(call(admin, &up, &u, "throttle.clear", NULL), RPC_OK);
	cr_assert_eq(int_of(result(&u), "cleared"), 0);
	cr_assert_eq(obj_get(result(&u), "address")->type, MSGPACK_OBJECT_NIL);
	/* a retry answers the first result */
	cr_assert_eq(call(admin, &up, &u, "throttle.clear", "address", "127.0.0.1", "request_id",
			  "clear-throttle-01", NULL), RPC_OK);
	cr_assert_eq(int_of(result(&u), "cleared"), 1);
	cr_assert_eq(call(admin, &up, &u, "audit.list", NULL), RPC_OK);
	items = obj_get(result(&u), "items");
	{
		const msgpack_object *last = &items->via.array.ptr[items->via.array.size - 1];

		cr_assert(obj_str_eq(obj_get(last, "method"), "throttle.clear"));
		cr_assert(obj_str_eq(obj_get(last, "object_type"), "throttle"));
		cr_assert_eq(obj_get(last, "object_id")->type, MSGPACK_OBJECT_NIL);
		cr_assert_eq(int_of(obj_get(last, "after"), "cleared"), 0);
	}
	cr_assert_eq(call(admin, &up, &u, "audit.verify", NULL), RPC_OK);
	cr_assert(obj_get(result(&u), "ok")->via.boolean);
	close(admin);
	close(office);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacked_destroy(&u2);
	msgpack_unpacker_destroy(&up);
	msgpack_unpacker_destroy(&up2);
}

Test(session, dotpha_admin_throttle_lists_and_clears)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);
	const char *list[] = {"admin", "throttle", "list", NULL};
	const char *list_json[] = {"--json", "admin", "throttle", "list", NULL};
	const char *clear[] = {"admin", "throttle", "clear", "127.0.0.1", NULL};
	char *out, *err;

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (int i = 0; i < 2; i++)
		cr_assert_eq(call(fd, &up, &u, "session.auth", "token", "dp1_nope", NULL),
			     RPC_UNAUTHENTICATED);
	cr_assert_eq(client_run(&d, &out, &err, list), 0, "%s", err);
	cr_assert_not_null(strstr(out, "Địa chỉ"), "%s", out);
	cr_assert_not_null(strstr(out, "Số lần sai"), "%s", out);
	cr_assert_not_null(strstr(out, "127.0.0.1"), "%s", out);
	cr_assert_not_null(strstr(out, "1 địa chỉ"), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(client_run(&d, &out, &err, list_json), 0, "%s", err);
	cr_assert_not_null(strstr(out, "\"address\""), "%s", out);
	cr_assert_not_null(strstr(out, "\"failures\""), "%s", out);
	cr_assert_not_null(strstr(out, "\"lifts_at\""), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(client_run(&d, &out, &err, clear), 0, "%s", err);
	cr_assert_not_null(strstr(out, "Số địa chỉ đã xóa"), "%s", out);
	cr_assert_not_null(strstr(out, "1"), "%s", out);
	free(out);
	free(err);
	cr_assert_eq(client_run(&d, &out, &err, list), 0, "%s", err);
	cr_assert_not_null(strstr(out, "0 địa chỉ"), "%s", out);
	cr_assert_null(strstr(out, "127.0.0.1"), "%s", out);
	free(out);
	free(err);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

Test(session, a_revoked_token_stops_an_open_connection_at_its_next_call)
{
	msgpack_unpacker up, up2;
	msgpack_unpacked u, u2;
	int admin = raw_connect(d.port), office = raw_connect(d.port);
	char token[128];
	int64_t token_id;

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacker_init(&up2, 4096);
	msgpack_unpacked_init(&u);
	msgpack_unpacked_init(&u2);
	cr_assert_eq(call(admin, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "unit.create", "code", "P", "name", "Tỉnh", "level", "tỉnh",
			  NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "account.create", "login", "vp-a", "display_name",
			  "Văn phòng A", "role", "office", "scope", "P", NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "token.create", "account", "vp-a", "name", "máy 1", NULL),
		     RPC_OK);
	obj_cstr(obj_get(result(&u), "token"), token, sizeof(token));
	cr_assert(obj_int(obj_get(result(&u), "id"), &token_id));
	cr_assert_eq(call(office, &up2, &u2, "session.auth", "token", token, NULL), RPC_OK);
	cr_assert_eq(call(office, &up2, &u2, "unit.list", NULL), RPC_OK);
	cr_assert_eq(call(office, &up2, &u2, "account.list", NULL), RPC_FORBIDDEN,
		     "an office may not manage accounts");

	/* revoke through the admin's connection; the office's stays open */
	{
		msgpack_sbuffer sb;
		msgpack_packer pk;
		struct rpc_error err;

		msgpack_sbuffer_init(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_map(&pk, 1);
		pack_kv_int(&pk, "token", token_id);
		cr_assert_eq(raw_request(admin, 99, "token.revoke", sb.data, sb.size), 0);
		msgpack_sbuffer_destroy(&sb);
		cr_assert_eq(raw_recv(admin, &up, &u, 10000), 1);
		cr_assert_eq(u.data.via.array.ptr[2].type, MSGPACK_OBJECT_NIL, "%s",
			     (errors_unpack(&u.data.via.array.ptr[2], &err), err.message));
	}
	cr_assert_eq(call(office, &up2, &u2, "unit.list", NULL), RPC_UNAUTHENTICATED,
		     "the revoked token still works on its open connection");
	cr_assert_eq(call(office, &up2, &u2, "unit.list", NULL), RPC_UNAUTHENTICATED);
	cr_assert_eq(call(office, &up2, &u2, "session.auth", "token", token, NULL),
		     RPC_UNAUTHENTICATED);
	close(admin);
	close(office);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacked_destroy(&u2);
	msgpack_unpacker_destroy(&up);
	msgpack_unpacker_destroy(&up2);
}

Test(session, a_disabled_account_and_a_role_change_take_effect_at_once)
{
	msgpack_unpacker up, up2;
	msgpack_unpacked u, u2;
	int admin = raw_connect(d.port), other = raw_connect(d.port);
	char token[128];

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacker_init(&up2, 4096);
	msgpack_unpacked_init(&u);
	msgpack_unpacked_init(&u2);
	cr_assert_eq(call(admin, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "account.create", "login", "qt2", "display_name", "Quản trị 2",
			  "role", "admin", NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "token.create", "account", "qt2", "name", "x", NULL), RPC_OK);
	obj_cstr(obj_get(result(&u), "token"), token, sizeof(token));
	cr_assert_eq(call(other, &up2, &u2, "session.auth", "token", token, NULL), RPC_OK);
	cr_assert_eq(call(other, &up2, &u2, "account.list", NULL), RPC_OK);
	/* demote to viewer: account.list is forbidden from the next call */
	cr_assert_eq(call(admin, &up, &u, "unit.create", "code", "Q", "name", "Tỉnh Q", "level", "tỉnh",
			  NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "account.update", "account", "qt2", "role", "viewer",
			  "scope", "Q", NULL), RPC_OK);
	cr_assert_eq(call(other, &up2, &u2, "account.list", NULL), RPC_FORBIDDEN);
	cr_assert_eq(call(other, &up2, &u2, "unit.list", NULL), RPC_OK);
	/* disable: the next call is refused */
	{
		msgpack_sbuffer sb;
		msgpack_packer pk;

		msgpack_sbuffer_init(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_map(&pk, 2);
		pack_kv_str(&pk, "account", "qt2");
		pack_kv_bool(&pk, "active", 0);
		cr_assert_eq(raw_request(admin, 77, "account.update", sb.data, sb.size), 0);
		msgpack_sbuffer_destroy(&sb);
		cr_assert_eq(raw_recv(admin, &up, &u, 10000), 1);
		cr_assert_eq(u.data.via.array.ptr[2].type, MSGPACK_OBJECT_NIL);
	}
	cr_assert_eq(call(other, &up2, &u2, "unit.list", NULL), RPC_UNAUTHENTICATED);
	close(admin);
	close(other);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacked_destroy(&u2);
	msgpack_unpacker_destroy(&up);
	msgpack_unpacker_destroy(&up2);
}

/* Sends account.update {account, active} on fd; the error code. */
static int set_active(int fd, msgpack_unpacker *up, msgpack_unpacked *u, const char *login,
		      bool active)
{
	static uint32_t msgid = 9000;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct rpc_error err;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 2);
	pack_kv_str(&pk, "account", login);
	pack_kv_bool(&pk, "active", active);
	cr_assert_eq(raw_request(fd, ++msgid, "account.update", sb.data, sb.size), 0);
	msgpack_sbuffer_destroy(&sb);
	cr_assert_eq(raw_recv(fd, up, u, 10000), 1);
	if (u->data.via.array.ptr[2].type == MSGPACK_OBJECT_NIL)
		return RPC_OK;
	return errors_unpack(&u->data.via.array.ptr[2], &err);
}

Test(session, enabling_a_disabled_account_again_does_not_revive_its_old_tokens)
{
	msgpack_unpacker up, up2;
	msgpack_unpacked u, u2;
	int admin = raw_connect(d.port), other;
	char old[128], fresh[128];

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacker_init(&up2, 4096);
	msgpack_unpacked_init(&u);
	msgpack_unpacked_init(&u2);
	cr_assert_eq(call(admin, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "unit.create", "code", "R", "name", "Tỉnh R", "level",
			  "tỉnh", NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "account.create", "login", "vp9", "display_name",
			  "Văn phòng 9", "role", "office", "scope", "R", NULL), RPC_OK);
	cr_assert_eq(call(admin, &up, &u, "token.create", "account", "vp9", "name", "cũ", NULL),
		     RPC_OK);
	obj_cstr(obj_get(result(&u), "token"), old, sizeof(old));
	cr_assert_eq(set_active(admin, &up, &u, "vp9", false), RPC_OK);
	cr_assert_eq(set_active(admin, &up, &u, "vp9", true), RPC_OK);
	/* the old token stays revoked */
	other = raw_connect(d.port);
	cr_assert_eq(call(other, &up2, &u2, "session.auth", "token", old, NULL), RPC_UNAUTHENTICATED);
	close(other);
	cr_assert_eq(call(admin, &up, &u, "token.list", "account", "vp9", NULL), RPC_OK);
	{
		const msgpack_object *items = obj_get(result(&u), "items");

		cr_assert_eq(items->via.array.size, 1);
		cr_assert_neq(obj_get(&items->via.array.ptr[0], "revoked_at")->type,
			      MSGPACK_OBJECT_NIL, "the old token is not marked revoked");
	}
	/* a new one works */
	cr_assert_eq(call(admin, &up, &u, "token.create", "account", "vp9", "name", "mới", NULL),
		     RPC_OK);
	obj_cstr(obj_get(result(&u), "token"), fresh, sizeof(fresh));
	msgpack_unpacker_destroy(&up2);
	msgpack_unpacker_init(&up2, 4096);
	other = raw_connect(d.port);
	cr_assert_eq(call(other, &up2, &u2, "session.auth", "token", fresh, NULL), RPC_OK);
	cr_assert_eq(call(other, &up2, &u2, "unit.list", NULL), RPC_OK);
	close(other);
	close(admin);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacked_destroy(&u2);
	msgpack_unpacker_destroy(&up);
	msgpack_unpacker_destroy(&up2);
}

Test(session, the_last_admin_cannot_lock_everyone_out)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	cr_assert_eq(call(fd, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert_eq(call(fd, &up, &u, "unit.create", "code", "P", "name", "Tỉnh", "level", "tỉnh",
			  NULL), RPC_OK);
	cr_assert_eq(call(fd, &up, &u, "account.update", "account", "admin", "role", "viewer",
			  "scope", "P", NULL), RPC_CONFLICT);
	cr_assert_eq(call(fd, &up, &u, "session.whoami", NULL), RPC_OK);
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}

/* True if the file at path contains needle. */
static bool file_contains(const char *path, const char *needle)
{
	char *data = NULL;
	size_t len = 0, n = strlen(needle);
	FILE *f = fopen(path, "rb");
	bool found = false;

	if (!f)
		return false;
	fseek(f, 0, SEEK_END);
	len = (size_t)ftell(f);
	rewind(f);
	data = malloc(len + 1);
	if (data && fread(data, 1, len, f) == len)
		for (size_t i = 0; i + n <= len && !found; i++)
			found = memcmp(data + i, needle, n) == 0;
	free(data);
	fclose(f);
	return found;
}

Test(session, a_new_token_is_never_stored_even_for_a_retry)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);
	char token[128], path[340];
	struct rpc_error err;

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	cr_assert_eq(call(fd, &up, &u, "session.auth", "token", d.token, NULL), RPC_OK);
	cr_assert_eq(call(fd, &up, &u, "token.create", "account", "admin", "name", "máy 2",
			  "request_id", "retry-token-0001", NULL), RPC_OK);
	obj_cstr(obj_get(result(&u), "token"), token, sizeof(token));
	cr_assert_eq(strlen(token), 68);
	/* the retry does not make a second token, nor show the secret again */
	cr_assert_eq(call(fd, &up, &u, "token.create", "account", "admin", "name", "máy 2",
			  "request_id", "retry-token-0001", NULL), RPC_CONFLICT);
	errors_unpack(&u.data.via.array.ptr[2], &err);
	cr_assert_not_null(strstr(err.message, "rotate"), "%s", err.message);
	cr_assert_eq(call(fd, &up, &u, "token.list", "account", "admin", NULL), RPC_OK);
	cr_assert_eq(obj_get(result(&u), "total")->via.u64, 2, "bootstrap and máy 2, once");
	for (const char *const *sfx = (const char *const[]){"", "-wal", NULL}; *sfx; sfx++) {
		snprintf(path, sizeof(path), "%s%s", d.db, *sfx);
		cr_assert_not(file_contains(path, token + 4), "the secret is in %s", path);
	}
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
}
