/*
 * db_digest.h: what a daily digest tells an account (db_digest.c,
 * migration 17's `digests`).  An office hears what waits on it: reminders
 * not answered, explanation requests open, inspection actions due within
 * DIGEST_ACTION_DAYS days or overdue, its tasks due within DIGEST_DUE_DAYS
 * days, stalled or overdue.  A supervisor or an admin (a focal point)
 * hears what waits on others: the reminders it sent that are past their
 * date, the progress updates of its tasks waiting for its appraisal, and
 * the tasks of its scope that turned overdue or stalled since its last
 * digest.  A viewer gets none.
 */
#ifndef DOTPHA_DB_DIGEST_H
#define DOTPHA_DB_DIGEST_H

#include "db.h"

#define DIGEST_SHOW_MAX 20   /* items shown per section; the rest are counted */
#define DIGEST_DUE_DAYS 30   /* an office's tasks due within this many days */
#define DIGEST_ACTION_DAYS 7 /* inspection actions due within this many days */

/* An account a digest is due for on a day. */
struct digest_account {
	int64_t id;
	int64_t scope;          /* unit id, 0 for the whole tree */
	bool office;            /* an office's digest, else a supervisor's */
	char login[64];
	char display_name[256];
	char email[256];
	char last_day[11];      /* the day of its previous digest, "" if none */
};

enum digest_section {
	DIGEST_REMINDERS,      /* office: reminders not answered */
	DIGEST_EXPLANATIONS,   /* office: explanation requests not answered */
	DIGEST_ACTIONS,        /* office: inspection actions due or overdue */
	DIGEST_TASKS,          /* office: tasks due soon, stalled or overdue */
	DIGEST_LATE_REMINDERS, /* supervisor: its reminders past their date */
	DIGEST_APPRAISALS,     /* supervisor: updates waiting for its appraisal */
	DIGEST_TURNED,         /* supervisor: tasks turned overdue or stalled */
	DIGEST_SECTIONS
};

/* One line of a digest.  Strings owned by the digest. */
struct digest_item {
	int64_t id;        /* the reminder, explanation, action, update or task */
	int64_t task_id;
	char *title;       /* the task's title */
	char *text;        /* the message, question or action; "" for a task */
	char date[11];     /* answer-by or due date; an update's day */
	char what[16];     /* "overdue", "open"; a task's "overdue", "stalled", "due" */
	int64_t days;      /* days late, days without an update, an update's percent */
};

struct digest {
	struct digest_item items[DIGEST_SECTIONS][DIGEST_SHOW_MAX];
	size_t n[DIGEST_SECTIONS];       /* shown */
	int64_t total[DIGEST_SECTIONS];  /* there are */
};

/* The accounts whose digest of `day` is not made yet: active, with an
 * address, notify 'digest' or 'both', not viewers.  A new array *out of
 * *n (free()). */
int db_digest_accounts(struct db *db, const char *day, struct digest_account **out, size_t *n,
		       struct rpc_error *err);

/* Fills *d (zeroed first) with what account a's digest of `day` says.
 * db_digest_free frees its strings. */
int db_digest_collect(struct db *db, const struct digest_account *a, const char *day,
		      struct digest *d, struct rpc_error *err);
void db_digest_free(struct digest *d);

/* Items in d, all sections. */
int64_t db_digest_count(const struct digest *d);

/* Records account's digest of day with its number of items, unless one is
 * recorded already: *fresh says whether this call recorded it. */
int db_digest_record(struct db *db, int64_t account, const char *day, int64_t items,
		     const char *now, bool *fresh, struct rpc_error *err);

/* The latest made_at of any digest, "" when none was made. */
int db_digest_last(struct db *db, char out[24], struct rpc_error *err);

#endif
