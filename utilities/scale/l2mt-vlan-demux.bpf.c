/* SPDX-License-Identifier: Apache-2.0 */
/*
 * l2mt-vlan-demux: 802.1Q VLAN interfaces for a service host whose kernel
 * has no 8021q module (this machine's: 'ip link add ... type vlan' says
 * "Unknown device type").  Two tc (clsact, direct-action) programs stand
 * in for the VLAN driver:
 *
 *   trunk_in  on the ingress of the service host's end of the trunk: a
 *             frame tagged VID leaves untagged through the interface
 *             whose ifindex is L2MT_IFINDEX_BASE + VID (the peer of the
 *             tenant's service interface, so it arrives there); untagged
 *             frames, and VIDs without such an interface, are dropped.
 *   port_in   on the ingress of that peer: what the service interface
 *             sends gets tag VID = ifindex - L2MT_IFINDEX_BASE and leaves
 *             through the trunk (ifindex L2MT_IFINDEX_BASE).  A frame that
 *             is already tagged keeps its tag inside the new one, as a
 *             VLAN interface would send it (the gateway drops it).
 *
 * No maps: the VLAN is the interface's index, which the service hook
 * chooses when it creates the interface (ip link add ... index N), far
 * above the indexes the kernel hands out by itself.
 */

#include <linux/bpf.h>
#include <linux/if_ether.h>
#include <linux/pkt_cls.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

#ifndef L2MT_IFINDEX_BASE
#define L2MT_IFINDEX_BASE 1048576
#endif

/* 802.1Q VLAN IDs that name a VLAN (0 is "priority only", 4095
 * reserved). */
#define VID_MIN 1
#define VID_MAX 4094
#define VID_MASK 0x0fff

SEC("tc/trunk_in")
int
trunk_in(struct __sk_buff *skb)
{
    __u32 vid;

    /* The receive path moved the outer tag into the metadata before tc
     * runs; a frame without one is no tenant's. */
    if (!skb->vlan_present || skb->vlan_proto != bpf_htons(ETH_P_8021Q)) {
        return TC_ACT_SHOT;
    }
    vid = skb->vlan_tci & VID_MASK;
    if (vid < VID_MIN || vid > VID_MAX) {
        return TC_ACT_SHOT;
    }
    if (bpf_skb_vlan_pop(skb)) {
        return TC_ACT_SHOT;
    }
    /* An index without an interface: the redirect drops the frame. */
    return bpf_redirect(L2MT_IFINDEX_BASE + vid, 0);
}

SEC("tc/port_in")
int
port_in(struct __sk_buff *skb)
{
    __u32 vid = skb->ifindex - L2MT_IFINDEX_BASE;

    if (skb->ifindex <= L2MT_IFINDEX_BASE || vid > VID_MAX) {
        return TC_ACT_SHOT;
    }
    if (bpf_skb_vlan_push(skb, bpf_htons(ETH_P_8021Q), vid)) {
        return TC_ACT_SHOT;
    }
    return bpf_redirect(L2MT_IFINDEX_BASE, 0);
}

/* No GPL-only helpers are used. */
char _license[] SEC("license") = "Apache-2.0";
