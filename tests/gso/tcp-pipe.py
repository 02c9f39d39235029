#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A TCP sender or receiver of a known byte pattern, for tests/gso/run.

Usage: tcp-pipe.py listen|connect ADDR PORT send LENGTH
       tcp-pipe.py listen|connect ADDR PORT recv OUTFILE
       tcp-pipe.py sha LENGTH

'listen' accepts one connection on ADDR, 'connect' connects to ADDR (an
IPv6 link-local address takes %IFNAME).  'send' sends LENGTH bytes of the
pattern and closes; 'recv' reads to EOF and writes "LENGTH SHA256" to
OUTFILE.  'sha' prints the sha256 of LENGTH pattern bytes.
"""
import hashlib
import socket
import sys

CHUNK = 65536
SO_MAX_PACING_RATE = 47
# Bytes/s: slow enough for tcpdump on a busy 2-core machine to capture
# every segment, fast enough for TSO frames (TSO autosizing makes them
# about 1 ms of the pacing rate: ~30 kB).
PACING = 30 * 1000 * 1000


def pattern(length):
    block = bytes(range(256)) * (CHUNK // 256)
    out = bytearray()
    while len(out) < length:
        out += block
    return bytes(out[:length])


def open_conn(how, addr, port):
    fam = socket.AF_INET6 if ":" in addr else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_STREAM)
    if how == "listen":
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind((addr, port))
        s.listen(1)
        s.settimeout(60)
        conn, _ = s.accept()
        s.close()
        conn.settimeout(30)
        return conn
    s.settimeout(30)
    s.connect(socket.getaddrinfo(addr, port, fam, socket.SOCK_STREAM)[0][4])
    return s


def main(argv):
    if len(argv) == 3 and argv[1] == "sha":
        print(hashlib.sha256(pattern(int(argv[2]))).hexdigest())
        return
    if len(argv) != 6 or argv[1] not in ("listen", "connect") \
       or argv[4] not in ("send", "recv"):
        sys.exit(__doc__)
    conn = open_conn(argv[1], argv[2], int(argv[3]))
    if argv[4] == "send":
        conn.setsockopt(socket.SOL_SOCKET, SO_MAX_PACING_RATE, PACING)
        conn.sendall(pattern(int(argv[5])))
        conn.shutdown(socket.SHUT_WR)
        while conn.recv(CHUNK):
            pass
    else:
        h, n = hashlib.sha256(), 0
        while True:
            data = conn.recv(CHUNK)
            if not data:
                break
            h.update(data)
            n += len(data)
        with open(argv[5], "w") as f:
            f.write("%d %s\n" % (n, h.hexdigest()))
    conn.close()


if __name__ == "__main__":
    main(sys.argv)
