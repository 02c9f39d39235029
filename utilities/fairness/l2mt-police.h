/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The maps shared by the early policer (l2mt-police.bpf.c, an XDP program
 * on the gateway's underlay interface) and its control tool (l2mt-police.c).
 *
 * Every GRE packet is charged to a token bucket before ovs-vswitchd reads
 * it: the tenant's (exact GRE key and outer source address, as OVS matches
 * a tenant's tunnel port), or else one shared bucket for GRE that belongs
 * to no tenant.  The excess is dropped in XDP and counted, so a flooding
 * tenant costs the gateway an XDP run per excess packet instead of a
 * socket read, a decap and a classification; and the other tenants'
 * packets are no longer lost at random in a full receive buffer.
 */
#ifndef L2MT_POLICE_H
#define L2MT_POLICE_H 1

#include <linux/bpf.h>
#include <linux/types.h>

/* Sizes of the maps: at most this many tenants per underlay interface. */
#define L2MT_POLICE_MAX_TENANTS 65536

/* police_key.family. */
#define L2MT_POLICE_INET 4
#define L2MT_POLICE_INET6 6

/* A tenant: its GRE key and its box's outer source address.  A packet with
 * tenant 2's key from tenant 1's box is no packet of tenant 2 (OVS hands
 * it to the unknown-key port), so it must not spend tenant 2's tokens. */
struct police_key {
    __u32 gre_key;
    __u32 family;          /* L2MT_POLICE_INET or L2MT_POLICE_INET6. */
    __u8 addr[16];         /* IPv4: the first 4 bytes, the rest zero. */
};

/* A token bucket in nanoseconds: a packet costs 'cost_ns' (10^9 / rate)
 * and the bucket holds at most 'burst_ns' (burst packets' worth). */
struct police_bucket {
    struct bpf_spin_lock lock;
    __u32 pad;
    __u64 cost_ns;
    __u64 burst_ns;
    __u64 tokens_ns;
    __u64 last_ns;
    __u64 passed;
    __u64 dropped;
};

/* Index of the 'other' array map. */
enum police_other {
    POLICE_UNKNOWN,        /* GRE of no tenant, GRE fragments: one bucket. */
    POLICE_N_OTHER
};

/* Counters of the per-CPU 'stats' array map. */
enum police_stat {
    POLICE_STAT_NOT_GRE,   /* Passed: ARP, BFD, anything not GRE. */
    POLICE_STAT_TENANT,    /* GRE charged to a tenant's bucket. */
    POLICE_STAT_UNKNOWN,   /* GRE charged to the unknown bucket. */
    POLICE_STAT_MALFORMED, /* Dropped: GRE header cut short. */
    POLICE_N_STATS
};

#endif /* l2mt-police.h */
