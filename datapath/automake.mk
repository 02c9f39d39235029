# SPDX-License-Identifier: Apache-2.0
# Kernel datapath: Linux 6.1 net/openvswitch patched with the nat64 action
# (datapath/patches/series), built by datapath/build-kernel in the cache as
# a User-Mode Linux kernel plus out-of-tree module, and tested under UML.
PHONY += kernel kernel-module-debian check-kernel

EXTRA_DIST += \
	datapath/build-kernel \
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

# UML kernel (once, cached) and the patched openvswitch.ko (incremental).
kernel:
	$(NAT64_ENV) $(srcdir)/datapath/build-kernel

# The patched module for a Debian machine's own kernel; needs
# linux-headers-$(uname -r), or KVER=<version> for another installed one.
kernel-module-debian:
	$(NAT64_ENV) $(srcdir)/datapath/build-kernel \
		--debian$(if $(KVER),=$(KVER))

# Boots the UML kernel once and runs every kernel datapath test in it.
check-kernel: kernel ovs
	$(NAT64_ENV) $(srcdir)/tests/kernel/run --no-build
