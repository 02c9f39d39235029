/*
 * ovs-nat64 translator core: the per-frame dispatch (Ethernet and 802.1Q
 * parsing) and, inlined into it, straight-line fast paths for the common
 * case, a whole unicast TCP (not SYN) or UDP (checksum set) packet with a
 * /96 prefix, no IPv4 options, no IPv6 extension headers, no TTL
 * decrement, no MTU trouble.  Anything else returns 0 and takes the
 * general path in ip.c, which produces the same bytes (and the drop
 * reasons): the fast paths only skip work, they decide nothing.
 *
 * Checksum arithmetic here runs on native-order words (RFC 1071 2(B)):
 * the pseudo-header change of a /96 translation is twice the sum of the
 * 96-bit prefix, since the embedded IPv4 words cancel out.
 */
#include "nat64-private.h"

static inline uint32_t
nat64_fold64(uint64_t sum)
{
    sum = (sum & 0xffffffffu) + (sum >> 32);
    sum = (sum & 0xffffffffu) + (sum >> 32);
    return nat64_fold((uint32_t) sum);
}

/* Native-order sum of the 12 prefix bytes, folded. */
static inline uint32_t
nat64_prefix_sum(const struct nat64_config *cfg)
{
    return nat64_fold64((uint64_t) nat64_ld32(cfg->prefix)
                        + nat64_ld32(cfg->prefix + 4)
                        + nat64_ld32(cfg->prefix + 8));
}

/* Copies the Ethernet header (and 802.1Q tag) from 'from' to 'to'; the
 * two ranges do not overlap because the frame moves by 20 bytes. */
static inline void
nat64_move_eth(uint8_t *to, const uint8_t *from, size_t l2)
{
    memcpy(to, from, 12);
    if (l2 > NAT64_ETH_LEN) {
        memcpy(to + 12, from + 12, 4);
    }
}

static inline int
nat64_fast_4to6(struct nat64_ctx *c)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    uint8_t *d = pkt->data;
    uint8_t *ip = d + l2;
    uint8_t *l4 = ip + NAT64_IP4_LEN;
    uint8_t *nd, *ip6;
    uint32_t src, dst, tot, l4len, acc;
    uint16_t csum;
    size_t csum_ofs;
    uint8_t tos, ttl, proto;

    if (cfg->prefix_len != 96 || cfg->dec_ttl
        || pkt->headroom < NAT64_IP6_LEN - NAT64_IP4_LEN
        || pkt->len - l2 < NAT64_IP4_LEN + 8 || ip[0] != 0x45
        || (d[0] & 1)) {
        return 0;
    }
    tot = nat64_get_be16(ip + 2);
    l4len = tot - NAT64_IP4_LEN;
    proto = ip[9];
    if (tot > pkt->len - l2 || tot < NAT64_IP4_LEN + 8
        || (nat64_get_be16(ip + 6) & 0x3fff)
        || ip[12] == 0 || ip[12] >= 224 || ip[16] >= 224 || ip[19] == 255
        || (cfg->mtu && NAT64_IP6_LEN + l4len > cfg->mtu)) {
        return 0;
    }
    if (proto == NAT64_PROTO_TCP) {
        if (l4len < 20 || (l4[13] & 0x02)) {
            return 0;
        }
        csum_ofs = 16;
    } else if (proto == NAT64_PROTO_UDP) {
        if (!nat64_ld16(l4 + 6)) {
            return 0;
        }
        csum_ofs = 6;
    } else {
        return 0;
    }
    if (nat64_fold64((uint64_t) nat64_ld32(ip) + nat64_ld32(ip + 4)
                     + nat64_ld32(ip + 8) + nat64_ld32(ip + 12)
                     + nat64_ld32(ip + 16)) != 0xffff) {
        return 0;
    }

    /* Checkpoint passed: nothing below fails. */
    acc = (uint16_t) ~nat64_ld16(l4 + csum_ofs) + 2 * nat64_prefix_sum(cfg);
    csum = (uint16_t) ~nat64_fold(acc);
    nat64_st16(l4 + csum_ofs,
               csum || proto != NAT64_PROTO_UDP ? csum : 0xffff);

    tos = ip[1];
    ttl = ip[8];
    src = nat64_ld32(ip + 12);
    dst = nat64_ld32(ip + 16);
    nd = d - (NAT64_IP6_LEN - NAT64_IP4_LEN);
    nat64_move_eth(nd, d, l2);
    nat64_put_be16(nd + l2 - 2, NAT64_ETH_P_IPV6);
    ip6 = nd + l2;
    nat64_put_be32(ip6, (6u << 28) | ((uint32_t) tos << 20));
    nat64_put_be16(ip6 + 4, (uint16_t) l4len);
    ip6[6] = proto;
    ip6[7] = ttl;
    memcpy(ip6 + 8, cfg->prefix, 12);
    memcpy(ip6 + 20, &src, 4);
    memcpy(ip6 + 24, cfg->prefix, 12);
    memcpy(ip6 + 36, &dst, 4);

    pkt->tailroom += pkt->len - (l2 + tot);
    pkt->headroom -= NAT64_IP6_LEN - NAT64_IP4_LEN;
    pkt->data = nd;
    pkt->len = l2 + NAT64_IP6_LEN + l4len;
    nat64_result_ok(c, NAT64_ETH_P_IPV6, (uint16_t) (l2 + NAT64_IP6_LEN),
                    proto);
    return 1;
}

static NAT64_NOINLINE int
nat64_fast_6to4(struct nat64_ctx *c)
{
    const struct nat64_config *cfg = c->cfg;
    struct nat64_pkt *pkt = c->pkt;
    size_t l2 = c->l2len;
    uint8_t *d = pkt->data;
    uint8_t *ip = d + l2;
    uint8_t *l4 = ip + NAT64_IP6_LEN;
    uint8_t *nd, *ip4;
    uint32_t plen, tot, src, dst, acc;
    uint16_t csum, id, frag_field;
    size_t csum_ofs;
    uint8_t tos, ttl, proto;

    if (cfg->prefix_len != 96 || cfg->dec_ttl
        || pkt->len - l2 < NAT64_IP6_LEN + 8 || (ip[0] >> 4) != 6
        || (d[0] & 1)) {
        return 0;
    }
    plen = nat64_get_be16(ip + 4);
    tot = NAT64_IP4_LEN + plen;
    proto = ip[6];
    if (plen > pkt->len - l2 - NAT64_IP6_LEN || plen < 8
        || (cfg->mtu && tot > cfg->mtu)
        || memcmp(ip + 8, cfg->prefix, 12) || memcmp(ip + 24, cfg->prefix, 12)
        || ip[20] == 0 || ip[20] >= 224 || ip[36] == 0 || ip[36] >= 224) {
        return 0;
    }
    if (proto == NAT64_PROTO_TCP) {
        if (plen < 20 || (l4[13] & 0x02)) {
            return 0;
        }
        csum_ofs = 16;
    } else if (proto == NAT64_PROTO_UDP) {
        if (!nat64_ld16(l4 + 6)) {
            return 0;
        }
        csum_ofs = 6;
    } else {
        return 0;
    }

    /* Checkpoint passed: nothing below fails.  The id is taken from the
     * L4 bytes before their checksum changes, as in ip.c. */
    if (tot > 1260) {
        id = 0;
        frag_field = 0x4000;
    } else {
        id = nat64_pseudo_id(plen, l4);
        frag_field = 0;
    }
    acc = (uint16_t) ~nat64_ld16(l4 + csum_ofs)
          + (uint16_t) ~nat64_fold(2 * nat64_prefix_sum(cfg));
    csum = (uint16_t) ~nat64_fold(acc);
    nat64_st16(l4 + csum_ofs,
               csum || proto != NAT64_PROTO_UDP ? csum : 0xffff);

    tos = (uint8_t) (nat64_get_be16(ip) >> 4);
    ttl = ip[7];
    src = nat64_ld32(ip + 20);
    dst = nat64_ld32(ip + 36);
    nd = d + (NAT64_IP6_LEN - NAT64_IP4_LEN);
    nat64_move_eth(nd, d, l2);
    nat64_put_be16(nd + l2 - 2, NAT64_ETH_P_IP);
    ip4 = nd + l2;
    ip4[0] = 0x45;
    ip4[1] = tos;
    nat64_put_be16(ip4 + 2, (uint16_t) tot);
    nat64_put_be16(ip4 + 4, id);
    nat64_put_be16(ip4 + 6, frag_field);
    ip4[8] = ttl;
    ip4[9] = proto;
    nat64_st16(ip4 + 10, 0);
    memcpy(ip4 + 12, &src, 4);
    memcpy(ip4 + 16, &dst, 4);
    nat64_st16(ip4 + 10,
               (uint16_t) ~nat64_fold64((uint64_t) nat64_ld32(ip4)
                                        + nat64_ld32(ip4 + 4)
                                        + nat64_ld32(ip4 + 8)
                                        + src + dst));

    pkt->tailroom += pkt->len - (l2 + NAT64_IP6_LEN + plen);
    pkt->headroom += NAT64_IP6_LEN - NAT64_IP4_LEN;
    pkt->data = nd;
    pkt->len = l2 + tot;
    nat64_result_ok(c, NAT64_ETH_P_IP, (uint16_t) (l2 + NAT64_IP4_LEN),
                    proto);
    return 1;
}

enum nat64_verdict
nat64_translate(const struct nat64_config *cfg, enum nat64_direction dir,
                struct nat64_pkt *pkt, struct nat64_reply_buf *reply,
                struct nat64_result *result)
{
    struct nat64_ctx c;
    uint16_t type;

    c.cfg = cfg;
    c.pkt = pkt;
    c.reply = reply;
    c.res = result;
    c.l2len = NAT64_ETH_LEN;

    result->verdict = NAT64_DROP;
    result->reason = NAT64_DROP_NONE;
    result->reply_len = 0;
    result->ethertype = 0;
    result->l3_ofs = 0;
    result->l4_ofs = 0;
    result->l4_proto = 0;

    if (pkt->len < NAT64_ETH_LEN) {
        return nat64_drop(&c, NAT64_DROP_TRUNCATED);
    }
    type = nat64_get_be16(pkt->data + 12);
    if (type == NAT64_ETH_P_8021Q || type == NAT64_ETH_P_8021AD) {
        /* One customer tag is kept; an 802.1ad tag or a second tag would
         * need a policy we do not have. */
        if (type == NAT64_ETH_P_8021AD) {
            return nat64_drop(&c, NAT64_DROP_VLAN);
        }
        if (pkt->len < NAT64_ETH_LEN + NAT64_VLAN_LEN) {
            return nat64_drop(&c, NAT64_DROP_TRUNCATED);
        }
        type = nat64_get_be16(pkt->data + 16);
        if (type == NAT64_ETH_P_8021Q || type == NAT64_ETH_P_8021AD) {
            return nat64_drop(&c, NAT64_DROP_VLAN);
        }
        c.l2len += NAT64_VLAN_LEN;
    }

    switch (dir) {
    case NAT64_4TO6:
        if (type == NAT64_ETH_P_IP) {
            return nat64_fast_4to6(&c) ? NAT64_OK : nat64_ip4_to6(&c);
        } else if (type == NAT64_ETH_P_ARP) {
            return nat64_arp_to_nd(&c);
        }
        break;
    case NAT64_6TO4:
        if (type == NAT64_ETH_P_IPV6) {
            return nat64_fast_6to4(&c) ? NAT64_OK : nat64_ip6_to4(&c);
        }
        break;
    default:
        break;
    }
    return nat64_drop(&c, NAT64_DROP_NOT_IP);
}
