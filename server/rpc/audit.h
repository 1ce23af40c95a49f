/*
 * audit.h: the dispatcher's two hooks into the audit trail.  Every write
 * method is recorded generically, from what its row of the method table
 * (methods.def) says it changes, so a handler needs no audit code of its
 * own and a new write method cannot be forgotten: a write whose row names
 * no noun fails instead of going unrecorded.
 *
 * Inside the request's write transaction, after the permission checks:
 *   audit_prepare()  before the handler: packs the object the params name
 *   audit_record()   after the handler succeeded: appends the entry
 *   audit_done()     always, to free what audit_prepare kept
 */
#ifndef DOTPHA_AUDIT_H
#define DOTPHA_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "call.h"
#include "methods.h"

/* The first row of the method table that is wrong for the trail: a write
 * without a noun, a read with one, or a noun of the database the trail
 * cannot find or pack (db_audit.c's nouns); NULL when every row is
 * right. */
const char *audit_check_table(void);

/* What the dispatcher keeps between the hooks of one request. */
struct audit_pending {
	const struct method_info *info; /* the method being run: its noun and ref say
					 * what the entry is about (methods.def) */
	msgpack_sbuffer before;         /* the object before the change; size 0: none */
};

/* Before the handler runs.  Packs the object the params name into
 * ap->before; if the params name nothing that exists, records nothing and
 * lets the handler give the proper error.  Returns RPC_OK, or an error
 * (with c->err set) when the database failed: the request must then fail. */
int audit_prepare(struct call *c, const struct method_info *info, struct audit_pending *ap);

/* After the handler succeeded: appends the trail entry for a write, whose
 * object id is the "id" of the handler's result (result[0..len)).  A read
 * records nothing.  On an error the request must fail and roll back. */
int audit_record(struct call *c, struct audit_pending *ap, const char *result, size_t len);

/* For the rare write that changes a second object besides the one its
 * result names (task.carry_over's copy, the task an approved amendment
 * rewrites): an entry of the same caller and method (c->method) for that
 * object, with `before` (audit_snapshot's bytes; NULL or empty for an
 * object just made).  Inside the same transaction. */
int audit_record_also(struct call *c, const char *noun, int64_t id, const msgpack_sbuffer *before);

/* Appends object (noun, id) to *out as audit entries show it. */
int audit_snapshot(struct call *c, const char *noun, int64_t id, msgpack_sbuffer *out);

/* Frees what audit_prepare kept.  Safe after any outcome. */
void audit_done(struct audit_pending *ap);

#endif
