#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Small HTTP server for the system tests, listening on [::]:PORT.

GET /          -> "peer ADDR\n": the client's address as this server sees
                  it, with its scope ("fe80::c0a8:a%eth0" for a translated
                  IPv4 client).
GET /bytes/N   -> N bytes of a fixed pattern (pattern(N) below), so the
                  client can compare what arrived byte for byte.
POST /sha256   -> "SHA256-HEX LENGTH\n" of the request body, so the client
                  can check what it sent arrived byte for byte.
Every request is logged to stderr with the peer address.
"""
import hashlib
import http.server
import socket
import sys


def pattern(n):
    """N bytes that differ from a shifted copy of themselves."""
    block = bytes((i * 7 + i // 251) & 0xff for i in range(65536))
    return (block * (n // len(block) + 1))[:n]


def peer(addr):
    """The client's address, with %INTERFACE when it has a scope."""
    if len(addr) == 4 and addr[3]:
        return '%s%%%s' % (addr[0], socket.if_indextoname(addr[3]))
    return addr[0]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if self.path == '/':
            body = ('peer %s\n' % peer(self.client_address)).encode()
        elif self.path.startswith('/bytes/') and self.path[7:].isdigit():
            body = pattern(int(self.path[7:]))
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header('Content-Type', 'application/octet-stream')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        length = self.headers.get('Content-Length', '')
        if self.path != '/sha256' or not length.isdigit():
            self.send_error(400)
            return
        data = self.rfile.read(int(length))
        body = ('%s %d\n' % (hashlib.sha256(data).hexdigest(),
                             len(data))).encode()
        self.send_response(200)
        self.send_header('Content-Type', 'text/plain')
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, fmt, *args):
        sys.stderr.write('peer %s: %s\n' % (peer(self.client_address),
                                             fmt % args))
        sys.stderr.flush()


class Server(http.server.ThreadingHTTPServer):
    address_family = socket.AF_INET6


def main():
    if len(sys.argv) == 3 and sys.argv[1] == '--pattern':
        sys.stdout.buffer.write(pattern(int(sys.argv[2])))
        return
    if len(sys.argv) != 2 or not sys.argv[1].isdigit():
        sys.exit('usage: peer-httpd.py PORT | --pattern N')
    Server(('::', int(sys.argv[1])), Handler).serve_forever()


if __name__ == '__main__':
    main()
