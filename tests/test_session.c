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

Test(session, repeated_failures_are_slowed_down_then_refused)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	int fd = raw_connect(d.port);
	struct timespec t0;
	long fast = 0, slowed = 0, ms;

	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (int i = 1; i <= 8; i++) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		cr_assert_eq(call(fd, &up, &u, "session.auth", "token", "dp1_wrong", NULL),
			     RPC_UNAUTHENTICATED);
		ms = ms_since(&t0);
		if (i <= 5)
			fast = ms > fast ? ms : fast;
		else if (i == 7)
			slowed = ms;
	}
	printf("sign-in failures: first five answered within %ld ms, the 7th after %ld ms\n", fast,
	       slowed);
	cr_assert_lt(fast, 400, "the first failures are not delayed");
	cr_assert_geq(slowed, 900, "the 7th failure is held back about a second");
	/* locked now: even the right token is refused, from this address */
	cr_assert_eq(call(fd, &up, &u, "session.auth", "token", d.token, NULL), RPC_UNAUTHENTICATED);
	{
		struct rpc_error err;

		errors_unpack(&u.data.via.array.ptr[2], &err);
		cr_assert_not_null(strstr(err.message, "too many failed sign-ins"), "%s", err.message);
	}
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
