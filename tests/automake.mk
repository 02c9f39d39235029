# SPDX-License-Identifier: Apache-2.0
# The test stages.  tests/run-stages runs them in its default order (its
# --help lists them) and prints the total; tests/lib/ holds what every
# stage shares: the shell harness and the Python packet helpers.
EXTRA_DIST += tests/run-stages tests/lib/testlib.sh tests/lib/netpkt.py
include tests/system/automake.mk
include tests/dpdk/automake.mk
include tests/tenants/automake.mk
include tests/wg/automake.mk
include tests/gso/automake.mk
include tests/portspace/automake.mk
include tests/anycast/automake.mk
include tests/failover/automake.mk
include tests/userland/automake.mk
include tests/discovery/automake.mk
include tests/fairness/automake.mk

# make check builds check_PROGRAMS and check_SCRIPTS (the unit tests and
# the fuzz wrapper) before check-local; tests/run-stages then runs every
# stage, the unit tests first, and prints the total.
check-local:
	$(NAT64_ENV) $(srcdir)/tests/run-stages
