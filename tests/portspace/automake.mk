# SPDX-License-Identifier: Apache-2.0
# tests/portspace: port spaces (utilities/portspace) in network namespaces
# (tests/run-stages runs tests/portspace/run as the "portspace" stage).
EXTRA_DIST += tests/portspace/run tests/portspace/tenant-demo.sh \
	utilities/portspace/bench-portspace

PHONY += check-portspace bench-portspace

# The port-space tests alone (root; namespaces, overlayfs, nftables; the
# tenant case uses the patched OVS of 'make ovs').
check-portspace: utilities/portspace/portspace ovs
	$(NAT64_ENV) PORTSPACE=$(abs_builddir)/utilities/portspace/portspace \
	    $(srcdir)/tests/portspace/run

# Figures: base (and its A/A twin) vs space vs space + inherited service
# vs slirp4netns, interleaved in rotating order, pinned CPUs, medians and
# bootstrap intervals of the ratios; the table also in bench-portspace.txt
# (raw figures in bench-portspace.txt.raw).  BENCH_PORTSPACE_FLAGS, e.g.
# --rounds 40, go to utilities/portspace/bench-portspace.
bench-portspace: utilities/portspace/portspace utilities/portspace/ps-pingpong
	$(NAT64_ENV) PORTSPACE=$(abs_builddir)/utilities/portspace/portspace \
	    PS_PINGPONG=$(abs_builddir)/utilities/portspace/ps-pingpong \
	    $(srcdir)/utilities/portspace/bench-portspace \
	    --output bench-portspace.txt $(BENCH_PORTSPACE_FLAGS)
