# SPDX-License-Identifier: Apache-2.0
# Authenticated tenant tunnels: WireGuard under GRE (tests/wg/,
# utilities/wg/).
PHONY += check-wg bench-wg
EXTRA_DIST += tests/wg/run tests/wg/rawgre.py utilities/wg/bench-wg
# The edge's firewall tool is installed with 'make install', like ovs-l2mt.
dist_bin_SCRIPTS += utilities/wg/ovs-l2mt-wg-edge

# Pages through WireGuard + GRE + nat64; forged GRE reaches nothing.
check-wg: ovs
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/tests/wg/run

# Throughput and round trip with and without WireGuard, interleaved
# (figures; BENCH_WG_FLAGS=--rounds N ...).
bench-wg: ovs
	$(NAT64_ENV) $(srcdir)/utilities/wg/bench-wg $(BENCH_WG_FLAGS)
