/*
 * test_errors.c: an error keeps what it was made from (protocol/errors.c):
 * the English template and its values as data, on the server's side and
 * after a trip over the wire, so a client can say it in its user's
 * language (PROTOCOL.md 2).
 */
#include <criterion/criterion.h>
#include <stdint.h>
#include <string.h>

#include <msgpack.h>

#include "errors.h"

/* Packs err as the server does and reads it back as a client does. */
static void round_trip(const struct rpc_error *err, struct rpc_error *back, msgpack_object *map,
		       msgpack_unpacked *u, msgpack_sbuffer *sb)
{
	msgpack_packer pk;
	size_t off = 0;

	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	errors_pack(&pk, err);
	msgpack_unpacked_init(u);
	cr_assert_eq(msgpack_unpack_next(u, sb->data, sb->size, &off), MSGPACK_UNPACK_SUCCESS);
	*map = u->data;
	memset(back, 0x55, sizeof(*back)); /* nothing is left from before */
	errors_unpack(map, back);
}

static const msgpack_object *get(const msgpack_object *map, const char *key)
{
	for (uint32_t i = 0; i < map->via.map.size; i++) {
		const msgpack_object *k = &map->via.map.ptr[i].key;

		if (k->via.str.size == strlen(key) && memcmp(k->via.str.ptr, key, k->via.str.size) == 0)
			return &map->via.map.ptr[i].val;
	}
	cr_assert_fail("no %s in the error map", key);
	return NULL;
}

Test(errors, a_message_keeps_its_template_and_each_value_with_its_type)
{
	struct rpc_error err;

	errors_set(&err, RPC_NOT_FOUND, "%s: no %s with id %lld", "task", "task", 999999LL);
	cr_assert_str_eq(err.message, "task: no task with id 999999");
	cr_assert_str_eq(err.template, "%s: no %s with id %lld");
	cr_assert_eq(err.nargs, 3);
	cr_assert_eq(err.args[0].type, RPC_ARG_TEXT);
	cr_assert_str_eq(errors_arg_text(&err, 0), "task");
	cr_assert_str_eq(errors_arg_text(&err, 1), "task");
	cr_assert_eq(err.args[2].type, RPC_ARG_INT);
	cr_assert_eq(err.args[2].v.i, 999999);

	errors_set(&err, RPC_TOO_LARGE, "%s: %zu of %u, %.2f MiB, '%c', %.*s|%5d%%", "x", (size_t)7,
		   8u, 1.5, 'q', 3, "abcdef", -4);
	cr_assert_str_eq(err.message, "x: 7 of 8, 1.50 MiB, 'q', abc|   -4%");
	cr_assert_eq(err.nargs, 7);
	cr_assert_eq(err.args[1].type, RPC_ARG_UINT);
	cr_assert_eq(err.args[1].v.u, 7);
	cr_assert_eq(err.args[2].v.u, 8);
	cr_assert_eq(err.args[3].type, RPC_ARG_NUMBER);
	cr_assert_float_eq(err.args[3].v.f, 1.5, 1e-9);
	cr_assert_eq(err.args[4].v.u, 'q');
	cr_assert_str_eq(errors_arg_text(&err, 5), "abc", "the text as the message cut it");
	cr_assert_eq(err.args[6].v.i, -4);
}

Test(errors, what_does_not_fit_keeps_the_message_alone)
{
	struct rpc_error err;
	char long_text[300];

	errors_set(&err, RPC_INVALID_ARGUMENT, "%d %d %d %d %d %d %d %d %d", 1, 2, 3, 4, 5, 6, 7, 8,
		   9);
	cr_assert_str_eq(err.message, "1 2 3 4 5 6 7 8 9");
	cr_assert_str_eq(err.template, "", "nine values: more than an error keeps");
	cr_assert_eq(err.nargs, 0);

	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	errors_set(&err, RPC_INVALID_ARGUMENT, "name: %s", long_text);
	cr_assert_eq(strlen(err.message), sizeof(err.message) - 1, "the message is cut");
	cr_assert_str_eq(err.template, "", "a value longer than the room for values");
}

Test(errors, the_map_on_the_wire_has_the_field_the_template_and_the_values)
{
	struct rpc_error err, back;
	msgpack_object map;
	msgpack_unpacked u;
	msgpack_sbuffer sb;
	const msgpack_object *args;

	errors_set(&err, RPC_INVALID_ARGUMENT, "%s: must be between %d and %d, got %lld", "percent",
		   0, 100, 140LL);
	round_trip(&err, &back, &map, &u, &sb);
	cr_assert_eq(map.via.map.size, 6);
	cr_assert_eq(get(&map, "code")->via.u64, RPC_INVALID_ARGUMENT);
	cr_assert_eq(get(&map, "field")->type, MSGPACK_OBJECT_STR);
	cr_assert_eq(get(&map, "field")->via.str.size, 7);
	args = get(&map, "args");
	cr_assert_eq(args->via.array.size, 4);
	cr_assert_eq(args->via.array.ptr[3].via.u64, 140);

	cr_assert_eq(back.code, RPC_INVALID_ARGUMENT);
	cr_assert_str_eq(back.message, "percent: must be between 0 and 100, got 140");
	cr_assert_str_eq(back.template, err.template);
	cr_assert_eq(back.nargs, 4);
	cr_assert_str_eq(errors_arg_text(&back, 0), "percent");
	cr_assert_eq(back.args[3].v.u, 140);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);

	/* No field, no template: both nil, the args empty. */
	errors_set(&err, RPC_INTERNAL, "the server's disk failed");
	err.template[0] = '\0';
	round_trip(&err, &back, &map, &u, &sb);
	cr_assert_eq(get(&map, "field")->type, MSGPACK_OBJECT_NIL);
	cr_assert_eq(get(&map, "template")->type, MSGPACK_OBJECT_NIL);
	cr_assert_eq(get(&map, "args")->via.array.size, 0);
	cr_assert_str_eq(back.template, "");
	cr_assert_eq(back.nargs, 0);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(errors, a_prefix_goes_before_the_message_and_the_template_as_a_value)
{
	struct rpc_error err;

	errors_set(&err, RPC_INVALID_ARGUMENT, "due_date: %s is before the inspection's date %s",
		   "2024-01-02", "2024-03-04");
	errors_prefix(&err, "actions[2].");
	cr_assert_str_eq(err.message,
			 "actions[2].due_date: 2024-01-02 is before the inspection's date 2024-03-04");
	cr_assert_str_eq(err.template, "%sdue_date: %s is before the inspection's date %s");
	cr_assert_eq(err.nargs, 3);
	cr_assert_str_eq(errors_arg_text(&err, 0), "actions[2].");
	cr_assert_str_eq(errors_arg_text(&err, 1), "2024-01-02");
	cr_assert_str_eq(errors_arg_text(&err, 2), "2024-03-04");
}

Test(errors, a_peers_values_are_escaped_and_a_bad_list_drops_the_template)
{
	struct rpc_error err;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	size_t off = 0;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	msgpack_pack_str_with_body(&pk, "code", 4);
	msgpack_pack_int(&pk, 5);
	msgpack_pack_str_with_body(&pk, "message", 7);
	msgpack_pack_str_with_body(&pk, "x", 1);
	msgpack_pack_str_with_body(&pk, "template", 8);
	msgpack_pack_str_with_body(&pk, "%s", 2);
	msgpack_pack_str_with_body(&pk, "args", 4);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_str_with_body(&pk, "\x1b[2J", 4);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, &off), MSGPACK_UNPACK_SUCCESS);
	errors_unpack(&u.data, &err);
	cr_assert_eq(err.nargs, 1);
	cr_assert_str_eq(errors_arg_text(&err, 0), "\\x1B[2J", "a control character, escaped");
	msgpack_unpacked_destroy(&u);

	/* A map as a value: the template goes, the message stays. */
	sb.size = 0;
	off = 0;
	msgpack_pack_map(&pk, 3);
	msgpack_pack_str_with_body(&pk, "message", 7);
	msgpack_pack_str_with_body(&pk, "x", 1);
	msgpack_pack_str_with_body(&pk, "template", 8);
	msgpack_pack_str_with_body(&pk, "%s", 2);
	msgpack_pack_str_with_body(&pk, "args", 4);
	msgpack_pack_array(&pk, 1);
	msgpack_pack_map(&pk, 0);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, &off), MSGPACK_UNPACK_SUCCESS);
	errors_unpack(&u.data, &err);
	cr_assert_str_eq(err.template, "");
	cr_assert_eq(err.nargs, 0);
	cr_assert_str_eq(err.message, "x");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}
