/* SPDX-License-Identifier: Apache-2.0 */
#ifndef DP_PACKET_GSO_H
#define DP_PACKET_GSO_H 1

/* Software segmentation (GSO) of TCP super-frames.
 *
 * A packet marked for TCP segmentation offload (DP_PACKET_OL_TX_TCP_SEG,
 * e.g. a 64 kB frame read from a veth or tap with a virtio-net header)
 * that must leave through a port without TSO, or enter a tunnel, is cut
 * here into ordinary frames: Ethernet, at most one VLAN tag, IPv4 or IPv6
 * without extension headers, TCP.  Each segment gets a copy of the
 * headers, its share of the payload and what a NIC would rewrite:
 *
 *   - IPv4 total length, identification (the super-frame's plus the
 *     segment's index, as Linux and NICs do) and header checksum;
 *     IPv6 payload length;
 *   - TCP sequence number (advanced by the payload before it), FIN and PSH
 *     only on the last segment, CWR only on the first;
 *   - the TCP checksum, computed in software over the whole segment.  The
 *     checksum field of the super-frame is ignored: it holds only a partial
 *     pseudo-header sum (checksum offload).
 *
 * Segment size: the payload of each segment is at most the segment size
 * the frame arrived with (dp_packet_get_tso_segsz(), the sender's choice,
 * if known) and at most what fits the egress L3 MTU given to
 * dp_packet_gso_start().  The segments carry no offload flags. */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct dp_packet;

/* Headers of a TCP packet, as parsed by dp_packet_gso_parse(). */
struct dp_packet_gso_hdrs {
    size_t l3_ofs;              /* IPv4 or IPv6 header. */
    size_t l4_ofs;              /* TCP or UDP header. */
    size_t l4_end;              /* End of the L3 packet (after padding is
                                 * left out). */
    uint8_t proto;              /* IPPROTO_TCP or IPPROTO_UDP. */
    bool ipv6;
};

/* Segmentation state of one super-frame: dp_packet_gso_start(), then
 * dp_packet_gso_next() until it returns NULL. */
struct dp_packet_gso {
    const struct dp_packet *packet;
    struct dp_packet_gso_hdrs hdrs;
    size_t hdr_len;             /* Headers copied into every segment. */
    size_t segsz;               /* TCP payload bytes per segment. */
    size_t ofs;                 /* Offset of the next segment's payload. */
    unsigned int index;         /* Number of segments made so far. */
};

int dp_packet_gso_parse(const struct dp_packet *,
                        struct dp_packet_gso_hdrs *);
int dp_packet_gso_start(struct dp_packet_gso *, const struct dp_packet *,
                        int l3_mtu, size_t overhead);
struct dp_packet *dp_packet_gso_next(struct dp_packet_gso *);
unsigned int dp_packet_gso_count(const struct dp_packet_gso *);

int dp_packet_csum_l4(struct dp_packet *);

#endif /* dp-packet-gso.h */
