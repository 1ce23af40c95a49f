/*
 * options_table.h: dotphad's command line as data.  `dotphad --help`
 * (options.c) and the manual page dotphad(8) (`dotphad --man`,
 * daemon_man.c) are both written from these tables, and options_parse()
 * learns from them which options take a value, so a new option appears in
 * all three or in none.
 */
#ifndef DOTPHA_OPTIONS_TABLE_H
#define DOTPHA_OPTIONS_TABLE_H

#include <stdbool.h>

struct options_spec {
	const char *name; /* "--listen"; NULL ends the table */
	const char *meta; /* the placeholder of its value, "HOST:PORT"; NULL for a flag */
	const char *help; /* what it does, one paragraph, defaults included */
};

/* The ways to run dotphad: the words as typed, and what that does. */
struct options_form {
	const char *usage; /* "dotphad [--db PATH] demo [--scale N]"; NULL ends the table */
	const char *what;  /* what it does */
};

/* A paragraph after the options, and the manual's section it belongs to. */
struct options_note {
	const char *section; /* "SIGNALS", in the manual; NULL ends the table */
	const char *text;    /* the paragraph */
};

extern const struct options_spec options_table[];
extern const struct options_form options_forms[];
extern const struct options_note options_notes[];

/* The option named a in options_table, or NULL. */
const struct options_spec *options_find(const char *a);

#endif
