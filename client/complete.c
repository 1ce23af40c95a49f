/*
 * complete.c: see complete.h.  The words are read as cli.c reads a command
 * line (global options, noun, verb of one or two words, the command's
 * arguments), but leniently: anything unexpected just ends the
 * candidates.
 *
 * Asking the server follows cli.c's rules for the transport (TLS unless
 * plaintext to loopback; a CA or a pinned fingerprint verifies it, never a
 * first contact) with the saved token, and sends nothing when those rules
 * would refuse.  The offline queue is left alone.
 */
#include "complete.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "commands.h"
#include "config.h"
#include "obj.h"
#include "rpc.h"

/* Prints cand if it starts with prefix. */
static void offer(FILE *out, const char *prefix, const char *cand)
{
	if (strncmp(cand, prefix, strlen(prefix)) == 0)
		fprintf(out, "%s\n", cand);
}

/* The global option named w, or NULL. */
static const struct opt_spec *global(const char *w)
{
	for (const struct opt_spec *o = commands_globals; o->name; o++)
		if (strcmp(o->name, w) == 0)
			return o;
	return NULL;
}

/* The option of cmd named w, or NULL. */
static const struct opt_spec *option(const struct command *cmd, const char *w)
{
	for (const struct opt_spec *o = cmd->opts; o->name; o++)
		if (!(o->flags & OPT_POSITIONAL) && strcmp(o->name, w) == 0)
			return o;
	return global(w);
}

static void pack_limit(msgpack_packer *pk, const void *ctx)
{
	(void)ctx;
	msgpack_pack_str_with_body(pk, "limit", 5);
	msgpack_pack_uint32(pk, 1000);
}

/* Offers the `code` of each item the server lists with method (unit.list,
 * cadre.list, term.list), asked with server (--server among the words,
 * or NULL) and the saved token; nothing when any of it fails. */
static void ask_server(FILE *out, const char *prefix, const char *method, const char *server)
{
	struct config_env env = {getenv("DOTPHA_SERVER"), getenv("DOTPHA_TOKEN"),
				 getenv("XDG_CONFIG_HOME"), getenv("HOME")};
	struct rpc_params limit = {1, pack_limit, NULL};
	const msgpack_object *res, *items;
	struct rpc_error e;
	struct config conf;
	struct rpc rpc;
	char msg[1300], code[256];
	const char *pin;

	if (config_resolve(&conf, server, &env, NULL, msg, sizeof(msg)) < 0 ||
	    config_token(&conf, NULL, msg, sizeof(msg)) < 0 || !conf.token[0])
		return;
	rpc_init(&rpc, conf.host, conf.port, COMPLETE_TIMEOUT_MS);
	rpc.retries = 0;
	rpc.token = conf.token;
	pin = config_pin(&conf, rpc.where);
	rpc.use_tls = conf.scheme == CONFIG_SCHEME_TLS ||
		      (conf.scheme == CONFIG_SCHEME_AUTO &&
		       (!config_loopback(conf.host) || conf.ca[0] || pin));
	rpc.tls.ca_file = conf.ca[0] ? conf.ca : NULL;
	rpc.tls.pin = conf.ca[0] ? NULL : pin;
	rpc.tls.cert_file = conf.cert[0] ? conf.cert : NULL;
	rpc.tls.key_file = conf.key[0] ? conf.key : NULL;
	/* Never a token in clear beyond loopback, as cli.c refuses it. */
	if ((rpc.use_tls || config_loopback(conf.host)) &&
	    rpc_call(&rpc, method, strcmp(method, "cadre.list") == 0 ? &limit : NULL, &res,
		     &e) == RPC_STATUS_OK &&
	    (items = obj_get(res, "items")) && items->type == MSGPACK_OBJECT_ARRAY)
		for (uint32_t i = 0; i < items->via.array.size; i++)
			if (obj_cstr(obj_get(&items->via.array.ptr[i], "code"), code, sizeof(code)))
				offer(out, prefix, code);
	rpc_close(&rpc);
	memset(conf.token, 0, sizeof(conf.token));
}

/* Offers the values option (or positional) o takes: the codes of its
 * fixed set, or what the server lists for a unit, cadre or term. */
static void values(FILE *out, const char *prefix, const struct opt_spec *o, const char *server)
{
	enum render_kind kind = args_code_kind(o->type);
	const char *code;

	if (kind != RENDER_TEXT) {
		for (size_t i = 0; (code = render_code_at(kind, i)); i++)
			offer(out, prefix, code);
	} else if (strcmp(o->name, "--lang") == 0) {
		offer(out, prefix, "vi");
		offer(out, prefix, "en");
	} else if (o->type == OPT_REF && o->meta) {
		/* An option's value: its placeholder says what it names. */
		const char *m = o->meta;

		if (strcmp(m, "UNIT") == 0 || strcmp(m, "U") == 0)
			ask_server(out, prefix, "unit.list", server);
		else if (strcmp(m, "CADRE") == 0 || strcmp(m, "C") == 0)
			ask_server(out, prefix, "cadre.list", server);
		else if (strcmp(m, "TERM") == 0 || strcmp(m, "T") == 0)
			ask_server(out, prefix, "term.list", server);
	} else if (o->type == OPT_REF) {
		/* A positional: its name is the placeholder. */
		if (strcmp(o->name, "UNIT") == 0)
			ask_server(out, prefix, "unit.list", server);
		else if (strcmp(o->name, "CADRE") == 0)
			ask_server(out, prefix, "cadre.list", server);
		else if (strcmp(o->name, "TERM") == 0)
			ask_server(out, prefix, "term.list", server);
	}
}

/* Offers the options of cmd not given yet among words[from, last), and
 * the global ones. */
static void options(FILE *out, const char *prefix, const struct command *cmd, char **words,
		    int from, int last)
{
	for (const struct opt_spec *o = cmd->opts; o->name; o++) {
		bool given = false;

		if (o->flags & OPT_POSITIONAL)
			continue;
		for (int k = from; k < last && !given; k++)
			given = strcmp(words[k], o->name) == 0 && o->type != OPT_ACTION;
		if (!given)
			offer(out, prefix, o->name);
	}
	for (const struct opt_spec *o = commands_globals; o->name; o++)
		if (option(cmd, o->name) == o) /* not one the command has itself (login --server) */
			offer(out, prefix, o->name);
}

/* The candidates for words[last] as an argument of cmd, whose arguments
 * begin at words[from]. */
static void arguments(FILE *out, const struct command *cmd, char **words, int from, int last,
		      const char *server)
{
	const char *prefix = words[last];
	const struct opt_spec *o;
	int npos = 0;

	for (int k = from; k < last; k++) {
		if (words[k][0] == '-' && words[k][1]) {
			if ((o = option(cmd, words[k])) && o->meta && ++k == last) {
				values(out, prefix, o, server);
				return;
			}
		} else {
			npos++;
		}
	}
	if (prefix[0] == '-') {
		options(out, prefix, cmd, words, from, last);
		return;
	}
	for (o = cmd->opts; o->name; o++)
		if ((o->flags & OPT_POSITIONAL) && npos-- == 0) {
			values(out, prefix, o, server);
			return;
		}
}

/* Offers the verbs of noun: the first word of each, once. */
static void verbs(FILE *out, const char *prefix, const char *noun)
{
	for (const struct command *c = commands_table; c->noun; c++) {
		size_t n = strcspn(c->verb, " ");
		bool again = false;
		char word[64];

		if (strcmp(c->noun, noun) != 0 || !c->verb[0] || n >= sizeof(word))
			continue;
		for (const struct command *d = commands_table; d != c && !again; d++)
			again = strcmp(d->noun, noun) == 0 && strncmp(d->verb, c->verb, n) == 0 &&
				(d->verb[n] == ' ' || d->verb[n] == '\0');
		if (again)
			continue;
		memcpy(word, c->verb, n);
		word[n] = '\0';
		offer(out, prefix, word);
	}
}

int complete_run(int n, char **words, FILE *out)
{
	static char *empty[] = {""};
	const struct command *cmd, *alone;
	const struct opt_spec *g;
	const char *server = NULL, *noun;
	int i = 0, last;

	if (n <= 0) {
		words = empty;
		n = 1;
	}
	last = n - 1;
	/* Global options before the noun. */
	while (i < last && words[i][0] == '-') {
		if (!(g = global(words[i])))
			return 0;
		if (g->meta) {
			if (i + 1 == last) {
				values(out, words[last], g, server);
				return 0;
			}
			if (strcmp(g->name, "--server") == 0)
				server = words[i + 1];
			i++;
		}
		i++;
	}
	if (i == last) {
		if (words[last][0] == '-') {
			for (g = commands_globals; g->name; g++)
				offer(out, words[last], g->name);
			return 0;
		}
		for (const struct command *c = commands_table; c->noun; c++)
			if (c == commands_table || strcmp(c[-1].noun, c->noun) != 0)
				offer(out, words[last], c->noun);
		offer(out, words[last], "help");
		return 0;
	}
	noun = words[i++];
	if (!commands_noun_exists(noun))
		return 0;
	for (int k = i; k < last; k++) /* a --server after the noun counts too */
		if (strcmp(words[k], "--server") == 0)
			server = words[k + 1];
	alone = commands_find(noun, "");
	if (i == last) {
		verbs(out, words[last], noun);
		if (alone)
			arguments(out, alone, words, i, last, server);
		return 0;
	}
	if ((cmd = commands_find(noun, words[i]))) {
		i++;
	} else if (i + 1 == last && !alone) {
		/* The second word of a verb of two words (admin throttle list). */
		char verb[128];
		size_t len = strlen(words[i]);

		for (const struct command *c = commands_table; c->noun; c++)
			if (strcmp(c->noun, noun) == 0 && strncmp(c->verb, words[i], len) == 0 &&
			    c->verb[len] == ' ') {
				snprintf(verb, sizeof(verb), "%s", c->verb + len + 1);
				offer(out, words[last], verb);
			}
		return 0;
	} else if (i + 1 < last) {
		char verb[128];

		snprintf(verb, sizeof(verb), "%s %s", words[i], words[i + 1]);
		if ((cmd = commands_find(noun, verb)))
			i += 2;
	}
	if (!cmd && !(cmd = alone))
		return 0;
	arguments(out, cmd, words, i, last, server);
	return 0;
}
