/*
 * args.c: see args.h.
 */
#include "args.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "pack.h"
#include "render.h"

#define ARGS_MAX_LIMIT 100000000 /* --limit above this is surely a typo */

static int usage(char *msg, size_t n, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int usage(char *msg, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, n, fmt, ap);
	va_end(ap);
	return -1;
}

/* Splits "--name=value": returns the length of the name part. */
static size_t name_len(const char *arg)
{
	const char *eq = strchr(arg, '=');

	return eq ? (size_t)(eq - arg) : strlen(arg);
}

static bool is_name(const char *arg, size_t n, const char *name)
{
	return strlen(name) == n && memcmp(arg, name, n) == 0;
}

/* The value of the option at argv[*i]: after '=' or the next argument. */
static const char *take_value(int argc, char **argv, int *i, const char *name, char *msg, size_t n)
{
	const char *eq = strchr(argv[*i], '=');

	if (eq)
		return eq + 1;
	if (*i + 1 >= argc) {
		usage(msg, n, T("%s needs a value"), name);
		return NULL;
	}
	return argv[++*i];
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Reads a whole decimal number (an optional '-' when sign is true). */
static bool parse_int(const char *s, bool sign, int64_t *v)
{
	char *end;
	long long x;

	if (!(sign && *s == '-' ? all_digits(s + 1) : all_digits(s)))
		return false;
	errno = 0;
	x = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*v = x;
	return true;
}

bool args_ref_number(const char *s, int64_t *id)
{
	return parse_int(s, false, id);
}

int args_global(struct globals *g, int argc, char **argv, int *i, char *msg, size_t msglen)
{
	const char *arg = argv[*i], *v;
	size_t n = name_len(arg);
	int64_t t;

	if (is_name(arg, n, "--help") || is_name(arg, strlen(arg), "-h")) {
		g->help = true;
	} else if (is_name(arg, n, "--version")) {
		g->version = true;
	} else if (is_name(arg, n, "--json")) {
		if (arg[n])
			return usage(msg, msglen, T("--json takes no value"));
		g->json = true;
	} else if (is_name(arg, n, "--quiet")) {
		if (arg[n])
			return usage(msg, msglen, T("--quiet takes no value"));
		g->quiet = true;
	} else if (is_name(arg, n, "--lang")) {
		if (!(v = take_value(argc, argv, i, "--lang", msg, msglen)))
			return -1;
		if (lang_parse(v) < 0)
			return usage(msg, msglen, T("%s: '%s' is not a language: use vi (Vietnamese) or"
						    " en (English)"), "--lang", v);
		g->lang = v;
	} else if (is_name(arg, n, "--server")) {
		if (!(v = take_value(argc, argv, i, "--server", msg, msglen)))
			return -1;
		g->server = v;
	} else if (is_name(arg, n, "--ca")) {
		if (!(v = take_value(argc, argv, i, "--ca", msg, msglen)))
			return -1;
		g->ca = v;
	} else if (is_name(arg, n, "--cert")) {
		if (!(v = take_value(argc, argv, i, "--cert", msg, msglen)))
			return -1;
		g->cert = v;
	} else if (is_name(arg, n, "--key")) {
		if (!(v = take_value(argc, argv, i, "--key", msg, msglen)))
			return -1;
		g->key = v;
	} else if (is_name(arg, n, "--fingerprint")) {
		if (!(v = take_value(argc, argv, i, "--fingerprint", msg, msglen)))
			return -1;
		g->fingerprint = v;
	} else if (is_name(arg, n, "-o") || is_name(arg, n, "--output")) {
		if (!(v = take_value(argc, argv, i, "-o", msg, msglen)))
			return -1;
		g->output = v;
	} else if (is_name(arg, n, "--timeout")) {
		if (!(v = take_value(argc, argv, i, "--timeout", msg, msglen)))
			return -1;
		if (!parse_int(v, false, &t) || t < 1 || t > 86400)
			return usage(msg, msglen, T("--timeout: '%s' is not a number of seconds (1..86400)"), v);
		g->timeout = (unsigned)t;
	} else if (is_name(arg, n, "--request-id")) {
		size_t len;

		if (!(v = take_value(argc, argv, i, "--request-id", msg, msglen)))
			return -1;
		len = strlen(v);
		if (len < 8 || len > 64)
			return usage(msg, msglen, T("--request-id: must be 8 to 64 characters"));
		for (const char *p = v; *p; p++)
			if (*p <= ' ' || *p > '~')
				return usage(msg, msglen, T("--request-id: only printable ASCII, no spaces"));
		g->request_id = v;
	} else {
		return 0;
	}
	(*i)++;
	return 1;
}

enum render_kind args_code_kind(enum opt_type t)
{
	switch (t) {
	case OPT_TASK_KIND: return RENDER_TASK_KIND;
	case OPT_FIELD: return RENDER_FIELD;
	case OPT_TERM_KIND: return RENDER_TERM_KIND;
	case OPT_STATE: return RENDER_STATE;
	case OPT_STATUS: return RENDER_STATUS;
	case OPT_HEALTH: return RENDER_HEALTH;
	case OPT_RATING: return RENDER_RATING;
	case OPT_ROLE: return RENDER_ROLE;
	case OPT_STEP_STATUS: return RENDER_STEP_STATUS;
	case OPT_FOLLOWUP: return RENDER_FOLLOWUP;
	default: return RENDER_TEXT;
	}
}

/* Checks and converts the value given for spec k. */
static int convert(struct args *a, size_t k, const char *v, char *msg, size_t n)
{
	const struct opt_spec *o = &a->opts[k];

	switch (o->type) {
	case OPT_DATE:
		if (date_parse(v, a->date[k]) < 0)
			return usage(msg, n, T("%s: '%s' is not a date (use dd/mm/yyyy or yyyy-mm-dd)"),
				     o->name, v);
		break;
	case OPT_ID:
		if (!parse_int(v, false, &a->num[k]))
			return usage(msg, n, T("%s: '%s' is not a number"), o->name, v);
		a->is_num[k] = true;
		break;
	case OPT_INT:
		if (!parse_int(v, true, &a->num[k]))
			return usage(msg, n, T("%s: '%s' is not a whole number"), o->name, v);
		a->is_num[k] = true;
		break;
	case OPT_LIMIT:
		if (!parse_int(v, false, &a->num[k]) || a->num[k] < 1 || a->num[k] > ARGS_MAX_LIMIT)
			return usage(msg, n, T("%s: '%s' is not a number of rows (1 or more)"), o->name, v);
		a->limit = (size_t)a->num[k];
		break;
	case OPT_REF:
		/* Sent as a string: the server looks a string up as a code first and
		 * takes a string of digits that is no code as an id, so a term coded
		 * "2020" and the id 12 both work. */
		a->is_num[k] = false;
		break;
	case OPT_ALL:
		a->all = true;
		break;
	case OPT_COLUMNS:
		a->columns = v;
		break;
	default:
		if (o->type >= OPT_TASK_KIND) {
			/* A label typed for a code: "Đột phá", "dot pha" -> breakthrough. */
			const char *code = render_code(args_code_kind(o->type), v);

			if (code)
				v = code;
		}
		break;
	}
	a->val[k] = v;
	return 0;
}

/* Adds one 'what@DATE' of an OPT_ACTION option. */
static int add_action(struct args *a, size_t k, const char *v, char *msg, size_t n)
{
	const char *at = strrchr(v, '@');
	size_t i = a->nactions;

	if (i == ARGS_MAX_ACTIONS)
		return usage(msg, n, T("%s: at most %d of them"), a->opts[k].name, ARGS_MAX_ACTIONS);
	if (!at || at == v)
		return usage(msg, n, T("%s: '%s' is not WHAT@DATE"), a->opts[k].name, v);
	if (date_parse(at + 1, a->action_date[i]) < 0)
		return usage(msg, n, T("%s: '%s' is not a date (use dd/mm/yyyy or yyyy-mm-dd)"),
			     a->opts[k].name, at + 1);
	a->action[i] = v;
	a->what_len[i] = (size_t)(at - v);
	a->nactions++;
	a->val[k] = v;
	return 0;
}

/* Records the value for spec k, refusing a second one. */
static int give(struct args *a, size_t k, const char *v, char *msg, size_t n)
{
	const struct opt_spec *o = a->opts;

	if (o[k].type == OPT_ACTION)
		return add_action(a, k, v, msg, n);
	if (a->val[k])
		return usage(msg, n, T("%s given twice"), o[k].name);
	/* Two options for one field (--overdue, --not-overdue) exclude each other. */
	for (size_t j = 0; o[k].field && o[j].name; j++)
		if (j != k && a->val[j] && o[j].field && strcmp(o[j].field, o[k].field) == 0)
			return usage(msg, n, T("%s and %s cannot be used together"), o[j].name, o[k].name);
	return convert(a, k, v, msg, n);
}

static bool is_flag(const struct opt_spec *o)
{
	return o->type == OPT_TRUE || o->type == OPT_FALSE || o->type == OPT_ALL;
}

bool args_free_text(const struct opt_spec *o)
{
	return o->type == OPT_TEXT && o->meta && strcmp(o->meta, "TEXT") == 0 &&
	       !(o->flags & (OPT_POSITIONAL | OPT_GLOBAL));
}

/* True if arg[0..len) is "NAME-file" for the option name. */
static bool is_file_form(const char *arg, size_t len, const char *name)
{
	size_t k = strlen(name);

	return len == k + 5 && memcmp(arg, name, k) == 0 && memcmp(arg + k, "-file", 5) == 0;
}

/* Reads f whole into a new string (the caller frees it), tidied as
 * args.h says; NULL with a message naming the option and from. */
static char *read_text(FILE *f, const char *name, const char *from, char *msg, size_t n)
{
	size_t len = 0, cap = 4096, got, start;
	char *buf = malloc(cap), *w;

	if (!buf) {
		usage(msg, n, T("out of memory"));
		return NULL;
	}
	while ((got = fread(buf + len, 1, cap - 1 - len, f)) > 0) {
		len += got;
		if (len > ARGS_MAX_TEXT) {
			free(buf);
			usage(msg, n, T("%s: %s holds more than %d bytes"), name, from, ARGS_MAX_TEXT);
			return NULL;
		}
		if (len == cap - 1) {
			char *bigger = realloc(buf, cap * 2);

			if (!bigger) {
				free(buf);
				usage(msg, n, T("out of memory"));
				return NULL;
			}
			buf = bigger;
			cap *= 2;
		}
	}
	if (ferror(f)) {
		free(buf);
		usage(msg, n, T("%s: cannot read %s: %s"), name, from, strerror(errno));
		return NULL;
	}
	/* As Notepad saves it: a BOM first and CRLF line ends. */
	start = len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
	w = buf;
	for (size_t r = start; r < len; r++)
		if (!(buf[r] == '\r' && r + 1 < len && buf[r + 1] == '\n'))
			*w++ = buf[r];
	while (w > buf && (w[-1] == '\n' || w[-1] == '\r'))
		w--;
	*w = '\0';
	return buf;
}

/* Gives spec k the text of the file at path, or of standard input (path
 * NULL: g->text_in, else stdin). */
static int give_read(struct args *a, size_t k, const char *path, const struct globals *g,
		     char *msg, size_t n)
{
	const char *name = a->opts[k].name;
	FILE *f;
	char *text;

	if (!path && a->stdin_by)
		return usage(msg, n, T("%s -: standard input is already read by %s"), name, a->stdin_by);
	f = path ? fopen(path, "rb") : g->text_in ? g->text_in : stdin;
	if (!f)
		return usage(msg, n, T("%s: cannot read %s: %s"), name, path, strerror(errno));
	text = read_text(f, name, path ? path : T("standard input"), msg, n);
	if (path)
		fclose(f);
	if (!text)
		return -1;
	if (give(a, k, text, msg, n) < 0) {
		free(text);
		return -1;
	}
	a->read[k] = text;
	if (!path)
		a->stdin_by = name;
	return 0;
}

static int option(struct args *a, int argc, char **argv, int *i, struct globals *g,
		  char *msg, size_t n)
{
	const char *arg = argv[*i], *v = "";
	size_t len = name_len(arg);
	int rc;

	for (size_t k = 0; a->opts[k].name; k++) {
		const struct opt_spec *o = &a->opts[k];

		if (o->flags & (OPT_POSITIONAL | OPT_GLOBAL))
			continue;
		if (args_free_text(o) && is_file_form(arg, len, o->name)) {
			/* --done-file FILE */
			if (!(v = take_value(argc, argv, i, arg, msg, n)))
				return -1;
			(*i)++;
			return give_read(a, k, v, g, msg, n);
		}
		if (!is_name(arg, len, o->name))
			continue;
		if (is_flag(o) && arg[len])
			return usage(msg, n, T("%s takes no value"), o->name);
		if (!is_flag(o) && !(v = take_value(argc, argv, i, o->name, msg, n)))
			return -1;
		(*i)++;
		if (args_free_text(o) && strcmp(v, "-") == 0)
			return give_read(a, k, NULL, g, msg, n); /* --done - */
		return give(a, k, v, msg, n);
	}
	rc = args_global(g, argc, argv, i, msg, n);
	if (rc == 0)
		return usage(msg, n, T("unknown option '%.*s'"), (int)len, arg);
	return rc < 0 ? -1 : 0;
}

void args_free(struct args *a)
{
	for (size_t k = 0; k < ARGS_MAX; k++) {
		free(a->read[k]);
		a->read[k] = NULL;
	}
}

/* args_parse, which frees what it read when it fails. */
static int parse(const struct opt_spec *opts, int argc, char **argv, struct args *a,
		 struct globals *g, char *msg, size_t msglen)
{
	size_t nspec = 0, next_pos = 0;
	bool dashdash = false;
	int i = 0;

	memset(a, 0, sizeof(*a));
	a->opts = opts;
	while (opts[nspec].name)
		nspec++;
	if (nspec > ARGS_MAX)
		return usage(msg, msglen, T("internal: too many options in one command"));
	while (i < argc) {
		const char *arg = argv[i];

		if (!dashdash && strcmp(arg, "--") == 0) {
			dashdash = true;
			i++;
			continue;
		}
		if (!dashdash && arg[0] == '-' && arg[1]) {
			if (option(a, argc, argv, &i, g, msg, msglen) < 0)
				return -1;
			continue;
		}
		while (next_pos < nspec && !(opts[next_pos].flags & OPT_POSITIONAL))
			next_pos++;
		if (next_pos == nspec)
			return usage(msg, msglen, T("unexpected argument '%s'"), arg);
		if (convert(a, next_pos++, arg, msg, msglen) < 0)
			return -1;
		i++;
	}
	if (g->help)
		return 0;
	for (size_t k = 0; k < nspec; k++) {
		const struct opt_spec *o = &opts[k];

		if (a->val[k] || !(o->flags & (OPT_POSITIONAL | OPT_REQUIRED)) ||
		    (o->flags & (OPT_GLOBAL | OPT_OMISSIBLE)))
			continue;
		if (o->flags & OPT_POSITIONAL)
			return usage(msg, msglen, T("missing %s"), o->name);
		return usage(msg, msglen, T("missing %s %s"), o->name, o->meta ? o->meta : "");
	}
	return 0;
}

bool args_any_option(const struct args *a)
{
	for (size_t k = 0; a->opts[k].name; k++)
		if (a->val[k] && a->opts[k].field && !(a->opts[k].flags & OPT_POSITIONAL))
			return true;
	return false;
}

const char *args_value(const struct args *a, const char *field)
{
	for (size_t k = 0; a->opts[k].name; k++)
		if (a->opts[k].field && strcmp(a->opts[k].field, field) == 0)
			return a->val[k];
	return NULL;
}

bool args_int(const struct args *a, const char *field, int64_t *v)
{
	for (size_t k = 0; a->opts[k].name; k++)
		if (a->opts[k].field && strcmp(a->opts[k].field, field) == 0 && a->val[k] &&
		    a->is_num[k]) {
			*v = a->num[k];
			return true;
		}
	return false;
}

uint32_t args_count(const struct args *a)
{
	uint32_t n = 0;

	for (size_t k = 0; a->opts[k].name; k++)
		if (a->val[k] && a->opts[k].field)
			n++;
	return n;
}

void args_pack(msgpack_packer *pk, const void *ctx)
{
	const struct args *a = ctx;

	for (size_t k = 0; a->opts[k].name; k++) {
		const struct opt_spec *o = &a->opts[k];

		if (!a->val[k] || !o->field)
			continue;
		switch (o->type) {
		case OPT_DATE:
			pack_kv_str(pk, o->field, a->date[k]);
			break;
		case OPT_TRUE:
		case OPT_FALSE:
			pack_kv_bool(pk, o->field, o->type == OPT_TRUE);
			break;
		case OPT_ACTION:
			pack_str(pk, o->field);
			msgpack_pack_array(pk, a->nactions);
			for (size_t i = 0; i < a->nactions; i++) {
				msgpack_pack_map(pk, 2);
				pack_str(pk, "what");
				pack_strn(pk, a->action[i], a->what_len[i]);
				pack_kv_str(pk, "due_date", a->action_date[i]);
			}
			break;
		default:
			if (a->is_num[k])
				pack_kv_int(pk, o->field, a->num[k]);
			else
				pack_kv_str(pk, o->field, a->val[k]);
			break;
		}
	}
}

int args_parse(const struct opt_spec *opts, int argc, char **argv, struct args *a,
	       struct globals *g, char *msg, size_t msglen)
{
	int rc = parse(opts, argc, argv, a, g, msg, msglen);

	if (rc < 0)
		args_free(a);
	return rc;
}
