# ovs build rules
