/*
 * sheet.h: the cells of an import or export file as a person's spreadsheet
 * has them, against the rows of strings import.run and export.rows carry
 * (PROTOCOL.md 6j).  The wire has the columns' codes, codes for coded
 * values, ISO dates and UTC moments; a file has Vietnamese headers,
 * Vietnamese labels, dd/mm/yyyy dates and local moments (or, in English,
 * the wire's own form), and an apostrophe before a text a spreadsheet
 * would take for a formula.  This file converts one cell at a time, both
 * ways; transfer.c reads and writes the files.  Judging a value is the
 * server's: what is not a date or a label here goes to it as it is.
 */
#ifndef DOTPHA_SHEET_H
#define DOTPHA_SHEET_H

#include <stdbool.h>

#include "render.h"
#include "strbuf.h"

/* One column of a kind: how its cells read. */
struct sheet_col {
	const char *kind;      /* "units", "cadres", "tasks", "terms", "updates" */
	const char *name;      /* the column's code on the wire: "due_date" */
	const char *header;    /* its Vietnamese header: "Hạn hoàn thành" */
	enum render_kind type; /* RENDER_TEXT, RENDER_DATE, RENDER_MOMENT_SEC or a labelled
	                        * kind (RENDER_TASK_KIND...) */
};

/* The column `name` of `kind`, or NULL for one this client does not know
 * (a newer server's): its cells are then written and read as they are. */
const struct sheet_col *sheet_column(const char *kind, const char *name);

/* The column of `kind` a file's header cell names: its Vietnamese header
 * (compared without diacritics, case or blanks) or its code.  NULL when
 * it names none. */
const struct sheet_col *sheet_column_by_header(const char *kind, const char *header);

/* Appends the headers of kind's columns, ", " between them: Vietnamese
 * (vi) or the codes. */
void sheet_headers(struct strbuf *sb, const char *kind, bool vi);

/* Appends the cell for wire value `value` of column c (NULL: unknown):
 * with vi, a coded value as its label, a date as dd/mm/yyyy, a moment in
 * local time; then, in either language, the apostrophe that keeps a
 * formula a text (csv_needs_guard). */
void sheet_cell(struct strbuf *sb, const struct sheet_col *c, const char *value, bool vi);

/* Appends the wire value of a file's cell in column c (NULL: unknown):
 * without the guard's apostrophe; a date read as dd/mm/yyyy or
 * yyyy-mm-dd; a label (or code) as its code.  A cell that is none of the
 * forms its column takes is appended as it is, for the server to judge. */
void sheet_value(struct strbuf *sb, const struct sheet_col *c, const char *cell);

/* Appends, after the server's reason for a bad `value` of column c (as
 * sent), what forms a file may write there, when value is not one of
 * them; nothing otherwise. */
void sheet_hint(struct strbuf *sb, const struct sheet_col *c, const char *value);

#endif
