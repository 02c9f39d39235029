/* SPDX-License-Identifier: Apache-2.0 */
/* ovs-anycast-report: the load reporter of active anycast.
 *
 * Runs on each server and sends the steering agent one report (the
 * HAProxy agent-check words of anycast-proto.h) every interval over UDP.
 * The report is either an operator's line read from a file each time (so
 * "echo drain > FILE" drains the server and "echo weight:30 > FILE"
 * changes its weight), a fixed weight, or the CPU idle percentage. */

#include "anycast-proto.h"

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netdb.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_INTERVAL_MS 100
#define LINE_LEN 256
#define PERCENT 100
#define CPU_MIN_PERCENT 1
#define NS_PER_MS 1000000L
#define MS_PER_S 1000

enum source {
    SRC_WEIGHT,     /* --weight N: "weight:N up". */
    SRC_FILE,       /* --file FILE: its first line, validated. */
    SRC_CPU,        /* --cpu: "N% up" with N the idle percentage. */
};

struct reporter {
    char agent[LINE_LEN];
    char bind_addr[LINE_LEN];
    char file[LINE_LEN];
    unsigned int interval_ms;
    unsigned int weight;
    enum source src;
    long count;                 /* Reports to send, -1 for ever. */
    unsigned long long prev_idle, prev_total;
    unsigned long sent, skipped;
};

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
    stop = sig;
}

static void
usage(void)
{
    printf("\
Usage: ovs-anycast-report [OPTION...] --agent ADDR[:PORT]\n\
\n\
Sends this server's load to the active anycast steering agent every\n\
interval, as one UDP datagram of HAProxy agent-check words (up, drain,\n\
down, N%%, weight:N; see the tutorial).\n\
\n\
  -a, --agent ADDR[:PORT]  agent address (IPv4, or [IPv6]:PORT); port %d\n\
  -b, --bind ADDR          source address (default: the kernel's choice;\n\
                           it must be the server's registered address)\n\
  -i, --interval MS        report interval (default %d ms)\n\
  -w, --weight N           report \"weight:N up\" (0..%d; the default, 100)\n\
  -f, --file FILE          report FILE's first line (re-read every time,\n\
                           validated; a bad line is not sent)\n\
      --cpu                report the CPU idle percentage (\"N%% up\", at\n\
                           least 1%%)\n\
  -n, --count N            stop after N reports\n\
  -c, --config FILE        read options from FILE, one \"option value\"\n\
                           per line (e.g. \"agent 10.0.0.1\")\n\
  -h, --help               this text\n\
SIGTERM stops it; the agent drains the server when reports stop.\n\
", ANYCAST_DEFAULT_PORT, DEFAULT_INTERVAL_MS, ANYCAST_WEIGHT_MAX);
}

static int
set_option(struct reporter *r, const char *name, const char *value)
{
    char *end;
    long v;

    if (!strcmp(name, "agent")) {
        snprintf(r->agent, sizeof r->agent, "%s", value);
    } else if (!strcmp(name, "bind")) {
        snprintf(r->bind_addr, sizeof r->bind_addr, "%s", value);
    } else if (!strcmp(name, "file")) {
        snprintf(r->file, sizeof r->file, "%s", value);
        r->src = SRC_FILE;
    } else if (!strcmp(name, "cpu")) {
        r->src = SRC_CPU;
    } else if (!strcmp(name, "interval") || !strcmp(name, "weight")
               || !strcmp(name, "count")) {
        errno = 0;
        v = strtol(value ? value : "", &end, 10);
        if (errno || !value || end == value || *end || v < 0) {
            fprintf(stderr, "ovs-anycast-report: %s: \"%s\" is not a "
                    "number\n", name, value ? value : "");
            return -1;
        }
        if (name[0] == 'i') {
            if (v < 1 || v > 3600 * MS_PER_S) {
                fprintf(stderr, "ovs-anycast-report: interval must be "
                        "1..3600000 ms\n");
                return -1;
            }
            r->interval_ms = (unsigned int) v;
        } else if (name[0] == 'w') {
            if (v > ANYCAST_WEIGHT_MAX) {
                fprintf(stderr, "ovs-anycast-report: weight must be "
                        "0..%d\n", ANYCAST_WEIGHT_MAX);
                return -1;
            }
            r->weight = (unsigned int) v;
            r->src = SRC_WEIGHT;
        } else {
            r->count = v;
        }
    } else {
        fprintf(stderr, "ovs-anycast-report: unknown option \"%s\" (valid: "
                "agent bind interval weight file cpu count)\n", name);
        return -1;
    }
    return 0;
}

static int
read_config(struct reporter *r, const char *file)
{
    char line[LINE_LEN];
    FILE *f = fopen(file, "r");
    int ln = 0;

    if (!f) {
        fprintf(stderr, "ovs-anycast-report: %s: %s\n", file,
                strerror(errno));
        return -1;
    }
    while (fgets(line, sizeof line, f)) {
        char *name, *value, *save;

        ln++;
        line[strcspn(line, "#\r\n")] = '\0';
        name = strtok_r(line, " \t", &save);
        if (!name) {
            continue;
        }
        value = strtok_r(NULL, " \t", &save);
        if (set_option(r, name, value)) {
            fprintf(stderr, "ovs-anycast-report: at %s:%d\n", file, ln);
            fclose(f);
            return -1;
        }
    }
    fclose(f);
    return 0;
}

/* Resolves "ADDR", "ADDR:PORT" or "[ADDR6]:PORT". */
static int
resolve(const char *spec, bool numeric_port_default,
        struct sockaddr_storage *ss, socklen_t *len)
{
    char host[LINE_LEN], port[16];
    const char *colon;
    struct addrinfo hints, *ai;
    int rc;

    snprintf(port, sizeof port, "%d",
             numeric_port_default ? ANYCAST_DEFAULT_PORT : 0);
    if (spec[0] == '[') {
        const char *close = strchr(spec, ']');
        if (!close) {
            return -1;
        }
        snprintf(host, sizeof host, "%.*s", (int) (close - spec - 1),
                 spec + 1);
        if (close[1] == ':') {
            snprintf(port, sizeof port, "%s", close + 2);
        }
    } else if ((colon = strchr(spec, ':')) && !strchr(colon + 1, ':')) {
        snprintf(host, sizeof host, "%.*s", (int) (colon - spec), spec);
        snprintf(port, sizeof port, "%s", colon + 1);
    } else {
        snprintf(host, sizeof host, "%s", spec);
    }
    memset(&hints, 0, sizeof hints);
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    rc = getaddrinfo(host, port, &hints, &ai);
    if (rc) {
        fprintf(stderr, "ovs-anycast-report: \"%s\": %s\n", spec,
                gai_strerror(rc));
        return -1;
    }
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

static int
cpu_idle_percent(struct reporter *r)
{
    unsigned long long v[8] = { 0 }, idle, total = 0, d_idle, d_total;
    FILE *f = fopen("/proc/stat", "r");
    int i, pct;

    if (!f) {
        return -1;
    }
    if (fscanf(f, "cpu %llu %llu %llu %llu %llu %llu %llu %llu", &v[0],
               &v[1], &v[2], &v[3], &v[4], &v[5], &v[6], &v[7]) != 8) {
        fclose(f);
        return -1;
    }
    fclose(f);
    for (i = 0; i < 8; i++) {
        total += v[i];
    }
    idle = v[3] + v[4];
    d_idle = idle - r->prev_idle;
    d_total = total - r->prev_total;
    r->prev_idle = idle;
    r->prev_total = total;
    if (!d_total) {
        return PERCENT;
    }
    pct = (int) (PERCENT * d_idle / d_total);
    return pct > PERCENT ? PERCENT : pct;
}

/* The report to send now into BUF; returns its length, or -1 to skip. */
static int
make_report(struct reporter *r, char *buf, size_t size)
{
    struct anycast_report rep;
    const char *error;
    FILE *f;
    int pct;

    switch (r->src) {
    case SRC_WEIGHT:
        return snprintf(buf, size, "weight:%u up\n", r->weight);
    case SRC_CPU:
        pct = cpu_idle_percent(r);
        if (pct < 0) {
            return -1;
        }
        /* A saturated server still takes the smallest share: taking it
         * out is "drain"'s job, and if every server is busy, 0% for all
         * would leave the anycast address with no server at all. */
        if (pct < CPU_MIN_PERCENT) {
            pct = CPU_MIN_PERCENT;
        }
        return snprintf(buf, size, "%d%% up\n", pct);
    case SRC_FILE:
        f = fopen(r->file, "r");
        if (!f) {
            return -1;
        }
        if (!fgets(buf, (int) size, f)) {
            fclose(f);
            return -1;
        }
        fclose(f);
        error = anycast_report_parse(buf, strlen(buf), &rep);
        if (error) {
            fprintf(stderr, "ovs-anycast-report: %s: %s; not sent\n",
                    r->file, error);
            return -1;
        }
        return (int) strlen(buf);
    }
    return -1;
}

int
main(int argc, char *argv[])
{
    static const struct option opts[] = {
        { "agent", required_argument, NULL, 'a' },
        { "bind", required_argument, NULL, 'b' },
        { "interval", required_argument, NULL, 'i' },
        { "weight", required_argument, NULL, 'w' },
        { "file", required_argument, NULL, 'f' },
        { "cpu", no_argument, NULL, 'U' },
        { "count", required_argument, NULL, 'n' },
        { "config", required_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    static struct reporter r;
    struct sockaddr_storage to, from;
    socklen_t to_len, from_len;
    struct sigaction sa;
    struct timespec next;
    int c, fd;

    r.interval_ms = DEFAULT_INTERVAL_MS;
    r.weight = 100;
    r.count = -1;
    while ((c = getopt_long(argc, argv, "a:b:i:w:f:n:c:h", opts, NULL))
           != -1) {
        int rc = 0;

        switch (c) {
        case 'a':
            rc = set_option(&r, "agent", optarg);
            break;
        case 'b':
            rc = set_option(&r, "bind", optarg);
            break;
        case 'i':
            rc = set_option(&r, "interval", optarg);
            break;
        case 'w':
            rc = set_option(&r, "weight", optarg);
            break;
        case 'f':
            rc = set_option(&r, "file", optarg);
            break;
        case 'U':
            rc = set_option(&r, "cpu", NULL);
            break;
        case 'n':
            rc = set_option(&r, "count", optarg);
            break;
        case 'c':
            rc = read_config(&r, optarg);
            break;
        case 'h':
            usage();
            return 0;
        default:
            usage();
            return 2;
        }
        if (rc) {
            return 2;
        }
    }
    if (!r.agent[0]) {
        fprintf(stderr, "ovs-anycast-report: --agent ADDR is required\n");
        return 2;
    }
    if (resolve(r.agent, true, &to, &to_len)) {
        return 2;
    }
    fd = socket(to.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        perror("ovs-anycast-report: socket");
        return 1;
    }
    if (r.bind_addr[0]) {
        if (resolve(r.bind_addr, false, &from, &from_len)
            || bind(fd, (struct sockaddr *) &from, from_len)) {
            fprintf(stderr, "ovs-anycast-report: cannot bind %s\n",
                    r.bind_addr);
            return 1;
        }
    }
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    if (r.src == SRC_CPU) {
        cpu_idle_percent(&r);
    }
    clock_gettime(CLOCK_MONOTONIC, &next);
    while (!stop && r.count != 0) {
        char buf[ANYCAST_REPORT_MAX + 1];
        int n = make_report(&r, buf, sizeof buf);

        if (n > 0 && sendto(fd, buf, (size_t) n, 0, (struct sockaddr *) &to,
                            to_len) == n) {
            r.sent++;
        } else {
            r.skipped++;
        }
        if (r.count > 0) {
            r.count--;
        }
        if (r.count == 0) {
            break;
        }
        next.tv_nsec += (long) (r.interval_ms % MS_PER_S) * NS_PER_MS;
        next.tv_sec += r.interval_ms / MS_PER_S + next.tv_nsec / 1000000000L;
        next.tv_nsec %= 1000000000L;
        while (!stop && clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME,
                                        &next, NULL) == EINTR) {
            continue;
        }
    }
    fprintf(stderr, "ovs-anycast-report: %lu sent, %lu not sent\n", r.sent,
            r.skipped);
    close(fd);
    return 0;
}
