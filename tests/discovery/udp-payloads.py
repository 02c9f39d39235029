#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""udp-payloads.py: the UDP datagrams of a capture, for the discovery
stage's byte-level checks.

  udp-payloads.py FILE PORT

FILE is a pcap file (tcpdump -w, Ethernet).  Prints one line per UDP
datagram to or from PORT, IPv4 or IPv6 (one 802.1Q tag at most, IPv6
without extension headers):

  FAMILY SOURCE SPORT PAYLOAD-HEX

FAMILY is 4 or 6.  The payload is cut to the UDP length.  Frames of
other kinds are skipped; a truncated file ends the listing with an error.
"""
import socket
import struct
import sys


def frames(data):
    if len(data) < 24:
        raise ValueError("not a pcap file (%d bytes)" % len(data))
    magic = data[:4]
    if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        end = "<"
    elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
        end = ">"
    else:
        raise ValueError("not a pcap file (magic %s)" % magic.hex())
    linktype = struct.unpack(end + "I", data[20:24])[0]
    if linktype != 1:
        raise ValueError("link type %d, not Ethernet" % linktype)
    ofs = 24
    while ofs < len(data):
        if ofs + 16 > len(data):
            raise ValueError("truncated record header at %d" % ofs)
        incl = struct.unpack(end + "I", data[ofs + 8:ofs + 12])[0]
        ofs += 16
        if ofs + incl > len(data):
            raise ValueError("truncated record at %d" % ofs)
        yield data[ofs:ofs + incl]
        ofs += incl


def udp_of(frame):
    """(family, source, sport, dport, payload) or None."""
    if len(frame) < 14:
        return None
    etype = struct.unpack_from("!H", frame, 12)[0]
    l3 = 14
    if etype == 0x8100 and len(frame) >= 18:
        etype = struct.unpack_from("!H", frame, 16)[0]
        l3 = 18
    if etype == 0x0800 and len(frame) >= l3 + 20:
        ihl = (frame[l3] & 0x0F) * 4
        if frame[l3 + 9] != 17 or len(frame) < l3 + ihl + 8:
            return None
        fam, src, l4 = 4, socket.inet_ntop(socket.AF_INET,
                                           frame[l3 + 12:l3 + 16]), l3 + ihl
    elif etype == 0x86DD and len(frame) >= l3 + 48:
        if frame[l3 + 6] != 17:
            return None
        fam, src = 6, socket.inet_ntop(socket.AF_INET6,
                                       frame[l3 + 8:l3 + 24])
        l4 = l3 + 40
    else:
        return None
    sport, dport, ulen = struct.unpack_from("!HHH", frame, l4)
    return fam, src, sport, dport, frame[l4 + 8:l4 + max(ulen, 8)]


def main():
    if len(sys.argv) != 3 or sys.argv[1] in ("-h", "--help"):
        print(__doc__.strip())
        return 0 if len(sys.argv) == 2 else 2
    port = int(sys.argv[2])
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    try:
        for frame in frames(data):
            u = udp_of(frame)
            if u and port in (u[2], u[3]):
                print(u[0], u[1], u[2], u[4].hex())
    except ValueError as e:
        print("udp-payloads.py: %s: %s" % (sys.argv[1], e), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
