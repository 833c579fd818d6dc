"""Stage 3, apply: the review gate (a saved plan must match the spec), freezes, writes, records, rollback."""
