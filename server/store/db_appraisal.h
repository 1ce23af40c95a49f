/*
 * db_appraisal.h: the supervisor's verdict on a progress update
 * (db_appraisal.c).
 */
#ifndef DOTPHA_DB_APPRAISAL_H
#define DOTPHA_DB_APPRAISAL_H

#include "db.h"

/* The task of update id, and its verdict so far into verdict[len] ("" when
 * not appraised); not_found if there is no such update. */
int db_appraisal_of(struct db *db, int64_t update, int64_t *task, char *verdict, size_t len,
		    struct rpc_error *err);

/* Records the verdict ("accepted" | "returned") on update id; reason.s
 * NULL stores NULL.  conflict if it is appraised already. */
int db_appraisal_record(struct db *db, int64_t update, const char *verdict, struct text reason,
			int64_t by, const char *now, struct rpc_error *err);

#endif
