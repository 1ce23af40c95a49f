/*
 * anchor.c: the audit chain's head kept outside the database (anchor.h):
 * the anchor line's format, reading an anchor file back, and the daemon's
 * writer, which the housekeeping timer drives.
 *
 * Why an fsync, and why on the pool: an anchor is only worth something
 * once it is on the disk, and the database commits with synchronous=FULL,
 * so an entry that is anchored is never lost by a power cut (an anchor
 * naming a lost entry would be a false alarm).  One small append and its
 * fsync cost nothing on an idle disk but can wait seconds behind a busy
 * one, so they run on libuv's pool, at most one at a time; the loop only
 * reads the head (one indexed row) and formats the line.
 */
#include "anchor.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "date.h"
#include "db_audit.h"
#include "log.h"
#include "storage.h"

void anchor_hex(const unsigned char hash[32], char out[65])
{
	static const char digits[] = "0123456789abcdef";

	for (int i = 0; i < 32; i++) {
		out[2 * i] = digits[hash[i] >> 4];
		out[2 * i + 1] = digits[hash[i] & 15];
	}
	out[64] = '\0';
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* 64 hex digits at s into hash; -1 if they are not. */
static int parse_hash(const char *s, size_t n, unsigned char hash[32])
{
	if (n != 64)
		return -1;
	for (int i = 0; i < 32; i++) {
		int hi = hex_digit(s[2 * i]), lo = hex_digit(s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return -1;
		hash[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}

/* A positive decimal id of s[0..n); -1 if it is not one. */
static int parse_id(const char *s, size_t n, int64_t *id)
{
	int64_t v = 0;

	if (n == 0 || n > 18 || s[0] == '0')
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	*id = v;
	return 0;
}

int anchor_parse_ref(const char *s, size_t n, struct audit_anchor *a)
{
	const char *colon = memchr(s, ':', n);

	memset(a, 0, sizeof(*a));
	if (!colon)
		return parse_hash(s, n, a->hash);
	if (parse_id(s, (size_t)(colon - s), &a->id) < 0)
		return -1;
	return parse_hash(colon + 1, n - (size_t)(colon - s) - 1, a->hash);
}

int anchor_parse_line(const char *s, size_t n, struct audit_anchor *a)
{
	const char *sp1 = memchr(s, ' ', n), *sp2;
	size_t atlen;

	memset(a, 0, sizeof(*a));
	if (!sp1 || (atlen = (size_t)(sp1 - s)) == 0 || atlen >= sizeof(a->at))
		return -1;
	if (!(sp2 = memchr(sp1 + 1, ' ', n - atlen - 1)))
		return -1;
	if (parse_id(sp1 + 1, (size_t)(sp2 - sp1 - 1), &a->id) < 0 ||
	    parse_hash(sp2 + 1, n - (size_t)(sp2 + 1 - s), a->hash) < 0)
		return -1;
	memcpy(a->at, s, atlen);
	a->at[atlen] = '\0';
	return 0;
}

size_t anchor_format(const struct audit_anchor *a, char out[ANCHOR_LINE_MAX])
{
	char hex[65];
	int n;

	anchor_hex(a->hash, hex);
	n = snprintf(out, ANCHOR_LINE_MAX, "%s %lld %s\n", a->at, (long long)a->id, hex);
	return n < 0 ? 0 : (size_t)n;
}

int anchor_read_file(const char *path, struct audit_anchor **out, size_t *n, char *why,
		     size_t len)
{
	FILE *f = fopen(path, "r");
	struct audit_anchor *all = NULL, a;
	size_t count = 0, cap = 0, lineno = 0;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t got;
	int rc = 0;

	*out = NULL;
	*n = 0;
	if (!f) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = getline(&line, &linecap, f)) >= 0) {
		bool whole = got > 0 && line[got - 1] == '\n';
		size_t m = (size_t)got - (whole ? 1 : 0);

		lineno++;
		if (m == 0 || line[0] == '#')
			continue;
		if (anchor_parse_line(line, m, &a) < 0) {
			if (!whole) /* a last append cut short */
				break;
			snprintf(why, len, "%s, line %zu: not an anchor (expected \"AT ID HASH\")",
				 path, lineno);
			rc = -1;
			break;
		}
		if (count == cap) {
			struct audit_anchor *more;

			cap = cap ? 2 * cap : 64;
			if (!(more = realloc(all, cap * sizeof(*all)))) {
				snprintf(why, len, "%s: out of memory", path);
				rc = -1;
				break;
			}
			all = more;
		}
		all[count++] = a;
	}
	if (rc == 0 && ferror(f)) {
		snprintf(why, len, "%s: %s", path, strerror(errno));
		rc = -1;
	}
	free(line);
	fclose(f);
	if (rc < 0) {
		free(all);
		return -1;
	}
	*out = all;
	*n = count;
	return 0;
}

/* ---- the writer ---- */

/* The directory part of path, resolved, into out; "" if it cannot be. */
static void real_dir(const char *path, char out[PATH_MAX])
{
	char dir[PATH_MAX];

	storage_dir_of(path, dir, sizeof(dir));
	if (!realpath(dir, out))
		out[0] = '\0';
}

int anchor_writer_open(struct anchor_writer *w, const char *path, const char *db_path,
		       uint64_t every_ms)
{
	char a[PATH_MAX], b[PATH_MAX];

	memset(w, 0, sizeof(*w));
	w->fd = -1;
	w->every_ms = every_ms ? every_ms : ANCHOR_EVERY_MS;
	if (!path)
		return 0;
	snprintf(w->path, sizeof(w->path), "%s", path);
	w->fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
	if (w->fd < 0) {
		log_error("--anchor-file %s: %s", path, strerror(errno));
		return -1;
	}
	real_dir(path, a);
	real_dir(db_path, b);
	if (a[0] && strcmp(a, b) == 0)
		log_warn("--anchor-file %s is in the database's own directory: whoever can rewrite "
			 "the database can rewrite it too; keep it on another disk, or ship the log "
			 "(its \"audit anchor:\" lines) elsewhere",
			 path);
	return 0;
}

/* Appends the whole line and flushes it to the disk; errno or 0. */
static int append(int fd, const char *line, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, line, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? errno : EIO;
		line += n;
		len -= (size_t)n;
	}
	return fsync(fd) < 0 ? errno : 0;
}

static void on_append(uv_work_t *req)
{
	struct anchor_writer *w = req->data;

	w->error = append(w->fd, w->line, w->len);
}

static void on_appended(uv_work_t *req, int status)
{
	struct anchor_writer *w = req->data;

	w->running = false;
	if (status == 0 && w->error == 0) {
		w->last = w->pending;
		w->taken = true;
		return;
	}
	/* Not taken: the next look tries again. */
	log_error("--anchor-file %s: the anchor of entry %lld was not written: %s", w->path,
		  (long long)w->pending.id, status ? uv_strerror(status) : strerror(w->error));
}

/* The head as a new anchor into *a; false when it has not moved since
 * the last one taken, or cannot be read (logged). */
static bool head_moved(struct anchor_writer *w, struct db *db, struct audit_anchor *a)
{
	struct rpc_error err = {0};

	memset(a, 0, sizeof(*a));
	if (db_audit_head(db, &a->id, a->hash, &err) != RPC_OK) {
		log_warn("audit anchor: cannot read the head of the audit trail: %s", err.message);
		return false;
	}
	if (a->id == 0 || (w->taken && w->last.id == a->id &&
			   memcmp(w->last.hash, a->hash, sizeof(a->hash)) == 0))
		return false;
	date_timestamp(clock_now(), a->at);
	return true;
}

/* Logs a as "audit anchor: LINE" (its line without the newline). */
static void log_anchor(const struct audit_anchor *a, char line[ANCHOR_LINE_MAX], size_t *len)
{
	*len = anchor_format(a, line);
	log_info("audit anchor: %.*s", (int)(*len ? *len - 1 : 0), line);
}

void anchor_writer_tick(struct anchor_writer *w, uv_loop_t *loop, struct db *db,
			uint64_t now_ms)
{
	struct audit_anchor a;

	w->next_ms = now_ms + w->every_ms;
	if (w->running || !head_moved(w, db, &a))
		return;
	log_anchor(&a, w->line, &w->len);
	if (w->fd < 0) {
		w->last = a;
		w->taken = true;
		return;
	}
	w->pending = a;
	w->req.data = w;
	if (uv_queue_work(loop, &w->req, on_append, on_appended) == 0)
		w->running = true;
}

void anchor_writer_close(struct anchor_writer *w, struct db *db)
{
	struct audit_anchor a;
	int e;

	if (db && !w->running && head_moved(w, db, &a)) {
		log_anchor(&a, w->line, &w->len);
		if (w->fd >= 0 && (e = append(w->fd, w->line, w->len)) != 0)
			log_error("--anchor-file %s: the anchor of entry %lld was not written: %s",
				  w->path, (long long)a.id, strerror(e));
	}
	if (w->fd >= 0)
		close(w->fd);
	w->fd = -1;
}
