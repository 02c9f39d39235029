# utilities build rules
