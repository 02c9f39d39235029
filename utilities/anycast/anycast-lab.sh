# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# anycast-lab.sh: builds an active anycast network from a topology file,
# the way the GINE emulator of the paper did: clients, routers (OVS bridges,
# one ovs-vswitchd per router namespace) and servers in network namespaces
# joined by veth links.  Sourced after utilities/lib/netns-lab.sh and
# lab_init; used by utilities/anycast/ovs-anycast-lab, tests/anycast/run and
# tests/anycast/bench.
#
# Topology file, one statement a line, '#' comments:
#   router NAME ADDR4/LEN ADDR6/LEN   an OVS bridge; ADDRs on its LOCAL
#                                     port (where servers send reports)
#   link ROUTER ROUTER                a veth between two routers
#   anycast ROUTER ADDR4 ADDR6        the anycast addresses; the agent runs
#                                     on ROUTER (one anycast line)
#   cross ADDR4 PREFIX/96             cross-family: IPv4 anycast ADDR4
#                                     served by the servers' IPv6
#                                     addresses through nat64 with PREFIX
#                                     (servers route PREFIX via the router)
#   client NAME ROUTER ADDR4/LEN ADDR6/LEN
#   server NAME ROUTER ADDR4/LEN ADDR6/LEN [weight N] [static]
#                                     static: no reporter, fixed weight
#   option dead-after MS | interval MS | batch MS
# All hosts share one IPv4 and one IPv6 subnet (the routers switch; the
# anycast router steers).  Names: 1..5 of [a-z0-9].  A server must hang off
# the anycast router or a router linked to it directly, and only the
# anycast router may have both clients and servers.
#
#   aclab_build FILE   builds it all and starts OVS, the agent, the
#                      reporters and the test service (anycast-svc.py) on
#                      every server (TCP port 80, iperf3 -s on 5201).
# After it: AC_NS_<name> namespace ($AC_PFX-<name>),
# AC_IP4_<name>/AC_IP6_<name> addresses,
# AC_ROUTER (anycast router), AC_ANY4/AC_ANY6, AC_CLIENTS, AC_SERVERS,
# AC_REPORT_<name> (the file its reporter sends), AC_RPID_<name> (reporter
# pid), AC_ACCEPTS_<name> (accept log), AC_AGENT_LOG, AC_CTL (control
# socket); ac_status prints the agent's status.

AC_SRCDIR=${NAT64_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
AC_BUILDDIR=${NAT64_BUILDDIR:-$AC_SRCDIR}
AC_BIN=$AC_BUILDDIR/utilities/anycast
AC_SVC=$AC_SRCDIR/utilities/anycast/anycast-svc.py
# Fast by default, as the other labs: userspace TSO in every switch and the
# veths' offloads on, so an established connection moves 64 kB frames and
# pays conntrack once per frame, not per 1500-byte packet (patch 0013 keeps
# the partial checksums right under ct nat).  LAB_TSO=off: the per-packet
# setup.
: "${LAB_TSO:=on}"
# The control plane gets priority, as on a router: the agent (with the
# ovs-ofctl it runs) and the anycast switch's ovs-vswitchd run at nice
# AC_NICE, so that other load on the machine delays neither a new weight
# nor a drain (the drain bound is tested).  AC_NICE=0 turns it off.
AC_NICE=${AC_NICE:--10}
# Namespace, bridge and veth names are PREFIX-NAME (AC_PFX, default nac:
# the test stage's; the benchmark and ad-hoc labs may pick another so
# that they can run beside it).
AC_PFX=${AC_PFX:-nac}
AC_VMAC=02:ac:00:00:00:01
AC_DEAD=300
AC_INTERVAL=50
AC_BATCH=0
AC_CLIENTS=
AC_SERVERS=
AC_ROUTERS=
AC_CROSS4=
AC_CROSSP=

ac_die() { echo "ovs-anycast-lab: $*" >&2; exit 1; }
ac_var() { eval "printf '%s' \"\${$1:-}\""; }
ac_set() { printf -v "$1" '%s' "$2"; }

ac_name_ok() {
    [[ $1 =~ ^[a-z0-9]{1,5}$ ]] \
        || ac_die "$AC_TOPO:$AC_LN: name \"$1\" (valid: 1..5 of [a-z0-9])"
}

ac_addr_ok() {
    local fam=$1 a=$2
    if [ "$fam" = 4 ]; then
        [[ $a =~ ^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+(/[0-9]+)?$ ]]
    else
        [[ $a =~ ^[0-9a-fA-F:]+(/[0-9]+)?$ ]] && [[ $a == *:* ]]
    fi || ac_die "$AC_TOPO:$AC_LN: \"$a\" is not an IPv$fam address"
}

# ac_mac N: the lab's MAC for the Nth host.
ac_mac() { printf '02:ac:01:00:%02x:%02x' $(($1 / 256)) $(($1 % 256)); }

ac_parse() {
    local kw a b c d e rest n=1 seen
    AC_LN=0
    AC_ROUTER=
    while IFS= read -r line || [ -n "$line" ]; do
        AC_LN=$((AC_LN + 1))
        line=${line%%#*}
        read -r kw a b c d e rest <<<"$line" || true
        [ -n "${kw:-}" ] || continue
        case $kw in
        router)
            ac_name_ok "$a"; ac_addr_ok 4 "$b"; ac_addr_ok 6 "$c"
            seen=" $AC_ROUTERS $AC_CLIENTS $AC_SERVERS "
            [[ $seen != *" $a "* ]] || ac_die "$AC_TOPO:$AC_LN: duplicate" \
                "name $a"
            AC_ROUTERS="$AC_ROUTERS $a"
            ac_set "AC_IP4_$a" "$b"; ac_set "AC_IP6_$a" "$c"
            ac_set "AC_LINKS_$a" "" ;;
        link)
            [[ " $AC_ROUTERS " == *" $a "* && " $AC_ROUTERS " == *" $b "* ]] \
                || ac_die "$AC_TOPO:$AC_LN: link needs two declared routers"
            AC_LINKLIST="${AC_LINKLIST:-} $a:$b" ;;
        anycast)
            [[ " $AC_ROUTERS " == *" $a "* ]] \
                || ac_die "$AC_TOPO:$AC_LN: unknown router \"$a\""
            [ -z "$AC_ROUTER" ] || ac_die "$AC_TOPO:$AC_LN: one anycast line"
            ac_addr_ok 4 "$b"; ac_addr_ok 6 "$c"
            AC_ROUTER=$a AC_ANY4=$b AC_ANY6=$c ;;
        cross)
            ac_addr_ok 4 "$a"; ac_addr_ok 6 "$b"
            [[ $b == */96 ]] || ac_die "$AC_TOPO:$AC_LN: cross needs a /96"
            AC_CROSS4=$a AC_CROSSP=$b ;;
        client|server)
            ac_name_ok "$a"
            [[ " $AC_ROUTERS " == *" $b "* ]] \
                || ac_die "$AC_TOPO:$AC_LN: unknown router \"$b\""
            ac_addr_ok 4 "$c"; ac_addr_ok 6 "$d"
            seen=" $AC_ROUTERS $AC_CLIENTS $AC_SERVERS "
            [[ $seen != *" $a "* ]] || ac_die "$AC_TOPO:$AC_LN: duplicate" \
                "name $a"
            ac_set "AC_RT_$a" "$b"; ac_set "AC_IP4_$a" "$c"
            ac_set "AC_IP6_$a" "$d"; ac_set "AC_MAC_$a" "$(ac_mac $n)"
            n=$((n + 1))
            ac_set "AC_WEIGHT_$a" 100; ac_set "AC_STATIC_$a" no
            # shellcheck disable=SC2086 # the options are words
            set -- $e $rest
            while [ $# -gt 0 ]; do
                case $1 in
                weight) if ! [[ ${2:-} =~ ^[0-9]+$ ]] || [ "$2" -gt 256 ]
                        then
                            ac_die "$AC_TOPO:$AC_LN: weight 0..256"
                        fi
                        ac_set "AC_WEIGHT_$a" "$2"; shift 2 ;;
                static) ac_set "AC_STATIC_$a" yes; shift ;;
                *) ac_die "$AC_TOPO:$AC_LN: unknown \"$1\" (valid: weight" \
                          "N, static)" ;;
                esac
            done
            if [ "$kw" = client ]; then
                AC_CLIENTS="$AC_CLIENTS $a"
            else
                AC_SERVERS="$AC_SERVERS $a"
            fi ;;
        option)
            [[ ${b:-} =~ ^[0-9]+$ ]] || ac_die "$AC_TOPO:$AC_LN: option" \
                "$a needs a number"
            case $a in
            dead-after) AC_DEAD=$b ;;
            interval) AC_INTERVAL=$b ;;
            batch) AC_BATCH=$b ;;
            *) ac_die "$AC_TOPO:$AC_LN: unknown option \"$a\" (valid:" \
                      "dead-after interval batch)" ;;
            esac ;;
        *) ac_die "$AC_TOPO:$AC_LN: unknown statement \"$kw\" (valid:" \
                  "router link anycast cross client server option)" ;;
        esac
    done < "$AC_TOPO"
    [ -n "$AC_ROUTER" ] || ac_die "$AC_TOPO: no anycast line"
    [ -n "$AC_SERVERS" ] || ac_die "$AC_TOPO: no server"
    # One L2 segment: behind another router, a server's replies to a
    # client there would be switched straight to it, past the steering.
    local r h hc hs
    for r in $AC_ROUTERS; do
        [ "$r" != "$AC_ROUTER" ] || continue
        hc=no hs=no
        for h in $AC_CLIENTS; do
            [ "$(ac_var "AC_RT_$h")" != "$r" ] || hc=yes
        done
        for h in $AC_SERVERS; do
            [ "$(ac_var "AC_RT_$h")" != "$r" ] || hs=yes
        done
        [ "$hc$hs" != yesyes ] || ac_die "$AC_TOPO: router $r has both" \
            "clients and servers (allowed only on the anycast router" \
            "$AC_ROUTER: the others switch, replies would bypass it)"
    done
}

ac_addr() { local v; v=$(ac_var "AC_IP$1_$2"); printf '%s' "${v%/*}"; }

# The port of the anycast router toward host H.
ac_port_toward() {
    local h=$1 r l
    r=$(ac_var "AC_RT_$h")
    if [ "$r" = "$AC_ROUTER" ]; then
        echo "$AC_PFX-$h"; return
    fi
    for l in ${AC_LINKLIST:-}; do
        if [ "$l" = "$AC_ROUTER:$r" ] || [ "$l" = "$r:$AC_ROUTER" ]; then
            echo "$AC_PFX-$r"; return
        fi
    done
    ac_die "server $h: router $r is not linked to the anycast router"
}

ac_host() {
    local h=$1 r ns
    r=$(ac_var "AC_RT_$h")
    ns=$AC_PFX-$h
    ac_set "AC_NS_$h" "$ns"
    lab_netns "$ns"
    lab_veth "$AC_PFX-$r" "$AC_PFX-$h" "$ns" eth0
    lab_in "$AC_PFX-$r" sysctl -qw "net.ipv6.conf.$AC_PFX-$h.disable_ipv6=1"
    lab_in "$ns" ip link set eth0 address "$(ac_var "AC_MAC_$h")"
    lab_in "$ns" sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
    lab_in "$ns" ip addr add "$(ac_var "AC_IP4_$h")" dev eth0
    lab_in "$ns" ip -6 addr add "$(ac_var "AC_IP6_$h")" dev eth0 nodad
    # ICMP errors are part of what the lab checks: no rate limit.
    lab_in "$ns" sysctl -qw net.ipv4.icmp_ratelimit=0
    lab_in "$ns" sysctl -qw net.ipv6.icmp.ratelimit=0
    lab_ovs "$r" ovs-vsctl --timeout=30 add-port "$AC_PFX-$r" "$AC_PFX-$h"
}

# Permanent neighbour entries everywhere: no ARP/ND, so a client's capture
# holds only the traffic under test, and servers never reveal themselves.
ac_neighbours() {
    local h o r m
    for h in $AC_CLIENTS $AC_SERVERS; do
        for o in $AC_CLIENTS $AC_SERVERS; do
            [ "$o" != "$h" ] || continue
            m=$(ac_var "AC_MAC_$o")
            lab_in "$AC_PFX-$h" ip neigh replace "$(ac_addr 4 "$o")" lladdr "$m" \
                dev eth0 nud permanent
            lab_in "$AC_PFX-$h" ip -6 neigh replace "$(ac_addr 6 "$o")" \
                lladdr "$m" dev eth0 nud permanent
        done
        for r in $AC_ROUTERS; do
            m=$(lab_in "$AC_PFX-$r" cat "/sys/class/net/$AC_PFX-$r/address")
            lab_in "$AC_PFX-$h" ip neigh replace "$(ac_addr 4 "$r")" lladdr "$m" \
                dev eth0 nud permanent
            lab_in "$AC_PFX-$h" ip -6 neigh replace "$(ac_addr 6 "$r")" \
                lladdr "$m" dev eth0 nud permanent
        done
    done
    for h in $AC_CLIENTS; do
        [ -z "$AC_CROSS4" ] || lab_in "$AC_PFX-$h" ip neigh replace \
            "$AC_CROSS4" lladdr "$AC_VMAC" dev eth0 nud permanent
        lab_in "$AC_PFX-$h" ip neigh replace "$AC_ANY4" lladdr "$AC_VMAC" \
            dev eth0 nud permanent
        lab_in "$AC_PFX-$h" ip -6 neigh replace "$AC_ANY6" lladdr "$AC_VMAC" \
            dev eth0 nud permanent
    done
}

ac_agent_config() {
    local s
    {
        echo "# generated by anycast-lab.sh from $AC_TOPO"
        echo "bridge $AC_PFX-$AC_ROUTER"
        echo "dead-after $AC_DEAD"
        echo "batch $AC_BATCH"
        echo "anycast $AC_ANY4"
        echo "anycast $AC_ANY6"
        echo "agent $(ac_addr 4 "$AC_ROUTER")"
        echo "agent $(ac_addr 6 "$AC_ROUTER")"
        echo "mac $AC_VMAC"
        [ -z "$AC_CROSS4" ] || echo "cross $AC_CROSS4 $AC_CROSSP"
        echo "control $AC_CTL"
        for s in $AC_SERVERS; do
            printf 'server %s %s,%s port %s mac %s weight %s%s\n' "$s" \
                "$(ac_addr 4 "$s")" "$(ac_addr 6 "$s")" \
                "$(ac_port_toward "$s")" "$(ac_var "AC_MAC_$s")" \
                "$(ac_var "AC_WEIGHT_$s")" \
                "$([ "$(ac_var "AC_STATIC_$s")" = yes ] && echo ' static')"
        done
    } > "$AC_CONF"
}

# ac_reporter S: (re)starts S's reporter; its pid in AC_RPID_S.
ac_reporter() {
    local s=$1 pid
    pid=$(LAB_BG_LOG="$LAB_DIR/report-$s.log" lab_bg "$AC_PFX-$s" \
          "$AC_BIN/ovs-anycast-report" --agent "$(ac_addr 4 "$AC_ROUTER")" \
          --interval "$AC_INTERVAL" --file "$LAB_DIR/report-$s")
    ac_set "AC_RPID_$s" "$pid"
}

ac_status() {
    lab_in "$AC_PFX-$AC_ROUTER" "$AC_BIN/ovs-anycast-agent" --control "$AC_CTL" \
        status
}

aclab_build() {
    local r a b s l
    AC_TOPO=$1
    [ -r "$AC_TOPO" ] || ac_die "cannot read topology $AC_TOPO"
    [ -x "$AC_BIN/ovs-anycast-agent" ] \
        || ac_die "no $AC_BIN/ovs-anycast-agent (run make)"
    ac_parse
    AC_CTL=$LAB_DIR/agent.ctl
    AC_CONF=$LAB_DIR/agent.conf
    AC_AGENT_LOG=$LAB_DIR/agent.log
    for r in $AC_ROUTERS; do
        lab_netns "$AC_PFX-$r"
        lab_ovs_start "$r" "$AC_PFX-$r"
        lab_ovs "$r" ovs-vsctl --timeout=30 add-br "$AC_PFX-$r" \
            -- set bridge "$AC_PFX-$r" datapath_type=netdev fail-mode=secure
        lab_in "$AC_PFX-$r" ip link set "$AC_PFX-$r" up
        lab_in "$AC_PFX-$r" ip addr add "$(ac_var "AC_IP4_$r")" dev "$AC_PFX-$r"
        lab_in "$AC_PFX-$r" ip -6 addr add "$(ac_var "AC_IP6_$r")" \
            dev "$AC_PFX-$r" nodad
        [ "$r" = "$AC_ROUTER" ] || lab_ovs "$r" ovs-ofctl add-flow "$AC_PFX-$r" \
            actions=NORMAL
    done
    for l in ${AC_LINKLIST:-}; do
        a=${l%:*} b=${l#*:}
        lab_veth "$AC_PFX-$a" "$AC_PFX-$b" "$AC_PFX-$b" "$AC_PFX-$a"
        lab_ovs "$a" ovs-vsctl --timeout=30 add-port "$AC_PFX-$a" "$AC_PFX-$b"
        lab_ovs "$b" ovs-vsctl --timeout=30 add-port "$AC_PFX-$b" "$AC_PFX-$a"
    done
    for s in $AC_CLIENTS $AC_SERVERS; do
        ac_host "$s"
    done
    ac_neighbours
    if [ -n "$AC_CROSS4" ]; then
        for s in $AC_SERVERS; do
            lab_in "$AC_PFX-$s" ip -6 route add "$AC_CROSSP" \
                via "$(ac_addr 6 "$AC_ROUTER")"
        done
    fi
    ac_agent_config
    for t in /proc/"$(cat "$LAB_DIR/ovs-$AC_ROUTER/ovs-vswitchd.pid")"/task/*
    do
        renice -n "$AC_NICE" -p "${t##*/}" >/dev/null
    done
    LAB_BG_LOG=$AC_AGENT_LOG lab_bg "$AC_PFX-$AC_ROUTER" nice -n "$AC_NICE" \
        "$LAB_OVS_ENV" --dir "$LAB_DIR/ovs-$AC_ROUTER" \
        "$AC_BIN/ovs-anycast-agent" --config "$AC_CONF" >/dev/null
    lab_wait 100 test -S "$AC_CTL" || { cat "$AC_AGENT_LOG" >&2;
                                        ac_die "the agent did not start"; }
    for s in $AC_SERVERS; do
        ac_set "AC_ACCEPTS_$s" "$LAB_DIR/accepts-$s"
        LAB_BG_LOG="$LAB_DIR/svc-$s.log" lab_bg "$AC_PFX-$s" python3 "$AC_SVC" \
            serve "$s" --log "$LAB_DIR/accepts-$s" >/dev/null
        LAB_BG_LOG="$LAB_DIR/iperf3-$s.log" lab_bg "$AC_PFX-$s" iperf3 -s \
            >/dev/null
        if [ "$(ac_var "AC_STATIC_$s")" = no ]; then
            echo "weight:$(ac_var "AC_WEIGHT_$s") up" > "$LAB_DIR/report-$s"
            ac_set "AC_REPORT_$s" "$LAB_DIR/report-$s"
            ac_reporter "$s"
        fi
    done
    for s in $AC_SERVERS; do
        lab_wait 50 lab_in "$AC_PFX-$s" python3 -c "import socket; \
socket.create_connection(('127.0.0.1', 80), 1)" \
            || ac_die "the service on $s did not start"
    done
}
