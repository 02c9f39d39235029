# SPDX-License-Identifier: Apache-2.0 OR GPL-2.0-only
# lib/nat64 build rules: the translator core as a static library.  Every
# .c file here is also compiled into Open vSwitch and the kernel module.
noinst_LIBRARIES += lib/nat64/libnat64.a
lib_nat64_libnat64_a_SOURCES = \
	lib/nat64/nat64.h \
	lib/nat64/nat64-compat.h \
	lib/nat64/nat64-private.h \
	lib/nat64/nat64.c \
	lib/nat64/addr.c \
	lib/nat64/translate.c \
	lib/nat64/fast.h \
	lib/nat64/hdr.c \
	lib/nat64/ip.c \
	lib/nat64/icmp.c \
	lib/nat64/nd.c \
	lib/nat64/frag.c \
	lib/nat64/alg.h \
	lib/nat64/alg.c \
	lib/nat64/alg-mdns.c \
	lib/nat64/alg-ssdp.c
EXTRA_DIST += lib/nat64/README.md
