/*
 * test_mail.c: e-mail notices (PROTOCOL.md 6m).  The MIME builder on its
 * own; the accounts' addresses and the outbox through the dispatcher in
 * process; then the real dotphad on the demo province sending to a local
 * SMTP relay (tests/smtp_sink.py, aiosmtpd), which decodes every message
 * with Python's email package: the right notices and digests for an
 * office and a supervisor at a fixed clock, in readable Vietnamese;
 * nothing for an account without an address or with notices off; a relay
 * down then up (delivered once); the daemon killed while the relay holds
 * a message (delivered after the restart, with the same Message-ID).
 */
#include <criterion/criterion.h>

#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "client_io.h"
#include "compose.h"
#include "mime.h"
#include "utf8.h"
#include "world.h"

#define SUITE_TIMEOUT 120 /* the integration tests restart the daemon twice */

/* ---- the MIME builder ---- */

TestSuite(mime, .timeout = SUITE_TIMEOUT);

/* The text of RFC 2047 words "=?UTF-8?B?...?=" of a header value, decoded
 * and joined, into out; false if a word is malformed or longer than 75. */
static bool decode_words(const char *v, char *out, size_t n)
{
	size_t len = 0;

	while (*v) {
		const char *end;
		unsigned char buf[200];
		int k;

		v += strspn(v, "\r\n ");
		if (!*v)
			break;
		if (strncmp(v, "=?UTF-8?B?", 10) != 0 || !(end = strstr(v + 10, "?=")))
			return false;
		if (end + 2 - v > 75 || (size_t)(end - v - 10) >= sizeof(buf))
			return false;
		k = EVP_DecodeBlock(buf, (const unsigned char *)v + 10, (int)(end - v - 10));
		if (k < 0)
			return false;
		/* EVP_DecodeBlock counts the padding's zero bytes. */
		for (const char *p = end - 1; p > v + 10 && *p == '='; p--)
			k--;
		if (len + (size_t)k + 1 > n)
			return false;
		memcpy(out + len, buf, (size_t)k);
		len += (size_t)k;
		v = end + 2;
	}
	out[len] = '\0';
	return true;
}

Test(mime, an_ascii_subject_stays_as_it_is)
{
	struct mime_buf b = {0};
	char *s;

	mime_header_value(&b, "Daily digest");
	s = mime_buf_take(&b, NULL);
	cr_assert_str_eq(s, "Daily digest");
	free(s);
}

Test(mime, a_vietnamese_subject_becomes_encoded_words_that_never_split_a_letter)
{
	const char *subject = "Tổng hợp việc cần xử lý ngày 10/11/2026: đôn đốc, giải trình, "
			      "yêu cầu khắc phục của Ủy ban nhân dân tỉnh Tuyên Quang";
	struct mime_buf b = {0};
	char decoded[600], *s;
	const char *w;

	mime_header_value(&b, subject);
	s = mime_buf_take(&b, NULL);
	cr_assert(decode_words(s, decoded, sizeof(decoded)), "%s", s);
	cr_assert_str_eq(decoded, subject);
	/* Each word alone is whole UTF-8: a reader decodes word by word. */
	for (w = s; (w = strstr(w, "=?UTF-8?B?")); w += 10) {
		char one[200], word[120];
		const char *end = strstr(w, "?=");

		snprintf(word, sizeof(word), "%.*s", (int)(end + 2 - w), w);
		cr_assert(decode_words(word, one, sizeof(one)));
		cr_assert(utf8_valid(one, strlen(one)), "a word cuts a letter: %s", word);
	}
	for (const char *p = strchr(s, '\n'); p; p = strchr(p + 1, '\n'))
		cr_assert(p > s && p[-1] == '\r' && p[1] == ' ', "folded badly: %s", s);
	free(s);
}

Test(mime, an_address_with_a_line_break_or_no_domain_is_refused)
{
	static const char *const bad[] = {
		"vp@tinh.test\r\nBcc: all@tinh.test", "vp@tinh.test\nBcc: x@y.test", "vp tinh@x.test",
		"vptinh.test", "vp@tinh", "@tinh.test", "vp@", "vp@@tinh.test", "\"vp\"@tinh.test",
		"<vp@tinh.test>", "vp@tinh.test,x@y.test", "vp@tinh.test.", "vp@.test", "",
	};
	static const char *const good[] = {"vp@tinh.test", "van.phong-tu+so1@tuyenquang.gov.vn"};

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_expect_not(mime_address_ok(bad[i], strlen(bad[i])), "took '%s'", bad[i]);
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		cr_expect(mime_address_ok(good[i], strlen(good[i])), "refused '%s'", good[i]);
}

Test(mime, a_message_is_the_same_bytes_each_time_with_crlf_lines_and_both_parts)
{
	struct mime_message m = {"dotpha@tinh.test", "Hệ thống", "vp@tinh.test", "Đôn đốc việc #25",
				 "Kính gửi Văn phòng,\n<b>không phải thẻ</b>\n",
				 "<p>Kính gửi</p>\n", "<7.a1b2c3@tinh.test>", "2026-11-10T05:00:00Z"};
	size_t n1, n2;
	char *a = mime_build(&m, &n1), *b = mime_build(&m, &n2);

	cr_assert(a && b);
	cr_assert_eq(n1, n2);
	cr_assert_eq(memcmp(a, b, n1), 0, "sent again, a message must be the same message");
	cr_assert(strstr(a, "\r\nMessage-ID: <7.a1b2c3@tinh.test>\r\n"));
	cr_assert(strstr(a, "\r\nDate: Tue, 10 Nov 2026 05:00:00 +0000\r\n"), "%s", a);
	cr_assert(strstr(a, "Content-Type: text/plain; charset=utf-8\r\n"));
	cr_assert(strstr(a, "Content-Type: text/html; charset=utf-8\r\n"));
	for (size_t i = 0; i < n1; i++)
		if (a[i] == '\n')
			cr_assert(i > 0 && a[i - 1] == '\r', "a bare LF at byte %zu", i);
	free(a);
	free(b);
}

/* ---- accounts and the outbox, in process ---- */

TestSuite(mail_accounts, .init = world_setup, .fini = world_teardown, .timeout = SUITE_TIMEOUT);

Test(mail_accounts, an_address_that_could_smuggle_a_header_is_refused)
{
	make_world();
	cr_assert_eq(FAILS("account.create", "s:login", "vp-x", "s:display_name", "VP",
			   "s:role", "office", "s:scope", "H1", "s:email",
			   "vp@tinh.test\r\nBcc: all@tinh.test", NULL), RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "email:"), "%s", world_last.message);
	cr_assert_eq(FAILS("account.create", "s:login", "vp-x", "s:display_name", "VP",
			   "s:role", "office", "s:scope", "H1", "s:notify", "sometimes", NULL),
		     RPC_INVALID_ARGUMENT);
}

Test(mail_accounts, an_account_sees_its_own_address_and_an_admin_can_remove_it)
{
	const msgpack_object *r;

	make_world();
	r = OK("account.update", "s:account", "office1", "s:email", "vp.h1@tinh.test",
	       "s:notify", "both", NULL);
	cr_assert_str_eq(S(r, "email"), "vp.h1@tinh.test");
	cr_assert_str_eq(S(r, "notify"), "both");
	r = OK_AS(&office1, "session.whoami", NULL);
	cr_assert_str_eq(S(field(r, "account"), "email"), "vp.h1@tinh.test");
	/* Only an admin reads another account. */
	cr_assert_eq(FAILS_AS(&sup_h1, "account.get", "s:account", "office1", NULL), RPC_FORBIDDEN);
	r = OK("account.update", "s:account", "office1", "s:email", "", NULL);
	cr_assert(is_nil(r, "email"));
	cr_assert_str_eq(S(r, "notify"), "both");
}

/* Messages waiting in the outbox (notify.status). */
static int64_t pending(void)
{
	return I(OK("notify.status", NULL), "pending");
}

Test(mail_accounts, a_reminder_is_told_at_once_only_to_offices_that_asked_and_have_an_address)
{
	int64_t task;

	make_world();
	task = new_task();
	OK("reminder.send", "i:task", num(task), "s:message", "Báo cáo", "s:answer_by", day(3), NULL);
	cr_assert_eq(pending(), 0, "office1 has no address yet");
	OK("account.update", "s:account", "office1", "s:email", "vp.h1@tinh.test", NULL);
	OK("reminder.send", "i:task", num(task), "s:message", "Báo cáo", "s:answer_by", day(3), NULL);
	cr_assert_eq(pending(), 0, "office1 asked for the digest only (the default)");
	OK("account.update", "s:account", "office1", "s:notify", "immediate", NULL);
	OK("reminder.send", "i:task", num(task), "s:message", "Báo cáo", "s:answer_by", day(3), NULL);
	cr_assert_eq(pending(), 1);
	OK("explanation.request", "i:task", num(task), "s:question", "Vì sao?", "s:answer_by",
	   day(3), NULL);
	cr_assert_eq(pending(), 2);
	OK("account.update", "s:account", "office1", "s:notify", "none", NULL);
	OK("reminder.send", "i:task", num(task), "s:message", "Báo cáo", "s:answer_by", day(3), NULL);
	cr_assert_eq(pending(), 2, "notices off: nothing more");
	cr_assert_not(flag(OK("notify.status", NULL), "configured"));
}

/* ---- the real daemon and a local relay ---- */

static struct daemon d;
static pid_t sink_pid;
static char sink_dir[400];
static char sink_port[16];

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static bool exists(const char *dir, const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return access(path, F_OK) == 0;
}

static void touch(const char *name)
{
	char path[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", sink_dir, name);
	cr_assert((f = fopen(path, "w")), "cannot make %s", path);
	fclose(f);
}

static void untouch(const char *name)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/%s", sink_dir, name);
	unlink(path);
}

/* Files kind-1, kind-2... (with ext) the relay wrote. */
static int count(const char *kind, const char *ext)
{
	char name[64];
	int n = 0;

	for (;;) {
		snprintf(name, sizeof(name), "%s-%d%s", kind, n + 1, ext);
		if (!exists(sink_dir, name))
			return n;
		n++;
	}
}

/* Waits (20 s at most) until the relay wrote at least n files of kind. */
static void wait_count(const char *kind, const char *ext, int n)
{
	long deadline = now_ms() + 20000;

	while (count(kind, ext) < n && now_ms() < deadline)
		usleep(20000);
	cr_assert_geq(count(kind, ext), n, "the relay got %d %s, not %d (see %s)",
		      count(kind, ext), kind, n, d.log);
}

/* Message i as the relay decoded it. */
static const msgpack_object *message(int i)
{
	char path[600], *text;

	snprintf(path, sizeof(path), "%s/msg-%d.json", sink_dir, i);
	cr_assert((text = helpers_read_file(path)), "no %s", path);
	keep(text);
	return json_of(text);
}

/* String field `key` of m, whole (world.h's S() keeps short ones), with
 * the CR of the body's CRLF lines taken out. */
static const char *str(const msgpack_object *m, const char *key)
{
	const msgpack_object *v = field(m, key);
	char *s, *w;

	cr_assert_eq(v->type, MSGPACK_OBJECT_STR, "%s is not a string", key);
	s = keep_printf("%.*s", (int)v->via.str.size, v->via.str.ptr);
	w = s;
	for (const char *r = s; *r; r++)
		if (*r != '\r')
			*w++ = *r;
	*w = '\0';
	return s;
}

static const char *to_of(const msgpack_object *m)
{
	const msgpack_object *to = field(m, "to");

	cr_assert_eq(to->type, MSGPACK_OBJECT_ARRAY);
	cr_assert_eq(to->via.array.size, 1);
	return keep_printf("%.*s", (int)to->via.array.ptr[0].via.str.size,
			   to->via.array.ptr[0].via.str.ptr);
}

/* The message sent to `to` whose subject holds `subject`, or NULL. */
static const msgpack_object *message_to(const char *to, const char *subject)
{
	for (int i = 1; i <= count("msg", ".json"); i++) {
		const msgpack_object *m = message(i);

		if (strcmp(to_of(m), to) == 0 && strstr(str(m, "subject"), subject))
			return m;
	}
	return NULL;
}

/* The text of the message sent to `to` whose subject holds `subject`,
 * which must be there. */
static const char *text_to(const char *to, const char *subject)
{
	const msgpack_object *m = message_to(to, subject);

	cr_assert(m, "no message \"%s\" to %s", subject, to);
	return str(m, "text");
}

/* The relay in a new directory d.dir/`name`, with smtp_sink.py's options
 * `opts` (NULL-terminated, or NULL for none). */
static void sink_start_in(const char *name, const char *const *opts)
{
	long deadline;
	char path[600];
	const char *argv[16] = {"python3", "tests/smtp_sink.py", sink_dir};
	int n = 3;

	snprintf(sink_dir, sizeof(sink_dir), "%s/%s", d.dir, name);
	cr_assert_eq(mkdir(sink_dir, 0700), 0);
	for (; opts && *opts && n < 15; opts++)
		argv[n++] = *opts;
	argv[n] = NULL;
	sink_pid = fork();
	cr_assert_geq(sink_pid, 0);
	if (sink_pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGTERM); /* never outlives the test */
		helpers_child_defaults();
		execv("/usr/bin/python3", (char *const *)argv);
		_exit(127);
	}
	snprintf(path, sizeof(path), "%s/port", sink_dir);
	deadline = now_ms() + 10000;
	while (!exists(sink_dir, "port") && now_ms() < deadline)
		usleep(20000);
	{
		char *p = helpers_read_file(path);

		cr_assert(p, "the relay did not start (python3-aiosmtpd installed?)");
		snprintf(sink_port, sizeof(sink_port), "%s", p);
		free(p);
	}
}

static void sink_start(void)
{
	sink_start_in("relay", NULL);
}

static void sink_stop(void)
{
	if (sink_pid > 0) {
		kill(sink_pid, SIGTERM);
		waitpid(sink_pid, NULL, 0);
		sink_pid = 0;
	}
}

/* dotphad on the demo (loaded with its present 31/10/2026), its clock at
 * `clock`, sending to the relay, retrying after 0.2 s. */
static void start_at(const char *clock)
{
	const char *extra[] = {"--clock", clock, "--mail-via",
			       keep_printf("smtp+insecure://127.0.0.1:%s", sink_port),
			       "--mail-from", "dotpha@tinh.test", "--mail-retry", "0.2", NULL};

	cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
}

static void start(void)
{
	char bin[300], *out = NULL, *err = NULL;
	int rc;

	cr_assert_eq(daemon_prepare(&d), 0);
	client_io_isolate(&d);
	sink_start();
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	{
		const char *argv[] = {bin, "--db", d.db, "demo", "--scale", "1", "--present",
				      "2026-10-31", NULL};

		rc = helpers_run(argv, &out, &err);
	}
	cr_assert_eq(rc, 0, "dotphad demo: %s", err ? err : "");
	free(out);
	free(err);
	start_at("2026-10-31T12:00:00");
}

static void finish(void)
{
	if (d.pid > 0)
		daemon_stop(&d);
	sink_stop();
	daemon_cleanup(&d);
	client_io_free();
}

TestSuite(mail, .init = start, .fini = finish, .timeout = SUITE_TIMEOUT);

#define DOTPHA(...) ok_on(&d, (const char *const[]){__VA_ARGS__, NULL})

/* notify.status as JSON. */
static const msgpack_object *status(void)
{
	return json_of(DOTPHA("--json", "admin", "notify", "status"));
}

/* Waits (20 s at most) until the outbox has nothing waiting. */
static void wait_outbox_empty(void)
{
	long deadline = now_ms() + 20000;

	while (I(status(), "pending") > 0 && now_ms() < deadline)
		usleep(50000);
	cr_assert_eq(I(status(), "pending"), 0, "messages still wait (see %s)", d.log);
}

/* Restarts the daemon with its clock at `clock`. */
static void restart_at(const char *clock)
{
	cr_assert_eq(daemon_stop(&d), 0);
	start_at(clock);
}

/* Waits until the log has `line` at least n times. */
static void wait_log(const char *line, int n)
{
	long deadline = now_ms() + 20000;
	int seen = 0;

	do {
		char *log = helpers_read_file(d.log);

		seen = 0;
		for (const char *p = log; p && (p = strstr(p, line)); p++)
			seen++;
		free(log);
		if (seen >= n)
			return;
		usleep(20000);
	} while (now_ms() < deadline);
	cr_assert_geq(seen, n, "'%s' is in the log %d times, not %d (see %s)", line, seen, n, d.log);
}

/* The token of a new token of account `login`. */
static const char *token_of(const char *login)
{
	const msgpack_object *t = json_of(DOTPHA("--json", "token", "create", login, "máy thử"));

	return keep_printf("%s", S(t, "token"));
}

Test(mail, the_office_and_the_supervisor_hear_what_waits_on_them_and_no_one_else_does)
{
	const msgpack_object *m, *st;
	const char *gs_token, *text, *html;

	/* Task 25 of the demo (UBND-T, due 30/06/2027, in progress). */
	DOTPHA("account", "create", "vp-mail", "Văn phòng UBND tỉnh", "--role", "office",
	       "--scope", "UBND-T", "--email", "vp@tinh.test", "--notify", "both");
	DOTPHA("account", "create", "gs-mail", "Đầu mối Giám sát", "--role", "supervisor",
	       "--scope", "TU", "--email", "gs@tinh.test");
	DOTPHA("account", "create", "vp-quiet", "Văn phòng không nhận thư", "--role", "office",
	       "--scope", "UBND-T", "--email", "quiet@tinh.test", "--notify", "none");
	DOTPHA("account", "create", "vp-noaddr", "Văn phòng không có địa chỉ", "--role", "office",
	       "--scope", "UBND-T", "--notify", "both");
	DOTPHA("task", "focal", "25", "gs-mail");
	gs_token = token_of("gs-mail");

	/* The focal point's reminder and the admin's explanation request:
	 * told at once to vp-mail alone. */
	setenv("DOTPHA_TOKEN", gs_token, 1);
	DOTPHA("remind", "25", "--message", "Đề nghị báo cáo tiến độ quý IV", "--by", "05/11/2026");
	setenv("DOTPHA_TOKEN", d.token, 1);
	DOTPHA("explain", "25", "--question", "Vì sao chậm so với kế hoạch?", "--by", "06/11/2026");
	wait_count("msg", ".json", 2);
	wait_outbox_empty();
	cr_assert_eq(count("msg", ".json"), 2);
	m = message_to("vp@tinh.test", "Đôn đốc việc #25: Cải thiện chỉ số năng lực");
	cr_assert(m, "no reminder notice to vp@tinh.test");
	text = str(m, "text");
	cr_assert(strstr(text, "\"Đề nghị báo cáo tiến độ quý IV\". Hạn trả lời: 05/11/2026."),
		  "%s", text);
	cr_assert(strstr(text, "Người đôn đốc: Đầu mối Giám sát. Nội dung: \"Đề nghị báo cáo"), "%s",
		  text);
	cr_assert(strstr(text, "dotpha answer 1 --text \"...\""), "%s", text);
	cr_assert(strstr(str(m, "html"), "<code>Trả lời: dotpha answer 1 --text &quot;...&quot;</code>"));
	cr_assert(message_to("vp@tinh.test", "Yêu cầu giải trình việc #25"));
	/* The delivery is in the audit trail, on the reminder. */
	cr_assert(strstr(DOTPHA("--json", "audit", "--task", "25"),
			 "\"method\":\"mail.delivered\",\"object_type\":\"reminder\""),
		  "no audit entry of the delivery");

	/* An inspection with an action due by 12/11/2026 (told in the digest,
	 * not at once) and one due next year (not yet). */
	DOTPHA("inspect", "25", "--date", "31/10/2026", "--findings", "Chậm tiến độ",
	       "--conclusions", "Cần khắc phục", "--action", "Bổ sung kế hoạch chi tiết@12/11/2026",
	       "--action", "Tổng kết@30/06/2027");

	/* Ten days on: the digests, made at start since 07:30 has passed. */
	restart_at("2026-11-10T12:00:00");
	wait_count("msg", ".json", 4);
	wait_outbox_empty();
	m = message_to("vp@tinh.test", "Tổng hợp việc cần xử lý ngày 10/11/2026");
	text = text_to("vp@tinh.test", "Tổng hợp việc cần xử lý ngày 10/11/2026");
	cr_assert(strstr(text, "Kính gửi Văn phòng UBND tỉnh,"), "%s", text);
	cr_assert(strstr(text, "Đôn đốc chưa trả lời (1)\n- Việc #25 \"Cải thiện chỉ số năng lực "
			       "cạnh tranh"), "%s", text);
	cr_assert(strstr(text, "\"Đề nghị báo cáo tiến độ quý IV\", hạn trả lời 05/11/2026, đã "
			       "quá hạn 5 ngày.\n    Trả lời: dotpha answer 1 --text \"...\""), "%s",
		  text);
	cr_assert(strstr(text, "Giải trình: dotpha explanation answer 1 --text \"...\""), "%s", text);
	cr_assert(strstr(text, "Yêu cầu khắc phục đến hạn hoặc quá hạn (1)\n- Việc #25 "), "%s", text);
	cr_assert(strstr(text, "\"Bổ sung kế hoạch chi tiết\", hạn 12/11/2026.\n    Khi đã khắc "
			       "phục: dotpha inspection done 1 --note \"...\""), "%s", text);
	cr_assert(strstr(text, "Việc sắp đến hạn (30 ngày), đình trệ hoặc quá hạn (3)"), "%s", text);
	cr_assert(strstr(text, "- Việc #16 \""), "%s", text);
	cr_assert(strstr(text, "Quá hạn 406 ngày (hạn 30/09/2025)."), "%s", text);
	html = str(m, "html");
	cr_assert(strstr(html, "<h3>Đôn đốc chưa trả lời (1)</h3>"), "%s", html);

	text = text_to("gs@tinh.test", "Tổng hợp việc cần xử lý ngày 10/11/2026");
	cr_assert(strstr(text, "Đôn đốc đã gửi, quá hạn chưa được trả lời (1)"), "%s", text);
	cr_assert(strstr(text, "Xem: dotpha reminder list --task 25"), "%s", text);
	cr_assert(strstr(text, "Báo cáo tiến độ chờ thẩm định (1)"), "%s", text);
	cr_assert(strstr(text, "Thẩm định: dotpha update accept "), "%s", text);
	cr_assert_null(strstr(text, "Yêu cầu giải trình chưa trả lời"), "%s", text);

	/* No one else heard anything. */
	cr_assert_eq(count("msg", ".json"), 4);
	for (int i = 1; i <= 4; i++)
		cr_assert(strcmp(to_of(message(i)), "vp@tinh.test") == 0 ||
			  strcmp(to_of(message(i)), "gs@tinh.test") == 0, "%s", to_of(message(i)));

	/* A third start the same day makes no second digest. */
	restart_at("2026-11-10T13:00:00");
	wait_log("mail: digests of 2026-11-10 made for 0 accounts", 1);
	st = status();
	cr_assert_eq(I(st, "sent"), 4);
	cr_assert_eq(I(st, "pending"), 0);
	cr_assert(flag(st, "configured"));
	cr_assert_str_eq(S(st, "digest_at"), "07:30");
	cr_assert_eq(count("msg", ".json"), 4);
	text = DOTPHA("admin", "notify", "status");
	cr_assert(strstr(text, "Đã cấu hình gửi thư:"), "%s", text);

	/* The day after the term's tasks fell due: the supervisor hears of
	 * the tasks that turned overdue since its digest of 10/11/2026. */
	restart_at("2027-07-01T12:00:00");
	wait_count("msg", ".json", 6);
	wait_outbox_empty();
	text = text_to("gs@tinh.test", "Tổng hợp việc cần xử lý ngày 01/07/2027");
	cr_assert(strstr(text, "Việc mới quá hạn hoặc đình trệ từ lần tổng hợp trước ("), "%s", text);
	cr_assert(strstr(text, "- Việc #25 \"Cải thiện chỉ số năng lực cạnh tranh cấp sở, ngành, "
			       "huyện (DDCI) của Ủy ban nhân dân tỉnh Tuyên Quang\": Quá hạn 1 ngày "
			       "(hạn 30/06/2027).\n    Đôn đốc: dotpha remind 25"), "%s", text);
	/* Task 16, overdue since 2025, did not turn overdue since the last digest. */
	cr_assert_null(strstr(text, "Việc #16 "), "%s", text);
	/* The messages of 2026, sent more than 90 days before, left the outbox. */
	cr_assert_eq(I(status(), "sent"), 2);
}

/* One office that asked to be told at once, and a reminder for it. */
static void office_and_reminder(void)
{
	DOTPHA("account", "create", "vp-mail", "Văn phòng UBND tỉnh", "--role", "office",
	       "--scope", "UBND-T", "--email", "vp@tinh.test", "--notify", "immediate");
	DOTPHA("remind", "25", "--message", "Đề nghị báo cáo", "--by", "05/11/2026");
}

Test(mail, a_relay_down_then_up_gets_the_message_once)
{
	const msgpack_object *st, *failures;

	touch("refuse");
	office_and_reminder();
	wait_count("refused", "", 2); /* tried, refused, tried again */
	st = status();
	cr_assert_eq(I(st, "pending"), 1);
	failures = field(st, "failures");
	cr_assert_geq(failures->via.array.size, 1);
	cr_assert(strstr(str(&failures->via.array.ptr[0], "error"), "451"), "%s",
		  str(&failures->via.array.ptr[0], "error"));
	cr_assert_eq(count("msg", ".json"), 0);
	untouch("refuse");
	wait_count("msg", ".json", 1);
	wait_outbox_empty();
	cr_assert_eq(count("msg", ".json"), 1, "delivered more than once");
	st = status();
	cr_assert_eq(I(st, "sent"), 1);
	cr_assert(flag(&field(st, "failures")->via.array.ptr[0], "sent"));
}

/* Waits (20 s at most) until the newest failure in notify.status has made
 * `attempts` attempts; that failure. */
static const msgpack_object *wait_attempts(int attempts)
{
	long deadline = now_ms() + 20000;
	const msgpack_object *f;

	do {
		f = field(status(), "failures");
		if (f->via.array.size > 0 && I(&f->via.array.ptr[0], "attempts") >= attempts)
			return &f->via.array.ptr[0];
		usleep(50000);
	} while (now_ms() < deadline);
	cr_assert_fail("no failure with %d attempts (see %s)", attempts, d.log);
	return NULL;
}

/* A 5xx that refuses the message (its recipient) is final; one that
 * refuses the daemon (its sender here; its login below) is a setting to
 * mend: the message waits and is tried again. */
Test(mail, a_refused_recipient_gives_the_message_up_and_a_refused_sender_keeps_it)
{
	const msgpack_object *st, *f;

	touch("refuse-from");
	office_and_reminder();
	wait_count("from-refused", "", 2);
	f = wait_attempts(2);
	cr_assert_not(flag(f, "gave_up"), "given up for a refusal of the sender");
	cr_assert(strstr(str(f, "error"), "550"), "%s", str(f, "error"));
	cr_assert_eq(I(status(), "pending"), 1);
	untouch("refuse-from");
	touch("refuse-rcpt");
	wait_count("rcpt-refused", "", 1);
	wait_outbox_empty();
	st = status();
	cr_assert_eq(I(st, "gave_up"), 1);
	cr_assert_eq(I(st, "sent"), 0);
	cr_assert(flag(&field(st, "failures")->via.array.ptr[0], "gave_up"));
	cr_assert_eq(count("rcpt-refused", ""), 1, "tried again after a refused recipient");
	cr_assert_eq(count("msg", ".json"), 0);
}

/* The province's relay: STARTTLS required, then AUTH, its certificate
 * from the province's own CA (--mail-ca).  A wrong password keeps the
 * message waiting; the right one sends it. */
Test(mail, a_relay_with_starttls_and_auth_takes_the_message_once_the_password_is_right)
{
	char bin[300], cert[400], key[400], right[400], wrong[400], *out = NULL;
	const char *url;
	FILE *f;

	cr_assert_eq(daemon_stop(&d), 0);
	sink_stop();
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	snprintf(cert, sizeof(cert), "%s/relay-cert.pem", d.dir);
	snprintf(key, sizeof(key), "%s/relay-key.pem", d.dir);
	cr_assert_eq(helpers_run((const char *const[]){bin, "gen-cert", "--cert", cert, "--key", key,
						       "--name", "127.0.0.1", NULL},
				 &out, NULL), 0);
	free(out);
	snprintf(right, sizeof(right), "%s/right", d.dir);
	snprintf(wrong, sizeof(wrong), "%s/wrong", d.dir);
	cr_assert((f = fopen(right, "w")));
	fputs("mật-khẩu-đúng\n", f);
	fclose(f);
	cr_assert((f = fopen(wrong, "w")));
	fputs("sai\n", f);
	fclose(f);
	sink_start_in("tls-relay", (const char *const[]){"--tls", cert, key, "--auth", "dotpha",
							 "mật-khẩu-đúng", NULL});
	url = keep_printf("smtp://127.0.0.1:%s", sink_port);
	{
		const char *extra[] = {"--clock", "2026-10-31T12:00:00", "--mail-via", url,
				       "--mail-ca", cert, "--mail-user", "dotpha",
				       "--mail-password-file", wrong, "--mail-from",
				       "dotpha@tinh.test", "--mail-retry", "0.2", NULL};

		cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
	}
	office_and_reminder();
	{
		const msgpack_object *failure = wait_attempts(2);

		cr_assert_not(flag(failure, "gave_up"), "given up for a wrong password");
		cr_assert(strstr(str(failure, "error"), "Login denied"), "%s", str(failure, "error"));
	}
	cr_assert_eq(count("msg", ".json"), 0);
	cr_assert_eq(daemon_stop(&d), 0);
	{
		const char *extra[] = {"--clock", "2026-10-31T12:00:00", "--mail-via", url,
				       "--mail-ca", cert, "--mail-user", "dotpha",
				       "--mail-password-file", right, "--mail-from",
				       "dotpha@tinh.test", "--mail-retry", "0.2", NULL};

		cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
	}
	wait_count("msg", ".json", 1);
	wait_outbox_empty();
	cr_assert_eq(count("msg", ".json"), 1);
	cr_assert(strstr(text_to("vp@tinh.test", "Đôn đốc việc #25"), "Đề nghị báo cáo"));
}

/* A digest says what waits on its day: one the relay kept from going out
 * that day is given up, not sent days late beside the next day's. */
Test(mail, a_digest_kept_from_its_day_is_given_up_and_the_next_days_goes)
{
	const msgpack_object *st;

	DOTPHA("account", "create", "vp-digest", "Văn phòng UBND tỉnh", "--role", "office",
	       "--scope", "UBND-T", "--email", "vp@tinh.test", "--notify", "digest");
	DOTPHA("remind", "25", "--message", "Đề nghị báo cáo", "--by", "05/11/2026");
	touch("refuse");
	restart_at("2026-11-01T08:00:00");
	wait_count("refused", "", 1);
	cr_assert_eq(I(status(), "pending"), 1, "the digest of 01/11 does not wait");
	untouch("refuse");
	cr_assert_eq(daemon_stop(&d), 0); /* before its next attempt */
	cr_assert_eq(count("msg", ".json"), 0);
	start_at("2026-11-02T08:00:00");
	wait_count("msg", ".json", 1);
	wait_outbox_empty();
	cr_assert_not_null(message_to("vp@tinh.test", "02/11/2026"));
	cr_assert_null(message_to("vp@tinh.test", "01/11/2026"), "a digest went out a day late");
	cr_assert_eq(count("msg", ".json"), 1);
	st = status();
	cr_assert_eq(I(st, "gave_up"), 1);
	cr_assert(strstr(str(&field(st, "failures")->via.array.ptr[0], "error"), "out of date"),
		  "%s", str(&field(st, "failures")->via.array.ptr[0], "error"));
}

Test(mail, a_daemon_killed_while_the_relay_holds_the_message_delivers_it_after_restart)
{
	char path[600], *held;

	touch("hang");
	office_and_reminder();
	wait_count("held", "", 1);
	snprintf(path, sizeof(path), "%s/held-1", sink_dir);
	cr_assert((held = helpers_read_file(path)));
	keep(held);
	cr_assert_eq(daemon_signal_wait(&d, SIGKILL, 5000), 128 + SIGKILL);
	untouch("hang");
	start_at("2026-10-31T12:00:00");
	wait_count("msg", ".json", 1);
	wait_outbox_empty();
	/* Nothing lost; at most the one duplicate a crash allows, with the
	 * same Message-ID as the message the relay held. */
	cr_assert_leq(count("msg", ".json"), 2);
	for (int i = 1; i <= count("msg", ".json"); i++)
		cr_assert_str_eq(str(message(i), "message_id"), held);
	cr_assert_eq(I(status(), "sent"), 1);
}

Test(mail, a_daemon_stopped_while_the_relay_holds_the_message_stops_at_once_and_sends_it_later)
{
	const msgpack_object *failure;

	touch("hang");
	office_and_reminder();
	wait_count("held", "", 1);
	/* The send in progress gives up: the stop does not wait for the relay. */
	cr_assert_eq(daemon_stop(&d), 0, "dotphad did not stop cleanly (see %s)", d.log);
	untouch("hang");
	start_at("2026-10-31T12:00:00");
	wait_count("msg", ".json", 1);
	wait_outbox_empty();
	cr_assert_eq(count("msg", ".json"), 1);
	failure = &field(status(), "failures")->via.array.ptr[0];
	cr_assert(flag(failure, "sent"), "the message sent after the restart");
	cr_assert_eq(I(failure, "attempts"), 2, "one attempt given up at the stop, one that went");
}

Test(mail, the_systems_sendmail_gets_the_message_on_its_standard_input)
{
	char script[600], out[600], *text;
	FILE *f;

	cr_assert_eq(daemon_stop(&d), 0);
	snprintf(script, sizeof(script), "%s/sendmail", d.dir);
	snprintf(out, sizeof(out), "%s/sendmail.out", d.dir);
	cr_assert((f = fopen(script, "w")));
	fprintf(f, "#!/bin/sh\n{ echo \"args: $*\"; cat; } > '%s.tmp' && mv '%s.tmp' '%s'\n", out,
		out, out);
	fclose(f);
	cr_assert_eq(chmod(script, 0700), 0);
	{
		const char *extra[] = {"--clock", "2026-10-31T12:00:00", "--mail-via",
				       keep_printf("sendmail:%s", script), "--mail-from",
				       "dotpha@tinh.test", "--mail-retry", "0.2", NULL};

		cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
	}
	office_and_reminder();
	wait_outbox_empty();
	cr_assert((text = helpers_read_file(out)), "sendmail was not run");
	keep(text);
	cr_assert(!strncmp(text, "args: -oi -t\n", 13), "%s", text);
	cr_assert(strstr(text, "\nTo: vp@tinh.test\r\n"), "%s", text);
	cr_assert(strstr(text, "\r\nMessage-ID: <1."), "%s", text);
	cr_assert_eq(I(status(), "sent"), 1);
	cr_assert_str_eq(S(status(), "via"), "sendmail");
}

Test(mime, a_digest_escapes_what_people_wrote_in_its_html_and_names_the_command)
{
	struct digest_account a = {.id = 2, .office = true, .login = "vp",
				   .display_name = "Văn phòng <Huyện> & Xã"};
	struct digest dg;
	struct composed c;

	memset(&dg, 0, sizeof(dg));
	dg.items[DIGEST_REMINDERS][0] = (struct digest_item){
		.id = 7, .task_id = 25, .title = "Việc <script>alert(1)</script>",
		.text = "Báo cáo \"ngay\" & đủ", .date = "2026-11-05", .what = "overdue", .days = 5};
	dg.n[DIGEST_REMINDERS] = 1;
	dg.total[DIGEST_REMINDERS] = 3;
	cr_assert_eq(compose_digest(&a, &dg, "2026-11-10", &c), 0);
	cr_assert_str_eq(c.subject, "Tổng hợp việc cần xử lý ngày 10/11/2026: 3 mục");
	cr_assert(strstr(c.text, "Kính gửi Văn phòng <Huyện> & Xã,"), "%s", c.text);
	cr_assert(strstr(c.text, "hạn trả lời 05/11/2026, đã quá hạn 5 ngày."), "%s", c.text);
	cr_assert(strstr(c.text, "Trả lời: dotpha answer 7 --text \"...\""), "%s", c.text);
	cr_assert(strstr(c.text, "Còn 2 mục nữa: dotpha inbox"), "%s", c.text);
	cr_assert_null(strstr(c.html, "<script>"), "%s", c.html);
	cr_assert(strstr(c.html, "Việc &lt;script&gt;alert(1)&lt;/script&gt;"), "%s", c.html);
	cr_assert(strstr(c.html, "Văn phòng &lt;Huyện&gt; &amp; Xã"), "%s", c.html);
	cr_assert(strstr(c.html, "&quot;ngay&quot; &amp; đủ"), "%s", c.html);
	compose_free(&c);
}
