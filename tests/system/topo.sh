# SPDX-License-Identifier: Apache-2.0
# shellcheck shell=bash
# The two-host topology of the system tests and the OVS benchmark.
# Sourced after utilities/lib/netns-lab.sh and lab_init.
#
#   nsysc  client: eth0, 192.168.0.10/24 (IPv4 only unless a caller adds
#          fe80::c0a8:a for native IPv6 runs)
#     |    veth c <-> eth0
#   nsysw  switch: private ovs-vswitchd, bridge br0 (datapath_type=netdev),
#          port c = OpenFlow 1, port s = OpenFlow 2
#     |    veth s <-> eth0
#   nsyss  server: eth0, fe80::c0a8:64 (IPv6 only unless a caller adds
#          192.168.0.100/24 for plain IPv4 runs)
#
# OVS gets its own namespace so its ports never appear in the root
# namespace next to other labs' interfaces.

SYS_C=nsysc
SYS_S=nsyss
SYS_W=nsysw
SYS_CLIENT4=192.168.0.10
SYS_SERVER4=192.168.0.100
SYS_CLIENT6=fe80::c0a8:a
SYS_SERVER6=fe80::c0a8:64

# shellcheck disable=SC2034  # used by the scripts sourcing us
# The flows of the translated path (issue 4).
SYS_FLOWS_NAT64="priority=10,in_port=1,ip,actions=nat64:4toll6,output:2
priority=10,in_port=1,arp,actions=nat64:4toll6,output:2
priority=10,in_port=2,ipv6,actions=nat64:ll6to4,output:1"
# shellcheck disable=SC2034
# Plain forwarding through the same bridge and ports.
SYS_FLOWS_PLAIN="priority=10,in_port=1,actions=output:2
priority=10,in_port=2,actions=output:1"

sys_in() { local ns=$1; shift; ip netns exec "$ns" "$@"; }
sys_ovs() { lab_ovs "$SYS_W" "$@"; }
sys_ofctl() { sys_ovs ovs-ofctl "$@"; }

# Replaces br0's flows with FLOWS (one per line).  OpenFlow 1.3: with
# flows in several tables, replace-flows finds no usable OpenFlow 1.0
# format.
sys_flows() {
    printf '%s\n' "$1" | sys_ofctl -O OpenFlow13 replace-flows br0 -
}

# Whether the OVS build knows the nat64 action.
sys_have_nat64() {
    "$LAB_OVS_ENV" ovs-ofctl parse-flow 'ip,actions=nat64:4toll6' \
        >/dev/null 2>&1
}

# sys_topo_up [PORT-OPTIONS...]: namespaces, veths, OVS and br0; the
# options (e.g. 'type=afxdp' 'options:xdp-mode=generic') go to both ports.
sys_topo_up() {
    sys_topo_hosts
    lab_ovs_start "$SYS_W" "$SYS_W"
    sys_topo_bridge "$@"
}

# sys_topo_hosts: the namespaces, veths and addresses, no OVS yet.
sys_topo_hosts() {
    local p
    lab_netns "$SYS_C"
    lab_netns "$SYS_S"
    lab_netns "$SYS_W"
    lab_veth "$SYS_W" c "$SYS_C" eth0
    lab_veth "$SYS_W" s "$SYS_S" eth0
    # OVS owns c and s: no kernel IPv6 chatter from them.
    for p in c s; do
        sys_in "$SYS_W" sysctl -qw "net.ipv6.conf.$p.disable_ipv6=1"
    done
    sys_in "$SYS_C" ip link set eth0 address 02:00:c0:a8:00:0a
    sys_in "$SYS_C" ip addr add "$SYS_CLIENT4/24" dev eth0
    sys_in "$SYS_C" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
    sys_in "$SYS_S" ip link set eth0 address 02:00:c0:a8:00:64
    sys_in "$SYS_S" sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
    lab_addr6_ll "$SYS_S" eth0 "$SYS_SERVER6"
}

# sys_topo_bridge [PORT-OPTIONS...]: br0 with ports c and s in the running
# OVS instance; in each option @IF@ stands for the port's name (e.g.
# 'options:dpdk-devargs=net_af_packet_@IF@,iface=@IF@').
sys_topo_bridge() {
    local p c_opts=() s_opts=()
    for p in "$@"; do
        [ -n "$p" ] || continue
        c_opts+=(-- set interface c "${p//@IF@/c}")
        s_opts+=(-- set interface s "${p//@IF@/s}")
    done
    sys_ovs ovs-vsctl --timeout=30 \
        add-br br0 -- set bridge br0 datapath_type=netdev \
        fail-mode=secure \
        -- add-port br0 c -- set interface c ofport_request=1 "${c_opts[@]}" \
        -- add-port br0 s -- set interface s ofport_request=2 "${s_opts[@]}"
    sys_in "$SYS_W" ip link set br0 up
}

# Native IPv6 on the client / IPv4 on the server, for baseline runs.
sys_client_v6_on() {
    sys_in "$SYS_C" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=0
    lab_addr6_ll "$SYS_C" eth0 "$SYS_CLIENT6"
}
sys_client_v6_off() {
    sys_in "$SYS_C" sysctl -qw net.ipv6.conf.eth0.disable_ipv6=1
}
sys_server_v4_on() {
    sys_in "$SYS_S" ip addr add "$SYS_SERVER4/24" dev eth0
}
sys_server_v4_off() {
    sys_in "$SYS_S" ip addr del "$SYS_SERVER4/24" dev eth0
}

# sys_offload on|off: TX checksum offload on the hosts' interfaces.
sys_offload() {
    sys_in "$SYS_C" ethtool -K eth0 tx "$1" >/dev/null
    sys_in "$SYS_S" ethtool -K eth0 tx "$1" >/dev/null
}
