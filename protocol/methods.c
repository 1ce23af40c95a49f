/*
 * methods.c: the catalogue, expanded from methods.def, and its index by
 * name.
 */
#include "methods.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

const struct method_info methods_catalogue[] = {
#define METHOD(id, name, flags, roles, noun, ref, summary, label) \
	[M_##id] = {name, flags, roles, noun, ref, summary, label},
#include "methods.def"
	[METHODS_COUNT] = {NULL, 0, 0, NULL, NULL, NULL, NULL},
};

/* Open addressing over the names' FNV-1a hashes, at most half full; a
 * slot holds a row's index + 1, 0 is empty. */
#define INDEX_SLOTS 256
_Static_assert(METHODS_COUNT * 2 <= INDEX_SLOTS, "the method index must stay half empty");

static uint8_t slots[INDEX_SLOTS];
static bool indexed;

static uint32_t hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	return h;
}

void methods_index(void)
{
	if (indexed)
		return;
	for (int i = 0; i < METHODS_COUNT; i++) {
		const char *name = methods_catalogue[i].name;
		uint32_t h = hash(name, strlen(name)) % INDEX_SLOTS;

		while (slots[h])
			h = (h + 1) % INDEX_SLOTS;
		slots[h] = (uint8_t)(i + 1);
	}
	indexed = true;
}

const struct method_info *methods_find(const char *name, size_t len)
{
	methods_index();
	for (uint32_t h = hash(name, len) % INDEX_SLOTS; slots[h]; h = (h + 1) % INDEX_SLOTS) {
		const struct method_info *m = &methods_catalogue[slots[h] - 1];

		if (strlen(m->name) == len && memcmp(m->name, name, len) == 0)
			return m;
	}
	return NULL;
}
