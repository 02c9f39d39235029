#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Forges frames for the tenant isolation tests and counts them in captures.

send IFACE KIND [--opt value]...   writes one frame with AF_PACKET
gre DST KEY KIND [--opt value]...  sends KIND inside GRE (key KEY) to DST
                                   through a raw IP socket, so the source
                                   address is this namespace's own
flood IFACE N KIND [--vary] [--seconds S] [--opt value]...
                                   writes KIND N times (or for S seconds,
                                   N times per round); --vary gives every
                                   frame its own source (MAC and IPv4
                                   10.<i>.<i>, or fe80::<i> for IPv6);
                                   prints the number of frames sent
count PCAP HEX                     prints how many packets of PCAP contain
                                   the bytes HEX (in the packet, not in
                                   the pcap headers)
table HEX,HEX... PCAP...           "PCAP HEX COUNT" for every pair

KIND is one of udp4, arp, udp6, ns6, ra6, redirect6, gre4, each with
options:
  --src-mac --dst-mac --src-ip --dst-ip (udp4, udp6, ra6, redirect6, gre4)
  --payload TEXT (udp4, udp6, gre4's inner UDP; ra6, redirect6: a marker
                  in a trailing option)
  --target IP (arp, ns6, redirect6)   --vlan VID
  --op 1|2 --target-mac MAC (arp: request or reply, its THA)
  --prefix P (ra6: an on-link, autonomous /64 prefix option)
  --mtu N (ra6: an MTU option)   --gre-key K (gre4: GRE key)
ra6 is a Router Advertisement as a router sends it (hop limit 255, router
lifetime 1800 s, source link-layer option); redirect6 a Redirect to
--target; gre4 a whole Ethernet/IPv4/GRE frame, so its outer source IP
and MAC can be anybody's.
No third-party modules: the tests must not depend on scapy.
"""

import argparse
import ipaddress
import os
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from netpkt import csum  # noqa: E402  (after the path is set)


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def eth(dst, src, ethertype, payload, vlan=None):
    hdr = mac_bytes(dst) + mac_bytes(src)
    if vlan is not None:
        hdr += struct.pack("!HH", 0x8100, vlan)
    return hdr + struct.pack("!H", ethertype) + payload


def ipv4(src, dst, proto, payload):
    s = socket.inet_aton(src)
    d = socket.inet_aton(dst)
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), 0x1234,
                      0x4000, 64, proto, 0, s, d)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp4(src, dst, payload):
    u = struct.pack("!HHHH", 40000, 9, 8 + len(payload), 0) + payload
    pseudo = (socket.inet_aton(src) + socket.inet_aton(dst)
              + struct.pack("!BBH", 0, 17, len(u)))
    c = csum(pseudo + u) or 0xFFFF
    u = u[:6] + struct.pack("!H", c) + u[8:]
    return ipv4(src, dst, 17, u)


def ipv6(src, dst, nh, payload, hlim=64):
    s = ipaddress.IPv6Address(src).packed
    d = ipaddress.IPv6Address(dst).packed
    return struct.pack("!IHBB", 0x60000000, len(payload), nh, hlim) \
        + s + d + payload


def l4_6(src, dst, nh, data, csum_off):
    pseudo = (ipaddress.IPv6Address(src).packed
              + ipaddress.IPv6Address(dst).packed
              + struct.pack("!IxxxB", len(data), nh))
    c = csum(pseudo + data) or 0xFFFF
    return data[:csum_off] + struct.pack("!H", c) + data[csum_off + 2:]


def build(kind, a):
    if kind == "udp4":
        return eth(a.dst_mac, a.src_mac, 0x0800,
                   udp4(a.src_ip, a.dst_ip, a.payload.encode()), a.vlan)
    if kind == "arp":
        body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, a.op) \
            + mac_bytes(a.src_mac) + socket.inet_aton(a.src_ip) \
            + mac_bytes(a.target_mac) + socket.inet_aton(a.target)
        return eth(a.dst_mac, a.src_mac, 0x0806, body, a.vlan)
    if kind == "ra6":
        # Type, code, checksum, cur hop limit, flags, router lifetime,
        # reachable time, retrans timer; then options.
        ra = struct.pack("!BBHBBHII", 134, 0, 0, 64, 0, 1800, 0, 0)
        ra += struct.pack("!BB", 1, 1) + mac_bytes(a.src_mac)
        if a.mtu:
            ra += struct.pack("!BBHI", 5, 1, 0, a.mtu)
        if a.prefix:
            ra += struct.pack("!BBBBIII", 3, 4, 64, 0xC0, 86400, 14400, 0) \
                + ipaddress.IPv6Address(a.prefix).packed
        ra += marker_option(a.payload)
        ra = l4_6(a.src_ip, a.dst_ip, 58, ra, 2)
        return eth(a.dst_mac, a.src_mac, 0x86DD,
                   ipv6(a.src_ip, a.dst_ip, 58, ra, 255), a.vlan)
    if kind == "redirect6":
        # Redirect: traffic for --dst-ip should go to --target instead.
        rd = struct.pack("!BBHI", 137, 0, 0, 0) \
            + ipaddress.IPv6Address(a.target).packed \
            + ipaddress.IPv6Address(a.dst_ip).packed
        rd += struct.pack("!BB", 2, 1) + mac_bytes(a.src_mac)
        rd += marker_option(a.payload)
        rd = l4_6(a.src_ip, a.dst_ip, 58, rd, 2)
        return eth(a.dst_mac, a.src_mac, 0x86DD,
                   ipv6(a.src_ip, a.dst_ip, 58, rd, 255), a.vlan)
    if kind == "gre4":
        inner = eth("ff:ff:ff:ff:ff:ff", "02:4e:4d:ee:ee:ee", 0x0800,
                    udp4("192.168.0.10", "192.168.0.100",
                         a.payload.encode()))
        gre = struct.pack("!HHI", 0x2000, 0x6558, a.gre_key) + inner
        return eth(a.dst_mac, a.src_mac, 0x0800,
                   ipv4(a.src_ip, a.dst_ip, 47, gre), a.vlan)
    if kind == "udp6":
        u = struct.pack("!HHHH", 40000, 9, 8 + len(a.payload), 0) \
            + a.payload.encode()
        u = l4_6(a.src_ip, a.dst_ip, 17, u, 6)
        return eth(a.dst_mac, a.src_mac, 0x86DD,
                   ipv6(a.src_ip, a.dst_ip, 17, u), a.vlan)
    if kind == "ns6":
        t = ipaddress.IPv6Address(a.target).packed
        dst = ipaddress.IPv6Address(b"\xff\x02" + b"\0" * 9 + b"\x01\xff"
                                    + t[13:])
        dmac = "33:33:ff:%02x:%02x:%02x" % (t[13], t[14], t[15])
        ns = struct.pack("!BBHI", 135, 0, 0, 0) + t \
            + struct.pack("!BB", 1, 1) + mac_bytes(a.src_mac)
        ns = l4_6(a.src_ip, str(dst), 58, ns, 2)
        return eth(dmac, a.src_mac, 0x86DD,
                   ipv6(a.src_ip, str(dst), 58, ns, 255), a.vlan)
    raise SystemExit("unknown kind %s" % kind)


def marker_option(text):
    """An unknown ND option (type 250, ignored by receivers) holding TEXT,
    padded to a multiple of 8 bytes, so captures can find the message."""
    body = text.encode()
    n = (len(body) + 2 + 7) // 8
    return struct.pack("!BB", 250, n) + body.ljust(n * 8 - 2, b"\0")


def frame_args(p):
    p.add_argument("kind", choices=["udp4", "arp", "udp6", "ns6", "ra6",
                                    "redirect6", "gre4"])
    p.add_argument("--src-mac", default="02:4e:4d:ee:ee:ee")
    p.add_argument("--dst-mac", default="ff:ff:ff:ff:ff:ff")
    p.add_argument("--src-ip", default="192.168.0.10")
    p.add_argument("--dst-ip", default="192.168.0.100")
    p.add_argument("--payload", default="NMT-MARKER")
    p.add_argument("--target", default="192.168.0.77")
    p.add_argument("--vlan", type=int, default=None)
    p.add_argument("--op", type=int, default=1, choices=[1, 2])
    p.add_argument("--target-mac", default="00:00:00:00:00:00")
    p.add_argument("--prefix", default=None)
    p.add_argument("--mtu", type=int, default=0)
    p.add_argument("--gre-key", type=int, default=0)


def cmd_send(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    s.send(build(a.kind, a))


def cmd_flood(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    frames = []
    for i in range(a.n if a.vary else 1):
        if a.vary:
            a.src_mac = "02:4e:53:%02x:%02x:%02x" % (
                (i >> 16) & 0xFF, (i >> 8) & 0xFF, i & 0xFF)
            if ":" in a.src_ip:
                a.src_ip = "fe80::1:%x" % (i & 0xFFFF)
            else:
                a.src_ip = "10.%d.%d.%d" % ((i >> 16) & 0xFF,
                                            (i >> 8) & 0xFF, i & 0xFF)
        frames.append(build(a.kind, a))
    sent = 0
    deadline = time.monotonic() + a.seconds
    while True:
        for i in range(a.n):
            try:
                s.send(frames[i % len(frames)])
                sent += 1
            except OSError:
                pass            # a full socket buffer: the flood goes on
        if time.monotonic() >= deadline:
            break
    print(sent)


def cmd_gre(a):
    inner = build(a.kind, a)
    gre = struct.pack("!HHI", 0x2000, 0x6558, a.key) + inner
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, 47)
    s.sendto(gre, (a.dst, 0))


def packets(path):
    with open(path, "rb") as f:
        data = f.read()
    if len(data) < 24:
        return
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        yield data[off + 16:off + 16 + incl]
        off += 16 + incl


def cmd_count(a):
    want = bytes.fromhex(a.hex)
    print(sum(1 for pkt in packets(a.pcap) if want in pkt))


def cmd_table(a):
    """One line "PCAP HEX COUNT" per capture and marker."""
    pkts = {p: list(packets(p)) for p in a.pcaps}
    for p in a.pcaps:
        for h in a.markers.split(","):
            want = bytes.fromhex(h)
            print(p, h, sum(1 for pkt in pkts[p] if want in pkt))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("send")
    p.add_argument("iface")
    frame_args(p)
    p = sub.add_parser("gre")
    p.add_argument("dst")
    p.add_argument("key", type=int)
    frame_args(p)
    p = sub.add_parser("flood")
    p.add_argument("iface")
    p.add_argument("n", type=int)
    p.add_argument("--vary", action="store_true")
    p.add_argument("--seconds", type=float, default=0)
    frame_args(p)
    p = sub.add_parser("count")
    p.add_argument("pcap")
    p.add_argument("hex")
    p = sub.add_parser("table")
    p.add_argument("markers", help="comma-separated hex markers")
    p.add_argument("pcaps", nargs="+")
    a = ap.parse_args()
    {"send": cmd_send, "gre": cmd_gre, "flood": cmd_flood,
     "count": cmd_count, "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
