/*
 * sqlite_commit.c: what SQLite alone can make durable on this machine, the
 * floor under every durable write of dotphad.  In a fresh WAL database with
 * synchronous=FULL (as dotphad opens its own), it inserts small rows for a
 * fixed time, first one COMMIT per row, then BATCH rows per COMMIT (what
 * group commit does with the requests of one loop iteration), and prints
 *   RESULT workload=sqlite.commit1 ... rps=R (rows/s)
 *   RESULT workload=sqlite.commitN batch=B ... rps=R (rows/s) txps=T
 *
 *   sqlite_commit DIR [SECONDS [BATCH]]   the database is made in DIR
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sqlite3.h>

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void check(sqlite3 *db, int rc, const char *what)
{
	if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
		fprintf(stderr, "sqlite_commit: %s: %s\n", what, sqlite3_errmsg(db));
		exit(1);
	}
}

static void exec(sqlite3 *db, const char *sql)
{
	check(db, sqlite3_exec(db, sql, NULL, NULL, NULL), sql);
}

/* Inserts rows, `batch` per transaction, for `seconds`; returns rows/s and
 * sets *txps to transactions/s. */
static double run(sqlite3 *db, sqlite3_stmt *ins, int batch, double seconds, double *txps)
{
	long rows = 0, txs = 0;
	double t0 = now_s(), t;
	do {
		exec(db, "BEGIN IMMEDIATE");
		for (int i = 0; i < batch; i++) {
			sqlite3_bind_int64(ins, 1, rows);
			sqlite3_bind_text(ins, 2, "Đã triển khai thêm một phần việc (bench)", -1,
					  SQLITE_STATIC);
			check(db, sqlite3_step(ins), "insert");
			sqlite3_reset(ins);
			rows++;
		}
		exec(db, "COMMIT");
		txs++;
		t = now_s();
	} while (t - t0 < seconds);
	*txps = (double)txs / (t - t0);
	return (double)rows / (t - t0);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: sqlite_commit DIR [SECONDS [BATCH]]\n", stderr);
		return 2;
	}
	double seconds = argc > 2 ? atof(argv[2]) : 3.0;
	int batch = argc > 3 ? atoi(argv[3]) : 64;
	char path[4096];
	snprintf(path, sizeof(path), "%s/commit.db", argv[1]);
	sqlite3 *db;
	sqlite3_stmt *ins;
	if (sqlite3_open(path, &db) != SQLITE_OK) {
		fprintf(stderr, "sqlite_commit: cannot open %s\n", path);
		return 1;
	}
	exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		 "CREATE TABLE IF NOT EXISTS t(id INTEGER PRIMARY KEY, n INTEGER, done TEXT)");
	check(db, sqlite3_prepare_v2(db, "INSERT INTO t(n, done) VALUES (?, ?)", -1, &ins, NULL),
	      "prepare");
	double tx1, txn;
	double r1 = run(db, ins, 1, seconds, &tx1);
	double rn = run(db, ins, batch, seconds, &txn);
	printf("RESULT workload=sqlite.commit1 batch=1 seconds=%.3f rps=%.1f txps=%.1f\n", seconds,
	       r1, tx1);
	printf("RESULT workload=sqlite.commitN batch=%d seconds=%.3f rps=%.1f txps=%.1f\n", batch,
	       seconds, rn, txn);
	sqlite3_finalize(ins);
	sqlite3_close(db);
	return 0;
}
