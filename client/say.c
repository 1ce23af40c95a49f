/*
 * say.c: a server's error in the user's language (say.h).
 *
 * A Vietnamese template is printf's language with a few more letters for
 * text values (lang.h): %F a field, %N a noun, %D a date or moment, %M a
 * method, %C a coded value, %V an update's appraisal; "%2$s" takes the
 * second value.  Everything is rendered here, never through printf, so a
 * template from the catalog (ours) and values from the peer (escaped by
 * errors_unpack) are only ever copied.
 */
#include "say.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "lang.h"
#include "methods.h"
#include "render.h"
#include "strbuf.h"

/* Vietnamese for the nouns the server names in its messages. */
static const struct {
	const char *noun, *vi;
} nouns[] = {
	{"task", "việc"},
	{"unit", "đơn vị"},
	{"cadre", "cán bộ"},
	{"term", "năm, nhiệm kỳ"},
	{"account", "tài khoản"},
	{"token", "token"},
	{"update", "báo cáo tiến độ"},
	{"step", "bước kế hoạch"},
	{"reminder", "lượt đôn đốc"},
	{"amendment", "đề nghị điều chỉnh"},
	{"explanation", "yêu cầu giải trình"},
	{"inspection", "cuộc kiểm tra, giám sát"},
	{"action", "yêu cầu sau kiểm tra"},
	{"followup", "kiểm tra dứt điểm"},
	{"upload", "lần gửi tệp"},
	{"file", "hồ sơ"},
	{"import", "lần nhập"},
	{"snapshot", "bản chốt báo cáo"},
	{"backup", "bản sao lưu"},
};

/* The kinds of label a coded value may have, tried in turn (%C). */
static const enum render_kind coded[] = {
	RENDER_STATE,  RENDER_TASK_KIND,  RENDER_FIELD,    RENDER_TERM_KIND,
	RENDER_ROLE,   RENDER_RATING,     RENDER_STEP_STATUS, RENDER_AMENDMENT_STATUS,
	RENDER_VERDICT, RENDER_FOLLOWUP,  RENDER_STATUS,   RENDER_HEALTH,
};

/* Output into a fixed buffer, cut at its end. */
struct out {
	char *buf;
	size_t n, len;
};

static void put(struct out *o, const char *s, size_t n)
{
	size_t room = o->n - 1 - o->len;

	if (n > room)
		n = room;
	memcpy(o->buf + o->len, s, n);
	o->len += n;
	o->buf[o->len] = '\0';
}

static void puts_(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

/* A field as the user named it: the command's option for it ("--due"),
 * else the field itself. */
static void put_field(struct out *o, const char *field, const struct command *cmd)
{
	const char *dot = strrchr(field, '.');
	const char *key = dot ? dot + 1 : field; /* "actions[2].due_date": due_date */

	if (cmd)
		for (const struct opt_spec *s = cmd->opts; s && s->name; s++)
			if (s->field && strcmp(s->field, key) == 0 && strncmp(s->name, "--", 2) == 0) {
				if (dot)
					put(o, field, (size_t)(dot + 1 - field));
				puts_(o, s->name);
				return;
			}
	puts_(o, field);
}

static void put_noun(struct out *o, const char *noun)
{
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(nouns[i].noun, noun) == 0) {
			puts_(o, nouns[i].vi);
			return;
		}
	puts_(o, noun);
}

/* A date as dd/mm/yyyy, a moment in local time (fmt.h); anything else as
 * it is. */
static void put_date(struct out *o, const char *s)
{
	struct strbuf sb;

	strbuf_init(&sb);
	if ((fmt_moment(&sb, s, strlen(s), false) || fmt_date(&sb, s, strlen(s))) && !sb.failed)
		puts_(o, strbuf_cstr(&sb));
	else
		puts_(o, s);
	strbuf_free(&sb);
}

/* A method as the command that calls it ("dotpha task amend"). */
static void put_method(struct out *o, const char *method)
{
	char name[64];

	for (const struct command *c = commands_table; c->noun; c++)
		if (c->method && strcmp(c->method, method) == 0) {
			puts_(o, "dotpha ");
			puts_(o, commands_name(c, name, sizeof(name)));
			return;
		}
	puts_(o, method);
}

/* An update's appraisal (%V): the verdict's own label, which a task's
 * state of the same code ("accepted") would otherwise take. */
static void put_verdict(struct out *o, const char *code)
{
	const char *label = render_label(RENDER_VERDICT, code, strlen(code));

	puts_(o, label ? label : code);
}

static void put_label(struct out *o, const char *code)
{
	const char *label;

	for (size_t i = 0; i < sizeof(coded) / sizeof(coded[0]); i++)
		if ((label = render_label(coded[i], code, strlen(code)))) {
			puts_(o, label);
			return;
		}
	puts_(o, code);
}

/* A number as the language writes it: the decimal comma in Vietnamese. */
static void put_number(struct out *o, double v, int prec)
{
	struct strbuf sb;

	strbuf_init(&sb);
	fmt_decimal(&sb, v, prec < 0 ? 6 : prec > 10 ? 10 : prec);
	puts_(o, sb.failed ? "?" : strbuf_cstr(&sb));
	strbuf_free(&sb);
}

int say_template(const char *tmpl, const struct rpc_error *err, const struct command *cmd,
		 char *buf, size_t n)
{
	struct out o = {buf, n, 0};
	int next = 0;

	buf[0] = '\0';
	for (const char *p = tmpl; *p; p++) {
		const struct rpc_arg *a;
		struct errors_conv c;
		char num[32];
		int which;

		if (*p != '%') {
			put(&o, p, 1);
			continue;
		}
		if (*++p == '%') {
			put(&o, "%", 1);
			continue;
		}
		/* A '*' took a value only in the server's printf: it cut the
		 * text already and sent no length. */
		p = errors_conversion(p, &c);
		which = c.pos >= 0 ? c.pos : next++;
		if (!c.conv || which >= err->nargs)
			return -1;
		a = &err->args[which];
		switch (*p) {
		case 's': case 'F': case 'N': case 'D': case 'M': case 'C': case 'V': {
			const char *t;

			if (a->type != RPC_ARG_TEXT)
				return -1;
			t = errors_arg_text(err, which);
			if (*p == 'F')
				put_field(&o, t, cmd);
			else if (*p == 'N')
				put_noun(&o, t);
			else if (*p == 'D')
				put_date(&o, t);
			else if (*p == 'M')
				put_method(&o, t);
			else if (*p == 'C')
				put_label(&o, t);
			else if (*p == 'V')
				put_verdict(&o, t);
			else
				puts_(&o, t);
			break;
		}
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			if (a->type == RPC_ARG_INT)
				snprintf(num, sizeof(num), *p == 'x' ? "%llx" : *p == 'X' ? "%llX" : "%lld",
					 (long long)a->v.i);
			else if (a->type == RPC_ARG_UINT)
				snprintf(num, sizeof(num), *p == 'x' ? "%llx" : *p == 'X' ? "%llX" : "%llu",
					 (unsigned long long)a->v.u);
			else
				return -1;
			puts_(&o, num);
			break;
		case 'c':
			if (a->type != RPC_ARG_UINT || a->v.u < 0x20 || a->v.u > 0x7e)
				return -1;
			num[0] = (char)a->v.u;
			put(&o, num, 1);
			break;
		case 'f': case 'g': case 'e':
			if (a->type != RPC_ARG_NUMBER)
				return -1;
			put_number(&o, a->v.f, c.prec);
			break;
		default:
			return -1;
		}
	}
	return 0;
}

/* A message that starts with its field's wire name as the template wrote
 * it ("due_date: ..."): the name as the user typed it ("--due: ..."). */
static void as_option(const struct rpc_error *err, const struct command *cmd, char *buf,
		      size_t n)
{
	char field[64], rest[600];
	struct out o = {buf, n, 0};
	size_t k;

	errors_field(err, field, sizeof(field));
	k = strlen(field);
	if (!k || strncmp(buf, field, k) != 0 || strncmp(buf + k, ": ", 2) != 0 ||
	    strlen(buf + k) >= sizeof(rest))
		return;
	memcpy(rest, buf + k, strlen(buf + k) + 1);
	buf[0] = '\0';
	put_field(&o, field, cmd);
	puts_(&o, rest);
}

const char *say_error(const struct rpc_error *err, const struct command *cmd, char *buf,
		      size_t n)
{
	const char *vi;

	if (lang_current() != LANG_EN && err->template[0]) {
		if ((vi = lang_server_text(err->template)) &&
		    say_template(vi, err, cmd, buf, n) == 0) {
			as_option(err, cmd, buf, n);
			return buf;
		}
		/* A path put before a known error (errors_prefix: "%s" and the
		 * template, the path its first value): the path, then the
		 * error said without it. */
		if (strncmp(err->template, "%s", 2) == 0 && err->nargs > 0 &&
		    err->args[0].type == RPC_ARG_TEXT && (vi = lang_server_text(err->template + 2))) {
			struct rpc_error rest = *err;
			size_t k = strlen(errors_arg_text(err, 0));

			memmove(rest.args, rest.args + 1, (size_t)(--rest.nargs) * sizeof(rest.args[0]));
			if (k < n && say_template(vi, &rest, cmd, buf + k, n - k) == 0) {
				memcpy(buf, errors_arg_text(err, 0), k);
				return buf;
			}
		}
	}
	snprintf(buf, n, "%s", err->message);
	return buf;
}
