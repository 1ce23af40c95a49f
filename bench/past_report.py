#!/usr/bin/python3
"""past_report.py: the figures of bench/README.md, "Reports as of a past date".

  past_report.py report DOTPHAD DB [DATES...]   report.get (term 2021-2025) as of each
                                                date, three times; UNIT=CODE for one unit
  past_report.py writes DOTPHAD DB N            N durable update.create one after the other
                                                (C=1) as an office of TU: the daemon's
                                                write_bytes per update, the mean latency

DB is a copy of the demo (the daemon migrates it at its first start, which the time until
it listens includes); its admin token is DB.admin-token, which that start writes.
"""
import hashlib
import msgpack
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid


def start(dotphad, db, d):
    """dotphad on db, niced, its files in d: (the process, its port)."""
    pf = os.path.join(d, "port")
    t0 = time.time()
    p = subprocess.Popen(["nice", dotphad, "--listen", "127.0.0.1:0", "--port-file", pf,
                          "--db", db, "--log-level", "warn"],
                         stderr=open(os.path.join(d, "log"), "w"))
    while not os.path.exists(pf) or not open(pf).read().strip():
        if p.poll() is not None:
            sys.exit("dotphad exited: " + open(os.path.join(d, "log")).read())
        time.sleep(0.2)
    print("listening after %.1f s" % (time.time() - t0), flush=True)
    return p, int(open(pf).read())


def connect(port, token):
    """A signed-in connection: a function call(method, **params)."""
    s = socket.create_connection(("127.0.0.1", port))
    u = msgpack.Unpacker(raw=False, max_buffer_size=1 << 30)
    mid = [0]

    def call(method, **params):
        mid[0] += 1
        s.sendall(msgpack.packb([0, mid[0], method, [params] if params else []]))
        while True:
            for msg in u:
                if msg[2] is not None:
                    raise RuntimeError("%s: %s" % (method, msg[2]))
                return msg[3]
            u.feed(s.recv(1 << 20))
    call("session.auth", token=token)
    return call


def reports(admin, dates):
    unit = os.environ.get("UNIT")
    for day in dates or ["2026-09-07", "2026-03-07"]:
        for i in range(3):
            t = time.time()
            r = admin("report.get", term="2021-2025", as_of=day, **({"unit": unit} if unit else {}))
            ms = (time.time() - t) * 1000
            sm = r["summary"]
            print("as_of %s run %d: %.0f ms  total=%s done_on_time=%s overdue=%s stalled=%s "
                  "sha1=%s" % (day, i, ms, sm["total"], sm["done_on_time"], sm["overdue"],
                               sm["stalled"], hashlib.sha1(msgpack.packb(r)).hexdigest()[:12]),
                  flush=True)


def write_bytes(pid):
    for line in open("/proc/%d/io" % pid):
        if line.startswith("write_bytes:"):
            return int(line.split()[1])


def writes(admin, port, pid, n):
    acc = admin("account.create", login="past-%d" % os.getpid(), display_name="Văn phòng",
                role="office", scope="TU")
    office = connect(port, admin("token.create", account=acc["id"], name="past")["token"])
    ids = []
    for st in ("assigned", "in_progress"):
        ids += [t["id"] for t in admin("task.list", unit="TU", state=st, limit=1000)["items"]]
    random.seed(1)
    for i in range(20):  # warm
        office("update.create", task=random.choice(ids), percent=50, done="khởi động",
               request_id=str(uuid.uuid4()))
    w0, t0 = write_bytes(pid), time.time()
    for i in range(n):
        office("update.create", task=random.choice(ids), percent=random.randint(0, 100),
               done="Đã làm thêm một phần", request_id=str(uuid.uuid4()))
    t1 = time.time()
    time.sleep(1)
    print("%d updates, %d tasks: %.0f bytes written per update, %.2f ms each" %
          (n, len(ids), (write_bytes(pid) - w0) / n, (t1 - t0) * 1000 / n))


def main():
    if len(sys.argv) < 4 or sys.argv[1] not in ("report", "writes"):
        sys.exit(__doc__)
    mode, dotphad, db = sys.argv[1:4]
    d = tempfile.mkdtemp()
    p, port = start(dotphad, db, d)
    try:
        admin = connect(port, open(db + ".admin-token").read().strip())
        if mode == "report":
            reports(admin, sys.argv[4:])
        else:
            writes(admin, port, p.pid, int(sys.argv[4]))  # nice execs dotphad: same pid
    finally:
        p.terminate()
        p.wait()
        shutil.rmtree(d, ignore_errors=True)


if __name__ == "__main__":
    main()
