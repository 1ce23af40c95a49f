/*
 * say.h: a server's error said in the user's language.
 *
 * The server sends each error with its English template and the values in
 * it (PROTOCOL.md 2).  In Vietnamese, the template's row of the catalog
 * (lang_vi_server.c) is filled with those values, each shown the user's
 * way: a field as the option of the command they typed (`--due`), a noun
 * in Vietnamese, a date as dd/mm/yyyy, a method as the command (`dotpha
 * task amend`), a coded value by its label, a number with the decimal
 * comma.  In English, or for a template the catalog does not know (a newer
 * server), or values that do not fit it, the server's own message stands.
 */
#ifndef DOTPHA_SAY_H
#define DOTPHA_SAY_H

#include <stddef.h>

#include "commands.h"
#include "errors.h"

/* Writes the error as the user reads it into buf (NUL-terminated, cut to
 * n) and returns buf.  cmd: the command being run, for its options'
 * names, or NULL. */
const char *say_error(const struct rpc_error *err, const struct command *cmd, char *buf,
		      size_t n);

/* Renders template tmpl with err's values as say_error does.  Returns 0,
 * or -1 when the values do not fit tmpl (buf then holds nothing useful). */
int say_template(const char *tmpl, const struct rpc_error *err, const struct command *cmd,
		 char *buf, size_t n);

#endif
