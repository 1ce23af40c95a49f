/*
 * log.c: see log.h.  Each line is written with one fprintf so lines from
 * one process never interleave.  Two forms: for the journal, the syslog
 * priority and the message (journald stamps the time); anywhere else, the
 * local time with its UTC offset and the level's name.
 */
#include "log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>

static _Atomic int current_level = LOG_INFO; /* set on the loop (SIGHUP), read by workers */
static _Atomic int to_journal;               /* stderr is the journal's stream: log_init */
static const char *const names[] = {"debug", "info", "warn", "error"};
/* Each level's syslog priority (sd-daemon(3)): debug 7, info 6, warning 4,
 * error 3, read by journald from the "<N>" that starts a line. */
static const int priorities[] = {7, 6, 4, 3};

void log_init(void)
{
	const char *js = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;

	to_journal = js && sscanf(js, "%llu:%llu", &dev, &ino) == 2 &&
		     fstat(STDERR_FILENO, &st) == 0 && (unsigned long long)st.st_dev == dev &&
		     (unsigned long long)st.st_ino == ino;
}

bool log_to_journal(void)
{
	return to_journal;
}

int log_parse_level(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(s, names[i]) == 0)
			return i;
	return -1;
}

void log_set_level(int level)
{
	current_level = level;
}

int log_open_file(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	int saved;

	if (fd < 0)
		return -1;
	if (dup2(fd, STDERR_FILENO) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	to_journal = 0;
	return 0;
}

void log_msg(int level, const char *fmt, ...)
{
	char line[1024], stamp[32], zone[8];
	struct timeval tv;
	struct tm tm;
	va_list ap;

	if (level < current_level)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (to_journal) {
		fprintf(stderr, "<%d>%s\n", priorities[level], line);
		return;
	}
	gettimeofday(&tv, NULL);
	localtime_r(&tv.tv_sec, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm); /* "+0700": written "+07:00" */
	fprintf(stderr, "%s.%03d%.3s:%.2s %-5s %s\n", stamp, (int)(tv.tv_usec / 1000), zone,
		zone + 3, names[level], line);
}
