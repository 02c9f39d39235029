#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the drain bound of active anycast on one server's own capture.

Usage: drain-check.py PCAP SERVER-ADDR AGENT-ADDR REPORT-PORT DEAD-MS

PCAP is taken on the server's interface and holds the load reports it sent
(UDP from SERVER-ADDR to AGENT-ADDR:REPORT-PORT) and the SYNs of new
connections it received (TCP SYN without ACK to SERVER-ADDR), all stamped
by one clock, the server's kernel.  Passes (exit 0) if the last SYN came
no later than DEAD-MS + 100 ms after the last report, and at least one SYN
came before that report (the server did take connections: the check can
fail).  IPv4 over Ethernet only.
"""
import socket
import struct
import sys

SLACK_MS = 100          # the bound: dead-after + 100 ms
ETH_IP4 = 0x0800
PROTO_TCP, PROTO_UDP = 6, 17
TCP_SYN, TCP_ACK = 0x02, 0x10


def frames(path):
    with open(path, "rb") as f:
        magic = struct.unpack("<I", f.read(24)[:4])[0]
        scale = 1e-9 if magic == 0xa1b23c4d else 1e-6
        while True:
            hdr = f.read(16)
            if len(hdr) < 16:
                return
            sec, frac, incl, _ = struct.unpack("<IIII", hdr)
            yield sec + frac * scale, f.read(incl)


def main(argv):
    if len(argv) != 6:
        sys.exit(__doc__)
    path, server, agent = argv[1], argv[2], argv[3]
    port, dead = int(argv[4]), int(argv[5])
    srv, agt = socket.inet_aton(server), socket.inet_aton(agent)
    reports, syns = [], []
    for ts, p in frames(path):
        if len(p) < 34 or struct.unpack("!H", p[12:14])[0] != ETH_IP4:
            continue
        ihl = (p[14] & 15) * 4
        proto, src, dst = p[23], p[26:30], p[30:34]
        l4 = p[14 + ihl:]
        if (proto == PROTO_UDP and src == srv and dst == agt
                and len(l4) >= 4 and struct.unpack("!H", l4[2:4])[0] == port):
            reports.append(ts)
        elif (proto == PROTO_TCP and dst == srv and len(l4) >= 14
              and l4[13] & (TCP_SYN | TCP_ACK) == TCP_SYN):
            syns.append(ts)
    if not reports or not syns:
        print("  %d reports and %d SYNs in the capture: nothing to check"
              % (len(reports), len(syns)))
        return 1
    last = reports[-1]
    before = sum(1 for t in syns if t <= last)
    after = [t for t in syns if t > last]
    lag = (max(after) - last) * 1000 if after else 0.0
    print("  %s: %d reports, %d new connections before the last report, %d "
          "after it, the last %.0f ms after it (bound %d ms)"
          % (server, len(reports), before, len(after), lag, dead + SLACK_MS))
    return 0 if before > 0 and lag <= dead + SLACK_MS else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
