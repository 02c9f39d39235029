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

l2mt_userland_up() {
    local i v4 conf=$LAB_DIR/nat64d.conf log=$LAB_DIR/nat64d.log
    [ -x "$L2MT_NAT64D" ] || lab_die "no $L2MT_NAT64D (run make)"
    printf '%s\n' "mode = tap" "control-socket = $LAB_DIR/nat64d.sock" \
        > "$conf"
    for i in "${L2MT_SITES[@]}"; do
        v4=$(l2mt_vnet_v4 "$i")
        lab_ovs nmtg ovs-vsctl --timeout=30 del-port br0 "$v4"
        lab_veth nmtg "nudo$i" nmtg "nudl$i"
        l2mt_quiet_if nmtg "nudo$i"
        l2mt_quiet_if nmtg "nudl$i"
        lab_ovs nmtg ovs-vsctl --timeout=30 add-port br0 "nudo$i"
        l2mt_in nmtg "$L2MT_SRCDIR/utilities/userland/nat64d-tap-setup" up \
            "nudt$i" "nudtap${i}a" "nudl$i" "nudtap${i}b" "$v4"
        printf '%s\n' \
            "priority=200,in_port=gre$i,vlan_tci=0,ip,actions=output:nudo$i" \
            "priority=200,in_port=gre$i,vlan_tci=0,arp,actions=output:nudo$i" \
            "priority=200,in_port=nudo$i,vlan_tci=0,ip,actions=output:gre$i" \
            "priority=200,in_port=nudo$i,vlan_tci=0,arp,actions=output:gre$i" \
            | lab_ovs nmtg ovs-ofctl add-flows br0 -
        echo "tenant = tenant$i nudtap${i}a nudtap${i}b" >> "$conf"
    done
    LAB_BG_LOG=$log lab_bg nmtg "$L2MT_NAT64D" -c "$conf" >/dev/null
    lab_wait 50 grep -q 'running:' "$log" \
        || lab_die "nat64d did not start: $(cat "$log")"
    l2mt_log "nat64d translates for tenants ${L2MT_SITES[*]}" \
        "(counters: $L2MT_NAT64D --show -s $LAB_DIR/nat64d.sock)"
}
