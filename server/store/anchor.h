/*
 * anchor.h: the audit chain's head kept outside the database.  Whoever can
 * write the database file can cut the newest entries, or rewrite and
 * rehash the whole chain, and it still checks out; a copy of the head (the
 * newest entry's id and hash) kept where that writer cannot rewrite it
 * shows both.  dotphad takes one when the head has moved (every
 * --anchor-every seconds, and at stop): it logs it ("audit anchor: LINE")
 * and appends LINE to --anchor-file.  `dotphad --check --anchor FILE` and
 * audit.verify's `anchor` param hold the chain to them (db_audit_verify).
 *
 * One line per anchor, as written and as read back:
 *
 *   AT ID HASH\n      e.g. "2026-10-31T08:15:00Z 1234 9f86d0...(64 hex digits)"
 *
 * AT the UTC moment it was taken, ID the entry's id (decimal), HASH the
 * entry's hash in lowercase hex; single spaces.
 */
#ifndef DOTPHA_ANCHOR_H
#define DOTPHA_ANCHOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <uv.h>

#include "db.h"
#include "db_audit.h"

#define ANCHOR_LINE_MAX 128     /* one line, newline and NUL included */
#define ANCHOR_EVERY_MS 60000u  /* default: look at the head once a minute */

/* hash as 64 lowercase hex digits and a NUL. */
void anchor_hex(const unsigned char hash[32], char out[65]);

/* An anchor as given to audit.verify or `dotpha audit verify --anchor`:
 * "ID:HASH" or "HASH" (id 0 then), HASH 64 hex digits in either case.
 * Returns 0, or -1 if s[0..n) is neither. */
int anchor_parse_ref(const char *s, size_t n, struct audit_anchor *a);

/* One line of an anchor file (without its newline).  Returns 0, or -1. */
int anchor_parse_line(const char *s, size_t n, struct audit_anchor *a);

/* The line of a, newline included, into out; returns its length. */
size_t anchor_format(const struct audit_anchor *a, char out[ANCHOR_LINE_MAX]);

/* Reads every anchor of the file at path into *out (malloc'ed, caller
 * frees; *n of them).  Blank lines and lines starting with '#' are
 * skipped, and so is a last line without its newline that does not parse
 * (an append cut short by a crash).  Returns 0, or -1 with a sentence in
 * why naming the file and the line. */
int anchor_read_file(const char *path, struct audit_anchor **out, size_t *n, char *why,
		     size_t len);

/* The daemon's side: where the anchors go and the last one taken.  The
 * file is written on the thread pool (one append and an fsync), so a slow
 * disk never holds up the loop; at stop, after the loop has ended, on the
 * calling thread. */
struct anchor_writer {
	int fd;                     /* --anchor-file, O_APPEND; -1: the log only */
	char path[4096];            /* its path, for messages */
	uint64_t every_ms;          /* how often to look at the head */
	uint64_t next_ms;           /* loop time of the next look */
	bool taken;                 /* last is an anchor written everywhere */
	struct audit_anchor last;   /* the newest anchor taken */
	uv_work_t req;              /* the file write on the pool */
	bool running;               /* req is queued or running */
	char line[ANCHOR_LINE_MAX]; /* what req appends; stable while running */
	size_t len;
	int error;                  /* errno of req's write or fsync, 0 */
	struct audit_anchor pending; /* what req is writing */
};

/* Opens path (NULL: no file, the log only) O_APPEND, created 0600, and
 * warns when it sits in the database's own directory.  Returns 0, or -1
 * after logging why. */
int anchor_writer_open(struct anchor_writer *w, const char *path, const char *db_path,
		       uint64_t every_ms);

/* On the loop: if the head of db's chain moved since the last anchor,
 * logs a new one and queues its append to the file.  Sets w->next_ms. */
void anchor_writer_tick(struct anchor_writer *w, uv_loop_t *loop, struct db *db,
			uint64_t now_ms);

/* At stop, once the loop has ended (no job runs): takes the last anchor
 * if the head moved, writes it at once, and closes the file. */
void anchor_writer_close(struct anchor_writer *w, struct db *db);

#endif
