/*
 * columns.h: `--columns a,b,c`, the columns a list shows and their order.
 *
 * A column is named by its key, the field it shows as --json names it
 * ("title", "due_date"), or by its header in either language, compared
 * without diacritics, case or the difference between '_' and a space
 * ("Tên việc", "ten viec", "Hạn").  The picked columns are copies of the
 * view's (views.c), so they wrap and align as the full list does.
 */
#ifndef DOTPHA_COLUMNS_H
#define DOTPHA_COLUMNS_H

#include <stddef.h>

#include "render.h"
#include "strbuf.h"

#define COLUMNS_MAX 24 /* columns a --columns may name */

/* Fills out[0..COLUMNS_MAX] with the columns of cols (ended by a NULL
 * label) that spec names, comma-separated, in its order, and a NULL label
 * after them.  Returns their number, or -1 with a usage message in msg
 * (size n): a name that is no column, listing the known ones; an empty
 * spec or name; too many names. */
int columns_pick(const struct render_col *cols, const char *spec, struct render_col *out,
		 char *msg, size_t n);

/* Appends "id (ID), title (Tên việc), ...": the key of each column of cols
 * and its header in the language in force, for --help and errors. */
void columns_keys(struct strbuf *sb, const struct render_col *cols);

#endif
