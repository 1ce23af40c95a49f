/*
 * nfc.c: a request's params in NFC (nfc.h).  One walk of the tree: a
 * string that changes is copied in NFC into the zone, and so is each
 * container on the way down to it (lazily, at its first changed child);
 * everything else is shared with the request.
 */
#include "nfc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "frame.h"

/* NFC as utf8proc_NFC() asks for it, without NUL termination: the length
 * is given, and a msgpack str may hold any byte (the params getters refuse
 * a NUL, naming the field). */
#define NFC_OPTIONS (UTF8PROC_STABLE | UTF8PROC_COMPOSE)

/* The check on the stack takes a string NFC_PIECE bytes at a time; a
 * byte of UTF-8 decomposes into at most 1.5 code points (U+01D5 is two
 * bytes and three code points), so a piece fits in NFC_ROOM. */
#define NFC_PIECE 256u
#define NFC_ROOM (2 * NFC_PIECE)

#define NFC_ZONE_CHUNK 4096u /* bytes of the zone's first chunk */

struct walk {
	msgpack_zone **zone; /* the caller's; created at the first change */
};

static bool ascii(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return false;
	return true;
}

/* Whether s[0..n) is NFC, found without allocating: 1 it is, 0 it is not
 * or this cannot tell (utf8proc_map() then decides), -1 it is not valid
 * UTF-8.  The string is cut into pieces just before an ASCII byte: ASCII
 * is a starter that composes with nothing before it, so NFC of the whole
 * is NFC of the pieces put together. */
static int is_nfc(const char *s, size_t n)
{
	utf8proc_int32_t room[NFC_ROOM + 1]; /* +1: utf8proc_reencode() ends with a NUL */
	size_t at = 0;

	while (at < n) {
		size_t end = n;
		utf8proc_ssize_t k;

		if (n - at > NFC_PIECE) {
			end = at + NFC_PIECE;
			while (end > at && (unsigned char)s[end] >= 0x80)
				end--;
			if (end == at)
				return 0; /* a long run without ASCII */
		}
		if (!ascii(s + at, end - at)) {
			k = utf8proc_decompose((const utf8proc_uint8_t *)s + at,
					       (utf8proc_ssize_t)(end - at), room, NFC_ROOM,
					       NFC_OPTIONS);
			if (k == UTF8PROC_ERROR_INVALIDUTF8)
				return -1;
			if (k < 0 || k > (utf8proc_ssize_t)NFC_ROOM)
				return 0;
			k = utf8proc_reencode(room, k, NFC_OPTIONS);
			if (k < 0 || (size_t)k != end - at || memcmp(room, s + at, end - at) != 0)
				return 0;
		}
		at = end;
	}
	return 1;
}

static void *zone_alloc(struct walk *w, size_t size, bool align)
{
	if (!*w->zone && !(*w->zone = msgpack_zone_new(NFC_ZONE_CHUNK)))
		return NULL;
	return align ? msgpack_zone_malloc(*w->zone, size)
		     : msgpack_zone_malloc_no_align(*w->zone, size);
}

/* The walk's step on a string: 1 with *out its NFC copy when it changes,
 * 0 when it does not (or is not UTF-8), -1 when memory ran out. */
static int walk_str(struct walk *w, const msgpack_object *in, msgpack_object *out)
{
	const char *s = in->via.str.ptr;
	size_t n = in->via.str.size;
	utf8proc_uint8_t *nfc;
	utf8proc_ssize_t k;
	char *copy;

	if (ascii(s, n) || is_nfc(s, n) != 0)
		return 0;
	k = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)n, &nfc, NFC_OPTIONS);
	if (k < 0)
		return k == UTF8PROC_ERROR_NOMEM ? -1 : 0;
	if ((size_t)k == n && memcmp(nfc, s, n) == 0) {
		free(nfc);
		return 0;
	}
	copy = (size_t)k <= UINT32_MAX ? zone_alloc(w, (size_t)k, false) : NULL;
	if (copy)
		memcpy(copy, nfc, (size_t)k);
	free(nfc);
	if (!copy)
		return -1;
	*out = *in;
	out->via.str.ptr = copy;
	out->via.str.size = (uint32_t)k;
	return 1;
}

static int walk_obj(struct walk *w, const msgpack_object *in, msgpack_object *out,
		    unsigned depth);

/* The walk's step on a container's n elements of `size` bytes at elems,
 * each holding the value to walk at byte `at` (a map's values, not its
 * keys: they are field names).  At the first value that changes, the
 * elements are copied into the zone and *copy points to them.  Returns
 * as walk_obj(). */
static int walk_elems(struct walk *w, const char *elems, uint32_t n, size_t size, size_t at,
		      void **copy, unsigned depth)
{
	char *to = NULL;

	for (uint32_t i = 0; i < n; i++) {
		msgpack_object o;
		int ch = walk_obj(w, (const msgpack_object *)(elems + i * size + at), &o, depth + 1);

		if (ch < 0)
			return -1;
		if (ch == 0)
			continue;
		if (!to) {
			if (!(to = zone_alloc(w, n * size, true)))
				return -1;
			memcpy(to, elems, n * size);
		}
		memcpy(to + i * size + at, &o, sizeof(o));
	}
	*copy = to;
	return to != NULL;
}

/* 1 with *out the NFC copy of *in when some string in it changes, 0 when
 * none does (*out untouched), -1 when memory ran out. */
static int walk_obj(struct walk *w, const msgpack_object *in, msgpack_object *out,
		    unsigned depth)
{
	void *copy;
	int ch;

	if (depth > FRAME_HARD_MAX_DEPTH)
		return 0; /* the frame lets no request get here */
	switch (in->type) {
	case MSGPACK_OBJECT_STR:
		return walk_str(w, in, out);
	case MSGPACK_OBJECT_ARRAY:
		ch = walk_elems(w, (const char *)in->via.array.ptr, in->via.array.size,
				sizeof(msgpack_object), 0, &copy, depth);
		if (ch > 0) {
			*out = *in;
			out->via.array.ptr = copy;
		}
		return ch;
	case MSGPACK_OBJECT_MAP:
		ch = walk_elems(w, (const char *)in->via.map.ptr, in->via.map.size,
				sizeof(msgpack_object_kv), offsetof(msgpack_object_kv, val), &copy,
				depth);
		if (ch > 0) {
			*out = *in;
			out->via.map.ptr = copy;
		}
		return ch;
	default:
		return 0; /* numbers, nil, booleans, bin, ext: not text */
	}
}

int nfc_params(const msgpack_object *params, const msgpack_object **out, msgpack_zone **zone,
	       struct rpc_error *err)
{
	struct walk w = {.zone = zone};
	msgpack_object *top;
	msgpack_object o;
	int ch;

	*out = params;
	if (!params)
		return RPC_OK;
	ch = walk_obj(&w, params, &o, 0);
	if (ch > 0 && (top = zone_alloc(&w, sizeof(*top), true))) {
		*top = o;
		*out = top;
		return RPC_OK;
	}
	if (ch == 0)
		return RPC_OK;
	return errors_set(err, RPC_INTERNAL,
			  "the server ran out of memory while putting the params' text in "
			  "Unicode NFC; nothing was done; try again");
}
