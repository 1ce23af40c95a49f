/*
 * test_search.c: search.query (PROTOCOL.md 6h): the folding of Vietnamese
 * text (fold.h), snippets, and the search over a task's texts typed with
 * or without diacritics, the index following every edit, within scope.
 */
#include <criterion/criterion.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db_schema.h"
#include "db_search.h"
#include "errors.h"
#include "fold.h"
#include "snippet.h"
#include "world.h"

static const char *folded(const char *s)
{
	static char out[4][512];
	static int k;
	char *o = out[k++ % 4];

	fold_text(s, strlen(s), o, NULL);
	return o;
}

/* ---- folding ---- */

Test(fold, every_vietnamese_vowel_with_every_tone_loses_its_marks)
{
	/* Each family: the vowel with no tone, huyền, sắc, hỏi, ngã, nặng. */
	static const struct {
		const char *lower, *upper, *base;
	} families[] = {
		{"aàáảãạ", "AÀÁẢÃẠ", "aaaaaa"}, {"ăằắẳẵặ", "ĂẰẮẲẴẶ", "aaaaaa"},
		{"âầấẩẫậ", "ÂẦẤẨẪẬ", "aaaaaa"}, {"eèéẻẽẹ", "EÈÉẺẼẸ", "eeeeee"},
		{"êềếểễệ", "ÊỀẾỂỄỆ", "eeeeee"}, {"iìíỉĩị", "IÌÍỈĨỊ", "iiiiii"},
		{"oòóỏõọ", "OÒÓỎÕỌ", "oooooo"}, {"ôồốổỗộ", "ÔỒỐỔỖỘ", "oooooo"},
		{"ơờớởỡợ", "ƠỜỚỞỠỢ", "oooooo"}, {"uùúủũụ", "UÙÚỦŨỤ", "uuuuuu"},
		{"ưừứửữự", "ƯỪỨỬỮỰ", "uuuuuu"}, {"yỳýỷỹỵ", "YỲÝỶỸỴ", "yyyyyy"},
	};

	for (size_t i = 0; i < sizeof(families) / sizeof(families[0]); i++) {
		cr_expect_str_eq(folded(families[i].lower), families[i].base, "%s", families[i].lower);
		cr_expect_str_eq(folded(families[i].upper), families[i].base, "%s", families[i].upper);
	}
}

Test(fold, d_with_stroke_is_d_in_both_cases)
{
	cr_expect_str_eq(folded("đ"), "d");
	cr_expect_str_eq(folded("Đ"), "d");
	cr_expect_str_eq(folded("ĐỘT PHÁ"), "dot pha");
	cr_expect_str_eq(folded("đột phá"), "dot pha");
	cr_expect_str_eq(folded("Sơn Dương"), "son duong");
	cr_expect_str_eq(folded("Đổi mới"), "doi moi");
}

Test(fold, ascii_is_lowercased_and_other_characters_kept)
{
	cr_expect_str_eq(folded("DDCI 2025, VietGAP!"), "ddci 2025, vietgap!");
	cr_expect_str_eq(folded("日本 ß €"), "日本 ß €");
	/* Punctuation beyond ASCII separates words as ASCII's does. */
	cr_expect_str_eq(folded("«đột phá» – “mới”…\xc2\xa0x"), " dot pha     moi   x");
	cr_expect_str_eq(folded(""), "");
}

Test(fold, combining_marks_typed_apart_are_dropped)
{
	/* "Sơn" as S, o, combining horn, n; "hồ" as h, o, circumflex, grave. */
	cr_expect_str_eq(folded("So\xcc\x9bn"), "son");
	cr_expect_str_eq(folded("ho\xcc\x82\xcc\x80"), "ho");
}

Test(fold, invalid_utf8_becomes_spaces_and_never_grows)
{
	static const char bad[] = "a\xff" "b\xc3" "c\xe1\xbb" "\xed\xa0\x80" "\xc0\xaf";
	char out[sizeof(bad)];
	size_t n = fold_text(bad, sizeof(bad) - 1, out, NULL);

	cr_assert_leq(n, sizeof(bad) - 1);
	cr_expect_str_eq(out, "a b c       ");
}

Test(fold, the_map_leads_back_to_the_original_bytes)
{
	const char *s = "Sơn Dương";
	char out[32];
	size_t map[32];
	size_t n = fold_text(s, strlen(s), out, map);

	cr_assert_str_eq(out, "son duong");
	cr_expect_eq(map[0], 0);
	cr_expect_eq(map[1], 1); /* ơ: two bytes */
	cr_expect_eq(map[2], 3);
	cr_expect_eq(map[4], 5); /* D */
	cr_expect_eq(map[n], strlen(s));
}

/* ---- terms and snippets ---- */

Test(snippet, terms_are_folded_words_the_last_a_prefix)
{
	struct search_terms t;

	cr_assert_eq(search_terms_parse("  ĐỘT, phá! ", 14, &t), 2);
	cr_expect_str_eq(t.term[0], "dot");
	cr_expect_str_eq(t.term[1], "pha");
	cr_expect_str_eq(t.match, "\"dot\" \"pha\"*");
	cr_expect_str_eq(t.whole, "\"dot\" \"pha\"", "the same, every word whole");
	cr_expect_eq(search_terms_parse("?!", 2, &t), 0);
	cr_expect_eq(search_terms_parse("a b c d e f g h i j k l m n o p q", 33, &t), -1);
}

Test(snippet, shows_the_original_text_with_the_matches_bracketed)
{
	static const char text[] = "Hộ nghèo tại xã Tân Trào, huyện Sơn Dương";
	struct search_terms t;
	char out[SNIPPET_MAX];

	search_terms_parse("son duong", 9, &t);
	cr_assert_eq(snippet_make(text, strlen(text), &t, out), 2);
	cr_expect_str_eq(out, "Hộ nghèo tại xã Tân Trào, huyện [Sơn] [Dương]");
	search_terms_parse("xa", 2, &t);
	cr_expect_eq(snippet_make("không có", 10, &t, out), 0);
	/* Only the last term may be the beginning of a word. */
	search_terms_parse("pha son", 7, &t);
	cr_expect_eq(snippet_make("Sản phẩm Sơn Dương", strlen("Sản phẩm Sơn Dương"), &t, out), 1);
	cr_expect_str_eq(out, "Sản phẩm [Sơn] Dương");
	search_terms_parse("san pha", 7, &t);
	cr_expect_eq(snippet_make("Sản phẩm", strlen("Sản phẩm"), &t, out), 2);
	cr_expect_str_eq(out, "[Sản] [phẩ]m");
}

Test(snippet, a_long_text_is_cut_at_words_around_the_first_match)
{
	char text[2000] = "";
	struct search_terms t;
	char out[SNIPPET_MAX];

	for (int i = 0; i < 30; i++)
		strcat(text, "việc khó ");
	strcat(text, "Đột phá ");
	for (int i = 0; i < 60; i++)
		strcat(text, "điểm nghẽn ");
	search_terms_parse("dot pha", 7, &t);
	cr_assert_eq(snippet_make(text, strlen(text), &t, out), 2);
	cr_expect(strncmp(out, "…việc", strlen("…việc")) == 0 ||
		  strncmp(out, "…khó", strlen("…khó")) == 0, "%s", out);
	cr_expect(strstr(out, "[Đột] [phá]"), "%s", out);
	cr_expect(strcmp(out + strlen(out) - strlen("…"), "…") == 0, "%s", out);
}

/* ---- search.query ---- */

TestSuite(search, .init = world_setup, .fini = world_teardown, .timeout = 120);

/* search.query of text as who: the result (must succeed). */
static const msgpack_object *find_as(struct identity *who, const char *text)
{
	return OK_AS(who, "search.query", "s:text", text, NULL);
}

/* The rank (1-based) of task id in search result r, 0 if absent. */
static int64_t rank_of(const msgpack_object *r, int64_t id)
{
	for (uint32_t i = 0; i < count_items(r); i++)
		if (I(item(r, i), "id") == id)
			return I(item(r, i), "rank");
	return 0;
}

static void set_title(int64_t task, const char *title)
{
	OK("task.update", "i:task", num(task), "s:title", title, NULL);
}

Test(search, finds_with_and_without_diacritics_d_included)
{
	const msgpack_object *r;
	int64_t task;

	make_world();
	task = new_task();
	new_task(); /* "Chuyển đổi số": matches none of the words below */
	set_title(task, "Giảm nghèo bền vững tại huyện Sơn Dương");
	static const char *const texts[] = {"son duong", "Sơn Dương", "SƠN DƯƠNG", "sơn dươ", "SON D"};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++) {
		r = find_as(&admin, texts[i]);
		cr_expect_eq(I(r, "total"), 1, "%s", texts[i]);
		cr_expect_eq(rank_of(r, task), 1, "%s", texts[i]);
	}
	r = find_as(&admin, "son duong");
	cr_expect_str_eq(S(item(r, 0), "where"), "title");
	cr_expect_str_eq(S(item(r, 0), "snippet"), "Giảm nghèo bền vững tại huyện [Sơn] [Dương]");
	cr_expect_str_eq(S(item(r, 0), "title"), "Giảm nghèo bền vững tại huyện Sơn Dương");
	cr_expect_str_eq(S(item(r, 0), "unit_code"), "H1");
	cr_expect_str_eq(S(item(r, 0), "term"), "T1");
	cr_expect_str_eq(S(item(r, 0), "state"), "registered");
	/* đ is found as d, and as đ. */
	set_title(task, "Giảm nghèo bền vững tại huyện Sơn Dương, đột phá");
	cr_expect_eq(I(find_as(&admin, "dot pha"), "total"), 1);
	cr_expect_eq(I(find_as(&admin, "ĐỘT PHÁ"), "total"), 1);
	cr_expect_eq(I(find_as(&admin, "đột phá"), "total"), 1);
	cr_expect_eq(I(find_as(&admin, "đột phá sơn dương"), "total"), 1);
	set_title(task, "Giảm nghèo bền vững tại huyện Sơn Dương");
	/* The kind is a filter (`kind`), not words: both tasks are breakthroughs. */
	cr_expect_eq(I(find_as(&admin, "dot pha"), "total"), 0);
	cr_expect_eq(I(find_as(&admin, "việc đổi mới"), "total"), 0);
	cr_expect_eq(I(find_as(&admin, "dương sơn huyện"), "total"), 1, "the order of words is free");
	cr_expect_eq(I(find_as(&admin, "son duong ha giang"), "total"), 0, "every word is needed");
	/* Words are whole but the last, which may be still being typed. */
	cr_expect_eq(I(find_as(&admin, "huyen son d"), "total"), 1);
	cr_expect_eq(I(find_as(&admin, "huy son duong"), "total"), 0);
	/* A word the tokenizer sees none in finds nothing and breaks nothing. */
	cr_expect_eq(I(find_as(&admin, "😀"), "total"), 0);
	cr_expect_eq(I(find_as(&admin, "sơn 😀 dương"), "total"), 1);
	cr_expect_eq(I(find_as(&admin, "AND OR NOT NEAR(\"x\")"), "total"), 0);
}

Test(search, the_index_follows_edits_of_the_task_its_plan_and_its_updates)
{
	const msgpack_object *r;
	int64_t task, step;

	make_world();
	task = new_task();
	set_title(task, "Đường giao thông xã Thái Sơn");
	cr_expect_eq(I(find_as(&admin, "thai son"), "total"), 1);
	set_title(task, "Nước sạch vùng cao");
	cr_expect_eq(I(find_as(&admin, "thai son"), "total"), 0, "the old title is gone");
	cr_expect_eq(I(find_as(&admin, "nuoc sach"), "total"), 1);
	OK("task.update", "i:task", num(task), "s:description", "Khó khăn về địa hình", NULL);
	r = find_as(&admin, "dia hinh");
	cr_assert_eq(I(r, "total"), 1);
	cr_expect_str_eq(S(item(r, 0), "where"), "description");

	drive(task, "in_progress");
	step = I(OK_AS(&office1, "plan.add", "i:task", num(task), "s:what",
		       "Khảo sát nguồn nước Đầm Hồng", NULL),
		 "id");
	r = find_as(&admin, "dam hong");
	cr_assert_eq(I(r, "total"), 1);
	cr_expect_str_eq(S(item(r, 0), "where"), "step");
	cr_expect_str_eq(S(item(r, 0), "snippet"), "Khảo sát nguồn nước [Đầm] [Hồng]");
	OK_AS(&office1, "plan.update", "i:step", num(step), "s:what", "Khảo sát nguồn nước Bản Ba",
	      NULL);
	cr_expect_eq(I(find_as(&admin, "dam hong"), "total"), 0, "the step's old text is gone");
	cr_expect_eq(I(find_as(&admin, "ban ba"), "total"), 1);
	OK_AS(&office1, "plan.remove", "i:step", num(step), NULL);
	cr_expect_eq(I(find_as(&admin, "ban ba"), "total"), 0, "a removed step is not searched");

	OK_AS(&office1, "update.create", "i:task", num(task), "i:percent", "20", "s:done",
	      "Đã lắp đặt đường ống tại thôn Khuổi Phầy", NULL);
	r = find_as(&admin, "khuoi phay");
	cr_assert_eq(I(r, "total"), 1);
	cr_expect_eq(I(item(r, 0), "id"), task);
	cr_expect_str_eq(S(item(r, 0), "where"), "update");
	cr_expect_str_eq(S(item(r, 0), "snippet"), "Đã lắp đặt đường ống tại thôn [Khuổi] [Phầy]");

	/* An amendment approved changes the title the index holds. */
	OK_AS(&office1, "amendment.propose", "i:task", num(task), "s:title", "Cấp nước Yên Sơn",
	      "s:reason", "Mở rộng", NULL);
	cr_expect_eq(I(find_as(&admin, "yen son"), "total"), 0, "a proposal changes nothing yet");
	OK("amendment.approve", "i:amendment",
	   num(I(item(OK("amendment.list", "i:task", num(task), NULL), 0), "id")), NULL);
	cr_expect_eq(I(find_as(&admin, "yen son"), "total"), 1);
	cr_expect_eq(I(find_as(&admin, "nuoc sach vung"), "total"), 0, "the old title is gone");
}

Test(search, a_title_match_ranks_before_a_progress_note)
{
	const msgpack_object *r;
	int64_t in_note, in_title;

	make_world();
	in_note = task_in("in_progress");
	in_title = new_task();

	set_title(in_title, "Bảo tồn hang Thẩm Nặm");
	OK_AS(&office1, "update.create", "i:task", num(in_note), "i:percent", "10", "s:done",
	      "Đã họp bàn về du lịch hang Thẩm Nặm", NULL);
	r = find_as(&admin, "tham nam");
	cr_assert_eq(I(r, "total"), 2);
	cr_expect_eq(rank_of(r, in_title), 1);
	cr_expect_eq(rank_of(r, in_note), 2);
	r = OK("search.query", "s:text", "tham nam", "i:limit", "1", NULL);
	cr_expect_eq(count_items(r), 1);
	cr_expect_eq(I(r, "total"), 2);
}

Test(search, an_office_sees_only_the_tasks_of_its_scope)
{
	int64_t h1, h2;

	make_world();
	h1 = new_task_of("C1", NULL);
	h2 = new_task_of("C2", NULL);
	set_title(h1, "Xây dựng chợ Na Hang");
	set_title(h2, "Xây dựng chợ Lâm Bình");
	cr_expect_eq(I(find_as(&admin, "xay dung cho"), "total"), 2);
	cr_expect_eq(rank_of(find_as(&office1, "xay dung cho"), h1), 1);
	cr_expect_eq(I(find_as(&office1, "xay dung cho"), "total"), 1);
	cr_expect_eq(I(find_as(&office1, "lam binh"), "total"), 0);
	cr_expect_eq(I(find_as(&viewer1, "lam binh"), "total"), 0);
	cr_expect_eq(I(find_as(&office2, "lam binh"), "total"), 1);
	cr_expect_eq(I(find_as(&sup_tinh, "xay dung cho"), "total"), 2);
	cr_expect_eq(I(OK("search.query", "s:text", "cho", "s:unit", "H2", NULL), "total"), 1);
	cr_expect_eq(I(OK("search.query", "s:text", "cho", "s:term", "T2", NULL), "total"), 0);
	cr_expect_eq(FAILS_AS(&office1, "search.query", "s:text", "cho", "s:unit", "H2", NULL),
		     RPC_NOT_FOUND);
}

/* The order of PROTOCOL.md 6h: the title, then the task's own texts, then
 * its updates; newest first in each; a task once, in its first place. */
Test(search, the_order_is_title_then_own_texts_then_updates_each_newest_first)
{
	const msgpack_object *r;
	int64_t title_old, title_new, in_desc, note_old_task, note_new_task;

	make_world();
	note_new_task = task_in("in_progress");
	note_old_task = task_in("in_progress");
	title_old = new_task();
	title_new = new_task();
	in_desc = new_task(); /* the newest task of all, but matched in its description */
	set_title(title_old, "Chợ phiên Khau Vai");
	set_title(title_new, "Lễ hội Khau Vai");
	OK("task.update", "i:task", num(in_desc), "s:description", "Gắn với chợ Khau Vai", NULL);
	/* The older task has the newer update: updates go by the update. */
	OK_AS(&office1, "update.create", "i:task", num(note_new_task), "i:percent", "10", "s:done",
	      "Đã khảo sát chợ Khau Vai", NULL);
	OK_AS(&office1, "update.create", "i:task", num(note_old_task), "i:percent", "10", "s:done",
	      "Đã họp với ban quản lý Khau Vai", NULL);
	drive(title_old, "in_progress");
	OK_AS(&office1, "update.create", "i:task", num(title_old), "i:percent", "10", "s:done",
	      "Khau Vai đã có mặt bằng", NULL);

	r = find_as(&admin, "khau vai");
	cr_assert_eq(I(r, "total"), 5, "a task found twice counts once");
	cr_expect(!flag(r, "total_capped"));
	cr_assert_eq(count_items(r), 5);
	cr_expect_eq(rank_of(r, title_new), 1);
	cr_expect_eq(rank_of(r, title_old), 2);
	cr_expect_eq(rank_of(r, in_desc), 3);
	cr_expect_eq(rank_of(r, note_old_task), 4);
	cr_expect_eq(rank_of(r, note_new_task), 5);
	cr_expect_str_eq(S(item(r, 2), "where"), "description");
	cr_expect_str_eq(S(item(r, 3), "where"), "update");
	cr_expect_str_eq(S(item(r, 3), "snippet"), "Đã họp với ban quản lý [Khau] [Vai]");
	/* The last word may begin a word of a task's own texts; in an update
	 * every word is whole. */
	r = find_as(&admin, "khau va");
	cr_expect_eq(I(r, "total"), 3);
	cr_expect_eq(rank_of(r, title_new), 1);
	cr_expect_eq(rank_of(r, note_old_task), 0);
}

Test(search, the_kind_is_a_filter_checked_against_the_kinds)
{
	const msgpack_object *r;
	int64_t b, i;

	make_world();
	b = new_task();
	i = new_task();
	OK("task.update", "i:task", num(i), "s:kind", "innovation", NULL);
	set_title(b, "Đường lên cột cờ Lũng Cú");
	set_title(i, "Du lịch cột cờ Lũng Cú");
	cr_expect_eq(I(find_as(&admin, "lung cu"), "total"), 2);
	r = OK("search.query", "s:text", "lung cu", "s:kind", "breakthrough", NULL);
	cr_expect_eq(I(r, "total"), 1);
	cr_expect_eq(rank_of(r, b), 1);
	cr_expect_str_eq(S(item(r, 0), "kind"), "breakthrough");
	r = OK("search.query", "s:text", "lung cu", "s:kind", "innovation", NULL);
	cr_expect_eq(I(r, "total"), 1);
	cr_expect_eq(rank_of(r, i), 1);
	/* In an update too. */
	drive(i, "in_progress");
	OK_AS(&office1, "update.create", "i:task", num(i), "i:percent", "10", "s:done",
	      "Đã đón đoàn khảo sát Mã Pì Lèng", NULL);
	cr_expect_eq(I(OK("search.query", "s:text", "ma pi leng", "s:kind", "innovation", NULL),
		       "total"),
		     1);
	cr_expect_eq(I(OK("search.query", "s:text", "ma pi leng", "s:kind", "breakthrough", NULL),
		       "total"),
		     0);
	/* Only a kind that exists, as its code. */
	static const char *const bad[] = {"việc đột phá", "Breakthrough", "đột phá"};
	for (size_t k = 0; k < sizeof(bad) / sizeof(bad[0]); k++) {
		cr_expect_eq(FAILS("search.query", "s:text", "lung cu", "s:kind", bad[k], NULL),
			     RPC_INVALID_ARGUMENT, "'%s'", bad[k]);
		cr_expect(strstr(world_last.message, "kind") &&
				  strstr(world_last.message, "breakthrough, innovation"),
			  "%s", world_last.message);
	}
	cr_expect_eq(FAILS("search.query", "s:text", "lung cu", "s:kind", "", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect(strstr(world_last.message, "kind"), "%s", world_last.message);
	cr_expect_eq(FAILS("search.query", "s:text", "lung cu", "i:kind", "1", NULL),
		     RPC_INVALID_ARGUMENT);
}

/* A task of C1 titled title; its id. */
static int64_t titled_task(const char *title)
{
	return I(OK("task.create", "s:title", title, "s:kind", "innovation", "s:field",
		    "livelihood", "s:owner", "C1", "s:term", "T1", "s:product", "Nhà văn hóa",
		    "s:due_date", "2025-06-30", NULL),
		 "id");
}

Test(search, the_count_stops_past_the_cap_and_says_so)
{
	const msgpack_object *r;
	int64_t newest = 0;

	make_world();
	for (int k = 0; k < SEARCH_CAP; k++)
		newest = titled_task("Nhà văn hóa thôn Nà Pồng");
	r = find_as(&admin, "na pong");
	cr_expect_eq(I(r, "total"), SEARCH_CAP);
	cr_expect(!flag(r, "total_capped"), "exactly the cap is counted whole");
	cr_expect_eq(count_items(r), 50);
	cr_expect_eq(rank_of(r, newest), 1);

	newest = titled_task("Nhà văn hóa thôn Nà Pồng");
	r = find_as(&admin, "na pong");
	cr_expect_eq(I(r, "total"), SEARCH_CAP);
	cr_expect(flag(r, "total_capped"), "one more: the count says more than the cap");
	cr_expect_eq(count_items(r), 50);
	cr_expect_eq(rank_of(r, newest), 1);
	cr_expect_eq(I(item(r, 49), "id"), newest - 49, "newest first");
	r = OK("search.query", "s:text", "na pong", "i:limit", "200", NULL);
	cr_expect_eq(count_items(r), 200);
	cr_expect(flag(r, "total_capped"));
	/* A filter that leaves fewer counts them all again. */
	r = OK("search.query", "s:text", "na pong", "s:unit", "H2", NULL);
	cr_expect_eq(I(r, "total"), 0);
	cr_expect(!flag(r, "total_capped"));
}

Test(search, bad_params_are_refused_with_the_field_named)
{
	static const char *const bad[][2] = {
		{"", "must not be empty"},
		{"   ", "must not be empty"},
		{"?! …", "no word"},
		{"a b c d e f g h i j k l m n o p q", "at most 16 words"},
	};
	char longer[260];

	make_world();
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(FAILS("search.query", "s:text", bad[i][0], NULL), RPC_INVALID_ARGUMENT,
			     "'%s'", bad[i][0]);
		cr_expect(strstr(world_last.message, "text") &&
				  strstr(world_last.message, bad[i][1]),
			  "%s", world_last.message);
	}
	memset(longer, 'a', sizeof(longer) - 1);
	longer[sizeof(longer) - 1] = '\0';
	cr_expect_eq(FAILS("search.query", "s:text", longer, NULL), RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("search.query", NULL), RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("search.query", "s:text", "cho", "i:limit", "0", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("search.query", "s:text", "cho", "i:limit", "201", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_expect_eq(FAILS("search.query", "s:text", "cho", "s:unit", "NOWHERE", NULL),
		     RPC_NOT_FOUND);
	cr_expect_eq(FAILS("search.query", "s:text", "cho", "s:colour", "red", NULL),
		     RPC_INVALID_ARGUMENT);
}

/* Runs sql on a second connection, without dp_fold, as someone with the
 * file but not the daemon would; SQLite's result code. */
static int behind_the_back(const char *sql)
{
	sqlite3 *conn;
	int rc;

	cr_assert_eq(sqlite3_open(world_db_path(), &conn), SQLITE_OK);
	sqlite3_busy_timeout(conn, 2000);
	rc = sqlite3_exec(conn, sql, NULL, NULL, NULL);
	sqlite3_close(conn);
	return rc;
}

Test(search, a_writer_without_the_folding_cannot_change_the_texts_and_check_sees_the_index)
{
	struct rpc_error err = {0};
	int64_t tasks = -1, updates = -1, task;

	make_world();
	task = task_in("in_progress");
	OK_AS(&office1, "update.create", "i:task", num(task), "i:percent", "10", "s:done", "Đã họp",
	      NULL);
	cr_assert_eq(db_search_check(world_db, &tasks, &updates, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(tasks, 0);
	cr_expect_eq(updates, 0);
	/* The triggers need dp_fold: a plain connection cannot leave the index behind. */
	cr_expect_neq(behind_the_back("UPDATE tasks SET title = 'Khác' WHERE id = 1"), SQLITE_OK);
	cr_expect_eq(I(find_as(&admin, "khac"), "total"), 0);
	/* What only writes behind the triggers' back does, --check's count names. */
	cr_assert_eq(behind_the_back("DELETE FROM search_tasks WHERE rowid = 1;"
				     "INSERT INTO search_updates (rowid, body) VALUES (999, 'x')"),
		     SQLITE_OK);
	cr_assert_eq(db_search_check(world_db, &tasks, &updates, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(tasks, 1);
	cr_expect_eq(updates, 1);
}

/* ---- migrations 10 and 21 ---- */

/* A database at path at schema `version`, as an older dotphad left it, with
 * one task (a breakthrough, with a plan step) and one update. */
static void old_database(const char *path, int version)
{
	char bump[48];
	sqlite3 *conn;

	cr_assert_eq(sqlite3_open(path, &conn), SQLITE_OK);
	cr_assert_eq(db_search_functions(conn), SQLITE_OK); /* as dotphad's triggers need */
	for (int v = 1; v <= version; v++)
		cr_assert_eq(sqlite3_exec(conn, db_schema_migration(v), NULL, NULL, NULL), SQLITE_OK,
			     "migration %d: %s", v, sqlite3_errmsg(conn));
	snprintf(bump, sizeof(bump), "PRAGMA user_version = %d", version);
	cr_assert_eq(sqlite3_exec(conn, bump, NULL, NULL, NULL), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn,
				  "INSERT INTO units (id, code, level, created_at) VALUES (1, 'U', 'tỉnh', 'x');"
				  "INSERT INTO terms (id, code, name, kind, start_date, end_date)"
				  " VALUES (1, 'T', 'T', 'term', '2021-01-01', '2025-12-31');"
				  "INSERT INTO tasks (id, title, kind, field, owner_id, unit_id, term_id,"
				  " assigned_by, product, due_date, created_at, updated_at) VALUES (1,"
				  " 'Đường về xã Đội Bình', 'breakthrough', 'livelihood', 1, 1, 1, 1, 'Đường',"
				  " '2025-01-01', 'x', 'x');"
				  "INSERT INTO plan_steps (task_id, position, what, created_at, updated_at)"
				  " VALUES (1, 1, 'Giải phóng mặt bằng', 'x', 'x');"
				  "INSERT INTO updates (task_id, percent, done, reported_at)"
				  " VALUES (1, 5, 'Đã đo đạc', 'x');",
				  NULL, NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(conn));
	/* From 14 on, an update waits to be indexed until its COMMIT, which
	 * dotphad makes only after db_search_flush has indexed it. */
	if (version >= 14)
		cr_assert_eq(sqlite3_exec(conn,
					  "INSERT INTO search_updates (rowid, body) SELECT u.id,"
					  " dp_fold(u.done || ' ' || u.difficulties || ' ' || u.proposals)"
					  " FROM search_updates_pending p JOIN updates u ON u.id = p.id;"
					  "DELETE FROM search_updates_pending;",
					  NULL, NULL, NULL),
			     SQLITE_OK, "%s", sqlite3_errmsg(conn));
	sqlite3_close(conn);
}

/* search.query's total for text on db, straight from db_search. */
static int64_t total_on(struct db *db, const char *text, const char *kind)
{
	struct rpc_error err = {0};
	struct search_terms terms;
	struct search_filter f = {.terms = &terms, .today = "2026-01-01", .kind = kind, .limit = 10};
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	int64_t total;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	cr_assert_gt(search_terms_parse(text, strlen(text), &terms), 0);
	cr_assert_eq(db_search(db, &f, &pk, &err), RPC_OK, "%s", err.message);
	msgpack_unpacked_init(&u);
	cr_assert_eq(msgpack_unpack_next(&u, sb.data, sb.size, NULL), MSGPACK_UNPACK_SUCCESS);
	total = I(&u.data, "total");
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return total;
}

/* Opens the database at path written at schema `version`, which migrates
 * it, checks its index is in step, and runs fn on it; then removes it. */
static void migrated_from(int version, void (*fn)(struct db *db))
{
	char dir[] = "/tmp/dotpha-search-XXXXXX", path[64], why[256];
	struct rpc_error err = {0};
	int64_t tasks = -1, updates = -1;
	struct db *db;

	cr_assert_not_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/old.db", dir);
	old_database(path, version);
	cr_assert_eq(db_open(&db, path, why, sizeof(why)), 0, "%s", why);
	cr_assert_eq(db_search_check(db, &tasks, &updates, &err), RPC_OK, "%s", err.message);
	cr_expect_eq(tasks, 0);
	cr_expect_eq(updates, 0);
	fn(db);
	db_close(db);
	for (const char *const *ext = (const char *const[]){"", "-wal", "-shm", NULL}; *ext; ext++) {
		char file[80];

		snprintf(file, sizeof(file), "%s%s", path, *ext);
		remove(file);
	}
	cr_expect_eq(rmdir(dir), 0, "%s left behind", dir);
}

static void found_after_10(struct db *db)
{
	cr_expect_eq(total_on(db, "do dac", NULL), 1, "the update written before migration 10");
	cr_expect_eq(total_on(db, "doi binh", NULL), 1, "the task written before migration 10");
}

Test(search, migration_10_indexes_the_tasks_and_updates_already_there)
{
	migrated_from(9, found_after_10);
}

static void found_after_20(struct db *db)
{
	cr_expect_eq(total_on(db, "doi binh", NULL), 1, "the title, remade by migration 20");
	cr_expect_eq(total_on(db, "giai phong mat b", NULL), 1, "the plan, and a prefix");
	cr_expect_eq(total_on(db, "do dac", NULL), 1, "the update, untouched");
	cr_expect_eq(total_on(db, "viec dot pha", NULL), 0, "the kind is no longer words");
	cr_expect_eq(total_on(db, "doi binh", "breakthrough"), 1, "but a filter");
	cr_expect_eq(total_on(db, "doi binh", "innovation"), 0);
}

Test(search, migration_21_takes_the_kind_out_of_the_words)
{
	migrated_from(18, found_after_20);
}
