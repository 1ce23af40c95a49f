/*
 * send.c: see send.h.  SMTP is libcurl's (a well-kept client with
 * STARTTLS, AUTH and timeouts), not ours.
 */
#include "send.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <sysexits.h>
#include <unistd.h>

#include <curl/curl.h>

extern char **environ;

int send_cancel_init(struct send_cancel *c)
{
	c->cancelled = false;
	c->fd = -1;
	c->child = 0;
	return uv_mutex_init(&c->lock) == 0 ? 0 : -1;
}

void send_cancel_destroy(struct send_cancel *c)
{
	uv_mutex_destroy(&c->lock);
}

void send_cancel(struct send_cancel *c)
{
	uv_mutex_lock(&c->lock);
	c->cancelled = true;
	if (c->fd >= 0)
		shutdown(c->fd, SHUT_RDWR); /* a blocked read or poll returns at once */
	if (c->child > 0)
		kill(c->child, SIGTERM);
	uv_mutex_unlock(&c->lock);
}

bool send_cancelled(struct send_cancel *c)
{
	bool v;

	uv_mutex_lock(&c->lock);
	v = c->cancelled;
	uv_mutex_unlock(&c->lock);
	return v;
}

/* libcurl's socket, opened here so send_cancel can shut it down; none
 * once cancelled. */
static curl_socket_t on_open(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct send_cancel *c = arg;
	curl_socket_t fd = CURL_SOCKET_BAD;

	(void)purpose;
	uv_mutex_lock(&c->lock);
	if (!c->cancelled && (fd = socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol)) >= 0)
		c->fd = fd;
	uv_mutex_unlock(&c->lock);
	return fd;
}

/* Forgotten under the lock before it closes, so a cancel never shuts down
 * a descriptor number reused by someone else. */
static int on_close(void *arg, curl_socket_t fd)
{
	struct send_cancel *c = arg;

	uv_mutex_lock(&c->lock);
	if (c->fd == fd)
		c->fd = -1;
	uv_mutex_unlock(&c->lock);
	return close(fd);
}

int send_init(void)
{
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void send_cleanup(void)
{
	curl_global_cleanup();
}

/* What curl reads the message from. */
struct upload {
	const char *p;
	size_t left;
	struct send_cancel *cancel;
};

static size_t on_read(char *buf, size_t size, size_t nitems, void *arg)
{
	struct upload *u = arg;
	size_t n = size * nitems;

	if (n > u->left)
		n = u->left;
	memcpy(buf, u->p, n);
	u->p += n;
	u->left -= n;
	return n;
}

static int on_progress(void *arg, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	struct upload *u = arg;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return send_cancelled(u->cancel) ? 1 : 0; /* non-zero aborts the transfer */
}

/* The SMTP command the session is at, from the lines libcurl sends: it
 * decides whether a 5xx refuses this message or the relay refuses us. */
enum smtp_stage { STAGE_SESSION, STAGE_MAIL, STAGE_RCPT, STAGE_DATA };

static int on_debug(CURL *h, curl_infotype type, char *data, size_t size, void *arg)
{
	enum smtp_stage *stage = arg;

	(void)h;
	if (type != CURLINFO_HEADER_OUT) /* the commands sent; nothing is kept of them */
		return 0;
	if (size >= 10 && strncasecmp(data, "MAIL FROM:", 10) == 0)
		*stage = STAGE_MAIL;
	else if (size >= 8 && strncasecmp(data, "RCPT TO:", 8) == 0)
		*stage = STAGE_RCPT;
	else if (size >= 4 && strncasecmp(data, "DATA", 4) == 0)
		*stage = STAGE_DATA;
	else if (!(size >= 4 && strncasecmp(data, "QUIT", 4) == 0)) /* sent after a failure */
		*stage = STAGE_SESSION; /* EHLO, STARTTLS, AUTH... */
	return 0;
}

/* Whether a failure is the relay's final word on this message, never to be
 * tried again: a 5xx to its recipient (550 no such mailbox) or to its
 * data, or 552 (too big) to its sender.  A 5xx anywhere else (535 a wrong
 * password, 530 STARTTLS first, 550 to our sender, 554 at the greeting)
 * is the relay refusing the daemon as configured: every message would
 * meet it, so it is retried, not given up, until the admin mends it. */
static bool refused_for_good(enum smtp_stage stage, long code)
{
	if (code < 500 || code > 599)
		return false;
	return stage == STAGE_RCPT || stage == STAGE_DATA || (stage == STAGE_MAIL && code == 552);
}

static void by_smtp(const struct mail_config *cfg, const char *to, const char *msg, size_t len,
		    struct send_cancel *cancel, struct send_result *r)
{
	enum smtp_stage stage = STAGE_SESSION;
	char errbuf[CURL_ERROR_SIZE] = "", from[300], rcpt_s[300];
	struct upload u = {msg, len, cancel};
	struct curl_slist *rcpt;
	long code = 0;
	CURLcode rc;
	CURL *h = curl_easy_init();

	if (!h) {
		snprintf(r->why, sizeof(r->why), "cannot start an SMTP session (curl_easy_init)");
		return;
	}
	snprintf(from, sizeof(from), "<%s>", cfg->from);
	snprintf(rcpt_s, sizeof(rcpt_s), "<%s>", to);
	rcpt = curl_slist_append(NULL, rcpt_s);
	curl_easy_setopt(h, CURLOPT_URL, cfg->url);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L); /* threads: no SIGALRM for timeouts */
	curl_easy_setopt(h, CURLOPT_USE_SSL, cfg->tls ? (long)CURLUSESSL_ALL : (long)CURLUSESSL_NONE);
	if (cfg->user[0]) {
		curl_easy_setopt(h, CURLOPT_USERNAME, cfg->user);
		curl_easy_setopt(h, CURLOPT_PASSWORD, cfg->password);
	}
	curl_easy_setopt(h, CURLOPT_MAIL_FROM, from);
	curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
	curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
	curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
	curl_easy_setopt(h, CURLOPT_READDATA, &u);
	curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)len);
	curl_easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(h, CURLOPT_XFERINFODATA, &u);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 30L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)SEND_TIMEOUT_S);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETFUNCTION, on_open);
	curl_easy_setopt(h, CURLOPT_OPENSOCKETDATA, cancel);
	curl_easy_setopt(h, CURLOPT_CLOSESOCKETFUNCTION, on_close);
	curl_easy_setopt(h, CURLOPT_CLOSESOCKETDATA, cancel);
	curl_easy_setopt(h, CURLOPT_FORBID_REUSE, 1L); /* one connection per message, closed by on_close */
	curl_easy_setopt(h, CURLOPT_VERBOSE, 1L); /* for on_debug only: it writes nothing */
	curl_easy_setopt(h, CURLOPT_DEBUGFUNCTION, on_debug);
	curl_easy_setopt(h, CURLOPT_DEBUGDATA, &stage);
	if (cfg->ca[0])
		curl_easy_setopt(h, CURLOPT_CAINFO, cfg->ca);
	rc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
	if (rc == CURLE_OK) {
		r->sent = true;
	} else {
		r->permanent = refused_for_good(stage, code);
		snprintf(r->why, sizeof(r->why), "%s%s%s (last reply %ld)", curl_easy_strerror(rc),
			 errbuf[0] ? ": " : "", errbuf, code);
	}
	curl_slist_free_all(rcpt);
	curl_easy_cleanup(h);
}

/* Writes all of p[0..n) to fd; -1 on an error (the program left early). */
static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t k = write(fd, p, n);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		n -= (size_t)k;
	}
	return 0;
}

static void by_sendmail(const struct mail_config *cfg, const char *msg, size_t len,
			struct send_cancel *cancel, struct send_result *r)
{
	char *const argv[] = {(char *)cfg->sendmail, "-oi", "-t", NULL};
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t attr;
	sigset_t def;
	int fds[2], status = 0, rc, wrote;
	pid_t pid;

	/* Both ends close on exec: the child gets the read end as its stdin
	 * by dup2 (which clears the flag), and never the write end, or it
	 * would not see the end of the message. */
	if (pipe(fds) < 0) {
		snprintf(r->why, sizeof(r->why), "cannot make a pipe to %.200s: %s", cfg->sendmail,
			 strerror(errno));
		return;
	}
	fcntl(fds[0], F_SETFD, FD_CLOEXEC);
	fcntl(fds[1], F_SETFD, FD_CLOEXEC);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fds[0], 0);
	posix_spawnattr_init(&attr);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE); /* the daemon ignores it; the MTA should not */
	posix_spawnattr_setsigdefault(&attr, &def);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGDEF);
	uv_mutex_lock(&cancel->lock);
	rc = cancel->cancelled ? ECANCELED : posix_spawn(&pid, cfg->sendmail, &fa, &attr, argv, environ);
	if (rc == 0)
		cancel->child = pid;
	uv_mutex_unlock(&cancel->lock);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&attr);
	close(fds[0]);
	if (rc != 0) {
		close(fds[1]);
		snprintf(r->why, sizeof(r->why), "cannot run %.200s: %s", cfg->sendmail, strerror(rc));
		return;
	}
	wrote = write_all(fds[1], msg, len);
	close(fds[1]);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	uv_mutex_lock(&cancel->lock);
	cancel->child = 0; /* reaped: the pid may be anyone's now */
	uv_mutex_unlock(&cancel->lock);
	if (wrote == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		r->sent = true;
		return;
	}
	if (WIFEXITED(status)) {
		int ex = WEXITSTATUS(status);

		r->permanent = ex == EX_NOUSER || ex == EX_NOHOST || ex == EX_DATAERR;
		snprintf(r->why, sizeof(r->why), "%.200s exited with status %d", cfg->sendmail, ex);
	} else {
		snprintf(r->why, sizeof(r->why), "%.200s was killed by signal %d", cfg->sendmail,
			 WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	}
}

void send_message(const struct mail_config *cfg, const char *to, const char *msg, size_t len,
		  struct send_cancel *cancel, struct send_result *r)
{
	memset(r, 0, sizeof(*r));
	if (cfg->via == MAIL_SMTP)
		by_smtp(cfg, to, msg, len, cancel, r);
	else if (cfg->via == MAIL_SENDMAIL)
		by_sendmail(cfg, msg, len, cancel, r);
	else
		snprintf(r->why, sizeof(r->why), "mail is not configured (--mail-via)");
}
