/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Property and bad-input tests of the translator core.
 *
 * Properties (deterministic xorshift PRNG, fixed seeds, thousands of
 * generated valid packets of random protocol, size, options, fragments,
 * VLAN tags and padding, under several RFC 6052 prefixes):
 *
 *   - 4to6 then 6to4 returns the original frame except for what RFC 7915
 *     legitimately changes:
 *       * IPv4 options are removed (4.1: "MUST be ignored"), so IHL
 *         becomes 5 and the total length shrinks by the options;
 *       * Identification of a non-fragment is the 6to4 translator's own
 *         choice (5.1), and DF is re-derived: set iff the packet is over
 *         1260 bytes (5.1); fragments keep ID, MF and offset (4.1/5.1.1)
 *         and get DF 0;
 *       * the header checksum is recomputed;
 *       * a zero UDP checksum of a whole datagram is computed (4.5);
 *       * Ethernet padding is trimmed.
 *   - 6to4 then 4to6 of IPv6 packets whose addresses are in the prefix
 *     returns the original except: the flow label becomes 0 (5.1, 4.1),
 *     hop-by-hop/destination options/routing (segments left 0) headers
 *     are removed (5.1), a Fragment header keeps only the low 16 bits of
 *     its identification (5.1.1/4.1) and its reserved bits become 0.
 *   - Every output has consistent lengths and valid checksums (verified
 *     by the independent routine in unit-lib.c), and the buffer fields
 *     stay consistent.
 *
 * Bad input: every frame of a set of templates truncated at every byte
 * offset, corrupted IPv4/IPv6/L4 header fields, oversize options, ARP with
 * wrong sizes: each gives the right drop reason, and frames always sit at
 * the very end of an exact-size malloc'd buffer (with exactly the
 * declared headroom) so that ASan catches any read or write outside.
 */
#include "unit-lib.h"

#include <stdlib.h>
#include <string.h>

#define R(X) (1ull << NAT64_DROP_##X)

static struct xres X1, X2;

/* ---- Configurations the properties run under. ---- */

static int gen_global;

static void
cfg_variant(struct nat64_config *c, int v)
{
    static const uint8_t wkp[16] = { 0, 0x64, 0xff, 0x9b };
    static const uint8_t p32[16] = { 0x20, 0x01, 0x0d, 0xb8 };
    static const uint8_t p40[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01 };
    static const uint8_t p48[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22 };
    static const uint8_t p56[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22,
                                     0x03 };
    static const uint8_t p64[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01, 0x22,
                                     0x03, 0x44 };

    nat64_config_init(c);
    /* Round trips are about translation, not about the fragmentation
     * threshold: that has its own cases. */
    c->frag_mtu = 0;
    /* Global prefixes route: no non-global (WKP) or link-local (router
     * mode) addresses may be generated for them. */
    gen_global = v % 7 != 0;
    switch (v % 7) {
    case 0: break;
    case 1: nat64_config_set_prefix(c, wkp, 96); break;
    case 2: nat64_config_set_prefix(c, p32, 32); break;
    case 3: nat64_config_set_prefix(c, p40, 40); break;
    case 4: nat64_config_set_prefix(c, p48, 48); break;
    case 5: nat64_config_set_prefix(c, p56, 56); break;
    case 6: nat64_config_set_prefix(c, p64, 64); break;
    }
}

/* ---- Generators. ---- */

static void
rnd_bytes(uint64_t *s, uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = rnd_next(s) >> 56;
    }
}

static void
rnd_mac(uint64_t *s, uint8_t mac[6])
{
    rnd_bytes(s, mac, 6);
    mac[0] = (mac[0] & 0xfc) | 0x02;    /* Unicast, locally administered. */
}

/* RFC 6890 "Global: False" ranges and RFC 6598 (coarsely: the whole
 * first octet where a range starts, which only narrows what is drawn). */
static int
special_octet(uint8_t o)
{
    return o == 10 || o == 100 || o == 169 || o == 172 || o == 192
           || o == 198 || o == 203;
}

static void
rnd_ip4(uint64_t *s, uint8_t ip[4])
{
    do {
        rnd_bytes(s, ip, 4);
    } while (ip[0] == 0 || ip[0] == 127 || ip[0] >= 224
             || (gen_global && special_octet(ip[0])));
}

static void
rnd_ip4_options(uint64_t *s, uint8_t *opt, size_t *optlen)
{
    size_t n = 0, max = 4 * (1 + rnd_range(s, 10));

    while (n < max) {
        size_t room = max - n;
        int k = rnd_range(s, 4);

        if (k == 0 || room < 4) {
            opt[n++] = 1;                       /* NOP */
        } else if (k == 1 && room >= 8) {       /* record route */
            size_t l = 3 + 4 * (1 + rnd_range(s, (room - 3) / 4));

            if (l > room) {
                l = room - (room - 3) % 4;
            }
            opt[n] = 7;
            opt[n + 1] = l;
            opt[n + 2] = 4;
            memset(opt + n + 3, 0, l - 3);
            n += l;
        } else if (k == 2 && room >= 12) {      /* timestamp */
            opt[n] = 0x44;
            opt[n + 1] = 12;
            opt[n + 2] = 5;
            opt[n + 3] = 0;
            memset(opt + n + 4, 0, 8);
            n += 12;
        } else {
            opt[n++] = 1;
        }
    }
    *optlen = max;
}

static void
rnd_l4(uint64_t *s, struct fb *f, int allow_icmp, size_t plen)
{
    static const uint8_t other[] = { 47, 132, 50 };
    int k = rnd_range(s, 20);

    if (k < 8) {
        uint8_t opt[40];
        size_t ol = 4 * rnd_range(s, 4);

        rnd_bytes(s, opt, ol);
        fb_tcp(f, rnd_next(s), rnd_next(s), rnd_next(s), rnd_next(s),
               rnd_next(s) & 0xff & ~0x02, rnd_next(s), opt, ol);
    } else if (k < 15) {
        fb_udp(f, rnd_next(s), rnd_next(s));
    } else if (k < 18 && allow_icmp) {
        int req = rnd_range(s, 2);

        fb_icmp(f, f->v6 ? (req ? 128 : 129) : (req ? 8 : 0), 0,
                rnd_next(s));
    } else {
        fb_l4raw(f, other[rnd_range(s, sizeof other)]);
    }
    fb_fill(f, plen, rnd_next(s));
}

/* A first (header and 20+ bytes, so the whole L4 header is in it),
 * middle or last fragment of an 'l4len'-byte datagram (l4len >= 56). */
static void
pick_fragment(uint64_t *s, size_t l4len, size_t *off, size_t *n, int *mf)
{
    size_t units = l4len / 8;

    switch (rnd_range(s, 3)) {
    case 0:
        *off = 0;
        *n = 8 * (5 + rnd_range(s, units - 5));
        *mf = 1;
        break;
    case 1:
        *off = 8 * (1 + rnd_range(s, units - 2));
        *n = 8 * (1 + rnd_range(s, (l4len - *off - 1) / 8));
        *mf = 1;
        break;
    default:
        *off = 8 * (1 + rnd_range(s, units - 1));
        *n = l4len - *off;
        *mf = 0;
        break;
    }
}

struct gen_info {
    int frag;           /* Generated as a fragment. */
    int udp_zero;
    size_t optlen;
    int padded;
};

/* A random valid IPv4 frame whose translation fits the MTU (1500). */
static void
gen4(uint64_t *s, struct fb *out, struct gen_info *gi)
{
    static struct fb whole;
    uint8_t dmac[6], smac[6], src[4], dst[4], opt[40];
    struct ip4h h;
    int vlan = rnd_range(s, 8) == 0;
    int frag = rnd_range(s, 6) == 0;
    size_t plen;

    memset(gi, 0, sizeof *gi);
    rnd_mac(s, dmac);
    rnd_mac(s, smac);
    rnd_ip4(s, src);
    rnd_ip4(s, dst);
    memset(&h, 0, sizeof h);
    h.tos = rnd_next(s);
    h.ttl = 1 + rnd_range(s, 255);
    h.id = rnd_next(s);
    h.frag = rnd_range(s, 2) ? IP4_DF : 0;
    h.src = src;
    h.dst = dst;
    if (rnd_range(s, 4) == 0) {
        rnd_ip4_options(s, opt, &gi->optlen);
        h.opt = opt;
        h.optlen = gi->optlen;
    }
    plen = rnd_range(s, 3) ? rnd_range(s, 200) : rnd_range(s, 1400);
    fb_init(&whole);
    if (vlan) {
        fb_eth_vlan(&whole, dmac, smac, rnd_next(s) & 0xefff, 0x0800);
    } else {
        fb_eth(&whole, dmac, smac, 0x0800);
    }
    fb_ip4(&whole, &h);
    rnd_l4(s, &whole, !frag, plen);
    fb_finish(&whole);
    if (whole.proto == 17 && !frag && rnd_range(s, 8) == 0) {
        whole.b[whole.l4 + 6] = whole.b[whole.l4 + 7] = 0;
        gi->udp_zero = 1;
    }
    if (frag && whole.len - whole.l4 >= 56) {
        size_t off, n;
        int mf;

        pick_fragment(s, whole.len - whole.l4, &off, &n, &mf);
        whole.b[whole.l3 + 6] &= ~0x40;     /* Fragments: DF 0. */
        fb_frag4_of(out, &whole, off, n, mf);
        gi->frag = 1;
    } else {
        *out = whole;
    }
    if (out->len < 60 && rnd_range(s, 2)) {
        fb_fill(out, 60 - out->len, rnd_next(s));
        gi->padded = 1;
    }
}

/* A random valid IPv6 frame with addresses inside cfg's prefix. */
static void
gen6(uint64_t *s, const struct nat64_config *c, struct fb *out,
     struct gen_info *gi)
{
    uint8_t dmac[6], smac[6], s4[4], d4[4], src[16], dst[16];
    struct ip6h h;
    int vlan = rnd_range(s, 8) == 0;
    int frag = rnd_range(s, 6) == 0;
    int next;
    size_t plen;

    memset(gi, 0, sizeof *gi);
    rnd_mac(s, dmac);
    rnd_mac(s, smac);
    rnd_ip4(s, s4);
    rnd_ip4(s, d4);
    nat64_addr_4to6(c, s4, src);
    nat64_addr_4to6(c, d4, dst);
    h.tc = rnd_next(s);
    h.flow = rnd_next(s) & 0xfffff;
    h.hlim = 1 + rnd_range(s, 255);
    h.src = src;
    h.dst = dst;
    fb_init(out);
    if (vlan) {
        fb_eth_vlan(out, dmac, smac, rnd_next(s) & 0xefff, 0x86dd);
    } else {
        fb_eth(out, dmac, smac, 0x86dd);
    }
    fb_ip6(out, &h);
    if (rnd_range(s, 4) == 0) {
        fb_ext(out, 0, 8 * (1 + rnd_range(s, 3)));
    }
    for (next = rnd_range(s, 3); next-- > 0 && rnd_range(s, 2);) {
        if (rnd_range(s, 2)) {
            fb_ext(out, 60, 8 * (1 + rnd_range(s, 3)));
        } else {
            fb_rh(out, 0, 1 + rnd_range(s, 2));
        }
    }
    plen = rnd_range(s, 3) ? rnd_range(s, 200) : rnd_range(s, 1380);
    if (frag) {
        /* Fragment of a whole datagram without other extension headers
         * (so a first fragment carries a real L4 header and checksum). */
        static struct fb whole;
        size_t off, n;
        int m;

        whole = *out;
        whole.len = whole.l3 + 40;
        whole.nh_ofs = whole.l3 + 6;
        whole.l4 = whole.len;
        rnd_l4(s, &whole, 0, 56 + plen % 1200);
        fb_finish(&whole);
        pick_fragment(s, whole.len - whole.l4, &off, &n, &m);
        fb_frag6_of(out, &whole, off, n, m, rnd_next(s));
        gi->frag = 1;
    } else {
        rnd_l4(s, out, 1, plen);
        fb_finish(out);
    }
    if (out->len < 60 && rnd_range(s, 2)) {
        fb_fill(out, 60 - out->len, rnd_next(s));
        gi->padded = 1;
    }
}

/* ---- Normalization: what the round trip legitimately changes. ---- */

static size_t
l3ofs(const uint8_t *p)
{
    return p[12] == 0x81 && p[13] == 0 ? 18 : 14;
}

static void
set16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

/* The IPv4 frame 'in' as it must come back from 4to6 + 6to4; 'back' is
 * the frame that came back (for the translator-chosen ID). */
static void
norm4(const struct fb *in, const struct gen_info *gi, const uint8_t *back,
      size_t blen, struct fb *n)
{
    size_t o = l3ofs(in->b), hl = (in->b[o] & 15) * 4, tot;
    uint8_t *ip;
    int frag;

    tot = in->b[o + 2] << 8 | in->b[o + 3];
    fb_init(n);
    fb_data(n, in->b, o + 20);
    fb_data(n, in->b + o + hl, tot - hl);
    ip = n->b + o;
    ip[0] = 0x45;
    set16(ip + 2, tot - hl + 20);
    frag = (ip[6] & 0x3f) || ip[7] || (ip[6] & 0x20);
    if (!frag) {
        if (blen >= o + 6) {
            ip[4] = back[o + 4];
            ip[5] = back[o + 5];
        }
        ip[6] = (tot - hl + 20 > 1260 ? 0x40 : 0) | (ip[6] & 0x1f);
    } else {
        ip[6] &= ~0xc0;
    }
    set16(ip + 10, 0);
    set16(ip + 10, ck_fold(ck_sum(ip, 20, 0)));
    if (gi->udp_zero) {
        uint8_t *u = ip + 20;
        uint16_t c;

        c = ck_l4(0, ip + 12, ip + 16, 17, u, tot - hl);
        set16(u + 6, c ? c : 0xffff);
    }
}

static void
norm6(const struct fb *in, struct fb *n)
{
    size_t o = l3ofs(in->b), off = 40, plen;
    const uint8_t *ip = in->b + o;
    uint8_t nh = ip[6], *nip;
    const uint8_t *fh = NULL;

    plen = ip[4] << 8 | ip[5];
    while (nh == 0 || nh == 60 || nh == 43 || nh == 44) {
        if (nh == 44) {
            fh = ip + off;
            break;
        }
        nh = ip[off];
        off += (ip[off + 1] + 1) * 8;
    }
    fb_init(n);
    fb_data(n, in->b, o + 40);
    nip = n->b + o;
    nip[1] &= 0xf0;         /* Flow label 0. */
    nip[2] = nip[3] = 0;
    if (fh) {
        uint8_t f[8];

        memcpy(f, fh, 8);
        f[1] = 0;
        f[3] &= 0xf9;
        f[4] = f[5] = 0;
        nip[6] = 44;
        fb_data(n, f, 8);
        off += 8;
    } else {
        nip[6] = nh;
    }
    fb_data(n, ip + off, 40 + plen - off);
    set16(nip + 4, n->len - o - 40);
}

/* ---- Property runs. ---- */

/* Equal, except that one 16-bit word may be 0x0000 in one frame and
 * 0xffff in the other: both are the same one's-complement checksum
 * (RFC 1624 section 3), not a translation error. */
static int
same_frame(const uint8_t *a, size_t alen, const uint8_t *b, size_t blen)
{
    size_t i;
    int zero_pairs = 0;

    if (alen != blen) {
        return 0;
    }
    for (i = 0; i < alen; i++) {
        if (a[i] != b[i]) {
            size_t w = i & ~(size_t) 1;

            if (w + 1 < alen && zero_pairs == 0
                && ((a[w] == 0 && a[w + 1] == 0 && b[w] == 0xff
                     && b[w + 1] == 0xff)
                    || (a[w] == 0xff && a[w + 1] == 0xff && b[w] == 0
                        && b[w + 1] == 0))) {
                zero_pairs++;
                i = w + 1;
                continue;
            }
            return 0;
        }
    }
    return 1;
}

static int
result_consistent(const struct xres *x, const uint8_t *out, size_t len)
{
    size_t o = l3ofs(out);

    (void) len;
    return x->r.l3_ofs == o
           && x->r.ethertype == (out[o - 2] << 8 | out[o - 1])
           && x->r.reason == NAT64_DROP_NONE;
}

static void
prop_4to6(int variant, int count, uint64_t seed)
{
    static struct fb in, n;
    static uint8_t mid[FB_MAX];
    struct nat64_config c;
    struct gen_info gi;
    uint64_t s = seed;
    int i, bad = 0, frag_verdicts = 0;
    char why[256], name[96];
    size_t midlen;

    cfg_variant(&c, variant);
    snprintf(name, sizeof name, "prop/4to6-6to4/prefix-%d-seed-%llu",
             variant, (unsigned long long) seed);
    for (i = 0; i < count && bad < 3; i++) {
        gen4(&s, &in, &gi);
        if (frame_check(in.b, in.len - (gi.padded ? 0 : 0), why,
                        sizeof why) && !gi.padded) {
            printf("  # generator bug: %s\n", why);
            bad++;
            continue;
        }
        xlate(&c, NAT64_4TO6, in.b, in.len, NAT64_HEADROOM, 0, 1, &X1);
        if (X1.r.verdict != NAT64_OK || !X1.layout_ok) {
            printf("  # packet %d: 4to6 verdict %d reason %s\n", i,
                   X1.r.verdict, nat64_drop_reason_name(X1.r.reason));
            bad++;
            continue;
        }
        if (frame_check(X1.out, X1.out_len, why, sizeof why)
            || !result_consistent(&X1, X1.out, X1.out_len)) {
            printf("  # packet %d: 4to6 output invalid: %s\n", i, why);
            hexdiff(X1.out, X1.out_len, in.b, in.len);
            bad++;
            continue;
        }
        midlen = X1.out_len;
        memcpy(mid, X1.out, midlen);
        xlate(&c, NAT64_6TO4, mid, midlen, 0, 0, 1, &X2);
        if (X2.r.verdict != NAT64_OK || !X2.layout_ok) {
            printf("  # packet %d: 6to4 verdict %d reason %s\n", i,
                   X2.r.verdict, nat64_drop_reason_name(X2.r.reason));
            printf("  # input (got) and its 4to6 translation (exp):\n");
            hexdiff(in.b, in.len, mid, midlen);
            bad++;
            continue;
        }
        if (frame_check(X2.out, X2.out_len, why, sizeof why)
            || !result_consistent(&X2, X2.out, X2.out_len)) {
            printf("  # packet %d: 6to4 output invalid: %s\n", i, why);
            bad++;
            continue;
        }
        norm4(&in, &gi, X2.out, X2.out_len, &n);
        if (!same_frame(X2.out, X2.out_len, n.b, n.len)) {
            printf("  # packet %d: round trip differs (frag %d, options "
                   "%zu, udp0 %d)\n", i, gi.frag, gi.optlen, gi.udp_zero);
            hexdiff(X2.out, X2.out_len, n.b, n.len);
            bad++;
        }
    }
    (void) frag_verdicts;
    t_result(name, !bad, "%d of %d packets failed (first shown above)",
             bad, i);
}

static void
prop_6to4(int variant, int count, uint64_t seed)
{
    static struct fb in, n;
    static uint8_t mid[FB_MAX];
    struct nat64_config c;
    struct gen_info gi;
    uint64_t s = seed;
    int i, bad = 0;
    char why[256], name[96];
    size_t midlen;

    cfg_variant(&c, variant);
    snprintf(name, sizeof name, "prop/6to4-4to6/prefix-%d-seed-%llu",
             variant, (unsigned long long) seed);
    for (i = 0; i < count && bad < 3; i++) {
        gen6(&s, &c, &in, &gi);
        xlate(&c, NAT64_6TO4, in.b, in.len, 0, 0, 1, &X1);
        if (X1.r.verdict != NAT64_OK || !X1.layout_ok) {
            printf("  # packet %d: 6to4 verdict %d reason %s\n", i,
                   X1.r.verdict, nat64_drop_reason_name(X1.r.reason));
            hexdiff(in.b, in.len, in.b, in.len);
            bad++;
            continue;
        }
        if (frame_check(X1.out, X1.out_len, why, sizeof why)
            || !result_consistent(&X1, X1.out, X1.out_len)) {
            printf("  # packet %d: 6to4 output invalid: %s\n", i, why);
            bad++;
            continue;
        }
        midlen = X1.out_len;
        memcpy(mid, X1.out, midlen);
        xlate(&c, NAT64_4TO6, mid, midlen, NAT64_HEADROOM, 0, 1, &X2);
        if (X2.r.verdict != NAT64_OK || !X2.layout_ok) {
            printf("  # packet %d: 4to6 verdict %d reason %s\n", i,
                   X2.r.verdict, nat64_drop_reason_name(X2.r.reason));
            bad++;
            continue;
        }
        if (frame_check(X2.out, X2.out_len, why, sizeof why)
            || !result_consistent(&X2, X2.out, X2.out_len)) {
            printf("  # packet %d: 4to6 output invalid: %s\n", i, why);
            bad++;
            continue;
        }
        norm6(&in, &n);
        if (!same_frame(X2.out, X2.out_len, n.b, n.len)) {
            printf("  # packet %d: round trip differs (frag %d)\n", i,
                   gi.frag);
            hexdiff(X2.out, X2.out_len, n.b, n.len);
            bad++;
        }
    }
    t_result(name, !bad, "%d of %d packets failed (first shown above)",
             bad, i);
}

/* ---- The fast paths decide nothing: same output as the general path. */

/* Recomputes the IPv4 header checksum at 'l3' of the 'len'-byte frame
 * 'p' over the header length IHL says, or 20 bytes if IHL is bad. */
static void
frame_ip4_recsum(uint8_t *p, size_t len, size_t l3)
{
    uint8_t *ip = p + l3;
    size_t hl = (ip[0] & 15) * 4;

    if (hl < 20 || l3 + hl > len) {
        hl = 20;
    }
    set16(ip + 10, 0);
    set16(ip + 10, ck_fold(ck_sum(ip, hl, 0)));
}

/* Mutations both directions share, 'k' in 0..3: a TCP SYN, a broadcast
 * destination MAC, the L3 length field at 'len_ofs' off by -8..+8, a UDP
 * checksum of zero. */
static void
mutate_shared(uint64_t *s, struct fb *f, int k, size_t len_ofs)
{
    uint8_t *p = f->b;

    switch (k) {
    case 0:
        if (f->proto == 6 && f->l4 >= 0) {
            p[f->l4 + 13] |= 0x02;
        }
        break;
    case 1:
        memset(p, 0xff, 6);
        break;
    case 2:
        set16(p + len_ofs, (p[len_ofs] << 8 | p[len_ofs + 1])
                           + rnd_range(s, 17) - 8);
        break;
    default:
        if (f->proto == 17 && f->l4 >= 0) {
            p[f->l4 + 6] = p[f->l4 + 7] = 0;
        }
        break;
    }
}

/* Pushes a generated IPv4 frame towards the edges of what the fast path
 * takes: besides the shared mutations, a multicast MAC, source and
 * destination octets at the class boundaries, bad checksums, TTL 0/1,
 * fragment bits, header length, protocol. */
static void
mutate4(uint64_t *s, struct fb *f)
{
    static const uint8_t octets[] = { 0, 1, 127, 223, 224, 239, 240, 255 };
    uint8_t *p = f->b;
    size_t l3 = f->l3;
    int n = rnd_range(s, 3), recsum = 1;

    while (n-- > 0) {
        int k = rnd_range(s, 12);

        switch (k) {
        case 4:
            memcpy(p, "\x01\x00\x5e\x00\x00\xfb", 6);
            break;
        case 5:
            p[l3 + 12] = octets[rnd_range(s, sizeof octets)];
            break;
        case 6:
            p[l3 + 16] = octets[rnd_range(s, sizeof octets)];
            if (rnd_range(s, 2)) {
                p[l3 + 19] = 255;
            }
            break;
        case 7:
            recsum = 0;
            p[l3 + 10] ^= 1 << rnd_range(s, 8);
            break;
        case 8:
            p[l3 + 8] = rnd_range(s, 3);
            break;
        case 9:
            p[l3 + 6] ^= rnd_range(s, 2) ? 0x20 : 0x01;
            break;
        case 10:
            p[l3] = rnd_range(s, 2) ? 0x46 : 0x55;
            break;
        case 11:
            p[l3 + 9] = rnd_range(s, 2) ? 1 : 58;
            break;
        default:
            mutate_shared(s, f, k, l3 + 2);
            break;
        }
    }
    if (recsum) {
        frame_ip4_recsum(p, f->len, l3);
    }
}

/* The same for IPv6: addresses just outside the prefix or with a
 * non-zero u-octet, embedded IPv4 octets at the boundaries, multicast
 * destinations, version, hop limit. */
static void
mutate6(uint64_t *s, struct fb *f)
{
    static const uint8_t octets[] = { 0, 1, 223, 224, 239, 255 };
    uint8_t *p = f->b;
    size_t l3 = f->l3;
    int n = rnd_range(s, 3);

    while (n-- > 0) {
        int k = rnd_range(s, 11);

        switch (k) {
        case 4:
            p[l3 + 8 + rnd_range(s, 12) + 16 * rnd_range(s, 2)] ^=
                1 << rnd_range(s, 8);
            break;
        case 5:
            p[l3 + 20] = octets[rnd_range(s, sizeof octets)];
            break;
        case 6:
            p[l3 + 36] = octets[rnd_range(s, sizeof octets)];
            break;
        case 7:
            p[l3] ^= 0x10 << rnd_range(s, 4);
            break;
        case 8:
            p[l3 + 7] = rnd_range(s, 3);
            break;
        case 9:
            p[l3 + 16] = 1;         /* u-octet of a /96 embedding. */
            break;
        case 10:
            memcpy(p + l3 + 24, "\xff\x02\0\0\0\0\0\0\0\0\0\0\0\0\0\x01",
                   16);
            break;
        default:
            mutate_shared(s, f, k, l3 + 4);
            break;
        }
    }
}

static int
same_xres(const struct xres *a, const struct xres *b)
{
    return a->r.verdict == b->r.verdict && a->r.reason == b->r.reason
           && a->r.reply_len == b->r.reply_len
           && a->r.ethertype == b->r.ethertype
           && a->r.l3_ofs == b->r.l3_ofs && a->r.l4_ofs == b->r.l4_ofs
           && a->r.l4_proto == b->r.l4_proto
           && a->layout_ok == b->layout_ok && a->out_len == b->out_len
           && !memcmp(a->out, b->out, a->out_len)
           && a->reply_len == b->reply_len
           && !memcmp(a->reply, b->reply, a->reply_len);
}

static void
prop_fast_general(int count, uint64_t seed)
{
    static const uint16_t mtus[] = { 1500, 1500, 1500, 0, 1280, 576 };
    static struct fb in;
    struct nat64_config c;
    struct gen_info gi;
    uint64_t s = seed;
    int i, bad = 0, ok = 0, dropped = 0;
    char name[96];

    snprintf(name, sizeof name, "prop/fast-path-equals-general/seed-%llu",
             (unsigned long long) seed);
    for (i = 0; i < count && bad < 3; i++) {
        enum nat64_direction dir = rnd_range(&s, 2) ? NAT64_4TO6
                                                    : NAT64_6TO4;
        int v = rnd_range(&s, 10);
        size_t headroom = rnd_range(&s, 4) ? NAT64_HEADROOM
                                           : rnd_range(&s, 25);
        size_t tailroom = rnd_range(&s, 2) ? 0 : rnd_range(&s, 64);
        int with_reply = rnd_range(&s, 8) != 0;

        cfg_variant(&c, v < 6 ? 0 : v == 6 ? 1 : 2 + rnd_range(&s, 5));
        c.dec_ttl = rnd_range(&s, 5) == 0;
        c.mss_clamp = rnd_range(&s, 4) != 0;
        c.mtu = mtus[rnd_range(&s, sizeof mtus / sizeof mtus[0])];
        if (dir == NAT64_4TO6) {
            gen4(&s, &in, &gi);
            mutate4(&s, &in);
        } else {
            gen6(&s, &c, &in, &gi);
            mutate6(&s, &in);
        }
        if (rnd_range(&s, 4) == 0) {
            /* Exactly at, or one over, the translated packet's size. */
            c.mtu = in.len - in.l3 + (dir == NAT64_4TO6 ? 20 : -20)
                    - rnd_range(&s, 2);
        }
        xlate_general_only = 0;
        xlate(&c, dir, in.b, in.len, headroom, tailroom, with_reply, &X1);
        xlate_general_only = 1;
        xlate(&c, dir, in.b, in.len, headroom, tailroom, with_reply, &X2);
        xlate_general_only = 0;
        ok += X1.r.verdict == NAT64_OK;
        dropped += X1.r.verdict == NAT64_DROP;
        if (!same_xres(&X1, &X2)) {
            printf("  # packet %d (%s): verdict %d/%d reason %s/%s "
                   "(fast/general), output fast (got) vs general (exp):\n",
                   i, dir == NAT64_4TO6 ? "4to6" : "6to4", X1.r.verdict,
                   X2.r.verdict, nat64_drop_reason_name(X1.r.reason),
                   nat64_drop_reason_name(X2.r.reason));
            hexdiff(X1.out, X1.out_len, X2.out, X2.out_len);
            bad++;
        }
    }
    /* Both outcomes must be common, or the comparison proves little. */
    t_result(name, !bad && ok > count / 4 && dropped > count / 20,
             "%d of %d packets differ (first shown above); %d translated, "
             "%d dropped", bad, i, ok, dropped);
}

/* ---- Bad input. ---- */

/* Reasons acceptable for a frame cut short inside its L3 packet. */
static uint64_t
trunc_reasons(const uint8_t *p, size_t cut, enum nat64_direction dir)
{
    size_t o = l3ofs(p);
    uint16_t et;

    if (cut < o) {
        return R(TRUNCATED) | R(VLAN);
    }
    et = p[o - 2] << 8 | p[o - 1];
    if (et == 0x0806) {
        return R(TRUNCATED) | R(BAD_ARP);
    } else if (et == 0x0800 && dir == NAT64_4TO6) {
        return R(TRUNCATED) | R(BAD_IP4_HDR) | R(BAD_IP4_LEN);
    } else if (et == 0x86dd && dir == NAT64_6TO4) {
        return R(TRUNCATED) | R(BAD_IP6_HDR) | R(BAD_IP6_LEN);
    }
    return R(NOT_IP);
}

static int
truncate_all(const char *name, const struct nat64_config *c,
             enum nat64_direction dir, const uint8_t *p, size_t len)
{
    size_t cut;
    int bad = 0;

    for (cut = 0; cut < len && bad < 3; cut++) {
        uint64_t ok = trunc_reasons(p, cut, dir);

        xlate(c, dir, p, cut, NAT64_HEADROOM, 0, 1, &X1);
        if (X1.r.verdict != NAT64_DROP || X1.r.reason >= 64
            || !(ok & (1ull << X1.r.reason))) {
            printf("  # %s cut at %zu of %zu: verdict %d reason %s\n",
                   name, cut, len, X1.r.verdict,
                   nat64_drop_reason_name(X1.r.reason));
            bad++;
        }
    }
    return bad;
}

static void
truncations(void)
{
    static struct fb f;
    struct nat64_config c;
    struct gen_info gi;
    uint64_t s = 4242;
    int i, bad;
    char name[64];

    nat64_config_init(&c);
    for (i = 0; i < 40; i++) {
        do {
            gen4(&s, &f, &gi);
        } while (gi.padded);
        snprintf(name, sizeof name, "bad/truncate/4to6-%d", i);
        bad = truncate_all(name, &c, NAT64_4TO6, f.b, f.len);
        t_result(name, !bad, "wrong verdict for a truncated frame");
    }
    for (i = 0; i < 40; i++) {
        do {
            gen6(&s, &c, &f, &gi);
        } while (gi.padded);
        snprintf(name, sizeof name, "bad/truncate/6to4-%d", i);
        bad = truncate_all(name, &c, NAT64_6TO4, f.b, f.len);
        t_result(name, !bad, "wrong verdict for a truncated frame");
    }
    /* ARP, ND, ICMP errors. */
    {
        static const uint8_t sn[16] = { 0xff, 0x02, [11] = 1, 0xff, 0, 0,
                                        0x64 };
        static const uint8_t snmac[6] = { 0x33, 0x33, 0xff, 0, 0, 0x64 };
        static struct fb inner;

        fb_init(&f);
        fb_eth(&f, MAC_BCAST, MAC_A, 0x0806);
        fb_arp(&f, 1, MAC_A, IP4_A, MAC_ZERO, IP4_B);
        t_result("bad/truncate/arp-request",
                 !truncate_all("arp", &c, NAT64_4TO6, f.b, f.len),
                 "wrong verdict for a truncated frame");
        fb_init(&f);
        fb_eth(&f, snmac, MAC_A, 0x86dd);
        fb_ip6s(&f, IP6_A, sn, 0, 255);
        fb_icmp(&f, 135, 0, 0);
        fb_data(&f, IP6_B, 16);
        fb_ndopt(&f, 1, MAC_A);
        fb_finish(&f);
        t_result("bad/truncate/ns",
                 !truncate_all("ns", &c, NAT64_6TO4, f.b, f.len),
                 "wrong verdict for a truncated frame");
        fb_init(&inner);
        fb_ip4s(&inner, IP4_B, IP4_A, 0, 64, 1, 0);
        fb_udp(&inner, 1, 2);
        fb_fill(&inner, 30, 1);
        fb_finish(&inner);
        fb_init(&f);
        fb_eth(&f, MAC_B, MAC_A, 0x0800);
        fb_ip4s(&f, IP4_A, IP4_B, 0, 64, 1, 0);
        fb_icmp(&f, 3, 3, 0);
        fb_inner(&f, &inner, 9999);
        fb_finish(&f);
        t_result("bad/truncate/icmp4-error",
                 !truncate_all("icmp4", &c, NAT64_4TO6, f.b, f.len),
                 "wrong verdict for a truncated frame");
        fb_init(&inner);
        fb_ip6s(&inner, IP6_A, IP6_B, 0, 64);
        fb_udp(&inner, 1, 2);
        fb_fill(&inner, 30, 1);
        fb_finish(&inner);
        fb_init(&f);
        fb_eth(&f, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&f, IP6_B, IP6_A, 0, 64);
        fb_icmp(&f, 1, 4, 0);
        fb_inner(&f, &inner, 9999);
        fb_finish(&f);
        t_result("bad/truncate/icmp6-error",
                 !truncate_all("icmp6", &c, NAT64_6TO4, f.b, f.len),
                 "wrong verdict for a truncated frame");
    }
}

/* One corrupted-field case on a fresh TCP frame. */
static struct fb CF;

static void
base4(void)
{
    fb_init(&CF);
    fb_eth(&CF, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&CF, IP4_A, IP4_B, 0, 64, 1, IP4_DF);
    fb_tcp(&CF, 1, 2, 3, 4, 0x10, 100, NULL, 0);
    fb_fill(&CF, 20, 1);
    fb_finish(&CF);
}

static void
base6(void)
{
    fb_init(&CF);
    fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&CF, IP6_B, IP6_A, 0, 64);
    fb_tcp(&CF, 1, 2, 3, 4, 0x10, 100, NULL, 0);
    fb_fill(&CF, 20, 1);
    fb_finish(&CF);
}

static void
ip4_recsum(void)
{
    frame_ip4_recsum(CF.b, CF.len, 14);
}

static void
expect_drop(const char *name, enum nat64_direction dir, uint64_t reasons)
{
    struct nat64_config c;

    nat64_config_init(&c);
    corpus_add(dir, 0, CF.b, CF.len);
    xlate(&c, dir, CF.b, CF.len, NAT64_HEADROOM, 0, 1, &X1);
    t_result(name, X1.r.verdict == NAT64_DROP && X1.r.reason < 64
             && (reasons & (1ull << X1.r.reason)),
             "verdict %d reason %s", X1.r.verdict,
             nat64_drop_reason_name(X1.r.reason));
}

/* Malformed upper-layer header (RFC 793: data offset >= 5 words and
 * inside the segment; RFC 768: 8 <= length <= IP payload).  RFC 7915 does
 * not require a translator to validate them, so either the drop reason
 * says so, or the segment passes with only its checksum adjusted. */
static void
expect_l4_drop_or_same(const char *name, enum nat64_direction dir,
                       size_t csum_ofs)
{
    struct nat64_config c;
    size_t il4 = l3ofs(CF.b) + (dir == NAT64_4TO6 ? 20 : 40);
    size_t ol4 = l3ofs(CF.b) + (dir == NAT64_4TO6 ? 40 : 20);
    int ok;

    nat64_config_init(&c);
    corpus_add(dir, 0, CF.b, CF.len);
    xlate(&c, dir, CF.b, CF.len, NAT64_HEADROOM, 0, 1, &X1);
    if (X1.r.verdict == NAT64_DROP) {
        ok = X1.r.reason == NAT64_DROP_BAD_L4_HDR;
    } else {
        ok = X1.r.verdict == NAT64_OK && X1.out_len - ol4 == CF.len - il4
             && !memcmp(X1.out + ol4, CF.b + il4, csum_ofs)
             && !memcmp(X1.out + ol4 + csum_ofs + 2, CF.b + il4 + csum_ofs
                        + 2, CF.len - il4 - csum_ofs - 2);
    }
    t_result(name, ok, "verdict %d reason %s (expected bad-l4-header, "
             "or the segment unchanged but for its checksum)",
             X1.r.verdict, nat64_drop_reason_name(X1.r.reason));
}

static void
corrupt(void)
{
    uint8_t *ip;
    int ihl;
    char name[64];

    for (ihl = 0; ihl < 5; ihl++) {
        base4();
        CF.b[14] = 0x40 | ihl;
        ip4_recsum();
        snprintf(name, sizeof name, "bad/ipv4/ihl-%d", ihl);
        expect_drop(name, NAT64_4TO6, R(BAD_IP4_HDR));
    }
    base4();
    CF.len = 14 + 40;
    CF.b[14] = 0x4f;        /* 60-byte header in a 40-byte packet. */
    set16(CF.b + 16, 40);
    ip4_recsum();
    expect_drop("bad/ipv4/ihl-15-past-total-length", NAT64_4TO6,
                R(BAD_IP4_HDR) | R(BAD_IP4_LEN) | R(TRUNCATED));
    base4();
    CF.b[14] = 0x65;
    ip4_recsum();
    expect_drop("bad/ipv4/version-6", NAT64_4TO6, R(BAD_IP4_HDR));
    base4();
    set16(CF.b + 16, 19);
    ip4_recsum();
    expect_drop("bad/ipv4/total-length-19", NAT64_4TO6,
                R(BAD_IP4_LEN) | R(BAD_IP4_HDR));
    base4();
    set16(CF.b + 16, CF.len - 14 + 1);
    ip4_recsum();
    expect_drop("bad/ipv4/total-length-past-frame", NAT64_4TO6,
                R(BAD_IP4_LEN) | R(TRUNCATED));
    base4();
    set16(CF.b + 16, 65535);
    ip4_recsum();
    expect_drop("bad/ipv4/total-length-65535", NAT64_4TO6,
                R(BAD_IP4_LEN) | R(TRUNCATED));

    /* Options whose length runs past the header, or is < 2. */
    {
        static const uint8_t over[8] = { 7, 40, 4, 0, 0, 0, 0, 0 };
        static const uint8_t zero[8] = { 1, 0x44, 0, 0, 0, 0, 0, 0 };
        static const uint8_t one[4] = { 7, 1, 0, 0 };
        static const uint8_t lsrr_over[8] = { 0x83, 12, 4, 10, 0, 0, 1,
                                              0 };
        const struct { const char *n; const uint8_t *o; size_t l; }
        opts[] = {
            { "option-length-past-header", over, 8 },
            { "option-length-0", zero, 8 },
            { "option-length-1", one, 4 },
            { "lsrr-length-past-header", lsrr_over, 8 },
        };
        size_t i;

        for (i = 0; i < sizeof opts / sizeof opts[0]; i++) {
            struct ip4h h = { .ttl = 64, .id = 1, .src = IP4_A,
                              .dst = IP4_B, .opt = opts[i].o,
                              .optlen = opts[i].l };

            fb_init(&CF);
            fb_eth(&CF, MAC_B, MAC_A, 0x0800);
            fb_ip4(&CF, &h);
            fb_udp(&CF, 1, 2);
            fb_fill(&CF, 10, 1);
            fb_finish(&CF);
            snprintf(name, sizeof name, "bad/ipv4/%s", opts[i].n);
            expect_drop(name, NAT64_4TO6, R(BAD_IP4_HDR));
        }
    }

    /* Upper-layer headers. */
    base4();
    CF.b[14 + 20 + 12] = 0x40;      /* TCP data offset 4. */
    expect_l4_drop_or_same("bad/l4/tcp-data-offset-4", NAT64_4TO6, 16);
    base4();
    CF.b[14 + 20 + 12] = 0xf0;      /* 60 bytes in a 40-byte segment. */
    expect_l4_drop_or_same("bad/l4/tcp-data-offset-past-end", NAT64_4TO6,
                           16);
    base4();
    CF.len = 14 + 20 + 10;
    set16(CF.b + 16, 30);
    ip4_recsum();
    expect_drop("bad/l4/tcp-shorter-than-header", NAT64_4TO6,
                R(BAD_L4_HDR));
    fb_init(&CF);
    fb_eth(&CF, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&CF, IP4_A, IP4_B, 0, 64, 1, 0);
    fb_udp(&CF, 1, 2);
    fb_fill(&CF, 10, 1);
    fb_finish(&CF);
    set16(CF.b + 14 + 20 + 4, 7);
    expect_l4_drop_or_same("bad/l4/udp-length-7", NAT64_4TO6, 6);
    set16(CF.b + 14 + 20 + 4, 19);
    expect_l4_drop_or_same("bad/l4/udp-length-past-end", NAT64_4TO6, 6);
    base6();
    CF.b[14 + 40 + 12] = 0x30;
    expect_l4_drop_or_same("bad/l4/tcp6-data-offset-3", NAT64_6TO4, 16);
    fb_init(&CF);
    fb_eth(&CF, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&CF, IP4_A, IP4_B, 0, 64, 1, 0);
    fb_icmp(&CF, 8, 0, 0);
    CF.len -= 4;
    fb_finish(&CF);
    expect_drop("bad/l4/icmp-4-bytes", NAT64_4TO6, R(BAD_L4_HDR));

    /* IPv6 header. */
    base6();
    CF.b[14] = 0x40;
    expect_drop("bad/ipv6/version-4", NAT64_6TO4, R(BAD_IP6_HDR));
    base6();
    set16(CF.b + 14 + 4, CF.len - 14 - 40 + 1);
    expect_drop("bad/ipv6/payload-length-past-frame", NAT64_6TO4,
                R(BAD_IP6_LEN) | R(TRUNCATED));
    base6();
    set16(CF.b + 14 + 4, 0);
    expect_drop("bad/ipv6/payload-length-0-no-jumbo", NAT64_6TO4,
                R(BAD_IP6_LEN) | R(BAD_L4_HDR) | R(TRUNCATED));
    /* Extension header length running past the payload. */
    fb_init(&CF);
    fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&CF, IP6_B, IP6_A, 0, 64);
    fb_ext(&CF, 0, 8);
    fb_ext(&CF, 60, 8);
    CF.b[CF.len - 7] = 255;
    fb_udp(&CF, 1, 2);
    fb_finish(&CF);
    expect_drop("bad/ipv6/ext-length-past-payload", NAT64_6TO4,
                R(BAD_EXT_HDR) | R(TRUNCATED) | R(BAD_IP6_LEN));
    /* A chain of 200 destination options headers. */
    {
        int i;

        fb_init(&CF);
        fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&CF, IP6_B, IP6_A, 0, 64);
        for (i = 0; i < 200; i++) {
            fb_ext(&CF, 60, 8);
        }
        fb_udp(&CF, 1, 2);
        fb_finish(&CF);
        expect_drop("bad/ipv6/ext-chain-200", NAT64_6TO4, R(BAD_EXT_HDR));
        /* Two fragment headers. */
        fb_init(&CF);
        fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&CF, IP6_B, IP6_A, 0, 64);
        fb_frag6(&CF, 0, 1, 1);
        fb_frag6(&CF, 0, 1, 1);
        fb_udp(&CF, 1, 2);
        fb_fill(&CF, 16, 1);
        fb_finish(&CF);
        expect_drop("bad/ipv6/two-fragment-headers", NAT64_6TO4,
                    R(BAD_EXT_HDR) | R(FRAG_EXT));
    }

    /* Unmapped / multicast sources with global prefixes. */
    {
        static const uint8_t p40[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01 };
        static const uint8_t mc[16] = { 0xff, 0x0e, [15] = 1 };
        struct nat64_config c;
        uint8_t s6[16], d6[16];

        nat64_config_init(&c);
        nat64_config_set_prefix(&c, p40, 40);
        nat64_addr_4to6(&c, IP4_A, s6);
        nat64_addr_4to6(&c, IP4_B, d6);
        s6[8] = 1;      /* u-octet */
        fb_init(&CF);
        fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&CF, s6, d6, 0, 64);
        fb_udp(&CF, 1, 2);
        fb_finish(&CF);
        xlate(&c, NAT64_6TO4, CF.b, CF.len, 0, 0, 1, &X1);
        t_result("bad/addr/src-u-octet-40", X1.r.verdict == NAT64_DROP
                 && X1.r.reason == NAT64_DROP_SRC_NOT_MAPPED,
                 "verdict %d reason %s", X1.r.verdict,
                 nat64_drop_reason_name(X1.r.reason));
        s6[8] = 0;
        d6[12] = 1;     /* suffix */
        fb_init(&CF);
        fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&CF, s6, d6, 0, 64);
        fb_udp(&CF, 1, 2);
        fb_finish(&CF);
        xlate(&c, NAT64_6TO4, CF.b, CF.len, 0, 0, 1, &X1);
        /* RFC 6052 2.2: the suffix is ignored. */
        t_result("bad/addr/dst-suffix-40-ignored", X1.r.verdict == NAT64_OK,
                 "verdict %d reason %s", X1.r.verdict,
                 nat64_drop_reason_name(X1.r.reason));
        fb_init(&CF);
        fb_eth(&CF, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&CF, mc, d6, 0, 64);
        fb_udp(&CF, 1, 2);
        fb_finish(&CF);
        xlate(&c, NAT64_6TO4, CF.b, CF.len, 0, 0, 1, &X1);
        t_result("bad/addr/src-global-multicast",
                 X1.r.verdict == NAT64_DROP
                 && X1.r.reason == NAT64_DROP_SRC_NOT_MAPPED,
                 "verdict %d reason %s", X1.r.verdict,
                 nat64_drop_reason_name(X1.r.reason));
    }

    /* ARP sizes. */
    {
        static const struct { const char *n; int ofs; uint8_t v; } a[] = {
            { "hlen-16", 4, 16 }, { "plen-16", 5, 16 }, { "plen-0", 5, 0 },
            { "htype-0", 1, 0 }, { "ptype-0", 2, 0 },
        };
        size_t i;

        for (i = 0; i < sizeof a / sizeof a[0]; i++) {
            fb_init(&CF);
            fb_eth(&CF, MAC_BCAST, MAC_A, 0x0806);
            fb_arp(&CF, 1, MAC_A, IP4_A, MAC_ZERO, IP4_B);
            fb_fill(&CF, 32, 3);    /* Room a bigger hlen would read. */
            ip = CF.b + 14;
            ip[a[i].ofs] = a[i].v;
            snprintf(name, sizeof name, "bad/arp/%s", a[i].n);
            expect_drop(name, NAT64_4TO6, R(BAD_ARP));
        }
    }
}

static void
usage(void)
{
    printf("usage: test-props [--quick]\n"
           "Property tests (round trips over generated packets) and "
           "bad-input tests.\n");
}

int
main(int argc, char *argv[])
{
    int count = 3000, v;

    if (argc > 1 && !strcmp(argv[1], "--help")) {
        usage();
        return 0;
    }
    if (argc > 1 && !strcmp(argv[1], "--quick")) {
        count = 300;
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (v = 0; v < 7; v++) {
        prop_4to6(v, v ? count / 3 : count, 1000 + v);
        prop_6to4(v, v ? count / 3 : count, 2000 + v);
    }
    prop_fast_general(count * 4, 3000);
    truncations();
    corrupt();
    return t_summary("test-props");
}
