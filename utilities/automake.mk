# SPDX-License-Identifier: Apache-2.0
# Tools users run: the tenant table tool is installed with 'make install';
# the environment, demo and benchmark scripts run from the source tree.
dist_bin_SCRIPTS += utilities/ovs-l2mt utilities/failover/ovs-l2mt-failover
dist_bin_SCRIPTS += utilities/scale/ovs-l2mt-watch \
	utilities/scale/l2mt-service-veth
include utilities/portspace/automake.mk
include utilities/anycast/automake.mk
include utilities/userland/automake.mk
include utilities/fairness/automake.mk
