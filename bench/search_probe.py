#!/usr/bin/python3
"""bench/search_probe.py: the search.query workload of bench/run.py alone,
timed call by call (bench/README.md, "Search at national scale").

    bench/search_probe.py DB [DOTPHAD] [ROUNDS] [UNIT]

Starts DOTPHAD (default build/dotphad) on 127.0.0.1 on DB (a copy: the
daemon migrates what it opens), signs in as the admin (DB.admin-token, made
by the daemon's first start), asks each of run.py's SEARCH_TEXTS once to
warm up, then ROUNDS times (default 10) in turn, one request at a time,
with `unit` UNIT when given (a province's search, as its office's scope
makes it).  Prints how long the daemon took to start (a first start
migrates), per text the median and the worst latency, the total the reply
gave and whether it said it was capped, then the p99 over every call.
Stops the daemon at the end, whatever happens.
"""
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from run import SEARCH_TEXTS, Rpc, wait_file  # noqa: E402


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    db = sys.argv[1]
    dotphad = sys.argv[2] if len(sys.argv) > 2 else os.path.join("build", "dotphad")
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    extra = {"unit": sys.argv[4]} if len(sys.argv) > 4 else {}
    d = tempfile.mkdtemp(prefix="search-probe-")
    pf = os.path.join(d, "port")
    p = subprocess.Popen([dotphad, "--listen", "127.0.0.1:0", "--port-file", pf, "--db", db,
                          "--log-level", "warn"], stderr=open(os.path.join(d, "log"), "w"))
    try:
        t0 = time.perf_counter()
        port = int(wait_file(pf, p, "dotphad", timeout=900))
        print("dotphad ready in %.1f s (migrations included)" % (time.perf_counter() - t0))
        with open(db + ".admin-token") as f:
            rpc = Rpc(port, f.read().strip())
        times, every = {t: [] for t in SEARCH_TEXTS}, []
        answers = {}
        for t in SEARCH_TEXTS:
            answers[t] = rpc.call("search.query", text=t, **extra)
        for _ in range(rounds):
            for t in SEARCH_TEXTS:
                t0 = time.perf_counter()
                rpc.call("search.query", text=t, **extra)
                ms = (time.perf_counter() - t0) * 1000
                times[t].append(ms)
                every.append(ms)
        print("load average: %s" % " ".join(open("/proc/loadavg").read().split()[:3]))
        print("| text | median ms | worst ms | total | capped |")
        print("|---|---|---|---|---|")
        for t in SEARCH_TEXTS:
            s = sorted(times[t])
            a = answers[t]
            print("| %s | %.1f | %.1f | %s | %s |" % (t, s[len(s) // 2], s[-1], a.get("total"),
                                                    "yes" if a.get("total_capped") else "no"))
        every.sort()
        print("p99 over %d calls: %.1f ms; median %.1f ms" %
              (len(every), every[min(len(every) - 1, int(len(every) * 0.99))],
               every[len(every) // 2]))
        rpc.close()
    finally:
        p.terminate()
        p.wait()


if __name__ == "__main__":
    main()
