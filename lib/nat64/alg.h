/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the discovery ALGs (mDNS/DNS-SD, SSDP), the
 * part shared by alg.c, alg-mdns.c and alg-ssdp.c.  See README.md "ALGs".
 *
 * Both ALGs rewrite one UDP payload in place in two passes over the same
 * bytes: a read-only plan (which may decide "leave it alone" or "drop")
 * and the rewrite.  A message that grows is first moved towards the tail
 * by the largest growth any prefix of it needs, then rewritten from left
 * to right into its old place, so the output never overtakes the input
 * still to be read.
 */
#ifndef NAT64_ALG_H
#define NAT64_ALG_H 1

#include "nat64-private.h"

/* NAT64_ALG_MDNS_PORT and NAT64_ALG_SSDP_PORT are in nat64.h: hosts use
 * them to leave tail room. */

/* Largest payload the ALGs look at (RFC 6762 17: an mDNS message is at
 * most 9000 bytes); larger ones pass unchanged.  It also keeps every
 * rewritten DNS offset below the 14-bit compression pointer limit. */
#define NAT64_ALG_MAX_MSG 9000

/* Size-changing rewrites per message (records, URLs); a message needing
 * more passes unchanged. */
#define NAT64_ALG_MAX_EDITS 16

/* Outcome of one ALG on one message. */
enum nat64_alg_verdict {
    NAT64_ALG_PASS,             /* Nothing to do, or not understood:
                                 * forwarded unchanged. */
    NAT64_ALG_DONE,             /* Rewritten; '*new_len' is its length. */
    NAT64_ALG_DROP,             /* Cannot be rewritten within the limit:
                                 * NAT64_DROP_ALG_TOO_BIG, untouched. */
};

/* One message: 'len' bytes at 'msg'; 'room' bytes may be written from
 * 'msg' on; the result must not exceed 'limit' bytes.  'dir' is the
 * translation direction, addresses are mapped with 'cfg'. */
struct nat64_alg_msg {
    const struct nat64_config *cfg;
    enum nat64_direction dir;
    uint8_t *msg;
    size_t len;
    size_t room;
    size_t limit;
};

/* A size change: bytes [start, end) of the input are rewritten and what
 * follows moves by 'delta'. */
struct nat64_alg_edit {
    uint16_t start;
    uint16_t end;
    int16_t delta;
};

/* Nonzero if the UDP header at 'udp' has a port of an ALG in 'alg'.
 * Inline for the fast path, which must not take such datagrams. */
static inline int
nat64_alg_port(uint8_t alg, const uint8_t *udp)
{
    uint16_t sp = nat64_get_be16(udp + NAT64_UDP_SRC_OFS);
    uint16_t dp = nat64_get_be16(udp + NAT64_UDP_DST_OFS);

    return ((alg & NAT64_ALG_MDNS)
            && (sp == NAT64_ALG_MDNS_PORT || dp == NAT64_ALG_MDNS_PORT))
           || ((alg & NAT64_ALG_SSDP)
               && (sp == NAT64_ALG_SSDP_PORT || dp == NAT64_ALG_SSDP_PORT));
}

/* May an IPv4 address in a record or URL be carried to the other side?
 * Only one the core translates as a destination (nat64_addr_policy4():
 * not 0/8 or 127/8, not a non-global address with the well-known prefix,
 * not 169.254/16 when routing): the other side could not reach any other
 * through the translation, so such an address is treated as one the
 * prefix cannot map. */
static inline int
nat64_alg_addr4_ok(const struct nat64_config *cfg, const uint8_t ip4[4])
{
    return nat64_addr_policy4(cfg, ip4, 0) == NAT64_DROP_NONE;
}

/* The IPv4 address a record's or URL's 'ip6' maps to, in 'ip4': 0, or -1
 * if it does not map or nat64_alg_addr4_ok() refuses it. */
static inline int
nat64_alg_addr_6to4(const struct nat64_config *cfg, const uint8_t ip6[16],
                    uint8_t ip4[4])
{
    return (nat64_addr_6to4(cfg, ip6, ip4) || !nat64_alg_addr4_ok(cfg, ip4)
            ? -1 : 0);
}

/* alg.c: runs the ALG for the whole UDP datagram at 'l4' of 'h' (before
 * its header is translated), updating the UDP length and checksum (for
 * the original pseudo-header: the caller's incremental update follows)
 * and h->l4len / h->ulen.  Only cfg->alg set and a UDP protocol in 'h'
 * get here (ip.c tests both).  Returns NAT64_DROP_NONE or the drop reason;
 * a datagram it does not rewrite is left untouched. */
enum nat64_drop_reason nat64_alg_udp(struct nat64_ctx *,
                                     struct nat64_l3 *h, uint8_t *l4,
                                     enum nat64_direction);

/* Moves bytes [0, n) of 'm' forward by 'shift' (the growth room). */
static inline uint8_t *
nat64_alg_shift(struct nat64_alg_msg *m, size_t n, size_t shift)
{
    if (shift) {
        memmove(m->msg + shift, m->msg, n);
    }
    return m->msg + shift;
}

/* alg-mdns.c, alg-ssdp.c: plan and rewrite one message. */
enum nat64_alg_verdict nat64_alg_mdns(struct nat64_alg_msg *,
                                      size_t *new_len);
enum nat64_alg_verdict nat64_alg_ssdp(struct nat64_alg_msg *,
                                      size_t *new_len);

#endif /* alg.h */
