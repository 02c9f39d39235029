# SPDX-License-Identifier: Apache-2.0
# tests/userland: nat64d in network namespaces (tun and tap mode), and
# the property/fuzz test of its framing code (built by make check, run
# by tests/userland/run).
EXTRA_DIST += tests/userland/run
PHONY += check-userland

check_PROGRAMS += tests/userland/test-frame
USERLAND_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
tests_userland_test_frame_SOURCES = tests/userland/test-frame.c \
	utilities/userland/frame.c utilities/userland/frame.h \
	$(lib_nat64_libnat64_a_SOURCES)
tests_userland_test_frame_CPPFLAGS = $(AM_CPPFLAGS) \
	-I$(srcdir)/utilities/userland
tests_userland_test_frame_CFLAGS = $(AM_CFLAGS) $(USERLAND_SAN) -O1 -g \
	-Wno-frame-larger-than -Wno-declaration-after-statement
tests_userland_test_frame_LDFLAGS = $(USERLAND_SAN)

# The daemon in namespaces (root): tun and tap mode, offloads, signals.
check-userland: utilities/userland/nat64d tests/userland/test-frame \
		tests/userland/tun-ceiling
	$(NAT64_ENV) $(srcdir)/tests/userland/run

# Figures, not a test: nat64d (tun) against TAYGA, offloads off and on.
PHONY += bench-userland
EXTRA_DIST += tests/userland/bench-userland
bench-userland: utilities/userland/nat64d
	$(NAT64_ENV) $(srcdir)/tests/userland/bench-userland \
		--output bench-userland.txt $(BENCH_USERLAND_FLAGS)

# Figures, not a test: the tun's own cost per packet with no translator
# (read()/write() against io_uring, IFF_NAPI): the bound of the pps goal.
check_PROGRAMS += tests/userland/tun-ceiling
tests_userland_tun_ceiling_SOURCES = tests/userland/tun-ceiling.c
PHONY += bench-tun-ceiling
EXTRA_DIST += tests/userland/bench-tun-ceiling
bench-tun-ceiling: tests/userland/tun-ceiling
	$(NAT64_ENV) $(srcdir)/tests/userland/bench-tun-ceiling \
		--output bench-tun-ceiling.txt $(BENCH_TUN_CEILING_FLAGS)
