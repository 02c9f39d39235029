# SPDX-License-Identifier: Apache-2.0
# Discovery across the translation (mDNS/DNS-SD, SSDP) with real stacks,
# through the core's ALGs (tests/discovery/).
PHONY += check-discovery
EXTRA_DIST += tests/discovery/run tests/discovery/zc.py \
	tests/discovery/ssdp-announce.py tutorials/discovery.md

# A minimal AF_PACKET host of the core for the stage, until the OVS
# nat64 action has an alg= option.
check_PROGRAMS += tests/discovery/ndi-xlate
tests_discovery_ndi_xlate_SOURCES = tests/discovery/ndi-xlate.c
tests_discovery_ndi_xlate_LDADD = lib/nat64/libnat64.a

check-discovery: tests/discovery/ndi-xlate
	$(NAT64_ENV) $(srcdir)/tests/discovery/run
