/*
 * db_audit.c: storage for the audit trail: packing any audited object the
 * way the trail keeps it, appending entries to the hash chain, listing
 * them, and walking the chain to check it.  The table refuses UPDATE and
 * DELETE by itself (triggers of migration 2); nothing here tries either.
 *
 * The hash chain.  Entry ids run 1, 2, 3, ... (each is the previous id plus
 * one, assigned here inside the write transaction).  An entry's prev_hash is
 * the previous entry's hash, 32 zero bytes for entry 1, and its hash is
 *
 *   hash = SHA-256(enc(id) || enc(at) || enc(account_id) || enc(account_login)
 *                  || enc(token_name) || enc(address) || enc(method)
 *                  || enc(object_type) || enc(object_id) || enc(task_id)
 *                  || enc(unit_id) || enc(before) || enc(after) || enc(prev_hash))
 *
 * where enc() writes one column value by its SQLite storage class:
 *
 *   NULL     0x00
 *   INTEGER  0x01, then the value as 8 bytes, big-endian two's complement
 *   TEXT     0x02, then the length as 4 bytes big-endian, then the UTF-8 bytes
 *   BLOB     0x03, then the length as 4 bytes big-endian, then the bytes
 *   REAL     0x04, then the IEEE-754 bits as 8 bytes big-endian (never written)
 *
 * `at`, the login, token name, address, method and object_type are TEXT
 * (an empty or absent one is stored, and hashed, as NULL); the ids are
 * INTEGER or NULL; before and after are BLOBs holding one MessagePack map
 * (before is NULL for a create); prev_hash and hash are 32-byte BLOBs.  So a value cannot move
 * between fields, or change type, without changing the hash.  Editing an
 * entry breaks its own hash; recomputing that hash breaks the next entry's
 * prev_hash; removing an entry breaks its successor's prev_hash.  Removing
 * the newest entries leaves a shorter chain that still checks out, and so
 * does a chain rehashed whole: a copy of the head kept outside the
 * database (anchor.h) shows both, and db_audit_verify holds the chain to
 * such anchors.  PROTOCOL.md 4b says the same bytes for clients.
 */
#include "db_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crypto.h"
#include "db_account.h"
#include "db_amendment.h"
#include "db_audit.h"
#include "db_cadre.h"
#include "db_explanation.h"
#include "db_file.h"
#include "db_followup.h"
#include "db_import.h"
#include "db_inspection.h"
#include "db_plan.h"
#include "db_reminder.h"
#include "db_snapshot.h"
#include "db_task.h"
#include "db_task_pack.h"
#include "db_term.h"
#include "db_unit.h"
#include "db_update.h"
#include "pack.h"

#define HASH_LEN CRYPTO_SHA256_LEN

/* ---- objects as the trail keeps them ---- */

static const char SQL_TASK_BY_ID[] = "SELECT id FROM tasks WHERE id = ?1";
static const char SQL_TOKEN_BY_ID[] = "SELECT id FROM tokens WHERE id = ?1";
static const char SQL_UPDATE_BY_ID[] = "SELECT id FROM updates WHERE id = ?1";
static const char SQL_STEP_BY_ID[] = "SELECT id FROM plan_steps WHERE id = ?1";
static const char SQL_REMINDER_BY_ID[] = "SELECT id FROM reminders WHERE id = ?1";
static const char SQL_AMENDMENT_BY_ID[] = "SELECT id FROM amendments WHERE id = ?1";
static const char SQL_EXPLANATION_BY_ID[] = "SELECT id FROM explanations WHERE id = ?1";
static const char SQL_INSPECTION_BY_ID[] = "SELECT id FROM inspections WHERE id = ?1";
static const char SQL_ACTION_BY_ID[] = "SELECT id FROM inspection_actions WHERE id = ?1";
static const char SQL_FOLLOWUP_BY_ID[] = "SELECT id FROM followups WHERE id = ?1";
static const char SQL_UPLOAD_BY_ID[] = "SELECT id FROM uploads WHERE id = ?1";
static const char SQL_FILE_BY_ID[] = "SELECT id FROM files WHERE id = ?1";
static const char SQL_IMPORT_BY_ID[] = "SELECT id FROM imports WHERE id = ?1";
static const char SQL_SNAPSHOT_BY_ID[] = "SELECT id FROM report_snapshots WHERE id = ?1";

/* The task and the unit an object belongs to: a task's own id, or the
 * task the object hangs off (an update, a step, a reminder...), and the
 * unit of that task; else a unit's own id, the unit of a cadre's current
 * post, an account's scope unit.  An upload (a file in transit, one entry
 * per chunk) belongs to its task's unit but not to the task's story:
 * task.history shows the file it becomes (file.upload_finish). */
static const char SQL_LINKS[] =
	"WITH l(task) AS (SELECT CASE ?1 WHEN 'task' THEN ?2 "
	"  WHEN 'update' THEN (SELECT task_id FROM updates WHERE id = ?2) "
	"  WHEN 'step' THEN (SELECT task_id FROM plan_steps WHERE id = ?2) "
	"  WHEN 'reminder' THEN (SELECT task_id FROM reminders WHERE id = ?2) "
	"  WHEN 'amendment' THEN (SELECT task_id FROM amendments WHERE id = ?2) "
	"  WHEN 'explanation' THEN (SELECT task_id FROM explanations WHERE id = ?2) "
	"  WHEN 'inspection' THEN (SELECT task_id FROM inspections WHERE id = ?2) "
	"  WHEN 'action' THEN (SELECT i.task_id FROM inspection_actions x "
	"                      JOIN inspections i ON i.id = x.inspection_id WHERE x.id = ?2) "
	"  WHEN 'followup' THEN (SELECT task_id FROM followups WHERE id = ?2) "
	"  WHEN 'file' THEN (SELECT task_id FROM files WHERE id = ?2) END) "
	"SELECT task, CASE ?1 WHEN 'unit' THEN ?2 "
	"  WHEN 'cadre' THEN (SELECT unit_id FROM cadres WHERE id = ?2) "
	"  WHEN 'account' THEN (SELECT scope_unit_id FROM accounts WHERE id = ?2) "
	"  WHEN 'upload' THEN (SELECT t.unit_id FROM uploads p JOIN tasks t ON t.id = p.task_id "
	"                      WHERE p.id = ?2) "
	"  WHEN 'snapshot' THEN (SELECT coalesce(unit_id, scope_unit_id) FROM report_snapshots"
	"                        WHERE id = ?2) "
	"  ELSE (SELECT unit_id FROM tasks WHERE id = l.task) END FROM l";

/* The packers of objects that take more than (id, as_of): what the trail
 * keeps of them. */
static int pack_unit(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
		     struct rpc_error *err)
{
	return db_unit_pack(db, id, as_of, true, pk, err);
}

static int pack_cadre(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
		      struct rpc_error *err)
{
	return db_cadre_pack(db, id, as_of, true, pk, err);
}

static int pack_task(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
		     struct rpc_error *err)
{
	return db_task_pack(db, id, as_of, true, pk, err);
}

static int pack_account(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
			struct rpc_error *err)
{
	(void)as_of;
	return db_account_pack(db, id, false, pk, err);
}

static int pack_token(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
		      struct rpc_error *err)
{
	(void)as_of;
	return db_token_pack(db, id, 0, pk, err); /* the row, never the secret */
}

static int pack_upload(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
		       struct rpc_error *err)
{
	(void)as_of;
	return db_upload_pack(db, id, 0, pk, err); /* metadata, never the bytes */
}

/* Every noun the trail records (the nouns of methods.def): how a write's
 * params name an existing one, and how it is packed.  A noun whose objects
 * are named by id alone has its by-id query and no resolver; a packer
 * takes the date for names (dated) or not (plain). */
static const struct audit_noun {
	const char *name;
	int (*resolve)(struct db *db, const char *field, const struct ref *r, int64_t *id,
		       struct rpc_error *err);
	const char *by_id;
	int (*dated)(struct db *db, int64_t id, const char *as_of, msgpack_packer *pk,
		     struct rpc_error *err);
	int (*plain)(struct db *db, int64_t id, msgpack_packer *pk, struct rpc_error *err);
} nouns[] = {
	{"unit", db_unit_resolve, NULL, pack_unit, NULL},
	{"cadre", db_cadre_resolve, NULL, pack_cadre, NULL},
	{"account", db_account_resolve, NULL, pack_account, NULL},
	{"term", db_term_resolve, NULL, NULL, db_term_pack},
	{"task", NULL, SQL_TASK_BY_ID, pack_task, NULL},
	{"token", NULL, SQL_TOKEN_BY_ID, pack_token, NULL},
	{"update", NULL, SQL_UPDATE_BY_ID, NULL, db_update_pack},
	{"step", NULL, SQL_STEP_BY_ID, NULL, db_plan_pack},
	{"reminder", NULL, SQL_REMINDER_BY_ID, db_reminder_pack, NULL},
	{"amendment", NULL, SQL_AMENDMENT_BY_ID, NULL, db_amendment_pack},
	{"explanation", NULL, SQL_EXPLANATION_BY_ID, db_explanation_pack, NULL},
	{"inspection", NULL, SQL_INSPECTION_BY_ID, db_inspection_pack, NULL},
	{"action", NULL, SQL_ACTION_BY_ID, db_action_pack, NULL},
	{"followup", NULL, SQL_FOLLOWUP_BY_ID, db_followup_pack, NULL},
	{"upload", NULL, SQL_UPLOAD_BY_ID, pack_upload, NULL},
	{"file", NULL, SQL_FILE_BY_ID, NULL, db_file_pack},
	{"import", NULL, SQL_IMPORT_BY_ID, NULL, db_import_pack}, /* import and export */
	{"snapshot", NULL, SQL_SNAPSHOT_BY_ID, NULL, db_snapshot_pack},
};

static const struct audit_noun *noun_of(const char *name)
{
	for (size_t i = 0; i < sizeof(nouns) / sizeof(nouns[0]); i++)
		if (strcmp(nouns[i].name, name) == 0)
			return &nouns[i];
	return NULL;
}

bool db_audit_knows(const char *noun)
{
	return noun_of(noun) != NULL;
}

int db_audit_resolve(struct db *db, const char *noun, const char *field, const struct ref *r,
		     int64_t *id, struct rpc_error *err)
{
	const struct audit_noun *n = noun_of(noun);
	int rc;

	if (!n)
		return errors_set(err, RPC_INTERNAL, "audit: no way to look up a %s", noun);
	if (n->resolve)
		return n->resolve(db, field, r, id, err);
	*id = 0;
	if (r->code.s || r->id <= 0)
		return errors_set(err, RPC_INVALID_ARGUMENT, "%s: must be the %s's id", field, noun);
	if ((rc = db_one_int64(db, n->by_id, id, err, "i", r->id)) != RPC_OK)
		return rc;
	if (*id == 0)
		return errors_set(err, RPC_NOT_FOUND, "%s: no %s with id %lld", field, noun,
				  (long long)r->id);
	return RPC_OK;
}

int db_audit_pack_object(struct db *db, const char *noun, int64_t id, const char *as_of,
			 msgpack_packer *pk, struct rpc_error *err)
{
	const struct audit_noun *n = noun_of(noun);

	if (!n)
		return errors_set(err, RPC_INTERNAL, "audit: no way to record a %s", noun);
	return n->dated ? n->dated(db, id, as_of, pk, err) : n->plain(db, id, pk, err);
}

static int links(struct db *db, const char *noun, int64_t id, int64_t *task, int64_t *unit,
		 struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*task = *unit = 0;
	if (!(st = db_prep(db, SQL_LINKS, err, "si", noun, id)))
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*task = sqlite3_column_int64(st, 0);
		*unit = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "audit", err);
	return RPC_OK;
}

/* ---- the canonical encoding (see the top of the file) ---- */

enum {
	ENC_NULL = 0x00,
	ENC_INTEGER = 0x01,
	ENC_TEXT = 0x02,
	ENC_BLOB = 0x03,
	ENC_REAL = 0x04,
};

static void enc_u64(msgpack_sbuffer *b, uint64_t v)
{
	char be[8];

	for (int i = 0; i < 8; i++)
		be[i] = (char)(v >> (56 - 8 * i));
	msgpack_sbuffer_write(b, be, 8);
}

static void enc_null(msgpack_sbuffer *b)
{
	char tag = ENC_NULL;

	msgpack_sbuffer_write(b, &tag, 1);
}

static void enc_int(msgpack_sbuffer *b, int64_t v)
{
	char tag = ENC_INTEGER;

	msgpack_sbuffer_write(b, &tag, 1);
	enc_u64(b, (uint64_t)v);
}

/* An id: 0 is stored as NULL, so it is encoded as NULL. */
static void enc_id(msgpack_sbuffer *b, int64_t v)
{
	if (v)
		enc_int(b, v);
	else
		enc_null(b);
}

static void enc_bytes(msgpack_sbuffer *b, int tag, const void *p, size_t n)
{
	char head[5];

	if (!p && tag == ENC_TEXT) {
		enc_null(b);
		return;
	}
	head[0] = (char)tag;
	head[1] = (char)(n >> 24);
	head[2] = (char)(n >> 16);
	head[3] = (char)(n >> 8);
	head[4] = (char)n;
	msgpack_sbuffer_write(b, head, 5);
	if (n)
		msgpack_sbuffer_write(b, p, n);
}

/* A column of a row being verified, by its storage class. */
static void enc_column(msgpack_sbuffer *b, sqlite3_stmt *st, int i)
{
	double d;
	uint64_t bits;
	char tag;

	switch (sqlite3_column_type(st, i)) {
	case SQLITE_INTEGER:
		enc_int(b, sqlite3_column_int64(st, i));
		break;
	case SQLITE_TEXT:
		enc_bytes(b, ENC_TEXT, sqlite3_column_text(st, i), (size_t)sqlite3_column_bytes(st, i));
		break;
	case SQLITE_BLOB:
		enc_bytes(b, ENC_BLOB, sqlite3_column_blob(st, i), (size_t)sqlite3_column_bytes(st, i));
		break;
	case SQLITE_FLOAT:
		tag = ENC_REAL;
		d = sqlite3_column_double(st, i);
		memcpy(&bits, &d, sizeof(bits));
		msgpack_sbuffer_write(b, &tag, 1);
		enc_u64(b, bits);
		break;
	default:
		enc_null(b);
	}
}

/* Text as stored: NULL and "" are both stored (and encoded) as NULL. */
static const char *stored_text(const char *s)
{
	return s && *s ? s : NULL;
}

static void enc_text(msgpack_sbuffer *b, const char *s)
{
	s = stored_text(s);
	enc_bytes(b, ENC_TEXT, s, s ? strlen(s) : 0);
}

static void enc_blob(msgpack_sbuffer *b, const char *p, size_t n)
{
	if (p)
		enc_bytes(b, ENC_BLOB, p, n);
	else
		enc_null(b);
}

/* ---- appending ---- */

static const char SQL_LAST[] = "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1";
static const char SQL_APPEND[] =
	"INSERT INTO audit (id, at, account_id, account_login, token_name, address, method, "
	"object_type, object_id, task_id, unit_id, before, after, prev_hash, hash) "
	"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";

/* The id and hash of the newest entry; id 0 and zero bytes on an empty trail. */
static int last_entry(struct db *db, int64_t *id, unsigned char hash[HASH_LEN],
		      struct rpc_error *err)
{
	sqlite3_stmt *st = db_stmt(db, SQL_LAST, err);
	int rc;

	*id = 0;
	memset(hash, 0, HASH_LEN);
	if (!st)
		return err->code;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		int n = sqlite3_column_bytes(st, 1);

		*id = sqlite3_column_int64(st, 0);
		/* A damaged hash is chained as it is (cut or zero-padded to 32
		 * bytes): the check names that entry, and writing goes on. */
		if (n > 0)
			memcpy(hash, sqlite3_column_blob(st, 1), n < HASH_LEN ? (size_t)n : HASH_LEN);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, rc, "audit", err);
	return RPC_OK;
}

int db_audit_record(struct db *db, const struct audit_actor *by, const struct audit_change *ch,
		    struct rpc_error *err)
{
	msgpack_sbuffer after, enc;
	msgpack_packer pk;
	unsigned char prev[HASH_LEN], hash[HASH_LEN];
	int64_t last, id, task, unit;
	int rc;

	msgpack_sbuffer_init(&after);
	msgpack_sbuffer_init(&enc);
	msgpack_packer_init(&pk, &after, msgpack_sbuffer_write);
	task = unit = 0;
	if (ch->after)
		msgpack_sbuffer_write(&after, ch->after, ch->after_len);
	else if ((rc = db_audit_pack_object(db, ch->object_type, ch->object_id, ch->as_of, &pk,
					    err)) != RPC_OK ||
		 (rc = links(db, ch->object_type, ch->object_id, &task, &unit, err)) != RPC_OK)
		goto done;
	if ((rc = last_entry(db, &last, prev, err)) != RPC_OK)
		goto done;
	id = last + 1;

	enc_int(&enc, id);
	enc_text(&enc, ch->at);
	enc_id(&enc, by->account_id);
	enc_text(&enc, by->login);
	enc_text(&enc, by->token_name);
	enc_text(&enc, by->address);
	enc_text(&enc, ch->method);
	enc_text(&enc, ch->object_type);
	enc_id(&enc, ch->object_id);
	enc_id(&enc, task);
	enc_id(&enc, unit);
	enc_blob(&enc, ch->before, ch->before_len);
	enc_blob(&enc, after.data, after.size);
	enc_blob(&enc, (const char *)prev, HASH_LEN);
	crypto_sha256(enc.data, enc.size, hash);

	/* A NULL before (a create) binds NULL. */
	rc = db_run(db, SQL_APPEND, "recording the change in the audit trail", err,
		    "isrsssssrrrbbbb", id, stored_text(ch->at), by->account_id,
		    stored_text(by->login), stored_text(by->token_name), stored_text(by->address),
		    stored_text(ch->method), stored_text(ch->object_type), ch->object_id, task, unit,
		    ch->before, (int)ch->before_len, after.data, (int)after.size, prev, HASH_LEN, hash,
		    HASH_LEN);
done:
	msgpack_sbuffer_destroy(&enc);
	msgpack_sbuffer_destroy(&after);
	return rc;
}

int db_audit_system(struct db *db, const char *now, const char *method, const char *noun,
		    int64_t id, struct rpc_error *err)
{
	struct audit_actor by = {0, "(system)", NULL, NULL};
	struct audit_change ch = {0};
	char as_of[11];

	snprintf(as_of, sizeof(as_of), "%s", now); /* the UTC date of `now` */
	ch.at = now;
	ch.as_of = as_of;
	ch.method = method;
	ch.object_type = noun;
	ch.object_id = id;
	return db_audit_record(db, &by, &ch, err);
}

/* ---- reading ---- */

#define AUDIT_COLUMNS \
	"a.id AS id, a.at AS at, a.account_id AS account_id, a.account_login AS account_login, " \
	"a.token_name AS token_name, a.address AS address, a.method AS method, " \
	"a.object_type AS object_type, a.object_id AS object_id, a.before AS before, " \
	"a.after AS after"
/* audit.list adds what the hash covers besides (PROTOCOL.md 4b), so a
 * client can recompute every hash: the hashes themselves as hex. */
#define AUDIT_LIST_COLUMNS AUDIT_COLUMNS ", a.task_id AS task_id, a.unit_id AS unit_id, " \
	"lower(hex(a.prev_hash)) AS prev_hash, lower(hex(a.hash)) AS hash"

/* The filters of audit.list: ?1 since, ?2 until (dates, inclusive, against
 * the UTC `at`), ?3 account, ?4 unit (its subtree), ?5 task; NULL: any. */
#define AUDIT_WITH "WITH RECURSIVE " SQL_SUBTREE("?4") " "
#define AUDIT_WHERE \
	"WHERE (?1 IS NULL OR a.at >= ?1) AND (?2 IS NULL OR a.at < date(?2, '+1 day')) " \
	"AND (?3 IS NULL OR a.account_id = ?3) " \
	"AND (?4 IS NULL OR a.unit_id IN (SELECT id FROM sub)) " \
	"AND (?5 IS NULL OR a.task_id = ?5) "

static const char SQL_LIST[] = AUDIT_WITH "SELECT " AUDIT_LIST_COLUMNS " FROM audit a " AUDIT_WHERE
	"AND a.id > ?6 ORDER BY a.id LIMIT ?7";
static const char SQL_COUNT[] = AUDIT_WITH "SELECT count(*) FROM audit a " AUDIT_WHERE;
/* A task's entries: those of its progress updates through the updates
 * (updates_task, then audit_update), the others through audit_task.  An
 * update's entries carry its task (links()), and an update never changes
 * task, so the two parts are exactly the entries whose task_id is the
 * task; migration 22 split the index so that an update's entry is added
 * at the end of audit_update, where the group's writes share a page,
 * rather than among the task's entries (a page per task written). */
#define TASK_ENTRIES(cols, after) \
	"SELECT " cols " FROM audit x WHERE x.task_id = ?1 AND x.object_type <> 'update'" after \
	" UNION ALL SELECT " cols " FROM updates u JOIN audit x" \
	"  ON x.object_type = 'update' AND x.object_id = u.id WHERE u.task_id = ?1" after
/* A task's story, paged by entry id. */
#define SQL_TASK_OF(columns) \
	"SELECT " columns ", ac.display_name AS display_name " \
	"FROM audit a LEFT JOIN accounts ac ON ac.id = a.account_id " \
	"WHERE a.id IN (" TASK_ENTRIES("x.id", " AND x.id > ?2") ") ORDER BY a.id LIMIT ?3"
static const char SQL_TASK[] = SQL_TASK_OF(AUDIT_COLUMNS);
/* The same for a caller who is not an admin: the same keys, but nil for
 * where a change came from (the address) and the token used, which are
 * the admins' to know. */
static const char SQL_TASK_PLAIN[] = SQL_TASK_OF(
	"a.id AS id, a.at AS at, a.account_id AS account_id, a.account_login AS account_login, "
	"NULL AS token_name, NULL AS address, a.method AS method, "
	"a.object_type AS object_type, a.object_id AS object_id, a.before AS before, "
	"a.after AS after");
static const char SQL_TASK_COUNT[] = "SELECT count(*) FROM (" TASK_ENTRIES("1", "") ")";

/* Packs a stored before/after: the map it holds, or nil for NULL.  Bytes
 * that are not exactly one map (a damaged entry) also pack as nil, so a
 * bad entry never breaks the reply stream; audit.verify reports it. */
static void pack_stored_map(msgpack_packer *pk, const void *p, int n)
{
	msgpack_unpacked u;
	size_t off = 0;

	if (p && n > 0) {
		msgpack_unpacked_init(&u);
		if (msgpack_unpack_next(&u, p, (size_t)n, &off) == MSGPACK_UNPACK_SUCCESS &&
		    off == (size_t)n && u.data.type == MSGPACK_OBJECT_MAP) {
			msgpack_pack_object(pk, u.data);
			msgpack_unpacked_destroy(&u);
			return;
		}
		msgpack_unpacked_destroy(&u);
	}
	msgpack_pack_nil(pk);
}

/* Packs one entry as a map, one pair per column; BLOB columns (before,
 * after) as the maps they hold. */
static void pack_entry(sqlite3_stmt *st, msgpack_packer *pk)
{
	int n = sqlite3_column_count(st);

	msgpack_pack_map(pk, (size_t)n);
	for (int i = 0; i < n; i++) {
		pack_str(pk, sqlite3_column_name(st, i));
		switch (sqlite3_column_type(st, i)) {
		case SQLITE_INTEGER:
			msgpack_pack_int64(pk, sqlite3_column_int64(st, i));
			break;
		case SQLITE_TEXT:
			pack_strn(pk, (const char *)sqlite3_column_text(st, i),
				  (size_t)sqlite3_column_bytes(st, i));
			break;
		case SQLITE_BLOB:
			pack_stored_map(pk, sqlite3_column_blob(st, i), sqlite3_column_bytes(st, i));
			break;
		default: /* NULL; REAL is never stored */
			msgpack_pack_nil(pk);
		}
	}
}

static void pack_entry_row(sqlite3_stmt *st, msgpack_packer *pk, const void *arg)
{
	(void)arg;
	pack_entry(st, pk);
}

/* Packs a page {items, next, total}: st (bound to yield at most limit+1
 * entries in id order) stepped to the end or past `limit` rows; next is
 * the last packed id when a further row exists, else nil; total is the
 * caller's count of every match.  Resets st. */
static int pack_page(struct db *db, sqlite3_stmt *st, int64_t limit, int64_t total,
		     msgpack_packer *pk, struct rpc_error *err)
{
	bool more;
	int64_t last = 0;

	msgpack_pack_map(pk, 3);
	pack_str(pk, "items");
	if (db_pack_array(db, st, limit, pk, pack_entry_row, NULL, &more, &last, err) < 0)
		return err->code;
	pack_str(pk, "next");
	if (more)
		msgpack_pack_int64(pk, last);
	else
		msgpack_pack_nil(pk);
	pack_kv_int(pk, "total", total);
	return RPC_OK;
}

int db_audit_list(struct db *db, const struct audit_filter *f, const struct page *pg,
		  msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t total;
	int rc;

	/* The filters: ?1 since, ?2 until, ?3 account, ?4 unit, ?5 task. */
	if ((rc = db_one_int64(db, SQL_COUNT, &total, err, "ssrrr", f->since, f->until, f->account,
			       f->unit, f->task)) != RPC_OK)
		return rc;
	if (!(st = db_prep(db, SQL_LIST, err, "ssrrrii", f->since, f->until, f->account, f->unit,
			   f->task, pg->after, pg->limit + 1)))
		return err->code;
	return pack_page(db, st, pg->limit, total, pk, err);
}

int db_audit_task(struct db *db, int64_t task, bool whole, const struct page *pg,
		  msgpack_packer *pk, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int64_t total;
	int rc;

	if ((rc = db_one_int64(db, SQL_TASK_COUNT, &total, err, "i", task)) != RPC_OK)
		return rc;
	if (!(st = db_prep(db, whole ? SQL_TASK : SQL_TASK_PLAIN, err, "iii", task, pg->after,
			   pg->limit + 1)))
		return err->code;
	return pack_page(db, st, pg->limit, total, pk, err);
}

/* ---- checking ---- */

/* Columns 0..12 are hashed in this order; then prev_hash, then hash. */
static const char SQL_WALK[] =
	"SELECT id, at, account_id, account_login, token_name, address, method, object_type, "
	"object_id, task_id, unit_id, before, after, prev_hash, hash FROM audit ORDER BY id";
#define WALK_PREV 13
#define WALK_HASH 14

/* Records the first broken entry; returns false. */
static bool broken(struct audit_verdict *v, int64_t id, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static bool broken(struct audit_verdict *v, int64_t id, const char *fmt, ...)
{
	va_list ap;

	v->ok = false;
	v->first_broken = id;
	va_start(ap, fmt);
	vsnprintf(v->problem, sizeof(v->problem), fmt, ap);
	va_end(ap);
	return false;
}

/* Checks the row st is on against the entry before it (id prev_id, hash
 * prev; prev_id 0 when this is the first row).  enc is scratch space. */
static bool check_row(sqlite3_stmt *st, int64_t prev_id, const unsigned char prev[HASH_LEN],
		      msgpack_sbuffer *enc, struct audit_verdict *v)
{
	long long id = (long long)sqlite3_column_int64(st, 0);
	unsigned char hash[HASH_LEN];

	if (sqlite3_column_type(st, WALK_PREV) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, WALK_PREV) != HASH_LEN ||
	    memcmp(sqlite3_column_blob(st, WALK_PREV), prev, HASH_LEN) != 0) {
		if (prev_id == 0)
			return broken(v, id,
				      "entry %lld is the first entry but its prev_hash is not 32 zero "
				      "bytes: entries before it were removed",
				      id);
		return broken(v, id,
			      "entry %lld: its prev_hash is not the hash of entry %lld before it: "
			      "that entry was changed, or entries between them were removed",
			      id, (long long)prev_id);
	}
	if (id != prev_id + 1)
		return broken(v, id, "entry %lld: entry %lld should come before it but is missing", id,
			      (long long)(prev_id + 1));
	enc->size = 0;
	for (int i = 0; i <= WALK_PREV; i++)
		enc_column(enc, st, i);
	crypto_sha256(enc->data, enc->size, hash);
	if (sqlite3_column_type(st, WALK_HASH) != SQLITE_BLOB ||
	    sqlite3_column_bytes(st, WALK_HASH) != HASH_LEN ||
	    memcmp(sqlite3_column_blob(st, WALK_HASH), hash, HASH_LEN) != 0)
		return broken(v, id,
			      "entry %lld: its content does not match its hash: it was changed after "
			      "it was written",
			      id);
	return true;
}

/* Orders anchors by entry id (hash-only ones, id 0, first). */
static int anchor_cmp(const void *a, const void *b)
{
	const struct audit_anchor *x = a, *y = b;

	return (x->id > y->id) - (x->id < y->id);
}

static const char SQL_BY_HASH[] = "SELECT id FROM audit WHERE hash = ?1 ORDER BY id LIMIT 1";

/* Gives each hash-only anchor of a[0..n) the id of the entry that has its
 * hash, when one does (else it stays 0). */
static int find_hashes(struct db *db, struct audit_anchor *a, size_t n, struct rpc_error *err)
{
	for (size_t i = 0; i < n; i++) {
		int rc;

		if (a[i].id)
			continue;
		rc = db_one_int64(db, SQL_BY_HASH, &a[i].id, err, "b", a[i].hash, HASH_LEN);
		if (rc != RPC_OK)
			return rc;
	}
	return RPC_OK;
}

/* " (anchored at AT)" or "" */
static const char *anchored_at(const struct audit_anchor *a, char *buf, size_t len)
{
	if (a->at[0])
		snprintf(buf, len, " (anchored at %s)", a->at);
	else
		buf[0] = '\0';
	return buf;
}

/* Holds the row st is on, which checked out, to the anchors of its id
 * (*next onwards, sorted); last_agreed is the newest anchored entry that
 * agreed so far. */
static bool check_anchors(sqlite3_stmt *st, const struct audit_anchor *a, size_t n, size_t *next,
			  int64_t *last_agreed, struct audit_verdict *v)
{
	int64_t id = sqlite3_column_int64(st, 0);
	char at[48];

	for (; *next < n && a[*next].id <= id; (*next)++) {
		const struct audit_anchor *x = &a[*next];

		if (x->id < id || x->id <= 0) /* not found by hash: judged at the end */
			continue;
		if (memcmp(sqlite3_column_blob(st, WALK_HASH), x->hash, HASH_LEN) != 0) {
			if (*last_agreed)
				return broken(v, id,
					      "entry %lld: its hash is not the anchored one%s: the "
					      "trail was rewritten and rehashed somewhere after entry "
					      "%lld (the newest anchored entry that agrees) and up to "
					      "this one",
					      (long long)id, anchored_at(x, at, sizeof(at)),
					      (long long)*last_agreed);
			return broken(v, id,
				      "entry %lld: its hash is not the anchored one%s: the trail "
				      "was rewritten and rehashed up to this entry",
				      (long long)id, anchored_at(x, at, sizeof(at)));
		}
		*last_agreed = id;
		v->anchors++;
	}
	return true;
}

int db_audit_verify(struct db *db, const struct audit_anchor *anchors, size_t n,
		    struct audit_verdict *v, struct rpc_error *err)
{
	sqlite3_stmt *st;
	msgpack_sbuffer enc;
	unsigned char prev[HASH_LEN] = {0};
	struct audit_anchor *a = NULL;
	int64_t prev_id = 0, last_agreed = 0;
	size_t next = 0;
	char at[48];
	int rc;

	memset(v, 0, sizeof(*v));
	v->ok = true;
	if (n) {
		if (!(a = malloc(n * sizeof(*a))))
			return errors_set(err, RPC_INTERNAL, "out of memory");
		memcpy(a, anchors, n * sizeof(*a));
		if ((rc = find_hashes(db, a, n, err)) != RPC_OK) {
			free(a);
			return rc;
		}
		qsort(a, n, sizeof(*a), anchor_cmp);
	}
	if (!(st = db_stmt(db, SQL_WALK, err))) {
		free(a);
		return err->code;
	}
	msgpack_sbuffer_init(&enc);
	/* After the first broken entry the rest are only counted. */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		v->entries++;
		v->head = sqlite3_column_int64(st, 0);
		memset(v->head_hash, 0, HASH_LEN);
		if (sqlite3_column_type(st, WALK_HASH) == SQLITE_BLOB &&
		    sqlite3_column_bytes(st, WALK_HASH) == HASH_LEN)
			memcpy(v->head_hash, sqlite3_column_blob(st, WALK_HASH), HASH_LEN);
		if (!v->ok || !check_row(st, prev_id, prev, &enc, v) ||
		    !check_anchors(st, a, n, &next, &last_agreed, v))
			continue;
		prev_id = sqlite3_column_int64(st, 0);
		memcpy(prev, sqlite3_column_blob(st, WALK_HASH), HASH_LEN);
	}
	sqlite3_reset(st);
	msgpack_sbuffer_destroy(&enc);
	if (rc != SQLITE_DONE) {
		free(a);
		return db_fail(db, rc, "reading the audit trail", err);
	}
	/* The chain is whole up to its head: what the anchors say is missing. */
	for (size_t i = 0; v->ok && i < n; i++) {
		if (a[i].id == 0)
			broken(v, 0,
			       "no entry has the anchored hash %02x%02x%02x%02x...%s: the entries up "
			       "to it were removed, or rewritten and rehashed",
			       a[i].hash[0], a[i].hash[1], a[i].hash[2], a[i].hash[3],
			       anchored_at(&a[i], at, sizeof(at)));
		else if (a[i].id > v->head)
			broken(v, a[i].id,
			       "entry %lld%s is missing: the trail ends at entry %lld: its newest "
			       "entries were removed",
			       (long long)a[i].id, anchored_at(&a[i], at, sizeof(at)),
			       (long long)v->head);
	}
	free(a);
	return RPC_OK;
}

int db_audit_head(struct db *db, int64_t *id, unsigned char hash[HASH_LEN], struct rpc_error *err)
{
	return last_entry(db, id, hash, err);
}

int db_audit_integrity(struct db *db, char *out, size_t len, struct rpc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	/* Run once per process: prepared here rather than kept in the cache. */
	rc = sqlite3_prepare_v2(db->conn, "PRAGMA integrity_check(1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return db_fail(db, rc, "checking the database", err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(out, len, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, rc, "checking the database", err);
	return RPC_OK;
}
