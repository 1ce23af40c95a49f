/*
 * rpc.c: see rpc.h.
 *
 * One call runs attempts until one is conclusive:
 *
 *   attempt(): connect if needed -> [server.info check, session.auth]
 *              -> send -> read
 *
 * An attempt ends OK, REMOTE, MISMATCH or LOCAL, which rpc_call() returns at
 * once; or TRANSPORT, which rpc_call() retries (closing the connection,
 * pausing, reconnecting) while `retries` allow and the failure may be
 * passing: a connection that dropped or stalled after this process had
 * connected once.  A refused first connection, an unknown host or a garbled
 * stream are not retried.
 */
#include "rpc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lang.h"
#include "message.h"
#include "methods.h"
#include "obj.h"
#include "pack.h"
#include "sys.h"

/* How an attempt failed, for the retry decision. */
struct failure {
	bool retryable; /* the same request may succeed on a new connection */
	bool sent;      /* the request's bytes were handed to the network */
	int kind;       /* enum rpc_failure */
};

void rpc_init(struct rpc *r, const char *host, const char *port, unsigned timeout_ms)
{
	struct frame_limits lim = {RPC_MAX_MESSAGE, FRAME_DEFAULT_MAX_DEPTH};

	memset(r, 0, sizeof(*r));
	snprintf(r->host, sizeof(r->host), "%s", host);
	snprintf(r->port, sizeof(r->port), "%s", port);
	if (strchr(host, ':'))
		snprintf(r->where, sizeof(r->where), "[%s]:%s", host, port);
	else
		snprintf(r->where, sizeof(r->where), "%s:%s", host, port);
	r->timeout_ms = timeout_ms;
	r->retries = 2;
	r->retry_delay_ms = 1000;
	r->net.fd = -1;
	r->next_msgid = 1;
	r->server_protocol = -1;
	frame_init(&r->frame, &lim);
	msgpack_sbuffer_init(&r->req);
}

static void disconnect(struct rpc *r)
{
	struct frame_limits lim = r->frame.lim;

	tls_client_free(r->tlsc);
	r->tlsc = NULL;
	net_close(&r->net);
	frame_free(&r->frame);
	frame_init(&r->frame, &lim);
	r->checked = false;
	r->signed_in = false;
}

void rpc_close(struct rpc *r)
{
	tls_client_free(r->tlsc);
	r->tlsc = NULL;
	net_close(&r->net);
	frame_free(&r->frame);
	if (r->req.data)
		sys_wipe(r->req.data, r->req.alloc); /* a session.auth holds a token */
	msgpack_sbuffer_destroy(&r->req);
	msgpack_sbuffer_init(&r->req);
}

int rpc_confirm_pin(struct rpc *r)
{
	if (!r->fingerprint[0])
		return -1;
	memcpy(r->confirmed, r->fingerprint, sizeof(r->confirmed));
	r->tls.pin = r->confirmed;
	r->tls.tofu = false;
	return 0;
}

/* True while the server's certificate is taken on trust (first contact,
 * not yet confirmed): see rpc_confirm_pin(). */
static bool unconfirmed(const struct rpc *r)
{
	return r->use_tls && r->tls.tofu && !r->tls.ca_file && !r->tls.pin;
}

int rpc_random_hex(char *out, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char b[64];

	if (n > sizeof(b) || sys_random(b, n) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = '\0';
	return 0;
}

int rpc_request_id(char *out)
{
	static const char hex[] = "0123456789abcdef";
	uint64_t ms = sys_now_ms();

	if (!ms)
		return -1;
	for (int i = 0; i < RPC_REQUEST_ID_TIME; i++)
		out[i] = hex[(ms >> (4 * (RPC_REQUEST_ID_TIME - 1 - i))) & 15];
	return rpc_random_hex(out + RPC_REQUEST_ID_TIME,
			      (RPC_REQUEST_ID_LEN - RPC_REQUEST_ID_TIME) / 2);
}

static int transport(struct rpc_error *err, struct failure *f, int kind, bool retryable,
		     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Records a transport failure; returns RPC_STATUS_TRANSPORT. */
static int transport(struct rpc_error *err, struct failure *f, int kind, bool retryable,
		     const char *fmt, ...)
{
	va_list ap;

	f->kind = kind;
	f->retryable = retryable;
	err->code = RPC_INTERNAL;
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	return RPC_STATUS_TRANSPORT;
}

static int send_bytes(struct rpc *r, const char *p, size_t n, struct rpc_error *err,
		      struct failure *f)
{
	char msg[160];
	int st = r->tlsc ? tls_client_send_all(r->tlsc, &r->net, p, n, r->timeout_ms, msg, sizeof(msg))
			 : net_send_all(&r->net, p, n, r->timeout_ms, msg, sizeof(msg));

	f->sent = true; /* even a partial send may have reached the server */
	r->writes++;
	if (st != NET_OK)
		return transport(err, f, st == NET_TIMEOUT ? RPC_FAIL_TIMEOUT : RPC_FAIL_LOST, true,
				 T("connection to %s lost while sending: %s"), r->where, msg);
	return RPC_STATUS_OK;
}

/* Reads messages until the response to msgid.  On OK, *result points into
 * r->frame. */
static int read_response(struct rpc *r, uint32_t msgid, const msgpack_object **result,
			 struct rpc_error *err, struct failure *f)
{
	for (;;) {
		const msgpack_object *o;
		struct message m;
		struct rpc_error perr;
		char msg[160], *space;
		size_t cap;
		long got;
		int rc = frame_next(&r->frame, &o, &perr);

		if (rc == FRAME_ERROR)
			return transport(err, f, RPC_FAIL_GARBLED, false,
					 T("the server at %s sent a malformed message: %s"),
					 r->where, perr.message);
		if (rc == FRAME_NEED_MORE) {
			frame_space(&r->frame, &space, &cap);
			if (cap == 0) {
				errors_set(err, RPC_INTERNAL, T("out of memory receiving from %s"), r->where);
				return RPC_STATUS_LOCAL;
			}
			got = r->tlsc ? tls_client_recv(r->tlsc, &r->net, space, cap, r->timeout_ms, msg,
							sizeof(msg))
				      : net_recv(&r->net, space, cap, r->timeout_ms, msg, sizeof(msg));
			if (got == NET_TIMEOUT)
				return transport(err, f, RPC_FAIL_TIMEOUT, true, T("the server at %s: %s"),
						 r->where, msg);
			if (got == TLS_CLIENT_FAILED) {
				snprintf(r->tls_detail, sizeof(r->tls_detail), "%s: %s", r->where, msg);
				return transport(err, f, RPC_FAIL_TLS, false, "%s: %s", r->where, msg);
			}
			if (got < 0)
				return transport(err, f, RPC_FAIL_LOST, true, T("connection to %s lost: %s"),
						 r->where, msg);
			frame_commit(&r->frame, (size_t)got);
			continue;
		}
		if (message_parse(o, &m, &perr) != RPC_OK || m.type != MESSAGE_RESPONSE)
			return transport(err, f, RPC_FAIL_GARBLED, false,
					 T("the server at %s sent something that is not a response"),
					 r->where);
		if (m.msgid != msgid && !(m.msgid == 0 && m.error->type != MSGPACK_OBJECT_NIL))
			return transport(err, f, RPC_FAIL_GARBLED, false,
					 T("the server at %s answered a request this dotpha did not send"),
					 r->where);
		if (m.error->type != MSGPACK_OBJECT_NIL) {
			errors_unpack(m.error, err);
			/* A stream-level refusal before anything was understood: a
			 * TLS-only server met a plaintext client. */
			if (m.msgid == 0 && err->code == RPC_PROTOCOL_ERROR && !r->tlsc) {
				char said[sizeof(err->message)];

				memcpy(said, err->message, sizeof(said));
				return transport(err, f, RPC_FAIL_TLS, false, T("the server at %s: %s"),
						 r->where, said);
			}
			obj_cstr(obj_get(m.error, "name"), r->error_name, sizeof(r->error_name));
			if (!r->error_name[0])
				snprintf(r->error_name, sizeof(r->error_name), "%s", errors_name(err->code));
			return RPC_STATUS_REMOTE;
		}
		*result = m.result;
		return RPC_STATUS_OK;
	}
}

/* Checks a server.info result against the protocol this client speaks. */
static int check_info(struct rpc *r, const msgpack_object *info, struct rpc_error *err)
{
	int64_t proto = -1;

	obj_cstr(obj_get(info, "version"), r->server_version, sizeof(r->server_version));
	if (!obj_int(obj_get(info, "protocol"), &proto)) {
		errors_set(err, RPC_INTERNAL,
			   T("the server at %s did not say which protocol it speaks; is it a dotphad?"),
			   r->where);
		return RPC_STATUS_MISMATCH;
	}
	r->server_protocol = proto;
	if (proto != PROTOCOL_VERSION) {
		errors_set(err, RPC_INTERNAL,
			   T("this dotpha speaks protocol %d but the server at %s speaks %lld; "
			   "install a matching dotpha"), PROTOCOL_VERSION, r->where, (long long)proto);
		return RPC_STATUS_MISMATCH;
	}
	r->checked = true;
	return RPC_STATUS_OK;
}

static void pack_info_request(msgpack_sbuffer *sb, uint32_t msgid)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	message_pack_request_head(&pk, msgid, "server.info");
	msgpack_pack_map(&pk, 0);
}

static void pack_auth_request(msgpack_sbuffer *sb, uint32_t msgid, const char *token,
			      bool waiting)
{
	msgpack_packer pk;

	msgpack_packer_init(&pk, sb, msgpack_sbuffer_write);
	message_pack_request_head(&pk, msgid, "session.auth");
	msgpack_pack_map(&pk, waiting ? 2 : 1);
	pack_kv_str(&pk, "token", token);
	if (waiting)
		pack_kv_bool(&pk, "waiting", true);
}

/* Keeps the counts of a sign-in's "waiting" (they die with the next
 * message read); a result without them leaves w->known false. */
static void keep_waiting(struct rpc_waiting *w, const msgpack_object *res)
{
	const msgpack_object *m = obj_get(res, "waiting");

	memset(w, 0, sizeof(*w));
	if (!m || m->type != MSGPACK_OBJECT_MAP)
		return;
	w->known = true;
	obj_int(obj_get(m, "reminders"), &w->reminders);
	obj_int(obj_get(m, "reminders_overdue"), &w->reminders_overdue);
	obj_int(obj_get(m, "explanations"), &w->explanations);
	obj_int(obj_get(m, "actions"), &w->actions);
	obj_int(obj_get(m, "appraisals"), &w->appraisals);
	obj_int(obj_get(m, "sent_overdue"), &w->sent_overdue);
}

/* Reads the answer to the session.auth asked as auth_id. */
static int read_auth(struct rpc *r, uint32_t auth_id, struct rpc_error *err, struct failure *f)
{
	const msgpack_object *res = NULL;
	int st = read_response(r, auth_id, &res, err, f);

	if (st == RPC_STATUS_REMOTE && err->code == RPC_UNKNOWN_METHOD) {
		/* A server without accounts: nothing to sign in to. */
		r->error_name[0] = '\0';
		memset(err, 0, sizeof(*err));
		st = RPC_STATUS_OK;
	} else if (st == RPC_STATUS_REMOTE) {
		r->auth_failed = true;
	}
	if (st == RPC_STATUS_OK) {
		r->signed_in = true;
		if (r->want_waiting && res)
			keep_waiting(&r->waiting, res);
	}
	return st;
}

/* Sends what a new connection needs before the request in r->req: the
 * server.info check and the sign-in, followed in the same write by the
 * request itself unless it is a write.  Reads their answers; a write's
 * request is then sent on its own. */
static int prepare(struct rpc *r, bool need_info, bool need_auth, bool is_write,
		   struct rpc_error *err, struct failure *f)
{
	msgpack_sbuffer first;
	uint32_t info_id = 0, auth_id = 0;
	const msgpack_object *info;
	int st;

	msgpack_sbuffer_init(&first);
	if (need_info)
		pack_info_request(&first, info_id = r->next_msgid++);
	if (need_auth)
		pack_auth_request(&first, auth_id = r->next_msgid++, r->token, r->want_waiting);
	if (!is_write) /* pipelined: all in one write */
		msgpack_sbuffer_write(&first, r->req.data, r->req.size);
	if (!first.data) {
		msgpack_sbuffer_destroy(&first);
		errors_set(err, RPC_INTERNAL, T("out of memory"));
		return RPC_STATUS_LOCAL;
	}
	st = send_bytes(r, first.data, first.size, err, f);
	sys_wipe(first.data, first.size); /* it holds the token */
	msgpack_sbuffer_destroy(&first);
	f->sent = !is_write; /* a write's request has not gone out yet */
	if (st != RPC_STATUS_OK)
		return st;
	if (need_info) {
		st = read_response(r, info_id, &info, err, f);
		if (st == RPC_STATUS_OK)
			st = check_info(r, info, err);
		if (st != RPC_STATUS_OK)
			return st;
	}
	if (need_auth && (st = read_auth(r, auth_id, err, f)) != RPC_STATUS_OK)
		return st;
	if (is_write)
		return send_bytes(r, r->req.data, r->req.size, err, f);
	return RPC_STATUS_OK;
}

/* The TLS handshake and the server's verification on the new connection.
 * A certificate refused, or TLS on one side only, is not retried. */
static int start_tls(struct rpc *r, struct rpc_error *err, struct failure *f)
{
	char msg[700];
	int st = tls_client_start(&r->tlsc, &r->net, r->host, &r->tls, r->timeout_ms,
				  r->fingerprint, msg, sizeof(msg));

	if (st == NET_OK)
		return RPC_STATUS_OK;
	net_close(&r->net);
	if (st == NET_TIMEOUT)
		return transport(err, f, RPC_FAIL_TIMEOUT, r->ever_connected,
				 T("the server at %s: no answer to the TLS handshake: %s"), r->where, msg);
	if (st == NET_ERROR || st == NET_CLOSED)
		return transport(err, f, RPC_FAIL_CONNECT, r->ever_connected,
				 T("cannot connect to %s with TLS: %s"), r->where, msg);
	snprintf(r->tls_detail, sizeof(r->tls_detail), "%s: %s", r->where, msg);
	return transport(err, f, RPC_FAIL_TLS, false, "%s: %s", r->where, msg);
}

/* One try at the request in r->req (msgid), on the current connection or a
 * new one. */
static int attempt(struct rpc *r, uint32_t msgid, bool is_info, bool is_public, bool is_write,
		   const msgpack_object **result, struct rpc_error *err, struct failure *f)
{
	char msg[160];
	bool need_info, need_auth;
	int st;

	f->sent = false;
	f->retryable = false;
	if (r->net.fd < 0) {
		st = net_connect(&r->net, r->host, r->port, r->timeout_ms, msg, sizeof(msg));
		if (st == NET_RESOLVE)
			return transport(err, f, RPC_FAIL_RESOLVE, false,
					 T("cannot resolve the server name '%s': %s"), r->host, msg);
		if (st != NET_OK)
			return transport(err, f, RPC_FAIL_CONNECT, r->ever_connected,
					 T("cannot connect to %s: %s"), r->where, msg);
		if (r->use_tls && (st = start_tls(r, err, f)) != RPC_STATUS_OK)
			return st;
		r->ever_connected = true;
	}
	need_info = !r->checked && !is_info;
	need_auth = r->token && !r->signed_in && !is_public;
	if (need_info || need_auth)
		st = prepare(r, need_info, need_auth, is_write, err, f);
	else
		st = send_bytes(r, r->req.data, r->req.size, err, f);
	if (st != RPC_STATUS_OK)
		return st;
	st = read_response(r, msgid, result, err, f);
	if (st == RPC_STATUS_OK && is_info && !r->checked)
		st = check_info(r, *result, err);
	return st;
}

/* Packs [0, msgid, method, [{params..., request_id}]] into r->req. */
static int pack_request(struct rpc *r, uint32_t msgid, const char *method,
			const struct rpc_params *params, bool is_write, struct rpc_error *err)
{
	msgpack_packer pk;
	uint32_t count = params ? params->count : 0;

	if (is_write) {
		if (r->request_id)
			snprintf(r->sent_request_id, sizeof(r->sent_request_id), "%s", r->request_id);
		else if (rpc_request_id(r->sent_request_id) < 0) {
			errors_set(err, RPC_INTERNAL, T("cannot read random bytes for the request_id"));
			return RPC_STATUS_LOCAL;
		}
	}
	msgpack_sbuffer_clear(&r->req);
	msgpack_packer_init(&pk, &r->req, msgpack_sbuffer_write);
	message_pack_request_head(&pk, msgid, method);
	msgpack_pack_map(&pk, count + (is_write ? 1 : 0));
	if (params && params->pack)
		params->pack(&pk, params->ctx);
	if (is_write)
		pack_kv_str(&pk, "request_id", r->sent_request_id);
	if (!r->req.data) {
		errors_set(err, RPC_INTERNAL, T("out of memory"));
		return RPC_STATUS_LOCAL;
	}
	return RPC_STATUS_OK;
}

/* Errors that say nothing was done and a later try may succeed: retried
 * like a dropped connection (a write keeps its request_id, so a retry is
 * never applied twice). */
static bool transient(int code)
{
	return code == RPC_BUSY || code == RPC_UNAVAILABLE || code == RPC_TOO_MANY_CLIENTS ||
	       code == RPC_TIMEOUT;
}

int rpc_call(struct rpc *r, const char *method, const struct rpc_params *params,
	     const msgpack_object **result, struct rpc_error *err)
{
	const struct method_info *mi = methods_find(method, strlen(method));
	bool is_write = mi && (mi->flags & METHOD_WRITE);
	bool is_info = strcmp(method, "server.info") == 0;
	bool is_public = mi && (mi->flags & METHOD_PUBLIC);
	uint32_t msgid = r->next_msgid++;
	unsigned delay = r->retry_delay_ms;
	struct failure f;
	bool sent = false; /* some attempt handed the request to the network */
	int st;

	r->error_name[0] = '\0';
	r->unanswered = false;
	r->auth_failed = false;
	r->failure = RPC_FAIL_NONE;
	if (unconfirmed(r) && !is_info) {
		errors_set(err, RPC_INTERNAL, T("not calling %s: the certificate of %s is not confirmed "
			   "yet (first contact)"), method, r->where);
		return RPC_STATUS_LOCAL;
	}
	st = pack_request(r, msgid, method, params, is_write, err);
	if (st != RPC_STATUS_OK)
		return st;
	for (unsigned tries = 0;; tries++) {
		st = attempt(r, msgid, is_info, is_public, is_write, result, err, &f);
		sent = sent || f.sent;
		if (st == RPC_STATUS_OK)
			return st;
		if (st == RPC_STATUS_REMOTE) {
			/* The server closes the connection after these; after a
			 * failed sign-in, a pipelined request's answer is pending. */
			if (err->code == RPC_PROTOCOL_ERROR || err->code == RPC_TOO_LARGE ||
			    err->code == RPC_TOO_DEEP || err->code == RPC_TOO_MANY_CLIENTS ||
			    err->code == RPC_TIMEOUT ||
			    r->auth_failed)
				disconnect(r);
			/* A server older than session.auth's `waiting` refuses the
			 * field: sign in again without it (nothing of the request
			 * ran: a read's answer was unauthenticated, a write was
			 * not sent). */
			if (r->auth_failed && r->want_waiting && err->code == RPC_INVALID_ARGUMENT) {
				r->want_waiting = false;
				r->auth_failed = false;
				r->error_name[0] = '\0';
				tries--; /* not a retry: wraps, then the loop's ++ */
				continue;
			}
			if (!transient(err->code) || r->auth_failed || tries >= r->retries)
				return st;
		} else {
			disconnect(r);
			if (st != RPC_STATUS_TRANSPORT || !f.retryable || tries >= r->retries)
				break;
		}
		if (r->log)
			fprintf(r->log, T("dotpha: %s; retrying (%u of %u)\n"), err->message,
				tries + 1, r->retries);
		sys_sleep_ms(delay);
		delay *= 2;
	}
	if (st == RPC_STATUS_TRANSPORT)
		r->failure = f.kind;
	/* A write whose bytes went out may have been applied: say so. */
	if (st == RPC_STATUS_TRANSPORT && is_write && sent)
		r->unanswered = true;
	return st;
}
