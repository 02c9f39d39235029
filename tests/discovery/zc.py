#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""zc.py: publish or browse a DNS-SD service with python3-zeroconf (the
real mDNS stack of the discovery stage).

  zc.py publish TYPE NAME HOST ADDR PORT   runs until SIGTERM
  zc.py browse TYPE SECONDS                prints "NAME ADDR PORT" per
                                           resolved address, then exits
Options: --v4 / --v6 (IP version of the sockets, default both);
--iface IF (IPv6: this interface only, with its own cache; needs
CAP_NET_RAW).

A service host with one port per tenant runs one stack per port
(--iface): python3-zeroconf on all interfaces keeps one cache and puts
what it learnt on one tenant's port into the known-answer lists of its
queries on every other port, so one tenant's names would reach the next.
"""
import argparse
import ipaddress
import signal
import socket
import sys
import time

from zeroconf import IPVersion, ServiceBrowser, ServiceInfo, Zeroconf


def ipv(args):
    if args.v4:
        return IPVersion.V4Only
    if args.v6:
        return IPVersion.V6Only
    return IPVersion.All


def new_zeroconf(args):
    if not args.iface:
        return Zeroconf(ip_version=ipv(args))
    zc = Zeroconf(interfaces=[socket.if_nametoindex(args.iface)],
                  ip_version=IPVersion.V6Only)
    # Joining ff02::fb on one interface is not enough: Linux delivers an
    # IPv6 group to every socket that joined it, whatever the interface
    # (unlike IPv4), so the sockets are bound to the interface.
    for s in [zc.engine._listen_socket] + zc.engine._respond_sockets:
        if s is not None:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE,
                         args.iface.encode())
    return zc


def publish(args):
    addr = ipaddress.ip_address(args.addr)
    fam = socket.AF_INET6 if addr.version == 6 else socket.AF_INET
    info = ServiceInfo(args.type + ".local.",
                       "%s.%s.local." % (args.name, args.type),
                       addresses=[socket.inet_pton(fam, args.addr)],
                       port=args.port, server=args.host + ".local.",
                       properties={"path": "/"})
    zc = new_zeroconf(args)
    zc.register_service(info, allow_name_change=False)
    print("published", flush=True)
    stop = []
    signal.signal(signal.SIGTERM, lambda *_: stop.append(1))
    while not stop:
        time.sleep(0.2)
    zc.unregister_service(info)
    zc.close()


def browse(args):
    zc = new_zeroconf(args)
    found = {}

    class Listener:
        def add_service(self, z, t, name):
            found[name] = t

        def update_service(self, z, t, name):
            found[name] = t

        def remove_service(self, z, t, name):
            pass

    ServiceBrowser(zc, args.type + ".local.", Listener())
    deadline = time.time() + args.seconds
    printed = set()
    while time.time() < deadline:
        for name, t in list(found.items()):
            info = zc.get_service_info(t, name, timeout=1500)
            if not info:
                continue
            for a in info.parsed_scoped_addresses():
                line = "%s %s %d" % (name, a, info.port)
                if line not in printed:
                    printed.add(line)
                    print(line, flush=True)
        if printed and args.first:
            break
        time.sleep(0.3)
    zc.close()


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--v4", action="store_true")
    p.add_argument("--v6", action="store_true")
    p.add_argument("--iface", help="IPv6 on this interface only")
    sub = p.add_subparsers(dest="cmd", required=True)
    pp = sub.add_parser("publish")
    for a in ("type", "name", "host", "addr"):
        pp.add_argument(a)
    pp.add_argument("port", type=int)
    pb = sub.add_parser("browse")
    pb.add_argument("type")
    pb.add_argument("seconds", type=float)
    pb.add_argument("--first", action="store_true",
                    help="exit after the first resolved service")
    args = p.parse_args()
    if args.cmd == "publish":
        publish(args)
    else:
        browse(args)


if __name__ == "__main__":
    sys.exit(main())
