/*
 * supervision.h: who may act on a task as its managing body or its
 * supervisor, and the scope of the records hanging off tasks
 * (supervision.c).  Every check answers a task out of the caller's scope
 * with the not_found of a task that does not exist.
 */
#ifndef DOTPHA_SUPERVISION_H
#define DOTPHA_SUPERVISION_H

#include <stdbool.h>
#include <stdint.h>

#include "dispatch.h"

struct task_status; /* db_task.h */

/* The managing-body rule on a task loaded by a caller that sees it: an
 * admin, or a supervisor whose scope holds the unit that assigned the
 * task (ts->assigned_by); otherwise forbidden naming the method
 * (c->method).  The caller is an admin or a supervisor (the method
 * table's roles). */
int supervision_check_managing(struct call *c, int64_t id, const struct task_status *ts);

/* The managing-body rule for other methods: task in the caller's scope
 * (else not_found), then an admin, or a supervisor whose scope holds the
 * unit that assigned the task; otherwise forbidden naming the method (c->method). */
int supervision_is_managing(struct call *c, int64_t task);

/* The supervisor's rule (reminders, appraisals, explanations,
 * inspections, follow-ups): task in the caller's scope (else not_found),
 * then the task's focal point, an admin, or the managing body; otherwise
 * forbidden naming the method (c->method). */
int supervision_is_supervising(struct call *c, int64_t task);

/* For a record (noun, id) that belongs to task `task`: RPC_OK when the
 * task is in the caller's scope, else the not_found of a record that does
 * not exist ("explanation: no explanation with id 7"). */
int supervision_record_in_scope(struct call *c, const char *noun, int64_t id, int64_t task);

/* The lists of the records hanging off tasks (reminder.list,
 * explanation.list, inspection.actions, followup.list): reads `task?`,
 * `open_only?` and, with overdue_filter, `overdue_only?`; a task must be
 * of the caller's scope (else not_found); lists the records of the
 * caller's scope. */
int supervision_list_records(struct call *c, bool overdue_filter, record_lister list);

#endif
