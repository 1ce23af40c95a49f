/*
 * views.c: see views.h.  Legend for the columns:
 *   R  TABLE_RIGHT   numbers, right-aligned, never wrapped
 *   S  TABLE_SHRINK  long text people read (a title, a content): the first
 *                    to be wrapped to fit a terminal, and kept the widest
 *                    (table.h); other text wraps at its words only when
 *                    it must, so a name or a label goes unmarked
 *   TREE RENDER_TREE indented by depth (the unit tree)
 * A nested list with min 2 is a history (one entry is the current state,
 * which the record shows); with min 1 it is shown whenever it has entries.
 */
#include "views.h"

#include "lang.h"

#define R TABLE_RIGHT
#define S TABLE_SHRINK
#define TREE RENDER_TREE

static const struct render_col server_record[] = {
	{N_("Server"), "name", NULL, RENDER_TEXT, 0},
	{N_("Version"), "version", NULL, RENDER_TEXT, 0},
	{N_("Protocol"), "protocol", NULL, RENDER_TEXT, 0},
	{N_("Server time"), "time", NULL, RENDER_MOMENT, 0},
	{N_("Date"), "today", NULL, RENDER_DATE, 0},
	{N_("Time zone"), "timezone", NULL, RENDER_TEXT, 0},
	{N_("Clock set with --clock"), "clock_set", NULL, RENDER_BOOL, 0},
	{N_("Stalled after (days)"), "stalled_days", NULL, RENDER_COUNT, 0},
	{N_("At risk from (percentage points)"), "at_risk_margin", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_server = {server_record, NULL, NULL, NULL};

static const struct render_col unit_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Code"), "code", NULL, RENDER_TEXT, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, 0},
	{N_("Level"), "level", NULL, RENDER_TEXT, 0},
	{N_("Parent"), "parent_code", "parent", RENDER_TEXT, 0},
	{N_("From"), "valid_from", NULL, RENDER_DATE, 0},
	{N_("Until"), "valid_to", NULL, RENDER_DATE, 0},
	{N_("Merged into"), "merged_into", NULL, RENDER_TEXT, 0},
	{N_("Closed"), "closed", NULL, RENDER_YES, 0},
	{N_("Units under it"), "children", NULL, RENDER_COUNT, 0},
	{N_("Cadre"), "cadres", NULL, RENDER_COUNT, 0},
	{N_("Task"), "tasks", NULL, RENDER_COUNT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col unit_names[] = {
	{N_("From"), "valid_from", NULL, RENDER_DATE, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list unit_lists[] = {
	{N_("Names over time"), "names", unit_names, 2},
	{NULL, NULL, NULL, 0},
};

static const struct render_col unit_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Code"), "code", NULL, RENDER_TEXT, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, S | TREE},
	{N_("Level"), "level", NULL, RENDER_TEXT, 0},
	{N_("From"), "valid_from", NULL, RENDER_DATE, 0},
	{N_("Until"), "valid_to", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_unit = {unit_record, unit_lists, unit_columns, N_("units")};

static const struct render_col cadre_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Code"), "code", NULL, RENDER_TEXT, 0},
	{N_("Full name"), "full_name", NULL, RENDER_TEXT, 0},
	{N_("Position title"), "title", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_name", "unit_code", RENDER_TEXT, 0},
	{N_("Managed by"), "managing_unit_name", "managing_unit_code", RENDER_TEXT, 0},
	{N_("From"), "since", NULL, RENDER_DATE, 0},
	{N_("Tasks"), "tasks", NULL, RENDER_COUNT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col cadre_postings[] = {
	{N_("From"), "valid_from", NULL, RENDER_DATE, 0},
	{N_("Until"), "valid_to", NULL, RENDER_DATE, 0},
	{N_("Unit"), "unit_name", "unit_code", RENDER_TEXT, S},
	{N_("Position title"), "title", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list cadre_lists[] = {
	{N_("Posts held"), "postings", cadre_postings, 2},
	{NULL, NULL, NULL, 0},
};

static const struct render_col cadre_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Code"), "code", NULL, RENDER_TEXT, 0},
	{N_("Full name"), "full_name", NULL, RENDER_TEXT, S},
	{N_("Position title"), "title", NULL, RENDER_TEXT, S},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Managed by"), "managing_unit_code", NULL, RENDER_TEXT, 0},
	{N_("From"), "since", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_cadre = {cadre_record, cadre_lists, cadre_columns, N_("cadres")};

static const struct render_col term_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Code"), "code", NULL, RENDER_TEXT, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, 0},
	{N_("Kind"), "kind", NULL, RENDER_TERM_KIND, 0},
	{N_("Start"), "start", NULL, RENDER_DATE, 0},
	{N_("End"), "end", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col term_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Code"), "code", NULL, RENDER_TEXT, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, S},
	{N_("Kind"), "kind", NULL, RENDER_TERM_KIND, 0},
	{N_("Start"), "start", NULL, RENDER_DATE, 0},
	{N_("End"), "end", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_term = {term_record, NULL, term_columns, N_("years and terms")};

static const struct render_col task_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task title"), "title", NULL, RENDER_TEXT, 0},
	{N_("Description"), "description", NULL, RENDER_TEXT, 0},
	{N_("Kind"), "kind", NULL, RENDER_TASK_KIND, 0},
	{N_("Field"), "field", NULL, RENDER_FIELD, 0},
	{N_("Owner"), "owner_name", "owner_code", RENDER_TEXT, 0},
	{N_("Unit"), "unit_name", "unit_code", RENDER_TEXT, 0},
	{N_("Period"), "term_code", NULL, RENDER_TEXT, 0},
	{N_("Assigned by"), "assigned_by_name", "assigned_by_code", RENDER_TEXT, 0},
	{N_("Product"), "product", NULL, RENDER_TEXT, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("State"), "state", NULL, RENDER_STATE, 0},
	{N_("Assignment decision"), "decision_no", NULL, RENDER_TEXT, 0},
	{N_("Decision date"), "decision_date", NULL, RENDER_DATE, 0},
	{N_("Rating"), "rating", NULL, RENDER_RATING, 0},
	{N_("Note"), "state_note", NULL, RENDER_TEXT, 0},
	{N_("Carried over to task"), "carried_to", NULL, RENDER_TEXT, 0},
	{N_("Progress"), "percent", NULL, RENDER_PERCENT, 0},
	{N_("Overdue"), "overdue", NULL, RENDER_BOOL, 0},
	{N_("Status"), "status", NULL, RENDER_STATUS, 0},
	{N_("Health"), "health", NULL, RENDER_HEALTH, 0},
	{N_("Grounds"), "health_reason", NULL, RENDER_REASON, 0},
	{N_("Progress updates"), "updates", NULL, RENDER_COUNT, 0},
	{N_("Plan steps"), "plan.steps", NULL, RENDER_COUNT, 0},
	{N_("Steps finished"), "plan.done", NULL, RENDER_COUNT, 0},
	{N_("Progress by the plan"), "plan.percent_from_steps", NULL, RENDER_PERCENT, 0},
	{N_("Latest update"), "last_update_at", NULL, RENDER_MOMENT, 0},
	{N_("Focal point"), "focal_point.display_name", "focal_point.login", RENDER_TEXT, 0},
	{N_("Amendment pending"), "pending_amendment.id", "pending_amendment.reason",
	 RENDER_TEXT, 0},
	{N_("Created"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Changed"), "updated_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col task_owners[] = {
	{N_("From"), "valid_from", NULL, RENDER_DATE, 0},
	{N_("Code"), "cadre_code", NULL, RENDER_TEXT, 0},
	{N_("Full name"), "full_name", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list task_lists[] = {
	{N_("Owners over time"), "owners", task_owners, 2},
	{NULL, NULL, NULL, 0},
};

static const struct render_col task_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Kind"), "kind", NULL, RENDER_TASK_KIND, 0},
	{N_("Field"), "field", NULL, RENDER_FIELD, 0},
	{N_("Owner"), "owner_name", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Period"), "term_code", NULL, RENDER_TEXT, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("State"), "state", NULL, RENDER_STATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{N_("Overdue"), "overdue", NULL, RENDER_YES, 0},
	{N_("Status"), "status", NULL, RENDER_STATUS, 0},
	{N_("Health"), "health", NULL, RENDER_HEALTH, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_task = {task_record, task_lists, task_columns, N_("tasks")};

static const struct render_col update_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_id", NULL, RENDER_TEXT, 0},
	{N_("Progress"), "percent", NULL, RENDER_PERCENT, 0},
	{N_("Result"), "done", NULL, RENDER_TEXT, 0},
	{N_("Difficulties"), "difficulties", NULL, RENDER_TEXT, 0},
	{N_("Proposals"), "proposals", NULL, RENDER_TEXT, 0},
	{N_("Reported"), "reported_at", NULL, RENDER_MOMENT, 0},
	{N_("Appraisal"), "appraisal.verdict", NULL, RENDER_VERDICT, 0},
	{N_("Reason, remarks"), "appraisal.reason", NULL, RENDER_TEXT, 0},
	{N_("Appraised by"), "appraisal.by", NULL, RENDER_TEXT, 0},
	{N_("Appraised"), "appraisal.at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col update_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Reported"), "reported_at", NULL, RENDER_MOMENT, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{N_("Result"), "done", NULL, RENDER_TEXT, S},
	{N_("Difficulty"), "difficulties", NULL, RENDER_TEXT, S},
	{N_("Proposal"), "proposals", NULL, RENDER_TEXT, S},
	{N_("Appraisal"), "appraisal.verdict", NULL, RENDER_VERDICT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_update = {update_record, NULL, update_columns, N_("updates")};

/* inbox.get's updates to appraise: {id, task_id, task_title, percent,
 * done, reported_at}. */
static const struct render_col appraisal_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task"), "task_title", NULL, RENDER_TEXT, S},
	{N_("Reported"), "reported_at", NULL, RENDER_MOMENT, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{N_("Result"), "done", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_appraisal = {appraisal_columns, NULL, appraisal_columns,
					    N_("updates")};

static const struct render_col step_record[] = {
	{N_("Step"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_id", NULL, RENDER_TEXT, 0},
	{N_("Position"), "position", NULL, RENDER_TEXT, 0},
	{N_("Content"), "what", NULL, RENDER_TEXT, 0},
	{N_("Responsible unit"), "responsible_unit_name", "responsible_unit_code", RENDER_TEXT, 0},
	{N_("Responsible cadre"), "responsible_cadre_name", "responsible_cadre_code", RENDER_TEXT, 0},
	{N_("Responsible"), "responsible_text", NULL, RENDER_TEXT, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("State"), "status", NULL, RENDER_STEP_STATUS, 0},
	{N_("Removed from the plan"), "removed_at", NULL, RENDER_MOMENT, 0},
	{N_("Created"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Changed"), "updated_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col step_columns[] = {
	{N_("Step"), "id", NULL, RENDER_TEXT, R},
	{N_("Content"), "what", NULL, RENDER_TEXT, S},
	{N_("Responsible"), "responsible_text", NULL, RENDER_RESPONSIBLE, S},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("State"), "status", NULL, RENDER_STEP_STATUS, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_step = {step_record, NULL, step_columns, N_("steps")};

static const struct render_col reminder_record[] = {
	{N_("Reminder"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_title", "task_id", RENDER_TEXT, 0},
	{N_("Reminded by"), "from", NULL, RENDER_TEXT, 0},
	{N_("Content"), "message", NULL, RENDER_TEXT, 0},
	{N_("Answer by"), "answer_by", NULL, RENDER_DATE, 0},
	{N_("Overdue"), "overdue", NULL, RENDER_BOOL, 0},
	{N_("Answer"), "answer", NULL, RENDER_TEXT, 0},
	{N_("Answered by"), "answered_by", NULL, RENDER_TEXT, 0},
	{N_("Answered"), "answered_at", NULL, RENDER_MOMENT, 0},
	{N_("Sent"), "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col reminder_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Task"), "task_title", NULL, RENDER_TEXT, S},
	{N_("Reminded by"), "from", NULL, RENDER_TEXT, S},
	{N_("Content"), "message", NULL, RENDER_TEXT, S},
	{N_("Answer by"), "answer_by", NULL, RENDER_DATE, 0},
	{N_("Answer"), "answer", NULL, RENDER_TEXT, S},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_reminder = {reminder_record, NULL, reminder_columns,
					   N_("reminders")};

static const struct render_col amendment_record[] = {
	{N_("Amendment"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_id", NULL, RENDER_TEXT, 0},
	{N_("Status"), "status", NULL, RENDER_AMENDMENT_STATUS, 0},
	{N_("Reason"), "reason", NULL, RENDER_TEXT, 0},
	{N_("New title"), "title", NULL, RENDER_TEXT, 0},
	{N_("Approved title"), "old_title", NULL, RENDER_TEXT, 0},
	{N_("New product"), "product", NULL, RENDER_TEXT, 0},
	{N_("Approved product"), "old_product", NULL, RENDER_TEXT, 0},
	{N_("New due date"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Approved due date"), "old_due_date", NULL, RENDER_DATE, 0},
	{N_("Proposed by"), "proposed_by", NULL, RENDER_TEXT, 0},
	{N_("Proposed"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Decided by"), "decided_by", NULL, RENDER_TEXT, 0},
	{N_("Decided"), "decided_at", NULL, RENDER_MOMENT, 0},
	{N_("Decision note"), "decision_note", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col amendment_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Status"), "status", NULL, RENDER_AMENDMENT_STATUS, 0},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Product"), "product", NULL, RENDER_TEXT, S},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Replacing the due date"), "old_due_date", NULL, RENDER_DATE, 0},
	{N_("Reason"), "reason", NULL, RENDER_TEXT, S},
	{N_("Date"), "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_amendment = {amendment_record, NULL, amendment_columns,
					    N_("amendments")};

/* session.auth and session.whoami: {"account": account, "token_name"}. */
static const struct render_col whoami_record[] = {
	{N_("Login"), "account.login", NULL, RENDER_TEXT, 0},
	{N_("Full name"), "account.display_name", NULL, RENDER_TEXT, 0},
	{N_("Role"), "account.role", NULL, RENDER_ROLE, 0},
	{N_("Scope"), "account.scope_unit_name", "account.scope_unit_code", RENDER_SCOPE, 0},
	{N_("Token"), "token_name", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_whoami = {whoami_record, NULL, NULL, NULL};

static const struct render_col account_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Login"), "login", NULL, RENDER_TEXT, 0},
	{N_("Full name"), "display_name", NULL, RENDER_TEXT, 0},
	{N_("Role"), "role", NULL, RENDER_ROLE, 0},
	{N_("Scope"), "scope_unit_name", "scope_unit_code", RENDER_SCOPE, 0},
	{N_("Active"), "active", NULL, RENDER_BOOL, 0},
	{N_("E-mail"), "email", NULL, RENDER_TEXT, 0},
	{N_("Notices"), "notify", NULL, RENDER_NOTICE, 0},
	{N_("Created"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Changed"), "updated_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col account_tokens[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Name"), "name", NULL, RENDER_TEXT, S},
	{N_("Created"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Last used"), "last_used_at", NULL, RENDER_MOMENT, 0},
	{N_("Revoked"), "revoked_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list account_lists[] = {
	{N_("Token"), "tokens", account_tokens, 1},
	{NULL, NULL, NULL, 0},
};

static const struct render_col account_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Login"), "login", NULL, RENDER_TEXT, 0},
	{N_("Full name"), "display_name", NULL, RENDER_TEXT, S},
	{N_("Role"), "role", NULL, RENDER_ROLE, 0},
	{N_("Scope"), "scope_unit_code", NULL, RENDER_SCOPE, 0},
	{N_("Enabled"), "active", NULL, RENDER_BOOL, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_account = {account_record, account_lists, account_columns, N_("accounts")};

/* A token's row; token.create and token.rotate add the secret, which
 * run_token_secret() prints on its own line. */
static const struct render_col token_record[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, 0},
	{N_("Account"), "account_login", NULL, RENDER_TEXT, 0},
	{N_("Account ID"), "account_id", NULL, RENDER_TEXT, 0},
	{N_("Created"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Last used"), "last_used_at", NULL, RENDER_MOMENT, 0},
	{N_("Revoked"), "revoked_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col token_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Account"), "account_login", NULL, RENDER_TEXT, 0},
	{N_("Name"), "name", NULL, RENDER_TEXT, S},
	{N_("Created"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Last used"), "last_used_at", NULL, RENDER_MOMENT, 0},
	{N_("Revoked"), "revoked_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_token = {token_record, NULL, token_columns, N_("tokens")};

/* The throttle of failed sign-ins (throttle.list, throttle.clear). */
static const struct render_col throttle_record[] = {
	{N_("Address"), "address", NULL, RENDER_TEXT, 0},
	{N_("Addresses cleared"), "cleared", NULL, RENDER_COUNT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col throttle_columns[] = {
	{N_("Address"), "address", NULL, RENDER_TEXT, 0},
	{N_("Failures"), "failures", NULL, RENDER_COUNT, R},
	{N_("First failure"), "first_failure", NULL, RENDER_MOMENT_SEC, 0},
	{N_("Last failure"), "last_failure", NULL, RENDER_MOMENT_SEC, 0},
	{N_("Delay (ms)"), "delay_ms", NULL, RENDER_COUNT, R},
	{N_("Delay lifts"), "lifts_at", NULL, RENDER_MOMENT_SEC, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_throttle = {throttle_record, NULL, throttle_columns, N_("addresses")};

/* E-mail notices (notify.status). */
static const struct render_col notify_record[] = {
	{N_("Mail configured"), "configured", NULL, RENDER_BOOL, 0},
	{N_("Sent through"), "relay", NULL, RENDER_TEXT, 0},
	{N_("Sender"), "from", NULL, RENDER_TEXT, 0},
	{N_("Digest time"), "digest_at", NULL, RENDER_TEXT, 0},
	{N_("Next digest"), "next_digest", NULL, RENDER_MOMENT, 0},
	{N_("Last digest"), "last_digest", NULL, RENDER_MOMENT, 0},
	{N_("Waiting"), "pending", NULL, RENDER_COUNT, 0},
	{N_("Messages sent"), "sent", NULL, RENDER_COUNT, 0},
	{N_("Refused for good"), "gave_up", NULL, RENDER_COUNT, 0},
	{N_("Next attempt"), "next_attempt", NULL, RENDER_MOMENT_SEC, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col notify_failures[] = {
	{N_("When"), "at", NULL, RENDER_MOMENT_SEC, 0},
	{N_("Recipient"), "recipient", NULL, RENDER_TEXT, 0},
	{N_("Kind"), "kind", NULL, RENDER_NOTICE, 0},
	{N_("Attempts"), "attempts", NULL, RENDER_COUNT, R},
	{N_("Error"), "error", NULL, RENDER_TEXT, S},
	{N_("Refused for good"), "gave_up", NULL, RENDER_YES, 0},
	{N_("Sent later"), "sent", NULL, RENDER_YES, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list notify_lists[] = {
	{N_("Last failures"), "failures", notify_failures, 1},
	{NULL, NULL, NULL, 0},
};

const struct render_view views_notify = {notify_record, notify_lists, NULL, N_("messages")};

static const struct render_col audit_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("When"), "at", NULL, RENDER_MOMENT_SEC, 0},
	{N_("Account"), "account_login", NULL, RENDER_TEXT, 0},
	{N_("Token"), "token_name", NULL, RENDER_TEXT, S},
	{N_("Address"), "address", NULL, RENDER_TEXT, 0},
	{N_("Operation"), "method", NULL, RENDER_TEXT, 0},
	{N_("Object"), "object_type", "object_id", RENDER_OBJECT, 0},
	{N_("Changes"), "before", "after", RENDER_CHANGES, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_audit = {audit_columns, NULL, audit_columns, N_("entries")};

static const struct render_col audit_verify_record[] = {
	{N_("Intact"), "ok", NULL, RENDER_BOOL, 0},
	{N_("Entries checked"), "entries", NULL, RENDER_COUNT, 0},
	{N_("First broken entry"), "first_broken", NULL, RENDER_TEXT, 0},
	{N_("Problem"), "problem", NULL, RENDER_TEXT, 0},
	{N_("Newest entry"), "head", NULL, RENDER_TEXT, 0},
	{N_("Newest hash"), "head_hash", NULL, RENDER_TEXT, 0},
	{N_("Anchors matched"), "anchors", NULL, RENDER_COUNT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_audit_verify = {audit_verify_record, NULL, NULL, NULL};

static const struct render_col history_columns[] = {
	{N_("When"), "at", NULL, RENDER_MOMENT_SEC, 0},
	{N_("By"), "display_name", "account_login", RENDER_TEXT, S},
	{N_("Content"), "method", NULL, RENDER_METHOD, 0},
	{N_("Changes"), "before", "after", RENDER_CHANGES, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_history = {history_columns, NULL, history_columns, N_("events")};

/* ---- the supervisor's records (PROTOCOL.md 6e) ---- */

static const struct render_col explanation_record[] = {
	{N_("Explanation request"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_title", "task_id", RENDER_TEXT, 0},
	{N_("Requested by"), "from", NULL, RENDER_TEXT, 0},
	{N_("Content"), "question", NULL, RENDER_TEXT, 0},
	{N_("Explain by"), "answer_by", NULL, RENDER_DATE, 0},
	{N_("Overdue"), "overdue", NULL, RENDER_BOOL, 0},
	{N_("Explanation"), "answer", NULL, RENDER_TEXT, 0},
	{N_("Explained by"), "answered_by", NULL, RENDER_TEXT, 0},
	{N_("Explained"), "answered_at", NULL, RENDER_MOMENT, 0},
	{N_("Requested"), "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col explanation_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Task"), "task_title", NULL, RENDER_TEXT, S},
	{N_("Requested by"), "from", NULL, RENDER_TEXT, S},
	{N_("Content"), "question", NULL, RENDER_TEXT, S},
	{N_("Due"), "answer_by", NULL, RENDER_DATE, 0},
	{N_("Explanation"), "answer", NULL, RENDER_TEXT, S},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_explanation = {explanation_record, NULL, explanation_columns,
					      N_("explanation requests")};

static const struct render_col action_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Task"), "task_title", NULL, RENDER_TEXT, S},
	{N_("Required action"), "what", NULL, RENDER_TEXT, S},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Done at"), "done_at", NULL, RENDER_MOMENT, 0},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col action_record[] = {
	{N_("Required action"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_title", "task_id", RENDER_TEXT, 0},
	{N_("Inspection"), "inspection_id", NULL, RENDER_TEXT, 0},
	{N_("Content"), "what", NULL, RENDER_TEXT, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Overdue"), "overdue", NULL, RENDER_BOOL, 0},
	{N_("Done at"), "done_at", NULL, RENDER_MOMENT, 0},
	{N_("Done by"), "done_by", NULL, RENDER_TEXT, 0},
	{N_("Note"), "done_note", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_action = {action_record, NULL, action_columns,
					 N_("required actions")};

static const struct render_col inspection_record[] = {
	{N_("Inspection"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_title", "task_id", RENDER_TEXT, 0},
	{N_("Date"), "date", NULL, RENDER_DATE, 0},
	{N_("Findings"), "findings", NULL, RENDER_TEXT, 0},
	{N_("Conclusions"), "conclusions", NULL, RENDER_TEXT, 0},
	{N_("Recorded by"), "by", NULL, RENDER_TEXT, 0},
	{N_("Recorded"), "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

/* An inspection's own actions: its task goes without saying. */
static const struct render_col inspection_action_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Required action"), "what", NULL, RENDER_TEXT, S},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Done at"), "done_at", NULL, RENDER_MOMENT, 0},
	{N_("Note"), "done_note", NULL, RENDER_TEXT, S},
	{"", "overdue", NULL, RENDER_OVERDUE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_list inspection_lists[] = {
	{N_("Required actions"), "actions", inspection_action_columns, 1},
	{NULL, NULL, NULL, 0},
};

static const struct render_col inspection_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Date"), "date", NULL, RENDER_DATE, 0},
	{N_("Findings"), "findings", NULL, RENDER_TEXT, S},
	{N_("Conclusions"), "conclusions", NULL, RENDER_TEXT, S},
	{N_("Recorded by"), "by", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_inspection = {inspection_record, inspection_lists,
					     inspection_columns, N_("inspections")};

static const struct render_col followup_record[] = {
	{N_("Follow-up check"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_title", "task_id", RENDER_TEXT, 0},
	{N_("Check by"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Content"), "what", NULL, RENDER_TEXT, 0},
	{N_("Scheduled by"), "by", NULL, RENDER_TEXT, 0},
	{N_("Due now"), "due", NULL, RENDER_BOOL, 0},
	{N_("Result"), "result", NULL, RENDER_FOLLOWUP, 0},
	{N_("Note"), "note", NULL, RENDER_TEXT, 0},
	{N_("Result recorded by"), "recorded_by", NULL, RENDER_TEXT, 0},
	{N_("Recorded"), "recorded_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col followup_columns[] = {
	{N_("No."), "id", NULL, RENDER_TEXT, R},
	{N_("Task"), "task_title", NULL, RENDER_TEXT, S},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Content"), "what", NULL, RENDER_TEXT, S},
	{N_("Result"), "result", NULL, RENDER_FOLLOWUP, 0},
	{N_("Due now"), "due", NULL, RENDER_YES, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_followup = {followup_record, NULL, followup_columns,
					   N_("follow-up checks")};
/* The official status and the health as records show them (the board's
 * and the report's summaries). */
#define STATUS_HEALTH_ROWS \
	{N_("Done on time"), "done_on_time", NULL, RENDER_COUNT, 0}, \
	{N_("Done late"), "done_late", NULL, RENDER_COUNT, 0}, \
	{N_("Not done, within the deadline"), "within_deadline", NULL, RENDER_COUNT, 0}, \
	{N_("Overdue"), "overdue", NULL, RENDER_COUNT, 0}, \
	{N_("Not assigned"), "not_assigned", NULL, RENDER_COUNT, 0}, \
	{N_("Cancelled"), "cancelled", NULL, RENDER_COUNT, 0}, \
	{N_("Carried over"), "carried_over", NULL, RENDER_COUNT, 0}, \
	{N_("On track"), "on_track", NULL, RENDER_COUNT, 0}, \
	{N_("At risk"), "at_risk", NULL, RENDER_COUNT, 0}, \
	{N_("Stalled"), "stalled", NULL, RENDER_COUNT, 0}

/* The four official figures as table columns (per unit, per field). */
#define STATUS_COLUMNS \
	{N_("On time"), "done_on_time", NULL, RENDER_COUNT, R}, \
	{N_("Late"), "done_late", NULL, RENDER_COUNT, R}, \
	{N_("Within deadline"), "within_deadline", NULL, RENDER_COUNT, R}, \
	{N_("Overdue"), "overdue", NULL, RENDER_COUNT, R}

/* ---- the board and a cadre's record (PROTOCOL.md 6f) ---- */

/* board.get's "counts": the official status, then the health of the tasks
 * being worked on. */
static const struct render_col board_counts[] = {
	{N_("Total tasks"), "total", NULL, RENDER_COUNT, 0},
	STATUS_HEALTH_ROWS,
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_board_counts = {board_counts, NULL, NULL, NULL};

static const struct render_col board_units[] = {
	{N_("Code"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_name", NULL, RENDER_TEXT, S},
	{N_("Total"), "total", NULL, RENDER_COUNT, R},
	STATUS_COLUMNS,
	{N_("Going well"), "on_track", NULL, RENDER_COUNT, R},
	{N_("Risk"), "at_risk", NULL, RENDER_COUNT, R},
	{N_("Stalled"), "stalled", NULL, RENDER_COUNT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_board_units = {NULL, NULL, board_units, N_("units")};

static const struct render_col board_action[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Needs action because"), "reason", NULL, RENDER_ACTION, 0},
	{N_("Days"), "days", NULL, RENDER_COUNT, R},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{N_("Grounds"), "health_reason", NULL, RENDER_REASON, S},
	{N_("Focal"), "focal_point", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_board_action = {NULL, NULL, board_action, N_("tasks")};

static const struct render_col record_head[] = {
	{N_("Cadre"), "cadre.full_name", "cadre.code", RENDER_TEXT, 0},
	{N_("Position title"), "cadre.title", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "cadre.unit_name", "cadre.unit_code", RENDER_TEXT, 0},
	{N_("Period"), "term.name", "term.code", RENDER_TEXT, 0},
	{N_("Status as of"), "as_of", NULL, RENDER_DATE, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col record_tasks[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Product"), "product", NULL, RENDER_TEXT, S},
	{N_("State"), "state", NULL, RENDER_STATE, 0},
	{N_("Status"), "status", NULL, RENDER_STATUS, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{N_("Rating"), "rating", NULL, RENDER_RATING, 0},
	{N_("Remarks"), "comment", NULL, RENDER_TEXT, S},
	{N_("Assignment decision"), "decision_no", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_record = {record_head, NULL, record_tasks, N_("tasks")};
/* Evidence files (PROTOCOL.md 6d). */
static const struct render_col file_record[] = {
	{N_("File"), "id", NULL, RENDER_TEXT, 0},
	{N_("Task"), "task_id", NULL, RENDER_TEXT, 0},
	{N_("Progress update"), "update_id", NULL, RENDER_TEXT, 0},
	{N_("File name"), "name", NULL, RENDER_TEXT, 0},
	{N_("Kind"), "type", NULL, RENDER_TEXT, 0},
	{N_("Size (bytes)"), "size", NULL, RENDER_COUNT, 0},
	{"SHA-256", "sha256", NULL, RENDER_TEXT, 0},
	{N_("Sent by"), "uploaded_by_name", "uploaded_by_login", RENDER_TEXT, 0},
	{N_("Sent"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Withdrawn"), "withdrawn", NULL, RENDER_YES, 0},
	{N_("Revoked"), "withdrawn_at", NULL, RENDER_MOMENT, 0},
	{N_("Withdrawn by"), "withdrawn_by_login", NULL, RENDER_TEXT, 0},
	{N_("Reason for withdrawal"), "withdrawn_reason", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};

static const struct render_col file_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("File name"), "name", NULL, RENDER_TEXT, S},
	{N_("Kind"), "type", NULL, RENDER_TEXT, S},
	{N_("Size (bytes)"), "size", NULL, RENDER_COUNT, R},
	{"SHA-256", "sha256", NULL, RENDER_SHORT_HASH, 0},
	{N_("Update"), "update_id", NULL, RENDER_TEXT, R},
	{N_("Sent by"), "uploaded_by_login", NULL, RENDER_TEXT, 0},
	{N_("Sent"), "created_at", NULL, RENDER_MOMENT, 0},
	{N_("Recalled"), "withdrawn", NULL, RENDER_YES, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_file = {file_record, NULL, file_columns, N_("files")};

/* search.query (PROTOCOL.md 6h): the snippet shows the matched words in
 * [brackets], with their diacritics. */
static const struct render_col search_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Found in"), "where", NULL, RENDER_WHERE, 0},
	{N_("Matching text"), "snippet", NULL, RENDER_TEXT, S},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_search = {NULL, NULL, search_columns, N_("tasks")};
/* ---- reports (PROTOCOL.md 6i) ---- */

static const struct render_col report_summary[] = {
	{N_("Total tasks"), "total", NULL, RENDER_COUNT, 0},
	{N_("Number of cadres"), "cadres", NULL, RENDER_COUNT, 0},
	{N_("Tasks assigned"), "assigned", NULL, RENDER_COUNT, 0},
	STATUS_HEALTH_ROWS,
	{N_("Completion rate"), "completion_rate", NULL, RENDER_PERCENT, 0},
	{N_("On-time completion rate"), "on_time_rate", NULL, RENDER_PERCENT, 0},
	{N_("Overdue rate"), "overdue_rate", NULL, RENDER_PERCENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_summary = {report_summary, NULL, NULL, NULL};

/* The official table: each unit's subtree, and its own tasks apart. */
static const struct render_col report_units[] = {
	{N_("Code"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_name", NULL, RENDER_TEXT, S | TREE},
	{N_("Total"), "assigned", NULL, RENDER_COUNT, R},
	STATUS_COLUMNS,
	{N_("Compl."), "completion_rate", NULL, RENDER_PERCENT, R},
	{N_("On time"), "on_time_rate", NULL, RENDER_PERCENT, R},
	{N_("Overdue"), "overdue_rate", NULL, RENDER_PERCENT, R},
	{N_("Own"), "own_assigned", NULL, RENDER_COUNT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_units = {NULL, NULL, report_units, N_("units")};

static const struct render_col report_bodies[] = {
	{N_("Code"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Managing body"), "unit_name", NULL, RENDER_TEXT, S},
	{N_("Task"), "tasks", NULL, RENDER_COUNT, R},
	{N_("Cadre"), "cadres", NULL, RENDER_COUNT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_bodies = {NULL, NULL, report_bodies, N_("bodies")};

static const struct render_col report_fields[] = {
	{N_("Field"), "field", NULL, RENDER_FIELD, 0},
	{N_("Kind"), "kind", NULL, RENDER_TASK_KIND, 0},
	{N_("Total"), "total", NULL, RENDER_COUNT, R},
	{N_("Assigned"), "assigned", NULL, RENDER_COUNT, R},
	STATUS_COLUMNS,
	{N_("Compl."), "completion_rate", NULL, RENDER_PERCENT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_fields = {NULL, NULL, report_fields, N_("groups")};

static const struct render_col report_states[] = {
	{N_("State"), "state", NULL, RENDER_STATE, 0},
	{N_("Tasks"), "total", NULL, RENDER_COUNT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_states = {NULL, NULL, report_states, N_("states")};

static const struct render_col report_overdue[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Owner"), "owner_name", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Late (days)"), "days_late", NULL, RENDER_COUNT, R},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_overdue = {NULL, NULL, report_overdue, N_("tasks")};

static const struct render_col report_stalled[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Task title"), "title", NULL, RENDER_TEXT, S},
	{N_("Owner"), "owner_name", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Due"), "due_date", NULL, RENDER_DATE, 0},
	{N_("Quiet (days)"), "days_quiet", NULL, RENDER_COUNT, R},
	{"%", "percent", NULL, RENDER_TEXT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_report_stalled = {NULL, NULL, report_stalled, N_("tasks")};

static const struct render_col snapshot_columns[] = {
	{N_("ID"), "id", NULL, RENDER_TEXT, R},
	{N_("Name"), "name", NULL, RENDER_TEXT, 0},
	{N_("Period"), "term_code", NULL, RENDER_TEXT, 0},
	{N_("As of"), "as_of", NULL, RENDER_DATE, 0},
	{N_("Unit"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Scope"), "scope_code", NULL, RENDER_SCOPE, 0},
	{N_("Saved by"), "created_by", NULL, RENDER_TEXT, 0},
	{N_("Saved"), "created_at", NULL, RENDER_MOMENT, 0},
	{NULL, NULL, NULL, 0, 0},
};

/* A snapshot reads the same as a record and as a row. */
const struct render_view views_snapshot = {snapshot_columns, NULL, snapshot_columns, N_("snapshots")};

static const struct render_col compare_summary[] = {
	{N_("Figure"), "figure", NULL, RENDER_FIGURE, 0},
	{N_("Before"), "before", NULL, RENDER_COUNT, R},
	{N_("After"), "after", NULL, RENDER_COUNT, R},
	{N_("Difference"), "delta", NULL, RENDER_COUNT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_compare_summary = {NULL, NULL, compare_summary, N_("figures")};

static const struct render_col compare_units[] = {
	{N_("Code"), "unit_code", NULL, RENDER_TEXT, 0},
	{N_("Unit"), "unit_name", NULL, RENDER_TEXT, S | TREE},
	{N_("Total"), "assigned_after", NULL, RENDER_COUNT, R},
	{"±", "assigned_delta", NULL, RENDER_COUNT, R},
	{N_("On time"), "done_on_time_after", NULL, RENDER_COUNT, R},
	{"±", "done_on_time_delta", NULL, RENDER_COUNT, R},
	{N_("Late"), "done_late_after", NULL, RENDER_COUNT, R},
	{"±", "done_late_delta", NULL, RENDER_COUNT, R},
	{N_("Within deadline"), "within_deadline_after", NULL, RENDER_COUNT, R},
	{"±", "within_deadline_delta", NULL, RENDER_COUNT, R},
	{N_("Overdue"), "overdue_after", NULL, RENDER_COUNT, R},
	{"±", "overdue_delta", NULL, RENDER_COUNT, R},
	{NULL, NULL, NULL, 0, 0},
};

const struct render_view views_compare_units = {NULL, NULL, compare_units, N_("units")};
