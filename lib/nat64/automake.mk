# lib/nat64 build rules
