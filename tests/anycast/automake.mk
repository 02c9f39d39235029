# SPDX-License-Identifier: Apache-2.0
# tests/anycast: active anycast through a real ovs-vswitchd (issue 17);
# tests/run-stages runs tests/anycast/run as the "anycast" stage.
EXTRA_DIST += tests/anycast/run tests/anycast/test.topo \
	tests/anycast/pcap-check.py tests/anycast/csum-check.py \
	tests/anycast/drain-check.py tests/anycast/bench \
	tests/anycast/bench.topo

PHONY += check-anycast bench-anycast

# The anycast stage alone (root, namespaces, patched OVS, the agent).
check-anycast: ovs all
	$(NAT64_ENV) $(srcdir)/tests/anycast/run

# Figures: report-to-switch latency, dead-server removal, new connections
# per second and established throughput, steered vs plain (interleaved),
# with userspace TSO and per packet.  BENCH_ANYCAST_FLAGS="--rounds 5".
bench-anycast: ovs all
	$(NAT64_ENV) $(srcdir)/tests/anycast/bench $(BENCH_ANYCAST_FLAGS) \
		--output bench-anycast.txt

# The report parser's table and random-input test (run by tests/anycast/run).
noinst_PROGRAMS += tests/anycast/test-anycast-proto
tests_anycast_test_anycast_proto_SOURCES = tests/anycast/test-anycast-proto.c \
	utilities/anycast/anycast-proto.c utilities/anycast/anycast-proto.h
tests_anycast_test_anycast_proto_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/utilities/anycast
