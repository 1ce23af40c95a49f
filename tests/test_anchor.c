/*
 * test_anchor.c: the audit chain's head kept outside the database, with the
 * real dotphad and dotpha.  The daemon appends anchors to --anchor-file
 * while it runs and at stop (and logs them); then someone with the
 * database file but not the anchor file cuts the newest entries, or edits
 * an old one and rehashes the whole chain, so that the chain alone still
 * checks out: `dotphad --check --anchor FILE` and `dotpha audit verify
 * --anchor ID:HASH` catch both and name the entry.
 */
#include <criterion/criterion.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sqlite3.h>

#include "crypto.h"
#include "errors.h"
#include "helpers.h"
#include "pack.h"

static struct daemon d;
static char anchors[400]; /* the anchor file, in a directory of its own */

static void start(void)
{
	const char *extra[] = {"--anchor-file", anchors, "--anchor-every", "0.2", NULL};

	cr_assert_eq(daemon_start(&d, extra), 0, "dotphad did not start (see %s)", d.log);
}

static void prepare(void)
{
	char kept[350];

	cr_assert_eq(daemon_prepare(&d), 0);
	snprintf(kept, sizeof(kept), "%s/kept", d.dir);
	cr_assert_eq(mkdir(kept, 0700), 0);
	snprintf(anchors, sizeof(anchors), "%s/anchors", kept);
	start();
}

static void cleanup(void)
{
	daemon_cleanup(&d);
}

TestSuite(anchor, .init = prepare, .fini = cleanup, .timeout = 60);

/* ---- helpers ---- */

/* Lines of the anchor file (0 if it does not exist). */
static int anchor_lines(void)
{
	char *s = helpers_read_file(anchors);
	int n = 0;

	for (char *p = s; p && *p; p++)
		n += *p == '\n';
	free(s);
	return n;
}

/* The last line of the anchor file as "ID:HASH" into out, and its id. */
static int64_t last_anchor(char *out, size_t len)
{
	char *s = helpers_read_file(anchors), at[32], hash[80];
	char *last, *end;
	long long id = 0;

	cr_assert_not_null(s, "no anchor file %s", anchors);
	end = s + strlen(s);
	cr_assert(end > s && end[-1] == '\n', "the anchor file does not end a line: %s", s);
	end[-1] = '\0';
	last = strrchr(s, '\n') ? strrchr(s, '\n') + 1 : s;
	cr_assert_eq(sscanf(last, "%31s %lld %79s", at, &id, hash), 3, "not an anchor: %s", last);
	cr_assert_eq(strlen(at), 20, "%s", at);
	cr_assert_eq(strlen(hash), 64, "%s", hash);
	snprintf(out, len, "%lld:%s", id, hash);
	free(s);
	return id;
}

/* Waits up to 5 s for the anchor file to have at least n lines. */
static void wait_lines(int n)
{
	for (int i = 0; i < 500 && anchor_lines() < n; i++)
		usleep(10000);
	cr_assert_geq(anchor_lines(), n, "the anchor file has %d lines, not %d", anchor_lines(), n);
}

/* n unit.create on one signed-in connection, codes P<from>..; waits for
 * each reply. */
static void write_units(int from, int n)
{
	msgpack_unpacker up;
	msgpack_unpacked u;
	msgpack_sbuffer sb;
	msgpack_packer pk;
	char code[32];
	int fd = raw_connect(d.port);

	cr_assert(fd >= 0);
	cr_assert_eq(raw_auth(fd, &d), 0);
	msgpack_sbuffer_init(&sb);
	msgpack_unpacker_init(&up, 4096);
	msgpack_unpacked_init(&u);
	for (int i = 0; i < n; i++) {
		snprintf(code, sizeof(code), "P%d", from + i);
		msgpack_sbuffer_clear(&sb);
		msgpack_packer_init(&pk, &sb, msgpack_sbuffer_write);
		msgpack_pack_map(&pk, 3);
		pack_kv_str(&pk, "code", code);
		pack_kv_str(&pk, "name", "Phòng thử");
		pack_kv_str(&pk, "level", "phòng");
		cr_assert_eq(raw_request(fd, (uint32_t)i + 10, "unit.create", sb.data, sb.size), 0);
		cr_assert_eq(raw_recv(fd, &up, &u, 10000), 1);
		cr_assert_eq(u.data.via.array.ptr[2].type, MSGPACK_OBJECT_NIL, "unit.create failed");
	}
	close(fd);
	msgpack_unpacked_destroy(&u);
	msgpack_unpacker_destroy(&up);
	msgpack_sbuffer_destroy(&sb);
}

static void stop_daemon(void)
{
	cr_assert_eq(daemon_stop(&d), 0, "dotphad did not stop cleanly (see %s)", d.log);
}

/* SQL on the database file, as someone with the file but not the daemon. */
static void raw_sql(const char *sql)
{
	sqlite3 *conn;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(d.db, &conn), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn, sql, NULL, NULL, &msg), SQLITE_OK, "%s: %s", sql, msg);
	sqlite3_close(conn);
}

/* PROTOCOL.md 4b's enc() of column i, by its storage class. */
static void enc_column(msgpack_sbuffer *b, sqlite3_stmt *st, int i)
{
	unsigned char head[9];
	int type = sqlite3_column_type(st, i);

	if (type == SQLITE_NULL) {
		head[0] = 0;
		msgpack_sbuffer_write(b, (char *)head, 1);
	} else if (type == SQLITE_INTEGER) {
		uint64_t v = (uint64_t)sqlite3_column_int64(st, i);

		head[0] = 1;
		for (int k = 0; k < 8; k++)
			head[1 + k] = (unsigned char)(v >> (56 - 8 * k));
		msgpack_sbuffer_write(b, (char *)head, 9);
	} else {
		const void *p = type == SQLITE_TEXT ? (const void *)sqlite3_column_text(st, i)
						    : sqlite3_column_blob(st, i);
		uint32_t n = (uint32_t)sqlite3_column_bytes(st, i);

		head[0] = type == SQLITE_TEXT ? 2 : 3;
		head[1] = (unsigned char)(n >> 24);
		head[2] = (unsigned char)(n >> 16);
		head[3] = (unsigned char)(n >> 8);
		head[4] = (unsigned char)n;
		msgpack_sbuffer_write(b, (char *)head, 5);
		msgpack_sbuffer_write(b, p, n);
	}
}

/* Runs edit (with the append-only triggers dropped), then recomputes
 * every entry's prev_hash and hash in id order, as a forger who read
 * PROTOCOL.md would: the chain alone checks out again. */
static void edit_and_rehash(const char *edit)
{
	sqlite3 *conn;
	sqlite3_stmt *rd, *wr;
	unsigned char prev[32] = {0}, hash[32];
	msgpack_sbuffer enc;
	char *msg = NULL;

	cr_assert_eq(sqlite3_open(d.db, &conn), SQLITE_OK);
	cr_assert_eq(sqlite3_exec(conn,
				  "DROP TRIGGER audit_append_only_u; DROP TRIGGER audit_append_only_d; "
				  "BEGIN",
				  NULL, NULL, &msg),
		     SQLITE_OK, "%s", msg);
	if (edit)
		cr_assert_eq(sqlite3_exec(conn, edit, NULL, NULL, &msg), SQLITE_OK, "%s", msg);
	cr_assert_eq(sqlite3_prepare_v2(conn,
					"SELECT id, at, account_id, account_login, token_name, address, "
					"method, object_type, object_id, task_id, unit_id, before, after "
					"FROM audit ORDER BY id",
					-1, &rd, NULL),
		     SQLITE_OK);
	cr_assert_eq(sqlite3_prepare_v2(conn, "UPDATE audit SET prev_hash = ?1, hash = ?2 WHERE id = ?3",
					-1, &wr, NULL),
		     SQLITE_OK);
	msgpack_sbuffer_init(&enc);
	while (sqlite3_step(rd) == SQLITE_ROW) {
		enc.size = 0;
		for (int i = 0; i < 13; i++)
			enc_column(&enc, rd, i);
		/* prev_hash: a blob of 32 bytes */
		msgpack_sbuffer_write(&enc, "\x03\x00\x00\x00\x20", 5);
		msgpack_sbuffer_write(&enc, (char *)prev, 32);
		crypto_sha256(enc.data, enc.size, hash);
		sqlite3_bind_blob(wr, 1, prev, 32, SQLITE_TRANSIENT);
		sqlite3_bind_blob(wr, 2, hash, 32, SQLITE_TRANSIENT);
		sqlite3_bind_int64(wr, 3, sqlite3_column_int64(rd, 0));
		cr_assert_eq(sqlite3_step(wr), SQLITE_DONE, "%s", sqlite3_errmsg(conn));
		sqlite3_reset(wr);
		memcpy(prev, hash, 32);
	}
	msgpack_sbuffer_destroy(&enc);
	sqlite3_finalize(rd);
	sqlite3_finalize(wr);
	cr_assert_eq(sqlite3_exec(conn, "COMMIT", NULL, NULL, &msg), SQLITE_OK, "%s", msg);
	sqlite3_close(conn);
}

/* `dotphad --db d.db --check [--anchor FILE]`: its exit status; stdout in *out. */
static int check(const char *anchor_file, char **out)
{
	char bin[300];
	const char *argv[] = {bin, "--db", d.db, "--check", anchor_file ? "--anchor" : NULL,
			      anchor_file, NULL};

	snprintf(bin, sizeof(bin), "%s/dotphad", helpers_build_dir());
	return helpers_run(argv, out, NULL);
}

/* `dotpha audit verify [--anchor A]`: its exit status; stderr in *err. */
static int verify(const char *anchor, char **out, char **err)
{
	return client_run(&d, out, err,
			  (const char *const[]){"audit", "verify", anchor ? "--anchor" : NULL,
						anchor, NULL});
}

/* ---- the daemon writes them ---- */

Test(anchor, the_daemon_appends_anchors_while_it_runs_and_at_stop)
{
	char a[120], *log;
	struct stat sb;
	int n;

	/* at start: the first admin and its token (entries 1 and 2) */
	wait_lines(1);
	cr_assert_eq(last_anchor(a, sizeof(a)), 2, "%s", a);
	cr_assert_eq(stat(anchors, &sb), 0);
	cr_assert_eq(sb.st_mode & 0777, 0600, "the anchor file is %o", sb.st_mode & 0777);

	/* while it runs: the head moved */
	write_units(1, 3);
	wait_lines(2);
	cr_assert_eq(last_anchor(a, sizeof(a)), 5, "%s", a);
	/* nothing moved: nothing more */
	usleep(600 * 1000);
	n = anchor_lines();
	cr_assert_eq(n, 2, "an anchor of an unmoved head");

	/* at stop: the last writes, even within the interval */
	write_units(10, 4);
	stop_daemon();
	cr_assert_eq(last_anchor(a, sizeof(a)), 9, "%s", a);
	log = helpers_read_file(d.log);
	cr_assert(strstr(log, "audit anchor: "), "%s", log);
	cr_assert(strstr(log, strchr(a, ':') + 1), "the log lacks the last anchor %s", a);
	cr_assert_null(strstr(log, "in the database's own directory"), "%s", log);
	free(log);
}

Test(anchor, an_anchor_file_beside_the_database_is_warned_about)
{
	char *log;

	stop_daemon();
	snprintf(anchors, sizeof(anchors), "%s/anchors", d.dir);
	start();
	stop_daemon();
	log = helpers_read_file(d.log);
	cr_assert(strstr(log, "in the database's own directory"), "%s", log);
	free(log);
}

/* ---- they catch what the chain alone does not ---- */

Test(anchor, the_newest_entries_removed_are_caught_given_the_anchor)
{
	char a[120], *out = NULL, *err = NULL;
	int64_t head;
	int st;

	write_units(1, 15);
	stop_daemon();
	head = last_anchor(a, sizeof(a));
	cr_assert_eq(head, 17);

	/* the newest ten entries go: the chain left is whole */
	raw_sql("DROP TRIGGER audit_append_only_d; DELETE FROM audit WHERE id > 7;");
	st = check(NULL, &out);
	cr_assert_eq(st, 0, "without the anchor the cut chain checks out:\n%s", out);
	free(out);

	st = check(anchors, &out);
	cr_assert_eq(st, 1, "%s", out);
	cr_assert(strstr(out, "BROKEN at entry 17"), "%s", out);
	cr_assert(strstr(out, "entry 17 (anchored at"), "%s", out);
	cr_assert(strstr(out, "is missing: the trail ends at entry 7"), "%s", out);
	free(out);

	start();
	st = verify(NULL, &out, &err);
	cr_assert_eq(st, 0, "%s%s", out, err);
	free(out);
	free(err);
	st = verify(a, &out, &err);
	cr_assert_eq(st, 1, "%s%s", out, err);
	cr_assert(strstr(err, "bị hỏng từ bản ghi #17"), "%s", err);
	cr_assert(strstr(err, "is missing"), "%s", err);
	free(out);
	free(err);
}

Test(anchor, a_chain_rebuilt_whole_is_caught_given_the_anchor)
{
	char a[120], early[120], *out = NULL, *err = NULL;
	int64_t head;
	int st;

	wait_lines(1); /* entry 2, before the edit */
	last_anchor(early, sizeof(early));
	write_units(1, 12);
	stop_daemon();
	head = last_anchor(a, sizeof(a));
	cr_assert_eq(head, 14);

	/* An old entry edited (the unit's name in entry 4) and every hash
	 * after it recomputed: the chain alone checks out. */
	edit_and_rehash("UPDATE audit SET method = 'unit.rename' WHERE id = 4");
	st = check(NULL, &out);
	cr_assert_eq(st, 0, "without the anchor the rebuilt chain checks out:\n%s", out);
	free(out);

	st = check(anchors, &out);
	cr_assert_eq(st, 1, "%s", out);
	cr_assert(strstr(out, "BROKEN at entry 14"), "%s", out);
	cr_assert(strstr(out, "not the anchored one"), "%s", out);
	/* the anchor of entry 2, taken at start, still agrees: it bounds where */
	cr_assert(strstr(out, "after entry 2"), "%s", out);
	free(out);

	start();
	st = verify(NULL, &out, &err);
	cr_assert_eq(st, 0, "%s%s", out, err);
	free(out);
	free(err);
	st = verify(a, &out, &err);
	cr_assert_eq(st, 1, "%s%s", out, err);
	cr_assert(strstr(err, "bị hỏng từ bản ghi #14"), "%s", err);
	cr_assert(strstr(err, "not the anchored one"), "%s", err);
	free(out);
	free(err);
	/* the hash alone: no entry has it any more */
	st = verify(strchr(a, ':') + 1, &out, &err);
	cr_assert_eq(st, 1, "%s%s", out, err);
	cr_assert(strstr(err, "no entry has the anchored hash"), "%s", err);
	free(out);
	free(err);
	/* the early anchor agrees, entry 2 being untouched */
	st = verify(early, &out, &err);
	cr_assert_eq(st, 0, "%s%s", out, err);
	free(out);
	free(err);
}

Test(anchor, a_whole_chain_agrees_with_its_anchors)
{
	char a[120], *out = NULL, *err = NULL;
	int st;

	write_units(1, 5);
	stop_daemon();
	last_anchor(a, sizeof(a));
	st = check(anchors, &out);
	cr_assert_eq(st, 0, "%s", out);
	cr_assert(strstr(out, "audit anchors: all 2 agree"), "%s", out);
	free(out);
	start();
	st = verify(a, &out, &err);
	cr_assert_eq(st, 0, "%s%s", out, err);
	cr_assert(strstr(out, "Mốc neo khớp"), "%s", out);
	free(out);
	free(err);
	st = verify("7:xyz", &out, &err);
	cr_assert_neq(st, 0, "%s%s", out, err); /* invalid_argument */
	cr_assert(strstr(err, "anchor"), "%s", err);
	free(out);
	free(err);
}
