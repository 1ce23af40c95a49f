/*
 * test_client_sheet.c: a spreadsheet's cells against the wire's values
 * (client/sheet.c): Vietnamese headers and labels in, with or without
 * diacritics and in any case; dd/mm/yyyy dates; labels, dates and local
 * moments out; the formula guard both ways; a value left for the server
 * when it is none of the forms its column takes.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sheet.h"

/* The wire value of a cell of kind's column. */
static char *value(const char *kind, const char *column, const char *cell)
{
	struct strbuf sb = STRBUF_INIT;

	sheet_value(&sb, sheet_column(kind, column), cell);
	return strbuf_detach(&sb);
}

/* The cell of a wire value, in Vietnamese (vi) or as it is. */
static char *cell(const char *kind, const char *column, const char *v, bool vi)
{
	struct strbuf sb = STRBUF_INIT;

	sheet_cell(&sb, sheet_column(kind, column), v, vi);
	return strbuf_detach(&sb);
}

#define EXPECT_VALUE(kind, column, in, want)                                                      \
	do {                                                                                      \
		char *got_ = value(kind, column, in);                                             \
		cr_assert_str_eq(got_, want, "%s.%s '%s'", kind, column, in);                     \
		free(got_);                                                                       \
	} while (0)

#define EXPECT_CELL(kind, column, v, vi, want)                                                    \
	do {                                                                                      \
		char *got_ = cell(kind, column, v, vi);                                           \
		cr_assert_str_eq(got_, want, "%s.%s '%s'", kind, column, v);                      \
		free(got_);                                                                       \
	} while (0)

Test(sheet, a_header_is_found_by_its_vietnamese_words_or_its_code)
{
	cr_assert_str_eq(sheet_column_by_header("tasks", "Hạn hoàn thành")->name, "due_date");
	cr_assert_str_eq(sheet_column_by_header("tasks", "HAN HOAN THANH")->name, "due_date");
	cr_assert_str_eq(sheet_column_by_header("tasks", " han  hoan thanh ")->name, "due_date");
	cr_assert_str_eq(sheet_column_by_header("tasks", "due_date")->name, "due_date");
	cr_assert_str_eq(sheet_column_by_header("cadres", "Diện quản lý (mã đơn vị)")->name,
			 "managing_unit");
	/* Decomposed marks, as Unikey may type them: "Mã" as M, a, U+0303. */
	cr_assert_str_eq(sheet_column_by_header("units", "Ma\xcc\x83 đơn vị")->name, "code");
	cr_assert_null(sheet_column_by_header("units", "Hạn hoàn thành"));
	cr_assert_null(sheet_column_by_header("tasks", "Ghi chú"));
}

Test(sheet, labels_and_dates_read_back_as_the_wire_codes)
{
	EXPECT_VALUE("tasks", "kind", "Đột phá", "breakthrough");
	EXPECT_VALUE("tasks", "kind", "dot pha", "breakthrough");
	EXPECT_VALUE("tasks", "kind", "ĐỔI MỚI", "innovation");
	EXPECT_VALUE("tasks", "kind", "innovation", "innovation");
	EXPECT_VALUE("tasks", "field", "quoc phong, an ninh", "defence_security");
	EXPECT_VALUE("tasks", "field", "Xây dựng Đảng, hệ thống chính trị", "party_building");
	EXPECT_VALUE("terms", "kind", "Năm", "year");
	EXPECT_VALUE("terms", "kind", "nhiem ky", "term");
	EXPECT_VALUE("tasks", "state", "Đang thực hiện", "in_progress");
	EXPECT_VALUE("tasks", "due_date", "31/12/2026", "2026-12-31");
	EXPECT_VALUE("tasks", "due_date", "1/6/2026", "2026-06-01");
	EXPECT_VALUE("tasks", "due_date", "2026-06-01", "2026-06-01");
	/* For the server to judge, as they are. */
	EXPECT_VALUE("tasks", "due_date", "31/06/2026", "31/06/2026");
	EXPECT_VALUE("tasks", "kind", "Phi thường", "Phi thường");
	EXPECT_VALUE("tasks", "title", "Đột phá", "Đột phá");
	EXPECT_VALUE("tasks", "nonesuch", "31/12/2026", "31/12/2026");
	/* The guard's apostrophe goes, in every column. */
	EXPECT_VALUE("tasks", "title", "'=1+1", "=1+1");
	EXPECT_VALUE("tasks", "title", "'Dấu", "'Dấu");
	EXPECT_VALUE("tasks", "title", "''Dấu", "'Dấu");
}

Test(sheet, wire_values_are_written_for_a_person_in_vietnamese_and_as_they_are_in_english)
{
	setenv("TZ", "ICT-7", 1);
	tzset();
	EXPECT_CELL("tasks", "kind", "breakthrough", true, "Đột phá");
	EXPECT_CELL("tasks", "kind", "breakthrough", false, "breakthrough");
	EXPECT_CELL("tasks", "health", "at_risk", true, "Nguy cơ chậm");
	EXPECT_CELL("tasks", "health", "", true, "");
	EXPECT_CELL("updates", "appraisal", "returned", true, "Trả lại (không tính)");
	EXPECT_CELL("tasks", "due_date", "2026-06-30", true, "30/06/2026");
	EXPECT_CELL("tasks", "due_date", "2026-06-30", false, "2026-06-30");
	EXPECT_CELL("updates", "reported_at", "2020-02-27T02:52:00Z", true, "27/02/2020 09:52:00");
	EXPECT_CELL("tasks", "percent", "40", true, "40");
	EXPECT_CELL("tasks", "title", "=HYPERLINK(\"x\")", true, "'=HYPERLINK(\"x\")");
	EXPECT_CELL("tasks", "title", "-5", false, "'-5");
	EXPECT_CELL("tasks", "title", "'a", true, "''a");
	EXPECT_CELL("tasks", "nonesuch", "@x", true, "'@x");
	EXPECT_CELL("tasks", "title", "a=b", true, "a=b");
}
