/*
 * db_resolve.c: codes and ids of units, cadres and terms: resolving the
 * reference a client sent (struct ref) to an id, and checking that a new
 * code is free.
 */
#include "db_internal.h"

#include "utf8.h"

/* A code made only of digits ("2020") may also be an id: such a string is
 * looked up as a code first, then as an id.  Returns 0 if it is not one. */
static int64_t digits_id(struct text t)
{
	int64_t v = 0;

	if (t.n == 0 || t.n > 18)
		return 0;
	for (size_t i = 0; i < t.n; i++) {
		if (t.s[i] < '0' || t.s[i] > '9')
			return 0;
		v = v * 10 + (t.s[i] - '0');
	}
	return v;
}

static int lookup(struct db *db, const char *sql, const struct text *code, int64_t by_id,
		  int64_t *id, struct rpc_error *err)
{
	sqlite3_stmt *st = code ? db_prep(db, sql, err, "t", *code) : db_prep(db, sql, err, "i", by_id);

	if (!st)
		return err->code;
	return db_scalar(db, st, id, err);
}

int db_code_free(struct db *db, const char *sql_by_code, const char *noun, struct text code,
		 struct rpc_error *err)
{
	int64_t taken = 0;
	int rc = lookup(db, sql_by_code, &code, 0, &taken, err);

	if (rc != RPC_OK)
		return rc;
	if (taken)
		return errors_set(err, RPC_CONFLICT, "code: a %s with code '%.*s' already exists", noun,
				  (int)code.n, code.s);
	return RPC_OK;
}

int db_resolve(struct db *db, const char *sql_by_id, const char *sql_by_code, const char *field,
	       const char *noun, const struct ref *r, int64_t *id, struct rpc_error *err)
{
	int64_t as_id = r->code.s ? digits_id(r->code) : r->id;
	char echo[96]; /* the code sent, escaped, in a message */
	int rc;

	*id = 0;
	if (r->code.s && (rc = lookup(db, sql_by_code, &r->code, 0, id, err)) != RPC_OK)
		return rc;
	if (*id == 0 && as_id > 0 && (rc = lookup(db, sql_by_id, NULL, as_id, id, err)) != RPC_OK)
		return rc;
	if (*id == 0) {
		if (r->code.s)
			return errors_set(err, RPC_NOT_FOUND, "%s: no %s with code %s'%s'", field, noun,
					  as_id > 0 ? "or id " : "",
					  utf8_escaped(r->code.s, r->code.n, echo, sizeof(echo)));
		return errors_set(err, RPC_NOT_FOUND, "%s: no %s with id %lld", field, noun,
				  (long long)r->id);
	}
	return RPC_OK;
}
