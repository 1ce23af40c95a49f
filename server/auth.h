/*
 * auth.h: slowing down and refusing repeated failed sign-ins from one
 * address.  Kept in memory (a restart forgets it), in a fixed table: a
 * flood of addresses evicts the stalest entries, never grows memory.
 *
 * Policy (PROTOCOL.md 4a): after AUTH_DELAY_AFTER failures within
 * AUTH_WINDOW_S, each further failure is answered after a delay growing by
 * AUTH_DELAY_STEP_MS up to AUTH_DELAY_MAX_MS; after AUTH_LOCK_AFTER
 * failures the address is refused for AUTH_LOCK_S, even with a good token.
 */
#ifndef DOTPHA_AUTH_H
#define DOTPHA_AUTH_H

#include <time.h>

#define AUTH_WINDOW_S (15 * 60)
#define AUTH_DELAY_AFTER 5
#define AUTH_DELAY_STEP_MS 500
#define AUTH_DELAY_MAX_MS 2000
#define AUTH_LOCK_AFTER 8
#define AUTH_LOCK_S (15 * 60)
#define AUTH_SLOTS 4096

/* Seconds the address is still refused for, or 0 if it may try. */
long auth_refused(const char *address, time_t now);

/* Records a failure; returns how long (ms) to hold back the reply. */
unsigned auth_failed(const char *address, time_t now, unsigned *failures);

/* Forgets the address's failures after a good sign-in. */
void auth_succeeded(const char *address);

/* Forgets everything (tests). */
void auth_reset(void);

#endif
