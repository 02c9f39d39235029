# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The multi-tenant demo on nat64d instead of the nat64 action
# (utilities/ovs-nat64-demo --translator=userland).  Sourced after
# l2mt-lab.sh, called after l2mt_topo_up: the gateway's OVS keeps
# terminating GRE and passing native IPv6 (OVS has the only GRE here),
# and hands each tenant's IPv4/ARP to nat64d in tap mode:
#
#   gre<i> -OVS- nudo<i> ~veth~ nudl<i> -[bridge nudt<i>-4]- nudtap<i>a
#                                                             nat64d
#   service em(2i-2) ~veth~ vnet(2i-2) -[bridge nudt<i>-6]- nudtap<i>b
#
# Everything lives in the gateway namespace nmtg; nat64d is stopped with
# the lab (by pid).

L2MT_NAT64D=${NAT64_BUILDDIR:-$L2MT_SRCDIR}/utilities/userland/nat64d

# Flows that send tenant I's IPv4/ARP to nat64d (priority over the nat64
# action's, cookie 0x6464 so that they can be removed again).
l2mt_userland_flows() {
    local i=$1 m=cookie=0x6464,priority=200,vlan_tci=0
    printf '%s\n' \
        "$m,in_port=gre$i,ip,actions=output:nudo$i" \
        "$m,in_port=gre$i,arp,actions=output:nudo$i" \
        "$m,in_port=nudo$i,ip,actions=output:gre$i" \
        "$m,in_port=nudo$i,arp,actions=output:gre$i" \
        | lab_ovs nmtg ovs-ofctl add-flows br0 -
}

# l2mt_userland_select ovs|userland: which translator tenant IPv4 takes
# (after 'l2mt_userland_up parallel').
l2mt_userland_select() {
    local i
    lab_ovs nmtg ovs-ofctl del-flows br0 cookie=0x6464/-1
    [ "$1" = userland ] || return 0
    for i in "${L2MT_SITES[@]}"; do l2mt_userland_flows "$i"; done
}

# l2mt_userland_up exclusive|parallel: exclusive (the demo): vnet(2i-2)
# leaves OVS for nat64d's service bridge, so em(2i-2) is reachable only
# through nat64d.  With 'parallel' (bench-tenants), both translators stay
# usable side by side: nat64d's service tap gets its own veth to the
# service host (nudu<i>, fe80::c0a8:64 and em(2i-2)'s MAC, so that the
# client's ARP cache stays valid across a switch), and
# l2mt_userland_select picks the path.
l2mt_userland_up() {
    local mode=$1 i v4 svc mac conf=$LAB_DIR/nat64d.conf
    local log=$LAB_DIR/nat64d.log
    [ -x "$L2MT_NAT64D" ] || lab_die "no $L2MT_NAT64D (run make)"
    printf '%s\n' "mode = tap" "control-socket = $LAB_DIR/nat64d.sock" \
        > "$conf"
    for i in "${L2MT_SITES[@]}"; do
        v4=$(l2mt_vnet_v4 "$i")
        lab_veth nmtg "nudo$i" nmtg "nudl$i"
        l2mt_quiet_if nmtg "nudo$i"
        l2mt_quiet_if nmtg "nudl$i"
        lab_ovs nmtg ovs-vsctl --timeout=30 add-port br0 "nudo$i"
        if [ "$mode" = parallel ]; then
            svc=nudv$i
            lab_veth nmtg "$svc" nmts "nudu$i"
            l2mt_quiet_if nmtg "$svc"
            mac=$(l2mt_in nmts cat "/sys/class/net/$(l2mt_v4_if "$i")/address")
            l2mt_in nmts ip link set "nudu$i" address "$mac"
            lab_addr6_ll nmts "nudu$i" fe80::c0a8:64
        else
            svc=$v4
            lab_ovs nmtg ovs-vsctl --timeout=30 del-port br0 "$v4"
            l2mt_userland_flows "$i"
        fi
        l2mt_in nmtg "$L2MT_SRCDIR/utilities/userland/nat64d-tap-setup" up \
            "nudt$i" "nudtap${i}a" "nudl$i" "nudtap${i}b" "$svc"
        echo "tenant = tenant$i nudtap${i}a nudtap${i}b" >> "$conf"
    done
    LAB_BG_LOG=$log lab_bg nmtg "$L2MT_NAT64D" -c "$conf" >/dev/null
    lab_wait 50 grep -q 'running:' "$log" \
        || lab_die "nat64d did not start: $(cat "$log")"
    l2mt_log "nat64d translates for tenants ${L2MT_SITES[*]}" \
        "(counters: $L2MT_NAT64D --show -s $LAB_DIR/nat64d.sock)"
}
