/*
 * test_frame.c: the streaming decoder.  Messages split at every byte
 * boundary decode the same; many messages in one read all come out; each
 * limit is enforced from the header, before any allocation.
 */
#include <criterion/criterion.h>
#include <criterion/parameterized.h>
#include <string.h>

#include "frame.h"
#include "message.h"
#include "obj.h"
#include "pack.h"

/* Packs a typical request into sb. */
static void pack_request(msgpack_sbuffer *sb, uint32_t msgid, const char *title)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	message_pack_request_head(&pk, msgid, "task.create");
	msgpack_pack_map(&pk, 2);
	pack_kv_str(&pk, "title", title);
	pack_kv_int(&pk, "percent", 40);
}

static void expect_request(const msgpack_object *o, uint32_t msgid, const char *title)
{
	struct message m;
	struct rpc_error err;

	cr_assert_eq(message_parse(o, &m, &err), RPC_OK, "%s", err.message);
	cr_assert_eq(m.type, MESSAGE_REQUEST);
	cr_assert_eq(m.msgid, msgid);
	cr_assert_eq(m.method_len, strlen("task.create"));
	cr_assert(memcmp(m.method, "task.create", m.method_len) == 0);
	cr_assert(obj_str_eq(obj_get(m.params, "title"), title));
}

Test(frame, decodes_a_message_split_at_every_byte)
{
	const char *title = "Giải quyết dứt điểm tình trạng sạt lở Sơn Dương";
	msgpack_sbuffer sb;

	msgpack_sbuffer_init(&sb);
	pack_request(&sb, 7, title);
	for (size_t cut = 0; cut <= sb.size; cut++) {
		struct frame f;
		const msgpack_object *o;
		struct rpc_error err;

		frame_init(&f, NULL);
		cr_assert_eq(frame_feed(&f, sb.data, cut), 0);
		if (cut < sb.size)
			cr_assert_eq(frame_next(&f, &o, &err), FRAME_NEED_MORE, "cut at %zu", cut);
		cr_assert_eq(frame_feed(&f, sb.data + cut, sb.size - cut), 0);
		cr_assert_eq(frame_next(&f, &o, &err), FRAME_MESSAGE, "cut at %zu", cut);
		expect_request(o, 7, title);
		cr_assert_eq(frame_next(&f, &o, &err), FRAME_NEED_MORE);
		frame_free(&f);
	}
	msgpack_sbuffer_destroy(&sb);
}

Test(frame, decodes_one_byte_at_a_time)
{
	msgpack_sbuffer sb;
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;
	int got = 0;

	msgpack_sbuffer_init(&sb);
	pack_request(&sb, 1, "một");
	pack_request(&sb, 2, "hai");
	frame_init(&f, NULL);
	for (size_t i = 0; i < sb.size; i++) {
		cr_assert_eq(frame_feed(&f, sb.data + i, 1), 0);
		while (frame_next(&f, &o, &err) == FRAME_MESSAGE) {
			got++;
			expect_request(o, (uint32_t)got, got == 1 ? "một" : "hai");
		}
	}
	cr_assert_eq(got, 2);
	frame_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

Test(frame, decodes_many_messages_in_one_read)
{
	msgpack_sbuffer sb;
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;
	uint32_t n = 0;

	msgpack_sbuffer_init(&sb);
	for (uint32_t i = 1; i <= 500; i++)
		pack_request(&sb, i, "đột phá");
	frame_init(&f, NULL);
	cr_assert_eq(frame_feed(&f, sb.data, sb.size), 0);
	while (frame_next(&f, &o, &err) == FRAME_MESSAGE)
		expect_request(o, ++n, "đột phá");
	cr_assert_eq(n, 500);
	cr_assert_eq(frame_pending(&f), 0);
	frame_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

Test(frame, receives_through_frame_space_like_libuv)
{
	msgpack_sbuffer sb;
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;
	size_t off = 0;
	int got = 0;

	msgpack_sbuffer_init(&sb);
	for (uint32_t i = 1; i <= 3000; i++)
		pack_request(&sb, i, "x");
	frame_init(&f, NULL);
	while (off < sb.size) {
		char *p;
		size_t n;

		frame_space(&f, &p, &n);
		cr_assert(n > 0);
		if (n > 1000)
			n = 1000; /* odd-sized reads */
		if (n > sb.size - off)
			n = sb.size - off;
		memcpy(p, sb.data + off, n);
		frame_commit(&f, n);
		off += n;
		while (frame_next(&f, &o, &err) == FRAME_MESSAGE)
			got++;
	}
	cr_assert_eq(got, 3000);
	frame_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

/* A hostile header and the error it must get. */
struct bad_input {
	unsigned char bytes[16];
	size_t len;
	int code;
	char what[40]; /* an array: Criterion copies parameters into another process */
};

static struct bad_input bad_inputs[] = {
	{{0xdb, 0xff, 0xff, 0xff, 0xff}, 5, RPC_TOO_LARGE, "str32 of 4 GiB"},
	{{0xc6, 0xff, 0xff, 0xff, 0xff}, 5, RPC_TOO_LARGE, "bin32 of 4 GiB"},
	{{0xdd, 0xff, 0xff, 0xff, 0xff}, 5, RPC_TOO_LARGE, "array32 of 4G items"},
	{{0xdf, 0xff, 0xff, 0xff, 0xff}, 5, RPC_TOO_LARGE, "map32 of 4G pairs"},
	{{0xc9, 0xff, 0xff, 0xff, 0xff, 0x01}, 6, RPC_TOO_LARGE, "ext32 of 4 GiB"},
	{{0x94, 0x00, 0x05, 0xdb, 0x7f, 0xff, 0xff, 0xff}, 8, RPC_TOO_LARGE, "method of 2 GiB"},
	{{0xc1}, 1, RPC_PROTOCOL_ERROR, "the never-used byte"},
	{{0x94, 0xc1}, 2, RPC_PROTOCOL_ERROR, "never-used byte inside an array"},
};

ParameterizedTestParameters(frame, refuses_hostile_headers)
{
	return cr_make_param_array(struct bad_input, bad_inputs,
				   sizeof(bad_inputs) / sizeof(bad_inputs[0]));
}

ParameterizedTest(struct bad_input *in, frame, refuses_hostile_headers)
{
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;

	frame_init(&f, NULL);
	cr_assert_eq(frame_feed(&f, in->bytes, in->len), 0);
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_ERROR, "%s", in->what);
	cr_assert_eq(err.code, in->code, "%s: got %s (%s)", in->what, errors_name(err.code),
		     err.message);
	/* the buffer never grew towards the declared size */
	cr_assert_lt(f.cap, 1024 * 1024, "%s", in->what);
	/* and the stream stays broken */
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_ERROR);
	frame_free(&f);
}

Test(frame, names_the_msgid_of_an_oversized_request)
{
	/* [0, 4242, "x", [ then a 2 GiB string */
	const unsigned char bytes[] = {0x94, 0x00, 0xcd, 0x10, 0x92, 0xa1, 'x', 0x91, 0xdb,
				       0x7f, 0xff, 0xff, 0xff};
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;

	frame_init(&f, NULL);
	frame_feed(&f, bytes, sizeof(bytes));
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_ERROR);
	cr_assert_eq(frame_error_msgid(&f), 4242);
	frame_free(&f);
}

static int nested(unsigned depth)
{
	unsigned char *buf = malloc(depth + 1);
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;
	int rc;

	memset(buf, 0x91, depth); /* [[[[...]]]] */
	buf[depth] = 0x00;
	frame_init(&f, NULL);
	frame_feed(&f, buf, depth + 1);
	rc = frame_next(&f, &o, &err);
	if (rc == FRAME_ERROR)
		rc = -err.code;
	frame_free(&f);
	free(buf);
	return rc;
}

Test(frame, allows_32_levels_and_refuses_33)
{
	cr_assert_eq(nested(32), FRAME_MESSAGE);
	cr_assert_eq(nested(33), -RPC_TOO_DEEP);
	cr_assert_eq(nested(100000), -RPC_TOO_DEEP);
}

Test(frame, enforces_a_configured_message_limit)
{
	struct frame_limits lim = {.max_message = 2048};
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;
	char big[3000];

	memset(big, 'a', sizeof(big));
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_strn(&pk, big, 2000);  /* fits */
	pack_strn(&pk, big, 2100);  /* does not */
	frame_init(&f, &lim);
	frame_feed(&f, sb.data, sb.size);
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_MESSAGE);
	cr_assert_eq(o->via.str.size, 2000);
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_ERROR);
	cr_assert_eq(err.code, RPC_TOO_LARGE);
	frame_free(&f);
	msgpack_sbuffer_destroy(&sb);
}

Test(frame, shrinks_its_buffer_after_a_big_message)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	struct frame f;
	const msgpack_object *o;
	struct rpc_error err;
	char *big = calloc(1, 500000);

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_strn(&pk, big, 500000);
	frame_init(&f, NULL);
	frame_feed(&f, sb.data, sb.size);
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_MESSAGE);
	cr_assert_eq(frame_next(&f, &o, &err), FRAME_NEED_MORE);
	cr_assert_eq(f.cap, 0, "an idle connection keeps no big buffer");
	frame_free(&f);
	msgpack_sbuffer_destroy(&sb);
	free(big);
}
