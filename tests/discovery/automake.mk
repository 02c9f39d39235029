# SPDX-License-Identifier: Apache-2.0
# Discovery across the translation (mDNS/DNS-SD, SSDP) with real stacks,
# on real OVS with ovs-l2mt's tenant flows (tests/discovery/).
PHONY += check-discovery
EXTRA_DIST += tests/discovery/run tests/discovery/zc.py \
	tests/discovery/ssdp-announce.py tests/discovery/udp-payloads.py \
	tutorials/discovery.md

check-discovery: ovs
	$(NAT64_ENV) $(srcdir)/tests/discovery/run
