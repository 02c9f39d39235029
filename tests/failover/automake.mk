# SPDX-License-Identifier: Apache-2.0
# Relay-based failover: two gateways, BFD and fast_failover on the tenant
# box, a learning VXLAN relay on the service host (tests/failover/,
# utilities/failover/, tutorials/failover.md).
PHONY += check-failover bench-failover
EXTRA_DIST += tests/failover/run tests/failover/automake.mk \
	utilities/failover/fo-probe \
	utilities/failover/failover-lab.sh utilities/failover/bench-failover \
	utilities/lib/bench-ratios \
	utilities/failover/ovs-l2mt-failover-monitor.service \
	utilities/failover/ovs-l2mt-failover.default \
	tutorials/failover.md

# Kill -9 and path cuts during TCP streams, fail-back, flapping,
# isolation, misconfiguration (also in make check).
check-failover: ovs
	$(NAT64_ENV) $(srcdir)/tests/failover/run

# Steady-state cost against a single gateway (20 interleaved rounds,
# paired ratios with bootstrap intervals, an A/A control, the parts of
# the redundancy one by one; raw figures in bench-failover.txt.raw) and
# the outage (min/median/max of kill and cut); figures.
# BENCH_FAILOVER_FLAGS, e.g. --steady-only or --rounds 40, go to
# utilities/failover/bench-failover.
bench-failover: ovs
	$(NAT64_ENV) $(srcdir)/utilities/failover/bench-failover \
		--output bench-failover.txt $(BENCH_FAILOVER_FLAGS)
