/*
 * transfer.c: see transfer.h.  An import is one request: the file's rows,
 * parsed here so a file that is not CSV is refused with its line before
 * anything is sent, and judged on the server, which checks every row and
 * applies all or none.  A request is at most the server's message limit
 * (1 MiB by default): a bigger file is refused here with a hint to split
 * it.  Files are read and written with C stdio only.
 */
#include "transfer.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "json.h"
#include "obj.h"
#include "pack.h"
#include "rpc.h"
#include "strbuf.h"
#include "sys.h"

#define IMPORT_MAX_REQUEST (1000u * 1000u) /* under the server's 1 MiB default */
#define EXPORT_PAGE 1000

/* An import's result as a record; an export writes files, so its view
 * only names the columns of a page. */
static const struct render_col import_record[] = {
	{"Loại", "kind", NULL, RENDER_TEXT, 0},
	{"Số dòng", "rows", NULL, RENDER_TEXT, 0},
	{"Tạo mới", "created", NULL, RENDER_TEXT, 0},
	{"Cập nhật", "updated", NULL, RENDER_TEXT, 0},
	{"Không đổi", "unchanged", NULL, RENDER_TEXT, 0},
	{"Chạy thử", "dry_run", NULL, RENDER_BOOL, 0},
	{"Đã lưu", "applied", NULL, RENDER_BOOL, 0},
	{NULL, NULL, NULL, 0, 0},
};
const struct render_view views_import = {import_record, NULL, NULL, NULL};

static const struct render_col export_record[] = {
	{"Cột", "columns", NULL, RENDER_TEXT, 0},
	{NULL, NULL, NULL, 0, 0},
};
const struct render_view views_export = {export_record, NULL, NULL, NULL};

#define fail_local(c, ...) (errors_set(&(c)->error, RPC_INTERNAL, __VA_ARGS__), RPC_STATUS_LOCAL)

/* A file the import refuses: its message is in c->error; exit code 5. */
static int fail_invalid(struct cli *c)
{
	c->exit_code = CLI_EXIT_INVALID;
	return RPC_STATUS_LOCAL;
}

/* Reads a whole file into *buf (malloc'ed).  Returns 0 or -1 with errno. */
static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0;
	char *b = NULL;
	bool oom = false;

	if (!f)
		return -1;
	for (;;) {
		char *nb = realloc(b, cap);

		if (!nb) {
			oom = true; /* not a short file: a cut one */
			break;
		}
		b = nb;
		n += fread(b + n, 1, cap - n, f);
		if (n < cap)
			break;
		cap *= 2;
	}
	if (ferror(f) || oom || n == cap) {
		int e = errno ? errno : ENOMEM;

		free(b);
		fclose(f);
		errno = e;
		return -1;
	}
	fclose(f);
	*buf = b;
	*len = n;
	return 0;
}

/* import.run's fields. */
struct import_req {
	const char *kind;
	const struct csv_table *t;
	bool dry_run;
};

static void pack_import(msgpack_packer *pk, const void *ctx)
{
	const struct import_req *r = ctx;
	const struct csv_record *h = &r->t->records[0];

	pack_kv_str(pk, "kind", r->kind);
	pack_kv_int(pk, "header_line", h->line);
	pack_str(pk, "columns");
	msgpack_pack_array(pk, h->nfields);
	for (size_t j = 0; j < h->nfields; j++)
		pack_str(pk, h->fields[j]);
	pack_str(pk, "rows");
	msgpack_pack_array(pk, r->t->nrecords - 1);
	for (size_t i = 1; i < r->t->nrecords; i++) {
		const struct csv_record *rec = &r->t->records[i];

		msgpack_pack_map(pk, 2);
		pack_kv_int(pk, "line", rec->line);
		pack_str(pk, "values");
		msgpack_pack_array(pk, rec->nfields);
		for (size_t j = 0; j < rec->nfields; j++)
			pack_str(pk, rec->fields[j]);
	}
	if (r->dry_run)
		pack_kv_bool(pk, "dry_run", 1);
}

static int64_t get_int(const msgpack_object *res, const char *key)
{
	int64_t v = 0;

	obj_int(obj_get(res, key), &v);
	return v;
}

/* Prints the bad rows of an import's result to stderr. */
static void print_bad(struct cli *c, const char *path, const msgpack_object *errs)
{
	char col[64], why[512];

	for (uint32_t i = 0; errs && errs->type == MSGPACK_OBJECT_ARRAY && i < errs->via.array.size;
	     i++) {
		const msgpack_object *e = &errs->via.array.ptr[i];
		const char *cs = obj_cstr(obj_get(e, "column"), col, sizeof(col));
		const char *ws = obj_cstr(obj_get(e, "reason"), why, sizeof(why));

		bool named = cs && cs[0] && ws && strncmp(ws, cs, strlen(cs)) == 0 &&
			     ws[strlen(cs)] == ':';

		/* The reason names its column already, as the server's messages do. */
		fprintf(c->err, "%s:%" PRId64 ": %s%s%s\n", path, get_int(e, "line"),
			cs && cs[0] && !named ? cs : "", cs && cs[0] && !named ? ": " : "",
			ws ? ws : "?");
	}
}

/* The request's size, to refuse a file too big before sending it. */
static size_t request_size(const struct import_req *r)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	size_t n;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	pack_import(&pk, r);
	n = sb.size;
	msgpack_sbuffer_destroy(&sb);
	return n;
}

static int send_import(struct cli *c, const char *path, struct import_req *r)
{
	struct rpc_params p = {r->dry_run ? 5 : 4, pack_import, r};
	const msgpack_object *res;
	size_t size = request_size(r);
	int64_t bad;
	int st;

	if (size > IMPORT_MAX_REQUEST) {
		errors_set(&c->error, RPC_TOO_LARGE,
			   "%s: %zu rows make a request of %zu bytes, over the %u an import takes; "
			   "split the file, each part with the header line (parents first)",
			   path, r->t->nrecords - 1, size, IMPORT_MAX_REQUEST);
		return fail_invalid(c);
	}
	if (sys_term_width(c->err))
		fprintf(c->err, "dotpha: checking %zu rows of %s...\n", r->t->nrecords - 1, path);
	if ((st = rpc_call(c->rpc, "import.run", &p, &res, &c->error)) != RPC_STATUS_OK)
		return st;
	if ((bad = get_int(res, "bad")) == 0 || c->json)
		st = run_show(c, &views_import, res);
	if (bad == 0 || st != RPC_STATUS_OK)
		return st;
	print_bad(c, path, obj_get(res, "errors"));
	errors_set(&c->error, RPC_INVALID_ARGUMENT, "%s: %" PRId64 " bad row%s; nothing was imported",
		   path, bad, bad == 1 ? "" : "s");
	return fail_invalid(c);
}

int run_import(struct cli *c, const struct command *cmd, const struct args *a)
{
	const char *path = args_value(a, "path");
	struct import_req r = {.kind = args_value(a, "kind"), .dry_run = args_value(a, "dry_run")};
	struct csv_table t;
	struct csv_error e;
	char *buf;
	size_t len;
	int st;

	(void)cmd;
	if (read_all(path, &buf, &len) < 0)
		return fail_local(c, "cannot read %s: %s", path, strerror(errno));
	st = csv_parse(buf, len, &t, &e);
	free(buf);
	if (st < 0) {
		errors_set(&c->error, RPC_INVALID_ARGUMENT, "%s:%ld: field %ld: %s", path, e.line,
			   e.column, e.message);
		csv_table_free(&t);
		return fail_invalid(c);
	}
	if (t.nrecords == 0) {
		csv_table_free(&t);
		errors_set(&c->error, RPC_INVALID_ARGUMENT,
			   "%s: the file is empty; its first line names the columns", path);
		return fail_invalid(c);
	}
	r.t = &t;
	st = send_import(c, path, &r);
	csv_table_free(&t);
	return st;
}

/* ---- export ---- */

/* export.rows's fields. */
struct export_req {
	const char *kind;
	int64_t after;
	bool has_after;
};

static void pack_export(msgpack_packer *pk, const void *ctx)
{
	const struct export_req *r = ctx;

	pack_kv_str(pk, "kind", r->kind);
	pack_kv_int(pk, "limit", EXPORT_PAGE);
	if (r->has_after)
		pack_kv_int(pk, "after", r->after);
}

/* Copies a row of strings into fields[] as C strings (malloc'ed). */
static int row_strings(const msgpack_object *row, char **fields, size_t n)
{
	if (row->type != MSGPACK_OBJECT_ARRAY || row->via.array.size != n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const msgpack_object *v = &row->via.array.ptr[i];

		if (v->type != MSGPACK_OBJECT_STR ||
		    !(fields[i] = strndup(v->via.str.ptr, v->via.str.size)))
			return -1;
	}
	return 0;
}

/* Writes one page's rows as CSV records or JSON objects. */
static int write_rows(FILE *f, bool json, const msgpack_object *cols, const msgpack_object *rows,
		      int64_t *written)
{
	size_t n = cols->via.array.size;
	char **fields = calloc(n ? n : 1, sizeof(*fields));
	struct strbuf sb = STRBUF_INIT;
	int rc = 0;

	for (uint32_t i = 0; fields && rc == 0 && i < rows->via.array.size; i++) {
		if ((rc = row_strings(&rows->via.array.ptr[i], fields, n)) == 0 && !json) {
			csv_write_record(f, (const char *const *)fields, n);
		} else if (rc == 0) {
			strbuf_reset(&sb);
			strbuf_adds(&sb, (*written)++ ? ",\n{" : "\n{");
			for (size_t j = 0; j < n; j++) {
				const msgpack_object *k = &cols->via.array.ptr[j];

				if (j)
					strbuf_addc(&sb, ',');
				json_write(&sb, k);
				strbuf_addc(&sb, ':');
				json_write_string(&sb, fields[j], strlen(fields[j]));
			}
			strbuf_addc(&sb, '}');
			rc = sb.failed ? -1 : 0;
			fwrite(sb.buf, 1, sb.len, f);
		}
		for (size_t j = 0; j < n; j++) {
			free(fields[j]);
			fields[j] = NULL;
		}
	}
	strbuf_free(&sb);
	if (!fields)
		rc = -1;
	free(fields);
	return rc;
}

/* Writes the CSV header: the column names the first page gives. */
static int write_head(FILE *f, const msgpack_object *cols)
{
	size_t n = cols->via.array.size;
	char **names = calloc(n ? n : 1, sizeof(*names));
	int rc = names ? row_strings(cols, names, n) : -1;

	if (rc == 0)
		csv_write_record(f, (const char *const *)names, n);
	for (size_t i = 0; names && i < n; i++)
		free(names[i]);
	free(names);
	return rc;
}

int run_export(struct cli *c, const struct command *cmd, const struct args *a)
{
	const char *format = args_value(a, "format") ? args_value(a, "format") : "csv";
	const char *path = args_value(a, "output");
	struct export_req r = {.kind = args_value(a, "kind")};
	struct rpc_params p = {2, pack_export, &r};
	const msgpack_object *res, *cols, *rows, *next;
	bool json = strcmp(format, "json") == 0;
	int64_t written = 0, pages = 0;
	FILE *f;
	int st = RPC_STATUS_OK;

	(void)cmd;
	if (!json && strcmp(format, "csv") != 0) {
		errors_set(&c->error, RPC_INVALID_ARGUMENT, "--format: csv or json, got '%s'", format);
		c->exit_code = CLI_EXIT_USAGE;
		return RPC_STATUS_LOCAL;
	}
	if (!path)
		f = c->out;
	else if (!(f = fopen(path, "wb")))
		return fail_local(c, "cannot write %s: %s", path, strerror(errno));
	if (json)
		fputc('[', f);
	else
		csv_write_bom(f);
	for (;;) {
		p.count = r.has_after ? 3 : 2;
		if ((st = rpc_call(c->rpc, "export.rows", &p, &res, &c->error)) != RPC_STATUS_OK)
			break;
		cols = obj_get(res, "columns");
		rows = obj_get(res, "rows");
		next = obj_get(res, "next");
		if (!cols || cols->type != MSGPACK_OBJECT_ARRAY || !rows ||
		    rows->type != MSGPACK_OBJECT_ARRAY ||
		    (pages++ == 0 && !json && write_head(f, cols) < 0) ||
		    write_rows(f, json, cols, rows, &written) < 0) {
			st = fail_local(c, "the server's answer to export.rows is not rows of text");
			break;
		}
		if (!next || !obj_int(next, &r.after))
			break;
		r.has_after = true;
		if (path && sys_term_width(c->err))
			fprintf(c->err, "\rdotpha: %s: %" PRId64 " pages", path, pages);
	}
	if (st == RPC_STATUS_OK && json)
		fputs(written ? "\n]\n" : "]\n", f);
	if (path && sys_term_width(c->err) && pages > 1)
		fputc('\n', c->err);
	if (path && fclose(f) != 0 && st == RPC_STATUS_OK)
		st = fail_local(c, "cannot write %s: %s", path, strerror(errno));
	if (path && st != RPC_STATUS_OK)
		remove(path);
	return st;
}
