/*
 * test_docs.c: the method table and PROTOCOL.md cannot drift apart, and
 * nothing else in the server describes a method.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "errors.h"
#include "helpers.h"
#include "methods.h"

static char *read_protocol_md(void)
{
	char *doc = helpers_read_file("protocol/PROTOCOL.md");

	cr_assert_not_null(doc, "run the tests from the repository root");
	return doc;
}

/* The files of server/ and protocol/ (C sources, headers, the table). */
static int source_files(char ***out)
{
	static const char *const dirs[] = {"server", "protocol"};
	int n = 0;

	*out = NULL;
	for (size_t d = 0; d < sizeof(dirs) / sizeof(dirs[0]); d++) {
		char cmd[128];
		char line[512];
		FILE *p;

		snprintf(cmd, sizeof(cmd),
			 "find %s -name '*.c' -o -name '*.h' -o -name '*.def' | sort", dirs[d]);
		cr_assert_not_null(p = popen(cmd, "r"));
		while (fgets(line, sizeof(line), p)) {
			line[strcspn(line, "\n")] = '\0';
			cr_assert_not_null(*out = realloc(*out, (size_t)(n + 1) * sizeof(**out)));
			cr_assert_not_null((*out)[n++] = strdup(line));
		}
		pclose(p);
	}
	return n;
}

/* What a method is lives in its row of methods.def alone: no other file of
 * the server or the protocol names a method as a string (handlers use
 * c->method, the import its M_ ids), so nothing can disagree with it. */
Test(docs, each_method_name_is_a_string_in_one_file_of_server_and_protocol)
{
	char **files;
	int n = source_files(&files), found = 0;

	cr_assert_gt(n, 50, "run the tests from the repository root");
	for (int i = 0; i < n; i++) {
		char *text = helpers_read_file(files[i]);

		cr_assert_not_null(text, "%s", files[i]);
		for (const struct method_info *m = methods_catalogue; m->name; m++) {
			char quoted[80];

			snprintf(quoted, sizeof(quoted), "\"%s\"", m->name);
			if (!strstr(text, quoted))
				continue;
			cr_expect_str_eq(files[i], "protocol/methods.def", "%s names %s", files[i],
					 m->name);
			found++;
		}
		free(text);
		free(files[i]);
	}
	free(files);
	cr_assert_eq(found, METHODS_COUNT, "methods.def names %d of the %d methods", found,
		     METHODS_COUNT);
}

Test(docs, protocol_md_documents_every_method_with_its_kind)
{
	char *doc = read_protocol_md();

	for (const struct method_info *m = methods_catalogue; m->name; m++) {
		char heading[128], *at;

		snprintf(heading, sizeof(heading), "\n### %s (", m->name);
		at = strstr(doc, heading);
		cr_assert_not_null(at, "PROTOCOL.md lacks a section for %s", m->name);
		at += strlen(heading);
		cr_assert(strncmp(at, m->flags & METHOD_WRITE ? "write" : "read", 4) == 0,
			  "PROTOCOL.md marks %s wrongly as read/write", m->name);
	}
	free(doc);
}

Test(docs, protocol_md_lists_every_error_code)
{
	char *doc = read_protocol_md();

	for (int code = 1; code < RPC_CODE_COUNT; code++) {
		char row[96];

		snprintf(row, sizeof(row), "| %d | `%s` |", code, errors_name(code));
		cr_assert_not_null(strstr(doc, row), "PROTOCOL.md lacks the error row %s", row);
	}
	free(doc);
}
