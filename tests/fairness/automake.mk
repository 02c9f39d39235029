# SPDX-License-Identifier: Apache-2.0
# Fairness between tenants (tests/fairness/): the early policer on the
# gateway's underlay interface and the service host's neighbour cap.
PHONY += check-fairness
EXTRA_DIST += tests/fairness/run tutorials/fairness.md

check-fairness: ovs all
	-$(MAKE) httpd-module
	$(NAT64_ENV) $(srcdir)/tests/fairness/run
