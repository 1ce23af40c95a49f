/*
 * sys.c: see sys.h.  POSIX versions.
 */
#include "sys.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "lang.h"

int sys_random(void *buf, size_t n)
{
	unsigned char *p = buf;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return -1;
		}
		p += r;
		n -= (size_t)r;
	}
	close(fd);
	return 0;
}

size_t sys_term_width(FILE *f)
{
	struct winsize ws;
	int fd = fileno(f);

	if (fd < 0 || !isatty(fd))
		return 0;
	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return sys_env_columns() ? sys_env_columns() : 80;
}

size_t sys_table_width(FILE *f)
{
	int fd = fileno(f);

	if (fd >= 0 && isatty(fd))
		return sys_term_width(f);
	return sys_env_columns();
}

void sys_sleep_ms(unsigned ms)
{
	struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

unsigned long long sys_now_ms(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_REALTIME, &ts) != 0)
		return 0;
	return (unsigned long long)ts.tv_sec * 1000 + (unsigned long long)ts.tv_nsec / 1000000;
}

int sys_file_access(FILE *f)
{
	struct stat st;
	int fd = fileno(f);

	if (fd < 0 || fstat(fd, &st) < 0)
		return SYS_FILE_UNKNOWN;
	if (st.st_mode & (S_IRGRP | S_IROTH))
		return SYS_FILE_READABLE;
	if (st.st_mode & 077)
		return SYS_FILE_OPEN;
	return SYS_FILE_PRIVATE;
}

const char *sys_queue_dir(char *out, size_t n)
{
	(void)out;
	(void)n;
	return NULL;
}

void sys_private_fix(const char *path, const char *shown, char *out, size_t n)
{
	(void)path;
	snprintf(out, n, "chmod 600 %s", shown);
}

void sys_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

static volatile sig_atomic_t secret_signal;

long sys_ask(FILE *in, FILE *prompt_out, const char *prompt, char *buf, size_t n)
{
	int fd = fileno(in);

	if (n == 0)
		return -2;
	buf[0] = '\0';
	if (fd < 0 || !isatty(fd))
		return SYS_NOT_A_TERMINAL;
	fputs(prompt, prompt_out);
	fflush(prompt_out);
	return sys_read_line(in, buf, n);
}

static void on_secret_signal(int sig)
{
	secret_signal = sig;
}

long sys_read_secret(FILE *in, FILE *prompt_out, const char *prompt, char *buf, size_t n)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
	struct sigaction sa, saved[sizeof(sigs) / sizeof(sigs[0])];
	struct termios old, quiet;
	int fd = fileno(in);
	size_t len = 0;
	bool too_long = false, eof = false, failed = false;

	if (n == 0)
		return -2;
	if (fd < 0 || !isatty(fd) || tcgetattr(fd, &old) < 0)
		return sys_read_line(in, buf, n);
	fputs(prompt, prompt_out);
	fflush(prompt_out);
	/* A signal while echo is off must not leave the terminal mute: catch
	 * it (without SA_RESTART, so read() returns), restore, then raise it. */
	secret_signal = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_secret_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &sa, &saved[i]);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHOE | ECHOK | ECHONL);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	while (!secret_signal) {
		char ch;
		ssize_t r = read(fd, &ch, 1);

		if (r == 1) {
			if (ch == '\n')
				break;
			if (len + 1 < n)
				buf[len++] = ch;
			else
				too_long = true;
		} else if (r == 0) {
			eof = len == 0;
			break;
		} else if (errno != EINTR) {
			failed = true;
			break;
		}
	}
	buf[len] = '\0';
	tcsetattr(fd, TCSAFLUSH, &old);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaction(sigs[i], &saved[i], NULL);
	fputc('\n', prompt_out);
	fflush(prompt_out);
	if (secret_signal || too_long || failed || eof) {
		sys_wipe(buf, n);
		if (secret_signal)
			raise(secret_signal);
		return too_long ? -2 : -1;
	}
	if (len > 0 && buf[len - 1] == '\r')
		buf[--len] = '\0';
	return (long)len;
}

int sys_make_private_dir(const char *dir, char *msg, size_t msglen)
{
	char buf[4096];
	size_t n = strlen(dir);
	struct stat st;

	if (n == 0 || n >= sizeof(buf)) {
		snprintf(msg, msglen, T("%s: the path is too long"), dir);
		return -1;
	}
	memcpy(buf, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		if (buf[i - 1] == '/')
			continue; /* "a//b" */
		buf[i] = '\0';
		if (mkdir(buf, 0700) < 0 && errno != EEXIST) {
			snprintf(msg, msglen, T("cannot create the directory %s: %s"), buf, strerror(errno));
			return -1;
		}
		buf[i] = dir[i];
	}
	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		snprintf(msg, msglen, T("%s is not a directory"), dir);
		return -1;
	}
	return 0;
}

/* Syncs the directory holding path, so a rename in it is on disk. */
static void sync_parent(const char *path)
{
	char dir[4096];
	const char *slash = strrchr(path, '/');
	size_t n = slash ? (size_t)(slash - path) : 0;
	int fd;

	if (n == 0 && slash)
		n = 1; /* "/file" */
	if (n >= sizeof(dir))
		return;
	if (slash)
		memcpy(dir, path, n);
	else
		dir[n++] = '.';
	dir[n] = '\0';
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return;
	fsync(fd); /* some file systems refuse; the rename itself is done */
	close(fd);
}

int sys_replace_private_file(const char *path, const void *data, size_t len, char *msg,
			     size_t msglen)
{
	char tmp[4200];
	unsigned char rnd[6];
	const char *p = data;
	int fd = -1, err;

	for (int tries = 0; fd < 0 && tries < 8; tries++) {
		if (sys_random(rnd, sizeof(rnd)) < 0) {
			snprintf(msg, msglen, T("cannot read random bytes for a temporary file name"));
			return -1;
		}
		if ((size_t)snprintf(tmp, sizeof(tmp), "%s.tmp-%ld-%02x%02x%02x%02x%02x%02x", path,
				     (long)getpid(), rnd[0], rnd[1], rnd[2], rnd[3], rnd[4],
				     rnd[5]) >= sizeof(tmp)) {
			snprintf(msg, msglen, T("%s: the path is too long"), path);
			return -1;
		}
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST) {
			snprintf(msg, msglen, T("cannot create %s: %s"), tmp, strerror(errno));
			return -1;
		}
	}
	if (fd < 0) {
		snprintf(msg, msglen, T("cannot create a temporary file beside %s"), path);
		return -1;
	}
	/* The umask may only have taken bits away; make it exactly 0600. */
	if (fchmod(fd, 0600) < 0)
		goto fail;
	while (len > 0) {
		ssize_t w = write(fd, p, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			goto fail;
		p += w;
		len -= (size_t)w;
	}
	if (fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	sync_parent(path);
	return 0;
fail:
	err = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	snprintf(msg, msglen, T("cannot write %s: %s"), path, strerror(err));
	return -1;
}

int sys_rename_new(const char *from, const char *to)
{
	int fd, saved;

	if (link(from, to) == 0) {
		unlink(from);
		return 0;
	}
	if (errno != EPERM && errno != ENOTSUP && errno != EOPNOTSUPP && errno != ENOSYS &&
	    errno != EMLINK)
		return -1;
	/* No hard links here (FAT, some network shares): reserve the name. */
	fd = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	close(fd);
	if (rename(from, to) == 0)
		return 0;
	saved = errno;
	unlink(to);
	errno = saved;
	return -1;
}

int sys_lock_open(const char *path)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_start = 0, .l_len = 0};
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	if (fd < 0)
		return -1;
	while (fcntl(fd, F_SETLKW, &fl) < 0) {
		if (errno != EINTR) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void sys_lock_close(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the lock */
}
