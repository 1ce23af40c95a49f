#!/usr/bin/python3
"""bench/run.py: the driver of `make bench` (bench/README.md says how to read it).

Measures dotphad on the national-scale demo database against ceilings
measured in the same run on the same machine (a bare MessagePack-RPC echo
server, Redis, SQLite alone), all driven by the same load generator
(bench/loadgen.c), and prints one table: each workload's rate and latency,
its ceiling, the ratio, the target of issue 8 and whether it is met.

Everything listens on 127.0.0.1 only; every process started here is stopped
at exit, whatever happens.  The demo database is generated once into
var/bench/ and copied for each run, so the writes of one run do not pile up
in the next.

Environment: BENCH_SCALE (provinces, default 1000: the national scale),
BENCH_SECONDS (per measured run, default 5), BENCH_SOAK_SECONDS (the memory
growth run, default 60), BENCH_IDLE_CONNS (default 10000), BENCH_PERF=1
(also record perf profiles of dotphad into var/bench/perf-*.txt),
BENCH_ONLY (comma-separated sections, for trying one part:
ceilings,workloads,idle,interference,memory,process,signin; generate alone
only makes the demo database; pages, only when named, runs bench/pages.py's
census of the b-tree pages durable updates write), BENCH_WORKLOADS
(comma-separated workload names, e.g. update.create: only those of the
workloads section).
"""
import atexit
import json
import os
import platform
import resource
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import msgpack

BUILD = os.environ.get("DOTPHA_BUILD", "build")
SCALE = int(os.environ.get("BENCH_SCALE", "1000"))
SECONDS = float(os.environ.get("BENCH_SECONDS", "5"))
SOAK = float(os.environ.get("BENCH_SOAK_SECONDS", "60"))
IDLE_CONNS = int(os.environ.get("BENCH_IDLE_CONNS", "10000"))
PERF = os.environ.get("BENCH_PERF") == "1"
ONLY = set(filter(None, os.environ.get("BENCH_ONLY", "").split(",")))
WORKLOADS = set(filter(None, os.environ.get("BENCH_WORKLOADS", "").split(",")))
VAR = os.path.abspath("var/bench")
RUN = os.path.join(VAR, "run")
CONNS = (1, 16, 64)
TERM = "2021-2025"
# A past date for the national report as of then (issue 18: under 1 s as of
# any past date, which reads the timelines instead of the kept figures).
PAST = time.strftime("%Y-%m-%d", time.localtime(time.time() - 90 * 86400))
DISTRICTS = ("H-SONDUONG", "H-YENSON", "H-HAMYEN", "H-CHIEMHOA", "H-NAHANG", "H-LAMBINH")
SEARCH_TEXTS = ("đột phá", "chuyen doi so", "du lịch", "son duong", "nông nghiệp",
                "cải cách hành chính", "kinh te", "xây dựng nông thôn", "chuyển đổi", "dau tu")

LOADGEN = os.path.join(BUILD, "bench", "loadgen")
ECHO = os.path.join(BUILD, "bench", "echo")
SQLITE_COMMIT = os.path.join(BUILD, "bench", "sqlite_commit")
SIGNIN = os.path.join(BUILD, "bench", "signin")
DOTPHAD = os.path.join(BUILD, "dotphad")
DOTPHA = os.path.join(BUILD, "dotpha")

started = []  # every process started here, stopped at exit


def log(*a):
    print("bench:", *a, file=sys.stderr, flush=True)


def stop(p, sig=signal.SIGTERM, wait=10):
    if p.poll() is None:
        p.send_signal(sig)
        try:
            p.wait(wait)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def cleanup():
    for p in reversed(started):
        stop(p)


def on_signal(signum, frame):
    sys.exit(128 + signum)


def spawn(argv, **kw):
    p = subprocess.Popen(argv, **kw)
    started.append(p)
    return p


def wait_file(path, proc, what, timeout=120):
    t0 = time.time()
    while time.time() - t0 < timeout:
        if os.path.exists(path) and os.path.getsize(path) > 0:
            with open(path) as f:
                s = f.read().strip()
            if s:
                return s
        if proc.poll() is not None:
            sys.exit("bench: %s exited with %s before it was ready" % (what, proc.returncode))
        time.sleep(0.05)
    sys.exit("bench: %s not ready after %d s" % (what, timeout))


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def proc_io(pid):
    """The counters of /proc/PID/io (write_bytes: bytes the process caused
    to be sent to storage), or None where the kernel does not keep them."""
    try:
        with open("/proc/%d/io" % pid) as f:
            return {k: int(v) for k, v in (line.split(":") for line in f)}
    except (OSError, ValueError):
        return None


def last_update_id(db):
    """The id of the newest progress update, read beside the running daemon
    (WAL: a reader neither waits nor blocks)."""
    con = sqlite3.connect("file:%s?mode=ro" % db, uri=True)
    try:
        return con.execute("SELECT coalesce(max(id), 0) FROM updates").fetchone()[0]
    finally:
        con.close()


def db_page_size(db):
    with open(db, "rb") as f:
        head = f.read(18)
    n = int.from_bytes(head[16:18], "big")
    return 65536 if n == 1 else n


def rss_mib(pid):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return 0.0


class Rpc:
    """A blocking MessagePack-RPC connection, as protocol/PROTOCOL.md describes."""

    def __init__(self, port, token=None):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.u = msgpack.Unpacker(raw=False, max_buffer_size=1 << 30)
        self.msgid = 0
        if token:
            self.call("session.auth", token=token)

    def call(self, method, **params):
        self.msgid += 1
        self.s.sendall(msgpack.packb([0, self.msgid, method, [params] if params else []]))
        while True:
            for msg in self.u:
                if msg[2] is not None:
                    raise RuntimeError("%s: %s" % (method, msg[2].get("message")))
                return msg[3]
            data = self.s.recv(1 << 20)
            if not data:
                raise RuntimeError("%s: connection closed" % method)
            self.u.feed(data)

    def close(self):
        self.s.close()


# ---- the load generator ----------------------------------------------------

def loadgen(port, workload, conns, seconds=None, extra=(), ready=None, background=False):
    """Runs bench/loadgen; returns {workload: fields} from its RESULT lines.
    ready(): called when it prints READY (every connection set up)."""
    argv = [LOADGEN, "--port", str(port), "--workload", workload, "--conns", str(conns),
            "--seconds", str(SECONDS if seconds is None else seconds)] + list(extra)
    p = spawn(argv, stdout=subprocess.PIPE, text=True)
    if background:
        return p
    return collect(p, ready)


def collect(p, ready=None):
    out = {}
    for line in p.stdout:
        if line.startswith("READY") and ready:
            ready()
        elif line.startswith("RESULT"):
            fields = dict(kv.split("=", 1) for kv in line.split()[1:])
            out[fields["workload"]] = {k: (v if k == "workload" else float(v))
                                       for k, v in fields.items()}
    p.wait()
    if p.returncode != 0:
        log("loadgen %s failed (exit %s)" % (" ".join(p.args[3:8]), p.returncode))
    return out


# ---- the ceilings ----------------------------------------------------------

def run_ceilings(res):
    os.makedirs(os.path.join(RUN, "sqlite"), exist_ok=True)
    log("SQLite alone: durable single-row commits, then 64 rows per commit")
    out = subprocess.run([SQLITE_COMMIT, os.path.join(RUN, "sqlite"), str(min(SECONDS, 3)), "64"],
                         stdout=subprocess.PIPE, text=True, check=True).stdout
    for line in out.splitlines():
        if line.startswith("RESULT"):
            f = dict(kv.split("=", 1) for kv in line.split()[1:])
            res[f["workload"]] = {"rps": float(f["rps"]), "txps": float(f["txps"]),
                                  "batch": int(f["batch"])}

    log("echo ceiling")
    d = tempfile.mkdtemp(dir=RUN)
    p = spawn([ECHO, "--port-file", os.path.join(d, "port")])
    port = int(wait_file(os.path.join(d, "port"), p, "echo"))
    for c in CONNS:
        res[("echo", c)] = loadgen(port, "echo", c).get("echo")
    stop(p)


def start_redis(persist):
    d = tempfile.mkdtemp(dir=RUN)
    port = free_port()
    argv = ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--dir", d,
            "--save", "", "--logfile", os.path.join(d, "log")]
    argv += ["--appendonly", "yes", "--appendfsync", "always"] if persist else ["--appendonly", "no"]
    p = spawn(argv)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port)).close()
            return p, port
        except OSError:
            time.sleep(0.05)
    sys.exit("bench: redis-server did not start")


def run_redis(res):
    log("Redis GET, no persistence")
    p, port = start_redis(False)
    for c in CONNS:
        res[("redis.get", c)] = loadgen(port, "redis.get", c).get("redis.get")
    res["redis_get_port"] = port  # kept running for the redis-cli timing
    log("Redis SET, appendfsync always")
    p2, port2 = start_redis(True)
    for c in CONNS:
        res[("redis.set", c)] = loadgen(port2, "redis.set", c).get("redis.set")
    stop(p2)


# ---- the daemon and its data -----------------------------------------------

def demo_db():
    """The demo database at BENCH_SCALE, generated once and kept."""
    db = os.path.join(VAR, "demo-%d.db" % SCALE)
    ok = db + ".ok"
    if os.path.exists(ok):
        return db, open(ok).read().strip()
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    log("generating the demo database at scale %d into %s (once; it is kept)" % (SCALE, db))
    t0 = time.time()
    subprocess.run([DOTPHAD, "--db", db, "demo", "--scale", str(SCALE)], check=True)
    took = "generated in %.0f s" % (time.time() - t0)
    with open(ok, "w") as f:
        f.write(took + "\n")
    return db, took


def wait_figures(port, t0):
    """Waits until the daemon keeps today's figures (server.info's
    figures_day): a copy of the demo is judged in full at its first start
    (the upgrade to schema 19), and reads measured before that would
    measure the history's path.  Returns the seconds from start."""
    r = Rpc(port)
    try:
        while True:
            info = r.call("server.info")
            if info.get("figures_day") == info["today"]:
                took = time.time() - t0
                log("the daemon keeps today's figures, %.0f s after its start" % took)
                return {"seconds": took}
            if time.time() - t0 > 1800:
                log("the daemon's first pass over the figures took over 30 minutes")
                return {"seconds": time.time() - t0}
            time.sleep(1)
    finally:
        r.close()


def start_daemon(db, extra=()):
    d = tempfile.mkdtemp(dir=RUN)
    pf = os.path.join(d, "port")
    logf = open(os.path.join(d, "dotphad.log"), "w")
    p = spawn([DOTPHAD, "--listen", "127.0.0.1:0", "--port-file", pf, "--db", db,
               "--max-clients", str(IDLE_CONNS + 200), "--log-level", "warn",
               # every load connection comes from 127.0.0.1, 128 signing in at once
               "--max-unauth-per-address", str(IDLE_CONNS + 200)] + list(extra),
              stderr=logf)
    port = int(wait_file(pf, p, "dotphad", timeout=600))
    return p, port


def setup_accounts(port, admin_token):
    """An office account over the first province (TU) for the office
    workloads; the admin for the national report and search.  Returns the
    office token and the id lists the workloads read and write."""
    a = Rpc(port, admin_token)
    login = "bench-office-%d" % os.getpid()
    acc = a.call("account.create", login=login, display_name="Văn phòng (bench)",
                 role="office", scope="TU")
    tok = a.call("token.create", account=acc["id"], name="bench")["token"]
    ids, wids = [], []
    for state, into in (("assigned", wids), ("in_progress", wids), (None, ids)):
        after = None
        while True:
            q = {"unit": "TU", "limit": 1000}
            if state:
                q["state"] = state
            if after:
                q["after"] = after
            page = a.call("task.list", **q)
            into += [t["id"] for t in page["items"]]
            after = page["next"]
            if not after:
                break
    units = []
    for u in DISTRICTS:
        try:
            a.call("unit.get", unit=u)
            units.append(u)
        except RuntimeError:
            pass
    a.close()
    files = {}
    for name, items in (("ids", ids), ("write-ids", wids), ("units", units),
                        ("texts", SEARCH_TEXTS)):
        path = os.path.join(RUN, name + ".txt")
        with open(path, "w") as f:
            f.write("\n".join(str(x) for x in items) + "\n")
        files[name] = path
    log("office scope TU: %d tasks to read, %d to report progress on; districts %s"
        % (len(ids), len(wids), ",".join(units)))
    return tok, files


class Perf:
    """perf record on dotphad during one run, when BENCH_PERF=1."""

    def __init__(self, pid, name):
        self.name, self.p = name, None
        if PERF and shutil.which("perf"):
            self.data = os.path.join(VAR, "perf-%s.data" % name)
            self.p = spawn(["perf", "record", "--call-graph", "dwarf,16384", "-F", "499",
                            "-p", str(pid), "-o", self.data],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # Time off the CPU (fdatasync above all) shows only in a
            # summary of the system calls.
            self.t = spawn(["perf", "trace", "-s", "-p", str(pid), "-o",
                            os.path.join(VAR, "perf-%s-syscalls.txt" % name)],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def done(self):
        if not self.p:
            return
        stop(self.t, signal.SIGINT, 60)
        stop(self.p, signal.SIGINT, 60)
        with open(os.path.join(VAR, "perf-%s.txt" % self.name), "w") as f:
            subprocess.run(["perf", "report", "-i", self.data, "--no-children", "--stdio",
                            "--percent-limit", "1.5", "-g", "none"],
                           stdout=f, stderr=subprocess.DEVNULL)
        with open(os.path.join(VAR, "perf-%s-callers.txt" % self.name), "w") as f:
            subprocess.run(["perf", "report", "-i", self.data, "--children", "--stdio",
                            "--percent-limit", "3", "-g", "caller,0.5,callee,function,percent"],
                           stdout=f, stderr=subprocess.DEVNULL)


def run_workloads(res, db, port, pid, office, admin, files):
    ids = ["--ids", files["ids"], "--write-ids", files["write-ids"]]
    plan = [
        ("task.get", office, CONNS, ids),
        ("task.list", office, CONNS, ["--units", files["units"]]),
        ("update.create", office, CONNS, ids),
        ("mix", office, CONNS, ids),
        ("search.query", admin, CONNS, ["--texts", files["texts"], "--grace", "300"]),
        ("report.get", admin, (1,), ["--term", TERM, "--min-requests", "3", "--grace", "300",
                                     "--max-seconds", "300"]),
        ("report.get:TU", admin, (1,), ["--term", TERM, "--unit", "TU", "--min-requests", "3",
                                        "--grace", "300", "--max-seconds", "300"]),
        ("report.get:past", admin, (1,), ["--term", TERM, "--as-of", PAST, "--min-requests",
                                          "3", "--grace", "300", "--max-seconds", "300"]),
        ("board.get", admin, (1,), ["--term", TERM, "--min-requests", "3", "--grace", "300",
                                    "--max-seconds", "300"]),
        ("board.get:TU", admin, (1,), ["--term", TERM, "--unit", "TU", "--min-requests", "3",
                                       "--grace", "300", "--max-seconds", "300"]),
    ]
    for name, tok, conns, extra in plan:
        w = name.split(":")[0]
        if WORKLOADS and name not in WORKLOADS:
            continue
        for c in conns:
            log("%s at C=%d" % (name, c))
            perf = Perf(pid, name) if c == max(conns) else None
            io0, u0 = proc_io(pid), last_update_id(db)
            out = loadgen(port, w, c, extra=["--token", tok] + extra)
            io1, u1 = proc_io(pid), last_update_id(db)
            if perf:
                perf.done()
            res[(name, c)] = out.get(w)
            if w == "update.create" and io0 and io1 and u1 > u0:
                # What the daemon sent to storage (WAL frames, checkpoints
                # into the database file, its log) over the whole run,
                # warm-up included, over the updates the run stored (ids
                # are handed out in order: the last id says how many).
                res[("io", c)] = {"bytes": io1["write_bytes"] - io0["write_bytes"],
                                  "syscw": io1["syscw"] - io0["syscw"], "updates": u1 - u0,
                                  "page": db_page_size(db)}
            if w == "mix":
                res[("mix:write", c)] = out.get("mix:write")


def run_idle1000(res, port, office, files):
    log("16 active task.get among 1,000 connections, the others mostly idle")
    out = loadgen(port, "task.get", 16,
                  extra=["--token", office, "--ids", files["ids"], "--idle", "984",
                         "--idle-every", "10"])
    res[("task.get+984idle", 16)] = out.get("task.get")


def backup_loop(port, admin, stop_ev, times):
    r = Rpc(port, admin)
    while not stop_ev.is_set():
        t0 = time.time()
        b = r.call("backup.create")
        times.append(time.time() - t0)
        r.call("backup.drop", backup=b["id"])
    r.close()


def run_interference(res, port, office, admin, files):
    reader = ["--token", office, "--ids", files["ids"], "--grace", "600"]
    log("a light reader (task.get, C=4), idle")
    res[("reader.idle", 4)] = loadgen(port, "task.get", 4, extra=reader).get("task.get")

    log("the same reader while term reports run")
    rep = loadgen(port, "report.get", 1, seconds=SECONDS + 2, background=True,
                  extra=["--token", admin, "--term", TERM, "--warmup", "0", "--grace", "300"])
    time.sleep(0.5)
    res[("reader.report", 4)] = loadgen(port, "task.get", 4, extra=reader).get("task.get")
    collect(rep)

    log("the same reader while backups run")
    stop_ev, times = threading.Event(), []
    th = threading.Thread(target=backup_loop, args=(port, admin, stop_ev, times))
    th.start()
    time.sleep(0.2)
    res[("reader.backup", 4)] = loadgen(port, "task.get", 4, extra=reader).get("task.get")
    stop_ev.set()
    th.join()
    res["backup_seconds"] = times


def run_memory(res, db, files_office):
    office, files = files_office
    p, port = start_daemon(db)
    res["rss_start"] = rss_mib(p.pid)
    log("%d idle signed-in connections" % IDLE_CONNS)
    seen = {}

    def sample():
        time.sleep(1)
        seen["rss"] = rss_mib(p.pid)

    loadgen(port, "task.get", 0, seconds=3, ready=sample,
            extra=["--token", office, "--ids", files["ids"], "--idle", str(IDLE_CONNS)])
    res["rss_idle"] = seen.get("rss", 0.0)
    log("the mix at C=64 for %.0f s (memory growth)" % SOAK)
    mix = ["--token", office, "--ids", files["ids"], "--write-ids", files["write-ids"]]
    loadgen(port, "mix", 64, seconds=5, extra=mix)
    res["rss_before_soak"] = rss_mib(p.pid)
    out = loadgen(port, "mix", 64, seconds=SOAK, extra=mix).get("mix") or {}
    res["rss_after_soak"] = rss_mib(p.pid)
    res["soak_requests"] = out.get("requests", 0)
    stop(p)


def run_signin(res, port, office, admin, files):
    """What session.auth's waiting counts cost (issue 20): a connection per
    command, with and without them, as an office and as an admin (whose
    focal-point count has no scope to narrow it)."""
    for who, tok in (("office", office), ("admin", admin)):
        log("connection per command and signed-in task.get, waiting false vs true, as %s" % who)
        p = spawn([SIGNIN, "--port", str(port), "--token", tok, "--ids", files["ids"],
                   "--seconds", str(max(1.0, SECONDS / 2)), "--rounds", "6"],
                  stdout=subprocess.PIPE, text=True)
        for line in p.stdout:
            f = dict(kv.split("=", 1) for kv in line.split()[1:])
            if line.startswith("RESULT"):
                res[("signin", who, f["workload"], f["waiting"])] = {
                    k: float(f[k]) for k in ("rps", "p50_us", "p99_us", "max_us")}
            elif line.startswith("RATIO"):
                res[("signin", who, f["workload"], "ratio")] = float(f["ratio"])
        p.wait()
        if p.returncode != 0:
            log("signin as %s failed (exit %s)" % (who, p.returncode))


def time_process(argv, env, n=40):
    ts = []
    for _ in range(n):
        t0 = time.perf_counter()
        r = subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ts.append(time.perf_counter() - t0)
        if r.returncode != 0:
            log("%s failed: %s" % (argv[0], r.stderr.decode(errors="replace").strip()))
            return None
    return statistics.median(ts) * 1000.0


def run_process(res, port, office, files):
    home = tempfile.mkdtemp(dir=RUN)
    env = dict(os.environ, HOME=home, DOTPHA_TOKEN=office, XDG_CONFIG_HOME=home)
    env.pop("DOTPHA_SERVER", None)
    tid = open(files["ids"]).readline().strip()
    log("dotpha task show as a whole process, and redis-cli GET")
    res["dotpha_ms"] = time_process([DOTPHA, "--server", "127.0.0.1:%d" % port, "task", "show",
                                     tid], env)
    if "redis_get_port" in res:
        res["redis_cli_ms"] = time_process(["redis-cli", "-p", str(res["redis_get_port"]),
                                            "GET", "key:1"], env)


# ---- the table -------------------------------------------------------------

def fmt_rate(v):
    return "-" if v is None else ("%.0f" % v if v >= 100 else "%.1f" % v)


def fmt_ms(us):
    if us is None:
        return "-"
    ms = us / 1000.0
    return "%.3f" % ms if ms < 1 else ("%.2f" % ms if ms < 100 else "%.0f" % ms)


def table(res):
    rows = []

    def row(name, c, r, ceiling_name=None, ceiling=None, ratio=None, target="", met=None):
        r = r or {}
        rows.append([name, str(c), fmt_rate(r.get("rps")), fmt_ms(r.get("p50_us")),
                     fmt_ms(r.get("p99_us")), fmt_ms(r.get("p999_us")),
                     "%d" % r["errors"] if r.get("errors") else "0" if r else "-",
                     (ceiling_name + " " + fmt_rate(ceiling)) if ceiling_name and ceiling else "",
                     "%.2f" % ratio if ratio is not None else "", target,
                     "" if met is None else ("yes" if met else "NO")])

    def get(key):
        return res.get(key) or {}

    def ratio(r, ceil):
        if r.get("rps") and ceil.get("rps"):
            return r["rps"] / ceil["rps"]
        return None

    for c in CONNS:
        if ("echo", c) in res:
            row("ceiling: echo", c, get(("echo", c)))
    for c in CONNS:
        if ("redis.get", c) in res:
            e = get(("echo", c))
            row("ceiling: redis GET", c, get(("redis.get", c)), "echo", e.get("rps"),
                ratio(get(("redis.get", c)), e))
    for c in CONNS:
        if ("redis.set", c) in res:
            row("ceiling: redis SET fsync always", c, get(("redis.set", c)))
    s1, sn = res.get("sqlite.commit1"), res.get("sqlite.commitN")
    if s1:
        row("ceiling: sqlite 1 row/commit", 1, {"rps": s1["rps"]})
        row("ceiling: sqlite %d rows/commit" % sn["batch"], 1, {"rps": sn["rps"]}, "1 row/commit",
            s1["rps"], sn["rps"] / s1["rps"])

    for c in CONNS:
        if ("task.get", c) in res:
            r, e = get(("task.get", c)), get(("echo", c))
            q = ratio(r, e)
            if c == 64:
                met = q is not None and q >= 0.60 and r.get("p99_us", 1e12) < 2000
                row("task.get", c, r, "echo", e.get("rps"), q, ">=0.60, p99<2ms", met)
            else:
                row("task.get", c, r, "echo", e.get("rps"), q)
    for c in CONNS:
        if ("task.list", c) in res:
            r, e = get(("task.list", c)), get(("echo", c))
            if c == 1:
                row("task.list (district)", c, r, "echo", e.get("rps"), ratio(r, e), "p99<10ms",
                    r.get("p99_us", 1e12) < 10000)
            else:
                row("task.list (district)", c, r, "echo", e.get("rps"), ratio(r, e))
    for c in CONNS:
        if ("update.create", c) in res:
            r, s = get(("update.create", c)), get(("redis.set", c))
            if c == 64:
                q = ratio(r, s)
                row("update.create (durable)", c, r, "redis SET", s.get("rps"), q, ">=1.0",
                    q is not None and q >= 1.0)
                if s1:
                    q1 = r["rps"] / s1["rps"] if r.get("rps") else None
                    row("update.create (durable)", c, r, "sqlite 1/commit", s1["rps"], q1,
                        ">=10", q1 is not None and q1 >= 10)
            else:
                row("update.create (durable)", c, r, "redis SET", s.get("rps"), ratio(r, s))
    for c in CONNS:
        io = res.get(("io", c))
        if io:
            per = io["bytes"] / io["updates"]
            rows.append(["bytes written per update", str(c), "%d upd" % io["updates"], "", "",
                         "", "", "write_bytes %.1f MiB" % (io["bytes"] / 1048576.0),
                         "%.0f B" % per, "= %.1f pages of %d B" % (per / io["page"], io["page"]),
                         ""])
    for c in CONNS:
        if ("mix", c) in res:
            r, e = get(("mix", c)), get(("echo", c))
            if c == 64:
                q = ratio(r, e)
                row("mix 90/10", c, r, "echo", e.get("rps"), q, ">=0.40, p99<5ms",
                    q is not None and q >= 0.40 and r.get("p99_us", 1e12) < 5000)
            else:
                row("mix 90/10", c, r, "echo", e.get("rps"), ratio(r, e))
    for c in CONNS:
        if ("search.query", c) in res:
            r, e = get(("search.query", c)), get(("echo", c))
            if c == 1:
                row("search.query (national)", c, r, "echo", e.get("rps"), ratio(r, e),
                    "p99<50ms", r.get("p99_us", 1e12) < 50000)
            else:
                row("search.query (national)", c, r, "echo", e.get("rps"), ratio(r, e))
    # The term-wide reads at C=1, each with its service-time target (ms).
    for key, name, target_ms in (("report.get", "report.get (national term)", 200),
                                 ("report.get:TU", "report.get (one province)", 20),
                                 ("report.get:past", "report.get (national, 90 days ago)",
                                  1000),
                                 ("board.get", "board.get (national term)", 200),
                                 ("board.get:TU", "board.get (one province)", None)):
        if (key, 1) in res:
            r, e = get((key, 1)), get(("echo", 1))
            if target_ms:
                row(name, 1, r, "echo", e.get("rps"), ratio(r, e), "p99<%dms" % target_ms,
                    r.get("p99_us", 1e12) < target_ms * 1000 and not r.get("errors"))
            else:
                row(name, 1, r, "echo", e.get("rps"), ratio(r, e))
    if ("task.get+984idle", 16) in res:
        r, e = get(("task.get+984idle", 16)), get(("echo", 16))
        row("task.get, 16 of 1000 conns", 16, r, "echo", e.get("rps"), ratio(r, e))
    idle = get(("reader.idle", 4))
    if idle:
        row("reader task.get, quiet", 4, idle)
        for key, what in (("reader.report", "while reports run"),
                          ("reader.backup", "while backups run")):
            r = get((key, 4))
            if r and idle.get("p99_us"):
                q = r["p99_us"] / idle["p99_us"]
                rows.append(["reader task.get, " + what, "4", fmt_rate(r.get("rps")),
                             fmt_ms(r.get("p50_us")), fmt_ms(r.get("p99_us")),
                             fmt_ms(r.get("p999_us")), "%d" % r.get("errors", 0),
                             "quiet p99 " + fmt_ms(idle["p99_us"]) + " ms",
                             "%.1f" % q, "p99 <=2x quiet", "yes" if q <= 2.0 else "NO"])
    if "rss_idle" in res:
        rows.append(["RSS, %d idle signed-in conns" % IDLE_CONNS, str(IDLE_CONNS), "", "", "",
                     "", "", "at start %.1f MiB" % res["rss_start"],
                     "%.1f MiB" % res["rss_idle"], "<100 MiB",
                     "yes" if res["rss_idle"] < 100 else "NO"])
        rows.append(["RSS growth, mix C=64 %.0f s" % SOAK, "64",
                     "%.0f req" % res.get("soak_requests", 0), "", "", "", "",
                     "before %.1f MiB" % res["rss_before_soak"],
                     "%+.1f MiB" % (res["rss_after_soak"] - res["rss_before_soak"]),
                     "after %.1f MiB" % res["rss_after_soak"], ""])
    if res.get("dotpha_ms") is not None:
        rc = res.get("redis_cli_ms")
        q = res["dotpha_ms"] / rc if rc else None
        met = None if q is None else res["dotpha_ms"] < 10 and q <= 1.5
        rows.append(["dotpha task show (process)", "1", "", "%.2f" % res["dotpha_ms"], "", "", "",
                     "redis-cli GET %.2f ms" % rc if rc else "",
                     "%.2f" % q if q else "", "<10ms, <=1.5x",
                     "" if met is None else "yes" if met else "NO"])

    if ("figures", 1) in res:
        rows.append(["first pass over the figures", "1", "", "", "", "", "", "",
                     "%.0f s" % res[("figures", 1)]["seconds"], "after start", ""])

    for who in ("office", "admin"):
        for w in ("conn+auth+task.get", "task.get(signed-in)"):
            off, on = res.get(("signin", who, w, "0")), res.get(("signin", who, w, "1"))
            q = res.get(("signin", who, w, "ratio"))
            if off and on:
                row("%s, waiting (%s)" % (w, who), 1, on, "waiting false", off["rps"], q,
                    ">=0.98", q >= 0.98)

    head = ["workload", "C", "req/s", "p50 ms", "p99 ms", "p99.9 ms", "err", "ceiling",
            "ratio", "target", "met?"]
    w = [max([len(head[i])] + [len(r[i]) for r in rows]) for i in range(len(head))]
    lines = ["| " + " | ".join(h.ljust(w[i]) for i, h in enumerate(head)) + " |",
             "|" + "|".join("-" * (w[i] + 2) for i in range(len(head))) + "|"]
    for r in rows:
        lines.append("| " + " | ".join(r[i].ljust(w[i]) for i in range(len(head))) + " |")
    return "\n".join(lines)


def machine():
    model = "?"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return "%s, %d cores (nproc), %s, load average before: %s" % (
        model, os.cpu_count(), platform.release(),
        " ".join(open("/proc/loadavg").read().split()[:3]))


def want(section):
    return not ONLY or section in ONLY


def main():
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    atexit.register(cleanup)
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    if hard < IDLE_CONNS + 500:
        log("descriptor limit %d: BENCH_IDLE_CONNS lowered" % hard)
    if not shutil.which("redis-server"):
        log("redis-server missing: installing Debian's package")
        sudo = [] if os.getuid() == 0 else ["sudo"]
        subprocess.run(sudo + ["apt-get", "update", "-qq"], check=True)
        subprocess.run(sudo + ["apt-get", "install", "-y", "-qq", "redis-server"], check=True,
                       env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))
    os.makedirs(VAR, exist_ok=True)
    shutil.rmtree(RUN, ignore_errors=True)
    os.makedirs(RUN)
    info = {"machine": machine(), "started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
            "scale": SCALE, "seconds": SECONDS}
    log(info["machine"])
    res = {}
    if want("ceilings"):
        run_ceilings(res)
        run_redis(res)

    src, took = demo_db()
    if ONLY == {"generate"}:
        log("demo database ready: %s (%s)" % (src, took))
        return
    db = os.path.join(RUN, "dotpha.db")
    log("copying %s (%s)" % (src, took))
    shutil.copyfile(src, db)
    if os.path.exists(src + ".admin-token"):
        shutil.copyfile(src + ".admin-token", db + ".admin-token")
    # else the daemon's first start on the copy makes the admin and its token
    t0 = time.time()
    p, port = start_daemon(db)
    res[("figures", 1)] = wait_figures(port, t0)
    with open(db + ".admin-token") as f:
        admin = f.read().strip()
    office, files = setup_accounts(port, admin)
    if want("workloads"):
        run_workloads(res, db, port, p.pid, office, admin, files)
    if want("idle"):
        run_idle1000(res, port, office, files)
    if want("interference"):
        run_interference(res, port, office, admin, files)
    if want("signin"):
        run_signin(res, port, office, admin, files)
    if "pages" in ONLY:
        # Last of the daemon's sections: it pins a snapshot, so the WAL
        # grows unchecked for its run (bench/pages.py).
        log("pages census: update.create at C=64")
        subprocess.run(["/usr/bin/python3", os.path.join(os.path.dirname(__file__), "pages.py"),
                        "--db", db, "--port", str(port), "--token", office,
                        "--write-ids", files["write-ids"], "--seconds", str(SECONDS)],
                       check=True)
    if want("process"):
        run_process(res, port, office, files)
    stop(p)
    if want("memory"):
        run_memory(res, db, (office, files))

    info["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    info["load_after"] = " ".join(open("/proc/loadavg").read().split()[:3])
    t = table(res)
    header = ("dotpha bench, %s to %s; demo scale %d (%s); %g s per run\nmachine: %s; "
              "load average after: %s" % (info["started"], info["finished"], SCALE, took,
                                          SECONDS, info["machine"], info["load_after"]))
    if res.get("backup_seconds"):
        header += "\nbackup.create took %s s" % ", ".join("%.1f" % x for x in res["backup_seconds"])
    print(header)
    print(t)
    with open(os.path.join(VAR, "table.md"), "w") as f:
        f.write(header + "\n\n" + t + "\n")
    with open(os.path.join(VAR, "results.json"), "w") as f:
        json.dump({"info": info, "results": {str(k): v for k, v in res.items()}}, f, indent=1,
                  default=str)


if __name__ == "__main__":
    main()
