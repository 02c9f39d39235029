# SPDX-License-Identifier: Apache-2.0
# Patched Open vSwitch: built in the cache by ovs/build-ovs.
PHONY += ovs check-ovs install-ovs

# Builds (incrementally) OVS 3.1.0 with ovs/patches/series applied.
ovs:
	$(NAT64_ENV) $(srcdir)/ovs/build-ovs

# OVS testsuite subsets our patches touch (nat64, ofp-actions, odp).
check-ovs:
	$(NAT64_ENV) $(srcdir)/tests/ovs-testsuite/run

# Installs the patched OVS under $(prefix) for a real deployment.
install-ovs: ovs
	$(MAKE) -C "$$($(NAT64_ENV) $(srcdir)/ovs/build-ovs --print-dir)" \
		install DESTDIR=$(DESTDIR)
install-exec-local: install-ovs
