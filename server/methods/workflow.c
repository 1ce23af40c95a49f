/*
 * workflow.c: the task workflow, in one place: its states, the table of
 * transitions (from, action, to, who), the checks every transition passes,
 * and the handlers of the methods that move a task (task.review ...
 * task.carry_over).  Storage of a move is db_task.c's (db_task_move,
 * db_task_carry); the rules task.update and update.create ask of the state
 * are here too (workflow.h).
 *
 * The states and the function behind each transition:
 *
 *                  task_return             task_resubmit
 *      registered ------------> returned --------------> registered
 *       |     |                    ^
 *       |     | task_review        | task_return
 *       |     v                    |
 *       |   reviewed --------------+
 *       |     |
 *       |     | task_assign   (task_assign also straight from registered:
 *       v     v                the managing body assigns a task directly)
 *      assigned --task_start (or update_create)--> in_progress
 *                                                  |      ^
 *                                 task_report_done |      | task_send_back
 *                                                  v      |
 *                                                reported_done
 *                                                  |
 *                                      task_accept | (with a rating)
 *                                                  v
 *                                               accepted
 *
 *   task_cancel:     registered, reviewed, returned, assigned,
 *                    in_progress -> cancelled
 *   task_carry_over: assigned, in_progress -> carried_over, and a copy of
 *                    the task in a later term, assigned, same decision
 *
 * accepted, cancelled and carried_over are final: nothing leaves them.
 *
 * Who may make a transition (the `who` column): the focal point (a
 * supervisor with the task in scope, or an admin); the office (an office
 * with the task in scope, or an admin); the managing body (an admin, or a
 * supervisor whose scope holds the unit that assigned the task, so a
 * district manages the tasks it assigns: programmes repeat down the tree).
 * The roles are the method table's (methods.def); the scope of the task
 * is checked first (out of scope is not_found, as everywhere); then the
 * managing-body rule (supervision.c), then the state.
 */
#include "workflow.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "audit.h"
#include "db_task.h"
#include "db_task_pack.h"
#include "db_term.h"
#include "handlers.h"
#include "supervision.h"

const char *const workflow_state_names[] = {
	[TS_REGISTERED] = "registered",     [TS_REVIEWED] = "reviewed",
	[TS_RETURNED] = "returned",         [TS_ASSIGNED] = "assigned",
	[TS_IN_PROGRESS] = "in_progress",   [TS_REPORTED_DONE] = "reported_done",
	[TS_ACCEPTED] = "accepted",         [TS_CANCELLED] = "cancelled",
	[TS_CARRIED_OVER] = "carried_over", [TS_COUNT] = NULL,
};

const char *workflow_state_name(enum task_state s)
{
	assert(s >= 0 && s < TS_COUNT);
	return workflow_state_names[s];
}

int workflow_state_of(const char *name)
{
	for (int i = 0; i < TS_COUNT; i++)
		if (strcmp(workflow_state_names[i], name) == 0)
			return i;
	return -1;
}

#define BIT(s) (1u << (s))
#define FINAL (BIT(TS_ACCEPTED) | BIT(TS_CANCELLED) | BIT(TS_CARRIED_OVER))
/* Assigned and being worked on: substance changes by amendment only. */
#define AMENDABLE (BIT(TS_ASSIGNED) | BIT(TS_IN_PROGRESS))

enum who {
	WHO_FOCAL,    /* supervisor (task in scope) or admin */
	WHO_OFFICE,   /* office (task in scope) or admin */
	WHO_MANAGING, /* admin, or supervisor whose scope holds the task's assigned_by */
};

/* The state machine as data.  The order is the order the conflict
 * message lists what may be done. */
static const struct transition {
	const char *action; /* the method is "task." action */
	unsigned from;      /* the states it leaves, as BIT()s */
	enum task_state to;
	enum who who;
} transitions[] = {
	{"review", BIT(TS_REGISTERED), TS_REVIEWED, WHO_FOCAL},
	{"return", BIT(TS_REGISTERED) | BIT(TS_REVIEWED), TS_RETURNED, WHO_FOCAL},
	{"resubmit", BIT(TS_RETURNED), TS_REGISTERED, WHO_OFFICE},
	{"assign", BIT(TS_REGISTERED) | BIT(TS_REVIEWED), TS_ASSIGNED, WHO_MANAGING},
	{"start", BIT(TS_ASSIGNED), TS_IN_PROGRESS, WHO_OFFICE},
	{"report_done", BIT(TS_IN_PROGRESS), TS_REPORTED_DONE, WHO_OFFICE},
	{"accept", BIT(TS_REPORTED_DONE), TS_ACCEPTED, WHO_MANAGING},
	{"send_back", BIT(TS_REPORTED_DONE), TS_IN_PROGRESS, WHO_MANAGING},
	{"cancel",
	 BIT(TS_REGISTERED) | BIT(TS_REVIEWED) | BIT(TS_RETURNED) | BIT(TS_ASSIGNED) |
		 BIT(TS_IN_PROGRESS),
	 TS_CANCELLED, WHO_MANAGING},
	{"carry_over", BIT(TS_ASSIGNED) | BIT(TS_IN_PROGRESS), TS_CARRIED_OVER, WHO_MANAGING},
};

#define NTRANSITIONS (sizeof(transitions) / sizeof(transitions[0]))

static const struct transition *transition_of(const char *action)
{
	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (strcmp(transitions[i].action, action) == 0)
			return &transitions[i];
	return NULL;
}

/* Reads task id's status for a caller that sees it: not_found out of
 * scope; *state gets the state. */
static int load(struct call *c, int64_t id, struct task_status *ts, enum task_state *state)
{
	int rc, s;

	if ((rc = db_task_check_in(c->db, c->who->scope, "task", id, c->err)) != RPC_OK ||
	    (rc = db_task_status(c->db, id, ts, c->err)) != RPC_OK)
		return rc;
	s = workflow_state_of(ts->state);
	if (s < 0)
		return errors_set(c->err, RPC_INTERNAL, "task: task %lld has an unknown state '%s'",
				  (long long)id, ts->state);
	*state = (enum task_state)s;
	return RPC_OK;
}

/* conflict: "task: task 12 is in_progress; from in_progress you may: ..." */
static int refuse(struct call *c, int64_t id, enum task_state s)
{
	char may[256] = "";
	size_t n = 0;

	for (size_t i = 0; i < NTRANSITIONS; i++)
		if (transitions[i].from & BIT(s))
			n += (size_t)snprintf(may + n, sizeof(may) - n, "%s%s", n ? ", " : "",
					      transitions[i].action);
	if (!n)
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; that is final, nothing more may be done",
				  (long long)id, workflow_state_name(s));
	return errors_set(c->err, RPC_CONFLICT, "task: task %lld is %s; from %s you may: %s",
			  (long long)id, workflow_state_name(s), workflow_state_name(s), may);
}

/* Every transition goes through here: the task in scope, the who rule,
 * the state; then the move (and for carry_over the copy into `term`),
 * and the task as the result. */
static int move(struct call *c, const char *action, int64_t id, struct task_move *mv,
		int64_t term)
{
	const struct transition *t = transition_of(action);
	struct task_status ts;
	enum task_state s;
	int rc;

	assert(t != NULL);
	if ((rc = load(c, id, &ts, &s)) != RPC_OK)
		return rc;
	if (t->who == WHO_MANAGING && (rc = supervision_check_managing(c, id, &ts)) != RPC_OK)
		return rc;
	if (!(t->from & BIT(s)))
		return refuse(c, id, s);

	assert(t->from & BIT(s));
	assert(!(FINAL & BIT(s)));
	assert(t->who != WHO_OFFICE || (c->who->role & (ROLE_ADMIN | ROLE_OFFICE)));
	assert(t->who == WHO_OFFICE || (c->who->role & (ROLE_ADMIN | ROLE_SUPERVISOR)));
	mv->to = workflow_state_name(t->to);
	if (t->to == TS_CARRIED_OVER &&
	    ((rc = db_task_carry(c->db, id, term, c->today, c->now, &mv->carried_to, c->err)) !=
		     RPC_OK ||
	     (rc = audit_record_also(c, "task", mv->carried_to, NULL)) != RPC_OK))
		return rc;
	if ((rc = db_task_move(c->db, id, mv, c->now, c->err)) != RPC_OK)
		return rc;
	return db_task_pack(c->db, id, c->today, false, c->pk, c->err);
}

/* ---- the rules other methods ask of the state ---- */

int workflow_may_update(struct call *c, int64_t task, bool substance)
{
	struct task_status ts;
	enum task_state s;
	int rc;

	if ((rc = load(c, task, &ts, &s)) != RPC_OK)
		return rc;
	if (s == TS_REGISTERED || s == TS_RETURNED)
		return RPC_OK;
	if (FINAL & BIT(s))
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; a finished task does not change",
				  (long long)task, workflow_state_name(s));
	if (substance && ((AMENDABLE | BIT(TS_REPORTED_DONE)) & BIT(s)))
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; its title, product and due date now change "
				  "only by an amendment the managing body approves "
				  "(amendment.propose%s)",
				  (long long)task, workflow_state_name(s),
				  s == TS_REPORTED_DONE ? ", once it is sent back" : "");
	if (c->who->role == ROLE_ADMIN)
		return RPC_OK;
	return errors_set(c->err, RPC_CONFLICT,
			  "task: task %lld is %s; after review only an admin corrects it "
			  "(the focal point may return it to you)",
			  (long long)task, workflow_state_name(s));
}

int workflow_may_amend(struct call *c, int64_t task)
{
	struct task_status ts;
	enum task_state s;
	int rc;

	if ((rc = load(c, task, &ts, &s)) != RPC_OK)
		return rc;
	if (AMENDABLE & BIT(s))
		return RPC_OK;
	if (FINAL & BIT(s))
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; a finished task does not change",
				  (long long)task, workflow_state_name(s));
	return errors_set(c->err, RPC_CONFLICT,
			  "task: task %lld is %s; amendments are for assigned and in_progress "
			  "tasks (%s)",
			  (long long)task, workflow_state_name(s),
			  s == TS_REPORTED_DONE ? "send it back first"
						: "before assignment change it with task.update");
}

int workflow_may_plan(struct call *c, int64_t task)
{
	struct task_status ts;
	enum task_state s;
	int rc;

	if ((rc = load(c, task, &ts, &s)) != RPC_OK)
		return rc;
	if (FINAL & BIT(s))
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; the plan of a finished task does not change",
				  (long long)task, workflow_state_name(s));
	return RPC_OK;
}

int workflow_before_progress(struct call *c, int64_t task)
{
	struct task_status ts;
	struct task_move mv = {0};
	enum task_state s;
	int rc;

	if ((rc = load(c, task, &ts, &s)) != RPC_OK)
		return rc;
	if (s == TS_IN_PROGRESS)
		return RPC_OK;
	if (s != TS_ASSIGNED)
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; progress is reported only on a task that "
				  "is assigned or in_progress",
				  (long long)task, workflow_state_name(s));
	/* The first report starts the work: assigned -> in_progress. */
	assert(transition_of("start")->from & BIT(s));
	mv.to = workflow_state_name(TS_IN_PROGRESS);
	return db_task_move(c->db, task, &mv, c->now, c->err);
}

/* ---- the handlers: read the params, then move() ---- */

static const char *const ratings[] = {"excellent", "good", "done", "not_done", NULL};

/* Reads `task` and one text field `key` (required: a non-empty reason). */
static int read_task_text(struct call *c, const char *key, bool required, int64_t *id,
			  struct text *out)
{
	struct params p;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, id);
	if (key)
		params_text(&p, key, required ? P_REQUIRED : P_OPTIONAL, P_LONG_MAX, required, out);
	return params_end(&p);
}

/* registered -> reviewed */
int task_review(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, "note", false, &id, &mv.note)) != RPC_OK)
		return rc;
	return move(c, "review", id, &mv, 0);
}

/* registered | reviewed -> returned */
int task_return(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, "reason", true, &id, &mv.note)) != RPC_OK)
		return rc;
	return move(c, "return", id, &mv, 0);
}

/* returned -> registered */
int task_resubmit(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, NULL, false, &id, NULL)) != RPC_OK)
		return rc;
	return move(c, "resubmit", id, &mv, 0);
}

/* registered | reviewed -> assigned, with the decision */
int task_assign(struct call *c)
{
	struct params p;
	struct task_move mv = {0};
	char date[DATE_LEN];
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &id);
	params_name(&p, "decision_no", P_REQUIRED, &mv.decision_no);
	if (params_date(&p, "decision_date", P_REQUIRED, date))
		mv.decision_date = date;
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return move(c, "assign", id, &mv, 0);
}

/* assigned -> in_progress */
int task_start(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, NULL, false, &id, NULL)) != RPC_OK)
		return rc;
	return move(c, "start", id, &mv, 0);
}

/* in_progress -> reported_done */
int task_report_done(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, "summary", true, &id, &mv.note)) != RPC_OK)
		return rc;
	return move(c, "report_done", id, &mv, 0);
}

/* reported_done -> accepted, with a rating */
int task_accept(struct call *c)
{
	struct params p;
	struct task_move mv = {0};
	int64_t id = 0;
	int i = 0, rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &id);
	if (params_enum(&p, "rating", P_REQUIRED, ratings, &i))
		mv.rating = ratings[i];
	params_long(&p, "comment", P_OPTIONAL, &mv.note);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	return move(c, "accept", id, &mv, 0);
}

/* reported_done -> in_progress */
int task_send_back(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, "reason", true, &id, &mv.note)) != RPC_OK)
		return rc;
	return move(c, "send_back", id, &mv, 0);
}

/* registered | reviewed | returned | assigned | in_progress -> cancelled */
int task_cancel(struct call *c)
{
	struct task_move mv = {0};
	int64_t id = 0;
	int rc;

	if ((rc = read_task_text(c, "reason", true, &id, &mv.note)) != RPC_OK)
		return rc;
	return move(c, "cancel", id, &mv, 0);
}

/* assigned | in_progress -> carried_over, and the copy in `term` */
int task_carry_over(struct call *c)
{
	struct params p;
	struct task_move mv = {0};
	struct ref term;
	int64_t id = 0, term_id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &id);
	params_ref(&p, "term", P_REQUIRED, &term);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_term_resolve(c->db, "term", &term, &term_id, c->err)) != RPC_OK)
		return rc;
	return move(c, "carry_over", id, &mv, term_id);
}

/* ---- the state, for the supervision methods ---- */

int workflow_state(struct call *c, int64_t task, enum task_state *s)
{
	struct task_status ts;

	return load(c, task, &ts, s);
}

bool workflow_is_final(enum task_state s)
{
	return (FINAL & BIT(s)) != 0;
}
