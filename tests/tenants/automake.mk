# SPDX-License-Identifier: Apache-2.0
# Multi-tenant demo, tests and benchmark (tests/tenants/, utilities/).
PHONY += demo check-tenants bench-tenants bench-fairness bench-scale
EXTRA_DIST += tests/tenants/run tests/tenants/pkt.py \
	tests/tenants/security.sh utilities/bench-fairness \
	tests/tenants/dry-run.expected utilities/ovs-l2mt \
	utilities/ovs-nat64-demo utilities/bench-tenants \
	utilities/lib/l2mt-lab.sh utilities/tenants.example \
	tests/scale/run tests/scale/stream.py utilities/scale/bench-scale \
	utilities/scale/ovs-l2mt-watch.service utilities/scale/l2mt-watch.conf \
	utilities/scale/l2mt-vlan-demux.bpf.c

# The demo of the README: three tenants, their pages over IPv4 and IPv6.
demo: ovs
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/utilities/ovs-nat64-demo

# End-to-end, runtime add/delete and isolation tests (also in make check).
check-tenants: ovs
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/tests/tenants/run

# Throughput per tenant and aggregate, 1..8 tenants, both paths (figures).
# BENCH_TENANTS_FLAGS=--userland adds the path through nat64d.
bench-tenants: ovs
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/utilities/bench-tenants $(BENCH_TENANTS_FLAGS)

# 10, 100 and 1000 tenants (BENCH_SCALE_FLAGS=--sizes=...): apply, add and
# remove one, memory, flows, interfaces, 8 active tenants among idle ones.
bench-scale: ovs
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/utilities/scale/bench-scale $(BENCH_SCALE_FLAGS)

# One tenant floods, another fetches pages: failures and latency with and
# without per-tenant policing (figures).
bench-fairness: ovs
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/utilities/bench-fairness
