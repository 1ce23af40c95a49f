/*
 * send.h: handing one message to the mail system (send.c): to the
 * system's sendmail program, or to an SMTP relay through libcurl
 * (STARTTLS required unless the configuration says a loopback test relay).
 * Blocking: called on a thread of the pool, never on the loop.
 */
#ifndef DOTPHA_SEND_H
#define DOTPHA_SEND_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include <uv.h>

#include "mail_config.h"

#define SEND_TIMEOUT_S 120 /* a whole exchange with the relay; a hung one gives up */

/* The outcome of one attempt. */
struct send_result {
	bool sent;          /* the relay or sendmail took it */
	bool permanent;     /* refused for good (a 5xx, sendmail's EX_NOUSER...): no retry */
	char why[300];      /* what went wrong, when not sent */
};

/* How the loop stops a send in progress on another thread: the relay's
 * socket is shut down (libcurl waits for the final 250 without calling
 * back, so a flag alone would wait for SEND_TIMEOUT_S), the sendmail
 * child is sent SIGTERM.  send_cancel_init before use. */
struct send_cancel {
	uv_mutex_t lock;      /* guards the three below */
	bool cancelled;       /* no new exchange starts, the current one ends */
	int fd;               /* the relay's socket while open, else -1 */
	pid_t child;          /* the sendmail process while it runs, else 0 */
};

int send_cancel_init(struct send_cancel *c);
void send_cancel_destroy(struct send_cancel *c);
/* From any thread: ends the exchange in progress (as not sent) and any later one. */
void send_cancel(struct send_cancel *c);
bool send_cancelled(struct send_cancel *c);

/* Once at start, before any thread sends (curl_global_init).  0 or -1. */
int send_init(void);
void send_cleanup(void);

/* Sends msg[0..len) to `to` as cfg says.  send_cancel(cancel) from
 * another thread (the daemon stops) ends it as not sent. */
void send_message(const struct mail_config *cfg, const char *to, const char *msg, size_t len,
		  struct send_cancel *cancel, struct send_result *r);

#endif
