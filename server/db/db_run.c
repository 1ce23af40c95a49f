/*
 * db_run.c: one way to run a statement.  A cached statement is bound from
 * a format string and its arguments (the letters are in db_internal.h),
 * every bind's result is checked, and the common endings (run to the end,
 * insert and read the new id, read one integer) are done in one place, so
 * the storage files say only their SQL and what goes into it.
 */
#include "db_internal.h"

#include <stdarg.h>

/* Binds st's parameters from fmt and ap, as db_prep documents.  Returns
 * RPC_OK, or RPC_INTERNAL with err naming the parameter, its letter and
 * SQLite's reason, and st reset.  `what` (may be NULL) heads the message
 * as it heads the caller's other errors. */
static int bind_all(struct db *db, sqlite3_stmt *st, const char *what, struct rpc_error *err,
		    const char *fmt, va_list ap)
{
	int idx = 1;

	for (const char *f = fmt; *f; f++) {
		const char *s, *reason;
		const void *p;
		struct text t;
		int64_t v;
		int rc, n;

		if (*f >= '0' && *f <= '9') {
			/* A number names the parameter the next letter binds. */
			for (idx = 0; *f >= '0' && *f <= '9' && idx < 100000; f++)
				idx = idx * 10 + (*f - '0');
		}
		switch (*f) {
		case 'i':
			rc = sqlite3_bind_int64(st, idx, va_arg(ap, int64_t));
			break;
		case 'r':
			v = va_arg(ap, int64_t);
			rc = v ? sqlite3_bind_int64(st, idx, v) : sqlite3_bind_null(st, idx);
			break;
		case 'd':
			rc = sqlite3_bind_int(st, idx, va_arg(ap, int));
			break;
		case 'f':
			rc = sqlite3_bind_double(st, idx, va_arg(ap, double));
			break;
		case 't':
			t = va_arg(ap, struct text);
			rc = db_bind_text(st, idx, t);
			break;
		case 's':
			s = va_arg(ap, const char *);
			rc = db_bind_cstr(st, idx, s);
			break;
		case 'n':
			rc = sqlite3_bind_null(st, idx);
			break;
		case 'b':
			p = va_arg(ap, const void *);
			n = va_arg(ap, int);
			rc = sqlite3_bind_blob(st, idx, p, n, SQLITE_STATIC);
			break;
		default:
			/* Our own mistake, not a peer's (an unknown letter, or a
			 * number with none after it): the arguments after it
			 * cannot be read, so nothing runs. */
			sqlite3_reset(st);
			return errors_set(err, RPC_INTERNAL, "%s%sbad bind format \"%s\" at ?%d",
					  what ? what : "", what ? ": " : "", fmt, idx);
		}
		if (rc != SQLITE_OK) {
			reason = sqlite3_errmsg(db->conn);
			if (sqlite3_errcode(db->conn) != rc)
				reason = sqlite3_errstr(rc);
			sqlite3_reset(st);
			return errors_set(err, RPC_INTERNAL, "%s%sbinding ?%d ('%c'): %s",
					  what ? what : "", what ? ": " : "", idx, *f, reason);
		}
		idx++;
	}
	return RPC_OK;
}

/* db_prep with the arguments as a va_list and the error headed by `what`. */
static sqlite3_stmt *vprep(struct db *db, const char *sql, const char *what,
			   struct rpc_error *err, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = db_stmt(db, sql, err);

	if (st && bind_all(db, st, what, err, fmt, ap) != RPC_OK)
		return NULL;
	return st;
}

sqlite3_stmt *db_prep(struct db *db, const char *sql, struct rpc_error *err, const char *fmt,
		      ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprep(db, sql, NULL, err, fmt, ap);
	va_end(ap);
	return st;
}

int db_run(struct db *db, const char *sql, const char *what, struct rpc_error *err,
	   const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	va_start(ap, fmt);
	st = vprep(db, sql, what, err, fmt, ap);
	va_end(ap);
	return st ? db_exec_stmt(db, st, what, err) : err->code;
}

int db_insert(struct db *db, const char *sql, const char *what, int64_t *id,
	      struct rpc_error *err, const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	st = vprep(db, sql, what, err, fmt, ap);
	va_end(ap);
	if (!st)
		return err->code;
	if ((rc = db_exec_stmt(db, st, what, err)) != RPC_OK)
		return rc;
	*id = sqlite3_last_insert_rowid(db->conn);
	return RPC_OK;
}

int db_one_int64(struct db *db, const char *sql, int64_t *out, struct rpc_error *err,
		 const char *fmt, ...)
{
	sqlite3_stmt *st;
	va_list ap;

	*out = 0;
	va_start(ap, fmt);
	st = vprep(db, sql, NULL, err, fmt, ap);
	va_end(ap);
	return st ? db_scalar(db, st, out, err) : err->code;
}

int db_write_pending(struct db *db, const char *sql_any, int64_t *any, struct rpc_error *err)
{
	*any = 0;
	if (sqlite3_txn_state(db->conn, "main") != SQLITE_TXN_WRITE)
		return RPC_OK; /* nothing written, nothing waits */
	return db_one_int64(db, sql_any, any, err, "");
}
