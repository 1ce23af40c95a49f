/*
 * demo.h: the deterministic demo province (demo.c).
 */
#ifndef DOTPHA_DEMO_H
#define DOTPHA_DEMO_H

/* `dotphad [--db PATH] demo [--scale N] [--force]`: argv holds the words
 * after "demo".  Returns the process exit status. */
int demo_main(const char *db_path, int argc, char **argv);

#endif
