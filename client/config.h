/*
 * config.h: where the server is, and the other settings a user keeps.
 *
 * The server address comes from the first of: `--server HOST:PORT`, the
 * environment variable DOTPHA_SERVER, the `server` key of the config file
 * ($XDG_CONFIG_HOME/dotpha/config, else ~/.config/dotpha/config), and
 * finally 127.0.0.1:7878.  The file holds `key = value` lines; `#` starts a
 * comment; keys are `server` and `timeout` (seconds).  A bad line or an
 * unknown key is reported as a warning and skipped, never fatal, so a
 * broken file cannot lock a user out when they pass --server.
 */
#ifndef DOTPHA_CONFIG_H
#define DOTPHA_CONFIG_H

#include <stddef.h>
#include <stdio.h>

#define CONFIG_DEFAULT_HOST "127.0.0.1"
#define CONFIG_DEFAULT_PORT "7878"
#define CONFIG_DEFAULT_TIMEOUT 30 /* seconds */

enum config_source {
	CONFIG_DEFAULT = 0, /* nothing set: 127.0.0.1:7878 */
	CONFIG_FLAG,        /* --server */
	CONFIG_ENV,         /* DOTPHA_SERVER */
	CONFIG_FILE,        /* the config file's `server` */
};

struct config {
	char server[256];  /* the address as the user wrote it */
	char host[256];    /* host name or address, IPv6 without brackets */
	char port[8];      /* decimal port */
	int source;        /* enum config_source: where `server` came from */
	char path[1024];   /* the config file looked at, "" if there is no home */
	unsigned timeout;  /* the file's `timeout`, 0 if not set */
};

/* Writes the config file's path for the given values of XDG_CONFIG_HOME and
 * HOME (either may be NULL or empty).  Returns 0, or -1 if neither is set. */
int config_path(const char *xdg, const char *home, char *out, size_t n);

/* Reads the config file at path into c (server, timeout), leaving fields the
 * file does not set alone.  A missing file is not an error.  Problems in the
 * file are written to warn as "dotpha: PATH:LINE: problem" and skipped. */
void config_read_file(const char *path, struct config *c, FILE *warn);

/* Splits "HOST:PORT", "[IPV6]:PORT", "HOST" or a bare IPv6 address (the
 * port defaults to 7878).  Returns 0, or -1 with a reason in msg. */
int config_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen,
		 char *msg, size_t msglen);

/* Fills *c by the precedence above.  flag is --server's value or NULL;
 * env_server, xdg and home are the environment's values (NULL if unset),
 * passed in so tests control them.  Returns 0, or -1 with msg naming the
 * source whose address is malformed. */
int config_resolve(struct config *c, const char *flag, const char *env_server,
		   const char *xdg, const char *home, FILE *warn, char *msg, size_t msglen);

#endif
