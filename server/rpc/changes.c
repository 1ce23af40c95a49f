/*
 * changes.c: see changes.h.  The counters are atomic: writes run on the
 * writer, which a long write (EXCL) borrows on a pool thread.
 */
#include "changes.h"

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

static _Atomic uint64_t counters[CHANGES_KINDS];

/* Nouns that change nothing either kind counts: files, tokens, plans,
 * snapshots, follow-ups, amendments (a task's text and dates), the
 * throttle and terms. */
#define HARMLESS "file", "upload", "token", "snapshot", "step", "followup", "amendment", \
	"throttle", "term"

/* What each kind may ignore besides: progress updates and their
 * appraisals are no office's to answer; explanations and inspections no
 * focal point's to count. */
static const char *const harmless[CHANGES_KINDS][16] = {
	[CHANGES_OFFICE] = {HARMLESS, "update", NULL},
	[CHANGES_FOCAL] = {HARMLESS, "explanation", "inspection", "action", NULL},
};

static bool listed(const char *const *list, const char *noun)
{
	for (; *list; list++)
		if (strcmp(*list, noun) == 0)
			return true;
	return false;
}

void changes_note(const char *noun)
{
	for (int k = 0; k < CHANGES_KINDS; k++)
		if (!noun || !listed(harmless[k], noun))
			atomic_fetch_add(&counters[k], 1);
}

uint64_t changes_count(enum changes_kind k)
{
	return atomic_load(&counters[k]);
}
