/*
 * test_lang.c: the tables a real dotphad's answers make, read on a
 * Vietnamese screen: no English word outside tests/lang_allow.txt (and the
 * data the test typed), dates dd/mm/yyyy, moments in local time without a
 * Z, labels typed back as codes; and the same tables in English with
 * --lang en.  The help and the usage errors are test_client_lang.c's.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "client_io.h"

static struct daemon d;

static void start(void)
{
	cr_assert_eq(daemon_prepare(&d), 0);
	client_io_isolate(&d);
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
}

static void stop(void)
{
	cr_expect_eq(daemon_stop(&d), 0, "dotphad exited badly (log: %s)", d.log);
	daemon_cleanup(&d);
	client_io_free();
}

TestSuite(tables, .init = start, .fini = stop, .timeout = 180);

#define OK(...) ok_on(&d, (const char *const[]){__VA_ARGS__, NULL})

/* The words the test types (codes, names) that come back in the tables. */
static const char DATA[] = "TU H SD CB BT Quang admin bootstrap";

/* A small province, its codes typed as the labels people read. */
static void province(void)
{
	OK("unit", "create", "TU", "Tỉnh ủy Tuyên Quang", "--level", "tỉnh", "--from", "01/01/2000");
	OK("unit", "create", "H-SD", "Huyện ủy Sơn Dương", "--level", "huyện", "--parent", "TU");
	OK("cadre", "create", "CB-BT", "Nguyễn Văn Ánh", "--title", "Bí thư Tỉnh ủy", "--unit", "TU",
	   "--managed-by", "TU", "--since", "01/01/2021");
	OK("cadre", "create", "CB-SD", "Trần Thị Bình", "--title", "Bí thư Huyện ủy", "--unit", "H-SD",
	   "--managed-by", "TU", "--since", "01/05/2022");
	OK("term", "create", "2021-2025", "--kind", "Nhiệm kỳ", "--start", "01/01/2021", "--end",
	   "31/12/2025", "--name", "Nhiệm kỳ 2021–2025");
	OK("task", "create", "--title", "Xử lý dứt điểm sạt lở bờ sông", "--kind", "Đột phá",
	   "--field", "kinh te - xa hoi", "--owner", "CB-SD", "--term", "2021-2025", "--product",
	   "Kè chống sạt lở", "--due", "30/06/2024");
	OK("task", "create", "--title", "Chuyển đổi số trong cơ quan Đảng", "--kind", "doi moi",
	   "--field", "Xây dựng Đảng, hệ thống chính trị", "--owner", "CB-BT", "--term", "2021-2025",
	   "--product", "Phần mềm quản lý văn bản", "--due", "31/12/2025");
	OK("task", "assign", "1", "--decision", "15-QĐ/TU", "--date", "15/03/2021");
	OK("update", "add", "1", "--percent", "40", "--done", "Đã khảo sát, lập hồ sơ");
}

static void no_english(const char *what, const char *text)
{
	char *allow = helpers_read_file("tests/lang_allow.txt"), *bad, *all;

	cr_assert_not_null(allow, "run the tests from the repository root");
	for (char *h = allow; (h = strchr(h, '#'));)
		memset(h, ' ', strcspn(h, "\n"));
	all = keep_printf("%s %s", allow, DATA);
	bad = helpers_foreign_words(text, all);
	cr_expect_str_eq(bad, "", "`dotpha %s` shows English words (or add them to "
			 "tests/lang_allow.txt):\n%s\n--- the screen:\n%s", what, bad, text);
	free(bad);
	free(allow);
}

Test(tables, the_tables_of_the_registry_show_no_english)
{
	static const char *const cmds[][6] = {
		{"unit", "list", NULL},
		{"unit", "show", "TU", NULL},
		{"cadre", "list", NULL},
		{"cadre", "show", "CB-SD", NULL},
		{"term", "list", NULL},
		{"task", "list", NULL},
		{"task", "show", "1", NULL},
		{"update", "list", "1", NULL},
		{"plan", "1", NULL},
		{"board", NULL},
		{"report", "--term", "2021-2025", NULL},
		{"cadre", "record", "CB-SD", "--term", "2021-2025", NULL},
		{"whoami", NULL},
		{"account", "list", NULL},
		{NULL},
	};

	province();
	for (size_t i = 0; cmds[i][0]; i++) {
		struct res r = run_on(&d, cmds[i]);

		cr_expect_eq(r.rc, 0, "`dotpha %s`: %s", r.cmd, r.err);
		no_english(r.cmd, r.out);
		cr_expect_null(strstr(r.out, "Z\n"), "`dotpha %s` shows a UTC moment: %s", r.cmd, r.out);
	}
}

Test(tables, labels_typed_are_stored_as_codes_and_shown_as_labels)
{
	const char *out;

	province();
	out = OK("task", "show", "1");
	cr_expect_str_eq(value_of(out, "Loại"), "Đột phá");
	cr_expect_str_eq(value_of(out, "Lĩnh vực"), "Kinh tế - xã hội");
	cr_expect_str_eq(value_of(out, "Hạn"), "30/06/2024");
	cr_expect(strstr(OK("--json", "task", "show", "1"), "\"kind\":\"breakthrough\""));
	cr_expect(strstr(OK("--json", "term", "show", "2021-2025"), "\"kind\":\"term\""));
	out = OK("task", "list", "--kind", "ĐỔI MỚI");
	cr_expect(strstr(out, "Chuyển đổi số"), "%s", out);
	cr_expect(!strstr(out, "sạt lở"), "%s", out);
	cr_expect(strstr(OK("task", "list", "--state", "dang thuc hien"), "sạt lở"));
}

Test(tables, english_on_request_shows_english_labels_the_same_data)
{
	const char *out;

	province();
	out = OK("--lang", "en", "task", "show", "1");
	cr_expect_str_eq(value_of(out, "Kind"), "Breakthrough");
	cr_expect_str_eq(value_of(out, "Field"), "Socio-economic development");
	cr_expect_str_eq(value_of(out, "Due"), "30/06/2024");
	cr_expect_str_eq(value_of(out, "State"), "In progress");
	out = OK("task", "list", "--lang", "en");
	cr_expect(strstr(out, "2 tasks, 2 cadres"), "%s", out);
	out = OK("task", "list");
	cr_expect(strstr(out, "2 việc, 2 cán bộ"), "%s", out);
}
