#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Talks generic netlink to the openvswitch kernel module directly, without
ovs-vswitchd, to check how the module validates nat64 actions.

  ovs-dp-probe.py validate DPNAME
      Creates datapath DPNAME, tries to set the user features OVS_DP_F_NAT64
      (case feature-nat64) and bit 31 (feature-unsupported, what OVS sets to
      find kernels that accept anything), then to install one flow per case
      below; prints "ok CASE" or "error CASE errno" per case and deletes the
      datapath.  Exits 0 unless netlink itself failed.
  ovs-dp-probe.py bridge DPNAME DEV-V4 DEV-V6
      Creates datapath DPNAME with ports DEV-V4 (1) and DEV-V6 (2) and
      wildcarded flows that translate between them, as ovs-vswitchd
      would install them: port 1 IPv4 and ARP -> nat64 4to6 -> port 2,
      port 2 IPv6 -> nat64 6to4 -> port 1.  The datapath stays.
  ovs-dp-probe.py delete DPNAME
      Deletes datapath DPNAME.
  ovs-dp-probe.py execute DPNAME DEV-A PEER-A DEV-B PEER-B
      Creates datapath DPNAME with DEV-A as port 1 and DEV-B as port 2
      (veth devices whose other ends are PEER-A and PEER-B), executes
      hand-made frames with nat64 actions through OVS_PACKET_CMD_EXECUTE
      and checks, from what arrives on the peers, the translated headers,
      every checksum, the ICMP error for a too-big packet with DF, the
      fragments of one without DF and that untranslatable frames do not
      arrive; then frames with VLAN tags (those of OVS's tests/nat64.at,
      from nat64-pkt.py), compared byte for byte, and the datapath's
      nat64 counters.  Prints "PASS: NAME" / "FAIL: NAME (why)" lines;
      exits 1 if something failed.
  ovs-dp-probe.py stats DPNAME
      Prints the nat64 counters of datapath DPNAME (OVS_DP_ATTR_NAT64_STATS
      of its OVS_DP_CMD_GET reply) in the format of "ovs-appctl
      nat64/show"; exits 1 if the datapath has none (a stock module).
  ovs-dp-probe.py has-counters DPNAME
      Creates datapath DPNAME, exits 0 if its reply carries nat64
      counters (the patched module), 1 if not, and deletes it.
  ovs-dp-probe.py send DEV FRAME...
      Sends each frame (a name of nat64-pkt.py) out of device DEV.
  ovs-dp-probe.py capture DEV SECONDS
      Prints, one hex line each, the VLAN-tagged frames that arrive on DEV
      within SECONDS, with their tags as they were on the wire.
"""
import importlib.util
import errno
import os
import select
import socket
import struct
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                "..", "lib"))
from netpkt import csum  # noqa: E402  (after the path is set)


def nat64_frames():
    """The frames of OVS's tests/nat64.at, built by its nat64-pkt.py."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "..", "ovs", "files", "tests", "nat64-pkt.py")
    spec = importlib.util.spec_from_file_location("nat64_pkt", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod.frames()


NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLA_F_NESTED = 0x8000

OVS_DP_CMD_NEW, OVS_DP_CMD_DEL, OVS_DP_CMD_GET = 1, 2, 3
# OVS_DP_ATTR_NAT64_STATS and its nested attributes (datapath/ABI.md).
OVS_DP_ATTR_NAT64_STATS = 0x3f64
NAT64_STATS_COUNTERS = ((1, "translated"), (2, "replies"), (3, "fragments"),
                        (4, "invalid-action"))
NAT64_STATS_ATTR_DROP = 5
NAT64_DROP_ATTR_REASON, NAT64_DROP_ATTR_PACKETS = 1, 2
SOL_PACKET, PACKET_AUXDATA = 263, 8
TP_STATUS_VLAN_VALID, TP_STATUS_VLAN_TPID_VALID = 0x10, 0x40
OVS_DP_ATTR_NAME, OVS_DP_ATTR_UPCALL_PID = 1, 2
OVS_FLOW_CMD_NEW = 1
OVS_VPORT_CMD_NEW = 1
OVS_VPORT_ATTR_PORT_NO, OVS_VPORT_ATTR_TYPE, OVS_VPORT_ATTR_NAME = 1, 2, 3
OVS_VPORT_ATTR_UPCALL_PID = 5
OVS_VPORT_TYPE_NETDEV = 1
OVS_PACKET_CMD_EXECUTE = 3
OVS_PACKET_ATTR_PACKET, OVS_PACKET_ATTR_KEY, OVS_PACKET_ATTR_ACTIONS = 1, 2, 3
OVS_FLOW_ATTR_KEY, OVS_FLOW_ATTR_ACTIONS, OVS_FLOW_ATTR_MASK = 1, 2, 7

KEY_IN_PORT, KEY_ETHERNET, KEY_ETHERTYPE = 3, 4, 6
KEY_IPV4, KEY_IPV6, KEY_ARP = 7, 8, 13
ACT_OUTPUT, ACT_SET, ACT_PUSH_VLAN, ACT_RECIRC, ACT_CT = 1, 3, 4, 7, 12
OVS_DP_CMD_SET, OVS_DP_ATTR_USER_FEATURES = 4, 5
# The upstream number that an older ovs-nat64 used for the action: in
# Linux 6.12 it is OVS_ACTION_ATTR_DROP.
ACT_OLD_NAT64 = 24
MODE_4TO6, MODE_6TO4 = 1, 2


def abi_numbers():
    """The action number and feature bit from the one place that defines
    them, the uapi patch (datapath/ABI.md), so this probe cannot drift."""
    import re
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                        "..", "datapath", "patches",
                        "0001-openvswitch-uapi-add-the-nat64-action.patch")
    found = {}
    with open(path) as f:
        for line in f:
            m = re.match(r"\+#define (OVS_NAT64_ATTR_NAT64|OVS_DP_F_NAT64)"
                         r"\s+(0x[0-9a-f]+|\(1U << (\d+)\))\s*$", line)
            if m:
                found[m.group(1)] = (1 << int(m.group(3)) if m.group(3)
                                     else int(m.group(2), 16))
    if len(found) != 2:
        raise SystemExit("%s: no OVS_NAT64_ATTR_NAT64/OVS_DP_F_NAT64" % path)
    return found["OVS_NAT64_ATTR_NAT64"], found["OVS_DP_F_NAT64"]


ACT_NAT64, OVS_DP_F_NAT64 = abi_numbers()
OVS_DP_F_UNSUPPORTED = 1 << 31
FE80 = bytes([0xfe, 0x80]) + bytes(14)


def nla(atype, payload):
    length = 4 + len(payload)
    pad = (4 - length % 4) % 4
    return struct.pack("=HH", length, atype) + payload + bytes(pad)


def nest(atype, *attrs):
    return nla(atype | NLA_F_NESTED, b"".join(attrs))


class Genl:
    def __init__(self):
        self.sock = socket.socket(socket.AF_NETLINK, socket.SOCK_RAW,
                                  NETLINK_GENERIC)
        self.sock.bind((0, 0))
        self.seq = 0

    def request(self, family, cmd, version, payload):
        """Sends one request; returns 0 or the positive errno."""
        self.seq += 1
        body = struct.pack("=BBH", cmd, version, 0) + payload
        msg = struct.pack("=IHHII", 16 + len(body), family,
                          NLM_F_REQUEST | NLM_F_ACK, self.seq, 0) + body
        self.sock.send(msg)
        while True:
            data = self.sock.recv(65536)
            off = 0
            while off < len(data):
                length, mtype, _, seq, _ = struct.unpack_from("=IHHII",
                                                              data, off)
                if mtype == NLMSG_ERROR and seq == self.seq:
                    return -struct.unpack_from("=i", data, off + 16)[0]
                if mtype in (GENL_ID_CTRL, family) and seq == self.seq:
                    self.reply = data[off + 20:off + length]
                off += (length + 3) & ~3

    def family(self, name):
        self.reply = b""
        err = self.request(GENL_ID_CTRL, CTRL_CMD_GETFAMILY, 1,
                           nla(CTRL_ATTR_FAMILY_NAME, name.encode() + b"\0"))
        if err:
            raise OSError(err, "genl family %s" % name)
        off = 0
        while off < len(self.reply):
            length, atype = struct.unpack_from("=HH", self.reply, off)
            if atype == CTRL_ATTR_FAMILY_ID:
                return struct.unpack_from("=H", self.reply, off + 4)[0]
            off += (length + 3) & ~3
        raise OSError(errno.ENOENT, "genl family %s: no id" % name)


# struct ovs_action_nat64: mode mtu prefix_len flags prefix frag_mtu
# n_protect alg icmp_src4 pool6791 icmp_src6 protect[4] ('pad' below is
# the alg byte: OVS_NAT64_ALG_MDNS 1, OVS_NAT64_ALG_SSDP 2).
NAT64_ARG_LEN = 68
F_ICMP_SRC4, F_ICMP_SRC6, F_POOL6791 = 4, 8, 16


def nat64(mode, prefix=FE80, plen=96, mtu=1500, flags=1, size=NAT64_ARG_LEN,
          frag_mtu=1280, protect=(), pad=0, icmp_src4=bytes(4),
          pool6791=bytes(4), icmp_src6=bytes(16), n_protect=None):
    prot = b"".join(protect) + bytes(16 - 4 * len(protect))
    arg = struct.pack("=IHBB16sHBB4s4s16s16s", mode, mtu, plen, flags,
                      prefix, frag_mtu,
                      len(protect) if n_protect is None else n_protect,
                      pad, icmp_src4, pool6791, icmp_src6, prot)
    return nla(ACT_NAT64, arg[:size] if size <= NAT64_ARG_LEN
               else arg + bytes(size - NAT64_ARG_LEN))


def key(port, ethertype):
    attrs = [nla(KEY_IN_PORT, struct.pack("=I", port)),
             nla(KEY_ETHERNET, bytes(12)),
             nla(KEY_ETHERTYPE, struct.pack("!H", ethertype))]
    if ethertype == 0x0800:
        attrs.append(nla(KEY_IPV4, bytes(12)))
    elif ethertype == 0x86dd:
        attrs.append(nla(KEY_IPV6, bytes(40)))
    elif ethertype == 0x0806:
        attrs.append(nla(KEY_ARP, bytes(24)))
    return attrs


OUT = nla(ACT_OUTPUT, struct.pack("=I", 1))
SET_IPV4 = nest(ACT_SET, nla(KEY_IPV4, bytes(12)))
PUSH_VLAN = nla(ACT_PUSH_VLAN, struct.pack("!HH", 0x8100, 0x1005))

# name, ethertype, actions
CASES = [
    ("ipv4-4to6", 0x0800, [nat64(MODE_4TO6), OUT]),
    ("arp-4to6", 0x0806, [nat64(MODE_4TO6), OUT]),
    ("ipv6-6to4", 0x86dd, [nat64(MODE_6TO4), OUT]),
    ("prefix-64", 0x0800, [nat64(MODE_4TO6, plen=64), OUT]),
    ("recirc-after", 0x0800, [nat64(MODE_4TO6),
                              nla(ACT_RECIRC, struct.pack("=I", 7))]),
    ("ipv6-4to6", 0x86dd, [nat64(MODE_4TO6), OUT]),
    ("ipv4-6to4", 0x0800, [nat64(MODE_6TO4), OUT]),
    ("arp-6to4", 0x0806, [nat64(MODE_6TO4), OUT]),
    ("mode-0", 0x0800, [nat64(0), OUT]),
    ("mode-3", 0x0800, [nat64(3), OUT]),
    ("prefix-len-80", 0x0800, [nat64(MODE_4TO6, plen=80), OUT]),
    ("prefix-bits-past-len", 0x0800,
     [nat64(MODE_4TO6, prefix=FE80[:15] + b"\x01"), OUT]),
    ("unknown-flag", 0x0800, [nat64(MODE_4TO6, flags=0x80), OUT]),
    ("short-argument", 0x0800, [nat64(MODE_4TO6, size=24), OUT]),
    ("long-argument", 0x0800, [nat64(MODE_4TO6, size=72), OUT]),
    # Issue 12 knobs, and issue 13 item 7: what validation refuses.
    ("knobs", 0x0800,
     [nat64(MODE_4TO6, frag_mtu=0, flags=1 | F_ICMP_SRC4 | F_ICMP_SRC6
            | F_POOL6791, icmp_src4=bytes([192, 0, 2, 1]),
            pool6791=bytes([192, 0, 0, 8]), icmp_src6=FE80[:15] + b"\x01",
            protect=[bytes([192, 168, 0, 100])]), OUT]),
    ("mtu-1", 0x0800, [nat64(MODE_4TO6, mtu=1), OUT]),
    ("frag-mtu-1000", 0x0800, [nat64(MODE_4TO6, frag_mtu=1000), OUT]),
    ("prefix-multicast", 0x0800,
     [nat64(MODE_4TO6, prefix=bytes([0xff, 0x0e]) + bytes(14)), OUT]),
    ("prefix-v4-mapped", 0x0800,
     [nat64(MODE_4TO6, prefix=bytes(10) + b"\xff\xff" + bytes(4)), OUT]),
    ("prefix-v4-compat", 0x0800, [nat64(MODE_4TO6, prefix=bytes(16)), OUT]),
    ("n-protect-5", 0x0800, [nat64(MODE_4TO6, n_protect=5), OUT]),
    ("alg-mdns-ssdp", 0x0800, [nat64(MODE_4TO6, pad=3), OUT]),
    ("alg-unknown-bit", 0x0800, [nat64(MODE_4TO6, pad=4), OUT]),
    ("vlan-pushed-before", 0x0800, [PUSH_VLAN, nat64(MODE_4TO6), OUT]),
    ("set-ipv4-after", 0x0800, [nat64(MODE_4TO6), SET_IPV4, OUT]),
    ("ct-after", 0x0800, [nat64(MODE_4TO6), nest(ACT_CT), OUT]),
    ("nat64-twice", 0x0800, [nat64(MODE_4TO6), nat64(MODE_6TO4), OUT]),
    # A userspace built with the old number must fail loudly, not drop.
    ("old-number-24", 0x0800,
     [nla(ACT_OLD_NAT64, nat64(MODE_4TO6)[4:]), OUT]),
]

FEATURE_CASES = [
    ("feature-nat64", OVS_DP_F_NAT64),
    ("feature-unsupported", OVS_DP_F_UNSUPPORTED),
]


def create_dp(genl, dp_family, dpname):
    """Creates datapath 'dpname' (no upcalls); OSError if refused."""
    err = genl.request(dp_family, OVS_DP_CMD_NEW, 2,
                       struct.pack("=i", 0)
                       + nla(OVS_DP_ATTR_NAME, dpname.encode() + b"\0")
                       + nla(OVS_DP_ATTR_UPCALL_PID, struct.pack("=I", 0)))
    if err:
        raise OSError(err, "creating datapath %s" % dpname)


def validate(dpname):
    genl = Genl()
    dp_family = genl.family("ovs_datapath")
    flow_family = genl.family("ovs_flow")
    create_dp(genl, dp_family, dpname)
    try:
        with open("/sys/class/net/%s/ifindex" % dpname) as f:
            ifindex = int(f.read())
        for name, bit in FEATURE_CASES:
            err = genl.request(dp_family, OVS_DP_CMD_SET, 2,
                               struct.pack("=i", 0)
                               + nla(OVS_DP_ATTR_NAME,
                                     dpname.encode() + b"\0")
                               + nla(OVS_DP_ATTR_USER_FEATURES,
                                     struct.pack("=I", bit)))
            if err:
                print("error %s %s" % (name, errno.errorcode.get(err, err)))
            else:
                print("ok %s" % name)
        for i, (name, ethertype, actions) in enumerate(CASES):
            err = genl.request(flow_family, OVS_FLOW_CMD_NEW, 1,
                               struct.pack("=i", ifindex)
                               + nest(OVS_FLOW_ATTR_KEY,
                                      *key(100 + i, ethertype))
                               + nest(OVS_FLOW_ATTR_ACTIONS, *actions))
            if err:
                print("error %s %s" % (name, errno.errorcode.get(err, err)))
            else:
                print("ok %s" % name)
    finally:
        genl.request(dp_family, OVS_DP_CMD_DEL, 2,
                     struct.pack("=i", 0)
                     + nla(OVS_DP_ATTR_NAME, dpname.encode() + b"\0"))
    return 0


# --- execute -------------------------------------------------------------

MAC_A = bytes.fromhex("02000000000a")       # client side
MAC_B = bytes.fromhex("020000000064")       # server side
IP4_A = bytes([192, 168, 0, 10])
IP4_B = bytes([192, 168, 0, 100])
IP6_A = FE80[:12] + IP4_A                   # fe80::c0a8:a
IP6_B = FE80[:12] + IP4_B                   # fe80::c0a8:64


def ip4(proto, payload, df=True, ttl=64, ident=0x4242):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident,
                      0x4000 if df else 0, ttl, proto, 0, IP4_A, IP4_B)
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def l4_ip4(proto, l4, csum_ofs):
    pseudo = IP4_A + IP4_B + struct.pack("!BBH", 0, proto, len(l4))
    c = csum(pseudo + l4) if proto != 1 else csum(l4)
    return l4[:csum_ofs] + struct.pack("!H", c) + l4[csum_ofs + 2:]


def l4_ip6(src, dst, proto, l4, csum_ofs):
    pseudo = src + dst + struct.pack("!IxxxB", len(l4), proto)
    c = csum(pseudo + l4)
    return l4[:csum_ofs] + struct.pack("!H", c) + l4[csum_ofs + 2:]


def eth(dst, src, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def icmp4_echo():
    body = struct.pack("!BBHHH", 8, 0, 0, 0x1234, 1) + bytes(range(32))
    return eth(MAC_B, MAC_A, 0x0800, ip4(1, l4_ip4(1, body, 2)))


def udp4(size, df):
    body = struct.pack("!HHHH", 4000, 7777, 8 + size, 0) \
        + bytes((i * 7 + 3) & 0xFF for i in range(size))
    return eth(MAC_B, MAC_A, 0x0800, ip4(17, l4_ip4(17, body, 6), df=df))


def icmp6_echo_reply(dst=IP6_A):
    body = struct.pack("!BBHHH", 129, 0, 0, 0x1234, 1) + bytes(range(32))
    body = l4_ip6(IP6_B, dst, 58, body, 2)
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(body), 58, 64,
                      IP6_B, dst)
    return eth(MAC_A, MAC_B, 0x86dd, hdr + body)


def arp_request():
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, MAC_A, IP4_A,
                       bytes(6), IP4_B)
    return eth(b"\xff" * 6, MAC_A, 0x0806, body)


def icmp6_echo_reply_atomic():
    """Issue 12 item 1: an ICMPv6 echo reply in an atomic fragment."""
    body = struct.pack("!BBHHH", 129, 0, 0, 0x1234, 1) + bytes(range(32))
    body = l4_ip6(IP6_B, IP6_A, 58, body, 2)
    frag = struct.pack("!BBHI", 58, 0, 0, 0xaabb3344)
    hdr = struct.pack("!IHBB16s16s", 0x60000000, len(frag) + len(body), 44,
                      64, IP6_B, IP6_A)
    return eth(MAC_A, MAC_B, 0x86dd, hdr + frag + body)


DCCP_BODY = (struct.pack("!HHBBHBBH", 5001, 5002, 4, 0, 0, 0x03, 0, 0x1234)
             + struct.pack("!HI", 0, 0) + b"dccp through nat64")


def mdns4(v6, n=8):
    """Issue 18: an mDNS response from A with N A records of host hI.local
    (or, translated, their AAAA records of fe80::c0a8:a): the message grows
    by 12 bytes a record, more than the tail room of a packet built for
    its size."""
    msg = struct.pack("!6H", 0, 0x8400, 0, n, 0, 0)
    for i in range(n):
        msg += bytes([2]) + b"h%d" % i + b"\x05local\x00"
        if v6:
            msg += struct.pack("!HHIH", 28, 0x8001, 120, 16) + IP6_A
        else:
            msg += struct.pack("!HHIH", 1, 0x8001, 120, 4) + IP4_A
    return msg


def mdns4_frame():
    body = struct.pack("!HHHH", 5353, 5353, 8 + len(mdns4(False)), 0) \
        + mdns4(False)
    return eth(MAC_B, MAC_A, 0x0800, ip4(17, l4_ip4(17, body, 6)))


def check_mdns6(frames, v6):
    """One IPv6 UDP datagram with the mDNS payload mdns4(v6) and a right
    checksum."""
    if len(frames) != 1:
        return "%d frames arrived, expected 1" % len(frames)
    ethertype, src, dst, nh, _, l4 = parse_ip6(frames[0])
    if ethertype != 0x86dd or nh != 17:
        return "not an IPv6 UDP datagram"
    if l4[8:] != mdns4(v6):
        return "payload %s, expected %s" % (l4[8:].hex(), mdns4(v6).hex())
    if struct.unpack_from("!H", l4, 4)[0] != len(l4) or \
            csum(src + dst + struct.pack("!IxxxB", len(l4), 17) + l4):
        return "UDP length or checksum wrong"
    return None


def dccp4():
    """Issue 12 item 9: DCCP (protocol 33) from A to B."""
    return eth(MAC_B, MAC_A, 0x0800, ip4(33, l4_ip4(33, DCCP_BODY, 6)))


def check_icmp4_atomic(frames):
    why = check_icmp4_echo_reply(frames)
    if why:
        return why
    iph = frames[0][14:34]
    ident, frag = struct.unpack_from("!HH", iph, 4)
    if ident != 0x3344 or frag != 0:
        return "IPv4 id %#x flags %#x, expected 0x3344 and 0" % (ident, frag)
    return None


def check_dccp6(frames):
    if len(frames) != 1:
        return "%d frames arrived, expected 1" % len(frames)
    ethertype, src, dst, nh, _, l4 = parse_ip6(frames[0])
    if (ethertype, src, dst, nh) != (0x86dd, IP6_A, IP6_B, 33):
        return "not IPv6 DCCP from fe80::c0a8:a to fe80::c0a8:64"
    if l4[:6] != DCCP_BODY[:6] or l4[8:] != DCCP_BODY[8:]:
        return "DCCP bytes changed beyond the checksum"
    if csum(src + dst + struct.pack("!IxxxB", len(l4), 33) + l4):
        return "DCCP checksum wrong"
    return None


class Capture:
    """Frames arriving on a device (not those it sends)."""

    def __init__(self, dev):
        self.sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW,
                                  socket.htons(3))
        self.sock.bind((dev, 0))
        # The receive path moves a frame's VLAN tag out of the data; the
        # auxiliary data says what it was.
        self.sock.setsockopt(SOL_PACKET, PACKET_AUXDATA, 1)
        self.sock.setblocking(False)

    def drain(self):
        try:
            while True:
                self.sock.recv(65536)
        except BlockingIOError:
            pass

    def frames(self, wait=0.3):
        out = []
        while select.select([self.sock], [], [], wait)[0]:
            data, anc, _, addr = self.sock.recvmsg(65536,
                                                   socket.CMSG_SPACE(32))
            if addr[2] != socket.PACKET_OUTGOING:
                out.append(self.with_tag(data, anc))
            wait = 0.1
        return out

    @staticmethod
    def with_tag(data, anc):
        for level, ctype, aux in anc:
            if level != SOL_PACKET or ctype != PACKET_AUXDATA:
                continue
            status, _, _, _, _, tci, tpid = struct.unpack_from("=IIIHHHH",
                                                               aux)
            if status & TP_STATUS_VLAN_VALID:
                if not status & TP_STATUS_VLAN_TPID_VALID:
                    tpid = 0x8100
                return data[:12] + struct.pack("!HH", tpid, tci) + data[12:]
        return data


def parse_ip6(frame):
    """(ethertype, src, dst, nexthdr, hlim, payload) of an IPv6 frame."""
    ethertype = struct.unpack_from("!H", frame, 12)[0]
    plen, nh, hlim = struct.unpack_from("!HBB", frame, 18)
    return (ethertype, frame[22:38], frame[38:54], nh, hlim,
            frame[54:54 + plen])


class Executor:
    def __init__(self, dpname, dev_a, dev_b):
        self.genl = Genl()
        self.dp_family = self.genl.family("ovs_datapath")
        self.vport_family = self.genl.family("ovs_vport")
        self.packet_family = self.genl.family("ovs_packet")
        self.dpname = dpname
        create_dp(self.genl, self.dp_family, dpname)
        with open("/sys/class/net/%s/ifindex" % dpname) as f:
            self.ifindex = int(f.read())
        for port, dev in ((1, dev_a), (2, dev_b)):
            err = self.genl.request(
                self.vport_family, OVS_VPORT_CMD_NEW, 1,
                struct.pack("=i", self.ifindex)
                + nla(OVS_VPORT_ATTR_PORT_NO, struct.pack("=I", port))
                + nla(OVS_VPORT_ATTR_TYPE,
                      struct.pack("=I", OVS_VPORT_TYPE_NETDEV))
                + nla(OVS_VPORT_ATTR_NAME, dev.encode() + b"\0")
                + nla(OVS_VPORT_ATTR_UPCALL_PID, struct.pack("=I", 0)))
            if err:
                self.close()
                raise OSError(err, "adding port %s" % dev)

    def execute(self, frame, in_port, actions):
        return self.genl.request(
            self.packet_family, OVS_PACKET_CMD_EXECUTE, 1,
            struct.pack("=i", self.ifindex)
            + nla(OVS_PACKET_ATTR_PACKET, frame)
            + nest(OVS_PACKET_ATTR_KEY,
                   nla(KEY_IN_PORT, struct.pack("=I", in_port)))
            + nest(OVS_PACKET_ATTR_ACTIONS, *actions))

    def close(self):
        self.genl.request(self.dp_family, OVS_DP_CMD_DEL, 2,
                          struct.pack("=i", 0)
                          + nla(OVS_DP_ATTR_NAME,
                                self.dpname.encode() + b"\0"))


def out(port):
    return nla(ACT_OUTPUT, struct.pack("=I", port))


def attrs(data):
    """(type, payload) of each netlink attribute in 'data'."""
    off = 0
    while off + 4 <= len(data):
        length, atype = struct.unpack_from("=HH", data, off)
        if length < 4:
            break
        yield atype & 0x3fff, data[off + 4:off + length]
        off += (length + 3) & ~3


def nat64_stats(genl, dp_family, dpname):
    """{counter: value} and {drop reason: count} of datapath 'dpname', or
    None if its reply has no OVS_DP_ATTR_NAT64_STATS."""
    genl.reply = b""
    err = genl.request(dp_family, OVS_DP_CMD_GET, 2,
                       struct.pack("=i", 0)
                       + nla(OVS_DP_ATTR_NAME, dpname.encode() + b"\0"))
    if err:
        raise OSError(err, "getting datapath %s" % dpname)
    names = dict(NAT64_STATS_COUNTERS)
    for atype, payload in attrs(genl.reply[4:]):
        if atype != OVS_DP_ATTR_NAT64_STATS:
            continue
        counters, drops = {}, {}
        for ctype, value in attrs(payload):
            if ctype in names:
                counters[names[ctype]] = struct.unpack("=Q", value)[0]
            elif ctype == NAT64_STATS_ATTR_DROP:
                d = dict(attrs(value))
                reason = d[NAT64_DROP_ATTR_REASON].rstrip(b"\0").decode()
                drops[reason] = struct.unpack(
                    "=Q", d[NAT64_DROP_ATTR_PACKETS])[0]
        return counters, drops
    return None


def stats(dpname):
    genl = Genl()
    got = nat64_stats(genl, genl.family("ovs_datapath"), dpname)
    if got is None:
        print("datapath %s has no nat64 counters" % dpname, file=sys.stderr)
        return 1
    counters, drops = got
    for _, name in NAT64_STATS_COUNTERS:
        print("%s: %d" % (name, counters[name]))
    print("drops:")
    for reason in sorted(drops):
        print("  %s: %d" % (reason, drops[reason]))
    return 0


def send(dev, names):
    f = nat64_frames()
    sock = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    sock.bind((dev, 0))
    for name in names:
        sock.send(f[name])
    return 0


def capture(dev, seconds):
    cap = Capture(dev)
    deadline = time.monotonic() + float(seconds)
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        for frame in cap.frames(wait=left):
            if struct.unpack_from("!H", frame, 12)[0] in (0x8100, 0x88a8):
                print(frame.hex(), flush=True)
    return 0


def has_counters(dpname):
    """Exit status 0 if a new datapath reports nat64 counters."""
    genl = Genl()
    dp_family = genl.family("ovs_datapath")
    create_dp(genl, dp_family, dpname)
    try:
        got = nat64_stats(genl, dp_family, dpname)
    finally:
        genl.request(dp_family, OVS_DP_CMD_DEL, 2,
                     struct.pack("=i", 0)
                     + nla(OVS_DP_ATTR_NAME, dpname.encode() + b"\0"))
    print("datapath %s: %s" % (dpname, "nat64 counters %s" % (got,)
                               if got else "no nat64 counters"))
    return 0 if got else 1


def untagged(frame):
    return frame[:12] + frame[16:]


def check_tagged(frames, tag, check):
    """'check' of 'frames' with their VLAN tag 'tag' (4 bytes) removed,
    after checking that each one has it."""
    for f in frames:
        if f[12:16] != tag:
            return "a frame arrived with VLAN header %s, expected %s" % (
                f[12:16].hex(), tag.hex())
    return check([untagged(f) for f in frames])


def check_exact(frames, expected):
    if frames != expected:
        return "%d frames arrived, not the %d expected (got %s)" % (
            len(frames), len(expected), " ".join(f.hex() for f in frames))
    return None


def check_icmp6_echo(frames):
    if len(frames) != 1:
        return "%d frames arrived, expected 1" % len(frames)
    f = frames[0]
    ethertype, src, dst, nh, hlim, l4 = parse_ip6(f)
    if f[:12] != MAC_B + MAC_A:
        return "Ethernet addresses changed"
    if (ethertype, src, dst, nh, hlim) != (0x86dd, IP6_A, IP6_B, 58, 64):
        return "IPv6 header %x %s %s nh %d hlim %d" % (
            ethertype, src.hex(), dst.hex(), nh, hlim)
    if l4[:2] != b"\x80\x00" or l4[4:] != struct.pack("!HH", 0x1234, 1) \
            + bytes(range(32)):
        return "ICMPv6 echo request body differs"
    if csum(src + dst + struct.pack("!IxxxB", len(l4), 58) + l4):
        return "ICMPv6 checksum wrong"
    return None


def check_icmp4_echo_reply(frames):
    if len(frames) != 1:
        return "%d frames arrived, expected 1" % len(frames)
    f = frames[0]
    if struct.unpack_from("!H", f, 12)[0] != 0x0800:
        return "not IPv4"
    iph = f[14:34]
    if csum(iph):
        return "IPv4 header checksum wrong"
    if iph[12:16] != IP4_B or iph[16:20] != IP4_A or iph[9] != 1:
        return "IPv4 addresses or protocol wrong"
    total = struct.unpack_from("!H", iph, 2)[0]
    icmp = f[34:14 + total]
    if icmp[0] != 0 or csum(icmp):
        return "ICMPv4 type %d or checksum wrong" % icmp[0]
    if icmp[4:] != struct.pack("!HH", 0x1234, 1) + bytes(range(32)):
        return "ICMPv4 echo reply body differs"
    return None


def check_udp6(frames, size):
    if len(frames) != 1:
        return "%d frames arrived, expected 1" % len(frames)
    ethertype, src, dst, nh, _, l4 = parse_ip6(frames[0])
    if ethertype != 0x86dd or nh != 17 or len(l4) != 8 + size:
        return "not one IPv6 UDP datagram of %d bytes" % size
    if csum(src + dst + struct.pack("!IxxxB", len(l4), 17) + l4):
        return "UDP checksum wrong"
    return None


def check_fragments(frames, size):
    if len(frames) < 2:
        return "%d frames arrived, expected fragments" % len(frames)
    data = {}
    ident = None
    for f in frames:
        if len(f) > 1514:
            return "a fragment of %d bytes exceeds the MTU" % len(f)
        ethertype, src, dst, nh, _, l4 = parse_ip6(f)
        if ethertype != 0x86dd or nh != 44:
            return "not an IPv6 fragment"
        nxt, offm, fid = struct.unpack_from("!BxHI", l4)
        if nxt != 17 or (ident is not None and fid != ident):
            return "fragment header wrong"
        ident = fid
        data[offm & ~7] = l4[8:]
    whole = b""
    for off in sorted(data):
        if off != len(whole):
            return "fragments do not line up"
        whole += data[off]
    if len(whole) != 8 + size:
        return "reassembled %d bytes, expected %d" % (len(whole), 8 + size)
    if csum(IP6_A + IP6_B + struct.pack("!IxxxB", len(whole), 17) + whole):
        return "UDP checksum over the fragments wrong"
    return None


def check_frag_needed(frames):
    if len(frames) != 1:
        return "%d frames arrived back, expected 1" % len(frames)
    f = frames[0]
    iph = f[14:34]
    if struct.unpack_from("!H", f, 12)[0] != 0x0800 or csum(iph):
        return "not a valid IPv4 frame"
    total = struct.unpack_from("!H", iph, 2)[0]
    icmp = f[34:14 + total]
    if icmp[:2] != b"\x03\x04" or csum(icmp):
        return "not ICMPv4 fragmentation needed with a valid checksum"
    mtu = struct.unpack_from("!H", icmp, 6)[0]
    if mtu != 1480:
        return "next-hop MTU %d, expected 1480" % mtu
    if iph[16:20] != IP4_A:
        return "not addressed to the sender"
    return None


def check_ns(frames):
    if len(frames) != 1:
        return "%d frames arrived, expected 1" % len(frames)
    ethertype, src, dst, nh, hlim, l4 = parse_ip6(frames[0])
    if ethertype != 0x86dd or nh != 58 or hlim != 255 or l4[0] != 135:
        return "not a neighbor solicitation with hop limit 255"
    if l4[8:24] != IP6_B:
        return "target is not fe80::c0a8:64"
    if csum(src + dst + struct.pack("!IxxxB", len(l4), 58) + l4):
        return "ICMPv6 checksum wrong"
    return None


def execute(dpname, dev_a, peer_a, dev_b, peer_b):
    cap_a, cap_b = Capture(peer_a), Capture(peer_b)
    ex = Executor(dpname, dev_a, dev_b)
    failed = 0

    def case(name, frame, in_port, actions, check, cap):
        nonlocal failed
        cap_a.drain()
        cap_b.drain()
        err = ex.execute(frame, in_port, actions)
        why = ("execute: %s" % errno.errorcode.get(err, err)) if err \
            else check(cap.frames())
        if why:
            failed = 1
            print("FAIL: %s (%s)" % (name, why))
        else:
            print("PASS: %s" % name)

    def nothing(frames):
        return "%d frames arrived" % len(frames) if frames else None

    try:
        # Control: the plumbing works without nat64.
        case("exec-plain-output", icmp4_echo(), 1, [out(2)],
             lambda f: None if f == [icmp4_echo()] else
             "%d frames, expected the frame unchanged" % len(f), cap_b)
        case("exec-icmp-4to6", icmp4_echo(), 1,
             [nat64(MODE_4TO6), out(2)], check_icmp6_echo, cap_b)
        case("exec-icmp-6to4", icmp6_echo_reply(), 2,
             [nat64(MODE_6TO4), out(1)], check_icmp4_echo_reply, cap_a)
        case("exec-udp-4to6", udp4(100, True), 1,
             [nat64(MODE_4TO6), out(2)], lambda f: check_udp6(f, 100),
             cap_b)
        case("exec-arp-to-ns", arp_request(), 1,
             [nat64(MODE_4TO6), out(2)], check_ns, cap_b)
        case("exec-fragment", udp4(1472, False), 1,
             [nat64(MODE_4TO6), out(2)],
             lambda f: check_fragments(f, 1472), cap_b)
        case("exec-too-big-reply", udp4(1472, True), 1,
             [nat64(MODE_4TO6), out(2)], check_frag_needed, cap_a)
        case("exec-too-big-not-forwarded", udp4(1472, True), 1,
             [nat64(MODE_4TO6), out(2)], nothing, cap_b)
        case("exec-icmp6-atomic-fragment-6to4", icmp6_echo_reply_atomic(),
             2, [nat64(MODE_6TO4), out(1)], check_icmp4_atomic, cap_a)
        case("exec-dccp-4to6", dccp4(), 1, [nat64(MODE_4TO6), out(2)],
             check_dccp6, cap_b)
        case("exec-mdns-alg-a-to-aaaa", mdns4_frame(), 1,
             [nat64(MODE_4TO6, pad=1), out(2)],
             lambda f: check_mdns6(f, True), cap_b)
        case("exec-mdns-alg-off-unchanged", mdns4_frame(), 1,
             [nat64(MODE_4TO6), out(2)],
             lambda f: check_mdns6(f, False), cap_b)
        case("exec-protected-source-dropped", udp4(100, True), 1,
             [nat64(MODE_4TO6, protect=[IP4_A]), out(2)], nothing, cap_b)
        case("exec-unmapped-dropped",
             icmp6_echo_reply(dst=FE80[:8] + bytes([0, 1]) + bytes(2)
                              + IP4_A), 2,
             [nat64(MODE_6TO4), out(1)], nothing, cap_a)

        # One 802.1Q tag is kept, as in the userspace datapath: the very
        # frames of OVS's tests/nat64.at, byte for byte.
        f = nat64_frames()
        for name, frame, port, mode, expect, cap in (
                ("exec-vlan-4to6", "tcp4-vlan10", 1, MODE_4TO6,
                 "tcp4-vlan10-as-6", cap_b),
                ("exec-vlan-arp-to-ns", "arp-request-vlan10", 1, MODE_4TO6,
                 "arp-request-vlan10-as-ns", cap_b),
                ("exec-vlan-6to4", "udp6-vlan10", 2, MODE_6TO4,
                 "udp6-vlan10-as-4", cap_a)):
            case(name, f[frame], port,
                 [nat64(mode), out(3 - port)],
                 lambda got, e=f[expect]: check_exact(got, [e]), cap)
        # Tagged by push_vlan just before nat64 (the TCI with VLAN_CFI_MASK,
        # the datapath's "tag present" bit).
        tag = f["udp4-vlan10"][12:16]
        push = nla(ACT_PUSH_VLAN, struct.pack("!HH", 0x8100,
                                              struct.unpack("!H", tag[2:])[0]
                                              | 0x1000))
        case("exec-vlan-pushed-4to6", f["udp4"], 1,
             [push, nat64(MODE_4TO6), out(2)],
             lambda got: check_exact(got, [f["udp4-vlan10-as-6"]]), cap_b)
        case("exec-vlan-fragment", tagged(udp4(1472, False), tag), 1,
             [nat64(MODE_4TO6), out(2)],
             lambda got: check_tagged(got, tag,
                                      lambda u: check_fragments(u, 1472)),
             cap_b)
        case("exec-vlan-too-big-reply", tagged(udp4(1472, True), tag), 1,
             [nat64(MODE_4TO6), out(2)],
             lambda got: check_tagged(got, tag, check_frag_needed), cap_a)
        case("exec-8021ad-dropped", f["udp4-8021ad"], 1,
             [nat64(MODE_4TO6), out(2)], nothing, cap_b)

        failed |= check_counters(ex)
    finally:
        ex.close()
    return failed


def check_counters(ex):
    """The datapath's nat64 counters after the cases of execute(): every
    packet in exactly one counter, an answered packet as a reply only."""
    got = nat64_stats(ex.genl, ex.dp_family, ex.dpname)
    if got is None:
        print("FAIL: exec-counters (no OVS_DP_ATTR_NAT64_STATS)")
        return 1
    counters, drops = got
    print("counters %s drops %s" % (counters, drops))
    # icmp-4to6, icmp-6to4, udp-4to6, arp-to-ns, the atomic fragment,
    # dccp, the two mDNS frames (ALG on and off) and the four tagged
    # frames translated in one piece.
    expect = {
        "exec-counted-translated": ("translated", 12),
        "exec-counted-replies": ("replies", 3),
        "exec-counted-invalid-action": ("invalid-action", 0),
    }
    failed = 0
    for name, (counter, value) in sorted(expect.items()):
        if counters.get(counter) != value:
            failed = 1
            print("FAIL: %s (%s %s, expected %d)" % (
                name, counter, counters.get(counter), value))
        else:
            print("PASS: %s" % name)
    # Two untagged and two tagged packets sent as fragments.
    if counters.get("fragments", 0) >= 4:
        print("PASS: exec-counted-fragments")
    else:
        failed = 1
        print("FAIL: exec-counted-fragments (%s)" % counters.get("fragments"))
    want = {"destination-not-mapped": 1, "protected-source-address": 1,
            "bad-vlan": 1}
    if drops == want:
        print("PASS: exec-counted-drops")
    else:
        failed = 1
        print("FAIL: exec-counted-drops (%s, expected %s; an answered "
              "packet is no drop)" % (drops, want))
    return failed


def bridge(dpname, dev_v4, dev_v6):
    ex = Executor(dpname, dev_v4, dev_v6)
    flow_family = ex.genl.family("ovs_flow")
    for port, ethertype, mode, out_port in ((1, 0x0800, MODE_4TO6, 2),
                                            (1, 0x0806, MODE_4TO6, 2),
                                            (2, 0x86dd, MODE_6TO4, 1)):
        # Exact in_port and eth_type, everything else wildcarded.
        mask = key(0xFFFFFFFF, 0xFFFF) + key(0, ethertype)[3:]
        err = ex.genl.request(flow_family, OVS_FLOW_CMD_NEW, 1,
                              struct.pack("=i", ex.ifindex)
                              + nest(OVS_FLOW_ATTR_KEY,
                                     *key(port, ethertype))
                              + nest(OVS_FLOW_ATTR_MASK, *mask)
                              + nest(OVS_FLOW_ATTR_ACTIONS, nat64(mode),
                                     out(out_port)))
        if err:
            ex.close()
            raise OSError(err, "adding the flow for port %d 0x%04x"
                          % (port, ethertype))
    return 0


def delete(dpname):
    genl = Genl()
    err = genl.request(genl.family("ovs_datapath"), OVS_DP_CMD_DEL, 2,
                       struct.pack("=i", 0)
                       + nla(OVS_DP_ATTR_NAME, dpname.encode() + b"\0"))
    if err:
        raise OSError(err, "deleting datapath %s" % dpname)
    return 0


def tagged(frame, tag):
    return frame[:12] + tag + frame[12:]


def main(argv):
    if len(argv) == 2 and argv[0] == "stats":
        return stats(argv[1])
    if len(argv) == 2 and argv[0] == "has-counters":
        return has_counters(argv[1])
    if len(argv) >= 2 and argv[0] == "send":
        return send(argv[1], argv[2:])
    if len(argv) == 3 and argv[0] == "capture":
        return capture(argv[1], argv[2])
    if len(argv) == 4 and argv[0] == "bridge":
        return bridge(*argv[1:])
    if len(argv) == 2 and argv[0] == "delete":
        return delete(argv[1])
    if len(argv) == 2 and argv[0] == "validate":
        return validate(argv[1])
    if len(argv) == 6 and argv[0] == "execute":
        return execute(*argv[1:])
    print(__doc__)
    return 0 if argv[:1] in (["--help"], ["-h"]) else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
