/*
 * compat.h: the Windows build's answer to the few POSIX calls outside
 * net.c and sys.c.  The Windows build includes this file before every
 * client and protocol source (-include), so those sources stay as they
 * are: names are UTF-8 everywhere in dotpha, and here fopen(), open(),
 * rename(), unlink() and remove() take them to the wide-character calls
 * (_wfopen...), so a file name with diacritics opens whatever the system
 * code page; rename() replaces its target as POSIX's does (MoveFileExW).
 * Never used by the POSIX build.
 */
#ifndef DOTPHA_WIN_COMPAT_H
#define DOTPHA_WIN_COMPAT_H

/* The system headers first, so the macros below rewrite only our calls. */
#include <fcntl.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#ifndef O_CLOEXEC
#define O_CLOEXEC 0 /* Windows handles are not inherited unless asked */
#endif
#ifndef O_NOFOLLOW
#define O_NOFOLLOW 0
#endif

/* fopen() of a UTF-8 name; mode may end in 'x' (C11: fail if it exists),
 * which the older msvcrt does not know. */
FILE *compat_fopen(const char *path, const char *mode);
/* open() of a UTF-8 name, always binary (no CRLF translation). */
int compat_open(const char *path, int flags, ...);
/* rename() replacing an existing target atomically (MoveFileExW with
 * MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH), as POSIX's does. */
int compat_rename(const char *from, const char *to);
int compat_unlink(const char *path);
/* Windows has no mode bits: who may read a file is its ACL, which a file
 * inherits from its folder (the user's own profile); sys_file_access()
 * checks it.  So a mode change has nothing to do. */
int compat_fchmod(int fd, int mode);
char *compat_strndup(const char *s, size_t n);
/* setenv() through _putenv_s; a TZ of the POSIX form "<+07>-7" is given
 * to the C library in its own form ("UTC-7": the same offset). */
int compat_setenv(const char *name, const char *value, int overwrite);

#define fopen(p, m) compat_fopen((p), (m))
#define open(...) compat_open(__VA_ARGS__)
#define rename(a, b) compat_rename((a), (b))
#define unlink(p) compat_unlink(p)
#define remove(p) compat_unlink(p)
#define fchmod(fd, m) compat_fchmod((fd), (m))
#define strndup(s, n) compat_strndup((s), (n))
#define setenv(n, v, o) compat_setenv((n), (v), (o))

#endif
