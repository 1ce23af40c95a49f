/*
 * date.h: calendar dates as dotpha carries them.
 *
 * On the wire and in the database a date is the ISO string "YYYY-MM-DD" and
 * a moment is "YYYY-MM-DDTHH:MM:SSZ" (UTC).  People read and type dates as
 * dd/mm/yyyy; the client converts at its edge.  Buffers are DATE_LEN bytes.
 */
#ifndef DOTPHA_DATE_H
#define DOTPHA_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define DATE_LEN 11      /* "YYYY-MM-DD" and NUL */
#define TIMESTAMP_LEN 21 /* "YYYY-MM-DDTHH:MM:SSZ" and NUL */

/* True if s[0..n) is exactly "YYYY-MM-DD" and a real day (years 1900-2999). */
bool date_valid(const char *s, size_t n);

/* Accepts "dd/mm/yyyy" (d/m too), "dd-mm-yyyy" or "yyyy-mm-dd"; writes the ISO
 * form to out.  Returns 0, or -1 if it is not a real date. */
int date_parse(const char *in, char out[DATE_LEN]);

/* Writes "dd/mm/yyyy" for an ISO date, or copies the input if it is not one. */
void date_to_dmy(const char *iso, char *out, size_t n);

/* The zone both programs take as local when none is configured. */
#define DATE_DEFAULT_ZONE "Asia/Ho_Chi_Minh"

/* The TZ value for a zone: Vietnam's own names (Asia/Ho_Chi_Minh,
 * Asia/Saigon) become the POSIX string "<+07>-7", which needs no tz
 * database (Windows and a minimal container lack one): Vietnam has kept
 * UTC+7, without summer time, since 1975.  Any other zone is returned as
 * given. */
const char *date_posix_zone(const char *zone);

/* Today in the local time zone, ISO form. */
void date_today(char out[DATE_LEN]);

/* The ISO date of a moment t in the local time zone. */
void date_of(time_t t, char out[DATE_LEN]);

/* The UTC timestamp of t. */
void date_timestamp(time_t t, char out[TIMESTAMP_LEN]);

/* Days since 1970-01-01 for a valid ISO date. */
long date_days(const char *iso);

/* The ISO date `days` after 1970-01-01. */
void date_from_days(long days, char out[DATE_LEN]);

#endif
