/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case harness of test-nat64: one translation case = config,
 * direction, input frame, expected verdict/reason and expected output
 * frame (or a reply check).
 */
#ifndef TEST_CASES_H
#define TEST_CASES_H 1

#include "unit-lib.h"

#define R(X) (1ull << NAT64_DROP_##X)

struct tc;
typedef int reply_check_fn(const struct tc *, const uint8_t *, size_t,
                           char *why, size_t ws);

struct tc {
    char name[160];
    struct nat64_config cfg;
    enum nat64_direction dir;
    struct fb in;
    enum nat64_verdict verdict;
    uint64_t reasons;           /* Acceptable reasons (DROP/REPLY). */
    struct fb exp;              /* Expected output (OK) or reply. */
    int has_exp;
    int mask_id;                /* IPv4 identification of a 6to4
                                 * non-fragment is the translator's own
                                 * choice (RFC 7915 5.1): copy it from the
                                 * output into the expectation. */
    reply_check_fn *reply_check;
    int variant;                /* Config variant for the fuzz corpus. */
    /* Generic reply check: ICMP type/code/rest (rest < 0: not checked). */
    uint8_t r_type, r_code;
    int64_t r_rest;
};

extern struct tc T;
void tc_begin(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void tc_run(void);

#endif
