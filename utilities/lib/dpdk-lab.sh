# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# dpdk-lab.sh: DPDK in a private OVS instance of utilities/lib/netns-lab.sh
# (source this after it).  DPDK stays off in every OVS instance (OVS's
# default, other_config:dpdk-init unset) unless lab_dpdk_init turns it on
# in that one instance; nothing here changes the machine (no hugepage
# reservation, no hugetlbfs mount).  Safe under 'set -eu'.
#
#   lab_dpdk_missing       prints why this build or machine cannot run DPDK
#                          ports and returns 0; returns 1 (prints nothing)
#                          if it can.
#   lab_dpdk_init NAME     turns DPDK on in the running OVS instance NAME
#                          (other_config:dpdk-init=true and the memory
#                          options below) and waits until the EAL is up
#                          (Open_vSwitch dpdk_initialized=true).  On
#                          failure prints the EAL's complaint from the
#                          log and returns 1.  The EAL's runtime directory
#                          /var/run/dpdk/PREFIX is removed at cleanup.
#   lab_dpdk_ports_ok NAME PORT...
#                          returns 0 if every PORT of OVS instance NAME is
#                          up as a DPDK port (an OpenFlow port number, no
#                          error: the device attached, its mempool made);
#                          else prints the Interface error and the log's
#                          DPDK complaints and returns 1.
#   LAB_DPDK_DEVARGS       'options:dpdk-devargs' for a veth port named
#                          @IF@ (sys_topo_bridge's placeholder): DPDK's
#                          net_af_packet PMD on that interface, with rings
#                          of 4096 frames (the PMD's default, 512, overflows
#                          when a busy 2-core machine deschedules the PMD
#                          thread for a few ms).
#   LAB_DPDK_MAXSLEEP      other_config:pmd-maxsleep (microseconds; default
#                          1000): OVS 3.1's load-based sleep of PMD threads,
#                          so that a lightly loaded PMD gives its core back
#                          to the lab's own traffic (iperf3, the hosts'
#                          stacks) instead of busy-polling it; 0 is OVS's
#                          default (always poll), for benchmarks.
#
# Memory (LAB_DPDK_MEM):
#   nohuge (default)  --no-huge: LAB_DPDK_MB (default 256) MB of ordinary
#                     anonymous memory (other_config:dpdk-alloc-mem, EAL
#                     -m).  DPDK 22.11 refuses --no-huge with --in-memory,
#                     which OVS 3.1 adds unless --legacy-mem is given, so
#                     the options are --no-huge --legacy-mem --no-shconf.
#   huge              2 MB hugepages the administrator reserved
#                     (/sys/kernel/mm/hugepages/hugepages-2048kB/
#                     nr_hugepages); OVS's --in-memory takes them through
#                     memfd, no hugetlbfs mount needed.  LAB_DPDK_MB of
#                     them (dpdk-socket-mem and dpdk-socket-limit).
# Both add --no-pci (no PCI device of the machine is touched),
# --no-telemetry and --file-prefix=PREFIX (the lab's own EAL runtime
# directory).  net_af_packet and net_tap need neither hugepages nor
# physical addresses (IOVA as VA).

LAB_DPDK_MEM=${LAB_DPDK_MEM:-nohuge}
LAB_DPDK_MB=${LAB_DPDK_MB:-256}
# shellcheck disable=SC2034  # used by the scripts sourcing us
LAB_DPDK_DEVARGS='options:dpdk-devargs=net_af_packet_@IF@,iface=@IF@'
LAB_DPDK_DEVARGS+=',framecnt=4096'
LAB_DPDK_MAXSLEEP=${LAB_DPDK_MAXSLEEP:-1000}
# Debian 12's PMD plugins, loaded by the EAL at start.
LAB_DPDK_PMD_DIR=${LAB_DPDK_PMD_DIR:-/usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0}

lab_dpdk_missing() {
    local v free need
    v=$("$LAB_OVS_ENV" ovs-vswitchd --version 2>/dev/null) || v=
    case $v in
        *DPDK*) ;;
        *) echo "OVS was built without DPDK (build-ovs with" \
                "NAT64_OVS_DPDK=no, or libdpdk-dev missing)"
           return 0 ;;
    esac
    if [ ! -e "$LAB_DPDK_PMD_DIR/librte_net_af_packet.so" ]; then
        echo "no net_af_packet PMD in $LAB_DPDK_PMD_DIR" \
             "(package librte-net-af-packet23)"
        return 0
    fi
    # Debian's DPDK 22.11 is built for x86-64 with SSE4.2.
    if [ "$(uname -m)" = x86_64 ] && ! grep -qw sse4_2 /proc/cpuinfo; then
        echo "the CPU lacks SSE4.2, which Debian's DPDK build requires"
        return 0
    fi
    case $LAB_DPDK_MEM in
        nohuge) ;;
        huge)
            free=$(awk '/^HugePages_Free:/ { print $2 }' /proc/meminfo)
            need=$(( (LAB_DPDK_MB + 1) / 2 ))
            if [ "${free:-0}" -lt "$need" ]; then
                echo "LAB_DPDK_MEM=huge needs $need free 2 MB hugepages," \
                     "the kernel has ${free:-0} (reserve them in" \
                     "/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages)"
                return 0
            fi ;;
        *) echo "LAB_DPDK_MEM='$LAB_DPDK_MEM': valid values are nohuge," \
                "huge"
           return 0 ;;
    esac
    return 1
}

lab_dpdk_init() {
    local name=$1 d prefix extra mem=() i state pid
    lab_need_init lab_dpdk_init
    d=$LAB_DIR/ovs-$name
    prefix=$(basename "$LAB_DIR")
    extra="--no-pci --no-telemetry --file-prefix=$prefix"
    case $LAB_DPDK_MEM in
        nohuge)
            extra="--no-huge --legacy-mem --no-shconf $extra"
            mem=("other_config:dpdk-alloc-mem=$LAB_DPDK_MB") ;;
        huge)
            mem=("other_config:dpdk-socket-mem=$LAB_DPDK_MB"
                 "other_config:dpdk-socket-limit=$LAB_DPDK_MB") ;;
        *) lab_log "LAB_DPDK_MEM='$LAB_DPDK_MEM': valid values are" \
                   "nohuge, huge"
           return 1 ;;
    esac
    lab_rm_at_cleanup "/var/run/dpdk/$prefix"
    lab_ovs "$name" ovs-vsctl --timeout=10 set open_vswitch . \
        other_config:dpdk-init=true "other_config:dpdk-extra=$extra" \
        "${mem[@]}" "other_config:pmd-maxsleep=$LAB_DPDK_MAXSLEEP"
    # ovs-vswitchd starts the EAL in its main loop when it sees the key;
    # with dpdk-init=true a failing EAL aborts the daemon (OVS's rule:
    # "try" would go on without DPDK, hiding the failure).
    pid=$(cat "$d/ovs-vswitchd.pid")
    for ((i = 0; i < 300; i++)); do
        state=$(lab_ovs "$name" ovs-vsctl --timeout=5 get open_vswitch . \
                dpdk_initialized 2>/dev/null) || state=
        [ "$state" != true ] || return 0
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    lab_log "DPDK did not start in OVS instance $name:"
    grep -E 'dpdk\|(ERR|EMER|WARN)|EAL ARGS|Cannot init' \
        "$d/ovs-vswitchd.log" >&2 || true
    return 1
}

lab_dpdk_ports_ok() {
    local name=$1 p err ofport rc=0
    shift
    for p in "$@"; do
        err=$(lab_ovs "$name" ovs-vsctl --timeout=10 get interface "$p" \
              error 2>&1) || err="no interface"
        ofport=$(lab_ovs "$name" ovs-vsctl --timeout=10 get interface \
                 "$p" ofport 2>/dev/null) || ofport=-1
        if [ "$err" != '[]' ] || [ "$ofport" = -1 ]; then
            lab_log "DPDK port $p: ofport $ofport, error $err"
            rc=1
        fi
    done
    if [ "$rc" -ne 0 ]; then
        grep -E '(dpdk|netdev_dpdk)\|(ERR|EMER|WARN)' \
            "$LAB_DIR/ovs-$name/ovs-vswitchd.log" | tail -n 5 >&2 || true
    fi
    return "$rc"
}
