/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-nat64 cases: the RFC 7915 / RFC 6052 conformance items of issue 12
 * (rfc/N/... is item N) and the translator's input checks of issue 13
 * item 8 (sec/...).  Expected frames are built from the RFC text with the
 * builders of unit-lib.c, whose checksums are the independent RFC 1071 sum
 * (ck_sum), never the core's helpers.
 */
#include "test-nat64.h"

#include <string.h>

static const struct l4s UDPX = { .proto = 17, .sport = 1234, .dport = 53,
                                 .plen = 20, .seed = 21 };
static const struct l4s ECHOX = { .proto = 1, .itype4 = 8, .itype6 = 128,
                                  .irest = 0x00420001, .plen = 32,
                                  .seed = 22 };
static const struct l4s ECHORX = { .proto = 1, .itype4 = 0, .itype6 = 129,
                                   .irest = 0x00420002, .plen = 12,
                                   .seed = 23 };
static const struct l4s TCPX = { .proto = 6, .sport = 40001, .dport = 80,
                                 .flags = 0x10, .ack = 9, .plen = 50,
                                 .seed = 24 };

static const uint8_t G4_A[4] = { 1, 2, 3, 4 };        /* Global. */
static const uint8_t G4_B[4] = { 5, 6, 7, 8 };
static const uint8_t LO4[4] = { 127, 0, 0, 1 };
static const uint8_t ZERO4[4] = { 0, 0, 0, 0 };
static const uint8_t THIS4[4] = { 0, 0, 0, 1 };
static const uint8_t LL4_A[4] = { 169, 254, 1, 1 };
static const uint8_t LL4_B[4] = { 169, 254, 1, 2 };
/* RFC 7600: the IPv4 dummy address, the usual one-address RFC 6791 pool. */
static const uint8_t DUMMY4[4] = { 192, 0, 0, 8 };
static const uint8_t WKP[16] = { 0, 0x64, 0xff, 0x9b };
static const uint8_t GPFX[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x64 };
static const uint8_t ROUTER6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

/* 'ip4' embedded in the /96 'prefix'. */
static void
map96(const uint8_t prefix[16], const uint8_t ip4[4], uint8_t ip6[16])
{
    memcpy(ip6, prefix, 12);
    memcpy(ip6 + 12, ip4, 4);
}

/* 4to6 case s4 -> d4 with 'l' expected to translate to the /96 'prefix'
 * (NULL: fe80::/96), or to be dropped with 'reason' (>= 0). */
static void
addr_4to6(const char *name, const uint8_t *prefix, int dec_ttl,
          const uint8_t *s4, const uint8_t *d4, const struct l4s *l,
          int reason)
{
    static const uint8_t ll[16] = { 0xfe, 0x80 };
    uint8_t s6[16], d6[16];

    prefix = prefix ? prefix : ll;
    tc_begin("rfc/%s", name);
    nat64_config_set_prefix(&T.cfg, prefix, 96);
    T.cfg.dec_ttl = dec_ttl;
    b4(&T.in, MAC_B, MAC_A, s4, d4, 0, 64, 7, IP4_DF, l);
    if (reason >= 0) {
        T.verdict = NAT64_DROP;
        T.reasons = 1ull << reason;
    } else {
        map96(prefix, s4, s6);
        map96(prefix, d4, d6);
        b6(&T.exp, MAC_B, MAC_A, s6, d6, 0, 64 - dec_ttl, l);
        T.has_exp = 1;
    }
    tc_run();
}

static void
addr_6to4(const char *name, const uint8_t *prefix, int dec_ttl,
          const uint8_t *s4, const uint8_t *d4, const struct l4s *l,
          int reason)
{
    static const uint8_t ll[16] = { 0xfe, 0x80 };
    uint8_t s6[16], d6[16];

    prefix = prefix ? prefix : ll;
    tc_begin("rfc/%s", name);
    T.dir = NAT64_6TO4;
    nat64_config_set_prefix(&T.cfg, prefix, 96);
    T.cfg.dec_ttl = dec_ttl;
    map96(prefix, s4, s6);
    map96(prefix, d4, d6);
    b6(&T.in, MAC_A, MAC_B, s6, d6, 0, 64, l);
    if (reason >= 0) {
        T.verdict = NAT64_DROP;
        T.reasons = 1ull << reason;
    } else {
        b4(&T.exp, MAC_A, MAC_B, s4, d4, 0, 64 - dec_ttl, 0, 0, l);
        T.has_exp = 1;
        T.mask_id = 1;
    }
    tc_run();
}

/* ---- Item 1: ICMPv6 atomic fragments. ---- */
static void
item1(void)
{
    const struct l4s *ls[2] = { &ECHOX, &ECHORX };
    int i;

    for (i = 0; i < 2; i++) {
        /* RFC 7915 5.1.1: id = low 16 bits of the Fragment header's,
         * MF copied (0), DF 0, offset 0. */
        tc_begin("rfc/1/6to4-icmpv6-%s-atomic-fragment",
                 i ? "echo-reply" : "echo");
        T.dir = NAT64_6TO4;
        fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
        fb_frag6(&T.in, 0, 0, 0xabcd1234 + i);
        put_l4(&T.in, ls[i]);
        fb_finish(&T.in);
        b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0x1234 + i, 0, ls[i]);
        T.has_exp = 1;
        tc_run();
    }

    /* Still not translated: a real fragment of an ICMPv6 message. */
    tc_begin("rfc/1/6to4-icmpv6-real-fragment-dropped");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_frag6(&T.in, 0, 1, 77);
    put_l4(&T.in, &ECHOX);
    fb_finish(&T.in);
    T.verdict = NAT64_DROP;
    T.reasons = R(FRAG_ICMP);
    tc_run();
}

/* ---- Item 2: Fragment header followed by an extension header. ---- */
static void
item2(void)
{
    static const struct { const char *name; uint16_t off; int m;
                          uint8_t ext; } rows[] = {
        { "first-then-dstopts", 0, 1, 60 },
        { "atomic-then-dstopts", 0, 0, 60 },
        { "first-then-routing", 0, 1, 43 },
        { "atomic-then-hbh", 0, 0, 0 },
        { "nonfirst-then-dstopts", 100, 0, 60 },
    };
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tc_begin("rfc/2/6to4-frag-%s", rows[i].name);
        T.dir = NAT64_6TO4;
        fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
        fb_frag6(&T.in, rows[i].off, rows[i].m, 0x55);
        if (rows[i].off) {
            fb_set_next(&T.in, rows[i].ext);
            fb_fill(&T.in, 64, 9);
        } else {
            if (rows[i].ext == 43) {
                fb_rh(&T.in, 0, 1);
            } else {
                fb_ext(&T.in, rows[i].ext, 8);
            }
            put_l4(&T.in, &UDPX);
        }
        fb_finish(&T.in);
        T.verdict = NAT64_DROP;
        T.reasons = R(FRAG_EXT);
        tc_run();
    }
}

/* ---- Item 3: ICMP errors from "illegal" or unmappable sources. ---- */

/* ICMPv4 error 'type'/'code' from 'src' to A about A's UDP to B. */
static void
err4_from(const char *name, const uint8_t *src, uint8_t type, uint8_t code,
          uint8_t t6, uint8_t c6)
{
    static struct fb i4, i6;
    uint8_t s6[16];

    fb_init(&i4);
    fb_ip4s(&i4, IP4_A, IP4_B, 0, 1, 0x4321, IP4_DF);
    put_l4(&i4, &UDPX);
    fb_finish(&i4);
    fb_init(&i6);
    fb_ip6s(&i6, IP6_A, IP6_B, 0, 1);
    put_l4(&i6, &UDPX);
    fb_finish(&i6);

    tc_begin("rfc/3/%s", name);
    fb_eth(&T.in, MAC_A, MAC_B, 0x0800);
    fb_ip4s(&T.in, src, IP4_A, 0, 64, 0x1111, 0);
    fb_icmp(&T.in, type, code, 0);
    fb_inner(&T.in, &i4, (size_t) -1);
    fb_finish(&T.in);
    map4(src, s6);
    fb_eth(&T.exp, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.exp, s6, IP6_A, 0, 64);
    fb_icmp(&T.exp, t6, c6, 0);
    fb_inner(&T.exp, &i6, (size_t) -1);
    fb_finish(&T.exp);
    T.has_exp = 1;
    tc_run();
}

/* ICMPv6 Time Exceeded from 'src6' to A about A's UDP to B; 'pool' the
 * RFC 6791 address or NULL; 'src4' the expected IPv4 source, NULL if the
 * error must be dropped. */
static void
err6_from(const char *name, const uint8_t *src6, const uint8_t *pool,
          const uint8_t *src4)
{
    static struct fb i4, i6;

    fb_init(&i6);
    fb_ip6s(&i6, IP6_A, IP6_B, 0, 1);
    put_l4(&i6, &UDPX);
    fb_finish(&i6);
    fb_init(&i4);
    fb_ip4s(&i4, IP4_A, IP4_B, 0, 1, 0, df_rule(i6.len - 20));
    put_l4(&i4, &UDPX);
    fb_finish(&i4);

    tc_begin("rfc/3/%s", name);
    T.dir = NAT64_6TO4;
    if (pool) {
        T.cfg.has_pool6791 = 1;
        memcpy(T.cfg.pool6791, pool, 4);
    }
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, src6, IP6_A, 0, 64);
    fb_icmp(&T.in, 3, 0, 0);
    fb_inner(&T.in, &i6, (size_t) -1);
    fb_finish(&T.in);
    if (!src4) {
        T.verdict = NAT64_DROP;
        T.reasons = R(SRC_NOT_MAPPED);
    } else {
        fb_eth(&T.exp, MAC_A, MAC_B, 0x0800);
        fb_ip4s(&T.exp, src4, IP4_A, 0, 64, 0, 0);
        fb_icmp(&T.exp, 11, 0, 0);
        fb_inner(&T.exp, &i4, (size_t) -1);
        fb_finish(&T.exp);
        T.has_exp = 1;
        T.mask_id = 1;
    }
    tc_run();
}

static void
item3(void)
{
    uint8_t lo6[16];

    /* RFC 7915 4.1: an illegal source of an ICMPv4 error is translated
     * for trouble shooting. */
    err4_from("4to6-time-exceeded-from-127.0.0.1", LO4, 11, 0, 3, 0);
    err4_from("4to6-unreachable-from-0.0.0.0", ZERO4, 3, 1, 1, 0);
    {
        static const uint8_t priv[4] = { 10, 9, 8, 7 };

        err4_from("4to6-port-unreachable-from-10.9.8.7", priv, 3, 3, 1, 4);
    }
    /* ... but not that of anything else. */
    addr_4to6("3/4to6-echo-from-127.0.0.1-dropped", NULL, 0, LO4, IP4_A,
              &ECHOX, NAT64_DROP_RESERVED_ADDR);
    /* RFC 7915 5.1 / RFC 6791: an ICMPv6 error from outside the prefix
     * takes the configured pool address, or is dropped without one. */
    err6_from("6to4-error-from-outside-prefix-pool", ROUTER6, DUMMY4,
              DUMMY4);
    err6_from("6to4-error-from-outside-prefix-no-pool", ROUTER6, NULL,
              NULL);
    /* An embedded loopback source of an ICMPv6 error: trouble shooting;
     * the pool is only for sources outside the prefix. */
    map4(LO4, lo6);
    err6_from("6to4-error-from-embedded-127.0.0.1", lo6, DUMMY4, LO4);
    tc_begin("rfc/3/6to4-echo-from-outside-prefix-pool-unused");
    T.dir = NAT64_6TO4;
    T.cfg.has_pool6791 = 1;
    memcpy(T.cfg.pool6791, DUMMY4, 4);
    b6(&T.in, MAC_A, MAC_B, ROUTER6, IP6_A, 0, 64, &ECHOX);
    T.verdict = NAT64_DROP;
    T.reasons = R(SRC_NOT_MAPPED);
    tc_run();
}

/* ---- Item 4: Packet Too Big never below 1280. ---- */
static void
item4(void)
{
    static struct fb i4, i6;
    static const struct l4s big = { .proto = 17, .sport = 7, .dport = 9,
                                    .plen = 1052, .seed = 5 };

    fb_init(&i4);
    fb_ip4s(&i4, IP4_B, IP4_A, 0, 63, 0x4321, IP4_DF);
    put_l4(&i4, &UDPX);
    fb_finish(&i4);
    fb_init(&i6);
    fb_ip6s(&i6, IP6_B, IP6_A, 0, 63);
    put_l4(&i6, &UDPX);
    fb_finish(&i6);
    /* RFC 7915 4.2: Fragmentation Needed, MTU 500 -> Packet Too Big with
     * max(500 + 20, 1280). */
    tc_begin("rfc/4/4to6-frag-needed-500-gives-1280");
    fb_eth(&T.in, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&T.in, IP4_A, IP4_B, 0, 64, 0x1111, 0);
    fb_icmp(&T.in, 3, 4, 500);
    fb_inner(&T.in, &i4, (size_t) -1);
    fb_finish(&T.in);
    fb_eth(&T.exp, MAC_B, MAC_A, 0x86dd);
    fb_ip6s(&T.exp, IP6_A, IP6_B, 0, 64);
    fb_icmp(&T.exp, 2, 0, 1280);
    fb_inner(&T.exp, &i6, (size_t) -1);
    fb_finish(&T.exp);
    T.has_exp = 1;
    tc_run();

    /* Our own Packet Too Big with an IPv4 egress of 1000: 1280, not
     * 1020. */
    tc_begin("rfc/4/6to4-own-packet-too-big-1280");
    T.dir = NAT64_6TO4;
    T.cfg.mtu = 1000;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, &big);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TOO_BIG);
    T.reply_check = reply_generic;
    T.r_type = 2;
    T.r_code = 0;
    T.r_rest = 1280;
    tc_run();
}

/* ---- Items 5, 6, 7: address classes. ---- */
static void
item5(void)
{
    static const uint8_t p10[4] = { 10, 1, 1, 1 };
    static const uint8_t shared[4] = { 100, 64, 1, 1 };
    static const uint8_t not_shared[4] = { 100, 128, 0, 1 };
    static const uint8_t p172[4] = { 172, 31, 0, 1 };
    static const uint8_t not172[4] = { 172, 32, 0, 1 };
    static const uint8_t p88[4] = { 192, 168, 88, 1 };
    static const uint8_t doc3[4] = { 203, 0, 113, 9 };
    int nr = NAT64_DROP_NON_GLOBAL;

    addr_4to6("5/4to6-wkp-src-192.168.0.10", WKP, 0, IP4_A, G4_A, &UDPX, nr);
    addr_4to6("5/4to6-wkp-dst-10.1.1.1", WKP, 0, G4_A, p10, &UDPX, nr);
    addr_4to6("5/4to6-wkp-dst-100.64.1.1", WKP, 0, G4_A, shared, &UDPX, nr);
    addr_4to6("5/4to6-wkp-dst-172.31.0.1", WKP, 0, G4_A, p172, &TCPX, nr);
    addr_4to6("5/4to6-wkp-dst-203.0.113.9", WKP, 0, G4_A, doc3, &TCPX, nr);
    addr_4to6("5/4to6-wkp-dst-169.254.1.2", WKP, 0, G4_A, LL4_B, &UDPX, nr);
    addr_4to6("5/4to6-wkp-global", WKP, 0, G4_A, G4_B, &TCPX, -1);
    addr_4to6("5/4to6-wkp-100.128.0.1-global", WKP, 0, G4_A, not_shared,
              &UDPX, -1);
    addr_4to6("5/4to6-wkp-172.32.0.1-global", WKP, 0, G4_A, not172, &UDPX,
              -1);
    addr_6to4("5/6to4-wkp-dst-192.168.88.1", WKP, 0, G4_A, p88, &UDPX, nr);
    addr_6to4("5/6to4-wkp-src-10.1.1.1", WKP, 0, p10, G4_A, &TCPX, nr);
    addr_6to4("5/6to4-wkp-global", WKP, 0, G4_B, G4_A, &TCPX, -1);
    /* Not the well-known prefix: private addresses translate. */
    addr_4to6("5/4to6-network-specific-private", GPFX, 0, IP4_A, p10, &UDPX,
              -1);
    addr_6to4("5/6to4-network-specific-private", GPFX, 0, p10, IP4_A,
              &UDPX, -1);
}

static void
item6(void)
{
    int rr = NAT64_DROP_RESERVED_ADDR;

    addr_4to6("6/4to6-dst-0.0.0.1", NULL, 0, IP4_A, THIS4, &UDPX, rr);
    addr_4to6("6/4to6-dst-127.0.0.1", NULL, 0, IP4_A, LO4, &TCPX, rr);
    addr_4to6("6/4to6-src-127.0.0.1", NULL, 0, LO4, IP4_B, &TCPX, rr);
    addr_6to4("6/6to4-dst-0.0.0.1", NULL, 0, IP4_B, THIS4, &UDPX, rr);
    addr_6to4("6/6to4-dst-127.0.0.1", NULL, 0, IP4_B, LO4, &TCPX, rr);
    addr_6to4("6/6to4-src-127.0.0.1", NULL, 0, LO4, IP4_A, &TCPX, rr);
    addr_4to6("6/4to6-wkp-dst-127.0.0.1", WKP, 0, G4_A, LO4, &UDPX, rr);
}

static void
item7(void)
{
    int lr = NAT64_DROP_LINK_LOCAL4;

    /* Bridge mode (fe80::/96, no TTL decrement): APIPA hosts translate. */
    addr_4to6("7/4to6-bridge-169.254", NULL, 0, LL4_A, LL4_B, &TCPX, -1);
    addr_6to4("7/6to4-bridge-169.254", NULL, 0, LL4_B, LL4_A, &TCPX, -1);
    /* Router mode: RFC 3927 7 forbids forwarding them. */
    addr_4to6("7/4to6-dec-ttl-src-169.254", NULL, 1, LL4_A, IP4_B, &UDPX,
              lr);
    addr_6to4("7/6to4-dec-ttl-dst-169.254", NULL, 1, IP4_B, LL4_A, &UDPX,
              lr);
    addr_4to6("7/4to6-global-prefix-dst-169.254", GPFX, 0, G4_A, LL4_B,
              &TCPX, lr);
    addr_6to4("7/6to4-global-prefix-src-169.254", GPFX, 0, LL4_B, G4_A,
              &TCPX, lr);
    addr_4to6("7/4to6-global-prefix-other", GPFX, 0, G4_A, IP4_B, &TCPX, -1);
}

/* ---- Item 8: the RFC 6052 suffix is ignored. ---- */
static void
item8(void)
{
    static const uint8_t p40[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01 };
    struct nat64_config c;
    uint8_t s6[16], d6[16];

    tc_begin("rfc/8/6to4-prefix40-nonzero-suffix");
    T.dir = NAT64_6TO4;
    nat64_config_set_prefix(&T.cfg, p40, 40);
    c = T.cfg;
    /* RFC 6052 2.2, /40: prefix bytes 0-4, IPv4 bytes 5-7 and 9, u-octet
     * 8, suffix 10-15. */
    memcpy(s6, p40, 16);
    s6[5] = IP4_B[0]; s6[6] = IP4_B[1]; s6[7] = IP4_B[2]; s6[9] = IP4_B[3];
    memcpy(d6, p40, 16);
    d6[5] = IP4_A[0]; d6[6] = IP4_A[1]; d6[7] = IP4_A[2]; d6[9] = IP4_A[3];
    s6[15] = 0x99;
    d6[10] = 0x01;
    b6(&T.in, MAC_A, MAC_B, s6, d6, 0, 64, &UDPX);
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0, 0, &UDPX);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();
    (void) c;
}

/* ---- Item 9: every transport protocol is forwarded. ---- */
static void
item9(void)
{
    static const struct l4s dccp = { .proto = 33, .plen = 28, .seed = 31 };
    static const struct l4s dccp_short = { .proto = 33, .plen = 8,
                                           .seed = 32 };
    static const struct l4s nonext = { .proto = 59, .plen = 16, .seed = 33 };
    static const struct l4s sctp = { .proto = 132, .plen = 40, .seed = 34 };
    static const struct l4s exp253 = { .proto = 253, .plen = 4, .seed = 35 };

    /* DCCP: pseudo-header checksum adjusted (RFC 4340 9.1). */
    addr_4to6("9/4to6-dccp", NULL, 0, IP4_A, IP4_B, &dccp, -1);
    addr_6to4("9/6to4-dccp", NULL, 0, IP4_B, IP4_A, &dccp, -1);
    addr_4to6("9/4to6-dccp-short-dropped", NULL, 0, IP4_A, IP4_B,
              &dccp_short, NAT64_DROP_BAD_L4_HDR);
    /* Others: bytes unchanged. */
    addr_4to6("9/4to6-no-next-header", NULL, 0, IP4_A, IP4_B, &nonext, -1);
    addr_6to4("9/6to4-no-next-header", NULL, 0, IP4_B, IP4_A, &nonext, -1);
    addr_4to6("9/4to6-sctp", NULL, 0, IP4_A, IP4_B, &sctp, -1);
    addr_6to4("9/6to4-sctp", NULL, 0, IP4_B, IP4_A, &sctp, -1);
    addr_4to6("9/4to6-experimental-253", NULL, 0, IP4_A, IP4_B, &exp253,
              -1);
    addr_6to4("9/6to4-experimental-253", NULL, 0, IP4_B, IP4_A, &exp253,
              -1);
}

/* ---- Item 10: RFC 4884 multi-part ICMP. ---- */

/* An ICMP extension structure (RFC 4884 7): version 2 header with its
 * checksum, one MPLS label stack object (RFC 4950: class 1, c-type 1). */
static size_t
ext_struct(uint8_t *e)
{
    uint16_t c;

    memset(e, 0, 12);
    e[0] = 0x20;
    e[4] = 0;
    e[5] = 8;                   /* Object length. */
    e[6] = 1;                   /* Class: MPLS label stack. */
    e[7] = 1;
    e[8] = 0x01;                /* Label 0x01234, TC 0, S 1, TTL 1. */
    e[9] = 0x23;
    e[10] = 0x41;
    e[11] = 0x01;
    c = ck_fold(ck_sum(e, 12, 0));
    e[2] = c >> 8;
    e[3] = c;
    return 12;
}

static void
item10(void)
{
    static struct fb i4, i6;
    static const struct l4s in100 = { .proto = 17, .sport = 33434,
                                      .dport = 33435, .plen = 100,
                                      .seed = 41 };
    static const struct l4s in96 = { .proto = 17, .sport = 33434,
                                     .dport = 33436, .plen = 96,
                                     .seed = 42 };
    static const uint8_t zeros[8];
    uint8_t ext[12];
    size_t elen = ext_struct(ext);
    int i;

    /* 4to6: inner IPv4 of 128 bytes (length attribute 32 words, byte 5)
     * -> inner IPv6 of 148 bytes padded to 152 (19 64-bit words, byte
     * 4), extension unchanged behind it. */
    fb_init(&i4);
    fb_ip4s(&i4, IP4_A, IP4_B, 0, 1, 0x4321, 0);
    put_l4(&i4, &in100);
    fb_finish(&i4);
    fb_init(&i6);
    fb_ip6s(&i6, IP6_A, IP6_B, 0, 1);
    put_l4(&i6, &in100);
    fb_finish(&i6);
    for (i = 0; i < 2; i++) {
        tc_begin("rfc/10/4to6-%s-with-extension",
                 i ? "port-unreachable" : "time-exceeded");
        fb_eth(&T.in, MAC_A, MAC_B, 0x0800);
        fb_ip4s(&T.in, IP4_B, IP4_A, 0, 64, 0x2222, 0);
        fb_icmp(&T.in, i ? 3 : 11, i ? 3 : 0, 32u << 16);
        fb_inner(&T.in, &i4, (size_t) -1);
        fb_data(&T.in, ext, elen);
        fb_finish(&T.in);
        fb_eth(&T.exp, MAC_A, MAC_B, 0x86dd);
        fb_ip6s(&T.exp, IP6_B, IP6_A, 0, 64);
        fb_icmp(&T.exp, i ? 1 : 3, i ? 4 : 0, 19u << 24);
        fb_inner(&T.exp, &i6, (size_t) -1);
        fb_data(&T.exp, zeros, 4);
        fb_data(&T.exp, ext, elen);
        fb_finish(&T.exp);
        T.has_exp = 1;
        tc_run();
    }

    /* 6to4: inner IPv6 of 144 bytes (18 words) -> inner IPv4 of 124
     * bytes padded to the RFC 4884 minimum of 128 (32 words). */
    fb_init(&i6);
    fb_ip6s(&i6, IP6_A, IP6_B, 0, 1);
    put_l4(&i6, &in96);
    fb_finish(&i6);
    fb_init(&i4);
    fb_ip4s(&i4, IP4_A, IP4_B, 0, 1, 0, df_rule(i6.len - 20));
    put_l4(&i4, &in96);
    fb_finish(&i4);
    tc_begin("rfc/10/6to4-time-exceeded-with-extension");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_icmp(&T.in, 3, 0, 18u << 24);
    fb_inner(&T.in, &i6, (size_t) -1);
    fb_data(&T.in, ext, elen);
    fb_finish(&T.in);
    fb_eth(&T.exp, MAC_A, MAC_B, 0x0800);
    fb_ip4s(&T.exp, IP4_B, IP4_A, 0, 64, 0, 0);
    fb_icmp(&T.exp, 11, 0, 32u << 16);
    fb_inner(&T.exp, &i4, (size_t) -1);
    fb_data(&T.exp, zeros, 4);
    fb_data(&T.exp, ext, elen);
    fb_finish(&T.exp);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();

    /* Without a length attribute there is no extension (RFC 4884 5):
     * the inner packet alone, length 0 on both sides. */
    tc_begin("rfc/10/4to6-time-exceeded-without-length");
    fb_eth(&T.in, MAC_A, MAC_B, 0x0800);
    fb_ip4s(&T.in, IP4_B, IP4_A, 0, 64, 0x2222, 0);
    fb_icmp(&T.in, 11, 0, 0);
    fb_inner(&T.in, &i4, (size_t) -1);
    fb_finish(&T.in);
    fb_eth(&T.exp, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.exp, IP6_B, IP6_A, 0, 64);
    fb_icmp(&T.exp, 3, 0, 0);
    fb_inner(&T.exp, &i6, (size_t) -1);
    fb_finish(&T.exp);
    T.has_exp = 1;
    tc_run();
}

/* ---- Item 11: fragmentation threshold. ---- */

/* Emits every fragment of T.in with nat64_fragment_next(): each fragment
 * valid, at most 'limit' L3 bytes, together 'total' upper-layer bytes. */
static void
frag_sizes(const char *name, size_t limit, size_t total)
{
    static uint8_t out[NAT64_REPLY_MAX];
    struct nat64_frag_iter it;
    size_t got = 0, max = 0;
    char why[256] = "";
    int n, k = 0, ok = 1;

    nat64_fragment_start(&it);
    while ((n = nat64_fragment_next(&T.cfg, T.in.b, T.in.len, &it, out,
                                    sizeof out)) > 0) {
        size_t l3 = (size_t) n - 14;

        if (out[12] != 0x86 || out[13] != 0xdd || out[14 + 6] != 44) {
            ok = 0;
            snprintf(why, sizeof why, "fragment %d not IPv6 + Fragment", k);
            break;
        }
        max = l3 > max ? l3 : max;
        got += l3 - 48;
        k++;
    }
    if (ok && (n < 0 || max > limit || got != total || k < 2)) {
        ok = 0;
        snprintf(why, sizeof why, "%d fragments, largest %zu (limit %zu), "
                 "%zu of %zu bytes, end %d", k, max, limit, got, total, n);
    }
    t_result(name, ok, "%s", why);
}

static void
item11(void)
{
    static const struct l4s u1300 = { .proto = 17, .sport = 9, .dport = 9,
                                      .plen = 1252, .seed = 51 };

    /* IPv6 size 40 + 8 + 1252 = 1300: over 1280, under the 1500 MTU. */
    tc_begin("rfc/11/4to6-no-df-over-frag-mtu-fragments");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x777, 0, &u1300);
    T.verdict = NAT64_FRAGMENT;
    tc_run();
    frag_sizes("rfc/11/4to6-fragments-fit-1280", 1280, 8 + 1252);
    tc_begin("rfc/11/4to6-df-under-mtu-whole");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x777, IP4_DF, &u1300);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &u1300);
    T.has_exp = 1;
    tc_run();
    tc_begin("rfc/11/4to6-frag-mtu-0-whole");
    T.cfg.frag_mtu = 0;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x777, 0, &u1300);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &u1300);
    T.has_exp = 1;
    tc_run();
    tc_begin("rfc/11/4to6-frag-mtu-1400");
    T.cfg.frag_mtu = 1400;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x777, 0, &u1300);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &u1300);
    T.has_exp = 1;
    tc_run();
    /* Below the IPv6 minimum MTU counts as 1280 (RFC 8200 5). */
    tc_begin("rfc/11/4to6-frag-mtu-1000-fragments");
    T.cfg.frag_mtu = 1000;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x777, 0, &u1300);
    T.verdict = NAT64_FRAGMENT;
    tc_run();
    frag_sizes("rfc/11/4to6-frag-mtu-1000-fragments-fit-1280", 1280,
               8 + 1252);
    /* The egress MTU still bounds every fragment. */
    tc_begin("rfc/11/4to6-mtu-1100-fragments");
    T.cfg.mtu = 1100;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x777, 0, &u1300);
    T.verdict = NAT64_FRAGMENT;
    tc_run();
    frag_sizes("rfc/11/4to6-mtu-1100-fragments-fit-1100", 1100, 8 + 1252);
}

/* ---- Item 12: own ICMP error source addresses. ---- */
static int
reply_src_check(const struct tc *t, const uint8_t *r, size_t len,
                char *why, size_t ws)
{
    int v6 = t->dir == NAT64_6TO4;
    const uint8_t *want = v6 ? t->cfg.icmp_src6 : t->cfg.icmp_src4;

    if (len < 14 + 28 || memcmp(r + 14 + (v6 ? 8 : 12), want, v6 ? 16 : 4)
        || r[14 + (v6 ? 40 : 20)] != (v6 ? 3 : 11)) {
        snprintf(why, ws, "reply not Time Exceeded from the configured "
                 "source");
        return -1;
    }
    return 0;
}

static void
item12(void)
{
    tc_begin("rfc/12/4to6-time-exceeded-from-icmp-src4");
    T.cfg.dec_ttl = 1;
    T.cfg.has_icmp_src4 = 1;
    memcpy(T.cfg.icmp_src4, G4_B, 4);
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 1, 1, IP4_DF, &TCPX);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TTL_EXPIRED);
    T.reply_check = reply_src_check;
    tc_run();
    tc_begin("rfc/12/6to4-time-exceeded-from-icmp-src6");
    T.dir = NAT64_6TO4;
    T.cfg.dec_ttl = 1;
    T.cfg.has_icmp_src6 = 1;
    memcpy(T.cfg.icmp_src6, ROUTER6, 16);
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 1, &TCPX);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TTL_EXPIRED);
    T.reply_check = reply_src_check;
    tc_run();
    /* Default: from the original destination (reply_generic checks it). */
    tc_begin("rfc/12/6to4-time-exceeded-default-source");
    T.dir = NAT64_6TO4;
    T.cfg.dec_ttl = 1;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 1, &TCPX);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TTL_EXPIRED);
    T.reply_check = reply_generic;
    T.r_type = 3;
    T.r_code = 0;
    T.r_rest = 0;
    tc_run();
}

/* ---- Issue 13 item 8. ---- */
static void
sec8(void)
{
    static const struct l4s raw24 = { .proto = 17, .plen = 16, .seed = 61 };

    /* Offset 8190 * 8 = 65520, 24 bytes: ends at 65544. */
    tc_begin("sec/4to6-fragment-past-65535");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x99, 8190, &raw24);
    T.verdict = NAT64_DROP;
    T.reasons = R(FRAG_PAST_END);
    tc_run();
    /* Offset 8188 * 8 = 65504 + 24 = 65528: legal. */
    tc_begin("sec/4to6-fragment-ending-at-65528");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x99, 8188, &raw24);
    tc_run();
    tc_begin("sec/6to4-fragment-past-65535");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_frag6(&T.in, 8190, 0, 0x99);
    fb_set_next(&T.in, 17);
    fb_fill(&T.in, 24, 3);
    fb_finish(&T.in);
    T.verdict = NAT64_DROP;
    T.reasons = R(FRAG_PAST_END);
    tc_run();

    /* The service host's own address as a tenant's source. */
    tc_begin("sec/4to6-protected-source-tcp");
    nat64_config_add_protected(&T.cfg, IP4_B);
    b4(&T.in, MAC_B, MAC_A, IP4_B, IP4_A, 0, 64, 1, IP4_DF, &TCPX);
    T.verdict = NAT64_DROP;
    T.reasons = R(PROTECTED_SRC);
    tc_run();
    tc_begin("sec/4to6-protected-source-udp-second-entry");
    nat64_config_add_protected(&T.cfg, G4_A);
    nat64_config_add_protected(&T.cfg, IP4_B);
    b4(&T.in, MAC_B, MAC_A, IP4_B, IP4_A, 0, 64, 1, 0, &UDPX);
    T.verdict = NAT64_DROP;
    T.reasons = R(PROTECTED_SRC);
    tc_run();
    tc_begin("sec/4to6-protected-source-icmp-error");
    nat64_config_add_protected(&T.cfg, IP4_B);
    b4(&T.in, MAC_B, MAC_A, IP4_B, IP4_A, 0, 64, 1, 0,
       &(struct l4s) { .proto = 1, .itype4 = 3, .icode = 3, .plen = 28 });
    T.verdict = NAT64_DROP;
    T.reasons = R(PROTECTED_SRC);
    tc_run();
    tc_begin("sec/arp-protected-sender");
    nat64_config_add_protected(&T.cfg, IP4_B);
    fb_eth(&T.in, MAC_BCAST, MAC_A, 0x0806);
    fb_arp(&T.in, 1, MAC_A, IP4_B, MAC_ZERO, IP4_A);
    T.verdict = NAT64_DROP;
    T.reasons = R(PROTECTED_SRC);
    tc_run();
    /* Toward the protected address, and from others: translated. */
    tc_begin("sec/4to6-protected-as-destination");
    nat64_config_add_protected(&T.cfg, IP4_B);
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &TCPX);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &TCPX);
    T.has_exp = 1;
    tc_run();
}

/* ---- Prefixes no translator may use (issue 13 item 7). ---- */
static void
bad_prefixes(void)
{
    static const uint8_t zero[16];
    static const uint8_t mapped[16] = { [10] = 0xff, [11] = 0xff };
    static const uint8_t mc[16] = { 0xff, 0x0e };
    struct nat64_config c;

    nat64_config_init(&c);
    t_result("rfc/prefix/::-96-refused",
             nat64_config_set_prefix(&c, zero, 96) == -1,
             "::/96 (IPv4-compatible) must be refused");
    t_result("rfc/prefix/::ffff:0:0-96-refused",
             nat64_config_set_prefix(&c, mapped, 96) == -1,
             "::ffff:0:0/96 (IPv4-mapped) must be refused");
    t_result("rfc/prefix/multicast-refused",
             nat64_config_set_prefix(&c, mc, 96) == -1,
             "ff0e::/96 must be refused");
    nat64_config_init(&c);
    t_result("rfc/config-defaults",
             c.frag_mtu == 1280 && !c.has_icmp_src4 && !c.has_icmp_src6
             && !c.has_pool6791 && !c.n_protected,
             "frag_mtu 1280 and no optional addresses by default");
}

void
cases_rfc(void)
{
    item1();
    item2();
    item3();
    item4();
    item5();
    item6();
    item7();
    item8();
    item9();
    item10();
    item11();
    item12();
    sec8();
    bad_prefixes();
}
