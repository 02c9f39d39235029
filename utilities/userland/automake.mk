# SPDX-License-Identifier: Apache-2.0
# utilities/userland: nat64d, the userland translator daemon (tun/tap) on
# the lib/nat64 core.  frame.c is its host adapter (vnet header, GSO,
# partial checksums); tests/userland/test-frame checks it.
sbin_PROGRAMS = utilities/userland/nat64d
utilities_userland_nat64d_SOURCES = \
	utilities/userland/nat64d.c \
	utilities/userland/frame.c \
	utilities/userland/frame.h
utilities_userland_nat64d_LDADD = lib/nat64/libnat64.a -lcap-ng -lpthread
EXTRA_DIST += \
	utilities/userland/README.md \
	tutorials/userland.md \
	utilities/userland/nat64d.conf.example \
	utilities/userland/nat64d.service \
	utilities/userland/demo-userland.sh
dist_sbin_SCRIPTS = utilities/userland/nat64d-tap-setup
