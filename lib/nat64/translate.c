/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the public entry point nat64_translate() and
 * the per-frame dispatch (Ethernet and 802.1Q parsing) to the fast paths
 * (fast.h, inlined here), ip.c (IPv4, IPv6) and nd.c (ARP).  The top of
 * the call graph: nothing calls back into this file.
 */
#include "fast.h"

/* Everything but an untagged frame the fast paths took.  Tagged frames
 * get the fast paths here if 'try_fast'; the unit tests pass 0 to check
 * that the fast paths produce what the general path does. */
NAT64_NOINLINE enum nat64_verdict
nat64_translate_general(const struct nat64_config *cfg,
                        enum nat64_direction dir, struct nat64_pkt *pkt,
                        struct nat64_reply_buf *reply,
                        struct nat64_result *result, int try_fast)
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
    type = nat64_get_be16(pkt->data + NAT64_ETH_TYPE_OFS);
    if (type == NAT64_ETH_P_8021Q || type == NAT64_ETH_P_8021AD) {
        /* One customer tag is kept; an 802.1ad tag or a second tag would
         * need a policy we do not have. */
        if (type == NAT64_ETH_P_8021AD) {
            return nat64_drop(&c, NAT64_DROP_VLAN);
        }
        if (pkt->len < NAT64_ETH_LEN + NAT64_VLAN_LEN) {
            return nat64_drop(&c, NAT64_DROP_TRUNCATED);
        }
        type = nat64_get_be16(pkt->data + NAT64_ETH_TYPE_OFS
                              + NAT64_VLAN_LEN);
        if (type == NAT64_ETH_P_8021Q || type == NAT64_ETH_P_8021AD) {
            return nat64_drop(&c, NAT64_DROP_VLAN);
        }
        c.l2len += NAT64_VLAN_LEN;
    }

    switch (dir) {
    case NAT64_4TO6:
        if (type == NAT64_ETH_P_IP) {
            if (try_fast && c.l2len > NAT64_ETH_LEN
                && nat64_fast_4to6(cfg, pkt, c.l2len, result)) {
                return NAT64_OK;
            }
            return nat64_ip4_to6(&c);
        } else if (type == NAT64_ETH_P_ARP) {
            return nat64_arp_to_nd(&c);
        }
        break;
    case NAT64_6TO4:
        if (type == NAT64_ETH_P_IPV6) {
            if (try_fast && c.l2len > NAT64_ETH_LEN
                && nat64_fast_6to4(cfg, pkt, c.l2len, result)) {
                return NAT64_OK;
            }
            return nat64_ip6_to4(&c);
        }
        break;
    default:
        break;
    }
    return nat64_drop(&c, NAT64_DROP_NOT_IP);
}

enum nat64_verdict
nat64_translate(const struct nat64_config *cfg, enum nat64_direction dir,
                struct nat64_pkt *pkt, struct nat64_reply_buf *reply,
                struct nat64_result *result)
{
    /* The length checks first: shorter frames are never taken by a fast
     * path, and they let the compiler drop the fast paths' own checks. */
    if (dir == NAT64_6TO4) {
        if (NAT64_LIKELY(pkt->len >= NAT64_ETH_LEN + NAT64_FAST_MIN6)
            && (nat64_ld16(pkt->data + NAT64_ETH_TYPE_OFS)
                == nat64_htons(NAT64_ETH_P_IPV6))
            && nat64_fast_6to4(cfg, pkt, NAT64_ETH_LEN, result)) {
            return NAT64_OK;
        }
    } else if (dir == NAT64_4TO6) {
        if (NAT64_LIKELY(pkt->len >= NAT64_ETH_LEN + NAT64_FAST_MIN4)
            && (nat64_ld16(pkt->data + NAT64_ETH_TYPE_OFS)
                == nat64_htons(NAT64_ETH_P_IP))
            && nat64_fast_4to6(cfg, pkt, NAT64_ETH_LEN, result)) {
            return NAT64_OK;
        }
    }
    return nat64_translate_general(cfg, dir, pkt, reply, result, 1);
}
