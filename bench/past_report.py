#!/usr/bin/python3
"""past_report.py: times report.get (national term) as of past dates (bench/README.md,
"Reports as of a past date").  Usage: past_report.py DOTPHAD DB [DATES...]; UNIT=CODE for
one unit. DB is a copy (the daemon migrates it); its admin token is DB.admin-token.
Starts dotphad on DB (the time until it listens includes any migration), then calls
report.get as of each date three times, prints the times, stops the daemon."""
import hashlib, msgpack, os, shutil, socket, subprocess, sys, tempfile, time

dotphad, db = sys.argv[1], sys.argv[2]
unit = os.environ.get("UNIT")
dates = sys.argv[3:] or ["2026-09-07", "2026-03-07"]
d = tempfile.mkdtemp()
pf = os.path.join(d, "port")
t0 = time.time()
p = subprocess.Popen(["nice", dotphad, "--listen", "127.0.0.1:0", "--port-file", pf, "--db", db,
                      "--log-level", "warn"], stderr=open(os.path.join(d, "log"), "w"))
while not os.path.exists(pf) or not open(pf).read().strip():
    if p.poll() is not None:
        sys.exit("dotphad exited: " + open(os.path.join(d, "log")).read())
    time.sleep(0.2)
print("listening after %.1f s" % (time.time() - t0), flush=True)
port = int(open(pf).read())
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
try:
    call("session.auth", token=open(db + ".admin-token").read().strip())
    for day in dates:
        for i in range(3):
            t = time.time()
            r = call("report.get", term="2021-2025", as_of=day, **({"unit": unit} if unit else {}))
            ms = (time.time() - t) * 1000
            sm = r["summary"]
            h = hashlib.sha1(msgpack.packb(r)).hexdigest()[:12]
            print("as_of %s run %d: %.0f ms  total=%s done_on_time=%s overdue=%s stalled=%s sha1=%s"
                  % (day, i, ms, sm["total"], sm["done_on_time"], sm["overdue"], sm["stalled"], h),
                  flush=True)
finally:
    p.terminate()
    p.wait()
    shutil.rmtree(d, ignore_errors=True)
