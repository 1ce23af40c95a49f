/*
 * sys.h: the operating-system services the client needs besides sockets
 * (those are in net.c): random bytes, the terminal's width, and a pause.
 * A Windows port replaces this file and net.c; nothing else is POSIX-only.
 */
#ifndef DOTPHA_SYS_H
#define DOTPHA_SYS_H

#include <stddef.h>
#include <stdio.h>

/* Fills buf with n bytes from the system's random source (/dev/urandom).
 * Returns 0, or -1 if the source cannot be read. */
int sys_random(void *buf, size_t n);

/* The width in columns of the terminal f writes to, or 0 when f is not a
 * terminal (then nothing is cut to fit).  Asks the terminal (TIOCGWINSZ),
 * then $COLUMNS, then assumes 80. */
size_t sys_term_width(FILE *f);

/* Sleeps for ms milliseconds. */
void sys_sleep_ms(unsigned ms);

#endif
