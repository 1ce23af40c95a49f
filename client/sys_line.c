/*
 * sys_line.c: the parts of sys.h that are plain C, shared by the POSIX
 * (sys.c) and the Windows (win/sys_win.c) versions: $COLUMNS, and a line
 * read from a stream that is not a terminal.
 */
#include "sys.h"

#include <stdbool.h>
#include <stdlib.h>

size_t sys_env_columns(void)
{
	const char *env = getenv("COLUMNS");
	char *end;
	long c;

	if (!env || !*env)
		return 0;
	c = strtol(env, &end, 10);
	return *end == '\0' && c > 0 && c < 10000 ? (size_t)c : 0;
}

long sys_read_line(FILE *in, char *buf, size_t n)
{
	size_t len = 0;
	bool too_long = false, any = false;
	int ch;

	while ((ch = getc(in)) != EOF) {
		any = true;
		if (ch == '\n')
			break;
		if (len + 1 < n)
			buf[len++] = (char)ch;
		else
			too_long = true;
	}
	buf[len] = '\0';
	if (ferror(in) || (!any && feof(in)))
		return -1;
	if (too_long) {
		sys_wipe(buf, n);
		return -2;
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return (long)len;
}
