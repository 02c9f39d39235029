/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property and fuzz test of nat64d's framing code (utilities/userland/
 * frame.c): vnet header handling, partial checksums and GSO metadata.
 * Built with ASan/UBSan, so an out-of-bounds access aborts.
 *
 *   - partial == full: the same TCP or UDP packet, once with a full
 *     checksum and no offload, once with a partial checksum (and, for
 *     TCP, as a GSO super-frame), translated in both directions and in
 *     tun and tap framing; the partial one, completed in software as the
 *     kernel would, must equal the full one byte for byte (the IPv4
 *     identification and header checksum excepted in 6to4: the core
 *     derives the id from the L4 checksum as received), and the full one
 *     must carry a correct checksum over the new pseudo-header;
 *   - GSO: gso_type becomes the other family's, csum_start/hdr_len move
 *     by the header change, gso_size shrinks (4to6) only when segments
 *     would exceed the MTU, never grows;
 *   - fuzz: random vnet headers on mutated frames never crash and every
 *     NU_SEND result is self-consistent;
 *   - UDP coalescing: random batches of datagrams of up to 6 flows, some
 *     corrupt, through the coalescer as the daemon drives it, and the
 *     super-frames segmented as the kernel does: every flow's datagrams
 *     arrive byte for byte and in order, corrupt ones unchanged.
 */
#include "frame.h"

#include <linux/virtio_net.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ITER_PROPS 4000
#define ITER_FUZZ 60000
#define MTU 1500

static unsigned long long rng = 0x9e3779b97f4a7c15ull;
static int failures;
static int allow_syn;           /* build() may make a SYN. */

static unsigned int
rnd(unsigned int n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? (unsigned int) (rng % n) : 0;
}

#define CHECK(COND, ...)                                        \
    do {                                                        \
        if (!(COND)) {                                          \
            if (failures++ < 10) {                              \
                printf("  failed: %s: ", #COND);                \
                printf(__VA_ARGS__);                            \
                printf("\n");                                   \
            }                                                   \
        }                                                       \
    } while (0)

static void
put16(uint8_t *p, unsigned int v)
{
    p[0] = (uint8_t) (v >> 8);
    p[1] = (uint8_t) v;
}

/* Pseudo-header sum of an IPv4 or IPv6 packet at 'l3' with L4 length
 * 'l4len' and protocol 'proto'. */
static uint32_t
pseudo(const uint8_t *l3, size_t l4len, uint8_t proto)
{
    uint8_t tail[4] = { 0, 0, 0, proto };
    uint32_t s;

    if ((l3[0] >> 4) == 4) {
        s = nu_csum_add(0, l3 + 12, 8);
    } else {
        s = nu_csum_add(0, l3 + 8, 32);
    }
    s = nu_csum_add(s, tail, 4);
    tail[0] = (uint8_t) (l4len >> 24);
    tail[1] = (uint8_t) (l4len >> 16);
    tail[2] = (uint8_t) (l4len >> 8);
    tail[3] = (uint8_t) l4len;
    return nu_csum_add(s, tail, 4);
}

/* Builds an IPv4 (v6 = 0) or IPv6 TCP/UDP packet at 'p' (L3), returns
 * its length; the L4 checksum is full. */
static size_t
build(uint8_t *p, int v6, uint8_t proto, size_t payload)
{
    size_t l3h = v6 ? 40 : 20, l4h = proto == 6 ? 20 : 8, i;
    size_t l4len = l4h + payload, len = l3h + l4len;
    uint8_t *l4 = p + l3h;
    unsigned int c;

    memset(p, 0, len);
    if (v6) {
        static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x64,
                                         0, 0, 0, 0, 0, 0, 192, 168, 0, 100 };
        p[0] = 0x60;
        put16(p + 4, (unsigned int) l4len);
        p[6] = proto;
        p[7] = 64;
        memcpy(p + 8, src, 16);
        memcpy(p + 24, src, 16);
        p[39] = 10;
    } else {
        p[0] = 0x45;
        put16(p + 2, (unsigned int) len);
        put16(p + 4, rnd(65536));
        p[6] = 0x40;            /* DF */
        p[8] = 64;
        p[9] = proto;
        p[12] = 192; p[13] = 168; p[14] = 0; p[15] = 10;
        p[16] = 192; p[17] = 168; p[18] = 0; p[19] = 100;
        put16(p + 10, (uint16_t) ~nu_csum_fold(nu_csum_add(0, p, 20)));
    }
    put16(l4, 1024 + rnd(60000));
    put16(l4 + 2, 80);
    if (proto == 6) {
        put16(l4 + 4, rnd(65536));
        l4[12] = 0x50;
        l4[13] = 0x10;          /* ACK */
        put16(l4 + 14, 65535);
    } else {
        put16(l4 + 4, (unsigned int) l4len);
    }
    for (i = 0; i < payload; i++) {
        l4[l4h + i] = (uint8_t) rnd(256);
    }
    if (proto == 6 && allow_syn && payload >= 4 && rnd(4) == 0) {
        /* A SYN with an MSS option the core clamps. */
        l4[12] = 0x60;
        l4[13] = 0x02;
        l4[20] = 2;
        l4[21] = 4;
        put16(l4 + 22, 1460 + rnd(8000));
    }
    c = (uint16_t) ~nu_csum_fold(nu_csum_add(pseudo(p, l4len, proto), l4,
                                             l4len));
    if (proto == 17 && c == 0) {
        c = 0xffff;
    }
    put16(l4 + (proto == 6 ? 16 : 6), c);
    return len;
}

/* 2001:db8:64::/96, the prefix the packets use. */
static void
set_prefix(struct nat64_config *cfg)
{
    static const uint8_t p[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x64 };

    nat64_config_init(cfg);
    if (nat64_config_set_prefix(cfg, p, 96)) {
        abort();
    }
}

static const uint8_t eth[14] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

/* Puts the packet 'ip' (len bytes) into 'f' for 'link'. */
static void
load(struct nu_frame *f, enum nu_link link, const uint8_t *ip, size_t len)
{
    uint8_t *d = f->buf + NU_HEADROOM;

    if (link == NU_LINK_L2) {
        memcpy(d, eth, 12);
        put16(d + 12, (ip[0] >> 4) == 4 ? 0x0800 : 0x86dd);
        memcpy(d + 14, ip, len);
        f->len = len + 14;
    } else {
        memcpy(d, ip, len);
        f->len = len;
    }
}

static int
l4_csum_ok(const uint8_t *l3, size_t len, uint8_t proto)
{
    size_t l3h = (l3[0] >> 4) == 4 ? (size_t) (l3[0] & 15) * 4 : 40;

    return nu_csum_fold(nu_csum_add(pseudo(l3, len - l3h, proto),
                                    l3 + l3h, len - l3h)) == 0xffff;
}

static void
props(void)
{
    static uint8_t ip[70000], ba[NU_HEADROOM + NU_PKT_MAX],
                   bb[NU_HEADROOM + NU_PKT_MAX];
    struct nat64_config cfg;
    struct nu_stats st;
    int i;

    set_prefix(&cfg);
    memset(&st, 0, sizeof st);
    for (i = 0; i < ITER_PROPS; i++) {
        int v6 = rnd(2), tcp = rnd(4) != 0;
        uint8_t proto = tcp ? 6 : 17;
        enum nu_link link = rnd(2) ? NU_LINK_L2 : NU_LINK_L3;
        int gso = tcp && rnd(2);
        size_t payload = gso ? 1 + rnd(60000) : rnd(1400);
        size_t len = (allow_syn = !gso, build(ip, v6, proto, payload));
        size_t l3h = v6 ? 40 : 20;
        size_t lofs = link == NU_LINK_L2 ? 14 : 0, cofs = tcp ? 16 : 6;
        unsigned int gso_size = 500 + rnd(1100);
        struct nu_frame a, b;
        enum nu_action ra, rb;
        uint8_t *field;
        size_t new_l3h = v6 ? 20 : 40;
        int syn = tcp && (ip[l3h + 13] & 0x02);

        if (proto == 17 && rnd(8) == 0) {
            /* A UDP datagram whose partial sum is 0xffff. */
            continue;
        }
        memset(&a, 0, sizeof a);
        memset(&b, 0, sizeof b);
        a.buf = ba;
        b.buf = bb;
        load(&a, link, ip, len);
        load(&b, link, ip, len);
        b.has_vnet = 1;
        b.vnet.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
        b.vnet.csum_start = (uint16_t) (lofs + l3h);
        b.vnet.csum_offset = (uint16_t) cofs;
        field = bb + NU_HEADROOM + lofs + l3h + cofs;
        put16(field, nu_csum_fold(pseudo(ip, len - l3h, proto)));
        if (gso) {
            b.vnet.gso_type = v6 ? VIRTIO_NET_HDR_GSO_TCPV6
                                 : VIRTIO_NET_HDR_GSO_TCPV4;
            b.vnet.gso_size = (uint16_t) gso_size;
            b.vnet.hdr_len = (uint16_t) (lofs + l3h + 20);
        }
        cfg.mtu = gso ? 0 : MTU;
        ra = nu_frame_translate(&cfg, link, v6 ? NAT64_6TO4 : NAT64_4TO6, 1,
                                &a, NULL, 0, &st);
        cfg.mtu = gso || (!v6 && len + 20 > MTU) ? MTU : MTU;
        if (!gso && !v6 && len + 20 > MTU) {
            continue;           /* Would be too big: not this property. */
        }
        rb = nu_frame_translate(&cfg, link, v6 ? NAT64_6TO4 : NAT64_4TO6, 1,
                                &b, NULL, 0, &st);
        CHECK(ra == NU_SEND && rb == NU_SEND, "iteration %d: %d %d", i,
              ra, rb);
        if (ra != NU_SEND || rb != NU_SEND) {
            continue;
        }
        CHECK(a.out_len == b.out_len, "lengths %zu %zu", a.out_len,
              b.out_len);
        /* A SYN is completed in software (the MSS clamp), everything
         * else stays partial. */
        CHECK(b.vnet.flags == (syn ? 0 : VIRTIO_NET_HDR_F_NEEDS_CSUM),
              "flags %u (syn %d)", b.vnet.flags, syn);
        CHECK(syn || b.vnet.csum_start == lofs + new_l3h, "csum_start %u",
              b.vnet.csum_start);
        CHECK(b.vnet.csum_offset == cofs, "csum_offset");
        if (a.out_len != b.out_len) {
            continue;
        }
        {
            /* Complete the partial checksum as the kernel would. */
            uint8_t *o = b.out + b.vnet.csum_start;
            unsigned int c = (uint16_t) ~nu_csum_fold(
                nu_csum_add(0, o, b.out_len - b.vnet.csum_start));
            uint8_t *pa = a.out + lofs, *pb = b.out + lofs;

            if (proto == 17 && c == 0) {
                c = 0xffff;
            }
            if (b.vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
                put16(o + cofs, c);
            }
            if (v6) {
                /* id and header checksum differ by construction. */
                memset(pa + 4, 0, 2);
                memset(pb + 4, 0, 2);
                memset(pa + 10, 0, 2);
                memset(pb + 10, 0, 2);
            }
            CHECK(!memcmp(a.out, b.out, a.out_len),
                  "iteration %d: partial != full (v6 %d proto %u link %d "
                  "gso %d len %zu)", i, v6, proto, link, gso, len);
            CHECK(l4_csum_ok(a.out + lofs, a.out_len - lofs, proto),
                  "iteration %d: bad L4 checksum after translation", i);
        }
        if (gso) {
            size_t seg = new_l3h + 20 + gso_size;

            CHECK(b.vnet.gso_type == (v6 ? VIRTIO_NET_HDR_GSO_TCPV4
                                         : VIRTIO_NET_HDR_GSO_TCPV6),
                  "gso_type %u", b.vnet.gso_type);
            CHECK(b.vnet.hdr_len == lofs + new_l3h + 20, "hdr_len %u",
                  b.vnet.hdr_len);
            CHECK(b.vnet.gso_size == (seg > MTU ? MTU - new_l3h - 20
                                                : gso_size),
                  "gso_size %u from %u (v6 %d)", b.vnet.gso_size, gso_size,
                  v6);
            CHECK(b.vnet.gso_size <= gso_size, "gso_size grew");
        }
    }
    /* The direction, explicitly: 4to6 1460 -> 1440 at MTU 1500; 6to4
     * 1440 stays 1440. */
    {
        struct nu_frame f;
        size_t len;
        int d;

        allow_syn = 0;
        for (d = 0; d < 2; d++) {
            memset(&f, 0, sizeof f);
            f.buf = ba;
            len = build(ip, d, 6, 8000);
            load(&f, NU_LINK_L3, ip, len);
            f.has_vnet = 1;
            f.vnet.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
            f.vnet.gso_type = d ? VIRTIO_NET_HDR_GSO_TCPV6
                                : VIRTIO_NET_HDR_GSO_TCPV4;
            f.vnet.gso_size = d ? 1440 : 1460;
            f.vnet.csum_start = d ? 40 : 20;
            f.vnet.csum_offset = 16;
            f.vnet.hdr_len = f.vnet.csum_start + 20;
            cfg.mtu = MTU;
            CHECK(nu_frame_translate(&cfg, NU_LINK_L3, 0, 1, &f, NULL, 0,
                                     &st) == NU_SEND, "direction %d", d);
            CHECK(f.vnet.gso_size == 1440, "direction %d: gso_size %u", d,
                  f.vnet.gso_size);
        }
    }
    printf("%s: partial/GSO properties (%d cases)\n",
           failures ? "FAIL" : "PASS", ITER_PROPS);
}

static void
fuzz(void)
{
    static uint8_t ip[4000];
    uint8_t *buf = malloc(NU_HEADROOM + NU_PKT_MAX);
    uint8_t reply[NAT64_REPLY_MAX];
    struct nat64_config cfg;
    struct nu_stats st;
    int i, before = failures;

    set_prefix(&cfg);
    memset(&st, 0, sizeof st);
    for (i = 0; i < ITER_FUZZ; i++) {
        struct nu_frame f;
        enum nu_link link = rnd(2) ? NU_LINK_L2 : NU_LINK_L3;
        size_t len = build(ip, rnd(2), rnd(2) ? 6 : 17, rnd(1500)), k;
        enum nu_action r;

        allow_syn = 1;
        for (k = rnd(6); k > 0; k--) {
            ip[rnd((unsigned int) len)] = (uint8_t) rnd(256);
        }
        if (rnd(4) == 0) {
            len = rnd((unsigned int) len + 1);
        }
        memset(&f, 0, sizeof f);
        f.buf = buf;
        load(&f, link, ip, len);
        f.has_vnet = 1;
        f.vnet.flags = (uint8_t) rnd(4);
        f.vnet.gso_type = (uint8_t) (rnd(3) ? rnd(5) : rnd(256));
        f.vnet.gso_size = (uint16_t) rnd(3000);
        f.vnet.csum_start = (uint16_t) (rnd(2) ? rnd(80) : rnd(65536));
        f.vnet.csum_offset = (uint16_t) (rnd(2) ? (rnd(2) ? 16 : 6)
                                                : rnd(65536));
        f.vnet.hdr_len = (uint16_t) rnd(65536);
        cfg.mtu = rnd(2) ? MTU : (uint16_t) (68 + rnd(2000));
        cfg.dec_ttl = (uint8_t) rnd(2);
        r = nu_frame_translate(&cfg, link, rnd(2) ? NAT64_6TO4 : NAT64_4TO6,
                               (int) rnd(2), &f, rnd(2) ? reply : NULL,
                               sizeof reply, &st);
        if (r == NU_SEND) {
            CHECK(f.out >= buf && f.out + f.out_len
                  <= buf + NU_HEADROOM + NU_PKT_MAX, "out of buffer");
            if (f.vnet.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
                CHECK(f.vnet.csum_start + f.vnet.csum_offset + 2u
                      <= f.out_len, "csum field past the end");
            }
            if (f.vnet.gso_type != VIRTIO_NET_HDR_GSO_NONE) {
                CHECK(f.vnet.hdr_len <= f.out_len, "hdr_len past the end");
            }
        } else if (r == NU_REPLY) {
            CHECK(f.reply_len <= sizeof reply, "reply too long");
        }
    }
    free(buf);
    printf("%s: framing fuzz (%d random vnet headers and frames)\n",
           failures != before ? "FAIL" : "PASS", ITER_FUZZ);
}

/* ---- UDP coalescing ---- */

#define COAL_ITER 300
#define COAL_STORE 65536

/* An IPv6/UDP datagram of flow 'flow' (0-5: addresses, ports, hop limit
 * or traffic class differ) with 'payload' bytes derived from 'seq', full
 * checksum (0 sent as 0xffff), at 'p'; or, with 'corrupt', one payload
 * bit flipped after the checksum.  Returns its length. */
static size_t
coal_build(uint8_t *p, int flow, unsigned int seq, size_t payload,
           int corrupt)
{
    size_t len = 48 + payload, i;
    unsigned int c;

    memset(p, 0, 48);
    p[0] = 0x60;
    p[1] = flow == 4 ? 0x20 : 0;         /* Traffic class. */
    put16(p + 4, (unsigned int) (8 + payload));
    p[6] = 17;
    p[7] = flow == 5 ? 63 : 64;
    p[8] = 0x20;
    p[9] = 0x01;
    p[23] = (uint8_t) (1 + (flow == 1));
    p[24] = 0x20;
    p[25] = 0x01;
    p[39] = (uint8_t) (2 + (flow == 2));
    put16(p + 40, 1000u + (flow == 3));
    put16(p + 42, 9);
    put16(p + 44, (unsigned int) (8 + payload));
    for (i = 0; i < payload; i++) {
        p[48 + i] = (uint8_t) (seq * 13 + i + (unsigned int) flow);
    }
    c = (uint16_t) ~nu_csum_fold(nu_csum_add(pseudo(p, 8 + payload, 17),
                                             p + 40, 8 + payload));
    put16(p + 46, c ? c : 0xffff);
    if (corrupt && payload) {
        p[48 + rnd((unsigned int) payload)] ^= 0x10;
    }
    return len;
}

/* The flow coal_build() gave 'p'. */
static int
coal_flow_of(const uint8_t *p)
{
    return p[1] == 0x20 ? 4 : p[7] == 63 ? 5 : p[23] == 2 ? 1
           : p[39] == 3 ? 2 : p[41] == 0xe9 ? 3 : 0;
}

/* What the kernel does with a frame the daemon writes: a lone datagram
 * as it is; a UDP GSO super-frame split into gso_size segments, each
 * with its lengths and its checksum completed from the partial one.
 * Appends the datagrams to 'out' ('*n' of them, 'lens'). */
static void
coal_segment(const uint8_t *p, size_t len, const struct nu_vnet *v,
             uint8_t *out, size_t *used, size_t *lens, int *n)
{
    size_t off, seg, total;
    int k = 0;

    if (v->gso_type == VIRTIO_NET_HDR_GSO_NONE) {
        memcpy(out + *used, p, len);
        if (v->flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
            uint8_t *d = out + *used;
            unsigned int c;

            CHECK(v->csum_start == 40 && v->csum_offset == 6,
                  "lone partial at %u+%u", v->csum_start, v->csum_offset);
            c = (uint16_t) ~nu_csum_fold(nu_csum_add(0, d + 40, len - 40));
            put16(d + 46, c ? c : 0xffff);
        }
        *used += len;
        lens[(*n)++] = len;
        return;
    }
    CHECK(v->gso_type == 5 && v->flags == VIRTIO_NET_HDR_F_NEEDS_CSUM
          && v->hdr_len == 48 && v->csum_start == 40
          && v->csum_offset == 6 && v->gso_size > 0,
          "super-frame vnet header %u %u %u %u %u %u", v->flags,
          v->gso_type, v->hdr_len, v->gso_size, v->csum_start,
          v->csum_offset);
    total = len - 48;
    CHECK(total > v->gso_size && len - 40 <= 65535,
          "super-frame of %zu payload bytes, gso_size %u", total,
          v->gso_size);
    CHECK(((size_t) p[4] << 8 | p[5]) == len - 40
          && ((size_t) p[44] << 8 | p[45]) == len - 40, "super lengths");
    /* The partial field must be the pseudo-header sum of the whole. */
    CHECK(((unsigned int) p[46] << 8 | p[47])
          == nu_csum_fold(pseudo(p, len - 40, 17)), "partial checksum");
    for (off = 0; off < total; off += seg, k++) {
        uint8_t *d = out + *used;
        unsigned int c;

        seg = total - off < v->gso_size ? total - off : v->gso_size;
        memcpy(d, p, 48);
        memcpy(d + 48, p + 48 + off, seg);
        put16(d + 4, (unsigned int) (8 + seg));
        put16(d + 44, (unsigned int) (8 + seg));
        put16(d + 46, nu_csum_fold(pseudo(d, 8 + seg, 17)));
        c = (uint16_t) ~nu_csum_fold(nu_csum_add(0, d + 40, 8 + seg));
        put16(d + 46, c ? c : 0xffff);
        *used += 48 + seg;
        lens[(*n)++] = 48 + seg;
    }
    CHECK(k >= 2 && k <= NU_COAL_SEGS, "%d segments", k);
}

static void
coalesce(void)
{
    uint8_t *in = malloc(COAL_STORE * 2), *sent = malloc(COAL_STORE * 4);
    uint8_t *got = malloc(COAL_STORE * 4), *super = malloc(NU_VNET_LEN
                                                           + 48 + 65535);
    static size_t sent_len[2 * NU_COAL_PKTS], got_len[2 * NU_COAL_PKTS];
    static const size_t sizes[] = { 1, 18, 18, 18, 100, 1000, 1400 };
    struct nu_coal *c = malloc(sizeof *c);
    int iter, before = failures, frames = 0, supers = 0;
    struct nu_stats st;

    memset(&st, 0, sizeof st);
    for (iter = 0; iter < COAL_ITER; iter++) {
        size_t in_used = 0, sent_used = 0, got_used = 0;
        int n_sent = 0, n_got = 0, k, n = 1 + (int) rnd(NU_COAL_PKTS + 40);
        int nflows = 1 + (int) rnd(6);
        struct nu_frame f;
        struct nu_vnet v;
        uint8_t *p;
        size_t len;
        int count;

        nu_coal_init(c);
        for (k = 0; k < n; k++) {
            int flow = (int) rnd((unsigned int) nflows);
            int corrupt = rnd(20) == 0, valid = rnd(2);
            int partial = rnd(3) == 0;
            size_t pl = rnd(8) ? sizes[rnd(7)] : rnd(1400);

            len = coal_build(in + in_used, flow, (unsigned int) k, pl,
                             corrupt && !partial);
            /* What the receiver must get: the full checksum. */
            memcpy(sent + sent_used, in + in_used, len);
            memset(&f, 0, sizeof f);
            f.out = in + in_used;
            f.out_len = len;
            if (partial) {
                /* A local sender's datagram: the field holds the
                 * pseudo-header sum. */
                put16(f.out + 46, nu_csum_fold(pseudo(f.out, len - 40, 17)));
                f.vnet.flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
                f.vnet.csum_start = 40;
                f.vnet.csum_offset = 6;
                corrupt = 0;
            }
            /* The daemon: offer it; if refused (or full), drain, then
             * send it alone.  A corrupt one with DATA_VALID would be the
             * kernel's word against the bytes: not generated. */
            if (nu_coal_take(c, &f, corrupt || !valid
                                    ? 0 : VIRTIO_NET_HDR_F_DATA_VALID)) {
                CHECK(corrupt || !pl || c->n_pkts == NU_COAL_PKTS,
                      "a good datagram refused");
                while ((len = nu_coal_next(c, super, NU_VNET_LEN + 48
                                           + 65535, &p, &v, &count,
                                           &st)) > 0) {
                    coal_segment(p, len, &v, got, &got_used, got_len,
                                 &n_got);
                    frames++;
                    supers += v.gso_type != VIRTIO_NET_HDR_GSO_NONE;
                }
                coal_segment(f.out, f.out_len, &f.vnet, got, &got_used,
                             got_len, &n_got);
            }
            sent_used += f.out_len;
            sent_len[n_sent++] = f.out_len;
            in_used += f.out_len;
            if (in_used > COAL_STORE) {
                break;
            }
        }
        while ((len = nu_coal_next(c, super, NU_VNET_LEN + 48 + 65535, &p,
                                   &v, &count, &st)) > 0) {
            coal_segment(p, len, &v, got, &got_used, got_len, &n_got);
            frames++;
            supers += v.gso_type != VIRTIO_NET_HDR_GSO_NONE;
        }
        /* Per flow, what arrives is what was sent, in order: compare the
         * sequences of each flow (flows may interleave differently). */
        CHECK(n_got == n_sent && got_used == sent_used,
              "%d datagrams sent, %d arrived", n_sent, n_got);
        if (n_got == n_sent) {
            int fl;

            for (fl = 0; fl < 6; fl++) {
                size_t so = 0, go = 0;
                int si = 0, gi = 0;

                for (;;) {
                    /* Next datagram of flow 'fl' on each side. */
                    while (si < n_sent
                           && coal_flow_of(sent + so) != fl) {
                        so += sent_len[si++];
                    }
                    while (gi < n_got && coal_flow_of(got + go) != fl) {
                        go += got_len[gi++];
                    }
                    if (si == n_sent || gi == n_got) {
                        CHECK(si == n_sent && gi == n_got,
                              "flow %d: datagram counts differ", fl);
                        break;
                    }
                    CHECK(sent_len[si] == got_len[gi]
                          && !memcmp(sent + so, got + go, sent_len[si]),
                          "flow %d: datagram %d changed or reordered", fl,
                          si);
                    so += sent_len[si++];
                    go += got_len[gi++];
                }
            }
        }
    }
    printf("%s: UDP coalescing (%d batches, %d frames written, %d "
           "super-frames; each flow's datagrams arrive byte-exact and in "
           "order, partial ones completed, corrupt ones alone and "
           "unchanged)\n",
           failures != before ? "FAIL" : "PASS", COAL_ITER, frames, supers);
    free(in);
    free(sent);
    free(got);
    free(super);
    free(c);
}

int
main(void)
{
    props();
    fuzz();
    coalesce();
    return failures ? 1 : 0;
}
