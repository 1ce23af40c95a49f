/*
 * notice.h: the one line on stderr, after a command, that says what waits
 * for the account (issue 20): unanswered reminders, explanation requests,
 * inspection actions due soon, updates to appraise.  The counts come with
 * the command's own sign-in (session.auth `waiting: true`, rpc.h), so the
 * line costs no round trip; `dotpha inbox` lists what it counts.
 */
#ifndef DOTPHA_NOTICE_H
#define DOTPHA_NOTICE_H

#include <stdbool.h>
#include <stdio.h>

#include "rpc.h"

struct command;

/* True when the line is to be shown after cmd, so its sign-in should ask
 * for the counts: a person reads err (a terminal), not --json, not
 * --quiet, not `notices = off` (config.h), a command that signs in with
 * the saved token (not login or logout), and not one whose own answer
 * makes the counts stale or repeats them (inbox; answering a reminder or
 * an explanation, an action done, an update appraised: the counts were
 * taken at sign-in, before the change). */
bool notice_wanted(const struct command *cmd, bool json, bool quiet, bool off, FILE *err);

/* Writes the line to err when w holds counts and any of them is not 0. */
void notice_print(FILE *err, const struct rpc_waiting *w);

#endif
