/*
 * db_report.h: report.get (db_report.c; PROTOCOL.md 6i).
 */
#ifndef DOTPHA_DB_REPORT_H
#define DOTPHA_DB_REPORT_H

#include "db.h"

/* A report's selection: the tasks of term within scope (0: all) and unit's
 * subtree (0: the scope's), on as_of; limit bounds the overdue and
 * stalled lists. */
struct report_filter {
	const char *as_of;
	int64_t scope, unit, term;
	int64_t limit;
	int64_t depth;   /* units listed down to this level below the base; -1: as
			  * many whole levels as REPORT_UNITS_MAX rows allow */
};

/* The units a report lists unless `depth` says: a province's whole tree,
 * the country's provinces (PROTOCOL.md 6i). */
#define REPORT_UNITS_MAX 1000

/* Packs the thirteen pairs of report.get's result after as_of, term and
 * unit (summary ... stalled_total). */
int db_report(struct db *db, const struct report_filter *f, msgpack_packer *pk,
	      struct rpc_error *err);

#endif
