/*
 * test_client_lang.c: the client's language.  Every text marked in
 * client/ has its Vietnamese, with the same printf conversions; no
 * Vietnamese text uses a word docs/glossary.md forbids; a Vietnamese
 * screen (the real dotpha's help and usage errors) shows no English word
 * outside tests/lang_allow.txt; --lang, DOTPHA_LANG and the config's
 * `lang` choose the language in that order; labels are typed back as
 * codes; numbers, dates and moments read as the language writes them.
 *
 * Run from the repository root (it reads client/, docs/ and tests/).
 */
#include <criterion/criterion.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "fmt.h"
#include "helpers.h"
#include "lang.h"
#include "render.h"

/* ---- the texts marked in client/ ---- */

struct texts {
	char **s;     /* each text as the program sees it */
	char **where; /* "file.c:line" */
	size_t n;
};

static void texts_add(struct texts *t, const char *s, size_t len, const char *file, int line)
{
	cr_assert_not_null(t->s = realloc(t->s, (t->n + 1) * sizeof(*t->s)));
	cr_assert_not_null(t->where = realloc(t->where, (t->n + 1) * sizeof(*t->where)));
	cr_assert_not_null(t->s[t->n] = strndup(s, len));
	cr_assert_not_null(t->where[t->n] = malloc(strlen(file) + 16));
	sprintf(t->where[t->n], "%s:%d", file, line);
	t->n++;
}

/* The literals of a T() or N_() at *pp and its closing ')'; false if
 * something else is there (a variable: T(p->title)). */
static bool literal(const char **pp, char *out, size_t cap)
{
	return helpers_c_literals(pp, out, cap) && **pp == ')';
}

/* Every literal passed to T() or N_() in the client's .c files but lang*.c
 * (the catalog itself). */
/* Adds the literals passed to T() or N_() in the .c files of dir (but
 * lang*.c, the catalog itself) to *t. */
static void marked_in(const char *dir, struct texts *t)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	static char buf[8192];

	cr_assert_not_null(d, "run the tests from the repository root");
	while ((e = readdir(d))) {
		size_t len = strlen(e->d_name);
		char path[300], *src;

		if (len < 3 || strcmp(e->d_name + len - 2, ".c") != 0 ||
		    strncmp(e->d_name, "lang", 4) == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		cr_assert_not_null(src = helpers_read_file(path), "%s", path);
		for (const char *p = src; (p = strchr(p, '(')); p++) {
			bool t_ = p > src + 1 && p[-1] == 'T' &&
				  !(p[-2] == '_' || (p[-2] >= 'a' && p[-2] <= 'z') ||
				    (p[-2] >= 'A' && p[-2] <= 'Z') || (p[-2] >= '0' && p[-2] <= '9'));
			bool n_ = p > src + 2 && p[-1] == '_' && p[-2] == 'N' &&
				  !((p[-3] >= 'a' && p[-3] <= 'z') || (p[-3] >= 'A' && p[-3] <= 'Z') ||
				    p[-3] == '_');
			const char *q = p + 1;
			int line = 1;

			if (!t_ && !n_)
				continue;
			if (!literal(&q, buf, sizeof(buf)))
				continue;
			for (const char *c = src; c < p; c++)
				line += *c == '\n';
			texts_add(t, buf, strlen(buf), e->d_name, line);
		}
		free(src);
	}
	closedir(d);
}

/* Every text the client marks: its own (the Windows build's too), and the
 * shared code's it prints
 * (protocol/text: the CSV reader's messages, marked N_()). */
static struct texts marked(void)
{
	struct texts t = {NULL, NULL, 0};

	marked_in("client", &t);
	marked_in("client/win", &t); /* the Windows build's (make windows) */
	marked_in("protocol/text", &t);
	cr_assert_gt(t.n, 300, "found only %zu marked texts", t.n);
	return t;
}

static const struct lang_pair *pair_of(const char *en)
{
	for (const struct lang_pair *p = lang_vi; p->en; p++)
		if (strcmp(p->en, en) == 0)
			return p;
	return NULL;
}

Test(catalog, every_marked_text_has_its_vietnamese)
{
	struct texts t = marked();
	char missing[4000] = "";

	for (size_t i = 0; i < t.n; i++)
		if (!pair_of(t.s[i]) && strlen(missing) + strlen(t.s[i]) + 40 < sizeof(missing))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "\n  %s: \"%s\"", t.where[i], t.s[i]);
	cr_assert_str_eq(missing, "", "lang_vi.c lacks the Vietnamese of:%s", missing);
}

Test(catalog, every_pair_is_used_and_given_once)
{
	struct texts t = marked();

	for (const struct lang_pair *p = lang_vi; p->en; p++) {
		bool used = false;

		for (size_t i = 0; i < t.n && !used; i++)
			used = strcmp(t.s[i], p->en) == 0;
		cr_expect(used, "lang_vi.c translates \"%s\", which no T() or N_() marks", p->en);
		cr_expect_eq(pair_of(p->en), p, "lang_vi.c translates \"%s\" twice", p->en);
		cr_expect(p->vi[0] || !p->en[0], "\"%s\" has an empty Vietnamese", p->en);
	}
}

/* Writes the printf conversions of s, in order, as "%s %d %lld ..." (flags,
 * widths and precisions dropped; * kept: it takes an argument). */
static void conversions(const char *s, char *out, size_t cap)
{
	size_t n = 0;

	out[0] = '\0';
	for (const char *p = s; (p = strchr(p, '%'));) {
		const char *start = p++;

		if (*p == '%') {
			p++;
			continue;
		}
		p += strspn(p, "-+ #0");
		while (*p == '*' || (*p >= '0' && *p <= '9') || *p == '.')
			p++;
		p += strspn(p, "hlLqjzt");
		if (!*p || !strchr("diouxXeEfFgGaAcspn", *p))
			continue; /* a '%' that is no conversion: "(điểm %)" in a label */
		p++;
		n += (size_t)snprintf(out + n, cap - n, "%.*s ", (int)(p - start), start);
		/* keep only what takes or types an argument */
		for (char *c = out + n - (size_t)(p - start) - 1; *c && c < out + n; c++)
			if ((*c >= '0' && *c <= '9') || *c == '-' || *c == '+' || *c == '#' ||
			    (*c == ' ' && c[1]))
				*c = '~';
	}
}

Test(catalog, each_pair_has_the_same_conversions_in_the_same_order)
{
	for (const struct lang_pair *p = lang_vi; p->en; p++) {
		char a[256], b[256];

		conversions(p->en, a, sizeof(a));
		conversions(p->vi, b, sizeof(b));
		for (char *c = a; *c; c++)
			if (*c == '~')
				memmove(c, c + 1, strlen(c)), c--;
		for (char *c = b; *c; c++)
			if (*c == '~')
				memmove(c, c + 1, strlen(c)), c--;
		cr_expect_str_eq(a, b, "\"%s\" has %s but its Vietnamese \"%s\" has %s", p->en, a,
				 p->vi, b);
	}
}

/* ---- the glossary ---- */

/* The lower case of a UTF-8 text, for the Vietnamese letters and ASCII
 * (the capitals of the small letters commands.c's capital() knows). */
static char *lower(const char *s)
{
	char *out = strdup(s), *w = out;

	cr_assert_not_null(out);
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		if (*p < 0x80) {
			*w++ = (char)(*p >= 'A' && *p <= 'Z' ? *p + 32 : *p);
			p++;
		} else if ((*p & 0xe0) == 0xc0 && p[1]) {
			unsigned cp = ((p[0] & 0x1fu) << 6) | (p[1] & 0x3fu);

			if ((cp >= 0xc0 && cp <= 0xde && cp != 0xd7))
				cp += 0x20;
			else if ((cp >= 0x100 && cp <= 0x17f && !(cp & 1)) || cp == 0x1a0 || cp == 0x1af)
				cp += 1;
			*w++ = (char)(0xc0 | (cp >> 6));
			*w++ = (char)(0x80 | (cp & 0x3f));
			p += 2;
		} else if ((*p & 0xf0) == 0xe0 && p[1] && p[2]) {
			unsigned cp = ((p[0] & 0x0fu) << 12) | ((p[1] & 0x3fu) << 6) | (p[2] & 0x3fu);

			if (cp >= 0x1ea0 && cp <= 0x1ef9 && !(cp & 1))
				cp += 1;
			*w++ = (char)(0xe0 | (cp >> 12));
			*w++ = (char)(0x80 | ((cp >> 6) & 0x3f));
			*w++ = (char)(0x80 | (cp & 0x3f));
			p += 3;
		} else {
			*w++ = (char)*p++;
		}
	}
	*w = '\0';
	return out;
}

/* True for a byte of a word: a letter, a digit, '_' (codes: within_deadline). */
static bool letter_byte(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || (unsigned char)c >= 0x80;
}

/* The first whole-word occurrence of word in text (both lower case). */
static const char *word_in(const char *text, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = text; (p = strstr(p, word)); p++)
		if ((p == text || !letter_byte(p[-1])) && !letter_byte(p[n]))
			return p;
	return NULL;
}

/* The forbidden words of docs/glossary.md's table (its last column). */
static size_t forbidden(char ***out)
{
	char *doc = helpers_read_file("docs/glossary.md"), *line, *save = NULL;
	size_t n = 0, rows = 0;

	cr_assert_not_null(doc, "run the tests from the repository root");
	*out = NULL;
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char *last, *w, *s2 = NULL;

		if (strncmp(line, "| ", 2) != 0 || strncmp(line, "| ---", 5) == 0 ||
		    strncmp(line, "| English", 9) == 0)
			continue;
		rows++;
		line[strlen(line) - 1] = '\0'; /* the closing '|' */
		cr_assert_not_null(last = strrchr(line, '|'), "%s", line);
		for (w = strtok_r(last + 1, ";", &s2); w; w = strtok_r(NULL, ";", &s2)) {
			w += strspn(w, " ");
			while (*w && w[strlen(w) - 1] == ' ')
				w[strlen(w) - 1] = '\0';
			if (!*w || strcmp(w, "—") == 0)
				continue;
			cr_assert_not_null(*out = realloc(*out, (n + 1) * sizeof(**out)));
			(*out)[n++] = lower(w);
		}
	}
	free(doc);
	cr_assert_gt(rows, 30, "docs/glossary.md has only %zu rows", rows);
	cr_assert_gt(n, 10);
	return n;
}

/* The string literals of the client's .c files (not lang_vi.c) that hold Vietnamese
 * letters: labels and texts written in Vietnamese in the source. */
static struct texts vietnamese_literals(void)
{
	struct texts t = {NULL, NULL, 0};
	DIR *d = opendir("client");
	struct dirent *e;

	cr_assert_not_null(d);
	while ((e = readdir(d))) {
		char path[300], *src;
		int line = 1;

		if (strcmp(e->d_name, "lang_vi.c") == 0 || !strstr(e->d_name, ".c"))
			continue;
		snprintf(path, sizeof(path), "client/%s", e->d_name);
		cr_assert_not_null(src = helpers_read_file(path));
		for (const char *p = src; *p; p++) {
			const char *end;
			bool high = false;

			line += *p == '\n';
			if (*p != '"' || (p > src && p[-1] == '\''))
				continue;
			for (end = p + 1; *end && *end != '"' && *end != '\n'; end++) {
				if (*end == '\\' && end[1])
					end++;
				high = high || (unsigned char)*end >= 0x80;
			}
			if (high)
				texts_add(&t, p + 1, (size_t)(end - p - 1), e->d_name, line);
			p = *end ? end : end - 1;
		}
		free(src);
	}
	closedir(d);
	return t;
}

Test(glossary, no_vietnamese_text_uses_a_forbidden_word)
{
	char **words;
	size_t nw = forbidden(&words);
	struct texts lit = vietnamese_literals();

	for (const struct lang_pair *p = lang_vi; p->en; p++) {
		char *vi = lower(p->vi);

		for (size_t k = 0; k < nw; k++)
			cr_expect_null(word_in(vi, words[k]),
				       "the Vietnamese of \"%s\" says \"%s\", which docs/glossary.md forbids: %s",
				       p->en, words[k], p->vi);
		free(vi);
	}
	for (size_t i = 0; i < lit.n; i++) {
		char *s = lower(lit.s[i]);

		for (size_t k = 0; k < nw; k++)
			cr_expect_null(word_in(s, words[k]), "%s says \"%s\", which docs/glossary.md forbids",
				       lit.where[i], words[k]);
		free(s);
	}
}

/* ---- what the real dotpha prints ---- */

static char home[64];

/* A home of its own with no config file, no DOTPHA_* of the runner. */
static void isolate(void)
{
	cr_assert_eq(helpers_client_home("lang", home, sizeof(home)), 0);
}

static void cleanup(void)
{
	cr_expect_eq(helpers_remove_tree(home), 0, "%s", home);
}

TestSuite(screens, .init = isolate, .fini = cleanup, .timeout = 120);

struct shown {
	int code;
	char *out, *err;
};

/* Runs build/dotpha with args (NULL-terminated). */
static struct shown dotpha(const char *const *args)
{
	char bin[512];
	const char *argv[32];
	struct shown s;
	int n = 0;

	snprintf(bin, sizeof(bin), "%s/dotpha", helpers_build_dir());
	argv[n++] = bin;
	for (; *args; args++) {
		cr_assert_lt(n, 30);
		argv[n++] = *args;
	}
	argv[n] = NULL;
	s.code = helpers_run(argv, &s.out, &s.err);
	return s;
}

#define DOTPHA(...) dotpha((const char *const[]){__VA_ARGS__, NULL})

static char *allow_list(void)
{
	char *a = helpers_read_file("tests/lang_allow.txt");

	cr_assert_not_null(a, "run the tests from the repository root");
	/* comments out */
	for (char *h = a; (h = strchr(h, '#'));) {
		size_t n = strcspn(h, "\n");

		memset(h, ' ', n);
	}
	return a;
}

/* Fails, naming the command and the words, if text shows an English word. */
static void no_english(const char *what, const char *text, const char *allow)
{
	char *bad = helpers_foreign_words(text, allow);

	cr_expect_str_eq(bad, "", "`%s` shows English words (or add them to tests/lang_allow.txt):\n%s\n--- the screen:\n%s",
			 what, bad, text);
	free(bad);
}

Test(screens, the_help_at_every_level_is_vietnamese)
{
	char *allow = allow_list();
	struct shown s = DOTPHA("--help");

	cr_assert_eq(s.code, 0);
	cr_assert_not_null(strstr(s.out, "cách dùng: dotpha"), "%s", s.out);
	no_english("dotpha --help", s.out, allow);
	for (const struct command *c = commands_table; c->noun; c++) {
		char verb[64], *two;
		struct shown h;

		if (c == commands_table || strcmp(c[-1].noun, c->noun) != 0) {
			h = DOTPHA(c->noun, "--help");
			cr_expect_eq(h.code, 0, "%s --help", c->noun);
			no_english(c->noun, h.out, allow);
			free(h.out);
			free(h.err);
		}
		snprintf(verb, sizeof(verb), "%s", c->verb);
		if ((two = strchr(verb, ' ')))
			*two++ = '\0';
		if (!verb[0])
			h = DOTPHA(c->noun, "--help");
		else if (two)
			h = DOTPHA(c->noun, verb, two, "--help");
		else
			h = DOTPHA(c->noun, verb, "--help");
		cr_expect_eq(h.code, 0, "%s %s --help", c->noun, c->verb);
		cr_expect_not_null(strstr(h.out, "cách dùng: dotpha "), "%s %s: %s", c->noun, c->verb,
				   h.out);
		no_english(c->summary, h.out, allow);
		free(h.out);
		free(h.err);
	}
	free(s.out);
	free(s.err);
	free(allow);
}

Test(screens, usage_errors_are_vietnamese)
{
	static const char *const cases[][8] = {
		{"tsk", NULL},
		{"unit", NULL},
		{"unit", "delete", NULL},
		{"task", "create", "--title", "X", NULL},
		{"task", "create", "--kind", NULL},
		{"task", "list", "--limit", "0", NULL},
		{"task", "list", "--frobnicate", NULL},
		{"task", "show", "T-12", NULL},
		{"task", "update", "12", NULL},
		{"update", "add", "1", "--percent", "many", "--done", "x", NULL},
		{"unit", "close", "H1", "--date", "31/02/2025", NULL},
		{"inspect", "1", "--date", "01/01/2025", "--findings", "f", "--conclusions", NULL},
		{"audit", "verify", "now", NULL},
		{"--timeout", "0", "server", "info", NULL},
		{"--request-id", "short", "server", "info", NULL},
		{"--fingerprint", "xyz", "server", "info", NULL},
		{"--server", "host:99999", "server", "info", NULL},
		{"server", "info", "--json=yes", NULL},
		{"--server", "tcp://10.0.0.5:7878", "term", "list", NULL}, /* refused before connecting */
		{"--key", "k.pem", "server", "info", NULL},
		{"term", "list", "--request-id", "abcdefgh", NULL},
		{"--lang", "fr", "--help", NULL},
		{NULL},
	};
	char *allow = allow_list();

	setenv("DOTPHA_TOKEN", "dp1_" "0123456789abcdef0123456789abcdef"
			       "0123456789abcdef0123456789abcdef", 1);
	for (size_t i = 0; cases[i][0]; i++) {
		struct shown s = dotpha(cases[i]);
		char what[200] = "";

		for (size_t k = 0; cases[i][k]; k++)
			snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s ", cases[i][k]);
		cr_expect_eq(s.code, 2, "`%s` exited %d: %s", what, s.code, s.err);
		cr_expect_str_eq(s.out, "", "%s", what);
		cr_expect_not_null(strstr(s.err, "dotpha: "), "%s: %s", what, s.err);
		{
			/* what was typed comes back in the message, as typed */
			char *mine = malloc(strlen(allow) + sizeof(what) + 2);

			cr_assert_not_null(mine);
			sprintf(mine, "%s %s", allow, what);
			no_english(what, s.err, mine);
			free(mine);
		}
		free(s.out);
		free(s.err);
	}
	free(allow);
}

Test(screens, english_is_shown_on_request)
{
	struct shown s = DOTPHA("--lang", "en", "--help");

	cr_assert_eq(s.code, 0);
	cr_expect_not_null(strstr(s.out, "usage: dotpha"), "%s", s.out);
	cr_expect_not_null(strstr(s.out, "\nCommands:\n"), "%s", s.out);
	cr_expect_not_null(strstr(s.out, "register a task"), "%s", s.out);
	cr_expect_null(strstr(s.out, "cách dùng"), "%s", s.out);
	free(s.out);
	free(s.err);
	s = DOTPHA("task", "create", "--help", "--lang=en");
	cr_expect_not_null(strstr(s.out, "Register a task.  (method task.create, changes data)"), "%s",
			   s.out);
	cr_expect_not_null(strstr(s.out, "  --title T"), "%s", s.out);
	free(s.out);
	free(s.err);
	s = DOTPHA("--lang", "en", "unit", "delete");
	cr_expect_eq(s.code, 2);
	cr_expect_not_null(strstr(s.err, "'unit' has no verb 'delete'"), "%s", s.err);
	free(s.out);
	free(s.err);
}

/* Writes the config file with these lines. */
static void config(const char *text)
{
	cr_assert_eq(helpers_client_config(home, text), 0);
}

/* True if dotpha's --help speaks Vietnamese, false if English. */
static bool vietnamese(const char *const *args)
{
	struct shown s = dotpha(args);
	bool vi;

	cr_assert_eq(s.code, 0, "%s", s.err);
	vi = strstr(s.out, "cách dùng: dotpha") != NULL;
	cr_assert(vi || strstr(s.out, "usage: dotpha"), "%s", s.out);
	free(s.out);
	free(s.err);
	return vi;
}

#define VI(...) vietnamese((const char *const[]){__VA_ARGS__, NULL})

Test(screens, vietnamese_is_the_default_whatever_the_locale)
{
	setenv("LANG", "en_US.UTF-8", 1);
	setenv("LC_ALL", "C", 1);
	cr_expect(VI("--help"));
	cr_expect(VI("task", "--help"));
}

Test(screens, the_flag_beats_the_environment_which_beats_the_config_file)
{
	config("lang = en\n");
	cr_expect(!VI("--help"), "the config file's lang");
	setenv("DOTPHA_LANG", "vi", 1);
	cr_expect(VI("--help"), "DOTPHA_LANG before the config file");
	cr_expect(!VI("--lang", "en", "--help"), "--lang before DOTPHA_LANG");
	setenv("DOTPHA_LANG", "EN", 1);
	cr_expect(!VI("--help"), "DOTPHA_LANG in any case");
	cr_expect(VI("task", "list", "--help", "--lang", "vi"), "--lang after the verb");
	unsetenv("DOTPHA_LANG");
	config("# lang = vi\nlang = vi\n");
	cr_expect(VI("--help"));
	cr_expect(!VI("--lang=en", "--help"));
}

Test(screens, a_language_that_is_none_is_a_usage_error_naming_vi_and_en)
{
	struct shown s = DOTPHA("--lang", "fr", "--help");

	cr_expect_eq(s.code, 2);
	cr_expect_not_null(strstr(s.err, "--lang: 'fr'"), "%s", s.err);
	cr_expect_not_null(strstr(s.err, "vi (tiếng Việt) hoặc en (tiếng Anh)"), "%s", s.err);
	free(s.out);
	free(s.err);
	setenv("DOTPHA_LANG", "francais", 1);
	s = DOTPHA("--help");
	cr_expect_eq(s.code, 2);
	cr_expect_not_null(strstr(s.err, "DOTPHA_LANG: 'francais'"), "%s", s.err);
	free(s.out);
	free(s.err);
	s = DOTPHA("--lang", "en", "--help"); /* the flag comes first: the variable is not read */
	cr_expect_eq(s.code, 0, "%s", s.err);
	free(s.out);
	free(s.err);
	unsetenv("DOTPHA_LANG");
	/* A config file never locks anyone out: a warning, and Vietnamese. */
	config("lang = fr\n");
	s = DOTPHA("logout");
	cr_expect_eq(s.code, 0, "%s", s.err);
	cr_expect_not_null(strstr(s.err, ":1: lang phải là vi hoặc en (bỏ qua)"), "%s", s.err);
	cr_expect_not_null(strstr(s.out, "Không có token nào được lưu"), "%s", s.out);
	free(s.out);
	free(s.err);
}

/* ---- labels typed back, numbers and moments ---- */

/* The value the option --name of noun verb sends when given typed. */
static const char *sent(const char *noun, const char *verb, const char *name, const char *typed)
{
	const struct command *cmd = commands_find(noun, verb);
	const char *argv[] = {name, typed};
	static struct args a;
	struct globals g;
	char msg[200];

	cr_assert_not_null(cmd);
	memset(&g, 0, sizeof(g));
	g.help = true; /* so the positionals may be left out */
	cr_assert_eq(args_parse(cmd->opts, 2, (char **)argv, &a, &g, msg, sizeof(msg)), 0, "%s", msg);
	for (size_t k = 0; a.opts[k].name; k++)
		if (strcmp(a.opts[k].name, name) == 0)
			return a.val[k];
	return NULL;
}

Test(labels, a_label_is_sent_as_its_code_with_or_without_diacritics)
{
	cr_expect_str_eq(sent("task", "list", "--kind", "Đột phá"), "breakthrough");
	cr_expect_str_eq(sent("task", "list", "--kind", "dot pha"), "breakthrough");
	cr_expect_str_eq(sent("task", "list", "--kind", "ĐỘT PHÁ"), "breakthrough");
	cr_expect_str_eq(sent("task", "list", "--kind", "innovation"), "innovation");
	cr_expect_str_eq(sent("task", "list", "--kind", "Innovation"), "innovation");
	cr_expect_str_eq(sent("task", "list", "--field", "kinh te - xa hoi"), "socio_economic");
	cr_expect_str_eq(sent("task", "list", "--state", "Đang thực hiện"), "in_progress");
	cr_expect_str_eq(sent("task", "list", "--state", "in progress"), "in_progress");
	cr_expect_str_eq(sent("task", "list", "--status", "quá hạn"), "overdue");
	cr_expect_str_eq(sent("task", "list", "--health", "Đình trệ"), "stalled");
	cr_expect_str_eq(sent("task", "accept", "--rating", "hoan thanh tot"), "good");
	cr_expect_str_eq(sent("task", "accept", "--rating", "Hoàn thành"), "done");
	cr_expect_str_eq(sent("term", "create", "--kind", "Nhiệm kỳ"), "term");
	cr_expect_str_eq(sent("account", "create", "--role", "văn phòng"), "office");
	cr_expect_str_eq(sent("plan", "add", "--status", "Đã xong"), "done");
	cr_expect_str_eq(sent("followup", "record", "--result", "tai dien"), "relapsed");
	/* anything else goes as typed: the server judges it */
	cr_expect_str_eq(sent("task", "list", "--kind", "đột"), "đột");
}

Test(labels, decomposed_text_as_unikey_may_type_it_is_a_label_too)
{
	/* "Đột phá" with the tone marks as combining characters (NFD) */
	cr_expect_str_eq(sent("task", "list", "--kind", "\xc4\x90o\xcc\x82\xcc\xa3t pha\xcc\x81"),
			 "breakthrough");
}

/* What sb holds, in a buffer that lives until the next call; sb is freed. */
static const char *shown(struct strbuf *sb)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s", strbuf_cstr(sb));
	strbuf_free(sb);
	return buf;
}

static const char *shown_int(int64_t v)
{
	struct strbuf sb = STRBUF_INIT;

	fmt_int(&sb, v);
	return shown(&sb);
}

static const char *shown_percent(double v)
{
	struct strbuf sb = STRBUF_INIT;

	fmt_percent(&sb, v);
	return shown(&sb);
}

static const char *shown_moment(const char *utc)
{
	struct strbuf sb = STRBUF_INIT;

	cr_assert(fmt_moment(&sb, utc, strlen(utc), false));
	return shown(&sb);
}

Test(numbers, vietnamese_writes_a_decimal_comma_and_thousands_with_dots)
{
	lang_set(LANG_VI);
	cr_expect_str_eq(shown_int(12345), "12.345");
	cr_expect_str_eq(shown_int(1234567), "1.234.567");
	cr_expect_str_eq(shown_int(-20000), "-20.000");
	cr_expect_str_eq(shown_int(2025), "2025"); /* four digits as typed */
	cr_expect_str_eq(shown_percent(67.26), "67,3%");
	cr_expect_str_eq(shown_percent(100), "100,0%");
	lang_set(LANG_EN);
	cr_expect_str_eq(shown_int(12345), "12,345");
	cr_expect_str_eq(shown_percent(67.26), "67.3%");
	cr_expect_str_eq(shown_int(999), "999");
}

Test(numbers, moments_are_local_time_of_the_zone_never_utc)
{
	fmt_set_zone(NULL); /* the default: Asia/Ho_Chi_Minh, UTC+7 without tzdata */
	cr_expect_str_eq(shown_moment("2024-03-05T02:10:00Z"), "05/03/2024 09:10");
	cr_expect_str_eq(shown_moment("2024-12-31T20:00:00Z"), "01/01/2025 03:00");
	fmt_set_zone("UTC0");
	cr_expect_str_eq(shown_moment("2024-03-05T02:10:00Z"), "05/03/2024 02:10");
	fmt_set_zone("Asia/Saigon");
	cr_expect_str_eq(shown_moment("2024-03-05T02:10:00Z"), "05/03/2024 09:10");
}

Test(screens, the_config_timezone_sets_the_local_time_of_moments)
{
	struct strbuf sb = STRBUF_INIT;

	/* In process: the zone cli_run() chooses from the config file. */
	config("timezone = UTC0\n");
	{
		char *argv[] = {"dotpha", "--help", NULL};
		FILE *devnull = fopen("/dev/null", "w");

		cr_assert_not_null(devnull);
		cr_assert_eq(cli_run(2, argv, devnull, devnull), 0);
		fclose(devnull);
	}
	cr_assert(fmt_moment(&sb, "2024-03-05T02:10:00Z", 20, true));
	cr_expect_str_eq(strbuf_cstr(&sb), "05/03/2024 02:10:00");
	strbuf_free(&sb);
}
