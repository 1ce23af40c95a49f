/*
 * search.c: search.query, the tasks of the caller's scope whose title,
 * description, product, plan steps or progress updates hold every word of
 * a text, typed with or without diacritics, of one kind if asked
 * (PROTOCOL.md 6h).  The words come from snippet.h, the index, the order
 * and the capped count from db_search.c.
 */
#include "db_search.h"
#include "db_term.h"
#include "db_unit.h"
#include "handlers.h"
#include "snippet.h"
#include "utf8.h"

#define SEARCH_LIMIT_DEFAULT 50
#define SEARCH_LIMIT_MAX 200

int search_query(struct call *c)
{
	struct params p;
	struct search_filter f = {.limit = SEARCH_LIMIT_DEFAULT};
	struct search_terms terms;
	struct ref unit = {0}, term = {0};
	struct text text;
	char echo[160]; /* the text, escaped, in a message */
	int rc, n, kind;

	call_params(c, &p);
	params_text(&p, "text", P_REQUIRED, SEARCH_TEXT_MAX, true, &text);
	params_ref(&p, "unit", P_OPTIONAL, &unit);
	params_ref(&p, "term", P_OPTIONAL, &term);
	if (params_enum(&p, "kind", P_OPTIONAL, task_kinds, &kind))
		f.kind = task_kinds[kind];
	params_int(&p, "limit", P_OPTIONAL, 1, SEARCH_LIMIT_MAX, &f.limit);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	n = search_terms_parse(text.s, text.n, &terms);
	if (n == 0)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "text: \"%s\" has no word to search for",
				  utf8_escaped(text.s, text.n, echo, sizeof(echo)));
	if (n < 0)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "text: at most %d words, got more", SEARCH_TERMS_MAX);
	if ((REF_GIVEN(unit) && (rc = db_unit_resolve_in(c->db, c->who->scope, REACH_SUBTREE,
							 "unit", &unit, &f.unit, c->err)) != RPC_OK) ||
	    (REF_GIVEN(term) &&
	     (rc = db_term_resolve(c->db, "term", &term, &f.term, c->err)) != RPC_OK))
		return rc;
	f.terms = &terms;
	f.today = c->today;
	f.scope = c->who->scope;
	return db_search(c->db, &f, c->pk, c->err);
}
