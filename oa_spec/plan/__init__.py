"""Stage 2, the plan: read live accounts, scope them to what oaspec manages, diff, and guard destroys."""
