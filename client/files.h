/*
 * files.h: the commands that move evidence files (PROTOCOL.md 6d) and so
 * make many calls on one connection: `dotpha attach` sends a file in
 * chunks, resuming an upload cut off earlier, and `dotpha download` fetches
 * one whole, never leaving a partial file under the final name.  Progress
 * shows on a terminal (stderr) and nowhere else.
 */
#ifndef DOTPHA_FILES_H
#define DOTPHA_FILES_H

#include <stdbool.h>
#include <stdint.h>

#include "args.h"
#include "cli.h"
#include "commands.h"
#include "run.h"

/* Hashes FILE, begins (or resumes) its upload to TASK, sends the missing
 * chunks and finishes; shows the file.  Says "resuming at X of Y bytes"
 * on stderr when the server already had some.  A digest mismatch (the
 * file changed meanwhile) drops the upload and fails. */
int run_attach(struct cli *c, const struct command *cmd, const struct args *a);

#define FILES_NAME_MAX 200 /* bytes of a name files_safe_name() makes */

/* Writes into out (n > FILES_NAME_MAX bytes) a name under which a file the
 * server calls name (another user's choice: anything) may be created in
 * the current folder and printed: every control character (C0, DEL, C1),
 * bidi control (U+202A..U+202E, U+2066..U+2069, U+200E, U+200F, U+061C),
 * path separator ('/', '\\') and byte that is not UTF-8 becomes '_';
 * then dots, dashes and blanks at the start and dots and blanks at the
 * end go (".bash_profile" is saved as "bash_profile", "../x" as "_x");
 * a name longer than FILES_NAME_MAX bytes is cut at a character boundary,
 * keeping an extension of up to 16 letters and digits; an empty result is
 * "tep-ID".  Returns true if out differs from name. */
bool files_safe_name(const char *name, int64_t id, char *out, size_t n);

/* file.get, then file.read chunk by chunk into PATH.part, then PATH (-o,
 * else files_safe_name() of the file's name in the current folder).
 * Without -o nothing is overwritten: an existing PATH (or PATH.part) is an
 * error before anything is fetched, and the final rename refuses to
 * replace one made meanwhile; -o PATH replaces PATH.  The SHA-256 is
 * checked before PATH.part is renamed to PATH.  On any failure PATH.part
 * is removed. */
int run_download(struct cli *c, const struct command *cmd, const struct args *a);

/* `dotpha admin backup PATH`: backup.create (the database as it is now,
 * copied on the server), then backup.read chunk by chunk into PATH.part,
 * checked against its SHA-256 and renamed to PATH, then backup.drop. */
int run_backup(struct cli *c, const struct command *cmd, const struct args *a);

#endif
