/* SPDX-License-Identifier: Apache-2.0 */
/*
 * XDP program of the early per-tenant policer (see l2mt-police.h): charges
 * each GRE packet arriving on the gateway's underlay interface to its
 * tenant's token bucket and drops the excess before the kernel builds an
 * skb, i.e. before ovs-vswitchd's AF_PACKET socket (a ptype_all tap that
 * runs before tc or nftables ingress) sees it.  Up to two VLAN tags are
 * skipped.  Anything that is not GRE over IPv4 or IPv6 (ARP, ND, frames
 * sent straight to the gateway) is charged to its source MAC's bucket.
 */
#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/in.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#include "l2mt-police.h"

/* GRE (RFC 2784, RFC 2890): flags and version, then the protocol; the
 * checksum word comes before the key when C is set. */
#define GRE_FLAG_CSUM 0x8000
#define GRE_FLAG_ROUTING 0x4000
#define GRE_FLAG_KEY 0x2000
#define GRE_VERSION_MASK 0x0007
#define GRE_BASE_LEN 4
#define GRE_CSUM_LEN 4
#define GRE_KEY_LEN 4
#define GRE_FLAG_SEQ 0x1000
#define GRE_SEQ_LEN 4
/* GRE's protocol for an Ethernet frame inside (OVS's gre ports). */
#define GRE_PROTO_TEB 0x6558
/* ICMPv6 Router Solicitation .. Redirect (RFC 4861). */
#define ND_FIRST_TYPE 133
#define ND_LAST_TYPE 137
#define IP4_FRAG_MASK 0x3fff   /* MF and the fragment offset. */
#define IP4_MIN_IHL 5
/* VLAN tags skipped before the IP header: a tagged GRE packet is charged
 * like an untagged one (OVS may well take it), not passed as "not GRE". */
#define MAX_VLAN_TAGS 2

struct vlan_tag {
    __be16 tci;
    __be16 proto;
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, L2MT_POLICE_MAX_TENANTS);
    __type(key, struct police_key);
    __type(value, struct police_bucket);
} tenants SEC(".maps");

/* The tenants' ARP/ND buckets (same keys as 'tenants'). */
struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, L2MT_POLICE_MAX_TENANTS);
    __type(key, struct police_key);
    __type(value, struct police_bucket);
} tenants_nd SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, POLICE_N_OTHER);
    __type(key, __u32);
    __type(value, struct police_bucket);
} other SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_LRU_HASH);
    __uint(max_entries, L2MT_POLICE_MAX_SOURCES);
    __type(key, struct police_mac);
    __type(value, struct police_source_bucket);
} sources SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
    __uint(max_entries, POLICE_N_STATS);
    __type(key, __u32);
    __type(value, __u64);
} stats SEC(".maps");

static __always_inline void
count(enum police_stat stat)
{
    __u32 idx = stat;
    __u64 *n = bpf_map_lookup_elem(&stats, &idx);

    if (n) {
        (*n)++;
    }
}

/* The token bucket step both kinds of bucket share: refills '*tokens'
 * for the time since '*last' (at most 'burst'), then takes 'cost' if it is
 * there.  True if the packet may pass. */
static __always_inline int
tokens_take(__u64 *tokens, __u64 *last, __u64 cost, __u64 burst, __u64 now)
{
    __u64 t = *tokens + (now - *last);
    int pass;

    if (t > burst) {
        t = burst;
    }
    pass = t >= cost;
    *tokens = pass ? t - cost : t;
    *last = now;
    return pass;
}

/* Takes one packet's tokens from bucket 'b'; true if the packet may pass.
 * A bucket with cost 0 (not configured yet) passes everything. */
static __always_inline int
bucket_take(struct police_bucket *b)
{
    __u64 now = bpf_ktime_get_ns();
    int pass;

    bpf_spin_lock(&b->lock);
    pass = !b->cost_ns || tokens_take(&b->tokens_ns, &b->last_ns,
                                      b->cost_ns, b->burst_ns, now);
    if (pass) {
        b->passed++;
    } else {
        b->dropped++;
    }
    bpf_spin_unlock(&b->lock);
    return pass;
}

static __always_inline int
police_unknown(void)
{
    __u32 idx = POLICE_UNKNOWN;
    struct police_bucket *b = bpf_map_lookup_elem(&other, &idx);

    count(POLICE_STAT_UNKNOWN);
    return !b || bucket_take(b) ? XDP_PASS : XDP_DROP;
}

/* Takes one frame's tokens from source bucket 'b' (no lock: see
 * struct police_source_bucket); true if the frame may pass. */
static __always_inline int
source_take(struct police_source_bucket *b)
{
    int pass = tokens_take(&b->tokens_ns, &b->last_ns, b->cost_ns,
                           b->burst_ns, bpf_ktime_get_ns());

    __sync_fetch_and_add(pass ? &b->passed : &b->dropped, 1);
    return pass;
}

/* A frame that is not GRE: charged to its source MAC's bucket.  A source
 * without one gets one (full but for this frame) if the new sources'
 * bucket has a token, else the frame is dropped. */
static __always_inline int
police_source(const struct ethhdr *eth)
{
    struct police_source_bucket fresh, *sb;
    struct police_bucket *cfg, *nb;
    struct police_mac m = { 0 };
    __u64 cost, burst;
    __u32 idx;

    count(POLICE_STAT_NOT_GRE);
    idx = POLICE_SOURCE;
    cfg = bpf_map_lookup_elem(&other, &idx);
    /* An aligned 64-bit read is atomic: the tool's update is seen whole. */
    cost = cfg ? cfg->cost_ns : 0;
    burst = cfg ? cfg->burst_ns : 0;
    if (!cost) {
        return XDP_PASS;
    }
    __builtin_memcpy(m.addr, eth->h_source, sizeof m.addr);
    sb = bpf_map_lookup_elem(&sources, &m);
    if (sb) {
        if (source_take(sb)) {
            return XDP_PASS;
        }
        count(POLICE_STAT_SOURCE_DROP);
        return XDP_DROP;
    }
    idx = POLICE_NEW_SOURCE;
    nb = bpf_map_lookup_elem(&other, &idx);
    if (nb && !bucket_take(nb)) {
        count(POLICE_STAT_NEW_DROP);
        return XDP_DROP;
    }
    __builtin_memset(&fresh, 0, sizeof fresh);
    fresh.cost_ns = cost;
    fresh.burst_ns = burst;
    fresh.tokens_ns = burst > cost ? burst - cost : 0;
    fresh.last_ns = bpf_ktime_get_ns();
    fresh.passed = 1;
    bpf_map_update_elem(&sources, &m, &fresh, BPF_NOEXIST);
    return XDP_PASS;
}

/* Reads the key of the GRE header at 'gre' into 'k' and where the
 * Ethernet frame inside starts into '*inner' (NULL if it carries none).
 * Returns 1 if it has a key, 0 if it has none (no tenant uses keyless
 * GRE), -1 if the header is cut short. */
static __always_inline int
gre_key(void *gre, void *end, struct police_key *k, void **inner)
{
    __u16 flags;
    void *p;

    *inner = NULL;
    if (gre + GRE_BASE_LEN > end) {
        return -1;
    }
    flags = bpf_ntohs(*(__be16 *) gre);
    if (!(flags & GRE_FLAG_KEY) || flags & GRE_FLAG_ROUTING
        || flags & GRE_VERSION_MASK) {
        return 0;
    }
    p = gre + GRE_BASE_LEN + (flags & GRE_FLAG_CSUM ? GRE_CSUM_LEN : 0);
    if (p + GRE_KEY_LEN > end) {
        return -1;
    }
    k->gre_key = bpf_ntohl(*(__be32 *) p);
    if (*(__be16 *) (gre + 2) == bpf_htons(GRE_PROTO_TEB)) {
        *inner = p + GRE_KEY_LEN + (flags & GRE_FLAG_SEQ ? GRE_SEQ_LEN : 0);
    }
    return 1;
}

/* Whether the Ethernet frame at 'inner' is ARP or Neighbor Discovery
 * (untagged or with one 802.1Q tag; ND only right after the IPv6
 * header, where the tenants' flows match it). */
static __always_inline int
inner_is_nd(void *inner, void *end)
{
    struct ethhdr *eth = inner;
    struct ipv6hdr *ip6;
    __u8 *type;
    __be16 proto;
    void *l3;

    if (!inner || (void *) (eth + 1) > end) {
        return 0;
    }
    proto = eth->h_proto;
    l3 = eth + 1;
    if (proto == bpf_htons(ETH_P_8021Q)) {
        struct vlan_tag *tag = l3;

        if ((void *) (tag + 1) > end) {
            return 0;
        }
        proto = tag->proto;
        l3 = tag + 1;
    }
    if (proto == bpf_htons(ETH_P_ARP)) {
        return 1;
    }
    if (proto != bpf_htons(ETH_P_IPV6)) {
        return 0;
    }
    ip6 = l3;
    type = (__u8 *) (ip6 + 1);
    if ((void *) (type + 1) > end || ip6->nexthdr != IPPROTO_ICMPV6) {
        return 0;
    }
    return *type >= ND_FIRST_TYPE && *type <= ND_LAST_TYPE;
}

/* A tenant's ARP/ND: charged to its ND bucket, made from the POLICE_ND
 * template on its first such packet.  Returns the verdict, or -1 if ARP/ND
 * is not policed apart (then the data bucket decides). */
static __always_inline int
police_nd(const struct police_key *k)
{
    struct police_bucket fresh, *cfg, *b;
    __u32 idx = POLICE_ND;
    __u64 cost, burst;

    cfg = bpf_map_lookup_elem(&other, &idx);
    cost = cfg ? cfg->cost_ns : 0;
    burst = cfg ? cfg->burst_ns : 0;
    if (!cost) {
        return -1;
    }
    count(POLICE_STAT_ND);
    b = bpf_map_lookup_elem(&tenants_nd, k);
    if (b) {
        return bucket_take(b) ? XDP_PASS : XDP_DROP;
    }
    __builtin_memset(&fresh, 0, sizeof fresh);
    fresh.cost_ns = cost;
    fresh.burst_ns = burst;
    fresh.tokens_ns = burst > cost ? burst - cost : 0;
    fresh.last_ns = bpf_ktime_get_ns();
    fresh.passed = 1;
    bpf_map_update_elem(&tenants_nd, k, &fresh, BPF_NOEXIST);
    return XDP_PASS;
}

SEC("xdp")
int
l2mt_police(struct xdp_md *ctx)
{
    void *data = (void *) (long) ctx->data;
    void *end = (void *) (long) ctx->data_end;
    struct ethhdr *eth = data;
    struct police_key k = { 0 };
    struct police_bucket *b;
    void *l3, *gre, *inner;
    __be16 proto;
    int r, i;

    if ((void *) (eth + 1) > end) {
        count(POLICE_STAT_NOT_GRE);
        return XDP_PASS;
    }
    proto = eth->h_proto;
    l3 = eth + 1;
#pragma unroll
    for (i = 0; i < MAX_VLAN_TAGS; i++) {
        struct vlan_tag *tag = l3;

        if (proto != bpf_htons(ETH_P_8021Q)
            && proto != bpf_htons(ETH_P_8021AD)) {
            break;
        }
        if ((void *) (tag + 1) > end) {
            return police_source(eth);
        }
        proto = tag->proto;
        l3 = tag + 1;
    }
    if (proto == bpf_htons(ETH_P_IP)) {
        struct iphdr *ip = l3;

        if ((void *) (ip + 1) > end || ip->protocol != IPPROTO_GRE
            || ip->ihl < IP4_MIN_IHL) {
            return police_source(eth);
        }
        if (ip->frag_off & bpf_htons(IP4_FRAG_MASK)) {
            return police_unknown();
        }
        k.family = L2MT_POLICE_INET;
        __builtin_memcpy(k.addr, &ip->saddr, sizeof ip->saddr);
        gre = (void *) ip + ip->ihl * 4;
    } else if (proto == bpf_htons(ETH_P_IPV6)) {
        struct ipv6hdr *ip6 = l3;

        /* OVS's GRE over IPv6 carries no extension headers; a packet with
         * some is no tenant's. */
        if ((void *) (ip6 + 1) > end) {
            return police_source(eth);
        }
        if (ip6->nexthdr != IPPROTO_GRE) {
            return police_source(eth);
        }
        k.family = L2MT_POLICE_INET6;
        __builtin_memcpy(k.addr, &ip6->saddr, sizeof ip6->saddr);
        gre = ip6 + 1;
    } else {
        return police_source(eth);
    }

    r = gre_key(gre, end, &k, &inner);
    if (r < 0) {
        count(POLICE_STAT_MALFORMED);
        return XDP_DROP;
    }
    b = r ? bpf_map_lookup_elem(&tenants, &k) : NULL;
    if (!b) {
        return police_unknown();
    }
    count(POLICE_STAT_TENANT);
    if (inner_is_nd(inner, end)) {
        r = police_nd(&k);
        if (r >= 0) {
            return r;
        }
    }
    return bucket_take(b) ? XDP_PASS : XDP_DROP;
}

/* Our licence: the program uses no GPL-only helper. */
char LICENSE[] SEC("license") = "Apache-2.0";
