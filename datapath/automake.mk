# datapath build rules
