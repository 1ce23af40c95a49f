/*
 * check.h: dotphad --check (check.c).
 */
#ifndef DOTPHA_CHECK_H
#define DOTPHA_CHECK_H

/* dotphad --check: opens the database as a start would (applying pending
 * migrations), runs SQLite's integrity check and walks the audit trail's
 * hash chain, and prints what it found, with a warning for each of its
 * files wider than the service's alone.  Serves nothing.  Returns the exit
 * status: 0 if all is well, 1 if not; a warning on modes alone is 0, since
 * an admin may have widened them on purpose (a backup agent's group). */
int check_run(const char *path, const char *anchor_path);

#endif
