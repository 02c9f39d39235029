#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the GRE packets of one TCP stream captured on the underlay.

Usage: underlay.py PCAP KEY SHA256 LENGTH

Reads the pcap (Ethernet, as tcpdump -w writes it) and, for every GRE
packet with key KEY (transparent Ethernet bridging) that carries IPv4 or
IPv6 TCP with payload, checks: the outer IPv4 header checksum and
length, the outer packet within 1500 bytes of L3, the inner IPv4 header
checksum and length (or IPv6 payload length), and the inner TCP checksum.
Then reassembles the stream of the data direction (the one with payload)
by sequence number and checks its first LENGTH bytes hash to SHA256.
Prints a summary line; exits 1 naming the first bad packet.
"""
import hashlib
import os
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from netpkt import csum  # noqa: E402  (after the path is set)


def pcap_frames(path):
    with open(path, "rb") as f:
        hdr = f.read(24)
        if len(hdr) < 24:
            sys.exit("underlay.py: %s: not a pcap file" % path)
        magic = struct.unpack("<I", hdr[:4])[0]
        if magic in (0xa1b2c3d4, 0xa1b23c4d):
            endian = "<"
        elif magic in (0xd4c3b2a1, 0x4d3cb2a1):
            endian = ">"
        else:
            sys.exit("underlay.py: %s: bad pcap magic %#x" % (path, magic))
        linktype = struct.unpack(endian + "I", hdr[20:24])[0]
        if linktype != 1:
            sys.exit("underlay.py: %s: link type %d, not Ethernet"
                     % (path, linktype))
        while True:
            rec = f.read(16)
            if len(rec) < 16:
                return
            incl, orig = struct.unpack(endian + "II", rec[8:16])
            data = f.read(incl)
            if incl != orig:
                sys.exit("underlay.py: truncated capture (snaplen)")
            yield data


def main(argv):
    if len(argv) != 5:
        sys.exit(__doc__)
    path, key, want_sha, want_len = argv[1], int(argv[2]), argv[3], \
        int(argv[4])
    segs = {}
    n = biggest = 0
    for i, frame in enumerate(pcap_frames(path)):
        where = "frame %d: " % (i + 1)
        if struct.unpack("!H", frame[12:14])[0] != 0x0800:
            continue
        ip = frame[14:]
        if ip[9] != 47:
            continue
        if csum(ip[:20]):
            sys.exit(where + "bad outer IPv4 checksum")
        tot = struct.unpack("!H", ip[2:4])[0]
        if tot != len(ip):
            sys.exit(where + "outer length %d of %d bytes" % (tot, len(ip)))
        if tot > 1500:
            sys.exit(where + "outer L3 packet of %d bytes > 1500" % tot)
        gre = ip[20:]
        flags, proto = struct.unpack("!HH", gre[:4])
        if flags != 0x2000 or proto != 0x6558 \
           or struct.unpack("!I", gre[4:8])[0] != key:
            continue
        inner = gre[8:]
        etype = struct.unpack("!H", inner[12:14])[0]
        l3 = inner[14:]
        if etype == 0x0800:
            ihl = (l3[0] & 15) * 4
            if csum(l3[:ihl]):
                sys.exit(where + "bad inner IPv4 checksum")
            l3len = struct.unpack("!H", l3[2:4])[0]
            proto = l3[9]
            pseudo = l3[12:20] + struct.pack("!xBH", 6, l3len - ihl)
            l4 = l3[ihl:l3len]
        elif etype == 0x86dd:
            plen, proto = struct.unpack("!HB", l3[4:7])
            l3len = 40 + plen
            l4 = l3[40:l3len]
            pseudo = l3[8:40] + struct.pack("!IxxxB", plen, 6)
        else:
            continue
        if l3len > len(l3) or proto != 6:
            if l3len > len(l3):
                sys.exit(where + "inner length %d of %d" % (l3len, len(l3)))
            continue
        if csum(pseudo + l4):
            sys.exit(where + "bad inner TCP checksum")
        payload = l4[(l4[12] >> 4) * 4:]
        if payload:
            seq = struct.unpack("!I", l4[4:8])[0]
            segs.setdefault(seq, payload)
            n += 1
            biggest = max(biggest, tot)
    if not segs:
        sys.exit("underlay.py: no TCP data in GRE key %d" % key)
    # The capture starts before the stream: its first data segment is the
    # stream's start; offsets are relative to it, modulo 2^32.
    first = next(iter(segs))
    stream = bytearray()
    for seq in sorted(segs, key=lambda s: (s - first) % 2**32):
        ofs = (seq - first) % 2**32
        data = segs[seq]
        if ofs > len(stream):
            sys.exit("underlay.py: %d bytes missing at stream offset %d"
                     % (ofs - len(stream), len(stream)))
        stream[ofs:ofs + len(data)] = data
    got = hashlib.sha256(bytes(stream[:want_len])).hexdigest()
    if len(stream) < want_len or got != want_sha:
        sys.exit("underlay.py: stream of %d bytes, want %d with sha256 %s"
                 % (len(stream), want_len, want_sha))
    print("%d data segments, checksums ok, largest %d bytes, stream of %d "
          "bytes ok" % (n, biggest, want_len))


if __name__ == "__main__":
    main(sys.argv)
