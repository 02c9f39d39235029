/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Table-driven unit tests of the translator core: for each translation
 * rule a frame in and the exact frame out, checksums checked by the
 * independent routine in unit-lib.c.  Expectations come from RFC 7915,
 * RFC 6052, RFC 4861, RFC 792/4443, RFC 1191 and RFC 2464/1112 (multicast
 * MAC mapping), never from lib/nat64.
 *
 * Usage: test-nat64 [--dump-corpus DIR]
 */
#include "test-cases.h"
#include "test-nat64.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

struct tc T;
static struct xres XR, XR2;

void
tc_begin(const char *fmt, ...)
{
    va_list ap;

    memset(&T, 0, offsetof(struct tc, in));
    va_start(ap, fmt);
    vsnprintf(T.name, sizeof T.name, fmt, ap);
    va_end(ap);
    nat64_config_init(&T.cfg);
    T.dir = NAT64_4TO6;
    fb_init(&T.in);
    fb_init(&T.exp);
    T.verdict = NAT64_OK;
    T.reasons = 0;
    T.has_exp = 0;
    T.mask_id = 0;
    T.reply_check = NULL;
    T.variant = 0;
    T.r_rest = -1;
}

static size_t
eth_len(const uint8_t *p)
{
    return p[12] == 0x81 && p[13] == 0 ? 18 : 14;
}

/* Copies the IPv4 identification (outer, and inner of an ICMP error)
 * from 'got' into 'e' and recomputes the checksums that cover it. */
static void
mask_ipv4_ids(struct fb *e, const uint8_t *got, size_t glen)
{
    size_t o = eth_len(e->b), hl, ihl;
    uint8_t *ip = e->b + o, *icmp, *in;
    const uint8_t *gip = got + o;

    if (e->len < o + 20 || glen < o + 20 || ip[-2] != 8 || ip[-1] != 0) {
        return;
    }
    if ((ip[6] & 0x3f) || ip[7] || (ip[6] & 0x20)) {
        return;     /* A fragment: its ID comes from the Fragment header. */
    }
    hl = (ip[0] & 15) * 4;
    ip[4] = gip[4];
    ip[5] = gip[5];
    ip[10] = ip[11] = 0;
    {
        uint16_t c = ck_fold(ck_sum(ip, hl, 0));
        ip[10] = c >> 8;
        ip[11] = c;
    }
    if (ip[9] != 1 || e->len < o + hl + 8 + 20 || glen < o + hl + 8 + 20) {
        return;
    }
    icmp = ip + hl;
    if (icmp[0] != 3 && icmp[0] != 11 && icmp[0] != 12) {
        return;
    }
    in = icmp + 8;
    ihl = (in[0] & 15) * 4;
    if (!((in[6] & 0x3f) || in[7] || (in[6] & 0x20))) {
        in[4] = gip[hl + 8 + 4];
        in[5] = gip[hl + 8 + 5];
        if (e->len >= o + hl + 8 + ihl) {
            uint16_t c;

            in[10] = in[11] = 0;
            c = ck_fold(ck_sum(in, ihl, 0));
            in[10] = c >> 8;
            in[11] = c;
        }
    }
    icmp[2] = icmp[3] = 0;
    {
        uint16_t c = ck_fold(ck_sum(icmp, e->len - o - hl, 0));
        icmp[2] = c >> 8;
        icmp[3] = c;
    }
}

static int
reason_ok(enum nat64_drop_reason r)
{
    return r < 64 && (T.reasons & (1ull << r));
}

static const char *
verdict_name(enum nat64_verdict v)
{
    switch (v) {
    case NAT64_OK: return "OK";
    case NAT64_DROP: return "DROP";
    case NAT64_REPLY: return "REPLY";
    case NAT64_FRAGMENT: return "FRAGMENT";
    }
    return "?";
}

static int
check_result_fields(const uint8_t *out, size_t len, char *why, size_t ws)
{
    size_t o = eth_len(out);
    uint16_t et = out[o - 2] << 8 | out[o - 1];

    if (XR.r.reason != NAT64_DROP_NONE) {
        snprintf(why, ws, "OK with reason %s",
                 nat64_drop_reason_name(XR.r.reason));
        return -1;
    }
    if (XR.r.ethertype != et || XR.r.l3_ofs != o) {
        snprintf(why, ws, "result ethertype %04x l3_ofs %u, frame has "
                 "%04x at %zu", XR.r.ethertype, XR.r.l3_ofs, et, o);
        return -1;
    }
    if (T.has_exp && !T.exp.keep_l4_csum && T.exp.l4 > 0 && !T.exp.arp
        && (XR.r.l4_ofs != T.exp.l4 || XR.r.l4_proto != T.exp.proto)) {
        snprintf(why, ws, "result l4_ofs %u l4_proto %u, expected %d %u",
                 XR.r.l4_ofs, XR.r.l4_proto, T.exp.l4, T.exp.proto);
        return -1;
    }
    (void) len;
    return 0;
}

/* Runs T: translates in an exact-size buffer, checks verdict, reason,
 * bytes, checksums, buffer layout and result fields; a REPLY case is also
 * run without reply buffer (must become DROP, same reason); a 4to6 OK
 * case is also run without headroom (NO_ROOM, or the same output). */
void
tc_run(void)
{
    char why[512] = "";
    int ok = 1;

    corpus_add(T.dir, T.variant, T.in.b, T.in.len);
    xlate(&T.cfg, T.dir, T.in.b, T.in.len, NAT64_HEADROOM, 0, 1, &XR);
    if (XR.r.verdict != T.verdict) {
        snprintf(why, sizeof why, "verdict %s (reason %s), expected %s",
                 verdict_name(XR.r.verdict),
                 nat64_drop_reason_name(XR.r.reason),
                 verdict_name(T.verdict));
        ok = 0;
    } else if (!XR.layout_ok) {
        snprintf(why, sizeof why, "buffer fields inconsistent after %s",
                 verdict_name(T.verdict));
        ok = 0;
    } else if (T.verdict == NAT64_OK) {
        if (frame_check(XR.out, XR.out_len, why, sizeof why)) {
            ok = 0;
        } else if (T.has_exp) {
            if (T.mask_id) {
                mask_ipv4_ids(&T.exp, XR.out, XR.out_len);
            }
            if (XR.out_len != T.exp.len
                || memcmp(XR.out, T.exp.b, T.exp.len)) {
                t_fail(T.name, "output frame differs");
                hexdiff(XR.out, XR.out_len, T.exp.b, T.exp.len);
                return;
            }
        }
        if (ok && check_result_fields(XR.out, XR.out_len, why,
                                      sizeof why)) {
            ok = 0;
        }
    } else if (T.verdict == NAT64_DROP || T.verdict == NAT64_REPLY) {
        if (!reason_ok(XR.r.reason)) {
            snprintf(why, sizeof why, "reason %s not expected",
                     nat64_drop_reason_name(XR.r.reason));
            ok = 0;
        } else if (T.verdict == NAT64_REPLY) {
            if (frame_check(XR.reply, XR.reply_len, why, sizeof why)) {
                ok = 0;
            } else if (T.reply_check
                       && T.reply_check(&T, XR.reply, XR.reply_len, why,
                                        sizeof why)) {
                ok = 0;
            } else if (T.has_exp
                       && (XR.reply_len != T.exp.len
                           || memcmp(XR.reply, T.exp.b, T.exp.len))) {
                t_fail(T.name, "reply differs");
                hexdiff(XR.reply, XR.reply_len, T.exp.b, T.exp.len);
                return;
            }
        }
    }
    if (ok && T.verdict == NAT64_REPLY) {
        xlate(&T.cfg, T.dir, T.in.b, T.in.len, NAT64_HEADROOM, 0, 0, &XR2);
        if (XR2.r.verdict != NAT64_DROP || !reason_ok(XR2.r.reason)) {
            snprintf(why, sizeof why, "without reply buffer: %s (%s), "
                     "expected DROP", verdict_name(XR2.r.verdict),
                     nat64_drop_reason_name(XR2.r.reason));
            ok = 0;
        }
    }
    if (ok && T.verdict == NAT64_OK && T.dir == NAT64_4TO6) {
        xlate(&T.cfg, T.dir, T.in.b, T.in.len, 0, 0, 1, &XR2);
        if (XR2.r.verdict == NAT64_OK) {
            if (!XR2.layout_ok || XR2.out_len != XR.out_len
                || memcmp(XR2.out, XR.out, XR.out_len)) {
                snprintf(why, sizeof why, "without headroom: different "
                         "output");
                ok = 0;
            }
        } else if (XR2.r.verdict != NAT64_DROP
                   || XR2.r.reason != NAT64_DROP_NO_ROOM) {
            snprintf(why, sizeof why, "without headroom: %s (%s), "
                     "expected NO_ROOM or the same output",
                     verdict_name(XR2.r.verdict),
                     nat64_drop_reason_name(XR2.r.reason));
            ok = 0;
        }
    }
    t_result(T.name, ok, "%s", why);
}

/* ---- Packet helpers shared by the case files. ---- */

void
put_l4(struct fb *f, const struct l4s *s)
{
    switch (s->proto) {
    case 6:
        fb_tcp(f, s->sport, s->dport, 0x01020304, s->ack, s->flags,
               8192, s->topt, s->toptlen);
        break;
    case 17:
        fb_udp(f, s->sport, s->dport);
        break;
    case 1:
    case 58:
        fb_icmp(f, f->v6 ? s->itype6 : s->itype4, s->icode, s->irest);
        break;
    case 33:
        /* DCCP: opaque bytes (plen >= 12) whose checksum at offset 6
         * covers the pseudo-header (RFC 4340 9.1). */
        fb_l4raw(f, 33);
        f->keep_l4_csum = 0;
        break;
    default:
        fb_l4raw(f, s->proto);
        break;
    }
    fb_fill(f, s->plen, s->seed);
}

static void
udp_zero(struct fb *f, const struct l4s *s)
{
    if (s->proto == 17 && s->udp_zero && f->l4 >= 0) {
        f->b[f->l4 + 6] = f->b[f->l4 + 7] = 0;
    }
}

void
b4(struct fb *f, const uint8_t *dmac, const uint8_t *smac,
   const uint8_t *s4, const uint8_t *d4, uint8_t tos, uint8_t ttl,
   uint16_t id, uint16_t frag, const struct l4s *l)
{
    fb_init(f);
    fb_eth(f, dmac, smac, 0x0800);
    fb_ip4s(f, s4, d4, tos, ttl, id, frag);
    put_l4(f, l);
    fb_finish(f);
    udp_zero(f, l);
}

void
b6(struct fb *f, const uint8_t *dmac, const uint8_t *smac,
   const uint8_t *s6, const uint8_t *d6, uint8_t tc, uint8_t hlim,
   const struct l4s *l)
{
    fb_init(f);
    fb_eth(f, dmac, smac, 0x86dd);
    fb_ip6s(f, s6, d6, tc, hlim);
    put_l4(f, l);
    fb_finish(f);
    udp_zero(f, l);
}

/* RFC 7915 5.1: DF is zero iff the translated IPv4 packet is at most
 * 1260 bytes. */
uint16_t
df_rule(size_t ip4_len)
{
    return ip4_len > 1260 ? IP4_DF : 0;
}

/* Generic reply check: Ethernet addresses swapped, IP addresses swapped
 * (the error comes from the packet's destination), ICMP type/code/rest as
 * in T, the quoted packet a prefix of the offending one, size limits of
 * RFC 1812 4.3.2.3 (576) and RFC 4443 2.4(c) (1280). */
int
reply_generic(const struct tc *t, const uint8_t *r, size_t len, char *why,
              size_t ws)
{
    const uint8_t *in = t->in.b;
    size_t o = eth_len(in), io = eth_len(in);
    int v6 = r[o - 2] == 0x86 && r[o - 1] == 0xdd;
    const uint8_t *ip = r + o, *icmp, *quote, *iip = in + io;
    size_t hl, qlen, ilen;
    uint32_t rest;

    if (memcmp(r, in + 6, 6) || memcmp(r + 6, in, 6)) {
        snprintf(why, ws, "reply Ethernet addresses not swapped");
        return -1;
    }
    if (v6 != (t->dir == NAT64_6TO4)) {
        snprintf(why, ws, "reply of the wrong IP version");
        return -1;
    }
    if (v6) {
        hl = 40;
        if (ip[6] != 58 || !ip[7] || memcmp(ip + 8, iip + 24, 16)
            || memcmp(ip + 24, iip + 8, 16)) {
            snprintf(why, ws, "reply IPv6 header: next header, hop limit "
                     "or addresses wrong");
            return -1;
        }
        if (len - o > 1280) {
            snprintf(why, ws, "ICMPv6 error larger than 1280 bytes");
            return -1;
        }
    } else {
        hl = (ip[0] & 15) * 4;
        if (ip[9] != 1 || !ip[8] || memcmp(ip + 12, iip + 16, 4)
            || memcmp(ip + 16, iip + 12, 4) || (ip[6] & 0x3f) || ip[7]
            || (ip[6] & 0x20)) {
            snprintf(why, ws, "reply IPv4 header: protocol, TTL, "
                     "addresses or fragment fields wrong");
            return -1;
        }
        if (len - o > 576) {
            snprintf(why, ws, "ICMPv4 error larger than 576 bytes");
            return -1;
        }
    }
    icmp = ip + hl;
    rest = (uint32_t) icmp[4] << 24 | icmp[5] << 16 | icmp[6] << 8 | icmp[7];
    if (icmp[0] != t->r_type || icmp[1] != t->r_code
        || (t->r_rest >= 0 && rest != (uint32_t) t->r_rest)) {
        snprintf(why, ws, "reply ICMP %u/%u rest %u, expected %u/%u "
                 "rest %lld", icmp[0], icmp[1], rest, t->r_type,
                 t->r_code, (long long) t->r_rest);
        return -1;
    }
    quote = icmp + 8;
    qlen = len - (quote - r);
    ilen = t->in.len - io;
    if (qlen < (v6 ? 48 : 28) && qlen < ilen) {
        snprintf(why, ws, "reply quotes only %zu bytes", qlen);
        return -1;
    }
    if (qlen > ilen || memcmp(quote, iip, qlen)) {
        snprintf(why, ws, "quoted packet is not the offending packet");
        return -1;
    }
    return 0;
}

static void
usage(void)
{
    printf("usage: test-nat64 [--dump-corpus DIR]\n"
           "Runs the table-driven translator tests; prints PASS:/FAIL: "
           "per case.\nWith --dump-corpus, also writes every input frame "
           "as a fuzz seed into DIR.\n");
}

int
main(int argc, char *argv[])
{
    int i;

    for (i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--dump-corpus") && i + 1 < argc) {
            corpus_dir = argv[++i];
        } else if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else {
            usage();
            return 2;
        }
    }
    setvbuf(stdout, NULL, _IOLBF, 0);
    cases_api();
    cases_addr();
    cases_ip4to6();
    cases_ip6to4();
    cases_icmp();
    cases_nd();
    cases_mcast_l2();
    cases_mtu();
    cases_rfc();
    cases_alg();
    return t_summary("test-nat64");
}
