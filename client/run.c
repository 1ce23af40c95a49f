/*
 * run.c: see run.h.
 *
 * Paged lists stream: each page is turned into table rows (or JSON text)
 * before the next is asked for, because a page's objects die with the next
 * call.  With --json over several pages the items are written as they come,
 * so a failure half-way leaves a truncated document and a non-zero exit.
 */
#include "run.h"

#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "json.h"
#include "obj.h"
#include "pack.h"
#include "render.h"
#include "table.h"
#include "views.h"

/* The filters of a list plus its paging fields. */
struct paging {
	const struct rpc_params *base; /* the filters */
	int64_t limit;                 /* this page's size */
	bool has_after;                /* after is set: not the first page */
	int64_t after;                 /* the `next` of the previous page */
};

/* What paging saw, for the summary line. */
struct page_totals {
	size_t got;     /* items received */
	int64_t total;  /* the server's count of every match, -1 if not sent */
	int64_t cadres; /* distinct owners (task.list), -1 if not sent */
};

/* Receives the items of one page; returns an rpc_status. */
typedef int (*page_fn)(struct cli *c, const msgpack_object *items, void *ctx);

static void pack_paging(msgpack_packer *pk, const void *ctx)
{
	const struct paging *pg = ctx;

	if (pg->base->pack)
		pg->base->pack(pk, pg->base->ctx);
	pack_kv_int(pk, "limit", pg->limit);
	if (pg->has_after)
		pack_kv_int(pk, "after", pg->after);
}

static int local_failure(struct cli *c, const char *what)
{
	errors_set(&c->error, RPC_INTERNAL, "%s", what);
	return RPC_STATUS_LOCAL;
}

static int malformed(struct cli *c, const char *what)
{
	errors_set(&c->error, RPC_INTERNAL, "the server at %s sent a malformed answer: %s",
		   c->rpc->where, what);
	return RPC_STATUS_TRANSPORT;
}

static int print_json(struct cli *c, const msgpack_object *o)
{
	struct strbuf sb = STRBUF_INIT;
	int st = RPC_STATUS_OK;

	json_write(&sb, o);
	strbuf_addc(&sb, '\n');
	if (sb.failed)
		st = local_failure(c, "out of memory writing JSON");
	else
		fwrite(sb.buf, 1, sb.len, c->out);
	strbuf_free(&sb);
	return st;
}

static int call(struct cli *c, const char *method, const struct args *a, const msgpack_object **res)
{
	struct rpc_params p = {args_count(a), args_pack, a};

	return rpc_call(c->rpc, method, &p, res, &c->error);
}

int run_call(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res;
	int st = call(c, cmd->method, a, &res);

	if (st != RPC_STATUS_OK)
		return st;
	if (c->json)
		return print_json(c, res);
	render_record(c->out, cmd->view, res, c->width);
	return RPC_STATUS_OK;
}

/* Writes "244 việc, 76 cán bộ" and, when rows were left out, how many were
 * shown. */
static void summary(struct cli *c, const struct render_view *v, const struct page_totals *t)
{
	int64_t total = t->total >= 0 ? t->total : (int64_t)t->got;

	fprintf(c->out, "%" PRId64 " %s", total, v->noun);
	if (t->cadres >= 0)
		fprintf(c->out, ", %" PRId64 " cán bộ", t->cadres);
	if ((int64_t)t->got < total)
		fprintf(c->out, "; hiển thị %zu trên %" PRId64 " (--all để xem tất cả)", t->got, total);
	fputc('\n', c->out);
}

static const msgpack_object *items_of(const msgpack_object *res)
{
	const msgpack_object *items = obj_get(res, "items");

	return items && items->type == MSGPACK_OBJECT_ARRAY ? items : NULL;
}

static int table_rows(struct cli *c, struct table *t, const struct render_col *cols,
		      const msgpack_object *items)
{
	for (uint32_t i = 0; i < items->via.array.size; i++)
		if (render_table_add(t, cols, &items->via.array.ptr[i]) < 0)
			return local_failure(c, "out of memory");
	return RPC_STATUS_OK;
}

int run_list(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *items;
	struct page_totals tot = {0, -1, -1};
	struct table t;
	int st = call(c, cmd->method, a, &res);

	if (st != RPC_STATUS_OK)
		return st;
	if (c->json)
		return print_json(c, res);
	if (!(items = items_of(res)))
		return malformed(c, "no items");
	if (render_table_init(&t, cmd->view->columns) < 0) {
		table_free(&t);
		return local_failure(c, "out of memory");
	}
	st = table_rows(c, &t, cmd->view->columns, items);
	if (st == RPC_STATUS_OK) {
		tot.got = items->via.array.size;
		obj_int(obj_get(res, "total"), &tot.total);
		if (t.rows)
			table_print(&t, c->out, c->width);
		summary(c, cmd->view, &tot);
	}
	table_free(&t);
	return st;
}

/* Asks method for pages of the base filters until `want` items (SIZE_MAX:
 * all) have come or there are no more, handing each page to fn. */
static int page_through(struct cli *c, const char *method, const struct rpc_params *base,
			size_t want, page_fn fn, void *ctx, struct page_totals *tot)
{
	struct paging pg = {base, 0, false, 0};

	tot->got = 0;
	tot->total = tot->cadres = -1;
	for (;;) {
		struct rpc_params p = {base->count + 1, pack_paging, &pg};
		const msgpack_object *res, *items;
		size_t left = want - tot->got;
		int st;

		pg.limit = left < RUN_PAGE_MAX ? (int64_t)left : RUN_PAGE_MAX;
		p.count += pg.has_after ? 1 : 0;
		st = rpc_call(c->rpc, method, &p, &res, &c->error);
		if (st != RPC_STATUS_OK)
			return st;
		if (!(items = items_of(res)))
			return malformed(c, "no items");
		if ((st = fn(c, items, ctx)) != RPC_STATUS_OK)
			return st;
		tot->got += items->via.array.size;
		obj_int(obj_get(res, "total"), &tot->total);
		obj_int(obj_get(res, "cadres"), &tot->cadres);
		if (items->via.array.size == 0 || tot->got >= want ||
		    !obj_int(obj_get(res, "next"), &pg.after))
			return RPC_STATUS_OK;
		pg.has_after = true;
	}
}

/* Rows of a paged list, as a table or as JSON written as it comes. */
struct list_sink {
	struct table table;             /* human output */
	const struct render_col *cols;
	size_t written;                 /* JSON items written so far */
};

static int sink_page(struct cli *c, const msgpack_object *items, void *ctx)
{
	struct list_sink *s = ctx;
	struct strbuf sb = STRBUF_INIT;

	if (!c->json)
		return table_rows(c, &s->table, s->cols, items);
	for (uint32_t i = 0; i < items->via.array.size; i++) {
		if (s->written++)
			strbuf_addc(&sb, ',');
		json_write(&sb, &items->via.array.ptr[i]);
	}
	if (sb.failed) {
		strbuf_free(&sb);
		return local_failure(c, "out of memory writing JSON");
	}
	fwrite(strbuf_cstr(&sb), 1, sb.len, c->out);
	strbuf_free(&sb);
	return RPC_STATUS_OK;
}

int run_paged(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct rpc_params base = {args_count(a), args_pack, a};
	size_t want = a->all ? SIZE_MAX : a->limit ? a->limit : RUN_DEFAULT_ROWS;
	struct list_sink s = {.cols = cmd->view->columns};
	struct page_totals tot;
	int st;

	if (c->json && want <= RUN_PAGE_MAX) {
		/* One page: the server's answer exactly. */
		struct paging pg = {&base, (int64_t)want, false, 0};
		struct rpc_params p = {base.count + 1, pack_paging, &pg};
		const msgpack_object *res;

		st = rpc_call(c->rpc, cmd->method, &p, &res, &c->error);
		return st == RPC_STATUS_OK ? print_json(c, res) : st;
	}
	if (c->json)
		fputs("{\"items\":[", c->out);
	else if (render_table_init(&s.table, s.cols) < 0) {
		table_free(&s.table);
		return local_failure(c, "out of memory");
	}
	st = page_through(c, cmd->method, &base, want, sink_page, &s, &tot);
	if (c->json) {
		if (st == RPC_STATUS_OK) {
			fprintf(c->out, "],\"total\":%" PRId64, tot.total >= 0 ? tot.total : (int64_t)tot.got);
			if (tot.cadres >= 0)
				fprintf(c->out, ",\"cadres\":%" PRId64, tot.cadres);
			fputs("}\n", c->out);
		} else {
			fputc('\n', c->out);
		}
		return st;
	}
	if (st == RPC_STATUS_OK) {
		if (s.table.rows)
			table_print(&s.table, c->out, c->width);
		summary(c, cmd->view, &tot);
	}
	table_free(&s.table);
	return st;
}

/* The last RUN_LAST_UPDATES updates of a task, kept while paging. */
struct last_updates {
	struct table table;                    /* human output */
	struct strbuf json[RUN_LAST_UPDATES];  /* --json: a ring of item texts */
	size_t seen;                           /* items received */
};

static int keep_page(struct cli *c, const msgpack_object *items, void *ctx)
{
	struct last_updates *l = ctx;

	for (uint32_t i = 0; i < items->via.array.size; i++, l->seen++) {
		const msgpack_object *it = &items->via.array.ptr[i];

		if (c->json) {
			struct strbuf *sb = &l->json[l->seen % RUN_LAST_UPDATES];

			strbuf_reset(sb);
			if (json_write(sb, it) < 0)
				return local_failure(c, "out of memory writing JSON");
		} else if (render_table_add(&l->table, views_update.columns, it) < 0) {
			return local_failure(c, "out of memory");
		}
	}
	table_keep_last(&l->table, RUN_LAST_UPDATES);
	return RPC_STATUS_OK;
}

static void pack_task_id(msgpack_packer *pk, const void *ctx)
{
	pack_kv_int(pk, "task", *(const int64_t *)ctx);
}

int run_task_show(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct last_updates l;
	struct strbuf task = STRBUF_INIT;
	struct page_totals tot = {0, -1, -1};
	const msgpack_object *res;
	int64_t id = 0, updates = 0;
	int st = call(c, cmd->method, a, &res);

	if (st != RPC_STATUS_OK)
		return st;
	memset(&l, 0, sizeof(l));
	args_int(a, "task", &id);
	obj_int(obj_get(res, "updates"), &updates);
	/* The task's objects die with the next call: keep its JSON, or print it. */
	if (c->json) {
		if (json_write(&task, res) < 0) {
			strbuf_free(&task);
			return local_failure(c, "out of memory writing JSON");
		}
	} else {
		render_record(c->out, cmd->view, res, c->width);
	}
	if (render_table_init(&l.table, views_update.columns) < 0)
		st = local_failure(c, "out of memory");
	else if (updates > 0) {
		struct rpc_params base = {1, pack_task_id, &id};

		st = page_through(c, "update.list", &base, SIZE_MAX, keep_page, &l, &tot);
	}
	if (st == RPC_STATUS_OK && c->json) {
		size_t n = l.seen < RUN_LAST_UPDATES ? l.seen : RUN_LAST_UPDATES;

		fprintf(c->out, "{\"task\":%s,\"updates\":[", strbuf_cstr(&task));
		for (size_t i = 0; i < n; i++) {
			size_t k = (l.seen - n + i) % RUN_LAST_UPDATES;

			fprintf(c->out, "%s%s", i ? "," : "", strbuf_cstr(&l.json[k]));
		}
		fputs("]}\n", c->out);
	} else if (st == RPC_STATUS_OK && l.table.rows) {
		fprintf(c->out, "\nBáo cáo gần nhất (%zu trên %zu):\n", l.table.rows, l.seen);
		table_print(&l.table, c->out, c->width);
	}
	for (size_t i = 0; i < RUN_LAST_UPDATES; i++)
		strbuf_free(&l.json[i]);
	table_free(&l.table);
	strbuf_free(&task);
	return st;
}
