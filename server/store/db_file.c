/*
 * db_file.c: storage for evidence files (hồ sơ, minh chứng).  A file comes
 * in as an upload, chunk by chunk (upload_chunks, each at the offset `pos`
 * of its first byte, appended in order); file.upload_finish hashes the
 * stored chunks and, when they match the declared SHA-256, makes a files
 * row that points at the upload: the chunks become the file's without
 * being copied.  An upload's states:
 *
 *   open --db_upload_finish--> finished   (a file points at it)
 *   open --db_upload_abort---> aborted    (chunks deleted)
 *   open --db_upload_prune---> expired    (chunks deleted, after UPLOAD_KEEP_DAYS)
 *
 * Only an open upload takes chunks; the others keep their row so the audit
 * trail's entries still point at something.  A file an admin withdraws
 * (file.withdraw) loses its chunks the same way, zeroed on disk; its row
 * stays, marked withdrawn.
 */
#include "db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db_file.h"
#include "pack.h"

#define STR_(x) #x
#define STR(x) STR_(x) /* a number macro as an SQL literal */

#define UPLOAD_COLUMNS \
	"u.id AS id, u.task_id AS task_id, u.update_id AS update_id, u.name AS name, " \
	"u.type AS type, u.size AS size, lower(hex(u.sha256)) AS sha256, " \
	"u.received AS received, u.state AS state, u.account_id AS account_id, " \
	STR(FILE_CHUNK_MAX) " AS chunk_size, u.created_at AS created_at, u.updated_at AS updated_at"

#define FILE_COLUMNS \
	"f.id AS id, f.task_id AS task_id, f.update_id AS update_id, f.name AS name, " \
	"f.type AS type, f.size AS size, lower(hex(f.sha256)) AS sha256, " \
	"f.uploaded_by AS uploaded_by_id, a.login AS uploaded_by_login, " \
	"a.display_name AS uploaded_by_name, f.created_at AS created_at, " \
	"f.withdrawn_at IS NOT NULL AS withdrawn, f.withdrawn_at AS withdrawn_at, " \
	"w.login AS withdrawn_by_login, f.withdrawn_reason AS withdrawn_reason"
#define FILE_FROM \
	" FROM files f JOIN accounts a ON a.id = f.uploaded_by " \
	"LEFT JOIN accounts w ON w.id = f.withdrawn_by "

static const char SQL_PRUNE_CHUNKS[] =
	"DELETE FROM upload_chunks WHERE upload_id IN (SELECT id FROM uploads "
	"WHERE state = 'open' AND updated_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?1, ?2))";
static const char SQL_PRUNE[] =
	"UPDATE uploads SET state = 'expired', updated_at = ?1 "
	"WHERE state = 'open' AND updated_at < strftime('%Y-%m-%dT%H:%M:%SZ', ?1, ?2)";
static const char SQL_FIND_OPEN[] =
	"SELECT id FROM uploads WHERE state = 'open' AND account_id = ?1 AND task_id = ?2 "
	"AND sha256 = ?3 AND size = ?4 AND update_id IS ?5 ORDER BY id LIMIT 1";
/* A withdrawn file holds no bytes: the same bytes may come again. */
static const char SQL_FIND_FILE[] =
	"SELECT id FROM files WHERE task_id = ?1 AND sha256 = ?2 AND size = ?3 "
	"AND update_id IS ?4 AND withdrawn_at IS NULL ORDER BY id LIMIT 1";
static const char SQL_UPDATE_TASK[] = "SELECT task_id = ?1 FROM updates WHERE id = ?2";
static const char SQL_CREATE[] =
	"INSERT INTO uploads (task_id, update_id, account_id, name, type, size, sha256, "
	"created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)";
static const char SQL_GET[] =
	"SELECT task_id, coalesce(update_id, 0), account_id, size, received, state, sha256 "
	"FROM uploads WHERE id = ?1";
static const char SQL_APPEND[] =
	"INSERT INTO upload_chunks (upload_id, pos, size, data) VALUES (?1, ?2, ?3, ?4)";
static const char SQL_RECEIVED[] =
	"UPDATE uploads SET received = received + ?2, updated_at = ?3 WHERE id = ?1";
static const char SQL_CHUNKS[] =
	"SELECT pos, data FROM upload_chunks WHERE upload_id = ?1 ORDER BY pos";
static const char SQL_MAKE_FILE[] =
	"INSERT INTO files (task_id, update_id, upload_id, name, type, size, sha256, uploaded_by, "
	"created_at) SELECT task_id, update_id, id, name, type, size, sha256, account_id, ?2 "
	"FROM uploads WHERE id = ?1 AND state = 'open'";
static const char SQL_SET_STATE[] =
	"UPDATE uploads SET state = ?2, updated_at = ?3 WHERE id = ?1 AND state = 'open'";
static const char SQL_DROP_CHUNKS[] = "DELETE FROM upload_chunks WHERE upload_id = ?1";
static const char SQL_UPLOAD_PACK[] =
	"SELECT " UPLOAD_COLUMNS " FROM uploads u WHERE u.id = ?1";
static const char SQL_FILE_TASK[] = "SELECT task_id FROM files WHERE id = ?1";
static const char SQL_FILE_PACK[] = "SELECT " FILE_COLUMNS FILE_FROM "WHERE f.id = ?1";
static const char SQL_FILE_LIST[] =
	"SELECT " FILE_COLUMNS FILE_FROM
	"WHERE f.task_id = ?1 AND (?2 IS NULL OR f.update_id = ?2) ORDER BY f.id";
static const char SQL_FILE_HEAD[] =
	"SELECT f.upload_id, f.size, f.withdrawn_at, w.login, f.withdrawn_reason FROM files f "
	"LEFT JOIN accounts w ON w.id = f.withdrawn_by WHERE f.id = ?1";
/* What --upload-quota counts for the unit of task ?1: an open upload
 * holds its declared size (its bytes are on their way), a finished one
 * its file's unless withdrawn; aborted and expired ones hold nothing. */
static const char SQL_USAGE[] =
	"SELECT t.unit_id, un.code, (SELECT coalesce(sum(u.size), 0) FROM tasks t2 "
	"  JOIN uploads u ON u.task_id = t2.id LEFT JOIN files f ON f.upload_id = u.id "
	"  WHERE t2.unit_id = t.unit_id AND (u.state = 'open' "
	"    OR (u.state = 'finished' AND f.withdrawn_at IS NULL))) "
	"FROM tasks t JOIN units un ON un.id = t.unit_id WHERE t.id = ?1";
static const char SQL_WITHDRAW[] =
	"UPDATE files SET withdrawn_at = ?2, withdrawn_by = ?3, withdrawn_reason = ?4 "
	"WHERE id = ?1 AND withdrawn_at IS NULL";
static const char SQL_WITHDRAW_CHUNKS[] =
	"DELETE FROM upload_chunks WHERE upload_id = (SELECT upload_id FROM files WHERE id = ?1)";
/* The chunks holding bytes [?2, ?3): no chunk is longer than
 * FILE_CHUNK_MAX, so one holding byte ?2 starts after ?2 - FILE_CHUNK_MAX,
 * which lets the (upload_id, pos) index bound the scan. */
static const char SQL_FILE_SPAN[] =
	"SELECT pos, data FROM upload_chunks WHERE upload_id = ?1 AND pos < ?3 "
	"AND pos > ?2 - " STR(FILE_CHUNK_MAX) " AND pos + size > ?2 ORDER BY pos";

int db_upload_prune(struct db *db, const char *now, struct rpc_error *err)
{
	const char *sql[] = {SQL_PRUNE_CHUNKS, SQL_PRUNE};
	char age[32];
	int rc;

	snprintf(age, sizeof(age), "-%d days", UPLOAD_KEEP_DAYS);
	for (int i = 0; i < 2; i++)
		if ((rc = db_run(db, sql[i], "upload", err, "ss", now, age)) != RPC_OK)
			return rc;
	return RPC_OK;
}

int db_upload_find_open(struct db *db, const struct upload_input *in, int64_t *id,
			struct rpc_error *err)
{
	return db_one_int64(db, SQL_FIND_OPEN, id, err, "iibir", in->account, in->task,
			    in->sha256, 32, in->size, in->update);
}

int db_file_find_same(struct db *db, const struct upload_input *in, int64_t *id,
		      struct rpc_error *err)
{
	return db_one_int64(db, SQL_FIND_FILE, id, err, "ibir", in->task, in->sha256, 32,
			    in->size, in->update);
}

int db_file_update_check(struct db *db, int64_t task, int64_t update, struct rpc_error *err)
{
	int64_t same = 0;
	int rc;

	if ((rc = db_one_int64(db, SQL_UPDATE_TASK, &same, err, "ii", task, update)) != RPC_OK)
		return rc;
	/* An update of another task reads like one that does not exist: it
	 * may be out of the caller's scope. */
	if (!same)
		return errors_set(err, RPC_NOT_FOUND, "update: task %lld has no update with id %lld",
				  (long long)task, (long long)update);
	return RPC_OK;
}

int db_upload_create(struct db *db, const struct upload_input *in, const char *now, int64_t *id,
		     struct rpc_error *err)
{
	return db_insert(db, SQL_CREATE, "upload", id, err, "irittibs", in->task, in->update,
			 in->account, in->name, in->type, in->size, in->sha256, 32, now);
}

int db_upload_get(struct db *db, int64_t id, struct upload_row *out, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!(st = db_prep(db, SQL_GET, err, "i", id)))
		return err->code;
	if ((rc = db_row(db, st, "upload", id, err)) != RPC_OK)
		return rc;
	out->id = id;
	out->task = sqlite3_column_int64(st, 0);
	out->update = sqlite3_column_int64(st, 1);
	out->account = sqlite3_column_int64(st, 2);
	out->size = sqlite3_column_int64(st, 3);
	out->received = sqlite3_column_int64(st, 4);
	snprintf(out->state, sizeof(out->state), "%s", (const char *)sqlite3_column_text(st, 5));
	if (sqlite3_column_bytes(st, 6) == 32)
		memcpy(out->sha256, sqlite3_column_blob(st, 6), 32);
	sqlite3_reset(st);
	return RPC_OK;
}

int db_upload_append(struct db *db, int64_t id, int64_t pos, struct text data, const char *now,
		     struct rpc_error *err)
{
	int rc = db_run(db, SQL_APPEND, "upload", err, "iiib", id, pos, (int64_t)data.n, data.s,
			(int)data.n);

	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_RECEIVED, "upload", err, "iis", id, (int64_t)data.n, now);
}

int db_upload_digest(struct db *db, int64_t id, unsigned char out[32], int64_t *bytes,
		     struct rpc_error *err)
{
	sqlite3_stmt *st;
	struct crypto_hash *h;
	int rc;

	*bytes = 0;
	if (!(st = db_prep(db, SQL_CHUNKS, err, "i", id)))
		return err->code;
	if (!(h = crypto_hash_new()))
		return errors_set(err, RPC_INTERNAL, "upload: out of memory hashing");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 1);

		if (sqlite3_column_int64(st, 0) != *bytes) {
			sqlite3_reset(st);
			crypto_hash_free(h);
			return errors_set(err, RPC_INTERNAL, "upload: upload %lld has a gap at byte %lld",
					  (long long)id, (long long)*bytes);
		}
		crypto_hash_add(h, sqlite3_column_blob(st, 1), (size_t)n);
		*bytes += n;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		crypto_hash_free(h);
		return db_fail(db, rc, "upload", err);
	}
	crypto_hash_end(h, out);
	return RPC_OK;
}

/* Moves an open upload to `state`. */
static int set_state(struct db *db, int64_t id, const char *state, const char *now,
		     struct rpc_error *err)
{
	int rc = db_run(db, SQL_SET_STATE, "upload", err, "iss", id, state, now);

	if (rc != RPC_OK)
		return rc;
	if (!sqlite3_changes(db->conn))
		return errors_set(err, RPC_CONFLICT, "upload: upload %lld is no longer open",
				  (long long)id);
	return RPC_OK;
}

int db_upload_finish(struct db *db, int64_t id, const char *now, int64_t *file,
		     struct rpc_error *err)
{
	int rc = db_run(db, SQL_MAKE_FILE, "file", err, "is", id, now);

	if (rc != RPC_OK)
		return rc;
	if (!sqlite3_changes(db->conn))
		return errors_set(err, RPC_CONFLICT, "upload: upload %lld is no longer open",
				  (long long)id);
	*file = sqlite3_last_insert_rowid(db->conn);
	return set_state(db, id, "finished", now, err);
}

int db_upload_abort(struct db *db, int64_t id, const char *now, struct rpc_error *err)
{
	int rc = set_state(db, id, "aborted", now, err);

	if (rc != RPC_OK)
		return rc;
	return db_run(db, SQL_DROP_CHUNKS, "upload", err, "i", id);
}

int db_upload_pack(struct db *db, int64_t id, int extra, msgpack_packer *pk,
		   struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_UPLOAD_PACK, "upload", id, NULL, NULL, extra, pk, err);
}

int db_file_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err)
{
	int rc;

	if ((rc = db_one_int64(db, SQL_FILE_TASK, task, err, "i", id)) != RPC_OK)
		return rc;
	if (!*task)
		return errors_set(err, RPC_NOT_FOUND, "file: no file with id %lld", (long long)id);
	return RPC_OK;
}

static const char *const file_bools[] = {"withdrawn", NULL};

int db_file_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err)
{
	return db_pack_by_id(db, SQL_FILE_PACK, "file", id, NULL, file_bools, 0, pk, err);
}

int db_file_list(struct db *db, int64_t task, int64_t update, msgpack_packer *pk,
		 struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_FILE_LIST, err, "ir", task, update);
	int64_t n;

	if (!st)
		return err->code;
	msgpack_pack_map(pk, 2);
	pack_str(pk, "items");
	if ((n = db_pack_rows(db, st, pk, file_bools, err)) < 0)
		return err->code;
	pack_kv_int(pk, "total", n);
	return RPC_OK;
}

/* Copies bytes [offset, offset + n) of upload `upload`'s chunks into buf. */
static int copy_span(struct db *db, int64_t upload, int64_t offset, int64_t n, char *buf,
		     struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_FILE_SPAN, err, "iii", upload, offset, offset + n);
	int64_t got = 0;
	int rc;

	if (!st)
		return err->code;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t pos = sqlite3_column_int64(st, 0);
		int64_t len = sqlite3_column_bytes(st, 1);
		const char *data = sqlite3_column_blob(st, 1);
		int64_t from = offset + got - pos, take;

		if (from < 0 || from >= len)
			break; /* a gap: reported below */
		take = len - from < n - got ? len - from : n - got;
		memcpy(buf + got, data + from, (size_t)take);
		got += take;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "file", err);
	if (got != n)
		return errors_set(err, RPC_INTERNAL, "file: the stored bytes of upload %lld have a gap "
				  "at byte %lld", (long long)upload, (long long)(offset + got));
	return RPC_OK;
}

int db_file_read(struct db *db, int64_t id, int64_t offset, int64_t length, msgpack_packer *pk,
		 struct rpc_error *err)
{
	sqlite3_stmt *st = db_prep(db, SQL_FILE_HEAD, err, "i", id);
	int64_t upload, size, n;
	char *buf;
	int rc;

	if (!st)
		return err->code;
	if ((rc = db_row(db, st, "file", id, err)) != RPC_OK)
		return rc;
	upload = sqlite3_column_int64(st, 0);
	size = sqlite3_column_int64(st, 1);
	if (sqlite3_column_type(st, 2) != SQLITE_NULL) {
		errors_set(err, RPC_CONFLICT,
			   "file: file %lld was withdrawn at %s by %s: %s; its content is erased",
			   (long long)id, (const char *)sqlite3_column_text(st, 2),
			   sqlite3_column_type(st, 3) == SQLITE_NULL
				   ? "an admin" : (const char *)sqlite3_column_text(st, 3),
			   (const char *)sqlite3_column_text(st, 4));
		sqlite3_reset(st);
		return err->code;
	}
	sqlite3_reset(st);
	if (offset > size)
		return errors_set(err, RPC_INVALID_ARGUMENT,
				  "offset: file %lld has %lld bytes; offset %lld is past its end",
				  (long long)id, (long long)size, (long long)offset);
	n = size - offset < length ? size - offset : length;
	if (!(buf = malloc(n > 0 ? (size_t)n : 1)))
		return errors_set(err, RPC_INTERNAL, "file: out of memory");
	if (n > 0 && (rc = copy_span(db, upload, offset, n, buf, err)) != RPC_OK) {
		free(buf);
		return rc;
	}
	msgpack_pack_map(pk, 4);
	pack_kv_int(pk, "file", id);
	pack_kv_int(pk, "offset", offset);
	pack_kv_int(pk, "size", size);
	pack_str(pk, "data");
	msgpack_pack_bin(pk, (size_t)n);
	msgpack_pack_bin_body(pk, buf, (size_t)n);
	free(buf);
	return RPC_OK;
}

int db_upload_usage(struct db *db, int64_t task, int64_t *unit, char code[64], int64_t *bytes,
		    struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*unit = *bytes = 0;
	code[0] = '\0';
	if (!(st = db_prep(db, SQL_USAGE, err, "i", task)))
		return err->code;
	if ((rc = db_row(db, st, "task", task, err)) != RPC_OK)
		return rc;
	*unit = sqlite3_column_int64(st, 0);
	snprintf(code, 64, "%s", (const char *)sqlite3_column_text(st, 1));
	*bytes = sqlite3_column_int64(st, 2);
	sqlite3_reset(st);
	return RPC_OK;
}

/* Sets PRAGMA secure_delete to `to` (0 off, 1 on, 2 FAST), its value
 * before into *was unless NULL.  A pragma names no user data: it is run
 * as it stands (static texts: db_stmt caches by the text's address). */
static int secure_delete(struct db *db, int to, int *was, struct rpc_error *err)
{
	static const char *const set[] = {"PRAGMA secure_delete = 0", "PRAGMA secure_delete = 1",
					  "PRAGMA secure_delete = 2"};
	sqlite3_stmt *st;
	int rc;

	if (was) {
		if (!(st = db_stmt(db, "PRAGMA secure_delete", err)))
			return err->code;
		if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
			sqlite3_reset(st);
			return db_fail(db, rc, "file", err);
		}
		*was = sqlite3_column_int(st, 0);
		sqlite3_reset(st);
	}
	if (!(st = db_stmt(db, set[to >= 0 && to <= 2 ? to : 0], err)))
		return err->code;
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? RPC_OK : db_fail(db, rc, "file", err);
}

int db_file_withdraw(struct db *db, int64_t id, int64_t by, struct text reason, const char *now,
		     struct rpc_error *err)
{
	int rc, was = 0;

	if ((rc = db_run(db, SQL_WITHDRAW, "file", err, "isit", id, now, by, reason)) != RPC_OK)
		return rc;
	if (!sqlite3_changes(db->conn))
		return errors_set(err, RPC_CONFLICT, "file: file %lld was withdrawn already",
				  (long long)id);
	/* Deleted rows and freed pages are zeroed only with secure_delete on
	 * (SQLite otherwise leaves them until a VACUUM): on for this delete
	 * alone, since zeroing every freed page (the search index's merges)
	 * would cost every write.  The zeros reach the WAL at COMMIT and the
	 * database file at the next checkpoint. */
	if ((rc = secure_delete(db, 1, &was, err)) != RPC_OK)
		return rc;
	rc = db_run(db, SQL_WITHDRAW_CHUNKS, "file", err, "i", id);
	if (was != 1) {
		struct rpc_error quiet = {0};

		if (secure_delete(db, was, NULL, rc == RPC_OK ? err : &quiet) != RPC_OK &&
		    rc == RPC_OK)
			rc = err->code;
	}
	return rc;
}
