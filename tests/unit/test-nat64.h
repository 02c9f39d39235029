/* SPDX-License-Identifier: Apache-2.0 */
/* Case groups and packet helpers of test-nat64. */
#ifndef TEST_NAT64_H
#define TEST_NAT64_H 1

#include "test-cases.h"

/* Upper layer of a test packet, the same in both families. */
struct l4s {
    uint8_t proto;              /* 6, 17, 1 (ICMP either family), other. */
    uint16_t sport, dport;
    uint8_t flags;              /* TCP flags. */
    uint32_t ack;
    const uint8_t *topt;        /* TCP options. */
    size_t toptlen;
    uint8_t itype4, itype6, icode;
    uint32_t irest;
    size_t plen;                /* Payload bytes after the L4 header. */
    uint32_t seed;
    int udp_zero;               /* UDP checksum 0. */
};

void put_l4(struct fb *, const struct l4s *);
void b4(struct fb *, const uint8_t *dmac, const uint8_t *smac,
        const uint8_t *s4, const uint8_t *d4, uint8_t tos, uint8_t ttl,
        uint16_t id, uint16_t frag, const struct l4s *);
void b6(struct fb *, const uint8_t *dmac, const uint8_t *smac,
        const uint8_t *s6, const uint8_t *d6, uint8_t tc, uint8_t hlim,
        const struct l4s *);
uint16_t df_rule(size_t ip4_len);
int reply_generic(const struct tc *, const uint8_t *, size_t, char *,
                  size_t);

void cases_api(void);
void cases_addr(void);
void cases_ip4to6(void);
void cases_ip6to4(void);
void cases_icmp(void);
void cases_nd(void);
void cases_mcast_l2(void);
void cases_mtu(void);
void cases_rfc(void);
void cases_alg(void);           /* test-cases-alg.c */

#endif
