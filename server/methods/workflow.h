/*
 * workflow.h: the task workflow's states and the rules the other task
 * methods ask of it (task.update, update.create).  The state machine itself,
 * its table and the handlers of its methods are in workflow.c; who may act
 * on a task as its managing body or supervisor is supervision.h.
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

/* update.create's rule: progress is reported on an assigned task (which
 * this moves to in_progress) or one in progress; any other state is a
 * conflict with err set. */
int workflow_before_progress(struct call *c, int64_t task);

/* The state of task id for a caller that sees it (else not_found). */
int workflow_state(struct call *c, int64_t task, enum task_state *s);

/* Whether nothing leaves state s (accepted, cancelled, carried_over). */
bool workflow_is_final(enum task_state s);

#endif
