/* audit.c: placeholder until the audit trail lands (being written now). */
#include "handlers.h"
int audit_list(struct call *c) { return errors_set(c->err, RPC_INTERNAL, "audit.list is not written yet"); }
int audit_verify(struct call *c) { return errors_set(c->err, RPC_INTERNAL, "audit.verify is not written yet"); }
int task_history(struct call *c) { return errors_set(c->err, RPC_INTERNAL, "task.history is not written yet"); }
