/*
 * backup.c: the backup.* methods, an admin's online copy of the database
 * (dotpha admin backup FILE).  backup.create copies the database, as it is
 * at that moment, into a file beside it (db_backup.c) and answers its size
 * and SHA-256; backup.read hands it out in chunks, like file.read;
 * backup.drop deletes it.  The daemon keeps at most BACKUPS_MAX copies, an
 * hour each at most, and deletes what is left when it stops; a copy is
 * never served to anyone but an admin.
 *
 * backup.create runs on the thread pool (worker.h) while backup.read and
 * backup.drop run on the loop: `lock` guards the slots.  A slot is claimed
 * under it, filled without it (the copy takes seconds), and only then
 * made `ready`, the only state in which read and drop see it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>

#include "backup.h"
#include "clock.h"
#include "crypto.h"
#include "db_backup.h"
#include "handlers.h"
#include "log.h"
#include "pack.h"

#define BACKUPS_MAX 4
#define BACKUP_KEEP_S 3600
#define BACKUP_CHUNK_MAX (256 * 1024) /* as file.read: well under the message limit */

static struct backup {
	int64_t id;                 /* 0: a free slot */
	bool ready;                 /* copied and measured: read and drop may use it */
	char path[4096];
	int64_t size;
	unsigned char sha256[CRYPTO_SHA256_LEN];
	time_t made;
} backups[BACKUPS_MAX];

static int64_t last_id;
static uv_mutex_t lock; /* guards backups[] and last_id */
static uv_once_t lock_once = UV_ONCE_INIT;

static void lock_init(void)
{
	if (uv_mutex_init(&lock) != 0)
		abort(); /* at start, before any request: nothing to lose */
}

static void lock_slots(void)
{
	uv_once(&lock_once, lock_init);
	uv_mutex_lock(&lock);
}

static void unlock_slots(void)
{
	uv_mutex_unlock(&lock);
}

static void drop(struct backup *b)
{
	if (!b->id)
		return;
	if (unlink(b->path) != 0 && errno != ENOENT)
		log_warn("backup %lld: cannot delete %s: %s", (long long)b->id, b->path,
			 strerror(errno));
	b->id = 0;
	b->ready = false;
}

void backup_drop_all(void)
{
	lock_slots();
	for (int i = 0; i < BACKUPS_MAX; i++)
		drop(&backups[i]);
	unlock_slots();
}

/* A free slot, after dropping the copies past their hour (lock held). */
static struct backup *free_slot(void)
{
	struct backup *slot = NULL;

	for (int i = 0; i < BACKUPS_MAX; i++) {
		if (backups[i].ready && clock_now() - backups[i].made > BACKUP_KEEP_S)
			drop(&backups[i]);
		if (!backups[i].id && !slot)
			slot = &backups[i];
	}
	return slot;
}

/* The ready copy with this id (lock held), or NULL with the error set. */
static struct backup *find(struct call *c, int64_t id)
{
	for (int i = 0; i < BACKUPS_MAX; i++)
		if (backups[i].id == id && id && backups[i].ready)
			return &backups[i];
	errors_set(c->err, RPC_NOT_FOUND,
		   "backup: no backup with id %lld (a copy lasts an hour, and not past a restart)",
		   (long long)id);
	return NULL;
}

/* Size and SHA-256 of the file at b->path. */
static int measure(struct call *c, struct backup *b)
{
	struct crypto_hash *h = crypto_hash_new();
	FILE *f = fopen(b->path, "rb");
	char buf[64 * 1024]; /* on the pool thread's stack: jobs may run at once */
	size_t n;

	b->size = 0;
	if (!h || !f) {
		crypto_hash_free(h);
		if (f)
			fclose(f);
		return errors_set(c->err, RPC_INTERNAL, "backup: cannot read %s back", b->path);
	}
	while ((n = fread(buf, 1, sizeof(buf), f)) > 0) {
		crypto_hash_add(h, buf, n);
		b->size += (int64_t)n;
	}
	crypto_hash_end(h, b->sha256);
	if (ferror(f)) {
		fclose(f);
		return errors_set(c->err, RPC_INTERNAL, "backup: cannot read %s back", b->path);
	}
	fclose(f);
	return RPC_OK;
}

static void pack_backup(struct call *c, const struct backup *b, int64_t pages)
{
	char hex[2 * CRYPTO_SHA256_LEN + 1], at[TIMESTAMP_LEN];

	for (int i = 0; i < CRYPTO_SHA256_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", b->sha256[i]);
	date_timestamp(b->made, at);
	msgpack_pack_map(c->pk, 5);
	pack_kv_int(c->pk, "id", b->id);
	pack_kv_int(c->pk, "size", b->size);
	pack_kv_int(c->pk, "pages", pages);
	pack_kv_str(c->pk, "sha256", hex);
	pack_kv_str(c->pk, "created_at", at);
}

int backup_create(struct call *c)
{
	struct params p;
	struct backup *b;
	int64_t pages;
	int rc;

	call_params(c, &p);
	if ((rc = params_end(&p)) != RPC_OK)
		return rc;
	lock_slots();
	if (!(b = free_slot())) {
		unlock_slots();
		return errors_set(c->err, RPC_CONFLICT,
				  "backup: %d copies are waiting to be fetched; fetch or drop one "
				  "(backup.drop) first",
				  BACKUPS_MAX);
	}
	b->id = ++last_id; /* claimed: no other backup.create takes it */
	b->made = clock_now();
	snprintf(b->path, sizeof(b->path), "%s.backup-%ld-%lld", db_path(c->db), (long)getpid(),
		 (long long)b->id);
	unlock_slots();
	unlink(b->path); /* a leftover of a crashed daemon of the same pid */
	rc = db_backup_to(c->db, b->path, &pages, c->err);
	if (rc == RPC_OK)
		rc = measure(c, b);
	lock_slots();
	if (rc != RPC_OK)
		drop(b);
	else
		b->ready = true;
	unlock_slots();
	if (rc != RPC_OK)
		return rc;
	log_info("backup %lld: %lld bytes for %s", (long long)b->id, (long long)b->size,
		 c->who->login);
	pack_backup(c, b, pages);
	return RPC_OK;
}

/* backup.read, with the slots locked. */
static int read_locked(struct call *c)
{
	struct params p;
	struct backup *b;
	int64_t id = 0, offset = 0, length = BACKUP_CHUNK_MAX;
	static char buf[BACKUP_CHUNK_MAX];
	size_t n = 0;
	FILE *f;
	int rc;

	call_params(c, &p);
	params_id(&p, "backup", P_REQUIRED, &id);
	params_int(&p, "offset", P_REQUIRED, 0, INT64_MAX, &offset);
	params_int(&p, "length", P_OPTIONAL, 1, BACKUP_CHUNK_MAX, &length);
	if ((rc = params_end(&p)) != RPC_OK || !(b = find(c, id)))
		return rc != RPC_OK ? rc : c->err->code;
	if (offset >= b->size)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "offset: %lld is past the end of backup %lld (%lld bytes)",
				  (long long)offset, (long long)id, (long long)b->size);
	if (!(f = fopen(b->path, "rb")) || fseek(f, (long)offset, SEEK_SET) != 0 ||
	    (n = fread(buf, 1, (size_t)length, f)) == 0) {
		if (f)
			fclose(f);
		return errors_set(c->err, RPC_INTERNAL, "backup %lld: cannot read its file",
				  (long long)id);
	}
	fclose(f);
	msgpack_pack_map(c->pk, 3);
	pack_kv_int(c->pk, "backup", id);
	pack_kv_int(c->pk, "offset", offset);
	pack_str(c->pk, "data");
	msgpack_pack_bin(c->pk, n);
	msgpack_pack_bin_body(c->pk, buf, n);
	return RPC_OK;
}

/* backup.drop, with the slots locked. */
static int drop_locked(struct call *c)
{
	struct params p;
	struct backup *b;
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "backup", P_REQUIRED, &id);
	if ((rc = params_end(&p)) != RPC_OK || !(b = find(c, id)))
		return rc != RPC_OK ? rc : c->err->code;
	drop(b);
	msgpack_pack_map(c->pk, 2);
	pack_kv_int(c->pk, "id", id);
	pack_kv_bool(c->pk, "dropped", true);
	return RPC_OK;
}

/* Runs fn with the slots locked. */
static int locked(int (*fn)(struct call *), struct call *c)
{
	int rc;

	lock_slots();
	rc = fn(c);
	unlock_slots();
	return rc;
}

int backup_read(struct call *c)
{
	return locked(read_locked, c);
}

int backup_drop(struct call *c)
{
	return locked(drop_locked, c);
}
