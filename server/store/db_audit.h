/*
 * db_audit.h: the audit trail (db_audit.c): appending hash-chained
 * entries, listing them, verifying the chain against its anchors.
 */
#ifndef DOTPHA_DB_AUDIT_H
#define DOTPHA_DB_AUDIT_H

#include "db.h"

/* Who made a change, as the trail records it.  Strings are borrowed; NULL
 * or "" is stored as NULL, account_id 0 as NULL. */
struct audit_actor {
	int64_t account_id;
	const char *login;       /* "(system)" for the daemon's own writes */
	const char *token_name;
	const char *address;
};

/* One change to append: the object before (packed by the caller with
 * db_audit_pack_object before the change; NULL for a create) and the
 * method that made it.  db_audit_record packs `after` itself. */
struct audit_change {
	const char *at;          /* moment, UTC: the request's time */
	const char *as_of;       /* date for the names inside packed objects */
	const char *method;      /* task.update, ... */
	const char *object_type; /* "task": a noun db_audit_pack_object knows */
	int64_t object_id;
	const char *before;      /* MessagePack map, or NULL */
	size_t before_len;
	const char *after;       /* NULL: the object as the database holds it now;
	                          * else, for an object outside the database (the
	                          * throttle), its MessagePack map as given, with
	                          * object_id 0 and no task or unit */
	size_t after_len;
};

/* What audit.list returns; 0/NULL means any. */
struct audit_filter {
	const char *since;   /* date: entries on or after it (UTC) */
	const char *until;   /* date: entries on or before it (UTC) */
	int64_t account;     /* made by this account */
	int64_t unit;        /* of objects of this unit's subtree */
	int64_t task;        /* belonging to this task */
};

/* A copy of the chain's head kept outside the database (anchor.h): the
 * entry `id` had hash `hash` when it was taken.  id 0: only the hash is
 * known (dotpha audit verify --anchor HASH). */
struct audit_anchor {
	int64_t id;                 /* the entry, or 0 */
	unsigned char hash[32];     /* its hash */
	char at[24];                /* when it was taken (UTC moment), or "" */
};

/* The outcome of walking the hash chain. */
struct audit_verdict {
	bool ok;              /* every entry checked out */
	int64_t entries;      /* entries walked */
	int64_t first_broken; /* id of the first bad entry, 0 when ok (or when
	                       * the only fault is an anchored hash no entry has) */
	char problem[320];    /* a sentence when not ok, else "" */
	int64_t head;         /* id of the newest entry, 0 on an empty trail */
	unsigned char head_hash[32]; /* its hash as stored (zeros when empty) */
	int64_t anchors;      /* anchors that agreed with the chain */
};

/* True when the trail knows how to find and pack objects of `noun`
 * (a noun of the method table; audit_check_table asks). */
bool db_audit_knows(const char *noun);

/* Resolves the reference `r` to an object of kind `noun`: "unit", "cadre",
 * "term", "account" by id or code (login); "task", "token", "update" by id
 * only.  not_found naming `field` if there is none. */
int db_audit_resolve(struct db *db, const char *noun, const char *field, const struct ref *r,
		     int64_t *id, struct rpc_error *err);

/* Packs object `id` of kind `noun` as the trail stores it: the same map
 * the read methods show (with detail for units, cadres and tasks), never a
 * secret.  not_found if there is no such object; internal for an unknown
 * noun. */
int db_audit_pack_object(struct db *db, const char *noun, int64_t id, const char *as_of,
			 msgpack_packer *pk, struct rpc_error *err);

/* Appends the entry for a change already made in the current write
 * transaction: packs the object's values after it, finds the task and unit
 * it belongs to, chains the hash.  On failure the caller must roll back. */
int db_audit_record(struct db *db, const struct audit_actor *by, const struct audit_change *ch,
		    struct rpc_error *err);

/* db_audit_record for the daemon's own writes (the first-start admin):
 * by "(system)", at `now`. */
int db_audit_system(struct db *db, const char *now, const char *method, const char *noun,
		    int64_t id, struct rpc_error *err);

/* Packs {items, next, total}: entries matching f, oldest first, one page. */
int db_audit_list(struct db *db, const struct audit_filter *f, const struct page *pg,
		  msgpack_packer *pk, struct rpc_error *err);

/* Packs {items, next, total}: a page of the entries of task `task` in
 * order (id > pg->after, at most pg->limit), each with the account's
 * display_name; next is the last id packed when more follow, else nil;
 * total counts all of the task's entries.  Unless whole (an admin asks),
 * token_name and address are nil. */
int db_audit_task(struct db *db, int64_t task, bool whole, const struct page *pg,
		  msgpack_packer *pk, struct rpc_error *err);

/* Walks the whole chain in id order, recomputing every hash, and holds it
 * to the anchors[0..n) (any order; n may be 0): the chain must have each
 * anchored entry, with exactly the anchored hash, and be intact up to its
 * head.  The first fault in id order is the verdict's: an entry that does
 * not check out, an anchored entry whose hash differs (the chain was
 * rebuilt), an anchored entry past the head (it was cut).  A hash-only
 * anchor is looked up; none with it is a fault too. */
int db_audit_verify(struct db *db, const struct audit_anchor *anchors, size_t n,
		    struct audit_verdict *v, struct rpc_error *err);

/* The id and hash of the newest entry: what an anchor keeps.  id 0 and
 * zero bytes on an empty trail. */
int db_audit_head(struct db *db, int64_t *id, unsigned char hash[32], struct rpc_error *err);

/* PRAGMA integrity_check for `dotphad --check`: "ok", or SQLite's first
 * complaint, into out. */
int db_audit_integrity(struct db *db, char *out, size_t len, struct rpc_error *err);

#endif
