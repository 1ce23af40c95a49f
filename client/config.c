/*
 * config.c: see config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "lang.h"
#include "sys.h"

int config_path(const char *xdg, const char *home, char *out, size_t n)
{
	int w;

	if (xdg && *xdg)
		w = snprintf(out, n, "%s/dotpha/config", xdg);
	else if (home && *home)
		w = snprintf(out, n, "%s/.config/dotpha/config", home);
	else
		return -1;
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

static bool shell_safe(const char *s)
{
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("./_-+,:@%", *s))
			return false;
	return true;
}

/* Appends s to out[*at..n), single-quoted for a POSIX shell if needed. */
static void put_quoted(char *out, size_t n, size_t *at, const char *s)
{
	bool q = !shell_safe(s);

#define PUT(c) do { if (*at + 1 < n) out[(*at)++] = (c); } while (0)
	if (q)
		PUT('\'');
	for (; *s; s++) {
		if (*s == '\'') {
			PUT('\'');
			PUT('\\');
			PUT('\'');
		}
		PUT(*s);
	}
	if (q)
		PUT('\'');
#undef PUT
	out[*at] = '\0';
}

void config_shown_path(const char *path, const char *home, char *out, size_t n)
{
	size_t hl = home ? strlen(home) : 0, at = 0;

	if (n == 0)
		return;
	out[0] = '\0';
	while (hl > 0 && home[hl - 1] == '/')
		hl--;
	if (hl > 0 && strncmp(path, home, hl) == 0 && path[hl] == '/' && path[hl + 1]) {
		snprintf(out, n, "~/");
		at = strlen(out);
		put_quoted(out, n, &at, path + hl + 1);
		return;
	}
	put_quoted(out, n, &at, path);
}

/* Trims blanks at both ends of s in place and returns the new start. */
static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n'))
		*--e = '\0';
	return s;
}

/* Strips one pair of surrounding double quotes. */
static char *unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

void config_read_file(const char *path, struct config *c, FILE *warn)
{
	char line[1024];
	unsigned lineno = 0;
	FILE *f = fopen(path, "r");

	if (!f) {
		if (errno != ENOENT && errno != ENOTDIR && warn)
			fprintf(warn, T("dotpha: %s: %s (ignored)\n"), path, strerror(errno));
		return;
	}
	c->file_access = sys_file_access(f);
	while (fgets(line, sizeof(line), f)) {
		char *hash, *eq, *key, *val;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;

			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			if (warn)
				fprintf(warn, T("dotpha: %s:%u: line too long (ignored)\n"), path, lineno);
			continue;
		}
		if ((hash = strchr(line, '#')))
			*hash = '\0';
		key = trim(line);
		if (!*key)
			continue;
		eq = strchr(key, '=');
		if (!eq) {
			if (warn)
				fprintf(warn, T("dotpha: %s:%u: expected `key = value` (ignored)\n"), path,
					lineno);
			continue;
		}
		*eq = '\0';
		key = trim(key);
		val = unquote(trim(eq + 1));
		if (strcmp(key, "server") == 0) {
			snprintf(c->server, sizeof(c->server), "%s", val);
			snprintf(c->file_server, sizeof(c->file_server), "%s", val);
			c->source = CONFIG_FILE;
		} else if (strcmp(key, "token") == 0) {
			c->file_token = true;
			snprintf(c->token, sizeof(c->token), "%s", val);
			c->token_source = *val ? CONFIG_FILE : CONFIG_DEFAULT;
		} else if (strcmp(key, "ca") == 0) {
			snprintf(c->ca, sizeof(c->ca), "%s", val);
		} else if (strcmp(key, "cert") == 0) {
			snprintf(c->cert, sizeof(c->cert), "%s", val);
		} else if (strcmp(key, "key") == 0) {
			snprintf(c->key, sizeof(c->key), "%s", val);
		} else if (strcmp(key, "fingerprint") == 0) {
			if (c->npins < CONFIG_MAX_PINS)
				snprintf(c->pins[c->npins++], sizeof(c->pins[0]), "%s", val);
			else if (warn)
				fprintf(warn, T("dotpha: %s:%u: more than %d fingerprints (ignored)\n"), path,
					lineno, CONFIG_MAX_PINS);
		} else if (strcmp(key, "timeout") == 0) {
			char *end;
			long t = strtol(val, &end, 10);

			if (end == val || *end || t < 1 || t > 86400) {
				if (warn)
					fprintf(warn, T("dotpha: %s:%u: timeout must be 1..86400 seconds (ignored)\n"),
						path, lineno);
			} else {
				c->timeout = (unsigned)t;
			}
		} else if (strcmp(key, "lang") == 0) {
			if (lang_parse(val) < 0) {
				if (warn)
					fprintf(warn, T("dotpha: %s:%u: lang must be vi or en (ignored)\n"),
						path, lineno);
			} else {
				snprintf(c->lang, sizeof(c->lang), "%s", val);
			}
		} else if (strcmp(key, "notices") == 0) {
			if (strcmp(val, "on") != 0 && strcmp(val, "off") != 0) {
				if (warn)
					fprintf(warn, T("dotpha: %s:%u: notices must be on or off (ignored)\n"),
						path, lineno);
			} else {
				c->notices_off = strcmp(val, "off") == 0;
			}
		} else if (strcmp(key, "timezone") == 0) {
			if (!*val || strlen(val) >= sizeof(c->timezone) || strpbrk(val, " \t")) {
				if (warn)
					fprintf(warn, T("dotpha: %s:%u: timezone must be a zone name such as"
							" Asia/Ho_Chi_Minh (ignored)\n"), path, lineno);
			} else {
				snprintf(c->timezone, sizeof(c->timezone), "%s", val);
			}
		} else if (warn) {
			fprintf(warn, T("dotpha: %s:%u: unknown key '%s' (ignored)\n"), path, lineno, key);
		}
	}
	sys_wipe(line, sizeof(line));
	fclose(f);
}
static int copy(char *out, size_t n, const char *s, size_t len)
{
	if (len >= n)
		return -1;
	memcpy(out, s, len);
	out[len] = '\0';
	return 0;
}

int config_split(const char *addr, char *host, size_t hostlen, char *port, size_t portlen,
		 char *msg, size_t msglen)
{
	const char *colon, *p = CONFIG_DEFAULT_PORT, *h = addr;
	size_t hl;
	long v;
	char *end;

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');

		if (!close || close == addr + 1 || (close[1] && close[1] != ':'))
			goto bad;
		h = addr + 1;
		hl = (size_t)(close - h);
		if (close[1] == ':')
			p = close + 2;
	} else if ((colon = strchr(addr, ':')) && !strchr(colon + 1, ':')) {
		hl = (size_t)(colon - addr);
		p = colon + 1;
	} else {
		hl = strlen(addr); /* a name, an IPv4 address, or a bare IPv6 address */
	}
	if (hl == 0)
		goto bad;
	for (size_t i = 0; i < hl; i++)
		if (isspace((unsigned char)h[i]) || h[i] == '/')
			goto bad;
	errno = 0;
	v = strtol(p, &end, 10);
	if (!isdigit((unsigned char)*p) || *end || errno || v < 1 || v > 65535) {
		snprintf(msg, msglen, T("'%s': the port must be a number 1..65535"), addr);
		return -1;
	}
	if (copy(host, hostlen, h, hl) < 0 || copy(port, portlen, p, strlen(p)) < 0)
		goto bad;
	return 0;
bad:
	snprintf(msg, msglen, T("'%s' is not HOST:PORT (for example 10.0.0.5:7878 or [::1]:7878)"),
		 addr);
	return -1;
}

/* The address after its scheme, which goes to *scheme. */
static const char *config_scheme(const char *server, int *scheme)
{
	*scheme = CONFIG_SCHEME_AUTO;
	if (strncmp(server, "tls://", 6) == 0) {
		*scheme = CONFIG_SCHEME_TLS;
		return server + 6;
	}
	if (strncmp(server, "tcp://", 6) == 0) {
		*scheme = CONFIG_SCHEME_PLAIN;
		return server + 6;
	}
	return server;
}

bool config_loopback(const char *host)
{
	/* 127.0.0.0/8 written as an address: "127.evil.example" is a name. */
	bool v4 = strncmp(host, "127.", 4) == 0 && host[strspn(host, "0123456789.")] == '\0';

	return v4 || strcmp(host, "localhost") == 0 || strcmp(host, "::1") == 0 ||
	       strcmp(host, "::ffff:127.0.0.1") == 0;
}

const char *config_pin(const struct config *c, const char *where)
{
	size_t n = strlen(where);

	for (int i = c->npins - 1; i >= 0; i--)
		if (strncmp(c->pins[i], where, n) == 0 && (c->pins[i][n] == ' ' || c->pins[i][n] == '\t')) {
			const char *fp = c->pins[i] + n;

			while (*fp == ' ' || *fp == '\t')
				fp++;
			return fp;
		}
	return NULL;
}

void config_prefs(struct config *c, const struct config_env *env)
{
	memset(c, 0, sizeof(*c));
	if (config_path(env->xdg, env->home, c->path, sizeof(c->path)) == 0)
		config_read_file(c->path, c, NULL);
	sys_wipe(c->token, sizeof(c->token)); /* only lang and timezone are wanted */
}

int config_resolve(struct config *c, const char *flag, const struct config_env *env,
		   FILE *warn, char *msg, size_t msglen)
{
	char why[200];
	const char *from;

	memset(c, 0, sizeof(*c));
	c->file_access = SYS_FILE_PRIVATE;
	snprintf(c->server, sizeof(c->server), "%s:%s", CONFIG_DEFAULT_HOST, CONFIG_DEFAULT_PORT);
	if (config_path(env->xdg, env->home, c->path, sizeof(c->path)) == 0) {
		config_shown_path(c->path, env->home, c->shown, sizeof(c->shown));
		config_read_file(c->path, c, warn);
	} else {
		c->path[0] = '\0';
	}
	if (env->server && *env->server) {
		snprintf(c->server, sizeof(c->server), "%s", env->server);
		c->source = CONFIG_ENV;
	}
	if (env->token && *env->token) {
		snprintf(c->token, sizeof(c->token), "%s", env->token);
		c->token_source = CONFIG_ENV;
	}
	if (flag) {
		snprintf(c->server, sizeof(c->server), "%s", flag);
		c->source = CONFIG_FLAG;
	}
	if (config_split(config_scheme(c->server, &c->scheme), c->host, sizeof(c->host), c->port,
			 sizeof(c->port), why, sizeof(why)) == 0)
		return 0;
	switch (c->source) {
	case CONFIG_FLAG: from = "--server"; break;
	case CONFIG_ENV: from = "DOTPHA_SERVER"; break;
	case CONFIG_FILE: from = c->path; break;
	default: from = T("the default"); break;
	}
	snprintf(msg, msglen, "%s: %s", from, why);
	return -1;
}

bool config_token_is_for_server(const struct config *c)
{
	char host[256], port[8], why[200];
	int scheme;

	return c->token_source == CONFIG_FILE && c->file_server[0] &&
	       config_split(config_scheme(c->file_server, &scheme), host, sizeof(host), port,
			    sizeof(port), why, sizeof(why)) == 0 &&
	       strcmp(host, c->host) == 0 && strcmp(port, c->port) == 0;
}

bool config_token_valid(const char *s)
{
	size_t pl = strlen(CONFIG_TOKEN_PREFIX);

	if (strlen(s) != CONFIG_TOKEN_LEN || strncmp(s, CONFIG_TOKEN_PREFIX, pl) != 0)
		return false;
	for (s += pl; *s; s++)
		if (!isxdigit((unsigned char)*s))
			return false;
	return true;
}

/* "is readable by other users" and the like, for a file's access. */
static const char *access_problem(int access)
{
	switch (access) {
	case SYS_FILE_READABLE: return T("is readable by other users");
	case SYS_FILE_OPEN: return T("can be changed by other users");
	default: return T("may be open to other users (its permissions cannot be read)");
	}
}

int config_token(const struct config *c, FILE *warn, char *msg, size_t msglen)
{
	bool shared = c->file_token && c->file_access != SYS_FILE_PRIVATE;
	char fix[2300];

	if (c->token_source == CONFIG_FILE) {
		if (shared) {
			sys_private_fix(c->path, c->shown, fix, sizeof(fix));
			snprintf(msg, msglen, T("%s %s; run `%s`"), c->shown,
				 access_problem(c->file_access), fix);
			return -1;
		}
		if (!config_token_valid(c->token)) {
			snprintf(msg, msglen, T("%s: the token is not a dotpha token (dp1_ followed by 64 hex"
				 " digits); run `dotpha login`"), c->shown);
			return -1;
		}
	} else if (c->token_source == CONFIG_ENV) {
		if (!config_token_valid(c->token)) {
			snprintf(msg, msglen, T("DOTPHA_TOKEN is not a dotpha token (dp1_ followed by 64 hex"
				 " digits)"));
			return -1;
		}
		if (shared && warn) {
			sys_private_fix(c->path, c->shown, fix, sizeof(fix));
			fprintf(warn, T("dotpha: warning: %s holds a token and %s; run `%s`"
				" (DOTPHA_TOKEN is used instead)\n"), c->shown,
				access_problem(c->file_access), fix);
		}
	}
	return 0;
}

/* The key of a config line (text before '=' outside a comment, trimmed),
 * copied into key; false for blanks, comments and lines without '='. */
static bool line_key(const char *s, size_t n, char *key, size_t keyn)
{
	size_t i = 0, j;

	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	for (j = i; j < n && s[j] != '=' && s[j] != '#' && s[j] != '\n'; j++)
		;
	if (j >= n || s[j] != '=')
		return false;
	while (j > i && (s[j - 1] == ' ' || s[j - 1] == '\t'))
		j--;
	if (j - i >= keyn)
		return false;
	memcpy(key, s + i, j - i);
	key[j - i] = '\0';
	return true;
}

int config_edit(const char *old, size_t len, const char *server, const char *token,
		struct strbuf *out, bool *had_token)
{
	bool server_done = false, token_done = false;
	size_t i = 0;

	*had_token = false;
	while (i < len) {
		const char *nl = memchr(old + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (old + i)) + 1 : len - i;
		char key[16];
		bool keyed = line_key(old + i, n, key, sizeof(key));

		if (keyed && strcmp(key, "server") == 0 && server) {
			if (!server_done)
				strbuf_addf(out, "server = %s\n", server);
			server_done = true;
		} else if (keyed && strcmp(key, "token") == 0) {
			*had_token = true;
			if (token && !token_done)
				strbuf_addf(out, "token = %s\n", token);
			token_done = true;
		} else {
			strbuf_add(out, old + i, n);
			if (!nl)
				strbuf_addc(out, '\n');
		}
		i += n;
	}
	if (server && !server_done)
		strbuf_addf(out, "server = %s\n", server);
	if (token && !token_done)
		strbuf_addf(out, "token = %s\n", token);
	return out->failed ? -1 : 0;
}

/* Reads the whole file at path into sb; a missing file is empty. */
static int read_all(const char *path, struct strbuf *sb, char *msg, size_t msglen)
{
	char buf[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f) {
		if (errno == ENOENT)
			return 0;
		snprintf(msg, msglen, T("cannot read %s: %s"), path, strerror(errno));
		return -1;
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
		strbuf_add(sb, buf, n);
	sys_wipe(buf, sizeof(buf));
	if (ferror(f)) {
		snprintf(msg, msglen, T("cannot read %s"), path);
		fclose(f);
		return -1;
	}
	fclose(f);
	if (sb->failed) {
		snprintf(msg, msglen, T("out of memory reading %s"), path);
		return -1;
	}
	return 0;
}

/* Wipes what a buffer held (it may hold a token) and frees it. */
static void wipe_free(struct strbuf *sb)
{
	if (sb->buf)
		sys_wipe(sb->buf, sb->cap);
	strbuf_free(sb);
}

int config_edit_pin(const char *old, size_t len, const char *where, const char *fp,
		    struct strbuf *out)
{
	size_t i = 0, wl = strlen(where);
	bool done = false;

	while (i < len) {
		const char *nl = memchr(old + i, '\n', len - i);
		size_t n = nl ? (size_t)(nl - (old + i)) + 1 : len - i;
		const char *eq = memchr(old + i, '=', n), *v = eq ? eq + 1 : NULL;
		char key[16];

		while (v && (*v == ' ' || *v == '\t'))
			v++;
		if (line_key(old + i, n, key, sizeof(key)) && strcmp(key, "fingerprint") == 0 &&
		    (size_t)(old + i + n - v) > wl && strncmp(v, where, wl) == 0 &&
		    (v[wl] == ' ' || v[wl] == '\t')) {
			if (!done)
				strbuf_addf(out, "fingerprint = %s %s\n", where, fp);
			done = true;
		} else {
			strbuf_add(out, old + i, n);
			if (!nl)
				strbuf_addc(out, '\n');
		}
		i += n;
	}
	if (!done)
		strbuf_addf(out, "fingerprint = %s %s\n", where, fp);
	return out->failed ? -1 : 0;
}

/* What rewrite() changes: server and token (config_edit), or a pin. */
struct change {
	const char *server, *token; /* as config_edit takes them */
	bool *had_token;
	const char *where, *fp;     /* set for a pin (config_edit_pin) */
};

/* Reads the file, edits its text as ch says, and replaces it atomically
 * with a private file, creating its directory if missing. */
static int rewrite(const char *path, const struct change *ch, char *msg, size_t msglen)
{
	struct strbuf old = STRBUF_INIT, text = STRBUF_INIT;
	char dir[1024];
	const char *slash = strrchr(path, '/');
	int rc = -1, edited;

	if (slash && slash != path) {
		if ((size_t)(slash - path) >= sizeof(dir)) {
			snprintf(msg, msglen, T("%s: the path is too long"), path);
			return -1;
		}
		memcpy(dir, path, (size_t)(slash - path));
		dir[slash - path] = '\0';
		if (sys_make_private_dir(dir, msg, msglen) < 0)
			return -1;
	}
	if (read_all(path, &old, msg, msglen) < 0)
		goto out;
	edited = ch->where ? config_edit_pin(strbuf_cstr(&old), old.len, ch->where, ch->fp, &text)
			   : config_edit(strbuf_cstr(&old), old.len, ch->server, ch->token, &text,
					 ch->had_token);
	if (edited < 0) {
		snprintf(msg, msglen, T("out of memory writing %s"), path);
		goto out;
	}
	rc = sys_replace_private_file(path, text.buf ? text.buf : "", text.len, msg, msglen);
out:
	wipe_free(&old);
	wipe_free(&text);
	return rc;
}

int config_save(const char *path, const char *server, const char *token, bool *had_token,
		char *msg, size_t msglen)
{
	struct change ch = {server, token, had_token, NULL, NULL};

	*had_token = false;
	return rewrite(path, &ch, msg, msglen);
}

int config_save_pin(const char *path, const char *where, const char *fp, char *msg,
		    size_t msglen)
{
	bool had;
	struct change ch = {NULL, NULL, &had, where, fp};

	return rewrite(path, &ch, msg, msglen);
}
