/* SPDX-License-Identifier: Apache-2.0
 *
 * ps-interleave: paired measurements of several targets, interleaved in
 * blocks of a few milliseconds, for bench-portspace.
 *
 * One process holds a way to every target (a server reached in a given
 * network namespace) and measures them in turn: per cycle every target
 * once in a rotated order, then again in the reverse order (ABBA), one
 * block of work each.  Consecutive blocks are milliseconds apart, so
 * whatever else the machine does hits the blocks of one cycle alike, and
 * a ratio of two targets in the same cycle cancels it.  Per block it
 * prints the wall time and the CPU time that the given counter files
 * (cgroup cpuacct.usage in ns, or cgroup2 cpu.stat) gained: with the
 * client and the servers in those cgroups, the CPU cost of the block at
 * both ends.
 *
 *   ps-interleave MODE [OPTIONS] NAME=NETNS,ADDR,PORT...
 *
 * Modes (a block is BLOCK units):
 *   rr      round trips of one byte on one connection per target
 *           (ps-pingpong server), netperf TCP_RR style
 *   stream  BLOCK bytes on one connection per target to "ps-pingpong
 *           sink PORT", which acknowledges every MiB with a byte: a
 *           block ends when all its bytes have arrived
 *   http    HTTP/1.0 GETs of / on a new connection each, as ab makes
 *           them, CONC at a time (threads); the status must be 200 and
 *           the body as long as Content-Length says
 *
 * Output, one line per block: "CYCLE NAME UNITS WALL_NS CPU_NS".  The
 * CPU time is read SETTLE ms after the block's end (--settle-ms), so that
 * what the block left behind (closing connections, delayed ACKs, a
 * forwarder's queue) counts to it, not to the next target's block.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PI_MAX_TARGETS 16
#define PI_MAX_CPU_FILES 4
#define PI_MAX_CONC 64
#define PI_MAX_CYCLES 100000
#define PI_MAX_BLOCK 1000000000L
#define PI_STREAM_CHUNK (1 << 20)   /* ps-pingpong's PP_SINK_CHUNK. */
#define PI_STREAM_WRITE (128 * 1024)
#define PI_HTTP_BUF 65536
/* "HTTP/1.x 200 ": a version prefix, one digit, the status. */
#define PI_HTTP_VERSION "HTTP/1."
#define PI_HTTP_STATUS_OFS 8
#define PI_HTTP_OK " 200 "
#define NS_PER_S 1000000000LL
#define NS_PER_US 1000LL
#define NS_PER_MS 1000000L
#define PI_MAX_SETTLE_MS 1000

enum mode { MODE_RR, MODE_STREAM, MODE_HTTP };

struct target {
    char name[32];
    int netns;                  /* fd of the network namespace */
    struct sockaddr_in sin;
    int fd;                     /* rr, stream: the connection */
};

static struct target targets[PI_MAX_TARGETS];
static int n_targets;
static int cpu_files[PI_MAX_CPU_FILES];
static int n_cpu_files;
static enum mode mode;
static long block = 100;
static int conc = 1;
static long settle_ms = 5;

static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "ps-interleave: ");
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

static long long
now_ns(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec * NS_PER_S + t.tv_nsec;
}

/* The sum of the CPU counters, in ns: a number (cpuacct.usage), or
 * cgroup2's "usage_usec N" line of cpu.stat. */
static long long
cpu_ns(void)
{
    long long sum = 0;

    for (int i = 0; i < n_cpu_files; i++) {
        char buf[512], *p;
        ssize_t n = pread(cpu_files[i], buf, sizeof buf - 1, 0);

        if (n <= 0) {
            die("reading a CPU counter: %s", strerror(errno));
        }
        buf[n] = '\0';
        p = strstr(buf, "usage_usec ");
        sum += p ? strtoll(p + strlen("usage_usec "), NULL, 10) * NS_PER_US
                 : strtoll(buf, NULL, 10);
    }
    return sum;
}

static long
parse_long(const char *what, const char *s, long min, long max)
{
    char *end;
    long n = strtol(s, &end, 10);

    if (!*s || *end || n < min || n > max) {
        die("invalid %s '%s' (%ld..%ld)", what, s, min, max);
    }
    return n;
}

/* NAME=NETNS,ADDR,PORT */
static void
parse_target(const char *arg)
{
    struct target *t = &targets[n_targets];
    char buf[512], *eq, *c1, *c2;

    if (n_targets >= PI_MAX_TARGETS) {
        die("at most %d targets", PI_MAX_TARGETS);
    }
    snprintf(buf, sizeof buf, "%s", arg);
    eq = strchr(buf, '=');
    c1 = eq ? strchr(eq, ',') : NULL;
    c2 = c1 ? strchr(c1 + 1, ',') : NULL;
    if (!c2 || eq == buf || (size_t) (eq - buf) >= sizeof t->name) {
        die("bad target '%s' (NAME=NETNS,ADDR,PORT, NAME up to %zu "
            "characters)", arg, sizeof t->name - 1);
    }
    *eq = *c1 = *c2 = '\0';
    memcpy(t->name, buf, eq - buf + 1);     /* Length checked above. */
    t->netns = open(eq + 1, O_RDONLY | O_CLOEXEC);
    if (t->netns < 0) {
        die("target %s: %s: %s", t->name, eq + 1, strerror(errno));
    }
    t->sin.sin_family = AF_INET;
    t->sin.sin_port = htons(parse_long("port", c2 + 1, 1, 65535));
    if (inet_pton(AF_INET, c1 + 1, &t->sin.sin_addr) != 1) {
        die("target %s: invalid address '%s'", t->name, c1 + 1);
    }
    t->fd = -1;
    n_targets++;
}

/* A TCP connection to T, from T's network namespace (this thread enters
 * it; the socket keeps it). */
static int
connect_to(const struct target *t)
{
    int one = 1, fd;

    if (setns(t->netns, CLONE_NEWNET)) {
        die("target %s: setns: %s", t->name, strerror(errno));
    }
    fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (const struct sockaddr *) &t->sin,
                          sizeof t->sin)) {
        die("target %s: connect: %s", t->name, strerror(errno));
    }
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void
write_all(const struct target *t, int fd, const char *p, size_t len)
{
    while (len) {
        ssize_t n = write(fd, p, len);

        if (n <= 0) {
            die("target %s: write: %s", t->name,
                n ? strerror(errno) : "closed");
        }
        p += n;
        len -= n;
    }
}

static void
rr_block(const struct target *t)
{
    for (long i = 0; i < block; i++) {
        char c = 'x';

        if (write(t->fd, &c, 1) != 1 || read(t->fd, &c, 1) != 1) {
            die("target %s: ping-pong: %s", t->name, strerror(errno));
        }
    }
}

static void
stream_block(const struct target *t)
{
    static char buf[PI_STREAM_WRITE];
    long chunks = block / PI_STREAM_CHUNK;

    for (long i = 0; i < chunks; i++) {
        for (size_t done = 0; done < PI_STREAM_CHUNK; done += sizeof buf) {
            write_all(t, t->fd, buf, sizeof buf);
        }
    }
    /* One acknowledgement per chunk: all of the block has arrived. */
    for (long i = 0; i < chunks; i++) {
        char c;

        if (read(t->fd, &c, 1) != 1) {
            die("target %s: sink acknowledgement: %s", t->name,
                strerror(errno));
        }
    }
}

/* One GET of / on a new connection, as ab does it; checks the answer. */
static void
http_get(const struct target *t, char *buf)
{
    static const char req[] = "GET / HTTP/1.0\r\nHost: bench\r\n"
                              "User-Agent: ps-interleave\r\n\r\n";
    size_t len = 0;
    const char *body, *cl;
    ssize_t n;
    int fd = connect_to(t);

    write_all(t, fd, req, sizeof req - 1);
    while ((n = read(fd, buf + len, PI_HTTP_BUF - 1 - len)) > 0) {
        len += n;
    }
    close(fd);
    if (n < 0) {
        die("target %s: read: %s", t->name, strerror(errno));
    }
    buf[len] = '\0';
    body = strstr(buf, "\r\n\r\n");
    cl = strcasestr(buf, "\r\nContent-Length: ");
    if (len < PI_HTTP_STATUS_OFS + strlen(PI_HTTP_OK)
        || strncmp(buf, PI_HTTP_VERSION, strlen(PI_HTTP_VERSION))
        || strncmp(buf + PI_HTTP_STATUS_OFS, PI_HTTP_OK, strlen(PI_HTTP_OK))
        || !body || !cl
        || strtol(cl + strlen("\r\nContent-Length: "), NULL, 10)
           != (long) (buf + len - body - 4)) {
        die("target %s: bad answer (%zu bytes): %.40s", t->name, len, buf);
    }
}

/* HTTP: CONC threads, each doing its share of every block against that
 * block's target; the main thread times the block between two barriers. */
static pthread_barrier_t start_bar, end_bar;
static const struct target *volatile http_target;
static volatile bool http_done;

struct worker {
    int id;
    char buf[PI_HTTP_BUF];
};

static void *
http_worker(void *w_)
{
    struct worker *w = w_;

    for (;;) {
        const struct target *t;
        long share;

        pthread_barrier_wait(&start_bar);
        if (http_done) {
            return NULL;
        }
        t = http_target;
        share = block / conc + (w->id < block % conc);
        for (long i = 0; i < share; i++) {
            http_get(t, w->buf);
        }
        pthread_barrier_wait(&end_bar);
    }
}

static void
run_block(const struct target *t)
{
    switch (mode) {
    case MODE_RR:
        rr_block(t);
        break;
    case MODE_STREAM:
        stream_block(t);
        break;
    case MODE_HTTP:
        http_target = t;
        pthread_barrier_wait(&start_bar);
        pthread_barrier_wait(&end_bar);
        break;
    }
}

static void
setup(pthread_t *threads, struct worker *workers)
{
    switch (mode) {
    case MODE_RR:
    case MODE_STREAM:
        for (int i = 0; i < n_targets; i++) {
            targets[i].fd = connect_to(&targets[i]);
        }
        break;
    case MODE_HTTP:
        if (pthread_barrier_init(&start_bar, NULL, conc + 1)
            || pthread_barrier_init(&end_bar, NULL, conc + 1)) {
            die("pthread_barrier_init failed");
        }
        for (int i = 0; i < conc; i++) {
            workers[i].id = i;
            if (pthread_create(&threads[i], NULL, http_worker,
                               &workers[i])) {
                die("pthread_create failed");
            }
        }
        break;
    }
}

/* Waits --settle-ms, also before the next block starts. */
static void
settle(void)
{
    struct timespec t = { .tv_sec = settle_ms / 1000,
                          .tv_nsec = settle_ms % 1000 * NS_PER_MS };

    while (nanosleep(&t, &t) && errno == EINTR) {
        continue;
    }
}

static void
usage(void)
{
    printf("usage: ps-interleave rr|stream|http [--cycles N] [--warmup N]"
           " [--block K]\n"
           "                     [--conc C] [--settle-ms MS] [--cpu FILE]..."
           "\n                     NAME=NETNS,ADDR,PORT...\n"
           "Per cycle one block per target, rotated, then reversed (ABBA)."
           "\nA block: K round trips (rr), K bytes, a multiple of %d"
           " (stream),\nK requests, C at a time (http).  Prints per block:"
           " CYCLE NAME UNITS WALL_NS CPU_NS\n(CPU: what the --cpu files,"
           " cgroup cpuacct.usage or cpu.stat, gained\nfrom the block's start"
           " until MS ms after its end, default 5).\n",
           PI_STREAM_CHUNK);
}

int
main(int argc, char **argv)
{
    static struct worker workers[PI_MAX_CONC];
    pthread_t threads[PI_MAX_CONC];
    long cycles = 100, warmup = 2;
    int i = 2;

    if (argc == 2 && !strcmp(argv[1], "--help")) {
        usage();
        return 0;
    }
    if (argc < 2) {
        usage();
        return EXIT_FAILURE;
    }
    if (!strcmp(argv[1], "rr")) {
        mode = MODE_RR;
    } else if (!strcmp(argv[1], "stream")) {
        mode = MODE_STREAM;
    } else if (!strcmp(argv[1], "http")) {
        mode = MODE_HTTP;
    } else {
        die("unknown mode '%s' (rr, stream or http)", argv[1]);
    }
    for (; i < argc && !strncmp(argv[i], "--", 2); i += 2) {
        if (i + 1 >= argc) {
            die("%s needs a value", argv[i]);
        } else if (!strcmp(argv[i], "--cycles")) {
            cycles = parse_long("--cycles", argv[i + 1], 1, PI_MAX_CYCLES);
        } else if (!strcmp(argv[i], "--warmup")) {
            warmup = parse_long("--warmup", argv[i + 1], 0, PI_MAX_CYCLES);
        } else if (!strcmp(argv[i], "--block")) {
            block = parse_long("--block", argv[i + 1], 1, PI_MAX_BLOCK);
        } else if (!strcmp(argv[i], "--settle-ms")) {
            settle_ms = parse_long("--settle-ms", argv[i + 1], 0,
                                   PI_MAX_SETTLE_MS);
        } else if (!strcmp(argv[i], "--conc")) {
            conc = parse_long("--conc", argv[i + 1], 1, PI_MAX_CONC);
        } else if (!strcmp(argv[i], "--cpu")) {
            if (n_cpu_files >= PI_MAX_CPU_FILES) {
                die("at most %d --cpu files", PI_MAX_CPU_FILES);
            }
            cpu_files[n_cpu_files] = open(argv[i + 1], O_RDONLY | O_CLOEXEC);
            if (cpu_files[n_cpu_files] < 0) {
                die("%s: %s", argv[i + 1], strerror(errno));
            }
            n_cpu_files++;
        } else {
            die("unknown option '%s' (try --help)", argv[i]);
        }
    }
    for (; i < argc; i++) {
        parse_target(argv[i]);
    }
    if (n_targets < 2) {
        die("at least two targets (try --help)");
    }
    if (mode == MODE_STREAM && block % PI_STREAM_CHUNK) {
        die("--block of stream must be a multiple of %d", PI_STREAM_CHUNK);
    }
    setup(threads, workers);
    for (long c = 0; c < warmup + cycles; c++) {
        for (int k = 0; k < 2 * n_targets; k++) {
            /* Rotated by the cycle, then the same order reversed. */
            int pos = k < n_targets ? k : 2 * n_targets - 1 - k;
            const struct target *t = &targets[(c + pos) % n_targets];
            long long w0, w1, c0, c1;

            c0 = cpu_ns();
            w0 = now_ns();
            run_block(t);
            w1 = now_ns();
            settle();
            c1 = cpu_ns();
            if (c >= warmup) {
                printf("%ld %s %ld %lld %lld\n", c - warmup + 1, t->name,
                       block, w1 - w0, c1 - c0);
            }
        }
    }
    if (mode == MODE_HTTP) {
        http_done = true;
        pthread_barrier_wait(&start_bar);
        for (int k = 0; k < conc; k++) {
            pthread_join(threads[k], NULL);
        }
    }
    return fflush(stdout) ? EXIT_FAILURE : 0;
}
