# tests/unit build rules
