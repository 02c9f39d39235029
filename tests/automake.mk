# Test stages after the unit tests.  tests/run-stages runs them in order
# (ovs testsuite, system, tenants, httpd, kernel) and prints the total.
include tests/system/automake.mk
include tests/tenants/automake.mk

check-local:
	$(NAT64_ENV) $(srcdir)/tests/run-stages
