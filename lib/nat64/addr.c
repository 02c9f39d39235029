/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: RFC 6052 address mapping, link-scope
 * multicast and broadcast mapping, Ethernet multicast addresses.
 */
#include "nat64-private.h"

void
nat64_addr_4to6(const struct nat64_config *cfg, const uint8_t ip4[4],
                uint8_t ip6[16])
{
    unsigned int pos, i;

    if (cfg->prefix_len == 96) {
        memcpy(ip6, cfg->prefix, NAT64_ADDR6_V4_OFS96);
        memcpy(ip6 + NAT64_ADDR6_V4_OFS96, ip4, 4);
        return;
    }
    /* RFC 6052 2.2: the IPv4 bytes follow the prefix, skipping the
     * u-octet (bits 64..71); the u-octet and the suffix are zero. */
    memcpy(ip6, cfg->prefix, 16);
    memset(ip6 + NAT64_ADDR6_U_OCTET, 0, 16 - NAT64_ADDR6_U_OCTET);
    pos = cfg->prefix_len / 8;
    for (i = 0; i < 4; i++) {
        if (pos == NAT64_ADDR6_U_OCTET) {
            pos++;
        }
        ip6[pos++] = ip4[i];
    }
}

int
nat64_addr_6to4(const struct nat64_config *cfg, const uint8_t ip6[16],
                uint8_t ip4[4])
{
    unsigned int pos, i;

    if (cfg->prefix_len == 96) {
        if (memcmp(ip6, cfg->prefix, NAT64_ADDR6_V4_OFS96)) {
            return -1;
        }
        memcpy(ip4, ip6 + NAT64_ADDR6_V4_OFS96, 4);
        return 0;
    }
    if (cfg->prefix_len < 32 || cfg->prefix_len > 64
        || cfg->prefix_len % 8) {
        return -1;
    }
    pos = cfg->prefix_len / 8;
    /* Prefix and u-octet must match; the suffix past the IPv4 bytes is
     * ignored (RFC 6052 2.2: translators SHOULD ignore it). */
    if (memcmp(ip6, cfg->prefix, pos) || ip6[NAT64_ADDR6_U_OCTET]) {
        return -1;
    }
    for (i = 0; i < 4; i++) {
        if (pos == NAT64_ADDR6_U_OCTET) {
            pos++;
        }
        ip4[i] = ip6[pos++];
    }
    return 0;
}

int
nat64_ip4_is_mcast(const uint8_t ip4[4])
{
    return (ip4[0] & 0xf0) == 0xe0;
}

int
nat64_eth_is_bcast(const uint8_t *mac)
{
    return (mac[0] & mac[1] & mac[2] & mac[3] & mac[4] & mac[5]) == 0xff;
}

/* Sources must be unicast: a multicast, class E, broadcast or "this
 * network" (0/8, e.g. a DHCP client) source would become an IPv6 source
 * nobody can answer. */
enum nat64_drop_reason
nat64_map_src_4to6(const struct nat64_config *cfg, const uint8_t ip4[4],
                   uint8_t ip6[16])
{
    if (!nat64_ip4_is_unicast(ip4)) {
        return NAT64_DROP_SRC_NOT_MAPPED;
    }
    nat64_addr_4to6(cfg, ip4, ip6);
    return NAT64_DROP_NONE;
}

const uint8_t nat64_ip6_all_nodes[16] = {
    0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
};

/* Destination mapping.  Multicast only through the configured table;
 * limited broadcast, and a directed broadcast recognisable without
 * knowing the subnet (last octet 255 sent to the Ethernet broadcast
 * address), go to all-nodes ff02::1. */
enum nat64_drop_reason
nat64_map_dst_4to6(const struct nat64_config *cfg, const uint8_t ip4[4],
                   int eth_bcast, uint8_t ip6[16])
{
    unsigned int i;

    if (!nat64_ip4_is_mcast_or_e(ip4)) {
        if (eth_bcast && ip4[3] == 255) {
            memcpy(ip6, nat64_ip6_all_nodes, 16);
            return NAT64_DROP_NONE;
        }
        nat64_addr_4to6(cfg, ip4, ip6);
        return NAT64_DROP_NONE;
    }
    if (ip4[0] == 255 && ip4[1] == 255 && ip4[2] == 255 && ip4[3] == 255) {
        memcpy(ip6, nat64_ip6_all_nodes, 16);
        return NAT64_DROP_NONE;
    }
    if (nat64_ip4_is_mcast(ip4)) {
        for (i = 0; i < cfg->n_mcast; i++) {
            if (!memcmp(cfg->mcast[i].ip4, ip4, 4)) {
                memcpy(ip6, cfg->mcast[i].ip6, 16);
                return NAT64_DROP_NONE;
            }
        }
        return NAT64_DROP_MCAST_NOT_MAPPED;
    }
    return NAT64_DROP_DST_NOT_MAPPED;   /* Class E. */
}

enum nat64_drop_reason
nat64_map_src_6to4(const struct nat64_config *cfg, const uint8_t ip6[16],
                   uint8_t ip4[4])
{
    if (nat64_ip6_is_mcast(ip6) || nat64_addr_6to4(cfg, ip6, ip4)
        || !nat64_ip4_is_unicast(ip4)) {
        return NAT64_DROP_SRC_NOT_MAPPED;
    }
    return NAT64_DROP_NONE;
}

enum nat64_drop_reason
nat64_map_dst_6to4(const struct nat64_config *cfg, const uint8_t ip6[16],
                   uint8_t ip4[4])
{
    unsigned int i;

    if (nat64_ip6_is_mcast(ip6)) {
        for (i = 0; i < cfg->n_mcast; i++) {
            if (!memcmp(cfg->mcast[i].ip6, ip6, 16)) {
                memcpy(ip4, cfg->mcast[i].ip4, 4);
                return NAT64_DROP_NONE;
            }
        }
        return NAT64_DROP_MCAST_NOT_MAPPED;
    }
    if (nat64_addr_6to4(cfg, ip6, ip4)) {
        return NAT64_DROP_DST_NOT_MAPPED;
    }
    if (nat64_ip4_is_mcast_or_e(ip4)) {
        /* An IPv4 multicast group may only come from the table. */
        return NAT64_DROP_DST_NOT_MAPPED;
    }
    return NAT64_DROP_NONE;
}

/* RFC 1112 6.4: 01:00:5e and the low 23 bits of the group. */
void
nat64_eth_mcast_6to4(uint8_t mac[6], const uint8_t ip4[4])
{
    mac[0] = 0x01;
    mac[1] = 0x00;
    mac[2] = 0x5e;
    mac[3] = ip4[1] & 0x7f;
    mac[4] = ip4[2];
    mac[5] = ip4[3];
}

/* Ethernet destination of a translated IPv6 frame: the group's MAC for
 * multicast (so the broadcast MAC of an IPv4 broadcast becomes
 * 33:33:00:00:00:01), else the original one. */
void
nat64_eth_dst_4to6(uint8_t mac[6], const uint8_t ip6[16])
{
    if (nat64_ip6_is_mcast(ip6)) {
        nat64_eth_mcast_4to6(mac, ip6);
    } else if (nat64_eth_is_bcast(mac)) {
        memcpy(mac, "\x33\x33\x00\x00\x00\x01", 6);
    }
}

/* Is 'a' inside one of the non-global IPv4 ranges (RFC 6890 entries with
 * "Global: False", and RFC 6598 shared space), which RFC 6052 3.1 forbids
 * to represent with the well-known prefix?  0/8, 127/8, 240/4 and the
 * limited broadcast are caught earlier as reserved or unmappable. */
static int
nat64_ip4_is_non_global(const uint8_t a[4])
{
    switch (a[0]) {
    case 10:
        return 1;
    case 100:
        return (a[1] & 0xc0) == 64;             /* 100.64/10 */
    case 169:
        return a[1] == 254;                     /* 169.254/16 */
    case 172:
        return (a[1] & 0xf0) == 16;             /* 172.16/12 */
    case 192:
        return (a[1] == 0 && (a[2] == 0 || a[2] == 2))   /* 192.0.0/24,
                                                        * 192.0.2/24 */
               || a[1] == 168;                  /* 192.168/16 */
    case 198:
        return (a[1] & 0xfe) == 18              /* 198.18/15 */
               || (a[1] == 51 && a[2] == 100);  /* 198.51.100/24 */
    case 203:
        return a[1] == 0 && a[2] == 113;        /* 203.0.113/24 */
    default:
        return 0;
    }
}

int
nat64_cfg_is_wkp(const struct nat64_config *cfg)
{
    static const uint8_t wkp[12] = { 0, 0x64, 0xff, 0x9b };

    return cfg->prefix_len == 96 && !memcmp(cfg->prefix, wkp, 12);
}

int
nat64_cfg_is_router(const struct nat64_config *cfg)
{
    /* Bridge mode is a link-local prefix (fe80::/10) without TTL
     * decrement: the translator joins one link.  Anything else routes. */
    return cfg->dec_ttl
           || cfg->prefix[0] != 0xfe || (cfg->prefix[1] & 0xc0) != 0x80;
}

/* RFC 1122 3.2.1.3, RFC 7915 4.1 and 5.1, RFC 6052 3.1, RFC 3927 7: the
 * IPv4 address 'a' (a source if 'is_src') of an outer header may not be
 * translated.  Loopback (127/8) never, "this network" (0/8) never as a
 * destination (as a source it is unmappable); with the well-known prefix
 * no non-global address; when routing (nat64_cfg_is_router()) no IPv4
 * link-local address, which a bridge must keep translating because
 * APIPA hosts live on its link. */
enum nat64_drop_reason
nat64_addr_policy4(const struct nat64_config *cfg, const uint8_t a[4],
                   int is_src)
{
    if (a[0] == 127 || (!is_src && a[0] == 0)) {
        return NAT64_DROP_RESERVED_ADDR;
    }
    if (nat64_cfg_is_wkp(cfg) && nat64_ip4_is_non_global(a)) {
        return NAT64_DROP_NON_GLOBAL;
    }
    if (a[0] == 169 && a[1] == 254 && nat64_cfg_is_router(cfg)) {
        return NAT64_DROP_LINK_LOCAL4;
    }
    return NAT64_DROP_NONE;
}

int
nat64_is_protected4(const struct nat64_config *cfg, const uint8_t a[4])
{
    unsigned int i;

    for (i = 0; i < cfg->n_protected && i < NAT64_MAX_PROTECTED; i++) {
        if (!memcmp(cfg->protected4[i], a, 4)) {
            return 1;
        }
    }
    return 0;
}
