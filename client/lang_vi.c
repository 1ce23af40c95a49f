/*
 * lang_vi.c: the Vietnamese of every text the client marks with T() or
 * N_(), in the words of docs/glossary.md.  Keep the printf conversions of
 * each pair the same and in the same order (a test checks it).
 */
#include <stddef.h>

#include "lang.h"

const struct lang_pair lang_vi[] = {
	{NULL, NULL},
};
