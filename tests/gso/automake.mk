# SPDX-License-Identifier: Apache-2.0
# Software segmentation (GSO) system tests (tests/gso/).
PHONY += check-gso
EXTRA_DIST += tests/gso/run tests/gso/underlay.py tests/gso/tcp-pipe.py

# TSO frames through GRE between two switches, checked on the underlay.
check-gso: ovs
	$(NAT64_ENV) $(srcdir)/tests/gso/run
