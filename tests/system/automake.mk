# SPDX-License-Identifier: Apache-2.0
# tests/system: nat64 in a real ovs-vswitchd between network namespaces
# (tests/run-stages runs tests/system/run as the "system" stage).
EXTRA_DIST += \
	tests/system/run \
	tests/system/topo.sh \
	tests/system/peer-httpd.py \
	tests/system/bench-ovs \
	utilities/lib/netns-lab.sh

PHONY += check-system bench-ovs

# The system tests alone (root, namespaces, patched OVS from 'make ovs').
check-system:
	$(NAT64_ENV) $(srcdir)/tests/system/run

# Figures, not a test: nat64 against plain IPv4/IPv6 forwarding through
# the same bridge, AF_PACKET and AF_XDP ports; table in bench-ovs.txt.
# BENCH_OVS_FLAGS="--userland" adds nat64d against TAYGA.
bench-ovs:
	$(NAT64_ENV) $(srcdir)/tests/system/bench-ovs --output bench-ovs.txt \
		$(BENCH_OVS_FLAGS)
