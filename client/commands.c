/*
 * commands.c: see commands.h.  The option tables come first, one per
 * command, then the command table that binds them.
 */
#include "commands.h"

#include <ctype.h>
#include <string.h>

#include "cli.h"
#include "files.h"
#include "lang.h"
#include "queue.h"
#include "transfer.h"
#include "methods.h"
#include "report.h"
#include "run.h"
#include "utf8.h"
#include "views.h"

#define P OPT_POSITIONAL
#define Q OPT_REQUIRED
#define END {NULL, NULL, NULL, 0, 0, NULL}

/* --columns: on each command whose result is one list (run_list,
 * run_paged, run_plan, run_followups; cadre record's tasks), checked by
 * cli.c against its view's columns. */
#define COLUMNS_OPT {"--columns", "COLUMNS", NULL, OPT_COLUMNS, 0, \
	N_("the columns to show and their order: keys or headers separated by commas (listed below)")}

static const struct opt_spec no_opts[] = {END};

/* A list without filters. */
static const struct opt_spec list_opts[] = {COLUMNS_OPT, END};

static const struct opt_spec unit_create[] = {
	{"CODE", NULL, "code", OPT_TEXT, P, N_("the unit's code: 1-32 of A-Z a-z 0-9 . _ -")},
	{"NAME", NULL, "name", OPT_TEXT, P, N_("the unit's name")},
	{"--level", "LEVEL", "level", OPT_TEXT, Q, N_("tỉnh, huyện, xã, sở, ban đảng... (free text)")},
	{"--parent", "UNIT", "parent", OPT_REF, 0, N_("the parent unit; none makes a root")},
	{"--from", "DATE", "valid_from", OPT_DATE, 0, N_("the day the unit came into being")},
	END,
};

static const struct opt_spec unit_rename[] = {
	{"UNIT", NULL, "unit", OPT_REF, P, N_("the unit")},
	{"NAME", NULL, "name", OPT_TEXT, P, N_("the new name")},
	{"--date", "DATE", "date", OPT_DATE, 0, N_("from when the new name holds (default today)")},
	END,
};

static const struct opt_spec unit_move[] = {
	{"UNIT", NULL, "unit", OPT_REF, P, N_("the unit to move")},
	{"--parent", "UNIT", "parent", OPT_REF, Q, N_("its new parent")},
	END,
};

static const struct opt_spec unit_close[] = {
	{"UNIT", NULL, "unit", OPT_REF, P, N_("the unit to close")},
	{"--date", "DATE", "date", OPT_DATE, Q, N_("the day it closes")},
	{"--merged-into", "UNIT", "merged_into", OPT_REF, 0, N_("the unit it is merged into")},
	END,
};

static const struct opt_spec unit_show[] = {
	{"UNIT", NULL, "unit", OPT_REF, P, N_("the unit")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("show the name in force on that day")},
	END,
};

static const struct opt_spec unit_list[] = {
	{"--root", "UNIT", "root", OPT_REF, 0, N_("only this unit and its subtree")},
	{"--all", NULL, "include_closed", OPT_TRUE, 0, N_("include closed units")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("names and closures as of that day")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec cadre_create[] = {
	{"CODE", NULL, "code", OPT_TEXT, P, N_("the cadre's code")},
	{"FULL_NAME", NULL, "full_name", OPT_TEXT, P, N_("full name")},
	{"--title", "T", "title", OPT_TEXT, Q, N_("position title (chức danh)")},
	{"--unit", "UNIT", "unit", OPT_REF, Q, N_("the unit of the post")},
	{"--managed-by", "UNIT", "managing_unit", OPT_REF, Q, N_("the body that manages the cadre")},
	{"--since", "DATE", "since", OPT_DATE, 0, N_("first day of the post (default today)")},
	END,
};

static const struct opt_spec cadre_update[] = {
	{"CADRE", NULL, "cadre", OPT_REF, P, N_("the cadre")},
	{"--name", "N", "full_name", OPT_TEXT, 0, N_("corrected full name")},
	{"--title", "T", "title", OPT_TEXT, 0, N_("corrected title")},
	{"--managed-by", "UNIT", "managing_unit", OPT_REF, 0, N_("corrected managing body")},
	END,
};

static const struct opt_spec cadre_transfer[] = {
	{"CADRE", NULL, "cadre", OPT_REF, P, N_("the cadre")},
	{"--unit", "UNIT", "unit", OPT_REF, Q, N_("the unit of the new post")},
	{"--title", "T", "title", OPT_TEXT, 0, N_("the new title (default unchanged)")},
	{"--date", "DATE", "date", OPT_DATE, Q, N_("first day of the new post")},
	END,
};

static const struct opt_spec cadre_show[] = {
	{"CADRE", NULL, "cadre", OPT_REF, P, N_("the cadre")},
	END,
};

static const struct opt_spec cadre_list[] = {
	{"--unit", "UNIT", "unit", OPT_REF, 0, N_("cadres posted in this unit's subtree now")},
	{"--managed-by", "UNIT", "managed_by", OPT_REF, 0, N_("cadres managed by exactly this unit")},
	{"--limit", "N", NULL, OPT_LIMIT, 0, N_("show at most N rows (default 100)")},
	{"--all", NULL, NULL, OPT_ALL, 0, N_("show every row")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec term_create[] = {
	{"CODE", NULL, "code", OPT_TEXT, P, N_("the code, e.g. 2021-2025")},
	{"--kind", "year|term", "kind", OPT_TERM_KIND, Q, N_("a year (năm) or a term (nhiệm kỳ)")},
	{"--start", "DATE", "start", OPT_DATE, Q, N_("first day")},
	{"--end", "DATE", "end", OPT_DATE, Q, N_("last day")},
	{"--name", "NAME", "name", OPT_TEXT, 0, N_("a name (default the code)")},
	END,
};

static const struct opt_spec term_show[] = {
	{"TERM", NULL, "term", OPT_REF, P, N_("the year or term")},
	END,
};

static const struct opt_spec task_create[] = {
	{"--title", "T", "title", OPT_TEXT, Q, N_("what the task is")},
	{"--kind", "K", "kind", OPT_TASK_KIND, Q, N_("breakthrough (đột phá) or innovation (đổi mới)")},
	{"--field", "F", "field", OPT_FIELD, Q, N_("socio_economic, defence_security, party_building or livelihood")},
	{"--owner", "CADRE", "owner", OPT_REF, Q, N_("the cadre responsible")},
	{"--term", "TERM", "term", OPT_REF, Q, N_("the year or term")},
	{"--product", "P", "product", OPT_TEXT, Q, N_("the expected concrete product (sản phẩm)")},
	{"--due", "DATE", "due_date", OPT_DATE, Q, N_("the deadline")},
	{"--description", "D", "description", OPT_TEXT, 0, N_("why it is hard, what it involves")},
	{"--unit", "UNIT", "unit", OPT_REF, 0, N_("the unit doing it (default the owner's)")},
	{"--assigned-by", "UNIT", "assigned_by", OPT_REF, 0, N_("the assigning unit (default the owner's managing unit)")},
	END,
};

static const struct opt_spec task_update[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--title", "T", "title", OPT_TEXT, 0, N_("what the task is")},
	{"--description", "D", "description", OPT_TEXT, 0, N_("why it is hard, what it involves")},
	{"--kind", "K", "kind", OPT_TASK_KIND, 0, N_("breakthrough or innovation")},
	{"--field", "F", "field", OPT_FIELD, 0, N_("socio_economic, defence_security, party_building or livelihood")},
	{"--owner", "CADRE", "owner", OPT_REF, 0, N_("a new owner (recorded from today)")},
	{"--unit", "UNIT", "unit", OPT_REF, 0, N_("the unit doing it")},
	{"--term", "TERM", "term", OPT_REF, 0, N_("the year or term")},
	{"--assigned-by", "UNIT", "assigned_by", OPT_REF, 0, N_("the assigning unit")},
	{"--product", "P", "product", OPT_TEXT, 0, N_("the expected product")},
	{"--due", "DATE", "due_date", OPT_DATE, 0, N_("the deadline")},
	END,
};

static const struct opt_spec task_show[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("the day `overdue` is judged on (default today)")},
	END,
};

static const struct opt_spec task_list[] = {
	{"--unit", "U", "unit", OPT_REF, 0, N_("tasks of this unit or any unit under it")},
	{"--cadre", "C", "cadre", OPT_REF, 0, N_("tasks owned by this cadre")},
	{"--term", "T", "term", OPT_REF, 0, N_("tasks of this year or term")},
	{"--kind", "K", "kind", OPT_TASK_KIND, 0, N_("breakthrough or innovation")},
	{"--field", "F", "field", OPT_FIELD, 0, N_("socio_economic, defence_security, party_building or livelihood")},
	{"--state", "S", "state", OPT_STATE, 0, N_("registered, reviewed, returned, assigned, in_progress, reported_done, accepted, cancelled or carried_over")},
	{"--status", "S", "status", OPT_STATUS, 0, N_("done_on_time, done_late, within_deadline, overdue, not_assigned, cancelled or carried_over on --as-of")},
	{"--health", "H", "health", OPT_HEALTH, 0, N_("on_track, at_risk or stalled on --as-of")},
	{"--overdue", NULL, "overdue", OPT_TRUE, 0, N_("only overdue tasks")},
	{"--not-overdue", NULL, "overdue", OPT_FALSE, 0, N_("only tasks not overdue")},
	{"--managed-by", "U", "managed_by", OPT_REF, 0, N_("owners managed by exactly this unit")},
	{"--managed-under", "U", "managed_under", OPT_REF, 0, N_("owners managed by a unit below this one")},
	{"--assigned-by", "U", "assigned_by", OPT_REF, 0, N_("tasks assigned by exactly this unit")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("the day `overdue` is judged on (default today)")},
	{"--limit", "N", NULL, OPT_LIMIT, 0, N_("show at most N rows (default 100)")},
	{"--all", NULL, NULL, OPT_ALL, 0, N_("show every row")},
	COLUMNS_OPT,
	END,
};

/* The workflow's commands (PROTOCOL.md 6a): the task, and what each
 * transition records. */
static const struct opt_spec task_id_only[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	END,
};

static const struct opt_spec task_review[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--note", "TEXT", "note", OPT_TEXT, 0, N_("the focal point's remarks")},
	END,
};

static const struct opt_spec task_reason[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--reason", "TEXT", "reason", OPT_TEXT, Q, N_("why")},
	END,
};

static const struct opt_spec task_assign[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--decision", "NO", "decision_no", OPT_TEXT, Q, N_("the decision's number, e.g. 123-QĐ/TU")},
	{"--date", "DATE", "decision_date", OPT_DATE, Q, N_("the decision's date")},
	END,
};

static const struct opt_spec task_report[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--summary", "TEXT", "summary", OPT_TEXT, Q, N_("the product delivered")},
	END,
};

static const struct opt_spec task_accept[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--rating", "R", "rating", OPT_RATING, Q, N_("excellent, good, done or not_done")},
	{"--comment", "TEXT", "comment", OPT_TEXT, 0, N_("the managing body's comment")},
	END,
};

static const struct opt_spec task_carry[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--term", "TERM", "term", OPT_REF, Q, N_("the later year or term it continues in")},
	END,
};

static const struct opt_spec update_add[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--percent", "N", "percent", OPT_INT, Q, N_("percent done, 0..100")},
	{"--done", "TEXT", "done", OPT_TEXT, Q, N_("what was done")},
	{"--difficulties", "TEXT", "difficulties", OPT_TEXT, 0, N_("difficulties (khó khăn, vướng mắc)")},
	{"--proposals", "TEXT", "proposals", OPT_TEXT, 0, N_("proposals to the superior (đề xuất, kiến nghị)")},
	END,
};

static const struct opt_spec update_list[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--limit", "N", NULL, OPT_LIMIT, 0, N_("show at most N rows (default 100)")},
	{"--all", NULL, NULL, OPT_ALL, 0, N_("show every row")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec plan_add[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--what", "TEXT", "what", OPT_TEXT, Q, N_("what the step is")},
	{"--unit", "UNIT", "responsible_unit", OPT_REF, 0, N_("the unit responsible")},
	{"--cadre", "CADRE", "responsible_cadre", OPT_REF, 0, N_("the cadre responsible")},
	{"--who", "TEXT", "responsible_text", OPT_TEXT, 0, N_("an outside body or person responsible")},
	{"--due", "DATE", "due_date", OPT_DATE, 0, N_("the step's deadline")},
	{"--status", "S", "status", OPT_STEP_STATUS, 0, N_("todo, doing, done or dropped (default todo)")},
	{"--position", "N", "position", OPT_INT, 0, N_("put it N-th in the plan (default last)")},
	END,
};

static const struct opt_spec plan_update[] = {
	{"STEP", NULL, "step", OPT_ID, P, N_("the step's id")},
	{"--what", "TEXT", "what", OPT_TEXT, 0, N_("what the step is")},
	{"--unit", "UNIT", "responsible_unit", OPT_REF, 0, N_("the unit responsible")},
	{"--cadre", "CADRE", "responsible_cadre", OPT_REF, 0, N_("the cadre responsible")},
	{"--who", "TEXT", "responsible_text", OPT_TEXT, 0, N_("an outside body or person (\"\": nobody)")},
	{"--due", "DATE", "due_date", OPT_DATE, 0, N_("the step's deadline")},
	{"--status", "S", "status", OPT_STEP_STATUS, 0, N_("todo, doing, done or dropped")},
	{"--position", "N", "position", OPT_INT, 0, N_("move it to the N-th place in the plan")},
	END,
};

static const struct opt_spec plan_step[] = {
	{"STEP", NULL, "step", OPT_ID, P, N_("the step's id")},
	END,
};

/* A task, and nothing else (plan, amendment list). */
static const struct opt_spec plan_task[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	END,
};

static const struct opt_spec plan_task_list[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec task_focal[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"ACCOUNT", NULL, "account", OPT_REF, P | OPT_OMISSIBLE,
	 N_("the focal point: a supervisor's login or id")},
	{"--clear", NULL, "clear", OPT_TRUE, 0, N_("no focal point any more (instead of ACCOUNT)")},
	END,
};

static const struct opt_spec task_amend[] = {
	{"ID", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--title", "T", "title", OPT_TEXT, 0, N_("the new title")},
	{"--product", "P", "product", OPT_TEXT, 0, N_("the new expected product")},
	{"--due", "DATE", "due_date", OPT_DATE, 0, N_("the new deadline")},
	{"--reason", "TEXT", "reason", OPT_TEXT, Q, N_("why it should change")},
	END,
};

static const struct opt_spec amendment_id_note[] = {
	{"ID", NULL, "amendment", OPT_ID, P, N_("the amendment's id")},
	{"--note", "TEXT", "note", OPT_TEXT, 0, N_("a note with the approval")},
	END,
};

static const struct opt_spec amendment_id_reason[] = {
	{"ID", NULL, "amendment", OPT_ID, P, N_("the amendment's id")},
	{"--reason", "TEXT", "reason", OPT_TEXT, Q, N_("why it is not approved")},
	END,
};

static const struct opt_spec remind_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--message", "TEXT", "message", OPT_TEXT, Q, N_("what the office is reminded of")},
	{"--by", "DATE", "answer_by", OPT_DATE, Q, N_("the date to answer by")},
	END,
};

/* Search (PROTOCOL.md 6h). */
static const struct opt_spec search_opts[] = {
	{"TEXT", NULL, "text", OPT_TEXT, P, N_("the words to find, with or without diacritics")},
	{"--term", "T", "term", OPT_REF, 0, N_("only the tasks of this year or term")},
	{"--unit", "U", "unit", OPT_REF, 0, N_("only the tasks of this unit's subtree")},
	{"--kind", "K", "kind", OPT_TASK_KIND, 0, N_("breakthrough or innovation")},
	{"--limit", "N", "limit", OPT_INT, 0, N_("tasks shown, in the order found (default 50, at most 200)")},
	COLUMNS_OPT,
	END,
};

/* The board and a cadre's record (PROTOCOL.md 6f). */
static const struct opt_spec board_opts[] = {
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("the cut-off date (default today)")},
	{"--unit", "U", "unit", OPT_REF, 0, N_("this unit's subtree, counted by its children")},
	{"--term", "T", "term", OPT_REF, 0, N_("only the tasks of this year or term")},
	{"--mine", NULL, "mine", OPT_TRUE, 0, N_("only the tasks you are the focal point of")},
	{"--limit", "N", "limit", OPT_INT, 0, N_("tasks needing action shown (default 20)")},
	END,
};

static const struct opt_spec cadre_record_opts[] = {
	{"CADRE", NULL, "cadre", OPT_REF, P, N_("the cadre")},
	{"--term", "T", "term", OPT_REF, Q, N_("the year or term")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("the day the status is judged on (default today)")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec answer_opts[] = {
	{"REMINDER", NULL, "reminder", OPT_ID, P, N_("the reminder's id")},
	{"--text", "TEXT", "answer", OPT_TEXT, Q, N_("the answer")},
	END,
};

static const struct opt_spec reminder_list[] = {
	{"--task", "ID", "task", OPT_ID, 0, N_("only this task's reminders")},
	{"--open", NULL, "open_only", OPT_TRUE, 0, N_("only those not answered")},
	{"--overdue", NULL, "overdue_only", OPT_TRUE, 0, N_("only those past their date, unanswered")},
	COLUMNS_OPT,
	END,
};

/* The supervisor's records (PROTOCOL.md 6e). */
static const struct opt_spec update_accept[] = {
	{"UPDATE", NULL, "update", OPT_ID, P, N_("the progress update's id")},
	{"--comment", "TEXT", "comment", OPT_TEXT, 0, N_("the focal point's remarks")},
	END,
};

static const struct opt_spec update_return[] = {
	{"UPDATE", NULL, "update", OPT_ID, P, N_("the progress update's id")},
	{"--reason", "TEXT", "reason", OPT_TEXT, Q, N_("why it is returned (it no longer counts)")},
	END,
};

static const struct opt_spec explain_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--question", "TEXT", "question", OPT_TEXT, Q, N_("what the office must explain")},
	{"--by", "DATE", "answer_by", OPT_DATE, Q, N_("the date to answer by")},
	END,
};

static const struct opt_spec explanation_answer[] = {
	{"ID", NULL, "explanation", OPT_ID, P, N_("the explanation request's id")},
	{"--text", "TEXT", "answer", OPT_TEXT, Q, N_("the explanation")},
	END,
};

static const struct opt_spec explanation_list[] = {
	{"--task", "ID", "task", OPT_ID, 0, N_("only this task's requests")},
	{"--open", NULL, "open_only", OPT_TRUE, 0, N_("only those not answered, overdue first")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec inspect_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--date", "DATE", "date", OPT_DATE, Q, N_("the day of the inspection")},
	{"--findings", "TEXT", "findings", OPT_TEXT, Q, N_("what was found")},
	{"--conclusions", "TEXT", "conclusions", OPT_TEXT, Q, N_("what was concluded")},
	{"--action", "WHAT@DATE", "actions", OPT_ACTION, 0,
	 N_("a required action and its due date; repeat for more")},
	END,
};

static const struct opt_spec inspection_done[] = {
	{"ACTION", NULL, "action", OPT_ID, P, N_("the required action's id")},
	{"--note", "TEXT", "note", OPT_TEXT, 0, N_("what was done")},
	END,
};

static const struct opt_spec inspection_actions[] = {
	{"--task", "ID", "task", OPT_ID, 0, N_("only this task's actions")},
	{"--open", NULL, "open_only", OPT_TRUE, 0, N_("only those not done")},
	{"--overdue", NULL, "overdue_only", OPT_TRUE, 0, N_("only those past their date, not done")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec followup_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the accepted task's id")},
	{"--due", "DATE", "due_date", OPT_DATE, Q, N_("when to check")},
	{"--what", "TEXT", "what", OPT_TEXT, 0, N_("what to check")},
	END,
};

static const struct opt_spec followup_record[] = {
	{"ID", NULL, "followup", OPT_ID, P, N_("the follow-up check's id")},
	{"--result", "holds|relapsed", "result", OPT_FOLLOWUP, Q, N_("the problem has not come back, or it has")},
	{"--note", "TEXT", "note", OPT_TEXT, Q, N_("what was seen")},
	END,
};

static const struct opt_spec followup_list[] = {
	{"--task", "ID", "task", OPT_ID, 0, N_("only this task's checks")},
	{"--open", NULL, "open_only", OPT_TRUE, 0, N_("only those without a result")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec login_opts[] = {
	{"--server", "HOST:PORT", NULL, OPT_TEXT, OPT_GLOBAL, N_("the server to sign in to (saved with the token)")},
	{"--fingerprint", "SHA256", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("the server certificate's, from the central office (else first contact asks)")},
	{"--token", "TOKEN", "token", OPT_TEXT, 0,
	 N_("the token; default: the saved one when re-pinning (--fingerprint, --ca), else stdin,"
	 " unechoed (here, `ps` shows it)")},
	END,
};

static const struct opt_spec history_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--limit", "N", NULL, OPT_LIMIT, 0, N_("show at most N rows (default 100)")},
	{"--all", NULL, NULL, OPT_ALL, 0, N_("show every row")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec account_create[] = {
	{"LOGIN", NULL, "login", OPT_TEXT, P, N_("the login: 1-32 of A-Z a-z 0-9 . _ -")},
	{"DISPLAY_NAME", NULL, "display_name", OPT_TEXT, P, N_("the name people see")},
	{"--role", "ROLE", "role", OPT_ROLE, Q, N_("admin, supervisor, office or viewer")},
	{"--scope", "UNIT", "scope", OPT_REF, 0, N_("the unit whose subtree it works in (required except for admin)")},
	{"--email", "ADDRESS", "email", OPT_TEXT, 0, N_("where its e-mail notices go")},
	{"--notify", "CHOICE", "notify", OPT_TEXT, 0,
	 N_("which e-mail notices: digest (daily, the default), immediate, both or none")},
	END,
};

static const struct opt_spec account_update[] = {
	{"ACCOUNT", NULL, "account", OPT_REF, P, N_("the account: its login or id")},
	{"--name", "N", "display_name", OPT_TEXT, 0, N_("a new display name")},
	{"--role", "ROLE", "role", OPT_ROLE, 0, N_("admin, supervisor, office or viewer")},
	{"--scope", "UNIT", "scope", OPT_REF, 0, N_("a new scope unit")},
	{"--disable", NULL, "active", OPT_FALSE, 0, N_("disable the account: none of its tokens works")},
	{"--enable", NULL, "active", OPT_TRUE, 0, N_("enable a disabled account again")},
	{"--email", "ADDRESS", "email", OPT_TEXT, 0, N_("a new e-mail address; \"\" removes it")},
	{"--notify", "CHOICE", "notify", OPT_TEXT, 0,
	 N_("which e-mail notices: digest (daily), immediate, both or none")},
	END,
};

static const struct opt_spec account_show[] = {
	{"ACCOUNT", NULL, "account", OPT_REF, P, N_("the account: its login or id")},
	END,
};

static const struct opt_spec token_create[] = {
	{"ACCOUNT", NULL, "account", OPT_REF, P, N_("the account: its login or id")},
	{"NAME", NULL, "name", OPT_TEXT, P, N_("what the token is for, e.g. the office machine")},
	END,
};

static const struct opt_spec token_id[] = {
	{"TOKEN_ID", NULL, "token", OPT_ID, P, N_("the token's id (see `dotpha token list`)")},
	END,
};

static const struct opt_spec token_list[] = {
	{"--account", "ACCOUNT", "account", OPT_REF, 0, N_("only this account's tokens")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec audit_opts[] = {
	{"--since", "DATE", "since", OPT_DATE, 0, N_("entries from this day on (UTC)")},
	{"--until", "DATE", "until", OPT_DATE, 0, N_("entries up to this day, inclusive (UTC)")},
	{"--account", "ACCOUNT", "account", OPT_REF, 0, N_("changes made by this account")},
	{"--unit", "UNIT", "unit", OPT_REF, 0, N_("changes to objects of this unit's subtree")},
	{"--task", "ID", "task", OPT_ID, 0, N_("changes to this task")},
	{"--limit", "N", NULL, OPT_LIMIT, 0, N_("show at most N rows (default 100)")},
	{"--all", NULL, NULL, OPT_ALL, 0, N_("show every row")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec audit_verify_opts[] = {
	{"--anchor", "ID:HASH", "anchor", OPT_TEXT, 0,
	 N_("the chain must hold entry ID with this hash (a line of dotphad's --anchor-file, "
	 "or HASH alone)")},
	END,
};

static const struct opt_spec attach_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"FILE", NULL, "path", OPT_TEXT, P, N_("the file to send (up to 50 MiB)")},
	{"--update", "ID", "update", OPT_ID, 0, N_("the progress update it goes with")},
	{"--name", "NAME", "name", OPT_TEXT, 0, N_("its name on the server (default: FILE's own)")},
	{"--type", "TYPE", "type", OPT_TEXT, 0,
	 N_("its media type (default: from the extension, e.g. application/pdf)")},
	END,
};

static const struct opt_spec files_opts[] = {
	{"TASK", NULL, "task", OPT_ID, P, N_("the task's id")},
	{"--update", "ID", "update", OPT_ID, 0, N_("only the files of this progress update")},
	COLUMNS_OPT,
	END,
};

static const struct opt_spec download_opts[] = {
	{"FILE", NULL, "file", OPT_ID, P, N_("the file's id (see `dotpha files TASK`)")},
	{"-o", "PATH", "output", OPT_TEXT, 0, N_("where to save it (default: its name, here)")},
	END,
};

static const struct opt_spec withdraw_opts[] = {
	{"FILE", NULL, "file", OPT_ID, P, N_("the file's id (see `dotpha files TASK`)")},
	{"--reason", "TEXT", "reason", OPT_TEXT, Q,
	 N_("why it is withdrawn (kept in the file's record and the audit trail)")},
	END,
};

static const struct opt_spec backup_opts[] = {
	{"PATH", NULL, "path", OPT_TEXT, P, N_("where to write the copy (it must not be in use)")},
	END,
};

static const struct opt_spec throttle_clear_opts[] = {
	{"ADDRESS", NULL, "address", OPT_TEXT, P | OPT_OMISSIBLE,
	 N_("the address to forget (see `dotpha admin throttle list`); none: every address")},
	END,
};

/* import and export (transfer.c) */
static const struct opt_spec import_opts[] = {
	{"KIND", NULL, "kind", OPT_TEXT, P, N_("units, cadres, tasks or terms")},
	{"FILE", NULL, "path", OPT_TEXT, P,
	 N_("a CSV file in UTF-8 (',' or ';'), its first line the column names (Vietnamese or codes)")},
	{"--dry-run", NULL, "dry_run", OPT_TRUE, 0,
	 N_("check every row and say what would change, saving nothing")},
	END,
};

static const struct opt_spec export_opts[] = {
	{"KIND", NULL, "kind", OPT_TEXT, P, N_("units, cadres, tasks, terms or updates")},
	{"--format", "FORMAT", "format", OPT_TEXT, 0, N_("csv (the default) or json")},
	{"--sep", "SEP", "separator", OPT_TEXT, 0,
	 N_("the CSV separator: ',', ';' or tab (default ';' in Vietnamese, ',' with --lang en)")},
	{"-o", "PATH", "output", OPT_TEXT, 0, N_("where to write it (default: standard output)")},
	END,
};

/* Reports (PROTOCOL.md 6i). */
static const struct opt_spec report_opts[] = {
	{"--term", "T", "term", OPT_REF, Q, N_("the year or term")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("the cut-off date (default today)")},
	{"--unit", "U", "unit", OPT_REF, 0, N_("this unit's subtree (default: your scope)")},
	{"--limit", "N", "limit", OPT_INT, 0, N_("overdue and stalled tasks listed (default 100)")},
	{"--depth", "N", "depth", OPT_INT, 0,
	 N_("units listed down to N levels below (default: as many whole levels as fit 1,000 rows)")},
	{"--csv", NULL, NULL, OPT_TRUE, 0,
	 N_("the official table per unit as CSV (UTF-8 with BOM, CRLF) on stdout")},
	{"--html", "FILE", NULL, OPT_TEXT, 0,
	 N_("write the report as one HTML page for printing on A4 (charts inline)")},
	{"--xlsx", "FILE", NULL, OPT_TEXT, 0,
	 N_("write the official table per unit and the summary as an Excel workbook (.xlsx)")},
	END,
};

static const struct opt_spec snapshot_opts[] = {
	{"NAME", NULL, "name", OPT_TEXT, P, N_("the snapshot's name: 1-32 of A-Z a-z 0-9 . _ -")},
	{"--term", "T", "term", OPT_REF, Q, N_("the year or term")},
	{"--as-of", "DATE", "as_of", OPT_DATE, 0, N_("the cut-off date (default today)")},
	{"--unit", "U", "unit", OPT_REF, 0, N_("this unit's subtree (default: your scope)")},
	END,
};

static const struct opt_spec compare_opts[] = {
	{"A", NULL, "a", OPT_REF, P, N_("the earlier snapshot: its name or id")},
	{"B", NULL, "b", OPT_REF, P, N_("the later snapshot: its name or id")},
	END,
};

/* What every command shares, in paragraphs: `dotpha --help` and dotpha(1)
 * print them. */
const char *const commands_notes[] = {
	N_("Dates are dd/mm/yyyy (or yyyy-mm-dd).  UNIT, CADRE and TERM are an id (all\n"
		"digits) or a code; ACCOUNT is a login or an id.  Lists show 100 rows unless\n"
		"given --limit N or --all.  An option taking a code (--kind breakthrough,\n"
		"--state in_progress, --role office...) takes its label too, as dotpha shows\n"
		"it, with or without diacritics: --kind \"Đột phá\", --kind \"dot pha\".\n"),
	N_("Numbers, dates and times are shown for reading: in Vietnamese 12.345 and\n"
		"67,3%, in English 12,345 and 67.3%; dates dd/mm/yyyy; times in local time, in\n"
		"the zone of `timezone = ZONE` in the config file (default Asia/Ho_Chi_Minh).\n"
		"--json shows the server's data exactly as it came.\n"),
	N_("The server's address is the first of: --server; $DOTPHA_SERVER; the line\n"
		"`server = HOST:PORT` in $XDG_CONFIG_HOME/dotpha/config (or\n"
		"~/.config/dotpha/config); 127.0.0.1:7878.  Any server but loopback is reached\n"
		"with TLS (tls://HOST:PORT forces it, tcp://HOST:PORT forbids it), verified by a\n"
		"CA or by the fingerprint `dotpha login` shows, asks you to confirm and pins on\n"
		"first contact (without a terminal: pass --fingerprint); a token is never sent\n"
		"in clear to an address other than loopback, nor before the server's\n"
		"certificate is confirmed.\n"),
	N_("Signing in: the commands other than `server info`, `login` and `logout` need\n"
		"a token (dp1_ and 64 hex digits, from the administrator or `dotpha token\n"
		"create`).  It is the first of: $DOTPHA_TOKEN; the line `token = ...` in the\n"
		"config file, which must then be readable by you alone (chmod 600).  `dotpha\n"
		"login` checks a token with the server and saves it there with the server's\n"
		"address; `dotpha logout` removes it.\n"),
	N_("A write lost with its connection is retried on a new one with the same\n"
		"request_id, which the server applies at most once.\n"),
	N_("After a command, when something waits for you (reminders or explanation\n"
		"requests to answer, inspection actions due within 7 days, updates to appraise,\n"
		"your overdue reminders), one line on stderr says what and how many; `dotpha\n"
		"inbox` lists them.  Only on a terminal, never with --json; --quiet or\n"
		"`notices = off` in the config file turns it off.\n"),
	NULL,
};

/* The global options, which any command takes (args_global() reads
 * them); `dotpha --help`, dotpha(1) and completion list them from here. */
const struct opt_spec commands_globals[] = {
	{"--server", "HOST:PORT", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("the server: 10.0.0.5:7878, dotpha.example.vn:7878, [::1]:7878")},
	{"--json", NULL, NULL, OPT_TRUE, OPT_GLOBAL,
	 N_("print the result as JSON, exactly as the server sent it")},
	{"--quiet", NULL, NULL, OPT_TRUE, OPT_GLOBAL,
	 N_("no line after the command saying what waits for you (`notices = off` in the config "
	 "file)")},
	{"--lang", "vi|en", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("the language of what dotpha prints: vi (Vietnamese, the default) or en (English); "
	 "also DOTPHA_LANG, or `lang = en` in the config file")},
	{"--timeout", "SEC", NULL, OPT_INT, OPT_GLOBAL,
	 N_("give up when the server makes no progress for SEC seconds (default 30; `timeout = "
	 "SEC` in the config file)")},
	{"--request-id", "ID", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("the request_id of a write: repeat the one printed after a lost connection to retry "
	 "safely, without applying it twice")},
	{"--fingerprint", "FP", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("pin the server's TLS certificate (its SHA-256, as dotphad logs it) instead of "
	 "trusting it on first contact")},
	{"--ca", "FILE", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("verify the server's certificate with these CAs (`ca = FILE`)")},
	{"--cert", "FILE", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("this client's certificate, for a server that asks for one (`cert = FILE`)")},
	{"--key", "FILE", NULL, OPT_TEXT, OPT_GLOBAL, N_("the private key of --cert (`key = FILE`)")},
	{"-o", "FILE", NULL, OPT_TEXT, OPT_GLOBAL,
	 N_("write what the command prints to FILE instead of standard output (also --output; "
	 "FILE is replaced only once the command succeeded)")},
	{"--help", NULL, NULL, OPT_TRUE, OPT_GLOBAL, N_("this help (also -h)")},
	{"--version", NULL, NULL, OPT_TRUE, OPT_GLOBAL, N_("the client's version and protocol")},
	END,
};

/* The exit codes (cli.h's enum cli_exit), for `dotpha --help` and dotpha(1). */
const struct commands_exit commands_exits[] = {
	{CLI_EXIT_OK, N_("success")},
	{CLI_EXIT_SERVER, N_("the server reported another error (internal, busy, unavailable, "
	 "storage_full, ...), the client itself failed, or `audit verify` found the audit trail "
	 "broken")},
	{CLI_EXIT_USAGE, N_("usage error on the command line, a config file holding a token is "
	 "open to other users, a first contact over TLS not confirmed (login: no terminal to ask "
	 "on and no --fingerprint, or not answered yes; no token was sent), or a download's file "
	 "name is taken (use -o)")},
	{CLI_EXIT_UNREACHABLE, N_("cannot reach the server, connection lost, timeout, protocol "
	 "mismatch, or TLS failed (the server's certificate refused, TLS on one side only)")},
	{CLI_EXIT_NOT_FOUND, N_("not found (not_found)")},
	{CLI_EXIT_INVALID, N_("invalid argument (invalid_argument); an import file with bad rows")},
	{CLI_EXIT_CONFLICT, N_("conflict (conflict)")},
	{CLI_EXIT_DENIED, N_("unauthenticated or forbidden")},
	{CLI_EXIT_QUEUED, N_("the server is out of reach: the write is kept in the offline queue "
	 "and goes out with `dotpha sync` or the next command that reaches it")},
	{0, NULL},
};

const struct command commands_table[] = {
	{"server", "info", "server.info", run_call, no_opts, &views_server, 0,
	 N_("the server's name, version, protocol and clock")},

	{"login", "", "session.auth", run_login, login_opts, &views_whoami, CMD_OWN_TOKEN,
	 N_("check a token with the server, save both in the config file")},
	{"logout", "", NULL, run_logout, no_opts, NULL, CMD_OWN_TOKEN | CMD_OFFLINE,
	 N_("remove the saved token from the config file")},
	{"whoami", "", "session.whoami", run_call, no_opts, &views_whoami, 0,
	 N_("the account and token this dotpha signs in with")},

	{"unit", "create", "unit.create", run_call, unit_create, &views_unit, 0,
	 N_("create a unit under a parent (or a root)")},
	{"unit", "rename", "unit.rename", run_call, unit_rename, &views_unit, 0,
	 N_("give a unit a new name from a date, keeping the old one")},
	{"unit", "move", "unit.move", run_call, unit_move, &views_unit, 0,
	 N_("move a unit under another parent")},
	{"unit", "close", "unit.close", run_call, unit_close, &views_unit, 0,
	 N_("close a unit on a date, optionally merged into another")},
	{"unit", "show", "unit.get", run_call, unit_show, &views_unit, 0,
	 N_("one unit with its names over time")},
	{"unit", "list", "unit.list", run_list, unit_list, &views_unit, 0,
	 N_("the unit tree, names indented by depth")},

	{"cadre", "create", "cadre.create", run_call, cadre_create, &views_cadre, 0,
	 N_("register a cadre with a post in a unit")},
	{"cadre", "update", "cadre.update", run_call, cadre_update, &views_cadre, CMD_CHANGE,
	 N_("correct a cadre's name, title or managing body (no history)")},
	{"cadre", "transfer", "cadre.transfer", run_call, cadre_transfer, &views_cadre, 0,
	 N_("move a cadre to a new post from a date")},
	{"cadre", "show", "cadre.get", run_call, cadre_show, &views_cadre, 0,
	 N_("one cadre with the history of posts")},
	{"cadre", "list", "cadre.list", run_paged, cadre_list, &views_cadre, 0,
	 N_("cadres of a unit's subtree or of a managing body")},
	{"cadre", "record", "cadre.record", run_record, cadre_record_opts, &views_record, 0,
	 N_("a cadre's tasks, products and ratings in a term, for the evaluation")},

	{"term", "create", "term.create", run_call, term_create, &views_term, 0,
	 N_("create a year or a term")},
	{"term", "show", "term.get", run_call, term_show, &views_term, 0,
	 N_("one year or term")},
	{"term", "list", "term.list", run_list, list_opts, &views_term, 0,
	 N_("all years and terms")},

	{"task", "create", "task.create", run_call, task_create, &views_task, 0,
	 N_("register a task")},
	{"task", "update", "task.update", run_call, task_update, &views_task, CMD_CHANGE,
	 N_("change fields of a task")},
	{"task", "show", "task.get", run_task_show, task_show, &views_task, 0,
	 N_("one task, with its latest progress updates")},
	{"task", "list", "task.list", run_paged, task_list, &views_task, 0,
	 N_("tasks matching filters, with a count of tasks and cadres")},

	{"task", "review", "task.review", run_call, task_review, &views_task, 0,
	 N_("the focal point has reviewed a registered task")},
	{"task", "return", "task.return", run_call, task_reason, &views_task, 0,
	 N_("return a registered task with a reason, to be revised")},
	{"task", "resubmit", "task.resubmit", run_call, task_id_only, &views_task, 0,
	 N_("register a returned task again after revising it")},
	{"task", "assign", "task.assign", run_call, task_assign, &views_task, 0,
	 N_("assign a task by the managing body's decision")},
	{"task", "start", "task.start", run_call, task_id_only, &views_task, 0,
	 N_("start work on an assigned task")},
	{"task", "report", "task.report_done", run_call, task_report, &views_task, 0,
	 N_("report a task done, with a summary")},
	{"task", "accept", "task.accept", run_call, task_accept, &views_task, 0,
	 N_("accept a task reported done, with a rating")},
	{"task", "send-back", "task.send_back", run_call, task_reason, &views_task, 0,
	 N_("send a task reported done back to work, with a reason")},
	{"task", "cancel", "task.cancel", run_call, task_reason, &views_task, 0,
	 N_("cancel a task, with a reason")},
	{"task", "carry-over", "task.carry_over", run_call, task_carry, &views_task, 0,
	 N_("carry a task over into a later term")},
	{"task", "focal", "task.set_focal_point", run_call, task_focal, &views_task, 0,
	 N_("name a task's focal point (a supervisor account), or --clear it")},

	{"task", "amend", "amendment.propose", run_call, task_amend, &views_amendment, 0,
	 N_("propose a change to an assigned task's title, product or deadline")},
	{"amendment", "list", "amendment.list", run_list, plan_task_list, &views_amendment, 0,
	 N_("a task's amendments, with the versions they replaced")},
	{"amendment", "approve", "amendment.approve", run_call, amendment_id_note,
	 &views_amendment, 0, N_("approve a pending amendment: the task changes")},
	{"amendment", "reject", "amendment.reject", run_call, amendment_id_reason,
	 &views_amendment, 0, N_("reject a pending amendment")},

	{"update", "add", "update.create", run_call, update_add, &views_update, 0,
	 N_("report progress on a task")},
	{"update", "list", "update.list", run_paged, update_list, &views_update, 0,
	 N_("progress updates of a task, oldest first")},
	{"update", "accept", "update.accept", run_call, update_accept, &views_update, 0,
	 N_("accept a progress update (thẩm định)")},
	{"update", "return", "update.return", run_call, update_return, &views_update, 0,
	 N_("return a progress update with a reason: it no longer counts")},

	{"plan", "", "plan.list", run_plan, plan_task_list, &views_step, 0,
	 N_("a task's plan: its steps, and both percents")},
	{"plan", "add", "plan.add", run_call, plan_add, &views_step, 0,
	 N_("add a step to a task's plan")},
	{"plan", "update", "plan.update", run_call, plan_update, &views_step, CMD_CHANGE,
	 N_("change a step: what, who is responsible, due date, status")},
	{"plan", "remove", "plan.remove", run_call, plan_step, &views_step, 0,
	 N_("take a step out of its plan (the audit trail keeps it)")},
	{"plan", "list", "plan.list", run_plan, plan_task_list, &views_step, 0,
	 N_("a task's plan (same as `dotpha plan TASK`)")},

	{"remind", "", "reminder.send", run_call, remind_opts, &views_reminder, 0,
	 N_("remind the office of a task (đôn đốc), with a date to answer by")},
	{"inbox", "", "inbox.get", run_inbox, no_opts, &views_reminder, 0,
	 N_("what waits for you: reminders and explanation requests to answer, inspection "
	 "actions due within 7 days, updates to appraise, your overdue reminders")},
	{"answer", "", "reminder.answer", run_call, answer_opts, &views_reminder, 0,
	 N_("answer a reminder")},
	{"reminder", "list", "reminder.list", run_list, reminder_list, &views_reminder, 0,
	 N_("reminders of the tasks you see")},

	{"history", "", "task.history", run_paged, history_opts, &views_history, 0,
	 N_("a task's story: who registered, changed, reported, when")},

	{"audit", "", "audit.list", run_paged, audit_opts, &views_audit, 0,
	 N_("the audit trail: who changed what, when, from where")},
	{"audit", "verify", "audit.verify", run_audit_verify, audit_verify_opts, &views_audit_verify, 0,
	 N_("check the audit trail's hash chain, held to an anchor (exit 1 if broken)")},

	{"account", "create", "account.create", run_call, account_create, &views_account, 0,
	 N_("create an account with a role and a scope unit")},
	{"account", "update", "account.update", run_call, account_update, &views_account, CMD_CHANGE,
	 N_("change an account's name, role or scope, or disable it")},
	{"account", "show", "account.get", run_call, account_show, &views_account, 0,
	 N_("one account with its tokens")},
	{"account", "list", "account.list", run_list, list_opts, &views_account, 0,
	 N_("all accounts")},

	{"token", "create", "token.create", run_token_secret, token_create, &views_token, 0,
	 N_("make a token for an account; it is shown this once")},
	{"token", "rotate", "token.rotate", run_token_secret, token_id, &views_token, 0,
	 N_("replace a token by a new one of the same name (shown once)")},
	{"token", "revoke", "token.revoke", run_call, token_id, &views_token, 0,
	 N_("revoke a token: it stops working at once")},
	{"token", "list", "token.list", run_list, token_list, &views_token, 0,
	 N_("tokens, without their secrets")},


	/* the supervisor's records (PROTOCOL.md 6e) */
	{"explain", "", "explanation.request", run_call, explain_opts, &views_explanation, 0,
	 N_("ask the office of a task to explain (giải trình), by a date")},
	{"explanation", "answer", "explanation.answer", run_call, explanation_answer,
	 &views_explanation, 0, N_("answer an explanation request")},
	{"explanation", "list", "explanation.list", run_list, explanation_list, &views_explanation,
	 0, N_("explanation requests of the tasks you see")},
	{"inspect", "", "inspection.record", run_call, inspect_opts, &views_inspection, 0,
	 N_("record an inspection (kiểm tra, giám sát) and its required actions")},
	{"inspection", "list", "inspection.list", run_records, plan_task, &views_inspection, 0,
	 N_("a task's inspections with their required actions")},
	{"inspection", "done", "inspection.action_done", run_call, inspection_done, &views_action,
	 0, N_("mark an inspection's required action done")},
	{"inspection", "actions", "inspection.actions", run_list, inspection_actions,
	 &views_action, 0, N_("required actions of inspections, overdue first")},
	{"followup", "", "followup.schedule", run_call, followup_opts, &views_followup, 0,
	 N_("schedule a follow-up check (dứt điểm) of an accepted task")},
	{"followup", "record", "followup.record", run_call, followup_record, &views_followup, 0,
	 N_("record a follow-up check's result: holds or relapsed")},
	{"followup", "list", "followup.list", run_followups, followup_list, &views_followup, 0,
	 N_("follow-up checks and their counts")},
	/* the board and a cadre's record */
	{"board", "", "board.get", run_board, board_opts, &views_board_counts, 0,
	 N_("the focal point's board: counts by status, health and unit; what needs action first")},
	/* evidence files (files.c) */
	{"attach", "", "file.upload_begin", run_attach, attach_opts, &views_file, 0,
	 N_("send an evidence file of a task (resumes a transfer cut off)")},
	{"files", "", "file.list", run_list, files_opts, &views_file, 0,
	 N_("the evidence files of a task")},
	{"download", "", "file.read", run_download, download_opts, &views_file, 0,
	 N_("fetch an evidence file whole, checking its SHA-256")},
	/* search */
	{"search", "", "search.query", run_list, search_opts, &views_search, 0,
	 N_("find tasks by words of their texts, with or without diacritics")},

	/* the offline queue (queue.c) */
	{"sync", "", NULL, run_sync, no_opts, NULL, 0,
	 N_("send the requests kept while the server was out of reach, in order")},

	/* the central office's chores */
	{"admin", "backup", "backup.create", run_backup, backup_opts, &views_file, 0,
	 N_("an online copy of the database, written to PATH (admins only)")},
	{"admin", "withdraw", "file.withdraw", run_call, withdraw_opts, &views_file, 0,
	 N_("erase the content of an evidence file sent by mistake (personal data), keeping "
	 "its record and the audit trail (admins only)")},
	{"admin", "throttle list", "throttle.list", run_list, list_opts, &views_throttle, 0,
	 N_("the addresses whose failed sign-ins are being slowed down (admins only)")},
	{"admin", "throttle clear", "throttle.clear", run_call, throttle_clear_opts,
	 &views_throttle, 0, N_("forget the failed sign-ins of ADDRESS, or of every address (admins only)")},
	{"admin", "notify status", "notify.status", run_call, no_opts, &views_notify, 0,
	 N_("e-mail notices: how they are sent, the outbox, the last failures, the next digest "
	    "(admins only)")},
	/* import and export (transfer.c) */
	{"import", "", "import.run", run_import, import_opts, &views_import, 0,
	 N_("import units, cadres, tasks or terms from a CSV file: every row or none")},
	{"export", "", "export.rows", run_export, export_opts, &views_export, 0,
	 N_("write units, cadres, tasks, terms or updates as CSV or JSON")},
	/* reports (report.c) */
	{"report", "", "report.get", run_report, report_opts, &views_report_summary, 0,
	 N_("a term's figures in your scope on a cut-off date: the official table, per unit, body, field")},
	{"report", "snapshot", "report.snapshot", run_call, snapshot_opts, &views_snapshot, 0,
	 N_("freeze a report under a name")},
	{"report", "snapshots", "report.snapshots", run_list, list_opts, &views_snapshot, 0,
	 N_("the report snapshots of your scope")},
	{"report", "compare", "report.compare", run_report_compare, compare_opts,
	 &views_compare_summary, 0, N_("what moved between two report snapshots")},

	{NULL, NULL, NULL, NULL, NULL, NULL, 0, NULL},
};

const struct command *commands_find(const char *noun, const char *verb)
{
	for (const struct command *c = commands_table; c->noun; c++)
		if (strcmp(c->noun, noun) == 0 && strcmp(c->verb, verb) == 0)
			return c;
	return NULL;
}

bool commands_noun_exists(const char *noun)
{
	for (const struct command *c = commands_table; c->noun; c++)
		if (strcmp(c->noun, noun) == 0)
			return true;
	return false;
}

bool commands_writes(const struct command *cmd)
{
	const struct method_info *m;

	if (!cmd->method)
		return false;
	m = methods_find(cmd->method, strlen(cmd->method));
	return m && (m->flags & METHOD_WRITE);
}

const char *commands_name(const struct command *cmd, char *buf, size_t n)
{
	snprintf(buf, n, "%s%s%s", cmd->noun, cmd->verb[0] ? " " : "", cmd->verb);
	return buf;
}

void commands_nouns(struct strbuf *sb)
{
	for (const struct command *c = commands_table; c->noun; c++) {
		if (c != commands_table && strcmp(c[-1].noun, c->noun) == 0)
			continue;
		strbuf_adds(sb, c == commands_table ? "" : ", ");
		strbuf_adds(sb, c->noun);
	}
}

void commands_verbs(struct strbuf *sb, const char *noun)
{
	bool first = true;

	for (const struct command *c = commands_table; c->noun; c++) {
		if (strcmp(c->noun, noun) != 0 || !c->verb[0])
			continue;
		strbuf_adds(sb, first ? "" : ", ");
		strbuf_adds(sb, c->verb);
		first = false;
	}
}

#define COMMANDS_WRAP 79 /* usage lines are wrapped before this column */

/* Appends one option as it appears in a usage line, wrapping before it
 * when the line would grow past COMMANDS_WRAP. */
static void usage_word(struct strbuf *sb, const struct opt_spec *o, size_t *line_start,
		       size_t indent)
{
	bool optional = !(o->flags & (OPT_POSITIONAL | OPT_REQUIRED)) || (o->flags & OPT_OMISSIBLE);
	size_t len = 1 + strlen(o->name) + (o->meta ? 1 + strlen(o->meta) : 0) + (optional ? 2 : 0);

	if (utf8_width(sb->buf + *line_start, sb->len - *line_start) + len > COMMANDS_WRAP) {
		strbuf_addc(sb, '\n');
		*line_start = sb->len;
		strbuf_addf(sb, "%*s", (int)indent, "");
	}
	strbuf_adds(sb, optional ? " [" : " ");
	strbuf_adds(sb, o->name);
	if (o->meta)
		strbuf_addf(sb, " %s", o->meta);
	if (optional)
		strbuf_addc(sb, ']');
}

void commands_usage(FILE *f, const struct command *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	size_t line_start = 0, indent;
	char name[64];

	strbuf_addf(&sb, T("usage: dotpha %s"), commands_name(cmd, name, sizeof(name)));
	indent = utf8_width(sb.buf, sb.len); /* "cách dùng" is wider in bytes than on screen */
	/* Positionals, then required options, then the optional ones. */
	for (int pass = 0; pass < 3; pass++)
		for (const struct opt_spec *o = cmd->opts; o->name; o++) {
			int kind = o->flags & OPT_POSITIONAL ? 0 : o->flags & OPT_REQUIRED ? 1 : 2;

			if (kind == pass)
				usage_word(&sb, o, &line_start, indent);
		}
	fprintf(f, "%s\n", strbuf_cstr(&sb));
	strbuf_free(&sb);
}

/* The capital of a small letter of English or Vietnamese (đ, ơ, ư, ắ...);
 * any other code point as it is. */
static uint32_t capital(uint32_t cp)
{
	if ((cp >= 'a' && cp <= 'z') || (cp >= 0xe0 && cp <= 0xfe && cp != 0xf7))
		return cp - 0x20;
	if ((cp >= 0x100 && cp <= 0x17f && (cp & 1)) || (cp >= 0x1ea0 && cp <= 0x1ef9 && (cp & 1)))
		return cp - 1; /* Latin Extended-A and Vietnamese: pairs, the small one odd */
	if (cp == 0x1a1 || cp == 0x1b0) /* ơ, ư */
		return cp - 1;
	return cp;
}

/* Writes a summary as a sentence: its first letter a capital, a full stop
 * after it. */
static void sentence(FILE *f, const char *s)
{
	uint32_t cp;
	size_t k = utf8_decode(s, strlen(s), &cp);
	char first[8];

	if (k == 0) {
		fputs(s, f);
	} else {
		cp = capital(cp); /* a capital has as many bytes as its small letter here */
		if (cp < 0x80) {
			first[0] = (char)cp;
			fwrite(first, 1, 1, f);
		} else if (cp < 0x800) {
			first[0] = (char)(0xc0 | (cp >> 6));
			first[1] = (char)(0x80 | (cp & 0x3f));
			fwrite(first, 1, 2, f);
		} else {
			first[0] = (char)(0xe0 | (cp >> 12));
			first[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
			first[2] = (char)(0x80 | (cp & 0x3f));
			fwrite(first, 1, 3, f);
		}
		fputs(s + k, f);
	}
	fputc('.', f);
}

/* Writes text from column `indent` on, wrapped at spaces before
 * COMMANDS_WRAP, each further line indented as much, and a newline. */
static void wrapped(FILE *f, const char *text, size_t indent)
{
	size_t col = indent;

	while (*text) {
		size_t n = strcspn(text, " "), w = utf8_width(text, n);

		if (col > indent && col + 1 + w > COMMANDS_WRAP) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
		} else if (col > indent) {
			fputc(' ', f);
			col++;
		}
		fwrite(text, 1, n, f);
		col += w;
		text += n;
		while (*text == ' ')
			text++;
	}
	fputc('\n', f);
}

/* Lists the columns a --columns may name: each one's key and header. */
static void columns_help(FILE *f, const struct render_col *cols)
{
	size_t kw = 0;

	for (const struct render_col *c = cols; c->label; c++)
		kw = strlen(c->key) > kw ? strlen(c->key) : kw;
	fprintf(f, "\n%s\n", T("Columns, by key or header (--columns), in the order shown:"));
	for (const struct render_col *c = cols; c->label; c++)
		if (c->label[0])
			fprintf(f, "  %-*s  %s\n", (int)kw, c->key, T(c->label));
		else
			fprintf(f, "  %s\n", c->key);
}

void commands_help(FILE *f, const struct command *cmd)
{
	struct strbuf sb = STRBUF_INIT;
	size_t w = 0;

	commands_usage(f, cmd);
	fputc('\n', f);
	sentence(f, T(cmd->summary));
	if (!cmd->method)
		fprintf(f, T("  (no server call)\n"));
	else if (commands_writes(cmd))
		fprintf(f, T("  (method %s, changes data)\n"), cmd->method);
	else
		fprintf(f, T("  (method %s)\n"), cmd->method);
	for (const struct opt_spec *o = cmd->opts; o->name; o++) {
		size_t ow = strlen(o->name) + (o->meta ? strlen(o->meta) + 1 : 0);

		if (ow > w)
			w = ow;
	}
	if (cmd->opts[0].name)
		fputc('\n', f);
	for (const struct opt_spec *o = cmd->opts; o->name; o++) {
		strbuf_reset(&sb);
		strbuf_adds(&sb, o->name);
		if (o->meta)
			strbuf_addf(&sb, " %s", o->meta);
		fprintf(f, "  %-*s  ", (int)w, strbuf_cstr(&sb));
		strbuf_reset(&sb);
		strbuf_adds(&sb, T(o->help));
		if (o->flags & OPT_REQUIRED)
			strbuf_adds(&sb, T(" (required)"));
		wrapped(f, strbuf_cstr(&sb), w + 4);
	}
	if (cmd->flags & CMD_CHANGE)
		fprintf(f, "\n%s", T("Give at least one option: the fields to change.\n"));
	for (const struct opt_spec *o = cmd->opts; o->name; o++)
		if (args_free_text(o)) {
			fputc('\n', f);
			wrapped(f, T("Each TEXT may also be read from a file, --NAME-file FILE (UTF-8, as "
				     "Notepad saves it), or from standard input, --NAME - (for long text "
				     "or text with line breaks)."), 0);
			break;
		}
	for (const struct opt_spec *o = cmd->opts; o->name; o++)
		if (o->type == OPT_COLUMNS && cmd->view && cmd->view->columns)
			columns_help(f, cmd->view->columns);
	if (!cmd->verb[0]) {
		bool first = true;

		for (const struct command *c = commands_table; c->noun; c++) {
			if (strcmp(c->noun, cmd->noun) != 0 || !c->verb[0])
				continue;
			if (first)
				fprintf(f, "\n%s\n", T("Also:"));
			fprintf(f, "  dotpha %s %-8s %s\n", c->noun, c->verb, T(c->summary));
			first = false;
		}
	}
	fprintf(f, "\n%s", T("DATE is dd/mm/yyyy or yyyy-mm-dd; UNIT, CADRE, TERM are an id (digits) or a\n"
			      "code; ACCOUNT is a login or an id.\n"
			      "Global options (--server, --json, --lang, --timeout, --request-id): see\n"
			      "`dotpha --help`.\n"));
	strbuf_free(&sb);
}

void commands_noun_help(FILE *f, const char *noun)
{
	fprintf(f, T("usage: dotpha %s VERB [ARGS] [OPTIONS]\n"), noun);
	fputc('\n', f);
	for (const struct command *c = commands_table; c->noun; c++)
		if (strcmp(c->noun, noun) == 0) {
			int col = fprintf(f, "  %-9s ", c->verb[0] ? c->verb : T("(none)"));

			/* "(không có)" is wider in bytes than on the screen */
			if (!c->verb[0] && col > 0)
				col -= (int)(strlen(T("(none)")) - utf8_width(T("(none)"), strlen(T("(none)"))));
			wrapped(f, T(c->summary), col > 0 ? (size_t)col : 0);
		}
	fputc('\n', f);
	fprintf(f, T("Run `dotpha %s VERB --help` for a verb's arguments and options.\n"), noun);
}

void commands_overview(FILE *f)
{
	size_t nw = 0, vw = 0;

	fputs(T("dotpha: the command-line client of dotphad, which keeps the breakthrough and\n"
		"innovation tasks (việc đột phá, đổi mới) of a Party Committee and their progress.\n"),
	      f);
	fputc('\n', f);
	fputs(T("usage: dotpha [--server HOST:PORT] [--json] [--lang vi|en] [--timeout SEC]\n"
		"              NOUN VERB [ARGS] [OPTIONS]\n"), f);
	fputc('\n', f);
	fputs(T("Commands:\n"), f);
	/* The columns are as wide as the longest noun and one-word verb (a
	 * verb of two words, "throttle list", pushes its summary along). */
	for (const struct command *c = commands_table; c->noun; c++) {
		nw = strlen(c->noun) > nw ? strlen(c->noun) : nw;
		if (!strchr(c->verb, ' '))
			vw = strlen(c->verb) > vw ? strlen(c->verb) : vw;
	}
	for (const struct command *c = commands_table; c->noun; c++) {
		int col = fprintf(f, "  %-*s %-*s ", (int)nw, c->noun, (int)vw, c->verb);

		wrapped(f, T(c->summary), col > 0 ? (size_t)col : 0);
	}
	fputc('\n', f);
	fputs(T("Run `dotpha NOUN --help` or `dotpha NOUN VERB --help` for more.\n"), f);
	fputc('\n', f);
	fputs(T("Global options (before the noun, or after the verb):\n"), f);
	for (const struct opt_spec *o = commands_globals; o->name; o++) {
		int col = fprintf(f, "  %s%s%-*s  ", o->name, o->meta ? " " : "",
				  (int)(18 - strlen(o->name) - (o->meta ? 1 : 0)), o->meta ? o->meta : "");

		wrapped(f, T(o->help), col > 0 ? (size_t)col : 0);
	}
	fputc('\n', f);
	for (const char *const *n = commands_notes; *n; n++) {
		fputs(T(*n), f);
		fputc('\n', f);
	}
	fputs(T("Exit status:\n"), f);
	for (const struct commands_exit *e = commands_exits; e->text; e++) {
		fprintf(f, "  %d  ", e->code);
		wrapped(f, T(e->text), 5);
	}
}
