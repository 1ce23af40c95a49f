/*
 * check.c: dotphad --check, the health of a database file without serving
 * it: SQLite's integrity check, the audit trail's hash chain (against the
 * anchors), the search index, and the modes of the files.
 */
#include "check.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "anchor.h"
#include "db.h"
#include "db_audit.h"
#include "db_search.h"
#include "storage.h"

/* --check's line on the search index (PROTOCOL.md 6h); 1 if it is out of
 * step with the tasks and updates. */
static int check_search(struct db *db)
{
	struct rpc_error err = {0};
	int64_t tasks, updates;

	if (db_search_check(db, &tasks, &updates, &err) != RPC_OK) {
		printf("search index: cannot check: %s\n", err.message);
		return 1;
	}
	if (tasks == 0 && updates == 0) {
		printf("search index: ok\n");
		return 0;
	}
	printf("search index: OUT OF STEP: %lld tasks, %lld updates\n", (long long)tasks,
	       (long long)updates);
	return 1;
}

static void print_mode_warning(void *arg, const char *line)
{
	(void)arg;
	printf("permissions: WARNING: %s\n", line);
}

int check_run(const char *path, const char *anchor_path)
{
	struct rpc_error err = {0};
	struct audit_verdict v;
	struct audit_anchor *anchors = NULL;
	size_t nanchors = 0;
	struct db *db;
	char why[512], integrity[512], hex[65];
	int bad = 0;

	if (access(path, F_OK) != 0) {
		fprintf(stderr, "dotphad: --check: %s: %s\n", path, strerror(errno));
		return 1;
	}
	if (anchor_path && anchor_read_file(anchor_path, &anchors, &nanchors, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --check --anchor %s\n", why);
		return 1;
	}
	if (db_open(&db, path, why, sizeof(why)) < 0) {
		fprintf(stderr, "dotphad: --check: %s\n", why);
		free(anchors);
		return 1;
	}
	printf("database: %s\n", path);
	printf("schema version: %d (this dotphad writes %d)\n", db_file_version(db),
	       db_schema_version());
	if (db_begin(db, false, &err) != RPC_OK) {
		printf("cannot read: %s\n", err.message);
		db_close(db);
		free(anchors);
		return 1;
	}
	if (db_audit_integrity(db, integrity, sizeof(integrity), &err) != RPC_OK) {
		printf("integrity: cannot check: %s\n", err.message);
		bad = 1;
	} else {
		printf("integrity: %s\n", integrity);
		bad |= strcmp(integrity, "ok") != 0;
	}
	bad |= check_search(db);
	if (anchor_path)
		printf("audit anchors: %zu in %s\n", nanchors, anchor_path);
	/* While open, so that the -wal and -shm exist to be looked at. */
	if (storage_check_modes(path, print_mode_warning, NULL) == 0)
		printf("permissions: ok, the service's alone\n");
	if (db_audit_verify(db, anchors, nanchors, &v, &err) != RPC_OK) {
		printf("audit trail: cannot check: %s\n", err.message);
		bad = 1;
	} else if (v.ok) {
		anchor_hex(v.head_hash, hex);
		printf("audit trail: ok, %lld entries; head: entry %lld, hash %s\n",
		       (long long)v.entries, (long long)v.head, hex);
		if (anchor_path)
			printf("audit anchors: all %zu agree\n", nanchors);
	} else if (v.first_broken) {
		printf("audit trail: BROKEN at entry %lld (of %lld): %s\n", (long long)v.first_broken,
		       (long long)v.entries, v.problem);
		bad = 1;
	} else {
		printf("audit trail: BROKEN (%lld entries): %s\n", (long long)v.entries, v.problem);
		bad = 1;
	}
	db_rollback(db);
	db_close(db);
	free(anchors);
	return bad;
}
