/*
 * daemon_man.h: the manual page dotphad(8), written from dotphad's own
 * option table (options_table.h) by the hidden `dotphad --man`, which
 * `make man` runs.  In English, like --help and the log: dotphad is the
 * central office administrator's, whose tools speak English.
 */
#ifndef DOTPHA_DAEMON_MAN_H
#define DOTPHA_DAEMON_MAN_H

#include <stdio.h>

/* Writes the troff source of dotphad(8) to f. */
void daemon_man_write(FILE *f);

#endif
