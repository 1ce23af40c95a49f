/*
 * files.c: see files.h.  An attach is file.upload_begin (which returns the
 * open upload of the same bytes, so a second run resumes), then one
 * file.upload_chunk per FILE_CHUNK bytes, then file.upload_finish, all on
 * one connection; each chunk carries its own request_id, so rpc_call()
 * resends it safely when the link drops.  A download is file.get, then
 * file.read chunk by chunk into PATH.part, hashed as it goes, renamed to
 * PATH only once the SHA-256 matches.  Files are read and written with C
 * stdio, hashed by sha256.h (libcrypto, or BCrypt on Windows).
 */
#include "files.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fmt.h"
#include "json.h"
#include "lang.h"
#include "obj.h"
#include "pack.h"
#include "rpc.h"
#include "sha256.h"
#include "sys.h"
#include "utf8.h"
#include "views.h"

#define FILE_CHUNK 262144 /* bytes per chunk: the server's largest (PROTOCOL.md 6d) */

/* A failure of the client itself (the file, memory), with a message. */
#define fail_local(c, ...) (errors_set(&(c)->error, RPC_INTERNAL, __VA_ARGS__), RPC_STATUS_LOCAL)

static int fail_usage(struct cli *c, const char *what)
{
	errors_set(&c->error, RPC_INVALID_ARGUMENT, "%s", what);
	c->exit_code = CLI_EXIT_USAGE;
	return RPC_STATUS_LOCAL;
}

static int fail_usage_f(struct cli *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* As fail_usage, with a formatted message. */
static int fail_usage_f(struct cli *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->error.message, sizeof(c->error.message), fmt, ap);
	va_end(ap);
	c->error.code = RPC_INVALID_ARGUMENT;
	c->exit_code = CLI_EXIT_USAGE;
	return RPC_STATUS_LOCAL;
}

static void to_hex(const unsigned char *b, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[b[i] >> 4];
		out[2 * i + 1] = digits[b[i] & 15];
	}
	out[2 * n] = '\0';
}

/* Writes "\rdotpha: VERB X of Y bytes (P%)" on a terminal; the last call
 * (done == total) ends the line.  Silent when stderr is not a terminal. */
static void progress(struct cli *c, const char *verb, int64_t done, int64_t total)
{
	if (sys_term_width(c->err) == 0)
		return;
	{
	char d[32], t[32];

	fprintf(c->err, T("\rdotpha: %s %s / %s bytes (%d%%)"), verb, fmt_int_s(done, d, sizeof(d)),
		fmt_int_s(total, t, sizeof(t)), total ? (int)(done * 100 / total) : 100);
	}
	if (done >= total)
		fputc('\n', c->err);
	fflush(c->err);
}

/* ---- attach ---- */

/* The media type a file name's extension suggests. */
static const char *guess_type(const char *name)
{
	static const struct {
		const char *ext, *type;
	} types[] = {
		{"pdf", "application/pdf"},
		{"jpg", "image/jpeg"},
		{"jpeg", "image/jpeg"},
		{"png", "image/png"},
		{"doc", "application/msword"},
		{"docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"},
		{"xls", "application/vnd.ms-excel"},
		{"xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"},
		{"txt", "text/plain"},
		{"zip", "application/zip"},
	};
	const char *dot = strrchr(name, '.');

	if (dot)
		for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
			size_t k = 0;

			while (types[i].ext[k] && dot[1 + k] &&
			       (dot[1 + k] | 0x20) == types[i].ext[k])
				k++;
			if (!types[i].ext[k] && !dot[1 + k])
				return types[i].type;
		}
	return "application/octet-stream";
}

/* The last part of a path, after '/' (or '\\', typed on Windows). */
static const char *base_name(const char *path)
{
	const char *b = path;

	for (const char *p = path; *p; p++)
		if (*p == '/' || *p == '\\')
			b = p + 1;
	return b;
}

/* SHA-256 and size of the whole of f, read from its start.  Returns 0, or
 * -1 on a read error or out of memory. */
static int hash_file(FILE *f, unsigned char sha[32], int64_t *size)
{
	struct sha256 *h = sha256_new();
	unsigned char *buf = malloc(FILE_CHUNK);
	size_t n;
	int rc = -1;

	*size = 0;
	if (h && buf) {
		while ((n = fread(buf, 1, FILE_CHUNK, f)) > 0) {
			sha256_update(h, buf, n);
			*size += (int64_t)n;
		}
		if (!ferror(f) && sha256_final(h, sha) == 0)
			rc = 0;
	}
	free(buf);
	sha256_free(h);
	return rc;
}

/* What file.upload_begin declares. */
struct begin {
	int64_t task, update; /* update 0: none */
	const char *name, *type;
	int64_t size;
	char sha[65];
};

static void pack_begin(msgpack_packer *pk, const void *ctx)
{
	const struct begin *b = ctx;

	pack_kv_int(pk, "task", b->task);
	if (b->update)
		pack_kv_int(pk, "update", b->update);
	pack_kv_str(pk, "name", b->name);
	pack_kv_str(pk, "type", b->type);
	pack_kv_int(pk, "size", b->size);
	pack_kv_str(pk, "sha256", b->sha);
}

/* One chunk: file.upload_chunk's fields. */
struct chunk {
	int64_t upload, offset;
	const unsigned char *data;
	size_t n;
};

static void pack_chunk(msgpack_packer *pk, const void *ctx)
{
	const struct chunk *ch = ctx;

	pack_kv_int(pk, "upload", ch->upload);
	pack_kv_int(pk, "offset", ch->offset);
	pack_str(pk, "data");
	msgpack_pack_bin(pk, ch->n);
	msgpack_pack_bin_body(pk, ch->data, ch->n);
}

static void pack_upload(msgpack_packer *pk, const void *ctx)
{
	pack_kv_int(pk, "upload", *(const int64_t *)ctx);
}

/* Sends f's bytes from `from` to the end as chunks of upload `id`. */
static int send_chunks(struct cli *c, FILE *f, int64_t id, int64_t from, int64_t size)
{
	unsigned char *buf = malloc(FILE_CHUNK);
	struct chunk ch = {id, from, buf, 0};
	struct rpc_params p = {3, pack_chunk, &ch};
	const msgpack_object *res;
	int64_t received;
	int st = RPC_STATUS_OK;

	if (!buf)
		return fail_local(c, T("out of memory"));
	if (fseek(f, (long)from, SEEK_SET) != 0) {
		free(buf);
		return fail_local(c, T("cannot read the file: %s"), strerror(errno));
	}
	while (st == RPC_STATUS_OK && ch.offset < size) {
		ch.n = (size_t)(size - ch.offset < FILE_CHUNK ? size - ch.offset : FILE_CHUNK);
		if (fread(buf, 1, ch.n, f) != ch.n) {
			st = fail_local(c, T("the file became shorter while it was being sent"));
			break;
		}
		st = rpc_call(c->rpc, "file.upload_chunk", &p, &res, &c->error);
		if (st == RPC_STATUS_OK) {
			ch.offset += (int64_t)ch.n;
			if (!obj_int(obj_get(res, "received"), &received) || received != ch.offset)
				st = fail_local(c, T("the server did not take the chunk as sent"));
			progress(c, T("sent"), ch.offset, size);
		}
	}
	free(buf);
	return st;
}

/* Finishes upload `id` and shows the file.  A digest that does not match
 * (the file changed while it was sent) drops the upload, so that the next
 * run starts afresh. */
static int finish(struct cli *c, int64_t id)
{
	struct rpc_params p = {1, pack_upload, &id};
	const msgpack_object *res;
	struct rpc_error why;
	int st = rpc_call(c->rpc, "file.upload_finish", &p, &res, &c->error);

	if (st == RPC_STATUS_REMOTE && c->error.code == RPC_CONFLICT &&
	    strncmp(c->error.message, "sha256:", 7) == 0) {
		why = c->error;
		rpc_call(c->rpc, "file.upload_abort", &p, &res, &c->error);
		c->error = why;
		c->hint = T("the file changed while it was being sent; the upload was dropped: run "
			    "the command again");
		return st;
	}
	if (st != RPC_STATUS_OK)
		return st;
	return run_show(c, &views_file, res);
}

int run_attach(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct begin b = {0};
	struct rpc_params p = {5, pack_begin, &b};
	const msgpack_object *res, *resumed;
	const char *path = args_value(a, "path");
	unsigned char sha[32];
	char d[32], t[32];
	int64_t id = 0, received = 0;
	FILE *f;
	int st;

	(void)cmd;
	if (c->rpc->request_id)
		return fail_usage(c, T("--request-id does not apply to attach: run the same command "
				     "again, and it resumes where it stopped"));
	args_int(a, "task", &b.task);
	if (args_int(a, "update", &b.update))
		p.count++;
	if (!(f = fopen(path, "rb")))
		return fail_local(c, T("cannot open %s: %s"), path, strerror(errno));
	if (hash_file(f, sha, &b.size) < 0) {
		fclose(f);
		return fail_local(c, T("cannot read %s: %s"), path, strerror(errno));
	}
	to_hex(sha, 32, b.sha);
	b.name = args_value(a, "name") ? args_value(a, "name") : base_name(path);
	b.type = args_value(a, "type") ? args_value(a, "type") : guess_type(b.name);
	st = rpc_call(c->rpc, "file.upload_begin", &p, &res, &c->error);
	if (st == RPC_STATUS_OK &&
	    (!obj_int(obj_get(res, "id"), &id) || !obj_int(obj_get(res, "received"), &received) ||
	     received < 0 || received > b.size))
		st = fail_local(c, T("the server's answer to file.upload_begin has no upload"));
	if (st == RPC_STATUS_OK) {
		resumed = obj_get(res, "resumed");
		if (resumed && resumed->type == MSGPACK_OBJECT_BOOLEAN && resumed->via.boolean &&
		    received > 0)
			fprintf(c->err, T("dotpha: resuming at %s of %s bytes\n"),
				fmt_int_s(received, d, sizeof(d)), fmt_int_s(b.size, t, sizeof(t)));
		st = send_chunks(c, f, id, received, b.size);
	}
	fclose(f);
	if (st == RPC_STATUS_OK)
		return finish(c, id);
	if (st == RPC_STATUS_TRANSPORT) {
		/* Not the single write's --request-id advice: a new run resumes. */
		c->rpc->unanswered = false;
		c->hint = T("run the same command again: it resumes from what the server has");
	}
	return st;
}

/* ---- download ---- */

static void pack_file(msgpack_packer *pk, const void *ctx)
{
	pack_kv_int(pk, "file", *(const int64_t *)ctx);
}

/* What is read in chunks: a method like file.read, the field naming the
 * thing, its id, and where the next chunk starts. */
struct span {
	const char *method, *field;
	int64_t id, offset;
};

static void pack_span(msgpack_packer *pk, const void *ctx)
{
	const struct span *s = ctx;

	pack_kv_int(pk, s->field, s->id);
	pack_kv_int(pk, "offset", s->offset);
	pack_kv_int(pk, "length", FILE_CHUNK);
}

/* Reads size bytes of what s names into out, hashing them into sha. */
static int fetch(struct cli *c, struct span *s, int64_t size, FILE *out, unsigned char sha[32])
{
	struct rpc_params p = {3, pack_span, s};
	struct sha256 *h = sha256_new();
	const msgpack_object *res, *data;
	int st = RPC_STATUS_OK;

	if (!h)
		return fail_local(c, T("out of memory"));
	while (st == RPC_STATUS_OK && s->offset < size) {
		st = rpc_call(c->rpc, s->method, &p, &res, &c->error);
		if (st != RPC_STATUS_OK)
			break;
		data = obj_get(res, "data");
		if (!data || data->type != MSGPACK_OBJECT_BIN || data->via.bin.size == 0 ||
		    (int64_t)data->via.bin.size > size - s->offset) {
			st = fail_local(c, T("the server sent a malformed chunk"));
			break;
		}
		sha256_update(h, data->via.bin.ptr, data->via.bin.size);
		if (fwrite(data->via.bin.ptr, 1, data->via.bin.size, out) != data->via.bin.size) {
			st = fail_local(c, T("cannot write: %s"), strerror(errno));
			break;
		}
		s->offset += (int64_t)data->via.bin.size;
		progress(c, T("fetched"), s->offset, size);
	}
	if (st == RPC_STATUS_OK && sha256_final(h, sha) != 0)
		st = fail_local(c, T("out of memory"));
	sha256_free(h);
	return st;
}

/* True for what must not reach a file name: control characters (C0, DEL,
 * C1), bidi controls, which make "f<U+202E>gpj.exe" show as "fexe.jpg",
 * and path separators. */
static bool unsafe_char(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == '/' || cp == '\\' ||
	       (cp >= 0x202a && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069) ||
	       cp == 0x200e || cp == 0x200f || cp == 0x061c;
}

/* The length of the extension ending s[0..len) (".pdf"), 0 if there is
 * none that is short and plain enough to keep when the name is cut. */
static size_t extension(const char *s, size_t len)
{
	size_t i = len;

	while (i > 0 && len - i <= 16 && isalnum((unsigned char)s[i - 1]))
		i--;
	return i > 1 && i < len && s[i - 1] == '.' && len - i <= 16 ? len - i + 1 : 0;
}

bool files_safe_name(const char *name, int64_t id, char *out, size_t n)
{
	size_t len = strlen(name), at = 0, start = 0, ext;
	char *w = malloc(len + 1); /* the cleaned name: never longer */
	uint32_t cp;

	if (!w) {
		snprintf(out, n, "tep-%" PRId64, id);
		return true;
	}
	for (size_t i = 0; i < len;) {
		size_t k = utf8_decode(name + i, len - i, &cp);

		if (k == 0 || unsafe_char(cp)) {
			w[at++] = '_';
			i += k ? k : 1;
		} else {
			memcpy(w + at, name + i, k);
			at += k;
			i += k;
		}
	}
	w[at] = '\0';
	/* A leading dot hides the file (or makes "..") and a leading dash
	 * reads as an option to the next command given the name. */
	while (w[start] == '.' || w[start] == '-' || w[start] == ' ')
		start++;
	while (at > start && (w[at - 1] == '.' || w[at - 1] == ' '))
		at--;
	if (at - start > FILES_NAME_MAX) {
		size_t cut;

		ext = extension(w + start, at - start);
		cut = start + FILES_NAME_MAX - ext;
		while (cut > start && ((unsigned char)w[cut] & 0xc0) == 0x80)
			cut--; /* not inside a character */
		memmove(w + cut, w + at - ext, ext);
		at = cut + ext;
	}
	w[at] = '\0';
	if (at == start || at - start >= n)
		snprintf(out, n, "tep-%" PRId64, id);
	else
		memcpy(out, w + start, at - start + 1);
	free(w);
	return strcmp(out, name) != 0;
}

/* Downloads into part and renames it to path once the digest matches;
 * part is removed on any failure.  With keep (no -o), part is created
 * only if it does not exist and path is never replaced. */
static int download_to(struct cli *c, struct span *s, int64_t size, const char *want,
		       const char *part, const char *path, bool keep)
{
	unsigned char sha[32];
	char got[65];
	FILE *out = fopen(part, keep ? "wbx" : "wb");
	int st;

	if (!out && keep && errno == EEXIST)
		return fail_usage_f(c, T("%s is already here (a download cut off?): remove it, or choose "
				       "another name with -o PATH"), part);
	if (!out)
		return fail_local(c, T("cannot create %s: %s"), part, strerror(errno));
	st = fetch(c, s, size, out, sha);
	if (fclose(out) != 0 && st == RPC_STATUS_OK)
		st = fail_local(c, T("cannot write %s: %s"), part, strerror(errno));
	if (st == RPC_STATUS_OK) {
		to_hex(sha, 32, got);
		if (strcmp(got, want) != 0)
			st = fail_local(c, T("the bytes received hash to %s, not the file's %s; nothing "
					   "was saved"),
					got, want);
	}
	if (st == RPC_STATUS_OK && (keep ? sys_rename_new(part, path) : rename(part, path)) != 0) {
		if (keep && errno == EEXIST)
			st = fail_usage_f(c, T("%s is already here (made while downloading): not "
					     "overwritten; choose another name with -o PATH"), path);
		else
			st = fail_local(c, T("cannot rename the download to %s: %s"), path,
					strerror(errno));
	}
	if (st != RPC_STATUS_OK)
		remove(part);
	return st;
}

/* What was fetched, as --json prints it. */
static int print_fetched(struct cli *c, const char *noun, int64_t id, int64_t size,
			 const char *sha256, const char *path)
{
	struct strbuf sb = STRBUF_INIT;
	int st = RPC_STATUS_OK;

	strbuf_addf(&sb, "{\"%s\":%" PRId64 ",\"size\":%" PRId64 ",\"sha256\":\"%s\",\"path\":",
		    noun, id, size, sha256);
	json_write_string(&sb, path, strlen(path));
	strbuf_adds(&sb, "}\n");
	if (sb.failed)
		st = fail_local(c, T("out of memory"));
	else
		fwrite(sb.buf, 1, sb.len, c->out);
	strbuf_free(&sb);
	return st;
}

int run_download(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct rpc_params p = {1, pack_file, NULL};
	const msgpack_object *res;
	const char *given = args_value(a, "output"), *path;
	char name[600], safe[FILES_NAME_MAX + 1], want[65], part[4200], sz[32];
	int64_t id = 0, size = 0;
	struct span span = {"file.read", "file", 0, 0};
	bool renamed = false;
	FILE *exists;
	int st;

	(void)cmd;
	args_int(a, "file", &id);
	span.id = id;
	p.ctx = &id;
	if ((st = rpc_call(c->rpc, "file.get", &p, &res, &c->error)) != RPC_STATUS_OK)
		return st;
	obj_cstr(obj_get(res, "name"), name, sizeof(name));
	obj_cstr(obj_get(res, "sha256"), want, sizeof(want));
	if (!obj_int(obj_get(res, "size"), &size) || strlen(want) != 64)
		return fail_local(c, T("the server's answer to file.get has no size or sha256"));
	path = given;
	if (!given) {
		/* The name is the uploader's: anything, so never used as it is. */
		renamed = files_safe_name(name, id, safe, sizeof(safe));
		path = safe;
		if ((exists = fopen(path, "rb"))) {
			fclose(exists);
			return fail_usage_f(c, T("there is a file %s here already: not overwritten; "
					       "choose another name with -o PATH (-o overwrites a file)"), path);
		}
	}
	snprintf(part, sizeof(part), "%s.part", path);
	if ((st = download_to(c, &span, size, want, part, path, !given)) != RPC_STATUS_OK)
		return st;
	if (c->json)
		return print_fetched(c, "file", id, size, want, path);
	fprintf(c->out, renamed ? T("File %" PRId64 " (%s bytes) fetched into %s (its name was "
				    "changed to be safe); SHA-256 matches\n")
				: T("File %" PRId64 " (%s bytes) fetched into %s; SHA-256 matches\n"),
		id, fmt_int_s(size, sz, sizeof(sz)), path);
	return RPC_STATUS_OK;
}

/* ---- backups ---- */

static void pack_backup_id(msgpack_packer *pk, const void *ctx)
{
	pack_kv_int(pk, "backup", *(const int64_t *)ctx);
}

int run_backup(struct cli *c, const struct command *cmd, const struct args *a)
{
	struct rpc_params none = {0, NULL, NULL}, p = {1, pack_backup_id, NULL};
	const char *path = args_value(a, "path");
	struct span span = {"backup.read", "backup", 0, 0};
	const msgpack_object *res;
	struct rpc_error ignored;
	char want[65], part[4200], sz[32];
	int64_t size = 0;
	int st;

	(void)cmd;
	snprintf(part, sizeof(part), "%s.part", path);
	/* The copy is the whole database: made 0600 before a byte lands in it
	 * (download_to truncates it and keeps that mode), whatever the umask. */
	{
		int fd = open(part, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);

		if (fd < 0 || fchmod(fd, 0600) != 0) {
			int e = errno;

			if (fd >= 0)
				close(fd);
			return fail_local(c, T("cannot create %s: %s"), part, strerror(e));
		}
		close(fd);
	}
	if ((st = rpc_call(c->rpc, "backup.create", &none, &res, &c->error)) != RPC_STATUS_OK) {
		unlink(part);
		return st;
	}
	obj_cstr(obj_get(res, "sha256"), want, sizeof(want));
	if (!obj_int(obj_get(res, "id"), &span.id) || !obj_int(obj_get(res, "size"), &size) ||
	    strlen(want) != 64)
		return fail_local(c, T("the server's answer to backup.create has no id, size or sha256"));
	st = download_to(c, &span, size, want, part, path, false);
	/* The copy on the server is dropped whatever happened: a failed fetch
	 * is run again from the start, with a new copy. */
	p.ctx = &span.id;
	if (st == RPC_STATUS_OK)
		st = rpc_call(c->rpc, "backup.drop", &p, &res, &c->error);
	else /* best effort: the server drops it within the hour anyway */
		rpc_call(c->rpc, "backup.drop", &p, &res, &ignored);
	if (st != RPC_STATUS_OK)
		return st;
	if (c->json)
		return print_fetched(c, "backup", span.id, size, want, path);
	fprintf(c->out, T("The database was backed up (%s bytes) into %s; SHA-256 %s matches\n"),
		fmt_int_s(size, sz, sizeof(sz)), path, want);
	return RPC_STATUS_OK;
}
