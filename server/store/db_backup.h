/*
 * db_backup.h: a consistent copy of the open database into a new file
 * (db_backup.c; PROTOCOL.md 6k).
 */
#ifndef DOTPHA_DB_BACKUP_H
#define DOTPHA_DB_BACKUP_H

#include "db.h"

/* Copies the database as it is now into a new file at path (which must
 * not exist); *pages is its size in pages.  Inside a request's
 * transaction, so the copy is consistent. */
int db_backup_to(struct db *db, const char *path, int64_t *pages, struct rpc_error *err);

#endif
