# Test stages after the unit tests.  tests/run-stages runs them in order
# (ovs testsuite, system, tenants, gso, httpd, kernel) and prints the total.
include tests/system/automake.mk
include tests/tenants/automake.mk
include tests/gso/automake.mk

# automake runs check-TESTS (the unit tests) before check-local in a serial
# make, which utilities/quickstart uses; tests/run-stages reads their logs.
# No prerequisite on check-TESTS: with 'make -k' a failing unit test must
# not keep the later stages from running.
check-local:
	$(NAT64_ENV) $(srcdir)/tests/run-stages
