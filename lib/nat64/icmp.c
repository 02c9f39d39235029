/*
 * ovs-nat64 translator core: ICMPv4 <-> ICMPv6 (RFC 7915 4.2, 4.3, 5.2,
 * 5.3).
 */
#include "nat64-private.h"

enum nat64_verdict
nat64_icmp4_to6(struct nat64_ctx *c, struct nat64_l3 *h)
{
    (void) h;
    return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
}

enum nat64_verdict
nat64_icmp6_to4(struct nat64_ctx *c, struct nat64_l3 *h)
{
    (void) h;
    return nat64_drop(c, NAT64_DROP_ICMP_TYPE);
}
