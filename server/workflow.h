/*
 * workflow.h: the task workflow's states and the rules the other task
 * methods ask of it (task.update, update.create).  The state machine itself,
 * its table and the handlers of its methods are in workflow.c.
 */
#ifndef DOTPHA_WORKFLOW_H
#define DOTPHA_WORKFLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "dispatch.h"

/* The states of a task, as stored in tasks.state (db_schema.c, 3). */
enum task_state {
	TS_REGISTERED,
	TS_REVIEWED,
	TS_RETURNED,
	TS_ASSIGNED,
	TS_IN_PROGRESS,
	TS_REPORTED_DONE,
	TS_ACCEPTED,
	TS_CANCELLED,
	TS_CARRIED_OVER,
	TS_COUNT
};

/* The stored name of a state ("in_progress"), and back (-1 if none). */
const char *workflow_state_name(enum task_state s);
int workflow_state_of(const char *name);

/* NULL-terminated list of the state names, for task.list's filter. */
extern const char *const workflow_state_names[];

/* task.update's rule: a task changes freely while registered or returned.
 * Once assigned (and not finished) its substance (title, product, due
 * date) changes only by an approved amendment; its other fields, like a
 * reviewed task's, only by an admin.  Final tasks do not change.  RPC_OK,
 * or conflict with err set. */
int workflow_may_update(struct call *c, int64_t task, bool substance);

/* amendment.propose's rule: the task is assigned or in_progress. */
int workflow_may_amend(struct call *c, int64_t task);

/* plan.add, plan.update and plan.remove's rule: the steps of a task
 * change in any state but a final one (accepted, cancelled,
 * carried_over).  RPC_OK, or conflict with err set. */
int workflow_may_plan(struct call *c, int64_t task);

/* The managing-body rule for other methods: task in the caller's scope
 * (else not_found), then an admin, or a supervisor whose scope holds the
 * unit that assigned the task; otherwise forbidden naming `method`. */
int workflow_is_managing(struct call *c, const char *method, int64_t task);

/* update.create's rule: progress is reported on an assigned task (which
 * this moves to in_progress) or one in progress; any other state is a
 * conflict with err set. */
int workflow_before_progress(struct call *c, int64_t task);

/* The supervisor's rule (reminders, appraisals, explanations,
 * inspections, follow-ups): task in the caller's scope (else not_found),
 * then the task's focal point, an admin, or the managing body; otherwise
 * forbidden naming `method`. */
int workflow_is_supervising(struct call *c, const char *method, int64_t task);

/* For a record (noun, id) that belongs to task `task`: RPC_OK when the
 * task is in the caller's scope, else the not_found of a record that does
 * not exist ("explanation: no explanation with id 7"). */
int workflow_record_in_scope(struct call *c, const char *noun, int64_t id, int64_t task);

/* The lists of the records hanging off tasks (reminder.list,
 * explanation.list, inspection.actions, followup.list): reads `task?`,
 * `open_only?` and, with overdue_filter, `overdue_only?`; a task must be
 * of the caller's scope (else not_found); lists the records of the
 * caller's scope. */
int workflow_list_records(struct call *c, bool overdue_filter, record_lister list);

/* The state of task id for a caller that sees it (else not_found). */
int workflow_state(struct call *c, int64_t task, enum task_state *s);

/* Whether nothing leaves state s (accepted, cancelled, carried_over). */
bool workflow_is_final(enum task_state s);

#endif
