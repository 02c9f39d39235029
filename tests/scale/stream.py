#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""A long TCP stream whose bytes are checked at both ends.

  stream.py server PORT OUT   accept one connection on [::]:PORT, read to
                              EOF; write "BYTES SHA256 IFNAME" to OUT
                              (IFNAME: the interface of the peer's
                              link-local scope, '-' if none)
  stream.py client HOST PORT STOP OUT
                              send a deterministic byte pattern, paced,
                              until file STOP exists; then close and write
                              "BYTES SHA256" to OUT.  Exits 1 if the
                              connection broke.
"""
import hashlib
import os
import socket
import sys
import time

CHUNK = 65536
# About 4 MB/s: enough bytes to notice a reset or a gap, little CPU on a
# shared machine.
PAUSE = 0.015


def pattern(i):
    """Chunk i: its number repeated, so a lost or duplicated chunk changes
    the digest."""
    return (i.to_bytes(8, "big") * (CHUNK // 8))


def server(port, out):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("::", port))
    s.listen(1)
    c, peer = s.accept()
    ifname = "-"
    if len(peer) >= 4 and peer[3]:
        ifname = socket.if_indextoname(peer[3])
    h = hashlib.sha256()
    n = 0
    while True:
        b = c.recv(1 << 20)
        if not b:
            break
        h.update(b)
        n += len(b)
    with open(out, "w") as f:
        f.write("%d %s %s\n" % (n, h.hexdigest(), ifname))


def client(host, port, stop, out):
    c = socket.create_connection((host, port), timeout=20)
    h = hashlib.sha256()
    n = 0
    i = 0
    while not os.path.exists(stop):
        b = pattern(i)
        c.sendall(b)
        h.update(b)
        n += len(b)
        i += 1
        time.sleep(PAUSE)
    c.shutdown(socket.SHUT_WR)
    c.recv(1)
    c.close()
    with open(out, "w") as f:
        f.write("%d %s\n" % (n, h.hexdigest()))


def main():
    a = sys.argv[1:]
    if a[:1] == ["server"] and len(a) == 3:
        server(int(a[1]), a[2])
    elif a[:1] == ["client"] and len(a) == 5:
        client(a[1], int(a[2]), a[3], a[4])
    else:
        sys.stderr.write(__doc__)
        sys.exit(2)


if __name__ == "__main__":
    try:
        main()
    except OSError as e:
        sys.stderr.write("stream.py: %s\n" % e)
        sys.exit(1)
