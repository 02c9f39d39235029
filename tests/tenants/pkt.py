#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Forges frames for the tenant isolation tests and counts them in captures.

send IFACE KIND [--opt value]...   writes one frame with AF_PACKET
gre DST KEY KIND [--opt value]...  sends KIND inside GRE (key KEY) to DST
                                   through a raw IP socket, so the source
                                   address is this namespace's own
count PCAP HEX                     prints how many packets of PCAP contain
                                   the bytes HEX (in the packet, not in
                                   the pcap headers)
table HEX,HEX... PCAP...           "PCAP HEX COUNT" for every pair

KIND is one of udp4, arp, udp6, ns6, each with options:
  --src-mac --dst-mac --src-ip --dst-ip (udp4, udp6)
  --payload TEXT (udp4, udp6)   --target IP (arp, ns6)   --vlan VID
No third-party modules: the tests must not depend on scapy.
"""

import argparse
import ipaddress
import socket
import struct
import sys


def mac_bytes(mac):
    return bytes(int(x, 16) for x in mac.split(":"))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF


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
        body = struct.pack("!HHBBH", 1, 0x0800, 6, 4, 1) \
            + mac_bytes(a.src_mac) + socket.inet_aton(a.src_ip) \
            + b"\0" * 6 + socket.inet_aton(a.target)
        return eth("ff:ff:ff:ff:ff:ff", a.src_mac, 0x0806, body, a.vlan)
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


def frame_args(p):
    p.add_argument("kind", choices=["udp4", "arp", "udp6", "ns6"])
    p.add_argument("--src-mac", default="02:4e:4d:ee:ee:ee")
    p.add_argument("--dst-mac", default="ff:ff:ff:ff:ff:ff")
    p.add_argument("--src-ip", default="192.168.0.10")
    p.add_argument("--dst-ip", default="192.168.0.100")
    p.add_argument("--payload", default="NMT-MARKER")
    p.add_argument("--target", default="192.168.0.77")
    p.add_argument("--vlan", type=int, default=None)


def cmd_send(a):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((a.iface, 0))
    s.send(build(a.kind, a))


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
    p = sub.add_parser("count")
    p.add_argument("pcap")
    p.add_argument("hex")
    p = sub.add_parser("table")
    p.add_argument("markers", help="comma-separated hex markers")
    p.add_argument("pcaps", nargs="+")
    a = ap.parse_args()
    {"send": cmd_send, "gre": cmd_gre, "count": cmd_count,
     "table": cmd_table}[a.cmd](a)


if __name__ == "__main__":
    sys.exit(main())
