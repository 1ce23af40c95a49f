/*
 * report.c: see report.h.  The report's figures are the server's; this
 * file only lays them out: tables for people, the exact JSON, or the
 * official table as CSV for spreadsheets.
 */
#include "report.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "fmt.h"
#include "json.h"
#include "lang.h"
#include "obj.h"
#include "render.h"
#include "report_html.h"
#include "report_xlsx.h"
#include "rpc.h"
#include "run.h"
#include "views.h"

/* The value given for client-side option `name` ("--csv"), or NULL. */
static const char *local_opt(const struct args *a, const char *name)
{
	for (size_t k = 0; a->opts[k].name; k++)
		if (strcmp(a->opts[k].name, name) == 0)
			return a->val[k];
	return NULL;
}

static int malformed(struct cli *c, const char *what)
{
	errors_set(&c->error, RPC_INTERNAL, T("the server at %s sent a malformed answer: %s"),
		   c->rpc->where, what);
	return RPC_STATUS_TRANSPORT;
}

/* ---- CSV (RFC 4180) ---- */

/* Appends one field, quoted when it holds a comma, a quote or a line
 * break, quotes doubled.  s holds n bytes and no NUL after them (a
 * MessagePack string in the answer). */
void report_csv_field(struct strbuf *sb, const char *s, size_t n)
{
	size_t plain = 0;

	while (plain < n && s[plain] != ',' && s[plain] != '"' && s[plain] != '\r' &&
	       s[plain] != '\n')
		plain++;
	if (plain == n) {
		strbuf_add(sb, s, n);
		return;
	}
	strbuf_addc(sb, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			strbuf_addc(sb, '"');
		strbuf_addc(sb, s[i]);
	}
	strbuf_addc(sb, '"');
}

/* Appends field key of row as a CSV cell: text as is, numbers in decimal
 * (rates with one decimal), nil empty. */
static void csv_value(struct strbuf *sb, const msgpack_object *row, const char *key)
{
	const msgpack_object *v = row ? obj_get(row, key) : NULL;

	if (!v)
		return;
	switch (v->type) {
	case MSGPACK_OBJECT_STR:
		report_csv_field(sb, v->via.str.ptr, v->via.str.size);
		break;
	case MSGPACK_OBJECT_POSITIVE_INTEGER:
		strbuf_addf(sb, "%" PRIu64, v->via.u64);
		break;
	case MSGPACK_OBJECT_NEGATIVE_INTEGER:
		strbuf_addf(sb, "%" PRId64, v->via.i64);
		break;
	case MSGPACK_OBJECT_FLOAT32:
	case MSGPACK_OBJECT_FLOAT64:
		strbuf_addf(sb, "%.1f", v->via.f64);
		break;
	default:
		break;
	}
}

/* The official table's columns: header, field. */
static const struct {
	const char *label, *key;
} csv_cols[] = {
	{N_("Unit code"), "unit_code"},
	{N_("Unit"), "unit_name"},
	{N_("Level in the tree"), "depth"},
	{N_("Total tasks assigned"), "assigned"},
	{N_("Done on time"), "done_on_time"},
	{N_("Done late"), "done_late"},
	{N_("Not completed, within the deadline"), "within_deadline"},
	{N_("Overdue"), "overdue"},
	{N_("Completion rate (%)"), "completion_rate"},
	{N_("On-time completion rate (%)"), "on_time_rate"},
	{N_("Overdue rate (%)"), "overdue_rate"},
	{N_("The unit's own: tasks assigned"), "own_assigned"},
};

#define NCSV (sizeof(csv_cols) / sizeof(csv_cols[0]))

const char *report_column(size_t k, const char **key)
{
	if (k >= NCSV)
		return NULL;
	*key = csv_cols[k].key;
	return csv_cols[k].label;
}

static void csv_row(struct strbuf *sb, const msgpack_object *row, const char *code,
		    const char *name)
{
	for (size_t k = 0; k < NCSV; k++) {
		if (k)
			strbuf_addc(sb, ',');
		if (k == 0 && code)
			report_csv_field(sb, code, strlen(code));
		else if (k == 1 && name)
			report_csv_field(sb, name, strlen(name));
		else if (!(k == 2 && name))
			csv_value(sb, row, csv_cols[k].key);
	}
	strbuf_adds(sb, "\r\n");
}

int report_csv(struct strbuf *sb, const msgpack_object *res)
{
	const msgpack_object *units = obj_get(res, "units");

	if (!units || units->type != MSGPACK_OBJECT_ARRAY)
		return -1;
	strbuf_adds(sb, "\xEF\xBB\xBF"); /* the BOM: spreadsheets then read UTF-8 */
	for (size_t k = 0; k < NCSV; k++) {
		if (k)
			strbuf_addc(sb, ',');
		report_csv_field(sb, T(csv_cols[k].label), strlen(T(csv_cols[k].label)));
	}
	strbuf_adds(sb, "\r\n");
	for (uint32_t i = 0; i < units->via.array.size; i++)
		csv_row(sb, &units->via.array.ptr[i], NULL, NULL);
	csv_row(sb, obj_get(res, "summary"), "", T("Grand total"));
	return 0;
}

/* ---- tables ---- */

/* Appends the text of field key of o to sb. */
static const char *text(struct strbuf *sb, const msgpack_object *o, const char *key,
			enum render_kind kind)
{
	strbuf_reset(sb);
	render_value(sb, o ? obj_get(o, key) : NULL, kind);
	return strbuf_cstr(sb);
}

/* "Cán bộ diện X quản lý: 244 việc, 76 cán bộ" ("Cadres managed by X: 244
 * tasks, 76 cadres") for the base and the
 * bodies below it. */
static void print_managing(struct cli *c, const msgpack_object *m)
{
	const msgpack_object *bodies = obj_get(m, "bodies"), *base = obj_get(m, "base"),
			     *below = obj_get(m, "below");
	const char *name = NULL;
	struct strbuf sb = STRBUF_INIT;
	int64_t t = 0, k = 0;
	char nt[32], nk[32];

	for (uint32_t i = 0; bodies && bodies->type == MSGPACK_OBJECT_ARRAY &&
			     i < bodies->via.array.size; i++) {
		const msgpack_object *b = &bodies->via.array.ptr[i];

		/* Several roots (an admin's whole tree) have no one name. */
		if (obj_str_eq(obj_get(b, "level"), "base"))
			name = name ? T("the root units") : text(&sb, b, "unit_name", RENDER_TEXT);
	}
	obj_int(obj_get(base, "tasks"), &t);
	obj_int(obj_get(base, "cadres"), &k);
	fprintf(c->out, T("Cadres managed by %s: %s tasks, %s cadres\n"),
		name ? name : T("the root units"), fmt_int_s(t, nt, sizeof(nt)),
		fmt_int_s(k, nk, sizeof(nk)));
	t = k = 0;
	obj_int(obj_get(below, "tasks"), &t);
	obj_int(obj_get(below, "cadres"), &k);
	fprintf(c->out, T("Cadres managed by the levels below: %s tasks, %s cadres\n"),
		fmt_int_s(t, nt, sizeof(nt)), fmt_int_s(k, nk, sizeof(nk)));
	strbuf_free(&sb);
}

/* A titled table of array `key`; "(không có)" ("(none)") when it is empty. */
static int section(struct cli *c, const msgpack_object *res, const char *title, const char *key,
		   const struct render_view *v)
{
	size_t n;
	int st;

	fprintf(c->out, "\n%s\n", T(title));
	if ((st = run_rows(c, res, key, v->columns, &n)) == RPC_STATUS_OK && n == 0)
		fputs(T("(none)\n"), c->out);
	return st;
}

/* A bounded list with its total: "100 trên 123 việc (--limit N để xem thêm)". */
static int bounded(struct cli *c, const msgpack_object *res, const char *title, const char *key,
		   const char *total_key, const struct render_view *v)
{
	int64_t total = 0;
	char n[32];
	const msgpack_object *arr = obj_get(res, key);
	int st = section(c, res, title, key, v);

	obj_int(obj_get(res, total_key), &total);
	if (st == RPC_STATUS_OK && arr && (int64_t)arr->via.array.size < total)
		fprintf(c->out, T("%" PRIu32 " of %s tasks (--limit N shows more)\n"),
			arr->via.array.size, fmt_int_s(total, n, sizeof(n)));
	return st;
}

/* Says how many units below the listed levels the report left out. */
static void units_left_out(struct cli *c, const msgpack_object *res)
{
	int64_t below = 0, depth = 0;

	obj_int(obj_get(res, "units_below"), &below);
	obj_int(obj_get(res, "units_depth"), &depth);
	if (below > 0)
		fprintf(c->out,
			T("Only %" PRId64 " levels of units are listed; %" PRId64 " units below are not"
			  " (--unit CODE for one unit, --depth N to see deeper)\n"),
			depth + 1, below);
}

static int print_report(struct cli *c, const msgpack_object *res)
{
	const msgpack_object *summary = obj_get(res, "summary"), *m = obj_get(res, "managing");
	struct strbuf sb = STRBUF_INIT;
	int st;

	if (!summary || summary->type != MSGPACK_OBJECT_MAP || !m || m->type != MSGPACK_OBJECT_MAP)
		return malformed(c, T("no summary"));
	fprintf(c->out, T("Report on the breakthrough and innovation tasks — %s"),
		text(&sb, obj_get(res, "term"), "name", RENDER_TEXT));
	fprintf(c->out, T(" — as of %s"), text(&sb, res, "as_of", RENDER_DATE));
	if (obj_get(obj_get(res, "unit"), "name"))
		fprintf(c->out, " — %s", text(&sb, obj_get(res, "unit"), "name", RENDER_TEXT));
	strbuf_free(&sb);
	fputs("\n\n", c->out);
	print_managing(c, m);
	fputc('\n', c->out);
	render_record(c->out, &views_report_summary, summary, c->width);
	if ((st = section(c, res, N_("By unit (with the units under it; Own: the unit's own tasks):"),
			  "units", &views_report_units)) != RPC_STATUS_OK)
		return st;
	units_left_out(c, res);
	if ((st = section(c, m, N_("By the body managing the cadres:"), "bodies",
			  &views_report_bodies)) != RPC_STATUS_OK ||
	    (st = section(c, res, N_("By field and kind of task:"), "fields",
			  &views_report_fields)) != RPC_STATUS_OK ||
	    (st = section(c, res, N_("By state:"), "states", &views_report_states)) !=
		    RPC_STATUS_OK)
		return st;
	fputs(T("\nRatings of the accepted tasks"), c->out);
	run_ratings(c, obj_get(res, "ratings"));
	fputc('\n', c->out);
	if ((st = bounded(c, res, N_("Overdue tasks:"), "overdue", "overdue_total",
			  &views_report_overdue)) != RPC_STATUS_OK)
		return st;
	return bounded(c, res, N_("Stalled tasks:"), "stalled", "stalled_total",
		       &views_report_stalled);
}

/* Writes the HTML page of res to path, then says where on stdout. */
static int write_html(struct cli *c, const msgpack_object *res, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	FILE *f;
	int st = RPC_STATUS_OK;

	if (report_html(&sb, res) < 0) {
		strbuf_free(&sb);
		return malformed(c, T("no summary, units or overdue list"));
	}
	if (!(f = fopen(path, "wb"))) {
		errors_set(&c->error, RPC_INTERNAL, T("cannot create %s: %s"), path, strerror(errno));
		st = RPC_STATUS_LOCAL;
	} else {
		bool ok = fwrite(strbuf_cstr(&sb), 1, sb.len, f) == sb.len;

		if (fclose(f) != 0 || !ok) {
			errors_set(&c->error, RPC_INTERNAL, T("cannot write %s: %s"), path,
				   strerror(errno));
			st = RPC_STATUS_LOCAL;
		}
		if (st == RPC_STATUS_OK)
			fprintf(c->out, T("The report was written to %s\n"), path);
	}
	strbuf_free(&sb);
	return st;
}

int run_report(struct cli *c, const struct command *cmd, const struct args *a)
{
	const char *path;
	const msgpack_object *res;
	struct strbuf sb = STRBUF_INIT;
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res)
		return st;
	if ((path = local_opt(a, "--html")))
		return write_html(c, res, path);
	if ((path = local_opt(a, "--xlsx")))
		return report_xlsx_write(c, res, path);
	if (!local_opt(a, "--csv"))
		return print_report(c, res);
	if (report_csv(&sb, res) < 0)
		st = malformed(c, T("no units"));
	else if (fwrite(strbuf_cstr(&sb), 1, sb.len, c->out) != sb.len)
		st = (errors_set(&c->error, RPC_INTERNAL, T("cannot write the CSV")), RPC_STATUS_LOCAL);
	strbuf_free(&sb);
	return st;
}

int run_report_compare(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res;
	struct strbuf sb = STRBUF_INIT;
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res)
		return st;
	fprintf(c->out, T("Snapshot %s"), text(&sb, obj_get(res, "a"), "name", RENDER_TEXT));
	fprintf(c->out, " (%s)", text(&sb, obj_get(res, "a"), "as_of", RENDER_DATE));
	fprintf(c->out, T(" compared with %s"), text(&sb, obj_get(res, "b"), "name", RENDER_TEXT));
	fprintf(c->out, " (%s)\n", text(&sb, obj_get(res, "b"), "as_of", RENDER_DATE));
	strbuf_free(&sb);
	if ((st = section(c, res, N_("Summary:"), "summary", &views_compare_summary)) !=
	    RPC_STATUS_OK)
		return st;
	return section(c, res, N_("By unit (the later figure and the difference):"), "units",
		       &views_compare_units);
}
