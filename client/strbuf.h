/*
 * strbuf.h: a growable byte buffer, always NUL-terminated, for text the
 * client builds before writing it out (JSON, table cells, messages).
 *
 * Running out of memory is sticky: the first failed append sets `failed`,
 * later appends do nothing, and the caller checks once at the end.
 */
#ifndef DOTPHA_STRBUF_H
#define DOTPHA_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *buf;   /* owned; NULL until the first append */
	size_t len;  /* bytes used, not counting the NUL */
	size_t cap;  /* bytes allocated */
	bool failed; /* an append ran out of memory; the contents are incomplete */
};

#define STRBUF_INIT {NULL, 0, 0, false}

void strbuf_init(struct strbuf *sb);

/* Releases the memory; the buffer may be reused after strbuf_init(). */
void strbuf_free(struct strbuf *sb);

/* Empties the buffer but keeps its memory and clears `failed`. */
void strbuf_reset(struct strbuf *sb);

/* Appenders return 0, or -1 if memory ran out (then `failed` is set). */
int strbuf_add(struct strbuf *sb, const void *p, size_t n);
int strbuf_addc(struct strbuf *sb, char c);
int strbuf_adds(struct strbuf *sb, const char *s);
int strbuf_addf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* The contents as a C string; "" for an empty buffer.  Borrowed: valid until
 * the next append, reset or free. */
const char *strbuf_cstr(const struct strbuf *sb);

/* Hands the contents to the caller (who frees them) and empties the buffer.
 * Returns NULL if memory ran out at any point. */
char *strbuf_detach(struct strbuf *sb);

#endif
