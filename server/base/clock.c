/*
 * clock.c: the server's clock, an offset over the system's time.  One
 * process-wide value: the daemon is one process with one clock, and tests
 * that run the dispatcher in-process set it the same way.
 */
#include "clock.h"

#include <stdio.h>
#include <string.h>

#include "date.h"

static time_t offset; /* seconds added to the system's time */
static bool set;      /* clock_set() was called since the last reset */

time_t clock_now(void)
{
	return time(NULL) + offset;
}

void clock_set(time_t at)
{
	offset = at - time(NULL);
	set = true;
}

void clock_reset(void)
{
	offset = 0;
	set = false;
}

bool clock_is_set(void)
{
	return set;
}

long long clock_offset(void)
{
	return (long long)offset;
}

int clock_parse(const char *s, time_t *out)
{
	struct tm tm;
	int h = 0, mi = 0, sec = 0, n = 0;
	size_t len = strlen(s);

	if (len < 10 || !date_valid(s, 10))
		return -1;
	if (len > 10 && (len != 19 || s[10] != 'T' ||
			 sscanf(s + 11, "%2d:%2d:%2d%n", &h, &mi, &sec, &n) != 3 || n != 8 ||
			 h > 23 || mi > 59 || sec > 59 || h < 0 || mi < 0 || sec < 0))
		return -1;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0') -
		     1900;
	tm.tm_mon = (s[5] - '0') * 10 + (s[6] - '0') - 1;
	tm.tm_mday = (s[8] - '0') * 10 + (s[9] - '0');
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	tm.tm_isdst = -1;
	*out = mktime(&tm);
	return *out == (time_t)-1 ? -1 : 0;
}
