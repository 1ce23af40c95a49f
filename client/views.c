/*
 * views.c: see views.h.  Legend for the columns:
 *   R  TABLE_RIGHT   numbers, right-aligned
 *   S  TABLE_SHRINK  long text, cut with "…" to fit a terminal
 *   T  RENDER_TREE   indented by depth (the unit tree)
 */
#include "views.h"

#define R TABLE_RIGHT
#define S TABLE_SHRINK
#define T RENDER_TREE

static const struct render_col server_record[] = {
	{"Máy chủ", "name", NULL, RENDER_TEXT, 0},
	{"Phiên bản", "version", NULL, RENDER_TEXT, 0},
	{"Giao thức", "protocol", NULL, RENDER_TEXT, 0},
	{"Giờ máy chủ", "time", NULL, RENDER_MOMENT, 0},
	{"Ngày", "today", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_server = {server_record, NULL, NULL, NULL};

static const struct render_col unit_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Mã", "code", NULL, RENDER_TEXT, 0},
	{"Tên", "name", NULL, RENDER_TEXT, 0},
	{"Cấp", "level", NULL, RENDER_TEXT, 0},
	{"Trực thuộc", "parent_code", "parent", RENDER_TEXT, 0},
	{"Từ ngày", "valid_from", NULL, RENDER_DATE, 0},
	{"Đến ngày", "valid_to", NULL, RENDER_DATE, 0},
	{"Sáp nhập vào", "merged_into", NULL, RENDER_TEXT, 0},
	{"Đã giải thể", "closed", NULL, RENDER_YES, 0},
	{"Đơn vị trực thuộc", "children", NULL, RENDER_TEXT, 0},
	{"Cán bộ", "cadres", NULL, RENDER_TEXT, 0},
	{"Việc", "tasks", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col unit_names[] = {
	{"Từ ngày", "valid_from", NULL, RENDER_DATE, 0},
	{"Tên", "name", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list unit_lists[] = {
	{"Tên qua các thời kỳ", "names", unit_names},
	{NULL, NULL, NULL},
};

static const struct render_col unit_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Mã", "code", NULL, RENDER_TEXT, 0},
	{"Tên", "name", NULL, RENDER_TEXT, S | T},
	{"Cấp", "level", NULL, RENDER_TEXT, 0},
	{"Từ ngày", "valid_from", NULL, RENDER_DATE, 0},
	{"Đến ngày", "valid_to", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_unit = {unit_record, unit_lists, unit_columns, "đơn vị"};

static const struct render_col cadre_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Mã", "code", NULL, RENDER_TEXT, 0},
	{"Họ và tên", "full_name", NULL, RENDER_TEXT, 0},
	{"Chức danh", "title", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "unit_name", "unit_code", RENDER_TEXT, 0},
	{"Diện quản lý", "managing_unit_name", "managing_unit_code", RENDER_TEXT, 0},
	{"Từ ngày", "since", NULL, RENDER_DATE, 0},
	{"Số việc", "tasks", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col cadre_postings[] = {
	{"Từ ngày", "valid_from", NULL, RENDER_DATE, 0},
	{"Đến ngày", "valid_to", NULL, RENDER_DATE, 0},
	{"Đơn vị", "unit_name", "unit_code", RENDER_TEXT, S},
	{"Chức danh", "title", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list cadre_lists[] = {
	{"Quá trình công tác", "postings", cadre_postings},
	{NULL, NULL, NULL},
};

static const struct render_col cadre_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Mã", "code", NULL, RENDER_TEXT, 0},
	{"Họ và tên", "full_name", NULL, RENDER_TEXT, S},
	{"Chức danh", "title", NULL, RENDER_TEXT, S},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Diện quản lý", "managing_unit_code", NULL, RENDER_TEXT, 0},
	{"Từ ngày", "since", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_cadre = {cadre_record, cadre_lists, cadre_columns, "cán bộ"};

static const struct render_col term_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Mã", "code", NULL, RENDER_TEXT, 0},
	{"Tên", "name", NULL, RENDER_TEXT, 0},
	{"Loại", "kind", NULL, RENDER_TERM_KIND, 0},
	{"Bắt đầu", "start", NULL, RENDER_DATE, 0},
	{"Kết thúc", "end", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col term_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Mã", "code", NULL, RENDER_TEXT, 0},
	{"Tên", "name", NULL, RENDER_TEXT, S},
	{"Loại", "kind", NULL, RENDER_TERM_KIND, 0},
	{"Bắt đầu", "start", NULL, RENDER_DATE, 0},
	{"Kết thúc", "end", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_term = {term_record, NULL, term_columns, "năm, nhiệm kỳ"};

static const struct render_col task_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Tên việc", "title", NULL, RENDER_TEXT, 0},
	{"Mô tả", "description", NULL, RENDER_TEXT, 0},
	{"Loại", "kind", NULL, RENDER_TASK_KIND, 0},
	{"Lĩnh vực", "field", NULL, RENDER_FIELD, 0},
	{"Chủ trì", "owner_name", "owner_code", RENDER_TEXT, 0},
	{"Đơn vị", "unit_name", "unit_code", RENDER_TEXT, 0},
	{"Kỳ", "term_code", NULL, RENDER_TEXT, 0},
	{"Giao bởi", "assigned_by_name", "assigned_by_code", RENDER_TEXT, 0},
	{"Sản phẩm", "product", NULL, RENDER_TEXT, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Tiến độ", "percent", NULL, RENDER_PERCENT, 0},
	{"Quá hạn", "overdue", NULL, RENDER_BOOL, 0},
	{"Số báo cáo", "updates", NULL, RENDER_TEXT, 0},
	{"Báo cáo gần nhất", "last_update_at", NULL, RENDER_MOMENT, 0},
	{"Tạo lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Sửa lúc", "updated_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col task_owners[] = {
	{"Từ ngày", "valid_from", NULL, RENDER_DATE, 0},
	{"Mã", "cadre_code", NULL, RENDER_TEXT, 0},
	{"Họ và tên", "full_name", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list task_lists[] = {
	{"Người chủ trì qua các thời kỳ", "owners", task_owners},
	{NULL, NULL, NULL},
};

static const struct render_col task_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Loại", "kind", NULL, RENDER_TASK_KIND, 0},
	{"Lĩnh vực", "field", NULL, RENDER_FIELD, S},
	{"Chủ trì", "owner_name", NULL, RENDER_TEXT, S},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Kỳ", "term_code", NULL, RENDER_TEXT, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{"Quá hạn", "overdue", NULL, RENDER_YES, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_task = {task_record, task_lists, task_columns, "việc"};

static const struct render_col update_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_id", NULL, RENDER_TEXT, 0},
	{"Tiến độ", "percent", NULL, RENDER_PERCENT, 0},
	{"Kết quả", "done", NULL, RENDER_TEXT, 0},
	{"Khó khăn, vướng mắc", "difficulties", NULL, RENDER_TEXT, 0},
	{"Đề xuất, kiến nghị", "proposals", NULL, RENDER_TEXT, 0},
	{"Báo cáo lúc", "reported_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col update_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Báo cáo lúc", "reported_at", NULL, RENDER_MOMENT, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{"Kết quả", "done", NULL, RENDER_TEXT, S},
	{"Khó khăn", "difficulties", NULL, RENDER_TEXT, S},
	{"Đề xuất", "proposals", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_update = {update_record, NULL, update_columns, "báo cáo"};
