/*
 * files.h: the commands that move evidence files (PROTOCOL.md 6d) and so
 * make many calls on one connection: `dotpha attach` sends a file in
 * chunks, resuming an upload cut off earlier, and `dotpha download` fetches
 * one whole, never leaving a partial file under the final name.  Progress
 * shows on a terminal (stderr) and nowhere else.
 */
#ifndef DOTPHA_FILES_H
#define DOTPHA_FILES_H

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "run.h"

/* Hashes FILE, begins (or resumes) its upload to TASK, sends the missing
 * chunks and finishes; shows the file.  Says "resuming at X of Y bytes"
 * on stderr when the server already had some.  A digest mismatch (the
 * file changed meanwhile) drops the upload and fails. */
int run_attach(struct cli *c, const struct command *cmd, const struct args *a);

/* file.get, then file.read chunk by chunk into PATH.part (PATH: -o, else
 * the file's name in the current folder, which must not exist yet); the
 * SHA-256 is checked before PATH.part is renamed to PATH.  On any failure
 * PATH.part is removed. */
int run_download(struct cli *c, const struct command *cmd, const struct args *a);

/* `dotpha admin backup PATH`: backup.create (the database as it is now,
 * copied on the server), then backup.read chunk by chunk into PATH.part,
 * checked against its SHA-256 and renamed to PATH, then backup.drop. */
int run_backup(struct cli *c, const struct command *cmd, const struct args *a);

#endif
