/*
 * queue.c: see queue.h.  The file is a sequence of MessagePack arrays
 * [request_id, method, params (a map)], rewritten whole, atomically and
 * synced (sys_replace_private_file), at every change: a queue is a few
 * items typed by hand, and a whole rewrite cannot leave half an item.
 */
#include "queue.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "lang.h"
#include "methods.h"
#include "obj.h"
#include "pack.h"
#include "rpc.h"
#include "run.h"
#include "sys.h"

#define QUEUE_MAX_BYTES (4 * 1024 * 1024) /* a queue is typed by hand: far below this */

/* The queue file in the system's place for it (sys_queue_dir), else
 * beside the config file; false if there is no home. */
static bool queue_path(const struct cli *c, char *out, size_t n)
{
	const char *slash = strrchr(c->conf->path, '/');
	char dir[1024];

	if (sys_queue_dir(dir, sizeof(dir))) {
		snprintf(out, n, "%s/queue", dir);
		return true;
	}
	if (!c->conf->path[0] || !slash)
		return false;
	snprintf(out, n, "%.*s/queue", (int)(slash - c->conf->path), c->conf->path);
	return true;
}

/* The whole queue file into *buf (malloc'ed, caller frees); empty when
 * there is none.  Returns 0, or -1 if it cannot be read. */
static int load(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	long n;

	*buf = NULL;
	*len = 0;
	if (!f)
		return 0;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || n > QUEUE_MAX_BYTES ||
	    fseek(f, 0, SEEK_SET) != 0 || !(*buf = malloc(n > 0 ? (size_t)n : 1)) ||
	    fread(*buf, 1, (size_t)n, f) != (size_t)n) {
		fclose(f);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	fclose(f);
	*len = (size_t)n;
	return 0;
}

/* The queue's lock, held while it is read and rewritten (sys_lock_open). */
static int lock_queue(const char *path)
{
	char lock[1200];

	snprintf(lock, sizeof(lock), "%s.lock", path);
	return sys_lock_open(lock);
}

/* The submissions an office makes in the field (QUEUE in methods.def):
 * progress and its answers.  The central office's own changes (units,
 * accounts...) are not kept: they wait for a link. */
bool queue_takes(const struct command *cmd)
{
	const struct method_info *m;

	if (cmd->run != run_call || !cmd->method)
		return false;
	m = methods_find(cmd->method, strlen(cmd->method));
	return m && (m->flags & METHOD_QUEUE);
}

int queue_add(struct cli *c, const struct command *cmd, const struct args *a)
{
	char path[1100], dir[1100], msg[300];
	char *old;
	size_t len, items = 1;
	int lock = -1;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	int rc = -1;

	if (!queue_path(c, path, sizeof(path))) {
		fprintf(c->err, T("dotpha: cannot keep it for later: no home folder for the queue\n"));
		return -1;
	}
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(path, '/') - path), path);
	if (sys_make_private_dir(dir, msg, sizeof(msg)) < 0) {
		fprintf(c->err, T("dotpha: cannot keep it for later: %s\n"), msg);
		return -1;
	}
	if ((lock = lock_queue(path)) < 0 || load(path, &old, &len) < 0) {
		fprintf(c->err, T("dotpha: cannot keep it for later: %s\n"),
			lock < 0 ? T("cannot lock the queue") : T("cannot read the queue"));
		sys_lock_close(lock);
		return -1;
	}
	msgpack_sbuffer_init(&sb);
	if (len > 0) /* (an empty write to an empty sbuffer hands memcpy a NULL) */
		msgpack_sbuffer_write(&sb, old, len);
	msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
	msgpack_pack_array(&pk, 3);
	pack_str(&pk, c->rpc->sent_request_id);
	pack_str(&pk, cmd->method);
	msgpack_pack_map(&pk, args_count(a));
	args_pack(&pk, a);
	{
		msgpack_unpacked u;
		size_t off = 0;

		/* Count what is queued now, for the message. */
		msgpack_unpacked_init(&u);
		items = 0;
		while (msgpack_unpack_next(&u, sb.data, sb.size, &off) == MSGPACK_UNPACK_SUCCESS)
			items++;
		msgpack_unpacked_destroy(&u);
	}
	if (sys_replace_private_file(path, sb.data, sb.size, msg, sizeof(msg)) == 0) {
		fprintf(c->err,
			T("dotpha: the server cannot be reached; the request is kept in %s (%zu waiting) "
			"and goes out with `dotpha sync` or the next command that reaches the server\n"),
			path, items);
		rc = 0;
	} else {
		fprintf(c->err, T("dotpha: cannot keep it for later: %s\n"), msg);
	}
	msgpack_sbuffer_destroy(&sb);
	free(old);
	sys_lock_close(lock);
	return rc;
}

/* The stored params map, packed pair by pair into the request. */
static void pack_stored(msgpack_packer *pk, const void *ctx)
{
	const msgpack_object *map = ctx;

	for (uint32_t i = 0; i < map->via.map.size; i++) {
		msgpack_pack_object(pk, map->via.map.ptr[i].key);
		msgpack_pack_object(pk, map->via.map.ptr[i].val);
	}
}

int queue_flush(struct cli *c)
{
	char path[1100], msg[300], rid[65], method[64];
	char *buf;
	size_t len, off = 0, done = 0;
	const char *saved_rid = c->rpc->request_id;
	int st = RPC_STATUS_OK, lock;
	FILE *f;

	if (!queue_path(c, path, sizeof(path)) || !(f = fopen(path, "rb")))
		return RPC_STATUS_OK; /* the common case: nothing queued, no lock taken */
	fclose(f);
	if ((lock = lock_queue(path)) < 0)
		return RPC_STATUS_OK;
	if (load(path, &buf, &len) < 0) {
		/* Left as it is for a person to look at; the command goes on. */
		fprintf(c->err, T("dotpha: cannot read the queue %s (over %d bytes, or unreadable); "
			"nothing was sent from it\n"), path, QUEUE_MAX_BYTES);
		sys_lock_close(lock);
		return RPC_STATUS_OK;
	}
	while (off < len && st == RPC_STATUS_OK) {
		msgpack_unpacked u;
		const msgpack_object *it, *res;
		size_t at = off;
		struct rpc_error err;

		msgpack_unpacked_init(&u);
		if (msgpack_unpack_next(&u, buf, len, &off) != MSGPACK_UNPACK_SUCCESS ||
		    u.data.type != MSGPACK_OBJECT_ARRAY || u.data.via.array.size != 3 ||
		    u.data.via.array.ptr[2].type != MSGPACK_OBJECT_MAP) {
			msgpack_unpacked_destroy(&u);
			fprintf(c->err, T("dotpha: %s is damaged from byte %zu; it is left as it is\n"),
				path, at);
			st = RPC_STATUS_LOCAL;
			errors_set(&c->error, RPC_INTERNAL, T("the queue file %s is damaged"), path);
			break;
		}
		it = u.data.via.array.ptr;
		obj_cstr(&it[0], rid, sizeof(rid));
		obj_cstr(&it[1], method, sizeof(method));
		{
			struct rpc_params p = {it[2].via.map.size, pack_stored, &it[2]};

			c->rpc->request_id = rid;
			st = rpc_call(c->rpc, method, &p, &res, &err);
			c->rpc->request_id = saved_rid;
		}
		if (st == RPC_STATUS_OK) {
			int64_t id = 0;

			obj_int(obj_get(res, "id"), &id);
			fprintf(c->err, T("dotpha: sent from the queue: %s (id %lld)\n"), method,
				(long long)id);
		} else if (st == RPC_STATUS_REMOTE) {
			/* Answered, and refused: reported, and out of the queue. */
			struct strbuf why = STRBUF_INIT;

			cli_server_error(&why, &err, NULL, NULL);
			fprintf(c->err, T("dotpha: from the queue, %s was refused: %s\n"), method,
				strbuf_cstr(&why));
			strbuf_free(&why);
			st = RPC_STATUS_OK;
		} else {
			c->error = err;
			off = at; /* it stays queued */
		}
		msgpack_unpacked_destroy(&u);
		if (st == RPC_STATUS_OK)
			done++;
		/* Out of the queue as soon as it is answered: a crash now
		 * resends nothing answered (and a resend would be replayed). */
		if (off > 0 && sys_replace_private_file(path, buf + off, len - off, msg,
							 sizeof(msg)) != 0) {
			fprintf(c->err, T("dotpha: cannot rewrite %s: %s\n"), path, msg);
			st = RPC_STATUS_LOCAL;
			errors_set(&c->error, RPC_INTERNAL, T("cannot rewrite the queue file"));
		}
		memmove(buf, buf + off, len - off);
		len -= off;
		off = 0;
	}
	if (done && len == 0)
		remove(path);
	free(buf);
	sys_lock_close(lock);
	return st;
}

int run_sync(struct cli *c, const struct command *cmd, const struct args *a)
{
	char path[1100];
	FILE *f;
	int st;

	(void)cmd;
	(void)a;
	if (!queue_path(c, path, sizeof(path)) || !(f = fopen(path, "rb"))) {
		fprintf(c->out, T("The queue is empty: nothing waits to be sent\n"));
		return RPC_STATUS_OK;
	}
	fclose(f);
	if ((st = queue_flush(c)) == RPC_STATUS_OK)
		fprintf(c->out, T("Everything in the queue has been sent\n"));
	return st;
}
