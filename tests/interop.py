#!/usr/bin/python3
"""A client written from protocol/PROTOCOL.md alone, with a stock MessagePack
library (Debian's python3-msgpack), against the real dotphad.

It starts build/dotphad on an ephemeral loopback port with a temporary
database, loads the demo data, and checks server.info, task.list with the
demo figures, search.query's fields, order and kind, an error reply, an
evidence file sent in chunks and read back, and the byte-exact request and
response of PROTOCOL.md's worked example.  Then it makes writes of several kinds and recomputes the audit trail's whole
hash chain from what audit.list returns and PROTOCOL.md section 4b's bytes
(verify_audit_chain), and holds audit.verify to an anchor.  Exits non-zero on
any mismatch.
"""
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import msgpack

BUILD = os.environ.get("DOTPHA_BUILD", "build")


class Client:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.unpacker = msgpack.Unpacker(raw=False)
        self.msgid = 0

    def raw(self, data):
        self.sock.sendall(data)
        return self.read()

    def read(self):
        while True:
            for msg in self.unpacker:
                return msg
            chunk = self.sock.recv(65536)
            if not chunk:
                raise EOFError("server closed the connection")
            self.unpacker.feed(chunk)

    def call(self, method, **params):
        self.msgid += 1
        req = [0, self.msgid, method, [params] if params else []]
        kind, msgid, error, result = self.raw(msgpack.packb(req))
        assert kind == 1 and msgid == self.msgid, (kind, msgid)
        return error, result


def check(cond, what):
    if not cond:
        print("interop: FAILED:", what)
        sys.exit(1)
    print("interop: ok:", what)


def enc_int(v):
    """PROTOCOL.md 4b: an integer is 01 and 8 bytes big-endian two's complement."""
    return b"\x01" + v.to_bytes(8, "big", signed=True)


def enc_bytes(tag, data):
    """Text (02) or a blob (03): the tag, a 4-byte big-endian length, the bytes."""
    return bytes([tag]) + len(data).to_bytes(4, "big") + data


def enc_entry(e):
    """The bytes an entry's hash is taken over, from audit.list's fields alone."""
    out = b""
    for name, kind in (("id", "int"), ("at", "text"), ("account_id", "int"),
                       ("account_login", "text"), ("token_name", "text"),
                       ("address", "text"), ("method", "text"), ("object_type", "text"),
                       ("object_id", "int"), ("task_id", "int"), ("unit_id", "int"),
                       ("before", "map"), ("after", "map"), ("prev_hash", "hash")):
        v = e[name]
        if v is None:
            out += b"\x00"
        elif kind == "int":
            out += enc_int(v)
        elif kind == "text":
            out += enc_bytes(2, v.encode("utf-8"))
        elif kind == "map":
            # the shortest MessagePack encoding, keys in the order received
            out += enc_bytes(3, msgpack.packb(v, use_bin_type=True))
        else:
            out += enc_bytes(3, bytes.fromhex(v))
    return out


def verify_audit_chain(c):
    """Pages through audit.list and recomputes every hash and link; returns
    the number of entries and the newest (id, hash)."""
    prev, prev_id, n, after = "00" * 32, 0, 0, None
    while True:
        params = {"limit": 1000}
        if after is not None:
            params["after"] = after
        err, res = c.call("audit.list", **params)
        assert err is None, err
        for e in res["items"]:
            n += 1
            if e["id"] != prev_id + 1 or e["prev_hash"] != prev:
                check(False, f"audit entry {e['id']} links to the entry before it")
            digest = hashlib.sha256(enc_entry(e)).hexdigest()
            if digest != e["hash"]:
                check(False, f"audit entry {e['id']} ({e['method']}): hash recomputed from "
                      f"PROTOCOL.md 4b {digest} is the daemon's {e['hash']}")
            prev, prev_id = e["hash"], e["id"]
        after = res["next"]
        if after is None:
            return n, prev_id, prev


def main():
    tmp = tempfile.mkdtemp(prefix="dotpha-interop-")
    db = os.path.join(tmp, "interop.db")
    portfile = os.path.join(tmp, "port")
    daemon = None
    try:
        subprocess.run([f"{BUILD}/dotphad", "--db", db, "demo", "--present", "2026-10-31"], check=True,
                       stdout=subprocess.DEVNULL)
        daemon = subprocess.Popen([f"{BUILD}/dotphad", "--listen", "127.0.0.1:0", "--db", db,
                                   "--port-file", portfile, "--log-level", "warn"])
        for _ in range(500):
            if os.path.exists(portfile) and open(portfile).read().strip():
                break
            time.sleep(0.01)
        c = Client(int(open(portfile).read()))

        # PROTOCOL.md section 7: server.info with msgid 1 and no fields, byte for byte.
        request = bytes.fromhex("94 00 01 ab 73 65 72 76 65 72 2e 69 6e 66 6f 90")
        check(msgpack.packb([0, 1, "server.info", []]) == request,
              "the documented server.info request is what a stock packer writes")
        reply = c.raw(request)
        check(reply[:3] == [1, 1, None] and reply[3]["name"] == "dotphad"
              and reply[3]["protocol"] == 1, "server.info answers name and protocol 1")
        c.msgid = 1

        # PROTOCOL.md 4a: nothing but server.info before signing in; the first
        # start wrote the admin's token beside the database.
        err, res = c.call("task.list", term="2020", limit=1)
        check(err is not None and err["name"] == "unauthenticated",
              "task.list before session.auth is refused")
        token = open(db + ".admin-token").read().strip()
        err, res = c.call("session.auth", token=token)
        check(err is None and res["account"]["role"] == "admin", "session.auth signs in as admin")

        err, res = c.call("task.list", term="2020", limit=1)
        check(err is None and res["total"] == 13 and res["cadres"] == 13,
              "task.list term 2020: 13 tasks for 13 cadres")
        err, res = c.call("task.list", term="2021-2025", managed_by="TU", limit=1)
        check(res["total"] == 244 and res["cadres"] == 76,
              "task.list 2021-2025 managed by TU: 244 tasks for 76 cadres")
        err, res = c.call("task.list", term="2021-2025", managed_under="TU", limit=1)
        check(res["total"] == 219 and res["cadres"] == 65,
              "task.list 2021-2025 managed under TU: 219 tasks for 65 cadres")

        seen, after = set(), None
        while True:
            params = {"term": "2020", "limit": 5}
            if after is not None:
                params["after"] = after
            err, res = c.call("task.list", **params)
            seen.update(t["id"] for t in res["items"])
            after = res["next"]
            if after is None:
                break
        check(len(seen) == 13, "paging with after/next visits each task once")

        # search.query as section 6h documents it: the fields, the tiers'
        # order (title matches first, newest first), kind as a filter.
        err, res = c.call("search.query", text="son duong", kind="breakthrough", limit=200)
        check(err is None and set(res) == {"items", "total", "total_capped"},
              "search.query answers {items, total, total_capped}")
        check(res["total_capped"] is False and res["total"] == len(res["items"]) > 10,
              "search.query: the demo's Sơn Dương breakthroughs, counted whole")
        item_keys = {"id", "title", "kind", "state", "unit_code", "unit_name", "term", "where",
                     "snippet", "rank"}
        check(all(set(i) == item_keys and i["kind"] == "breakthrough" for i in res["items"]),
              "search.query items have the documented fields, of the kind asked")
        wheres = [i["where"] for i in res["items"]]
        run = next((k for k, w in enumerate(wheres) if w != "title"), len(wheres))
        titled = [i["id"] for i in res["items"][:run]]  # the leading title matches
        check(run > 1 and titled == sorted(titled, reverse=True)
              and [i["rank"] for i in res["items"]] == list(range(1, len(wheres) + 1)),
              "search.query: title matches first, newest first, ranked 1..n")
        err, res = c.call("search.query", text="son duong", kind="dot pha")
        check(res is None and err["name"] == "invalid_argument" and "kind" in err["message"],
              "search.query refuses a kind that does not exist")

        expected = bytes.fromhex(
            "94 01 02 86 a4 63 6f 64 65 06 a4 6e 61 6d 65 a9 6e 6f 74 5f 66 6f 75 6e 64"
            "a7 6d 65 73 73 61 67 65 bc 74 61 73 6b 3a 20 6e 6f 20 74 61 73 6b 20 77 69 74 68"
            "20 69 64 20 39 39 39 39 39 39"
            "a5 66 69 65 6c 64 a4 74 61 73 6b"
            "a8 74 65 6d 70 6c 61 74 65 b8 25 73 3a 20 6e 6f 20 74 61 73 6b 20 77 69 74 68"
            "20 69 64 20 25 6c 6c 64"
            "a4 61 72 67 73 92 a4 74 61 73 6b ce 00 0f 42 3f c0")
        raw = socket.create_connection(("127.0.0.1", c.sock.getpeername()[1]), timeout=10)
        auth = msgpack.packb([0, 1, "session.auth", [{"token": token}]])
        raw.sendall(auth)
        signed = msgpack.Unpacker(raw=False)
        reply = None
        while reply is None:
            signed.feed(raw.recv(65536))
            for reply in signed:
                break
        check(reply[2] is None, "the raw connection signs in")
        raw.sendall(bytes.fromhex("94 00 02 a8 74 61 73 6b 2e 67 65 74 91 81 a4 74 61 73 6b"
                                  "ce 00 0f 42 3f"))
        got = b""
        while len(got) < len(expected):
            chunk = raw.recv(4096)
            if not chunk:
                break
            got += chunk
        raw.close()
        check(got == expected, "the documented task.get error reply, byte for byte")

        err, res = c.call("task.get", task=999999)
        check(res is None and err["code"] == 6 and err["name"] == "not_found"
              and "task" in err["message"], "an error is {code, name, message}")
        # PROTOCOL.md 2: the template with its args is the message again.
        def c_format(template, args):
            py = template.replace("%lld", "%d").replace("%zu", "%d").replace("%u", "%d")
            return py % tuple(args)
        check(err["field"] == "task" and c_format(err["template"], err["args"]) == err["message"],
              "an error's template filled with its args is its message")
        err, res = c.call("update.create", task=1, percent=140, done="x")
        check(err["field"] == "percent" and c_format(err["template"], err["args"]) == err["message"],
              "an invalid_argument's template and args give its message, naming the field")

        err, res = c.call("update.create", task=1, percent=140, done="x")
        check(err["name"] == "invalid_argument" and "percent" in err["message"],
              "percent 140 is refused naming the field")

        # PROTOCOL.md 6d: an evidence file sent in chunks and read back whole.
        err, res = c.call("task.list", state="in_progress", limit=1)
        task = res["items"][0]["id"]
        data = os.urandom(600000)
        digest = hashlib.sha256(data).hexdigest()
        err, up = c.call("file.upload_begin", task=task, name="Biên bản.pdf",
                         type="application/pdf", size=len(data), sha256=digest)
        check(err is None and up["received"] == 0 and up["chunk_size"] == 262144
              and up["resumed"] is False, "file.upload_begin opens an upload")
        while up["received"] < len(data):
            off = up["received"]
            err, up = c.call("file.upload_chunk", upload=up["id"], offset=off,
                             data=data[off:off + up["chunk_size"]],
                             request_id=os.urandom(8).hex())
            check(err is None, f"file.upload_chunk at {off}")
        err, f = c.call("file.upload_finish", upload=up["id"])
        check(err is None and f["sha256"] == digest and f["size"] == len(data),
              "file.upload_finish makes the file")
        back = b""
        while len(back) < f["size"]:
            err, res = c.call("file.read", file=f["id"], offset=len(back))
            back += res["data"]
        check(back == data, "file.read gives the bytes back, byte for byte")

        # PROTOCOL.md section 7: the too_large reply to a declared 4 GiB string.
        c2 = Client(int(open(portfile).read()))
        reply = c2.raw(bytes.fromhex("94 00 07 a1 78 91 81 a1 74 db ff ff ff ff"))
        check(reply[0] == 1 and reply[1] == 7 and reply[2]["name"] == "too_large",
              "a declared 4 GiB string gets too_large naming msgid 7")
        try:
            c2.read()
            check(False, "the connection is closed after too_large")
        except (EOFError, ConnectionResetError):
            check(True, "the connection is closed after too_large")

        # PROTOCOL.md 4b: writes of several kinds, then the whole chain
        # recomputed from audit.list alone.
        err, unit = c.call("unit.create", code="INTEROP-1", name="Phòng Thử nghiệm \"liên thông\"",
                           level="phòng", parent=1)
        check(err is None, "unit.create")
        err, _ = c.call("unit.rename", unit=unit["id"], name="Phòng Thử nghiệm " + "dài " * 20)
        check(err is None, "unit.rename (a name past 31 bytes)")
        err, acct = c.call("account.create", login="interop", display_name="Người Thử",
                           role="office", scope=unit["id"])
        check(err is None, "account.create")
        err, _ = c.call("token.create", account=acct["id"], name="máy trạm")
        check(err is None, "token.create")
        err, res = c.call("task.list", state="in_progress", limit=1)
        err, _ = c.call("update.create", task=res["items"][0]["id"], percent=55,
                        done="Đã làm xong phần 1 ✓", difficulties="x" * 300)
        check(err is None, "update.create")
        err, _ = c.call("throttle.clear")
        check(err is None, "throttle.clear (an entry of an object outside the database)")
        n, head, head_hash = verify_audit_chain(c)
        check(n >= 10, f"each of the {n} audit entries' hash, recomputed from PROTOCOL.md 4b, "
              "is the daemon's, and each links to the one before")
        err, v = c.call("audit.verify", anchor=f"{head}:{head_hash}")
        check(err is None and v["ok"] and v["head"] == head and v["head_hash"] == head_hash
              and v["anchors"] == 1, "audit.verify agrees with the head as an anchor")
        err, v = c.call("audit.verify", anchor=f"{head + 5}:{head_hash}")
        check(err is None and not v["ok"] and v["first_broken"] == head + 5,
              "audit.verify names an anchored entry the trail does not have")
    finally:
        if daemon:
            daemon.terminate()
            daemon.wait(10)
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
