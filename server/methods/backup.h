/*
 * backup.h: what the daemon does with the copies backup.create made
 * (backup.c) when it stops.
 */
#ifndef DOTPHA_BACKUP_H
#define DOTPHA_BACKUP_H

/* Deletes every copy not yet dropped (server_run, at the end). */
void backup_drop_all(void);

#endif
