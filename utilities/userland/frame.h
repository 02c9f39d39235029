/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nat64d framing: one packet as read from a tun or tap device (an
 * optional virtio-net header in front, an IP packet (tun) or an Ethernet
 * frame (tap) after it) through the lib/nat64 core and back into the same
 * shape.  This is the daemon's whole host adapter for the core; it owns
 * the offload metadata the core does not know about:
 *
 *   - partial checksums (VIRTIO_NET_HDR_F_NEEDS_CSUM): the checksum field
 *     then holds the folded pseudo-header sum, not a checksum.  Its ones'
 *     complement behaves exactly like a full checksum under the core's
 *     incremental (RFC 1624) update, so the field is complemented before
 *     and after translation and stays partial and correct;
 *   - GSO super-frames (up to 64 KB): translated once, gso_type TCPv4 <->
 *     TCPv6, csum_start/hdr_len moved by the header size change, the MTU
 *     check applied to the segments (gso_size) instead of the frame.
 *
 * No allocation, no system calls: the fuzz/property test drives it with
 * generated headers and frames.
 */
#ifndef NAT64D_FRAME_H
#define NAT64D_FRAME_H 1

#include <stddef.h>
#include <stdint.h>
#include "nat64.h"

/* Layout of the virtio-net header that tun/tap prepend with IFF_VNET_HDR
 * (the legacy 10-byte form, host byte order on little-endian hosts). */
struct nu_vnet {
    uint8_t flags;
    uint8_t gso_type;
    uint16_t hdr_len;
    uint16_t gso_size;
    uint16_t csum_start;
    uint16_t csum_offset;
};
#define NU_VNET_LEN 10

/* Bytes a packet buffer needs in front of the packet: the core's headroom
 * plus a fake Ethernet header in tun mode.  The daemon reads the vnet
 * header into the last NU_VNET_LEN of them (decoded before translation
 * overwrites them), and writes it in front of 'out' where the core
 * left that much room (else it writes two pieces). */
#define NU_ETH_LEN 14
#define NU_HEADROOM (NAT64_HEADROOM + NU_ETH_LEN + 2)
/* Largest packet a device hands us (a 64 KB GSO super-frame plus an
 * Ethernet header and a VLAN tag). */
#define NU_PKT_MAX (65536 + NU_ETH_LEN + 4)

enum nu_link {
    NU_LINK_L3,                 /* tun: IP packets, no link header. */
    NU_LINK_L2,                 /* tap: Ethernet frames. */
};

/* Daemon-side reasons, counted next to the core's drop reasons. */
#define NU_EVENTS                                                       \
    NU_EV(PASSTHROUGH,   "passed-through")                              \
    NU_EV(GSO,           "gso-frames")                                  \
    NU_EV(GSO_REDUCED,   "gso-size-reduced")                            \
    NU_EV(CSUM_PARTIAL,  "partial-checksums")                           \
    NU_EV(CSUM_SW,       "checksums-completed")                         \
    NU_EV(BAD_VNET,      "bad-vnet-header")                             \
    NU_EV(GSO_UNSUPP,    "unsupported-gso-type")                        \
    NU_EV(UDP_SUPER,     "udp-super-frames")                            \
    NU_EV(UDP_COALESCED, "udp-coalesced")

enum nu_event {
#define NU_EV(ENUM, NAME) NU_EV_##ENUM,
    NU_EVENTS
#undef NU_EV
    NU_N_EVENTS
};

const char *nu_event_name(enum nu_event);

/* What to do with the packet after nu_frame_translate(). */
enum nu_action {
    NU_SEND,            /* Send 'out' (vnet header in *vnet) to the other
                         * side (tap) or back (tun). */
    NU_PASS,            /* Native IPv6 in tap mode: send the packet
                         * unchanged to the other side. */
    NU_REPLY,           /* Send the reply (reply buffer, no offloads)
                         * back where the packet came from. */
    NU_FRAGMENT,        /* Emit fragments with nu_frame_fragment(). */
    NU_DROP,            /* Drop; 'reason' (core) or 'event' says why. */
};

struct nu_stats {
    uint64_t translated;
    uint64_t replies;
    uint64_t fragments;
    uint64_t drops[NAT64_N_DROP_REASONS];
    uint64_t events[NU_N_EVENTS];
};

/* One packet.  The caller reads the packet to 'buf + NU_HEADROOM'
 * (buffer size NU_HEADROOM + NU_PKT_MAX) and sets 'len'; on NU_SEND
 * 'out'/'out_len' is what to write (after the vnet header).  */
struct nu_frame {
    uint8_t *buf;
    size_t len;
    struct nu_vnet vnet;        /* As read; rewritten on NU_SEND. */
    int has_vnet;               /* The device carries vnet headers. */
    uint8_t *out;
    size_t out_len;
    size_t reply_len;           /* NU_REPLY: bytes of the L2/L3 reply. */
    uint8_t *reply_out;         /* NU_REPLY: start of what to write. */
};

/* Decodes the 10 header bytes at 'p'; no validation (nu_frame_translate
 * validates against the packet). */
void nu_vnet_decode(const uint8_t *p, struct nu_vnet *);
void nu_vnet_encode(const struct nu_vnet *, uint8_t *p);

/* Translates 'f' in direction 'dir' with 'cfg' (tun: the direction
 * follows the IP version and 'dir' is ignored).  'reply' may be NULL.
 * Counts into 'st'.  In tap mode with 'pass_native', IPv6 frames in 4to6
 * and unmappable IPv6 frames in 6to4 are NU_PASS. */
enum nu_action nu_frame_translate(const struct nat64_config *cfg,
                                  enum nu_link link, enum nat64_direction dir,
                                  int pass_native, struct nu_frame *f,
                                  uint8_t *reply, size_t reply_size,
                                  struct nu_stats *st);

/* Fragments after NU_FRAGMENT: writes the next fragment (L3 or L2 as the
 * link says) to 'out' and returns its length, 0 when done, -1 on error
 * (counted).  '*out_start' is where the bytes to write begin. */
int nu_frame_fragment(const struct nat64_config *cfg, enum nu_link link,
                      const struct nu_frame *f, struct nat64_frag_iter *it,
                      uint8_t *out, size_t out_size, uint8_t **out_start,
                      struct nu_stats *st);

/* Coalescing of translated UDP datagrams into UDP GSO super-frames
 * (tun mode with virtio-net headers).  A tun write costs the kernel an
 * skb, a route lookup and a pass through the stack per call, about ten
 * times the translation of a small datagram; datagrams of one flow that
 * were queued together go out as one VIRTIO_NET_HDR_GSO_UDP_L4 write,
 * which the kernel splits back after routing, each datagram with its
 * own length and checksum.
 *
 * Only IPv6/UDP without extension headers whose checksum is partial
 * (a local sender's: nothing to verify yet), or complete and verified:
 * by the kernel on input (VIRTIO_NET_HDR_F_DATA_VALID), else here.  The
 * kernel computes each segment's checksum afresh, so a datagram that
 * arrived corrupt must never be coalesced: it goes out alone, as it
 * came.
 * A group is one flow (addresses, ports, traffic class, flow label,
 * hop limit) of equal-sized datagrams in arrival order; a shorter one
 * ends it, a bigger one starts the next group.  Order within a flow is
 * kept; between flows it may change.  At most NU_COAL_SEGS datagrams
 * and 64 KB per super-frame. */
#define NU_COAL_PKTS 256
#define NU_COAL_SEGS 64
#define NU_COAL_BUCKETS 64
#define NU_COAL_HDR 48          /* IPv6 + UDP header. */

struct nu_coal {
    int n_pkts;
    int n_groups;
    int next;                   /* nu_coal_next(): the next group. */
    struct {
        uint8_t *p;
        uint16_t len;
        uint8_t partial;        /* Its checksum is partial (local). */
        int16_t next;           /* Next datagram of the group, or -1. */
    } pkt[NU_COAL_PKTS];
    struct {
        int16_t head, tail;
        int16_t chain;          /* Older group in the same bucket. */
        uint16_t n;             /* Datagrams. */
        uint16_t seg;           /* Payload bytes of each but the last. */
        uint8_t closed;         /* Its last datagram was shorter. */
        uint32_t bytes;         /* Payload bytes in all. */
    } grp[NU_COAL_PKTS];
    int16_t bucket[NU_COAL_BUCKETS];
};

void nu_coal_init(struct nu_coal *);

/* Is 'p' (an L3 packet of 'n' bytes as written to a tun) an IPv6/UDP
 * datagram that may be coalesced? */
int nu_coal_eligible(const uint8_t *p, size_t n);

/* Takes the eligible packet 'p' (it must stay untouched until the
 * coalescer is drained), 'partial' if its checksum field holds the
 * pseudo-header sum (VIRTIO_NET_HDR_F_NEEDS_CSUM at the UDP checksum).
 * Returns 0, or -1 if the coalescer is full (drain it first). */
int nu_coal_add(struct nu_coal *, uint8_t *p, size_t n, int partial);

/* After NU_SEND of 'f' (whose vnet header flags were 'in_flags' as
 * read): takes the packet if it is eligible and its checksum partial,
 * or complete and verified (see above).
 * Returns 0 if taken, -1 if the caller must send it itself. */
int nu_coal_take(struct nu_coal *, const struct nu_frame *f,
                 uint8_t in_flags);

/* Drains the coalescer: the next frame to write, 0 when there is none
 * left (the coalescer is then empty again).  A lone datagram is written
 * as it is (its vnet header says only whether its checksum is
 * partial); a group becomes a super-frame built in
 * 'out' (at least NU_VNET_LEN + NU_COAL_HDR + 65535 bytes), with
 * NU_VNET_LEN bytes free in front of '*p' (a lone datagram has them
 * in its own headroom).  '*n_datagrams': how many the frame carries.
 * Counts into 'st'. */
size_t nu_coal_next(struct nu_coal *, uint8_t *out, size_t out_size,
                    uint8_t **p, struct nu_vnet *, int *n_datagrams,
                    struct nu_stats *st);

/* Internet checksum helpers (also used by the test). */
uint32_t nu_csum_add(uint32_t sum, const uint8_t *p, size_t n);
uint16_t nu_csum_fold(uint32_t sum);

#endif /* frame.h */
