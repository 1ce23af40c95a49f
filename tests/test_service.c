/*
 * test_service.c: dotpha as a Debian service (README, "As a Debian
 * service"): `make install` into a DESTDIR gives the tree, modes, unit and
 * config it should, and `make uninstall` takes it back; the installed
 * dotphad started with the installed config serves the installed client,
 * and the installed nightly backup keeps the newest N; `systemd-analyze
 * verify` accepts the units; `make deb` makes a package whose Depends
 * holds the libraries the programs load and no test tool; the sd_notify
 * protocol as systemd speaks it (READY, RELOADING, STOPPING, to an
 * abstract socket or a path); `dotphad restore`; the journal's log form.
 */
#define _GNU_SOURCE /* memmem */
#include <criterion/criterion.h>

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "helpers.h"

static struct daemon d;
static char tmp[256]; /* a scratch directory for installs, removed at the end */

static void setup(void)
{
	snprintf(tmp, sizeof(tmp), "/tmp/dotpha-service-XXXXXX");
	cr_assert_not_null(mkdtemp(tmp));
}

static void teardown(void)
{
	char *rm[] = {"/bin/rm", "-rf", tmp, NULL};

	daemon_cleanup(&d);
	if (tmp[0])
		helpers_run((const char *const *)rm, NULL, NULL);
}

TestSuite(service, .init = setup, .fini = teardown, .timeout = 180);

/* The permission bits of path; -1 if it does not exist. */
static int mode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (int)(st.st_mode & 07777) : -1;
}

/* Runs make (from the repository, where the tests run) with BUILD set to
 * this build and the words given (NULL-terminated).  Returns its status;
 * *out gets its stdout and stderr's end when it fails. */
static int run_make(char **out, const char *const *words)
{
	const char *argv[20] = {"/usr/bin/make", "-s", "--no-print-directory"};
	char build[300], *o = NULL, *e = NULL;
	int n = 3, rc;

	snprintf(build, sizeof(build), "BUILD=%s", helpers_build_dir());
	argv[n++] = build;
	for (; *words && n < 19; words++)
		argv[n++] = *words;
	argv[n] = NULL;
	rc = helpers_run(argv, &o, &e);
	if (rc != 0)
		fprintf(stderr, "make failed (%d): %s\n%s\n", rc, o ? o : "", e ? e : "");
	if (out)
		*out = o;
	else
		free(o);
	free(e);
	return rc;
}

/* path under the scratch directory, into buf. */
static const char *at(char *buf, size_t n, const char *path)
{
	snprintf(buf, n, "%s/%s", tmp, path);
	return buf;
}

/* Whether text holds line as a whole line. */
static bool has_line(const char *text, const char *line)
{
	size_t n = strlen(line);

	for (const char *p = text; (p = strstr(p, line)); p += n)
		if ((p == text || p[-1] == '\n') && (p[n] == '\n' || p[n] == '\0'))
			return true;
	return false;
}

/* The options `dotphad --help` lists for serving, each checked present
 * in conf as a commented line "#name" or "#name VALUE". */
static void every_option_is_in(const char *conf)
{
	const char *skip[] = {"config", "check", "anchor", "version", "help", "clock", NULL};
	char bin[300], *help = NULL, name[64], want[80];
	const char *p;
	unsigned n = 0;

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	cr_assert_eq(helpers_run((const char *const[]){bin, "--help", NULL}, &help, NULL), 0);
	for (p = help; (p = strstr(p, "\n  --")); p += 5) {
		bool skipped = false;

		sscanf(p + 5, "%63[a-z-]", name);
		for (int i = 0; skip[i]; i++)
			skipped |= strcmp(name, skip[i]) == 0;
		if (skipped)
			continue;
		n++;
		snprintf(want, sizeof(want), "\n#%s ", name);
		if (!strstr(conf, want)) {
			snprintf(want, sizeof(want), "#%s", name);
			cr_assert(has_line(conf, want), "dotphad.conf lacks the option %s", name);
		}
	}
	cr_assert_geq(n, 20, "only %u options found in --help", n);
	free(help);
}

Test(service, make_install_into_a_destdir_gives_the_tree_and_uninstall_takes_it_back)
{
	char dest[300], arg[320], p[1000], *unit, *conf;
	const char *files[][2] = {
		{"usr/local/bin/dotpha", "755"},
		{"usr/local/sbin/dotphad", "755"},
		{"usr/local/sbin/dotphad-backup", "755"},
		{"usr/local/lib/systemd/system/dotphad.service", "644"},
		{"usr/local/lib/systemd/system/dotphad-backup.service", "644"},
		{"usr/local/lib/systemd/system/dotphad-backup.timer", "644"},
		{"etc/dotpha/dotphad.conf", "644"},
		{"etc/dotpha/dotphad-backup.conf", "644"},
		{"usr/local/share/doc/dotpha/README.md", "644"},
	};
	const char *hardening[] = {
		"Type=notify", "User=dotpha", "StateDirectory=dotpha",
		"ConfigurationDirectory=dotpha", "Restart=on-failure",
		"ExecReload=/bin/kill -HUP $MAINPID", "NoNewPrivileges=yes",
		"ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
		"RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
		"SystemCallFilter=@system-service", "CapabilityBoundingSet=",
		"MemoryDenyWriteExecute=yes",
		"ExecStart=/usr/local/sbin/dotphad --config /etc/dotpha/dotphad.conf "
		"--db /var/lib/dotpha/dotpha.db",
	};
	const char *limit;

	at(dest, sizeof(dest), "dest");
	snprintf(arg, sizeof(arg), "DESTDIR=%s", dest);
	cr_assert_eq(run_make(NULL, (const char *const[]){"install", arg, NULL}), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dest, files[i][0]);
		cr_expect_eq(mode_of(p), (int)strtol(files[i][1], NULL, 8), "%s: mode %o, want %s", p,
			     mode_of(p), files[i][1]);
	}
	snprintf(p, sizeof(p), "%s/usr/local/lib/systemd/system/dotphad.service", dest);
	unit = helpers_read_file(p);
	cr_assert_not_null(unit);
	for (size_t i = 0; i < sizeof(hardening) / sizeof(hardening[0]); i++)
		cr_expect(has_line(unit, hardening[i]), "dotphad.service lacks %s", hardening[i]);
	/* --max-clients' default, the admin's reserve of 8 and the files */
	cr_assert_not_null(limit = strstr(unit, "\nLimitNOFILE="));
	cr_expect_gt(atoi(limit + 13), 1024 + 8 + 64, "LimitNOFILE=%d", atoi(limit + 13));
	free(unit);

	snprintf(p, sizeof(p), "%s/etc/dotpha/dotphad.conf", dest);
	conf = helpers_read_file(p);
	cr_assert_not_null(conf);
	for (const char *l = conf; *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : l + strlen(l))
		cr_assert(*l == '#' || *l == '\n', "an option is not commented out: %.40s", l);
	every_option_is_in(conf);
	cr_expect(has_line(conf, "#listen 127.0.0.1:7878"));
	cr_expect(has_line(conf, "#max-clients 1024"));
	free(conf);

	/* uninstall: everything installed goes, an edited config stays, and
	 * the data is never touched */
	snprintf(p, sizeof(p), "%s/etc/dotpha/dotphad-backup.conf", dest);
	{
		FILE *f = fopen(p, "a");

		cr_assert_not_null(f);
		fputs("keep 30\n", f);
		fclose(f);
	}
	snprintf(p, sizeof(p), "mkdir -p %s/var/lib/dotpha && echo db > %s/var/lib/dotpha/dotpha.db",
		 dest, dest);
	cr_assert_eq(system(p), 0);
	cr_assert_eq(run_make(NULL, (const char *const[]){"uninstall", arg, NULL}), 0);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(p, sizeof(p), "%s/%s", dest, files[i][0]);
		if (strstr(p, "dotphad-backup.conf"))
			cr_expect_eq(mode_of(p), 0644, "an edited config is kept");
		else
			cr_expect_eq(mode_of(p), -1, "%s is left after uninstall", p);
	}
	snprintf(p, sizeof(p), "%s/var/lib/dotpha/dotpha.db", dest);
	cr_expect_eq(mode_of(p) >= 0, 1, "uninstall removed the data");
}

/* Starts prog (argv) with stderr into log; returns its pid. */
static pid_t spawn(const char *const *argv, const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (fd >= 0) {
			dup2(fd, 2);
			close(fd);
		}
		helpers_child_defaults();
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

/* Waits up to 10 s for a port number in path; 0 on timeout. */
static int wait_port(const char *path)
{
	for (int i = 0; i < 1000; i++) {
		char *s = helpers_read_file(path);
		int port = s ? atoi(s) : 0;

		free(s);
		if (port > 0)
			return port;
		usleep(10000);
	}
	return 0;
}

Test(service, the_installed_dotphad_with_the_installed_config_serves_the_installed_client)
{
	char prefix[300], sysconf[300], a1[320], a2[320], conf[400], p[700];
	char dotphad[400], dotpha[400], backup[400], log[300], server[40], *text, *out = NULL;
	pid_t pid;
	int port, status;
	FILE *f;

	/* A real PREFIX (not DESTDIR), so the paths the files hold are real. */
	at(prefix, sizeof(prefix), "usr");
	at(sysconf, sizeof(sysconf), "etc");
	snprintf(a1, sizeof(a1), "PREFIX=%s", prefix);
	snprintf(a2, sizeof(a2), "SYSCONFDIR=%s", sysconf);
	cr_assert_eq(run_make(NULL, (const char *const[]){"install", a1, a2, NULL}), 0);
	snprintf(dotphad, sizeof(dotphad), "%s/sbin/dotphad", prefix);
	snprintf(dotpha, sizeof(dotpha), "%s/bin/dotpha", prefix);
	snprintf(backup, sizeof(backup), "%s/sbin/dotphad-backup", prefix);

	/* The installed config, with its paths moved into the scratch
	 * directory: as shipped, then three lines uncommented and changed. */
	snprintf(conf, sizeof(conf), "%s/dotpha/dotphad.conf", sysconf);
	text = helpers_read_file(conf);
	cr_assert_not_null(text);
	f = fopen(conf, "w");
	cr_assert_not_null(f);
	fprintf(f, "%s\nlisten = 127.0.0.1:0\ndb %s/dotpha.db\nport-file %s/port\n", text, tmp,
		tmp);
	fclose(f);
	free(text);
	at(log, sizeof(log), "dotphad.log");
	pid = spawn((const char *const[]){dotphad, "--config", conf, NULL}, log);
	snprintf(p, sizeof(p), "%s/port", tmp);
	port = wait_port(p);
	cr_assert_gt(port, 0, "the installed dotphad did not listen: %s", helpers_read_file(log));
	snprintf(server, sizeof(server), "127.0.0.1:%d", port);
	snprintf(p, sizeof(p), "%s/dotpha.db.admin-token", tmp);
	cr_assert_eq(mode_of(p), 0600, "the first admin's token file beside the database");
	text = helpers_read_file(p);
	cr_assert_not_null(text);
	text[strcspn(text, "\n")] = '\0';
	setenv("DOTPHA_TOKEN", text, 1);
	free(text);
	setenv("HOME", tmp, 1);
	cr_assert_eq(helpers_run((const char *const[]){dotpha, "--server", server, "whoami", NULL},
				 &out, NULL), 0);
	cr_expect(strstr(out, "admin"), "whoami: %s", out);
	free(out);

	/* The installed nightly backup, three times, keeping the newest 2. */
	unsetenv("DOTPHA_TOKEN");
	snprintf(a1, sizeof(a1), "%s/backups", tmp);
	snprintf(a2, sizeof(a2), "%s/dotpha.db.admin-token", tmp);
	for (int i = 0; i < 3; i++) {
		char *err = NULL;

		if (i)
			sleep(1); /* one backup a second: the names carry the second */
		status = helpers_run((const char *const[]){backup, "--keep", "2", "--dir", a1,
							   "--server", server, "--token-file", a2,
							   NULL},
				     &out, &err);
		cr_assert_eq(status, 0, "dotphad-backup: %s %s", out, err);
		free(out);
		free(err);
	}
	snprintf(p, sizeof(p), "ls %s | grep -c '^dotpha-.*\\.db$' | grep -qx 2", a1);
	cr_expect_eq(system(p), 0, "the newest 2 backups are kept, the oldest removed");
	snprintf(p, sizeof(p), "ls %s | grep -v '^dotpha-[0-9]\\{8\\}-[0-9]\\{6\\}\\.db$'", a1);
	cr_expect_neq(system(p), 0, "nothing else is left in the backup directory");

	kill(pid, SIGTERM);
	cr_assert_eq(waitpid(pid, &status, 0), pid);
	cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 0, "dotphad exited %d", status);
	text = helpers_read_file(log);
	cr_expect(strstr(text, "dotphad listening on 127.0.0.1:"), "%s", text);
	free(text);
}

Test(service, systemd_analyze_verify_accepts_the_units)
{
	char a1[320], a2[320], p[1200], *out = NULL, *err = NULL;
	int rc;

	if (access("/usr/bin/systemd-analyze", X_OK) != 0)
		cr_skip_test("systemd-analyze is not installed here: run `systemd-analyze verify "
			     "dist/*.service` where it is");
	snprintf(a1, sizeof(a1), "PREFIX=%s/usr", tmp);
	snprintf(a2, sizeof(a2), "SYSCONFDIR=%s/etc", tmp);
	cr_assert_eq(run_make(NULL, (const char *const[]){"install", a1, a2, NULL}), 0);
	snprintf(p, sizeof(p), "%s/usr/lib/systemd/system", tmp);
	{
		char u1[1300], u2[1300], u3[1300];

		snprintf(u1, sizeof(u1), "%s/dotphad.service", p);
		snprintf(u2, sizeof(u2), "%s/dotphad-backup.service", p);
		snprintf(u3, sizeof(u3), "%s/dotphad-backup.timer", p);
		rc = helpers_run((const char *const[]){"/usr/bin/systemd-analyze", "verify", u1, u2,
						       u3, NULL},
				 &out, &err);
		cr_expect_eq(rc, 0, "systemd-analyze verify: %s %s", out, err);
		cr_expect_eq(err[0], '\0', "systemd-analyze verify says: %s", err);
		free(out);
		free(err);
		/* The exposure score, where this systemd can judge a unit file
		 * offline (v250 and later). */
		rc = helpers_run((const char *const[]){"/usr/bin/systemd-analyze", "security",
						       "--offline=true", u1, NULL},
				 &out, &err);
		if (rc >= 0 && strstr(out, "Overall exposure level")) {
			double score = atof(strstr(out, "Overall exposure level") +
					    strlen("Overall exposure level for dotphad.service: "));

			fprintf(stderr, "dotphad.service: exposure %.1f\n", score);
			cr_expect_leq(score, 2.0, "%s", out);
		}
		free(out);
		free(err);
	}
}

Test(service, make_deb_builds_a_package_that_loads_its_libraries_and_no_test_tool)
{
	const char *tools[] = {"criterion", "python3", "clang", "chromium", "valgrind", "msgpack-dev",
			       "build-essential", NULL};
	char *deb = NULL, *info = NULL, *contents = NULL, ctrl[300], p[400];
	const char *dep;

	cr_assert_eq(run_make(&deb, (const char *const[]){"deb", NULL}), 0);
	deb[strcspn(deb, "\n")] = '\0';
	cr_assert(strstr(deb, ".deb"), "make deb printed %s", deb);
	cr_assert_eq(helpers_run((const char *const[]){"/usr/bin/dpkg-deb", "--info", deb, NULL},
				 &info, NULL), 0);
	cr_assert_not_null(dep = strstr(info, "\n Depends: "), "%s", info);
	for (int i = 0; tools[i]; i++)
		cr_expect_null(strstr(dep, tools[i]) && strstr(dep, tools[i]) < strchr(dep + 1, '\n')
				       ? strstr(dep, tools[i]) : NULL,
			       "Depends names a test or build tool (%s): %.300s", tools[i], dep);
	{
		const char *libs[] = {"libuv1", "libsqlite3-0", "libssl3", "libmsgpack", NULL};
		size_t n = (size_t)(strchr(dep + 1, '\n') - dep);

		for (int i = 0; libs[i]; i++)
			cr_expect(memmem(dep, n, libs[i], strlen(libs[i])), "Depends lacks %s: %.*s",
				  libs[i], (int)n, dep);
	}
	cr_expect(strstr(info, " Package: dotpha\n"));
	cr_assert_eq(helpers_run((const char *const[]){"/usr/bin/dpkg-deb", "--contents", deb, NULL},
				 &contents, NULL), 0);
	{
		const char *want[] = {"./usr/sbin/dotphad\n", "./usr/bin/dotpha\n",
				      "./usr/sbin/dotphad-backup\n",
				      "./lib/systemd/system/dotphad.service\n",
				      "./lib/systemd/system/dotphad-backup.service\n",
				      "./lib/systemd/system/dotphad-backup.timer\n",
				      "./etc/dotpha/dotphad.conf\n",
				      "./usr/share/man/man1/dotpha.1.gz\n",
				      "./usr/share/man/vi/man1/dotpha.1.gz\n",
				      "./usr/share/man/man8/dotphad.8.gz\n",
				      "./usr/share/bash-completion/completions/dotpha\n",
				      "./usr/share/zsh/vendor-completions/_dotpha\n", NULL};

		for (int i = 0; want[i]; i++)
			cr_expect(strstr(contents, want[i]), "the package lacks %s", want[i]);
		cr_expect_null(strstr(contents, "./var/log"), "nothing in /var/log");
	}
	/* the maintainer scripts, executable; the user and directory made */
	snprintf(ctrl, sizeof(ctrl), "%s/control", tmp);
	cr_assert_eq(helpers_run((const char *const[]){"/usr/bin/dpkg-deb", "--control", deb, ctrl,
						       NULL},
				 NULL, NULL), 0);
	for (int i = 0; i < 3; i++) {
		const char *s[] = {"postinst", "prerm", "postrm"};

		snprintf(p, sizeof(p), "%s/%s", ctrl, s[i]);
		cr_expect_eq(mode_of(p) & 0111, 0111, "%s is not executable (%o)", s[i], mode_of(p));
		cr_expect_eq(helpers_run((const char *const[]){"/bin/sh", "-n", p, NULL}, NULL, NULL),
			     0, "%s: sh -n finds an error", s[i]);
	}
	snprintf(p, sizeof(p), "%s/postinst", ctrl);
	{
		char *postinst = helpers_read_file(p);

		cr_assert_not_null(postinst);
		cr_expect(strstr(postinst, "install -d -m 0700 -o dotpha -g dotpha /var/lib/dotpha\n"));
		cr_expect(strstr(postinst, "adduser --system"));
		cr_expect_null(strstr(postinst, "/var/log"));
		free(postinst);
	}
	snprintf(p, sizeof(p), "%s/conffiles", ctrl);
	{
		char *conffiles = helpers_read_file(p);

		cr_assert_not_null(conffiles);
		cr_expect(strstr(conffiles, "/etc/dotpha/dotphad.conf\n"));
		free(conffiles);
	}
	free(deb);
	free(info);
	free(contents);
}

/* A datagram socket bound where NOTIFY_SOCKET will name it: an abstract
 * name ("@...") or a path in the scratch directory. */
static int notify_socket(bool abstract, char *name, size_t n)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	socklen_t len;
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	cr_assert_geq(fd, 0);
	if (abstract) {
		snprintf(name, n, "@dotpha-test-notify-%ld-%ld", (long)getpid(), (long)time(NULL));
		memcpy(sa.sun_path, name, strlen(name));
		sa.sun_path[0] = '\0';
		len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + strlen(name));
	} else {
		snprintf(name, n, "%s/notify", tmp);
		cr_assert_lt(strlen(name), sizeof(sa.sun_path));
		memcpy(sa.sun_path, name, strlen(name) + 1);
		len = sizeof(sa);
	}
	cr_assert_eq(bind(fd, (struct sockaddr *)&sa, len), 0, "bind %s: %s", name, strerror(errno));
	return fd;
}

/* The next datagram on fd within 10 s, into buf; "" on timeout. */
static const char *next_notice(int fd, char *buf, size_t n)
{
	struct pollfd p = {.fd = fd, .events = POLLIN};
	ssize_t got;

	buf[0] = '\0';
	if (poll(&p, 1, 10000) == 1 && (got = recv(fd, buf, n - 1, 0)) >= 0)
		buf[got] = '\0';
	return buf;
}

static void notify_protocol(bool abstract)
{
	char name[300], msg[600];
	int fd = notify_socket(abstract, name, sizeof(name));

	setenv("NOTIFY_SOCKET", name, 1);
	cr_assert_eq(daemon_start(&d, NULL), 0); /* returns once the port file is there */
	unsetenv("NOTIFY_SOCKET");
	next_notice(fd, msg, sizeof(msg));
	cr_assert(strncmp(msg, "READY=1\n", 8) == 0, "first notice: '%s'", msg);
	cr_expect(strstr(msg, "STATUS=listening on 127.0.0.1:"), "%s", msg);

	kill(d.pid, SIGHUP);
	next_notice(fd, msg, sizeof(msg));
	cr_assert(strncmp(msg, "RELOADING=1\nMONOTONIC_USEC=", 27) == 0, "at SIGHUP: '%s'", msg);
	{
		struct timespec ts;
		unsigned long long usec = strtoull(msg + 27, NULL, 10), now;

		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (unsigned long long)ts.tv_sec * 1000000ull + (unsigned long long)ts.tv_nsec / 1000;
		cr_expect(usec <= now && now - usec < 10000000ull, "MONOTONIC_USEC %llu, now %llu",
			  usec, now);
	}
	next_notice(fd, msg, sizeof(msg));
	cr_assert(strncmp(msg, "READY=1\n", 8) == 0, "after the reload: '%s'", msg);

	cr_assert_eq(daemon_signal_wait(&d, SIGTERM, 10000), 0);
	d.pid = 0;
	next_notice(fd, msg, sizeof(msg));
	cr_assert(strncmp(msg, "STOPPING=1", 10) == 0, "at SIGTERM: '%s'", msg);
	close(fd);
}

Test(service, dotphad_speaks_sd_notify_to_an_abstract_socket)
{
	notify_protocol(true);
}

Test(service, dotphad_speaks_sd_notify_to_a_socket_path)
{
	notify_protocol(false);
}

/* Runs build/dotphad restore FILE --db DB; *err gets stderr. */
static int restore(const char *file, const char *db, char **out, char **err)
{
	char bin[300];

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	return helpers_run((const char *const[]){bin, "restore", file, "--db", db, NULL}, out, err);
}

/* The inode of path, to tell whether it was replaced. */
static ino_t inode_of(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? st.st_ino : 0;
}

Test(service, restore_refuses_while_served_and_a_corrupt_file_then_keeps_the_old_aside)
{
	char copy[400], bad[400], *out = NULL, *err = NULL, *text;
	ino_t before;
	int fd;

	cr_assert_eq(daemon_start(&d, NULL), 0);
	snprintf(copy, sizeof(copy), "%s/sao-luu.db", d.dir);
	cr_assert_eq(client_run(&d, NULL, NULL,
				(const char *const[]){"admin", "backup", copy, NULL}), 0);
	/* made after the backup: gone once it is restored */
	cr_assert_eq(client_run(&d, NULL, NULL,
				(const char *const[]){"unit", "create", "SAU-BACKUP",
						      "Đơn vị sau sao lưu", "--level", "tỉnh", NULL}),
		     0);
	before = inode_of(d.db);

	/* while dotphad serves the database */
	cr_assert_eq(restore(copy, d.db, &out, &err), 1);
	cr_expect(strstr(err, "is in use") && strstr(err, "stop it first"), "%s", err);
	cr_expect_eq(inode_of(d.db), before, "the database was replaced under a running daemon");
	free(out);
	free(err);
	cr_assert_eq(daemon_stop(&d), 0);

	/* a file that is not a whole database */
	snprintf(bad, sizeof(bad), "%s/hong.db", d.dir);
	text = helpers_read_file(copy);
	fd = open(bad, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(write(fd, text, 8192), 8192); /* the first pages only */
	close(fd);
	free(text);
	cr_assert_eq(restore(bad, d.db, &out, &err), 1);
	cr_expect(strstr(err, "did not pass the checks"), "%s", err);
	cr_expect_eq(inode_of(d.db), before, "a corrupt file replaced the database");
	free(out);
	free(err);
	{
		char p[600];

		snprintf(p, sizeof(p), "ls %s | grep -q restoring", d.dir);
		cr_expect_neq(system(p), 0, "a checked copy was left behind");
	}

	/* the backup, the daemon stopped */
	cr_assert_eq(restore(copy, d.db, &out, &err), 0, "%s %s", out, err);
	cr_expect(strstr(out, "integrity: ok"), "the --check report is shown: %s", out);
	cr_expect(strstr(out, "restored "), "%s", out);
	cr_expect(strstr(out, ".replaced-"), "%s", out);
	cr_expect_neq(inode_of(d.db), before);
	cr_expect_eq(mode_of(d.db), 0600);
	{
		char aside[600];
		const char *p = strstr(out, "kept as ");

		cr_assert_not_null(p, "%s", out);
		snprintf(aside, sizeof(aside), "%.*s", (int)strcspn(p + 8, " \n"), p + 8);
		cr_expect_eq(inode_of(aside), before, "the old database is kept as %s", aside);
		cr_expect(strstr(aside, ".replaced-20"), "%s", aside);
	}
	free(out);
	free(err);
	cr_assert_eq(daemon_start(&d, NULL), 0);
	cr_assert_eq(client_run(&d, &out, NULL, (const char *const[]){"unit", "list", NULL}), 0);
	cr_expect_null(strstr(out, "SAU-BACKUP"), "the restored database has the later unit: %s",
		       out);
	free(out);
}

/* The daemon's log with JOURNAL_STREAM naming its stderr, or not. */
static char *log_of_a_start(bool journal)
{
	struct stat st;
	char stream[64];
	int fd;

	cr_assert_eq(daemon_prepare(&d), 0);
	fd = open(d.log, O_WRONLY | O_CREAT | O_APPEND, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(fstat(fd, &st), 0);
	close(fd);
	snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
		 (unsigned long long)st.st_ino + (journal ? 0 : 1));
	setenv("JOURNAL_STREAM", stream, 1);
	setenv("TZ", "ICT-7", 1); /* Vietnam: UTC+7, in POSIX form */
	cr_assert_eq(daemon_start(&d, NULL), 0);
	unsetenv("JOURNAL_STREAM");
	cr_assert_eq(daemon_stop(&d), 0);
	return helpers_read_file(d.log);
}

Test(service, on_the_journal_each_line_starts_with_its_syslog_priority)
{
	char *log = log_of_a_start(true);

	cr_assert_not_null(log);
	cr_expect(strstr(log, "\n<6>dotphad listening on 127.0.0.1:") ||
			  strncmp(log, "<6>dotphad listening", 20) == 0,
		  "%s", log);
	for (const char *l = log; *l; l = strchr(l, '\n') + 1) {
		cr_assert(l[0] == '<' && strchr("3467", l[1]) && l[2] == '>',
			  "a line without its priority: %.60s", l);
		cr_assert(!(l[3] >= '0' && l[3] <= '9'), "a line with a time of its own: %.60s", l);
	}
	free(log);

	/* an error is <3>: a start refused */
	{
		char bin[300], stream[64], *err;
		struct stat st;
		pid_t pid;
		int status;

		snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
		unlink(d.log);
		close(open(d.log, O_WRONLY | O_CREAT, 0600));
		cr_assert_eq(stat(d.log, &st), 0);
		snprintf(stream, sizeof(stream), "%llu:%llu", (unsigned long long)st.st_dev,
			 (unsigned long long)st.st_ino);
		setenv("JOURNAL_STREAM", stream, 1);
		pid = spawn((const char *const[]){bin, "--db", d.db, "--listen", "127.0.0.1:0",
						  "--tls-cert", "x.pem", NULL},
			    d.log);
		unsetenv("JOURNAL_STREAM");
		cr_assert_eq(waitpid(pid, &status, 0), pid);
		cr_expect(WIFEXITED(status) && WEXITSTATUS(status) == 1);
		err = helpers_read_file(d.log);
		cr_expect(strstr(err, "<3>--tls-cert and --tls-key go together"), "%s", err);
		free(err);
	}
}

Test(service, elsewhere_each_line_starts_with_the_local_time_and_its_offset)
{
	char *log = log_of_a_start(false); /* JOURNAL_STREAM names another file */
	int y, mo, da, h, mi, s, ms;
	char sign, level[8];

	cr_assert_not_null(log);
	for (const char *l = log; *l; l = strchr(l, '\n') + 1) {
		char zone[7] = "";

		cr_assert_eq(sscanf(l, "%4d-%2d-%2dT%2d:%2d:%2d.%3d%c%6s %7s", &y, &mo, &da, &h, &mi,
				    &s, &ms, &sign, zone, level),
			     10, "a line without its time: %.60s", l);
		cr_assert_str_eq(zone, "07:00", "local time, UTC+7 here: %.60s", l);
		cr_assert_eq(sign, '+');
	}
	free(log);
}
