# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# Multi-tenant topology in network namespaces, shared by the demo
# (utilities/ovs-nat64-demo), the tests (tests/tenants/run) and the
# benchmark (utilities/bench-tenants).  Sourced (bash) after netns-lab.sh;
# call lab_init first.
#
#   nmtc<i>  tenant i's client: eth0 = 192.168.0.10/24 and fe80::c0a8:a
#     |  lan
#   nmtb<i>  tenant i's box: its own ovs-vswitchd; br-lan joins lan and a
#     |      GRE port (key i, remote 10.0.0.1); br-ul holds the underlay
#     |  ul  port, 10.0.0.(10+i) on its internal port (native tunneling)
#   nmtu     underlay: a Linux bridge 'ul' (MTU 1600: GRE adds 38 bytes)
#     |  ul
#   nmtg     gateway: ovs-vswitchd; br-ul (10.0.0.1) and br0, set up by
#     |      ovs-l2mt from $L2MT_TABLE: gre<i>, vnet(2i-2), vnet(2i-1)
#   nmts     service host: em(2i-2) gets tenant i's IPv4 translated to IPv6,
#            em(2i-1) its native IPv6; all hold fe80::c0a8:64; one httpd
#
# Why one ovs-vswitchd per site: a tenant box is a separate host with its
# own underlay address, routing table and ARP cache.  OVS native tunneling
# takes the tunnel route and source from the namespace ovs-vswitchd runs
# in, so boxes sharing one instance would share one underlay interface and
# the gateway could not tell their remotes apart (the isolation tests send
# GRE with another tenant's key from a box's own address).  An idle
# userspace ovs-vswitchd with AF_PACKET ports costs little CPU.

# shellcheck disable=SC2034  # L2MT_* are used by the scripts sourcing us.
L2MT_SRCDIR=${NAT64_SRCDIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." \
                              && pwd)}
L2MT_TOOL=$L2MT_SRCDIR/utilities/ovs-l2mt
L2MT_GW_IP=10.0.0.1
# The namespaces' prefix (nmt: the tenants stage, the demo, the benchmarks;
# another lab that runs at the same time takes its own).
L2MT_NS=${L2MT_NS:-nmt}
L2MT_UL_MTU=1600
L2MT_SITES=()
# Fast by default: userspace TSO in every switch, the veths' offloads on
# (utilities/lib/netns-lab.sh); LAB_TSO=off (the demo's and
# bench-tenants' --offload-off) for the per-packet setup.
: "${LAB_TSO:=on}"

l2mt_log() { echo "${L2MT_LOG_PREFIX:-lab}: $*" >&2; }

# Runs CMD inside namespace NS.
l2mt_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

l2mt_client_mac() { printf '02:4e:4d:%02x:00:0a' "$1"; }
l2mt_box_ip() { echo "10.0.0.$((10 + $1))"; }
l2mt_v4_if() { echo "em$((2 * $1 - 2))"; }
l2mt_v6_if() { echo "em$((2 * $1 - 1))"; }
l2mt_vnet_v4() { echo "vnet$((2 * $1 - 2))"; }
l2mt_vnet_v6() { echo "vnet$((2 * $1 - 1))"; }

# An interface that OVS owns: no kernel IPv6 on it (no RS, MLD noise), and
# no kernel ARP replies through it.  Linux answers ARP for any of its
# addresses on any interface, so the namespace's kernel would answer for
# the tunnel endpoint on br-ul also through the underlay port ul, with ul's
# MAC; a peer that caches that MAC sends GRE that OVS does not pop.
l2mt_quiet_if() {
    l2mt_in "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" \
        "net.ipv4.conf.$2.arp_ignore=8"
}

# The service host's side of a tenant port: the tenant's LAN must not
# configure it.  No Router Advertisements (no address, route, MTU or
# prefix from a tenant), no autoconfiguration, no Redirects, no router
# solicitations of its own.  The gateway drops RAs and Redirects from
# tenants too; this is the second layer, for a gateway that does not.
L2MT_SERVICE_SYSCTLS="accept_ra=0 autoconf=0 accept_redirects=0 \
router_solicitations=0 accept_source_route=0"
l2mt_service_if() {
    local ns=$1 ifc=$2 kv
    for kv in $L2MT_SERVICE_SYSCTLS; do
        l2mt_in "$ns" sysctl -qw "net.ipv6.conf.$ifc.$kv"
    done
}

# The service host's neighbour table is the machine's (its limits are
# global, across namespaces): each tenant interface may bring at most
# $L2MT_NEIGH_CAP sources into it (utilities/fairness/l2mt-neigh-cap;
# new sources beyond the cap are dropped, counted, before neighbour
# discovery sees them).  L2MT_NEIGH_CAP=0: no cap.
L2MT_NEIGH_CAP=${L2MT_NEIGH_CAP:-64}
L2MT_NEIGH_CAP_TOOL=$L2MT_SRCDIR/utilities/fairness/l2mt-neigh-cap
l2mt_service_cap() {
    local ns=$1
    shift
    [ "$L2MT_NEIGH_CAP" -gt 0 ] || return 0
    l2mt_in "$ns" "$L2MT_NEIGH_CAP_TOOL" --cap="$L2MT_NEIGH_CAP" add "$@"
}

# Ensures OVS instance NAME (in namespace NAME) has bridge br-ul holding
# underlay port ul and IP/24 on its internal port, for native tunneling.
l2mt_underlay_bridge() {
    local name=$1 ip=$2
    l2mt_quiet_if "$name" ul
    lab_ovs "$name" ovs-vsctl --timeout=30 \
        add-br br-ul -- set bridge br-ul datapath_type=netdev \
        -- add-port br-ul ul
    l2mt_in "$name" ip addr add "$ip/24" dev br-ul
    l2mt_in "$name" ip link set br-ul up
}

# Pins the MAC of site NS's tunnel endpoint (its br-ul) to underlay bridge
# port PORT, as a cloud fabric's port security would: no MAC learning, no
# flooding of unknown unicast.  Without it, one box sending a frame with
# another's source MAC moves that MAC to its own port and receives the
# other's tunnel traffic; and an aged-out entry floods it to every box.
l2mt_underlay_pin() {
    l2mt_underlay_pin_mac "$(l2mt_in "$1" cat /sys/class/net/br-ul/address)" \
        "$2"
}
l2mt_underlay_pin_mac() {
    local mac=$1 port=$2
    l2mt_in "${L2MT_NS}u" bridge link set dev "$port" learning off flood off
    l2mt_in "${L2MT_NS}u" bridge fdb replace "$mac" dev "$port" master static
}

# The parts every tenant shares: underlay, gateway, service host.
l2mt_core_up() {
    if l2mt_wg_on; then l2mt_wg_core_up; return; fi
    L2MT_TABLE=$LAB_DIR/tenants
    : > "$L2MT_TABLE"
    lab_netns "${L2MT_NS}u"
    l2mt_in "${L2MT_NS}u" ip link add ul type bridge
    l2mt_in "${L2MT_NS}u" ip link set ul mtu "$L2MT_UL_MTU" up
    l2mt_in "${L2MT_NS}u" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

    lab_netns "${L2MT_NS}g"
    lab_veth "${L2MT_NS}g" ul "${L2MT_NS}u" g
    l2mt_in "${L2MT_NS}u" ip link set g mtu "$L2MT_UL_MTU" master ul
    l2mt_in "${L2MT_NS}g" ip link set ul mtu "$L2MT_UL_MTU"
    lab_ovs_start "${L2MT_NS}g" "${L2MT_NS}g"
    l2mt_underlay_bridge "${L2MT_NS}g" "$L2MT_GW_IP"
    l2mt_underlay_pin "${L2MT_NS}g" g

    lab_netns "${L2MT_NS}s"
    # Interfaces created (or moved) here later start with these.
    l2mt_service_if "${L2MT_NS}s" default
    l2mt_service_if "${L2MT_NS}s" all
    l2mt_log "underlay, gateway and service host up"
}

# Tenant site I: client, box with its OVS, and its two service ports.
l2mt_site_up() {
    l2mt_site_box_up "$1"
    l2mt_site_ports_up "$1"
}

# Tenant I's client CL behind box BOX: the LAN veth, the client's MAC and
# its addresses (192.168.0.10 on every tenant's LAN, and its link-local).
l2mt_client_up() {
    local i=$1 box=$2 cl=$3
    lab_veth "$box" lan "$cl" eth0
    l2mt_quiet_if "$box" lan
    l2mt_in "$cl" ip link set eth0 address "$(l2mt_client_mac "$i")"
    l2mt_in "$cl" ip addr add 192.168.0.10/24 dev eth0
    lab_addr6_ll "$cl" eth0 fe80::c0a8:a
}

# Box BOX's br-lan: the client's LAN port and GRE key I toward REMOTE,
# each forwarded to the other.
l2mt_box_lan_up() {
    local i=$1 box=$2 remote=$3
    lab_ovs "$box" ovs-vsctl --timeout=30 \
        add-br br-lan -- set bridge br-lan datapath_type=netdev \
                            fail_mode=secure \
        -- add-port br-lan lan \
        -- add-port br-lan gre -- set interface gre type=gre \
           options:remote_ip="$remote" options:key="$i"
    printf '%s\n' "in_port=lan,actions=output:gre" \
                  "in_port=gre,actions=output:lan" \
        | lab_ovs "$box" ovs-ofctl add-flows br-lan -
}

# Tenant I's client and box (its GRE toward the gateway), no service ports.
l2mt_site_box_up() {
    local i=$1 box=${L2MT_NS}b$1 cl=${L2MT_NS}c$1
    if l2mt_wg_on; then l2mt_wg_site_box_up "$i"; return; fi

    lab_netns "$box"
    lab_netns "$cl"
    lab_veth "$box" ul "${L2MT_NS}u" "b$i"
    l2mt_in "${L2MT_NS}u" ip link set "b$i" mtu "$L2MT_UL_MTU" master ul
    l2mt_in "$box" ip link set ul mtu "$L2MT_UL_MTU"
    l2mt_client_up "$i" "$box" "$cl"

    lab_ovs_start "$box" "$box"
    l2mt_underlay_bridge "$box" "$(l2mt_box_ip "$i")"
    l2mt_underlay_pin "$box" "b$i"
    l2mt_box_lan_up "$i" "$box" "$L2MT_GW_IP"
}

# Tenant I's service ports: veth gateway vnetK <-> service host emK.
l2mt_site_ports_up() {
    local i=$1 v4 v6
    v4=$(l2mt_v4_if "$i") v6=$(l2mt_v6_if "$i")
    lab_veth "${L2MT_NS}g" "$(l2mt_vnet_v4 "$i")" "${L2MT_NS}s" "$v4"
    lab_veth "${L2MT_NS}g" "$(l2mt_vnet_v6 "$i")" "${L2MT_NS}s" "$v6"
    l2mt_quiet_if "${L2MT_NS}g" "$(l2mt_vnet_v4 "$i")"
    l2mt_quiet_if "${L2MT_NS}g" "$(l2mt_vnet_v6 "$i")"
    l2mt_service_if "${L2MT_NS}s" "$v4"
    l2mt_service_if "${L2MT_NS}s" "$v6"
    l2mt_service_cap "${L2MT_NS}s" "$v4" "$v6"
    lab_addr6_ll "${L2MT_NS}s" "$v4" fe80::c0a8:64
    lab_addr6_ll "${L2MT_NS}s" "$v6" fe80::c0a8:64
    L2MT_SITES+=("$i")
    l2mt_log "site $i up (service $v4 $v6)"
}

# Tenant I's line of the tenant table.
l2mt_table_line() {
    if l2mt_wg_on; then l2mt_wg_table_line "$1"; return; fi
    printf 'tenant%s %s %s %s %s\n' "$1" "$1" "$(l2mt_box_ip "$1")" \
        "$(l2mt_vnet_v4 "$1")" "$(l2mt_vnet_v6 "$1")"
}

# Writes the table for sites 1..N and applies it on the gateway.
l2mt_gateway_apply() {
    local i
    {
        echo "# name key remote_ip v4_port v6_port"
        for i in "${L2MT_SITES[@]}"; do l2mt_table_line "$i"; done
    } > "$L2MT_TABLE"
    lab_ovs "${L2MT_NS}g" "$L2MT_TOOL" "$@" "${L2MT_WG_OPTS[@]}" apply \
        "$L2MT_TABLE"
}

# N sites, gateway configured.
l2mt_topo_up() {
    local n=$1 i
    shift
    l2mt_core_up
    for i in $(seq 1 "$n"); do l2mt_site_up "$i"; done
    l2mt_gateway_apply "$@"
}

# --- httpd on the service host ------------------------------------------

# Finds mod_remote_if.so ($L2MT_HTTPD_MODULE, or where 'make httpd-module'
# builds it); prints nothing if it is not built.
l2mt_httpd_module() {
    local f b=${NAT64_BUILDDIR:-$L2MT_SRCDIR}/apache-patches
    for f in "${L2MT_HTTPD_MODULE:-}" "$b/.libs/mod_remote_if.so" \
             "$b/mod_remote_if.so" \
             "$L2MT_SRCDIR/apache-patches/.libs/mod_remote_if.so"; do
        [ -n "$f" ] && [ -f "$f" ] && { echo "$f"; return 0; }
    done
    return 0
}

# Tenant I's page, an SSI page that names the interface from REMOTE_IF.
l2mt_httpd_tenant() {
    local i=$1 www=$LAB_DIR/httpd/www
    mkdir -p "$www/tenant$i"
    printf 'This is tenant %s on <!--#echo var="REMOTE_IF" -->.\n' "$i" \
        > "$www/tenant$i/index.shtml"
    # Rewritten atomically: mod_rewrite rereads the map when it changes.
    {
        cat "$LAB_DIR/httpd/tenants.map" 2>/dev/null
        echo "$(l2mt_v4_if "$i") tenant$i"
        echo "$(l2mt_v6_if "$i") tenant$i"
    } > "$LAB_DIR/httpd/tenants.map.new"
    mv "$LAB_DIR/httpd/tenants.map.new" "$LAB_DIR/httpd/tenants.map"
}

# Connections per tenant to the service host's port 80: a tenant is an
# interface (em*), so nftables' connection count keyed by the input
# interface limits each tenant without touching the others.
L2MT_HTTPD_CONNS_PER_TENANT=${L2MT_HTTPD_CONNS_PER_TENANT:-16}
l2mt_service_connlimit() {
    l2mt_in "${L2MT_NS}s" nft -f - <<EOF
table inet l2mt
delete table inet l2mt
table inet l2mt {
    set conns {
        type ifname
        flags dynamic
        size 4096
    }
    chain input {
        type filter hook input priority 0; policy accept;
        iifname "em*" tcp dport 80 ct state new \\
            add @conns { iifname ct count over $L2MT_HTTPD_CONNS_PER_TENANT } \\
            counter reject with tcp reset
    }
}
EOF
}

# Starts one httpd in ${L2MT_NS}s: Listen [::]:80, pages chosen by REMOTE_IF.
l2mt_httpd_up() {
    local h=$LAB_DIR/httpd mod i m=/usr/lib/apache2/modules remote_if
    mod=$(l2mt_httpd_module)
    if [ -n "$mod" ]; then
        remote_if="LoadModule remote_if_module $mod"
    else
        # Without the module: APR 1.7 prints the client address with its
        # zone (fe80::c0a8:a%em1), so mod_setenvif can cut it out.
        l2mt_log "mod_remote_if.so is not built (make httpd-module): \
REMOTE_IF from mod_setenvif instead"
        remote_if="LoadModule setenvif_module $m/mod_setenvif.so
SetEnvIf Remote_Addr \"%(.+)\$\" REMOTE_IF=\$1"
    fi
    mkdir -p "$h/www"
    chmod 755 "$LAB_DIR" "$h" "$h/www"
    : > "$h/tenants.map"
    for i in "${L2MT_SITES[@]}"; do l2mt_httpd_tenant "$i"; done
    cat > "$h/httpd.conf" <<EOF
# One httpd for every tenant: each tenant's traffic arrives on its own
# interface, and mod_remote_if puts that interface (the scope id of the
# client's link-local address) in REMOTE_IF.
ServerRoot "$h"
ServerName ${L2MT_NS}s
PidFile "$h/httpd.pid"
Mutex file:$h
Listen [::]:80
User www-data
Group www-data
LoadModule mpm_event_module $m/mod_mpm_event.so
LoadModule authz_core_module $m/mod_authz_core.so
LoadModule mime_module $m/mod_mime.so
LoadModule dir_module $m/mod_dir.so
LoadModule include_module $m/mod_include.so
LoadModule rewrite_module $m/mod_rewrite.so
LoadModule reqtimeout_module $m/mod_reqtimeout.so
LoadModule substitute_module $m/mod_substitute.so
$remote_if
ErrorLog "$h/error.log"
LogFormat "%a REMOTE_IF=%{REMOTE_IF}e \"%r\" %>s" tenant
CustomLog "$h/access.log" tenant

# Shared by hostile tenants (tutorials/httpd-remote-if.md, "What a shared
# httpd can guarantee"): a request that is slow to arrive is cut off
# (mod_reqtimeout: headers within 5 s, extended while at least 500
# bytes/s arrive, at most 10 s), idle keep-alive connections are closed
# soon, and there are threads for many more clients than one tenant may
# hold (the service host limits each interface, i.e. each tenant, to
# $L2MT_HTTPD_CONNS_PER_TENANT connections in nftables: httpd has no
# per-client limit of its own).
StartServers 1
ServerLimit 2
ThreadsPerChild 32
MaxRequestWorkers 64
Timeout 20
KeepAliveTimeout 3
RequestReadTimeout header=5-10,MinRate=500 body=10,MinRate=500
LimitRequestFields 50
LimitRequestBody 1048576
TraceEnable Off
ServerTokens Prod
ServerSignature Off

DocumentRoot "$h/www"
DirectoryIndex index.shtml
TypesConfig /dev/null
AddType text/html .shtml
<Directory />
    Options None
    AllowOverride None
    Require all denied
</Directory>
<Directory "$h/www">
    # A symbolic link in one tenant's tree is followed only if its owner
    # owns the target too: not into another tenant's tree.
    Options SymLinksIfOwnerMatch IncludesNOEXEC
    AllowOverride None
    Require all granted
    # Server-side includes for tenants' pages: only echo and the
    # conditionals.  mod_include cannot switch single elements off, so
    # every other element (printenv: the whole request environment;
    # include, exec, set, config, fsize, flastmod) is turned into a plain
    # comment before INCLUDES reads the page.
    <Files "*.shtml">
        SetOutputFilter SUBSTITUTE;INCLUDES
        Substitute "s/<!--#(?!\\s*(echo|if|elif|else|endif)\\b)/<!-- #/i"
    </Files>
</Directory>

# interface -> tenant; reread by mod_rewrite whenever the file changes, so
# tenants are added without restarting httpd.
RewriteEngine On
RewriteMap tenant "txt:$h/tenants.map"
# No zone (IPv4, loopback, a global address): no tenant, refused, or the
# request could read every tenant's pages.
RewriteCond %{ENV:REMOTE_IF} ^$
RewriteRule ^ - [F]
RewriteCond \${tenant:%{ENV:REMOTE_IF}|-} ^-$
RewriteRule ^ - [F]
RewriteRule ^/(.*)\$ $h/www/\${tenant:%{ENV:REMOTE_IF}}/\$1 [L]
EOF
    apache2 -t -f "$h/httpd.conf" >/dev/null 2>&1 \
        || { apache2 -t -f "$h/httpd.conf"; return 1; }
    l2mt_service_connlimit
    L2MT_HTTPD_PID=$(lab_bg "${L2MT_NS}s" apache2 -f "$h/httpd.conf" \
                     -DFOREGROUND)
    # Ready when it accepts a connection (the answer itself is a 403).
    for i in $(seq 100); do
        if l2mt_in "${L2MT_NS}s" curl -s -o /dev/null "http://[::1]/" \
               2>/dev/null; then
            return 0
        fi
        kill -0 "$L2MT_HTTPD_PID" 2>/dev/null || break
        sleep 0.1
    done
    l2mt_log "httpd did not start; $h/error.log:"
    cat "$h/error.log" >&2
    return 1
}

# Stops httpd by the pid it wrote (its children follow their parent).
l2mt_httpd_down() {
    local pid
    pid=$(cat "$LAB_DIR/httpd/httpd.pid" 2>/dev/null) || return 0
    kill -0 "$pid" 2>/dev/null || return 0
    kill "$pid"
    for _ in $(seq 50); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
}

# curl from tenant I's client: l2mt_curl I v4|v6 -> prints the body.
l2mt_curl() {
    local i=$1 path=$2 url
    case $path in
        v4) url=http://192.168.0.100/ ;;
        v6) url='http://[fe80::c0a8:64%25eth0]/' ;;
    esac
    l2mt_in "${L2MT_NS}c$i" curl -sS -g --max-time 3 "$url"
}

# Waits until tenant I's client gets an answer on PATH (v4, v6; default
# both): ARP/ND through the tunnel and the tunnel's own ARP need a moment
# at first.  A readiness wait, not an assertion.
l2mt_wait_site() {
    local i=$1 path n paths
    shift
    paths=("$@")
    [ ${#paths[@]} -gt 0 ] || paths=(v4 v6)
    for path in "${paths[@]}"; do
        for n in $(seq 20); do
            l2mt_curl "$i" "$path" >/dev/null 2>&1 && break
            [ "$n" -eq 20 ] && return 1
            sleep 0.2
        done
    done
    return 0
}

# --- leaving a lab running (demo --keep) ----------------------------------

# Disarms the cleanup; netns-lab keeps its registry (pids, OVS instances,
# namespaces) in files under $LAB_DIR, so l2mt_stop_kept can undo it later.
l2mt_keep() {
    echo "$LAB_DIR" > "$1"
    trap - EXIT INT TERM
}

# Stops a lab that l2mt_keep left running in DIR.
l2mt_stop_kept() {
    LAB_DIR=$1
    lab_cleanup
}

# --- authenticated tunnels: WireGuard under GRE (L2MT_WG=on) ---------------
# Each site's underlay side moves into an edge namespace of its own:
#
#   box's OVS (br-ul 10.88.0.(10+i)) -veth- ${L2MT_NS}e<i>: wg <i>, ul
#     10.0.0.(10+i) -- underlay -- ${L2MT_NS}e: ul 10.0.0.1, wg -veth-
#     gateway's OVS (br-ul 10.88.0.1)
#
# The GRE endpoints are addresses inside WireGuard (10.88.0.0/24): each
# edge routes them between its WireGuard device (wireguard-go) and the
# veth into its OVS (proxy ARP answers for the far end), and its nftables
# let nothing else through: no cleartext GRE from the underlay reaches
# an OVS (dropped and counted: counter cleartext_gre), only decrypted
# GRE to and from the site's own tunnel address.  OVS's native tunnels
# need this split: they receive GRE only on an OVS port, and send it
# through the port their route lookup picks, never through wg.  The
# gateway's peers come from the tenant table ('ovs-l2mt --wg-key'); each
# box has one peer, the gateway.
: "${L2MT_WG:=off}"
L2MT_WG_NET=10.88.0
L2MT_WG_GW_TUN=$L2MT_WG_NET.1
# The edges' own address on their veth into OVS (the source of their
# ARP requests).
L2MT_WG_EDGE_IP=$L2MT_WG_NET.254
L2MT_WG_PORT=51820
# The underlay's MTU less IPv4, UDP and WireGuard's 32 bytes: 1540 holds
# a 1500-byte tenant frame in GRE (1538).
L2MT_WG_MTU=$((L2MT_UL_MTU - 60))
L2MT_WG_OPTS=()

l2mt_wg_on() { [ "$L2MT_WG" = on ]; }
l2mt_wg_box_tun() { echo "$L2MT_WG_NET.$((10 + $1))"; }
# Device names: wireguard-go's control sockets are named after the device
# in one directory for every namespace, so names are unique per lab.
# (the gateway's: no argument for the edge, 'g' for the device).
l2mt_wg_dev() { echo "${L2MT_NS}w$1"; }
l2mt_wg_edge() { echo "${L2MT_NS}e${1:-}"; }

# A key pair NAME.key (0600) and NAME.pub in $LAB_DIR/wg.
l2mt_wg_keys() {
    local d=$LAB_DIR/wg
    [ -d "$d" ] || mkdir -m 700 "$d"
    (umask 077; wg genkey > "$d/$1.key")
    wg pubkey < "$d/$1.key" > "$d/$1.pub"
}

# Edge namespace EDGE of site SITE: underlay port PORT (on the underlay
# bridge) with UL_IP, veth 'ovs' into SITE's 'ul', a route to the site's
# tunnel address TUN, WireGuard device DEV (wireguard-go, its log in
# $LAB_DIR/wg/DEV.log at verbose level: rejected handshakes and packets
# show there), and the edge firewall.
l2mt_wg_edge_up() {
    local edge=$1 site=$2 port=$3 ulip=$4 tun=$5 dev=$6 i
    lab_netns "$edge"
    lab_veth "$edge" ul "${L2MT_NS}u" "$port"
    l2mt_in "${L2MT_NS}u" ip link set "$port" mtu "$L2MT_UL_MTU" master ul
    l2mt_in "$edge" ip link set ul mtu "$L2MT_UL_MTU"
    l2mt_in "$edge" ip addr add "$ulip/24" dev ul
    l2mt_underlay_pin_mac "$(l2mt_in "$edge" cat /sys/class/net/ul/address)" \
        "$port"
    lab_veth "$edge" ovs "$site" ul
    l2mt_in "$edge" ip link set ovs mtu "$L2MT_UL_MTU"
    l2mt_in "$site" ip link set ul mtu "$L2MT_UL_MTU"
    l2mt_in "$edge" sysctl -qw net.ipv4.ip_forward=1 \
        net.ipv4.conf.ovs.proxy_arp=1 net.ipv6.conf.all.disable_ipv6=1
    l2mt_in "$edge" ip addr add "$L2MT_WG_EDGE_IP/32" dev ovs
    l2mt_in "$edge" ip route add "$tun/32" dev ovs
    [ -d "$LAB_DIR/wg" ] || mkdir -m 700 "$LAB_DIR/wg"
    LAB_BG_LOG=$LAB_DIR/wg/$dev.log lab_bg "$edge" \
        env LOG_LEVEL=verbose wireguard-go -f "$dev" > /dev/null
    for i in $(seq 100); do
        [ -S "/var/run/wireguard/$dev.sock" ] && break
        [ "$i" -eq 100 ] && { l2mt_log "wireguard-go $dev did not start"; \
                              return 1; }
        sleep 0.05
    done
    l2mt_in "$edge" ip link set "$dev" mtu "$L2MT_WG_MTU" up
    l2mt_wg_edge_fw "$edge" "$tun" "$dev"
}

# The edge's nftables (utilities/wg/ovs-l2mt-wg-edge): WireGuard in
# from the underlay, decrypted GRE between DEV and the site's tunnel
# address TUN, nothing else.
L2MT_WG_EDGE_TOOL=$L2MT_SRCDIR/utilities/wg/ovs-l2mt-wg-edge
l2mt_wg_edge_fw() {
    "$L2MT_WG_EDGE_TOOL" --netns="$1" --dev="$3" --port="$L2MT_WG_PORT" \
        firewall "$2"
}

# Packets of edge EDGE's counter NAME (cleartext_gre, dropped).
l2mt_wg_counter() {
    "$L2MT_WG_EDGE_TOOL" --netns="$1" counters | awk -v c="$2" '$1 == c {
        print $2 }'
}

# l2mt_core_up with WireGuard: the gateway's underlay is its edge.
l2mt_wg_core_up() {
    local t
    for t in wireguard-go wg nft; do
        command -v "$t" >/dev/null \
            || { l2mt_log "$t is not installed (utilities/ovs-nat64-deps)"; \
                 return 1; }
    done
    L2MT_TABLE=$LAB_DIR/tenants
    : > "$L2MT_TABLE"
    l2mt_wg_keys gw
    lab_netns "${L2MT_NS}u"
    l2mt_in "${L2MT_NS}u" ip link add ul type bridge
    l2mt_in "${L2MT_NS}u" ip link set ul mtu "$L2MT_UL_MTU" up
    l2mt_in "${L2MT_NS}u" sysctl -qw net.ipv6.conf.all.disable_ipv6=1

    lab_netns "${L2MT_NS}g"
    l2mt_wg_edge_up "$(l2mt_wg_edge)" "${L2MT_NS}g" g "$L2MT_GW_IP" \
        "$L2MT_WG_GW_TUN" "$(l2mt_wg_dev g)"
    lab_ovs_start "${L2MT_NS}g" "${L2MT_NS}g"
    l2mt_underlay_bridge "${L2MT_NS}g" "$L2MT_WG_GW_TUN"
    L2MT_WG_OPTS=(--wg-key="$LAB_DIR/wg/gw.key"
                  --wg-netns="$(l2mt_wg_edge)" --wg-dev="$(l2mt_wg_dev g)"
                  --wg-port="$L2MT_WG_PORT")

    lab_netns "${L2MT_NS}s"
    l2mt_service_if "${L2MT_NS}s" default
    l2mt_service_if "${L2MT_NS}s" all
    l2mt_log "underlay, gateway (WireGuard edge) and service host up"
}

# l2mt_site_box_up with WireGuard: box I's GRE to the gateway's tunnel
# address runs through its edge's WireGuard peer (the gateway).
l2mt_wg_site_box_up() {
    local i=$1 box=${L2MT_NS}b$1 cl=${L2MT_NS}c$1 edge dev tun
    edge=$(l2mt_wg_edge "$i") dev=$(l2mt_wg_dev "$i")
    tun=$(l2mt_wg_box_tun "$i")
    lab_netns "$box"
    lab_netns "$cl"
    l2mt_wg_keys "box$i"
    l2mt_wg_edge_up "$edge" "$box" "b$i" "$(l2mt_box_ip "$i")" "$tun" "$dev"
    l2mt_in "$edge" wg set "$dev" private-key "$LAB_DIR/wg/box$i.key" \
        listen-port "$L2MT_WG_PORT" peer "$(cat "$LAB_DIR/wg/gw.pub")" \
        allowed-ips "$L2MT_WG_GW_TUN/32" \
        endpoint "$L2MT_GW_IP:$L2MT_WG_PORT" persistent-keepalive 5
    l2mt_in "$edge" ip route replace "$L2MT_WG_GW_TUN/32" dev "$dev"

    l2mt_client_up "$i" "$box" "$cl"

    lab_ovs_start "$box" "$box"
    l2mt_underlay_bridge "$box" "$tun"
    l2mt_box_lan_up "$i" "$box" "$L2MT_WG_GW_TUN"
}

# Tenant I's line of the tenant table with WireGuard: its GRE address
# inside WireGuard, and its box's public key by file.
l2mt_wg_table_line() {
    printf 'tenant%s %s %s %s %s wg=%s\n' "$1" "$1" "$(l2mt_wg_box_tun "$1")" \
        "$(l2mt_vnet_v4 "$1")" "$(l2mt_vnet_v6 "$1")" "$LAB_DIR/wg/box$1.pub"
}
