/*
 * mail_config.h: how the daemon sends e-mail, and when it makes the
 * digests (mail_config.c).  One process-wide value, set by the daemon
 * before its loop runs (server_start) and only read afterwards, by the
 * mailer's threads and by the handlers (the Message-ID's host,
 * notify.status).
 */
#ifndef DOTPHA_MAIL_CONFIG_H
#define DOTPHA_MAIL_CONFIG_H

#include <stdbool.h>
#include <time.h>

enum mail_via {
	MAIL_NONE,      /* no --mail-via: the outbox fills, nothing is sent */
	MAIL_SENDMAIL,  /* the system's sendmail interface, run as `PATH -oi -t` */
	MAIL_SMTP,      /* a relay by SMTP (libcurl): smtp:// with STARTTLS, or smtps:// */
};

struct mail_config {
	enum mail_via via;
	char url[512];          /* the relay: "smtp://host:port", "smtps://..." */
	char sendmail[512];     /* the program for MAIL_SENDMAIL */
	char from[256];         /* the sender's address */
	char user[256];         /* the relay's login, "" for none */
	char password[256];     /* read from --mail-password-file */
	char ca[512];           /* --mail-ca: the relay's certificate is checked against
	                         * these CAs instead of the system's; "" for the system's */
	bool tls;               /* STARTTLS required (smtp://); off only for a loopback test relay */
	int digest_minute;      /* minutes after local midnight (the server's zone, clock.h's
	                         * clock_set_zone) the digests are made (07:30: 450) */
	char host[256];         /* the right side of Message-IDs */
};

/* Sets the configuration (copied).  Before the loop runs. */
void mail_config_set(const struct mail_config *c);
/* The configuration; a zeroed one with digest_minute 450 and host
 * "localhost" until set. */
const struct mail_config *mail_config(void);
/* Whether messages are sent at all. */
bool mail_configured(void);
/* The next moment the digests are due after `now` (today's hour if it
 * is still ahead, else tomorrow's), in local time. */
time_t mail_config_next_digest(time_t now);
/* The moment today's digests are due (local). */
time_t mail_config_digest_today(time_t now);
/* "HH:MM" into minutes after midnight; -1 if it is not a time of day. */
int mail_config_parse_hhmm(const char *s);

#endif
