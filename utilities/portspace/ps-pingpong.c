/* SPDX-License-Identifier: Apache-2.0
 *
 * ps-pingpong: TCP request/response latency, one byte each way on one
 * connection (netperf TCP_RR style), for bench-portspace.
 *
 *   ps-pingpong server PORT             answers every byte with a byte
 *   ps-pingpong sink PORT               reads, and answers every MiB
 *                                       with a byte (ps-interleave's
 *                                       stream mode)
 *   ps-pingpong client ADDR PORT COUNT  prints the median and mean
 *                                       round trip in microseconds
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PP_MAX_COUNT 1000000
#define PP_BACKLOG 16
#define NS_PER_US 1000.0
#define PP_SINK_CHUNK (1 << 20)
#define PP_SINK_BUF (128 * 1024)

static void __attribute__((noreturn))
fail(const char *what)
{
    fprintf(stderr, "ps-pingpong: %s: %s\n", what, strerror(errno));
    exit(EXIT_FAILURE);
}

static int
parse_port(const char *s)
{
    char *end;
    long n = strtol(s, &end, 10);

    if (*end || n < 1 || n > 65535) {
        fprintf(stderr, "ps-pingpong: invalid port '%s' (1..65535)\n", s);
        exit(EXIT_FAILURE);
    }
    return n;
}

static void
nodelay(int fd)
{
    int one = 1;

    if (setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one)) {
        fail("TCP_NODELAY");
    }
}

static void
serve(int fd)
{
    char c;

    nodelay(fd);
    while (read(fd, &c, 1) == 1) {
        if (write(fd, &c, 1) != 1) {
            break;
        }
    }
    close(fd);
}

/* Discards what arrives; one byte back per PP_SINK_CHUNK, so that the
 * sender knows when all it sent has arrived. */
static void
sink(int fd)
{
    static char buf[PP_SINK_BUF];
    long got = 0;
    ssize_t n;

    while ((n = read(fd, buf, sizeof buf)) > 0) {
        for (got += n; got >= PP_SINK_CHUNK; got -= PP_SINK_CHUNK) {
            if (write(fd, buf, 1) != 1) {
                break;
            }
        }
    }
    close(fd);
}

static int
server(int port, void (*handle)(int fd))
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(port) };
    int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);

    if (fd < 0) {
        fail("socket");
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, (struct sockaddr *) &sin, sizeof sin)
        || listen(fd, PP_BACKLOG)) {
        fail("bind/listen");
    }
    signal(SIGCHLD, SIG_IGN);
    for (;;) {
        int c = accept(fd, NULL, NULL);

        if (c < 0) {
            continue;
        }
        if (!fork()) {
            close(fd);
            handle(c);
            _exit(0);
        }
        close(c);
    }
}

static int
cmp_double(const void *a, const void *b)
{
    double x = *(const double *) a, y = *(const double *) b;

    return (x > y) - (x < y);
}

static int
client(const char *addr, int port, long count)
{
    struct sockaddr_in sin = { .sin_family = AF_INET,
                               .sin_port = htons(port) };
    double *rtt, sum = 0;
    int fd;

    if (inet_pton(AF_INET, addr, &sin.sin_addr) != 1) {
        fprintf(stderr, "ps-pingpong: invalid address '%s'\n", addr);
        return EXIT_FAILURE;
    }
    rtt = calloc(count, sizeof *rtt);
    fd = socket(AF_INET, SOCK_STREAM, 0);
    if (!rtt || fd < 0) {
        fail("socket");
    }
    if (connect(fd, (struct sockaddr *) &sin, sizeof sin)) {
        fail("connect");
    }
    nodelay(fd);
    for (long i = 0; i < count; i++) {
        struct timespec t0, t1;
        char c = 'x';

        clock_gettime(CLOCK_MONOTONIC, &t0);
        if (write(fd, &c, 1) != 1 || read(fd, &c, 1) != 1) {
            fail("ping-pong");
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        rtt[i] = ((t1.tv_sec - t0.tv_sec) * 1e9
                  + (t1.tv_nsec - t0.tv_nsec)) / NS_PER_US;
        sum += rtt[i];
    }
    qsort(rtt, count, sizeof *rtt, cmp_double);
    printf("median_us %.2f mean_us %.2f\n", rtt[count / 2], sum / count);
    free(rtt);
    close(fd);
    return 0;
}

int
main(int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "server")) {
        return server(parse_port(argv[2]), serve);
    }
    if (argc == 3 && !strcmp(argv[1], "sink")) {
        return server(parse_port(argv[2]), sink);
    }
    if (argc == 5 && !strcmp(argv[1], "client")) {
        long count = strtol(argv[4], NULL, 10);

        if (count < 1 || count > PP_MAX_COUNT) {
            fprintf(stderr, "ps-pingpong: COUNT must be 1..%d\n",
                    PP_MAX_COUNT);
            return EXIT_FAILURE;
        }
        return client(argv[2], parse_port(argv[3]), count);
    }
    fprintf(stderr, "usage: ps-pingpong server PORT\n"
            "       ps-pingpong sink PORT\n"
            "       ps-pingpong client ADDR PORT COUNT\n");
    return argc == 2 && !strcmp(argv[1], "--help") ? 0 : EXIT_FAILURE;
}
