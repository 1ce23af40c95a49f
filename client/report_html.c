/*
 * report_html.c: see report_html.h.  The page is built from report.get's
 * result alone: inline CSS (A4, print rules) and inline SVG, no script and
 * nothing fetched, so the file opens and prints anywhere as it is.
 */
#include "report_html.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "lang.h"
#include "obj.h"
#include "render.h"
#include "table.h"

#define CHART_W 700   /* the SVG's user units across; it scales to the page */
#define BAR_H 14      /* a unit's bar */
#define LABEL_W 190   /* room for the unit's name left of its bar */
#define LABEL_COLS 34 /* characters of a name on one line of that room (10px text) */
#define LABEL_LINES 4 /* lines a name takes at most; a longer one ends in "…" */
#define LINE_H 12     /* a line of a name */
#define MONTH_H 160   /* the completion chart's plot height */
#define AXIS_X 44     /* where the completion chart's plot starts, after its axis */
#define MONTH_LABEL_W 42 /* a month's label, "05/2022", across */

static const char STYLE[] =
	"@page{size:A4;margin:14mm 12mm}"
	"body{font-family:'DejaVu Sans','Liberation Sans',Arial,sans-serif;font-size:9.5pt;"
	"color:#111;margin:0 auto;max-width:190mm}"
	"h1{font-size:14pt;margin:0 0 2mm}h2{font-size:11.5pt;margin:6mm 0 2mm;"
	"break-after:avoid;page-break-after:avoid}"
	"p.meta{margin:0 0 3mm;color:#333}"
	"table{border-collapse:collapse;width:100%;margin-bottom:3mm}"
	"th,td{border:1px solid #999;padding:1.2mm 1.5mm;vertical-align:top}"
	"th{background:#e8eef5;font-weight:600}td.n{text-align:right;white-space:nowrap}"
	"#summary th{text-align:left;width:60%}"
	"thead{display:table-header-group}tr{break-inside:avoid;page-break-inside:avoid}"
	"figure{margin:0 0 3mm;break-inside:avoid;page-break-inside:avoid}"
	"svg{width:100%;height:auto}svg text{font-size:10px;fill:#111}"
	".legend span{display:inline-block;margin-right:4mm}"
	".legend i{display:inline-block;width:3mm;height:3mm;margin-right:1mm;vertical-align:middle}"
	"p.note{margin:1mm 0 0;color:#333;font-size:8.5pt}"
	"@media print{body{max-width:none}a{color:inherit}"
	"th{-webkit-print-color-adjust:exact;print-color-adjust:exact}"
	"svg,.legend i{-webkit-print-color-adjust:exact;print-color-adjust:exact}}";

/* Appends text escaped for HTML. */
static void esc(struct strbuf *sb, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		switch (s[i]) {
		case '&': strbuf_adds(sb, "&amp;"); break;
		case '<': strbuf_adds(sb, "&lt;"); break;
		case '>': strbuf_adds(sb, "&gt;"); break;
		case '"': strbuf_adds(sb, "&quot;"); break;
		case '\'': strbuf_adds(sb, "&#39;"); break;
		default: strbuf_addc(sb, s[i]);
		}
}

/* Appends field key of o as people read it (render_value), escaped. */
static void val(struct strbuf *sb, const msgpack_object *o, const char *key, enum render_kind k)
{
	struct strbuf tmp = STRBUF_INIT;

	render_value(&tmp, o ? obj_get(o, key) : NULL, k);
	esc(sb, strbuf_cstr(&tmp), tmp.len);
	strbuf_free(&tmp);
}

/* Appends a text of ours (a translation), escaped. */
static void text(struct strbuf *sb, const char *s)
{
	esc(sb, s, strlen(s));
}

/* Appends a section's heading. */
static void heading(struct strbuf *sb, const char *s)
{
	strbuf_adds(sb, "<h2>");
	text(sb, s);
	strbuf_adds(sb, "</h2>\n");
}

static int64_t num(const msgpack_object *o, const char *key)
{
	int64_t v = 0;

	if (o)
		obj_int(obj_get(o, key), &v);
	return v;
}

static const msgpack_object *array(const msgpack_object *o, const char *key)
{
	const msgpack_object *a = o ? obj_get(o, key) : NULL;

	return a && a->type == MSGPACK_OBJECT_ARRAY ? a : NULL;
}

/* ---- tables ---- */

struct hcol {
	const char *label, *key;
	enum render_kind kind;
	bool number;
};

static void table(struct strbuf *sb, const char *id, const struct hcol *cols,
		  const msgpack_object *rows)
{
	strbuf_addf(sb, "<table id=\"%s\"><thead><tr>", id);
	for (const struct hcol *c = cols; c->label; c++) {
		strbuf_adds(sb, "<th>");
		text(sb, T(c->label));
		strbuf_adds(sb, "</th>");
	}
	strbuf_adds(sb, "</tr></thead><tbody>\n");
	for (uint32_t i = 0; rows && i < rows->via.array.size; i++) {
		const msgpack_object *r = &rows->via.array.ptr[i];

		strbuf_adds(sb, "<tr>");
		for (const struct hcol *c = cols; c->label; c++) {
			strbuf_adds(sb, c->number ? "<td class=\"n\">" : "<td>");
			/* A unit's name is indented by its depth in the tree
			 * (bounded: the number is the server's). */
			if (strcmp(c->key, "unit_name") == 0)
				for (int64_t d = num(r, "depth") < 32 ? num(r, "depth") : 32; d > 0; d--)
					strbuf_adds(sb, "&#160;&#160;&#160;");
			val(sb, r, c->key, c->kind);
			strbuf_adds(sb, "</td>");
		}
		strbuf_adds(sb, "</tr>\n");
	}
	strbuf_adds(sb, "</tbody></table>\n");
}

static const struct hcol summary_rows[] = {
{N_("Total tasks"), "total", RENDER_COUNT, true},
{N_("Number of cadres"), "cadres", RENDER_COUNT, true},
{N_("Tasks assigned"), "assigned", RENDER_COUNT, true},
{N_("Done on time"), "done_on_time", RENDER_COUNT, true},
{N_("Done late"), "done_late", RENDER_COUNT, true},
{N_("Not completed, within the deadline"), "within_deadline", RENDER_COUNT, true},
{N_("Overdue"), "overdue", RENDER_COUNT, true},
{N_("Completion rate"), "completion_rate", RENDER_PERCENT, true},
{N_("On-time completion rate"), "on_time_rate", RENDER_PERCENT, true},
{N_("Overdue rate"), "overdue_rate", RENDER_PERCENT, true},
{N_("On track"), "on_track", RENDER_COUNT, true},
{N_("At risk"), "at_risk", RENDER_COUNT, true},
{N_("Stalled"), "stalled", RENDER_COUNT, true},
	{NULL, NULL, 0, false},
};

static const struct hcol unit_cols[] = {
{N_("Code"), "unit_code", RENDER_TEXT, false},
{N_("Unit"), "unit_name", RENDER_TEXT, false},
{N_("Total tasks assigned"), "assigned", RENDER_COUNT, true},
{N_("Done on time"), "done_on_time", RENDER_COUNT, true},
{N_("Done late"), "done_late", RENDER_COUNT, true},
{N_("Not completed, within the deadline"), "within_deadline", RENDER_COUNT, true},
{N_("Overdue"), "overdue", RENDER_COUNT, true},
{N_("Completion rate"), "completion_rate", RENDER_PERCENT, true},
{N_("On-time rate"), "on_time_rate", RENDER_PERCENT, true},
{N_("Overdue rate"), "overdue_rate", RENDER_PERCENT, true},
	{NULL, NULL, 0, false},
};

static const struct hcol overdue_cols[] = {
{N_("ID"), "id", RENDER_TEXT, true},
{N_("Task title"), "title", RENDER_TEXT, false},
{N_("Owner (cadre)"), "owner_name", RENDER_TEXT, false},
{N_("Unit"), "unit_name", RENDER_TEXT, false},
{N_("Due"), "due_date", RENDER_DATE, true},
{N_("Days overdue"), "days_late", RENDER_COUNT, true},
{N_("Progress"), "percent", RENDER_PERCENT, true},
	{NULL, NULL, 0, false},
};

/* A row "Cán bộ diện ... quản lý | 244 việc, 76 cán bộ" of the summary. */
static void managed(struct strbuf *sb, const char *label, const msgpack_object *counts)
{
	char t[32], k[32], cell[160];

	snprintf(cell, sizeof(cell), T("%s tasks, %s cadres"),
		 fmt_int_s(num(counts, "tasks"), t, sizeof(t)),
		 fmt_int_s(num(counts, "cadres"), k, sizeof(k)));
	strbuf_adds(sb, "<tr><th>");
	text(sb, label);
	strbuf_adds(sb, "</th><td class=\"n\">");
	text(sb, cell);
	strbuf_adds(sb, "</td></tr>\n");
}

static void summary(struct strbuf *sb, const msgpack_object *res)
{
	const msgpack_object *s = obj_get(res, "summary"), *m = obj_get(res, "managing");

	heading(sb, T("Summary"));
	strbuf_adds(sb, "<table id=\"summary\"><tbody>\n");
	for (const struct hcol *c = summary_rows; c->label; c++) {
		strbuf_adds(sb, "<tr><th>");
		text(sb, T(c->label));
		strbuf_adds(sb, "</th><td class=\"n\">");
		val(sb, s, c->key, c->kind);
		strbuf_adds(sb, "</td></tr>\n");
	}
	managed(sb, T("Cadres managed by the root units"), obj_get(m, "base"));
	managed(sb, T("Cadres managed by the levels below"), obj_get(m, "below"));
	strbuf_adds(sb, "</tbody></table>\n");
}

/* ---- charts ---- */

/* The segments of a unit's bar: done, then the health of the rest. */
static const struct {
	const char *label, *colour;
} parts[] = {
{N_("Completed"), "#2e7d32"},
{N_("On track"), "#64b5f6"},
{N_("At risk"), "#f9a825"},
{N_("Stalled"), "#c62828"},
};

#define NPARTS (sizeof(parts) / sizeof(parts[0]))

static void legend(struct strbuf *sb)
{
	strbuf_adds(sb, "<div class=\"legend\">");
	for (size_t k = 0; k < NPARTS; k++) {
		strbuf_addf(sb, "<span><i style=\"background:%s\"></i>", parts[k].colour);
		text(sb, T(parts[k].label));
		strbuf_adds(sb, "</span>");
	}
	strbuf_adds(sb, "</div>\n");
}

/* Appends a unit's name as the label of its bar: <text> with a <tspan>
 * a line of LABEL_COLS (whole words), the first line's baseline at y, at
 * most LABEL_LINES lines, the last ending in "…" if the name goes on (its
 * <title> holds it whole).  *lines gets the number of lines. */
static void bar_label(struct strbuf *sb, const char *name, int64_t y, size_t *lines)
{
	struct table_wrap wr;
	const char *p;
	size_t len, k = 0;

	table_wrap_init(&wr, name, LABEL_COLS, false);
	strbuf_addf(sb, "<text x=\"0\" y=\"%" PRId64 "\">", y);
	while (k < LABEL_LINES && table_wrap_next(&wr, &p, &len)) {
		strbuf_addf(sb, k++ ? "<tspan x=\"0\" dy=\"%d\">" : "<tspan>", LINE_H);
		esc(sb, p, len);
		if (k == LABEL_LINES && wr.pos < wr.n)
			strbuf_adds(sb, "…");
		strbuf_adds(sb, "</tspan>");
	}
	strbuf_adds(sb, "</text>");
	*lines = k ? k : 1;
}

/* One horizontal bar per unit at depth 1 (the base's children; the base
 * itself when it has none), in segments by health, named by the unit's
 * name (over several lines if need be) and followed by its number of
 * tasks and completion rate, written as the language writes numbers. */
static void health_chart(struct strbuf *sb, const msgpack_object *units)
{
	int64_t max = 1, depth = 1, n = 0, y, height = 4;
	struct strbuf name = STRBUF_INIT, bars = STRBUF_INIT;

	for (uint32_t i = 0; units && i < units->via.array.size; i++)
		n += num(&units->via.array.ptr[i], "depth") == 1;
	if (!n)
		depth = 0;
	for (uint32_t i = 0; units && i < units->via.array.size; i++) {
		const msgpack_object *u = &units->via.array.ptr[i];

		if (num(u, "depth") != depth)
			continue;
		if (num(u, "assigned") > max)
			max = num(u, "assigned");
	}
	y = 2;
	for (uint32_t i = 0; units && i < units->via.array.size; i++) {
		const msgpack_object *u = &units->via.array.ptr[i], *rate;
		int64_t seg[NPARTS], x = LABEL_W, row;
		size_t lines;
		char count[32];

		if (num(u, "depth") != depth)
			continue;
		seg[0] = num(u, "done_on_time") + num(u, "done_late");
		seg[1] = num(u, "on_track");
		seg[2] = num(u, "at_risk");
		seg[3] = num(u, "stalled");
		strbuf_reset(&name);
		render_value(&name, obj_get(u, "unit_name"), RENDER_TEXT);
		if (name.len == 0)
			render_value(&name, obj_get(u, "unit_code"), RENDER_TEXT);
		table_clean(name.buf, name.len, false);
		strbuf_adds(&bars, "<g><title>");
		esc(&bars, strbuf_cstr(&name), name.len);
		strbuf_adds(&bars, "</title>");
		bar_label(&bars, strbuf_cstr(&name), y + BAR_H - 3, &lines);
		for (size_t k = 0; k < NPARTS; k++) {
			int64_t w = seg[k] * (CHART_W - LABEL_W - 90) / max;

			if (w > 0)
				strbuf_addf(&bars,
					    "<rect x=\"%" PRId64 "\" y=\"%" PRId64 "\" width=\"%" PRId64
					    "\" height=\"%d\" fill=\"%s\"/>",
					    x, y, w, BAR_H, parts[k].colour);
			x += w;
		}
		strbuf_addf(&bars, "<text x=\"%" PRId64 "\" y=\"%" PRId64 "\">%s", x + 4, y + BAR_H - 3,
			    fmt_int_s(num(u, "assigned"), count, sizeof(count)));
		rate = obj_get(u, "completion_rate");
		if (rate && rate->type != MSGPACK_OBJECT_NIL) {
			strbuf_adds(&bars, " (");
			val(&bars, u, "completion_rate", RENDER_PERCENT);
			strbuf_adds(&bars, ")");
		}
		strbuf_adds(&bars, "</text></g>\n");
		row = (int64_t)(lines - 1) * LINE_H + BAR_H + 4;
		y += row;
	}
	height = y + 2;
	heading(sb, T("Progress by unit"));
	strbuf_addf(sb,
		    "<figure><svg id=\"chart-health\" xmlns=\"http://www.w3.org/2000/svg\" "
		    "viewBox=\"0 0 %d %" PRId64 "\" role=\"img\" aria-label=\"",
		    CHART_W, height);
	text(sb, T("Tasks of each unit by status"));
	strbuf_adds(sb, "\">\n");
	strbuf_add(sb, bars.buf ? bars.buf : "", bars.len);
	strbuf_adds(sb, "</svg>");
	legend(sb);
	strbuf_adds(sb, "<p class=\"note\">");
	text(sb, T("After each bar: the unit's tasks assigned, and its completion rate."));
	strbuf_adds(sb, "</p></figure>\n");
	strbuf_free(&name);
	strbuf_free(&bars);
}

/* Appends a month "2022-05" as people write it, "05/2022". */
static void month(struct strbuf *sb, const msgpack_object *m)
{
	const msgpack_object *o = obj_get(m, "month");

	if (o && o->type == MSGPACK_OBJECT_STR && o->via.str.size == 7 && o->via.str.ptr[4] == '-') {
		esc(sb, o->via.str.ptr + 5, 2);
		strbuf_addc(sb, '/');
		esc(sb, o->via.str.ptr, 4);
	} else {
		val(sb, m, "month", RENDER_TEXT);
	}
}

/* Completion over time: the tasks done by the end of each month, one
 * column a month, cumulative; the axes named, the months written mm/yyyy,
 * the counts as the language writes numbers. */
static void completion_chart(struct strbuf *sb, const msgpack_object *monthly)
{
	enum { TOP = 10, BASE = TOP + MONTH_H, RIGHT = CHART_W - 10 };
	uint32_t n = monthly ? monthly->via.array.size : 0;
	int64_t total = 0, run = 0;
	double w = n ? (double)(RIGHT - AXIS_X - 2) / n : 1;
	char count[32];

	for (uint32_t i = 0; i < n; i++)
		total += num(&monthly->via.array.ptr[i], "done");
	heading(sb, T("Completion over time"));
	strbuf_addf(sb,
		    "<figure><svg id=\"chart-completion\" xmlns=\"http://www.w3.org/2000/svg\" "
		    "viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
		    CHART_W, BASE + 44);
	text(sb, T("Tasks done, cumulated by month"));
	strbuf_adds(sb, "\">\n");
	/* the axes, the count axis named along it, the time axis under it */
	strbuf_addf(sb, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n"
			"<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#555\"/>\n",
		    AXIS_X, BASE, RIGHT, BASE, AXIS_X, TOP, AXIS_X, BASE);
	strbuf_addf(sb, "<text id=\"axis-count\" transform=\"rotate(-90)\" x=\"%d\" y=\"10\" "
			"text-anchor=\"middle\">", -(TOP + MONTH_H / 2));
	text(sb, T("Tasks done (cumulative)"));
	strbuf_addf(sb, "</text>\n<text id=\"axis-time\" x=\"%d\" y=\"%d\" text-anchor=\"middle\">",
		    (AXIS_X + RIGHT) / 2, BASE + 38);
	text(sb, T("Month (end of month)"));
	strbuf_addf(sb, "</text>\n<text x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>\n",
		    AXIS_X - 3, BASE);
	for (uint32_t i = 0; i < n; i++) {
		const msgpack_object *m = &monthly->via.array.ptr[i];
		double h;

		run += num(m, "done");
		h = (double)run * MONTH_H / (double)(total ? total : 1);
		strbuf_addf(sb, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
			    "fill=\"#2e7d32\"><title>", AXIS_X + 2 + i * w, BASE - h,
			    w > 2 ? w - 1 : w, h);
		month(sb, m);
		strbuf_addf(sb, ": %s</title></rect>\n", fmt_int_s(run, count, sizeof(count)));
		/* a label every six months, the first and the last (which ends at
		 * the plot's edge), none crowding the last (a label is some 40
		 * units wide) */
		if (i == 0 || i + 1 == n || (i % 6 == 0 && (n - i) * w > 2 * MONTH_LABEL_W)) {
			if (i + 1 == n)
				strbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\">",
					    AXIS_X + 2 + (i + 1) * w, BASE + 15);
			else
				strbuf_addf(sb, "<text x=\"%.1f\" y=\"%d\">", AXIS_X + 2 + i * w,
					    BASE + 15);
			month(sb, m);
			strbuf_adds(sb, "</text>\n");
		}
	}
	strbuf_addf(sb, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text></svg></figure>\n",
		    AXIS_X - 3, TOP + 8, fmt_int_s(run, count, sizeof(count)));
}

int report_html(struct strbuf *sb, const msgpack_object *res)
{
	const msgpack_object *units = array(res, "units"), *od = array(res, "overdue");
	const msgpack_object *term = obj_get(res, "term"), *unit = obj_get(res, "unit");
	char line[200], n[32];

	if (!units || !od || !obj_get(res, "summary"))
		return -1;
	strbuf_addf(sb, "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">\n"
			"<title>", lang_current() == LANG_EN ? "en" : "vi");
	text(sb, T("Report on the breakthrough and innovation tasks"));
	strbuf_adds(sb, " — ");
	val(sb, term, "name", RENDER_TEXT);
	strbuf_addf(sb, "</title>\n<style>%s</style></head>\n<body>\n<h1>", STYLE);
	text(sb, T("Report on the breakthrough and innovation tasks"));
	strbuf_adds(sb, "</h1>\n<p class=\"meta\">");
	val(sb, term, "name", RENDER_TEXT);
	strbuf_adds(sb, " — ");
	strbuf_adds(sb, T("figures as of"));
	strbuf_addc(sb, ' ');
	val(sb, res, "as_of", RENDER_DATE);
	if (unit && unit->type == MSGPACK_OBJECT_MAP) {
		strbuf_adds(sb, " — ");
		val(sb, unit, "name", RENDER_TEXT);
	}
	strbuf_adds(sb, "</p>\n");
	summary(sb, res);
	health_chart(sb, units);
	heading(sb, T("Results by unit"));
	table(sb, "units", unit_cols, units);
	completion_chart(sb, array(res, "monthly"));
	snprintf(line, sizeof(line), T("Overdue tasks (%s tasks)"),
		 fmt_int_s(num(res, "overdue_total"), n, sizeof(n)));
	heading(sb, line);
	table(sb, "overdue", overdue_cols, od);
	if ((int64_t)od->via.array.size < num(res, "overdue_total")) {
		snprintf(line, sizeof(line), T("The %" PRIu32 " tasks longest overdue of %s in all."),
			 od->via.array.size, fmt_int_s(num(res, "overdue_total"), n, sizeof(n)));
		strbuf_adds(sb, "<p>");
		text(sb, line);
		strbuf_adds(sb, "</p>\n");
	}
	strbuf_adds(sb, "</body></html>\n");
	return 0;
}
