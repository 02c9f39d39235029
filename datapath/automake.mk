# SPDX-License-Identifier: Apache-2.0
# Kernel datapath: Linux 6.1 and 6.12 net/openvswitch patched with the
# nat64 action (one series, datapath/patches/series), built by
# datapath/build-kernel in the cache as a User-Mode Linux kernel plus
# out-of-tree module per version, and tested under UML.
PHONY += kernel kernel-module-debian check-kernel

EXTRA_DIST += \
	datapath/build-kernel \
	datapath/ABI.md \
	datapath/uml.config \
	datapath/uml-patches/0001-um-x86-transfer-the-host-s-XSTATE-at-its-real-size.patch \
	datapath/patches/series \
	datapath/patches/0001-openvswitch-uapi-add-the-nat64-action.patch \
	datapath/patches/0002-openvswitch-validate-the-nat64-action-counters.patch \
	datapath/patches/0003-openvswitch-execute-the-nat64-action.patch \
	datapath/patches/0004-openvswitch-nat64-counters-per-datapath-in-OVS_DP_CM.patch \
	datapath/patches/0005-openvswitch-nat64-keep-one-802.1Q-tag-as-userspace-d.patch \
	datapath/ABI.md \
	tests/kernel/run \
	tests/kernel/guest-init \
	tests/kernel/guest-tests \
	tests/kernel/udp-echo.py \
	tests/kernel/ovs-dp-probe.py

# UML kernels (once, cached) and the patched openvswitch.ko for each
# supported version (incremental); a version whose linux-source package is
# missing is reported and left out.
kernel:
	@set -e; for v in $$($(srcdir)/datapath/build-kernel --list-versions); do \
	    if [ -r /usr/src/linux-source-$$v.tar.xz ]; then \
	        $(NAT64_ENV) $(srcdir)/datapath/build-kernel --linux=$$v; \
	    else \
	        echo "kernel: no /usr/src/linux-source-$$v.tar.xz (package" \
	            "linux-source-$$v): Linux $$v left out" >&2; \
	    fi; \
	done

# The patched module for Debian kernels: KVER=<release> for one, else for
# every installed linux-headers-6.1* and 6.12* (/lib/modules/*/build),
# each with its version's series.
kernel-module-debian:
	@set -e; kvers="$(KVER)"; \
	if [ -z "$$kvers" ]; then \
	    for d in /lib/modules/6.1.*/build /lib/modules/6.12.*/build; do \
	        [ -e "$$d/Makefile" ] || continue; \
	        d=$${d%/build}; kvers="$$kvers $${d##*/}"; \
	    done; \
	fi; \
	if [ -z "$$kvers" ]; then \
	    echo "kernel-module-debian: no linux-headers-6.1* or 6.12* installed" \
	        "(apt-get install linux-headers-amd64, or KVER=<release>)" >&2; \
	    exit 1; \
	fi; \
	for k in $$kvers; do \
	    $(NAT64_ENV) $(srcdir)/datapath/build-kernel --debian=$$k; \
	done

# Boots the UML kernel once and runs every kernel datapath test in it.
check-kernel: kernel ovs
	$(NAT64_ENV) $(srcdir)/tests/kernel/run --no-build
