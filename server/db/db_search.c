/*
 * db_search.c: search.query's storage (PROTOCOL.md 6h): dp_fold, the FTS5
 * query over search_index (migration 10) within the caller's scope, and for
 * each task found where it matched and a snippet of the original text.
 */
#include "db_search.h"

#include <stdlib.h>
#include <string.h>

#include "db_internal.h"
#include "fold.h"
#include "pack.h"
#include "snippet.h"

/* The weights of search_tasks' columns in bm25: a title match counts most,
 * the kind least (half the tasks are "việc đột phá"); a progress update's
 * match counts SEARCH_UPDATE_WEIGHT. */
#define SEARCH_WEIGHTS "10.0, 2.0, 4.0, 0.5, 1.0"
#define SEARCH_UPDATE_WEIGHT "0.5"

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

/* The tasks matching ?1 (in their own row of search_tasks, or in one of
 * their updates) within the scope ?13, unit ?4's subtree and term ?5, best
 * first, at most ?2; unit names on ?9.  Columns by enum search_col. */
#define SQL_SEARCH \
	"WITH RECURSIVE " SQL_SUBTREE("?4") ", " SQL_SUBTREE_AS("scope_sub", "?13") ", " \
	" hits(id, score) AS (" \
	"  SELECT rowid, -bm25(search_tasks, " SEARCH_WEIGHTS ") FROM search_tasks" \
	"   WHERE search_tasks MATCH ?1" \
	"  UNION ALL SELECT u.task_id, -bm25(search_updates) * " SEARCH_UPDATE_WEIGHT \
	"   FROM search_updates JOIN updates u ON u.id = search_updates.rowid" \
	"   WHERE search_updates MATCH ?1)," \
	" best(id, score) AS (SELECT id, max(score) FROM hits GROUP BY id)" \
	" SELECT t.id, t.title, t.description, t.product, t.kind, t.state, un.code," \
	" " SQL_UNIT_NAME("t.unit_id", "?9") ", tm.code, b.score, count(*) OVER () AS total" \
	" FROM best b JOIN tasks t ON t.id = b.id" \
	" JOIN units un ON un.id = t.unit_id JOIN terms tm ON tm.id = t.term_id" \
	" WHERE (?13 IS NULL OR t.unit_id IN (SELECT id FROM scope_sub))" \
	" AND (?4 IS NULL OR t.unit_id IN (SELECT id FROM sub))" \
	" AND (?5 IS NULL OR t.term_id = ?5)" \
	" ORDER BY b.score DESC, t.id LIMIT ?2"

enum search_col {
	COL_ID, COL_TITLE, COL_DESCRIPTION, COL_PRODUCT, COL_KIND, COL_STATE, COL_UNIT_CODE,
	COL_UNIT_NAME, COL_TERM, COL_SCORE, COL_TOTAL
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
	static const char *const kinds[][2] = {{"breakthrough", "Việc đột phá"},
					       {"innovation", "Việc đổi mới"}};
	const char *kind = (const char *)sqlite3_column_text(st, COL_KIND);
	sqlite3_stmt *more;
	int rc;

	b->score = 0;
	b->where = "title";
	b->snippet[0] = '\0';
	if (consider_col(b, "title", st, COL_TITLE, t) < 0 ||
	    consider_col(b, "description", st, COL_DESCRIPTION, t) < 0 ||
	    consider_col(b, "product", st, COL_PRODUCT, t) < 0)
		return errors_set(err, RPC_INTERNAL, "search: out of memory");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kind && strcmp(kind, kinds[i][0]) == 0 &&
		    consider(b, "kind", kinds[i][1], strlen(kinds[i][1]), t) < 0)
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

/* Packs the task of row st, found at place `rank` (1: best). */
static int pack_item(struct db *db, sqlite3_stmt *st, int64_t rank, const struct search_terms *t,
		     msgpack_packer *pk, struct rpc_error *err)
{
	static const char *const keys[] = {
		[COL_TITLE] = "title", [COL_KIND] = "kind", [COL_STATE] = "state",
		[COL_UNIT_CODE] = "unit_code", [COL_UNIT_NAME] = "unit_name", [COL_TERM] = "term",
	};
	struct best best, *b = &best;
	int rc;

	if ((rc = locate(db, st, t, b, err)) == RPC_OK) {
		msgpack_pack_map(pk, 11);
		pack_kv_int(pk, "id", sqlite3_column_int64(st, COL_ID));
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (keys[i])
				pack_kv_str(pk, keys[i], (const char *)sqlite3_column_text(st, (int)i));
		pack_kv_str(pk, "where", b->where);
		pack_kv_str(pk, "snippet", b->snippet);
		pack_kv_int(pk, "rank", rank);
		pack_str(pk, "score");
		msgpack_pack_double(pk, sqlite3_column_double(st, COL_SCORE));
	}
	return rc;
}

int db_search(struct db *db, const struct search_filter *f, msgpack_packer *pk,
	      struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_SEARCH, err, "si4rr9s13r", f->terms->match, f->limit,
				   f->unit, f->term, f->today, f->scope);
	int64_t total = 0, rank = 0;
	int rc, b;

	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		total = sqlite3_column_int64(st, COL_TOTAL);
	msgpack_pack_map(pk, 2);
	pack_str(pk, "items");
	msgpack_pack_array(pk, (uint32_t)(total < f->limit ? total : f->limit));
	for (; rc == SQLITE_ROW; rc = sqlite3_step(st))
		if ((b = pack_item(db, st, ++rank, f->terms, pk, err)) != RPC_OK)
			return db_done(st, b);
	if (rc != SQLITE_DONE)
		return db_done(st, db_fail(db, rc, "searching", err));
	pack_kv_int(pk, "total", total);
	return db_done(st, RPC_OK);
}

/* Tasks whose row in search_tasks is missing or differs from what
 * search_source makes of them now, and rows of no task. */
#define SQL_SEARCH_CHECK_TASKS \
	"SELECT (SELECT count(*) FROM search_source s WHERE NOT EXISTS (SELECT 1 FROM search_tasks i" \
	"  WHERE i.rowid = s.id AND i.title IS s.title AND i.description IS s.description" \
	"  AND i.product IS s.product AND i.kind IS s.kind AND i.steps IS s.steps))" \
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
