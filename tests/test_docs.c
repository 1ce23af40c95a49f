/*
 * test_docs.c: the method catalogue, the server's handler table and
 * PROTOCOL.md cannot drift apart.
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "errors.h"
#include "methods.h"

static char *read_protocol_md(void)
{
	FILE *f = fopen("protocol/PROTOCOL.md", "rb");
	char *buf;
	long n;

	cr_assert_not_null(f, "run the tests from the repository root");
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

Test(docs, every_catalogue_method_has_a_handler)
{
	const char *missing = dispatch_check_table();

	cr_assert_null(missing, "method %s has no handler (or no catalogue row)", missing);
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
