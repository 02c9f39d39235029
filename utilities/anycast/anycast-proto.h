/* SPDX-License-Identifier: Apache-2.0 */
/* The load report wire format shared by ovs-anycast-report (which sends
 * it) and ovs-anycast-agent (which parses it).
 *
 * A report is one UDP datagram of at most ANYCAST_REPORT_MAX bytes: one
 * line of ASCII words in HAProxy's agent-check syntax, separated by spaces,
 * tabs or commas, optionally ending in "\n" (or "\r\n"):
 *
 *   up | ready        the server takes new connections (the default)
 *   drain             no new connections; established ones continue
 *   down | stopped | fail | maint
 *                     same as drain for the steering (the agent never
 *                     resets established connections; see the tutorial)
 *   N%                capacity: N percent (0..100) of the server's
 *                     configured weight (e.g. "75%"; a reporter in CPU
 *                     mode sends its idle percentage)
 *   weight:N          absolute weight N (0..ANYCAST_WEIGHT_MAX)
 *
 * A later state word overrides an earlier one; a later weight word
 * overrides an earlier weight word.  Any other word, an empty report, a
 * NUL byte, a number out of range or an over-long datagram makes the whole
 * report invalid: the receiver drops and counts it and keeps its previous
 * state of the server.  Reports carry no server name: the agent identifies
 * the server by the datagram's source address. */

#ifndef ANYCAST_PROTO_H
#define ANYCAST_PROTO_H 1

#include <stddef.h>

#define ANYCAST_REPORT_MAX 256      /* Bytes in one report datagram. */
#define ANYCAST_WEIGHT_MAX 256      /* Largest weight (as HAProxy). */
#define ANYCAST_DEFAULT_PORT 7400   /* UDP port the agent listens on. */

enum anycast_state {
    ANYCAST_STATE_NONE,     /* The report named no state. */
    ANYCAST_STATE_UP,
    ANYCAST_STATE_DRAIN,
    ANYCAST_STATE_DOWN,
};

enum anycast_weight_kind {
    ANYCAST_WEIGHT_NONE,    /* The report named no weight. */
    ANYCAST_WEIGHT_PERCENT, /* value is 0..100 percent of the base. */
    ANYCAST_WEIGHT_ABS,     /* value is 0..ANYCAST_WEIGHT_MAX. */
};

struct anycast_report {
    enum anycast_state state;
    enum anycast_weight_kind kind;
    unsigned int value;
};

/* Parses LEN bytes at BUF into *R.  Returns NULL on success, otherwise a
 * static string saying what is wrong. */
const char *anycast_report_parse(const char *buf, size_t len,
                                 struct anycast_report *r);

/* The weight that report R gives a server whose configured weight is
 * BASE (state drain/down gives 0; no weight word keeps CURRENT). */
unsigned int anycast_report_weight(const struct anycast_report *r,
                                   unsigned int base, unsigned int current);

const char *anycast_state_name(enum anycast_state s);

#endif /* anycast-proto.h */
