/* pending.c: placeholders removed as each noun lands. */
#include "handlers.h"
#define PENDING(fn) int fn(struct call *c) { return errors_set(c->err, RPC_INTERNAL, #fn " is not written yet"); }
PENDING(cadre_create) PENDING(cadre_update) PENDING(cadre_transfer) PENDING(cadre_get) PENDING(cadre_list)
PENDING(term_create) PENDING(term_get) PENDING(term_list)
PENDING(task_create) PENDING(task_update) PENDING(task_get) PENDING(task_list)
PENDING(update_create) PENDING(update_list)
