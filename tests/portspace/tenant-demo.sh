# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash disable=SC2154  # srcdir, SA: tests/portspace/run's
# tenant-demo.sh: the tenant demo topology of issue 16, sourced by
# tests/portspace/run (after netns-lab.sh and its psa/in_a helpers):
# tenants 1 and 2 are served by one httpd by REMOTE_IF over the
# translation, tenant 3 by an unmodified program in its own port space on
# native IPv4, all in one run.
#
#   nps-c1 ── nps-b1 ══ GRE key 1 ══╗  nps-gw (ovs-vswitchd)
#   nps-c2 ── nps-b2 ══ GRE key 2 ══╬═ br-ul 10.0.0.1: the underlay
#   nps-c3 ── nps-b3 ══ GRE key 3 ══╝  br0: ovs-l2mt table, tenants 1, 2
#   (clients 192.168.0.10,                  gre1 ─ nat64 ─ vnet1 ── em1 ┐
#    boxes 10.0.0.1N, each                  gre2 ─ nat64 ─ vnet2 ── em2 ┤
#    its own ovs-vswitchd)             br-native: tenant 3, plain L2    │
#                                           gre3 ───────── vnet3 ── em3 │
#   nps-ha, the service host:                                           │
#     em1, em2: fe80::c0a8:64, one httpd (Listen [::]:80, mod_remote_if)┘
#     em3: in port space nps-tenant3, 192.168.0.100, python3 http.server
#
# Tenant 3 is on a bridge of its own, not in br0's tenant table: ovs-l2mt
# owns br0 (every 'apply' replaces all of its flows), and its table has
# only translating (v4_port) and native-IPv6 (v6_port) ports.  A tenant
# whose service-host port is native IPv4 needs no translation, so its
# flows are plain L2 between its GRE port and that port, for IPv4 and
# ARP (the ethertypes a v4_port carries), untagged only; anything else
# from either side is dropped by the bridge's priority-0 flow.  Two
# bridges with no patch port between them: no flow of br0 can reach
# vnet3.

TD_T3_PAGE="tenant 3's own server in its port space"

td_ns() { ip netns exec "$@"; }

# An interface OVS or the underlay owns: no kernel IPv6 on it, no kernel
# ARP replies through it (as utilities/lib/l2mt-lab.sh does).
td_quiet() {
    td_ns "$1" sysctl -qw "net.ipv6.conf.$2.disable_ipv6=1" \
        "net.ipv4.conf.$2.arp_ignore=8"
}

# Tenant I's box and client: box nps-bI with its own ovs-vswitchd, GRE
# key I to the gateway; client nps-cI 192.168.0.10 on the box's LAN.
td_site() {
    local i=$1 b=nps-b$1 c=nps-c$1
    lab_netns "$b"
    lab_netns "$c"
    lab_veth "$b" ul nps-gw "ul$i"
    td_ns "$b" ip link set ul mtu 1600
    td_ns nps-gw ip link set "ul$i" mtu 1600
    td_quiet "$b" ul
    td_quiet nps-gw "ul$i"
    lab_veth "$c" eth0 "$b" lan
    td_quiet "$b" lan
    td_ns "$c" ip link set eth0 address "02:4e:50:0$i:00:0a"
    td_ns "$c" ip addr add 192.168.0.10/24 dev eth0
    lab_ovs_start "b$i" "$b"
    lab_ovs "b$i" ovs-vsctl --timeout=30 add-br br-ul \
        -- set bridge br-ul datapath_type=netdev -- add-port br-ul ul \
        -- add-br br-lan \
        -- set bridge br-lan datapath_type=netdev fail_mode=secure \
        -- add-port br-lan lan \
        -- add-port br-lan gre -- set interface gre type=gre \
           options:remote_ip=10.0.0.1 "options:key=$i"
    td_ns "$b" ip addr add "10.0.0.1$i/24" dev br-ul
    td_ns "$b" ip link set br-ul up
    printf '%s\n' "in_port=lan,actions=output:gre" \
        "in_port=gre,actions=output:lan" \
        | lab_ovs "b$i" ovs-ofctl add-flows br-lan -
    lab_ovs gw ovs-vsctl --timeout=30 add-port br-ul "ul$i"
    # The service host's port of the tenant.
    lab_veth nps-gw "vnet$i" nps-ha "em$i"
    td_quiet nps-gw "vnet$i"
}

# httpd on the service host: one process for tenants 1 and 2, each
# tenant's page chosen by REMOTE_IF (mod_remote_if, our module), which
# the page also prints.
td_httpd() {
    local h=$LAB_DIR/httpd m=/usr/lib/apache2/modules i
    mkdir -p "$h/www"
    chmod 755 "$LAB_DIR" "$h" "$h/www"
    : > "$h/tenants.map"
    for i in 1 2; do
        mkdir -p "$h/www/tenant$i"
        printf 'This is tenant %s on <!--#echo var="REMOTE_IF" -->.\n' \
            "$i" > "$h/www/tenant$i/index.shtml"
        echo "em$i tenant$i" >> "$h/tenants.map"
    done
    cat > "$h/httpd.conf" <<EOF
ServerRoot "$h"
ServerName nps-ha
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
LoadModule remote_if_module $TD_MODULE
ErrorLog "$h/error.log"
LogFormat "%a REMOTE_IF=%{REMOTE_IF}e \"%r\" %>s" tenant
CustomLog "$h/access.log" tenant
StartServers 1
ServerLimit 1
ThreadsPerChild 8
MaxRequestWorkers 8
DocumentRoot "$h/www"
DirectoryIndex index.shtml
TypesConfig /dev/null
AddType text/html .shtml
<Directory "$h/www">
    Options IncludesNOEXEC
    Require all granted
    <Files "*.shtml">
        SetOutputFilter INCLUDES
    </Files>
</Directory>
RewriteEngine On
RewriteMap tenant "txt:$h/tenants.map"
# No zone (IPv4, loopback): no tenant, refused.
RewriteCond %{ENV:REMOTE_IF} ^$
RewriteRule ^ - [F]
RewriteCond \${tenant:%{ENV:REMOTE_IF}|-} ^-$
RewriteRule ^ - [F]
RewriteRule ^/(.*)\$ $h/www/\${tenant:%{ENV:REMOTE_IF}}/\$1 [L]
EOF
    apache2 -t -f "$h/httpd.conf"
    # setsid: httpd signals its process group when it stops.
    LAB_BG_LOG=$h/stdout.log lab_bg nps-ha setsid apache2 \
        -f "$h/httpd.conf" -DFOREGROUND >/dev/null
    lab_wait 100 td_ns nps-ha curl -s -o /dev/null 'http://[::1]/'
}

# The whole topology.  Run in a subshell with set -e: any failing step
# ends it.
td_up() {
    local i
    lab_netns nps-gw
    lab_ovs_start gw nps-gw
    lab_ovs gw ovs-vsctl --timeout=30 add-br br-ul \
        -- set bridge br-ul datapath_type=netdev
    td_ns nps-gw ip addr add 10.0.0.1/24 dev br-ul
    td_ns nps-gw ip link set br-ul up
    for i in 1 2 3; do td_site "$i"; done

    # Tenants 1 and 2: the tenant table, translated ports only.
    printf '%s\n' "# name key remote_ip v4_port v6_port" \
        "tenant1 1 10.0.0.11 vnet1 -" "tenant2 2 10.0.0.12 vnet2 -" \
        > "$LAB_DIR/tenants"
    lab_ovs gw "$srcdir/utilities/ovs-l2mt" apply "$LAB_DIR/tenants"
    # Tenant 3: its own bridge, plain L2 (see the header).
    lab_ovs gw ovs-vsctl --timeout=30 add-br br-native \
        -- set bridge br-native datapath_type=netdev fail_mode=secure \
        -- add-port br-native gre3 -- set interface gre3 type=gre \
           options:remote_ip=10.0.0.13 options:key=3 \
        -- add-port br-native vnet3
    td_native_flows 3 gre3 vnet3 \
        | lab_ovs gw ovs-ofctl --bundle replace-flows br-native -

    # The service host: em1, em2 are the translated tenants' ports (the
    # gateway's link-local 192.168.0.100 is fe80::c0a8:64 there); none
    # takes configuration from a tenant's LAN.
    for i in 1 2; do
        for k in accept_ra=0 autoconf=0 accept_redirects=0; do
            td_ns nps-ha sysctl -qw "net.ipv6.conf.em$i.$k"
        done
        lab_addr6_ll nps-ha "em$i" fe80::c0a8:64
    done
    td_httpd

    # Tenant 3's port goes into tenant 3's space; an unmodified server
    # listens there on the tenant's native address.
    psa create nps-tenant3
    psa attach nps-tenant3 --tenant 3
    in_a nps-tenant3 ip addr add 192.168.0.100/24 dev em3
    in_a nps-tenant3 ip link set em3 up
    mkdir -p "$LAB_DIR/t3"
    in_a nps-tenant3 sh -c "echo \"$TD_T3_PAGE\" > $LAB_DIR/t3/index.html"
    LAB_BG_LOG=$LAB_DIR/t3-server.log lab_bg '' psa exec nps-tenant3 -- \
        python3 -m http.server 80 --bind 192.168.0.100 \
        --directory "$LAB_DIR/t3" >/dev/null
    lab_wait 100 in_a nps-tenant3 curl -s -o /dev/null -m 1 \
        http://192.168.0.100/
    # ARP/ND through the tunnels need a moment at first: readiness only.
    for i in 1 2 3; do
        lab_wait 100 td_curl "$i"
    done
}

# The flows of a native-IPv4 tenant KEY between its GRE port and its
# service-host port, and the bridge's default drop.
td_native_flows() {
    local key=$1 gre=$2 port=$3 c
    c=$(printf 'cookie=0x%x,priority=100' "$key")
    echo "cookie=0,priority=0,actions=drop"
    for p in ip arp; do
        echo "$c,in_port=$gre,vlan_tci=0,$p,actions=output:$port"
        echo "$c,in_port=$port,vlan_tci=0,$p,actions=output:$gre"
    done
}

td_curl() { td_ns "nps-c$1" curl -sS -m 3 http://192.168.0.100/; }

# Tenant I (1 or 2) gets its own httpd page, REMOTE_IF em<I>, and the
# tenant's flows on br0 translated packets.
td_test_httpd() {
    local i=$1 out n
    out=$(td_curl "$i" 2>&1)
    [ "$out" = "This is tenant $i on em$i." ] \
        || { tl_why "tenant $i got: $out"; return 1; }
    grep -q "^fe80::c0a8:a%em$i REMOTE_IF=em$i \"GET / " \
        "$LAB_DIR/httpd/access.log" \
        || { tl_why "httpd log: $(cat "$LAB_DIR/httpd/access.log")"; \
             return 1; }
    n=$(lab_ovs gw "$srcdir/utilities/ovs-l2mt" show \
        | awk -v t="tenant$i" '$1 == t {print $8}')
    [ "${n:-0}" -gt 0 ] || { tl_why "tenant $i: $n packets translated"; \
                             return 1; }
}

td_test_native() {
    local out mac flows
    out=$(td_curl 3 2>&1)
    [ "$out" = "$TD_T3_PAGE" ] || { tl_why "tenant 3 got: $out"; return 1; }
    # The server saw the tenant's own address: native IPv4, neither
    # translated nor NATed.
    grep -q '^192\.168\.0\.10 - - .*"GET / HTTP' "$LAB_DIR/t3-server.log" \
        || { tl_why "server log: $(cat "$LAB_DIR/t3-server.log")"; \
             return 1; }
    # Tenant 3's 192.168.0.100 is the space's em3 itself (ARP answered
    # by the space), not the gateway's translated address.
    mac=$(in_a nps-tenant3 cat /sys/class/net/em3/address)
    td_ns nps-c3 ip neigh show 192.168.0.100 | grep -q "lladdr $mac " \
        || { tl_why "tenant 3's neighbour: $(td_ns nps-c3 ip neigh)"; \
             return 1; }
    # Both directions went through tenant 3's plain flows, no nat64.
    flows=$(lab_ovs gw ovs-ofctl --names dump-flows br-native)
    if grep -q nat64 <<< "$flows"; then
        tl_why "nat64 on br-native: $flows"; return 1
    fi
    for d in gre3 vnet3; do
        grep -F "priority=100,ip,in_port=$d," <<< "$flows" \
            | grep -q 'n_packets=[1-9]' \
            || { tl_why "no packets in $d: $flows"; return 1; }
    done
}

td_test_isolated() {
    local out
    # Its only interfaces: tenant 3's port and the space's uplink to the
    # service host (inherited services only: none granted here).
    out=$(in_a nps-tenant3 ip -o link show | awk -F': ' '{print $2}' | \
          sed 's/@.*//' | sort | tr '\n' ' ')
    [ "$out" = "em3 lo uplink " ] || { tl_why "links: $out"; return 1; }
    # Its only listener is its own server; httpd's is not in the space.
    out=$(in_a nps-tenant3 ss -Htln | awk '{print $4}' | tr '\n' ' ')
    [ "$out" = "192.168.0.100:80 " ] || { tl_why "listeners: $out"; \
                                          return 1; }
    # The shared httpd is not reachable from the space (no inherited
    # tcp/80: refused), and the host has no 192.168.0.100 nor the page.
    if in_a nps-tenant3 curl -s -m 2 -o /dev/null http://parent/; then
        tl_why "the space reached the host's httpd"; return 1
    fi
    # No rule of ours in the space (no children, no mapped port): its
    # tenant's traffic costs what it costs in a bare namespace.
    out=$(in_a nps-tenant3 nft list ruleset)
    [ -z "$out" ] || { tl_why "rules in the space: $out"; return 1; }
    if td_ns nps-ha ip -4 addr | grep -q 192.168.0.100; then
        tl_why "address leaked into the host"; return 1
    fi
    [ ! -e "$LAB_DIR/t3/index.html" ] \
        || { tl_why "the space's page is in the host's /tmp"; return 1; }
}

# Frames from tenant 1 aimed at the space (broadcast, the space's MAC,
# GRE with tenant 3's key from tenant 1's box) never arrive on em3; the
# same from tenant 3 does (sent after, so its arrival bounds the wait).
td_test_frames() {
    local pkt=$srcdir/tests/tenants/pkt.py mac c3 c1 p1 p2 n i
    local probe ctrl
    probe=$(printf 'NPS-T1-PROBE' | od -An -tx1 | tr -d ' \n')
    ctrl=$(printf 'NPS-T3-CTRL' | od -An -tx1 | tr -d ' \n')
    mac=$(in_a nps-tenant3 cat /sys/class/net/em3/address)
    c3=$LAB_DIR/cap-em3 c1=$LAB_DIR/cap-em1
    # In the space's network namespace, with the host's file system.
    p1=$(LAB_BG_LOG=$c3.log lab_bg '' nsenter \
         --net="$SA/ns/nps-tenant3.net" tcpdump -i em3 -Q in -U -n \
         -w "$c3.pcap")
    p2=$(LAB_BG_LOG=$c1.log lab_bg nps-ha tcpdump -i em1 -Q in -U -n \
         -w "$c1.pcap")
    lab_wait 100 grep -q "listening on" "$c3.log"
    lab_wait 100 grep -q "listening on" "$c1.log"
    td_ns nps-c1 python3 "$pkt" send eth0 udp4 --payload NPS-T1-PROBE \
        --src-mac 02:4e:50:01:00:0a
    td_ns nps-c1 python3 "$pkt" send eth0 udp4 --payload NPS-T1-PROBE \
        --src-mac 02:4e:50:01:00:0a --dst-mac "$mac"
    td_ns nps-b1 python3 "$pkt" gre 10.0.0.1 3 udp4 --dst-mac "$mac" \
        --payload NPS-T1-PROBE
    for i in 1 2 3; do
        td_ns nps-c3 python3 "$pkt" send eth0 udp4 --payload NPS-T3-CTRL \
            --src-mac 02:4e:50:03:00:0a --dst-mac "$mac"
        lab_wait 10 test "$(python3 "$pkt" count "$c3.pcap" "$ctrl")" -gt 0 \
            && break
    done
    sleep 0.2
    lab_kill "$p1"
    lab_kill "$p2"
    n=$(python3 "$pkt" count "$c3.pcap" "$ctrl")
    [ "$n" -gt 0 ] || { tl_why "tenant 3's control did not arrive"; \
                        return 1; }
    n=$(python3 "$pkt" count "$c3.pcap" "$probe")
    [ "$n" -eq 0 ] || { tl_why "$n frames of tenant 1 in the space"; \
                        return 1; }
    # Tenant 1's frames were sent: translated, they reached its own port.
    n=$(python3 "$pkt" count "$c1.pcap" "$probe")
    [ "$n" -gt 0 ] || { tl_why "tenant 1's probes reached nothing"; \
                        return 1; }
}

TD_CASES="tenant-demo-up tenant1-httpd-remote-if tenant2-httpd-remote-if
tenant3-space-native-ipv4 tenant3-space-isolated tenant1-frame-not-in-space"

# Runs the whole demo's cases (SKIPs with the reason when OVS, nat64 or
# the httpd module are missing).
td_run() {
    local why='' rc c build=$srcdir/apache-patches/build-httpd
    if ! { [ -x "$LAB_OVS_ENV" ] && "$LAB_OVS_ENV" true >/dev/null 2>&1; }
    then
        why="no OVS build (make ovs)"
    elif ! "$LAB_OVS_ENV" ovs-ofctl parse-flow 'ip,actions=nat64:4toll6' \
           >/dev/null 2>&1; then
        why="the built OVS has no nat64 action"
    elif ! tl_have apache2 || ! TD_MODULE=$("$build" --print-module) \
         || ! "$build" module --quiet >"$LAB_DIR/td-module.log" 2>&1; then
        why="mod_remote_if does not build (apache2, apache2-dev)"
    fi
    if [ -n "$why" ]; then
        for c in $TD_CASES; do tl_skip "$c" "$why"; done
        return 0
    fi
    set +e
    (set -e; td_up) > "$LAB_DIR/td-setup.log" 2>&1
    rc=$?
    set -e
    if [ "$rc" -ne 0 ]; then
        tl_fail tenant-demo-up "setup failed (status $rc):" \
            "$(tail -n 15 "$LAB_DIR/td-setup.log")"
        for c in $TD_CASES; do
            [ "$c" = tenant-demo-up ] || tl_skip "$c" "no topology"
        done
        return 0
    fi
    tl_pass tenant-demo-up
    tl_check tenant1-httpd-remote-if td_test_httpd 1
    tl_check tenant2-httpd-remote-if td_test_httpd 2
    tl_check tenant3-space-native-ipv4 td_test_native
    tl_check tenant3-space-isolated td_test_isolated
    tl_check tenant1-frame-not-in-space td_test_frames
}
