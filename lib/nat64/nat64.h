/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64: stateless IPv4/IPv6 translation of Ethernet frames
 * (RFC 7915 / RFC 6052), ARP <-> Neighbor Discovery.
 *
 * This is the whole public interface of the translator core.  The same
 * sources build into the OVS userspace datapath, the Linux kernel module,
 * the standalone tools, unit tests, fuzz target and micro-benchmark, so:
 *
 *   - no allocation, no global mutable state, no floating point, no VLAs;
 *   - nothing from libc but memcpy/memmove/memset/memcmp and fixed-width
 *     integer types (see nat64-compat.h);
 *   - every function is a pure function of its arguments and the buffers
 *     they point to, hence thread-safe by construction.
 *
 * Buffer model: the caller owns a frame buffer with 'headroom' bytes usable
 * before 'data' and 'tailroom' bytes after 'data + len'.  Translation
 * happens in place; a frame that grows grows towards the head (data moves
 * back), a frame that shrinks moves data forward.  A caller that guarantees
 * NAT64_HEADROOM bytes of headroom never sees NAT64_DROP_NO_ROOM.
 */
#ifndef NAT64_H
#define NAT64_H 1

#include "nat64-compat.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Most service-side addresses a config protects (nat64_config.protected4). */
#define NAT64_MAX_PROTECTED 4

/* Headroom that always suffices for any translation of one frame. */
#define NAT64_HEADROOM 64

/* Largest frame nat64_translate() writes into a reply buffer (ICMP error
 * to the sender) or one fragment buffer.  A reply buffer of this size never
 * truncates. */
#define NAT64_REPLY_MAX 1600

enum nat64_direction {
    NAT64_4TO6,                 /* IPv4/ARP frame -> IPv6 frame. */
    NAT64_6TO4,                 /* IPv6 frame -> IPv4/ARP frame. */
};

/* One row of the link-scope multicast table: IPv4 group <-> IPv6 group. */
struct nat64_mcast_map {
    uint8_t ip4[4];
    uint8_t ip6[16];
};

/* Configuration.  Initialize with nat64_config_init(), then change fields.
 * Read-only during translation; may be shared between threads. */
struct nat64_config {
    uint8_t prefix[16];         /* RFC 6052 prefix, bits past prefix_len 0. */
    uint8_t prefix_len;         /* 32, 40, 48, 56, 64 or 96. */
    uint8_t dec_ttl;            /* Nonzero: decrement TTL/hop limit (router
                                 * mode); zero (default): bridge, keep it. */
    uint8_t mss_clamp;          /* Nonzero (default): clamp TCP SYN MSS so
                                 * the translated segment fits 'mtu'. */
    uint8_t reserved;
    uint16_t mtu;               /* Egress MTU (L3 bytes, like a Linux
                                 * interface MTU) for translated packets.
                                 * Default 1500.  0 means no limit. */
    uint16_t frag_mtu;          /* RFC 7915 4 "lowest-ipv6-mtu": an IPv4
                                 * packet without DF whose translation is
                                 * larger is fragmented to this L3 size
                                 * (never above 'mtu'; values below 1280,
                                 * the IPv6 minimum, count as 1280).
                                 * Default 1280; 0: fragment only above
                                 * 'mtu'. */
    uint16_t n_mcast;           /* Rows in 'mcast'. */
    /* Optional addresses, each used only when its has_* flag is set. */
    uint8_t has_icmp_src4;      /* ICMPv4 errors the translator itself
                                 * sends come from 'icmp_src4' (RFC 1812
                                 * 4.3.2.4) instead of the original
                                 * destination (the bridge default). */
    uint8_t has_icmp_src6;      /* Same for ICMPv6 errors (RFC 4443 2.2). */
    uint8_t has_pool6791;       /* ICMPv6 errors from a source outside the
                                 * prefix are translated with IPv4 source
                                 * 'pool6791' (RFC 6791); without it they
                                 * are dropped SRC_NOT_MAPPED. */
    uint8_t n_protected;        /* Entries in 'protected4'; add them with
                                 * nat64_config_add_protected(). */
    uint8_t icmp_src4[4];
    uint8_t icmp_src6[16];
    uint8_t pool6791[4];
    /* IPv4 addresses of the service side (e.g. the service host's own
     * 192.168.0.100) that a 4to6 packet may never claim as its source:
     * dropped PROTECTED_SRC. */
    uint8_t protected4[NAT64_MAX_PROTECTED][4];
    /* Derived from 'prefix' by nat64_config_init() and
     * nat64_config_set_prefix(); never write them.  The pseudo-header
     * change of a /96 translation in each direction (ones' complement,
     * 16 bits, native word order) plus 0xffff: the per-packet fast paths
     * turn a checksum 'c' into ~fold(adj - c) (RFC 1624 eqn. 3). */
    uint32_t adj_4to6;
    uint32_t adj_6to4;
    /* Derived too: per first octet of an IPv4 address, nonzero if the
     * fast paths must leave the frame to the general path under this
     * prefix's address rules (all nonzero if the prefix is not /96). */
    const uint8_t *fast_octets;
    /* Derived by nat64_config_init() and nat64_config_add_protected():
     * every protected address 'a' (memory order) has a & mask == match,
     * so the fast path needs one test (0.0.0.0 when there is none). */
    uint32_t protected_mask;
    uint32_t protected_match;
    const struct nat64_mcast_map *mcast;  /* Link-scope multicast table;
                                 * default: nat64_default_mcast. */
    /* Set by nat64_config_init(), never write it: the UDP protocol
     * number, placed so that the fast path loads it together with 'alg'
     * (next byte) and compares both with the packet's protocol in one
     * test (README "Fast path and cost"). */
    uint8_t fast_udp;
    uint8_t alg;                /* NAT64_ALG_* bits: payload rewriting of
                                 * discovery protocols (README "ALGs").
                                 * Default 0: payloads never looked at. */
};

/* Application-layer gateways for link-local discovery (cfg->alg). */
#define NAT64_ALG_MDNS 0x01     /* mDNS / DNS-SD, UDP port 5353. */
#define NAT64_ALG_SSDP 0x02     /* SSDP (UPnP discovery), UDP port 1900. */

/* Their UDP ports (source or destination), for hosts that must know which
 * datagrams may grow (NAT64_ALG_TAILROOM). */
#define NAT64_ALG_MDNS_PORT 5353
#define NAT64_ALG_SSDP_PORT 1900

/* Tailroom a host should leave after a frame so that the ALGs never have
 * to cut records of a message for lack of space (a message also never
 * grows beyond cfg->mtu). */
#define NAT64_ALG_TAILROOM 256

/* The default table: 224.0.0.1 <-> ff02::1, 224.0.0.251 <-> ff02::fb,
 * 239.255.255.250 <-> ff02::c.  Limited (255.255.255.255) and subnet
 * broadcast are mapped to ff02::1 in 4to6 only. */
extern const struct nat64_mcast_map nat64_default_mcast[];
#define NAT64_N_DEFAULT_MCAST 3

/* Sets 'cfg' to fe80::/96 (the switch's link-local mode), mtu 1500,
 * frag_mtu 1280, dec_ttl off, mss_clamp on, the default multicast table,
 * no optional addresses. */
void nat64_config_init(struct nat64_config *cfg);

/* Sets the prefix; returns 0, or -1 if 'len' is not an RFC 6052 length,
 * the prefix has bits set past 'len' or in the u-octet (bits 64..71), it
 * is multicast (ff00::/8: every translated address would be a group), or
 * it is ::/96 or ::ffff:0:0/96 (nat64_prefix_is_v4_compat()).
 * Change the prefix only through this function. */
int nat64_config_set_prefix(struct nat64_config *cfg,
                            const uint8_t prefix[16], unsigned int len);

/* Adds 'ip4' to cfg->protected4 (a service-side address no 4to6 packet
 * may have as its source).  Returns 0, or -1 if the list is full. */
int nat64_config_add_protected(struct nat64_config *cfg,
                               const uint8_t ip4[4]);

/* Is the /96 'prefix' ::/96 or ::ffff:0:0/96, which no translator may
 * use (their addresses mean IPv4 inside IPv6 hosts)? */
int nat64_prefix_is_v4_compat(const uint8_t prefix[16]);

/* RFC 6052 address mapping with 'cfg''s prefix.  nat64_addr_6to4() returns
 * 0 on success, -1 if 'ip6' is not inside the prefix with a valid embedding
 * (u-octet zero; the suffix is ignored, RFC 6052 2.2). */
void nat64_addr_4to6(const struct nat64_config *cfg, const uint8_t ip4[4],
                     uint8_t ip6[16]);
int nat64_addr_6to4(const struct nat64_config *cfg, const uint8_t ip6[16],
                    uint8_t ip4[4]);

/* Why a frame was not translated.  Every host counts these per reason. */
#define NAT64_DROP_REASONS                                              \
    NAT64_DR(NONE,            "none")                                   \
    NAT64_DR(NO_ROOM,         "no-room")                                \
    NAT64_DR(TRUNCATED,       "truncated")                              \
    NAT64_DR(NOT_IP,          "unsupported-ethertype")                  \
    NAT64_DR(BAD_IP4_HDR,     "bad-ipv4-header")                        \
    NAT64_DR(BAD_IP4_LEN,     "bad-ipv4-length")                        \
    NAT64_DR(BAD_IP4_CSUM,    "bad-ipv4-checksum")                      \
    NAT64_DR(IP4_SRC_ROUTE,   "ipv4-source-route")                      \
    NAT64_DR(BAD_IP6_HDR,     "bad-ipv6-header")                        \
    NAT64_DR(BAD_IP6_LEN,     "bad-ipv6-length")                        \
    NAT64_DR(BAD_EXT_HDR,     "bad-ipv6-extension-header")              \
    NAT64_DR(IP6_ROUTING,     "ipv6-routing-segments-left")             \
    NAT64_DR(UNKNOWN_PROTO,   "unsupported-protocol")                   \
    NAT64_DR(SRC_NOT_MAPPED,  "source-not-mapped")                      \
    NAT64_DR(DST_NOT_MAPPED,  "destination-not-mapped")                 \
    NAT64_DR(MCAST_NOT_MAPPED, "multicast-not-mapped")                  \
    NAT64_DR(TTL_EXPIRED,     "ttl-expired")                            \
    NAT64_DR(BAD_L4_HDR,      "bad-l4-header")                          \
    NAT64_DR(UDP_ZERO_CSUM_FRAG, "udp-zero-checksum-fragment")          \
    NAT64_DR(ICMP_TYPE,       "untranslatable-icmp-type")               \
    NAT64_DR(ICMP_INNER,      "bad-icmp-inner-packet")                  \
    NAT64_DR(ICMP_NESTED,     "nested-icmp-error")                      \
    NAT64_DR(FRAG_ICMP,       "fragmented-icmp")                        \
    NAT64_DR(TOO_BIG,         "too-big")                                \
    NAT64_DR(BAD_ARP,         "bad-arp")                                \
    NAT64_DR(ARP_OP,          "unsupported-arp-operation")              \
    NAT64_DR(BAD_ND,          "bad-neighbor-discovery")                 \
    NAT64_DR(ND_OPTION,       "unmappable-nd-option")                   \
    NAT64_DR(VLAN,            "bad-vlan")                               \
    NAT64_DR(FRAG_EXT,        "fragment-header-before-extension")       \
    NAT64_DR(RESERVED_ADDR,   "reserved-address")                       \
    NAT64_DR(NON_GLOBAL,      "non-global-address-with-wkp")            \
    NAT64_DR(LINK_LOCAL4,     "ipv4-link-local-routed")                 \
    NAT64_DR(FRAG_PAST_END,   "fragment-past-65535")                    \
    NAT64_DR(PROTECTED_SRC,   "protected-source-address")               \
    NAT64_DR(ALG_TOO_BIG,     "alg-too-big")

enum nat64_drop_reason {
#define NAT64_DR(ENUM, NAME) NAT64_DROP_##ENUM,
    NAT64_DROP_REASONS
#undef NAT64_DR
    NAT64_N_DROP_REASONS
};

/* Printable, stable name of 'reason' ("bad-ipv4-header"), or "unknown". */
const char *nat64_drop_reason_name(enum nat64_drop_reason reason);

enum nat64_verdict {
    NAT64_OK,           /* 'pkt' now holds the translated frame. */
    NAT64_DROP,         /* Drop 'pkt'; count result->reason. */
    NAT64_REPLY,        /* Drop 'pkt'; send the frame written to 'reply'
                         * (result->reply_len bytes) back out of the port
                         * 'pkt' came in on.  result->reason says why
                         * (e.g. TOO_BIG: ICMPv4 Fragmentation Needed). */
    NAT64_FRAGMENT,     /* 'pkt' is an IPv4 packet without DF whose
                         * translation exceeds cfg->mtu.  'pkt' is left
                         * untouched; emit its translated IPv6 fragments
                         * with nat64_fragment_next() and drop 'pkt'. */
};

/* A frame in a caller-owned buffer.  nat64_translate() updates all four
 * fields on NAT64_OK. */
struct nat64_pkt {
    uint8_t *data;      /* First byte of the Ethernet header. */
    size_t len;         /* Frame length (Ethernet header included, FCS
                         * excluded).  Ethernet padding is trimmed. */
    size_t headroom;    /* Writable bytes before 'data'. */
    size_t tailroom;    /* Writable bytes after 'data + len'. */
};

/* Optional buffer for an ICMP error to be sent back (may be NULL: then such
 * cases become NAT64_DROP with the same reason). */
struct nat64_reply_buf {
    uint8_t *data;
    size_t size;        /* NAT64_REPLY_MAX never truncates. */
};

struct nat64_result {
    enum nat64_verdict verdict;
    enum nat64_drop_reason reason;  /* NAT64_DROP_NONE when translated. */
    size_t reply_len;               /* NAT64_REPLY: bytes in reply. */
    /* Layer-3 facts of the frame in 'pkt' after NAT64_OK, for hosts that
     * must fix up their own metadata (sk_buff, dp_packet offsets). */
    uint16_t ethertype;             /* New outermost L3 ethertype (host
                                     * order): 0x0800, 0x0806 or 0x86dd. */
    uint16_t l3_ofs;                /* Offset of the L3 header in 'pkt'. */
    uint16_t l4_ofs;                /* Offset of the L4 header, or 0. */
    uint8_t l4_proto;               /* IPPROTO of the L4 header, or 0. */
};

/* Translates the Ethernet frame in 'pkt' (optionally 802.1Q tagged; the
 * tag is kept) in direction 'dir'.  Returns result->verdict.
 *
 * 4to6 accepts IPv4 (0x0800) and ARP (0x0806) frames; 6to4 accepts IPv6
 * (0x86dd).  Anything else is NAT64_DROP with NAT64_DROP_NOT_IP. */
enum nat64_verdict nat64_translate(const struct nat64_config *cfg,
                                   enum nat64_direction dir,
                                   struct nat64_pkt *pkt,
                                   struct nat64_reply_buf *reply,
                                   struct nat64_result *result);

/* Fragmentation of an IPv4 packet that got NAT64_FRAGMENT.
 *
 *     struct nat64_frag_iter it;
 *     nat64_fragment_start(&it);
 *     while ((n = nat64_fragment_next(cfg, frame, len, &it, buf, size)) > 0)
 *         send (buf, n);
 *
 * Each call writes the next translated IPv6 fragment frame (Ethernet header
 * copied, Fragment header with the IPv4 identification, every fragment's
 * L3 size <= cfg->mtu) into 'out' and returns its length; returns 0 when
 * done and -1 (with it->reason set) if the packet cannot be fragmented. */
struct nat64_frag_iter {
    size_t offset;                  /* Next payload byte to emit. */
    enum nat64_drop_reason reason;
};
void nat64_fragment_start(struct nat64_frag_iter *it);
int nat64_fragment_next(const struct nat64_config *cfg,
                        const uint8_t *frame, size_t len,
                        struct nat64_frag_iter *it,
                        uint8_t *out, size_t out_size);

#ifdef __cplusplus
}
#endif

#endif /* nat64.h */
