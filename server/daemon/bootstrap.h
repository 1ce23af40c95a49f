/*
 * bootstrap.h: the first start on an empty database.
 */
#ifndef DOTPHA_BOOTSTRAP_H
#define DOTPHA_BOOTSTRAP_H

struct db;

/* If the database has no account, creates `admin` (the whole tree) with a
 * token named "bootstrap", writes the token to "<db_path>.admin-token"
 * (mode 0600) and logs where.  The file is written and synced before the
 * account is committed, so a token that was committed is never lost.
 * Returns 0, or -1 after logging why. */
int bootstrap_admin(struct db *db, const char *db_path);

#endif
