# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# failover-lab.sh: the failover topology in network namespaces (prefix
# nfo), shared by tests/failover/run and utilities/failover/bench-failover.
# Sourced after utilities/lib/netns-lab.sh; call lab_init first.
#
#   nfo-c<i>  tenant i's client: eth0 192.168.0.10/24 (MTU 1400)
#     | lan
#   nfo-b<i>  tenant i's box (ovs-vswitchd): br-lan (lan, fo-gw-a, fo-gw-b,
#     |       BFD, fast_failover group); br-a and br-b each hold one
#     |       underlay port and the box's tunnel address 10.0.0.(10+i)
#   nfo-pa / nfo-pb   underlay paths A and B: a Linux bridge each
#     |
#   nfo-ga / nfo-gb   gw-a (10.0.0.1 on path A) and gw-b (10.0.0.2 on B),
#     |       each its own ovs-vswitchd, configured by ovs-l2mt from the
#     |       same table; br-cl holds the in-cloud address 10.9.0.1 / .2
#   nfo-cn    the in-cloud network: a Linux bridge
#     |
#   nfo-s     the service host (10.9.0.100 on cl): the relay is its
#             kernel, one learning VXLAN device vnet(2i-2) per tenant
#             port, where the servers see tenant i as
#             fe80::c0a8:a%vnet(2i-2) whichever gateway carries it
#
# The box's tunnel address is one address on both paths, so one tenant
# table (remote_ip 10.0.0.11) serves both gateways.  OVS 3.1 takes a
# tunnel's source address from the output bridge, among its addresses
# whose prefix covers the destination; the box therefore has 10.0.0.11/24
# on br-a and on br-b, and host routes pick the path per gateway.

# shellcheck disable=SC2034  # FO_* are used by the scripts sourcing us.
FO_SRCDIR=${NAT64_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." \
                            && pwd)}
FO_TOOL=$FO_SRCDIR/utilities/failover/ovs-l2mt-failover
FO_PROBE=$FO_SRCDIR/utilities/failover/fo-probe
FO_MTU=1600
FO_SERVER=192.168.0.100

fo_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
fo_log() { echo "${FO_LOG_PREFIX:-failover}: $*" >&2; }
fo_client_mac() { printf '02:4e:46:%02x:00:0a' "$1"; }
fo_vnet() { echo "vnet$((2 * $1 - 2))"; }

# OVS owns it: no kernel IPv6 and no kernel ARP replies through it.
fo_quiet_if() {
    fo_in "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" \
        "net.ipv4.conf.$2.arp_ignore=8"
}

# A Linux bridge namespace standing for a network (path A, B, the cloud).
fo_net() {
    lab_netns "$1"
    fo_in "$1" ip link add net type bridge
    fo_in "$1" ip link set net mtu "$FO_MTU" up
    fo_in "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1
}

# fo_attach NS IF NET PORT: veth IF in NS <-> PORT on NET's bridge.
fo_attach() {
    local ns=$1 ifc=$2 net=$3 port=$4
    lab_veth "$ns" "$ifc" "$net" "$port"
    fo_in "$net" ip link set "$port" mtu "$FO_MTU" master net
    fo_in "$ns" ip link set "$ifc" mtu "$FO_MTU"
    fo_quiet_if "$ns" "$ifc"
}

# fo_phy NS BRIDGE PORT ADDR/LEN: an OVS bridge holding underlay PORT with
# ADDR on its internal port (native tunneling).
fo_phy() {
    local ns=$1 br=$2 port=$3 addr=$4
    lab_ovs "$ns" ovs-vsctl --timeout=30 add-br "$br" \
        -- set bridge "$br" datapath_type=netdev -- add-port "$br" "$port"
    fo_in "$ns" sysctl -qw "net.ipv6.conf.$br.disable_ipv6=1"
    fo_in "$ns" ip addr add "$addr" dev "$br"
    fo_in "$ns" ip link set "$br" mtu "$FO_MTU" up
}

fo_gateway_up() {
    local ns=$1 ul=$2 cl=$3 path=$4
    lab_netns "$ns"
    fo_attach "$ns" ul "$path" "$ns"
    fo_attach "$ns" cl nfo-cn "$ns"
    lab_ovs_start "$ns" "$ns"
    fo_phy "$ns" br-ul ul "$ul/24"
    fo_phy "$ns" br-cl cl "$cl/24"
}

fo_box_up() {
    local i=$1 box=nfo-b$1 cl=nfo-c$1 ip=10.0.0.$((10 + $1))
    lab_netns "$box"
    lab_netns "$cl"
    fo_attach "$box" ula nfo-pa "b$i"
    fo_attach "$box" ulb nfo-pb "b$i"
    lab_veth "$box" lan "$cl" eth0
    fo_quiet_if "$box" lan
    fo_in "$cl" ip link set eth0 address "$(fo_client_mac "$i")" mtu 1400
    fo_in "$cl" ip addr add 192.168.0.10/24 dev eth0
    fo_in "$cl" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
    lab_ovs_start "$box" "$box"
    fo_phy "$box" br-a ula "$ip/24"
    fo_phy "$box" br-b ulb "$ip/24"
    fo_in "$box" ip route add 10.0.0.1/32 dev br-a
    fo_in "$box" ip route add 10.0.0.2/32 dev br-b
}

# Tenant i's interface on the service host (made by the tool's service
# command, a VXLAN device): the service's link-local address on it, and
# no TX checksum offload (TCP through OVS's AF_PACKET ports needs that).
fo_service_port() {
    local ifc
    ifc=$(fo_vnet "$1")
    fo_in nfo-s ethtool -K "$ifc" tx off >/dev/null
    lab_addr6_ll nfo-s "$ifc" fe80::c0a8:64
}

# fo_write_config N: the tenant table for tenants 1..N and the gateway
# list, in $LAB_DIR.
fo_write_config() {
    local n=$1 i
    FO_TABLE=$LAB_DIR/tenants
    FO_GATEWAYS=$LAB_DIR/gateways
    {
        echo "# name key remote_ip v4_port v6_port"
        for i in $(seq 1 "$n"); do
            echo "tenant$i $i 10.0.0.$((10 + i)) $(fo_vnet "$i") -"
        done
    } > "$FO_TABLE"
    cat > "$FO_GATEWAYS" <<EOF
# gateway NAME UNDERLAY_IP CLOUD_IP, in order of preference
gateway gw-a 10.0.0.1 10.9.0.1
gateway gw-b 10.0.0.2 10.9.0.2
service 10.9.0.100
EOF
}

# fo_topo_up N TOOL_OPTION...: the whole lab, tenants 1..N, configured by
# the tool with its options (e.g. -A 600).
fo_topo_up() {
    local n=$1 i
    shift
    fo_write_config "$n"
    fo_net nfo-pa
    fo_net nfo-pb
    fo_net nfo-cn
    fo_gateway_up nfo-ga 10.0.0.1 10.9.0.1 nfo-pa
    fo_gateway_up nfo-gb 10.0.0.2 10.9.0.2 nfo-pb
    lab_netns nfo-s
    lab_veth nfo-s cl nfo-cn s
    fo_in nfo-cn ip link set s mtu "$FO_MTU" master net
    fo_in nfo-s ip link set cl mtu "$FO_MTU"
    fo_in nfo-s ip addr add 10.9.0.100/24 dev cl
    for i in $(seq 1 "$n"); do
        fo_box_up "$i"
    done
    lab_ovs nfo-ga "$FO_TOOL" "$@" gateway "$FO_TABLE" "$FO_GATEWAYS" gw-a
    lab_ovs nfo-gb "$FO_TOOL" "$@" gateway "$FO_TABLE" "$FO_GATEWAYS" gw-b
    fo_in nfo-s "$FO_TOOL" "$@" service "$FO_TABLE" "$FO_GATEWAYS"
    for i in $(seq 1 "$n"); do
        fo_service_port "$i"
    done
    for i in $(seq 1 "$n"); do
        lab_ovs "nfo-b$i" "$FO_TOOL" "$@" --wait=20 box "$FO_TABLE" \
            "$FO_GATEWAYS" "tenant$i"
    done
    fo_log "lab up: $n tenant(s), gw-a and gw-b"
}

# --- servers on the service host ----------------------------------------

# Starts iperf3 -s, the UDP echo probe and httpd (serving $LAB_DIR/www)
# in nfo-s.
fo_servers_up() {
    local h=$LAB_DIR/httpd m=/usr/lib/apache2/modules n
    lab_bg nfo-s iperf3 -s >/dev/null
    lab_bg nfo-s "$FO_PROBE" echo >/dev/null
    mkdir -p "$h" "$LAB_DIR/www"
    chmod 755 "$LAB_DIR" "$h" "$LAB_DIR/www"
    cat > "$h/httpd.conf" <<EOF
ServerRoot "$h"
ServerName nfo-s
PidFile "$h/httpd.pid"
Mutex file:$h
Listen [::]:80
User www-data
Group www-data
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
ErrorLog "$h/error.log"
DocumentRoot "$LAB_DIR/www"
EnableSendfile Off
<Directory />
    Require all granted
</Directory>
EOF
    apache2 -t -f "$h/httpd.conf" >/dev/null 2>&1 \
        || { apache2 -t -f "$h/httpd.conf"; return 1; }
    lab_bg nfo-s apache2 -f "$h/httpd.conf" -DFOREGROUND >/dev/null
    for n in $(seq 100); do
        fo_in nfo-s curl -s -o /dev/null "http://[::1]/" 2>/dev/null \
            && return 0
        sleep 0.1
    done
    fo_log "httpd did not start:"
    cat "$h/error.log" >&2
    return 1
}

# Waits until tenant i's client reaches the service host (ARP through the
# tunnel, tunnel ARP on every hop).  Readiness, not an assertion.
fo_wait_tenant() {
    local i=$1 n
    for n in $(seq 50); do
        fo_in "nfo-c$i" ping -c1 -W1 "$FO_SERVER" >/dev/null 2>&1 \
            && return 0
        sleep 0.2
    done
    return 1
}

# The gateway that carries tenant i now, as the box's tool reports it.
fo_carrier() {
    lab_ovs "nfo-b$1" "$FO_TOOL" status 2>/dev/null \
        | awk '$4 == "yes" {print $1}'
}

# Kills gw NS's ovs-vswitchd with SIGKILL (a crash: no goodbye packets).
fo_kill_gateway() {
    local d=$LAB_DIR/ovs-$1
    kill -9 "$(cat "$d/ovs-vswitchd.pid")"
}

# Brings gateway gw-a or gw-b back (database and config kept).  Its
# bridges' internal ports are tap devices that died with the process, so
# their addresses are put back.
fo_restart_gateway() {
    local ns=$1 ul cl n
    case $ns in
        nfo-ga) ul=10.0.0.1 cl=10.9.0.1 ;;
        nfo-gb) ul=10.0.0.2 cl=10.9.0.2 ;;
    esac
    lab_ovs_restart "$ns"
    for n in $(seq 50); do
        fo_in "$ns" ip link show br-cl >/dev/null 2>&1 \
            && fo_in "$ns" ip link show br-ul >/dev/null 2>&1 && break
        sleep 0.1
    done
    fo_in "$ns" ip addr replace "$ul/24" dev br-ul
    fo_in "$ns" ip addr replace "$cl/24" dev br-cl
    fo_in "$ns" ip link set br-ul mtu "$FO_MTU" up
    fo_in "$ns" ip link set br-cl mtu "$FO_MTU" up
}

# Path cut by an nftables rule on the path's bridge (bridge family: the
# frames are switched, not routed).  fo_cut NET [MATCH] / fo_uncut NET.
fo_cut() {
    local net=$1 match=${2:-}
    fo_in "$net" nft -f - <<EOF
table bridge nfo_cut {
    chain forward {
        type filter hook forward priority 0; policy accept;
        $match drop
    }
}
EOF
}

fo_uncut() {
    fo_in "$1" nft delete table bridge nfo_cut 2>/dev/null || true
}

# TCP resets counted by the kernel of namespace NS (sent + received on
# established connections).
fo_resets() {
    fo_in "$1" nstat -asz TcpOutRsts TcpEstabResets 2>/dev/null \
        | awk '/^Tcp/ {s += $2} END {print s + 0}'
}
