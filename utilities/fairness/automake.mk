# SPDX-License-Identifier: Apache-2.0
# utilities/fairness: the early per-tenant policer of an ovs-l2mt gateway
# (an XDP program on the underlay interface and its control tool, which
# ovs-l2mt runs) and the service host's per-tenant neighbour cap.
bin_PROGRAMS += utilities/fairness/l2mt-police
utilities_fairness_l2mt_police_SOURCES = \
	utilities/fairness/l2mt-police.c \
	utilities/fairness/l2mt-police.h
utilities_fairness_l2mt_police_CPPFLAGS = $(AM_CPPFLAGS) \
	-DL2MT_POLICE_PKGLIBDIR='"$(pkglibdir)"'
utilities_fairness_l2mt_police_LDADD = -lbpf

# The XDP program, compiled for the BPF target by clang; installed where
# l2mt-police looks when there is none beside it.
L2MT_POLICE_OBJ = utilities/fairness/l2mt-police.bpf.o
l2mtpolicedir = $(pkglibdir)
l2mtpolice_DATA = $(L2MT_POLICE_OBJ)
$(L2MT_POLICE_OBJ): utilities/fairness/l2mt-police.bpf.c \
		utilities/fairness/l2mt-police.h
	@$(MKDIR_P) $(@D)
	$(AM_V_CC)test -n "$(CLANG)" || \
		{ echo "clang is needed for $@ (utilities/ovs-nat64-deps)"; \
		  exit 1; }; \
	$(CLANG) -O2 -g -target bpf -Wall -Wextra -Werror \
		-I/usr/include/$$($(CC) -print-multiarch) \
		-c $(srcdir)/utilities/fairness/l2mt-police.bpf.c -o $@
CLEANFILES += $(L2MT_POLICE_OBJ)
EXTRA_DIST += utilities/fairness/l2mt-police.bpf.c
dist_bin_SCRIPTS += utilities/fairness/l2mt-neigh-cap
