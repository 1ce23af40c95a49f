/*
 * params.h: reading and validating a request's named fields.
 *
 * A handler makes a struct params over the request's map, reads each field
 * with a typed getter, then calls params_end().  The first defect is kept in
 * the error and later getters do nothing, so a handler reads every field and
 * checks once.  params_end() also refuses fields the handler never read, so
 * a misspelt field is an error, not a silent no-op.  Every message names the
 * field: "percent: must be between 0 and 100, got 140".
 *
 * Getters return true when the field is present (not nil) and valid.
 * Strings are borrowed from the request and live as long as it does.
 */
#ifndef DOTPHA_PARAMS_H
#define DOTPHA_PARAMS_H

#include <stdbool.h>
#include <stdint.h>

#include <msgpack.h>

#include "db.h"
#include "errors.h"

#define PARAMS_MAX_FIELDS 64

enum params_flags {
	P_OPTIONAL = 0,
	P_REQUIRED = 1,
};

/* Lengths of text fields, in bytes (documented in PROTOCOL.md section 3). */
#define P_CODE_MAX 32
#define P_NAME_MAX 500
#define P_LONG_MAX 20000

struct params {
	const msgpack_object *map; /* the request's map, or NULL for none; borrowed */
	uint64_t used;             /* bit i set: key i was read */
	struct rpc_error *err;     /* where the first defect goes */
	bool failed;               /* a defect was found */
};

void params_init(struct params *p, const msgpack_object *map, struct rpc_error *err);

/* Finishes reading: refuses unread fields.  Returns RPC_OK or the code of
 * the first defect. */
int params_end(struct params *p);

/* True once a defect is recorded. */
static inline bool params_failed(const struct params *p) { return p->failed; }

/* Records a defect of the caller's own (e.g. a cross-field rule). */
void params_fail(struct params *p, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* UTF-8 text of 0..max bytes; with `nonempty`, also refuses a value of only
 * spaces. */
bool params_text(struct params *p, const char *key, int flags, size_t max, bool nonempty,
		 struct text *out);

/* A name or title: 1..P_NAME_MAX bytes, not blank. */
bool params_name(struct params *p, const char *key, int flags, struct text *out);

/* Long text: 0..P_LONG_MAX bytes. */
bool params_long(struct params *p, const char *key, int flags, struct text *out);

/* A code: 1..32 bytes of A-Z a-z 0-9 . _ - */
bool params_code(struct params *p, const char *key, int flags, struct text *out);

/* A date "YYYY-MM-DD"; out gets it NUL-terminated. */
bool params_date(struct params *p, const char *key, int flags, char out[11]);

/* A date as params_date that is `today` or later: a date to answer or
 * check by. */
bool params_date_not_past(struct params *p, const char *key, int flags, const char *today,
			  char out[11]);

/* An integer in [min, max]. */
bool params_int(struct params *p, const char *key, int flags, int64_t min, int64_t max,
		int64_t *out);

/* A boolean. */
bool params_bool(struct params *p, const char *key, int flags, bool *out);

/* One of the strings in `allowed` (NULL-terminated); *out is its index. */
bool params_enum(struct params *p, const char *key, int flags, const char *const *allowed,
		 int *out);

/* A reference: a positive integer id or a code string. */
bool params_ref(struct params *p, const char *key, int flags, struct ref *out);

/* An object id: a positive integer. */
bool params_id(struct params *p, const char *key, int flags, int64_t *out);

/* An array of at most `max` elements; *out points at it (borrowed), NULL
 * when absent.  The caller reads its elements (a map each: a struct params
 * of its own). */
bool params_array(struct params *p, const char *key, int flags, uint32_t max,
		  const msgpack_object **out);
/* Binary (MessagePack bin) of 1..max bytes; out borrows the bytes. */
bool params_bin(struct params *p, const char *key, int flags, size_t max, struct text *out);

/* limit (1..1000, default 100) and after (default 0). */
void params_page(struct params *p, struct page *out);

/* Marks a key as read without looking at it (e.g. request_id, which the
 * dispatcher handles). */
void params_skip(struct params *p, const char *key);

#endif
