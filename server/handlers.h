/*
 * handlers.h: the handler functions the method table in dispatch.c binds,
 * one per catalogue method, each defined in the file of its noun
 * (info.c, unit.c, cadre.c, term.c, task.c, workflow.c, update.c, plan.c, reminder.c,
 * amendment.c, appraisal.c, explanation.c, inspection.c, followup.c, board.c, file.c,
 * backup.c, throttle.c).
 * The contract is
 * dispatch_handler's: validate c->params, do the work through db.h, pack one
 * result value into c->pk, return RPC_OK or an error code with c->err set.
 */
#ifndef DOTPHA_HANDLERS_H
#define DOTPHA_HANDLERS_H

#include "dispatch.h"
#include "params.h"

/* The params of a task's paged list (update.list, task.history): `task`,
 * visible in the caller's scope, and the page.  RPC_OK or the error
 * (task.c). */
int task_page_params(struct call *c, int64_t *task, struct page *pg);

int info_server(struct call *c);

int session_auth(struct call *c);
int session_whoami(struct call *c);

int account_create(struct call *c);
int account_update(struct call *c);
int account_get(struct call *c);
int account_list(struct call *c);
int token_create(struct call *c);
int token_rotate(struct call *c);
int token_revoke(struct call *c);
int token_list(struct call *c);

int audit_list(struct call *c);
int audit_verify(struct call *c);
int task_history(struct call *c);

int unit_create(struct call *c);
int unit_rename(struct call *c);
int unit_move(struct call *c);
int unit_close(struct call *c);
int unit_get(struct call *c);
int unit_list(struct call *c);

int cadre_create(struct call *c);
int cadre_update(struct call *c);
int cadre_transfer(struct call *c);
int cadre_get(struct call *c);
int cadre_list(struct call *c);

int term_create(struct call *c);
int term_get(struct call *c);
int term_list(struct call *c);

/* The shape of the methods that list what hangs off one task (plan.list,
 * amendment.list; task.history is paged and has its own): reads `task`,
 * answers not_found for a task out of the caller's scope as for one that
 * does not exist, then packs what `list` packs for it.  In task.c. */
typedef int (*task_lister)(struct db *db, int64_t task, msgpack_packer *pk,
			   struct rpc_error *err);
int task_list_of(struct call *c, task_lister list);

int task_create(struct call *c);
int task_update(struct call *c);
int task_get(struct call *c);
int task_list(struct call *c);

/* The workflow's transitions (workflow.c). */
int task_review(struct call *c);
int task_return(struct call *c);
int task_resubmit(struct call *c);
int task_assign(struct call *c);
int task_start(struct call *c);
int task_report_done(struct call *c);
int task_accept(struct call *c);
int task_send_back(struct call *c);
int task_cancel(struct call *c);
int task_carry_over(struct call *c);

int update_create(struct call *c);
int update_list(struct call *c);

int plan_add(struct call *c);
int plan_update(struct call *c);
int plan_remove(struct call *c);
int plan_list(struct call *c);

int task_set_focal_point(struct call *c);
int reminder_send(struct call *c);
int reminder_answer(struct call *c);
int reminder_list(struct call *c);
int reminder_inbox(struct call *c);

int amendment_propose(struct call *c);
int amendment_approve(struct call *c);
int amendment_reject(struct call *c);
int amendment_list(struct call *c);
/* The supervisor's records on a task (appraisal.c, explanation.c,
 * inspection.c, followup.c). */
int update_accept(struct call *c);
int update_return(struct call *c);
int explanation_request(struct call *c);
int explanation_answer(struct call *c);
int explanation_list(struct call *c);
int inspection_record(struct call *c);
int inspection_list(struct call *c);
int inspection_action_done(struct call *c);
int inspection_actions(struct call *c);
int followup_schedule(struct call *c);
int followup_record(struct call *c);
int followup_list(struct call *c);
/* Status, health and the board (board.c). */
int board_get(struct call *c);
int cadre_record(struct call *c);
/* Evidence files (file.c). */
int file_upload_begin(struct call *c);
int file_upload_chunk(struct call *c);
int file_upload_finish(struct call *c);
int file_upload_abort(struct call *c);
int file_list(struct call *c);
int file_get(struct call *c);
int file_read(struct call *c);
int file_withdraw(struct call *c);
/* Search (search.c). */
int search_query(struct call *c);

/* Backups (backup.c). */
int backup_create(struct call *c);
int backup_read(struct call *c);
int backup_drop(struct call *c);

/* The throttle of failed sign-ins (throttle.c): on the loop, never SLOW. */
int throttle_list(struct call *c);
int throttle_clear(struct call *c);
/* Import and export (import.c). */
int import_run(struct call *c);
int export_rows(struct call *c);
/* Reports (report.c, report_compare.c). */
int report_get(struct call *c);
int report_snapshot(struct call *c);
int report_snapshots(struct call *c);
int report_compare(struct call *c);

#endif
