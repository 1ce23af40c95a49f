/*
 * changes.h: which kinds of records the writes have changed, as counters
 * (changes.c), so that a result computed earlier can be known to still
 * hold: inbox.c keeps each account's counts of what waits and counts
 * again only when a write could have changed them.
 *
 * dispatch.c calls changes_note() with the audit noun of every write whose
 * handler succeeded (before its COMMIT: a write taken back later only
 * costs a needless recount).  A noun this file does not list as harmless
 * to a kind moves that kind's counter, so a new noun is safe by default.
 */
#ifndef DOTPHA_CHANGES_H
#define DOTPHA_CHANGES_H

#include <stdint.h>

enum changes_kind {
	CHANGES_OFFICE, /* what an office must answer or do: reminders, explanations, actions */
	CHANGES_FOCAL,  /* what a focal point must appraise or chase: updates, its reminders */
	CHANGES_KINDS
};

/* A write of `noun` (methods.def's audit noun) succeeded. */
void changes_note(const char *noun);

/* The counter of kind k: it differs from an earlier reading once a write
 * that may change such records has succeeded since. */
uint64_t changes_count(enum changes_kind k);

#endif
