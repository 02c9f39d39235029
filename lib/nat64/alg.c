/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the ALG entry point from the UDP paths of
 * ip.c.  Picks the ALG by port, bounds the message by the MTU and the
 * buffer, and keeps the UDP length and checksum right.
 */
#include "alg.h"

/* Sum of the pseudo-header of 'h' before translation for 'n' UDP
 * bytes. */
static uint32_t
nat64_alg_pseudo(const struct nat64_l3 *h, size_t n, int from4)
{
    return (from4
            ? nat64_pseudo4(h->src4, h->dst4, (uint32_t) n, NAT64_PROTO_UDP)
            : nat64_pseudo6(h->src6, h->dst6, (uint32_t) n,
                            NAT64_PROTO_UDP));
}

enum nat64_drop_reason
nat64_alg_udp(struct nat64_ctx *c, struct nat64_l3 *h, uint8_t *l4,
              enum nat64_direction dir)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    int from4 = dir == NAT64_4TO6;
    size_t hdr = from4 ? NAT64_IP6_LEN : NAT64_IP4_LEN;
    uint8_t *end = pkt->data + pkt->len + pkt->tailroom;
    enum nat64_alg_verdict v;
    struct nat64_alg_msg m;
    size_t new_len, n;
    uint16_t csum;

    /* Only whole datagrams: a fragment's payload cannot be rewritten
     * without the others. */
    if (h->is_frag || h->l4len < NAT64_UDP_LEN
        || !nat64_alg_port(cfg->alg, l4)) {
        return NAT64_DROP_NONE;
    }
    /* What the caller would refuse anyway (too big, no head room) is
     * left to it, untouched. */
    if (from4 && pkt->headroom + h->hlen < hdr) {
        return NAT64_DROP_NONE;
    }
    m.cfg = cfg;
    m.dir = dir;
    m.msg = l4 + NAT64_UDP_LEN;
    m.len = h->l4len - NAT64_UDP_LEN;
    m.room = (size_t) (end - m.msg);
    m.limit = NAT64_ALG_MAX_MSG;
    if (cfg->mtu) {
        if (cfg->mtu < hdr + NAT64_UDP_LEN + m.len) {
            return NAT64_DROP_NONE;
        }
        if (cfg->mtu - hdr - NAT64_UDP_LEN < m.limit) {
            m.limit = cfg->mtu - hdr - NAT64_UDP_LEN;
        }
    }
    if (m.len > NAT64_ALG_MAX_MSG) {
        return NAT64_DROP_NONE;
    }
    /* A corrupted datagram is forwarded as it is, for its receiver to
     * discard: a checksum computed over our rewrite would hide the
     * damage.  (Zero: IPv4 without checksum.) */
    csum = nat64_get_be16(l4 + NAT64_UDP_CSUM_OFS);
    if (csum && nat64_fold(nat64_sum_bytes(nat64_alg_pseudo(h, h->l4len,
                                                            from4),
                                           l4, h->l4len)) != 0xffff) {
        return NAT64_DROP_NONE;
    }

    if (nat64_get_be16(l4 + NAT64_UDP_SRC_OFS) == NAT64_ALG_MDNS_PORT
        || nat64_get_be16(l4 + NAT64_UDP_DST_OFS) == NAT64_ALG_MDNS_PORT) {
        v = (cfg->alg & NAT64_ALG_MDNS) ? nat64_alg_mdns(&m, &new_len)
                                        : NAT64_ALG_PASS;
    } else {
        v = nat64_alg_ssdp(&m, &new_len);
    }
    switch (v) {
    case NAT64_ALG_PASS:
        return NAT64_DROP_NONE;
    case NAT64_ALG_DROP:
        return NAT64_DROP_ALG_TOO_BIG;
    case NAT64_ALG_DONE:
        break;
    }

    n = new_len + NAT64_UDP_LEN;
    h->l4len = n;
    h->ulen = (uint32_t) n;
    nat64_put_be16(l4 + NAT64_UDP_LEN_OFS, (uint16_t) n);
    if (csum) {
        nat64_put_be16(l4 + NAT64_UDP_CSUM_OFS, 0);
        csum = nat64_checksum(nat64_alg_pseudo(h, n, from4), l4, n);
        nat64_put_be16(l4 + NAT64_UDP_CSUM_OFS, csum ? csum : 0xffff);
    }
    return NAT64_DROP_NONE;
}
