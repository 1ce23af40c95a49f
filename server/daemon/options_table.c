/*
 * options_table.c: see options_table.h.  The texts are English: dotphad
 * is run by the central office's administrator, whose tools (systemd,
 * journalctl, the config file) speak English too.
 */
#include "options_table.h"

#include <stddef.h>
#include <string.h>

const struct options_form options_forms[] = {
	{"dotphad [options]", "serve the task registry"},
	{"dotphad [--db PATH] demo [--scale N]",
	 "load the deterministic demo province into an empty database (see `dotphad demo --help`)"},
	{"dotphad [--db PATH] --check [--anchor FILE]",
	 "check the database and its audit trail (held to the anchors of FILE), then exit: 0 if "
	 "all is well, 1 if not (a warning about file modes alone: 0)"},
	{"dotphad gen-cert --cert FILE --key FILE [--name HOST ...] [--days N]",
	 "make a self-signed certificate for TLS"},
	{"dotphad restore FILE [--db PATH]",
	 "put a backup (dotpha admin backup) in place of a stopped daemon's database, once it "
	 "passes --check; the old one kept aside"},
	{NULL, NULL},
};

const struct options_spec options_table[] = {
	{"--listen", "HOST:PORT", "address to serve (default 127.0.0.1:7878; port 0 picks one)"},
	{"--tls-cert", "FILE", "serve TLS with this certificate (chain, PEM)..."},
	{"--tls-key", "FILE",
	 "...and its private key (PEM); without them the daemon serves plaintext, and only on a "
	 "loopback address"},
	{"--tls-client-ca", "FILE",
	 "require a client certificate these CAs vouch for (a file of the offices' self-signed "
	 "certificates will do)"},
	{"--insecure-plaintext", NULL, "serve plaintext on another address too (logs a warning)"},
	{"--config", "FILE",
	 "read options from FILE: one `name value` (or `name = value`) a line, names as here "
	 "without the dashes, `#` comments; options on the command line win; an error names "
	 "the file and the line"},
	{"--db", "PATH", "database file, created on first start (default var/dotpha.db)"},
	{"--log-level", "LEVEL", "debug, info, warn or error (default info)"},
	{"--max-message", "BYTES", "largest request accepted (default 1048576)"},
	{"--max-reply", "BYTES", "largest answer sent; a bigger one is too_large (default 7340032)"},
	{"--max-clients", "N", "connections served at once (default 1024)"},
	{"--max-unauth-per-address", "N",
	 "connections from one address that have not signed in (default 64); more are answered "
	 "too_many_clients"},
	{"--max-output-total", "BYTES",
	 "reply bytes queued for all clients together (default 268435456); past it the slowest "
	 "readers are disconnected"},
	{"--log-file", "FILE", "append the log to FILE instead of stderr"},
	{"--anchor-file", "FILE",
	 "append the audit trail's head (\"AT ID HASH\") to FILE when it moved, every "
	 "--anchor-every seconds and at stop; it is logged too (\"audit anchor:\").  Keep FILE "
	 "on another disk or ship it (or the log) elsewhere: whoever can rewrite the database "
	 "must not be able to rewrite it"},
	{"--anchor-every", "SEC", "how often the head is looked at (default 60)"},
	{"--port-file", "PATH", "write the bound port there once listening"},
	{"--auth-timeout", "SEC", "a connection must sign in within SEC seconds (default 15)"},
	{"--idle-timeout", "SEC", "close a connection quiet for SEC seconds (default 300)"},
	{"--keep-requests", "DAYS",
	 "keep the outcomes of requests (for retries by request_id) DAYS days (default 30)"},
	{"--upload-quota", "BYTES",
	 "evidence files a unit may hold, counted on the unit of their task (default "
	 "2147483648, 2 GiB; 0: no quota); past it file.upload_begin answers conflict"},
	{"--min-free", "BYTES",
	 "free space uploads leave on the database's disk (default 536870912, 512 MiB; 0: no "
	 "floor); below it uploads are answered storage_full, and reads go on"},
	{"--message-timeout", "SEC",
	 "a message begun must arrive whole within SEC seconds (default 60); SEC may have "
	 "decimals: 0.5"},
	{"--stalled-days", "N", "a task with no progress update for N days is stalled (default 30)"},
	{"--at-risk-margin", "N",
	 "a task more than N points behind its planned percent is at risk (default 15)"},
	{"--mail-via", "HOW",
	 "send e-mail notices: `sendmail` (the system's /usr/sbin/sendmail, as Debian's MTAs and "
	 "msmtp provide it, run as `sendmail -oi -t`), `sendmail:PATH`, `smtp://HOST[:PORT]` (a "
	 "relay; STARTTLS is required) or `smtps://HOST[:PORT]` (TLS from the start); "
	 "`smtp+insecure://127.0.0.1:PORT` speaks without TLS to a relay on this machine only "
	 "(tests).  Without it the outbox fills and nothing is sent"},
	{"--mail-from", "ADDRESS", "the sender of the notices (default dotpha@ the host name)"},
	{"--mail-user", "LOGIN", "the relay's login (SMTP AUTH)"},
	{"--mail-password-file", "FILE", "the relay's password: the first line of FILE"},
	{"--mail-ca", "FILE",
	 "check the relay's certificate against the CAs of FILE (PEM) instead of the system's: "
	 "a province's own CA"},
	{"--mail-retry", "SEC",
	 "after a failed attempt a message waits SEC seconds (default 60), doubled at each "
	 "further failure up to an hour; a relay's 5xx refusal is final"},
	{"--digest-at", "HH:MM",
	 "the local time (in --timezone) the daily digests are made (default 07:30); a daemon "
	 "started later makes the day's at once"},
	{"--timezone", "ZONE",
	 "the local time of the province: every date the server records or judges (today, the "
	 "day a task was reported done, overdue) is a day in ZONE, whatever the machine's own "
	 "zone (default Asia/Ho_Chi_Minh; an IANA name, or a POSIX TZ string such as <+07>-7); "
	 "read at start"},
	{"--clock", "DATE[THH:MM:SS]",
	 "for tests and trials only: start the server's clock at that local moment (it runs on "
	 "from there); every date and moment the server records or judges uses it"},
	{"--check", NULL,
	 "check instead of serving: prints the schema version, SQLite's integrity check, "
	 "whether the search index is in step and the audit trail's hash chain, and warns when "
	 "group or others may read or write the database, its -wal or -shm (mode over 0600) or "
	 "its directory (over 0700), with the chmod to run; such a warning does not change the "
	 "exit status"},
	{"--anchor", "FILE",
	 "with --check: the chain must hold every anchor of FILE (lines \"AT ID HASH\", as "
	 "--anchor-file writes them)"},
	{"--version", NULL, "print the version"},
	{"--help", NULL, "this text"},
	{NULL, NULL, NULL},
};

const struct options_note options_notes[] = {
	{"SIGNALS",
	 "SIGINT or SIGTERM stops the daemon cleanly: it stops accepting, answers what arrives "
	 "in the next 250 ms, closes each connection after its last reply, closes the database "
	 "and exits 0."},
	{"LOGGING",
	 "Logs go to stderr, or to --log-file, each line with the local time; when stderr is "
	 "the journal's (systemd), with its syslog priority instead (<3> error, <4> warn, <6> "
	 "info, <7> debug)."},
	{"SYSTEMD",
	 "Under systemd's Type=notify it says READY=1 once listening, RELOADING=1 and READY=1 "
	 "around SIGHUP, and STOPPING=1 (sd_notify, to $NOTIFY_SOCKET)."},
	{"SIGNALS",
	 "SIGHUP reopens --log-file (after logrotate) and re-reads --config: --log-level, "
	 "--log-file, the three timeouts, --max-clients, --max-unauth-per-address, "
	 "--max-output-total, --keep-requests, --upload-quota and --min-free take effect at "
	 "once; the others are read at the next start."},
	{"FILES",
	 "Files dotphad makes (the database, its -wal and -shm, backup copies, the admin token, "
	 "the log) are readable by its own user only, whatever the umask."},
	{NULL, NULL},
};

const struct options_spec *options_find(const char *a)
{
	for (const struct options_spec *o = options_table; o->name; o++)
		if (strcmp(o->name, a) == 0)
			return o;
	return NULL;
}
