#!/usr/bin/python3
"""tests/smtp_sink.py: a local SMTP relay for tests/test_mail.c (aiosmtpd).

Usage: smtp_sink.py DIR [--tls CERT KEY] [--auth LOGIN PASSWORD]

With --tls it requires STARTTLS before anything else (530 otherwise); with
--auth it requires AUTH PLAIN or LOGIN with that login and password (535
for any other), as a province's relay does.

Listens on 127.0.0.1, on a port the system picks, written to DIR/port.
Each message accepted is written whole to DIR/msg-N.eml and, decoded with
Python's email package (an independent reader of what dotphad wrote), to
DIR/msg-N.json: {"message_id", "to", "subject", "text", "html"}.  The
test steers it with files in DIR, looked at for every message:
  refuse  every DATA is answered 451 (a relay that is down for a while);
          each refusal leaves DIR/refused-N;
  hang    DATA is held unanswered (a relay that stops mid-send), DIR/held-N
          holding its Message-ID, until the file goes; then 451.
  refuse-rcpt  every RCPT TO is answered 550 (no such mailbox);
  refuse-from  every MAIL FROM is answered 550 (the sender is not allowed);
          each leaves DIR/rcpt-refused-N or DIR/from-refused-N.
It stops by itself after 10 minutes, or when its parent dies.
"""
import asyncio
import email
import email.policy
import json
import os
import signal
import ssl
import sys

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

OUT = sys.argv[1]
counts = {"msg": 0, "refused": 0, "held": 0, "rcpt-refused": 0, "from-refused": 0}


def next_name(kind, ext=""):
    counts[kind] += 1
    return os.path.join(OUT, "%s-%d%s" % (kind, counts[kind], ext))


def write_atomic(path, data):
    with open(path + ".tmp", "wb") as f:
        f.write(data)
    os.rename(path + ".tmp", path)


class Sink:
    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        if os.path.exists(os.path.join(OUT, "refuse-from")):
            write_atomic(next_name("from-refused"), address.encode())
            return "550 5.7.1 sender not allowed"
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if os.path.exists(os.path.join(OUT, "refuse-rcpt")):
            write_atomic(next_name("rcpt-refused"), address.encode())
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

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


def options():
    """The SMTP keyword arguments the command line asks for."""
    kw = {"enable_SMTPUTF8": True}
    args = sys.argv[2:]
    while args:
        if args[0] == "--tls":
            ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            ctx.load_cert_chain(args[1], args[2])
            kw.update(tls_context=ctx, require_starttls=True)
            args = args[3:]
        elif args[0] == "--auth":
            login, password = args[1].encode(), args[2].encode()

            def check(server, session, envelope, mechanism, data):
                ok = (isinstance(data, LoginPassword) and data.login == login
                      and data.password == password)
                return AuthResult(success=ok, handled=False)
            kw.update(authenticator=check, auth_required=True)
            args = args[3:]
        else:
            sys.exit("smtp_sink.py: unknown option " + args[0])
    return kw


async def main():
    loop = asyncio.get_running_loop()
    kw = options()
    server = await loop.create_server(lambda: SMTP(Sink(), **kw), "127.0.0.1", 0)
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
