"""`python -m oa_spec` runs the CLI, as the `oaspec` console script does."""

from oa_spec.cli.main import run

run()
