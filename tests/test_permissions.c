/*
 * test_permissions.c: PROTOCOL.md section 4c against the running daemon.
 *
 * The matrix in PROTOCOL.md section 4c is parsed, checked to name every method
 * of the catalogue once (and to agree with the roles of the method table, methods.def),
 * then enumerated: every method is called by an account of every role,
 * once on an object of the caller's scope and once on an object of another
 * branch of the tree, and the reply must be what the cell says.  Each
 * method's params come from its sample (samples.h), made ready for either
 * side; a catalogue method without one fails the test.  Then a few rules in
 * detail: an office cannot reach or move into another district, a
 * supervisor's lists hold nothing of it, and an object out of scope reads
 * exactly like one that does not exist.
 *
 * The tree every daemon test starts with, made by the first admin over
 * raw MessagePack-RPC:
 *
 *   P (province)
 *   ├── A (district): A1 (commune); cadre CA, task TA
 *   └── B (district): B1 (commune); cadre CB, task TB
 *
 * and the accounts: a supervisor, an office and a viewer scoped to A, and
 * an admin (an admin always acts over the whole tree).
 */
#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "errors.h"
#include "helpers.h"
#include "methods.h"
#include "samples.h"

/* This file builds a tree of its own, on a running daemon. */
#define WORLD_OWN_PROVINCE
#include "world.h"

/* One timeout for every suite (see test_integration.c: Criterion leaks a
 * timer entry when tests with different timeouts run in parallel). */
#define SUITE_TIMEOUT 180

#define MATRIX_PATH "protocol/PROTOCOL.md"
#define MATRIX_HEADER "| method | admin | supervisor | office | viewer | notes |"

/* ---- the matrix, parsed from PROTOCOL.md section 4c ---- */

enum cell { CELL_NO, CELL_YES, CELL_SCOPE };

enum { COL_ADMIN, COL_SUPERVISOR, COL_OFFICE, COL_VIEWER, NCOLS };

static const char *const col_names[NCOLS] = {"admin", "supervisor", "office", "viewer"};

struct row {
	char method[64];
	enum cell cell[NCOLS];
};

#define MAX_ROWS 128

/* Copies the next cell of a table line (between '|'s, trimmed, backticks
 * dropped) into out; returns the rest of the line after that cell's '|', or
 * NULL when there is no further '|'. */
static const char *next_cell(const char *p, char *out, size_t n)
{
	const char *end = strchr(p, '|');
	size_t k = 0;

	if (!end)
		return NULL;
	for (; p < end; p++)
		if (*p != '`' && k + 1 < n)
			out[k++] = *p;
	while (k > 0 && out[k - 1] == ' ')
		k--;
	out[k] = '\0';
	memmove(out, out + strspn(out, " "), strlen(out + strspn(out, " ")) + 1);
	return end + 1;
}

/* Reads the matrix's rows into rows[]; returns how many.  Asserts on a
 * missing table or a malformed row. */
static int parse_matrix(struct row *rows)
{
	char *doc = helpers_read_file(MATRIX_PATH), *line, *save = NULL;
	int n = 0;
	bool in_table = false;

	cr_assert_not_null(doc, "cannot read %s (run the tests from the repository root)",
			   MATRIX_PATH);
	for (line = strtok_r(doc, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char cell[128];
		const char *p;

		if (!in_table) {
			in_table = strcmp(line, MATRIX_HEADER) == 0;
			continue;
		}
		if (line[0] != '|')
			break;
		if (strncmp(line, "| ---", 5) == 0)
			continue;
		cr_assert_lt(n, MAX_ROWS, "more than %d rows in the matrix", MAX_ROWS);
		p = next_cell(line + 1, rows[n].method, sizeof(rows[n].method));
		cr_assert_not_null(p, "matrix row without cells: %s", line);
		for (int c = 0; c < NCOLS; c++) {
			p = next_cell(p, cell, sizeof(cell));
			cr_assert_not_null(p, "matrix row %s lacks the %s column", rows[n].method,
					   col_names[c]);
			if (strcmp(cell, "yes") == 0)
				rows[n].cell[c] = CELL_YES;
			else if (strcmp(cell, "scope") == 0)
				rows[n].cell[c] = CELL_SCOPE;
			else if (strcmp(cell, "no") == 0)
				rows[n].cell[c] = CELL_NO;
			else
				cr_assert_fail("matrix row %s, column %s: '%s' is not yes, scope or no",
					       rows[n].method, col_names[c], cell);
		}
		n++;
	}
	free(doc);
	cr_assert(in_table, "%s lacks the table headed %s", MATRIX_PATH, MATRIX_HEADER);
	return n;
}

/* ---- the world: the daemon, its tree, the accounts ---- */

struct actor {
	const char *label;  /* for failure messages */
	const char *role;   /* the role name */
	int col;            /* the matrix column of its role */
	bool scoped;        /* scope A (else the whole tree) */
	char login[32];
	char token[128];    /* its secret, from token.create */
	struct peer c;      /* signed in with token */
};

enum { ADMIN_ALL, SUPERVISOR_A, OFFICE_A, VIEWER_A, NACTORS };

static struct daemon d;
static struct peer root;             /* the first admin (whole tree) */
static struct actor actors[NACTORS] = {
	[ADMIN_ALL] = {.label = "admin of the whole tree", .role = "admin", .col = COL_ADMIN},
	[SUPERVISOR_A] = {.label = "supervisor of A", .role = "supervisor",
			  .col = COL_SUPERVISOR, .scoped = true},
	[OFFICE_A] = {.label = "office of A", .role = "office", .col = COL_OFFICE, .scoped = true},
	[VIEWER_A] = {.label = "viewer of A", .role = "viewer", .col = COL_VIEWER, .scoped = true},
};
static int64_t task_a, task_b;       /* the ids of TA and TB */

/* Connects p to the daemon and signs it in with token. */
static void sign_in(struct peer *p, const char *token)
{
	cr_assert_eq(peer_open(p, d.port, &(struct peer_how){.tls = helpers_tls()}), 0,
		     "cannot connect to the daemon");
	cr_assert_eq(peer_auth(p, token), 0, "session.auth failed");
}

/* A cadre of unit managed by `manager`, registered by the first admin. */
static void make_cadre(const char *code, const char *unit, const char *manager)
{
	REMOTE_OK(&root, "cadre.create", "s:code", code, "s:full_name", "Nguyễn Văn A", "s:title",
		  "Bí thư", "s:unit", unit, "s:managing_unit", manager, "s:since", "2020-01-01",
		  NULL);
}

/* A task of the cadre owner in 2021-2025, registered by the first admin. */
static int64_t make_task(const char *owner)
{
	return REMOTE_OK(&root, "task.create", "s:title", "Nhiệm vụ", "s:kind", "breakthrough",
			 "s:field", "livelihood", "s:owner", owner, "s:term", "2021-2025",
			 "s:product", "Sản phẩm", "s:due_date", "2025-12-31", NULL);
}

static void world_start(void)
{
	static const char *const units[][3] = {
		{"P", NULL, "tỉnh"}, {"A", "P", "huyện"}, {"A1", "A", "xã"},
		{"B", "P", "huyện"}, {"B1", "B", "xã"},
	};

	root.fd = -1;
	for (int i = 0; i < NACTORS; i++)
		actors[i].c.fd = -1;
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
	sign_in(&root, d.token);

	REMOTE_OK(&root, "term.create", "s:code", "2021-2025", "s:kind", "term", "s:start",
		  "2021-01-01", "s:end", "2025-12-31", NULL);
	REMOTE_OK(&root, "term.create", "s:code", "2026-2030", "s:kind", "term", "s:start",
		  "2026-01-01", "s:end", "2030-12-31", NULL);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		REMOTE_OK(&root, "unit.create", "s:code", units[i][0], "s:name", units[i][0],
			  "s:level", units[i][2], units[i][1] ? "s:parent" : NULL, units[i][1],
			  NULL);
	make_cadre("CA", "A", "P");
	make_cadre("CB", "B", "P");
	/* Cadres the districts manage: a district assigns only their tasks
	 * (a task's assigning body is its cadre's managing unit or above). */
	make_cadre("DA", "A", "A");
	make_cadre("DB", "B", "B");
	task_a = make_task("CA");
	task_b = make_task("CB");
	/* An account for the account.* and token.* samples to work on. */
	REMOTE_OK(&root, "account.create", "s:login", "fx", "s:display_name", "Fixture", "s:role",
		  "viewer", "s:scope", "A", NULL);

	for (int i = 0; i < NACTORS; i++) {
		struct actor *a = &actors[i];
		struct peer_result r;

		snprintf(a->login, sizeof(a->login), "%s_%s", a->role, a->scoped ? "a" : "all");
		REMOTE_OK(&root, "account.create", "s:login", a->login, "s:display_name", a->label,
			  "s:role", a->role, a->scoped ? "s:scope" : NULL, "A", NULL);
		cr_assert_eq(REMOTE(&root, &r, "token.create", "s:account", a->login, "s:name",
				    "máy văn phòng", NULL),
			     RPC_OK, "setup: token.create failed: %s", r.message);
		snprintf(a->token, sizeof(a->token), "%s", S(r.value, "token"));
		peer_result_free(&r);
		sign_in(&a->c, a->token);
	}
}

/* The last result of the walk's stager, alive until its next call. */
static struct peer_result staged;
static bool staged_kept;

static void world_stop(void)
{
	if (staged_kept)
		peer_result_free(&staged);
	staged_kept = false;
	for (int i = 0; i < NACTORS; i++)
		peer_close(&actors[i].c);
	peer_close(&root);
	daemon_cleanup(&d);
}

/* ---- the samples' side of the tree, and who makes their objects ---- */

/* One call of the matrix walk: its caller, and the side it calls on (0:
 * district A, the scoped accounts' scope; 1: district B, out of it). */
struct cell_call {
	struct actor *who;
	int side;
};

/* The names samples.c resolves placeholders to, for side. */
static struct samples_side side_of(int side, const struct actor *who)
{
	return (struct samples_side){
		.province = "P", .district = side ? "B" : "A", .commune = side ? "B1" : "A1",
		.cadre = side ? "CB" : "CA", .own_cadre = side ? "DB" : "DA", .term = "2021-2025",
		.later_term = "2026-2030", .account = "fx",
		.focal = side ? "admin_all" : "supervisor_a", .secret = who->token,
		.task = side ? task_b : task_a,
	};
}

/* Whether a's role may call method, on side. */
static bool may(const struct actor *a, const char *method, int side)
{
	const struct method_info *m = methods_find(method, strlen(method));

	return m && (m->roles & role_of(a->role)) && (side == 0 || !a->scoped);
}

/* The connection that makes an object as `by` says (samples.h): the
 * caller, an account scoped to A, or the first admin. */
static struct peer *maker(enum samples_by by, const char *method, const struct cell_call *cc)
{
	if (by == SAMPLES_BY_CALLER && may(cc->who, method, cc->side))
		return &cc->who->c;
	for (int k = 0; by == SAMPLES_BY_SCOPE && cc->side == 0 && k < NACTORS; k++)
		if (actors[k].scoped && may(&actors[k], method, 0))
			return &actors[k].c;
	return &root;
}

static const msgpack_object *stage(struct samples_walk *w, enum samples_by by,
				   const char *method, const char *const *f)
{
	if (staged_kept)
		peer_result_free(&staged);
	staged_kept = true;
	if (world_remote(maker(by, method, w->ctx), method, f, &staged) != RPC_OK) {
		snprintf(w->why, sizeof(w->why), "%s", staged.message);
		return NULL;
	}
	return staged.value;
}

/* ---- the matrix, statically ---- */

TestSuite(matrix, .timeout = SUITE_TIMEOUT);

Test(matrix, names_every_catalogue_method_once_and_nothing_else)
{
	static struct row rows[MAX_ROWS];
	int n = parse_matrix(rows);

	for (const struct method_info *m = methods_catalogue; m->name; m++) {
		int seen = 0;

		for (int i = 0; i < n; i++)
			seen += strcmp(rows[i].method, m->name) == 0;
		cr_expect_eq(seen, 1, "%s names %s %d times (once expected)", MATRIX_PATH, m->name,
			     seen);
	}
	for (int i = 0; i < n; i++)
		cr_expect_not_null(methods_find(rows[i].method, strlen(rows[i].method)),
				   "%s names %s, which is not in the catalogue", MATRIX_PATH,
				   rows[i].method);
}

Test(matrix, agrees_with_the_role_table_of_the_dispatcher)
{
	static struct row rows[MAX_ROWS];
	int n = parse_matrix(rows);

	for (int i = 0; i < n; i++) {
		const struct method_info *m = methods_find(rows[i].method, strlen(rows[i].method));
		int roles = m ? m->roles : 0;

		for (int c = 0; c < NCOLS; c++) {
			bool allowed = roles & role_of(col_names[c]);

			cr_expect_eq(allowed, rows[i].cell[c] != CELL_NO,
				     "%s: the matrix says %s for %s, the dispatcher %s", rows[i].method,
				     rows[i].cell[c] == CELL_NO ? "no" : "yes/scope", col_names[c],
				     allowed ? "allows it" : "refuses it");
		}
	}
}

Test(matrix, has_a_sample_for_every_catalogue_method)
{
	for (const struct method_info *m = methods_catalogue; m->name; m++)
		cr_expect_not_null(samples_find(m->name),
				   "no sample params for %s: add its row to samples[] in tests/samples.c",
				   m->name);
	cr_expect_null(samples_check(), "the sample of %s names no catalogue method, or is twice",
		       samples_check());
}

/* ---- the matrix, against the daemon ---- */

TestSuite(permissions, .init = world_start, .fini = world_stop, .timeout = SUITE_TIMEOUT);

/* The methods another engineer is writing now: while they answer
 * "not written yet", only their `no` cells (refused by the dispatcher
 * before the handler runs) can be checked. */
static bool not_written_yet(const struct peer_result *r)
{
	return r->code == RPC_INTERNAL && strstr(r->message, "not written yet") != NULL;
}

static const char *cell_name(enum cell c)
{
	return c == CELL_YES ? "yes" : c == CELL_SCOPE ? "scope" : "no";
}

Test(permissions, every_cell_of_the_matrix_holds)
{
	static struct row rows[MAX_ROWS];
	int n = parse_matrix(rows), checked = 0, pending = 0;

	for (int i = 0; i < n; i++) {
		const struct sample *s = samples_of(rows[i].method);

		for (int k = 0; k < NACTORS; k++) {
			struct actor *a = &actors[k];
			enum cell cell = rows[i].cell[a->col];

			for (int side = 0; side < 2; side++) {
				struct cell_call cc = {.who = a, .side = side};
				struct samples_walk walk = {.side = side_of(side, a), .stage = stage,
							    .ctx = &cc};
				struct sample_call call;
				struct peer_result r;
				int want;

				samples_prepare(s, &walk, &call);
				world_remote(&a->c, rows[i].method, call.f, &r);
				if (cell == CELL_NO)
					want = RPC_FORBIDDEN;
				else if (cell == CELL_YES || side == 0 || !a->scoped)
					want = RPC_OK;
				else
					want = RPC_NOT_FOUND;
				if (want != RPC_FORBIDDEN && not_written_yet(&r)) {
					pending++; /* audit.*, task.history: being written */
				} else {
					cr_expect_eq(r.code, want,
						     "%s by the %s on %s (cell %s): got %s (%s), want %s",
						     rows[i].method, a->label,
						     side ? "district B" : "district A",
						     cell_name(cell), errors_name(r.code), r.message,
						     errors_name(want));
					checked++;
				}
				peer_result_free(&r);
			}
		}
	}
	cr_log_info("%d calls checked against the matrix, %d left for methods not written yet",
		    checked, pending);
	cr_expect_gt(checked, n * NACTORS, "too few calls were checked");
}

/* Calls method as actor k with the params of f; returns the error code,
 * its message into message[512] unless NULL. */
static int try_as(int k, const char *method, const char *const *f, char *message)
{
	struct peer_result r;
	int code = world_remote(&actors[k].c, method, f, &r);

	if (message)
		snprintf(message, 512, "%s", r.message);
	peer_result_free(&r);
	return code;
}

#define TRY_AS(k, message, method, ...) try_as((k), (method), FIELDS(__VA_ARGS__), (message))

/* The unit_code of what method (task.get, cadre.get) with the params of f
 * shows the first admin (S()'s rotating buffers). */
static const char *unit_code(const char *method, const char *const *f)
{
	struct peer_result r;
	const char *code;

	cr_assert_eq(world_remote(&root, method, f, &r), RPC_OK, "%s", r.message);
	code = S(r.value, "unit_code");
	peer_result_free(&r);
	return code;
}

#define TASK_UNIT(id) unit_code("task.get", FIELDS("i:task", num(id), NULL))
#define CADRE_UNIT(code) unit_code("cadre.get", FIELDS("s:cadre", (code), NULL))

Test(permissions, an_office_cannot_reach_or_move_anything_into_another_district)
{
	char msg[512];

	/* B's task cannot be edited at all. */
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "task.update", "i:task", num(task_b), "s:title",
			    "Sửa trộm", NULL),
		     RPC_NOT_FOUND, "%s", msg);

	/* A's own task cannot be moved to B, nor given B's cadre. */
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "task.update", "i:task", num(task_a), "s:unit", "B",
			    NULL),
		     RPC_NOT_FOUND, "%s", msg);
	cr_expect_str_eq(msg, "unit: no unit with code 'B'");
	cr_expect_eq(TRY_AS(OFFICE_A, NULL, "task.update", "i:task", num(task_a), "s:owner", "CB",
			    NULL),
		     RPC_NOT_FOUND);
	cr_expect_str_eq(TASK_UNIT(task_a), "A", "the refused update moved the task anyway");

	/* Within A, it can. */
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "task.update", "i:task", num(task_a), "s:unit", "A1",
			    NULL),
		     RPC_OK, "%s", msg);
	cr_expect_str_eq(TASK_UNIT(task_a), "A1");

	/* A's cadre cannot be transferred to B. */
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "cadre.transfer", "s:cadre", "CA", "s:unit", "B",
			    "s:date", "2024-01-01", NULL),
		     RPC_NOT_FOUND, "%s", msg);
	cr_expect_str_eq(CADRE_UNIT("CA"), "A", "the refused transfer moved the cadre anyway");

	/* New tasks and cadres only in A. */
	cr_expect_eq(TRY_AS(OFFICE_A, NULL, "task.create", "s:title", "Nhiệm vụ", "s:kind",
			    "breakthrough", "s:field", "livelihood", "s:owner", "CA", "s:unit", "B",
			    "s:term", "2021-2025", "s:product", "", "s:due_date", "2025-06-30", NULL),
		     RPC_NOT_FOUND);
	cr_expect_eq(TRY_AS(OFFICE_A, NULL, "task.create", "s:title", "Nhiệm vụ", "s:kind",
			    "breakthrough", "s:field", "livelihood", "s:owner", "CB", "s:term",
			    "2021-2025", "s:product", "", "s:due_date", "2025-06-30", NULL),
		     RPC_NOT_FOUND);
	cr_expect_eq(TRY_AS(OFFICE_A, NULL, "cadre.create", "s:code", "KB", "s:full_name",
			    "Lê Văn C", "s:title", "Chủ tịch", "s:unit", "B", "s:managing_unit", "P",
			    NULL),
		     RPC_NOT_FOUND);

	/* No progress reports on B's task. */
	cr_expect_eq(TRY_AS(OFFICE_A, NULL, "update.create", "i:task", num(task_b), "i:percent",
			    "50", "s:done", "Báo cáo", NULL),
		     RPC_NOT_FOUND);
}

Test(permissions, assigning_and_managing_units_may_be_above_the_scope_but_not_aside)
{
	char msg[512];

	/* The province assigns tasks to A and manages A's cadres. */
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "task.create", "s:title", "Nhiệm vụ tỉnh giao",
			    "s:kind", "breakthrough", "s:field", "livelihood", "s:owner", "CA",
			    "s:term", "2021-2025", "s:assigned_by", "P", "s:product", "",
			    "s:due_date", "2025-06-30", NULL),
		     RPC_OK, "%s", msg);
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "cadre.create", "s:code", "KA", "s:full_name",
			    "Lê Văn C", "s:title", "Chủ tịch", "s:unit", "A1", "s:managing_unit",
			    "P", NULL),
		     RPC_OK, "%s", msg);
	cr_expect_eq(TRY_AS(VIEWER_A, msg, "task.list", "s:managed_by", "P", NULL), RPC_OK, "%s",
		     msg);

	/* A sibling district does not. */
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "task.create", "s:title", "Nhiệm vụ", "s:kind",
			    "breakthrough", "s:field", "livelihood", "s:owner", "CA", "s:term",
			    "2021-2025", "s:assigned_by", "B", "s:product", "", "s:due_date",
			    "2025-06-30", NULL),
		     RPC_NOT_FOUND, "%s", msg);
	cr_expect_eq(TRY_AS(OFFICE_A, msg, "cadre.update", "s:cadre", "CA", "s:managing_unit", "B1",
			    NULL),
		     RPC_NOT_FOUND, "%s", msg);
	cr_expect_eq(TRY_AS(VIEWER_A, msg, "task.list", "s:assigned_by", "B", NULL), RPC_NOT_FOUND,
		     "%s", msg);

	/* Above the scope is not a place: no unit, no posting, no subtree there. */
	cr_expect_eq(TRY_AS(VIEWER_A, NULL, "unit.get", "s:unit", "P", NULL), RPC_NOT_FOUND);
	cr_expect_eq(TRY_AS(VIEWER_A, NULL, "unit.list", "s:root", "P", NULL), RPC_NOT_FOUND);
	cr_expect_eq(TRY_AS(VIEWER_A, NULL, "task.list", "s:unit", "P", NULL), RPC_NOT_FOUND);
	cr_expect_eq(TRY_AS(OFFICE_A, NULL, "cadre.create", "s:code", "KP", "s:full_name",
			    "Lê Văn D", "s:title", "Chủ tịch", "s:unit", "P", "s:managing_unit", "P",
			    NULL),
		     RPC_NOT_FOUND);
	/* An admin is the central office: there is no admin of one district. */
	cr_expect_eq(TRY_AS(ADMIN_ALL, msg, "account.create", "s:login", "qt_a", "s:display_name",
			    "Quản trị A", "s:role", "admin", "s:scope", "A", NULL),
		     RPC_INVALID_ARGUMENT, "%s", msg);
}

/* Collects the values of field key of a list's items into ids[]; returns
 * how many. */
static int item_ids(const msgpack_object *result, const char *key, int64_t *ids, int max)
{
	int n = 0;

	for (uint32_t i = 0; i < count_items(result) && n < max; i++)
		ids[n++] = I(item(result, i), key);
	return n;
}

/* Calls list method with the params of f as actor k, and as the first
 * admin with `unit_filter` ("s:unit" or "s:root") set to A, and expects
 * the same items and counts: all of A, nothing of B. */
static void expect_same_as_a(int k, const char *method, const char *const *f,
			     const char *unit_filter)
{
	struct peer_result mine, all;
	int64_t got[64], want[64];
	int ngot, nwant;

	cr_assert_eq(world_remote(&actors[k].c, method, f, &mine), RPC_OK, "%s by the %s: %s",
		     method, actors[k].label, mine.message);
	cr_assert_eq(world_remote(&root, method, FIELDS(unit_filter, "A", NULL), &all), RPC_OK,
		     "%s", all.message);
	ngot = item_ids(mine.value, "id", got, 64);
	nwant = item_ids(all.value, "id", want, 64);
	cr_expect_eq(ngot, nwant, "%s by the %s: %d items, %d in A", method, actors[k].label,
		     ngot, nwant);
	for (int i = 0; i < ngot && i < nwant; i++)
		cr_expect_eq(got[i], want[i], "%s by the %s: item %d is %lld, want %lld", method,
			     actors[k].label, i, (long long)got[i], (long long)want[i]);
	cr_expect_eq(I(mine.value, "total"), I(all.value, "total"),
		     "%s by the %s: total counts what it cannot see", method, actors[k].label);
	if (strcmp(method, "task.list") == 0)
		cr_expect_eq(I(mine.value, "cadres"), I(all.value, "cadres"),
			     "task.list by the %s: cadres counts owners it cannot see",
			     actors[k].label);
	peer_result_free(&mine);
	peer_result_free(&all);
}

/* A task of CB registered in A1 (still A's task), by the first admin. */
static void make_shared_task(void)
{
	REMOTE_OK(&root, "task.create", "s:title", "Việc chung", "s:kind", "innovation", "s:field",
		  "livelihood", "s:owner", "CB", "s:unit", "A1", "s:term", "2021-2025",
		  "s:product", "", "s:due_date", "2025-06-30", NULL);
}

Test(permissions, scoped_lists_hold_nothing_of_another_district)
{
	struct peer_result r;

	/* One more task and cadre on each side, and a task of A owned by a
	 * cadre of B (still A's task), so counts differ from a plain tally. */
	make_cadre("CB2", "B1", "P");
	make_task("CB2");
	make_task("CA");
	make_shared_task();

	for (int k = 0; k < NACTORS; k++) {
		if (!actors[k].scoped)
			continue;
		expect_same_as_a(k, "task.list", NULL, "s:unit");
		expect_same_as_a(k, "cadre.list", NULL, "s:unit");
		expect_same_as_a(k, "unit.list", NULL, "s:root");
		/* filters combine with the scope */
		expect_same_as_a(k, "task.list", FIELDS("s:term", "2021-2025", NULL), "s:unit");
	}

	/* The whole-tree admin sees both districts. */
	cr_assert_eq(REMOTE(&actors[ADMIN_ALL].c, &r, "task.list", NULL), RPC_OK, "%s", r.message);
	cr_expect_eq(I(r.value, "total"), 5);
	peer_result_free(&r);
}

Test(permissions, cadre_get_counts_only_the_tasks_in_scope)
{
	struct peer_result r;

	/* CB owns TB in B and a task in A. */
	make_shared_task();
	cr_assert_eq(REMOTE(&root, &r, "cadre.get", "s:cadre", "CB", NULL), RPC_OK, "%s",
		     r.message);
	cr_expect_eq(I(r.value, "tasks"), 2);
	peer_result_free(&r);
	/* Transferred to A, CB is the viewer's to see, with A's task only. */
	REMOTE_OK(&root, "cadre.transfer", "s:cadre", "CB", "s:unit", "A", "s:date", "2024-01-01",
		  NULL);
	cr_assert_eq(REMOTE(&actors[VIEWER_A].c, &r, "cadre.get", "s:cadre", "CB", NULL), RPC_OK,
		     "%s", r.message);
	cr_expect_eq(I(r.value, "tasks"), 1);
	peer_result_free(&r);
}

/* Asks the viewer of A for method with the params of f, then of `none`
 * (naming something that does not exist), and expects two not_found whose
 * messages differ only where `name` and `missing` (the two references as
 * they appear in the messages) differ. */
static void expect_like_nothing(const char *method, const char *const *f, const char *name,
				const char *const *none_f, const char *missing)
{
	char out[512], none[512], expect[512];
	const char *at;
	int code;

	code = try_as(VIEWER_A, method, f, out);
	cr_expect_eq(code, RPC_NOT_FOUND, "%s of %s by the viewer of A: got %s (%s), want not_found",
		     method, name, errors_name(code), out);
	code = try_as(VIEWER_A, method, none_f, none);
	cr_expect_eq(code, RPC_NOT_FOUND, "%s of %s by the viewer of A: got %s (%s), want not_found",
		     method, missing, errors_name(code), none);
	at = strstr(none, missing);
	cr_assert_not_null(at, "%s: '%s' does not name %s", method, none, missing);
	snprintf(expect, sizeof(expect), "%.*s%s%s", (int)(at - none), none, name,
		 at + strlen(missing));
	cr_expect_str_eq(out, expect, "%s: out of scope reads '%s', nothing reads '%s'", method,
			 out, none);
}

Test(permissions, out_of_scope_reads_exactly_like_nothing_there)
{
	const char *id = num(task_b);

	expect_like_nothing("task.get", FIELDS("i:task", id, NULL), id,
			    FIELDS("i:task", "999999", NULL), "999999");
	expect_like_nothing("update.list", FIELDS("i:task", id, NULL), id,
			    FIELDS("i:task", "999999", NULL), "999999");
	expect_like_nothing("cadre.get", FIELDS("s:cadre", "CB", NULL), "'CB'",
			    FIELDS("s:cadre", "NOSUCH", NULL), "'NOSUCH'");
	expect_like_nothing("unit.get", FIELDS("s:unit", "B", NULL), "'B'",
			    FIELDS("s:unit", "NOSUCH", NULL), "'NOSUCH'");
	/* an ancestor, too */
	expect_like_nothing("unit.get", FIELDS("s:unit", "P", NULL), "'P'",
			    FIELDS("s:unit", "NOSUCH", NULL), "'NOSUCH'");
}
