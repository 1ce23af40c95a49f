/*
 * auth.c: see auth.h.
 */
#include "auth.h"

#include <stdio.h>
#include <string.h>

struct slot {
	char address[48];    /* "" for a free slot */
	unsigned failures;   /* within the window */
	time_t first;        /* first failure of the window */
	time_t last;         /* latest failure, for eviction */
	time_t locked_until; /* refused until then */
};

static struct slot slots[AUTH_SLOTS];

static struct slot *find(const char *address, int create, time_t now)
{
	struct slot *free_slot = NULL, *stalest = &slots[0];

	for (size_t i = 0; i < AUTH_SLOTS; i++) {
		struct slot *s = &slots[i];

		if (s->address[0] == '\0') {
			if (!free_slot)
				free_slot = s;
			continue;
		}
		if (strcmp(s->address, address) == 0)
			return s;
		if (s->last < stalest->last)
			stalest = s;
	}
	if (!create)
		return NULL;
	if (!free_slot)
		free_slot = stalest; /* the table is full: forget the stalest */
	memset(free_slot, 0, sizeof(*free_slot));
	snprintf(free_slot->address, sizeof(free_slot->address), "%s", address);
	free_slot->first = now;
	return free_slot;
}

long auth_refused(const char *address, time_t now)
{
	struct slot *s = find(address, 0, now);

	if (!s || s->locked_until <= now)
		return 0;
	return (long)(s->locked_until - now);
}

unsigned auth_failed(const char *address, time_t now, unsigned *failures)
{
	struct slot *s = find(address, 1, now);
	unsigned delay;

	if (now - s->first > AUTH_WINDOW_S) {
		s->failures = 0;
		s->first = now;
	}
	s->failures++;
	s->last = now;
	*failures = s->failures;
	if (s->failures >= AUTH_LOCK_AFTER)
		s->locked_until = now + AUTH_LOCK_S;
	if (s->failures <= AUTH_DELAY_AFTER)
		return 0;
	delay = (s->failures - AUTH_DELAY_AFTER) * AUTH_DELAY_STEP_MS;
	return delay > AUTH_DELAY_MAX_MS ? AUTH_DELAY_MAX_MS : delay;
}

void auth_succeeded(const char *address)
{
	struct slot *s = find(address, 0, 0);

	if (s && s->locked_until == 0)
		memset(s, 0, sizeof(*s));
}

void auth_reset(void)
{
	memset(slots, 0, sizeof(slots));
}
