/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target for the translator core, both directions.
 *
 * Input: one control byte (bit 0: direction, bits 1..3: configuration
 * variant, bit 4: no reply buffer, bits 5..7: headroom choice), then an
 * Ethernet frame.  The frame sits at the very end of an exact-size heap
 * buffer so ASan flags any read or write past it.
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
    case 2: c->mtu = 1400; break;
    case 3:
        c->mss_clamp = 0;
        variant_knobs(c);
        break;
    case 4: nat64_config_set_prefix(c, wkp, 96); break;
    case 5: nat64_config_set_prefix(c, p40, 40); break;
    case 6: nat64_config_set_prefix(c, p64, 64); c->mtu = 0; break;
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
             struct nat64_pkt *pkt)
{
    uint8_t *buf = malloc(headroom + len ? headroom + len : 1);

    memcpy(buf + headroom, frame, len);
    pkt->data = buf + headroom;
    pkt->len = len;
    pkt->headroom = headroom;
    pkt->tailroom = 0;
    return buf;
}

/* Translates the same input again with the fast paths bypassed and
 * checks that everything comes out the same. */
static void
check_general(const struct nat64_config *cfg, enum nat64_direction dir,
              const uint8_t *frame, size_t len, size_t headroom,
              int with_reply, const uint8_t *buf,
              const struct nat64_pkt *pkt, const struct nat64_result *r,
              const uint8_t *rbuf)
{
    uint8_t *rbuf2 = malloc(NAT64_REPLY_MAX);
    struct nat64_pkt pkt2;
    uint8_t *buf2 = frame_buffer(frame, len, headroom, &pkt2);
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
    check(r->verdict != NAT64_REPLY
          || !memcmp(rbuf2, rbuf, r->reply_len),
          "general path: same reply");
    free(buf2);
    free(rbuf2);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const size_t headrooms[8] = { NAT64_HEADROOM, NAT64_HEADROOM,
                                         NAT64_HEADROOM, NAT64_HEADROOM,
                                         0, 8, 20, 44 };
    struct nat64_config cfg;
    enum nat64_direction dir;
    struct nat64_result r;
    struct nat64_pkt pkt;
    struct nat64_reply_buf rb;
    uint8_t *buf, *rbuf;
    size_t len, headroom, total;
    int in_valid;
    char why[256];

    if (size < 1 || size > 9000) {
        return 0;
    }
    dir = data[0] & 1 ? NAT64_6TO4 : NAT64_4TO6;
    variant_cfg(&cfg, (data[0] >> 1) & 7);
    headroom = headrooms[data[0] >> 5];
    len = size - 1;
    total = headroom + len;
    buf = frame_buffer(data + 1, len, headroom, &pkt);
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
    check_general(&cfg, dir, data + 1, len, headroom, !(data[0] & 0x10),
                  buf, &pkt, &r, rbuf);
    free(buf);
    free(rbuf);
    return 0;
}
