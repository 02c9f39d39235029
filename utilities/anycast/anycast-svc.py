#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Test service and clients of the active anycast lab (real TCP).

  serve NAME [--port P] [--log FILE]
      dual-stack TCP server: each connection gets "NAME\\n"; a connection
      whose first line is "stream N" gets N bytes more at a slow pace, then
      a line "sha256 HEX" of those bytes.  Every accept is logged to FILE
      as "UNIXTIME PEER".
  conns ADDR [--port P] [--count N] [--seconds S] [--log FILE]
      N (or for S seconds) sequential short connections; prints
      "NAME COUNT" per server answering, and "failed COUNT".  --log
      writes "UNIXTIME NAME" per connection.
  stream ADDR [--port P] [--bytes N]
      one long-lived connection; prints "NAME OK|BAD bytes" after
      checking the checksum the server sent.
  stream ADDR --fast [--bytes N]
      the same at full speed (a bulk download: large TSO frames).
  upload ADDR [--port P] [--bytes N]
      one connection sending N bytes at full speed (line "upload N", then
      the bytes); the server answers "sha256 HEX" of what it received;
      prints "NAME OK|BAD bytes".
"""

import argparse
import hashlib
import socket
import sys
import threading
import time

CHUNK = 4096
STREAM_PAUSE = 0.01     # seconds between chunks of a slow stream


def payload(n):
    block = bytes(range(256)) * (CHUNK // 256)
    out = bytearray()
    while len(out) < n:
        out += block
    return bytes(out[:n])


def handle(conn, name):
    try:
        conn.settimeout(30)
        conn.sendall((name + "\n").encode())
        data = b""
        conn.settimeout(0.2)
        try:
            while b"\n" not in data:
                part = conn.recv(64)
                if not part:
                    break
                data += part
        except socket.timeout:
            pass
        line, _, rest = data.partition(b"\n")
        words = line.decode(errors="replace").split()
        if (len(words) == 2 and words[0] in ("stream", "fast")
                and words[1].isdigit()):
            conn.settimeout(30)
            body = payload(int(words[1]))
            step = CHUNK if words[0] == "stream" else len(body) or 1
            for i in range(0, len(body), step):
                conn.sendall(body[i:i + step])
                if words[0] == "stream":
                    time.sleep(STREAM_PAUSE)
            conn.sendall(("\nsha256 %s\n" %
                          hashlib.sha256(body).hexdigest()).encode())
        elif len(words) == 2 and words[0] == "upload" and words[1].isdigit():
            conn.settimeout(30)
            want, h, got = int(words[1]), hashlib.sha256(rest), len(rest)
            while got < want:
                part = conn.recv(1 << 16)
                if not part:
                    break
                h.update(part)
                got += len(part)
            conn.sendall(("sha256 %s\n" % h.hexdigest()).encode())
    except OSError:
        pass
    finally:
        conn.close()


def serve(args):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
    s.bind(("::", args.port))
    s.listen(512)
    log = open(args.log, "a", buffering=1) if args.log else None
    lock = threading.Lock()
    while True:
        conn, peer = s.accept()
        if log:
            with lock:
                log.write("%.6f %s\n" % (time.time(), peer[0]))
        threading.Thread(target=handle, args=(conn, args.name),
                         daemon=True).start()


def one(addr, port):
    with socket.create_connection((addr, port), timeout=3) as c:
        c.sendall(b"hello\n")
        data = b""
        while b"\n" not in data:
            part = c.recv(64)
            if not part:
                break
            data += part
        return data.split(b"\n")[0].decode() or "empty"


def conns(args):
    counts = {}
    failed = 0
    log = open(args.log, "w", buffering=1) if args.log else None
    end = time.time() + args.seconds if args.seconds else None
    n = 0
    while (end and time.time() < end) or (not end and n < args.count):
        n += 1
        try:
            name = one(args.addr, args.port)
        except OSError:
            failed += 1
            continue
        counts[name] = counts.get(name, 0) + 1
        if log:
            log.write("%.6f %s\n" % (time.time(), name))
    for name in sorted(counts):
        print(name, counts[name])
    print("failed", failed)


def stream(args):
    verb = b"fast" if args.fast else b"stream"
    with socket.create_connection((args.addr, args.port), timeout=10) as c:
        c.sendall(b"%s %d\n" % (verb, args.bytes))
        data = bytearray()
        while True:
            part = c.recv(65536)
            if not part:
                break
            data += part
    head, _, rest = bytes(data).partition(b"\n")
    body, _, trailer = rest.rpartition(b"\nsha256 ")
    ok = (len(body) == args.bytes and
          trailer.strip().decode() == hashlib.sha256(body).hexdigest()
          and body == payload(args.bytes))
    print(head.decode(), "OK" if ok else "BAD", len(body))
    return 0 if ok else 1


def upload(args):
    body = payload(args.bytes)
    with socket.create_connection((args.addr, args.port), timeout=10) as c:
        c.sendall(b"upload %d\n" % args.bytes)
        c.sendall(body)
        data = b""
        while True:
            part = c.recv(4096)
            if not part:
                break
            data += part
    lines = data.decode(errors="replace").split("\n")
    ok = (len(lines) >= 2 and
          lines[1] == "sha256 " + hashlib.sha256(body).hexdigest())
    print(lines[0], "OK" if ok else "BAD", args.bytes)
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    sub = p.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("serve")
    a.add_argument("name")
    a.add_argument("--port", type=int, default=80)
    a.add_argument("--log")
    a = sub.add_parser("conns")
    a.add_argument("addr")
    a.add_argument("--port", type=int, default=80)
    a.add_argument("--count", type=int, default=100)
    a.add_argument("--seconds", type=float)
    a.add_argument("--log")
    a = sub.add_parser("stream")
    a.add_argument("addr")
    a.add_argument("--port", type=int, default=80)
    a.add_argument("--bytes", type=int, default=1 << 20)
    a.add_argument("--fast", action="store_true")
    a = sub.add_parser("upload")
    a.add_argument("addr")
    a.add_argument("--port", type=int, default=80)
    a.add_argument("--bytes", type=int, default=1 << 20)
    args = p.parse_args()
    if args.cmd == "serve":
        serve(args)
    elif args.cmd == "conns":
        conns(args)
    elif args.cmd == "upload":
        sys.exit(upload(args))
    else:
        sys.exit(stream(args))


if __name__ == "__main__":
    main()
