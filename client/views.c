/*
 * views.c: see views.h.  Legend for the columns:
 *   R  TABLE_RIGHT   numbers, right-aligned
 *   S  TABLE_SHRINK  long text, cut with "…" to fit a terminal
 *   T  RENDER_TREE   indented by depth (the unit tree)
 * A nested list with min 2 is a history (one entry is the current state,
 * which the record shows); with min 1 it is shown whenever it has entries.
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
	{"Đồng hồ đặt bằng --clock", "clock_set", NULL, RENDER_BOOL, 0},
	{"Đình trệ sau (ngày)", "stalled_days", NULL, RENDER_TEXT, 0},
	{"Nguy cơ chậm từ (điểm %)", "at_risk_margin", NULL, RENDER_TEXT, 0},
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
	{"Tên qua các thời kỳ", "names", unit_names, 2},
	{NULL, NULL, NULL, 0},
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
	{"Quá trình công tác", "postings", cadre_postings, 2},
	{NULL, NULL, NULL, 0},
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
	{"Trạng thái", "state", NULL, RENDER_STATE, 0},
	{"Quyết định giao", "decision_no", NULL, RENDER_TEXT, 0},
	{"Ngày quyết định", "decision_date", NULL, RENDER_DATE, 0},
	{"Đánh giá", "rating", NULL, RENDER_RATING, 0},
	{"Ghi chú", "state_note", NULL, RENDER_TEXT, 0},
	{"Chuyển sang việc", "carried_to", NULL, RENDER_TEXT, 0},
	{"Tiến độ", "percent", NULL, RENDER_PERCENT, 0},
	{"Quá hạn", "overdue", NULL, RENDER_BOOL, 0},
	{"Tình trạng", "status", NULL, RENDER_STATUS, 0},
	{"Giám sát", "health", NULL, RENDER_HEALTH, 0},
	{"Căn cứ", "health_reason", NULL, RENDER_TEXT, 0},
	{"Số báo cáo", "updates", NULL, RENDER_TEXT, 0},
	{"Số bước kế hoạch", "plan.steps", NULL, RENDER_TEXT, 0},
	{"Bước đã xong", "plan.done", NULL, RENDER_TEXT, 0},
	{"Tiến độ theo kế hoạch", "plan.percent_from_steps", NULL, RENDER_PERCENT, 0},
	{"Báo cáo gần nhất", "last_update_at", NULL, RENDER_MOMENT, 0},
	{"Đầu mối theo dõi", "focal_point.display_name", "focal_point.login", RENDER_TEXT, 0},
	{"Đề nghị điều chỉnh chờ duyệt", "pending_amendment.id", "pending_amendment.reason",
	 RENDER_TEXT, 0},
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
	{"Người chủ trì qua các thời kỳ", "owners", task_owners, 2},
	{NULL, NULL, NULL, 0},
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
	{"Trạng thái", "state", NULL, RENDER_STATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{"Quá hạn", "overdue", NULL, RENDER_YES, 0},
	{"Tình trạng", "status", NULL, RENDER_STATUS, 0},
	{"Giám sát", "health", NULL, RENDER_HEALTH, 0},
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
	{"Thẩm định", "appraisal.verdict", NULL, RENDER_VERDICT, 0},
	{"Lý do, nhận xét", "appraisal.reason", NULL, RENDER_TEXT, 0},
	{"Người thẩm định", "appraisal.by", NULL, RENDER_TEXT, 0},
	{"Thẩm định lúc", "appraisal.at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col update_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Báo cáo lúc", "reported_at", NULL, RENDER_MOMENT, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{"Kết quả", "done", NULL, RENDER_TEXT, S},
	{"Khó khăn", "difficulties", NULL, RENDER_TEXT, S},
	{"Đề xuất", "proposals", NULL, RENDER_TEXT, S},
	{"Thẩm định", "appraisal.verdict", NULL, RENDER_VERDICT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_update = {update_record, NULL, update_columns, "báo cáo"};

static const struct render_col step_record[] = {
	{"Bước", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_id", NULL, RENDER_TEXT, 0},
	{"Thứ tự", "position", NULL, RENDER_TEXT, 0},
	{"Nội dung", "what", NULL, RENDER_TEXT, 0},
	{"Đơn vị phụ trách", "responsible_unit_name", "responsible_unit_code", RENDER_TEXT, 0},
	{"Cán bộ phụ trách", "responsible_cadre_name", "responsible_cadre_code", RENDER_TEXT, 0},
	{"Phụ trách", "responsible_text", NULL, RENDER_TEXT, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Trạng thái", "status", NULL, RENDER_STEP_STATUS, 0},
	{"Đã bỏ khỏi kế hoạch lúc", "removed_at", NULL, RENDER_MOMENT, 0},
	{"Tạo lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Sửa lúc", "updated_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col step_columns[] = {
	{"Bước", "id", NULL, RENDER_TEXT, R},
	{"Nội dung", "what", NULL, RENDER_TEXT, S},
	{"Phụ trách", "responsible_text", NULL, RENDER_RESPONSIBLE, S},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Trạng thái", "status", NULL, RENDER_STEP_STATUS, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_step = {step_record, NULL, step_columns, "bước"};

static const struct render_col reminder_record[] = {
	{"Nhắc việc", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_title", "task_id", RENDER_TEXT, 0},
	{"Người nhắc", "from", NULL, RENDER_TEXT, 0},
	{"Nội dung", "message", NULL, RENDER_TEXT, 0},
	{"Hạn trả lời", "answer_by", NULL, RENDER_DATE, 0},
	{"Quá hạn", "overdue", NULL, RENDER_BOOL, 0},
	{"Trả lời", "answer", NULL, RENDER_TEXT, 0},
	{"Người trả lời", "answered_by", NULL, RENDER_TEXT, 0},
	{"Trả lời lúc", "answered_at", NULL, RENDER_MOMENT, 0},
	{"Gửi lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col reminder_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Việc", "task_title", NULL, RENDER_TEXT, S},
	{"Người nhắc", "from", NULL, RENDER_TEXT, S},
	{"Nội dung", "message", NULL, RENDER_TEXT, S},
	{"Hạn trả lời", "answer_by", NULL, RENDER_DATE, 0},
	{"Trả lời", "answer", NULL, RENDER_TEXT, S},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_reminder = {reminder_record, NULL, reminder_columns,
					   "nhắc việc"};

static const struct render_col amendment_record[] = {
	{"Đề nghị điều chỉnh", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_id", NULL, RENDER_TEXT, 0},
	{"Tình trạng", "status", NULL, RENDER_AMENDMENT_STATUS, 0},
	{"Lý do", "reason", NULL, RENDER_TEXT, 0},
	{"Tên việc mới", "title", NULL, RENDER_TEXT, 0},
	{"Tên việc đang duyệt", "old_title", NULL, RENDER_TEXT, 0},
	{"Sản phẩm mới", "product", NULL, RENDER_TEXT, 0},
	{"Sản phẩm đang duyệt", "old_product", NULL, RENDER_TEXT, 0},
	{"Hạn mới", "due_date", NULL, RENDER_DATE, 0},
	{"Hạn đang duyệt", "old_due_date", NULL, RENDER_DATE, 0},
	{"Người đề nghị", "proposed_by", NULL, RENDER_TEXT, 0},
	{"Đề nghị lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Người quyết định", "decided_by", NULL, RENDER_TEXT, 0},
	{"Quyết định lúc", "decided_at", NULL, RENDER_MOMENT, 0},
	{"Ý kiến", "decision_note", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col amendment_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Tình trạng", "status", NULL, RENDER_AMENDMENT_STATUS, 0},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Sản phẩm", "product", NULL, RENDER_TEXT, S},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Thay cho hạn", "old_due_date", NULL, RENDER_DATE, 0},
	{"Lý do", "reason", NULL, RENDER_TEXT, S},
	{"Ngày", "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_amendment = {amendment_record, NULL, amendment_columns,
					    "đề nghị điều chỉnh"};

/* session.auth and session.whoami: {"account": account, "token_name"}. */
static const struct render_col whoami_record[] = {
	{"Tên đăng nhập", "account.login", NULL, RENDER_TEXT, 0},
	{"Họ và tên", "account.display_name", NULL, RENDER_TEXT, 0},
	{"Vai trò", "account.role", NULL, RENDER_ROLE, 0},
	{"Phạm vi", "account.scope_unit_name", "account.scope_unit_code", RENDER_SCOPE, 0},
	{"Token", "token_name", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_whoami = {whoami_record, NULL, NULL, NULL};

static const struct render_col account_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Tên đăng nhập", "login", NULL, RENDER_TEXT, 0},
	{"Họ và tên", "display_name", NULL, RENDER_TEXT, 0},
	{"Vai trò", "role", NULL, RENDER_ROLE, 0},
	{"Phạm vi", "scope_unit_name", "scope_unit_code", RENDER_SCOPE, 0},
	{"Đang hoạt động", "active", NULL, RENDER_BOOL, 0},
	{"Tạo lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Sửa lúc", "updated_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col account_tokens[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên", "name", NULL, RENDER_TEXT, S},
	{"Tạo lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Dùng lần cuối", "last_used_at", NULL, RENDER_MOMENT, 0},
	{"Thu hồi lúc", "revoked_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list account_lists[] = {
	{"Token", "tokens", account_tokens, 1},
	{NULL, NULL, NULL, 0},
};

static const struct render_col account_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên đăng nhập", "login", NULL, RENDER_TEXT, 0},
	{"Họ và tên", "display_name", NULL, RENDER_TEXT, S},
	{"Vai trò", "role", NULL, RENDER_ROLE, 0},
	{"Phạm vi", "scope_unit_code", NULL, RENDER_SCOPE, 0},
	{"Hoạt động", "active", NULL, RENDER_BOOL, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_account = {account_record, account_lists, account_columns, "tài khoản"};

/* A token's row; token.create and token.rotate add the secret, which
 * run_token_secret() prints on its own line. */
static const struct render_col token_record[] = {
	{"ID", "id", NULL, RENDER_TEXT, 0},
	{"Tên", "name", NULL, RENDER_TEXT, 0},
	{"Tài khoản", "account_login", NULL, RENDER_TEXT, 0},
	{"ID tài khoản", "account_id", NULL, RENDER_TEXT, 0},
	{"Tạo lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Dùng lần cuối", "last_used_at", NULL, RENDER_MOMENT, 0},
	{"Thu hồi lúc", "revoked_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col token_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tài khoản", "account_login", NULL, RENDER_TEXT, 0},
	{"Tên", "name", NULL, RENDER_TEXT, S},
	{"Tạo lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Dùng lần cuối", "last_used_at", NULL, RENDER_MOMENT, 0},
	{"Thu hồi lúc", "revoked_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_token = {token_record, NULL, token_columns, "token"};

/* The throttle of failed sign-ins (throttle.list, throttle.clear). */
static const struct render_col throttle_record[] = {
	{"Địa chỉ", "address", NULL, RENDER_TEXT, 0},
	{"Số địa chỉ đã xóa", "cleared", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col throttle_columns[] = {
	{"Địa chỉ", "address", NULL, RENDER_TEXT, 0},
	{"Số lần sai", "failures", NULL, RENDER_TEXT, R},
	{"Lần sai đầu", "first_failure", NULL, RENDER_MOMENT_SEC, 0},
	{"Lần sai cuối", "last_failure", NULL, RENDER_MOMENT_SEC, 0},
	{"Trễ (ms)", "delay_ms", NULL, RENDER_TEXT, R},
	{"Hết trễ lúc", "lifts_at", NULL, RENDER_MOMENT_SEC, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_throttle = {throttle_record, NULL, throttle_columns, "địa chỉ"};

static const struct render_col audit_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Lúc", "at", NULL, RENDER_MOMENT_SEC, 0},
	{"Tài khoản", "account_login", NULL, RENDER_TEXT, 0},
	{"Token", "token_name", NULL, RENDER_TEXT, S},
	{"Địa chỉ", "address", NULL, RENDER_TEXT, 0},
	{"Thao tác", "method", NULL, RENDER_TEXT, 0},
	{"Đối tượng", "object_type", "object_id", RENDER_OBJECT, 0},
	{"Thay đổi", "before", "after", RENDER_CHANGES, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_audit = {audit_columns, NULL, audit_columns, "bản ghi"};

static const struct render_col audit_verify_record[] = {
	{"Toàn vẹn", "ok", NULL, RENDER_BOOL, 0},
	{"Số bản ghi đã kiểm", "entries", NULL, RENDER_TEXT, 0},
	{"Bản ghi hỏng đầu tiên", "first_broken", NULL, RENDER_TEXT, 0},
	{"Vấn đề", "problem", NULL, RENDER_TEXT, 0},
	{"Bản ghi mới nhất", "head", NULL, RENDER_TEXT, 0},
	{"Mã băm mới nhất", "head_hash", NULL, RENDER_TEXT, 0},
	{"Mốc neo khớp", "anchors", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_audit_verify = {audit_verify_record, NULL, NULL, NULL};

static const struct render_col history_columns[] = {
	{"Lúc", "at", NULL, RENDER_MOMENT_SEC, 0},
	{"Người thực hiện", "display_name", "account_login", RENDER_TEXT, S},
	{"Nội dung", "method", NULL, RENDER_METHOD, 0},
	{"Thay đổi", "before", "after", RENDER_CHANGES, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_history = {history_columns, NULL, history_columns, "sự kiện"};

/* ---- the supervisor's records (PROTOCOL.md 6e) ---- */

static const struct render_col explanation_record[] = {
	{"Yêu cầu giải trình", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_title", "task_id", RENDER_TEXT, 0},
	{"Người yêu cầu", "from", NULL, RENDER_TEXT, 0},
	{"Nội dung", "question", NULL, RENDER_TEXT, 0},
	{"Hạn giải trình", "answer_by", NULL, RENDER_DATE, 0},
	{"Quá hạn", "overdue", NULL, RENDER_BOOL, 0},
	{"Giải trình", "answer", NULL, RENDER_TEXT, 0},
	{"Người giải trình", "answered_by", NULL, RENDER_TEXT, 0},
	{"Giải trình lúc", "answered_at", NULL, RENDER_MOMENT, 0},
	{"Yêu cầu lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col explanation_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Việc", "task_title", NULL, RENDER_TEXT, S},
	{"Người yêu cầu", "from", NULL, RENDER_TEXT, S},
	{"Nội dung", "question", NULL, RENDER_TEXT, S},
	{"Hạn", "answer_by", NULL, RENDER_DATE, 0},
	{"Giải trình", "answer", NULL, RENDER_TEXT, S},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_explanation = {explanation_record, NULL, explanation_columns,
					      "yêu cầu giải trình"};

static const struct render_col action_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Việc", "task_title", NULL, RENDER_TEXT, S},
	{"Yêu cầu", "what", NULL, RENDER_TEXT, S},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Đã làm lúc", "done_at", NULL, RENDER_MOMENT, 0},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col action_record[] = {
	{"Yêu cầu", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_title", "task_id", RENDER_TEXT, 0},
	{"Cuộc kiểm tra", "inspection_id", NULL, RENDER_TEXT, 0},
	{"Nội dung", "what", NULL, RENDER_TEXT, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Quá hạn", "overdue", NULL, RENDER_BOOL, 0},
	{"Đã làm lúc", "done_at", NULL, RENDER_MOMENT, 0},
	{"Người làm", "done_by", NULL, RENDER_TEXT, 0},
	{"Ghi chú", "done_note", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_action = {action_record, NULL, action_columns,
					 "yêu cầu sau kiểm tra"};

static const struct render_col inspection_record[] = {
	{"Cuộc kiểm tra", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_title", "task_id", RENDER_TEXT, 0},
	{"Ngày", "date", NULL, RENDER_DATE, 0},
	{"Phát hiện", "findings", NULL, RENDER_TEXT, 0},
	{"Kết luận", "conclusions", NULL, RENDER_TEXT, 0},
	{"Người ghi", "by", NULL, RENDER_TEXT, 0},
	{"Ghi lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

/* An inspection's own actions: its task goes without saying. */
static const struct render_col inspection_action_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Yêu cầu", "what", NULL, RENDER_TEXT, S},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Đã làm lúc", "done_at", NULL, RENDER_MOMENT, 0},
	{"Ghi chú", "done_note", NULL, RENDER_TEXT, S},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list inspection_lists[] = {
	{"Yêu cầu khắc phục", "actions", inspection_action_columns, 1},
	{NULL, NULL, NULL, 0},
};

static const struct render_col inspection_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Ngày", "date", NULL, RENDER_DATE, 0},
	{"Phát hiện", "findings", NULL, RENDER_TEXT, S},
	{"Kết luận", "conclusions", NULL, RENDER_TEXT, S},
	{"Người ghi", "by", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_inspection = {inspection_record, inspection_lists,
					     inspection_columns, "cuộc kiểm tra"};

static const struct render_col followup_record[] = {
	{"Kiểm tra dứt điểm", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_title", "task_id", RENDER_TEXT, 0},
	{"Hạn kiểm tra", "due_date", NULL, RENDER_DATE, 0},
	{"Nội dung", "what", NULL, RENDER_TEXT, 0},
	{"Người hẹn", "by", NULL, RENDER_TEXT, 0},
	{"Đến hạn", "due", NULL, RENDER_BOOL, 0},
	{"Kết quả", "result", NULL, RENDER_FOLLOWUP, 0},
	{"Ghi chú", "note", NULL, RENDER_TEXT, 0},
	{"Người ghi kết quả", "recorded_by", NULL, RENDER_TEXT, 0},
	{"Ghi lúc", "recorded_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col followup_columns[] = {
	{"Số", "id", NULL, RENDER_TEXT, R},
	{"Việc", "task_title", NULL, RENDER_TEXT, S},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Nội dung", "what", NULL, RENDER_TEXT, S},
	{"Kết quả", "result", NULL, RENDER_FOLLOWUP, 0},
	{"Đến hạn", "due", NULL, RENDER_YES, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_followup = {followup_record, NULL, followup_columns,
					   "lần kiểm tra dứt điểm"};
/* The official status and the health as records show them (the board's
 * and the report's summaries). */
#define STATUS_HEALTH_ROWS \
	{"Hoàn thành đúng hạn", "done_on_time", NULL, RENDER_TEXT, 0}, \
	{"Hoàn thành quá hạn", "done_late", NULL, RENDER_TEXT, 0}, \
	{"Chưa xong, còn hạn", "within_deadline", NULL, RENDER_TEXT, 0}, \
	{"Quá hạn", "overdue", NULL, RENDER_TEXT, 0}, \
	{"Chưa giao", "not_assigned", NULL, RENDER_TEXT, 0}, \
	{"Đã hủy", "cancelled", NULL, RENDER_TEXT, 0}, \
	{"Chuyển kỳ sau", "carried_over", NULL, RENDER_TEXT, 0}, \
	{"Đúng tiến độ", "on_track", NULL, RENDER_TEXT, 0}, \
	{"Nguy cơ chậm", "at_risk", NULL, RENDER_TEXT, 0}, \
	{"Đình trệ", "stalled", NULL, RENDER_TEXT, 0}

/* The four official figures as table columns (per unit, per field). */
#define STATUS_COLUMNS \
	{"Đúng hạn", "done_on_time", NULL, RENDER_TEXT, R}, \
	{"Trễ hạn", "done_late", NULL, RENDER_TEXT, R}, \
	{"Còn hạn", "within_deadline", NULL, RENDER_TEXT, R}, \
	{"Quá hạn", "overdue", NULL, RENDER_TEXT, R}

/* ---- the board and a cadre's record (PROTOCOL.md 6f) ---- */

/* board.get's "counts": the official status, then the health of the tasks
 * being worked on. */
static const struct render_col board_counts[] = {
	{"Tổng số việc", "total", NULL, RENDER_TEXT, 0},
	STATUS_HEALTH_ROWS,
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_board_counts = {board_counts, NULL, NULL, NULL};

static const struct render_col board_units[] = {
	{"Mã", "unit_code", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "unit_name", NULL, RENDER_TEXT, S},
	{"Tổng", "total", NULL, RENDER_TEXT, R},
	STATUS_COLUMNS,
	{"Đúng TĐ", "on_track", NULL, RENDER_TEXT, R},
	{"Nguy cơ", "at_risk", NULL, RENDER_TEXT, R},
	{"Đình trệ", "stalled", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_board_units = {NULL, NULL, board_units, "đơn vị"};

static const struct render_col board_action[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Cần xử lý vì", "reason", NULL, RENDER_ACTION, 0},
	{"Số ngày", "days", NULL, RENDER_TEXT, R},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{"Căn cứ", "health_reason", NULL, RENDER_TEXT, S},
	{"Đầu mối", "focal_point", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_board_action = {NULL, NULL, board_action, "việc"};

static const struct render_col record_head[] = {
	{"Cán bộ", "cadre.full_name", "cadre.code", RENDER_TEXT, 0},
	{"Chức danh", "cadre.title", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "cadre.unit_name", "cadre.unit_code", RENDER_TEXT, 0},
	{"Kỳ", "term.name", "term.code", RENDER_TEXT, 0},
	{"Tình trạng tính đến", "as_of", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col record_tasks[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Sản phẩm", "product", NULL, RENDER_TEXT, S},
	{"Trạng thái", "state", NULL, RENDER_STATE, 0},
	{"Tình trạng", "status", NULL, RENDER_STATUS, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{"Đánh giá", "rating", NULL, RENDER_RATING, 0},
	{"Nhận xét", "comment", NULL, RENDER_TEXT, S},
	{"Quyết định giao", "decision_no", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_record = {record_head, NULL, record_tasks, "việc"};
/* Evidence files (PROTOCOL.md 6d). */
static const struct render_col file_record[] = {
	{"Tệp", "id", NULL, RENDER_TEXT, 0},
	{"Việc", "task_id", NULL, RENDER_TEXT, 0},
	{"Báo cáo tiến độ", "update_id", NULL, RENDER_TEXT, 0},
	{"Tên tệp", "name", NULL, RENDER_TEXT, 0},
	{"Loại", "type", NULL, RENDER_TEXT, 0},
	{"Cỡ (byte)", "size", NULL, RENDER_TEXT, 0},
	{"SHA-256", "sha256", NULL, RENDER_TEXT, 0},
	{"Người gửi", "uploaded_by_name", "uploaded_by_login", RENDER_TEXT, 0},
	{"Gửi lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Đã thu hồi", "withdrawn", NULL, RENDER_YES, 0},
	{"Thu hồi lúc", "withdrawn_at", NULL, RENDER_MOMENT, 0},
	{"Người thu hồi", "withdrawn_by_login", NULL, RENDER_TEXT, 0},
	{"Lý do thu hồi", "withdrawn_reason", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col file_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên tệp", "name", NULL, RENDER_TEXT, S},
	{"Loại", "type", NULL, RENDER_TEXT, S},
	{"Cỡ (byte)", "size", NULL, RENDER_TEXT, R},
	{"SHA-256", "sha256", NULL, RENDER_SHORT_HASH, 0},
	{"Báo cáo", "update_id", NULL, RENDER_TEXT, R},
	{"Người gửi", "uploaded_by_login", NULL, RENDER_TEXT, 0},
	{"Gửi lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{"Thu hồi", "withdrawn", NULL, RENDER_YES, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_file = {file_record, NULL, file_columns, "tệp"};

/* search.query (PROTOCOL.md 6h): the snippet shows the matched words in
 * [brackets], with their diacritics. */
static const struct render_col search_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Tìm thấy ở", "where", NULL, RENDER_WHERE, 0},
	{"Đoạn khớp", "snippet", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_search = {NULL, NULL, search_columns, "việc"};
/* ---- reports (PROTOCOL.md 6i) ---- */

static const struct render_col report_summary[] = {
	{"Tổng số việc", "total", NULL, RENDER_TEXT, 0},
	{"Số cán bộ", "cadres", NULL, RENDER_TEXT, 0},
	{"Việc đã giao", "assigned", NULL, RENDER_TEXT, 0},
	STATUS_HEALTH_ROWS,
	{"Tỷ lệ hoàn thành", "completion_rate", NULL, RENDER_PERCENT, 0},
	{"Tỷ lệ hoàn thành đúng hạn", "on_time_rate", NULL, RENDER_PERCENT, 0},
	{"Tỷ lệ quá hạn", "overdue_rate", NULL, RENDER_PERCENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_summary = {report_summary, NULL, NULL, NULL};

/* The official table: each unit's subtree, and its own tasks apart. */
static const struct render_col report_units[] = {
	{"Mã", "unit_code", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "unit_name", NULL, RENDER_TEXT, S | T},
	{"Tổng", "assigned", NULL, RENDER_TEXT, R},
	STATUS_COLUMNS,
	{"HT", "completion_rate", NULL, RENDER_PERCENT, R},
	{"Đúng hạn", "on_time_rate", NULL, RENDER_PERCENT, R},
	{"Quá hạn", "overdue_rate", NULL, RENDER_PERCENT, R},
	{"Riêng", "own_assigned", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_units = {NULL, NULL, report_units, "đơn vị"};

static const struct render_col report_bodies[] = {
	{"Mã", "unit_code", NULL, RENDER_TEXT, 0},
	{"Cơ quan quản lý", "unit_name", NULL, RENDER_TEXT, S},
	{"Việc", "tasks", NULL, RENDER_TEXT, R},
	{"Cán bộ", "cadres", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_bodies = {NULL, NULL, report_bodies, "cơ quan"};

static const struct render_col report_fields[] = {
	{"Lĩnh vực", "field", NULL, RENDER_FIELD, 0},
	{"Loại", "kind", NULL, RENDER_TASK_KIND, 0},
	{"Tổng", "total", NULL, RENDER_TEXT, R},
	{"Đã giao", "assigned", NULL, RENDER_TEXT, R},
	STATUS_COLUMNS,
	{"HT", "completion_rate", NULL, RENDER_PERCENT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_fields = {NULL, NULL, report_fields, "nhóm"};

static const struct render_col report_states[] = {
	{"Trạng thái", "state", NULL, RENDER_STATE, 0},
	{"Số việc", "total", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_states = {NULL, NULL, report_states, "trạng thái"};

static const struct render_col report_overdue[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Chủ trì", "owner_name", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Quá (ngày)", "days_late", NULL, RENDER_TEXT, R},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_overdue = {NULL, NULL, report_overdue, "việc"};

static const struct render_col report_stalled[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên việc", "title", NULL, RENDER_TEXT, S},
	{"Chủ trì", "owner_name", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Hạn", "due_date", NULL, RENDER_DATE, 0},
	{"Không báo cáo (ngày)", "days_quiet", NULL, RENDER_TEXT, R},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_stalled = {NULL, NULL, report_stalled, "việc"};

static const struct render_col snapshot_columns[] = {
	{"ID", "id", NULL, RENDER_TEXT, R},
	{"Tên", "name", NULL, RENDER_TEXT, 0},
	{"Kỳ", "term_code", NULL, RENDER_TEXT, 0},
	{"Tính đến ngày", "as_of", NULL, RENDER_DATE, 0},
	{"Đơn vị", "unit_code", NULL, RENDER_TEXT, 0},
	{"Phạm vi", "scope_code", NULL, RENDER_SCOPE, 0},
	{"Người lưu", "created_by", NULL, RENDER_TEXT, 0},
	{"Lưu lúc", "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

/* A snapshot reads the same as a record and as a row. */
const struct render_view views_snapshot = {snapshot_columns, NULL, snapshot_columns, "bản chốt"};

static const struct render_col compare_summary[] = {
	{"Chỉ tiêu", "figure", NULL, RENDER_FIGURE, 0},
	{"Trước", "before", NULL, RENDER_TEXT, R},
	{"Sau", "after", NULL, RENDER_TEXT, R},
	{"Chênh lệch", "delta", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_compare_summary = {NULL, NULL, compare_summary, "chỉ tiêu"};

static const struct render_col compare_units[] = {
	{"Mã", "unit_code", NULL, RENDER_TEXT, 0},
	{"Đơn vị", "unit_name", NULL, RENDER_TEXT, S | T},
	{"Tổng", "assigned_after", NULL, RENDER_TEXT, R},
	{"±", "assigned_delta", NULL, RENDER_TEXT, R},
	{"Đúng hạn", "done_on_time_after", NULL, RENDER_TEXT, R},
	{"±", "done_on_time_delta", NULL, RENDER_TEXT, R},
	{"Trễ hạn", "done_late_after", NULL, RENDER_TEXT, R},
	{"±", "done_late_delta", NULL, RENDER_TEXT, R},
	{"Còn hạn", "within_deadline_after", NULL, RENDER_TEXT, R},
	{"±", "within_deadline_delta", NULL, RENDER_TEXT, R},
	{"Quá hạn", "overdue_after", NULL, RENDER_TEXT, R},
	{"±", "overdue_delta", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_compare_units = {NULL, NULL, compare_units, "đơn vị"};
