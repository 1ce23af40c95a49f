/*
 * server.h: the daemon's life: start (open the database, listen), run,
 * reload and graceful shutdown.  Its state is daemon.h's.
 */
#ifndef DOTPHA_SERVER_H
#define DOTPHA_SERVER_H

#include "daemon.h"

/* Checks a --listen value ("HOST:PORT", "[V6]:PORT").  Returns 0, or -1
 * with a sentence in why. */
int server_check_listen(const char *spec, char *why, size_t whylen);

/* Fills options with the defaults. */
void server_defaults(struct server_options *opt);

/* Opens the database and starts listening.  Without a certificate it
 * listens only on a loopback address, unless opt->insecure_plaintext (then
 * with a warning).  Returns 0, or -1 after logging why. */
int server_start(struct server *s, uv_loop_t *loop, const struct server_options *opt);

/* Stops accepting, lets every connection finish what it has, and lets the
 * loop end.  Safe to call more than once. */
void server_stop(struct server *s);

/* Runs until stopped; closes the database.  Returns the exit status. */
int server_run(struct server *s);

/* Applies the options of *opt that can change while serving (the
 * deadlines, --max-clients, --max-unauth-per-address, --max-output-total,
 * --keep-requests, --upload-quota, --min-free); logs those that need a restart to change.  SIGHUP. */
void server_reload(struct server *s, const struct server_options *opt);

#endif
