/*
 * table.h: a grid of text cells printed in aligned columns.
 *
 * Widths are display widths (utf8_width), so Vietnamese with precomposed
 * letters or combining marks lines up.  Nothing is ever cut.  Given a width
 * limit (a terminal's columns) that the table's rows exceed, columns are
 * narrowed and their cells (and headers) wrapped over several lines at the
 * spaces between words, in three rounds, each taking the widest column of
 * its round first:
 *   1. long text (TABLE_SHRINK: titles, names, reasons) down to
 *      TABLE_WRAP_FIRST columns;
 *   2. the other columns down to their longest word (a number, a date or a
 *      code is never split);
 *   3. long text down to TABLE_WRAP_MIN (a word wider than that is split).
 * When even that is too wide (too many columns), each row is printed as a
 * block of "Header: value" lines, values wrapped to the limit, blocks
 * separated by a blank line: the record layout.  With no limit every row
 * is one line, its columns as wide as their widest cell.
 * The table owns copies of everything put in it.
 */
#ifndef DOTPHA_TABLE_H
#define DOTPHA_TABLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define TABLE_RIGHT 1u  /* right-aligned (numbers); its cells are never wrapped */
#define TABLE_SHRINK 2u /* long text: the first to be wrapped, and the narrowest */
#define TABLE_GAP 2     /* spaces between columns */
#define TABLE_WRAP_FIRST 30 /* round 1 wraps long text to this width */
#define TABLE_WRAP_MIN 16   /* long text is not wrapped narrower (nor than a header's word) */

struct table {
	size_t ncols;
	char **headers;   /* ncols owned strings */
	unsigned *flags;  /* ncols TABLE_* flags */
	char **cells;     /* rows * ncols owned strings, row-major */
	size_t rows;      /* rows added */
	size_t cap;       /* rows allocated */
	bool failed;      /* memory ran out; the table is incomplete */
};

/* Replaces control characters in p[0..n) (C0, DEL and C1: ESC, CR, BEL,
 * CSI...) with spaces, so text another user stored cannot move the cursor,
 * retitle the window or disguise a line.  Newlines stay if keep_newlines. */
void table_clean(char *p, size_t n, bool keep_newlines);

/* Sets up a table of ncols columns with empty headers.  Returns 0 or -1. */
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

/* Computes the column widths for a width limit (0: none) into w[ncols], as
 * the rounds above narrow them.  Returns true if the rows fit in limit (or
 * there is none), false if the table must be printed as records. */
bool table_widths(const struct table *t, size_t limit, size_t *w);

/* Prints the header and the rows to out, fitted to width (0: no limit):
 * no line is wider than width unless a single word or number is (a
 * width below the longest header in the record layout); every word of
 * every cell is printed. */
void table_print(const struct table *t, FILE *out, size_t width);

/* A text being cut into lines of at most w columns. */
struct table_wrap {
	const char *s;  /* the text, borrowed */
	size_t n;       /* its length */
	size_t pos;     /* where the next line starts */
	size_t indent;  /* leading spaces repeated on every line (a tree's depth) */
	size_t w;       /* the width of a line after the indent */
	bool started;   /* a line was given: an empty text gives one empty line */
};

/* Starts cutting s (NUL-terminated, borrowed) into lines of w columns; its
 * leading spaces are repeated on every line if keep_indent (and they leave
 * room), dropped otherwise. */
void table_wrap_init(struct table_wrap *wr, const char *s, size_t w, bool keep_indent);

/* Gives the next line in *p, *len (without the indent), or returns false
 * when the text has no more.  A line is as many whole words as fit; a
 * word wider than the line on its own is split between characters (never
 * between a letter and its marks). */
bool table_wrap_next(struct table_wrap *wr, const char **p, size_t *len);

/* Prints the rows as records (see above), values wrapped to width (0: no
 * limit), whatever the width. */
void table_print_records(const struct table *t, FILE *out, size_t width);

#endif
