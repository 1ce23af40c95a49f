/*
 * db_waiting.h: what waits for an account, counted (db_waiting.c): the
 * numbers session.auth gives with `waiting: true` and inbox.get lists
 * (PROTOCOL.md 6, session.auth).  The handler chooses by role which half
 * applies: an office's (what its scope must answer or do) or a focal
 * point's (what the account itself must appraise or chase).
 */
#ifndef DOTPHA_DB_WAITING_H
#define DOTPHA_DB_WAITING_H

#include "db.h"

/* The counts, each as PROTOCOL.md names it; 0 for what does not apply. */
struct waiting {
	int64_t reminders;         /* unanswered reminders of tasks of the scope */
	int64_t reminders_overdue; /* of those, answer_by before today */
	int64_t explanations;      /* unanswered explanation requests of the scope */
	int64_t actions;           /* inspection actions not done, due by `soon` */
	int64_t appraisals;        /* updates not appraised of the account's tasks as focal point */
	int64_t sent_overdue;      /* reminders the account sent, unanswered and overdue */
};

/* The office's half: the reminders, explanations and actions of the tasks
 * of scope's subtree (scope is an office's unit, never 0), as of today;
 * an action counts when it is not done and due on or before `soon`
 * (overdue ones included).  Adds to *w. */
int db_waiting_office(struct db *db, int64_t scope, const char *today, const char *soon,
		      struct waiting *w, struct rpc_error *err);

/* The focal point's half, for account with scope (0: the whole tree, an
 * admin): updates not yet appraised of the unfinished tasks of the scope
 * whose focal point it is, and the reminders it sent on tasks of the scope
 * that are unanswered with answer_by before today.  Adds to *w. */
int db_waiting_focal(struct db *db, int64_t account, int64_t scope, const char *today,
		     struct waiting *w, struct rpc_error *err);

/* Packs {items, total}: the updates db_waiting_focal counts in
 * `appraisals`, oldest first, each {id, task_id, task_title, percent,
 * done, reported_at}. */
int db_waiting_appraisals(struct db *db, int64_t account, int64_t scope, msgpack_packer *pk,
			  struct rpc_error *err);

#endif
