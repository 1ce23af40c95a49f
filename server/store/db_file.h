/*
 * db_file.h: evidence files and their uploads (db_file.c; PROTOCOL.md 6d).
 */
#ifndef DOTPHA_DB_FILE_H
#define DOTPHA_DB_FILE_H

#include "db.h"

#define FILE_MAX_SIZE 52428800 /* 50 MiB: the largest file */
#define FILE_CHUNK_MAX 262144  /* 256 KiB: the most one upload_chunk or read carries */
#define UPLOAD_KEEP_DAYS 7     /* an open upload untouched this long expires */

/* A new upload, as file.upload_begin validated it. */
struct upload_input {
	int64_t task;
	int64_t update;                 /* 0: the task itself */
	int64_t account;                /* who sends it */
	struct text name, type;
	int64_t size;                   /* 1..FILE_MAX_SIZE */
	unsigned char sha256[32];       /* as the client declared it */
};

/* What the handlers need to know of an upload. */
struct upload_row {
	int64_t id, task, update, account;
	int64_t size, received;
	char state[16];                 /* "open", "finished", "aborted", "expired" */
	unsigned char sha256[32];
};

/* Expires the open uploads untouched for UPLOAD_KEEP_DAYS before `now`:
 * their chunks are deleted, their state becomes "expired". */
int db_upload_prune(struct db *db, const char *now, struct rpc_error *err);

/* The open upload of the same bytes (task, update, size, sha256) by the
 * same account into *id, 0 if none: what file.upload_begin resumes. */
int db_upload_find_open(struct db *db, const struct upload_input *in, int64_t *id,
			struct rpc_error *err);

/* A file of the task (and update, 0: the task itself) with the same size
 * and sha256 into *id, 0 if none. */
int db_file_find_same(struct db *db, const struct upload_input *in, int64_t *id,
		      struct rpc_error *err);

/* RPC_OK if update belongs to task, else not_found naming both. */
int db_file_update_check(struct db *db, int64_t task, int64_t update, struct rpc_error *err);

int db_upload_create(struct db *db, const struct upload_input *in, const char *now, int64_t *id,
		     struct rpc_error *err);

/* Reads upload id; not_found "upload: no upload with id N" if none. */
int db_upload_get(struct db *db, int64_t id, struct upload_row *out, struct rpc_error *err);

/* Stores data as the chunk at `pos` (the caller checked pos == received
 * and the bounds) and moves received past it. */
int db_upload_append(struct db *db, int64_t id, int64_t pos, struct text data, const char *now,
		     struct rpc_error *err);

/* The SHA-256 of the stored chunks in order into out, and how many bytes
 * they hold into *bytes; internal if they do not follow each other. */
int db_upload_digest(struct db *db, int64_t id, unsigned char out[32], int64_t *bytes,
		     struct rpc_error *err);

/* Makes the file of a complete, checked upload (state "finished"); its
 * chunks stay where they are and become the file's.  *file gets its id. */
int db_upload_finish(struct db *db, int64_t id, const char *now, int64_t *file,
		     struct rpc_error *err);

/* Deletes an open upload's chunks and marks it "aborted". */
int db_upload_abort(struct db *db, int64_t id, const char *now, struct rpc_error *err);

/* Packs the upload object of PROTOCOL.md 6d, with `extra` pairs to add. */
int db_upload_pack(struct db *db, int64_t id, int extra, msgpack_packer *pk,
		   struct rpc_error *err);

/* The task of file id; not_found "file: no file with id N". */
int db_file_task(struct db *db, int64_t id, int64_t *task, struct rpc_error *err);

/* Packs the file object of PROTOCOL.md 6d. */
int db_file_pack(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, total}: the files of task (of one update of it unless
 * update is 0), oldest first. */
int db_file_list(struct db *db, int64_t task, int64_t update, msgpack_packer *pk,
		 struct rpc_error *err);

/* Packs file.read's {file, offset, size, data}: up to `length` bytes
 * (1..FILE_CHUNK_MAX) from `offset` (0..size).  A withdrawn file answers
 * conflict naming when, by whom and why. */
int db_file_read(struct db *db, int64_t id, int64_t offset, int64_t length, msgpack_packer *pk,
		 struct rpc_error *err);

/* The evidence a unit holds, as --upload-quota counts it: the unit of
 * task into *unit (its code into code[64]), and into *bytes the declared
 * sizes of that unit's open uploads and of its files not withdrawn. */
int db_upload_usage(struct db *db, int64_t task, int64_t *unit, char code[64], int64_t *bytes,
		    struct rpc_error *err);

/* Withdraws file id: its bytes are deleted with SQLite's secure_delete
 * (the freed pages are overwritten with zeros), its row keeps who (by),
 * when (now) and why (reason).  conflict if it was withdrawn already. */
int db_file_withdraw(struct db *db, int64_t id, int64_t by, struct text reason, const char *now,
		     struct rpc_error *err);

#endif
