/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the SSDP ALG (UPnP Device Architecture 1.1
 * / 2.0 discovery: HTTP-style messages over UDP 1900), stateless.
 *
 * In NOTIFY, M-SEARCH and their HTTP/1.x responses, the URLs in the
 * LOCATION, AL and SECURELOCATION.UPNP.ORG headers carry an address
 * literal of the sender's family:
 *
 *   - 4to6: http://192.168.0.50:80/d.xml -> http://[fe80::c0a8:32]:80/d.xml
 *     (RFC 5952 text) for a literal the core translates
 *     (nat64_alg_addr4_ok(): not 127/8, not 192.168/16 with the
 *     well-known prefix, ...); other literals stay;
 *   - 6to4: http://[fe80::c0a8:64]:80/ -> http://192.168.0.100:80/ for a
 *     literal inside the prefix whose IPv4 address the core translates
 *     (an RFC 6874 zone id "%25em1" is dropped with it: an IPv4 URL has
 *     none); other literals stay.
 *
 * Host names and everything else stay byte for byte.  A rewrite that
 * would exceed the limit or the buffer drops the message
 * (NAT64_ALG_DROP); one that does not look like SSDP passes unchanged.
 */
#include "alg.h"

#define NSSDP_MAX_LITERAL 64        /* "[" IPv6 "%25" zone "]", generous. */
#define NSSDP_TEXT_MAX 48           /* Longest replacement text. */

/* The header names whose values carry URLs (case-insensitive). */
static const char *const nssdp_url_headers[] = {
    "LOCATION", "AL", "SECURELOCATION.UPNP.ORG",
};
#define NSSDP_N_URL_HEADERS \
    (sizeof nssdp_url_headers / sizeof nssdp_url_headers[0])

static uint8_t
nssdp_upper(uint8_t ch)
{
    return ch >= 'a' && ch <= 'z' ? (uint8_t) (ch - 'a' + 'A') : ch;
}

/* Nonzero if [p, p + n) equals 'name' ignoring ASCII case. */
static int
nssdp_name_is(const uint8_t *p, size_t n, const char *name)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!name[i] || nssdp_upper(p[i]) != (uint8_t) name[i]) {
            return 0;
        }
    }
    return !name[n];
}

static int
nssdp_starts(const uint8_t *p, size_t n, const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++) {
        if (i >= n || p[i] != (uint8_t) s[i]) {
            return 0;
        }
    }
    return 1;
}

static int
nssdp_hex(uint8_t ch)
{
    return (ch >= '0' && ch <= '9' ? ch - '0'
            : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
            : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1);
}

/* Parses a dotted quad of exactly [p, p + n) (no leading zeros, each
 * part <= 255).  Returns 0 on success. */
static int
nssdp_parse4(const uint8_t *p, size_t n, uint8_t ip4[4])
{
    size_t i = 0;
    int part;

    for (part = 0; part < 4; part++) {
        unsigned int v = 0, digits = 0;

        if (part) {
            if (i >= n || p[i] != '.') {
                return -1;
            }
            i++;
        }
        while (i < n && p[i] >= '0' && p[i] <= '9' && digits < 4) {
            v = v * 10 + (p[i] - '0');
            digits++;
            i++;
        }
        if (!digits || digits > 3 || v > 255
            || (digits > 1 && p[i - digits] == '0')) {
            return -1;
        }
        ip4[part] = (uint8_t) v;
    }
    return i == n ? 0 : -1;
}

/* Parses IPv6 text [p, p + n) (RFC 4291 2.2, a trailing dotted quad
 * allowed).  Returns 0 on success. */
static int
nssdp_parse6(const uint8_t *p, size_t n, uint8_t ip6[16])
{
    uint8_t w[16];
    size_t i = 0, gap = 16;
    unsigned int o = 0;

    if (n >= 2 && p[0] == ':' && p[1] == ':') {
        gap = 0;
        i = 2;
    } else if (n && p[0] == ':') {
        return -1;
    }
    while (i < n) {             /* 'i' grows every round. */
        unsigned int v = 0, digits = 0;
        size_t j = i;

        while (j < n && nssdp_hex(p[j]) >= 0 && digits < 5) {
            v = v * 16 + (unsigned int) nssdp_hex(p[j]);
            digits++;
            j++;
        }
        if (j < n && p[j] == '.') {
            /* Embedded IPv4: the rest of the text. */
            if (o > 12 || nssdp_parse4(p + i, n - i, w + o)) {
                return -1;
            }
            o += 4;
            i = n;
            break;
        }
        if (!digits || digits > 4 || o >= 16) {
            return -1;
        }
        w[o++] = (uint8_t) (v >> 8);
        w[o++] = (uint8_t) v;
        i = j;
        if (i == n) {
            break;
        }
        if (p[i] != ':') {
            return -1;
        }
        i++;
        if (i < n && p[i] == ':') {
            if (gap != 16) {
                return -1;      /* A second "::". */
            }
            gap = o;
            i++;
        } else if (i == n) {
            return -1;          /* Trailing single colon. */
        }
    }
    if (gap == 16 ? o != 16 : o > 14) {
        return -1;
    }
    memset(ip6, 0, 16);
    if (gap == 16) {
        memcpy(ip6, w, 16);
    } else {
        memcpy(ip6, w, gap);
        memcpy(ip6 + 16 - (o - gap), w + gap, o - gap);
    }
    return 0;
}

static size_t
nssdp_put_dec(uint8_t *out, unsigned int v)
{
    size_t n = 0;

    if (v >= 100) {
        out[n++] = (uint8_t) ('0' + v / 100);
    }
    if (v >= 10) {
        out[n++] = (uint8_t) ('0' + v / 10 % 10);
    }
    out[n++] = (uint8_t) ('0' + v % 10);
    return n;
}

static size_t
nssdp_fmt4(const uint8_t ip4[4], uint8_t *out)
{
    size_t n = 0;
    int i;

    for (i = 0; i < 4; i++) {
        if (i) {
            out[n++] = '.';
        }
        n += nssdp_put_dec(out + n, ip4[i]);
    }
    return n;
}

/* RFC 5952 text: lower case, no leading zeros, the longest run of two or
 * more zero groups (the first of equals) as "::". */
static size_t
nssdp_fmt6(const uint8_t ip6[16], uint8_t *out)
{
    static const char hex[] = "0123456789abcdef";
    int best = -1, best_len = 0, i;
    size_t n = 0;

    for (i = 0; i < 8; i++) {
        int j = i;

        while (j < 8 && !ip6[2 * j] && !ip6[2 * j + 1]) {
            j++;
        }
        if (j - i > best_len && j - i >= 2) {
            best = i;
            best_len = j - i;
        }
        if (j > i) {
            i = j - 1;
        }
    }
    for (i = 0; i < 8; i++) {
        unsigned int v = ((unsigned int) ip6[2 * i] << 8) | ip6[2 * i + 1];
        int shift, started = 0;

        if (i == best) {
            out[n++] = ':';
            out[n++] = ':';
            i += best_len - 1;
            continue;
        }
        if (i && i != best + best_len) {
            out[n++] = ':';
        }
        for (shift = 12; shift >= 0; shift -= 4) {
            unsigned int dgt = (v >> shift) & 0xf;

            if (dgt || started || !shift) {
                out[n++] = (uint8_t) hex[dgt];
                started = 1;
            }
        }
    }
    return n;
}

/* The host of a URL starting at 'p' (n bytes up to the end of the header
 * value): its length in '*hlen' and its replacement in 'out' (returned
 * length), or 0 if it stays. */
static size_t
nssdp_host(const struct nat64_alg_msg *mm, const uint8_t *p, size_t n,
           size_t *hlen, uint8_t out[NSSDP_TEXT_MAX])
{
    uint8_t ip4[4], ip6[16];
    size_t i, zone;

    if (mm->dir == NAT64_6TO4) {
        if (!n || p[0] != '[') {
            return 0;
        }
        for (i = 1; i < n && i < NSSDP_MAX_LITERAL && p[i] != ']'; i++) {
            continue;
        }
        if (i >= n || p[i] != ']') {
            return 0;
        }
        for (zone = 1; zone < i && p[zone] != '%'; zone++) {
            continue;
        }
        if (nssdp_parse6(p + 1, zone - 1, ip6)
            || nat64_alg_addr_6to4(mm->cfg, ip6, ip4)) {
            return 0;
        }
        *hlen = i + 1;
        return nssdp_fmt4(ip4, out);
    }
    for (i = 0; i < n && i < NSSDP_MAX_LITERAL
                && ((p[i] >= '0' && p[i] <= '9') || p[i] == '.'); i++) {
        continue;
    }
    if (i < n && p[i] != ':' && p[i] != '/' && p[i] != '>'
        && p[i] != '?' && p[i] != '#' && p[i] != ' ' && p[i] != '\t'
        && p[i] != '\r' && p[i] != '\n') {
        return 0;
    }
    if (nssdp_parse4(p, i, ip4) || !nat64_alg_addr4_ok(mm->cfg, ip4)) {
        return 0;
    }
    nat64_addr_4to6(mm->cfg, ip4, ip6);
    *hlen = i;
    out[0] = '[';
    i = 1 + nssdp_fmt6(ip6, out + 1);
    out[i++] = ']';
    return i;
}

/* Adds the edits for the URLs in the header value [v, e). */
static int
nssdp_value(const struct nat64_alg_msg *mm, size_t v, size_t e,
            struct nat64_alg_edit *ed, unsigned int *n_ed, long *cum,
            long *grow)
{
    const uint8_t *m = mm->msg;
    size_t i;

    for (i = v; i + 3 <= e; i++) {
        uint8_t text[NSSDP_TEXT_MAX];
        size_t hlen = 0, tl, h = i + 3;

        if (m[i] != ':' || m[i + 1] != '/' || m[i + 2] != '/') {
            continue;
        }
        tl = nssdp_host(mm, m + h, e - h, &hlen, text);
        if (!tl) {
            continue;
        }
        if (*n_ed >= NAT64_ALG_MAX_EDITS) {
            return 0;
        }
        ed[*n_ed].start = (uint16_t) h;
        ed[*n_ed].end = (uint16_t) (h + hlen);
        ed[*n_ed].delta = (int16_t) ((long) tl - (long) hlen);
        *cum += ed[*n_ed].delta;
        if (*cum > *grow) {
            *grow = *cum;
        }
        (*n_ed)++;
        i = h + hlen - 1;
    }
    return 1;
}

enum nat64_alg_verdict
nat64_alg_ssdp(struct nat64_alg_msg *mm, size_t *new_len)
{
    struct nat64_alg_edit ed[NAT64_ALG_MAX_EDITS];
    const uint8_t *m = mm->msg;
    size_t len = mm->len, i = 0, in, out;
    unsigned int n_ed = 0, k, h;
    long cum = 0, grow = 0;
    uint8_t *src, *d = mm->msg;

    if (!nssdp_starts(m, len, "NOTIFY ") && !nssdp_starts(m, len, "HTTP/1.")
        && !nssdp_starts(m, len, "M-SEARCH ")) {
        return NAT64_ALG_PASS;
    }
    /* Skip the start line, then one header per line up to the empty
     * line (CRLF, or a bare LF, ends a line). */
    while (i < len && m[i] != '\n') {
        i++;
    }
    while (i < len) {           /* 'i' grows every round. */
        size_t ls = ++i, le, colon, ve;

        while (i < len && m[i] != '\n') {
            i++;
        }
        le = i;
        ve = le > ls && m[le - 1] == '\r' ? le - 1 : le;
        if (ve == ls) {
            break;              /* End of the headers. */
        }
        for (colon = ls; colon < ve && m[colon] != ':'; colon++) {
            continue;
        }
        if (colon == ve) {
            continue;
        }
        for (h = 0; h < NSSDP_N_URL_HEADERS; h++) {
            size_t nl = colon - ls;

            while (nl && (m[ls + nl - 1] == ' ' || m[ls + nl - 1] == '\t')) {
                nl--;
            }
            if (nssdp_name_is(m + ls, nl, nssdp_url_headers[h])) {
                if (!nssdp_value(mm, colon + 1, ve, ed, &n_ed, &cum,
                                 &grow)) {
                    return NAT64_ALG_PASS;
                }
                break;
            }
        }
    }
    if (!n_ed) {
        return NAT64_ALG_PASS;
    }
    if ((long) len + cum > (long) mm->limit
        || len + (size_t) grow > mm->room) {
        return NAT64_ALG_DROP;
    }

    src = nat64_alg_shift(mm, len, (size_t) grow);
    in = 0;
    out = 0;
    for (k = 0; k < n_ed; k++) {
        uint8_t text[NSSDP_TEXT_MAX];
        size_t hlen = 0, tl;

        memmove(d + out, src + in, ed[k].start - in);
        out += ed[k].start - in;
        in = ed[k].start;
        tl = nssdp_host(mm, src + in, len - in, &hlen, text);
        memcpy(d + out, text, tl);
        out += tl;
        in += hlen;
    }
    memmove(d + out, src + in, len - in);
    out += len - in;
    *new_len = out;
    return NAT64_ALG_DONE;
}
