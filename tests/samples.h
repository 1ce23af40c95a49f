/*
 * samples.h: one valid call of every method of the table (methods.def), for
 * the two walks over the whole catalogue: the audit walk (test_audit.c,
 * every write leaves exactly one entry, through the dispatcher in process)
 * and the permission matrix (test_permissions.c, every method by every
 * role, in scope and out, against a running dotphad).  A new method needs
 * one row in samples[] (samples.c); both walks fail, naming it, without.
 *
 * A sample is the method's params as a field list (world.h's FIELDS) whose
 * values may be placeholders, resolved for each call against the side of
 * the walk's tree being called: names the walk gives (struct samples_side),
 * or objects made fresh for the call through the walk's stager.
 *
 *   $province $district $commune $cadre $term $later_term $account
 *   $focal $secret $task      the side's names, as struct samples_side
 *   $fresh:P                  a code no call used before: P and a number
 *   $new_commune, $new_cadre  a new commune under $district, a new cadre
 *                             posted in it
 *   $token                    a new token of $account
 *   $task:STATE               a new task of $own_cadre assigned by
 *                             $district, walked to STATE (world_path())
 *   $step, $reminder, $explanation   a new one on $task
 *   $update, $amendment, $action     a new progress update, pending
 *                             amendment, inspection's required action on a
 *                             new assigned task
 *   $followup                 a follow-up check of a new accepted task
 *   $upload, $upload:sent     an open upload of "abc" on a new assigned
 *                             task, made by the caller (SAMPLES_BY_CALLER);
 *                             :sent with its three bytes sent
 *   $file                     a file of "abc" on a new assigned task
 *   $backup                   a backup copy (the one made before is dropped)
 *   $snapshot                 a snapshot of $district in $term, taken in
 *                             the side's scope (SAMPLES_BY_SCOPE)
 *   $cadre_row                a CSV row of a cadre posted in $commune
 *
 * Objects are made by the walk's admin unless the placeholder says
 * otherwise.  Everything here is test-only: failures are Criterion
 * assertions.
 */
#ifndef DOTPHA_TESTS_SAMPLES_H
#define DOTPHA_TESTS_SAMPLES_H

#include <stdint.h>

#include <msgpack.h>

/* The most fields (key and value pairs) of one sample. */
#define SAMPLE_PAIRS 8

/* One row: a method and its params, placeholders unresolved. */
struct sample {
	const char *method;
	const char *f[2 * SAMPLE_PAIRS + 1];  /* a field list, NULL-terminated */
};

/* The names of one side of a walk's tree: the side a sample is called on. */
struct samples_side {
	const char *province;    /* the root unit */
	const char *district;    /* a district of the side */
	const char *commune;     /* a commune under district */
	const char *cadre;       /* a cadre posted in district, managed by province */
	const char *own_cadre;   /* a cadre posted in district, managed by district (whose
				  * tasks district assigns) */
	const char *term;        /* the term tasks are registered in */
	const char *later_term;  /* a term after it (task.carry_over) */
	const char *account;     /* an account the account.* and token.* samples change */
	const char *focal;       /* the login of a focal point for district's tasks */
	const char *secret;      /* the caller's token (session.auth); NULL: none */
	int64_t task;            /* a task in district, not yet reported done */
};

/* Who makes an object a sample needs. */
enum samples_by {
	SAMPLES_BY_ADMIN,   /* the walk's admin over the whole tree */
	SAMPLES_BY_CALLER,  /* the sample's caller when its role may call the method on the
			     * side, else the admin (an upload is its sender's alone) */
	SAMPLES_BY_SCOPE,   /* an account scoped to the side whose role may call the
			     * method, else the admin (a snapshot is seen in its taker's
			     * scope) */
};

/* A walk: the side being called, and how the walk makes objects. */
struct samples_walk {
	struct samples_side side;
	/* Calls method with the field list f as `by` says; returns its result,
	 * valid until the next call of stage, or NULL with the error's
	 * message in w->why. */
	const msgpack_object *(*stage)(struct samples_walk *w, enum samples_by by,
				       const char *method, const char *const *f);
	void *ctx;       /* the walk's own */
	char why[512];   /* stage's last error */
};

/* One call made ready: the field list and the values it points to. */
struct sample_call {
	const char *f[2 * SAMPLE_PAIRS + 1];  /* for world_request() or world_remote() */
	char v[SAMPLE_PAIRS][160];            /* the resolved placeholders */
};

/* The sample of method, or NULL. */
const struct sample *samples_find(const char *method);

/* The sample of method; asserts it has one, naming the method and where
 * to add the row. */
const struct sample *samples_of(const char *method);

/* The method of the first row that is not in the catalogue or is there
 * twice, or NULL when every row is right. */
const char *samples_check(void);

/* Resolves s's placeholders for one call on w's side into *c, making the
 * objects they name through w->stage. */
void samples_prepare(const struct sample *s, struct samples_walk *w, struct sample_call *c);

#endif
