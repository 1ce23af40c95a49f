/*
 * sheet.c: see sheet.h.  The headers are data, one table for every kind;
 * the labels are render.c's (render_label out, render_code in).
 */
#include "sheet.h"

#include <string.h>

#include "csv.h"
#include "date.h"
#include "fold.h"
#include "lang.h"

/* Every column export.rows gives, in its order, import.run's first. */
static const struct sheet_col cols[] = {
	{"units", "code", "Mã đơn vị", RENDER_TEXT},
	{"units", "name", "Tên đơn vị", RENDER_TEXT},
	{"units", "level", "Cấp", RENDER_TEXT},
	{"units", "parent", "Đơn vị cấp trên (mã)", RENDER_TEXT},
	{"units", "valid_from", "Hiệu lực từ ngày", RENDER_DATE},
	{"units", "valid_to", "Hiệu lực đến ngày", RENDER_DATE},
	{"units", "merged_into", "Sáp nhập vào (mã đơn vị)", RENDER_TEXT},

	{"cadres", "code", "Mã cán bộ", RENDER_TEXT},
	{"cadres", "full_name", "Họ và tên", RENDER_TEXT},
	{"cadres", "title", "Chức danh", RENDER_TEXT},
	{"cadres", "unit", "Đơn vị công tác (mã)", RENDER_TEXT},
	{"cadres", "managing_unit", "Diện quản lý (mã đơn vị)", RENDER_TEXT},
	{"cadres", "since", "Giữ chức danh từ ngày", RENDER_DATE},

	{"tasks", "code", "Mã việc", RENDER_TEXT},
	{"tasks", "title", "Tên việc", RENDER_TEXT},
	{"tasks", "description", "Mô tả", RENDER_TEXT},
	{"tasks", "kind", "Loại việc", RENDER_TASK_KIND},
	{"tasks", "field", "Lĩnh vực", RENDER_FIELD},
	{"tasks", "owner", "Cán bộ chủ trì (mã)", RENDER_TEXT},
	{"tasks", "unit", "Đơn vị (mã)", RENDER_TEXT},
	{"tasks", "term", "Năm, nhiệm kỳ (mã)", RENDER_TEXT},
	{"tasks", "assigned_by", "Cơ quan giao (mã đơn vị)", RENDER_TEXT},
	{"tasks", "product", "Sản phẩm", RENDER_TEXT},
	{"tasks", "due_date", "Hạn hoàn thành", RENDER_DATE},
	{"tasks", "state", "Trạng thái", RENDER_STATE},
	{"tasks", "percent", "Tiến độ (%)", RENDER_TEXT},
	{"tasks", "status", "Tình trạng", RENDER_STATUS},
	{"tasks", "health", "Giám sát tiến độ", RENDER_HEALTH},

	{"terms", "code", "Mã", RENDER_TEXT},
	{"terms", "name", "Tên", RENDER_TEXT},
	{"terms", "kind", "Loại", RENDER_TERM_KIND},
	{"terms", "start", "Từ ngày", RENDER_DATE},
	{"terms", "end", "Đến ngày", RENDER_DATE},

	{"updates", "task", "Mã việc", RENDER_TEXT},
	{"updates", "reported_at", "Thời điểm báo cáo", RENDER_MOMENT_SEC},
	{"updates", "percent", "Tiến độ (%)", RENDER_TEXT},
	{"updates", "done", "Kết quả đã làm", RENDER_TEXT},
	{"updates", "difficulties", "Khó khăn, vướng mắc", RENDER_TEXT},
	{"updates", "proposals", "Đề xuất, kiến nghị", RENDER_TEXT},
	{"updates", "appraisal", "Thẩm định", RENDER_VERDICT},
};

#define NCOLS (sizeof(cols) / sizeof(cols[0]))
#define HEADER_MAX 120 /* the longest header cell compared */

const struct sheet_col *sheet_column(const char *kind, const char *name)
{
	for (size_t i = 0; i < NCOLS; i++)
		if (strcmp(cols[i].kind, kind) == 0 && strcmp(cols[i].name, name) == 0)
			return &cols[i];
	return NULL;
}

/* s folded (fold.h) with every blank and '_' left out, into out
 * (HEADER_MAX + 1 bytes); false when s is longer. */
static bool squeezed(const char *s, char *out)
{
	char tmp[HEADER_MAX + 1];
	size_t len = strlen(s), k = 0;

	if (len > HEADER_MAX)
		return false;
	fold_name(s, len, tmp);
	for (const char *p = tmp; *p; p++)
		if (*p != ' ')
			out[k++] = *p;
	out[k] = '\0';
	return true;
}

const struct sheet_col *sheet_column_by_header(const char *kind, const char *header)
{
	char want[HEADER_MAX + 1], have[HEADER_MAX + 1];

	if (!squeezed(header, want))
		return NULL;
	for (size_t i = 0; i < NCOLS; i++)
		if (strcmp(cols[i].kind, kind) == 0 &&
		    (strcmp(cols[i].name, header) == 0 ||
		     (squeezed(cols[i].header, have) && strcmp(have, want) == 0)))
			return &cols[i];
	return NULL;
}

void sheet_headers(struct strbuf *sb, const char *kind, bool vi)
{
	bool first = true;

	for (size_t i = 0; i < NCOLS; i++)
		if (strcmp(cols[i].kind, kind) == 0) {
			strbuf_adds(sb, first ? "" : ", ");
			strbuf_adds(sb, vi ? cols[i].header : cols[i].name);
			first = false;
		}
}

void sheet_cell(struct strbuf *sb, const struct sheet_col *c, const char *value, bool vi)
{
	struct strbuf shown = STRBUF_INIT;
	msgpack_object o = {.type = MSGPACK_OBJECT_STR};

	o.via.str.ptr = value;
	o.via.str.size = (uint32_t)strlen(value);
	if (vi && c && c->type != RENDER_TEXT)
		render_value(&shown, &o, c->type);
	else
		strbuf_adds(&shown, value);
	if (csv_needs_guard(strbuf_cstr(&shown)))
		strbuf_addc(sb, '\'');
	strbuf_add(sb, strbuf_cstr(&shown), shown.len);
	strbuf_free(&shown);
}

void sheet_value(struct strbuf *sb, const struct sheet_col *c, const char *cell)
{
	const char *s = csv_unguard(cell), *code;
	char iso[DATE_LEN];

	if (c && c->type == RENDER_DATE && s[0] && date_parse(s, iso) == 0)
		strbuf_adds(sb, iso);
	else if (c && c->type != RENDER_TEXT && c->type != RENDER_DATE && s[0] &&
		 (code = render_code(c->type, s)))
		strbuf_adds(sb, code);
	else
		strbuf_adds(sb, s);
}

void sheet_hint(struct strbuf *sb, const struct sheet_col *c, const char *value)
{
	if (!c || c->type == RENDER_TEXT || !value[0])
		return;
	if (c->type == RENDER_DATE && !date_valid(value, strlen(value)))
		strbuf_adds(sb, T(" (a date is written dd/mm/yyyy, or yyyy-mm-dd)"));
	else if (c->type != RENDER_DATE && !render_code(c->type, value))
		strbuf_adds(sb, T(" (write the label `dotpha export` writes, with or without "
				  "diacritics, or the code)"));
}
