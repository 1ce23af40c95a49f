/*
 * roff.h: writing manual pages in the man macros (man(7)), for the two
 * programs that print their own: `dotpha __man` (client/man.c) and
 * `dotphad --man` (server/daemon/daemon_man.c).  Each page is written from
 * its program's own tables; what they share is only how text becomes
 * troff, here.
 *
 * Text is UTF-8 and stays so (man-db runs preconv; groff wants -k).
 */
#ifndef DOTPHA_ROFF_H
#define DOTPHA_ROFF_H

#include <stdio.h>

/* Writes s as troff text: a backslash doubled, every '-' as \- (options
 * stay ASCII hyphens when copied from the page), and a '.' or '\'' that
 * would open a line after a newline of s shielded with \&.  No newline is
 * added.  Text written mid-line after a macro's argument is the caller's
 * to start on a fresh line. */
void roff_text(FILE *f, const char *s);

/* Writes s with `quoted` spans (a command to type) in bold: "run `dotpha
 * login`" shows dotpha login in bold, without the backquotes. */
void roff_prose(FILE *f, const char *s);

/* ".TH TITLE SECTION "" SOURCE MANUAL" and the preamble of a page. */
void roff_title(FILE *f, const char *title, const char *section, const char *source,
		const char *manual);

/* ".SH TITLE" (a section) and ".SS TITLE" (a subsection); the title is
 * quoted, its own quotes left out. */
void roff_section(FILE *f, const char *title);
void roff_subsection(FILE *f, const char *title);

/* A paragraph of prose (roff_prose) after .PP. */
void roff_paragraph(FILE *f, const char *text);

/* An option as a tagged paragraph: ".TP", then \fBname\fR and \fImeta\fR
 * (meta may be NULL), then help as prose (help may be NULL). */
void roff_option(FILE *f, const char *name, const char *meta, const char *help);

#endif
