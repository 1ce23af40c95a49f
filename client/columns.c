/*
 * columns.c: see columns.h.
 */
#include "columns.h"

#include <string.h>

#include "fold.h"
#include "lang.h"

#define COLUMNS_NAME_MAX 120 /* the longest name compared */

/* Folds s[0..n) for comparing (fold_name: "Tên việc", "TEN_VIEC" -> "ten
 * viec"); false if it is too long to be a name. */
static bool folded(const char *s, size_t n, char *out)
{
	if (n > COLUMNS_NAME_MAX)
		return false;
	fold_name(s, n, out);
	return true;
}

/* True if the folded name is column c's key or header. */
static bool names(const struct render_col *c, const char *name)
{
	char f[COLUMNS_NAME_MAX + 1];
	const char *heads[] = {c->key, c->label, T(c->label), lang_vi_of(c->label)};

	for (size_t i = 0; i < sizeof(heads) / sizeof(heads[0]); i++)
		if (heads[i][0] && folded(heads[i], strlen(heads[i]), f) && f[0] &&
		    strcmp(f, name) == 0)
			return true;
	return false;
}

void columns_keys(struct strbuf *sb, const struct render_col *cols)
{
	for (const struct render_col *c = cols; c->label; c++) {
		strbuf_adds(sb, c == cols ? "" : ", ");
		strbuf_adds(sb, c->key);
		if (c->label[0] && strcmp(c->label, c->key) != 0)
			strbuf_addf(sb, " (%s)", T(c->label));
	}
}

int columns_pick(const struct render_col *cols, const char *spec, struct render_col *out,
		 char *msg, size_t n)
{
	size_t count = 0;
	const char *p = spec;

	for (;;) {
		size_t len = strcspn(p, ",");
		char name[COLUMNS_NAME_MAX + 1];
		const struct render_col *c = cols;

		if (count == COLUMNS_MAX) {
			snprintf(msg, n, T("--columns: at most %d columns"), COLUMNS_MAX);
			return -1;
		}
		if (!folded(p, len, name) || !name[0]) {
			snprintf(msg, n, T("--columns: '%s' names no column; give keys or headers"
					   " separated by commas"), spec);
			return -1;
		}
		while (c->label && !names(c, name))
			c++;
		if (!c->label) {
			struct strbuf known = STRBUF_INIT;

			columns_keys(&known, cols);
			snprintf(msg, n, T("--columns: no column '%.*s'; the columns are: %s"), (int)len, p,
				 strbuf_cstr(&known));
			strbuf_free(&known);
			return -1;
		}
		out[count++] = *c;
		if (!p[len])
			break;
		p += len + 1;
	}
	memset(&out[count], 0, sizeof(out[count]));
	return (int)count;
}
