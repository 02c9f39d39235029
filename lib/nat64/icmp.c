/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: ICMPv4 <-> ICMPv6 (RFC 7915 4.2, 4.3, 5.2,
 * 5.3).
 *
 * Echo messages keep their checksum by incremental update (type change
 * and, since ICMPv6 has a pseudo-header and ICMPv4 has not, the IPv6
 * pseudo-header sum).  Errors are verified, rebuilt with their translated
 * inner packet (possibly truncated) and checksummed in full: they are
 * rare and small.
 */
#include "nat64-private.h"

/* RFC 1191 7.1 plateau table. */
static const uint16_t nat64_plateaus[] = {
    65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68
};

/* RFC 7915 4.2: greatest plateau less than the quoted total length. */
static uint32_t
nat64_plateau(uint32_t tot)
{
    size_t i;

    for (i = 0; i < sizeof nat64_plateaus / sizeof nat64_plateaus[0]; i++) {
        if (nat64_plateaus[i] < tot) {
            return nat64_plateaus[i];
        }
    }
    return NAT64_IP4_MIN_MTU;
}

/* RFC 7915 4.2 type and code mapping.  Returns 0, or -1 if the message is
 * silently dropped. */
static int
nat64_icmp4_map(uint8_t type, uint8_t code, uint8_t *t6, uint8_t *c6)
{
    switch (type) {
    case NAT64_ICMP4_ECHO:
        *t6 = NAT64_ICMP6_ECHO_REQUEST;
        *c6 = code;
        return 0;
    case NAT64_ICMP4_ECHO_REPLY:
        *t6 = NAT64_ICMP6_ECHO_REPLY;
        *c6 = code;
        return 0;
    case NAT64_ICMP4_DEST_UNREACH:
        *t6 = NAT64_ICMP6_DEST_UNREACH;
        switch (code) {
        case NAT64_ICMP4_NET_UNREACH:
        case NAT64_ICMP4_HOST_UNREACH:
        case NAT64_ICMP4_SRC_ROUTE_FAILED:
        case NAT64_ICMP4_NET_UNKNOWN:
        case NAT64_ICMP4_HOST_UNKNOWN:
        case NAT64_ICMP4_HOST_ISOLATED:
        case NAT64_ICMP4_NET_TOS:
        case NAT64_ICMP4_HOST_TOS:
            *c6 = NAT64_ICMP6_NO_ROUTE;
            return 0;
        case NAT64_ICMP4_PROTO_UNREACH:
            /* Parameter problem, pointer to the next header. */
            *t6 = NAT64_ICMP6_PARAM_PROB;
            *c6 = NAT64_ICMP6_UNKNOWN_NEXT_HDR;
            return 0;
        case NAT64_ICMP4_PORT_UNREACH:
            *c6 = NAT64_ICMP6_PORT_UNREACH;
            return 0;
        case NAT64_ICMP4_FRAG_NEEDED:
            *t6 = NAT64_ICMP6_PACKET_TOO_BIG;
            *c6 = 0;
            return 0;
        case NAT64_ICMP4_NET_PROHIB:
        case NAT64_ICMP4_HOST_PROHIB:
        case NAT64_ICMP4_ADMIN_PROHIB:
        case NAT64_ICMP4_PREC_CUTOFF:
            *c6 = NAT64_ICMP6_ADMIN_PROHIB;
            return 0;
        default:
            return -1;
        }
    case NAT64_ICMP4_TIME_EXCEEDED:
        *t6 = NAT64_ICMP6_TIME_EXCEEDED;
        *c6 = code;
        return code <= NAT64_ICMP_REASSEMBLY_EXCEEDED ? 0 : -1;
    case NAT64_ICMP4_PARAM_PROB:
        *t6 = NAT64_ICMP6_PARAM_PROB;
        *c6 = NAT64_ICMP6_BAD_HDR_FIELD;
        return (code == NAT64_ICMP4_PTR_ERROR
                || code == NAT64_ICMP4_BAD_LENGTH ? 0 : -1);
    default:
        return -1;
    }
}

/* RFC 7915 Figure 3: IPv4 header byte -> IPv6 header byte. */
static int
nat64_ptr_4to6(uint8_t p)
{
    switch (p) {
    case NAT64_IP4_VER_IHL_OFS:
        return NAT64_IP6_VFC_OFS;
    case NAT64_IP4_TOS_OFS:
        return NAT64_IP6_TCLASS_PTR;
    case NAT64_IP4_TOT_LEN_OFS:
    case NAT64_IP4_TOT_LEN_OFS + 1:
        return NAT64_IP6_PLEN_OFS;
    case NAT64_IP4_TTL_OFS:
        return NAT64_IP6_HLIM_OFS;
    case NAT64_IP4_PROTO_OFS:
        return NAT64_IP6_NXT_OFS;
    case NAT64_IP4_SRC_OFS:
    case NAT64_IP4_SRC_OFS + 1:
    case NAT64_IP4_SRC_OFS + 2:
    case NAT64_IP4_SRC_OFS + 3:
        return NAT64_IP6_SRC_OFS;
    case NAT64_IP4_DST_OFS:
    case NAT64_IP4_DST_OFS + 1:
    case NAT64_IP4_DST_OFS + 2:
    case NAT64_IP4_DST_OFS + 3:
        return NAT64_IP6_DST_OFS;
    default:
        return -1;
    }
}

/* RFC 7915 5.2 type and code mapping. */
static int
nat64_icmp6_map(uint8_t type, uint8_t code, uint8_t *t4, uint8_t *c4)
{
    switch (type) {
    case NAT64_ICMP6_ECHO_REQUEST:
        *t4 = NAT64_ICMP4_ECHO;
        *c4 = code;
        return 0;
    case NAT64_ICMP6_ECHO_REPLY:
        *t4 = NAT64_ICMP4_ECHO_REPLY;
        *c4 = code;
        return 0;
    case NAT64_ICMP6_DEST_UNREACH:
        *t4 = NAT64_ICMP4_DEST_UNREACH;
        switch (code) {
        case NAT64_ICMP6_NO_ROUTE:
        case NAT64_ICMP6_BEYOND_SCOPE:
        case NAT64_ICMP6_ADDR_UNREACH:
            *c4 = NAT64_ICMP4_HOST_UNREACH;
            return 0;
        case NAT64_ICMP6_ADMIN_PROHIB:
            *c4 = NAT64_ICMP4_HOST_PROHIB;
            return 0;
        case NAT64_ICMP6_PORT_UNREACH:
            *c4 = NAT64_ICMP4_PORT_UNREACH;
            return 0;
        default:
            return -1;
        }
    case NAT64_ICMP6_PACKET_TOO_BIG:
        *t4 = NAT64_ICMP4_DEST_UNREACH;
        *c4 = NAT64_ICMP4_FRAG_NEEDED;
        return 0;
    case NAT64_ICMP6_TIME_EXCEEDED:
        *t4 = NAT64_ICMP4_TIME_EXCEEDED;
        *c4 = code;
        return code <= NAT64_ICMP_REASSEMBLY_EXCEEDED ? 0 : -1;
    case NAT64_ICMP6_PARAM_PROB:
        if (code == NAT64_ICMP6_BAD_HDR_FIELD) {
            *t4 = NAT64_ICMP4_PARAM_PROB;
            *c4 = NAT64_ICMP4_PTR_ERROR;
            return 0;
        } else if (code == NAT64_ICMP6_UNKNOWN_NEXT_HDR) {
            *t4 = NAT64_ICMP4_DEST_UNREACH;
            *c4 = NAT64_ICMP4_PROTO_UNREACH;
            return 0;
        }
        return -1;
    default:
        return -1;
    }
}

/* RFC 7915 Figure 6: IPv6 header byte -> IPv4 header byte. */
static int
nat64_ptr_6to4(uint32_t p)
{
    if (p == NAT64_IP6_VFC_OFS || p == NAT64_IP6_TCLASS_PTR) {
        return (int) p;         /* Version and Traffic Class map 1:1. */
    } else if (p == NAT64_IP6_PLEN_OFS || p == NAT64_IP6_PLEN_OFS + 1) {
        return NAT64_IP4_TOT_LEN_OFS;
    } else if (p == NAT64_IP6_NXT_OFS) {
        return NAT64_IP4_PROTO_OFS;
    } else if (p == NAT64_IP6_HLIM_OFS) {
        return NAT64_IP4_TTL_OFS;
    } else if (p >= NAT64_IP6_SRC_OFS && p < NAT64_IP6_DST_OFS) {
        return NAT64_IP4_SRC_OFS;
    } else if (p >= NAT64_IP6_DST_OFS && p < NAT64_IP6_LEN) {
        return NAT64_IP4_DST_OFS;
    }
    return -1;
}

/* Checks the upper layer of an ICMP error's inner packet: an inner ICMP
 * must be an echo (translatable), an inner error is a nested error. */
static enum nat64_drop_reason
nat64_check_inner_l4(const struct nat64_l3 *in, const uint8_t *l4,
                     int from4)
{
    uint8_t icmp = from4 ? NAT64_PROTO_ICMP : NAT64_PROTO_ICMPV6;

    if (in->proto == icmp) {
        if (!in->frag_off && in->l4len >= 1) {
            uint8_t t = l4[NAT64_ICMP_TYPE_OFS];

            if (from4 ? nat64_is_icmp4_error(t) : nat64_is_icmp6_error(t)) {
                return NAT64_DROP_ICMP_NESTED;
            }
            if (from4
                ? t != NAT64_ICMP4_ECHO && t != NAT64_ICMP4_ECHO_REPLY
                : (t != NAT64_ICMP6_ECHO_REQUEST
                   && t != NAT64_ICMP6_ECHO_REPLY)) {
                return NAT64_DROP_ICMP_INNER;
            }
        }
        return NAT64_DROP_NONE;
    }
    if (in->proto == (from4 ? NAT64_PROTO_ICMPV6 : NAT64_PROTO_ICMP)
        || nat64_is_ext_or_bad4(in->proto)) {
        return NAT64_DROP_ICMP_INNER;
    }
    return NAT64_DROP_NONE;
}

/* Adjusts the (maybe truncated) inner upper layer at 'l4' with 'n' bytes
 * present: TCP/UDP checksums for the pseudo-header change 'old' -> 'new_',
 * ICMP echo type and checksum (the ICMPv6 pseudo-header appears or
 * disappears). */
static void
nat64_fix_inner_l4(const struct nat64_l3 *in, uint8_t *l4, size_t n,
                   uint32_t old, uint32_t new_, int from4)
{
    uint16_t csum;

    if (in->frag_off) {
        return;
    }
    switch (in->proto) {
    case NAT64_PROTO_TCP:
        if (n >= NAT64_TCP_CSUM_OFS + 2) {
            csum = nat64_get_be16(l4 + NAT64_TCP_CSUM_OFS);
            nat64_put_be16(l4 + NAT64_TCP_CSUM_OFS,
                           nat64_csum_adjust(csum, old, new_));
        }
        break;
    case NAT64_PROTO_DCCP:
        if (n >= NAT64_DCCP_CSUM_OFS + 2) {
            csum = nat64_get_be16(l4 + NAT64_DCCP_CSUM_OFS);
            nat64_put_be16(l4 + NAT64_DCCP_CSUM_OFS,
                           nat64_csum_adjust(csum, old, new_));
        }
        break;
    case NAT64_PROTO_UDP:
        if (n >= NAT64_UDP_LEN) {
            csum = nat64_get_be16(l4 + NAT64_UDP_CSUM_OFS);
            if (csum) {
                csum = nat64_csum_adjust(csum, old, new_);
                nat64_put_be16(l4 + NAT64_UDP_CSUM_OFS,
                               csum ? csum : 0xffff);
            }
        }
        break;
    case NAT64_PROTO_ICMP:
    case NAT64_PROTO_ICMPV6:
        if (n >= 1) {
            uint8_t t = l4[NAT64_ICMP_TYPE_OFS];
            uint8_t nt = (from4
                          ? (t == NAT64_ICMP4_ECHO ? NAT64_ICMP6_ECHO_REQUEST
                             : NAT64_ICMP6_ECHO_REPLY)
                          : (t == NAT64_ICMP6_ECHO_REQUEST ? NAT64_ICMP4_ECHO
                             : NAT64_ICMP4_ECHO_REPLY));
            uint32_t ph = nat64_pseudo6(in->src6, in->dst6, in->ulen,
                                        NAT64_PROTO_ICMPV6);

            l4[NAT64_ICMP_TYPE_OFS] = nt;
            if (n >= NAT64_ICMP_CSUM_OFS + 2) {
                csum = nat64_get_be16(l4 + NAT64_ICMP_CSUM_OFS);
                if (from4) {
                    csum = nat64_csum_adjust(csum, (uint32_t) t << 8,
                                             ((uint32_t) nt << 8) + ph);
                } else {
                    csum = nat64_csum_adjust(csum, ((uint32_t) t << 8) + ph,
                                             (uint32_t) nt << 8);
                }
                nat64_put_be16(l4 + NAT64_ICMP_CSUM_OFS, csum);
            }
        }
        break;
    default:
        break;
    }
}

/* RFC 4884: the length attribute of an ICMP error with 'ilen' message
 * bytes at 'ic' (in 'unit'-byte words at byte 'at'), if it describes an
 * original datagram field followed by an extension structure (version 2
 * header, RFC 4884 7).  Returns the original datagram field's length, or
 * 0 if the message has no (valid) extension: then the whole rest is the
 * original datagram, as before RFC 4884. */
static size_t
nat64_icmp_ext_split(const uint8_t *ic, size_t ilen, size_t at, size_t unit)
{
    size_t orig = (size_t) ic[at] * unit;

    if (!orig || NAT64_ICMP_HDR_LEN + orig + NAT64_ICMP_EXT_HDR_LEN > ilen
        || (ic[NAT64_ICMP_HDR_LEN + orig] >> 4) != NAT64_ICMP_EXT_VERSION) {
        return 0;
    }
    return orig;
}

/* Length of a translated original datagram field of 'n' bytes followed by
 * an extension: padded to 'unit' and at least the RFC 4884 minimum. */
static size_t
nat64_icmp_ext_pad(size_t n, size_t unit)
{
    n = (n + unit - 1) / unit * unit;
    return n < NAT64_ICMP_EXT_MIN_ORIG ? NAT64_ICMP_EXT_MIN_ORIG : n;
}

static NAT64_NOINLINE enum nat64_verdict
nat64_icmp4_err_to6(struct nat64_ctx *c, struct nat64_l3 *h, uint8_t t6,
                    uint8_t c6)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    uint8_t *ic = pkt->data + l2 + h->hlen;
    size_t ilen = h->l4len;
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    enum nat64_drop_reason r;
    struct nat64_l3 *in = &c->inner;
    size_t ih6, rest, limit, mlen, orig, elen = 0, orig6 = 0;
    uint32_t word = 0;
    uint8_t *il4, *nil4, *p, *nd, *start;

    /* RFC 7915 4.2: an extension survives where ICMPv6 has a length
     * attribute too (Destination Unreachable, Time Exceeded). */
    orig = nat64_icmp_ext_split(ic, ilen, NAT64_ICMP4_LEN_ATTR,
                                NAT64_ICMP4_LEN_UNIT);
    if (orig && (t6 == NAT64_ICMP6_DEST_UNREACH
                 || t6 == NAT64_ICMP6_TIME_EXCEEDED)) {
        elen = ilen - NAT64_ICMP_HDR_LEN - orig;
    }
    r = nat64_parse_ip4(ic + NAT64_ICMP_HDR_LEN,
                        orig ? orig : ilen - NAT64_ICMP_HDR_LEN, 1, in);
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }
    il4 = ic + NAT64_ICMP_HDR_LEN + in->hlen;
    if (nat64_map_src_4to6(cfg, in->src4, in->src6) != NAT64_DROP_NONE
        || nat64_map_dst_4to6(cfg, in->dst4, 0, in->dst6) != NAT64_DROP_NONE) {
        return nat64_drop(c, NAT64_DROP_ICMP_INNER);
    }
    r = nat64_check_inner_l4(in, il4, 1);
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }

    if (t6 == NAT64_ICMP6_PACKET_TOO_BIG) {
        /* RFC 7915 4.2: MTU + 20, plateau if the router gave none, never
         * above our own IPv6 egress MTU. */
        uint32_t mtu = nat64_get_be16(ic + NAT64_ICMP4_MTU_OFS);

        if (!mtu) {
            mtu = nat64_plateau(in->ulen + (uint32_t) in->hlen);
        }
        mtu += NAT64_IP6_IP4_DELTA;
        if (cfg->mtu && mtu > cfg->mtu) {
            mtu = cfg->mtu;
        }
        if (mtu < NAT64_IP6_MIN_MTU) {
            /* RFC 7915 4.2 / RFC 8200 5: IPv6 hosts are never told less
             * than the IPv6 minimum link MTU. */
            mtu = NAT64_IP6_MIN_MTU;
        }
        word = mtu;
    } else if (t6 == NAT64_ICMP6_PARAM_PROB) {
        /* Protocol Unreachable points at the Next Header. */
        int ptr = (ic[NAT64_ICMP_TYPE_OFS] == NAT64_ICMP4_DEST_UNREACH
                   ? NAT64_IP6_NXT_OFS
                   : nat64_ptr_4to6(ic[NAT64_ICMP4_PTR_OFS]));

        if (ptr < 0) {
            return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
        }
        word = (uint32_t) ptr;
    }

    ih6 = NAT64_IP6_LEN + (in->is_frag ? NAT64_FRAG_LEN : 0);
    rest = in->l4len;
    limit = NAT64_ICMP6_ERR_MAX;
    if (cfg->mtu && cfg->mtu < limit) {
        limit = cfg->mtu;
    }
    if (elen) {
        /* Room for the padded original datagram field: whole 64-bit
         * words, at least 128 bytes; else the extension is left out. */
        size_t room = (limit > NAT64_IP6_LEN + NAT64_ICMP_HDR_LEN + elen
                       ? ((limit - NAT64_IP6_LEN - NAT64_ICMP_HDR_LEN - elen)
                          & ~(size_t) (NAT64_ICMP6_LEN_UNIT - 1))
                       : 0);

        if (room < NAT64_ICMP_EXT_MIN_ORIG || room < ih6) {
            elen = 0;
        } else {
            if (ih6 + rest > room) {
                rest = room - ih6;
            }
            orig6 = nat64_icmp_ext_pad(ih6 + rest, NAT64_ICMP6_LEN_UNIT);
            word = (uint32_t) (orig6 / NAT64_ICMP6_LEN_UNIT) << 24;
        }
    }
    if (limit < NAT64_IP6_LEN + NAT64_ICMP_HDR_LEN + ih6) {
        return nat64_drop(c, NAT64_DROP_TOO_BIG);
    }
    if (NAT64_IP6_LEN + NAT64_ICMP_HDR_LEN + ih6 + rest > limit) {
        rest = limit - NAT64_IP6_LEN - NAT64_ICMP_HDR_LEN - ih6;
    }
    /* The new inner upper layer: where it is, or, with an extension, so
     * that the extension (the message's last bytes) stays in place. */
    nil4 = elen ? ic + ilen - elen - orig6 + ih6 : il4;
    start = nil4 - ih6 - NAT64_ICMP_HDR_LEN - NAT64_IP6_LEN - l2;
    if (start < pkt->data && (size_t) (pkt->data - start) > pkt->headroom) {
        return nat64_drop(c, NAT64_DROP_NO_ROOM);
    }

    /* Nothing fails past this point. */
    nat64_copy_l2(eth, pkt->data, l2);
    nat64_fix_inner_l4(in, il4, rest,
                       nat64_sum_ip4(in->src4) + nat64_sum_ip4(in->dst4),
                       nat64_sum_ip6(in->src6) + nat64_sum_ip6(in->dst6), 1);
    if (elen) {
        memmove(nil4, il4, rest);
        memset(nil4 + rest, 0, orig6 - ih6 - rest);
    }
    p = nil4 - ih6;
    nat64_write_ip6(p, in,
                    in->proto == NAT64_PROTO_ICMP ? NAT64_PROTO_ICMPV6
                                                 : in->proto,
                    in->ulen, in->ttl);
    p -= NAT64_ICMP_HDR_LEN;
    p[NAT64_ICMP_TYPE_OFS] = t6;
    p[NAT64_ICMP_CODE_OFS] = c6;
    nat64_put_be16(p + NAT64_ICMP_CSUM_OFS, 0);
    nat64_put_be32(p + NAT64_ICMP_WORD_OFS, word);
    mlen = NAT64_ICMP_HDR_LEN + (elen ? orig6 + elen : ih6 + rest);
    nat64_put_be16(p + NAT64_ICMP_CSUM_OFS,
                   nat64_checksum(nat64_pseudo6(h->src6, h->dst6,
                                                (uint32_t) mlen,
                                                NAT64_PROTO_ICMPV6),
                                  p, mlen));
    nd = nat64_put_hdrs6(c, h, eth, p, NAT64_PROTO_ICMPV6, (uint32_t) mlen);
    nat64_commit(c, nd, l2 + NAT64_IP6_LEN + mlen);
    nat64_result_ok(c, NAT64_ETH_P_IPV6, (uint16_t) (l2 + NAT64_IP6_LEN),
                    NAT64_PROTO_ICMPV6);
    return NAT64_OK;
}

enum nat64_verdict
nat64_icmp4_to6(struct nat64_ctx *c, struct nat64_l3 *h)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    uint8_t *ic = pkt->data + l2 + h->hlen;
    size_t ilen = h->l4len;
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    uint8_t type, t6, c6;
    uint16_t csum;
    uint8_t *nd;

    if (ilen < NAT64_ICMP_HDR_LEN) {
        return nat64_drop(c, NAT64_DROP_BAD_L4_HDR);
    }
    if (nat64_fold(nat64_sum_bytes(0, ic, ilen)) != 0xffff) {
        return nat64_drop(c, NAT64_DROP_BAD_L4_HDR);
    }
    type = ic[NAT64_ICMP_TYPE_OFS];
    if (nat64_icmp4_map(type, ic[NAT64_ICMP_CODE_OFS], &t6, &c6)) {
        return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
    }
    if (type != NAT64_ICMP4_ECHO && type != NAT64_ICMP4_ECHO_REPLY) {
        return nat64_icmp4_err_to6(c, h, t6, c6);
    }

    if (nat64_over_limit(cfg, h, NAT64_IP6_LEN + ilen)) {
        if (h->df) {
            return nat64_too_big_4to6(c, h);
        }
        c->res->verdict = NAT64_FRAGMENT;
        return NAT64_FRAGMENT;
    }
    if (NAT64_IP6_LEN > h->hlen
        && pkt->headroom < NAT64_IP6_LEN - h->hlen) {
        return nat64_drop(c, NAT64_DROP_NO_ROOM);
    }
    csum = nat64_csum_adjust(nat64_get_be16(ic + NAT64_ICMP_CSUM_OFS),
                             (uint32_t) type << 8, ((uint32_t) t6 << 8)
                             + nat64_pseudo6(h->src6, h->dst6,
                                             (uint32_t) ilen,
                                             NAT64_PROTO_ICMPV6));
    nat64_copy_l2(eth, pkt->data, l2);
    ic[NAT64_ICMP_TYPE_OFS] = t6;
    ic[NAT64_ICMP_CODE_OFS] = c6;
    nat64_put_be16(ic + NAT64_ICMP_CSUM_OFS, csum);
    nd = nat64_put_hdrs6(c, h, eth, ic, NAT64_PROTO_ICMPV6, (uint32_t) ilen);
    nat64_commit(c, nd, l2 + NAT64_IP6_LEN + ilen);
    nat64_result_ok(c, NAT64_ETH_P_IPV6, (uint16_t) (l2 + NAT64_IP6_LEN),
                    NAT64_PROTO_ICMPV6);
    return NAT64_OK;
}

static NAT64_NOINLINE enum nat64_verdict
nat64_icmp6_err_to4(struct nat64_ctx *c, struct nat64_l3 *h, uint8_t t4,
                    uint8_t c4)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    uint8_t *ic = pkt->data + l2 + h->hlen;
    size_t ilen = h->l4len;
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    enum nat64_drop_reason r;
    struct nat64_l3 *in = &c->inner;
    size_t rest, limit, mlen, orig, elen = 0, orig4 = 0;
    uint32_t word = 0;
    uint16_t id, frag_field, oid, ofrag;
    uint8_t *il4, *nil4, *p, *nd, *start;

    /* RFC 7915 5.2: ICMPv6 Destination Unreachable and Time Exceeded
     * carry a length attribute that ICMPv4 has too. */
    orig = nat64_icmp_ext_split(ic, ilen, NAT64_ICMP6_LEN_ATTR,
                                NAT64_ICMP6_LEN_UNIT);
    if (orig && (ic[NAT64_ICMP_TYPE_OFS] == NAT64_ICMP6_DEST_UNREACH
                 || ic[NAT64_ICMP_TYPE_OFS] == NAT64_ICMP6_TIME_EXCEEDED)) {
        elen = ilen - NAT64_ICMP_HDR_LEN - orig;
    }
    r = nat64_parse_ip6(ic + NAT64_ICMP_HDR_LEN,
                        orig ? orig : ilen - NAT64_ICMP_HDR_LEN, 1, in);
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }
    il4 = ic + NAT64_ICMP_HDR_LEN + in->hlen;
    if (nat64_map_src_6to4(cfg, in->src6, in->src4) != NAT64_DROP_NONE
        || nat64_map_dst_6to4(cfg, in->dst6, in->dst4) != NAT64_DROP_NONE) {
        return nat64_drop(c, NAT64_DROP_ICMP_INNER);
    }
    r = nat64_check_inner_l4(in, il4, 0);
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }

    if (ic[NAT64_ICMP_TYPE_OFS] == NAT64_ICMP6_PACKET_TOO_BIG) {
        /* RFC 7915 5.2: MTU - 20, and 8 more if the packet in error had
         * a Fragment header; never above our IPv4 egress MTU. */
        uint32_t mtu = nat64_get_be32(ic + NAT64_ICMP6_MTU_OFS);
        uint32_t less = (NAT64_IP6_IP4_DELTA
                         + (in->is_frag ? NAT64_FRAG_LEN : 0));

        mtu = (mtu > NAT64_IP4_MIN_MTU + less ? mtu - less
               : NAT64_IP4_MIN_MTU);
        if (cfg->mtu && mtu > cfg->mtu - NAT64_IP6_IP4_DELTA
            && cfg->mtu > NAT64_IP4_MIN_MTU + NAT64_IP6_IP4_DELTA) {
            /* Our IPv6 link carries cfg->mtu, i.e. IPv4 packets of at
             * most cfg->mtu - 20 after translation. */
            mtu = cfg->mtu - NAT64_IP6_IP4_DELTA;
        }
        word = mtu > 0xffff ? 0xffff : mtu;
    } else if (t4 == NAT64_ICMP4_PARAM_PROB) {
        int ptr = nat64_ptr_6to4(nat64_get_be32(ic + NAT64_ICMP6_PTR_OFS));

        if (ptr < 0) {
            return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
        }
        word = (uint32_t) ptr << 24;
    }

    rest = in->l4len;
    limit = NAT64_ICMP4_ERR_MAX;
    if (cfg->mtu && cfg->mtu < limit) {
        limit = cfg->mtu;
    }
    if (elen) {
        size_t room = (limit > NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN + elen
                       ? ((limit - NAT64_IP4_LEN - NAT64_ICMP_HDR_LEN - elen)
                          & ~(size_t) (NAT64_ICMP4_LEN_UNIT - 1))
                       : 0);

        if (room < NAT64_ICMP_EXT_MIN_ORIG) {
            elen = 0;
        } else {
            if (NAT64_IP4_LEN + rest > room) {
                rest = room - NAT64_IP4_LEN;
            }
            orig4 = nat64_icmp_ext_pad(NAT64_IP4_LEN + rest,
                                       NAT64_ICMP4_LEN_UNIT);
            word |= (uint32_t) (orig4 / NAT64_ICMP4_LEN_UNIT) << 16;
        }
    }
    if (limit < 2 * NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN) {
        return nat64_drop(c, NAT64_DROP_TOO_BIG);
    }
    if (2 * NAT64_IP4_LEN + NAT64_ICMP_HDR_LEN + rest > limit) {
        rest = limit - 2 * NAT64_IP4_LEN - NAT64_ICMP_HDR_LEN;
    }
    nil4 = elen ? ic + ilen - elen - orig4 + NAT64_IP4_LEN : il4;
    start = nil4 - NAT64_IP4_LEN - NAT64_ICMP_HDR_LEN - NAT64_IP4_LEN - l2;
    if (start < pkt->data && (size_t) (pkt->data - start) > pkt->headroom) {
        return nat64_drop(c, NAT64_DROP_NO_ROOM);
    }
    mlen = NAT64_ICMP_HDR_LEN + (elen ? orig4 + elen : NAT64_IP4_LEN + rest);
    /* From the ICMPv6 header, which the new message may overwrite. */
    nat64_ip4_id_frag(h, ic, NAT64_IP4_LEN + mlen, &oid, &ofrag);

    /* Nothing fails past this point. */
    nat64_copy_l2(eth, pkt->data, l2);
    nat64_fix_inner_l4(in, il4, rest,
                       nat64_sum_ip6(in->src6) + nat64_sum_ip6(in->dst6),
                       nat64_sum_ip4(in->src4) + nat64_sum_ip4(in->dst4), 0);
    if (elen) {
        memmove(nil4, il4, rest);
        memset(nil4 + rest, 0, orig4 - NAT64_IP4_LEN - rest);
    }
    p = nil4 - NAT64_IP4_LEN;
    if (in->is_frag) {
        id = (uint16_t) in->id;
        frag_field = (uint16_t) (in->frag_off
                                 | (in->mf ? NAT64_IP4_MF : 0));
    } else {
        id = 0;
        frag_field = nat64_ip4_df_field(in->ulen + NAT64_IP4_LEN);
    }
    nat64_write_ip4(p, in,
                    in->proto == NAT64_PROTO_ICMPV6 ? NAT64_PROTO_ICMP
                                                   : in->proto,
                    in->ulen, in->ttl, id, frag_field);
    p -= NAT64_ICMP_HDR_LEN;
    p[NAT64_ICMP_TYPE_OFS] = t4;
    p[NAT64_ICMP_CODE_OFS] = c4;
    nat64_put_be16(p + NAT64_ICMP_CSUM_OFS, 0);
    nat64_put_be32(p + NAT64_ICMP_WORD_OFS, word);
    nat64_put_be16(p + NAT64_ICMP_CSUM_OFS, nat64_checksum(0, p, mlen));
    nd = nat64_put_hdrs4(c, h, eth, p, NAT64_PROTO_ICMP, (uint32_t) mlen,
                         oid, ofrag);
    nat64_commit(c, nd, l2 + NAT64_IP4_LEN + mlen);
    nat64_result_ok(c, NAT64_ETH_P_IP, (uint16_t) (l2 + NAT64_IP4_LEN),
                    NAT64_PROTO_ICMP);
    return NAT64_OK;
}

enum nat64_verdict
nat64_icmp6_to4(struct nat64_ctx *c, struct nat64_l3 *h)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    uint8_t *ic = pkt->data + l2 + h->hlen;
    size_t ilen = h->l4len;
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    uint16_t csum, id, frag_field;
    uint32_t ph;
    uint8_t type, t4, c4;
    uint8_t *nd;

    if (ilen < NAT64_ICMP_HDR_LEN) {
        return nat64_drop(c, NAT64_DROP_BAD_L4_HDR);
    }
    ph = nat64_pseudo6(h->src6, h->dst6, (uint32_t) ilen,
                       NAT64_PROTO_ICMPV6);
    if (nat64_fold(nat64_sum_bytes(ph, ic, ilen)) != 0xffff) {
        return nat64_drop(c, NAT64_DROP_BAD_L4_HDR);
    }
    type = ic[NAT64_ICMP_TYPE_OFS];
    if (nat64_icmp6_map(type, ic[NAT64_ICMP_CODE_OFS], &t4, &c4)) {
        return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
    }
    if (type != NAT64_ICMP6_ECHO_REQUEST && type != NAT64_ICMP6_ECHO_REPLY) {
        return nat64_icmp6_err_to4(c, h, t4, c4);
    }

    if (cfg->mtu && NAT64_IP4_LEN + ilen > cfg->mtu) {
        return nat64_too_big_6to4(c, h);
    }
    csum = nat64_csum_adjust(nat64_get_be16(ic + NAT64_ICMP_CSUM_OFS),
                             ((uint32_t) type << 8) + ph,
                             (uint32_t) t4 << 8);
    nat64_ip4_id_frag(h, ic, NAT64_IP4_LEN + ilen, &id, &frag_field);
    nat64_copy_l2(eth, pkt->data, l2);
    ic[NAT64_ICMP_TYPE_OFS] = t4;
    ic[NAT64_ICMP_CODE_OFS] = c4;
    nat64_put_be16(ic + NAT64_ICMP_CSUM_OFS, csum);
    nd = nat64_put_hdrs4(c, h, eth, ic, NAT64_PROTO_ICMP, (uint32_t) ilen,
                         id, frag_field);
    nat64_commit(c, nd, l2 + NAT64_IP4_LEN + ilen);
    nat64_result_ok(c, NAT64_ETH_P_IP, (uint16_t) (l2 + NAT64_IP4_LEN),
                    NAT64_PROTO_ICMP);
    return NAT64_OK;
}
