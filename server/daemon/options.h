/*
 * options.h: dotphad's options (options.c), from the command line and
 * --config FILE, for main.c to run.
 */
#ifndef DOTPHA_OPTIONS_H
#define DOTPHA_OPTIONS_H

#include <stdbool.h>
#include <time.h>

#include "server.h"

/* What the command line (and --config) ask for. */
struct options {
	struct server_options opt;
	int log_level;         /* -1: not given */
	int stalled, margin;   /* --stalled-days, --at-risk-margin */
	const char *zone;      /* --timezone, or DATE_DEFAULT_ZONE */
	const char *clock_arg; /* --clock, if given: read once the zone is set */
	bool check_only;       /* --check */
	const char *anchor;    /* --anchor FILE, with --check */
	int sub;               /* argv index of `demo`, `gen-cert` or `restore`, or 0 */
};

/* What options_parse says to do next: serve (or run the subcommand), or
 * exit with status 0 (--help, --version) or 2 (an error, said on stderr). */
enum { OPTIONS_PARSED, OPTIONS_EXIT_0, OPTIONS_EXIT_2 };

/* argv with the words of --config FILE (if given) put after argv[0], so
 * that the command line's own options, parsed later, win.  Returns the new
 * argv (static storage; *words to free at exit), or NULL after saying why. */
char **options_with_config(int *argc, char **argv, char ***words, int *nwords);

/* Parses the (merged) options into *st.  Errors are said on stderr (the
 * log, once serving).  Returns an enum above. */
int options_parse(int argc, char **argv, struct options *st);

#endif
