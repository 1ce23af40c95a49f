/*
 * notify.h: telling the service manager how the daemon is doing, by the
 * sd_notify protocol (sd_notify(3)) spoken without libsystemd: one
 * datagram of "NAME=value" lines to the socket $NOTIFY_SOCKET names.
 * Under systemd's Type=notify, READY=1 is what `systemctl start` waits
 * for; with no $NOTIFY_SOCKET every call is a no-op.
 */
#ifndef DOTPHA_NOTIFY_H
#define DOTPHA_NOTIFY_H

/* Sends state (e.g. "READY=1\nSTATUS=listening on ...") to $NOTIFY_SOCKET:
 * a path, or "@name" for an abstract socket.  Returns 1 when sent, 0 when
 * there is no socket to tell, -1 when sending failed (errno set; the
 * caller logs it: the daemon serves on either way). */
int notify_send(const char *state);

/* "RELOADING=1" with the monotonic clock's microseconds, as systemd asks
 * of it (MONOTONIC_USEC=), then READY=1 once the reload is done: the two
 * calls around SIGHUP's reload.  Same returns as notify_send. */
int notify_reloading(void);
int notify_ready(const char *status);

/* "STOPPING=1", said when a stop begins. */
int notify_stopping(void);

#endif
