/*
 * queue.h: the client's offline queue.  A write command (`update add`,
 * `answer`, `task report`...) that cannot reach the server is kept in a
 * file beside the config (`queue`), written durably before the client says
 * "queued", with the request_id it was given; `dotpha sync`, or the next
 * command that reaches the server, sends the queue in order.  An item
 * answered (applied, or refused with a reason) leaves the queue; a retry
 * after a lost answer or a crash of the client is safe, as the server
 * applies a request_id once.
 */
#ifndef DOTPHA_QUEUE_H
#define DOTPHA_QUEUE_H

#include <stdbool.h>

#include "args.h"
#include "cli.h"
#include "commands.h"

/* Whether a command that could not reach the server is kept for later: a
 * submission (a progress update, a completion report, an answer, a
 * required action done, a plan step), made in one call. */
bool queue_takes(const struct command *cmd);

/* Keeps cmd's request (its fields a, the request_id rpc gave it) at the end
 * of the queue and says so on c->err.  Returns 0, or -1 with the reason on
 * c->err (the command then fails as it would have). */
int queue_add(struct cli *c, const struct command *cmd, const struct args *a);

/* Sends the queue in order; one line per item on c->err (quiet when the
 * queue is empty).  Returns RPC_STATUS_OK when the queue is empty at the
 * end, else the status that stopped it (TRANSPORT: the server is out of
 * reach; the rest stays queued). */
int queue_flush(struct cli *c);

/* `dotpha sync`: queue_flush, saying what it did. */
int run_sync(struct cli *c, const struct command *cmd, const struct args *a);

#endif
