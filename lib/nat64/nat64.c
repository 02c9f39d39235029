/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: configuration, drop reason names, checksum
 * primitive, buffer bookkeeping.
 */
#include "nat64-private.h"

const struct nat64_mcast_map nat64_default_mcast[NAT64_N_DEFAULT_MCAST] = {
    { { 224, 0, 0, 1 }, { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
                          0, 0, 0, 0, 0, 0, 0, 0x01 } },
    { { 224, 0, 0, 251 }, { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
                            0, 0, 0, 0, 0, 0, 0, 0xfb } },
    { { 239, 255, 255, 250 }, { 0xff, 0x02, 0, 0, 0, 0, 0, 0,
                                0, 0, 0, 0, 0, 0, 0, 0x0c } },
};

static const char *const nat64_drop_names[NAT64_N_DROP_REASONS] = {
#define NAT64_DR(ENUM, NAME) NAME,
    NAT64_DROP_REASONS
#undef NAT64_DR
};

const char *
nat64_drop_reason_name(enum nat64_drop_reason reason)
{
    unsigned int i = (unsigned int) reason;

    return i < NAT64_N_DROP_REASONS ? nat64_drop_names[i] : "unknown";
}

/* The fast paths' view of the address rules (nat64_addr_policy4(),
 * nat64_map_*()): one table load per address instead of a comparison per
 * range.  Nonzero: 0/8, 127/8 and 224/3 always; with the well-known
 * prefix every first octet that holds a non-global range; when routing,
 * 169 (169.254/16).  A nonzero entry only means "let the general path
 * decide". */
static const uint8_t nat64_fast_none[256] = { [0 ... 255] = 1 };
static const uint8_t nat64_fast_bridge[256] = {
    [0] = 1, [127] = 1, [224 ... 255] = 1,
};
static const uint8_t nat64_fast_router[256] = {
    [0] = 1, [127] = 1, [169] = 1, [224 ... 255] = 1,
};
static const uint8_t nat64_fast_wkp[256] = {
    [0] = 1, [10] = 1, [100] = 1, [127] = 1, [169] = 1, [172] = 1,
    [192] = 1, [198] = 1, [203] = 1, [224 ... 255] = 1,
};

/* The checksum change of a /96 translation is twice the native-order sum
 * of the first 96 prefix bits: translating a.b.c.d to prefix:a.b.c.d adds
 * the prefix words to both pseudo-header addresses and keeps the embedded
 * IPv4 words.  6to4 subtracts it, i.e. adds its complement. */
static void
nat64_config_derive(struct nat64_config *cfg)
{
    uint64_t sum = (uint64_t) nat64_ld32(cfg->prefix)
                   + nat64_ld32(cfg->prefix + 4) + nat64_ld32(cfg->prefix + 8);
    uint16_t change = nat64_fold(2u * nat64_fold64(sum));

    cfg->adj_4to6 = 0xffffu + change;
    cfg->adj_6to4 = 0xffffu + (uint16_t) ~change;
    cfg->fast_octets = (cfg->prefix_len != 96 ? nat64_fast_none
                        : !nat64_cfg_is_router(cfg) ? nat64_fast_bridge
                        : nat64_cfg_is_wkp(cfg) ? nat64_fast_wkp
                        : nat64_fast_router);
}

void
nat64_config_init(struct nat64_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->prefix[0] = 0xfe;
    cfg->prefix[1] = 0x80;
    cfg->prefix_len = 96;
    cfg->dec_ttl = 0;
    cfg->mss_clamp = 1;
    cfg->mtu = 1500;
    cfg->frag_mtu = 1280;       /* RFC 7915 4: IPv6 minimum link MTU. */
    cfg->n_mcast = NAT64_N_DEFAULT_MCAST;
    /* No protected address: match only 0.0.0.0, never a fast-path
     * source. */
    cfg->protected_mask = 0xffffffffu;
    cfg->protected_match = 0;
    cfg->mcast = nat64_default_mcast;
    cfg->fast_udp = NAT64_PROTO_UDP;
    nat64_config_derive(cfg);
}

/* ::/96 (IPv4-compatible, deprecated by RFC 4291 2.5.5.1) and
 * ::ffff:0:0/96 (IPv4-mapped, RFC 4291 2.5.5.2: addresses of IPv4 nodes
 * inside an IPv6 API, never on the wire). */
int
nat64_prefix_is_v4_compat(const uint8_t prefix[16])
{
    static const uint8_t zero[10];

    return !memcmp(prefix, zero, 10)
           && ((prefix[10] == 0 && prefix[11] == 0)
               || (prefix[10] == 0xff && prefix[11] == 0xff));
}

int
nat64_config_set_prefix(struct nat64_config *cfg, const uint8_t prefix[16],
                        unsigned int len)
{
    unsigned int i;

    if (len != 32 && len != 40 && len != 48 && len != 56 && len != 64
        && len != 96) {
        return -1;
    }
    for (i = len / 8; i < 16; i++) {
        if (prefix[i]) {
            return -1;
        }
    }
    if (len == 96 && prefix[NAT64_ADDR6_U_OCTET]) {
        return -1;              /* RFC 6052 2.2: u-octet must be zero. */
    }
    if (prefix[0] == 0xff) {
        return -1;
    }
    if (len == 96 && nat64_prefix_is_v4_compat(prefix)) {
        return -1;
    }
    memcpy(cfg->prefix, prefix, 16);
    cfg->prefix_len = (uint8_t) len;
    nat64_config_derive(cfg);
    return 0;
}

int
nat64_config_add_protected(struct nat64_config *cfg, const uint8_t ip4[4])
{
    uint32_t a = nat64_ld32(ip4), first;

    if (cfg->n_protected >= NAT64_MAX_PROTECTED) {
        return -1;
    }
    memcpy(cfg->protected4[cfg->n_protected++], ip4, 4);
    /* Keep the bits in which all protected addresses agree. */
    first = nat64_ld32(cfg->protected4[0]);
    cfg->protected_mask &= ~(a ^ first);
    cfg->protected_match = first & cfg->protected_mask;
    return 0;
}

uint32_t
nat64_sum_bytes(uint32_t acc, const uint8_t *p, size_t n)
{
    /* Native-order 32-bit words into a 64-bit accumulator (no overflow
     * below 2^34 bytes), converted to network order once. */
    uint64_t sum = 0;

    while (n >= 16) {
        sum += (uint64_t) nat64_ld32(p) + nat64_ld32(p + 4)
               + nat64_ld32(p + 8) + nat64_ld32(p + 12);
        p += 16;
        n -= 16;
    }
    while (n >= 4) {
        sum += nat64_ld32(p);
        p += 4;
        n -= 4;
    }
    if (n >= 2) {
        sum += nat64_ld16(p);
        p += 2;
        n -= 2;
    }
    if (n) {
        uint8_t last[2];

        last[0] = p[0];         /* Odd byte: high byte of a zero-padded */
        last[1] = 0;            /* network-order word. */
        sum += nat64_ld16(last);
    }
    return acc + nat64_native_to_be(sum);
}

/* Makes 'data' and 'len' the new frame in the caller's buffer, whose
 * start (data - headroom) and end (data + len + tailroom) never move. */
void
nat64_commit(struct nat64_ctx *c, uint8_t *data, size_t len)
{
    struct nat64_pkt *pkt = c->pkt;
    uint8_t *start = pkt->data - pkt->headroom;
    uint8_t *end = pkt->data + pkt->len + pkt->tailroom;

    pkt->data = data;
    pkt->len = len;
    pkt->headroom = (size_t) (data - start);
    pkt->tailroom = (size_t) (end - (data + len));
}
