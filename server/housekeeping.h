/*
 * housekeeping.h: the daemon's periodic chores (housekeeping.c).
 */
#ifndef DOTPHA_HOUSEKEEPING_H
#define DOTPHA_HOUSEKEEPING_H

#include <stdbool.h>

#include <uv.h>

struct server;
struct db;

/* The check of a database that met a write error, on the thread pool. */
struct recovery {
	uv_work_t req;      /* the job; req.data -> the server */
	bool running;       /* queued or running */
	int failed;         /* its outcome: 0, or -1 with why */
	struct db *fresh;   /* owned until adopted: the checked connection */
	char path[4096];    /* the database file */
	char why[300];
};

/* Starts the chores' timer on the server's loop; the first run is at once. */
void housekeeping_start(struct server *s);

/* Closes the timer (server_stop). */
void housekeeping_stop(struct server *s);

#endif
