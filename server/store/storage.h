/*
 * storage.h: the daemon's files on disk and the room they take.  The
 * database, its WAL and every backup are the service's alone (main.c sets
 * umask 077; storage_check_modes says when a file is wider); a backup
 * copy left by a crash is removed at the next start; uploads stop at a
 * per-unit quota and above a floor of free space, before SQLite's own
 * writes would fail (file.c).
 */
#ifndef DOTPHA_STORAGE_H
#define DOTPHA_STORAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "errors.h"

#define STORAGE_DEFAULT_UPLOAD_QUOTA (2ull << 30) /* 2 GiB of evidence per unit */
#define STORAGE_DEFAULT_MIN_FREE (512ull << 20)   /* 512 MiB kept free on the disk */

/* The limits file.c applies: bytes of evidence files per unit (0: no
 * quota) and free bytes the database's file system keeps (0: no floor).
 * Set at start and by SIGHUP's reload, on the loop's thread. */
void storage_set_limits(uint64_t upload_quota, uint64_t min_free);
uint64_t storage_upload_quota(void);

/* file.withdraw erased bytes whose older copies may linger in the WAL:
 * housekeeping empties it (db_wal_truncate) at its next tick, and again
 * until it succeeds.  Loop thread only. */
void storage_erased(void);
bool storage_wal_erase_due(void);
void storage_wal_erased(void);

/* The directory part of path into dir ("." when it has none, "/" for a
 * file at the root). */
void storage_dir_of(const char *path, char *dir, size_t n);

/* Free bytes (for an unprivileged writer) of the file system holding the
 * directory of db_path, into *free; 0, or -1 with errno. */
int storage_free_bytes(const char *db_path, uint64_t *free);

/* RPC_OK when writing `need` more bytes beside db_path still leaves the
 * floor free; else storage_full with err saying how much is free.  A file
 * system that cannot be measured passes: SQLite then says what it finds. */
int storage_check_free(const char *db_path, int64_t need, struct rpc_error *err);

/* Calls say(arg, line) for each of the database, its -wal and -shm (those
 * that exist) that group or others may read or write, and for its
 * directory when it is wider than 0700: a line naming the file, its mode
 * and the chmod that fixes it.  Returns how many lines it said. */
int storage_check_modes(const char *db_path, void (*say)(void *arg, const char *line), void *arg);

/* Removes the copies backup.create left beside db_path when the daemon
 * died making them: exactly "<db file>.backup-<pid>-<n>", and its
 * "-journal", whose process is not running (or is this one: a pid reused
 * after a restart).  Logs each file removed or kept.  Returns how many
 * were removed. */
int storage_remove_leftovers(const char *db_path);

#endif
