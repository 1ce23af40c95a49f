/*
 * helpers.h: plain-C helpers for the integration tests: start the real
 * dotphad on an ephemeral loopback port with a temporary database, run the
 * real dotpha against it, and talk raw MessagePack-RPC to it.  No Criterion
 * here, so the helpers can serve other harnesses too.
 */
#ifndef DOTPHA_TEST_HELPERS_H
#define DOTPHA_TEST_HELPERS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <msgpack.h>

struct daemon {
	pid_t pid;        /* the dotphad process, 0 when not running */
	int port;         /* its bound port on 127.0.0.1 */
	char dir[256];    /* temporary directory holding db, log and port file */
	char db[300];     /* database path */
	char log[300];    /* the daemon's stderr */
	char token[128];  /* the first admin's token, read from <db>.admin-token */
	char fingerprint[100]; /* the certificate's SHA-256 when serving TLS, else "" */
};

/* True when $DOTPHA_TEST_TLS is set (not "0"): daemon_start() serves TLS
 * with a certificate made for the test (`dotphad gen-cert`), and
 * client_run() and client_spawn() pin it with --fingerprint, so a suite
 * runs over TLS unchanged.  Raw connections (raw_connect) stay plaintext:
 * tests that need them skip themselves under it. */
int helpers_tls(void);

/* Makes a certificate and key in d->dir with `dotphad gen-cert` for
 * 127.0.0.1 and localhost, and puts its fingerprint in d->fingerprint.
 * Returns 0 or -1. */
int daemon_make_cert(struct daemon *d);

/* In a child between fork and exec: every signal's default disposition,
 * none blocked, umask 022, as a shell or systemd starts a program.  A test
 * runner that ignores SIGPIPE would otherwise pass that on through exec
 * and hide a daemon that dies of it. */
void helpers_child_defaults(void);

/* The build directory: $DOTPHA_BUILD or "build". */
const char *helpers_build_dir(void);

/* Makes a fresh temporary directory for d.  Returns 0 or -1. */
int daemon_prepare(struct daemon *d);

/* Starts dotphad on d's database with extra arguments (NULL-terminated
 * list, may be NULL) and waits until it listens.  Then reads the first
 * admin's token into d->token and exports it as DOTPHA_TOKEN, so every
 * dotpha the test runs is signed in as admin (unsetenv to test without).
 * Returns 0 or -1. */
int daemon_start(struct daemon *d, const char *const *extra);

/* Sends sig and waits up to timeout_ms for exit.  Returns the exit status
 * (0..255), 128+signal if killed, or -1 on timeout (then it is SIGKILLed). */
int daemon_signal_wait(struct daemon *d, int sig, int timeout_ms);

/* Stops a running daemon with SIGTERM (10 s) and returns its exit status,
 * 0 when it is not running.  Any other status keeps the test directory
 * (DOTPHA_KEEP_TEST_DIR) so its log can be read: under the sanitizer
 * build an error found in dotphad, or a leak at exit, shows this way. */
int daemon_stop(struct daemon *d);

/* Signs the raw connection fd in with d's admin token.  Returns 0, or -1
 * if the server did not answer with a result. */
int raw_auth(int fd, const struct daemon *d);

/* Stops the daemon (SIGTERM) and removes the directory. */
void daemon_cleanup(struct daemon *d);

/* Runs build/dotpha --server 127.0.0.1:PORT followed by args (NULL-terminated).
 * *out and *err receive malloc'ed NUL-terminated stdout and stderr (caller
 * frees; may pass NULL to discard).  Returns the exit status, or -1. */
int client_run(const struct daemon *d, char **out, char **err, const char *const *args);

/* Runs a command and captures its output the same way.  argv[0] is a path. */
int helpers_run(const char *const *argv, char **out, char **err);

/* Starts build/dotpha --server 127.0.0.1:PORT followed by args
 * (NULL-terminated) without waiting for it.  Its stdout and stderr go to
 * the files out_path and err_path (created or truncated).  If gate_fd is
 * not -1 the child first blocks reading one byte from gate_fd (a pipe made
 * with O_CLOEXEC), so that many children, released together by writing one
 * byte per child, start at once.  Returns the child's pid, or -1; reap it
 * with helpers_wait(). */
pid_t client_spawn(const struct daemon *d, int gate_fd, const char *out_path,
		   const char *err_path, const char *const *args);

/* Waits for a child.  Returns its exit status (0..255), 128+signal if it
 * was killed, or -1. */
int helpers_wait(pid_t pid);

/* The words of text that a Vietnamese screen must not show: the English
 * ones.  text is split at blanks; punctuation around a word is dropped; a
 * word with a digit, a '_' or one of / @ = $ ~ \ # % (an id, a code, a
 * path, an address, a date) or with a letter beyond ASCII (Vietnamese) is
 * left alone; an option (-x, --name) must be in allow whole; any other
 * word is cut at . - : ' | and each piece must be in allow.  allow is a
 * list of words separated by blanks, compared in any case.  Returns the
 * words not allowed, one a line, each once (malloc'ed, caller frees; ""
 * when there are none). */
char *helpers_foreign_words(const char *text, const char *allow);

/* The whole file at path as a malloc'ed NUL-terminated string (caller
 * frees), or NULL if it cannot be read. */
char *helpers_read_file(const char *path);

/* Makes home/dotpha/config (the client's config file when $HOME or
 * $XDG_CONFIG_HOME is home) hold exactly text.  Returns 0 or -1. */
int helpers_client_config(const char *home, const char *text);

/* A home of the test's own for the client (HOME and XDG_CONFIG_HOME in a
 * new directory under /tmp named from `tag`, written to home[0..n)), with
 * none of the runner's DOTPHA_LANG, DOTPHA_SERVER, DOTPHA_TOKEN.  Returns
 * 0, or -1 if the directory cannot be made. */
int helpers_client_home(const char *tag, char *home, size_t n);

/* Reads the C string literals at *pp (blanks before each), joined as the
 * compiler joins them, with the <inttypes.h> PRI macros between them
 * expanded and escapes undone, into out (cap bytes, NUL-terminated);
 * *pp moves past them.  False when there is none, or no room. */
bool helpers_c_literals(const char **pp, char *out, size_t cap);

/* Removes dir and everything in it; 0 or -1. */
int helpers_remove_tree(const char *dir);

/* A blocking TCP connection to 127.0.0.1:port, or -1. */
int raw_connect(int port);

/* Sends all bytes.  Returns 0 or -1. */
int raw_send(int fd, const void *p, size_t n);

/* Reads one whole MessagePack message into *u (caller destroys), waiting
 * at most timeout_ms.  Returns 1, 0 on EOF, -1 on error or timeout. */
int raw_recv(int fd, msgpack_unpacker *up, msgpack_unpacked *u, int timeout_ms);

/* Packs and sends a request whose params map is given as msgpack bytes
 * (already packed by the caller; NULL for no fields). */
int raw_request(int fd, uint32_t msgid, const char *method, const char *params, size_t len);

#endif
