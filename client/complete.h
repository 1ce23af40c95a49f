/*
 * complete.h: shell completion from the command table.  The hidden
 * command `dotpha __complete WORD...` (the words of the command line after
 * `dotpha`, the last one being completed, "" for a new word) prints the
 * candidates for that last word, one a line: nouns, verbs of a noun,
 * options of a command (and the global ones), the codes an option of a
 * fixed set takes (kinds, states, ratings, fields, term kinds, roles...),
 * and the codes of units, cadres and terms, asked of the server with a
 * 1 s timeout and silently none when it cannot answer.  The bash and zsh
 * scripts (dist/completion/) only call it.
 */
#ifndef DOTPHA_COMPLETE_H
#define DOTPHA_COMPLETE_H

#include <stdio.h>

#define COMPLETE_TIMEOUT_MS 1000 /* the most a TAB waits for the server */

/* Prints the candidates for words[n - 1] to out; n == 0 counts as one
 * empty word.  Always returns 0: completion never fails aloud. */
int complete_run(int n, char **words, FILE *out);

#endif
