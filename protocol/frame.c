/*
 * frame.c: the resumable header scanner and the receive buffer.
 *
 * Invariants between calls:
 *   consumed <= pos <= len <= cap
 *   [0, consumed) is the message last returned (dropped at the next call);
 *   [consumed, pos) has been scanned and is part of the message in progress;
 *   depth counts open containers; left[0..depth] are the items still due.
 */
#include "frame.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#define FRAME_MIN_CAP 4096u
#define FRAME_READ_SLACK 65536u /* room past a full message for the next read, at most */
#define FRAME_IDLE_CAP 65536u   /* shrink back to this when idle */

void frame_init(struct frame *f, const struct frame_limits *lim)
{
	memset(f, 0, sizeof(*f));
	f->lim.max_message = FRAME_DEFAULT_MAX_MESSAGE;
	f->lim.max_depth = FRAME_DEFAULT_MAX_DEPTH;
	if (lim) {
		if (lim->max_message)
			f->lim.max_message = lim->max_message;
		if (lim->max_depth)
			f->lim.max_depth = lim->max_depth;
	}
	if (f->lim.max_depth > FRAME_HARD_MAX_DEPTH)
		f->lim.max_depth = FRAME_HARD_MAX_DEPTH;
	f->left[0] = 1;
}

static void release_unpacked(struct frame *f)
{
	if (f->have_unpacked) {
		msgpack_unpacked_destroy(&f->unpacked);
		f->have_unpacked = false;
	}
}

void frame_release_message(struct frame *f)
{
	release_unpacked(f);
}

void frame_unget(struct frame *f)
{
	assert(f->have_unpacked);
	f->again = true;
}

void frame_set_max_message(struct frame *f, size_t max_message)
{
	f->lim.max_message = max_message;
}

/* The most the buffer may hold: a whole message and room for the next
 * read, which is no bigger than the message limit for a small limit (a
 * connection not yet signed in costs no more than it may send). */
static size_t buffer_limit(const struct frame *f)
{
	size_t slack = f->lim.max_message < FRAME_READ_SLACK ? f->lim.max_message : FRAME_READ_SLACK;

	return f->lim.max_message + slack;
}

void frame_free(struct frame *f)
{
	release_unpacked(f);
	free(f->buf);
	f->buf = NULL;
	f->len = f->cap = f->pos = f->consumed = 0;
}

/* Drops the message last returned, so the buffer starts at the message in
 * progress; gives memory back after a big message. */
static void drop_consumed(struct frame *f)
{
	if (f->again)
		return; /* the message put back stays, decoded */
	release_unpacked(f);
	if (f->consumed == 0)
		return;
	memmove(f->buf, f->buf + f->consumed, f->len - f->consumed);
	f->len -= f->consumed;
	f->pos -= f->consumed;
	f->consumed = 0;
	if (f->len == 0 && (f->cap > FRAME_IDLE_CAP || f->cap > buffer_limit(f))) {
		free(f->buf);
		f->buf = NULL;
		f->cap = 0;
	}
}

static int grow(struct frame *f, size_t want_free)
{
	size_t limit = buffer_limit(f);
	size_t need = f->len + want_free;
	size_t ncap = f->cap ? f->cap : FRAME_MIN_CAP;
	char *nbuf;

	if (f->cap - f->len >= want_free)
		return 0;
	while (ncap < need)
		ncap *= 2;
	if (ncap > limit)
		ncap = limit > need ? limit : need;
	nbuf = realloc(f->buf, ncap);
	if (!nbuf)
		return -1;
	f->buf = nbuf;
	f->cap = ncap;
	return 0;
}

void frame_space(struct frame *f, char **p, size_t *n)
{
	drop_consumed(f);
	if (f->cap - f->len < FRAME_MIN_CAP) {
		size_t limit = buffer_limit(f);
		size_t want = f->cap ? f->cap : FRAME_MIN_CAP; /* double */

		if (f->len + want > limit)
			want = limit > f->len ? limit - f->len : 0;
		if (want < 1 && f->cap > f->len) {
			/* Full to the limit with room left: read into that. */
			*p = f->buf + f->len;
			*n = f->cap - f->len;
			return;
		}
		if (want < 1)
			want = 1;
		if (grow(f, want) < 0) {
			*p = NULL;
			*n = 0;
			return;
		}
	}
	*p = f->buf + f->len;
	*n = f->cap - f->len;
}

void frame_commit(struct frame *f, size_t n)
{
	assert(f->len + n <= f->cap);
	f->len += n;
}

int frame_feed(struct frame *f, const void *p, size_t n)
{
	drop_consumed(f);
	if (n == 0)
		return 0;
	if (grow(f, n) < 0)
		return -1;
	memcpy(f->buf + f->len, p, n);
	f->len += n;
	return 0;
}

static uint64_t be(const unsigned char *p, unsigned n)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

/* Describes the value whose first byte is at p: how many header bytes follow
 * the type byte (*lenbytes, a big-endian length or count), a fixed body size
 * (*fixed), and whether it is a container (*kind: 0 scalar, 1 array, 2 map).
 * For fix-sized types the count is in *inline_count.  Returns -1 for the one
 * byte MessagePack never uses (0xc1). */
struct head {
	unsigned lenbytes;     /* bytes of length/count after the type byte */
	uint64_t fixed;        /* body bytes known from the type byte alone */
	int kind;              /* 0 scalar, 1 array, 2 map */
	int inline_count;      /* count/length carried in the type byte, or -1 */
	unsigned extra;        /* ext: the type byte after the length */
};

static int describe(unsigned char b, struct head *h)
{
	memset(h, 0, sizeof(*h));
	h->inline_count = -1;
	if (b <= 0x7f || b >= 0xe0 || b == 0xc0 || b == 0xc2 || b == 0xc3)
		return 0;
	if (b >= 0x80 && b <= 0x8f) {
		h->kind = 2;
		h->inline_count = b & 0x0f;
		return 0;
	}
	if (b >= 0x90 && b <= 0x9f) {
		h->kind = 1;
		h->inline_count = b & 0x0f;
		return 0;
	}
	if (b >= 0xa0 && b <= 0xbf) {
		h->fixed = b & 0x1f;
		return 0;
	}
	switch (b) {
	case 0xc4: case 0xd9: h->lenbytes = 1; return 0;      /* bin8, str8 */
	case 0xc5: case 0xda: h->lenbytes = 2; return 0;      /* bin16, str16 */
	case 0xc6: case 0xdb: h->lenbytes = 4; return 0;      /* bin32, str32 */
	case 0xc7: h->lenbytes = 1; h->extra = 1; return 0;   /* ext8 */
	case 0xc8: h->lenbytes = 2; h->extra = 1; return 0;   /* ext16 */
	case 0xc9: h->lenbytes = 4; h->extra = 1; return 0;   /* ext32 */
	case 0xca: h->fixed = 4; return 0;
	case 0xcb: h->fixed = 8; return 0;
	case 0xcc: case 0xd0: h->fixed = 1; return 0;
	case 0xcd: case 0xd1: h->fixed = 2; return 0;
	case 0xce: case 0xd2: h->fixed = 4; return 0;
	case 0xcf: case 0xd3: h->fixed = 8; return 0;
	case 0xd4: h->fixed = 2; return 0;
	case 0xd5: h->fixed = 3; return 0;
	case 0xd6: h->fixed = 5; return 0;
	case 0xd7: h->fixed = 9; return 0;
	case 0xd8: h->fixed = 17; return 0;
	case 0xdc: h->kind = 1; h->lenbytes = 2; return 0;
	case 0xdd: h->kind = 1; h->lenbytes = 4; return 0;
	case 0xde: h->kind = 2; h->lenbytes = 2; return 0;
	case 0xdf: h->kind = 2; h->lenbytes = 4; return 0;
	default: return -1; /* 0xc1 */
	}
}

static int fail(struct frame *f, struct rpc_error *err, int code, const char *fmt,
		unsigned long long a, unsigned long long b)
{
	f->broken = true;
	errors_set(err, code, fmt, a, b);
	return FRAME_ERROR;
}

/* Remembers the msgid while the envelope [type, msgid, ...] is scanned. */
static void note_msgid(struct frame *f, const unsigned char *p, uint64_t size)
{
	uint64_t index;

	if (f->depth != 1 || f->top_count == 0)
		return;
	index = f->top_count - f->left[1];
	if (index != 1)
		return;
	if (p[0] <= 0x7f) {
		f->msgid = p[0];
		f->have_msgid = true;
	} else if (p[0] >= 0xcc && p[0] <= 0xce && size <= 5) {
		f->msgid = (uint32_t)be(p + 1, (unsigned)size - 1);
		f->have_msgid = true;
	}
}

/* Scans from pos as far as the buffered bytes allow.  Returns FRAME_MESSAGE
 * when a whole message lies in [consumed, pos), FRAME_NEED_MORE, or
 * FRAME_ERROR. */
static int scan(struct frame *f, struct rpc_error *err)
{
	const unsigned char *b = (const unsigned char *)f->buf;
	size_t start = f->consumed;
	size_t max = f->lim.max_message;

	while (f->pos < f->len) {
		struct head h;
		uint64_t count, size;
		size_t used = f->pos - start;

		if (describe(b[f->pos], &h) < 0)
			return fail(f, err, RPC_PROTOCOL_ERROR,
				    "byte 0x%llx at offset %llu is not valid MessagePack",
				    b[f->pos], (unsigned long long)used);
		if (f->pos + 1 + h.lenbytes > f->len)
			return FRAME_NEED_MORE;
		if (h.inline_count >= 0)
			count = (uint64_t)h.inline_count;
		else
			count = be(b + f->pos + 1, h.lenbytes);
		if (h.kind == 0) {
			size = 1 + h.lenbytes + h.extra + (h.lenbytes ? count : 0) + h.fixed;
			if (used + size > max)
				return fail(f, err, RPC_TOO_LARGE,
					    "a value of %llu bytes does not fit in a message of at most %llu bytes",
					    (unsigned long long)size, (unsigned long long)max);
			if (f->pos + size > f->len)
				return FRAME_NEED_MORE;
			note_msgid(f, b + f->pos, size);
		} else {
			uint64_t items = h.kind == 2 ? count * 2 : count;

			size = 1 + h.lenbytes;
			/* Each item takes at least one byte: refuse a count the
			 * message could never hold before anything is allocated. */
			if (used + size + items > max)
				return fail(f, err, RPC_TOO_LARGE,
					    "a list of %llu items does not fit in a message of at most %llu bytes",
					    (unsigned long long)count, (unsigned long long)max);
		}
		if (++f->values > max / FRAME_BYTES_PER_VALUE)
			return fail(f, err, RPC_TOO_LARGE,
				    "more than %llu values in one message of at most %llu bytes",
				    (unsigned long long)(max / FRAME_BYTES_PER_VALUE),
				    (unsigned long long)max);
		if (f->depth == 0 && h.kind == 1)
			f->top_count = count;
		f->pos += size;
		f->left[f->depth]--;
		if (h.kind != 0 && count > 0) {
			if (f->depth + 1 > f->lim.max_depth)
				return fail(f, err, RPC_TOO_DEEP,
					    "nesting deeper than %llu levels (at offset %llu)",
					    f->lim.max_depth, (unsigned long long)used);
			f->depth++;
			f->left[f->depth] = h.kind == 2 ? count * 2 : count;
		}
		while (f->depth > 0 && f->left[f->depth] == 0)
			f->depth--;
		if (f->depth == 0 && f->left[0] == 0)
			return FRAME_MESSAGE;
	}
	return FRAME_NEED_MORE;
}

int frame_next(struct frame *f, const msgpack_object **out, struct rpc_error *err)
{
	int rc;
	size_t off = 0, start;

	if (f->broken)
		return errors_set(err, RPC_PROTOCOL_ERROR, "the stream was already broken"), FRAME_ERROR;
	if (f->again) {
		f->again = false;
		*out = &f->unpacked.data;
		return FRAME_MESSAGE;
	}
	drop_consumed(f);
	rc = scan(f, err);
	if (rc != FRAME_MESSAGE)
		return rc;
	start = f->consumed;
	msgpack_unpacked_init(&f->unpacked);
	f->have_unpacked = true;
	switch (msgpack_unpack_next(&f->unpacked, f->buf + start, f->pos - start, &off)) {
	case MSGPACK_UNPACK_SUCCESS:
		break;
	case MSGPACK_UNPACK_NOMEM_ERROR:
		return fail(f, err, RPC_TOO_LARGE, "out of memory decoding a message of %llu bytes%.0llu",
			    (unsigned long long)(f->pos - start), 0ULL);
	default:
		return fail(f, err, RPC_PROTOCOL_ERROR, "malformed message of %llu bytes%.0llu",
			    (unsigned long long)(f->pos - start), 0ULL);
	}
	/* Ready for the next message: the scanner state restarts at pos. */
	f->consumed = f->pos;
	f->depth = 0;
	f->left[0] = 1;
	f->top_count = 0;
	f->values = 0;
	f->have_msgid = false;
	f->msgid = 0;
	*out = &f->unpacked.data;
	return FRAME_MESSAGE;
}

uint32_t frame_error_msgid(const struct frame *f)
{
	return f->have_msgid ? f->msgid : 0;
}

size_t frame_pending(const struct frame *f)
{
	return f->len - f->consumed;
}
