/*
 * test_tls.c: TLS on the wire, with the real dotphad and dotpha and
 * certificates made at test time: pinning on first contact and a changed
 * certificate, a CA file with a good, a wrong-name and an expired
 * certificate, TLS on one side only, a handshake that stalls while others
 * are served, the refusal to send a token in clear, and a recording relay
 * that shows what crosses the wire (the token and a task title: never in
 * clear over TLS; in clear over plaintext, the control).  After each
 * refusal the daemon is still up and serving.
 */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include "helpers.h"
#include "tls.h"

#define SUITE_TIMEOUT 120
#define TITLE "Kè chống sạt lở bờ sông Lô đoạn qua thành phố (relay-canary-7f3c)"

static struct daemon d;
static char out_buf[8][300]; /* paths and addresses the tests build */

static void isolate(void)
{
	setenv("XDG_CONFIG_HOME", d.dir, 1);
	setenv("HOME", d.dir, 1);
	unsetenv("DOTPHA_SERVER");
	unsetenv("DOTPHA_TEST_TLS"); /* this suite chooses its transport itself */
}

/* A fresh directory, a certificate in it (d.fingerprint), and the daemon
 * serving TLS with it plus the options `extra` (up to 4 words). */
static void start_tls(const char *const *extra)
{
	const char *argv[12] = {"--tls-cert", out_buf[0], "--tls-key", out_buf[1]};
	int n = 4;

	cr_assert_eq(daemon_prepare(&d), 0);
	isolate();
	cr_assert_eq(daemon_make_cert(&d), 0, "dotphad gen-cert failed");
	snprintf(out_buf[0], sizeof(out_buf[0]), "%s/cert.pem", d.dir);
	snprintf(out_buf[1], sizeof(out_buf[1]), "%s/key.pem", d.dir);
	for (; extra && *extra && n < 10; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	cr_assert_eq(daemon_start(&d, argv), 0, "dotphad did not start (see %s)", d.log);
}

static void start_plain(void)
{
	cr_assert_eq(daemon_prepare(&d), 0);
	isolate();
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
}

static void stop(void)
{
	int status = daemon_stop(&d);

	cr_expect_eq(status, 0, "dotphad exited %d on SIGTERM (log: %s)", status, d.log);
	daemon_cleanup(&d);
}

/* Runs dotpha with exactly these arguments (no --server added). */
static int dotpha(char **out, char **err, const char *const *args)
{
	char bin[300];
	const char *argv[32];
	int n = 0;

	snprintf(bin, sizeof(bin), "%s/dotpha", helpers_build_dir());
	argv[n++] = bin;
	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return helpers_run(argv, out, err);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

/* A pseudo-terminal: returns its master side (non-blocking) and puts its
 * slave side, the terminal a program sees, in *slave. */
static int open_pty(int *slave)
{
	int m = posix_openpt(O_RDWR | O_NOCTTY);

	cr_assert(m >= 0 && grantpt(m) == 0 && unlockpt(m) == 0, "no pseudo-terminal");
	*slave = open(ptsname(m), O_RDWR | O_NOCTTY);
	cr_assert(*slave >= 0, "cannot open %s", ptsname(m));
	cr_assert_eq(fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK), 0);
	return m;
}

/* Runs dotpha with exactly these arguments and its stdin on the
 * pseudo-terminal `answer` is typed on once the [y/N] question is on its
 * stderr (answer NULL: stdin is /dev/null, no terminal).  *out and *err
 * are malloc'ed as helpers_run gives them; returns the exit status. */
static int dotpha_asked(const char *answer, char **out, char **err, const char *const *args)
{
	char bin[300], opath[320], epath[320], echo[256];
	const char *argv[32];
	int n = 0, status = 0, master = -1, in;
	bool typed = false;
	pid_t pid;

	snprintf(bin, sizeof(bin), "%s/dotpha", helpers_build_dir());
	snprintf(opath, sizeof(opath), "%s/asked.out", d.dir);
	snprintf(epath, sizeof(epath), "%s/asked.err", d.dir);
	argv[n++] = bin;
	for (; *args && n < 31; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (answer)
		master = open_pty(&in);
	else
		in = open("/dev/null", O_RDONLY);
	cr_assert(in >= 0);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid == 0) {
		int o = open(opath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int e = open(epath, O_WRONLY | O_CREAT | O_TRUNC, 0600);

		helpers_child_defaults();
		if (o < 0 || e < 0 || dup2(in, 0) < 0 || dup2(o, 1) < 0 || dup2(e, 2) < 0)
			_exit(126);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(in);
	for (int waited = 0; waitpid(pid, &status, WNOHANG) == 0; waited += 10) {
		if (master >= 0) {
			char *said = helpers_read_file(epath);

			while (read(master, echo, sizeof(echo)) > 0)
				; /* the terminal's echo */
			if (!typed && said && strstr(said, "[y/N]")) {
				cr_assert_eq(write(master, answer, strlen(answer)), (ssize_t)strlen(answer));
				typed = true;
			}
			free(said);
		}
		if (waited > 20000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
		usleep(10000);
	}
	if (master >= 0)
		close(master);
	*out = helpers_read_file(opath);
	*err = helpers_read_file(epath);
	cr_assert(*out && *err);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* The config file's text ("" when there is none; caller frees). */
static char *config_text(void)
{
	char path[320], *text;

	snprintf(path, sizeof(path), "%s/dotpha/config", d.dir);
	text = helpers_read_file(path);
	return text ? text : strdup("");
}

/* "127.0.0.1:PORT" with an optional scheme, in slot i of out_buf. */
static const char *addr(int i, const char *scheme, const char *host)
{
	snprintf(out_buf[i], sizeof(out_buf[i]), "%s%s:%d", scheme, host, d.port);
	return out_buf[i];
}

static bool daemon_alive(void)
{
	int status;

	return d.pid > 0 && waitpid(d.pid, &status, WNOHANG) == 0;
}

static bool log_has(const char *what)
{
	char *log = helpers_read_file(d.log);
	bool yes = log && strstr(log, what);

	free(log);
	return yes;
}

/* A certificate and key made with tls_make_cert into d.dir/NAME.pem and
 * NAME.key, for names, from `from` days for `days` days. */
static const char *make_cert(const char *name, const char *const *names, size_t n, long from,
			     long days, char *key, size_t keylen)
{
	static char cert[8][320];
	static int next;
	char *c = cert[next++ % 8], why[300];

	snprintf(c, sizeof(cert[0]), "%s/%s.pem", d.dir, name);
	snprintf(key, keylen, "%s/%s.key", d.dir, name);
	cr_assert_eq(tls_make_cert(c, key, names, n, from, days, why, sizeof(why)), 0, "%s", why);
	return c;
}

/* Serves TLS with that pair on the daemon's port, after stopping it. */
static void restart_with(const char *cert, const char *key)
{
	char listen[64];
	const char *argv[] = {"--tls-cert", cert, "--tls-key", key, "--listen", listen, NULL};

	snprintf(listen, sizeof(listen), "127.0.0.1:%d", d.port);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 10000), 0);
	cr_assert_eq(daemon_start(&d, argv), 0, "dotphad did not restart (see %s)", d.log);
}

TestSuite(tls, .fini = stop, .timeout = SUITE_TIMEOUT);

Test(tls, gen_cert_writes_a_private_key_and_prints_the_fingerprint_the_daemon_logs)
{
	char cert[320], key[320], fp[TLS_FINGERPRINT_LEN];
	struct stat st;

	start_tls(NULL);
	snprintf(cert, sizeof(cert), "%s/cert.pem", d.dir);
	snprintf(key, sizeof(key), "%s/key.pem", d.dir);
	cr_assert_eq(stat(key, &st), 0);
	cr_assert_eq(st.st_mode & 0777, 0600, "the key file has mode %o", st.st_mode & 0777);
	cr_assert_eq(tls_cert_fingerprint(cert, fp), 0);
	cr_assert_str_eq(fp, d.fingerprint);
	cr_assert_eq(strlen(fp), 95);
	cr_assert(log_has(fp), "the daemon's log names its fingerprint");
	cr_assert(log_has("with TLS"));
}

Test(tls, login_shows_and_pins_the_fingerprint_and_a_changed_certificate_is_refused_loudly)
{
	char *out = NULL, *err = NULL, *conf, path[320], key[320], pinline[200];
	const char *names[] = {"127.0.0.1"}, *cert;
	char newfp[TLS_FINGERPRINT_LEN];
	int rc;

	start_tls(NULL);
	rc = dotpha_asked("y\n", &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"), "login",
						  "--token", d.token));
	cr_assert_eq(rc, 0, "login: %s", err);
	cr_assert(strstr(err, "lần đầu kết nối") && strstr(err, d.fingerprint),
		  "login shows the fingerprint: %s", err);
	free(out);
	free(err);
	snprintf(path, sizeof(path), "%s/dotpha/config", d.dir);
	conf = helpers_read_file(path);
	snprintf(pinline, sizeof(pinline), "fingerprint = 127.0.0.1:%d %s", d.port, d.fingerprint);
	cr_assert(conf && strstr(conf, pinline), "the pin is stored: %s", conf);
	free(conf);

	/* Later commands use the saved server and pin, without flags. */
	unsetenv("DOTPHA_TOKEN");
	rc = dotpha(&out, &err, ARGS("whoami"));
	cr_assert_eq(rc, 0, "whoami: %s", err);
	free(out);
	free(err);

	/* Another certificate on the same address: refused, naming both. */
	cert = make_cert("other", names, 1, 0, 30, key, sizeof(key));
	cr_assert_eq(tls_cert_fingerprint(cert, newfp), 0);
	restart_with(cert, key);
	rc = dotpha(&out, &err, ARGS("whoami"));
	cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "ĐÃ THAY ĐỔI") && strstr(err, d.fingerprint) && strstr(err, newfp),
		  "the error names both fingerprints: %s", err);
	cr_assert(strstr(err, "--fingerprint"), "and says what to do: %s", err);
	free(out);
	free(err);
	cr_assert(daemon_alive());
	/* The administrator's word: pinning the new one up front works. */
	rc = dotpha(&out, &err, ARGS("--fingerprint", newfp, "server", "info"));
	cr_assert_eq(rc, 0, "%s", err);
	free(out);
	free(err);
}

static const char *const debug_log[] = {"--log-level", "debug", NULL};

Test(tls, first_contact_without_a_terminal_or_a_fingerprint_is_refused_and_sends_no_token)
{
	char *out = NULL, *err = NULL, *conf;
	int rc;

	start_tls(debug_log);
	rc = dotpha_asked(NULL, &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"), "login",
						"--token", d.token));
	cr_assert_eq(rc, 2, "exit %d: %s", rc, err);
	cr_expect(strstr(err, d.fingerprint), "the fingerprint is shown: %s", err);
	cr_expect(strstr(err, "--fingerprint") && strstr(err, "văn phòng trung tâm"),
		  "and what to do: %s", err);
	cr_expect(strstr(err, "token chưa được gửi"), "%s", err);
	cr_expect(!strstr(err, "[y/N]"), "nobody to ask: %s", err);
	cr_expect_str_empty(out);
	free(out);
	free(err);
	/* It connected (the fingerprint is the daemon's), and stopped there:
	 * no sign-in reached the daemon, nothing was saved. */
	cr_expect(log_has("TLS handshake done"), "the client did connect");
	cr_expect(!log_has("signed in") && !log_has("sign-in failed"),
		  "a sign-in reached the daemon (%s)", d.log);
	conf = config_text();
	cr_expect(!strstr(conf, "token") && !strstr(conf, "fingerprint"), "saved: %s", conf);
	free(conf);
	cr_assert(daemon_alive());

	/* The script's way: the fingerprint the central office gave. */
	rc = dotpha_asked(NULL, &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"),
						"--fingerprint", d.fingerprint, "login", "--token",
						d.token));
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_expect(strstr(out, "Đã đăng nhập"), "%s", out);
	cr_expect(log_has("signed in"));
	free(out);
	free(err);
}

Test(tls, first_contact_on_a_terminal_asks_no_sends_no_token_and_yes_signs_in_and_pins)
{
	char *out = NULL, *err = NULL, *conf, pinline[200];
	int rc;

	start_tls(debug_log);
	rc = dotpha_asked("n\n", &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"), "login",
						 "--token", d.token));
	cr_assert_eq(rc, 2, "exit %d: %s", rc, err);
	cr_expect(strstr(err, d.fingerprint) && strstr(err, "[y/N]"), "asked: %s", err);
	cr_expect(strstr(err, "token chưa được gửi"), "%s", err);
	free(out);
	free(err);
	cr_expect(log_has("TLS handshake done"), "the client did connect");
	cr_expect(!log_has("signed in") && !log_has("sign-in failed"),
		  "a sign-in reached the daemon (%s)", d.log);
	conf = config_text();
	cr_expect(!strstr(conf, "token") && !strstr(conf, "fingerprint"), "saved: %s", conf);
	free(conf);
	/* An empty answer is no too. */
	rc = dotpha_asked("\n", &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"), "login",
						"--token", d.token));
	cr_expect_eq(rc, 2, "exit %d: %s", rc, err);
	free(out);
	free(err);
	cr_expect(!log_has("signed in"));

	rc = dotpha_asked("y\n", &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"), "login",
						 "--token", d.token));
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_expect(strstr(out, "Đã đăng nhập"), "%s", out);
	cr_expect(strstr(err, "đã ghim"), "%s", err);
	free(out);
	free(err);
	cr_expect(log_has("signed in"));
	conf = config_text();
	snprintf(pinline, sizeof(pinline), "fingerprint = 127.0.0.1:%d %s", d.port, d.fingerprint);
	cr_expect(strstr(conf, pinline) && strstr(conf, "token = dp1_"), "saved: %s", conf);
	free(conf);
	/* From now on: no question, the pin. */
	unsetenv("DOTPHA_TOKEN");
	rc = dotpha_asked(NULL, &out, &err, ARGS("whoami"));
	cr_expect_eq(rc, 0, "exit %d: %s", rc, err);
	free(out);
	free(err);
}

Test(tls, re_pinning_after_a_certificate_change_signs_in_with_the_saved_token)
{
	char *out = NULL, *err = NULL, *conf, key[320], pinline[200];
	const char *names[] = {"127.0.0.1"}, *cert;
	char newfp[TLS_FINGERPRINT_LEN];
	int rc;

	start_tls(NULL);
	rc = dotpha_asked(NULL, &out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"),
						"--fingerprint", d.fingerprint, "login", "--token",
						d.token));
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	free(out);
	free(err);
	cert = make_cert("renewed", names, 1, 0, 30, key, sizeof(key));
	cr_assert_eq(tls_cert_fingerprint(cert, newfp), 0);
	restart_with(cert, key);
	unsetenv("DOTPHA_TOKEN"); /* the saved token only (daemon_start sets it) */
	rc = dotpha_asked(NULL, &out, &err, ARGS("whoami"));
	cr_assert_eq(rc, 3, "the changed certificate is refused: %d %s", rc, err);
	free(out);
	free(err);

	/* The administrator's word, and no token to type again. */
	rc = dotpha_asked(NULL, &out, &err, ARGS("login", "--fingerprint", newfp));
	cr_assert_eq(rc, 0, "exit %d: %s", rc, err);
	cr_expect(strstr(out, "Đã đăng nhập"), "%s", out);
	cr_expect(strstr(err, "dùng token đã lưu"), "%s", err);
	free(out);
	free(err);
	conf = config_text();
	snprintf(pinline, sizeof(pinline), "fingerprint = 127.0.0.1:%d %s", d.port, newfp);
	cr_expect(strstr(conf, pinline), "the new pin is saved: %s", conf);
	cr_expect(!strstr(conf, d.fingerprint), "the old pin is gone: %s", conf);
	free(conf);
	rc = dotpha_asked(NULL, &out, &err, ARGS("whoami"));
	cr_expect_eq(rc, 0, "exit %d: %s", rc, err);
	free(out);
	free(err);
	/* Another server's token is not sent: that needs --token. */
	rc = dotpha_asked(NULL, &out, &err, ARGS("--server", "tls://localhost:1", "login",
						"--fingerprint", newfp));
	cr_expect_eq(rc, 2, "exit %d: %s", rc, err);
	cr_expect(strstr(err, "chưa có token"), "%s", err);
	free(out);
	free(err);
}

Test(tls, a_ca_file_verifies_the_name_and_a_wrong_name_is_refused)
{
	char *out = NULL, *err = NULL, key[320];
	const char *names[] = {"127.0.0.1"}, *cert;
	int rc;

	start_tls(NULL);
	cert = make_cert("ip-only", names, 1, 0, 30, key, sizeof(key));
	restart_with(cert, key);
	rc = dotpha(&out, &err, ARGS("--ca", cert, "--server", addr(2, "", "127.0.0.1"), "server",
				     "info"));
	cr_assert_eq(rc, 0, "the right name: %s", err);
	free(out);
	free(err);
	rc = dotpha(&out, &err, ARGS("--ca", cert, "--server", addr(2, "", "localhost"), "server",
				     "info"));
	cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "KHÔNG CẤP CHO 'localhost'"), "%s", err);
	free(out);
	free(err);
	/* A certificate no CA given vouches for. */
	rc = dotpha(&out, &err, ARGS("--ca", out_buf[0], "--server",
				     addr(2, "", "127.0.0.1"), "server", "info"));
	cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "KHÔNG ĐƯỢC TIN CẬY"), "%s", err);
	free(out);
	free(err);
	cr_assert(daemon_alive());
}

Test(tls, an_expired_certificate_is_refused_pinned_or_with_a_ca)
{
	char *out = NULL, *err = NULL, key[320], fp[TLS_FINGERPRINT_LEN];
	const char *names[] = {"127.0.0.1", "localhost"}, *cert;
	int rc;

	start_tls(NULL);
	cert = make_cert("expired", names, 2, -40, 10, key, sizeof(key));
	cr_assert_eq(tls_cert_fingerprint(cert, fp), 0);
	restart_with(cert, key);
	rc = dotpha(&out, &err, ARGS("--fingerprint", fp, "--server", addr(2, "", "127.0.0.1"),
				     "server", "info"));
	cr_assert_eq(rc, 3, "pinned: exit %d: %s", rc, err);
	cr_assert(strstr(err, "ĐÃ HẾT HẠN"), "%s", err);
	free(out);
	free(err);
	rc = dotpha(&out, &err, ARGS("--ca", cert, "--server", addr(2, "", "127.0.0.1"), "server",
				     "info"));
	cr_assert_eq(rc, 3, "with a CA: exit %d: %s", rc, err);
	cr_assert(strstr(err, "ĐÃ HẾT HẠN"), "%s", err);
	free(out);
	free(err);
	cr_assert(daemon_alive());
}

Test(tls, a_plaintext_client_on_a_tls_port_is_told_and_the_daemon_serves_on)
{
	char *out = NULL, *err = NULL;
	int rc;

	start_tls(NULL);
	rc = dotpha(&out, &err, ARGS("--server", addr(2, "tcp://", "127.0.0.1"), "server", "info"));
	cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "accepts TLS connections only"), "%s", err);
	free(out);
	free(err);
	cr_assert(log_has("not a TLS client"));
	rc = dotpha(&out, &err, ARGS("--fingerprint", d.fingerprint, "--server",
				     addr(2, "", "127.0.0.1"), "server", "info"));
	cr_assert_eq(rc, 0, "a TLS client after it: %s", err);
	free(out);
	free(err);
}

Test(tls, a_tls_client_on_a_plaintext_port_is_told_and_the_daemon_serves_on)
{
	char *out = NULL, *err = NULL;
	int rc;

	start_plain();
	rc = dotpha(&out, &err, ARGS("--server", addr(2, "tls://", "127.0.0.1"), "server", "info"));
	cr_assert_eq(rc, 3, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "không dùng TLS"), "%s", err);
	free(out);
	free(err);
	rc = dotpha(&out, &err, ARGS("--server", addr(2, "", "127.0.0.1"), "server", "info"));
	cr_assert_eq(rc, 0, "a plaintext client after it: %s", err);
	free(out);
	free(err);
}

/* Waits up to limit_ms for the server to close fd; true if it did. */
static bool closed_by_server(int fd, int limit_ms)
{
	struct pollfd p = {fd, POLLIN, 0};
	char buf[256];

	while (poll(&p, 1, limit_ms) == 1) {
		ssize_t n = recv(fd, buf, sizeof(buf), 0);

		if (n == 0 || (n < 0 && errno == ECONNRESET))
			return true;
		if (n < 0)
			return false;
	}
	return false;
}

Test(tls, a_stalled_handshake_is_closed_at_its_deadline_while_others_are_served)
{
	static const char *const extra[] = {"--message-timeout", "1", NULL};
	/* A TLS record header announcing a 512-byte ClientHello, then nothing. */
	static const unsigned char partial[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01};
	char *out = NULL, *err = NULL;
	int stalled, silent, rc;

	start_tls(extra);
	stalled = raw_connect(d.port);
	silent = raw_connect(d.port);
	cr_assert(stalled >= 0 && silent >= 0);
	cr_assert_eq(raw_send(stalled, partial, sizeof(partial)), 0);
	/* Others are served meanwhile, sign-in and all. */
	for (int i = 0; i < 3; i++) {
		rc = dotpha(&out, &err, ARGS("--fingerprint", d.fingerprint, "--server",
					     addr(2, "", "127.0.0.1"), "whoami"));
		cr_assert_eq(rc, 0, "served while a handshake stalls: %s", err);
		free(out);
		free(err);
	}
	cr_assert(closed_by_server(stalled, 20000), "the stalled handshake was not closed");
	cr_assert(closed_by_server(silent, 20000), "the silent connection was not closed");
	close(stalled);
	close(silent);
	cr_assert(log_has("timeout: the TLS handshake did not complete within 1000 ms"));
	cr_assert(daemon_alive());
}

Test(tls, a_token_is_never_sent_in_clear_to_an_address_other_than_loopback)
{
	char *out = NULL, *err = NULL;
	int rc;

	start_plain();
	rc = dotpha(&out, &err, ARGS("--server", "tcp://192.0.2.1:7878", "login", "--token",
				     d.token));
	cr_assert_eq(rc, 2, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "không gửi token không mã hóa tới 192.0.2.1:7878"), "%s", err);
	free(out);
	free(err);
	rc = dotpha(&out, &err, ARGS("--server", "tcp://192.0.2.1:7878", "whoami"));
	cr_assert_eq(rc, 2, "with DOTPHA_TOKEN: exit %d: %s", rc, err);
	free(out);
	free(err);
}

Test(tls, the_daemon_refuses_plaintext_on_other_addresses_unless_told_and_then_warns)
{
	char bin[300], db[340], *out = NULL, *err = NULL;
	int rc;

	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	snprintf(db, sizeof(db), "%s/x.db", d.dir);
	rc = helpers_run(ARGS(bin, "--listen", "0.0.0.0:0", "--db", db), &out, &err);
	cr_assert_eq(rc, 1, "exit %d: %s", rc, err);
	cr_assert(strstr(err, "is not a loopback address") && strstr(err, "--tls-cert"), "%s", err);
	free(out);
	free(err);
	rc = helpers_run(ARGS(bin, "--listen", "0.0.0.0:0", "--db", db, "--tls-cert", "x.pem"), &out,
			 &err);
	cr_assert_eq(rc, 1, "a cert without a key: %s", err);
	cr_assert(strstr(err, "go together"), "%s", err);
	free(out);
	free(err);
	{
		static const char *const extra[] = {"--listen", "0.0.0.0:0", "--insecure-plaintext",
						    NULL};

		cr_assert_eq(daemon_start(&d, extra), 0, "see %s", d.log);
	}
	cr_assert(log_has("INSECURE: serving 0.0.0.0:0 WITHOUT TLS"));
}

Test(tls, a_config_file_holds_the_options_and_the_command_line_wins)
{
	char path[320], cert[320], key[320];
	FILE *f;

	cr_assert_eq(daemon_prepare(&d), 0);
	isolate();
	cr_assert_eq(daemon_make_cert(&d), 0);
	snprintf(cert, sizeof(cert), "%s/cert.pem", d.dir);
	snprintf(key, sizeof(key), "%s/key.pem", d.dir);
	snprintf(path, sizeof(path), "%s/dotphad.conf", d.dir);
	f = fopen(path, "w");
	cr_assert(f);
	fprintf(f, "# dotphad's options\n\ntls-cert %s\n--tls-key   %s\nmax-clients 7\n", cert, key);
	fclose(f);
	{
		const char *const extra[] = {"--config", path, "--max-clients", "9", NULL};

		cr_assert_eq(daemon_start(&d, extra), 0, "see %s", d.log);
	}
	cr_assert(log_has("with TLS (max 9 clients"), "the file's TLS, the command line's limit");
}

/* ---- what crosses the wire ---- */

/* A relay on 127.0.0.1 in a child process: each connection accepted is
 * forwarded to the daemon, and every byte either way is appended to
 * `record`.  Returns its pid; *port is where it listens. */
static pid_t relay_start(const char *record, int *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET};
	socklen_t len = sizeof(sa);
	int lfd = socket(AF_INET, SOCK_STREAM, 0);
	pid_t pid;

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	cr_assert(lfd >= 0 && bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		  listen(lfd, 8) == 0 && getsockname(lfd, (struct sockaddr *)&sa, &len) == 0);
	*port = ntohs(sa.sin_port);
	pid = fork();
	cr_assert(pid >= 0);
	if (pid > 0) {
		close(lfd);
		return pid;
	}
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	for (;;) {
		int c = accept(lfd, NULL, NULL), u, rec;
		struct pollfd p[2];

		if (c < 0)
			continue;
		u = raw_connect(d.port);
		rec = open(record, O_WRONLY | O_CREAT | O_APPEND, 0600);
		p[0] = (struct pollfd){c, POLLIN, 0};
		p[1] = (struct pollfd){u, POLLIN, 0};
		while (u >= 0 && rec >= 0 && poll(p, 2, 30000) > 0) {
			char buf[16384];
			int from = (p[0].revents & (POLLIN | POLLHUP)) ? 0 : 1;
			ssize_t n = recv(p[from].fd, buf, sizeof(buf), 0);

			if (n <= 0 || write(rec, buf, (size_t)n) != n ||
			    raw_send(p[1 - from].fd, buf, (size_t)n) < 0)
				break;
		}
		close(c);
		if (u >= 0)
			close(u);
		if (rec >= 0)
			close(rec);
	}
}

/* Signs in through the relay and makes a few calls, with pin (TLS) or
 * without (plaintext); returns what the relay recorded. */
static char *session_through_relay(const char *pin)
{
	char record[320], server[64], *out = NULL, *err = NULL, *bytes;
	int port, rc, n = 0;
	pid_t relay;
	const char *argv[24];

	snprintf(record, sizeof(record), "%s/wire-%s", d.dir, pin ? "tls" : "plain");
	relay = relay_start(record, &port);
	snprintf(server, sizeof(server), "127.0.0.1:%d", port);
	static const char *const calls[][20] = {
		{"login", "--token", NULL},
		{"unit", "create", "TU", "Tỉnh ủy Tuyên Quang", "--level", "tỉnh", NULL},
		{"cadre", "create", "CB-1", "Nguyễn Văn Ánh", "--title", "Bí thư", "--unit", "TU",
		 "--managed-by", "TU", NULL},
		{"term", "create", "2021-2025", "--kind", "term", "--start", "01/01/2021", "--end",
		 "31/12/2025", NULL},
		{"task", "create", "--title", TITLE, "--kind", "breakthrough", "--field",
		 "socio_economic", "--owner", "CB-1", "--term", "2021-2025", "--product", "Kè",
		 "--due", "30/06/2026", NULL},
		{"task", "list", NULL},
	};

	unsetenv("DOTPHA_TOKEN"); /* the token goes on the wire once, from login */
	for (size_t k = 0; k < sizeof(calls) / sizeof(calls[0]); k++) {
		n = 0;
		argv[n++] = "--server";
		argv[n++] = server;
		if (pin) {
			argv[n++] = "--fingerprint";
			argv[n++] = pin;
		}
		for (int j = 0; calls[k][j]; j++)
			argv[n++] = calls[k][j];
		if (k == 0)
			argv[n++] = d.token;
		argv[n] = NULL;
		rc = dotpha(&out, &err, argv);
		cr_assert_eq(rc, 0, "%s %s through the relay: %s", calls[k][0], calls[k][1], err);
		free(out);
		free(err);
	}
	kill(relay, SIGKILL);
	waitpid(relay, NULL, 0);
	bytes = helpers_read_file(record);
	cr_assert(bytes && strlen(bytes) > 0, "the relay recorded nothing");
	return bytes;
}

/* True if the recorded bytes (which hold NULs) contain needle. */
static bool recorded(const char *record_path, const char *needle)
{
	FILE *f = fopen(record_path, "rb");
	char *buf;
	long n;
	bool found;

	cr_assert(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	cr_assert(buf && fread(buf, 1, (size_t)n, f) == (size_t)n);
	fclose(f);
	found = memmem(buf, (size_t)n, needle, strlen(needle)) != NULL;
	free(buf);
	return found;
}

Test(tls, the_token_and_task_titles_never_cross_the_wire_in_clear)
{
	char path[320];

	/* The control: the same session over plaintext shows both, so the
	 * check below is able to fail. */
	start_plain();
	free(session_through_relay(NULL));
	snprintf(path, sizeof(path), "%s/wire-plain", d.dir);
	cr_assert(recorded(path, d.token), "plaintext: the token is on the wire");
	cr_assert(recorded(path, TITLE), "plaintext: the title is on the wire");
	stop();

	start_tls(NULL);
	free(session_through_relay(d.fingerprint));
	snprintf(path, sizeof(path), "%s/wire-tls", d.dir);
	cr_assert(!recorded(path, d.token), "TLS: the token crossed the wire in clear");
	cr_assert(!recorded(path, d.token + 4), "TLS: the token's digits crossed in clear");
	cr_assert(!recorded(path, TITLE), "TLS: the title crossed the wire in clear");
	cr_assert(!recorded(path, "relay-canary-7f3c"), "TLS: part of the title crossed in clear");
	cr_assert(!recorded(path, "session.auth"), "TLS: method names crossed in clear");
}

Test(tls, a_daemon_asking_for_client_certificates_serves_only_the_offices_it_knows)
{
	char *out = NULL, *err = NULL, okey[320], skey[320], listen[64];
	const char *oname[] = {"vp-mttq"}, *sname[] = {"stranger"}, *office, *stranger;
	int rc;

	start_tls(NULL);
	office = make_cert("office", oname, 1, 0, 30, okey, sizeof(okey));
	stranger = make_cert("stranger", sname, 1, 0, 30, skey, sizeof(skey));
	snprintf(listen, sizeof(listen), "127.0.0.1:%d", d.port);
	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 10000), 0);
	{
		const char *argv[] = {"--tls-cert", out_buf[0], "--tls-key", out_buf[1],
				      "--tls-client-ca", office, "--listen", listen, NULL};

		cr_assert_eq(daemon_start(&d, argv), 0, "see %s", d.log);
	}
	rc = dotpha(&out, &err, ARGS("--fingerprint", d.fingerprint, "--server",
				     addr(2, "", "127.0.0.1"), "whoami"));
	cr_assert_eq(rc, 3, "no certificate: exit %d: %s", rc, err);
	cr_assert(strstr(err, "yêu cầu chứng chỉ máy khách"), "%s", err);
	free(out);
	free(err);
	rc = dotpha(&out, &err, ARGS("--fingerprint", d.fingerprint, "--cert", stranger, "--key",
				     skey, "--server", addr(2, "", "127.0.0.1"), "whoami"));
	cr_assert_eq(rc, 3, "a stranger's certificate: exit %d: %s", rc, err);
	cr_assert(strstr(err, "từ chối chứng chỉ của máy khách này"), "%s", err);
	free(out);
	free(err);
	rc = dotpha(&out, &err, ARGS("--fingerprint", d.fingerprint, "--cert", office, "--key", okey,
				     "--server", addr(2, "", "127.0.0.1"), "whoami"));
	cr_assert_eq(rc, 0, "the office's certificate: %s", err);
	free(out);
	free(err);
	cr_assert(log_has("client certificate vp-mttq"));
	cr_assert(daemon_alive());
}
