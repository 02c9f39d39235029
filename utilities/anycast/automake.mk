# SPDX-License-Identifier: Apache-2.0
# Active anycast (issue 17): steering agent and load reporter (installed),
# the lab command, the test service, examples and systemd units.
bin_PROGRAMS += utilities/anycast/ovs-anycast-agent \
	utilities/anycast/ovs-anycast-report
utilities_anycast_ovs_anycast_agent_SOURCES = \
	utilities/anycast/ovs-anycast-agent.c \
	utilities/anycast/anycast-proto.c utilities/anycast/anycast-proto.h
utilities_anycast_ovs_anycast_report_SOURCES = \
	utilities/anycast/ovs-anycast-report.c \
	utilities/anycast/anycast-proto.c utilities/anycast/anycast-proto.h
EXTRA_DIST += utilities/anycast/ovs-anycast-lab \
	utilities/anycast/anycast-lab.sh utilities/anycast/anycast-svc.py \
	utilities/anycast/agent.conf.example utilities/anycast/report.conf.example \
	utilities/anycast/lab.topo utilities/anycast/ovs-anycast-agent.service \
	utilities/anycast/ovs-anycast-report.service
