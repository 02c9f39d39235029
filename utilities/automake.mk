# Tools users run (the tenant tool's helper adds its scripts here).
