/*
 * fuzz_dispatch.c: libFuzzer target for request dispatch with parameter
 * validation (server/rpc/dispatch.c, params.c and every handler).  Each input
 * is a connection's bytes: every message in it is decoded as the daemon
 * does and handed to dispatch_message() as the first admin, on a database
 * made once.  Writes accumulate across inputs, as on a real server.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "backup.h"
#include "bootstrap.h"
#include "db.h"
#include "dispatch.h"
#include "frame.h"
#include "log.h"
#include "pack.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct db *db;
static struct identity admin;
static char path[64] = "/tmp/dotpha-fuzz-XXXXXX";

/* The database's files, and any backup an input made, go at exit. */
static void cleanup(void)
{
	char aux[80];

	backup_drop_all();
	db_close(db);
	unlink(path);
	snprintf(aux, sizeof(aux), "%s-wal", path);
	unlink(aux);
	snprintf(aux, sizeof(aux), "%s-shm", path);
	unlink(aux);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	char why[300];
	int fd = mkstemp(path);

	(void)argc;
	(void)argv;
	log_set_level(LOG_ERROR + 1); /* quiet: findings are crashes, not log lines */
	if (fd < 0)
		abort();
	close(fd);
	unlink(path);
	if (db_open(&db, path, why, sizeof(why)) < 0) {
		fprintf(stderr, "fuzz_dispatch: %s\n", why);
		abort();
	}
	/* The first admin, signed in through session.auth as a client would. */
	{
		char tokpath[128], token[256] = "";
		msgpack_sbuffer req, out;
		msgpack_packer pk;
		msgpack_unpacked u;
		size_t off = 0;
		unsigned delay;
		FILE *f;

		if (bootstrap_admin(db, path) < 0)
			abort();
		snprintf(tokpath, sizeof(tokpath), "%s.admin-token", path);
		if (!(f = fopen(tokpath, "r")) || !fgets(token, sizeof(token), f))
			abort();
		fclose(f);
		unlink(tokpath);
		token[strcspn(token, "\r\n")] = '\0';
		msgpack_sbuffer_init(&req);
		msgpack_packer_init(&pk, &req, msgpack_sbuffer_write);
		msgpack_pack_array(&pk, 4);
		msgpack_pack_int(&pk, 0);
		msgpack_pack_int(&pk, 1);
		pack_str(&pk, "session.auth");
		msgpack_pack_array(&pk, 1);
		msgpack_pack_map(&pk, 1);
		pack_kv_str(&pk, "token", token);
		msgpack_unpacked_init(&u);
		msgpack_unpack_next(&u, req.data, req.size, &off);
		msgpack_sbuffer_init(&out);
		dispatch_message(db, &admin, &u.data, &out, &delay);
		msgpack_sbuffer_destroy(&out);
		msgpack_unpacked_destroy(&u);
		msgpack_sbuffer_destroy(&req);
		if (admin.account_id == 0)
			abort();
	}
	atexit(cleanup);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct identity who = admin; /* each input starts signed in as the admin */
	struct frame_limits lim = {FRAME_DEFAULT_MAX_MESSAGE, FRAME_DEFAULT_MAX_DEPTH};
	const msgpack_object *msg;
	struct rpc_error err;
	struct frame f;

	/* Decoded as the daemon decodes a connection's bytes (frame.c checks
	 * declared sizes before msgpack-c allocates), then dispatched. */
	frame_init(&f, &lim);
	if (frame_feed(&f, data, size) == 0)
		while (frame_next(&f, &msg, &err) == FRAME_MESSAGE) {
			msgpack_sbuffer out;
			unsigned delay;

			msgpack_sbuffer_init(&out);
			dispatch_message(db, &who, msg, &out, &delay);
			msgpack_sbuffer_destroy(&out);
		}
	frame_free(&f);
	return 0;
}
