/*
 * fmt.h: numbers, dates and moments as a person reads them, in the
 * language in force (lang.h).  Vietnamese writes 12.345 and 67,3%, English
 * 12,345 and 67.3%: thousands are grouped from five digits on, so a year
 * or a four-digit count reads as it is typed.  Both languages write dates
 * dd/mm/yyyy (the province's users) and moments in local time, in the zone
 * fmt_set_zone() chose, never as a UTC moment with a Z.  --json output
 * never comes here: it is the server's data, exactly.
 */
#ifndef DOTPHA_FMT_H
#define DOTPHA_FMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "date.h"
#include "strbuf.h"

#define FMT_DEFAULT_ZONE DATE_DEFAULT_ZONE   /* the config's `timezone` when unset */
#define FMT_GROUP_FROM 10000                /* the least number written with groups */

/* Makes zone the local time of this process (TZ and tzset()): an IANA name
 * such as "Asia/Bangkok", or a POSIX TZ string ("UTC0"); Vietnam's own
 * names need no tz database (date_posix_zone).  NULL or "" means
 * FMT_DEFAULT_ZONE. */
void fmt_set_zone(const char *zone);

/* Appends a whole number: 12.345 (Vietnamese) or 12,345 (English). */
void fmt_int(struct strbuf *sb, int64_t v);
void fmt_uint(struct strbuf *sb, uint64_t v);

/* Appends v with `decimals` digits after the decimal comma (Vietnamese) or
 * point (English), the whole part grouped as fmt_int() does. */
void fmt_decimal(struct strbuf *sb, double v, int decimals);

/* Appends a percentage: a whole number as it is ("40%"), a fraction with
 * one decimal ("67,3%"). */
void fmt_percent_int(struct strbuf *sb, int64_t v);
void fmt_percent(struct strbuf *sb, double v);

/* The same into a buffer of n bytes (a message's argument); returns out. */
const char *fmt_int_s(int64_t v, char *out, size_t n);

/* Appends the ISO date s[0..n) as dd/mm/yyyy; false (nothing appended) if
 * it is not one. */
bool fmt_date(struct strbuf *sb, const char *s, size_t n);

/* Appends the UTC moment s[0..n) ("2024-03-05T02:10:00Z") in local time,
 * "05/03/2024 09:10" (with ":SS" when seconds); false (nothing appended)
 * if it is not one. */
bool fmt_moment(struct strbuf *sb, const char *s, size_t n, bool seconds);

#endif
