/*
 * mime.h: an e-mail message as bytes (mime.c): UTF-8 headers as RFC 2047
 * encoded words, a multipart/alternative body of plain text and HTML,
 * each part base64 in lines of 76, CRLF line ends throughout (RFC 5322).
 * Built only from what the outbox row holds, so a message sent again is
 * the same message: its Date is the row's creation, its MIME boundary
 * follows from its Message-ID.
 */
#ifndef DOTPHA_MIME_H
#define DOTPHA_MIME_H

#include <stdbool.h>
#include <stddef.h>

/* A growing string; s is NUL-terminated, NULL once out of memory. */
struct mime_buf {
	char *s;
	size_t len, cap;
	bool failed; /* an append ran out of memory: s is freed and NULL */
};

void mime_buf_add(struct mime_buf *b, const char *s, size_t n);
void mime_buf_str(struct mime_buf *b, const char *s);
void mime_buf_printf(struct mime_buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* s with & < > " ' as HTML entities. */
void mime_buf_html(struct mime_buf *b, const char *s);
/* Takes the string (caller frees), or NULL if an append failed. */
char *mime_buf_take(struct mime_buf *b, size_t *len);

/* One message.  Strings borrowed; UTF-8; the addresses pass mime_address_ok. */
struct mime_message {
	const char *from;        /* the sender's address */
	const char *from_name;   /* shown with it, or NULL */
	const char *to;
	const char *subject;
	const char *text;        /* the plain text part, lines ending in \n */
	const char *html;        /* the HTML part */
	const char *message_id;  /* "<...@...>" */
	const char *created_at;  /* "YYYY-MM-DDTHH:MM:SSZ": the Date header */
};

/* The message's bytes, NUL-terminated (caller frees), *len their number;
 * NULL when out of memory. */
char *mime_build(const struct mime_message *m, size_t *len);

/* s as a header's value: itself when printable ASCII, else RFC 2047
 * "=?UTF-8?B?...?=" words of at most 75 characters that never split a
 * character, folded with CRLF SP.  Appended to b. */
void mime_header_value(struct mime_buf *b, const char *s);

/* Whether s[0..n) is an address we send to: local@domain, printable
 * ASCII without spaces, quotes, angle brackets, commas or control
 * characters (so no header can be smuggled in with CR or LF), one @, a
 * domain with a dot, at most 254 bytes. */
bool mime_address_ok(const char *s, size_t n);

#endif
