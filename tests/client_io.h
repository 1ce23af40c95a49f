/*
 * client_io.h: the dotpha command line as an integration test sees it: the
 * client kept away from the user's own configuration, dotpha run against a
 * test's daemon with what it printed kept until the test ends, and that
 * output read back: --json parsed into msgpack objects, lines, sections
 * and "Label: value" lines of a record, cells of a table checked by
 * display width.  The daemon itself is helpers.h's (daemon_start,
 * client_run); this file only adds the Criterion side.
 *
 * A suite calls client_io_isolate() in its .init once the daemon's directory
 * exists, and client_io_free() in its .fini.  Failures are Criterion
 * assertions, so the functions return only good values.  Everything they
 * return lives until client_io_free(): a test never frees it.
 *
 * The short names match world.h's style; a test includes one of client_io.h
 * (a real daemon) or world.h (the dispatcher in process), not both.
 */
#ifndef DOTPHA_TESTS_CLIENT_IO_H
#define DOTPHA_TESTS_CLIENT_IO_H

#include <criterion/criterion.h>

#include <stdbool.h>
#include <stddef.h>

#include <msgpack.h>

#include "helpers.h"

/* ---- memory ---- */

/* Takes over p (malloc'ed, must not be NULL) until client_io_free(); returns p. */
void *keep(void *p);

/* A printf into memory kept until client_io_free(). */
char *keep_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Frees everything kept and parsed since client_io_isolate(): the suite's .fini. */
void client_io_free(void);

/* ---- running dotpha ---- */

/* Points $HOME and $XDG_CONFIG_HOME at d's directory and unsets
 * $DOTPHA_SERVER, $DOTPHA_LANG and $COLUMNS, so dotpha reads neither the
 * user's config file nor the caller's server, speaks its default language,
 * Vietnamese, as the offices see it (a test wanting English passes --lang
 * en), and prints tables in whole lines (a test wanting a width sets
 * COLUMNS); and readies the JSON reader.  The suite's .init. */
void client_io_isolate(const struct daemon *d);

/* One run of dotpha: its exit status, stdout, stderr and the arguments
 * as one line for failure messages. */
struct res {
	int rc;          /* exit status */
	const char *out; /* stdout */
	const char *err; /* stderr */
	const char *cmd; /* the arguments, for messages */
};

/* args (NULL-terminated) as a shell would show them, quoting empty words
 * and words with spaces. */
const char *cmdline(const char *const *args);

/* Runs dotpha against dm with args (NULL-terminated). */
struct res run_on(const struct daemon *dm, const char *const *args);

/* run_on() that must exit 0 with nothing on stderr; its stdout. */
const char *ok_on(const struct daemon *dm, const char *const *args);

/* An argument vector put together piece by piece with av_add(). */
struct argv {
	const char *v[48];
	int n;
};

/* Appends list (NULL-terminated) to a, keeping a->v NULL-terminated. */
void av_add(struct argv *a, const char *const *list);

/* A socket bound to a loopback port but not listening, in *fd (the caller
 * closes it): connections to the port are refused, and no one else can
 * take it meanwhile.  Returns the port. */
int refusing_port(int *fd);

/* ---- reading --json ---- */

/* Parses a whole JSON text (one value, then only white space) into a
 * msgpack object; strings are NUL-terminated, so via.str.ptr is a C
 * string.  Written here rather than taken from the client, so that the
 * check does not trust the code it checks. */
const msgpack_object *json_of(const char *text);

/* ---- reading text ---- */

/* The number of lines of text (a last line without a newline counts). */
int nlines(const char *text);

/* Line n of text without its newline (0 the first, -1 the last). */
const char *line(const char *text, int n);

/* Whether one line of text is exactly want. */
bool has_line(const char *text, const char *want);

/* The text after the line `title` (a section of a record). */
const char *section(const char *text, const char *title);

/* The value of a "Label:    value" line of a record. */
const char *value_of(const char *text, const char *label);

/* True if s is exactly like pat, where 'd' in pat stands for a digit. */
bool like(const char *s, const char *pat);

/* Expects line n of a table (line 0 the header) to hold values under heads;
 * a head written ">%" is right-aligned; a NULL value is not checked.
 * Columns are counted in display width (combining marks take none). */
void expect_row(const char *table, int n, const char *const *heads, const char *const *values);

/* Expects no line of text to be wider than cols columns (display width);
 * what names the output in a failure. */
void expect_fits(const char *text, size_t cols, const char *what);

/* Expects each blank-separated word of words to be somewhere in text. */
void expect_words(const char *text, const char *words, const char *what);

/* Expects the values of a record's "Label:  value" lines (up to the first
 * blank line) to start in one column, and the further lines of a value
 * (which start with blanks) to start there too. */
void expect_record_aligned(const char *text);

/* The offset of the first control character in s other than a newline
 * (C0, and DEL too if del), or -1: what must never reach a terminal. */
long first_control(const char *s, bool del);

/* s with control characters (but newlines) written as \xHH, safe to print
 * in a failure message. */
const char *visible(const char *s);

/* json with each moment replaced by "MOMENT" and each date equal to today
 * by "TODAY", so that a whole object can be compared exactly. */
const char *masked(const char *json, const char *today);

/* dd/mm/yyyy for yyyy-mm-dd. */
const char *dmy(const char *iso);

#endif
