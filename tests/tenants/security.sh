# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# shellcheck disable=SC2317  # test functions run through tl_check
# shellcheck disable=SC2034,SC2154  # shared with tests/tenants/run
# Attacks of a hostile tenant (issue 13), sourced by tests/tenants/run
# after the runtime add/delete tests, with tenants 1, 3 and 4 on the
# gateway: Router Advertisements and Redirects into the service host,
# non-link-local native IPv6, and tunnel neighbour poisoning on the shared
# underlay (box 1 claims box 3's underlay address).  Uses run's helpers
# (gw, l2mt, cap_start, caps_stop, count, hex, e2e, $pkt, $tmp).

SECURITY_CASES="ra-from-tenant-dropped redirect-from-tenant-dropped
native-ipv6-global-dropped service-host-ignores-ra l2mt-show-counts-drops
l2mt-apply-missing-port-changes-nothing underlay-mac-steal-blocked
tnl-neigh-garp-ignored tnl-neigh-unsolicited-reply-ignored
tnl-neigh-forged-gre-mac-ignored tnl-neigh-victim-served-v4
tnl-neigh-victim-served-v6 httpd-trace-off httpd-ssi-printenv-off
httpd-ssi-echo-works httpd-symlink-other-tenant-refused
httpd-slowloris-other-tenant-served httpd-slowloris-connections-limited
police-nd-flood-limited police-nd-flood-neighbours-bounded
police-nd-flood-other-tenant-served l2mt-show-counts-policed"

# The service host's IPv6 state that a Router Advertisement would change:
# global addresses, routes other than link-local ones, em1's MTU.
sec_service_state() {
    l2mt_in nmts ip -6 addr show scope global
    l2mt_in nmts ip -6 route show | grep -v '^fe80::/64 ' || true
    l2mt_in nmts ip -6 route show table all | grep -c . || true
    l2mt_in nmts cat /sys/class/net/em1/mtu
}

# drop_count COOKIE ICMP_TYPE: packets of tenant COOKIE's drop flow for
# that ICMPv6 type.
sec_drop_count() {
    gw ovs-ofctl dump-flows br0 "cookie=$1/-1" \
        | grep "icmp_type=$2 " \
        | sed -n 's/.*n_packets=\([0-9]*\),.*/\1/p'
}

# A real Router Advertisement from tenant 1's LAN (link-local source, hop
# limit 255, ff02::1, prefix 2001:db8:66::/64 autonomous and on-link, MTU
# 1280, router lifetime 1800 s), and a Redirect that would send the
# service host's traffic for fe80::c0a8:a to fe80::c0a8:99.  Neither may
# reach em1; the gateway counts them in tenant 1's drop flows; the service
# host gets no address, route or MTU.  A control datagram sent after them
# on the same path must arrive.
sec_ra_probe() {
    local before after ra0 rd0 ra1 rd1 why=
    before=$(sec_service_state)
    ra0=$(sec_drop_count 1 134) rd0=$(sec_drop_count 1 137)
    cap_start nmts em1
    l2mt_in nmtc1 python3 "$pkt" send eth0 ra6 --src-ip fe80::c0a8:1 \
        --dst-ip ff02::1 --dst-mac 33:33:00:00:00:01 \
        --prefix 2001:db8:66:: --mtu 1280 --payload NSE-RA
    l2mt_in nmtc1 python3 "$pkt" send eth0 redirect6 --src-ip fe80::c0a8:1 \
        --dst-ip fe80::c0a8:64 --dst-mac 33:33:00:00:00:01 \
        --target fe80::c0a8:99 --payload NSE-REDIR
    # Native IPv6 from a global source: not link-local, dropped.
    l2mt_in nmtc1 python3 "$pkt" send eth0 udp6 --src-ip 2001:db8:66::10 \
        --dst-ip fe80::c0a8:64 --dst-mac 33:33:00:00:00:01 \
        --payload NSE-GLOBAL6
    l2mt_in nmtc1 python3 "$pkt" send eth0 udp6 --src-ip fe80::c0a8:a \
        --dst-ip fe80::c0a8:64 --dst-mac 33:33:00:00:00:01 \
        --payload NSE-CTL6
    lab_wait 100 sh -c "[ \"\$(python3 '$pkt' count '$tmp/cap-nmts-em1.pcap' \
$(hex NSE-CTL6))\" -gt 0 ]" || why+=" control did not arrive;"
    sleep 0.3
    caps_stop
    after=$(sec_service_state)
    ra1=$(sec_drop_count 1 134) rd1=$(sec_drop_count 1 137)
    SEC_RA=$(count nmts em1 "$(hex NSE-RA)")
    SEC_REDIR=$(count nmts em1 "$(hex NSE-REDIR)")
    SEC_GLOBAL6=$(count nmts em1 "$(hex NSE-GLOBAL6)")
    SEC_RA_COUNTED=$((ra1 - ra0)) SEC_REDIR_COUNTED=$((rd1 - rd0))
    SEC_STATE_CHANGED=false
    [ "$before" = "$after" ] || SEC_STATE_CHANGED=true
    SEC_WHY=$why
    if $SEC_STATE_CHANGED; then
        tl_note "service host before: $before"
        tl_note "service host after: $after"
    fi
}

sec_ra_dropped() {
    [ -z "$SEC_WHY" ] || { tl_why "$SEC_WHY"; return 1; }
    [ "$SEC_RA" -eq 0 ] || { tl_why "RA reached em1 ($SEC_RA)"; return 1; }
    [ "$SEC_RA_COUNTED" -ge 1 ] \
        || { tl_why "tenant 1's RA drop flow did not count it"; return 1; }
    ! $SEC_STATE_CHANGED || { tl_why "service host reconfigured"; return 1; }
}
sec_redirect_dropped() {
    [ -z "$SEC_WHY" ] || { tl_why "$SEC_WHY"; return 1; }
    [ "$SEC_REDIR" -eq 0 ] \
        || { tl_why "Redirect reached em1 ($SEC_REDIR)"; return 1; }
    [ "$SEC_REDIR_COUNTED" -ge 1 ] \
        || { tl_why "tenant 1's Redirect drop flow did not count it"; return 1; }
}
sec_global6_dropped() {
    [ -z "$SEC_WHY" ] || { tl_why "$SEC_WHY"; return 1; }
    [ "$SEC_GLOBAL6" -eq 0 ] \
        || { tl_why "IPv6 from 2001:db8:66::10 reached em1"; return 1; }
}

# The second layer: an RA that bypasses the gateway's flows (sent into
# em1 straight from the gateway's end of the veth) configures nothing.
sec_service_ignores_ra() {
    local before after
    before=$(sec_service_state)
    l2mt_in nmtg python3 "$pkt" send vnet1 ra6 --src-ip fe80::c0a8:1 \
        --dst-ip ff02::1 --dst-mac 33:33:00:00:00:01 \
        --prefix 2001:db8:67:: --mtu 1280 --payload NSE-RA2
    sleep 0.5
    after=$(sec_service_state)
    if [ "$before" != "$after" ]; then
        tl_why "before: $before"
        tl_why "after: $after"
        return 1
    fi
    local k v
    for k in accept_ra autoconf accept_redirects; do
        v=$(l2mt_in nmts cat "/proc/sys/net/ipv6/conf/em1/$k")
        [ "$v" = 0 ] || { tl_why "em1 $k=$v"; return 1; }
    done
}

# 'ovs-l2mt show' attributes the drops to tenant 1 (its 'dropped' column).
sec_show_drops() {
    local line dropped
    line=$(l2mt show | grep '^tenant1 ') || return 1
    dropped=$(echo "$line" | awk '{ print $(NF - 1) }')
    [ "$dropped" -ge 3 ] || { tl_why "show: $line"; return 1; }
}

# A table naming an interface that does not exist: refused with its line
# before the switch is touched (database and flows unchanged).
sec_missing_port() {
    local bad=$tmp/missing.table rc=0
    { cat "$L2MT_TABLE"; echo "tenant9 9 10.0.0.19 vnet98 vnet99"; } > "$bad"
    gw ovs-vsctl show > "$tmp/m-s1"; flows > "$tmp/m-f1"
    l2mt apply "$bad" 2> "$tmp/missing.err" || rc=$?
    gw ovs-vsctl show > "$tmp/m-s2"; flows > "$tmp/m-f2"
    [ "$rc" -ne 0 ] || { tl_why "accepted"; return 1; }
    grep -q "$bad:$(wc -l < "$bad"): error: port 'vnet98': no such network" \
        "$tmp/missing.err" || { tl_why "$(cat "$tmp/missing.err")"; return 1; }
    diff -u "$tmp/m-s1" "$tmp/m-s2" && diff -u "$tmp/m-f1" "$tmp/m-f2"
}

# --- tunnel neighbours on the shared underlay ------------------------------

sec_brul_mac() { l2mt_in "$1" cat /sys/class/net/br-ul/address; }

# The gateway's tunnel neighbour MAC for IP (empty if none).
sec_neigh_mac() {
    gw ovs-appctl tnl/neigh/show | awk -v ip="$1" '$1 == ip { print $2 }'
}

# Box 1 sends, from its own MAC, what would make the gateway send box 3's
# tunnel traffic to box 1.
sec_poison() {
    local kind=$1 m1 gwmac
    m1=$(sec_brul_mac nmtb1) gwmac=$(sec_brul_mac nmtg)
    case $kind in
        garp)
            l2mt_in nmtb1 python3 "$pkt" send ul arp --src-mac "$m1" \
                --src-ip 10.0.0.13 --target 10.0.0.13
            l2mt_in nmtb1 python3 "$pkt" send ul arp --op 2 --src-mac "$m1" \
                --src-ip 10.0.0.13 --target 10.0.0.13 ;;
        reply)
            l2mt_in nmtb1 python3 "$pkt" send ul arp --op 2 --src-mac "$m1" \
                --dst-mac "$gwmac" --target-mac "$gwmac" \
                --src-ip 10.0.0.13 --target "$L2MT_GW_IP" ;;
        gre)
            # GRE "from" box 3's address, in box 1's frame (the payload is
            # tenant 3's: unauthenticated GRE, see the tutorial).
            l2mt_in nmtb1 python3 "$pkt" send ul gre4 --src-mac "$m1" \
                --dst-mac "$gwmac" --src-ip 10.0.0.13 --dst-ip "$L2MT_GW_IP" \
                --gre-key 3 --payload NSE-FORGED ;;
    esac
}

# The gateway knows box 3 (it has talked to it) under box 3's MAC, and
# keeps it after box 1's attempt KIND.
sec_neigh_kept() {
    local kind=$1 m3 got
    m3=$(sec_brul_mac nmtb3)
    l2mt_wait_site 3 v6 >/dev/null 2>&1 || true
    got=$(sec_neigh_mac 10.0.0.13)
    [ "$got" = "$m3" ] \
        || { tl_why "before: 10.0.0.13 is-at '$got', box 3 is $m3"; return 1; }
    for _ in 1 2 3; do sec_poison "$kind"; done
    sleep 0.3
    got=$(sec_neigh_mac 10.0.0.13)
    if [ "$got" != "$m3" ]; then
        tl_why "after: 10.0.0.13 is-at '$got' (box 1 is $(sec_brul_mac nmtb1))"
        return 1
    fi
}

# Box 1 sends a frame with box 3's source MAC into the underlay: the
# underlay bridge keeps box 3's MAC on box 3's port.
sec_mac_steal() {
    local m3
    m3=$(sec_brul_mac nmtb3)
    l2mt_in nmtb1 python3 "$pkt" send ul udp4 --src-mac "$m3" \
        --src-ip 10.0.0.13 --dst-ip 10.0.0.1 --payload NSE-STEAL
    sleep 0.2
    l2mt_in nmtu bridge fdb show br ul | grep -i "^$m3 dev b3 " >/dev/null \
        && ! l2mt_in nmtu bridge fdb show br ul | grep -i "^$m3 dev b1 "
}

# --- the shared httpd ----------------------------------------------------

# curl from tenant I over the translated path, printing the status code
# and then the body.
sec_curl4() {
    local i=$1
    shift
    l2mt_in "nmtc$i" curl -sS -g --max-time 5 -w '\n%{http_code}' "$@"
}

sec_trace_off() {
    local out
    out=$(sec_curl4 1 -X TRACE http://192.168.0.100/) || true
    [ "$(echo "$out" | tail -n 1)" = 405 ] || { tl_why "$out"; return 1; }
}

# A tenant's own page asking for the whole environment, another file and
# a command: none of it is expanded, its echo still is.
sec_ssi_page() {
    local www=$LAB_DIR/httpd/www/tenant1
    printf '%s\n' 'IF=<!--#echo var="REMOTE_IF" -->' '<!--#printenv -->' \
        '<!--#PRINTENV -->' '<!--#include virtual="/index.shtml" -->' \
        '<!--#exec cmd="id" -->' '<!--#set var="x" value="y" -->' \
        > "$www/env.shtml"
    SEC_SSI=$(sec_curl4 1 http://192.168.0.100/env.shtml) || true
}
sec_printenv_off() {
    if grep -qE 'DOCUMENT_ROOT|SERVER_SOFTWARE|REMOTE_ADDR|This is tenant|uid=' \
       <<< "$SEC_SSI"; then
        tl_why "$SEC_SSI"
        return 1
    fi
}
sec_echo_works() {
    grep -qx 'IF=em0' <<< "$SEC_SSI" || { tl_why "$SEC_SSI"; return 1; }
}

# A symbolic link in tenant 1's tree, made by a tenant-1 user (uid 4241),
# to tenant 3's page (another owner): refused, not tenant 3's page.
sec_symlink() {
    local www=$LAB_DIR/httpd/www out
    ln -sfn "$www/tenant3/index.shtml" "$www/tenant1/leak.shtml"
    chown -h 4241 "$www/tenant1/leak.shtml"
    out=$(sec_curl4 1 http://192.168.0.100/leak.shtml) || true
    if [ "$(echo "$out" | tail -n 1)" != 403 ] \
       || grep -q "tenant 3" <<< "$out"; then
        tl_why "$out"
        return 1
    fi
}

# Slowloris: tenant 1 opens 40 connections and sends only part of a
# request on each.  Tenant 3 must still be served; tenant 1 holds no more
# than the per-tenant limit (the others are reset), but at least as many
# as the lab's httpd had workers before (8), or there was no attack.
sec_slowloris() {
    local pid out
    l2mt_wait_site 1 v4 >/dev/null 2>&1 || true
    l2mt_wait_site 3 v4 >/dev/null 2>&1 || true
    pid=$(LAB_BG_LOG=$tmp/slow.log lab_bg nmtc1 python3 -c '
import socket, sys, time
held = []
for _ in range(40):
    try:
        s = socket.create_connection(("192.168.0.100", 80), timeout=2)
        s.send(b"GET / HTTP/1.1\r\nHost: x\r\n")
        held.append(s)
    except OSError:
        pass
print(len(held), flush=True)
time.sleep(30)
')
    # Until the holder has opened its connections (a readiness wait).
    for _ in $(seq 100); do
        SEC_HELD=$(l2mt_in nmts ss -Htn state established '( sport = :80 )' \
                   | grep -c '%em0' || true)
        [ "$SEC_HELD" -ge "$L2MT_HTTPD_CONNS_PER_TENANT" ] && break
        sleep 0.1
    done
    sleep 0.5
    SEC_HELD=$(l2mt_in nmts ss -Htn state established '( sport = :80 )' \
               | grep -c '%em0' || true)
    tl_note "tenant 1 holds $SEC_HELD connections ($(cat "$tmp/slow.log" \
2>/dev/null) opened)"
    out=$(l2mt_curl 3 v4 2>&1) || true
    SEC_SLOW_OTHER=$out
    kill "$pid" 2>/dev/null || true
}
sec_slow_other_served() {
    [ "$SEC_SLOW_OTHER" = "This is tenant 3 on em4." ] \
        || { tl_why "tenant 3 got '$SEC_SLOW_OTHER'"; return 1; }
}
sec_slow_limited() {
    if [ "$SEC_HELD" -gt "$L2MT_HTTPD_CONNS_PER_TENANT" ] \
       || [ "$SEC_HELD" -lt 8 ]; then
        tl_why "tenant 1 holds $SEC_HELD connections"
        return 1
    fi
}

# --- per-tenant policing --------------------------------------------------

# Tenant 1 sends 5000 ARP requests for 192.168.0.100 from 5000 distinct
# senders as fast as it can.  Its ARP/ND meter (ovs-l2mt default: 200/s,
# burst 20) passes no more than that rate allows: the service host sees
# no more Neighbor Solicitations, and its neighbour table grows by no more
# entries, and tenant 3 is served meanwhile.  (The rate bounds how fast a
# tenant fills the shared table, not how many entries it may hold.)
sec_nd_flood() {
    local n0 sent t0 t1
    n0=$(l2mt_in nmts ip -6 neigh show dev em0 | grep -c . || true)
    cap_start nmts em0
    t0=$(date +%s%N)
    sent=$(l2mt_in nmtc1 python3 "$pkt" flood eth0 5000 arp --vary \
           --target 192.168.0.100) || sent=0
    t1=$(date +%s%N)
    # What the meter lets through: its burst (20) plus 200/s for the
    # flood's duration and one second more (for the ARP still queued).
    SEC_ND_BOUND=$(( 20 + 200 * ((t1 - t0) / 1000000 + 1000) / 1000 ))
    SEC_ND_OTHER=$(l2mt_curl 3 v4 2>&1) || true
    sleep 0.5
    caps_stop
    SEC_ND_SENT=$sent
    # Neighbor Solicitations for fe80::c0a8:64 that arrived.
    SEC_ND_ARRIVED=$(count nmts em0 "fe8000000000000000000000c0a80064")
    SEC_ND_NEIGH=$(( $(l2mt_in nmts ip -6 neigh show dev em0 | grep -c . \
                       || true) - n0 ))
    tl_note "sent $sent ARP requests in $(( (t1 - t0) / 1000000 )) ms, \
$SEC_ND_ARRIVED NS arrived, $SEC_ND_NEIGH new neighbour entries, \
meter bound $SEC_ND_BOUND"
}
sec_nd_limited() {
    [ "$SEC_ND_SENT" -ge 4000 ] || { tl_why "only $SEC_ND_SENT sent"; return 1; }
    [ "$SEC_ND_ARRIVED" -le "$SEC_ND_BOUND" ] \
        || { tl_why "$SEC_ND_ARRIVED of $SEC_ND_SENT arrived (bound \
$SEC_ND_BOUND)"; return 1; }
}
sec_nd_neigh_bounded() {
    [ "$SEC_ND_NEIGH" -le "$SEC_ND_BOUND" ] \
        || { tl_why "$SEC_ND_NEIGH new neighbour entries (bound \
$SEC_ND_BOUND)"; return 1; }
}
sec_nd_other_served() {
    [ "$SEC_ND_OTHER" = "This is tenant 3 on em4." ] \
        || { tl_why "tenant 3 got '$SEC_ND_OTHER'"; return 1; }
}
sec_show_policed() {
    local line
    line=$(l2mt show | grep '^tenant1 ') || return 1
    [ "$(echo "$line" | awk '{ print $NF }')" -gt 0 ] \
        || { tl_why "show: $line"; return 1; }
}

security_tests() {
    sec_ra_probe
    tl_check ra-from-tenant-dropped sec_ra_dropped
    tl_check redirect-from-tenant-dropped sec_redirect_dropped
    tl_check native-ipv6-global-dropped sec_global6_dropped
    tl_check service-host-ignores-ra sec_service_ignores_ra
    tl_check l2mt-show-counts-drops sec_show_drops
    tl_check l2mt-apply-missing-port-changes-nothing sec_missing_port
    tl_check underlay-mac-steal-blocked sec_mac_steal
    tl_check tnl-neigh-garp-ignored sec_neigh_kept garp
    tl_check tnl-neigh-unsolicited-reply-ignored sec_neigh_kept reply
    tl_check tnl-neigh-forged-gre-mac-ignored sec_neigh_kept gre
    if $httpd_ok; then
        e2e 3 v4 tnl-neigh-victim-served-v4
        e2e 3 v6 tnl-neigh-victim-served-v6
    else
        tl_skip tnl-neigh-victim-served-v4 "httpd did not start"
        tl_skip tnl-neigh-victim-served-v6 "httpd did not start"
    fi
    local c
    if ! $httpd_ok; then
        for c in httpd-trace-off httpd-ssi-printenv-off httpd-ssi-echo-works \
                 httpd-symlink-other-tenant-refused \
                 httpd-slowloris-other-tenant-served \
                 httpd-slowloris-connections-limited; do
            tl_skip "$c" "httpd did not start"
        done
        return 0
    fi
    sec_nd_flood
    tl_check police-nd-flood-limited sec_nd_limited
    tl_check police-nd-flood-neighbours-bounded sec_nd_neigh_bounded
    tl_check police-nd-flood-other-tenant-served sec_nd_other_served
    tl_check l2mt-show-counts-policed sec_show_policed
    tl_check httpd-trace-off sec_trace_off
    sec_ssi_page
    tl_check httpd-ssi-printenv-off sec_printenv_off
    tl_check httpd-ssi-echo-works sec_echo_works
    tl_check httpd-symlink-other-tenant-refused sec_symlink
    sec_slowloris
    tl_check httpd-slowloris-other-tenant-served sec_slow_other_served
    tl_check httpd-slowloris-connections-limited sec_slow_limited
}
