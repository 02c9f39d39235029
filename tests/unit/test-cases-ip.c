/* SPDX-License-Identifier: Apache-2.0 */
/*
 * test-nat64 cases: API, RFC 6052 address mapping, IPv4 <-> IPv6 headers
 * (RFC 7915 sections 4.1, 4.5, 5.1, 5.1.1, 5.5), multicast and L2
 * framing, MTU handling.
 */
#include "test-nat64.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------------ */
/* API basics.                                                         */

void
cases_api(void)
{
    static const struct { int r; const char *name; } names[] = {
        { NAT64_DROP_NONE, "none" },
        { NAT64_DROP_NO_ROOM, "no-room" },
        { NAT64_DROP_TRUNCATED, "truncated" },
        { NAT64_DROP_NOT_IP, "unsupported-ethertype" },
        { NAT64_DROP_BAD_IP4_HDR, "bad-ipv4-header" },
        { NAT64_DROP_BAD_IP4_LEN, "bad-ipv4-length" },
        { NAT64_DROP_BAD_IP4_CSUM, "bad-ipv4-checksum" },
        { NAT64_DROP_IP4_SRC_ROUTE, "ipv4-source-route" },
        { NAT64_DROP_BAD_IP6_HDR, "bad-ipv6-header" },
        { NAT64_DROP_BAD_IP6_LEN, "bad-ipv6-length" },
        { NAT64_DROP_BAD_EXT_HDR, "bad-ipv6-extension-header" },
        { NAT64_DROP_IP6_ROUTING, "ipv6-routing-segments-left" },
        { NAT64_DROP_UNKNOWN_PROTO, "unsupported-protocol" },
        { NAT64_DROP_SRC_NOT_MAPPED, "source-not-mapped" },
        { NAT64_DROP_DST_NOT_MAPPED, "destination-not-mapped" },
        { NAT64_DROP_MCAST_NOT_MAPPED, "multicast-not-mapped" },
        { NAT64_DROP_TTL_EXPIRED, "ttl-expired" },
        { NAT64_DROP_BAD_L4_HDR, "bad-l4-header" },
        { NAT64_DROP_UDP_ZERO_CSUM_FRAG, "udp-zero-checksum-fragment" },
        { NAT64_DROP_ICMP_TYPE, "untranslatable-icmp-type" },
        { NAT64_DROP_ICMP_INNER, "bad-icmp-inner-packet" },
        { NAT64_DROP_ICMP_NESTED, "nested-icmp-error" },
        { NAT64_DROP_FRAG_ICMP, "fragmented-icmp" },
        { NAT64_DROP_TOO_BIG, "too-big" },
        { NAT64_DROP_BAD_ARP, "bad-arp" },
        { NAT64_DROP_ARP_OP, "unsupported-arp-operation" },
        { NAT64_DROP_BAD_ND, "bad-neighbor-discovery" },
        { NAT64_DROP_ND_OPTION, "unmappable-nd-option" },
        { NAT64_DROP_VLAN, "bad-vlan" },
        { NAT64_DROP_FRAG_EXT, "fragment-header-before-extension" },
        { NAT64_DROP_RESERVED_ADDR, "reserved-address" },
        { NAT64_DROP_NON_GLOBAL, "non-global-address-with-wkp" },
        { NAT64_DROP_LINK_LOCAL4, "ipv4-link-local-routed" },
        { NAT64_DROP_FRAG_PAST_END, "fragment-past-65535" },
        { NAT64_DROP_PROTECTED_SRC, "protected-source-address" },
        { NAT64_DROP_ALG_TOO_BIG, "alg-too-big" },
    };
    struct nat64_config c;
    size_t i;
    int ok = 1;
    static const uint8_t fe80[16] = { 0xfe, 0x80 };

    for (i = 0; i < sizeof names / sizeof names[0]; i++) {
        const char *n = nat64_drop_reason_name(names[i].r);

        if (!n || strcmp(n, names[i].name)) {
            printf("  # reason %d: \"%s\", expected \"%s\"\n", names[i].r,
                   n ? n : "(null)", names[i].name);
            ok = 0;
        }
    }
    ok = ok && sizeof names / sizeof names[0] == NAT64_N_DROP_REASONS
         && !strcmp(nat64_drop_reason_name(NAT64_N_DROP_REASONS),
                    "unknown");
    t_result("api/drop-reason-names", ok, "names differ");

    memset(&c, 0xee, sizeof c);
    nat64_config_init(&c);
    t_result("api/config-defaults",
             !memcmp(c.prefix, fe80, 16) && c.prefix_len == 96
             && !c.dec_ttl && c.mss_clamp && c.mtu == 1500
             && c.n_mcast == NAT64_N_DEFAULT_MCAST
             && c.mcast == nat64_default_mcast,
             "fe80::/96, mtu 1500, dec_ttl 0, mss_clamp on, default "
             "multicast table expected");

    {
        static const struct nat64_mcast_map want[3] = {
            { { 224, 0, 0, 1 }, { 0xff, 0x02, [15] = 0x01 } },
            { { 224, 0, 0, 251 }, { 0xff, 0x02, [15] = 0xfb } },
            { { 239, 255, 255, 250 }, { 0xff, 0x02, [15] = 0x0c } },
        };
        int found = 0, j, k;

        for (j = 0; j < 3; j++) {
            for (k = 0; k < NAT64_N_DEFAULT_MCAST; k++) {
                if (!memcmp(&nat64_default_mcast[k], &want[j],
                            sizeof want[j])) {
                    found++;
                    break;
                }
            }
        }
        t_result("api/default-mcast-table", found == 3,
                 "224.0.0.1/ff02::1, 224.0.0.251/ff02::fb, "
                 "239.255.255.250/ff02::c not all present");
    }
}

/* ------------------------------------------------------------------ */
/* RFC 6052 address mapping.                                           */

static int
parse6(const char *s, uint8_t out[16])
{
    /* Minimal inet_pton for the literals below ("::" and hex groups,
     * optional dotted quad tail), written here to stay libc-light. */
    uint16_t head[8], tail[8];
    int nh = 0, nt = 0, dbl = 0, i;
    const char *p = s;

    memset(out, 0, 16);
    while (*p) {
        if (p[0] == ':' && p[1] == ':') {
            dbl = 1;
            p += 2;
            continue;
        }
        if (*p == ':') {
            p++;
            continue;
        }
        if (strchr(p, '.') && !strchr(p, ':')) {
            unsigned a, b, c, d;

            if (sscanf(p, "%u.%u.%u.%u", &a, &b, &c, &d) != 4) {
                return -1;
            }
            (dbl ? tail : head)[dbl ? nt++ : nh++] = a << 8 | b;
            (dbl ? tail : head)[dbl ? nt++ : nh++] = c << 8 | d;
            break;
        }
        {
            unsigned v = strtoul(p, (char **) &p, 16);

            (dbl ? tail : head)[dbl ? nt++ : nh++] = v;
        }
    }
    for (i = 0; i < nh; i++) {
        out[2 * i] = head[i] >> 8;
        out[2 * i + 1] = head[i];
    }
    for (i = 0; i < nt; i++) {
        out[16 - 2 * (nt - i)] = tail[i] >> 8;
        out[16 - 2 * (nt - i) + 1] = tail[i];
    }
    return 0;
}

static void
addr_case(const char *prefix, unsigned len, const char *v6)
{
    static const uint8_t v4[4] = { 192, 0, 2, 33 };
    struct nat64_config c;
    uint8_t p[16], want[16], got6[16], got4[4];
    int ok;

    parse6(prefix, p);
    parse6(v6, want);
    nat64_config_init(&c);
    ok = !nat64_config_set_prefix(&c, p, len);
    if (ok) {
        nat64_addr_4to6(&c, v4, got6);
        ok = !memcmp(got6, want, 16)
             && !nat64_addr_6to4(&c, want, got4) && !memcmp(got4, v4, 4);
    }
    t_result(T.name, ok, "RFC 6052 2.4: %s/%u + 192.0.2.33 must be %s",
             prefix, len, v6);
}

/* One invalid embedding: 'v6' with byte 'pos' changed must not map. */
static void
addr_bad(const char *name, const char *prefix, unsigned len, int pos)
{
    struct nat64_config c;
    uint8_t p[16], a[16], v4[4] = { 192, 0, 2, 33 }, out[4];

    parse6(prefix, p);
    nat64_config_init(&c);
    nat64_config_set_prefix(&c, p, len);
    nat64_addr_4to6(&c, v4, a);
    a[pos] ^= 0x01;
    t_result(name, nat64_addr_6to4(&c, a, out) == -1,
             "byte %d changed in %s/%u embedding must not map", pos,
             prefix, len);
}

/* A suffix byte 'pos' changed: still maps to 192.0.2.33. */
static void
addr_suffix(const char *name, const char *prefix, unsigned len, int pos)
{
    struct nat64_config c;
    uint8_t p[16], a[16], v4[4] = { 192, 0, 2, 33 }, out[4];

    parse6(prefix, p);
    nat64_config_init(&c);
    nat64_config_set_prefix(&c, p, len);
    nat64_addr_4to6(&c, v4, a);
    a[pos] ^= 0x5a;
    t_result(name, nat64_addr_6to4(&c, a, out) == 0 && !memcmp(out, v4, 4),
             "byte %d changed in the suffix of a %s/%u embedding must "
             "still map to 192.0.2.33", pos, prefix, len);
}

void
cases_addr(void)
{
    static const struct { const char *p; unsigned len; const char *a; }
    rows[] = {
        /* RFC 6052 section 2.4, Table 1. */
        { "2001:db8::", 32, "2001:db8:c000:221::" },
        { "2001:db8:100::", 40, "2001:db8:1c0:2:21::" },
        { "2001:db8:122::", 48, "2001:db8:122:c000:2:2100::" },
        { "2001:db8:122:300::", 56, "2001:db8:122:3c0:0:221::" },
        { "2001:db8:122:344::", 64, "2001:db8:122:344:c0:2:2100:0" },
        { "2001:db8:122:344::", 96, "2001:db8:122:344::192.0.2.33" },
        { "64:ff9b::", 96, "64:ff9b::192.0.2.33" },
    };
    struct nat64_config c;
    uint8_t p[16], a[16], v4[4];
    size_t i;

    for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        tc_begin("addr/rfc6052/%s-%u", rows[i].p, rows[i].len);
        addr_case(rows[i].p, rows[i].len, rows[i].a);
    }
    /* u-octet (bits 64..71) must be zero (RFC 6052 2.2). */
    addr_bad("addr/u-octet/32", "2001:db8::", 32, 8);
    addr_bad("addr/u-octet/40", "2001:db8:100::", 40, 8);
    addr_bad("addr/u-octet/48", "2001:db8:122::", 48, 8);
    addr_bad("addr/u-octet/56", "2001:db8:122:300::", 56, 8);
    addr_bad("addr/u-octet/64", "2001:db8:122:344::", 64, 8);
    /* RFC 6052 2.2: translators SHOULD ignore the suffix. */
    addr_suffix("addr/suffix/32", "2001:db8::", 32, 15);
    addr_suffix("addr/suffix/40", "2001:db8:100::", 40, 10);
    addr_suffix("addr/suffix/48", "2001:db8:122::", 48, 11);
    addr_suffix("addr/suffix/56", "2001:db8:122:300::", 56, 12);
    addr_suffix("addr/suffix/64", "2001:db8:122:344::", 64, 13);
    /* Outside the prefix. */
    addr_bad("addr/outside/32", "2001:db8::", 32, 3);
    addr_bad("addr/outside/96", "64:ff9b::", 96, 11);
    addr_bad("addr/outside/ll96-iid", "fe80::", 96, 8);

    nat64_config_init(&c);
    parse6("2001:db8::", p);
    t_result("addr/set-prefix/bad-lengths",
             nat64_config_set_prefix(&c, p, 0) == -1
             && nat64_config_set_prefix(&c, p, 33) == -1
             && nat64_config_set_prefix(&c, p, 95) == -1
             && nat64_config_set_prefix(&c, p, 128) == -1
             && nat64_config_set_prefix(&c, p, 16) == -1,
             "only 32, 40, 48, 56, 64, 96 are RFC 6052 lengths");
    parse6("2001:db8:1::", p);
    t_result("addr/set-prefix/bits-past-length",
             nat64_config_set_prefix(&c, p, 32) == -1,
             "2001:db8:1::/32 has bits past the length");
    parse6("2001:db8:0:0:ff00::", p);
    t_result("addr/set-prefix/u-octet",
             nat64_config_set_prefix(&c, p, 96) == -1,
             "a /96 prefix with u-octet bits set is invalid");
    parse6("ff0e::", p);
    t_result("addr/set-prefix/multicast",
             nat64_config_set_prefix(&c, p, 96) == -1
             && nat64_config_set_prefix(&c, p, 32) == -1,
             "a multicast prefix would make every address a group");
    parse6("64:ff9b::", p);
    t_result("addr/set-prefix/valid",
             nat64_config_set_prefix(&c, p, 96) == 0 && c.prefix_len == 96
             && !memcmp(c.prefix, p, 16), "64:ff9b::/96 is valid");

    nat64_config_init(&c);
    nat64_addr_4to6(&c, IP4_A, a);
    t_result("addr/link-local-default",
             !memcmp(a, IP6_A, 16) && !nat64_addr_6to4(&c, IP6_B, v4)
             && !memcmp(v4, IP4_B, 4),
             "192.168.0.10 <-> fe80::c0a8:a with the default prefix");
}

/* ------------------------------------------------------------------ */
/* IPv4 -> IPv6 (RFC 7915 4.1, 4.5).                                   */

static const struct l4s TCP1 = { .proto = 6, .sport = 40000, .dport = 80,
                                 .flags = 0x18, .ack = 7, .plen = 100,
                                 .seed = 1 };
static const struct l4s UDP1 = { .proto = 17, .sport = 5353, .dport = 53,
                                 .plen = 33, .seed = 2 };
static const struct l4s ECHO1 = { .proto = 1, .itype4 = 8, .itype6 = 128,
                                  .irest = 0x12340001, .plen = 56,
                                  .seed = 3 };
static const struct l4s ECHOR1 = { .proto = 1, .itype4 = 0, .itype6 = 129,
                                   .irest = 0x12340001, .plen = 56,
                                   .seed = 4 };

/* 4to6 case: IPv4 A -> B with the given header fields, expected IPv6
 * map(A) -> map(B), TC = TOS, hop limit = TTL, no Fragment header. */
static void
simple_4to6(const char *name, const struct l4s *l, uint8_t tos,
            uint8_t ttl, uint16_t frag)
{
    tc_begin("4to6/%s", name);
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, tos, ttl, 0x1234, frag, l);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, tos, ttl, l);
    T.has_exp = 1;
    tc_run();
}

static void
simple_6to4(const char *name, const struct l4s *l, uint8_t tc,
            uint8_t hlim)
{
    tc_begin("6to4/%s", name);
    T.dir = NAT64_6TO4;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, tc, hlim, l);
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, tc, hlim, 0, 0, l);
    {
        size_t ip4len = T.exp.len - 14;
        uint8_t *ip = T.exp.b + 14;

        ip[6] = df_rule(ip4len) >> 8;
        fb_finish(&T.exp);
        if (l->udp_zero) {
            T.exp.b[T.exp.l4 + 6] = T.exp.b[T.exp.l4 + 7] = 0;
        }
    }
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();
}

static void
ip4_options(const char *name, const uint8_t *opt, size_t optlen,
            int drop_src_route)
{
    struct ip4h h = { .tos = 0, .ttl = 64, .id = 0x1234, .frag = IP4_DF,
                      .src = IP4_A, .dst = IP4_B, .opt = opt,
                      .optlen = optlen };

    tc_begin("4to6/options/%s", name);
    fb_eth(&T.in, MAC_B, MAC_A, 0x0800);
    fb_ip4(&T.in, &h);
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    if (drop_src_route) {
        /* RFC 7915 4.1: unexpired source route -> discard, ICMPv4
         * Destination Unreachable / Source Route Failed (3/5). */
        T.verdict = NAT64_REPLY;
        T.reasons = R(IP4_SRC_ROUTE);
        T.reply_check = reply_generic;
        T.r_type = 3;
        T.r_code = 5;
        T.r_rest = 0;
    } else {
        /* Options are ignored and the packet translated normally. */
        b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &UDP1);
        T.has_exp = 1;
    }
    tc_run();
}

static void
frag_4to6(const char *name, const struct l4s *l, size_t off, size_t n,
          int mf)
{
    static struct fb w4, w6;

    /* The whole datagram in both families; the fragment's L4 checksum
     * (first fragment) covers the whole datagram, so its translation
     * must carry the whole IPv6 datagram's checksum. */
    b4(&w4, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0xbeef, 0, l);
    b6(&w6, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, l);
    tc_begin("4to6/fragment/%s", name);
    fb_frag4_of(&T.in, &w4, off, n, mf);
    /* RFC 7915 4.1: Fragment header, ID = IPv4 ID (high 16 bits zero),
     * offset and M copied. */
    fb_frag6_of(&T.exp, &w6, off, n, mf, 0xbeef);
    T.has_exp = 1;
    tc_run();
}

void
cases_ip4to6(void)
{
    static const uint8_t nop_ts[12] = {
        1, 1, 1, 0x44, 8, 5, 0, 0, 0, 0, 0, 0 };  /* NOP*3, timestamp. */
    static const uint8_t rr[8] = { 1, 7, 7, 4, 0, 0, 0, 0 };
    static const uint8_t lsrr_live[12] = { 1, 0x83, 11, 4, 10, 0, 0, 1,
                                           10, 0, 0, 2 };
    static const uint8_t lsrr_done[12] = { 1, 0x83, 11, 12, 10, 0, 0, 1,
                                           10, 0, 0, 2 };
    static const uint8_t ssrr_live[8] = { 0x89, 7, 4, 10, 0, 0, 1, 0 };
    static const uint8_t mss1460[4] = { 2, 4, 0x05, 0xb4 };
    struct l4s l;

    simple_4to6("tcp", &TCP1, 0, 64, IP4_DF);
    simple_4to6("tcp-tos-ttl", &TCP1, 0xb9, 3, IP4_DF);
    simple_4to6("tcp-no-df", &TCP1, 0x10, 200, 0);
    simple_4to6("udp", &UDP1, 0, 64, 0);
    simple_4to6("udp-empty", &(struct l4s) { .proto = 17, .sport = 1,
                                             .dport = 2 }, 0, 64, 0);
    simple_4to6("icmp-echo-request", &ECHO1, 0, 64, 0);
    simple_4to6("icmp-echo-reply", &ECHOR1, 0, 64, IP4_DF);
    simple_4to6("tcp-odd-length", &(struct l4s) { .proto = 6,
                .sport = 1, .dport = 2, .flags = 0x10, .plen = 1,
                .seed = 9 }, 0, 64, IP4_DF);
    /* RFC 7915 4.1: Next Header copied for other protocols (GRE, SCTP),
     * payload unchanged. */
    simple_4to6("gre", &(struct l4s) { .proto = 47, .plen = 40,
                                       .seed = 5 }, 0, 64, 0);
    simple_4to6("sctp", &(struct l4s) { .proto = 132, .plen = 48,
                                        .seed = 6 }, 0, 64, 0);

    /* RFC 7915 4.5: UDP zero checksum of a whole datagram: computed. */
    tc_begin("4to6/udp-zero-checksum");
    l = UDP1;
    l.udp_zero = 1;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, 0, &l);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &UDP1);
    T.has_exp = 1;
    tc_run();

    /* ... of a first fragment: dropped (stateless translator, 4.5). */
    {
        static struct fb w4;

        tc_begin("4to6/udp-zero-checksum-fragment");
        l.plen = 200;
        b4(&w4, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 7, 0, &l);
        fb_frag4_of(&T.in, &w4, 0, 104, 1);
        T.in.b[T.in.l4 + 6] = T.in.b[T.in.l4 + 7] = 0;
        T.verdict = NAT64_DROP;
        T.reasons = R(UDP_ZERO_CSUM_FRAG);
        tc_run();
    }

    /* Options: ignored (removed) unless an unexpired source route. */
    ip4_options("nop-timestamp", nop_ts, 12, 0);
    ip4_options("record-route", rr, 8, 0);
    ip4_options("lsrr-expired", lsrr_done, 12, 0);
    ip4_options("lsrr-unexpired", lsrr_live, 12, 1);
    ip4_options("ssrr-unexpired", ssrr_live, 8, 1);

    /* Fragments <-> Fragment header. */
    l = UDP1;
    l.plen = 400;
    frag_4to6("udp-first", &l, 0, 200, 1);
    frag_4to6("udp-middle", &l, 200, 104, 1);
    frag_4to6("udp-last", &l, 304, 104, 0);
    l = TCP1;
    l.plen = 600;
    frag_4to6("tcp-first", &l, 0, 304, 1);
    frag_4to6("tcp-last", &l, 304, 316, 0);

    /* Fragmented ICMP is not translated (RFC 7915 4.1, 5.1). */
    {
        static struct fb w4;

        tc_begin("4to6/fragment/icmp");
        l = ECHO1;
        l.plen = 300;
        b4(&w4, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 9, 0, &l);
        fb_frag4_of(&T.in, &w4, 0, 160, 1);
        T.verdict = NAT64_DROP;
        T.reasons = R(FRAG_ICMP);
        tc_run();
    }

    /* IGMP: single-hop, silently dropped (RFC 7915 4.2). */
    tc_begin("4to6/igmp-dropped");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 1, 1, 0,
       &(struct l4s) { .proto = 2, .plen = 8, .seed = 1 });
    T.verdict = NAT64_DROP;
    T.reasons = R(UNKNOWN_PROTO);
    tc_run();

    /* TTL: copied in bridge mode; router mode decrements and answers
     * Time Exceeded when it hits zero (RFC 7915 4.1, Hop Limit). */
    tc_begin("4to6/dec-ttl");
    T.cfg.dec_ttl = 1;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &TCP1);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 63, &TCP1);
    T.has_exp = 1;
    tc_run();
    tc_begin("4to6/dec-ttl-expired");
    T.cfg.dec_ttl = 1;
    T.variant = 1;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 1, 1, IP4_DF, &TCP1);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TTL_EXPIRED);
    T.reply_check = reply_generic;
    T.r_type = 11;
    T.r_code = 0;
    T.r_rest = 0;
    tc_run();
    simple_4to6("ttl-1-bridge", &TCP1, 0, 1, IP4_DF);

    /* Header checksum. */
    tc_begin("4to6/bad-header-checksum");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &TCP1);
    T.in.b[14 + 10] ^= 0x40;
    T.verdict = NAT64_DROP;
    T.reasons = R(BAD_IP4_CSUM);
    tc_run();

    /* Source addresses that have no IPv6 unicast equivalent. */
    {
        static const uint8_t mc[4] = { 224, 0, 0, 251 };
        static const uint8_t bc[4] = { 255, 255, 255, 255 };

        tc_begin("4to6/src-multicast");
        b4(&T.in, MAC_B, MAC_A, mc, IP4_B, 0, 64, 1, 0, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(SRC_NOT_MAPPED);
        tc_run();
        tc_begin("4to6/src-broadcast");
        b4(&T.in, MAC_B, MAC_A, bc, IP4_B, 0, 64, 1, 0, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(SRC_NOT_MAPPED);
        tc_run();
    }

    /* MSS clamping (RFC 879/6691: MSS = MTU - IP header - 20). */
    l = TCP1;
    l.flags = 0x02;
    l.plen = 0;
    l.topt = mss1460;
    l.toptlen = 4;
    tc_begin("4to6/mss-clamp-syn");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &l);
    {
        static const uint8_t mss1440[4] = { 2, 4, 0x05, 0xa0 };
        struct l4s m = l;

        m.topt = mss1440;
        b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &m);
    }
    T.has_exp = 1;
    tc_run();
    tc_begin("4to6/mss-clamp-synack-mtu1400");
    T.cfg.mtu = 1400;
    T.variant = 2;
    l.flags = 0x12;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &l);
    {
        static const uint8_t mss1340[4] = { 2, 4, 0x05, 0x3c };
        struct l4s m = l;

        m.topt = mss1340;
        b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &m);
    }
    T.has_exp = 1;
    tc_run();
    tc_begin("4to6/mss-clamp-off");
    T.cfg.mss_clamp = 0;
    T.variant = 3;
    l.flags = 0x02;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &l);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &l);
    T.has_exp = 1;
    tc_run();
    {
        static const uint8_t mss1200[8] = { 1, 1, 4, 2, 2, 4, 0x04, 0xb0 };

        l.topt = mss1200;
        l.toptlen = 8;
        simple_4to6("mss-below-limit-kept", &l, 0, 64, IP4_DF);
        l.topt = mss1460;
        l.toptlen = 4;
        l.flags = 0x10;
        simple_4to6("mss-not-syn-kept", &l, 0, 64, IP4_DF);
    }

    /* Global prefix (RFC 6052 /96 well-known prefix, and /40). */
    {
        static const uint8_t wkp[16] = { 0, 0x64, 0xff, 0x9b };
        static const uint8_t p40[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01 };
        uint8_t s6[16], d6[16];

        /* RFC 6052 3.1: global IPv4 addresses only with the WKP. */
        static const uint8_t g1[4] = { 1, 2, 3, 4 }, g2[4] = { 5, 6, 7, 8 };

        tc_begin("4to6/prefix-64:ff9b::/96");
        nat64_config_set_prefix(&T.cfg, wkp, 96);
        T.variant = 4;
        nat64_addr_4to6(&T.cfg, g1, s6);
        nat64_addr_4to6(&T.cfg, g2, d6);
        b4(&T.in, MAC_B, MAC_A, g1, g2, 0, 64, 1, IP4_DF, &TCP1);
        b6(&T.exp, MAC_B, MAC_A, s6, d6, 0, 64, &TCP1);
        T.has_exp = 1;
        tc_run();
        tc_begin("4to6/prefix-2001:db8:100::/40");
        nat64_config_set_prefix(&T.cfg, p40, 40);
        T.variant = 5;
        nat64_addr_4to6(&T.cfg, IP4_A, s6);
        nat64_addr_4to6(&T.cfg, IP4_B, d6);
        b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, 0, &UDP1);
        b6(&T.exp, MAC_B, MAC_A, s6, d6, 0, 64, &UDP1);
        T.has_exp = 1;
        tc_run();
    }
}

/* ------------------------------------------------------------------ */
/* IPv6 -> IPv4 (RFC 7915 5.1, 5.1.1).                                 */

/* 6to4 case with extension headers: 'ext' is a string of header kinds
 * ('h' hop-by-hop, 'd' destination options, 'r' routing SL=0). */
static void
ext_6to4(const char *name, const char *ext, const struct l4s *l)
{
    const char *e;

    tc_begin("6to4/ext/%s", name);
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    for (e = ext; *e; e++) {
        switch (*e) {
        case 'h': fb_ext(&T.in, 0, 8); break;
        case 'H': fb_ext(&T.in, 0, 24); break;
        case 'd': fb_ext(&T.in, 60, 16); break;
        case 'r': fb_rh(&T.in, 0, 1); break;
        }
    }
    put_l4(&T.in, l);
    fb_finish(&T.in);
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0, 0, l);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();
}

/* RFC 7915 5.1 leaves the id of a non-fragment to a generator at the
 * translator.  Ours (lib/nat64/README.md, "Choices"): for TCP, UDP and
 * ICMP the upper-layer checksum as received at 'csum_ofs' of the L4
 * header, a value this test computed itself (RFC 1071) when it built the
 * input.  Other protocols (csum_ofs < 0) get an unspecified generator
 * value: the frame is compared with the id masked, and id_6to4_spread()
 * checks what a generator must give.  DF, set above 1260 bytes, does not
 * change the id. */
static void
id_6to4(const char *name, const struct l4s *l, int csum_ofs)
{
    const uint8_t *l4;
    uint32_t ulen;
    uint16_t id = 0;

    tc_begin("6to4/id/%s", name);
    T.dir = NAT64_6TO4;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, l);
    l4 = T.in.b + T.in.l4;
    ulen = T.in.len - T.in.l4;
    if (csum_ofs >= 0) {
        id = l4[csum_ofs] << 8 | l4[csum_ofs + 1];
    } else {
        T.mask_id = 1;
    }
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, id, df_rule(20 + ulen), l);
    T.has_exp = 1;
    tc_run();
}

/* Packets of one flow that differ in content must not share ids, or the
 * reassembly of fragments made downstream of us could mix them (RFC 6864
 * 4.1): SPREAD_N GRE packets with different payloads get at least
 * SPREAD_N - 1 distinct ids (one collision allowed: 16 bits). */
#define SPREAD_N 32
#define SPREAD_ID_OFS (14 + 4)      /* Ethernet + IPv4 version..length. */
static void
id_6to4_spread(void)
{
    static struct xres r;
    struct nat64_config cfg;
    uint16_t ids[SPREAD_N];
    struct fb in;
    int i, j, distinct = 0;

    nat64_config_init(&cfg);
    for (i = 0; i < SPREAD_N; i++) {
        struct l4s l = { .proto = 47, .plen = 40, .seed = 100 + i };

        b6(&in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, &l);
        xlate(&cfg, NAT64_6TO4, in.b, in.len, NAT64_HEADROOM, 0, 0, &r);
        if (r.r.verdict != NAT64_OK || r.out_len < SPREAD_ID_OFS + 2) {
            t_fail("6to4/id/gre-spread", "packet %d not translated", i);
            return;
        }
        ids[i] = r.out[SPREAD_ID_OFS] << 8 | r.out[SPREAD_ID_OFS + 1];
        for (j = 0; j < i && ids[j] != ids[i]; j++) {
            continue;
        }
        distinct += j == i;
    }
    t_result("6to4/id/gre-spread", distinct >= SPREAD_N - 1,
             "%d distinct ids among %d packets", distinct, SPREAD_N);
}

static void
frag_6to4(const char *name, const struct l4s *l, size_t off, size_t n,
          int m, uint32_t id)
{
    static struct fb w4, w6;

    b6(&w6, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, l);
    b4(&w4, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, id & 0xffff, 0, l);
    tc_begin("6to4/fragment/%s", name);
    T.dir = NAT64_6TO4;
    fb_frag6_of(&T.in, &w6, off, n, m, id);
    /* RFC 7915 5.1.1: ID = low 16 bits, MF = M, DF = 0, offset copied;
     * the first fragment's checksum is adjusted for the pseudo-header. */
    fb_frag4_of(&T.exp, &w4, off, n, m);
    T.has_exp = 1;
    tc_run();
}

void
cases_ip6to4(void)
{
    struct l4s l;
    int i;

    simple_6to4("tcp", &TCP1, 0, 64);
    simple_6to4("tcp-tc-hlim", &TCP1, 0xb9, 7);
    simple_6to4("udp", &UDP1, 0, 64);
    simple_6to4("icmp-echo-request", &ECHO1, 0, 64);
    simple_6to4("icmp-echo-reply", &ECHOR1, 0, 64);
    simple_6to4("gre", &(struct l4s) { .proto = 47, .plen = 40,
                                       .seed = 5 }, 0, 64);
    /* Flow label is dropped (RFC 7915 5.1 has no IPv4 field for it). */
    tc_begin("6to4/flow-label-ignored");
    T.dir = NAT64_6TO4;
    {
        struct ip6h h = { .tc = 0, .hlim = 64, .flow = 0xabcde,
                          .src = IP6_B, .dst = IP6_A };

        fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
        fb_ip6(&T.in, &h);
        put_l4(&T.in, &UDP1);
        fb_finish(&T.in);
    }
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0, 0, &UDP1);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();

    /* DF: zero up to 1260 bytes, one above (RFC 7915 5.1). */
    l = UDP1;
    l.plen = 1260 - 28;
    simple_6to4("df-1260-clear", &l, 0, 64);
    l.plen = 1261 - 28;
    simple_6to4("df-1261-set", &l, 0, 64);
    l = TCP1;
    l.plen = 1400;
    simple_6to4("df-1440-set", &l, 0, 64);

    id_6to4("tcp", &TCP1, 16);
    l = TCP1;
    l.seed++;
    id_6to4("tcp-other-payload", &l, 16);
    l.plen = 1400;
    id_6to4("tcp-df", &l, 16);
    id_6to4("udp", &UDP1, 6);
    id_6to4("icmp-echo", &ECHO1, 2);
    id_6to4("gre", &(struct l4s) { .proto = 47, .plen = 40, .seed = 5 }, -1);
    id_6to4("gre-df", &(struct l4s) { .proto = 47, .plen = 1300,
                                      .seed = 6 }, -1);
    id_6to4("gre-short", &(struct l4s) { .proto = 47, .plen = 6,
                                         .seed = 7 }, -1);
    id_6to4_spread();

    /* Extension headers skipped (RFC 7915 5.1, Protocol). */
    ext_6to4("hop-by-hop", "h", &TCP1);
    ext_6to4("hop-by-hop-24", "H", &UDP1);
    ext_6to4("dest-options", "d", &UDP1);
    ext_6to4("routing-sl0", "r", &TCP1);
    ext_6to4("hbh-dst-rh-dst", "hdrd", &ECHO1);

    /* Routing header with segments left: param problem pointing at
     * Segments Left (RFC 7915 5.1). */
    tc_begin("6to4/ext/routing-segments-left");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_rh(&T.in, 1, 1);
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    T.verdict = NAT64_REPLY;
    T.reasons = R(IP6_ROUTING);
    T.reply_check = reply_generic;
    T.r_type = 4;
    T.r_code = 0;
    T.r_rest = 43;
    tc_run();
    tc_begin("6to4/ext/routing-segments-left-after-hbh");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_ext(&T.in, 0, 8);
    fb_rh(&T.in, 2, 2);
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    T.verdict = NAT64_REPLY;
    T.reasons = R(IP6_ROUTING);
    T.reply_check = reply_generic;
    T.r_type = 4;
    T.r_code = 0;
    T.r_rest = 51;
    tc_run();

    /* Too many extension headers (a chain that never ends). */
    tc_begin("6to4/ext/too-many");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_ext(&T.in, 0, 8);
    for (i = 0; i < 60; i++) {
        fb_ext(&T.in, 60, 8);
    }
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    T.verdict = NAT64_DROP;
    T.reasons = R(BAD_EXT_HDR);
    tc_run();
    /* Hop-by-hop only right after the IPv6 header (RFC 8200 4.1). */
    tc_begin("6to4/ext/hop-by-hop-not-first");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_ext(&T.in, 60, 8);
    fb_ext(&T.in, 0, 8);
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    T.verdict = NAT64_DROP;
    T.reasons = R(BAD_EXT_HDR);
    tc_run();
    /* Extension header running past the payload. */
    tc_begin("6to4/ext/past-payload");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_ext(&T.in, 60, 8);
    T.in.b[T.in.len - 7] = 200;
    fb_set_next(&T.in, 17);
    fb_finish(&T.in);
    T.verdict = NAT64_DROP;
    T.reasons = R(BAD_EXT_HDR) | R(TRUNCATED) | R(BAD_IP6_LEN);
    tc_run();

    /* Fragment header -> IPv4 fragment fields. */
    l = UDP1;
    l.plen = 400;
    frag_6to4("udp-first", &l, 0, 200, 1, 0x0001cafe);
    frag_6to4("udp-middle", &l, 200, 104, 1, 0x0001cafe);
    frag_6to4("udp-last", &l, 304, 104, 0, 0xcafe);
    l = TCP1;
    l.plen = 500;
    frag_6to4("tcp-first", &l, 0, 256, 1, 77);
    /* Atomic fragment (offset 0, M 0): still a Fragment header, so ID
     * from it and DF 0 (RFC 7915 5.1.1); the datagram is whole, so its
     * checksum is adjusted like any other. */
    tc_begin("6to4/fragment/atomic");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    fb_frag6(&T.in, 0, 0, 0x12345678);
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0x5678, 0, &UDP1);
    T.has_exp = 1;
    tc_run();
    {
        static struct fb w6;

        tc_begin("6to4/fragment/icmp");
        T.dir = NAT64_6TO4;
        l = ECHO1;
        l.plen = 300;
        b6(&w6, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, &l);
        fb_frag6_of(&T.in, &w6, 0, 160, 1, 5);
        T.verdict = NAT64_DROP;
        T.reasons = R(FRAG_ICMP);
        tc_run();
    }

    /* Addresses outside the prefix, multicast sources. */
    {
        static const uint8_t glob[16] = { 0x20, 0x01, 0x0d, 0xb8,
                                          [15] = 1 };
        static const uint8_t ll_iid[16] = { 0xfe, 0x80, [11] = 1,
                                            192, 168, 0, 10 };
        static const uint8_t mc[16] = { 0xff, 0x02, [15] = 1 };

        tc_begin("6to4/src-not-mapped");
        T.dir = NAT64_6TO4;
        b6(&T.in, MAC_A, MAC_B, glob, IP6_A, 0, 64, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(SRC_NOT_MAPPED);
        tc_run();
        tc_begin("6to4/src-link-local-eui64");
        T.dir = NAT64_6TO4;
        b6(&T.in, MAC_A, MAC_B, ll_iid, IP6_A, 0, 64, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(SRC_NOT_MAPPED);
        tc_run();
        tc_begin("6to4/src-multicast");
        T.dir = NAT64_6TO4;
        b6(&T.in, MAC_A, MAC_B, mc, IP6_A, 0, 64, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(SRC_NOT_MAPPED);
        tc_run();
        tc_begin("6to4/dst-not-mapped");
        T.dir = NAT64_6TO4;
        b6(&T.in, MAC_A, MAC_B, IP6_B, ll_iid, 0, 64, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(DST_NOT_MAPPED);
        tc_run();
    }

    /* Router mode. */
    tc_begin("6to4/dec-ttl");
    T.dir = NAT64_6TO4;
    T.cfg.dec_ttl = 1;
    T.variant = 1;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 9, &UDP1);
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 8, 0, 0, &UDP1);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();
    tc_begin("6to4/dec-ttl-expired");
    T.dir = NAT64_6TO4;
    T.cfg.dec_ttl = 1;
    T.variant = 1;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 1, &UDP1);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TTL_EXPIRED);
    T.reply_check = reply_generic;
    T.r_type = 3;
    T.r_code = 0;
    T.r_rest = 0;
    tc_run();

    /* MSS clamping toward IPv4 (MTU - 40). */
    {
        static const uint8_t mss1440[4] = { 2, 4, 0x05, 0xa0 };
        static const uint8_t mss1360[4] = { 2, 4, 0x05, 0x50 };
        struct l4s m;

        l = TCP1;
        l.flags = 0x02;
        l.plen = 0;
        l.topt = mss1440;
        l.toptlen = 4;
        simple_6to4("mss-1440-fits-1500", &l, 0, 64);
        tc_begin("6to4/mss-clamp-mtu1400");
        T.dir = NAT64_6TO4;
        T.cfg.mtu = 1400;
        T.variant = 2;
        b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, &l);
        m = l;
        m.topt = mss1360;
        b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0, 0, &m);
        T.has_exp = 1;
        T.mask_id = 1;
        tc_run();
    }
}

/* ------------------------------------------------------------------ */
/* Multicast, broadcast, VLAN, padding, ethertypes, headroom.          */

static void
mcast_4to6(const char *name, const uint8_t g4[4], const uint8_t *dmac4,
           const uint8_t g6[16], int drop)
{
    uint8_t m4[6], m6[6];

    mac_mcast4(g4, m4);
    mac_mcast6(g6, m6);
    tc_begin("mcast/4to6/%s", name);
    b4(&T.in, dmac4 ? dmac4 : m4, MAC_A, IP4_A, g4, 0, 1, 1, 0, &UDP1);
    if (drop) {
        T.verdict = NAT64_DROP;
        T.reasons = R(MCAST_NOT_MAPPED);
    } else {
        /* Destination MAC per RFC 2464 section 7. */
        b6(&T.exp, m6, MAC_A, IP6_A, g6, 0, 1, &UDP1);
        T.has_exp = 1;
    }
    tc_run();
}

static void
mcast_6to4(const char *name, const uint8_t g6[16], const uint8_t g4[4],
           int drop)
{
    uint8_t m4[6], m6[6];

    mac_mcast6(g6, m6);
    tc_begin("mcast/6to4/%s", name);
    T.dir = NAT64_6TO4;
    b6(&T.in, m6, MAC_A, IP6_A, g6, 0, 1, &UDP1);
    if (drop) {
        T.verdict = NAT64_DROP;
        T.reasons = R(MCAST_NOT_MAPPED);
    } else {
        /* Destination MAC per RFC 1112 section 6.4. */
        mac_mcast4(g4, m4);
        b4(&T.exp, m4, MAC_A, IP4_A, g4, 0, 1, 0, 0, &UDP1);
        T.has_exp = 1;
        T.mask_id = 1;
    }
    tc_run();
}

void
cases_mcast_l2(void)
{
    static const uint8_t g1[4] = { 224, 0, 0, 1 };
    static const uint8_t g251[4] = { 224, 0, 0, 251 };
    static const uint8_t gssdp[4] = { 239, 255, 255, 250 };
    static const uint8_t g2[4] = { 224, 0, 0, 2 };
    static const uint8_t g9[4] = { 224, 0, 0, 9 };
    static const uint8_t bcast[4] = { 255, 255, 255, 255 };
    static const uint8_t sbcast[4] = { 192, 168, 0, 255 };
    static const uint8_t a1[16] = { 0xff, 0x02, [15] = 1 };
    static const uint8_t afb[16] = { 0xff, 0x02, [15] = 0xfb };
    static const uint8_t ac[16] = { 0xff, 0x02, [15] = 0x0c };
    static const uint8_t a2[16] = { 0xff, 0x02, [15] = 2 };
    static const uint8_t a9[16] = { 0xff, 0x02, [15] = 9 };
    static const uint8_t site_fb[16] = { 0xff, 0x05, [15] = 0xfb };
    static struct nat64_mcast_map rip[1];

    mcast_4to6("224.0.0.1", g1, NULL, a1, 0);
    mcast_4to6("224.0.0.251", g251, NULL, afb, 0);
    mcast_4to6("239.255.255.250", gssdp, NULL, ac, 0);
    mcast_4to6("broadcast", bcast, MAC_BCAST, a1, 0);
    mcast_4to6("subnet-broadcast", sbcast, MAC_BCAST, a1, 0);
    mcast_4to6("unmapped-224.0.0.2", g2, NULL, a2, 1);
    mcast_6to4("ff02::1", a1, g1, 0);
    mcast_6to4("ff02::fb", afb, g251, 0);
    mcast_6to4("ff02::c", ac, gssdp, 0);
    mcast_6to4("unmapped-ff02::2", a2, NULL, 1);
    mcast_6to4("unmapped-ff05::fb", site_fb, NULL, 1);

    /* A custom table replaces the default one. */
    memcpy(rip[0].ip4, g9, 4);
    memcpy(rip[0].ip6, a9, 16);
    {
        uint8_t m4[6], m6[6];

        mac_mcast4(g9, m4);
        mac_mcast6(a9, m6);
        tc_begin("mcast/custom-table/4to6");
        T.cfg.mcast = rip;
        T.cfg.n_mcast = 1;
        T.variant = 6;
        b4(&T.in, m4, MAC_A, IP4_A, g9, 0, 1, 1, 0, &UDP1);
        b6(&T.exp, m6, MAC_A, IP6_A, a9, 0, 1, &UDP1);
        T.has_exp = 1;
        tc_run();
        tc_begin("mcast/custom-table/6to4-default-gone");
        T.dir = NAT64_6TO4;
        T.cfg.mcast = rip;
        T.cfg.n_mcast = 1;
        T.variant = 6;
        mac_mcast6(afb, m6);
        b6(&T.in, m6, MAC_A, IP6_A, afb, 0, 1, &UDP1);
        T.verdict = NAT64_DROP;
        T.reasons = R(MCAST_NOT_MAPPED);
        tc_run();
    }

    /* 802.1Q tag kept, ethertype behind it changed. */
    tc_begin("l2/vlan/4to6");
    fb_eth_vlan(&T.in, MAC_B, MAC_A, 0x2064, 0x0800);
    fb_ip4s(&T.in, IP4_A, IP4_B, 0, 64, 1, IP4_DF);
    put_l4(&T.in, &TCP1);
    fb_finish(&T.in);
    fb_eth_vlan(&T.exp, MAC_B, MAC_A, 0x2064, 0x86dd);
    fb_ip6s(&T.exp, IP6_A, IP6_B, 0, 64);
    put_l4(&T.exp, &TCP1);
    fb_finish(&T.exp);
    T.has_exp = 1;
    tc_run();
    tc_begin("l2/vlan/6to4");
    T.dir = NAT64_6TO4;
    fb_eth_vlan(&T.in, MAC_A, MAC_B, 0x0fff, 0x86dd);
    fb_ip6s(&T.in, IP6_B, IP6_A, 0, 64);
    put_l4(&T.in, &UDP1);
    fb_finish(&T.in);
    fb_eth_vlan(&T.exp, MAC_A, MAC_B, 0x0fff, 0x0800);
    fb_ip4s(&T.exp, IP4_B, IP4_A, 0, 64, 0, 0);
    put_l4(&T.exp, &UDP1);
    fb_finish(&T.exp);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();

    /* Ethernet padding trimmed. */
    tc_begin("l2/padding/4to6");
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, 0,
       &(struct l4s) { .proto = 17, .sport = 7, .dport = 7, .plen = 2 });
    fb_fill(&T.in, 60 - T.in.len, 99);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64,
       &(struct l4s) { .proto = 17, .sport = 7, .dport = 7, .plen = 2 });
    T.has_exp = 1;
    tc_run();
    tc_begin("l2/padding/6to4");
    T.dir = NAT64_6TO4;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, &UDP1);
    fb_fill(&T.in, 6, 98);
    b4(&T.exp, MAC_A, MAC_B, IP4_B, IP4_A, 0, 64, 0, 0, &UDP1);
    T.has_exp = 1;
    T.mask_id = 1;
    tc_run();

    /* Ethertypes each direction does not take. */
    tc_begin("l2/ethertype/4to6-lldp");
    fb_eth(&T.in, MAC_B, MAC_A, 0x88cc);
    fb_fill(&T.in, 46, 1);
    T.verdict = NAT64_DROP;
    T.reasons = R(NOT_IP);
    tc_run();
    tc_begin("l2/ethertype/4to6-ipv6");
    b6(&T.in, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &UDP1);
    T.verdict = NAT64_DROP;
    T.reasons = R(NOT_IP);
    tc_run();
    tc_begin("l2/ethertype/6to4-ipv4");
    T.dir = NAT64_6TO4;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, 0, &UDP1);
    T.verdict = NAT64_DROP;
    T.reasons = R(NOT_IP);
    tc_run();
    tc_begin("l2/ethertype/6to4-arp");
    T.dir = NAT64_6TO4;
    fb_eth(&T.in, MAC_BCAST, MAC_A, 0x0806);
    fb_arp(&T.in, 1, MAC_A, IP4_A, MAC_ZERO, IP4_B);
    T.verdict = NAT64_DROP;
    T.reasons = R(NOT_IP);
    tc_run();
    tc_begin("l2/vlan/double-tag");
    fb_eth_vlan(&T.in, MAC_B, MAC_A, 5, 0x8100);
    fb_u16(&T.in, 6);
    fb_u16(&T.in, 0x0800);
    fb_ip4s(&T.in, IP4_A, IP4_B, 0, 64, 1, IP4_DF);
    put_l4(&T.in, &TCP1);
    fb_finish(&T.in);
    T.verdict = NAT64_DROP;
    T.reasons = R(VLAN) | R(NOT_IP);
    tc_run();

    /* Headroom: exactly enough / none. */
    {
        struct nat64_config c;
        static struct xres x;
        static struct fb f;

        nat64_config_init(&c);
        b4(&f, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &TCP1);
        xlate(&c, NAT64_4TO6, f.b, f.len, 0, 0, 1, &x);
        t_result("l2/headroom/none-no-room",
                 x.r.verdict == NAT64_DROP
                 && x.r.reason == NAT64_DROP_NO_ROOM,
                 "20 more bytes and no room: %d %s", x.r.verdict,
                 nat64_drop_reason_name(x.r.reason));
        xlate(&c, NAT64_4TO6, f.b, f.len, 19, 0, 1, &x);
        t_result("l2/headroom/19-no-room",
                 x.r.verdict == NAT64_DROP
                 && x.r.reason == NAT64_DROP_NO_ROOM,
                 "20 more bytes and 19 of room: %d %s", x.r.verdict,
                 nat64_drop_reason_name(x.r.reason));
        xlate(&c, NAT64_4TO6, f.b, f.len, NAT64_HEADROOM, 0, 1, &x);
        t_result("l2/headroom/declared-ok",
                 x.r.verdict == NAT64_OK && x.layout_ok,
                 "NAT64_HEADROOM must suffice");
    }
}

/* ------------------------------------------------------------------ */
/* MTU: fragmentation of non-DF IPv4, Fragmentation Needed for DF.     */

/* Translates the non-DF IPv4 frame in T.in expecting NAT64_FRAGMENT, then
 * checks every fragment from nat64_fragment_next() and that their
 * reassembly is 'whole6' (the translation of the whole packet). */
static void
frag_run(const struct fb *whole6, uint32_t id, size_t base_off,
         int last_m)
{
    static struct xres x;
    static uint8_t re[FB_MAX];
    uint8_t *out = malloc(NAT64_REPLY_MAX);
    struct nat64_frag_iter it;
    size_t total = whole6->len - whole6->l4, got = 0, mtu = T.cfg.mtu;
    int n, nfrag = 0, ok = 1;
    char why[256] = "";

    corpus_add(T.dir, T.variant, T.in.b, T.in.len);
    xlate(&T.cfg, T.dir, T.in.b, T.in.len, NAT64_HEADROOM, 0, 1, &x);
    if (x.r.verdict != NAT64_FRAGMENT || !x.layout_ok) {
        snprintf(why, sizeof why, "verdict %d (%s), expected FRAGMENT "
                 "with the packet untouched", x.r.verdict,
                 nat64_drop_reason_name(x.r.reason));
        ok = 0;
    }
    nat64_fragment_start(&it);
    while (ok && (n = nat64_fragment_next(&T.cfg, T.in.b, T.in.len, &it,
                                          out, NAT64_REPLY_MAX)) > 0) {
        const uint8_t *ip = out + 14, *fh = ip + 40;
        size_t plen = ip[4] << 8 | ip[5], off, flen;
        int m;
        uint32_t fid;

        nfrag++;
        if (n < 14 + 48 || (size_t) n != 14 + 40 + plen || plen < 8
            || n - 14 > mtu || memcmp(out, whole6->b, 12)
            || out[12] != 0x86 || out[13] != 0xdd || ip[6] != 44
            || memcmp(ip, whole6->b + 14, 4) || ip[7] != whole6->b[14 + 7]
            || memcmp(ip + 8, whole6->b + 14 + 8, 32)) {
            snprintf(why, sizeof why, "fragment %d: bad Ethernet/IPv6 "
                     "header or size %d > mtu %zu", nfrag, n, mtu);
            ok = 0;
            break;
        }
        off = (fh[2] << 8 | fh[3]) & 0xfff8;
        m = fh[3] & 1;
        fid = (uint32_t) fh[4] << 24 | fh[5] << 16 | fh[6] << 8 | fh[7];
        flen = plen - 8;
        if (fh[0] != whole6->proto || fid != id || off < base_off
            || off - base_off != got || (m && flen % 8)
            || got + flen > total) {
            snprintf(why, sizeof why, "fragment %d: next header %u id %x "
                     "offset %zu (expected %zu) M %d length %zu", nfrag,
                     fh[0], fid, off, base_off + got, m, flen);
            ok = 0;
            break;
        }
        memcpy(re + got, fh + 8, flen);
        got += flen;
        if (got == total && m != last_m) {
            snprintf(why, sizeof why, "last fragment M=%d, expected %d", m,
                     last_m);
            ok = 0;
        } else if (got < total && !m) {
            snprintf(why, sizeof why, "M=0 before the end");
            ok = 0;
        }
    }
    if (ok && (got != total || nfrag < 2)) {
        snprintf(why, sizeof why, "reassembled %zu of %zu bytes in %d "
                 "fragments", got, total, nfrag);
        ok = 0;
    }
    if (ok && memcmp(re, whole6->b + whole6->l4, total)) {
        snprintf(why, sizeof why, "reassembled payload differs from the "
                 "translated packet (L4 checksum?)");
        ok = 0;
    }
    free(out);
    t_result(T.name, ok, "%s", why);
}

void
cases_mtu(void)
{
    static struct fb w6;
    struct l4s l;

    /* Non-DF over the MTU: fragmented into IPv6 fragments <= mtu. */
    tc_begin("mtu/fragment/udp-1400-mtu1280");
    T.cfg.mtu = 1280;
    T.variant = 7;
    l = UDP1;
    l.plen = 1400 - 28;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x5151, 0, &l);
    b6(&w6, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &l);
    frag_run(&w6, 0x5151, 0, 0);

    tc_begin("mtu/fragment/tcp-1500-mtu1500");
    l = TCP1;
    l.plen = 1500 - 40;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0x20, 33, 0x0102, 0, &l);
    b6(&w6, MAC_B, MAC_A, IP6_A, IP6_B, 0x20, 33, &l);
    frag_run(&w6, 0x0102, 0, 0);

    tc_begin("mtu/fragment/udp-3000-mtu1280");
    T.cfg.mtu = 1280;
    T.variant = 7;
    l = UDP1;
    l.plen = 2972;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0xffff, 0, &l);
    b6(&w6, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &l);
    frag_run(&w6, 0xffff, 0, 0);

    /* An IPv4 fragment (MF, offset 1480) that is itself too big: the
     * offsets continue from its own and every piece keeps M=1. */
    {
        static struct fb w4;

        tc_begin("mtu/fragment/fragment-of-fragment");
        l = (struct l4s) { .proto = 17, .sport = 1, .dport = 2,
                           .plen = 4000, .seed = 8 };
        b4(&w4, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 0x0a0b, 0, &l);
        fb_frag4_of(&T.in, &w4, 1480, 1480, 1);
        b6(&w6, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &l);
        /* Expected: the slice [1480, 2960) of the IPv6 datagram. */
        memmove(w6.b + w6.l4, w6.b + w6.l4 + 1480, 1480);
        w6.len = w6.l4 + 1480;
        frag_run(&w6, 0x0a0b, 1480, 1);
    }

    /* An output buffer too small for a fragment: never written past its
     * end (exact malloc, ASan), each call either fits or returns -1. */
    {
        static struct fb f;
        struct nat64_config c;
        struct nat64_frag_iter it;
        uint8_t *small = malloc(200);
        int n, calls = 0, ok = 1;

        nat64_config_init(&c);
        l = UDP1;
        l.plen = 1600;
        b4(&f, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 3, 0, &l);
        nat64_fragment_start(&it);
        while ((n = nat64_fragment_next(&c, f.b, f.len, &it, small, 200))
               > 0 && ++calls < 100) {
            ok = ok && n <= 200;
        }
        t_result("mtu/fragment/small-out-buffer",
                 ok && calls < 100 && (n == -1 || n == 0),
                 "fragments must fit the out buffer or fail with -1 "
                 "(got %d after %d calls)", n, calls);
        free(small);
    }

    /* DF over the MTU: ICMPv4 Fragmentation Needed, MTU = mtu - 20. */
    tc_begin("mtu/df-frag-needed-1500");
    l = TCP1;
    l.plen = 1500 - 40;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &l);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TOO_BIG);
    T.reply_check = reply_generic;
    T.r_type = 3;
    T.r_code = 4;
    T.r_rest = 1480;
    tc_run();
    tc_begin("mtu/df-frag-needed-mtu1280");
    T.cfg.mtu = 1280;
    T.variant = 7;
    l.plen = 1300;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &l);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TOO_BIG);
    T.reply_check = reply_generic;
    T.r_type = 3;
    T.r_code = 4;
    T.r_rest = 1260;
    tc_run();
    /* Exactly fitting: 1480 + 20 = 1500. */
    l.plen = 1480 - 40;
    simple_4to6("mtu-exact-fit", &l, 0, 64, IP4_DF);
    /* mtu 0: no limit. */
    tc_begin("mtu/no-limit");
    T.cfg.mtu = 0;
    T.variant = 8;
    l.plen = 3000;
    b4(&T.in, MAC_B, MAC_A, IP4_A, IP4_B, 0, 64, 1, IP4_DF, &l);
    b6(&T.exp, MAC_B, MAC_A, IP6_A, IP6_B, 0, 64, &l);
    T.has_exp = 1;
    tc_run();

    /* 6to4 over the IPv4 MTU: ICMPv6 Packet Too Big, MTU = mtu + 20. */
    tc_begin("mtu/6to4-packet-too-big");
    T.dir = NAT64_6TO4;
    T.cfg.mtu = 1280;
    T.variant = 7;
    l = UDP1;
    l.plen = 1360 - 8;
    b6(&T.in, MAC_A, MAC_B, IP6_B, IP6_A, 0, 64, &l);
    T.verdict = NAT64_REPLY;
    T.reasons = R(TOO_BIG);
    T.reply_check = reply_generic;
    T.r_type = 2;
    T.r_code = 0;
    T.r_rest = 1300;
    tc_run();
}
