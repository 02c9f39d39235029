/* SPDX-License-Identifier: Apache-2.0 */
/*
 * l2mt-police: loads the early per-tenant policer (l2mt-police.bpf.o, an
 * XDP program) on a gateway's underlay interface, sets its tenants' token
 * buckets and prints its counters.  ovs-l2mt runs it; see --help.
 *
 * The maps are found from the interface: its XDP program's id, that
 * program's map ids.  Nothing is pinned, so no bpffs is needed (each
 * 'ip netns exec' gets a fresh /sys without one) and two gateways in two
 * network namespaces never share a map.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <limits.h>
#include <linux/if_link.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "l2mt-police.h"

#ifndef L2MT_POLICE_PKGLIBDIR
#define L2MT_POLICE_PKGLIBDIR "/usr/local/lib/ovs-nat64"
#endif
#define PROG_NAME "l2mt_police"
#define OBJ_NAME "l2mt-police.bpf.o"
#define NSEC_PER_SEC 1000000000ULL
/* Largest rate and burst accepted (packets per second, packets): 10^9 pps
 * makes a cost of 1 ns, the bucket's resolution. */
#define MAX_RATE 1000000000ULL
#define MAX_BURST 100000000ULL
/* The default burst: a tenth of a second of the rate, at least this many
 * packets (as ovs-l2mt's meters). */
#define MIN_BURST 10
#define MAX_MAPS 8

static const char *prog;

static void
usage(void)
{
    printf("\
Usage: %s [--obj=FILE] [--mode=auto|native|generic] attach IF\n\
       %s detach IF\n\
       %s set IF KEY REMOTE_IP PPS [BURST]\n\
       %s del IF KEY REMOTE_IP\n\
       %s unknown IF PPS [BURST]\n\
       %s sources IF PPS [BURST]\n\
       %s new-sources IF PPS [BURST]\n\
       %s nd IF PPS [BURST]\n\
       %s sync IF          (tenants 'KEY REMOTE_IP PPS [BURST]' on stdin)\n\
       %s show IF\n\
\n\
The early per-tenant policer of an ovs-l2mt gateway: an XDP program on\n\
the underlay interface IF that charges every GRE packet to its tenant's\n\
token bucket (the exact GRE key and outer source address, as OVS matches\n\
a tenant's tunnel port) and drops the excess before ovs-vswitchd reads\n\
it.  GRE of no tenant (and GRE fragments) shares one bucket ('unknown');\n\
anything that is not GRE (ARP, ND, frames sent to the gateway itself)\n\
is charged to a bucket per source MAC address; a tenant's ARP and\n\
Neighbor Discovery inside its GRE to a second bucket of the tenant's.\n\
\n\
  attach   load the program on IF (kept if it is there already, so its\n\
           buckets and counters survive; another XDP program is not\n\
           replaced).  --mode: native (driver), generic, or auto (native,\n\
           else generic; the default).  --obj: the compiled program\n\
           (default: %s beside this program, else\n\
           in " L2MT_POLICE_PKGLIBDIR ")\n\
  detach   remove it from IF\n\
  set      add or change tenant KEY/REMOTE_IP's bucket: PPS packets/s,\n\
           BURST packets (default PPS/10, at least %d); counters kept\n\
  del      remove a tenant's bucket (its packets then count as unknown)\n\
  unknown  the shared bucket of GRE that is no tenant's (PPS 0: no limit)\n\
  sources  the bucket every source MAC of non-GRE frames gets (PPS 0:\n\
           non-GRE frames pass unpoliced, the default); also changes the\n\
           buckets of the sources known already\n\
  new-sources  the shared bucket a source must take a token from before\n\
           it gets a bucket (PPS 0: no limit); bounds a flood from ever\n\
           new MACs.  At most %d sources have a bucket; the least\n\
           recently seen are forgotten first\n\
  nd       the rate of each tenant's ARP/ND bucket (made on its first\n\
           ARP or ND; PPS 0: ARP/ND is charged to the tenant's bucket,\n\
           the default); also changes the existing ones\n\
  sync     make the tenant buckets exactly the lines on stdin\n\
  show     one line per bucket:\n\
             tenant KEY REMOTE_IP pps=N burst=N passed=N dropped=N\n\
             tenant-nd KEY REMOTE_IP pps=N burst=N passed=N dropped=N\n\
             unknown pps=N burst=N passed=N dropped=N\n\
             source MAC pps=N burst=N passed=N dropped=N\n\
             sources pps=N burst=N known=N\n\
             nd pps=N burst=N\n\
             new-sources pps=N burst=N passed=N dropped=N\n\
           and 'packets not_gre=N tenant=N nd=N unknown=N malformed=N\n\
           source_dropped=N new_dropped=N' (nd: of tenant, charged to an\n\
           ARP/ND bucket; malformed: GRE cut short, dropped;\n\
           source_dropped: non-GRE over its source's rate;\n\
           new_dropped: non-GRE of a new source over new-sources' rate)\n",
           prog, prog, prog, prog, prog, prog, prog, prog, prog, prog,
           OBJ_NAME,
           MIN_BURST, L2MT_POLICE_MAX_SOURCES);
}

static void
fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

static void
fail(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: error: ", prog);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

static unsigned int
ifindex_of(const char *ifname)
{
    unsigned int idx = if_nametoindex(ifname);

    if (!idx) {
        fail("no network interface '%s' here", ifname);
    }
    return idx;
}

static uint64_t
now_ns(void)
{
    struct timespec ts;

    /* bpf_ktime_get_ns() is CLOCK_MONOTONIC. */
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* Parses a decimal number in [min, max] named 'what'. */
static uint64_t
parse_num(const char *s, const char *what, uint64_t min, uint64_t max)
{
    unsigned long long v;
    char *end;

    errno = 0;
    v = strtoull(s, &end, 10);
    if (!*s || *end || errno || s[0] == '-' || v < min || v > max) {
        fail("bad %s '%s' (an integer %llu..%llu)", what, s,
             (unsigned long long) min, (unsigned long long) max);
    }
    return v;
}

static void
parse_tenant(const char *key, const char *remote, struct police_key *k)
{
    memset(k, 0, sizeof *k);
    k->gre_key = parse_num(key, "GRE key", 1, UINT32_MAX);
    if (inet_pton(AF_INET, remote, k->addr) == 1) {
        k->family = L2MT_POLICE_INET;
    } else if (inet_pton(AF_INET6, remote, k->addr) == 1) {
        k->family = L2MT_POLICE_INET6;
    } else {
        fail("bad remote address '%s' (IPv4 or IPv6)", remote);
    }
}

/* The bucket's rate in packets per second and burst in packets. */
static uint64_t
bucket_pps(const struct police_bucket *b)
{
    return b->cost_ns ? NSEC_PER_SEC / b->cost_ns : 0;
}

static uint64_t
bucket_burst(const struct police_bucket *b)
{
    return b->cost_ns ? b->burst_ns / b->cost_ns : 0;
}

/* Sets bucket 'b' to 'pps' packets/s and 'burst' packets (0: PPS/10, at
 * least MIN_BURST); a new bucket starts full. */
static void
bucket_config(struct police_bucket *b, uint64_t pps, uint64_t burst,
              bool fresh)
{
    if (!pps) {
        b->cost_ns = b->burst_ns = b->tokens_ns = 0;
        return;
    }
    if (!burst) {
        burst = pps / 10 > MIN_BURST ? pps / 10 : MIN_BURST;
    }
    b->cost_ns = NSEC_PER_SEC / pps;
    b->burst_ns = burst * b->cost_ns;
    if (fresh || b->tokens_ns > b->burst_ns) {
        b->tokens_ns = b->burst_ns;
    }
    if (fresh) {
        b->last_ns = now_ns();
    }
}

/* The maps of the policer attached to an interface. */
struct police_maps {
    int tenants;
    int tenants_nd;
    int other;
    int sources;
    int stats;
};

/* The id of the XDP program on 'ifindex' (0 if none) and whether it is
 * ours. */
static uint32_t
attached_prog(unsigned int ifindex, bool *ours)
{
    LIBBPF_OPTS(bpf_xdp_query_opts, q);
    struct bpf_prog_info info;
    uint32_t len = sizeof info;
    int fd;

    *ours = false;
    if (bpf_xdp_query(ifindex, 0, &q)) {
        fail("cannot query XDP on interface %u: %s", ifindex,
             strerror(errno));
    }
    if (!q.prog_id) {
        return 0;
    }
    fd = bpf_prog_get_fd_by_id(q.prog_id);
    if (fd < 0) {
        fail("cannot open XDP program %u: %s", q.prog_id, strerror(errno));
    }
    memset(&info, 0, sizeof info);
    if (!bpf_obj_get_info_by_fd(fd, &info, &len)) {
        *ours = !strcmp(info.name, PROG_NAME);
    }
    close(fd);
    return q.prog_id;
}

static void
find_maps(const char *ifname, struct police_maps *m)
{
    uint32_t map_ids[MAX_MAPS];
    struct bpf_prog_info info;
    uint32_t len = sizeof info, id, i, n;
    bool ours;
    int fd;

    id = attached_prog(ifindex_of(ifname), &ours);
    if (!id || !ours) {
        fail("no l2mt-police program on %s (%s attach %s)", ifname, prog,
             ifname);
    }
    fd = bpf_prog_get_fd_by_id(id);
    if (fd < 0) {
        fail("cannot open XDP program %u: %s", id, strerror(errno));
    }
    memset(&info, 0, sizeof info);
    info.nr_map_ids = MAX_MAPS;
    info.map_ids = (uintptr_t) map_ids;
    if (bpf_obj_get_info_by_fd(fd, &info, &len)) {
        fail("cannot read XDP program %u: %s", id, strerror(errno));
    }
    close(fd);
    m->tenants = m->tenants_nd = m->other = m->sources = m->stats = -1;
    n = info.nr_map_ids < MAX_MAPS ? info.nr_map_ids : MAX_MAPS;
    for (i = 0; i < n; i++) {
        struct bpf_map_info mi;
        uint32_t mlen = sizeof mi;
        int mfd = bpf_map_get_fd_by_id(map_ids[i]);

        memset(&mi, 0, sizeof mi);
        if (mfd < 0 || bpf_obj_get_info_by_fd(mfd, &mi, &mlen)) {
            fail("cannot open map %u: %s", map_ids[i], strerror(errno));
        }
        if (!strcmp(mi.name, "tenants")) {
            m->tenants = mfd;
        } else if (!strcmp(mi.name, "other")) {
            m->other = mfd;
        } else if (!strcmp(mi.name, "tenants_nd")) {
            m->tenants_nd = mfd;
        } else if (!strcmp(mi.name, "sources")) {
            m->sources = mfd;
        } else if (!strcmp(mi.name, "stats")) {
            m->stats = mfd;
        } else {
            close(mfd);
        }
    }
    if (m->tenants < 0 || m->tenants_nd < 0 || m->other < 0
        || m->sources < 0 || m->stats < 0) {
        fail("the program on %s lacks a map (an older l2mt-police?): "
             "detach and attach it again", ifname);
    }
}

/* The default object file: beside this executable (the build tree),
 * else where 'make install' puts it. */
static void
default_obj(char *buf, size_t size)
{
    ssize_t n = readlink("/proc/self/exe", buf, size - 1);
    char *slash;

    if (n > 0) {
        buf[n] = '\0';
        slash = strrchr(buf, '/');
        if (slash && (size_t) (slash + 1 - buf) + sizeof OBJ_NAME <= size) {
            strcpy(slash + 1, OBJ_NAME);
            if (!access(buf, R_OK)) {
                return;
            }
        }
    }
    snprintf(buf, size, "%s/%s", L2MT_POLICE_PKGLIBDIR, OBJ_NAME);
}

static void
cmd_attach(const char *ifname, const char *obj_file, const char *mode)
{
    unsigned int ifindex = ifindex_of(ifname);
    uint32_t modes[2], n_modes = 0, i;
    struct bpf_program *p;
    struct bpf_object *obj;
    int err = 0, fd;
    bool ours;
    uint32_t id;

    if (!strcmp(mode, "native")) {
        modes[n_modes++] = XDP_FLAGS_DRV_MODE;
    } else if (!strcmp(mode, "generic")) {
        modes[n_modes++] = XDP_FLAGS_SKB_MODE;
    } else if (!strcmp(mode, "auto")) {
        modes[n_modes++] = XDP_FLAGS_DRV_MODE;
        modes[n_modes++] = XDP_FLAGS_SKB_MODE;
    } else {
        fail("bad --mode '%s' (auto, native or generic)", mode);
    }
    id = attached_prog(ifindex, &ours);
    if (id && ours) {
        return;
    } else if (id) {
        fail("%s has another XDP program (id %u): not replaced", ifname, id);
    }

    obj = bpf_object__open_file(obj_file, NULL);
    if (!obj) {
        fail("cannot open %s: %s", obj_file, strerror(errno));
    }
    err = bpf_object__load(obj);
    if (err) {
        fail("cannot load %s: %s", obj_file, strerror(-err));
    }
    p = bpf_object__find_program_by_name(obj, PROG_NAME);
    if (!p) {
        fail("%s has no program %s", obj_file, PROG_NAME);
    }
    fd = bpf_program__fd(p);
    for (i = 0; i < n_modes; i++) {
        err = bpf_xdp_attach(ifindex, fd,
                             modes[i] | XDP_FLAGS_UPDATE_IF_NOEXIST, NULL);
        if (!err) {
            break;
        }
    }
    if (err) {
        fail("cannot attach XDP to %s: %s", ifname, strerror(-err));
    }
    /* The interface holds the program and its maps from now on. */
    bpf_object__close(obj);
}

static void
cmd_detach(const char *ifname)
{
    unsigned int ifindex = ifindex_of(ifname);
    bool ours;
    uint32_t id = attached_prog(ifindex, &ours);
    int err;

    if (!id) {
        return;
    }
    if (!ours) {
        fail("the XDP program on %s (id %u) is not l2mt-police's", ifname,
             id);
    }
    err = bpf_xdp_detach(ifindex, 0, NULL);
    if (err) {
        fail("cannot detach XDP from %s: %s", ifname, strerror(-err));
    }
}

/* Adds or changes the bucket of tenant 'k', keeping its counters. */
static void
tenant_set(int map, const struct police_key *k, uint64_t pps, uint64_t burst)
{
    struct police_bucket b;
    bool fresh = false;

    memset(&b, 0, sizeof b);
    if (bpf_map_lookup_elem_flags(map, k, &b, BPF_F_LOCK)) {
        memset(&b, 0, sizeof b);
        fresh = true;
    }
    bucket_config(&b, pps, burst, fresh);
    if (bpf_map_update_elem(map, k, &b, BPF_ANY | BPF_F_LOCK)) {
        fail("cannot set a tenant's bucket: %s", strerror(errno));
    }
}

static void
cmd_set(const char *ifname, char **args, int n)
{
    struct police_maps m;
    struct police_key k;
    uint64_t pps, burst = 0;

    if (n != 3 && n != 4) {
        fail("usage: %s set IF KEY REMOTE_IP PPS [BURST]", prog);
    }
    parse_tenant(args[0], args[1], &k);
    pps = parse_num(args[2], "rate", 1, MAX_RATE);
    if (n == 4) {
        burst = parse_num(args[3], "burst", 1, MAX_BURST);
    }
    find_maps(ifname, &m);
    tenant_set(m.tenants, &k, pps, burst);
}

static void
cmd_del(const char *ifname, char **args, int n)
{
    struct police_maps m;
    struct police_key k;

    if (n != 2) {
        fail("usage: %s del IF KEY REMOTE_IP", prog);
    }
    parse_tenant(args[0], args[1], &k);
    find_maps(ifname, &m);
    if (bpf_map_delete_elem(m.tenants, &k) && errno != ENOENT) {
        fail("cannot delete a tenant's bucket: %s", strerror(errno));
    }
    bpf_map_delete_elem(m.tenants_nd, &k);
}

/* Sets the bucket of the 'other' map at 'idx' ('what' in messages) from
 * "PPS [BURST]" in 'args'; returns the new bucket in '*out'. */
static void
other_set(const char *ifname, char **args, int n, uint32_t idx,
          const char *what, struct police_maps *m, struct police_bucket *out)
{
    uint64_t pps, burst = 0;

    if (n != 1 && n != 2) {
        fail("usage: %s %s IF PPS [BURST]", prog, what);
    }
    pps = parse_num(args[0], "rate", 0, MAX_RATE);
    if (n == 2) {
        burst = parse_num(args[1], "burst", 1, MAX_BURST);
    }
    find_maps(ifname, m);
    memset(out, 0, sizeof *out);
    if (bpf_map_lookup_elem_flags(m->other, &idx, out, BPF_F_LOCK)) {
        fail("cannot read the %s bucket: %s", what, strerror(errno));
    }
    bucket_config(out, pps, burst, !out->cost_ns);
    if (bpf_map_update_elem(m->other, &idx, out, BPF_F_LOCK)) {
        fail("cannot set the %s bucket: %s", what, strerror(errno));
    }
}

static void
cmd_unknown(const char *ifname, char **args, int n)
{
    struct police_maps m;
    struct police_bucket b;

    other_set(ifname, args, n, POLICE_UNKNOWN, "unknown", &m, &b);
}

static void
cmd_new_sources(const char *ifname, char **args, int n)
{
    struct police_maps m;
    struct police_bucket b;

    other_set(ifname, args, n, POLICE_NEW_SOURCE, "new-sources", &m, &b);
}

/* An existing bucket's fields take the rate and burst of 'cfg'; tokens
 * above the new burst are dropped (both kinds of bucket). */
static void
rate_follow(const struct police_bucket *cfg, __u64 *cost, __u64 *burst,
            __u64 *tokens)
{
    *cost = cfg->cost_ns;
    *burst = cfg->burst_ns;
    if (*tokens > *burst) {
        *tokens = *burst;
    }
}

/* The rate of every tenant's ARP/ND bucket; the existing ones follow
 * (with PPS 0 they are deleted: ARP/ND counts as the tenant's data). */
static void
cmd_nd(const char *ifname, char **args, int n)
{
    struct police_key cur, next;
    struct police_maps m;
    struct police_bucket cfg;
    bool more;

    other_set(ifname, args, n, POLICE_ND, "nd", &m, &cfg);
    more = !bpf_map_get_next_key(m.tenants_nd, NULL, &cur);
    while (more) {
        struct police_bucket b;

        more = !bpf_map_get_next_key(m.tenants_nd, &cur, &next);
        if (!cfg.cost_ns) {
            bpf_map_delete_elem(m.tenants_nd, &cur);
        } else if (!bpf_map_lookup_elem_flags(m.tenants_nd, &cur, &b,
                                              BPF_F_LOCK)) {
            rate_follow(&cfg, &b.cost_ns, &b.burst_ns, &b.tokens_ns);
            bpf_map_update_elem(m.tenants_nd, &cur, &b,
                                BPF_EXIST | BPF_F_LOCK);
        }
        cur = next;
    }
}

/* The rate for every source of non-GRE frames; the known sources' buckets
 * follow (with PPS 0 they are forgotten: nothing is policed). */
static void
cmd_sources(const char *ifname, char **args, int n)
{
    struct police_mac cur, next;
    struct police_maps m;
    struct police_bucket cfg;
    bool more;

    other_set(ifname, args, n, POLICE_SOURCE, "sources", &m, &cfg);
    more = !bpf_map_get_next_key(m.sources, NULL, &cur);
    while (more) {
        struct police_source_bucket sb;

        more = !bpf_map_get_next_key(m.sources, &cur, &next);
        if (!cfg.cost_ns) {
            bpf_map_delete_elem(m.sources, &cur);
        } else if (!bpf_map_lookup_elem(m.sources, &cur, &sb)) {
            rate_follow(&cfg, &sb.cost_ns, &sb.burst_ns, &sb.tokens_ns);
            bpf_map_update_elem(m.sources, &cur, &sb, BPF_EXIST);
        }
        cur = next;
    }
}

/* Whether 'k' is among the first 'n' keys of 'keys'. */
static bool
key_listed(const struct police_key *keys, size_t n,
           const struct police_key *k)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (!memcmp(&keys[i], k, sizeof *k)) {
            return true;
        }
    }
    return false;
}

/* Deletes the keys of tenant map 'map' that are not among the first 'n'
 * of 'keys'. */
static void
sync_delete(int map, const struct police_key *keys, size_t n)
{
    struct police_key cur, next;
    bool more;

    /* The next key is read before this one is deleted, so the walk goes
     * on from where it was. */
    more = !bpf_map_get_next_key(map, NULL, &cur);
    while (more) {
        more = !bpf_map_get_next_key(map, &cur, &next);
        if (!key_listed(keys, n, &cur)) {
            bpf_map_delete_elem(map, &cur);
        }
        cur = next;
    }
}

#define SYNC_FIELDS 4
#define SYNC_LINE_MAX 256

/* Reads "KEY REMOTE_IP PPS [BURST]" lines from stdin, sets those buckets
 * and deletes every other tenant bucket.  The whole input is validated
 * before a map changes. */
static void
cmd_sync(const char *ifname)
{
    struct police_key *keys = NULL;
    uint64_t *pps = NULL, *burst = NULL;
    size_t n = 0, alloc = 0, i;
    char line[SYNC_LINE_MAX];
    struct police_maps m;
    unsigned int lineno = 0;

    while (fgets(line, sizeof line, stdin)) {
        char *f[SYNC_FIELDS + 1], *save = NULL, *t;
        int nf = 0;

        lineno++;
        if (!strchr(line, '\n') && !feof(stdin)) {
            fail("stdin:%u: line longer than %d bytes", lineno,
                 SYNC_LINE_MAX - 2);
        }
        for (t = strtok_r(line, " \t\r\n", &save); t && nf <= SYNC_FIELDS;
             t = strtok_r(NULL, " \t\r\n", &save)) {
            f[nf++] = t;
        }
        if (!nf || f[0][0] == '#') {
            continue;
        }
        if (nf < SYNC_FIELDS - 1 || nf > SYNC_FIELDS) {
            fail("stdin:%u: expected KEY REMOTE_IP PPS [BURST]", lineno);
        }
        if (n == alloc) {
            alloc = alloc ? 2 * alloc : 64;
            if (alloc > L2MT_POLICE_MAX_TENANTS) {
                fail("more than %d tenants", L2MT_POLICE_MAX_TENANTS);
            }
            keys = realloc(keys, alloc * sizeof *keys);
            pps = realloc(pps, alloc * sizeof *pps);
            burst = realloc(burst, alloc * sizeof *burst);
            if (!keys || !pps || !burst) {
                fail("out of memory");
            }
        }
        parse_tenant(f[0], f[1], &keys[n]);
        if (key_listed(keys, n, &keys[n])) {
            fail("stdin:%u: tenant %s %s listed twice", lineno, f[0], f[1]);
        }
        pps[n] = parse_num(f[2], "rate", 1, MAX_RATE);
        burst[n] = nf == SYNC_FIELDS ? parse_num(f[3], "burst", 1, MAX_BURST)
                                     : 0;
        n++;
    }
    find_maps(ifname, &m);
    for (i = 0; i < n; i++) {
        tenant_set(m.tenants, &keys[i], pps[i], burst[i]);
    }
    sync_delete(m.tenants, keys, n);
    sync_delete(m.tenants_nd, keys, n);
    free(keys);
    free(pps);
    free(burst);
}

static void
print_source(const struct police_mac *mac,
             const struct police_source_bucket *b)
{
    const uint8_t *a = mac->addr;

    printf("source %02x:%02x:%02x:%02x:%02x:%02x pps=%llu burst=%llu "
           "passed=%llu dropped=%llu\n", a[0], a[1], a[2], a[3], a[4], a[5],
           (unsigned long long) (b->cost_ns ? NSEC_PER_SEC / b->cost_ns : 0),
           (unsigned long long) (b->cost_ns ? b->burst_ns / b->cost_ns : 0),
           (unsigned long long) b->passed, (unsigned long long) b->dropped);
}

static void
print_bucket(const struct police_bucket *b)
{
    printf(" pps=%llu burst=%llu passed=%llu dropped=%llu\n",
           (unsigned long long) bucket_pps(b),
           (unsigned long long) bucket_burst(b),
           (unsigned long long) b->passed, (unsigned long long) b->dropped);
}

/* One line per bucket of tenant map 'map', starting with 'what'. */
static void
show_tenants(int map, const char *what)
{
    struct police_key cur, *prev = NULL;
    struct police_bucket b;

    while (!bpf_map_get_next_key(map, prev, &cur)) {
        char addr[INET6_ADDRSTRLEN];

        prev = &cur;
        if (bpf_map_lookup_elem_flags(map, &cur, &b, BPF_F_LOCK)) {
            continue;
        }
        inet_ntop(cur.family == L2MT_POLICE_INET ? AF_INET : AF_INET6,
                  cur.addr, addr, sizeof addr);
        printf("%s %u %s", what, cur.gre_key, addr);
        print_bucket(&b);
    }
}

static void
cmd_show(const char *ifname)
{
    static const char *const stat_names[POLICE_N_STATS] = {
        [POLICE_STAT_NOT_GRE] = "not_gre",
        [POLICE_STAT_TENANT] = "tenant",
        [POLICE_STAT_ND] = "nd",
        [POLICE_STAT_UNKNOWN] = "unknown",
        [POLICE_STAT_MALFORMED] = "malformed",
        [POLICE_STAT_SOURCE_DROP] = "source_dropped",
        [POLICE_STAT_NEW_DROP] = "new_dropped",
    };
    struct police_mac mcur, *mprev = NULL;
    struct police_source_bucket sb;
    unsigned int n_sources = 0;
    struct police_bucket b;
    struct police_maps m;
    uint32_t idx;
    int n_cpus = libbpf_num_possible_cpus();
    uint64_t *percpu;

    find_maps(ifname, &m);
    show_tenants(m.tenants, "tenant");
    show_tenants(m.tenants_nd, "tenant-nd");
    idx = POLICE_UNKNOWN;
    if (!bpf_map_lookup_elem_flags(m.other, &idx, &b, BPF_F_LOCK)) {
        printf("unknown");
        print_bucket(&b);
    }
    while (!bpf_map_get_next_key(m.sources, mprev, &mcur)) {
        mprev = &mcur;
        if (!bpf_map_lookup_elem(m.sources, &mcur, &sb)) {
            print_source(&mcur, &sb);
            n_sources++;
        }
    }
    idx = POLICE_SOURCE;
    if (!bpf_map_lookup_elem_flags(m.other, &idx, &b, BPF_F_LOCK)) {
        printf("sources pps=%llu burst=%llu known=%u\n",
               (unsigned long long) bucket_pps(&b),
               (unsigned long long) bucket_burst(&b), n_sources);
    }
    idx = POLICE_NEW_SOURCE;
    if (!bpf_map_lookup_elem_flags(m.other, &idx, &b, BPF_F_LOCK)) {
        printf("new-sources");
        print_bucket(&b);
    }
    idx = POLICE_ND;
    if (!bpf_map_lookup_elem_flags(m.other, &idx, &b, BPF_F_LOCK)) {
        printf("nd pps=%llu burst=%llu\n",
               (unsigned long long) bucket_pps(&b),
               (unsigned long long) bucket_burst(&b));
    }
    if (n_cpus <= 0) {
        fail("cannot count the CPUs");
    }
    percpu = calloc(n_cpus, sizeof *percpu);
    if (!percpu) {
        fail("out of memory");
    }
    printf("packets");
    for (idx = 0; idx < POLICE_N_STATS; idx++) {
        unsigned long long sum = 0;
        int c;

        if (!bpf_map_lookup_elem(m.stats, &idx, percpu)) {
            for (c = 0; c < n_cpus; c++) {
                sum += percpu[c];
            }
        }
        printf(" %s=%llu", stat_names[idx], sum);
    }
    printf("\n");
    free(percpu);
}

int
main(int argc, char *argv[])
{
    static const struct option longopts[] = {
        { "obj", required_argument, NULL, 'o' },
        { "mode", required_argument, NULL, 'm' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static char obj[PATH_MAX];
    const char *mode = "auto", *cmd, *ifname;
    int c;

    prog = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    default_obj(obj, sizeof obj);
    while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
        switch (c) {
        case 'o':
            snprintf(obj, sizeof obj, "%s", optarg);
            break;
        case 'm':
            mode = optarg;
            break;
        case 'h':
            usage();
            return EXIT_SUCCESS;
        default:
            fprintf(stderr, "Try '%s --help'.\n", prog);
            return 2;
        }
    }
    if (argc - optind < 2) {
        usage();
        return 2;
    }
    cmd = argv[optind];
    ifname = argv[optind + 1];
    argv += optind + 2;
    argc -= optind + 2;
    /* libbpf's own messages only with L2MT_POLICE_DEBUG set. */
    if (!getenv("L2MT_POLICE_DEBUG")) {
        libbpf_set_print(NULL);
    }

    if (!strcmp(cmd, "attach") && !argc) {
        cmd_attach(ifname, obj, mode);
    } else if (!strcmp(cmd, "detach") && !argc) {
        cmd_detach(ifname);
    } else if (!strcmp(cmd, "set")) {
        cmd_set(ifname, argv, argc);
    } else if (!strcmp(cmd, "del")) {
        cmd_del(ifname, argv, argc);
    } else if (!strcmp(cmd, "unknown")) {
        cmd_unknown(ifname, argv, argc);
    } else if (!strcmp(cmd, "sources")) {
        cmd_sources(ifname, argv, argc);
    } else if (!strcmp(cmd, "new-sources")) {
        cmd_new_sources(ifname, argv, argc);
    } else if (!strcmp(cmd, "nd")) {
        cmd_nd(ifname, argv, argc);
    } else if (!strcmp(cmd, "sync") && !argc) {
        cmd_sync(ifname);
    } else if (!strcmp(cmd, "show") && !argc) {
        cmd_show(ifname);
    } else {
        fail("unknown command or arguments '%s' (try --help)", cmd);
    }
    return EXIT_SUCCESS;
}
