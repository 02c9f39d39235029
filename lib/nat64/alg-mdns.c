/* SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only */
/*
 * ovs-nat64 translator core: the mDNS / DNS-SD ALG (RFC 6762, 6763 over
 * the RFC 1035 message format), stateless.
 *
 * In each direction the receiving side gets only addresses it can reach:
 *
 *   - 4to6: A records (class IN) become AAAA records of the mapped
 *     address; AAAA records (the IPv4 device's own IPv6 addresses, which
 *     the translation does not carry) are removed, and so are A records
 *     of addresses the core would not translate (nat64_alg_addr4_ok():
 *     e.g. 192.168/16 with the well-known prefix).  Questions for A
 *     become questions for AAAA.
 *   - 6to4: AAAA records inside the prefix whose IPv4 address the core
 *     translates become A records; other AAAA records and A records are
 *     removed.  Questions for AAAA become questions for A.
 *   - ANY questions and all other types stay; NSEC type bitmaps (RFC 4034
 *     4.1.2) say AAAA (4to6) / A (6to4) exactly when they said A / AAAA,
 *     and never the other.
 *
 * Name, class (with the mDNS cache-flush bit), TTL and order of the kept
 * records are unchanged.  Record sizes change, so every compression
 * pointer is rewritten through the edit list; the counts, the UDP length
 * and checksum follow.  A message whose answer and authority sections do
 * not fit the limit is dropped (NAT64_ALG_DROP); additional records that
 * do not fit are left out (RFC 2181 9: no TC bit for those).  Anything
 * not understood passes unchanged: a bad label, a pointer that does not
 * point backwards, a record past the end, a pointer into rewritten bytes.
 *
 * Pointers are never followed, so no loop over them exists; every loop
 * consumes at least one byte of the message.
 */
#include "alg.h"

#define NDNS_HDR_LEN 12
#define NDNS_RR_FIXED 10            /* Type, class, TTL, rdlength. */
#define NDNS_RR_CLASS_OFS 2         /* In the fixed part (RFC 1035 4.1.3). */
#define NDNS_RR_RDLEN_OFS 8
#define NDNS_Q_FIXED 4              /* A question's type and class. */
#define NDNS_Q_CLASS_OFS 2
#define NDNS_HDR_QDCOUNT_OFS 4      /* Header counts (RFC 1035 4.1.1). */
#define NDNS_HDR_ANCOUNT_OFS 6      /* Then NSCOUNT and ARCOUNT. */
#define NDNS_COUNT_LEN 2
#define NDNS_NSEC_WIN_HDR 2         /* Window number, bitmap length. */
#define NDNS_A_LEN 4                /* RDATA of A and of AAAA. */
#define NDNS_AAAA_LEN 16
#define NDNS_MAX_RR 64              /* Records tracked for the cut. */
#define NDNS_MAX_NAME 255           /* RFC 1035 2.3.4. */
#define NDNS_MAX_PTRS 3             /* Names in one record (owner + 2). */
#define NDNS_FLAG_TC 0x02           /* In header byte 2. */

#define NDNS_TYPE_A 1
#define NDNS_TYPE_NS 2
#define NDNS_TYPE_MD 3
#define NDNS_TYPE_MF 4
#define NDNS_TYPE_CNAME 5
#define NDNS_TYPE_SOA 6
#define NDNS_TYPE_MB 7
#define NDNS_TYPE_MG 8
#define NDNS_TYPE_MR 9
#define NDNS_TYPE_PTR 12
#define NDNS_TYPE_MINFO 14
#define NDNS_TYPE_MX 15
#define NDNS_TYPE_RP 17
#define NDNS_TYPE_AFSDB 18
#define NDNS_TYPE_RT 21
#define NDNS_TYPE_PX 26
#define NDNS_TYPE_AAAA 28
#define NDNS_TYPE_SRV 33
#define NDNS_TYPE_KX 36
#define NDNS_TYPE_DNAME 39
#define NDNS_TYPE_NSEC 47
#define NDNS_CLASS_IN 1
#define NDNS_CLASS_MASK 0x7fff      /* Without cache-flush / QU bit. */

/* NSEC window 0 bits (RFC 4034 4.1.2: type t is bit t % 8, counted from
 * the most significant, of byte t / 8). */
#define NDNS_BIT_A_BYTE 0
#define NDNS_BIT_A_MASK 0x40
#define NDNS_BIT_AAAA_BYTE 3
#define NDNS_BIT_AAAA_MASK 0x08
#define NDNS_WINDOW_MAX 32

enum ndns_action {
    NDNS_KEEP,                  /* Copied (names' pointers rewritten). */
    NDNS_TO_AAAA,               /* A -> AAAA of the mapped address. */
    NDNS_TO_A,                  /* AAAA -> A. */
    NDNS_REMOVE,                /* Left out. */
    NDNS_NSEC,                  /* Type bitmap rewritten. */
};

struct ndns_plan {
    struct nat64_alg_edit edit[NAT64_ALG_MAX_EDITS];
    unsigned int n_edits;
    int allow_remove;
    unsigned int n_rr;          /* Records in the message. */
    unsigned int n_keep;        /* Records written (a prefix). */
    uint16_t count[3];          /* Records per section in the message. */
    /* Per record: input end, output end, the largest growth of any
     * prefix up to it. */
    uint16_t in_end[NDNS_MAX_RR];
    uint16_t out_end[NDNS_MAX_RR];
    uint16_t grow[NDNS_MAX_RR];
    size_t q_end;               /* End of the question section. */
    size_t trail;               /* Bytes after the last record. */
    int keep_trail;             /* Written too. */
    int changed;                /* Anything to rewrite at all. */
};

/* What the planner found about one message. */
enum ndns_status {
    NDNS_OK,
    NDNS_BAD,                   /* Not understood: pass unchanged. */
    NDNS_RETRY,                 /* A pointer into a removed record. */
};

/* Skips the name at 'off' (within [0, lim)), at most one pointer at its
 * end, which must point before the name.  Returns the offset after it
 * or 0 if malformed; '*ptr' is the pointer target or -1. */
static size_t
ndns_skip_name(const uint8_t *m, size_t lim, size_t off, long *ptr)
{
    size_t start = off, n = 0;

    *ptr = -1;
    while (off < lim) {         /* 'off' grows every round. */
        uint8_t b = m[off];

        if (b == 0) {
            return off + 1;
        }
        if ((b & 0xc0) == 0xc0) {
            size_t t;

            if (off + 1 >= lim) {
                return 0;
            }
            t = ((size_t) (b & 0x3f) << 8) | m[off + 1];
            if (t >= start) {
                return 0;       /* Forward or self: refused. */
            }
            *ptr = (long) t;
            return off + 2;
        }
        if (b & 0xc0) {
            return 0;           /* Extended label types (RFC 6891). */
        }
        n += (size_t) b + 1;
        if (n > NDNS_MAX_NAME) {
            return 0;
        }
        off += (size_t) b + 1;
    }
    return 0;
}

/* Checks a pointer target against the edits so far: a target inside a
 * rewritten span cannot be rewritten. */
static enum ndns_status
ndns_check_ptr(const struct ndns_plan *p, long t)
{
    unsigned int i;

    if (t < 0) {
        return NDNS_OK;
    }
    for (i = 0; i < p->n_edits; i++) {
        const struct nat64_alg_edit *e = &p->edit[i];

        if ((size_t) t >= e->start && (size_t) t < e->end) {
            /* Into a removed record: plan again without removals. */
            return (p->allow_remove && e->delta == -(e->end - e->start)
                    ? NDNS_RETRY : NDNS_BAD);
        }
    }
    return NDNS_OK;
}

/* The new offset of input offset 't' (not inside an edit). */
static size_t
ndns_map(const struct ndns_plan *p, size_t t)
{
    long d = 0;
    unsigned int i;

    for (i = 0; i < p->n_edits && p->edit[i].end <= t; i++) {
        d += p->edit[i].delta;
    }
    return (size_t) ((long) t + d);
}

/* Offsets of the names inside the rdata of 'type' ('n' of them, each
 * after a fixed part): returns the number of names and sets 'fixed' to
 * the bytes before the first, 'between' to the bytes between two. */
static unsigned int
ndns_rdata_names(uint16_t type, size_t *fixed, size_t *between)
{
    *fixed = 0;
    *between = 0;
    switch (type) {
    case NDNS_TYPE_NS: case NDNS_TYPE_MD: case NDNS_TYPE_MF:
    case NDNS_TYPE_CNAME: case NDNS_TYPE_MB: case NDNS_TYPE_MG:
    case NDNS_TYPE_MR: case NDNS_TYPE_PTR: case NDNS_TYPE_DNAME:
    case NDNS_TYPE_NSEC:
        return 1;
    case NDNS_TYPE_SOA: case NDNS_TYPE_MINFO: case NDNS_TYPE_RP:
        return 2;
    case NDNS_TYPE_MX: case NDNS_TYPE_AFSDB: case NDNS_TYPE_RT:
    case NDNS_TYPE_KX:
        *fixed = 2;
        return 1;
    case NDNS_TYPE_PX:
        *fixed = 2;
        return 2;
    case NDNS_TYPE_SRV:
        *fixed = 6;
        return 1;
    default:
        return 0;
    }
}

/* Window 0 of an NSEC type bitmap rewritten for 'dir' into 'out' (32
 * bytes); returns its new length (0: window left out). */
static size_t
ndns_nsec_window0(enum nat64_direction dir, const uint8_t *w, size_t len,
                  uint8_t out[NDNS_WINDOW_MAX])
{
    int has_a, has_aaaa;
    size_t n = len;

    memset(out, 0, NDNS_WINDOW_MAX);
    memcpy(out, w, len);
    has_a = (out[NDNS_BIT_A_BYTE] & NDNS_BIT_A_MASK) != 0;
    has_aaaa = (out[NDNS_BIT_AAAA_BYTE] & NDNS_BIT_AAAA_MASK) != 0;
    out[NDNS_BIT_A_BYTE] &= (uint8_t) ~NDNS_BIT_A_MASK;
    out[NDNS_BIT_AAAA_BYTE] &= (uint8_t) ~NDNS_BIT_AAAA_MASK;
    if (dir == NAT64_4TO6 ? has_a : has_aaaa) {
        if (dir == NAT64_4TO6) {
            out[NDNS_BIT_AAAA_BYTE] |= NDNS_BIT_AAAA_MASK;
        } else {
            out[NDNS_BIT_A_BYTE] |= NDNS_BIT_A_MASK;
        }
    }
    if (n < NDNS_BIT_AAAA_BYTE + 1) {
        n = NDNS_BIT_AAAA_BYTE + 1;
    }
    while (n && !out[n - 1]) {  /* RFC 4034: no trailing zero bytes. */
        n--;
    }
    return n;
}

/* Parses the NSEC rdata [rd, rd + rdlen): the next name, then windows in
 * order.  Sets '*bm' to the bitmap offset and '*w0' to the length of
 * window 0 (0 if absent).  Returns 0 if malformed. */
static int
ndns_nsec_parse(const uint8_t *m, size_t rd, size_t rdlen, long *ptr,
                size_t *bm, size_t *w0)
{
    size_t end = rd + rdlen, o;

    o = ndns_skip_name(m, end, rd, ptr);
    if (!o) {
        return 0;
    }
    *bm = o;
    *w0 = 0;
    while (o < end) {           /* 'o' grows by at least 3. */
        size_t wl;

        if (end - o < NDNS_NSEC_WIN_HDR) {
            return 0;
        }
        wl = m[o + 1];          /* After the window number. */
        if (wl < 1 || wl > NDNS_WINDOW_MAX
            || wl > end - o - NDNS_NSEC_WIN_HDR) {
            return 0;
        }
        if (o == *bm && m[o] == 0) {
            *w0 = wl;
        }
        o += NDNS_NSEC_WIN_HDR + wl;
    }
    return 1;
}

/* Decides what happens to the record whose fixed part starts at 'f'. */
static enum ndns_action
ndns_rr_action(const struct nat64_alg_msg *mm, const uint8_t *m, size_t f,
               int allow_remove)
{
    uint16_t type = nat64_get_be16(m + f);
    uint16_t cls = nat64_get_be16(m + f + NDNS_RR_CLASS_OFS) & NDNS_CLASS_MASK;
    uint16_t rdlen = nat64_get_be16(m + f + NDNS_RR_RDLEN_OFS);
    enum ndns_action a = NDNS_KEEP;
    uint8_t ip4[4];

    if (type == NDNS_TYPE_NSEC) {
        size_t bm, w0;
        long ptr;

        /* A bitmap we cannot parse (some stacks write window and length
         * as 16-bit words) is kept as it is; its name is still a name. */
        return (ndns_nsec_parse(m, f + NDNS_RR_FIXED, rdlen, &ptr, &bm, &w0)
                ? NDNS_NSEC : NDNS_KEEP);
    }
    if (cls != NDNS_CLASS_IN) {
        return NDNS_KEEP;
    }
    if (type == NDNS_TYPE_A && rdlen == NDNS_A_LEN) {
        a = (mm->dir == NAT64_4TO6
             && nat64_alg_addr4_ok(mm->cfg, m + f + NDNS_RR_FIXED)
             ? NDNS_TO_AAAA : NDNS_REMOVE);
    } else if (type == NDNS_TYPE_AAAA && rdlen == NDNS_AAAA_LEN) {
        a = (mm->dir == NAT64_6TO4
             && !nat64_alg_addr_6to4(mm->cfg, m + f + NDNS_RR_FIXED, ip4)
             ? NDNS_TO_A : NDNS_REMOVE);
    }
    return a == NDNS_REMOVE && !allow_remove ? NDNS_KEEP : a;
}

static int
ndns_add_edit(struct ndns_plan *p, size_t start, size_t end, long delta)
{
    struct nat64_alg_edit *e;

    if (p->n_edits >= NAT64_ALG_MAX_EDITS) {
        return 0;
    }
    e = &p->edit[p->n_edits++];
    e->start = (uint16_t) start;
    e->end = (uint16_t) end;
    e->delta = (int16_t) delta;
    p->changed = 1;
    return 1;
}

/* Question types the other side answers: A <-> AAAA. */
static uint16_t
ndns_qtype(enum nat64_direction dir, uint16_t qtype, uint16_t qclass)
{
    qclass &= NDNS_CLASS_MASK;
    if (qclass != NDNS_CLASS_IN) {
        return qtype;
    }
    if (dir == NAT64_4TO6 && qtype == NDNS_TYPE_A) {
        return NDNS_TYPE_AAAA;
    }
    if (dir == NAT64_6TO4 && qtype == NDNS_TYPE_AAAA) {
        return NDNS_TYPE_A;
    }
    return qtype;
}

/* The read-only pass: validates the message, lists the edits, records
 * where each record ends before and after. */
static enum ndns_status
ndns_plan(const struct nat64_alg_msg *mm, struct ndns_plan *p)
{
    const uint8_t *m = mm->msg;
    size_t len = mm->len, off = NDNS_HDR_LEN;
    unsigned int qd, i, k, s;
    long cum = 0, grow = 0;

    p->n_edits = 0;
    p->changed = 0;
    if (len < NDNS_HDR_LEN) {
        return NDNS_BAD;
    }
    qd = nat64_get_be16(m + NDNS_HDR_QDCOUNT_OFS);
    for (s = 0; s < 3; s++) {
        p->count[s] = nat64_get_be16(m + NDNS_HDR_ANCOUNT_OFS
                                     + NDNS_COUNT_LEN * s);
    }
    p->n_rr = (unsigned int) p->count[0] + p->count[1] + p->count[2];
    if (p->n_rr > NDNS_MAX_RR) {
        return NDNS_BAD;
    }
    for (i = 0; i < qd; i++) {
        long ptr;

        off = ndns_skip_name(m, len, off, &ptr);
        if (!off || len - off < NDNS_Q_FIXED) {
            return NDNS_BAD;
        }
        if (ndns_qtype(mm->dir, nat64_get_be16(m + off),
                       nat64_get_be16(m + off + NDNS_Q_CLASS_OFS))
            != nat64_get_be16(m + off)) {
            p->changed = 1;
        }
        off += NDNS_Q_FIXED;
    }
    p->q_end = off;

    for (k = 0; k < p->n_rr; k++) {
        long ptrs[NDNS_MAX_PTRS];
        unsigned int np = 0, j;
        size_t f, rd, rdlen, rdend;
        enum ndns_action a;
        size_t rr_start = off;

        off = ndns_skip_name(m, len, off, &ptrs[np++]);
        if (!off || len - off < NDNS_RR_FIXED) {
            return NDNS_BAD;
        }
        f = off;
        rd = f + NDNS_RR_FIXED;
        rdlen = nat64_get_be16(m + f + NDNS_RR_RDLEN_OFS);
        if (rdlen > len - rd) {
            return NDNS_BAD;
        }
        rdend = rd + rdlen;
        a = ndns_rr_action(mm, m, f, p->allow_remove);

        if (a == NDNS_NSEC) {
            size_t bm, w0;
            uint8_t w[NDNS_WINDOW_MAX];
            long d;

            if (!ndns_nsec_parse(m, rd, rdlen, &ptrs[np++], &bm, &w0)) {
                return NDNS_BAD;
            }
            if (w0) {
                const uint8_t *win = m + bm + NDNS_NSEC_WIN_HDR;
                size_t nl = ndns_nsec_window0(mm->dir, win, w0, w);

                d = (long) (nl ? nl + NDNS_NSEC_WIN_HDR : 0)
                    - (long) (w0 + NDNS_NSEC_WIN_HDR);
                if ((d || memcmp(w, win, w0))
                    && (!ndns_add_edit(p, f + NDNS_RR_RDLEN_OFS,
                                       f + NDNS_RR_FIXED, 0)
                        || !ndns_add_edit(p, bm,
                                          bm + NDNS_NSEC_WIN_HDR + w0, d))) {
                    return NDNS_BAD;
                }
                cum += d;
            }
        } else {
            size_t fixed, between, o = rd;
            unsigned int nn = ndns_rdata_names(nat64_get_be16(m + f),
                                               &fixed, &between);

            /* Names in rdata must lie inside it. */
            for (j = 0; j < nn; j++) {
                o += j ? between : fixed;
                if (o > rdend) {
                    return NDNS_BAD;
                }
                o = ndns_skip_name(m, rdend, o, &ptrs[np++]);
                if (!o) {
                    return NDNS_BAD;
                }
            }
            if (a == NDNS_TO_AAAA || a == NDNS_TO_A) {
                long d = a == NDNS_TO_AAAA ? 12 : -12;

                if (!ndns_add_edit(p, f, rdend, d)) {
                    return NDNS_BAD;
                }
                cum += d;
            } else if (a == NDNS_REMOVE) {
                if (!ndns_add_edit(p, rr_start, rdend,
                                   -(long) (rdend - rr_start))) {
                    return NDNS_BAD;
                }
                cum -= (long) (rdend - rr_start);
            }
        }
        if (a != NDNS_REMOVE) {
            for (j = 0; j < np; j++) {
                enum ndns_status st = ndns_check_ptr(p, ptrs[j]);

                if (st != NDNS_OK) {
                    return st;
                }
            }
        }
        if (cum > grow) {
            grow = cum;
        }
        off = rdend;
        p->in_end[k] = (uint16_t) off;
        p->out_end[k] = (uint16_t) ((long) off + cum);
        p->grow[k] = (uint16_t) grow;
    }
    p->trail = len - off;
    return NDNS_OK;
}

/* Copies the name at input 's' + *in to output 'd' + *out, rewriting its
 * pointer.  The planner validated it. */
static void
ndns_copy_name(const struct ndns_plan *p, const uint8_t *s, uint8_t *d,
               size_t *in, size_t *out)
{
    for (;;) {                  /* Validated: ends within the message. */
        uint8_t b = s[*in];

        if (b == 0) {
            d[(*out)++] = 0;
            (*in)++;
            return;
        }
        if ((b & 0xc0) == 0xc0) {
            size_t t = ((size_t) (b & 0x3f) << 8) | s[*in + 1];

            nat64_put_be16(d + *out, (uint16_t) (0xc000 | ndns_map(p, t)));
            *in += 2;
            *out += 2;
            return;
        }
        memmove(d + *out, s + *in, (size_t) b + 1);
        *in += (size_t) b + 1;
        *out += (size_t) b + 1;
    }
}

/* Moves 'n' bytes from input to output. */
static void
ndns_copy(const uint8_t *s, uint8_t *d, size_t *in, size_t *out, size_t n)
{
    memmove(d + *out, s + *in, n);
    *in += n;
    *out += n;
}

/* Writes record 'k' whose owner name starts at input *in. */
static void
ndns_write_rr(const struct nat64_alg_msg *mm, const struct ndns_plan *p,
              const uint8_t *s, uint8_t *d, size_t *in, size_t *out)
{
    size_t f, fixed, between, rdlen, rdend, o = *out, i;
    uint8_t hdr[NDNS_RR_FIXED], rdata[NDNS_AAAA_LEN];
    enum ndns_action a;
    unsigned int nn, j;
    long ptr;

    f = ndns_skip_name(s, mm->len, *in, &ptr);
    a = ndns_rr_action(mm, s, f, p->allow_remove);
    rdlen = nat64_get_be16(s + f + NDNS_RR_RDLEN_OFS);
    rdend = f + NDNS_RR_FIXED + rdlen;
    if (a == NDNS_REMOVE) {
        *in = rdend;
        return;
    }
    ndns_copy_name(p, s, d, in, &o);
    memcpy(hdr, s + f, NDNS_RR_FIXED);
    i = f + NDNS_RR_FIXED;

    switch (a) {
    case NDNS_TO_AAAA:
        memcpy(rdata, s + i, NDNS_A_LEN);
        nat64_put_be16(hdr, NDNS_TYPE_AAAA);
        nat64_put_be16(hdr + NDNS_RR_RDLEN_OFS, NDNS_AAAA_LEN);
        memcpy(d + o, hdr, NDNS_RR_FIXED);
        nat64_addr_4to6(mm->cfg, rdata, d + o + NDNS_RR_FIXED);
        o += NDNS_RR_FIXED + NDNS_AAAA_LEN;
        i = rdend;
        break;
    case NDNS_TO_A:
        memcpy(rdata, s + i, NDNS_AAAA_LEN);
        nat64_put_be16(hdr, NDNS_TYPE_A);
        nat64_put_be16(hdr + NDNS_RR_RDLEN_OFS, NDNS_A_LEN);
        memcpy(d + o, hdr, NDNS_RR_FIXED);
        (void) nat64_addr_6to4(mm->cfg, rdata, d + o + NDNS_RR_FIXED);
        o += NDNS_RR_FIXED + NDNS_A_LEN;
        i = rdend;
        break;
    case NDNS_NSEC: {
        size_t lenpos = o + NDNS_RR_RDLEN_OFS, rstart, bm, w0;
        uint8_t w[NDNS_WINDOW_MAX];

        (void) ndns_nsec_parse(s, i, rdlen, &ptr, &bm, &w0);
        memcpy(d + o, hdr, NDNS_RR_FIXED);
        o += NDNS_RR_FIXED;
        rstart = o;
        ndns_copy_name(p, s, d, &i, &o);
        if (w0) {
            size_t nl = ndns_nsec_window0(mm->dir, s + bm + NDNS_NSEC_WIN_HDR,
                                          w0, w);

            i = bm + NDNS_NSEC_WIN_HDR + w0;
            if (nl) {
                d[o] = 0;
                d[o + 1] = (uint8_t) nl;
                memcpy(d + o + NDNS_NSEC_WIN_HDR, w, nl);
                o += NDNS_NSEC_WIN_HDR + nl;
            }
        }
        ndns_copy(s, d, &i, &o, rdend - i);
        nat64_put_be16(d + lenpos, (uint16_t) (o - rstart));
        break;
    }
    case NDNS_KEEP:
    case NDNS_REMOVE:
    default:
        memmove(d + o, hdr, NDNS_RR_FIXED);
        o += NDNS_RR_FIXED;
        nn = ndns_rdata_names(nat64_get_be16(hdr), &fixed, &between);
        for (j = 0; j < nn; j++) {
            ndns_copy(s, d, &i, &o, j ? between : fixed);
            ndns_copy_name(p, s, d, &i, &o);
        }
        ndns_copy(s, d, &i, &o, rdend - i);
        break;
    }
    *in = rdend;
    *out = o;
}

/* Nonzero if the first 'k' records (and the trailing bytes, if
 * 'trail') fit the limit, and the room with their growth. */
static int
ndns_fits(const struct nat64_alg_msg *mm, const struct ndns_plan *p,
          unsigned int k, int trail)
{
    size_t in = k ? p->in_end[k - 1] : p->q_end;
    size_t out = k ? p->out_end[k - 1] : p->q_end;
    size_t grow = k ? p->grow[k - 1] : 0;

    if (trail) {
        in += p->trail;
        out += p->trail;
    }
    return out <= mm->limit && in + grow <= mm->room;
}

/* Picks the longest prefix of records that fits; 0 if the answer and
 * authority sections do not. */
static int
ndns_cut(const struct nat64_alg_msg *mm, struct ndns_plan *p)
{
    unsigned int need = (unsigned int) p->count[0] + p->count[1];
    unsigned int k;

    p->keep_trail = 1;
    if (ndns_fits(mm, p, p->n_rr, 1)) {
        p->n_keep = p->n_rr;
        return 1;
    }
    p->keep_trail = 0;
    for (k = p->n_rr; k >= need; k--) {     /* At most NDNS_MAX_RR. */
        if (ndns_fits(mm, p, k, 0)) {
            p->n_keep = k;
            return 1;
        }
        if (!k) {
            break;
        }
    }
    return 0;
}

enum nat64_alg_verdict
nat64_alg_mdns(struct nat64_alg_msg *mm, size_t *new_len)
{
    struct ndns_plan p;
    enum ndns_status st;
    size_t in, out, src_len, shift;
    unsigned int k, qd, s, kept[3];
    uint8_t *src, *d = mm->msg;

    p.allow_remove = 1;
    st = ndns_plan(mm, &p);
    if (st == NDNS_RETRY) {
        p.allow_remove = 0;
        st = ndns_plan(mm, &p);
    }
    if (st != NDNS_OK || !p.changed) {
        return NAT64_ALG_PASS;
    }
    if (!ndns_cut(mm, &p)) {
        return NAT64_ALG_DROP;
    }

    k = p.n_keep;
    src_len = k ? p.in_end[k - 1] : p.q_end;
    if (p.keep_trail) {
        src_len += p.trail;
    }
    shift = k ? p.grow[k - 1] : 0;
    src = nat64_alg_shift(mm, src_len, shift);

    /* Header: counts of what is written. */
    in = NDNS_HDR_LEN;
    out = NDNS_HDR_LEN;
    memmove(d, src, NDNS_HDR_LEN);
    qd = nat64_get_be16(d + NDNS_HDR_QDCOUNT_OFS);
    for (s = 0; s < qd; s++) {
        uint16_t qt;

        ndns_copy_name(&p, src, d, &in, &out);
        qt = ndns_qtype(mm->dir, nat64_get_be16(src + in),
                        nat64_get_be16(src + in + NDNS_Q_CLASS_OFS));
        memmove(d + out, src + in, NDNS_Q_FIXED);
        nat64_put_be16(d + out, qt);
        in += NDNS_Q_FIXED;
        out += NDNS_Q_FIXED;
    }
    memset(kept, 0, sizeof kept);
    for (k = 0; k < p.n_keep; k++) {
        size_t before = out;

        s = k < p.count[0] ? 0 : k < (unsigned int) p.count[0] + p.count[1]
                                   ? 1 : 2;
        ndns_write_rr(mm, &p, src, d, &in, &out);
        if (out != before) {
            kept[s]++;
        }
    }
    if (p.keep_trail) {
        ndns_copy(src, d, &in, &out, p.trail);
    }
    for (s = 0; s < 3; s++) {
        nat64_put_be16(d + NDNS_HDR_ANCOUNT_OFS + NDNS_COUNT_LEN * s,
                       (uint16_t) kept[s]);
    }
    *new_len = out;
    return NAT64_ALG_DONE;
}
