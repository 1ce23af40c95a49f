/*
 * man.c: see man.h.  The sections: NAME, SYNOPSIS, DESCRIPTION (the notes
 * of `dotpha --help`), COMMANDS (every row of the command table: its
 * usage, summary and options), GLOBAL OPTIONS, EXIT STATUS, ENVIRONMENT,
 * FILES, SEE ALSO.  Every text is the table's or marked here, so the
 * Vietnamese page is as whole as the English one.
 */
#include "man.h"

#include <string.h>

#include "cli.h"
#include "commands.h"
#include "lang.h"
#include "roff.h"

/* The environment variables dotpha reads, and what for. */
static const struct {
	const char *name;
	const char *help;
} environment[] = {
	{"DOTPHA_SERVER", N_("the server's address, HOST:PORT, when --server is not given; it "
	 "wins over the config file")},
	{"DOTPHA_TOKEN", N_("the token to sign in with; it wins over the config file's")},
	{"DOTPHA_LANG", N_("vi or en: the language of what dotpha prints, when --lang is not "
	 "given; it wins over the config file's `lang`")},
	{"XDG_CONFIG_HOME", N_("where the config file is: $XDG_CONFIG_HOME/dotpha/config "
	 "(default ~/.config)")},
	{NULL, NULL},
};

/* One argument of a usage line: a positional as \fIMETA\fR, an option as
 * \fB--name\fR \fIMETA\fR, in brackets when it may be left out. */
static void usage_word(FILE *f, const struct opt_spec *o)
{
	bool optional = !(o->flags & (OPT_POSITIONAL | OPT_REQUIRED)) || (o->flags & OPT_OMISSIBLE);

	fputs(optional ? " [" : " ", f);
	fputs(o->flags & OPT_POSITIONAL ? "\\fI" : "\\fB", f);
	roff_text(f, o->name);
	fputs("\\fR", f);
	if (o->meta) {
		fputs(" \\fI", f);
		roff_text(f, o->meta);
		fputs("\\fR", f);
	}
	if (optional)
		fputc(']', f);
}

/* A command: its name as a subsection, its usage line (positionals, then
 * the required options, then the others, as `--help` orders them), its
 * summary and each of its arguments with its help. */
static void command(FILE *f, const struct command *cmd)
{
	char name[64], title[80];

	snprintf(title, sizeof(title), "dotpha %s", commands_name(cmd, name, sizeof(name)));
	roff_subsection(f, title);
	fputs(".PP\n\\fB", f);
	roff_text(f, title);
	fputs("\\fR", f);
	for (int pass = 0; pass < 3; pass++)
		for (const struct opt_spec *o = cmd->opts; o->name; o++)
			if ((o->flags & OPT_POSITIONAL ? 0 : o->flags & OPT_REQUIRED ? 1 : 2) == pass)
				usage_word(f, o);
	fputs("\n.br\n", f);
	roff_prose(f, T(cmd->summary));
	fputs(".\n", f);
	if (cmd->flags & CMD_CHANGE)
		roff_prose(f, T("Give at least one option: the fields to change.\n"));
	for (const struct opt_spec *o = cmd->opts; o->name; o++) {
		char help[600];

		snprintf(help, sizeof(help), "%s%s", T(o->help),
			 o->flags & OPT_REQUIRED ? T(" (required)") : "");
		roff_option(f, o->name, o->meta, help);
	}
}

void man_write(FILE *f)
{
	char source[40];

	snprintf(source, sizeof(source), "dotpha %s", DOTPHA_CLIENT_VERSION);
	roff_title(f, "DOTPHA", "1", source, T("User Commands"));
	roff_section(f, T("NAME"));
	fputs("dotpha \\- ", f);
	roff_text(f, T("the command-line client of dotphad, the registry of breakthrough and "
		       "innovation tasks"));
	fputc('\n', f);

	roff_section(f, T("SYNOPSIS"));
	fputs(".PP\n\\fBdotpha\\fR", f);
	for (const struct opt_spec *o = commands_globals; o->name; o++)
		if (strcmp(o->name, "--help") != 0 && strcmp(o->name, "--version") != 0)
			usage_word(f, o);
	fputs(" \\fINOUN VERB\\fR [\\fIARGS\\fR] [\\fIOPTIONS\\fR]\n", f);

	roff_section(f, T("DESCRIPTION"));
	roff_paragraph(f, T("dotpha: the command-line client of dotphad, which keeps the "
			    "breakthrough and\ninnovation tasks (việc đột phá, đổi mới) of a Party "
			    "Committee and their progress.\n"));
	for (const char *const *n = commands_notes; *n; n++)
		roff_paragraph(f, T(*n));

	roff_section(f, T("COMMANDS"));
	roff_paragraph(f, T("Run `dotpha NOUN --help` or `dotpha NOUN VERB --help` for more.\n"));
	for (const struct command *c = commands_table; c->noun; c++)
		command(f, c);

	roff_section(f, T("GLOBAL OPTIONS"));
	roff_paragraph(f, T("Global options (before the noun, or after the verb):\n"));
	for (const struct opt_spec *o = commands_globals; o->name; o++)
		roff_option(f, o->name, o->meta, T(o->help));

	roff_section(f, T("EXIT STATUS"));
	for (const struct commands_exit *e = commands_exits; e->text; e++) {
		char code[8];

		snprintf(code, sizeof(code), "%d", e->code);
		roff_option(f, code, NULL, T(e->text));
	}

	roff_section(f, T("ENVIRONMENT"));
	for (size_t i = 0; environment[i].name; i++)
		roff_option(f, environment[i].name, NULL, T(environment[i].help));

	roff_section(f, T("FILES"));
	roff_option(f, "~/.config/dotpha/config", NULL,
		    T("the config file: `server = HOST:PORT`, `token = ...` (readable by you "
		      "alone), `lang`, `timeout`, `timezone`, `notices`, `ca`, `cert`, `key` and the pinned "
		      "fingerprints; `dotpha login` writes it"));
	roff_option(f, "~/.config/dotpha/queue", NULL,
		    T("the offline queue: the writes kept while the server was out of reach, "
		      "until `dotpha sync`"));

	roff_section(f, T("SEE ALSO"));
	fputs("\\fBdotphad\\fR(8)\n", f);
}
