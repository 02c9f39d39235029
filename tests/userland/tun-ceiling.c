/* SPDX-License-Identifier: Apache-2.0 */
/*
 * tun-ceiling: what one tun read and one tun write per packet cost the
 * kernel, with no translator at all (a null translator), and what
 * io_uring's batched submission saves of it.  Figures for issue 14: no
 * translator on tun can be faster per core than this loop.
 *
 * Two persistent tun devices (IFF_TUN, no packet information) set up by
 * tests/userland/bench-tun-ceiling: each round writes BATCH 66-byte
 * IPv6/UDP packets to the "in" device, which the kernel forwards (IPv6
 * forwarding, hop limit decremented) to the "out" device, then reads
 * them back from "out".  That is the per-packet kernel work of a
 * translator's loop: the tun write with the routing it triggers, and
 * the tun read.
 *
 * Modes:
 *   syscall  one write() and one read() system call per packet, as
 *            TAYGA and nat64d do; the thread's CPU time of the write
 *            loop and of the read loop are measured separately;
 *   uring    the BATCH writes and BATCH reads of a round as one
 *            io_uring_enter() (registered files, single issuer, task
 *            work deferred to the submitter): one system call per batch.
 * Without --in, the tool only reads what a generator sends to the out
 * device, as a translator's read side: the packets come from another
 * CPU, as they do to a translator.
 * --napi attaches the written queue with IFF_NAPI: its writes are queued
 * to the queue's NAPI context (GRO) instead of entering the stack
 * directly.
 *
 * io_uring is used through its raw system calls and <linux/io_uring.h>,
 * so the tool needs no library.  Every packet read is checked (length,
 * hop limit, sequence number) and a missing or wrong one is counted.
 * Prints one line of key=value figures.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/io_uring.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define PKT_LEN 66              /* IPv6 40 + UDP 8 + 18: a 64-byte
                                 * IPv4 frame's packet, translated. */
#define IP6_HLEN 40
#define UDP_HLEN 8
#define HOP_LIMIT 64
#define MAX_BATCH 256
#define BUF_LEN 2048
#define SEQ_OFF (IP6_HLEN + UDP_HLEN)
#define USER_DATA_READ (1ull << 32)
#define ATTACH_TRIES 500        /* of ATTACH_PAUSE_NS: 5 s */
#define ATTACH_PAUSE_NS 10000000
#define POLL_MS 200             /* read-only: how long poll() waits */
#define DRAIN_MS 200            /* loop: quiet time that ends the drain */

static void
die(const char *what)
{
    fprintf(stderr, "tun-ceiling: %s: %s\n", what, strerror(errno));
    exit(1);
}

static void
usage(void)
{
    printf("Usage: tun-ceiling [--in DEV] [--out DEV] "
           "[--mode syscall|uring]\n"
           "                   [--batch N] [--seconds S] [--napi] [--help]"
           "\n"
           "Writes batches of 66-byte IPv6/UDP packets to the tun DEV of\n"
           "--in, which the kernel forwards to the tun of --out, and reads\n"
           "them back: the kernel's cost per packet of a translator's tun\n"
           "loop with no translation.  Without --out only the writes are\n"
           "measured (route 2001:db8:f::/64 where the packets should go);\n"
           "without --in only the reads of what a generator sends to\n"
           "--out (in uring mode the flood must outlast the run).\n"
           "The devices must exist (persistent, 'ip tuntap add DEV mode\n"
           "tun') and be up, and IPv6 forwarding must route\n"
           "2001:db8:f::/64 to --out.  Defaults: syscall mode, batch 32\n"
           "(1-%d), 3 seconds.  Prints one line of key=value figures:\n"
           "packets (read back; written without --out), CPU microseconds\n"
           "per packet (user, system; in syscall mode also of the write\n"
           "and of the read loop alone).  --napi: the --in queue attached\n"
           "with IFF_NAPI (its writes go through NAPI and GRO).\n",
           MAX_BATCH);
}

static int
open_tun(const char *name, int napi)
{
    struct ifreq ifr;
    int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
    int tries;

    if (fd < 0) {
        die("cannot open /dev/net/tun");
    }
    memset(&ifr, 0, sizeof ifr);
    strncpy(ifr.ifr_name, name, IFNAMSIZ - 1);
    ifr.ifr_flags = IFF_TUN | IFF_NO_PI | (napi ? IFF_NAPI : 0);
    /* A previous run's io_uring releases its registered files after
     * that process exited: until then the device is busy. */
    for (tries = 0; ioctl(fd, TUNSETIFF, &ifr) < 0; tries++) {
        static const struct timespec pause = { 0, ATTACH_PAUSE_NS };

        if (errno == EBUSY && tries < ATTACH_TRIES) {
            nanosleep(&pause, NULL);
            continue;
        }
        fprintf(stderr, "tun-ceiling: cannot attach to tun '%s': %s\n",
                name, strerror(errno));
        exit(1);
    }
    return fd;
}

/* A 66-byte IPv6/UDP packet 2001:db8:e::1 -> 2001:db8:f::1, sequence
 * number SEQ in its payload. */
static void
build(uint8_t *p, uint32_t seq)
{
    static const uint8_t src[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0e,
                                     [15] = 1 };
    static const uint8_t dst[16] = { 0x20, 0x01, 0x0d, 0xb8, 0, 0x0f,
                                     [15] = 1 };
    uint16_t plen = PKT_LEN - IP6_HLEN;

    memset(p, 0, PKT_LEN);
    p[0] = 0x60;
    p[4] = plen >> 8;
    p[5] = plen & 0xff;
    p[6] = IPPROTO_UDP;
    p[7] = HOP_LIMIT;
    memcpy(p + 8, src, sizeof src);
    memcpy(p + 24, dst, sizeof dst);
    p[IP6_HLEN + 1] = 9;                /* source port 9 */
    p[IP6_HLEN + 3] = 9;                /* destination port 9 */
    p[IP6_HLEN + 4] = plen >> 8;
    p[IP6_HLEN + 5] = plen & 0xff;
    p[IP6_HLEN + 7] = 1;                /* any non-zero checksum: the
                                         * forwarding path does not
                                         * verify it. */
    memcpy(p + SEQ_OFF, &seq, sizeof seq);
}

/* Sorts a packet read from the out device: OTHER for what the kernel
 * sends on its own (MLD reports, router solicitations), BAD for one of
 * ours that was not forwarded (hop limit) or is out of order, else OURS;
 * *LAST is the highest sequence number seen. */
enum kind { OURS, OTHER, BAD };

static enum kind
classify(const uint8_t *p, ssize_t n, int64_t *last)
{
    static const uint8_t dst[4] = { 0, 0x0f, 0, 0 };
    uint32_t seq;

    if (n != PKT_LEN || p[6] != IPPROTO_UDP || memcmp(p + 28, dst, 4)) {
        return OTHER;
    }
    memcpy(&seq, p + SEQ_OFF, sizeof seq);
    if (p[7] != HOP_LIMIT - 1 || (int64_t) seq <= *last) {
        return BAD;
    }
    *last = seq;
    return OURS;
}

/* Counts one read's result. */
static void
count(const uint8_t *p, ssize_t n, int64_t *last, unsigned long long *got,
      unsigned long long *other, unsigned long long *bad)
{
    switch (classify(p, n, last)) {
    case OURS:
        (*got)++;
        break;
    case OTHER:
        (*other)++;
        break;
    case BAD:
        (*bad)++;
        break;
    }
}

static double
cpu_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static double
wall_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct ring {
    int fd;
    unsigned int *sq_tail, *sq_mask, *sq_array;
    unsigned int *cq_head, *cq_tail, *cq_mask;
    struct io_uring_sqe *sqes;
    struct io_uring_cqe *cqes;
};

/* The ring field OFF bytes into the mapping at BASE; the kernel aligns
 * them. */
static void *
at(uint8_t *base, uint32_t off)
{
    return base + off;
}

static void
ring_setup(struct ring *r, unsigned int entries, int in, int out)
{
    struct io_uring_params p;
    size_t sq_len, cq_len;
    uint8_t *sq, *cq;
    int fds[2] = { in, out };

    memset(&p, 0, sizeof p);
    /* Only this thread submits, and completions' task work runs when it
     * waits: no task-work interrupts between submissions. */
    p.flags = IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN;
    r->fd = syscall(__NR_io_uring_setup, entries, &p);
    if (r->fd < 0 && errno == EINVAL) {
        memset(&p, 0, sizeof p);
        r->fd = syscall(__NR_io_uring_setup, entries, &p);
    }
    if (r->fd < 0) {
        die("io_uring_setup (io_uring disabled? see "
            "/proc/sys/kernel/io_uring_disabled)");
    }
    sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned int);
    cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
    if (p.features & IORING_FEAT_SINGLE_MMAP) {
        sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
    }
    sq = mmap(NULL, sq_len, PROT_READ | PROT_WRITE,
              MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
    if (sq == MAP_FAILED) {
        die("mmap of the submission ring");
    }
    cq = sq;
    if (!(p.features & IORING_FEAT_SINGLE_MMAP)) {
        cq = mmap(NULL, cq_len, PROT_READ | PROT_WRITE,
                  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
        if (cq == MAP_FAILED) {
            die("mmap of the completion ring");
        }
    }
    r->sqes = mmap(NULL, p.sq_entries * sizeof(struct io_uring_sqe),
                   PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE,
                   r->fd, IORING_OFF_SQES);
    if (r->sqes == MAP_FAILED) {
        die("mmap of the submission entries");
    }
    r->sq_tail = at(sq, p.sq_off.tail);
    r->sq_mask = at(sq, p.sq_off.ring_mask);
    r->sq_array = at(sq, p.sq_off.array);
    r->cq_head = at(cq, p.cq_off.head);
    r->cq_tail = at(cq, p.cq_off.tail);
    r->cq_mask = at(cq, p.cq_off.ring_mask);
    r->cqes = at(cq, p.cq_off.cqes);
    if (syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_FILES,
                fds, 2) < 0) {
        die("io_uring_register of the tun files");
    }
}

/* Queues one read or write of BUF on registered file FILE. */
static void
ring_queue(struct ring *r, unsigned int *tail, int op, int file,
           uint8_t *buf, unsigned int len, uint64_t data)
{
    unsigned int idx = *tail & *r->sq_mask;
    struct io_uring_sqe *sqe = &r->sqes[idx];

    memset(sqe, 0, sizeof *sqe);
    sqe->opcode = op;
    sqe->flags = IOSQE_FIXED_FILE;
    sqe->fd = file;
    sqe->addr = (uintptr_t) buf;
    sqe->len = len;
    sqe->off = (uint64_t) -1;       /* the file position: none for tun */
    sqe->user_data = data;
    r->sq_array[idx] = idx;
    (*tail)++;
}

/* Publishes the entries queued up to TAIL and waits in one
 * io_uring_enter() until WANT of them have completed. */
static void
ring_enter(struct ring *r, unsigned int tail, int want)
{
    __atomic_store_n(r->sq_tail, tail, __ATOMIC_RELEASE);
    if (syscall(__NR_io_uring_enter, r->fd, want, want,
                IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
        die("io_uring_enter");
    }
}

static uint8_t out_bufs[MAX_BATCH][BUF_LEN];
static uint8_t in_bufs[MAX_BATCH][BUF_LEN];

/* Reads what is still queued on OUT after the timed loop (packets whose
 * forwarding the kernel deferred to ksoftirqd arrive late), until the
 * device has been quiet for DRAIN_MS, so that every packet written is
 * accounted for; returns how many of ours it read. */
static unsigned long long
drain(int out, int64_t *last, unsigned long long *other,
      unsigned long long *bad)
{
    struct pollfd pfd = { out, POLLIN, 0 };
    unsigned long long ours = 0;

    while (poll(&pfd, 1, DRAIN_MS) > 0) {
        ssize_t n;

        while ((n = syscall(SYS_read, out, in_bufs[0], BUF_LEN)) > 0) {
            count(in_bufs[0], n, last, &ours, other, bad);
        }
    }
    return ours;
}

/* Prints the figures of a run that handled DONE packets in WALL seconds
 * (CPU time from RU0 to RU1); WR and RD: the write and read loops' CPU
 * seconds, or 0. */
static void
report(const char *mode, int napi, int batch, unsigned long long done,
       unsigned long long sent, unsigned long long bad,
       unsigned long long other, unsigned long long drained,
       unsigned long long calls, double wall,
       const struct rusage *ru0, const struct rusage *ru1, double wr,
       double rd)
{
    double user = (ru1->ru_utime.tv_sec - ru0->ru_utime.tv_sec)
                  + (ru1->ru_utime.tv_usec - ru0->ru_utime.tv_usec) / 1e6;
    double sys = (ru1->ru_stime.tv_sec - ru0->ru_stime.tv_sec)
                 + (ru1->ru_stime.tv_usec - ru0->ru_stime.tv_usec) / 1e6;
    double per = done ? 1e6 / done : 0;

    printf("mode=%s napi=%d batch=%d packets=%llu sent=%llu bad=%llu "
           "other=%llu drained=%llu calls=%llu kpps=%.1f cpu_pct=%.0f "
           "us_user=%.3f us_sys=%.3f us_write=%.3f us_read=%.3f\n",
           mode, napi, batch, done, sent, bad, other, drained, calls,
           done / wall / 1e3, (user + sys) * 100 / wall, user * per,
           sys * per, wr * per, rd * per);
}

/* Without --in: reads what something else (a generator, routed to the
 * device) sends to OUT for SECONDS, as a translator's read side does:
 * until the queue is empty, then poll() (syscall mode); or BATCH reads
 * per io_uring_enter(), which waits for all of them (uring mode: the
 * flood must outlast the run). */
static int
read_only(int out, int uring, int batch, double seconds)
{
    unsigned long long got = 0, calls = 0;
    struct pollfd pfd = { out, POLLIN, 0 };
    struct rusage ru0, ru1;
    double t0, t_end;
    struct ring r;
    int i;

    if (uring) {
        ring_setup(&r, 2 * MAX_BATCH, out, out);
    }
    getrusage(RUSAGE_SELF, &ru0);
    t0 = wall_now();
    t_end = t0 + seconds;
    while (wall_now() < t_end) {
        if (!uring) {
            for (i = 0; ; i++) {
                ssize_t n = syscall(SYS_read, out, in_bufs[i % MAX_BATCH],
                                    BUF_LEN);
                calls++;
                if (n < 0) {
                    break;
                }
                got++;
            }
            calls++;
            poll(&pfd, 1, POLL_MS);
        } else {
            unsigned int tail = *r.sq_tail, head, ctail;

            for (i = 0; i < batch; i++) {
                ring_queue(&r, &tail, IORING_OP_READ, 0, in_bufs[i],
                           BUF_LEN, i);
            }
            ring_enter(&r, tail, batch);
            calls++;
            head = *r.cq_head;
            ctail = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
            for (; head != ctail; head++) {
                got += r.cqes[head & *r.cq_mask].res > 0;
            }
            __atomic_store_n(r.cq_head, head, __ATOMIC_RELEASE);
        }
    }
    getrusage(RUSAGE_SELF, &ru1);
    report(uring ? "uring" : "syscall", 0, batch, got, 0, 0, 0, 0, calls,
           wall_now() - t0, &ru0, &ru1, 0, 0);
    return !got;
}

int
main(int argc, char **argv)
{
    const char *in_dev = NULL, *out_dev = NULL, *mode = "syscall";
    double seconds = 3, t0, t_end, c0, c_wr = 0, c_rd = 0, wall;
    unsigned long long sent = 0, got = 0, bad = 0, other = 0, calls = 0;
    unsigned long long done, drained;
    uint32_t seq_tx = 0;
    int64_t last = -1;
    struct rusage ru0, ru1;
    int batch = 32, uring, napi = 0, in, out = -1, i;
    int res[MAX_BATCH];
    struct ring r;

    for (i = 1; i < argc; i++) {
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--napi")) {
            napi = 1;
            continue;
        } else if (v && !strcmp(argv[i], "--in")) {
            in_dev = v;
        } else if (v && !strcmp(argv[i], "--out")) {
            out_dev = v;
        } else if (v && !strcmp(argv[i], "--mode")) {
            mode = v;
        } else if (v && !strcmp(argv[i], "--batch")) {
            batch = atoi(v);
        } else if (v && !strcmp(argv[i], "--seconds")) {
            seconds = atof(v);
        } else {
            fprintf(stderr, "tun-ceiling: unknown or incomplete argument "
                    "'%s' (try --help)\n", argv[i]);
            return 2;
        }
        i++;
    }
    if (!in_dev && !out_dev) {
        fprintf(stderr, "tun-ceiling: --in or --out is required (try "
                "--help)\n");
        return 2;
    }
    if (batch < 1 || batch > MAX_BATCH) {
        fprintf(stderr, "tun-ceiling: --batch: expected 1 to %d\n",
                MAX_BATCH);
        return 2;
    }
    if (!(seconds > 0 && seconds <= 600)) {
        fprintf(stderr, "tun-ceiling: --seconds: expected more than 0, "
                "at most 600\n");
        return 2;
    }
    if (strcmp(mode, "syscall") && strcmp(mode, "uring")) {
        fprintf(stderr, "tun-ceiling: --mode: expected syscall or uring, "
                "got '%s'\n", mode);
        return 2;
    }
    uring = !strcmp(mode, "uring");
    if (!in_dev) {
        return read_only(open_tun(out_dev, 0), !strcmp(mode, "uring"),
                         batch, seconds);
    }
    in = open_tun(in_dev, napi);
    if (out_dev) {
        out = open_tun(out_dev, 0);
    }
    if (uring) {
        ring_setup(&r, 2 * MAX_BATCH, in, out_dev ? out : in);
    }

    getrusage(RUSAGE_SELF, &ru0);
    t0 = wall_now();
    t_end = t0 + seconds;
    while (wall_now() < t_end) {
        for (i = 0; i < batch; i++) {
            build(out_bufs[i], seq_tx++);
        }
        if (!uring) {
            c0 = cpu_now();
            for (i = 0; i < batch; i++) {
                if (syscall(SYS_write, in, out_bufs[i], PKT_LEN)
                    == PKT_LEN) {
                    sent++;
                }
                calls++;
            }
            c_wr += cpu_now() - c0;
            c0 = cpu_now();
            for (i = 0; out_dev && i < batch; i++) {
                ssize_t n = syscall(SYS_read, out, in_bufs[i], BUF_LEN);

                calls++;
                if (n < 0) {
                    break;
                }
                count(in_bufs[i], n, &last, &got, &other, &bad);
            }
            c_rd += cpu_now() - c0;
        } else {
            unsigned int tail = *r.sq_tail, head, ctail;
            int want = out_dev ? 2 * batch : batch;

            /* Writes first: io_uring issues them in order, and each
             * write has queued its packet on the out device when it
             * completes, so the reads behind them find one each. */
            for (i = 0; i < batch; i++) {
                ring_queue(&r, &tail, IORING_OP_WRITE, 0, out_bufs[i],
                           PKT_LEN, i);
            }
            for (i = 0; out_dev && i < batch; i++) {
                ring_queue(&r, &tail, IORING_OP_READ, 1, in_bufs[i],
                           BUF_LEN, USER_DATA_READ | i);
            }
            ring_enter(&r, tail, want);
            calls++;
            head = *r.cq_head;
            ctail = __atomic_load_n(r.cq_tail, __ATOMIC_ACQUIRE);
            for (; head != ctail; head++) {
                const struct io_uring_cqe *cqe
                    = &r.cqes[head & *r.cq_mask];

                if (cqe->user_data & USER_DATA_READ) {
                    res[cqe->user_data & (USER_DATA_READ - 1)] = cqe->res;
                } else {
                    sent += cqe->res == PKT_LEN;
                }
            }
            __atomic_store_n(r.cq_head, head, __ATOMIC_RELEASE);
            /* In the order of the reads, which is the packets' order. */
            for (i = 0; out_dev && i < batch; i++) {
                if (res[i] > 0) {
                    count(in_bufs[i], res[i], &last, &got, &other, &bad);
                }
            }
        }
    }
    wall = wall_now() - t0;
    getrusage(RUSAGE_SELF, &ru1);
    done = out_dev ? got : sent;
    drained = out_dev ? drain(out, &last, &other, &bad) : 0;

    report(mode, napi, batch, done, sent, bad, other, drained, calls, wall,
           &ru0,
           &ru1, uring ? 0 : c_wr, uring ? 0 : c_rd);
    return bad || !done;
}
