/*
 * db_term.h: years and terms (db_term.c).
 */
#ifndef DOTPHA_DB_TERM_H
#define DOTPHA_DB_TERM_H

#include "db.h"

struct term_input {
	struct text code, name;  /* name.s NULL: the code */
	const char *kind;        /* "year" or "term" */
	const char *start, *end; /* dates, start <= end (checked by the caller) */
};

/* Resolves a term reference; `field` names it in the error (not_found). */
int db_term_resolve(struct db *db, const char *field, const struct ref *r, int64_t *id,
		    struct rpc_error *err);

/* Creates a term.  conflict if the code is taken. */
int db_term_create(struct db *db, const struct term_input *in, int64_t *id,
		   struct rpc_error *err);

/* Packs one term {id, code, name, kind, start, end}; not_found if none. */
int db_term_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, total}: every term by start date, then id. */
int db_term_list(struct db *db, msgpack_packer *pk, struct rpc_error *err);

#endif
