#!/usr/bin/python3
"""tests/smtp_sink.py: a local SMTP relay for tests/test_mail.c (aiosmtpd).

Usage: smtp_sink.py DIR

Listens on 127.0.0.1, on a port the system picks, written to DIR/port.
Each message accepted is written whole to DIR/msg-N.eml and, decoded with
Python's email package (an independent reader of what dotphad wrote), to
DIR/msg-N.json: {"message_id", "to", "subject", "text", "html"}.  The
test steers it with files in DIR, looked at for every message:
  refuse  every DATA is answered 451 (a relay that is down for a while);
          each refusal leaves DIR/refused-N;
  hang    DATA is held unanswered (a relay that stops mid-send), DIR/held-N
          holding its Message-ID, until the file goes; then 451.
It stops by itself after 10 minutes, or when its parent dies.
"""
import asyncio
import email
import email.policy
import json
import os
import signal
import sys

from aiosmtpd.smtp import SMTP

OUT = sys.argv[1]
counts = {"msg": 0, "refused": 0, "held": 0}


def next_name(kind, ext=""):
    counts[kind] += 1
    return os.path.join(OUT, "%s-%d%s" % (kind, counts[kind], ext))


def write_atomic(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


class Sink:
    async def handle_DATA(self, server, session, envelope):
        raw = envelope.original_content or envelope.content
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        if os.path.exists(os.path.join(OUT, "refuse")):
            write_atomic(next_name("refused"), str(msg["Message-ID"]).encode())
            return "451 4.3.0 try again later"
        if os.path.exists(os.path.join(OUT, "hang")):
            write_atomic(next_name("held"), str(msg["Message-ID"]).encode())
            while os.path.exists(os.path.join(OUT, "hang")):
                await asyncio.sleep(0.05)
            return "451 4.3.0 try again later"
        text = msg.get_body(preferencelist=("plain",))
        html = msg.get_body(preferencelist=("html",))
        base = next_name("msg")
        write_atomic(base + ".eml", raw)
        write_atomic(base + ".json", json.dumps({
            "message_id": str(msg["Message-ID"]),
            "to": envelope.rcpt_tos,
            "from": envelope.mail_from,
            "subject": str(msg["Subject"]),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
        }, ensure_ascii=False).encode("utf-8"))
        return "250 2.0.0 OK"


async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Sink(), enable_SMTPUTF8=True),
                                      "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    write_atomic(os.path.join(OUT, "port"), str(port).encode())
    parent = os.getppid()
    for _ in range(600 * 10):
        if os.getppid() != parent:
            break
        await asyncio.sleep(0.1)
    server.close()


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: os._exit(0))
    asyncio.run(main())
