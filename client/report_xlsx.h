/*
 * report_xlsx.h: `dotpha report --xlsx FILE`: report.get's result as an
 * Excel workbook (libxlsxwriter), for an office to open, sort and print:
 * sheet 1 the official table per unit with its totals (the columns of
 * `report --csv`, report_column()), sheet 2 the summary (the lines of the
 * text report's summary, views_report_summary).  Headers are Vietnamese,
 * figures are numbers (rates with one decimal), columns sized to read.
 */
#ifndef DOTPHA_REPORT_XLSX_H
#define DOTPHA_REPORT_XLSX_H

#include <msgpack.h>

#include "cli.h"

/* Writes res (report.get's result) to path and says where on stdout.
 * Returns RPC_STATUS_OK, or RPC_STATUS_LOCAL with c->error set (the file
 * is then removed), or a malformed answer's status. */
int report_xlsx_write(struct cli *c, const msgpack_object *res, const char *path);

#endif
