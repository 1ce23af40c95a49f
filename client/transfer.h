/*
 * transfer.h: `dotpha import` and `dotpha export` (PROTOCOL.md 6j): CSV
 * files in and out as spreadsheets save and open them, read and written
 * with protocol/text/csv.c, their cells converted by sheet.c.
 */
#ifndef DOTPHA_TRANSFER_H
#define DOTPHA_TRANSFER_H

#include "run.h"

/* How an import's result shows (--json: as the server sent it). */
extern const struct render_view views_import, views_export;

/* Reads FILE as CSV (its first record the header, its separator ',', ';'
 * or tab as the header shows) and sends every row in one import.run, with
 * --dry-run as asked.  Shows what was created, updated and unchanged
 * (views_import); bad rows go to stderr as "FILE:LINE: HEADER: REASON",
 * and the exit code is 5 (invalid_argument), nothing imported. */
int run_import(struct cli *c, const struct command *cmd, const struct args *a);

/* Pages export.rows to the end and writes CSV (UTF-8 with a BOM, CRLF;
 * in Vietnamese, the language by default: Vietnamese headers and labels,
 * dd/mm/yyyy, local moments, ';' between cells; in English the wire's
 * codes and values, ','; --sep chooses) or JSON (an array of objects, the
 * wire's values) to -o PATH or stdout. */
int run_export(struct cli *c, const struct command *cmd, const struct args *a);

#endif
