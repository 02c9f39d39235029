/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Micro-benchmark of the translator core (not a test: it asserts
 * nothing).  For each case, one core, N iterations of
 *     memcpy(frame -> work buffer); nat64_translate()
 * against a baseline measured in the same run of the same loop without
 * the translation (the copy that restores the input every iteration).
 * Prints ns/packet, Mpps, ratio to and difference from the baseline, and
 * with --callgrind also instructions per packet from callgrind totals
 * (a run with translations minus a run copying only, divided by N).
 *
 * Usage: bench-core [--callgrind] [--count N CASE [--baseline]]
 */
#include "unit-lib.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct bcase {
    const char *name;
    enum nat64_direction dir;
    struct fb f;
    double target_ns;           /* 0: none. */
    double target_instr;
};

static struct bcase cases[16];
static int n_cases;
static struct nat64_config cfg;
static uint8_t work[NAT64_HEADROOM + FB_MAX];
static uint8_t reply[NAT64_REPLY_MAX];

static struct bcase *
add(const char *name, enum nat64_direction dir, double tns, double tin)
{
    struct bcase *b = &cases[n_cases++];

    b->name = name;
    b->dir = dir;
    b->target_ns = tns;
    b->target_instr = tin;
    fb_init(&b->f);
    return b;
}

static void
tcp4(struct fb *f, size_t frame_len)
{
    fb_eth(f, MAC_B, MAC_A, 0x0800);
    fb_ip4s(f, IP4_A, IP4_B, 0, 64, 1, IP4_DF);
    fb_tcp(f, 40000, 80, 1, 2, 0x10, 1000, NULL, 0);
    fb_fill(f, frame_len - 54, 1);
    fb_finish(f);
}

static void
tcp6(struct fb *f, size_t frame_len)
{
    fb_eth(f, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(f, IP6_B, IP6_A, 0, 64);
    fb_tcp(f, 80, 40000, 1, 2, 0x10, 1000, NULL, 0);
    fb_fill(f, frame_len - 74, 1);
    fb_finish(f);
}

static void
setup(void)
{
    static struct fb inner;
    uint8_t sn[16], snmac[6];
    struct bcase *b;

    nat64_config_init(&cfg);
    solicited_node(IP6_B, sn);
    mac_mcast6(sn, snmac);

    tcp4(&add("TCP 64 B", NAT64_4TO6, 25, 150)->f, 64);
    tcp6(&add("TCP 64 B", NAT64_6TO4, 25, 150)->f, 84);
    /* 1480-byte IPv4 packet: its IPv6 translation is exactly 1500. */
    tcp4(&add("TCP 1500 B", NAT64_4TO6, 25, 150)->f, 1494);
    tcp6(&add("TCP 1500 B", NAT64_6TO4, 25, 150)->f, 1514);

    b = add("UDP 64 B", NAT64_4TO6, 0, 0);
    fb_eth(&b->f, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&b->f, IP4_A, IP4_B, 0, 64, 1, 0);
    fb_udp(&b->f, 1, 2);
    fb_fill(&b->f, 64 - 42, 2);
    fb_finish(&b->f);
    b = add("UDP 84 B", NAT64_6TO4, 0, 0);
    fb_eth(&b->f, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&b->f, IP6_B, IP6_A, 0, 64);
    fb_udp(&b->f, 2, 1);
    fb_fill(&b->f, 84 - 62, 2);
    fb_finish(&b->f);

    b = add("ICMP echo", NAT64_4TO6, 0, 0);
    fb_eth(&b->f, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&b->f, IP4_A, IP4_B, 0, 64, 1, 0);
    fb_icmp(&b->f, 8, 0, 0x10001);
    fb_fill(&b->f, 56, 3);
    fb_finish(&b->f);
    b = add("ICMP echo", NAT64_6TO4, 0, 0);
    fb_eth(&b->f, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&b->f, IP6_B, IP6_A, 0, 64);
    fb_icmp(&b->f, 128, 0, 0x10001);
    fb_fill(&b->f, 56, 3);
    fb_finish(&b->f);

    b = add("ICMP error+inner", NAT64_4TO6, 0, 0);
    fb_init(&inner);
    fb_ip4s(&inner, IP4_B, IP4_A, 0, 63, 7, IP4_DF);
    fb_udp(&inner, 5000, 53);
    fb_fill(&inner, 40, 4);
    fb_finish(&inner);
    fb_eth(&b->f, MAC_B, MAC_A, 0x0800);
    fb_ip4s(&b->f, IP4_A, IP4_B, 0, 64, 1, 0);
    fb_icmp(&b->f, 3, 3, 0);
    fb_inner(&b->f, &inner, 9999);
    fb_finish(&b->f);
    b = add("ICMP error+inner", NAT64_6TO4, 0, 0);
    fb_init(&inner);
    fb_ip6s(&inner, IP6_A, IP6_B, 0, 63);
    fb_udp(&inner, 5000, 53);
    fb_fill(&inner, 40, 4);
    fb_finish(&inner);
    fb_eth(&b->f, MAC_A, MAC_B, 0x86dd);
    fb_ip6s(&b->f, IP6_B, IP6_A, 0, 64);
    fb_icmp(&b->f, 1, 4, 0);
    fb_inner(&b->f, &inner, 9999);
    fb_finish(&b->f);

    b = add("ARP req -> NS", NAT64_4TO6, 40, 0);
    fb_eth(&b->f, MAC_BCAST, MAC_A, 0x0806);
    fb_arp(&b->f, 1, MAC_A, IP4_A, MAC_ZERO, IP4_B);
    b = add("NS -> ARP req", NAT64_6TO4, 40, 0);
    fb_eth(&b->f, snmac, MAC_A, 0x86dd);
    fb_ip6s(&b->f, IP6_A, sn, 0, 255);
    fb_icmp(&b->f, 135, 0, 0);
    fb_data(&b->f, IP6_B, 16);
    fb_ndopt(&b->f, 1, MAC_A);
    fb_finish(&b->f);
}

/* One iteration: restore the input, translate (unless baseline). */
static inline int
iter(const struct bcase *b, int translate)
{
    struct nat64_pkt pkt;
    struct nat64_reply_buf rb = { reply, sizeof reply };
    struct nat64_result r;

    memcpy(work + NAT64_HEADROOM, b->f.b, b->f.len);
    pkt.data = work + NAT64_HEADROOM;
    pkt.len = b->f.len;
    pkt.headroom = NAT64_HEADROOM;
    pkt.tailroom = sizeof work - NAT64_HEADROOM - b->f.len;
    if (translate) {
        nat64_translate(&cfg, b->dir, &pkt, &rb, &r);
        __asm__ volatile("" : : "g"(&r), "g"(&pkt) : "memory");
        return r.verdict;
    }
    __asm__ volatile("" : : "g"(&pkt) : "memory");
    return 0;
}

static double
now_ns(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static double
measure(const struct bcase *b, int translate, long n)
{
    double best = 1e30;
    int rep;

    for (rep = 0; rep < 5; rep++) {
        double t0 = now_ns(), t;
        long i;

        for (i = 0; i < n; i++) {
            iter(b, translate);
        }
        t = (now_ns() - t0) / n;
        best = t < best ? t : best;
    }
    return best;
}

static long
callgrind_ir(const char *self, int ci, long n, int baseline)
{
    char cmd[1024], line[512];
    long ir = -1;
    FILE *p;

    snprintf(cmd, sizeof cmd, "valgrind --tool=callgrind "
             "--callgrind-out-file=/dev/null %s --count %ld %d%s 2>&1",
             self, n, ci, baseline ? " --baseline" : "");
    p = popen(cmd, "r");
    if (!p) {
        return -1;
    }
    while (fgets(line, sizeof line, p)) {
        char *c = strstr(line, "Collected :");

        if (c) {
            ir = atol(c + 11);
        }
    }
    pclose(p);
    return ir;
}

int
main(int argc, char *argv[])
{
    int do_cg = 0, i;
    double base_ns[16], ns[16], instr[16];

    setup();
    if (argc > 1 && !strcmp(argv[1], "--help")) {
        printf("usage: bench-core [--callgrind] "
               "[--count N CASE [--baseline]]\n");
        return 0;
    }
    if (argc >= 4 && !strcmp(argv[1], "--count")) {
        long n = atol(argv[2]), k;
        int c = atoi(argv[3]), tr = !(argc > 4 && !strcmp(argv[4],
                                                          "--baseline"));

        for (k = 0; k < n; k++) {
            iter(&cases[c], tr);
        }
        return 0;
    }
    do_cg = argc > 1 && !strcmp(argv[1], "--callgrind");

    for (i = 0; i < n_cases; i++) {
        int v = iter(&cases[i], 1);
        long n = 200000;

        if (v != NAT64_OK) {
            printf("# %s %s: verdict %d, not translated\n", cases[i].name,
                   cases[i].dir == NAT64_4TO6 ? "4to6" : "6to4", v);
        }
        if (cases[i].f.len > 1000) {
            n = 50000;
        }
        /* Interleave baseline and translation. */
        base_ns[i] = measure(&cases[i], 0, n);
        ns[i] = measure(&cases[i], 1, n);
        base_ns[i] = (base_ns[i] + measure(&cases[i], 0, n)) / 2;
        instr[i] = -1;
        if (do_cg) {
            long n_cg = 20000;
            long a = callgrind_ir(argv[0], i, n_cg, 0);
            long b = callgrind_ir(argv[0], i, n_cg, 1);

            if (a > 0 && b > 0) {
                instr[i] = (double) (a - b) / n_cg;
            }
        }
    }
    printf("%-18s %-5s %6s %8s %8s %7s %8s %8s %7s %8s\n", "case", "dir",
           "bytes", "base ns", "ns/pkt", "Mpps", "ratio", "-base",
           "target", "instr");
    for (i = 0; i < n_cases; i++) {
        char tgt[32] = "-", ins[48] = "n/a";

        if (cases[i].target_ns) {
            snprintf(tgt, sizeof tgt, "<=%.0f", cases[i].target_ns);
        }
        if (instr[i] >= 0) {
            snprintf(ins, sizeof ins, "%.0f%s", instr[i],
                     cases[i].target_instr ? " (<=150)" : "");
        }
        printf("%-18s %-5s %6zu %8.1f %8.1f %7.1f %8.2f %8.1f %7s %8s\n",
               cases[i].name,
               cases[i].dir == NAT64_4TO6 ? "4to6" : "6to4",
               cases[i].f.len, base_ns[i], ns[i], 1000.0 / ns[i],
               ns[i] / base_ns[i], ns[i] - base_ns[i], tgt, ins);
    }
    printf("# ns/pkt: memcpy + translate; base: memcpy only; -base: the "
           "translation's own cost.\n# Targets: <= 25 ns per TCP packet, "
           "<= 40 ns per ARP->NS, <= 150 instructions per TCP packet "
           "(informational, not asserted).\n");
    if (!do_cg) {
        printf("# Instructions: run with --callgrind (needs valgrind).\n");
    }
    return 0;
}
