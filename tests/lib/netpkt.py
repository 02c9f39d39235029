# SPDX-License-Identifier: Apache-2.0
"""Packet helpers shared by the test stages' Python scripts (tests/*/):
import with

    sys.path.insert(0, os.path.join(os.path.dirname(
        os.path.abspath(__file__)), "..", "lib"))
    from netpkt import csum

Written from RFC 1071, independently of lib/nat64, so that the tests
check the translator against their own arithmetic.
"""
import struct


def csum(data):
    """The Internet checksum (RFC 1071) of DATA: the ones' complement of
    the ones' complement sum of its 16-bit words, an odd length padded
    with a zero byte.  Over data that holds a correct checksum it is 0."""
    if len(data) % 2:
        data += b"\0"
    total = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    while total >> 16:
        total = (total & 0xFFFF) + (total >> 16)
    return ~total & 0xFFFF
