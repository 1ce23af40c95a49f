/*
 * db_facts.h: a task's status and health judged in C from its facts (the
 * state, the counted percent, the moments that matter, the due date in
 * force, the start, the plan's dated steps) and a date, with the very rules
 * db_health.h writes in SQL.  The SQL stays the reference: tests/test_facts.c
 * drives random histories through the real methods and checks, for random
 * cut-off dates, that this judgement of the facts agrees with it field by
 * field.  db_facts_today() reads the facts the writes keep for today.
 */
#ifndef DOTPHA_DB_FACTS_H
#define DOTPHA_DB_FACTS_H

#include <stdbool.h>
#include <stdint.h>

#include "date.h"
#include "db.h"

/* What a task's status and health on a date follow from.  Text fields are
 * empty when there is nothing (no state yet, no counted update...). */
struct task_facts {
	char state[16];                 /* the state on the date; "" before the task existed */
	char rating[12];                /* the rating with that state, "" for none */
	int percent;                    /* of the newest counted update, 0 when none counts */
	char last_at[TIMESTAMP_LEN];    /* the newest counted update's moment, "" for none */
	char done_at[TIMESTAMP_LEN];    /* the newest report of completion, else acceptance */
	char assigned_at[TIMESTAMP_LEN]; /* the newest assignment, "" for none */
	char due[DATE_LEN];             /* the due date in force */
	char start[DATE_LEN];           /* the decision date, else the term's start */
	int steps;                      /* the plan's dated steps that count */
	int steps_due;                  /* of those, due on or before the date */
};

/* A task's status and health on a date, as task.get says them: status and
 * health NULL when nil (static strings otherwise); why, days, percent and
 * planned as health_why, health_days, health_percent, health_planned, with
 * has_days, has_percent, has_planned false where those are nil. */
struct task_judgement {
	const char *status;
	const char *health;
	const char *why;
	int64_t days, percent, planned;
	bool has_days, has_percent, has_planned;
};

/* Judges facts f on local date `date` (ISO) with the thresholds of
 * db_health_set(); fills *out.  Pure: no database, no clock. */
void db_facts_judge(const struct task_facts *f, const char *date, struct task_judgement *out);

/* The local days of f's moments, "" where there is none (or it is not a
 * moment: SQL's date() of it is NULL), and whether there is a counted
 * update at all. */
struct task_days {
	char done[DATE_LEN], last[DATE_LEN], assigned[DATE_LEN];
	bool has_last;
};

/* db_facts_judge with the local days of f's moments given (the moments
 * themselves are then not read): for a caller that has them at hand
 * without the text, as a report over every task of the country. */
void db_facts_judge_days(const struct task_facts *f, const struct task_days *days,
			 const char *date, struct task_judgement *out);

/* The day a task's quiet time counts from: its last counted update's
 * local day, else its assignment's, else its start. */
void db_facts_quiet_since(const struct task_facts *f, char out[DATE_LEN]);

/* The local day of a stored UTC moment "YYYY-MM-DDTHH:MM:SSZ" into out;
 * returns -1 (out empty) when it is not one. */
int db_facts_local_day(const char *moment, char out[DATE_LEN]);

/* Reads the facts of task `id` for local date `today` (the state, rating,
 * percent and moments as the writes keep them now: no past cut-off) into
 * *out.  RPC_OK, not_found, or the database's error in err. */
int db_facts_today(struct db *db, int64_t id, const char *today, struct task_facts *out,
		   struct rpc_error *err);

/* What a task's row says besides its facts, for db_kept.c: where it
 * stands now (unit, term, owner and the owner's managing body, field,
 * kind), and what the row keeps ("" for none): the moments, the day quiet
 * time counts from, the judgement and what it is counted as. */
struct task_kept {
	int64_t unit_id, term_id, owner_id, managing_id;
	char field[20];
	char kind[16];
	char done_at[TIMESTAMP_LEN];
	char assigned_at[TIMESTAMP_LEN];
	char quiet_since[DATE_LEN];
	char status[16];
	char health[10];
	char counted[160];
};

/* db_facts_today, and into *kept (when not NULL) what the row keeps. */
int db_facts_now(struct db *db, int64_t id, const char *today, struct task_facts *out,
		 struct task_kept *kept, struct rpc_error *err);

#endif
