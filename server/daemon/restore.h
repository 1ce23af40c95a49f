/*
 * restore.h: `dotphad restore FILE --db PATH` (restore.c): a backup put
 * in place of the database, while no dotphad serves it.
 */
#ifndef DOTPHA_RESTORE_H
#define DOTPHA_RESTORE_H

/* Runs `restore` with the words after it (FILE, then --db PATH; PATH
 * defaults to db_path, the --db given before the command or in
 * --config).  Refuses while another process holds the database (a
 * running dotphad), or when FILE fails the checks of `dotphad --check`;
 * otherwise keeps the database it replaces (and its WAL) aside as
 * PATH.replaced-YYYYMMDD-HHMMSS, installs the checked copy with the old
 * database's owner (else its directory's) and mode 0600, and says what it
 * did.  Returns the exit status: 0 done, 1 refused or failed (said on
 * stderr), 2 a usage error. */
int restore_main(const char *db_path, int argc, char **argv);

#endif
