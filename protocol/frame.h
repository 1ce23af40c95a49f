/*
 * frame.h: cutting a byte stream into MessagePack messages, safely.
 *
 * Bytes arrive in any split.  Before msgpack-c sees a single byte, our own
 * scanner walks the headers and enforces the limits, so a peer that declares
 * a 4 GiB string or a billion-element array is refused from its 5-byte
 * header, without allocating.  Only a complete message that passed the scan
 * is handed to msgpack_unpack_next(), so its allocation is bounded by the
 * message size.  The scanner is resumable: each byte is looked at once,
 * however the message is split.
 */
#ifndef DOTPHA_FRAME_H
#define DOTPHA_FRAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <msgpack.h>

#include "errors.h"

#define FRAME_DEFAULT_MAX_MESSAGE (1024u * 1024u) /* 1 MiB */
#define FRAME_DEFAULT_MAX_DEPTH 32u               /* containers inside containers */
#define FRAME_HARD_MAX_DEPTH 32u                  /* msgpack-c's own stack is 32 deep */

/* A decoded value costs msgpack-c a msgpack_object (24 bytes, 48 for a
 * map's pair) whatever its encoded size: a 1 MiB array of one-byte values
 * decodes to 24 MiB.  So a message may hold at most one value for every
 * FRAME_BYTES_PER_VALUE bytes of its limit (262,144 at 1 MiB), and its
 * decoded size stays within a few times the limit. */
#define FRAME_BYTES_PER_VALUE 4u

struct frame_limits {
	size_t max_message; /* bytes in one message */
	unsigned max_depth; /* open containers at once; at most FRAME_HARD_MAX_DEPTH */
};

enum frame_status {
	FRAME_ERROR = -1,    /* the stream is broken; err says why; stop reading */
	FRAME_NEED_MORE = 0, /* no complete message buffered yet */
	FRAME_MESSAGE = 1,   /* *out holds the next message */
};

struct frame {
	char *buf;                 /* owned; received bytes are [0, len) */
	size_t len;                /* bytes buffered */
	size_t cap;                /* bytes allocated */
	size_t consumed;           /* bytes of the message last returned, dropped at the next call */
	size_t pos;                /* scan position: [0, pos) has been scanned */
	unsigned depth;            /* open containers, 0 between messages */
	uint64_t left[FRAME_HARD_MAX_DEPTH + 1]; /* items still due at each level; left[0] is the top value */
	uint64_t top_count;        /* elements of the top-level array, for msgid capture */
	uint64_t values;           /* values scanned in the message in progress */
	uint32_t msgid;            /* msgid of the message being scanned, if seen */
	bool have_msgid;           /* msgid is valid */
	bool broken;               /* a FRAME_ERROR was returned; the stream is dead */
	bool have_unpacked;        /* unpacked holds a zone to release */
	bool again;                /* frame_unget: return the last message again */
	msgpack_unpacked unpacked; /* the last message; its objects point into buf */
	struct frame_limits lim;   /* copied at init */
};

/* Sets up an empty frame; lim NULL means the defaults.  Never fails: memory
 * is allocated on first use. */
void frame_init(struct frame *f, const struct frame_limits *lim);

/* Changes the largest message accepted from now on (a connection's limit
 * grows once it signs in); the message in progress is checked against the
 * new limit as its scan goes on.  The receive buffer shrinks back to
 * match at the next idle moment. */
void frame_set_max_message(struct frame *f, size_t max_message);

/* Releases the decoded form of the message last returned (the caller has
 * copied what it needs; conn.c while a job runs), keeping its bytes. */
void frame_release_message(struct frame *f);

/* Puts back the message last returned: the next frame_next() returns it
 * again (conn.c, when it must wait to be answered).  The caller reads no
 * bytes into the frame meanwhile. */
void frame_unget(struct frame *f);

/* Releases everything the frame owns. */
void frame_free(struct frame *f);

/* Gives the free space at the tail of the buffer to receive into (libuv's
 * alloc callback).  *n is 0 if memory ran out. */
void frame_space(struct frame *f, char **p, size_t *n);

/* Records that n bytes were written into the space frame_space() gave. */
void frame_commit(struct frame *f, size_t n);

/* Copies n bytes in.  Returns 0, or -1 if memory ran out. */
int frame_feed(struct frame *f, const void *p, size_t n);

/* Returns the next complete message.  *out and everything it points to stay
 * valid until the next call to frame_next(), frame_space() or frame_free(). */
int frame_next(struct frame *f, const msgpack_object **out, struct rpc_error *err);

/* After FRAME_ERROR: the msgid of the request that broke the stream, if its
 * header had been scanned, so the error reply can name it; else 0. */
uint32_t frame_error_msgid(const struct frame *f);

/* Bytes buffered but not yet returned as a message (a message in progress). */
size_t frame_pending(const struct frame *f);

#endif
