/*
 * hidden.c: see hidden.h.
 */
#include "hidden.h"

#include <string.h>

#include "cli.h"
#include "complete.h"
#include "man.h"

bool hidden_is(const char *word)
{
	return strcmp(word, "__man") == 0 || strcmp(word, "__complete") == 0;
}

int hidden_run(int argc, char **argv, FILE *out, FILE *err)
{
	if (strcmp(argv[0], "__complete") == 0)
		return complete_run(argc - 1, argv + 1, out);
	/* __man takes --lang only, which choose_lang() has read already. */
	for (int i = 1; i < argc; i++)
		if (strcmp(argv[i], "--lang") == 0 && i + 1 < argc) {
			i++;
		} else if (strncmp(argv[i], "--lang=", 7) != 0) {
			fprintf(err, "dotpha: __man [--lang vi|en]\n");
			return CLI_EXIT_USAGE;
		}
	man_write(out);
	return CLI_EXIT_OK;
}
