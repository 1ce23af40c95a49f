/*
 * compat.c: see compat.h.  Compiled without compat.h's macros (it is not
 * force-included here), so the calls below are the C library's own.
 */
#include "compat.h"

#include <errno.h>
#include <stdarg.h>
#include <windows.h>

#include "utf16.h"

/* compat.h's macros would turn the calls below into themselves. */
#undef fopen
#undef open
#undef rename
#undef unlink
#undef remove
#undef fchmod
#undef strndup
#undef setenv

/* errno for the Win32 error e, for the few that callers tell apart. */
static int errno_of(DWORD e)
{
	switch (e) {
	case ERROR_FILE_NOT_FOUND:
	case ERROR_PATH_NOT_FOUND:
		return ENOENT;
	case ERROR_ACCESS_DENIED:
	case ERROR_SHARING_VIOLATION:
	case ERROR_LOCK_VIOLATION:
		return EACCES;
	case ERROR_ALREADY_EXISTS:
	case ERROR_FILE_EXISTS:
		return EEXIST;
	case ERROR_NOT_SAME_DEVICE:
		return EXDEV;
	case ERROR_DISK_FULL:
		return ENOSPC;
	default:
		return EIO;
	}
}

FILE *compat_fopen(const char *path, const char *mode)
{
	wchar_t *wp = utf16_from_utf8(path, 1), wm[16];
	size_t n = 0;
	int excl = 0;
	FILE *f = NULL;

	if (!wp)
		return NULL;
	for (const char *m = mode; *m && n + 2 < sizeof(wm) / sizeof(wm[0]); m++) {
		if (*m == 'x')
			excl = 1;
		else
			wm[n++] = (wchar_t)*m;
	}
	if (!strchr(mode, 'b') && !strchr(mode, 't'))
		wm[n++] = L'b'; /* dotpha writes its own line ends: never "\r\r\n" */
	wm[n] = L'\0';
	if (excl) {
		/* Create it new, or fail with EEXIST, then give the handle to stdio. */
		int rw = strchr(mode, '+') ? _O_RDWR : _O_WRONLY;
		int fd = _wopen(wp, rw | _O_CREAT | _O_EXCL | _O_BINARY, _S_IREAD | _S_IWRITE);

		if (fd >= 0 && !(f = _wfdopen(fd, wm)))
			_close(fd);
	} else {
		f = _wfopen(wp, wm);
	}
	free(wp);
	return f;
}

int compat_open(const char *path, int flags, ...)
{
	wchar_t *wp = utf16_from_utf8(path, 1);
	int mode = 0, fd;
	va_list ap;

	if (!wp)
		return -1;
	if (flags & _O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	fd = _wopen(wp, flags | _O_BINARY, (mode & 0200) ? _S_IREAD | _S_IWRITE : _S_IREAD);
	free(wp);
	return fd;
}

int compat_rename(const char *from, const char *to)
{
	wchar_t *wf = utf16_from_utf8(from, 1), *wt = utf16_from_utf8(to, 1);
	int rc = -1;

	if (wf && wt) {
		if (MoveFileExW(wf, wt, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH))
			rc = 0;
		else
			errno = errno_of(GetLastError());
	}
	free(wf);
	free(wt);
	return rc;
}

int compat_unlink(const char *path)
{
	wchar_t *wp = utf16_from_utf8(path, 1);
	int rc = -1;

	if (wp) {
		if (DeleteFileW(wp))
			rc = 0;
		else
			errno = errno_of(GetLastError());
	}
	free(wp);
	return rc;
}

int compat_fchmod(int fd, int mode)
{
	(void)mode;
	return fd >= 0 ? 0 : -1;
}

char *compat_strndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *d = malloc(len + 1);

	if (d) {
		memcpy(d, s, len);
		d[len] = '\0';
	}
	return d;
}

int compat_setenv(const char *name, const char *value, int overwrite)
{
	char tz[64];

	if (!overwrite && getenv(name))
		return 0;
	if (strcmp(name, "TZ") == 0 && value[0] == '<') {
		/* "<+07>-7": the C library wants three letters, then the offset to
		 * UTC with the sign as POSIX gives it. */
		const char *end = strchr(value, '>');

		if (end && snprintf(tz, sizeof(tz), "UTC%s", end + 1) < (int)sizeof(tz))
			value = tz;
	}
	return _putenv_s(name, value) == 0 ? 0 : -1;
}
