#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""UDP echo for the kernel datapath tests (runs inside the UML guest).

  udp-echo.py server PORT PEERFILE COUNT
      Answers COUNT datagrams on [::]:PORT with b"echo:" + data and writes
      each sender's address (e.g. fe80::c0a8:a) as one line to PEERFILE.
  udp-echo.py client HOST PORT SIZE DF
      Sends SIZE pattern bytes to HOST:PORT over IPv4 with DF set (DF=do)
      or clear (DF=dont), waits 5 s for the echo and exits 0 iff it came
      back byte for byte.
"""
import socket
import sys

IP_MTU_DISCOVER = 10
PMTUDISC = {"dont": 0, "do": 2}


def server(port, peerfile, count):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
    sock.bind(("::", port))
    sock.settimeout(60)
    for _ in range(count):
        data, peer = sock.recvfrom(65535)
        with open(peerfile, "a") as f:
            f.write(peer[0].split("%")[0] + "\n")
        sock.sendto(b"echo:" + data, peer)
    return 0


def client(host, port, size, df):
    payload = bytes((i * 7 + 3) & 0xFF for i in range(size))
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, PMTUDISC[df])
    sock.settimeout(5)
    sock.sendto(payload, (host, port))
    try:
        data = sock.recv(65535)
    except OSError as e:
        print("no echo: %s" % e)
        return 1
    if data != b"echo:" + payload:
        print("echo differs: %d bytes back for %d sent" % (len(data), size))
        return 1
    print("echo ok, %d bytes" % size)
    return 0


def main(argv):
    if len(argv) == 4 and argv[0] == "server":
        return server(int(argv[1]), argv[2], int(argv[3]))
    if len(argv) == 5 and argv[0] == "client":
        return client(argv[1], int(argv[2]), int(argv[3]), argv[4])
    print(__doc__)
    return 0 if argv[:1] in (["--help"], ["-h"]) else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
