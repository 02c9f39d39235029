# SPDX-License-Identifier: Apache-2.0
# apache-patches: httpd gets REMOTE_IF (the client's IPv6 scope id).
#   make httpd-module         mod_remote_if.so (recommended)
#   make httpd-rewrite-patch  Debian's mod_rewrite.c + our patch for the
#                             literal %{REMOTE_IF}: mod_rewrite_remoteif.so
#   make check-httpd          tests/httpd/run (real httpd in namespaces)
#   make install-httpd-module mod_remote_if.so into apxs' module directory,
#                             remote_if.load into /etc/apache2/mods-available
#                             (Debian: then 'a2enmod remote_if')
PHONY += httpd-module httpd-rewrite-patch check-httpd install-httpd-module

EXTRA_DIST += \
	apache-patches/build-httpd \
	apache-patches/fetch-apache-source \
	apache-patches/mod_remote_if.c \
	apache-patches/mod_rewrite-remote-if.patch \
	apache-patches/remote-if-example.conf \
	apache-patches/remote_if.load \
	tests/httpd/run \
	tutorials/httpd-remote-if.md

httpd-module:
	$(NAT64_ENV) $(srcdir)/apache-patches/build-httpd module

httpd-rewrite-patch:
	$(NAT64_ENV) $(srcdir)/apache-patches/build-httpd rewrite

check-httpd:
	$(NAT64_ENV) $(srcdir)/tests/httpd/run

install-httpd-module: httpd-module
	moddir=$$($(APXS) -q LIBEXECDIR) && \
	$(MKDIR_P) "$(DESTDIR)$$moddir" && \
	$(INSTALL_DATA) apache-patches/mod_remote_if.so "$(DESTDIR)$$moddir/"
	if [ -d /etc/apache2/mods-available ]; then \
		$(MKDIR_P) "$(DESTDIR)/etc/apache2/mods-available" && \
		$(INSTALL_DATA) $(srcdir)/apache-patches/remote_if.load \
			"$(DESTDIR)/etc/apache2/mods-available/"; \
	fi

CLEANFILES += \
	apache-patches/mod_remote_if.so \
	apache-patches/mod_rewrite_remoteif.so \
	apache-patches/mod_remote_if.la \
	apache-patches/mod_remote_if.lo \
	apache-patches/mod_remote_if.slo \
	apache-patches/mod_remote_if.build.log
