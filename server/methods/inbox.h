/*
 * inbox.h: what waits for the caller, by role (inbox.c): the counts
 * session.auth gives with `waiting: true`, and the lists of inbox.get.
 */
#ifndef DOTPHA_INBOX_H
#define DOTPHA_INBOX_H

#include "db_waiting.h"
#include "dispatch.h"

/* An inspection action counts as waiting when due within this many days
 * from today (overdue ones too): a week is what an office plans ahead. */
#define INBOX_SOON_DAYS 7

/* Fills *w for the signed-in caller (c->who): an office gets the office's
 * half of db_waiting.h, a supervisor the focal point's in its scope, an
 * admin the focal point's over the whole tree, a viewer nothing (all 0). */
int inbox_count(struct call *c, struct waiting *w);

/* inbox_count(), or the counts of the account's last sign-in while they
 * still hold (inbox.c: the same day, under a minute old, and no write
 * since that could change them, unless the account's scope is the whole
 * tree).  For session.auth only: it runs on the writer, one at a time. */
int inbox_count_kept(struct call *c, struct waiting *w);

/* Packs the map {"reminders", "reminders_overdue", "explanations",
 * "actions", "appraisals", "sent_overdue"} of *w. */
void inbox_pack_counts(msgpack_packer *pk, const struct waiting *w);

#endif
