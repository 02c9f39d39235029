/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the translator core, both directions.
 *
 * Input: one control byte (bit 0: direction, bits 1..3: configuration
 * variant, bit 4: no reply buffer, bits 5..7: headroom and tailroom
 * choice), then an Ethernet frame.  The frame sits at the very end of an
 * exact-size heap buffer (plus the chosen tailroom) so ASan flags any
 * read or write past it.
 *
 * The configuration variants 2 and 6 turn the ALGs on.  In them the
 * bytes after the control byte are also used as a UDP payload: wrapped
 * into a valid frame to the mDNS port (or the SSDP port if they start
 * like an SSDP message) with a right checksum, so that mutated DNS
 * messages reach the ALG (a mutated frame mostly fails its checksum).
 *
 * Invariants (abort() on violation, libFuzzer reports it):
 *   - verdict and reason are in range, reason is "none" iff OK;
 *   - OK: buffer fields consistent, result->l3_ofs/ethertype describe the
 *     frame, and if the input frame had valid lengths and checksums (the
 *     independent check of unit-lib.c) so has the output;
 *   - REPLY: reply_len <= the buffer, and the reply frame is well-formed
 *     (lengths and checksums valid);
 *   - FRAGMENT: the packet is untouched, every fragment fits the MTU and
 *     the output buffer and is well-formed, and iteration ends;
 *   - the general path alone (fast paths bypassed) gives the same result,
 *     frame and reply, byte for byte.
 */
#include "unit-lib.h"
#include "nat64-private.h"      /* nat64_translate_general() */

#include <stdlib.h>
#include <string.h>

/* The optional knobs: protected source, RFC 6791 pool, own ICMP
 * sources, a fragmentation threshold other than the default. */
static void
variant_knobs(struct nat64_config *c)
{
    static const uint8_t svc[4] = { 192, 168, 0, 100 };
    static const uint8_t pool[4] = { 192, 0, 0, 8 };
    static const uint8_t s6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

    nat64_config_add_protected(c, svc);
    c->has_pool6791 = 1;
    memcpy(c->pool6791, pool, 4);
    c->has_icmp_src4 = 1;
    memcpy(c->icmp_src4, pool, 4);
    c->has_icmp_src6 = 1;
    memcpy(c->icmp_src6, s6, 16);
    c->frag_mtu = 1400;
}

static void
variant_cfg(struct nat64_config *c, int v)
{
    static const uint8_t g96[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x64 };
    static const uint8_t wkp[16] = { 0, 0x64, 0xff, 0x9b };
    static const uint8_t p40[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x01 };
    static const uint8_t p64[16] = { 0x20, 0x01, 0x0d, 0xb8, 1, 2, 3, 4 };

    nat64_config_init(c);
    switch (v) {
    case 1: c->dec_ttl = 1; break;
    case 2: c->mtu = 1400; c->alg = NAT64_ALG_MDNS | NAT64_ALG_SSDP; break;
    case 3:
        c->mss_clamp = 0;
        variant_knobs(c);
        break;
    case 4: nat64_config_set_prefix(c, wkp, 96); break;
    case 5: nat64_config_set_prefix(c, p40, 40); break;
    case 6:
        nat64_config_set_prefix(c, p64, 64);
        c->mtu = 0;
        c->alg = NAT64_ALG_MDNS | NAT64_ALG_SSDP;
        break;
    case 7:
        /* A network-specific /96: router-mode address rules. */
        nat64_config_set_prefix(c, g96, 96);
        c->mtu = 1280;
        break;
    }
}

static void
check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "invariant violated: %s\n", what);
        abort();
    }
}

static size_t
l3ofs(const uint8_t *p, size_t len)
{
    return len >= 14 && p[12] == 0x81 && p[13] == 0 ? 18 : 14;
}

/* Puts 'frame' at the very end of a new exact-size heap buffer with
 * 'headroom' bytes before it, described by 'pkt'; returns the buffer. */
static uint8_t *
frame_buffer(const uint8_t *frame, size_t len, size_t headroom,
             size_t tailroom, struct nat64_pkt *pkt)
{
    size_t total = headroom + len + tailroom;
    uint8_t *buf = malloc(total ? total : 1);

    memset(buf, 0xa5, total);
    memcpy(buf + headroom, frame, len);
    pkt->data = buf + headroom;
    pkt->len = len;
    pkt->headroom = headroom;
    pkt->tailroom = tailroom;
    return buf;
}

/* Translates the same input again with the fast paths bypassed and
 * checks that everything comes out the same. */
static void
check_general(const struct nat64_config *cfg, enum nat64_direction dir,
              const uint8_t *frame, size_t len, size_t headroom,
              size_t tailroom, int with_reply, const uint8_t *buf,
              const struct nat64_pkt *pkt, const struct nat64_result *r,
              const uint8_t *rbuf)
{
    uint8_t *rbuf2 = malloc(NAT64_REPLY_MAX);
    struct nat64_pkt pkt2;
    uint8_t *buf2 = frame_buffer(frame, len, headroom, tailroom, &pkt2);
    struct nat64_reply_buf rb2;
    struct nat64_result r2;

    rb2.data = rbuf2;
    rb2.size = NAT64_REPLY_MAX;
    memset(&r2, 0x5a, sizeof r2);
    nat64_translate_general(cfg, dir, &pkt2, with_reply ? &rb2 : NULL, &r2,
                            0);
    check(r2.verdict == r->verdict && r2.reason == r->reason
          && r2.reply_len == r->reply_len && r2.ethertype == r->ethertype
          && r2.l3_ofs == r->l3_ofs && r2.l4_ofs == r->l4_ofs
          && r2.l4_proto == r->l4_proto, "general path: same result");
    check(pkt2.data - buf2 == pkt->data - buf && pkt2.len == pkt->len
          && pkt2.headroom == pkt->headroom
          && pkt2.tailroom == pkt->tailroom
          && !memcmp(pkt2.data, pkt->data, pkt->len),
          "general path: same frame");
    check(r->verdict != NAT64_REPLY || !rbuf
          || !memcmp(rbuf2, rbuf, r->reply_len),
          "general path: same reply");
    free(buf2);
    free(rbuf2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Translates the 'n' bytes at 'msg' as the payload of a valid UDP
 * datagram of the ALGs' ports, with 'tailroom' bytes after the frame. */
static void
fuzz_alg_payload(const struct nat64_config *cfg, enum nat64_direction dir,
                 const uint8_t *msg, size_t n, size_t tailroom)
{
    static const uint8_t g4[4] = { 224, 0, 0, 251 };
    static const uint8_t g6[16] = { 0xff, 0x02, [15] = 0xfb };
    static struct fb f;
    int ssdp = n && (msg[0] == 'N' || msg[0] == 'H' || msg[0] == 'M');
    uint16_t port = ssdp ? 1900 : 5353;
    uint8_t src6[16], mac[6];
    struct nat64_result r;
    struct nat64_pkt pkt;
    uint8_t *buf;
    char why[256];

    if (n > 4000) {
        return;
    }
    fb_init(&f);
    if (dir == NAT64_4TO6) {
        mac_mcast4(g4, mac);
        fb_eth(&f, mac, MAC_A, 0x0800);
        fb_ip4s(&f, IP4_A, g4, 0, 255, 1, 0);
    } else {
        nat64_addr_4to6(cfg, IP4_B, src6);
        mac_mcast6(g6, mac);
        fb_eth(&f, mac, MAC_B, 0x86dd);
        fb_ip6s(&f, src6, g6, 0, 255);
    }
    fb_udp(&f, port, port);
    fb_data(&f, msg, n);
    fb_finish(&f);
    buf = frame_buffer(f.b, f.len, NAT64_HEADROOM, tailroom, &pkt);
    memset(&r, 0x5a, sizeof r);
    nat64_translate(cfg, dir, &pkt, NULL, &r);
    check(r.verdict == NAT64_OK || r.verdict == NAT64_FRAGMENT
          || (r.verdict == NAT64_DROP
              && (r.reason == NAT64_DROP_ALG_TOO_BIG
                  || r.reason == NAT64_DROP_TOO_BIG)),
          "ALG payload: translated, fragmented or too big");
    if (r.verdict == NAT64_OK) {
        check(pkt.headroom + pkt.len + pkt.tailroom
              == NAT64_HEADROOM + f.len + tailroom,
              "ALG payload: buffer fields consistent");
        check(!cfg->mtu || pkt.len - r.l3_ofs <= cfg->mtu,
              "ALG payload: output fits the MTU");
        if (frame_check(pkt.data, pkt.len, why, sizeof why)) {
            fprintf(stderr, "ALG output invalid: %s\n", why);
            check(0, "ALG payload: valid output");
        }
    }
    check_general(cfg, dir, f.b, f.len, NAT64_HEADROOM, tailroom, 0, buf,
                  &pkt, &r, NULL);
    free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t headrooms[8] = { NAT64_HEADROOM, NAT64_HEADROOM,
                                         NAT64_HEADROOM, NAT64_HEADROOM,
                                         0, 8, 20, 44 };
    static const size_t tailrooms[8] = { 0, NAT64_ALG_TAILROOM, 12, 40,
                                         0, 0, 0, 0 };
    struct nat64_config cfg;
    enum nat64_direction dir;
    struct nat64_result r;
    struct nat64_pkt pkt;
    struct nat64_reply_buf rb;
    uint8_t *buf, *rbuf;
    size_t len, headroom, tailroom, total;
    int in_valid;
    char why[256];

    if (size < 1 || size > 9000) {
        return 0;
    }
    dir = data[0] & 1 ? NAT64_6TO4 : NAT64_4TO6;
    variant_cfg(&cfg, (data[0] >> 1) & 7);
    headroom = headrooms[data[0] >> 5];
    tailroom = tailrooms[data[0] >> 5];
    len = size - 1;
    total = headroom + len + tailroom;
    buf = frame_buffer(data + 1, len, headroom, tailroom, &pkt);
    rbuf = malloc(NAT64_REPLY_MAX);
    in_valid = !frame_check(data + 1, len, why, sizeof why);

    rb.data = rbuf;
    rb.size = NAT64_REPLY_MAX;
    memset(&r, 0x5a, sizeof r);
    nat64_translate(&cfg, dir, &pkt, data[0] & 0x10 ? NULL : &rb, &r);

    check(r.verdict == NAT64_OK || r.verdict == NAT64_DROP
          || r.verdict == NAT64_REPLY || r.verdict == NAT64_FRAGMENT,
          "verdict in range");
    check((unsigned) r.reason < NAT64_N_DROP_REASONS, "reason in range");
    check((r.reason == NAT64_DROP_NONE)
          == (r.verdict == NAT64_OK || r.verdict == NAT64_FRAGMENT)
          || r.verdict == NAT64_FRAGMENT,
          "reason none iff translated");
    switch (r.verdict) {
    case NAT64_OK:
        check(pkt.data >= buf && (size_t) (pkt.data - buf) == pkt.headroom
              && pkt.headroom + pkt.len + pkt.tailroom == total,
              "buffer fields consistent");
        check(pkt.len >= 14 && r.l3_ofs == l3ofs(pkt.data, pkt.len)
              && r.ethertype == (pkt.data[r.l3_ofs - 2] << 8
                                 | pkt.data[r.l3_ofs - 1]),
              "result describes the frame");
        if (in_valid && frame_check(pkt.data, pkt.len, why, sizeof why)) {
            fprintf(stderr, "output invalid: %s\n", why);
            check(0, "valid input gives valid output");
        }
        break;
    case NAT64_REPLY:
        check(!(data[0] & 0x10), "no REPLY without reply buffer");
        check(r.reply_len <= NAT64_REPLY_MAX && r.reply_len >= 14,
              "reply length");
        if (frame_check(rbuf, r.reply_len, why, sizeof why)) {
            fprintf(stderr, "reply invalid: %s\n", why);
            check(0, "reply well-formed");
        }
        break;
    case NAT64_FRAGMENT: {
        struct nat64_frag_iter it;
        uint8_t *out = malloc(NAT64_REPLY_MAX);
        int n, count = 0;

        check(pkt.data == buf + headroom && pkt.len == len
              && !memcmp(pkt.data, data + 1, len), "FRAGMENT: untouched");
        nat64_fragment_start(&it);
        while ((n = nat64_fragment_next(&cfg, pkt.data, pkt.len, &it, out,
                                        NAT64_REPLY_MAX)) > 0) {
            check((size_t) n <= NAT64_REPLY_MAX, "fragment fits buffer");
            check(!cfg.mtu || (size_t) n - l3ofs(out, n) <= cfg.mtu,
                  "fragment fits mtu");
            if (in_valid && frame_check(out, n, why, sizeof why)) {
                fprintf(stderr, "fragment invalid: %s\n", why);
                check(0, "fragment well-formed");
            }
            check(++count < 200, "fragmentation ends");
        }
        free(out);
        break;
    }
    case NAT64_DROP:
        break;
    }
    check_general(&cfg, dir, data + 1, len, headroom, tailroom,
                  !(data[0] & 0x10), buf, &pkt, &r, rbuf);
    free(buf);
    free(rbuf);
    if (cfg.alg) {
        fuzz_alg_payload(&cfg, dir, data + 1, len, tailroom);
    }
    return 0;
}
