/*
 * db_search.c: search.query's storage (PROTOCOL.md 6h): dp_fold, the FTS5
 * queries over search_tasks and search_updates (migrations 10 and 20)
 * within the caller's scope, read newest first and stopped at a bound, and
 * for each task shown where it matched and a snippet of the original text.
 */
#include "db_search.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "fold.h"
#include "pack.h"
#include "snippet.h"

static void fn_fold(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	const char *in = (const char *)sqlite3_value_text(argv[0]);
	int n = sqlite3_value_bytes(argv[0]);
	char *out;

	(void)argc;
	if (!in) {
		sqlite3_result_null(ctx);
		return;
	}
	if (!(out = sqlite3_malloc(n + 1))) {
		sqlite3_result_error_nomem(ctx);
		return;
	}
	sqlite3_result_text(ctx, out, (int)fold_text(in, (size_t)n, out, NULL), sqlite3_free);
}

static const char SQL_PENDING_ANY[] = "SELECT EXISTS (SELECT 1 FROM search_updates_pending)";
static const char SQL_PENDING_INDEX[] =
	"INSERT INTO search_updates (rowid, body)"
	" SELECT u.id, dp_fold(u.done || ' ' || u.difficulties || ' ' || u.proposals)"
	" FROM search_updates_pending p JOIN updates u ON u.id = p.id ORDER BY p.id";
static const char SQL_PENDING_CLEAR[] = "DELETE FROM search_updates_pending";

int db_search_flush(struct db *db, struct rpc_error *err)
{
	static const char what[] = "indexing the new updates for search";
	int64_t any = 0;

	if (db_write_pending(db, SQL_PENDING_ANY, &any, err) != RPC_OK)
		return err->code;
	if (!any)
		return RPC_OK;
	if (db_run(db, SQL_PENDING_INDEX, what, err, "") != RPC_OK ||
	    db_run(db, SQL_PENDING_CLEAR, what, err, "") != RPC_OK)
		return err->code;
	return RPC_OK;
}

int db_search_functions(sqlite3 *conn)
{
	return sqlite3_create_function(conn, "dp_fold", 1,
				       SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL,
				       fn_fold, NULL, NULL);
}

/* search.query's order (PROTOCOL.md 6h), and why it is not relevance.
 * Ranking by FTS5's bm25 scores every match before the first row comes
 * out, and a broad word matches hundreds of thousands of tasks and
 * millions of updates at the national scale: 1.8 to 2.5 s a search.
 * Read newest first (ORDER BY rowid DESC), FTS5 walks its lists from
 * the end and stops when the caller stops stepping, so a search costs
 * what it keeps, not what matches.  The order is therefore by where a
 * task matched, then by recency, in three tiers:
 *   1. every word in the title (the last may begin a word), newest first;
 *   2. every word in the task's own texts taken together (title,
 *      description, product, plan), newest first;
 *   3. every word, whole, in one of its progress updates, the task whose
 *      newest such update is newest first.
 * A task comes once, in its first tier.  Stepping stops once SEARCH_CAP + 1
 * tasks are in hand: `total` is then SEARCH_CAP and `total_capped` true.
 * Words in updates are matched whole: the last word as a beginning would
 * make FTS5 merge the whole lists of every word beginning so (search_tasks
 * has prefix indexes for it, migration 20; search_updates, 9.8 million
 * rows at the national scale, has none). */
enum search_tier { TIER_TITLE, TIER_OWN, TIER_UPDATES, TIER_COUNT };

/* The filters every tier applies to its task t: the caller's scope ?13,
 * unit ?4's subtree, term ?5, kind ?6. */
#define SQL_SEARCH_WITH \
	"WITH RECURSIVE " SQL_SUBTREE("?4") ", " SQL_SUBTREE_AS("scope_sub", "?13") " "
#define SQL_SEARCH_WHERE \
	" AND (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))" \
	" AND (?4 IS NULL OR t.unit_id IN (SELECT id FROM sub))" \
	" AND (?5 IS NULL OR t.term_id = ?5) AND (?6 IS NULL OR t.kind = ?6)"

/* Tiers 1 and 2: the tasks whose row of search_tasks matches ?1, newest
 * first.  Tier 3: the tasks of the updates matching ?1, newest update
 * first (a task as often as it has such updates). */
#define SQL_SEARCH_OWN \
	SQL_SEARCH_WITH "SELECT t.id FROM search_tasks JOIN tasks t ON t.id = search_tasks.rowid" \
	" WHERE search_tasks MATCH ?1" SQL_SEARCH_WHERE " ORDER BY search_tasks.rowid DESC"
#define SQL_SEARCH_UPDATES \
	SQL_SEARCH_WITH "SELECT t.id FROM search_updates" \
	" JOIN updates u ON u.id = search_updates.rowid JOIN tasks t ON t.id = u.task_id" \
	" WHERE search_updates MATCH ?1" SQL_SEARCH_WHERE " ORDER BY search_updates.rowid DESC"

static const char *const tier_sql[TIER_COUNT] = {
	[TIER_TITLE] = SQL_SEARCH_OWN, [TIER_OWN] = SQL_SEARCH_OWN,
	[TIER_UPDATES] = SQL_SEARCH_UPDATES,
};

/* One task found, by id: what an item shows.  Columns by enum search_col. */
#define SQL_SEARCH_TASK \
	"SELECT t.id, t.title, t.description, t.product, t.kind, t.state, un.code," \
	" " SQL_UNIT_NAME("t.unit_id", "?2") ", tm.code" \
	" FROM tasks t JOIN units un ON un.id = t.unit_id JOIN terms tm ON tm.id = t.term_id" \
	" WHERE t.id = ?1"

enum search_col {
	COL_ID, COL_TITLE, COL_DESCRIPTION, COL_PRODUCT, COL_KIND, COL_STATE, COL_UNIT_CODE,
	COL_UNIT_NAME, COL_TERM
};

/* The texts of task ?1 that are not in its row, in the order a tie of
 * where goes: its plan steps in plan order, its updates newest first. */
#define SQL_SEARCH_MORE \
	"SELECT 'step', what, 0, position, id FROM plan_steps" /* column 2: 0 step, 1 update */ \
	" WHERE task_id = ?1 AND removed_at IS NULL" \
	" UNION ALL SELECT 'update', done, 1, -id, 0 FROM updates WHERE task_id = ?1" \
	" UNION ALL SELECT 'update', difficulties, 1, -id, 1 FROM updates WHERE task_id = ?1" \
	" UNION ALL SELECT 'update', proposals, 1, -id, 2 FROM updates WHERE task_id = ?1" \
	" ORDER BY 3, 4, 5"

/* Where a task matched best so far: the text holding most terms, the
 * first of them on a tie. */
struct best {
	int score;                /* distinct terms; 0: none yet */
	const char *where;        /* static */
	char snippet[SNIPPET_MAX];
};

/* Scores one text of the task into b; -1 if out of memory. */
static int consider(struct best *b, const char *where, const char *text, size_t len,
		    const struct search_terms *t)
{
	char snippet[SNIPPET_MAX];
	int score = snippet_make(text, len, t, snippet);

	if (score > b->score) {
		b->score = score;
		b->where = where;
		memcpy(b->snippet, snippet, strlen(snippet) + 1);
	}
	return score < 0 ? -1 : 0;
}

static int consider_col(struct best *b, const char *where, sqlite3_stmt *st, int col,
			const struct search_terms *t)
{
	const char *text = (const char *)sqlite3_column_text(st, col);

	return text ? consider(b, where, text, (size_t)sqlite3_column_bytes(st, col), t) : 0;
}

/* Finds where the task of row st matched: its own fields, then its steps
 * and updates until one holds every term. */
static int locate(struct db *db, sqlite3_stmt *st, const struct search_terms *t, struct best *b,
		  struct rpc_error *err)
{
	sqlite3_stmt *more;
	int rc;

	b->score = 0;
	b->where = "title";
	b->snippet[0] = '\0';
	if (consider_col(b, "title", st, COL_TITLE, t) < 0 ||
	    consider_col(b, "description", st, COL_DESCRIPTION, t) < 0 ||
	    consider_col(b, "product", st, COL_PRODUCT, t) < 0)
		return errors_set(err, RPC_INTERNAL, "search: out of memory");
	if (b->score == t->n)
		return RPC_OK;
	if (!(more = db_prep(db, SQL_SEARCH_MORE, err, "i", (int64_t)sqlite3_column_int64(st, COL_ID))))
		return err->code;
	while ((rc = sqlite3_step(more)) == SQLITE_ROW && b->score < t->n)
		if (consider_col(b, sqlite3_column_int(more, 2) == 0 ? "step" : "update", more, 1, t) <
		    0)
			return db_done(more, errors_set(err, RPC_INTERNAL, "search: out of memory"));
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_done(more, db_fail(db, rc, "searching", err));
	return db_done(more, RPC_OK);
}

/* Packs task id, found at place `rank` (1: the first). */
static int pack_item(struct db *db, int64_t id, int64_t rank, const struct search_filter *f,
		     msgpack_packer *pk, struct rpc_error *err)
{
	static const char *const keys[] = {
		[COL_TITLE] = "title", [COL_KIND] = "kind", [COL_STATE] = "state",
		[COL_UNIT_CODE] = "unit_code", [COL_UNIT_NAME] = "unit_name", [COL_TERM] = "term",
	};
	sqlite3_stmt *st = db_prep(db, SQL_SEARCH_TASK, err, "is", id, f->today);
	struct best best, *b = &best;
	int rc;

	if (!st)
		return err->code;
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) /* found in this very transaction */
		return db_done(st, rc == SQLITE_DONE ? errors_set(err, RPC_INTERNAL,
								  "search: task %lld vanished",
								  (long long)id)
						     : db_fail(db, rc, "searching", err));
	if ((rc = locate(db, st, f->terms, b, err)) == RPC_OK) {
		msgpack_pack_map(pk, 10);
		pack_kv_int(pk, "id", id);
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (keys[i])
				pack_kv_str(pk, keys[i], (const char *)sqlite3_column_text(st, (int)i));
		pack_kv_str(pk, "where", b->where);
		pack_kv_str(pk, "snippet", b->snippet);
		pack_kv_int(pk, "rank", rank);
	}
	return db_done(st, rc);
}

/* The tasks found so far, in order, at most SEARCH_CAP + 1, and a set of
 * their ids (open addressing, 0 empty: ids are positive). */
#define FOUND_SLOTS 4096 /* a power of two, over twice SEARCH_CAP + 1 */
struct found {
	int64_t ids[SEARCH_CAP + 1];
	int64_t slots[FOUND_SLOTS];
	int n;
};

/* Adds id unless it is there already. */
static void found_add(struct found *fd, int64_t id)
{
	uint64_t h = (uint64_t)id * 0x9E3779B97F4A7C15u;

	for (size_t i = (size_t)(h >> 52) & (FOUND_SLOTS - 1);; i = (i + 1) & (FOUND_SLOTS - 1)) {
		if (fd->slots[i] == id)
			return;
		if (fd->slots[i] == 0) {
			fd->slots[i] = id;
			fd->ids[fd->n++] = id;
			return;
		}
	}
}

/* Steps tier `tier` of f with FTS5 query `match`, adding what it finds to
 * fd until it holds SEARCH_CAP + 1 tasks or the tier has no more. */
static int find_tier(struct db *db, enum search_tier tier, const char *match,
		     const struct search_filter *f, struct found *fd, struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, tier_sql[tier], err, "s4rrs13r", match, f->unit, f->term,
				   f->kind, f->scope);
	int rc = SQLITE_DONE;

	if (!st)
		return err->code;
	while (fd->n <= SEARCH_CAP && (rc = sqlite3_step(st)) == SQLITE_ROW)
		found_add(fd, sqlite3_column_int64(st, 0));
	if (fd->n <= SEARCH_CAP && rc != SQLITE_DONE)
		return db_done(st, db_fail(db, rc, "searching", err));
	return db_done(st, RPC_OK);
}

int db_search(struct db *db, const struct search_filter *f, msgpack_packer *pk,
	      struct rpc_error *err)
{
	/* FTS5's column filter: the title alone */
	char title[sizeof(f->terms->match) + sizeof("{title} : ()")];
	const char *match[TIER_COUNT] = {title, f->terms->match, f->terms->whole};
	struct found *fd = calloc(1, sizeof(*fd));
	int64_t shown;
	int rc = RPC_OK;

	if (!fd)
		return errors_set(err, RPC_INTERNAL, "search: out of memory");
	snprintf(title, sizeof(title), "{title} : (%s)", f->terms->match);
	for (int tier = 0; tier < TIER_COUNT && rc == RPC_OK && fd->n <= SEARCH_CAP; tier++)
		rc = find_tier(db, (enum search_tier)tier, match[tier], f, fd, err);
	shown = fd->n < f->limit ? fd->n : f->limit;
	if (rc == RPC_OK) {
		msgpack_pack_map(pk, 3);
		pack_str(pk, "items");
		msgpack_pack_array(pk, (uint32_t)shown);
	}
	for (int64_t i = 0; i < shown && rc == RPC_OK; i++)
		rc = pack_item(db, fd->ids[i], i + 1, f, pk, err);
	if (rc == RPC_OK) {
		pack_kv_int(pk, "total", fd->n <= SEARCH_CAP ? fd->n : SEARCH_CAP);
		pack_kv_bool(pk, "total_capped", fd->n > SEARCH_CAP);
	}
	free(fd);
	return rc;
}

/* Tasks whose row in search_tasks is missing or differs from what
 * search_source makes of them now, and rows of no task. */
#define SQL_SEARCH_CHECK_TASKS \
	"SELECT (SELECT count(*) FROM search_source s WHERE NOT EXISTS (SELECT 1 FROM search_tasks i" \
	"  WHERE i.rowid = s.id AND i.title IS s.title AND i.description IS s.description" \
	"  AND i.product IS s.product AND i.steps IS s.steps))" \
	" + (SELECT count(*) FROM search_tasks i WHERE NOT EXISTS" \
	"  (SELECT 1 FROM tasks t WHERE t.id = i.rowid))"

/* Updates without their row in search_updates, and rows of no update. */
#define SQL_SEARCH_CHECK_UPDATES \
	"SELECT (SELECT count(*) FROM updates u WHERE NOT EXISTS" \
	"  (SELECT 1 FROM search_updates s WHERE s.rowid = u.id))" \
	" + (SELECT count(*) FROM search_updates s WHERE NOT EXISTS" \
	"  (SELECT 1 FROM updates u WHERE u.id = s.rowid))"

int db_search_check(struct db *db, int64_t *tasks, int64_t *updates, struct rpc_error *err)
{
	if (db_one_int64(db, SQL_SEARCH_CHECK_TASKS, tasks, err, "") != RPC_OK ||
	    db_one_int64(db, SQL_SEARCH_CHECK_UPDATES, updates, err, "") != RPC_OK)
		return err->code;
	return RPC_OK;
}
