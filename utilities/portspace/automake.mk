# SPDX-License-Identifier: Apache-2.0
# Port spaces (issue 16): the portspace command, its tests and benchmark.
bin_PROGRAMS += utilities/portspace/portspace
utilities_portspace_portspace_SOURCES = utilities/portspace/portspace.c
EXTRA_DIST += tests/portspace/run utilities/portspace/bench-portspace

PHONY += check-portspace bench-portspace

# The port-space tests alone (root; namespaces, overlayfs, nftables).
check-portspace: utilities/portspace/portspace ovs
	$(NAT64_ENV) PORTSPACE=$(abs_builddir)/utilities/portspace/portspace \
	    $(srcdir)/tests/portspace/run

# Figures: base vs space vs space + inherited service (interleaved).
bench-portspace: utilities/portspace/portspace
	$(NAT64_ENV) PORTSPACE=$(abs_builddir)/utilities/portspace/portspace \
	    $(srcdir)/utilities/portspace/bench-portspace

# TCP request/response latency for bench-portspace.
noinst_PROGRAMS += utilities/portspace/ps-pingpong
utilities_portspace_ps_pingpong_SOURCES = utilities/portspace/ps-pingpong.c
