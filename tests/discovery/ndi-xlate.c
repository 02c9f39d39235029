/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ndi-xlate: a minimal test host of the translator core for the
 * discovery stage, until the OVS nat64 action has an alg= option.  It
 * bridges an IPv4 interface and an IPv6 interface through
 * nat64_translate() over AF_PACKET sockets (fe80::/96, link-local
 * multicast table), with the ALGs chosen on the command line.
 *
 * Usage: ndi-xlate [--alg mdns,ssdp|none] [--counters FILE] IF4 IF6
 *
 * Runs until SIGTERM/SIGINT, then writes "reason count" lines of every
 * nonzero drop reason (and "translated N") to FILE (default stdout).
 * Not a product: no config file or unit, on purpose (tests only).
 */
#include "nat64.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define FRAME_MAX 2048

static volatile sig_atomic_t stop;
static unsigned long drops[NAT64_N_DROP_REASONS];
static unsigned long translated;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

static int
open_if(const char *name, int *ifindex)
{
    struct sockaddr_ll sll;
    struct packet_mreq mr;
    int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL));

    if (fd < 0) {
        perror("socket(AF_PACKET)");
        exit(1);
    }
    *ifindex = (int) if_nametoindex(name);
    if (!*ifindex) {
        fprintf(stderr, "ndi-xlate: no interface %s\n", name);
        exit(1);
    }
    memset(&sll, 0, sizeof sll);
    sll.sll_family = AF_PACKET;
    sll.sll_protocol = htons(ETH_P_ALL);
    sll.sll_ifindex = *ifindex;
    if (bind(fd, (struct sockaddr *) &sll, sizeof sll) < 0) {
        perror("bind");
        exit(1);
    }
    memset(&mr, 0, sizeof mr);
    mr.mr_ifindex = *ifindex;
    mr.mr_type = PACKET_MR_PROMISC;
    if (setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, &mr,
                   sizeof mr) < 0) {
        perror("PACKET_ADD_MEMBERSHIP");
        exit(1);
    }
    return fd;
}

static void
send_frame(int fd, const uint8_t *p, size_t n)
{
    if (send(fd, p, n, 0) < 0 && errno != ENOBUFS) {
        perror("send");
    }
}

/* One frame from 'in' translated in direction 'dir' and sent to 'out'
 * (ICMP errors back to 'in'). */
static void
handle(const struct nat64_config *cfg, enum nat64_direction dir, int in,
       int out)
{
    static uint8_t buf[NAT64_HEADROOM + FRAME_MAX + NAT64_ALG_TAILROOM];
    static uint8_t reply[NAT64_REPLY_MAX], frag[NAT64_REPLY_MAX];
    struct sockaddr_ll from;
    socklen_t fl = sizeof from;
    struct nat64_reply_buf rb = { reply, sizeof reply };
    struct nat64_result res;
    struct nat64_pkt pkt;
    ssize_t n;

    n = recvfrom(in, buf + NAT64_HEADROOM, FRAME_MAX, 0,
                 (struct sockaddr *) &from, &fl);
    if (n <= 0 || from.sll_pkttype == PACKET_OUTGOING) {
        return;
    }
    pkt.data = buf + NAT64_HEADROOM;
    pkt.len = (size_t) n;
    pkt.headroom = NAT64_HEADROOM;
    pkt.tailroom = sizeof buf - NAT64_HEADROOM - (size_t) n;
    switch (nat64_translate(cfg, dir, &pkt, &rb, &res)) {
    case NAT64_OK:
        translated++;
        send_frame(out, pkt.data, pkt.len);
        break;
    case NAT64_DROP:
        drops[res.reason]++;
        break;
    case NAT64_REPLY:
        drops[res.reason]++;
        send_frame(in, reply, res.reply_len);
        break;
    case NAT64_FRAGMENT: {
        struct nat64_frag_iter it;
        int k;

        nat64_fragment_start(&it);
        while ((k = nat64_fragment_next(cfg, pkt.data, pkt.len, &it, frag,
                                        sizeof frag)) > 0) {
            send_frame(out, frag, (size_t) k);
        }
        if (k < 0) {
            drops[it.reason]++;
        } else {
            translated++;
        }
        break;
    }
    }
}

static void
usage(void)
{
    printf("usage: ndi-xlate [--alg mdns,ssdp|mdns|ssdp|none] "
           "[--counters FILE] IF4 IF6\n"
           "Translates between IPv4 interface IF4 and IPv6 interface IF6 "
           "(fe80::/96)\nuntil SIGTERM, then writes its counters.\n");
}

int
main(int argc, char *argv[])
{
    const char *counters = NULL;
    struct nat64_config cfg;
    struct pollfd pfd[2];
    int i, if4, if6;
    FILE *f;

    nat64_config_init(&cfg);
    for (i = 1; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--alg") && i + 1 < argc) {
            const char *a = argv[++i];

            cfg.alg = (!strcmp(a, "mdns,ssdp") || !strcmp(a, "ssdp,mdns")
                       ? NAT64_ALG_MDNS | NAT64_ALG_SSDP
                       : !strcmp(a, "mdns") ? NAT64_ALG_MDNS
                       : !strcmp(a, "ssdp") ? NAT64_ALG_SSDP : 0);
            if (!cfg.alg && strcmp(a, "none")) {
                fprintf(stderr, "ndi-xlate: --alg %s: valid are mdns, "
                        "ssdp, mdns,ssdp, none\n", a);
                return 2;
            }
        } else if (!strcmp(argv[i], "--counters") && i + 1 < argc) {
            counters = argv[++i];
        } else if (!strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else {
            usage();
            return 2;
        }
    }
    if (argc - i != 2) {
        usage();
        return 2;
    }
    pfd[0].fd = open_if(argv[i], &if4);
    pfd[1].fd = open_if(argv[i + 1], &if6);
    pfd[0].events = pfd[1].events = POLLIN;
    signal(SIGTERM, on_signal);
    signal(SIGINT, on_signal);
    while (!stop) {
        if (poll(pfd, 2, 200) < 0) {
            if (errno == EINTR) {
                continue;
            }
            perror("poll");
            return 1;
        }
        if (pfd[0].revents & POLLIN) {
            handle(&cfg, NAT64_4TO6, pfd[0].fd, pfd[1].fd);
        }
        if (pfd[1].revents & POLLIN) {
            handle(&cfg, NAT64_6TO4, pfd[1].fd, pfd[0].fd);
        }
    }
    f = counters ? fopen(counters, "w") : stdout;
    if (!f) {
        perror(counters);
        return 1;
    }
    fprintf(f, "translated %lu\n", translated);
    for (i = 0; i < NAT64_N_DROP_REASONS; i++) {
        if (drops[i]) {
            fprintf(f, "%s %lu\n", nat64_drop_reason_name(i), drops[i]);
        }
    }
    if (f != stdout) {
        fclose(f);
    }
    return 0;
}
