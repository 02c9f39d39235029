# SPDX-License-Identifier: Apache-2.0
# tests/portspace: port spaces (utilities/portspace) in network namespaces
# (tests/run-stages runs tests/portspace/run as the "portspace" stage).
EXTRA_DIST += tests/portspace/run tests/portspace/tenant-demo.sh \
	utilities/portspace/bench-portspace utilities/lib/bench-ratios

PHONY += check-portspace bench-portspace

# The port-space tests alone (root; namespaces, overlayfs, nftables; the
# tenant case uses the patched OVS of 'make ovs').
check-portspace: utilities/portspace/portspace \
		utilities/portspace/ps-pingpong utilities/portspace/ps-interleave ovs
	$(NAT64_ENV) PORTSPACE=$(abs_builddir)/utilities/portspace/portspace \
	    PS_PINGPONG=$(abs_builddir)/utilities/portspace/ps-pingpong \
	    PS_INTERLEAVE=$(abs_builddir)/utilities/portspace/ps-interleave \
	    $(srcdir)/tests/portspace/run

# Figures: the same servers in a plain namespace (base, and its A/A twin)
# vs in a port space, the inherited service, slirp4netns: the programs
# (iperf3, ping-pong, ab) in ABBA rounds, then ps-interleave's
# millisecond blocks in ABBA cycles; wall clock and CPU time per unit,
# pinned CPUs, medians and bootstrap intervals of the paired ratios and
# the goals' verdicts; the table also in bench-portspace.txt (per-round
# figures in .raw, every trial in .trials).  BENCH_PORTSPACE_FLAGS, e.g.
# --cycles 300 --fs-study (overlayfs options, httpd settings, a shared
# document root), go to utilities/portspace/bench-portspace.
bench-portspace: utilities/portspace/portspace \
		utilities/portspace/ps-pingpong utilities/portspace/ps-interleave
	$(NAT64_ENV) PORTSPACE=$(abs_builddir)/utilities/portspace/portspace \
	    PS_PINGPONG=$(abs_builddir)/utilities/portspace/ps-pingpong \
	    PS_INTERLEAVE=$(abs_builddir)/utilities/portspace/ps-interleave \
	    $(srcdir)/utilities/portspace/bench-portspace \
	    --output bench-portspace.txt $(BENCH_PORTSPACE_FLAGS)
