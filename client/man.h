/*
 * man.h: the manual page dotpha(1), written from the command table
 * (commands.h) in the language in force by the hidden command `dotpha
 * __man [--lang en]`, which `make man` runs for build/man/vi/dotpha.1
 * (Vietnamese, the default) and build/man/dotpha.1 (English).
 */
#ifndef DOTPHA_MAN_H
#define DOTPHA_MAN_H

#include <stdio.h>

/* Writes the troff source of dotpha(1) to f, in the language in force. */
void man_write(FILE *f);

#endif
