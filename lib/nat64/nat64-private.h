/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: definitions shared by the core's own sources.
 * Not part of the public interface (see nat64.h).
 *
 * All packet access goes through the byte accessors below: frames live in
 * caller buffers of any alignment, so no pointer into a frame is ever cast
 * to a wider type.
 */
#ifndef NAT64_PRIVATE_H
#define NAT64_PRIVATE_H 1

#include "nat64.h"

#define NAT64_ETH_LEN 14
#define NAT64_VLAN_LEN 4
#define NAT64_IP4_LEN 20
#define NAT64_IP6_LEN 40
#define NAT64_FRAG_LEN 8
#define NAT64_ARP_LEN 28

/* Header field offsets, in the style of OVS's lib/packets.h: the byte
 * at which each field starts within its header. */

/* Ethernet (IEEE 802.3): addresses and the (last) EtherType. */
#define NAT64_ETH_ADDR_LEN 6
#define NAT64_ETH_DST_OFS 0
#define NAT64_ETH_SRC_OFS 6
#define NAT64_ETH_TYPE_OFS 12
#define NAT64_ETH_TYPE_LEN 2

/* IPv4 (RFC 791 3.1). */
#define NAT64_IP4_VER_IHL_OFS 0
#define NAT64_IP4_TOS_OFS 1
#define NAT64_IP4_TOT_LEN_OFS 2
#define NAT64_IP4_ID_OFS 4
#define NAT64_IP4_FRAG_OFS 6        /* Flags and fragment offset. */
#define NAT64_IP4_TTL_OFS 8
#define NAT64_IP4_PROTO_OFS 9
#define NAT64_IP4_CSUM_OFS 10
#define NAT64_IP4_SRC_OFS 12
#define NAT64_IP4_DST_OFS 16
#define NAT64_IP4_VER_IHL 0x45      /* Version 4, 5 words: no options. */
#define NAT64_IP4_VERSION 4

/* IPv6 (RFC 8200 3). */
#define NAT64_IP6_VFC_OFS 0         /* Version, traffic class, flow label. */
#define NAT64_IP6_PLEN_OFS 4
#define NAT64_IP6_NXT_OFS 6
#define NAT64_IP6_HLIM_OFS 7
#define NAT64_IP6_SRC_OFS 8
#define NAT64_IP6_DST_OFS 24
#define NAT64_IP6_VERSION 6
/* RFC 7915 Figures 3 and 6: a Parameter Problem pointer to byte 1 (the
 * Traffic Class's low bits, the flow label's high ones). */
#define NAT64_IP6_TCLASS_PTR 1

/* IPv6 extension headers (RFC 8200 4): next header and length (in 8-byte
 * units past the first 8) of all; Routing's segments left (4.4); the
 * Fragment header's offset/M word and identification (4.5). */
#define NAT64_EXT_NXT_OFS 0
#define NAT64_EXT_LEN_OFS 1
#define NAT64_EXT_UNIT 8
#define NAT64_RT_SEGLEFT_OFS 3
#define NAT64_FRAG_RSVD_OFS 1
#define NAT64_FRAG_OFFLG_OFS 2
#define NAT64_FRAG_ID_OFS 4

/* ARP for IPv4 over Ethernet (RFC 826). */
#define NAT64_ARP_HTYPE_OFS 0
#define NAT64_ARP_PTYPE_OFS 2
#define NAT64_ARP_HLEN_OFS 4
#define NAT64_ARP_PLEN_OFS 5
#define NAT64_ARP_OP_OFS 6
#define NAT64_ARP_SHA_OFS 8
#define NAT64_ARP_SPA_OFS 14
#define NAT64_ARP_THA_OFS 18
#define NAT64_ARP_TPA_OFS 24
#define NAT64_ARP_HTYPE_ETH 1
#define NAT64_ARP_OP_REQUEST 1
#define NAT64_ARP_OP_REPLY 2
#define NAT64_IP4_ADDR_LEN 4        /* ARP's protocol address size. */

/* RFC 6052 2.2: the u-octet (bits 64..71) of an IPv4-embedded address;
 * with a /96 prefix the IPv4 address is its last four bytes. */
#define NAT64_ADDR6_U_OCTET 8
#define NAT64_ADDR6_V4_OFS96 12

#define NAT64_ETH_P_IP 0x0800
#define NAT64_ETH_P_ARP 0x0806
#define NAT64_ETH_P_IPV6 0x86dd
#define NAT64_ETH_P_8021Q 0x8100
#define NAT64_ETH_P_8021AD 0x88a8

#define NAT64_PROTO_HOPOPTS 0
#define NAT64_PROTO_ICMP 1
#define NAT64_PROTO_IGMP 2
#define NAT64_PROTO_TCP 6
#define NAT64_PROTO_UDP 17
#define NAT64_PROTO_DCCP 33
#define NAT64_PROTO_ROUTING 43
#define NAT64_PROTO_FRAGMENT 44
#define NAT64_PROTO_ICMPV6 58
#define NAT64_PROTO_NONE 59
#define NAT64_PROTO_DSTOPTS 60

/* TCP (RFC 9293 3.1) and UDP (RFC 768) header fields. */
#define NAT64_TCP_MIN_LEN 20
#define NAT64_TCP_FLAGS_OFS 13
#define NAT64_TCP_CSUM_OFS 16
#define NAT64_TCP_FIN 0x01
#define NAT64_TCP_SYN 0x02
#define NAT64_TCP_RST 0x04
#define NAT64_TCP_ACK 0x10
#define NAT64_UDP_LEN 8
#define NAT64_UDP_SRC_OFS 0
#define NAT64_UDP_DST_OFS 2
#define NAT64_UDP_LEN_OFS 4
#define NAT64_UDP_CSUM_OFS 6

/* ICMPv4 types and codes (RFC 792, RFC 1191, RFC 1812 5.2.7.1). */
#define NAT64_ICMP4_ECHO_REPLY 0
#define NAT64_ICMP4_DEST_UNREACH 3
#define NAT64_ICMP4_SOURCE_QUENCH 4
#define NAT64_ICMP4_REDIRECT 5
#define NAT64_ICMP4_ECHO 8
#define NAT64_ICMP4_TIME_EXCEEDED 11
#define NAT64_ICMP4_PARAM_PROB 12
/* Destination Unreachable codes. */
#define NAT64_ICMP4_NET_UNREACH 0
#define NAT64_ICMP4_HOST_UNREACH 1
#define NAT64_ICMP4_PROTO_UNREACH 2
#define NAT64_ICMP4_PORT_UNREACH 3
#define NAT64_ICMP4_FRAG_NEEDED 4
#define NAT64_ICMP4_SRC_ROUTE_FAILED 5
#define NAT64_ICMP4_NET_UNKNOWN 6
#define NAT64_ICMP4_HOST_UNKNOWN 7
#define NAT64_ICMP4_HOST_ISOLATED 8
#define NAT64_ICMP4_NET_PROHIB 9
#define NAT64_ICMP4_HOST_PROHIB 10
#define NAT64_ICMP4_NET_TOS 11
#define NAT64_ICMP4_HOST_TOS 12
#define NAT64_ICMP4_ADMIN_PROHIB 13
#define NAT64_ICMP4_PREC_CUTOFF 15
/* Time Exceeded codes (both families). */
#define NAT64_ICMP_TTL_EXCEEDED 0
#define NAT64_ICMP_REASSEMBLY_EXCEEDED 1
/* Parameter Problem codes. */
#define NAT64_ICMP4_PTR_ERROR 0
#define NAT64_ICMP4_BAD_LENGTH 2

/* ICMPv6 types and codes (RFC 4443, RFC 4861). */
#define NAT64_ICMP6_DEST_UNREACH 1
#define NAT64_ICMP6_PACKET_TOO_BIG 2
#define NAT64_ICMP6_TIME_EXCEEDED 3
#define NAT64_ICMP6_PARAM_PROB 4
#define NAT64_ICMP6_ECHO_REQUEST 128
#define NAT64_ICMP6_ECHO_REPLY 129
#define NAT64_ND_RS 133
#define NAT64_ND_RA 134
#define NAT64_ND_NS 135
#define NAT64_ND_NA 136
#define NAT64_ND_REDIRECT 137
/* Destination Unreachable codes. */
#define NAT64_ICMP6_NO_ROUTE 0
#define NAT64_ICMP6_ADMIN_PROHIB 1
#define NAT64_ICMP6_BEYOND_SCOPE 2
#define NAT64_ICMP6_ADDR_UNREACH 3
#define NAT64_ICMP6_PORT_UNREACH 4
/* Parameter Problem codes. */
#define NAT64_ICMP6_BAD_HDR_FIELD 0
#define NAT64_ICMP6_UNKNOWN_NEXT_HDR 1

/* ICMP header: type, code, checksum, then the 32-bit field that is the
 * MTU or pointer of an error, the id and sequence of an echo. */
#define NAT64_ICMP_HDR_LEN 8
#define NAT64_ICMP_TYPE_OFS 0
#define NAT64_ICMP_CODE_OFS 1
#define NAT64_ICMP_CSUM_OFS 2
#define NAT64_ICMP_WORD_OFS 4       /* MTU, pointer, or echo id/sequence. */
#define NAT64_ICMP4_PTR_OFS 4       /* Parameter Problem (RFC 792). */
#define NAT64_ICMP4_MTU_OFS 6       /* Next-hop MTU (RFC 1191 4). */
#define NAT64_ICMP6_MTU_OFS 4       /* Packet Too Big (RFC 4443 3.2). */
#define NAT64_ICMP6_PTR_OFS 4       /* Parameter Problem (RFC 4443 3.4). */

/* IPv4 flags/fragment offset field (RFC 791 3.1), host order. */
#define NAT64_IP4_DF 0x4000
#define NAT64_IP4_MF 0x2000
#define NAT64_IP4_OFS_MASK 0x1fff
/* RFC 791 3.1 option types. */
#define NAT64_IP4_OPT_EOL 0
#define NAT64_IP4_OPT_NOP 1
#define NAT64_IP4_OPT_LSRR 0x83
#define NAT64_IP4_OPT_SSRR 0x89
/* Option fields after the type: length, and a source route's pointer. */
#define NAT64_IP4_OPT_LEN_OFS 1
#define NAT64_IP4_OPT_PTR_OFS 2
/* RFC 791: the smallest MTU of an IPv4 link. */
#define NAT64_IP4_MIN_MTU 68
/* RFC 7915 5.1: a translated IPv4 packet above this many bytes gets DF
 * (its IPv6 original exceeded the IPv6 minimum MTU). */
#define NAT64_IP4_DF_ABOVE \
    (NAT64_IP6_MIN_MTU - (NAT64_IP6_LEN - NAT64_IP4_LEN))

/* TCP options (RFC 9293 3.1, 3.2): kinds, the MSS option's length, and
 * the IPv4 default MSS below which a clamp means nothing. */
#define NAT64_TCP_DOFF_OFS 12
#define NAT64_TCP_OPT_LEN_OFS 1     /* Of an option: kind, length, data. */
#define NAT64_TCP_OPT_DATA_OFS 2
#define NAT64_TCP_OPT_EOL 0
#define NAT64_TCP_OPT_NOP 1
#define NAT64_TCP_OPT_MSS 2
#define NAT64_TCP_OPT_MSS_LEN 4
#define NAT64_TCP_DEFAULT_MSS 536

/* How much longer an IPv6 header is than an option-less IPv4 one. */
#define NAT64_IP6_IP4_DELTA ((unsigned int) (NAT64_IP6_LEN - NAT64_IP4_LEN))

/* RFC 791 / RFC 8200: largest datagram (without jumbograms). */
#define NAT64_IP_MAX_LEN 65535

/* RFC 4340 5.1: generic header with short sequence numbers; the checksum
 * is at the same offset as UDP's. */
#define NAT64_DCCP_MIN_LEN 12
#define NAT64_DCCP_CSUM_OFS 6

/* At most this many IPv6 extension headers are walked before giving up. */
#define NAT64_MAX_EXT_HDRS 8

/* Translated ICMP errors are truncated to these L3 sizes (RFC 7915 4.2:
 * IPv6 minimum MTU; 5.2 / RFC 1812: 576 bytes for IPv4). */
#define NAT64_ICMP6_ERR_MAX 1280
#define NAT64_ICMP4_ERR_MAX 576

/* RFC 4884: where the length attribute of an ICMP error is (byte of the
 * ICMP header), the extension header's size and version, and the least
 * original datagram field that precedes an extension. */
#define NAT64_ICMP4_LEN_ATTR 5
#define NAT64_ICMP6_LEN_ATTR 4
#define NAT64_ICMP4_LEN_UNIT 4      /* ICMPv4 counts 32-bit words, */
#define NAT64_ICMP6_LEN_UNIT 8      /* ICMPv6 64-bit words. */
#define NAT64_ICMP_EXT_HDR_LEN 4
#define NAT64_ICMP_EXT_VERSION 2
#define NAT64_ICMP_EXT_MIN_ORIG 128

/* RFC 8200 5: IPv6 minimum link MTU. */
#define NAT64_IP6_MIN_MTU 1280

/* IPv6 extension headers the translator walks (RFC 7915 5.1). */
static inline int
nat64_is_ext_hdr(uint8_t nh)
{
    return nh == NAT64_PROTO_HOPOPTS || nh == NAT64_PROTO_ROUTING
           || nh == NAT64_PROTO_FRAGMENT || nh == NAT64_PROTO_DSTOPTS;
}

/* ICMPv4 error types (RFC 792): Destination Unreachable, Source Quench,
 * Redirect, Time Exceeded, Parameter Problem. */
static inline int
nat64_is_icmp4_error(uint8_t type)
{
    return (type == NAT64_ICMP4_DEST_UNREACH
            || type == NAT64_ICMP4_SOURCE_QUENCH
            || type == NAT64_ICMP4_REDIRECT
            || type == NAT64_ICMP4_TIME_EXCEEDED
            || type == NAT64_ICMP4_PARAM_PROB);
}

/* ICMPv6 error types are 0..127 (RFC 4443 2.1). */
static inline int
nat64_is_icmp6_error(uint8_t type)
{
    return type < NAT64_ICMP6_ECHO_REQUEST;
}

/* Address classes, one helper each.  224/3 (multicast, class E and the
 * limited broadcast) is never a unicast IPv4 address; 0/8 ("this
 * network", RFC 1122 3.2.1.3) is not one either. */
static inline int
nat64_ip4_is_mcast_or_e(const uint8_t ip4[4])
{
    return ip4[0] >= 224;
}

static inline int
nat64_ip4_is_unicast(const uint8_t ip4[4])
{
    return ip4[0] != 0 && !nat64_ip4_is_mcast_or_e(ip4);
}

static inline int
nat64_ip6_is_mcast(const uint8_t ip6[16])
{
    return ip6[0] == 0xff;
}

/* An Ethernet group (multicast or broadcast) address: the I/G bit. */
static inline int
nat64_eth_is_group(const uint8_t mac[6])
{
    return mac[0] & 1;
}

/* ff02::1, all nodes on the link (RFC 4291 2.7.1); addr.c. */
extern const uint8_t nat64_ip6_all_nodes[16];

/* Keeps rarely used paths out of their callers' stack frames, so the
 * deepest call chain stays small. */
#if defined(__GNUC__)
#define NAT64_NOINLINE __attribute__((__noinline__))
#else
#define NAT64_NOINLINE
#endif

/* Branch hints for the fast paths: the common case falls through. */
#if defined(__GNUC__)
#define NAT64_LIKELY(x) __builtin_expect(!!(x), 1)
#else
#define NAT64_LIKELY(x) (x)
#endif

/* For the per-packet fast paths, whose call overhead (saving registers
 * around a call) would be a sizeable part of their cost. */
#if defined(__GNUC__)
#define NAT64_ALWAYS_INLINE inline __attribute__((__always_inline__))
#else
#define NAT64_ALWAYS_INLINE inline
#endif

/* Host <-> network byte order.  The builtins compile to one instruction
 * (or to nothing for a constant); the kernel's byteorder headers use the
 * same ones. */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define NAT64_LITTLE_ENDIAN 1
#else
#define NAT64_LITTLE_ENDIAN 0
#endif

static inline uint16_t
nat64_bswap16(uint16_t v)
{
    return (uint16_t) ((v >> 8) | (v << 8));
}

static inline uint32_t
nat64_bswap32(uint32_t v)
{
#if defined(__GNUC__)
    return __builtin_bswap32(v);
#else
    return (v >> 24) | ((v >> 8) & 0xff00) | ((v << 8) & 0xff0000) | (v << 24);
#endif
}

static inline uint64_t
nat64_htonll(uint64_t v)
{
#if defined(__GNUC__)
    return NAT64_LITTLE_ENDIAN ? __builtin_bswap64(v) : v;
#else
    return NAT64_LITTLE_ENDIAN
           ? (uint64_t) nat64_bswap32((uint32_t) v) << 32
             | nat64_bswap32((uint32_t) (v >> 32))
           : v;
#endif
}

static inline uint16_t
nat64_htons(uint16_t v)
{
    return NAT64_LITTLE_ENDIAN ? nat64_bswap16(v) : v;
}

static inline uint32_t
nat64_htonl(uint32_t v)
{
    return NAT64_LITTLE_ENDIAN ? nat64_bswap32(v) : v;
}

/* Internet checksum (RFC 1071) arithmetic.  Sums are kept as unfolded
 * 32-bit accumulators of 16-bit words; nat64_fold() reduces one to 16
 * bits with the end-around carry: the upper half of acc + (acc rotated by
 * 16) is hi + lo + carry(lo + hi), which is exactly the folded sum (and
 * the carry cannot overflow again). */
static inline uint16_t
nat64_fold(uint32_t acc)
{
    return (uint16_t) ((acc + ((acc << 16) | (acc >> 16))) >> 16);
}

/* The same from 64 to 32 bits, then to 16. */
static inline uint16_t
nat64_fold64(uint64_t sum)
{
    return nat64_fold((uint32_t) ((sum + ((sum << 32) | (sum >> 32)))
                                  >> 32));
}

/* Native-order loads.  memcpy() of a constant size compiles to one
 * unaligned load where the CPU allows it, and stays correct where not. */
static inline uint32_t
nat64_ld32(const uint8_t *p)
{
    uint32_t v;

    memcpy(&v, p, 4);
    return v;
}

static inline uint16_t
nat64_ld16(const uint8_t *p)
{
    uint16_t v;

    memcpy(&v, p, 2);
    return v;
}

static inline void
nat64_st16(uint8_t *p, uint16_t v)
{
    memcpy(p, &v, 2);
}

static inline void
nat64_st32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4);
}

/* The native-order 64-bit word whose bytes 2 and 3 (in memory order) are
 * those of the native-order 16-bit 'v', all others zero. */
static inline uint64_t
nat64_u64_bytes23(uint16_t v)
{
    return (uint64_t) v << (NAT64_LITTLE_ENDIAN ? 16 : 32);
}

/* The native-order 64-bit word whose bytes 4 and 5 (in memory order) are
 * those of the native-order 16-bit 'v', the others zero. */
static inline uint64_t
nat64_u64_bytes45(uint16_t v)
{
    return (uint64_t) v << (NAT64_LITTLE_ENDIAN ? 32 : 16);
}

/* The native-order 32-bit word whose bytes 0 and 1 (in memory order) are
 * those of the native-order 16-bit 'v', the others zero. */
static inline uint32_t
nat64_u32_bytes01(uint16_t v)
{
    return NAT64_LITTLE_ENDIAN ? v : (uint32_t) v << 16;
}

/* The native-order 64-bit word whose memory holds the native-order 32-bit
 * words 'first' and then 'second'. */
static inline uint64_t
nat64_join64(uint32_t first, uint32_t second)
{
    return NAT64_LITTLE_ENDIAN ? first | (uint64_t) second << 32
                               : (uint64_t) first << 32 | second;
}

/* Ones' complement sum of two 64-bit words (the carry wraps around). */
static inline uint64_t
nat64_add64c(uint64_t a, uint64_t b)
{
    a += b;
    return a + (a < b);
}

/* The second (higher-address) 32-bit half of a native-order 64-bit word
 * in memory order. */
static inline uint32_t
nat64_u64_second32(uint64_t v)
{
    return NAT64_LITTLE_ENDIAN ? (uint32_t) (v >> 32) : (uint32_t) v;
}

/* Network-order accessors: one load or store and a byte swap. */
static inline uint16_t
nat64_get_be16(const uint8_t *p)
{
    return nat64_htons(nat64_ld16(p));
}

static inline void
nat64_put_be16(uint8_t *p, uint16_t v)
{
    nat64_st16(p, nat64_htons(v));
}

static inline uint32_t
nat64_get_be32(const uint8_t *p)
{
    return nat64_htonl(nat64_ld32(p));
}

static inline void
nat64_put_be32(uint8_t *p, uint32_t v)
{
    nat64_st32(p, nat64_htonl(v));
}

/* Copies an Ethernet header of 'l2' bytes (14, or 18 with a tag) with
 * fixed-size moves, which compile inline. */
static inline void
nat64_copy_l2(uint8_t *to, const uint8_t *from, size_t l2)
{
    memcpy(to, from, NAT64_ETH_LEN);
    if (l2 > NAT64_ETH_LEN) {
        memcpy(to + NAT64_ETH_LEN, from + NAT64_ETH_LEN, NAT64_VLAN_LEN);
    }
}

/* A ones' complement sum taken over native-order words equals the
 * byte-swapped network-order sum (RFC 1071 2(B)), so checksum loops load
 * 32 bits at a time and convert once at the end. */
static inline uint16_t
nat64_native_to_be(uint64_t sum)
{
    return nat64_htons(nat64_fold64(sum));
}

/* Sum of the eight 16-bit words of an IPv6 address (folded). */
static inline uint32_t
nat64_sum_ip6(const uint8_t a[16])
{
    return nat64_native_to_be((uint64_t) nat64_ld32(a) + nat64_ld32(a + 4)
                              + nat64_ld32(a + 8) + nat64_ld32(a + 12));
}

static inline uint32_t
nat64_sum_ip4(const uint8_t a[4])
{
    return (uint32_t) nat64_get_be16(a) + nat64_get_be16(a + 2);
}

/* RFC 1624 eqn. 3: checksum 'csum' after words summing to 'old' were
 * replaced by words summing to 'new'. */
static inline uint16_t
nat64_csum_adjust(uint16_t csum, uint32_t old, uint32_t new_)
{
    uint32_t acc = (uint16_t) ~csum;

    acc += (uint16_t) ~nat64_fold(old);
    acc += nat64_fold(new_);
    return (uint16_t) ~nat64_fold(acc);
}

/* Unfolded sum of 'n' bytes at 'p' (an odd last byte is padded with zero),
 * added to 'acc'.  Safe for any n up to 65535 + a few words. */
uint32_t nat64_sum_bytes(uint32_t acc, const uint8_t *p, size_t n);

/* Internet checksum (complemented folded sum) of 'n' bytes at 'p' plus
 * the sum 'acc' (a pseudo-header, or 0 for an IPv4 header): a checksum
 * field inside must be zero, or it is summed as it is. */
static inline uint16_t
nat64_checksum(uint32_t acc, const uint8_t *p, size_t n)
{
    return (uint16_t) ~nat64_fold(nat64_sum_bytes(acc, p, n));
}

/* Sum of the IPv6 pseudo-header (RFC 8200 8.1). */
static inline uint32_t
nat64_pseudo6(const uint8_t src[16], const uint8_t dst[16], uint32_t len,
              uint8_t proto)
{
    return nat64_sum_ip6(src) + nat64_sum_ip6(dst) + (len >> 16)
           + (len & 0xffff) + proto;
}

static inline uint32_t
nat64_pseudo4(const uint8_t src[4], const uint8_t dst[4], uint32_t len,
              uint8_t proto)
{
    return nat64_sum_ip4(src) + nat64_sum_ip4(dst) + (len & 0xffff) + proto;
}

/* The flags/offset word of an unfragmented IPv4 packet of 'tot' bytes
 * made from an IPv6 one: RFC 7915 5.1 sets DF only above 1260 bytes. */
static inline uint16_t
nat64_ip4_df_field(size_t tot)
{
    return tot > NAT64_IP4_DF_ABOVE ? NAT64_IP4_DF : 0;
}

/* Identification of an unfragmented IPv4 packet made from an IPv6 one.
 * RFC 7915 5.1 asks for a generator, and a stateless translator can only
 * derive it from the packet.  The upper-layer checksum as received sums
 * the whole segment (sequence numbers, payload), so the packets of one
 * flow differ in it as they would in random ids, while a retransmission
 * of the same bytes keeps its id, which is harmless; and the fast path
 * loads it anyway.  Other protocols use the upper-layer length and the
 * first 8 bytes. */
static inline uint16_t
nat64_ip4_gen_id(uint8_t proto, const uint8_t *l4, size_t l4len,
                 uint32_t ulen)
{
    size_t csum_ofs = (proto == NAT64_PROTO_TCP ? NAT64_TCP_CSUM_OFS
                       : proto == NAT64_PROTO_UDP ? NAT64_UDP_CSUM_OFS
                       : proto == NAT64_PROTO_ICMPV6 ? NAT64_ICMP_CSUM_OFS
                       : 0);

    if (csum_ofs && l4len >= csum_ofs + sizeof(uint16_t)) {
        return nat64_get_be16(l4 + csum_ofs);
    }
    if (l4len >= 2 * sizeof(uint32_t)) {
        ulen += nat64_get_be32(l4) ^ nat64_get_be32(l4 + sizeof(uint32_t));
    }
    return nat64_fold(ulen);
}

/* Parsed facts of one IP header (outer or an ICMP error's inner one),
 * with both address families filled in once mapping succeeded. */
struct nat64_l3 {
    size_t l3;                  /* Offset of the L3 header in the frame. */
    size_t hlen;                /* Header bytes: IPv4 options or IPv6
                                 * extension headers included. */
    size_t l4len;               /* Upper-layer bytes present in the buffer. */
    uint32_t ulen;              /* Upper-layer length the header claims. */
    uint32_t id;                /* Fragment identification. */
    uint16_t frag_off;          /* Fragment offset in 8-byte units. */
    uint8_t proto;              /* Upper-layer protocol. */
    uint8_t ttl;
    uint8_t tos;
    uint8_t df;
    uint8_t mf;
    uint8_t is_frag;            /* IPv4 MF or offset, or IPv6 Fragment hdr. */
    uint8_t src4[4], dst4[4];
    uint8_t src6[16], dst6[16];
};

/* State of one nat64_translate() call. */
struct nat64_ctx {
    const struct nat64_config *cfg;
    struct nat64_pkt *pkt;
    struct nat64_reply_buf *reply;
    struct nat64_result *res;
    size_t l2len;               /* 14, or 18 with an 802.1Q tag. */
    /* Parsed headers live here rather than in each function's frame, to
     * keep the deepest call chain (ICMP error translation) small. */
    struct nat64_l3 outer;
    struct nat64_l3 inner;      /* Of an ICMP error. */
};

static inline enum nat64_verdict
nat64_drop(struct nat64_ctx *c, enum nat64_drop_reason reason)
{
    c->res->verdict = NAT64_DROP;
    c->res->reason = reason;
    return NAT64_DROP;
}

static inline void
nat64_result_ok(struct nat64_ctx *c, uint16_t ethertype, uint16_t l4_ofs,
                uint8_t l4_proto)
{
    struct nat64_result *res = c->res;

    res->verdict = NAT64_OK;
    res->reason = NAT64_DROP_NONE;
    res->ethertype = ethertype;
    res->l3_ofs = (uint16_t) c->l2len;
    res->l4_ofs = l4_ofs;
    res->l4_proto = l4_proto;
}

/* An IPv6 address as two native-order 64-bit words in memory order, so
 * that per-packet code builds, stores and sums it in registers. */
struct nat64_a6 {
    uint64_t w[2];
};

static inline void
nat64_a6_embed(const struct nat64_config *cfg, const uint8_t ip4[4],
               struct nat64_a6 *a)
{
    if (cfg->prefix_len == 96) {
        memcpy(&a->w[0], cfg->prefix, 8);
        a->w[1] = nat64_join64(nat64_ld32(cfg->prefix + 8), nat64_ld32(ip4));
    } else {
        uint8_t b[16];

        nat64_addr_4to6(cfg, ip4, b);
        memcpy(a->w, b, 16);
    }
}

/* Native-order ones' complement sum (unfolded) of the address. */
static inline uint64_t
nat64_a6_sum(const struct nat64_a6 *a)
{
    return nat64_add64c(a->w[0], a->w[1]);
}

static inline int
nat64_a6_is_mcast(const struct nat64_a6 *a)
{
    uint8_t first;

    memcpy(&first, &a->w[0], 1);
    return first == 0xff;
}

/* RFC 2464 7: 33:33 and the last four bytes of the group.  Inline: ARP
 * -> NS needs it per packet. */
static inline void
nat64_eth_mcast_4to6(uint8_t mac[6], const uint8_t ip6[16])
{
    nat64_put_be16(mac, 0x3333);
    memcpy(mac + 2, ip6 + 12, 4);
}

/* Unfolded network-order sum of 'n' bytes, 'n' a multiple of 8 up to 64:
 * a straight-line version of nat64_sum_bytes() for ND messages. */
static inline uint32_t
nat64_sum_small(const uint8_t *p, size_t n)
{
    uint64_t sum = 0, w;
    size_t i;

    for (i = 0; i + 8 <= n; i += 8) {
        memcpy(&w, p + i, 8);
        sum = nat64_add64c(sum, w);
    }
    return nat64_native_to_be(sum);
}

/* translate.c: nat64_translate() without the fast paths for untagged
 * frames (and without them at all unless 'try_fast'). */
enum nat64_verdict nat64_translate_general(const struct nat64_config *,
                                           enum nat64_direction,
                                           struct nat64_pkt *,
                                           struct nat64_reply_buf *,
                                           struct nat64_result *,
                                           int try_fast);

/* addr.c */
int nat64_ip4_is_mcast(const uint8_t ip4[4]);
int nat64_eth_is_bcast(const uint8_t *mac);
enum nat64_drop_reason nat64_map_src_4to6(const struct nat64_config *,
                                          const uint8_t ip4[4],
                                          uint8_t ip6[16]);
enum nat64_drop_reason nat64_map_dst_4to6(const struct nat64_config *,
                                          const uint8_t ip4[4],
                                          int eth_bcast, uint8_t ip6[16]);
enum nat64_drop_reason nat64_map_src_6to4(const struct nat64_config *,
                                          const uint8_t ip6[16],
                                          uint8_t ip4[4]);
enum nat64_drop_reason nat64_map_dst_6to4(const struct nat64_config *,
                                          const uint8_t ip6[16],
                                          uint8_t ip4[4]);
void nat64_eth_mcast_6to4(uint8_t mac[6], const uint8_t ip4[4]);
void nat64_eth_dst_4to6(uint8_t mac[6], const uint8_t ip6[16]);
int nat64_cfg_is_wkp(const struct nat64_config *);
int nat64_cfg_is_router(const struct nat64_config *);
enum nat64_drop_reason nat64_addr_policy4(const struct nat64_config *,
                                          const uint8_t a[4], int is_src);
int nat64_is_protected4(const struct nat64_config *, const uint8_t a[4]);



/* hdr.c: header primitives (leaves of the call graph). */
enum nat64_drop_reason nat64_parse_ip4(const uint8_t *ip, size_t avail,
                                       int inner, struct nat64_l3 *);
enum nat64_drop_reason nat64_parse_ip6(const uint8_t *ip, size_t avail,
                                       int inner, struct nat64_l3 *);
void nat64_write_ip6(uint8_t *p, const struct nat64_l3 *, uint8_t proto,
                     uint32_t ulen, uint8_t ttl);
void nat64_write_ip4(uint8_t *p, const struct nat64_l3 *, uint8_t proto,
                     uint32_t ulen, uint8_t ttl, uint16_t id,
                     uint16_t frag_field);
int nat64_is_ext_or_bad4(uint8_t proto);
enum nat64_drop_reason nat64_check_l4(const struct nat64_l3 *,
                                      const uint8_t *l4, int from4);
void nat64_ip4_id_frag(const struct nat64_l3 *, const uint8_t *l4,
                       size_t tot, uint16_t *id, uint16_t *frag_field);
enum nat64_drop_reason nat64_map_4to6_outer(const struct nat64_config *,
                                            struct nat64_l3 *,
                                            const uint8_t *l4,
                                            int eth_bcast);
enum nat64_drop_reason nat64_map_6to4_outer(const struct nat64_config *,
                                            struct nat64_l3 *,
                                            const uint8_t *l4);

/* nat64.c: buffer bookkeeping. */
void nat64_commit(struct nat64_ctx *, uint8_t *data, size_t len);

/* ip.c: the general path of an IPv4 / IPv6 packet. */
enum nat64_verdict nat64_ip4_to6(struct nat64_ctx *);
enum nat64_verdict nat64_ip6_to4(struct nat64_ctx *);

/* MTU rules of the 4to6 direction (ip.c, icmp.c, frag.c).  The L3 size
 * above which the translation of an IPv4 packet with DF bit 'df' may not
 * go out whole: cfg->mtu, and without DF also frag_mtu (RFC 7915 4),
 * never below the IPv6 minimum; 0 is no limit. */
static inline size_t
nat64_limit_4to6(const struct nat64_config *cfg, int df)
{
    size_t limit = cfg->mtu;

    if (!df && cfg->frag_mtu) {
        size_t frag = (cfg->frag_mtu < NAT64_IP6_MIN_MTU ? NAT64_IP6_MIN_MTU
                       : cfg->frag_mtu);

        if (!limit || frag < limit) {
            limit = frag;
        }
    }
    return limit;
}

/* Is the translation of 'h', 'len' L3 bytes, over that limit? */
static inline int
nat64_over_limit(const struct nat64_config *cfg, const struct nat64_l3 *h,
                 size_t len)
{
    size_t limit = nat64_limit_4to6(cfg, h->df);

    return limit && len > limit;
}

/* icmp.c */
enum nat64_verdict nat64_icmp4_to6(struct nat64_ctx *, struct nat64_l3 *);
enum nat64_verdict nat64_icmp6_to4(struct nat64_ctx *, struct nat64_l3 *);

/* nd.c */
enum nat64_verdict nat64_arp_to_nd(struct nat64_ctx *);
enum nat64_verdict nat64_nd_to_arp(struct nat64_ctx *, struct nat64_l3 *);

/* frag.c: ICMP errors back to the sender ('reason' is reported; without
 * a usable reply buffer, or when RFC 1122 3.2.2 forbids an error, the
 * frame is dropped with it). */
enum nat64_verdict nat64_reply_icmp4(struct nat64_ctx *,
                                     const struct nat64_l3 *, uint8_t type,
                                     uint8_t code, uint32_t word,
                                     enum nat64_drop_reason reason);
enum nat64_verdict nat64_reply_icmp6(struct nat64_ctx *,
                                     const struct nat64_l3 *, uint8_t type,
                                     uint8_t code, uint32_t word,
                                     enum nat64_drop_reason reason);
enum nat64_verdict nat64_too_big_4to6(struct nat64_ctx *,
                                      const struct nat64_l3 *);
enum nat64_verdict nat64_too_big_6to4(struct nat64_ctx *,
                                      const struct nat64_l3 *);

/* Header writers shared by ip.c and icmp.c, inline since they sit on the
 * deepest call chain.  This one writes the Ethernet header (from the
 * saved copy 'eth', destination mapped for multicast) and the IPv6
 * header (plus Fragment header) of 'h' so that they end at 'end';
 * returns the new start of the frame. */
static inline uint8_t *
nat64_put_hdrs6(const struct nat64_ctx *c, const struct nat64_l3 *h,
                uint8_t *eth, uint8_t *end, uint8_t proto, uint32_t ulen)
{
    size_t l2 = c->l2len;
    size_t hdr6 = NAT64_IP6_LEN + (h->is_frag ? NAT64_FRAG_LEN : 0);
    uint8_t *nd = end - hdr6 - l2;

    nat64_eth_dst_4to6(eth, h->dst6);
    nat64_put_be16(eth + l2 - NAT64_ETH_TYPE_LEN, NAT64_ETH_P_IPV6);
    nat64_copy_l2(nd, eth, l2);
    nat64_write_ip6(nd + l2, h, proto, ulen, h->ttl);
    return nd;
}

/* Same for an IPv4 header. */
static inline uint8_t *
nat64_put_hdrs4(const struct nat64_ctx *c, const struct nat64_l3 *h,
                uint8_t *eth, uint8_t *end, uint8_t proto, uint32_t ulen,
                uint16_t id, uint16_t frag_field)
{
    size_t l2 = c->l2len;
    uint8_t *nd = end - NAT64_IP4_LEN - l2;

    if (nat64_ip4_is_mcast(h->dst4)) {
        nat64_eth_mcast_6to4(eth, h->dst4);
    }
    nat64_put_be16(eth + l2 - NAT64_ETH_TYPE_LEN, NAT64_ETH_P_IP);
    nat64_copy_l2(nd, eth, l2);
    nat64_write_ip4(nd + l2, h, proto, ulen, h->ttl, id, frag_field);
    return nd;
}

#endif /* nat64-private.h */
