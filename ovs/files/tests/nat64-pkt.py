#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Builds the Ethernet frames of OVS's tests/nat64.at, as hex.

Every frame, the inputs and the expected translations, is built here from
scratch (RFC 7915, RFC 6052 with fe80::/96, RFC 4861), with checksums
computed over whole packets, independently of the translator under test.

Usage: nat64-pkt.py NAME     prints frame NAME as a hex string
       nat64-pkt.py --list   lists the names
       nat64-pkt.py --check-frag-needed MTU < HEX-LINES
           checks that the one frame read is an ICMPv4 "fragmentation
           needed" with next-hop MTU MTU from server to client, with valid
           checksums, quoting the start of the big4 frame
       nat64-pkt.py --check-fragments MTU < HEX-LINES
           checks that the frames read are IPv6 fragments (each at most MTU
           bytes of IPv6) whose reassembled payload is frame big4-nodf's
           translation; prints the number of fragments
       nat64-pkt.py --check-tunnel-frag-needed KIND MTU < HEX-LINES
           the same as --check-frag-needed for the frame inside the one
           tunnel packet read, which must go from the gateway (UL_GW) back
           to the tunnel peer (UL_PEER) in tunnel KIND (gre, ip6gre,
           vxlan or geneve; frame KIND-big4 is what the peer sent) with
           key TUNNEL_KEY and valid outer checksums
"""
import struct
import sys

MAC_C = bytes.fromhex("505400000001")    # client, port 1
MAC_S = bytes.fromhex("505400000002")    # server, port 2
BCAST = b"\xff" * 6
IP4_C = bytes((192, 168, 0, 10))
IP4_S = bytes((192, 168, 0, 100))
# Underlay of the tunnel tests: the gateway's bridge and the tunnel peer,
# over IPv4 (gre, vxlan, geneve) or IPv6 (ip6gre).
UL_GW_MAC = bytes.fromhex("aa55aa550000")
UL_PEER_MAC = bytes.fromhex("f8bc124434b6")
UL_GW_IP = bytes((1, 1, 2, 88))
UL_PEER_IP = bytes((1, 1, 2, 92))
UL_GW_IP6 = bytes.fromhex("2001cafe000000000000000000000088")
UL_PEER_IP6 = bytes.fromhex("2001cafe000000000000000000000092")
TUNNEL_KEY = 10
UDP_TUNNEL_PORT = {"vxlan": 4789, "geneve": 6081}


def ll6(ip4):
    """fe80::a.b.c.d, the RFC 6052 /96 mapping with prefix fe80::."""
    return bytes.fromhex("fe80") + bytes(10) + ip4


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return (~s) & 0xffff


def eth(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def ip4(src, dst, proto, payload, ttl=64, tos=0, ident=0, df=True):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, tos, 20 + len(payload), ident,
                      0x4000 if df else 0, ttl, proto, 0, src, dst)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def ip6(src, dst, nxt, payload, hlim=64, tclass=0):
    return struct.pack("!IHBB16s16s", (6 << 28) | (tclass << 20),
                       len(payload), nxt, hlim, src, dst) + payload


def pseudo4(src, dst, proto, length):
    return src + dst + struct.pack("!BBH", 0, proto, length)


def pseudo6(src, dst, nxt, length):
    return src + dst + struct.pack("!IxxxB", length, nxt)


def with_csum(seg, pseudo, ofs):
    seg = seg[:ofs] + b"\0\0" + seg[ofs + 2:]
    c = csum(pseudo + seg)
    if c == 0 and ofs == 6:     # UDP
        c = 0xffff
    return seg[:ofs] + struct.pack("!H", c) + seg[ofs + 2:]


def gre(key, frame):
    """GRE (RFC 2890) with the key bit, carrying an Ethernet frame."""
    return struct.pack("!HHI", 0x2000, 0x6558, key) + frame


def udp_tunnel_header(kind, key):
    """The VXLAN (RFC 7348) or Geneve (RFC 8926, no options) header."""
    if kind == "vxlan":
        return struct.pack("!II", 0x08000000, key << 8)
    return struct.pack("!HHI", 0, 0x6558, key << 8)


def tunnel_packet(kind, frame):
    """'frame' as the tunnel peer sends it to the gateway in tunnel 'kind'
    (UDP tunnels with checksum 0, as OVS sends them by default)."""
    if kind == "gre":
        return eth(UL_GW_MAC, UL_PEER_MAC, 0x0800,
                   ip4(UL_PEER_IP, UL_GW_IP, 47, gre(TUNNEL_KEY, frame)))
    if kind == "ip6gre":
        return eth(UL_GW_MAC, UL_PEER_MAC, 0x86dd,
                   ip6(UL_PEER_IP6, UL_GW_IP6, 47, gre(TUNNEL_KEY, frame)))
    payload = udp_tunnel_header(kind, TUNNEL_KEY) + frame
    return eth(UL_GW_MAC, UL_PEER_MAC, 0x0800,
               ip4(UL_PEER_IP, UL_GW_IP, 17,
                   struct.pack("!HHHH", 50000, UDP_TUNNEL_PORT[kind],
                               8 + len(payload), 0) + payload))


def tcp(sport, dport, flags, payload=b""):
    return struct.pack("!HHIIBBHHH", sport, dport, 1000, 2000, 5 << 4, flags,
                       8192, 0, 0) + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def l4_4(src, dst, proto, seg, ofs):
    return with_csum(seg, pseudo4(src, dst, proto, len(seg)), ofs)


def l4_6(src, dst, nxt, seg, ofs):
    return with_csum(seg, pseudo6(src, dst, nxt, len(seg)), ofs)


def frames():
    f = {}
    c6, s6 = ll6(IP4_C), ll6(IP4_S)
    data = b"hello, nat64"

    # TCP client -> server (ACK + data, so no MSS clamping applies).
    t = tcp(40000, 80, 0x18, data)
    f["tcp4"] = eth(MAC_S, MAC_C, 0x0800,
                    ip4(IP4_C, IP4_S, 6, l4_4(IP4_C, IP4_S, 6, t, 16),
                        tos=0x10))
    f["tcp4-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                         ip6(c6, s6, 6, l4_6(c6, s6, 6, t, 16), tclass=0x10))

    # TCP SYN with MSS 1460: clamped to 1440 (MTU 1500 - 40 - 20) in IPv6.
    def syn(mss):
        return struct.pack("!HHIIBBHHHBBH", 40001, 80, 1000, 0, 6 << 4, 0x02,
                           8192, 0, 0, 2, 4, mss)
    f["syn4"] = eth(MAC_S, MAC_C, 0x0800,
                    ip4(IP4_C, IP4_S, 6, l4_4(IP4_C, IP4_S, 6, syn(1460), 16)))
    f["syn4-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                         ip6(c6, s6, 6, l4_6(c6, s6, 6, syn(1440), 16)))

    # UDP client -> server.
    u = udp(5353, 53, data)
    f["udp4"] = eth(MAC_S, MAC_C, 0x0800,
                    ip4(IP4_C, IP4_S, 17, l4_4(IP4_C, IP4_S, 17, u, 6)))
    f["udp4-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                         ip6(c6, s6, 17, l4_6(c6, s6, 17, u, 6)))

    # UDP with zero checksum: the translator computes it.
    f["udp4-nocsum"] = eth(MAC_S, MAC_C, 0x0800,
                           ip4(IP4_C, IP4_S, 17, u))

    # ICMP echo request: type 8 <-> 128, checksum over the pseudo-header.
    echo = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + data
    echo = echo[:2] + struct.pack("!H", csum(echo)) + echo[4:]
    echo6 = struct.pack("!BBHHH", 128, 0, 0, 0x1234, 1) + data
    echo6 = l4_6(c6, s6, 58, echo6, 2)
    f["icmp4"] = eth(MAC_S, MAC_C, 0x0800, ip4(IP4_C, IP4_S, 1, echo))
    f["icmp4-as-6"] = eth(MAC_S, MAC_C, 0x86dd, ip6(c6, s6, 58, echo6))

    # Server -> client over IPv6: a UDP datagram big enough (IPv4 size over
    # 1260 bytes) that the IPv4 header gets DF set.  Its identification is
    # the UDP checksum as the IPv6 datagram carried it (the translator's
    # id generator, RFC 7915 5.1).
    big = bytes(range(256)) * 5
    u6 = udp(53, 5353, big)
    u6_sent = l4_6(s6, c6, 17, u6, 6)
    f["udp6"] = eth(MAC_C, MAC_S, 0x86dd, ip6(s6, c6, 17, u6_sent, hlim=63))
    f["udp6-as-4"] = eth(MAC_C, MAC_S, 0x0800,
                         ip4(IP4_S, IP4_C, 17,
                             l4_4(IP4_S, IP4_C, 17, u6, 6), ttl=63,
                             ident=struct.unpack_from("!H", u6_sent, 6)[0]))

    # ARP request who-has .100 tell .10 -> NS to ff02::1:ff00:64.
    arp = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_C, IP4_C,
                      bytes(6), IP4_S)
    f["arp-request"] = eth(BCAST, MAC_C, 0x0806, arp)
    sn = bytes.fromhex("ff0200000000000000000001ff") + s6[13:]
    ns = struct.pack("!BBHI16sBB6s", 135, 0, 0, 0, s6, 1, 1, MAC_C)
    f["arp-request-as-ns"] = eth(bytes.fromhex("3333") + sn[12:], MAC_C,
                                 0x86dd,
                                 ip6(c6, sn, 58, l4_6(c6, sn, 58, ns, 2),
                                     hlim=255))

    # NA from the server (solicited, override, TLLA) -> ARP reply.
    na = struct.pack("!BBHI16sBB6s", 136, 0, 0, 0x60000000, s6, 2, 1, MAC_S)
    f["na"] = eth(MAC_C, MAC_S, 0x86dd,
                  ip6(s6, c6, 58, l4_6(s6, c6, 58, na, 2), hlim=255))
    arp_reply = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, MAC_S,
                            IP4_S, MAC_C, IP4_C)
    f["na-as-arp-reply"] = eth(MAC_C, MAC_S, 0x0806, arp_reply)

    # Too big for an MTU of 1280 once translated: 2560 bytes of IPv4, in
    # three IPv6 fragments of at most 1232 payload bytes.
    ub = udp(5353, 53, bytes(range(256)) * 5 + bytes(1252))
    f["big4"] = eth(MAC_S, MAC_C, 0x0800,
                    ip4(IP4_C, IP4_S, 17, l4_4(IP4_C, IP4_S, 17, ub, 6)))
    f["big4-nodf"] = eth(MAC_S, MAC_C, 0x0800,
                         ip4(IP4_C, IP4_S, 17, l4_4(IP4_C, IP4_S, 17, ub, 6),
                             ident=0x4242, df=False))
    f["big4-nodf-l4-as-6"] = l4_6(c6, s6, 17, ub, 6)

    # big4 from the tunnel peer, in each kind of tunnel.
    for kind in ("gre", "ip6gre", "vxlan", "geneve"):
        f[kind + "-big4"] = tunnel_packet(kind, f["big4"])

    # Untranslatable: IPv4 with a bad header checksum.
    bad = bytearray(f["udp4"])
    bad[14 + 10] ^= 0xff
    f["udp4-bad-csum"] = bytes(bad)

    # Untranslatable: IPv6 from outside the fe80::/96 prefix.
    g6 = bytes.fromhex("20010db8000000000000000000000001")
    f["udp6-unmapped"] = eth(MAC_C, MAC_S, 0x86dd,
                             ip6(g6, c6, 17, l4_6(g6, c6, 17, u, 6)))
    rfc_frames(f, c6, s6, data)
    alg_frames(f, c6, s6)
    vlan_frames(f)
    return f


def dns_name(*labels):
    return b"".join(bytes((len(x),)) + x.encode() for x in labels) + b"\0"


def mdns_response(v6):
    """An mDNS response from the client: the A record of prn.local (AAAA
    of its mapped address if 'v6'), then a PTR record whose owner name
    ends in a pointer to "local" and whose target points at that owner:
    behind the grown record, so its offset moves by 12."""
    msg = struct.pack("!6H", 0, 0x8400, 0, 2, 0, 0)
    name1 = len(msg)
    msg += dns_name("prn", "local")
    if v6:
        msg += struct.pack("!HHIH", 28, 0x8001, 120, 16) + ll6(IP4_C)
    else:
        msg += struct.pack("!HHIH", 1, 0x8001, 120, 4) + IP4_C
    owner = len(msg)
    ptr_local = 0xc000 | (name1 + 4)
    msg += b"\x04_ipp\x04_tcp" + struct.pack("!H", ptr_local)
    rdata = b"\x07Printer" + struct.pack("!H", 0xc000 | owner)
    msg += struct.pack("!HHIH", 12, 1, 4500, len(rdata)) + rdata
    return msg


def ssdp_notify(location):
    return ("NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
            "LOCATION: %s\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n"
            "USN: uuid:1::upnp:rootdevice\r\n\r\n" % location).encode()


def alg_frames(f, c6, s6):
    """Discovery payloads (nat64 alg=): unicast mDNS and SSDP from the
    client, as sent and as the ALGs rewrite them for the IPv6 side."""
    for name, port, before, after in (
            ("mdns4", 5353, mdns_response(False), mdns_response(True)),
            ("ssdp4", 1900, ssdp_notify("http://192.168.0.10:8080/d.xml"),
             ssdp_notify("http://[fe80::c0a8:a]:8080/d.xml"))):
        u4 = udp(port, port, before)
        f[name] = eth(MAC_S, MAC_C, 0x0800,
                      ip4(IP4_C, IP4_S, 17, l4_4(IP4_C, IP4_S, 17, u4, 6)))
        # With the ALG: the payload rewritten.
        u6 = udp(port, port, after)
        f[name + "-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                                ip6(c6, s6, 17, l4_6(c6, s6, 17, u6, 6)))
        # Without: only the headers translated.
        f[name + "-as-6-unchanged"] = eth(MAC_S, MAC_C, 0x86dd,
                                          ip6(c6, s6, 17,
                                              l4_6(c6, s6, 17, u4, 6)))


def tagged(frame, tci, tpid=0x8100):
    """'frame' with a VLAN tag (TPID 'tpid', TCI 'tci') after the MACs."""
    return frame[:12] + struct.pack("!HH", tpid, tci) + frame[12:]


def vlan_frames(f):
    """Frames with VLAN tags: one 802.1Q tag is kept across the
    translation (the frame with the tag inserted translates to its
    translation with the same tag); an 802.1ad tag or a second 802.1Q tag
    is dropped."""
    tci = (5 << 13) | 10            # PCP 5, VID 10
    for name, translated in (("tcp4", "tcp4-as-6"), ("udp4", "udp4-as-6"),
                             ("arp-request", "arp-request-as-ns"),
                             ("udp6", "udp6-as-4")):
        f[name + "-vlan10"] = tagged(f[name], tci)
        f[translated.replace(name, name + "-vlan10", 1)] = \
            tagged(f[translated], tci)
    f["udp4-8021ad"] = tagged(f["udp4"], 10, 0x88a8)
    f["udp4-qinq"] = tagged(tagged(f["udp4"], 20), tci)


def fold16(s):
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return s


def rfc_frames(f, c6, s6, data):
    """Frames of the RFC 7915 / RFC 6052 conformance cases (issue 12)."""
    # Item 1: an ICMPv6 echo in an atomic fragment (offset 0, M 0) from
    # the server.  IPv4: id = low 16 bits of the fragment id, DF 0.
    echo6 = l4_6(s6, c6, 58, struct.pack("!BBHHH", 128, 0, 0, 0x4242, 7)
                 + data, 2)
    frag = struct.pack("!BBHI", 58, 0, 0, 0x11223344)
    f["echo6-atomic"] = eth(MAC_C, MAC_S, 0x86dd,
                            ip6(s6, c6, 44, frag + echo6))
    echo4 = struct.pack("!BBHHH", 8, 0, 0, 0x4242, 7) + data
    echo4 = echo4[:2] + struct.pack("!H", csum(echo4)) + echo4[4:]
    f["echo6-atomic-as-4"] = eth(MAC_C, MAC_S, 0x0800,
                                 ip4(IP4_S, IP4_C, 1, echo4, ident=0x3344,
                                     df=False))

    # Item 2: Fragment header, then Destination Options: dropped.
    u6 = l4_6(s6, c6, 17, udp(53, 5353, data), 6)
    dstopts = struct.pack("!BB", 17, 0) + bytes.fromhex("010400000000")
    frag = struct.pack("!BBHI", 60, 0, 1, 5)
    f["udp6-frag-dstopts"] = eth(MAC_C, MAC_S, 0x86dd,
                                 ip6(s6, c6, 44, frag + dstopts + u6))

    # Item 3a: ICMPv4 Time Exceeded from 127.0.0.1 about the server's UDP
    # to the client: the illegal source is kept (fe80::7f00:1).
    lo4 = bytes((127, 0, 0, 1))
    u = udp(53, 5353, data)
    inner4 = ip4(IP4_S, IP4_C, 17, l4_4(IP4_S, IP4_C, 17, u, 6), ttl=1,
                 df=False)
    inner6 = ip6(s6, c6, 17, l4_6(s6, c6, 17, u, 6), hlim=1)
    te4 = struct.pack("!BBHI", 11, 0, 0, 0) + inner4
    te4 = te4[:2] + struct.pack("!H", csum(te4)) + te4[4:]
    f["te4-from-lo"] = eth(MAC_S, MAC_C, 0x0800, ip4(lo4, IP4_S, 1, te4))
    lo6 = ll6(lo4)
    te6 = l4_6(lo6, s6, 58, struct.pack("!BBHI", 3, 0, 0, 0) + inner6, 2)
    f["te4-from-lo-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                                ip6(lo6, s6, 58, te6))

    # Item 3b: ICMPv6 Time Exceeded from a router outside the prefix about
    # the client's UDP to the server: source 192.0.0.8 (pool6791).
    router6 = bytes.fromhex("20010db8000000000000000000000001")
    u = udp(5353, 53, data)
    in6 = ip6(c6, s6, 17, l4_6(c6, s6, 17, u, 6), hlim=1)
    in4 = ip4(IP4_C, IP4_S, 17, l4_4(IP4_C, IP4_S, 17, u, 6), ttl=1,
              df=False)
    te6 = l4_6(router6, c6, 58, struct.pack("!BBHI", 3, 0, 0, 0) + in6, 2)
    f["te6-from-router"] = eth(MAC_C, MAC_S, 0x86dd,
                               ip6(router6, c6, 58, te6))
    pool = bytes((192, 0, 0, 8))
    te4 = struct.pack("!BBHI", 11, 0, 0, 0) + in4
    te4 = te4[:2] + struct.pack("!H", csum(te4)) + te4[4:]
    # The outer id: the translator's choice for a non-fragment (RFC 7915
    # 5.1), the ICMPv6 checksum as received.
    f["te6-from-router-as-4"] = eth(
        MAC_C, MAC_S, 0x0800,
        ip4(pool, IP4_C, 1, te4, ident=struct.unpack_from("!H", te6, 2)[0],
            df=False))

    # Item 9: DCCP (checksum over the pseudo-header, RFC 4340 9.1) and No
    # Next Header (59, bytes unchanged), both directions.
    dccp = (struct.pack("!HHBBHBBH", 5001, 5002, 4, 0, 0, 0x03, 0, 0x1234)
            + struct.pack("!HI", 0, 0) + data)
    f["dccp4"] = eth(MAC_S, MAC_C, 0x0800,
                     ip4(IP4_C, IP4_S, 33, l4_4(IP4_C, IP4_S, 33, dccp, 6)))
    f["dccp4-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                          ip6(c6, s6, 33, l4_6(c6, s6, 33, dccp, 6)))
    d6 = l4_6(s6, c6, 33, dccp, 6)
    f["dccp6"] = eth(MAC_C, MAC_S, 0x86dd, ip6(s6, c6, 33, d6))
    # Id for other protocols: the length plus the xor of the first two
    # 32-bit words, folded (RFC 7915 5.1 leaves it to the translator).
    w0, w1 = struct.unpack_from("!II", d6)
    ident = fold16(fold16((len(d6) + (w0 ^ w1)) & 0xffffffff))
    f["dccp6-as-4"] = eth(MAC_C, MAC_S, 0x0800,
                          ip4(IP4_S, IP4_C, 33,
                              l4_4(IP4_S, IP4_C, 33, dccp, 6), ident=ident,
                              df=False))
    nonxt = b"opaque59"
    f["nonxt4"] = eth(MAC_S, MAC_C, 0x0800, ip4(IP4_C, IP4_S, 59, nonxt))
    f["nonxt4-as-6"] = eth(MAC_S, MAC_C, 0x86dd, ip6(c6, s6, 59, nonxt))

    # Item 10: ICMPv4 Time Exceeded with an RFC 4884 extension (one MPLS
    # label stack object, RFC 4950) from the router 192.168.0.1: inner
    # IPv4 of 128 bytes (length 32 words), inner IPv6 of 148 bytes padded
    # to 152 (19 64-bit words), the extension behind it unchanged.
    rtr4 = bytes((192, 168, 0, 1))
    rtr6 = ll6(rtr4)
    pay = bytes(range(100))
    u = udp(33434, 33435, pay)
    in4 = ip4(IP4_S, IP4_C, 17, l4_4(IP4_S, IP4_C, 17, u, 6), ttl=1,
              df=False)
    in6 = ip6(s6, c6, 17, l4_6(s6, c6, 17, u, 6), hlim=1)
    obj = struct.pack("!HBB", 8, 1, 1) + bytes.fromhex("01234101")
    ext = struct.pack("!BBH", 0x20, 0, 0) + obj
    ext = ext[:2] + struct.pack("!H", csum(ext)) + ext[4:]
    te4 = struct.pack("!BBHBBH", 11, 0, 0, 0, 32, 0) + in4 + ext
    te4 = te4[:2] + struct.pack("!H", csum(te4)) + te4[4:]
    f["te4-ext"] = eth(MAC_S, MAC_C, 0x0800, ip4(rtr4, IP4_S, 1, te4))
    te6 = l4_6(rtr6, s6, 58, struct.pack("!BBHBBH", 3, 0, 0, 19, 0, 0)
               + in6 + bytes(4) + ext, 2)
    f["te4-ext-as-6"] = eth(MAC_S, MAC_C, 0x86dd, ip6(rtr6, s6, 58, te6))

    # EAM (RFC 7757) with set_field: the client appears as 2001:db8::10.
    eam6 = bytes.fromhex("20010db8000000000000000000000010")
    u = udp(5353, 53, data)
    f["udp4-eam-as-6"] = eth(MAC_S, MAC_C, 0x86dd,
                             ip6(eam6, s6, 17, l4_6(eam6, s6, 17, u, 6)))

    # Issue 13 item 8: a tenant frame claiming the server's own address.
    f["udp4-from-server"] = eth(MAC_S, MAC_C, 0x0800,
                                ip4(IP4_S, IP4_C, 17,
                                    l4_4(IP4_S, IP4_C, 17, u, 6)))


def fail(msg):
    sys.stderr.write("nat64-pkt.py: %s\n" % msg)
    sys.exit(1)


def read_frames():
    return [bytes.fromhex(line.strip()) for line in sys.stdin
            if line.strip()]


def ip4_hlen(ip, what):
    """The header length of IPv4 packet 'ip', whose checksum must hold."""
    ihl = (ip[0] & 15) * 4
    if csum(ip[:ihl]) != 0:
        fail("bad %s header checksum" % what)
    return ihl


def check_frag_needed_frame(p, mtu):
    f = frames()
    if p[12:14] != b"\x08\x00" or p[0:6] != MAC_C:
        fail("not IPv4 to the client's MAC")
    ip = p[14:]
    ihl = ip4_hlen(ip, "IPv4")
    if ip[9] != 1 or ip[12:16] != IP4_S or ip[16:20] != IP4_C:
        fail("not ICMP from server to client")
    tot = struct.unpack("!H", ip[2:4])[0]
    icmp = ip[ihl:tot]
    if csum(icmp) != 0:
        fail("bad ICMP checksum")
    if icmp[0] != 3 or icmp[1] != 4:
        fail("not fragmentation needed: type %d code %d" % (icmp[0], icmp[1]))
    if struct.unpack("!H", icmp[6:8])[0] != mtu:
        fail("next-hop MTU %d" % struct.unpack("!H", icmp[6:8])[0])
    if icmp[8:8 + 28] != f["big4"][14:14 + 28]:
        fail("does not quote the original header")


def one_frame():
    pkts = read_frames()
    if len(pkts) != 1:
        fail("expected 1 frame, got %d" % len(pkts))
    return pkts[0]


def check_frag_needed(mtu):
    check_frag_needed_frame(one_frame(), mtu)
    print("frag-needed ok")


def tunnel_payload_ip4(p):
    """The GRE or UDP payload of IPv4 underlay frame 'p' from the gateway
    to the tunnel peer, and the IPv4 protocol."""
    ip = p[14:]
    ihl = ip4_hlen(ip, "outer IPv4")
    if ip[12:16] != UL_GW_IP or ip[16:20] != UL_PEER_IP:
        fail("not from the gateway to the tunnel peer")
    tot = struct.unpack("!H", ip[2:4])[0]
    return ip[9], ip[ihl:tot], pseudo4(UL_GW_IP, UL_PEER_IP, 17, tot - ihl)


def tunnel_payload_ip6(p):
    ip = p[14:]
    if ip[0] >> 4 != 6 or ip[8:24] != UL_GW_IP6 or ip[24:40] != UL_PEER_IP6:
        fail("not IPv6 from the gateway to the tunnel peer")
    plen = struct.unpack("!H", ip[4:6])[0]
    return ip[6], ip[40:40 + plen], pseudo6(UL_GW_IP6, UL_PEER_IP6, 17,
                                             plen)


def check_tunnel_frag_needed(kind, mtu):
    p = one_frame()
    if p[0:6] != UL_PEER_MAC or p[6:12] != UL_GW_MAC:
        fail("not from the gateway's MAC to the tunnel peer's")
    v6 = kind == "ip6gre"
    if p[12:14] != (b"\x86\xdd" if v6 else b"\x08\x00"):
        fail("wrong underlay ethertype %s" % p[12:14].hex())
    proto, l4, pseudo = (tunnel_payload_ip6(p) if v6
                         else tunnel_payload_ip4(p))
    if kind in ("gre", "ip6gre"):
        if proto != 47:
            fail("not GRE: protocol %d" % proto)
        flags, ptype, key = struct.unpack("!HHI", l4[:8])
        if flags != 0x2000 or ptype != 0x6558:
            fail("GRE flags %#x protocol %#x" % (flags, ptype))
        inner = l4[8:]
    else:
        if proto != 17:
            fail("not UDP: protocol %d" % proto)
        dport, ulen, ucsum = struct.unpack("!HHH", l4[2:8])
        if dport != UDP_TUNNEL_PORT[kind] or ulen != len(l4):
            fail("UDP port %d length %d" % (dport, ulen))
        if ucsum and csum(pseudo + l4) != 0:
            fail("bad outer UDP checksum")
        hdr = l4[8:16]
        if hdr[:4] != udp_tunnel_header(kind, 0)[:4]:
            fail("%s header %s" % (kind, hdr.hex()))
        key = struct.unpack("!I", hdr[4:8])[0] >> 8
        inner = l4[16:]
    if key != TUNNEL_KEY:
        fail("wrong tunnel key %d" % key)
    check_frag_needed_frame(inner, mtu)
    print("frag-needed through the tunnel ok")


def check_fragments(mtu):
    f = frames()
    pkts = read_frames()
    payload = {}
    ident = None
    for p in pkts:
        if p[12:14] != b"\x86\xdd":
            fail("not IPv6")
        ip = p[14:]
        plen = struct.unpack("!H", ip[4:6])[0]
        if 40 + plen > mtu or len(ip) != 40 + plen:
            fail("fragment of %d bytes" % (40 + plen))
        if ip[6] != 44:
            fail("no fragment header")
        nxt, ofs, fid = struct.unpack("!BxHI", ip[40:48])
        if nxt != 17 or (ident is not None and fid != ident):
            fail("bad fragment header")
        ident = fid
        payload[ofs & ~7] = (ip[48:40 + plen], ofs & 1)
    data, more = b"", 1
    for ofs in sorted(payload):
        if ofs != len(data):
            fail("hole at %d" % len(data))
        data += payload[ofs][0]
        more = payload[ofs][1]
    if more or data != f["big4-nodf-l4-as-6"]:
        fail("reassembled payload differs")
    print("%d fragments" % len(pkts))


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--check-frag-needed":
        check_frag_needed(int(sys.argv[2]))
        return
    if len(sys.argv) == 4 and sys.argv[1] == "--check-tunnel-frag-needed":
        check_tunnel_frag_needed(sys.argv[2], int(sys.argv[3]))
        return
    if len(sys.argv) == 3 and sys.argv[1] == "--check-fragments":
        check_fragments(int(sys.argv[2]))
        return
    f = frames()
    if len(sys.argv) != 2 or sys.argv[1] in ("-h", "--help"):
        print(__doc__)
        sys.exit(0 if len(sys.argv) == 2 else 1)
    if sys.argv[1] == "--list":
        print("\n".join(sorted(f)))
        return
    print(f[sys.argv[1]].hex())


if __name__ == "__main__":
    main()
