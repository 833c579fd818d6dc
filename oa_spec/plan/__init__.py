"""Stage 2, the plan: read live accounts, scope them to what oaspec manages, diff, and guard destroys."""

DEFAULT_PARALLELISM = 32  # accounts read or written at once: the knee of the measurement in README "Benchmarks"
