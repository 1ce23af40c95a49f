/*
 * net.h: the client's TCP connection, and all of its socket code.
 *
 * Blocking calls with a time limit: connect, send everything, receive some
 * bytes.  POSIX sockets today; a Windows port replaces net.c (and sys.c)
 * and nothing else.  Errors come back as a sentence in the caller's buffer.
 */
#ifndef DOTPHA_NET_H
#define DOTPHA_NET_H

#include <stddef.h>

enum net_status {
	NET_OK = 0,
	NET_ERROR = -1,   /* a system error; the message says which */
	NET_TIMEOUT = -2, /* no progress within the time limit */
	NET_CLOSED = -3,  /* the peer closed the connection (recv only) */
	NET_RESOLVE = -4, /* the host name could not be resolved (connect only) */
};

struct net {
	int fd; /* the connected socket, -1 when closed */
};

/* Connects to host:port (a name, an IPv4 or an IPv6 address without
 * brackets), trying each address the resolver gives, in `timeout_ms` in all
 * (0: no limit).  Returns NET_OK, or a status with a message in msg. */
int net_connect(struct net *n, const char *host, const char *port, unsigned timeout_ms,
		char *msg, size_t msglen);

/* Sends all of buf[0..len).  Gives up if the peer accepts nothing for
 * timeout_ms (0: no limit).  Returns NET_OK or a status with a message. */
int net_send_all(struct net *n, const void *buf, size_t len, unsigned timeout_ms,
		 char *msg, size_t msglen);

/* Receives at most cap bytes into buf, waiting up to timeout_ms (0: no
 * limit) for the first.  Returns the count (> 0), or NET_CLOSED, NET_TIMEOUT
 * or NET_ERROR with a message. */
long net_recv(struct net *n, void *buf, size_t cap, unsigned timeout_ms, char *msg, size_t msglen);

/* Closes the socket; safe to call twice. */
void net_close(struct net *n);

#endif
