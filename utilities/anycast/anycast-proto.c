/* SPDX-License-Identifier: Apache-2.0 */
/* Parser of the load report wire format (see anycast-proto.h). */

#include "anycast-proto.h"

#include <string.h>

#define PERCENT_MAX 100

static int
is_separator(char c)
{
    return c == ' ' || c == '\t' || c == ',' || c == '\r' || c == '\n';
}

/* Parses the decimal number of LEN bytes at S into *VALUE, at most MAX.
 * Returns 0 on success, -1 if it is empty, not all digits or too big. */
static int
parse_uint(const char *s, size_t len, unsigned int max, unsigned int *value)
{
    unsigned long v = 0;
    size_t i;

    if (len == 0 || len > 4) {
        return -1;
    }
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9') {
            return -1;
        }
        v = v * 10 + (unsigned long) (s[i] - '0');
    }
    if (v > max) {
        return -1;
    }
    *value = (unsigned int) v;
    return 0;
}

static int
word_is(const char *w, size_t len, const char *name)
{
    return strlen(name) == len && !memcmp(w, name, len);
}

static const char *
parse_word(const char *w, size_t len, struct anycast_report *r)
{
    static const char weight_prefix[] = "weight:";
    const size_t wp_len = sizeof weight_prefix - 1;

    if (word_is(w, len, "up") || word_is(w, len, "ready")) {
        r->state = ANYCAST_STATE_UP;
    } else if (word_is(w, len, "drain")) {
        r->state = ANYCAST_STATE_DRAIN;
    } else if (word_is(w, len, "down") || word_is(w, len, "stopped")
               || word_is(w, len, "fail") || word_is(w, len, "maint")) {
        r->state = ANYCAST_STATE_DOWN;
    } else if (len > 1 && w[len - 1] == '%') {
        if (parse_uint(w, len - 1, PERCENT_MAX, &r->value)) {
            return "percentage must be 0% to 100%";
        }
        r->kind = ANYCAST_WEIGHT_PERCENT;
    } else if (len > wp_len && !memcmp(w, weight_prefix, wp_len)) {
        if (parse_uint(w + wp_len, len - wp_len, ANYCAST_WEIGHT_MAX,
                       &r->value)) {
            return "weight must be weight:0 to weight:256";
        }
        r->kind = ANYCAST_WEIGHT_ABS;
    } else {
        return "unknown word (valid: up ready drain down stopped fail "
               "maint N% weight:N)";
    }
    return NULL;
}

const char *
anycast_report_parse(const char *buf, size_t len, struct anycast_report *r)
{
    size_t i = 0;
    int words = 0;

    memset(r, 0, sizeof *r);
    if (len > ANYCAST_REPORT_MAX) {
        return "report too long";
    }
    if (memchr(buf, '\0', len)) {
        return "NUL byte in report";
    }
    while (i < len) {
        size_t start;
        const char *error;

        while (i < len && is_separator(buf[i])) {
            i++;
        }
        if (i == len) {
            break;
        }
        start = i;
        while (i < len && !is_separator(buf[i])) {
            i++;
        }
        error = parse_word(buf + start, i - start, r);
        if (error) {
            return error;
        }
        words++;
    }
    return words ? NULL : "empty report";
}

unsigned int
anycast_report_weight(const struct anycast_report *r, unsigned int base,
                      unsigned int current)
{
    unsigned int w = current;

    switch (r->kind) {
    case ANYCAST_WEIGHT_NONE:
        break;
    case ANYCAST_WEIGHT_PERCENT:
        w = (base * r->value + PERCENT_MAX / 2) / PERCENT_MAX;
        break;
    case ANYCAST_WEIGHT_ABS:
        w = r->value;
        break;
    }
    return w;
}

const char *
anycast_state_name(enum anycast_state s)
{
    switch (s) {
    case ANYCAST_STATE_NONE:
        return "none";
    case ANYCAST_STATE_UP:
        return "up";
    case ANYCAST_STATE_DRAIN:
        return "drain";
    case ANYCAST_STATE_DOWN:
        return "down";
    }
    return "?";
}
