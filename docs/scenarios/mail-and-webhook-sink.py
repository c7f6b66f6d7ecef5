#!/usr/bin/env python3
"""A loopback SMTP server and webhook receiver for the night scenario: logs when each message arrives."""
import asyncio, datetime, hashlib, hmac, sys, json

LOG = sys.argv[1]
SMTP_PORT, HOOK_PORT, SECRET = int(sys.argv[2]), int(sys.argv[3]), sys.argv[4].encode()

def log(line):
    with open(LOG, "a") as f:
        f.write(f"{datetime.datetime.now(datetime.timezone.utc).isoformat(timespec='milliseconds')} {line}\n")

async def smtp(reader, writer):
    async def say(s): writer.write((s + "\r\n").encode()); await writer.drain()
    await say("220 sink ESMTP")
    rcpts, subject = [], ""
    while line := await reader.readline():
        cmd = line.decode(errors="replace").strip()
        up = cmd.upper()
        if up.startswith(("EHLO", "HELO")): await say("250 sink")
        elif up.startswith("MAIL"): rcpts = []; await say("250 ok")
        elif up.startswith("RCPT"): rcpts.append(cmd[8:].strip()); await say("250 ok")
        elif up == "DATA":
            await say("354 go")
            while (l := await reader.readline()) != b".\r\n":
                t = l.decode(errors="replace")
                if t.lower().startswith("subject:"): subject = t[8:].strip()
            log(f"smtp to={','.join(rcpts)} subject={subject!r}")
            await say("250 queued")
        elif up == "QUIT": await say("221 bye"); break
        else: await say("250 ok")
    writer.close()

async def hook(reader, writer):
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode().split("\r\n")
    headers = {k.lower(): v.strip() for k, _, v in (l.partition(":") for l in lines[1:] if l)}
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    sig = headers.get("x-lagesbild-signature", "")
    ts = headers.get("x-lagesbild-timestamp", "")
    ok = any(hmac.compare_digest(sig.split("=", 1)[-1], hmac.new(SECRET, m, hashlib.sha256).hexdigest())
             for m in (body, f"{ts}.".encode() + body))
    try: title = json.loads(body).get("title", "")
    except Exception: title = "?"
    names = sorted(k for k in headers if k.startswith('x-lagesbild'))
    log(f"webhook signature={'ok' if ok else 'BAD'} headers={names} title={title!r}")
    writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"); await writer.drain(); writer.close()

async def main():
    a = await asyncio.start_server(smtp, "127.0.0.1", SMTP_PORT)
    b = await asyncio.start_server(hook, "127.0.0.1", HOOK_PORT)
    log("sink ready")
    async with a, b: await asyncio.gather(a.serve_forever(), b.serve_forever())

asyncio.run(main())
