/*
 * fmt.c: see fmt.h.
 */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
#include "lang.h"

void fmt_set_zone(const char *zone)
{
	if (!zone || !*zone)
		zone = FMT_DEFAULT_ZONE;
	setenv("TZ", date_posix_zone(zone), 1);
	tzset();
}

/* Appends the digits of v, grouped by three with sep when v is large. */
static void grouped(struct strbuf *sb, uint64_t v, bool minus)
{
	char digits[24];
	int n = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	char sep = lang_current() == LANG_VI ? '.' : ',';

	if (minus)
		strbuf_addc(sb, '-');
	for (int i = 0; i < n; i++) {
		if (v >= FMT_GROUP_FROM && i > 0 && (n - i) % 3 == 0)
			strbuf_addc(sb, sep);
		strbuf_addc(sb, digits[i]);
	}
}

void fmt_int(struct strbuf *sb, int64_t v)
{
	grouped(sb, v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v, v < 0);
}

void fmt_uint(struct strbuf *sb, uint64_t v)
{
	grouped(sb, v, false);
}

const char *fmt_int_s(int64_t v, char *out, size_t n)
{
	struct strbuf sb = STRBUF_INIT;

	fmt_int(&sb, v);
	snprintf(out, n, "%s", strbuf_cstr(&sb));
	strbuf_free(&sb);
	return out;
}

void fmt_decimal(struct strbuf *sb, double v, int decimals)
{
	char buf[64], *dot;
	bool minus;

	if (decimals < 0)
		decimals = 0;
	if (decimals > 6)
		decimals = 6;
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	if (strspn(buf, "-0123456789.") != strlen(buf)) { /* inf, nan */
		strbuf_adds(sb, buf);
		return;
	}
	minus = buf[0] == '-';
	dot = strchr(buf, '.');
	grouped(sb, strtoull(buf + minus, NULL, 10), minus);
	if (dot) {
		strbuf_addc(sb, lang_current() == LANG_VI ? ',' : '.');
		strbuf_adds(sb, dot + 1);
	}
}

void fmt_percent_int(struct strbuf *sb, int64_t v)
{
	fmt_int(sb, v);
	strbuf_addc(sb, '%');
}

void fmt_percent(struct strbuf *sb, double v)
{
	fmt_decimal(sb, v, 1);
	strbuf_addc(sb, '%');
}

bool fmt_date(struct strbuf *sb, const char *s, size_t n)
{
	char iso[DATE_LEN], dmy[DATE_LEN];

	if (n != 10 || !date_valid(s, n))
		return false;
	memcpy(iso, s, 10);
	iso[10] = '\0';
	date_to_dmy(iso, dmy, sizeof(dmy));
	strbuf_adds(sb, dmy);
	return true;
}

static int two(const char *s)
{
	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	return (s[0] - '0') * 10 + (s[1] - '0');
}

bool fmt_moment(struct strbuf *sb, const char *s, size_t n, bool seconds)
{
	char out[64];
	int h, mi, se;
	time_t t;
	struct tm tm;

	if (n != 20 || !date_valid(s, 10) || s[10] != 'T' || s[13] != ':' || s[16] != ':' ||
	    s[19] != 'Z' || (h = two(s + 11)) < 0 || h > 23 || (mi = two(s + 14)) < 0 ||
	    mi > 59 || (se = two(s + 17)) < 0 || se > 60)
		return false;
	/* Days since the epoch make the UTC instant without timegm(), which
	 * Windows lacks. */
	t = (time_t)date_days(s) * 86400 + h * 3600 + mi * 60 + se;
#ifdef _WIN32
	localtime_s(&tm, &t);
#else
	localtime_r(&t, &tm);
#endif
	if (strftime(out, sizeof(out), seconds ? "%d/%m/%Y %H:%M:%S" : "%d/%m/%Y %H:%M", &tm) == 0)
		return false;
	strbuf_adds(sb, out);
	return true;
}
