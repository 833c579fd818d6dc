"""Stage 1, the spec: load YAML (includes, budgets), validate it into models, compile each account into
normalized state. Also the cadence calendar and `oaspec import` (live account -> spec)."""
