/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: packets too big for the egress MTU.
 *
 * 4to6 with DF and 6to4 get an ICMP error back to the sender (RFC 7915
 * 4.1 and 5.1 leave the error to the next router; here the translator is
 * that hop, so it answers for the MTU it enforces).  4to6 without DF is
 * fragmented into IPv6 fragments by nat64_fragment_next().
 *
 * The same reply builders answer an expiring TTL/hop limit (Time
 * Exceeded), an unexpired IPv4 source route (Source Route Failed) and an
 * IPv6 routing header with segments left (Parameter Problem), as RFC 7915
 * 4.1 and 5.1 ask.  The bridge has no address of its own, so errors come
 * from the original destination, with the Ethernet addresses swapped.
 */
#include "nat64-private.h"

#define NAT64_NO_OFS ((size_t) -1)
/* RFC 792: an ICMPv4 error quotes the IP header and at least the first
 * 8 bytes of its data. */
#define NAT64_ICMP4_MIN_QUOTE 8

static enum nat64_verdict
nat64_reply_done(struct nat64_ctx *c, size_t len,
                 enum nat64_drop_reason reason)
{
    c->res->verdict = NAT64_REPLY;
    c->res->reason = reason;
    c->res->reply_len = len;
    return NAT64_REPLY;
}

/* Ethernet header of a reply: addresses swapped, 802.1Q tag kept. */
static void
nat64_reply_eth(const struct nat64_ctx *c, uint8_t *r, uint16_t type)
{
    const uint8_t *d = c->pkt->data;

    memcpy(r + NAT64_ETH_DST_OFS, d + NAT64_ETH_SRC_OFS, NAT64_ETH_ADDR_LEN);
    memcpy(r + NAT64_ETH_SRC_OFS, d + NAT64_ETH_DST_OFS, NAT64_ETH_ADDR_LEN);
    memcpy(r + NAT64_ETH_TYPE_OFS, d + NAT64_ETH_TYPE_OFS,
           c->l2len - NAT64_ETH_TYPE_OFS);
    nat64_put_be16(r + c->l2len - NAT64_ETH_TYPE_LEN, type);
}

/* RFC 1122 3.2.2 / RFC 4443 2.4(e): no error about an ICMP error, a
 * non-first fragment, or a packet sent to or from a group. */
static int
nat64_no_error4(const struct nat64_ctx *c, const struct nat64_l3 *h)
{
    const uint8_t *l4 = c->pkt->data + c->l2len + h->hlen;

    if (nat64_eth_is_group(c->pkt->data) || h->frag_off
        || nat64_ip4_is_mcast_or_e(h->dst4)
        || !nat64_ip4_is_unicast(h->src4)) {
        return 1;
    }
    return h->proto == NAT64_PROTO_ICMP && h->l4len >= 1
           && nat64_is_icmp4_error(l4[NAT64_ICMP_TYPE_OFS]);
}

static int
nat64_no_error6(const struct nat64_ctx *c, const struct nat64_l3 *h)
{
    static const uint8_t unspec[16];
    const uint8_t *l4 = c->pkt->data + c->l2len + h->hlen;

    if (nat64_eth_is_group(c->pkt->data) || h->frag_off
        || nat64_ip6_is_mcast(h->dst6) || nat64_ip6_is_mcast(h->src6)
        || !memcmp(h->src6, unspec, 16)) {
        return 1;
    }
    return h->proto == NAT64_PROTO_ICMPV6 && h->l4len >= 1
           && nat64_is_icmp6_error(l4[NAT64_ICMP_TYPE_OFS]);
}

/* Writes an ICMP or ICMPv6 error header at 'ic' with a zero checksum,
 * followed by the first 'quote' bytes of the offending packet 'ip'; the
 * caller sums the message, with or without a pseudo-header. */
static void
put_icmp_error(uint8_t *ic, uint8_t type, uint8_t code, uint32_t word,
               const uint8_t *ip, size_t quote)
{
    ic[NAT64_ICMP_TYPE_OFS] = type;
    ic[NAT64_ICMP_CODE_OFS] = code;
    nat64_put_be16(ic + NAT64_ICMP_CSUM_OFS, 0);
    nat64_put_be32(ic + NAT64_ICMP_WORD_OFS, word);
    memcpy(ic + NAT64_ICMP_HDR_LEN, ip, quote);
}

enum nat64_verdict
nat64_reply_icmp4(struct nat64_ctx *c, const struct nat64_l3 *h,
                  uint8_t type, uint8_t code, uint32_t word,
                  enum nat64_drop_reason reason)
{
    size_t l2 = c->l2len;
    const uint8_t *ip = c->pkt->data + l2;
    size_t quote = nat64_get_be16(ip + NAT64_IP4_TOT_LEN_OFS);
    struct nat64_l3 rh;
    uint8_t *r, *ic;

    if (!c->reply || !c->reply->data || nat64_no_error4(c, h)
        || c->reply->size < (l2 + NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN + h->hlen
                             + NAT64_ICMP4_MIN_QUOTE)) {
        return nat64_drop(c, reason);
    }
    if (NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN + quote > NAT64_ICMP4_ERR_MAX) {
        quote = NAT64_ICMP4_ERR_MAX - NAT64_IP4_LEN - NAT64_ICMP_HDR_LEN;
    }
    if (l2 + NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN + quote > c->reply->size) {
        quote = c->reply->size - l2 - NAT64_IP4_LEN - NAT64_ICMP_HDR_LEN;
    }

    r = c->reply->data;
    nat64_reply_eth(c, r, NAT64_ETH_P_IP);
    memset(&rh, 0, sizeof rh);
    memcpy(rh.src4, c->cfg->has_icmp_src4 ? c->cfg->icmp_src4 : h->dst4, 4);
    memcpy(rh.dst4, h->src4, 4);
    nat64_write_ip4(r + l2, &rh, NAT64_PROTO_ICMP,
                    (uint32_t) (NAT64_ICMP_HDR_LEN + quote), 64, 0, 0);
    ic = r + l2 + NAT64_IP4_LEN;
    put_icmp_error(ic, type, code, word, ip, quote);
    nat64_put_be16(ic + NAT64_ICMP_CSUM_OFS,
                   nat64_checksum(0, ic, NAT64_ICMP_HDR_LEN + quote));
    return nat64_reply_done(c, l2 + NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN + quote,
                            reason);
}

enum nat64_verdict
nat64_reply_icmp6(struct nat64_ctx *c, const struct nat64_l3 *h,
                  uint8_t type, uint8_t code, uint32_t word,
                  enum nat64_drop_reason reason)
{
    size_t l2 = c->l2len;
    const uint8_t *ip = c->pkt->data + l2;
    size_t quote = NAT64_IP6_LEN + nat64_get_be16(ip + NAT64_IP6_PLEN_OFS);
    const uint8_t *src6 = (c->cfg->has_icmp_src6 ? c->cfg->icmp_src6
                           : h->dst6);
    uint8_t *r, *ic;
    size_t mlen;

    if (!c->reply || !c->reply->data || nat64_no_error6(c, h)
        || c->reply->size < (l2 + NAT64_IP6_LEN + NAT64_ICMP_HDR_LEN
                             + NAT64_IP6_LEN)) {
        return nat64_drop(c, reason);
    }
    if (NAT64_IP6_LEN + NAT64_ICMP_HDR_LEN + quote > NAT64_ICMP6_ERR_MAX) {
        quote = NAT64_ICMP6_ERR_MAX - NAT64_IP6_LEN - NAT64_ICMP_HDR_LEN;
    }
    if (l2 + NAT64_IP6_LEN + NAT64_ICMP_HDR_LEN + quote > c->reply->size) {
        quote = c->reply->size - l2 - NAT64_IP6_LEN - NAT64_ICMP_HDR_LEN;
    }
    mlen = NAT64_ICMP_HDR_LEN + quote;

    r = c->reply->data;
    nat64_reply_eth(c, r, NAT64_ETH_P_IPV6);
    nat64_put_be32(r + l2 + NAT64_IP6_VFC_OFS,
                   (uint32_t) NAT64_IP6_VERSION << 28);
    nat64_put_be16(r + l2 + NAT64_IP6_PLEN_OFS, (uint16_t) mlen);
    r[l2 + NAT64_IP6_NXT_OFS] = NAT64_PROTO_ICMPV6;
    r[l2 + NAT64_IP6_HLIM_OFS] = 64;
    memcpy(r + l2 + NAT64_IP6_SRC_OFS, src6, 16);
    memcpy(r + l2 + NAT64_IP6_DST_OFS, h->src6, 16);
    ic = r + l2 + NAT64_IP6_LEN;
    put_icmp_error(ic, type, code, word, ip, quote);
    nat64_put_be16(ic + NAT64_ICMP_CSUM_OFS,
                   nat64_checksum(nat64_pseudo6(src6, h->src6,
                                                (uint32_t) mlen,
                                                NAT64_PROTO_ICMPV6),
                                  ic, mlen));
    return nat64_reply_done(c, l2 + NAT64_IP6_LEN + mlen, reason);
}

/* ICMPv4 Fragmentation Needed for an IPv4 packet with DF whose IPv6
 * translation exceeds cfg->mtu. */
enum nat64_verdict
nat64_too_big_4to6(struct nat64_ctx *c, const struct nat64_l3 *h)
{
    uint32_t mtu = (c->cfg->mtu > NAT64_IP4_MIN_MTU + NAT64_IP6_IP4_DELTA
                    ? c->cfg->mtu - NAT64_IP6_IP4_DELTA : NAT64_IP4_MIN_MTU);

    return nat64_reply_icmp4(c, h, NAT64_ICMP4_DEST_UNREACH,
                             NAT64_ICMP4_FRAG_NEEDED, mtu,
                             NAT64_DROP_TOO_BIG);
}

/* ICMPv6 Packet Too Big for an IPv6 packet whose IPv4 translation exceeds
 * cfg->mtu. */
enum nat64_verdict
nat64_too_big_6to4(struct nat64_ctx *c, const struct nat64_l3 *h)
{
    uint32_t mtu = (uint32_t) c->cfg->mtu + NAT64_IP6_IP4_DELTA;

    /* Never below the IPv6 minimum (RFC 7915 5, RFC 8200 5), even when
     * the IPv4 egress is smaller: the sender could not comply. */
    if (mtu < NAT64_IP6_MIN_MTU) {
        mtu = NAT64_IP6_MIN_MTU;
    }
    return nat64_reply_icmp6(c, h, NAT64_ICMP6_PACKET_TOO_BIG, 0, mtu,
                             NAT64_DROP_TOO_BIG);
}

void
nat64_fragment_start(struct nat64_frag_iter *it)
{
    it->offset = 0;
    it->reason = NAT64_DROP_NONE;
}

static int
nat64_frag_fail(struct nat64_frag_iter *it, enum nat64_drop_reason reason)
{
    it->reason = reason;
    return -1;
}

/* The translated upper-layer checksum (and ICMP type) of the datagram
 * 'h' whose 'n' upper-layer bytes are at 'l4': sets '*ofs' to the
 * checksum's offset, or returns -1 for an untranslatable datagram. */
static int
nat64_frag_l4(const struct nat64_l3 *h, const uint8_t *l4, size_t *ofs,
              uint16_t *csum, uint8_t *type)
{
    uint32_t old = nat64_sum_ip4(h->src4) + nat64_sum_ip4(h->dst4);
    uint32_t new_ = nat64_sum_ip6(h->src6) + nat64_sum_ip6(h->dst6);
    size_t n = h->l4len;

    *type = 0;
    switch (h->proto) {
    case NAT64_PROTO_TCP:
        *ofs = NAT64_TCP_CSUM_OFS;
        *csum = nat64_csum_adjust(nat64_get_be16(l4 + NAT64_TCP_CSUM_OFS),
                                  old, new_);
        return 0;
    case NAT64_PROTO_DCCP:
        *ofs = NAT64_DCCP_CSUM_OFS;
        *csum = nat64_csum_adjust(nat64_get_be16(l4 + NAT64_DCCP_CSUM_OFS),
                                  old, new_);
        return 0;
    case NAT64_PROTO_UDP:
        *ofs = NAT64_UDP_CSUM_OFS;
        *csum = nat64_get_be16(l4 + NAT64_UDP_CSUM_OFS);
        if (!*csum) {
            *csum = nat64_checksum(nat64_pseudo6(h->src6, h->dst6,
                                                 (uint32_t) n,
                                                 NAT64_PROTO_UDP),
                                   l4, n);
        } else {
            *csum = nat64_csum_adjust(*csum, old, new_);
        }
        if (!*csum) {
            *csum = 0xffff;
        }
        return 0;
    case NAT64_PROTO_ICMP:
        if (l4[NAT64_ICMP_TYPE_OFS] != NAT64_ICMP4_ECHO
            && l4[NAT64_ICMP_TYPE_OFS] != NAT64_ICMP4_ECHO_REPLY) {
            return -1;          /* Errors are truncated, never split. */
        }
        *ofs = NAT64_ICMP_CSUM_OFS;
        *type = (l4[NAT64_ICMP_TYPE_OFS] == NAT64_ICMP4_ECHO
                 ? NAT64_ICMP6_ECHO_REQUEST
                 : NAT64_ICMP6_ECHO_REPLY);
        *csum = nat64_csum_adjust(nat64_get_be16(l4 + NAT64_ICMP_CSUM_OFS),
                                  (uint32_t) l4[NAT64_ICMP_TYPE_OFS] << 8,
                                  ((uint32_t) *type << 8)
                                  + nat64_pseudo6(h->src6, h->dst6,
                                                  (uint32_t) n,
                                                  NAT64_PROTO_ICMPV6));
        return 0;
    default:
        *ofs = NAT64_NO_OFS;
        return 0;
    }
}

int
nat64_fragment_next(const struct nat64_config *cfg, const uint8_t *frame,
                    size_t len, struct nat64_frag_iter *it, uint8_t *out,
                    size_t out_size)
{
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    enum nat64_drop_reason r;
    struct nat64_l3 h;
    size_t l2 = NAT64_ETH_LEN, room, maxdata, off, n, cs_ofs = NAT64_NO_OFS;
    const uint8_t *l4;
    uint16_t csum = 0, type, foff;
    uint8_t newtype = 0, *p;
    int last;

    if (len < NAT64_ETH_LEN) {
        return nat64_frag_fail(it, NAT64_DROP_TRUNCATED);
    }
    type = nat64_get_be16(frame + NAT64_ETH_TYPE_OFS);
    if (type == NAT64_ETH_P_8021Q) {
        if (len < NAT64_ETH_LEN + NAT64_VLAN_LEN) {
            return nat64_frag_fail(it, NAT64_DROP_TRUNCATED);
        }
        l2 += NAT64_VLAN_LEN;
        type = nat64_get_be16(frame + NAT64_ETH_TYPE_OFS
                              + NAT64_VLAN_LEN);
    }
    if (type != NAT64_ETH_P_IP) {
        return nat64_frag_fail(it, NAT64_DROP_NOT_IP);
    }
    r = nat64_parse_ip4(frame + l2, len - l2, 0, &h);
    if (r == NAT64_DROP_NONE) {
        r = nat64_map_4to6_outer(cfg, &h, frame + l2 + h.hlen,
                                 nat64_eth_is_bcast(frame));
    }
    if (r == NAT64_DROP_NONE && nat64_is_ext_or_bad4(h.proto)) {
        r = NAT64_DROP_UNKNOWN_PROTO;
    }
    if (r == NAT64_DROP_NONE && h.proto == NAT64_PROTO_ICMP && h.is_frag) {
        r = NAT64_DROP_FRAG_ICMP;
    }
    if (r == NAT64_DROP_NONE) {
        r = nat64_check_l4(&h, frame + l2 + h.hlen, 1);
    }
    if (r == NAT64_DROP_NONE && cfg->dec_ttl) {
        if (h.ttl <= 1) {
            r = NAT64_DROP_TTL_EXPIRED;
        }
        h.ttl--;
    }
    if (r != NAT64_DROP_NONE) {
        return nat64_frag_fail(it, r);
    }

    off = it->offset;
    if (off >= h.l4len) {
        return 0;
    }
    room = out_size < l2 ? 0 : out_size - l2;
    if (nat64_limit_4to6(cfg, 0) && nat64_limit_4to6(cfg, 0) < room) {
        room = nat64_limit_4to6(cfg, 0);
    }
    if (room > 0xffff) {
        room = 0xffff;
    }
    maxdata = room > NAT64_IP6_LEN + NAT64_FRAG_LEN
              ? (room - NAT64_IP6_LEN - NAT64_FRAG_LEN) & ~(size_t) 7 : 0;
    if (maxdata < 8) {
        return nat64_frag_fail(it, NAT64_DROP_TOO_BIG);
    }
    n = h.l4len - off;
    last = 1;
    if (n > maxdata) {
        n = maxdata;
        last = 0;
    }

    l4 = frame + l2 + h.hlen;
    if (!h.frag_off) {
        size_t ofs;

        if (nat64_frag_l4(&h, l4, &ofs, &csum, &newtype)) {
            return nat64_frag_fail(it, NAT64_DROP_FRAG_ICMP);
        }
        /* Checksums sit at even offsets below 18, so both bytes land in
         * the same 8-byte block, hence in the same fragment. */
        if (ofs != NAT64_NO_OFS && ofs >= off && ofs < off + n) {
            cs_ofs = ofs - off;
        }
    }

    nat64_copy_l2(eth, frame, l2);
    nat64_eth_dst_4to6(eth, h.dst6);
    nat64_put_be16(eth + l2 - NAT64_ETH_TYPE_LEN, NAT64_ETH_P_IPV6);
    nat64_copy_l2(out, eth, l2);
    p = out + l2;
    nat64_put_be32(p + NAT64_IP6_VFC_OFS,
                   ((uint32_t) NAT64_IP6_VERSION << 28)
                   | ((uint32_t) h.tos << 20));
    nat64_put_be16(p + NAT64_IP6_PLEN_OFS, (uint16_t) (NAT64_FRAG_LEN + n));
    p[NAT64_IP6_NXT_OFS] = NAT64_PROTO_FRAGMENT;
    p[NAT64_IP6_HLIM_OFS] = h.ttl;
    memcpy(p + NAT64_IP6_SRC_OFS, h.src6, 16);
    memcpy(p + NAT64_IP6_DST_OFS, h.dst6, 16);
    p += NAT64_IP6_LEN;
    p[NAT64_EXT_NXT_OFS] = (h.proto == NAT64_PROTO_ICMP ? NAT64_PROTO_ICMPV6
                            : h.proto);
    p[NAT64_FRAG_RSVD_OFS] = 0;
    foff = (uint16_t) ((h.frag_off * 8u + off) & 0xfff8);
    nat64_put_be16(p + NAT64_FRAG_OFFLG_OFS,
                   (uint16_t) (foff | (!last || h.mf)));
    nat64_put_be32(p + NAT64_FRAG_ID_OFS, h.id);
    p += NAT64_FRAG_LEN;
    memcpy(p, l4 + off, n);
    if (cs_ofs != NAT64_NO_OFS) {
        nat64_put_be16(p + cs_ofs, csum);
    }
    if (newtype && off == 0) {
        p[NAT64_ICMP_TYPE_OFS] = newtype;
    }
    it->offset = off + n;
    return (int) (l2 + NAT64_IP6_LEN + NAT64_FRAG_LEN + n);
}
