/*
 * ovs-nat64 translator core: ARP <-> IPv6 Neighbor Discovery.
 */
#include "nat64-private.h"

enum nat64_verdict
nat64_arp_to_nd(struct nat64_ctx *c)
{
    return nat64_drop(c, NAT64_DROP_BAD_ARP);
}

enum nat64_verdict
nat64_nd_to_arp(struct nat64_ctx *c, struct nat64_l3 *h)
{
    (void) h;
    return nat64_drop(c, NAT64_DROP_BAD_ND);
}
