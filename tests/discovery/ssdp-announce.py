#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""ssdp-announce.py: announces one UPnP root device with GSSDP (the real
SSDP stack of gupnp-tools, through GObject introspection) until SIGTERM,
or browses for root devices (for IPv6: gssdp-discover has no family
option).

  ssdp-announce.py [--v6] IFACE UUID LOCATION
  ssdp-announce.py [--v6] --browse SECONDS IFACE

NOTIFY alive messages go out and M-SEARCH requests are answered, all
with LOCATION as the description URL.  --browse prints "USN LOCATION"
per device found.
"""
import argparse
import signal
import sys

import gi

gi.require_version("GSSDP", "1.6")
from gi.repository import Gio, GLib, GObject, GSSDP  # noqa: E402


def browse(client, seconds):
    seen = set()
    loop = GLib.MainLoop()

    def found(_browser, usn, locations):
        for loc in locations:
            if (usn, loc) not in seen:
                seen.add((usn, loc))
                print(usn, loc, flush=True)

    b = GSSDP.ResourceBrowser.new(client, "upnp:rootdevice")
    b.connect("resource-available", found)
    b.set_active(True)
    GLib.timeout_add(int(seconds * 1000), loop.quit)
    loop.run()
    return 0


def main():
    p = argparse.ArgumentParser(description=__doc__,
                                formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--v6", action="store_true", help="IPv6 (default IPv4)")
    p.add_argument("--browse", type=float, metavar="SECONDS")
    p.add_argument("iface")
    p.add_argument("uuid", nargs="?")
    p.add_argument("location", nargs="?")
    a = p.parse_args()
    fam = Gio.SocketFamily.IPV6 if a.v6 else Gio.SocketFamily.IPV4
    client = GObject.new(GSSDP.Client, interface=a.iface, address_family=fam)
    client.init(None)
    if a.browse:
        return browse(client, a.browse)
    if not a.location:
        p.error("UUID and LOCATION are needed to announce")
    group = GSSDP.ResourceGroup.new(client)
    group.add_resource_simple("upnp:rootdevice",
                              "uuid:%s::upnp:rootdevice" % a.uuid,
                              a.location)
    group.set_max_age(60)
    group.set_available(True)
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    print("announcing", flush=True)
    loop.run()
    group.set_available(False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
