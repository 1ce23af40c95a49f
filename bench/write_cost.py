#!/usr/bin/python3
"""write_cost.py DOTPHAD DB N (bench/README.md, "Reports as of a past date"): N durable update.create one after the other (C=1) as an
office of TU; prints the daemon's write_bytes per update and the mean latency."""
import msgpack, os, random, socket, subprocess, sys, tempfile, time, uuid, shutil

dotphad, db, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
d = tempfile.mkdtemp()
pf = os.path.join(d, "port")
p = subprocess.Popen(["nice", dotphad, "--listen", "127.0.0.1:0", "--port-file", pf, "--db", db,
                      "--log-level", "warn"], stderr=open(os.path.join(d, "log"), "w"))
while not os.path.exists(pf) or not open(pf).read().strip():
    if p.poll() is not None:
        sys.exit(open(os.path.join(d, "log")).read())
    time.sleep(0.2)
port = int(open(pf).read())

def conn(token):
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

def wbytes(pid):
    for line in open("/proc/%d/io" % pid):
        if line.startswith("write_bytes:"):
            return int(line.split()[1])

try:
    a = conn(open(db + ".admin-token").read().strip())
    acc = a("account.create", login="wc-%d" % os.getpid(), display_name="Văn phòng", role="office",
            scope="TU")
    tok = a("token.create", account=acc["id"], name="wc")["token"]
    ids = []
    for st in ("assigned", "in_progress"):
        ids += [t["id"] for t in a("task.list", unit="TU", state=st, limit=1000)["items"]]
    o = conn(tok)
    pid = p.pid  # nice execs dotphad: the same process
    random.seed(1)
    for i in range(20):  # warm
        o("update.create", task=random.choice(ids), percent=50, done="khởi động", request_id=str(uuid.uuid4()))
    w0, t0 = wbytes(pid), time.time()
    for i in range(n):
        o("update.create", task=random.choice(ids), percent=random.randint(0, 100),
          done="Đã làm thêm một phần", request_id=str(uuid.uuid4()))
    t1 = time.time()
    time.sleep(1)
    w1 = wbytes(pid)
    print("%d updates, %d tasks: %.0f bytes written per update, %.2f ms each" %
          (n, len(ids), (w1 - w0) / n, (t1 - t0) * 1000 / n))
finally:
    p.terminate()
    p.wait()
    shutil.rmtree(d, ignore_errors=True)
