/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared helpers of the translator core's unit tests: frame builders, an
 * independent checksum, a frame validator and the case harness.
 *
 * Everything here is written from the RFCs, never from lib/nat64: the
 * checksum is a plain full one's-complement sum (RFC 1071), the builders
 * lay out headers as RFC 791/8200/793/768/792/4443/826/4861 draw them.
 */
#ifndef UNIT_LIB_H
#define UNIT_LIB_H 1

#include <stdint.h>
#include <stddef.h>
#include <stdio.h>
#include "nat64.h"

#define FB_MAX 16384

/* A frame under construction. */
struct fb {
    uint8_t b[FB_MAX];
    size_t len;
    int l3;                 /* Offset of the IP/ARP header, -1 if none. */
    int l4;                 /* Offset of the upper-layer header, -1. */
    int v6;                 /* L3 is IPv6. */
    int arp;                /* L3 is ARP. */
    int nh_ofs;             /* Offset of the last Next Header/Protocol byte
                             * (filled by the next header appended). */
    uint8_t proto;          /* Upper-layer protocol. */
    /* Knobs for fb_finish(). */
    int keep_l4_csum;       /* Leave the L4 checksum as written. */
    int keep_l3_len;        /* Leave total/payload length as written. */
    int keep_l3_csum;       /* Leave the IPv4 header checksum. */
    int keep_udp_len;
};

extern const uint8_t MAC_A[6], MAC_B[6], MAC_BCAST[6], MAC_ZERO[6];
extern const uint8_t IP4_A[4], IP4_B[4];
extern const uint8_t IP6_A[16], IP6_B[16];

/* Independent RFC 1071 checksum. */
uint32_t ck_sum(const uint8_t *p, size_t n, uint32_t sum);
uint16_t ck_fold(uint32_t sum);
uint16_t ck_l4(int v6, const uint8_t *src, const uint8_t *dst,
               uint8_t proto, const uint8_t *l4, size_t len);

/* Builders. */
void fb_init(struct fb *);
void fb_eth(struct fb *, const uint8_t dst[6], const uint8_t src[6],
            uint16_t type);
void fb_eth_vlan(struct fb *, const uint8_t dst[6], const uint8_t src[6],
                 uint16_t tci, uint16_t type);

struct ip4h {
    uint8_t tos, ttl, proto;
    uint16_t id;
    uint16_t frag;          /* Flags (DF 0x4000, MF 0x2000) | offset/8. */
    const uint8_t *src, *dst;
    const uint8_t *opt;
    size_t optlen;          /* Multiple of 4. */
};
#define IP4_DF 0x4000
#define IP4_MF 0x2000
void fb_ip4(struct fb *, const struct ip4h *);
void fb_ip4s(struct fb *, const uint8_t src[4], const uint8_t dst[4],
             uint8_t tos, uint8_t ttl, uint16_t id, uint16_t frag);

struct ip6h {
    uint8_t tc, hlim;
    uint32_t flow;
    const uint8_t *src, *dst;
};
void fb_ip6(struct fb *, const struct ip6h *);
void fb_ip6s(struct fb *, const uint8_t src[16], const uint8_t dst[16],
             uint8_t tc, uint8_t hlim);
/* Extension headers: 'len' total bytes (multiple of 8, >= 8). */
void fb_ext(struct fb *, uint8_t type, size_t len);
void fb_rh(struct fb *, uint8_t segs_left, int n_addr);
void fb_frag6(struct fb *, uint16_t off8, int m, uint32_t id);
void fb_set_next(struct fb *, uint8_t proto);

void fb_tcp(struct fb *, uint16_t sport, uint16_t dport, uint32_t seq,
            uint32_t ack, uint8_t flags, uint16_t win,
            const uint8_t *opt, size_t optlen);
void fb_udp(struct fb *, uint16_t sport, uint16_t dport);
void fb_icmp(struct fb *, uint8_t type, uint8_t code, uint32_t rest);
void fb_l4raw(struct fb *, uint8_t proto);
void fb_data(struct fb *, const void *, size_t);
void fb_fill(struct fb *, size_t n, uint32_t seed);
void fb_u8(struct fb *, uint8_t);
void fb_u16(struct fb *, uint16_t);
void fb_u32(struct fb *, uint32_t);
void fb_arp(struct fb *, uint16_t op, const uint8_t sha[6],
            const uint8_t spa[4], const uint8_t tha[6],
            const uint8_t tpa[4]);
void fb_ndopt(struct fb *, uint8_t type, const uint8_t mac[6]);
/* Fills lengths and checksums. */
void fb_finish(struct fb *);

/* IPv4 fragment of the finished unfragmented IPv4 frame 'whole': L3
 * payload bytes [off, off + n), MF 'mf'. */
void fb_frag4_of(struct fb *out, const struct fb *whole, size_t off,
                 size_t n, int mf);
/* IPv6 fragment (Fragment header added) of the finished IPv6 frame
 * 'whole' without extension headers. */
void fb_frag6_of(struct fb *out, const struct fb *whole, size_t off,
                 size_t n, int m, uint32_t id);
/* Appends the L3 packet of 'inner' (from its l3), at most 'max' bytes. */
void fb_inner(struct fb *, const struct fb *inner, size_t max);

/* Address helpers. */
void map4(const uint8_t ip4[4], uint8_t ip6[16]);   /* fe80::/96 */
void mac_mcast6(const uint8_t ip6[16], uint8_t mac[6]);
void mac_mcast4(const uint8_t ip4[4], uint8_t mac[6]);
void solicited_node(const uint8_t ip6[16], uint8_t out[16]);

/* Validates lengths and every checksum in an Ethernet frame.  Returns 0
 * if valid, else -1 with a reason in 'why'. */
int frame_check(const uint8_t *p, size_t len, char *why, size_t whysize);

/* Test registry and reporting. */
extern int n_pass, n_fail, n_skip;
void t_pass(const char *name);
void t_fail(const char *name, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void t_result(const char *name, int ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
int t_summary(const char *prog);
void hexdiff(const uint8_t *got, size_t glen, const uint8_t *exp,
             size_t elen);

/* One translation in an exact-size buffer (data at buf + headroom,
 * nothing after the frame) so that ASan sees any overread/overwrite. */
struct xres {
    struct nat64_result r;
    uint8_t out[FB_MAX];
    size_t out_len;
    uint8_t reply[NAT64_REPLY_MAX];
    size_t reply_len;
    int layout_ok;          /* pkt fields consistent after OK. */
};
void xlate(const struct nat64_config *, enum nat64_direction,
           const uint8_t *frame, size_t len, size_t headroom,
           size_t tailroom, int with_reply, struct xres *);
/* Nonzero: xlate() bypasses the core's fast paths (for comparing them
 * with the general path, which decides everything on its own). */
extern int xlate_general_only;

/* Corpus dumping (--dump-corpus DIR): each translated input is written as
 * a fuzz seed: one byte (direction | config variant << 1) + frame. */
extern const char *corpus_dir;
void corpus_add(enum nat64_direction, int variant, const uint8_t *,
                size_t);

/* Deterministic PRNG (xorshift64*). */
uint64_t rnd_next(uint64_t *state);
uint32_t rnd_range(uint64_t *state, uint32_t n);   /* [0, n) */

#endif
