# SPDX-License-Identifier: Apache-2.0
# DPDK ports (tests/dpdk/): the system tests on OVS ports type=dpdk.
PHONY += check-dpdk
EXTRA_DIST += tests/dpdk/run utilities/lib/dpdk-lab.sh

# ping, curl and iperf3 through nat64 on DPDK ports (net_af_packet PMD,
# --no-huge memory), and DPDK's fixed mbufs (tests/system/run --dpdk).
check-dpdk: ovs
	$(NAT64_ENV) $(srcdir)/tests/dpdk/run
