/*
 * report.h: the report commands (PROTOCOL.md 6i): `dotpha report` shows
 * report.get's result as tables, as its exact JSON (--json) or as the
 * official table in CSV (--csv); `dotpha report compare` shows what moved
 * between two snapshots.
 */
#ifndef DOTPHA_REPORT_H
#define DOTPHA_REPORT_H

#include <msgpack.h>

#include "cli.h"
#include "commands.h"
#include "strbuf.h"

/* report.get: tables, --json or --csv. */
int run_report(struct cli *c, const struct command *cmd, const struct args *a);

/* report.compare: the summary's figures and the units', before and after. */
int run_report_compare(struct cli *c, const struct command *cmd, const struct args *a);

/* Appends report.get's result res as the official table per unit in CSV
 * (RFC 4180: fields quoted when needed, CRLF), UTF-8 after a BOM, its
 * last row the totals.  Returns 0, or -1 if res has no units. */
int report_csv(struct strbuf *sb, const msgpack_object *res);

/* The official table's column k (from 0): its header, and in *key the
 * field of a unit's row (and of the summary) it shows; NULL past the
 * last column.  The CSV and the workbook (report_xlsx.c) show these. */
const char *report_column(size_t k, const char **key);

/* Appends s[0..n) as one CSV field, quoted when needed. */
void report_csv_field(struct strbuf *sb, const char *s, size_t n);

#endif
