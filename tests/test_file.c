/*
 * test_file.c: evidence files (server/methods/file.c, db_file.c, PROTOCOL.md 6d)
 * through the dispatcher on a fresh temporary database per test: an
 * upload in chunks made a file and read back byte for byte; offsets,
 * chunk and file sizes; a SHA-256 that does not match leaves no file;
 * resuming an upload cut off midway; aborting and expiring; who may attach
 * and read, by role, scope and task state; the audit trail's entries;
 * the per-unit quota and the free-space floor (storage.h); an admin's
 * withdrawal, which erases the bytes from the database file itself.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "crypto.h"
#include "db.h"
#include "db_internal.h"
#include "dispatch.h"
#include "obj.h"
#include "storage.h"

#include "db_file.h"
#include "world.h"

TestSuite(file, .init = world_setup, .fini = world_teardown, .timeout = 120);

#define CHUNK FILE_CHUNK_MAX

/* ---- bytes ---- */

/* n pseudo-random bytes (the same for the same seed); caller frees. */
static unsigned char *bytes(size_t n, unsigned seed)
{
	unsigned char *b = malloc(n);

	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		b[i] = (unsigned char)(seed >> 16);
	}
	return b;
}

/* Hex of b[0..n) in a buffer kept until the test ends (world's 32
 * rotating ones are too small for a chunk). */
static char *hexbufs[64];
static int nhex;

static const char *hex(const unsigned char *b, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = malloc(2 * n + 1);

	cr_assert_not_null(s);
	cr_assert_lt(nhex, 64);
	hexbufs[nhex++] = s;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[b[i] >> 4];
		s[2 * i + 1] = digits[b[i] & 15];
	}
	s[2 * n] = '\0';
	return s;
}

static void free_hex(void)
{
	while (nhex > 0)
		free(hexbufs[--nhex]);
}

static const char *sha_hex(const unsigned char *b, size_t n)
{
	unsigned char d[CRYPTO_SHA256_LEN];

	crypto_sha256(b, n, d);
	return hex(d, sizeof(d));
}

/* ---- uploads ---- */

static const msgpack_object *begin_as(struct identity *who, int64_t task, const unsigned char *b,
				      size_t n)
{
	return world_request(who, "file.upload_begin",
			     FIELDS("i:task", num(task), "s:name", "Biên bản nghiệm thu.pdf", "s:type",
				    "application/pdf", "i:size", num((int64_t)n), "s:sha256",
				    sha_hex(b, n), NULL));
}

static const msgpack_object *chunk_as(struct identity *who, int64_t upload, size_t off,
				      const unsigned char *b, size_t n)
{
	return world_request(who, "file.upload_chunk",
			     FIELDS("i:upload", num(upload), "i:offset", num((int64_t)off), "x:data",
				    hex(b + off, n), NULL));
}

/* Sends b[from..to) in chunks of CHUNK as who; asserts each is taken. */
static void send_range(struct identity *who, int64_t upload, const unsigned char *b, size_t from,
		       size_t to)
{
	for (size_t off = from; off < to; off += CHUNK) {
		size_t n = to - off < CHUNK ? to - off : CHUNK;
		const msgpack_object *r = chunk_as(who, upload, off, b, n);

		cr_assert_not_null(r, "chunk at %zu: %s", off, world_last.message);
		cr_assert_eq(I(r, "received"), (int64_t)(off + n));
		free_hex();
	}
}

/* Uploads b as who on task, whole; the new file's id. */
static int64_t attach_as(struct identity *who, int64_t task, const unsigned char *b, size_t n)
{
	const msgpack_object *r = begin_as(who, task, b, n);
	int64_t up;

	cr_assert_not_null(r, "begin: %s", world_last.message);
	up = I(r, "id");
	send_range(who, up, b, 0, n);
	return I(OK_AS(who, "file.upload_finish", "i:upload", num(up), NULL), "id");
}

/* Reads file id back in pieces of `piece` bytes and compares with b. */
static void read_back(struct identity *who, int64_t id, const unsigned char *b, size_t n,
		      size_t piece)
{
	size_t off = 0;

	while (off < n) {
		const msgpack_object *r =
			OK_AS(who, "file.read", "i:file", num(id), "i:offset", num((int64_t)off),
			      "i:length", num((int64_t)piece), NULL);
		const msgpack_object *data = field(r, "data");
		size_t want = n - off < piece ? n - off : piece;

		cr_assert_eq(data->type, MSGPACK_OBJECT_BIN);
		cr_assert_eq(data->via.bin.size, want, "at %zu: %u bytes, want %zu", off,
			     data->via.bin.size, want);
		cr_assert(memcmp(data->via.bin.ptr, b + off, want) == 0, "bytes differ at %zu", off);
		cr_assert_eq(I(r, "size"), (int64_t)n);
		off += want;
	}
}

/* ---- the round trip ---- */

Test(file, an_upload_in_chunks_becomes_a_file_read_back_byte_for_byte)
{
	size_t n = 2 * CHUNK + 12345;
	unsigned char *b = bytes(n, 1);
	int64_t task, file;
	const msgpack_object *f, *list;

	make_world();
	task = task_in("in_progress");
	file = attach_as(&office1, task, b, n);
	f = OK_AS(&viewer1, "file.get", "i:file", num(file), NULL);
	cr_assert_eq(I(f, "task_id"), task);
	cr_assert(is_nil(f, "update_id"));
	cr_assert_str_eq(S(f, "name"), "Biên bản nghiệm thu.pdf");
	cr_assert_str_eq(S(f, "type"), "application/pdf");
	cr_assert_eq(I(f, "size"), (int64_t)n);
	cr_assert_str_eq(S(f, "sha256"), sha_hex(b, n));
	cr_assert_str_eq(S(f, "uploaded_by_login"), "office1");
	read_back(&viewer1, file, b, n, 100000); /* pieces across chunk boundaries */
	read_back(&sup_h1, file, b, n, CHUNK);
	list = OK_AS(&viewer1, "file.list", "i:task", num(task), NULL);
	cr_assert_eq(I(list, "total"), 1);
	cr_assert_eq(I(item(list, 0), "id"), file);
	free(b);
	free_hex();
}

Test(file, reading_at_the_end_gives_nothing_and_past_it_is_refused)
{
	unsigned char *b = bytes(1000, 2);
	int64_t file;
	const msgpack_object *r;

	make_world();
	file = attach_as(&office1, task_in("assigned"), b, 1000);
	r = OK_AS(&viewer1, "file.read", "i:file", num(file), "i:offset", "1000", NULL);
	cr_assert_eq(field(r, "data")->via.bin.size, 0);
	cr_assert_eq(FAILS_AS(&viewer1, "file.read", "i:file", num(file), "i:offset", "1001", NULL),
		     RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "offset: file"), "%s", world_last.message);
	cr_assert_eq(FAILS_AS(&viewer1, "file.read", "i:file", num(file), "i:length", "262145",
			      NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS_AS(&viewer1, "file.read", "i:file", "999", NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "file: no file with id 999");
	free(b);
	free_hex();
}

/* ---- chunks and sizes ---- */

Test(file, a_chunk_at_the_wrong_offset_is_a_conflict_naming_the_expected_one)
{
	size_t n = CHUNK + 10;
	unsigned char *b = bytes(n, 3);
	int64_t up;

	make_world();
	up = I(begin_as(&office1, task_in("assigned"), b, n), "id");
	send_range(&office1, up, b, 0, CHUNK);
	cr_assert_null(chunk_as(&office1, up, 0, b, 10));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "send from offset 262144, got 0"), "%s",
		  world_last.message);
	cr_assert_null(chunk_as(&office1, up, CHUNK + 5, b, 5));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	/* The upload is as it was: the right chunk still fits. */
	send_range(&office1, up, b, CHUNK, n);
	free(b);
	free_hex();
}

Test(file, a_chunk_over_the_chunk_size_or_past_the_declared_size_is_refused)
{
	size_t n = CHUNK + 1;
	unsigned char *b = bytes(n, 4);
	int64_t up;

	make_world();
	up = I(begin_as(&office1, task_in("assigned"), b, 100), "id");
	cr_assert_null(chunk_as(&office1, up, 0, b, CHUNK + 1));
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "data: 1 to 262144 bytes"), "%s", world_last.message);
	cr_assert_null(chunk_as(&office1, up, 0, b, 101));
	cr_assert_eq(world_last.code, RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "go past the declared size 100"), "%s",
		  world_last.message);
	cr_assert_eq(FAILS_AS(&office1, "file.upload_chunk", "i:upload", num(up), "i:offset", "0",
			      "s:data", "abc", NULL), RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "data: must be binary"), "%s", world_last.message);
	free(b);
	free_hex();
}

Test(file, a_file_is_1_byte_to_50_MiB)
{
	static const char *const sha = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	const msgpack_object *r;
	int64_t task;

	make_world();
	task = task_in("assigned");
	r = OK_AS(&office1, "file.upload_begin", "i:task", num(task), "s:name", "video.zip",
		  "s:type", "application/zip", "i:size", "52428800", "s:sha256", sha, NULL);
	cr_assert_eq(I(r, "size"), 52428800);
	cr_assert_eq(I(r, "received"), 0);
	cr_assert_eq(I(r, "chunk_size"), CHUNK);
	cr_assert_str_eq(S(r, "state"), "open");
	cr_assert_eq(FAILS_AS(&office1, "file.upload_begin", "i:task", num(task), "s:name",
			      "video.zip", "s:type", "application/zip", "i:size", "52428801",
			      "s:sha256", sha, NULL), RPC_INVALID_ARGUMENT);
	cr_assert(strstr(world_last.message, "size: must be between 1 and 52428800"), "%s",
		  world_last.message);
	cr_assert_eq(FAILS_AS(&office1, "file.upload_begin", "i:task", num(task), "s:name",
			      "empty.txt", "s:type", "text/plain", "i:size", "0", "s:sha256", sha,
			      NULL), RPC_INVALID_ARGUMENT);
}

Test(file, names_types_and_digests_are_checked)
{
	static const char *const sha = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
	static const struct {
		const char *name, *type, *sha, *says;
	} bad[] = {
		{"a/b.pdf", "application/pdf", NULL, "name: a file name without '/'"},
		{"..", "application/pdf", NULL, "name: a file name"},
		{"a\tb.pdf", "application/pdf", NULL, "name: a file name"},
		{"   ", "application/pdf", NULL, "name: must not be empty"},
		{"a.pdf", "pdf", NULL, "type: a media type"},
		{"a.pdf", "application/", NULL, "type: a media type"},
		{"a.pdf", "app lication/pdf", NULL, "type: a media type"},
		{"a.pdf", "application/pdf", "abc", "sha256: the file's SHA-256 as 64 hex digits"},
		{"a.pdf", "application/pdf",
		 "zz112233445566778899aabbccddeeff00112233445566778899aabbccddeeff", "sha256:"},
	};
	int64_t task;

	make_world();
	task = task_in("assigned");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		cr_expect_eq(FAILS_AS(&office1, "file.upload_begin", "i:task", num(task), "s:name",
				      bad[i].name, "s:type", bad[i].type, "i:size", "10", "s:sha256",
				      bad[i].sha ? bad[i].sha : sha, NULL),
			     RPC_INVALID_ARGUMENT, "case %zu", i);
		cr_expect(strstr(world_last.message, bad[i].says), "case %zu: %s", i,
			  world_last.message);
	}
	/* Vietnamese names and upper-case hex are fine. */
	OK_AS(&office1, "file.upload_begin", "i:task", num(task), "s:name", "Ảnh đường xã.JPG",
	      "s:type", "image/jpeg", "i:size", "10", "s:sha256",
	      "00112233445566778899AABBCCDDEEFF00112233445566778899AABBCCDDEEFF", NULL);
}

/* ---- the digest ---- */

Test(file, bytes_that_do_not_match_the_declared_sha256_make_no_file)
{
	size_t n = CHUNK + 500;
	unsigned char *b = bytes(n, 5), *other = bytes(n, 6);
	const msgpack_object *r;
	int64_t task, up;

	make_world();
	task = task_in("in_progress");
	up = I(begin_as(&office1, task, b, n), "id");
	send_range(&office1, up, other, 0, n); /* not the bytes declared */
	cr_assert_eq(FAILS_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL),
		     RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "sha256: the bytes of upload"), "%s",
		  world_last.message);
	cr_assert(strstr(world_last.message, sha_hex(b, n)), "%s", world_last.message);
	cr_assert_eq(I(OK_AS(&office1, "file.list", "i:task", num(task), NULL), "total"), 0);
	/* The client then drops it; nothing of it remains to resume. */
	r = OK_AS(&office1, "file.upload_abort", "i:upload", num(up), NULL);
	cr_assert_str_eq(S(r, "state"), "aborted");
	cr_assert_eq(FAILS_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL),
		     RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "upload 1 is aborted"), "%s", world_last.message);
	r = begin_as(&office1, task, b, n);
	cr_assert_neq(I(r, "id"), up);
	cr_assert_eq(I(r, "received"), 0);
	free(b);
	free(other);
	free_hex();
}

Test(file, an_upload_is_finished_only_once_all_its_bytes_came)
{
	size_t n = CHUNK + 1;
	unsigned char *b = bytes(n, 7);
	int64_t up;

	make_world();
	up = I(begin_as(&office1, task_in("assigned"), b, n), "id");
	send_range(&office1, up, b, 0, CHUNK);
	cr_assert_eq(FAILS_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL),
		     RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "has 262144 of its 262145 bytes"), "%s",
		  world_last.message);
	free(b);
	free_hex();
}

/* ---- resuming ---- */

Test(file, an_upload_cut_off_midway_resumes_where_it_stopped)
{
	size_t n = 5 * CHUNK + 777, half = 2 * CHUNK;
	unsigned char *b = bytes(n, 8);
	const msgpack_object *r;
	int64_t task, up, file;

	make_world();
	task = task_in("in_progress");
	r = begin_as(&office1, task, b, n);
	up = I(r, "id");
	cr_assert_not(field(r, "resumed")->via.boolean);
	send_range(&office1, up, b, 0, half);
	/* The link drops; the client starts again from the beginning. */
	r = begin_as(&office1, task, b, n);
	cr_assert_eq(I(r, "id"), up);
	cr_assert_eq(I(r, "received"), (int64_t)half);
	cr_assert(field(r, "resumed")->via.boolean);
	send_range(&office1, up, b, half, n);
	file = I(OK_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL), "id");
	read_back(&office1, file, b, n, CHUNK);
	/* The same bytes again are refused: they are there already. */
	cr_assert_null(begin_as(&office1, task, b, n));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "already has this file"), "%s", world_last.message);
	free(b);
	free_hex();
}

Test(file, another_account_does_not_resume_or_touch_an_upload)
{
	unsigned char *b = bytes(100, 9);
	struct identity office1b;
	int64_t task, up, acct;

	make_world();
	task = task_in("assigned");
	up = I(begin_as(&office1, task, b, 100), "id");
	acct = I(OK("account.create", "s:login", "office1b", "s:display_name", "VP H1 máy 2",
		    "s:role", "office", "s:scope", "H1", NULL), "id");
	world_identity_for(&office1b, acct, "office1b", ROLE_OFFICE, 77);
	cr_assert_neq(I(begin_as(&office1b, task, b, 100), "id"), up);
	cr_assert_null(chunk_as(&office1b, up, 0, b, 100));
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "upload: no upload with id 1");
	cr_assert_eq(FAILS("file.upload_abort", "i:upload", num(up), NULL), RPC_NOT_FOUND);
	free(b);
	free_hex();
}

Test(file, an_upload_left_for_a_week_expires)
{
	unsigned char *b = bytes(100, 10);
	struct rpc_error err;
	int64_t task, up;

	make_world();
	task = task_in("assigned");
	up = I(begin_as(&office1, task, b, 100), "id");
	send_range(&office1, up, b, 0, 50);
	cr_assert_eq(db_begin(world_db, true, &err), RPC_OK);
	cr_assert_eq(db_upload_prune(world_db, "2099-01-01T00:00:00Z", &err), RPC_OK, "%s",
		     err.message);
	cr_assert_eq(db_commit(world_db, &err), RPC_OK);
	cr_assert_null(chunk_as(&office1, up, 50, b, 50));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "upload 1 is expired"), "%s", world_last.message);
	/* Beginning again starts afresh. */
	cr_assert_neq(I(begin_as(&office1, task, b, 100), "id"), up);
	free(b);
	free_hex();
}

Test(file, a_fresh_upload_is_not_expired)
{
	unsigned char *b = bytes(100, 11);
	int64_t task, up;

	make_world();
	task = task_in("assigned");
	up = I(begin_as(&office1, task, b, 100), "id");
	/* begin prunes: the upload it just made, and this one, stay open */
	cr_assert_eq(I(begin_as(&office1, task, b, 100), "id"), up);
	send_range(&office1, up, b, 0, 100);
	free(b);
	free_hex();
}

/* ---- who, where, when ---- */

Test(file, the_office_or_an_admin_attaches_and_everyone_in_scope_reads)
{
	unsigned char *b = bytes(300, 12);
	int64_t task, other, file;

	make_world();
	task = task_in("in_progress");
	other = new_task_of("C2", NULL);
	drive(other, "assigned");
	cr_assert_null(begin_as(&viewer1, task, b, 300));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);
	cr_assert_null(begin_as(&sup_h1, task, b, 300));
	cr_assert_eq(world_last.code, RPC_FORBIDDEN);
	cr_assert_null(begin_as(&office2, task, b, 300)); /* H1's task, H2's office */
	cr_assert_eq(world_last.code, RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "task: no task with id 1");
	attach_as(&admin, other, b, 300);
	file = attach_as(&office1, task, b, 300);
	cr_assert_eq(FAILS_AS(&office2, "file.get", "i:file", num(file), NULL), RPC_NOT_FOUND);
	cr_assert_str_eq(world_last.message, "file: no file with id 2");
	cr_assert_eq(FAILS_AS(&office2, "file.read", "i:file", num(file), NULL), RPC_NOT_FOUND);
	cr_assert_eq(FAILS_AS(&office2, "file.list", "i:task", num(task), NULL), RPC_NOT_FOUND);
	OK_AS(&sup_tinh, "file.read", "i:file", num(file), NULL);
	cr_assert_eq(I(OK_AS(&sup_tinh, "file.list", "i:task", num(other), NULL), "total"), 1);
	free(b);
	free_hex();
}

Test(file, evidence_goes_with_an_assigned_in_progress_or_reported_task)
{
	static const char *const states[] = {"registered", "reviewed", "returned", "accepted",
					     "cancelled"};
	unsigned char *b = bytes(64, 13);

	make_world();
	for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++) {
		int64_t task = task_in(states[i]);

		cr_expect_null(begin_as(&office1, task, b, 64), "%s", states[i]);
		cr_expect_eq(world_last.code, RPC_CONFLICT, "%s", states[i]);
		cr_expect(strstr(world_last.message, "evidence files are attached only to a task"),
			  "%s: %s", states[i], world_last.message);
	}
	attach_as(&office1, task_in("reported_done"), b, 64);
	free(b);
	free_hex();
}

Test(file, a_task_accepted_during_the_upload_takes_no_file)
{
	unsigned char *b = bytes(64, 14);
	int64_t task, up;

	make_world();
	task = task_in("reported_done");
	up = I(begin_as(&office1, task, b, 64), "id");
	send_range(&office1, up, b, 0, 64);
	act_ok(&admin, "accept", task);
	cr_assert_eq(FAILS_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL),
		     RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "is accepted"), "%s", world_last.message);
	free(b);
	free_hex();
}

Test(file, a_file_may_belong_to_a_progress_update_of_its_task_only)
{
	unsigned char *b = bytes(64, 15);
	int64_t task, other, upd, upd_other, up, file;
	const msgpack_object *list;

	make_world();
	task = task_in("assigned");
	other = task_in("assigned");
	upd = I(OK_AS(&office1, "update.create", "i:task", num(task), "i:percent", "40", "s:done",
		      "Đã trải nhựa 2 km", NULL), "id");
	upd_other = I(OK_AS(&office1, "update.create", "i:task", num(other), "i:percent", "10",
			    "s:done", "Khảo sát", NULL), "id");
	cr_assert_eq(FAILS_AS(&office1, "file.upload_begin", "i:task", num(task), "i:update",
			      num(upd_other), "s:name", "anh.png", "s:type", "image/png", "i:size",
			      "64", "s:sha256", sha_hex(b, 64), NULL), RPC_NOT_FOUND);
	cr_assert(strstr(world_last.message, "update: task"), "%s", world_last.message);
	up = I(OK_AS(&office1, "file.upload_begin", "i:task", num(task), "i:update", num(upd),
		     "s:name", "anh.png", "s:type", "image/png", "i:size", "64", "s:sha256",
		     sha_hex(b, 64), NULL), "id");
	send_range(&office1, up, b, 0, 64);
	file = I(OK_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL), "id");
	cr_assert_eq(I(OK("file.get", "i:file", num(file), NULL), "update_id"), upd);
	attach_as(&office1, task, b + 1, 63); /* one of the task itself */
	list = OK("file.list", "i:task", num(task), "i:update", num(upd), NULL);
	cr_assert_eq(I(list, "total"), 1);
	cr_assert_eq(I(item(list, 0), "id"), file);
	cr_assert_eq(I(OK("file.list", "i:task", num(task), NULL), "total"), 2);
	free(b);
	free_hex();
}

/* ---- the audit trail ---- */

Test(file, the_transfer_is_recorded_without_its_bytes_and_the_file_in_the_story)
{
	size_t n = CHUNK + 3;
	unsigned char *b = bytes(n, 16);
	int64_t task, up, file, total;
	const msgpack_object *page, *e, *hist;

	make_world();
	task = task_in("in_progress");
	total = audit_total();
	up = I(begin_as(&office1, task, b, n), "id");
	send_range(&office1, up, b, 0, n);
	file = I(OK_AS(&office1, "file.upload_finish", "i:upload", num(up), NULL), "id");
	cr_assert_eq(audit_total(), total + 4); /* begin, two chunks, finish */
	page = OK("audit.list", "i:after", num(total), NULL);
	e = item(page, 1);
	cr_assert_str_eq(S(e, "method"), "file.upload_chunk");
	cr_assert_str_eq(S(e, "object_type"), "upload");
	cr_assert_eq(I(e, "object_id"), up);
	cr_assert_eq(I(field(e, "before"), "received"), 0);
	cr_assert_eq(I(field(e, "after"), "received"), CHUNK);
	cr_assert_null(obj_get(field(e, "after"), "data"));
	e = item(page, 3);
	cr_assert_str_eq(S(e, "method"), "file.upload_finish");
	cr_assert_str_eq(S(e, "object_type"), "file");
	cr_assert_eq(I(e, "object_id"), file);
	cr_assert_str_eq(S(field(e, "after"), "sha256"), sha_hex(b, n));
	/* The task's story has the file, not the transfer. */
	hist = audit_newest(task);
	cr_assert_str_eq(S(hist, "method"), "file.upload_finish");
	cr_assert_eq(I(OK("audit.list", "i:task", num(task), "i:limit", "1", NULL), "total"),
		     audit_of_task(task));
	free(b);
	free_hex();
}

/* ---- room: the quota and the floor ---- */

/* A count from the test's database (one row, one integer). */
static int64_t count_of(const char *sql)
{
	sqlite3_stmt *st;
	int64_t n;

	cr_assert_eq(sqlite3_prepare_v2(world_db->conn, sql, -1, &st, NULL), SQLITE_OK, "%s", sql);
	cr_assert_eq(sqlite3_step(st), SQLITE_ROW);
	n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

Test(file, a_unit_past_its_quota_gets_conflict_and_nothing_is_stored)
{
	unsigned char *b = bytes(CHUNK + 3, 20), *c = bytes(CHUNK, 21);
	int64_t task, other, file, uploads, chunks;

	make_world();
	storage_set_limits(2 * CHUNK, 0);
	task = task_in("in_progress");
	other = new_task_of("C2", NULL);
	drive(other, "assigned");
	file = attach_as(&office1, task, b, CHUNK + 3);
	uploads = count_of("SELECT count(*) FROM uploads");
	chunks = count_of("SELECT count(*) FROM upload_chunks");
	cr_assert_null(begin_as(&office1, task, c, CHUNK));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "unit H1 holds 0.3 MiB") &&
		  strstr(world_last.message, "quota of 0.5 MiB"), "%s", world_last.message);
	cr_assert_eq(count_of("SELECT count(*) FROM uploads"), uploads);
	cr_assert_eq(count_of("SELECT count(*) FROM upload_chunks"), chunks);
	/* An admin's upload to H1 counts there too; H2 has its own quota. */
	cr_assert_null(begin_as(&admin, task, c, CHUNK));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	attach_as(&office2, other, c, CHUNK);
	/* An open upload holds its declared size: two cannot pass together. */
	cr_assert_not_null(begin_as(&office1, task, c, CHUNK - 10));
	cr_assert_null(begin_as(&office1, task, c, 10));
	cr_assert_eq(world_last.code, RPC_CONFLICT);
	/* A withdrawn file no longer counts. */
	OK("file.withdraw", "i:file", num(file), "s:reason", "gửi nhầm", NULL);
	cr_assert_not_null(begin_as(&office1, task, c, 10), "%s", world_last.message);
	free(b);
	free(c);
	free_hex();
}

Test(file, below_the_free_space_floor_uploads_get_storage_full_and_reads_go_on)
{
	unsigned char *b = bytes(1000, 22), *c = bytes(2000, 23);
	int64_t task, file, up, chunks;

	make_world();
	task = task_in("in_progress");
	file = attach_as(&office1, task, b, 1000);
	up = I(begin_as(&office1, task, c, 2000), "id");
	chunks = count_of("SELECT count(*) FROM upload_chunks");
	storage_set_limits(0, 1ull << 60); /* more than any disk has free */
	cr_assert_null(begin_as(&office1, task, b, 999));
	cr_assert_eq(world_last.code, RPC_STORAGE_FULL);
	cr_assert(strstr(world_last.message, "MiB free"), "%s", world_last.message);
	cr_assert_null(chunk_as(&office1, up, 0, c, 2000));
	cr_assert_eq(world_last.code, RPC_STORAGE_FULL);
	cr_assert_null(begin_as(&office1, task, c, 2000)); /* resuming, too */
	cr_assert_eq(world_last.code, RPC_STORAGE_FULL);
	cr_assert_eq(count_of("SELECT count(*) FROM upload_chunks"), chunks);
	read_back(&viewer1, file, b, 1000, 1000);
	OK_AS(&office1, "update.create", "i:task", num(task), "i:percent", "40", "s:done",
	      "đã làm", NULL);
	storage_set_limits(0, 0);
	send_range(&office1, up, c, 0, 2000);
	free(b);
	free(c);
	free_hex();
}

/* ---- withdrawal ---- */

/* Whether the file at path holds the bytes of needle. */
static bool file_holds(const char *path, const char *needle)
{
	FILE *f = fopen(path, "rb");
	size_t n = strlen(needle), len;
	char *buf;
	bool found;
	struct stat st;

	if (!f)
		return false;
	cr_assert_eq(fstat(fileno(f), &st), 0);
	buf = malloc((size_t)st.st_size + 1);
	cr_assert_not_null(buf);
	len = fread(buf, 1, (size_t)st.st_size, f);
	fclose(f);
	found = false;
	for (size_t i = 0; !found && i + n <= len; i++)
		found = memcmp(buf + i, needle, n) == 0;
	free(buf);
	return found;
}

/* Copies the WAL into the database file and empties it. */
static void checkpoint(void)
{
	cr_assert_eq(sqlite3_wal_checkpoint_v2(world_db->conn, NULL, SQLITE_CHECKPOINT_TRUNCATE,
					       NULL, NULL),
		     SQLITE_OK, "%s", sqlite3_errmsg(world_db->conn));
}

#define MARKER "CCCD 001203004567 Nguyen Van A; "

Test(file, an_admin_withdraws_a_file_its_bytes_are_erased_its_record_and_trail_kept)
{
	size_t n = 3 * CHUNK / 2, m = strlen(MARKER);
	unsigned char *b = malloc(n);
	int64_t task, file, total, up;
	const msgpack_object *f, *e;

	cr_assert_not_null(b);
	for (size_t i = 0; i < n; i++)
		b[i] = (unsigned char)MARKER[i % m];
	make_world();
	task = task_in("in_progress");
	file = attach_as(&office1, task, b, n);
	up = count_of("SELECT upload_id FROM files ORDER BY id DESC LIMIT 1");
	checkpoint();
	cr_assert(file_holds(world_db_path(), MARKER), "the bytes are not in the file to begin with");
	/* Nobody but an admin. */
	cr_assert_eq(FAILS_AS(&office1, "file.withdraw", "i:file", num(file), "s:reason", "x", NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(FAILS_AS(&sup_tinh, "file.withdraw", "i:file", num(file), "s:reason", "x",
			      NULL),
		     RPC_FORBIDDEN);
	cr_assert_eq(FAILS("file.withdraw", "i:file", num(file), NULL), RPC_INVALID_ARGUMENT);
	cr_assert_eq(FAILS("file.withdraw", "i:file", num(file), "s:reason", "", NULL),
		     RPC_INVALID_ARGUMENT);
	total = audit_total();
	f = OK("file.withdraw", "i:file", num(file), "s:reason", "có số căn cước, gửi nhầm", NULL);
	cr_assert(flag(f, "withdrawn"));
	cr_assert_str_eq(S(f, "withdrawn_by_login"), "admin");
	cr_assert_str_eq(S(f, "withdrawn_reason"), "có số căn cước, gửi nhầm");
	cr_assert_eq(I(f, "size"), (int64_t)n); /* the record stays as it was */
	cr_assert_str_eq(S(f, "sha256"), sha_hex(b, n));
	/* The trail keeps the upload's entries and adds the withdrawal. */
	cr_assert_eq(audit_total(), total + 1);
	e = audit_newest(task);
	cr_assert_str_eq(S(e, "method"), "file.withdraw");
	cr_assert_str_eq(S(e, "object_type"), "file");
	cr_assert_eq(I(e, "object_id"), file);
	cr_assert(!flag(field(e, "before"), "withdrawn"));
	cr_assert(flag(field(e, "after"), "withdrawn"));
	cr_assert_eq(I(OK("audit.list", "i:task", num(task), NULL), "total"), audit_of_task(task));
	/* Listed and shown as withdrawn, to every role in scope. */
	cr_assert(flag(item(OK_AS(&viewer1, "file.list", "i:task", num(task), NULL), 0),
		       "withdrawn"));
	cr_assert(flag(OK_AS(&office1, "file.get", "i:file", num(file), NULL), "withdrawn"));
	cr_assert_eq(FAILS_AS(&viewer1, "file.read", "i:file", num(file), NULL), RPC_CONFLICT);
	cr_assert(strstr(world_last.message, "was withdrawn at ") &&
		  strstr(world_last.message, "by admin: có số căn cước, gửi nhầm"),
		  "%s", world_last.message);
	cr_assert_eq(FAILS("file.withdraw", "i:file", num(file), "s:reason", "x", NULL),
		     RPC_CONFLICT);
	/* The bytes are gone: no chunk row, and not in the database file. */
	{
		char sql[120];

		snprintf(sql, sizeof(sql), "SELECT count(*) FROM upload_chunks WHERE upload_id = %lld",
			 (long long)up);
		cr_assert_eq(count_of(sql), 0);
	}
	checkpoint();
	cr_assert(!file_holds(world_db_path(), MARKER),
		  "the withdrawn bytes are still in the database file");
	/* The same bytes may be sent again, as a new file. */
	cr_assert_neq(attach_as(&office1, task, b, n), file);
	free(b);
	free_hex();
}
