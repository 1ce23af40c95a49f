/*
 * hidden.h: the commands for the build and the shell, not for people:
 * `dotpha __man` (man.h) and `dotpha __complete WORD...` (complete.h).
 * They are not rows of the command table, so no help lists them.
 */
#ifndef DOTPHA_HIDDEN_H
#define DOTPHA_HIDDEN_H

#include <stdbool.h>
#include <stdio.h>

/* True if word names a hidden command. */
bool hidden_is(const char *word);

/* Runs the hidden command argv[0] with its words argv[1..argc); the global
 * options were read before it (cli.c), the language set.  Returns the
 * exit code. */
int hidden_run(int argc, char **argv, FILE *out, FILE *err);

#endif
