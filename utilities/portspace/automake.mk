# SPDX-License-Identifier: Apache-2.0
# Port spaces (issue 16): the portspace command (installed) and the TCP
# ping-pong of its benchmark.  Tests and make targets: tests/portspace/.
bin_PROGRAMS += utilities/portspace/portspace
utilities_portspace_portspace_SOURCES = utilities/portspace/portspace.c

noinst_PROGRAMS += utilities/portspace/ps-pingpong
utilities_portspace_ps_pingpong_SOURCES = utilities/portspace/ps-pingpong.c

noinst_PROGRAMS += utilities/portspace/ps-interleave
utilities_portspace_ps_interleave_SOURCES = utilities/portspace/ps-interleave.c
utilities_portspace_ps_interleave_LDFLAGS = -pthread
