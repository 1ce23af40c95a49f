/*
 * lang.c: the language in force and the lookup of a text in the catalog.
 */
#include "lang.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static enum lang current = LANG_VI;

enum lang lang_current(void)
{
	return current;
}

void lang_set(enum lang l)
{
	current = l;
}

int lang_parse(const char *name)
{
	if (strcasecmp(name, "vi") == 0)
		return LANG_VI;
	if (strcasecmp(name, "en") == 0)
		return LANG_EN;
	return -1;
}

int lang_choose(const char *flag, const char *env, const char *file, const char **bad)
{
	int l;

	*bad = NULL;
	if (flag) {
		if ((l = lang_parse(flag)) < 0)
			*bad = "--lang";
		return l;
	}
	if (env && *env) {
		if ((l = lang_parse(env)) < 0)
			*bad = "DOTPHA_LANG";
		return l;
	}
	if (file && *file && (l = lang_parse(file)) >= 0)
		return l;
	return LANG_VI;
}

/* An open-addressing index over a catalog by the English text's hash,
 * built on its first lookup (the client is single-threaded); a slot holds
 * a row's index + 1, 0 is empty. */
struct lang_index {
	const struct lang_pair *pairs;
	uint32_t *slots;
	size_t nslots;
	bool built;
};

static struct lang_index client_texts = {lang_vi, NULL, 0, false};
static struct lang_index server_texts = {lang_vi_server, NULL, 0, false};

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void build(struct lang_index *ix)
{
	size_t n = 0;

	ix->built = true;
	while (ix->pairs[n].en)
		n++;
	for (ix->nslots = 16; ix->nslots < 2 * n + 2; ix->nslots *= 2)
		;
	if (!(ix->slots = calloc(ix->nslots, sizeof(*ix->slots)))) {
		ix->nslots = 0; /* out of memory: English, rather than nothing */
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t h = hash(ix->pairs[i].en) & (ix->nslots - 1);

		while (ix->slots[h])
			h = (h + 1) & (ix->nslots - 1);
		ix->slots[h] = (uint32_t)(i + 1);
	}
}

/* The Vietnamese of en in the catalog, or NULL. */
static const char *lookup(struct lang_index *ix, const char *en)
{
	if (!ix->built)
		build(ix);
	if (!ix->nslots)
		return NULL;
	for (size_t h = hash(en) & (ix->nslots - 1); ix->slots[h]; h = (h + 1) & (ix->nslots - 1))
		if (strcmp(ix->pairs[ix->slots[h] - 1].en, en) == 0)
			return ix->pairs[ix->slots[h] - 1].vi;
	return NULL;
}

const char *T(const char *en)
{
	return current == LANG_EN ? en : lang_vi_of(en);
}

const char *lang_vi_of(const char *en)
{
	const char *vi;

	if (!en)
		return en;
	return (vi = lookup(&client_texts, en)) ? vi : en;
}

const char *lang_server_text(const char *en)
{
	return lookup(&server_texts, en);
}
