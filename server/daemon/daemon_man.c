/*
 * daemon_man.c: see daemon_man.h.  The sections: NAME, SYNOPSIS (the ways
 * to run it), DESCRIPTION (what each does), OPTIONS, then the notes of
 * --help under their sections, EXIT STATUS, FILES and SEE ALSO.
 */
#include "daemon_man.h"

#include <string.h>

#include "options_table.h"
#include "roff.h"
#include "version.h"

/* The notes of the section named, each a paragraph. */
static void notes(FILE *f, const char *section)
{
	for (const struct options_note *n = options_notes; n->section; n++)
		if (strcmp(n->section, section) == 0)
			roff_paragraph(f, n->text);
}

/* True if an earlier note than n has n's section (already written). */
static bool seen(const struct options_note *n)
{
	for (const struct options_note *m = options_notes; m != n; m++)
		if (strcmp(m->section, n->section) == 0)
			return true;
	return false;
}

void daemon_man_write(FILE *f)
{
	roff_title(f, "DOTPHAD", "8", "dotpha " DOTPHA_VERSION, "System Administration");
	roff_section(f, "NAME");
	fputs("dotphad \\- the daemon of dotpha: the registry of breakthrough and innovation "
	      "tasks, served over MessagePack\\-RPC\n", f);
	roff_section(f, "SYNOPSIS");
	for (const struct options_form *m = options_forms; m->usage; m++) {
		fputs(m == options_forms ? ".nf\n" : "", f);
		roff_text(f, m->usage);
		fputc('\n', f);
	}
	fputs(".fi\n", f);
	roff_section(f, "DESCRIPTION");
	fputs(".PP\n\\fBdotphad\\fR keeps the units, cadres, terms and breakthrough and innovation "
	      "tasks of a Party Committee, and their progress, in one SQLite database, and "
	      "serves them to \\fBdotpha\\fR(1) over MessagePack\\-RPC, with TLS.  The ways to "
	      "run it:\n", f);
	for (const struct options_form *m = options_forms; m->usage; m++)
		roff_option(f, m->usage, NULL, m->what);
	roff_section(f, "OPTIONS");
	for (const struct options_spec *o = options_table; o->name; o++)
		roff_option(f, o->name, o->meta, o->help);
	for (const struct options_note *n = options_notes; n->section; n++)
		if (strcmp(n->section, "FILES") != 0 && !seen(n)) {
			roff_section(f, n->section);
			notes(f, n->section);
		}
	roff_section(f, "EXIT STATUS");
	roff_option(f, "0", NULL, "stopped cleanly (SIGINT, SIGTERM), or --check found all well");
	roff_option(f, "1", NULL, "could not start (the address, the database, TLS), or --check "
		    "found a fault");
	roff_option(f, "2", NULL, "a usage error: an unknown option, a value that does not "
		    "parse, an error in the --config file (named with its line)");
	roff_section(f, "FILES");
	roff_option(f, "/etc/dotpha/dotphad.conf", NULL, "the options of the service, one "
		    "`name value` a line, read with --config (the package's, all commented out)");
	roff_option(f, "/var/lib/dotpha/dotpha.db", NULL, "the service's database, with its "
		    "-wal and -shm beside it, and dotpha.db.admin-token, the first admin's token");
	notes(f, "FILES");
	roff_section(f, "SEE ALSO");
	fputs("\\fBdotpha\\fR(1), \\fBsystemctl\\fR(1), \\fBjournalctl\\fR(1)\n", f);
}
