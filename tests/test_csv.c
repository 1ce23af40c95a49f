/*
 * test_csv.c: the CSV module: what spreadsheets save (BOM, CRLF, quoted
 * commas, quotes and line breaks), the line each record starts on, the
 * faults it reports with line and field, and the writer read back.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

static struct csv_table parse_ok(const char *s)
{
	struct csv_table t;
	struct csv_error err = {0};

	cr_assert_eq(csv_parse(s, strlen(s), ',', &t, &err), 0, "%s", err.message);
	return t;
}

static struct csv_error parse_bad(const char *s)
{
	struct csv_table t;
	struct csv_error err = {0};

	cr_assert_eq(csv_parse(s, strlen(s), ',', &t, &err), -1);
	cr_assert_eq(t.nrecords, 0);
	csv_table_free(&t);
	return err;
}

Test(csv, reads_a_spreadsheet_file_with_bom_crlf_and_quotes)
{
	struct csv_table t = parse_ok("\xEF\xBB\xBF"
				      "code,name\r\n"
				      "A1,\"Sơn Dương, Tuyên Quang\"\r\n"
				      "A2,\"two\r\nlines and a \"\"quote\"\"\"\r\n"
				      "A3,\r\n");

	cr_assert_eq(t.nrecords, 4);
	cr_assert_str_eq(t.records[0].fields[0], "code");
	cr_assert_eq(t.records[1].nfields, 2);
	cr_assert_str_eq(t.records[1].fields[1], "Sơn Dương, Tuyên Quang");
	cr_assert_str_eq(t.records[2].fields[1], "two\r\nlines and a \"quote\"");
	cr_assert_eq(t.records[2].line, 3);
	cr_assert_eq(t.records[3].line, 5, "the record after a two-line field starts on line 5");
	cr_assert_eq(t.records[3].nfields, 2);
	cr_assert_str_eq(t.records[3].fields[1], "");
	csv_table_free(&t);
}

Test(csv, reads_lf_files_without_a_final_newline_and_skips_blank_lines)
{
	struct csv_table t = parse_ok("a,b\n\nc,\"d\"");

	cr_assert_eq(t.nrecords, 2);
	cr_assert_eq(t.records[1].line, 3);
	cr_assert_str_eq(t.records[1].fields[1], "d");
	csv_table_free(&t);
}

Test(csv, an_empty_file_has_no_records)
{
	struct csv_table t = parse_ok("\xEF\xBB\xBF");

	cr_assert_eq(t.nrecords, 0);
	csv_table_free(&t);
}

Test(csv, a_quote_never_closed_is_reported_where_it_opened)
{
	struct csv_error e = parse_bad("a,b\nc,\"open\nx,y\n");

	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.column, 2);
	cr_assert(strstr(e.message, "never closed"));
}

Test(csv, text_after_a_closing_quote_is_refused)
{
	struct csv_error e = parse_bad("a,b\n\"x\"y,z\n");

	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.column, 1);
}

Test(csv, a_quote_inside_an_unquoted_field_is_refused)
{
	struct csv_error e = parse_bad("a,b\nc,d\"e\n");

	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.column, 2);
}

Test(csv, text_that_is_not_utf8_is_refused_with_its_line_and_field)
{
	struct csv_error e = parse_bad("a,b,c\nx,y,S\xf5n\n"); /* Latin-1/Windows-1258 bytes */

	cr_assert_eq(e.line, 2);
	cr_assert_eq(e.column, 3);
	cr_assert(strstr(e.message, "UTF-8"));
}

Test(csv, what_the_writer_writes_reads_back_the_same)
{
	const char *const fields[] = {"plain", "a, comma", "a \"quote\"", "two\nlines", "",
				      " padded ", "Đột phá"};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct csv_table t;

	csv_write_bom(f);
	csv_write_record(f, ',', fields, 7);
	csv_write_record(f, ',', fields, 1);
	fclose(f);
	cr_assert(strstr(text, "\"a \"\"quote\"\"\""));
	cr_assert(strstr(text, ",plain\r\n") == NULL && strstr(text, "\r\nplain\r\n"));
	t = parse_ok(text);
	cr_assert_eq(t.nrecords, 2);
	cr_assert_eq(t.records[0].nfields, 7);
	for (size_t i = 0; i < 7; i++)
		cr_assert_str_eq(t.records[0].fields[i], fields[i]);
	cr_assert_eq(t.records[1].line, 3);
	csv_table_free(&t);
	free(text);
}

Test(csv, the_separator_is_the_one_the_header_line_uses_most_outside_quotes)
{
	struct csv_table t;
	struct csv_error e;
	static const char semi[] = "\xEF\xBB\xBF" "Mã;\"Tên, đầy đủ\";Cấp\r\nX;\"a;b\";xã\r\n";

	cr_assert_eq(csv_separator(semi, strlen(semi)), ';');
	cr_assert_eq(csv_separator("\r\n\r\na,b;c,d\n", 12), ',', "blank lines first");
	cr_assert_eq(csv_separator("\"a;b;c\",d\n", 10), ',', "inside quotes is text");
	cr_assert_eq(csv_separator("a\tb\tc\n", 6), '\t');
	cr_assert_eq(csv_separator("a|b|c\n", 6), ',', "none: the default");
	cr_assert_eq(csv_separator("", 0), ',');
	cr_assert_eq(csv_parse(semi, strlen(semi), ';', &t, &e), 0, "%s", e.message);
	cr_assert_eq(t.nrecords, 2);
	cr_assert_eq(t.records[0].nfields, 3);
	cr_assert_str_eq(t.records[0].fields[1], "Tên, đầy đủ");
	cr_assert_str_eq(t.records[1].fields[1], "a;b");
	csv_table_free(&t);
}

Test(csv, the_formula_guard_puts_one_apostrophe_and_takes_exactly_that_one_away)
{
	static const char *const guarded[] = {"=1+1", "+84 912", "-5", "@SUM(A1)", "\tx", "\rx",
					      "'", "'abc", "''", NULL};
	static const char *const plain[] = {"", "abc", "1=1", "Hà Nội", " =x", NULL};
	char buf[64];

	for (int i = 0; guarded[i]; i++) {
		cr_assert(csv_needs_guard(guarded[i]), "%s", guarded[i]);
		snprintf(buf, sizeof(buf), "'%s", guarded[i]);
		cr_assert_str_eq(csv_unguard(buf), guarded[i]);
	}
	for (int i = 0; plain[i]; i++) {
		cr_assert(!csv_needs_guard(plain[i]), "%s", plain[i]);
		cr_assert_eq(csv_unguard(plain[i]), plain[i]);
	}
	/* An apostrophe the guard would not have put there is text. */
	cr_assert_str_eq(csv_unguard("'abc"), "'abc");
	cr_assert_str_eq(csv_unguard("'"), "'");
}

Test(csv, the_writer_quotes_a_field_holding_its_own_separator_only)
{
	static const char *const fields[] = {"a,b", "c;d", "e"};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	csv_write_record(f, ';', fields, 3);
	csv_write_record(f, ',', fields, 3);
	fclose(f);
	cr_assert_str_eq(text, "a,b;\"c;d\";e\r\n\"a,b\",c;d,e\r\n");
	free(text);
}
