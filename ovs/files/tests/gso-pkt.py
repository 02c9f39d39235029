#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds the Ethernet frames of OVS's tests/gso.at, as hex.

The TCP super-frames, and the segments a NIC (or software segmentation)
must make of them, are built here from scratch with checksums computed
over whole packets, independently of lib/dp-packet-gso.c.

Usage: gso-pkt.py FRAME            prints frame FRAME as a hex string
       gso-pkt.py FRAME SEGSZ      prints the segments of super-frame FRAME
                                   with SEGSZ payload bytes each, one a line
       gso-pkt.py --list           lists the frame names
       gso-pkt.py --check-tunnel KIND FRAME SEGSZ < HEX-LINES
           checks that the packets read are FRAME's segments (SEGSZ payload
           bytes each), in order, each inside its own tunnel packet of KIND
           (gre, ip6gre, vxlan, geneve) from 1.1.2.88 (2001:cafe::88) to
           1.1.2.92 (::92) with key 10, valid outer checksums and lengths,
           and at most 1500 bytes of outer L3 packet; prints the count
"""
import struct
import sys

MAC_C = bytes.fromhex("505400000001")
MAC_S = bytes.fromhex("505400000002")
IP4_C = bytes((192, 168, 0, 10))
IP4_S = bytes((192, 168, 0, 100))
IP6_C = bytes.fromhex("fd000000000000000000000000000010")
IP6_S = bytes.fromhex("fd000000000000000000000000000100")
# The destination an address rewrite (ct nat, set_field) gives the
# partial-* frames, and the port mod_tp_dst gives them.
IP4_NAT = bytes((192, 168, 0, 200))
IP6_NAT = bytes.fromhex("fd000000000000000000000000000200")
PORT_NAT = 8080
UL_GW_IP = bytes((1, 1, 2, 88))
UL_PEER_IP = bytes((1, 1, 2, 92))
UL_GW_IP6 = bytes.fromhex("2001cafe000000000000000000000088")
UL_PEER_IP6 = bytes.fromhex("2001cafe000000000000000000000092")
UL_PEER_MAC = bytes.fromhex("f8bc124434b6")
TUNNEL_KEY = 10
UDP_PORT = {"vxlan": 4789, "geneve": 6081}
VLAN_TCI = (3 << 13) | 10           # PCP 3, VLAN 10
PAYLOAD_LEN = 2500
IP_ID = 0xfff0                      # wraps within the segments
SEQ = 0xfffff000                    # wraps too
TCP_FIN, TCP_PSH, TCP_ACK, TCP_CWR = 0x01, 0x08, 0x10, 0x80
# NOP, NOP, timestamps: a 32-byte TCP header, as Linux sends.
TCP_OPTS = bytes((1, 1, 8, 10)) + struct.pack("!II", 0x01020304, 0x05060708)


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def ipv4(src, dst, proto, payload, ident, csum_ok=True):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      0x4000, 64, proto, 0, src, dst)
    c = csum(hdr) if csum_ok else 0
    return hdr[:10] + struct.pack("!H", c) + hdr[12:] + payload


def ipv6(src, dst, nxt, payload, hbh=False):
    if hbh:
        # Hop-by-hop options header with a PadN: not something the
        # segmentation handles.
        payload = bytes((nxt, 0, 1, 4, 0, 0, 0, 0)) + payload
        nxt = 0
    return (struct.pack("!IHBB", 0x60000000, len(payload), nxt, 64) + src
            + dst + payload)


def pseudo(v6, src, dst, proto, length):
    if v6:
        return src + dst + struct.pack("!IxxxB", length, proto)
    return src + dst + struct.pack("!xBH", proto, length)


def partial(v6, src, dst, proto, length):
    """The L4 checksum field a sender leaves to checksum offload (Linux's
    CHECKSUM_PARTIAL): the folded pseudo-header sum, not complemented."""
    return (~csum(pseudo(v6, src, dst, proto, length))) & 0xffff


def tcp(v6, src, dst, seq, flags, payload, csum_ok=True, dport=80):
    hdr = struct.pack("!HHIIBBHHH", 40000, dport, seq & 0xffffffff, 1,
                      (5 + len(TCP_OPTS) // 4) << 4, flags, 502, 0, 0)
    hdr += TCP_OPTS
    seg = hdr + payload
    c = csum(pseudo(v6, src, dst, 6, len(seg)) + seg) if csum_ok else 0x5a5a
    return seg[:16] + struct.pack("!H", c) + seg[18:]


def udp(v6, src, dst, payload, csum_ok=True, dport=53):
    seg = struct.pack("!HHHH", 40000, dport, 8 + len(payload), 0) + payload
    c = csum(pseudo(v6, src, dst, 17, len(seg)) + seg) or 0xffff
    if not csum_ok:
        c = 0x5a5a
    return seg[:6] + struct.pack("!H", c) + seg[8:]


def eth(vlan, v6, payload):
    l2 = MAC_S + MAC_C
    if vlan:
        l2 += struct.pack("!HH", 0x8100, VLAN_TCI)
    return l2 + struct.pack("!H", 0x86dd if v6 else 0x0800) + payload


def pattern(n, start=0):
    return bytes((start + i) * 7 % 251 for i in range(n))


def l3(v6, proto, l4, ident, hbh=False):
    if v6:
        return ipv6(IP6_C, IP6_S, proto, l4, hbh)
    return ipv4(IP4_C, IP4_S, proto, l4, ident)


def addrs(v6):
    return (IP6_C, IP6_S) if v6 else (IP4_C, IP4_S)


def partial_frame(name):
    """partial-tcp4, -tcp6, -udp4, -udp6: small frames whose L4 checksum
    is left to the port (the pseudo-header sum); with -nat the destination
    address is IP4_NAT / IP6_NAT, with -natport also the destination port
    PORT_NAT, the checksum field always the pseudo-header sum of the
    addresses the frame has."""
    words = name.split("-")
    v6 = words[1].endswith("6")
    src, dst = addrs(v6)
    dport = None
    if len(words) > 2:
        dst = IP6_NAT if v6 else IP4_NAT
        if words[2] == "natport":
            dport = PORT_NAT
    data = pattern(100)
    if words[1].startswith("udp"):
        l4 = udp(v6, src, dst, data, dport=dport or 53)
        proto = 17
    else:
        l4 = tcp(v6, src, dst, SEQ, TCP_ACK | TCP_PSH, data,
                 dport=dport or 80)
        proto = 6
    ofs = 6 if proto == 17 else 16
    l4 = (l4[:ofs] + struct.pack("!H", partial(v6, src, dst, proto, len(l4)))
          + l4[ofs + 2:])
    if v6:
        return eth(False, v6, ipv6(src, dst, proto, l4))
    return eth(False, v6, ipv4(src, dst, proto, l4, 7))


def super_frame(name):
    """FRAME: tcp4, tcp6, tcp4-vlan, tcp6-vlan (2500-byte super-frames
    with FIN, PSH, CWR; a stale TCP checksum, as checksum offload leaves
    it), tcp6-hbh (with a hop-by-hop header), csum-tcp4, csum-tcp6,
    csum-udp4, csum-udp6 (small, wrong L4 checksum) and their -ok twins
    (correct checksum), the partial-* frames of partial_frame()."""
    v6 = "6" in name.split("-")[0]
    vlan = name.endswith("-vlan")
    src, dst = addrs(v6)
    if name.startswith("partial-"):
        return partial_frame(name)
    if name.startswith("csum-"):
        ok = name.endswith("-ok")
        data = pattern(100)
        if "udp" in name:
            l4 = udp(v6, src, dst, data, ok)
            return eth(False, v6, l3(v6, 17, l4, 7))
        l4 = tcp(v6, src, dst, SEQ, TCP_ACK | TCP_PSH, data, ok)
        return eth(False, v6, l3(v6, 6, l4, 7))
    flags = TCP_ACK | TCP_PSH | TCP_FIN | TCP_CWR
    l4 = tcp(v6, src, dst, SEQ, flags, pattern(PAYLOAD_LEN), False)
    return eth(vlan, v6, l3(v6, 6, l4, IP_ID, name.endswith("-hbh")))


def segments(name, segsz):
    v6 = "6" in name.split("-")[0]
    vlan = name.endswith("-vlan")
    src, dst = addrs(v6)
    data = pattern(PAYLOAD_LEN)
    out = []
    for i, ofs in enumerate(range(0, len(data), segsz)):
        chunk = data[ofs:ofs + segsz]
        last = ofs + segsz >= len(data)
        flags = TCP_ACK
        if last:
            flags |= TCP_PSH | TCP_FIN
        if i == 0:
            flags |= TCP_CWR
        l4 = tcp(v6, src, dst, SEQ + ofs, flags, chunk)
        out.append(eth(vlan, v6, l3(v6, 6, l4, (IP_ID + i) & 0xffff)))
    return out


NAMES = ["tcp4", "tcp6", "tcp4-vlan", "tcp6-vlan", "tcp6-hbh",
         "csum-tcp4", "csum-tcp6", "csum-udp4", "csum-udp6",
         "csum-tcp4-ok", "csum-tcp6-ok", "csum-udp4-ok", "csum-udp6-ok"]
NAMES += ["partial-%s%s" % (p, v) for p in ("tcp4", "tcp6", "udp4", "udp6")
          for v in ("", "-nat", "-natport")]


def fail(msg):
    sys.exit("gso-pkt.py: " + msg)


def check_tunnel(kind, name, segsz):
    want = segments(name, segsz)
    got = [bytes.fromhex(line.strip()) for line in sys.stdin if line.strip()]
    if len(got) != len(want):
        fail("%d tunnel packets, wanted %d" % (len(got), len(want)))
    for i, pkt in enumerate(got):
        where = "packet %d: " % i
        if pkt[:6] != UL_PEER_MAC:
            fail(where + "not to the peer's MAC")
        ethertype, = struct.unpack("!H", pkt[12:14])
        ip = pkt[14:]
        if kind == "ip6gre":
            if ethertype != 0x86dd:
                fail(where + "not IPv6")
            plen, nxt = struct.unpack("!HB", ip[4:7])
            if ip[8:24] != UL_GW_IP6 or ip[24:40] != UL_PEER_IP6:
                fail(where + "wrong outer IPv6 addresses")
            if plen != len(ip) - 40:
                fail(where + "outer IPv6 payload length %d" % plen)
            l3len, l4, src, dst = len(ip), ip[40:], ip[8:24], ip[24:40]
            v6 = True
        else:
            if ethertype != 0x0800:
                fail(where + "not IPv4")
            if csum(ip[:20]):
                fail(where + "bad outer IPv4 header checksum")
            l3len, = struct.unpack("!H", ip[2:4])
            nxt = ip[9]
            if l3len != len(ip):
                fail(where + "outer IPv4 length %d of %d" % (l3len, len(ip)))
            if ip[12:16] != UL_GW_IP or ip[16:20] != UL_PEER_IP:
                fail(where + "wrong outer IPv4 addresses")
            l4, src, dst = ip[20:], ip[12:16], ip[16:20]
            v6 = False
        if l3len > 1500:
            fail(where + "outer L3 packet of %d bytes > 1500" % l3len)
        if kind in ("gre", "ip6gre"):
            if nxt != 47:
                fail(where + "not GRE")
            flags, proto, key = struct.unpack("!HHI", l4[:8])
            if flags != 0x2000 or proto != 0x6558 or key != TUNNEL_KEY:
                fail(where + "GRE header %s" % l4[:8].hex())
            inner = l4[8:]
        else:
            if nxt != 17:
                fail(where + "not UDP")
            sport, dport, ulen, ucsum = struct.unpack("!HHHH", l4[:8])
            if dport != UDP_PORT[kind] or ulen != len(l4):
                fail(where + "UDP port %d length %d" % (dport, ulen))
            if (ucsum or v6) and csum(pseudo(v6, src, dst, 17, ulen) + l4):
                fail(where + "bad outer UDP checksum")
            vni = struct.unpack("!I", l4[12:16])[0] >> 8
            if vni != TUNNEL_KEY:
                fail(where + "VNI %d" % vni)
            opts = (l4[8] & 0x3f) * 4 if kind == "geneve" else 0
            inner = l4[16 + opts:]
        if inner != want[i]:
            fail(where + "inner frame\n  %s\nwanted\n  %s"
                 % (inner.hex(), want[i].hex()))
    print("%d segments in %s ok" % (len(got), kind))


def main(argv):
    if len(argv) == 2 and argv[1] == "--list":
        print("\n".join(NAMES))
    elif len(argv) == 5 and argv[1] == "--check-tunnel":
        check_tunnel(argv[2], argv[3], int(argv[4]))
    elif len(argv) == 2 and argv[1] in NAMES:
        print(super_frame(argv[1]).hex())
    elif len(argv) == 3 and argv[1] in NAMES:
        for seg in segments(argv[1], int(argv[2])):
            print(seg.hex())
    else:
        fail("usage: gso-pkt.py FRAME [SEGSZ] | --list | --check-tunnel "
             "KIND FRAME SEGSZ (frames: %s)" % " ".join(NAMES))


if __name__ == "__main__":
    main(sys.argv)
