/*
 * lang_vi_server.c: the Vietnamese of the server's error templates
 * (PROTOCOL.md 2), in the words of docs/glossary.md.  A test checks that
 * every template of server/ has a row here, with the same values in the
 * same order (lang.h says which letters a Vietnamese template may use
 * beyond printf's).
 */
#include <stddef.h>

#include "lang.h"

const struct lang_pair lang_vi_server[] = {
	{NULL, NULL},
};
