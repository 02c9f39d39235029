/* SPDX-License-Identifier: Apache-2.0
 *
 * portspace: named, nested execution environments ("port spaces") built
 * from Linux network and mount namespaces, overlayfs, veth and nftables.
 *
 * A space has its own network namespace (interfaces, addresses, routes,
 * sockets), its own mount namespace whose file system is an overlay of its
 * parent's view (the parent's files are visible, the space's writes stay in
 * the space), its own /etc/hosts, /etc/resolv.conf and /etc/nsswitch.conf,
 * and a veth "uplink" to its parent over which it reaches the services it
 * inherits.  Everything lives under a state directory, so spaces outlive
 * this program: the namespaces are kept by bind mounts of their ns files.
 *
 * Design notes:
 *
 *   - File system.  Every space's mount namespace is unshared from the
 *     mount namespace this program runs in (the "root" view), and each
 *     overlaid directory D gets one overlay whose lower layers are the
 *     upper layers of all ancestors, nearest first, then D itself.  That is
 *     the parent's view, with a stacking depth of one whatever the nesting
 *     depth (overlayfs refuses more than two stacked overlays).
 *     'share' replaces the overlay at one path by a bind mount of the
 *     parent's view of it (a clone made in the parent's mount namespace,
 *     moved into the space's), for hot trees the space only reads: no
 *     overlayfs on their look-ups, no copy-on-write either.
 *
 *   - Services.  The space reaches its parent at the parent end of its
 *     uplink, named "parent" in its /etc/hosts.  The parent accepts on
 *     that link only the inherited ports (anything else is refused, as a
 *     closed port is); the space's uplink maps ports ("--as") statelessly
 *     in a netdev table of that device alone, so the space's other
 *     interfaces see no rule of ours (uplink_rules()).  A parent that is
 *     itself a space either
 *     answers with its own listener (found with nft's socket lookup in
 *     prerouting: a child's own listener overrides what it inherited for
 *     everything below it) or passes the request on to its own parent,
 *     without source NAT: every space has a unique link address, so the
 *     service sees which space the connection came from.
 *
 *   - Names.  Space names: [A-Za-z0-9_.-], at most PS_NAME_MAX characters.
 *     Link interfaces in the parent are PREFIX<index>.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <ifaddrs.h>
#include <limits.h>
#include <net/if.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pwd.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <dirent.h>
#include <time.h>
#include <unistd.h>

#define PS_DEFAULT_STATE "/var/lib/portspace"
#define PS_DEFAULT_PREFIX "ps"
#define PS_NAME_MAX 32
#define PS_MAX_SPACES 1024
#define PS_MAX_SVCS 64
#define PS_MAX_IFACES 16
#define PS_MAX_TUNNELS 8
#define PS_MAX_FS 16
#define PS_FS_LEN 64            /* Overlaid directories are top-level. */
#define PS_MAX_SHARES 16
#define PS_SHARE_LEN 256
/* Paths under the state directory; its own length is checked. */
#define PS_PATH 512
#define PS_STATE_MAX 256
#define PS_MAX_PIDS 4096
#define PS_MAX_ARGS 32
#define PS_UPLINK "uplink"
#define PS_NFT_TABLE "portspace"
/* Link addresses: one /30 per space out of 100.64.0.0/10 (shared address
 * space, RFC 6598, which tenant LANs do not use): parent end .1, space end
 * .2. */
#define PS_LINK_BASE 0x64400000u
#define PS_LINK_MAX_INDEX ((1u << 20) / 4 - 1)
#define PS_VXLAN_PORT 4789
#define PS_VNI_MAX 16777215
/* Flows of tunnels through OVS: this | index << 8 | tunnel number. */
#define PS_COOKIE_BASE 0x7073000000000000ULL
#define PS_KILL_WAIT_MS 2000
#define PS_POLL_MS 50
/* The steps of create, each with path buffers: kept as separate frames
 * (-Wframe-larger-than). */
#define PS_NOINLINE __attribute__((noinline))

/* Directories overlaid in every space (those that exist and do not hold
 * the state directory). */
static const char *const default_fs[] = {
    "/etc", "/home", "/opt", "/root", "/srv", "/tmp", "/usr", "/var",
};

/* Resolver sockets that would let name resolution leave the space
 * whatever its resolv.conf says: masked with an empty tmpfs. */
static const char *const resolver_sockets[] = {
    "/run/nscd", "/run/systemd/resolve",
};

enum proto { PROTO_TCP, PROTO_UDP };

struct svc {
    enum proto proto;
    int cport;                  /* Port as the space sees it. */
    int pport;                  /* Port at the parent. */
};

struct tunnel {
    char ifname[IFNAMSIZ];              /* In the space: pn<vni>. */
    unsigned int vni;                   /* VXLAN VNI or GRE key. */
    char remote[INET6_ADDRSTRLEN];
    char type[8];                       /* "vxlan" or "gre". */
    /* Through OVS only (bridge[0] != 0): */
    char bridge[IFNAMSIZ];
    char vport[IFNAMSIZ];               /* The veth end on the bridge. */
    char tport[IFNAMSIZ];               /* The tunnel port. */
    uint64_t cookie;                    /* Of its two flows. */
};

struct space {
    char name[PS_NAME_MAX + 1];
    char parent[PS_NAME_MAX + 1];       /* "" for the root. */
    unsigned int index;
    char link[IFNAMSIZ];                /* Link interface in the parent. */
    char resolver[INET6_ADDRSTRLEN];
    struct svc svcs[PS_MAX_SVCS];
    int n_svcs;
    char ifaces[PS_MAX_IFACES][IFNAMSIZ];
    int n_ifaces;
    struct tunnel tunnels[PS_MAX_TUNNELS];
    int n_tunnels;
    char fs[PS_MAX_FS][PS_FS_LEN];
    int n_fs;
    /* Paths bind-mounted from the parent's view instead of overlaid
     * ('share'). */
    char shares[PS_MAX_SHARES][PS_SHARE_LEN];
    bool share_ro[PS_MAX_SHARES];
    int n_shares;
};

static const char *prog = "portspace";
static char state_dir[PS_PATH];
static char if_prefix[IFNAMSIZ];
static struct space spaces[PS_MAX_SPACES];
/* 'cleanup' from outside the root's network namespace (e.g. that
 * namespace is gone): everything of the root is left alone. */
static bool foreign_root;
static int n_spaces;

static void __attribute__((format(printf, 1, 2), noreturn))
die(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: error: ", prog);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
    exit(EXIT_FAILURE);
}

static void __attribute__((format(printf, 1, 2)))
warn(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "%s: warning: ", prog);
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
}

static void __attribute__((format(printf, 3, 4)))
xsnprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list args;
    int n;

    va_start(args, fmt);
    n = vsnprintf(buf, size, fmt, args);
    va_end(args);
    if (n < 0 || (size_t) n >= size) {
        die("name or path too long: %.40s...", buf);
    }
}

static const char *
proto_name(enum proto p)
{
    switch (p) {
    case PROTO_TCP:
        return "tcp";
    case PROTO_UDP:
        return "udp";
    }
    return "?";
}

/* Parses "tcp/53" or "udp/5353". */
static bool
parse_service(const char *s, enum proto *proto, int *port)
{
    char *end;
    long n;

    if (!strncmp(s, "tcp/", 4)) {
        *proto = PROTO_TCP;
    } else if (!strncmp(s, "udp/", 4)) {
        *proto = PROTO_UDP;
    } else {
        return false;
    }
    errno = 0;
    n = strtol(s + 4, &end, 10);
    if (errno || *end || end == s + 4 || n < 1 || n > 65535) {
        return false;
    }
    *port = n;
    return true;
}

static bool
valid_name(const char *name)
{
    size_t len = strlen(name);

    if (len < 1 || len > PS_NAME_MAX || name[0] == '.' || name[0] == '-') {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        if (!isalnum((unsigned char) name[i]) && !strchr("_.-", name[i])) {
            return false;
        }
    }
    return true;
}

static void
check_name(const char *name)
{
    if (!valid_name(name)) {
        die("invalid space name '%s' (valid: 1 to %d characters of "
            "A-Z a-z 0-9 _ . -, not starting with '.' or '-')",
            name, PS_NAME_MAX);
    }
}

/* Paths in the state directory. */
static void
space_dir(const struct space *s, char *buf, size_t size)
{
    xsnprintf(buf, size, "%s/spaces/%s", state_dir, s->name);
}

static void
ns_file(const char *name, const char *kind, char *buf, size_t size)
{
    xsnprintf(buf, size, "%s/ns/%s.%s", state_dir, name, kind);
}

static void
upper_dir(const char *name, const char *fs, const char *kind,
          char *buf, size_t size)
{
    /* "/etc" -> "etc": only top-level directories are overlaid. */
    xsnprintf(buf, size, "%s/spaces/%s/%s%s", state_dir, name, kind, fs);
}

static void
link_addr(unsigned int index, bool parent_end, char *buf, size_t size)
{
    struct in_addr a;

    a.s_addr = htonl(PS_LINK_BASE + 4 * index + (parent_end ? 1 : 2));
    if (!inet_ntop(AF_INET, &a, buf, size)) {
        die("inet_ntop: %s", strerror(errno));
    }
}

static void
link_net(unsigned int index, char *buf, size_t size)
{
    struct in_addr a;
    char addr[INET_ADDRSTRLEN];

    a.s_addr = htonl(PS_LINK_BASE + 4 * index);
    inet_ntop(AF_INET, &a, addr, sizeof addr);
    xsnprintf(buf, size, "%s/30", addr);
}

/* ---- state ---- */

static struct space *
find_space(const char *name)
{
    for (int i = 0; i < n_spaces; i++) {
        if (!strcmp(spaces[i].name, name)) {
            return &spaces[i];
        }
    }
    return NULL;
}

static struct space *
need_space(const char *name)
{
    struct space *s;

    check_name(name);
    s = find_space(name);
    if (!s) {
        die("no space named '%s' (see '%s list')", name, prog);
    }
    return s;
}

static struct space *
parent_of(const struct space *s)
{
    return s->parent[0] ? find_space(s->parent) : NULL;
}

static int
n_children(const struct space *s)
{
    int n = 0;

    for (int i = 0; i < n_spaces; i++) {
        n += !strcmp(spaces[i].parent, s->name);
    }
    return n;
}

static void
load_space(const char *name)
{
    static char line[PS_PATH], a[PS_PATH];
    char path[PS_PATH], key[32], b[64], c[64];
    struct space *s;
    FILE *f;
    int lineno = 0;

    if (n_spaces >= PS_MAX_SPACES) {
        die("more than %d spaces in %s", PS_MAX_SPACES, state_dir);
    }
    xsnprintf(path, sizeof path, "%s/spaces/%s/meta", state_dir, name);
    f = fopen(path, "r");
    if (!f) {
        /* A space whose creation did not finish: only 'cleanup' sees it. */
        return;
    }
    s = &spaces[n_spaces];
    memset(s, 0, sizeof *s);
    xsnprintf(s->name, sizeof s->name, "%s", name);
    while (fgets(line, sizeof line, f)) {
        int n;

        lineno++;
        n = sscanf(line, "%31s %511s %63s %63s", key, a, b, c);
        if (n < 2) {
            die("%s:%d: malformed line", path, lineno);
        }
        if (!strcmp(key, "parent")) {
            xsnprintf(s->parent, sizeof s->parent, "%s",
                      strcmp(a, "-") ? a : "");
        } else if (!strcmp(key, "index")) {
            s->index = strtoul(a, NULL, 10);
        } else if (!strcmp(key, "link")) {
            xsnprintf(s->link, sizeof s->link, "%s", a);
        } else if (!strcmp(key, "resolver")) {
            xsnprintf(s->resolver, sizeof s->resolver, "%s", a);
        } else if (!strcmp(key, "fs") && s->n_fs < PS_MAX_FS) {
            xsnprintf(s->fs[s->n_fs++], PS_FS_LEN, "%s", a);
        } else if (!strcmp(key, "share") && n == 3
                   && s->n_shares < PS_MAX_SHARES
                   && (!strcmp(b, "ro") || !strcmp(b, "rw"))) {
            xsnprintf(s->shares[s->n_shares], PS_SHARE_LEN, "%s", a);
            s->share_ro[s->n_shares++] = !strcmp(b, "ro");
        } else if (!strcmp(key, "iface") && s->n_ifaces < PS_MAX_IFACES) {
            xsnprintf(s->ifaces[s->n_ifaces++], IFNAMSIZ, "%s", a);
        } else if (!strcmp(key, "svc") && n == 4
                   && s->n_svcs < PS_MAX_SVCS) {
            struct svc *v = &s->svcs[s->n_svcs++];

            v->proto = strcmp(a, "udp") ? PROTO_TCP : PROTO_UDP;
            v->cport = atoi(b);
            v->pport = atoi(c);
        } else if (!strcmp(key, "tunnel") && n == 4
                   && s->n_tunnels < PS_MAX_TUNNELS) {
            struct tunnel *t = &s->tunnels[s->n_tunnels++];

            memset(t, 0, sizeof *t);
            xsnprintf(t->ifname, sizeof t->ifname, "%s", a);
            t->vni = strtoul(b, NULL, 10);
            xsnprintf(t->remote, sizeof t->remote, "%s", c);
            xsnprintf(t->type, sizeof t->type, "vxlan");
        } else if (!strcmp(key, "ovstunnel")
                   && s->n_tunnels < PS_MAX_TUNNELS) {
            struct tunnel *t = &s->tunnels[s->n_tunnels++];
            unsigned long long cookie;

            memset(t, 0, sizeof *t);
            if (sscanf(line, "%*s %15s %u %45s %7s %15s %15s %15s %llx",
                       t->ifname, &t->vni, t->remote, t->type, t->bridge,
                       t->vport, t->tport, &cookie) != 8) {
                die("%s:%d: malformed ovstunnel entry", path, lineno);
            }
            t->cookie = cookie;
        } else {
            die("%s:%d: unknown or malformed entry '%s'", path, lineno, key);
        }
    }
    fclose(f);
    if (!s->index || !s->link[0]) {
        die("%s: incomplete state (no index or link)", path);
    }
    n_spaces++;
}

static void
load_spaces(void)
{
    char path[PS_PATH];
    struct dirent *de;
    DIR *d;

    n_spaces = 0;
    xsnprintf(path, sizeof path, "%s/spaces", state_dir);
    d = opendir(path);
    if (!d) {
        return;
    }
    while ((de = readdir(d))) {
        if (valid_name(de->d_name)) {
            load_space(de->d_name);
        }
    }
    closedir(d);
}

/* Writes the space's meta file atomically: its presence is what makes a
 * space exist. */
static void
save_space(const struct space *s)
{
    char path[PS_PATH], tmp[PS_PATH + 8];
    FILE *f;

    xsnprintf(path, sizeof path, "%s/spaces/%s/meta", state_dir, s->name);
    xsnprintf(tmp, sizeof tmp, "%s.new", path);
    f = fopen(tmp, "w");
    if (!f) {
        die("%s: %s", tmp, strerror(errno));
    }
    fprintf(f, "parent %s\nindex %u\nlink %s\nresolver %s\n",
            s->parent[0] ? s->parent : "-", s->index, s->link, s->resolver);
    for (int i = 0; i < s->n_fs; i++) {
        fprintf(f, "fs %s\n", s->fs[i]);
    }
    for (int i = 0; i < s->n_shares; i++) {
        fprintf(f, "share %s %s\n", s->shares[i],
                s->share_ro[i] ? "ro" : "rw");
    }
    for (int i = 0; i < s->n_svcs; i++) {
        fprintf(f, "svc %s %d %d\n", proto_name(s->svcs[i].proto),
                s->svcs[i].cport, s->svcs[i].pport);
    }
    for (int i = 0; i < s->n_ifaces; i++) {
        fprintf(f, "iface %s\n", s->ifaces[i]);
    }
    for (int i = 0; i < s->n_tunnels; i++) {
        const struct tunnel *t = &s->tunnels[i];

        if (t->bridge[0]) {
            fprintf(f, "ovstunnel %s %u %s %s %s %s %s %#llx\n", t->ifname,
                    t->vni, t->remote, t->type, t->bridge, t->vport,
                    t->tport, (unsigned long long) t->cookie);
        } else {
            fprintf(f, "tunnel %s %u %s\n", t->ifname, t->vni, t->remote);
        }
    }
    if (fclose(f) || rename(tmp, path)) {
        die("%s: %s", path, strerror(errno));
    }
}

static void
mkdir_p(const char *path, mode_t mode)
{
    char buf[PS_PATH];

    xsnprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p == '/') {
            *p = '\0';
            if (mkdir(buf, mode) && errno != EEXIST) {
                die("mkdir %s: %s", buf, strerror(errno));
            }
            *p = '/';
        }
    }
    if (mkdir(buf, mode) && errno != EEXIST) {
        die("mkdir %s: %s", buf, strerror(errno));
    }
}

static bool
is_mountpoint(const char *path)
{
    char line[PS_PATH * 2];
    bool found = false;
    FILE *f = fopen("/proc/self/mountinfo", "r");

    if (!f) {
        return false;
    }
    while (!found && fgets(line, sizeof line, f)) {
        char mnt[PS_PATH];

        if (sscanf(line, "%*s %*s %*s %*s %511s", mnt) == 1
            && !strcmp(mnt, path)) {
            found = true;
        }
    }
    fclose(f);
    return found;
}

/* The state directory, its lock, and its private ns directory: ns files
 * of mount namespaces may only be bind-mounted where mounts do not
 * propagate (or a namespace could end up holding itself). */
/* CHECK_NETNS: 0 any namespace will do, 1 must be the root's, 2 may
 * differ (cleanup: then nothing of the root is touched). */
static int
open_state(bool create, int check_netns)
{
    static char path[PS_PATH];
    char netns[64];
    struct stat st;
    int fd;

    if (create) {
        mkdir_p(state_dir, 0700);
    } else if (stat(state_dir, &st)) {
        return -1;
    }
    xsnprintf(path, sizeof path, "%s/lock", state_dir);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX)) {
        die("%s: %s", path, strerror(errno));
    }

    /* All link interfaces and rules of the root live in one network
     * namespace: the one the state was created in. */
    if (stat("/proc/self/ns/net", &st)) {
        die("/proc/self/ns/net: %s", strerror(errno));
    }
    xsnprintf(netns, sizeof netns, "%lu:%lu\n", (unsigned long) st.st_dev,
              (unsigned long) st.st_ino);
    xsnprintf(path, sizeof path, "%s/root-netns", state_dir);
    {
        char have[64] = "";
        FILE *f = fopen(path, "r");

        if (f && !check_netns) {
            fclose(f);
        } else if (f) {
            if (!fgets(have, sizeof have, f)) {
                have[0] = '\0';
            }
            fclose(f);
            if (strcmp(have, netns) && check_netns == 2) {
                warn("not in the network namespace %s was created in: "
                     "leaving the links and rules there alone", state_dir);
                foreign_root = true;
            } else if (strcmp(have, netns)) {
                die("state directory %s belongs to another network "
                    "namespace (created in %.*s, this is %.*s): run %s in "
                    "the namespace it was created in (nsenter --net=...)",
                    state_dir, (int) strcspn(have, "\n"), have,
                    (int) strcspn(netns, "\n"), netns, prog);
            }
        } else if (create) {
            f = fopen(path, "w");
            if (!f || fputs(netns, f) < 0 || fclose(f)) {
                die("%s: %s", path, strerror(errno));
            }
        }
    }

    if (create) {
        xsnprintf(path, sizeof path, "%s/ns", state_dir);
        mkdir_p(path, 0700);
        if (!is_mountpoint(path)) {
            if (mount(path, path, NULL, MS_BIND, NULL)) {
                die("bind mount %s: %s", path, strerror(errno));
            }
        }
        if (mount(NULL, path, NULL, MS_PRIVATE, NULL)) {
            die("make %s private: %s", path, strerror(errno));
        }
        xsnprintf(path, sizeof path, "%s/spaces", state_dir);
        mkdir_p(path, 0700);
    }
    return fd;
}

/* ---- running commands inside spaces ---- */

static int
open_ns(const struct space *s, const char *kind)
{
    char path[PS_PATH];
    int fd;

    ns_file(s->name, kind, path, sizeof path);
    fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        die("space '%s': %s: %s (run '%s cleanup' after a crash)",
            s->name, path, strerror(errno), prog);
    }
    return fd;
}

static void
enter_net(const struct space *s)
{
    if (s) {
        int fd = open_ns(s, "net");

        if (setns(fd, CLONE_NEWNET)) {
            fprintf(stderr, "%s: setns %s: %s\n", prog, s->name,
                    strerror(errno));
            _exit(127);
        }
        close(fd);
    }
}

/* Runs ARGV in space S's network namespace (NULL: the root), feeding it
 * INPUT on stdin if not NULL, with stdout/stderr silenced if QUIET.
 * Returns its exit status (127 if it could not run). */
static int
run_in(const struct space *s, const char *const argv[], const char *input,
       bool quiet)
{
    int pfd[2] = { -1, -1 };
    int status;
    pid_t pid;

    if (!s && foreign_root) {
        return 0;
    }
    if (input && pipe(pfd)) {
        die("pipe: %s", strerror(errno));
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        die("fork: %s", strerror(errno));
    }
    if (!pid) {
        enter_net(s);
        if (input) {
            dup2(pfd[0], STDIN_FILENO);
            close(pfd[0]);
            close(pfd[1]);
        }
        if (quiet) {
            int null = open("/dev/null", O_WRONLY);

            dup2(null, STDOUT_FILENO);
            dup2(null, STDERR_FILENO);
        }
        execvp(argv[0], (char *const *) argv);
        fprintf(stderr, "%s: %s: %s\n", prog, argv[0], strerror(errno));
        _exit(127);
    }
    if (input) {
        size_t len = strlen(input);
        ssize_t n = 0;

        close(pfd[0]);
        for (size_t done = 0; done < len; done += n) {
            n = write(pfd[1], input + done, len - done);
            if (n <= 0) {
                break;
            }
        }
        close(pfd[1]);
    }
    if (waitpid(pid, &status, 0) < 0) {
        die("waitpid: %s", strerror(errno));
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 127;
}

/* Runs 'first' (NULL: none) and the NULL-terminated words in 'args', up
 * to PS_MAX_ARGS in all, in space 's' (NULL: the root's namespaces). */
static int
run_words_in(const struct space *s, const char *first, bool quiet,
             va_list args)
{
    const char *argv[PS_MAX_ARGS + 1];
    const char *arg;
    int n = 0;

    if (first) {
        argv[n++] = first;
    }
    while ((arg = va_arg(args, const char *)) && n < PS_MAX_ARGS) {
        argv[n++] = arg;
    }
    argv[n] = NULL;
    return run_in(s, argv, NULL, quiet);
}

/* "ip" with up to PS_MAX_ARGS words, NULL-terminated. */
static int __attribute__((sentinel))
ip_in(const struct space *s, bool quiet, ...)
{
    va_list args;
    int rc;

    va_start(args, quiet);
    rc = run_words_in(s, "ip", quiet, args);
    va_end(args);
    return rc;
}

static void
write_sysctl(const struct space *s, const char *path, const char *value)
{
    int status;
    pid_t pid;

    if (!s && foreign_root) {
        return;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        die("fork: %s", strerror(errno));
    }
    if (!pid) {
        int fd;

        enter_net(s);
        /* /proc/sys/net shows the opener's network namespace. */
        fd = open(path, O_WRONLY);
        if (fd < 0 || write(fd, value, strlen(value)) < 0) {
            _exit(1);
        }
        _exit(0);
    }
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status)) {
        warn("could not set %s=%s in %s", path, value,
             s ? s->name : "the root");
    }
}

/* ---- nftables and routes ---- */

struct buf {
    char *data;
    size_t len, size;
};

static void __attribute__((format(printf, 2, 3)))
bprintf(struct buf *b, const char *fmt, ...)
{
    va_list args;
    int n;

    for (;;) {
        va_start(args, fmt);
        n = vsnprintf(b->data + b->len, b->size - b->len, fmt, args);
        va_end(args);
        if (n < 0) {
            die("vsnprintf failed");
        }
        if (b->len + n < b->size) {
            b->len += n;
            return;
        }
        b->size = 2 * (b->size + n);
        b->data = realloc(b->data, b->size);
        if (!b->data) {
            die("out of memory");
        }
    }
}

/* Ports of space C's services of protocol P at its parent, "{ 53, 80 }",
 * or "" when there are none. */
static void
port_set(const struct space *c, enum proto p, bool parent_side,
         char *out, size_t size)
{
    size_t len = 0;

    out[0] = '\0';
    for (int i = 0; i < c->n_svcs; i++) {
        const struct svc *v = &c->svcs[i];
        int n;

        if (v->proto != p) {
            continue;
        }
        n = snprintf(out + len, size - len, "%s%d", len ? ", " : "{ ",
                     parent_side ? v->pport : v->cport);
        if (n < 0 || (size_t) n >= size - len) {
            die("too many services in %s", c->name);
        }
        len += n;
    }
    if (len) {
        xsnprintf(out + len, size - len, " }");
    }
}

static const struct svc *
find_svc(const struct space *s, enum proto p, int cport)
{
    for (int i = 0; s && i < s->n_svcs; i++) {
        if (s->svcs[i].proto == p && s->svcs[i].cport == cport) {
            return &s->svcs[i];
        }
    }
    return NULL;
}

/* The rules of space S's own uplink (S is not the root), in a netdev
 * table whose chains hook only that device: a mapped service ("--as")
 * is a stateless port rewrite, dport CPORT -> PPORT toward the parent and
 * sport PPORT -> CPORT back; the parent's real number of a mapped port is
 * not open under its own number.  Nothing at all when S maps no port.
 * Filtering (only inherited ports reach the parent) is the parent's, on
 * its end of the link: so a space without children and mapped ports has
 * no rules, no connection tracking and no hook of ours in its network
 * namespace, and its other interfaces (a tenant's, a tunnel) cost what
 * they cost in a bare namespace. */
static void
uplink_rules(const struct space *s, struct buf *b)
{
    static const enum proto protos[] = { PROTO_TCP, PROTO_UDP };
    char par[INET_ADDRSTRLEN];
    bool mapped = false;

    for (int i = 0; i < s->n_svcs; i++) {
        mapped |= s->svcs[i].cport != s->svcs[i].pport;
    }
    if (!mapped) {
        return;
    }
    link_addr(s->index, true, par, sizeof par);
    bprintf(b, "table netdev %s {\n chain uplink_out {\n  type filter hook "
            "egress device \"%s\" priority 0; policy accept;\n",
            PS_NFT_TABLE, PS_UPLINK);
    for (int i = 0; i < s->n_svcs; i++) {
        const struct svc *v = &s->svcs[i];
        const char *pn = proto_name(v->proto);

        if (v->cport != v->pport) {
            bprintf(b, "  ip daddr %s %s dport %d %s dport set %d accept\n",
                    par, pn, v->cport, pn, v->pport);
        }
    }
    for (size_t k = 0; k < sizeof protos / sizeof *protos; k++) {
        for (int i = 0; i < s->n_svcs; i++) {
            const struct svc *v = &s->svcs[i];

            if (v->proto == protos[k] && v->cport != v->pport
                && !find_svc(s, v->proto, v->pport)) {
                bprintf(b, "  ip daddr %s %s dport %d drop\n", par,
                        proto_name(v->proto), v->pport);
            }
        }
    }
    bprintf(b, " }\n chain uplink_in {\n  type filter hook ingress device "
            "\"%s\" priority 0; policy accept;\n", PS_UPLINK);
    for (int i = 0; i < s->n_svcs; i++) {
        const struct svc *v = &s->svcs[i];
        const char *pn = proto_name(v->proto);

        if (v->cport != v->pport) {
            bprintf(b, "  ip saddr %s %s sport %d %s sport set %d\n",
                    par, pn, v->pport, pn, v->cport);
        }
    }
    bprintf(b, " }\n}\n");
}

/* Builds and loads the "portspace" tables of space S (NULL: the root),
 * replaced atomically in one nft transaction: the rules for the links of
 * its children (an ip table, only when it has children) and for its own
 * uplink (uplink_rules()). */
static void
sync_rules(const struct space *s)
{
    static const enum proto protos[] = { PROTO_TCP, PROTO_UDP };
    struct buf b = { NULL, 0, 0 };
    const char *argv[] = { "nft", "-f", "-", NULL };
    char par[INET_ADDRSTRLEN] = "", set[PS_MAX_SVCS * 8];
    const char *pname = s ? s->name : "";
    bool children = false;

    for (int i = 0; i < n_spaces; i++) {
        children |= !strcmp(spaces[i].parent, pname);
    }
    bprintf(&b, "table ip %s {}\ndelete table ip %s\n", PS_NFT_TABLE,
            PS_NFT_TABLE);
    if (s) {
        bprintf(&b, "table netdev %s {}\ndelete table netdev %s\n",
                PS_NFT_TABLE, PS_NFT_TABLE);
        uplink_rules(s, &b);
        link_addr(s->index, true, par, sizeof par);
    }
    if (!children) {
        goto load;
    }
    bprintf(&b, "table ip %s {\n", PS_NFT_TABLE);

    /* Only the links need connection tracking (the rules below): traffic
     * on a space's other interfaces (a tenant's, a tunnel) is left
     * untracked, so that it costs what it costs in a bare namespace.  Not
     * in the root: the host's own firewall may rely on conntrack. */
    if (s) {
        static char links[PS_MAX_SPACES * (IFNAMSIZ + 4)];
        size_t len = 0;

        len += snprintf(links + len, sizeof links - len, "\"%s\"",
                        PS_UPLINK);
        for (int i = 0; i < n_spaces; i++) {
            if (!strcmp(spaces[i].parent, pname)
                && len < sizeof links - IFNAMSIZ - 4) {
                len += snprintf(links + len, sizeof links - len,
                                ", \"%s\"", spaces[i].link);
            }
        }
        bprintf(&b, " chain raw_prerouting {\n  type filter hook prerouting "
                "priority -300; policy accept;\n  iifname != { %s } notrack"
                "\n }\n chain raw_output {\n  type filter hook output "
                "priority -300; policy accept;\n  oifname != { %s } notrack"
                "\n }\n", links, links);
    }

    /* Requests from children: answered here by a listener of our own
     * (override), else passed up when we inherit the port ourselves, to
     * the port as we see it (our uplink maps it, if we map it). */
    bprintf(&b, " chain nat_prerouting {\n  type nat hook prerouting "
            "priority -100; policy accept;\n");
    for (int i = 0; i < n_spaces; i++) {
        const struct space *c = &spaces[i];
        char cpar[INET_ADDRSTRLEN];

        if (strcmp(c->parent, pname)) {
            continue;
        }
        link_addr(c->index, true, cpar, sizeof cpar);
        for (int j = 0; j < c->n_svcs; j++) {
            const struct svc *v = &c->svcs[j];
            const struct svc *up = find_svc(s, v->proto, v->pport);
            const char *pn = proto_name(v->proto);

            if (!up) {
                continue;
            }
            bprintf(&b, "  iifname \"%s\" ip daddr %s %s dport %d socket "
                    "transparent 0 accept\n", c->link, cpar, pn, v->pport);
            bprintf(&b, "  iifname \"%s\" ip daddr %s %s dport %d socket "
                    "transparent 1 accept\n", c->link, cpar, pn, v->pport);
            bprintf(&b, "  iifname \"%s\" ip daddr %s %s dport %d dnat to "
                    "%s\n", c->link, cpar, pn, v->pport, par);
        }
    }
    /* Only the inherited ports: anything else from a child is refused
     * (a TCP reset, an ICMP port unreachable), as a closed port is. */
    bprintf(&b, " }\n chain input {\n  type filter hook input priority 0;"
            " policy accept;\n");
    for (int i = 0; i < n_spaces; i++) {
        const struct space *c = &spaces[i];
        char cpar[INET_ADDRSTRLEN];

        if (strcmp(c->parent, pname)) {
            continue;
        }
        link_addr(c->index, true, cpar, sizeof cpar);
        bprintf(&b, "  iifname \"%s\" ct state established,related "
                "accept\n", c->link);
        for (size_t k = 0; k < sizeof protos / sizeof *protos; k++) {
            port_set(c, protos[k], true, set, sizeof set);
            if (set[0]) {
                bprintf(&b, "  iifname \"%s\" ip daddr %s %s dport %s "
                        "accept\n", c->link, cpar, proto_name(protos[k]),
                        set);
            }
        }
        bprintf(&b, "  iifname \"%s\" ip daddr %s icmp type echo-request "
                "accept\n  iifname \"%s\" meta l4proto tcp reject with "
                "tcp reset\n  iifname \"%s\" reject\n", c->link, cpar,
                c->link, c->link);
    }
    bprintf(&b, " }\n chain forward {\n  type filter hook forward priority "
            "0; policy accept;\n");
    for (int i = 0; i < n_spaces; i++) {
        const struct space *c = &spaces[i];

        if (strcmp(c->parent, pname)) {
            continue;
        }
        bprintf(&b, "  iifname \"%s\" ct state established,related accept\n",
                c->link);
        if (s) {
            bprintf(&b, "  iifname \"%s\" oifname \"%s\" ct status dnat "
                    "accept\n", c->link, PS_UPLINK);
        }
        bprintf(&b, "  iifname \"%s\" drop\n  oifname \"%s\" ct state "
                "established,related accept\n  oifname \"%s\" drop\n",
                c->link, c->link, c->link);
    }
    if (s) {
        bprintf(&b, "  oifname \"%s\" drop\n", PS_UPLINK);
    }
    bprintf(&b, " }\n}\n");
load:
    if (run_in(s, argv, b.data, false)) {
        free(b.data);
        die("nft failed to load the rules of %s", s ? s->name : "the root");
    }
    free(b.data);
}

/* The child of A on the path down to D, or NULL if D is not below A. */
static const struct space *
child_toward(const struct space *a, const struct space *d)
{
    const char *aname = a ? a->name : "";

    while (d) {
        if (!strcmp(d->parent, aname)) {
            return d;
        }
        d = parent_of(d);
    }
    return NULL;
}

/* Routes in every ancestor above its parent to D's link, so that
 * services up the tree can answer D's own address. */
static void
route_descendant(const struct space *d, bool add)
{
    char net[32], via[INET_ADDRSTRLEN];
    const struct space *a = parent_of(d);

    link_net(d->index, net, sizeof net);
    if (!a) {
        return;
    }
    do {
        const struct space *c;

        a = parent_of(a);
        c = child_toward(a, d);
        link_addr(c->index, false, via, sizeof via);
        if (add) {
            ip_in(a, false, "route", "replace", net, "via", via, "dev",
                  c->link, NULL);
        } else {
            ip_in(a, true, "route", "del", net, NULL);
        }
    } while (a);
}

/* ---- file system ---- */

/* Is DIR the state directory or one of its ancestors? */
static bool
holds_state(const char *dir)
{
    size_t len = strlen(dir);

    return !strncmp(state_dir, dir, len)
           && (state_dir[len] == '/' || state_dir[len] == '\0');
}

static void
write_file(const char *path, const char *text)
{
    FILE *f;

    unlink(path);
    f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f)) {
        die("%s: %s", path, strerror(errno));
    }
}

/* The space's name resolution files, written into its /etc upper layer
 * before the overlay is mounted. */
static void PS_NOINLINE
write_etc(const struct space *s)
{
    static char text[1024];
    char dir[PS_PATH], path[PS_PATH + 32];
    char par[INET_ADDRSTRLEN], own[INET_ADDRSTRLEN];

    upper_dir(s->name, "/etc", "upper", dir, sizeof dir);
    mkdir_p(dir, 0755);
    link_addr(s->index, true, par, sizeof par);
    link_addr(s->index, false, own, sizeof own);
    xsnprintf(text, sizeof text,
              "# port space %s (written by %s)\n"
              "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost\n"
              "%s\tparent\n%s\t%s\n", s->name, prog, par, own, s->name);
    xsnprintf(path, sizeof path, "%s/hosts", dir);
    write_file(path, text);
    xsnprintf(text, sizeof text,
              "# port space %s: its own resolver only\nnameserver %s\n",
              s->name, s->resolver);
    xsnprintf(path, sizeof path, "%s/resolv.conf", dir);
    write_file(path, text);
    /* Files and DNS only: no nss-resolve, mdns or NIS, which would talk to
     * daemons outside the space. */
    xsnprintf(text, sizeof text,
              "# port space %s\npasswd: files\ngroup: files\n"
              "shadow: files\ngshadow: files\nhosts: files dns\n"
              "networks: files\nprotocols: files\nservices: files\n"
              "ethers: files\nrpc: files\nnetgroup: files\n", s->name);
    xsnprintf(path, sizeof path, "%s/nsswitch.conf", dir);
    write_file(path, text);
}

/* Mounts the space's overlays, sysfs and resolver masks in the current
 * (new) mount namespace.  Returns NULL on success or a message. */
static const char * PS_NOINLINE
mount_space(const struct space *s, char *err, size_t esize)
{
    static char opts[PS_PATH * 8];

    if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL)) {
        snprintf(err, esize, "make / a slave mount: %s", strerror(errno));
        return err;
    }
    for (int i = 0; i < s->n_fs; i++) {
        const char *fs = s->fs[i];
        char upper[PS_PATH], work[PS_PATH], layer[PS_PATH];
        size_t len;

        upper_dir(s->name, fs, "upper", upper, sizeof upper);
        upper_dir(s->name, fs, "work", work, sizeof work);
        mkdir_p(upper, 0755);
        mkdir_p(work, 0700);
        len = snprintf(opts, sizeof opts, "lowerdir=");
        for (const struct space *a = parent_of(s); a; a = parent_of(a)) {
            upper_dir(a->name, fs, "upper", layer, sizeof layer);
            len += snprintf(opts + len, sizeof opts - len, "%s:", layer);
        }
        len += snprintf(opts + len, sizeof opts - len,
                        "%s,upperdir=%s,workdir=%s", fs, upper, work);
        if (len >= sizeof opts) {
            snprintf(err, esize, "overlay options too long for %s", fs);
            return err;
        }
        if (mount("overlay", fs, "overlay", 0, opts)) {
            snprintf(err, esize, "overlayfs on %s: %s%s", fs,
                     strerror(errno), errno == ENODEV
                     ? " (overlayfs unavailable: modprobe overlay)" : "");
            return err;
        }
    }
    /* /sys of the space's network namespace (as 'ip netns exec' does). */
    umount2("/sys", MNT_DETACH);
    if (mount("sysfs", "/sys", "sysfs", 0, NULL)) {
        snprintf(err, esize, "sysfs: %s", strerror(errno));
        return err;
    }
    for (size_t i = 0; i < sizeof resolver_sockets / sizeof *resolver_sockets;
         i++) {
        struct stat st;

        if (!stat(resolver_sockets[i], &st) && S_ISDIR(st.st_mode)
            && mount("tmpfs", resolver_sockets[i], "tmpfs", 0, "size=4k")) {
            snprintf(err, esize, "mask %s: %s", resolver_sockets[i],
                     strerror(errno));
            return err;
        }
    }
    /* The state directory holds every space's files: not visible from
     * inside any space (the overlays keep their layers open). */
    if (mount("tmpfs", state_dir, "tmpfs", 0, "size=4k,mode=0700")) {
        snprintf(err, esize, "mask %s: %s", state_dir, strerror(errno));
        return err;
    }
    return NULL;
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
    (void) st;
    (void) ftw;
    if (type == FTW_DP) {
        return rmdir(path) && errno != ENOENT ? -1 : 0;
    }
    return unlink(path) && errno != ENOENT ? -1 : 0;
}

static void
rm_rf(const char *path)
{
    if (nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS) && errno != ENOENT) {
        warn("could not remove %s: %s", path, strerror(errno));
    }
}

static void
unbind_ns(const char *name)
{
    static const char *const kinds[] = { "net", "mnt" };

    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
        char path[PS_PATH];

        ns_file(name, kinds[i], path, sizeof path);
        umount2(path, MNT_DETACH);
        unlink(path);
    }
}

/* ---- commands ---- */

static unsigned int
free_index(void)
{
    for (unsigned int idx = 1; idx <= PS_LINK_MAX_INDEX; idx++) {
        bool used = false;

        for (int i = 0; i < n_spaces && !used; i++) {
            used = spaces[i].index == idx;
        }
        if (!used) {
            return idx;
        }
    }
    die("no free link address left");
}

/* Creates the namespaces of S in a child process and keeps them with bind
 * mounts.  Returns false (with a message printed) on failure. */
static bool PS_NOINLINE
make_namespaces(const struct space *s)
{
    static char err[PS_PATH * 2];
    int ready[2], go[2];
    char path[PS_PATH], src[64];
    bool ok = true;
    ssize_t n;
    pid_t pid;

    if (pipe2(ready, O_CLOEXEC) || pipe2(go, O_CLOEXEC)) {
        die("pipe: %s", strerror(errno));
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        die("fork: %s", strerror(errno));
    }
    if (!pid) {
        const char *e = NULL;
        char c;

        close(ready[0]);
        close(go[1]);
        if (unshare(CLONE_NEWNET | CLONE_NEWNS)) {
            snprintf(err, sizeof err, "unshare: %s", strerror(errno));
            e = err;
        } else {
            e = mount_space(s, err, sizeof err);
        }
        if (write(ready[1], e ? e : "OK", e ? strlen(e) : 2) < 0) {
            _exit(1);
        }
        close(ready[1]);
        /* Stay until the parent has bound our namespaces. */
        if (read(go[0], &c, 1) < 0) {
            _exit(1);
        }
        _exit(0);
    }
    close(ready[1]);
    close(go[0]);
    n = read(ready[0], err, sizeof err - 1);
    err[n > 0 ? n : 0] = '\0';
    close(ready[0]);
    if (n != 2 || strcmp(err, "OK")) {
        fprintf(stderr, "%s: error: space '%s': %s\n", prog, s->name,
                n > 0 ? err : "namespace setup failed");
        ok = false;
    }
    for (int i = 0; ok && i < 2; i++) {
        const char *kind = i ? "mnt" : "net";
        int fd;

        ns_file(s->name, kind, path, sizeof path);
        fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
        if (fd >= 0) {
            close(fd);
        }
        xsnprintf(src, sizeof src, "/proc/%d/ns/%s", (int) pid, kind);
        if (fd < 0 || mount(src, path, NULL, MS_BIND, NULL)) {
            fprintf(stderr, "%s: error: keep %s: %s\n", prog, path,
                    strerror(errno));
            ok = false;
        }
    }
    close(go[1]);
    waitpid(pid, NULL, 0);
    if (!ok) {
        unbind_ns(s->name);
    }
    return ok;
}

/* Undoes a partly created space S (its link if LINK, namespaces,
 * files). */
static void PS_NOINLINE
undo_create(const struct space *s, bool link)
{
    char dir[PS_PATH];

    if (link) {
        ip_in(parent_of(s), true, "link", "del", s->link, NULL);
    }
    unbind_ns(s->name);
    space_dir(s, dir, sizeof dir);
    rm_rf(dir);
}

/* Sets *MADE once the link exists (it is ours to remove on failure; a
 * link of that name made by someone else is not). */
static bool PS_NOINLINE
setup_link(const struct space *s, bool *made)
{
    const struct space *p = parent_of(s);
    char path[PS_PATH], par[40], own[40], sys[128];

    ns_file(s->name, "net", path, sizeof path);
    link_addr(s->index, true, par, sizeof par - 3);
    strcat(par, "/30");
    link_addr(s->index, false, own, sizeof own - 3);
    strcat(own, "/30");
    if (ip_in(p, false, "link", "add", s->link, "type", "veth", "peer",
              "name", PS_UPLINK, "netns", path, NULL)) {
        return false;
    }
    *made = true;
    /* IPv4 only on the link: the rules are IPv4 rules, and link-local
     * IPv6 would reach the parent around them. */
    xsnprintf(sys, sizeof sys, "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
              s->link);
    write_sysctl(p, sys, "1");
    write_sysctl(s, "/proc/sys/net/ipv6/conf/" PS_UPLINK "/disable_ipv6",
                 "1");
    if (ip_in(p, false, "addr", "add", par, "dev", s->link, NULL)
        || ip_in(p, false, "link", "set", s->link, "up", NULL)
        || ip_in(s, false, "link", "set", "lo", "up", NULL)
        || ip_in(s, false, "addr", "add", own, "dev", PS_UPLINK, NULL)
        || ip_in(s, false, "link", "set", PS_UPLINK, "up", NULL)) {
        return false;
    }
    /* Strict reverse path on the link: a space cannot send from another
     * space's address. */
    xsnprintf(sys, sizeof sys, "/proc/sys/net/ipv4/conf/%s/rp_filter",
              s->link);
    write_sysctl(p, sys, "1");
    if (p) {
        /* Only to pass children's requests up; the forward chain drops
         * everything else. */
        write_sysctl(p, "/proc/sys/net/ipv4/ip_forward", "1");
    }
    return true;
}

static void
usage_error(const char *msg)
{
    die("%s (try '%s --help')", msg, prog);
}

static void
cmd_create(int argc, char **argv)
{
    const char *name = NULL, *parent = "", *resolver = NULL;
    struct space *s, *p = NULL;
    bool made = false;
    struct in_addr a;
    char dir[PS_PATH];

    for (int i = 0; i < argc; i++) {
        if (!strcmp(argv[i], "--parent") && i + 1 < argc) {
            parent = argv[++i];
        } else if (!strcmp(argv[i], "--resolver") && i + 1 < argc) {
            resolver = argv[++i];
        } else if (argv[i][0] == '-' || name) {
            usage_error("usage: create NAME [--parent P] [--resolver ADDR]");
        } else {
            name = argv[i];
        }
    }
    if (!name) {
        usage_error("usage: create NAME [--parent P] [--resolver ADDR]");
    }
    check_name(name);
    if (resolver && inet_pton(AF_INET, resolver, &a) != 1
        && strcmp(resolver, "parent")) {
        die("invalid --resolver '%s' (an IPv4 address or 'parent')",
            resolver);
    }
    if (find_space(name)) {
        die("a space named '%s' already exists", name);
    }
    if (parent[0]) {
        check_name(parent);
        p = find_space(parent);
        if (!p) {
            die("no parent space named '%s' (see '%s list')", parent, prog);
        }
    }
    if (n_spaces >= PS_MAX_SPACES) {
        die("too many spaces (at most %d)", PS_MAX_SPACES);
    }
    if (!resolver) {
        /* A child asks its parent's resolver if its parent asks its own
         * parent's; otherwise its own, on its loopback. */
        char ppar[INET_ADDRSTRLEN] = "";

        if (p) {
            link_addr(p->index, true, ppar, sizeof ppar);
        }
        resolver = p && !strcmp(p->resolver, ppar) ? "parent" : "127.0.0.1";
    }

    s = &spaces[n_spaces];
    memset(s, 0, sizeof *s);
    xsnprintf(s->name, sizeof s->name, "%s", name);
    xsnprintf(s->parent, sizeof s->parent, "%s", parent);
    s->index = free_index();
    xsnprintf(s->link, sizeof s->link, "%s%u", if_prefix, s->index);
    if (!strcmp(resolver, "parent")) {
        link_addr(s->index, true, s->resolver, sizeof s->resolver);
    } else {
        xsnprintf(s->resolver, sizeof s->resolver, "%s", resolver);
    }
    if (p) {
        /* A child sees what its parent sees: the same directories, the
         * parent's services under the parent's port numbers. */
        for (int i = 0; i < p->n_fs; i++) {
            memcpy(s->fs[i], p->fs[i], PS_FS_LEN);
        }
        s->n_fs = p->n_fs;
        for (int i = 0; i < p->n_svcs; i++) {
            s->svcs[i].proto = p->svcs[i].proto;
            s->svcs[i].cport = s->svcs[i].pport = p->svcs[i].cport;
        }
        s->n_svcs = p->n_svcs;
    } else {
        for (size_t i = 0; i < sizeof default_fs / sizeof *default_fs;
             i++) {
            struct stat st;

            if (!stat(default_fs[i], &st) && S_ISDIR(st.st_mode)
                && !holds_state(default_fs[i])) {
                xsnprintf(s->fs[s->n_fs++], PS_FS_LEN, "%s", default_fs[i]);
            }
        }
    }
    if (strpbrk(state_dir, ":,")) {
        die("state directory '%s' contains ':' or ',' (overlayfs option "
            "separators)", state_dir);
    }
    {
        bool etc = false;

        for (int i = 0; i < s->n_fs; i++) {
            etc |= !strcmp(s->fs[i], "/etc");
        }
        if (!etc) {
            die("/etc cannot be overlaid (the state directory %s is in it)",
                state_dir);
        }
    }

    space_dir(s, dir, sizeof dir);
    if (mkdir(dir, 0700)) {
        die("%s: %s (a leftover of a crash? run '%s cleanup')", dir,
            strerror(errno), prog);
    }
    n_spaces++;
    write_etc(s);
    if (!make_namespaces(s)) {
        undo_create(s, false);
        exit(EXIT_FAILURE);
    }
    if (!setup_link(s, &made)) {
        undo_create(s, made);
        die("could not set up the link %s of '%s'", s->link, name);
    }
    save_space(s);
    route_descendant(s, true);
    sync_rules(s);
    sync_rules(p);
}

/* Pids of processes in space S's network namespace. */
static int
space_pids(const struct space *s, pid_t *pids, int max)
{
    char path[PS_PATH];
    struct stat want;
    struct dirent *de;
    int n = 0;
    DIR *d;

    ns_file(s->name, "net", path, sizeof path);
    if (stat(path, &want)) {
        return 0;
    }
    d = opendir("/proc");
    if (!d) {
        return 0;
    }
    while ((de = readdir(d)) && n < max) {
        char p[64];
        struct stat st;

        if (!isdigit((unsigned char) de->d_name[0])) {
            continue;
        }
        xsnprintf(p, sizeof p, "/proc/%s/ns/net", de->d_name);
        if (!stat(p, &st) && st.st_ino == want.st_ino
            && st.st_dev == want.st_dev) {
            pids[n++] = atoi(de->d_name);
        }
    }
    closedir(d);
    return n;
}

static void
kill_space_processes(const struct space *s)
{
    static pid_t pids[PS_MAX_PIDS];
    int n = space_pids(s, pids, PS_MAX_PIDS);

    for (int i = 0; i < n; i++) {
        kill(pids[i], SIGTERM);
    }
    for (int waited = 0; n && waited < PS_KILL_WAIT_MS;
         waited += PS_POLL_MS) {
        struct timespec ts = { 0, PS_POLL_MS * 1000000L };

        nanosleep(&ts, NULL);
        n = space_pids(s, pids, PS_MAX_PIDS);
    }
    for (int i = 0; i < n; i++) {
        kill(pids[i], SIGKILL);
    }
}

static void ovs_tunnel_del(const struct tunnel *);

/* Tears S down, going on over errors. */
static void
destroy_space(struct space *s)
{
    struct space *p = parent_of(s);
    char dir[PS_PATH], path[PS_PATH], pname[PS_NAME_MAX + 1];

    xsnprintf(pname, sizeof pname, "%s", s->parent);
    kill_space_processes(s);
    /* Attached interfaces go back where they came from; tunnels and the
     * uplink die with the namespace. */
    ns_file(s->name, "net", path, sizeof path);
    if (p) {
        ns_file(p->name, "net", dir, sizeof dir);
    } else {
        xsnprintf(dir, sizeof dir, "/proc/%d/ns/net", (int) getpid());
    }
    for (int i = 0; i < s->n_ifaces; i++) {
        if (ip_in(s, true, "link", "set", "dev", s->ifaces[i], "netns", dir,
                  NULL)) {
            warn("could not give %s back to %s", s->ifaces[i],
                 p ? p->name : "the root");
        }
    }
    for (int i = 0; i < s->n_tunnels; i++) {
        if (s->tunnels[i].bridge[0]) {
            ovs_tunnel_del(&s->tunnels[i]);
        }
    }
    route_descendant(s, false);
    ip_in(p, true, "link", "del", s->link, NULL);
    unbind_ns(s->name);
    space_dir(s, dir, sizeof dir);
    rm_rf(dir);
    /* Drop it from the table before the parent's rules are rebuilt. */
    *s = spaces[--n_spaces];
    sync_rules(pname[0] ? find_space(pname) : NULL);
}

static void
cmd_delete(int argc, char **argv)
{
    struct space *s;

    if (argc != 1) {
        usage_error("usage: delete NAME");
    }
    s = need_space(argv[0]);
    if (n_children(s)) {
        die("space '%s' has %d child space(s): delete them first",
            s->name, n_children(s));
    }
    destroy_space(s);
}

static void
print_addrs(const struct space *s, int depth)
{
    pid_t pid;

    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        die("fork: %s", strerror(errno));
    }
    if (!pid) {
        struct ifaddrs *ifa, *i;
        char addr[INET6_ADDRSTRLEN];
        bool any = false;

        enter_net(s);
        if (getifaddrs(&ifa)) {
            _exit(1);
        }
        printf("%*s  interfaces:", 2 * depth, "");
        for (i = ifa; i; i = i->ifa_next) {
            const void *src;

            if (!i->ifa_addr || !strcmp(i->ifa_name, "lo")) {
                continue;
            }
            if (i->ifa_addr->sa_family == AF_INET) {
                src = &((struct sockaddr_in *) (void *) i->ifa_addr)
                    ->sin_addr;
            } else if (i->ifa_addr->sa_family == AF_INET6) {
                src = &((struct sockaddr_in6 *) (void *) i->ifa_addr)
                    ->sin6_addr;
            } else {
                continue;
            }
            inet_ntop(i->ifa_addr->sa_family, src, addr, sizeof addr);
            printf(" %s=%s", i->ifa_name, addr);
            any = true;
        }
        printf("%s\n", any ? "" : " (none)");
        freeifaddrs(ifa);
        fflush(stdout);
        _exit(0);
    }
    waitpid(pid, NULL, 0);
}

static void
list_tree(const char *parent, int depth)
{
    for (int i = 0; i < n_spaces; i++) {
        const struct space *s = &spaces[i];
        char par[INET_ADDRSTRLEN];

        if (strcmp(s->parent, parent)) {
            continue;
        }
        link_addr(s->index, true, par, sizeof par);
        printf("%*s%s (link %s, parent at %s)\n", 2 * depth, "", s->name,
               s->link, par);
        print_addrs(s, depth);
        printf("%*s  services:", 2 * depth, "");
        for (int j = 0; j < s->n_svcs; j++) {
            const struct svc *v = &s->svcs[j];

            printf(" %s/%d", proto_name(v->proto), v->cport);
            if (v->cport != v->pport) {
                printf("->%d", v->pport);
            }
        }
        printf("%s\n", s->n_svcs ? "" : " (none)");
        for (int j = 0; j < s->n_shares; j++) {
            printf("%*s  shared: %s (%s, from %s)\n", 2 * depth, "",
                   s->shares[j], s->share_ro[j] ? "read-only" : "read-write",
                   s->parent[0] ? s->parent : "the root");
        }
        for (int j = 0; j < s->n_tunnels; j++) {
            const struct tunnel *t = &s->tunnels[j];

            printf("%*s  tunnel: %s %s key %u remote %s%s%s\n", 2 * depth,
                   "", t->ifname, t->type, t->vni, t->remote,
                   t->bridge[0] ? " via OVS " : "", t->bridge);
        }
        list_tree(s->name, depth + 1);
    }
}

static void
cmd_list(int argc, char **argv)
{
    (void) argv;
    if (argc) {
        usage_error("usage: list");
    }
    list_tree("", 0);
}

static void
cmd_exec(int argc, char **argv)
{
    const char *user = NULL;
    struct passwd *pw = NULL;
    char cwd[PS_PATH];
    struct space *s;
    int i = 1, net, mnt;

    if (argc < 1) {
        usage_error("usage: exec NAME [--user USER] -- CMD [ARG...]");
    }
    s = need_space(argv[0]);
    if (i + 1 < argc && !strcmp(argv[i], "--user")) {
        user = argv[i + 1];
        i += 2;
    }
    if (i < argc && !strcmp(argv[i], "--")) {
        i++;
    }
    if (i >= argc) {
        usage_error("usage: exec NAME [--user USER] -- CMD [ARG...]");
    }
    if (user) {
        pw = getpwnam(user);
        if (!pw) {
            die("no user '%s'", user);
        }
    }
    if (!getcwd(cwd, sizeof cwd)) {
        xsnprintf(cwd, sizeof cwd, "/");
    }
    net = open_ns(s, "net");
    mnt = open_ns(s, "mnt");
    if (setns(net, CLONE_NEWNET) || setns(mnt, CLONE_NEWNS)) {
        die("enter space '%s': %s", s->name, strerror(errno));
    }
    close(net);
    close(mnt);
    if (chdir(cwd) && chdir("/")) {
        die("chdir: %s", strerror(errno));
    }
    if (pw && (initgroups(pw->pw_name, pw->pw_gid) || setgid(pw->pw_gid)
               || setuid(pw->pw_uid))) {
        die("become %s: %s", user, strerror(errno));
    }
    execvp(argv[i], argv + i);
    die("%s: %s", argv[i], strerror(errno));
}

static void
add_iface(struct space *s, const char *ifname)
{
    if (s->n_ifaces >= PS_MAX_IFACES) {
        die("space '%s' has %d interfaces already", s->name, PS_MAX_IFACES);
    }
    xsnprintf(s->ifaces[s->n_ifaces++], IFNAMSIZ, "%s", ifname);
}

/* The service host's port of tenant N: FMT with N for its one %u (the
 * tenant lab names them em<N>). */
static void
tenant_ifname(const char *n_s, const char *fmt, char *out, size_t size)
{
    const char *pct = strchr(fmt, '%');
    unsigned long n;
    char *end;

    errno = 0;
    n = strtoul(n_s, &end, 10);
    if (errno || *end || !n || n > UINT32_MAX) {
        die("invalid tenant '%s' (a tenant key, 1..%u)", n_s, UINT32_MAX);
    }
    if (!pct || strncmp(pct, "%u", 2) || strchr(pct + 2, '%')) {
        die("invalid --if-format '%s' (exactly one %%u, for the tenant)",
            fmt);
    }
    xsnprintf(out, size, "%.*s%lu%s", (int) (pct - fmt), fmt, n, pct + 2);
}

static void
cmd_attach(int argc, char **argv)
{
    const char *fmt = "em%u", *tenant = NULL, *ifname = NULL;
    char path[PS_PATH], tif[IFNAMSIZ];
    struct space *s;

    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--tenant") && i + 1 < argc) {
            tenant = argv[++i];
        } else if (!strcmp(argv[i], "--if-format") && i + 1 < argc) {
            fmt = argv[++i];
        } else if (argv[i][0] != '-' && !ifname) {
            ifname = argv[i];
        } else {
            ifname = tenant = NULL;
            break;
        }
    }
    if (argc < 2 || !ifname == !tenant) {
        usage_error("usage: attach NAME IFACE | attach NAME --tenant N "
                    "[--if-format FMT]");
    }
    s = need_space(argv[0]);
    if (tenant) {
        tenant_ifname(tenant, fmt, tif, sizeof tif);
        ifname = tif;
    }
    if (strlen(ifname) >= IFNAMSIZ || !strcmp(ifname, PS_UPLINK)) {
        die("invalid interface name '%s'", ifname);
    }
    ns_file(s->name, "net", path, sizeof path);
    /* The interface must be in the parent's namespace, where a program
     * there sees it. */
    if (ip_in(parent_of(s), true, "link", "show", "dev", ifname, NULL)) {
        die("no interface '%s' in %s", ifname,
            s->parent[0] ? s->parent : "the root");
    }
    if (ip_in(parent_of(s), false, "link", "set", "dev", ifname, "netns",
              path, NULL)) {
        die("could not move %s into '%s'", ifname, s->name);
    }
    add_iface(s, ifname);
    save_space(s);
}

static void
cmd_inherit(int argc, char **argv)
{
    enum proto proto, as_proto;
    int port, as_port;
    struct space *s;

    if (argc != 2 && !(argc == 4 && !strcmp(argv[2], "--as"))) {
        usage_error("usage: inherit NAME PROTO/PORT [--as PROTO/PORT]");
    }
    s = need_space(argv[0]);
    if (!parse_service(argv[1], &proto, &port)) {
        die("invalid service '%s' (valid: tcp/PORT or udp/PORT, PORT "
            "1..65535)", argv[1]);
    }
    as_proto = proto;
    as_port = port;
    if (argc == 4 && !parse_service(argv[3], &as_proto, &as_port)) {
        die("invalid service '%s' (valid: tcp/PORT or udp/PORT, PORT "
            "1..65535)", argv[3]);
    }
    if (as_proto != proto) {
        die("--as %s: the protocol cannot change (%s)", argv[3],
            proto_name(proto));
    }
    if (find_svc(s, proto, as_port)) {
        die("space '%s' already has %s/%d", s->name, proto_name(proto),
            as_port);
    }
    /* A reply from the parent's port is mapped back by its number alone
     * (uplink_rules()): one service per port of the parent. */
    for (int i = 0; i < s->n_svcs; i++) {
        if (s->svcs[i].proto == proto && s->svcs[i].pport == port) {
            die("space '%s' already inherits the parent's %s/%d as %s/%d",
                s->name, proto_name(proto), port, proto_name(proto),
                s->svcs[i].cport);
        }
    }
    if (s->n_svcs >= PS_MAX_SVCS) {
        die("space '%s' has %d services already", s->name, PS_MAX_SVCS);
    }
    s->svcs[s->n_svcs].proto = proto;
    s->svcs[s->n_svcs].cport = as_port;
    s->svcs[s->n_svcs].pport = port;
    s->n_svcs++;
    sync_rules(s);
    sync_rules(parent_of(s));
    save_space(s);
}

/* Checks that PATH may be shared: absolute, canonical in the parent's view
 * (so that it names the same place in the space), not the root and not
 * the state directory or anything holding or inside it. */
static void
check_share_path(const char *path)
{
    size_t len = strlen(path);

    if (path[0] != '/' || len < 2 || len >= PS_SHARE_LEN
        || path[len - 1] == '/') {
        die("invalid path '%s' (an absolute path below /, without a "
            "trailing '/', shorter than %d characters)", path,
            PS_SHARE_LEN);
    }
    for (const char *c = path; *c; c++) {
        if (isspace((unsigned char) *c) || iscntrl((unsigned char) *c)
            || *c == ',' || *c == ':') {
            die("invalid path '%s' (no white space, control characters, "
                "',' or ':')", path);
        }
    }
    if (strstr(path, "/./") || strstr(path, "/../") || strstr(path, "//")
        || !strcmp(path + len - 2, "/.") || !strcmp(path + len - 3, "/..")) {
        die("invalid path '%s' (not canonical)", path);
    }
    if (holds_state(path) || (!strncmp(path, state_dir, strlen(state_dir))
                              && path[strlen(state_dir)] == '/')) {
        die("'%s' holds or lies in the state directory %s: it cannot be "
            "shared", path, state_dir);
    }
}

/* In a child process: clones PATH of the parent's view (its mount
 * namespace; the root's if P is NULL) and mounts the clone at PATH in the
 * space's mount namespace, read-only if RO, a slave of the parent's mount
 * (the parent's later mounts below PATH show in the space, never the
 * reverse).  Exits 0 on success, 1 with a message on failure. */
static void __attribute__((noreturn))
share_child(const struct space *s, const struct space *p, const char *path,
            bool ro)
{
    struct mount_attr attr = { .propagation = MS_SLAVE };
    static char real[PATH_MAX];
    struct stat src, dst;
    int pmnt = p ? open_ns(p, "mnt") : -1;
    int smnt = open_ns(s, "mnt");
    int tree;

    if (pmnt >= 0 && setns(pmnt, CLONE_NEWNS)) {
        die("enter space '%s': %s", p->name, strerror(errno));
    }
    if (!realpath(path, real)) {
        die("%s: %s (in %s)", path, strerror(errno),
            p ? p->name : "the root");
    }
    if (strcmp(real, path)) {
        die("'%s' is not canonical in %s (it resolves to '%s'): share "
            "that path", path, p ? p->name : "the root", real);
    }
    tree = open_tree(AT_FDCWD, path,
                     OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (tree < 0 || fstat(tree, &src)) {
        die("clone %s: %s", path, strerror(errno));
    }
    if (setns(smnt, CLONE_NEWNS)) {
        die("enter space '%s': %s", s->name, strerror(errno));
    }
    if (lstat(path, &dst)) {
        die("%s does not exist in space '%s' (%s): create it there",
            path, s->name, strerror(errno));
    }
    if (S_ISDIR(src.st_mode) != S_ISDIR(dst.st_mode)) {
        die("%s is a %s in the parent but not in space '%s'", path,
            S_ISDIR(src.st_mode) ? "directory" : "file", s->name);
    }
    if (move_mount(tree, "", AT_FDCWD, path, MOVE_MOUNT_F_EMPTY_PATH)) {
        die("mount %s in space '%s': %s", path, s->name, strerror(errno));
    }
    if (ro) {
        attr.attr_set = MOUNT_ATTR_RDONLY;
    }
    if (mount_setattr(AT_FDCWD, path, AT_RECURSIVE, &attr, sizeof attr)) {
        /* Never leave a read-write mount where read-only was asked. */
        umount2(path, MNT_DETACH);
        die("make %s in space '%s' %s: %s", path, s->name,
            ro ? "read-only" : "a slave mount", strerror(errno));
    }
    _exit(0);
}

static void
cmd_share(int argc, char **argv)
{
    const char *path;
    struct space *s;
    bool ro = false;
    int status;
    pid_t pid;

    if (argc == 3 && !strcmp(argv[2], "--ro")) {
        ro = true;
    } else if (argc != 2) {
        usage_error("usage: share NAME PATH [--ro]");
    }
    s = need_space(argv[0]);
    path = argv[1];
    check_share_path(path);
    for (int i = 0; i < s->n_shares; i++) {
        if (!strcmp(s->shares[i], path)) {
            die("space '%s' shares %s already (%s)", s->name, path,
                s->share_ro[i] ? "read-only" : "read-write");
        }
    }
    if (s->n_shares >= PS_MAX_SHARES) {
        die("space '%s' has %d shared paths already", s->name,
            PS_MAX_SHARES);
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        die("fork: %s", strerror(errno));
    }
    if (!pid) {
        share_child(s, parent_of(s), path, ro);
    }
    if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)
        || WEXITSTATUS(status)) {
        exit(EXIT_FAILURE);
    }
    xsnprintf(s->shares[s->n_shares], PS_SHARE_LEN, "%s", path);
    s->share_ro[s->n_shares++] = ro;
    save_space(s);
}

static void
cmd_hide(int argc, char **argv)
{
    enum proto proto;
    struct space *s;
    int port;

    if (argc != 2) {
        usage_error("usage: hide NAME PROTO/PORT");
    }
    s = need_space(argv[0]);
    if (!parse_service(argv[1], &proto, &port)) {
        die("invalid service '%s' (valid: tcp/PORT or udp/PORT, PORT "
            "1..65535)", argv[1]);
    }
    for (int i = 0; i < s->n_svcs; i++) {
        if (s->svcs[i].proto == proto && s->svcs[i].cport == port) {
            s->svcs[i] = s->svcs[--s->n_svcs];
            sync_rules(s);
            sync_rules(parent_of(s));
            save_space(s);
            return;
        }
    }
    die("space '%s' does not inherit %s (nothing to hide)", s->name,
        argv[1]);
}

/* unite/reunite options. */
struct unite_opts {
    const char *remote;
    const char *local;          /* NULL: the kernel picks. */
    const char *bridge;         /* NULL: kernel VXLAN; else this OVS bridge. */
    const char *type;           /* "vxlan" or "gre" (OVS only). */
    long vni;
};

#define UNITE_USAGE "usage: %s NAME REMOTE [--vni N] [--local ADDR] " \
    "[--ovs BRIDGE [--type vxlan|gre]]"

static void
parse_unite(const char *cmd, int argc, char **argv, struct unite_opts *o)
{
    struct in_addr a;
    char usage_msg[128];

    xsnprintf(usage_msg, sizeof usage_msg, UNITE_USAGE, cmd);
    memset(o, 0, sizeof *o);
    o->vni = 1;
    o->type = "vxlan";
    if (argc < 2) {
        usage_error(usage_msg);
    }
    o->remote = argv[1];
    if (inet_pton(AF_INET, o->remote, &a) != 1) {
        die("invalid remote '%s' (an IPv4 address)", o->remote);
    }
    for (int i = 2; i < argc; i++) {
        char *end;

        if (i + 1 >= argc) {
            usage_error(usage_msg);
        } else if (!strcmp(argv[i], "--vni")) {
            errno = 0;
            o->vni = strtol(argv[++i], &end, 10);
            if (errno || *end || o->vni < 1 || o->vni > PS_VNI_MAX) {
                die("invalid --vni '%s' (1..%d)", argv[i], PS_VNI_MAX);
            }
        } else if (!strcmp(argv[i], "--local")) {
            o->local = argv[++i];
            if (inet_pton(AF_INET, o->local, &a) != 1) {
                die("invalid --local '%s' (an IPv4 address)", o->local);
            }
        } else if (!strcmp(argv[i], "--ovs")) {
            o->bridge = argv[++i];
            if (!valid_name(o->bridge) || strlen(o->bridge) >= IFNAMSIZ) {
                die("invalid --ovs bridge name '%s'", o->bridge);
            }
        } else if (!strcmp(argv[i], "--type")) {
            o->type = argv[++i];
            if (strcmp(o->type, "vxlan") && strcmp(o->type, "gre")) {
                die("invalid --type '%s' (vxlan or gre)", o->type);
            }
        } else {
            usage_error(usage_msg);
        }
    }
    if (!o->bridge && strcmp(o->type, "vxlan")) {
        die("--type %s needs --ovs BRIDGE (the kernel tunnel is VXLAN)",
            o->type);
    }
}

static int __attribute__((sentinel))
cmd_in_root(bool quiet, ...)
{
    va_list args;
    int rc;

    va_start(args, quiet);
    rc = run_words_in(NULL, NULL, quiet, args);
    va_end(args);
    return rc;
}

/* Removes what an OVS tunnel T of a space put on the root's bridge. */
static void
ovs_tunnel_del(const struct tunnel *t)
{
    char cookie[40];

    xsnprintf(cookie, sizeof cookie, "cookie=%#llx/-1",
              (unsigned long long) t->cookie);
    cmd_in_root(true, "ovs-ofctl", "del-flows", t->bridge, cookie, NULL);
    cmd_in_root(true, "ovs-vsctl", "--timeout=10", "--if-exists",
                "del-port", t->bridge, t->tport, "--", "--if-exists",
                "del-port", t->bridge, t->vport, NULL);
    ip_in(NULL, true, "link", "del", t->vport, NULL);
}

/* The tunnel through OVS: a veth from the space (IFNAME) into BRIDGE,
 * a tunnel port to REMOTE with key VNI, and two flows between them. */
static bool
ovs_tunnel_add(struct space *s, const struct unite_opts *o,
               struct tunnel *t)
{
    char path[PS_PATH], remote[64], key[32], flow[128];
    char type[16], sys[128];
    bool ok;

    ns_file(s->name, "net", path, sizeof path);
    t->cookie = PS_COOKIE_BASE | ((uint64_t) s->index << 8)
                | (unsigned int) s->n_tunnels;
    xsnprintf(t->vport, sizeof t->vport, "%so%u_%d", if_prefix, s->index,
              s->n_tunnels);
    xsnprintf(t->tport, sizeof t->tport, "%st%u_%d", if_prefix, s->index,
              s->n_tunnels);
    xsnprintf(t->bridge, sizeof t->bridge, "%s", o->bridge);
    xsnprintf(type, sizeof type, "type=%s", o->type);
    xsnprintf(remote, sizeof remote, "options:remote_ip=%s", o->remote);
    xsnprintf(key, sizeof key, "options:key=%ld", o->vni);
    if (ip_in(NULL, false, "link", "add", t->vport, "type", "veth", "peer",
              "name", t->ifname, "netns", path, NULL)) {
        return false;
    }
    xsnprintf(sys, sizeof sys, "/proc/sys/net/ipv6/conf/%s/disable_ipv6",
              t->vport);
    write_sysctl(NULL, sys, "1");
    /* OVS's AF_PACKET ports pass on what the kernel left to checksum
     * offload: the checksums must be complete (as in the system tests). */
    ok = !ip_in(NULL, false, "link", "set", t->vport, "up", NULL)
         && !ip_in(s, false, "link", "set", t->ifname, "up", NULL)
         && !cmd_in_root(false, "ovs-vsctl", "--timeout=10", "add-port",
                         o->bridge, t->vport, "--", "add-port", o->bridge,
                         t->tport, "--", "set", "interface", t->tport,
                         type, remote, key, NULL);
    if (ok) {
        const char *argv[] = { "ethtool", "-K", t->ifname, "tx", "off",
                               NULL };

        run_in(s, argv, NULL, true);
        xsnprintf(flow, sizeof flow, "cookie=%#llx,in_port=%s,"
                  "actions=output:%s", (unsigned long long) t->cookie,
                  t->vport, t->tport);
        ok = !cmd_in_root(false, "ovs-ofctl", "add-flow", o->bridge, flow,
                          NULL);
    }
    if (ok) {
        xsnprintf(flow, sizeof flow, "cookie=%#llx,in_port=%s,"
                  "actions=output:%s", (unsigned long long) t->cookie,
                  t->tport, t->vport);
        ok = !cmd_in_root(false, "ovs-ofctl", "add-flow", o->bridge, flow,
                          NULL);
    }
    if (!ok) {
        ovs_tunnel_del(t);
    }
    return ok;
}

/* The kernel's VXLAN: the underlay socket stays in the root's namespace
 * (where REMOTE is reachable) while the interface is in the space. */
static bool
vxlan_tunnel_add(struct space *s, const struct unite_opts *o,
                 struct tunnel *t)
{
    char tmp[IFNAMSIZ], vni_s[16], port_s[16], path[PS_PATH];

    xsnprintf(tmp, sizeof tmp, "%sv%u", if_prefix, s->index);
    xsnprintf(vni_s, sizeof vni_s, "%ld", o->vni);
    xsnprintf(port_s, sizeof port_s, "%d", PS_VXLAN_PORT);
    ns_file(s->name, "net", path, sizeof path);
    if (o->local
        ? ip_in(NULL, false, "link", "add", tmp, "type", "vxlan", "id",
                vni_s, "remote", o->remote, "local", o->local, "dstport",
                port_s, NULL)
        : ip_in(NULL, false, "link", "add", tmp, "type", "vxlan", "id",
                vni_s, "remote", o->remote, "dstport", port_s, NULL)) {
        return false;
    }
    if (ip_in(NULL, false, "link", "set", "dev", tmp, "netns", path, NULL)
        || ip_in(s, false, "link", "set", "dev", tmp, "name", t->ifname,
                 NULL)
        || ip_in(s, false, "link", "set", "dev", t->ifname, "up", NULL)) {
        ip_in(NULL, true, "link", "del", tmp, NULL);
        ip_in(s, true, "link", "del", tmp, NULL);
        ip_in(s, true, "link", "del", t->ifname, NULL);
        return false;
    }
    return true;
}

static void
unite(struct space *s, const struct unite_opts *o)
{
    struct tunnel *t;

    for (int i = 0; i < s->n_tunnels; i++) {
        if (s->tunnels[i].vni == o->vni) {
            die("space '%s' already has a tunnel with vni %ld", s->name,
                o->vni);
        }
    }
    if (s->n_tunnels >= PS_MAX_TUNNELS) {
        die("space '%s' has %d tunnels already", s->name, PS_MAX_TUNNELS);
    }
    t = &s->tunnels[s->n_tunnels];
    memset(t, 0, sizeof *t);
    xsnprintf(t->ifname, sizeof t->ifname, "pn%ld", o->vni);
    t->vni = o->vni;
    xsnprintf(t->remote, sizeof t->remote, "%s", o->remote);
    xsnprintf(t->type, sizeof t->type, "%s", o->type);
    if (!(o->bridge ? ovs_tunnel_add(s, o, t) : vxlan_tunnel_add(s, o, t))) {
        die("could not set up the %s tunnel to %s for '%s'", o->type,
            o->remote, s->name);
    }
    s->n_tunnels++;
    save_space(s);
    printf("%s: %s joined to %s (%s%s%s key %ld)\n", s->name, t->ifname,
           o->remote, o->type, o->bridge ? " through OVS bridge " : "",
           o->bridge ? o->bridge : "", o->vni);
}

static void
cmd_unite(int argc, char **argv)
{
    struct unite_opts o;

    parse_unite("unite", argc, argv, &o);
    unite(need_space(argv[0]), &o);
}

/* reunite NAME REMOTE ...: joins the personal network at REMOTE from
 * outside, creating space NAME here for it when it does not exist. */
static void
cmd_reunite(int argc, char **argv)
{
    struct unite_opts o;

    parse_unite("reunite", argc, argv, &o);
    check_name(argv[0]);
    if (!find_space(argv[0])) {
        char *cargv[] = { argv[0] };

        cmd_create(1, cargv);
    }
    unite(need_space(argv[0]), &o);
}

/* Removes every space (children first) and whatever a crash left: ns
 * bind mounts, half-created space directories, the rules, the ns mount. */
static void
cmd_cleanup(int argc, char **argv)
{
    char path[PS_PATH];
    struct dirent *de;
    DIR *d;

    (void) argv;
    if (argc) {
        usage_error("usage: cleanup");
    }
    while (n_spaces) {
        for (int i = 0; i < n_spaces; i++) {
            if (!n_children(&spaces[i])) {
                destroy_space(&spaces[i]);
                break;
            }
        }
    }
    xsnprintf(path, sizeof path, "%s/spaces", state_dir);
    d = opendir(path);
    while (d && (de = readdir(d))) {
        if (valid_name(de->d_name)) {
            char dir[PS_PATH];

            unbind_ns(de->d_name);
            xsnprintf(dir, sizeof dir, "%s/%s", path, de->d_name);
            rm_rf(dir);
        }
    }
    if (d) {
        closedir(d);
    }
    xsnprintf(path, sizeof path, "%s/ns", state_dir);
    d = opendir(path);
    while (d && (de = readdir(d))) {
        if (de->d_name[0] != '.') {
            char f[PS_PATH];

            xsnprintf(f, sizeof f, "%s/%s", path, de->d_name);
            umount2(f, MNT_DETACH);
            unlink(f);
        }
    }
    if (d) {
        closedir(d);
    }
    {
        const char *argv_nft[] = { "nft", "delete", "table", "ip",
                                   PS_NFT_TABLE, NULL };

        run_in(NULL, argv_nft, NULL, true);
    }
    umount2(path, MNT_DETACH);
    rm_rf(state_dir);
}

static void
usage(void)
{
    printf("\
Usage: %s [--state-dir DIR] [--prefix P] COMMAND [ARG...]\n\
\n\
Port spaces: named, nested execution environments, each with its own\n\
network namespace and an overlay of its parent's file system.\n\
\n\
Commands:\n\
  create NAME [--parent P] [--resolver ADDR|parent]\n\
                     new space (below P; default: below the root, the\n\
                     namespaces this program runs in); its resolv.conf\n\
                     names ADDR (default 127.0.0.1: the space's own; a\n\
                     child of a space using 'parent' uses 'parent')\n\
  delete NAME        remove a space without children: its processes are\n\
                     killed, attached interfaces go back to the parent\n\
  list               the tree: links, interfaces, inherited services\n\
  exec NAME [--user U] -- CMD [ARG...]\n\
                     run CMD in the space (as user U)\n\
  attach NAME IFACE | attach NAME --tenant N [--if-format FMT]\n\
                     move IFACE (or tenant N's port on the service host,\n\
                     FMT with %%u for N, default em%%u) from the parent\n\
                     into the space\n\
  inherit NAME PROTO/PORT [--as PROTO/PORT]\n\
                     the parent's service PORT becomes reachable from\n\
                     the space at 'parent' (port --as); children created\n\
                     later inherit it too\n\
  hide NAME PROTO/PORT\n\
                     the space no longer reaches that service\n\
  share NAME PATH [--ro]\n\
                     bind-mount the parent's PATH into the space in place\n\
                     of its copy-on-write overlay: the space sees the\n\
                     parent's files and (without --ro) writes to them\n\
                     (for hot read-only trees such as a document root)\n\
  unite NAME REMOTE [--vni N] [--local ADDR] [--ovs BRIDGE\n\
        [--type vxlan|gre]]\n\
                     a tunnel (interface pnN in the space, key N) to a\n\
                     remote host, carried by the root's network: the\n\
                     kernel's VXLAN, or VXLAN/GRE ports on the root's\n\
                     OVS bridge BRIDGE (ovs-vsctl/ovs-ofctl from PATH)\n\
  reunite NAME REMOTE [same options]\n\
                     join the personal network at REMOTE from outside\n\
                     (creates NAME if needed)\n\
  cleanup            remove every space and any crash leftovers\n\
\n\
Options:\n\
  --state-dir DIR    state directory (default $PORTSPACE_STATE_DIR or\n\
                     %s)\n\
  --prefix P         link interface names P<index> (default\n\
                     $PORTSPACE_PREFIX or %s)\n\
  -h, --help         this text\n\
\n\
Inherited services: a space reaches its parent at the address 'parent'\n\
(/etc/hosts); the parent's service sees the space's own link address.\n\
A space's own listener on a port answers its children instead of its\n\
parent's.  Must run as root.\n", prog, PS_DEFAULT_STATE, PS_DEFAULT_PREFIX);
}

int
main(int argc, char **argv)
{
    static const struct {
        const char *name;
        void (*fn)(int, char **);
        bool creates;
        int root_netns;         /* Changes things in the root's netns:
                                 * see open_state(). */
    } cmds[] = {
        { "create", cmd_create, true, 1 },
        { "delete", cmd_delete, false, 1 },
        { "list", cmd_list, false, 0 },
        { "exec", cmd_exec, false, 0 },
        { "attach", cmd_attach, false, 1 },
        { "inherit", cmd_inherit, false, 1 },
        { "hide", cmd_hide, false, 1 },
        { "share", cmd_share, false, 0 },
        { "unite", cmd_unite, false, 1 },
        { "reunite", cmd_reunite, true, 1 },
        { "cleanup", cmd_cleanup, false, 2 },
    };
    const char *env;
    int i = 1;

    env = getenv("PORTSPACE_STATE_DIR");
    xsnprintf(state_dir, sizeof state_dir, "%s",
              env && *env ? env : PS_DEFAULT_STATE);
    env = getenv("PORTSPACE_PREFIX");
    xsnprintf(if_prefix, sizeof if_prefix, "%s",
              env && *env ? env : PS_DEFAULT_PREFIX);
    while (i < argc && argv[i][0] == '-') {
        if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
            usage();
            return 0;
        } else if (!strcmp(argv[i], "--state-dir") && i + 1 < argc) {
            xsnprintf(state_dir, sizeof state_dir, "%s", argv[i + 1]);
            i += 2;
        } else if (!strcmp(argv[i], "--prefix") && i + 1 < argc) {
            xsnprintf(if_prefix, sizeof if_prefix, "%s", argv[i + 1]);
            i += 2;
        } else {
            usage_error("unknown option");
        }
    }
    if (strlen(state_dir) > PS_STATE_MAX) {
        die("--state-dir longer than %d characters", PS_STATE_MAX);
    }
    if (state_dir[0] != '/') {
        die("--state-dir must be an absolute path, not '%s'", state_dir);
    }
    /* Room for the index (up to 6 digits) and 'v' in IFNAMSIZ - 1. */
    if (strlen(if_prefix) > IFNAMSIZ - 1 - 7 || !valid_name(if_prefix)) {
        die("invalid --prefix '%s' (at most %d characters of A-Z a-z 0-9 "
            "_ . -)", if_prefix, IFNAMSIZ - 1 - 7);
    }
    if (i >= argc) {
        usage_error("no command");
    }
    for (size_t c = 0; c < sizeof cmds / sizeof *cmds; c++) {
        if (!strcmp(argv[i], cmds[c].name)) {
            if (geteuid()) {
                die("must be run as root (namespaces and mounts need "
                    "CAP_SYS_ADMIN)");
            }
            if (open_state(cmds[c].creates, cmds[c].root_netns) < 0) {
                if (!strcmp(cmds[c].name, "list")
                    || !strcmp(cmds[c].name, "cleanup")) {
                    return 0;
                }
                die("no spaces yet (state directory %s does not exist)",
                    state_dir);
            }
            load_spaces();
            cmds[c].fn(argc - i - 1, argv + i + 1);
            return 0;
        }
    }
    die("unknown command '%s' (valid: create delete list exec attach "
        "inherit hide share unite reunite cleanup)", argv[i]);
}
