/*
 * views.h: what each kind of object shows to people: the lines of its
 * record, its nested lists and its columns in a list.  Pure data, applied
 * by render.c.  Labels are written in English, marked N_(), and shown in
 * the language in force (Vietnamese unless asked otherwise; lang.h), their
 * Vietnamese in lang_vi.c, in the words of docs/glossary.md.
 */
#ifndef DOTPHA_VIEWS_H
#define DOTPHA_VIEWS_H

#include "render.h"

extern const struct render_view views_server;
extern const struct render_view views_unit;
extern const struct render_view views_cadre;
extern const struct render_view views_term;
extern const struct render_view views_task;
extern const struct render_view views_update;
extern const struct render_view views_appraisal; /* inbox.get's updates to appraise */
extern const struct render_view views_step;
extern const struct render_view views_reminder;
extern const struct render_view views_amendment;
extern const struct render_view views_whoami;
extern const struct render_view views_account;
extern const struct render_view views_token;
/* throttle.list (columns) and throttle.clear (record) */
extern const struct render_view views_throttle;
extern const struct render_view views_notify;
extern const struct render_view views_audit;
extern const struct render_view views_audit_verify;
extern const struct render_view views_history;
extern const struct render_view views_explanation;
extern const struct render_view views_inspection;
extern const struct render_view views_action;
extern const struct render_view views_followup;
/* The board (record: the counts; columns: units, then needs_action) and a
 * cadre's record (record: who and when; columns: the tasks). */
extern const struct render_view views_board_counts;
extern const struct render_view views_board_units;
extern const struct render_view views_board_action;
extern const struct render_view views_record;
extern const struct render_view views_file;
/* search: the tasks found, with where and a snippet */
extern const struct render_view views_search;
/* Reports (report.c): report.get's parts, snapshots and their comparison. */
extern const struct render_view views_report_summary;
extern const struct render_view views_report_units;
extern const struct render_view views_report_bodies;
extern const struct render_view views_report_fields;
extern const struct render_view views_report_states;
extern const struct render_view views_report_overdue;
extern const struct render_view views_report_stalled;
extern const struct render_view views_snapshot;
extern const struct render_view views_compare_summary;
extern const struct render_view views_compare_units;

#endif
