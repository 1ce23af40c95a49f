/*
 * clock.h: the server's clock.  Every moment the daemon records or reads
 * "today" from comes from clock_now(), so a test or a trial can start the
 * daemon at a chosen moment (dotphad --clock) and see what the server would
 * say then.  A set clock keeps running from the moment it was set to.
 */
#ifndef DOTPHA_CLOCK_H
#define DOTPHA_CLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* The server's time: the system's, plus the offset clock_set() chose. */
time_t clock_now(void);

/* Sets the clock so that it reads `at` now, and runs on from there. */
void clock_set(time_t at);

/* Back to the system's time. */
void clock_reset(void);

/* Whether the clock was set, and by how many seconds it differs from the
 * system's (0 when not set). */
bool clock_is_set(void);
long long clock_offset(void);

/* Makes `zone` the server's local time (TZ and tzset()) for every date it
 * records or judges ("today", a day of a moment, SQLite's 'localtime'),
 * whatever the machine's own zone: an IANA name whose file is in
 * /usr/share/zoneinfo, Vietnam's names without it (date_posix_zone), "UTC",
 * or a POSIX TZ string with an offset ("<+07>-7").  Call it before any
 * thread starts.  Returns 0, or -1 with a sentence in why (nothing
 * changed): glibc would silently take an unknown name for UTC. */
int clock_set_zone(const char *zone, char *why, size_t whylen);

/* The zone clock_set_zone() set ("" before). */
const char *clock_zone(void);

/* Parses "YYYY-MM-DD" (that day at 00:00:00) or "YYYY-MM-DDTHH:MM:SS",
 * both in the local time zone, into *out.  Returns 0, or -1 if it is not a
 * real moment. */
int clock_parse(const char *s, time_t *out);

#endif
