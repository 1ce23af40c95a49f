/*
 * test_transfer.c: `dotpha export` and `dotpha import` end to end, the
 * real client against two real daemons: the demo province exported,
 * imported into an empty database and exported again gives the same
 * files byte for byte; importing them again changes nothing; a file with
 * bad rows names each on stderr, exits 5 and leaves nothing behind.
 */
#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "helpers.h"

static struct daemon src, dst;

static void start(void)
{
	char bin[300], *out = NULL, *err = NULL;
	static const char *const clock[] = {"--clock", "2026-10-31T12:00:00", NULL};
	int rc;

	cr_assert_eq(daemon_prepare(&src), 0);
	cr_assert_eq(daemon_prepare(&dst), 0);
	setenv("XDG_CONFIG_HOME", src.dir, 1);
	setenv("HOME", src.dir, 1);
	unsetenv("DOTPHA_SERVER");
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

static void export_to(const struct daemon *d, const char *kind, const char *format,
		      const char *path)
{
	char *out = NULL, *err = NULL;
	const char *args[] = {"export", kind, "--format", format, "-o", path, NULL};
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

	cr_assert_eq(rc, 0, "import %s exited %d: %s", kind, rc, err);
	cr_assert(strstr(out, want), "import %s said '%s', not '%s'", kind, out, want);
	free(out);
	free(err);
}

Test(transfer, the_demo_exported_imported_into_an_empty_database_and_exported_again_is_the_same)
{
	static const struct {
		const char *kind, *created;
	} kinds[] = {
		{"terms", "\"rows\":2,\"created\":2,"},
		{"units", "\"rows\":70,\"created\":70,"},
		{"cadres", "\"rows\":141,\"created\":141,"},
		{"tasks", "\"rows\":476,\"created\":476,"},
	};
	char a[400], b[400];

	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		char *x, *y;
		size_t nx, ny;

		snprintf(a, sizeof(a), "%s/%s.csv", src.dir, kinds[i].kind);
		snprintf(b, sizeof(b), "%s/%s.csv", dst.dir, kinds[i].kind);
		export_to(&src, kinds[i].kind, "csv", a);
		import_from(&dst, kinds[i].kind, a, kinds[i].created);
		export_to(&dst, kinds[i].kind, "csv", b);
		x = slurp(a, &nx);
		y = slurp(b, &ny);
		cr_assert(nx > 100 && memcmp(x, "\xEF\xBB\xBF" "code,", 8) == 0, "%s", kinds[i].kind);
		cr_assert(strstr(x, "\r\n"), "CRLF line ends");
		cr_assert(nx == ny && memcmp(x, y, nx) == 0, "%s: the two exports differ",
			  kinds[i].kind);
		free(x);
		free(y);
		/* The same file again, into either database, changes nothing. */
		import_from(&dst, kinds[i].kind, a, "\"created\":0,\"updated\":0,");
		import_from(&src, kinds[i].kind, a, "\"created\":0,\"updated\":0,");

		snprintf(a, sizeof(a), "%s/%s.json", src.dir, kinds[i].kind);
		snprintf(b, sizeof(b), "%s/%s.json", dst.dir, kinds[i].kind);
		export_to(&src, kinds[i].kind, "json", a);
		export_to(&dst, kinds[i].kind, "json", b);
		x = slurp(a, &nx);
		y = slurp(b, &ny);
		cr_assert(x[0] == '[' && strstr(x, "{\"code\":"), "%s", kinds[i].kind);
		cr_assert(nx == ny && memcmp(x, y, nx) == 0, "%s: the JSON exports differ",
			  kinds[i].kind);
		free(x);
		free(y);
	}
	/* Progress updates are exported (not imported): 9796 rows and a header. */
	snprintf(a, sizeof(a), "%s/updates.csv", src.dir);
	export_to(&src, "updates", "csv", a);
	{
		size_t n, lines = 0;
		char *x = slurp(a, &n);

		for (size_t i = 0; i + 1 < n; i++)
			lines += x[i] == '\r' && x[i + 1] == '\n';
		cr_assert(strncmp(x, "\xEF\xBB\xBF" "task,reported_at,percent,", 28) == 0);
		cr_assert_geq(lines, 9797, "%zu lines", lines);
		free(x);
	}
}

Test(transfer, bad_rows_are_named_on_stderr_exit_5_and_nothing_is_imported)
{
	char path[400], *out = NULL, *err = NULL;
	const char *args[] = {"import", "units", path, "--dry-run", NULL};
	const char *real[] = {"import", "units", path, NULL};
	const char *list[] = {"unit", "list", NULL};
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
	cr_assert(strstr(err, "bad.csv:4: valid_from:"), "%s", err);
	cr_assert(strstr(err, "2 bad rows; nothing was imported"), "%s", err);
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

	/* A file that is not CSV is refused by the client, with its line. */
	f = fopen(path, "wb");
	fputs("code,name\n\"open,x\n", f);
	fclose(f);
	rc = run(&dst, &out, &err, real);
	cr_assert_eq(rc, 5);
	cr_assert(strstr(err, "bad.csv:2: field 1: a quoted field is never closed"), "%s", err);
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
	cr_assert(strstr(err, "over the 1000000 an import takes"), "%s", err);
	cr_assert(strstr(err, "split the file"), "%s", err);
	free(out);
	free(err);
	rc = run(&dst, &out, &err, list);
	cr_assert_neq(rc, 0, "the empty database has no unit TU, so nothing was imported: %s", out);
	free(out);
	free(err);
}
