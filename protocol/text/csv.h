/*
 * csv.h: CSV as spreadsheets save it (RFC 4180): fields separated by
 * commas (or, as Excel and LibreOffice save under Vietnamese settings,
 * semicolons; or tabs), records by CRLF or LF, fields in double quotes may
 * hold separators, quotes (doubled) and line breaks; a UTF-8 byte order
 * mark at the start is skipped.  The reader keeps the line each record starts on, so an
 * import can name the line of a bad row, and refuses text that is not
 * UTF-8.  The writer quotes a field only when it must.  No global state.
 *
 * Debian's libcsv was considered: it neither tracks lines nor checks
 * UTF-8, and both are what an import reports on, so this small module
 * does the whole job instead.
 */
#ifndef DOTPHA_CSV_H
#define DOTPHA_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* One record: its fields as NUL-terminated strings (a field may also hold
 * NUL-free line breaks), and the 1-based line it starts on. */
struct csv_record {
	char **fields;   /* nfields strings, owned by the table */
	size_t nfields;
	long line;       /* the line of the file the record starts on */
};

/* A whole file's records, in order; blank lines are skipped. */
struct csv_table {
	struct csv_record *records; /* owned */
	size_t nrecords;
};

/* Where and why a file could not be read. */
struct csv_error {
	long line;          /* 1-based line of the fault */
	long column;        /* 1-based field number within the record */
	char message[160];  /* a sentence for a person */
};

/* The separators csv_separator tells apart, the first the default. */
#define CSV_SEPARATORS ",;\t"

/* The separator of a file: the one of CSV_SEPARATORS found most often
 * outside quotes in its first non-blank line (the header), ',' when none
 * is. */
char csv_separator(const char *buf, size_t len);

/* Parses `len` bytes, fields separated by `sep`, into *out.  Returns 0, or
 * -1 with *err set (then *out is empty); running out of memory is
 * reported the same way.  The caller frees *out with csv_table_free
 * either way. */
int csv_parse(const char *buf, size_t len, char sep, struct csv_table *out,
	      struct csv_error *err);

/* Frees what csv_parse made; safe on an empty table. */
void csv_table_free(struct csv_table *t);

/* Writes the byte order mark spreadsheets look for to tell UTF-8. */
void csv_write_bom(FILE *f);

/* Writes one record of n fields separated by `sep` followed by CRLF,
 * quoting a field that holds the separator, a quote, a CR or an LF, or
 * starts or ends with a space. */
void csv_write_record(FILE *f, char sep, const char *const *fields, size_t n);

/* The guard against formula injection (CWE-1236): a spreadsheet takes a
 * cell starting with = + - @, a tab or a CR for a formula, so such a text
 * is written after an apostrophe, which spreadsheets read as "this is
 * text"; so is a text starting with an apostrophe, so that csv_unguard
 * gives back every text whole.  csv_needs_guard says whether s needs it;
 * csv_unguard returns s past the one apostrophe the guard put there (s
 * itself when it has none: an apostrophe before anything else is text). */
bool csv_needs_guard(const char *s);
const char *csv_unguard(const char *s);

#endif
