/*
 * mail_config.c: see mail_config.h.
 */
#include "mail_config.h"

#include <stdio.h>
#include <string.h>

#define DIGEST_DEFAULT 450 /* 07:30, when an office opens its mail */

static struct mail_config config = {.digest_minute = DIGEST_DEFAULT, .host = "localhost"};

void mail_config_set(const struct mail_config *c)
{
	config = *c;
}

const struct mail_config *mail_config(void)
{
	return &config;
}

bool mail_configured(void)
{
	return config.via != MAIL_NONE;
}

time_t mail_config_digest_today(time_t now)
{
	struct tm tm;

	localtime_r(&now, &tm);
	tm.tm_hour = config.digest_minute / 60;
	tm.tm_min = config.digest_minute % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

time_t mail_config_next_digest(time_t now)
{
	time_t at = mail_config_digest_today(now);
	struct tm tm;

	if (at > now)
		return at;
	localtime_r(&now, &tm);
	tm.tm_mday += 1; /* mktime carries into the next month */
	tm.tm_hour = config.digest_minute / 60;
	tm.tm_min = config.digest_minute % 60;
	tm.tm_sec = 0;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

int mail_config_parse_hhmm(const char *s)
{
	int h, m, n = 0;

	if (sscanf(s, "%2d:%2d%n", &h, &m, &n) != 2 || s[n] != '\0' || n != 5 || h < 0 || h > 23 ||
	    m < 0 || m > 59)
		return -1;
	return h * 60 + m;
}
