#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Checks a client-side capture of the anycast lab: every IPv4/IPv6 frame
addressed to the client must come from an anycast address, and no frame
may carry a server's unicast address anywhere (ICMP errors' inner headers
included).

Usage: pcap-check.py PCAP CLIENT_MAC ANYCAST,... SERVER_ADDR,...
Prints "frames N tcp N udp N icmp-echo N icmp-error N" and each offending
frame; exits 1 on any.
"""

import ipaddress
import struct
import sys

ETH_IP4 = 0x0800
ETH_IP6 = 0x86DD
PROTO_TCP, PROTO_UDP, PROTO_ICMP, PROTO_ICMP6 = 6, 17, 1, 58
ICMP4_ERRORS = (3, 11, 12)
ICMP6_ERRORS = (1, 2, 3, 4)
ICMP4_ECHO_REPLY, ICMP6_ECHO_REPLY = 0, 129


def frames(path):
    with open(path, "rb") as f:
        data = f.read()
    magic = struct.unpack("<I", data[:4])[0]
    endian = "<" if magic in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    while off + 16 <= len(data):
        _, _, incl, _ = struct.unpack(endian + "IIII", data[off:off + 16])
        off += 16
        yield data[off:off + incl]
        off += incl


def main():
    path, mac, anys, servers = sys.argv[1:5]
    mac = bytes.fromhex(mac.replace(":", ""))
    anys = {ipaddress.ip_address(a).packed for a in anys.split(",")}
    servers = [ipaddress.ip_address(a).packed for a in servers.split(",")]
    count = {"frames": 0, "tcp": 0, "udp": 0, "icmp-echo": 0,
             "icmp-error": 0}
    bad = 0
    for n, fr in enumerate(frames(path), 1):
        if len(fr) < 14 or fr[0:6] != mac or fr[6:12] == mac:
            continue
        etype = struct.unpack("!H", fr[12:14])[0]
        ip = fr[14:]
        if etype == ETH_IP4 and len(ip) >= 20:
            src, proto, l4 = ip[12:16], ip[9], ip[(ip[0] & 0xF) * 4:]
        elif etype == ETH_IP6 and len(ip) >= 40:
            src, proto, l4 = ip[8:24], ip[6], ip[40:]
        else:
            continue
        count["frames"] += 1
        why = []
        if src not in anys:
            why.append("source %s" % ipaddress.ip_address(src))
        for s in servers:
            if s in ip:
                why.append("carries server address %s" %
                           ipaddress.ip_address(s))
        if proto == PROTO_TCP:
            count["tcp"] += 1
        elif proto == PROTO_UDP:
            count["udp"] += 1
        elif proto in (PROTO_ICMP, PROTO_ICMP6) and l4:
            if ((proto == PROTO_ICMP and l4[0] in ICMP4_ERRORS)
                    or (proto == PROTO_ICMP6 and l4[0] in ICMP6_ERRORS)):
                count["icmp-error"] += 1
            elif l4[0] in (ICMP4_ECHO_REPLY, ICMP6_ECHO_REPLY):
                count["icmp-echo"] += 1
        if why:
            bad += 1
            print("frame %d: %s" % (n, ", ".join(why)))
    print(" ".join("%s %d" % kv for kv in count.items()))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
