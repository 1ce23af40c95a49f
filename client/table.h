/*
 * table.h: a grid of text cells printed in aligned columns.
 *
 * Widths are display widths (utf8_width), so Vietnamese with precomposed
 * letters or combining marks lines up.  Given a width limit (a terminal's
 * columns), the columns marked TABLE_SHRINK are narrowed, widest first, and
 * cells cut with "…" until the row fits; with no limit nothing is cut.
 * The table owns copies of everything put in it.
 */
#ifndef DOTPHA_TABLE_H
#define DOTPHA_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_RIGHT 1u  /* right-aligned (numbers) */
#define TABLE_SHRINK 2u /* may be cut to fit the width */
#define TABLE_GAP 2     /* spaces between columns */
#define TABLE_MIN_SHRINK 6 /* a column is not cut narrower than this (or its header) */

struct table {
	size_t ncols;
	char **headers;   /* ncols owned strings */
	unsigned *flags;  /* ncols TABLE_* flags */
	char **cells;     /* rows * ncols owned strings, row-major */
	size_t rows;      /* rows added */
	size_t cap;       /* rows allocated */
	bool failed;      /* memory ran out; the table is incomplete */
};

/* Sets up a table of ncols columns with empty headers.  Returns 0 or -1. */
/* Replaces control characters in p[0..n) (C0, DEL and C1: ESC, CR, BEL,
 * CSI...) with spaces, so text another user stored cannot move the cursor,
 * retitle the window or disguise a line.  Newlines stay if keep_newlines. */
void table_clean(char *p, size_t n, bool keep_newlines);

int table_init(struct table *t, size_t ncols);

/* Frees everything the table owns. */
void table_free(struct table *t);

/* Names column col and sets its flags. */
void table_header(struct table *t, size_t col, const char *header, unsigned flags);

/* Appends a row of empty cells.  Returns 0 or -1. */
int table_add_row(struct table *t);

/* Sets cell col of the last row to a copy of s[0..n), with each control
 * character (newline, tab...) turned into a space so it keeps to one line. */
void table_set(struct table *t, size_t col, const char *s, size_t n);

/* Drops all rows but the last n. */
void table_keep_last(struct table *t, size_t n);

/* Computes the column widths for a width limit (0: none) into w[ncols]. */
void table_widths(const struct table *t, size_t limit, size_t *w);

/* Prints the header and the rows to out, fitted to width (0: no limit). */
void table_print(const struct table *t, FILE *out, size_t width);

#endif
