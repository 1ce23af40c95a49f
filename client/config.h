/*
 * config.h: where the server is, the token to sign in with, and the other
 * settings a user keeps.
 *
 * The server address comes from the first of: `--server HOST:PORT`, the
 * environment variable DOTPHA_SERVER, the `server` key of the config file
 * ($XDG_CONFIG_HOME/dotpha/config, else ~/.config/dotpha/config), and
 * finally 127.0.0.1:7878.  The token comes from DOTPHA_TOKEN, else the
 * file's `token` key; a file holding a token must be private to its owner
 * (config_token() refuses it otherwise).  The file holds `key = value`
 * lines; `#` starts a comment; keys are `server`, `token`, `timeout`
 * (seconds), `lang` (`vi` or `en`: the language of what dotpha prints,
 * after --lang and DOTPHA_LANG; lang.h) and `timezone` (the zone local
 * times are shown in, an IANA name, default Asia/Ho_Chi_Minh; fmt.h) and
 * `notices` (`on`, the default, or `off`: no line after a command saying
 * what waits for the account; notice.h).  A bad line or an unknown key is reported as a warning and
 * skipped, never fatal, so a broken file cannot lock a user out when they
 * pass --server.  `dotpha login` and `logout` rewrite the file with
 * config_save(), keeping every other line.
 *
 * TLS (README, TLS): the address may start with `tls://` (always TLS) or
 * `tcp://` (never); without either, TLS is used for any host but a
 * loopback one, and for a loopback one when a CA or a fingerprint is
 * given.  The file's `ca = FILE` names the CAs to verify the server with;
 * each `fingerprint = HOST:PORT SHA256` line pins the certificate of one
 * server (`dotpha login` writes it on first contact, config_save_pin()).
 * `cert = FILE` and `key = FILE` name this client's own certificate, for a
 * daemon that asks for one (--tls-client-ca).
 */
#ifndef DOTPHA_CONFIG_H
#define DOTPHA_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "strbuf.h"

#define CONFIG_DEFAULT_HOST "127.0.0.1"
#define CONFIG_DEFAULT_PORT "7878"
#define CONFIG_DEFAULT_TIMEOUT 30 /* seconds */
#define CONFIG_TOKEN_PREFIX "dp1_"
#define CONFIG_TOKEN_LEN 68       /* "dp1_" and 64 hex digits */
#define CONFIG_MAX_PINS 16        /* fingerprint lines read from the file */

enum config_scheme {
	CONFIG_SCHEME_AUTO = 0, /* HOST:PORT: TLS unless loopback without CA or pin */
	CONFIG_SCHEME_TLS,      /* tls://HOST:PORT */
	CONFIG_SCHEME_PLAIN,    /* tcp://HOST:PORT */
};

enum config_source {
	CONFIG_DEFAULT = 0, /* nothing set: 127.0.0.1:7878, or no token */
	CONFIG_FLAG,        /* --server (or login's --token) */
	CONFIG_ENV,         /* DOTPHA_SERVER, DOTPHA_TOKEN */
	CONFIG_FILE,        /* the config file */
};

/* The environment's values (NULL when unset), passed in so tests control
 * them. */
struct config_env {
	const char *server; /* DOTPHA_SERVER */
	const char *token;  /* DOTPHA_TOKEN */
	const char *xdg;    /* XDG_CONFIG_HOME */
	const char *home;   /* HOME */
};

struct config {
	char server[256];  /* the address as the user wrote it */
	char file_server[256]; /* the file's `server` (its token's server), "" if none */
	char host[256];    /* host name or address, IPv6 without brackets */
	char port[8];      /* decimal port */
	int source;        /* enum config_source: where `server` came from */
	char path[1024];   /* the config file looked at, "" if there is no home */
	char shown[1100];  /* path as shown to people: ~ for $HOME, quoted for a shell */
	unsigned timeout;  /* the file's `timeout`, 0 if not set */
	char token[128];   /* the token to sign in with, "" if none */
	int token_source;  /* enum config_source: CONFIG_ENV, CONFIG_FILE, or CONFIG_DEFAULT (none) */
	bool file_token;   /* the file has a `token` line */
	int file_access;   /* enum sys_file_access of the file, if it was read */
	int scheme;        /* enum config_scheme of `server` */
	char ca[1024];     /* the file's `ca`, "" if none */
	char cert[1024];   /* the file's `cert`: this client's certificate, "" if none */
	char key[1024];    /* the file's `key`: its key */
	char pins[CONFIG_MAX_PINS][400]; /* the file's `fingerprint` values: "HOST:PORT FP" */
	int npins;
	char lang[8];      /* the file's `lang` ("vi", "en"), "" if none or not one */
	char timezone[64]; /* the file's `timezone`, "" if none */
	bool notices_off;  /* the file's `notices = off`: no line of what waits (notice.h) */
};

/* The fingerprint pinned for the server "HOST:PORT" (as rpc's `where`
 * writes it) in c's file, or NULL. */
const char *config_pin(const struct config *c, const char *where);

/* True if host is a loopback address or "localhost". */
bool config_loopback(const char *host);

/* Rewrites the text of a config file so that its only fingerprint line for
 * where is `fingerprint = WHERE FP`, in place of the first old one or at
 * the end.  Returns 0, or -1 if memory ran out. */
int config_edit_pin(const char *old, size_t len, const char *where, const char *fp,
		    struct strbuf *out);

/* Edits the file at path so, as config_save() does.  Returns 0 or -1 with a
 * reason. */
int config_save_pin(const char *path, const char *where, const char *fp, char *msg,
		    size_t msglen);

/* Writes the config file's path for the given values of XDG_CONFIG_HOME and
 * HOME (either may be NULL or empty).  Returns 0, or -1 if neither is set. */
int config_path(const char *xdg, const char *home, char *out, size_t n);

/* Writes path as people should see and type it: "~/..." when it is under
 * home, and quoted for a POSIX shell when it holds other characters than
 * letters, digits and ./_-+,:@%. */
void config_shown_path(const char *path, const char *home, char *out, size_t n);

/* Reads the config file at path into c (server, timeout, token), leaving
 * fields the file does not set alone.  A missing file is not an error.
 * Problems in the file are written to warn as "dotpha: PATH:LINE: problem"
 * and skipped. */
void config_read_file(const char *path, struct config *c, FILE *warn);

/* Fills *c with what the config file of env says (lang and timezone are
 * what it is for: they are needed before the command line is checked),
 * silently: config_resolve() reads the file again and warns.  The token
 * read on the way is wiped. */
void config_prefs(struct config *c, const struct config_env *env);

/* Splits "HOST:PORT", "[IPV6]:PORT", "HOST" or a bare IPv6 address (the
 * port defaults to 7878).  Returns 0, or -1 with a reason in msg. */
int config_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen,
		 char *msg, size_t msglen);

/* Fills *c by the precedence above.  flag is --server's value or NULL.
 * Returns 0, or -1 with msg naming the source whose address is malformed
 * (the token is read but not judged: see config_token()). */
int config_resolve(struct config *c, const char *flag, const struct config_env *env,
		   FILE *warn, char *msg, size_t msglen);

/* True if s looks like a dotpha token: "dp1_" and 64 hex digits. */
bool config_token_valid(const char *s);

/* Checks that c->token may be used: a token from the file needs a file
 * that only its owner can use, and any token must look like one.  When
 * DOTPHA_TOKEN overrides a token in a file open to others, a warning goes
 * to warn.  Returns 0 (also when there is no token), or -1 with the reason
 * in msg (never the token itself). */
int config_token(const struct config *c, FILE *warn, char *msg, size_t msglen);

/* True if c's token is the file's and was saved there (by `dotpha
 * login`, with the `server` line) for the very server c names: the same
 * host and port, whatever the scheme. */
bool config_token_is_for_server(const struct config *c);

/* Rewrites the text of a config file: the first `server` line becomes
 * `server = SERVER` (if server is not NULL) and the first `token` line
 * `token = TOKEN` (token NULL: every token line goes); later lines for the
 * same keys go, missing ones are appended, and every other line (comments,
 * blanks, other keys, lines it cannot read) stays as it was.  *had_token
 * tells whether old held a token line.  Returns 0, or -1 if memory ran out. */
int config_edit(const char *old, size_t len, const char *server, const char *token,
		struct strbuf *out, bool *had_token);

/* Edits the file at path as config_edit() says and replaces it atomically
 * with a file of mode 0600, creating its directory (0700) if missing.
 * *had_token as above.  Returns 0, or -1 with a reason. */
int config_save(const char *path, const char *server, const char *token, bool *had_token,
		char *msg, size_t msglen);

#endif
