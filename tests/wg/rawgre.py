#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Sends one GRE packet from any IPv4 source, through the routing table.

rawgre.py SRC DST KEY PAYLOAD

The packet is GRE (key KEY) holding a tenant's Ethernet frame: broadcast,
UDP from 192.168.0.10 to 192.168.0.100 port 9 with PAYLOAD.  It goes out
of a raw IP socket with the header included, so SRC need not be an
address of this host: the WireGuard tests use it to make a box's edge
send GRE with another box's address into its own WireGuard tunnel (the
kernel routes it to the wg device by DST).
"""

import os
import socket
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "tenants"))
from pkt import eth, ipv4, udp4  # noqa: E402  (after the path is set)

GRE_KEY_PRESENT = 0x2000
ETH_P_TEB = 0x6558          # transparent Ethernet bridging
ETH_P_IP = 0x0800
IPPROTO_GRE = 47


def main():
    if len(sys.argv) != 5:
        raise SystemExit("usage: rawgre.py SRC DST KEY PAYLOAD")
    src, dst, key, payload = sys.argv[1:]
    inner = eth("ff:ff:ff:ff:ff:ff", "02:4e:4d:ee:ee:ee", ETH_P_IP,
                udp4("192.168.0.10", "192.168.0.100", payload.encode()))
    gre = struct.pack("!HHI", GRE_KEY_PRESENT, ETH_P_TEB, int(key)) + inner
    s = socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_RAW)
    s.sendto(ipv4(src, dst, IPPROTO_GRE, gre), (dst, 0))


if __name__ == "__main__":
    main()
