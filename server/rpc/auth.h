/*
 * auth.h: the throttle of failed sign-ins, per address.  A 256-bit token
 * cannot be guessed, so the throttle never refuses anyone: it protects the
 * daemon's CPU and its log from a script that keeps failing.  A good token
 * always signs in, whatever its address did before.
 *
 * Kept in memory on the event loop's thread (a restart forgets it), in a
 * fixed table: a flood of addresses evicts the stalest entries and never
 * grows memory.
 *
 * Policy (PROTOCOL.md 4a):
 *   - the first AUTH_FREE failures of an address are answered at once;
 *   - failure AUTH_FREE + 1 is answered after AUTH_DELAY_FIRST_MS, and each
 *     further one after twice the delay of the one before, at most
 *     AUTH_DELAY_MAX_MS;
 *   - an address's failures are forgotten once AUTH_QUIET_S pass without a
 *     failure from it; a success (with any token) forgets nothing;
 *   - the first failure of an address is logged, then at most one line per
 *     address every AUTH_LOG_EVERY_S, counting the failures since the line
 *     before (auth_tick writes the count of a burst that stopped).
 *
 * An entry's life: free -> counting (auth_failed) -> free again when the
 * quiet window passes (auth_failed or auth_tick), when an admin clears it
 * (auth_clear), or when a new address evicts it from a full table.  Its
 * failures not yet logged are logged whenever it is freed.
 */
#ifndef DOTPHA_AUTH_H
#define DOTPHA_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define AUTH_FREE 5                   /* failures answered at once */
#define AUTH_DELAY_FIRST_MS 1000      /* the delay of failure AUTH_FREE + 1 */
#define AUTH_DELAY_MAX_MS 16000       /* the cap: under the client's 30 s timeout */
#define AUTH_QUIET_S (15 * 60)        /* failures forgotten after this long without one */
#define AUTH_LOG_EVERY_S 60           /* at most one log line per address this often */
#define AUTH_SLOTS 4096               /* addresses tracked at once */
#define AUTH_ADDRESS_MAX 48           /* an IPv6 address as text, and its NUL */

/* What auth_failed decided about one failure. */
struct auth_verdict {
	unsigned failures;  /* the address's failures, this one included */
	unsigned delay_ms;  /* hold this failure's reply back this long */
	unsigned next_ms;   /* the delay a further failure would get now */
	time_t lifts;       /* the failures are forgotten then, if none comes before */
	unsigned logged;    /* > 0: a line was logged now, covering this many failures */
};

/* One address's failures, as throttle.list shows them. */
struct auth_entry {
	char address[AUTH_ADDRESS_MAX];
	unsigned failures;  /* since the quiet window last passed */
	time_t first;       /* the first of them */
	time_t last;        /* the latest */
	unsigned delay_ms;  /* the delay a further failure would get now */
	time_t lifts;       /* last + AUTH_QUIET_S */
};

/* The delay (ms) of a reply to the n-th failure in a row (n >= 1). */
unsigned auth_delay_of(unsigned n);

/* Records a failed sign-in from address at now, logs it if its turn has
 * come, and says how to answer it in *v. */
void auth_failed(const char *address, time_t now, struct auth_verdict *v);

/* Fills out[0..max) with the addresses that have failures at now (those
 * whose quiet window has passed are left out), most recent failure first;
 * returns how many there are in all.  With max below AUTH_SLOTS the ones
 * kept are some of them, not the newest: pass AUTH_SLOTS to see all. */
size_t auth_list(time_t now, struct auth_entry *out, size_t max);

/* Forgets the failures of address, or of every address when it is NULL,
 * logging those not logged yet.  Returns how many addresses were cleared
 * (entries whose quiet window had passed are not counted). */
size_t auth_clear(const char *address, time_t now);

/* The periodic chore (housekeeping.c, every few seconds): logs the count of
 * failures an address made since its last line, once that line is
 * AUTH_LOG_EVERY_S old, and frees the entries whose quiet window passed.
 * Returns how many failures its lines counted (0: it logged nothing). */
unsigned auth_tick(time_t now);

/* Forgets everything without logging (tests). */
void auth_reset(void);

#endif
