/*
 * transfer.c: see transfer.h.  What is the file's is done here, what is
 * the data's on the server.  Here: the file's form (UTF-8 with or
 * without a BOM, CRLF or LF, the separator read from the header, rows of
 * empty cells and empty columns right of the header left out) and its
 * cells' (headers, labels, dd/mm/yyyy dates, the formula guard: sheet.c),
 * so the server gets codes, ISO dates and the file's line numbers.  The
 * server judges every row and applies all or none; its reasons come back
 * named by the file's own headers.  An import is one request, at most the
 * server's message limit (1 MiB by default): a bigger file is refused
 * here with a hint to split it.  Files are read and written with C stdio.
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
#include "lang.h"
#include "obj.h"
#include "pack.h"
#include "rpc.h"
#include "sheet.h"
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

/* The file as import.run takes it: the records read, their cells turned
 * into wire values in place (sheet_value), and the header's columns. */
struct import_file {
	const char *path;
	const char *kind;
	struct csv_table t;              /* records[0] the header, as the file has it */
	size_t width;                    /* the header's cells, trailing empty ones left out */
	const struct sheet_col **cols;   /* per header cell: its column, or NULL */
	const char **names;              /* per header cell: the code sent (or the cell) */
};

/* import.run's fields. */
struct import_req {
	const struct import_file *file;
	bool dry_run;
};

static void pack_import(msgpack_packer *pk, const void *ctx)
{
	const struct import_req *r = ctx;
	const struct import_file *in = r->file;
	const struct csv_table *t = &in->t;

	pack_kv_str(pk, "kind", in->kind);
	pack_kv_int(pk, "header_line", t->records[0].line);
	pack_str(pk, "columns");
	msgpack_pack_array(pk, in->width);
	for (size_t j = 0; j < in->width; j++)
		pack_str(pk, in->names[j]);
	pack_str(pk, "rows");
	msgpack_pack_array(pk, t->nrecords - 1);
	for (size_t i = 1; i < t->nrecords; i++) {
		const struct csv_record *rec = &t->records[i];

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

/* The record of the file that starts on `line`, or NULL. */
static const struct csv_record *record_at(const struct import_file *in, int64_t line)
{
	for (size_t i = 1; i < in->t.nrecords; i++)
		if (in->t.records[i].line == line)
			return &in->t.records[i];
	return NULL;
}

/* Prints one bad row of an import's result to stderr as the file names
 * it: "FILE:LINE: HEADER: REASON", the header as the file writes it, and
 * the forms a cell may take when the value sent was none of them. */
static void print_bad_row(struct cli *c, const struct import_file *in, const msgpack_object *e)
{
	char col[64], why[512];
	const char *cs = obj_cstr(obj_get(e, "column"), col, sizeof(col));
	const char *ws = obj_cstr(obj_get(e, "reason"), why, sizeof(why));
	int64_t line = get_int(e, "line");
	const struct csv_record *rec = record_at(in, line);
	struct strbuf sb = STRBUF_INIT;
	size_t j = 0;

	if (!ws)
		ws = "?";
	if (cs && cs[0]) {
		while (j < in->width && strcmp(in->names[j], cs) != 0)
			j++;
		/* The reason names its column already, as the server's
		 * messages do: the file's header stands in for it. */
		if (strncmp(ws, cs, strlen(cs)) == 0 && ws[strlen(cs)] == ':')
			ws += strlen(cs) + (ws[strlen(cs) + 1] == ' ' ? 2 : 1);
		strbuf_adds(&sb, j < in->width ? in->t.records[0].fields[j] : cs);
		strbuf_adds(&sb, ": ");
	}
	strbuf_adds(&sb, ws);
	if (j < in->width && rec && j < rec->nfields)
		sheet_hint(&sb, in->cols[j], rec->fields[j]);
	fprintf(c->err, "%s:%" PRId64 ": %s\n", in->path, line, strbuf_cstr(&sb));
	strbuf_free(&sb);
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

static int send_import(struct cli *c, struct import_req *r)
{
	const struct import_file *in = r->file;
	struct rpc_params p = {r->dry_run ? 5 : 4, pack_import, r};
	const msgpack_object *res, *errs;
	size_t size = request_size(r), rows = in->t.nrecords - 1;
	int64_t bad;
	int st;

	if (size > IMPORT_MAX_REQUEST) {
		errors_set(&c->error, RPC_TOO_LARGE,
			   T("%s: %zu rows make a request of %zu bytes, over the %u an import takes; "
			     "split the file, each part with the header line (parents first)"),
			   in->path, rows, size, IMPORT_MAX_REQUEST);
		return fail_invalid(c);
	}
	if (sys_term_width(c->err))
		fprintf(c->err, T("dotpha: checking %zu rows of %s...\n"), rows, in->path);
	if ((st = rpc_call(c->rpc, "import.run", &p, &res, &c->error)) != RPC_STATUS_OK)
		return st;
	if ((bad = get_int(res, "bad")) == 0 || c->json)
		st = run_show(c, &views_import, res);
	if (bad == 0 || st != RPC_STATUS_OK)
		return st;
	errs = obj_get(res, "errors");
	for (uint32_t i = 0; errs && errs->type == MSGPACK_OBJECT_ARRAY && i < errs->via.array.size;
	     i++)
		print_bad_row(c, in, &errs->via.array.ptr[i]);
	errors_set(&c->error, RPC_INVALID_ARGUMENT,
		   bad == 1 ? T("%s: %lld bad row; nothing was imported")
			    : T("%s: %lld bad rows; nothing was imported"),
		   in->path, (long long)bad);
	return fail_invalid(c);
}

/* True if every field of rec from `from` on is empty. */
static bool empty_from(const struct csv_record *rec, size_t from)
{
	for (size_t j = from; j < rec->nfields; j++)
		if (rec->fields[j][0])
			return false;
	return true;
}

/* Drops fields[n..) of rec. */
static void cut_record(struct csv_record *rec, size_t n)
{
	for (size_t j = n; j < rec->nfields; j++)
		free(rec->fields[j]);
	rec->nfields = n;
}

/* Leaves out what a spreadsheet adds around a table (rows of empty cells,
 * empty cells right of the header's last column) and turns every cell of
 * a known column into its wire value.  Returns 0 or -1 (memory). */
static int tidy(struct import_file *in)
{
	struct csv_table *t = &in->t;
	struct strbuf sb = STRBUF_INIT;
	size_t kept = 1;
	bool oom = false;

	for (size_t i = 1; i < t->nrecords; i++) {
		struct csv_record *rec = &t->records[i];

		if (empty_from(rec, 0)) {
			cut_record(rec, 0);
			free(rec->fields);
			continue;
		}
		if (rec->nfields > in->width && empty_from(rec, in->width))
			cut_record(rec, in->width);
		for (size_t j = 0; j < rec->nfields && j < in->width; j++) {
			strbuf_reset(&sb);
			sheet_value(&sb, in->cols[j], rec->fields[j]);
			if ((oom = oom || sb.failed) || strcmp(strbuf_cstr(&sb), rec->fields[j]) == 0)
				continue;
			free(rec->fields[j]);
			rec->fields[j] = strbuf_detach(&sb);
		}
		t->records[kept++] = *rec;
	}
	t->nrecords = kept;
	strbuf_free(&sb);
	return oom ? -1 : 0;
}

/* The separator's name in a message. */
static const char *separator_name(char sep)
{
	static char one[4];

	if (sep == '\t')
		return "tab";
	snprintf(one, sizeof(one), "'%c'", sep);
	return one;
}

/* Reads the header: its width and, for each cell, its column.  A header
 * that is one column is a file split by another separator: said with the
 * separators tried and the columns expected.  Returns 0, or -1 with the
 * error in c. */
static int read_header(struct cli *c, struct import_file *in, char sep)
{
	struct csv_record *h = &in->t.records[0];
	struct strbuf sb = STRBUF_INIT;

	in->width = h->nfields;
	while (in->width > 0 && !h->fields[in->width - 1][0])
		in->width--;
	if (in->width < 2) {
		sheet_headers(&sb, in->kind, lang_current() != LANG_EN);
		fprintf(c->err,
			T("%s:%ld: the header line splits into one column with the separator %s "
			  "(tried ',', ';' and tab)\n"),
			in->path, h->line, separator_name(sep));
		fprintf(c->err, T("%s:%ld: the columns of %s, separated by ',' or ';': %s\n"),
			in->path, h->line, in->kind, sb.failed ? "?" : strbuf_cstr(&sb));
		strbuf_free(&sb);
		errors_set(&c->error, RPC_INVALID_ARGUMENT,
			   T("%s: the columns were not found; nothing was imported"), in->path);
		return -1;
	}
	in->cols = calloc(in->width, sizeof(*in->cols));
	in->names = calloc(in->width, sizeof(*in->names));
	if (!in->cols || !in->names) {
		errors_set(&c->error, RPC_INTERNAL, "out of memory");
		return -1;
	}
	for (size_t j = 0; j < in->width; j++) {
		in->cols[j] = sheet_column_by_header(in->kind, h->fields[j]);
		in->names[j] = in->cols[j] ? in->cols[j]->name : h->fields[j];
	}
	return 0;
}

static void import_file_free(struct import_file *in)
{
	csv_table_free(&in->t);
	free(in->cols);
	free(in->names);
}

int run_import(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct import_file in = {.path = args_value(a, "path"), .kind = args_value(a, "kind")};
	struct import_req r = {.file = &in, .dry_run = args_value(a, "dry_run")};
	struct csv_error e;
	char *buf, sep;
	size_t len;
	int st;

	(void)cmd;
	if (read_all(in.path, &buf, &len) < 0)
		return fail_local(c, T("cannot read %s: %s"), in.path, strerror(errno));
	sep = csv_separator(buf, len);
	st = csv_parse(buf, len, sep, &in.t, &e);
	free(buf);
	if (st < 0) {
		errors_set(&c->error, RPC_INVALID_ARGUMENT, T("%s:%ld: field %ld: %s"), in.path,
			   e.line, e.column, T(e.message));
		st = fail_invalid(c);
	} else if (in.t.nrecords == 0) {
		errors_set(&c->error, RPC_INVALID_ARGUMENT,
			   T("%s: the file is empty; its first line names the columns"), in.path);
		st = fail_invalid(c);
	} else if (read_header(c, &in, sep) < 0) {
		st = c->error.code == RPC_INTERNAL ? RPC_STATUS_LOCAL : fail_invalid(c);
	} else if (tidy(&in) < 0) {
		st = fail_local(c, "out of memory");
	} else {
		st = send_import(c, &r);
	}
	import_file_free(&in);
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

/* How an export writes: JSON (the wire's values) or CSV for a person. */
struct export_out {
	FILE *f;
	const char *kind;
	bool json;
	bool vi;       /* Vietnamese headers, labels, dates dd/mm/yyyy, local moments */
	char sep;      /* the CSV separator */
	int64_t written; /* JSON objects written */
};

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

/* Writes fields[0..n) as one JSON object keyed by the columns. */
static int write_json(struct export_out *o, const msgpack_object *cols, char **fields, size_t n)
{
	struct strbuf sb = STRBUF_INIT;
	int rc;

	strbuf_adds(&sb, o->written++ ? ",\n{" : "\n{");
	for (size_t j = 0; j < n; j++) {
		if (j)
			strbuf_addc(&sb, ',');
		json_write(&sb, &cols->via.array.ptr[j]);
		strbuf_addc(&sb, ':');
		json_write_string(&sb, fields[j], strlen(fields[j]));
	}
	strbuf_addc(&sb, '}');
	rc = sb.failed ? -1 : 0;
	fwrite(sb.buf, 1, sb.len, o->f);
	strbuf_free(&sb);
	return rc;
}

/* Writes fields[0..n) as one CSV record of cells (sheet_cell), or, with
 * head, the header: the columns' Vietnamese headers or codes. */
static int write_csv(struct export_out *o, char **names, char **fields, size_t n, bool head)
{
	struct strbuf *cells = calloc(n ? n : 1, sizeof(*cells));
	const char **out = calloc(n ? n : 1, sizeof(*out));
	int rc = cells && out ? 0 : -1;

	for (size_t j = 0; rc == 0 && j < n; j++) {
		const struct sheet_col *col = sheet_column(o->kind, names[j]);

		if (head)
			strbuf_adds(&cells[j], o->vi && col ? col->header : names[j]);
		else
			sheet_cell(&cells[j], col, fields[j], o->vi);
		out[j] = strbuf_cstr(&cells[j]);
		rc = cells[j].failed ? -1 : 0;
	}
	if (rc == 0)
		csv_write_record(o->f, o->sep, out, n);
	for (size_t j = 0; cells && j < n; j++)
		strbuf_free(&cells[j]);
	free(cells);
	free(out);
	return rc;
}

/* Frees fields[0..n) and leaves them NULL. */
static void free_strings(char **fields, size_t n)
{
	for (size_t j = 0; fields && j < n; j++) {
		free(fields[j]);
		fields[j] = NULL;
	}
}

/* Writes one page: with head, the CSV header first (from its columns). */
static int write_page(struct export_out *o, const msgpack_object *cols,
		      const msgpack_object *rows, bool head)
{
	size_t n = cols->via.array.size;
	char **names = calloc(n ? n : 1, sizeof(*names));
	char **fields = calloc(n ? n : 1, sizeof(*fields));
	int rc = names && fields ? row_strings(cols, names, n) : -1;

	if (rc == 0 && head && !o->json)
		rc = write_csv(o, names, names, n, true);
	for (uint32_t i = 0; rc == 0 && i < rows->via.array.size; i++) {
		if ((rc = row_strings(&rows->via.array.ptr[i], fields, n)) == 0)
			rc = o->json ? write_json(o, cols, fields, n)
				     : write_csv(o, names, fields, n, false);
		free_strings(fields, n);
	}
	free_strings(fields, n);
	free_strings(names, n);
	free(fields);
	free(names);
	return rc;
}

/* The CSV separator: --sep, else ';' for the Vietnamese form (what Excel
 * takes under Vietnamese settings) and ',' for the codes.  -1 when --sep
 * names none. */
static int export_separator(const struct args *a, bool vi)
{
	const char *s = args_value(a, "separator");

	if (!s)
		return vi ? ';' : ',';
	if (strcmp(s, "tab") == 0 || strcmp(s, "\\t") == 0)
		return '\t';
	return (strcmp(s, ",") == 0 || strcmp(s, ";") == 0) ? s[0] : -1;
}

int run_export(struct cli *c, const struct command *cmd, const struct args *a)
{
	const char *format = args_value(a, "format") ? args_value(a, "format") : "csv";
	const char *path = args_value(a, "output");
	struct export_req r = {.kind = args_value(a, "kind")};
	struct export_out o = {.kind = r.kind, .json = strcmp(format, "json") == 0,
			       .vi = lang_current() != LANG_EN};
	struct rpc_params p = {2, pack_export, &r};
	const msgpack_object *res, *cols, *rows, *next;
	int64_t pages = 0;
	int st = RPC_STATUS_OK, sep = export_separator(a, o.vi);

	(void)cmd;
	if (!o.json && strcmp(format, "csv") != 0) {
		errors_set(&c->error, RPC_INVALID_ARGUMENT, T("--format: csv or json, got '%s'"),
			   format);
		c->exit_code = CLI_EXIT_USAGE;
		return RPC_STATUS_LOCAL;
	}
	if (sep < 0) {
		errors_set(&c->error, RPC_INVALID_ARGUMENT, T("--sep: ',', ';' or tab, got '%s'"),
			   args_value(a, "separator"));
		c->exit_code = CLI_EXIT_USAGE;
		return RPC_STATUS_LOCAL;
	}
	o.sep = (char)sep;
	if (!path)
		o.f = c->out;
	else if (!(o.f = fopen(path, "wb")))
		return fail_local(c, T("cannot write %s: %s"), path, strerror(errno));
	if (o.json)
		fputc('[', o.f);
	else
		csv_write_bom(o.f);
	for (;;) {
		p.count = r.has_after ? 3 : 2;
		if ((st = rpc_call(c->rpc, "export.rows", &p, &res, &c->error)) != RPC_STATUS_OK)
			break;
		cols = obj_get(res, "columns");
		rows = obj_get(res, "rows");
		next = obj_get(res, "next");
		if (!cols || cols->type != MSGPACK_OBJECT_ARRAY || !rows ||
		    rows->type != MSGPACK_OBJECT_ARRAY || write_page(&o, cols, rows, pages++ == 0) < 0) {
			st = fail_local(c, T("the server's answer to export.rows is not rows of text"));
			break;
		}
		if (!next || !obj_int(next, &r.after))
			break;
		r.has_after = true;
		if (path && sys_term_width(c->err))
			fprintf(c->err, T("\rdotpha: %s: %lld pages"), path, (long long)pages);
	}
	if (st == RPC_STATUS_OK && o.json)
		fputs(o.written ? "\n]\n" : "]\n", o.f);
	if (path && sys_term_width(c->err) && pages > 1)
		fputc('\n', c->err);
	if (path && fclose(o.f) != 0 && st == RPC_STATUS_OK)
		st = fail_local(c, T("cannot write %s: %s"), path, strerror(errno));
	if (path && st != RPC_STATUS_OK)
		remove(path);
	return st;
}
