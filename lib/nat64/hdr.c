/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the IPv4 and IPv6 header primitives that
 * the translation paths share (ip.c for packets, icmp.c for the inner
 * packets of ICMP errors, frag.c for replies and fragments): parsing and
 * validation (RFC 7915 4.1, 5.1), header writers, the TCP/UDP checks,
 * outer address mapping with the address rules, the IPv4 id.
 *
 * Leaves of the call graph: nothing here calls back into ip.c, icmp.c or
 * frag.c.
 */
#include "nat64-private.h"

/* RFC 791 3.1 options.  Ignored as RFC 7915 4.1 says, except an
 * unexpired loose or strict source route, which the IPv6 side could not
 * honour. */
static enum nat64_drop_reason
nat64_ip4_options(const uint8_t *o, size_t n)
{
    size_t i = 0;

    while (i < n) {             /* 'i' grows every round. */
        uint8_t type = o[i];
        size_t len;

        if (type == NAT64_IP4_OPT_EOL) {
            break;
        }
        if (type == NAT64_IP4_OPT_NOP) {
            i++;
            continue;
        }
        if (i + NAT64_IP4_OPT_LEN_OFS >= n) {
            return NAT64_DROP_BAD_IP4_HDR;
        }
        len = o[i + NAT64_IP4_OPT_LEN_OFS];
        if (len < NAT64_IP4_OPT_LEN_OFS + 1 || len > n - i) {
            return NAT64_DROP_BAD_IP4_HDR;
        }
        if (type == NAT64_IP4_OPT_LSRR || type == NAT64_IP4_OPT_SSRR) {
            /* LSRR/SSRR: the route is used up once the pointer is past
             * the option. */
            if (len < NAT64_IP4_OPT_PTR_OFS + 1
                || o[i + NAT64_IP4_OPT_PTR_OFS] <= len) {
                return NAT64_DROP_IP4_SRC_ROUTE;
            }
        }
        i += len;
    }
    return NAT64_DROP_NONE;
}

/* Parses an IPv4 header at 'ip' with 'avail' bytes after it in the frame.
 * An outer header ('inner' zero) must be complete and valid; the header
 * inside an ICMP error only needs to be present, its payload may be
 * truncated. */
enum nat64_drop_reason
nat64_parse_ip4(const uint8_t *ip, size_t avail, int inner,
                struct nat64_l3 *h)
{
    size_t ihl, tot;
    uint16_t frag;

    if (avail < NAT64_IP4_LEN) {
        return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_TRUNCATED;
    }
    ihl = (size_t) (ip[NAT64_IP4_VER_IHL_OFS] & 0xf) * 4;
    if ((ip[NAT64_IP4_VER_IHL_OFS] >> 4) != NAT64_IP4_VERSION
        || ihl < NAT64_IP4_LEN) {
        return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_BAD_IP4_HDR;
    }
    if (ihl > avail) {
        return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_TRUNCATED;
    }
    tot = nat64_get_be16(ip + NAT64_IP4_TOT_LEN_OFS);
    if (tot < ihl) {
        return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_BAD_IP4_LEN;
    }
    if (!inner) {
        if (tot > avail) {
            return NAT64_DROP_BAD_IP4_LEN;
        }
        if (nat64_fold(nat64_sum_bytes(0, ip, ihl)) != 0xffff) {
            return NAT64_DROP_BAD_IP4_CSUM;
        }
        h->l4len = tot - ihl;
    } else {
        h->l4len = (tot < avail ? tot : avail) - ihl;
    }
    h->hlen = ihl;
    h->ulen = (uint32_t) (tot - ihl);
    frag = nat64_get_be16(ip + NAT64_IP4_FRAG_OFS);
    h->df = (frag & NAT64_IP4_DF) != 0;
    h->mf = (frag & NAT64_IP4_MF) != 0;
    h->frag_off = frag & NAT64_IP4_OFS_MASK;
    h->is_frag = h->mf || h->frag_off;
    h->id = nat64_get_be16(ip + NAT64_IP4_ID_OFS);
    h->tos = ip[NAT64_IP4_TOS_OFS];
    h->ttl = ip[NAT64_IP4_TTL_OFS];
    h->proto = ip[NAT64_IP4_PROTO_OFS];
    memcpy(h->src4, ip + NAT64_IP4_SRC_OFS, 4);
    memcpy(h->dst4, ip + NAT64_IP4_DST_OFS, 4);
    if (!inner && (size_t) h->frag_off * 8 + h->ulen > NAT64_IP_MAX_LEN) {
        /* RFC 791: no datagram is longer than 65535 bytes; a fragment
         * ending past that (the "ping of death") can never be
         * reassembled, and as IPv6 it would claim an offset past the
         * end of any packet. */
        return NAT64_DROP_FRAG_PAST_END;
    }
    if (!inner && ihl > NAT64_IP4_LEN) {
        /* Last, so that 'h' is complete for an ICMP error reply. */
        return nat64_ip4_options(ip + NAT64_IP4_LEN, ihl - NAT64_IP4_LEN);
    }
    return NAT64_DROP_NONE;
}

/* Parses an IPv6 header and its extension headers (RFC 7915 5.1:
 * hop-by-hop, destination options and exhausted routing headers are
 * skipped, a Fragment header becomes IPv4 fragment fields).  The walk
 * stops after NAT64_MAX_EXT_HDRS headers. */
enum nat64_drop_reason
nat64_parse_ip6(const uint8_t *ip, size_t avail, int inner,
                struct nat64_l3 *h)
{
    enum nat64_drop_reason bad_ext = (inner ? NAT64_DROP_ICMP_INNER
                                      : NAT64_DROP_BAD_EXT_HDR);
    size_t plen, end, off = NAT64_IP6_LEN;
    unsigned int n;
    uint8_t nh;

    if (avail < NAT64_IP6_LEN) {
        return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_TRUNCATED;
    }
    if ((ip[NAT64_IP6_VFC_OFS] >> 4) != NAT64_IP6_VERSION) {
        return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_BAD_IP6_HDR;
    }
    plen = nat64_get_be16(ip + NAT64_IP6_PLEN_OFS);
    if (!inner) {
        /* A jumbogram (zero here and a Hop-by-Hop Jumbo option) fails
         * below: its hop-by-hop header lies past the end. */
        if (plen > avail - NAT64_IP6_LEN) {
            return NAT64_DROP_BAD_IP6_LEN;
        }
        end = NAT64_IP6_LEN + plen;
    } else {
        end = NAT64_IP6_LEN + plen < avail ? NAT64_IP6_LEN + plen : avail;
    }

    h->tos = (uint8_t) (nat64_get_be16(ip + NAT64_IP6_VFC_OFS) >> 4);
    h->ttl = ip[NAT64_IP6_HLIM_OFS];
    memcpy(h->src6, ip + NAT64_IP6_SRC_OFS, 16);
    memcpy(h->dst6, ip + NAT64_IP6_DST_OFS, 16);
    h->proto = 0;
    h->hlen = 0;
    h->l4len = 0;
    h->is_frag = 0;
    h->frag_off = 0;
    h->mf = 0;
    h->df = 0;
    h->id = 0;
    nh = ip[NAT64_IP6_NXT_OFS];
    for (n = 0; ; n++) {
        const uint8_t *p = ip + off;
        size_t hl;

        if (h->is_frag && nat64_is_ext_hdr(nh)) {
            /* RFC 7915 5.1.1: the first fragment's extension headers
             * after the Fragment header would have to be removed from a
             * packet whose other fragments keep them: SHOULD drop.  No
             * ICMPv6 error: the packet is valid IPv6, no code says
             * "not translatable", and the sender cannot change it. */
            return inner ? NAT64_DROP_ICMP_INNER : NAT64_DROP_FRAG_EXT;
        }
        if (!nat64_is_ext_hdr(nh) || h->frag_off) {
            /* Upper layer reached, or the rest of a non-first fragment,
             * which is opaque data. */
            break;
        }
        if (n >= NAT64_MAX_EXT_HDRS || off + NAT64_EXT_UNIT > end) {
            return bad_ext;
        }
        if (nh == NAT64_PROTO_FRAGMENT) {
            uint16_t fo = nat64_get_be16(p + NAT64_FRAG_OFFLG_OFS);

            if (h->is_frag) {
                return bad_ext;
            }
            hl = NAT64_FRAG_LEN;
            h->is_frag = 1;
            h->frag_off = fo >> 3;
            h->mf = fo & 1;
            h->id = nat64_get_be32(p + NAT64_FRAG_ID_OFS);
        } else {
            if (nh == NAT64_PROTO_HOPOPTS && n) {
                return bad_ext;     /* RFC 8200 4.1: only right after. */
            }
            if (nh == NAT64_PROTO_ROUTING && p[NAT64_RT_SEGLEFT_OFS]
                && !inner) {
                h->hlen = off;      /* For the Parameter Problem pointer. */
                return NAT64_DROP_IP6_ROUTING;
            }
            hl = ((size_t) p[NAT64_EXT_LEN_OFS] + 1) * NAT64_EXT_UNIT;
            if (hl > end - off) {
                return bad_ext;
            }
        }
        nh = p[NAT64_EXT_NXT_OFS];
        off += hl;
    }
    if (NAT64_IP6_LEN + plen < off) {
        return bad_ext;
    }
    if (!inner && h->is_frag
        && (size_t) h->frag_off * 8 + (NAT64_IP6_LEN + plen - off)
           > NAT64_IP_MAX_LEN) {
        return NAT64_DROP_FRAG_PAST_END;    /* RFC 8200 4.5. */
    }
    h->hlen = off;
    h->l4len = end - off;
    h->ulen = (uint32_t) (NAT64_IP6_LEN + plen - off);
    h->proto = nh;
    return NAT64_DROP_NONE;
}

/* Writes an IPv6 header, plus a Fragment header if 'h' is a fragment,
 * for 'ulen' upper-layer bytes of protocol 'proto'. */
void
nat64_write_ip6(uint8_t *p, const struct nat64_l3 *h, uint8_t proto,
                uint32_t ulen, uint8_t ttl)
{
    nat64_put_be32(p + NAT64_IP6_VFC_OFS,
                   ((uint32_t) NAT64_IP6_VERSION << 28)
                   | ((uint32_t) h->tos << 20));
    if (h->is_frag) {
        uint8_t *f = p + NAT64_IP6_LEN;

        nat64_put_be16(p + NAT64_IP6_PLEN_OFS,
                       (uint16_t) (ulen + NAT64_FRAG_LEN));
        p[NAT64_IP6_NXT_OFS] = NAT64_PROTO_FRAGMENT;
        f[NAT64_EXT_NXT_OFS] = proto;
        f[NAT64_FRAG_RSVD_OFS] = 0;
        nat64_put_be16(f + NAT64_FRAG_OFFLG_OFS,
                       (uint16_t) ((h->frag_off << 3) | h->mf));
        nat64_put_be32(f + NAT64_FRAG_ID_OFS, h->id);
    } else {
        nat64_put_be16(p + NAT64_IP6_PLEN_OFS, (uint16_t) ulen);
        p[NAT64_IP6_NXT_OFS] = proto;
    }
    p[NAT64_IP6_HLIM_OFS] = ttl;
    memcpy(p + NAT64_IP6_SRC_OFS, h->src6, 16);
    memcpy(p + NAT64_IP6_DST_OFS, h->dst6, 16);
}

/* Writes a 20-byte IPv4 header with its checksum. */
void
nat64_write_ip4(uint8_t *p, const struct nat64_l3 *h, uint8_t proto,
                uint32_t ulen, uint8_t ttl, uint16_t id, uint16_t frag_field)
{
    uint32_t sum;

    p[NAT64_IP4_VER_IHL_OFS] = NAT64_IP4_VER_IHL;
    p[NAT64_IP4_TOS_OFS] = h->tos;
    nat64_put_be16(p + NAT64_IP4_TOT_LEN_OFS,
                   (uint16_t) (ulen + NAT64_IP4_LEN));
    nat64_put_be16(p + NAT64_IP4_ID_OFS, id);
    nat64_put_be16(p + NAT64_IP4_FRAG_OFS, frag_field);
    p[NAT64_IP4_TTL_OFS] = ttl;
    p[NAT64_IP4_PROTO_OFS] = proto;
    memcpy(p + NAT64_IP4_SRC_OFS, h->src4, 4);
    memcpy(p + NAT64_IP4_DST_OFS, h->dst4, 4);
    sum = ((uint32_t) NAT64_IP4_VER_IHL << 8) + h->tos + ulen + NAT64_IP4_LEN
          + id + frag_field + ((uint32_t) ttl << 8) + proto
          + nat64_sum_ip4(h->src4) + nat64_sum_ip4(h->dst4);
    nat64_put_be16(p + NAT64_IP4_CSUM_OFS, (uint16_t) ~nat64_fold(sum));
}

int
nat64_is_ext_or_bad4(uint8_t proto)
{
    /* RFC 7915 4.5 / 5.5: every transport protocol is forwarded.  The
     * exceptions the RFC names: IPv6 extension header numbers and ICMPv6
     * as an IPv4 protocol (4.1), IGMP (4.2: single-hop, SHOULD drop). */
    return nat64_is_ext_hdr(proto) || proto == NAT64_PROTO_ICMPV6
           || proto == NAT64_PROTO_IGMP;
}

/* Checks the TCP or UDP header of a whole packet or first fragment. */
enum nat64_drop_reason
nat64_check_l4(const struct nat64_l3 *h, const uint8_t *l4, int from4)
{
    if (h->frag_off) {
        return NAT64_DROP_NONE;     /* No L4 header here. */
    }
    if (h->proto == NAT64_PROTO_TCP) {
        if (h->l4len < NAT64_TCP_MIN_LEN) {
            return NAT64_DROP_BAD_L4_HDR;
        }
    } else if (h->proto == NAT64_PROTO_DCCP) {
        if (h->l4len < NAT64_DCCP_MIN_LEN) {
            return NAT64_DROP_BAD_L4_HDR;
        }
    } else if (h->proto == NAT64_PROTO_UDP) {
        if (h->l4len < NAT64_UDP_LEN) {
            return NAT64_DROP_BAD_L4_HDR;
        }
        if (!nat64_get_be16(l4 + NAT64_UDP_CSUM_OFS)) {
            if (!from4) {
                return NAT64_DROP_BAD_L4_HDR;   /* RFC 8200 8.1. */
            }
            if (h->is_frag) {
                return NAT64_DROP_UDP_ZERO_CSUM_FRAG;
            }
        }
    }
    return NAT64_DROP_NONE;
}

/* Maps the addresses of the outer IPv4 header 'h' (upper layer at 'l4')
 * and applies the address rules (nat64_addr_policy4()).  The source of an
 * ICMPv4 error is exempt from them: RFC 7915 4.1 translates an "illegal"
 * source of an error for trouble shooting (a router answering from
 * 127.0.0.1 or a private address); only a group or broadcast source, which
 * no IPv6 source can express, stays unmappable.  No exemption from
 * 'protected4': that rule is about spoofing, not legality. */
enum nat64_drop_reason
nat64_map_4to6_outer(const struct nat64_config *cfg, struct nat64_l3 *h,
                     const uint8_t *l4, int eth_bcast)
{
    enum nat64_drop_reason r;

    if (nat64_is_protected4(cfg, h->src4)) {
        return NAT64_DROP_PROTECTED_SRC;
    }
    if (h->proto == NAT64_PROTO_ICMP && !h->is_frag && h->l4len >= 1
        && nat64_is_icmp4_error(l4[NAT64_ICMP_TYPE_OFS])) {
        if (nat64_ip4_is_mcast_or_e(h->src4)) {
            return NAT64_DROP_SRC_NOT_MAPPED;
        }
        nat64_addr_4to6(cfg, h->src4, h->src6);
    } else {
        r = nat64_map_src_4to6(cfg, h->src4, h->src6);
        if (r == NAT64_DROP_NONE) {
            r = nat64_addr_policy4(cfg, h->src4, 1);
        }
        if (r != NAT64_DROP_NONE) {
            return r;
        }
    }
    r = nat64_map_dst_4to6(cfg, h->dst4, eth_bcast, h->dst6);
    if (r == NAT64_DROP_NONE) {
        r = nat64_addr_policy4(cfg, h->dst4, 0);
    }
    return r;
}

/* The same for an outer IPv6 header.  The source of an ICMPv6 error: an
 * embedded address of any unicast class (trouble shooting, as above), or
 * for a source outside the prefix (a router on the IPv6 side) the RFC 6791
 * pool address if one is configured. */
enum nat64_drop_reason
nat64_map_6to4_outer(const struct nat64_config *cfg, struct nat64_l3 *h,
                     const uint8_t *l4)
{
    enum nat64_drop_reason r;

    if (h->proto == NAT64_PROTO_ICMPV6 && h->l4len >= 1
        && nat64_is_icmp6_error(l4[NAT64_ICMP_TYPE_OFS])) {
        if (nat64_ip6_is_mcast(h->src6)) {
            return NAT64_DROP_SRC_NOT_MAPPED;
        }
        if (nat64_addr_6to4(cfg, h->src6, h->src4)) {
            if (!cfg->has_pool6791) {
                return NAT64_DROP_SRC_NOT_MAPPED;
            }
            memcpy(h->src4, cfg->pool6791, 4);
        } else if (nat64_ip4_is_mcast_or_e(h->src4)) {
            return NAT64_DROP_SRC_NOT_MAPPED;
        }
    } else {
        r = nat64_map_src_6to4(cfg, h->src6, h->src4);
        if (r == NAT64_DROP_NONE) {
            r = nat64_addr_policy4(cfg, h->src4, 1);
        }
        if (r != NAT64_DROP_NONE) {
            return r;
        }
    }
    r = nat64_map_dst_6to4(cfg, h->dst6, h->dst4);
    if (r == NAT64_DROP_NONE && !nat64_ip6_is_mcast(h->dst6)) {
        r = nat64_addr_policy4(cfg, h->dst4, 0);
    }
    return r;
}

/* IPv4 identification and flags/offset word for a translated IPv6
 * packet of 'tot' IPv4 bytes whose upper layer, as received, is at 'l4'.
 * A Fragment header gives id (low 16 bits), MF and offset.  Otherwise the
 * id comes from nat64_ip4_gen_id() and DF from nat64_ip4_df_field(). */
void
nat64_ip4_id_frag(const struct nat64_l3 *h, const uint8_t *l4, size_t tot,
                  uint16_t *id, uint16_t *frag_field)
{
    if (h->is_frag) {
        *id = (uint16_t) h->id;
        *frag_field = (uint16_t) (h->frag_off
                                  | (h->mf ? NAT64_IP4_MF : 0));
    } else {
        *id = nat64_ip4_gen_id(h->proto, l4, h->l4len, h->ulen);
        *frag_field = nat64_ip4_df_field(tot);
    }
}
