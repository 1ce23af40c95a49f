/*
 * auth.c: see auth.h.  The table, the throttle's decisions and its log
 * lines; session.c asks it about each failed sign-in, the housekeeping
 * timer flushes its counts, throttle.c shows and clears it.
 */
#include "auth.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "log.h"

struct slot {
	char address[AUTH_ADDRESS_MAX]; /* "" for a free slot */
	unsigned failures;              /* since the quiet window last passed */
	time_t first;                   /* the first of them */
	time_t last;                    /* the latest: the quiet window and eviction */
	time_t logged_at;               /* when the latest log line was written */
	unsigned unlogged;              /* failures no log line has counted yet */
};

static struct slot slots[AUTH_SLOTS];

unsigned auth_delay_of(unsigned n)
{
	unsigned delay = AUTH_DELAY_FIRST_MS;

	if (n <= AUTH_FREE)
		return 0;
	for (unsigned i = AUTH_FREE + 1; i < n && delay < AUTH_DELAY_MAX_MS; i++)
		delay *= 2;
	return delay < AUTH_DELAY_MAX_MS ? delay : AUTH_DELAY_MAX_MS;
}

static bool quiet(const struct slot *s, time_t now)
{
	return now - s->last >= AUTH_QUIET_S;
}

/* Logs the failures of s that no line has counted yet; why says what
 * becomes of them ("" while they go on counting). */
static void log_unlogged(struct slot *s, time_t now, const char *why)
{
	char first[TIMESTAMP_LEN];

	if (s->unlogged == 0)
		return;
	date_timestamp(s->first, first);
	if (why[0])
		log_warn("sign-in failed from %s: %u more failure%s since the last line, %u since "
			 "%s%s",
			 s->address, s->unlogged, s->unlogged == 1 ? "" : "s", s->failures, first,
			 why);
	else
		log_warn("sign-in failed from %s: %u more failure%s since the last line, %u since "
			 "%s; a further failure is answered after %u ms",
			 s->address, s->unlogged, s->unlogged == 1 ? "" : "s", s->failures, first,
			 auth_delay_of(s->failures + 1));
	s->unlogged = 0;
	s->logged_at = now;
}

/* Frees s, logging what it still owed the log. */
static void release(struct slot *s, time_t now, const char *why)
{
	log_unlogged(s, now, why);
	memset(s, 0, sizeof(*s));
}

/* The slot of address, made (or taken from the stalest address) if there
 * is none.  A slot whose quiet window has passed starts over. */
static struct slot *find(const char *address, time_t now)
{
	struct slot *free_slot = NULL, *stalest = &slots[0];

	for (size_t i = 0; i < AUTH_SLOTS; i++) {
		struct slot *s = &slots[i];

		if (s->address[0] == '\0') {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (strcmp(s->address, address) == 0) {
			if (quiet(s, now))
				release(s, now, "; then quiet: forgotten");
			else
				return s;
			free_slot = s;
			break;
		}
		if (s->last < stalest->last)
			stalest = s;
	}
	if (!free_slot) /* the table is full: forget the stalest address */
		release(stalest, now, "; forgotten for a newer address");
	else
		stalest = free_slot;
	snprintf(stalest->address, sizeof(stalest->address), "%s", address);
	stalest->first = now;
	return stalest;
}

void auth_failed(const char *address, time_t now, struct auth_verdict *v)
{
	struct slot *s = find(address, now);

	s->failures++;
	s->unlogged++;
	s->last = now;
	v->failures = s->failures;
	v->delay_ms = auth_delay_of(s->failures);
	v->next_ms = auth_delay_of(s->failures + 1);
	v->lifts = now + AUTH_QUIET_S;
	v->logged = 0;
	if (s->failures == 1) {
		log_warn("sign-in failed from %s (further failures from this address are logged "
			 "at most once a minute, with their count)",
			 s->address);
		s->unlogged = 0;
		s->logged_at = now;
		v->logged = 1;
	} else if (now - s->logged_at >= AUTH_LOG_EVERY_S) {
		v->logged = s->unlogged;
		log_unlogged(s, now, "");
	}
}

static void entry_of(const struct slot *s, struct auth_entry *e)
{
	memcpy(e->address, s->address, sizeof(e->address));
	e->failures = s->failures;
	e->first = s->first;
	e->last = s->last;
	e->delay_ms = auth_delay_of(s->failures + 1);
	e->lifts = s->last + AUTH_QUIET_S;
}

/* Newest failure first; then by address, for a stable order. */
static int by_last(const void *a, const void *b)
{
	const struct auth_entry *x = a, *y = b;

	if (x->last != y->last)
		return x->last > y->last ? -1 : 1;
	return strcmp(x->address, y->address);
}

size_t auth_list(time_t now, struct auth_entry *out, size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < AUTH_SLOTS; i++) {
		const struct slot *s = &slots[i];

		if (s->address[0] == '\0' || quiet(s, now))
			continue;
		if (n < max)
			entry_of(s, &out[n]);
		n++;
	}
	qsort(out, n < max ? n : max, sizeof(*out), by_last);
	return n;
}

size_t auth_clear(const char *address, time_t now)
{
	size_t n = 0;

	for (size_t i = 0; i < AUTH_SLOTS; i++) {
		struct slot *s = &slots[i];

		if (s->address[0] == '\0' || (address && strcmp(s->address, address) != 0))
			continue;
		if (!quiet(s, now))
			n++;
		release(s, now, quiet(s, now) ? "; then quiet: forgotten" : "; cleared by an admin");
	}
	return n;
}

unsigned auth_tick(time_t now)
{
	unsigned counted = 0;

	for (size_t i = 0; i < AUTH_SLOTS; i++) {
		struct slot *s = &slots[i];

		if (s->address[0] == '\0')
			continue;
		if (quiet(s, now)) {
			counted += s->unlogged;
			release(s, now, "; then quiet: forgotten");
		} else if (s->unlogged > 0 && now - s->logged_at >= AUTH_LOG_EVERY_S) {
			counted += s->unlogged;
			log_unlogged(s, now, "");
		}
	}
	return counted;
}

void auth_reset(void)
{
	memset(slots, 0, sizeof(slots));
}
