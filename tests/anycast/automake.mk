# tests/anycast: active anycast through a real ovs-vswitchd (issue 17);
# tests/run-stages runs tests/anycast/run as the "anycast" stage.
EXTRA_DIST += tests/anycast/run tests/anycast/test.topo \
	tests/anycast/pcap-check.py tests/anycast/bench \
	tests/anycast/bench.topo

PHONY += check-anycast bench-anycast

# The anycast stage alone (root, namespaces, patched OVS, the agent).
check-anycast: ovs all
	$(NAT64_ENV) $(srcdir)/tests/anycast/run

# Figures: report-to-switch latency, dead-server removal, new connections
# per second and established throughput, steered vs plain (interleaved).
bench-anycast: ovs all
	$(NAT64_ENV) $(srcdir)/tests/anycast/bench --output bench-anycast.txt
