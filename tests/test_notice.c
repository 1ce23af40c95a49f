/*
 * test_notice.c: the line after a command that says what waits (issue 20;
 * client/notice.c), through the real dotpha against a real dotphad: on a
 * pseudo-terminal as stderr an office with a reminder, an explanation
 * request and an inspection action due soon is told so, after the
 * command's output, in Vietnamese (English with --lang en); nothing is
 * said with --json, --quiet, `notices = off`, stderr to a pipe, or when
 * nothing waits; `dotpha inbox` lists each kind with the command that
 * acts on it.
 */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "helpers.h"
#include "peer.h"
#include "world.h"

static struct daemon d;
static struct peer root;
static char office[128]; /* the token of VP_A: something waits */
static char idle[128];   /* the token of VP_B: nothing waits */
static char home[300];

/* An office account of unit with a token; the token into tok. */
static void office_of(const char *login, const char *unit, char *tok, size_t n)
{
	struct peer_result r;

	REMOTE_OK(&root, "account.create", "s:login", login, "s:display_name", login, "s:role",
		  "office", "s:scope", unit, NULL);
	cr_assert_eq(REMOTE(&root, &r, "token.create", "s:account", login, "s:name", "máy",
			    NULL), RPC_OK, "%s", r.message);
	snprintf(tok, n, "%s", S(r.value, "token"));
	peer_result_free(&r);
}

static void start(void)
{
	static const char *const units[][3] = {
		{"P", NULL, "tỉnh"}, {"A", "P", "huyện"}, {"B", "P", "huyện"},
	};
	char actions[64];
	int64_t task;

	root.fd = -1;
	cr_assert_eq(daemon_prepare(&d), 0);
	cr_assert_eq(daemon_start(&d, NULL), 0, "dotphad did not start (see %s)", d.log);
	snprintf(home, sizeof(home), "%s/home", d.dir);
	cr_assert_eq(mkdir(home, 0700), 0);
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	unsetenv("DOTPHA_SERVER");
	unsetenv("DOTPHA_LANG");
	unsetenv("COLUMNS");
	cr_assert_eq(peer_open(&root, d.port, &(struct peer_how){.tls = helpers_tls()}), 0);
	cr_assert_eq(peer_auth(&root, d.token), 0, "session.auth failed");

	REMOTE_OK(&root, "term.create", "s:code", "2021-2025", "s:kind", "term", "s:start",
		  "2021-01-01", "s:end", "2025-12-31", NULL);
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		REMOTE_OK(&root, "unit.create", "s:code", units[i][0], "s:name", units[i][0],
			  "s:level", units[i][2], units[i][1] ? "s:parent" : NULL, units[i][1],
			  NULL);
	REMOTE_OK(&root, "cadre.create", "s:code", "CA", "s:full_name", "Nguyễn Văn A", "s:title",
		  "Bí thư", "s:unit", "A", "s:managing_unit", "P", "s:since", "2020-01-01", NULL);
	task = REMOTE_OK(&root, "task.create", "s:title", "Giải phóng mặt bằng", "s:kind",
			 "breakthrough", "s:field", "livelihood", "s:owner", "CA", "s:term",
			 "2021-2025", "s:product", "Sản phẩm", "s:due_date", "2025-12-31", NULL);
	office_of("vp_a", "A", office, sizeof(office));
	office_of("vp_b", "B", idle, sizeof(idle));
	REMOTE_OK(&root, "reminder.send", "i:task", num(task), "s:message", "Đề nghị báo cáo",
		  "s:answer_by", day(3), NULL);
	REMOTE_OK(&root, "explanation.request", "i:task", num(task), "s:question", "Vì sao chậm?",
		  "s:answer_by", day(5), NULL);
	snprintf(actions, sizeof(actions), "Bổ sung hồ sơ@%s", day(2));
	REMOTE_OK(&root, "inspection.record", "i:task", num(task), "s:date", day(0), "s:findings",
		  "Chậm", "s:conclusions", "Đẩy nhanh", "a:actions", actions, NULL);
}

static void stop(void)
{
	peer_close(&root);
	cr_expect_eq(daemon_stop(&d), 0, "dotphad exited badly (log: %s)", d.log);
	daemon_cleanup(&d);
}

TestSuite(notice, .init = start, .fini = stop, .timeout = 120);

/* Reads fd to its end (EIO on a pty whose other side is closed) into a
 * malloc'ed string without the terminal's carriage returns. */
static char *slurp(int fd)
{
	size_t len = 0, cap = 4096, k = 0;
	char *s = malloc(cap);
	ssize_t n;

	cr_assert_not_null(s);
	for (;;) {
		if (len + 1024 >= cap)
			cr_assert_not_null(s = realloc(s, cap *= 2));
		n = read(fd, s + len, cap - len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	for (size_t i = 0; i < len; i++) /* onlcr made each "\n" a "\r\n" */
		if (s[i] != '\r')
			s[k++] = s[i];
	s[k] = '\0';
	return s;
}

/* What a run of dotpha printed. */
struct run {
	int rc;
	char out[16384]; /* stdout */
	char err[4096];  /* stderr */
};

/* Runs dotpha --server ... args with token as DOTPHA_TOKEN; its stderr on
 * a pseudo-terminal when tty, else on a pipe; stdout always on a pipe (a
 * file here), as `dotpha task list > x.txt` on an office's terminal. */
static void run(struct run *r, const char *token, bool tty, const char *const *args)
{
	char bin[300], server[64], outf[320], *o, *e;
	const char *argv[64];
	int n = 0, m = -1, s = -1, status, of;
	pid_t pid;

	snprintf(bin, sizeof(bin), "%s/dotpha", helpers_build_dir());
	snprintf(server, sizeof(server), "127.0.0.1:%d", d.port);
	snprintf(outf, sizeof(outf), "%s/out.txt", d.dir);
	argv[n++] = bin;
	argv[n++] = "--server";
	argv[n++] = server;
	if (d.fingerprint[0]) {
		argv[n++] = "--fingerprint";
		argv[n++] = d.fingerprint;
	}
	for (; *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	if (tty) {
		cr_assert_eq(openpty(&m, &s, NULL, NULL, NULL), 0, "openpty: %s", strerror(errno));
	} else {
		int p[2];

		cr_assert_eq(pipe(p), 0);
		m = p[0], s = p[1];
	}
	cr_assert_geq(of = open(outf, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
	cr_assert_geq(pid = fork(), 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		helpers_child_defaults();
		setenv("DOTPHA_TOKEN", token, 1);
		dup2(null, 0);
		dup2(of, 1);
		dup2(s, 2);
		close(m);
		execv(bin, (char *const *)argv);
		_exit(127);
	}
	close(of);
	close(s);
	e = slurp(m);
	close(m);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	r->rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	snprintf(r->err, sizeof(r->err), "%s", e);
	free(e);
	o = helpers_read_file(outf);
	cr_assert_not_null(o);
	snprintf(r->out, sizeof(r->out), "%s", o);
	free(o);
}

#define ARGS(...) ((const char *const[]){__VA_ARGS__, NULL})

static const char LINE[] =
	"Đang chờ bạn: 1 đôn đốc chưa trả lời, 1 yêu cầu giải trình chưa trả lời, 1 yêu cầu "
	"khắc phục sau kiểm tra đến hạn trong 7 ngày hoặc đã quá hạn. Xem: dotpha inbox\n";

Test(notice, an_office_is_told_on_its_terminal_what_waits_after_the_command)
{
	struct run r;

	run(&r, office, true, ARGS("whoami"));
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, "vp_a"), "%s", r.out);
	/* One line, the whole of stderr. */
	cr_assert_str_eq(r.err, LINE);
}

Test(notice, the_line_is_english_with_lang_en)
{
	struct run r;

	run(&r, office, true, ARGS("--lang", "en", "unit", "list"));
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_str_eq(r.err,
			 "Waiting for you: 1 reminder(s) not answered, 1 explanation request(s) "
			 "not answered, 1 required action(s) of inspections due within 7 days or "
			 "overdue. See: dotpha inbox\n");
}

/* Runs dotpha as the holder of token; it must succeed, print `shows` on
 * stdout, and say nothing on stderr. */
static void expect_silent(const char *token, bool tty, const char *shows,
			  const char *const *args)
{
	struct run r;

	run(&r, token, tty, args);
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert(strstr(r.out, shows), "%s", r.out);
	cr_assert_str_eq(r.err, "");
}

/* The config file holds only `text`. */
static void config_says(const char *text)
{
	cr_assert_eq(helpers_client_config(home, text), 0);
}

Test(notice, nothing_is_said_with_json_quiet_or_the_config_key)
{
	struct run r;

	expect_silent(office, true, "vp_a", ARGS("--json", "whoami"));
	expect_silent(office, true, "vp_a", ARGS("whoami", "--quiet"));
	config_says("notices = off\n");
	expect_silent(office, true, "vp_a", ARGS("whoami"));
	config_says("notices = on\n"); /* says it again */
	run(&r, office, true, ARGS("whoami"));
	cr_assert_str_eq(r.err, LINE);
}

Test(notice, nothing_is_said_when_stderr_is_not_a_terminal)
{
	expect_silent(office, false, "vp_a", ARGS("whoami"));
}

Test(notice, nothing_is_said_when_nothing_waits)
{
	expect_silent(idle, true, "vp_b", ARGS("whoami"));
}

Test(notice, the_inbox_lists_each_kind_with_its_command_and_no_line)
{
	struct run r;

	run(&r, office, true, ARGS("inbox"));
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_str_eq(r.err, "");
	cr_assert(strstr(r.out, "Đôn đốc chưa trả lời: (dotpha answer ID --text ...)"), "%s",
		  r.out);
	cr_assert(strstr(r.out, "Đề nghị báo cáo"), "%s", r.out);
	cr_assert(strstr(r.out, "Yêu cầu giải trình chưa trả lời: (dotpha explanation answer"),
		  "%s", r.out);
	cr_assert(strstr(r.out, "Vì sao chậm?"), "%s", r.out);
	cr_assert(strstr(r.out, "(dotpha inspection done ID)"), "%s", r.out);
	cr_assert(strstr(r.out, "Bổ sung hồ sơ"), "%s", r.out);
	cr_assert_null(strstr(r.out, "thẩm định"), "%s", r.out);

	run(&r, idle, true, ARGS("inbox"));
	cr_assert_eq(r.rc, 0, "%s", r.err);
	cr_assert_str_eq(r.out, "Không có việc nào đang chờ bạn.\n");
}

Test(notice, a_failed_command_ends_with_its_error_not_the_line)
{
	struct run r;

	run(&r, office, true, ARGS("task", "show", "999999"));
	cr_assert_eq(r.rc, 4, "%s", r.err);
	cr_assert_null(strstr(r.err, "Đang chờ bạn"), "%s", r.err);
}
