/*
 * dispatch.c: the method table and the path of every request through it.
 */
#include "dispatch.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "audit.h"
#include "clock.h"
#include "group.h"
#include "handlers.h"
#include "log.h"
#include "message.h"
#include "methods.h"
#include "obj.h"
#include "pack.h"
#include "utf8.h"

/* The method table: catalogue name -> handler and who may call it.
 * Flags (write, public) come from the catalogue in protocol/methods.c, so
 * the client and the documentation checks see the same table; `roles` is
 * checked here, and each handler applies the caller's scope.  SLOW, beside
 * the role bits, marks the long reads that run on the thread pool
 * (worker.h); EXCLUSIVE the long writes that run there with the writer.
 *   A  admin   S  supervisor   O  office   V  viewer   (public: anyone) */
#define A ROLE_ADMIN
#define AO (ROLE_ADMIN | ROLE_OFFICE)
#define AS (ROLE_ADMIN | ROLE_SUPERVISOR)
#define AOS (ROLE_ADMIN | ROLE_OFFICE | ROLE_SUPERVISOR)
#define ALL ROLES_ALL
#define SLOW (1 << 8) /* no role has this bit */
#define EXCLUSIVE (1 << 9) /* nor this: a write whose cost grows with its input,
			    * run on the pool with the writer lent to it */
static const struct {
	const char *name;
	dispatch_handler fn;
	int roles; /* role bits, and SLOW */
} table[] = {
	{"server.info", info_server, ALL},
	{"session.auth", session_auth, ALL},
	{"session.whoami", session_whoami, ALL},
	{"account.create", account_create, A},
	{"account.update", account_update, A},
	{"account.get", account_get, A},
	{"account.list", account_list, A},
	{"token.create", token_create, A},
	{"token.rotate", token_rotate, A},
	{"token.revoke", token_revoke, A},
	{"token.list", token_list, A},
	{"audit.list", audit_list, A},
	{"audit.verify", audit_verify, A | SLOW}, /* hashes the whole trail */
	{"unit.create", unit_create, A},
	{"unit.rename", unit_rename, A},
	{"unit.move", unit_move, A},
	{"unit.close", unit_close, A},
	{"unit.get", unit_get, ALL},
	{"unit.list", unit_list, ALL | SLOW}, /* not paged: the whole tree in scope */
	{"cadre.create", cadre_create, AO},
	{"cadre.update", cadre_update, AO},
	{"cadre.transfer", cadre_transfer, AO},
	{"cadre.get", cadre_get, ALL},
	{"cadre.list", cadre_list, ALL},
	{"term.create", term_create, A},
	{"term.get", term_get, ALL},
	{"term.list", term_list, ALL},
	{"task.create", task_create, AO},
	{"task.update", task_update, AO},
	{"task.get", task_get, ALL},
	{"task.list", task_list, ALL},
	{"task.history", task_history, ALL},
	/* the workflow (workflow.c): AS transitions are the focal point's or
	 * the managing body's, AO ones the office's */
	{"task.review", task_review, AS},
	{"task.return", task_return, AS},
	{"task.resubmit", task_resubmit, AO},
	{"task.assign", task_assign, AS},
	{"task.start", task_start, AO},
	{"task.report_done", task_report_done, AO},
	{"task.accept", task_accept, AS},
	{"task.send_back", task_send_back, AS},
	{"task.cancel", task_cancel, AS},
	{"task.carry_over", task_carry_over, AS},
	{"update.create", update_create, AO},
	{"update.list", update_list, ALL},
	{"plan.add", plan_add, AO},
	{"plan.update", plan_update, AO},
	{"plan.remove", plan_remove, AO},
	{"plan.list", plan_list, ALL},
	/* reminders (reminder.c): the focal point or managing body sends, the
	 * office answers */
	{"task.set_focal_point", task_set_focal_point, AS},
	{"reminder.send", reminder_send, AS},
	{"reminder.answer", reminder_answer, AO},
	{"reminder.list", reminder_list, ALL},
	{"reminder.inbox", reminder_inbox, ALL},
	{"amendment.propose", amendment_propose, AO},
	{"amendment.approve", amendment_approve, AS},
	{"amendment.reject", amendment_reject, AS},
	{"amendment.list", amendment_list, ALL},
	/* the supervisor's records (appraisal.c, explanation.c, inspection.c,
	 * followup.c): the supervisor's side appraises, asks, inspects and
	 * checks; the office answers and does the required actions */
	{"update.accept", update_accept, AS},
	{"update.return", update_return, AS},
	{"explanation.request", explanation_request, AS},
	{"explanation.answer", explanation_answer, AO},
	{"explanation.list", explanation_list, ALL},
	{"inspection.record", inspection_record, AS},
	{"inspection.list", inspection_list, ALL},
	{"inspection.action_done", inspection_action_done, AOS},
	{"inspection.actions", inspection_actions, ALL},
	{"followup.schedule", followup_schedule, AS},
	{"followup.record", followup_record, AS},
	{"followup.list", followup_list, ALL},
	/* status, health and the board (board.c) */
	{"board.get", board_get, ALL | SLOW},
	{"cadre.record", cadre_record, ALL | SLOW},
	/* evidence files (file.c): the office attaches, everyone in scope reads */
	{"file.upload_begin", file_upload_begin, AO},
	{"file.upload_chunk", file_upload_chunk, AO},
	{"file.upload_finish", file_upload_finish, AO | EXCLUSIVE}, /* hashes up to 50 MiB */
	{"file.upload_abort", file_upload_abort, AO},
	{"file.list", file_list, ALL},
	{"file.get", file_get, ALL},
	{"file.read", file_read, ALL},
	{"file.withdraw", file_withdraw, A}, /* erases a file sent by mistake */
	/* backups (backup.c): the central office's alone */
	{"backup.create", backup_create, A | SLOW},
	{"backup.read", backup_read, A},
	{"backup.drop", backup_drop, A},
	/* the throttle of failed sign-ins (throttle.c): its state is the
	 * loop's, so these must never be SLOW (run on the thread pool) */
	{"throttle.list", throttle_list, A},
	{"throttle.clear", throttle_clear, A},
	/* search (search.c): every role, within its scope */
	{"search.query", search_query, ALL | SLOW},
	/* import and export (import.c): each row of an import is also checked
	 * against the roles of the method it goes through (unit.create...) */
	{"import.run", import_run, AO | EXCLUSIVE},
	{"export.rows", export_rows, ALL | SLOW},
	/* reports (report.c, report_compare.c) */
	{"report.get", report_get, ALL | SLOW},
	{"report.snapshot", report_snapshot, AS | EXCLUSIVE}, /* a whole report */
	{"report.snapshots", report_snapshots, ALL},
	{"report.compare", report_compare, ALL | SLOW},
};
#undef A
#undef AO
#undef AS
#undef AOS
#undef ALL

#define TABLE_SIZE (sizeof(table) / sizeof(table[0]))

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

const char *dispatch_check_table(void)
{
	for (const struct method_info *m = methods_catalogue; m->name; m++) {
		size_t i;

		for (i = 0; i < TABLE_SIZE; i++)
			if (strcmp(table[i].name, m->name) == 0)
				break;
		if (i == TABLE_SIZE)
			return m->name;
	}
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (!methods_find(table[i].name, strlen(table[i].name)))
			return table[i].name;
	return NULL;
}

static int find_entry(const char *name)
{
	for (size_t i = 0; i < TABLE_SIZE; i++)
		if (strcmp(table[i].name, name) == 0)
			return (int)i;
	return -1;
}

static const char *const role_names[] = {"admin", "supervisor", "office", "viewer"};

int dispatch_role(const char *name)
{
	for (int i = 0; i < 4; i++)
		if (strcmp(name, role_names[i]) == 0)
			return 1 << i;
	return 0;
}

const char *dispatch_role_name(int role)
{
	for (int i = 0; i < 4; i++)
		if (role == 1 << i)
			return role_names[i];
	return "nobody";
}

int dispatch_method_roles(const char *name)
{
	int i = find_entry(name);

	return i < 0 ? 0 : table[i].roles & ROLES_ALL;
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
	who->role = dispatch_role(row.role);
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

/* Methods whose result carries a secret (a new token): their stored
 * outcome for a request_id is an empty marker, never the result, so the
 * secret exists only in the one reply.  A retry answers a conflict that
 * says how to recover instead of applying the request again. */
static bool result_is_secret(const char *method)
{
	return strcmp(method, "token.create") == 0 || strcmp(method, "token.rotate") == 0;
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

/* session.auth is a read, but records when its token was last used: it
 * runs on the writer, in a transaction of its own. */
static bool writes_though_read(const struct method_info *info)
{
	return strcmp(info->name, "session.auth") == 0;
}

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
		int entry, uint32_t msgid, const msgpack_object *params, msgpack_sbuffer *out,
		struct dispatch_turn *turn)
{
	dispatch_handler fn = table[entry].fn;
	bool write = info->flags & METHOD_WRITE;
	bool grouped = r->group && write;
	struct db *db = write || writes_though_read(info) ? r->writer : r->reader;
	struct rpc_error err = {0};
	struct text rid;
	msgpack_sbuffer result;
	msgpack_packer pk;
	struct call c;
	struct audit_pending ap;
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
	if (!(info->flags & METHOD_PUBLIC) && !(table[entry].roles & who->role)) {
		rc = errors_set(&err, RPC_FORBIDDEN, "%s: not allowed for the role %s", info->name,
				dispatch_role_name(who->role));
		goto done;
	}
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
		} else if (found > 0 && len == 0 && result_is_secret(info->name)) {
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
	if (rc == RPC_OK && write && rid.s)
		rc = db_request_store(db, who->account_id, rid, info->name, result.data,
				      result_is_secret(info->name) ? 0 : result.size, c.now, &err);
	rc = finish(r, grouped, db, rc == RPC_OK, rc, &err);
reply:
	mark_pending(r, grouped, turn, out, msgid);
	if (rc == RPC_OK)
		reply_result(out, msgid, result.data, result.size);
	else
		reply_failure(out, info, msgid, &err);
	msgpack_sbuffer_destroy(&result);
	return;
done:
	finish(r, grouped, db, false, rc, &err);
	mark_pending(r, grouped, turn, out, msgid);
	reply_failure(out, info, msgid, &err);
}

/* A connection past the limit is kept only for an admin: it may learn the
 * server and sign in, and do more once signed in as one. */
static bool refused(const struct identity *who, const struct method_info *info)
{
	return who->reserve && who->role != ROLE_ADMIN && strcmp(info->name, "server.info") != 0 &&
	       strcmp(info->name, "session.auth") != 0;
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
	int entry = -1;
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
	if (info)
		entry = find_entry(info->name);
	if (rc == RPC_OK && entry >= 0) {
		/* The writer is on the pool (an import): what would write
		 * waits for it; a caller not signed in is answered without it. */
		if (turn->writer_lent && (who->account_id != 0 || (info->flags & METHOD_PUBLIC)) &&
		    (info->flags & METHOD_WRITE || writes_though_read(info)))
			return DISPATCH_WAIT;
		/* A long read (or write) goes to the thread pool, which runs
		 * it (and counts it) through dispatch_message; not a reserve
		 * connection's, nor a caller's who has not signed in or whose
		 * role may not call it: nothing costs a job, a copy of the
		 * request and a worker's time before the checks that refuse
		 * it (answered below and in run()). */
		if (turn->may_offload && (table[entry].roles & (SLOW | EXCLUSIVE)) &&
		    !refused(who, info) && who->account_id != 0 && (table[entry].roles & who->role))
			return table[entry].roles & SLOW ? DISPATCH_SLOW : DISPATCH_EXCLUSIVE;
	}
	stats.requests++;
	/* Which error wins (PROTOCOL.md 2): a caller not signed in learns
	 * nothing else, not even which methods exist. */
	if (who->account_id == 0 && (entry < 0 || !(info->flags & METHOD_PUBLIC))) {
		errors_set(&err, RPC_UNAUTHENTICATED, "sign in first (session.auth with a token)");
		reply_error(out, m.msgid, &err);
		return DISPATCH_REPLIED;
	}
	if (rc != RPC_OK) {
		reply_error(out, m.msgid, &err);
		return DISPATCH_REPLIED;
	}
	if (entry < 0) {
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
	run(r, who, info, entry, m.msgid, m.params, out, turn);
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

void dispatch_params(struct call *c, struct params *p)
{
	params_init(p, c->params, c->err);
	params_skip(p, "request_id");
}
