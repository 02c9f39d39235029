/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-nat64 cases of the discovery ALGs (cfg->alg): mDNS / DNS-SD
 * (RFC 6762/6763 on RFC 1035 messages) and SSDP (UPnP DA 1.1).
 *
 * Every expected message is built here by a DNS message builder of its
 * own (names laid out label by label, compression pointers to the
 * offsets where the builder actually put the names) and wrapped into
 * frames by unit-lib (its own checksums), never derived from lib/nat64.
 * The rules under test are those of lib/nat64/README.md "ALGs".
 */
#include "test-nat64.h"

#include <stdlib.h>
#include <string.h>

/* ---- A DNS message builder. ---- */

struct dm {
    uint8_t b[2048];
    size_t len;
};

static void
dm_u8(struct dm *m, uint8_t v)
{
    m->b[m->len++] = v;
}

static void
dm_u16(struct dm *m, uint16_t v)
{
    dm_u8(m, v >> 8);
    dm_u8(m, v & 0xff);
}

static void
dm_u32(struct dm *m, uint32_t v)
{
    dm_u16(m, v >> 16);
    dm_u16(m, v & 0xffff);
}

static void
dm_bytes(struct dm *m, const void *p, size_t n)
{
    memcpy(m->b + m->len, p, n);
    m->len += n;
}

static void
dm_hdr(struct dm *m, uint16_t flags, uint16_t qd, uint16_t an, uint16_t ns,
       uint16_t ar)
{
    m->len = 0;
    dm_u16(m, 0);               /* mDNS: id 0. */
    dm_u16(m, flags);
    dm_u16(m, qd);
    dm_u16(m, an);
    dm_u16(m, ns);
    dm_u16(m, ar);
}

/* Labels of the dotted 'name' ("" = root), then a pointer to 'ptr' if
 * ptr >= 0, else the root label.  Returns the offset of the name. */
static size_t
dm_name(struct dm *m, const char *name, int ptr)
{
    size_t at = m->len;
    const char *p = name;

    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t) (dot - p) : strlen(p);

        dm_u8(m, (uint8_t) n);
        dm_bytes(m, p, n);
        p += n + (dot ? 1 : 0);
    }
    if (ptr >= 0) {
        dm_u16(m, (uint16_t) (0xc000 | ptr));
    } else {
        dm_u8(m, 0);
    }
    return at;
}

static void
dm_q(struct dm *m, const char *name, int ptr, uint16_t type, uint16_t cls)
{
    dm_name(m, name, ptr);
    dm_u16(m, type);
    dm_u16(m, cls);
}

/* Record header after the owner name; returns the rdlength offset. */
static size_t
dm_rr(struct dm *m, uint16_t type, uint16_t cls, uint32_t ttl,
      uint16_t rdlen)
{
    size_t at;

    dm_u16(m, type);
    dm_u16(m, cls);
    dm_u32(m, ttl);
    at = m->len;
    dm_u16(m, rdlen);
    return at;
}

/* Sets the rdlength at 'at' to the bytes written since. */
static void
dm_rdlen(struct dm *m, size_t at)
{
    size_t n = m->len - at - 2;

    m->b[at] = n >> 8;
    m->b[at + 1] = n & 0xff;
}

static void
dm_a(struct dm *m, const char *name, int ptr, const uint8_t ip4[4])
{
    dm_name(m, name, ptr);
    dm_rr(m, 1, 0x8001, 120, 4);
    dm_bytes(m, ip4, 4);
}

static void
dm_aaaa(struct dm *m, const char *name, int ptr, const uint8_t ip6[16])
{
    dm_name(m, name, ptr);
    dm_rr(m, 28, 0x8001, 120, 16);
    dm_bytes(m, ip6, 16);
}

/* NSEC (RFC 4034 4.1) with window 0 only, the given bitmap bytes. */
static void
dm_nsec(struct dm *m, int owner_ptr, int next_ptr, const uint8_t *bm,
        size_t bmlen)
{
    size_t at;

    dm_name(m, "", owner_ptr);
    at = dm_rr(m, 47, 0x8001, 120, 0);
    dm_name(m, "", next_ptr);
    if (bmlen) {
        dm_u8(m, 0);
        dm_u8(m, (uint8_t) bmlen);
        dm_bytes(m, bm, bmlen);
    }
    dm_rdlen(m, at);
}

/* ---- Frames around the messages. ---- */

static const uint8_t MDNS4[4] = { 224, 0, 0, 251 };
static const uint8_t MDNS6[16] = { 0xff, 0x02, [15] = 0xfb };
static const uint8_t PRN4[4] = { 192, 168, 0, 50 };
static const uint8_t PRN6[16] = { 0xfe, 0x80, [12] = 192, 168, 0, 50 };
static const uint8_t PRN4B[4] = { 10, 1, 2, 3 };
static const uint8_t PRN6B[16] = { 0xfe, 0x80, [12] = 10, 1, 2, 3 };
static const uint8_t GUA6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* Who talks: 'mcast' sends to the mDNS/SSDP group instead of the
 * peer. */
struct alg_end {
    uint16_t sport, dport;
    int mcast;
    const uint8_t *g4, *g6;     /* Group of 'mcast'. */
};

static const struct alg_end MDNS_MC = { 5353, 5353, 1, MDNS4, MDNS6 };

/* IPv4 frame: tenant device 192.168.0.50 (MAC_A) -> peer/group. */
static void
frame4(struct fb *f, const struct alg_end *e, const void *msg, size_t n,
       int zero_csum)
{
    uint8_t mac[6];
    const uint8_t *dst = e->mcast ? e->g4 : IP4_B;

    fb_init(f);
    if (e->mcast) {
        mac_mcast4(e->g4, mac);
    } else {
        memcpy(mac, MAC_B, 6);
    }
    fb_eth(f, mac, MAC_A, 0x0800);
    fb_ip4s(f, PRN4, dst, 0, 255, 0x1234, 0);
    fb_udp(f, e->sport, e->dport);
    fb_data(f, msg, n);
    fb_finish(f);
    if (zero_csum) {
        f->b[f->l4 + 6] = f->b[f->l4 + 7] = 0;
    }
}

/* The same from the IPv6 side: fe80::c0a8:32 -> peer/group. */
static void
frame6(struct fb *f, const struct alg_end *e, const void *msg, size_t n)
{
    uint8_t mac[6];
    const uint8_t *dst = e->mcast ? e->g6 : IP6_B;

    fb_init(f);
    if (e->mcast) {
        mac_mcast6(e->g6, mac);
    } else {
        memcpy(mac, MAC_B, 6);
    }
    fb_eth(f, mac, MAC_A, 0x86dd);
    fb_ip6s(f, PRN6, dst, 0, 255);
    fb_udp(f, e->sport, e->dport);
    fb_data(f, msg, n);
    fb_finish(f);
}

/* IPv6 frame of the service host fe80::c0a8:64 (MAC_B) -> 'dst'. */
static void
svc6(struct fb *f, const struct alg_end *e, const void *msg, size_t n)
{
    uint8_t mac[6];
    const uint8_t *dst = e->mcast ? e->g6 : IP6_A;

    fb_init(f);
    if (e->mcast) {
        mac_mcast6(e->g6, mac);
    } else {
        memcpy(mac, MAC_A, 6);
    }
    fb_eth(f, mac, MAC_B, 0x86dd);
    fb_ip6s(f, IP6_B, dst, 0, 255);
    fb_udp(f, e->sport, e->dport);
    fb_data(f, msg, n);
    fb_finish(f);
}

static void
svc4(struct fb *f, const struct alg_end *e, const void *msg, size_t n)
{
    uint8_t mac[6];
    const uint8_t *dst = e->mcast ? e->g4 : IP4_A;

    fb_init(f);
    if (e->mcast) {
        mac_mcast4(e->g4, mac);
    } else {
        memcpy(mac, MAC_A, 6);
    }
    fb_eth(f, mac, MAC_B, 0x0800);
    fb_ip4s(f, IP4_B, dst, 0, 255, 0, df_rule(20 + 8 + n));
    fb_udp(f, e->sport, e->dport);
    fb_data(f, msg, n);
    fb_finish(f);
}

/* ---- The runner. ---- */

static struct xres AX;

/* The IPv4 identification of a 6to4 packet is the translator's choice
 * (RFC 7915 5.1): take it from the output, recompute the checksum. */
static void
take_id(struct fb *e, const uint8_t *got, size_t glen)
{
    uint8_t *ip = e->b + 14;
    uint16_t c;

    if (e->len < 34 || glen < 34 || e->b[12] != 8 || e->b[13] != 0) {
        return;
    }
    ip[4] = got[18];
    ip[5] = got[19];
    ip[10] = ip[11] = 0;
    c = ck_fold(ck_sum(ip, 20, 0));
    ip[10] = c >> 8;
    ip[11] = c & 0xff;
}

/* Translates 'in' with 'cfg' and 'tailroom' bytes after it; 'exp' NULL
 * expects a drop with 'reason'. */
static void
alg_case(const char *name, const struct nat64_config *cfg,
         enum nat64_direction dir, const struct fb *in, struct fb *exp,
         size_t tailroom, enum nat64_drop_reason reason)
{
    char why[256] = "", full[200];

    snprintf(full, sizeof full, "alg/%s", name);
    corpus_add(dir, 2, in->b, in->len);
    if (in->l4 > 0) {
        /* The payload alone: the fuzz target wraps it (fuzz-nat64.c). */
        corpus_add(dir, 2, in->b + in->l4 + 8, in->len - in->l4 - 8);
    }
    xlate(cfg, dir, in->b, in->len, NAT64_HEADROOM, tailroom, 1, &AX);
    if (!exp) {
        t_result(full, AX.r.verdict == NAT64_DROP && AX.r.reason == reason,
                 "verdict %d reason %s, expected drop %s", AX.r.verdict,
                 nat64_drop_reason_name(AX.r.reason),
                 nat64_drop_reason_name(reason));
        return;
    }
    if (AX.r.verdict != NAT64_OK || !AX.layout_ok) {
        t_fail(full, "verdict %d reason %s layout %d", AX.r.verdict,
               nat64_drop_reason_name(AX.r.reason), AX.layout_ok);
        return;
    }
    if (dir == NAT64_6TO4) {
        take_id(exp, AX.out, AX.out_len);
    }
    if (frame_check(AX.out, AX.out_len, why, sizeof why)
        && !exp->keep_l4_csum) {
        t_fail(full, "invalid output: %s", why);
        return;
    }
    if (AX.out_len != exp->len || memcmp(AX.out, exp->b, exp->len)) {
        t_fail(full, "output frame differs");
        hexdiff(AX.out, AX.out_len, exp->b, exp->len);
        return;
    }
    t_pass(full);
}

static struct nat64_config
alg_cfg(uint8_t alg, uint16_t mtu)
{
    struct nat64_config c;

    nat64_config_init(&c);
    c.alg = alg;
    c.mtu = mtu;
    return c;
}

#define BOTH (NAT64_ALG_MDNS | NAT64_ALG_SSDP)
#define RESP 0x8400             /* QR, AA. */

static struct fb IN, EXP;
static struct dm M, E;

/* ---- mDNS answers. ---- */

static void
mdns_answers(void)
{
    struct nat64_config c = alg_cfg(BOTH, 1500);
    size_t n1, n2, n3;

    /* One A record -> AAAA; name, class with cache-flush, TTL kept. */
    dm_hdr(&M, RESP, 0, 1, 0, 0);
    dm_a(&M, "printer.local", -1, PRN4);
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);
    dm_hdr(&E, RESP, 0, 1, 0, 0);
    dm_aaaa(&E, "printer.local", -1, PRN6);
    frame6(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/4to6/a-to-aaaa", &c, NAT64_4TO6, &IN, &EXP, 256, 0);

    /* The same with the knob off: payload untouched. */
    {
        struct nat64_config off = alg_cfg(0, 1500);

        frame6(&EXP, &MDNS_MC, M.b, M.len);
        alg_case("mdns/4to6/alg-off-unchanged", &off, NAT64_4TO6, &IN,
                 &EXP, 256, 0);
        off.alg = NAT64_ALG_SSDP;
        alg_case("mdns/4to6/only-ssdp-unchanged", &off, NAT64_4TO6, &IN,
                 &EXP, 256, 0);
    }

    /* IPv4 without UDP checksum: the ALG rewrites, the translation
     * computes the IPv6 checksum over the new payload (RFC 7915 4.5). */
    frame4(&IN, &MDNS_MC, M.b, M.len, 1);
    frame6(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/4to6/zero-udp-checksum", &c, NAT64_4TO6, &IN, &EXP, 256,
             0);

    /* A corrupted datagram (bad checksum) is not rewritten, and its
     * checksum stays wrong by the same amount. */
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);
    IN.b[IN.l4 + 6] ^= 0x55;
    xlate(&c, NAT64_4TO6, IN.b, IN.len, NAT64_HEADROOM, 256, 1, &AX);
    {
        size_t l4 = 14 + 40, n = AX.out_len - l4;
        int ok = AX.r.verdict == NAT64_OK && n == 8 + M.len
                 && !memcmp(AX.out + l4 + 8, M.b, M.len)
                 && ck_l4(1, AX.out + 22, AX.out + 38, 17, AX.out + l4, n)
                    == ck_l4(0, IN.b + 26, IN.b + 30, 17, IN.b + IN.l4,
                             8 + M.len);

        t_result("alg/mdns/4to6/bad-checksum-unchanged", ok,
                 "payload rewritten or checksum error not kept");
    }

    /* 6to4: the service host's AAAA in the prefix -> A, the others
     * (global address, A of another interface) removed; counts follow. */
    dm_hdr(&M, RESP, 0, 3, 0, 1);
    n1 = dm_name(&M, "svc.local", -1);
    dm_rr(&M, 28, 0x8001, 120, 16);
    dm_bytes(&M, IP6_B, 16);
    dm_aaaa(&M, "", (int) n1, GUA6);
    dm_a(&M, "", (int) n1, PRN4B);
    dm_aaaa(&M, "other", (int) n1 + 4, IP6_A);
    svc6(&IN, &MDNS_MC, M.b, M.len);
    dm_hdr(&E, RESP, 0, 1, 0, 1);
    n1 = dm_name(&E, "svc.local", -1);
    dm_rr(&E, 1, 0x8001, 120, 4);
    dm_bytes(&E, IP4_B, 4);
    dm_a(&E, "other", (int) n1 + 4, IP4_A);
    svc4(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/6to4/aaaa-to-a-unmappable-removed", &c, NAT64_6TO4, &IN,
             &EXP, 0, 0);

    /* 4to6: a DNS-SD response (PTR, SRV, TXT in answers, A and AAAA
     * and NSEC in additional).  The A record comes first, so every
     * later pointer into a name after it moves by 12; the tenant
     * device's own AAAA is removed. */
    dm_hdr(&M, RESP, 0, 4, 0, 3);
    n1 = dm_name(&M, "prn.local", -1);          /* A first. */
    dm_rr(&M, 1, 0x8001, 120, 4);
    dm_bytes(&M, PRN4, 4);
    n2 = dm_name(&M, "_ipp._tcp", (int) n1 + 4);    /* PTR. */
    {
        size_t at = dm_rr(&M, 12, 1, 4500, 0);

        n3 = dm_name(&M, "Printer", (int) n2);
        dm_rdlen(&M, at);
    }
    dm_name(&M, "", (int) n3);                  /* SRV. */
    {
        size_t at = dm_rr(&M, 33, 0x8001, 120, 0);

        dm_u16(&M, 0);
        dm_u16(&M, 0);
        dm_u16(&M, 631);
        dm_name(&M, "", (int) n1);
        dm_rdlen(&M, at);
    }
    dm_name(&M, "", (int) n3);                  /* TXT. */
    dm_rr(&M, 16, 0x8001, 4500, 6);
    dm_bytes(&M, "\x05rp=x", 6);
    dm_aaaa(&M, "", (int) n1, GUA6);            /* Additional. */
    dm_a(&M, "", (int) n1, PRN4B);
    {
        static const uint8_t bm[1] = { 0x40 };      /* A. */

        dm_nsec(&M, (int) n1, (int) n1, bm, 1);
    }
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);

    dm_hdr(&E, RESP, 0, 4, 0, 2);
    n1 = dm_name(&E, "prn.local", -1);
    dm_rr(&E, 28, 0x8001, 120, 16);
    dm_bytes(&E, PRN6, 16);
    n2 = dm_name(&E, "_ipp._tcp", (int) n1 + 4);
    {
        size_t at = dm_rr(&E, 12, 1, 4500, 0);

        n3 = dm_name(&E, "Printer", (int) n2);
        dm_rdlen(&E, at);
    }
    dm_name(&E, "", (int) n3);
    {
        size_t at = dm_rr(&E, 33, 0x8001, 120, 0);

        dm_u16(&E, 0);
        dm_u16(&E, 0);
        dm_u16(&E, 631);
        dm_name(&E, "", (int) n1);
        dm_rdlen(&E, at);
    }
    dm_name(&E, "", (int) n3);
    dm_rr(&E, 16, 0x8001, 4500, 6);
    dm_bytes(&E, "\x05rp=x", 6);
    dm_aaaa(&E, "", (int) n1, PRN6B);
    {
        static const uint8_t bm[4] = { 0, 0, 0, 0x08 };   /* AAAA. */

        dm_nsec(&E, (int) n1, (int) n1, bm, 4);
    }
    frame6(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/4to6/dns-sd-pointers-after-grown-record", &c,
             NAT64_4TO6, &IN, &EXP, 256, 0);

    /* Authority section (a probe's proposed records in a query) and
     * several A records: each grows, pointers after them move by 12,
     * 24, ... */
    dm_hdr(&M, 0, 1, 0, 2, 0);
    n1 = dm_name(&M, "prn.local", -1);
    dm_u16(&M, 255);
    dm_u16(&M, 1);
    dm_a(&M, "", (int) n1, PRN4);
    dm_a(&M, "", (int) n1, PRN4B);
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);
    dm_hdr(&E, 0, 1, 0, 2, 0);
    n1 = dm_name(&E, "prn.local", -1);
    dm_u16(&E, 255);            /* ANY stays ANY. */
    dm_u16(&E, 1);
    dm_aaaa(&E, "", (int) n1, PRN6);
    dm_aaaa(&E, "", (int) n1, PRN6B);
    frame6(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/4to6/probe-authority-any", &c, NAT64_4TO6, &IN, &EXP,
             256, 0);

    /* Unicast response (legacy port), several A records with later
     * names pointing past them. */
    dm_hdr(&M, RESP, 0, 3, 0, 0);
    n1 = dm_name(&M, "a.local", -1);
    dm_rr(&M, 1, 1, 10, 4);
    dm_bytes(&M, PRN4, 4);
    n2 = dm_name(&M, "b", (int) n1 + 2);
    dm_rr(&M, 1, 1, 10, 4);
    dm_bytes(&M, PRN4B, 4);
    dm_name(&M, "c", (int) n2);
    dm_rr(&M, 1, 1, 10, 4);
    dm_bytes(&M, IP4_A, 4);
    {
        struct alg_end e = { 5353, 40000, 0, NULL, NULL };
        uint8_t a6[16];

        frame4(&IN, &e, M.b, M.len, 0);
        dm_hdr(&E, RESP, 0, 3, 0, 0);
        n1 = dm_name(&E, "a.local", -1);
        dm_rr(&E, 28, 1, 10, 16);
        dm_bytes(&E, PRN6, 16);
        n2 = dm_name(&E, "b", (int) n1 + 2);
        dm_rr(&E, 28, 1, 10, 16);
        dm_bytes(&E, PRN6B, 16);
        dm_name(&E, "c", (int) n2);
        dm_rr(&E, 28, 1, 10, 16);
        map4(IP4_A, a6);
        dm_bytes(&E, a6, 16);
        frame6(&EXP, &e, E.b, E.len);
        alg_case("mdns/4to6/unicast-several-a", &c, NAT64_4TO6, &IN, &EXP,
                 256, 0);
    }
}

/* ---- Queries and NSEC. ---- */

static void
mdns_queries(void)
{
    struct nat64_config c = alg_cfg(BOTH, 1500);
    size_t n1;

    /* 4to6: A -> AAAA (QU bit kept), AAAA and ANY unchanged, a known
     * answer A -> AAAA. */
    dm_hdr(&M, 0, 3, 1, 0, 0);
    n1 = dm_name(&M, "prn.local", -1);
    dm_u16(&M, 1);
    dm_u16(&M, 0x8001);
    dm_q(&M, "", (int) n1, 28, 1);
    dm_q(&M, "", (int) n1, 255, 1);
    dm_a(&M, "", (int) n1, PRN4);
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);
    dm_hdr(&E, 0, 3, 1, 0, 0);
    n1 = dm_name(&E, "prn.local", -1);
    dm_u16(&E, 28);
    dm_u16(&E, 0x8001);
    dm_q(&E, "", (int) n1, 28, 1);
    dm_q(&E, "", (int) n1, 255, 1);
    dm_aaaa(&E, "", (int) n1, PRN6);
    frame6(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/4to6/query-a-to-aaaa-known-answer", &c, NAT64_4TO6, &IN,
             &EXP, 256, 0);

    /* 6to4: AAAA -> A, A and PTR unchanged. */
    dm_hdr(&M, 0, 3, 0, 0, 0);
    n1 = dm_name(&M, "svc.local", -1);
    dm_u16(&M, 28);
    dm_u16(&M, 1);
    dm_q(&M, "", (int) n1, 1, 1);
    dm_q(&M, "_http._tcp", (int) n1 + 4, 12, 1);
    svc6(&IN, &MDNS_MC, M.b, M.len);
    dm_hdr(&E, 0, 3, 0, 0, 0);
    n1 = dm_name(&E, "svc.local", -1);
    dm_u16(&E, 1);
    dm_u16(&E, 1);
    dm_q(&E, "", (int) n1, 1, 1);
    dm_q(&E, "_http._tcp", (int) n1 + 4, 12, 1);
    svc4(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/6to4/query-aaaa-to-a", &c, NAT64_6TO4, &IN, &EXP, 0, 0);

    /* A pure PTR browse query: nothing to do, passes unchanged. */
    dm_hdr(&M, 0, 1, 0, 0, 0);
    dm_q(&M, "_http._tcp.local", -1, 12, 1);
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);
    frame6(&EXP, &MDNS_MC, M.b, M.len);
    alg_case("mdns/4to6/ptr-query-unchanged", &c, NAT64_4TO6, &IN, &EXP,
             256, 0);

    /* NSEC 6to4: {A, AAAA} -> {A}; {AAAA, TXT, SRV} -> {A, TXT, SRV};
     * {TXT} unchanged. */
    {
        static const uint8_t b1[4] = { 0x40, 0, 0, 0x08 };
        static const uint8_t e1[1] = { 0x40 };
        static const uint8_t b2[5] = { 0, 0, 0x80, 0x08, 0x40 };
        static const uint8_t e2[5] = { 0x40, 0, 0x80, 0, 0x40 };

        dm_hdr(&M, RESP, 0, 1, 0, 2);
        n1 = dm_name(&M, "svc.local", -1);
        dm_rr(&M, 28, 0x8001, 120, 16);
        dm_bytes(&M, IP6_B, 16);
        dm_nsec(&M, (int) n1, (int) n1, b1, 4);
        dm_nsec(&M, (int) n1, (int) n1, b2, 5);
        svc6(&IN, &MDNS_MC, M.b, M.len);
        dm_hdr(&E, RESP, 0, 1, 0, 2);
        n1 = dm_name(&E, "svc.local", -1);
        dm_rr(&E, 1, 0x8001, 120, 4);
        dm_bytes(&E, IP4_B, 4);
        dm_nsec(&E, (int) n1, (int) n1, e1, 1);
        dm_nsec(&E, (int) n1, (int) n1, e2, 5);
        svc4(&EXP, &MDNS_MC, E.b, E.len);
        alg_case("mdns/6to4/nsec-bitmaps", &c, NAT64_6TO4, &IN, &EXP, 0, 0);
    }
    /* NSEC 4to6 with only AAAA asserted: window 0 becomes empty and is
     * left out (RFC 4034 4.1.2), rdlength shrinks; a later pointer into
     * a name after it moves back. */
    {
        static const uint8_t b1[4] = { 0, 0, 0, 0x08 };
        size_t nn;

        dm_hdr(&M, RESP, 0, 0, 0, 2);
        n1 = dm_name(&M, "prn.local", -1);
        dm_rr(&M, 47, 0x8001, 120, 0);
        {
            size_t at = M.len - 2;

            dm_name(&M, "", (int) n1);
            dm_u8(&M, 0);
            dm_u8(&M, 4);
            dm_bytes(&M, b1, 4);
            dm_rdlen(&M, at);
        }
        nn = dm_name(&M, "x", (int) n1 + 4);
        dm_rr(&M, 12, 1, 10, 2);
        dm_u16(&M, (uint16_t) (0xc000 | nn));
        frame4(&IN, &MDNS_MC, M.b, M.len, 0);
        dm_hdr(&E, RESP, 0, 0, 0, 2);
        n1 = dm_name(&E, "prn.local", -1);
        dm_rr(&E, 47, 0x8001, 120, 2);
        dm_name(&E, "", (int) n1);
        nn = dm_name(&E, "x", (int) n1 + 4);
        dm_rr(&E, 12, 1, 10, 2);
        dm_u16(&E, (uint16_t) (0xc000 | nn));
        frame6(&EXP, &MDNS_MC, E.b, E.len);
        alg_case("mdns/4to6/nsec-window-removed", &c, NAT64_4TO6, &IN, &EXP,
                 256, 0);
    }
}

/* An NSEC bitmap with 16-bit window and length words (as python3-zeroconf
 * 0.47 writes it) does not parse: that record is kept as it is, the rest
 * of the message is translated and pointers past the shrunk AAAA move. */
static void
mdns_zeroconf_nsec(void)
{
    struct nat64_config c = alg_cfg(BOTH, 1500);
    static const uint8_t odd[5] = { 0, 0, 0, 1, 0x40 };
    size_t n1, nt, at;
    int pass;

    for (pass = 0; pass < 2; pass++) {
        struct dm *m = pass ? &E : &M;

        dm_hdr(m, RESP, 0, 1, 0, 3);
        n1 = dm_name(m, "svc.local", -1);
        if (pass) {
            dm_rr(m, 1, 1, 120, 4);
            dm_bytes(m, IP4_B, 4);
        } else {
            dm_rr(m, 28, 1, 120, 16);
            dm_bytes(m, IP6_B, 16);
        }
        dm_name(m, "", (int) n1);
        at = dm_rr(m, 47, 1, 4500, 0);
        dm_name(m, "", (int) n1);
        dm_bytes(m, odd, sizeof odd);
        dm_rdlen(m, at);
        nt = dm_name(m, "t", (int) n1);
        dm_rr(m, 16, 1, 10, 1);
        dm_u8(m, 0);
        dm_name(m, "", (int) n1);
        dm_rr(m, 12, 1, 10, 2);
        dm_u16(m, (uint16_t) (0xc000 | nt));
    }
    svc6(&IN, &MDNS_MC, M.b, M.len);
    svc4(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/6to4/unparsable-nsec-kept-rest-translated", &c,
             NAT64_6TO4, &IN, &EXP, 0, 0);
}

/* ---- Size limits. ---- */

static void
mdns_limits(void)
{
    struct nat64_config c;
    size_t n1, i;

    /* Answer A + 3 additional A: at an MTU of the original size (which
     * fits the answer and one additional record after the rewrite), the
     * other two are left out (no TC: RFC 2181 9), the count says 1. */
    dm_hdr(&M, RESP, 0, 1, 0, 3);
    n1 = dm_name(&M, "prn.local", -1);
    dm_rr(&M, 1, 0x8001, 120, 4);
    dm_bytes(&M, PRN4, 4);
    for (i = 0; i < 3; i++) {
        dm_a(&M, "", (int) n1, PRN4B);
    }
    frame4(&IN, &MDNS_MC, M.b, M.len, 0);
    dm_hdr(&E, RESP, 0, 1, 0, 1);
    n1 = dm_name(&E, "prn.local", -1);
    dm_rr(&E, 28, 0x8001, 120, 16);
    dm_bytes(&E, PRN6, 16);
    dm_aaaa(&E, "", (int) n1, PRN6B);
    frame6(&EXP, &MDNS_MC, E.b, E.len);
    c = alg_cfg(BOTH, (uint16_t) (40 + 8 + M.len));
    alg_case("mdns/4to6/mtu-cuts-additional", &c, NAT64_4TO6, &IN, &EXP, 256,
             0);

    /* The same message with the room after the frame as the limit: 5
     * bytes of tailroom leave room for the growth of the answer and one
     * additional record (24), not of two (36). */
    c = alg_cfg(BOTH, 1500);
    alg_case("mdns/4to6/tailroom-cuts-additional", &c, NAT64_4TO6, &IN, &EXP,
             5, 0);

    /* When even the answers do not fit: dropped, counted. */
    {
        struct dm a;

        dm_hdr(&a, RESP, 0, 2, 0, 0);
        n1 = dm_name(&a, "prn.local", -1);
        dm_rr(&a, 1, 0x8001, 120, 4);
        dm_bytes(&a, PRN4, 4);
        dm_a(&a, "", (int) n1, PRN4B);
        frame4(&IN, &MDNS_MC, a.b, a.len, 0);
        c = alg_cfg(BOTH, (uint16_t) (40 + 8 + a.len + 12));
        alg_case("mdns/4to6/answers-too-big-dropped", &c, NAT64_4TO6, &IN,
                 NULL, 256, NAT64_DROP_ALG_TOO_BIG);
        c = alg_cfg(BOTH, 1500);
        alg_case("mdns/4to6/no-tailroom-dropped", &c, NAT64_4TO6, &IN, NULL,
                 0, NAT64_DROP_ALG_TOO_BIG);
        if (strcmp(nat64_drop_reason_name(NAT64_DROP_ALG_TOO_BIG),
                   "alg-too-big")) {
            t_fail("alg/drop-reason-name", "got %s",
                   nat64_drop_reason_name(NAT64_DROP_ALG_TOO_BIG));
        } else {
            t_pass("alg/drop-reason-name");
        }
    }

    /* A message too big before rewriting is left to the MTU rules:
     * DF clear -> fragmented as it is. */
    {
        struct dm a;

        dm_hdr(&a, RESP, 0, 1, 0, 0);
        dm_a(&a, "prn.local", -1, PRN4);
        frame4(&IN, &MDNS_MC, a.b, a.len, 0);
        c = alg_cfg(BOTH, (uint16_t) (40 + 8 + a.len - 1));
        xlate(&c, NAT64_4TO6, IN.b, IN.len, NAT64_HEADROOM, 256, 1, &AX);
        t_result("alg/mdns/4to6/too-big-before-rewrite-fragments",
                 AX.r.verdict == NAT64_FRAGMENT, "verdict %d",
                 AX.r.verdict);
    }
}

/* ---- Malformed messages: forwarded unchanged, never read past. ---- */

static void
mdns_malformed_one(const char *name, const struct dm *m)
{
    struct nat64_config c = alg_cfg(BOTH, 1500);
    char full[100];

    frame4(&IN, &MDNS_MC, m->b, m->len, 0);
    frame6(&EXP, &MDNS_MC, m->b, m->len);
    snprintf(full, sizeof full, "mdns/4to6/malformed/%s", name);
    alg_case(full, &c, NAT64_4TO6, &IN, &EXP, 0, 0);
}

static void
mdns_malformed(void)
{
    struct dm m;
    size_t n1, i;

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    m.len = 11;
    mdns_malformed_one("short-header", &m);

    dm_hdr(&m, RESP, 0, 2, 0, 0);           /* Count says 2, has 1. */
    dm_a(&m, "prn.local", -1, PRN4);
    mdns_malformed_one("count-past-end", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    dm_a(&m, "prn.local", -1, PRN4);
    m.len -= 1;                             /* rdata cut. */
    mdns_malformed_one("rdata-past-end", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    dm_name(&m, "prn.local", -1);
    dm_rr(&m, 1, 1, 120, 40);               /* rdlength past end. */
    dm_bytes(&m, PRN4, 4);
    mdns_malformed_one("rdlength-past-end", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    dm_name(&m, "prn", 12);                 /* Pointer to itself. */
    dm_rr(&m, 1, 1, 120, 4);
    dm_bytes(&m, PRN4, 4);
    mdns_malformed_one("pointer-loop", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    dm_name(&m, "prn", 40);                 /* Pointer forward. */
    dm_rr(&m, 1, 1, 120, 4);
    dm_bytes(&m, PRN4, 4);
    mdns_malformed_one("pointer-forward", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    dm_u8(&m, 0x41);                        /* Extended label type. */
    dm_bytes(&m, "x\0", 2);
    dm_rr(&m, 1, 1, 120, 4);
    dm_bytes(&m, PRN4, 4);
    mdns_malformed_one("extended-label", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);
    for (i = 0; i < 5; i++) {               /* Name longer than 255. */
        dm_u8(&m, 63);
        memset(m.b + m.len, 'a', 63);
        m.len += 63;
    }
    dm_u8(&m, 0);
    dm_rr(&m, 1, 1, 120, 4);
    dm_bytes(&m, PRN4, 4);
    mdns_malformed_one("name-too-long", &m);

    dm_hdr(&m, RESP, 0, 2, 0, 0);           /* Pointer into rdata. */
    dm_a(&m, "prn.local", -1, PRN4);
    dm_name(&m, "", (int) m.len - 4);
    dm_rr(&m, 16, 1, 120, 1);
    dm_u8(&m, 0);
    mdns_malformed_one("pointer-into-rewritten-rdata", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);           /* Bad NSEC window. */
    n1 = dm_name(&m, "prn.local", -1);
    {
        size_t at = dm_rr(&m, 47, 1, 120, 0);

        dm_name(&m, "", (int) n1);
        dm_u8(&m, 0);
        dm_u8(&m, 33);
        dm_u8(&m, 0x40);
        dm_rdlen(&m, at);
    }
    mdns_malformed_one("nsec-window-length", &m);

    dm_hdr(&m, RESP, 0, 1, 0, 0);           /* SRV target past rdata. */
    dm_name(&m, "s.local", -1);
    dm_rr(&m, 33, 1, 120, 7);
    dm_u16(&m, 0);
    dm_u16(&m, 0);
    dm_u16(&m, 1);
    dm_bytes(&m, "\x03" "abc\0", 5);
    mdns_malformed_one("srv-name-past-rdata", &m);

    /* Every truncation of a valid DNS-SD message: never read past the
     * end (ASan build), always forwarded unchanged or rewritten to a
     * valid frame. */
    {
        struct nat64_config c = alg_cfg(BOTH, 1500);
        int ok = 1;

        dm_hdr(&m, RESP, 1, 2, 0, 1);
        n1 = dm_name(&m, "prn.local", -1);
        dm_u16(&m, 1);
        dm_u16(&m, 1);
        dm_a(&m, "", (int) n1, PRN4);
        dm_aaaa(&m, "", (int) n1, GUA6);
        dm_nsec(&m, (int) n1, (int) n1, (const uint8_t *) "\x40", 1);
        for (i = 0; i < m.len; i++) {
            char why[200];

            frame4(&IN, &MDNS_MC, m.b, i, 0);
            xlate(&c, NAT64_4TO6, IN.b, IN.len, NAT64_HEADROOM, 0, 1, &AX);
            if (AX.r.verdict != NAT64_OK
                || frame_check(AX.out, AX.out_len, why, sizeof why)) {
                printf("  # truncated at %zu: verdict %d\n", i,
                       AX.r.verdict);
                ok = 0;
            }
        }
        t_result("alg/mdns/4to6/every-truncation", ok, "see above");
    }
}

/* A pointer into a record that would be removed: removal is given up,
 * the record stays (the rest is still translated). */
static void
mdns_pointer_into_removed(void)
{
    struct nat64_config c = alg_cfg(BOTH, 1500);
    size_t n1, n2;

    dm_hdr(&M, RESP, 0, 3, 0, 0);
    n1 = dm_name(&M, "svc.local", -1);
    dm_rr(&M, 28, 0x8001, 120, 16);
    dm_bytes(&M, GUA6, 16);                 /* Unmappable, first. */
    dm_aaaa(&M, "", (int) n1, IP6_B);
    n2 = dm_name(&M, "", (int) n1);         /* TXT of svc.local. */
    (void) n2;
    dm_rr(&M, 16, 1, 120, 1);
    dm_u8(&M, 0);
    svc6(&IN, &MDNS_MC, M.b, M.len);
    dm_hdr(&E, RESP, 0, 3, 0, 0);
    n1 = dm_name(&E, "svc.local", -1);
    dm_rr(&E, 28, 0x8001, 120, 16);
    dm_bytes(&E, GUA6, 16);
    dm_name(&E, "", (int) n1);
    dm_rr(&E, 1, 0x8001, 120, 4);
    dm_bytes(&E, IP4_B, 4);
    dm_name(&E, "", (int) n1);
    dm_rr(&E, 16, 1, 120, 1);
    dm_u8(&E, 0);
    svc4(&EXP, &MDNS_MC, E.b, E.len);
    alg_case("mdns/6to4/pointer-into-removed-keeps-it", &c, NAT64_6TO4,
             &IN, &EXP, 0, 0);
}

/* ---- SSDP. ---- */

static const struct alg_end SSDP_MC = { 1900, 1900, 1,
    (const uint8_t[4]) { 239, 255, 255, 250 },
    (const uint8_t[16]) { 0xff, 0x02, [15] = 0x0c } };
static const struct alg_end SSDP_RESP = { 1900, 50000, 0, NULL, NULL };

static void
ssdp_one(const char *name, const struct nat64_config *c,
         enum nat64_direction dir, const struct alg_end *e, const char *in,
         const char *exp, size_t tailroom)
{
    char full[100];

    snprintf(full, sizeof full, "ssdp/%s/%s",
             dir == NAT64_4TO6 ? "4to6" : "6to4", name);
    if (dir == NAT64_4TO6) {
        frame4(&IN, e, in, strlen(in), 0);
        if (exp) {
            frame6(&EXP, e, exp, strlen(exp));
        }
    } else {
        svc6(&IN, e, in, strlen(in));
        if (exp) {
            svc4(&EXP, e, exp, strlen(exp));
        }
    }
    alg_case(full, c, dir, &IN, exp ? &EXP : NULL, tailroom,
             NAT64_DROP_ALG_TOO_BIG);
}

static void
ssdp_cases(void)
{
    struct nat64_config c = alg_cfg(BOTH, 1500);
    struct nat64_config off = alg_cfg(NAT64_ALG_MDNS, 1500);
    static const char notify6[] =
        "NOTIFY * HTTP/1.1\r\n"
        "HOST: [FF02::C]:1900\r\n"
        "CACHE-CONTROL: max-age=1800\r\n"
        "LOCATION: http://[fe80::c0a8:64]:80/desc.xml\r\n"
        "NT: upnp:rootdevice\r\n"
        "NTS: ssdp:alive\r\n"
        "USN: uuid:1::upnp:rootdevice\r\n\r\n";
    static const char notify4[] =
        "NOTIFY * HTTP/1.1\r\n"
        "HOST: [FF02::C]:1900\r\n"
        "CACHE-CONTROL: max-age=1800\r\n"
        "LOCATION: http://192.168.0.100:80/desc.xml\r\n"
        "NT: upnp:rootdevice\r\n"
        "NTS: ssdp:alive\r\n"
        "USN: uuid:1::upnp:rootdevice\r\n\r\n";
    static const char resp4[] =
        "HTTP/1.1 200 OK\r\n"
        "CACHE-CONTROL: max-age=100\r\n"
        "EXT:\r\n"
        "location: http://192.168.0.50:49152/d.xml\r\n"
        "AL: <http://192.168.0.50/a><https://10.1.2.3:8443/b>\r\n"
        "ST: upnp:rootdevice\r\n\r\nbody 1.2.3.4";
    static const char resp6[] =
        "HTTP/1.1 200 OK\r\n"
        "CACHE-CONTROL: max-age=100\r\n"
        "EXT:\r\n"
        "location: http://[fe80::c0a8:32]:49152/d.xml\r\n"
        "AL: <http://[fe80::c0a8:32]/a><https://[fe80::a01:203]:8443/b>\r\n"
        "ST: upnp:rootdevice\r\n\r\nbody 1.2.3.4";

    ssdp_one("notify-location", &c, NAT64_6TO4, &SSDP_MC, notify6, notify4,
             0);
    ssdp_one("alg-off-unchanged", &off, NAT64_6TO4, &SSDP_MC, notify6,
             notify6, 0);
    ssdp_one("response-location-al", &c, NAT64_4TO6, &SSDP_RESP, resp4,
             resp6, 256);
    ssdp_one("response-al-back", &c, NAT64_6TO4, &SSDP_RESP, resp6, resp4,
             0);
    ssdp_one("zone-id-dropped", &c, NAT64_6TO4, &SSDP_MC,
             "NOTIFY * HTTP/1.1\nLocation:http://[FE80::C0A8:64%25em1]/x\n\n",
             "NOTIFY * HTTP/1.1\nLocation:http://192.168.0.100/x\n\n", 0);
    ssdp_one("mixed-notation-and-unmappable", &c, NAT64_6TO4, &SSDP_MC,
             "NOTIFY * HTTP/1.1\r\nLOCATION: http://[fe80::192.168.0.7]/"
             "\r\nAL: <http://[2001:db8::1]/><http://host.example/>\r\n\r\n",
             "NOTIFY * HTTP/1.1\r\nLOCATION: http://192.168.0.7/"
             "\r\nAL: <http://[2001:db8::1]/><http://host.example/>\r\n\r\n",
             0);
    ssdp_one("msearch-no-url-unchanged", &c, NAT64_4TO6, &SSDP_MC,
             "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
             "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n",
             "M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\n"
             "MAN: \"ssdp:discover\"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n", 256);
    ssdp_one("not-a-literal-unchanged", &c, NAT64_4TO6, &SSDP_MC,
             "NOTIFY * HTTP/1.1\r\nLOCATION: http://192.168.0.500/\r\n"
             "AL: <http://1.2.3.4.example/><http://01.2.3.4/>\r\n\r\n",
             "NOTIFY * HTTP/1.1\r\nLOCATION: http://192.168.0.500/\r\n"
             "AL: <http://1.2.3.4.example/><http://01.2.3.4/>\r\n\r\n", 256);
    ssdp_one("not-ssdp-unchanged", &c, NAT64_4TO6, &SSDP_MC,
             "GET / HTTP/1.1\r\nLOCATION: http://1.2.3.4/\r\n\r\n",
             "GET / HTTP/1.1\r\nLOCATION: http://1.2.3.4/\r\n\r\n", 256);
    ssdp_one("url-outside-location-unchanged", &c, NAT64_4TO6, &SSDP_MC,
             "NOTIFY * HTTP/1.1\r\nX-URL: http://1.2.3.4/\r\n\r\n"
             "LOCATION: http://1.2.3.4/\r\n",
             "NOTIFY * HTTP/1.1\r\nX-URL: http://1.2.3.4/\r\n\r\n"
             "LOCATION: http://1.2.3.4/\r\n", 256);
    ssdp_one("no-tailroom-dropped", &c, NAT64_4TO6, &SSDP_RESP, resp4, NULL,
             0);
    {
        struct nat64_config small = alg_cfg(BOTH,
                                            (uint16_t) (48 + strlen(resp4)
                                                        + 10));

        ssdp_one("mtu-dropped", &small, NAT64_4TO6, &SSDP_RESP, resp4, NULL,
                 256);
    }
}

/* Other RFC 6052 prefixes (the ALGs map with cfg's prefix), and an
 * 802.1Q-tagged frame. */
static void
alg_prefixes_vlan(void)
{
    static const uint8_t wkp[16] = { 0, 0x64, 0xff, 0x9b };
    static const uint8_t p64[16] = { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4 };
    /* Global addresses: the well-known prefix must not carry the
     * non-global 192.168/16 (RFC 6052 3.1, dropped NON_GLOBAL). */
    static const uint8_t g_prn4[4] = { 193, 0, 2, 50 };
    static const uint8_t g_dst4[4] = { 193, 0, 2, 100 };
    struct nat64_config c = alg_cfg(BOTH, 1500);
    uint8_t a6[16] = { 0, 0x64, 0xff, 0x9b, [12] = 193, 0, 2, 50 };
    uint8_t s6[16] = { 0, 0x64, 0xff, 0x9b, [12] = 193, 0, 2, 100 };
    uint8_t mac[6];

    nat64_config_set_prefix(&c, wkp, 96);
    dm_hdr(&M, RESP, 0, 1, 0, 0);
    dm_a(&M, "prn.local", -1, g_prn4);
    dm_hdr(&E, RESP, 0, 1, 0, 0);
    dm_aaaa(&E, "prn.local", -1, a6);
    fb_init(&IN);
    fb_eth(&IN, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&IN, g_prn4, g_dst4, 0, 64, 7, 0);
    fb_udp(&IN, 5353, 5353);
    fb_data(&IN, M.b, M.len);
    fb_finish(&IN);
    fb_init(&EXP);
    fb_eth(&EXP, MAC_B, MAC_A, 0x86dd);
    fb_ip6s(&EXP, a6, s6, 0, 64);
    fb_udp(&EXP, 5353, 5353);
    fb_data(&EXP, E.b, E.len);
    fb_finish(&EXP);
    alg_case("mdns/4to6/prefix-64-ff9b-96", &c, NAT64_4TO6, &IN, &EXP, 256,
             0);

    /* /64: the u-octet sits between the IPv4 bytes (RFC 6052 2.2):
     * 2001:db8:102:304:c0:a800:6400:0 is 192.168.0.100. */
    c = alg_cfg(BOTH, 1500);
    nat64_config_set_prefix(&c, p64, 64);
    {
        static const uint8_t src6[16] = { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3,
                                          4, 0, 192, 168, 0, 100 };
        uint8_t dst6[16];
        static const char in6[] = "NOTIFY * HTTP/1.1\r\nLOCATION: "
            "http://[2001:db8:102:304:c0:a800:6400:0]:80/d.xml\r\n\r\n";
        static const char out4[] = "NOTIFY * HTTP/1.1\r\nLOCATION: "
            "http://192.168.0.100:80/d.xml\r\n\r\n";
        static const uint8_t g4[4] = { 239, 255, 255, 250 };
        static const uint8_t g6[16] = { 0xff, 0x02, [15] = 0x0c };

        memcpy(dst6, g6, 16);
        fb_init(&IN);
        mac_mcast6(g6, mac);
        fb_eth(&IN, mac, MAC_B, 0x86dd);
        fb_ip6s(&IN, src6, dst6, 0, 255);
        fb_udp(&IN, 1900, 1900);
        fb_data(&IN, in6, strlen(in6));
        fb_finish(&IN);
        fb_init(&EXP);
        mac_mcast4(g4, mac);
        fb_eth(&EXP, mac, MAC_B, 0x0800);
        fb_ip4s(&EXP, IP4_B, g4, 0, 255, 0, 0);
        fb_udp(&EXP, 1900, 1900);
        fb_data(&EXP, out4, strlen(out4));
        fb_finish(&EXP);
        alg_case("ssdp/6to4/prefix-2001-db8-64", &c, NAT64_6TO4, &IN, &EXP,
                 0, 0);
    }

    /* Tagged: the tag is kept, the payload rewritten the same. */
    c = alg_cfg(BOTH, 1500);
    dm_hdr(&M, RESP, 0, 1, 0, 0);
    dm_a(&M, "prn.local", -1, PRN4);
    dm_hdr(&E, RESP, 0, 1, 0, 0);
    dm_aaaa(&E, "prn.local", -1, PRN6);
    fb_init(&IN);
    fb_eth_vlan(&IN, MAC_B, MAC_A, 0x0064, 0x0800);
    fb_ip4s(&IN, PRN4, IP4_B, 0, 64, 7, 0);
    fb_udp(&IN, 5353, 5353);
    fb_data(&IN, M.b, M.len);
    fb_finish(&IN);
    fb_init(&EXP);
    fb_eth_vlan(&EXP, MAC_B, MAC_A, 0x0064, 0x86dd);
    fb_ip6s(&EXP, PRN6, IP6_B, 0, 64);
    fb_udp(&EXP, 5353, 5353);
    fb_data(&EXP, E.b, E.len);
    fb_finish(&EXP);
    alg_case("mdns/4to6/vlan-tagged", &c, NAT64_4TO6, &IN, &EXP, 256, 0);
}

/* ---- Addresses the core does not translate (issue 18). ---- */

/* A unicast UDP frame between global addresses under the well-known
 * prefix: IPv4 'src4' -> 'dst4' (4to6 input) or the mapped IPv6 pair
 * (6to4 input), or the other family's frame (expected output). */
static void
wkp_frame(struct fb *f, int v4, const uint8_t src4[4],
          const uint8_t dst4[4], uint16_t port, const void *msg, size_t n)
{
    uint8_t s6[16] = { 0, 0x64, 0xff, 0x9b }, d6[16] = { 0, 0x64, 0xff,
                                                         0x9b };

    memcpy(s6 + 12, src4, 4);
    memcpy(d6 + 12, dst4, 4);
    fb_init(f);
    fb_eth(f, MAC_B, MAC_A, v4 ? 0x0800 : 0x86dd);
    if (v4) {
        fb_ip4s(f, src4, dst4, 0, 64, 7, df_rule(20 + 8 + n));
    } else {
        fb_ip6s(f, s6, d6, 0, 64);
    }
    fb_udp(f, port, port);
    fb_data(f, msg, n);
    fb_finish(f);
}

/* With the well-known prefix the core drops packets to non-global IPv4
 * addresses (RFC 6052 3.1), so records and URLs must not offer them:
 * they are treated like addresses the prefix cannot map (records
 * removed, URL literals left as they are).  Also 127/8 in any mode. */
static void
alg_untranslatable_addrs(void)
{
    static const uint8_t wkp[16] = { 0, 0x64, 0xff, 0x9b };
    static const uint8_t g_dev4[4] = { 193, 0, 2, 50 };
    static const uint8_t g_svc4[4] = { 193, 0, 2, 100 };
    static const uint8_t lan4[4] = { 192, 168, 0, 50 };
    static const uint8_t cgn4[4] = { 100, 64, 1, 2 };
    static const uint8_t lo4[4] = { 127, 0, 0, 1 };
    uint8_t g_dev6[16] = { 0, 0x64, 0xff, 0x9b, [12] = 193, 0, 2, 50 };
    uint8_t g_svc6[16] = { 0, 0x64, 0xff, 0x9b, [12] = 193, 0, 2, 100 };
    uint8_t lan6[16] = { 0, 0x64, 0xff, 0x9b, [12] = 192, 168, 0, 100 };
    struct nat64_config c = alg_cfg(BOTH, 1500);

    nat64_config_set_prefix(&c, wkp, 96);

    /* 4to6: the global A record becomes AAAA, the private and the
     * shared-address-space (100.64/10) ones go. */
    dm_hdr(&M, RESP, 0, 3, 0, 0);
    dm_a(&M, "lan.local", -1, lan4);
    dm_a(&M, "prn.local", -1, g_dev4);
    dm_a(&M, "cgn.local", -1, cgn4);
    dm_hdr(&E, RESP, 0, 1, 0, 0);
    dm_aaaa(&E, "prn.local", -1, g_dev6);
    wkp_frame(&IN, 1, g_dev4, g_svc4, 5353, M.b, M.len);
    wkp_frame(&EXP, 0, g_dev4, g_svc4, 5353, E.b, E.len);
    alg_case("mdns/4to6/wkp-non-global-a-removed", &c, NAT64_4TO6, &IN,
             &EXP, 256, 0);

    /* 6to4: AAAA 64:ff9b::192.168.0.100 would map, but to an address the
     * core drops: removed like an unmappable one. */
    dm_hdr(&M, RESP, 0, 2, 0, 0);
    dm_aaaa(&M, "svc.local", -1, lan6);
    dm_aaaa(&M, "www.local", -1, g_svc6);
    dm_hdr(&E, RESP, 0, 1, 0, 0);
    dm_a(&E, "www.local", -1, g_svc4);
    wkp_frame(&IN, 0, g_svc4, g_dev4, 5353, M.b, M.len);
    wkp_frame(&EXP, 1, g_svc4, g_dev4, 5353, E.b, E.len);
    alg_case("mdns/6to4/wkp-non-global-aaaa-removed", &c, NAT64_6TO4, &IN,
             &EXP, 256, 0);

    /* SSDP: the private literal stays, the global one is rewritten. */
    {
        static const char in4[] = "HTTP/1.1 200 OK\r\n"
            "LOCATION: http://192.168.0.50:80/d.xml\r\n"
            "AL: <http://193.0.2.50:8080/a>\r\n\r\n";
        static const char out6[] = "HTTP/1.1 200 OK\r\n"
            "LOCATION: http://192.168.0.50:80/d.xml\r\n"
            "AL: <http://[64:ff9b::c100:232]:8080/a>\r\n\r\n";
        static const char in6[] = "HTTP/1.1 200 OK\r\n"
            "LOCATION: http://[64:ff9b::c0a8:64]/d.xml\r\n"
            "AL: <http://[64:ff9b::193.0.2.100]/a>\r\n\r\n";
        static const char out4[] = "HTTP/1.1 200 OK\r\n"
            "LOCATION: http://[64:ff9b::c0a8:64]/d.xml\r\n"
            "AL: <http://193.0.2.100/a>\r\n\r\n";

        wkp_frame(&IN, 1, g_dev4, g_svc4, 1900, in4, strlen(in4));
        wkp_frame(&EXP, 0, g_dev4, g_svc4, 1900, out6, strlen(out6));
        alg_case("ssdp/4to6/wkp-non-global-literal-kept", &c, NAT64_4TO6,
                 &IN, &EXP, 256, 0);
        wkp_frame(&IN, 0, g_svc4, g_dev4, 1900, in6, strlen(in6));
        wkp_frame(&EXP, 1, g_svc4, g_dev4, 1900, out4, strlen(out4));
        alg_case("ssdp/6to4/wkp-non-global-literal-kept", &c, NAT64_6TO4,
                 &IN, &EXP, 256, 0);
    }

    /* fe80::/96 keeps private addresses (every earlier case) but not
     * 127/8, which the core drops in every mode (RFC 1122 3.2.1.3). */
    c = alg_cfg(BOTH, 1500);
    dm_hdr(&M, RESP, 0, 2, 0, 0);
    dm_a(&M, "lo.local", -1, lo4);
    dm_a(&M, "prn.local", -1, PRN4);
    dm_hdr(&E, RESP, 0, 1, 0, 0);
    dm_aaaa(&E, "prn.local", -1, PRN6);
    {
        struct alg_end e = { 5353, 5353, 0, NULL, NULL };

        frame4(&IN, &e, M.b, M.len, 0);
        frame6(&EXP, &e, E.b, E.len);
        alg_case("mdns/4to6/loopback-a-removed", &c, NAT64_4TO6, &IN, &EXP,
                 256, 0);
    }
}

void
cases_alg(void)
{
    mdns_answers();
    mdns_queries();
    mdns_limits();
    mdns_malformed();
    mdns_pointer_into_removed();
    mdns_zeroconf_nsec();
    alg_prefixes_vlan();
    ssdp_cases();
    alg_untranslatable_addrs();
}
