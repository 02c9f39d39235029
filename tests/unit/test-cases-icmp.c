/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-nat64 cases: every ICMP type/code row of RFC 7915 sections 4.2,
 * 4.3, 5.2, 5.3 (including the parameter problem pointer maps, Figures 3
 * and 6, and the Packet Too Big MTU rules with the RFC 1191 plateaus), and
 * ARP <-> Neighbor Discovery (RFC 826, RFC 4861, RFC 5227).
 */
#include "test-nat64.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* ICMP errors.                                                        */

#define BIG ((size_t) -1)

struct icmp_err {
    uint8_t t_in, c_in;
    uint32_t rest_in;
    int drop;                       /* 1: dropped (ICMP_TYPE). */
    uint8_t t_out, c_out;
    uint32_t rest_out;
};

/* ICMPv4 error from IPv4 host A to B about B's UDP packet to A, carrying
 * 'inner_max' bytes of it (BIG: all). */
static void
err_4to6(const char *name, const struct icmp_err *e, uint16_t mtu,
         const struct l4s *inner_l4, size_t inner_max)
{
    static struct fb i4, i6;
    struct l4s il = *inner_l4;

    fb_init(&i4);
    fb_ip4s(&i4, IP4_B, IP4_A, 0, 63, 0x4321, IP4_DF);
    put_l4(&i4, &il);
    fb_finish(&i4);
    fb_init(&i6);
    fb_ip6s(&i6, IP6_B, IP6_A, 0, 63);
    put_l4(&i6, &il);
    fb_finish(&i6);

    tc_begin("icmp/4to6/%s", name);
    T.cfg.mtu = mtu;
    T.variant = mtu == 1500 ? 0 : mtu == 9000 ? 9 : 7;
    fb_eth(&T.in, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&T.in, IP4_A, IP4_B, 0xc0, 64, 0x1111, 0);
    fb_icmp(&T.in, e->t_in, e->c_in, e->rest_in);
    fb_inner(&T.in, &i4, inner_max);
    fb_finish(&T.in);
    if (e->drop) {
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_TYPE);
    } else {
        /* RFC 7915 4.3: outer and inner headers translated, the inner
         * checksum adjusted, the ICMPv6 checksum computed. */
        fb_eth(&T.exp, MAC_B, MAC_A, 0x86dd);
        fb_ip6s(&T.exp, IP6_A, IP6_B, 0xc0, 64);
        fb_icmp(&T.exp, e->t_out, e->c_out, e->rest_out);
        fb_inner(&T.exp, &i6, inner_max == BIG ? BIG : inner_max + 20);
        fb_finish(&T.exp);
        T.has_exp = 1;
    }
    tc_run();
}

static void err_6to4_x(const char *, const struct icmp_err *, uint16_t,
                       const struct l4s *, size_t, size_t);

static void
err_6to4(const char *name, const struct icmp_err *e, uint16_t mtu,
         const struct l4s *inner_l4, size_t inner_max)
{
    err_6to4_x(name, e, mtu, inner_l4, inner_max,
               inner_max == BIG ? BIG : inner_max - 20);
}

static void
err_6to4_cut(const char *name, const struct icmp_err *e,
             const struct l4s *inner_l4, size_t inner_max, size_t out_max)
{
    err_6to4_x(name, e, 1500, inner_l4, inner_max, out_max);
}

/* ICMPv6 error from IPv6 host B to A about A's packet to B; the
 * translation quotes 'out_max' bytes of the inner IPv4 packet. */
static void
err_6to4_x(const char *name, const struct icmp_err *e, uint16_t mtu,
           const struct l4s *inner_l4, size_t inner_max, size_t out_max)
{
    static struct fb i4, i6;
    struct l4s il = *inner_l4;

    fb_init(&i6);
    fb_ip6s(&i6, IP6_A, IP6_B, 0, 63);
    put_l4(&i6, &il);
    fb_finish(&i6);
    fb_init(&i4);
    fb_ip4s(&i4, IP4_A, IP4_B, 0, 63, 0, df_rule(i6.len - 20));
    put_l4(&i4, &il);
    fb_finish(&i4);

    tc_begin("icmp/6to4/%s", name);
    T.dir = NAT64_6TO4;
    T.cfg.mtu = mtu;
    T.variant = mtu == 1500 ? 0 : 7;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0xc0, 64);
    fb_icmp(&T.in, e->t_in, e->c_in, e->rest_in);
    fb_inner(&T.in, &i6, inner_max);
    fb_finish(&T.in);
    if (e->drop) {
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_TYPE);
    } else {
        fb_eth(&T.exp, MAC_A, MAC_B, 0x0800);
        fb_ip4s(&T.exp, IP4_B, IP4_A, 0xc0, 64, 0, 0);
        fb_icmp(&T.exp, e->t_out, e->c_out, e->rest_out);
        fb_inner(&T.exp, &i4, out_max);
        fb_finish(&T.exp);
        T.exp.b[14 + 6] = df_rule(T.exp.len - 14) >> 8;
        fb_finish(&T.exp);
        T.has_exp = 1;
        T.mask_id = 1;
    }
    tc_run();
}

static const struct l4s IUDP = { .proto = 17, .sport = 5000, .dport = 53,
                                 .plen = 40, .seed = 11 };

/* RFC 7915 4.2, ICMPv4 error messages -> ICMPv6. */
static const struct icmp_err rows_4to6[] = {
    /* Destination Unreachable. */
    { 3, 0, 0, 0, 1, 0, 0 },        /* net unreachable -> no route */
    { 3, 1, 0, 0, 1, 0, 0 },        /* host unreachable -> no route */
    { 3, 2, 0, 0, 4, 1, 6 },        /* protocol -> param problem, ptr 6 */
    { 3, 3, 0, 0, 1, 4, 0 },        /* port -> port */
    { 3, 5, 0, 0, 1, 0, 0 },        /* source route failed */
    { 3, 6, 0, 0, 1, 0, 0 },
    { 3, 7, 0, 0, 1, 0, 0 },
    { 3, 8, 0, 0, 1, 0, 0 },
    { 3, 9, 0, 0, 1, 1, 0 },        /* admin prohibited -> code 1 */
    { 3, 10, 0, 0, 1, 1, 0 },
    { 3, 11, 0, 0, 1, 0, 0 },
    { 3, 12, 0, 0, 1, 0, 0 },
    { 3, 13, 0, 0, 1, 1, 0 },
    { 3, 14, 0, 1, 0, 0, 0 },       /* host precedence violation: drop */
    { 3, 15, 0, 0, 1, 1, 0 },       /* precedence cutoff -> code 1 */
    { 3, 16, 0, 1, 0, 0, 0 },       /* unknown code: drop */
    { 3, 255, 0, 1, 0, 0, 0 },
    /* Time Exceeded: type 3, code unchanged. */
    { 11, 0, 0, 0, 3, 0, 0 },
    { 11, 1, 0, 0, 3, 1, 0 },
    /* Parameter Problem codes without pointer: dropped. */
    { 12, 1, 0, 1, 0, 0, 0 },       /* missing required option */
    { 12, 3, 0, 1, 0, 0, 0 },
    /* Obsolete/single-hop errors: dropped. */
    { 4, 0, 0, 1, 0, 0, 0 },        /* source quench */
    { 5, 0, 0, 1, 0, 0, 0 },        /* redirect */
    { 5, 1, 0, 1, 0, 0, 0 },
    { 6, 0, 0, 1, 0, 0, 0 },        /* alternate host address */
    { 31, 0, 0, 1, 0, 0, 0 },       /* conversion error */
    { 40, 0, 0, 1, 0, 0, 0 },       /* photuris */
};

/* RFC 7915 5.2, ICMPv6 error messages -> ICMPv4. */
static const struct icmp_err rows_6to4[] = {
    { 1, 0, 0, 0, 3, 1, 0 },        /* no route -> host unreachable */
    { 1, 1, 0, 0, 3, 10, 0 },       /* admin prohibited -> 10 */
    { 1, 2, 0, 0, 3, 1, 0 },        /* beyond scope -> 1 */
    { 1, 3, 0, 0, 3, 1, 0 },        /* address unreachable -> 1 */
    { 1, 4, 0, 0, 3, 3, 0 },        /* port unreachable -> 3 */
    { 1, 5, 0, 1, 0, 0, 0 },        /* other codes: drop */
    { 1, 6, 0, 1, 0, 0, 0 },
    { 1, 7, 0, 1, 0, 0, 0 },
    { 3, 0, 0, 0, 11, 0, 0 },       /* time exceeded, code unchanged */
    { 3, 1, 0, 0, 11, 1, 0 },
    { 4, 1, 10, 0, 3, 2, 0 },       /* unrecognized next header ->
                                     * protocol unreachable */
    { 4, 2, 40, 1, 0, 0, 0 },       /* unrecognized option: drop */
    { 4, 3, 0, 1, 0, 0, 0 },
    { 100, 0, 0, 1, 0, 0, 0 },      /* unknown error type: drop */
    { 127, 0, 0, 1, 0, 0, 0 },
};

/* RFC 7915 Figure 3 (IPv4 pointer -> IPv6 pointer, -1 drop). */
static const int ptr_4to6[] = {
    0, 1, 4, 4, -1, -1, -1, -1, 7, 6, -1, -1, 8, 8, 8, 8,
    24, 24, 24, 24, -1, -1, -1,
};

/* RFC 7915 Figure 6 (IPv6 pointer -> IPv4 pointer, -1 drop). */
static int
ptr_6to4(int p)
{
    static const int head[8] = { 0, 1, -1, -1, 2, 2, 9, 8 };

    if (p < 8) {
        return head[p];
    } else if (p < 24) {
        return 12;
    } else if (p < 40) {
        return 16;
    }
    return -1;
}

static void
informational(void)
{
    static const uint8_t drop4[] = { 9, 10, 13, 14, 15, 16, 17, 18, 30,
                                     37, 42, 253 };
    static const uint8_t drop6[] = { 130, 131, 132, 133, 134, 137, 139,
                                     140, 143, 200, 255 };
    struct l4s l = { .proto = 1, .irest = 0x00010002, .plen = 20,
                     .seed = 3 };
    size_t i;

    /* Echo: both directions are in test-cases-ip.c; the others drop. */
    for (i = 0; i < sizeof drop4; i++) {
        tc_begin("icmp/4to6/informational-type-%u", drop4[i]);
        l.itype4 = drop4[i];
        b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, 0, &l);
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_TYPE);
        tc_run();
    }
    for (i = 0; i < sizeof drop6; i++) {
        tc_begin("icmp/6to4/informational-type-%u", drop6[i]);
        T.dir = NAT64_6TO4;
        l.itype6 = drop6[i];
        b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 255, &l);
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_TYPE);
        tc_run();
    }
}

void
cases_icmp(void)
{
    char name[80];
    size_t i;
    int p;

    informational();

    for (i = 0; i < sizeof rows_4to6 / sizeof rows_4to6[0]; i++) {
        const struct icmp_err *e = &rows_4to6[i];

        snprintf(name, sizeof name, "error-%u-%u", e->t_in, e->c_in);
        err_4to6(name, e, 1500, &IUDP, BIG);
    }
    for (i = 0; i < sizeof rows_6to4 / sizeof rows_6to4[0]; i++) {
        const struct icmp_err *e = &rows_6to4[i];

        snprintf(name, sizeof name, "error-%u-%u", e->t_in, e->c_in);
        err_6to4(name, e, 1500, &IUDP, BIG);
    }

    /* Parameter problem pointers, codes 0 and 2 (RFC 7915 4.2). */
    for (p = 0; p < (int) (sizeof ptr_4to6 / sizeof ptr_4to6[0]); p++) {
        struct icmp_err e = { 12, 0, (uint32_t) p << 24, ptr_4to6[p] < 0,
                              4, 0, ptr_4to6[p] };

        snprintf(name, sizeof name, "param-problem-ptr-%d", p);
        err_4to6(name, &e, 1500, &IUDP, BIG);
    }
    {
        struct icmp_err e = { 12, 2, 9u << 24, 0, 4, 0, 6 };

        err_4to6("param-problem-code2-ptr-9", &e, 1500, &IUDP, BIG);
    }
    /* RFC 7915 5.2, Figure 6. */
    for (p = 0; p <= 41; p++) {
        int q = ptr_6to4(p);
        struct icmp_err e = { 4, 0, p, q < 0, 12, 0,
                              q < 0 ? 0 : (uint32_t) q << 24 };

        snprintf(name, sizeof name, "param-problem-ptr-%d", p);
        err_6to4(name, &e, 1500, &IUDP, BIG);
    }

    /* Fragmentation Needed -> Packet Too Big (RFC 7915 4.2):
     * MTU = min(advertised + 20, IPv6 next-hop MTU, IPv4 next-hop + 20),
     * both next-hop MTUs being cfg->mtu; advertised 0: the largest RFC
     * 1191 plateau below the quoted total length (and >= 1280), + 20. */
    {
        static const struct { uint16_t mtu4, cfg, tot; uint32_t want; }
        ptb[] = {
            { 1400, 1500, 0, 1420 },
            { 1492, 1500, 0, 1500 },
            { 1500, 1500, 0, 1500 },
            { 1400, 1280, 0, 1280 },
            { 0, 9000, 1500, 1512 },        /* plateau 1492 */
            { 0, 9000, 4500, 4372 },        /* plateau 4352 */
            { 0, 9000, 9000, 8186 },        /* plateau 8166 */
            { 0, 1500, 1500, 1500 },        /* 1512 capped by the MTU */
        };

        for (i = 0; i < sizeof ptb / sizeof ptb[0]; i++) {
            struct icmp_err e = { 3, 4, ptb[i].mtu4, 0, 2, 0, ptb[i].want };
            struct l4s il = IUDP;

            if (ptb[i].tot) {
                il.plen = ptb[i].tot - 28;
            }
            snprintf(name, sizeof name, "frag-needed-%u-mtu%u-len%u",
                     ptb[i].mtu4, ptb[i].cfg, ptb[i].tot);
            err_4to6(name, &e, ptb[i].cfg, &il, ptb[i].tot ? 548 : BIG);
        }
    }
    /* Packet Too Big -> Fragmentation Needed (RFC 7915 5.2):
     * MTU = min(advertised - 20, IPv4 next-hop, IPv6 next-hop - 20). */
    {
        static const struct { uint32_t mtu6; uint16_t cfg; uint32_t want; }
        ptb[] = {
            { 1400, 1500, 1380 },
            { 1280, 1500, 1260 },
            { 1500, 1500, 1480 },
            { 9000, 1500, 1480 },
        };

        for (i = 0; i < sizeof ptb / sizeof ptb[0]; i++) {
            struct icmp_err e = { 2, 0, ptb[i].mtu6, 0, 3, 4, ptb[i].want };

            snprintf(name, sizeof name, "packet-too-big-%u-mtu%u",
                     ptb[i].mtu6, ptb[i].cfg);
            err_6to4(name, &e, ptb[i].cfg, &IUDP, BIG);
        }
    }

    /* Inner packets: truncated (RFC 792: header + 64 bits), TCP, ICMP
     * echo (translated too, RFC 7915 4.3), with options (dropped). */
    {
        static const struct icmp_err unreach4 = { 3, 3, 0, 0, 1, 4, 0 };
        static const struct icmp_err unreach6 = { 1, 4, 0, 0, 3, 3, 0 };
        static const struct icmp_err tex4 = { 11, 0, 0, 0, 3, 0, 0 };
        static const struct icmp_err tex6 = { 3, 0, 0, 0, 11, 0, 0 };
        struct l4s tcp = { .proto = 6, .sport = 80, .dport = 40000,
                           .flags = 0x12, .plen = 30, .seed = 12 };
        struct l4s echo = { .proto = 1, .itype4 = 8, .itype6 = 128,
                            .irest = 0x00070001, .plen = 32, .seed = 13 };
        struct l4s big = IUDP;

        err_4to6("inner-truncated-28", &unreach4, 1500, &IUDP, 28);
        err_4to6("inner-truncated-40", &unreach4, 1500, &IUDP, 40);
        err_4to6("inner-tcp", &tex4, 1500, &tcp, BIG);
        err_4to6("inner-tcp-truncated", &tex4, 1500, &tcp, 28);
        err_4to6("inner-icmp-echo", &tex4, 1500, &echo, BIG);
        big.plen = 1000;
        err_4to6("inner-udp-1028-quoted-548", &unreach4, 1500, &big, 548);
        err_6to4("inner-truncated-48", &unreach6, 1500, &IUDP, 48);
        err_6to4("inner-tcp", &tex6, 1500, &tcp, BIG);
        err_6to4("inner-icmp-echo", &tex6, 1500, &echo, BIG);
        /* RFC 1812 4.3.2.3: an ICMPv4 error carries as much of the
         * original as fits in 576 bytes: 576 - 28 of the inner packet. */
        big.plen = 1400;
        err_6to4_cut("inner-udp-1448-quoted-1232-cut-576", &unreach6,
                     &big, 1232, 548);
    }

    /* Inner packet too short to hold its IP header. */
    {
        static struct fb i4, i6;

        fb_init(&i4);
        fb_ip4s(&i4, IP4_B, IP4_A, 0, 63, 1, 0);
        put_l4(&i4, &IUDP);
        fb_finish(&i4);
        tc_begin("icmp/4to6/inner-shorter-than-header");
        fb_eth(&T.in, MAC_B, MAC_A, 0x0800);
        fb_ip4s(&T.in, IP4_A, IP4_B, 0, 64, 1, 0);
        fb_icmp(&T.in, 3, 3, 0);
        fb_inner(&T.in, &i4, 12);
        fb_finish(&T.in);
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_INNER);
        tc_run();

        fb_init(&i6);
        fb_ip6s(&i6, IP6_A, IP6_B, 0, 63);
        put_l4(&i6, &IUDP);
        fb_finish(&i6);
        tc_begin("icmp/6to4/inner-shorter-than-header");
        T.dir = NAT64_6TO4;
        fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
        fb_icmp(&T.in, 1, 4, 0);
        fb_inner(&T.in, &i6, 30);
        fb_finish(&T.in);
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_INNER);
        tc_run();

        /* An error about an error (RFC 792/4443: never generated). */
        fb_init(&i4);
        fb_ip4s(&i4, IP4_B, IP4_A, 0, 63, 1, 0);
        fb_icmp(&i4, 3, 1, 0);
        fb_fill(&i4, 28, 1);
        fb_finish(&i4);
        tc_begin("icmp/4to6/nested-error");
        fb_eth(&T.in, MAC_B, MAC_A, 0x0800);
        fb_ip4s(&T.in, IP4_A, IP4_B, 0, 64, 1, 0);
        fb_icmp(&T.in, 3, 3, 0);
        fb_inner(&T.in, &i4, BIG);
        fb_finish(&T.in);
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_NESTED);
        tc_run();

        fb_init(&i6);
        fb_ip6s(&i6, IP6_A, IP6_B, 0, 63);
        fb_icmp(&i6, 1, 4, 0);
        fb_fill(&i6, 48, 1);
        fb_finish(&i6);
        tc_begin("icmp/6to4/nested-error");
        T.dir = NAT64_6TO4;
        fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
        fb_icmp(&T.in, 3, 0, 0);
        fb_inner(&T.in, &i6, BIG);
        fb_finish(&T.in);
        T.verdict = NAT64_DROP;
        T.reasons = R(ICMP_NESTED);
        tc_run();
    }

    /* Inner IPv4 header with options: options dropped in translation. */
    {
        static struct fb i4, i6;
        static const uint8_t nops[4] = { 1, 1, 1, 0 };
        struct ip4h h = { .ttl = 63, .id = 1, .frag = IP4_DF,
                          .src = IP4_B, .dst = IP4_A, .opt = nops,
                          .optlen = 4 };

        fb_init(&i4);
        fb_ip4(&i4, &h);
        put_l4(&i4, &IUDP);
        fb_finish(&i4);
        fb_init(&i6);
        fb_ip6s(&i6, IP6_B, IP6_A, 0, 63);
        put_l4(&i6, &IUDP);
        fb_finish(&i6);
        tc_begin("icmp/4to6/inner-with-options");
        fb_eth(&T.in, MAC_B, MAC_A, 0x0800);
        fb_ip4s(&T.in, IP4_A, IP4_B, 0, 64, 1, 0);
        fb_icmp(&T.in, 3, 3, 0);
        fb_inner(&T.in, &i4, BIG);
        fb_finish(&T.in);
        fb_eth(&T.exp, MAC_B, MAC_A, 0x86dd);
        fb_ip6s(&T.exp, IP6_A, IP6_B, 0, 64);
        fb_icmp(&T.exp, 1, 4, 0);
        fb_inner(&T.exp, &i6, BIG);
        fb_finish(&T.exp);
        T.has_exp = 1;
        tc_run();
    }
}

/* ------------------------------------------------------------------ */
/* ARP <-> Neighbor Discovery.                                         */

static uint8_t SN_B[16], SN_MAC_B[6], ALLN[16], ALLN_MAC[6];
static const uint8_t UNSPEC[16] = { 0 };
static const uint8_t ZERO4[4] = { 0 };

/* ICMPv6 ND message: NS (135) or NA (136) with 'flags' (NA R/S/O in the
 * top bits), target 'tgt', optional SLLA (1) / TLLA (2) option. */
static void
nd(struct fb *f, const uint8_t *dmac, const uint8_t *smac, int vlan,
   const uint8_t *s6, const uint8_t *d6, uint8_t type, uint32_t flags,
   const uint8_t *tgt, uint8_t opt, const uint8_t *optmac)
{
    fb_init(f);
    if (vlan >= 0) {
        fb_eth_vlan(f, dmac, smac, vlan, 0x86dd);
    } else {
        fb_eth(f, dmac, smac, 0x86dd);
    }
    fb_ip6s(f, s6, d6, 0, 255);
    fb_icmp(f, type, 0, flags);
    fb_data(f, tgt, 16);
    if (opt) {
        fb_ndopt(f, opt, optmac);
    }
    fb_finish(f);
}

static void
arp(struct fb *f, const uint8_t *dmac, const uint8_t *smac, int vlan,
    uint16_t op, const uint8_t *sha, const uint8_t *spa,
    const uint8_t *tha, const uint8_t *tpa)
{
    fb_init(f);
    if (vlan >= 0) {
        fb_eth_vlan(f, dmac, smac, vlan, 0x0806);
    } else {
        fb_eth(f, dmac, smac, 0x0806);
    }
    fb_arp(f, op, sha, spa, tha, tpa);
}

#define NA_S 0x40000000u
#define NA_O 0x20000000u

static void
nd_bad(const char *name, uint64_t reasons)
{
    T.verdict = NAT64_DROP;
    T.reasons = reasons;
    (void) name;
    tc_run();
}

void
cases_nd(void)
{
    static const uint8_t glob[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
    static const uint8_t mcast_t[16] = { 0xff, 0x02, [15] = 1 };
    int vlan;

    solicited_node(IP6_B, SN_B);
    mac_mcast6(SN_B, SN_MAC_B);
    memset(ALLN, 0, 16);
    ALLN[0] = 0xff;
    ALLN[1] = 0x02;
    ALLN[15] = 1;
    mac_mcast6(ALLN, ALLN_MAC);

    for (vlan = -1; vlan <= 100; vlan += 101) {
        const char *v = vlan < 0 ? "" : "-vlan";

        /* ARP request -> NS to the solicited-node group, hop limit 255,
         * SLLA = sender hardware address (RFC 4861 4.3, 7.2.2). */
        tc_begin("nd/arp-request-to-ns%s", v);
        arp(&T.in, MAC_BCAST, MAC_A, vlan, 1, MAC_A, IP4_A, MAC_ZERO,
            IP4_B);
        nd(&T.exp, SN_MAC_B, MAC_A, vlan, IP6_A, SN_B, 135, 0, IP6_B, 1,
           MAC_A);
        T.has_exp = 1;
        tc_run();

        /* NS -> ARP request (broadcast). */
        tc_begin("nd/ns-to-arp-request%s", v);
        T.dir = NAT64_6TO4;
        nd(&T.in, SN_MAC_B, MAC_A, vlan, IP6_A, SN_B, 135, 0, IP6_B, 1,
           MAC_A);
        arp(&T.exp, MAC_BCAST, MAC_A, vlan, 1, MAC_A, IP4_A, MAC_ZERO,
            IP4_B);
        T.has_exp = 1;
        tc_run();

        /* Solicited NA -> ARP reply with the TLLA. */
        tc_begin("nd/na-to-arp-reply%s", v);
        T.dir = NAT64_6TO4;
        nd(&T.in, MAC_A, MAC_B, vlan, IP6_B, IP6_A, 136, NA_S | NA_O,
           IP6_B, 2, MAC_B);
        arp(&T.exp, MAC_A, MAC_B, vlan, 2, MAC_B, IP4_B, MAC_A, IP4_A);
        T.has_exp = 1;
        tc_run();

        /* ARP reply -> solicited NA (S and O set, RFC 4861 7.2.4). */
        tc_begin("nd/arp-reply-to-na%s", v);
        arp(&T.in, MAC_A, MAC_B, vlan, 2, MAC_B, IP4_B, MAC_A, IP4_A);
        nd(&T.exp, MAC_A, MAC_B, vlan, IP6_B, IP6_A, 136, NA_S | NA_O,
           IP6_B, 2, MAC_B);
        T.has_exp = 1;
        tc_run();
    }

    /* ARP probe (RFC 5227 2.1.1, sender IP 0) <-> DAD NS (RFC 4862
     * 5.4.2: source ::, no SLLA, RFC 4861 7.1.1). */
    tc_begin("nd/arp-probe-to-dad-ns");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 1, MAC_A, ZERO4, MAC_ZERO, IP4_B);
    nd(&T.exp, SN_MAC_B, MAC_A, -1, UNSPEC, SN_B, 135, 0, IP6_B, 0, NULL);
    T.has_exp = 1;
    tc_run();
    tc_begin("nd/dad-ns-to-arp-probe");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, UNSPEC, SN_B, 135, 0, IP6_B, 0, NULL);
    arp(&T.exp, MAC_BCAST, MAC_A, -1, 1, MAC_A, ZERO4, MAC_ZERO, IP4_B);
    T.has_exp = 1;
    tc_run();

    /* Gratuitous ARP (request or reply, sender IP = target IP) ->
     * unsolicited NA to ff02::1 (O set, S clear; RFC 4861 7.2.6). */
    tc_begin("nd/gratuitous-arp-request-to-na");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 1, MAC_A, IP4_A, MAC_ZERO, IP4_A);
    nd(&T.exp, ALLN_MAC, MAC_A, -1, IP6_A, ALLN, 136, NA_O, IP6_A, 2,
       MAC_A);
    T.has_exp = 1;
    tc_run();
    tc_begin("nd/gratuitous-arp-reply-to-na");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 2, MAC_A, IP4_A, MAC_BCAST, IP4_A);
    nd(&T.exp, ALLN_MAC, MAC_A, -1, IP6_A, ALLN, 136, NA_O, IP6_A, 2,
       MAC_A);
    T.has_exp = 1;
    tc_run();
    /* Unsolicited NA -> ARP announcement (RFC 5227 3: a request with
     * sender IP = target IP, target hardware address zero). */
    tc_begin("nd/unsolicited-na-to-gratuitous-arp");
    T.dir = NAT64_6TO4;
    nd(&T.in, ALLN_MAC, MAC_A, -1, IP6_A, ALLN, 136, NA_O, IP6_A, 2,
       MAC_A);
    arp(&T.exp, MAC_BCAST, MAC_A, -1, 1, MAC_A, IP4_A, MAC_ZERO, IP4_A);
    T.has_exp = 1;
    tc_run();

    /* Padded ARP (60-byte minimum frame). */
    tc_begin("nd/arp-request-padded");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 1, MAC_A, IP4_A, MAC_ZERO, IP4_B);
    fb_fill(&T.in, 18, 5);
    nd(&T.exp, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, IP6_B, 1, MAC_A);
    T.has_exp = 1;
    tc_run();

    /* Options NS does not use are ignored (RFC 4861 7.1.1): nonce (RFC
     * 7527, type 14) next to the SLLA. */
    tc_begin("nd/ns-with-nonce-option");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, IP6_B, 1, MAC_A);
    {
        static const uint8_t nonce[6] = { 1, 2, 3, 4, 5, 6 };

        fb_ndopt(&T.in, 14, nonce);
        fb_finish(&T.in);
    }
    arp(&T.exp, MAC_BCAST, MAC_A, -1, 1, MAC_A, IP4_A, MAC_ZERO, IP4_B);
    T.has_exp = 1;
    tc_run();

    /* Bad ARP (RFC 826 fields) and ND (RFC 4861 7.1.1/7.1.2). */
    {
        static const struct { const char *n; int ofs; uint8_t v; } f[] = {
            { "htype-6", 1, 6 }, { "ptype-86dd", 2, 0x86 },
            { "hlen-8", 4, 8 }, { "plen-6", 5, 6 }, { "hlen-0", 4, 0 },
        };
        size_t i;

        for (i = 0; i < sizeof f / sizeof f[0]; i++) {
            tc_begin("nd/bad-arp/%s", f[i].n);
            arp(&T.in, MAC_BCAST, MAC_A, -1, 1, MAC_A, IP4_A, MAC_ZERO,
                IP4_B);
            T.in.b[14 + f[i].ofs] = f[i].v;
            nd_bad(f[i].n, R(BAD_ARP));
        }
    }
    tc_begin("nd/bad-arp/op-3-rarp");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 3, MAC_A, IP4_A, MAC_ZERO, IP4_B);
    nd_bad("", R(ARP_OP));
    tc_begin("nd/bad-arp/op-0");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 0, MAC_A, IP4_A, MAC_ZERO, IP4_B);
    nd_bad("", R(ARP_OP));
    tc_begin("nd/bad-arp/sender-multicast-mac");
    arp(&T.in, MAC_BCAST, MAC_A, -1, 1, MAC_BCAST, IP4_A, MAC_ZERO,
        IP4_B);
    nd_bad("", R(BAD_ARP));

    tc_begin("nd/bad-nd/ns-hop-limit-64");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, IP6_B, 1, MAC_A);
    T.in.b[14 + 7] = 64;
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/ns-code-1");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, IP6_B, 1, MAC_A);
    T.in.b[14 + 40 + 1] = 1;
    fb_finish(&T.in);
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/ns-bad-checksum");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, IP6_B, 1, MAC_A);
    T.in.b[14 + 40 + 2] ^= 0x10;
    nd_bad("", R(BAD_ND) | R(BAD_L4_HDR));
    tc_begin("nd/bad-nd/ns-target-multicast");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, mcast_t, 1, MAC_A);
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/ns-target-not-mapped");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, glob, 1, MAC_A);
    nd_bad("", R(DST_NOT_MAPPED) | R(BAD_ND));
    tc_begin("nd/bad-nd/ns-option-length-0");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, IP6_A, SN_B, 135, 0, IP6_B, 1, MAC_A);
    T.in.b[T.in.len - 7] = 0;
    fb_finish(&T.in);
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/ns-short");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, SN_MAC_B, MAC_A, 0x86dd);
    fb_ip6s(&T.in, IP6_A, SN_B, 0, 255);
    fb_icmp(&T.in, 135, 0, 0);
    fb_fill(&T.in, 8, 1);
    fb_finish(&T.in);
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/dad-ns-with-slla");
    T.dir = NAT64_6TO4;
    nd(&T.in, SN_MAC_B, MAC_A, -1, UNSPEC, SN_B, 135, 0, IP6_B, 1, MAC_A);
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/na-solicited-to-multicast");
    T.dir = NAT64_6TO4;
    nd(&T.in, ALLN_MAC, MAC_A, -1, IP6_A, ALLN, 136, NA_S | NA_O, IP6_A, 2,
       MAC_A);
    nd_bad("", R(BAD_ND));
    tc_begin("nd/bad-nd/na-hop-limit-254");
    T.dir = NAT64_6TO4;
    nd(&T.in, MAC_A, MAC_B, -1, IP6_B, IP6_A, 136, NA_S | NA_O, IP6_B, 2,
       MAC_B);
    T.in.b[14 + 7] = 254;
    nd_bad("", R(BAD_ND));
}
