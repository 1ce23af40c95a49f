/*
 * test_client_man.c: the manual pages and shell completion, written from
 * the programs' own tables.  dotpha(1), in both languages, names every
 * command of the table and every option of each, and every global option;
 * dotphad(8) every option `dotphad --help` lists; the pages render
 * without a warning; `dotpha __complete` offers nouns, verbs, options and
 * codes, and the bash script answers from it; `make install` puts the
 * pages and the scripts in place; the hidden commands stay out of the
 * help.
 *
 * Run from the repository root (it runs build/dotpha, build/dotphad,
 * bash, groff and make).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "commands.h"
#include "helpers.h"
#include "lang.h"

static char home[64]; /* HOME and XDG_CONFIG_HOME: no config file of the user's */

static void isolate(void)
{
	cr_assert_eq(helpers_client_home("man", home, sizeof(home)), 0);
}

static void cleanup(void)
{
	cr_expect_eq(helpers_remove_tree(home), 0, "%s", home);
}

TestSuite(man, .init = isolate, .fini = cleanup, .timeout = 120);
TestSuite(complete, .init = isolate, .fini = cleanup, .timeout = 60);

/* Runs dotpha in this process with words (NULL-terminated) after
 * "dotpha"; returns what it wrote to stdout (the caller frees) and its
 * exit code in *code. */
static char *run(int *code, const char *const *words)
{
	char *argv[32] = {"dotpha"}, *out = NULL, *err = NULL;
	size_t olen = 0, elen = 0;
	FILE *fo = open_memstream(&out, &olen), *fe = open_memstream(&err, &elen);
	int n = 1;

	for (; *words && n < 31; words++)
		argv[n++] = (char *)*words;
	argv[n] = NULL;
	*code = cli_run(n, argv, fo, fe);
	fclose(fo);
	fclose(fe);
	free(err);
	lang_set(LANG_VI);
	return out;
}

/* s as it appears in troff: every '-' as \-. */
static const char *roffed(const char *s, char *buf, size_t n)
{
	size_t k = 0;

	for (; *s && k + 3 < n; s++) {
		if (*s == '-')
			buf[k++] = '\\';
		buf[k++] = *s;
	}
	buf[k] = '\0';
	return buf;
}

/* The page dotpha(1) in lang ("vi" or "en"). */
static char *dotpha_page(const char *lang)
{
	int code;
	char *page = run(&code, (const char *const[]){"__man", "--lang", lang, NULL});

	cr_assert_eq(code, 0);
	cr_assert_not_null(page);
	cr_assert(strncmp(page, ".\\\"", 3) == 0 && strstr(page, "\n.TH \"DOTPHA\" 1 "),
		  "not a manual page: %.80s", page);
	return page;
}

static void every_command_and_option_is_in(const char *lang)
{
	char *page = dotpha_page(lang), want[300], name[64], esc[200];
	unsigned ncmd = 0, nopt = 0;

	for (const struct command *c = commands_table; c->noun; c++, ncmd++) {
		snprintf(want, sizeof(want), "\n.SS \"dotpha %s\"\n",
			 roffed(commands_name(c, name, sizeof(name)), esc, sizeof(esc)));
		cr_expect(strstr(page, want), "dotpha(1) in %s lacks the command %s", lang, name);
		/* Its options, each a tagged paragraph after the command's heading. */
		const char *at = strstr(page, want), *next;

		if (!at)
			continue;
		next = strstr(at + 1, "\n.SS ");
		for (const struct opt_spec *o = c->opts; o->name; o++, nopt++) {
			const char *hit;

			snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR",
				 roffed(o->name, esc, sizeof(esc)));
			hit = strstr(at, want);
			cr_expect(hit && (!next || hit < next), "dotpha(1) in %s lacks %s of %s", lang,
				  o->name, name);
		}
	}
	for (const struct opt_spec *o = commands_globals; o->name; o++) {
		snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR", roffed(o->name, esc, sizeof(esc)));
		cr_expect(strstr(page, want), "dotpha(1) in %s lacks the global %s", lang, o->name);
	}
	for (const struct commands_exit *e = commands_exits; e->text; e++) {
		snprintf(want, sizeof(want), ".TP\n\\fB%d\\fR\n", e->code);
		cr_expect(strstr(page, want), "dotpha(1) in %s lacks exit code %d", lang, e->code);
	}
	for (const char *const *v = (const char *const[]){"DOTPHA_SERVER", "DOTPHA_TOKEN",
							  "DOTPHA_LANG", NULL}; *v; v++) {
		snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR\n", *v);
		cr_expect(strstr(page, want), "dotpha(1) in %s lacks %s", lang, *v);
	}
	cr_expect(strstr(page, "dotpha/config"), "dotpha(1) in %s names no config file", lang);
	cr_expect_gt(ncmd, 80);
	cr_expect_gt(nopt, 200);
	free(page);
}

Test(man, every_command_and_each_of_its_options_is_in_the_english_page)
{
	every_command_and_option_is_in("en");
}

Test(man, every_command_and_each_of_its_options_is_in_the_vietnamese_page)
{
	char *page;

	every_command_and_option_is_in("vi");
	/* and it is Vietnamese: the headings and the summaries */
	page = dotpha_page("vi");
	cr_expect(strstr(page, "\n.SH \"CÚ PHÁP\"\n"));
	cr_expect(strstr(page, "\n.SH \"MÃ THOÁT\"\n"));
	cr_expect(strstr(page, lang_vi_of("register a task")), "the summaries are not Vietnamese");
	free(page);
}

/* The options `dotphad --help` lists, each "  --name" at a line's start. */
Test(man, every_option_of_dotphad_help_is_in_dotphad_8)
{
	char bin[300], *help = NULL, *page = NULL, name[64], want[300], esc[160];
	unsigned n = 0;

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(helpers_run((const char *const[]){bin, "--help", NULL}, &help, NULL), 0);
	cr_assert_eq(helpers_run((const char *const[]){bin, "--man", NULL}, &page, NULL), 0);
	cr_assert(strstr(page, "\n.TH \"DOTPHAD\" 8 "), "not a manual page: %.80s", page);
	cr_expect(strstr(help, "--man") == NULL, "--help shows the hidden --man");
	for (const char *p = help; (p = strstr(p, "\n  --")); p += 5, n++) {
		sscanf(p + 3, "%63[a-z-]", name);
		snprintf(want, sizeof(want), ".TP\n\\fB%s\\fR", roffed(name, esc, sizeof(esc)));
		cr_expect(strstr(page, want), "dotphad(8) lacks %s", name);
	}
	cr_expect_geq(n, 28, "only %u options in dotphad --help", n);
	for (const char *s = (const char *)"restore\0gen-cert\0demo\0"; *s; s += strlen(s) + 1) {
		snprintf(want, sizeof(want), "dotphad %s", s);
		cr_expect(strstr(page, roffed(want, esc, sizeof(esc))), "dotphad(8) lacks %s", s);
	}
	free(help);
	free(page);
}

/* groff's warnings (-ww) about path, rendered to UTF-8; NULL if none.
 * Skips the test when there is no groff. */
static char *render_warnings(const char *path)
{
	char *out = NULL, *err = NULL;

	if (access("/usr/bin/groff", X_OK) != 0)
		cr_skip_test("groff is not installed here (DEPS_TEST has groff-base): "
			     "the pages were not rendered");
	cr_assert_eq(helpers_run((const char *const[]){"/usr/bin/groff", "-k", "-man", "-Tutf8",
						       "-ww", "-z", path, NULL},
				 &out, &err), 0, "groff failed on %s: %s", path, err ? err : "");
	free(out);
	if (err && !err[0]) {
		free(err);
		return NULL;
	}
	return err;
}

Test(man, the_pages_render_without_a_warning)
{
	const char *langs[] = {"en", "vi"};
	char path[200], bin[300], *page, *w;
	FILE *f;

	for (int i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/page-%d", home, i);
		if (i < 2) {
			page = dotpha_page(langs[i]);
		} else {
			snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
			cr_assert_eq(helpers_run((const char *const[]){bin, "--man", NULL}, &page, NULL), 0);
		}
		cr_assert_not_null(f = fopen(path, "w"));
		fputs(page, f);
		fclose(f);
		free(page);
		w = render_warnings(path);
		cr_expect_null(w, "page %d: %s", i, w);
		free(w);
	}
}

Test(man, the_hidden_commands_are_not_in_the_help)
{
	int code;
	char *help = run(&code, (const char *const[]){"--help", NULL});

	cr_assert_eq(code, 0);
	cr_expect(strstr(help, "__") == NULL, "dotpha --help shows a hidden command");
	free(help);
	help = run(&code, (const char *const[]){"--lang", "en", "--help", NULL});
	cr_expect(strstr(help, "__") == NULL, "dotpha --lang en --help shows a hidden command");
	free(help);
}

/* What `dotpha __complete words...` offers, one a line. */
static char *complete(const char *const *words)
{
	const char *argv[32] = {"__complete"};
	int n = 1, code;
	char *out;

	for (; *words && n < 31; words++)
		argv[n++] = *words;
	argv[n] = NULL;
	out = run(&code, argv);
	cr_assert_eq(code, 0);
	return out;
}

#define COMPLETE(...) complete((const char *const[]){__VA_ARGS__, NULL})

Test(complete, a_noun_a_verb_an_option_and_its_codes)
{
	char *s;

	s = COMPLETE("ta");
	cr_expect_str_eq(s, "task\n");
	free(s);
	s = COMPLETE("task", "l");
	cr_expect_str_eq(s, "list\n");
	free(s);
	s = COMPLETE("task", "list", "--st");
	cr_expect_str_eq(s, "--state\n--status\n");
	free(s);
	s = COMPLETE("task", "list", "--state", "");
	cr_expect_str_eq(s, "registered\nreviewed\nreturned\nassigned\nin_progress\n"
			    "reported_done\naccepted\ncancelled\ncarried_over\n");
	free(s);
	s = COMPLETE("task", "accept", "7", "--rating", "");
	cr_expect_str_eq(s, "excellent\ngood\ndone\nnot_done\n");
	free(s);
	s = COMPLETE("account", "create", "lan", "Lan", "--role", "s");
	cr_expect_str_eq(s, "supervisor\n");
	free(s);
	s = COMPLETE("term", "create", "2026", "--kind", "");
	cr_expect_str_eq(s, "year\nterm\n");
	free(s);
	s = COMPLETE("task", "create", "--field", "");
	cr_expect_str_eq(s, "socio_economic\ndefence_security\nparty_building\nlivelihood\n");
	free(s);
	/* the second word of a verb of two, a noun's own verbs and the globals */
	s = COMPLETE("admin", "throttle", "");
	cr_expect_str_eq(s, "list\nclear\n");
	free(s);
	s = COMPLETE("--lang", "en", "audit", "v");
	cr_expect_str_eq(s, "verify\n");
	free(s);
	s = COMPLETE("--la");
	cr_expect_str_eq(s, "--lang\n");
	free(s);
	s = COMPLETE("--lang", "");
	cr_expect_str_eq(s, "vi\nen\n");
	free(s);
	/* an option given is not offered again; nothing for what is unknown */
	s = COMPLETE("task", "list", "--state", "accepted", "--sta");
	cr_expect_str_eq(s, "--status\n");
	free(s);
	s = COMPLETE("nonsense", "");
	cr_expect_str_eq(s, "");
	free(s);
}

Test(complete, every_noun_and_verb_of_the_table_is_offered)
{
	char *nouns = COMPLETE(""), want[80];

	for (const struct command *c = commands_table; c->noun; c++) {
		char *verbs = COMPLETE(c->noun, "");

		snprintf(want, sizeof(want), "%s\n", c->noun);
		cr_expect(strstr(nouns, want), "the noun %s is not offered", c->noun);
		snprintf(want, sizeof(want), "%.*s\n", (int)strcspn(c->verb, " "), c->verb);
		if (c->verb[0])
			cr_expect(strstr(verbs, want), "the verb %s %s is not offered", c->noun,
				  c->verb);
		free(verbs);
	}
	free(nouns);
}

Test(complete, units_from_a_server_out_of_reach_are_none_and_quickly)
{
	struct timespec t0, t1;
	char *s;

	/* a token, and an address where nothing answers */
	setenv("DOTPHA_TOKEN", "dp1_0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
	       1);
	setenv("DOTPHA_SERVER", "tcp://127.0.0.1:1", 1);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	s = COMPLETE("task", "list", "--unit", "");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_expect_str_eq(s, "");
	free(s);
	s = COMPLETE("--server", "10.255.255.1:7878", "unit", "show", "");
	cr_expect_str_eq(s, "");
	free(s);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	cr_expect_lt(t1.tv_sec - t0.tv_sec, 4, "completion waited %ld s", (long)(t1.tv_sec - t0.tv_sec));
}

Test(complete, the_bash_script_answers_from_dotpha)
{
	char *out = NULL, *err = NULL, script[2000];

	if (access("/bin/bash", X_OK) != 0)
		cr_skip_test("bash is not installed here");
	snprintf(script, sizeof(script),
		 "PATH=%s:$PATH; source dist/completion/dotpha.bash || exit 9; "
		 "COMP_WORDS=(dotpha ta); COMP_CWORD=1; _dotpha; printf '%%s|' \"${COMPREPLY[@]}\"; "
		 "COMP_WORDS=(dotpha task list --health ''); COMP_CWORD=4; _dotpha; "
		 "printf '%%s|' \"${COMPREPLY[@]}\"; complete -p dotpha",
		 helpers_build_dir());
	cr_assert_eq(helpers_run((const char *const[]){"/bin/bash", "--norc", "-c", script, NULL},
				 &out, &err), 0, "%s", err ? err : "");
	cr_expect(strncmp(out, "task|on_track|at_risk|stalled|complete ", 39) == 0, "%s", out);
	cr_expect(strstr(out, "-F _dotpha dotpha"), "%s", out);
	free(out);
	free(err);
	/* the zsh script asks the same command */
	out = helpers_read_file("dist/completion/_dotpha");
	cr_assert_not_null(out);
	cr_expect(strncmp(out, "#compdef dotpha\n", 16) == 0);
	cr_expect(strstr(out, "dotpha __complete"));
	free(out);
}

Test(man, make_install_puts_the_pages_and_the_completion_in_place_and_uninstall_removes_them)
{
	const char *files[] = {
		"usr/local/share/man/man1/dotpha.1.gz", "usr/local/share/man/vi/man1/dotpha.1.gz",
		"usr/local/share/man/man8/dotphad.8.gz",
		"usr/local/share/bash-completion/completions/dotpha",
		"usr/local/share/zsh/vendor-completions/_dotpha",
	};
	char build[300], dest[200], p[400], *out = NULL;
	struct stat st;

	snprintf(build, sizeof(build), "BUILD=%s", helpers_build_dir());
	snprintf(dest, sizeof(dest), "DESTDIR=%s/dest", home);
	cr_assert_eq(helpers_run((const char *const[]){"/usr/bin/make", "-s", "--no-print-directory",
						       build, "install", dest, NULL},
				 NULL, NULL), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/dest/%s", home, files[i]);
		cr_expect(stat(p, &st) == 0 && (st.st_mode & 0777) == 0644, "%s missing or not 0644", p);
	}
	/* gzip -9n: the Vietnamese page is the troff of `dotpha __man` */
	snprintf(p, sizeof(p), "gzip -dc %s/dest/usr/local/share/man/vi/man1/dotpha.1.gz", home);
	cr_assert_eq(helpers_run((const char *const[]){"/bin/sh", "-c", p, NULL}, &out, NULL), 0);
	cr_expect(strstr(out, "\n.SH \"CÚ PHÁP\"\n"), "vi/man1/dotpha.1.gz is not Vietnamese");
	free(out);
	cr_assert_eq(helpers_run((const char *const[]){"/usr/bin/make", "-s", "--no-print-directory",
						       build, "uninstall", dest, NULL},
				 NULL, NULL), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/dest/%s", home, files[i]);
		cr_expect(stat(p, &st) != 0, "%s is left after uninstall", p);
	}
}
