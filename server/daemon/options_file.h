/*
 * options_file.h: dotphad's --config FILE: one option a line, written as
 * on the command line without the leading dashes (`tls-cert /etc/x.pem`;
 * dashes are accepted too), then blanks or `=` (`listen = 127.0.0.1:7878`,
 * as the client's config takes it), the value being the rest of the line,
 * so paths may hold spaces; `#` starts a comment line; blank lines are
 * skipped.
 * Options on the command line come after the file's, so they win.
 */
#ifndef DOTPHA_OPTIONS_FILE_H
#define DOTPHA_OPTIONS_FILE_H

#include <stddef.h>

/* Reads path into words: "--name" and, when the line has one, its value.
 * *words is malloc'ed, as is each word (options_file_free frees them);
 * lines[i] gets the line of word i, for the first maxlines words (so an
 * error about a value can name its line).  Returns 0, or -1 with
 * "PATH:LINE: reason" in msg. */
int options_file_read(const char *path, char ***words, int *nwords, unsigned *lines,
		      int maxlines, char *msg, size_t msglen);

void options_file_free(char **words, int nwords);

#endif
