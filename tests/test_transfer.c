/*
 * test_transfer.c: `dotpha export` and `dotpha import` end to end, the
 * real client against real daemons: the demo province exported,
 * imported into an empty database and exported again gives the same
 * files byte for byte, in Vietnamese and in English; importing any of
 * them again changes nothing; the spreadsheets of tests/fixtures, as
 * LibreOffice and Excel save them under Vietnamese settings, import; the
 * formula guard both ways; a file with bad rows names each by its line
 * and its header on stderr, exits 5 and leaves nothing behind; the
 * report's workbook holds the figures of `report --csv`.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "helpers.h"

static struct daemon src, dst, third; /* third: an empty one, started by the tests that need it */

static void start(void)
{
	char bin[300], *out = NULL, *err = NULL;
	static const char *const clock[] = {"--clock", "2026-10-31T12:00:00", NULL};
	int rc;

	cr_assert_eq(daemon_prepare(&src), 0);
	cr_assert_eq(daemon_prepare(&dst), 0);
	setenv("XDG_CONFIG_HOME", src.dir, 1);
	setenv("HOME", src.dir, 1);
	setenv("TZ", "ICT-7", 1); /* the offices' local time, UTC+7 */
	unsetenv("DOTPHA_SERVER");
	unsetenv("DOTPHA_LANG");
	third.pid = 0;
	third.dir[0] = '\0';
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	{
		const char *argv[] = {bin, "--db", src.db, "demo", "--present", "2026-10-31", NULL};

		rc = helpers_run(argv, &out, &err);
	}
	cr_assert_eq(rc, 0, "dotphad demo exited %d: %s", rc, err);
	free(out);
	free(err);
	cr_assert_eq(daemon_start(&src, clock), 0, "dotphad did not start (see %s)", src.log);
	cr_assert_eq(daemon_start(&dst, clock), 0, "dotphad did not start (see %s)", dst.log);
}

static void stop_one(struct daemon *d)
{
	if (d->pid > 0)
		cr_expect_eq(daemon_signal_wait(d, SIGTERM, 10000), 0, "log: %s", d->log);
	daemon_cleanup(d);
}

static void stop(void)
{
	stop_one(&src);
	stop_one(&dst);
	if (third.dir[0])
		stop_one(&third);
}

/* Starts the third daemon, on an empty database. */
static void start_third(void)
{
	static const char *const clock[] = {"--clock", "2026-10-31T12:00:00", NULL};

	cr_assert_eq(daemon_prepare(&third), 0);
	cr_assert_eq(daemon_start(&third, clock), 0, "dotphad did not start (see %s)", third.log);
}

TestSuite(transfer, .init = start, .fini = stop, .timeout = 180);

/* Runs dotpha against d as its admin; the exit code, stdout and stderr
 * (malloc'ed) in *out and *err. */
static int run(const struct daemon *d, char **out, char **err, const char *const *args)
{
	setenv("DOTPHA_TOKEN", d->token, 1);
	return client_run(d, out, err, args);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "%s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

/* Exports kind from d to path in the client's language `lang` ("vi",
 * "en"). */
static void export_to(const struct daemon *d, const char *lang, const char *kind,
		      const char *format, const char *path)
{
	char *out = NULL, *err = NULL;
	const char *args[] = {"--lang", lang, "export", kind, "--format", format, "-o", path, NULL};
	int rc = run(d, &out, &err, args);

	cr_assert_eq(rc, 0, "export %s exited %d: %s", kind, rc, err);
	free(out);
	free(err);
}

/* Imports path into d; the result it printed (JSON) must contain `want`. */
static void import_from(const struct daemon *d, const char *kind, const char *path,
			const char *want)
{
	char *out = NULL, *err = NULL;
	const char *args[] = {"--json", "import", kind, path, NULL};
	int rc = run(d, &out, &err, args);

	cr_assert_eq(rc, 0, "import %s %s exited %d: %s", kind, path, rc, err);
	cr_assert(strstr(out, want), "import %s %s said '%s', not '%s'", kind, path, out, want);
	free(out);
	free(err);
}

/* Both files, byte for byte. */
static void expect_same_file(const char *a, const char *b)
{
	size_t nx, ny;
	char *x = slurp(a, &nx), *y = slurp(b, &ny);

	cr_assert(nx > 50 && nx == ny && memcmp(x, y, nx) == 0, "%s and %s differ", a, b);
	free(x);
	free(y);
}

/* Both CSV files, their first n columns field for field. */
static void expect_same_columns(const char *a, const char *b, size_t n)
{
	size_t nx, ny;
	char *x = slurp(a, &nx), *y = slurp(b, &ny);
	struct csv_table tx, ty;
	struct csv_error e;

	cr_assert_eq(csv_parse(x, nx, ';', &tx, &e), 0, "%s:%ld: %s", a, e.line, e.message);
	cr_assert_eq(csv_parse(y, ny, ';', &ty, &e), 0, "%s:%ld: %s", b, e.line, e.message);
	cr_assert_eq(tx.nrecords, ty.nrecords);
	for (size_t i = 0; i < tx.nrecords; i++)
		for (size_t j = 0; j < n; j++)
			cr_assert_str_eq(tx.records[i].fields[j], ty.records[i].fields[j],
					 "line %ld, column %zu", tx.records[i].line, j + 1);
	csv_table_free(&tx);
	csv_table_free(&ty);
	free(x);
	free(y);
}

static const char *const kinds[] = {"terms", "units", "cadres", "tasks"};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

Test(transfer, the_demo_exported_imported_into_an_empty_database_and_exported_again_is_the_same)
{
	static const char *const created[] = {
		"\"rows\":2,\"created\":2,",
		"\"rows\":70,\"created\":70,",
		"\"rows\":141,\"created\":141,",
		"\"rows\":476,\"created\":476,",
	};
	char a[400], b[400], c[400];

	/* In Vietnamese, from the demo into an empty database: the same files
	 * but for what the work made of each task (state, percent, status,
	 * health), which an import does not bring: every task starts
	 * registered. */
	for (size_t i = 0; i < NKINDS; i++) {
		size_t n;
		char *x;

		snprintf(a, sizeof(a), "%s/%s.csv", src.dir, kinds[i]);
		snprintf(b, sizeof(b), "%s/%s.csv", dst.dir, kinds[i]);
		export_to(&src, "vi", kinds[i], "csv", a);
		import_from(&dst, kinds[i], a, created[i]);
		export_to(&dst, "vi", kinds[i], "csv", b);
		x = slurp(a, &n);
		cr_assert(strstr(x, "\r\n") && memcmp(x, "\xEF\xBB\xBF" "Mã", 5) == 0, "%s", x);
		free(x);
		if (strcmp(kinds[i], "tasks") == 0)
			expect_same_columns(a, b, 11);
		else
			expect_same_file(a, b);
		/* The same file again, into either database, changes nothing. */
		import_from(&dst, kinds[i], a, "\"created\":0,\"updated\":0,");
		import_from(&src, kinds[i], a, "\"created\":0,\"updated\":0,");
	}
	/* In English (the codes, the wire's values), from that database into
	 * an empty one: the same files, tasks included; then in Vietnamese. */
	start_third();
	for (size_t i = 0; i < NKINDS; i++) {
		snprintf(a, sizeof(a), "%s/%s-en.csv", dst.dir, kinds[i]);
		snprintf(b, sizeof(b), "%s/%s-en.csv", third.dir, kinds[i]);
		export_to(&dst, "en", kinds[i], "csv", a);
		import_from(&third, kinds[i], a, created[i]);
		export_to(&third, "en", kinds[i], "csv", b);
		expect_same_file(a, b);
		import_from(&third, kinds[i], a, "\"created\":0,\"updated\":0,");
		import_from(&src, kinds[i], a, "\"created\":0,\"updated\":0,");
		snprintf(a, sizeof(a), "%s/%s.csv", dst.dir, kinds[i]);
		snprintf(c, sizeof(c), "%s/%s.csv", third.dir, kinds[i]);
		export_to(&third, "vi", kinds[i], "csv", c);
		expect_same_file(a, c);
		snprintf(a, sizeof(a), "%s/%s.json", dst.dir, kinds[i]);
		snprintf(c, sizeof(c), "%s/%s.json", third.dir, kinds[i]);
		export_to(&dst, "vi", kinds[i], "json", a);
		export_to(&third, "vi", kinds[i], "json", c);
		expect_same_file(a, c);
	}
	{
		size_t n;
		char *x = slurp(b, &n); /* tasks in English */

		cr_assert(memcmp(x, "\xEF\xBB\xBF" "code,title,description,kind,field,owner,unit,term,"
				    "assigned_by,product,due_date,state,percent,status,health\r\n", 102) == 0,
			  "%.120s", x);
		cr_assert(strstr(x, ",registered,0,not_assigned,\r\n"), "%.400s", x);
		free(x);
		x = slurp(a, &n); /* tasks as JSON: the wire's values */
		cr_assert(x[0] == '[' && strstr(x, "{\"code\":\"T1\",") &&
			  strstr(x, "\"due_date\":\"2020-12-31\""), "%.300s", x);
		free(x);
	}
	/* Progress updates are exported (not imported): 9796 rows and a
	 * header; moments in local time, percent a number. */
	snprintf(a, sizeof(a), "%s/updates.csv", src.dir);
	export_to(&src, "vi", "updates", "csv", a);
	{
		size_t n, lines = 0;
		char *x = slurp(a, &n);

		for (size_t i = 0; i + 1 < n; i++)
			lines += x[i] == '\r' && x[i + 1] == '\n';
		cr_assert(strncmp(x, "\xEF\xBB\xBF" "Mã việc;Thời điểm báo cáo;Tiến độ (%);", 52) == 0,
			  "%.80s", x);
		cr_assert(strstr(x, ";Thẩm định\r\n"), "%.200s", x);
		cr_assert(strstr(x, "\r\nT6;27/02/2020 09:52:00;0;"), "UTC+7, no Z: %.300s", x);
		cr_assert_null(strstr(x, "Z;"));
		cr_assert_geq(lines, 9797, "%zu lines", lines);
		free(x);
	}
}

/* The path of a fixture. */
static const char *fixture(char *buf, size_t n, const char *name)
{
	snprintf(buf, n, "tests/fixtures/%s", name);
	return buf;
}

/* The fixtures, as an office's spreadsheets save them, into dst. */
static void import_fixtures(void)
{
	char path[400];

	import_from(&dst, "terms", fixture(path, sizeof(path), "terms_codes_semicolon_lf.csv"),
		    "\"rows\":2,\"created\":2,");
	import_from(&dst, "units", fixture(path, sizeof(path), "units_semicolon_bom_crlf.csv"),
		    "\"rows\":4,\"created\":4,");
	import_from(&dst, "cadres", fixture(path, sizeof(path), "cadres_comma_bom_crlf.csv"),
		    "\"rows\":2,\"created\":2,");
	import_from(&dst, "tasks", fixture(path, sizeof(path), "tasks_semicolon_bom_crlf.csv"),
		    "\"rows\":4,\"created\":4,");
}

/* Kind exported from d as JSON, the wire's values (malloc'ed). */
static char *export_json(const struct daemon *d, const char *kind)
{
	char path[400];
	size_t n;

	snprintf(path, sizeof(path), "%s/%s.json", d->dir, kind);
	export_to(d, "vi", kind, "json", path);
	return slurp(path, &n);
}

Test(transfer, spreadsheets_saved_under_vietnamese_settings_import_and_again_change_nothing)
{
	static const char *const files[][2] = {
		{"terms", "terms_codes_semicolon_lf.csv"},
		{"units", "units_semicolon_bom_crlf.csv"},
		{"cadres", "cadres_comma_bom_crlf.csv"},
		{"tasks", "tasks_semicolon_bom_crlf.csv"},
	};
	char path[400], *x;

	import_fixtures();
	/* Each again, as the office would: nothing to do (the tasks leaving
	 * unit, assigned_by and product empty among them). */
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++)
		import_from(&dst, files[i][0], fixture(path, sizeof(path), files[i][1]),
			    "\"created\":0,\"updated\":0,");
	/* On the wire: codes, ISO dates, the texts without the guard. */
	x = export_json(&dst, "tasks");
	cr_assert(strstr(x, "\"code\":\"NV-01\",\"title\":\"Giải phóng mặt bằng Cụm công nghiệp Sơn "
			    "Nam\",\"description\":\"Hai dòng:\\r\\ntồn tại từ trước năm 2000\","
			    "\"kind\":\"breakthrough\",\"field\":\"socio_economic\",\"owner\":\"CB1\","
			    "\"unit\":\"H-SD\",\"term\":\"NK2025-2030\",\"assigned_by\":\"TQ\","
			    "\"product\":\"Bàn giao 100% mặt bằng sạch\",\"due_date\":\"2026-12-31\""),
		  "%s", x);
	cr_assert(strstr(x, "\"code\":\"NV-02\",\"title\":\"=HYPERLINK(\\\"http://example.com\\\")\","
			    "\"description\":\"\",\"kind\":\"innovation\",\"field\":"
			    "\"defence_security\",\"owner\":\"CB2\",\"unit\":\"X-SN\",\"term\":\"2026\","
			    "\"assigned_by\":\"H-SD\",\"product\":\"\",\"due_date\":\"2026-06-30\""),
		  "%s", x);
	cr_assert(strstr(x, "\"title\":\"-5 điểm nghẽn\",\"description\":\"@ghi chú\","
			    "\"kind\":\"breakthrough\",\"field\":\"party_building\""),
		  "%s", x);
	cr_assert(strstr(x, "\"product\":\"+1 trường học\",\"due_date\":\"2026-06-01\""), "%s", x);
	cr_assert(strstr(x, "\"title\":\"'Dấu nháy ở đầu\",\"description\":\"\",\"kind\":"
			    "\"breakthrough\",\"field\":\"livelihood\""),
		  "%s", x);
	free(x);
	x = export_json(&dst, "terms");
	cr_assert(strstr(x, "{\"code\":\"2026\",\"name\":\"Năm 2026\",\"kind\":\"year\","
			    "\"start\":\"2026-01-01\",\"end\":\"2026-12-31\"}"), "%s", x);
	cr_assert(strstr(x, "\"kind\":\"term\",\"start\":\"2025-10-01\",\"end\":\"2030-09-30\""),
		  "%s", x);
	free(x);
	x = export_json(&dst, "units");
	cr_assert(strstr(x, "{\"code\":\"H-YS\",\"name\":\"Huyện ủy Yên Sơn; trước sáp nhập\","
			    "\"level\":\"huyện ủy\",\"parent\":\"TQ\",\"valid_from\":\"2000-01-01\","
			    "\"valid_to\":\"2025-06-30\",\"merged_into\":\"H-SD\"}"), "%s", x);
	free(x);
}

Test(transfer, a_text_a_spreadsheet_would_take_for_a_formula_is_exported_after_an_apostrophe)
{
	char a[400], b[400], *x;
	size_t n;

	import_fixtures();
	snprintf(a, sizeof(a), "%s/tasks.csv", dst.dir);
	export_to(&dst, "vi", "tasks", "csv", a);
	x = slurp(a, &n);
	/* = + - @ and the apostrophe itself: one apostrophe before; labels,
	 * dd/mm/yyyy; nothing else starts with =, +, - or @. */
	cr_assert(strstr(x, "\r\nNV-02;\"'=HYPERLINK(\"\"http://example.com\"\")\";;Đổi mới;"
			    "Quốc phòng, an ninh;CB2;X-SN;2026;H-SD;;30/06/2026;Đã đăng ký;0;"
			    "Chưa giao;\r\n"),
		  "%s", x);
	cr_assert(strstr(x, "\r\nNV-03;'-5 điểm nghẽn;'@ghi chú;Đột phá;"), "%s", x);
	cr_assert(strstr(x, ";'+1 trường học;01/06/2026;"), "%s", x);
	cr_assert(strstr(x, "\r\nNV-04;''Dấu nháy ở đầu;;Đột phá;Đời sống Nhân dân;"), "%s", x);
	for (const char *p = x; (p = strchr(p, ';')); p++)
		cr_assert(!p[1] || !strchr("=+-@", p[1]), "a cell starts a formula: %.40s", p);
	free(x);
	/* In English too (',' between the cells). */
	snprintf(b, sizeof(b), "%s/tasks-en.csv", dst.dir);
	export_to(&dst, "en", "tasks", "csv", b);
	x = slurp(b, &n);
	cr_assert(strstr(x, "\r\nNV-03,'-5 điểm nghẽn,'@ghi chú,breakthrough,party_building,"), "%s",
		  x);
	free(x);
	/* And back: each text as it was, into an empty database, and the
	 * same file out again. */
	start_third();
	import_from(&third, "terms", "tests/fixtures/terms_codes_semicolon_lf.csv", "\"created\":2");
	import_from(&third, "units", "tests/fixtures/units_semicolon_bom_crlf.csv", "\"created\":4");
	import_from(&third, "cadres", "tests/fixtures/cadres_comma_bom_crlf.csv", "\"created\":2");
	import_from(&third, "tasks", a, "\"rows\":4,\"created\":4,");
	import_from(&dst, "tasks", a, "\"created\":0,\"updated\":0,");
	import_from(&dst, "tasks", b, "\"created\":0,\"updated\":0,");
	snprintf(b, sizeof(b), "%s/tasks.csv", third.dir);
	export_to(&third, "vi", "tasks", "csv", b);
	expect_same_file(a, b);
}

Test(transfer, bad_rows_are_named_by_line_and_header_on_stderr_exit_5_and_nothing_is_imported)
{
	char path[400], *out = NULL, *err = NULL;
	const char *args[] = {"import", "units", path, "--dry-run", NULL};
	const char *real[] = {"import", "units", path, NULL};
	const char *list[] = {"unit", "list", NULL};
	const char *tasks[] = {"import", "tasks", "tests/fixtures/tasks_bad_semicolon.csv", NULL};
	const char *tasks_en[] = {"--lang", "en", "import", "tasks",
				  "tests/fixtures/tasks_bad_semicolon.csv", NULL};
	const char *pipe[] = {"import", "units", "tests/fixtures/units_pipe.csv", NULL};
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/bad.csv", dst.dir);
	f = fopen(path, "wb");
	fputs("\xEF\xBB\xBF" "code,name,level,parent,valid_from,valid_to,merged_into\r\n"
	      "R,\"Tỉnh, mới\",tỉnh,,,,\r\n"
	      "R1,Xã,xã,NOWHERE,,,\r\n"
	      "R2,Xã,xã,R,2024-02-30,,\r\n",
	      f);
	fclose(f);
	rc = run(&dst, &out, &err, args);
	cr_assert_eq(rc, 5, "exited %d: %s", rc, err);
	cr_assert(strstr(err, "bad.csv:3: parent: no unit with code 'NOWHERE'"), "%s", err);
	cr_assert(strstr(err, "bad.csv:4: valid_from: "), "%s", err);
	cr_assert(strstr(err, "(ngày viết dd/mm/yyyy, hoặc yyyy-mm-dd)"), "%s", err);
	cr_assert(strstr(err, "bad.csv: 2 dòng lỗi; chưa nhập gì"), "%s", err);
	free(out);
	free(err);
	rc = run(&dst, &out, &err, real);
	cr_assert_eq(rc, 5);
	free(out);
	free(err);
	rc = run(&dst, &out, &err, list);
	cr_assert_eq(rc, 0);
	cr_assert_null(strstr(out, "Tỉnh, mới"), "the good row was not kept: %s", out);
	free(out);
	free(err);

	/* A spreadsheet's file: each bad row by its line and its header as
	 * the file writes it, counted once however many cells are bad. */
	import_fixtures();
	rc = run(&dst, &out, &err, tasks);
	cr_assert_eq(rc, 5, "exited %d: %s", rc, err);
	cr_assert(strstr(err, "tasks_bad_semicolon.csv:3: Hạn hoàn thành: must be a date YYYY-MM-DD, "
			      "got '31/06/2026' (ngày viết dd/mm/yyyy, hoặc yyyy-mm-dd)\n"),
		  "%s", err);
	cr_assert(strstr(err, "tasks_bad_semicolon.csv:4: Loại việc: "), "%s", err);
	cr_assert(strstr(err, "'Phi thường' (ghi nhãn như `dotpha export` ghi"), "%s", err);
	cr_assert(strstr(err, "tasks_bad_semicolon.csv:5: Cán bộ chủ trì (mã): no cadre with code "
			      "'CB404'\n"),
		  "%s", err);
	cr_assert(strstr(err, "tasks_bad_semicolon.csv:6: "), "%s", err);
	cr_assert(strstr(err, "tasks_bad_semicolon.csv: 4 dòng lỗi; chưa nhập gì"), "%s", err);
	free(out);
	free(err);
	rc = run(&dst, &out, &err, tasks_en);
	cr_assert_eq(rc, 5, "exited %d: %s", rc, err);
	cr_assert(strstr(err, "tasks_bad_semicolon.csv: 4 bad rows; nothing was imported"), "%s",
		  err);
	free(out);
	free(err);

	/* A header that is one column: the separator named, and those tried. */
	rc = run(&dst, &out, &err, pipe);
	cr_assert_eq(rc, 5, "exited %d: %s", rc, err);
	cr_assert(strstr(err, "units_pipe.csv:1: dòng tiêu đề chỉ tách được một cột với dấu phân "
			      "cách ',' (đã thử ',', ';' và tab)\n"),
		  "%s", err);
	cr_assert(strstr(err, "units_pipe.csv:1: các cột của units, cách nhau bằng dấu ',' hoặc ';': "
			      "Mã đơn vị, Tên đơn vị, Cấp,"),
		  "%s", err);
	free(out);
	free(err);

	/* A file that is not CSV is refused by the client, with its line. */
	f = fopen(path, "wb");
	fputs("code,name\n\"open,x\n", f);
	fclose(f);
	rc = run(&dst, &out, &err, real);
	cr_assert_eq(rc, 5);
	cr_assert(strstr(err, "bad.csv:2: ô thứ 1: một ô mở dấu nháy mà không đóng"), "%s", err);
	free(out);
	free(err);
}

Test(transfer, a_file_over_the_message_limit_is_refused_before_it_is_sent)
{
	char path[400], *out = NULL, *err = NULL;
	const char *args[] = {"import", "cadres", path, NULL};
	const char *list[] = {"--json", "cadre", "list", "--unit", "TU", "--limit", "1", NULL};
	FILE *f;
	int rc;

	snprintf(path, sizeof(path), "%s/big.csv", dst.dir);
	f = fopen(path, "wb");
	fputs("code,full_name,title,unit,managing_unit,since\r\n", f);
	for (int i = 0; i < 12000; i++) /* about 1.2 MB */
		fprintf(f, "BIG%05d,Nguyễn Văn Một Trăm,Chuyên viên Văn phòng,TU,TU,2021-01-01\r\n", i);
	fclose(f);
	rc = run(&dst, &out, &err, args);
	cr_assert_eq(rc, 5, "exited %d: %s", rc, err);
	cr_assert(strstr(err, "quá 1000000 byte một lần nhập nhận được"), "%s", err);
	cr_assert(strstr(err, "hãy tách tệp"), "%s", err);
	free(out);
	free(err);
	rc = run(&dst, &out, &err, list);
	cr_assert_neq(rc, 0, "the empty database has no unit TU, so nothing was imported: %s", out);
	free(out);
	free(err);
}

/* Reads sheet N of an .xlsx (a zip: xl/sharedStrings.xml and
 * xl/worksheets/sheetN.xml) and prints, from the row whose first cell is
 * argv[3] on, each row as CSV the way `report --csv` writes it (',' and
 * CRLF; a number in a column whose header has "(%)" with one decimal,
 * else whole).  Exits 1 if a cell right of the second column holds text
 * rather than a number. */
static const char xlsx_reader[] =
	"import csv, re, sys, zipfile, xml.etree.ElementTree as ET\n"
	"M = '{http://schemas.openxmlformats.org/spreadsheetml/2006/main}'\n"
	"z = zipfile.ZipFile(sys.argv[1])\n"
	"ss = [''.join(t.text or '' for t in si.iter(M + 't'))\n"
	"      for si in ET.fromstring(z.read('xl/sharedStrings.xml')).findall(M + 'si')]\n"
	"sheet = ET.fromstring(z.read('xl/worksheets/sheet%s.xml' % sys.argv[2]))\n"
	"table, head, bad = [], None, False\n"
	"for row in sheet.find(M + 'sheetData').findall(M + 'row'):\n"
	"    cells = {}\n"
	"    for c in row.findall(M + 'c'):\n"
	"        col = ord(re.match('[A-Z]+', c.get('r')).group(0)) - 65\n"
	"        v = c.find(M + 'v')\n"
	"        if v is None: cells[col] = ''\n"
	"        elif c.get('t') == 's':\n"
	"            cells[col] = ss[int(v.text)]\n"
	"            bad = bad or (head is not None and col > 1)\n"
	"        else: cells[col] = float(v.text)\n"
	"    if head is None and cells.get(0) == sys.argv[3]: head = cells\n"
	"    if head is None: continue\n"
	"    out = []\n"
	"    for k in range(len(head)):\n"
	"        v = cells.get(k, '')\n"
	"        if isinstance(v, float):\n"
	"            v = '%.1f' % v if '(%)' in head[k] else '%d' % v\n"
	"        out.append(v)\n"
	"    table.append(out)\n"
	"w = csv.writer(sys.stdout, lineterminator='\\r\\n')\n"
	"w.writerows(table)\n"
	"sys.exit(1 if bad or head is None else 0)\n";

Test(transfer, the_reports_workbook_holds_the_figures_of_the_official_table)
{
	char path[400], *out = NULL, *err = NULL, *csv = NULL, *sheet = NULL;
	const char *xlsx[] = {"report", "--term", "2021-2025", "--xlsx", path, NULL};
	const char *text[] = {"report", "--term", "2021-2025", "--csv", NULL};
	const char *py1[] = {"/usr/bin/python3", "-c", xlsx_reader, path, "1", "Mã đơn vị", NULL};
	const char *py2[] = {"/usr/bin/python3", "-c", xlsx_reader, path, "2", "Chỉ tiêu", NULL};
	const char *json[] = {"--json", "report", "--term", "2021-2025", NULL};
	int rc;

	snprintf(path, sizeof(path), "%s/bao-cao.xlsx", src.dir);
	rc = run(&src, &out, &err, xlsx);
	cr_assert_eq(rc, 0, "exited %d: %s", rc, err);
	cr_assert(strstr(out, "Đã ghi bảng tính vào "), "%s", out);
	free(out);
	free(err);
	rc = run(&src, &csv, &err, text);
	cr_assert_eq(rc, 0, "exited %d: %s", rc, err);
	free(err);
	/* Sheet 1: every unit's row and the totals, the same as the CSV, the
	 * figures as numbers. */
	rc = helpers_run(py1, &sheet, &err);
	cr_assert_eq(rc, 0, "the workbook's figures are not all numbers (%d): %s", rc, err);
	cr_assert(strlen(sheet) > 1000 && strncmp(sheet, "Mã đơn vị,Đơn vị,", 21) == 0, "%s", sheet);
	cr_assert_str_eq(sheet, csv + 3, "the workbook and `report --csv` differ");
	cr_assert(strstr(sheet, "\r\n,Tổng cộng,,"), "%s", sheet);
	free(sheet);
	free(err);
	free(csv);
	/* Sheet 2: the summary's figures, as report.get's. */
	rc = helpers_run(py2, &sheet, &err);
	cr_assert_eq(rc, 0, "%d: %s", rc, err);
	free(err);
	rc = run(&src, &out, &err, json);
	cr_assert_eq(rc, 0);
	{
		const char *t = strstr(out, "\"summary\":{"), *n = t ? strstr(t, "\"total\":") : NULL;
		char want[64];

		cr_assert_not_null(n, "%.300s", out);
		snprintf(want, sizeof(want), "\r\nTổng số việc,%ld\r\n", strtol(n + 8, NULL, 10));
		cr_assert(strstr(sheet, want), "%s lacks %s", sheet, want);
	}
	free(sheet);
	free(out);
	free(err);
}
