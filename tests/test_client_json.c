/*
 * test_client_json.c: client/json.c writes the exact JSON of MessagePack
 * values: escapes, UTF-8 passed through, exact integers, floats, bin.
 */
#include <criterion/criterion.h>
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <msgpack.h>

#include "json.h"

/* Packs with fn, unpacks, and returns the JSON (caller frees). */
static char *to_json(void (*fn)(msgpack_packer *pk))
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct strbuf out = STRBUF_INIT;
	size_t off = 0;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	fn(&pk);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, &off), MSGPACK_UNPACK_SUCCESS);
	cr_assert_eq(json_write(&out, &u.data), 0);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return strbuf_detach(&out);
}

static void str(msgpack_packer *pk, const char *s, size_t n)
{
	msgpack_pack_str(pk, n);
	msgpack_pack_str_body(pk, s, n);
}

#define CHECK(fn, want)                                                     \
	do {                                                                \
		char *got_ = to_json(fn);                                   \
		cr_assert_str_eq(got_, want);                               \
		free(got_);                                                 \
	} while (0)

static void p_scalars(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 7);
	msgpack_pack_nil(pk);
	msgpack_pack_true(pk);
	msgpack_pack_false(pk);
	msgpack_pack_uint64(pk, 0);
	msgpack_pack_int64(pk, -1);
	msgpack_pack_uint64(pk, UINT64_MAX);
	msgpack_pack_int64(pk, INT64_MIN);
}

Test(json, scalars_and_integers_are_exact)
{
	CHECK(p_scalars, "[null,true,false,0,-1,18446744073709551615,-9223372036854775808]");
}

static void p_floats(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 7);
	msgpack_pack_double(pk, 0.1);
	msgpack_pack_double(pk, 1.0);
	msgpack_pack_double(pk, -2.5e-300);
	msgpack_pack_double(pk, NAN);
	msgpack_pack_double(pk, INFINITY);
	msgpack_pack_float(pk, 0.1f);
	msgpack_pack_double(pk, 1.0 / 3.0);
}

Test(json, floats_are_shortest_round_trip_and_non_finite_is_null)
{
	CHECK(p_floats, "[0.1,1.0,-2.5e-300,null,null,0.1,0.3333333333333333]");
}

static void p_escapes(msgpack_packer *pk)
{
	static const char s[] = "a\"b\\c/\n\t\r\b\f\x01\x1f\x7f";

	str(pk, s, sizeof(s) - 1);
}

Test(json, control_characters_quotes_and_backslashes_are_escaped)
{
	CHECK(p_escapes, "\"a\\\"b\\\\c/\\n\\t\\r\\b\\f\\u0001\\u001f\x7f\"");
}

static void p_nul(msgpack_packer *pk)
{
	str(pk, "a\0b", 3);
}

Test(json, nul_byte_is_escaped)
{
	CHECK(p_nul, "\"a\\u0000b\"");
}

static void p_vietnamese(msgpack_packer *pk)
{
	const char *s = "Việc đột phá: Sơn Dương 🚀";

	str(pk, s, strlen(s));
}

Test(json, utf8_passes_through_byte_for_byte)
{
	CHECK(p_vietnamese, "\"Việc đột phá: Sơn Dương 🚀\"");
}

static void p_invalid(msgpack_packer *pk)
{
	/* a stray continuation byte, 0xff, a truncated 3-byte sequence, an
	 * overlong '/', and a surrogate */
	static const char s[] = "a\x80" "b\xff" "c\xe1\xbb" "d\xc0\xaf" "e\xed\xa0\x80";

	str(pk, s, sizeof(s) - 1);
}

Test(json, invalid_utf8_bytes_become_replacement_characters)
{
	CHECK(p_invalid, "\"a\\ufffdb\\ufffdc\\ufffd\\ufffdd\\ufffd\\ufffde\\ufffd\\ufffd\\ufffd\"");
}

static void p_bin(msgpack_packer *pk)
{
	msgpack_pack_array(pk, 5);
	msgpack_pack_bin(pk, 0);
	msgpack_pack_bin_body(pk, "", 0);
	msgpack_pack_bin(pk, 1);
	msgpack_pack_bin_body(pk, "f", 1);
	msgpack_pack_bin(pk, 2);
	msgpack_pack_bin_body(pk, "fo", 2);
	msgpack_pack_bin(pk, 6);
	msgpack_pack_bin_body(pk, "foobar", 6);
	msgpack_pack_bin(pk, 3);
	msgpack_pack_bin_body(pk, "\xff\xfe\x00", 3);
}

Test(json, bin_is_standard_base64)
{
	CHECK(p_bin, "[\"\",\"Zg==\",\"Zm8=\",\"Zm9vYmFy\",\"//4A\"]");
}

static void p_map(msgpack_packer *pk)
{
	msgpack_pack_map(pk, 4);
	str(pk, "items", 5);
	msgpack_pack_array(pk, 2);
	msgpack_pack_map(pk, 0);
	msgpack_pack_array(pk, 0);
	str(pk, "next", 4);
	msgpack_pack_nil(pk);
	msgpack_pack_int(pk, 7);
	str(pk, "int key", 7);
	msgpack_pack_true(pk);
	msgpack_pack_int(pk, 1);
}

Test(json, maps_keep_order_and_non_string_keys_become_strings)
{
	CHECK(p_map, "{\"items\":[{},[]],\"next\":null,\"7\":\"int key\",\"true\":1}");
}

static void p_ext(msgpack_packer *pk)
{
	msgpack_pack_ext(pk, 5, 3);
	msgpack_pack_ext_body(pk, "hello", 5);
}

Test(json, ext_is_type_and_base64_data)
{
	CHECK(p_ext, "{\"ext\":3,\"data\":\"aGVsbG8=\"}");
}

Test(json, write_string_quotes_its_input)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert_eq(json_write_string(&sb, "Đổi mới \"x\"", strlen("Đổi mới \"x\"")), 0);
	cr_assert_str_eq(strbuf_cstr(&sb), "\"Đổi mới \\\"x\\\"\"");
	strbuf_free(&sb);
}
