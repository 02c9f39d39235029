/* SPDX-License-Identifier: Apache-2.0 */
#include <config.h>
#include "dp-packet-gso.h"

#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "csum.h"
#include "dp-packet.h"
#include "dpif-netdev.h"
#include "packets.h"
#include "util.h"

/* TCP flags a NIC keeps only on the last segment, and only on the first. */
#define GSO_TCP_LAST_ONLY (TCP_FIN | TCP_PSH)
#define GSO_TCP_FIRST_ONLY TCP_CWR

/* Parses the Ethernet, optional single VLAN tag, IPv4 or IPv6 and TCP or
 * UDP headers of 'p' into 'h', from the packet's bytes (the offsets in 'p'
 * may be stale after a header-rewriting action).  Returns 0, or
 * EOPNOTSUPP for anything else (not Ethernet, two tags, IPv6 extension
 * headers, IPv4 fragments, other protocols), EINVAL for truncated or
 * inconsistent headers. */
int
dp_packet_gso_parse(const struct dp_packet *p, struct dp_packet_gso_hdrs *h)
{
    const uint8_t *data = dp_packet_data(p);
    size_t size = dp_packet_size(p);
    size_t l3_len, ofs = ETH_HEADER_LEN;
    ovs_be16 type;

    if (!dp_packet_is_eth(p) || size < ETH_HEADER_LEN) {
        return EOPNOTSUPP;
    }
    type = ALIGNED_CAST(const struct eth_header *, data)->eth_type;
    if (eth_type_vlan(type)) {
        const struct vlan_header *vlan = (const void *) (data + ofs);

        if (size < ofs + VLAN_HEADER_LEN) {
            return EINVAL;
        }
        type = vlan->vlan_next_type;
        ofs += VLAN_HEADER_LEN;
        if (eth_type_vlan(type)) {
            return EOPNOTSUPP;
        }
    }
    h->l3_ofs = ofs;

    if (type == htons(ETH_TYPE_IP)) {
        const struct ip_header *ip = (const void *) (data + ofs);
        size_t ihl;

        if (size < ofs + IP_HEADER_LEN) {
            return EINVAL;
        }
        ihl = IP_IHL(ip->ip_ihl_ver) * 4;
        l3_len = ntohs(ip->ip_tot_len);
        if (IP_VER(ip->ip_ihl_ver) != IP_VERSION || ihl < IP_HEADER_LEN
            || l3_len < ihl || size < ofs + l3_len) {
            return EINVAL;
        }
        if (IP_IS_FRAGMENT(ip->ip_frag_off)) {
            return EOPNOTSUPP;
        }
        h->ipv6 = false;
        h->proto = ip->ip_proto;
        h->l4_ofs = ofs + ihl;
    } else if (type == htons(ETH_TYPE_IPV6)) {
        const struct ovs_16aligned_ip6_hdr *ip6 = (const void *) (data + ofs);

        if (size < ofs + IPV6_HEADER_LEN) {
            return EINVAL;
        }
        l3_len = IPV6_HEADER_LEN + ntohs(ip6->ip6_ctlun.ip6_un1.ip6_un1_plen);
        if ((data[ofs] >> 4) != 6 || size < ofs + l3_len) {
            return EINVAL;
        }
        h->ipv6 = true;
        h->proto = ip6->ip6_ctlun.ip6_un1.ip6_un1_nxt;
        h->l4_ofs = ofs + IPV6_HEADER_LEN;
    } else {
        return EOPNOTSUPP;
    }
    h->l4_end = ofs + l3_len;

    if (h->proto == IPPROTO_TCP) {
        const struct tcp_header *tcp = (const void *) (data + h->l4_ofs);
        size_t tcp_len;

        if (h->l4_end < h->l4_ofs + TCP_HEADER_LEN) {
            return EINVAL;
        }
        tcp_len = TCP_OFFSET(tcp->tcp_ctl) * 4;
        if (tcp_len < TCP_HEADER_LEN || h->l4_end < h->l4_ofs + tcp_len) {
            return EINVAL;
        }
    } else if (h->proto == IPPROTO_UDP) {
        if (h->l4_end < h->l4_ofs + UDP_HEADER_LEN) {
            return EINVAL;
        }
    } else {
        return EOPNOTSUPP;
    }
    return 0;
}

/* Returns the TCP or UDP checksum of the L4 segment [l4_ofs, l4_end) of
 * 'data' whose L3 header is at 'l3_ofs', with the checksum field counted
 * as it is (callers zero it first). */
static ovs_be16
gso_l4_csum(const uint8_t *data, const struct dp_packet_gso_hdrs *h)
{
    size_t len = h->l4_end - h->l4_ofs;
    uint32_t partial;

    if (h->ipv6) {
        const struct ovs_16aligned_ip6_hdr *ip6 = (const void *) (data
                                                                + h->l3_ofs);
        return packet_csum_upperlayer6(ip6, data + h->l4_ofs, h->proto, len);
    }
    partial = packet_csum_pseudoheader((const void *) (data + h->l3_ofs));
    return csum_finish(csum_continue(partial, data + h->l4_ofs, len));
}

/* Computes in software the TCP or UDP checksum that 'p' asks the port to
 * compute (checksum offload), and clears the request.  Returns 0, or an
 * errno value from dp_packet_gso_parse() (the packet is left as is). */
int
dp_packet_csum_l4(struct dp_packet *p)
{
    struct dp_packet_gso_hdrs h;
    uint8_t *data = dp_packet_data(p);
    int error = dp_packet_gso_parse(p, &h);

    if (error) {
        return error;
    }
    if (h.proto == IPPROTO_TCP) {
        struct tcp_header *tcp = (void *) (data + h.l4_ofs);

        tcp->tcp_csum = 0;
        tcp->tcp_csum = gso_l4_csum(data, &h);
    } else {
        struct udp_header *udp = (void *) (data + h.l4_ofs);

        udp->udp_csum = 0;
        udp->udp_csum = gso_l4_csum(data, &h);
        if (!udp->udp_csum) {
            /* 0 means "no checksum" in UDP; its one's complement twin
             * means a computed zero (RFC 768). */
            udp->udp_csum = htons(0xffff);
        }
    }
    *dp_packet_ol_flags_ptr(p) &= ~DP_PACKET_OL_TX_L4_MASK;
    return 0;
}

/* Prepares 'gso' to cut TCP super-frame 'p' into segments whose L3 packet,
 * plus 'overhead' bytes (counted from the frame's start: the Ethernet
 * header for a tunnel's payload, 0 for a port), fits 'l3_mtu' bytes.
 * Returns 0, an errno value from dp_packet_gso_parse(), EOPNOTSUPP for a
 * frame that is not TCP, or EMSGSIZE if not even one payload byte fits. */
int
dp_packet_gso_start(struct dp_packet_gso *gso, const struct dp_packet *p,
                    int l3_mtu, size_t overhead)
{
    const uint8_t *data = dp_packet_data(p);
    const struct tcp_header *tcp;
    size_t room, wanted;
    int error;

    error = dp_packet_gso_parse(p, &gso->hdrs);
    if (error) {
        return error;
    }
    if (gso->hdrs.proto != IPPROTO_TCP) {
        return EOPNOTSUPP;
    }
    tcp = (const void *) (data + gso->hdrs.l4_ofs);
    gso->packet = p;
    gso->hdr_len = gso->hdrs.l4_ofs + TCP_OFFSET(tcp->tcp_ctl) * 4;

    /* Headers of one segment that count against the MTU. */
    room = gso->hdr_len - gso->hdrs.l3_ofs + overhead;
    if (l3_mtu <= 0 || room >= (size_t) l3_mtu) {
        return EMSGSIZE;
    }
    gso->segsz = l3_mtu - room;
    wanted = dp_packet_get_tso_segsz(p);
    if (wanted && wanted < gso->segsz) {
        gso->segsz = wanted;
    }
    gso->ofs = gso->hdr_len;
    gso->index = 0;
    return 0;
}

/* Returns the number of segments 'gso' makes in all. */
unsigned int
dp_packet_gso_count(const struct dp_packet_gso *gso)
{
    size_t payload = gso->hdrs.l4_end - gso->hdr_len;

    return payload ? DIV_ROUND_UP(payload, gso->segsz) : 1;
}

/* Returns the next segment of the super-frame, a new packet owned by the
 * caller, or NULL after the last one. */
struct dp_packet *
dp_packet_gso_next(struct dp_packet_gso *gso)
{
    const struct dp_packet *p = gso->packet;
    const uint8_t *src = dp_packet_data(p);
    size_t end = gso->hdrs.l4_end;
    struct dp_packet_gso_hdrs h = gso->hdrs;
    struct tcp_header *tcp;
    struct dp_packet *seg;
    uint32_t seq;
    uint16_t flags;
    size_t len;
    uint8_t *data;
    bool last;

    if (gso->index && gso->ofs >= end) {
        return NULL;
    }
    len = MIN(gso->segsz, end - gso->ofs);
    last = gso->ofs + len >= end;

    seg = dp_packet_new_with_headroom(gso->hdr_len + len, DP_NETDEV_HEADROOM);
    data = dp_packet_put_uninit(seg, gso->hdr_len + len);
    memcpy(data, src, gso->hdr_len);
    memcpy(data + gso->hdr_len, src + gso->ofs, len);
    seg->packet_type = p->packet_type;
    seg->md = p->md;
    h.l4_end = gso->hdr_len + len;
    dp_packet_set_l3(seg, data + h.l3_ofs);
    dp_packet_set_l4(seg, data + h.l4_ofs);

    if (h.ipv6) {
        struct ovs_16aligned_ip6_hdr *ip6 = (void *) (data + h.l3_ofs);

        ip6->ip6_ctlun.ip6_un1.ip6_un1_plen = htons(h.l4_end - h.l4_ofs);
    } else {
        struct ip_header *ip = (void *) (data + h.l3_ofs);

        ip->ip_tot_len = htons(h.l4_end - h.l3_ofs);
        ip->ip_id = htons(ntohs(ip->ip_id) + gso->index);
        ip->ip_csum = 0;
        ip->ip_csum = csum(ip, IP_IHL(ip->ip_ihl_ver) * 4);
    }

    tcp = (void *) (data + h.l4_ofs);
    seq = get_16aligned_be32(&tcp->tcp_seq);
    put_16aligned_be32(&tcp->tcp_seq,
                       htonl(ntohl(seq) + (gso->ofs - gso->hdr_len)));
    flags = TCP_FLAGS(tcp->tcp_ctl);
    if (!last) {
        flags &= ~GSO_TCP_LAST_ONLY;
    }
    if (gso->index) {
        flags &= ~GSO_TCP_FIRST_ONLY;
    }
    tcp->tcp_ctl = htons((ntohs(tcp->tcp_ctl) & ~0x0fff) | flags);
    tcp->tcp_csum = 0;
    tcp->tcp_csum = gso_l4_csum(data, &h);

    gso->ofs += len;
    gso->index++;
    return seg;
}
