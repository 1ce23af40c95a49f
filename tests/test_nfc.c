/*
 * test_nfc.c: a request's params in Unicode NFC (server/rpc/nfc.h): the
 * walk of the tree on its own, then through the dispatcher, where what is
 * stored, read back and searched is NFC whatever form the text came in.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "errors.h"
#include "nfc.h"
#include "world.h"

/* "Cải thiện" as macOS saves it (NFD: a base letter, then its marks in
 * canonical order), as some Unikey settings type it (the marks in the
 * order typed), and as it must be stored (NFC). */
#define CAI_THIEN_NFD "Ca\xcc\x89i thie\xcc\xa3\xcc\x82n"
#define CAI_THIEN_TYPED "Ca\xcc\x89i thie\xcc\x82\xcc\xa3n"
#define CAI_THIEN_NFC "C\xe1\xba\xa3i thi\xe1\xbb\x87n"

/* ---- building and reading trees ---- */

static msgpack_sbuffer packed;
static msgpack_unpacked unpacked;

static void start(void)
{
	msgpack_sbuffer_init(&packed);
	msgpack_unpacked_init(&unpacked);
}

static void end(void)
{
	msgpack_unpacked_destroy(&unpacked);
	msgpack_sbuffer_destroy(&packed);
}

static void pack_str(msgpack_packer *pk, const char *s)
{
	msgpack_pack_str_with_body(pk, s, strlen(s));
}

/* The one value packed into `packed`, decoded. */
static const msgpack_object *decoded(void)
{
	cr_assert_eq(msgpack_unpack_next(&unpacked, packed.data, packed.size, NULL),
		     MSGPACK_UNPACK_SUCCESS);
	return &unpacked.data;
}

static const msgpack_object *one_string(const char *s)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, &packed, msgpack_sbuffer_write);
	pack_str(&pk, s);
	return decoded();
}

static bool str_is(const msgpack_object *o, const char *s)
{
	return o->type == MSGPACK_OBJECT_STR && o->via.str.size == strlen(s) &&
	       memcmp(o->via.str.ptr, s, o->via.str.size) == 0;
}

static const msgpack_object *get(const msgpack_object *map, const char *key)
{
	cr_assert_eq(map->type, MSGPACK_OBJECT_MAP);
	for (uint32_t i = 0; i < map->via.map.size; i++)
		if (str_is(&map->via.map.ptr[i].key, key))
			return &map->via.map.ptr[i].val;
	cr_assert_fail("no field %s", key);
	return NULL;
}

/* nfc_params() of in, which must succeed; *zone for the caller to free. */
static const msgpack_object *nfc_of(const msgpack_object *in, msgpack_zone **zone)
{
	struct rpc_error err = {0};
	const msgpack_object *out = NULL;

	*zone = NULL;
	cr_assert_eq(nfc_params(in, &out, zone, &err), RPC_OK, "%s", err.message);
	cr_assert_not_null(out);
	return out;
}

/* utf8proc's own NFC of s, to compare with (malloc'd). */
static char *reference(const char *s)
{
	char *r = (char *)utf8proc_NFC((const utf8proc_uint8_t *)s);

	cr_assert_not_null(r);
	return r;
}

/* ---- the walk ---- */

TestSuite(nfc, .init = start, .fini = end, .timeout = 30);

Test(nfc, nfd_vietnamese_becomes_the_nfc_bytes)
{
	static const char *const forms[] = {CAI_THIEN_NFD, CAI_THIEN_TYPED};

	for (size_t i = 0; i < 2; i++) {
		msgpack_zone *zone;
		const msgpack_object *in, *out;

		end();
		start();
		in = one_string(forms[i]);
		out = nfc_of(in, &zone);
		cr_expect_neq(out, in);
		cr_expect(str_is(out, CAI_THIEN_NFC), "%.*s", (int)out->via.str.size,
			  out->via.str.ptr);
		cr_expect(str_is(in, forms[i]), "the request itself is left as it came");
		cr_expect_not_null(zone);
		msgpack_zone_free(zone);
	}
}

Test(nfc, nfc_and_ascii_strings_come_back_as_they_are_without_allocation)
{
	static const char *const same[] = {CAI_THIEN_NFC, "Chuyen doi so 2025", "",
					   "Tỉnh Thái Nguyên, huyện Sơn Dương – “Đột phá” 日本 한국"};

	for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
		msgpack_zone *zone;
		const msgpack_object *in;

		end();
		start();
		in = one_string(same[i]);
		cr_expect_eq(nfc_of(in, &zone), in, "%s", same[i]);
		cr_expect_null(zone, "%s", same[i]);
	}
}

Test(nfc, a_map_already_nfc_is_the_same_pointer)
{
	msgpack_packer pk;
	const msgpack_object *in;
	msgpack_zone *zone;

	msgpack_packer_init(&pk, &packed, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	pack_str(&pk, "title");
	pack_str(&pk, CAI_THIEN_NFC);
	pack_str(&pk, "owner");
	pack_str(&pk, "C1");
	pack_str(&pk, "percent");
	msgpack_pack_int(&pk, 40);
	pack_str(&pk, "tags");
	msgpack_pack_array(&pk, 2);
	pack_str(&pk, "Đổi mới");
	msgpack_pack_nil(&pk);
	in = decoded();
	cr_expect_eq(nfc_of(in, &zone), in);
	cr_expect_null(zone);
}

Test(nfc, nested_maps_and_arrays_are_copied_on_the_way_to_a_change_only)
{
	msgpack_packer pk;
	const msgpack_object *in, *out, *list, *inner;
	msgpack_zone *zone;

	msgpack_packer_init(&pk, &packed, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 4);
	pack_str(&pk, "code");
	pack_str(&pk, "X1");
	pack_str(&pk, "actions");
	msgpack_pack_array(&pk, 3);
	msgpack_pack_int(&pk, 7);
	msgpack_pack_map(&pk, 2);
	pack_str(&pk, "what");
	pack_str(&pk, "Kie\xcc\x82\xcc\x89m tra"); /* "Kiểm tra", NFD */
	pack_str(&pk, "date");
	pack_str(&pk, "2025-06-30");
	msgpack_pack_array(&pk, 1);
	pack_str(&pk, "Sơn Dương");
	pack_str(&pk, "title");
	pack_str(&pk, CAI_THIEN_NFD);
	pack_str(&pk, "note");
	pack_str(&pk, "Đủ hồ sơ");
	in = decoded();
	out = nfc_of(in, &zone);
	cr_assert_neq(out, in);
	cr_assert_not_null(zone);

	cr_expect(str_is(get(out, "title"), CAI_THIEN_NFC));
	list = get(out, "actions");
	cr_assert_eq(list->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_eq(list->via.array.size, 3);
	cr_expect_neq(list->via.array.ptr, get(in, "actions")->via.array.ptr, "a new array");
	cr_expect_eq(list->via.array.ptr[0].via.i64, 7);
	inner = &list->via.array.ptr[1];
	cr_expect(str_is(get(inner, "what"), "Ki\xe1\xbb\x83m tra"));
	cr_expect(str_is(get(inner, "date"), "2025-06-30"));
	/* What did not change is shared with the request, not copied. */
	cr_expect_eq(get(out, "code")->via.str.ptr, get(in, "code")->via.str.ptr);
	cr_expect_eq(get(out, "note")->via.str.ptr, get(in, "note")->via.str.ptr);
	cr_expect_eq(list->via.array.ptr[2].via.array.ptr,
		     get(in, "actions")->via.array.ptr[2].via.array.ptr);
	/* The keys are the request's own, in the same order. */
	for (uint32_t i = 0; i < out->via.map.size; i++)
		cr_expect_eq(out->via.map.ptr[i].key.via.str.ptr, in->via.map.ptr[i].key.via.str.ptr);
	/* And the request is untouched. */
	cr_expect(str_is(get(in, "title"), CAI_THIEN_NFD));
	msgpack_zone_free(zone);
}

Test(nfc, keys_binary_and_invalid_utf8_are_left_alone)
{
	static const char nfd[] = CAI_THIEN_NFD;
	msgpack_packer pk;
	const msgpack_object *in;
	msgpack_zone *zone;

	msgpack_packer_init(&pk, &packed, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 3);
	pack_str(&pk, "ke\xcc\x82y"); /* not a field name the server knows */
	msgpack_pack_int(&pk, 1);
	pack_str(&pk, "chunk");
	msgpack_pack_bin_with_body(&pk, nfd, sizeof(nfd) - 1);
	pack_str(&pk, "title");
	pack_str(&pk, "Ca\xcc\x89i \xff"); /* NFD, but not UTF-8: params_text refuses it */
	in = decoded();
	cr_expect_eq(nfc_of(in, &zone), in);
	cr_expect_null(zone);
}

/* Fragments a long text is made of: ASCII, Vietnamese in both forms, marks
 * on their own, Hangul (composed and as jamo), a singleton (U+212B Å) and
 * a composition exclusion (U+0958), so NFC of the whole must be right
 * wherever the pieces of the check fall. */
static const char *const bits[] = {
	" ",	      "a",	      "Chuyển đổi số ", "e\xcc\xa3\xcc\x82", "\xe1\xbb\x87",
	"\xcc\x82",   "\xcc\xa3",     "o\xcc\x9b\xcc\x80", "한",		      "\xe1\x84\x92\xe1\x85\xa1",
	"\xe2\x84\xab", "\xe0\xa5\x98", "ĐỘT PHÁ",	      "\n",		      "ư",
};

/* A text of about `len` bytes drawn from bits[] by a fixed sequence;
 * with `wide` no ASCII at all (one long run the check cannot cut). */
static char *text_of(size_t len, unsigned seed, bool wide)
{
	char *s = malloc(len + 64);
	size_t n = 0;

	cr_assert_not_null(s);
	while (n < len) {
		const char *b;

		seed = seed * 1103515245u + 12345u;
		b = bits[(seed >> 16) % (sizeof(bits) / sizeof(bits[0]))];
		if (wide && (unsigned char)b[0] < 0x80)
			b = "\xe1\xbb\x87";
		memcpy(s + n, b, strlen(b));
		n += strlen(b);
	}
	s[n] = '\0';
	return s;
}

Test(nfc, long_texts_agree_with_utf8proc_wherever_the_pieces_fall)
{
	for (unsigned seed = 1; seed <= 60; seed++) {
		char *s = text_of(seed * 97, seed, seed % 5 == 0);
		char *want = reference(s);
		msgpack_zone *zone;
		const msgpack_object *in, *out;

		end();
		start();
		in = one_string(s);
		out = nfc_of(in, &zone);
		cr_expect(str_is(out, want), "seed %u", seed);
		cr_expect_eq(out == in, strcmp(s, want) == 0, "seed %u", seed);
		cr_expect_eq(zone == NULL, strcmp(s, want) == 0, "seed %u", seed);
		msgpack_zone_free(zone);
		free(want);
		free(s);
	}
}

/* A long text already NFC comes back as it is: checked in pieces on the
 * stack when it has ASCII to cut at, by utf8proc_map() (a buffer of its
 * own, freed) when it has none; no zone either way. */
Test(nfc, a_long_nfc_text_comes_back_as_it_is_with_or_without_ascii)
{
	char *s = text_of(20000, 7, false);
	char *nfc = reference(s);
	msgpack_zone *zone;
	const msgpack_object *in;

	in = one_string(nfc);
	cr_expect_eq(nfc_of(in, &zone), in);
	cr_expect_null(zone);
	free(nfc);
	free(s);

	s = text_of(5000, 9, true); /* no ASCII: checked by utf8proc_map() */
	nfc = reference(s);
	end();
	start();
	in = one_string(nfc);
	cr_expect_eq(nfc_of(in, &zone), in);
	cr_expect_null(zone);
	free(nfc);
	free(s);
}

/* ---- through the dispatcher ---- */

TestSuite(nfc_stored, .init = world_setup, .fini = world_teardown, .timeout = 60);

static int64_t task_titled(const char *title)
{
	return I(OK("task.create", "s:title", title, "s:kind", "breakthrough", "s:field",
		    "socio_economic", "s:owner", "C1", "s:term", "T1", "s:product",
		    "Cổng dịch vu\xcc\xa3 công", "s:due_date", "2025-06-30", NULL),
		 "id");
}

Test(nfc_stored, a_task_created_with_an_nfd_title_reads_back_in_nfc)
{
	const msgpack_object *t;
	int64_t id;

	make_world();
	id = task_titled(CAI_THIEN_NFD " thủ tục hành chính");
	t = get_task(id);
	cr_expect_str_eq(S(t, "title"), CAI_THIEN_NFC " thủ tục hành chính");
	cr_expect_str_eq(S(t, "product"), "Cổng dịch vụ công");
	OK("task.update", "i:task", num(id), "s:title", CAI_THIEN_TYPED, NULL);
	cr_expect_str_eq(S(get_task(id), "title"), CAI_THIEN_NFC);
	/* The audit trail keeps what was stored. */
	cr_expect_str_eq(S(field(audit_newest(id), "after"), "title"), CAI_THIEN_NFC);
}

Test(nfc_stored, a_unit_named_in_nfd_is_found_by_its_code_in_nfc)
{
	const msgpack_object *u;

	make_world();
	/* Codes are ASCII (PROTOCOL.md 3); names and levels are text. */
	OK("unit.create", "s:code", "X1", "s:name", "Xa\xcc\x83 " CAI_THIEN_NFD, "s:level",
	   "xa\xcc\x83", "s:parent", "H1", NULL);
	u = OK("unit.get", "s:unit", "X1", NULL);
	cr_expect_str_eq(S(u, "name"), "Xã " CAI_THIEN_NFC);
	cr_expect_str_eq(S(u, "level"), "xã");
}

Test(nfc_stored, search_finds_an_nfd_title_asked_in_either_form)
{
	static const char *const asked[] = {CAI_THIEN_NFC, CAI_THIEN_NFD, CAI_THIEN_TYPED,
					    "cai thien"};
	int64_t id;

	make_world();
	new_task(); /* "Chuyển đổi số": matches none of the words */
	id = task_titled(CAI_THIEN_NFD " môi trường đầu tư");
	for (size_t i = 0; i < sizeof(asked) / sizeof(asked[0]); i++) {
		const msgpack_object *r = OK("search.query", "s:text", asked[i], NULL);

		cr_assert_eq(I(r, "total"), 1, "%s", asked[i]);
		cr_expect_eq(I(item(r, 0), "id"), id, "%s", asked[i]);
		cr_expect_str_eq(S(item(r, 0), "title"), CAI_THIEN_NFC " môi trường đầu tư");
	}
}

Test(nfc_stored, nfd_text_that_is_not_utf8_is_still_refused_naming_the_field)
{
	make_world();
	cr_expect_eq(FAILS("task.create", "s:title", "Ca\xcc\x89i \xff", "s:kind", "breakthrough",
			   "s:field", "socio_economic", "s:owner", "C1", "s:term", "T1",
			   "s:product", "X", "s:due_date", "2025-06-30", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect(strncmp(world_last.message, "title:", 6) == 0, "%s", world_last.message);
}
