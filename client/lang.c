/*
 * lang.c: the language in force and the lookup of a text in the catalog.
 */
#include "lang.h"

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

/* An open-addressing index over the catalog by the English text's hash,
 * built on the first lookup (the client is single-threaded); a slot holds
 * a row's index + 1, 0 is empty. */
static uint32_t *slots;
static size_t nslots;

static uint32_t hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static void build(void)
{
	size_t n = 0;

	while (lang_vi[n].en)
		n++;
	for (nslots = 16; nslots < 2 * n + 2; nslots *= 2)
		;
	if (!(slots = calloc(nslots, sizeof(*slots)))) {
		nslots = 0; /* out of memory: English, rather than nothing */
		return;
	}
	for (size_t i = 0; i < n; i++) {
		size_t h = hash(lang_vi[i].en) & (nslots - 1);

		while (slots[h])
			h = (h + 1) & (nslots - 1);
		slots[h] = (uint32_t)(i + 1);
	}
}

const char *T(const char *en)
{
	return current == LANG_EN ? en : lang_vi_of(en);
}

const char *lang_vi_of(const char *en)
{
	if (!en)
		return en;
	if (!slots)
		build();
	if (!nslots)
		return en;
	for (size_t h = hash(en) & (nslots - 1); slots[h]; h = (h + 1) & (nslots - 1))
		if (strcmp(lang_vi[slots[h] - 1].en, en) == 0)
			return lang_vi[slots[h] - 1].vi;
	return en;
}
