/*
 * test_client_render.c: tables align by display width (Vietnamese, both
 * precomposed and with combining marks), fit a width limit by wrapping
 * long text within its column, or as one record per row when there are
 * too many columns, never cutting a word; dates read dd/mm/yyyy, moments
 * local, labels Vietnamese.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <msgpack.h>

#include "pack.h"
#include "render.h"
#include "table.h"
#include "utf8.h"
#include "views.h"

/* Captures what fn writes to a FILE*. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static void capture_open(struct capture *c)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	cr_assert_not_null(c->f);
}

static char *capture_close(struct capture *c)
{
	fclose(c->f);
	return c->buf;
}

/* Unpacks what an sbuffer holds; the caller destroys u. */
static const msgpack_object *unpack(msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	size_t off = 0;

	msgpack_unpacked_init(u);
	cr_assert_eq(msgpack_unpack_next(u, sb->data, sb->size, &off), MSGPACK_UNPACK_SUCCESS);
	return &u->data;
}

/* The display column where the n-th occurrence of two spaces begins in
 * line: where the next column starts. */
static size_t col_of(const char *line, const char *needle)
{
	const char *p = strstr(line, needle);

	cr_assert_not_null(p, "'%s' not in '%s'", needle, line);
	return utf8_width(line, (size_t)(p - line));
}

static char *line_n(char *text, int n)
{
	char *p = text;

	for (int i = 0; i < n; i++) {
		p = strchr(p, '\n');
		cr_assert_not_null(p);
		p++;
	}
	return p;
}

Test(table, vietnamese_cells_align_by_display_width)
{
	struct table t;
	struct capture c;
	char *out, *l0, *l1, *l2, *l3;

	cr_assert_eq(table_init(&t, 3), 0);
	table_header(&t, 0, "Mã", 0);
	table_header(&t, 1, "Tên", 0);
	table_header(&t, 2, "Cấp", 0);
	table_add_row(&t);
	table_set(&t, 0, "H-SD", 4);
	table_set(&t, 1, "Sơn Dương", strlen("Sơn Dương")); /* precomposed */
	table_set(&t, 2, "huyện", strlen("huyện"));
	table_add_row(&t);
	/* "Sơn Dương" with combining marks: o + U+031B (horn) */
	table_set(&t, 0, "X", 1);
	table_set(&t, 1, "So\xcc\x9bn Du\xcc\x9bo\xcc\x9bng", strlen("So\xcc\x9bn Du\xcc\x9bo\xcc\x9bng"));
	table_set(&t, 2, "xã", strlen("xã"));
	table_add_row(&t);
	table_set(&t, 0, "TU", 2);
	table_set(&t, 1, "Tỉnh ủy Tuyên Quang", strlen("Tỉnh ủy Tuyên Quang"));
	table_set(&t, 2, "tỉnh", strlen("tỉnh"));
	capture_open(&c);
	table_print(&t, c.f, 0);
	out = capture_close(&c);
	l0 = out;
	l1 = line_n(out, 1);
	l2 = line_n(out, 2);
	l3 = line_n(out, 3);
	/* Column 3 starts at the same display column on every line. */
	cr_assert_eq(col_of(l0, "Cấp"), 4 + 2 + utf8_width("Tỉnh ủy Tuyên Quang", strlen("Tỉnh ủy Tuyên Quang")) + 2);
	cr_assert_eq(col_of(l1, "huyện"), col_of(l0, "Cấp"));
	cr_assert_eq(col_of(l2, "xã"), col_of(l0, "Cấp"));
	cr_assert_eq(col_of(l3, "tỉnh"), col_of(l0, "Cấp"));
	cr_assert_eq(col_of(l1, "Sơn"), 6);
	cr_assert(strncmp(l0, "Mã    Tên", strlen("Mã    Tên")) == 0, "%s", out);
	free(out);
	table_free(&t);
}

Test(table, lines_have_no_trailing_blanks)
{
	struct table t;
	struct capture c;
	char *out;

	table_init(&t, 2);
	table_header(&t, 0, "A", 0);
	table_header(&t, 1, "B", 0);
	table_add_row(&t);
	table_set(&t, 0, "long value", 10);
	capture_open(&c);
	table_print(&t, c.f, 0);
	out = capture_close(&c);
	cr_assert_str_eq(out, "A           B\nlong value\n");
	free(out);
	table_free(&t);
}

Test(table, numbers_align_right)
{
	struct table t;
	struct capture c;
	char *out;

	table_init(&t, 2);
	table_header(&t, 0, "ID", TABLE_RIGHT);
	table_header(&t, 1, "%", TABLE_RIGHT);
	table_add_row(&t);
	table_set(&t, 0, "7", 1);
	table_set(&t, 1, "100", 3);
	table_add_row(&t);
	table_set(&t, 0, "1234", 4);
	table_set(&t, 1, "5", 1);
	capture_open(&c);
	table_print(&t, c.f, 0);
	out = capture_close(&c);
	cr_assert_str_eq(out, "  ID    %\n   7  100\n1234    5\n");
	free(out);
	table_free(&t);
}

/* Fails unless every line of out is at most width columns wide. */
static void expect_fits(const char *out, size_t width)
{
	for (const char *p = out; *p;) {
		const char *nl = strchr(p, '\n');

		cr_assert_not_null(nl, "no newline at the end: %s", out);
		cr_expect_leq(utf8_width(p, (size_t)(nl - p)), width, "line wider than %zu: '%.*s'\n%s",
			      width, (int)(nl - p), p, out);
		p = nl + 1;
	}
}

/* Fails unless each word of text (blank-separated) is in out. */
static void expect_words(const char *out, const char *text)
{
	char word[200];

	for (const char *p = text; *p;) {
		size_t n = strcspn(p, " ");

		if (n) {
			cr_assert_lt(n, sizeof(word));
			memcpy(word, p, n);
			word[n] = '\0';
			cr_expect_not_null(strstr(out, word), "'%s' is missing:\n%s", word, out);
		}
		p += n + strspn(p + n, " ");
	}
}

Test(table, long_text_wraps_within_its_column_to_fit_a_width)
{
	struct table t;
	struct capture c;
	const char *title = "Giải quyết dứt điểm tình trạng ách tắc giao thông đô thị";
	char *out, *line;

	table_init(&t, 3);
	table_header(&t, 0, "ID", TABLE_RIGHT);
	table_header(&t, 1, "Tên việc", TABLE_SHRINK);
	table_header(&t, 2, "Hạn", 0);
	table_add_row(&t);
	table_set(&t, 0, "12", 2);
	table_set(&t, 1, title, strlen(title));
	table_set(&t, 2, "31/12/2025", 10);
	capture_open(&c);
	table_print(&t, c.f, 40);
	out = capture_close(&c);
	cr_assert_null(strstr(out, "…"), "%s", out);
	line = line_n(out, 1);
	cr_assert_eq(strncmp(line, "12  Giải quyết", strlen("12  Giải quyết")), 0, "%s", out);
	cr_assert_not_null(strstr(line, "31/12/2025"), "%s", out);
	/* the title goes on under itself, in its column */
	line = line_n(out, 2);
	cr_assert_eq(strncmp(line, "    ", 4), 0, "%s", out);
	cr_assert_neq(line[4], ' ', "%s", out);
	expect_fits(out, 40);
	expect_words(out, title);
	free(out);
	table_free(&t);
}

Test(table, nothing_is_cut_without_a_width)
{
	struct table t;
	struct capture c;
	const char *title = "Giải quyết dứt điểm tình trạng ách tắc giao thông đô thị";
	char *out;

	table_init(&t, 1);
	table_header(&t, 0, "Tên việc", TABLE_SHRINK);
	table_add_row(&t);
	table_set(&t, 0, title, strlen(title));
	capture_open(&c);
	table_print(&t, c.f, 0);
	out = capture_close(&c);
	cr_assert_not_null(strstr(out, title));
	cr_assert_null(strstr(out, "…"));
	free(out);
	table_free(&t);
}

Test(table, long_text_wraps_first_and_codes_are_never_split)
{
	struct table t;
	size_t w[3];

	table_init(&t, 3);
	table_header(&t, 0, "Mã", 0);
	table_header(&t, 1, "Tên", TABLE_SHRINK);
	table_header(&t, 2, "Trạng thái", 0);
	table_add_row(&t);
	table_set(&t, 0, "H-SONDUONG", 10);
	table_set(&t, 1, "a very long name indeed, longer than thirty columns", 51);
	table_set(&t, 2, "Đang thực hiện", strlen("Đang thực hiện"));
	/* round 1: the long text alone gives way, down to TABLE_WRAP_FIRST */
	cr_assert(table_widths(&t, 60, w));
	cr_assert_eq(w[0], 10);
	cr_assert_eq(w[1], 60 - 10 - 14 - 4);
	cr_assert_eq(w[2], 14);
	/* round 2: the state wraps to its longest word, then round 3 */
	cr_assert(table_widths(&t, 10 + 2 + TABLE_WRAP_MIN + 2 + 5, w));
	cr_assert_eq(w[0], 10);
	cr_assert_eq(w[1], TABLE_WRAP_MIN);
	cr_assert_eq(w[2], 5); /* "thái", "Trạng" */
	/* narrower still: records */
	cr_assert(!table_widths(&t, 20, w));
	table_free(&t);
}

Test(table, a_tree_keeps_its_indent_on_every_line)
{
	struct table t;
	struct capture c;
	const char *name = "    Ủy ban nhân dân xã Phúc Ứng huyện Sơn Dương";
	char *out;

	table_init(&t, 2);
	table_header(&t, 0, "Mã", 0);
	table_header(&t, 1, "Tên", TABLE_SHRINK);
	table_add_row(&t);
	table_set(&t, 0, "X-PU", 4);
	table_set(&t, 1, name, strlen(name));
	capture_open(&c);
	table_print(&t, c.f, 30);
	out = capture_close(&c);
	expect_fits(out, 30);
	expect_words(out, name);
	cr_assert_eq(strncmp(line_n(out, 1), "X-PU      Ủy", strlen("X-PU      Ủy")), 0, "%s", out);
	cr_assert_eq(strncmp(line_n(out, 2), "          ", 10), 0, "%s", out);
	cr_assert_neq(line_n(out, 2)[10], ' ', "%s", out);
	free(out);
	table_free(&t);
}

Test(table, control_characters_in_cells_become_spaces)
{
	struct table t;
	struct capture c;
	char *out;

	table_init(&t, 1);
	table_header(&t, 0, "Kết quả", 0);
	table_add_row(&t);
	table_set(&t, 0, "dòng 1\ndòng 2\tx", strlen("dòng 1\ndòng 2\tx"));
	capture_open(&c);
	table_print(&t, c.f, 0);
	out = capture_close(&c);
	cr_assert_str_eq(out, "Kết quả\ndòng 1 dòng 2 x\n");
	free(out);
	table_free(&t);
}

Test(table, keep_last_drops_the_oldest_rows)
{
	struct table t;
	char buf[16];

	table_init(&t, 1);
	for (int i = 0; i < 12; i++) {
		table_add_row(&t);
		snprintf(buf, sizeof(buf), "%d", i);
		table_set(&t, 0, buf, strlen(buf));
	}
	table_keep_last(&t, 5);
	cr_assert_eq(t.rows, 5);
	cr_assert_str_eq(t.cells[0], "7");
	cr_assert_str_eq(t.cells[4], "11");
	table_free(&t);
}

static void value_is(const char *s, enum render_kind kind, const char *want)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct strbuf out = STRBUF_INIT;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_str(&pk, s);
	render_value(&out, unpack(&sb, &u), kind);
	cr_assert_str_eq(strbuf_cstr(&out), want, "%s as %d", s ? s : "nil", kind);
	strbuf_free(&out);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(render, dates_read_dd_mm_yyyy)
{
	value_is("2025-03-01", RENDER_DATE, "01/03/2025");
	value_is("2024-02-29", RENDER_DATE, "29/02/2024");
	value_is("not a date", RENDER_DATE, "not a date");
	value_is(NULL, RENDER_DATE, "");
}

Test(render, moments_are_shown_in_local_time)
{
	setenv("TZ", "ICT-7", 1); /* Indochina Time, UTC+7, needs no tz database */
	tzset();
	value_is("2025-03-01T02:30:00Z", RENDER_MOMENT, "01/03/2025 09:30");
	value_is("2025-12-31T20:00:59Z", RENDER_MOMENT, "01/01/2026 03:00");
	setenv("TZ", "UTC0", 1);
	tzset();
	value_is("2025-03-01T02:30:00Z", RENDER_MOMENT, "01/03/2025 02:30");
	value_is("2025-03-01 02:30", RENDER_MOMENT, "2025-03-01 02:30");
}

Test(render, labels_are_vietnamese)
{
	value_is("breakthrough", RENDER_TASK_KIND, "Đột phá");
	value_is("innovation", RENDER_TASK_KIND, "Đổi mới");
	value_is("socio_economic", RENDER_FIELD, "Kinh tế - xã hội");
	value_is("defence_security", RENDER_FIELD, "Quốc phòng, an ninh");
	value_is("party_building", RENDER_FIELD, "Xây dựng Đảng, hệ thống chính trị");
	value_is("livelihood", RENDER_FIELD, "Đời sống Nhân dân");
	value_is("year", RENDER_TERM_KIND, "Năm");
	value_is("term", RENDER_TERM_KIND, "Nhiệm kỳ");
	value_is("something_new", RENDER_FIELD, "something_new");
	value_is("year", RENDER_TEXT, "year");
}

static void pack_unit(msgpack_packer *pk, int id, const char *code, const char *name, int depth)
{
	msgpack_pack_map(pk, 6);
	pack_kv_int(pk, "id", id);
	pack_kv_str(pk, "code", code);
	pack_kv_str(pk, "name", name);
	pack_kv_str(pk, "level", depth ? "huyện" : "tỉnh");
	pack_kv_str(pk, "valid_from", "2020-01-01");
	pack_kv_int(pk, "depth", depth);
}

Test(render, unit_list_indents_names_by_depth)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	const msgpack_object *a;
	struct table t;
	struct capture c;
	char *out;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 2);
	pack_unit(&pk, 1, "TQ", "Tuyên Quang", 0);
	pack_unit(&pk, 2, "H-SD", "Sơn Dương", 1);
	a = unpack(&sb, &u);
	cr_assert_eq(render_table_init(&t, views_unit.columns), 0);
	for (uint32_t i = 0; i < a->via.array.size; i++)
		cr_assert_eq(render_table_add(&t, views_unit.columns, &a->via.array.ptr[i]), 0);
	capture_open(&c);
	table_print(&t, c.f, 0);
	out = capture_close(&c);
	cr_assert_str_eq(out,
			 "ID  Mã    Tên          Cấp    Từ ngày     Đến ngày\n"
			 " 1  TQ    Tuyên Quang  tỉnh   01/01/2020\n"
			 " 2  H-SD    Sơn Dương  huyện  01/01/2020\n");
	free(out);
	table_free(&t);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

/* Three tasks as task.list gives them, with titles a clerk writes. */
static const char *const long_titles[] = {
	"Cải thiện chỉ số năng lực cạnh tranh cấp tỉnh (PCI) và chỉ số hiệu quả quản trị, hành chính công (PAPI) giai đoạn 2021–2025",
	"Chuyển đổi số toàn diện trong các cơ quan Đảng, chính quyền, Mặt trận Tổ quốc và các đoàn thể chính trị - xã hội",
	"Giải quyết dứt điểm tình trạng ách tắc giao thông đô thị",
};

static const msgpack_object *pack_tasks(msgpack_sbuffer *sb, msgpack_unpacked *u)
{
	static const char *const fields[] = {"socio_economic", "party_building", "livelihood"};
	msgpack_packer pk;

	msgpack_sbuffer_init(sb);
	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 3);
	for (int i = 0; i < 3; i++) {
		msgpack_pack_map(&pk, 13);
		pack_kv_int(&pk, "id", 101 + i);
		pack_kv_str(&pk, "title", long_titles[i]);
		pack_kv_str(&pk, "kind", i ? "innovation" : "breakthrough");
		pack_kv_str(&pk, "field", fields[i]);
		pack_kv_str(&pk, "owner_name", "Nguyễn Thị Thu Hương");
		pack_kv_str(&pk, "unit_code", "UBND-TQ");
		pack_kv_str(&pk, "term_code", "2021-2025");
		pack_kv_str(&pk, "due_date", "2025-12-31");
		pack_kv_str(&pk, "state", "in_progress");
		pack_kv_int(&pk, "percent", 40);
		pack_kv_bool(&pk, "overdue", i == 0);
		pack_kv_str(&pk, "status", i == 0 ? "overdue" : "within_deadline");
		pack_kv_str(&pk, "health", "at_risk");
	}
	return unpack(sb, u);
}

/* The task list printed at width, as `dotpha task list` would. */
static char *task_list_at(const struct render_col *cols, size_t width)
{
	msgpack_sbuffer sb;
	msgpack_unpacked u;
	const msgpack_object *a = pack_tasks(&sb, &u);
	struct table t;
	struct capture c;

	cr_assert_eq(render_table_init(&t, cols), 0);
	for (uint32_t i = 0; i < a->via.array.size; i++)
		cr_assert_eq(render_table_add(&t, cols, &a->via.array.ptr[i]), 0);
	capture_open(&c);
	table_print(&t, c.f, width);
	table_free(&t);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
	return capture_close(&c);
}

Test(render, a_task_list_fits_80_100_120_and_200_columns_with_every_word_of_its_titles)
{
	static const size_t widths[] = {80, 100, 120, 200};

	for (size_t k = 0; k < sizeof(widths) / sizeof(widths[0]); k++) {
		char *out = task_list_at(views_task.columns, widths[k]);

		expect_fits(out, widths[k]);
		for (size_t i = 0; i < sizeof(long_titles) / sizeof(long_titles[0]); i++)
			expect_words(out, long_titles[i]);
		expect_words(out, "Nguyễn Thị Thu Hương UBND-TQ 2021-2025 31/12/2025");
		cr_expect_null(strstr(out, "…"), "%s", out);
		if (getenv("SHOW_TABLES"))
			fprintf(stderr, "--- %zu\n%s", widths[k], out);
		free(out);
	}
}

Test(render, too_many_columns_for_80_make_one_record_per_row)
{
	char *out = task_list_at(views_task.columns, 80);

	/* each task a block of "Label: value" lines, blocks apart */
	cr_expect(strncmp(out, "ID:", 3) == 0, "%s", out);
	cr_expect_not_null(strstr(out, "\n\nID:"), "%s", out);
	cr_expect_not_null(strstr(out, "\nTên việc:"), "%s", out);
	cr_expect_not_null(strstr(out, "Quá hạn"), "%s", out);
	expect_fits(out, 80);
	free(out);
	/* the same rows with three columns stay a table */
	{
		static const struct render_col few[] = {
			{"ID", "id", NULL, RENDER_TEXT, TABLE_RIGHT},
			{"Task title", "title", NULL, RENDER_TEXT, TABLE_SHRINK},
			{"Due", "due_date", NULL, RENDER_DATE, 0},
			{NULL, NULL, NULL, 0, 0},
		};

		out = task_list_at(few, 80);
		cr_expect(strncmp(out, " ID  Tên việc", strlen(" ID  Tên việc")) == 0, "%s", out);
		expect_fits(out, 80);
		for (size_t i = 0; i < sizeof(long_titles) / sizeof(long_titles[0]); i++)
			expect_words(out, long_titles[i]);
		free(out);
	}
}

Test(render, record_skips_empty_values_and_continues_multi_line_ones)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct capture c;
	char *out;

	setenv("TZ", "UTC0", 1);
	tzset();
	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 9);
	pack_kv_int(&pk, "id", 7);
	pack_kv_str(&pk, "title", "Cải cách hành chính");
	pack_kv_str(&pk, "description", "dòng một\ndòng hai");
	pack_kv_str(&pk, "kind", "innovation");
	pack_kv_str(&pk, "owner_name", "Nguyễn Văn A");
	pack_kv_str(&pk, "owner_code", "CB01");
	pack_kv_nil(&pk, "last_update_at");
	pack_kv_bool(&pk, "overdue", 0);
	pack_kv_int(&pk, "percent", 40);
	capture_open(&c);
	render_record(c.f, &views_task, unpack(&sb, &u), 0);
	out = capture_close(&c);
	cr_assert_str_eq(out,
			 "ID:        7\n"
			 "Tên việc:  Cải cách hành chính\n"
			 "Mô tả:     dòng một\n"
			 "           dòng hai\n"
			 "Loại:      Đổi mới\n"
			 "Chủ trì:   Nguyễn Văn A (CB01)\n"
			 "Tiến độ:   40%\n"
			 "Quá hạn:   không\n");
	free(out);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

static void pack_names(msgpack_packer *pk, int n)
{
	msgpack_pack_map(pk, 3);
	pack_kv_int(pk, "id", 2);
	pack_kv_str(pk, "name", "Sơn Dương");
	pack_str(pk, "names");
	msgpack_pack_array(pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		msgpack_pack_map(pk, 2);
		pack_kv_str(pk, "name", i ? "Sơn Dương" : "Sơn Dương cũ");
		pack_kv_str(pk, "valid_from", i ? "2025-07-01" : "1991-01-01");
	}
}

Test(render, a_history_is_shown_only_when_it_has_two_entries_or_more)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct capture c;
	char *out;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_names(&pk, 1);
	capture_open(&c);
	render_record(c.f, &views_unit, unpack(&sb, &u), 0);
	out = capture_close(&c);
	cr_assert_str_eq(out, "ID:   2\nTên:  Sơn Dương\n");
	free(out);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_clear(&sb);
	pack_names(&pk, 2);
	capture_open(&c);
	render_record(c.f, &views_unit, unpack(&sb, &u), 0);
	out = capture_close(&c);
	cr_assert_str_eq(out, "ID:   2\nTên:  Sơn Dương\n\nTên qua các thời kỳ:\n"
			      "Từ ngày     Tên\n01/01/1991  Sơn Dương cũ\n01/07/2025  Sơn Dương\n");
	free(out);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(table, clean_blanks_control_characters_but_keeps_text_and_newlines)
{
	char s[] = "Tiêu đề\x1b]0;x\a\r\xc2\x9b" "2J\nDòng 2\x7f";

	table_clean(s, strlen(s), true);
	cr_assert_str_eq(s, "Tiêu đề ]0;x    2J\nDòng 2 ");
	table_clean(s, strlen(s), false);
	cr_assert_str_eq(s, "Tiêu đề ]0;x    2J Dòng 2 ");
}

/* ---- the change summary of the audit trail and a task's history ---- */

/* Packs a map from "key", "spec" pairs (NULL-terminated), where a spec is
 * "s:text", "i:123", "b:1"/"b:0", "n" (nil) or "a:N" (an array of N nils). */
/* Packs "k=v,k=v" as a map of strings ("" an empty map). */
static void pack_string_map(msgpack_packer *pk, const char *spec)
{
	char buf[256], *pair, *save = NULL;
	size_t n = 0;

	snprintf(buf, sizeof(buf), "%s", spec);
	for (const char *s = spec; *s; s++)
		n += *s == '=';
	msgpack_pack_map(pk, n);
	for (pair = strtok_r(buf, ",", &save); pair; pair = strtok_r(NULL, ",", &save)) {
		char *eq = strchr(pair, '=');

		cr_assert_not_null(eq, "bad map spec %s", spec);
		*eq = '\0';
		pack_str(pk, pair);
		pack_str(pk, eq + 1);
	}
}

static void pack_spec(msgpack_packer *pk, const char *const *kv)
{
	size_t n = 0;

	while (kv[2 * n])
		n++;
	msgpack_pack_map(pk, n);
	for (size_t i = 0; i < n; i++) {
		const char *v = kv[2 * i + 1];

		pack_str(pk, kv[2 * i]);
		if (v[0] == 's')
			pack_str(pk, v + 2);
		else if (v[0] == 'i')
			msgpack_pack_int64(pk, strtoll(v + 2, NULL, 10));
		else if (v[0] == 'b')
			v[2] == '1' ? msgpack_pack_true(pk) : msgpack_pack_false(pk);
		else if (v[0] == 'a') {
			long k = strtol(v + 2, NULL, 10);

			msgpack_pack_array(pk, (size_t)k);
			for (long j = 0; j < k; j++)
				msgpack_pack_nil(pk);
		} else if (v[0] == 'm') {
			pack_string_map(pk, v + 2);
		} else
			msgpack_pack_nil(pk);
	}
}

/* render_changes(before, after) for two specs (NULL: nil) must give want. */
static void changes_are(const char *const *before, const char *const *after, const char *want)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct strbuf out = STRBUF_INIT;
	const msgpack_object *pair;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 2);
	if (before)
		pack_spec(&pk, before);
	else
		msgpack_pack_nil(&pk);
	if (after)
		pack_spec(&pk, after);
	else
		msgpack_pack_nil(&pk);
	pair = unpack(&sb, &u);
	render_changes(&out, &pair->via.array.ptr[0], &pair->via.array.ptr[1]);
	cr_assert_str_eq(strbuf_cstr(&out), want);
	strbuf_free(&out);
	msgpack_unpacked_destroy(&u);
	msgpack_sbuffer_destroy(&sb);
}

Test(changes, only_fields_that_differ_as_old_arrow_new_in_afters_order)
{
	const char *before[] = {"id", "i:12", "title", "s:Làm đường", "percent", "i:40",
				"kind", "s:breakthrough", "updated_at", "s:2025-03-01T02:30:00Z", NULL};
	const char *after[] = {"id", "i:12", "title", "s:Làm đường liên xã", "percent", "i:60",
			       "kind", "s:breakthrough", "updated_at", "s:2025-03-02T02:30:00Z", NULL};

	changes_are(before, after, "Tên việc: Làm đường → Làm đường liên xã; Tiến độ: 40 → 60");
	changes_are(after, after, "");
	changes_are(NULL, NULL, "");
}

Test(changes, a_new_object_lists_what_it_has)
{
	const char *after[] = {"id", "i:3", "task_id", "i:12", "percent", "i:60", "done", "s:Xong bước 1",
			       "difficulties", "s:", "proposals", "n", "reported_at", "s:2025-03-01T02:30:00Z",
			       NULL};

	changes_are(NULL, after, "task_id: 12; Tiến độ: 60; Hoàn thành: Xong bước 1");
}

Test(changes, values_read_like_everywhere_else)
{
	const char *before[] = {"due_date", "s:2025-06-30", "overdue", "b:1", "valid_to", "n",
				"last_update_at", "n", NULL};
	const char *after[] = {"due_date", "s:2025-12-31", "overdue", "b:0", "valid_to", "s:2025-07-01",
			       "last_update_at", "s:2025-03-01T02:30:00Z", NULL};

	setenv("TZ", "UTC0", 1);
	tzset();
	changes_are(before, after, "Hạn: 30/06/2025 → 31/12/2025; overdue: có → không; "
		    "valid_to: — → 01/07/2025; last_update_at: — → 01/03/2025 02:30");
}

Test(changes, ids_beside_codes_and_nested_lists_are_left_out)
{
	const char *before[] = {"owner_id", "i:3", "owner_code", "s:CB01", "owner_name", "s:Nguyễn An",
				"owners", "a:1", "task_id", "i:12", NULL};
	const char *after[] = {"owner_id", "i:5", "owner_code", "s:CB02", "owner_name", "s:Trần Bình",
			       "owners", "a:2", "task_id", "i:13", NULL};
	const char *token[] = {"id", "i:2", "account_id", "i:2", "account_login", "s:nva",
			       "name", "s:máy văn phòng", NULL};

	changes_are(before, after,
		    "owner_code: CB01 → CB02; owner_name: Nguyễn An → Trần Bình; task_id: 12 → 13");
	changes_are(NULL, token, "account_login: nva; Tên: máy văn phòng");
}

Test(changes, a_nested_map_shows_its_fields_by_dotted_name)
{
	const char *before[] = {"percent", "i:40", "appraisal", "n", NULL};
	const char *after[] = {"percent", "i:40", "appraisal", "m:verdict=returned,reason=Sai số,id=4",
			       NULL};
	const char *again[] = {"percent", "i:40", "appraisal", "m:verdict=accepted,reason=Sai số,id=5",
			       NULL};

	changes_are(before, after, "appraisal.verdict: — → returned; appraisal.reason: — → Sai số");
	changes_are(after, again, "appraisal.verdict: returned → accepted");
	changes_are(NULL, after, "Tiến độ: 40; appraisal.verdict: returned; appraisal.reason: Sai số");
	changes_are(after, after, "");
}

Test(changes, a_field_gone_from_after_ends_in_a_dash)
{
	const char *before[] = {"a", "s:x", "b", "s:y", "c", "n", NULL};
	const char *after[] = {"a", "s:x", NULL};

	changes_are(before, after, "b: y → —");
	changes_are(before, NULL, "a: x → —; b: y → —");
}

Test(changes, long_values_are_cut_to_40_columns)
{
	const char *after[] = {"title", "s:Đẩy mạnh chuyển đổi số trong các cơ quan Đảng, chính quyền", NULL};
	const char *before[] = {"title", "s:Chuyển đổi số", NULL};
	const char *cut = "Đẩy mạnh chuyển đổi số trong các cơ qua…";

	changes_are(before, after, "Tên việc: Chuyển đổi số → Đẩy mạnh chuyển đổi số trong các cơ qua…");
	cr_assert_eq(utf8_width(cut, strlen(cut)), RENDER_CHANGE_COLS);
}

Test(render, roles_scopes_and_steps_have_vietnamese_labels)
{
	value_is("admin", RENDER_ROLE, "Quản trị");
	value_is("supervisor", RENDER_ROLE, "Giám sát");
	value_is("office", RENDER_ROLE, "Văn phòng");
	value_is("viewer", RENDER_ROLE, "Chỉ xem");
	value_is("task.create", RENDER_METHOD, "Đăng ký việc");
	value_is("task.update", RENDER_METHOD, "Sửa việc");
	value_is("update.create", RENDER_METHOD, "Báo cáo tiến độ");
	value_is("unit.close", RENDER_METHOD, "unit.close");
	setenv("TZ", "ICT-7", 1);
	tzset();
	value_is("2025-03-01T02:30:07Z", RENDER_MOMENT_SEC, "01/03/2025 09:30:07");
}

/* The reason of a task's health is said from its data (health_why and its
 * values), whatever the English text beside it says. */
Test(render, a_health_reason_is_said_from_its_data)
{
	static const char *const kv[] = {"health_reason", "s:overdue by 99 days at 1%",
					 "health_why", "s:overdue", "health_days", "i:12",
					 "health_percent", "i:40", "health_planned", "n", NULL};
	static const char *const plan[] = {"health_why", "s:behind_plan", "health_days", "n",
					   "health_percent", "i:30", "health_planned", "i:51", NULL};
	struct render_col col = {"Căn cứ", "health_reason", NULL, RENDER_REASON, 0};
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacked u;
	struct strbuf out = STRBUF_INIT;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_spec(&pk, kv);
	render_cell(&out, unpack(&sb, &u), &col);
	cr_expect_str_eq(strbuf_cstr(&out), "quá hạn 12 ngày, mới đạt 40%");
	msgpack_unpacked_destroy(&u);

	sb.size = 0;
	strbuf_reset(&out);
	pack_spec(&pk, plan);
	render_cell(&out, unpack(&sb, &u), &col);
	cr_expect_str_eq(strbuf_cstr(&out), "đạt 30% so với kế hoạch 51%");
	msgpack_unpacked_destroy(&u);
	strbuf_free(&out);
	msgpack_sbuffer_destroy(&sb);
}

/* A field of a change is named as the tables name it, and a coded value
 * by its label. */
Test(changes, fields_and_coded_values_are_said_in_the_users_words)
{
	static const char *const before[] = {"state", "s:registered", "rating", "n", NULL};
	static const char *const after[] = {"state", "s:reviewed", "rating", "s:good", NULL};

	changes_are(before, after,
		    "Trạng thái: Đã đăng ký → Đã thẩm định; Đánh giá: — → Hoàn thành tốt");
}
