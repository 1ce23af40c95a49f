#!/usr/bin/python3
"""bench/pages.py: which b-tree pages a run of durable update.create writes.

Against a running dotphad on a copy of the demo (never the original): holds
a read transaction on the database so that no checkpoint can pass it and
the WAL cannot start over, runs bench/loadgen's update.create, then reads
the WAL frames the run appended (each frame is one page a COMMIT wrote) and
names each page's b-tree with SQLite's dbstat table.  Prints, per b-tree,
the WAL frames per stored update (what every COMMIT wrote) and the distinct
pages per update over the run (what the checkpoints would copy into the
database at least once).  bench/README.md, "Pages per update", reads it.

  /usr/bin/python3 bench/pages.py --db DB --port P --token T \
      --write-ids FILE [--conns 64] [--seconds 3]
"""
import argparse
import collections
import os
import sqlite3
import struct
import subprocess
import sys

BUILD = os.environ.get("DOTPHA_BUILD", "build")


def wal_frames(path, page_size):
    """(pgno, commit) of each valid frame of the WAL's current cycle."""
    out = []
    with open(path, "rb") as f:
        head = f.read(32)
        if len(head) < 32:
            return out
        salt = head[16:24]
        while True:
            fh = f.read(24)
            if len(fh) < 24 or fh[8:16] != salt:
                break
            pgno, commit = struct.unpack(">II", fh[:8])
            if len(f.read(page_size)) < page_size:
                break
            out.append((pgno, commit))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", required=True)
    ap.add_argument("--port", required=True)
    ap.add_argument("--token", required=True)
    ap.add_argument("--write-ids", required=True)
    ap.add_argument("--conns", type=int, default=64)
    ap.add_argument("--seconds", type=float, default=3)
    a = ap.parse_args()

    pin = sqlite3.connect(a.db, isolation_level=None)
    page_size = pin.execute("PRAGMA page_size").fetchone()[0]
    pin.execute("BEGIN")
    pages_before = pin.execute("PRAGMA page_count").fetchone()[0]
    u0 = pin.execute("SELECT coalesce(max(id), 0) FROM updates").fetchone()[0]
    n0 = len(wal_frames(a.db + "-wal", page_size))
    lg = subprocess.run([os.path.join(BUILD, "bench", "loadgen"), "--port", a.port,
                         "--workload", "update.create", "--conns", str(a.conns),
                         "--seconds", str(a.seconds), "--token", a.token,
                         "--ids", a.write_ids, "--write-ids", a.write_ids],
                        stdout=subprocess.PIPE, text=True, check=True).stdout
    frames = wal_frames(a.db + "-wal", page_size)[n0:]
    pin.execute("COMMIT")
    look = sqlite3.connect("file:%s?mode=ro" % a.db, uri=True)
    u1 = look.execute("SELECT coalesce(max(id), 0) FROM updates").fetchone()[0]
    touched = {p for p, _ in frames}
    name = {}
    for n, p in look.execute("SELECT name, pageno FROM dbstat"):
        if p in touched:
            name[p] = n
    look.close()

    upd = u1 - u0
    commits = sum(1 for _, c in frames if c)
    per = collections.Counter(name.get(p, "(freelist or pointer map)") for p, _ in frames)
    distinct = collections.Counter(name.get(p, "(freelist or pointer map)") for p in touched)
    new = sum(1 for p in touched if p > pages_before)
    for line in lg.splitlines():
        if line.startswith("RESULT"):
            print(line)
    print("updates %d, commits %d (%.1f updates a commit), WAL frames %d: %.2f a update; "
          "distinct pages %d: %.2f a update (%d new at the end of the file); page %d B"
          % (upd, commits, upd / max(commits, 1), len(frames), len(frames) / max(upd, 1),
             len(touched), len(touched) / max(upd, 1), new, page_size))
    print("| b-tree | WAL frames | per update | per commit | distinct pages | per update |")
    print("|---|---|---|---|---|---|")
    for n, k in per.most_common():
        print("| %s | %d | %.2f | %.1f | %d | %.2f |" % (n, k, k / max(upd, 1),
                                                       k / max(commits, 1), distinct[n],
                                                       distinct[n] / max(upd, 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
