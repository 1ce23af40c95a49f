/*
 * date.c: see date.h.  Civil-calendar arithmetic follows Howard Hinnant's
 * days_from_civil, which needs no time zone and no libc extensions (the
 * client must build on Windows).
 */
#include "date.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static bool leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && leap(y) ? 29 : d[m - 1];
}

static bool real_day(int y, int m, int d)
{
	return y >= 1900 && y <= 2999 && m >= 1 && m <= 12 && d >= 1 && d <= days_in_month(y, m);
}

static int digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

bool date_valid(const char *s, size_t n)
{
	int y, m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return false;
	y = digits(s, 4);
	m = digits(s + 5, 2);
	d = digits(s + 8, 2);
	return y >= 0 && m >= 0 && d >= 0 && real_day(y, m, d);
}

int date_parse(const char *in, char out[DATE_LEN])
{
	size_t n = strlen(in);
	const char *p = in, *q;
	int parts[3], i = 0;

	if (date_valid(in, n)) {
		memcpy(out, in, DATE_LEN);
		return 0;
	}
	/* d/m/yyyy, dd/mm/yyyy, or with '-' or '.' as the separator */
	while (i < 3) {
		q = p;
		while (*q >= '0' && *q <= '9')
			q++;
		if (q == p || q - p > 4)
			return -1;
		parts[i++] = digits(p, (size_t)(q - p));
		if (i < 3) {
			if (*q != '/' && *q != '-' && *q != '.')
				return -1;
			p = q + 1;
		} else if (*q != '\0') {
			return -1;
		}
	}
	if (!real_day(parts[2], parts[1], parts[0]))
		return -1;
	snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)parts[2] % 10000u, (unsigned)parts[1] % 100u, (unsigned)parts[0] % 100u);
	return 0;
}

void date_to_dmy(const char *iso, char *out, size_t n)
{
	if (!iso || strlen(iso) < 10 || !date_valid(iso, 10)) {
		snprintf(out, n, "%s", iso ? iso : "");
		return;
	}
	snprintf(out, n, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
}

long date_days(const char *iso)
{
	int y = digits(iso, 4), m = digits(iso + 5, 2), d = digits(iso + 8, 2);
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void date_from_days(long z, char out[DATE_LEN])
{
	long era, doe, yoe, y, doy, mp, d, m;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	if (y < 0 || y > 9999)
		y = 0; /* outside any date dotpha stores */
	snprintf(out, DATE_LEN, "%04u-%02u-%02u", (unsigned)y % 10000u, (unsigned)m % 100u, (unsigned)d % 100u);
}

const char *date_posix_zone(const char *zone)
{
	if (strcasecmp(zone, "Asia/Ho_Chi_Minh") == 0 || strcasecmp(zone, "Asia/Saigon") == 0)
		return "<+07>-7"; /* POSIX: the sign is the offset *to* UTC */
	return zone;
}

void date_of(time_t t, char out[DATE_LEN])
{
	struct tm tm;

#ifdef _WIN32
	localtime_s(&tm, &t);
#else
	localtime_r(&t, &tm);
#endif
	strftime(out, DATE_LEN, "%Y-%m-%d", &tm);
}

void date_today(char out[DATE_LEN])
{
	date_of(time(NULL), out);
}

void date_timestamp(time_t t, char out[TIMESTAMP_LEN])
{
	struct tm tm;

#ifdef _WIN32
	gmtime_s(&tm, &t);
#else
	gmtime_r(&t, &tm);
#endif
	strftime(out, TIMESTAMP_LEN, "%Y-%m-%dT%H:%M:%SZ", &tm);
}
