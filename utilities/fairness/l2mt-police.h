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
 *
 * A tenant's ARP and Neighbor Discovery inside its GRE (what the service
 * host must answer and may cache) is charged to a second, lower bucket of
 * the tenant's instead, made when its first such packet arrives, so that
 * an ARP flood neither passes at the data rate nor spends the tenant's
 * data tokens.
 *
 * Frames that are not GRE (ARP, ND, anything sent straight to the
 * gateway's underlay interface) are charged to a bucket per source MAC
 * address, so that one box flooding the underlay itself cannot take the
 * gateway's CPU either.  A source seen for the first time must win a token
 * of one shared "new sources" bucket before it gets a bucket of its own:
 * a flood from ever new MACs gets no more than that rate.
 */
#ifndef L2MT_POLICE_H
#define L2MT_POLICE_H 1

#include <linux/bpf.h>
#include <linux/types.h>

/* Sizes of the maps: at most this many tenants per underlay interface. */
#define L2MT_POLICE_MAX_TENANTS 65536
/* Source MACs of non-GRE frames with a bucket (least recently used ones
 * are forgotten first; an active source stays). */
#define L2MT_POLICE_MAX_SOURCES 4096

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

/* A source of non-GRE frames: its MAC address. */
struct police_mac {
    __u8 addr[6];
    __u16 pad;             /* Zero. */
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

/* The bucket of a source of non-GRE frames.  An LRU map cannot hold a
 * bpf_spin_lock, so it is updated without one: two CPUs charging the same
 * source at the same instant may both take the same tokens (a few packets
 * too many pass, never too few), and the counters are atomic. */
struct police_source_bucket {
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
    POLICE_SOURCE,         /* Not a bucket: the rate and burst each new
                            * source's bucket gets (cost 0: non-GRE frames
                            * are not policed). */
    POLICE_NEW_SOURCE,     /* New sources of non-GRE frames: one bucket. */
    POLICE_ND,             /* Not a bucket: the rate and burst of each
                            * tenant's ARP/ND bucket (cost 0: ARP/ND is
                            * charged to the tenant's data bucket). */
    POLICE_N_OTHER
};

/* Counters of the per-CPU 'stats' array map. */
enum police_stat {
    POLICE_STAT_NOT_GRE,   /* Passed: ARP, BFD, anything not GRE. */
    POLICE_STAT_TENANT,    /* GRE charged to a tenant's bucket. */
    POLICE_STAT_ND,        /* Of those, ARP/ND charged to its ND bucket. */
    POLICE_STAT_UNKNOWN,   /* GRE charged to the unknown bucket. */
    POLICE_STAT_MALFORMED, /* Dropped: GRE header cut short. */
    POLICE_STAT_SOURCE_DROP, /* Non-GRE dropped by its source's bucket. */
    POLICE_STAT_NEW_DROP,  /* Non-GRE of a new source, dropped by the new
                            * sources' bucket. */
    POLICE_N_STATS
};

#endif /* l2mt-police.h */
