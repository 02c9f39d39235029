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
/* RFC 4861 4.3, 4.4, 4.6: NS and NA messages (the NA flags byte, the
 * target address, then options) and their options (type, length in
 * 8-byte units, data); a link-layer address option for Ethernet is one
 * unit long (RFC 2464 6). */
#define NAT64_ND_FLAGS_OFS 4
#define NAT64_ND_TARGET_OFS 8
#define NAT64_ND_OPTS_OFS 24
#define NAT64_ND_OPT_TYPE_OFS 0
#define NAT64_ND_OPT_LEN_OFS 1
#define NAT64_ND_OPT_DATA_OFS 2
#define NAT64_ND_OPT_UNIT 8
#define NAT64_ND_LLA_OPT_LEN 8
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
        || (nat64_ld32(a + NAT64_ARP_HTYPE_OFS)
            != nat64_htonl((uint32_t) NAT64_ARP_HTYPE_ETH << 16
                           | NAT64_ETH_P_IP))
        || (nat64_ld16(a + NAT64_ARP_HLEN_OFS)
            != nat64_htons(NAT64_ETH_ADDR_LEN << 8 | NAT64_IP4_ADDR_LEN))) {
        return nat64_drop(c, NAT64_DROP_BAD_ARP);
    }
    op = nat64_get_be16(a + NAT64_ARP_OP_OFS);
    memcpy(sha, a + NAT64_ARP_SHA_OFS, NAT64_ETH_ADDR_LEN);
    memcpy(spa, a + NAT64_ARP_SPA_OFS, NAT64_IP4_ADDR_LEN);
    memcpy(tha, a + NAT64_ARP_THA_OFS, NAT64_ETH_ADDR_LEN);
    memcpy(tpa, a + NAT64_ARP_TPA_OFS, NAT64_IP4_ADDR_LEN);
    if (op != NAT64_ARP_OP_REQUEST && op != NAT64_ARP_OP_REPLY) {
        return nat64_drop(c, NAT64_DROP_ARP_OP);
    }
    probe = !nat64_ld32(spa);
    if (nat64_eth_is_group(sha) || !nat64_ip4_is_unicast(tpa)
        || (!probe && !nat64_ip4_is_unicast(spa))
        || (probe && op == NAT64_ARP_OP_REPLY)) {
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
    } else if (op == NAT64_ARP_OP_REQUEST) {
        type = NAT64_ND_NS;
    } else {
        type = NAT64_ND_NA;
        flags = NAT64_NA_SOLICITED | NAT64_NA_OVERRIDE;
    }
    icmp_len = NAT64_ND_OPTS_OFS + (probe ? 0 : NAT64_ND_LLA_OPT_LEN);
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
                /* Broadcast reply: unicast. */
                memcpy(nd + NAT64_ETH_DST_OFS, tha, NAT64_ETH_ADDR_LEN);
            }
        } else {
            memcpy(&dst, nat64_ip6_all_nodes, 16);
        }
    }
    nat64_put_be16(ip - NAT64_ETH_TYPE_LEN, NAT64_ETH_P_IPV6);
    nat64_put_be32(ip + NAT64_IP6_VFC_OFS,
                   (uint32_t) NAT64_IP6_VERSION << 28);
    /* Payload length, next header and hop limit in one word. */
    nat64_put_be32(ip + NAT64_IP6_PLEN_OFS,
                   (uint32_t) icmp_len << 16
                   | NAT64_PROTO_ICMPV6 << 8 | NAT64_ND_HOP_LIMIT);
    memcpy(ip + NAT64_IP6_SRC_OFS, &src, 16);
    memcpy(ip + NAT64_IP6_DST_OFS, &dst, 16);
    if (nat64_a6_is_mcast(&dst)) {
        nat64_eth_mcast_4to6(nd + NAT64_ETH_DST_OFS, ip + NAT64_IP6_DST_OFS);
    }
    head = nat64_join64(nat64_htonl((uint32_t) type << 24),
                        nat64_htonl((uint32_t) flags << 24));
    memcpy(ic, &head, NAT64_ICMP_HDR_LEN);
    memcpy(ic + NAT64_ND_TARGET_OFS, &tgt, 16);
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
                                    | (uint64_t) (NAT64_ND_LLA_OPT_LEN
                                                  / NAT64_ND_OPT_UNIT) << 48
                                    | (uint64_t) nat64_get_be16(sha) << 32
                                    | nat64_get_be32(sha + 2));

        memcpy(ic + NAT64_ND_OPTS_OFS, &opt, NAT64_ND_LLA_OPT_LEN);
        sum = nat64_add64c(sum, opt);
    }
    nat64_st16(ic + NAT64_ICMP_CSUM_OFS, (uint16_t) ~nat64_fold64(sum));
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
    uint8_t type = ic[NAT64_ICMP_TYPE_OFS], *nd, *a;
    uint32_t sum;
    int unspec;
    uint16_t op;

    if (type != NAT64_ND_NS && type != NAT64_ND_NA) {
        return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
    }
    if (h->ttl != NAT64_ND_HOP_LIMIT || ic[NAT64_ICMP_CODE_OFS] != 0
        || n < NAT64_ND_OPTS_OFS
        || nat64_ip6_is_mcast(ic + NAT64_ND_TARGET_OFS)) {
        return nat64_drop(c, NAT64_DROP_BAD_ND);
    }
    if (h->hlen == NAT64_IP6_LEN && !(n & 7) && n <= 64) {
        /* Usual case: pseudo-header addresses and message contiguous. */
        size_t addrs = NAT64_IP6_LEN - NAT64_IP6_SRC_OFS;

        sum = nat64_sum_small(ic - addrs, addrs + n) + (uint32_t) n
              + NAT64_PROTO_ICMPV6;
    } else {
        sum = nat64_sum_bytes(nat64_pseudo6(h->src6, h->dst6, (uint32_t) n,
                                            NAT64_PROTO_ICMPV6), ic, n);
    }
    if (nat64_fold(sum) != 0xffff) {
        return nat64_drop(c, NAT64_DROP_BAD_ND);
    }
    /* 'off' grows by >= 8 every round. */
    for (off = NAT64_ND_OPTS_OFS; off < n; ) {
        size_t olen;

        if (n - off < NAT64_ND_OPT_DATA_OFS
            || !ic[off + NAT64_ND_OPT_LEN_OFS]) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        olen = (size_t) ic[off + NAT64_ND_OPT_LEN_OFS] * NAT64_ND_OPT_UNIT;
        if (olen > n - off) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        if (ic[off + NAT64_ND_OPT_TYPE_OFS] == (type == NAT64_ND_NS
                                                ? NAT64_ND_OPT_SLLA
                                                : NAT64_ND_OPT_TLLA)) {
            if (olen != NAT64_ND_LLA_OPT_LEN) {
                return nat64_drop(c, NAT64_DROP_ND_OPTION);
            }
            lla = ic + off + NAT64_ND_OPT_DATA_OFS;
        }
        off += olen;
    }

    memcpy(sha, lla ? lla : pkt->data + NAT64_ETH_SRC_OFS, NAT64_ETH_ADDR_LEN);
    if (nat64_eth_is_group(sha)) {
        return nat64_drop(c, NAT64_DROP_BAD_ND);
    }
    unspec = !memcmp(h->src6, "\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 16);
    if (type == NAT64_ND_NS) {
        if (unspec && lla) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        if (nat64_addr_6to4(c->cfg, ic + NAT64_ND_TARGET_OFS, tpa)
            || !nat64_ip4_is_unicast(tpa)) {
            return nat64_drop(c, NAT64_DROP_DST_NOT_MAPPED);
        }
        if (unspec) {
            memset(spa, 0, 4);      /* DAD -> ARP probe. */
        } else if (nat64_map_src_6to4(c->cfg, h->src6, spa)
                   != NAT64_DROP_NONE) {
            return nat64_drop(c, NAT64_DROP_SRC_NOT_MAPPED);
        }
        op = NAT64_ARP_OP_REQUEST;
        memset(tha, 0, NAT64_ETH_ADDR_LEN);
        bcast = nat64_eth_is_group(pkt->data + NAT64_ETH_DST_OFS);
    } else {
        if (unspec) {
            return nat64_drop(c, NAT64_DROP_BAD_ND);
        }
        if (nat64_addr_6to4(c->cfg, ic + NAT64_ND_TARGET_OFS, spa)
            || !nat64_ip4_is_unicast(spa)) {
            return nat64_drop(c, NAT64_DROP_SRC_NOT_MAPPED);
        }
        if (nat64_ip6_is_mcast(h->dst6)) {
            /* RFC 4861 7.1.2: a multicast NA is never solicited. */
            if (ic[NAT64_ND_FLAGS_OFS] & NAT64_NA_SOLICITED) {
                return nat64_drop(c, NAT64_DROP_BAD_ND);
            }
            op = NAT64_ARP_OP_REQUEST;  /* Gratuitous ARP announcement. */
            memcpy(tpa, spa, NAT64_IP4_ADDR_LEN);
            memset(tha, 0, NAT64_ETH_ADDR_LEN);
            bcast = 1;
        } else {
            if (nat64_map_dst_6to4(c->cfg, h->dst6, tpa)
                != NAT64_DROP_NONE) {
                return nat64_drop(c, NAT64_DROP_DST_NOT_MAPPED);
            }
            op = NAT64_ARP_OP_REPLY;
            memcpy(tha, pkt->data + NAT64_ETH_DST_OFS, NAT64_ETH_ADDR_LEN);
        }
    }

    /* The ARP frame ends where the ND message did, so its Ethernet header
     * starts past the old one (which is at least 40 + 24 bytes longer). */
    nd = pkt->data + l2 + h->hlen + n - (l2 + NAT64_ARP_LEN);
    nat64_copy_l2(nd, pkt->data, l2);
    if (bcast) {
        memset(nd + NAT64_ETH_DST_OFS, 0xff, NAT64_ETH_ADDR_LEN);
    }
    nat64_put_be16(nd + l2 - NAT64_ETH_TYPE_LEN, NAT64_ETH_P_ARP);
    a = nd + l2;
    nat64_put_be16(a + NAT64_ARP_HTYPE_OFS, NAT64_ARP_HTYPE_ETH);
    nat64_put_be16(a + NAT64_ARP_PTYPE_OFS, NAT64_ETH_P_IP);
    a[NAT64_ARP_HLEN_OFS] = NAT64_ETH_ADDR_LEN;
    a[NAT64_ARP_PLEN_OFS] = NAT64_IP4_ADDR_LEN;
    nat64_put_be16(a + NAT64_ARP_OP_OFS, op);
    memcpy(a + NAT64_ARP_SHA_OFS, sha, NAT64_ETH_ADDR_LEN);
    memcpy(a + NAT64_ARP_SPA_OFS, spa, NAT64_IP4_ADDR_LEN);
    memcpy(a + NAT64_ARP_THA_OFS, tha, NAT64_ETH_ADDR_LEN);
    memcpy(a + NAT64_ARP_TPA_OFS, tpa, NAT64_IP4_ADDR_LEN);
    nat64_commit(c, nd, l2 + NAT64_ARP_LEN);
    nat64_result_ok(c, NAT64_ETH_P_ARP, 0, 0);
    return NAT64_OK;
}
