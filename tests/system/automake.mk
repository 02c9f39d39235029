# tests/system rules (owned by that area)
