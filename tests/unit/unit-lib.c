/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Frame builders, independent checksum, validator and harness shared by
 * the translator core's unit tests.  See unit-lib.h.
 */
#include "unit-lib.h"
#include "nat64-private.h"   /* nat64_translate_general() */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

const uint8_t MAC_A[6] = { 0x02, 0, 0, 0, 0, 0x0a };
const uint8_t MAC_B[6] = { 0x02, 0, 0, 0, 0, 0x64 };
const uint8_t MAC_BCAST[6] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
const uint8_t MAC_ZERO[6] = { 0 };
const uint8_t IP4_A[4] = { 192, 168, 0, 10 };
const uint8_t IP4_B[4] = { 192, 168, 0, 100 };
const uint8_t IP6_A[16] = { 0xfe, 0x80, [12] = 192, 168, 0, 10 };
const uint8_t IP6_B[16] = { 0xfe, 0x80, [12] = 192, 168, 0, 100 };

/* ---- RFC 1071 checksum: the plain full sum, no incremental tricks. ---- */

uint32_t
ck_sum(const uint8_t *p, size_t n, uint32_t sum)
{
    size_t i;

    for (i = 0; i + 1 < n; i += 2) {
        sum += (uint32_t) p[i] << 8 | p[i + 1];
    }
    if (n & 1) {
        sum += (uint32_t) p[n - 1] << 8;
    }
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return sum;
}

uint16_t
ck_fold(uint32_t sum)
{
    while (sum >> 16) {
        sum = (sum & 0xffff) + (sum >> 16);
    }
    return ~sum & 0xffff;
}

/* Checksum over 'l4' with the pseudo-header (RFC 768/793 for IPv4, RFC
 * 8200 8.1 for IPv6; ICMPv4 has none). */
uint16_t
ck_l4(int v6, const uint8_t *src, const uint8_t *dst, uint8_t proto,
      const uint8_t *l4, size_t len)
{
    uint32_t sum = 0;
    uint8_t ph[8];

    if (v6) {
        sum = ck_sum(src, 16, sum);
        sum = ck_sum(dst, 16, sum);
        ph[0] = len >> 24; ph[1] = len >> 16; ph[2] = len >> 8; ph[3] = len;
        ph[4] = ph[5] = ph[6] = 0; ph[7] = proto;
        sum = ck_sum(ph, 8, sum);
    } else if (proto != 1) {
        sum = ck_sum(src, 4, sum);
        sum = ck_sum(dst, 4, sum);
        ph[0] = 0; ph[1] = proto; ph[2] = len >> 8; ph[3] = len;
        sum = ck_sum(ph, 4, sum);
    }
    return ck_fold(ck_sum(l4, len, sum));
}

/* ---- Builders. ---- */

static void
put16(uint8_t *p, uint16_t v)
{
    p[0] = v >> 8;
    p[1] = v;
}

static void
put32(uint8_t *p, uint32_t v)
{
    p[0] = v >> 24; p[1] = v >> 16; p[2] = v >> 8; p[3] = v;
}

static uint8_t *
fb_room(struct fb *f, size_t n)
{
    uint8_t *p;

    if (f->len + n > FB_MAX) {
        fprintf(stderr, "fb overflow\n");
        abort();
    }
    p = f->b + f->len;
    memset(p, 0, n);
    f->len += n;
    return p;
}

void
fb_init(struct fb *f)
{
    memset(f, 0, offsetof(struct fb, b) + 64);
    f->len = 0;
    f->l3 = f->l4 = f->nh_ofs = -1;
    f->v6 = f->arp = 0;
    f->proto = 0;
    f->keep_l4_csum = f->keep_l3_len = f->keep_l3_csum = 0;
    f->keep_udp_len = 0;
}

void
fb_eth(struct fb *f, const uint8_t dst[6], const uint8_t src[6],
       uint16_t type)
{
    uint8_t *p = fb_room(f, 14);

    memcpy(p, dst, 6);
    memcpy(p + 6, src, 6);
    put16(p + 12, type);
}

void
fb_eth_vlan(struct fb *f, const uint8_t dst[6], const uint8_t src[6],
            uint16_t tci, uint16_t type)
{
    uint8_t *p = fb_room(f, 18);

    memcpy(p, dst, 6);
    memcpy(p + 6, src, 6);
    put16(p + 12, 0x8100);
    put16(p + 14, tci);
    put16(p + 16, type);
}

void
fb_ip4(struct fb *f, const struct ip4h *h)
{
    size_t hl = 20 + h->optlen;
    uint8_t *p = fb_room(f, hl);

    f->l3 = p - f->b;
    f->v6 = 0;
    p[0] = 0x40 | (hl / 4);
    p[1] = h->tos;
    put16(p + 4, h->id);
    put16(p + 6, h->frag);
    p[8] = h->ttl;
    p[9] = h->proto;
    memcpy(p + 12, h->src, 4);
    memcpy(p + 16, h->dst, 4);
    if (h->optlen) {
        memcpy(p + 20, h->opt, h->optlen);
    }
    f->nh_ofs = f->l3 + 9;
    f->l4 = f->len;
    f->proto = h->proto;
}

void
fb_ip4s(struct fb *f, const uint8_t src[4], const uint8_t dst[4],
        uint8_t tos, uint8_t ttl, uint16_t id, uint16_t frag)
{
    struct ip4h h = { .tos = tos, .ttl = ttl, .id = id, .frag = frag,
                      .src = src, .dst = dst };
    fb_ip4(f, &h);
}

void
fb_ip6(struct fb *f, const struct ip6h *h)
{
    uint8_t *p = fb_room(f, 40);

    f->l3 = p - f->b;
    f->v6 = 1;
    put32(p, 6u << 28 | (uint32_t) h->tc << 20 | (h->flow & 0xfffff));
    p[7] = h->hlim;
    memcpy(p + 8, h->src, 16);
    memcpy(p + 24, h->dst, 16);
    f->nh_ofs = f->l3 + 6;
    f->l4 = f->len;
}

void
fb_ip6s(struct fb *f, const uint8_t src[16], const uint8_t dst[16],
        uint8_t tc, uint8_t hlim)
{
    struct ip6h h = { .tc = tc, .hlim = hlim, .src = src, .dst = dst };
    fb_ip6(f, &h);
}

void
fb_set_next(struct fb *f, uint8_t proto)
{
    if (f->nh_ofs >= 0) {
        f->b[f->nh_ofs] = proto;
    }
    f->proto = proto;
}

/* Hop-by-hop / destination options header of 'len' bytes, padded with
 * PadN (RFC 8200 4.2). */
void
fb_ext(struct fb *f, uint8_t type, size_t len)
{
    uint8_t *p;
    size_t pad;

    fb_set_next(f, type);
    p = fb_room(f, len);
    p[1] = len / 8 - 1;
    pad = len - 2;
    if (pad == 1) {
        p[2] = 0;
    } else {
        p[2] = 1;
        p[3] = pad - 2;
    }
    f->nh_ofs = p - f->b;
    f->l4 = f->len;
}

/* Routing header (RFC 8200 4.4) of type 0 layout with 'n_addr'
 * addresses. */
void
fb_rh(struct fb *f, uint8_t segs_left, int n_addr)
{
    uint8_t *p;
    int i;

    fb_set_next(f, 43);
    p = fb_room(f, 8 + 16 * n_addr);
    p[1] = 2 * n_addr;
    p[2] = 0;
    p[3] = segs_left;
    for (i = 0; i < n_addr; i++) {
        p[8 + 16 * i] = 0x20;
        p[8 + 16 * i + 15] = i + 1;
    }
    f->nh_ofs = p - f->b;
    f->l4 = f->len;
}

void
fb_frag6(struct fb *f, uint16_t off8, int m, uint32_t id)
{
    uint8_t *p;

    fb_set_next(f, 44);
    p = fb_room(f, 8);
    put16(p + 2, off8 << 3 | (m ? 1 : 0));
    put32(p + 4, id);
    f->nh_ofs = p - f->b;
    f->l4 = f->len;
}

void
fb_tcp(struct fb *f, uint16_t sport, uint16_t dport, uint32_t seq,
       uint32_t ack, uint8_t flags, uint16_t win, const uint8_t *opt,
       size_t optlen)
{
    uint8_t *p;

    fb_set_next(f, 6);
    p = fb_room(f, 20 + optlen);
    f->l4 = p - f->b;
    put16(p, sport);
    put16(p + 2, dport);
    put32(p + 4, seq);
    put32(p + 8, ack);
    p[12] = (20 + optlen) / 4 << 4;
    p[13] = flags;
    put16(p + 14, win);
    if (optlen) {
        memcpy(p + 20, opt, optlen);
    }
}

void
fb_udp(struct fb *f, uint16_t sport, uint16_t dport)
{
    uint8_t *p;

    fb_set_next(f, 17);
    p = fb_room(f, 8);
    f->l4 = p - f->b;
    put16(p, sport);
    put16(p + 2, dport);
}

void
fb_icmp(struct fb *f, uint8_t type, uint8_t code, uint32_t rest)
{
    uint8_t *p;

    fb_set_next(f, f->v6 ? 58 : 1);
    p = fb_room(f, 8);
    f->l4 = p - f->b;
    p[0] = type;
    p[1] = code;
    put32(p + 4, rest);
}

void
fb_l4raw(struct fb *f, uint8_t proto)
{
    fb_set_next(f, proto);
    f->l4 = f->len;
    f->keep_l4_csum = 1;
}

void
fb_data(struct fb *f, const void *d, size_t n)
{
    memcpy(fb_room(f, n), d, n);
}

void
fb_fill(struct fb *f, size_t n, uint32_t seed)
{
    uint8_t *p = fb_room(f, n);
    uint64_t s = seed * 2654435761u + 1;
    size_t i;

    for (i = 0; i < n; i++) {
        p[i] = rnd_next(&s) >> 56;
    }
}

void
fb_u8(struct fb *f, uint8_t v)
{
    *fb_room(f, 1) = v;
}

void
fb_u16(struct fb *f, uint16_t v)
{
    put16(fb_room(f, 2), v);
}

void
fb_u32(struct fb *f, uint32_t v)
{
    put32(fb_room(f, 4), v);
}

void
fb_arp(struct fb *f, uint16_t op, const uint8_t sha[6],
       const uint8_t spa[4], const uint8_t tha[6], const uint8_t tpa[4])
{
    uint8_t *p = fb_room(f, 28);

    f->l3 = p - f->b;
    f->arp = 1;
    put16(p, 1);
    put16(p + 2, 0x0800);
    p[4] = 6;
    p[5] = 4;
    put16(p + 6, op);
    memcpy(p + 8, sha, 6);
    memcpy(p + 14, spa, 4);
    memcpy(p + 18, tha, 6);
    memcpy(p + 24, tpa, 4);
}

void
fb_ndopt(struct fb *f, uint8_t type, const uint8_t mac[6])
{
    uint8_t *p = fb_room(f, 8);

    p[0] = type;
    p[1] = 1;
    memcpy(p + 2, mac, 6);
}

void
fb_finish(struct fb *f)
{
    uint8_t *l3 = f->b + f->l3;
    int csum_ofs = -1;
    size_t l4len;

    if (f->l3 < 0 || f->arp) {
        return;
    }
    if (!f->v6) {
        size_t hl = (l3[0] & 15) * 4;

        if (!f->keep_l3_len) {
            put16(l3 + 2, f->len - f->l3);
        }
        if (!f->keep_l3_csum) {
            put16(l3 + 10, 0);
            put16(l3 + 10, ck_fold(ck_sum(l3, hl, 0)));
        }
    } else if (!f->keep_l3_len) {
        put16(l3 + 4, f->len - f->l3 - 40);
    }
    if (f->l4 < 0 || f->keep_l4_csum) {
        return;
    }
    l4len = f->len - f->l4;
    switch (f->proto) {
    case 6:
        csum_ofs = 16;
        break;
    case 17:
        if (!f->keep_udp_len) {
            put16(f->b + f->l4 + 4, l4len);
        }
        csum_ofs = 6;
        break;
    case 1:
    case 58:
        csum_ofs = 2;
        break;
    case 33:
        csum_ofs = 6;           /* RFC 4340 9: DCCP, full coverage. */
        break;
    default:
        return;
    }
    put16(f->b + f->l4 + csum_ofs, 0);
    {
        uint16_t c = ck_l4(f->v6, l3 + (f->v6 ? 8 : 12),
                           l3 + (f->v6 ? 24 : 16), f->proto,
                           f->b + f->l4, l4len);
        if (f->proto == 17 && c == 0) {
            c = 0xffff;
        }
        put16(f->b + f->l4 + csum_ofs, c);
    }
}

void
fb_frag4_of(struct fb *out, const struct fb *whole, size_t off, size_t n,
            int mf)
{
    size_t hl = (whole->b[whole->l3] & 15) * 4;
    uint8_t *ip;

    fb_init(out);
    fb_data(out, whole->b, whole->l3 + hl);
    out->l3 = whole->l3;
    ip = out->b + out->l3;
    put16(ip + 6, (mf ? IP4_MF : 0) | (off / 8));
    fb_data(out, whole->b + whole->l4 + off, n);
    out->proto = whole->proto;
    out->l4 = off ? -1 : whole->l4;
    out->keep_l4_csum = 1;
    fb_finish(out);
}

void
fb_frag6_of(struct fb *out, const struct fb *whole, size_t off, size_t n,
            int m, uint32_t id)
{
    uint8_t *p;

    fb_init(out);
    fb_data(out, whole->b, whole->l3 + 40);
    out->l3 = whole->l3;
    out->v6 = 1;
    out->b[out->l3 + 6] = 44;
    p = fb_room(out, 8);
    p[0] = whole->proto;
    put16(p + 2, (off / 8) << 3 | (m ? 1 : 0));
    put32(p + 4, id);
    fb_data(out, whole->b + whole->l4 + off, n);
    out->proto = whole->proto;
    out->l4 = off ? -1 : (int) (p - out->b) + 8;
    out->keep_l4_csum = 1;
    fb_finish(out);
}

void
fb_inner(struct fb *f, const struct fb *inner, size_t max)
{
    size_t n = inner->len - inner->l3;

    fb_data(f, inner->b + inner->l3, n < max ? n : max);
}

/* ---- Addresses. ---- */

void
map4(const uint8_t ip4[4], uint8_t ip6[16])
{
    memset(ip6, 0, 16);
    ip6[0] = 0xfe;
    ip6[1] = 0x80;
    memcpy(ip6 + 12, ip4, 4);
}

/* RFC 2464 section 7. */
void
mac_mcast6(const uint8_t ip6[16], uint8_t mac[6])
{
    mac[0] = mac[1] = 0x33;
    memcpy(mac + 2, ip6 + 12, 4);
}

/* RFC 1112 section 6.4. */
void
mac_mcast4(const uint8_t ip4[4], uint8_t mac[6])
{
    mac[0] = 0x01;
    mac[1] = 0x00;
    mac[2] = 0x5e;
    mac[3] = ip4[1] & 0x7f;
    mac[4] = ip4[2];
    mac[5] = ip4[3];
}

/* RFC 4291 2.7.1: ff02::1:ffXX:XXXX. */
void
solicited_node(const uint8_t ip6[16], uint8_t out[16])
{
    memset(out, 0, 16);
    out[0] = 0xff;
    out[1] = 0x02;
    out[11] = 0x01;
    out[12] = 0xff;
    memcpy(out + 13, ip6 + 13, 3);
}

/* ---- Validator. ---- */

static int
why_set(char *why, size_t size, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(why, size, fmt, ap);
    va_end(ap);
    return -1;
}

static int
check_l4(int v6, const uint8_t *l3, uint8_t proto, const uint8_t *l4,
         size_t len, char *why, size_t ws)
{
    const uint8_t *src = l3 + (v6 ? 8 : 12), *dst = l3 + (v6 ? 24 : 16);

    switch (proto) {
    case 6:
        if (len < 20 || (l4[12] >> 4) * 4 < 20 || (l4[12] >> 4) * 4 > len) {
            return why_set(why, ws, "bad TCP header length");
        }
        break;
    case 17:
        if (len < 8) {
            return why_set(why, ws, "short UDP");
        }
        if ((size_t) (l4[4] << 8 | l4[5]) != len) {
            return why_set(why, ws, "UDP length %u != %zu",
                           l4[4] << 8 | l4[5], len);
        }
        if (!v6 && !l4[6] && !l4[7]) {
            return 0;
        }
        if (v6 && !l4[6] && !l4[7]) {
            return why_set(why, ws, "zero UDP checksum in IPv6");
        }
        break;
    case 33:
        if (len < 12) {
            return why_set(why, ws, "short DCCP");
        }
        break;
    case 1:
        if (v6) {
            return why_set(why, ws, "ICMPv4 in IPv6");
        }
        if (len < 8) {
            return why_set(why, ws, "short ICMP");
        }
        break;
    case 58:
        if (!v6) {
            return why_set(why, ws, "ICMPv6 in IPv4");
        }
        if (len < 8) {
            return why_set(why, ws, "short ICMPv6");
        }
        break;
    default:
        return 0;
    }
    if (ck_l4(v6, src, dst, proto, l4, len)) {
        return why_set(why, ws, "bad L4 checksum (proto %u)", proto);
    }
    return 0;
}

int
frame_check(const uint8_t *p, size_t len, char *why, size_t ws)
{
    size_t o = 14;
    uint16_t type;

    if (len < 14) {
        return why_set(why, ws, "short frame");
    }
    type = p[12] << 8 | p[13];
    if (type == 0x8100) {
        if (len < 18) {
            return why_set(why, ws, "short VLAN frame");
        }
        type = p[16] << 8 | p[17];
        o = 18;
    }
    if (type == 0x0800) {
        const uint8_t *ip = p + o;
        size_t hl, tot;

        if (len - o < 20 || ip[0] >> 4 != 4 || (ip[0] & 15) < 5) {
            return why_set(why, ws, "bad IPv4 header");
        }
        hl = (ip[0] & 15) * 4;
        tot = ip[2] << 8 | ip[3];
        if (tot != len - o || hl > tot) {
            return why_set(why, ws, "IPv4 total length %zu, L3 bytes %zu",
                           tot, len - o);
        }
        if (ck_fold(ck_sum(ip, hl, 0))) {
            return why_set(why, ws, "bad IPv4 header checksum");
        }
        if ((ip[6] & 0x3f) || ip[7] || (ip[6] & 0x20)) {
            return 0;   /* Fragment: no whole L4 to check. */
        }
        return check_l4(0, ip, ip[9], ip + hl, tot - hl, why, ws);
    } else if (type == 0x86dd) {
        const uint8_t *ip = p + o;
        size_t plen, off = 40;
        uint8_t nh;
        int n = 0;

        if (len - o < 40 || ip[0] >> 4 != 6) {
            return why_set(why, ws, "bad IPv6 header");
        }
        plen = ip[4] << 8 | ip[5];
        if (plen != len - o - 40) {
            return why_set(why, ws, "IPv6 payload length %zu, bytes %zu",
                           plen, len - o - 40);
        }
        nh = ip[6];
        while (nh == 0 || nh == 43 || nh == 60 || nh == 44) {
            if (off + 8 > len - o || ++n > 8) {
                return why_set(why, ws, "bad extension header chain");
            }
            if (nh == 44) {
                if ((ip[off + 2] << 8 | ip[off + 3]) & 0xfff9) {
                    return 0;   /* Real fragment. */
                }
                nh = ip[off];
                off += 8;
                continue;
            }
            nh = ip[off];
            off += (ip[off + 1] + 1) * 8;
        }
        if (off > len - o) {
            return why_set(why, ws, "extension headers past the packet");
        }
        return check_l4(1, ip, nh, ip + off, len - o - off, why, ws);
    } else if (type == 0x0806) {
        const uint8_t *a = p + o;

        if (len - o != 28) {
            return why_set(why, ws, "ARP frame L3 length %zu", len - o);
        }
        if (a[0] != 0 || a[1] != 1 || a[2] != 8 || a[3] != 0 || a[4] != 6
            || a[5] != 4) {
            return why_set(why, ws, "bad ARP hardware/protocol fields");
        }
        return 0;
    }
    return why_set(why, ws, "unknown ethertype %04x", type);
}

/* ---- Reporting. ---- */

/* The sanitizer builds run the same cases under other names, so that the
 * stage summary counts them separately. */
#ifndef UNIT_PREFIX
#define UNIT_PREFIX ""
#endif

int n_pass, n_fail, n_skip;

void
t_pass(const char *name)
{
    printf("PASS: %s%s\n", UNIT_PREFIX, name);
    n_pass++;
}

void
t_fail(const char *name, const char *fmt, ...)
{
    va_list ap;

    printf("FAIL: %s%s\n", UNIT_PREFIX, name);
    printf("  # ");
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    n_fail++;
}

void
t_result(const char *name, int ok, const char *fmt, ...)
{
    va_list ap;

    if (ok) {
        t_pass(name);
        return;
    }
    printf("FAIL: %s%s\n  # ", UNIT_PREFIX, name);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n");
    n_fail++;
}

int
t_summary(const char *prog)
{
    printf("# %s: %d passed, %d failed, %d skipped\n", prog, n_pass, n_fail,
           n_skip);
    fflush(stdout);
    return n_fail ? 1 : 0;
}

void
hexdiff(const uint8_t *got, size_t glen, const uint8_t *exp, size_t elen)
{
    size_t i, first = (size_t) -1, n = glen > elen ? glen : elen;

    for (i = 0; i < n; i++) {
        if (i >= glen || i >= elen || got[i] != exp[i]) {
            first = i;
            break;
        }
    }
    printf("  # length got %zu expected %zu, first difference at %zd\n",
           glen, elen, first == (size_t) -1 ? (ssize_t) -1 : (ssize_t) first);
    for (i = 0; i < n; i += 16) {
        size_t j;

        if (first != (size_t) -1 && (i + 16 < first || i > first + 64)) {
            continue;
        }
        printf("  # %04zx got:", i);
        for (j = i; j < i + 16 && j < glen; j++) {
            printf(" %02x", got[j]);
        }
        printf("\n  # %04zx exp:", i);
        for (j = i; j < i + 16 && j < elen; j++) {
            printf("%s%02x", exp[j] != (j < glen ? got[j] : exp[j] ^ 1)
                   ? "*" : " ", exp[j]);
        }
        printf("\n");
    }
}

/* ---- Harness. ---- */

int xlate_general_only;

void
xlate(const struct nat64_config *cfg, enum nat64_direction dir,
      const uint8_t *frame, size_t len, size_t headroom, size_t tailroom,
      int with_reply, struct xres *x)
{
    size_t total = headroom + len + tailroom;
    uint8_t *buf = malloc(total ? total : 1);
    uint8_t *rbuf = malloc(NAT64_REPLY_MAX);
    struct nat64_pkt pkt;
    struct nat64_reply_buf rb = { rbuf, NAT64_REPLY_MAX };

    memset(buf, 0xa5, total);
    memcpy(buf + headroom, frame, len);
    pkt.data = buf + headroom;
    pkt.len = len;
    pkt.headroom = headroom;
    pkt.tailroom = tailroom;
    memset(&x->r, 0x5a, sizeof x->r);
    if (xlate_general_only) {
        nat64_translate_general(cfg, dir, &pkt, with_reply ? &rb : NULL,
                                &x->r, 0);
    } else {
        nat64_translate(cfg, dir, &pkt, with_reply ? &rb : NULL, &x->r);
    }
    x->out_len = x->reply_len = 0;
    x->layout_ok = 1;
    if (x->r.verdict == NAT64_OK) {
        x->layout_ok = pkt.data >= buf
                       && (size_t) (pkt.data - buf) == pkt.headroom
                       && pkt.headroom + pkt.len + pkt.tailroom == total
                       && pkt.len <= FB_MAX;
        if (x->layout_ok) {
            memcpy(x->out, pkt.data, pkt.len);
            x->out_len = pkt.len;
        }
    } else if (x->r.verdict == NAT64_REPLY) {
        x->layout_ok = x->r.reply_len <= NAT64_REPLY_MAX;
        if (x->layout_ok) {
            memcpy(x->reply, rbuf, x->r.reply_len);
            x->reply_len = x->r.reply_len;
        }
    } else if (x->r.verdict == NAT64_FRAGMENT) {
        /* The packet must be left untouched for nat64_fragment_next(). */
        x->layout_ok = pkt.data == buf + headroom && pkt.len == len
                       && !memcmp(pkt.data, frame, len);
    }
    free(buf);
    free(rbuf);
}

const char *corpus_dir;

void
corpus_add(enum nat64_direction dir, int variant, const uint8_t *p,
           size_t n)
{
    static int seq;
    char path[4096];
    FILE *f;

    if (!corpus_dir) {
        return;
    }
    mkdir(corpus_dir, 0755);
    snprintf(path, sizeof path, "%s/seed-%05d", corpus_dir, seq++);
    f = fopen(path, "wb");
    if (!f) {
        fprintf(stderr, "%s: %s\n", path, strerror(errno));
        exit(2);
    }
    fputc((dir == NAT64_6TO4) | variant << 1, f);
    fwrite(p, 1, n, f);
    fclose(f);
}

uint64_t
rnd_next(uint64_t *s)
{
    uint64_t x = *s;

    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    *s = x;
    return x * 0x2545F4914F6CDD1DULL;
}

uint32_t
rnd_range(uint64_t *s, uint32_t n)
{
    return n ? (uint32_t) ((rnd_next(s) >> 32) % n) : 0;
}
