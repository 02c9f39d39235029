# apache-patches build rules
