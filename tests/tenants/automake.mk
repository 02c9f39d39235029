# tests/tenants rules (owned by that area)
