# SPDX-License-Identifier: Apache-2.0
# tests/unit: the translator core's unit tests, property and bad-input
# tests (also built with ASan/UBSan), the libFuzzer target and the
# micro-benchmark.  Expectations come from the RFCs, not from lib/nat64.
UNIT_CORE_SRC = $(filter %.c,$(lib_nat64_libnat64_a_SOURCES))
UNIT_LIB_SRC = tests/unit/unit-lib.c tests/unit/unit-lib.h
UNIT_NAT64_SRC = $(UNIT_LIB_SRC) \
	tests/unit/test-cases.h \
	tests/unit/test-nat64.h \
	tests/unit/test-nat64.c \
	tests/unit/test-cases-ip.c \
	tests/unit/test-cases-icmp.c \
	tests/unit/test-cases-rfc.c \
	tests/unit/test-cases-alg.c
UNIT_PROPS_SRC = $(UNIT_LIB_SRC) tests/unit/test-props.c

# Tests may relax what only matters for the core (stack frames of test
# buffers, designated-initializer style).
UNIT_CFLAGS = $(AM_CFLAGS) -Wno-frame-larger-than \
	-Wno-missing-field-initializers -Wno-declaration-after-statement \
	-Wno-cast-align
UNIT_SAN = -fsanitize=address,undefined -fno-sanitize-recover=all \
	-fno-omit-frame-pointer
UNIT_SAN_CFLAGS = $(UNIT_CFLAGS) $(UNIT_SAN) -O1 -g \
	-DUNIT_PREFIX='"asan/"' 

check_PROGRAMS += \
	tests/unit/test-nat64 \
	tests/unit/test-props \
	tests/unit/test-nat64-asan \
	tests/unit/test-props-asan
# Not automake TESTS: tests/unit/run (the first stage of tests/run-stages)
# runs them, so every 'make check' reports this run's results, also with
# make -j.
check_SCRIPTS += tests/unit/fuzz-check
PHONY += check-unit
check-unit: $(check_PROGRAMS) $(check_SCRIPTS)
	$(NAT64_ENV) $(srcdir)/tests/unit/run

tests_unit_test_nat64_SOURCES = $(UNIT_NAT64_SRC)
tests_unit_test_nat64_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_nat64_LDADD = lib/nat64/libnat64.a

tests_unit_test_props_SOURCES = $(UNIT_PROPS_SRC)
tests_unit_test_props_CFLAGS = $(UNIT_CFLAGS)
tests_unit_test_props_LDADD = lib/nat64/libnat64.a

# Sanitizer variants: the core's sources compiled into the test program
# with -fsanitize=address,undefined, so any read or write outside a frame
# buffer (frames sit at the very end of exact-size allocations) aborts.
tests_unit_test_nat64_asan_SOURCES = $(UNIT_NAT64_SRC) \
	$(lib_nat64_libnat64_a_SOURCES)
tests_unit_test_nat64_asan_CFLAGS = $(UNIT_SAN_CFLAGS)
tests_unit_test_nat64_asan_LDFLAGS = $(UNIT_SAN)
tests_unit_test_props_asan_SOURCES = $(UNIT_PROPS_SRC) \
	$(lib_nat64_libnat64_a_SOURCES)
tests_unit_test_props_asan_CFLAGS = $(UNIT_SAN_CFLAGS)
tests_unit_test_props_asan_LDFLAGS = $(UNIT_SAN)

# libFuzzer target, built with clang when configure found it.
UNIT_FUZZ_CHECK_TIME = 30
UNIT_FUZZ_TIME = 600
UNIT_FUZZ_FLAGS = -g -O1 -fsanitize=fuzzer,address,undefined \
	-fno-sanitize-recover=all -I$(srcdir)/lib/nat64 -I$(srcdir)/tests/unit
tests/unit/fuzz-nat64: $(srcdir)/tests/unit/fuzz-nat64.c \
		$(srcdir)/tests/unit/unit-lib.c $(UNIT_CORE_SRC) \
		$(srcdir)/lib/nat64/nat64.h
	$(AM_V_CCLD)$(CLANG) $(UNIT_FUZZ_FLAGS) -o $@ \
		$(srcdir)/tests/unit/fuzz-nat64.c \
		$(srcdir)/tests/unit/unit-lib.c \
		$(addprefix $(srcdir)/,$(UNIT_CORE_SRC))

# The short fuzz run tests/unit/run runs; SKIPs (exit 77) without clang.
tests/unit/fuzz-check: $(srcdir)/tests/unit/fuzz-run Makefile \
		$(if $(CLANG),tests/unit/fuzz-nat64)
	$(AM_V_GEN)printf '%s\n' '#!/bin/bash' \
		'exec "$(abs_srcdir)/tests/unit/fuzz-run" --builddir "$(abs_builddir)" --time "$(UNIT_FUZZ_CHECK_TIME)" "$$@"' \
		> $@ && chmod +x $@

PHONY += fuzz bench-core
fuzz: tests/unit/fuzz-check tests/unit/test-nat64
	$(abs_srcdir)/tests/unit/fuzz-run --builddir "$(abs_builddir)" \
		--time "$(UNIT_FUZZ_TIME)"

noinst_PROGRAMS += tests/unit/bench-core
tests_unit_bench_core_SOURCES = tests/unit/bench-core.c $(UNIT_LIB_SRC)
tests_unit_bench_core_CFLAGS = $(UNIT_CFLAGS)
tests_unit_bench_core_LDADD = lib/nat64/libnat64.a
bench-core: tests/unit/bench-core
	tests/unit/bench-core --callgrind

EXTRA_DIST += tests/unit/fuzz-nat64.c tests/unit/fuzz-run tests/unit/README.md \
	tests/unit/run
CLEANFILES += tests/unit/fuzz-check tests/unit/fuzz-nat64
