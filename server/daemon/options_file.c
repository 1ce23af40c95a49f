/*
 * options_file.c: see options_file.h.  Whether a name is an option, and
 * whether it takes a value, is main.c's business: it parses the words as
 * it parses argv.
 */
#include "options_file.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Cuts the blanks at the end of s. */
static void cut_trailing_blanks(char *s)
{
	size_t n = strlen(s);

	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
}

/* Appends a copy of s (with prefix) to the list.  Returns 0 or -1. */
static int push(char ***words, int *n, const char *prefix, const char *s)
{
	char **w = realloc(*words, (size_t)(*n + 1) * sizeof(*w));
	size_t len = strlen(prefix) + strlen(s) + 1;

	if (!w)
		return -1;
	*words = w;
	if (!(w[*n] = malloc(len)))
		return -1;
	snprintf(w[*n], len, "%s%s", prefix, s);
	(*n)++;
	return 0;
}

int options_file_read(const char *path, char ***words, int *nwords, unsigned *lines,
		      int maxlines, char *msg, size_t msglen)
{
	char line[4096];
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");

	*words = NULL;
	*nwords = 0;
	if (!f) {
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof(line), f)) {
		char *s = line + strspn(line, " \t"), *v;

		lineno++;
		if (!strchr(line, '\n') && !feof(f) && strlen(line) == sizeof(line) - 1) {
			snprintf(msg, msglen, "%s:%u: line too long", path, lineno);
			goto fail;
		}
		cut_trailing_blanks(s);
		if (!*s || *s == '#')
			continue;
		v = s + strcspn(s, " \t=");
		if (*v == '=') {
			*v++ = '\0';
		} else if (*v) {
			*v++ = '\0';
			v += strspn(v, " \t");
			if (*v == '=') /* name = value */
				v++;
		}
		v += strspn(v, " \t");
		while (*s == '-')
			s++;
		for (int k = *nwords; k < *nwords + 2 && k < maxlines; k++)
			lines[k] = lineno;
		if (!*s || push(words, nwords, "--", s) < 0 || (*v && push(words, nwords, "", v) < 0)) {
			snprintf(msg, msglen, "%s:%u: %s", path, lineno,
				 *s ? "out of memory" : "expected an option name");
			goto fail;
		}
	}
	if (ferror(f)) { /* a directory, say */
		snprintf(msg, msglen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	fclose(f);
	return 0;
fail:
	fclose(f);
	options_file_free(*words, *nwords);
	*words = NULL;
	*nwords = 0;
	return -1;
}

void options_file_free(char **words, int nwords)
{
	for (int i = 0; i < nwords; i++)
		free(words[i]);
	free(words);
}
