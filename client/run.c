/*
 * run.c: see run.h.
 *
 * Paged lists stream: each page is turned into table rows (or JSON text)
 * before the next is asked for, because a page's objects die with the next
 * call.  With --json over several pages the items are written as they come,
 * so a failure half-way leaves a truncated document and a non-zero exit.
 */
#include "run.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "config.h"
#include "fmt.h"
#include "json.h"
#include "lang.h"
#include "obj.h"
#include "pack.h"
#include "render.h"
#include "sys.h"
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
	bool capped;    /* total_capped: there are more than total (search.query) */
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
	errors_set(&c->error, RPC_INTERNAL, T("the server at %s sent a malformed answer: %s"),
		   c->rpc->where, what);
	return RPC_STATUS_TRANSPORT;
}

/* Writes the JSON built in sb to the output, or says it ran out of memory
 * building it. */
static int write_json(struct cli *c, const struct strbuf *sb)
{
	if (sb->failed)
		return local_failure(c, T("out of memory writing JSON"));
	fwrite(sb->buf, 1, sb->len, c->out);
	return RPC_STATUS_OK;
}

static int print_json(struct cli *c, const msgpack_object *o)
{
	struct strbuf sb = STRBUF_INIT;
	int st;

	json_write(&sb, o);
	strbuf_addc(&sb, '\n');
	st = write_json(c, &sb);
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

/* Writes "244 việc, 76 cán bộ" ("244 tasks, 76 cadres") and, when rows were left out, how many were
 * shown, and for a command the client pages (`paged`), that --all shows
 * them all. */
static void summary(struct cli *c, const struct render_view *v, const struct page_totals *t,
		    bool paged)
{
	int64_t total = t->total >= 0 ? t->total : (int64_t)t->got;
	char n1[32], n2[32];

	if (t->capped) { /* the server stopped counting at total */
		fprintf(c->out, T("more than %s results; the first %s shown\n"),
			fmt_int_s(total, n1, sizeof(n1)), fmt_int_s((int64_t)t->got, n2, sizeof(n2)));
		return;
	}
	fprintf(c->out, "%s %s", fmt_int_s(total, n1, sizeof(n1)), T(v->noun));
	if (t->cadres >= 0)
		fprintf(c->out, T(", %s cadres"), fmt_int_s(t->cadres, n1, sizeof(n1)));
	if ((int64_t)t->got < total)
		fprintf(c->out, paged ? T("; %s of %s shown (--all shows them all)") : T("; %s of %s shown"),
			fmt_int_s((int64_t)t->got, n1, sizeof(n1)), fmt_int_s(total, n2, sizeof(n2)));
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
			return local_failure(c, T("out of memory"));
	return RPC_STATUS_OK;
}

/* The columns a list of view v shows: those --columns picked, or v's. */
static const struct render_col *list_cols(const struct cli *c, const struct render_view *v)
{
	return c->columns ? c->columns : v->columns;
}

/* Shows a result {"items", "total"} as a table of cols and a count in v's
 * noun. */
static int show_list(struct cli *c, const struct render_view *v, const struct render_col *cols,
		     const msgpack_object *res)
{
	const msgpack_object *items;
	const msgpack_object *capped;
	struct page_totals tot = {0, -1, -1, false};
	struct table t;
	int st;

	if (!(items = items_of(res)))
		return malformed(c, T("no items"));
	if (render_table_init(&t, cols) < 0) {
		table_free(&t);
		return local_failure(c, T("out of memory"));
	}
	st = table_rows(c, &t, cols, items);
	if (st == RPC_STATUS_OK) {
		tot.got = items->via.array.size;
		obj_int(obj_get(res, "total"), &tot.total);
		capped = obj_get(res, "total_capped");
		tot.capped = capped && capped->type == MSGPACK_OBJECT_BOOLEAN && capped->via.boolean;
		if (t.rows)
			table_print(&t, c->out, c->width);
		summary(c, v, &tot, false);
	}
	table_free(&t);
	return st;
}

/* Calls cmd's method; with --json prints the result and sets *res NULL,
 * else leaves it in *res for the caller to show. */
int run_fetch(struct cli *c, const struct command *cmd, const struct args *a,
	      const msgpack_object **res)
{
	int st = call(c, cmd->method, a, res);

	if (st == RPC_STATUS_OK && c->json) {
		st = print_json(c, *res);
		*res = NULL;
	}
	return st;
}

int run_list(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res;
	int st = run_fetch(c, cmd, a, &res);

	return st != RPC_STATUS_OK || !res ? st : show_list(c, cmd->view, list_cols(c, cmd->view), res);
}

/* Asks method for pages of the base filters until `want` items (SIZE_MAX:
 * all) have come or there are no more, handing each page to fn. */
static int page_through(struct cli *c, const char *method, const struct rpc_params *base,
			size_t want, page_fn fn, void *ctx, struct page_totals *tot)
{
	struct paging pg = {base, 0, false, 0};

	tot->got = 0;
	tot->total = tot->cadres = -1;
	tot->capped = false;
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
			return malformed(c, T("no items"));
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
		return local_failure(c, T("out of memory writing JSON"));
	}
	fwrite(strbuf_cstr(&sb), 1, sb.len, c->out);
	strbuf_free(&sb);
	return RPC_STATUS_OK;
}

int run_paged(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct rpc_params base = {args_count(a), args_pack, a};
	size_t want = a->all ? SIZE_MAX : a->limit ? a->limit : RUN_DEFAULT_ROWS;
	struct list_sink s = {.cols = list_cols(c, cmd->view)};
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
		return local_failure(c, T("out of memory"));
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
		summary(c, cmd->view, &tot, true);
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
				return local_failure(c, T("out of memory writing JSON"));
		} else if (render_table_add(&l->table, views_update.columns, it) < 0) {
			return local_failure(c, T("out of memory"));
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
	struct page_totals tot = {0, -1, -1, false};
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
			return local_failure(c, T("out of memory writing JSON"));
		}
	} else {
		render_record(c->out, cmd->view, res, c->width);
	}
	if (render_table_init(&l.table, views_update.columns) < 0)
		st = local_failure(c, T("out of memory"));
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
		fprintf(c->out, T("\nLatest progress updates (%zu of %zu):\n"), l.table.rows, l.seen);
		table_print(&l.table, c->out, c->width);
	}
	for (size_t i = 0; i < RUN_LAST_UPDATES; i++)
		strbuf_free(&l.json[i]);
	table_free(&l.table);
	strbuf_free(&task);
	return st;
}

int run_plan(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *items;
	int64_t total = 0, done = 0, from_steps = -1, from_updates = -1;
	const msgpack_object *disagree;
	struct table t;
	int st = call(c, cmd->method, a, &res);

	if (st != RPC_STATUS_OK)
		return st;
	if (c->json)
		return print_json(c, res);
	if (!(items = items_of(res)))
		return malformed(c, T("no items"));
	if (render_table_init(&t, list_cols(c, cmd->view)) < 0) {
		table_free(&t);
		return local_failure(c, T("out of memory"));
	}
	st = table_rows(c, &t, list_cols(c, cmd->view), items);
	if (st == RPC_STATUS_OK) {
		obj_int(obj_get(res, "total"), &total);
		obj_int(obj_get(res, "done"), &done);
		obj_int(obj_get(res, "percent_from_steps"), &from_steps);
		obj_int(obj_get(res, "percent_from_updates"), &from_updates);
		disagree = obj_get(res, "disagree");
		if (t.rows)
			table_print(&t, c->out, c->width);
		if (!total)
			fputs(T("The plan has no steps yet"), c->out);
		else if (from_steps >= 0)
			fprintf(c->out, T("%" PRId64 "/%" PRId64 " steps finished (%" PRId64 "%%)"), done, total,
				from_steps);
		else
			fprintf(c->out, T("%" PRId64 "/%" PRId64 " steps finished"), done, total);
		if (from_updates >= 0)
			fprintf(c->out, T("; progress reported: %" PRId64 "%%"), from_updates);
		if (disagree && disagree->type == MSGPACK_OBJECT_BOOLEAN && disagree->via.boolean)
			fputs(T(" — they differ"), c->out);
		fputc('\n', c->out);
	}
	table_free(&t);
	return st;
}

/* Copies the string field key of o into buf, control characters blanked
 * (the text comes from other users). */
static const char *text_of(const msgpack_object *o, const char *key, char *buf, size_t n)
{
	obj_cstr(obj_get(o, key), buf, n);
	table_clean(buf, strlen(buf), false);
	return buf;
}

static int usage_failure(struct cli *c, const char *what)
{
	errors_set(&c->error, RPC_INVALID_ARGUMENT, "%s", what);
	c->exit_code = CLI_EXIT_USAGE;
	return RPC_STATUS_LOCAL;
}

static void pack_token(msgpack_packer *pk, const void *ctx)
{
	pack_kv_str(pk, "token", ctx);
}

/* After a sign-in over TLS verified by fingerprint (not by a CA): pins
 * the certificate seen for this server, and after first contact says
 * where. */
static int save_pin(struct cli *c, char *msg, size_t msglen)
{
	const struct rpc *r = c->rpc;

	if (!r->use_tls || r->tls.ca_file || !r->fingerprint[0])
		return 0;
	if (config_save_pin(c->conf->path, r->where, r->fingerprint, msg, msglen) < 0)
		return -1;
	if (r->confirmed[0])
		fprintf(c->err, T("dotpha: this fingerprint is pinned for %s in %s; from now on a "
			"server showing another certificate is refused\n"), r->where, c->conf->shown);
	return 0;
}

/* True for a yes to a [y/N] question: y, yes, c, co or có (Vietnamese
 * "có"), in any case, blanks around allowed. */
static bool said_yes(const char *s)
{
	static const char *const yes[] = {"y", "yes", "c", "co", "có", "Có", "CÓ"};
	char w[16];
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strcspn(s, " \t");
	if (n == 0 || n >= sizeof(w))
		return false;
	for (size_t i = 0; i < n; i++)
		w[i] = (char)((unsigned char)s[i] < 0x80 ? tolower((unsigned char)s[i]) : s[i]);
	w[n] = '\0';
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (strcmp(w, yes[i]) == 0)
			return true;
	return false;
}

/* Login stops on first contact when the fingerprint was not confirmed:
 * nothing secret has been sent.  Exit code 2, as for a command line that
 * lacks --fingerprint. */
static int not_confirmed(struct cli *c)
{
	errors_set(&c->error, RPC_INVALID_ARGUMENT, T("the server's fingerprint was not confirmed: "
		   "not signed in, the token was not sent"));
	c->exit_code = CLI_EXIT_USAGE;
	return RPC_STATUS_LOCAL;
}

/* First contact over TLS: nothing vouches for the server's certificate
 * (no CA, no pin saved, no --fingerprint).  Connects (the handshake and
 * server.info, nothing secret), shows the certificate's fingerprint, and
 * asks on the terminal whether it is the one the central office gave;
 * without a terminal to ask on, refuses.  Returns RPC_STATUS_OK with the
 * certificate pinned for the rest of the run (rpc_confirm_pin(), so the
 * token goes out only to it), or a failure.  Not first contact: OK at
 * once. */
static int first_contact(struct cli *c)
{
	struct rpc *r = c->rpc;
	const msgpack_object *res;
	char answer[64];
	long n;
	int st;

	if (!r->use_tls || r->tls.ca_file || r->tls.pin)
		return RPC_STATUS_OK;
	if ((st = rpc_call(r, "server.info", NULL, &res, &c->error)) != RPC_STATUS_OK)
		return st;
	fprintf(c->err, T("dotpha: first contact with %s over TLS; the server's certificate has "
		"the SHA-256 fingerprint\n  %s\n"), r->where, r->fingerprint);
	n = sys_ask(c->in, c->err, T("Is this the fingerprint the central office (the server's "
		    "administrator) gave you? Trust the server and sign in? [y/N] "),
		    answer, sizeof(answer));
	if (n == SYS_NOT_A_TERMINAL) {
		fprintf(c->err, T("dotpha: there is no terminal to ask whether this fingerprint is right: "
			"run again with --fingerprint FINGERPRINT, the one the central office gives "
			"(or --ca FILE), or run on a terminal to confirm it\n"));
		return not_confirmed(c);
	}
	if (n < 0 || !said_yes(answer)) {
		fprintf(c->err, T("dotpha: if the fingerprint does not match the one the central office "
			"gave, someone may be impersonating the server: tell them\n"));
		return not_confirmed(c);
	}
	return rpc_confirm_pin(r) < 0 ? malformed(c, T("no certificate seen")) : RPC_STATUS_OK;
}

/* Checks token with the server, saves it, and says so. */
static int login_with(struct cli *c, const char *token)
{
	struct rpc_params p = {1, pack_token, token};
	const struct config *conf = c->conf;
	const msgpack_object *res, *acct;
	char name[520], login[80], role[40], msg[1300];
	const char *shown;
	bool had;
	int st;

	if (!conf->path[0])
		return local_failure(c, T("cannot save the token: neither XDG_CONFIG_HOME nor HOME is set"));
	if ((st = first_contact(c)) != RPC_STATUS_OK)
		return st;
	st = rpc_call(c->rpc, "session.auth", &p, &res, &c->error);
	if (st == RPC_STATUS_REMOTE && (c->error.code == RPC_UNAUTHENTICATED ||
					c->error.code == RPC_INVALID_ARGUMENT)) {
		c->hint = T("the token was not accepted: check it, or ask the administrator for a new one");
		c->exit_code = CLI_EXIT_DENIED;
	}
	if (st != RPC_STATUS_OK)
		return st;
	acct = obj_get(res, "account");
	if (!acct || acct->type != MSGPACK_OBJECT_MAP)
		return malformed(c, T("session.auth: no account"));
	/* Only a token the server accepted is written. */
	if (config_save(conf->path, conf->server, token, &had, msg, sizeof(msg)) < 0)
		return local_failure(c, msg);
	if (save_pin(c, msg, sizeof(msg)) < 0)
		return local_failure(c, msg);
	if (c->json) {
		st = print_json(c, res);
	} else {
		/* The role first: an argument's evaluation order is not the
		 * call's, and its label needs its length. */
		text_of(acct, "role", role, sizeof(role));
		shown = render_label(RENDER_ROLE, role, strlen(role));
		fprintf(c->out, T("Signed in: %s (%s, %s) at %s; saved in %s\n"),
			text_of(acct, "display_name", name, sizeof(name)),
			text_of(acct, "login", login, sizeof(login)), shown ? shown : role,
			conf->server, conf->shown);
	}
	if (conf->token_source == CONFIG_ENV)
		fprintf(c->err, T("dotpha: note: DOTPHA_TOKEN is set, and is used instead of the saved"
			" token until you unset it\n"));
	return st;
}

int run_login(struct cli *c, const struct command *cmd, const struct args *a)
{
	char token[256], msg[1300];
	const char *given = args_value(a, "token");
	long n;
	int st;

	(void)cmd;
	if (given) {
		if (strlen(given) >= sizeof(token))
			return usage_failure(c, T("--token: that is not a dotpha token (dp1_ followed by 64"
					     " hex digits)"));
		memcpy(token, given, strlen(given) + 1);
	} else if (c->trust_given && config_token_is_for_server(c->conf)) {
		/* Re-pinning after a certificate change: the token did not
		 * change, and it was shown only once. */
		if (config_token(c->conf, c->err, msg, sizeof(msg)) < 0)
			return usage_failure(c, msg);
		snprintf(token, sizeof(token), "%s", c->conf->token);
		fprintf(c->err, T("dotpha: using the token saved in %s for %s\n"), c->conf->shown,
			c->rpc->where);
	} else {
		n = sys_read_secret(c->in, c->err, "Token: ", token, sizeof(token));
		if (n == -2)
			return usage_failure(c, T("that is not a dotpha token (dp1_ followed by 64 hex digits)"));
		if (n < 0 || n == 0)
			return usage_failure(c, T("no token given: type it, pipe it to stdin, or pass --token"));
	}
	/* Blanks around a pasted token are not part of it. */
	{
		char *s = token, *e = token + strlen(token);

		while (*s == ' ' || *s == '\t')
			s++;
		while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
			*--e = '\0';
		memmove(token, s, (size_t)(e - s) + 1);
	}
	if (!config_token_valid(token)) {
		sys_wipe(token, sizeof(token));
		return usage_failure(c, T("that is not a dotpha token (dp1_ followed by 64 hex digits)"));
	}
	st = login_with(c, token);
	sys_wipe(token, sizeof(token));
	return st;
}

int run_logout(struct cli *c, const struct command *cmd, const struct args *a)
{
	const struct config *conf = c->conf;
	struct strbuf sb = STRBUF_INIT;
	char msg[1300];
	bool had = false;
	int st = RPC_STATUS_OK;

	(void)cmd;
	(void)a;
	if (!conf->path[0])
		return local_failure(c, T("there is no config file: neither XDG_CONFIG_HOME nor HOME is set"));
	/* A file without a token is left alone (not even created). */
	if (conf->file_token && config_save(conf->path, NULL, NULL, &had, msg, sizeof(msg)) < 0)
		return local_failure(c, msg);
	if (c->json) {
		strbuf_adds(&sb, "{\"path\":");
		json_write_string(&sb, conf->path, strlen(conf->path));
		strbuf_addf(&sb, ",\"removed\":%s}\n", had ? "true" : "false");
		if (sb.failed)
			st = local_failure(c, T("out of memory writing JSON"));
		else
			fwrite(sb.buf, 1, sb.len, c->out);
		strbuf_free(&sb);
	} else if (had) {
		fprintf(c->out, T("Signed out: the token was removed from %s.\n"
			"The token still works on the server until it is revoked"
			" (`dotpha token revoke ID`).\n"), conf->shown);
	} else {
		fprintf(c->out, T("No token is saved in %s.\n"), conf->shown);
	}
	if (conf->token_source == CONFIG_ENV)
		fprintf(c->err, T("dotpha: note: DOTPHA_TOKEN is still set\n"));
	return st;
}

int run_token_secret(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *tok;
	struct strbuf sb = STRBUF_INIT;
	int st = call(c, cmd->method, a, &res);

	if (st != RPC_STATUS_OK)
		return st;
	if (c->json)
		return print_json(c, res);
	render_record(c->out, cmd->view, res, c->width);
	tok = obj_get(res, "token");
	if (!tok || tok->type != MSGPACK_OBJECT_STR || tok->via.str.size == 0)
		return malformed(c, T("no token in the answer"));
	strbuf_add(&sb, tok->via.str.ptr, tok->via.str.size);
	if (sb.failed) {
		strbuf_free(&sb);
		return local_failure(c, T("out of memory"));
	}
	table_clean(sb.buf, sb.len, false);
	fprintf(c->out, T("\nToken (shown this once only): %s\n"), strbuf_cstr(&sb));
	sys_wipe(sb.buf, sb.len);
	strbuf_free(&sb);
	return RPC_STATUS_OK;
}

int run_audit_verify(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *ok;
	int64_t broken = 0;
	char problem[400];
	int st = call(c, cmd->method, a, &res);

	if (st != RPC_STATUS_OK)
		return st;
	ok = obj_get(res, "ok");
	if (!ok || ok->type != MSGPACK_OBJECT_BOOLEAN)
		return malformed(c, T("audit.verify: no ok"));
	if (c->json)
		st = print_json(c, res);
	else
		render_record(c->out, cmd->view, res, c->width);
	if (st != RPC_STATUS_OK || ok->via.boolean)
		return st;
	obj_int(obj_get(res, "first_broken"), &broken);
	text_of(res, "problem", problem, sizeof(problem));
	if (broken && problem[0])
		errors_set(&c->error, RPC_INTERNAL, T("the audit trail is broken from entry #%lld: %s"),
			   (long long)broken, problem);
	else if (broken)
		errors_set(&c->error, RPC_INTERNAL, T("the audit trail is broken from entry #%lld"),
			   (long long)broken);
	else if (problem[0]) /* an anchored hash no entry has */
		errors_set(&c->error, RPC_INTERNAL, T("the audit trail is broken: %s"), problem);
	else
		errors_set(&c->error, RPC_INTERNAL, T("the audit trail is broken"));
	return RPC_STATUS_LOCAL;
}

/* ---- the supervisor's records (PROTOCOL.md 6e) ---- */

int run_records(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *items;
	struct page_totals tot = {0, -1, -1, false};
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res)
		return st;
	if (!(items = items_of(res)))
		return malformed(c, T("no items"));
	for (uint32_t i = 0; i < items->via.array.size; i++) {
		render_record(c->out, cmd->view, &items->via.array.ptr[i], c->width);
		fputc('\n', c->out);
	}
	tot.got = items->via.array.size;
	obj_int(obj_get(res, "total"), &tot.total);
	summary(c, cmd->view, &tot, false);
	return RPC_STATUS_OK;
}

int run_followups(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *counts;
	int64_t n[5] = {0, 0, 0, 0, 0};
	static const char *const keys[5] = {"scheduled", "held", "relapsed", "open", "due"};
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res)
		return st;
	if ((st = show_list(c, cmd->view, list_cols(c, cmd->view), res)) != RPC_STATUS_OK)
		return st;
	if (!(counts = obj_get(res, "counts")) || counts->type != MSGPACK_OBJECT_MAP)
		return malformed(c, T("no counts"));
	for (int i = 0; i < 5; i++)
		obj_int(obj_get(counts, keys[i]), &n[i]);
	fprintf(c->out,
		T("Scheduled %" PRId64 ": holding %" PRId64 ", relapsed %" PRId64 ", no result yet %"
		PRId64 " (due %" PRId64 ")\n"),
		n[0], n[1], n[2], n[3], n[4]);
	return RPC_STATUS_OK;
}

/* One part of the inbox (inbox.get, PROTOCOL.md 6e): its field, how it
 * is shown, its heading, and the command that acts on its items. */
struct inbox_part {
	const char *key;
	const struct render_view *view;
	const char *title;
	const char *act;
};

static const struct inbox_part inbox_parts[] = {
	{"reminders", &views_reminder, N_("Reminders not answered:"),
	 "dotpha answer ID --text ..."},
	{"explanations", &views_explanation, N_("Explanation requests not answered:"),
	 "dotpha explanation answer ID --text ..."},
	{"actions", &views_action, N_("Required actions of inspections due within 7 days or overdue:"),
	 "dotpha inspection done ID"},
	{"appraisals", &views_appraisal, N_("Progress updates to appraise:"),
	 "dotpha update accept ID | dotpha update return ID --reason ..."},
	{"sent_overdue", &views_reminder, N_("Reminders you sent, overdue and not answered:"),
	 "dotpha remind TASK ..."},
};

/* The inbox: one call (inbox.get), each part that has items under its
 * heading with the command that acts on it; a line when nothing waits. */
int run_inbox(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *items;
	bool any = false;
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res || c->json)
		return st;
	for (size_t i = 0; st == RPC_STATUS_OK && i < sizeof(inbox_parts) / sizeof(inbox_parts[0]);
	     i++) {
		const struct inbox_part *p = &inbox_parts[i];
		const msgpack_object *part = obj_get(res, p->key);

		if (!part || part->type != MSGPACK_OBJECT_MAP)
			return malformed(c, p->key);
		items = items_of(part);
		if (!items || items->via.array.size == 0)
			continue;
		fprintf(c->out, "%s%s (%s)\n", any ? "\n" : "", T(p->title), p->act);
		any = true;
		st = show_list(c, p->view, p->view->columns, part);
	}
	if (st == RPC_STATUS_OK && !any)
		fprintf(c->out, "%s\n", T("Nothing waits for you."));
	return st;
}

/* ---- the board and a cadre's record (PROTOCOL.md 6f) ---- */

int run_rows(struct cli *c, const msgpack_object *res, const char *key,
	     const struct render_col *cols, size_t *n)
{
	const msgpack_object *arr = obj_get(res, key);
	struct table t;
	int st;

	if (!arr || arr->type != MSGPACK_OBJECT_ARRAY)
		return malformed(c, key);
	*n = arr->via.array.size;
	if (render_table_init(&t, cols) < 0) {
		table_free(&t);
		return local_failure(c, T("out of memory"));
	}
	st = table_rows(c, &t, cols, arr);
	if (st == RPC_STATUS_OK && t.rows)
		table_print(&t, c->out, c->width);
	table_free(&t);
	return st;
}

int run_board(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res, *counts, *unit, *mine;
	struct strbuf sb = STRBUF_INIT;
	int64_t waiting = 0;
	size_t n;
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res)
		return st;
	if (!(counts = obj_get(res, "counts")) || counts->type != MSGPACK_OBJECT_MAP)
		return malformed(c, T("no counts"));
	render_value(&sb, obj_get(res, "as_of"), RENDER_DATE);
	fprintf(c->out, T("Progress as of %s"), strbuf_cstr(&sb));
	unit = obj_get(res, "unit");
	if (unit && unit->type == MSGPACK_OBJECT_MAP) {
		strbuf_reset(&sb);
		render_value(&sb, obj_get(unit, "name"), RENDER_TEXT);
		fprintf(c->out, " — %s", strbuf_cstr(&sb));
	}
	mine = obj_get(res, "mine");
	if (mine && mine->type == MSGPACK_OBJECT_BOOLEAN && mine->via.boolean)
		fputs(T(" — the tasks you are the focal point of"), c->out);
	fputs("\n\n", c->out);
	strbuf_free(&sb);
	render_record(c->out, &views_board_counts, counts, c->width);
	fputs(T("\nBy unit:\n"), c->out);
	if ((st = run_rows(c, res, "units", views_board_units.columns, &n)) != RPC_STATUS_OK)
		return st;
	if (!n)
		fputs(T("(no tasks)\n"), c->out);
	obj_int(obj_get(res, "needs_action_total"), &waiting);
	fputs(T("\nNeeding action first:\n"), c->out);
	if ((st = run_rows(c, res, "needs_action", views_board_action.columns, &n)) !=
	    RPC_STATUS_OK)
		return st;
	if ((int64_t)n < waiting)
		fprintf(c->out, T("%zu of %" PRId64 " tasks needing action (--limit N shows more)\n"), n,
			waiting);
	else
		fprintf(c->out, T("%" PRId64 " tasks needing action\n"), waiting);
	return RPC_STATUS_OK;
}

void run_ratings(struct cli *c, const msgpack_object *r)
{
	static const char *const ratings[] = {"excellent", "good", "done", "not_done", "unrated"};

	if (!r || r->type != MSGPACK_OBJECT_MAP)
		return;
	for (size_t i = 0; i < sizeof(ratings) / sizeof(ratings[0]); i++) {
		const char *label = render_label(RENDER_RATING, ratings[i], strlen(ratings[i]));
		int64_t k = 0;

		obj_int(obj_get(r, ratings[i]), &k);
		fprintf(c->out, "%s%" PRId64 " %s", i ? ", " : ": ", k, label ? label : T("not rated"));
	}
}

int run_record(struct cli *c, const struct command *cmd, const struct args *a)
{
	const msgpack_object *res;
	size_t n;
	int st = run_fetch(c, cmd, a, &res);

	if (st != RPC_STATUS_OK || !res)
		return st;
	render_record(c->out, cmd->view, res, c->width);
	fputc('\n', c->out);
	if ((st = run_rows(c, res, "items", list_cols(c, cmd->view), &n)) != RPC_STATUS_OK)
		return st;
	fprintf(c->out, T("%zu tasks"), n);
	run_ratings(c, obj_get(res, "ratings"));
	fputc('\n', c->out);
	return RPC_STATUS_OK;
}

int run_show(struct cli *c, const struct render_view *v, const msgpack_object *res)
{
	if (c->json)
		return print_json(c, res);
	render_record(c->out, v, res, c->width);
	return RPC_STATUS_OK;
}
