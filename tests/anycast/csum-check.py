#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the TCP checksums of a capture after address rewriting.

Usage: csum-check.py PCAP ADDR[,ADDR...]

Looks at every IPv4 or IPv6 TCP segment from or to one of the ADDRs and
counts it as "full" (a finished checksum that verifies over the captured
segment), "partial" (a checksum left to offload, CHECKSUM_PARTIAL: the
field is exactly the folded pseudo-header sum of the addresses the segment
has now) or "bad" (neither: e.g. a rewritten address whose sum was
updated the wrong way).  "super" counts segments larger than a 1500-byte
MTU (TSO frames that reached this end whole).  Prints the counts; exits 1
if a segment is bad or none was seen.
"""
import socket
import struct
import sys

ETH_IP4, ETH_IP6 = 0x0800, 0x86dd
PROTO_TCP = 6
MTU = 1500
TCP_CSUM_OFS = 16


def fold(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def words(b):
    if len(b) % 2:
        b += b"\0"
    return sum(struct.unpack("!%dH" % (len(b) // 2), b))


def frames(path):
    with open(path, "rb") as f:
        f.read(24)
        while True:
            hdr = f.read(16)
            if len(hdr) < 16:
                return
            _, _, incl, orig = struct.unpack("<IIII", hdr)
            yield f.read(incl), orig


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    want = set()
    for a in argv[2].split(","):
        fam = socket.AF_INET6 if ":" in a else socket.AF_INET
        want.add(socket.inet_pton(fam, a))
    n = {"segments": 0, "super": 0, "partial": 0, "full": 0, "bad": 0}
    for p, orig in frames(argv[1]):
        if len(p) < 14:
            continue
        etype = struct.unpack("!H", p[12:14])[0]
        if etype == ETH_IP4 and len(p) >= 34 and p[23] == PROTO_TCP:
            ihl = (p[14] & 15) * 4
            src, dst = p[26:30], p[30:34]
            l3len = struct.unpack("!H", p[16:18])[0]
            l4len = l3len - ihl
            l4 = p[14 + ihl:]
        elif (etype == ETH_IP6 and len(p) >= 54 and p[20] == PROTO_TCP):
            src, dst = p[22:38], p[38:54]
            l4len = struct.unpack("!H", p[18:20])[0]
            l3len = l4len + 40
            l4 = p[54:]
        else:
            continue
        if (src not in want and dst not in want) or len(l4) < 20:
            continue
        n["segments"] += 1
        if l3len > MTU:
            n["super"] += 1
        pseudo = words(src + dst) + PROTO_TCP + l4len
        field = struct.unpack("!H", l4[TCP_CSUM_OFS:TCP_CSUM_OFS + 2])[0]
        if len(l4) >= l4len and fold(pseudo + words(l4[:l4len])) == 0xffff:
            n["full"] += 1
        elif field == fold(pseudo):
            n["partial"] += 1
        else:
            n["bad"] += 1
    print("  " + " ".join("%s %d" % kv for kv in n.items()))
    return 0 if n["segments"] and not n["bad"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
