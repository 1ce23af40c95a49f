/*
 * test_text.c: UTF-8 validation and width, and dates.
 */
#include <criterion/criterion.h>
#include <string.h>

#include "date.h"
#include "utf8.h"

Test(utf8, accepts_vietnamese_and_refuses_malformed_bytes)
{
	const char *ok = "Đột phá, đổi mới: Sơn Dương, Chiêm Hóa";

	cr_assert(utf8_valid(ok, strlen(ok)));
	cr_assert_not(utf8_valid("\xc3", 1), "truncated");
	cr_assert_not(utf8_valid("\xc0\xaf", 2), "overlong");
	cr_assert_not(utf8_valid("\xed\xa0\x80", 3), "surrogate");
	cr_assert_not(utf8_valid("\xf4\x90\x80\x80", 4), "above U+10FFFF");
	cr_assert_not(utf8_valid("a\0b", 3), "NUL");
	cr_assert_not(utf8_valid("\xff", 1));
}

Test(utf8, width_counts_columns_not_bytes)
{
	const char *pre = "Đột";            /* precomposed: 3 columns */
	const char *comb = "Do\xcc\xa3\xcc\x82t"; /* o + dot below + circumflex */

	cr_assert_eq(utf8_width(pre, strlen(pre)), 3);
	cr_assert_eq(utf8_width(comb, strlen(comb)), 3);
	cr_assert_eq(utf8_width("中文", strlen("中文")), 4);
}

Test(utf8, prefix_never_splits_a_letter_from_its_marks)
{
	const char *comb = "Do\xcc\xa3\xcc\x82t";
	size_t w, n = utf8_prefix(comb, strlen(comb), 2, &w);

	cr_assert_eq(w, 2);
	cr_assert_eq(n, strlen("Do\xcc\xa3\xcc\x82"));
}

Test(date, parses_the_forms_people_type)
{
	char out[DATE_LEN];

	cr_assert_eq(date_parse("31/03/2025", out), 0);
	cr_assert_str_eq(out, "2025-03-31");
	cr_assert_eq(date_parse("1/7/2025", out), 0);
	cr_assert_str_eq(out, "2025-07-01");
	cr_assert_eq(date_parse("2024-02-29", out), 0);
	cr_assert_eq(date_parse("29/02/2023", out), -1);
	cr_assert_eq(date_parse("2023-13-01", out), -1);
	cr_assert_eq(date_parse("31/04/2025", out), -1);
	cr_assert_eq(date_parse("hôm nay", out), -1);
	cr_assert_eq(date_parse("", out), -1);
}

Test(date, shows_dd_mm_yyyy_and_counts_days)
{
	char out[DATE_LEN], dmy[16];

	date_to_dmy("2025-07-01", dmy, sizeof(dmy));
	cr_assert_str_eq(dmy, "01/07/2025");
	cr_assert_eq(date_days("1970-01-01"), 0);
	cr_assert_eq(date_days("2025-07-01") - date_days("2025-06-30"), 1);
	date_from_days(date_days("2024-03-01") - 1, out);
	cr_assert_str_eq(out, "2024-02-29");
	cr_assert(date_valid("2025-12-31", 10));
	cr_assert_not(date_valid("2025-12-31x", 11));
	cr_assert_not(date_valid("1899-12-31", 10));
}
