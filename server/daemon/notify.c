/*
 * notify.c: see notify.h.  The protocol is small enough to speak here:
 * an AF_UNIX datagram socket, the address from $NOTIFY_SOCKET (a leading
 * '@' means the abstract namespace: a NUL byte in its place, and the
 * address length counting only the name), one sendto per message.
 */
#include "notify.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

int notify_send(const char *state)
{
	const char *path = getenv("NOTIFY_SOCKET");
	struct sockaddr_un sa;
	socklen_t len;
	size_t n;
	ssize_t sent;
	int fd, saved;

	if (!path || !*path)
		return 0;
	n = strlen(path);
	if ((path[0] != '/' && path[0] != '@') || n >= sizeof(sa.sun_path)) {
		errno = EINVAL; /* "vsock:..." and the like: not ours to speak */
		return -1;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sun_family = AF_UNIX;
	memcpy(sa.sun_path, path, n);
	if (path[0] == '@')
		sa.sun_path[0] = '\0';
	/* A path counts its NUL; an abstract name exactly its bytes. */
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + (path[0] == '/'));
	if ((fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0)) < 0)
		return -1;
	sent = sendto(fd, state, strlen(state), MSG_NOSIGNAL, (struct sockaddr *)&sa, len);
	saved = errno;
	close(fd);
	errno = saved;
	return sent == (ssize_t)strlen(state) ? 1 : -1;
}

int notify_ready(const char *status)
{
	char msg[600];

	snprintf(msg, sizeof(msg), "READY=1\nSTATUS=%s", status ? status : "serving");
	return notify_send(msg);
}

int notify_reloading(void)
{
	struct timespec ts;
	char msg[80];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(msg, sizeof(msg), "RELOADING=1\nMONOTONIC_USEC=%llu",
		 (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000);
	return notify_send(msg);
}

int notify_stopping(void)
{
	return notify_send("STOPPING=1\nSTATUS=stopping: finishing requests in flight");
}
