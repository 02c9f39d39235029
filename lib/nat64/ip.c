/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the general path of one IPv4 or IPv6 packet
 * (RFC 7915 4.1, 5.1): it parses and checks the packet with the header
 * primitives of hdr.c and hands it to the protocol's translator: ICMP
 * (icmp.c), ND (nd.c), too big (frag.c), or TCP, UDP (with the ALGs of
 * alg.c) and every other protocol here (4.5, 5.5), TCP MSS clamping.
 *
 * Translation is in place: the upper-layer bytes stay where they are and
 * the new Ethernet and IP headers are written right in front of them, so
 * the frame grows or shrinks at its head.  Every check that can drop a
 * frame runs before the first byte is written.
 */
#include "nat64-private.h"
#include "alg.h"

/* Clamps the MSS option of the TCP SYN at 'tcp' ('len' bytes present) to
 * 'limit', accounting the change in '*old' and '*new_' (checksum word
 * sums: a byte at an even offset is a high byte). */
static void
nat64_mss_clamp(uint8_t *tcp, size_t len, unsigned int limit,
                uint32_t *old, uint32_t *new_)
{
    size_t doff = (size_t) (tcp[NAT64_TCP_DOFF_OFS] >> 4) * 4;
    size_t i = NAT64_TCP_MIN_LEN;   /* The options follow the header. */

    if (doff > len) {
        doff = len;
    }
    if (limit < NAT64_TCP_DEFAULT_MSS) {
        return;                 /* MTU too small to mean anything. */
    }
    while (i < doff) {          /* 'i' grows every round. */
        uint8_t kind = tcp[i];
        size_t olen;

        if (kind == NAT64_TCP_OPT_EOL) {
            break;
        }
        if (kind == NAT64_TCP_OPT_NOP) {
            i++;
            continue;
        }
        if (i + NAT64_TCP_OPT_LEN_OFS >= doff) {
            break;
        }
        olen = tcp[i + NAT64_TCP_OPT_LEN_OFS];
        if (olen < NAT64_TCP_OPT_DATA_OFS || olen > doff - i) {
            break;
        }
        if (kind == NAT64_TCP_OPT_MSS && olen == NAT64_TCP_OPT_MSS_LEN) {
            uint16_t mss = nat64_get_be16(tcp + i + NAT64_TCP_OPT_DATA_OFS);

            if (mss > limit) {
                size_t k = i + NAT64_TCP_OPT_DATA_OFS;
                int odd = k & 1;

                *old += odd ? ((uint32_t) tcp[k] + ((uint32_t) tcp[k + 1]
                                                     << 8))
                            : mss;
                nat64_put_be16(tcp + k, (uint16_t) limit);
                *new_ += odd ? ((uint32_t) tcp[k] + ((uint32_t) tcp[k + 1]
                                                      << 8))
                             : limit;
            }
            return;
        }
        i += olen;
    }
}

/* Updates the TCP or UDP checksum at 'l4' for the pseudo-header change
 * from address sum 'old' to 'new_', clamping a SYN's MSS to 'mss'. */
static void
nat64_fix_l4(const struct nat64_ctx *c, const struct nat64_l3 *h,
             uint8_t *l4, uint32_t old, uint32_t new_, unsigned int mss)
{
    uint16_t csum;

    if (h->frag_off) {
        return;
    }
    if (h->proto == NAT64_PROTO_TCP) {
        if ((l4[NAT64_TCP_FLAGS_OFS] & NAT64_TCP_SYN) && c->cfg->mss_clamp
            && c->cfg->mtu) {
            nat64_mss_clamp(l4, h->l4len, mss, &old, &new_);
        }
        csum = nat64_get_be16(l4 + NAT64_TCP_CSUM_OFS);
        nat64_put_be16(l4 + NAT64_TCP_CSUM_OFS,
                       nat64_csum_adjust(csum, old, new_));
    } else if (h->proto == NAT64_PROTO_DCCP) {
        /* RFC 4340 9.1: the pseudo-header is always covered. */
        csum = nat64_get_be16(l4 + NAT64_DCCP_CSUM_OFS);
        nat64_put_be16(l4 + NAT64_DCCP_CSUM_OFS,
                       nat64_csum_adjust(csum, old, new_));
    } else if (h->proto == NAT64_PROTO_UDP) {
        csum = nat64_get_be16(l4 + NAT64_UDP_CSUM_OFS);
        if (!csum) {
            /* RFC 7915 4.5: compute it, the datagram is whole. */
            csum = nat64_checksum(nat64_pseudo6(h->src6, h->dst6,
                                                (uint32_t) h->l4len,
                                                NAT64_PROTO_UDP),
                                  l4, h->l4len);
        } else {
            csum = nat64_csum_adjust(csum, old, new_);
        }
        nat64_put_be16(l4 + NAT64_UDP_CSUM_OFS, csum ? csum : 0xffff);
    }
}

enum nat64_verdict
nat64_ip4_to6(struct nat64_ctx *c)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    uint8_t *d = pkt->data;
    size_t l2 = c->l2len;
    enum nat64_drop_reason r;
    struct nat64_l3 *h = &c->outer;
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    uint8_t *l4, *nd;
    size_t hdr6;

    h->l3 = l2;
    r = nat64_parse_ip4(d + l2, pkt->len - l2, 0, h);
    if (r == NAT64_DROP_IP4_SRC_ROUTE) {
        /* RFC 7915 4.1: Destination Unreachable, Source Route Failed. */
        return nat64_reply_icmp4(c, h, NAT64_ICMP4_DEST_UNREACH,
                                 NAT64_ICMP4_SRC_ROUTE_FAILED, 0, r);
    }
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }
    if (cfg->dec_ttl) {
        if (h->ttl <= 1) {
            return nat64_reply_icmp4(c, h, NAT64_ICMP4_TIME_EXCEEDED,
                                     NAT64_ICMP_TTL_EXCEEDED, 0,
                                     NAT64_DROP_TTL_EXPIRED);
        }
        h->ttl--;
    }
    l4 = d + l2 + h->hlen;
    r = nat64_map_4to6_outer(cfg, h, l4, nat64_eth_is_bcast(d));
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }
    if (h->proto == NAT64_PROTO_ICMP) {
        if (h->is_frag) {
            return nat64_drop(c, NAT64_DROP_FRAG_ICMP);
        }
        return nat64_icmp4_to6(c, h);
    }
    if (nat64_is_ext_or_bad4(h->proto)) {
        return nat64_drop(c, NAT64_DROP_UNKNOWN_PROTO);
    }
    r = nat64_check_l4(h, l4, 1);
    if (r == NAT64_DROP_NONE && cfg->alg && h->proto == NAT64_PROTO_UDP) {
        r = nat64_alg_udp(c, h, l4, NAT64_4TO6);
    }
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }

    hdr6 = NAT64_IP6_LEN + (h->is_frag ? NAT64_FRAG_LEN : 0);
    if (nat64_over_limit(cfg, h, hdr6 + h->l4len)) {
        if (h->df) {
            return nat64_too_big_4to6(c, h);
        }
        c->res->verdict = NAT64_FRAGMENT;
        return NAT64_FRAGMENT;
    }
    if (hdr6 > h->hlen && pkt->headroom < hdr6 - h->hlen) {
        return nat64_drop(c, NAT64_DROP_NO_ROOM);
    }

    nat64_fix_l4(c, h, l4,
                 nat64_sum_ip4(h->src4) + nat64_sum_ip4(h->dst4),
                 nat64_sum_ip6(h->src6) + nat64_sum_ip6(h->dst6),
                 (cfg->mtu > NAT64_IP6_LEN + NAT64_TCP_MIN_LEN
                  ? cfg->mtu - (NAT64_IP6_LEN + NAT64_TCP_MIN_LEN) : 0));

    nat64_copy_l2(eth, d, l2);
    nd = nat64_put_hdrs6(c, h, eth, l4, h->proto, (uint32_t) h->l4len);
    nat64_commit(c, nd, l2 + hdr6 + h->l4len);
    if (h->frag_off) {
        nat64_result_ok(c, NAT64_ETH_P_IPV6, 0, 0);
    } else {
        nat64_result_ok(c, NAT64_ETH_P_IPV6, (uint16_t) (l2 + hdr6),
                        h->proto);
    }
    return NAT64_OK;
}

enum nat64_verdict
nat64_ip6_to4(struct nat64_ctx *c)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    uint8_t *d = pkt->data;
    size_t l2 = c->l2len;
    enum nat64_drop_reason r;
    struct nat64_l3 *h = &c->outer;
    uint8_t eth[NAT64_ETH_LEN + NAT64_VLAN_LEN];
    uint8_t *l4, *nd;
    uint16_t id, frag_field;
    size_t tot;

    h->l3 = l2;
    r = nat64_parse_ip6(d + l2, pkt->len - l2, 0, h);
    if (r == NAT64_DROP_IP6_ROUTING) {
        /* RFC 7915 5.1: Parameter Problem pointing at Segments Left. */
        return nat64_reply_icmp6(c, h, NAT64_ICMP6_PARAM_PROB,
                                 NAT64_ICMP6_BAD_HDR_FIELD,
                                 (uint32_t) h->hlen + NAT64_RT_SEGLEFT_OFS,
                                 r);
    }
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }
    l4 = d + l2 + h->hlen;
    if (h->proto == NAT64_PROTO_ICMPV6) {
        /* An atomic fragment (offset 0, M 0) holds the whole message:
         * it translates (RFC 7915 1.2 only excludes fragmented ICMP). */
        if (h->mf || h->frag_off) {
            return nat64_drop(c, NAT64_DROP_FRAG_ICMP);
        }
        if (h->l4len < NAT64_ICMP_WORD_OFS) {   /* Type, code, checksum. */
            return nat64_drop(c, NAT64_DROP_BAD_L4_HDR);
        }
        if (l4[NAT64_ICMP_TYPE_OFS] >= NAT64_ND_RS
            && l4[NAT64_ICMP_TYPE_OFS] <= NAT64_ND_REDIRECT) {
            if (h->is_frag) {
                /* RFC 6980 5: ND with a Fragment header is ignored. */
                return nat64_drop(c, NAT64_DROP_BAD_ND);
            }
            return nat64_nd_to_arp(c, h);
        }
    }
    if (cfg->dec_ttl) {
        if (h->ttl <= 1) {
            return nat64_reply_icmp6(c, h, NAT64_ICMP6_TIME_EXCEEDED,
                                     NAT64_ICMP_TTL_EXCEEDED, 0,
                                     NAT64_DROP_TTL_EXPIRED);
        }
        h->ttl--;
    }
    r = nat64_map_6to4_outer(cfg, h, l4);
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }
    if (h->proto == NAT64_PROTO_ICMPV6) {
        return nat64_icmp6_to4(c, h);
    }
    if (h->proto == NAT64_PROTO_ICMP || nat64_is_ext_or_bad4(h->proto)) {
        return nat64_drop(c, NAT64_DROP_UNKNOWN_PROTO);
    }
    r = nat64_check_l4(h, l4, 0);
    if (r == NAT64_DROP_NONE && cfg->alg && h->proto == NAT64_PROTO_UDP) {
        r = nat64_alg_udp(c, h, l4, NAT64_6TO4);
    }
    if (r != NAT64_DROP_NONE) {
        return nat64_drop(c, r);
    }

    tot = NAT64_IP4_LEN + h->l4len;
    if (cfg->mtu && tot > cfg->mtu) {
        return nat64_too_big_6to4(c, h);
    }
    nat64_ip4_id_frag(h, l4, tot, &id, &frag_field);

    if (!h->frag_off) {
        uint32_t old = nat64_sum_ip6(h->src6) + nat64_sum_ip6(h->dst6);
        uint32_t new_ = nat64_sum_ip4(h->src4) + nat64_sum_ip4(h->dst4);

        if (h->proto == NAT64_PROTO_TCP) {
            uint16_t csum;

            if ((l4[NAT64_TCP_FLAGS_OFS] & NAT64_TCP_SYN) && cfg->mss_clamp
                && cfg->mtu) {
                nat64_mss_clamp(l4, h->l4len,
                                (cfg->mtu > NAT64_IP4_LEN + NAT64_TCP_MIN_LEN
                                 ? (cfg->mtu
                                    - (NAT64_IP4_LEN + NAT64_TCP_MIN_LEN))
                                 : 0),
                                &old, &new_);
            }
            csum = nat64_get_be16(l4 + NAT64_TCP_CSUM_OFS);
            nat64_put_be16(l4 + NAT64_TCP_CSUM_OFS,
                           nat64_csum_adjust(csum, old, new_));
        } else if (h->proto == NAT64_PROTO_UDP) {
            uint16_t csum = nat64_get_be16(l4 + NAT64_UDP_CSUM_OFS);

            csum = nat64_csum_adjust(csum, old, new_);
            nat64_put_be16(l4 + NAT64_UDP_CSUM_OFS, csum ? csum : 0xffff);
        } else if (h->proto == NAT64_PROTO_DCCP) {
            uint16_t csum = nat64_get_be16(l4 + NAT64_DCCP_CSUM_OFS);

            nat64_put_be16(l4 + NAT64_DCCP_CSUM_OFS,
                           nat64_csum_adjust(csum, old, new_));
        }
    }

    nat64_copy_l2(eth, d, l2);
    nd = nat64_put_hdrs4(c, h, eth, l4, h->proto, (uint32_t) h->l4len, id,
                         frag_field);
    nat64_commit(c, nd, l2 + tot);
    if (h->frag_off) {
        nat64_result_ok(c, NAT64_ETH_P_IP, 0, 0);
    } else {
        nat64_result_ok(c, NAT64_ETH_P_IP, (uint16_t) (l2 + NAT64_IP4_LEN),
                        h->proto);
    }
    return NAT64_OK;
}
