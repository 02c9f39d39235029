#!/usr/bin/python3
"""Talks generic netlink to the openvswitch kernel module directly, without
ovs-vswitchd, to check how the module validates nat64 actions.

  ovs-dp-probe.py validate DPNAME
      Creates datapath DPNAME, tries to install one flow per case below,
      prints "ok CASE" or "error CASE errno" per case and deletes the
      datapath.  Exits 0 unless netlink itself failed.
"""
import errno
import socket
import struct
import sys

NETLINK_GENERIC = 16
GENL_ID_CTRL = 0x10
CTRL_CMD_GETFAMILY = 3
CTRL_ATTR_FAMILY_ID = 1
CTRL_ATTR_FAMILY_NAME = 2
NLM_F_REQUEST = 1
NLM_F_ACK = 4
NLMSG_ERROR = 2
NLA_F_NESTED = 0x8000

OVS_DP_CMD_NEW, OVS_DP_CMD_DEL = 1, 2
OVS_DP_ATTR_NAME, OVS_DP_ATTR_UPCALL_PID = 1, 2
OVS_FLOW_CMD_NEW = 1
OVS_FLOW_ATTR_KEY, OVS_FLOW_ATTR_ACTIONS = 1, 2

KEY_IN_PORT, KEY_ETHERNET, KEY_ETHERTYPE = 3, 4, 6
KEY_IPV4, KEY_IPV6, KEY_ARP = 7, 8, 13
ACT_OUTPUT, ACT_SET, ACT_PUSH_VLAN, ACT_RECIRC, ACT_CT = 1, 3, 4, 7, 12
ACT_NAT64 = 24
MODE_4TO6, MODE_6TO4 = 1, 2
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
                if mtype == GENL_ID_CTRL and seq == self.seq:
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


def nat64(mode, prefix=FE80, plen=96, mtu=1500, flags=1, size=24):
    arg = struct.pack("=IHBB16s", mode, mtu, plen, flags, prefix)
    return nla(ACT_NAT64, arg[:size] if size <= 24 else arg + bytes(size - 24))


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
    ("short-argument", 0x0800, [nat64(MODE_4TO6, size=20), OUT]),
    ("long-argument", 0x0800, [nat64(MODE_4TO6, size=28), OUT]),
    ("vlan-pushed-before", 0x0800, [PUSH_VLAN, nat64(MODE_4TO6), OUT]),
    ("set-ipv4-after", 0x0800, [nat64(MODE_4TO6), SET_IPV4, OUT]),
    ("ct-after", 0x0800, [nat64(MODE_4TO6), nest(ACT_CT), OUT]),
    ("nat64-twice", 0x0800, [nat64(MODE_4TO6), nat64(MODE_6TO4), OUT]),
]


def validate(dpname):
    genl = Genl()
    dp_family = genl.family("ovs_datapath")
    flow_family = genl.family("ovs_flow")
    err = genl.request(dp_family, OVS_DP_CMD_NEW, 2,
                       struct.pack("=i", 0)
                       + nla(OVS_DP_ATTR_NAME, dpname.encode() + b"\0")
                       + nla(OVS_DP_ATTR_UPCALL_PID, struct.pack("=I", 0)))
    if err:
        raise OSError(err, "creating datapath %s" % dpname)
    try:
        with open("/sys/class/net/%s/ifindex" % dpname) as f:
            ifindex = int(f.read())
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


def main(argv):
    if len(argv) == 2 and argv[0] == "validate":
        return validate(argv[1])
    print(__doc__)
    return 0 if argv[:1] in (["--help"], ["-h"]) else 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
