/*
 * report_xlsx.c: see report_xlsx.h.  The figures are the server's, laid
 * out as report.c lays out the CSV: this file only chooses cells, number
 * formats and widths.  libxlsxwriter writes the whole workbook at
 * workbook_close(); strings go to its shared string table.
 */
#include "report_xlsx.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <xlsxwriter.h>

#include "lang.h"
#include "obj.h"
#include "render.h"
#include "report.h"
#include "rpc.h"
#include "strbuf.h"
#include "views.h"

#define TABLE_FIRST_ROW 3 /* the header's row: a title, the cut-off date, a blank line above */

/* The formats of a workbook. */
struct styles {
	lxw_format *title;  /* bold, larger */
	lxw_format *header; /* bold, wrapped, bordered */
	lxw_format *text;   /* bordered */
	lxw_format *count;  /* a whole number, bordered */
	lxw_format *rate;   /* one decimal, bordered */
	lxw_format *total;  /* the totals' text: bold, bordered */
	lxw_format *total_count, *total_rate;
};

static lxw_format *bordered(lxw_workbook *wb, bool bold, const char *num)
{
	lxw_format *f = workbook_add_format(wb);

	format_set_border(f, LXW_BORDER_THIN);
	format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (bold)
		format_set_bold(f);
	if (num)
		format_set_num_format(f, num);
	return f;
}

static void styles_init(lxw_workbook *wb, struct styles *s)
{
	s->title = workbook_add_format(wb);
	format_set_bold(s->title);
	format_set_font_size(s->title, 13);
	s->header = bordered(wb, true, NULL);
	format_set_text_wrap(s->header);
	format_set_align(s->header, LXW_ALIGN_CENTER);
	s->text = bordered(wb, false, NULL);
	format_set_text_wrap(s->text);
	s->count = bordered(wb, false, "0");
	s->rate = bordered(wb, false, "0.0");
	s->total = bordered(wb, true, NULL);
	s->total_count = bordered(wb, true, "0");
	s->total_rate = bordered(wb, true, "0.0");
}

/* Writes field key of row at (r, col): a number as a number (a rate with
 * one decimal), text as text, nothing for nil or a missing field (a cell
 * with its border only). */
static void put_value(lxw_worksheet *ws, lxw_row_t r, lxw_col_t col, const msgpack_object *row,
		      const char *key, bool total, const struct styles *s)
{
	const msgpack_object *v = row ? obj_get(row, key) : NULL;
	char buf[512];

	switch (v ? v->type : MSGPACK_OBJECT_NIL) {
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		worksheet_write_number(ws, r, col, (double)v->via.u64,
				       total ? s->total_count : s->count);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		worksheet_write_number(ws, r, col, (double)v->via.i64,
				       total ? s->total_count : s->count);
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		worksheet_write_number(ws, r, col, v->via.f64, total ? s->total_rate : s->rate);
		break;
	case MSGPACK_OBJECT_STR:
		worksheet_write_string(ws, r, col, obj_cstr(v, buf, sizeof(buf)),
				       total ? s->total : s->text);
		break;
	default:
		worksheet_write_blank(ws, r, col, total ? s->total : s->text);
		break;
	}
}

/* The title lines above a table: the report, its term, date and unit. */
static void put_title(lxw_worksheet *ws, const msgpack_object *res, const char *what,
		      const struct styles *s)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, T("Results of the breakthrough and innovation tasks"));
	strbuf_adds(&sb, " — ");
	strbuf_adds(&sb, what);
	worksheet_write_string(ws, 0, 0, strbuf_cstr(&sb), s->title);
	strbuf_reset(&sb);
	render_value(&sb, obj_get(obj_get(res, "term"), "name"), RENDER_TEXT);
	strbuf_adds(&sb, " — ");
	strbuf_adds(&sb, T("as of "));
	render_value(&sb, obj_get(res, "as_of"), RENDER_DATE);
	if (obj_get(obj_get(res, "unit"), "name")) {
		strbuf_adds(&sb, " — ");
		render_value(&sb, obj_get(obj_get(res, "unit"), "name"), RENDER_TEXT);
	}
	worksheet_write_string(ws, 1, 0, strbuf_cstr(&sb), NULL);
	strbuf_free(&sb);
}

/* Sheet 1: the official table, a row per unit, the totals last. */
static void put_units(lxw_workbook *wb, const msgpack_object *res, const msgpack_object *units,
		      const struct styles *s)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, T("By unit"));
	lxw_row_t last = TABLE_FIRST_ROW + 1 + units->via.array.size;
	const char *label, *key;
	size_t k;

	put_title(ws, res, T("by unit"), s);
	for (k = 0; (label = report_column(k, &key)); k++) {
		double width = k == 1 ? 42 : k == 0 ? 12 : 13;

		worksheet_set_column(ws, (lxw_col_t)k, (lxw_col_t)k, width, NULL);
		worksheet_write_string(ws, TABLE_FIRST_ROW, (lxw_col_t)k, T(label), s->header);
		for (uint32_t i = 0; i < units->via.array.size; i++)
			put_value(ws, TABLE_FIRST_ROW + 1 + i, (lxw_col_t)k, &units->via.array.ptr[i],
				  key, false, s);
		/* The totals: the summary's figures under a name of their own. */
		if (k == 0)
			worksheet_write_blank(ws, last, 0, s->total);
		else if (k == 1)
			worksheet_write_string(ws, last, 1, T("In all"), s->total);
		else if (strcmp(key, "depth") == 0)
			worksheet_write_blank(ws, last, (lxw_col_t)k, s->total);
		else
			put_value(ws, last, (lxw_col_t)k, obj_get(res, "summary"), key, true, s);
	}
	worksheet_set_row(ws, TABLE_FIRST_ROW, 45, NULL);
	worksheet_freeze_panes(ws, TABLE_FIRST_ROW + 1, 2);
	worksheet_autofilter(ws, TABLE_FIRST_ROW, 0, last - 1, (lxw_col_t)(k - 1));
	worksheet_set_landscape(ws);
	worksheet_fit_to_pages(ws, 1, 0);
	worksheet_repeat_rows(ws, TABLE_FIRST_ROW, TABLE_FIRST_ROW);
}

/* Sheet 2: the summary, a figure a line as the text report shows it. */
static void put_summary(lxw_workbook *wb, const msgpack_object *res, const struct styles *s)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, T("Summary figures"));
	const msgpack_object *summary = obj_get(res, "summary");
	lxw_row_t r = TABLE_FIRST_ROW;

	put_title(ws, res, T("the summary"), s);
	worksheet_set_column(ws, 0, 0, 34, NULL);
	worksheet_set_column(ws, 1, 1, 14, NULL);
	worksheet_write_string(ws, r, 0, T("Indicator"), s->header);
	worksheet_write_string(ws, r, 1, T("Figure"), s->header);
	for (const struct render_col *col = views_report_summary.record; col->label; col++) {
		worksheet_write_string(ws, ++r, 0, T(col->label), s->text);
		put_value(ws, r, 1, summary, col->key, false, s);
	}
}

int report_xlsx_write(struct cli *c, const msgpack_object *res, const char *path)
{
	const msgpack_object *units = obj_get(res, "units"), *summary = obj_get(res, "summary");
	lxw_workbook *wb;
	lxw_error e;
	struct styles s;

	if (!units || units->type != MSGPACK_OBJECT_ARRAY || !summary ||
	    summary->type != MSGPACK_OBJECT_MAP) {
		errors_set(&c->error, RPC_INTERNAL, T("the server at %s sent a malformed answer: %s"),
			   c->rpc->where, "no units or summary");
		return RPC_STATUS_TRANSPORT;
	}
	if (!(wb = workbook_new(path))) {
		errors_set(&c->error, RPC_INTERNAL, T("cannot create %s: %s"), path,
			   strerror(errno ? errno : ENOMEM));
		return RPC_STATUS_LOCAL;
	}
	styles_init(wb, &s);
	put_units(wb, res, units, &s);
	put_summary(wb, res, &s);
	if ((e = workbook_close(wb)) != LXW_NO_ERROR) {
		errors_set(&c->error, RPC_INTERNAL, T("cannot write %s: %s"), path, lxw_strerror(e));
		remove(path);
		return RPC_STATUS_LOCAL;
	}
	fprintf(c->out, T("Wrote the workbook to %s\n"), path);
	return RPC_STATUS_OK;
}
