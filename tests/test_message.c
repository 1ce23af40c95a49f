/*
 * test_message.c: envelope validation names each defect; errors round-trip.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "errors.h"
#include "message.h"
#include "methods.h"

/* Decodes bytes (a complete message) and parses the envelope. */
static int parse_bytes(const char *bytes, size_t len, struct message *m, struct rpc_error *err)
{
	msgpack_unpacked u;
	size_t off = 0;
	int rc;

	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, bytes, len, &off), MSGPACK_UNPACK_SUCCESS);
	rc = message_parse(&u.data, m, err);
	msgpack_unpacked_destroy(&u);
	return rc;
}

struct envelope_case {
	char bytes[16];
	size_t len;
	int code;
	char needle[16]; /* a word the message must contain (an array: Criterion copies parameters into another process) */
};

static struct envelope_case cases[] = {
	{"\x01", 1, RPC_PROTOCOL_ERROR, "array"},
	{"\x93\x00\x01\xa1x", 5, RPC_PROTOCOL_ERROR, "4 elements"},
	{"\x94\x05\x01\xa1x\x90", 6, RPC_PROTOCOL_ERROR, "type"},
	{"\x94\x00\xa1x\xa1x\x90", 7, RPC_PROTOCOL_ERROR, "msgid"},
	{"\x94\x00\x01\x05\x90", 5, RPC_PROTOCOL_ERROR, "method"},
	{"\x94\x00\x01\xa1x\x05", 6, RPC_PROTOCOL_ERROR, "params"},
	{"\x94\x00\x01\xa1x\x91\x05", 7, RPC_INVALID_ARGUMENT, "one map"},
	{"\x94\x00\x01\xa1x\x92\x80\x80", 8, RPC_INVALID_ARGUMENT, "one map"},
};

ParameterizedTestParameters(message, names_each_envelope_defect)
{
	return cr_make_param_array(struct envelope_case, cases, sizeof(cases) / sizeof(cases[0]));
}

ParameterizedTest(struct envelope_case *c, message, names_each_envelope_defect)
{
	struct message m;
	struct rpc_error err;

	cr_assert_eq(parse_bytes(c->bytes, c->len, &m, &err), c->code, "%s", err.message);
	cr_assert(strstr(err.message, c->needle), "'%s' lacks '%s'", err.message, c->needle);
}

Test(message, accepts_empty_params_and_a_notification)
{
	struct message m;
	struct rpc_error err;

	cr_assert_eq(parse_bytes("\x94\x00\x2a\xa1x\x90", 6, &m, &err), RPC_OK);
	cr_assert_eq(m.msgid, 42);
	cr_assert_null(m.params);
	cr_assert_eq(parse_bytes("\x93\x02\xa1x\x91\x80", 6, &m, &err), RPC_OK);
	cr_assert_eq(m.type, MESSAGE_NOTIFICATION);
}

Test(message, error_replies_round_trip)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct rpc_error in, out;
	struct message m;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	errors_set(&in, RPC_NOT_FOUND, "task: no task with id %d", 99);
	message_pack_error(&pk, 5, &in);
	cr_assert_eq(parse_bytes(sb.data, sb.size, &m, &out), RPC_OK);
	cr_assert_eq(m.type, MESSAGE_RESPONSE);
	cr_assert_eq(m.msgid, 5);
	{
		msgpack_unpacked u;
		size_t off = 0;

		msgpack_unpacked_init(&u);
		msgpack_unpack_next(&u, sb.data, sb.size, &off);
		errors_unpack(&u.data.via.array.ptr[2], &out);
		msgpack_unpacked_destroy(&u);
	}
	cr_assert_eq(out.code, RPC_NOT_FOUND);
	cr_assert_str_eq(out.message, "task: no task with id 99");
	msgpack_sbuffer_destroy(&sb);
}

Test(errors, names_are_stable_and_unique)
{
	cr_assert_str_eq(errors_name(RPC_NOT_FOUND), "not_found");
	cr_assert_str_eq(errors_name(RPC_TOO_MANY_CLIENTS), "too_many_clients");
	cr_assert_str_eq(errors_name(RPC_TIMEOUT), "timeout");
	cr_assert_str_eq(errors_name(999), "unknown");
	for (int i = 0; i < RPC_CODE_COUNT; i++) {
		const char *n = errors_name(i);

		cr_assert_eq(errors_code(n, strlen(n)), i);
	}
}

Test(methods, catalogue_names_are_noun_dot_verb_and_unique)
{
	for (const struct method_info *m = methods_catalogue; m->name; m++) {
		cr_assert(strchr(m->name, '.'), "%s", m->name);
		cr_assert_eq(methods_find(m->name, strlen(m->name)), m, "%s twice", m->name);
	}
	cr_assert_null(methods_find("task.nope", 9));
}
