/*
 * net.c: see net.h.  The socket stays non-blocking after connect and every
 * wait goes through poll(), so one time limit covers connect, send and
 * receive alike.
 */
#include "net.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#include "lang.h"

#ifndef MSG_NOSIGNAL
#define MSG_NOSIGNAL 0 /* where it is missing, SO_NOSIGPIPE is set at connect */
#endif

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for fd to become ready for events until the deadline (0: none).
 * Returns NET_OK, NET_TIMEOUT or NET_ERROR (errno set). */
static int wait_fd(int fd, short events, long long deadline)
{
	struct pollfd p = {fd, events, 0};

	for (;;) {
		int timeout = -1, r;

		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0)
				return NET_TIMEOUT;
			timeout = left > 1000000000 ? 1000000000 : (int)left;
		}
		r = poll(&p, 1, timeout);
		if (r > 0)
			return NET_OK;
		if (r == 0)
			return NET_TIMEOUT;
		if (errno != EINTR)
			return NET_ERROR;
	}
}

static long long deadline_of(unsigned timeout_ms)
{
	return timeout_ms ? now_ms() + timeout_ms : 0;
}

/* One connect attempt to one address.  Returns the socket or -1 with *status
 * and errno describing the failure. */
static int try_connect(const struct addrinfo *ai, long long deadline, int *status)
{
	int fd, one = 1, soerr = 0;
	socklen_t len = sizeof(soerr);

	*status = NET_ERROR;
	fd = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (fd < 0)
		return -1;
	(void)fcntl(fd, F_SETFD, FD_CLOEXEC);
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0)
		goto fail;
#ifdef SO_NOSIGPIPE
	(void)setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &one, sizeof(one));
#endif
	(void)setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0)
		return fd;
	if (errno != EINPROGRESS && errno != EINTR)
		goto fail;
	*status = wait_fd(fd, POLLOUT, deadline);
	if (*status != NET_OK)
		goto fail;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		goto fail;
	if (soerr) {
		errno = soerr;
		*status = NET_ERROR;
		goto fail;
	}
	return fd;
fail:
	{
		int saved = errno;

		close(fd);
		errno = saved;
	}
	return -1;
}

int net_connect(struct net *n, const char *host, const char *port, unsigned timeout_ms,
		char *msg, size_t msglen)
{
	struct addrinfo hints, *res = NULL, *ai;
	long long deadline = deadline_of(timeout_ms);
	int rc, status = NET_ERROR, saved = ECONNREFUSED;

	n->fd = -1;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc == EAI_NONAME
#ifdef EAI_ADDRFAMILY
	    || rc == EAI_ADDRFAMILY
#endif
	    ) {
		/* AI_ADDRCONFIG hides ::1 on a host with only loopback IPv6. */
		hints.ai_flags = 0;
		rc = getaddrinfo(host, port, &hints, &res);
	}
	if (rc != 0) {
		snprintf(msg, msglen, "%s", rc == EAI_SYSTEM ? strerror(errno) : gai_strerror(rc));
		return NET_RESOLVE;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		n->fd = try_connect(ai, deadline, &status);
		if (n->fd >= 0)
			break;
		saved = errno;
		if (status == NET_TIMEOUT)
			break;
	}
	freeaddrinfo(res);
	if (n->fd >= 0)
		return NET_OK;
	if (status == NET_TIMEOUT)
		snprintf(msg, msglen, T("timed out after %u s"), (timeout_ms + 999) / 1000);
	else
		snprintf(msg, msglen, "%s", strerror(saved));
	return status;
}

int net_send_all(struct net *n, const void *buf, size_t len, unsigned timeout_ms,
		 char *msg, size_t msglen)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t w = send(n->fd, p, len, MSG_NOSIGNAL);
		int st;

		if (w > 0) {
			p += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(msg, msglen, "%s", strerror(errno));
			return NET_ERROR;
		}
		/* The idle limit restarts whenever the peer takes some bytes. */
		st = wait_fd(n->fd, POLLOUT, deadline_of(timeout_ms));
		if (st == NET_TIMEOUT) {
			snprintf(msg, msglen, T("no progress sending for %u s"), (timeout_ms + 999) / 1000);
			return NET_TIMEOUT;
		}
		if (st != NET_OK) {
			snprintf(msg, msglen, "%s", strerror(errno));
			return NET_ERROR;
		}
	}
	return NET_OK;
}

long net_recv(struct net *n, void *buf, size_t cap, unsigned timeout_ms, char *msg, size_t msglen)
{
	long long deadline = deadline_of(timeout_ms);

	for (;;) {
		ssize_t r = recv(n->fd, buf, cap, 0);
		int st;

		if (r > 0)
			return (long)r;
		if (r == 0) {
			snprintf(msg, msglen, T("the server closed the connection"));
			return NET_CLOSED;
		}
		if (errno == EINTR)
			continue;
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			snprintf(msg, msglen, "%s", strerror(errno));
			return errno == ECONNRESET ? NET_CLOSED : NET_ERROR;
		}
		st = wait_fd(n->fd, POLLIN, deadline);
		if (st == NET_TIMEOUT) {
			snprintf(msg, msglen, T("no answer for %u s"), (timeout_ms + 999) / 1000);
			return NET_TIMEOUT;
		}
		if (st != NET_OK) {
			snprintf(msg, msglen, "%s", strerror(errno));
			return NET_ERROR;
		}
	}
}

void net_close(struct net *n)
{
	if (n->fd >= 0)
		close(n->fd);
	n->fd = -1;
}
