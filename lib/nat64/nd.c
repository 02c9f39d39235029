/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: ARP <-> IPv6 Neighbor Discovery.
 *
 *   ARP request              <-> NS to the target's solicited-node group,
 *                                SLLA = ARP sender hardware address
 *   ARP probe (sender 0)     <-> DAD NS (source ::, no SLLA)
 *   ARP reply                <-> NA, solicited + override, TLLA, unicast
 *   gratuitous ARP           <-> unsolicited NA to ff02::1 (override)
 *   (sender IP == target IP)     (6to4 emits an ARP announcement, i.e. a
 *                                request, RFC 5227 3)
 *
 * ND is validated as RFC 4861 7.1.1 / 7.1.2 says (hop limit 255, code 0,
 * checksum, option lengths, target not multicast, no SLLA in DAD).  Link-
 * layer address options must be Ethernet-sized (else ND_OPTION); other
 * options, such as the DAD nonce (RFC 7527), are ignored as RFC 4861
 * requires of unknown options: ARP has nowhere to carry them.  RS, RA and
 * Redirect have no ARP counterpart (ICMP_TYPE); MLD is dropped with
 * ICMP_TYPE by the ICMP translator.
 */
#include "nat64-private.h"

#define NAT64_ND_OPT_SLLA 1
#define NAT64_ND_OPT_TLLA 2
#define NAT64_NA_SOLICITED 0x40
#define NAT64_NA_OVERRIDE 0x20
/* RFC 4861 7.1: ND is sent, and accepted, with hop limit 255 only. */
#define NAT64_ND_HOP_LIMIT 255


/* ff02::1:ff00:0/104, the solicited-node prefix (RFC 4291 2.7.1). */
static const uint8_t nat64_ip6_sn_prefix[16] = {
    0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, 0, 0, 0
};

enum nat64_verdict
nat64_arp_to_nd(struct nat64_ctx *c)
{
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    const uint8_t *a = pkt->data + l2;
    uint8_t sha[6], spa[4], tha[6], tpa[4];
    uint8_t type, flags = 0, *nd, *ip, *ic;
    struct nat64_a6 src, dst, tgt;
    uint64_t head, sum;
    size_t icmp_len, total;
    uint16_t op;
    int probe;

    /* Ethernet (1), IPv4, hardware size 6, protocol size 4. */
    if (pkt->len - l2 < NAT64_ARP_LEN
        || nat64_ld32(a) != nat64_htonl(0x00010000 | NAT64_ETH_P_IP)
        || nat64_ld16(a + 4) != nat64_htons(0x0604)) {
        return nat64_drop(c, NAT64_DROP_BAD_ARP);
    }
    op = nat64_get_be16(a + 6);
    memcpy(sha, a + 8, 6);
    memcpy(spa, a + 14, 4);
    memcpy(tha, a + 18, 6);
    memcpy(tpa, a + 24, 4);
    if (op != 1 && op != 2) {
        return nat64_drop(c, NAT64_DROP_ARP_OP);
    }
    probe = !nat64_ld32(spa);
    if (nat64_eth_is_group(sha) || !nat64_ip4_is_unicast(tpa)
        || (!probe && !nat64_ip4_is_unicast(spa)) || (probe && op == 2)) {
        return nat64_drop(c, NAT64_DROP_BAD_ARP);
    }

    if (!probe && nat64_is_protected4(c->cfg, spa)) {
        /* A tenant claiming a service-side address would take it over
         * in the service host's neighbour cache. */
        return nat64_drop(c, NAT64_DROP_PROTECTED_SRC);
    }

    if (nat64_ld32(spa) == nat64_ld32(tpa)) {
        type = NAT64_ND_NA;     /* Gratuitous: announce to all nodes. */
        flags = NAT64_NA_OVERRIDE;
    } else if (op == 1) {
        type = NAT64_ND_NS;
    } else {
        type = NAT64_ND_NA;
        flags = NAT64_NA_SOLICITED | NAT64_NA_OVERRIDE;
    }
    icmp_len = 24 + (probe ? 0 : 8);
    total = l2 + NAT64_IP6_LEN + icmp_len;
    if (total > l2 + NAT64_ARP_LEN
        && pkt->headroom < total - l2 - NAT64_ARP_LEN) {
        return nat64_drop(c, NAT64_DROP_NO_ROOM);
    }

    /* Nothing fails past this point.  The new frame ends where the ARP
     * message did (padding is freed), its Ethernet header ends before the
     * old one starts.  Addresses and message words are built in registers
     * (struct nat64_a6), stored whole and summed from the registers: the
     * checksum never reads back what was just written. */
    nd = pkt->data + l2 + NAT64_ARP_LEN - total;
    ip = nd + l2;
    ic = ip + NAT64_IP6_LEN;
    nat64_copy_l2(nd, pkt->data, l2);
    if (probe) {
        src.w[0] = src.w[1] = 0;
    } else {
        nat64_a6_embed(c->cfg, spa, &src);
    }
    if (type == NAT64_ND_NS) {
        /* RFC 4291 2.7.1: the target's solicited-node group. */
        nat64_a6_embed(c->cfg, tpa, &tgt);
        memcpy(&dst, nat64_ip6_sn_prefix, 16);
        dst.w[1] |= nat64_join64(0, nat64_u64_second32(tgt.w[1])
                                    & nat64_htonl(0x00ffffff));
    } else {
        tgt = src;                          /* Target: the ARP sender. */
        if (flags & NAT64_NA_SOLICITED) {
            nat64_a6_embed(c->cfg, tpa, &dst);
            if (nat64_eth_is_group(nd)) {
                memcpy(nd, tha, 6);         /* Broadcast reply: unicast. */
            }
        } else {
            memcpy(&dst, nat64_ip6_all_nodes, 16);
        }
    }
    nat64_put_be16(ip - 2, NAT64_ETH_P_IPV6);
    nat64_put_be32(ip, 6u << 28);
    nat64_put_be32(ip + 4, (uint32_t) icmp_len << 16
                           | NAT64_PROTO_ICMPV6 << 8 | NAT64_ND_HOP_LIMIT);
    memcpy(ip + 8, &src, 16);
    memcpy(ip + 24, &dst, 16);
    if (nat64_a6_is_mcast(&dst)) {
        nat64_eth_mcast_4to6(nd, ip + 24);
    }
    head = nat64_join64(nat64_htonl((uint32_t) type << 24),
                        nat64_htonl((uint32_t) flags << 24));
    memcpy(ic, &head, 8);
    memcpy(ic + 8, &tgt, 16);
    /* Pseudo-header (RFC 8200 8.1) and message. */
    sum = nat64_add64c(nat64_a6_sum(&src), nat64_a6_sum(&dst));
    sum = nat64_add64c(sum, nat64_a6_sum(&tgt));
    sum = nat64_add64c(sum, head);
    sum = nat64_add64c(sum, nat64_htonl((uint32_t) icmp_len
                                        + NAT64_PROTO_ICMPV6));
    if (!probe) {
        uint64_t opt = nat64_htonll((uint64_t) (type == NAT64_ND_NS
                                                ? NAT64_ND_OPT_SLLA
                                                : NAT64_ND_OPT_TLLA) << 56
                                    | 1ull << 48
                                    | (uint64_t) nat64_get_be16(sha) << 32
                                    | nat64_get_be32(sha + 2));

        memcpy(ic + 24, &opt, 8);
        sum = nat64_add64c(sum, opt);
    }
    nat64_st16(ic + 2, (uint16_t) ~nat64_fold64(sum));
    nat64_commit(c, nd, total);
    nat64_result_ok(c, NAT64_ETH_P_IPV6, (uint16_t) (l2 + NAT64_IP6_LEN),
                    NAT64_PROTO_ICMPV6);
    return NAT64_OK;
}

enum nat64_verdict
nat64_nd_to_arp(struct nat64_ctx *c, struct nat64_l3 *h)
{
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    const uint8_t *ic = pkt->data + l2 + h->hlen;
    size_t n = h->l4len, off;
    uint8_t sha[6], spa[4], tha[6], tpa[4];
    const uint8_t *lla = NULL;
    int bcast = 0;
    uint8_t type = ic[0], *nd, *a;
    uint32_t sum;
    int unspec;
    uint16_t op;

    if (type != NAT64_ND_NS && type != NAT64_ND_NA) {
        return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
    }
    if (h->ttl != NAT64_ND_HOP_LIMIT || ic[1] != 0 || n < 24
        || nat64_ip6_is_mcast(ic + 8)) {
        return nat64_drop(c, NAT64_DROP_BAD_ND);
    }
    if (h->hlen == NAT64_IP6_LEN && !(n & 7) && n <= 64) {
        /* Usual case: pseudo-header addresses and message contiguous. */
        sum = nat64_sum_small(ic - 32, 32 + n) + (uint32_t) n
              + NAT64_PROTO_ICMPV6;
    } else {
        sum = nat64_sum_bytes(nat64_pseudo6(h->src6, h->dst6, (uint32_t) n,
                                            NAT64_PROTO_ICMPV6), ic, n);
    }
    if (nat64_fold(sum) != 0xffff) {
        return nat64_drop(c, NAT64_DROP_BAD_ND);
    }
    for (off = 24; off < n; ) {     /* 'off' grows by >= 8 every round. */
        size_t olen;

        if (n - off < 2 || !ic[off + 1]) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        olen = (size_t) ic[off + 1] * 8;
        if (olen > n - off) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        if (ic[off] == (type == NAT64_ND_NS ? NAT64_ND_OPT_SLLA
                                            : NAT64_ND_OPT_TLLA)) {
            if (olen != 8) {
                return nat64_drop(c, NAT64_DROP_ND_OPTION);
            }
            lla = ic + off + 2;
        }
        off += olen;
    }

    memcpy(sha, lla ? lla : pkt->data + 6, 6);
    if (nat64_eth_is_group(sha)) {
        return nat64_drop(c, NAT64_DROP_BAD_ND);
    }
    unspec = !memcmp(h->src6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    if (type == NAT64_ND_NS) {
        if (unspec && lla) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        if (nat64_addr_6to4(c->cfg, ic + 8, tpa)
            || !nat64_ip4_is_unicast(tpa)) {
            return nat64_drop(c, NAT64_DROP_DST_NOT_MAPPED);
        }
        if (unspec) {
            memset(spa, 0, 4);      /* DAD -> ARP probe. */
        } else if (nat64_map_src_6to4(c->cfg, h->src6, spa)
                   != NAT64_DROP_NONE) {
            return nat64_drop(c, NAT64_DROP_SRC_NOT_MAPPED);
        }
        op = 1;
        memset(tha, 0, 6);
        bcast = nat64_eth_is_group(pkt->data);
    } else {
        if (unspec) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        if (nat64_addr_6to4(c->cfg, ic + 8, spa)
            || !nat64_ip4_is_unicast(spa)) {
            return nat64_drop(c, NAT64_DROP_SRC_NOT_MAPPED);
        }
        if (nat64_ip6_is_mcast(h->dst6)) {
            /* RFC 4861 7.1.2: a multicast NA is never solicited. */
            if (ic[4] & NAT64_NA_SOLICITED) {
                return nat64_drop(c, NAT64_DROP_BAD_ND);
            }
            op = 1;                 /* Gratuitous ARP announcement. */
            memcpy(tpa, spa, 4);
            memset(tha, 0, 6);
            bcast = 1;
        } else {
            if (nat64_map_dst_6to4(c->cfg, h->dst6, tpa)
                != NAT64_DROP_NONE) {
                return nat64_drop(c, NAT64_DROP_DST_NOT_MAPPED);
            }
            op = 2;
            memcpy(tha, pkt->data, 6);
        }
    }

    /* The ARP frame ends where the ND message did, so its Ethernet header
     * starts past the old one (which is at least 40 + 24 bytes longer). */
    nd = pkt->data + l2 + h->hlen + n - (l2 + NAT64_ARP_LEN);
    nat64_copy_l2(nd, pkt->data, l2);
    if (bcast) {
        memset(nd, 0xff, 6);
    }
    nat64_put_be16(nd + l2 - 2, NAT64_ETH_P_ARP);
    a = nd + l2;
    nat64_put_be16(a, 1);
    nat64_put_be16(a + 2, NAT64_ETH_P_IP);
    a[4] = 6;
    a[5] = 4;
    nat64_put_be16(a + 6, op);
    memcpy(a + 8, sha, 6);
    memcpy(a + 14, spa, 4);
    memcpy(a + 18, tha, 6);
    memcpy(a + 24, tpa, 4);
    nat64_commit(c, nd, l2 + NAT64_ARP_LEN);
    nat64_result_ok(c, NAT64_ETH_P_ARP, 0, 0);
    return NAT64_OK;
}
