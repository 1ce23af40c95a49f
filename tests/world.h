/*
 * world.h: a world for dispatcher tests: a fresh temporary database per test
 * with the province TINH, districts H1/H2, cadres, terms and an account of
 * every role; helpers to call methods as any of them and read replies.
 *
 * A suite uses it with
 *   TestSuite(name, .init = world_setup, .fini = world_teardown, ...);
 * and calls make_world() in the tests that need the province. Everything
 * here is test-only: failures are Criterion assertions, so the helpers
 * return only good values.
 */
#ifndef DOTPHA_TESTS_WORLD_H
#define DOTPHA_TESTS_WORLD_H

#include <criterion/criterion.h>

#include <stdbool.h>
#include <stdint.h>

#include "db.h"
#include "dispatch.h"
#include "peer.h"

/* ---- the fixture ---- */

/* The test's database, open between world_setup() and world_teardown(). */
extern struct db *world_db;

/* The last error reply of world_request() (code RPC_OK after a success). */
extern struct rpc_error world_last;

/* The callers: admin is made by world_setup(), the others by make_world()
 * (office1 and viewer1 of H1, office2 of H2, supervisors of H1 and TINH). */
extern struct identity admin, office1, office2, viewer1, sup_h1, sup_tinh;

/* The ids make_world() created: units TINH, H1, H2 and terms T1, T2. */
struct world_ids {
	int64_t tinh, h1, h2, t1, t2;
};
extern struct world_ids world_ids;

/* Gives `who` a fresh token of account `account` (login, role) so it can
 * call methods; `mark` makes the token's hash unique among the callers. */
void world_identity_for(struct identity *who, int64_t account, const char *login, int role,
			unsigned char mark);

/* Criterion .init: opens a new database in a fresh temporary directory
 * and creates the admin account (identity `admin`). */
void world_setup(void);

/* Criterion .fini: frees the kept replies, closes the database and removes
 * its files and directory. */
void world_teardown(void);

/* Removes a database's files (the file, its -wal, -shm and .admin-token),
 * for a test that opened a second one in world_dir(). */
void world_remove_db(const char *db_path);

/* ---- requests and replies ---- */

/* A field list for world_request() and friends: pairs of a typed key
 * ("s:key" string, "i:key" integer in decimal, "b:key" boolean, "1" true,
 * "x:key" binary written in hex, "a:key" inspection actions
 * "what@date;what@date", "l:key" a list of strings "a,b,c", "" the empty
 * list, "r:key" import.run's rows "a,b;c,d", lines 2, 3...) and a value,
 * ended by NULL. */
#define FIELDS(...) ((const char *const[]){__VA_ARGS__})

/* Packs the field list f (NULL: no fields) as a params map. */
void world_pack_fields(msgpack_packer *pk, const char *const *f);
/* A call as `who` (or as admin) that must succeed; its result. */
#define OK_AS(who, method, ...) ok_as((who), (method), FIELDS(__VA_ARGS__))
#define OK(method, ...) ok_as(&admin, (method), FIELDS(__VA_ARGS__))
/* A call as `who` (or as admin) expected to fail; its error code. */
#define FAILS_AS(who, method, ...) fails_as((who), (method), FIELDS(__VA_ARGS__))
#define FAILS(method, ...) fails_as(&admin, (method), FIELDS(__VA_ARGS__))

/* A decimal id as a field value, in one of 32 rotating buffers. */
const char *num(int64_t v);

/* Takes over sb (the caller must not destroy it) and decodes the one value
 * it holds; both are kept until teardown, so the object stays valid. */
const msgpack_object *world_keep(msgpack_sbuffer *sb);

/* Sends one request as `who` through the dispatcher, its params map packed
 * by the caller (params[0..len), not kept); returns the result (kept until
 * teardown), or NULL with the error in world_last.  For a suite with a
 * packer of its own; the others use world_request(). */
const msgpack_object *world_call(struct identity *who, const char *method, const char *params,
				 size_t len);

/* Sends one request as `who` through the dispatcher; returns the result
 * (kept until teardown), or NULL with the error in world_last. */
const msgpack_object *world_request(struct identity *who, const char *method,
				    const char *const *f);

/* world_request() that must succeed; the result. */
const msgpack_object *ok_as(struct identity *who, const char *method, const char *const *f);

/* The error code of a call expected to fail (RPC_OK if it did not). */
int fails_as(struct identity *who, const char *method, const char *const *f);

/* ---- reading results ---- */

/* Field `key` of map o, which must be there. */
const msgpack_object *field(const msgpack_object *o, const char *key);

/* Integer field `key` of o. */
int64_t I(const msgpack_object *o, const char *key);

/* A copy of string field `key` of o (rotating buffers); "(nil)" for nil. */
const char *S(const msgpack_object *o, const char *key);

/* Whether field `key` of o (which must be there) is nil. */
bool is_nil(const msgpack_object *o, const char *key);

/* Element i of a list reply's "items" (which must have it). */
const msgpack_object *item(const msgpack_object *list, uint32_t i);

/* The number of elements of a list reply's "items". */
uint32_t count_items(const msgpack_object *list);

/* Boolean field `key` of o, which must be a boolean. */
bool flag(const msgpack_object *o, const char *key);

/* The local date `offset` days from today (rotating buffers). */
const char *day(long offset);

/* ---- the workflow's paths ---- */

/* The valid params of task.<action> on task id, a field list into f[12]
 * (carry_over names the term T2; values in num()'s buffers). */
void world_action_fields(const char *action, int64_t id, const char *f[12]);

/* The actions that walk a registered task to `state`, NULL-terminated; NULL
 * when no path leads there. */
const char *const *world_path(const char *state);

/* ---- the same params to a running daemon (peer.h) ---- */

/* A call over p with the params of f; the reply into *r, which the caller
 * frees with peer_result_free().  Asserts that a reply to it came; returns
 * its code (RPC_OK, or the error's). */
int world_remote(struct peer *p, const char *method, const char *const *f, struct peer_result *r);

/* world_remote() that must succeed; the result's "id", -1 when it has none. */
int64_t world_remote_ok(struct peer *p, const char *method, const char *const *f);

#define REMOTE(p, r, method, ...) world_remote((p), (method), FIELDS(__VA_ARGS__), (r))
#define REMOTE_OK(p, method, ...) world_remote_ok((p), (method), FIELDS(__VA_ARGS__))

/* ---- a small province ---- */

/* A suite that builds a province of its own (test_audit.c) defines
 * WORLD_OWN_PROVINCE before including this file: these names are then its. */
#ifndef WORLD_OWN_PROVINCE

/* TINH (province) with districts H1 and H2; cadre C1 in H1 and C2 in H2,
 * both managed by TINH; terms T1 (2021-2025) and T2 (2026-2030); an office
 * and a viewer of H1, an office of H2, supervisors of H1 and of TINH; their
 * ids in world_ids. */
void make_world(void);

/* Cadres the districts manage themselves: D1 in H1 managed by H1, D2 in
 * H2 managed by H2, whose tasks a district may assign (a task's assigning
 * body is its cadre's managing unit or above: C1 and C2 are TINH's). */
void make_district_cadres(void);

/* A new registered task of C1 (unit H1) or C2 (H2) in T1, assigned by
 * `by` (a unit code; NULL: the default, the owner's managing unit TINH);
 * its id. */
int64_t new_task_of(const char *owner, const char *by);

/* new_task_of("C1", NULL). */
int64_t new_task(void);

/* task.get of task id as admin. */
const msgpack_object *get_task(int64_t id);

/* ---- the workflow's actions, with valid params ---- */

/* The note each action leaves in state_note ("(nil)" for none). */
const char *note_of(const char *action);

/* Calls task.<action> on task id as who with valid params; the result or
 * NULL (error in world_last). */
const msgpack_object *act(struct identity *who, const char *action, int64_t id);

/* act() that must succeed; the result. */
const msgpack_object *act_ok(struct identity *who, const char *action, int64_t id);

/* Walks task id (registered) to `state` as admin. */
void drive(int64_t id, const char *state);

/* A new task (new_task()) walked to `state`; its id. */
int64_t task_in(const char *state);

#endif /* WORLD_OWN_PROVINCE */

/* ---- the audit ---- */

/* The number of audit entries, all (audit.list's total). */
int64_t audit_total(void);

/* The number of audit entries of task id. */
int64_t audit_of_task(int64_t id);

/* The newest audit entry of task id (there must be one). */
const msgpack_object *audit_newest(int64_t id);

/* ---- the file ---- */

/* The path of the test's database file, for a second connection that
 * works behind the daemon's back. */
const char *world_db_path(void);

/* The test's temporary directory (the database's), for files of its own;
 * world_teardown() removes it, so it must be empty by then. */
const char *world_dir(void);

#endif
