/*
 * db_health.c: the two thresholds of a task's health (db_health.h) and the
 * SQL functions through which every query reads them.  Process-wide, like
 * the clock: the daemon sets them once from its options.
 */
#include "db_health.h"
#include "db_internal.h"

#include <string.h>

#include "clock.h"
#include "date.h"

static int stalled_days = DB_HEALTH_STALLED_DAYS;
static bool reference_only;
static int at_risk_margin = DB_HEALTH_AT_RISK_MARGIN;

void db_health_set(int stalled, int margin)
{
	stalled_days = stalled;
	at_risk_margin = margin;
}

int db_health_stalled_days(void)
{
	return stalled_days;
}

int db_health_at_risk_margin(void)
{
	return at_risk_margin;
}

static void fn_stalled_days(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_int(ctx, stalled_days);
}

static void fn_at_risk_margin(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	(void)argc;
	(void)argv;
	sqlite3_result_int(ctx, at_risk_margin);
}

int db_health_functions(sqlite3 *conn)
{
	/* Not SQLITE_DETERMINISTIC: the value changes when the daemon's
	 * options (or a test) set it, and no index or CHECK may use it. */
	int rc = sqlite3_create_function(conn, "dp_stalled_days", 0, SQLITE_UTF8, NULL,
					 fn_stalled_days, NULL, NULL);

	if (rc == SQLITE_OK)
		rc = sqlite3_create_function(conn, "dp_at_risk_margin", 0, SQLITE_UTF8, NULL,
					     fn_at_risk_margin, NULL, NULL);

	return rc;
}

void db_health_reference_only(bool on)
{
	reference_only = on;
}

bool db_health_reference(void)
{
	return reference_only;
}

bool db_health_kept(const char *as_of)
{
	char today[DATE_LEN];

	if (reference_only)
		return false;
	date_of(clock_now(), today);
	return strcmp(as_of, today) >= 0;
}
