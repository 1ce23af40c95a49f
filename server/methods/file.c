/*
 * file.c: evidence files (hồ sơ, minh chứng) of a task or of one of its
 * progress updates.  A file travels in chunks of at most FILE_CHUNK_MAX
 * bytes, so no message comes near the message limit: file.upload_begin
 * opens an upload (or returns the open one of the same bytes, so that
 * running the client again resumes a broken transfer), file.upload_chunk
 * appends at exactly the offset received so far, file.upload_finish checks
 * the SHA-256 of what arrived and makes the file, file.upload_abort drops
 * an upload.  Anyone with the task in scope lists and reads files.
 *
 * Who attaches: an office with the task in scope, or an admin, while the
 * task is assigned, in_progress or reported_done (evidence of progress,
 * and of the product reported done before it is accepted).  An upload is
 * its sender's: another account's upload answers not_found.
 *
 * Room: a unit's evidence stops at --upload-quota (conflict, at
 * file.upload_begin, which reserves the declared size), and the disk keeps
 * --min-free bytes free (storage_full, at begin and at each chunk), both
 * checked before anything is written (storage.h).  An admin withdraws a
 * file sent by mistake (file.withdraw): its bytes are erased, its row and
 * the audit trail's entries stay.
 */
#include <string.h>

#include "db_file.h"
#include "db_task.h"
#include "handlers.h"
#include "pack.h"
#include "storage.h"
#include "utf8.h"
#include "workflow.h"

/* The states a task takes evidence in. */
#define ATTACHABLE (1u << TS_ASSIGNED | 1u << TS_IN_PROGRESS | 1u << TS_REPORTED_DONE)

static int may_attach(struct call *c, int64_t task)
{
	struct task_status ts;
	int s, rc;

	if ((rc = db_task_status(c->db, task, &ts, c->err)) != RPC_OK)
		return rc;
	s = workflow_state_of(ts.state);
	if (s < 0 || !(ATTACHABLE & (1u << s)))
		return errors_set(c->err, RPC_CONFLICT,
				  "task: task %lld is %s; evidence files are attached only to a task "
				  "that is assigned, in_progress or reported_done",
				  (long long)task, ts.state);
	return RPC_OK;
}

/* A file name: no path separator, no control character, not "." or "..",
 * so that a client may save it under that name in a folder. */
static bool name_ok(struct text t)
{
	if ((t.n == 1 && t.s[0] == '.') || (t.n == 2 && t.s[0] == '.' && t.s[1] == '.'))
		return false;
	for (size_t i = 0; i < t.n; i++) {
		unsigned char ch = (unsigned char)t.s[i];

		if (ch < 0x20 || ch == 0x7f || ch == '/' || ch == '\\')
			return false;
	}
	return true;
}

/* A MIME type, "type/subtype", each part of letters, digits and
 * !#$&^_.+- (RFC 6838's restricted names). */
static bool type_ok(struct text t)
{
	size_t slash = 0, i;

	for (i = 0; i < t.n; i++) {
		char ch = t.s[i];

		if (ch == '/') {
			if (slash || i == 0)
				return false;
			slash = i;
		} else if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
			     (ch >= '0' && ch <= '9') || (ch && strchr("!#$&^_.+-", ch)))) {
			return false;
		}
	}
	return slash && slash + 1 < t.n;
}

static int hex_digit(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

/* sha256: 64 hex digits into out[32]; false if it is not that. */
static bool sha_of(struct text t, unsigned char out[32])
{
	if (t.n != 64)
		return false;
	for (size_t i = 0; i < 32; i++) {
		int hi = hex_digit(t.s[2 * i]), lo = hex_digit(t.s[2 * i + 1]);

		if (hi < 0 || lo < 0)
			return false;
		out[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

static void hex_of(const unsigned char in[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";

	for (size_t i = 0; i < 32; i++) {
		out[2 * i] = hex[in[i] >> 4];
		out[2 * i + 1] = hex[in[i] & 15];
	}
	out[64] = '\0';
}

/* Reads begin's params into in; RPC_OK or invalid_argument. */
static int begin_params(struct call *c, struct upload_input *in)
{
	struct params p;
	struct text sha = {0};
	char echo[96]; /* a wrong value, escaped, in the message */

	memset(in, 0, sizeof(*in));
	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &in->task);
	params_id(&p, "update", P_OPTIONAL, &in->update);
	if (params_text(&p, "name", P_REQUIRED, 255, true, &in->name) && !name_ok(in->name))
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "name: a file name without '/', '\\' or control characters, "
			    "and not '.' or '..'");
	if (params_text(&p, "type", P_REQUIRED, 127, true, &in->type) && !type_ok(in->type))
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "type: a media type such as application/pdf, got '%s'",
			    utf8_escaped(in->type.s, in->type.n, echo, sizeof(echo)));
	params_int(&p, "size", P_REQUIRED, 1, FILE_MAX_SIZE, &in->size);
	if (params_text(&p, "sha256", P_REQUIRED, 64, false, &sha) && !sha_of(sha, in->sha256))
		params_fail(&p, RPC_INVALID_ARGUMENT,
			    "sha256: the file's SHA-256 as 64 hex digits, got '%s'",
			    utf8_escaped(sha.s, sha.n, echo, sizeof(echo)));
	in->account = c->who->account_id;
	return params_end(&p);
}

/* The unit of task, with `more` bytes, stays within --upload-quota; else
 * conflict naming the unit, what it holds and the quota. */
static int within_quota(struct call *c, int64_t task, int64_t more)
{
	uint64_t quota = storage_upload_quota();
	int64_t unit, used;
	char code[64];
	int rc;

	if (quota == 0)
		return RPC_OK;
	if ((rc = db_upload_usage(c->db, task, &unit, code, &used, c->err)) != RPC_OK)
		return rc;
	if ((uint64_t)used + (uint64_t)more <= quota)
		return RPC_OK;
	return errors_set(c->err, RPC_CONFLICT,
			  "file: unit %s holds %.1f MiB of evidence files (with the uploads under "
			  "way) of its quota of %.1f MiB; this file's %.1f MiB would pass it; "
			  "nothing was stored; ask the server's administrator",
			  code, (double)used / (1 << 20), (double)quota / (1 << 20),
			  (double)more / (1 << 20));
}

int file_upload_begin(struct call *c)
{
	struct upload_input in;
	struct upload_row u;
	int64_t id = 0, same = 0;
	bool resumed;
	int rc;

	if ((rc = begin_params(c, &in)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", in.task, c->err)) != RPC_OK ||
	    (in.update && (rc = db_file_update_check(c->db, in.task, in.update, c->err)) != RPC_OK) ||
	    (rc = may_attach(c, in.task)) != RPC_OK ||
	    (rc = db_upload_prune(c->db, c->now, c->err)) != RPC_OK ||
	    (rc = db_upload_find_open(c->db, &in, &id, c->err)) != RPC_OK)
		return rc;
	if (!(resumed = id != 0)) {
		if ((rc = db_file_find_same(c->db, &in, &same, c->err)) != RPC_OK)
			return rc;
		if (same)
			return errors_set(c->err, RPC_CONFLICT,
					  "file: task %lld already has this file (same size and "
					  "SHA-256) as file %lld",
					  (long long)in.task, (long long)same);
		/* The open upload counts whole from now on: parallel uploads
		 * cannot pass the quota together. */
		if ((rc = within_quota(c, in.task, in.size)) != RPC_OK ||
		    (rc = storage_check_free(db_path(c->db), in.size, c->err)) != RPC_OK ||
		    (rc = db_upload_create(c->db, &in, c->now, &id, c->err)) != RPC_OK)
			return rc;
	} else if ((rc = db_upload_get(c->db, id, &u, c->err)) != RPC_OK ||
		   (rc = storage_check_free(db_path(c->db), u.size - u.received, c->err)) !=
			   RPC_OK) {
		return rc;
	}
	if ((rc = db_upload_pack(c->db, id, 1, c->pk, c->err)) != RPC_OK)
		return rc;
	pack_kv_bool(c->pk, "resumed", resumed);
	return RPC_OK;
}

/* The caller's open upload `id` with its task still in scope, into *u.
 * Another account's upload, or one whose task left the caller's scope,
 * reads like one that does not exist. */
static int own_open_upload(struct call *c, int64_t id, struct upload_row *u)
{
	int rc = db_upload_get(c->db, id, u, c->err);

	if (rc == RPC_OK && u->account == c->who->account_id)
		rc = db_task_check_in(c->db, c->who->scope, "task", u->task, c->err);
	else if (rc == RPC_OK)
		rc = RPC_NOT_FOUND;
	if (rc == RPC_NOT_FOUND)
		return errors_set(c->err, RPC_NOT_FOUND, "upload: no upload with id %lld",
				  (long long)id);
	if (rc != RPC_OK)
		return rc;
	if (strcmp(u->state, "open") != 0)
		return errors_set(c->err, RPC_CONFLICT,
				  "upload: upload %lld is %s; begin the upload again "
				  "(file.upload_begin)",
				  (long long)id, u->state);
	return RPC_OK;
}

/* Reads the one field `upload` of chunk-less methods. */
static int upload_param(struct call *c, int64_t *id)
{
	struct params p;

	call_params(c, &p);
	params_id(&p, "upload", P_REQUIRED, id);
	return params_end(&p);
}

int file_upload_chunk(struct call *c)
{
	struct params p;
	struct upload_row u;
	struct text data = {0};
	int64_t id = 0, offset = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "upload", P_REQUIRED, &id);
	params_int(&p, "offset", P_REQUIRED, 0, FILE_MAX_SIZE, &offset);
	params_bin(&p, "data", P_REQUIRED, FILE_CHUNK_MAX, &data);
	if ((rc = params_end(&p)) != RPC_OK || (rc = own_open_upload(c, id, &u)) != RPC_OK)
		return rc;
	if (offset != u.received)
		return errors_set(c->err, RPC_CONFLICT,
				  "offset: upload %lld has %lld bytes; send from offset %lld, got %lld",
				  (long long)id, (long long)u.received, (long long)u.received,
				  (long long)offset);
	if (offset + (int64_t)data.n > u.size)
		return errors_set(c->err, RPC_INVALID_ARGUMENT,
				  "data: %zu bytes at offset %lld go past the declared size %lld",
				  data.n, (long long)offset, (long long)u.size);
	if ((rc = storage_check_free(db_path(c->db), (int64_t)data.n, c->err)) != RPC_OK ||
	    (rc = db_upload_append(c->db, id, offset, data, c->now, c->err)) != RPC_OK)
		return rc;
	return db_upload_pack(c->db, id, 0, c->pk, c->err);
}

int file_upload_finish(struct call *c)
{
	struct upload_row u;
	unsigned char got[32];
	char want_hex[65], got_hex[65];
	int64_t id = 0, bytes, file;
	int rc;

	if ((rc = upload_param(c, &id)) != RPC_OK || (rc = own_open_upload(c, id, &u)) != RPC_OK)
		return rc;
	if (u.received != u.size)
		return errors_set(c->err, RPC_CONFLICT,
				  "upload: upload %lld has %lld of its %lld bytes; send the rest first",
				  (long long)id, (long long)u.received, (long long)u.size);
	if ((rc = may_attach(c, u.task)) != RPC_OK ||
	    (rc = db_upload_digest(c->db, id, got, &bytes, c->err)) != RPC_OK)
		return rc;
	if (bytes != u.size || memcmp(got, u.sha256, 32) != 0) {
		hex_of(u.sha256, want_hex);
		hex_of(got, got_hex);
		return errors_set(c->err, RPC_CONFLICT,
				  "sha256: the bytes of upload %lld hash to %s, not the declared %s; "
				  "abort it (file.upload_abort) and send the file again",
				  (long long)id, got_hex, want_hex);
	}
	if ((rc = db_upload_finish(c->db, id, c->now, &file, c->err)) != RPC_OK)
		return rc;
	return db_file_pack(c->db, file, c->pk, c->err);
}

int file_upload_abort(struct call *c)
{
	struct upload_row u;
	int64_t id = 0;
	int rc;

	if ((rc = upload_param(c, &id)) != RPC_OK || (rc = own_open_upload(c, id, &u)) != RPC_OK ||
	    (rc = db_upload_abort(c->db, id, c->now, c->err)) != RPC_OK)
		return rc;
	return db_upload_pack(c->db, id, 0, c->pk, c->err);
}

int file_list(struct call *c)
{
	struct params p;
	int64_t task = 0, update = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "task", P_REQUIRED, &task);
	params_id(&p, "update", P_OPTIONAL, &update);
	if ((rc = params_end(&p)) != RPC_OK ||
	    (rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err)) != RPC_OK ||
	    (update && (rc = db_file_update_check(c->db, task, update, c->err)) != RPC_OK))
		return rc;
	return db_file_list(c->db, task, update, c->pk, c->err);
}

/* File id, whose task must be in the caller's scope: a file of a task out
 * of scope reads like one that does not exist. */
static int file_in_scope(struct call *c, int64_t id)
{
	int64_t task;
	int rc = db_file_task(c->db, id, &task, c->err);

	if (rc == RPC_OK)
		rc = db_task_check_in(c->db, c->who->scope, "task", task, c->err);
	if (rc == RPC_NOT_FOUND)
		return errors_set(c->err, RPC_NOT_FOUND, "file: no file with id %lld", (long long)id);
	return rc;
}

int file_get(struct call *c)
{
	struct params p;
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "file", P_REQUIRED, &id);
	if ((rc = params_end(&p)) != RPC_OK || (rc = file_in_scope(c, id)) != RPC_OK)
		return rc;
	return db_file_pack(c->db, id, c->pk, c->err);
}

int file_read(struct call *c)
{
	struct params p;
	int64_t id = 0, offset = 0, length = FILE_CHUNK_MAX;
	int rc;

	call_params(c, &p);
	params_id(&p, "file", P_REQUIRED, &id);
	params_int(&p, "offset", P_OPTIONAL, 0, FILE_MAX_SIZE, &offset);
	params_int(&p, "length", P_OPTIONAL, 1, FILE_CHUNK_MAX, &length);
	if ((rc = params_end(&p)) != RPC_OK || (rc = file_in_scope(c, id)) != RPC_OK)
		return rc;
	return db_file_read(c->db, id, offset, length, c->pk, c->err);
}

int file_withdraw(struct call *c)
{
	struct params p;
	struct text reason = {0};
	int64_t id = 0;
	int rc;

	call_params(c, &p);
	params_id(&p, "file", P_REQUIRED, &id);
	params_text(&p, "reason", P_REQUIRED, 1000, true, &reason);
	if ((rc = params_end(&p)) != RPC_OK || (rc = file_in_scope(c, id)) != RPC_OK ||
	    (rc = db_file_withdraw(c->db, id, c->who->account_id, reason, c->now, c->err)) !=
		    RPC_OK)
		return rc;
	storage_erased(); /* the WAL's older frames still hold the bytes */
	return db_file_pack(c->db, id, c->pk, c->err);
}
