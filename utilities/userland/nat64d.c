/* SPDX-License-Identifier: Apache-2.0 */
/*
 * nat64d: the userland translator.  Stateless NAT64 (RFC 7915 / RFC 6052)
 * on tun (SIIT router, what TAYGA users run) or tap devices (the L2
 * gateway design: per tenant a LAN-side tap with IPv4/ARP and a
 * service-side tap with IPv6/ND, fe80::/96), with the lib/nat64 core.
 *
 * One worker thread per device queue (IFF_MULTI_QUEUE), each with its own
 * buffers and counters: nothing is shared on the packet path but the
 * read-mostly configuration, which a SIGHUP replaces under a sequence
 * counter.  With 'offload = on' the devices carry virtio-net headers and
 * the kernel hands us 64 KB TCP super-frames and partial checksums, which
 * frame.c translates once per super-frame.
 *
 * The main thread opens the devices and the control socket, drops its
 * privileges (libcap-ng), starts the workers, then serves signals
 * (SIGTERM/SIGINT stop, SIGHUP reload, SIGUSR1 counters to stderr) and
 * the control socket ("show").
 */
#define _GNU_SOURCE 1
#include <arpa/inet.h>
#include <cap-ng.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "frame.h"

#define PROGRAM "nat64d"
#define DEFAULT_CONFIG "/etc/nat64d.conf"
#define DEFAULT_SOCKET "/run/nat64d/nat64d.sock"
#define MAX_QUEUES 16
#define MAX_TENANTS 64
#define MAX_LINE 1024
/* Packets read from one queue before polling again: bounds how long one
 * busy direction can starve the other in tap mode. */
#define BATCH 64
/* Workers look at the stop flag and the configuration this often when
 * idle. */
#define POLL_MS 200
#define MTU_MIN 68
#define MTU_MAX 65535
/* The core counts a frag_mtu below the IPv6 minimum MTU as 1280: refuse
 * it rather than run with another value than the one written. */
#define FRAG_MTU_MIN 1280

enum run_mode { MODE_TUN, MODE_TAP };

struct tenant {
    char name[IFNAMSIZ];
    char lan[IFNAMSIZ];         /* IPv4/ARP side. */
    char svc[IFNAMSIZ];         /* IPv6/ND side. */
};

/* What SIGHUP may change while packets flow. */
struct live_cfg {
    struct nat64_config nat64;
    int pass_native;
    int icmp_errors;
};

struct config {
    enum run_mode mode;
    char tun_device[IFNAMSIZ];
    struct tenant tenants[MAX_TENANTS];
    int n_tenants;
    int queues;
    int offload;
    int create;
    char socket[sizeof ((struct sockaddr_un *) 0)->sun_path];
    char user[64];
    char group[64];
    int dec_ttl_set;
    int prefix_set;
    struct live_cfg live;
};

/* The live configuration, published under a sequence counter: odd while
 * the main thread writes it.  Workers copy it when the counter moves. */
static struct {
    unsigned int seq;
    struct live_cfg cfg;
} shared;

struct worker {
    pthread_t thread;
    char label[48];
    enum nu_link link;
    int nfds;
    int fd[2];                  /* tun: fd[0]; tap: LAN, service. */
    int has_vnet;
    int coalesce;               /* tun with vnet headers: UDP GSO. */
    struct nu_stats st;
};

static struct worker *workers;
static int n_workers;
static volatile int stop_flag;

static void
msg(const char *fmt, ...)
{
    va_list args;

    fputs(PROGRAM ": ", stderr);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
}

static void
usage(void)
{
    printf("Usage: " PROGRAM " [OPTIONS]\n"
"Stateless NAT64 (RFC 7915) on tun (SIIT router) or tap (L2 gateway)\n"
"devices, with the ovs-nat64 translator core.\n"
"\n"
"  -c, --config FILE   configuration (default " DEFAULT_CONFIG ")\n"
"      --check         parse the configuration, print it, exit\n"
"      --mktun         create the configured devices as persistent\n"
"                      devices (with their queue/offload flags), exit\n"
"      --rmtun         delete those persistent devices, exit\n"
"      --show          print the counters of the running daemon (through\n"
"                      its control socket), exit\n"
"  -s, --socket PATH   control socket for --show (default: the config's\n"
"                      control-socket)\n"
"  -h, --help          this text\n"
"\n"
"Runs in the foreground (systemd: Type=simple).  Signals: SIGTERM/SIGINT\n"
"stop cleanly, SIGHUP re-reads the configuration (prefix, mtu, frag-mtu,\n"
"dec-ttl, mss-clamp, icmp-errors, icmp-src4, icmp-src6, pool6791,\n"
"protect, alg, native-ipv6; device keys need a restart),\n"
"SIGUSR1 prints the counters to stderr.\n"
"\n"
"Configuration keys (key = value, '#' comments):\n"
"  mode = tun | tap             required\n"
"  tun-device = NAME            tun mode: the device (default nat64)\n"
"  tenant = NAME LAN-TAP SVC-TAP  tap mode, once per tenant: the tap\n"
"                               toward the IPv4 LAN and the one toward\n"
"                               the IPv6 service side\n"
"  prefix = PREFIX/LEN          RFC 6052 prefix, LEN 32 40 48 56 64 96\n"
"                               (default tun 64:ff9b::/96, tap fe80::/96)\n"
"  queues = N                   queues per device, one thread each, 1-%d\n"
"                               (default 1; >1 uses IFF_MULTI_QUEUE)\n"
"  offload = on | off           virtio-net headers: GSO super-frames and\n"
"                               partial checksums (default on)\n"
"  create = yes | no            create missing devices (default yes;\n"
"                               a created device goes away on exit)\n"
"  mtu = N                      egress MTU of translated packets, 0 or\n"
"                               %d-%d (default 1500): bigger ones are\n"
"                               fragmented (IPv4 without DF) or answered\n"
"                               with Fragmentation Needed / Packet Too Big\n"
"  dec-ttl = on | off           decrement TTL/hop limit, Time Exceeded\n"
"                               when it expires (default on in tun mode,\n"
"                               off in tap mode: a bridge)\n"
"  frag-mtu = N                 IPv4 packets without DF whose\n"
"                               translation is bigger are fragmented to\n"
"                               N (RFC 7915 4 lowest-ipv6-mtu): 0 (only\n"
"                               above mtu) or %d-%d (default 1280)\n"
"  mss-clamp = on | off         clamp the TCP SYN MSS to fit mtu (on)\n"
"  icmp-errors = on | off       send the core's ICMP errors (on)\n"
"  icmp-src4 = ADDR | none      IPv4 source of the ICMPv4 errors the\n"
"                               translator sends itself (default none:\n"
"                               the original destination)\n"
"  icmp-src6 = ADDR | none      the same for ICMPv6 errors\n"
"  pool6791 = ADDR | none       IPv4 source for translated ICMPv6 errors\n"
"                               from outside the prefix (RFC 6791;\n"
"                               default none: those are dropped)\n"
"  protect = ADDR[,ADDR...]     IPv4 addresses of the IPv6 side that no\n"
"                               IPv4 packet may use as its source (at\n"
"                               most %d in all; lines add up)\n"
"  alg = mdns,ssdp | mdns | ssdp | none\n"
"                               rewrite the addresses in mDNS/DNS-SD\n"
"                               and SSDP payloads (default none)\n"
"  native-ipv6 = pass | drop    tap mode: IPv6 that is not for the\n"
"                               mapping is bridged unchanged (pass)\n"
"  control-socket = PATH|none   default " DEFAULT_SOCKET "\n"
"  user = NAME                  run as NAME after opening the devices\n"
"  group = NAME                 and this group (default NAME's group)\n"
"Keys may be written with '_' for '-' (frag_mtu, icmp_src4: the names\n"
"of the Open vSwitch action).  Every capability is dropped after the\n"
"devices are open.\n",
           MAX_QUEUES, MTU_MIN, MTU_MAX, FRAG_MTU_MIN, MTU_MAX,
           NAT64_MAX_PROTECTED);
}

/* ---- configuration ---- */

static const char *const known_keys =
    "mode, tun-device, tenant, prefix, queues, offload, create, mtu, "
    "frag-mtu, dec-ttl, mss-clamp, icmp-errors, icmp-src4, icmp-src6, "
    "pool6791, protect, alg, native-ipv6, control-socket, user, group";

static char *
trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t') {
        s++;
    }
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n'
                     || e[-1] == '\r')) {
        *--e = '\0';
    }
    return s;
}

static int
parse_bool(const char *v, const char *yes, const char *no, int *out)
{
    if (!strcmp(v, yes) || !strcmp(v, "on") || !strcmp(v, "yes")
        || !strcmp(v, "true") || !strcmp(v, "1")) {
        *out = 1;
    } else if (!strcmp(v, no) || !strcmp(v, "off") || !strcmp(v, "no")
               || !strcmp(v, "false") || !strcmp(v, "0")) {
        *out = 0;
    } else {
        return -1;
    }
    return 0;
}

static int
parse_uint(const char *v, long min, long max, long *out)
{
    char *end;
    long n;

    errno = 0;
    n = strtol(v, &end, 10);
    if (errno || end == v || *end || n < min || n > max) {
        return -1;
    }
    *out = n;
    return 0;
}

static int
parse_ifname(const char *v, char *out)
{
    size_t n = strlen(v);

    if (!n || n >= IFNAMSIZ || strpbrk(v, " \t/:")) {
        return -1;
    }
    memcpy(out, v, n + 1);
    return 0;
}

static int
parse_prefix(const char *v, struct nat64_config *cfg)
{
    char buf[INET6_ADDRSTRLEN + 8], *slash;
    uint8_t addr[16];
    long len;

    if (strlen(v) >= sizeof buf) {
        return -1;
    }
    strcpy(buf, v);
    slash = strchr(buf, '/');
    if (!slash) {
        return -1;
    }
    *slash = '\0';
    if (inet_pton(AF_INET6, buf, addr) != 1
        || parse_uint(slash + 1, 0, 128, &len)) {
        return -1;
    }
    return nat64_config_set_prefix(cfg, addr, (unsigned int) len);
}

/* An optional address: "none" clears '*has', else 'v' must be an
 * address of family 'af' ('n' bytes into 'out'). */
static int
parse_opt_addr(const char *v, int af, uint8_t *out, size_t n,
               uint8_t *has)
{
    uint8_t a[16];

    if (!strcmp(v, "none")) {
        *has = 0;
        memset(out, 0, n);
        return 0;
    }
    if (inet_pton(af, v, a) != 1) {
        return -1;
    }
    memcpy(out, a, n);
    *has = 1;
    return 0;
}

/* "ADDR[,ADDR...]" (commas and/or blanks) added to cfg->protected4.
 * Returns NULL or what is wrong. */
static const char *
parse_protect(const char *val, struct nat64_config *cfg)
{
    static char why[160];
    static char v[MAX_LINE];
    char *tok, *save = NULL;
    int n = 0;

    snprintf(v, sizeof v, "%s", val);
    for (tok = strtok_r(v, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        uint8_t a[4];

        if (inet_pton(AF_INET, tok, a) != 1) {
            snprintf(why, sizeof why, "'%s' is not an IPv4 address "
                     "(expected ADDR[,ADDR...])", tok);
            return why;
        }
        if (nat64_config_add_protected(cfg, a)) {
            snprintf(why, sizeof why, "at most %d protected addresses in "
                     "all", NAT64_MAX_PROTECTED);
            return why;
        }
        n++;
    }
    return n ? NULL : "expected ADDR[,ADDR...] (IPv4 addresses)";
}

/* "none", or ALG names separated by commas. */
static int
parse_alg(const char *val, uint8_t *alg)
{
    static char v[MAX_LINE];
    char *tok, *save = NULL;
    uint8_t bits = 0;

    if (!strcmp(val, "none")) {
        *alg = 0;
        return 0;
    }
    snprintf(v, sizeof v, "%s", val);
    for (tok = strtok_r(v, ", \t", &save); tok;
         tok = strtok_r(NULL, ", \t", &save)) {
        if (!strcmp(tok, "mdns")) {
            bits |= NAT64_ALG_MDNS;
        } else if (!strcmp(tok, "ssdp")) {
            bits |= NAT64_ALG_SSDP;
        } else {
            return -1;
        }
    }
    if (!bits) {
        return -1;
    }
    *alg = bits;
    return 0;
}

/* Parses one "key = value" line into 'c'.  Returns NULL or a message
 * saying what is wrong. */
static const char *
parse_line(struct config *c, char *key, char *val)
{
    static char why[256];
    struct live_cfg *l = &c->live;
    long n;
    int b;

    if (!strcmp(key, "mode")) {
        if (!strcmp(val, "tun")) {
            c->mode = MODE_TUN;
        } else if (!strcmp(val, "tap")) {
            c->mode = MODE_TAP;
        } else {
            return "valid modes: tun, tap";
        }
    } else if (!strcmp(key, "tun-device")) {
        if (parse_ifname(val, c->tun_device)) {
            return "expected an interface name (1-15 characters)";
        }
    } else if (!strcmp(key, "tenant")) {
        struct tenant *t;
        char name[64], lan[64], svc[64], extra[2];

        if (c->n_tenants >= MAX_TENANTS) {
            snprintf(why, sizeof why, "at most %d tenants", MAX_TENANTS);
            return why;
        }
        t = &c->tenants[c->n_tenants];
        if (sscanf(val, "%63s %63s %63s %1s", name, lan, svc, extra) != 3
            || parse_ifname(name, t->name) || parse_ifname(lan, t->lan)
            || parse_ifname(svc, t->svc) || !strcmp(t->lan, t->svc)) {
            return "expected 'NAME LAN-TAP SERVICE-TAP' (three different "
                   "words, interface names of 1-15 characters)";
        }
        c->n_tenants++;
    } else if (!strcmp(key, "prefix")) {
        if (parse_prefix(val, &l->nat64)) {
            return "expected an RFC 6052 prefix ADDR/LEN with LEN 32, 40, "
                   "48, 56, 64 or 96, no bits past LEN or in bits 64-71, "
                   "not multicast";
        }
        c->prefix_set = 1;
    } else if (!strcmp(key, "queues")) {
        if (parse_uint(val, 1, MAX_QUEUES, &n)) {
            snprintf(why, sizeof why, "expected 1 to %d", MAX_QUEUES);
            return why;
        }
        c->queues = (int) n;
    } else if (!strcmp(key, "offload")) {
        if (parse_bool(val, "on", "off", &c->offload)) {
            return "expected on or off";
        }
    } else if (!strcmp(key, "create")) {
        if (parse_bool(val, "yes", "no", &c->create)) {
            return "expected yes or no";
        }
    } else if (!strcmp(key, "mtu")) {
        if (parse_uint(val, 0, MTU_MAX, &n) || (n && n < MTU_MIN)) {
            snprintf(why, sizeof why, "expected 0 (no limit) or %d to %d",
                     MTU_MIN, MTU_MAX);
            return why;
        }
        l->nat64.mtu = (uint16_t) n;
    } else if (!strcmp(key, "frag-mtu")) {
        if (parse_uint(val, 0, MTU_MAX, &n) || (n && n < FRAG_MTU_MIN)) {
            snprintf(why, sizeof why, "expected 0 (fragment only above "
                     "mtu) or %d to %d", FRAG_MTU_MIN, MTU_MAX);
            return why;
        }
        l->nat64.frag_mtu = (uint16_t) n;
    } else if (!strcmp(key, "icmp-src4")) {
        if (parse_opt_addr(val, AF_INET, l->nat64.icmp_src4, 4,
                           &l->nat64.has_icmp_src4)) {
            return "expected an IPv4 address or none";
        }
    } else if (!strcmp(key, "icmp-src6")) {
        if (parse_opt_addr(val, AF_INET6, l->nat64.icmp_src6, 16,
                           &l->nat64.has_icmp_src6)) {
            return "expected an IPv6 address or none";
        }
    } else if (!strcmp(key, "pool6791")) {
        if (parse_opt_addr(val, AF_INET, l->nat64.pool6791, 4,
                           &l->nat64.has_pool6791)) {
            return "expected an IPv4 address or none";
        }
    } else if (!strcmp(key, "protect")) {
        return parse_protect(val, &l->nat64);
    } else if (!strcmp(key, "alg")) {
        if (parse_alg(val, &l->nat64.alg)) {
            return "valid values: mdns,ssdp, mdns, ssdp, none";
        }
    } else if (!strcmp(key, "dec-ttl")) {
        if (parse_bool(val, "on", "off", &b)) {
            return "expected on or off";
        }
        l->nat64.dec_ttl = (uint8_t) b;
        c->dec_ttl_set = 1;
    } else if (!strcmp(key, "mss-clamp")) {
        if (parse_bool(val, "on", "off", &b)) {
            return "expected on or off";
        }
        l->nat64.mss_clamp = (uint8_t) b;
    } else if (!strcmp(key, "icmp-errors")) {
        if (parse_bool(val, "on", "off", &l->icmp_errors)) {
            return "expected on or off";
        }
    } else if (!strcmp(key, "native-ipv6")) {
        if (parse_bool(val, "pass", "drop", &l->pass_native)) {
            return "expected pass or drop";
        }
    } else if (!strcmp(key, "control-socket")) {
        if (strlen(val) >= sizeof c->socket || !val[0]) {
            return "expected a path shorter than 108 bytes, or none";
        }
        strcpy(c->socket, val);
    } else if (!strcmp(key, "user")) {
        if (strlen(val) >= sizeof c->user || !getpwnam(val)) {
            return "no such user";
        }
        strcpy(c->user, val);
    } else if (!strcmp(key, "group")) {
        if (strlen(val) >= sizeof c->group || !getgrnam(val)) {
            return "no such group";
        }
        strcpy(c->group, val);
    } else {
        snprintf(why, sizeof why, "unknown key (valid keys: %s)",
                 known_keys);
        return why;
    }
    return NULL;
}

/* Reads 'path' into 'c'.  Returns 0, or -1 after printing FILE:LINE: what
 * is wrong. */
static int
read_config(const char *path, struct config *c)
{
    static const uint8_t wkp[16] = { 0, 0x64, 0xff, 0x9b };
    char line[MAX_LINE];
    FILE *f = fopen(path, "r");
    int lineno = 0;

    memset(c, 0, sizeof *c);
    c->mode = -1;
    c->queues = 1;
    c->offload = 1;
    c->create = 1;
    strcpy(c->tun_device, "nat64");
    strcpy(c->socket, DEFAULT_SOCKET);
    nat64_config_init(&c->live.nat64);
    c->live.pass_native = 1;
    c->live.icmp_errors = 1;
    if (!f) {
        msg("cannot read configuration %s: %s", path, strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char *s, *eq, *key, *val, *hash, *u;
        const char *why;

        lineno++;
        if (!strchr(line, '\n') && !feof(f)) {
            msg("%s:%d: line longer than %d bytes", path, lineno,
                MAX_LINE - 2);
            fclose(f);
            return -1;
        }
        hash = strchr(line, '#');
        if (hash) {
            *hash = '\0';
        }
        s = trim(line);
        if (!*s) {
            continue;
        }
        eq = strchr(s, '=');
        if (!eq) {
            msg("%s:%d: expected 'key = value', got '%s'", path, lineno, s);
            fclose(f);
            return -1;
        }
        *eq = '\0';
        key = trim(s);
        val = trim(eq + 1);
        for (u = key; *u; u++) {
            if (*u == '_') {
                *u = '-';   /* frag_mtu, as in the OVS action. */
            }
        }
        why = parse_line(c, key, val);
        if (why) {
            msg("%s:%d: bad value '%s' for key '%s': %s", path, lineno,
                val, key, why);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    if (c->mode == (enum run_mode) -1) {
        msg("%s: no 'mode' (valid modes: tun, tap)", path);
        return -1;
    }
    if (c->mode == MODE_TAP && !c->n_tenants) {
        msg("%s: mode tap needs at least one 'tenant = NAME LAN-TAP "
            "SERVICE-TAP' line", path);
        return -1;
    }
    if (c->mode == MODE_TUN && c->n_tenants) {
        msg("%s: 'tenant' lines are for mode tap (mode tun uses "
            "tun-device)", path);
        return -1;
    }
    if (!c->dec_ttl_set) {
        c->live.nat64.dec_ttl = c->mode == MODE_TUN;
    }
    if (!c->prefix_set && c->mode == MODE_TUN) {
        nat64_config_set_prefix(&c->live.nat64, wkp, 96);
    }
    if (c->group[0] && !c->user[0]) {
        msg("%s: 'group' needs 'user'", path);
        return -1;
    }
    return 0;
}

/* The core's optional knobs, in the configuration's syntax. */
static void
print_core_knobs(const struct nat64_config *n)
{
    char a[INET6_ADDRSTRLEN];
    int i;

    printf("frag-mtu = %u\n", n->frag_mtu);
    printf("icmp-src4 = %s\n", n->has_icmp_src4
           ? inet_ntop(AF_INET, n->icmp_src4, a, sizeof a) : "none");
    printf("icmp-src6 = %s\n", n->has_icmp_src6
           ? inet_ntop(AF_INET6, n->icmp_src6, a, sizeof a) : "none");
    printf("pool6791 = %s\n", n->has_pool6791
           ? inet_ntop(AF_INET, n->pool6791, a, sizeof a) : "none");
    printf("protect =");
    for (i = 0; i < n->n_protected && i < NAT64_MAX_PROTECTED; i++) {
        printf("%s%s", i ? "," : " ",
               inet_ntop(AF_INET, n->protected4[i], a, sizeof a));
    }
    printf("%s\n", n->n_protected ? "" : " (none)");
    printf("alg = %s\n",
           (n->alg & (NAT64_ALG_MDNS | NAT64_ALG_SSDP))
           == (NAT64_ALG_MDNS | NAT64_ALG_SSDP) ? "mdns,ssdp"
           : n->alg & NAT64_ALG_MDNS ? "mdns"
           : n->alg & NAT64_ALG_SSDP ? "ssdp" : "none");
}

static void
print_config(const struct config *c)
{
    char p[INET6_ADDRSTRLEN];
    int i;

    inet_ntop(AF_INET6, c->live.nat64.prefix, p, sizeof p);
    printf("mode = %s\n", c->mode == MODE_TUN ? "tun" : "tap");
    if (c->mode == MODE_TUN) {
        printf("tun-device = %s\n", c->tun_device);
    }
    for (i = 0; i < c->n_tenants; i++) {
        printf("tenant = %s %s %s\n", c->tenants[i].name,
               c->tenants[i].lan, c->tenants[i].svc);
    }
    printf("prefix = %s/%u\nqueues = %d\noffload = %s\ncreate = %s\n"
           "mtu = %u\ndec-ttl = %s\nmss-clamp = %s\nicmp-errors = %s\n"
           "native-ipv6 = %s\ncontrol-socket = %s\nuser = %s\n"
           "group = %s\n",
           p, c->live.nat64.prefix_len, c->queues,
           c->offload ? "on" : "off", c->create ? "yes" : "no",
           c->live.nat64.mtu, c->live.nat64.dec_ttl ? "on" : "off",
           c->live.nat64.mss_clamp ? "on" : "off",
           c->live.icmp_errors ? "on" : "off",
           c->live.pass_native ? "pass" : "drop", c->socket,
           c->user[0] ? c->user : "(unchanged)",
           c->group[0] ? c->group : "(the user's)");
    print_core_knobs(&c->live.nat64);
}

static void
publish(const struct live_cfg *l)
{
    __atomic_add_fetch(&shared.seq, 1, __ATOMIC_RELEASE);
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    shared.cfg = *l;
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    __atomic_add_fetch(&shared.seq, 1, __ATOMIC_RELEASE);
}

/* Copies the live configuration if it changed since '*seen'. */
static void
refresh(struct live_cfg *l, unsigned int *seen)
{
    unsigned int s1, s2;

    for (;;) {
        s1 = __atomic_load_n(&shared.seq, __ATOMIC_ACQUIRE);
        if (s1 == *seen) {
            return;
        }
        if (s1 & 1) {
            continue;
        }
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        memcpy(l, &shared.cfg, sizeof *l);
        __atomic_thread_fence(__ATOMIC_SEQ_CST);
        s2 = __atomic_load_n(&shared.seq, __ATOMIC_ACQUIRE);
        if (s1 == s2) {
            *seen = s1;
            return;
        }
    }
}

/* ---- devices ---- */

static int
open_queue(const char *name, int tap, const struct config *c, int persist,
           int quiet)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    int err;

    if (fd < 0) {
        err = errno;
        msg("cannot open /dev/net/tun: %s (%s)", strerror(err),
            err == ENOENT ? "no tun/tap support: load the tun module, or "
            "create the node: mknod /dev/net/tun c 10 200"
            : "needs root or CAP_NET_ADMIN");
        return -1;
    }
    if (!persist && !c->create && !if_nametoindex(name)) {
        msg("%s device '%s' does not exist (create it with '" PROGRAM
            " --mktun', or 'ip tuntap add dev %s mode %s%s%s', or set "
            "create = yes)", tap ? "tap" : "tun", name, name,
            tap ? "tap" : "tun", c->queues > 1 ? " multi_queue" : "",
            c->offload ? " vnet_hdr" : "");
        close(fd);
        return -1;
    }
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_flags = (tap ? IFF_TAP : IFF_TUN) | IFF_NO_PI;
    if (c->queues > 1) {
        ifr.ifr_flags |= IFF_MULTI_QUEUE;
    }
    if (c->offload) {
        ifr.ifr_flags |= IFF_VNET_HDR;
    }
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        err = errno;
        if (!quiet) {
            msg("cannot attach to %s device '%s': %s (%s)",
                tap ? "tap" : "tun", name, strerror(err),
                err == EPERM ? "needs CAP_NET_ADMIN, or a persistent "
                "device owned by this user"
                : err == EBUSY ? "a single-queue device already in use by "
                "another process"
                : err == EINVAL ? "it exists with other flags: it must be "
                "a device of this mode, created with multi_queue exactly "
                "when queues > 1"
                : "unexpected error");
        }
        close(fd);
        return -1;
    }
    if (c->offload) {
        unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6
                           | TUN_F_TSO_ECN;
        if (ioctl(fd, TUNSETOFFLOAD, off) < 0) {
            msg("cannot enable offloads on '%s': %s (set offload = off)",
                name, strerror(errno));
            close(fd);
            return -1;
        }
    }
    if (persist && ioctl(fd, TUNSETPERSIST, persist > 0 ? 1 : 0) < 0) {
        msg("cannot make '%s' %spersistent: %s", name,
            persist > 0 ? "" : "non-", strerror(errno));
        close(fd);
        return -1;
    }
    if (fcntl(fd, F_SETFL, O_NONBLOCK) < 0) {
        msg("cannot make '%s' non-blocking: %s", name, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

/* --mktun (persist 1) / --rmtun (persist -1). */
static int
persist_devices(const struct config *c, int persist)
{
    const char *names[2 * MAX_TENANTS];
    int n = 0, i, fd, rc = 0;

    if (c->mode == MODE_TUN) {
        names[n++] = c->tun_device;
    }
    for (i = 0; i < c->n_tenants; i++) {
        names[n++] = c->tenants[i].lan;
        names[n++] = c->tenants[i].svc;
    }
    for (i = 0; i < n; i++) {
        fd = open_queue(names[i], c->mode == MODE_TAP, c, persist, 0);
        if (fd < 0) {
            rc = 1;
            continue;
        }
        close(fd);
        msg("%s %s", persist > 0 ? "created" : "deleted", names[i]);
    }
    return rc;
}

/* ---- workers ---- */

/* The packet path's system calls, without libc's wrappers: read() and
 * write() are thread cancellation points, and their wrappers switch the
 * cancellation state around every call.  The workers are never
 * cancelled, and at 64-byte packets those two calls per packet cost
 * about as much as the translation itself. */
static ssize_t
pkt_read(int fd, void *p, size_t n)
{
    return syscall(SYS_read, fd, p, n);
}

static ssize_t
pkt_write(int fd, const void *p, size_t n)
{
    return syscall(SYS_write, fd, p, n);
}

/* Writes 'n' bytes at 'p' to 'fd', after the virtio-net header 'v' if
 * the device carries one.  'room' bytes in front of 'p' may be
 * overwritten: with room for the header it goes there and the packet is
 * one plain write, else a writev() of two pieces. */
static void
send_n(int fd, int has_vnet, const struct nu_vnet *v, uint8_t *p,
       size_t n, size_t room, int count, struct nu_stats *st)
{
    uint8_t hdr[NU_VNET_LEN];
    struct iovec iov[2];
    ssize_t r;

    if (!has_vnet) {
        r = pkt_write(fd, p, n);
    } else if (room >= NU_VNET_LEN) {
        nu_vnet_encode(v, p - NU_VNET_LEN);
        r = pkt_write(fd, p - NU_VNET_LEN, n + NU_VNET_LEN);
    } else {
        nu_vnet_encode(v, hdr);
        iov[0].iov_base = hdr;
        iov[0].iov_len = sizeof hdr;
        iov[1].iov_base = p;
        iov[1].iov_len = n;
        r = syscall(SYS_writev, fd, iov, 2);
    }
    if (r < 0) {
        /* The kernel refused it (no route, queue full): count each
         * packet in it as the core would count an unsendable frame. */
        st->drops[NAT64_DROP_NO_ROOM] += (uint64_t) count;
    }
}

static void
send_one(int fd, int has_vnet, const struct nu_vnet *v, uint8_t *p,
         size_t n, size_t room, struct nu_stats *st)
{
    send_n(fd, has_vnet, v, p, n, room, 1, st);
}

/* Bytes of a worker's super-frame buffer, and of its packet arena when
 * it coalesces: NU_COAL_PKTS small packets, and always room for one
 * more of the largest size. */
#define SUPER_SIZE (NU_VNET_LEN + NU_COAL_HDR + 65535)
#define SLOT_ALIGN 64
#define ARENA_SLOT 2048         /* A datagram of up to an MTU, headroom. */
#define ARENA_SIZE (NU_COAL_PKTS * ARENA_SLOT + NU_HEADROOM + NU_PKT_MAX)

/* Writes what the coalescer holds (tun: one device, fd[0]). */
static void
coal_flush(struct worker *w, struct nu_coal *c, uint8_t *super)
{
    struct nu_vnet v;
    uint8_t *p;
    size_t n;
    int count;

    while ((n = nu_coal_next(c, super, SUPER_SIZE, &p, &v, &count,
                             &w->st)) > 0) {
        send_n(w->fd[0], 1, &v, p, n, NU_VNET_LEN, count, &w->st);
    }
}

/* Translates and sends the packet in 'buf' (or, with 'coal', keeps it
 * there for coalescing: then returns the end of its bytes in 'buf', else
 * NULL).  Anything sent directly first flushes what 'coal' holds, so
 * that no packet overtakes an earlier one of its flow. */
static uint8_t *
handle(struct worker *w, const struct live_cfg *l, int in, uint8_t *buf,
       uint8_t *aux, size_t n, const uint8_t *hdr, struct nu_coal *coal,
       uint8_t *super)
{
    static const struct nu_vnet zero_vnet;
    enum nu_action act;
    uint8_t in_flags = 0;
    struct nu_frame f;
    enum nat64_direction dir = in == 0 ? NAT64_4TO6 : NAT64_6TO4;
    int out = w->nfds == 2 ? 1 - in : in;
    struct nat64_frag_iter it;
    uint8_t *start;
    int len;

    memset(&f, 0, sizeof f);
    f.buf = buf;
    f.len = n;
    f.has_vnet = w->has_vnet;
    if (w->has_vnet) {
        nu_vnet_decode(hdr, &f.vnet);
        in_flags = f.vnet.flags;
    }
    act = nu_frame_translate(&l->nat64, w->link, dir, l->pass_native, &f,
                             l->icmp_errors ? aux : NULL, NAT64_REPLY_MAX,
                             &w->st);
    if (coal) {
        if (act == NU_SEND && !nu_coal_take(coal, &f, in_flags)) {
            return f.out + f.out_len;
        }
        if (act != NU_DROP) {
            coal_flush(w, coal, super);
        }
    }
    switch (act) {
    case NU_SEND:
    case NU_PASS:
        send_one(w->fd[out], w->has_vnet, &f.vnet, f.out, f.out_len,
                 (size_t) (f.out - buf), &w->st);
        break;
    case NU_REPLY:
        send_one(w->fd[in], w->has_vnet, &zero_vnet, f.reply_out,
                 f.reply_len, (size_t) (f.reply_out - aux), &w->st);
        break;
    case NU_FRAGMENT:
        nat64_fragment_start(&it);
        while ((len = nu_frame_fragment(&l->nat64, w->link, &f, &it, aux,
                                        NAT64_REPLY_MAX, &start,
                                        &w->st)) > 0) {
            send_one(w->fd[out], w->has_vnet, &zero_vnet, start,
                     (size_t) len, (size_t) (start - aux), &w->st);
        }
        break;
    case NU_DROP:
        break;
    }
    return NULL;
}

static void *
worker_main(void *w_)
{
    struct worker *w = w_;
    size_t size = w->coalesce ? ARENA_SIZE : NU_HEADROOM + NU_PKT_MAX;
    uint8_t *buf = malloc(size);
    uint8_t *aux = malloc(NAT64_REPLY_MAX);
    uint8_t *super = w->coalesce ? malloc(SUPER_SIZE) : NULL;
    struct nu_coal *coal = w->coalesce ? malloc(sizeof *coal) : NULL;
    int batch = w->coalesce ? NU_COAL_PKTS : BATCH;
    struct live_cfg l;
    unsigned int seen = ~0u;
    struct pollfd pfd[2];
    int i, b;

    if (!buf || !aux || (w->coalesce && (!super || !coal))) {
        msg("%s: out of memory", w->label);
        free(buf);
        free(aux);
        free(super);
        free(coal);
        return NULL;
    }
    if (coal) {
        nu_coal_init(coal);
    }
    for (i = 0; i < w->nfds; i++) {
        pfd[i].fd = w->fd[i];
        pfd[i].events = POLLIN;
    }
    while (!stop_flag) {
        /* After poll: the packet that woke us sees a reload that
         * happened while we slept. */
        if (poll(pfd, w->nfds, POLL_MS) <= 0) {
            refresh(&l, &seen);
            continue;
        }
        refresh(&l, &seen);
        for (i = 0; i < w->nfds; i++) {
            size_t off = 0;     /* Where the next packet goes in 'buf'. */

            if (!(pfd[i].revents & POLLIN)) {
                continue;
            }
            for (b = 0; b < batch; b++) {
                /* The virtio-net header lands just in front of the
                 * packet, so that one plain read() fills both. */
                uint8_t *pb = buf + off;
                uint8_t *hdr = pb + NU_HEADROOM - NU_VNET_LEN, *end;
                ssize_t n = w->has_vnet
                            ? pkt_read(w->fd[i], hdr,
                                       NU_VNET_LEN + NU_PKT_MAX)
                            : pkt_read(w->fd[i], pb + NU_HEADROOM,
                                       NU_PKT_MAX);
                if (n < 0) {
                    break;
                }
                if (w->has_vnet) {
                    if (n < NU_VNET_LEN) {
                        w->st.events[NU_EV_BAD_VNET]++;
                        continue;
                    }
                    n -= NU_VNET_LEN;
                }
                end = handle(w, &l, i, pb, aux, (size_t) n, hdr, coal,
                             super);
                if (end) {
                    /* Kept: the next packet goes after it, while the
                     * largest one still fits. */
                    off = ((size_t) (end - buf) + SLOT_ALIGN - 1)
                          & ~(size_t) (SLOT_ALIGN - 1);
                    if (off + NU_HEADROOM + NU_PKT_MAX > size) {
                        coal_flush(w, coal, super);
                        off = 0;
                    }
                } else if (coal && !coal->n_pkts) {
                    off = 0;
                }
            }
            if (coal) {
                coal_flush(w, coal, super);
            }
        }
    }
    free(buf);
    free(aux);
    free(super);
    free(coal);
    return NULL;
}

/* ---- counters and control ---- */

static uint64_t
ld(const uint64_t *p)
{
    return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Writes the counters: first exactly what 'ovs-appctl nat64/show' prints
 * (same names), then the daemon's own events and the per-thread split. */
static void
format_counters(FILE *out)
{
    struct nu_stats sum;
    int i, j;

    memset(&sum, 0, sizeof sum);
    for (i = 0; i < n_workers; i++) {
        const struct nu_stats *s = &workers[i].st;

        sum.translated += ld(&s->translated);
        sum.replies += ld(&s->replies);
        sum.fragments += ld(&s->fragments);
        for (j = 0; j < NAT64_N_DROP_REASONS; j++) {
            sum.drops[j] += ld(&s->drops[j]);
        }
        for (j = 0; j < NU_N_EVENTS; j++) {
            sum.events[j] += ld(&s->events[j]);
        }
    }
    fprintf(out, "translated: %llu\nreplies: %llu\nfragments: %llu\n"
            "drops:\n", (unsigned long long) sum.translated,
            (unsigned long long) sum.replies,
            (unsigned long long) sum.fragments);
    for (j = 0; j < NAT64_N_DROP_REASONS; j++) {
        if (j != NAT64_DROP_NONE && sum.drops[j]) {
            fprintf(out, "  %s: %llu\n", nat64_drop_reason_name(j),
                    (unsigned long long) sum.drops[j]);
        }
    }
    fputs("daemon:\n", out);
    for (j = 0; j < NU_N_EVENTS; j++) {
        fprintf(out, "  %s: %llu\n", nu_event_name(j),
                (unsigned long long) sum.events[j]);
    }
    fputs("threads:\n", out);
    for (i = 0; i < n_workers; i++) {
        fprintf(out, "  %s: translated %llu\n", workers[i].label,
                (unsigned long long) ld(&workers[i].st.translated));
    }
    fflush(out);
}

static int
control_listen(const char *path)
{
    struct sockaddr_un sun;
    int fd;

    if (!strcmp(path, "none")) {
        return -1;
    }
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0) {
        msg("control socket: %s", strerror(errno));
        return -2;
    }
    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    strcpy(sun.sun_path, path);
    unlink(path);
    if (bind(fd, (struct sockaddr *) &sun, sizeof sun) < 0
        || listen(fd, 8) < 0) {
        msg("cannot listen on control socket %s: %s", path,
            strerror(errno));
        close(fd);
        return -2;
    }
    chmod(path, 0660);
    return fd;
}

static void
control_serve(int lfd)
{
    char cmd[64];
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    struct pollfd p;
    ssize_t n = 0;
    FILE *out;

    if (fd < 0) {
        return;
    }
    p.fd = fd;
    p.events = POLLIN;
    if (poll(&p, 1, 1000) > 0) {
        n = read(fd, cmd, sizeof cmd - 1);
    }
    cmd[n > 0 ? n : 0] = '\0';
    out = fdopen(fd, "w");
    if (!out) {
        close(fd);
        return;
    }
    if (!strcmp(trim(cmd), "show")) {
        format_counters(out);
    } else {
        fprintf(out, "error: unknown command '%s' (valid: show)\n",
                trim(cmd));
    }
    fclose(out);
}

static int
control_show(const char *path)
{
    static char buf[4096];
    struct sockaddr_un sun;
    ssize_t n;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

    memset(&sun, 0, sizeof sun);
    sun.sun_family = AF_UNIX;
    strncpy(sun.sun_path, path, sizeof sun.sun_path - 1);
    if (fd < 0 || connect(fd, (struct sockaddr *) &sun, sizeof sun) < 0) {
        msg("cannot connect to %s: %s (is " PROGRAM " running?)", path,
            strerror(errno));
        return 1;
    }
    if (write(fd, "show\n", 5) != 5) {
        msg("%s: %s", path, strerror(errno));
        return 1;
    }
    shutdown(fd, SHUT_WR);
    while ((n = read(fd, buf, sizeof buf)) > 0) {
        fwrite(buf, 1, (size_t) n, stdout);
    }
    close(fd);
    return 0;
}

/* ---- privileges ---- */

static int
drop_privileges(const struct config *c, const char *sock)
{
    if (c->user[0]) {
        struct passwd *pw = getpwnam(c->user);
        gid_t gid;

        if (!pw) {
            msg("no such user '%s'", c->user);
            return -1;
        }
        gid = pw->pw_gid;
        if (c->group[0]) {
            struct group *gr = getgrnam(c->group);
            if (!gr) {
                msg("no such group '%s'", c->group);
                return -1;
            }
            gid = gr->gr_gid;
        }
        if (sock && chown(sock, pw->pw_uid, gid) < 0) {
            msg("cannot chown %s: %s", sock, strerror(errno));
        }
        capng_clear(CAPNG_SELECT_BOTH);
        if (capng_change_id(pw->pw_uid, gid,
                            CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING)) {
            msg("cannot switch to user %s: %s", c->user, strerror(errno));
            return -1;
        }
    } else {
        capng_clear(CAPNG_SELECT_BOTH);
        if (capng_apply(CAPNG_SELECT_BOTH)) {
            msg("cannot drop capabilities");
            return -1;
        }
    }
    return 0;
}

/* ---- main ---- */

static int
open_workers(const struct config *c)
{
    int q, t;

    n_workers = c->mode == MODE_TUN ? c->queues : c->queues * c->n_tenants;
    workers = calloc((size_t) n_workers, sizeof *workers);
    if (!workers) {
        msg("out of memory");
        return -1;
    }
    for (q = 0; q < c->queues; q++) {
        if (c->mode == MODE_TUN) {
            struct worker *w = &workers[q];

            snprintf(w->label, sizeof w->label, "%s queue %d",
                     c->tun_device, q);
            w->link = NU_LINK_L3;
            w->nfds = 1;
            w->fd[0] = open_queue(c->tun_device, 0, c, 0, 0);
            if (w->fd[0] < 0) {
                return -1;
            }
            w->has_vnet = c->offload;
            w->coalesce = c->offload;
            continue;
        }
        for (t = 0; t < c->n_tenants; t++) {
            struct worker *w = &workers[t * c->queues + q];
            const struct tenant *tn = &c->tenants[t];

            snprintf(w->label, sizeof w->label, "%s queue %d", tn->name, q);
            w->link = NU_LINK_L2;
            w->nfds = 2;
            w->fd[0] = open_queue(tn->lan, 1, c, 0, 0);
            w->fd[1] = w->fd[0] < 0 ? -1 : open_queue(tn->svc, 1, c, 0, 0);
            if (w->fd[0] < 0 || w->fd[1] < 0) {
                return -1;
            }
            w->has_vnet = c->offload;
        }
    }
    return 0;
}

static void
reload(const char *path, const struct config *running)
{
    static struct config c;

    if (read_config(path, &c)) {
        msg("reload failed: keeping the running configuration");
        return;
    }
    if (c.mode != running->mode || c.queues != running->queues
        || c.offload != running->offload
        || strcmp(c.tun_device, running->tun_device)
        || c.n_tenants != running->n_tenants
        || memcmp(c.tenants, running->tenants,
                  sizeof c.tenants[0] * (size_t) c.n_tenants)
        || strcmp(c.socket, running->socket)
        || strcmp(c.user, running->user)) {
        msg("reload: device, queue, offload, socket or user changes need "
            "a restart; applying only the translation keys");
    }
    publish(&c.live);
    msg("reloaded %s", path);
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "config", required_argument, NULL, 'c' },
        { "check", no_argument, NULL, 'C' },
        { "mktun", no_argument, NULL, 'M' },
        { "rmtun", no_argument, NULL, 'R' },
        { "show", no_argument, NULL, 'S' },
        { "socket", required_argument, NULL, 's' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *config_path = DEFAULT_CONFIG, *sock_path = NULL;
    int check = 0, mktun = 0, rmtun = 0, show = 0, opt, i, lfd, sfd;
    static struct config c;
    sigset_t sigs;

    while ((opt = getopt_long(argc, argv, "c:s:h", opts, NULL)) != -1) {
        switch (opt) {
        case 'c': config_path = optarg; break;
        case 'C': check = 1; break;
        case 'M': mktun = 1; break;
        case 'R': rmtun = 1; break;
        case 'S': show = 1; break;
        case 's': sock_path = optarg; break;
        case 'h': usage(); return 0;
        default:
            fprintf(stderr, "Try '" PROGRAM " --help'.\n");
            return 2;
        }
    }
    if (optind < argc) {
        msg("unexpected argument '%s' (try --help)", argv[optind]);
        return 2;
    }
    if (show && sock_path) {
        return control_show(sock_path);
    }
    if (read_config(config_path, &c)) {
        return 1;
    }
    if (show) {
        return control_show(c.socket);
    }
    if (check) {
        print_config(&c);
        return 0;
    }
    if (mktun || rmtun) {
        return persist_devices(&c, mktun ? 1 : -1);
    }

    sigemptyset(&sigs);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGHUP);
    sigaddset(&sigs, SIGUSR1);
    pthread_sigmask(SIG_BLOCK, &sigs, NULL);
    signal(SIGPIPE, SIG_IGN);
    sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
    if (sfd < 0) {
        msg("signalfd: %s", strerror(errno));
        return 1;
    }
    publish(&c.live);
    if (open_workers(&c)) {
        return 1;
    }
    lfd = control_listen(c.socket);
    if (lfd == -2) {
        return 1;
    }
    if (drop_privileges(&c, lfd >= 0 ? c.socket : NULL)) {
        return 1;
    }
    for (i = 0; i < n_workers; i++) {
        if (pthread_create(&workers[i].thread, NULL, worker_main,
                           &workers[i])) {
            msg("cannot start a worker thread");
            return 1;
        }
    }
    msg("running: mode %s, %d worker thread%s, offload %s",
        c.mode == MODE_TUN ? "tun" : "tap", n_workers,
        n_workers == 1 ? "" : "s", c.offload ? "on" : "off");

    while (!stop_flag) {
        struct pollfd p[2] = { { sfd, POLLIN, 0 }, { lfd, POLLIN, 0 } };
        struct signalfd_siginfo si;

        if (poll(p, lfd >= 0 ? 2 : 1, -1) < 0) {
            continue;
        }
        if (lfd >= 0 && p[1].revents & POLLIN) {
            control_serve(lfd);
        }
        if (!(p[0].revents & POLLIN)
            || read(sfd, &si, sizeof si) != sizeof si) {
            continue;
        }
        switch (si.ssi_signo) {
        case SIGTERM:
        case SIGINT:
            stop_flag = 1;
            break;
        case SIGHUP:
            reload(config_path, &c);
            break;
        case SIGUSR1:
            format_counters(stderr);
            break;
        default:
            break;
        }
    }
    for (i = 0; i < n_workers; i++) {
        pthread_join(workers[i].thread, NULL);
    }
    format_counters(stderr);
    if (lfd >= 0) {
        unlink(c.socket);
    }
    msg("stopped");
    return 0;
}
