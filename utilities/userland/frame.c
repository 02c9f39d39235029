/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nat64d framing: vnet header, partial checksums and GSO metadata around
 * the lib/nat64 core.  See frame.h.
 */
#include "frame.h"

#include <string.h>
#include <linux/virtio_net.h>

#ifndef VIRTIO_NET_HDR_GSO_UDP_L4
#define VIRTIO_NET_HDR_GSO_UDP_L4 5 /* Linux 5.18; older headers lack it. */
#endif

#define NU_ETHERTYPE_IP4 0x0800
#define NU_ETHERTYPE_IP6 0x86dd
#define NU_ETHERTYPE_VLAN 0x8100
#define IPPROTO_TCP_ 6
#define IPPROTO_UDP_ 17
#define TCP_CSUM_OFS 16
#define UDP_CSUM_OFS 6
#define IP4_DF_BYTE 0x40            /* DF in byte 6 of the IPv4 header. */
#define IP6_MIN_MTU 1280            /* RFC 8200 5. */
#define IP4_HDR_MIN 20
#define IP6_HDR_LEN 40
#define TCP_HDR_MIN 20
#define TCP_FLAGS_OFS 13
#define TCP_SYN 0x02
/* Translation makes each segment of a super-frame this much larger
 * (4to6) or smaller (6to4), options aside. */
#define IP_HDR_DELTA 20
/* The smallest segment payload we reduce gso_size to; below it the MTU
 * is unusable for TCP anyway. */
#define GSO_SIZE_MIN 8

/* Fake Ethernet addresses around tun packets: unicast and locally
 * administered, so the core neither maps a broadcast nor refuses to
 * reply to a multicast source. */
static const uint8_t fake_eth[12] = {
    0x02, 0, 0, 0, 0, 0x01,
    0x02, 0, 0, 0, 0, 0x02,
};

static const char *const event_names[] = {
#define NU_EV(ENUM, NAME) NAME,
    NU_EVENTS
#undef NU_EV
};

const char *
nu_event_name(enum nu_event ev)
{
    return ev < NU_N_EVENTS ? event_names[ev] : "unknown";
}

static uint16_t
get16(const uint8_t *p)
{
    return (uint16_t) ((p[0] << 8) | p[1]);
}

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v & 0xff;
}

void
nu_vnet_decode(const uint8_t *p, struct nu_vnet *v)
{
    /* Little-endian fields: tun/tap use the host's order, and the
     * daemon builds only on little-endian hosts (configure checks). */
    v->flags = p[0];
    v->gso_type = p[1];
    v->hdr_len = (uint16_t) (p[2] | (p[3] << 8));
    v->gso_size = (uint16_t) (p[4] | (p[5] << 8));
    v->csum_start = (uint16_t) (p[6] | (p[7] << 8));
    v->csum_offset = (uint16_t) (p[8] | (p[9] << 8));
}

void
nu_vnet_encode(const struct nu_vnet *v, uint8_t *p)
{
    p[0] = v->flags;
    p[1] = v->gso_type;
    p[2] = v->hdr_len & 0xff;
    p[3] = v->hdr_len >> 8;
    p[4] = v->gso_size & 0xff;
    p[5] = v->gso_size >> 8;
    p[6] = v->csum_start & 0xff;
    p[7] = v->csum_start >> 8;
    p[8] = v->csum_offset & 0xff;
    p[9] = v->csum_offset >> 8;
}

uint32_t
nu_csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    uint64_t s = sum;
    size_t i;

    for (i = 0; i + 1 < n; i += 2) {
        s += get16(p + i);
    }
    if (n & 1) {
        s += (uint32_t) p[n - 1] << 8;
    }
    while (s >> 32) {
        s = (s & 0xffffffff) + (s >> 32);
    }
    return (uint32_t) s;
}

uint16_t
nu_csum_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return (uint16_t) sum;
}

/* Where the L3 packet of 'frame' starts and its ethertype (0 if none). */
static size_t
l3_offset(enum nu_link link, const uint8_t *frame, size_t len,
          uint16_t *ethertype)
{
    *ethertype = 0;
    if (len < NU_ETH_LEN) {
        return 0;
    }
    *ethertype = get16(frame + 12);
    if (link == NU_LINK_L2 && *ethertype == NU_ETHERTYPE_VLAN) {
        if (len < NU_ETH_LEN + 4) {
            *ethertype = 0;
            return 0;
        }
        *ethertype = get16(frame + 16);
        return NU_ETH_LEN + 4;
    }
    return NU_ETH_LEN;
}

/* The L4 protocol and offset (from the L3 header) of an unfragmented
 * IPv4 packet or an IPv6 packet without extension headers; 0 if neither
 * or truncated. */
static uint8_t
l4_of(uint16_t ethertype, const uint8_t *l3, size_t len, size_t *l4)
{
    if (ethertype == NU_ETHERTYPE_IP4 && len >= IP4_HDR_MIN
        && (l3[0] >> 4) == 4) {
        if ((get16(l3 + 6) & 0x3fff) != 0) {
            return 0;           /* A fragment: no whole L4 here. */
        }
        *l4 = (size_t) (l3[0] & 0x0f) * 4;
        return *l4 >= IP4_HDR_MIN && *l4 <= len ? l3[9] : 0;
    } else if (ethertype == NU_ETHERTYPE_IP6 && len >= IP6_HDR_LEN
               && (l3[0] >> 4) == 6) {
        *l4 = IP6_HDR_LEN;
        return l3[6];
    }
    return 0;
}

/* Completes the partial checksum of 'f' in software (what the kernel's
 * skb_checksum_help does) and clears NEEDS_CSUM. */
static void
complete_csum(struct nu_frame *f, uint8_t *dev, uint8_t proto)
{
    uint8_t *field = dev + f->vnet.csum_start + f->vnet.csum_offset;
    uint16_t c = ~nu_csum_fold(nu_csum_add(0, dev + f->vnet.csum_start,
                                           f->len - f->vnet.csum_start));

    if (c == 0 && proto == IPPROTO_UDP_) {
        c = 0xffff;             /* UDP: 0 would mean "no checksum". */
    }
    put16(field, c);
    f->vnet.flags &= ~VIRTIO_NET_HDR_F_NEEDS_CSUM;
}

static void
complement16(uint8_t *p)
{
    put16(p, (uint16_t) ~get16(p));
}

static int
passable(enum nat64_drop_reason r)
{
    /* IPv6 that is not for the mapping: native IPv6 of the tenant. */
    return r == NAT64_DROP_SRC_NOT_MAPPED || r == NAT64_DROP_DST_NOT_MAPPED
           || r == NAT64_DROP_MCAST_NOT_MAPPED;
}

static enum nu_action
drop_event(struct nu_stats *st, enum nu_event ev)
{
    st->events[ev]++;
    return NU_DROP;
}

static enum nu_action
drop_reason(struct nu_stats *st, enum nat64_drop_reason r)
{
    st->drops[r < NAT64_N_DROP_REASONS ? r : NAT64_DROP_NONE]++;
    return NU_DROP;
}

/* Does a 4to6 packet whose IPv4 header is at 'ip4' go out whole at
 * 'len' bytes of IPv6?  The core's limit: cfg->mtu, and for a packet
 * without DF also frag_mtu, never below the IPv6 minimum MTU
 * (lib/nat64/README.md); 0 is no limit.  A packet that does not is
 * fragmented, so its checksum must be complete before. */
static int
fits_4to6(const struct nat64_config *cfg, const uint8_t *ip4, size_t len)
{
    size_t limit = cfg->mtu;

    if (!(ip4[6] & IP4_DF_BYTE) && cfg->frag_mtu) {
        size_t frag = (cfg->frag_mtu < IP6_MIN_MTU ? IP6_MIN_MTU
                       : cfg->frag_mtu);

        if (!limit || frag < limit) {
            limit = frag;
        }
    }
    return !limit || len <= limit;
}

enum nu_action
nu_frame_translate(const struct nat64_config *cfg0, enum nu_link link,
                   enum nat64_direction dir, int pass_native,
                   struct nu_frame *f, uint8_t *reply, size_t reply_size,
                   struct nu_stats *st)
{
    uint8_t *dev = f->buf + NU_HEADROOM;   /* What the device gave us. */
    uint8_t *frame = dev;                  /* The Ethernet frame. */
    size_t flen = f->len, l3ofs, l4 = 0, dev_l3;
    uint16_t ethertype;
    uint8_t proto = 0, gso, *field = NULL;
    int partial = 0;
    struct nat64_config gcfg;
    const struct nat64_config *cfg = cfg0;
    struct nat64_pkt pkt;
    struct nat64_reply_buf rb = { reply, reply_size };
    struct nat64_result res;
    size_t hdr_delta = link == NU_LINK_L3 ? NU_ETH_LEN : 0;

    if (link == NU_LINK_L3) {
        if (f->len < 1) {
            return drop_reason(st, NAT64_DROP_TRUNCATED);
        }
        switch (dev[0] >> 4) {
        case 4:
            ethertype = NU_ETHERTYPE_IP4;
            dir = NAT64_4TO6;
            break;
        case 6:
            ethertype = NU_ETHERTYPE_IP6;
            dir = NAT64_6TO4;
            break;
        default:
            return drop_reason(st, NAT64_DROP_NOT_IP);
        }
        frame = dev - NU_ETH_LEN;
        memcpy(frame, fake_eth, sizeof fake_eth);
        put16(frame + 12, ethertype);
        flen = f->len + NU_ETH_LEN;
        l3ofs = NU_ETH_LEN;
    } else {
        l3ofs = l3_offset(link, frame, flen, &ethertype);
        if (!l3ofs) {
            return drop_reason(st, NAT64_DROP_TRUNCATED);
        }
        if (pass_native && dir == NAT64_4TO6
            && ethertype == NU_ETHERTYPE_IP6) {
            st->events[NU_EV_PASSTHROUGH]++;
            f->out = dev;
            f->out_len = f->len;
            return NU_PASS;
        }
    }
    dev_l3 = l3ofs - hdr_delta;

    gso = f->has_vnet ? f->vnet.gso_type & ~VIRTIO_NET_HDR_GSO_ECN
                      : VIRTIO_NET_HDR_GSO_NONE;
    if (f->has_vnet) {
        proto = l4_of(ethertype, frame + l3ofs, flen - l3ofs, &l4);
    }
    if (gso != VIRTIO_NET_HDR_GSO_NONE) {
        if (gso != VIRTIO_NET_HDR_GSO_TCPV4
            && gso != VIRTIO_NET_HDR_GSO_TCPV6) {
            return drop_event(st, NU_EV_GSO_UNSUPP);
        }
        if (proto != IPPROTO_TCP_ || !f->vnet.gso_size
            || !(f->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM)
            || ((gso == VIRTIO_NET_HDR_GSO_TCPV4)
                != (ethertype == NU_ETHERTYPE_IP4))
            || f->vnet.csum_start != dev_l3 + l4
            || f->vnet.csum_offset != TCP_CSUM_OFS
            || dev_l3 + l4 + TCP_HDR_MIN > f->len
            || dev[dev_l3 + l4 + TCP_FLAGS_OFS] & TCP_SYN) {
            /* (A SYN is never a super-frame; its checksum could not stay
             * partial through the MSS clamp.) */
            return drop_event(st, NU_EV_BAD_VNET);
        }
        st->events[NU_EV_GSO]++;
        /* The MTU applies to each segment, checked below. */
        gcfg = *cfg0;
        gcfg.mtu = 0;
        cfg = &gcfg;
    }
    if (f->has_vnet && f->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
        size_t cs = f->vnet.csum_start, co = f->vnet.csum_offset;

        if (cs + co + 2 > f->len || cs + co < cs) {
            return drop_event(st, NU_EV_BAD_VNET);
        }
        field = dev + cs + co;
        if (cs == dev_l3 + l4 && l4
            && ((proto == IPPROTO_TCP_ && co == TCP_CSUM_OFS
                 && !(dev[cs + TCP_FLAGS_OFS] & TCP_SYN))
                || (proto == IPPROTO_UDP_ && co == UDP_CSUM_OFS
                    && get16(field) != 0xffff && !cfg->alg))
            && (gso != VIRTIO_NET_HDR_GSO_NONE || dir != NAT64_4TO6
                || fits_4to6(cfg, frame + l3ofs,
                             flen - l3ofs + IP_HDR_DELTA))) {
            complement16(field);
            partial = 1;
            st->events[NU_EV_CSUM_PARTIAL]++;
        } else {
            /* Not where the core adjusts it, a SYN (the core's MSS clamp
             * changes bytes the device would sum again), a UDP sum that
             * would read as "no checksum", UDP while an ALG is on (the
             * ALGs rewrite only datagrams whose checksum verifies), or
             * about to be fragmented. */
            complete_csum(f, dev, proto);
            st->events[NU_EV_CSUM_SW]++;
        }
    }

    pkt.data = frame;
    pkt.len = flen;
    pkt.headroom = frame - f->buf;
    pkt.tailroom = NU_PKT_MAX - f->len;
    switch (nat64_translate(cfg, dir, &pkt, reply ? &rb : NULL, &res)) {
    case NAT64_OK:
        break;
    case NAT64_DROP:
        if (partial) {
            complement16(field);
        }
        if (link == NU_LINK_L2 && pass_native && dir == NAT64_6TO4
            && passable(res.reason)) {
            st->events[NU_EV_PASSTHROUGH]++;
            f->out = dev;
            f->out_len = f->len;
            return NU_PASS;
        }
        return drop_reason(st, res.reason);
    case NAT64_REPLY:
        st->replies++;
        if (res.reply_len < hdr_delta) {
            return drop_reason(st, res.reason);
        }
        f->reply_out = reply + hdr_delta;
        f->reply_len = res.reply_len - hdr_delta;
        return NU_REPLY;
    case NAT64_FRAGMENT:
        if (partial) {
            complement16(field);
        }
        f->out = frame;
        f->out_len = flen;
        return NU_FRAGMENT;
    default:
        return drop_reason(st, NAT64_DROP_NONE);
    }

    if (partial || gso != VIRTIO_NET_HDR_GSO_NONE) {
        uint8_t *l4p = pkt.data + res.l4_ofs;

        if (!res.l4_ofs || res.l4_proto != proto
            || res.l4_ofs + f->vnet.csum_offset + 2 > pkt.len) {
            return drop_event(st, NU_EV_BAD_VNET);
        }
        if (partial) {
            complement16(l4p + f->vnet.csum_offset);
        }
        f->vnet.csum_start = res.l4_ofs - hdr_delta;
        if (gso != VIRTIO_NET_HDR_GSO_NONE) {
            size_t l3h = res.l4_ofs - res.l3_ofs;
            size_t th = (size_t) (l4p[12] >> 4) * 4;
            size_t seg = l3h + th + f->vnet.gso_size;

            if (th < TCP_HDR_MIN || res.l4_ofs + th > pkt.len) {
                return drop_event(st, NU_EV_BAD_VNET);
            }
            f->vnet.gso_type = (f->vnet.gso_type & VIRTIO_NET_HDR_GSO_ECN)
                               | (res.ethertype == NU_ETHERTYPE_IP6
                                  ? VIRTIO_NET_HDR_GSO_TCPV6
                                  : VIRTIO_NET_HDR_GSO_TCPV4);
            f->vnet.hdr_len = res.l4_ofs - hdr_delta + th;
            /* Segments grow by 20 bytes in 4to6: the segment size shrinks
             * if they would no longer fit the MTU.  In 6to4 they shrink
             * and keep their size (growing them would break the MSS the
             * receiver announced). */
            if (cfg0->mtu && seg > cfg0->mtu) {
                if (cfg0->mtu < l3h + th + GSO_SIZE_MIN) {
                    return drop_reason(st, NAT64_DROP_TOO_BIG);
                }
                f->vnet.gso_size = cfg0->mtu - l3h - th;
                st->events[NU_EV_GSO_REDUCED]++;
            }
        }
    }
    if (gso == VIRTIO_NET_HDR_GSO_NONE) {
        f->vnet.hdr_len = 0;    /* A hint only; ours would be stale. */
    }
    f->vnet.flags &= VIRTIO_NET_HDR_F_NEEDS_CSUM;
    st->translated++;
    f->out = pkt.data + hdr_delta;
    f->out_len = pkt.len - hdr_delta;
    return NU_SEND;
}

int
nu_frame_fragment(const struct nat64_config *cfg, enum nu_link link,
                  const struct nu_frame *f, struct nat64_frag_iter *it,
                  uint8_t *out, size_t out_size, uint8_t **out_start,
                  struct nu_stats *st)
{
    size_t hdr_delta = link == NU_LINK_L3 ? NU_ETH_LEN : 0;
    int n = nat64_fragment_next(cfg, f->out, f->out_len, it, out, out_size);

    if (n < 0) {
        drop_reason(st, it->reason);
        return -1;
    }
    if (n == 0) {
        return 0;
    }
    if ((size_t) n < hdr_delta) {
        drop_reason(st, NAT64_DROP_TRUNCATED);
        return -1;
    }
    st->fragments++;
    *out_start = out + hdr_delta;
    return n - (int) hdr_delta;
}

/* ---- UDP coalescing (see frame.h) ---- */

#define IP6_PLEN_OFS 4
#define IP6_NXT_OFS 6
#define IP6_HLIM_OFS 7
#define IP6_ADDRS_OFS 8
#define IP6_ADDRS_LEN 32            /* Source and destination. */
#define UDP_PORTS_LEN 4
#define UDP_LEN_OFS 4
#define UDP_HDR_LEN 8
#define COAL_MAX_PAYLOAD (65535 - UDP_HDR_LEN)
/* What the bucket hash reads: the last two bytes of each address and
 * the ports, where the flows of one translator differ. */
#define IP6_SRC_LOW_OFS 22
#define IP6_DST_LOW_OFS 38
#define UDP6_SPORT_OFS (IP6_HDR_LEN + 0)
#define UDP6_DPORT_OFS (IP6_HDR_LEN + 2)
#define BUCKET_FOLD_SHIFT 6         /* Mixes high bits into the modulus. */

void
nu_coal_init(struct nu_coal *c)
{
    c->n_pkts = 0;
    c->n_groups = 0;
    c->next = 0;
    memset(c->bucket, 0xff, sizeof c->bucket);     /* All -1. */
}

int
nu_coal_eligible(const uint8_t *p, size_t n)
{
    return n > NU_COAL_HDR && n <= IP6_HDR_LEN + 65535
           && (p[0] >> 4) == 6 && p[IP6_NXT_OFS] == IPPROTO_UDP_
           && get16(p + IP6_PLEN_OFS) == n - IP6_HDR_LEN
           && get16(p + IP6_HDR_LEN + UDP_LEN_OFS) == n - IP6_HDR_LEN;
}

/* Do 'a' and 'b' belong to one flow: version, traffic class, flow
 * label, hop limit, addresses and ports equal? */
static int
same_flow(const uint8_t *a, const uint8_t *b)
{
    return !memcmp(a, b, IP6_PLEN_OFS)
           && a[IP6_HLIM_OFS] == b[IP6_HLIM_OFS]
           && !memcmp(a + IP6_ADDRS_OFS, b + IP6_ADDRS_OFS,
                      IP6_ADDRS_LEN + UDP_PORTS_LEN);
}

static unsigned int
flow_bucket(const uint8_t *p)
{
    uint32_t h = get16(p + IP6_SRC_LOW_OFS) ^ get16(p + IP6_DST_LOW_OFS)
                 ^ get16(p + UDP6_SPORT_OFS)
                 ^ (uint32_t) get16(p + UDP6_DPORT_OFS) << 1;

    return (h ^ (h >> BUCKET_FOLD_SHIFT)) % NU_COAL_BUCKETS;
}

int
nu_coal_add(struct nu_coal *c, uint8_t *p, size_t n, int partial)
{
    unsigned int b = flow_bucket(p);
    size_t plen = n - NU_COAL_HDR;
    int i = c->n_pkts, g;

    if (i >= NU_COAL_PKTS) {
        return -1;
    }
    c->pkt[i].p = p;
    c->pkt[i].len = (uint16_t) n;
    c->pkt[i].partial = partial != 0;
    c->pkt[i].next = -1;
    c->n_pkts++;
    /* The newest group of the flow is the first of its bucket's chain
     * that matches. */
    for (g = c->bucket[b]; g >= 0; g = c->grp[g].chain) {
        if (same_flow(c->pkt[c->grp[g].head].p, p)) {
            break;
        }
    }
    if (g >= 0 && !c->grp[g].closed && c->grp[g].n < NU_COAL_SEGS
        && plen <= c->grp[g].seg
        && c->grp[g].bytes + plen <= COAL_MAX_PAYLOAD) {
        c->pkt[c->grp[g].tail].next = (int16_t) i;
        c->grp[g].tail = (int16_t) i;
        c->grp[g].n++;
        c->grp[g].bytes += (uint32_t) plen;
        c->grp[g].closed = plen < c->grp[g].seg;
        return 0;
    }
    g = c->n_groups++;
    c->grp[g].head = c->grp[g].tail = (int16_t) i;
    c->grp[g].chain = c->bucket[b];
    c->grp[g].n = 1;
    c->grp[g].seg = (uint16_t) plen;
    c->grp[g].closed = 0;
    c->grp[g].bytes = (uint32_t) plen;
    c->bucket[b] = (int16_t) g;
    return 0;
}

/* Does the UDP checksum of the IPv6 datagram 'p' ('n' bytes) verify? */
static int
udp6_csum_ok(const uint8_t *p, size_t n)
{
    uint32_t sum = nu_csum_add(0, p + IP6_ADDRS_OFS, IP6_ADDRS_LEN);

    sum += (uint32_t) (n - IP6_HDR_LEN) + IPPROTO_UDP_;
    sum = nu_csum_add(sum, p + IP6_HDR_LEN, n - IP6_HDR_LEN);
    return get16(p + IP6_HDR_LEN + UDP_CSUM_OFS) != 0
           && nu_csum_fold(sum) == 0xffff;
}

int
nu_coal_take(struct nu_coal *c, const struct nu_frame *f, uint8_t in_flags)
{
    int partial = (f->vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) != 0;

    if (f->vnet.gso_type != VIRTIO_NET_HDR_GSO_NONE
        || !nu_coal_eligible(f->out, f->out_len)
        || (partial ? f->vnet.csum_start != IP6_HDR_LEN
                      || f->vnet.csum_offset != UDP_CSUM_OFS
            : !(in_flags & VIRTIO_NET_HDR_F_DATA_VALID)
              && !udp6_csum_ok(f->out, f->out_len))) {
        return -1;
    }
    return nu_coal_add(c, f->out, f->out_len, partial);
}

size_t
nu_coal_next(struct nu_coal *c, uint8_t *out, size_t out_size,
             uint8_t **p, struct nu_vnet *v, int *n_datagrams,
             struct nu_stats *st)
{
    uint8_t *sf = out + NU_VNET_LEN, *d;
    uint32_t sum;
    size_t len;
    int g, i;

    if (c->next >= c->n_groups) {
        nu_coal_init(c);
        return 0;
    }
    g = c->next++;
    memset(v, 0, sizeof *v);
    i = c->grp[g].head;
    if (c->grp[g].n == 1 || out_size < NU_VNET_LEN + NU_COAL_HDR
                                       + c->grp[g].bytes) {
        /* Alone (or no room, which a caller following frame.h never
         * sees): written as it came, its checksum complete.  A group
         * that did not fit goes out datagram by datagram. */
        if (c->grp[g].n > 1) {
            c->grp[g].head = c->pkt[i].next;
            c->grp[g].n--;
            c->next--;
        }
        if (c->pkt[i].partial) {
            v->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
            v->csum_start = IP6_HDR_LEN;
            v->csum_offset = UDP_CSUM_OFS;
        }
        *p = c->pkt[i].p;
        *n_datagrams = 1;
        return c->pkt[i].len;
    }
    memcpy(sf, c->pkt[i].p, NU_COAL_HDR);
    d = sf + NU_COAL_HDR;
    for (; i >= 0; i = c->pkt[i].next) {
        size_t plen = c->pkt[i].len - NU_COAL_HDR;

        memcpy(d, c->pkt[i].p + NU_COAL_HDR, plen);
        d += plen;
    }
    len = (size_t) (d - sf);
    put16(sf + IP6_PLEN_OFS, (uint16_t) (len - IP6_HDR_LEN));
    put16(sf + IP6_HDR_LEN + UDP_LEN_OFS, (uint16_t) (len - IP6_HDR_LEN));
    /* Partial checksum: the pseudo-header sum, uncomplemented; the
     * kernel adjusts it per segment and sums each segment's bytes. */
    sum = nu_csum_add(0, sf + IP6_ADDRS_OFS, IP6_ADDRS_LEN);
    sum += (uint32_t) (len - IP6_HDR_LEN) + IPPROTO_UDP_;
    put16(sf + IP6_HDR_LEN + UDP_CSUM_OFS, nu_csum_fold(sum));
    v->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
    v->gso_type = VIRTIO_NET_HDR_GSO_UDP_L4;
    v->hdr_len = NU_COAL_HDR;
    v->gso_size = c->grp[g].seg;
    v->csum_start = IP6_HDR_LEN;
    v->csum_offset = UDP_CSUM_OFS;
    st->events[NU_EV_UDP_SUPER]++;
    st->events[NU_EV_UDP_COALESCED] += c->grp[g].n;
    *n_datagrams = c->grp[g].n;
    *p = sf;
    return len;
}
