/*
 * log.h: the daemon's log: one line per event on stderr (or --log-file),
 * filtered by --log-level.  On a terminal, in a file or a pipe a line is
 * "2026-11-28T09:12:05.123+07:00 info  message" (local time and its
 * offset); when stderr is the journal's stream (systemd's JOURNAL_STREAM
 * names it) it is "<6>message": the syslog priority, journald keeping the
 * time.
 */
#ifndef DOTPHA_LOG_H
#define DOTPHA_LOG_H

#include <stdbool.h>

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR };

/* Parses "debug", "info", "warn" or "error"; returns -1 otherwise. */
int log_parse_level(const char *s);
void log_set_level(int level);

/* Looks whether stderr is the journal's stream ($JOURNAL_STREAM holds its
 * "device:inode", sd-daemon(3)) and picks the form of the lines.  Called
 * once at start, before the first line. */
void log_init(void);
/* Lines go to the journal with their priority (log_init); false after
 * log_open_file. */
bool log_to_journal(void);

/* Sends the log to the file at path from now on (appending, created
 * 0600), in place of stderr: the file becomes descriptor 2, so a line
 * written by any thread goes whole to the old file or the new one.  Called
 * again after the file was rotated away (SIGHUP), it opens a new one.
 * Returns 0, or -1 with errno set (the log stays where it was). */
int log_open_file(const char *path);
void log_msg(int level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
