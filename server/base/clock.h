/*
 * clock.h: the server's clock.  Every moment the daemon records or reads
 * "today" from comes from clock_now(), so a test or a trial can start the
 * daemon at a chosen moment (dotphad --clock) and see what the server would
 * say then.  A set clock keeps running from the moment it was set to.
 */
#ifndef DOTPHA_CLOCK_H
#define DOTPHA_CLOCK_H

#include <stdbool.h>
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

/* Parses "YYYY-MM-DD" (that day at 00:00:00) or "YYYY-MM-DDTHH:MM:SS",
 * both in the local time zone, into *out.  Returns 0, or -1 if it is not a
 * real moment. */
int clock_parse(const char *s, time_t *out);

#endif
