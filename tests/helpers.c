/*
 * helpers.c: see helpers.h.
 */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "date.h"
#include "message.h"

const char *helpers_build_dir(void)
{
	const char *b = getenv("DOTPHA_BUILD");

	return b && *b ? b : "build";
}

/* Every test process reads dates in the zone the daemon judges in
 * (dotphad --timezone's default) whatever the machine's own, so that a
 * test's date_today() and the daemon's "today" agree at any hour: 17:00
 * UTC is already tomorrow in Hà Nội. */
__attribute__((constructor)) static void helpers_zone(void)
{
	setenv("TZ", date_posix_zone(DATE_DEFAULT_ZONE), 1);
	tzset();
}

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

void helpers_child_defaults(void)
{
	sigset_t none;

	for (int sig = 1; sig < NSIG; sig++)
		signal(sig, SIG_DFL); /* SIGKILL, SIGSTOP and the real-time ones libc keeps: refused, harmless */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	umask(022);
}

int daemon_prepare(struct daemon *d)
{
	const char *tmp = getenv("TMPDIR");

	memset(d, 0, sizeof(*d));
	snprintf(d->dir, sizeof(d->dir), "%s/dotpha-test-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(d->dir))
		return -1;
	snprintf(d->db, sizeof(d->db), "%s/test.db", d->dir);
	snprintf(d->log, sizeof(d->log), "%s/dotphad.log", d->dir);
	return 0;
}

/* Reads the token the daemon wrote on first start and exports it. */
static int read_token(struct daemon *d)
{
	char path[340];
	FILE *f;

	snprintf(path, sizeof(path), "%s.admin-token", d->db);
	f = fopen(path, "r");
	if (!f)
		return -1;
	if (!fgets(d->token, sizeof(d->token), f)) {
		fclose(f);
		return -1;
	}
	fclose(f);
	d->token[strcspn(d->token, "\n")] = '\0';
	setenv("DOTPHA_TOKEN", d->token, 1);
	return 0;
}

int helpers_tls(void)
{
	const char *v = getenv("DOTPHA_TEST_TLS");

	return v && *v && strcmp(v, "0") != 0;
}

int daemon_make_cert(struct daemon *d)
{
	char bin[300], cert[300], key[300], *out = NULL, *fp;
	int rc;

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	snprintf(cert, sizeof(cert), "%s/cert.pem", d->dir);
	snprintf(key, sizeof(key), "%s/key.pem", d->dir);
	{
		const char *argv[] = {bin, "gen-cert", "--cert", cert, "--key", key, "--name",
				      "127.0.0.1", "--name", "localhost", NULL};

		rc = helpers_run(argv, &out, NULL);
	}
	fp = out ? strstr(out, "fingerprint: ") : NULL;
	if (rc != 0 || !fp) {
		free(out);
		return -1;
	}
	fp += strlen("fingerprint: ");
	snprintf(d->fingerprint, sizeof(d->fingerprint), "%.*s", (int)strcspn(fp, "\n"), fp);
	free(out);
	return 0;
}

int daemon_start(struct daemon *d, const char *const *extra)
{
	char bin[300], portfile[300], cert[300], key[300];
	const char *argv[40];
	int n = 0;
	long deadline;

	if (!d->dir[0] && daemon_prepare(d) < 0)
		return -1;
	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	snprintf(portfile, sizeof(portfile), "%s/port", d->dir);
	unlink(portfile);
	if (getenv("DOTPHA_VALGRIND")) {
		argv[n++] = "valgrind";
		argv[n++] = "-q";
		argv[n++] = "--error-exitcode=97"; /* VALGRIND_FOUND */
		argv[n++] = "--leak-check=full";
		argv[n++] = "--errors-for-leak-kinds=definite,indirect";
		argv[n++] = "--show-leak-kinds=definite,indirect";
	}
	argv[n++] = bin;
	argv[n++] = "--listen";
	argv[n++] = "127.0.0.1:0";
	argv[n++] = "--db";
	argv[n++] = d->db;
	argv[n++] = "--port-file";
	argv[n++] = portfile;
	argv[n++] = "--log-level";
	argv[n++] = "debug";
	if (helpers_tls()) {
		if (!d->fingerprint[0] && daemon_make_cert(d) < 0)
			return -1;
		snprintf(cert, sizeof(cert), "%s/cert.pem", d->dir);
		snprintf(key, sizeof(key), "%s/key.pem", d->dir);
		argv[n++] = "--tls-cert";
		argv[n++] = cert;
		argv[n++] = "--tls-key";
		argv[n++] = key;
	}
	for (; extra && *extra && n < 38; extra++)
		argv[n++] = *extra;
	argv[n] = NULL;
	d->pid = fork();
	if (d->pid < 0)
		return -1;
	if (d->pid == 0) {
		int fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0600);

#ifdef __linux__
		/* a test killed by its timeout must not leave a daemon behind */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
#endif

		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		helpers_child_defaults();
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	deadline = now_ms() + (getenv("DOTPHA_VALGRIND") ? 60000 : 10000);
	while (now_ms() < deadline) {
		FILE *f = fopen(portfile, "r");
		int status;

		if (f) {
			int ok = fscanf(f, "%d", &d->port) == 1;

			fclose(f);
			if (ok && d->port > 0)
				return read_token(d);
		}
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			return -1;
		}
		usleep(10000);
	}
	return -1;
}

/* Under `make valgrind` (DOTPHA_VALGRIND names a report file), a daemon
 * that valgrind found errors or leaks in exits VALGRIND_FOUND: its log goes
 * into the report, which the make target then shows and fails on. */
#define VALGRIND_FOUND 97

static void valgrind_report(const struct daemon *d)
{
	const char *report = getenv("DOTPHA_VALGRIND");
	char *log = helpers_read_file(d->log);
	FILE *f;

	if (!report || !(f = fopen(report, "a"))) {
		free(log);
		return;
	}
	fprintf(f, "==== valgrind found errors in dotphad (%s):\n%s\n", d->log, log ? log : "");
	fclose(f);
	free(log);
}

int daemon_signal_wait(struct daemon *d, int sig, int timeout_ms)
{
	long deadline;
	int status;

	if (d->pid <= 0)
		return -1;
	if (getenv("DOTPHA_VALGRIND"))
		timeout_ms *= 10; /* the leak check at exit takes its time */
	deadline = now_ms() + timeout_ms;
	kill(d->pid, sig);
	while (now_ms() < deadline) {
		if (waitpid(d->pid, &status, WNOHANG) == d->pid) {
			d->pid = 0;
			if (WIFEXITED(status) && WEXITSTATUS(status) == VALGRIND_FOUND &&
			    getenv("DOTPHA_VALGRIND"))
				valgrind_report(d);
			if (WIFEXITED(status))
				return WEXITSTATUS(status);
			return 128 + WTERMSIG(status);
		}
		usleep(5000);
	}
	kill(d->pid, SIGKILL);
	waitpid(d->pid, &status, 0);
	d->pid = 0;
	return -1;
}

int daemon_stop(struct daemon *d)
{
	int status;

	if (d->pid <= 0)
		return 0;
	status = daemon_signal_wait(d, SIGTERM, 10000);
	if (status != 0)
		setenv("DOTPHA_KEEP_TEST_DIR", "1", 1);
	return status;
}

void daemon_cleanup(struct daemon *d)
{
	char cmd[400];

	if (d->pid > 0)
		daemon_signal_wait(d, SIGTERM, 5000);
	if (d->dir[0] && !getenv("DOTPHA_KEEP_TEST_DIR")) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", d->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", d->dir);
	}
	d->dir[0] = '\0';
}

/* Reads fd to EOF into a malloc'ed string. */
static char *slurp(int fd)
{
	size_t cap = 4096, len = 0;
	char *buf = malloc(cap);
	ssize_t n;

	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += (size_t)n;
		if (cap - len < 1024) {
			char *nb = realloc(buf, cap * 2);

			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
			cap *= 2;
		}
	}
	if (buf)
		buf[len] = '\0';
	return buf;
}

int helpers_run(const char *const *argv, char **out, char **err)
{
	int po[2], pe[2], status;
	pid_t pid;
	char *o, *e;

	if (pipe(po) < 0 || pipe(pe) < 0)
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (pid == 0) {
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(pe[0]);
		close(po[1]);
		close(pe[1]);
		helpers_child_defaults();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	/* stderr is small; read stdout first, then stderr.  A client that
	 * fills the stderr pipe would block: our messages are one line. */
	o = slurp(po[0]);
	e = slurp(pe[0]);
	close(po[0]);
	close(pe[0]);
	waitpid(pid, &status, 0);
	if (out)
		*out = o;
	else
		free(o);
	if (err)
		*err = e;
	else
		free(e);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* dotpha --server 127.0.0.1:PORT, pinned to d's certificate if it has
 * one; returns the count of words written. */
static int client_argv(const struct daemon *d, const char **argv, const char *bin,
		       const char *server)
{
	int n = 0;

	argv[n++] = bin;
	argv[n++] = "--server";
	argv[n++] = server;
	if (d->fingerprint[0]) {
		argv[n++] = "--fingerprint";
		argv[n++] = d->fingerprint;
	}
	return n;
}

int client_run(const struct daemon *d, char **out, char **err, const char *const *args)
{
	char bin[300], server[64];
	const char *argv[64];
	int n = 0;

	snprintf(bin, sizeof(bin), "%s/dotpha", helpers_build_dir());
	snprintf(server, sizeof(server), "127.0.0.1:%d", d->port);
	n = client_argv(d, argv, bin, server);
	for (; args && *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	return helpers_run(argv, out, err);
}

pid_t client_spawn(const struct daemon *d, int gate_fd, const char *out_path,
		   const char *err_path, const char *const *args)
{
	char bin[300], server[64];
	const char *argv[64];
	int n = 0;
	pid_t pid;

	snprintf(bin, sizeof(bin), "%s/dotpha", helpers_build_dir());
	snprintf(server, sizeof(server), "127.0.0.1:%d", d->port);
	n = client_argv(d, argv, bin, server);
	for (; args && *args && n < 63; args++)
		argv[n++] = *args;
	argv[n] = NULL;
	pid = fork();
	if (pid != 0)
		return pid < 0 ? -1 : pid;
#ifdef __linux__
	prctl(PR_SET_PDEATHSIG, SIGKILL);
#endif
	{
		int fo = open(out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		int fe = open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
		char c;

		if (fo < 0 || fe < 0)
			_exit(127);
		dup2(fo, 1);
		dup2(fe, 2);
		close(fo);
		close(fe);
		if (gate_fd >= 0) {
			while (read(gate_fd, &c, 1) < 0 && errno == EINTR)
				;
			close(gate_fd);
		}
		helpers_child_defaults();
		execv(bin, (char *const *)argv);
		_exit(127);
	}
}

int helpers_wait(pid_t pid)
{
	int status;

	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return WIFSIGNALED(status) ? 128 + WTERMSIG(status) : -1;
}

int helpers_client_config(const char *home, const char *text)
{
	char path[1100];
	FILE *f;
	int ok;

	snprintf(path, sizeof(path), "%s/dotpha", home);
	if (mkdir(path, 0700) < 0 && errno != EEXIST)
		return -1;
	snprintf(path, sizeof(path), "%s/dotpha/config", home);
	if (!(f = fopen(path, "w")))
		return -1;
	ok = fputs(text, f) >= 0;
	return fclose(f) == 0 && ok ? 0 : -1;
}

char *helpers_read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	char *s;

	if (fd < 0)
		return NULL;
	s = slurp(fd);
	close(fd);
	return s;
}

int raw_connect(int port)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;

	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(fd);
		return -1;
	}
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	return fd;
}

int raw_send(int fd, const void *p, size_t n)
{
	const char *c = p;

	while (n > 0) {
		ssize_t w = send(fd, c, n, MSG_NOSIGNAL);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		c += w;
		n -= (size_t)w;
	}
	return 0;
}

int raw_recv(int fd, msgpack_unpacker *up, msgpack_unpacked *u, int timeout_ms)
{
	long deadline = now_ms() + timeout_ms;

	for (;;) {
		struct pollfd pfd = {.fd = fd, .events = POLLIN};
		long left;
		ssize_t n;

		switch (msgpack_unpacker_next(up, u)) {
		case MSGPACK_UNPACK_SUCCESS:
			return 1;
		case MSGPACK_UNPACK_CONTINUE:
			break;
		default:
			return -1;
		}
		left = deadline - now_ms();
		if (left <= 0 || poll(&pfd, 1, (int)left) <= 0)
			return -1;
		if (!msgpack_unpacker_reserve_buffer(up, 65536))
			return -1;
		n = recv(fd, msgpack_unpacker_buffer(up), msgpack_unpacker_buffer_capacity(up), 0);
		if (n == 0)
			return 0;
		if (n < 0)
			return -1;
		msgpack_unpacker_buffer_consumed(up, (size_t)n);
	}
}

int raw_request(int fd, uint32_t msgid, const char *method, const char *params, size_t len)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int rc;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	if (params) {
		message_pack_request_head(&pk, msgid, method);
		msgpack_sbuffer_write(&sb, params, len);
	} else {
		msgpack_pack_array(&pk, 4);
		msgpack_pack_uint8(&pk, 0);
		msgpack_pack_uint32(&pk, msgid);
		msgpack_pack_str(&pk, strlen(method));
		msgpack_pack_str_body(&pk, method, strlen(method));
		msgpack_pack_array(&pk, 0);
	}
	rc = raw_send(fd, sb.data, sb.size);
	msgpack_sbuffer_destroy(&sb);
	return rc;
}

int raw_auth(int fd, const struct daemon *d)
{
	msgpack_sbuffer sb;
	msgpack_packer pk;
	msgpack_unpacker up;
	msgpack_unpacked u;
	int ok;

	msgpack_sbuffer_init(&sb);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_map(&pk, 1);
	msgpack_pack_str(&pk, 5);
	msgpack_pack_str_body(&pk, "token", 5);
	msgpack_pack_str(&pk, strlen(d->token));
	msgpack_pack_str_body(&pk, d->token, strlen(d->token));
	ok = raw_request(fd, 0x7fffffff, "session.auth", sb.data, sb.size) == 0;
	msgpack_sbuffer_destroy(&sb);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	ok = ok && raw_recv(fd, &up, &u, 10000) == 1 && u.data.type == MSGPACK_OBJECT_ARRAY &&
	     u.data.via.array.size == 4 && u.data.via.array.ptr[2].type == MSGPACK_OBJECT_NIL;
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	return ok ? 0 : -1;
}

/* True if the word w[0..n) is in allow (blank-separated), in any case. */
static bool allowed(const char *allow, const char *w, size_t n)
{
	for (const char *p = allow; *p;) {
		size_t k;

		p += strspn(p, " \t\r\n");
		k = strcspn(p, " \t\r\n");
		if (k == n && strncasecmp(p, w, n) == 0)
			return true;
		p += k;
	}
	return false;
}

/* Appends w[0..n) and a newline to *out (of *len bytes) unless it is there. */
static void add_word(char **out, size_t *len, const char *w, size_t n)
{
	char *p;

	for (const char *q = *out; q && *q; q += strcspn(q, "\n") + 1)
		if (strcspn(q, "\n") == n && strncmp(q, w, n) == 0)
			return;
	if (!(p = realloc(*out, *len + n + 2)))
		return;
	memcpy(p + *len, w, n);
	p[*len + n] = '\n';
	p[*len + n + 1] = '\0';
	*out = p;
	*len += n + 1;
}

char *helpers_foreign_words(const char *text, const char *allow)
{
	static const char strip[] = "()[]{}<>,;:.!?`'\"*|+";
	char *out = calloc(1, 1);
	size_t len = 0;

	for (const char *p = text; *p;) {
		const char *w;
		size_t n;
		bool skip = false;

		p += strspn(p, " \t\r\n");
		n = strcspn(p, " \t\r\n");
		w = p;
		p += n;
		while (n && strchr(strip, w[0]))
			w++, n--;
		while (n && strchr(strip, w[n - 1]))
			n--;
		for (size_t i = 0; i < n && !skip; i++)
			skip = (w[i] >= '0' && w[i] <= '9') || (unsigned char)w[i] >= 0x80 ||
			       strchr("_/@=$~\\#%", w[i]);
		if (skip || n == 0)
			continue;
		if (w[0] == '-') {
			if (n > 1 && !allowed(allow, w, n))
				add_word(&out, &len, w, n);
			continue;
		}
		while (n) {
			size_t k = strcspn(w, ".-:'|");

			if (k > n)
				k = n;
			if (k && !allowed(allow, w, k))
				add_word(&out, &len, w, k);
			w += k < n ? k + 1 : k;
			n -= k < n ? k + 1 : k;
		}
	}
	return out;
}

int helpers_client_home(const char *tag, char *home, size_t n)
{
	if ((size_t)snprintf(home, n, "/tmp/dotpha-%s-XXXXXX", tag) >= n || !mkdtemp(home))
		return -1;
	setenv("HOME", home, 1);
	setenv("XDG_CONFIG_HOME", home, 1);
	unsetenv("DOTPHA_LANG");
	unsetenv("DOTPHA_SERVER");
	unsetenv("DOTPHA_TOKEN");
	return 0;
}

int helpers_remove_tree(const char *dir)
{
	const char *const argv[] = {"/bin/rm", "-rf", "--", dir, NULL};

	return helpers_run(argv, NULL, NULL) == 0 ? 0 : -1;
}

/* The <inttypes.h> macros a text may hold between its literals. */
static const char *pri_macro(const char *p, size_t *len)
{
	static const struct {
		const char *name, *value;
	} m[] = {{"PRId64", PRId64}, {"PRIu64", PRIu64}, {"PRIu32", PRIu32}, {"PRId32", PRId32}};

	for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
		if (strncmp(p, m[i].name, strlen(m[i].name)) == 0) {
			*len = strlen(m[i].name);
			return m[i].value;
		}
	return NULL;
}

bool helpers_c_literals(const char **pp, char *out, size_t cap)
{
	const char *p = *pp, *v;
	size_t n = 0, k;
	bool any = false;

	for (;;) {
		p += strspn(p, " \t\n");
		if (*p == '"') {
			for (p++; *p && *p != '"'; p++) {
				char c = *p;

				if (c == '\\') {
					switch (*++p) {
					case 'n': c = '\n'; break;
					case 't': c = '\t'; break;
					case 'r': c = '\r'; break;
					case '0': c = '\0'; break;
					default: c = *p; break; /* \" \\ \' */
					}
				}
				if (n + 1 >= cap)
					return false;
				out[n++] = c;
			}
			p++;
			any = true;
		} else if (any && (v = pri_macro(p, &k))) {
			if (n + strlen(v) >= cap)
				return false;
			memcpy(out + n, v, strlen(v));
			n += strlen(v);
			p += k;
		} else {
			break;
		}
	}
	out[n] = '\0';
	*pp = p;
	return any;
}
