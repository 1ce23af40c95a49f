/*
 * dispatch.c: the handlers of the method table (methods.def), and the path
 * of every request through them.
 */
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "changes.h"
#include "clock.h"
#include "db_account.h"
#include "group.h"
#include "handlers.h"
#include "log.h"
#include "message.h"
#include "methods.h"
#include "nfc.h"
#include "obj.h"
#include "pack.h"
#include "utf8.h"

/* The handler of each row of the method table (methods.def), by its id.
 * Everything else about a method (flags, roles, what the audit trail
 * records) is its catalogue row: methods_find() gives it, once per
 * request, through an index by name. */
static const dispatch_handler handlers[METHODS_COUNT] = {
#define METHOD(id, name, flags, roles, noun, ref, summary, label) [M_##id] = id,
#include "methods.def"
};

dispatch_handler dispatch_handler_of(enum method_id id)
{
	return handlers[id];
}

static struct dispatch_stats stats;

static size_t max_reply = DISPATCH_MAX_REPLY;

void dispatch_set_max_reply(size_t bytes)
{
	max_reply = bytes;
}

const struct dispatch_stats *dispatch_stats(void)
{
	return &stats;
}

/* Every call re-reads the caller's token, account, role and scope, so a
 * revoked token or a changed role takes effect on the next call of a
 * connection that is already open.  Clears *who when the token is no
 * longer usable. */
static int refresh_identity(struct db *db, struct identity *who, struct rpc_error *err)
{
	struct session_row row;
	int rc;

	if ((rc = db_session_load(db, who->token_id, &row, err)) != RPC_OK)
		return rc;
	if (!row.usable) {
		memset(who->login, 0, sizeof(who->login));
		who->account_id = who->token_id = who->scope = 0;
		who->role = 0;
		return errors_set(err, RPC_UNAUTHENTICATED,
				  "your token was revoked or your account disabled; sign in again");
	}
	who->role = role_of(row.role);
	who->scope = row.scope;
	return RPC_OK;
}

static void reply_error(msgpack_sbuffer *out, uint32_t msgid, const struct rpc_error *err)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	message_pack_error(&pk, msgid, err);
	stats.errors++;
}

static void reply_result(msgpack_sbuffer *out, uint32_t msgid, const char *bytes, size_t len)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, out, msgpack_sbuffer_write);
	message_pack_result_head(&pk, msgid);
	msgpack_sbuffer_write(out, bytes, len);
}

/* The reply of a request that failed, logging what the admin must see. */
static void reply_failure(msgpack_sbuffer *out, const struct method_info *info, uint32_t msgid,
			  struct rpc_error *err)
{
	if (err->code == RPC_OK) /* a handler forgot to fill err: still answer */
		errors_set(err, RPC_INTERNAL, "%s failed without saying why", info->name);
	if (err->code == RPC_INTERNAL || err->code == RPC_UNAVAILABLE ||
	    err->code == RPC_STORAGE_FULL)
		log_error("%s: %s", info->name, err->message);
	reply_error(out, msgid, err);
}

void dispatch_stream_error(uint32_t msgid, const struct rpc_error *err, msgpack_sbuffer *out)
{
	reply_error(out, msgid, err);
}

/* request_id: 8..64 printable ASCII bytes.  Returns false with err set when
 * present but malformed. */
static bool read_request_id(const msgpack_object *params, struct text *rid, struct rpc_error *err)
{
	const msgpack_object *v = obj_get(params, "request_id");

	rid->s = NULL;
	rid->n = 0;
	if (!v || v->type == MSGPACK_OBJECT_NIL)
		return true;
	if (v->type != MSGPACK_OBJECT_STR || v->via.str.size < 8 || v->via.str.size > 64)
		goto bad;
	for (uint32_t i = 0; i < v->via.str.size; i++)
		if (v->via.str.ptr[i] < 0x21 || v->via.str.ptr[i] > 0x7e)
			goto bad;
	rid->s = v->via.str.ptr;
	rid->n = v->via.str.size;
	return true;
bad:
	errors_set(err, RPC_INVALID_ARGUMENT,
		   "request_id: must be a string of 8 to 64 printable ASCII characters");
	return false;
}

/* Where one request's work goes.  The daemon groups its writes (group.h)
 * and reads from a second connection; dispatch_message (tests, tools)
 * uses one connection and commits each write by itself. */
struct route {
	struct db *writer;
	struct db *reader;    /* == writer when not grouping */
	struct group *group;  /* NULL: each write in its own transaction */
};

/* Ends the request's transaction (or its part of the group), keeping its
 * changes or taking them back.  Returns the request's final code: rc, or
 * the error that undid what was kept (for a grouped write, the group's
 * COMMIT may still fail later: conn_group_done). */
static int finish(const struct route *r, bool grouped, struct db *db, bool keep, int rc,
		  struct rpc_error *err)
{
	if (!grouped) {
		if (keep)
			return db_commit(db, err); /* rolls back by itself on failure */
		db_rollback(db);
		return rc;
	}
	if (!group_leave(r->group, keep, err)) {
		/* SQLite rolled the whole group back: every write before this
		 * one gets the error now (server_group_flush), this one too. */
		if (rc == RPC_OK)
			rc = err->code ? err->code
				       : errors_set(err, RPC_UNAVAILABLE,
						    "the server's database dropped the transaction; "
						    "nothing was saved; try again");
		r->group->flush(r->group->flush_arg);
	}
	return rc;
}

/* A grouped write's reply, error or not, stands only once the group
 * commits: it may rest on writes of the group before it.  Called just
 * before the reply is appended to out. */
static void mark_pending(const struct route *r, bool grouped, struct dispatch_turn *turn,
			 const msgpack_sbuffer *out, uint32_t msgid)
{
	if (grouped && r->group->open) {
		turn->pending = true;
		turn->start = out->size;
		turn->msgid = msgid;
	}
}

/* Runs one method in its transaction and appends its reply. */
static void run(const struct route *r, struct identity *who, const struct method_info *info,
		uint32_t msgid, const msgpack_object *params, msgpack_sbuffer *out,
		struct dispatch_turn *turn)
{
	dispatch_handler fn = handlers[methods_id(info)];
	bool write = info->flags & METHOD_WRITE;
	bool grouped = r->group && write;
	struct db *db = write || (info->flags & METHOD_ON_WRITER) ? r->writer : r->reader;
	struct rpc_error err = {0};
	struct text rid;
	msgpack_sbuffer result;
	msgpack_packer pk;
	struct call c;
	struct audit_pending ap;
	msgpack_zone *nfc_zone = NULL; /* the params in NFC, when some text was not (nfc.h) */
	time_t t = clock_now();
	int rc;

	/* (handle() has answered a caller not signed in.) */
	/* A read must see this connection's own writes, and session.auth's
	 * transaction cannot nest in the group: commit what is open first. */
	if (r->group && r->group->open && !grouped && (turn->waiting > 0 || db == r->writer))
		r->group->flush(r->group->flush_arg);
	rc = grouped ? group_join(r->group, &err) : db_begin(db, write, &err);
	if (rc != RPC_OK) {
		if (grouped && r->group->broken)
			r->group->flush(r->group->flush_arg);
		reply_error(out, msgid, &err);
		return;
	}
	if (!(info->flags & METHOD_PUBLIC) && (rc = refresh_identity(db, who, &err)) != RPC_OK)
		goto done;
	if (!(info->flags & METHOD_PUBLIC) && !(info->roles & who->role)) {
		rc = errors_set(&err, RPC_FORBIDDEN, "%s: not allowed for the role %s", info->name,
				role_name(who->role));
		goto done;
	}
	/* Before anything reads them (the audit trail's before, the
	 * handler): what is stored is NFC. */
	if ((rc = nfc_params(params, &params, &nfc_zone, &err)) != RPC_OK)
		goto done;
	if (!read_request_id(params, &rid, &err)) {
		rc = err.code;
		goto done;
	}
	msgpack_sbuffer_init(&result);
	if (write && rid.s) {
		char *stored;
		size_t len;
		int found = db_request_find(db, who->account_id, rid, info->name, &stored, &len,
					    &err);

		if (found < 0) {
			rc = err.code;
		} else if (found > 0 && len == 0 && (info->flags & METHOD_SECRET)) {
			rc = errors_set(&err, RPC_CONFLICT,
					"request_id: this request already made a token, which is shown "
					"only once; if its answer was lost, rotate that token "
					"(token.list, then token.rotate)");
		} else if (found > 0) {
			msgpack_sbuffer_write(&result, stored, len);
			stats.replays++;
		}
		free(stored);
		if (found != 0) {
			/* Nothing changed; the stored answer (or the error) goes back. */
			rc = finish(r, grouped, db, false, rc, &err);
			goto reply;
		}
	}

	msgpack_packer_init(&pk, &result, msgpack_sbuffer_write);
	c.method = info;
	c.db = db;
	c.params = params;
	c.pk = &pk;
	c.err = &err;
	c.who = who;
	c.delay_ms = 0;
	date_of(t, c.today);
	date_timestamp(t, c.now);
	/* A write is acknowledged only with its audit entry, in the same
	 * transaction (audit.h). */
	rc = audit_prepare(&c, info, &ap);
	if (rc == RPC_OK)
		rc = fn(&c);
	turn->delay_ms = c.delay_ms;
	if (rc == RPC_OK && result.size > max_reply)
		rc = errors_set(&err, RPC_TOO_LARGE,
				"%s: the answer would be %.2f MiB, over the %.2f MiB one reply may "
				"carry; ask for less (one unit, a shorter list, a smaller page)",
				info->name, (double)result.size / (1024 * 1024),
				(double)max_reply / (1024 * 1024));
	if (rc == RPC_OK)
		rc = audit_record(&c, &ap, result.data, result.size);
	audit_done(&ap);
	if (rc == RPC_OK && write)
		changes_note(info->noun); /* what waits may have changed (inbox.c) */
	if (rc == RPC_OK && write && rid.s)
		rc = db_request_store(db, who->account_id, rid, info->name, result.data,
				      (info->flags & METHOD_SECRET) ? 0 : result.size, c.now, &err);
	rc = finish(r, grouped, db, rc == RPC_OK, rc, &err);
reply:
	mark_pending(r, grouped, turn, out, msgid);
	if (rc == RPC_OK)
		reply_result(out, msgid, result.data, result.size);
	else
		reply_failure(out, info, msgid, &err);
	msgpack_sbuffer_destroy(&result);
	msgpack_zone_free(nfc_zone);
	return;
done:
	finish(r, grouped, db, false, rc, &err);
	mark_pending(r, grouped, turn, out, msgid);
	reply_failure(out, info, msgid, &err);
	msgpack_zone_free(nfc_zone);
}

/* A connection past the limit is kept only for an admin: it may learn the
 * server and sign in, and do more once signed in as one. */
static bool refused(const struct identity *who, const struct method_info *info)
{
	return who->reserve && who->role != ROLE_ADMIN && !(info->flags & METHOD_RESERVE);
}

/* Both ways in: checks the envelope, finds the method, then run() (or,
 * when the caller may offload and the method is SLOW, nothing: it says
 * DISPATCH_SLOW). */
static int handle(const struct route *r, struct identity *who, const msgpack_object *msg,
		  msgpack_sbuffer *out, struct dispatch_turn *turn)
{
	struct rpc_error err = {0};
	struct message m;
	const struct method_info *info;
	int rc = message_parse(msg, &m, &err);

	turn->delay_ms = 0;
	turn->pending = false;
	if (rc == RPC_PROTOCOL_ERROR) {
		reply_error(out, m.msgid, &err);
		return DISPATCH_CLOSE;
	}
	if (m.type != MESSAGE_REQUEST)
		return DISPATCH_SILENT; /* we send no requests, so expect no responses */
	/* The method is known even when its params are malformed (rc is then
	 * invalid_argument): the sign-in check below comes first. */
	info = m.method ? methods_find(m.method, m.method_len) : NULL;
	if (rc == RPC_OK && info) {
		/* The writer is on the pool (an import): what would write
		 * waits for it; a caller not signed in is answered without it. */
		if (turn->writer_lent && (who->account_id != 0 || (info->flags & METHOD_PUBLIC)) &&
		    (info->flags & (METHOD_WRITE | METHOD_ON_WRITER)))
			return DISPATCH_WAIT;
		/* A long read (or write) goes to the thread pool, which runs
		 * it (and counts it) through dispatch_message; not a reserve
		 * connection's, nor a caller's who has not signed in or whose
		 * role may not call it: nothing costs a job, a copy of the
		 * request and a worker's time before the checks that refuse
		 * it (answered below and in run()). */
		if (turn->may_offload && (info->flags & (METHOD_SLOW | METHOD_EXCLUSIVE)) &&
		    !refused(who, info) && who->account_id != 0 && (info->roles & who->role))
			return info->flags & METHOD_SLOW ? DISPATCH_SLOW : DISPATCH_EXCLUSIVE;
	}
	stats.requests++;
	/* Which error wins (PROTOCOL.md 2): a caller not signed in learns
	 * nothing else, not even which methods exist. */
	if (who->account_id == 0 && (!info || !(info->flags & METHOD_PUBLIC))) {
		errors_set(&err, RPC_UNAUTHENTICATED, "sign in first (session.auth with a token)");
		reply_error(out, m.msgid, &err);
		return DISPATCH_REPLIED;
	}
	if (rc != RPC_OK) {
		reply_error(out, m.msgid, &err);
		return DISPATCH_REPLIED;
	}
	if (!info) {
		char name[80]; /* the name sent, escaped (about 64 bytes of it) */

		errors_set(&err, RPC_UNKNOWN_METHOD, "unknown method '%s'",
			   utf8_escaped(m.method, m.method_len, name, sizeof(name)));
		reply_error(out, m.msgid, &err);
		return DISPATCH_REPLIED;
	}
	if (refused(who, info)) {
		errors_set(&err, RPC_TOO_MANY_CLIENTS,
			   "the server is serving its maximum of clients; only an admin may use "
			   "the connections it keeps in reserve; try again shortly");
		reply_error(out, m.msgid, &err);
		return DISPATCH_CLOSE;
	}
	run(r, who, info, m.msgid, m.params, out, turn);
	return DISPATCH_REPLIED;
}

int dispatch_message(struct db *db, struct identity *who, const msgpack_object *msg,
		     msgpack_sbuffer *out, unsigned *delay_ms)
{
	struct route r = {.writer = db, .reader = db, .group = NULL};
	struct dispatch_turn turn = {0};
	int outcome = handle(&r, who, msg, out, &turn);

	*delay_ms = turn.delay_ms;
	return outcome;
}

int dispatch_grouped(struct group *g, struct identity *who, const msgpack_object *msg,
		     msgpack_sbuffer *out, struct dispatch_turn *turn)
{
	struct route r = {.writer = g->writer, .reader = g->reader, .group = g};

	return handle(&r, who, msg, out, turn);
}
