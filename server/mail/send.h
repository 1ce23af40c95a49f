/*
 * send.h: handing one message to the mail system (send.c): to the
 * system's sendmail program, or to an SMTP relay through libcurl
 * (STARTTLS required unless the configuration says a loopback test relay).
 * Blocking: called on a thread of the pool, never on the loop.
 */
#ifndef DOTPHA_SEND_H
#define DOTPHA_SEND_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "mail_config.h"

#define SEND_TIMEOUT_S 120 /* a whole exchange with the relay; a hung one gives up */

/* The outcome of one attempt. */
struct send_result {
	bool sent;          /* the relay or sendmail took it */
	bool permanent;     /* refused for good (a 5xx, sendmail's EX_NOUSER...): no retry */
	char why[300];      /* what went wrong, when not sent */
};

/* Once at start, before any thread sends (curl_global_init).  0 or -1. */
int send_init(void);
void send_cleanup(void);

/* Sends msg[0..len) to `to` as cfg says.  `cancel`, when it becomes true
 * (the daemon stops), ends an exchange in progress as not sent. */
void send_message(const struct mail_config *cfg, const char *to, const char *msg, size_t len,
		  const atomic_bool *cancel, struct send_result *r);

#endif
