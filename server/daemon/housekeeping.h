/*
 * housekeeping.h: the daemon's periodic chores (housekeeping.c).
 */
#ifndef DOTPHA_HOUSEKEEPING_H
#define DOTPHA_HOUSEKEEPING_H

struct server;

/* Starts the chores' timer on the server's loop; the first run is at once. */
void housekeeping_start(struct server *s);

/* Closes the timer (server_stop). */
void housekeeping_stop(struct server *s);

#endif
