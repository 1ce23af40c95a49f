/*
 * clock.c: the server's clock, an offset over the system's time.  One
 * process-wide value: the daemon is one process with one clock, and tests
 * that run the dispatcher in-process set it the same way.
 */
#include "clock.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "date.h"

static time_t offset; /* seconds added to the system's time */
static bool set;      /* clock_set() was called since the last reset */
static char zone[64]; /* what clock_set_zone() set */

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

/* Whether tz is a POSIX TZ string with an offset: a name of 3 or more
 * letters (or <...>), then a signed hour ("UTC0", "ICT-7", "<+07>-7"). */
static bool posix_tz(const char *tz)
{
	const char *p = tz;

	if (*p == '<') {
		if (!(p = strchr(p, '>')) || p - tz < 4)
			return false;
		p++;
	} else {
		while (isalpha((unsigned char)*p))
			p++;
		if (p - tz < 3)
			return false;
	}
	if (*p == '+' || *p == '-')
		p++;
	if (!isdigit((unsigned char)*p))
		return false;
	for (; *p; p++) /* the rest: summer time's name, offset and rules */
		if (!isalnum((unsigned char)*p) && !strchr("<>+-:,./", *p))
			return false;
	return true;
}

int clock_set_zone(const char *name, char *why, size_t whylen)
{
	const char *tz = date_posix_zone(name);
	char path[128];

	if (strlen(name) >= sizeof(zone) || !*name) {
		snprintf(why, whylen, "'%s' is not a time zone", name);
		return -1;
	}
	if (tz == name && strcmp(name, "UTC") != 0 && !posix_tz(name)) {
		/* An IANA name: its file must be there, or glibc takes UTC. */
		snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
		if (name[0] == '/' || strstr(name, "..") || access(path, R_OK) != 0) {
			snprintf(why, whylen,
				 "unknown time zone '%s' (no %s; give an IANA name such as "
				 "Asia/Ho_Chi_Minh, or a POSIX TZ string such as <+07>-7)",
				 name, path);
			return -1;
		}
	}
	if (setenv("TZ", tz, 1) != 0) {
		snprintf(why, whylen, "cannot set TZ");
		return -1;
	}
	tzset();
	snprintf(zone, sizeof(zone), "%s", name);
	return 0;
}

const char *clock_zone(void)
{
	return zone;
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
