/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: straight-line fast paths for the common
 * case, inlined into the per-frame dispatch of translate.c (their only
 * includer): a whole unicast TCP (not SYN) or UDP (checksum set, no ALG)
 * packet with a /96 prefix, no IPv4 options, no IPv6 extension headers,
 * no TTL decrement, no MTU trouble.  Anything else returns 0 and takes the
 * general path in ip.c, which produces the same bytes (and the drop
 * reasons): the fast paths only skip work, they decide nothing.
 *
 * Checksum arithmetic here runs on native-order words (RFC 1071 2(B)):
 * the pseudo-header change of a /96 translation is twice the sum of the
 * 96-bit prefix (derived once into cfg->adj_*), since the embedded IPv4
 * words cancel out.  Headers are written as whole words and their
 * checksums computed from the values in registers, never read back: a
 * wide load of bytes just stored by narrower stores stalls store
 * forwarding.
 *
 * The fast paths get the frame after one look at its ethertype, before
 * any per-call state is set up; everything they do not take goes to
 * nat64_translate_general().
 */
#ifndef NAT64_FAST_H
#define NAT64_FAST_H 1

#include "nat64-private.h"

/* The shortest L3 packets a fast path takes: the IP header and a UDP
 * header (TCP's is longer). */
#define NAT64_FAST_MIN4 (NAT64_IP4_LEN + NAT64_UDP_LEN)
#define NAT64_FAST_MIN6 (NAT64_IP6_LEN + NAT64_UDP_LEN)

/* Must the general path look at addresses with first octets 'a' and 'b'
 * (reserved, multicast, or a range the config's rules single out), or at
 * the frame because the TTL is decremented?  Not /96: always. */
static NAT64_ALWAYS_INLINE int
nat64_fast_odd_addrs(const struct nat64_config *cfg, uint8_t a, uint8_t b)
{
    const uint8_t *t = cfg->fast_octets;

    return (t[a] | t[b] | cfg->dec_ttl) != 0;
}

/* May the IPv4 source 'src' (memory order) be one of cfg->protected4?
 * (A filter, exact for one address: the general path decides.) */
static NAT64_ALWAYS_INLINE int
nat64_fast_protected(const struct nat64_config *cfg, uint32_t src)
{
    return (src & cfg->protected_mask) == cfg->protected_match;
}

static NAT64_ALWAYS_INLINE void
nat64_fast_ok(struct nat64_result *res, uint16_t ethertype, size_t l2,
              size_t l3len, uint8_t proto)
{
    res->verdict = NAT64_OK;
    res->reason = NAT64_DROP_NONE;
    res->reply_len = 0;
    res->ethertype = ethertype;
    res->l3_ofs = (uint16_t) l2;
    res->l4_ofs = (uint16_t) (l2 + l3len);
    res->l4_proto = proto;
}

/* Is an L3 packet of 'l3len' (>= 1) bytes over the egress MTU?  An MTU of
 * 0 (no limit) wraps to the largest value. */
static NAT64_ALWAYS_INLINE int
nat64_fast_over(uint16_t limit, uint32_t l3len)
{
    return l3len - 1 > (uint32_t) limit - 1;
}

static NAT64_ALWAYS_INLINE int
nat64_fast_too_big(const struct nat64_config *cfg, uint32_t l3len)
{
    return nat64_fast_over(cfg->mtu, l3len);
}

/* Is 'proto' UDP and no ALG on?  cfg->fast_udp (always UDP) and cfg->alg
 * are adjacent bytes: one 16-bit load equals the zero-extended protocol
 * exactly when the protocol is UDP and 'alg' is 0, so the ALG switch
 * costs the fast path no instruction of its own. */
static NAT64_ALWAYS_INLINE int
nat64_fast_udp_no_alg(const struct nat64_config *cfg, uint8_t proto)
{
    uint16_t key = nat64_ld16((const uint8_t *) cfg
                              + offsetof(struct nat64_config, fast_udp));

    return key == (NAT64_LITTLE_ENDIAN ? proto : (uint16_t) (proto << 8));
}

/* May the fast paths update the TCP segment at 'l4' of 'l4len' bytes?
 * Not a runt, not a SYN (its MSS may need clamping). */
static NAT64_ALWAYS_INLINE int
nat64_fast_tcp_ok(const uint8_t *l4, uint32_t l4len)
{
    return l4len >= NAT64_TCP_MIN_LEN
           && !(l4[NAT64_TCP_FLAGS_OFS] & NAT64_TCP_SYN);
}

/* May they update a datagram of protocol 'proto' at 'l4' as UDP?  UDP
 * with a checksum (IPv4 zero means none) and no ALG (alg.h) on. */
static NAT64_ALWAYS_INLINE int
nat64_fast_udp_ok(const struct nat64_config *cfg, uint8_t proto,
                  const uint8_t *l4)
{
    return nat64_fast_udp_no_alg(cfg, proto)
           && nat64_ld16(l4 + NAT64_UDP_CSUM_OFS);
}

/* Adds a pseudo-header change to the checksum at 'p'; 'adj' (cfg->adj_*)
 * holds the change plus 0xffff, so 'adj' - c is ~c + change without
 * computing a 16-bit complement.  A UDP checksum that comes out zero is
 * sent as all ones (RFC 768). */
static NAT64_ALWAYS_INLINE void
nat64_fast_csum(uint8_t *p, uint32_t adj, uint8_t proto)
{
    uint16_t csum = (uint16_t) ~nat64_fold(adj - nat64_ld16(p));

    nat64_st16(p, csum || proto != NAT64_PROTO_UDP ? csum : 0xffff);
}

/* The rest of nat64_fast_4to6() for a segment whose checksum is at
 * 'csum_ofs' (a constant at each call, so that TCP and UDP each get
 * their own straight-line copy). */
static NAT64_ALWAYS_INLINE int
nat64_fast_4to6_l4(const struct nat64_config *cfg, struct nat64_pkt *pkt,
                   size_t l2, struct nat64_result *res, uint32_t tot,
                   uint8_t proto, size_t csum_ofs)
{
    uint8_t *d = pkt->data;
    uint8_t *ip = d + l2;
    uint8_t *l4 = ip + NAT64_IP4_LEN;
    uint32_t l4len = tot - NAT64_IP4_LEN;
    uint8_t *nd, *ip6;
    uint32_t w1, src, dst;
    uint64_t p0, h0, h1;
    uint8_t tos, ttl;

    /* The header as two 64-bit words and the destination. */
    memcpy(&h0, ip + NAT64_IP4_VER_IHL_OFS, 8);
    memcpy(&h1, ip + NAT64_IP4_TTL_OFS, 8);
    src = nat64_ld32(ip + NAT64_IP4_SRC_OFS);
    dst = nat64_ld32(ip + NAT64_IP4_DST_OFS);
    if (nat64_fold64(nat64_add64c(nat64_add64c(h0, h1), dst)) != 0xffff
        || nat64_fast_protected(cfg, src)) {
        return 0;
    }

    /* Checkpoint passed: nothing below fails. */
    nat64_fast_csum(l4 + csum_ofs, cfg->adj_4to6, proto);
    tos = ip[NAT64_IP4_TOS_OFS];
    ttl = ip[NAT64_IP4_TTL_OFS];

    /* The IPv6 header overlaps the IPv4 one: everything needed from it is
     * in registers now. */
    nd = d - (NAT64_IP6_LEN - NAT64_IP4_LEN);
    ip6 = nd + l2;
    memcpy(nd, d, NAT64_ETH_TYPE_OFS);
    if (l2 > NAT64_ETH_LEN) {
        memcpy(nd + NAT64_ETH_TYPE_OFS, d + NAT64_ETH_TYPE_OFS,
               NAT64_VLAN_LEN);
    }
    nat64_st16(ip6 - NAT64_ETH_TYPE_LEN, nat64_htons(NAT64_ETH_P_IPV6));
    nat64_put_be32(ip6 + NAT64_IP6_VFC_OFS,
                   ((uint32_t) NAT64_IP6_VERSION << 28)
                   | ((uint32_t) tos << 20));
    /* Payload length, next header and hop limit in one word. */
    nat64_put_be32(ip6 + NAT64_IP6_PLEN_OFS,
                   (l4len << 16) | ((uint32_t) proto << 8) | ttl);
    /* nat64_a6_embed() written out for /96: both addresses share the
     * prefix words in registers. */
    memcpy(&p0, cfg->prefix, 8);
    w1 = nat64_ld32(cfg->prefix + 8);
    memcpy(ip6 + NAT64_IP6_SRC_OFS, &p0, 8);
    nat64_st32(ip6 + NAT64_IP6_SRC_OFS + 8, w1);
    nat64_st32(ip6 + NAT64_IP6_SRC_OFS + NAT64_ADDR6_V4_OFS96, src);
    memcpy(ip6 + NAT64_IP6_DST_OFS, &p0, 8);
    nat64_st32(ip6 + NAT64_IP6_DST_OFS + 8, w1);
    nat64_st32(ip6 + NAT64_IP6_DST_OFS + NAT64_ADDR6_V4_OFS96, dst);

    pkt->tailroom += pkt->len - (l2 + tot);
    pkt->headroom -= NAT64_IP6_LEN - NAT64_IP4_LEN;
    pkt->data = nd;
    pkt->len = l2 + NAT64_IP6_LEN + l4len;
    nat64_fast_ok(res, NAT64_ETH_P_IPV6, l2, NAT64_IP6_LEN, proto);
    return 1;
}

static NAT64_ALWAYS_INLINE int
nat64_fast_4to6(const struct nat64_config *cfg, struct nat64_pkt *pkt,
                size_t l2, struct nat64_result *res)
{
    uint8_t *d = pkt->data;
    uint8_t *ip = d + l2;
    uint8_t *l4 = ip + NAT64_IP4_LEN;
    uint32_t tot, l4len;
    uint8_t proto;

    if (pkt->headroom < NAT64_IP6_LEN - NAT64_IP4_LEN
        || pkt->len - l2 < NAT64_FAST_MIN4
        || ip[NAT64_IP4_VER_IHL_OFS] != NAT64_IP4_VER_IHL
        || nat64_eth_is_group(d)) {
        return 0;
    }
    tot = nat64_get_be16(ip + NAT64_IP4_TOT_LEN_OFS);
    l4len = tot - NAT64_IP4_LEN;
    proto = ip[NAT64_IP4_PROTO_OFS];
    /* NAT64_FAST_MIN4 <= tot <= the bytes present, in one unsigned
     * comparison. */
    if (tot - NAT64_FAST_MIN4 > pkt->len - l2 - NAT64_FAST_MIN4
        || (nat64_ld16(ip + NAT64_IP4_FRAG_OFS)
            & nat64_htons(NAT64_IP4_MF | NAT64_IP4_OFS_MASK))
        || nat64_fast_odd_addrs(cfg, ip[NAT64_IP4_SRC_OFS],
                                ip[NAT64_IP4_DST_OFS])
        || nat64_fast_too_big(cfg, NAT64_IP6_LEN + l4len)) {
        return 0;
    }
    /* Without DF, frag_mtu is the limit too (RFC 7915 4); it is never
     * below the IPv6 minimum (nat64_limit_4to6()), so smaller packets
     * need no look at it. */
    if (!(ip[NAT64_IP4_FRAG_OFS] & (NAT64_IP4_DF >> 8))
        && tot > NAT64_IP4_DF_ABOVE
        && nat64_fast_over(cfg->frag_mtu, NAT64_IP6_LEN + l4len)) {
        return 0;
    }
    if (NAT64_LIKELY(proto == NAT64_PROTO_TCP)) {
        if (nat64_fast_tcp_ok(l4, l4len)) {
            return nat64_fast_4to6_l4(cfg, pkt, l2, res, tot,
                                      NAT64_PROTO_TCP, NAT64_TCP_CSUM_OFS);
        }
    } else if (nat64_fast_udp_ok(cfg, proto, l4)) {
        return nat64_fast_4to6_l4(cfg, pkt, l2, res, tot,
                                  NAT64_PROTO_UDP, NAT64_UDP_CSUM_OFS);
    }
    return 0;
}

/* The rest of nat64_fast_6to4(), like nat64_fast_4to6_l4(). */
static NAT64_ALWAYS_INLINE int
nat64_fast_6to4_l4(struct nat64_pkt *pkt, size_t l2,
                   struct nat64_result *res, uint32_t adj, uint32_t plen,
                   uint8_t proto, size_t csum_ofs)
{
    uint8_t *d = pkt->data;
    uint8_t *ip = d + l2;
    uint8_t *l4 = ip + NAT64_IP6_LEN;
    uint32_t tot = NAT64_IP4_LEN + plen;
    uint8_t *nd, *ip4;
    uint64_t q0, q1;
    uint32_t dst;
    uint16_t id;                /* Identification, memory order. */

    /* Checkpoint passed: nothing below fails.  The id is the L4
     * checksum before it changes (nat64_ip4_gen_id()). */
    id = nat64_ld16(l4 + csum_ofs);
    nat64_fast_csum(l4 + csum_ofs, adj, proto);

    /* The IPv4 header as two 64-bit words and the destination, in
     * memory order; the checksum (bytes 10 and 11) is zero so far. */
    /* Version 6 is checked, so the top nibble of the first 12 bits is 6:
     * an xor turns it into IPv4's 4 and IHL 5 and keeps the class. */
    q0 = nat64_htonll((uint64_t) ((nat64_get_be16(ip + NAT64_IP6_VFC_OFS) >> 4
                                   ^ 0x4300u) << 16
                                  | tot) << 32 | nat64_ip4_df_field(tot))
         | nat64_u64_bytes45(id);
    /* TTL and protocol are the IPv6 hop limit and next header swapped. */
    q1 = nat64_join64(nat64_u32_bytes01(
                          nat64_bswap16(nat64_ld16(ip + NAT64_IP6_NXT_OFS))),
                      nat64_ld32(ip + NAT64_IP6_SRC_OFS
                                 + NAT64_ADDR6_V4_OFS96));
    dst = nat64_ld32(ip + NAT64_IP6_DST_OFS + NAT64_ADDR6_V4_OFS96);
    q1 |= nat64_u64_bytes23((uint16_t) ~nat64_fold64(
                                nat64_add64c(nat64_add64c(q0, q1), dst)));

    nd = d + (NAT64_IP6_LEN - NAT64_IP4_LEN);
    ip4 = nd + l2;
    memcpy(nd, d, NAT64_ETH_TYPE_OFS);
    if (l2 > NAT64_ETH_LEN) {
        memcpy(nd + NAT64_ETH_TYPE_OFS, d + NAT64_ETH_TYPE_OFS,
               NAT64_VLAN_LEN);
    }
    nat64_st16(ip4 - NAT64_ETH_TYPE_LEN, nat64_htons(NAT64_ETH_P_IP));
    memcpy(ip4 + NAT64_IP4_VER_IHL_OFS, &q0, 8);
    memcpy(ip4 + NAT64_IP4_TTL_OFS, &q1, 8);
    nat64_st32(ip4 + NAT64_IP4_DST_OFS, dst);

    pkt->tailroom += pkt->len - (l2 + NAT64_IP6_LEN + plen);
    pkt->headroom += NAT64_IP6_LEN - NAT64_IP4_LEN;
    pkt->data = nd;
    pkt->len = l2 + tot;
    nat64_fast_ok(res, NAT64_ETH_P_IP, l2, NAT64_IP4_LEN, proto);
    return 1;
}

static NAT64_ALWAYS_INLINE int
nat64_fast_6to4(const struct nat64_config *cfg, struct nat64_pkt *pkt,
                size_t l2, struct nat64_result *res)
{
    uint8_t *d = pkt->data;
    uint8_t *ip = d + l2;
    uint8_t *l4 = ip + NAT64_IP6_LEN;
    uint32_t plen, tot, p1;
    uint64_t p0, a0, a1;
    uint8_t proto;

    /* Unlike 4to6, a multicast Ethernet destination needs nothing
     * special here: the general path keeps it too for a unicast IPv4
     * destination. */
    if (pkt->len - l2 < NAT64_FAST_MIN6
        || (ip[NAT64_IP6_VFC_OFS] & 0xf0) != NAT64_IP6_VERSION << 4) {
        return 0;
    }
    plen = nat64_get_be16(ip + NAT64_IP6_PLEN_OFS);
    tot = NAT64_IP4_LEN + plen;
    proto = ip[NAT64_IP6_NXT_OFS];
    memcpy(&p0, cfg->prefix, 8);
    p1 = nat64_ld32(cfg->prefix + 8);
    memcpy(&a0, ip + NAT64_IP6_SRC_OFS, 8);
    memcpy(&a1, ip + NAT64_IP6_DST_OFS, 8);
    if (plen - NAT64_UDP_LEN > pkt->len - l2 - NAT64_FAST_MIN6
        || nat64_fast_too_big(cfg, tot)
        || ((a0 ^ p0) | (a1 ^ p0)
            | ((nat64_ld32(ip + NAT64_IP6_SRC_OFS + 8) ^ p1)
               | (nat64_ld32(ip + NAT64_IP6_DST_OFS + 8) ^ p1)))
        || nat64_fast_odd_addrs(
               cfg, ip[NAT64_IP6_SRC_OFS + NAT64_ADDR6_V4_OFS96],
               ip[NAT64_IP6_DST_OFS + NAT64_ADDR6_V4_OFS96])) {
        return 0;
    }
    if (NAT64_LIKELY(proto == NAT64_PROTO_TCP)) {
        if (nat64_fast_tcp_ok(l4, plen)) {
            return nat64_fast_6to4_l4(pkt, l2, res, cfg->adj_6to4, plen,
                                      NAT64_PROTO_TCP, NAT64_TCP_CSUM_OFS);
        }
    } else if (nat64_fast_udp_ok(cfg, proto, l4)) {
        return nat64_fast_6to4_l4(pkt, l2, res, cfg->adj_6to4, plen,
                                  NAT64_PROTO_UDP, NAT64_UDP_CSUM_OFS);
    }
    return 0;
}

#endif /* fast.h */
