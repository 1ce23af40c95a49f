/*
 * report_html.h: report.get's result as one self-contained HTML page in
 * Vietnamese for printing on A4 (`dotpha report --html FILE`): the
 * summary table, a bar per unit by health (SVG), the official table per
 * unit, completion over time (SVG) and the overdue tasks with their
 * owners.  Inline CSS and SVG only: no script, nothing fetched.
 */
#ifndef DOTPHA_REPORT_HTML_H
#define DOTPHA_REPORT_HTML_H

#include <msgpack.h>

#include "strbuf.h"

/* Appends the page for report result res to sb.  Returns 0, or -1 when
 * res lacks the summary, the units or the overdue list. */
int report_html(struct strbuf *sb, const msgpack_object *res);

#endif
