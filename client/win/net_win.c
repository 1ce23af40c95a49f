/*
 * net_win.c: see net.h.  Winsock, as net.c does with POSIX sockets: the
 * socket stays non-blocking after connect and every wait goes through
 * select() (not WSAPoll, which before Windows 10 2004 never reports a
 * failed connect), so one time limit covers connect, send and receive.
 * A SOCKET is kept in struct net's int: Windows socket handles fit in 32
 * bits (they are kernel handles, documented to be so for interop with
 * 32-bit processes).
 */
#include "net.h"

#include <stdio.h>
#include <string.h>

#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include "lang.h"

static long long now_ms(void)
{
	return (long long)GetTickCount64();
}

static long long deadline_of(unsigned timeout_ms)
{
	return timeout_ms ? now_ms() + timeout_ms : 0;
}

/* The system's sentence for the Winsock error e (English, as strerror()
 * is on POSIX). */
static void say_error(int e, char *msg, size_t msglen)
{
	wchar_t w[256];
	int u;

	if (!FormatMessageW(FORMAT_MESSAGE_FROM_SYSTEM | FORMAT_MESSAGE_IGNORE_INSERTS, NULL,
			    (DWORD)e, MAKELANGID(LANG_ENGLISH, SUBLANG_ENGLISH_US), w, 256, NULL) ||
	    (u = WideCharToMultiByte(CP_UTF8, 0, w, -1, msg, (int)msglen, NULL, NULL)) <= 0) {
		snprintf(msg, msglen, "Winsock error %d", e);
		return;
	}
	while (u > 1 && (msg[u - 2] == '\n' || msg[u - 2] == '\r' || msg[u - 2] == '.'))
		msg[--u - 1] = '\0';
}

/* Waits for s to become writable (write) or readable until the deadline
 * (0: none).  Returns NET_OK, NET_TIMEOUT or NET_ERROR (WSAGetLastError). */
static int wait_socket(SOCKET s, int write, long long deadline)
{
	for (;;) {
		fd_set fds, errs;
		struct timeval tv, *tvp = NULL;
		int r;

		FD_ZERO(&fds);
		FD_ZERO(&errs);
		FD_SET(s, &fds);
		FD_SET(s, &errs); /* a failed connect shows here, not as writable */
		if (deadline) {
			long long left = deadline - now_ms();

			if (left <= 0)
				return NET_TIMEOUT;
			tv.tv_sec = (long)(left / 1000);
			tv.tv_usec = (long)(left % 1000) * 1000;
			tvp = &tv;
		}
		r = select(0, write ? NULL : &fds, write ? &fds : NULL, &errs, tvp);
		if (r > 0)
			return NET_OK;
		if (r == 0)
			return NET_TIMEOUT;
		if (WSAGetLastError() != WSAEINTR)
			return NET_ERROR;
	}
}

/* Winsock once per process; WSACleanup is left to the exit. */
static int started(char *msg, size_t msglen)
{
	static int done;
	WSADATA wsa;
	int e;

	if (done)
		return 0;
	if ((e = WSAStartup(MAKEWORD(2, 2), &wsa)) != 0) {
		say_error(e, msg, msglen);
		return -1;
	}
	done = 1;
	return 0;
}

/* One connect attempt to one address.  Returns the socket or
 * INVALID_SOCKET with *status and *err describing the failure. */
static SOCKET try_connect(const struct addrinfo *ai, long long deadline, int *status, int *err)
{
	SOCKET s;
	u_long nb = 1;
	BOOL one = TRUE;
	int soerr = 0, len = sizeof(soerr);

	*status = NET_ERROR;
	s = socket(ai->ai_family, ai->ai_socktype, ai->ai_protocol);
	if (s == INVALID_SOCKET) {
		*err = WSAGetLastError();
		return INVALID_SOCKET;
	}
	/* Not inherited by a child (WSA_FLAG_NO_HANDLE_INHERIT is not on every
	 * Windows 7). */
	SetHandleInformation((HANDLE)s, HANDLE_FLAG_INHERIT, 0);
	if (ioctlsocket(s, FIONBIO, &nb) != 0)
		goto fail;
	(void)setsockopt(s, IPPROTO_TCP, TCP_NODELAY, (const char *)&one, sizeof(one));
	if (connect(s, ai->ai_addr, (int)ai->ai_addrlen) == 0)
		return s;
	if (WSAGetLastError() != WSAEWOULDBLOCK)
		goto fail;
	*status = wait_socket(s, 1, deadline);
	if (*status != NET_OK)
		goto fail;
	if (getsockopt(s, SOL_SOCKET, SO_ERROR, (char *)&soerr, &len) != 0)
		goto fail;
	if (soerr) {
		WSASetLastError(soerr);
		*status = NET_ERROR;
		goto fail;
	}
	return s;
fail:
	*err = WSAGetLastError();
	closesocket(s);
	return INVALID_SOCKET;
}

int net_connect(struct net *n, const char *host, const char *port, unsigned timeout_ms,
		char *msg, size_t msglen)
{
	struct addrinfo hints, *res = NULL, *ai;
	long long deadline = deadline_of(timeout_ms);
	int rc, status = NET_ERROR, err = WSAECONNREFUSED;
	SOCKET s = INVALID_SOCKET;

	n->fd = -1;
	if (started(msg, msglen) < 0)
		return NET_ERROR;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_UNSPEC;
	hints.ai_socktype = SOCK_STREAM;
	hints.ai_flags = AI_ADDRCONFIG;
	rc = getaddrinfo(host, port, &hints, &res);
	if (rc == WSAHOST_NOT_FOUND || rc == EAI_NONAME) {
		/* AI_ADDRCONFIG hides loopback on a machine with no other link. */
		hints.ai_flags = 0;
		rc = getaddrinfo(host, port, &hints, &res);
	}
	if (rc != 0) {
		say_error(rc, msg, msglen);
		return NET_RESOLVE;
	}
	for (ai = res; ai; ai = ai->ai_next) {
		s = try_connect(ai, deadline, &status, &err);
		if (s != INVALID_SOCKET)
			break;
		if (status == NET_TIMEOUT)
			break;
	}
	freeaddrinfo(res);
	if (s != INVALID_SOCKET) {
		n->fd = (int)s;
		return NET_OK;
	}
	if (status == NET_TIMEOUT)
		snprintf(msg, msglen, T("timed out after %u s"), (timeout_ms + 999) / 1000);
	else
		say_error(err, msg, msglen);
	return status;
}

int net_send_all(struct net *n, const void *buf, size_t len, unsigned timeout_ms,
		 char *msg, size_t msglen)
{
	const char *p = buf;
	SOCKET s = (SOCKET)n->fd;

	while (len > 0) {
		int chunk = len > (1 << 30) ? (1 << 30) : (int)len;
		int w = send(s, p, chunk, 0), st;

		if (w > 0) {
			p += w;
			len -= (size_t)w;
			continue;
		}
		if (w < 0 && WSAGetLastError() != WSAEWOULDBLOCK) {
			say_error(WSAGetLastError(), msg, msglen);
			return NET_ERROR;
		}
		/* The idle limit restarts whenever the peer takes some bytes. */
		st = wait_socket(s, 1, deadline_of(timeout_ms));
		if (st == NET_TIMEOUT) {
			snprintf(msg, msglen, T("no progress sending for %u s"), (timeout_ms + 999) / 1000);
			return NET_TIMEOUT;
		}
		if (st != NET_OK) {
			say_error(WSAGetLastError(), msg, msglen);
			return NET_ERROR;
		}
	}
	return NET_OK;
}

long net_recv(struct net *n, void *buf, size_t cap, unsigned timeout_ms, char *msg, size_t msglen)
{
	long long deadline = deadline_of(timeout_ms);
	SOCKET s = (SOCKET)n->fd;

	for (;;) {
		int r = recv(s, buf, cap > (1 << 30) ? (1 << 30) : (int)cap, 0), st, e;

		if (r > 0)
			return (long)r;
		if (r == 0) {
			snprintf(msg, msglen, T("the server closed the connection"));
			return NET_CLOSED;
		}
		e = WSAGetLastError();
		if (e != WSAEWOULDBLOCK) {
			say_error(e, msg, msglen);
			return e == WSAECONNRESET || e == WSAECONNABORTED ? NET_CLOSED : NET_ERROR;
		}
		st = wait_socket(s, 0, deadline);
		if (st == NET_TIMEOUT) {
			snprintf(msg, msglen, T("no answer for %u s"), (timeout_ms + 999) / 1000);
			return NET_TIMEOUT;
		}
		if (st != NET_OK) {
			say_error(WSAGetLastError(), msg, msglen);
			return NET_ERROR;
		}
	}
}

void net_close(struct net *n)
{
	if (n->fd >= 0)
		closesocket((SOCKET)n->fd);
	n->fd = -1;
}
