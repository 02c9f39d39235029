/* SPDX-License-Identifier: Apache-2.0 */
/* The load report parser (utilities/anycast/anycast-proto.c): a table of
 * reports and their expected meaning or rejection, then random and
 * mutated datagrams that must never be accepted with out-of-range values
 * (and, under ASan or valgrind, never read out of bounds).  Prints one
 * PASS:/FAIL: line per group; exits 1 on a failure. */

#include "anycast-proto.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define N_RANDOM 200000
#define RANDOM_MAX_LEN (ANYCAST_REPORT_MAX + 8)

struct case_ {
    const char *text;
    bool ok;
    enum anycast_state state;
    enum anycast_weight_kind kind;
    unsigned int value;
};

static const struct case_ cases[] = {
    { "up", true, ANYCAST_STATE_UP, ANYCAST_WEIGHT_NONE, 0 },
    { "ready\n", true, ANYCAST_STATE_UP, ANYCAST_WEIGHT_NONE, 0 },
    { "drain", true, ANYCAST_STATE_DRAIN, ANYCAST_WEIGHT_NONE, 0 },
    { "down\r\n", true, ANYCAST_STATE_DOWN, ANYCAST_WEIGHT_NONE, 0 },
    { "maint", true, ANYCAST_STATE_DOWN, ANYCAST_WEIGHT_NONE, 0 },
    { "75%", true, ANYCAST_STATE_NONE, ANYCAST_WEIGHT_PERCENT, 75 },
    { "0% up", true, ANYCAST_STATE_UP, ANYCAST_WEIGHT_PERCENT, 0 },
    { "100%,ready", true, ANYCAST_STATE_UP, ANYCAST_WEIGHT_PERCENT, 100 },
    { "weight:256 up", true, ANYCAST_STATE_UP, ANYCAST_WEIGHT_ABS, 256 },
    { "weight:0", true, ANYCAST_STATE_NONE, ANYCAST_WEIGHT_ABS, 0 },
    { "  weight:7\tdrain up ", true, ANYCAST_STATE_UP, ANYCAST_WEIGHT_ABS,
      7 },
    { "50% weight:9", true, ANYCAST_STATE_NONE, ANYCAST_WEIGHT_ABS, 9 },
    { "", false, 0, 0, 0 },
    { " , \n", false, 0, 0, 0 },
    { "101%", false, 0, 0, 0 },
    { "%", false, 0, 0, 0 },
    { "-1%", false, 0, 0, 0 },
    { "weight:257", false, 0, 0, 0 },
    { "weight:", false, 0, 0, 0 },
    { "weight:99999", false, 0, 0, 0 },
    { "weight:1x", false, 0, 0, 0 },
    { "75", false, 0, 0, 0 },
    { "UP", false, 0, 0, 0 },
    { "up bogus", false, 0, 0, 0 },
};

static bool
check_table(void)
{
    bool ok = true;
    size_t i;

    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct case_ *c = &cases[i];
        struct anycast_report r;
        const char *error = anycast_report_parse(c->text, strlen(c->text),
                                                 &r);

        if (!error != c->ok
            || (c->ok && (r.state != c->state || r.kind != c->kind
                          || r.value != c->value))) {
            printf("  why: \"%s\": %s\n", c->text, error ? error : "accepted");
            ok = false;
        }
    }
    {
        /* A NUL byte inside, and a datagram one byte too long. */
        static const char nul[] = { 'u', 'p', '\0', 'x' };
        char big[ANYCAST_REPORT_MAX + 1];
        struct anycast_report r;

        memset(big, ' ', sizeof big);
        memcpy(big, "up", 2);
        if (!anycast_report_parse(nul, sizeof nul, &r)
            || !anycast_report_parse(big, sizeof big, &r)
            || anycast_report_parse(big, sizeof big - 1, &r)) {
            printf("  why: NUL or length limit\n");
            ok = false;
        }
    }
    return ok;
}

static bool
check_weights(void)
{
    struct anycast_report r = { ANYCAST_STATE_UP, ANYCAST_WEIGHT_PERCENT,
                                50 };
    bool ok = anycast_report_weight(&r, 80, 3) == 40;

    r.kind = ANYCAST_WEIGHT_NONE;
    ok = ok && anycast_report_weight(&r, 80, 3) == 3;
    r.kind = ANYCAST_WEIGHT_ABS;
    r.value = 17;
    ok = ok && anycast_report_weight(&r, 80, 3) == 17;
    return ok;
}

/* Random bytes and mutations of valid reports, each in a heap buffer of
 * exactly its length so that an overread is caught by ASan/valgrind. */
static bool
check_random(void)
{
    static const char alphabet[] = "updrainwegt:%0123456789 ,\n\r\tx";
    unsigned int seed = 17;
    bool ok = true;
    int i;

    for (i = 0; i < N_RANDOM; i++) {
        size_t len = (size_t) rand_r(&seed) % RANDOM_MAX_LEN, j;
        char *buf = malloc(len ? len : 1);
        struct anycast_report r;

        if (!buf) {
            return false;
        }
        for (j = 0; j < len; j++) {
            buf[j] = i % 2 ? (char) rand_r(&seed)
                           : alphabet[rand_r(&seed) % (sizeof alphabet - 1)];
        }
        if (!anycast_report_parse(buf, len, &r)
            && ((r.kind == ANYCAST_WEIGHT_PERCENT && r.value > 100)
                || (r.kind == ANYCAST_WEIGHT_ABS
                    && r.value > ANYCAST_WEIGHT_MAX)
                || len > ANYCAST_REPORT_MAX)) {
            printf("  why: accepted an out-of-range report\n");
            ok = false;
        }
        free(buf);
    }
    return ok;
}

int
main(void)
{
    bool t = check_table(), w = check_weights(), r = check_random();

    printf("%s: report-parser-table\n", t ? "PASS" : "FAIL");
    printf("%s: report-parser-weights\n", w ? "PASS" : "FAIL");
    printf("%s: report-parser-random (%d datagrams)\n", r ? "PASS" : "FAIL",
           N_RANDOM);
    return t && w && r ? 0 : 1;
}
