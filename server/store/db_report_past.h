/*
 * db_report_past.h: report.get as of a past date (PROTOCOL.md 6i) from the
 * tasks' timelines (db_timeline.h) in one pass, judged by db_facts_judge
 * and gathered in C: the same bytes as db_report.c's reference SQL, which
 * reads every task's whole history (tests/test_facts.c holds the two
 * together on random histories and cut-off dates).
 */
#ifndef DOTPHA_DB_REPORT_PAST_H
#define DOTPHA_DB_REPORT_PAST_H

#include <stdbool.h>

#include "db.h"

/* A report's selection, as db_report.h's struct report_filter (which
 * db_report.c, the one caller, copies here: this header stays below it),
 * with units_max, its REPORT_UNITS_MAX. */
struct past_selection {
	const char *as_of;
	int64_t scope, unit, term; /* 0: none */
	int64_t limit;             /* of the overdue and stalled lists; negative: all */
	int64_t depth;             /* units listed down to this level; -1: as units_max allows */
	int64_t units_max;
};

/* Packs the thirteen pairs of report.get's result, as db_report() does,
 * for a cut-off f->as_of before today.  *answered is false (nothing
 * packed, RPC_OK) when a timeline of the selection is missing or could not
 * be encoded: the caller then uses the SQL. */
int db_report_past(struct db *db, const struct past_selection *f, msgpack_packer *pk,
		   bool *answered, struct rpc_error *err);

#endif
