/*
 * lang.h: the language of everything the client prints for a person.
 *
 * Vietnamese is the default whatever the system's locale (office PCs are
 * often set to English); English on request: `--lang en`, DOTPHA_LANG=en,
 * or `lang = en` in the config file, the first of them that is set.
 *
 * The program's texts are written in English in the source, marked for
 * the catalog: T("...") where a text is printed (it returns the text in
 * the current language), N_("...") where it sits in a table and is
 * translated when printed with T(). The Vietnamese of every marked text
 * is in lang_vi.c; a test checks that each has one, with the same
 * printf conversions in the same order.
 */
#ifndef DOTPHA_LANG_H
#define DOTPHA_LANG_H

#include <stdbool.h>

enum lang {
	LANG_VI = 0, /* the default */
	LANG_EN,
};

/* The language in force; LANG_VI until lang_set says otherwise. */
enum lang lang_current(void);
void lang_set(enum lang l);

/* "vi" -> LANG_VI, "en" -> LANG_EN (any case); -1 for anything else. */
int lang_parse(const char *name);

/* The language a run speaks, from the first of: the --lang value (NULL when
 * not given), DOTPHA_LANG (NULL when unset or empty), the config file's
 * `lang` (NULL or "" when unset), else Vietnamese.  The system locale plays
 * no part.  Returns the language, or -1 when --lang or DOTPHA_LANG names
 * none (a usage error: *bad is then "--lang" or "DOTPHA_LANG"); a bad file
 * value is skipped (config.c warns about it). */
int lang_choose(const char *flag, const char *env, const char *file, const char **bad);

/* The text in the current language: en itself in English, its Vietnamese
 * from the catalog otherwise (en itself, unchanged, when the catalog has
 * none: a test keeps that from happening).  The result is static. */
const char *T(const char *en) __attribute__((format_arg(1)));

/* The Vietnamese of en whatever the language in force (what a person may
 * type back: the labels of codes), or en itself when the catalog has none. */
const char *lang_vi_of(const char *en);

/* Marks a text for the catalog where T() cannot run (a static table). */
#define N_(s) s

/* The catalog: every marked English text and its Vietnamese, ended by a
 * row whose en is NULL (lang_vi.c). */
struct lang_pair {
	const char *en;
	const char *vi;
};
extern const struct lang_pair lang_vi[];

/* The server's error templates (PROTOCOL.md 2) and their Vietnamese, in
 * the same form (lang_vi_server.c).  Besides printf's conversions a
 * Vietnamese template may use, for a text value: %F a field (shown as
 * the user's option), %N a noun, %D a date or moment, %M a method (shown
 * as the command), %C a code with a label, %V an update's appraisal
 * (accepted, returned); and %2$s to take values out of order (say.c
 * renders them). */
extern const struct lang_pair lang_vi_server[];

/* The Vietnamese template of a server's English one, or NULL. */
const char *lang_server_text(const char *en);

#endif
