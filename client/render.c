/*
 * render.c: see render.h.
 */
#include "render.h"

#include <inttypes.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "obj.h"
#include "utf8.h"

struct label {
	const char *wire;
	const char *shown;
};

static const struct label task_kinds[] = {
	{"breakthrough", "Đột phá"},
	{"innovation", "Đổi mới"},
	{NULL, NULL},
};

static const struct label fields[] = {
	{"socio_economic", "Kinh tế - xã hội"},
	{"defence_security", "Quốc phòng, an ninh"},
	{"party_building", "Xây dựng Đảng, hệ thống chính trị"},
	{"livelihood", "Đời sống Nhân dân"},
	{NULL, NULL},
};

static const struct label term_kinds[] = {
	{"year", "Năm"},
	{"term", "Nhiệm kỳ"},
	{NULL, NULL},
};

const char *render_label(enum render_kind kind, const char *s, size_t n)
{
	const struct label *l;

	switch (kind) {
	case RENDER_TASK_KIND: l = task_kinds; break;
	case RENDER_FIELD: l = fields; break;
	case RENDER_TERM_KIND: l = term_kinds; break;
	default: return NULL;
	}
	for (; l->wire; l++)
		if (strlen(l->wire) == n && memcmp(l->wire, s, n) == 0)
			return l->shown;
	return NULL;
}

static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

int render_moment(const char *s, size_t n, char *out, size_t outn)
{
	int h, mi, se;
	time_t t;
	struct tm tm;

	if (n != 20 || !date_valid(s, 10) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z' || (h = two(s + 11)) < 0 || h > 23 || (mi = two(s + 14)) < 0 ||
	    mi > 59 || (se = two(s + 17)) < 0 || se > 60) {
		snprintf(out, outn, "%.*s", (int)n, s);
		return -1;
	}
	/* Days since the epoch make the UTC instant without timegm(), which
	 * Windows lacks. */
	t = (time_t)date_days(s) * 86400 + h * 3600 + mi * 60 + se;
#ifdef _WIN32
	localtime_s(&tm, &t);
#else
	localtime_r(&t, &tm);
#endif
	if (strftime(out, outn, "%d/%m/%Y %H:%M", &tm) == 0) {
		snprintf(out, outn, "%.*s", (int)n, s);
		return -1;
	}
	return 0;
}

static void render_str(struct strbuf *sb, const char *s, size_t n, enum render_kind kind)
{
	char buf[64];
	const char *label;

	switch (kind) {
	case RENDER_DATE:
		if (n == 10 && date_valid(s, n)) {
			char iso[DATE_LEN];

			memcpy(iso, s, 10);
			iso[10] = '\0';
			date_to_dmy(iso, buf, sizeof(buf));
			strbuf_adds(sb, buf);
			return;
		}
		break;
	case RENDER_MOMENT:
		if (render_moment(s, n, buf, sizeof(buf)) == 0) {
			strbuf_adds(sb, buf);
			return;
		}
		break;
	default:
		if ((label = render_label(kind, s, n))) {
			strbuf_adds(sb, label);
			return;
		}
		break;
	}
	strbuf_add(sb, s, n);
}

void render_value(struct strbuf *sb, const msgpack_object *o, enum render_kind kind)
{
	if (!o)
		return;
	switch (o->type) {
	case MSGPACK_OBJECT_STR:
		render_str(sb, o->via.str.ptr, o->via.str.size, kind);
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		strbuf_addf(sb, "%" PRIu64 "%s", o->via.u64, kind == RENDER_PERCENT ? "%" : "");
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		strbuf_addf(sb, "%" PRId64 "%s", o->via.i64, kind == RENDER_PERCENT ? "%" : "");
		break;
	case MSGPACK_OBJECT_BOOLEAN:
		if (kind == RENDER_YES)
			strbuf_adds(sb, o->via.boolean ? "có" : "");
		else
			strbuf_adds(sb, o->via.boolean ? "có" : "không");
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		strbuf_addf(sb, "%g", o->via.f64);
		break;
	default:
		break; /* nil, and shapes a person cannot read in a cell */
	}
}

static bool present(const msgpack_object *o)
{
	return o && o->type != MSGPACK_OBJECT_NIL &&
	       !(o->type == MSGPACK_OBJECT_STR && o->via.str.size == 0);
}

void render_cell(struct strbuf *sb, const msgpack_object *item, const struct render_col *col)
{
	const msgpack_object *v = obj_get(item, col->key);
	int64_t depth;

	if ((col->flags & RENDER_TREE) && obj_int(obj_get(item, "depth"), &depth))
		for (int64_t i = 0; i < depth && i < 64; i++)
			strbuf_adds(sb, "  ");
	render_value(sb, v, col->kind);
	if (col->key2) {
		const msgpack_object *v2 = obj_get(item, col->key2);

		if (present(v2)) {
			strbuf_adds(sb, present(v) ? " (" : "(");
			render_value(sb, v2, RENDER_TEXT);
			strbuf_addc(sb, ')');
		}
	}
}

int render_table_init(struct table *t, const struct render_col *cols)
{
	size_t n = 0;

	while (cols[n].label)
		n++;
	if (table_init(t, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		table_header(t, i, cols[i].label, cols[i].flags & (TABLE_RIGHT | TABLE_SHRINK));
	return t->failed ? -1 : 0;
}

int render_table_add(struct table *t, const struct render_col *cols, const msgpack_object *item)
{
	struct strbuf sb = STRBUF_INIT;

	if (table_add_row(t) < 0)
		return -1;
	for (size_t i = 0; cols[i].label; i++) {
		strbuf_reset(&sb);
		render_cell(&sb, item, &cols[i]);
		table_set(t, i, strbuf_cstr(&sb), sb.len);
	}
	if (sb.failed)
		t->failed = true;
	strbuf_free(&sb);
	return t->failed ? -1 : 0;
}

/* Writes value s, indenting every line after the first by indent columns. */
static void put_lines(FILE *out, const char *s, size_t n, size_t indent)
{
	size_t i = 0;

	while (i < n) {
		const char *nl = memchr(s + i, '\n', n - i);
		size_t len = nl ? (size_t)(nl - (s + i)) : n - i;

		if (i)
			fprintf(out, "%*s", (int)indent, "");
		fwrite(s + i, 1, len, out);
		fputc('\n', out);
		i += len + (nl ? 1 : 0);
	}
}

void render_record(FILE *out, const struct render_view *v, const msgpack_object *obj, size_t width)
{
	struct strbuf sb = STRBUF_INIT;
	size_t lw = 0;

	/* Labels align on the widest of the lines that are shown. */
	for (const struct render_col *c = v->record; c->label; c++) {
		size_t w = utf8_width(c->label, strlen(c->label)) + 1;

		strbuf_reset(&sb);
		render_cell(&sb, obj, c);
		if (sb.len > 0 && w > lw)
			lw = w;
	}
	for (const struct render_col *c = v->record; c->label; c++) {
		size_t w = utf8_width(c->label, strlen(c->label)) + 1;

		strbuf_reset(&sb);
		render_cell(&sb, obj, c);
		if (sb.len == 0)
			continue;
		fprintf(out, "%s:%*s", c->label, (int)(lw - w + 2), "");
		table_clean(sb.buf, sb.len, true);
		put_lines(out, strbuf_cstr(&sb), sb.len, lw + 2);
	}
	for (const struct render_list *l = v->lists; l && l->title; l++) {
		const msgpack_object *a = obj_get(obj, l->key);
		struct table t;

		/* One entry is the current state, which the record shows. */
		if (!a || a->type != MSGPACK_OBJECT_ARRAY || a->via.array.size < 2)
			continue;
		if (render_table_init(&t, l->cols) == 0) {
			for (uint32_t i = 0; i < a->via.array.size; i++)
				render_table_add(&t, l->cols, &a->via.array.ptr[i]);
			fprintf(out, "\n%s:\n", l->title);
			table_print(&t, out, width);
		}
		table_free(&t);
	}
	strbuf_free(&sb);
}
