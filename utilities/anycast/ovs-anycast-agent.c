/* SPDX-License-Identifier: Apache-2.0 */
/* ovs-anycast-agent: the steering agent of active anycast.
 *
 * Runs next to ovs-vswitchd.  Servers that share an anycast address send
 * it load reports (anycast-proto.h) over UDP; the agent keeps the server
 * set and weights and programs the bridge: an OpenFlow select group per
 * address family whose buckets do ct(commit,nat(dst=UNICAST)), so a new
 * connection to the anycast address goes to a server chosen by weight,
 * conntrack pins every established connection to its server, and replies
 * are un-NATed back to the anycast address.  Every change goes to OVS as
 * one atomic OpenFlow bundle ("ovs-ofctl bundle"), coalesced over the
 * configured batch window; the time from the report to the switch's
 * acknowledgement of the bundle is measured and shown by "status". */

#include "anycast-proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_SERVERS 64          /* OVS's dp_hash method: <= 64 buckets. */
#define NAME_LEN 32
#define PORT_NAME_LEN 16        /* IFNAMSIZ */
#define MAC_LEN 18
#define LINE_MAX_LEN 512
#define CMD_MAX_LEN 1024
#define DP_HASH_SLOTS_MAX 256   /* ofproto-dpif's limit for dp_hash. */
#define DP_HASH_SLOTS_MIN 16
#define DEFAULT_WEIGHT 100
#define DEFAULT_DEAD_MS 300
#define DEFAULT_BATCH_MS 0
#define CT_ZONE4 1              /* Conntrack zones and group ids of the */
#define CT_ZONE6 2              /* IPv4 and the IPv6 anycast service. */
#define GROUP4 1
#define GROUP6 2
#define COOKIE 0xac64           /* Every flow the agent installs. */
#define COOKIE_SPOOF 0xac65     /* The drop flows of spoofed reports. */
#define LEARN_IDLE_S 300        /* Client MAC -> port entries. */
#define MS_PER_S 1000
#define NS_PER_MS 1000000

enum table {                    /* OpenFlow tables the agent owns. */
    T_CLASSIFY = 0,             /* Reports, anycast, server replies. */
    T_TO_SERVER = 1,            /* After ct(nat): pinned or new. */
    T_FROM_SERVER = 2,          /* After ct(nat): un-NATed replies. */
    T_TO_CLIENT = 3,            /* Learned client MAC -> port. */
};

struct server {
    char name[NAME_LEN];
    bool has4, has6;
    struct in_addr u4;
    struct in6_addr u6;
    char port[PORT_NAME_LEN];
    char mac[MAC_LEN];
    unsigned int base;          /* Configured weight. */
    unsigned int weight;        /* Last reported weight (before state). */
    enum anycast_state state;
    bool is_static;             /* No reporter: never expires. */
    bool alive;                 /* A report in the last dead_ms. */
    bool ever;                  /* Any report at all. */
    uint64_t last_ms;           /* Monotonic time of the last report. */
    uint64_t n_reports, n_bad;
    unsigned int programmed;    /* Weight in the switch. */
};

struct agent {
    const char *config;
    char bridge[PORT_NAME_LEN];
    char ofctl[LINE_MAX_LEN];
    char appctl[LINE_MAX_LEN];
    char ctl_path[LINE_MAX_LEN];
    unsigned int port;
    unsigned int dead_ms, batch_ms;
    bool has_any4, has_any6, has_ag4, has_ag6;
    struct in_addr any4, ag4;
    struct in6_addr any6, ag6;
    char vmac[MAC_LEN];
    /* Cross-family: IPv4 anycast address 'x4' served by the servers' IPv6
     * addresses, translated by nat64 with the /96 prefix 'xprefix';
     * 'x6' is x4 embedded in it. */
    bool has_x4;
    struct in_addr x4;
    struct in6_addr xprefix, x6;
    struct server servers[MAX_SERVERS];
    int n_servers;

    /* Counters. */
    uint64_t n_reports, n_malformed, n_unknown, n_applies, n_apply_errors;
    uint64_t dirty_ms;          /* First unapplied change, 0 if none. */
    bool dirty;
    bool death_pending;         /* The pending change includes a death. */
    uint64_t death_ref_ms;      /* Last report of the server that died. */
    double lat_last, lat_max, lat_sum;
    uint64_t lat_n;
    double death_last;
};

static volatile sig_atomic_t stop_signal;
static bool verbose;

static uint64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * MS_PER_S + ts.tv_nsec / NS_PER_MS;
}

static double
now_ms_frac(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void
logmsg(const char *fmt, ...)
{
    struct timespec ts;
    va_list args;

    clock_gettime(CLOCK_REALTIME, &ts);
    fprintf(stderr, "%lld.%03ld ovs-anycast-agent: ", (long long) ts.tv_sec,
            ts.tv_nsec / NS_PER_MS);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
}

/* ---- Configuration. ---- */

static int
cfg_error(const char *file, int line, const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "ovs-anycast-agent: %s:%d: ", file, line);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    return -1;
}

static bool
valid_mac(const char *s)
{
    unsigned int b[6];
    char tail;

    return strlen(s) == MAC_LEN - 1
           && sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2],
                     &b[3], &b[4], &b[5], &tail) == 6;
}

static bool
valid_port_name(const char *s)
{
    size_t i, n = strlen(s);

    if (n == 0 || n >= PORT_NAME_LEN) {
        return false;
    }
    for (i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '-' || c == '_'
              || c == '.')) {
            return false;
        }
    }
    return true;
}

static int
parse_number(const char *s, unsigned int min, unsigned int max,
             unsigned int *v)
{
    char *end;
    unsigned long x;

    errno = 0;
    x = strtoul(s, &end, 10);
    if (errno || end == s || *end || x < min || x > max || s[0] == '-') {
        return -1;
    }
    *v = (unsigned int) x;
    return 0;
}

/* Parses an IPv4 or IPv6 address into the matching output.  Returns 4, 6
 * or 0 (not an address). */
static int
parse_addr(const char *s, struct in_addr *a4, struct in6_addr *a6)
{
    if (inet_pton(AF_INET, s, a4) == 1) {
        return 4;
    }
    if (inet_pton(AF_INET6, s, a6) == 1) {
        return 6;
    }
    return 0;
}

static struct server *
find_by_addr(struct agent *ag, int family, const struct in_addr *a4,
             const struct in6_addr *a6)
{
    int i;

    for (i = 0; i < ag->n_servers; i++) {
        struct server *s = &ag->servers[i];
        if (family == 4 && s->has4 && s->u4.s_addr == a4->s_addr) {
            return s;
        }
        if (family == 6 && s->has6 && !memcmp(&s->u6, a6, sizeof *a6)) {
            return s;
        }
    }
    return NULL;
}

/* "server NAME ADDR[,ADDR] port PORT mac MAC [weight N] [static]" */
static int
parse_server(struct agent *ag, const char *file, int ln, char **w, int n)
{
    /* Static: single-threaded, and keeps main()'s frame small. */
    static char addrs[LINE_MAX_LEN];
    struct server *s;
    char *tok, *save;
    int i;

    if (n < 3) {
        return cfg_error(file, ln, "usage: server NAME ADDR[,ADDR6] port "
                         "PORT mac MAC [weight 0..%d] [static]",
                         ANYCAST_WEIGHT_MAX);
    }
    if (ag->n_servers >= MAX_SERVERS) {
        return cfg_error(file, ln, "too many servers (at most %d: OVS's "
                         "dp_hash selection method)", MAX_SERVERS);
    }
    if (strlen(w[1]) >= NAME_LEN) {
        return cfg_error(file, ln, "server name \"%s\" longer than %d",
                         w[1], NAME_LEN - 1);
    }
    for (i = 0; i < ag->n_servers; i++) {
        if (!strcmp(ag->servers[i].name, w[1])) {
            return cfg_error(file, ln, "duplicate server name \"%s\"", w[1]);
        }
    }
    s = &ag->servers[ag->n_servers];
    memset(s, 0, sizeof *s);
    snprintf(s->name, sizeof s->name, "%s", w[1]);
    s->base = DEFAULT_WEIGHT;
    snprintf(addrs, sizeof addrs, "%s", w[2]);
    for (tok = strtok_r(addrs, ",", &save); tok;
         tok = strtok_r(NULL, ",", &save)) {
        struct in_addr a4;
        struct in6_addr a6;
        int fam = parse_addr(tok, &a4, &a6);

        if (!fam) {
            return cfg_error(file, ln, "server %s: \"%s\" is not an IPv4 "
                             "or IPv6 address", s->name, tok);
        }
        if ((fam == 4 && s->has4) || (fam == 6 && s->has6)) {
            return cfg_error(file, ln, "server %s: more than one IPv%d "
                             "address", s->name, fam);
        }
        if (find_by_addr(ag, fam, &a4, &a6)) {
            return cfg_error(file, ln, "server %s: duplicate address %s",
                             s->name, tok);
        }
        if ((fam == 4 && ag->has_any4 && a4.s_addr == ag->any4.s_addr)
            || (fam == 6 && ag->has_any6
                && !memcmp(&a6, &ag->any6, sizeof a6))) {
            return cfg_error(file, ln, "server %s: %s is the anycast "
                             "address", s->name, tok);
        }
        if (fam == 4) {
            s->has4 = true;
            s->u4 = a4;
        } else {
            s->has6 = true;
            s->u6 = a6;
        }
    }
    for (i = 3; i < n; i++) {
        if (!strcmp(w[i], "static")) {
            s->is_static = true;
        } else if (i + 1 >= n) {
            return cfg_error(file, ln, "server %s: \"%s\" needs a value "
                             "(valid: port PORT, mac MAC, weight N, "
                             "static)", s->name, w[i]);
        } else if (!strcmp(w[i], "port")) {
            if (!valid_port_name(w[++i])) {
                return cfg_error(file, ln, "server %s: bad port name "
                                 "\"%s\"", s->name, w[i]);
            }
            snprintf(s->port, sizeof s->port, "%s", w[i]);
        } else if (!strcmp(w[i], "mac")) {
            if (!valid_mac(w[++i])) {
                return cfg_error(file, ln, "server %s: bad MAC \"%s\" "
                                 "(valid: xx:xx:xx:xx:xx:xx)", s->name, w[i]);
            }
            snprintf(s->mac, sizeof s->mac, "%s", w[i]);
        } else if (!strcmp(w[i], "weight")) {
            if (parse_number(w[++i], 0, ANYCAST_WEIGHT_MAX, &s->base)) {
                return cfg_error(file, ln, "server %s: weight \"%s\" out "
                                 "of range (valid: 0..%d)", s->name, w[i],
                                 ANYCAST_WEIGHT_MAX);
            }
        } else {
            return cfg_error(file, ln, "server %s: unknown option \"%s\" "
                             "(valid: port, mac, weight, static)", s->name,
                             w[i]);
        }
    }
    if (!s->port[0] || !s->mac[0]) {
        return cfg_error(file, ln, "server %s: needs both port and mac",
                         s->name);
    }
    s->weight = s->base;
    s->state = ANYCAST_STATE_UP;
    s->alive = s->is_static;
    ag->n_servers++;
    return 0;
}

static int
load_config(struct agent *ag, const char *file)
{
    static char line[LINE_MAX_LEN];
    FILE *f = fopen(file, "r");
    int ln = 0, i;

    if (!f) {
        fprintf(stderr, "ovs-anycast-agent: %s: %s\n", file, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char *w[16], *save, *hash;
        int n = 0;
        struct in_addr a4;
        struct in6_addr a6;
        int fam;

        ln++;
        if (!strchr(line, '\n') && !feof(f)) {
            fclose(f);
            return cfg_error(file, ln, "line longer than %d bytes",
                             LINE_MAX_LEN - 2);
        }
        hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        for (w[n] = strtok_r(line, " \t\r\n", &save); w[n] && n < 15;
             w[++n] = strtok_r(NULL, " \t\r\n", &save)) {
            continue;
        }
        if (n == 0) {
            continue;
        }
        if (w[n]) {
            fclose(f);
            return cfg_error(file, ln, "more than 15 words");
        }
#define NEED(N) do { if (n != (N)) { fclose(f);                           \
            return cfg_error(file, ln, "\"%s\" takes %d value(s)", w[0],  \
                             (N) - 1); } } while (0)
        if (!strcmp(w[0], "bridge")) {
            NEED(2);
            if (!valid_port_name(w[1])) {
                fclose(f);
                return cfg_error(file, ln, "bad bridge name \"%s\"", w[1]);
            }
            snprintf(ag->bridge, sizeof ag->bridge, "%s", w[1]);
        } else if (!strcmp(w[0], "port")) {
            NEED(2);
            if (parse_number(w[1], 1, 65535, &ag->port)) {
                fclose(f);
                return cfg_error(file, ln, "port must be 1..65535");
            }
        } else if (!strcmp(w[0], "dead-after")) {
            NEED(2);
            if (parse_number(w[1], 10, 3600000, &ag->dead_ms)) {
                fclose(f);
                return cfg_error(file, ln, "dead-after must be 10..3600000 "
                                 "(ms)");
            }
        } else if (!strcmp(w[0], "batch")) {
            NEED(2);
            if (parse_number(w[1], 0, 10000, &ag->batch_ms)) {
                fclose(f);
                return cfg_error(file, ln, "batch must be 0..10000 (ms)");
            }
        } else if (!strcmp(w[0], "anycast") || !strcmp(w[0], "agent")) {
            bool any = w[0][1] == 'n';

            NEED(2);
            fam = parse_addr(w[1], &a4, &a6);
            if (!fam) {
                fclose(f);
                return cfg_error(file, ln, "\"%s\" is not an IPv4 or IPv6 "
                                 "address", w[1]);
            }
            if ((fam == 4 && (any ? ag->has_any4 : ag->has_ag4))
                || (fam == 6 && (any ? ag->has_any6 : ag->has_ag6))) {
                fclose(f);
                return cfg_error(file, ln, "more than one IPv%d %s address "
                                 "(one per family)", fam, w[0]);
            }
            if (fam == 4) {
                *(any ? &ag->any4 : &ag->ag4) = a4;
                *(any ? &ag->has_any4 : &ag->has_ag4) = true;
            } else {
                *(any ? &ag->any6 : &ag->ag6) = a6;
                *(any ? &ag->has_any6 : &ag->has_ag6) = true;
            }
        } else if (!strcmp(w[0], "cross")) {
            char *slash;

            NEED(3);
            slash = strchr(w[2], '/');
            if (ag->has_x4 || inet_pton(AF_INET, w[1], &ag->x4) != 1
                || !slash || strcmp(slash, "/96")) {
                fclose(f);
                return cfg_error(file, ln, "usage: cross IPV4-ANYCAST "
                                 "IPV6-PREFIX/96 (once; the agent supports "
                                 "the /96 RFC 6052 embedding)");
            }
            *slash = '\0';
            if (inet_pton(AF_INET6, w[2], &ag->xprefix) != 1
                || ag->xprefix.s6_addr32[3]) {
                fclose(f);
                return cfg_error(file, ln, "\"%s\" is not an IPv6 /96 "
                                 "prefix (its last 32 bits must be zero)",
                                 w[2]);
            }
            ag->x6 = ag->xprefix;
            ag->x6.s6_addr32[3] = ag->x4.s_addr;
            ag->has_x4 = true;
        } else if (!strcmp(w[0], "mac")) {
            NEED(2);
            if (!valid_mac(w[1])) {
                fclose(f);
                return cfg_error(file, ln, "bad MAC \"%s\"", w[1]);
            }
            snprintf(ag->vmac, sizeof ag->vmac, "%s", w[1]);
        } else if (!strcmp(w[0], "control")) {
            NEED(2);
            snprintf(ag->ctl_path, sizeof ag->ctl_path, "%s", w[1]);
        } else if (!strcmp(w[0], "ovs-ofctl") || !strcmp(w[0], "ovs-appctl")) {
            NEED(2);
            snprintf(w[0][4] == 'o' ? ag->ofctl : ag->appctl, LINE_MAX_LEN,
                     "%s", w[1]);
        } else if (!strcmp(w[0], "server")) {
            if (parse_server(ag, file, ln, w, n)) {
                fclose(f);
                return -1;
            }
        } else {
            fclose(f);
            return cfg_error(file, ln, "unknown keyword \"%s\" (valid: "
                             "bridge port dead-after batch anycast agent "
                             "cross mac control ovs-ofctl ovs-appctl "
                             "server)", w[0]);
        }
#undef NEED
    }
    fclose(f);
    if (!ag->bridge[0] || !ag->vmac[0] || !(ag->has_any4 || ag->has_any6)) {
        fprintf(stderr, "ovs-anycast-agent: %s: needs bridge, mac and at "
                "least one anycast address\n", file);
        return -1;
    }
    if (ag->has_x4 && (!ag->has_any6 || (ag->has_any4
                                         && ag->x4.s_addr
                                            == ag->any4.s_addr))) {
        fprintf(stderr, "ovs-anycast-agent: %s: \"cross\" needs an IPv6 "
                "anycast address (its servers and weights) and an IPv4 "
                "address other than the IPv4 anycast one\n", file);
        return -1;
    }
    for (i = 0; i < ag->n_servers; i++) {
        const struct server *s = &ag->servers[i];
        if ((s->has4 && ag->has_any4 && s->u4.s_addr == ag->any4.s_addr)
            || (s->has6 && ag->has_any6
                && !memcmp(&s->u6, &ag->any6, sizeof s->u6))) {
            fprintf(stderr, "ovs-anycast-agent: %s: server %s has the "
                    "anycast address\n", file, s->name);
            return -1;
        }
    }
    return 0;
}

/* ---- Weights as OVS will use them. ---- */

static unsigned int
effective_weight(const struct server *s)
{
    if (!s->alive || s->state == ANYCAST_STATE_DRAIN
        || s->state == ANYCAST_STATE_DOWN) {
        return 0;
    }
    return s->weight;
}

/* OVS's dp_hash selection maps 16..256 hash slots onto the buckets; it
 * needs total/min <= 256 slots and otherwise silently falls back to its
 * "default" method, whose score hash*weight does not divide new
 * connections in proportion to the weights.  So raise small weights to
 * total/256: a live server never gets less than one slot in 256. */
static void
compute_weights(const struct agent *ag, unsigned int *w)
{
    uint64_t total;
    int i, round;

    for (i = 0; i < ag->n_servers; i++) {
        w[i] = effective_weight(&ag->servers[i]);
    }
    for (round = 0; round < 4; round++) {
        unsigned int floor_w;
        bool changed = false;

        total = 0;
        for (i = 0; i < ag->n_servers; i++) {
            total += w[i];
        }
        floor_w = (unsigned int) ((total + DP_HASH_SLOTS_MAX - 1)
                                  / DP_HASH_SLOTS_MAX);
        for (i = 0; i < ag->n_servers; i++) {
            if (w[i] && w[i] < floor_w) {
                w[i] = floor_w;
                changed = true;
            }
        }
        if (!changed) {
            break;
        }
    }
}

/* The slots each bucket gets, as ofproto-dpif's Webster method assigns
 * them, so that "status" shows the share the datapath really applies. */
static void
webster_slots(const unsigned int *w, int n, unsigned int *slots)
{
    uint64_t total = 0, n_hash, min_slots;
    unsigned int min_w = UINT32_MAX, divisor[MAX_SERVERS];
    int i;
    uint64_t h;

    for (i = 0; i < n; i++) {
        slots[i] = 0;
        divisor[i] = 1;
        total += w[i];
        if (w[i] && w[i] < min_w) {
            min_w = w[i];
        }
    }
    if (!total) {
        return;
    }
    min_slots = (total + min_w - 1) / min_w;
    for (n_hash = 1; n_hash < min_slots; n_hash <<= 1) {
        continue;
    }
    if (n_hash < DP_HASH_SLOTS_MIN) {
        n_hash = DP_HASH_SLOTS_MIN;
    }
    for (h = 0; h < n_hash; h++) {
        int best = -1;
        double best_v = -1;

        for (i = 0; i < n; i++) {
            double v = (double) w[i] / divisor[i];
            if (w[i] && v > best_v) {
                best_v = v;
                best = i;
            }
        }
        slots[best]++;
        divisor[best] += 2;
    }
}

/* ---- Programming OVS. ---- */

static int
run_command(char *const argv[])
{
    pid_t pid = fork();
    int status;

    if (pid < 0) {
        logmsg("fork: %s", strerror(errno));
        return -1;
    }
    if (pid == 0) {
        execvp(argv[0], argv);
        fprintf(stderr, "ovs-anycast-agent: %s: %s\n", argv[0],
                strerror(errno));
        _exit(127);
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/* Runs "ovs-ofctl -O OpenFlow15 bundle BRIDGE FILE" with TEXT as FILE:
 * one atomic transaction, acknowledged by the switch before it returns. */
static int
ofctl_bundle(struct agent *ag, const char *text)
{
    char path[] = "/tmp/ovs-anycast-bundle.XXXXXX";
    int fd = mkstemp(path), rc;
    size_t len = strlen(text);
    char *argv[] = { ag->ofctl, "-O", "OpenFlow15", "bundle", ag->bridge,
                     path, NULL };

    if (fd < 0) {
        logmsg("mkstemp: %s", strerror(errno));
        return -1;
    }
    if (write(fd, text, len) != (ssize_t) len) {
        logmsg("write %s: %s", path, strerror(errno));
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    rc = run_command(argv);
    unlink(path);
    return rc;
}

struct buf {
    char *s;
    size_t len, cap;
};

static void
bprintf(struct buf *b, const char *fmt, ...)
{
    va_list args;
    int n;

    for (;;) {
        va_start(args, fmt);
        n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, args);
        va_end(args);
        if (n >= 0 && (size_t) n < b->cap - b->len) {
            b->len += n;
            return;
        }
        b->cap = b->cap * 2 + CMD_MAX_LEN;
        b->s = realloc(b->s, b->cap);
        if (!b->s) {
            fprintf(stderr, "ovs-anycast-agent: out of memory\n");
            exit(1);
        }
    }
}

static void
fmt_addr(int fam, const void *a, char *out, size_t len)
{
    inet_ntop(fam == 4 ? AF_INET : AF_INET6, a, out, len);
}

static void
group_text(struct agent *ag, struct buf *b, int fam, const char *verb,
           const unsigned int *w)
{
    int i;

    bprintf(b, "group %s group_id=%d,type=select,selection_method=dp_hash",
            verb, fam == 4 ? GROUP4 : GROUP6);
    for (i = 0; i < ag->n_servers; i++) {
        const struct server *s = &ag->servers[i];
        char a[INET6_ADDRSTRLEN];

        if (!w[i] || (fam == 4 ? !s->has4 : !s->has6)) {
            continue;
        }
        if (fam == 4) {
            fmt_addr(4, &s->u4, a, sizeof a);
        } else {
            fmt_addr(6, &s->u6, a, sizeof a);
        }
        /* A bucket is an OpenFlow action set: it executes only one
         * "final" action (ct, resubmit, output or group; output wins), so
         * a bucket "ct(commit,nat),output" would silently lose the ct.
         * Hence ct(...,table=T_TO_SERVER): the translated packet comes
         * back to the table whose per-server flows deliver it. */
        bprintf(b, ",bucket=bucket_id:%d,weight:%u,actions=ct(commit,"
                "zone=%d,nat(dst=%s%s%s),table=%d)", i + 1, w[i],
                fam == 4 ? CT_ZONE4 : CT_ZONE6, fam == 6 ? "[" : "", a,
                fam == 6 ? "]" : "", T_TO_SERVER);
    }
    bprintf(b, "\n");
}

/* The static part: what never changes while the agent runs. */
static void
base_flows(struct agent *ag, struct buf *b)
{
    char any[INET6_ADDRSTRLEN], agent[INET6_ADDRSTRLEN];
    int fam, i;

    bprintf(b, "flow add table=%d,priority=0,cookie=%#x,actions=NORMAL\n",
            T_CLASSIFY, COOKIE);
    bprintf(b, "flow add table=%d,priority=0,cookie=%#x,actions=drop\n",
            T_TO_SERVER, COOKIE);
    bprintf(b, "flow add table=%d,priority=300,cookie=%#x,ct_state=+inv+trk,"
            "actions=drop\n", T_TO_SERVER, COOKIE);
    bprintf(b, "flow add table=%d,priority=0,cookie=%#x,actions=NORMAL\n",
            T_FROM_SERVER, COOKIE);
    bprintf(b, "flow add table=%d,priority=0,cookie=%#x,actions=NORMAL\n",
            T_TO_CLIENT, COOKIE);
    for (fam = 4; fam <= 6; fam += 2) {
        const char *ip = fam == 4 ? "ip" : "ipv6";
        const char *udp = fam == 4 ? "udp" : "udp6";
        const char *src = fam == 4 ? "nw_src" : "ipv6_src";
        const char *dst = fam == 4 ? "nw_dst" : "ipv6_dst";
        int zone = fam == 4 ? CT_ZONE4 : CT_ZONE6;
        bool has_any = fam == 4 ? ag->has_any4 : ag->has_any6;
        bool has_ag = fam == 4 ? ag->has_ag4 : ag->has_ag6;

        if (has_ag) {
            /* Reports reach the agent only from a server's own port, MAC
             * and address; all others to the agent's port are dropped
             * (and counted by that flow). */
            fmt_addr(fam, fam == 4 ? (void *) &ag->ag4 : (void *) &ag->ag6,
                     agent, sizeof agent);
            for (i = 0; i < ag->n_servers; i++) {
                const struct server *s = &ag->servers[i];
                char u[INET6_ADDRSTRLEN];

                if (fam == 4 ? !s->has4 : !s->has6) {
                    continue;
                }
                fmt_addr(fam, fam == 4 ? (void *) &s->u4 : (void *) &s->u6,
                         u, sizeof u);
                bprintf(b, "flow add table=%d,priority=400,cookie=%#x,%s,"
                        "in_port=%s,dl_src=%s,%s=%s,%s=%s,tp_dst=%u,"
                        "actions=NORMAL\n", T_CLASSIFY, COOKIE, udp, s->port,
                        s->mac, src, u, dst, agent, ag->port);
            }
            bprintf(b, "flow add table=%d,priority=390,cookie=%#x,%s,%s=%s,"
                    "tp_dst=%u,actions=drop\n", T_CLASSIFY, COOKIE_SPOOF, udp,
                    dst, agent, ag->port);
        }
        if (!has_any) {
            continue;
        }
        fmt_addr(fam, fam == 4 ? (void *) &ag->any4 : (void *) &ag->any6,
                 any, sizeof any);
        if (fam == 4) {
            /* ARP responder for the anycast address. */
            bprintf(b, "flow add table=%d,priority=300,cookie=%#x,arp,"
                    "arp_op=1,arp_tpa=%s,actions=move:eth_src->eth_dst,"
                    "set_field:%s->eth_src,set_field:2->arp_op,"
                    "move:arp_sha->arp_tha,move:arp_spa->arp_tpa,"
                    "set_field:%s->arp_sha,set_field:%s->arp_spa,"
                    "in_port\n", T_CLASSIFY, COOKIE, any, ag->vmac, ag->vmac,
                    any);
        }
        /* Clients -> anycast: learn where the client is, then conntrack
         * with NAT, so that established connections come back translated
         * to their server. */
        bprintf(b, "flow add table=%d,priority=200,cookie=%#x,%s,%s=%s,"
                "actions=learn(table=%d,idle_timeout=%d,priority=10,"
                "NXM_OF_ETH_DST[]=NXM_OF_ETH_SRC[],"
                "output:NXM_OF_IN_PORT[]),ct(zone=%d,nat,table=%d)\n",
                T_CLASSIFY, COOKIE, ip, dst, any, T_TO_CLIENT, LEARN_IDLE_S,
                zone, T_TO_SERVER);
        bprintf(b, "flow add table=%d,priority=100,cookie=%#x,"
                "ct_state=+new+trk,%s,%s=%s,actions=group:%d\n", T_TO_SERVER,
                COOKIE, ip, dst, any, fam == 4 ? GROUP4 : GROUP6);
        /* Replies (and related ICMP errors) after un-NAT. */
        bprintf(b, "flow add table=%d,priority=100,cookie=%#x,"
                "ct_state=+trk+rpl,%s,%s=%s,actions=set_field:%s->eth_src,"
                "load:0->in_port,resubmit(,%d)\n", T_FROM_SERVER, COOKIE,
                ip, src, any, ag->vmac, T_TO_CLIENT);
        bprintf(b, "flow add table=%d,priority=100,cookie=%#x,"
                "ct_state=+trk+rel,%s,%s=%s,actions=set_field:%s->eth_src,"
                "load:0->in_port,resubmit(,%d)\n", T_FROM_SERVER, COOKIE,
                ip, src, any, ag->vmac, T_TO_CLIENT);
        for (i = 0; i < ag->n_servers; i++) {
            const struct server *s = &ag->servers[i];
            char u[INET6_ADDRSTRLEN];

            if (fam == 4 ? !s->has4 : !s->has6) {
                continue;
            }
            fmt_addr(fam, fam == 4 ? (void *) &s->u4 : (void *) &s->u6, u,
                     sizeof u);
            /* An existing connection, already translated by ct(nat): to
             * its server whatever the group says now.  in_port is cleared
             * here and before the output to a learned client, because
             * OpenFlow drops "output" to the input port, and a client and
             * a server may both sit behind one link to another router. */
            bprintf(b, "flow add table=%d,priority=200,cookie=%#x,"
                    "ct_state=+trk,%s,%s=%s,actions=mod_dl_dst:%s,"
                    "load:0->in_port,output:%s\n", T_TO_SERVER, COOKIE, ip,
                    dst, u, s->mac, s->port);
            bprintf(b, "flow add table=%d,priority=200,cookie=%#x,"
                    "in_port=%s,%s,%s=%s,actions=ct(zone=%d,nat,table=%d)\n",
                    T_CLASSIFY, COOKIE, s->port, ip, src, u, zone,
                    T_FROM_SERVER);
        }
    }
}

/* Cross-family: IPv4 clients of 'x4' are translated by nat64 (prefix
 * mode) into IPv6 and steered like IPv6 anycast clients: the same group,
 * zone and per-server flows.  Replies are un-NATed by conntrack to the
 * embedded anycast address and translated back to IPv4.  The client is
 * learned by IPv4 address (not MAC): servers send their replies to the
 * prefix through the router, so the frame's destination MAC is the
 * router's. */
static void
cross_flows(struct agent *ag, struct buf *b)
{
    char x4[INET_ADDRSTRLEN], pfx[INET6_ADDRSTRLEN], x6[INET6_ADDRSTRLEN];
    char nat64_to6[2 * INET6_ADDRSTRLEN], nat64_to4[2 * INET6_ADDRSTRLEN];
    static const char *const cts[] = { "+trk+rpl", "+trk+rel" };
    size_t i;

    fmt_addr(4, &ag->x4, x4, sizeof x4);
    fmt_addr(6, &ag->xprefix, pfx, sizeof pfx);
    fmt_addr(6, &ag->x6, x6, sizeof x6);
    snprintf(nat64_to6, sizeof nat64_to6, "nat64(mode=4toll6,prefix=%s/96)",
             pfx);
    snprintf(nat64_to4, sizeof nat64_to4, "nat64(mode=ll6to4,prefix=%s/96)",
             pfx);
    bprintf(b, "flow add table=%d,priority=300,cookie=%#x,arp,arp_op=1,"
            "arp_tpa=%s,actions=move:eth_src->eth_dst,set_field:%s->eth_src,"
            "set_field:2->arp_op,move:arp_sha->arp_tha,"
            "move:arp_spa->arp_tpa,set_field:%s->arp_sha,"
            "set_field:%s->arp_spa,in_port\n", T_CLASSIFY, COOKIE, x4,
            ag->vmac, ag->vmac, x4);
    bprintf(b, "flow add table=%d,priority=200,cookie=%#x,ip,nw_dst=%s,"
            "actions=learn(table=%d,idle_timeout=%d,priority=20,"
            "dl_type=0x0800,NXM_OF_IP_DST[]=NXM_OF_IP_SRC[],"
            "load:NXM_OF_ETH_SRC[]->NXM_OF_ETH_DST[],"
            "output:NXM_OF_IN_PORT[]),%s,ct(zone=%d,nat,table=%d)\n",
            T_CLASSIFY, COOKIE, x4, T_TO_CLIENT, LEARN_IDLE_S, nat64_to6,
            CT_ZONE6, T_TO_SERVER);
    bprintf(b, "flow add table=%d,priority=100,cookie=%#x,ct_state=+new+trk,"
            "ipv6,ipv6_dst=%s,actions=group:%d\n", T_TO_SERVER, COOKIE, x6,
            GROUP6);
    for (i = 0; i < sizeof cts / sizeof cts[0]; i++) {
        bprintf(b, "flow add table=%d,priority=110,cookie=%#x,ct_state=%s,"
                "ipv6,ipv6_src=%s,actions=%s,set_field:%s->eth_src,"
                "load:0->in_port,resubmit(,%d)\n", T_FROM_SERVER, COOKIE,
                cts[i], x6, nat64_to4, ag->vmac, T_TO_CLIENT);
    }
}

static int
program_initial(struct agent *ag)
{
    struct buf b = { NULL, 0, 0 };
    unsigned int w[MAX_SERVERS];
    char *del_flows[] = { ag->ofctl, "-O", "OpenFlow15", "del-flows",
                          ag->bridge, NULL };
    char *del_groups[] = { ag->ofctl, "-O", "OpenFlow15", "del-groups",
                           ag->bridge, NULL };
    int rc, i;

    compute_weights(ag, w);
    if (run_command(del_flows) || run_command(del_groups)) {
        logmsg("cannot clear bridge %s", ag->bridge);
        return -1;
    }
    if (ag->has_any4) {
        group_text(ag, &b, 4, "add", w);
    }
    if (ag->has_any6) {
        group_text(ag, &b, 6, "add", w);
    }
    base_flows(ag, &b);
    if (ag->has_x4) {
        cross_flows(ag, &b);
    }
    rc = ofctl_bundle(ag, b.s);
    if (verbose || rc) {
        fprintf(stderr, "%s", b.s);
    }
    free(b.s);
    if (!rc) {
        for (i = 0; i < ag->n_servers; i++) {
            ag->servers[i].programmed = w[i];
        }
    }
    return rc;
}

static void
apply_weights(struct agent *ag)
{
    struct buf b = { NULL, 0, 0 };
    unsigned int w[MAX_SERVERS];
    double t0 = now_ms_frac(), t1, lat;
    int i;

    compute_weights(ag, w);
    if (ag->has_any4) {
        group_text(ag, &b, 4, "modify", w);
    }
    if (ag->has_any6) {
        group_text(ag, &b, 6, "modify", w);
    }
    if (ofctl_bundle(ag, b.s)) {
        ag->n_apply_errors++;
        logmsg("ovs-ofctl bundle failed; retrying on the next change");
        free(b.s);
        return;
    }
    free(b.s);
    t1 = now_ms_frac();
    lat = t1 - (double) ag->dirty_ms;
    if (lat < t1 - t0) {
        lat = t1 - t0;
    }
    ag->n_applies++;
    ag->lat_last = lat;
    ag->lat_sum += lat;
    ag->lat_n++;
    if (lat > ag->lat_max) {
        ag->lat_max = lat;
    }
    if (ag->death_pending) {
        ag->death_last = t1 - (double) ag->death_ref_ms;
        ag->death_pending = false;
    }
    for (i = 0; i < ag->n_servers; i++) {
        ag->servers[i].programmed = w[i];
    }
    {
        struct buf m = { NULL, 0, 0 };
        for (i = 0; i < ag->n_servers; i++) {
            bprintf(&m, " %s=%u", ag->servers[i].name, w[i]);
        }
        logmsg("programmed weights%s (%.1f ms after the report, ofctl "
               "%.1f ms)", m.s, lat, t1 - t0);
        free(m.s);
    }
    ag->dirty = false;
}

/* Marks the state dirty if the weights OVS should have changed. */
static void
check_dirty(struct agent *ag, uint64_t when)
{
    unsigned int w[MAX_SERVERS];
    int i;

    compute_weights(ag, w);
    for (i = 0; i < ag->n_servers; i++) {
        if (w[i] != ag->servers[i].programmed) {
            if (!ag->dirty) {
                ag->dirty = true;
                ag->dirty_ms = when;
            }
            return;
        }
    }
}

/* ---- Reports. ---- */

static void
handle_report(struct agent *ag, const char *buf, size_t len,
              const struct sockaddr_in6 *from)
{
    struct in_addr a4;
    struct server *s;
    struct anycast_report r;
    const char *error;
    char a[INET6_ADDRSTRLEN];
    uint64_t t = now_ms();

    ag->n_reports++;
    if (IN6_IS_ADDR_V4MAPPED(&from->sin6_addr)) {
        memcpy(&a4, &from->sin6_addr.s6_addr[12], sizeof a4);
        s = find_by_addr(ag, 4, &a4, NULL);
        fmt_addr(4, &a4, a, sizeof a);
    } else {
        s = find_by_addr(ag, 6, NULL, &from->sin6_addr);
        fmt_addr(6, &from->sin6_addr, a, sizeof a);
    }
    if (!s) {
        ag->n_unknown++;
        if (verbose) {
            logmsg("report from %s: not a registered server, ignored", a);
        }
        return;
    }
    error = anycast_report_parse(buf, len, &r);
    if (error) {
        ag->n_malformed++;
        s->n_bad++;
        if (verbose) {
            logmsg("report from %s (%s): %s, ignored", s->name, a, error);
        }
        return;
    }
    s->n_reports++;
    s->last_ms = t;
    if (!s->alive) {
        s->alive = true;
        logmsg("%s: %s", s->name, s->ever ? "reports again" : "first report");
    }
    s->ever = true;
    if (r.state != ANYCAST_STATE_NONE) {
        s->state = r.state;
    }
    s->weight = anycast_report_weight(&r, s->base, s->weight);
    check_dirty(ag, t);
}

static void
check_deaths(struct agent *ag, uint64_t t)
{
    int i;

    for (i = 0; i < ag->n_servers; i++) {
        struct server *s = &ag->servers[i];

        if (s->is_static || !s->alive || !s->ever
            || t < s->last_ms + ag->dead_ms) {
            continue;
        }
        s->alive = false;
        logmsg("%s: no report for %u ms, drained", s->name, ag->dead_ms);
        check_dirty(ag, s->last_ms + ag->dead_ms);
        if (ag->dirty) {
            ag->death_pending = true;
            ag->death_ref_ms = s->last_ms;
        }
    }
}

/* Milliseconds until the next thing to do, -1 for none. */
static int
next_timeout(const struct agent *ag, uint64_t t)
{
    int64_t best = -1;
    int i;

    if (ag->dirty) {
        int64_t d = (int64_t) (ag->dirty_ms + ag->batch_ms) - (int64_t) t;
        best = d < 0 ? 0 : d;
    }
    for (i = 0; i < ag->n_servers; i++) {
        const struct server *s = &ag->servers[i];
        int64_t d;

        if (s->is_static || !s->alive || !s->ever) {
            continue;
        }
        d = (int64_t) (s->last_ms + ag->dead_ms) - (int64_t) t;
        if (d < 0) {
            d = 0;
        }
        if (best < 0 || d < best) {
            best = d;
        }
    }
    return (int) best;
}

/* ---- Status. ---- */

/* Established connections per server from OVS's conntrack table. */
static void
count_conns(struct agent *ag, unsigned int *conns)
{
    static char cmd[CMD_MAX_LEN], line[CMD_MAX_LEN];
    FILE *p;
    int i;

    memset(conns, 0, sizeof *conns * MAX_SERVERS);
    snprintf(cmd, sizeof cmd, "%s dpctl/dump-conntrack 2>/dev/null",
             ag->appctl);
    p = popen(cmd, "r");
    if (!p) {
        return;
    }
    while (fgets(line, sizeof line, p)) {
        char *reply = strstr(line, "reply=(src=");

        if (!reply) {
            continue;
        }
        reply += strlen("reply=(src=");
        for (i = 0; i < ag->n_servers; i++) {
            const struct server *s = &ag->servers[i];
            char a[INET6_ADDRSTRLEN + 1];
            size_t n;

            if (s->has4) {
                fmt_addr(4, &s->u4, a, sizeof a);
                n = strlen(a);
                if (!strncmp(reply, a, n) && reply[n] == ',') {
                    conns[i]++;
                }
            }
            if (s->has6) {
                fmt_addr(6, &s->u6, a, sizeof a);
                n = strlen(a);
                if (!strncmp(reply, a, n) && reply[n] == ',') {
                    conns[i]++;
                }
            }
        }
    }
    pclose(p);
}

static void
status_text(struct agent *ag, struct buf *b)
{
    unsigned int w[MAX_SERVERS], slots[MAX_SERVERS], conns[MAX_SERVERS];
    unsigned int total_slots = 0;
    char a4[INET6_ADDRSTRLEN] = "-", a6[INET6_ADDRSTRLEN] = "-";
    uint64_t t = now_ms();
    int i;

    compute_weights(ag, w);
    webster_slots(w, ag->n_servers, slots);
    count_conns(ag, conns);
    for (i = 0; i < ag->n_servers; i++) {
        total_slots += slots[i];
    }
    if (ag->has_any4) {
        fmt_addr(4, &ag->any4, a4, sizeof a4);
    }
    if (ag->has_any6) {
        fmt_addr(6, &ag->any6, a6, sizeof a6);
    }
    bprintf(b, "anycast %s %s  bridge %s  dead-after %u ms  batch %u ms\n",
            a4, a6, ag->bridge, ag->dead_ms, ag->batch_ms);
    if (ag->has_x4) {
        char x4[INET_ADDRSTRLEN], x6[INET6_ADDRSTRLEN];

        fmt_addr(4, &ag->x4, x4, sizeof x4);
        fmt_addr(6, &ag->x6, x6, sizeof x6);
        bprintf(b, "cross-family %s -> %s (nat64, IPv6 weights)\n", x4, x6);
    }
    bprintf(b, "%-8s %-5s %-5s %4s %6s %6s %6s %9s %5s %7s %4s\n", "server",
            "state", "alive", "base", "report", "weight", "share",
            "last-ms", "conns", "reports", "bad");
    for (i = 0; i < ag->n_servers; i++) {
        const struct server *s = &ag->servers[i];
        char age[16], share[16];

        if (s->is_static) {
            snprintf(age, sizeof age, "static");
        } else if (!s->ever) {
            snprintf(age, sizeof age, "never");
        } else {
            snprintf(age, sizeof age, "%" PRIu64, t - s->last_ms);
        }
        snprintf(share, sizeof share, "%.1f%%",
                 total_slots ? 100.0 * slots[i] / total_slots : 0.0);
        bprintf(b, "%-8s %-5s %-5s %4u %6u %6u %6s %9s %5u %7" PRIu64
                " %4" PRIu64 "\n", s->name, anycast_state_name(s->state),
                s->alive ? "yes" : "no", s->base, s->weight,
                s->programmed, share, age, conns[i], s->n_reports,
                s->n_bad);
    }
    bprintf(b, "reports %" PRIu64 "  malformed %" PRIu64 "  unknown-source %"
            PRIu64 "  applies %" PRIu64 "  apply-errors %" PRIu64 "\n",
            ag->n_reports, ag->n_malformed, ag->n_unknown, ag->n_applies,
            ag->n_apply_errors);
    bprintf(b, "report-to-switch ms: last %.1f  max %.1f  mean %.1f;  "
            "dead-server removal ms: last %.1f\n", ag->lat_last, ag->lat_max,
            ag->lat_n ? ag->lat_sum / ag->lat_n : 0.0, ag->death_last);
}

static void
handle_ctl(struct agent *ag, int lfd)
{
    char cmd[64];
    ssize_t n;
    int fd = accept(lfd, NULL, NULL);
    struct buf b = { NULL, 0, 0 };

    if (fd < 0) {
        return;
    }
    {
        struct timeval tv = { 1, 0 };
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    }
    n = read(fd, cmd, sizeof cmd - 1);
    if (n < 0) {
        n = 0;
    }
    cmd[n] = '\0';
    cmd[strcspn(cmd, "\r\n")] = '\0';
    if (!strcmp(cmd, "status")) {
        status_text(ag, &b);
    } else {
        bprintf(&b, "error: unknown command \"%s\" (valid: status)\n", cmd);
    }
    if (write(fd, b.s, b.len) < 0) {
        /* The client went away: nothing to do. */
    }
    free(b.s);
    close(fd);
}

static int
ctl_listen(const char *path)
{
    struct sockaddr_un sun;
    int fd;

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof sun.sun_path) {
        fprintf(stderr, "ovs-anycast-agent: control path too long\n");
        return -1;
    }
    strcpy(sun.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    unlink(path);
    if (fd < 0 || bind(fd, (struct sockaddr *) &sun, sizeof sun)
        || listen(fd, 8)) {
        fprintf(stderr, "ovs-anycast-agent: %s: %s\n", path, strerror(errno));
        return -1;
    }
    return fd;
}

static int
ctl_client(const char *path, const char *cmd)
{
    static char buf[CMD_MAX_LEN];
    struct sockaddr_un sun;
    ssize_t n;
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof sun.sun_path, "%s", path);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun)) {
        fprintf(stderr, "ovs-anycast-agent: %s: %s (is the agent "
                "running?)\n", path, strerror(errno));
        return 1;
    }
    if (write(fd, cmd, strlen(cmd)) < 0 || write(fd, "\n", 1) < 0) {
        return 1;
    }
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, n, stdout);
    }
    close(fd);
    return 0;
}

/* ---- Main. ---- */

static void
on_signal(int sig)
{
    stop_signal = sig;
}

static void
usage(void)
{
    printf("\
Usage: ovs-anycast-agent [--verbose] --config FILE\n\
       ovs-anycast-agent --config FILE | --control PATH  status\n\
\n\
Active anycast steering agent: receives load reports from the servers\n\
sharing an anycast address and programs the OVS bridge (select group with\n\
ct(commit,nat(dst=SERVER)) buckets) so new connections follow the\n\
weights and established ones stay on their server.\n\
\n\
  -c, --config FILE    configuration (see agent.conf.example)\n\
  -C, --control PATH   control socket (default: config's \"control\", or\n\
                       /run/ovs-anycast-agent.ctl)\n\
  -v, --verbose        log every bad report and the programmed flows\n\
  -h, --help           this text\n\
\n\
Commands: status   servers, weights, shares, last report age, connections\n\
                   per server (conntrack), counters, latencies.\n\
Signals: SIGTERM/SIGINT stop (flows stay; the next start replaces them).\n\
");
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "control", required_argument, NULL, 'C' },
        { "verbose", no_argument, NULL, 'v' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static struct agent ag;
    const char *ctl_opt = NULL;
    struct sockaddr_in6 sin6;
    struct sigaction sa;
    int c, ufd, cfd, off = 0;

    while ((c = getopt_long(argc, argv, "c:C:vh", opts, NULL)) != -1) {
        switch (c) {
        case 'c':
            ag.config = optarg;
            break;
        case 'C':
            ctl_opt = optarg;
            break;
        case 'v':
            verbose = true;
            break;
        case 'h':
            usage();
            return 0;
        default:
            usage();
            return 2;
        }
    }
    ag.port = ANYCAST_DEFAULT_PORT;
    ag.dead_ms = DEFAULT_DEAD_MS;
    ag.batch_ms = DEFAULT_BATCH_MS;
    snprintf(ag.ofctl, sizeof ag.ofctl, "ovs-ofctl");
    snprintf(ag.appctl, sizeof ag.appctl, "ovs-appctl");
    snprintf(ag.ctl_path, sizeof ag.ctl_path, "/run/ovs-anycast-agent.ctl");
    if (ag.config && load_config(&ag, ag.config)) {
        return 1;
    }
    if (ctl_opt) {
        snprintf(ag.ctl_path, sizeof ag.ctl_path, "%s", ctl_opt);
    }
    if (optind < argc) {
        if (optind + 1 != argc || strcmp(argv[optind], "status")) {
            fprintf(stderr, "ovs-anycast-agent: unknown command \"%s\" "
                    "(valid: status)\n", argv[optind]);
            return 2;
        }
        return ctl_client(ag.ctl_path, argv[optind]);
    }
    if (!ag.config) {
        fprintf(stderr, "ovs-anycast-agent: --config FILE is required\n");
        return 2;
    }

    ufd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    memset(&sin6, 0, sizeof sin6);
    sin6.sin6_family = AF_INET6;
    sin6.sin6_port = htons(ag.port);
    sin6.sin6_addr = in6addr_any;
    if (ufd < 0
        || setsockopt(ufd, IPPROTO_IPV6, IPV6_V6ONLY, &off, sizeof off)
        || bind(ufd, (struct sockaddr *) &sin6, sizeof sin6)) {
        fprintf(stderr, "ovs-anycast-agent: UDP port %u: %s\n", ag.port,
                strerror(errno));
        return 1;
    }
    cfd = ctl_listen(ag.ctl_path);
    if (cfd < 0) {
        return 1;
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);

    if (program_initial(&ag)) {
        logmsg("cannot program bridge %s", ag.bridge);
        unlink(ag.ctl_path);
        return 1;
    }
    logmsg("steering on bridge %s, %d servers, reports on UDP port %u",
           ag.bridge, ag.n_servers, ag.port);

    while (!stop_signal) {
        struct pollfd pfd[2] = { { ufd, POLLIN, 0 }, { cfd, POLLIN, 0 } };
        uint64_t t = now_ms();
        int timeout;

        check_deaths(&ag, t);
        if (ag.dirty && t >= ag.dirty_ms + ag.batch_ms) {
            apply_weights(&ag);
        }
        timeout = next_timeout(&ag, now_ms());
        if (poll(pfd, 2, timeout) < 0) {
            if (errno == EINTR) {
                continue;
            }
            logmsg("poll: %s", strerror(errno));
            break;
        }
        if (pfd[0].revents & POLLIN) {
            for (;;) {
                char buf[ANYCAST_REPORT_MAX + 2];
                struct sockaddr_in6 from;
                socklen_t flen = sizeof from;
                ssize_t n = recvfrom(ufd, buf, sizeof buf, 0,
                                     (struct sockaddr *) &from, &flen);
                if (n < 0) {
                    break;
                }
                handle_report(&ag, buf, (size_t) n, &from);
            }
        }
        if (pfd[1].revents & POLLIN) {
            handle_ctl(&ag, cfd);
        }
    }
    logmsg("stopping on signal %d", (int) stop_signal);
    close(ufd);
    close(cfd);
    unlink(ag.ctl_path);
    return 0;
}
