/*
 * options.c: dotphad's command line and --config file into struct options:
 * the words of --config merged before the command line's (which win),
 * each option checked as it is read, and an error naming the option, or
 * the file and line it came from.  main.c runs what they ask; SIGHUP
 * parses them again (main.c's reload).
 */
#include "options.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "date.h"
#include "db_health.h"
#include "log.h"
#include "mail_config.h"
#include "mailer.h"
#include "mime.h"
#include "options_file.h"
#include "options_table.h"
#include "daemon_man.h"
#include "version.h"

#define USAGE_WRAP 79   /* --help is wrapped before this column */
#define USAGE_OPTIONS 23 /* the column an option's help starts at */
#define USAGE_FORMS 38   /* the column what a way to run does starts at */

/* Writes text from column col on, wrapped at spaces before USAGE_WRAP,
 * each further line indented to indent, and a newline.  ASCII only. */
static void wrapped(FILE *out, const char *text, size_t col, size_t indent)
{
	size_t start = col;

	while (*text) {
		size_t n = strcspn(text, " ");

		if (col > start && col + 1 + n > USAGE_WRAP) {
			fprintf(out, "\n%*s", (int)indent, "");
			col = start = indent;
		} else if (col > start) {
			fputc(' ', out);
			col++;
		}
		fwrite(text, 1, n, out);
		col += n;
		text += n;
		while (*text == ' ')
			text++;
	}
	fputc('\n', out);
}

/* `dotphad --help`, from options_table.c: the ways to run it, the
 * options, and the notes. */
static void usage(FILE *out)
{
	const struct options_note *n;
	int col;

	for (const struct options_form *f = options_forms; f->usage; f++) {
		col = fprintf(out, "%s%s", f == options_forms ? "usage: " : "       ", f->usage);
		if (col + 2 > USAGE_FORMS)
			col = fprintf(out, "\n%*s", USAGE_FORMS, "") - 1;
		else
			col += fprintf(out, "%*s", USAGE_FORMS - col, "");
		wrapped(out, f->what, (size_t)col, USAGE_FORMS);
	}
	fputs("\noptions:\n", out);
	for (const struct options_spec *o = options_table; o->name; o++) {
		col = fprintf(out, "  %s%s%s", o->name, o->meta ? " " : "", o->meta ? o->meta : "");
		if (col + 1 > USAGE_OPTIONS)
			col = fprintf(out, "\n%*s", USAGE_OPTIONS, "") - 1;
		else
			col += fprintf(out, "%*s", USAGE_OPTIONS - col, "");
		wrapped(out, o->help, (size_t)col, USAGE_OPTIONS);
	}
	for (n = options_notes; n->section; n++) {
		fputc('\n', out);
		wrapped(out, n->text, 0, 0);
	}
}

static int parse_size(const char *opt, const char *s, unsigned long long min,
		      unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (!*s || *end || v < min || v > max) {
		fprintf(stderr, "dotphad: %s: expected a number from %llu to %llu, got '%s'\n", opt,
			min, max, s);
		return -1;
	}
	*out = v;
	return 0;
}

/* Seconds, decimals allowed (tests use fractions), into milliseconds. */
static int parse_seconds(const char *opt, const char *s, uint64_t *out_ms)
{
	char *end;
	double v = strtod(s, &end);

	if (!*s || *end || !(v >= 0.05 && v <= 86400)) {
		fprintf(stderr, "dotphad: %s: expected seconds from 0.05 to 86400, got '%s'\n", opt,
			s);
		return -1;
	}
	*out_ms = (uint64_t)(v * 1000 + 0.5);
	return 0;
}

/* Whether option a takes a value (options_table.c). */
static bool takes_value(const char *a)
{
	const struct options_spec *o = options_find(a);

	return o && o->meta;
}

/* Where each word of the merged argv came from, so an error about an
 * option of --config names the file and its line: words [1, 1 + ncfg)
 * are the file's (options_with_config). */
static const char *cfg_path;
static unsigned cfg_line[512];
static int ncfg;

/* The name of option a, word i of the merged argv, for an error: "--name"
 * from the command line, "FILE:LINE: name" from --config.  Static
 * storage, good until the next call. */
static const char *label(int i, const char *a)
{
	static char buf[4200];

	if (!cfg_path || i < 1 || i > ncfg)
		return a;
	snprintf(buf, sizeof(buf), "%s:%u: %s", cfg_path, cfg_line[i - 1], a + strspn(a, "-"));
	return buf;
}

char **options_with_config(int *argc, char **argv, char ***words, int *nwords)
{
	static char *merged[512];
	const char *path = NULL;
	char why[600];
	int i, n = 0;

	*words = NULL;
	*nwords = 0;
	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "demo") == 0 || strcmp(argv[i], "gen-cert") == 0 ||
		    strcmp(argv[i], "restore") == 0)
			break;
		if (strcmp(argv[i], "--config") == 0 && i + 1 < *argc)
			path = argv[i + 1];
	}
	if (!path)
		return argv;
	cfg_path = NULL;
	ncfg = 0;
	if (options_file_read(path, words, nwords, cfg_line, (int)(sizeof(cfg_line) / sizeof(cfg_line[0])),
			      why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --config %s\n", why);
		return NULL;
	}
	if (*nwords + *argc >= (int)(sizeof(merged) / sizeof(merged[0]))) {
		fprintf(stderr, "dotphad: --config %s: too many options\n", path);
		goto fail;
	}
	for (i = 0; i < *nwords; i++)
		if (strcmp((*words)[i], "--config") == 0) {
			fprintf(stderr, "dotphad: --config %s: a config file cannot name another\n", path);
			goto fail;
		}
	cfg_path = path;
	ncfg = *nwords;
	merged[n++] = argv[0];
	for (i = 0; i < *nwords; i++)
		merged[n++] = (*words)[i];
	for (i = 1; i < *argc; i++)
		merged[n++] = argv[i];
	merged[n] = NULL;
	*argc = n;
	return merged;
fail:
	options_file_free(*words, *nwords);
	*words = NULL;
	*nwords = 0;
	return NULL;
}

int options_parse(int argc, char **argv, struct options *st)
{
	struct server_options *opt = &st->opt;
	unsigned long long v;
	int i;

	memset(st, 0, sizeof(*st));
	server_defaults(opt);
	st->log_level = -1;
	st->stalled = DB_HEALTH_STALLED_DAYS;
	st->margin = DB_HEALTH_AT_RISK_MARGIN;
	st->zone = DATE_DEFAULT_ZONE;
	for (i = 1; i < argc; i += 2) { /* every option but two flags takes one value */
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return OPTIONS_EXIT_0;
		} else if (strcmp(a, "--man") == 0) { /* hidden: for `make man` */
			daemon_man_write(stdout);
			return OPTIONS_EXIT_0;
		} else if (strcmp(a, "--version") == 0) {
			printf("dotphad %s\n", DOTPHA_VERSION);
			return OPTIONS_EXIT_0;
		} else if (strcmp(a, "--check") == 0) {
			st->check_only = true;
			i--; /* no value to skip */
		} else if (strcmp(a, "--insecure-plaintext") == 0) {
			opt->insecure_plaintext = true;
			i--;
		} else if (strcmp(a, "gen-cert") == 0 || strcmp(a, "demo") == 0 ||
			   strcmp(a, "restore") == 0) {
			st->sub = i;
			return OPTIONS_PARSED;
		} else if (!takes_value(a)) {
			fprintf(stderr, "dotphad: %s: unknown %s\n", label(i, a),
				a[0] == '-' ? "option" : "argument");
			usage(stderr);
			return OPTIONS_EXIT_2;
		} else if (!val) {
			fprintf(stderr, "dotphad: %s: needs a value\n", label(i, a));
			return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--listen") == 0) {
			char why[200];

			if (server_check_listen(val, why, sizeof(why)) < 0) {
				fprintf(stderr, "dotphad: %s: %s\n", label(i, a), why);
				return OPTIONS_EXIT_2;
			}
			opt->listen = val;
		} else if (strcmp(a, "--db") == 0) {
			opt->db_path = val;
		} else if (strcmp(a, "--config") == 0) {
			opt->config_path = val;
		} else if (strcmp(a, "--log-file") == 0) {
			opt->log_file = val;
		} else if (strcmp(a, "--anchor-file") == 0) {
			opt->anchor_file = val;
		} else if (strcmp(a, "--anchor") == 0) {
			st->anchor = val;
		} else if (strcmp(a, "--anchor-every") == 0) {
			if (parse_seconds(label(i, a), val, &opt->anchor_every_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--tls-cert") == 0) {
			opt->tls_cert = val;
		} else if (strcmp(a, "--tls-key") == 0) {
			opt->tls_key = val;
		} else if (strcmp(a, "--tls-client-ca") == 0) {
			opt->tls_client_ca = val;
		} else if (strcmp(a, "--port-file") == 0) {
			opt->port_file = val;
		} else if (strcmp(a, "--log-level") == 0) {
			if ((st->log_level = log_parse_level(val)) < 0) {
				fprintf(stderr, "dotphad: %s: expected debug, info, warn or error, got '%s'\n",
					label(i, a), val);
				return OPTIONS_EXIT_2;
			}
		} else if (strcmp(a, "--max-message") == 0) {
			if (parse_size(label(i, a), val, 1024, 64ull << 20, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_message = (size_t)v;
		} else if (strcmp(a, "--max-reply") == 0) {
			if (parse_size(label(i, a), val, 4096, 64ull << 20, &v) < 0) /* dotpha reads 64 MiB */
				return OPTIONS_EXIT_2;
			opt->max_reply = (size_t)v;
		} else if (strcmp(a, "--max-clients") == 0) {
			if (parse_size(label(i, a), val, 1, 1000000, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_clients = (unsigned)v;
		} else if (strcmp(a, "--max-unauth-per-address") == 0) {
			if (parse_size(label(i, a), val, 1, 1000000, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_unauth_per_address = (unsigned)v;
		} else if (strcmp(a, "--max-output-total") == 0) {
			if (parse_size(label(i, a), val, 1ull << 20, 1ull << 40, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->max_output_total = (size_t)v;
		} else if (strcmp(a, "--keep-requests") == 0) {
			if (parse_size(label(i, a), val, 1, 3650, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->keep_requests_days = (unsigned)v;
		} else if (strcmp(a, "--upload-quota") == 0) {
			if (parse_size(label(i, a), val, 0, 1ull << 50, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->upload_quota = v;
		} else if (strcmp(a, "--min-free") == 0) {
			if (parse_size(label(i, a), val, 0, 1ull << 60, &v) < 0)
				return OPTIONS_EXIT_2;
			opt->min_free = v;
		} else if (strcmp(a, "--auth-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->auth_timeout_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--idle-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->idle_timeout_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--message-timeout") == 0) {
			if (parse_seconds(label(i, a), val, &opt->message_timeout_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--stalled-days") == 0) {
			if (parse_size(label(i, a), val, 1, 3650, &v) < 0)
				return OPTIONS_EXIT_2;
			st->stalled = (int)v;
		} else if (strcmp(a, "--at-risk-margin") == 0) {
			if (parse_size(label(i, a), val, 0, 100, &v) < 0)
				return OPTIONS_EXIT_2;
			st->margin = (int)v;
		} else if (strcmp(a, "--mail-via") == 0) {
			struct mail_config mc = {0};
			char why[300];

			if (mailer_parse_via(val, &mc, why, sizeof(why)) < 0) {
				fprintf(stderr, "dotphad: %s: %s\n", label(i, a), why);
				return OPTIONS_EXIT_2;
			}
			opt->mail_via = val;
		} else if (strcmp(a, "--mail-from") == 0) {
			if (!mime_address_ok(val, strlen(val))) {
				fprintf(stderr, "dotphad: %s: expected an address like "
						"dotpha@example.gov.vn, got '%s'\n", label(i, a), val);
				return OPTIONS_EXIT_2;
			}
			opt->mail_from = val;
		} else if (strcmp(a, "--mail-user") == 0) {
			opt->mail_user = val;
		} else if (strcmp(a, "--mail-password-file") == 0) {
			opt->mail_password_file = val;
		} else if (strcmp(a, "--mail-ca") == 0) {
			opt->mail_ca = val;
		} else if (strcmp(a, "--mail-retry") == 0) {
			if (parse_seconds(label(i, a), val, &opt->mail_retry_ms) < 0)
				return OPTIONS_EXIT_2;
		} else if (strcmp(a, "--digest-at") == 0) {
			if ((opt->digest_minute = mail_config_parse_hhmm(val)) < 0) {
				fprintf(stderr, "dotphad: %s: expected HH:MM (00:00 to 23:59), got '%s'\n",
					label(i, a), val);
				return OPTIONS_EXIT_2;
			}
		} else if (strcmp(a, "--timezone") == 0) {
			st->zone = val; /* checked by clock_set_zone, at start */
		} else if (strcmp(a, "--clock") == 0) {
			time_t at;

			if (clock_parse(val, &at) < 0) {
				fprintf(stderr, "dotphad: %s: expected YYYY-MM-DD or "
						"YYYY-MM-DDTHH:MM:SS, got '%s'\n", label(i, a), val);
				return OPTIONS_EXIT_2;
			}
			st->clock_arg = val;
		}
	}
	return OPTIONS_PARSED;
}
