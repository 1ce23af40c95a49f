/*
 * config.c: see config.h.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

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
			fprintf(warn, "dotpha: %s: %s (ignored)\n", path, strerror(errno));
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		char *hash, *eq, *key, *val;

		lineno++;
		if (!strchr(line, '\n') && !feof(f)) {
			int ch;

			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			if (warn)
				fprintf(warn, "dotpha: %s:%u: line too long (ignored)\n", path, lineno);
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
				fprintf(warn, "dotpha: %s:%u: expected `key = value` (ignored)\n", path, lineno);
			continue;
		}
		*eq = '\0';
		key = trim(key);
		val = unquote(trim(eq + 1));
		if (strcmp(key, "server") == 0) {
			snprintf(c->server, sizeof(c->server), "%s", val);
			c->source = CONFIG_FILE;
		} else if (strcmp(key, "timeout") == 0) {
			char *end;
			long t = strtol(val, &end, 10);

			if (end == val || *end || t < 1 || t > 86400) {
				if (warn)
					fprintf(warn, "dotpha: %s:%u: timeout must be 1..86400 seconds (ignored)\n",
						path, lineno);
			} else {
				c->timeout = (unsigned)t;
			}
		} else if (warn) {
			fprintf(warn, "dotpha: %s:%u: unknown key '%s' (ignored)\n", path, lineno, key);
		}
	}
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
		snprintf(msg, msglen, "'%s': the port must be a number 1..65535", addr);
		return -1;
	}
	if (copy(host, hostlen, h, hl) < 0 || copy(port, portlen, p, strlen(p)) < 0)
		goto bad;
	return 0;
bad:
	snprintf(msg, msglen, "'%s' is not HOST:PORT (e.g. 10.0.0.5:7878 or [::1]:7878)", addr);
	return -1;
}

int config_resolve(struct config *c, const char *flag, const char *env_server,
		   const char *xdg, const char *home, FILE *warn, char *msg, size_t msglen)
{
	char why[200];
	const char *from;

	memset(c, 0, sizeof(*c));
	snprintf(c->server, sizeof(c->server), "%s:%s", CONFIG_DEFAULT_HOST, CONFIG_DEFAULT_PORT);
	if (config_path(xdg, home, c->path, sizeof(c->path)) == 0)
		config_read_file(c->path, c, warn);
	else
		c->path[0] = '\0';
	if (env_server && *env_server) {
		snprintf(c->server, sizeof(c->server), "%s", env_server);
		c->source = CONFIG_ENV;
	}
	if (flag) {
		snprintf(c->server, sizeof(c->server), "%s", flag);
		c->source = CONFIG_FLAG;
	}
	if (config_split(c->server, c->host, sizeof(c->host), c->port, sizeof(c->port),
			 why, sizeof(why)) == 0)
		return 0;
	switch (c->source) {
	case CONFIG_FLAG: from = "--server"; break;
	case CONFIG_ENV: from = "DOTPHA_SERVER"; break;
	case CONFIG_FILE: from = c->path; break;
	default: from = "default"; break;
	}
	snprintf(msg, msglen, "%s: %s", from, why);
	return -1;
}
