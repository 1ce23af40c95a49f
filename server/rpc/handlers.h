/*
 * handlers.h: the handler of every method of the table (methods.def), one
 * function per row named by its id, each defined in the file of its noun
 * (server.info in info.c, task.review in workflow.c, audit.* in
 * audit_methods.c...), and the helpers handlers of one noun share.  The
 * contract is call.h's.
 */
#ifndef DOTPHA_HANDLERS_H
#define DOTPHA_HANDLERS_H

#include "call.h"
#include "params.h"

#define METHOD(id, name, flags, roles, noun, ref, summary, label) int id(struct call *c);
#include "methods.def"

/* The kinds a task can be (tasks.kind's CHECK), NULL-terminated: the
 * values of `kind` in task.create, task.update, task.list and
 * search.query (task.c). */
extern const char *const task_kinds[];

/* The params of a task's paged list (update.list, task.history): `task`,
 * visible in the caller's scope, and the page.  RPC_OK or the error
 * (task.c). */
int task_page_params(struct call *c, int64_t *task, struct page *pg);

/* The shape of the methods that list what hangs off one task (plan.list,
 * amendment.list; task.history is paged and has its own): reads `task`,
 * answers not_found for a task out of the caller's scope as for one that
 * does not exist, then packs what `list` packs for it.  In task.c. */
typedef int (*task_lister)(struct db *db, int64_t task, msgpack_packer *pk,
			   struct rpc_error *err);
int task_list_of(struct call *c, task_lister list);

#endif
