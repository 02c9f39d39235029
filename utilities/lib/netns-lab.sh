# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# netns-lab.sh: network-namespace labs with private Open vSwitch instances,
# cleaned up on exit.  Sourced by the system tests (tests/system/), the
# multi-tenant lab (utilities/lib/l2mt-lab.sh), the demo and the
# benchmarks.  Safe under 'set -eu'.
#
#   lab_init PREFIX        temp dir $LAB_DIR (named after PREFIX); trap on
#                          EXIT INT TERM that runs lab_cleanup.  Call first.
#   lab_netns NAME         'ip netns add NAME', lo up, deleted at cleanup.
#                          A leftover NAME is replaced if it has no process
#                          in it and the lab that made it (recorded in
#                          $LAB_OWNERS/NAME) no longer runs: a killed
#                          earlier run.  One in use, or of a lab that still
#                          runs (its script, or any of its processes, e.g.
#                          a demo kept with --keep), is an error, before
#                          anything of it is touched.
#   lab_veth NS1 IF1 NS2 IF2
#                          veth pair IF1 in NS1, IF2 in NS2 ('' = the root
#                          namespace), both up.  With LAB_TSO=on offloads
#                          stay as Linux sets them (checksum offload, TSO);
#                          otherwise (or LAB_VETH_OFFLOAD=off) TX checksum
#                          offload is turned off inside namespaces
#                          ('ethtool -K IF tx off'): OVS's AF_PACKET ports
#                          without userspace TSO cannot finish partial
#                          checksums.  LAB_VETH_OFFLOAD=on|off overrides.
#                          Root-namespace ends are deleted at cleanup.
#   lab_addr6_ll NS IF ADDR
#                          IF gets only the link-local ADDR (nodad):
#                          addr_gen_mode=1 (no EUI-64 address), link
#                          down/up to drop the generated one.
#   lab_ovs_start NAME [NS]
#                          private ovsdb-server + ovs-vswitchd (patched
#                          build, utilities/ovs-nat64-env) with its files
#                          in $LAB_DIR/ovs-NAME, inside NS if given;
#                          stopped (by pid file) at cleanup.  With
#                          userspace TSO (other_config:userspace-tso-
#                          enable=true) if LAB_TSO=on.
#   lab_ovs_restart NAME   restarts its ovs-vswitchd (database kept), for
#                          settings read at startup (userspace-tso-enable).
#   lab_ovs NAME CMD...    CMD (ovs-vsctl, ovs-ofctl, ovs-appctl, ...)
#                          against instance NAME, inside its namespace.
#   lab_bg NS CMD...       CMD in the background in NS ('' = root); prints
#                          its pid (also in $!), killed at cleanup.  Output
#                          goes to $LAB_BG_LOG (default $LAB_DIR/bg.log);
#                          stdin is /dev/null.
#   lab_in NS CMD...       CMD in namespace NS ('' = root), foreground.
#   lab_wait TRIES CMD...  runs CMD every 0.1 s until it succeeds, at most
#                          TRIES times; returns CMD's last status.  For
#                          readiness (a server listening), not assertions.
#   lab_rm_at_cleanup PATH removes the absolute PATH (a file or directory a
#                          daemon of the lab creates, e.g. DPDK's runtime
#                          directory) at cleanup, after the OVS instances.
#   lab_cleanup            kills recorded pids (TERM, then KILL), stops the
#                          OVS instances, turns XDP off on every interface
#                          the lab knows (a leftover XDP program silently
#                          disables TSO), deletes namespaces and root-side
#                          veths, removes $LAB_DIR unless LAB_KEEP=1.
#                          Idempotent; runs from the trap.
#
# The registry lives in files under $LAB_DIR, not shell variables, so that
# calls from subshells ('pid=$(lab_bg ...)') are cleaned up too.  Scripts
# that install their own EXIT trap must call lab_cleanup from it.

LAB_SRCDIR=${NAT64_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." \
                             && pwd)}
LAB_OVS_ENV=${LAB_OVS_ENV:-$LAB_SRCDIR/utilities/ovs-nat64-env}
LAB_DIR=${LAB_DIR:-}
LAB_PREFIX=${LAB_PREFIX:-lab}
# LAB_TSO=on: userspace TSO in OVS, the veths' offloads on in the
# namespaces (the fast setup; the demo, the tenant lab, the system tests
# and the benchmarks set it unless the caller says otherwise).  off (the
# default here, for labs that did not opt in): per-packet OVS, TX checksum
# offload off in namespaces.  Read when used, so a script may set it
# after sourcing this file (l2mt-lab.sh: ': "${LAB_TSO:=on}"').
# Which lab ($LAB_DIR) made each namespace; /run is emptied at boot, as
# namespaces are.
LAB_OWNERS=${LAB_OWNERS:-/run/ovs-nat64-labs}

lab_log() { echo "${LAB_PREFIX}: $*" >&2; }
lab_die() { echo "${LAB_PREFIX}: error: $*" >&2; exit 1; }

lab_init() {
    [ $# -eq 1 ] || lab_die "usage: lab_init PREFIX"
    LAB_PREFIX=$1
    LAB_DIR=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
    echo "$$" > "$LAB_DIR/script-pid"
    : > "$LAB_DIR/pids"
    : > "$LAB_DIR/netns"
    : > "$LAB_DIR/links"
    : > "$LAB_DIR/ovs"
    : > "$LAB_DIR/paths"
    # With tests/lib/testlib.sh loaded, its hook reports missing cases and
    # then calls lab_cleanup.
    if declare -F tl_exit_hook >/dev/null; then
        trap tl_exit_hook EXIT
    else
        trap lab_cleanup EXIT
    fi
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

lab_need_init() {
    if [ -z "$LAB_DIR" ] || [ ! -d "$LAB_DIR" ]; then
        lab_die "call lab_init before $1"
    fi
}

lab_in() {
    local ns=$1
    shift
    if [ -n "$ns" ]; then
        ip netns exec "$ns" "$@"
    else
        "$@"
    fi
}

lab_wait() {
    local tries=$1 i rc=1
    shift
    for ((i = 0; i < tries; i++)); do
        rc=0
        "$@" >/dev/null 2>&1 || rc=$?
        [ "$rc" -ne 0 ] || return 0
        sleep 0.1
    done
    return "$rc"
}

# Does the lab in DIR still run: its script, or a process it started (an
# OVS instance, a background command)?
lab_is_running() {
    local dir=$1 f pid
    [ -d "$dir" ] || return 1
    for f in "$dir/script-pid" "$dir/pids" "$dir"/ovs-*/*.pid; do
        [ -f "$f" ] || continue
        while read -r pid || [ -n "$pid" ]; do
            [ -z "$pid" ] || ! kill -0 "$pid" 2>/dev/null || return 0
        done < "$f"
    done
    return 1
}

lab_netns() {
    local name=$1 owner=
    lab_need_init lab_netns
    if ip netns list | grep -qx "$name\( (id: [0-9]*)\)\?"; then
        [ ! -f "$LAB_OWNERS/$name" ] || owner=$(cat "$LAB_OWNERS/$name")
        if [ -n "$owner" ] && [ "$owner" != "$LAB_DIR" ] \
           && lab_is_running "$owner"; then
            lab_die "namespace $name belongs to the lab in $owner, which" \
                    "still runs (a demo kept with --keep? stop it with" \
                    "utilities/ovs-nat64-demo --stop)"
        fi
        [ -z "$(ip netns pids "$name" 2>/dev/null)" ] \
            || lab_die "namespace $name exists and is in use (another run?)"
        lab_log "replacing leftover namespace $name"
        ip netns del "$name"
    fi
    ip netns add "$name"
    echo "$name" >> "$LAB_DIR/netns"
    mkdir -p "$LAB_OWNERS"
    echo "$LAB_DIR" > "$LAB_OWNERS/$name"
    ip -n "$name" link set lo up
}

# Moves nothing: creates each end directly in its namespace, so no
# temporary name in the root namespace can collide with another lab.
lab_veth() {
    local ns1=$1 if1=$2 ns2=$3 if2=$4 at1=() at2=() ns ifc end
    lab_need_init lab_veth
    [ -z "$ns1" ] || at1=(netns "$ns1")
    [ -z "$ns2" ] || at2=(netns "$ns2")
    ip link add "$if1" "${at1[@]}" type veth peer name "$if2" "${at2[@]}"
    [ -n "$ns1" ] || echo "$if1" >> "$LAB_DIR/links"
    [ -n "$ns2" ] || echo "$if2" >> "$LAB_DIR/links"
    # By end, not by namespace: both ends may be in the same one.
    for end in "$ns1 $if1" "$ns2 $if2"; do
        ns=${end% *}
        ifc=${end##* }
        if [ -n "$ns" ] \
           && [ "${LAB_VETH_OFFLOAD:-${LAB_TSO:-off}}" = off ]; then
            ip netns exec "$ns" ethtool -K "$ifc" tx off >/dev/null
        fi
        lab_in "$ns" ip link set "$ifc" up
    done
}

lab_addr6_ll() {
    local ns=$1 ifc=$2 addr=$3
    lab_in "$ns" ip link set "$ifc" down
    lab_in "$ns" sysctl -qw "net.ipv6.conf.$ifc.addr_gen_mode=1"
    lab_in "$ns" ip -6 addr flush dev "$ifc" scope link
    lab_in "$ns" ip link set "$ifc" up
    lab_in "$ns" ip -6 addr add "$addr/64" dev "$ifc" nodad
}

# The namespace an OVS instance runs in ('' = root).
lab_ovs_ns() {
    local d=$LAB_DIR/ovs-$1
    [ -d "$d" ] || lab_die "no OVS instance $1 (lab_ovs_start $1 first)"
    cat "$d/netns"
}

lab_ovs_start() {
    local name=$1 ns=${2:-} d tso
    lab_need_init lab_ovs_start
    d=$LAB_DIR/ovs-$name
    mkdir -p "$d"
    echo "$ns" > "$d/netns"
    echo "$name" >> "$LAB_DIR/ovs"
    tso=false
    [ "${LAB_TSO:-off}" != on ] || tso=true
    # The daemons' console output goes to a file, shown if start fails.
    if ! NAT64_OVS_TSO=$tso \
         lab_in "$ns" "$LAB_OVS_ENV" --dir "$d" start >"$d/start.log" 2>&1
    then
        cat "$d/start.log" >&2
        lab_die "OVS instance $name did not start"
    fi
}

lab_ovs() {
    local name=$1 ns
    shift
    ns=$(lab_ovs_ns "$name")
    lab_in "$ns" "$LAB_OVS_ENV" --dir "$LAB_DIR/ovs-$name" "$@"
}

lab_bg() {
    local ns=$1
    shift
    lab_need_init lab_bg
    local log=${LAB_BG_LOG:-$LAB_DIR/bg.log}
    # Not through lab_in: a backgrounded function would be a subshell, and
    # its pid not the command's.
    if [ -n "$ns" ]; then
        ip netns exec "$ns" "$@" </dev/null >>"$log" 2>&1 &
    else
        "$@" </dev/null >>"$log" 2>&1 &
    fi
    echo "$!" >> "$LAB_DIR/pids"
    echo "$!"
}

lab_rm_at_cleanup() {
    lab_need_init lab_rm_at_cleanup
    case $1 in
        /?*) echo "$1" >> "$LAB_DIR/paths" ;;
        *) lab_die "lab_rm_at_cleanup: '$1' is not an absolute path" ;;
    esac
}

# Kills PID: TERM, up to 5 s, then KILL.
lab_kill() {
    local pid=$1 i
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

# Turns off XDP in every mode on the interfaces of namespace NS.
lab_xdp_off_ns() {
    local ns=$1 ifc
    for ifc in $(lab_in "$ns" ip -o link show 2>/dev/null \
                 | grep -E ' (xdp|xdpgeneric|xdpdrv|xdpoffload)[ /]' \
                 | awk -F': ' '{print $2}' | cut -d@ -f1); do
        lab_in "$ns" ip link set dev "$ifc" xdpgeneric off 2>/dev/null || true
        lab_in "$ns" ip link set dev "$ifc" xdpdrv off 2>/dev/null || true
    done
}

lab_cleanup() {
    local pid name d ns ifc
    [ -n "$LAB_DIR" ] && [ -d "$LAB_DIR" ] || return 0
    if [ -f "$LAB_DIR/pids" ]; then
        while read -r pid; do
            [ -z "$pid" ] || lab_kill "$pid"
        done < "$LAB_DIR/pids"
        : > "$LAB_DIR/pids"
    fi
    if [ -f "$LAB_DIR/ovs" ]; then
        while read -r name; do
            d=$LAB_DIR/ovs-$name
            for pid in ovs-vswitchd ovsdb-server; do
                [ -f "$d/$pid.pid" ] || continue
                lab_kill "$(cat "$d/$pid.pid")"
                rm -f "$d/$pid.pid"
            done
        done < "$LAB_DIR/ovs"
        : > "$LAB_DIR/ovs"
    fi
    if [ -f "$LAB_DIR/paths" ]; then
        while read -r d; do
            [ -n "$d" ] && rm -rf -- "$d"
        done < "$LAB_DIR/paths"
        : > "$LAB_DIR/paths"
    fi
    if [ -f "$LAB_DIR/links" ]; then
        while read -r ifc; do
            [ -n "$ifc" ] || continue
            ip link set dev "$ifc" xdpgeneric off 2>/dev/null || true
            ip link set dev "$ifc" xdpdrv off 2>/dev/null || true
            ip link del "$ifc" 2>/dev/null || true
        done < "$LAB_DIR/links"
        : > "$LAB_DIR/links"
    fi
    if [ -f "$LAB_DIR/netns" ]; then
        while read -r ns; do
            [ -n "$ns" ] || continue
            lab_xdp_off_ns "$ns"
            ip netns del "$ns" 2>/dev/null || true
            if [ "$(cat "$LAB_OWNERS/$ns" 2>/dev/null)" = "$LAB_DIR" ]; then
                rm -f "$LAB_OWNERS/$ns"
            fi
        done < "$LAB_DIR/netns"
        : > "$LAB_DIR/netns"
    fi
    if [ "${LAB_KEEP:-0}" = 1 ]; then
        lab_log "kept $LAB_DIR (LAB_KEEP=1)"
    else
        rm -rf "$LAB_DIR"
    fi
    return 0
}

# lab_ovs_restart NAME: restarts ovs-vswitchd of instance NAME (its
# database stays), for settings read only at startup, e.g.
# other_config:userspace-tso-enable.
lab_ovs_restart() {
    local name=$1 d ns
    d=$LAB_DIR/ovs-$name
    ns=$(lab_ovs_ns "$name")
    [ ! -f "$d/ovs-vswitchd.pid" ] || lab_kill "$(cat "$d/ovs-vswitchd.pid")"
    rm -f "$d/ovs-vswitchd.pid"
    if ! lab_in "$ns" "$LAB_OVS_ENV" --dir "$d" start >"$d/start.log" 2>&1
    then
        cat "$d/start.log" >&2
        lab_die "OVS instance $name did not restart"
    fi
}
